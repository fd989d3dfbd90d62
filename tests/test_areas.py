"""``/areas``: the organisation's area tree."""

import pytest


@pytest.fixture
def staff_api(make_org, make_user, api_client):
    org = make_org("tree-homes")
    return api_client(make_user(org, "staff")), "/api/v1/orgs/tree-homes/areas"


def test_build_and_read_a_tree(staff_api):
    api, url = staff_api
    north = api.post(url, json={"name": "North", "kind": "management_area"}).get_json()
    estate = api.post(url, json={"name": "Hill Estate", "kind": "estate", "parent_id": north["id"]})
    assert estate.status_code == 201
    children = api.get(f"{url}?parent_id={north['id']}").get_json()
    assert [a["name"] for a in children["items"]] == ["Hill Estate"]
    assert children["total"] == 1 and children["per_page"] == 50


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "estate"}, "name"),
        ({"name": "X"}, "kind"),
        ({"name": "X", "kind": "county"}, "kind"),
        ({"name": "X", "kind": "estate", "parent_id": 999999}, "parent_id"),
        ({"name": "X", "kind": "estate", "colour": "red"}, "colour"),
    ],
)
def test_invalid_areas_are_422_naming_the_field(staff_api, body, field):
    api, url = staff_api
    response = api.post(url, json=body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_an_area_cannot_be_its_own_ancestor(staff_api):
    api, url = staff_api
    top = api.post(url, json={"name": "Top", "kind": "management_area"}).get_json()
    low = api.post(url, json={"name": "Low", "kind": "estate", "parent_id": top["id"]}).get_json()
    response = api.patch(f"{url}/{top['id']}", json={"parent_id": low["id"]})
    assert response.status_code == 422 and "parent_id" in response.get_json()["error"]["fields"]


def test_delete_refuses_an_area_in_use(staff_api):
    api, url = staff_api
    top = api.post(url, json={"name": "Top", "kind": "management_area"}).get_json()
    api.post(url, json={"name": "Low", "kind": "estate", "parent_id": top["id"]})
    assert api.delete(f"{url}/{top['id']}").status_code == 409
    leaf = api.post(url, json={"name": "Leaf", "kind": "street"}).get_json()
    assert api.delete(f"{url}/{leaf['id']}").status_code == 204
    assert api.get(f"{url}/{leaf['id']}").status_code == 404


def test_viewers_read_but_cannot_write(make_org, make_user, api_client):
    org = make_org()
    viewer = api_client(make_user(org, "viewer"))
    assert viewer.get(f"/api/v1/orgs/{org.slug}/areas").status_code == 200
    assert (
        viewer.post(f"/api/v1/orgs/{org.slug}/areas", json={"name": "X", "kind": "estate"}).status_code == 403
    )


def test_parent_in_another_organisation_is_refused(make_org, make_user, api_client):
    mine, theirs = make_org(), make_org()
    user = make_user(memberships={mine: "staff", theirs: "staff"})
    api = api_client(user)
    their_area = api.post(
        f"/api/v1/orgs/{theirs.slug}/areas", json={"name": "T", "kind": "estate"}
    ).get_json()
    response = api.post(
        f"/api/v1/orgs/{mine.slug}/areas", json={"name": "M", "kind": "street", "parent_id": their_area["id"]}
    )
    assert response.status_code == 422
