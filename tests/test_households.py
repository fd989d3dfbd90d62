"""``/households`` and ``/households/import``: homes and tenancies, and their all-or-nothing CSV import."""

import pytest
from sqlalchemy import func, select

from core.models import AuditEvent, Household
from core.tenancy import organisation_scope


@pytest.fixture
def org(make_org):
    return make_org("hill-homes")


@pytest.fixture
def api(org, make_user, api_client):
    return api_client(make_user(org, "staff"))


URL = "/api/v1/orgs/hill-homes/households"
CSV = {"Content-Type": "text/csv"}


def make_area(api, name, kind="estate", parent_id=None):
    body = {"name": name, "kind": kind, "parent_id": parent_id}
    return api.post("/api/v1/orgs/hill-homes/areas", json=body).get_json()["id"]


def test_create_read_change_and_delete_a_household(api):
    created = api.post(
        URL,
        json={
            "reference": "H-1",
            "address_lines": ["1 Ash Grove", " ", "Widnes"],
            "postcode": "wa8 7ab",
            "tenure": "sheltered",
        },
    )
    assert created.status_code == 201, created.get_json()
    household = created.get_json()
    assert household["address_lines"] == ["1 Ash Grove", "Widnes"]
    assert household["postcode"] == "WA8 7AB" and household["active"] is True
    assert household["created_at"].endswith("+00:00")
    changed = api.patch(f"{URL}/{household['id']}", json={"active": False, "tenure": None})
    assert changed.status_code == 200 and changed.get_json()["active"] is False
    assert api.get(f"{URL}/{household['id']}").get_json()["tenure"] is None
    assert api.delete(f"{URL}/{household['id']}").status_code == 204
    assert api.get(f"{URL}/{household['id']}").status_code == 404


