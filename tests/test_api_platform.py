"""Platform endpoints and the error contract of API.md."""

import pytest

from core.models import Membership


@pytest.fixture
def group_setup(make_org, make_user):
    group = make_org("the-group", kind="group", name="The Group")
    p1 = make_org("partner-one", parent=group, name="Partner One")
    p2 = make_org("partner-two", parent=group, name="Partner Two")
    admin = make_user(group, "org_admin")
    return group, p1, p2, admin


def test_orgs_lists_only_the_callers_organisations(group_setup, make_org, make_user, api_client):
    group, p1, _p2, _admin = group_setup
    user = make_user(memberships={p1: "staff", group: "viewer"})
    make_org("unrelated")
    response = api_client(user).get("/api/v1/orgs")
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 2 and body["page"] == 1 and body["per_page"] == 50
    by_slug = {o["slug"]: o for o in body["items"]}
    assert set(by_slug) == {"the-group", "partner-one"}
    assert by_slug["partner-one"]["parent"] == "the-group"
    assert by_slug["the-group"]["kind"] == "group" and by_slug["the-group"]["parent"] is None
    assert by_slug["partner-one"]["role"] == "staff"


def test_orgs_list_paginates_and_validates(group_setup, api_client):
    _g, _p1, _p2, admin = group_setup
    client = api_client(admin)
    assert client.get("/api/v1/orgs?per_page=1&page=2").get_json()["items"] == []
    response = client.get("/api/v1/orgs?per_page=500")
    assert response.status_code == 422
    assert "per_page" in response.get_json()["error"]["fields"]


def test_group_detail_lists_partners(group_setup, api_client):
    group, *_rest, admin = group_setup
    body = api_client(admin).get("/api/v1/orgs/the-group").get_json()
    assert body["slug"] == "the-group"
    assert [p["slug"] for p in body["partners"]] == ["partner-one", "partner-two"]
    assert body["settings"]["feedback_period_months"] == 3


def test_landlord_detail_has_no_partners(group_setup, make_user, api_client):
    _group, p1, *_ = group_setup
    user = make_user(p1, "viewer")
    body = api_client(user).get("/api/v1/orgs/partner-one").get_json()
    assert body["partners"] == [] and body["parent"] == "the-group"


def test_missing_or_invalid_token_is_401(client, group_setup):
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}):
        response = client.get("/api/v1/orgs", headers=headers)
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "unauthorized"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_unknown_slug_and_non_member_slug_are_both_404(group_setup, make_org, api_client):
    _g, _p1, _p2, admin = group_setup
    make_org("someone-else")
    client = api_client(admin)
    for slug in ("no-such-org", "someone-else"):
        response = client.get(f"/api/v1/orgs/{slug}")
        assert response.status_code == 404
        assert response.get_json() == {"error": {"code": "not_found", "message": "No such organisation."}}


def test_suspended_organisation_is_refused(make_org, make_user, api_client):
    org = make_org(status="suspended")
    user = make_user(org, "org_admin")
    response = api_client(user).get(f"/api/v1/orgs/{org.slug}")
    assert response.status_code == 403


def test_plugins_list_shows_every_installed_plugin(make_org, make_user, api_client):
    org = make_org(plugins={"example": {"greeting": "Hello"}})
    user = make_user(org, "viewer")
    body = api_client(user).get(f"/api/v1/orgs/{org.slug}/plugins").get_json()
    example = next(p for p in body["items"] if p["name"] == "example")
    assert example == {
        "name": "example",
        "title": "Example notes",
        "description": "Short notes, to prove the plugin contract in tests.",
        "enabled": True,
        "settings": {"greeting": "Hello", "max_notes": 100},
    }


def test_put_plugin_is_for_org_admins_only(make_org, make_user, api_client):
    org = make_org()
    staff = make_user(org, "staff")
    response = api_client(staff).put(f"/api/v1/orgs/{org.slug}/plugins/example", json={"enabled": True})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


