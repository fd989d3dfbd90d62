"""Circle Anglia's yearly round in a real browser, by keyboard: a partner rates its Customer First
commitments (after a form with errors), starts a new version of its Statement of Resident and
Service User Involvement from the published text, approves and publishes it, starts the action plan
answering the year's weaknesses (approval is refused while a weakness has no action), answers the
weakness with an action added to the core action plan and approves the plan, nominates a resident
to RASP with their consent; then the group opens its oversight dashboard, reads the partner's plan
and downloads the CSV for the Group Policy Forum while signed in. axe (WCAG 2.2 AA) and the 320 px
width check run on each kind of page: list, form with errors, detail."""

import re

from tests.browser.conftest import ANGLIA_EMAIL
from tests.browser.helpers import check_page, follow_link, press_button, press_enter, sign_in, type_into

YEAR = "2025-26"


def test_a_partners_year_statement_standard_plan_and_rasp(anglia_server, page):
    anglia = anglia_server
    sign_in(page, anglia, ANGLIA_EMAIL)
    base = f"{anglia}/o/north/plugins/partner_statements"
    page.goto(f"{base}/?period={YEAR}")
    check_page(page, name="ps-partner-overview")

    # Rate 11.3 "partly met": first without evidence (the service's words), then with it.
    follow_link(page, "Rate 11.3")
    page.focus("#rating-2")
    page.keyboard.press("Space")
    press_button(page, "Save rating")
    assert page.title().startswith("Error:")
    assert "Say what falls short when a commitment is not fully met." in page.content()
    check_page(page, name="ps-assess-errors")
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
    check_page(page, name="ps-statement-detail")
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
    check_page(page, name="ps-plan-refused")

    # Answer the weakness: add an action to the plan's core action plan from the answer form,
    # come back to it, link it with its outputs, and the plan can be approved.
    press_enter(page, page.get_by_role("link", name="Answer with an action").first)
    answer = page.url
    assert "The plan has no actions yet." in page.content()
    check_page(page, name="ps-answer-no-actions")
    press_enter(page, page.get_by_role("link", name=re.compile("^add an action to")))
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
    check_page(page, name="ps-rasp-empty")
    follow_link(page, "Nominate a resident")
    press_button(page, "Nominate")
    assert page.title().startswith("Error:")
    check_page(page, name="ps-rasp-form-errors")
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
    check_page(page, name="ps-rasp-list")

    # The group's oversight and its CSV, downloaded with the browser's session.
    page.goto(f"{anglia}/o/anglia/plugins/partner_statements/?period={YEAR}")
    assert "North Homes" in page.content()
    check_page(page, name="ps-group-oversight")
    plan_link = page.locator("a[href*='/partners/north/action-plan']")
    assert plan_link.count() == 1 and "Approved" in plan_link.inner_text()
    press_enter(page, plan_link)
    assert "Two sessions, with attendance reported to the panel" in page.content()
    check_page(page, name="ps-group-partner-plan")
    page.goto(f"{anglia}/o/anglia/plugins/partner_statements/?period={YEAR}")
    href = page.get_by_role("link", name="Download CSV for the Group Policy Forum").get_attribute("href")
    response = page.request.get(f"{anglia}{href}")
    assert response.status == 200 and response.text().startswith("rank,partner")
    assert "North Homes" in response.text()
    follow_link(page, "Customer First compliance by commitment")
    assert "Partly met" in page.content()
    check_page(page, name="ps-group-compliance")
    page.goto(f"{anglia}/o/anglia/plugins/partner_statements/panel")
    assert "Amira Okafor" in page.content()
    check_page(page, name="ps-group-panel")
    page.goto(f"{anglia}/o/anglia/plugins/partner_statements/reviews/new")
    press_button(page, "Save review")
    assert page.title().startswith("Error:")
    check_page(page, name="ps-review-form-errors")
