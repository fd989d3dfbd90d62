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
