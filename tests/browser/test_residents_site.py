"""The residents' site in a real browser: every public page passes axe-core's WCAG 2.2 AA rules at
1280 px and 320 px without scrolling sideways; a resident finds an open consultation from the
landlord's home page and answers it by keyboard alone, and the answer reaches the staff API; a
resident asks to get involved and a member of staff confirms them."""

from datetime import UTC, date, datetime, timedelta

import pytest

from core.testing import serving
from tests.browser.conftest import ADMIN_PASSWORD
from tests.browser.test_accessibility import axe_violations

EMAIL = "officer@riverbank.example"
TODAY = date.today()
YEAR = "2025-26"


@pytest.fixture(scope="module")
def residents_server(tmp_path_factory):
    """A landlord (Riverbank, a partner of a group) with an open consultation, published feedback,
        a public event, a published impact assessment (easy-read versions of it and of the consultation,
    feedback about one area) and an officer with an API token."""
    from core.app import create_app
    from core.auth import create_api_token, hash_password
    from core.demo_data import load_demo_records
    from core.extensions import db
    from core.models import (
        Activity,
        Area,
        Consultation,
        ConsultationFeedback,
        Membership,
        Organisation,
        User,
        Venue,
    )
    from core.periods import Period
    from core.services import impact_assessments
    from core.tenancy import organisation_scope
    from core.testing import base_config, migrate

    config = base_config(f"sqlite:///{tmp_path_factory.mktemp('residents') / 'live.db'}")
    migrate(config)
    app = create_app(config)
    app.config["PUBLIC_FORM_MIN_SECONDS"] = 1
    with app.app_context():
        group = Organisation(slug="river-group", name="River Group", kind="group", settings={})
        db.session.add(group)
        db.session.flush()
        org = Organisation(
            slug="riverbank",
            name="Riverbank Homes",
            parent_id=group.id,
            settings={
                "feedback_period_months": 3,
                "kpi_targets": {"feedback_on_time": 90},
                "public": {
                    "display_name": "Riverbank Homes",
                    "brand_colour": "#005ea5",
                    "contact_phone": "0100 000 000",
                    "contact_email": "involve@riverbank.example",
                    "contact_address": ["1 River Street", "Riverton", "RV1 1AA"],
                },
            },
        )
        db.session.add(org)
        db.session.flush()
        officer = User(email=EMAIL, name="Officer", password_hash=hash_password(ADMIN_PASSWORD))
        db.session.add(officer)
        db.session.flush()
        db.session.add(Membership(user_id=officer.id, organisation_id=org.id, role="org_admin"))
        _token, secret = create_api_token(officer, "browser test")
        db.session.commit()
        load_demo_records(org)
        with organisation_scope(org.id):
            estate = Area(name="Riverside and Old Mill Lane estate", kind="estate")
            db.session.add(estate)
            db.session.flush()
            consultation = Consultation(
                easy_read_url="https://riverbank.example/consultations/easy-read/bin-stores-on-the-estate.pdf",
                easy_read_description="PDF, 6 pages",
                title="Bin stores on the estate",
                topic="estates",
                opens_on=TODAY - timedelta(days=3),
                closes_on=TODAY + timedelta(days=25),
                feedback_due_on=TODAY + timedelta(days=120),
                description="Where should the new bin stores go?",
            )
            closed = Consultation(
                area_id=estate.id,
                title="Repairs appointments",
                topic="repairs",
                opens_on=TODAY - timedelta(days=100),
                closes_on=TODAY - timedelta(days=70),
                feedback_due_on=TODAY + timedelta(days=20),
            )
            db.session.add_all([consultation, closed])
            db.session.flush()
            db.session.add(
                ConsultationFeedback(
                    consultation_id=closed.id,
                    you_said="Appointments in the evening",
                    we_did="Repairs now run until 8pm on weekdays",
                    published_on=TODAY - timedelta(days=1),
                )
            )
            venue = Venue(name="Riverside community hall", features=["step_free_access", "hearing_loop"])
            db.session.add(venue)
            db.session.flush()
            event = Activity(
                title="Summer fun day",
                kind="event",
                starts_at=datetime.now(UTC) + timedelta(days=10),
                venue_id=venue.id,
                is_public=True,
            )
            db.session.add(event)
            db.session.flush()
            impact_assessments.publish(org, Period.parse(YEAR), officer.id)
            impact_assessments.set_easy_read(
                Period.parse(YEAR),
                {
                    "easy_read_url": "https://riverbank.example/reports/easy-read-impact-assessment-2025-26.pdf"
                },
            )
            db.session.commit()
            ids = {"consultation": consultation.id, "event": event.id, "area": estate.id}
    with serving(app) as url:
        yield {"url": url, "token": secret, **ids}


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


