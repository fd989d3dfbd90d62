"""Halton's most important yearly process in a real browser, by keyboard where a person would use
one: put an estate walkabout on the timetable (after a form with errors), record the day it was
agreed with residents, publish it, record it as held, record an issue found, give it an action
with an owner and a due date, write and publish the outcome, and see it on the public page. Then
a street representative's patch: a household already in another patch is refused (a household
has one representative at most). axe (WCAG 2.2 AA) and the 320 px width check run on each kind
of page: list, form with errors, detail."""

import os
from datetime import date, timedelta

from tests.browser.test_accessibility import axe_violations
from tests.browser.test_street_reps import halton_server, sign_in  # noqa: F401  (the fixture)

SHOTS = os.environ.get("INVOLVE_TEST_SCREENSHOTS")


def check(page, name):
    """No sideways scrolling, one h1 and no axe violation at 1280 and 320 px."""
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
        assert page.locator("main#main-content h1").count() == 1, name
        assert axe_violations(page) == [], (name, width)
        if SHOTS:
            page.screenshot(path=os.path.join(SHOTS, f"sr-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def type_into(page, selector, text):
    page.focus(selector)
    page.keyboard.type(text)


def press(page, selector):
    page.focus(selector)
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def type_date(page, name, day):
    type_into(page, f"#{name}-day", str(day.day))
    page.keyboard.press("Tab")
    page.keyboard.type(str(day.month))
    page.keyboard.press("Tab")
    page.keyboard.type(str(day.year))


def test_a_walkabout_from_timetable_to_published_outcome(halton_server, page):  # noqa: F811
    base = f"{halton_server}/o/halton/plugins/street_reps"
    sign_in(page, halton_server)
    page.goto(f"{base}/walkabouts")
    check(page, "walkabouts-list")

    press(page, "a.govuk-button:has-text('Add a walkabout')")
    press(page, "form[method=post] button.govuk-button")
    page.wait_for_selector(".govuk-error-summary")
    assert page.title().startswith("Error:")
    check(page, "walkabout-form-errors")

    held_on = date.today() - timedelta(days=2)
    type_into(page, "#title", "Castlefields autumn walkabout")
    page.focus("#area_id")
    page.keyboard.press("ArrowDown")  # the first area
    type_date(page, "starts_at", held_on)
    type_into(page, "#start_time", "10:00")
    type_into(page, "#ends_at", "11:30")
    type_into(page, "#meeting_point", "Castlefields community centre")
    type_into(page, "#agencies", "Cheshire Police")
    type_date(page, "agreed_with_residents_on", held_on - timedelta(days=30))
    press(page, "form[method=post] button.govuk-button")
    page.wait_for_selector("text=is on the timetable (not yet published)")
    check(page, "walkabout-detail")

    press(page, "button:has-text('Publish on the timetable')")
    page.wait_for_selector("text=Walkabout published on the timetable.")
    press(page, "button:has-text('Record as held')")
    page.wait_for_selector("text=Record the issues found.")

    press(page, "a:has-text('Record an issue found')")
    type_into(page, "#location", "Alley behind 12 to 20 Ash Grove")
    page.focus("#category")
    page.keyboard.press("ArrowDown")  # litter and fly-tipping
    type_into(page, "#description", "Dumped mattress and bags")
    press(page, "form[method=post] button.govuk-button")
    page.wait_for_selector("h1:has-text('Give the issue an action')")
    page.fill("#title", "")
    type_into(page, "#title", "Remove the fly-tipping")
    press(page, "form[method=post] button.govuk-button")
    page.wait_for_selector(".govuk-error-summary")  # the owner and due date are needed
    check(page, "action-form-errors")
    type_into(page, "#owner", "Estate services")
    type_date(page, "due_on", date.today() + timedelta(days=14))
    press(page, "form[method=post] button.govuk-button")
    page.wait_for_selector("text=Action added to the area's neighbourhood action plan.")
    assert page.locator("td:has-text('Estate services')").count() == 1

    type_into(page, "#outcome_summary", "Fly-tipping behind Ash Grove to be cleared within two weeks.")
    page.focus("#publish")
    page.keyboard.press("Space")
    press(page, "button:has-text('Save outcome')")
    page.wait_for_selector("text=Outcome saved and published.")
    check(page, "walkabout-held-detail")

    press(page, "a:has-text('See the published outcome')")
    page.wait_for_selector("h2:has-text('What we found')")
    assert "Remove the fly-tipping" in page.content()
    assert "Fly-tipping behind Ash Grove to be cleared" in page.content()


def test_a_household_has_one_representative_at_most(halton_server, page):  # noqa: F811
    base = f"{halton_server}/o/halton/plugins/street_reps"
    sign_in(page, halton_server)
    page.goto(f"{base}/reps")
    check(page, "reps-list")
    patches = page.locator("td a.govuk-link").all_inner_texts()
    assert len(patches) >= 2
    page.locator("td a.govuk-link").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("h2:has-text('Households in the patch')")
    check(page, "rep-detail")
    press(page, "a.govuk-button:has-text('Add households')")
    page.select_option("#area_id", label=patches[1])
    press(page, "button:has-text('Show households')")
    taken = page.locator(f"label:has-text('already in {patches[1]}')").first
    page.focus(f"#{taken.get_attribute('for')}")
    page.keyboard.press("Space")
    press(page, "form[method=post] button.govuk-button")
    page.wait_for_selector(".govuk-error-summary")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "A household has one street representative at most" in summary
    check(page, "patch-households-errors")
    page.goto(f"{base}/views")
    check(page, "views-list")
    page.goto(f"{base}/board-pis")
    page.select_option("#period", index=1)
    press(page, "button:has-text('Show quarter')")
    assert page.locator("main#main-content h1").inner_text().startswith("Quarterly PIs to Board")


def test_grant_and_forum_budget_pages_are_accessible(halton_server, page):  # noqa: F811
    base = f"{halton_server}/o/halton/plugins/street_reps"
    sign_in(page, halton_server)
    page.goto(f"{base}/grants")
    check(page, "grants-list")
    press(page, "a.govuk-button:has-text('Record an application')")
    press(page, "form[method=post] button.govuk-button")
    page.wait_for_selector(".govuk-error-summary")
    check(page, "grant-form-errors")
    page.goto(f"{base}/grants")
    page.locator("td a.govuk-link").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("a:has-text('All grants')")
    check(page, "grant-detail")
    page.goto(f"{base}/forum/budgets")
    check(page, "budgets-list")
    page.locator("td a.govuk-link").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("h2:has-text('Allocations')")
    check(page, "budget-detail")
    press(page, "a.govuk-button:has-text('Allocate from this budget')")
    type_into(page, "#amount_pence", "99999999")
    press(page, "form[method=post] button.govuk-button")
    page.wait_for_selector(".govuk-error-summary")
    check(page, "allocation-form-errors")


def test_customer_panel_pages_are_accessible(halton_server, page):  # noqa: F811
    """The Customer Panel's waves (a list), adding a member (a form with errors, by keyboard) and a
    wave with its answers and the form to record one (a detail)."""
    base = f"{halton_server}/o/halton/plugins/street_reps"
    sign_in(page, halton_server)
    page.goto(f"{base}/panel/waves")
    page.wait_for_selector("caption:has-text('Customer Panel waves')")
    check(page, "panel-waves-list")

    page.goto(f"{base}/panel/members/new")
    press(page, "form[method=post] button.govuk-button")
    page.wait_for_selector(".govuk-error-summary")
    assert page.title().startswith("Error:")
    check(page, "panel-member-form-errors")

    page.goto(f"{base}/panel/waves")
    page.get_by_role("link", name="Repairs service").click()
    page.wait_for_selector("caption:has-text('Members asked')")
    assert page.locator("h1").inner_text() == "Repairs service"
    check(page, "panel-wave-detail")
