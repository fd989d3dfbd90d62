"""Organisation scope: which organisation a request or job acts for, enforced on every ORM statement.

The scope lives in a context variable, set once the organisation has been resolved from the URL
(or given to a job explicitly). Session events then

* add ``organisation_id = <scope>`` to every SELECT, UPDATE and DELETE touching an
  organisation-owned model (``with_loader_criteria``, no select-only guard, so bulk statements are
  covered as well as loads),
* refuse to run such a statement when no scope is set,
* stamp the organisation on every insert and refuse writes to another organisation's rows,
* on PostgreSQL, copy the scope into the transaction-local settings the row-level security
  policies read (``set_config(..., true)``; a plain ``SET`` would outlive the transaction on a
  pooled connection).

Reading several organisations at once (a group comparing its partners) goes through
:func:`group_read_scope`, which names the organisation ids, is read-only and is written to the
audit log. This module and ``migrations/`` are the only places allowed to use ``text()``.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import (
    CompoundSelect,
    ForeignKeyConstraint,
    Join,
    Select,
    Table,
    UniqueConstraint,
    event,
    or_,
    text,
)
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    declared_attr,
    mapped_column,
    with_loader_criteria,
)
from sqlalchemy.sql import visitors

log = logging.getLogger("involve.audit")

# Tables that belong to no single organisation. Everything else must be organisation-owned;
# tests/test_isolation_schema.py checks every table against this list.
GLOBAL_TABLES = frozenset(
    {
        "organisations",
        "users",
        "user_sessions",
        "memberships",
        "api_tokens",
        "account_tokens",
        "login_throttles",
        "cross_org_reads",
        "job_outbox",
        "alembic_version",
    }
)


class IsolationError(RuntimeError):
    """A statement would have crossed organisations, or ran with no organisation scope."""


@dataclass(frozen=True)
class OrgScope:
    """The organisation acted for (``org_id``) and the ids that may be read (``readable``)."""

    org_id: int | None
    readable: frozenset[int]

    @property
    def writable(self) -> bool:
        return self.org_id is not None

    @property
    def key(self) -> tuple[str, str]:
        """The values handed to PostgreSQL: current organisation, readable organisations."""
        current = "" if self.org_id is None else str(self.org_id)
        return current, ",".join(str(i) for i in sorted(self.readable))


_current: ContextVar[OrgScope | None] = ContextVar("involve_org_scope", default=None)


def current_scope() -> OrgScope | None:
    return _current.get()


def current_org_id() -> int:
    """The organisation the code in scope is about.

    In a read scope over a single organisation (a group reading one partner's figures) that is
    the partner, so KPI and report code reads the same settings as inside the partner's own
    scope; the scope still refuses every write.
    """
    scope = _current.get()
    if scope is not None and scope.org_id is not None:
        return scope.org_id
    if scope is not None and len(scope.readable) == 1:
        (only,) = scope.readable
        return only
    raise IsolationError("no organisation scope is set")


@contextlib.contextmanager
def organisation_scope(org_id: int) -> Iterator[OrgScope]:
    """Act for one organisation inside the block (reads and writes limited to it)."""
    if not isinstance(org_id, int):
        raise IsolationError(f"organisation scope needs an integer id, got {org_id!r}")
    token = _current.set(OrgScope(org_id=org_id, readable=frozenset({org_id})))
    try:
        yield _current.get()
        _flush_pending_writes()
    finally:
        _current.reset(token)


def _flush_pending_writes() -> None:
    """Write what the block added while its scope still holds (a later flush would run in
    another scope and be refused)."""
    from flask import has_app_context

    if not has_app_context():
        return
    from core.extensions import db

    session = db.session()
    if any(isinstance(o, OrgOwned) for o in (*session.new, *session.dirty, *session.deleted)):
        session.flush()


def enter_organisation_scope(org_id: int) -> None:
    """Set the scope for the rest of the current context (a request); reset by the app teardown."""
    _current.set(OrgScope(org_id=org_id, readable=frozenset({org_id})))


def clear_scope() -> None:
    _current.set(None)


@contextlib.contextmanager
def group_read_scope(org_ids: Iterable[int], *, actor_id: int | None, purpose: str) -> Iterator[OrgScope]:
    """Read-only scope over several organisations, for aggregates; every use is audited.

    Callers must only return aggregates from inside the block (and suppress small numbers);
    the scope refuses any insert, update or delete.
    """
    ids = frozenset(int(i) for i in org_ids)
    if not ids:
        raise IsolationError("a read scope needs at least one organisation")
    from core.models.audit import record_cross_org_read

    record_cross_org_read(actor_id=actor_id, org_ids=sorted(ids), purpose=purpose)
    log.info("cross-organisation read by user %s of %s: %s", actor_id, sorted(ids), purpose)
    token = _current.set(OrgScope(org_id=None, readable=ids))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


class OrgOwned:
    """Mixin for every organisation-owned model.

    Adds ``organisation_id`` (not null, references organisations) and a unique
    ``(organisation_id, id)`` that composite foreign keys point at; its index is led by
    ``organisation_id``. Extra table arguments go in ``__org_table_args__``.
    """

    @declared_attr
    def organisation_id(cls) -> Mapped[int]:
        from sqlalchemy import ForeignKey

        return mapped_column(ForeignKey("organisations.id"), nullable=False)

    @declared_attr.directive
    def __table_args__(cls):
        extra = tuple(getattr(cls, "__org_table_args__", ()))
        return (UniqueConstraint("organisation_id", "id"), *extra)


def org_foreign_key(column: str, target_table: str, ondelete: str | None = None):
    """A composite foreign key ``(organisation_id, column) → target(organisation_id, id)``.

    The database then refuses a row that points at another organisation's record.
    """
    return ForeignKeyConstraint(
        ["organisation_id", column],
        [f"{target_table}.organisation_id", f"{target_table}.id"],
        ondelete=ondelete,
    )


def _is_org_owned(mapper) -> bool:
    return isinstance(mapper.class_, type) and issubclass(mapper.class_, OrgOwned)


def _criteria_for(ids: frozenset[int]):
    if len(ids) == 1:
        (only,) = tuple(ids)
        return with_loader_criteria(OrgOwned, lambda cls: cls.organisation_id == only, include_aliases=True)
    id_list = sorted(ids)
    return with_loader_criteria(OrgOwned, lambda cls: cls.organisation_id.in_(id_list), include_aliases=True)


@event.listens_for(Session, "do_orm_execute")
def _scope_statement(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    # Lazy loads get the criteria too; refreshes of expired attributes are not filtered by
    # with_loader_criteria, so _check_loaded_row below guards them.
    bare_tables = _unscoped_tables(state.statement, state.all_mappers) if state.is_select else []
    if not bare_tables and not any(_is_org_owned(m) for m in state.all_mappers):
        _sync_rls(state.session)
        return
    scope = _current.get()
    if scope is None:
        names = sorted({m.class_.__name__ for m in state.all_mappers if _is_org_owned(m)})
        names += [t.name for t in bare_tables]
        raise IsolationError(f"query on organisation-owned {', '.join(names)} with no scope")
    if (state.is_update or state.is_delete) and not scope.writable:
        raise IsolationError("a read-only scope cannot update or delete")
    ids = scope.readable if state.is_select else frozenset({scope.org_id})
    statement = state.statement
    if bare_tables:
        # with_loader_criteria skips a table named only in a FROM (select(func.count())
        # .select_from(Model)) or inside a subquery; filter every SELECT that names one.
        statement = _filter_every_select(statement, sorted(ids), nested=_names_org_table_inside(statement))
    state.statement = statement.options(_criteria_for(ids))
    _sync_rls(state.session)


def _org_tables_of(select_statement: Select) -> list:
    """Organisation-owned tables in one SELECT's FROM: explicit ``select_from``, the columns'
    tables and ORM ``join`` targets (read from the statement, without compiling it)."""
    return [table for table, _optional in _org_tables_with_joins(select_statement)]


def _org_tables_with_joins(select_statement: Select) -> list[tuple]:
    """``(table, optional)`` pairs: ``optional`` when the table is on the null-extended side of an
    outer join, so that its criterion must let the missing row (all NULLs) through."""
    found: dict[str, tuple] = {}

    def walk(clause, optional: bool = False) -> None:
        clause = clause.__clause_element__() if hasattr(clause, "__clause_element__") else clause
        if isinstance(clause, Join):
            walk(clause.left, optional or clause.full)
            walk(clause.right, optional or clause.isouter or clause.full)
        elif isinstance(clause, Table) and clause.name not in GLOBAL_TABLES and "organisation_id" in clause.c:
            # A column's table is also the outer join's target: the join decides.
            _table, seen_optional = found.get(clause.name, (clause, False))
            found[clause.name] = (clause, optional or seen_optional)

    # _from_obj and _setup_joins are SQLAlchemy internals (stable through 2.x); get_final_froms()
    # would compile the statement on every query.
    for clause in (*select_statement._from_obj, *select_statement.columns_clause_froms):
        walk(clause)
    for target, _onclause, _from, flags in select_statement._setup_joins:
        walk(target, bool(flags.get("isouter") or flags.get("full")))
    return list(found.values())


def _unscoped_tables(statement, mappers) -> list:
    """Organisation-owned tables the loader criteria will not reach: named only in a FROM
    (``select(func.count()).select_from(Model)``) or inside a subquery."""
    if not isinstance(statement, Select | CompoundSelect):
        return []
    covered = {m.local_table.name for m in mappers if _is_org_owned(m)}
    found: list = []
    for element in visitors.iterate(statement):
        if not isinstance(element, Select):
            continue
        for table in _org_tables_of(element):
            top_level_entity = element is statement and table.name in covered
            if not top_level_entity and all(f.name != table.name for f in found):
                found.append(table)
    return found


def _names_org_table_inside(statement) -> bool:
    """Whether a SELECT nested in ``statement`` (a subquery, a scalar subquery, a part of a UNION)
    names an organisation-owned table."""
    if not isinstance(statement, Select):
        return True
    return any(
        element is not statement and _org_tables_of(element)
        for element in visitors.iterate(statement)
        if isinstance(element, Select)
    )


def _filter_every_select(statement: Select | CompoundSelect, ids: list[int], nested: bool = True):
    def add_filter(select_clone: Select) -> None:
        for table, optional in _org_tables_with_joins(select_clone):
            allowed = table.c.organisation_id.in_(ids)
            if optional:  # an outer join's missing row: organisation_id is NULL only then (NOT NULL column)
                allowed = or_(allowed, table.c.organisation_id.is_(None))
            select_clone._where_criteria += (allowed,)

    if not nested:
        # Only the top-level SELECT names such a table (select_from, a join target): a shallow
        # copy of it takes the filter, as .where() would, and the rest of the statement is shared
        # rather than copied element by element (the copy cost most of a KPI request's time).
        top = statement._generate()
        add_filter(top)
        return top

    # ORM options (loader criteria, eager loads) cannot be copied by cloned_traverse: set them
    # aside on a shallow copy, rewrite the SQL, then put them back. (SQLAlchemy internals,
    # stable through 2.x; tests/test_isolation_orm.py covers each statement shape.)
    bare = statement._generate()
    options = bare._with_options
    bare._with_options = ()
    try:
        rewritten = visitors.cloned_traverse(bare, {}, {"select": add_filter})
    except AttributeError as exc:  # something else that cannot be copied
        raise IsolationError(
            "cannot scope this statement (a table named only in FROM or a subquery, with "
            "something that cannot be copied); select the model's columns instead"
        ) from exc
    rewritten._with_options = options
    return rewritten


@event.listens_for(OrgOwned, "load", propagate=True)
@event.listens_for(OrgOwned, "refresh", propagate=True)
def _check_loaded_row(target, context, *args) -> None:
    """Last check on every row the ORM materialises: it must be readable in the current scope.

    Catches what statement criteria cannot (a record loaded in one scope and refreshed in
    another) and anything that slipped past them.
    """
    scope = _current.get()
    if scope is None or target.organisation_id not in scope.readable:
        raise IsolationError(
            f"{type(target).__name__} of organisation {target.organisation_id} loaded outside its scope"
        )


@event.listens_for(Session, "transient_to_pending")
def _stamp_on_add(session: Session, instance) -> None:
    """A new record belongs to the organisation in scope when it was added."""
    if isinstance(instance, OrgOwned) and instance.organisation_id is None:
        scope = _current.get()
        if scope is not None and scope.writable:
            instance.organisation_id = scope.org_id


@event.listens_for(Session, "before_flush")
def _stamp_and_check(session: Session, flush_context, instances) -> None:
    scope = _current.get()
    touched = [o for o in (*session.new, *session.dirty, *session.deleted) if isinstance(o, OrgOwned)]
    if not touched:
        return
    if scope is None or not scope.writable:
        raise IsolationError("writing organisation-owned records needs a writable scope")
    for obj in session.new:
        if isinstance(obj, OrgOwned):
            if obj.organisation_id is None:
                obj.organisation_id = scope.org_id
            elif obj.organisation_id != scope.org_id:
                raise IsolationError(
                    f"{type(obj).__name__} for organisation {obj.organisation_id} "
                    f"inserted in the scope of organisation {scope.org_id}"
                )
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, OrgOwned) and obj.organisation_id != scope.org_id:
            raise IsolationError(f"{type(obj).__name__} of another organisation changed")
    _sync_rls(session)


@event.listens_for(Session, "after_begin")
def _rls_on_begin(session: Session, transaction, connection) -> None:
    """A transaction starts with the settings empty (they are only ever set transaction-locally),
    which is what "no scope" means to the policies: hand PostgreSQL a scope only if there is one.
    A request's transaction begins before its organisation is resolved (loading the caller), so
    the scope then reaches PostgreSQL once, with the first statement that runs inside it."""
    if connection.dialect.name != "postgresql":
        return
    if _scope_key() != _EMPTY_KEY:
        apply_rls(connection)
    session.info["rls_key"] = _scope_key()


@event.listens_for(Session, "after_soft_rollback")
def _forget_rls(session: Session, previous_transaction) -> None:
    session.info.pop("rls_key", None)


@event.listens_for(Session, "after_commit")
def _forget_rls_commit(session: Session) -> None:
    session.info.pop("rls_key", None)


_EMPTY_KEY = ("", "")


def _scope_key() -> tuple[str, str]:
    scope = _current.get()
    return _EMPTY_KEY if scope is None else scope.key


def _sync_rls(session: Session) -> None:
    """Re-apply the PostgreSQL settings when the scope changed inside an open transaction."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql" or not session.in_transaction():
        return
    if session.info.get("rls_key") != _scope_key():
        apply_rls(session.connection())
        session.info["rls_key"] = _scope_key()


def apply_rls(connection) -> None:
    """Hand the current scope to PostgreSQL for the rest of this transaction only."""
    current, readable = _scope_key()
    connection.execute(
        text(
            "SELECT set_config('app.current_org', :current, true), "
            "set_config('app.read_orgs', :readable, true)"
        ),
        {"current": current, "readable": readable},
    )


# Row-level security, applied by the migrations to every organisation-owned table.
RLS_CURRENT = "NULLIF(current_setting('app.current_org', true), '')::integer"
RLS_READABLE = "string_to_array(NULLIF(current_setting('app.read_orgs', true), ''), ',')::integer[]"
# The same expressions as scalar subqueries: PostgreSQL evaluates them once per statement (an
# InitPlan) instead of calling current_setting() for every row, and can still use them as index
# conditions. Migration 0005j_rls_once rewrote the policies made before it with these.
RLS_CURRENT_ONCE = f"(SELECT {RLS_CURRENT})"
# (The cast keeps ``= ANY (...)`` reading an array, not the rows of a subquery.)
RLS_READABLE_ONCE = f"(SELECT {RLS_READABLE})::integer[]"


def _policy_clauses(once: bool) -> tuple[str, str]:
    current, readable = (RLS_CURRENT_ONCE, RLS_READABLE_ONCE) if once else (RLS_CURRENT, RLS_READABLE)
    return f"organisation_id = {current}", f"organisation_id = ANY ({readable})"


def enable_rls_sql(table: str) -> list[str]:
    """Statements that switch on row-level security for one organisation-owned table."""
    own, read = _policy_clauses(once=True)
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY {table}_own ON {table} USING ({own}) WITH CHECK ({own})",
        f"CREATE POLICY {table}_read ON {table} FOR SELECT USING ({read})",
    ]


def rewrite_rls_sql(table: str, policy: str, *, once: bool) -> list[str]:
    """Statements that give one of :func:`enable_rls_sql`'s policies (``<table>_own`` or
    ``<table>_read``) its expression evaluated once per statement (``once``) or per row (the form
    before migration 0005j). Any other policy name gets none."""
    own, read = _policy_clauses(once)
    if policy == f"{table}_own":
        return [f"ALTER POLICY {policy} ON {table} USING ({own}) WITH CHECK ({own})"]
    if policy == f"{table}_read":
        return [f"ALTER POLICY {policy} ON {table} USING ({read})"]
    return []


def disable_rls_sql(table: str) -> list[str]:
    return [
        f"DROP POLICY IF EXISTS {table}_read ON {table}",
        f"DROP POLICY IF EXISTS {table}_own ON {table}",
        f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY",
    ]
