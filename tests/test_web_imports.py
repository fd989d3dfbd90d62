"""CSV imports on pages: upload, a preview listing every bad row and column (the import service
run as a dry run: nothing written), confirm, all or nothing, and a re-import changes nothing."""

import io
from datetime import date

from core.models import Household, Participant, Survey, SurveyQuestion, SurveyResponse
from core.services.csv_import import HOUSEHOLDS, import_csv
from core.tenancy import organisation_scope
from core.testing import csrf_token_from

GOOD = "reference,address,postcode,tenure\nH-1,1 High Street,ls1 1aa,general needs\nH-2,2 High Street,,\n"
BAD = "reference,address,postcode,tenure\nH-1,1 High Street,not a postcode,castle\n,2 High Street,,\nH-3,,,\n"


def _token(client, path):
    return csrf_token_from(client.get(path).get_data(as_text=True))


def _upload(client, path, text, name="homes.csv"):
    return client.post(
        path,
        data={"csrf_token": _token(client, path), "file": (io.BytesIO(text.encode()), name)},
        content_type="multipart/form-data",
    )


def test_a_bad_file_is_previewed_with_every_problem_and_nothing_written(
    client, make_org, make_user, login_as, db_session
):
    org = make_org()
    login_as(make_user(org, "staff"))
    base = f"/o/{org.slug}/households/import"
    response = _upload(client, base, BAD)
    assert response.status_code == 303 and response.headers["Location"].endswith("/households/import/preview")
    preview = client.get(f"{base}/preview")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 422 and "Problems in the file" in page
    for words in ("postcode", "tenure", "castle", "Required.", ">2<", ">3<"):
        assert words in page, words
    assert "Import households</button>" not in page
    with organisation_scope(org.id):
        assert db_session.query(Household).count() == 0


def test_a_good_file_is_previewed_then_imported_and_again_changes_nothing(
    client, make_org, make_user, login_as, db_session
):
    org = make_org()
    with organisation_scope(org.id):
        db_session.add(Household(reference="H-2", address_lines=["Old address"]))
        db_session.commit()
    login_as(make_user(org, "staff"))
    base = f"/o/{org.slug}/households/import"
    assert "reference, address_line_1" in client.get(base).get_data(as_text=True)
    _upload(client, base, GOOD)
    page = client.get(f"{base}/preview").get_data(as_text=True)
    assert "To add" in page and "homes.csv" in page
    with organisation_scope(org.id):
        assert db_session.query(Household).count() == 1  # the preview wrote nothing
    response = client.post(f"{base}/preview", data={"csrf_token": _token(client, f"{base}/preview")})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "homes.csv imported: 1 added, 1 changed, 0 unchanged." in page
    with organisation_scope(org.id):
        assert db_session.query(Household).count() == 2
    # The kept file is gone: the preview sends the user back to upload.
    assert client.get(f"{base}/preview").status_code == 303
    _upload(client, base, GOOD)
    assert "Nothing would change" in client.get(f"{base}/preview").get_data(as_text=True)
    response = client.post(f"{base}/preview", data={"csrf_token": _token(client, f"{base}/preview")})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "0 added, 0 changed, 2 unchanged" in page


def test_the_dry_run_counts_without_writing(app, make_org, db_session):
    org = make_org()
    with app.test_request_context(), organisation_scope(org.id):
        db_session.add(Household(reference="H-2", address_lines=["2 High Street"]))
        db_session.flush()
        counts = import_csv(HOUSEHOLDS, GOOD, dry_run=True)
        assert counts == {"created": 1, "updated": 0, "unchanged": 1}
        assert db_session.query(Household).count() == 1


def test_no_file_chosen_and_not_csv(client, make_org, make_user, login_as):
    org = make_org()
    login_as(make_user(org, "staff"))
    base = f"/o/{org.slug}/households/import"
    response = client.post(
        base, data={"csrf_token": _token(client, base)}, content_type="multipart/form-data"
    )
    assert response.status_code == 422 and "Select a CSV file to import." in response.get_data(as_text=True)
    client.post(
        base,
        data={"csrf_token": _token(client, base), "file": (io.BytesIO(b"\x00\x01"), "x.csv")},
        content_type="multipart/form-data",
    )
    page = client.get(f"{base}/preview").get_data(as_text=True)
    assert "NUL bytes" in page


def test_participants_import_and_permissions(client, make_org, make_user, login_as, db_session):
    org, other = make_org(), make_org("other")
    login_as(make_user(org, "viewer"))
    token = _token(client, f"/o/{org.slug}/households")
    assert client.post(f"/o/{org.slug}/participants/import", data={"csrf_token": token}).status_code == 403
    assert (
        client.post(f"/o/{org.slug}/households/import/preview", data={"csrf_token": token}).status_code == 403
    )
    login_as(make_user(memberships={org: "staff", other: "staff"}))
    base = f"/o/{org.slug}/participants/import"
    _upload(client, base, "reference,first_name,last_name,access_needs\nP1,Ann,Lee,hearing loop;transport\n")
    # The kept file belongs to the organisation it was uploaded to.
    assert client.get("/o/other/participants/import/preview").status_code == 303
    response = client.post(f"{base}/preview", data={"csrf_token": _token(client, f"{base}/preview")})
    assert response.status_code == 303
    with organisation_scope(org.id):
        assert db_session.query(Participant).one().access_needs == ["hearing_loop", "transport"]


def test_survey_responses_import(client, make_org, make_user, login_as, db_session):
    org = make_org()
    with organisation_scope(org.id):
        survey = Survey(title="Tenant survey")
        db_session.add(survey)
        db_session.flush()
        db_session.add(
            SurveyQuestion(
                survey_id=survey.id, code="TP06", text="Listens?", scale="satisfaction", position=0
            )
        )
        db_session.commit()
        survey_id = survey.id
    login_as(make_user(org, "staff"))
    base = f"/o/{org.slug}/surveys/{survey_id}/responses/import"
    assert "TP06" in client.get(base).get_data(as_text=True)
    _upload(
        client, base, "response_id,responded_on,TP06\nR1,2025-05-01,Very satisfied\nR2,2025-05-02,Furious\n"
    )
    preview = client.get(f"{base}/preview")
    assert preview.status_code == 422 and "TP06" in preview.get_data(as_text=True)
    _upload(client, base, "response_id,responded_on,TP06\nR1,2025-05-01,Very satisfied\n")
    assert client.get(f"{base}/preview").status_code == 200
    response = client.post(f"{base}/preview", data={"csrf_token": _token(client, f"{base}/preview")})
    assert response.status_code == 303
    with organisation_scope(org.id):
        stored = db_session.query(SurveyResponse).one()
        assert stored.responded_on == date(2025, 5, 1)
