"""The feedback loop: publishing "you said, we did" (never before the close; on time or not), the
``consultations.remind_feedback`` job that notifies the right staff once, the daily round that queues
it for every active organisation, and ``/notifications`` showing each user their own."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from core.core_jobs import REMIND_FEEDBACK, daily_jobs_task, enqueue_daily_jobs
from core.jobs import enqueue
from core.models import Consultation, ConsultationFeedback, Notification
from core.tenancy import organisation_scope
from tests.test_consultations import consult, days, fields_of, url

TODAY = date(2025, 10, 1)  # the day the reminder job runs in these tests


def test_the_reminder_job_kind_is_registered_with_the_app(app):
    kind = app.extensions["involve"].jobs.get("consultations.remind_feedback")
    assert kind.plugin is None and kind.timeout > 0 and kind.retries > 0


@pytest.fixture
def org(make_org):
    # These tests move dates about freely; the minimum length has its own tests.
    return make_org("reminded-homes", settings={"consultation_min_days": 1})


@pytest.fixture
def staff(org, make_user, api_client):
    return api_client(make_user(org, "staff"))


# -- publishing feedback ------------------------------------------------------------------------


def test_feedback_on_time_flag(staff, org):
    on_time = consult(staff, org, opens_on=days(-60), closes_on=days(-30), feedback_due_on=days(0))
    late = consult(staff, org, opens_on=days(-60), closes_on=days(-30), feedback_due_on=days(-2))
    body = {"you_said": "Too slow", "we_did": "Faster", "published_on": days(0)}
    put = staff.put(url(org, f"/{on_time['id']}/feedback"), json=body)
    assert put.status_code == 200 and put.get_json()["on_time"] is True
    staff.put(url(org, f"/{late['id']}/feedback"), json=body)
    assert staff.get(url(org, f"/{on_time['id']}")).get_json()["feedback_on_time"] is True
    shown = staff.get(url(org, f"/{late['id']}")).get_json()
    assert shown["feedback_on_time"] is False
    assert shown["feedback"]["you_said"] == "Too slow" and shown["feedback"]["published_on"] == days(0)
    assert consult(staff, org)["feedback_on_time"] is None


def test_publishing_before_the_consultation_closes_is_refused(staff, org):
    created = consult(staff, org, opens_on=days(-10), closes_on=days(-1))
    body = {"you_said": "x", "we_did": "y"}
    for published_on in (days(-1), days(-5), days(1)):
        response = staff.put(
            url(org, f"/{created['id']}/feedback"), json={**body, "published_on": published_on}
        )
        assert "published_on" in fields_of(response)
    draft = staff.put(url(org, f"/{created['id']}/feedback"), json=body).get_json()
    assert draft["published_on"] is None and draft["on_time"] is None


def test_publishing_takes_the_consultation_off_the_overdue_list(staff, org):
    created = consult(staff, org, opens_on=days(-150), closes_on=days(-120))
    assert staff.get(url(org, "?overdue=true")).get_json()["total"] == 1
    assert staff.get(url(org, f"/{created['id']}/feedback")).status_code == 404
    staff.put(
        url(org, f"/{created['id']}/feedback"), json={"you_said": "x", "we_did": "y", "published_on": days(0)}
    )
    assert staff.get(url(org, "?overdue=true")).get_json()["total"] == 0
    assert staff.get(url(org, f"/{created['id']}/feedback")).get_json()["on_time"] is False


@pytest.mark.parametrize("missing", ["you_said", "we_did"])
def test_feedback_needs_you_said_and_we_did(staff, org, missing):
    created = consult(staff, org, opens_on=days(-10), closes_on=days(-1))
    body = {"you_said": "x", "we_did": "y"}
    del body[missing]
    assert missing in fields_of(staff.put(url(org, f"/{created['id']}/feedback"), json=body))


def test_a_cancelled_consultation_takes_no_feedback(staff, org):
    created = consult(staff, org, opens_on=days(-10), closes_on=days(-1))
    staff.patch(url(org, f"/{created['id']}"), json={"status": "cancelled"})
    assert (
        staff.put(url(org, f"/{created['id']}/feedback"), json={"you_said": "x", "we_did": "y"}).status_code
        == 409
    )


# -- reminders ----------------------------------------------------------------------------------


def add_consultation(
    db_session, org, title, due_in, *, owner=None, cancelled=False, published=None, draft=False
):
    """A consultation closed a month before its feedback falls due ``due_in`` days from TODAY."""
    due = TODAY + timedelta(days=due_in)
    with organisation_scope(org.id):
        consultation = Consultation(
            title=title,
            topic="repairs",
            opens_on=due - timedelta(days=60),
            closes_on=due - timedelta(days=30),
            feedback_due_on=due,
            owner_id=owner.id if owner else None,
            cancelled=cancelled,
        )
        db_session.add(consultation)
        db_session.flush()
        if published is not None or draft:
            db_session.add(
                ConsultationFeedback(
                    consultation_id=consultation.id,
                    you_said="x",
                    we_did="y",
                    published_on=None if draft else TODAY + timedelta(days=published),
                )
            )
        consultation_id = consultation.id
    db_session.commit()
    return consultation_id


def run_reminders(db_session, org, today=TODAY):
    enqueue(REMIND_FEEDBACK.name, org_id=org.id, today=today.isoformat())
    db_session.commit()


def reminders(db_session, org):
    with organisation_scope(org.id):
        rows = db_session.execute(
            select(Notification.user_id, Notification.key).order_by(Notification.user_id, Notification.key)
        ).all()
    return [(user_id, key.rsplit(":", 1)[0]) for user_id, key in rows]


def test_the_owner_is_reminded_of_feedback_due_within_14_days_and_overdue(db_session, org, make_user):
    make_user(org, "org_admin")  # an admin is not told when the consultation has an owner
    owner = make_user(org, "staff")
    soon = add_consultation(db_session, org, "Soon", 14, owner=owner)
    late = add_consultation(db_session, org, "Late", -1, owner=owner)
    add_consultation(db_session, org, "Not yet", 15, owner=owner)
    run_reminders(db_session, org)
    soon_due, late_due = (TODAY + timedelta(days=14)).isoformat(), (TODAY - timedelta(days=1)).isoformat()
    assert reminders(db_session, org) == [
        (owner.id, f"feedback-due:{soon}:{soon_due}"),
        (owner.id, f"feedback-overdue:{late}:{late_due}"),
    ]
    with organisation_scope(org.id):
        subjects = db_session.scalars(select(Notification.subject).order_by(Notification.id)).all()
    assert subjects == [  # the most pressing first
        "Feedback overdue (due 30 September 2025): Late",
        "Feedback due by 15 October 2025: Soon",
    ]


def test_without_an_owner_every_org_admin_is_reminded(db_session, org, make_org, make_user):
    first, second = make_user(org, "org_admin"), make_user(org, "org_admin")
    make_user(org, "staff")
    make_user(org, "org_admin", active=False)
    departed = make_user(make_org(), "staff")  # an owner who is no longer a member here
    nobody = add_consultation(db_session, org, "Unowned", -3)
    gone = add_consultation(db_session, org, "Owner left", 2, owner=departed)
    run_reminders(db_session, org)
    notified = reminders(db_session, org)
    assert sorted(user for user, _ in notified) == sorted([first.id, first.id, second.id, second.id])
    assert {key.split(":")[1] for _, key in notified} == {str(nobody), str(gone)}


def test_reminders_are_idempotent(db_session, org, make_user):
    make_user(org, "org_admin")
    add_consultation(db_session, org, "Late", -10)
    add_consultation(db_session, org, "Soon", 5)
    run_reminders(db_session, org)
    first = reminders(db_session, org)
    assert len(first) == 2
    run_reminders(db_session, org)
    run_reminders(db_session, org, TODAY + timedelta(days=1))
    assert reminders(db_session, org) == first
    with organisation_scope(org.id):
        from core.core_jobs import remind_feedback
        from core.models import Organisation

        assert remind_feedback(db_session.get(Organisation, org.id), TODAY.isoformat()) == 0


def test_published_and_cancelled_consultations_get_no_reminders(db_session, org, make_user):
    make_user(org, "org_admin")
    add_consultation(db_session, org, "Published", -10, published=-12)
    add_consultation(db_session, org, "Published early", 5, published=0)
    add_consultation(db_session, org, "Cancelled", -10, cancelled=True)
    drafted = add_consultation(db_session, org, "Draft only", -10, draft=True)
    run_reminders(db_session, org)
    assert [key.split(":")[1] for _, key in reminders(db_session, org)] == [str(drafted)]


def test_a_moved_due_date_reminds_again(db_session, org, make_user):
    make_user(org, "org_admin")
    consultation_id = add_consultation(db_session, org, "Moved", 3)
    run_reminders(db_session, org)
    with organisation_scope(org.id):
        db_session.get(Consultation, consultation_id).feedback_due_on = TODAY + timedelta(days=10)
    db_session.commit()
    run_reminders(db_session, org)
    assert [key.split(":")[2] for _, key in reminders(db_session, org)] == ["2025-10-04", "2025-10-11"]


def test_the_daily_round_queues_every_daily_job_for_every_active_organisation(
    db_session, make_org, make_user
):
    active, suspended = make_org(), make_org(status="suspended")
    for org in (active, suspended):
        make_user(org, "org_admin")
        add_consultation(db_session, org, "Late", (date.today() - TODAY).days - 5)
    queued = enqueue_daily_jobs()
    assert (REMIND_FEEDBACK.name, active.id) in queued
    assert all(org_id != suspended.id for _, org_id in queued)
    assert len(reminders(db_session, active)) == 1
    assert reminders(db_session, suspended) == []
    assert daily_jobs_task() == len(queued)  # rq cron's entry point; a second round adds nothing
    assert len(reminders(db_session, active)) == 1


def test_the_job_kind_declares_timeout_retries_and_queue(app):
    kind = app.extensions["involve"].jobs.get("consultations.remind_feedback")
    assert (kind.timeout, kind.retries, kind.queue, kind.plugin) == (300, 3, "default", None)


# -- /notifications ------------------------------------------------------------------------------


def notify(db_session, org, user, *subjects):
    ids = []
    with organisation_scope(org.id):
        for n, subject in enumerate(subjects):
            made = datetime(2025, 10, 1, 9, tzinfo=UTC) + timedelta(minutes=n)
            notification = Notification(
                user_id=user.id, key=f"test:{user.id}:{subject}", subject=subject, created_at=made
            )
            db_session.add(notification)
            db_session.flush()
            ids.append(notification.id)
    db_session.commit()
    return ids


def test_notifications_show_only_your_own_newest_first(db_session, org, make_user, api_client):
    me, colleague = make_user(org, "viewer"), make_user(org, "staff")
    notify(db_session, org, me, "First", "Second")
    notify(db_session, org, colleague, "Not mine")
    listed = api_client(me).get(f"/api/v1/orgs/{org.slug}/notifications").get_json()
    assert [n["subject"] for n in listed["items"]] == ["Second", "First"]
    assert listed["total"] == 2 and not any(n["read"] for n in listed["items"])


def test_marking_a_notification_read(db_session, org, make_user, api_client):
    me = make_user(org, "viewer")
    first, _second = notify(db_session, org, me, "First", "Second")
    api = api_client(me)
    read = api.post(f"/api/v1/orgs/{org.slug}/notifications/{first}/read")
    assert read.status_code == 200 and read.get_json()["read"] is True and read.get_json()["read_at"]
    again = api.post(f"/api/v1/orgs/{org.slug}/notifications/{first}/read").get_json()
    assert again["read_at"] == read.get_json()["read_at"]
    unread = api.get(f"/api/v1/orgs/{org.slug}/notifications?unread=true").get_json()["items"]
    assert [n["subject"] for n in unread] == ["Second"]


def test_another_users_notification_is_not_found(db_session, org, make_user, api_client):
    me, colleague = make_user(org, "org_admin"), make_user(org, "staff")
    (theirs,) = notify(db_session, org, colleague, "Theirs")
    response = api_client(me).post(f"/api/v1/orgs/{org.slug}/notifications/{theirs}/read")
    assert response.status_code == 404 and "Theirs" not in response.get_data(as_text=True)


def test_reminders_reach_the_owner_through_the_api(db_session, org, make_user, api_client):
    owner = make_user(org, "staff")
    consultation_id = add_consultation(db_session, org, "Repairs review", -1, owner=owner)
    run_reminders(db_session, org)
    listed = api_client(owner).get(f"/api/v1/orgs/{org.slug}/notifications").get_json()["items"]
    assert [n["subject"] for n in listed] == ["Feedback overdue (due 30 September 2025): Repairs review"]
    assert listed[0]["link"] == f"/api/v1/orgs/{org.slug}/consultations/{consultation_id}"
