"""Household pages: the page toolkit's reference pages (list, detail, create, change, delete)."""

from core.models import Household, Participant
from core.tenancy import organisation_scope
from core.testing import csrf_token_from


def _token(client, path):
    return csrf_token_from(client.get(path).get_data(as_text=True))


def test_an_officer_adds_a_household_and_sees_the_confirmation(client, make_org, make_user, login_as):
    org = make_org()
    login_as(make_user(org, "staff"))
    token = _token(client, f"/o/{org.slug}/households/new")
    response = client.post(
        f"/o/{org.slug}/households/new",
        data={
            "csrf_token": token,
            "reference": "H-1",
            "address": "1 High Street\nTown",
            "postcode": "ab1 2cd",
            "active": "y",
        },
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Household H-1 added." in page and "1 High Street, Town" in page


def test_the_form_refuses_what_the_api_refuses_in_the_same_words(
    client, make_org, make_user, login_as, api_client
):
    org = make_org()
    user = make_user(org, "staff")
    api = api_client(user).post(f"/api/v1/orgs/{org.slug}/households", json={"reference": "x" * 65})
    assert api.status_code == 422
    api_words = api.get_json()["errors"]["json"]["reference"][0] if "errors" in api.get_json() else None
    login_as(user)
    token = _token(client, f"/o/{org.slug}/households/new")
    response = client.post(f"/o/{org.slug}/households/new", data={"csrf_token": token, "reference": "x" * 65})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and "<title>Error:" in page
    assert 'href="#reference"' in page
    if api_words:
        assert api_words in page
    assert "Longer than maximum length" in page or "64" in page


def test_a_duplicate_reference_is_refused_on_the_field(client, make_org, make_user, login_as, db_session):
    org = make_org()
    with organisation_scope(org.id):
        db_session.add(Household(reference="H-9"))
        db_session.commit()
    login_as(make_user(org, "staff"))
    token = _token(client, f"/o/{org.slug}/households/new")
    response = client.post(f"/o/{org.slug}/households/new", data={"csrf_token": token, "reference": "H-9"})
    assert response.status_code == 422
    assert "There is a problem" in response.get_data(as_text=True)


def test_search_count_and_sort(client, make_org, make_user, login_as, db_session):
    org = make_org()
    with organisation_scope(org.id):
        for n in range(30):
            db_session.add(Household(reference=f"REF-{n:02d}", postcode="LS1 1AA" if n < 3 else "M1 1AA"))
        db_session.commit()
    login_as(make_user(org, "viewer"))
    page = client.get(f"/o/{org.slug}/households").get_data(as_text=True)
    assert "Showing 1 to 25 of 30 households" in page and "REF-00" in page and "REF-29" not in page
    page = client.get(f"/o/{org.slug}/households?page=2").get_data(as_text=True)
    assert "REF-29" in page
    page = client.get(f"/o/{org.slug}/households?sort=reference&direction=desc").get_data(as_text=True)
    assert page.index("REF-29") < page.index("REF-28")
    page = client.get(f"/o/{org.slug}/households?postcode=LS1").get_data(as_text=True)
    assert "3 households" in page
    page = client.get(f"/o/{org.slug}/households?q=nothing-like-this").get_data(as_text=True)
    assert "No households found" in page
    # A hand-edited URL never errors.
    assert client.get(f"/o/{org.slug}/households?page=zzz&area_id=abc&sort=evil").status_code == 200


def test_a_viewer_sees_no_controls_and_gets_403_before_input(
    client, make_org, make_user, login_as, db_session
):
    org = make_org()
    with organisation_scope(org.id):
        home = Household(reference="H-2")
        db_session.add(home)
        db_session.commit()
        home_id = home.id
    login_as(make_user(org, "viewer"))
    page = client.get(f"/o/{org.slug}/households/{home_id}").get_data(as_text=True)
    assert "Change" not in page and "Delete this household" not in page
    assert client.post(f"/o/{org.slug}/households/new", data={"reference": ""}).status_code in (400, 403)
    token = _token(client, f"/o/{org.slug}/households")
    assert client.post(f"/o/{org.slug}/households/new", data={"csrf_token": token}).status_code == 403


def test_a_household_with_people_cannot_be_deleted(client, make_org, make_user, login_as, db_session):
    org = make_org()
    with organisation_scope(org.id):
        home = Household(reference="H-3")
        db_session.add(home)
        db_session.flush()
        db_session.add(Participant(first_name="Ann", last_name="Lee", household_id=home.id))
        db_session.commit()
        home_id = home.id
    login_as(make_user(org, "staff"))
    token = _token(client, f"/o/{org.slug}/households/{home_id}/delete")
    response = client.post(f"/o/{org.slug}/households/{home_id}/delete", data={"csrf_token": token})
    assert response.status_code == 422
    assert "People are recorded at this household" in response.get_data(as_text=True)
