"""CSV imports on staff pages: households, participants and a survey's responses.

Upload (the GOV.UK file upload), then a preview from the *same* import service run as a dry run
(every row and column checked, every bad cell listed, nothing written), then confirm. The file is
kept between preview and confirm in the instance folder under a random name, remembered by the
user's session (and only for the organisation it was uploaded to); it is deleted once imported,
and files older than a day are swept away. The import is all or nothing, and importing the same
file again changes nothing ("0 added, 0 changed").
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from flask import current_app, flash, g, redirect, request, session, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms.validators import Optional

from core.bounds import read_in_pieces
from core.errors import ValidationFailed
from core.extensions import db
from core.models import Survey
from core.records import get_or_404
from core.services import surveys as survey_service
from core.services.csv_import import HOUSEHOLDS, PARTICIPANTS, decode_stream, import_csv
from core.web.forms import EmptyForm
from core.web.toolkit import permission, render_page, require
from core.web.views import org_web

SESSION_KEY = "csv_import"
KEEP_SECONDS = 24 * 60 * 60
PIECE = 64 * 1024


@dataclass(frozen=True)
class Kind:
    """One kind of import: its permission, the service that imports it and where pages lead."""

    name: str
    noun: str
    permission: str
    endpoint: str
    columns: Callable[[Survey | None], list[str]]
    run: Callable[[Survey | None, IO[str], bool], dict[str, int]]
    done_url: Callable[[Survey | None], str]


def _survey_columns(survey: Survey | None) -> list[str]:
    questions = survey_service.questions_of([survey.id])[survey.id]
    return [
        c.name if c.name in ("response_id", "responded_on", "participant", "channel") else c.name.upper()
        for c in survey_service.import_spec(questions).columns
    ]


def _survey_done(survey: Survey | None) -> str:
    if "org_web.survey" in current_app.view_functions:
        return url_for("org_web.survey", survey_id=survey.id)
    return url_for("org_web.survey_import", survey_id=survey.id)


KINDS = {
    "households": Kind(
        "households",
        "households",
        "records.write",
        "org_web.household_import",
        lambda _: [c.name for c in HOUSEHOLDS.columns],
        lambda _, content, dry_run: import_csv(HOUSEHOLDS, content, dry_run=dry_run),
        lambda _: url_for("org_web.households"),
    ),
    "participants": Kind(
        "participants",
        "residents",
        "people.write",
        "org_web.participant_import",
        lambda _: [c.name for c in PARTICIPANTS.columns],
        lambda _, content, dry_run: import_csv(PARTICIPANTS, content, dry_run=dry_run),
        lambda _: url_for("org_web.participants"),
    ),
    "survey_responses": Kind(
        "survey_responses",
        "survey responses",
        "records.write",
        "org_web.survey_import",
        _survey_columns,
        lambda survey, content, dry_run: survey_service.import_responses(survey, content, dry_run=dry_run),
        _survey_done,
    ),
}


class UploadForm(FlaskForm):
    file = FileField("Upload a CSV file", validators=[Optional()])


# -- the kept file ---------------------------------------------------------------------------------
def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sweep(folder: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for old in folder.glob("*.csv"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)


def _keep(kind: Kind, survey: Survey | None, upload) -> None:
    """Store the upload under a random name (streamed; the request's size limit applies)."""
    folder = _folder()
    _sweep(folder)
    _forget()
    name = f"{g.organisation.id}-{secrets.token_hex(16)}.csv"
    with open(folder / name, "wb") as out:
        for piece in read_in_pieces(upload.stream, PIECE):
            out.write(piece)
    session[SESSION_KEY] = {
        "kind": kind.name,
        "file": name,
        "filename": (upload.filename or "upload.csv")[:200],
        "survey_id": survey.id if survey else None,
    }


def _kept(kind: Kind, survey: Survey | None) -> dict[str, Any] | None:
    """The session's kept upload, if it is for this import, organisation and survey."""
    kept = session.get(SESSION_KEY)
    if not isinstance(kept, dict) or kept.get("kind") != kind.name:
        return None
    if kept.get("survey_id") != (survey.id if survey else None):
        return None
    name = str(kept.get("file", ""))
    if not name.startswith(f"{g.organisation.id}-") or "/" in name or not (_folder() / name).is_file():
        return None
    return kept


def _forget() -> None:
    kept = session.pop(SESSION_KEY, None)
    if isinstance(kept, dict) and kept.get("file") and "/" not in str(kept["file"]):
        (_folder() / str(kept["file"])).unlink(missing_ok=True)


def _run(kind: Kind, survey: Survey | None, kept: dict[str, Any], dry_run: bool) -> dict[str, int]:
    with open(_folder() / kept["file"], "rb") as stored:
        content = decode_stream(iter(lambda: stored.read(PIECE), b""))
        try:
            return kind.run(survey, content, dry_run)
        finally:
            content.close()


def problem_rows(fields: dict[str, list[str]]) -> list[tuple[str, str, str]]:
    """``{"row 3.postcode": [...]}`` → ``[("3", "postcode", message)]``, in row order."""
    rows = []
    for key, messages in fields.items():
        where, _, column = key.partition(".")
        if where == "header":
            row, column = "1 (header)", "All columns"
        elif where.startswith("row "):
            row, column = where[4:], column or "Whole row"
        else:
            row, column = "Whole file", where if where != "file" else ""
        for message in messages:
            rows.append((row, column, message))

    def order(item):
        number = item[0].split()[0]
        return (0, int(number)) if number.isdigit() else (-1, 0)

    return sorted(rows, key=order)


# -- the pages -------------------------------------------------------------------------------------
def upload_page(kind: Kind, survey: Survey | None = None):
    require(kind.permission)
    form = UploadForm()
    if request.method == "POST" and form.validate():
        upload = form.file.data
        if upload is None or not upload.filename:
            form.file.errors = ["Select a CSV file to import."]
        else:
            _keep(kind, survey, upload)
            return redirect(url_for(f"{kind.endpoint}_preview", **_ids(survey)), code=303)
    return render_page(
        "imports/upload.html", form, kind=kind, survey=survey, columns=kind.columns(survey), ids=_ids(survey)
    )


def preview_page(kind: Kind, survey: Survey | None = None):
    require(kind.permission)
    kept = _kept(kind, survey)
    if kept is None:
        flash("Upload the file again: the one you chose is no longer kept.", "error")
        return redirect(url_for(kind.endpoint, **_ids(survey)), code=303)
    form = EmptyForm()
    problems, message, counts = None, None, None
    confirming = request.method == "POST" and form.validate()
    try:
        counts = _run(kind, survey, kept, dry_run=not confirming)
    except ValidationFailed as exc:
        db.session.rollback()
        problems, message = problem_rows(exc.fields or {"file": [exc.message]}), exc.message
    if confirming and counts is not None:
        db.session.commit()
        _forget()
        flash(f"{kept['filename']} imported: {_said(counts, done=True)}.", "success")
        return redirect(kind.done_url(survey), code=303)
    page, status = render_page(
        "imports/preview.html",
        form,
        kind=kind,
        survey=survey,
        kept=kept,
        counts=counts,
        said=_said(counts) if counts else None,
        problems=problems,
        message=message,
        ids=_ids(survey),
    )
    return page, (422 if problems else status)


def _said(counts: dict[str, int], done: bool = False) -> str:
    added, changed = counts.get("created", 0), counts.get("updated", 0)
    if done:
        return f"{added} added, {changed} changed, {counts.get('unchanged', 0)} unchanged"
    return f"{added} to add, {changed} to change, {counts.get('unchanged', 0)} unchanged"


def _ids(survey: Survey | None) -> dict[str, int]:
    return {"survey_id": survey.id} if survey else {}


@org_web.route("/households/import", methods=["GET", "POST"])
@permission("records.write")
def household_import():
    return upload_page(KINDS["households"])


@org_web.route("/households/import/preview", methods=["GET", "POST"])
@permission("records.write")
def household_import_preview():
    return preview_page(KINDS["households"])


@org_web.route("/participants/import", methods=["GET", "POST"])
@permission("people.write")
def participant_import():
    return upload_page(KINDS["participants"])


@org_web.route("/participants/import/preview", methods=["GET", "POST"])
@permission("people.write")
def participant_import_preview():
    return preview_page(KINDS["participants"])


@org_web.route("/surveys/<int:survey_id>/responses/import", methods=["GET", "POST"])
@permission("records.write")
def survey_import(survey_id: int):
    require(KINDS["survey_responses"].permission)
    return upload_page(KINDS["survey_responses"], get_or_404(Survey, survey_id))


@org_web.route("/surveys/<int:survey_id>/responses/import/preview", methods=["GET", "POST"])
@permission("records.write")
def survey_import_preview(survey_id: int):
    require(KINDS["survey_responses"].permission)
    return preview_page(KINDS["survey_responses"], get_or_404(Survey, survey_id))
