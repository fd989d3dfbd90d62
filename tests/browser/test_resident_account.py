"""Resident accounts in Chromium: a resident asks for a sign-in link, the e-mail reaches a real SMTP
server (aiosmtpd, in-process), they sign in from it and download their data; a Boston Mayflower
member chooses a charity for their Your Voice points. Every account page passes axe (WCAG 2.2 AA) at
1280 and 320 px wide and never scrolls sideways."""

import json
import re
import tomllib
from datetime import date
from pathlib import Path

import pytest

from core.testing import running_smtp_server, serving
from tests.browser.helpers import check_page, click

ROOT = Path(__file__).resolve().parents[2]
RESIDENT = "robin@harbour.example"
MEMBER = "pat@mayflower.example"


@pytest.fixture(scope="module")
def resident_server(tmp_path_factory, browser_ready):
    """An app of its own whose mail goes to an in-process SMTP server: Harbour Homes with a resident,
    Boston Mayflower with the Your Voice scheme on and a member."""
    from core.app import create_app
    from core.extensions import db
    from core.models import Organisation, Participant
    from core.services.plugin_state import set_plugin_state
    from core.tenancy import organisation_scope
    from core.testing import base_config, migrate
    from plugins.reward_points.models import RewardMember

    settings = tomllib.loads((ROOT / "tenants_config" / "boston-mayflower.toml").read_text())["plugins"][
        "reward_points"
    ]["settings"]
    with running_smtp_server() as smtp:
        config = base_config(f"sqlite:///{tmp_path_factory.mktemp('residents') / 'residents.db'}")
        migrate(config)
        app = create_app({**config, **smtp.settings})
        with app.app_context():
            harbour = Organisation(
                slug="harbour", name="Harbour Homes", settings={"feedback_period_months": 3}
            )
            boston = Organisation(
                slug="boston-mayflower", name="Boston Mayflower", settings={"feedback_period_months": 3}
            )
            db.session.add_all([harbour, boston])
            db.session.flush()
            for org, email, first in ((harbour, RESIDENT, "Robin"), (boston, MEMBER, "Pat")):
                with organisation_scope(org.id):
                    person = Participant(
                        first_name=first,
                        last_name="Resident",
                        email=email,
                        contact_consent=True,
                        consent_given_on=date(2024, 4, 1),
                        consent_method="written",
                    )
                    db.session.add(person)
                    db.session.flush()
                    if org is boston:
                        set_plugin_state(
                            app.extensions["involve"].plugins,
                            org,
                            "reward_points",
                            enabled=True,
                            settings=settings,
                        )
                        db.session.add(
                            RewardMember(
                                participant_id=person.id,
                                joined_on=date(2024, 4, 1),
                                reward_choice="shopping_voucher",
                            )
                        )
            db.session.commit()
        with serving(app) as url:
            yield url, smtp


def link_from(smtp, address) -> str:
    match = re.search(r"(http://\S+)", smtp.text_of(smtp.to(address)[-1]))
    assert match
    return match.group(1)


def sign_in_by_email(page, base, slug, email, smtp, width):
    """A resident asks for a sign-in link, opens it from the e-mail and confirms; each page is checked."""
    page.goto(f"{base}/p/{slug}/account/sign-in")
    check_page(page, width)
    page.fill("#email", email)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/p/{slug}/account/sign-in/sent")
    assert page.locator("h1").inner_text() == "Check your email"
    check_page(page, width)
    page.goto(link_from(smtp, email))
    page.wait_for_url(f"{base}/p/{slug}/account/sign-in/confirm")
    check_page(page, width)
    click(page, page.get_by_role("button", name="Sign in"))
    assert page.url == f"{base}/p/{slug}/account/"
    check_page(page, width)


@pytest.mark.parametrize("width", [1280, 320])
def test_a_resident_signs_in_by_the_emailed_link_and_downloads_their_data(page, resident_server, width):
    base, smtp = resident_server
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_by_email(page, base, "harbour", RESIDENT, smtp, width)
    assert "Signed in as Robin Resident" in page.content()
    for path in ("details", "access-needs", "activities", "responses", "withdraw-consent", "download"):
        page.goto(f"{base}/p/harbour/account/{path}")
        check_page(page, width)
    page.goto(f"{base}/p/harbour/account/details")
    page.fill("#email", "not an address")
    click(page, page.get_by_role("button", name="Save"))
    assert "Not a valid email address." in page.content()
    check_page(page, width)
    page.goto(f"{base}/p/harbour/account/download")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download your data").click()
    export = json.loads(Path(download_info.value.path()).read_text())
    assert export["participant"]["email"] == RESIDENT
    # A resident session opens no staff page.
    page.goto(f"{base}/o/harbour/")
    assert "/login" in page.url


@pytest.mark.parametrize("width", [1280, 320])
def test_a_boston_member_chooses_a_charity(page, resident_server, width):
    base, smtp = resident_server
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_by_email(page, base, "boston-mayflower", MEMBER, smtp, width)
    click(page, page.get_by_role("link", name="Your Voice points and rewards"))
    assert page.url == f"{base}/p/boston-mayflower/account/reward_points/"
    check_page(page, width)
    page.get_by_label("A shopping voucher").check()  # the module's server is shared by both widths
    click(page, page.get_by_role("button", name="Save my choice"))
    assert "Your choice has been saved." in page.content()
    page.get_by_label("A donation to charity").check()
    click(page, page.get_by_role("button", name="Save my choice"))
    assert "A donation needs a nominated charity" in page.content()
    check_page(page, width)
    page.get_by_label("A donation to charity").check()
    page.get_by_label("Boston Foodbank").check()
    click(page, page.get_by_role("button", name="Save my choice"))
    assert "Your choice has been saved." in page.content()
    assert page.get_by_label("Boston Foodbank").is_checked()
    check_page(page, width)
