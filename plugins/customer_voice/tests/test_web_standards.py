"""Standards report pages: start the report, assess every expectation, present it to Board;
presenting with expectations unassessed is refused in the API's words."""

from __future__ import annotations

from markupsafe import escape

from core.testing import csrf_token_from
from plugins.customer_voice.vocab import EXPECTATION_CODES

WEB = "/o/{slug}/plugins/customer_voice"


def _web(world) -> str:
    return WEB.format(slug=world.org.slug)


def _post(client, path, data, page=None):
    token = csrf_token_from(client.get(page or path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def test_a_report_goes_from_draft_to_presented(world, client, login_as):
    login_as(world.admin)
    listing = f"{_web(world)}/standards"
    started = _post(client, f"{listing}/new", {}, page=listing)
    assert started.status_code == 303
    report_path = started.headers["Location"]
    assert "Standards report started." in client.get(report_path).get_data(as_text=True)
    again = _post(client, f"{listing}/new", {}, page=listing)
    assert again.status_code == 422 and "There is already a standards report" in again.get_data(as_text=True)

    report_id = int(report_path.rsplit("/", 1)[1])
    api = world.api.patch(f"{world.base}/standards-reports/{report_id}", json={"status": "presented"})
    assert api.status_code == 409
    early = _post(client, f"{report_path}/present", {})
    assert early.status_code == 422
    assert str(escape(api.get_json()["error"]["message"])) in early.get_data(as_text=True)

    no_rating = _post(client, f"{report_path}/assess/scrutiny", {"commentary": "Ustoo met monthly"})
    api = world.api.patch(
        f"{world.base}/standards-reports/{report_id}", json={"assessments": {"scrutiny": {"commentary": "x"}}}
    )
    assert no_rating.status_code == 422 and 'href="#rating"' in no_rating.get_data(as_text=True)
    assert api.status_code == 422
    assert str(escape("Missing data for required field.")) in no_rating.get_data(as_text=True)

    for code in EXPECTATION_CODES:
        saved = _post(client, f"{report_path}/assess/{code}", {"rating": "met", "commentary": f"{code} ok"})
        assert saved.status_code == 303, code
    presented = _post(
        client,
        f"{report_path}/present",
        {"presented_on-day": "20", "presented_on-month": "3", "presented_on-year": "2026"},
    )
    assert presented.status_code == 303
    page = client.get(report_path).get_data(as_text=True)
    assert "Presented to Board on 20 March 2026" in page and "Record as presented" not in page
    assert client.get(f"{report_path}/assess/nothing").status_code in (303, 404)


def test_an_unknown_expectation_is_not_found(world, client, login_as):
    report = world.api.post(f"{world.base}/standards-reports", json={}).get_json()
    login_as(world.admin)
    assert client.get(f"{_web(world)}/standards/{report['id']}/assess/nothing").status_code == 404


def test_a_viewer_sees_no_controls_and_is_refused_first(world, client, login_as, make_user):
    report = world.api.post(f"{world.base}/standards-reports", json={}).get_json()
    login_as(make_user(world.org, "viewer"))
    page = client.get(f"{_web(world)}/standards").get_data(as_text=True)
    assert "Start the report" not in page
    detail = client.get(f"{_web(world)}/standards/{report['id']}").get_data(as_text=True)
    assert "/assess/" not in detail and "Record as presented" not in detail
    token = csrf_token_from(page)
    for path in (
        "/standards/new",
        f"/standards/{report['id']}/assess/scrutiny",
        f"/standards/{report['id']}/present",
    ):
        assert client.post(f"{_web(world)}{path}", data={"csrf_token": token}).status_code == 403, path
