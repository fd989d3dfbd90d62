"""The partner statements pages pass axe-core's WCAG 2.2 AA rules and work by keyboard: the group's
oversight dashboard, a partner's page, and the residents' statement page and leaflet."""

import os
import shutil

import pytest

from core.testing import serving
from tests.browser.conftest import ADMIN_PASSWORD, CHROMIUM
from tests.browser.test_accessibility import axe_violations

EMAIL = "head@anglia.example"
# Skip before the session's browser is launched (CI always has Chromium and must run these).
pytestmark = pytest.mark.skipif(
    not (shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)) and not os.environ.get("CI"),
    reason=f"no Chromium at {CHROMIUM}",
)
YEAR = "2025-26"


@pytest.fixture(scope="module")
def anglia_server(tmp_path_factory):
    """A group with one partner that has a published statement and a self-assessment."""
    from datetime import date

    from core.app import create_app
    from core.auth import hash_password
    from core.extensions import db
    from core.models import Membership, Organisation, User
    from core.models.base import utcnow
    from core.services.plugin_state import set_plugin_state
    from core.tenancy import organisation_scope
    from core.testing import base_config, migrate
    from plugins.partner_statements.models import StandardAssessment, Statement

    if not (shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required under CI ({CHROMIUM} missing)")
        pytest.skip(f"no Chromium at {CHROMIUM}")
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
        user = User(email=EMAIL, name="Head", password_hash=hash_password(ADMIN_PASSWORD))
        db.session.add(user)
        db.session.flush()
        for org in (group, partner):
            db.session.add(Membership(user_id=user.id, organisation_id=org.id, role="org_admin"))
            with organisation_scope(org.id):
                set_plugin_state(registry, org, "partner_statements", enabled=True, settings={})
        with organisation_scope(partner.id):
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
                    period=YEAR,
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


def sign_in(page, base):
    page.goto(f"{base}/login")
    page.fill("#email", EMAIL)
    page.fill("#password", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize(
    "path",
    [
        f"/o/anglia/plugins/partner_statements/?period={YEAR}",
        f"/o/north/plugins/partner_statements/?period={YEAR}",
        f"/o/anglia/plugins/partner_statements/partners/north/action-plan?period={YEAR}",
    ],
)
def test_staff_pages(anglia_server, page, path):
    sign_in(page, anglia_server)
    page.goto(f"{anglia_server}{path}")
    assert page.locator("main#main-content h1").count() == 1
    assert axe_violations(page) == []


@pytest.mark.parametrize("path", ["/p/north/partner_statements/", "/p/north/partner_statements/leaflet"])
def test_public_statement_pages(anglia_server, page, path):
    page.goto(f"{anglia_server}{path}")
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []


def test_dashboard_period_form_works_by_keyboard(anglia_server, page):
    sign_in(page, anglia_server)
    page.goto(f"{anglia_server}/o/anglia/plugins/partner_statements/")
    page.locator("#period").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(YEAR)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**period={YEAR}")
    assert f"Partner oversight {YEAR}" in page.locator("h1").inner_text()
