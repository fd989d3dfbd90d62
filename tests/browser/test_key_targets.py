"""The key_targets officer pages pass axe-core's WCAG 2.2 AA rules and work by keyboard alone."""

import pytest

from tests.browser.test_accessibility import axe_violations, sign_in

BASE = "/o/riverside/plugins/key_targets"


@pytest.fixture
def enabled(page, live_server):
    """Sign in and switch the plugin on for Riverside (through the admin page, as an officer would)."""
    sign_in(page, live_server)
    page.goto(f"{live_server}/o/riverside/admin/plugins")
    switch_on = page.get_by_role("button", name="Switch on Key targets")
    if switch_on.count():
        switch_on.click()
        page.wait_for_selector("text=Key targets enabled.")
    return live_server


@pytest.mark.parametrize("path", ["/", "/plan"])
@pytest.mark.parametrize("width", [1200, 320])
def test_key_targets_pages(page, enabled, path, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{enabled}{BASE}{path}")
    assert page.locator("main#main-content h1").count() == 1
    assert page.locator("table caption").count() >= 1 or path == "/plan"
    assert axe_violations(page) == []


def test_keyboard_reaches_the_plan_from_the_dashboard(page, enabled):
    page.goto(f"{enabled}{BASE}/")
    for _ in range(40):
        page.keyboard.press("Tab")
        if "whole key-targets plan" in (page.evaluate("document.activeElement.textContent") or ""):
            break
    assert "whole key-targets plan" in page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{enabled}{BASE}/plan")
    assert page.locator("h1").inner_text() == "Key-targets plan"
