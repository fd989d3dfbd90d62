"""The partner statements pages pass axe-core's WCAG 2.2 AA rules and work by keyboard: the group's
oversight dashboard, a partner's page, and the residents' statement page and leaflet."""

import pytest

from tests.browser.conftest import ANGLIA_EMAIL
from tests.browser.helpers import check_page, press_enter, sign_in

YEAR = "2025-26"  # the anglia_server's partner has a self-assessment for it


@pytest.mark.parametrize(
    "path",
    [
        f"/o/anglia/plugins/partner_statements/?period={YEAR}",
        f"/o/north/plugins/partner_statements/?period={YEAR}",
        f"/o/anglia/plugins/partner_statements/partners/north/action-plan?period={YEAR}",
    ],
)
def test_staff_pages(anglia_server, page, path):
    sign_in(page, anglia_server, ANGLIA_EMAIL)
    page.goto(f"{anglia_server}{path}")
    check_page(page, 1200, path)


@pytest.mark.parametrize("path", ["/p/north/partner_statements/", "/p/north/partner_statements/leaflet"])
def test_public_statement_pages(anglia_server, page, path):
    page.goto(f"{anglia_server}{path}")
    check_page(page, 1200, path, heading="h1")  # the leaflet is a printable page of its own


def test_dashboard_period_form_works_by_keyboard(anglia_server, page):
    sign_in(page, anglia_server, ANGLIA_EMAIL)
    page.goto(f"{anglia_server}/o/anglia/plugins/partner_statements/")
    page.locator("#period").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(YEAR)
    press_enter(page)
    assert page.url.endswith(f"period={YEAR}")
    assert f"Partner oversight {YEAR}" in page.locator("h1").inner_text()
