"""The group's assessment intervals act: the daily job reminds a partner's administrators when its
Customer First self-assessment or its Impact Assessment falls due. Settings that did nothing are gone."""

from datetime import UTC, date, datetime

import pytest
from marshmallow import ValidationError
from sqlalchemy import select

from core.models import ImpactAssessment, Notification
from core.tenancy import organisation_scope
from plugins.partner_statements.models import StandardAssessment
from plugins.partner_statements.schemas import PartnerStatementsSettings
from plugins.partner_statements.services.reminders import send_reminders
from plugins.partner_statements.tests.conftest import PLUGIN


@pytest.fixture
def group(make_org):
    return make_org(
        "anglia-group",
        name="Anglia Group",
        kind="group",
        plugins={PLUGIN: {"standard_assessment_interval_months": 12, "impact_assessment_interval_months": 6}},
    )


@pytest.fixture
def admin(partner, make_user):
    return make_user(partner, "org_admin")


def _done(db_session, partner, rated_on: date, published_on: date) -> None:
    with organisation_scope(partner.id):
        db_session.add(
            StandardAssessment(
                period="2025-26",
                commitment_key="how_to_get_involved",
                commitment_ref="11.1",
                commitment_title="Clear information",
                rating="met",
                assessed_on=rated_on,
            )
        )
        db_session.add(
            ImpactAssessment(
                period="2024-25",
                title="Impact assessment 2024-25",
                status="published",
                published_at=datetime.combine(published_on, datetime.min.time(), tzinfo=UTC),
            )
        )
        db_session.flush()


def _subjects(db_session, partner) -> list[str]:
    with organisation_scope(partner.id):
        return db_session.scalars(select(Notification.subject).order_by(Notification.id)).all()


def test_rule_the_standard_assessment_interval_reminds_the_partner_when_a_self_assessment_falls_due(
    db_session, partner, admin
):
    _done(db_session, partner, rated_on=date(2025, 6, 10), published_on=date(2026, 5, 1))
    with organisation_scope(partner.id):
        assert send_reminders(partner, date(2026, 5, 1)) == 0  # due 10 June 2026, reminded from 11 May
        assert send_reminders(partner, date(2026, 5, 20)) == 1
        assert send_reminders(partner, date(2026, 5, 21)) == 0  # keyed: once per due date and person
        assert send_reminders(partner, date(2026, 6, 20)) == 0  # overdue now, but already reminded
    assert _subjects(db_session, partner) == ["Customer First self-assessment due by 10 June 2026"]


def test_rule_the_impact_assessment_interval_reminds_the_partner_when_an_impact_assessment_falls_due(
    db_session, partner, admin
):
    # The group's interval is 6 months: published on 1 May 2026, the next is due on 1 November 2026.
    _done(db_session, partner, rated_on=date(2026, 6, 1), published_on=date(2026, 5, 1))
    with organisation_scope(partner.id):
        assert send_reminders(partner, date(2026, 9, 30)) == 0
        assert send_reminders(partner, date(2026, 11, 5)) == 1
    assert _subjects(db_session, partner) == ["Impact Assessment overdue since 01 November 2026"]


def test_a_partner_that_never_assessed_itself_is_reminded_at_once_and_a_group_never(
    db_session, group, partner, admin, make_user
):
    make_user(group, "org_admin")
    with organisation_scope(partner.id):
        assert send_reminders(partner, date(2026, 5, 1)) == 2
    assert _subjects(db_session, partner) == [
        "No Customer First self-assessment recorded yet: it is due now",
        "No Impact Assessment recorded yet: it is due now",
    ]
    with organisation_scope(group.id):
        assert send_reminders(group, date(2026, 5, 1)) == 0


def test_the_reminders_run_as_a_daily_job(app):
    kind = app.extensions["involve"].jobs.kinds["partner_statements.remind_duties"]
    assert kind.daily is True


@pytest.mark.parametrize("retired", ["typical_access_routes", "statutory_service_charge_consultation"])
def test_settings_that_did_nothing_are_gone_from_the_schema(retired):
    with pytest.raises(ValidationError) as refused:
        PartnerStatementsSettings().load({retired: True})
    assert retired in refused.value.messages