PAGES = [
    "/p/riverbank/",
    "/p/riverbank/consultations",
    "/p/riverbank/consultations/{consultation}",
    "/p/riverbank/you-said-we-did",
    "/p/riverbank/you-said-we-did?topic=repairs",
    "/p/riverbank/you-said-we-did?topic=repairs&area={area}",
    "/p/riverbank/events",
    "/p/riverbank/events/{event}",
    "/p/riverbank/get-involved",
    "/p/riverbank/reports",
    f"/p/riverbank/reports/{YEAR}",  # wide tables scroll in their own regions
    "/p/riverbank/how-we-are-doing",
    "/p/riverbank/?lang=cy",
    "/p/riverbank/?text=large",
    "/p/river-group/",
]


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("path", PAGES)
def test_every_public_page_is_accessible_and_fits(residents_server, page, width, path):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(residents_server["url"] + path.format(**residents_server))
    assert page.locator("main#main-content h1").count() == 1
    assert axe_violations(page) == []
    assert no_sideways_scroll(page), path


@pytest.mark.parametrize("width", [1280, 320])
def test_form_errors_are_accessible(residents_server, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{residents_server['url']}/p/riverbank/get-involved")
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="Send").click()
    page.wait_for_selector(".govuk-error-summary")
    assert page.title().startswith("Error:")
    assert axe_violations(page) == []
    assert no_sideways_scroll(page)


