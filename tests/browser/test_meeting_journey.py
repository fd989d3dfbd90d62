"""An officer records a meeting by keyboard: a venue, a body, the meeting, its attendance register
(a resident found by name and a quick-created one, hours and expenses), then sees it on the
activity page and on Today. axe finds no WCAG 2.2 AA problem on each page type at 1280 and 320 px,
and no page scrolls sideways."""

from core.plugin_kit import today
from tests.browser.helpers import check_page, fill_date, follow_link, press_button, sign_in, type_into

BASE = "/o/riverside"


def test_an_officer_records_a_meeting_and_its_attendance(page, live_server):
    base = f"{live_server}{BASE}"
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server)

    # Empty states.
    page.goto(f"{base}/venues?q=no-such-venue")
    assert "No venues match" in page.content()
    check_page(page, name="venues-empty")

    # A venue: the form refuses an empty name, then saves.
    page.goto(f"{base}/venues")
    follow_link(page, "Add a venue")
    press_button(page, "Save venue")
    assert page.title().startswith("Error:")
    assert page.locator(".govuk-error-summary").is_visible()
    check_page(page, name="venue-form-errors")
    type_into(page, "#name", "Community Hall")
    type_into(page, "#address", "2 Mill Lane")
    page.focus("#features")
    page.keyboard.press("Space")  # the first feature: step-free access
    press_button(page, "Save venue")
    assert "Venue Community Hall added." in page.content() and "Step-free access" in page.content()
    check_page(page, name="venue-detail")
    page.goto(f"{base}/venues")
    check_page(page, name="venues-list")

    # A body, so the meeting is a meeting of it.
    page.goto(f"{base}/bodies/new")
    type_into(page, "#name", "Tenants' Panel")
    page.select_option("#kind", "panel")
    type_into(page, "#seats_total", "8")
    press_button(page, "Save body")
    assert "Body Tenants' Panel added." in page.content()
    check_page(page, name="body-page")

    # The meeting, today at 18:30.
    page.goto(f"{base}/activities")
    follow_link(page, "Add an activity")
    type_into(page, "#title", "Panel meeting")
    page.select_option("#kind", "meeting")
    fill_date(page, "starts_at", today())
    type_into(page, "#start_time", "18:30")
    page.select_option("#body_id", label="Tenants' Panel")
    page.select_option("#venue_id", label="Community Hall")
    press_button(page, "Save activity")
    assert "Activity Panel meeting added." in page.content()
    check_page(page, name="activity-detail")

    # The register: nobody yet; find a resident by name (accessible-autocomplete), then a new one.
    follow_link(page, "Open the attendance register")
    assert "Nobody is on the register yet" in page.content()
    check_page(page, name="register-empty")
    type_into(page, "#add-participant_id", "Resident 3 Rep")
    page.wait_for_selector("#add-participant_id__listbox li")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    press_button(page, "Add to the register")
    assert "Resident 3 Repairs panel added to the register." in page.content()
    type_into(page, "#new-first_name", "Nia")
    type_into(page, "#new-last_name", "Journey")
    press_button(page, "Add and register")
    assert "Nia Journey added as a new resident and to the register." in page.content()
    rows = page.locator("input[id^=attended_]")
    assert rows.count() == 2
    hours = page.locator("input[id^=hours_]")
    expenses = page.locator("input[id^=expenses_]")
    hours.nth(0).focus()
    page.keyboard.type("two")  # refused in the API's words, nothing saved
    press_button(page, "Save attendance")
    assert page.title().startswith("Error:") and "Not a valid number." in page.content()
    check_page(page, name="register-errors")
    hours.nth(0).fill("")
    hours.nth(0).focus()
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    page.keyboard.type("3.50")
    hours.nth(1).focus()
    page.keyboard.type("1.5")
    assert page.locator("input[id^=attended_]:checked").count() == 2
    press_button(page, "Save attendance")
    assert "Attendance saved: 2 people attended." in page.content()
    attendance = page.locator("table", has_text="Nia Journey")
    assert "£3.50" in attendance.inner_text() and "Resident 3 Repairs panel" in attendance.inner_text()
    assert expenses.count() == 0  # back on the activity page

    page.goto(f"{base}/activities")
    check_page(page, name="activities-list")

    # Today shows this week's meeting, linked to its page.
    page.goto(f"{base}/")
    week = page.locator("#today-week + ul")
    assert week.get_by_role("link", name="Panel meeting").count() == 1
    check_page(page, name="today")
