"""The residents' site in Welsh and with larger text, in a real browser: pages (core's, the plugins'
pages now in the residents' layout, the error page) pass axe-core's WCAG 2.2 AA rules at 1280 px
and 320 px without scrolling sideways, and a form's errors are in Welsh with "Gwall:" before the
page's title."""

from datetime import UTC, date, datetime, timedelta

import pytest

from core.testing import serving
from tests.browser.test_accessibility import axe_violations

TODAY = date.today()


@pytest.fixture(scope="module")
def welsh_server(tmp_path_factory):
    """A landlord with an open consultation, a public event and the plugins that have public pages,
    one walkabout with a published outcome among them."""
    from flask import current_app

    from core.app import create_app
    from core.extensions import db
    from core.models import Activity, Consultation, Organisation
    from core.services.plugin_state import set_plugin_state
    from core.tenancy import organisation_scope
    from core.testing import base_config, migrate

    config = base_config(f"sqlite:///{tmp_path_factory.mktemp('welsh') / 'live.db'}")
    migrate(config)
    app = create_app(config)
    app.config["PUBLIC_FORM_MIN_SECONDS"] = 1
    with app.app_context():
        org = Organisation(
            slug="afon",
            name="Cartrefi Afon Homes",
            settings={"feedback_period_months": 3, "public": {"contact_phone": "0100 000 000"}},
        )
        db.session.add(org)
        db.session.flush()
        with organisation_scope(org.id):
            for plugin in ("customer_voice", "key_targets", "street_reps"):
                set_plugin_state(
                    current_app.extensions["involve"].plugins, org, plugin, enabled=True, settings={}
                )
            consultation = Consultation(
                title="Storfeydd biniau / Bin stores",
                topic="estates",
                opens_on=TODAY - timedelta(days=3),
                closes_on=TODAY + timedelta(days=25),
                feedback_due_on=TODAY + timedelta(days=120),
            )
            event = Activity(
                title="Diwrnod hwyl / Fun day",
                kind="event",
                starts_at=datetime.now(UTC) + timedelta(days=10),
                is_public=True,
            )
            db.session.add_all([consultation, event])
            db.session.commit()
            ids = {"consultation": consultation.id, "event": event.id}
    with serving(app) as url:
        yield {"url": url, **ids}


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


PAGES = [
    "/p/afon/?lang=cy",
    "/p/afon/consultations/{consultation}",
    "/p/afon/events/{event}",
    "/p/afon/get-involved",
    "/p/afon/account/sign-in",
    "/p/afon/how-we-are-doing",
    "/p/afon/events/999999",  # the error page
    "/p/afon/street_reps/walkabouts",
    "/p/afon/street_reps/grants",
    "/p/afon/customer_voice/forums",
    "/p/afon/key_targets/progress",
    "/p/afon/?text=large",
    "/p/afon/get-involved?text=large",
]


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("path", PAGES)
def test_welsh_pages_are_accessible_and_fit(welsh_server, page, width, path):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(welsh_server["url"] + "/p/afon/?lang=cy")  # the choice is kept for the visit
    page.goto(welsh_server["url"] + path.format(**welsh_server))
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.locator("main#main-content h1").count() == 1
    assert axe_violations(page) == []
    assert no_sideways_scroll(page), path


@pytest.mark.parametrize("width", [1280, 320])
def test_welsh_form_errors_are_accessible(welsh_server, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{welsh_server['url']}/p/afon/consultations/{welsh_server['consultation']}?lang=cy&text=large")
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="Anfon fy ateb").click()
    page.wait_for_selector(".govuk-error-summary")
    assert page.title().startswith("Gwall:")
    assert page.locator(".govuk-error-summary").inner_text().count("Rhowch eich ateb.") == 1
    assert axe_violations(page) == []
    assert no_sideways_scroll(page)


def body_text_size(page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.querySelector('main .govuk-body')).fontSize)")


@pytest.mark.parametrize("path", ["/p/afon/street_reps/walkabouts", "/p/afon/consultations/{consultation}"])
def test_larger_text_and_the_print_stylesheet_work_on_residents_pages(welsh_server, page, path):
    url = welsh_server["url"] + path.format(**welsh_server)
    page.goto(url + "?text=standard")
    standard = body_text_size(page)
    page.goto(url + "?text=large")
    assert body_text_size(page) >= standard * 1.25
    page.emulate_media(media="print")
    for hidden in (".govuk-service-navigation", ".involve-reading-options", ".govuk-skip-link"):
        assert page.locator(hidden).evaluate("e => getComputedStyle(e).display") == "none", hidden
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
