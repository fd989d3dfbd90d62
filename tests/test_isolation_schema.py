"""Every table is either an explicit global table or organisation-owned, and shaped so (DESIGN.md)."""

import pytest
from sqlalchemy import ForeignKeyConstraint, Index, UniqueConstraint

from core.extensions import db
from core.tenancy import GLOBAL_TABLES


def organisation_tables(app):
    return [t for name, t in sorted(db.metadata.tables.items()) if name not in GLOBAL_TABLES]


def test_there_are_organisation_owned_tables_to_check(app):
    names = {t.name for t in organisation_tables(app)}
    assert {"organisation_plugins", "example_notes"} <= names


def test_every_table_is_global_or_has_a_non_null_organisation_id(app):
    for table in organisation_tables(app):
        column = table.columns.get("organisation_id")
        assert column is not None, f"{table.name} has no organisation_id and is not global"
        assert column.nullable is False, f"{table.name}.organisation_id is nullable"
        targets = {fk.column.table.name for fk in column.foreign_keys}
        assert "organisations" in targets, f"{table.name}.organisation_id must reference organisations"


def test_every_table_has_an_index_led_by_organisation_id(app):
    for table in organisation_tables(app):
        leading = [
            [c.name for c in item.columns][0]
            for item in [*table.indexes, *table.constraints]
            if isinstance(item, Index | UniqueConstraint) and len(item.columns)
        ]
        assert "organisation_id" in leading, f"{table.name} has no index led by organisation_id"


def test_every_unique_constraint_includes_organisation_id(app):
    for table in organisation_tables(app):
        for item in [*table.constraints, *table.indexes]:
            unique = isinstance(item, UniqueConstraint) or (isinstance(item, Index) and item.unique)
            if unique:
                names = {c.name for c in item.columns}
                assert "organisation_id" in names, f"{table.name}: unique {sorted(names)} lacks it"
        for column in table.columns:
            assert not column.unique or column.name == "organisation_id", (
                f"{table.name}.{column.name} is unique on its own"
            )


def test_foreign_keys_between_organisation_tables_are_composite(app):
    for table in organisation_tables(app):
        for constraint in table.constraints:
            if not isinstance(constraint, ForeignKeyConstraint):
                continue
            target = constraint.referred_table.name
            if target in GLOBAL_TABLES:
                continue
            local = [c.name for c in constraint.columns]
            remote = [e.column.name for e in constraint.elements]
            assert local[0] == "organisation_id" and remote[0] == "organisation_id", (
                f"{table.name} → {target} must be (organisation_id, …) → (organisation_id, id)"
            )


def test_global_tables_hold_no_organisation_data_by_accident(app):
    # Memberships are global on purpose: they are read to decide which organisation a user may
    # act for, before any scope exists. Any other global table naming an organisation must be
    # listed here with its reason.
    allowed = {
        "memberships": "access control",
        "account_tokens": "invitation links are opened before any organisation scope exists",
        "organisations": "parent group",
        "job_outbox": "the relay delivers every organisation's jobs, with no scope",
    }
    for name in GLOBAL_TABLES - {"alembic_version"}:
        table = db.metadata.tables[name]
        refers = any(fk.column.table.name == "organisations" for fk in table.foreign_keys)
        if refers:
            assert name in allowed, f"{name} references organisations but is global"


@pytest.mark.postgres
def test_every_organisation_table_has_forced_row_level_security(app, db_session):
    from core.dbadmin import RLS_STATUS_SQL

    rows = {
        name: (enabled, forced)
        for name, enabled, forced in db_session.connection().exec_driver_sql(RLS_STATUS_SQL)
    }
    for table in organisation_tables(app):
        assert rows.get(table.name) == (True, True), f"{table.name}: RLS {rows.get(table.name)}"
