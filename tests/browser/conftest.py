"""Live servers and headless Chromium for the browser tests (skipped without Chromium, except CI).

``live_server`` is Riverside, shared by the session; the other servers are built once per module
that uses them, so each test file starts from the same records whichever files run before it."""

import os
import shutil
import tomllib
from pathlib import Path

import pytest

from core.testing import serving
from tests.browser.helpers import ADMIN_PASSWORD

CHROMIUM = os.environ.get("INVOLVE_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
ANGLIA_EMAIL = "officer@anglia.example"
MAYFLOWER_EMAIL = "officer@mayflower.example"
HALTON_EMAIL = "officer@halton.example"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_ready():
    """Skip without Chromium (fail under CI, which must run these); fail if the assets are not built."""
    if not (shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required under CI ({CHROMIUM} missing)")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    if not os.path.exists("core/static/build/involve.css"):
        pytest.fail("front-end assets are not built: run `make assets`")


@pytest.fixture(scope="session")
def live_server(browser_ready, tmp_path_factory):
    """The app on a random local port, over a committed SQLite file with two organisations."""
    from core.app import create_app
    from core.auth import hash_password
    from core.extensions import db
    from core.models import Membership, Organisation, User
    from core.services.plugin_state import set_plugin_state
    from core.tenancy import organisation_scope
    from core.testing import base_config, migrate

    config = base_config(f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.db'}")
    migrate(config)
    app = create_app(config)
    with app.app_context():
        org = Organisation(slug="riverside", name="Riverside Homes", settings={"feedback_period_months": 3})
        db.session.add(org)
        db.session.flush()
        admin = User(
            email="officer@riverside.example", name="Officer", password_hash=hash_password(ADMIN_PASSWORD)
        )
        db.session.add(admin)
        db.session.flush()
        db.session.add(Membership(user_id=admin.id, organisation_id=org.id, role="org_admin"))
        with organisation_scope(org.id):
            set_plugin_state(app.extensions["involve"].plugins, org, "example", enabled=True, settings={})
        _group_and_a_year_of_records(org, admin)
        db.session.commit()
    with serving(app) as url:
        yield url


def _group_and_a_year_of_records(org, admin) -> None:
    """Riverside becomes a partner of a group the officer also works for, with records for 2025-26,
    so the impact assessment and the comparison have figures, charts and suppressed small numbers."""
    from datetime import UTC, date, datetime

    from core.extensions import db
    from core.models import (
        Activity,
        Household,
        Improvement,
        Membership,
        Opportunity,
        Organisation,
        Participant,
        Participation,
        Spend,
    )
    from core.tenancy import organisation_scope

    group = Organisation(slug="riverside-group", name="Riverside Group", kind="group", settings={})
    db.session.add(group)
    db.session.flush()
    org.parent_id = group.id
    db.session.add(Membership(user_id=admin.id, organisation_id=group.id, role="staff"))
    with organisation_scope(org.id):
        db.session.add_all([Household(reference=f"R{n}") for n in range(30)])
        db.session.add(Spend(spent_on=date(2025, 6, 1), category="events", amount_pence=45000))
        db.session.add(Spend(spent_on=date(2025, 9, 1), category="training", amount_pence=12000))
        db.session.add(Improvement(title="Repairs by text message", implemented_on=date(2025, 8, 1)))
        panel = Opportunity(name="Repairs panel", level="consulted")
        board = Opportunity(name="Board", level="decision_making", formal=True)
        db.session.add_all([panel, board])
        db.session.flush()
        for opportunity, people in ((panel, 8), (board, 3)):
            meeting = Activity(
                title=opportunity.name,
                kind="meeting",
                status="held",
                starts_at=datetime(2025, 10, 1, 18, tzinfo=UTC),
                opportunity_id=opportunity.id,
            )
            db.session.add(meeting)
            db.session.flush()
            for n in range(people):
                person = Participant(first_name=f"Resident {n}", last_name=opportunity.name)
                db.session.add(person)
                db.session.flush()
                db.session.add(Participation(activity_id=meeting.id, participant_id=person.id))


@pytest.fixture(scope="session")
def browser(browser_ready):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A fresh tab; the test fails if the page broke the Content-Security-Policy (a blocked script
    or style shows up as a console error)."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    blocked: list[str] = []
    tab.on(
        "console",
        lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield tab
    context.close()
    assert blocked == [], f"the page broke the Content-Security-Policy: {blocked}"


def _org_admin(db, organisations, email) -> None:
    """A user (the shared test password) who is an org admin of each of the organisations."""
    from core.auth import hash_password
    from core.models import Membership, User

    user = User(email=email, name="Officer", password_hash=hash_password(ADMIN_PASSWORD))
    db.session.add(user)
    db.session.flush()
    for org in organisations:
        db.session.add(Membership(user_id=user.id, organisation_id=org.id, role="org_admin"))


def _tenant_settings(tenant: str, plugin: str) -> dict:
    config = tomllib.loads((ROOT / "tenants_config" / f"{tenant}.toml").read_text())
    return config["plugins"][plugin]["settings"]


@pytest.fixture(scope="module")
def anglia_server(browser_ready, tmp_path_factory):
    """Circle Anglia: a group with one partner (partner_statements on for both) that has a published
    statement, a 2025-26 self-assessment of 11.1 and one resident; one officer is an admin of both."""
    from datetime import date

    from core.app import create_app
    from core.extensions import db
    from core.models import Organisation, Participant
    from core.models.base import utcnow
    from core.services.plugin_state import set_plugin_state
    from core.tenancy import organisation_scope
    from core.testing import base_config, migrate
    from plugins.partner_statements.models import StandardAssessment, Statement

    config = base_config(f"sqlite:///{tmp_path_factory.mktemp('anglia') / 'live.db'}")
    migrate(config)
    app = create_app(config)
    with app.app_context():
        registry = app.extensions["involve"].plugins
        group = Organisation(slug="anglia", name="Anglia Group", kind="group", settings={})
        db.session.add(group)
        db.session.flush()
        partner = Organisation(slug="north", name="North Homes", parent_id=group.id, settings={})
        db.session.add(partner)
        db.session.flush()
        _org_admin(db, (group, partner), ANGLIA_EMAIL)
        for org in (group, partner):
            with organisation_scope(org.id):
                set_plugin_state(registry, org, "partner_statements", enabled=True, settings={})
        with organisation_scope(partner.id):
            db.session.add(Participant(first_name="Amira", last_name="Okafor"))
            db.session.add(
                Statement(
                    version=1,
                    status="published",
                    title="How you can get involved",
                    introduction="Your views shape our services.",
                    encouraging_involvement="Meetings, surveys and a panel.",
                    using_feedback="We reply within three months.",
                    ways_to_get_involved=["Surveys"],
                    published_at=utcnow(),
                )
            )
            db.session.add(
                StandardAssessment(
                    period="2025-26",
                    commitment_key="how_to_get_involved",
                    commitment_ref="11.1",
                    commitment_title="Clear information",
                    rating="met",
                    evidence="",
                    indicators={},
                    assessed_on=date(2025, 6, 1),
                )
            )
        db.session.commit()
    with serving(app) as url:
        yield url


def _landlord_with_plugin(tmp_path_factory, slug, name, plugin, email, plugin_demo):
    """A live server of one landlord with its core demo year and one plugin switched on with the
    settings tenants_config gives it, then the plugin's own demo (``plugin_demo(org, raw_settings)``)."""
    from core.app import create_app
    from core.demo_data import load_demo_records
    from core.extensions import db
    from core.models import Organisation
    from core.services.plugin_state import set_plugin_state
    from core.tenancy import organisation_scope
    from core.testing import base_config, migrate

    raw = _tenant_settings(slug, plugin)
    config = base_config(f"sqlite:///{tmp_path_factory.mktemp(plugin) / 'live.db'}")
    migrate(config)
    app = create_app(config)
    with app.app_context():
        org = Organisation(slug=slug, name=name, settings={"feedback_period_months": 3})
        db.session.add(org)
        db.session.flush()
        _org_admin(db, (org,), email)
        with organisation_scope(org.id):
            set_plugin_state(app.extensions["involve"].plugins, org, plugin, enabled=True, settings=raw)
        db.session.commit()
        load_demo_records(org)
        with organisation_scope(org.id):
            plugin_demo(org, raw)
        db.session.commit()
    return serving(app)


@pytest.fixture(scope="module")
def rewards_server(browser_ready, tmp_path_factory):
    """Boston Mayflower with its demo year and the Your Voice rewards scheme on, as tenants_config sets it."""
    from plugins.reward_points.demo import load_demo
    from plugins.reward_points.settings import RewardPointsSettings

    with _landlord_with_plugin(
        tmp_path_factory,
        "boston-mayflower",
        "Boston Mayflower",
        "reward_points",
        MAYFLOWER_EMAIL,
        lambda org, raw: load_demo(org, RewardPointsSettings().load(raw)),
    ) as url:
        yield url


@pytest.fixture(scope="module")
def halton_server(browser_ready, tmp_path_factory):
    """Halton Housing Trust with its demo year and street_reps on, as tenants_config sets it."""
    from plugins.street_reps.demo import load_demo
    from plugins.street_reps.schemas.settings import load_settings

    with _landlord_with_plugin(
        tmp_path_factory,
        "halton",
        "Halton Housing Trust",
        "street_reps",
        HALTON_EMAIL,
        lambda org, raw: load_demo(org, load_settings(raw)),
    ) as url:
        yield url
