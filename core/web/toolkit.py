"""The page toolkit: what every staff page of core and plugins is built from.

- :func:`listing` — one page of a query for a GOV.UK table: search, filters, sort, pagination and
  a count, all from the query string (so a list works without JavaScript and can be bookmarked).
- :func:`save_form` — the POST → redirect → GET cycle of a create or edit form. The form's data is
  loaded through the *same* marshmallow schema the API uses and handed to the *same* service, so
  a page refuses what the API refuses, in the same words; problems land on the form's fields for
  the error summary and the inline messages; nothing is half-saved (one commit, or a rollback).
- :func:`delete_form` — confirm-before-delete.
- :func:`render_page` — render with the status the page deserves (422 with errors, 400 when the
  form expired) and the error flag the layout puts in the title.

Pages check access first (``require``), before reading any input, as the API does.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import flash, g, redirect, render_template, request
from marshmallow import Schema, ValidationError
from sqlalchemy import Select, asc, desc, func, select
from werkzeug.wrappers import Response
from wtforms import Form

from core.errors import Conflict, InvolveError, ValidationFailed
from core.extensions import db
from core.lifecycle import permission, require

__all__ = [
    "Listing",
    "delete_form",
    "listing",
    "permission",
    "query_args",
    "render_page",
    "require",
    "save_form",
]


PER_PAGE_CHOICES = (25, 50, 100)
MAX_SEARCH = 100


# ---------------------------------------------------------------------------------------------
# Lists
# ---------------------------------------------------------------------------------------------


@dataclass
class Listing:
    """One page of rows and what the template needs to draw the table, count and pagination."""

    items: list[Any]
    total: int
    page: int
    per_page: int
    sort: str | None
    direction: str
    args: dict[str, str] = field(default_factory=dict)
    sortable: tuple[str, ...] = ()

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first(self) -> int:
        return 0 if self.total == 0 else (self.page - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        return min(self.total, self.page * self.per_page)

    def url(self, **changes: Any) -> str:
        """This list's URL with some query values changed (None removes one)."""
        values = {**self.args, **{k: v for k, v in changes.items()}}
        query = urlencode({k: v for k, v in values.items() if v not in (None, "")})
        return f"{request.path}?{query}" if query else request.path

    def sort_url(self, column: str) -> str:
        direction = "desc" if self.sort == column and self.direction == "asc" else "asc"
        return self.url(sort=column, direction=direction, page=None)

    def aria_sort(self, column: str) -> str:
        if self.sort != column:
            return "none"
        return "ascending" if self.direction == "asc" else "descending"

    def pagination(self) -> dict[str, Any]:
        """Arguments for govukPagination: previous, next and numbered pages with ellipses."""
        items: list[dict[str, Any]] = []
        shown = {1, self.pages, self.page - 1, self.page, self.page + 1}
        previous = 0
        for number in sorted(n for n in shown if 1 <= n <= self.pages):
            if number - previous > 1:
                items.append({"ellipsis": True})
            items.append({"number": number, "href": self.url(page=number), "current": number == self.page})
            previous = number
        result: dict[str, Any] = {"items": items, "landmarkLabel": "Pages of results"}
        if self.page > 1:
            result["previous"] = {"href": self.url(page=self.page - 1)}
        if self.page < self.pages:
            result["next"] = {"href": self.url(page=self.page + 1)}
        return result


def _positive(value: str | None, default: int) -> int:
    try:
        number = int(value or default)
    except ValueError:
        return default
    return number if number > 0 else default


def query_args(schema: Schema, *, ignore: Iterable[str] = ("page", "per_page")) -> dict[str, Any]:
    """The request's query string loaded through the API's list-arguments ``schema``.

    A value the schema refuses is dropped (a list page shows the unfiltered list rather than an
    error for a hand-edited URL); ``page`` and ``per_page`` are left to :func:`listing`.
    """
    names = {f.data_key or n for n, f in schema.fields.items()}  # "from" for a field named date_from
    raw = {k: v for k, v in request.args.items() if k not in ignore and k in names and v != ""}
    try:
        return schema.load(raw)
    except ValidationError as exc:
        bad = set(exc.messages)
        return schema.load({k: v for k, v in raw.items() if k not in bad})


def listing(
    statement: Select,
    *,
    keep: Mapping[str, Any] | None = None,
    search: Callable[[Select, str], Select] | None = None,
    filters: Mapping[str, Callable[[Select, str], Select]] | None = None,
    sorts: Mapping[str, Any] | None = None,
    default_sort: str | None = None,
    per_page: int = 25,
) -> Listing:
    """One page of ``statement`` for the request's query string.

    ``search(statement, text)`` applies the search box (``q``); ``filters`` maps a query parameter
    to a function applying its value; ``sorts`` maps a column name to the column to order by.
    ``keep`` names filters already applied to ``statement`` (by :func:`query_args` and the API's
    own query function) so the pagination and sort links carry them. Unknown or malformed values
    are ignored rather than refused: a list page never errors on a hand-edited URL.
    """
    args: dict[str, str] = {k: str(request.args[k]) for k in (keep or {}) if k in request.args}
    text = (request.args.get("q") or "").strip()[:MAX_SEARCH]
    if text and search is not None:
        statement = search(statement, text)
        args["q"] = text
    for name, apply_filter in (filters or {}).items():
        value = (request.args.get(name) or "").strip()[:MAX_SEARCH]
        if value:
            try:
                statement = apply_filter(statement, value)
            except (ValueError, LookupError):
                continue
            args[name] = value
    sorts = sorts or {}
    sort = request.args.get("sort") if request.args.get("sort") in sorts else default_sort
    direction = "desc" if request.args.get("direction") == "desc" else "asc"
    if sort is not None and sort in sorts:
        column = sorts[sort]
        statement = statement.order_by(None).order_by(desc(column) if direction == "desc" else asc(column))
        if sort != default_sort or direction != "asc":
            args["sort"], args["direction"] = sort, direction
    size = _positive(request.args.get("per_page"), per_page)
    size = size if size in PER_PAGE_CHOICES or size == per_page else per_page
    if size != per_page:
        args["per_page"] = str(size)
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    pages = max(1, math.ceil(total / size))
    page = min(_positive(request.args.get("page"), 1), pages)
    items = db.session.scalars(statement.limit(size).offset((page - 1) * size)).all()
    return Listing(
        items=list(items),
        total=total,
        page=page,
        per_page=size,
        sort=sort,
        direction=direction,
        args=args,
        sortable=tuple(sorts),
    )


