"""Staff accounts in Chromium: an org admin invites a colleague by keyboard, the e-mail reaches a real
SMTP server (aiosmtpd, in-process), the colleague sets a password from its link and signs in; a
forgotten password is reset from its e-mail; every new page passes axe (WCAG 2.2 AA) at 1280 and
320 px wide and never scrolls sideways."""

import re

import pytest

from core.testing import running_smtp_server, serving
from tests.browser.conftest import ADMIN_PASSWORD
from tests.browser.test_accessibility import axe_violations

ADMIN = "admin@harbour.example"
FORGETFUL = "forgetful@harbour.example"
NEW_PASSWORD = "seven quiet harbour lights"


@pytest.fixture(scope="module")
def staff_server(tmp_path_factory, live_server):
    """An app of its own (a committed SQLite file) whose mail goes to an in-process SMTP server.

    ``live_server`` is asked for only for its checks (Chromium present, assets built)."""
    from core.app import create_app
    from core.auth import hash_password
    from core.extensions import db
    from core.models import Membership, Organisation, User
    from core.testing import base_config, migrate

    with running_smtp_server() as smtp:
        config = base_config(f"sqlite:///{tmp_path_factory.mktemp('staff') / 'staff.db'}")
        migrate(config)
        app = create_app({**config, **smtp.settings})
        with app.app_context():
            org = Organisation(slug="harbour", name="Harbour Homes", settings={"feedback_period_months": 3})
            db.session.add(org)
            db.session.flush()
            for email, name, role in (
                (ADMIN, "Ada Admin", "org_admin"),
                (FORGETFUL, "Fay Forgetful", "staff"),
            ):
                user = User(email=email, name=name, password_hash=hash_password(ADMIN_PASSWORD))
                db.session.add(user)
                db.session.flush()
                db.session.add(Membership(user_id=user.id, organisation_id=org.id, role=role))
            db.session.commit()
        with serving(app) as url:
            yield url, smtp


def sign_in(page, base, email=ADMIN, password=ADMIN_PASSWORD):
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def tab_to(page, matches, limit=40):
    """Press Tab until the focused element satisfies ``matches(id, text)``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("[document.activeElement.id, document.activeElement.textContent.trim()]")
        if matches(*focused):
            return
    pytest.fail("could not reach the element by keyboard")


def link_from(smtp, address) -> str:
    message = smtp.to(address)[-1]
    match = re.search(r"(http://\S+)", smtp.text_of(message))
    assert match
    return match.group(1)


def check_page(page, width):
    from playwright.sync_api import expect

    # After a click the next page may still be arriving: wait for it, then count.
    page.wait_for_load_state()
    expect(page.locator("main#main-content h1")).to_have_count(1)
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_an_admin_invites_a_colleague_by_keyboard_who_sets_a_password_and_signs_in(
    page, browser, staff_server
):
    base, smtp = staff_server
    sign_in(page, base)
    page.goto(f"{base}/o/harbour/admin/staff")
    tab_to(page, lambda _id, text: text == "Invite a colleague")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/o/harbour/admin/staff/invite")
    tab_to(page, lambda id_, _text: id_ == "name")
    page.keyboard.type("Cal Colleague")
    page.keyboard.press("Tab")
    page.keyboard.type("cal@harbour.example")
    page.keyboard.press("Tab")  # the first role (Viewer); arrows choose within the group
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") == "staff"
    tab_to(page, lambda _id, text: text == "Send invitation")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/o/harbour/admin/staff")
    assert "We have sent an invitation to cal@harbour.example" in page.content()
    assert "Invited" in page.locator("table").inner_text()

    link = link_from(smtp, "cal@harbour.example")
    colleague = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = colleague.new_page()
    tab.goto(link)
    assert tab.locator("h1").inner_text() == "Join Harbour Homes"
    tab_to(tab, lambda id_, _text: id_ == "password")
    tab.keyboard.type(NEW_PASSWORD)
    tab.keyboard.press("Tab")
    tab.keyboard.type(NEW_PASSWORD)
    tab.keyboard.press("Enter")
    tab.wait_for_url(f"{base}/o/harbour/")
    assert "Welcome to Harbour Homes" in tab.content()
    # Signed out and in again with the new password.
    tab.get_by_role("button", name="Sign out").click()
    sign_in(tab, base, "cal@harbour.example", NEW_PASSWORD)
    assert "Harbour Homes" in tab.content()
    colleague.close()
    page.goto(f"{base}/o/harbour/admin/staff")
    assert "Active" in page.locator("table").get_by_role("row", name=re.compile("Cal Colleague")).inner_text()


def test_a_forgotten_password_is_reset_from_the_email(page, staff_server):
    base, smtp = staff_server
    page.goto(f"{base}/login")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.fill("#email", FORGETFUL)
    page.get_by_role("button", name="Send me a link").click()
    page.wait_for_url(f"{base}/password/sent")
    link = link_from(smtp, FORGETFUL)
    page.goto(link)
    page.fill("#password", NEW_PASSWORD)
    page.fill("#confirm", NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    page.wait_for_url(f"{base}/")
    assert "Your password has been changed" in page.content()
    page.goto(link)
    assert page.locator("h1").inner_text() == "This link cannot be used"


@pytest.mark.parametrize("width", [1280, 320])
def test_every_staff_page_passes_axe_and_fits_the_screen(page, staff_server, width):
    base, smtp = staff_server
    page.set_viewport_size({"width": width, "height": 900})
    # Pages for anyone: forgotten password (empty, with errors), link sent, a used-up link.
    page.goto(f"{base}/password/forgot")
    check_page(page, width)
    page.fill("#email", "not an address")
    page.get_by_role("button", name="Send me a link").click()
    page.wait_for_selector(".govuk-error-summary")
    assert page.title().startswith("Error:")
    check_page(page, width)
    page.fill("#email", ADMIN)
    page.get_by_role("button", name="Send me a link").click()
    page.wait_for_url(f"{base}/password/sent")
    check_page(page, width)
    reset_link = link_from(smtp, ADMIN)
    page.goto(reset_link)
    check_page(page, width)
    page.get_by_role("button", name="Change password").click()
    page.wait_for_selector(".govuk-error-summary")
    check_page(page, width)
    page.goto(f"{base}/password/reset/no-such-link")
    check_page(page, width)

    # An admin's pages: the list, the invitation form empty and with errors, a member, deactivation.
    sign_in(page, base)
    page.goto(f"{base}/o/harbour/admin/staff")
    check_page(page, width)
    page.goto(f"{base}/o/harbour/admin/staff/invite")
    check_page(page, width)
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_selector(".govuk-error-summary")
    assert page.title().startswith("Error:")
    check_page(page, width)
    page.fill("#name", f"Someone {width}")
    page.fill("#email", f"someone-{width}@harbour.example")
    page.check("#role-2")
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_url(f"{base}/o/harbour/admin/staff")
    check_page(page, width)
    page.get_by_role("link", name="Fay Forgetful").click()
    page.wait_for_url(re.compile(r".*/admin/staff/\d+$"))
    check_page(page, width)
    page.get_by_role("button", name="Deactivate account").click()
    page.wait_for_url(re.compile(r".*/admin/staff/\d+/deactivate$"))
    page.wait_for_selector("main#main-content h1")
    check_page(page, width)

    # The invitation page, opened signed out.
    page.get_by_role("button", name="Sign out").click()
    page.goto(link_from(smtp, f"someone-{width}@harbour.example"))
    check_page(page, width)
    page.get_by_role("button", name="Set password and sign in").click()
    page.wait_for_selector(".govuk-error-summary")
    check_page(page, width)