def test_put_plugin_enables_with_validated_settings(make_org, make_user, api_client):
    """Settings are checked against the plugin's ``register_settings_schema`` before it is enabled."""
    org = make_org()
    admin = make_user(org, "org_admin")
    client = api_client(admin)
    response = client.put(
        f"/api/v1/orgs/{org.slug}/plugins/example", json={"enabled": True, "settings": {"max_notes": 5}}
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["settings"] == {"greeting": "Welcome", "max_notes": 5}
    notes = client.get(f"/api/v1/orgs/{org.slug}/plugins/example/notes").get_json()
    assert [n["body"] for n in notes["items"]] == ["Welcome"]  # on_plugin_enabled ran


def test_put_plugin_without_settings_keeps_the_stored_ones(make_org, make_user, api_client):
    org = make_org()
    client = api_client(make_user(org, "org_admin"))
    url = f"/api/v1/orgs/{org.slug}/plugins/example"
    client.put(url, json={"enabled": True, "settings": {"max_notes": 7, "greeting": "Hi"}})
    assert client.put(url, json={"enabled": False}).get_json()["settings"] == {
        "greeting": "Hi",
        "max_notes": 7,
    }
    again = client.put(url, json={"enabled": True}).get_json()
    assert again["enabled"] is True and again["settings"] == {"greeting": "Hi", "max_notes": 7}
    reset = client.put(url, json={"enabled": True, "settings": {}}).get_json()
    assert reset["settings"] == {"greeting": "Welcome", "max_notes": 100}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"enabled": True, "settings": {"max_notes": 0}}, "settings.max_notes"),
        ({"enabled": True, "settings": {"colour": "red"}}, "settings.colour"),
        ({"enabled": "perhaps"}, "enabled"),
        ({}, "enabled"),
        ({"enabled": True, "extra": 1}, "extra"),
        ([1, 2], "_schema"),
    ],
)
def test_put_plugin_validation_errors_name_the_field(make_org, make_user, api_client, body, field):
    org = make_org()
    admin = make_user(org, "org_admin")
    response = api_client(admin).put(f"/api/v1/orgs/{org.slug}/plugins/example", json=body)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error" and field in error["fields"], error


def test_plugin_rule_in_validate_hook_is_422_and_changes_nothing(make_org, make_user, api_client):
    """A rule of the plugin's ``validate_plugin_settings`` hook refuses the settings (422)."""
    org = make_org(plugins={"example": {}})
    admin = make_user(org, "org_admin")
    client = api_client(admin)
    for body in ("one", "two"):
        client.post(f"/api/v1/orgs/{org.slug}/plugins/example/notes", json={"body": body})
    response = client.put(
        f"/api/v1/orgs/{org.slug}/plugins/example", json={"enabled": True, "settings": {"max_notes": 1}}
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {
        "settings.max_notes": ["Fewer than the notes already written."]
    }
    state = client.get(f"/api/v1/orgs/{org.slug}/plugins/example").get_json()
    assert state["settings"]["max_notes"] == 100


def test_unknown_plugin_is_404(make_org, make_user, api_client):
    org = make_org()
    admin = make_user(org, "org_admin")
    response = api_client(admin).put(f"/api/v1/orgs/{org.slug}/plugins/nonesuch", json={"enabled": True})
    assert response.status_code == 404


def test_malformed_json_is_400(make_org, make_user, api_client):
    org = make_org()
    admin = make_user(org, "org_admin")
    response = api_client(admin).put(
        f"/api/v1/orgs/{org.slug}/plugins/example",
        data="{not json",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"


def test_unknown_api_route_and_wrong_method_are_json(client):
    assert client.get("/api/v1/nothing-here").get_json()["error"]["code"] == "not_found"
    response = client.delete("/api/v1/orgs")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_openapi_document_describes_the_platform(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    for path in (
        "/api/v1/orgs",
        "/api/v1/orgs/{slug}",
        "/api/v1/orgs/{slug}/plugins",
        "/api/v1/orgs/{slug}/plugins/{name}",
        "/api/v1/tokens",
        "/api/v1/orgs/{slug}/plugins/example/notes",
    ):
        assert path in paths, path
    assert "put" in paths["/api/v1/orgs/{slug}/plugins/{name}"]
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_membership_removal_takes_effect_immediately(make_org, make_user, api_client, db_session):
    org = make_org()
    user = make_user(org, "staff")
    client = api_client(user)
    assert client.get(f"/api/v1/orgs/{org.slug}").status_code == 200
    db_session.query(Membership).filter_by(user_id=user.id).delete()
    db_session.commit()
    assert client.get(f"/api/v1/orgs/{org.slug}").status_code == 404


@pytest.mark.parametrize(
    "path", ["/api/v1/orgs/{slug}/areas/99999999999999999999", "/api/v1/orgs/{slug}/areas/0"]
)
def test_impossible_ids_in_urls_are_404_not_500(make_org, make_user, api_client, path):
    org = make_org()
    response = api_client(make_user(org, "staff")).get(path.format(slug=org.slug))
    assert response.status_code == 404


def test_nul_characters_are_refused_not_500(make_org, make_user, api_client):
    org = make_org()
    response = api_client(make_user(org, "staff")).post(
        f"/api/v1/orgs/{org.slug}/areas", json={"name": "bad\u0000name", "kind": "estate"}
    )
    assert response.status_code == 422
