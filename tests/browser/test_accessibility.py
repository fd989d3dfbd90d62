"""Every core page passes axe-core's WCAG 2.2 AA rules in Chromium, and works by keyboard alone."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import ADMIN_PASSWORD

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
EMAIL = "officer@riverside.example"


def axe_violations(page) -> list:
    result = Axe().run(page, options=WCAG).response
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]


def sign_in(page, base, password=ADMIN_PASSWORD):
    page.goto(f"{base}/login")
    page.fill("#email", EMAIL)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("width", [1200, 320])
def test_sign_in_page(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server}/login")
    assert page.title() == "Sign in – Involve"
    assert axe_violations(page) == []


def test_sign_in_page_with_errors(page, live_server):
    page.goto(f"{live_server}/login")
    page.click("button[type=submit]")
    page.wait_for_selector(".govuk-error-summary")
    assert page.title().startswith("Error:")
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/o/riverside/",
        "/o/riverside/admin/plugins",
        "/o/riverside/plugins/example/",
        "/o/nowhere/",
        "/o/riverside/households",
        "/o/riverside/households/new",
    ],
)
@pytest.mark.parametrize("width", [1280, 320])
def test_signed_in_pages(page, live_server, path, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server)
    page.goto(f"{live_server}{path}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    assert page.locator("main#main-content h1").count() == 1
    assert axe_violations(page) == []


def test_flash_messages_after_switching_a_plugin(page, live_server):
    sign_in(page, live_server)
    page.goto(f"{live_server}/o/riverside/admin/plugins")
    page.get_by_role("button", name="Switch off Example notes").click()
    page.wait_for_selector(".govuk-notification-banner--success", state="visible")
    assert "Example notes disabled." in page.content()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Switch on Example notes").click()
    page.wait_for_selector("text=Example notes enabled.")


def test_keyboard_only_sign_in_and_sign_out(page, live_server):
    page.goto(f"{live_server}/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
    page.keyboard.press("Enter")
    # From the skip target, tab to the e-mail field and through the form.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "email":
            break
    assert page.evaluate("document.activeElement.id") == "email"
    page.keyboard.type(EMAIL)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type(ADMIN_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/")
    assert "Your organisations" in page.content()
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent").strip() == "Sign out":
            break
    assert page.evaluate("document.activeElement.textContent").strip() == "Sign out"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/login")
    assert "You have signed out." in page.content()


def test_focus_is_visible(page, live_server):
    page.goto(f"{live_server}/login")
    page.keyboard.press("Tab")
    outline = page.evaluate(
        "getComputedStyle(document.activeElement).outlineStyle + ' ' + "
        "getComputedStyle(document.activeElement).backgroundColor"
    )
    assert outline != "none rgba(0, 0, 0, 0)"


def test_the_api_explorer_runs_from_local_files_under_the_csp(page, live_server):
    # The page fixture fails the test if anything broke the Content-Security-Policy.
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Involve API" in page.locator(".swagger-ui .info .title").inner_text()
    page.wait_for_selector(".opblock")  # operations, read from the OpenAPI document
    assert all(url.startswith(live_server) or url.startswith("data:") for url in requests), requests
