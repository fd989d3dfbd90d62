"""An officer's people journey in a real browser, by keyboard where a person would use one:
register a resident with access needs (after a form with errors), find them by name, open their
page, record equality monitoring (the page shows no answers afterwards), then a households CSV
import whose preview lists a bad row before a good file imports. axe (WCAG 2.2 AA) and the
320 px width check run on each kind of page: list, empty list, form with errors, person page,
import preview."""

import os

from tests.browser.test_accessibility import axe_violations, sign_in

SHOTS = os.environ.get("INVOLVE_TEST_SCREENSHOTS")


def check(page, name):
    """No sideways scrolling, one h1 and no axe violation at 1280 and 320 px."""
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
        assert page.locator("main#main-content h1").count() == 1, name
        assert axe_violations(page) == [], (name, width)
        if SHOTS:
            page.screenshot(path=os.path.join(SHOTS, f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def type_into(page, selector, text):
    page.focus(selector)
    page.keyboard.type(text)


def test_an_officer_registers_finds_and_monitors_a_resident_then_imports_households(
    page, live_server, tmp_path
):
    base = f"{live_server}/o/riverside"
    sign_in(page, live_server)
    page.goto(f"{base}/participants")
    assert "Residents" in page.title()
    check(page, "residents-list")
    page.goto(f"{base}/participants?q=nobody+like+this")
    assert "No residents found" in page.content()
    check(page, "residents-empty")

    # Register a resident: first a form with errors, by keyboard.
    page.goto(f"{base}/participants/new")
    page.focus("button.govuk-button")
    page.keyboard.press("Enter")
    page.wait_for_selector(".govuk-error-summary")
    assert page.title().startswith("Error:")
    check(page, "resident-form-errors")
    type_into(page, "#first_name", "Maya")
    page.keyboard.press("Tab")
    page.keyboard.type("Patel")
    type_into(page, "#email", "maya@example.org")
    page.focus("#access_needs")  # hearing loop
    page.keyboard.press("Space")
    page.focus("#access_needs-5")  # step-free access
    page.keyboard.press("Space")
    page.focus("#contact_consent")
    page.keyboard.press("Space")
    page.focus("button.govuk-button")
    page.keyboard.press("Enter")
    page.wait_for_selector(".govuk-notification-banner--success")
    assert "Maya Patel added." in page.content()
    assert "Hearing loop, Step-free access" in page.content()

    # Find them by name and open their page.
    page.goto(f"{base}/participants")
    type_into(page, "#search-q", "maya pat")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=1 resident")
    page.get_by_role("link", name="Maya Patel").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Maya Patel')")
    check(page, "resident-page")

    # Equality monitoring: answers saved, never shown again.
    page.get_by_role("link", name="Record equality monitoring answers").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Equality monitoring')")
    check(page, "equality-form")
    page.focus("#age_band-3")
    page.keyboard.press("Space")
    page.focus("#religion")
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save answers").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("text=They are not shown again")
    page.get_by_role("link", name="Record equality monitoring answers").click()
    page.wait_for_selector("h1:has-text('Equality monitoring')")
    assert page.locator("input[type=radio]:checked").count() == 0

    # Areas: add one by keyboard, see it in the tree; the customer profile.
    page.goto(f"{base}/areas/new")
    type_into(page, "#name", "Hill Estate")
    page.focus("#kind")
    page.keyboard.press("ArrowDown")  # a select by keyboard
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.get_by_role("button", name="Save area").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Area Hill Estate added.")
    assert "Estate" in page.locator("main").inner_text()
    check(page, "areas-tree")
    page.goto(f"{base}/profile")
    check(page, "customer-profile")

    # A households import: the preview lists the bad row; a good file imports.
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text("reference,postcode,tenure\nJ-1,LS1 1AA,general needs\nJ-2,not a postcode,castle\n")
    good.write_text("reference,postcode,tenure\nJ-1,LS1 1AA,general needs\nJ-2,LS2 2BB,sheltered\n")
    page.goto(f"{base}/households/import")
    page.set_input_files("#file", str(bad))
    page.get_by_role("button", name="Check the file").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Problems in the file")
    assert "castle" in page.content()
    check(page, "import-preview-problems")
    page.get_by_role("link", name="Upload a corrected file").click()
    page.set_input_files("#file", str(good))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_selector("text=To add")
    check(page, "import-preview")
    page.get_by_role("button", name="Import households").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".govuk-notification-banner--success")
    assert "good.csv imported: 2 added, 0 changed, 0 unchanged." in page.content()
