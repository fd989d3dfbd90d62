"""Circle Anglia's yearly round in a real browser, by keyboard: a partner rates its Customer First
commitments (after a form with errors), starts a new version of its Statement of Resident and
Service User Involvement from the published text, approves and publishes it, starts the action plan
answering the year's weaknesses (approval is refused while a weakness has no action), answers the
weakness with an action added to the core action plan and approves the plan, nominates a resident
to RASP with their consent; then the group opens its oversight dashboard, reads the partner's plan
and downloads the CSV for the Group Policy Forum while signed in. axe (WCAG 2.2 AA) and the 320 px
width check run on each kind of page: list, form with errors, detail."""

import os
import re
import shutil
from pathlib import Path

import pytest

from core.testing import serving
from tests.browser.conftest import ADMIN_PASSWORD, CHROMIUM
from tests.browser.test_accessibility import axe_violations

EMAIL = "officer@anglia.example"
SHOTS = os.environ.get("INVOLVE_TEST_SCREENSHOTS")
pytestmark = pytest.mark.skipif(
    not (shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)) and not os.environ.get("CI"),
    reason=f"no Chromium at {CHROMIUM}",
)
YEAR = "2025-26"


@pytest.fixture(scope="module")
def anglia(tmp_path_factory):
    """A group with one partner: a published statement, one resident, one officer of both."""
    from core.app import create_app
    from core.auth import hash_password
    from core.extensions import db
    from core.models import Membership, Organisation, Participant, User
    from core.models.base import utcnow
    from core.services.plugin_state import set_plugin_state
    from core.tenancy import organisation_scope
    from core.testing import base_config, migrate
    from plugins.partner_statements.models import Statement

    config = base_config(f"sqlite:///{tmp_path_factory.mktemp('anglia-journey') / 'live.db'}")
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
        user = User(email=EMAIL, name="Officer", password_hash=hash_password(ADMIN_PASSWORD))
        db.session.add(user)
        db.session.flush()
        for org in (group, partner):
            db.session.add(Membership(user_id=user.id, organisation_id=org.id, role="org_admin"))
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
        db.session.commit()
    with serving(app) as url:
        yield url


def audit(page, name: str) -> None:
    """axe and the page width at 320 and 1280 px, then back to 1280."""
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} scrolls sideways"
        assert axe_violations(page) == [], f"{name} at {width} px"
        assert page.locator("main#main-content h1").count() == 1
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(SHOTS) / f"ps-{name}-{width}.png"), full_page=True)


def type_into(page, selector: str, text: str) -> None:
    page.focus(selector)
    page.keyboard.type(text)


