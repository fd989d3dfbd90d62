"""Surveys: questions with scales, responses per participant or anonymous, one answer per question.

Built-in question codes carry the regulator's meaning: ``TP06`` (satisfied the landlord listens to
tenants' views and acts upon them) and ``OPPS`` (satisfied with opportunities to take part).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models.base import created_at_column
from core.tenancy import OrgOwned, org_foreign_key

SCALES = ("satisfaction", "agreement", "yes_no", "text")
SATISFACTION_VALUES = (
    "very_satisfied",
    "fairly_satisfied",
    "neither",
    "fairly_dissatisfied",
    "very_dissatisfied",
    "dont_know",
)
AGREEMENT_VALUES = ("strongly_agree", "agree", "neither", "disagree", "strongly_disagree", "dont_know")
YES_NO_VALUES = ("yes", "no", "dont_know")
BUILT_IN_QUESTIONS = {
    "TP06": ("Satisfied that your landlord listens to your views and acts upon them", "satisfaction"),
    "OPPS": ("Satisfied with the opportunities to take part and have your say", "satisfaction"),
}


class Survey(OrgOwned, db.Model):
    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    opens_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    # Who ran it: "landlord", or the name of an external survey supplier.
    conducted_by: Mapped[str] = mapped_column(String(200), default="landlord")
    created_at: Mapped[datetime] = created_at_column()


class SurveyQuestion(OrgOwned, db.Model):
    __tablename__ = "survey_questions"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "survey_id", "code"),
        org_foreign_key("survey_id", "surveys", ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column()
    code: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(String(500))
    scale: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(default=0)


class SurveyResponse(OrgOwned, db.Model):
    """One completed questionnaire; ``external_ref`` is the supplier's id, so a re-import is a no-op."""

    __tablename__ = "survey_responses"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "survey_id", "external_ref"),
        org_foreign_key("survey_id", "surveys", ondelete="CASCADE"),
        org_foreign_key("participant_id", "participants"),
        Index(None, "organisation_id", "responded_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column()
    participant_id: Mapped[int | None] = mapped_column()
    channel: Mapped[str | None] = mapped_column(String(20))
    responded_on: Mapped[date] = mapped_column(Date)
    external_ref: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = created_at_column()


class SurveyAnswer(OrgOwned, db.Model):
    __tablename__ = "survey_answers"
    __org_table_args__ = (
        UniqueConstraint("organisation_id", "response_id", "question_code"),
        org_foreign_key("response_id", "survey_responses", ondelete="CASCADE"),
        Index(None, "organisation_id", "question_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column()
    question_code: Mapped[str] = mapped_column(String(30))
    value: Mapped[str | None] = mapped_column(Text)


class KpiSnapshot(OrgOwned, db.Model):
    """A KPI's stored value for one organisation and period (taken each quarter by a job)."""

    __tablename__ = "kpi_snapshots"
    __org_table_args__ = (UniqueConstraint("organisation_id", "period", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(12))
    code: Mapped[str] = mapped_column(String(60))
    value: Mapped[str | None] = mapped_column(String(40))
    details: Mapped[str | None] = mapped_column(Text)
    computed_at: Mapped[datetime] = created_at_column()