def tab_to(page, text: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent").strip() == text:
            return
    raise AssertionError(f"could not reach {text!r} by keyboard")


def test_a_resident_answers_a_consultation_by_keyboard_and_staff_see_it(residents_server, page):
    base = residents_server["url"]
    page.goto(f"{base}/p/riverbank/")
    tab_to(page, "Bin stores on the estate")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Bin stores on the estate')")
    assert axe_violations(page) == []
    page.keyboard.press("Tab")  # focus moves through the page to the answer box
    for _ in range(40):
        if page.evaluate("document.activeElement.id") == "answer":
            break
        page.keyboard.press("Tab")
    page.keyboard.type("Put the bin stores by the car park, away from windows.")
    page.keyboard.press("Tab")
    page.keyboard.type("Sam Resident")
    page.keyboard.press("Tab")
    page.keyboard.type("sam@example.com")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the consent box
    page.wait_for_timeout(1100)  # a person takes longer than the form's minimum time
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Send my answer"
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Answer received')")
    assert axe_violations(page) == []

    api = page.request.get(
        f"{base}/api/v1/orgs/riverbank/consultations/{residents_server['consultation']}/responses",
        headers={"Authorization": f"Bearer {residents_server['token']}"},
    )
    answers = [(r["channel"], r["answer"], r["respondent_name"]) for r in api.json()["items"]]
    assert ("online", "Put the bin stores by the car park, away from windows.", "Sam Resident") in answers


def test_a_resident_asks_to_get_involved_and_staff_confirm_them(residents_server, page, browser):
    base = residents_server["url"]
    page.goto(f"{base}/p/riverbank/")
    page.get_by_role("link", name="Ask to get involved").click()
    page.fill("#first_name", "Grace")
    page.fill("#last_name", "Hopper")
    page.fill("#email", "grace@example.com")
    page.check("#preferred_level-2")
    page.check("#access_needs")
    page.check("#contact_consent")
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="Send").click()
    page.wait_for_selector("h1:has-text('Request sent')")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Answer the equality questions").click()
    page.wait_for_selector("h1:has-text('Equality questions')")
    assert axe_violations(page) == []
    page.check("#age_band-3")
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_selector("h1:has-text('Thank you')")

    staff = browser.new_context().new_page()
    staff.goto(f"{base}/login")
    staff.fill("#email", EMAIL)
    staff.fill("#password", ADMIN_PASSWORD)
    staff.click("button[type=submit]")
    staff.wait_for_url(f"{base}/")
    staff.goto(f"{base}/o/riverbank/requests")
    assert axe_violations(staff) == []
    staff.get_by_role("link", name="Grace Hopper").click()
    staff.wait_for_selector("h1:has-text('Grace Hopper')")
    assert axe_violations(staff) == []
    staff.get_by_role("button", name="Confirm as a new participant").click()
    staff.wait_for_selector(".govuk-notification-banner--success")
    assert "Grace Hopper is now on the register." in staff.content()
    listed = staff.request.get(
        f"{base}/api/v1/orgs/riverbank/participants?q=grace hopper",
        headers={"Authorization": f"Bearer {residents_server['token']}"},
    ).json()
    assert [(p["first_name"], p["email"]) for p in listed["items"]] == [("Grace", "grace@example.com")]
    staff.context.close()


@pytest.mark.parametrize("width", [1280, 320])
def test_staff_attach_an_easy_read_version_by_keyboard(residents_server, browser, width):
    base = residents_server["url"]
    staff = browser.new_context().new_page()
    staff.set_viewport_size({"width": width, "height": 900})
    staff.goto(f"{base}/login")
    staff.fill("#email", EMAIL)
    staff.fill("#password", ADMIN_PASSWORD)
    staff.click("button[type=submit]")
    staff.wait_for_url(f"{base}/")
    staff.goto(f"{base}/o/riverbank/impact-assessments/{YEAR}")
    link = staff.get_by_role("link", name="Change link")
    link.focus()
    staff.keyboard.press("Enter")
    staff.wait_for_selector("h1:has-text('Easy read version')")
    assert axe_violations(staff) == [] and no_sideways_scroll(staff)
    staff.fill("#easy_read_url", "riverbank.example/easy.pdf")
    staff.fill("#easy_read_description", "")
    staff.focus("#easy_read_description")
    staff.keyboard.type("PDF, 12 pages")
    staff.keyboard.press("Enter")
    staff.wait_for_selector(".govuk-error-summary")
    assert "Enter a full web address" in staff.content()
    assert axe_violations(staff) == [] and no_sideways_scroll(staff)
    staff.fill("#easy_read_url", "https://riverbank.example/reports/easy-read-impact-assessment-2025-26.pdf")
    staff.get_by_role("button", name="Save").click()
    staff.wait_for_selector(".govuk-notification-banner--success")
    assert axe_violations(staff) == [] and no_sideways_scroll(staff)
    # The consultation's page shows its area and easy-read link without widening a narrow screen.
    staff.goto(f"{base}/o/riverbank/consultations/{residents_server['consultation']}")
    assert "bin-stores-on-the-estate.pdf" in staff.content()
    assert axe_violations(staff) == [] and no_sideways_scroll(staff)
    staff.context.close()
    public = browser.new_context().new_page()
    public.goto(f"{base}/p/riverbank/reports/{YEAR}")
    assert public.get_by_role("link", name="Easy read version (PDF, 12 pages)").count() == 1
    public.context.close()
