"""Changing a phase or a conference and deleting a target or a phase on the officer's pages:
confirmation before deleting, refusals in the API's words (a phase with targets, a target a
conference decision names, phases that would overlap, a conference held outside its year); a
viewer sees no controls and is refused before input."""

from core.testing import csrf_token_from
from plugins.key_targets.tests.conftest import created


def _base(org) -> str:
    return f"/o/{org.slug}/plugins/key_targets"


def _dated(prefix: str, when: str) -> dict:
    year, month, day = when.split("-")
    return {f"{prefix}-day": day, f"{prefix}-month": month, f"{prefix}-year": year}


def test_an_officer_changes_a_phase_and_the_overlap_is_refused_in_the_api_words(
    org, staff, client, login_as, api, url, phase
):
    later = created(
        api.post(url("phases"), json={"title": "Year 2", "starts_on": "2007-04-01", "ends_on": "2008-03-31"})
    )
    refused = api.patch(url(f"phases/{later['id']}"), json={"starts_on": "2007-01-01"})
    assert refused.status_code == 409
    words = refused.get_json()["error"]["message"]
    login_as(staff)
    path = f"{_base(org)}/phases/{later['id']}/edit"
    page = client.get(path).get_data(as_text=True)
    assert 'value="Year 2"' in page and "Change the phase Year 2" in page
    form = {"csrf_token": csrf_token_from(page), "title": "Year 2"} | _dated("ends_on", "2008-03-31")
    response = client.post(path, data=form | _dated("starts_on", "2007-01-01"))
    assert response.status_code == 422
    assert words.replace("'", "&#39;") in response.get_data(as_text=True)
    response = client.post(path, data=form | {"title": "Year 2 and 3"} | _dated("starts_on", "2007-04-01"))
    assert response.status_code == 303, response.get_data(as_text=True)
    assert "Phase Year 2 and 3 updated." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert api.get(url(f"phases/{later['id']}")).get_json()["title"] == "Year 2 and 3"


def test_an_officer_deletes_an_empty_phase_but_not_one_with_targets(
    org, staff, client, login_as, api, url, phase, make_target
):
    make_target()
    empty = created(
        api.post(url("phases"), json={"title": "Year 2", "starts_on": "2007-04-01", "ends_on": "2008-03-31"})
    )
    words = api.delete(url(f"phases/{phase['id']}")).get_json()["error"]["message"]
    login_as(staff)
    plan_page = client.get(f"{_base(org)}/plan").get_data(as_text=True)
    assert f"/phases/{empty['id']}/delete" in plan_page and f"/phases/{phase['id']}/delete" not in plan_page
    path = f"{_base(org)}/phases/{phase['id']}/delete"
    page = client.get(path).get_data(as_text=True)
    assert "Are you sure you want to delete the phase Year 1?" in page
    response = client.post(path, data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 422 and words in response.get_data(as_text=True)
    path = f"{_base(org)}/phases/{empty['id']}/delete"
    response = client.post(path, data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 303
    assert "Phase Year 2 deleted." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert api.get(url(f"phases/{empty['id']}")).status_code == 404


def test_an_officer_deletes_a_target_unless_a_conference_decision_names_it(
    org, staff, client, login_as, api, url, make_target
):
    kept = make_target(reference="1")
    gone = make_target(reference="2", action="Tenant road shows on Decent Homes")
    held = created(
        api.post(url("conferences"), json={"year": 2006, "title": "C 2006", "held_on": "2006-12-05"})
    )
    created(
        api.post(url(f"conferences/{held['id']}/decisions"), json={"text": "Keep", "target_id": kept["id"]})
    )
    refused = api.delete(url(f"targets/{kept['id']}"))
    assert refused.status_code == 409
    words = refused.get_json()["error"]["message"]
    login_as(staff)
    assert "Delete the target" in client.get(f"{_base(org)}/targets/{gone['id']}").get_data(as_text=True)
    path = f"{_base(org)}/targets/{gone['id']}/delete"
    page = client.get(path).get_data(as_text=True)
    assert "Are you sure you want to delete target 2 of Year 1?" in page
    assert "Tenant road shows on Decent Homes" in page
    response = client.post(path, data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 303
    assert "Target 2 deleted from the plan." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert api.get(url(f"targets/{gone['id']}")).status_code == 404
    path = f"{_base(org)}/targets/{kept['id']}/delete"
    response = client.post(path, data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 422
    assert words.replace("'", "&#39;") in response.get_data(as_text=True)
    assert api.get(url(f"targets/{kept['id']}")).status_code == 200


def test_an_officer_changes_a_conference_and_a_wrong_date_is_refused_in_the_api_words(
    org, staff, client, login_as, api, url
):
    held = created(
        api.post(url("conferences"), json={"year": 2007, "title": "C 2007", "held_on": "2007-12-06"})
    )
    refused = api.patch(url(f"conferences/{held['id']}"), json={"held_on": "2008-01-10"})
    assert refused.status_code == 422
    words = refused.get_json()["error"]["fields"]["held_on"][0]
    login_as(staff)
    detail = f"{_base(org)}/conferences/{held['id']}"
    assert "Change the conference" in client.get(detail).get_data(as_text=True)
    path = detail + "/edit"
    page = client.get(path).get_data(as_text=True)
    assert 'value="C 2007"' in page and 'value="2007"' in page
    form = {"csrf_token": csrf_token_from(page), "year": "2007", "title": "Tenants conference 2007"}
    response = client.post(path, data=form | _dated("held_on", "2008-01-10"))
    assert response.status_code == 422 and words in response.get_data(as_text=True)
    response = client.post(path, data=form | {"attendance": "97"} | _dated("held_on", "2007-12-06"))
    assert response.status_code == 303, response.get_data(as_text=True)
    assert "Tenants conference 2007 updated." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    changed = api.get(url(f"conferences/{held['id']}")).get_json()
    assert changed["title"] == "Tenants conference 2007" and changed["attendance"] == 97


def test_a_viewer_cannot_change_or_delete_and_sees_no_links(
    org, client, login_as, make_user, api, url, phase, make_target
):
    target = make_target()
    held = created(
        api.post(url("conferences"), json={"year": 2007, "title": "C 2007", "held_on": "2007-12-06"})
    )
    login_as(make_user(org, "viewer"))
    plan_page = client.get(f"{_base(org)}/plan").get_data(as_text=True)
    assert "/edit" not in plan_page and "/delete" not in plan_page
    target_page = client.get(f"{_base(org)}/targets/{target['id']}").get_data(as_text=True)
    assert "Delete the target" not in target_page
    assert "Change the conference" not in client.get(f"{_base(org)}/conferences/{held['id']}").get_data(
        as_text=True
    )
    token = csrf_token_from(target_page)
    for path in (
        f"/phases/{phase['id']}/edit",
        f"/phases/{phase['id']}/delete",
        f"/targets/{target['id']}/delete",
        f"/conferences/{held['id']}/edit",
    ):
        assert client.get(_base(org) + path).status_code == 403
        assert (
            client.post(_base(org) + path, data={"csrf_token": token, "title": "x" * 9999}).status_code == 403
        )
    assert api.get(url(f"targets/{target['id']}")).status_code == 200