# ---------------------------------------------------------------------------------------------
# Forms
# ---------------------------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    """A form value as the API would receive it in JSON."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, str):
        return value.strip()
    return value


def form_payload(form: Form, fields: Iterable[str] | None = None, *, partial: bool = False) -> dict:
    """The form's data as an API request body.

    Empty text is left out of a new record (the schema's default or its "required" message
    applies) and sent as ``null`` on an edit (clearing the value), as an API client would.
    """
    names = (
        list(fields) if fields is not None else [n for n in form._fields if n not in ("csrf_token", "submit")]
    )
    payload: dict[str, Any] = {}
    for name in names:
        value = _json_value(form[name].data)
        if value in ("", None):
            if partial:
                payload[name] = None
            continue
        payload[name] = value
    return payload


def _messages(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [m for v in value.values() for m in _messages(v)]
    if isinstance(value, Iterable):
        return [m for v in value for m in _messages(v)]
    return [str(value)]


def attach_errors(form: Form, problems: Mapping[str, Any]) -> None:
    """Put each field's messages on the form field of that name; the rest on the form itself."""
    for name, value in problems.items():
        messages = _messages(value)
        target = form._fields.get(name)
        if target is None and name.endswith("_id"):
            target = form._fields.get(name[:-3])
        if target is not None and name not in ("csrf_token", "_schema"):
            target.errors = [*list(target.errors or []), *messages]
        else:
            form.form_errors.extend(messages)


def has_errors(form: Form) -> bool:
    return bool(form.form_errors) or any(f.errors for f in form)


def save_form(
    form: Form,
    schema: Schema,
    save: Callable[[dict[str, Any]], Any],
    *,
    success: str | Callable[[Any], str],
    next_url: str | Callable[[Any], str],
    partial: bool = False,
    payload: Callable[[Form], dict[str, Any]] | None = None,
) -> Response | None:
    """Validate a submitted form through the API's ``schema`` and ``save`` it with the API's service.

    Returns the redirect after a successful save (with a confirmation banner), or None when the
    form should be shown again: not submitted, expired, or with errors on its fields.
    """
    if request.method != "POST":
        return None
    if not form.validate():
        return None
    body = payload(form) if payload else form_payload(form, partial=partial)
    try:
        loaded = schema.load(body, partial=partial)
        record = save(loaded)
        db.session.flush()
    except ValidationError as exc:
        db.session.rollback()
        attach_errors(form, exc.messages)
        return None
    except ValidationFailed as exc:
        db.session.rollback()
        attach_errors(form, exc.fields)
        if not exc.fields:
            form.form_errors.append(exc.message)
        return None
    except (Conflict, InvolveError) as exc:
        if exc.status >= 500 or exc.status in (403, 404):
            raise
        db.session.rollback()
        attach_errors(form, exc.fields) if exc.fields else form.form_errors.append(exc.message)
        return None
    db.session.commit()
    flash(success(record) if callable(success) else success, "success")
    return redirect(return_to() or (next_url(record) if callable(next_url) else next_url), code=303)


def return_to() -> str | None:
    """The page that sent the user here (``?next=``), if it is a page of the same organisation.

    Lets a form opened from another page (a plugin's, say) return there once saved; anything else
    (another host, another organisation, a scheme, ``//``) is ignored and the form's own next page
    is used.
    """
    target = request.args.get("next", "")
    organisation = getattr(g, "organisation", None)
    if organisation is None or not target or len(target) > 500 or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith(f"/o/{organisation.slug}/"):
        return None
    return target


def delete_form(form: Form, remove: Callable[[], Any], *, success: str, next_url: str) -> Response | None:
    """Confirm-before-delete: the POST of the confirmation page removes the record through its
    service, or puts the refusal (a record with a history, say) on the form."""
    if request.method != "POST" or not form.validate():
        return None
    try:
        remove()
        db.session.flush()
    except InvolveError as exc:
        if exc.status in (403, 404):
            raise
        db.session.rollback()
        form.form_errors.append(exc.message)
        return None
    db.session.commit()
    flash(success, "success")
    return redirect(next_url, code=303)


def render_page(template: str, form: Form | None = None, **context: Any) -> tuple[str, int]:
    """Render a page; a form that was posted and not saved answers 422 (400 when it expired)."""
    status = 200
    if form is not None and request.method == "POST":
        csrf_errors = getattr(form, "csrf_token", None) is not None and form.csrf_token.errors
        status = 400 if csrf_errors else 422
        if csrf_errors:
            form.form_errors.append("The form expired. Please try again.")
    return render_template(template, form=form, **context), status