def press_button(page, text: str) -> None:
    page.get_by_role("button", name=text).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def follow_link(page, text: str) -> None:
    page.get_by_role("link", name=text, exact=True).first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_partners_year_statement_standard_plan_and_rasp(anglia, page):
    page.goto(f"{anglia}/login")
    page.fill("#email", EMAIL)
    page.fill("#password", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{anglia}/")
    base = f"{anglia}/o/north/plugins/partner_statements"
    page.goto(f"{base}/?period={YEAR}")
    audit(page, "partner-overview")

    # Rate 11.3 "partly met": first without evidence (the service's words), then with it.
    follow_link(page, "Rate 11.3")
    page.focus("#rating-2")
    page.keyboard.press("Space")
    press_button(page, "Save rating")
    assert page.title().startswith("Error:")
    assert "Say what falls short when a commitment is not fully met." in page.content()
    audit(page, "assess-errors")
    type_into(page, "#evidence", "Only two training sessions this year.")
    press_button(page, "Save rating")
    assert "Customer First 11.3 rated partly met for 2025-26." in page.content()

    # A new statement version from the published text, approved and published.
    follow_link(page, "Start a new version")
    type_into(page, "#change_summary", "Adds the resident panel")
    page.focus("#ways_to_get_involved")
    page.keyboard.press("Control+End")
    page.keyboard.type("\nResident panel")
    press_button(page, "Save draft")
    assert "Version 2 started as a draft." in page.content()
    assert "Surveys, Resident panel" in page.content()
    audit(page, "statement-detail")
    press_button(page, "Approve version 2")
    press_button(page, "Publish version 2")
    assert "Version 2 published: residents now see it." in page.content()
    page.goto(f"{anglia}/p/north/partner_statements/")
    assert "Resident panel" in page.content()

    # The action plan answering 2025-26: the 11.3 shortfall is a weakness; approval waits for actions.
    page.goto(f"{base}/?period={YEAR}")
    follow_link(page, "Start an action plan")
    press_button(page, "Start plan")
    assert "Customer First 11.3 partly met" in page.content()
    press_button(page, "Approve the plan")
    assert "weakness(es) have no action with a timetable and outputs yet" in page.content()
    audit(page, "plan-refused")

    # Answer the weakness: add an action to the plan's core action plan from the answer form,
    # come back to it, link it with its outputs, and the plan can be approved.
    page.get_by_role("link", name="Answer with an action").first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    answer = page.url
    assert "The plan has no actions yet." in page.content()
    audit(page, "answer-no-actions")
    page.get_by_role("link", name=re.compile("^add an action to")).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    type_into(page, "#title", "Two more training sessions")
    type_into(page, "#due_on-day", "30")
    type_into(page, "#due_on-month", "9")
    type_into(page, "#due_on-year", "2026")
    press_button(page, "Save action")
    # Saved, the officer is back on the answer form, the new action ready to choose.
    assert page.url == answer
    assert "Action “Two more training sessions” added." in page.content()
    page.select_option("#action_item_id", label="Two more training sessions (due 30 September 2026)")
    type_into(page, "#outputs", "Two sessions, with attendance reported to the panel")
    press_button(page, "Link action")
    assert "Action linked to the weakness." in page.content()
    press_button(page, "Approve the plan")
    assert "Action plan answering 2025-26 approved." in page.content()

    # RASP: nominate a resident with consent (a form with errors first).
    page.goto(f"{base}/rasp")
    audit(page, "rasp-empty")
    follow_link(page, "Nominate a resident")
    press_button(page, "Nominate")
    assert page.title().startswith("Error:")
    audit(page, "rasp-form-errors")
    type_into(page, "#participant_id", "Amira")
    page.wait_for_selector("#participant_id__listbox li")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.focus("#consent_given")
    page.keyboard.press("Space")
    type_into(page, "#consent_given_on-day", "1")
    type_into(page, "#consent_given_on-month", "6")
    type_into(page, "#consent_given_on-year", "2025")
    page.focus("#consent_method")
    page.keyboard.press("Space")
    press_button(page, "Nominate")
    assert "Amira Okafor nominated to RASP." in page.content()
    audit(page, "rasp-list")

    # The group's oversight and its CSV, downloaded with the browser's session.
    page.goto(f"{anglia}/o/anglia/plugins/partner_statements/?period={YEAR}")
    assert "North Homes" in page.content()
    audit(page, "group-oversight")
    plan_link = page.locator("a[href*='/partners/north/action-plan']")
    assert plan_link.count() == 1 and "Approved" in plan_link.inner_text()
    plan_link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Two sessions, with attendance reported to the panel" in page.content()
    audit(page, "group-partner-plan")
    page.goto(f"{anglia}/o/anglia/plugins/partner_statements/?period={YEAR}")
    href = page.get_by_role("link", name="Download CSV for the Group Policy Forum").get_attribute("href")
    response = page.request.get(f"{anglia}{href}")
    assert response.status == 200 and response.text().startswith("rank,partner")
    assert "North Homes" in response.text()
    follow_link(page, "Customer First compliance by commitment")
    assert "Partly met" in page.content()
    audit(page, "group-compliance")
    page.goto(f"{anglia}/o/anglia/plugins/partner_statements/panel")
    assert "Amira Okafor" in page.content()
    audit(page, "group-panel")
    page.goto(f"{anglia}/o/anglia/plugins/partner_statements/reviews/new")
    press_button(page, "Save review")
    assert page.title().startswith("Error:")
    audit(page, "review-form-errors")
