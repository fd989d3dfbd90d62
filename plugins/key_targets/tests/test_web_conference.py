"""The conference pages: record the year's conference, record its decisions (changing a target,
logged on it), refusals in the API's words; a viewer is refused before input and sees no forms."""

from datetime import date

from core.testing import csrf_token_from
from plugins.key_targets.tests.conftest import created, day


def _base(org) -> str:
    return f"/o/{org.slug}/plugins/key_targets"


def _token(client, path: str) -> str:
    return csrf_token_from(client.get(path).get_data(as_text=True))


def _held(prefix: str, when) -> dict:
    return {
        f"{prefix}-day": str(when.day),
        f"{prefix}-month": str(when.month),
        f"{prefix}-year": str(when.year),
    }


def test_an_officer_records_the_conference_and_a_decision_that_changes_a_target(
    org, staff, client, login_as, make_target, api, url
):
    target = make_target(reference="7", deadlines=["2007-12-01"])
    login_as(staff)
    path = f"{_base(org)}/conferences/new"
    response = client.post(
        path,
        data={
            "csrf_token": _token(client, path),
            "year": "2007",
            "title": "Conference 2007",
            "attendance": "97",
        }
        | _held("held_on", date(2007, 12, 6)),
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    detail = response.headers["Location"]
    page = client.get(detail).get_data(as_text=True)
    assert "Conference 2007 recorded." in page and "Record a decision" in page
    response = client.post(
        detail + "/decisions",
        data={
            "csrf_token": csrf_token_from(page),
            "text": "Hold the conference every year",
            "target_id": str(target["id"]),
            "set_status": "in_progress",
        }
        | _held("add_deadline", date(2008, 12, 1)),
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Decision recorded." in page and "Hold the conference every year" in page
    changed = api.get(url(f"targets/{target['id']}")).get_json()
    assert changed["status"] == "in_progress" and len(changed["deadlines"]) == 2
    assert changed["progress"][-1]["source"] == "conference"
    listed = client.get(f"{_base(org)}/conferences").get_data(as_text=True)
    assert "Conference 2007" in listed


def test_the_conference_forms_refuse_what_the_api_refuses_in_the_same_words(
    org, staff, client, login_as, api, url
):
    wrong_year = {"year": 2007, "title": "C", "held_on": "2008-01-10"}
    answer = api.post(url("conferences"), json=wrong_year)
    assert answer.status_code == 422
    words = answer.get_json()["error"]["fields"]["held_on"][0]
    login_as(staff)
    path = f"{_base(org)}/conferences/new"
    response = client.post(
        path,
        data={"csrf_token": _token(client, path), "year": "2007", "title": "C", "held_on-day": "10"}
        | {"held_on-month": "1", "held_on-year": "2008"},
    )
    assert response.status_code == 422 and words in response.get_data(as_text=True)
    assert 'href="#held_on-day"' in response.get_data(as_text=True)
    future = created(
        api.post(
            url("conferences"), json={"year": day(30).year, "title": "Next", "held_on": day(30).isoformat()}
        )
    )
    refused = api.post(url(f"conferences/{future['id']}/decisions"), json={"text": "Too early"})
    assert refused.status_code == 409
    detail = f"{_base(org)}/conferences/{future['id']}"
    response = client.post(
        detail + "/decisions", data={"csrf_token": _token(client, detail), "text": "Too early"}
    )
    assert response.status_code == 422
    assert refused.get_json()["error"]["message"] in response.get_data(as_text=True)


def test_a_viewer_sees_conferences_without_forms_and_is_refused_before_input(
    org, client, login_as, make_user, api, url
):
    held = created(
        api.post(url("conferences"), json={"year": 2007, "title": "Conference 2007", "held_on": "2007-12-06"})
    )
    login_as(make_user(org, "viewer"))
    detail = f"{_base(org)}/conferences/{held['id']}"
    page = client.get(detail).get_data(as_text=True)
    assert "Conference 2007" in page and "Record a decision" not in page
    assert "Record a conference" not in client.get(f"{_base(org)}/conferences").get_data(as_text=True)
    token = csrf_token_from(page)
    assert client.get(f"{_base(org)}/conferences/new").status_code == 403
    for path in (f"{_base(org)}/conferences/new", detail + "/decisions"):
        assert client.post(path, data={"csrf_token": token, "text": "x" * 99999}).status_code == 403


def test_a_conference_decision_adds_a_new_target_to_the_plan_and_refuses_in_the_api_words(
    org, staff, client, login_as, api, url, phase
):
    held = created(
        api.post(url("conferences"), json={"year": 2006, "title": "Conference 2006", "held_on": "2006-12-05"})
    )
    answer = api.post(
        url(f"conferences/{held['id']}/decisions"),
        json={
            "text": "x",
            "new_target": {"phase_id": phase["id"], "reference": "16", "action": "No deadline"},
        },
    )
    assert answer.status_code == 422
    words = answer.get_json()["error"]["fields"]["new_target.deadlines"][0]
    login_as(staff)
    detail = f"{_base(org)}/conferences/{held['id']}"
    page = client.get(detail).get_data(as_text=True)
    assert "Or a new target the decision adds to the plan" in page
    form = {
        "csrf_token": csrf_token_from(page),
        "text": "Hold one community action day encouraging BME involvement",
        "new_phase_id": str(phase["id"]),
        "new_reference": "15",
        "new_action": "Hold one community action day for all residents encouraging BME involvement",
    }
    response = client.post(detail + "/decisions", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and words in page and 'href="#new_deadlines"' in page
    assert api.get(url("targets")).get_json()["items"] == []
    response = client.post(
        detail + "/decisions", data=form | {"new_deadlines": "31/12/2006", "new_responsibility": "HR Manager"}
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The new target was added to the plan." in page
    added = api.get(url("targets")).get_json()["items"][0]
    assert added["reference"] == "15" and added["responsibility"] == ["HR Manager"]
    assert [d["due_on"] for d in added["deadlines"]] == ["2006-12-31"]
    log = api.get(url(f"targets/{added['id']}")).get_json()["progress"]
    assert log[0]["source"] == "conference" and log[0]["recorded_on"] == "2006-12-05"
