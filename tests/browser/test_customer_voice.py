"""The customer_voice officer pages (overview, a forum's voice pack, standards reports) pass
axe-core's WCAG 2.2 AA rules and can be reached by keyboard alone."""

import pytest

from tests.browser.conftest import ADMIN_PASSWORD
from tests.browser.test_accessibility import EMAIL, axe_violations, sign_in

BASE = "/o/riverside/plugins/customer_voice"


@pytest.fixture
def enabled(page, live_server):
    """Switch Customer Voice on for Riverside with two forums (through the API), then sign in."""
    token = page.request.post(
        f"{live_server}/api/v1/tokens", data={"email": EMAIL, "password": ADMIN_PASSWORD, "name": "browser"}
    ).json()["token"]
    response = page.request.put(
        f"{live_server}/api/v1/orgs/riverside/plugins/customer_voice",
        data={"enabled": True, "settings": {"management_area_count": 2}},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.ok, response.text()
    sign_in(page, live_server)
    return live_server


@pytest.mark.parametrize("width", [1200, 320])
def test_overview_and_standards_pages(page, enabled, width):
    page.set_viewport_size({"width": width, "height": 900})
    for path in ("/", "/standards"):
        page.goto(f"{enabled}{BASE}{path}")
        assert page.locator("main#main-content h1").count() == 1, path
        assert axe_violations(page) == [], path


def test_a_forums_voice_pack_by_keyboard(page, enabled):
    page.goto(f"{enabled}{BASE}/")
    for _ in range(60):
        page.keyboard.press("Tab")
        if (page.evaluate("document.activeElement.textContent") or "").strip().startswith("Voice pack"):
            break
    assert page.evaluate("document.activeElement.textContent").strip().startswith("Voice pack")
    page.keyboard.press("Enter")
    page.wait_for_url("**/voice-pack*")
    assert page.locator("main#main-content h1").count() == 1
    assert axe_violations(page) == []
