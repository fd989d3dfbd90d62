"""Representatives' pages: appoint, add households street by street (the 30-tenancy-holder rule and
the one-representative-per-household rule refused in the API's words), move a household, take one
out, stand down; views put forward, answered and closed; viewers see no controls and are refused
before any input is read."""

from datetime import date, timedelta
from html import unescape

from core.testing import csrf_token_from
from plugins.street_reps.tests.conftest import appoint, url

PAGES = "/o/{slug}/plugins/street_reps"


def _page(org, path=""):
    return PAGES.format(slug=org.slug) + path


def _token(client, path):
    return csrf_token_from(client.get(path).get_data(as_text=True))


def _staff(org, make_user, login_as):
    user = make_user(org, "staff")
    login_as(user)
    return user


def test_an_officer_appoints_a_representative_and_sees_the_patch(org, estate, client, make_user, login_as):
    _staff(org, make_user, login_as)
    token = _token(client, _page(org, "/reps/new"))
    day = date.today()
    response = client.post(
        _page(org, "/reps/new"),
        data={
            "csrf_token": token,
            "participant_id": str(estate["tenants"][0]),
            "patch_name": "Ash Grove north",
            "appointed_on-day": str(day.day),
            "appointed_on-month": str(day.month),
            "appointed_on-year": str(day.year),
        },
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Street representative appointed for Ash Grove north." in page
    assert "Tenant0 Holder" in page and "No households are in this patch." in page
    listing = client.get(_page(org, "/reps")).get_data(as_text=True)
    assert "Ash Grove north" in listing and "0 of 30" in listing


def test_appointing_the_same_person_twice_is_refused_in_the_api_words(
    org, estate, api, client, make_user, login_as
):
    appoint(api, org, estate["tenants"][0])
    refused = appoint(api, org, estate["tenants"][0], patch_name="Again")
    assert refused.status_code == 409
    words = refused.get_json()["error"]["message"]
    _staff(org, make_user, login_as)
    token = _token(client, _page(org, "/reps/new"))
    response = client.post(
        _page(org, "/reps/new"),
        data={
            "csrf_token": token,
            "participant_id": str(estate["tenants"][0]),
            "patch_name": "Again",
            "appointed_on-day": "1",
            "appointed_on-month": "4",
            "appointed_on-year": "2025",
        },
    )
    assert response.status_code == 422
    page = unescape(response.get_data(as_text=True))
    assert words in page and "<title>Error:" in page


def test_the_thirty_tenancy_holder_limit_is_explained_on_the_page(
    org, estate, api, client, make_user, login_as
):
    rep = appoint(api, org, estate["tenants"][0], estate["ash_homes"][:28]).get_json()
    extra = estate["ash_homes"][28:33]
    api_refusal = api.post(url(org, f"reps/{rep['id']}/households"), json={"household_ids": extra})
    assert api_refusal.status_code == 409
    words = api_refusal.get_json()["error"]["message"]
    assert "at most 30 tenancy holders" in words
    _staff(org, make_user, login_as)
    path = _page(org, f"/reps/{rep['id']}/households?area_id={estate['ash']}")
    form = client.get(path).get_data(as_text=True)
    assert "already in Ash Grove" in form  # the households of this patch are marked
    response = client.post(
        _page(org, f"/reps/{rep['id']}/households"),
        data={"csrf_token": csrf_token_from(form), "area_id": str(estate["ash"]), "household_ids": extra},
    )
    assert response.status_code == 422
    assert words in unescape(response.get_data(as_text=True))
    # Two fit: saved, and the patch shows 30 of 30.
    response = client.post(
        _page(org, f"/reps/{rep['id']}/households"),
        data={"csrf_token": csrf_token_from(form), "area_id": str(estate["ash"]), "household_ids": extra[:2]},
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Households added to Ash Grove." in page and "30 of at most 30" in page


def test_one_representative_per_household_then_move_take_out_and_stand_down(
    org, estate, api, client, make_user, login_as
):
    first = appoint(api, org, estate["tenants"][0], estate["ash_homes"][:3]).get_json()
    second = appoint(api, org, estate["tenants"][1], patch_name="Birch Road").get_json()
    taken = estate["ash_homes"][0]
    api_refusal = api.post(url(org, f"reps/{second['id']}/households"), json={"household_ids": [taken]})
    words = api_refusal.get_json()["error"]["message"]
    assert "one street representative at most" in words
    _staff(org, make_user, login_as)
    form = client.get(_page(org, f"/reps/{second['id']}/households?area_id={estate['ash']}"))
    response = client.post(
        _page(org, f"/reps/{second['id']}/households"),
        data={
            "csrf_token": csrf_token_from(form.get_data(as_text=True)),
            "area_id": str(estate["ash"]),
            "household_ids": [taken],
        },
    )
    assert response.status_code == 422 and words in unescape(response.get_data(as_text=True))

    move = _page(org, f"/reps/{first['id']}/households/{taken}/move")
    token = _token(client, move)
    response = client.post(move, data={"csrf_token": token, "to_rep_id": str(second["id"])})
    assert response.status_code == 303
    patch = api.get(url(org, f"reps/{second['id']}/households")).get_json()
    assert [h["id"] for h in patch["households"]] == [taken]
    response = client.post(move, data={"csrf_token": token, "to_rep_id": str(second["id"])})
    assert response.status_code == 422  # no longer in the first patch: refused, nothing changed
    assert "not in the representative" in unescape(response.get_data(as_text=True))

    other = estate["ash_homes"][1]
    response = client.post(
        _page(org, f"/reps/{first['id']}/households/{other}/remove"), data={"csrf_token": token}
    )
    assert response.status_code == 303
    assert api.get(url(org, f"reps/{first['id']}")).get_json()["households"] == 1

    stand_down = _page(org, f"/reps/{first['id']}/stand-down")
    before = date.today() - timedelta(days=400)
    response = client.post(
        stand_down,
        data={
            "csrf_token": token,
            "stood_down_on-day": str(before.day),
            "stood_down_on-month": str(before.month),
            "stood_down_on-year": str(before.year),
        },
    )
    assert response.status_code == 422 and "Cannot be before the appointment." in response.get_data(
        as_text=True
    )
    day = date.today()
    response = client.post(
        stand_down,
        data={
            "csrf_token": token,
            "stood_down_on-day": str(day.day),
            "stood_down_on-month": str(day.month),
            "stood_down_on-year": str(day.year),
        },
    )
    assert response.status_code == 303
    rep = api.get(url(org, f"reps/{first['id']}")).get_json()
    assert rep["stood_down_on"] == day.isoformat() and rep["households"] == 0
    page = client.get(_page(org, f"/reps/{first['id']}")).get_data(as_text=True)
    assert "Stood down" in page and "Add households" not in page


def test_a_view_is_recorded_answered_and_closed(org, estate, api, client, make_user, login_as):
    rep = appoint(api, org, estate["tenants"][0]).get_json()
    _staff(org, make_user, login_as)
    new = _page(org, f"/reps/{rep['id']}/views/new")
    token = _token(client, new)
    day = date.today()
    when = {
        "submitted_on-day": str(day.day),
        "submitted_on-month": str(day.month),
        "submitted_on-year": str(day.year),
    }
    api_refusal = api.post(
        url(org, f"reps/{rep['id']}/views"),
        json={"summary": "Bins", "view": "More bins", "submitted_on": day.isoformat()},
    )
    assert api_refusal.status_code == 422
    words = api_refusal.get_json()["error"]["fields"]["topic"][0]
    response = client.post(
        new, data={"csrf_token": token, "topic": "parking", "summary": "x", "view": "y", **when}
    )
    assert response.status_code == 422  # not one of the choices offered: refused by the form itself
    response = client.post(new, data={"csrf_token": token, "summary": "Bins", "view": "More bins", **when})
    assert response.status_code == 422 and words in response.get_data(as_text=True)
    assert 'href="#topic"' in response.get_data(as_text=True)
    response = client.post(
        new,
        data={
            "csrf_token": token,
            "topic": "environmental_works",
            "summary": "Bins",
            "view": "More bins",
            **when,
        },
    )
    assert response.status_code == 303
    detail = response.headers["Location"]
    page = client.get(detail).get_data(as_text=True)
    assert "View recorded." in page and "Record the answer" in page
    response = client.post(detail, data={"csrf_token": token, "answer": "   "})
    assert response.status_code == 422
    response = client.post(
        detail,
        data={
            "csrf_token": token,
            "answer": "Two more bins ordered",
            **{
                "answered_on-day": str(day.day),
                "answered_on-month": str(day.month),
                "answered_on-year": str(day.year),
            },
        },
    )
    assert response.status_code == 303
    view_id = int(detail.rstrip("/").rsplit("/", 1)[1])
    assert api.get(url(org, f"views/{view_id}")).get_json()["status"] == "answered"
    response = client.post(_page(org, f"/views/{view_id}/close"), data={"csrf_token": token})
    assert response.status_code == 303
    assert api.get(url(org, f"views/{view_id}")).get_json()["status"] == "closed"
    listing = client.get(_page(org, "/views?status=closed")).get_data(as_text=True)
    assert "Bins" in listing and "1 view" in listing


def test_closing_an_unanswered_view_is_refused_in_the_api_words(
    org, estate, api, client, make_user, login_as
):
    rep = appoint(api, org, estate["tenants"][0]).get_json()
    view = api.post(
        url(org, f"reps/{rep['id']}/views"),
        json={
            "topic": "community_safety",
            "summary": "Lights",
            "view": "Dark path",
            "submitted_on": date.today().isoformat(),
        },
    ).get_json()
    refused = api.patch(url(org, f"views/{view['id']}"), json={"status": "closed"})
    words = refused.get_json()["error"]["message"]
    _staff(org, make_user, login_as)
    token = _token(client, _page(org, f"/views/{view['id']}"))
    response = client.post(_page(org, f"/views/{view['id']}/close"), data={"csrf_token": token})
    assert response.status_code == 422 and words in unescape(response.get_data(as_text=True))


def test_a_viewer_sees_no_controls_and_is_refused_before_input(org, estate, api, client, make_user, login_as):
    rep = appoint(api, org, estate["tenants"][0], estate["ash_homes"][:2]).get_json()
    login_as(make_user(org, "viewer"))
    token = _token(client, _page(org, "/reps"))
    for path in ("/reps", f"/reps/{rep['id']}", "/views"):
        page = client.get(_page(org, path))
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert (
            "Appoint a representative" not in html and "Add households" not in html and "Take out" not in html
        )
    for path in (
        "/reps/new",
        f"/reps/{rep['id']}/households",
        f"/reps/{rep['id']}/stand-down",
        f"/reps/{rep['id']}/views/new",
        f"/reps/{rep['id']}/households/{estate['ash_homes'][0]}/remove",
        f"/reps/{rep['id']}/households/{estate['ash_homes'][0]}/move",
        f"/reps/{rep['id']}/edit",
    ):
        data = {"csrf_token": token, "household_ids": "not-a-number", "to_rep_id": "x"}
        assert client.post(_page(org, path), data=data).status_code == 403


def test_board_pis_period_picker_never_errors(org, client, make_user, login_as):
    login_as(make_user(org, "viewer"))
    for query in ("", "?period=2025-26-Q1", "?period=2025-26", "?period=nonsense", "?period=" + "9" * 300):
        response = client.get(_page(org, "/board-pis") + query)
        assert response.status_code == 200, query
        assert '<select class="govuk-select" id="period" name="period">' in response.get_data(as_text=True)
