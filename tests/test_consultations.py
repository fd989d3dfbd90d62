"""``/consultations`` and their responses: the feedback due date, status, the overdue and due-soon
lists, links to improvements, and the rules on responses (publishing feedback: test_feedback_reminders)."""

from datetime import date, timedelta

import pytest

from core.models import Consultation, ConsultationFeedback, ConsultationResponse, Improvement, Participant
from core.services.consultations import add_months
from core.tenancy import organisation_scope

TODAY = date.today()


def days(n: int) -> str:
    return (TODAY + timedelta(days=n)).isoformat()


@pytest.fixture
def org(make_org):
    # These tests move dates about freely; the minimum length has its own tests.
    return make_org("consulting-homes", settings={"consultation_min_days": 1})


@pytest.fixture
def staff(org, make_user, api_client):
    return api_client(make_user(org, "staff"))


def url(org, tail: str = "") -> str:
    return f"/api/v1/orgs/{org.slug}/consultations{tail}"


def consult(api, org, **fields):
    body = {"title": "Repairs review", "topic": "repairs", "opens_on": days(-10), "closes_on": days(10)}
    response = api.post(url(org), json={**body, **fields})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def fields_of(response) -> dict:
    assert response.status_code == 422, response.get_json()
    return response.get_json()["error"]["fields"]


# -- feedback due date ---------------------------------------------------------------------------


def test_feedback_due_on_defaults_to_three_months_after_the_close(staff, org):
    created = consult(staff, org, opens_on="2025-05-01", closes_on="2025-06-15")
    assert created["feedback_due_on"] == "2025-09-15"


@pytest.mark.parametrize(("months", "expected"), [(1, "2025-07-15"), (6, "2025-12-15"), (12, "2026-06-15")])
def test_feedback_due_on_uses_the_organisations_own_period(make_org, make_user, api_client, months, expected):
    org = make_org(settings={"feedback_period_months": months})
    api = api_client(make_user(org, "staff"))
    assert consult(api, org, opens_on="2025-05-01", closes_on="2025-06-15")["feedback_due_on"] == expected


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 8, 31), 1, date(2025, 9, 30)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2025, 10, 31), 3, date(2026, 1, 31)),
        (date(2025, 5, 31), 0, date(2025, 5, 31)),
    ],
)
def test_adding_months_clamps_to_the_end_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


def test_month_end_clamping_in_the_default_due_date(make_org, make_user, api_client):
    org = make_org(settings={"feedback_period_months": 1})
    api = api_client(make_user(org, "staff"))
    assert consult(api, org, opens_on="2025-01-02", closes_on="2025-01-31")["feedback_due_on"] == "2025-02-28"
    assert consult(api, org, opens_on="2024-01-02", closes_on="2024-01-31")["feedback_due_on"] == "2024-02-29"


def test_a_chosen_due_date_is_kept_but_not_before_the_close(staff, org):
    chosen = consult(staff, org, opens_on="2025-05-01", closes_on="2025-06-15", feedback_due_on="2025-07-01")
    assert chosen["feedback_due_on"] == "2025-07-01"
    early = staff.post(
        url(org),
        json={
            "title": "T",
            "topic": "asb",
            "opens_on": "2025-05-01",
            "closes_on": "2025-06-15",
            "feedback_due_on": "2025-06-14",
        },
    )
    assert "feedback_due_on" in fields_of(early)


def test_moving_the_close_moves_a_default_due_date_but_not_a_chosen_one(staff, org):
    default = consult(staff, org, opens_on="2025-05-01", closes_on="2025-06-15")
    moved = staff.patch(url(org, f"/{default['id']}"), json={"closes_on": "2025-06-30"}).get_json()
    assert moved["feedback_due_on"] == "2025-09-30"
    chosen = consult(staff, org, opens_on="2025-05-01", closes_on="2025-06-15", feedback_due_on="2025-08-01")
    kept = staff.patch(url(org, f"/{chosen['id']}"), json={"closes_on": "2025-06-30"}).get_json()
    assert kept["feedback_due_on"] == "2025-08-01"


# -- validation ----------------------------------------------------------------------------------


