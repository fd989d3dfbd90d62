"""Halton's most important yearly process in a real browser, by keyboard where a person would use
one: put an estate walkabout on the timetable (after a form with errors), record the day it was
agreed with residents, publish it, record it as held, record an issue found, give it an action
with an owner and a due date, write and publish the outcome, and see it on the public page. Then
a street representative's patch: a household already in another patch is refused (a household
has one representative at most). axe (WCAG 2.2 AA) and the 320 px width check run on each kind
of page: list, form with errors, detail."""

from datetime import date, timedelta

from tests.browser.conftest import HALTON_EMAIL
from tests.browser.helpers import check_page, click, fill_date, press_enter, sign_in, type_into


def test_a_walkabout_from_timetable_to_published_outcome(halton_server, page):
    base = f"{halton_server}/o/halton/plugins/street_reps"
    sign_in(page, halton_server, HALTON_EMAIL)
    page.goto(f"{base}/walkabouts")
    check_page(page, name="sr-walkabouts-list")

    press_enter(page, "a.govuk-button:has-text('Add a walkabout')")
    press_enter(page, "form[method=post] button.govuk-button")
    page.wait_for_selector(".govuk-error-summary")
    assert page.title().startswith("Error:")
    check_page(page, name="sr-walkabout-form-errors")

    held_on = date.today() - timedelta(days=2)
    type_into(page, "#title", "Castlefields autumn walkabout")
    page.focus("#area_id")
    page.keyboard.press("ArrowDown")  # the first area
    fill_date(page, "starts_at", held_on)
    type_into(page, "#start_time", "10:00")
    type_into(page, "#ends_at", "11:30")
    type_into(page, "#meeting_point", "Castlefields community centre")
    type_into(page, "#agencies", "Cheshire Police")
    fill_date(page, "agreed_with_residents_on", held_on - timedelta(days=30))
    press_enter(page, "form[method=post] button.govuk-button")
    page.wait_for_selector("text=is on the timetable (not yet published)")
    check_page(page, name="sr-walkabout-detail")

    press_enter(page, "button:has-text('Publish on the timetable')")
    page.wait_for_selector("text=Walkabout published on the timetable.")
    press_enter(page, "button:has-text('Record as held')")
    page.wait_for_selector("text=Record the issues found.")

    press_enter(page, "a:has-text('Record an issue found')")
    type_into(page, "#location", "Alley behind 12 to 20 Ash Grove")
    page.focus("#category")
    page.keyboard.press("ArrowDown")  # litter and fly-tipping
    type_into(page, "#description", "Dumped mattress and bags")
    press_enter(page, "form[method=post] button.govuk-button")
    page.wait_for_selector("h1:has-text('Give the issue an action')")
    page.fill("#title", "")
    type_into(page, "#title", "Remove the fly-tipping")
    press_enter(page, "form[method=post] button.govuk-button")
    page.wait_for_selector(".govuk-error-summary")  # the owner and due date are needed
    check_page(page, name="sr-action-form-errors")
    type_into(page, "#owner", "Estate services")
    fill_date(page, "due_on", date.today() + timedelta(days=14))
    press_enter(page, "form[method=post] button.govuk-button")
    page.wait_for_selector("text=Action added to the area's neighbourhood action plan.")
    assert page.locator("td:has-text('Estate services')").count() == 1

    type_into(page, "#outcome_summary", "Fly-tipping behind Ash Grove to be cleared within two weeks.")
    page.focus("#publish")
    page.keyboard.press("Space")
    press_enter(page, "button:has-text('Save outcome')")
    page.wait_for_selector("text=Outcome saved and published.")
    check_page(page, name="sr-walkabout-held-detail")

    press_enter(page, "a:has-text('See the published outcome')")
    page.wait_for_selector("h2:has-text('What we found')")
    assert "Remove the fly-tipping" in page.content()
    assert "Fly-tipping behind Ash Grove to be cleared" in page.content()


def test_a_household_has_one_representative_at_most(halton_server, page):
    base = f"{halton_server}/o/halton/plugins/street_reps"
    sign_in(page, halton_server, HALTON_EMAIL)
    page.goto(f"{base}/reps")
    check_page(page, name="sr-reps-list")
    patches = page.locator("td a.govuk-link").all_inner_texts()
    assert len(patches) >= 2
    press_enter(page, "td a.govuk-link")
    page.wait_for_selector("h2:has-text('Households in the patch')")
    check_page(page, name="sr-rep-detail")
    press_enter(page, "a.govuk-button:has-text('Add households')")
    page.select_option("#area_id", label=patches[1])
    press_enter(page, "button:has-text('Show households')")
    taken = page.locator(f"label:has-text('already in {patches[1]}')").first
    page.focus(f"#{taken.get_attribute('for')}")
    page.keyboard.press("Space")
    press_enter(page, "form[method=post] button.govuk-button")
    page.wait_for_selector(".govuk-error-summary")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "A household has one street representative at most" in summary
    check_page(page, name="sr-patch-households-errors")
    page.goto(f"{base}/views")
    check_page(page, name="sr-views-list")
    page.goto(f"{base}/board-pis")
    page.select_option("#period", index=1)
    press_enter(page, "button:has-text('Show quarter')")
    assert page.locator("main#main-content h1").inner_text().startswith("Quarterly PIs to Board")


def test_grant_and_forum_budget_pages_are_accessible(halton_server, page):
    base = f"{halton_server}/o/halton/plugins/street_reps"
    sign_in(page, halton_server, HALTON_EMAIL)
    page.goto(f"{base}/grants")
    check_page(page, name="sr-grants-list")
    press_enter(page, "a.govuk-button:has-text('Record an application')")
    press_enter(page, "form[method=post] button.govuk-button")
    page.wait_for_selector(".govuk-error-summary")
    check_page(page, name="sr-grant-form-errors")
    page.goto(f"{base}/grants")
    press_enter(page, "td a.govuk-link")
    page.wait_for_selector("a:has-text('All grants')")
    check_page(page, name="sr-grant-detail")
    page.goto(f"{base}/forum/budgets")
    check_page(page, name="sr-budgets-list")
    press_enter(page, "td a.govuk-link")
    page.wait_for_selector("h2:has-text('Allocations')")
    check_page(page, name="sr-budget-detail")
    press_enter(page, "a.govuk-button:has-text('Allocate from this budget')")
    type_into(page, "#amount_pence", "99999999")
    press_enter(page, "form[method=post] button.govuk-button")
    page.wait_for_selector(".govuk-error-summary")
    check_page(page, name="sr-allocation-form-errors")


def test_customer_panel_pages_are_accessible(halton_server, page):
    """The Customer Panel's waves (a list), adding a member (a form with errors, by keyboard) and a
    wave with its answers and the form to record one (a detail)."""
    base = f"{halton_server}/o/halton/plugins/street_reps"
    sign_in(page, halton_server, HALTON_EMAIL)
    page.goto(f"{base}/panel/waves")
    page.wait_for_selector("caption:has-text('Customer Panel waves')")
    check_page(page, name="sr-panel-waves-list")

    page.goto(f"{base}/panel/members/new")
    press_enter(page, "form[method=post] button.govuk-button")
    page.wait_for_selector(".govuk-error-summary")
    assert page.title().startswith("Error:")
    check_page(page, name="sr-panel-member-form-errors")

    page.goto(f"{base}/panel/waves")
    click(page, page.get_by_role("link", name="Repairs service"))
    page.wait_for_selector("caption:has-text('Members asked')")
    assert page.locator("h1").inner_text() == "Repairs service"
    check_page(page, name="sr-panel-wave-detail")
