"""The organisation scope on every ORM statement, stamping on insert, composite foreign keys."""

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from core.tenancy import IsolationError, group_read_scope, organisation_scope
from tests.example_plugin.models import ExampleNote


@pytest.fixture
def two_orgs(make_org, db_session):
    a, b = make_org("org-a"), make_org("org-b")
    for org, bodies in ((a, ["a1", "a2"]), (b, ["b1"])):
        with organisation_scope(org.id):
            db_session.add_all(ExampleNote(body=body) for body in bodies)
            db_session.commit()
    return a, b


def test_query_without_scope_raises(two_orgs, db_session):
    with pytest.raises(IsolationError, match="ExampleNote"):
        db_session.scalars(select(ExampleNote)).all()


def test_count_without_scope_raises(two_orgs, db_session):
    with pytest.raises(IsolationError):
        db_session.scalar(select(func.count(ExampleNote.id)))


def test_select_sees_only_the_scoped_organisation(two_orgs, db_session):
    a, b = two_orgs
    with organisation_scope(a.id):
        bodies = db_session.scalars(select(ExampleNote.body).order_by(ExampleNote.body)).all()
        assert bodies == ["a1", "a2"]
        other = db_session.scalar(select(ExampleNote.id).where(ExampleNote.organisation_id == b.id))
        assert other is None


def test_aggregates_are_scoped_however_the_table_is_named(two_orgs, db_session):
    from core.models import Organisation

    a, b = two_orgs
    with organisation_scope(b.id):
        assert db_session.scalar(select(func.count()).select_from(ExampleNote)) == 1
        assert db_session.scalar(select(func.count(ExampleNote.id))) == 1
        joined = db_session.execute(
            select(Organisation.slug, func.count())
            .select_from(Organisation)
            .join(ExampleNote, ExampleNote.organisation_id == Organisation.id)
            .group_by(Organisation.slug)
        ).all()
        assert joined == [(b.slug, 1)]
        inner = select(ExampleNote.id).subquery()
        assert db_session.scalar(select(func.count()).select_from(inner)) == 1


def test_get_by_id_of_another_organisation_is_none(two_orgs, db_session):
    a_id, b_id = (org.id for org in two_orgs)
    with organisation_scope(b_id):
        note_id = db_session.scalar(select(ExampleNote.id))
    db_session.expunge_all()
    with organisation_scope(a_id):
        assert db_session.get(ExampleNote, note_id) is None


def test_bulk_update_and_delete_are_scoped(two_orgs, db_session):
    a, b = two_orgs
    with organisation_scope(a.id):
        db_session.execute(update(ExampleNote).values(body="changed"))
        db_session.execute(delete(ExampleNote).where(ExampleNote.body == "changed"))
        db_session.commit()
    with organisation_scope(b.id):
        assert db_session.scalars(select(ExampleNote.body)).all() == ["b1"]


def test_record_added_in_one_scope_is_not_restamped_by_another(make_org, db_session):
    a, b = make_org(), make_org()
    with organisation_scope(a.id):
        note = ExampleNote(body="added in a")
        db_session.add(note)
        assert note.organisation_id == a.id
        db_session.flush()
    with organisation_scope(b.id):
        assert db_session.scalars(select(ExampleNote)).all() == []


def test_insert_is_stamped_with_the_scope(make_org, db_session):
    a = make_org()
    with organisation_scope(a.id):
        note = ExampleNote(body="stamped")
        db_session.add(note)
        db_session.flush()
        assert note.organisation_id == a.id


def test_insert_for_another_organisation_is_refused(two_orgs, db_session):
    a, b = two_orgs
    with organisation_scope(a.id):
        db_session.add(ExampleNote(body="smuggled", organisation_id=b.id))
        with pytest.raises(IsolationError):
            db_session.flush()
        db_session.rollback()


def test_insert_without_scope_is_refused(make_org, db_session):
    db_session.add(ExampleNote(body="nowhere"))
    with pytest.raises(IsolationError):
        db_session.flush()
    db_session.rollback()


def test_changing_a_loaded_record_outside_its_scope_is_refused(two_orgs, db_session):
    a, b = two_orgs
    with organisation_scope(a.id):
        note = db_session.scalars(select(ExampleNote)).first()
    with organisation_scope(b.id):
        note.body = "tampered"
        with pytest.raises(IsolationError):
            db_session.flush()
        db_session.rollback()


def test_database_refuses_a_reference_into_another_organisation(two_orgs, db_session):
    a, b = two_orgs
    with organisation_scope(b.id):
        b_note = db_session.scalar(select(ExampleNote.id))
    with organisation_scope(a.id):
        db_session.add(ExampleNote(body="reply", reply_to_id=b_note))
        with pytest.raises(IntegrityError):
            db_session.flush()
        db_session.rollback()


def test_reference_within_the_organisation_is_accepted(two_orgs, db_session):
    a, _ = two_orgs
    with organisation_scope(a.id):
        parent = db_session.scalar(select(ExampleNote.id))
        db_session.add(ExampleNote(body="reply", reply_to_id=parent))
        db_session.flush()


