"""Database-level performance rules (docs/performance.md): the row-level security policies read
the scope once per statement, the application role runs without JIT, the KPI joins have a covering
index, and an API list request makes a bounded number of round trips."""

import importlib.util
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

ROOT = Path(__file__).resolve().parent.parent
REWRITE = ROOT / "migrations" / "versions" / "0005j_rls_once_and_indexes.py"


def _policies(connection) -> dict[tuple[str, str], tuple[str | None, str | None]]:
    rows = connection.execute(
        text("SELECT tablename, policyname, qual, with_check FROM pg_policies WHERE schemaname = 'public'")
    ).all()
    return {(table, name): (qual, check) for table, name, qual, check in rows}


def _per_row(expression: str | None) -> bool:
    """A policy expression that calls current_setting() outside a scalar subquery."""
    return expression is not None and "current_setting" in expression and "SELECT" not in expression


@pytest.mark.postgres
def test_rls_policies_read_the_scope_once_per_statement(database_config):
    engine = create_engine(database_config["DATABASE_MIGRATION_URL"])
    with engine.connect() as connection:
        policies = _policies(connection)
        forced = connection.execute(
            text(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relname = ANY (:tables) "
                "AND c.relrowsecurity AND c.relforcerowsecurity"
            ),
            {"tables": sorted({table for table, _ in policies})},
        ).scalar()
    engine.dispose()
    tables = {table for table, _ in policies}
    assert "participations" in tables and "example_notes" in tables  # core and plugin tables
    assert forced == len(tables)  # still enabled and forced on every table with policies
    assert set(policies) == {(t, f"{t}_own") for t in tables} | {(t, f"{t}_read") for t in tables}
    per_row = sorted(key for key, (qual, check) in policies.items() if _per_row(qual) or _per_row(check))
    assert per_row == []


@pytest.mark.postgres
def test_rls_policy_is_evaluated_once_as_an_initplan(database_config):
    engine = create_engine(database_config["DATABASE_URL"])  # the application role, RLS binding
    with engine.begin() as connection:
        connection.execute(text("SELECT set_config('app.current_org', '1', true)"))
        plan = "\n".join(connection.execute(text("EXPLAIN SELECT count(*) FROM participations")).scalars())
    engine.dispose()
    assert "InitPlan" in plan
    assert "current_setting" not in plan.split("InitPlan", 1)[0]


@pytest.mark.postgres
def test_rls_rewrite_downgrades_to_the_per_row_form_and_back(database_config):
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    spec = importlib.util.spec_from_file_location("rls_rewrite", REWRITE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    engine = create_engine(database_config["DATABASE_MIGRATION_URL"])
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            with Operations.context(MigrationContext.configure(connection)):
                module.downgrade()
                after_downgrade = _policies(connection)
                module.upgrade()
                after_upgrade = _policies(connection)
        finally:
            transaction.rollback()
    engine.dispose()
    assert after_downgrade.keys() == after_upgrade.keys()
    assert all(_per_row(qual) for qual, _check in after_downgrade.values())
    assert not any(_per_row(qual) or _per_row(check) for qual, check in after_upgrade.values())


@pytest.mark.postgres
def test_application_role_runs_without_jit(database_config):
    engine = create_engine(database_config["DATABASE_URL"])
    with engine.connect() as connection:
        role = connection.execute(text("SELECT current_user")).scalar()
        jit = connection.execute(text("SHOW jit")).scalar()
    engine.dispose()
    assert (role, jit) == (database_config["DATABASE_APP_ROLE"], "off")


def test_participations_have_a_covering_index_for_the_kpi_joins(database_config):
    url = database_config.get("DATABASE_MIGRATION_URL") or database_config["DATABASE_URL"]
    engine = create_engine(url)
    indexes = {ix["name"]: ix for ix in inspect(engine).get_indexes("participations")}
    engine.dispose()
    index = indexes["ix_participations_organisation_id_activity_id"]
    assert index["column_names"] == ["organisation_id", "activity_id"]
    if engine.dialect.name == "postgresql":
        assert index["dialect_options"]["postgresql_include"] == ["participant_id", "attended"]


# -- round trips of an authenticated API list request -----------------------------------------


@pytest.fixture
def statements(app):
    """``with statements() as seen:`` every SQL statement sent, scope settings included (the
    test transaction's SAVEPOINT / RELEASE left out: production has none)."""
    import contextlib

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @contextlib.contextmanager
    def counting():
        seen: list[str] = []

        def on_execute(conn, cursor, statement, parameters, context, executemany):
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
                seen.append(" ".join(statement.split()))

        event.listen(Engine, "before_cursor_execute", on_execute)
        try:
            yield seen
        finally:
            event.remove(Engine, "before_cursor_execute", on_execute)

    return counting


def _list_twice(api, path, statements):
    assert api.get(path).status_code == 200  # the token's use is now recorded (once a minute)
    with statements() as seen:
        response = api.get(path)
    assert response.status_code == 200
    return seen


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("participants", ["api_tokens", "organisations", "count", "participants"]),
        ("plugins/example/notes", ["api_tokens", "organisations", "organisation_plugins", "example_notes"]),
    ],
)
def test_an_api_list_request_makes_a_bounded_number_of_round_trips(
    make_org, make_user, api_client, statements, path, queries
):
    """Token, user and memberships in one query; the organisation; (the plugin's state); then the
    page and its count. On PostgreSQL one more: the scope handed over once."""
    org = make_org(plugins=["example"])
    api = api_client(make_user(org, "staff"))
    seen = _list_twice(api, f"/api/v1/orgs/{org.slug}/{path}", statements)
    scope_settings = [s for s in seen if "set_config" in s]
    assert len(seen) - len(scope_settings) <= len(queries), "\n".join(seen)
    assert len(scope_settings) <= 1, "\n".join(seen)


def test_the_token_user_and_memberships_load_in_one_query(make_org, make_user, api_client, statements):
    org = make_org()
    api = api_client(make_user(org, "staff"))
    seen = _list_twice(api, f"/api/v1/orgs/{org.slug}", statements)
    assert not [s for s in seen if s.startswith("SELECT users.") or s.startswith("SELECT memberships.")]
    token_query = next(s for s in seen if "FROM api_tokens" in s)
    assert "JOIN users" in token_query and "JOIN memberships" in token_query


@pytest.mark.postgres
def test_the_scope_is_handed_to_postgresql_once_per_transaction(make_org, make_user, api_client, statements):
    org = make_org(plugins=["example"])
    api = api_client(make_user(org, "staff"))
    seen = _list_twice(api, f"/api/v1/orgs/{org.slug}/plugins/example/notes", statements)
    assert len([s for s in seen if "set_config" in s]) == 1, "\n".join(seen)


@pytest.mark.postgres
def test_pooled_postgresql_connections_are_recycled_not_pinged(app):
    from core.app import PG_POOL_RECYCLE_SECONDS
    from core.extensions import db

    with app.app_context():
        pool = db.engine.pool
    assert pool._pre_ping is False
    assert pool._recycle == PG_POOL_RECYCLE_SECONDS