def test_closes_before_opens_is_422_naming_closes_on(staff, org):
    response = staff.post(
        url(org), json={"title": "T", "topic": "asb", "opens_on": "2025-05-02", "closes_on": "2025-05-01"}
    )
    assert "closes_on" in fields_of(response)
    created = consult(staff, org, opens_on="2025-05-01", closes_on="2025-05-31")
    assert "closes_on" in fields_of(
        staff.patch(url(org, f"/{created['id']}"), json={"opens_on": "2025-06-01"})
    )


def test_owner_must_be_a_member_of_the_organisation(staff, org, make_org, make_user):
    outsider = make_user(make_org(), "staff")
    response = staff.post(
        url(org),
        json={
            "title": "T",
            "topic": "asb",
            "opens_on": days(0),
            "closes_on": days(5),
            "owner_id": outsider.id,
        },
    )
    assert "owner_id" in fields_of(response)
    member = make_user(org, "staff")
    assert consult(staff, org, owner_id=member.id)["owner_id"] == member.id


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": None}, "title"),
        ({"topic": ""}, "topic"),
        ({"opens_on": None}, "opens_on"),
        ({"closes_on": "31/01/2025"}, "closes_on"),
        ({"closes_on": "0001-01-01"}, "closes_on"),
        ({"owner_id": "me"}, "owner_id"),
        ({"owner_id": 10**12}, "owner_id"),
        ({"status": "cancelled"}, "status"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_invalid_consultations_are_422_naming_the_field(staff, org, change, field):
    body = {"title": "T", "topic": "asb", "opens_on": "2025-05-01", "closes_on": "2025-05-31", **change}
    assert field in fields_of(staff.post(url(org), json={k: v for k, v in body.items() if v is not None}))


# -- status --------------------------------------------------------------------------------------


def test_status_is_computed_from_the_dates_and_filters(staff, org):
    planned = consult(staff, org, opens_on=days(5), closes_on=days(20))
    running = consult(staff, org, opens_on=days(-5), closes_on=days(0))
    closed = consult(staff, org, opens_on=days(-30), closes_on=days(-1))
    assert [planned["status"], running["status"], closed["status"]] == ["planned", "open", "closed"]
    for status, expected in (("planned", planned), ("open", running), ("closed", closed)):
        listed = staff.get(url(org, f"?status={status}")).get_json()["items"]
        assert [c["id"] for c in listed] == [expected["id"]]


def test_status_can_only_be_set_to_cancelled_and_back(staff, org):
    created = consult(staff, org)
    cancelled = staff.patch(url(org, f"/{created['id']}"), json={"status": "cancelled"}).get_json()
    assert cancelled["status"] == "cancelled"
    assert [c["id"] for c in staff.get(url(org, "?status=cancelled")).get_json()["items"]] == [created["id"]]
    assert "status" in fields_of(staff.patch(url(org, f"/{created['id']}"), json={"status": "closed"}))
    reopened = staff.patch(url(org, f"/{created['id']}"), json={"status": "open"}).get_json()
    assert reopened["status"] == "open"


# -- overdue and due soon ------------------------------------------------------------------------


def test_overdue_lists_closed_consultations_past_due_with_nothing_published(staff, org):
    def past(title, **extra):
        return consult(staff, org, title=title, opens_on=days(-150), closes_on=days(-120), **extra)

    past("Late")
    drafted = past("Draft only")
    staff.put(url(org, f"/{drafted['id']}/feedback"), json={"you_said": "x", "we_did": "y"})
    published = past("Published")
    staff.put(
        url(org, f"/{published['id']}/feedback"),
        json={"you_said": "x", "we_did": "y", "published_on": days(0)},
    )
    cancelled = past("Cancelled")
    staff.patch(url(org, f"/{cancelled['id']}"), json={"status": "cancelled"})
    consult(staff, org, title="Closed, not yet due", opens_on=days(-40), closes_on=days(-30))
    consult(staff, org, title="Due today", opens_on=days(-40), closes_on=days(-30), feedback_due_on=days(0))
    consult(staff, org, title="Open")
    overdue = staff.get(url(org, "?overdue=true")).get_json()
    assert [c["title"] for c in overdue["items"]] == ["Late", "Draft only"]
    assert overdue["total"] == 2


def test_due_within_days_lists_unpublished_feedback_falling_due(staff, org):
    soon = consult(
        staff, org, title="Soon", opens_on=days(-40), closes_on=days(-30), feedback_due_on=days(10)
    )
    consult(staff, org, title="Later", opens_on=days(-40), closes_on=days(-30), feedback_due_on=days(30))
    consult(staff, org, title="Overdue", opens_on=days(-40), closes_on=days(-30), feedback_due_on=days(-1))
    listed = staff.get(url(org, "?due_within_days=14")).get_json()["items"]
    assert [c["id"] for c in listed] == [soon["id"]]
    assert "due_within_days" in fields_of(staff.get(url(org, "?due_within_days=100000")))


# -- links, deletion, isolation, permissions, statement counts ----------------------------------


def test_a_consultation_lists_the_improvements_it_led_to(staff, org):
    created = consult(staff, org)
    improvement = staff.post(
        f"/api/v1/orgs/{org.slug}/improvements",
        json={
            "title": "Evening repair slots",
            "implemented_on": days(0),
            "source": "consultation",
            "source_id": created["id"],
        },
    ).get_json()
    shown = staff.get(url(org, f"/{created['id']}")).get_json()
    assert shown["improvements"] == [{"id": improvement["id"], "title": "Evening repair slots"}]
    assert staff.delete(url(org, f"/{created['id']}")).status_code == 409


def test_delete_is_refused_once_there_are_responses(staff, org):
    answered, unanswered = consult(staff, org), consult(staff, org)
    staff.post(url(org, f"/{answered['id']}/responses"), json={"channel": "online"})
    assert staff.delete(url(org, f"/{answered['id']}")).status_code == 409
    assert staff.delete(url(org, f"/{unanswered['id']}")).status_code == 204
    assert staff.get(url(org, f"/{unanswered['id']}")).status_code == 404


def test_viewers_read_but_cannot_write(org, staff, make_user, api_client):
    created = consult(staff, org)
    viewer = api_client(make_user(org, "viewer"))
    assert viewer.get(url(org)).status_code == 200
    assert viewer.get(url(org, f"/{created['id']}")).status_code == 200
    assert viewer.get(url(org, f"/{created['id']}/responses")).status_code == 200
    writes = [
        viewer.post(url(org), json={"title": "T", "topic": "x", "opens_on": days(0), "closes_on": days(1)}),
        viewer.patch(url(org, f"/{created['id']}"), json={"title": "New"}),
        viewer.delete(url(org, f"/{created['id']}")),
        viewer.post(url(org, f"/{created['id']}/responses"), json={"channel": "online"}),
        viewer.put(url(org, f"/{created['id']}/feedback"), json={"you_said": "x", "we_did": "y"}),
    ]
    assert [w.status_code for w in writes] == [403] * 5


def test_another_organisations_consultation_is_not_found(org, make_org, make_user, api_client):
    theirs = make_org()
    api = api_client(make_user(memberships={org: "staff", theirs: "staff"}))
    their_consultation = consult(api, theirs)
    for method, tail in (
        ("get", ""),
        ("patch", ""),
        ("delete", ""),
        ("get", "/responses"),
        ("post", "/responses"),
        ("get", "/feedback"),
        ("put", "/feedback"),
    ):
        response = getattr(api, method)(url(org, f"/{their_consultation['id']}{tail}"), json={})
        assert response.status_code == 404, (method, tail)


def _fill(db_session, org, count: int) -> None:
    with organisation_scope(org.id):
        for n in range(count):
            consultation = Consultation(
                title=f"C{n}",
                topic="repairs",
                opens_on=TODAY - timedelta(days=90),
                closes_on=TODAY - timedelta(days=60),
                feedback_due_on=TODAY,
            )
            db_session.add(consultation)
            db_session.flush()
            db_session.add_all(
                [
                    ConsultationResponse(
                        consultation_id=consultation.id,
                        channel="post",
                        responded_on=TODAY - timedelta(days=70),
                    ),
                    ConsultationFeedback(
                        consultation_id=consultation.id, you_said="x", we_did="y", published_on=TODAY
                    ),
                    Improvement(
                        title=f"I{n}", implemented_on=TODAY, source="consultation", source_id=consultation.id
                    ),
                ]
            )
    db_session.commit()


def test_the_list_is_served_by_a_bounded_number_of_statements(org, staff, db_session, count_queries):
    path = url(org, "?per_page=200")
    _fill(db_session, org, 3)
    staff.get(path)  # the first request of a token also records when it was used
    with count_queries() as few:
        assert staff.get(path).get_json()["total"] == 3
    _fill(db_session, org, 27)
    with count_queries() as many:
        listed = staff.get(path).get_json()
    assert listed["total"] == 30
    assert all(
        c["response_count"] == 1 and c["feedback_on_time"] and c["improvements"] for c in listed["items"]
    )
    assert len(many) == len(few) <= 10


def test_a_participant_of_another_organisation_cannot_respond(org, staff, make_org, db_session):
    other = make_org()
    with organisation_scope(other.id):
        stranger = Participant(first_name="Sam", last_name="Else")
        db_session.add(stranger)
        db_session.flush()
        stranger_id = stranger.id
    db_session.commit()
    created = consult(staff, org)
    response = staff.post(
        url(org, f"/{created['id']}/responses"), json={"channel": "phone", "participant_id": stranger_id}
    )
    assert "participant_id" in fields_of(response)


# -- responses -----------------------------------------------------------------------------------


def test_responses_are_recorded_counted_listed_and_deleted(org, staff):
    created = consult(staff, org)
    first = staff.post(url(org, f"/{created['id']}/responses"), json={"channel": "post", "answer": "Agree"})
    assert first.status_code == 201 and first.get_json()["responded_on"] == days(0)
    staff.post(url(org, f"/{created['id']}/responses"), json={"channel": "assisted", "comment": "By phone"})
    assert staff.get(url(org, f"/{created['id']}")).get_json()["response_count"] == 2
    listed = staff.get(url(org, f"/{created['id']}/responses?channel=assisted")).get_json()
    assert [r["comment"] for r in listed["items"]] == ["By phone"]
    one = url(org, f"/{created['id']}/responses/{first.get_json()['id']}")
    assert staff.get(one).get_json()["answer"] == "Agree"
    other = consult(staff, org)
    assert staff.get(url(org, f"/{other['id']}/responses/{first.get_json()['id']}")).status_code == 404
    assert staff.delete(one).status_code == 204 and staff.get(one).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "channel"),
        ({"channel": "pigeon"}, "channel"),
        ({"channel": "post", "participant_id": 999999}, "participant_id"),
    ],
)
def test_invalid_responses_are_422_naming_the_field(org, staff, body, field):
    created = consult(staff, org)
    assert field in fields_of(staff.post(url(org, f"/{created['id']}/responses"), json=body))


