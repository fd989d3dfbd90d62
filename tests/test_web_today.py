"""The Today page (the organisation's home): what is overdue, this week's activities, the user's
unread notifications and the rows plugins add through ``tpl_org_today``."""

from datetime import UTC, datetime, time, timedelta

from core.models import (
    ActionPlan,
    ActionPlanItem,
    Activity,
    Body,
    Consultation,
    Notification,
    Recommendation,
)
from core.plugin_kit import LONDON, today
from core.services.notifications import mark_read, notify_role, notify_users
from core.tenancy import organisation_scope
from tests import example_plugin


def _records(db_session, org, officer):
    day = today()
    with organisation_scope(org.id):
        board = Body(name="Board", kind="board")
        plan = ActionPlan(title="Plan", period="2026-27")
        db_session.add_all([board, plan])
        db_session.flush()
        week_start = day - timedelta(days=day.weekday())
        db_session.add_all(
            [
                Consultation(
                    title="Repairs survey",
                    topic="repairs",
                    opens_on=day - timedelta(days=90),
                    closes_on=day - timedelta(days=60),
                    feedback_due_on=day - timedelta(days=5),
                ),
                Consultation(
                    title="Still open",
                    topic="repairs",
                    opens_on=day - timedelta(days=5),
                    closes_on=day + timedelta(days=20),
                    feedback_due_on=day + timedelta(days=60),
                ),
                ActionPlanItem(plan_id=plan.id, title="Fix the lifts", due_on=day - timedelta(days=1)),
                ActionPlanItem(
                    plan_id=plan.id, title="Done already", due_on=day - timedelta(days=1), status="done"
                ),
                Recommendation(
                    title="Publish repair times", body_id=board.id, due_on=day - timedelta(days=3)
                ),
                Activity(
                    title="Forum this week",
                    kind="meeting",
                    starts_at=datetime.combine(week_start + timedelta(days=6), time(11), tzinfo=LONDON),
                ),
                Activity(
                    title="Forum next week",
                    kind="meeting",
                    starts_at=datetime.combine(week_start + timedelta(days=8), time(11), tzinfo=LONDON),
                ),
                Activity(
                    title="Cancelled walk",
                    kind="walkabout",
                    status="cancelled",
                    starts_at=datetime.combine(week_start, time(12), tzinfo=LONDON).astimezone(UTC),
                ),
            ]
        )
        notify_role(
            "today-test:staff", "staff", "Grant panel needs a decision", link=f"/o/{org.slug}/activities"
        )
        notify_role("today-test:admin", "org_admin", "Only for admins")
        notify_users([officer.id], [("today-test:mine", "Your own message", None)])
        read = Notification(key="today-test:read", user_id=officer.id, subject="Already read")
        db_session.add(read)
        db_session.flush()
        mark_read(read, officer.id)
        db_session.commit()


def test_today_lists_what_is_overdue_this_week_and_unread(client, make_org, make_user, login_as, db_session):
    org = make_org(plugins=["example"])
    officer = make_user(org, "staff")
    _records(db_session, org, officer)
    login_as(officer)
    example_plugin.calls.clear()
    page = client.get(f"/o/{org.slug}/").get_data(as_text=True)
    assert '<h1 class="govuk-heading-l">Today</h1>' in page
    assert "Repairs survey" in page and "Still open" not in page
    assert "Fix the lifts" in page and "Done already" not in page
    assert "Publish repair times" in page
    assert "Forum this week" in page and "Forum next week" not in page and "Cancelled walk" not in page
    assert "Grant panel needs a decision" in page and "Your own message" in page
    assert "Only for admins" not in page and "Already read" not in page
    # The activity links to its page; a notification's own link is followed.
    assert (
        f'href="/o/{org.slug}/activities/' in page and f'href="/o/{org.slug}/activities">Grant panel' in page
    )
    # A plugin's row, through tpl_org_today; the plugin's panel stays below.
    assert ("tpl_org_today", org.id) in example_plugin.calls
    assert "Read the example notes" in page and "Note" in page and 'id="example-panel"' in page


def test_today_when_there_is_nothing_to_do(client, make_org, make_user, login_as):
    org = make_org()
    login_as(make_user(org, "viewer"))
    page = client.get(f"/o/{org.slug}/").get_data(as_text=True)
    assert "No consultation is waiting for overdue feedback." in page
    assert "No activities this week." in page and "You have no unread notifications." in page
    assert "Also to do" not in page
