"""Participant pages: list with search and filters, the person page, forms in the API's words,
delete refused for someone with a history, equality monitoring that never shows answers,
the subject-access export and erasure for organisation admins."""

import json
from datetime import date

from core.models import (
    Activity,
    Body,
    BodyMembership,
    EqualityMonitoring,
    Household,
    MonitoringObjection,
    Participant,
    Participation,
)
from core.tenancy import organisation_scope
from core.testing import csrf_token_from


def _token(client, path):
    return csrf_token_from(client.get(path).get_data(as_text=True))


def _person(db_session, org, **values):
    with organisation_scope(org.id):
        person = Participant(**{"first_name": "Ann", "last_name": "Lee", **values})
        db_session.add(person)
        db_session.commit()
        return person.id


def test_an_officer_registers_a_resident_with_access_needs(client, make_org, make_user, login_as, db_session):
    org = make_org()
    with organisation_scope(org.id):
        db_session.add(Household(reference="H-1", postcode="LS1 1AA"))
        db_session.commit()
    login_as(make_user(org, "staff"))
    path = f"/o/{org.slug}/participants/new"
    page = client.get(path).get_data(as_text=True)
    assert "Step-free access" in page and "H-1 (LS1 1AA)" in page
    response = client.post(
        path,
        data={
            "csrf_token": _token(client, path),
            "first_name": " Maya ",
            "last_name": "Patel",
            "email": "maya@example.org",
            "access_needs": ["step_free_access", "hearing_loop"],
            "channels": ["email"],
            "formats": ["large_print"],
            "preferred_level": "consulted",
            "interests": "repairs\n\ngreen spaces",
            "contact_consent": "y",
            "consent_given_on-day": "3",
            "consent_given_on-month": "2",
            "consent_given_on-year": "2026",
            "consent_method": "written",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Maya Patel added." in page
    for words in (
        "Step-free access, Hearing loop",
        "Large print",
        "Consulted",
        "repairs, green spaces",
        "3 February 2026",
    ):
        assert words in page
    with organisation_scope(org.id):
        person = db_session.query(Participant).one()
        assert person.access_needs == ["step_free_access", "hearing_loop"]
        assert person.consent_given_on == date(2026, 2, 3)


def test_the_form_refuses_in_the_api_words(client, make_org, make_user, login_as, api_client):
    org = make_org()
    user = make_user(org, "staff")
    api = api_client(user).post(
        f"/api/v1/orgs/{org.slug}/participants",
        json={"first_name": "A", "last_name": "B", "email": "not-an-email", "access_needs": ["wings"]},
    )
    assert api.status_code == 422
    problems = api.get_json()["error"]["fields"]
    login_as(user)
    path = f"/o/{org.slug}/participants/new"
    response = client.post(
        path,
        data={
            "csrf_token": _token(client, path),
            "first_name": "A",
            "last_name": "B",
            "email": "not-an-email",
            "access_needs": ["wings"],
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "<title>Error:" in page and 'href="#email"' in page and 'href="#access_needs"' in page
    assert problems["email"][0] in page
    # A missing name; an impossible date.
    response = client.post(path, data={"csrf_token": _token(client, path), "last_name": "B"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'href="#first_name"' in page
    bad_date = {"consent_given_on-day": "31", "consent_given_on-month": "2", "consent_given_on-year": "2026"}
    named = {"first_name": "A", "last_name": "B"}
    response = client.post(path, data={"csrf_token": _token(client, path), **named, **bad_date})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'href="#consent_given_on-day"' in page
    assert "must be a real date" in page


def test_the_list_searches_filters_and_pages(client, make_org, make_user, login_as, db_session):
    org = make_org()
    with organisation_scope(org.id):
        estate = Household(reference="H-1")
        db_session.add(estate)
        db_session.flush()
        board = Body(name="Scrutiny panel", kind="scrutiny_panel")
        db_session.add(board)
        db_session.flush()
        for n in range(30):
            db_session.add(
                Participant(
                    first_name=f"Person{n:02d}",
                    last_name="Smith",
                    preferred_level="informed",
                    contact_consent=n % 2 == 0,
                )
            )
        maya = Participant(first_name="Maya", last_name="Patel", preferred_level="decision_making")
        db_session.add(maya)
        db_session.flush()
        db_session.add(
            BodyMembership(
                body_id=board.id, participant_id=maya.id, seat_type="resident", starts_on=date(2024, 1, 1)
            )
        )
        db_session.commit()
        board_id = board.id
    login_as(make_user(org, "staff"))
    base = f"/o/{org.slug}/participants"
    page = client.get(base).get_data(as_text=True)
    assert "Showing 1 to 25 of 31 residents" in page and "Apply filters" in page
    page = client.get(f"{base}?q=maya+pat").get_data(as_text=True)
    assert "1 resident" in page and "Maya Patel" in page
    page = client.get(f"{base}?q=patel+maya").get_data(as_text=True)
    assert "Maya Patel" in page
    page = client.get(f"{base}?level=decision_making").get_data(as_text=True)
    assert "1 resident" in page and "Maya Patel" in page
    page = client.get(f"{base}?body_id={board_id}").get_data(as_text=True)
    assert "1 resident" in page and "Maya Patel" in page and "Clear filters" in page
    page = client.get(f"{base}?contact_consent=true").get_data(as_text=True)
    assert "15 residents" in page
    page = client.get(f"{base}?level=informed&page=2").get_data(as_text=True)
    assert "Showing 26 to 30 of 30 residents" in page and "level=informed" in page
    page = client.get(f"{base}?q=nobody-like-this").get_data(as_text=True)
    assert "No residents found" in page and "No residents match" in page
    assert (
        client.get(f"{base}?level=zzz&body_id=abc&area_id=-1&contact_consent=maybe&sort=x").status_code == 200
    )


def test_the_person_page_shows_their_history_and_a_history_prevents_deletion(
    client, make_org, make_user, login_as, db_session
):
    org = make_org()
    with organisation_scope(org.id):
        person = Participant(first_name="Ann", last_name="Lee", access_needs=["bsl_interpreter"])
        meeting = Activity(title="Repairs panel", kind="meeting", status="held", starts_at=date(2025, 10, 1))
        db_session.add_all([person, meeting])
        db_session.flush()
        db_session.add(Participation(activity_id=meeting.id, participant_id=person.id))
        db_session.commit()
        person_id = person.id
    login_as(make_user(org, "staff"))
    page = client.get(f"/o/{org.slug}/participants/{person_id}").get_data(as_text=True)
    assert "Repairs panel" in page and "BSL interpreter" in page and "Change" in page
    assert "Erase Ann Lee" not in page and "Download everything" not in page  # org admins only
    path = f"/o/{org.slug}/participants/{person_id}/delete"
    response = client.post(path, data={"csrf_token": _token(client, path)})
    assert response.status_code == 422
    assert "erase them instead" in response.get_data(as_text=True)


def test_a_person_without_history_is_deleted(client, make_org, make_user, login_as, db_session):
    org = make_org()
    person_id = _person(db_session, org)
    login_as(make_user(org, "staff"))
    path = f"/o/{org.slug}/participants/{person_id}/delete"
    response = client.post(path, data={"csrf_token": _token(client, path)})
    assert response.status_code == 303
    assert "Ann Lee deleted." in client.get(response.headers["Location"]).get_data(as_text=True)


def test_change_form_keeps_and_clears_values(client, make_org, make_user, login_as, db_session):
    org = make_org()
    person_id = _person(db_session, org, email="ann@example.org", access_needs=["transport"], phone="0113")
    login_as(make_user(org, "staff"))
    path = f"/o/{org.slug}/participants/{person_id}/edit"
    page = client.get(path).get_data(as_text=True)
    assert 'value="ann@example.org"' in page and 'value="transport" checked' in page
    response = client.post(
        path,
        data={"csrf_token": _token(client, path), "first_name": "Ann", "last_name": "Lee-Smith", "email": ""},
    )
    assert response.status_code == 303
    with organisation_scope(org.id):
        person = db_session.get(Participant, person_id)
        db_session.refresh(person)
        assert person.last_name == "Lee-Smith" and person.email is None and person.access_needs == []
    response = client.post(
        path, data={"csrf_token": _token(client, path), "first_name": "", "last_name": "X"}
    )
    assert response.status_code == 422 and 'href="#first_name"' in response.get_data(as_text=True)


def test_viewers_are_refused_before_input(client, make_org, make_user, login_as, db_session):
    org = make_org()
    person_id = _person(db_session, org)
    login_as(make_user(org, "viewer"))
    token = _token(client, f"/o/{org.slug}/households")
    assert client.get(f"/o/{org.slug}/participants").status_code == 403
    for path in (
        "/participants/new",
        f"/participants/{person_id}/edit",
        f"/participants/{person_id}/equality",
        f"/participants/{person_id}/erase",
        f"/participants/{person_id}/export",
        "/participants/import",
    ):
        assert client.post(f"/o/{org.slug}{path}", data={"csrf_token": token}).status_code == 403, path


def test_equality_monitoring_is_never_shown_back(client, make_org, make_user, login_as, db_session):
    org = make_org()
    person_id = _person(db_session, org)
    login_as(make_user(org, "staff"))
    path = f"/o/{org.slug}/participants/{person_id}/equality"
    page = client.get(path).get_data(as_text=True)
    assert page.count('value="prefer_not_to_say"') == 6
    response = client.post(
        path, data={"csrf_token": _token(client, path), "age_band": "35_44", "religion": "prefer_not_to_say"}
    )
    assert response.status_code == 303
    assert "not shown again" in client.get(response.headers["Location"]).get_data(as_text=True)
    with organisation_scope(org.id):
        stored = db_session.query(EqualityMonitoring).one()
        assert (stored.age_band, stored.religion, stored.sex) == ("35_44", "prefer_not_to_say", None)
    page = client.get(path).get_data(as_text=True)
    assert "checked" not in page  # a blank form every time
    response = client.post(path, data={"csrf_token": _token(client, path), "age_band": "ancient"})
    assert response.status_code == 422 and 'href="#age_band"' in response.get_data(as_text=True)
    # A written objection deletes the answers and refuses later ones in the service's words.
    objection = f"{path}/objection"
    response = client.post(objection, data={"csrf_token": _token(client, objection)})
    assert response.status_code == 303
    with organisation_scope(org.id):
        assert db_session.query(EqualityMonitoring).count() == 0
        assert db_session.query(MonitoringObjection).count() == 1
    assert "objected in writing" in client.get(path).get_data(as_text=True)
    response = client.post(
        path, data={"csrf_token": _token(client, f"/o/{org.slug}/households"), "sex": "male"}
    )
    assert response.status_code == 422 and "objected in writing" in response.get_data(as_text=True)


def test_an_analyst_cannot_record_monitoring(client, make_org, make_user, login_as, db_session):
    org = make_org()
    person_id = _person(db_session, org)
    login_as(make_user(org, "staff", equality_analyst=True))
    assert client.get(f"/o/{org.slug}/participants/{person_id}/equality").status_code == 403


def test_export_downloads_the_api_json_and_erase_anonymises(
    client, make_org, make_user, login_as, api_client, db_session
):
    org = make_org()
    person_id = _person(db_session, org, email="ann@example.org")
    admin = make_user(org, "org_admin")
    api = api_client(admin).get(f"/api/v1/orgs/{org.slug}/participants/{person_id}/export").get_json()
    login_as(admin)
    page = client.get(f"/o/{org.slug}/participants/{person_id}").get_data(as_text=True)
    assert "Download everything held about Ann Lee" in page and "Erase Ann Lee" in page
    path = f"/o/{org.slug}/participants/{person_id}/export"
    response = client.post(path, data={"csrf_token": _token(client, path)})
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    export = json.loads(response.get_data(as_text=True))
    assert export.keys() == api.keys() and export["participant"] == api["participant"]
    path = f"/o/{org.slug}/participants/{person_id}/erase"
    response = client.post(path, data={"csrf_token": _token(client, path)})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ann Lee was erased" in page and "ann@example.org" not in page and "was erased on" in page


def test_another_organisations_person_is_404(client, make_org, make_user, login_as, db_session):
    mine, theirs = make_org("mine"), make_org("theirs")
    person_id = _person(db_session, theirs)
    login_as(make_user(mine, "org_admin"))
    for path in ("", "/edit", "/equality", "/export", "/erase", "/delete"):
        assert client.get(f"/o/mine/participants/{person_id}{path}").status_code == 404
