"""Notifications addressed to a role: everyone whose role in the organisation is that one or a
higher one sees them in ``/notifications``, and each reader marks them read for themselves."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from core.models import Notification
from core.services.notifications import notify_role
from core.tenancy import organisation_scope


@pytest.fixture
def org(make_org):
    return make_org("role-notified")


def _listed(api_client, org, user, query=""):
    response = api_client(user).get(f"/api/v1/orgs/{org.slug}/notifications{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def _to_role(db_session, org, role, key="test:role", subject="Grant return overdue"):
    with organisation_scope(org.id):
        assert notify_role(key, role, subject, body="Chase the group.") is True
        assert notify_role(key, role, subject) is False  # the same key is stored once
        notification_id = db_session.scalar(select(Notification.id).where(Notification.key == key))
    db_session.commit()
    return notification_id


def test_notification_addressed_to_a_role_reaches_everyone_with_that_role_or_higher(
    db_session, org, make_user, api_client, make_org
):
    viewer, officer, admin = make_user(org, "viewer"), make_user(org, "staff"), make_user(org, "org_admin")
    _to_role(db_session, org, "staff")
    assert [n["subject"] for n in _listed(api_client, org, officer)] == ["Grant return overdue"]
    assert [n["role"] for n in _listed(api_client, org, admin)] == ["staff"]
    assert _listed(api_client, org, viewer) == []
    # Someone who joins the role later sees it too; another organisation's staff do not.
    assert len(_listed(api_client, org, make_user(org, "staff"))) == 1
    elsewhere = make_org("elsewhere")
    assert _listed(api_client, elsewhere, make_user(elsewhere, "staff")) == []


def test_reading_a_role_notification_marks_it_read_only_for_that_reader(
    db_session, org, make_user, api_client
):
    officer, colleague, viewer = make_user(org, "staff"), make_user(org, "staff"), make_user(org, "viewer")
    notification_id = _to_role(db_session, org, "staff")
    read = api_client(officer).post(f"/api/v1/orgs/{org.slug}/notifications/{notification_id}/read")
    assert read.status_code == 200 and read.get_json()["read"] is True and read.get_json()["read_at"]
    again = api_client(officer).post(f"/api/v1/orgs/{org.slug}/notifications/{notification_id}/read")
    assert again.get_json()["read_at"] == read.get_json()["read_at"]
    assert _listed(api_client, org, officer, "?unread=true") == []
    assert [n["read"] for n in _listed(api_client, org, officer)] == [True]
    assert [n["read"] for n in _listed(api_client, org, colleague, "?unread=true")] == [False]
    assert _listed(api_client, org, colleague, "?unread=false") == []
    # Below the role it is not found, as another user's notification is.
    below = api_client(viewer).post(f"/api/v1/orgs/{org.slug}/notifications/{notification_id}/read")
    assert below.status_code == 404


def test_notifications_to_one_user_are_unchanged(db_session, org, make_user, api_client):
    me, colleague = make_user(org, "staff"), make_user(org, "staff")
    with organisation_scope(org.id):
        mine = Notification(user_id=me.id, key="test:mine", subject="Mine", created_at=datetime.now(UTC))
        db_session.add(mine)
        db_session.flush()
        mine_id = mine.id
    db_session.commit()
    assert [n["subject"] for n in _listed(api_client, org, me)] == ["Mine"]
    assert _listed(api_client, org, colleague) == []
    assert api_client(me).post(f"/api/v1/orgs/{org.slug}/notifications/{mine_id}/read").get_json()["read"]
    assert _listed(api_client, org, me)[0]["role"] is None
