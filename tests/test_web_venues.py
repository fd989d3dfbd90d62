"""Venue and opportunity pages: lists with search and filters, detail, create, change, delete."""

from core.models import Activity, Opportunity, Venue
from core.tenancy import organisation_scope
from core.testing import csrf_token_from


def _token(client, path):
    return csrf_token_from(client.get(path).get_data(as_text=True))


def test_an_officer_adds_a_venue_with_access_features(client, make_org, make_user, login_as, db_session):
    org = make_org()
    login_as(make_user(org, "staff"))
    token = _token(client, f"/o/{org.slug}/venues/new")
    response = client.post(
        f"/o/{org.slug}/venues/new",
        data={
            "csrf_token": token,
            "name": "Town Hall",
            "address": "1 High St",
            "features": ["hearing_loop", "step_free_access"],
        },
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Venue Town Hall added." in page and "Hearing loop" in page and "Step free access" in page
    listed = client.get(f"/o/{org.slug}/venues?feature=hearing_loop").get_data(as_text=True)
    assert "Town Hall" in listed and "1 venue" in listed
    assert "No venues found" in client.get(f"/o/{org.slug}/venues?feature=quiet_room").get_data(as_text=True)
    # An unknown feature is ignored, never an error.
    assert client.get(f"/o/{org.slug}/venues?feature=rocket&page=x").status_code == 200


def test_the_venue_form_refuses_what_the_api_refuses(client, make_org, make_user, login_as, api_client):
    org = make_org()
    user = make_user(org, "staff")
    api = api_client(user).post(f"/api/v1/orgs/{org.slug}/venues", json={"name": "x" * 201})
    assert api.status_code == 422
    api_words = api.get_json()["error"]["fields"]["name"][0]
    login_as(user)
    token = _token(client, f"/o/{org.slug}/venues/new")
    response = client.post(f"/o/{org.slug}/venues/new", data={"csrf_token": token, "name": "x" * 201})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "<title>Error:" in page and 'href="#name"' in page and api_words in page
    empty = client.post(f"/o/{org.slug}/venues/new", data={"csrf_token": token})
    assert empty.status_code == 422 and "Missing data for required field." in empty.get_data(as_text=True)


def test_a_venue_in_use_is_kept_with_the_reason(client, make_org, make_user, login_as, db_session):
    from datetime import UTC, datetime

    org = make_org()
    with organisation_scope(org.id):
        venue = Venue(name="Library", features=[])
        db_session.add(venue)
        db_session.flush()
        db_session.add(
            Activity(
                title="Forum",
                kind="meeting",
                starts_at=datetime(2026, 1, 5, 18, tzinfo=UTC),
                venue_id=venue.id,
            )
        )
        spare = Venue(name="Spare room", features=[])
        db_session.add(spare)
        db_session.commit()
        venue_id, spare_id = venue.id, spare.id
    login_as(make_user(org, "staff"))
    token = _token(client, f"/o/{org.slug}/venues/{venue_id}/delete")
    refused = client.post(f"/o/{org.slug}/venues/{venue_id}/delete", data={"csrf_token": token})
    assert refused.status_code == 422
    assert "Activities are held at this venue; move them first." in refused.get_data(as_text=True)
    done = client.post(f"/o/{org.slug}/venues/{spare_id}/delete", data={"csrf_token": token})
    assert done.status_code == 303
    assert "Venue Spare room deleted." in client.get(done.headers["Location"]).get_data(as_text=True)
    page = client.get(f"/o/{org.slug}/venues/{venue_id}").get_data(as_text=True)
    assert "Forum" in page  # its recent activities


def test_changing_a_venue_clears_features(client, make_org, make_user, login_as, db_session):
    org = make_org()
    with organisation_scope(org.id):
        venue = Venue(name="Hall", features=["quiet_room"])
        db_session.add(venue)
        db_session.commit()
        venue_id = venue.id
    login_as(make_user(org, "staff"))
    token = _token(client, f"/o/{org.slug}/venues/{venue_id}/edit")
    response = client.post(
        f"/o/{org.slug}/venues/{venue_id}/edit", data={"csrf_token": token, "name": "Big hall"}
    )
    assert response.status_code == 303
    with organisation_scope(org.id):
        db_session.expire_all()
        stored = db_session.get(Venue, venue_id)
        assert stored.name == "Big hall" and stored.features == [] and stored.address is None


def test_opportunities_list_create_and_filter(client, make_org, make_user, login_as, db_session):
    org = make_org()
    with organisation_scope(org.id):
        db_session.add(Opportunity(name="Old panel", level="consulted", open=False))
        db_session.commit()
    login_as(make_user(org, "staff"))
    token = _token(client, f"/o/{org.slug}/opportunities/new")
    missing = client.post(
        f"/o/{org.slug}/opportunities/new", data={"csrf_token": token, "name": "Your Voice"}
    )
    assert missing.status_code == 422 and 'href="#level"' in missing.get_data(as_text=True)
    response = client.post(
        f"/o/{org.slug}/opportunities/new",
        data={
            "csrf_token": token,
            "name": "Your Voice",
            "level": "involved",
            "open": "y",
            "channel": "online",
        },
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Opportunity Your Voice added." in page and "Involved" in page
    open_only = client.get(f"/o/{org.slug}/opportunities?open=yes").get_data(as_text=True)
    assert "Your Voice" in open_only and "Old panel" not in open_only
    closed = client.get(f"/o/{org.slug}/opportunities?open=no&level=consulted").get_data(as_text=True)
    assert "Old panel" in closed and "1 opportunity" in closed
    assert "No opportunities found" in client.get(f"/o/{org.slug}/opportunities?q=zzz").get_data(as_text=True)


def test_a_viewer_sees_no_controls_and_gets_403_before_input(
    client, make_org, make_user, login_as, db_session
):
    org = make_org()
    with organisation_scope(org.id):
        venue = Venue(name="Hall", features=[])
        opportunity = Opportunity(name="Panel", level="involved")
        db_session.add_all([venue, opportunity])
        db_session.commit()
        venue_id, opportunity_id = venue.id, opportunity.id
    login_as(make_user(org, "viewer"))
    for path in (f"/o/{org.slug}/venues/{venue_id}", f"/o/{org.slug}/opportunities/{opportunity_id}"):
        page = client.get(path).get_data(as_text=True)
        assert "Change" not in page and "Delete this" not in page
    for path in (f"/o/{org.slug}/venues", f"/o/{org.slug}/opportunities"):
        assert "Add a" not in client.get(path).get_data(as_text=True)
    token = _token(client, f"/o/{org.slug}/venues")
    for path in (
        "venues/new",
        f"venues/{venue_id}/edit",
        f"venues/{venue_id}/delete",
        "opportunities/new",
        f"opportunities/{opportunity_id}/delete",
    ):
        assert (
            client.post(f"/o/{org.slug}/{path}", data={"csrf_token": token, "name": "x" * 999}).status_code
            == 403
        )
