"""The Statement of Resident and Service User Involvement: drafting, approval, publication, versions.

Seed 5.2–5.3: each partner writes how involvement will be encouraged and how its feedback is used in
running the organisation, and publishes a resident-friendly version. Rules kept here:

* only one version is open (draft or approved) at a time, and only a draft can be edited;
* a draft can be approved only when both required parts (encouraging involvement, using feedback)
  are written; only an approved version can be published;
* publishing supersedes the version published before it; published and superseded versions are
  never changed again (409), so what residents read stays on record.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from core.errors import Conflict
from core.extensions import db
from plugins.partner_statements.models import Statement

OPEN = ("draft", "approved")
REQUIRED_PARTS = {
    "encouraging_involvement": "how involvement will be encouraged",
    "using_feedback": "how feedback from involvement is used in running the organisation",
}


def current_statement() -> Statement | None:
    """The published version residents see now, if any."""
    return db.session.scalar(select(Statement).where(Statement.status == "published"))


def open_version() -> Statement | None:
    return db.session.scalar(select(Statement).where(Statement.status.in_(OPEN)))


def start_version(values: dict, organisation_name: str) -> Statement:
    """A new draft, numbered after the last version; ``copy_current`` starts from the published text."""
    values = dict(values)
    copy_current = values.pop("copy_current", False)
    if open_version() is not None:
        raise Conflict("A draft or approved version is already open: publish or edit that one first.")
    last = db.session.scalar(select(func.max(Statement.version))) or 0
    base = current_statement() if copy_current else None
    statement = Statement(version=last + 1, status="draft")
    if base is not None:
        for field in (
            "title",
            "introduction",
            "encouraging_involvement",
            "using_feedback",
            "ways_to_get_involved",
        ):
            setattr(statement, field, getattr(base, field))
    for key, value in values.items():
        if value is not None or key == "change_summary":
            setattr(statement, key, value)
    if not statement.title:
        statement.title = f"{organisation_name}: how you can get involved"
    for field in ("introduction", "encouraging_involvement", "using_feedback"):
        if getattr(statement, field) is None:
            setattr(statement, field, "")
    if statement.ways_to_get_involved is None:
        statement.ways_to_get_involved = []
    db.session.add(statement)
    db.session.flush()
    return statement


def edit(statement: Statement, changes: dict) -> Statement:
    if statement.status != "draft":
        raise Conflict(
            f"Version {statement.version} is {statement.status}: only a draft can be changed; "
            "start a new version instead."
        )
    for key, value in changes.items():
        setattr(statement, key, value)
    statement.updated_at = datetime.now(UTC)
    db.session.flush()
    return statement


def approve(statement: Statement, user_id: int | None, today: date) -> Statement:
    if statement.status != "draft":
        raise Conflict(f"Only a draft can be approved; version {statement.version} is {statement.status}.")
    missing = [
        label for field, label in REQUIRED_PARTS.items() if not (getattr(statement, field) or "").strip()
    ]
    if missing:
        raise Conflict("The statement must say " + " and ".join(missing) + " before it is approved.")
    statement.status = "approved"
    statement.approved_on = today
    statement.approved_by_id = user_id
    db.session.flush()
    return statement


def return_to_draft(statement: Statement) -> Statement:
    """An approved version not yet published may go back for more changes."""
    if statement.status != "approved":
        raise Conflict(f"Only an approved, unpublished version can go back to draft ({statement.status}).")
    statement.status = "draft"
    statement.approved_on = None
    statement.approved_by_id = None
    db.session.flush()
    return statement


def publish(statement: Statement) -> Statement:
    if statement.status != "approved":
        raise Conflict(
            f"Only an approved version can be published; version {statement.version} is {statement.status}."
        )
    now = datetime.now(UTC)
    previous = current_statement()
    if previous is not None:
        previous.status = "superseded"
        previous.superseded_at = now
    statement.status = "published"
    statement.published_at = now
    db.session.flush()
    return statement


def delete(statement: Statement) -> None:
    if statement.status != "draft":
        raise Conflict("Only a draft can be deleted; published versions stay on record.")
    db.session.delete(statement)
    db.session.flush()
