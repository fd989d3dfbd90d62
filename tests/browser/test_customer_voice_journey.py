"""Gentoo's Customer Voice year in a real browser, by keyboard where a person would use one: a
Community Engagement Forum raises a challenge (after a form with errors), the landlord's response
is recorded and the challenge closed with its outcome; a feedback item is entered for the voice
pack; Ustoo starts a scrutiny review; then the six-monthly standards report goes from draft to
presented to Board (presenting too early is refused in the API's words, every expectation is
assessed, then it is presented). A second journey plans the year's Information & Knowledge events
and starts a CHAIN project (after a form with errors). axe (WCAG 2.2 AA) and the 320 px width check
run on each kind of page: list, form with errors, detail."""

import os

import pytest

from tests.browser.conftest import ADMIN_PASSWORD
from tests.browser.test_accessibility import EMAIL, axe_violations, sign_in

SHOTS = os.environ.get("INVOLVE_TEST_SCREENSHOTS")
BASE = "/o/riverside/plugins/customer_voice"


def check(page, name):
    """No sideways scrolling, one h1 and no axe violation at 1280 and 320 px."""
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
        assert page.locator("main#main-content h1").count() == 1, name
        assert axe_violations(page) == [], (name, width)
        if SHOTS:
            page.screenshot(path=os.path.join(SHOTS, f"cv-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def press(page, locator):
    """Move the focus to a link or button and press Enter, as a keyboard user does."""
    locator.focus()
    page.keyboard.press("Enter")


def type_into(page, selector, text):
    page.focus(selector)
    page.keyboard.type(text)


def type_date(page, name, day, month, year):
    type_into(page, f"#{name}-day", day)
    page.keyboard.press("Tab")
    page.keyboard.type(month)
    page.keyboard.press("Tab")
    page.keyboard.type(year)


@pytest.fixture
def gentoo(page, live_server):
    """Customer Voice on for Riverside (through the API, as an administrator would), then sign in."""
    token = page.request.post(
        f"{live_server}/api/v1/tokens", data={"email": EMAIL, "password": ADMIN_PASSWORD, "name": "journey"}
    ).json()["token"]
    response = page.request.put(
        f"{live_server}/api/v1/orgs/riverside/plugins/customer_voice",
        data={"enabled": True, "settings": {"management_area_count": 2}},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.ok, response.text()
    sign_in(page, live_server)
    return f"{live_server}{BASE}"


def test_a_forum_challenge_and_the_standards_report_to_board(page, gentoo):
    # The overview, then a forum's page.
    page.goto(f"{gentoo}/")
    press(page, page.locator("main table a").first)
    page.wait_for_selector("h2:has-text('Challenges')")
    forum_url = page.url

    # Raise a challenge: first a form with errors.
    press(page, page.get_by_role("link", name="Raise a challenge"))
    page.wait_for_selector("h1:has-text('Raise a challenge')")
    press(page, page.get_by_role("button", name="Raise the challenge"))
    page.wait_for_selector(".govuk-error-summary")
    assert page.title().startswith("Error:")
    check(page, "challenge-form-errors")
    type_into(page, "#title", "Repairs appointments are missed on the estate")
    page.select_option("#service_area", "repairs")
    type_into(page, "#detail", "Three missed appointments reported at the last meeting.")
    type_date(page, "raised_on", "3", "2", "2026")
    press(page, page.get_by_role("button", name="Raise the challenge"))
    page.wait_for_selector(".govuk-notification-banner--success")
    assert "raised." in page.content()

    # Close too early: the landlord has not responded yet.
    press(page, page.get_by_role("link", name="Close with its outcome"))
    type_into(page, "#outcome", "Nothing yet")
    press(page, page.get_by_role("button", name="Close the challenge"))
    page.wait_for_selector(".govuk-error-summary")
    assert "A challenge is closed only after the landlord has responded to it." in page.content()
    press(page, page.get_by_role("link", name="Back", exact=True))

    # Respond, then close with the outcome.
    press(page, page.get_by_role("link", name="Record the response"))
    type_into(page, "#response", "Appointments now confirmed by text the day before.")
    press(page, page.get_by_role("button", name="Save the response"))
    page.wait_for_selector("text=Response recorded.")
    press(page, page.get_by_role("link", name="Close with its outcome"))
    type_into(page, "#outcome", "Missed appointments fell from 12 to 3 a month.")
    press(page, page.get_by_role("button", name="Close the challenge"))
    page.wait_for_selector("text=Challenge closed.")
    assert "Missed appointments fell from 12 to 3 a month." in page.content()
    check(page, "challenge")
    page.goto(forum_url)
    assert "Closed" in page.content()
    check(page, "forum")

    # Listening feedback: enter one item, then the list.
    page.goto(f"{gentoo}/feedback")
    press(page, page.get_by_role("link", name="Enter feedback"))
    page.select_option("#channel", "complaint")
    type_date(page, "received_on", "4", "2", "2026")
    page.select_option("#service_area", "repairs")
    page.focus("#sentiment-3")  # negative
    page.keyboard.press("Space")
    type_into(page, "#summary", "Waited in all day for a repair.")
    press(page, page.get_by_role("button", name="Save feedback"))
    page.wait_for_selector("text=Feedback recorded.")
    assert "Waited in all day for a repair." in page.content()
    check(page, "feedback-list")

    # Ustoo starts a scrutiny review (after a form with errors).
    page.goto(f"{gentoo}/reviews")
    press(page, page.get_by_role("link", name="Start a review"))
    press(page, page.get_by_role("button", name="Save the review"))
    page.wait_for_selector(".govuk-error-summary")
    check(page, "review-form-errors")
    type_into(page, "#topic", "Empty homes turnaround")
    type_into(page, "#scope", "How long homes stand empty between tenancies.")
    type_date(page, "starts_on", "1", "4", "2026")
    press(page, page.get_by_role("button", name="Save the review"))
    page.wait_for_selector("text=started.")
    check(page, "review")
    page.goto(f"{gentoo}/reviews")
    check(page, "reviews-list")

    # The six-monthly standards report: start, present too early, assess every expectation, present.
    page.goto(f"{gentoo}/standards")
    check(page, "standards-list")
    press(page, page.get_by_role("button", name="Start the report for the last finished window"))
    page.wait_for_selector("text=Standards report started.")
    check(page, "standards-report")
    report_url = page.url
    press(page, page.get_by_role("link", name="Record as presented to Board"))
    press(page, page.get_by_role("button", name="Record as presented"))
    page.wait_for_selector(".govuk-error-summary")
    assert "have no assessment" in page.content()
    check(page, "standards-present-errors")
    page.goto(report_url)
    while page.locator("main a:has-text('Assess')").count():
        press(page, page.locator("main a:has-text('Assess')").first)
        page.wait_for_selector("h2:has-text('Evidence from the records')")
        page.focus("#rating")  # met
        page.keyboard.press("Space")
        type_into(page, "#commentary", "Evidence reviewed with the forums.")
        press(page, page.get_by_role("button", name="Save the assessment"))
        page.wait_for_selector("text=saved.")
    press(page, page.get_by_role("link", name="Record as presented to Board"))
    press(page, page.get_by_role("button", name="Record as presented"))
    page.wait_for_selector("text=The report is recorded as presented to Board.")
    assert "Presented to Board on" in page.content()
    assert page.locator("main a:has-text('Assess')").count() == 0


def test_the_year_of_information_events_and_a_chain_project(page, gentoo):
    # Plan the year's Information & Knowledge events, then its list.
    page.goto(f"{gentoo}/information-events?year=2026-27")
    press(page, page.get_by_role("link", name="Plan the year's events"))
    page.wait_for_selector("h1:has-text('Plan the year')")
    type_into(page, "#topics", "Repairs and maintenance")
    press(page, page.get_by_role("button", name="Plan the events"))
    page.wait_for_selector("text=event(s) planned for 2026-27.")
    assert "Repairs and maintenance" in page.content()
    check(page, "information-events")

    # A CHAIN project: first a form with errors, then its page.
    page.goto(f"{gentoo}/chain-projects")
    press(page, page.get_by_role("link", name="Start a project"))
    page.wait_for_selector("h1:has-text('Start a project')")
    press(page, page.get_by_role("button", name="Save the project"))
    page.wait_for_selector(".govuk-error-summary")
    assert page.title().startswith("Error:")
    check(page, "project-form-errors")
    type_into(page, "#title", "Tenancy Policy refresh")
    page.focus("#scope_type-2")  # a policy
    page.keyboard.press("Space")
    type_into(page, "#scope", "Tenancy Policy")
    type_date(page, "starts_on", "1", "4", "2026")
    type_date(page, "planned_end_on", "30", "9", "2026")
    press(page, page.get_by_role("button", name="Save the project"))
    page.wait_for_selector("text=Project “Tenancy Policy refresh” started.")
    check(page, "project")
