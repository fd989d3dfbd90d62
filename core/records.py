"""The records layer: lookups in the organisation's scope, reference checks, applying validated
input, one page of a query.

Services and HTTP layers (API and web pages) both use it; it knows nothing of HTTP. Another
organisation's id is simply not found, because the organisation scope (core.tenancy) is already on
every statement.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from core.errors import NotFound, ValidationFailed
from core.extensions import db

# The class attribute holding a model's URL parameters (``{"area_id": "area"}``), set by url_model.
URL_PARAMETERS = "involve_url_parameters"

# Ids are 32-bit on PostgreSQL; a larger number is no record's id (and would be a DataError → 500).
MAX_ID = 2**31 - 1


def possible_id(value) -> bool:
    return isinstance(value, int) and 0 < value <= MAX_ID


def url_model(parameter: str, model, what: str, where=None) -> None:
    """Declare that ``<int:parameter>`` in any route names a ``model`` record (called ``what`` in
    the 404 message). The declaration is kept on the model class; each app builds its own table
    from the models of core and of the plugins it loads (:func:`url_models_of`).

    ``where`` (a function returning an SQL condition) narrows a global model to the organisation
    in scope, e.g. users to the organisation's members; organisation-owned models need none."""
    setattr(model, URL_PARAMETERS, {**vars(model).get(URL_PARAMETERS, {}), parameter: (what, where)})


def url_models_of(packages: list[str]) -> dict[str, tuple[Any, str, Any]]:
    """URL parameter → (model, what, where) for the models defined under ``packages`` (one app's core and
    plugins); a parameter naming two kinds of record is refused."""
    table: dict[str, tuple[Any, str, Any]] = {}
    for mapper in db.Model.registry.mappers:
        model = mapper.class_
        if not any(model.__module__ == p or model.__module__.startswith(p + ".") for p in packages):
            continue
        for parameter, (what, where) in vars(model).get(URL_PARAMETERS, {}).items():
            known = table.get(parameter)
            if known is not None and known[0] is not model:
                raise ValueError(
                    f"URL parameter {parameter!r} names {known[0].__name__} and {model.__name__}"
                )
            table[parameter] = (model, what, where)
    return table


def check_url_records(view_args: dict[str, Any], url_models: dict[str, tuple[Any, str, Any]]) -> None:
    """404 unless every declared id in the URL is a record of the organisation in scope."""
    for name, value in view_args.items():
        if name in url_models:
            model, what, where = url_models[name]
            found = select(model.id).where(model.id == value)
            if where is not None:
                found = found.where(where())
            if not possible_id(value) or db.session.scalar(found) is None:
                raise NotFound(f"No such {what}.")


def paginate(statement: Select, args: dict[str, Any]) -> dict[str, Any]:
    """One COUNT and one page of rows: ``{"items", "total", "page", "per_page"}``."""
    page, per_page = args.get("page", 1), args.get("per_page", 50)
    total = db.session.scalar(_count_of(statement))
    items = db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page)).all()
    return {"items": items, "total": total, "page": page, "per_page": per_page}


def _count_of(statement: Select) -> Select:
    """How many rows ``statement`` gives. A plain list (no DISTINCT, GROUP BY, LIMIT or loader
    options) is counted as ``SELECT count(*)`` over its own FROM and WHERE: no subquery, so the
    organisation scope filters it without copying the statement. Anything else is counted
    around a subquery of it."""
    plain = not (
        statement._distinct
        or statement._group_by_clauses
        or statement._having_criteria
        or statement._limit_clause is not None
        or statement._offset_clause is not None
        or statement._with_options
    )
    if plain:
        return statement.with_only_columns(func.count(), maintain_column_froms=True).order_by(None)
    return select(func.count()).select_from(statement.order_by(None).subquery())


def get_or_404(model, record_id: int, what: str | None = None):
    """A record of the organisation in scope, or 404 (another organisation's id is not found)."""
    record = db.session.get(model, record_id) if possible_id(record_id) else None
    if record is None:
        raise NotFound(f"No such {what or model.__tablename__.rstrip('s').replace('_', ' ')}.")
    return record


def check_reference(model, record_id: int | None, field: str) -> None:
    """422 naming ``field`` unless ``record_id`` is empty or a record of this organisation."""
    if record_id is None:
        return
    exists = (
        db.session.scalar(select(model.id).where(model.id == record_id)) if possible_id(record_id) else None
    )
    if exists is None:
        raise ValidationFailed({field: [f"No record with id {record_id} in this organisation."]})


def apply(record, changes: dict[str, Any]) -> None:
    for key, value in changes.items():
        setattr(record, key, value)
