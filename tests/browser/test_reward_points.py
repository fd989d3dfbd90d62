"""The Your Voice pages pass axe-core's WCAG 2.2 AA rules and work by keyboard alone."""

import tomllib
from pathlib import Path

import pytest

from core.testing import serving
from tests.browser.conftest import ADMIN_PASSWORD
from tests.browser.test_accessibility import axe_violations

EMAIL = "officer@mayflower.example"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def rewards_server(live_server, tmp_path_factory):
    """A second live app: Boston Mayflower with its demo year and the rewards scheme on."""
    from core.app import create_app
    from core.auth import hash_password
    from core.demo_data import load_demo_records
    from core.extensions import db
    from core.models import Membership, Organisation, User
    from core.services.plugin_state import set_plugin_state
    from core.tenancy import organisation_scope
    from core.testing import base_config, migrate
    from plugins.reward_points.demo import load_demo
    from plugins.reward_points.settings import RewardPointsSettings

    settings = tomllib.loads((ROOT / "tenants_config" / "boston-mayflower.toml").read_text())["plugins"][
        "reward_points"
    ]["settings"]
    config = base_config(f"sqlite:///{tmp_path_factory.mktemp('rewards') / 'live.db'}")
    migrate(config)
    app = create_app(config)
    with app.app_context():
        org = Organisation(
            slug="boston-mayflower", name="Boston Mayflower", settings={"feedback_period_months": 3}
        )
        db.session.add(org)
        db.session.flush()
        admin = User(email=EMAIL, name="Officer", password_hash=hash_password(ADMIN_PASSWORD))
        db.session.add(admin)
        db.session.flush()
        db.session.add(Membership(user_id=admin.id, organisation_id=org.id, role="org_admin"))
        with organisation_scope(org.id):
            set_plugin_state(
                app.extensions["involve"].plugins, org, "reward_points", enabled=True, settings=settings
            )
        db.session.commit()
        load_demo_records(org)
        with organisation_scope(org.id):
            load_demo(org, RewardPointsSettings().load(settings))
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
def test_scheme_page_and_a_statement_are_accessible(rewards_server, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, rewards_server)
    page.goto(f"{rewards_server}/o/boston-mayflower/plugins/reward_points/")
    assert page.locator("main#main-content h1").inner_text() == "Your Voice rewards"
    assert page.locator("caption", has_text="Members").count() == 1
    assert axe_violations(page) == []
    page.locator("table a.govuk-link").first.click()
    page.wait_for_selector("h1:has-text('Points statement')")
    assert axe_violations(page) == []


def test_keyboard_reaches_a_member_statement(rewards_server, page):
    sign_in(page, rewards_server)
    page.goto(f"{rewards_server}/o/boston-mayflower/plugins/reward_points/")
    first = page.locator("table a.govuk-link").first.inner_text()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent").strip() == first:
            break
    assert page.evaluate("document.activeElement.textContent").strip() == first
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Points statement')")
    assert first in page.locator("h1").inner_text()


@pytest.mark.parametrize("width", [1200, 320])
def test_the_contribution_maximum_form_with_errors_is_accessible(rewards_server, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, rewards_server)
    page.goto(f"{rewards_server}/o/boston-mayflower/plugins/reward_points/rules")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Add a new version of a contribution maximum").click()
    page.wait_for_selector("h1:has-text('contribution maximum')")
    page.get_by_role("button", name="Add maximum version").click()
    page.wait_for_selector(".govuk-error-summary")
    assert page.title().startswith("Error:")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_violations(page) == []


def test_the_catch_up_button_works_by_keyboard(rewards_server, page):
    sign_in(page, rewards_server)
    page.goto(f"{rewards_server}/o/boston-mayflower/plugins/reward_points/")
    page.get_by_role("button", name="Award missed points").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Missed points are being awarded" in page.content()
    assert page.locator("main#main-content h1").inner_text() == "Your Voice rewards"
