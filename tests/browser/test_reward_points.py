"""The Your Voice pages pass axe-core's WCAG 2.2 AA rules and work by keyboard alone."""

import pytest

from tests.browser.conftest import MAYFLOWER_EMAIL
from tests.browser.helpers import axe_violations, check_page, click, press_enter, sign_in, tab_to


@pytest.mark.parametrize("width", [1200, 320])
def test_scheme_page_and_a_statement_are_accessible(rewards_server, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, rewards_server, MAYFLOWER_EMAIL)
    page.goto(f"{rewards_server}/o/boston-mayflower/plugins/reward_points/")
    check_page(page, width, "scheme")
    assert page.locator("main#main-content h1").inner_text() == "Your Voice rewards"
    assert page.locator("caption", has_text="Members").count() == 1
    click(page, "table a.govuk-link")
    assert "Points statement" in page.locator("h1").inner_text()
    check_page(page, width, "statement")


def test_keyboard_reaches_a_member_statement(rewards_server, page):
    sign_in(page, rewards_server, MAYFLOWER_EMAIL)
    page.goto(f"{rewards_server}/o/boston-mayflower/plugins/reward_points/")
    first = page.locator("table a.govuk-link").first.inner_text()
    tab_to(page, lambda _id, text: text == first)
    press_enter(page)
    assert "Points statement" in page.locator("h1").inner_text()
    assert first in page.locator("h1").inner_text()


@pytest.mark.parametrize("width", [1200, 320])
def test_the_contribution_maximum_form_with_errors_is_accessible(rewards_server, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, rewards_server, MAYFLOWER_EMAIL)
    page.goto(f"{rewards_server}/o/boston-mayflower/plugins/reward_points/rules")
    assert axe_violations(page) == []
    click(page, page.get_by_role("link", name="Add a new version of a contribution maximum"))
    assert "contribution maximum" in page.locator("h1").inner_text()
    click(page, page.get_by_role("button", name="Add maximum version"))
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.title().startswith("Error:")
    check_page(page, width, "maximum-form-errors")


def test_the_catch_up_button_works_by_keyboard(rewards_server, page):
    sign_in(page, rewards_server, MAYFLOWER_EMAIL)
    page.goto(f"{rewards_server}/o/boston-mayflower/plugins/reward_points/")
    press_enter(page, page.get_by_role("button", name="Award missed points"))
    assert "Missed points are being awarded" in page.content()
    assert page.locator("main#main-content h1").inner_text() == "Your Voice rewards"