def test_reference_is_unique_per_organisation(api, make_org, make_user, api_client):
    api.post(URL, json={"reference": "H-1"})
    again = api.post(URL, json={"reference": "H-1"})
    assert again.status_code == 409 and "H-1" in again.get_json()["error"]["message"]
    other = api.post(URL, json={"reference": "H-2"}).get_json()
    assert api.patch(f"{URL}/{other['id']}", json={"reference": "H-1"}).status_code == 409
    elsewhere = make_org("elsewhere")
    their_api = api_client(make_user(elsewhere, "staff"))
    assert their_api.post("/api/v1/orgs/elsewhere/households", json={"reference": "H-1"}).status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "reference"),
        ({"reference": "  "}, "reference"),
        ({"reference": "H", "postcode": "not a postcode"}, "postcode"),
        ({"reference": "H", "tenure": "freehold"}, "tenure"),
        ({"reference": "H", "area_id": 999999}, "area_id"),
        ({"reference": "H", "area_id": 10**30}, "area_id"),
        ({"reference": "H", "address_lines": ["x"] * 7}, "address_lines"),
        ({"reference": "H", "colour": "red"}, "colour"),
    ],
)
def test_invalid_households_are_422_naming_the_field(api, body, field):
    response = api.post(URL, json=body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_list_filters_by_area_and_the_areas_inside_it_tenure_active_postcode_and_text(api):
    north = make_area(api, "North", "management_area")
    hill = make_area(api, "Hill Estate", parent_id=north)
    south = make_area(api, "South", "management_area")
    api.post(
        URL,
        json={
            "reference": "N-1",
            "area_id": hill,
            "postcode": "WA8 1AA",
            "tenure": "general_needs",
            "address_lines": ["1 Ash Grove"],
        },
    )
    api.post(
        URL,
        json={
            "reference": "N-2",
            "area_id": north,
            "postcode": "WA8 2BB",
            "active": False,
            "address_lines": ["2 Élan Walk"],
        },
    )
    api.post(URL, json={"reference": "S-1", "area_id": south, "postcode": "L1 1AA", "tenure": "leasehold"})

    def refs(query):
        return [h["reference"] for h in api.get(f"{URL}?{query}").get_json()["items"]]

    assert refs(f"area_id={north}") == ["N-1", "N-2"]
    assert refs(f"area_id={hill}") == ["N-1"]
    assert refs("tenure=leasehold") == ["S-1"]
    assert refs("active=false") == ["N-2"]
    assert refs("postcode=wa8") == ["N-1", "N-2"] and refs("postcode=wa82") == ["N-2"]
    assert refs("q=ash grove") == ["N-1"] and refs("q=s-") == ["S-1"] and refs("q=Élan walk") == ["N-2"]
    assert refs("q=100%") == []
    assert api.get(f"{URL}?tenure=castle").status_code == 422


def test_delete_refuses_a_household_people_live_in(api):
    household = api.post(URL, json={"reference": "H-1"}).get_json()
    api.post(
        "/api/v1/orgs/hill-homes/participants",
        json={"first_name": "Ann", "last_name": "Lee", "household_id": household["id"]},
    )
    assert api.delete(f"{URL}/{household['id']}").status_code == 409


def test_viewers_read_households_but_cannot_write_or_import(org, api, make_user, api_client):
    api.post(URL, json={"reference": "H-1"})
    viewer = api_client(make_user(org, "viewer"))
    assert viewer.get(URL).get_json()["total"] == 1
    assert viewer.post(URL, json={"reference": "H-2"}).status_code == 403
    assert viewer.post(f"{URL}/import", data="reference\nH-3\n", headers=CSV).status_code == 403


def test_another_organisations_household_is_404(api, make_org, make_user, api_client):
    other = make_org("other-homes")
    theirs = (
        api_client(make_user(other, "staff"))
        .post("/api/v1/orgs/other-homes/households", json={"reference": "T-1"})
        .get_json()
    )
    assert api.get(f"{URL}/{theirs['id']}").status_code == 404
    assert api.patch(f"{URL}/{theirs['id']}", json={"active": False}).status_code == 404
    assert api.delete(f"{URL}/{theirs['id']}").status_code == 404


# -- import -------------------------------------------------------------------------------------
def test_import_creates_then_the_same_file_changes_nothing(api, org, db_session):
    make_area(api, "Hill Estate")
    text = (
        "Reference,Address Line 1,address_line_2,Postcode,area,tenure,active\n"
        "H-1,1 Ash Grove,Widnes,wa8 7ab,hill estate,General needs,yes\n"
        "H-2,2 Ash Grove,,WA8 7AB,,leasehold,no\n"
    )
    first = api.post(f"{URL}/import", data=text, headers=CSV)
    assert first.status_code == 200, first.get_json()
    assert first.get_json() == {"created": 2, "updated": 0, "unchanged": 0}
    households = {h["reference"]: h for h in api.get(URL).get_json()["items"]}
    assert households["H-1"]["address_lines"] == ["1 Ash Grove", "Widnes"]
    assert households["H-1"]["tenure"] == "general_needs" and households["H-1"]["area_id"] is not None
    assert households["H-2"]["active"] is False and households["H-2"]["area_id"] is None
    with organisation_scope(org.id):
        events_before = db_session.scalar(select(func.count()).select_from(AuditEvent))
    again = api.post(f"{URL}/import", data=text, headers=CSV)
    assert again.get_json() == {"created": 0, "updated": 0, "unchanged": 2}
    with organisation_scope(org.id):
        assert db_session.scalar(select(func.count()).select_from(AuditEvent)) == events_before
    assert api.get(URL).get_json()["items"][0]["updated_at"] == households["H-1"]["updated_at"]


def test_import_updates_only_changed_rows_and_only_the_columns_in_the_file(api):
    api.post(URL, json={"reference": "H-1", "tenure": "sheltered", "address_lines": ["1 Ash Grove"]})
    api.post(URL, json={"reference": "H-2", "postcode": "WA8 7AB"})
    result = api.post(
        f"{URL}/import", data="reference,postcode\nH-1,L1 1AA\nH-2,WA8 7AB\nH-3,\n", headers=CSV
    )
    assert result.get_json() == {"created": 1, "updated": 1, "unchanged": 1}
    one = api.get(f"{URL}?q=H-1").get_json()["items"][0]
    assert (
        one["postcode"] == "L1 1AA"
        and one["tenure"] == "sheltered"
        and one["address_lines"] == ["1 Ash Grove"]
    )


def test_import_reports_every_bad_row_and_column_at_once_and_writes_nothing(api):
    text = (
        "reference,postcode,tenure,active,area\n"
        "H-1,WA8 7AB,general_needs,yes,\n"
        "H-2,nonsense,castle,perhaps,\n"
        ",WA8 7AB,,,\n"
        "H-1,WA8 7AB,,,\n"
        "H-5,,,,Atlantis\n"
        "H-6,,,,,extra\n"
    )
    response = api.post(f"{URL}/import", data=text, headers=CSV)
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {
        "row 3.postcode",
        "row 3.tenure",
        "row 3.active",
        "row 4.reference",
        "row 5.reference",
        "row 6.area",
        "row 7",
    }
    assert "row 2" in fields["row 5.reference"][0]
    assert api.get(URL).get_json()["total"] == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("postcode\nWA8 7AB\n", "Missing column(s): reference"),
        ("reference,colour\nH-1,red\n", "Unknown column(s): colour"),
        ("reference,reference\nH-1,H-1\n", "given twice"),
        ("reference,address,address_line_1\nH-1,x,y\n", "not both"),
        ("", "empty"),
    ],
)
def test_import_header_problems_are_reported_under_header(api, text, message):
    response = api.post(f"{URL}/import", data=text, headers=CSV)
    assert response.status_code == 422
    assert message in " ".join(response.get_json()["error"]["fields"]["header"])


