"""CHAIN project pages: the list (status and overdue filters), starting a project (refused in the
API's words), its page, and completing it with the outcome (a completion date before the start is
refused as the API refuses it); a viewer sees no controls and every post is refused 403 first."""

from __future__ import annotations

from markupsafe import escape

from core.testing import csrf_token_from

WEB = "/o/{slug}/plugins/customer_voice"


def _web(world) -> str:
    return WEB.format(slug=world.org.slug)


def _post(client, path, data):
    token = csrf_token_from(client.get(path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


PROJECT = {
    "title": "Tenancy Policy refresh",
    "scope_type": "policy",
    "scope": "Tenancy Policy",
    "starts_on-day": "1",
    "starts_on-month": "4",
    "starts_on-year": "2025",
    "planned_end_on-day": "30",
    "planned_end_on-month": "9",
    "planned_end_on-year": "2025",
}


def test_a_project_from_start_to_completed(world, client, login_as):
    login_as(world.admin)
    late = {**PROJECT, "planned_end_on-year": "2024"}
    api = world.api.post(
        f"{world.base}/chain-projects",
        json={
            "title": "Tenancy Policy refresh",
            "scope_type": "policy",
            "scope": "Tenancy Policy",
            "starts_on": "2025-04-01",
            "planned_end_on": "2024-09-30",
        },
    )
    refused = _post(client, f"{_web(world)}/chain-projects/new", late)
    assert api.status_code == 422 and refused.status_code == 422
    message = api.get_json()["error"]["fields"]["planned_end_on"][0]
    assert str(escape(message)) in refused.get_data(as_text=True)
    missing = _post(client, f"{_web(world)}/chain-projects/new", {**PROJECT, "scope_type": ""})
    assert missing.status_code == 422 and 'href="#scope_type"' in missing.get_data(as_text=True)

    started = _post(client, f"{_web(world)}/chain-projects/new", PROJECT)
    assert started.status_code == 303
    path = started.headers["Location"]
    page = client.get(path).get_data(as_text=True)
    assert "Project “Tenancy Policy refresh” started." in page and "Overdue" in page
    assert 'aria-current="page">CHAIN projects</a>' in page
    project_id = int(path.rsplit("/", 1)[1])
    overview = client.get(f"{_web(world)}/").get_data(as_text=True)
    assert f'href="{path}">Tenancy Policy refresh</a>' in overview  # overdue, linked from the overview

    too_early = {
        **PROJECT,
        "status": "completed",
        "completed_on-day": "1",
        "completed_on-month": "1",
        "completed_on-year": "2025",
    }
    refused = _post(client, f"{path}/edit", too_early)
    assert refused.status_code == 422
    assert "Cannot be before the project started." in refused.get_data(as_text=True)
    done = _post(
        client,
        f"{path}/edit",
        {**too_early, "completed_on-month": "9", "summary": "Customers rewrote the starter tenancy section."},
    )
    assert done.status_code == 303
    stored = world.api.get(f"{world.base}/chain-projects/{project_id}").get_json()
    assert stored["status"] == "completed" and stored["completed_on"] == "2025-09-01"
    assert stored["summary"] == "Customers rewrote the starter tenancy section."
    base = f"{_web(world)}/chain-projects"
    assert "Tenancy Policy refresh" in client.get(f"{base}?status=completed").get_data(as_text=True)
    assert "No project matches." in client.get(f"{base}?overdue=true").get_data(as_text=True)
    assert client.get(f"{base}?status=nope&overdue=maybe").status_code == 200


def test_a_viewer_sees_no_controls_and_is_refused_first(world, client, login_as, make_user):
    project = world.api.post(
        f"{world.base}/chain-projects",
        json={
            "title": "Repairs CHAIN",
            "scope_type": "service_area",
            "scope": "Repairs",
            "starts_on": "2025-04-01",
            "planned_end_on": "2025-09-30",
        },
    ).get_json()
    login_as(make_user(world.org, "viewer"))
    listed = client.get(f"{_web(world)}/chain-projects").get_data(as_text=True)
    assert "Repairs CHAIN" in listed and "Start a project" not in listed
    detail = client.get(f"{_web(world)}/chain-projects/{project['id']}").get_data(as_text=True)
    assert "/edit" not in detail
    token = csrf_token_from(listed)
    for path in ("/chain-projects/new", f"/chain-projects/{project['id']}/edit"):
        assert client.post(f"{_web(world)}{path}", data={"csrf_token": token, "title": ""}).status_code == 403
