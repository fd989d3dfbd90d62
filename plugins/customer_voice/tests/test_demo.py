"""The demo (built on Gentoo's shipped settings) is a believable year: every forum covers a
management area and has residents of that area on it, and the approach review is a recent one.
Settings that did nothing are gone."""

import tomllib
from datetime import date
from pathlib import Path

import pytest
from marshmallow import ValidationError
from sqlalchemy import select

from core.models import Body, BodyMembership, Participant
from core.tenancy import organisation_scope
from plugins.customer_voice.models import Forum
from plugins.customer_voice.services import forums, standards
from plugins.customer_voice.settings import CustomerVoiceSettings

GENTOO = Path(__file__).resolve().parents[3] / "tenants_config" / "gentoo.toml"


@pytest.fixture
def demo_org(make_org):
    from core.demo import load_plugin_demo_data
    from core.demo_data import load_demo_records

    settings = tomllib.loads(GENTOO.read_text())["plugins"]["customer_voice"]["settings"]
    org = make_org("gentoo-demo", plugins={"customer_voice": settings})
    load_demo_records(org)
    load_plugin_demo_data(org)
    return org


def test_rule_every_demo_forum_covers_an_area_and_has_residents_of_it_with_a_chair(demo_org, db_session):
    with organisation_scope(demo_org.id):
        rows = forums.forum_rows()
        assert len(rows) == 5
        for row in rows:
            assert row["area_id"] is not None and row["current_members"] >= 5, row
            seats = db_session.scalars(
                select(BodyMembership).where(BodyMembership.body_id == row["body_id"])
            ).all()
            assert [s.role for s in seats].count("chair") == 1
            for seat in seats:
                person = db_session.get(Participant, seat.participant_id)
                assert forums.participant_home_area(person) == row["area_id"]
        names = db_session.scalars(select(Body.name).join(Forum, Forum.body_id == Body.id)).all()
    assert not any(name.startswith("Area ") for name in names)


def test_rule_the_demo_approach_review_is_recent_and_stays_so_when_the_demo_runs_again(demo_org, db_session):
    from core.demo import load_plugin_demo_data

    today = date.today()
    with organisation_scope(demo_org.id):
        due = standards.status(today)["approach_review_due_on"]
    assert today < due <= date(today.year + 3, 12, 31)
    assert due.month == 9  # still the seed's September cycle, three years apart
    load_plugin_demo_data(demo_org)
    with organisation_scope(demo_org.id):
        assert standards.status(today)["approach_review_due_on"] == due
        assert len(forums.forum_rows()) == 5


def test_training_topics_did_nothing_and_is_gone_from_the_settings():
    with pytest.raises(ValidationError) as refused:
        CustomerVoiceSettings().load({"training_topics": ["capacity_building"]})
    assert "training_topics" in refused.value.messages
