"""An officer's people journey in a real browser, by keyboard where a person would use one:
register a resident with access needs (after a form with errors), find them by name, open their
page, record equality monitoring (the page shows no answers afterwards), then a households CSV
import whose preview lists a bad row before a good file imports. axe (WCAG 2.2 AA) and the
320 px width check run on each kind of page: list, empty list, form with errors, person page,
import preview."""

from tests.browser.helpers import check_page, click, press_button, press_enter, sign_in, type_into


def test_an_officer_registers_finds_and_monitors_a_resident_then_imports_households(
    page, live_server, tmp_path
):
    base = f"{live_server}/o/riverside"
    sign_in(page, live_server)
    page.goto(f"{base}/participants")
    assert "Residents" in page.title()
    check_page(page, name="residents-list")
    page.goto(f"{base}/participants?q=nobody+like+this")
    assert "No residents found" in page.content()
    check_page(page, name="residents-empty")

    # Register a resident: first a form with errors, by keyboard.
    page.goto(f"{base}/participants/new")
    press_enter(page, "button.govuk-button")
    page.wait_for_selector(".govuk-error-summary")
    assert page.title().startswith("Error:")
    check_page(page, name="resident-form-errors")
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
    press_enter(page, "button.govuk-button")
    page.wait_for_selector(".govuk-notification-banner--success")
    assert "Maya Patel added." in page.content()
    assert "Hearing loop, Step-free access" in page.content()

    # Find them by name and open their page.
    page.goto(f"{base}/participants")
    type_into(page, "#search-q", "maya pat")
    press_enter(page)
    page.wait_for_selector("text=1 resident")
    press_enter(page, page.get_by_role("link", name="Maya Patel"))
    page.wait_for_selector("h1:has-text('Maya Patel')")
    check_page(page, name="resident-page")

    # Equality monitoring: answers saved, never shown again.
    press_enter(page, page.get_by_role("link", name="Record equality monitoring answers"))
    page.wait_for_selector("h1:has-text('Equality monitoring')")
    check_page(page, name="equality-form")
    page.focus("#age_band-3")
    page.keyboard.press("Space")
    page.focus("#religion")
    page.keyboard.press("Space")
    press_button(page, "Save answers")
    page.wait_for_selector("text=They are not shown again")
    click(page, page.get_by_role("link", name="Record equality monitoring answers"))
    page.wait_for_selector("h1:has-text('Equality monitoring')")
    assert page.locator("input[type=radio]:checked").count() == 0

    # Areas: add one by keyboard, see it in the tree; the customer profile.
    page.goto(f"{base}/areas/new")
    type_into(page, "#name", "Hill Estate")
    page.focus("#kind")
    page.keyboard.press("ArrowDown")  # a select by keyboard
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    press_button(page, "Save area")
    page.wait_for_selector("text=Area Hill Estate added.")
    assert "Estate" in page.locator("main").inner_text()
    check_page(page, name="areas-tree")
    page.goto(f"{base}/profile")
    check_page(page, name="customer-profile")

    # A households import: the preview lists the bad row; a good file imports.
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text("reference,postcode,tenure\nJ-1,LS1 1AA,general needs\nJ-2,not a postcode,castle\n")
    good.write_text("reference,postcode,tenure\nJ-1,LS1 1AA,general needs\nJ-2,LS2 2BB,sheltered\n")
    page.goto(f"{base}/households/import")
    page.set_input_files("#file", str(bad))
    press_button(page, "Check the file")
    page.wait_for_selector("text=Problems in the file")
    assert "castle" in page.content()
    check_page(page, name="import-preview-problems")
    click(page, page.get_by_role("link", name="Upload a corrected file"))
    page.set_input_files("#file", str(good))
    click(page, page.get_by_role("button", name="Check the file"))
    page.wait_for_selector("text=To add")
    check_page(page, name="import-preview")
    press_button(page, "Import households")
    page.wait_for_selector(".govuk-notification-banner--success")
    assert "good.csv imported: 2 added, 0 changed, 0 unchanged." in page.content()
