"""A live server and headless Chromium for accessibility tests (skipped without Chromium, except CI)."""

import os
import shutil

import pytest

from core.testing import serving

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
ADMIN_PASSWORD = "a browser test password"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app on a random local port, over a committed SQLite file with two organisations."""
    from core.app import create_app
    from core.auth import hash_password
    from core.extensions import db
    from core.models import Membership, Organisation, User
    from core.services.plugin_state import set_plugin_state
    from core.tenancy import organisation_scope
    from core.testing import base_config, migrate

    if not (shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required under CI ({CHROMIUM} missing)")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    if not os.path.exists("core/static/build/involve.css"):
        pytest.fail("front-end assets are not built: run `make assets`")
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
def browser():
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
