"""Impact assessment and group comparison pages: axe-core WCAG 2.2 AA in Chromium, and keyboard use."""

import pytest

from tests.browser.test_accessibility import axe_violations, sign_in


@pytest.mark.parametrize(
    "path",
    [
        "/o/riverside/impact-assessments",
        "/o/riverside/impact-assessments/2025-26",
        "/o/riverside-group/comparison?period=2025-26",
        "/o/riverside-group/partners/riverside/impact-assessments/2025-26",
    ],
)
@pytest.mark.parametrize("width", [1200, 320])
def test_report_pages_pass_axe(page, live_server, path, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server)
    page.goto(f"{live_server}{path}")
    assert page.locator("main#main-content h1").count() == 1
    assert page.locator("svg[role=img] title").count() >= 1 or path.rsplit("/", 1)[-1] == "impact-assessments"
    assert axe_violations(page) == []


def test_assessment_contents_and_narrative_by_keyboard(page, live_server):
    sign_in(page, live_server)
    page.goto(f"{live_server}/o/riverside/impact-assessments/2025-26")
    contents = page.get_by_role("navigation", name="Sections").get_by_role(
        "link", name="Cost and value for money"
    )
    contents.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**#section-cost")
    textarea = page.locator("#narrative-cost")
    textarea.focus()
    page.keyboard.type("Spend stayed within budget.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Save narrative"
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Narrative saved.")
    assert page.locator("#narrative-cost").input_value() == "Spend stayed within budget."
    assert axe_violations(page) == []


def test_comparison_partner_link_opens_its_assessment_by_keyboard(page, live_server):
    sign_in(page, live_server)
    page.goto(f"{live_server}/o/riverside-group/comparison?period=2025-26")
    link = page.get_by_role("link", name="read the 2025-26 impact assessment")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/partners/riverside/impact-assessments/2025-26")
    assert "a partner of Riverside Group" in page.locator("main#main-content").inner_text()
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    "path",
    [
        "/o/riverside/impact-assessments/2025-26?stored=true",
        "/o/riverside-group/comparison?period=2025-26&stored=true",
    ],
)
@pytest.mark.parametrize("width", [1200, 320])
def test_stored_figures_are_refreshed_by_keyboard(page, live_server, path, width):
    """The stored figures' notice, its Refresh button (by keyboard) and the page it leads back to."""
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server)
    page.goto(f"{live_server}{path}")
    assert page.locator("#stored-figures").count() == 1
    assert axe_violations(page) == []
    button = page.get_by_role("button", name="Refresh the stored figures")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("text=being worked out again")
    assert "stored=true" in page.url
    assert "Figures as of " in page.locator("#stored-figures").inner_text()
    assert page.locator("svg[role=img] title").count() >= 1
    assert axe_violations(page) == []
