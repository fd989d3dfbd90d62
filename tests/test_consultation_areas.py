"""Consultation areas and easy-read versions (migration 0006u_consultation_areas).

A consultation may name one area of its own organisation (another's is refused naming
``area_id``, by the API and the staff form alike); residents filter "you said, we did" by topic and
area and see the area on each item. Staff attach the landlord's easy-read version (an http(s) link
with a short description) to a consultation and to a published impact assessment, and the
residents' site links to it."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, inspect

from core import plugin_kit
from core.models import Activity, Area, Consultation, ConsultationFeedback, ImpactAssessment
from core.tenancy import organisation_scope
from core.testing import csrf_token_from

TODAY = plugin_kit.today()
YEAR = "2025-26"


def _area(db_session, org, name, parent_id=None, kind="estate"):
    with organisation_scope(org.id):
        area = Area(name=name, kind=kind, parent_id=parent_id)
        db_session.add(area)
        db_session.commit()
        return area.id


def _body(**values):
    body = {
        "title": "Estate walkabouts",
        "topic": "estates",
        "opens_on": TODAY.isoformat(),
        "closes_on": (TODAY + timedelta(days=30)).isoformat(),
    }
    return {**body, **values}


def _published(db_session, org, title, topic, area_id=None, days_ago=2, **values):
    with organisation_scope(org.id):
        consultation = Consultation(
            title=title,
            topic=topic,
            area_id=area_id,
            opens_on=TODAY - timedelta(days=90),
            closes_on=TODAY - timedelta(days=60),
            feedback_due_on=TODAY + timedelta(days=10),
            **values,
        )
        db_session.add(consultation)
        db_session.flush()
        db_session.add(
            ConsultationFeedback(
                consultation_id=consultation.id,
                you_said=f"{title} said",
                we_did=f"{title} done",
                published_on=TODAY - timedelta(days=days_ago),
            )
        )
        db_session.commit()
        return consultation.id


@pytest.fixture
def orgs(make_org):
    mine = make_org("riverside", name="Riverside Homes", settings={"consultation_min_days": 1})
    theirs = make_org("hillside", name="Hillside Homes")
    return mine, theirs


# -- the area: API, staff form, isolation -------------------------------------------------------


def test_the_api_sets_an_area_of_the_organisation_and_refuses_another_organisations(
    orgs, db_session, make_user, api_client
):
    mine, theirs = orgs
    estate = _area(db_session, mine, "Meadow estate")
    foreign = _area(db_session, theirs, "Hillside secret estate")
    api = api_client(make_user(mine, "staff"))
    url = f"/api/v1/orgs/{mine.slug}/consultations"
    refused = api.post(url, json=_body(area_id=foreign))
    assert refused.status_code == 422
    assert list(refused.get_json()["error"]["fields"]) == ["area_id"]
    assert "Hillside secret estate" not in refused.get_data(as_text=True)
    created = api.post(url, json=_body(area_id=estate))
    assert created.status_code == 201 and created.get_json()["area_id"] == estate
    consultation_id = created.get_json()["id"]
    moved = api.patch(f"{url}/{consultation_id}", json={"area_id": foreign})
    assert moved.status_code == 422 and list(moved.get_json()["error"]["fields"]) == ["area_id"]
    cleared = api.patch(f"{url}/{consultation_id}", json={"area_id": None})
    assert cleared.status_code == 200 and cleared.get_json()["area_id"] is None


def test_the_api_lists_consultations_of_an_area_and_the_areas_inside_it(
    orgs, db_session, make_user, api_client
):
    mine, _theirs = orgs
    north = _area(db_session, mine, "North", kind="management_area")
    estate = _area(db_session, mine, "Meadow estate", parent_id=north)
    south = _area(db_session, mine, "South", kind="management_area")
    api = api_client(make_user(mine, "viewer"))
    for title, area in (("In the estate", estate), ("In the south", south), ("Everywhere", None)):
        _published(db_session, mine, title, "repairs", area)
    listed = api.get(f"/api/v1/orgs/{mine.slug}/consultations?area_id={north}").get_json()
    assert [c["title"] for c in listed["items"]] == ["In the estate"]


def test_the_staff_form_offers_the_areas_and_refuses_another_organisations(
    orgs, db_session, client, make_user, login_as
):
    mine, theirs = orgs
    estate = _area(db_session, mine, "Meadow estate")
    foreign = _area(db_session, theirs, "Hillside secret estate")
    login_as(make_user(mine, "staff"))
    path = f"/o/{mine.slug}/consultations/new"
    form = client.get(path).get_data(as_text=True)
    assert "Meadow estate" in form and "Hillside secret estate" not in form
    data = {"csrf_token": csrf_token_from(form), "title": "Bins", "topic": "estates"}
    for part, day in (("opens_on", TODAY), ("closes_on", TODAY + timedelta(days=30))):
        data |= {f"{part}-day": day.day, f"{part}-month": day.month, f"{part}-year": day.year}
    refused = client.post(path, data={**data, "area_id": str(foreign)})
    assert refused.status_code == 422 and 'href="#area_id"' in refused.get_data(as_text=True)
    saved = client.post(path, data={**data, "area_id": str(estate)})
    assert saved.status_code == 303
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Meadow estate" in page


def test_an_area_a_consultation_or_an_activity_names_cannot_be_deleted(
    orgs, db_session, make_user, api_client
):
    mine, _theirs = orgs
    estate = _area(db_session, mine, "Meadow estate")
    walked = _area(db_session, mine, "Walkabout estate")
    _published(db_session, mine, "Bins", "estates", estate)
    with organisation_scope(mine.id):
        db_session.add(
            Activity(title="Walkabout", kind="walkabout", starts_at=datetime.now(UTC), area_id=walked)
        )
        db_session.commit()
    api = api_client(make_user(mine, "staff"))
    for area_id in (estate, walked):
        assert api.delete(f"/api/v1/orgs/{mine.slug}/areas/{area_id}").status_code == 409


# -- "you said, we did" by topic and area ------------------------------------------------------


def test_residents_filter_feedback_by_area_and_topic_without_javascript(orgs, db_session, client):
    mine, theirs = orgs
    north = _area(db_session, mine, "North", kind="management_area")
    estate = _area(db_session, mine, "Meadow estate", parent_id=north)
    _area(db_session, mine, "Quiet close")  # no feedback: not offered
    foreign = _area(db_session, theirs, "Hillside secret estate")
    _published(db_session, mine, "Meadow bins", "estates", estate)
    _published(db_session, mine, "Meadow repairs", "repairs", estate, days_ago=3)
    _published(db_session, mine, "Rent letters", "rents", None, days_ago=4)
    page = client.get(f"/p/{mine.slug}/you-said-we-did").get_data(as_text=True)
    # A plain GET form: the areas with feedback and the areas they sit in, each item's area shown.
    assert 'method="get"' in page and 'name="area"' in page
    assert f'value="{north}"' in page and f'value="{estate}"' in page and "Quiet close" not in page
    assert "Area: Meadow estate" in page and "Rent letters" in page
    by_area = client.get(f"/p/{mine.slug}/you-said-we-did?area={north}").get_data(as_text=True)
    assert "Meadow bins" in by_area and "Meadow repairs" in by_area and "Rent letters" not in by_area
    both = client.get(f"/p/{mine.slug}/you-said-we-did?area={estate}&topic=repairs").get_data(as_text=True)
    assert "Meadow repairs" in both and "Meadow bins" not in both
    assert "1 consultation matches your choice." in both
    # Another landlord's area (or nonsense) is not a choice here: everything is shown.
    for value in (foreign, "x"):
        shown = client.get(f"/p/{mine.slug}/you-said-we-did?area={value}")
        assert shown.status_code == 200 and "Rent letters" in shown.get_data(as_text=True)


# -- easy-read versions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"easy_read_url": "javascript:alert(1)"}, "easy_read_url"),
        ({"easy_read_url": "ftp://files.example.org/easy.pdf"}, "easy_read_url"),
        ({"easy_read_url": "https://"}, "easy_read_url"),
        ({"easy_read_url": "https://example.org/a b.pdf"}, "easy_read_url"),
        ({"easy_read_url": "https://example.org/" + "x" * 500}, "easy_read_url"),
        ({"easy_read_description": "PDF"}, "easy_read_url"),
        (
            {"easy_read_url": "https://example.org/e.pdf", "easy_read_description": "x" * 101},
            "easy_read_description",
        ),
    ],
)
def test_an_easy_read_link_must_be_a_web_address_of_bounded_length(
    orgs, make_user, api_client, values, field
):
    mine, _theirs = orgs
    response = api_client(make_user(mine, "staff")).post(
        f"/api/v1/orgs/{mine.slug}/consultations", json=_body(**values)
    )
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_the_staff_form_refuses_an_easy_read_link_in_the_apis_words(
    orgs, client, make_user, login_as, api_client
):
    mine, _theirs = orgs
    user = make_user(mine, "staff")
    api = api_client(user).post(
        f"/api/v1/orgs/{mine.slug}/consultations", json=_body(easy_read_url="javascript:alert(1)")
    )
    words = api.get_json()["error"]["fields"]["easy_read_url"][0]
    login_as(user)
    path = f"/o/{mine.slug}/consultations/new"
    data = {"csrf_token": csrf_token_from(client.get(path).get_data(as_text=True)), "title": "B"}
    data |= {"topic": "estates", "easy_read_url": "javascript:alert(1)"}
    for part, day in (("opens_on", TODAY), ("closes_on", TODAY + timedelta(days=30))):
        data |= {f"{part}-day": day.day, f"{part}-month": day.month, f"{part}-year": day.year}
    page = client.post(path, data=data)
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and 'href="#easy_read_url"' in html and words in html


def test_a_consultations_easy_read_version_is_linked_on_its_public_page(
    orgs, db_session, client, make_user, api_client
):
    mine, _theirs = orgs
    api = api_client(make_user(mine, "staff"))
    url = f"/api/v1/orgs/{mine.slug}/consultations"
    created = api.post(
        url,
        json=_body(
            opens_on=(TODAY - timedelta(days=1)).isoformat(),
            easy_read_url=" https://riverside.example/easy/bins.pdf ",
            easy_read_description="PDF, 8 pages",
        ),
    ).get_json()
    assert created["easy_read_url"] == "https://riverside.example/easy/bins.pdf"
    page = client.get(f"/p/{mine.slug}/consultations/{created['id']}").get_data(as_text=True)
    link = '<a class="govuk-link" href="https://riverside.example/easy/bins.pdf">'
    assert f"{link}Easy read version (PDF, 8 pages)</a>" in page
    # Removing the link removes its description too, and the public link goes.
    changed = api.patch(f"{url}/{created['id']}", json={"easy_read_url": None}).get_json()
    assert (changed["easy_read_url"], changed["easy_read_description"]) == (None, None)
    page = client.get(f"/p/{mine.slug}/consultations/{created['id']}").get_data(as_text=True)
    assert "Easy read version" not in page


def test_an_easy_read_version_goes_with_a_published_assessment_only(
    orgs, client, make_user, api_client, login_as, db_session
):
    mine, _theirs = orgs
    admin = make_user(mine, "org_admin")
    api = api_client(admin)
    base = f"/api/v1/orgs/{mine.slug}/impact-assessments/{YEAR}"
    easy = {"easy_read_url": "https://riverside.example/easy/report.pdf", "easy_read_description": "PDF"}
    assert api.put(f"{base}/easy-read", json=easy).status_code == 409  # not published yet
    assert api.post(f"{base}/publish").status_code == 200
    staff = api_client(make_user(mine, "staff"))
    assert staff.put(f"{base}/easy-read", json=easy).status_code == 403
    bad = api.put(f"{base}/easy-read", json={"easy_read_url": "data:text/html,hi"})
    assert bad.status_code == 422 and "easy_read_url" in bad.get_json()["error"]["fields"]
    saved = api.put(f"{base}/easy-read", json=easy)
    assert saved.status_code == 200 and saved.get_json()["easy_read_url"] == easy["easy_read_url"]
    listed = api.get(f"/api/v1/orgs/{mine.slug}/impact-assessments").get_json()["items"]
    assert listed[0]["easy_read_description"] == "PDF"
    report = client.get(f"/p/{mine.slug}/reports/{YEAR}").get_data(as_text=True)
    assert f'href="{easy["easy_read_url"]}">Easy read version (PDF)</a>' in report
    reports = client.get(f"/p/{mine.slug}/reports").get_data(as_text=True)
    assert easy["easy_read_url"] in reports
    # The published copy itself is untouched.
    with organisation_scope(mine.id):
        stored = db_session.query(ImpactAssessment).one()
        assert "easy_read_url" not in stored.snapshot


def test_staff_pages_attach_an_easy_read_version_to_a_published_assessment(
    orgs, client, make_user, api_client, login_as
):
    mine, _theirs = orgs
    admin = make_user(mine, "org_admin")
    page_url = f"/o/{mine.slug}/impact-assessments/{YEAR}/easy-read"
    login_as(admin)
    assert client.get(page_url).status_code == 404  # nothing published yet
    api_client(admin).post(f"/api/v1/orgs/{mine.slug}/impact-assessments/{YEAR}/publish")
    staff_page = client.get(f"/o/{mine.slug}/impact-assessments/{YEAR}").get_data(as_text=True)
    assert page_url in staff_page
    token = csrf_token_from(client.get(page_url).get_data(as_text=True))
    refused = client.post(page_url, data={"csrf_token": token, "easy_read_url": "www.example.org"})
    assert refused.status_code == 422 and 'href="#easy_read_url"' in refused.get_data(as_text=True)
    done = client.post(
        page_url,
        data={
            "csrf_token": token,
            "easy_read_url": "https://riverside.example/er.pdf",
            "easy_read_description": "PDF",
        },
    )
    assert done.status_code == 303
    shown = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Easy read version saved." in shown and "https://riverside.example/er.pdf" in shown


def test_only_those_who_publish_see_or_use_the_easy_read_control(
    orgs, client, make_user, api_client, login_as
):
    mine, _theirs = orgs
    api_client(make_user(mine, "org_admin")).post(
        f"/api/v1/orgs/{mine.slug}/impact-assessments/{YEAR}/publish"
    )
    login_as(make_user(mine, "staff"))
    page_url = f"/o/{mine.slug}/impact-assessments/{YEAR}/easy-read"
    assert page_url not in client.get(f"/o/{mine.slug}/impact-assessments/{YEAR}").get_data(as_text=True)
    token = csrf_token_from(client.get(f"/o/{mine.slug}/impact-assessments").get_data(as_text=True))
    assert (
        client.post(page_url, data={"csrf_token": token, "easy_read_url": "https://x.example"}).status_code
        == 403
    )


# -- the migration ------------------------------------------------------------------------------


def test_the_migration_downgrades_and_upgrades_again():
    from flask_migrate import downgrade

    from core.app import create_app
    from core.dbcli import upgrade_database
    from core.extensions import db
    from core.testing import fresh_database

    def columns(url, table):
        engine = create_engine(url)
        found = {column["name"] for column in inspect(engine).get_columns(table)}
        keys = {tuple(fk["constrained_columns"]) for fk in inspect(engine).get_foreign_keys(table)}
        engine.dispose()
        return found, keys

    new = {"area_id", "easy_read_url", "easy_read_description"}
    with fresh_database("involve_0006u") as config:
        url = config.get("DATABASE_MIGRATION_URL") or config["DATABASE_URL"]
        app = create_app(config)
        with app.app_context():
            found, keys = columns(url, "consultations")
            assert new <= found and ("organisation_id", "area_id") in keys
            downgrade(revision="0006t_resident_accounts")
            found, keys = columns(url, "consultations")
            assert not new & found and ("organisation_id", "area_id") not in keys
            assert "easy_read_url" not in columns(url, "impact_assessments")[0]
            upgrade_database("heads")
            assert new <= columns(url, "consultations")[0]
            assert {"easy_read_url", "easy_read_description"} <= columns(url, "impact_assessments")[0]
            db.session.remove()
            db.engine.dispose()
