"""What the example plugin does with its notes (all inside the caller's organisation scope)."""

from sqlalchemy import func, select

from core.extensions import db
from tests.example_plugin.models import ExampleNote


def note_count() -> int:
    return db.session.scalar(select(func.count()).select_from(ExampleNote))


def count_notes_in(period):
    return note_count()


def notes_section(period):
    from core.reports import content, figure

    count = note_count()
    return content(f"{count} notes were written.", figures=[figure("Notes", count)], notes=count)


def ensure_welcome_note(greeting: str) -> None:
    exists = db.session.scalar(select(ExampleNote.id).where(ExampleNote.body == greeting))
    if exists is None:
        db.session.add(ExampleNote(body=greeting))


def write_summary(organisation, fail: bool = False, pause_file: str | None = None) -> int:
    """Write one summary note. ``pause_file``: once the note is written (not yet committed),
    say so in ``<pause_file>.reached`` and wait while ``pause_file`` exists (at most a minute),
    so a test can kill the worker mid-job."""
    count = note_count()
    db.session.add(ExampleNote(body=f"{organisation.slug} has {count} notes"))
    db.session.flush()
    if pause_file is not None:
        import time
        from pathlib import Path

        Path(f"{pause_file}.reached").touch()
        deadline = time.monotonic() + 60
        while Path(pause_file).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    if fail:
        raise RuntimeError("the job failed after writing")
    return count
