"""Boston Mayflower's yearly Your Voice process in a real browser, by keyboard where a person would
use one: enrol a member (after a form with errors), record their attendance at a held meeting on
the register, see the points on their statement with where they came from, put a mistake right
with a correction and its reason, then preview and run the year's conversion and download the
voucher issue list. axe (WCAG 2.2 AA) and the 320 px width check run on each kind of page."""

from tests.browser.conftest import MAYFLOWER_EMAIL
from tests.browser.helpers import check_page, follow_link, press_button, press_enter, sign_in, type_into


def test_an_officer_enrols_records_attendance_and_converts_the_year(rewards_server, page):
    base = f"{rewards_server}/o/boston-mayflower/plugins/reward_points"
    sign_in(page, rewards_server, MAYFLOWER_EMAIL)
    page.goto(f"{base}/")
    check_page(page, name="rewards-scheme")
    follow_link(page, "Points rules and their versions")
    assert "In force" in page.content()
    check_page(page, name="rewards-rules")

    # A held meeting another member was at, and a resident not yet on its register.
    page.goto(f"{base}/")
    press_enter(page, page.locator("table a.govuk-link").first)
    press_enter(page, page.locator("table a.govuk-link[href*='/activities/']").first)
    follow_link(page, "Open the attendance register")
    register = page.url
    name = page.locator("select#add-participant_id-select option").nth(1).inner_text().split(" (")[0]

    # Enrol them: first a form with errors, by keyboard.
    page.goto(f"{base}/")
    follow_link(page, "Add a member")
    press_button(page, "Add member")
    assert page.title().startswith("Error:")
    check_page(page, name="rewards-join-errors")
    type_into(page, "#participant_id", name)
    page.wait_for_selector("#participant_id__listbox li")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    type_into(page, "#joined_on-day", "1")
    type_into(page, "#joined_on-month", "1")
    type_into(page, "#joined_on-year", "2024")
    press_button(page, "Add member")
    assert f"{name} joined Your Voice." in page.content()
    statement = page.url

    # Record their attendance on the register: the scheme awards the points.
    page.goto(register)
    type_into(page, "#find-resident", name)
    press_enter(page)
    type_into(page, "#add-participant_id", name)
    page.wait_for_selector("#add-participant_id__listbox li")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    press_button(page, "Add to the register")
    assert "added to the register" in page.content(), page.locator(".govuk-error-summary").inner_text()
    page.goto(statement)
    assert "Participation" in page.content()
    balance = page.locator(".govuk-summary-list__row", has_text="Balance").inner_text()
    assert "0 points" not in balance.replace("10 points", "")
    check_page(page, name="rewards-statement")

    # Put a mistake right with a correction in the ended scheme year, by keyboard.
    follow_link(page, "Award or correct points")
    press_button(page, "Record points")
    assert page.title().startswith("Error:")
    check_page(page, name="rewards-entry-errors")
    page.focus("#kind-2")  # correction
    page.keyboard.press("Space")
    type_into(page, "#points", "12")
    type_into(page, "#reason", "Missed from the June Service Voice")
    type_into(page, "#occurred_on-day", "10")
    type_into(page, "#occurred_on-month", "6")
    type_into(page, "#occurred_on-year", "2025")
    press_button(page, "Record points")
    assert "12 points recorded (correction)." in page.content()
    assert "Missed from the June Service Voice" in page.content()

    # The year's conversion: preview, run, and the voucher issue list.
    page.goto(f"{base}/conversion?year=2025-26")
    assert "What converting now would pay" in page.content()
    check_page(page, name="rewards-conversion")
    press_button(page, "Convert 2025-26 points")
    assert "The 2025-26 conversion has been started" in page.content()
    # The in-process job has run on this SQLite live server (its delivery no longer holds the
    # write lock the job needs): nothing is left to convert, and the member's voucher is listed.
    assert "No member has points from 2025-26 or earlier still to convert." in page.content()
    csv = page.request.get(f"{base}/conversion/vouchers.csv?year=2025-26")
    assert csv.status == 200 and "retailer" in csv.text() and name in csv.text()
