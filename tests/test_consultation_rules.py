"""Rules a landlord can be held to on consultations: the feedback guarantee is a maximum (a later
due date is an extension an org admin explains, and ``feedback_on_time`` is measured against the
guarantee), a minimum consultation length, topics from the organisation's own list, and feedback
that can say why something was not done."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from core.models import Organisation
from core.periods import Period
from core.services.consultations import add_months
from core.services.orgsync import sync

TODAY = date.today()
CLOSED = TODAY - timedelta(days=320)  # closed long enough ago to publish ten months later
REPO_CONFIG = Path(__file__).resolve().parent.parent / "tenants_config"
HALTON_TOPICS = [
    "business_planning",
    "housing_strategy",
    "investment_priorities",
    "service_standards_and_targets",
    "service_and_performance_reviews",
    "regeneration_redevelopment_and_repairs",
    "environmental_works",
    "tenancy_conditions",
    "housing_management",
    "rent_and_service_charges",
    "community_safety",
    "equality_and_diversity",
    "customer_information",
    "complaints_procedure",
]


@pytest.fixture
def org(make_org):
    # Circle Anglia's guarantee (seed 002, 11.4): feedback within three months.
    return make_org("guaranteed-homes", settings={"feedback_period_months": 3})


@pytest.fixture
def staff(org, make_user, api_client):
    return api_client(make_user(org, "staff"))


@pytest.fixture
def admin(org, make_user, api_client):
    return api_client(make_user(org, "org_admin"))


def url(org, tail: str = "") -> str:
    return f"/api/v1/orgs/{org.slug}/consultations{tail}"


def body(**fields) -> dict:
    base = {
        "title": "Service charges review",
        "topic": "rent_and_service_charges",
        "opens_on": (CLOSED - timedelta(days=30)).isoformat(),
        "closes_on": CLOSED.isoformat(),
    }
    return {**base, **fields}


def created(api, org, **fields) -> dict:
    response = api.post(url(org), json=body(**fields))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def fields_of(response) -> dict:
    assert response.status_code == 422, response.get_json()
    return response.get_json()["error"]["fields"]


def kpi(api, org, code: str, period: str) -> dict:
    response = api.get(f"/api/v1/orgs/{org.slug}/kpis?period={period}")
    assert response.status_code == 200, response.get_json()
    return {row["code"]: row for row in response.get_json()["kpis"]}[code]


TEN_MONTHS = add_months(CLOSED, 10).isoformat()
GUARANTEE = add_months(CLOSED, 3)


# -- (Figures 1) the feedback period is a maximum ----------------------------------------------------


def test_feedback_due_beyond_the_guarantee_is_refused_to_staff(staff, org):
    response = staff.post(url(org), json=body(feedback_due_on=TEN_MONTHS, feedback_extension_reason="Busy"))
    assert response.status_code == 403, response.get_json()
    assert "guaranteed within 3 months" in response.get_json()["error"]["message"]


def test_feedback_due_beyond_the_guarantee_needs_an_admins_reason(admin, org):
    assert "feedback_extension_reason" in fields_of(
        admin.post(url(org), json=body(feedback_due_on=TEN_MONTHS))
    )
    assert "feedback_extension_reason" in fields_of(
        admin.post(url(org), json=body(feedback_due_on=TEN_MONTHS, feedback_extension_reason="   "))
    )
    extended = created(
        admin,
        org,
        feedback_due_on=TEN_MONTHS,
        feedback_extension_reason="Waiting for the contractor's prices",
    )
    assert extended["feedback_due_on"] == TEN_MONTHS
    assert extended["feedback_guaranteed_by"] == GUARANTEE.isoformat()
    assert extended["feedback_extended"] is True
    assert extended["feedback_extension_reason"] == "Waiting for the contractor's prices"
    assert extended["feedback_extended_by_id"] is not None


def test_feedback_due_within_the_guarantee_needs_no_reason(staff, org):
    earlier = created(staff, org, feedback_due_on=add_months(CLOSED, 1).isoformat())
    assert earlier["feedback_extended"] is False and earlier["feedback_extension_reason"] is None
    assert created(staff, org)["feedback_due_on"] == GUARANTEE.isoformat()


def test_moving_feedback_due_later_by_patch_needs_an_admins_reason(staff, admin, org):
    consultation = created(staff, org)
    at = url(org, f"/{consultation['id']}")
    assert staff.patch(at, json={"feedback_due_on": TEN_MONTHS}).status_code == 403
    assert "feedback_extension_reason" in fields_of(admin.patch(at, json={"feedback_due_on": TEN_MONTHS}))
    moved = admin.patch(at, json={"feedback_due_on": TEN_MONTHS, "feedback_extension_reason": "Board delay"})
    assert moved.status_code == 200 and moved.get_json()["feedback_extended"] is True
    # Staff may still edit other fields; the admin's extension stands.
    renamed = staff.patch(at, json={"title": "Service charges review 2025"})
    assert renamed.status_code == 200 and renamed.get_json()["feedback_extension_reason"] == "Board delay"
    # Back within the guarantee, the extension goes.
    back = staff.patch(at, json={"feedback_due_on": None}).get_json()
    assert back["feedback_extended"] is False and back["feedback_extension_reason"] is None


def test_feedback_on_time_is_measured_against_the_guarantee_not_an_extension(staff, admin, org):
    consultation = created(admin, org, feedback_due_on=TEN_MONTHS, feedback_extension_reason="Board delay")
    published_on = add_months(CLOSED, 8)  # inside the extension, five months after the guarantee
    put = staff.put(
        url(org, f"/{consultation['id']}/feedback"),
        json={
            "you_said": "Charges unclear",
            "we_did": "New statements",
            "published_on": published_on.isoformat(),
        },
    )
    assert put.status_code == 200, put.get_json()
    assert put.get_json()["on_time"] is False and put.get_json()["within_extension"] is True
    shown = staff.get(url(org, f"/{consultation['id']}")).get_json()
    assert shown["feedback_on_time"] is False and shown["feedback_within_extension"] is True
    # The KPI counts it in the year its guarantee fell due, as late, with the extension shown apart.
    row = kpi(staff, org, "feedback_on_time", Period.financial_year_of(GUARANTEE).label)
    assert row["value"] == 0.0
    assert row["details"] == {"due": 1, "on_time": 0, "extended": 1, "published_within_extension": 1}


def test_feedback_on_time_counts_feedback_published_by_the_guarantee(staff, admin, org):
    consultation = created(admin, org, feedback_due_on=TEN_MONTHS, feedback_extension_reason="Board delay")
    put = staff.put(
        url(org, f"/{consultation['id']}/feedback"),
        json={"you_said": "x", "we_did": "y", "published_on": add_months(CLOSED, 2).isoformat()},
    )
    assert put.get_json()["on_time"] is True and put.get_json()["within_extension"] is False
    row = kpi(staff, org, "feedback_on_time", Period.financial_year_of(GUARANTEE).label)
    assert row["value"] == 100.0 and row["details"]["extended"] == 1


# -- (Seed rules 11) minimum length, topics, "why we didn't" -----------------------------------------


def test_a_same_day_consultation_is_refused_by_the_default_minimum_length(staff, org):
    same_day = body(opens_on=CLOSED.isoformat(), closes_on=CLOSED.isoformat())
    message = fields_of(staff.post(url(org), json=same_day))["closes_on"][0]
    assert "at least 14 days" in message and "runs 1" in message
    fourteen = body(opens_on=(CLOSED - timedelta(days=13)).isoformat())
    assert staff.post(url(org), json=fourteen).status_code == 201


def test_the_minimum_consultation_length_is_the_organisations_setting(make_org, make_user, api_client):
    org = make_org(settings={"consultation_min_days": 28})
    api = api_client(make_user(org, "staff"))
    short = body(opens_on=(CLOSED - timedelta(days=26)).isoformat())
    assert "closes_on" in fields_of(api.post(url(org), json=short))
    consultation = created(api, org, opens_on=(CLOSED - timedelta(days=27)).isoformat())
    # Shortening it later is refused the same way; changing something else is not.
    at = url(org, f"/{consultation['id']}")
    assert "closes_on" in fields_of(
        api.patch(at, json={"closes_on": (CLOSED - timedelta(days=1)).isoformat()})
    )
    assert api.patch(at, json={"title": "Renamed"}).status_code == 200


@pytest.fixture
def halton_like(make_org, make_user, api_client):
    org = make_org(settings={"consultation_topics": HALTON_TOPICS})
    return org, api_client(make_user(org, "staff"))


def test_topics_come_from_the_organisations_configured_list(halton_like):
    org, api = halton_like
    assert "topic" in fields_of(api.post(url(org), json=body(topic="repairs")))
    assert created(api, org, topic="tenancy_conditions")["topic"] == "tenancy_conditions"


def test_a_topic_off_the_list_is_other_with_a_description(halton_like):
    org, api = halton_like
    assert "topic_description" in fields_of(api.post(url(org), json=body(topic="other")))
    other = created(api, org, topic="other", topic_description="Parking on the Riverside estate")
    assert other["topic"] == "other" and other["topic_description"] == "Parking on the Riverside estate"
    at = url(org, f"/{other['id']}")
    assert "topic" in fields_of(api.patch(at, json={"topic": "parking"}))
    listed = api.patch(at, json={"topic": "environmental_works"}).get_json()
    assert listed["topic_description"] is None  # a description belongs to "other" only


def test_an_organisation_without_a_topic_list_keeps_free_text_topics(staff, org):
    assert created(staff, org, topic="Parking")["topic"] == "Parking"


def test_halton_consults_on_the_topics_its_policy_lists(app, db_session):
    assert sync(REPO_CONFIG, app.extensions["involve"].plugins).errors == []
    halton = db_session.scalar(select(Organisation).where(Organisation.slug == "halton"))
    assert halton.setting("consultation_topics") == HALTON_TOPICS
    assert halton.setting("consultation_min_days") == 28


@pytest.mark.parametrize(
    ("settings", "key", "words"),
    [
        ('consultation_topics = ["rents", "rents"]', "settings.consultation_topics", "only once"),
        (
            'consultation_topics = ["rents", "other"]',
            "settings.consultation_topics",
            "'other' is always allowed",
        ),
        ('consultation_topics = ["Rent Levels"]', "settings.consultation_topics", "lowercase letters"),
        ("consultation_topics = []", "settings.consultation_topics", "Length"),
        ("consultation_min_days = 0", "settings.consultation_min_days", "greater than or equal to 1"),
    ],
)
def test_consultation_settings_are_validated_by_orgs_sync(app, db_session, tmp_path, settings, key, words):
    path = tmp_path / "acme.toml"
    path.write_text(f'slug = "acme"\nname = "Acme"\n[settings]\n{settings}\n')
    report = sync(tmp_path, app.extensions["involve"].plugins)
    assert any(e.startswith(f"{path}: {key}") and words.lower() in e.lower() for e in report.errors), (
        report.errors
    )


def test_feedback_can_say_why_we_did_not(staff, org):
    consultation = created(staff, org)
    at = url(org, f"/{consultation['id']}/feedback")
    said = {"you_said": "Move the bins", "published_on": add_months(CLOSED, 1).isoformat()}
    assert "we_did" in fields_of(staff.put(at, json=said))
    why = "The council collects from the kerb only; we asked them and they said no."
    put = staff.put(at, json={**said, "why_we_did_not": why})
    assert put.status_code == 200, put.get_json()
    assert put.get_json()["why_we_did_not"] == why and put.get_json()["we_did"] is None
    both = staff.put(
        at, json={**said, "we_did": "New bin store", "why_we_did_not": "Not the kerb"}
    ).get_json()
    assert both["we_did"] == "New bin store" and both["why_we_did_not"] == "Not the kerb"


def test_the_impact_assessment_reports_why_we_did_not(staff, admin, org):
    consultation = created(staff, org)
    published_on = add_months(CLOSED, 1)
    staff.put(
        url(org, f"/{consultation['id']}/feedback"),
        json={
            "you_said": "Move the bins",
            "why_we_did_not": "The council said no",
            "published_on": str(published_on),
        },
    )
    year = Period.financial_year_of(published_on).label
    document = admin.get(f"/api/v1/orgs/{org.slug}/impact-assessments/{year}").get_json()
    tables = {t["key"]: t for s in document["sections"] for t in s["content"]["tables"]}
    said = tables["you_said_we_did"]
    assert said["columns"] == ["Consultation", "You said", "We did", "Why we didn't"]
    assert said["rows"] == [["Service charges review", "Move the bins", "", "The council said no"]]