def test_late_responses_are_accepted_and_flagged(org, staff):
    created = consult(staff, org, opens_on=days(-20), closes_on=days(-10))
    late = staff.post(url(org, f"/{created['id']}/responses"), json={"channel": "post"}).get_json()
    in_time = staff.post(
        url(org, f"/{created['id']}/responses"), json={"channel": "post", "responded_on": days(-12)}
    ).get_json()
    assert (late["late"], in_time["late"]) == (True, False)
    listed = staff.get(url(org, f"/{created['id']}/responses")).get_json()["items"]
    assert [r["late"] for r in listed] == [False, True]


def test_responses_before_opening_or_in_the_future_are_refused(org, staff):
    planned = consult(staff, org, opens_on=days(5), closes_on=days(20))
    assert "responded_on" in fields_of(
        staff.post(url(org, f"/{planned['id']}/responses"), json={"channel": "post"})
    )
    running = consult(staff, org)
    future = staff.post(
        url(org, f"/{running['id']}/responses"), json={"channel": "post", "responded_on": days(1)}
    )
    assert "responded_on" in fields_of(future)


def test_responses_to_a_cancelled_consultation_are_refused_with_409(org, staff):
    created = consult(staff, org)
    staff.patch(url(org, f"/{created['id']}"), json={"status": "cancelled"})
    assert staff.post(url(org, f"/{created['id']}/responses"), json={"channel": "post"}).status_code == 409
