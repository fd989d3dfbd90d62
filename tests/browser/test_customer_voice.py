"""The customer_voice officer pages (overview, a forum's voice pack, standards reports) pass
axe-core's WCAG 2.2 AA rules and can be reached by keyboard alone."""

import pytest

from tests.browser.helpers import check_page, enable_plugin_by_api, press_enter, sign_in, tab_to

BASE = "/o/riverside/plugins/customer_voice"


@pytest.fixture
def enabled(page, live_server):
    """Switch Customer Voice on for Riverside with two forums (through the API), then sign in."""
    enable_plugin_by_api(page, live_server, "riverside", "customer_voice", {"management_area_count": 2})
    sign_in(page, live_server)
    return live_server


@pytest.mark.parametrize("width", [1200, 320])
def test_overview_and_standards_pages(page, enabled, width):
    page.set_viewport_size({"width": width, "height": 900})
    for path in ("/", "/standards"):
        page.goto(f"{enabled}{BASE}{path}")
        check_page(page, width, path)


def test_a_forums_voice_pack_by_keyboard(page, enabled):
    page.goto(f"{enabled}{BASE}/")
    tab_to(page, lambda _id, text: text.startswith("Voice pack"))
    press_enter(page)
    assert "/voice-pack" in page.url
    check_page(page, 1200, "voice-pack")
