"""PostgreSQL row-level security as the second wall behind the ORM scope (DESIGN.md rule 3)."""

import pytest
from sqlalchemy import create_engine, text

from core.testing import APP_ROLE

pytestmark = pytest.mark.postgres


@pytest.fixture
def rls_db():
    """A committed database (not the rolled-back test transaction): RLS across real transactions."""
    from core.app import create_app
    from core.extensions import db
    from core.models import Organisation
    from core.tenancy import organisation_scope
    from core.testing import _pg_config, migrate, postgres_database
    from tests.example_plugin.models import ExampleNote

    with postgres_database("involve_rls") as urls:
        config = _pg_config(urls)
        migrate(config)
        app = create_app(config)
        with app.app_context():
            a = Organisation(slug="rls-a", name="A")
            b = Organisation(slug="rls-b", name="B")
            db.session.add_all([a, b])
            db.session.commit()
            for org, body in ((a, "secret of a"), (b, "secret of b")):
                with organisation_scope(org.id):
                    db.session.add(ExampleNote(body=body))
                    db.session.commit()
            ids = (a.id, b.id)
            db.session.remove()
            db.engine.dispose()
        yield urls, ids


def _set(conn, org=None, readable=""):
    conn.execute(
        text("SELECT set_config('app.current_org', :o, true), set_config('app.read_orgs', :r, true)"),
        {"o": "" if org is None else str(org), "r": readable},
    )


def test_app_role_is_not_owner_and_cannot_bypass(rls_db):
    urls, _ = rls_db
    engine = create_engine(urls["app"])
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        ).one()
        owner = conn.execute(
            text("SELECT tableowner FROM pg_tables WHERE tablename = 'example_notes'")
        ).scalar()
    engine.dispose()
    assert tuple(row) == (False, False)
    assert owner != APP_ROLE


def test_raw_sql_sees_only_the_current_organisation(rls_db):
    urls, (a, b) = rls_db
    engine = create_engine(urls["app"])
    with engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM example_notes")).scalar() == 0
        _set(conn, a)
        bodies = conn.execute(text("SELECT body FROM example_notes")).scalars().all()
        assert bodies == ["secret of a"]
    engine.dispose()


def test_insert_into_another_organisation_is_refused_by_the_policy(rls_db):
    from sqlalchemy.exc import ProgrammingError

    urls, (a, b) = rls_db
    engine = create_engine(urls["app"])
    with pytest.raises(ProgrammingError, match="row-level security"), engine.begin() as conn:
        _set(conn, a)
        conn.execute(text("INSERT INTO example_notes (organisation_id, body) VALUES (:o, 'x')"), {"o": b})
    engine.dispose()


def test_setting_does_not_leak_to_the_next_transaction_on_a_pooled_connection(rls_db):
    urls, (a, b) = rls_db
    engine = create_engine(urls["app"], pool_size=1, max_overflow=0)
    with engine.begin() as conn:
        first_pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
        _set(conn, a)
        assert conn.execute(text("SELECT count(*) FROM example_notes")).scalar() == 1
    with engine.begin() as conn:
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar() == first_pid
        assert conn.execute(text("SELECT count(*) FROM example_notes")).scalar() == 0
        _set(conn, b)
        assert conn.execute(text("SELECT body FROM example_notes")).scalars().all() == ["secret of b"]
    engine.dispose()


def test_orm_sessions_for_two_organisations_share_one_pooled_connection_safely(rls_db):
    from core.app import create_app
    from core.extensions import db
    from core.tenancy import organisation_scope
    from core.testing import _pg_config
    from tests.example_plugin.models import ExampleNote

    urls, (a, b) = rls_db
    config = _pg_config(urls)
    app = create_app(config)
    seen, pids = {}, set()
    for org in (a, b, None):
        with app.app_context():  # one request each; the pool hands back the same connection
            if org is None:
                # No scope: the ORM refuses, and the policy shows nothing to raw SQL either.
                seen[org] = db.session.execute(text("SELECT count(*) FROM example_notes")).scalar()
            else:
                with organisation_scope(org):
                    seen[org] = db.session.scalars(db.select(ExampleNote.body)).all()
            pids.add(db.session.execute(text("SELECT pg_backend_pid()")).scalar())
            db.session.commit()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    assert len(pids) == 1
    assert seen[a] == ["secret of a"] and seen[b] == ["secret of b"] and seen[None] == 0


def test_group_read_setting_allows_reading_but_not_writing(rls_db):
    from sqlalchemy.exc import ProgrammingError

    urls, (a, b) = rls_db
    engine = create_engine(urls["app"])
    with engine.begin() as conn:
        _set(conn, None, f"{a},{b}")
        assert conn.execute(text("SELECT count(*) FROM example_notes")).scalar() == 2
    with pytest.raises(ProgrammingError), engine.begin() as conn:
        _set(conn, None, f"{a},{b}")
        conn.execute(text("INSERT INTO example_notes (organisation_id, body) VALUES (:o, 'x')"), {"o": a})
    engine.dispose()
