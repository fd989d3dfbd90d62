"""The plan's pages: add and change a target, record progress and complete it, record a deadline
as met, import a plan from CSV with its row errors, in the API's words; a viewer is refused
before the form is read and sees no edit controls."""

import io

from core.testing import csrf_token_from
from plugins.key_targets.tests.conftest import day


def _base(org) -> str:
    return f"/o/{org.slug}/plugins/key_targets"


def _token(client, path: str) -> str:
    return csrf_token_from(client.get(path).get_data(as_text=True))


def test_an_officer_adds_a_target_and_sees_it_in_the_plan(org, staff, client, login_as, phase):
    login_as(staff)
    path = f"{_base(org)}/targets/new"
    response = client.post(
        path,
        data={
            "csrf_token": _token(client, path),
            "phase_id": str(phase["id"]),
            "reference": "4.1",
            "action": "Train tenant inspectors",
            "deadlines": "31/12/2006; 2007-03-01",
            "responsibility": "Involvement officer",
            "strategic_aims": "value_for_money",
            "status": "in_progress",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Target 4.1 added to the plan." in page
    assert "31 December 2006" in page and "01 March 2007" in page
    assert "Value for money" in page and "Involvement officer" in page
    plan = client.get(f"{_base(org)}/plan").get_data(as_text=True)
    assert "Train tenant inspectors" in plan


def test_the_target_form_refuses_what_the_api_refuses_in_the_same_words(
    org, staff, client, login_as, api, url, phase, make_target
):
    make_target(reference="1")
    body = {"phase_id": phase["id"], "reference": "1", "action": "Again", "deadlines": ["2006-12-01"]}
    api_answer = api.post(url("targets"), json=body)
    assert api_answer.status_code == 409
    api_words = api_answer.get_json()["error"]["message"]
    bad_date = api.post(url("targets"), json={**body, "reference": "2", "deadlines": ["soon"]})
    assert bad_date.status_code == 422
    date_words = bad_date.get_json()["error"]["fields"]["deadlines.0"][0]
    login_as(staff)
    path = f"{_base(org)}/targets/new"
    form = {"csrf_token": _token(client, path), "phase_id": str(phase["id"]), "action": "Again"}
    response = client.post(path, data={**form, "reference": "1", "deadlines": "01/12/2006"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "<title>Error:" in page and api_words.replace("'", "&#39;") in page
    response = client.post(path, data={**form, "reference": "2", "deadlines": "soon"})
    assert response.status_code == 422
    assert "Not a valid date." in date_words and "Not a valid date." in response.get_data(as_text=True)
    assert 'href="#deadlines"' in response.get_data(as_text=True)


def test_an_officer_changes_a_target(org, staff, client, login_as, make_target):
    target = make_target(reference="5", action="Hold a conference")
    login_as(staff)
    path = f"{_base(org)}/targets/{target['id']}/edit"
    page = client.get(path).get_data(as_text=True)
    assert "01/12/2006" in page
    response = client.post(
        path,
        data={
            "csrf_token": csrf_token_from(page),
            "phase_id": str(target["phase_id"]),
            "reference": "5",
            "action": "Hold the annual conference",
            "deadlines": "01/12/2006",
            "status": "not_started",
        },
    )
    assert response.status_code == 303
    assert "Hold the annual conference" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_progress_with_done_completes_the_target_and_is_logged(
    org, staff, client, login_as, make_target, api, url
):
    target = make_target()
    login_as(staff)
    path = f"{_base(org)}/targets/{target['id']}/progress"
    page = client.get(f"{path}?status=done").get_data(as_text=True)
    assert 'value="done" selected' in page
    response = client.post(
        path, data={"csrf_token": csrf_token_from(page), "note": "Conference held.", "status": "done"}
    )
    assert response.status_code == 303
    answer = api.get(url(f"targets/{target['id']}")).get_json()
    assert answer["status"] == "done" and answer["completed_on"] is not None
    assert [p["note"] for p in answer["progress"]][-1] == "Conference held."


def test_progress_in_the_future_is_refused_in_the_apis_words(
    org, staff, client, login_as, make_target, api, url
):
    target = make_target()
    tomorrow = day(1)
    api_answer = api.post(
        url(f"targets/{target['id']}/progress"), json={"note": "x", "recorded_on": tomorrow.isoformat()}
    )
    assert api_answer.status_code == 422
    words = api_answer.get_json()["error"]["fields"]["recorded_on"][0]
    login_as(staff)
    path = f"{_base(org)}/targets/{target['id']}/progress"
    response = client.post(
        path,
        data={
            "csrf_token": _token(client, path),
            "note": "x",
            "recorded_on-day": str(tomorrow.day),
            "recorded_on-month": str(tomorrow.month),
            "recorded_on-year": str(tomorrow.year),
        },
    )
    assert response.status_code == 422 and words in response.get_data(as_text=True)
    empty = client.post(path, data={"csrf_token": _token(client, path), "note": ""})
    assert empty.status_code == 422 and "Missing data for required field." in empty.get_data(as_text=True)


def test_a_deadline_is_recorded_as_met(org, staff, client, login_as, make_target, api, url):
    target = make_target()
    deadline = target["deadlines"][0]
    login_as(staff)
    path = f"{_base(org)}/targets/{target['id']}/deadlines/{deadline['id']}"
    page = client.get(path).get_data(as_text=True)
    response = client.post(
        path,
        data={
            "csrf_token": csrf_token_from(page),
            "met_on-day": "30",
            "met_on-month": "11",
            "met_on-year": "2006",
        },
    )
    assert response.status_code == 303
    answer = api.get(url(f"targets/{target['id']}")).get_json()
    assert answer["deadlines"][0]["met_on"] == "2006-11-30"


def test_the_plan_import_lists_every_bad_row_and_imports_nothing(
    org, staff, client, login_as, phase, api, url
):
    login_as(staff)
    path = f"{_base(org)}/plan/import"
    bad = "phase,ref,action,deadlines\nYear 1,1,Hold a conference,01/12/2006\nYear 9,2,Train,soon\n"
    response = client.post(
        path,
        data={"csrf_token": _token(client, path), "file": (io.BytesIO(bad.encode()), "plan.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    api_answer = api.post(url("targets/import"), data=bad.encode(), content_type="text/csv")
    assert api_answer.status_code == 422
    for cell, words in api_answer.get_json()["error"]["fields"].items():
        assert cell.capitalize() in page and words[0].replace("'", "&#39;") in page
    assert api.get(url("targets")).get_json()["total"] == 0
    good = "phase,ref,action,deadlines\nYear 1,1,Hold a conference,01/12/2006\n"
    response = client.post(
        path,
        data={"csrf_token": _token(client, path), "file": (io.BytesIO(good.encode()), "plan.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    assert "1 added, 0 changed" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_viewer_is_refused_before_input_and_sees_no_controls(org, client, login_as, make_user, make_target):
    target = make_target()
    login_as(make_user(org, "viewer"))
    base = _base(org)
    token = _token(client, f"{base}/targets/{target['id']}")
    for path in (
        "targets/new",
        f"targets/{target['id']}/edit",
        f"targets/{target['id']}/progress",
        f"targets/{target['id']}/deadlines/{target['deadlines'][0]['id']}",
        "plan/import",
    ):
        assert client.get(f"{base}/{path}").status_code == 403
        refused = client.post(f"{base}/{path}", data={"csrf_token": token, "reference": "x" * 999})
        assert refused.status_code == 403
    page = client.get(f"{base}/targets/{target['id']}").get_data(as_text=True)
    assert "Record progress" not in page and "Change the target" not in page and "Record as met" not in page
    assert "Add a target" not in client.get(f"{base}/plan").get_data(as_text=True)
