"""Halton's street reps pages (officers' overview, Board PIs, public walkabout timetable) pass
axe-core's WCAG 2.2 AA rules and work by keyboard alone."""

import tomllib
from pathlib import Path

import pytest

from core.testing import serving
from tests.browser.conftest import ADMIN_PASSWORD
from tests.browser.test_accessibility import axe_violations

EMAIL = "officer@halton.example"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def halton_server(live_server, tmp_path_factory):
    """A live app with Halton's demo year and the street_reps plugin on, as tenants_config sets it."""
    from core.app import create_app
    from core.auth import hash_password
    from core.demo_data import load_demo_records
    from core.extensions import db
    from core.models import Membership, Organisation, User
    from core.services.plugin_state import set_plugin_state
    from core.tenancy import organisation_scope
    from core.testing import base_config, migrate
    from plugins.street_reps.demo import load_demo
    from plugins.street_reps.schemas.settings import load_settings

    raw = tomllib.loads((ROOT / "tenants_config" / "halton.toml").read_text())["plugins"]["street_reps"][
        "settings"
    ]
    config = base_config(f"sqlite:///{tmp_path_factory.mktemp('halton') / 'live.db'}")
    migrate(config)
    app = create_app(config)
    with app.app_context():
        org = Organisation(slug="halton", name="Halton Housing Trust", settings={"feedback_period_months": 3})
        db.session.add(org)
        db.session.flush()
        admin = User(email=EMAIL, name="Officer", password_hash=hash_password(ADMIN_PASSWORD))
        db.session.add(admin)
        db.session.flush()
        db.session.add(Membership(user_id=admin.id, organisation_id=org.id, role="org_admin"))
        with organisation_scope(org.id):
            set_plugin_state(
                app.extensions["involve"].plugins, org, "street_reps", enabled=True, settings=raw
            )
        db.session.commit()
        load_demo_records(org)
        with organisation_scope(org.id):
            load_demo(org, load_settings(raw))
        db.session.commit()
    with serving(app) as url:
        yield url


def sign_in(page, base):
    page.goto(f"{base}/login")
    page.fill("#email", EMAIL)
    page.fill("#password", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("width", [1200, 320])
@pytest.mark.parametrize(
    "path", ["/o/halton/plugins/street_reps/", "/o/halton/plugins/street_reps/board-pis?period=2025-26-Q1"]
)
def test_officer_pages_are_accessible(halton_server, page, width, path):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, halton_server)
    page.goto(f"{halton_server}{path}")
    assert page.locator("main#main-content h1").count() == 1
    assert page.locator("caption").count() >= 1
    assert axe_violations(page) == []


@pytest.mark.parametrize("width", [1200, 320])
def test_public_timetable_and_an_outcome_are_accessible(halton_server, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{halton_server}/p/halton/street_reps/walkabouts")
    assert page.locator("main#main-content h1").inner_text() == "Estate walkabouts"
    assert axe_violations(page) == []
    page.get_by_role("link", name="what we found and did").first.click()
    page.wait_for_selector("caption:has-text('Problems found')")
    assert axe_violations(page) == []


def test_keyboard_reaches_a_published_outcome(halton_server, page):
    page.goto(f"{halton_server}/p/halton/street_reps/walkabouts")
    target = "what we found and did"
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent").strip() == target:
            break
    assert page.evaluate("document.activeElement.textContent").strip() == target
    page.keyboard.press("Enter")
    page.wait_for_selector("h2:has-text('What we found')")


@pytest.mark.parametrize("width", [1280, 320])
def test_compliance_page_is_accessible_and_shows_the_boards_breach(halton_server, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, halton_server)
    page.goto(f"{halton_server}/o/halton/plugins/street_reps/compliance")
    assert page.locator("main#main-content h1").count() == 1
    assert page.locator(".govuk-warning-text").is_visible()
    assert page.locator("caption").count() >= 1
    assert axe_violations(page) == []
    # Wide tables scroll inside their own region; the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
