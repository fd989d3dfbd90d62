"""The browser tests' shared helpers: one way to check a page, to move between pages (waiting for the
page a key press or click leads to, so a test never reads the page it is leaving) and to sign in."""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, expect

ADMIN_PASSWORD = "a browser test password"
EMAIL = "officer@riverside.example"  # the org admin of the shared live server
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
SHOTS = os.environ.get("INVOLVE_TEST_SCREENSHOTS")  # a folder to keep screenshots in, to look at them
WIDTHS = (320, 1280)


def axe_violations(page) -> list:
    """axe-core's WCAG 2.2 AA violations on the page as (rule, help, targets)."""
    result = Axe().run(page, options=WCAG).response
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]


def check_page(page, width: int | None = None, name: str = "", heading: str = "main#main-content h1") -> None:
    """The page has loaded, has exactly one h1 in its main content, no axe violation and no sideways
    scrolling. With ``width`` the page is checked at the viewport the test has set (that wide);
    without it, at 320 and then 1280 px, and the viewport is left at 1280 px. ``heading`` is for a
    page without the site's layout (a printable leaflet): where its one h1 is."""
    page.wait_for_load_state()
    for each in [width] if width else WIDTHS:
        if not width:
            page.set_viewport_size({"width": each, "height": 900})
        label = f"{name or page.url} at {each} px"
        expect(page.locator(heading), label).to_have_count(1)
        assert page.evaluate("document.documentElement.scrollWidth") <= each, f"{label} scrolls sideways"
        violations = axe_violations(page)
        assert violations == [], f"{label}: {violations}"
        if SHOTS and name:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(SHOTS) / f"{name}-{each}.png"), full_page=True)


def _locate(page, target) -> Locator:
    return page.locator(target).first if isinstance(target, str) else target


def press_enter(page, target: Locator | str | None = None) -> None:
    """Move the focus to a link or button (a locator or CSS selector; the first match) and press Enter,
    as a keyboard user does; without a target, press Enter where the focus already is. Returns once
    the page it leads to has loaded (a form sent back with errors is a new page too)."""
    if target is not None:
        _locate(page, target).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def press_button(page, name: str) -> None:
    """Press Enter on the button with this accessible name and wait for the page it leads to."""
    press_enter(page, page.get_by_role("button", name=name))


def follow_link(page, name: str, exact: bool = True) -> None:
    """Press Enter on the (first) link with this accessible name and wait for the page it leads to."""
    press_enter(page, page.get_by_role("link", name=name, exact=exact).first)


def click(page, target: Locator | str) -> None:
    """Click a link or button with the mouse and wait for the page it leads to."""
    with page.expect_navigation():
        _locate(page, target).click()


def type_into(page, selector: str, text: str) -> None:
    """Focus a field and type into it key by key."""
    page.focus(selector)
    page.keyboard.type(text)


def fill_date(page, prefix: str, day) -> None:
    """Type a date into a GOV.UK date input (day, Tab, month, Tab, year)."""
    type_into(page, f"#{prefix}-day", str(day.day))
    page.keyboard.press("Tab")
    page.keyboard.type(str(day.month))
    page.keyboard.press("Tab")
    page.keyboard.type(str(day.year))


def focused(page) -> tuple[str, str]:
    """The id and trimmed text of the element that has the focus."""
    element = "document.activeElement"
    return tuple(page.evaluate(f"[{element}.id, ({element}.textContent || '').trim()]"))


def tab_to(page, matches, limit: int = 60) -> None:
    """Press Tab until the focused element satisfies ``matches(id, text)``; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if matches(*focused(page)):
            return
    pytest.fail(f"could not reach the element by keyboard (the focus is on {focused(page)})")


def sign_in(page, base: str, email: str = EMAIL, password: str = ADMIN_PASSWORD) -> None:
    """Sign in as a member of staff; returns on the page after signing in."""
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def enable_plugin_by_api(page, base: str, org: str, plugin: str, settings: dict, email: str = EMAIL) -> None:
    """Switch a plugin on for an organisation through the API, as an administrator's script would."""
    token = page.request.post(
        f"{base}/api/v1/tokens", data={"email": email, "password": ADMIN_PASSWORD, "name": "browser"}
    ).json()["token"]
    response = page.request.put(
        f"{base}/api/v1/orgs/{org}/plugins/{plugin}",
        data={"enabled": True, "settings": settings},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.ok, response.text()


def switch_on_plugin(page, base: str, org: str, title: str) -> None:
    """Switch a plugin on from the organisation's plugins page, unless it is on already."""
    page.goto(f"{base}/o/{org}/admin/plugins")
    switch_on = page.get_by_role("button", name=f"Switch on {title}")
    if switch_on.count():
        click(page, switch_on)
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"{title} enabled.")
