"""The key_targets officer pages pass axe-core's WCAG 2.2 AA rules and work by keyboard alone."""

import pytest

from tests.browser.helpers import check_page, press_enter, sign_in, switch_on_plugin, tab_to

BASE = "/o/riverside/plugins/key_targets"


@pytest.fixture
def enabled(page, live_server):
    """Sign in and switch the plugin on for Riverside (through the admin page, as an officer would)."""
    sign_in(page, live_server)
    switch_on_plugin(page, live_server, "riverside", "Key targets")
    return live_server


@pytest.mark.parametrize("path", ["/", "/plan"])
@pytest.mark.parametrize("width", [1200, 320])
def test_key_targets_pages(page, enabled, path, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{enabled}{BASE}{path}")
    check_page(page, width, path)
    assert page.locator("table caption").count() >= 1 or path == "/plan"


def test_keyboard_reaches_the_plan_from_the_dashboard(page, enabled):
    page.goto(f"{enabled}{BASE}/")
    tab_to(page, lambda _id, text: "whole key-targets plan" in text, limit=40)
    press_enter(page)
    assert page.url == f"{enabled}{BASE}/plan"
    assert page.locator("h1").inner_text() == "Key-targets plan"
