"""Area pages: the tree, create, change (never inside itself), delete (refused while in use)."""

from core.models import Area, Household
from core.tenancy import organisation_scope
from core.testing import csrf_token_from


def _token(client, path):
    return csrf_token_from(client.get(path).get_data(as_text=True))


def _areas(db_session, org):
    with organisation_scope(org.id):
        north = Area(name="North", kind="management_area")
        db_session.add(north)
        db_session.flush()
        estate = Area(name="Hill Estate", kind="estate", parent_id=north.id)
        db_session.add(estate)
        db_session.flush()
        db_session.add(Household(reference="H-1", area_id=estate.id))
        db_session.commit()
        return north.id, estate.id


def test_the_tree_nests_areas_inside_their_parents(client, make_org, make_user, login_as, db_session):
    org = make_org()
    north, _ = _areas(db_session, org)
    login_as(make_user(org, "viewer"))
    page = client.get(f"/o/{org.slug}/areas").get_data(as_text=True)
    assert page.index("North") < page.index("Hill Estate") and "1 household" in page
    assert "govuk-list--bullet" in page  # the estate is a nested list inside North
    assert "Add an area" not in page and "Change" not in page  # a viewer has no controls


def test_empty_tree(client, make_org, make_user, login_as):
    org = make_org()
    login_as(make_user(org, "staff"))
    assert "No areas have been added yet." in client.get(f"/o/{org.slug}/areas").get_data(as_text=True)


def test_create_change_and_refusals_in_the_api_words(
    client, make_org, make_user, login_as, db_session, api_client
):
    org = make_org()
    north, estate = _areas(db_session, org)
    user = make_user(org, "staff")
    api = api_client(user).patch(f"/api/v1/orgs/{org.slug}/areas/{north}", json={"parent_id": estate})
    assert api.status_code == 422
    login_as(user)
    path = f"/o/{org.slug}/areas/new?parent_id={estate}"
    assert f'value="{estate}" selected' in client.get(path).get_data(as_text=True)
    response = client.post(
        path,
        data={
            "csrf_token": _token(client, path),
            "name": "Oak Street",
            "kind": "street",
            "parent_id": estate,
        },
    )
    assert response.status_code == 303
    assert "Area Oak Street added." in client.get(response.headers["Location"]).get_data(as_text=True)
    response = client.post(path, data={"csrf_token": _token(client, path), "name": "", "kind": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'href="#name"' in page and 'href="#kind"' in page
    edit = f"/o/{org.slug}/areas/{north}/edit"
    assert f'value="{north}"' not in client.get(edit).get_data(as_text=True)  # not offered inside itself
    response = client.post(
        edit,
        data={
            "csrf_token": _token(client, edit),
            "name": "North",
            "kind": "management_area",
            "parent_id": estate,
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and api.get_json()["error"]["fields"]["parent_id"][0] in page


def test_an_area_in_use_is_not_deleted(client, make_org, make_user, login_as, db_session):
    org = make_org()
    north, estate = _areas(db_session, org)
    login_as(make_user(org, "staff"))
    path = f"/o/{org.slug}/areas/{estate}/delete"
    page = client.get(path).get_data(as_text=True)
    assert "1 household" in page
    response = client.post(path, data={"csrf_token": _token(client, path)})
    assert response.status_code == 422 and "still used" in response.get_data(as_text=True)
    with organisation_scope(org.id):
        db_session.query(Household).delete()
        db_session.commit()
    response = client.post(path, data={"csrf_token": _token(client, path)})
    assert response.status_code == 303


def test_a_viewer_gets_403_before_input(client, make_org, make_user, login_as, db_session):
    org = make_org()
    north, _ = _areas(db_session, org)
    login_as(make_user(org, "viewer"))
    token = _token(client, f"/o/{org.slug}/areas")
    for path in ("/areas/new", f"/areas/{north}/edit", f"/areas/{north}/delete"):
        assert client.post(f"/o/{org.slug}{path}", data={"csrf_token": token}).status_code == 403
