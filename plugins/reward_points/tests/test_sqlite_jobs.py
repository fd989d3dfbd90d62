"""On SQLite with jobs run in-process (no Redis), a page or API request that starts the conversion
gets it done: the request that delivers the job must not hold the write lock while the job runs.

These tests need committed transactions seen by several connections (the request's and the
job's), so they use a SQLite file of their own, not the rolled-back ``db_session``.
"""

from datetime import date

import pytest

from core.testing import backend
from plugins.reward_points.tests.conftest import settings

pytestmark = pytest.mark.skipif(backend() != "sqlite", reason="SQLite's own locking")

SLUG = "mayflower-live"


@pytest.fixture
def live_app(tmp_path):
    from core.app import create_app
    from core.auth import create_api_token
    from core.extensions import db
    from core.models import Membership, Organisation, Participant, User
    from core.services.plugin_state import set_plugin_state
    from core.tenancy import organisation_scope
    from core.testing import base_config, migrate
    from plugins.reward_points.models import RewardEntry, RewardMember

    config = base_config(f"sqlite:///{tmp_path / 'live.db'}", SQLITE_BUSY_TIMEOUT_MS=500)
    migrate(config)
    app = create_app(config)
    with app.app_context():
        org = Organisation(slug=SLUG, name="Mayflower", settings={"feedback_period_months": 3})
        db.session.add(org)
        db.session.flush()
        user = User(email="officer@mayflower.example", password_hash="!", active=True)  # noqa: S106 (no password)
        db.session.add(user)
        db.session.flush()
        db.session.add(Membership(user_id=user.id, organisation_id=org.id, role="org_admin"))
        _token, secret = create_api_token(user, "live test")
        with organisation_scope(org.id):
            set_plugin_state(
                app.extensions["involve"].plugins, org, "reward_points", enabled=True, settings=settings()
            )
            person = Participant(first_name="Pat", last_name="Resident")
            db.session.add(person)
            db.session.flush()
            member = RewardMember(
                participant_id=person.id,
                joined_on=date(2024, 1, 1),
                reward_choice="shopping_voucher",
                retailer="Argos",
            )
            db.session.add(member)
            db.session.flush()
            db.session.add(
                RewardEntry(
                    member_id=member.id,
                    kind="correction",
                    points=30,
                    requested_points=30,
                    scheme_year=2025,
                    occurred_on=date(2025, 6, 1),
                    idempotency_key="live:1",
                    reason="Missed from June",
                )
            )
        db.session.commit()
    yield app, secret
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def converted(app):
    from sqlalchemy import func, select

    from core.extensions import db
    from core.models import Organisation
    from core.tenancy import organisation_scope
    from plugins.reward_points.models import RewardConversion

    with app.app_context():
        org_id = db.session.scalar(select(Organisation.id).where(Organisation.slug == SLUG))
        with organisation_scope(org_id):
            return db.session.scalar(select(func.count()).select_from(RewardConversion))


def test_a_conversion_started_by_a_request_runs_in_process_without_a_locked_database(live_app, caplog):
    app, secret = live_app
    assert not app.config["INVOLVE"]["REDIS_URL"]
    response = app.test_client().post(
        f"/api/v1/orgs/{SLUG}/plugins/reward_points/conversions",
        json={"scheme_year": "2025-26"},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 202, response.get_json()
    assert "database is locked" not in caplog.text
    assert converted(app) == 1