def test_group_read_scope_reads_named_organisations_only_and_is_audited(two_orgs, make_org, db_session):
    from core.models import CrossOrgRead

    a, b = two_orgs
    c = make_org("org-c")
    with organisation_scope(c.id):
        db_session.add(ExampleNote(body="c1"))
        db_session.commit()
    with group_read_scope([a.id, b.id], actor_id=None, purpose="compare partners"):
        per_org = dict(
            db_session.execute(
                select(ExampleNote.organisation_id, func.count()).group_by(ExampleNote.organisation_id)
            ).all()
        )
        assert per_org == {a.id: 2, b.id: 1}
        with pytest.raises(IsolationError):
            db_session.execute(update(ExampleNote).values(body="x"))
        db_session.add(ExampleNote(body="write in read scope"))
        with pytest.raises(IsolationError):
            db_session.flush()
        db_session.rollback()
    with group_read_scope([a.id], actor_id=None, purpose="audit check"):
        pass
    db_session.flush()
    audit = db_session.scalars(select(CrossOrgRead).order_by(CrossOrgRead.id.desc())).first()
    assert audit.organisation_ids == [a.id] and audit.purpose == "audit check"


def test_scope_needs_an_integer(db_session):
    with pytest.raises(IsolationError), organisation_scope("1"):
        pass


def test_expired_record_is_not_refreshed_in_another_scope(two_orgs, db_session):
    from sqlalchemy.orm.exc import ObjectDeletedError

    a, b = two_orgs
    a_id, b_id = a.id, b.id
    with organisation_scope(a_id):
        note = db_session.scalars(select(ExampleNote)).first()
    db_session.expire(note)
    # SQLite: the ORM check refuses the row; PostgreSQL: row-level security hides it first.
    with organisation_scope(b_id), pytest.raises((IsolationError, ObjectDeletedError)):
        _ = note.body
    db_session.expire(note)
    with pytest.raises(IsolationError):
        _ = note.body


def test_bulk_update_through_a_subquery_stays_in_scope(two_orgs, db_session):
    a, b = two_orgs
    a_id, b_id = a.id, b.id
    with organisation_scope(a_id):
        inner = select(ExampleNote.id).where(ExampleNote.body.like("%1"))
        db_session.execute(update(ExampleNote).where(ExampleNote.id.in_(inner)).values(body="edited"))
        assert sorted(db_session.scalars(select(ExampleNote.body))) == ["a2", "edited"]
    with organisation_scope(b_id):
        assert db_session.scalars(select(ExampleNote.body)).all() == ["b1"]


def test_a_union_at_the_top_of_a_statement_is_scoped(two_orgs, db_session):
    from sqlalchemy import union, union_all

    a, b = two_orgs
    with organisation_scope(b.id):
        for build in (union, union_all):
            combined = build(select(ExampleNote.body), select(ExampleNote.body).where(ExampleNote.id > 0))
            assert sorted(db_session.scalars(select(combined.subquery().c.body))) in (["b1"], ["b1", "b1"])
            assert sorted(db_session.scalars(combined)) in (["b1"], ["b1", "b1"])


def test_an_outer_join_keeps_rows_without_a_match_and_never_matches_another_organisation(
    two_orgs, db_session
):
    """Scoping a subquery or a FROM-only table must not turn LEFT OUTER JOIN into an inner join."""
    from core.models import Activity, Opportunity

    a, b = two_orgs
    with organisation_scope(b.id):
        b_opportunity = Opportunity(name="B's panel", level="consulted")
        db_session.add(b_opportunity)
        db_session.flush()
    from datetime import UTC, datetime

    with organisation_scope(a.id):
        db_session.add_all(
            [
                Activity(title="No opportunity", kind="meeting", starts_at=datetime(2025, 5, 1, tzinfo=UTC)),
                # Points at B's opportunity id: the join must not reach it.
                Activity(
                    title="Wrong id",
                    kind="meeting",
                    starts_at=datetime(2025, 5, 2, tzinfo=UTC),
                    opportunity_id=None,
                ),
            ]
        )
        db_session.flush()
        activities = select(Activity.id, Activity.opportunity_id).subquery()
        rows = db_session.execute(
            select(activities.c.id, Opportunity.name)
            .select_from(activities)
            .outerjoin(Opportunity, Opportunity.id == activities.c.opportunity_id)
            .order_by(activities.c.id)
        ).all()
        assert [name for _, name in rows] == [None, None]
        counted = db_session.execute(
            select(Opportunity.level, func.count())
            .select_from(activities)
            .outerjoin(Opportunity, Opportunity.id == b_opportunity.id)
            .group_by(Opportunity.level)
        ).all()
        assert counted == [(None, 2)]


def test_a_read_scope_over_one_organisation_is_about_that_organisation_and_refuses_writes(
    two_orgs, db_session
):
    from core.tenancy import current_org_id

    a, b = two_orgs
    with group_read_scope([b.id], actor_id=None, purpose="one partner's figures"):
        assert current_org_id() == b.id
        db_session.add(ExampleNote(body="written while reading"))
        with pytest.raises(IsolationError):
            db_session.flush()
    db_session.rollback()
    with (
        group_read_scope([a.id, b.id], actor_id=None, purpose="two partners"),
        pytest.raises(IsolationError, match="no organisation scope"),
    ):
        current_org_id()
