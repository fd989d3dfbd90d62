"""Every core page passes axe-core's WCAG 2.2 AA rules in Chromium, and works by keyboard alone."""

import pytest

# axe_violations and sign_in are imported from here by files not yet switched to the helpers.
from tests.browser.helpers import (
    ADMIN_PASSWORD,
    EMAIL,
    axe_violations,
    check_page,
    click,
    press_enter,
    sign_in,
    tab_to,
)


@pytest.mark.parametrize("width", [1200, 320])
def test_sign_in_page(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server}/login")
    assert page.title() == "Sign in – Involve"
    check_page(page, width, "sign-in")


def test_sign_in_page_with_errors(page, live_server):
    page.goto(f"{live_server}/login")
    click(page, "button[type=submit]")
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
    check_page(page, width, path)


def test_flash_messages_after_switching_a_plugin(page, live_server):
    sign_in(page, live_server)
    page.goto(f"{live_server}/o/riverside/admin/plugins")
    click(page, page.get_by_role("button", name="Switch off Example notes"))
    page.wait_for_selector(".govuk-notification-banner--success", state="visible")
    assert "Example notes disabled." in page.content()
    assert axe_violations(page) == []
    click(page, page.get_by_role("button", name="Switch on Example notes"))
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
    press_enter(page)
    assert page.url == f"{live_server}/"
    assert "Your organisations" in page.content()
    tab_to(page, lambda _id, text: text == "Sign out", limit=15)
    press_enter(page)
    assert page.url == f"{live_server}/login"
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
