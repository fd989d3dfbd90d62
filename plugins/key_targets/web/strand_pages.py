"""Levels of involvement on the officer's pages (seed section 9): the strands, and for each the
core opportunities and bodies whose activities count towards it — link one more, or remove a
link. Links go through the API's schema and the strands service (the API replaces whole lists;
the page adds or removes one), so a page refuses what the API refuses, in the same words."""

from __future__ import annotations

from flask import url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, SelectField
from wtforms.validators import Optional

from core import plugin_kit
from core.extensions import db
from core.models import Body, Opportunity
from core.periods import Period
from core.records import get_or_404
from core.web.record_choices import optional_id
from core.web.toolkit import delete_form, listing, permission, render_page, save_form
from plugins.key_targets.models import Strand
from plugins.key_targets.schemas import KtStrandLinksSchema
from plugins.key_targets.services.strands import add_links, describe_strands, growth, remove_link
from plugins.key_targets.web import web_bp


class LinkForm(FlaskForm):
    opportunity_ids = SelectField("Opportunity", validators=[Optional()], validate_choice=False)
    body_ids = SelectField("Body", validators=[Optional()], validate_choice=False)


class UnlinkForm(FlaskForm):
    opportunity_id = HiddenField()
    body_id = HiddenField()


def _link_body(form: LinkForm) -> dict:
    body = {}
    for name in ("opportunity_ids", "body_ids"):
        chosen = optional_id(form[name].data)
        if chosen is not None:
            body[name] = [chosen]
    return body


def _names(model, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(select(model.id, model.name).where(model.id.in_(ids))).all())


def _link_form(strand: Strand) -> LinkForm:
    form = LinkForm()
    for field, model, linked, blank in (
        (form.opportunity_ids, Opportunity, strand.opportunity_ids, "No opportunity"),
        (form.body_ids, Body, strand.body_ids, "No body"),
    ):
        rows = db.session.execute(select(model.id, model.name).order_by(model.name, model.id)).all()
        field.choices = [("", blank)] + [(str(i), name) for i, name in rows if i not in linked]
    return form


def _strand_page(strand: Strand, form: LinkForm, unlink: UnlinkForm | None = None):
    describe_strands([strand])
    period = Period.financial_year_of(plugin_kit.today())
    row = next((r for r in growth(period) if r["strand_id"] == strand.id), None)
    return render_page(
        "key_targets/strand.html",
        form if unlink is None else unlink,
        strand=strand,
        link_form=form,
        unlink_form=unlink or UnlinkForm(formdata=None),
        opportunities=_names(Opportunity, strand.opportunity_ids),
        bodies=_names(Body, strand.body_ids),
        period=period,
        growth=row,
    )


@web_bp.route("/strands")
@permission("key_targets.read")
def strands():
    page = listing(select(Strand).order_by(Strand.position, Strand.id), per_page=50)
    describe_strands(page.items)
    return render_page("key_targets/strands.html", listing=page)


@web_bp.route("/strands/<int:kt_strand_id>")
@permission("key_targets.read")
def strand(kt_strand_id: int):
    record = get_or_404(Strand, kt_strand_id, "strand")
    describe_strands([record])
    return _strand_page(record, _link_form(record))


@web_bp.route("/strands/<int:kt_strand_id>/links", methods=["POST"])
@permission("key_targets.write")
def strand_link(kt_strand_id: int):
    record = get_or_404(Strand, kt_strand_id, "strand")
    describe_strands([record])
    form = _link_form(record)
    done = save_form(
        form,
        KtStrandLinksSchema(),
        lambda values: add_links(record, values.get("opportunity_ids"), values.get("body_ids")),
        payload=_link_body,
        success=f"The link was added: its activities now count towards {record.name}.",
        next_url=url_for("plugin_key_targets_web.strand", kt_strand_id=record.id),
    )
    return done or _strand_page(record, form)


@web_bp.route("/strands/<int:kt_strand_id>/links/remove", methods=["POST"])
@permission("key_targets.write")
def strand_unlink(kt_strand_id: int):
    record = get_or_404(Strand, kt_strand_id, "strand")
    form = UnlinkForm()

    def remove() -> None:
        opportunity, body = optional_id(form.opportunity_id.data), optional_id(form.body_id.data)
        remove_link(
            record,
            opportunity_id=opportunity if isinstance(opportunity, int) else None,
            body_id=body if isinstance(body, int) else None,
        )

    done = delete_form(
        form,
        remove,
        success=f"The link was removed: its activities no longer count towards {record.name}.",
        next_url=url_for("plugin_key_targets_web.strand", kt_strand_id=record.id),
    )
    describe_strands([record])
    return done or _strand_page(record, _link_form(record), form)
