"""Gentoo's Customer Voice year in a real browser, by keyboard where a person would use one: a
Community Engagement Forum raises a challenge (after a form with errors), the landlord's response
is recorded and the challenge closed with its outcome; a feedback item is entered for the voice
pack; Ustoo starts a scrutiny review; then the six-monthly standards report goes from draft to
presented to Board (presenting too early is refused in the API's words, every expectation is
assessed, then it is presented). A second journey plans the year's Information & Knowledge events
and starts a CHAIN project (after a form with errors). axe (WCAG 2.2 AA) and the 320 px width check
run on each kind of page: list, form with errors, detail."""

from datetime import date

import pytest

from tests.browser.helpers import (
    check_page,
    enable_plugin_by_api,
    fill_date,
    press_button,
    press_enter,
    sign_in,
    type_into,
)

BASE = "/o/riverside/plugins/customer_voice"


@pytest.fixture
def gentoo(page, live_server):
    """Customer Voice on for Riverside (through the API, as an administrator would), then sign in."""
    enable_plugin_by_api(page, live_server, "riverside", "customer_voice", {"management_area_count": 2})
    sign_in(page, live_server)
    return f"{live_server}{BASE}"


def test_a_forum_challenge_and_the_standards_report_to_board(page, gentoo):
    # The overview, then a forum's page.
    page.goto(f"{gentoo}/")
    press_enter(page, page.locator("main table a").first)
    page.wait_for_selector("h2:has-text('Challenges')")
    forum_url = page.url

    # Raise a challenge: first a form with errors.
    press_enter(page, page.get_by_role("link", name="Raise a challenge"))
    page.wait_for_selector("h1:has-text('Raise a challenge')")
    press_button(page, "Raise the challenge")
    page.wait_for_selector(".govuk-error-summary")
    assert page.title().startswith("Error:")
    check_page(page, name="cv-challenge-form-errors")
    type_into(page, "#title", "Repairs appointments are missed on the estate")
    page.select_option("#service_area", "repairs")
    type_into(page, "#detail", "Three missed appointments reported at the last meeting.")
    fill_date(page, "raised_on", date(2026, 2, 3))
    press_button(page, "Raise the challenge")
    page.wait_for_selector(".govuk-notification-banner--success")
    assert "raised." in page.content()

    # Close too early: the landlord has not responded yet.
    press_enter(page, page.get_by_role("link", name="Close with its outcome"))
    type_into(page, "#outcome", "Nothing yet")
    press_button(page, "Close the challenge")
    page.wait_for_selector(".govuk-error-summary")
    assert "A challenge is closed only after the landlord has responded to it." in page.content()
    press_enter(page, page.get_by_role("link", name="Back", exact=True))

    # Respond, then close with the outcome.
    press_enter(page, page.get_by_role("link", name="Record the response"))
    type_into(page, "#response", "Appointments now confirmed by text the day before.")
    press_button(page, "Save the response")
    page.wait_for_selector("text=Response recorded.")
    press_enter(page, page.get_by_role("link", name="Close with its outcome"))
    type_into(page, "#outcome", "Missed appointments fell from 12 to 3 a month.")
    press_button(page, "Close the challenge")
    page.wait_for_selector("text=Challenge closed.")
    assert "Missed appointments fell from 12 to 3 a month." in page.content()
    check_page(page, name="cv-challenge")
    page.goto(forum_url)
    assert "Closed" in page.content()
    check_page(page, name="cv-forum")

    # Listening feedback: enter one item, then the list.
    page.goto(f"{gentoo}/feedback")
    press_enter(page, page.get_by_role("link", name="Enter feedback"))
    page.select_option("#channel", "complaint")
    fill_date(page, "received_on", date(2026, 2, 4))
    page.select_option("#service_area", "repairs")
    page.focus("#sentiment-3")  # negative
    page.keyboard.press("Space")
    type_into(page, "#summary", "Waited in all day for a repair.")
    press_button(page, "Save feedback")
    page.wait_for_selector("text=Feedback recorded.")
    assert "Waited in all day for a repair." in page.content()
    check_page(page, name="cv-feedback-list")

    # Ustoo starts a scrutiny review (after a form with errors).
    page.goto(f"{gentoo}/reviews")
    press_enter(page, page.get_by_role("link", name="Start a review"))
    press_button(page, "Save the review")
    page.wait_for_selector(".govuk-error-summary")
    check_page(page, name="cv-review-form-errors")
    type_into(page, "#topic", "Empty homes turnaround")
    type_into(page, "#scope", "How long homes stand empty between tenancies.")
    fill_date(page, "starts_on", date(2026, 4, 1))
    press_button(page, "Save the review")
    page.wait_for_selector("text=started.")
    check_page(page, name="cv-review")
    page.goto(f"{gentoo}/reviews")
    check_page(page, name="cv-reviews-list")

    # The six-monthly standards report: start, present too early, assess every expectation, present.
    page.goto(f"{gentoo}/standards")
    check_page(page, name="cv-standards-list")
    press_button(page, "Start the report for the last finished window")
    page.wait_for_selector("text=Standards report started.")
    check_page(page, name="cv-standards-report")
    report_url = page.url
    press_enter(page, page.get_by_role("link", name="Record as presented to Board"))
    press_button(page, "Record as presented")
    page.wait_for_selector(".govuk-error-summary")
    assert "have no assessment" in page.content()
    check_page(page, name="cv-standards-present-errors")
    page.goto(report_url)
    while page.locator("main a:has-text('Assess')").count():
        press_enter(page, page.locator("main a:has-text('Assess')").first)
        page.wait_for_selector("h2:has-text('Evidence from the records')")
        page.focus("#rating")  # met
        page.keyboard.press("Space")
        type_into(page, "#commentary", "Evidence reviewed with the forums.")
        press_button(page, "Save the assessment")
        page.wait_for_selector("text=saved.")
    press_enter(page, page.get_by_role("link", name="Record as presented to Board"))
    press_button(page, "Record as presented")
    page.wait_for_selector("text=The report is recorded as presented to Board.")
    assert "Presented to Board on" in page.content()
    assert page.locator("main a:has-text('Assess')").count() == 0


def test_the_year_of_information_events_and_a_chain_project(page, gentoo):
    # Plan the year's Information & Knowledge events, then its list.
    page.goto(f"{gentoo}/information-events?year=2026-27")
    press_enter(page, page.get_by_role("link", name="Plan the year's events"))
    page.wait_for_selector("h1:has-text('Plan the year')")
    type_into(page, "#topics", "Repairs and maintenance")
    press_button(page, "Plan the events")
    page.wait_for_selector("text=event(s) planned for 2026-27.")
    assert "Repairs and maintenance" in page.content()
    check_page(page, name="cv-information-events")

    # A CHAIN project: first a form with errors, then its page.
    page.goto(f"{gentoo}/chain-projects")
    press_enter(page, page.get_by_role("link", name="Start a project"))
    page.wait_for_selector("h1:has-text('Start a project')")
    press_button(page, "Save the project")
    page.wait_for_selector(".govuk-error-summary")
    assert page.title().startswith("Error:")
    check_page(page, name="cv-project-form-errors")
    type_into(page, "#title", "Tenancy Policy refresh")
    page.focus("#scope_type-2")  # a policy
    page.keyboard.press("Space")
    type_into(page, "#scope", "Tenancy Policy")
    fill_date(page, "starts_on", date(2026, 4, 1))
    fill_date(page, "planned_end_on", date(2026, 9, 30))
    press_button(page, "Save the project")
    page.wait_for_selector("text=Project “Tenancy Policy refresh” started.")
    check_page(page, name="cv-project")
