"""The residents' site (``/p/<slug>/…``): a landlord's home in its own name and colours, only
published things shown, open consultations answered online exactly once, public events and their
calendar feed, published reports, the language and text-size choices, and the public lifecycle
(an inactive landlord or another landlord's ids are 404)."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from core.models import (
    Activity,
    Consultation,
    ConsultationFeedback,
    ConsultationResponse,
    Improvement,
    Venue,
)
from core.services.branding import NEUTRAL_COLOUR, contrast_ratio, header_colour
from core.tenancy import organisation_scope

TODAY = date.today()


@pytest.fixture(autouse=True)
def no_minimum_form_time(app):
    app.config["PUBLIC_FORM_MIN_SECONDS"] = 0
    yield
    app.config.pop("PUBLIC_FORM_MIN_SECONDS", None)


@pytest.fixture
def landlord(make_org):
    return make_org(
        "riverbank",
        name="Riverbank Homes",
        settings={
            "consultation_min_days": 1,
            "public": {
                "display_name": "Riverbank",
                "brand_colour": "#1d70b8",
                "contact_phone": "0100 000 000",
            },
        },
    )


@pytest.fixture
def records(landlord, db_session):
    with organisation_scope(landlord.id):
        open_one = Consultation(
            title="Bin stores",
            topic="estates",
            opens_on=TODAY - timedelta(days=5),
            closes_on=TODAY + timedelta(days=20),
            feedback_due_on=TODAY + timedelta(days=100),
        )
        planned = Consultation(
            title="Planned secret consultation",
            topic="estates",
            opens_on=TODAY + timedelta(days=5),
            closes_on=TODAY + timedelta(days=40),
            feedback_due_on=TODAY + timedelta(days=120),
        )
        closed = Consultation(
            title="Repairs timing",
            topic="repairs",
            opens_on=TODAY - timedelta(days=90),
            closes_on=TODAY - timedelta(days=60),
            feedback_due_on=TODAY + timedelta(days=10),
        )
        drafted = Consultation(
            title="Draft feedback consultation",
            topic="repairs",
            opens_on=TODAY - timedelta(days=90),
            closes_on=TODAY - timedelta(days=60),
            feedback_due_on=TODAY + timedelta(days=10),
        )
        db_session.add_all([open_one, planned, closed, drafted])
        db_session.flush()
        db_session.add_all(
            [
                ConsultationFeedback(
                    consultation_id=closed.id,
                    you_said="Evening appointments please",
                    we_did="Appointments until 8pm",
                    published_on=TODAY - timedelta(days=2),
                ),
                ConsultationFeedback(consultation_id=drafted.id, you_said="Draft words", we_did="Not yet"),
                Improvement(
                    title="Evening repair slots",
                    implemented_on=TODAY - timedelta(days=1),
                    source="consultation",
                    source_id=closed.id,
                ),
            ]
        )
        venue = Venue(name="Community hall", features=["step_free_access", "hearing_loop"])
        db_session.add(venue)
        db_session.flush()
        soon = datetime.now(UTC) + timedelta(days=7)
        public_event = Activity(
            title="Summer fun day", kind="event", starts_at=soon, venue_id=venue.id, is_public=True
        )
        private_event = Activity(title="Private board meeting", kind="meeting", starts_at=soon)
        db_session.add_all([public_event, private_event])
        db_session.commit()
        return {
            "open": open_one.id,
            "planned": planned.id,
            "closed": closed.id,
            "event": public_event.id,
            "private_event": private_event.id,
        }


def form_of(html: str) -> dict:
    fields = {}
    for name in ("csrf_token", "submission_token", "form_started"):
        match = re.search(rf'name="{name}" value="([^"]*)"', html)
        assert match, name
        fields[name] = match.group(1)
    return fields


# -- branding ------------------------------------------------------------------------------------


def test_contrast_ratio_matches_wcag_examples():
    assert round(contrast_ratio("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast_ratio("#767676", "#ffffff"), 2) == 4.54
    assert contrast_ratio("#ffffff", "#ffffff") == 1.0


@pytest.mark.parametrize(
    ("brand", "header"),
    [
        ("#1d70b8", "#1d70b8"),
        ("#FFDD00", NEUTRAL_COLOUR),
        ("#777777", NEUTRAL_COLOUR),
        (None, NEUTRAL_COLOUR),
    ],
)
def test_a_brand_colour_is_behind_white_text_only_when_it_passes_aa(brand, header):
    assert header_colour(brand) == header


def test_home_is_in_the_landlords_name_and_colours(client, landlord, records):
    page = client.get("/p/riverbank/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<title>Home – Riverbank</title>" in html
    assert "background-color: #1d70b8" in html
    assert "0100 000 000" in html
    assert "Bin stores" in html and "Repairs timing" in html and "Summer fun day" in html
    assert "Planned secret consultation" not in html and "Private board meeting" not in html
    assert "Draft feedback consultation" not in html


def test_a_pale_brand_colour_is_not_used_behind_text(client, make_org):
    make_org("pale-homes", settings={"public": {"brand_colour": "#ffdd00"}})
    html = client.get("/p/pale-homes/").get_data(as_text=True)
    assert f"background-color: {NEUTRAL_COLOUR}" in html
    assert "border-bottom-color: #ffdd00" in html


def test_without_public_settings_the_organisation_name_is_used(client, make_org):
    make_org("plain-homes", name="Plain Homes")
    html = client.get("/p/plain-homes/").get_data(as_text=True)
    assert "<title>Home – Plain Homes</title>" in html
    assert f"background-color: {NEUTRAL_COLOUR}" in html


def test_a_groups_home_lists_its_active_partners(client, make_org):
    group = make_org("a-group", name="A Group", kind="group")
    make_org("partner-one", name="Partner One", parent=group)
    make_org("partner-gone", name="Partner Gone", parent=group, status="suspended")
    html = client.get("/p/a-group/").get_data(as_text=True)
    assert "Partner One" in html and "/p/partner-one/" in html
    assert "Partner Gone" not in html


def test_an_inactive_or_unknown_landlord_is_404(client, make_org):
    make_org("asleep-homes", status="suspended")
    assert client.get("/p/asleep-homes/").status_code == 404
    assert client.get("/p/nobody-here/").status_code == 404


def test_enabled_plugins_public_pages_are_linked_from_home(client, make_org):
    make_org("walking-homes", plugins={"street_reps": {}})
    html = client.get("/p/walking-homes/").get_data(as_text=True)
    assert "/p/walking-homes/street_reps/walkabouts" in html
    assert "/p/walking-homes/street_reps/walkabouts.ics" not in html


# -- you said, we did ---------------------------------------------------------------------------


def test_you_said_we_did_shows_published_feedback_with_improvements(client, landlord, records):
    html = client.get("/p/riverbank/you-said-we-did").get_data(as_text=True)
    assert "Evening appointments please" in html and "Appointments until 8pm" in html
    assert "Evening repair slots" in html
    assert "Draft words" not in html


def test_you_said_we_did_filters_by_topic(client, landlord, records):
    assert "Repairs timing" in client.get("/p/riverbank/you-said-we-did?topic=repairs").get_data(as_text=True)
    shown = client.get("/p/riverbank/you-said-we-did?topic=nonsense")
    assert shown.status_code == 200 and "Repairs timing" in shown.get_data(as_text=True)


# -- consultations online -----------------------------------------------------------------------


def respond(client, consultation_id, **fields):
    url = f"/p/riverbank/consultations/{consultation_id}"
    form = form_of(client.get(url).get_data(as_text=True))
    return client.post(url, data={**form, "answer": "Put lids on the bins", **fields}), form


def responses(db_session, landlord):
    with organisation_scope(landlord.id):
        return db_session.scalars(select(ConsultationResponse)).all()


def test_a_resident_answers_an_open_consultation_online(client, landlord, records, db_session):
    page, _form = respond(
        client,
        records["open"],
        respondent_name="Sam Resident",
        respondent_contact="sam@example.com",
        consent="yes",
    )
    assert page.status_code == 303
    assert page.headers["Location"].endswith(f"/p/riverbank/consultations/{records['open']}/thank-you")
    [saved] = responses(db_session, landlord)
    assert (saved.channel, saved.answer, saved.respondent_name) == (
        "online",
        "Put lids on the bins",
        "Sam Resident",
    )
    assert saved.responded_on == TODAY


def test_a_double_submit_records_the_response_once(client, landlord, records, db_session):
    first, form = respond(client, records["open"])
    again = client.post(
        f"/p/riverbank/consultations/{records['open']}", data={**form, "answer": "Put lids on the bins"}
    )
    assert (first.status_code, again.status_code) == (303, 303)
    assert len(responses(db_session, landlord)) == 1


def test_the_staff_api_sees_the_online_response(client, landlord, records, make_user, api_client):
    respond(client, records["open"], respondent_name="Sam Resident", consent="yes")
    staff = api_client(make_user(landlord, "staff"))
    listed = staff.get(f"/api/v1/orgs/riverbank/consultations/{records['open']}/responses").get_json()
    assert [(r["channel"], r["respondent_name"]) for r in listed["items"]] == [("online", "Sam Resident")]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"answer": ""}, "answer"),
        ({"answer": "x" * 5001}, "answer"),
        ({"respondent_name": "Sam"}, "consent"),
        ({"respondent_contact": "x" * 255, "consent": "yes"}, "respondent_contact"),
    ],
)
def test_bad_answers_are_refused_naming_the_field(client, landlord, records, db_session, fields, field):
    page, _form = respond(client, records["open"], **fields)
    assert page.status_code == 422
    assert f'href="#{field}"' in page.get_data(as_text=True)
    assert responses(db_session, landlord) == []


def test_a_filled_honeypot_or_a_forged_stamp_is_refused(client, landlord, records, db_session):
    assert respond(client, records["open"], website="http://spam.example")[0].status_code == 400
    assert respond(client, records["open"], form_started="forged")[0].status_code == 400
    assert responses(db_session, landlord) == []


def test_a_form_sent_back_too_fast_is_refused(app, client, landlord, records, db_session):
    app.config["PUBLIC_FORM_MIN_SECONDS"] = 60
    assert respond(client, records["open"])[0].status_code == 400
    assert responses(db_session, landlord) == []


def test_without_the_csrf_token_nothing_is_saved(client, landlord, records, db_session):
    url = f"/p/riverbank/consultations/{records['open']}"
    form = form_of(client.get(url).get_data(as_text=True))
    form.pop("csrf_token")
    assert client.post(url, data={**form, "answer": "Hello"}).status_code == 400
    assert responses(db_session, landlord) == []


def test_responses_are_rate_limited_per_address(client, landlord, records, db_session, monkeypatch):
    from core.public import guard
    from core.throttle import Limits

    monkeypatch.setattr(
        guard, "ADDRESS_LIMITS", Limits(max_attempts=2, lockout_seconds=60, window_seconds=600)
    )
    monkeypatch.setattr(
        guard, "TARGET_LIMITS", Limits(max_attempts=100, lockout_seconds=60, window_seconds=600)
    )
    statuses = [respond(client, records["open"])[0].status_code for _ in range(3)]
    assert statuses == [303, 303, 429]
    assert len(responses(db_session, landlord)) == 2


def test_responses_are_rate_limited_per_consultation(client, landlord, records, db_session, monkeypatch):
    from core.public import guard
    from core.throttle import Limits

    monkeypatch.setattr(
        guard, "TARGET_LIMITS", Limits(max_attempts=1, lockout_seconds=60, window_seconds=600)
    )
    statuses = [respond(client, records["open"])[0].status_code for _ in range(2)]
    assert statuses == [303, 429]


@pytest.mark.parametrize("which", ["planned", "closed"])
def test_only_open_consultations_can_be_answered(client, landlord, records, which):
    assert client.get(f"/p/riverbank/consultations/{records[which]}").status_code == 404


# -- events -------------------------------------------------------------------------------------


def test_public_events_with_their_venue_access(client, landlord, records):
    listed = client.get("/p/riverbank/events").get_data(as_text=True)
    assert "Summer fun day" in listed and "Private board meeting" not in listed
    shown = client.get(f"/p/riverbank/events/{records['event']}").get_data(as_text=True)
    assert "Step-free access" in shown and "Hearing loop" in shown
    assert client.get(f"/p/riverbank/events/{records['private_event']}").status_code == 404


def test_one_calendar_feed_of_public_events_in_london_time(client, landlord, records):
    feed = client.get("/p/riverbank/events.ics")
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    body = feed.get_data(as_text=True)
    assert "SUMMARY:Summer fun day" in body and "Private board meeting" not in body
    assert "TZID=Europe/London" in body
    assert f"UID:activity-riverbank-{records['event']}@involve.calendar" in body


def test_staff_mark_an_activity_public_through_the_api(landlord, make_user, api_client):
    staff = api_client(make_user(landlord, "staff"))
    created = staff.post(
        "/api/v1/orgs/riverbank/activities",
        json={"title": "Open day", "kind": "event", "starts_at": "2030-05-01T10:00:00Z", "is_public": True},
    )
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["is_public"] is True
    changed = staff.patch(
        f"/api/v1/orgs/riverbank/activities/{created.get_json()['id']}", json={"is_public": False}
    )
    assert changed.get_json()["is_public"] is False


# -- reading choices ----------------------------------------------------------------------------


def test_the_language_switch_shows_welsh_and_is_remembered(client, landlord, records):
    welsh = client.get("/p/riverbank/?lang=cy").get_data(as_text=True)
    assert 'lang="cy"' in welsh
    assert "Dweud eich dweud" in welsh  # "Have your say"
    assert "Dweud eich dweud" in client.get("/p/riverbank/events").get_data(as_text=True)
    english = client.get("/p/riverbank/?lang=en").get_data(as_text=True)
    assert "Have your say" in english and 'lang="en-GB"' in english


def test_larger_text_is_a_choice_kept_for_the_visit(client, landlord, records):
    assert "involve-large-text" in client.get("/p/riverbank/?text=large").get_data(as_text=True)
    assert "involve-large-text" in client.get("/p/riverbank/consultations").get_data(as_text=True)
    assert "involve-large-text" not in client.get("/p/riverbank/?text=standard").get_data(as_text=True)


def test_pages_link_the_print_stylesheet(client, landlord):
    assert 'media="print" href="/static/public-print.css"' in client.get("/p/riverbank/").get_data(
        as_text=True
    )
    sheet = client.get("/static/public-print.css")
    assert sheet.status_code == 200 and b".govuk-service-navigation" in sheet.data
    sheet.close()


def test_no_public_page_has_an_inline_style_attribute(client, landlord, records):
    for path in (
        "/p/riverbank/",
        "/p/riverbank/consultations",
        f"/p/riverbank/consultations/{records['open']}",
        "/p/riverbank/get-involved",
        "/p/riverbank/events",
        "/p/riverbank/reports",
    ):
        assert " style=" not in client.get(path).get_data(as_text=True), path


def test_another_landlords_ids_are_404_on_this_landlords_site(client, landlord, records, make_org):
    make_org("other-homes", name="Other Homes")
    for path in (f"/consultations/{records['open']}", f"/events/{records['event']}"):
        assert client.get(f"/p/riverbank{path}").status_code == 200
        other = client.get(f"/p/other-homes{path}")
        assert other.status_code == 404
        assert "Bin stores" not in other.get_data(as_text=True)
        assert "Summer fun day" not in other.get_data(as_text=True)


def test_core_public_routes_are_in_the_public_route_matrix(app):
    public = app.extensions["involve"].public_blueprints
    assert public["public"] is None
    rules = {r.rule for r in app.url_map.iter_rules() if r.endpoint.split(".")[0] in public}
    assert {"/p/<slug>/consultations/<int:consultation_id>", "/p/<slug>/events/<int:activity_id>"} <= rules


def test_no_installed_plugin_takes_a_path_of_the_residents_site(app):
    from core.public import RESERVED_NAMES

    assert not RESERVED_NAMES & set(app.extensions["involve"].plugins.names())
