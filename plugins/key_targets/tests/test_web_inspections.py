"""The tenant inspectors' pages: record an inspection item by item (a failed item with what is
wrong becomes an action), the list, one inspection with each item; refusals in the API's words,
each on the item it is about; a viewer sees no controls and is refused before input."""

from core.testing import csrf_token_from
from plugins.key_targets.tests.conftest import created, day


def _base(org) -> str:
    return f"/o/{org.slug}/plugins/key_targets"


def _dated(prefix: str, when) -> dict:
    return {
        f"{prefix}-day": str(when.day),
        f"{prefix}-month": str(when.month),
        f"{prefix}-year": str(when.year),
    }


def _home(api, core_url, reference="12 Matson Avenue") -> dict:
    return created(api.post(core_url("households"), json={"reference": reference}))


def test_an_officer_records_an_inspection_item_by_item_and_sees_each_item(
    org, staff, client, login_as, api, url, core_url
):
    home = _home(api, core_url)
    login_as(staff)
    path = f"{_base(org)}/inspections/new"
    form = client.get(path).get_data(as_text=True)
    assert "Clean throughout" in form and "Smoke alarms working" in form
    response = client.post(
        path,
        data={
            "csrf_token": csrf_token_from(form),
            "household_id": str(home["id"]),
            "item_clean": "pass",
            "item_smoke_alarms": "fail",
            "comment_smoke_alarms": "No alarm on the landing",
            "item_repairs": "pass",
            "notes": "Ready apart from the alarm",
        }
        | _dated("inspected_on", day(-2)),
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "failed items were added to the action plan" in page
    assert "No alarm on the landing" in page and "In the action plan" in page
    assert "Does not meet the minimum relet standard" in page and "Record a re-inspection" in page
    stored = api.get(url("inspections")).get_json()["items"][0]
    assert stored["passed"] is False
    assert [(r["item"], r["passed"]) for r in stored["results"]] == [
        ("clean", True),
        ("smoke_alarms", False),
        ("repairs", True),
    ]
    listed = client.get(f"{_base(org)}/inspections").get_data(as_text=True)
    assert "12 Matson Avenue" in listed and "Failed" in listed and "1 inspection" in listed
    again = client.get(
        f"{_base(org)}/inspections/new?household_id={home['id']}&reinspection_of_id={stored['id']}"
    ).get_data(as_text=True)
    assert f'<option value="{stored["id"]}" selected' in again


def test_the_inspection_form_refuses_what_the_api_refuses_in_the_same_words(
    org, staff, client, login_as, api, url, core_url
):
    home = _home(api, core_url)
    body = {
        "household_id": home["id"],
        "inspected_on": day(0).isoformat(),
        "results": [{"item": "clean", "passed": False}, {"item": "smoke_alarms", "passed": True}],
    }
    answer = api.post(url("inspections"), json=body)
    assert answer.status_code == 422
    fields = answer.get_json()["error"]["fields"]
    missing, no_comment = fields["results"][0], fields["results.0.comment"][0]
    future = api.post(url("inspections"), json={**body, "inspected_on": day(3).isoformat()})
    future_words = future.get_json()["error"]["fields"]["inspected_on"][0]
    login_as(staff)
    path = f"{_base(org)}/inspections/new"
    token = csrf_token_from(client.get(path).get_data(as_text=True))
    form = {"csrf_token": token, "household_id": str(home["id"]), "item_clean": "fail"}
    response = client.post(path, data=form | {"item_smoke_alarms": "pass"} | _dated("inspected_on", day(0)))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "<title>Error:" in page
    assert missing in page and 'href="#item_repairs"' in page
    assert no_comment in page and 'href="#comment_clean"' in page
    response = client.post(
        path,
        data=form
        | {"comment_clean": "Dirty", "item_smoke_alarms": "pass", "item_repairs": "pass"}
        | _dated("inspected_on", day(3)),
    )
    assert response.status_code == 422 and future_words in response.get_data(as_text=True)
    assert 'href="#inspected_on-day"' in response.get_data(as_text=True)
    assert api.get(url("inspections")).get_json()["items"] == []


def test_a_viewer_sees_inspections_without_controls_and_is_refused_before_input(
    org, client, login_as, make_user, api, url, core_url
):
    home = _home(api, core_url)
    done = created(
        api.post(
            url("inspections"),
            json={
                "household_id": home["id"],
                "inspected_on": day(-1).isoformat(),
                "results": [
                    {"item": "clean", "passed": False, "comment": "Dirty kitchen"},
                    {"item": "smoke_alarms", "passed": True},
                    {"item": "repairs", "passed": True},
                ],
            },
        )
    )
    login_as(make_user(org, "viewer"))
    page = client.get(f"{_base(org)}/inspections/{done['id']}").get_data(as_text=True)
    assert "Dirty kitchen" in page and "Record a re-inspection" not in page
    assert "Record an inspection" not in client.get(f"{_base(org)}/inspections").get_data(as_text=True)
    assert client.get(f"{_base(org)}/inspections/new").status_code == 403
    refused = client.post(
        f"{_base(org)}/inspections/new", data={"csrf_token": csrf_token_from(page), "household_id": "x"}
    )
    assert refused.status_code == 403