def test_import_ignores_empty_columns_without_a_heading_but_not_values_under_them(api):
    assert api.post(f"{URL}/import", data="reference,,\nH-1,,\n", headers=CSV).get_json()["created"] == 1
    response = api.post(f"{URL}/import", data="reference,\nH-2,stray\n", headers=CSV)
    assert response.status_code == 422 and "stray" in response.get_json()["error"]["fields"]["row 2"][0]


def test_import_finds_areas_by_name_or_id_and_refuses_an_ambiguous_name(api):
    hill = make_area(api, "Hill")
    make_area(api, "Twin", "street")
    make_area(api, "Twin", "block")
    text = f'reference,area,address\nH-1,{hill},"1 Ash Grove, Widnes"\nH-2,HILL,\nH-3,twin,\n'
    response = api.post(f"{URL}/import", data=text, headers=CSV)
    assert list(response.get_json()["error"]["fields"]) == ["row 4.area"]
    response = api.post(f"{URL}/import", data=text.replace("H-3,twin,\n", ""), headers=CSV)
    assert response.get_json()["created"] == 2
    assert [h["address_lines"] for h in api.get(f"{URL}?area_id={hill}").get_json()["items"]] == [
        ["1 Ash Grove", "Widnes"],
        [],
    ]


def test_import_accepts_a_multipart_file_and_a_spreadsheet_byte_order_mark(api):
    import io

    body = "\ufeffreference,address_line_1\nH-1,1 Café Row\n".encode()
    response = api.post(
        f"{URL}/import", data={"file": (io.BytesIO(body), "homes.csv")}, content_type="multipart/form-data"
    )
    assert response.status_code == 200, response.get_json()
    assert api.get(URL).get_json()["items"][0]["address_lines"] == ["1 Café Row"]
    windows = "reference,address_line_1\nH-2,2 Café Row\n".encode("cp1252")
    assert api.post(f"{URL}/import", data=windows, headers=CSV).get_json()["created"] == 1
    missing = api.post(f"{URL}/import", data={"other": "x"}, content_type="multipart/form-data")
    assert missing.status_code == 422 and "file" in missing.get_json()["error"]["fields"]


def test_import_needs_a_csv_upload(api):
    response = api.post(f"{URL}/import", json={"reference": "H-1"})
    assert response.status_code == 415
    assert response.get_json()["error"]["code"] == "unsupported_media_type"


def test_import_size_is_limited_with_a_clear_error(api, monkeypatch):
    from core.services import csv_import

    monkeypatch.setattr(csv_import, "MAX_ROWS", 3)
    rows = "".join(f"H-{n}\n" for n in range(4))
    response = api.post(f"{URL}/import", data=f"reference\n{rows}", headers=CSV)
    assert response.status_code == 422
    assert "At most 3 rows" in response.get_json()["error"]["fields"]["file"][0]
    assert api.post(f"{URL}/import", data=f"reference\n{rows[:-4]}", headers=CSV).status_code == 200


def test_a_malformed_csv_is_422_not_a_crash(api):
    response = api.post(f"{URL}/import", data='reference\n"H-1\0\n', headers=CSV)
    assert response.status_code == 422 and "NUL" in response.get_json()["error"]["fields"]["file"][0]
    assert api.post(f"{URL}/import", data='reference\n"H-1\n', headers=CSV).status_code in (200, 422)
    assert api.post(f"{URL}/import", data=b"\x81\x8d\x8f", headers=CSV).status_code == 422


def test_imported_households_are_audited_as_created(api, org, db_session):
    api.post(f"{URL}/import", data="reference\nH-1\nH-2\n", headers=CSV)
    with organisation_scope(org.id):
        actions = db_session.scalars(
            select(AuditEvent.action).where(AuditEvent.record_type == Household.__tablename__)
        ).all()
    assert actions == ["create", "create"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", URL, {"reference": "H\u0000"}),
        ("post", URL, {"reference": "H", "address_lines": ["1\u0000"]}),
        ("get", f"{URL}?q=%00", None),
        ("get", f"{URL}?postcode=%00", None),
        ("post", "/api/v1/orgs/hill-homes/participants", {"first_name": "A\u0000", "last_name": "B"}),
        ("get", "/api/v1/orgs/hill-homes/participants?q=%00", None),
        ("get", "/api/v1/orgs/hill-homes/participants?interest=%00", None),
    ],
)
def test_a_nul_character_is_422_not_a_crash(api, method, path, body):
    response = getattr(api, method)(path, json=body) if body else getattr(api, method)(path)
    assert response.status_code == 422
