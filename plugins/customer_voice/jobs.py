"""Background job: remind administrators of a due standards report or approach review."""

from __future__ import annotations

from datetime import date

from core import plugin_kit


def remind_standards(organisation, today: str | None = None) -> int:
    """Job body (daily): keyed notifications, so running it again the same day adds nothing.

    ``today`` (ISO date) is for tests and re-runs of a missed day; by default, the worker's today.
    """
    from plugins.customer_voice.services.standards import send_reminders

    return send_reminders(organisation, date.fromisoformat(today) if today else plugin_kit.today())
