"""Choices and labels shared by the consultation and outcome pages: residents to pick by name
(drawn as a type-to-find box by ``field(f, search=True)``), staff of the organisation, a code's
label ("face_to_face" → "Face to face") and money: shown in pounds and pence, typed in pounds and
pence (:class:`PoundsField`) and stored in pence as the API does.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import g
from sqlalchemy import select
from wtforms import StringField

from core.extensions import db
from core.models import Area, Membership, Participant, User

# A type-to-find list this long is still quick; an organisation with more residents than this is
# asked to search the residents' list instead (the choice names the most recently added first).
MAX_RESIDENT_CHOICES = 5000


def label(code: str | None) -> str:
    return (code or "").replace("_", " ").capitalize()


def code_choices(codes, blank: str | None = None) -> list[tuple[str, str]]:
    choices = [(code, label(code)) for code in codes]
    return ([("", blank)] if blank is not None else []) + choices


def resident_choices(blank: str = "Not recorded") -> list[tuple[str, str]]:
    """Residents by surname then first name, with their reference where they have one."""
    rows = db.session.execute(
        select(Participant.id, Participant.first_name, Participant.last_name, Participant.reference)
        .where(Participant.erased_at.is_(None))
        .order_by(Participant.last_name, Participant.first_name, Participant.id)
        .limit(MAX_RESIDENT_CHOICES)
    ).all()
    return [("", blank)] + [
        (str(r.id), f"{r.first_name} {r.last_name}" + (f" ({r.reference})" if r.reference else ""))
        for r in rows
    ]


def area_choices(blank: str = "No area") -> list[tuple[str, str]]:
    """The organisation's areas by name."""
    areas = db.session.execute(select(Area.id, Area.name).order_by(Area.name, Area.id)).all()
    return [("", blank)] + [(str(a.id), a.name) for a in areas]


def area_name(area_id: int | None) -> str | None:
    if area_id is None:
        return None
    area = db.session.get(Area, area_id)
    return area.name if area else None


def resident_name(participant_id: int | None) -> str | None:
    if participant_id is None:
        return None
    person = db.session.get(Participant, participant_id)
    if person is None or person.erased_at is not None:
        return "A resident whose record was erased"
    return f"{person.first_name} {person.last_name}"


def staff_choices(blank: str = "Nobody yet") -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(User.id, User.name, User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == g.organisation.id)
        .order_by(User.name, User.email)
    ).all()
    return [("", blank)] + [(str(r.id), r.name or r.email) for r in rows]


def staff_name(user_id: int | None) -> str | None:
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    return (user.name or user.email) if user else None


def optional_id(value: str | None) -> int | str | None:
    """A chosen id as the API would receive it (text that is not a number goes on to be refused)."""
    value = (value or "").strip()
    if not value:
        return None
    return int(value) if value.isdigit() and len(value) < 12 else value


def pounds(pence: int | None) -> str:
    """1234 → "£12.34", -500 → "−£5.00"."""
    if pence is None:
        return ""
    sign = "−" if pence < 0 else ""
    return f"{sign}£{abs(pence) // 100:,}.{abs(pence) % 100:02d}"


class PoundsField(StringField):
    """An amount typed in pounds and pence ("12.50", "£1,234", "-5.00" for a refund); ``data`` is
    integer pence, as the API stores it. Text that is not an amount is refused while reading it."""

    def process_formdata(self, valuelist):
        self.raw = (valuelist[0] if valuelist else "").strip()[:20]
        self.data = None
        if not self.raw:
            return
        cleaned = self.raw.replace(",", "").replace("£", "").replace("−", "-")
        try:
            amount = Decimal(cleaned)
            exact = amount.is_finite() and amount == amount.quantize(Decimal("0.01"))
        except InvalidOperation:
            exact = False
        if not exact:
            self.process_errors.append("Enter an amount in pounds and pence, like 12.50")
            return
        self.data = int(amount * 100)

    def _value(self):
        if getattr(self, "raw", None) is not None:
            return self.raw
        return "" if self.data is None else pounds(self.data).replace("£", "").replace("−", "-")
