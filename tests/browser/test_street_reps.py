"""Halton's street reps pages (officers' overview, Board PIs, public walkabout timetable) pass
axe-core's WCAG 2.2 AA rules and work by keyboard alone."""

import pytest

from tests.browser.conftest import HALTON_EMAIL
from tests.browser.helpers import check_page, click, press_enter, sign_in, tab_to


@pytest.mark.parametrize("width", [1200, 320])
@pytest.mark.parametrize(
    "path", ["/o/halton/plugins/street_reps/", "/o/halton/plugins/street_reps/board-pis?period=2025-26-Q1"]
)
def test_officer_pages_are_accessible(halton_server, page, width, path):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, halton_server, HALTON_EMAIL)
    page.goto(f"{halton_server}{path}")
    check_page(page, width, path)
    assert page.locator("caption").count() >= 1


@pytest.mark.parametrize("width", [1200, 320])
def test_public_timetable_and_an_outcome_are_accessible(halton_server, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{halton_server}/p/halton/street_reps/walkabouts")
    check_page(page, width, "walkabouts")
    assert page.locator("main#main-content h1").inner_text() == "Estate walkabouts"
    click(page, page.get_by_role("link", name="what we found and did").first)
    assert page.locator("caption", has_text="Problems found").count() == 1
    check_page(page, width, "walkabout-outcome")


def test_keyboard_reaches_a_published_outcome(halton_server, page):
    page.goto(f"{halton_server}/p/halton/street_reps/walkabouts")
    target = "what we found and did"
    tab_to(page, lambda _id, text: text == target, limit=80)
    press_enter(page)
    page.wait_for_selector("h2:has-text('What we found')")


@pytest.mark.parametrize("width", [1280, 320])
def test_compliance_page_is_accessible_and_shows_the_boards_breach(halton_server, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, halton_server, HALTON_EMAIL)
    page.goto(f"{halton_server}/o/halton/plugins/street_reps/compliance")
    # Wide tables scroll inside their own region; the page itself never scrolls sideways.
    check_page(page, width, "compliance")
    assert page.locator(".govuk-warning-text").is_visible()
    assert page.locator("caption").count() >= 1
