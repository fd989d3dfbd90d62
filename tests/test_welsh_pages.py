"""The residents' site in Welsh: form errors (the page's own and the services'), the error summary
and "Error:" prefixes, dates, error pages and plugins' public pages, with no marked English left;
the same services still answer staff and the API in English."""

import html as html_module
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from babel.messages.pofile import read_po

from core.models import Activity, Consultation
from core.public.reading import SUPPORTED_LOCALES
from core.tenancy import organisation_scope
from tests.test_translations import TRANSLATIONS

TODAY = date.today()


@pytest.fixture(autouse=True)
def no_minimum_form_time(app):
    app.config["PUBLIC_FORM_MIN_SECONDS"] = 0
    yield
    app.config.pop("PUBLIC_FORM_MIN_SECONDS", None)


@pytest.fixture
def landlord(make_org):
    return make_org(
        "afon-homes",
        name="Afon Homes",
        settings={"consultation_min_days": 1},
        plugins={"customer_voice": {}, "key_targets": {}, "street_reps": {}},
    )


@pytest.fixture
def consultation(landlord, db_session):
    with organisation_scope(landlord.id):
        found = Consultation(
            title="Bin stores",
            topic="estates",
            opens_on=TODAY - timedelta(days=5),
            closes_on=date(TODAY.year + 1, 3, 10),
            feedback_due_on=date(TODAY.year + 1, 6, 10),
        )
        event = Activity(
            title="Summer fun day",
            kind="event",
            starts_at=datetime(TODAY.year + 1, 7, 1, 9, 30, tzinfo=UTC),
            is_public=True,
        )
        db_session.add_all([found, event])
        db_session.commit()
        return found.id, event.id


def _form(html: str) -> dict:
    fields = {}
    for name in ("csrf_token", "submission_token", "form_started"):
        match = re.search(rf'name="{name}" value="([^"]*)"', html)
        if match:
            fields[name] = match.group(1)
    return fields


def _welsh(client, path: str):
    return client.get(f"{path}{'&' if '?' in path else '?'}lang=cy")


def _english_sentences() -> set[str]:
    """The catalogue's English sentences long enough not to be a name or a shared word."""
    with (TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="cy")
    return {
        m.id
        for m in catalog
        if m.id and isinstance(m.id, str) and "%(" not in m.id and len(m.id.split()) >= 3 and m.string != m.id
    }


def _marked_english_on(html: str, sentences: set[str]) -> list[str]:
    text = html_module.unescape(re.sub(r"<[^>]+>", " ", html))
    text = " ".join(text.split())
    return sorted(s for s in sentences if s in text)


def test_the_consultation_form_answers_in_welsh_when_it_is_wrong(client, landlord, consultation):
    url = f"/p/afon-homes/consultations/{consultation[0]}"
    page = _welsh(client, url)
    html = page.get_data(as_text=True)
    assert 'lang="cy"' in html
    assert "Ar agor tan 10 Mawrth" in html  # "Open until", the month in Welsh
    sent = client.post(
        url, data={**_form(html), "answer": "", "respondent_name": "x" * 201, "respondent_contact": ""}
    )
    assert sent.status_code == 422
    html = sent.get_data(as_text=True)
    assert re.search(r"<title>\s*Gwall:", html)  # "Error:" before the page's title
    assert "Mae yna broblem" in html  # the error summary: "There is a problem"
    assert "Rhowch eich ateb." in html  # "Enter your answer."
    assert "Rhaid i&#39;ch enw fod yn 200 nod neu lai." in html  # "Your name must be 200 characters…"
    assert "Ticiwch y blwch" in html  # the consent box
    assert '<span class="govuk-visually-hidden">Gwall:</span>' in html  # each message's hidden prefix
    assert "Enter your answer." not in html and "There is a problem" not in html


def test_the_same_form_answers_in_english_by_default(client, landlord, consultation):
    url = f"/p/afon-homes/consultations/{consultation[0]}"
    html = client.get(url).get_data(as_text=True)
    sent = client.post(url, data={**_form(html), "answer": ""})
    html = sent.get_data(as_text=True)
    assert sent.status_code == 422
    assert "Enter your answer." in html and '<span class="govuk-visually-hidden">Error:</span>' in html


def test_a_services_messages_are_welsh_on_the_page_and_english_for_staff(app, client, landlord):
    html = _welsh(client, "/p/afon-homes/get-involved").get_data(as_text=True)
    sent = client.post("/p/afon-homes/get-involved", data={**_form(html), "email": "not-an-address"})
    assert sent.status_code == 422
    html = sent.get_data(as_text=True)
    for welsh in ("Rhowch eich enw cyntaf.", "Rhowch gyfeiriad e-bost fel enw@example.com."):
        assert welsh in html
    assert "Ticiwch y blwch" in html
    assert "Enter your first name." not in html

    from core.errors import ValidationFailed
    from core.services import involvement_requests

    # Not a residents' page (the staff API, a job): English.
    with app.test_request_context("/api/v1/orgs/afon-homes/"), pytest.raises(ValidationFailed) as refused:
        involvement_requests.check_request({"first_name": ""})
    assert refused.value.fields["first_name"] == ["Enter your first name."]


def test_dates_and_times_are_welsh_and_in_uk_time(client, landlord, consultation):
    html = _welsh(client, f"/p/afon-homes/events/{consultation[1]}").get_data(as_text=True)
    assert "Gorffennaf" in html  # July
    assert "10:30" in html  # 09:30 UTC is 10:30 in London in summer


def test_an_error_page_on_the_residents_site_is_in_its_layout_and_language(client, landlord):
    _welsh(client, "/p/afon-homes/")
    page = client.get("/p/afon-homes/events/999999")
    assert page.status_code == 404
    html = page.get_data(as_text=True)
    assert "Ni chanfuwyd y dudalen" in html and 'lang="cy"' in html
    assert "Go to your organisations" not in html  # not the staff error page


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/consultations",
        "/you-said-we-did",
        "/events",
        "/get-involved",
        "/reports",
        "/how-we-are-doing",
        "/account/sign-in",
        "/account/sign-in/sent",
        "/customer_voice/forums",
        "/customer_voice/information-events",
        "/key_targets/progress",
        "/street_reps/grants",
        "/street_reps/walkabouts",
    ],
)
def test_no_marked_english_is_left_on_a_welsh_page(client, landlord, consultation, path):
    page = _welsh(client, f"/p/afon-homes{path}")
    assert page.status_code == 200, path
    html = page.get_data(as_text=True)
    assert 'lang="cy"' in html
    assert _marked_english_on(html, _english_sentences()) == []


def test_the_language_links_name_each_language_in_itself():
    assert SUPPORTED_LOCALES == {"en": "English", "cy": "Cymraeg"}
