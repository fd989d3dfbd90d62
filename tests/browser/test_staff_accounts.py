"""Staff accounts in Chromium: an org admin invites a colleague by keyboard, the e-mail reaches a real
SMTP server (aiosmtpd, in-process), the colleague sets a password from its link and signs in; a
forgotten password is reset from its e-mail; every new page passes axe (WCAG 2.2 AA) at 1280 and
320 px wide and never scrolls sideways."""

import re

import pytest

from core.testing import running_smtp_server, serving
from tests.browser.helpers import ADMIN_PASSWORD, check_page, click, press_enter, sign_in, tab_to

ADMIN = "admin@harbour.example"
FORGETFUL = "forgetful@harbour.example"
NEW_PASSWORD = "seven quiet harbour lights"


@pytest.fixture(scope="module")
def staff_server(tmp_path_factory, browser_ready):
    """An app of its own (a committed SQLite file) whose mail goes to an in-process SMTP server."""
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


def link_from(smtp, address) -> str:
    message = smtp.to(address)[-1]
    match = re.search(r"(http://\S+)", smtp.text_of(message))
    assert match
    return match.group(1)


def test_an_admin_invites_a_colleague_by_keyboard_who_sets_a_password_and_signs_in(
    page, browser, staff_server
):
    base, smtp = staff_server
    sign_in(page, base, ADMIN)
    page.goto(f"{base}/o/harbour/admin/staff")
    tab_to(page, lambda _id, text: text == "Invite a colleague")
    press_enter(page)
    assert page.url == f"{base}/o/harbour/admin/staff/invite"
    tab_to(page, lambda id_, _text: id_ == "name")
    page.keyboard.type("Cal Colleague")
    page.keyboard.press("Tab")
    page.keyboard.type("cal@harbour.example")
    page.keyboard.press("Tab")  # the first role (Viewer); arrows choose within the group
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") == "staff"
    tab_to(page, lambda _id, text: text == "Send invitation")
    press_enter(page)
    assert page.url == f"{base}/o/harbour/admin/staff"
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
    press_enter(tab)
    assert tab.url == f"{base}/o/harbour/"
    assert "Welcome to Harbour Homes" in tab.content()
    # Signed out and in again with the new password.
    click(tab, tab.get_by_role("button", name="Sign out"))
    sign_in(tab, base, "cal@harbour.example", NEW_PASSWORD)
    assert "Harbour Homes" in tab.content()
    colleague.close()
    page.goto(f"{base}/o/harbour/admin/staff")
    assert "Active" in page.locator("table").get_by_role("row", name=re.compile("Cal Colleague")).inner_text()


def test_a_forgotten_password_is_reset_from_the_email(page, staff_server):
    base, smtp = staff_server
    page.goto(f"{base}/login")
    click(page, page.get_by_role("link", name="Forgotten your password?"))
    page.fill("#email", FORGETFUL)
    page.get_by_role("button", name="Send me a link").click()
    page.wait_for_url(f"{base}/password/sent")
    link = link_from(smtp, FORGETFUL)
    page.goto(link)
    page.fill("#password", NEW_PASSWORD)
    page.fill("#confirm", NEW_PASSWORD)
    click(page, page.get_by_role("button", name="Change password"))
    assert page.url == f"{base}/"
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
    click(page, page.get_by_role("button", name="Send me a link"))
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.title().startswith("Error:")
    check_page(page, width)
    page.fill("#email", ADMIN)
    page.get_by_role("button", name="Send me a link").click()
    page.wait_for_url(f"{base}/password/sent")
    check_page(page, width)
    reset_link = link_from(smtp, ADMIN)
    page.goto(reset_link)
    check_page(page, width)
    click(page, page.get_by_role("button", name="Change password"))
    assert page.locator(".govuk-error-summary").is_visible()
    check_page(page, width)
    page.goto(f"{base}/password/reset/no-such-link")
    check_page(page, width)

    # An admin's pages: the list, the invitation form empty and with errors, a member, deactivation.
    sign_in(page, base, ADMIN)
    page.goto(f"{base}/o/harbour/admin/staff")
    check_page(page, width)
    page.goto(f"{base}/o/harbour/admin/staff/invite")
    check_page(page, width)
    click(page, page.get_by_role("button", name="Send invitation"))
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.title().startswith("Error:")
    check_page(page, width)
    page.fill("#name", f"Someone {width}")
    page.fill("#email", f"someone-{width}@harbour.example")
    page.check("#role-2")
    click(page, page.get_by_role("button", name="Send invitation"))
    assert page.url == f"{base}/o/harbour/admin/staff"
    check_page(page, width)
    click(page, page.get_by_role("link", name="Fay Forgetful"))
    assert re.search(r"/admin/staff/\d+$", page.url)
    check_page(page, width)
    click(page, page.get_by_role("button", name="Deactivate account"))
    assert re.search(r"/admin/staff/\d+/deactivate$", page.url)
    check_page(page, width)

    # The invitation page, opened signed out.
    click(page, page.get_by_role("button", name="Sign out"))
    page.goto(link_from(smtp, f"someone-{width}@harbour.example"))
    check_page(page, width)
    click(page, page.get_by_role("button", name="Set password and sign in"))
    assert page.locator(".govuk-error-summary").is_visible()
    check_page(page, width)
