"""An officer runs a consultation by keyboard in a real browser: creates it (meeting the form's
errors first), records two responses (one from a resident found by name), writes and publishes
"you said, we did", and sees the overdue list change. axe finds no WCAG 2.2 AA problem, and no
page scrolls sideways, at 1280 and 320 px on the consultation pages and on one page each of
recommendations, action plans, spend and surveys."""

from datetime import timedelta

from core import plugin_kit
from tests.browser.helpers import WIDTHS, check_page, sign_in

ORG = "/o/riverside"


def check_here(page, name, shots=None):
    """axe and the page width at both widths, once the page a key press led to has loaded (a form
    with errors too); screenshots into ``shots`` if given."""
    check_page(page, name=name)
    if shots is not None:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


def visit(page, base, path, name, shots=None):
    page.goto(f"{base}{path}")
    check_here(page, name, shots)


def tab_until(page, element_id, most=40):
    """Tab forward to the element (staying put when the focus is already on it)."""
    for _ in range(most):
        if page.evaluate("document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    if page.evaluate("document.activeElement.id") != element_id:
        raise AssertionError(f"Tab never reached #{element_id}")


def type_date(page, prefix, day):
    """Tab to the date's day box and type day, month and year, a box each."""
    tab_until(page, f"{prefix}-day")
    for value in (day.day, day.month, day.year):
        page.keyboard.type(str(value))
        page.keyboard.press("Tab")


def follow_link(page, text):
    link = page.get_by_role("link", name=text, exact=True).first
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def test_a_consultation_from_creation_to_published_feedback(page, live_server, tmp_path):
    base = live_server
    today = plugin_kit.today()
    shots = tmp_path
    sign_in(page, base)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The overdue list before: nothing overdue yet (an empty state).
    visit(page, base, f"{ORG}/consultations?show=overdue", "overdue-empty", shots)
    assert "No consultations match." in page.content()
    visit(page, base, f"{ORG}/consultations", "list-empty")

    # Add a consultation by keyboard: first with nothing filled in (the errors), then properly.
    follow_link(page, "Add a consultation")
    page.wait_for_selector("#title")
    page.focus("#title")
    page.keyboard.press("Enter")
    page.wait_for_selector(".govuk-error-summary")
    assert page.title().startswith("Error:")
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    check_here(page, "consultation-form-errors", shots)
    page.focus("#title")
    page.keyboard.type("Communal repairs: what matters most")
    page.keyboard.press("Tab")
    page.keyboard.type("repairs")
    type_date(page, "opens_on", today - timedelta(days=150))
    type_date(page, "closes_on", today - timedelta(days=120))
    # Feedback was promised by an earlier date than the guarantee, and that date has passed.
    type_date(page, "feedback_due_on", today - timedelta(days=40))
    page.focus("#title")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    problems = page.locator(".govuk-error-summary")
    assert problems.count() == 0, problems.inner_text()
    page.wait_for_selector("text=Consultation “Communal repairs: what matters most” added.")
    assert "Feedback is overdue." in page.content()
    consultation_url = page.url
    check_here(page, "consultation", shots)

    # It is on the overdue list, with a red tag.
    visit(page, base, f"{ORG}/consultations?show=overdue", "overdue-list", shots)
    assert "Communal repairs: what matters most" in page.content()
    assert page.locator(".govuk-tag--red", has_text="Feedback overdue").count() == 1

    # Two responses: one from a resident found by name, one anonymous by post.
    page.goto(consultation_url)
    for channel, said, resident in (
        ("phone", "Fix the door entry first", "Resident 3 Repa"),
        ("post", "Lifts", None),
    ):
        follow_link(page, "Record a response")
        page.wait_for_selector("#channel")
        if resident:
            check_here(page, "response-form")  # with the type-to-find resident box
        page.focus(f"#channel{'-2' if channel == 'post' else '-3'}")
        page.keyboard.press("Space")
        assert page.is_checked(f"input[name=channel][value={channel}]")
        tab_until(page, "answer")
        page.keyboard.type(said)
        if resident:
            tab_until(page, "participant_id")
            page.keyboard.type(resident)
            page.wait_for_selector("#participant_id__listbox li")
            page.keyboard.press("ArrowDown")
            page.keyboard.press("Enter")
        tab_until(page, "answer")
        page.keyboard.press("Tab")
        tab_until(page, "comment")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_selector("text=Response recorded (it arrived after the close).")
    content = page.content()
    assert (
        "2 responses" in content
        and "Fix the door entry first" in content
        and "Resident 3 Repairs panel" in content
    )

    # Write and publish "you said, we did".
    follow_link(page, "Write the feedback")
    page.wait_for_selector("#you_said")
    check_here(page, "feedback-form")
    page.focus("#you_said")
    page.keyboard.type("Door entry systems fail too often.")
    tab_until(page, "we_did")
    page.keyboard.type("We replaced the door entry on six blocks.")
    page.keyboard.press("Tab")
    page.keyboard.type("Lifts are already on the plan for next year.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Publish the feedback"
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Feedback published.")
    assert "Feedback published on" in page.content() and "Feedback is overdue." not in page.content()
    check_here(page, "consultation-published", shots)

    # The overdue list has changed.
    visit(page, base, f"{ORG}/consultations?show=overdue", "overdue-after")
    assert "Communal repairs: what matters most" not in page.content()
    assert "No consultations match." in page.content()


def test_outcome_pages_by_keyboard_and_axe(page, live_server, tmp_path):
    base = live_server
    sign_in(page, base)
    page.set_viewport_size({"width": 1280, "height": 900})
    # An action plan, made through its form, with one item past due.
    visit(page, base, f"{ORG}/action-plans/new", "plan-form")
    page.focus("#title")
    page.keyboard.type("Resident involvement plan")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Action plan “Resident involvement plan” added.")
    follow_link(page, "Add an action")
    page.wait_for_selector("#title")
    page.focus("#title")
    page.keyboard.type("Recruit a scrutiny panel")
    page.keyboard.press("Tab")
    page.keyboard.type("Involvement team")
    type_date(page, "due_on", plugin_kit.today() - timedelta(days=7))
    page.focus("#title")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Action “Recruit a scrutiny panel” added.")
    assert page.locator(".govuk-tag--red", has_text="Past due").count() == 1
    check_here(page, "plan", tmp_path)
    visit(page, base, f"{ORG}/action-plans", "plans")

    # Spend: the seeded 2025-26 records with totals in pounds and pence; a form with errors.
    visit(page, base, f"{ORG}/spend?period=2025-26", "spend", tmp_path)
    assert "£570.00" in page.content()
    visit(page, base, f"{ORG}/spend/new", "spend-form")
    page.focus("#amount_pence")
    page.keyboard.type("12.345")
    page.keyboard.press("Enter")
    page.wait_for_selector(".govuk-error-summary")
    assert "Enter an amount in pounds and pence" in page.content()
    check_here(page, "spend-form-errors", tmp_path)

    # Recommendations and surveys: their lists (empty states) and forms.
    visit(page, base, f"{ORG}/recommendations", "recommendations")
    visit(page, base, f"{ORG}/recommendations/new", "recommendation-form")
    visit(page, base, f"{ORG}/surveys", "surveys")
    visit(page, base, f"{ORG}/surveys/new", "survey-form")
    page.focus("#title")
    page.keyboard.type("Tenant satisfaction 2026")
    tab_until(page, "questions-0-code")
    page.keyboard.type("TP06")
    tab_until(page, "questions-1-code")
    page.keyboard.type("q2")
    page.focus("#title")
    page.keyboard.press("Enter")
    page.wait_for_selector(".govuk-error-summary")
    check_here(page, "survey-form-errors", tmp_path)
    page.focus("#questions-1-code")
    page.keyboard.press("Control+A")
    page.keyboard.type("Q2")
    page.keyboard.press("Tab")
    page.keyboard.type("Were repairs done right first time?")
    page.keyboard.press("Enter")  # "Save survey" is the form's first button
    page.wait_for_selector("text=Survey “Tenant satisfaction 2026” added.")
    check_here(page, "survey", tmp_path)
    visit(page, base, f"{ORG}/improvements", "improvements")
