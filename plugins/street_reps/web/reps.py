"""Officers' pages for street representatives: the list, appointing one, their patch (add
households street by street, take one out, move one to another patch), renaming the patch,
standing down; and the views representatives put forward on housing-policy issues, answered
and closed. Halton's two rules — a representative speaks for at most 30 tenancy holders, a
household has one representative at most — are the service's, refused in its words."""

from __future__ import annotations

from flask import abort, request, url_for
from sqlalchemy import select

from core import plugin_kit
from core.extensions import db
from core.models import Area, Household
from core.records import get_or_404
from core.web.forms import EmptyForm
from core.web.labels import choices
from core.web.toolkit import delete_form, listing, permission, query_args, render_page, require, save_form
from plugins.street_reps.models import PatchHousehold, RepView, StreetRep
from plugins.street_reps.schemas import records as s
from plugins.street_reps.schemas.settings import current_settings
from plugins.street_reps.services import reps as service
from plugins.street_reps.services.common import tenancy_household
from plugins.street_reps.web import forms, web_bp

SHOWN_HOUSEHOLDS = 200


def _described(rep: StreetRep) -> StreetRep:
    return service.describe([rep], current_settings()["tenancy_tenures"])[0]


@web_bp.route("/reps")
@permission("street_reps.read")
def rep_list():
    args = query_args(s.SrRepArgs())
    statement = select(StreetRep)
    if args.get("current") is not None:
        condition = StreetRep.stood_down_on.is_(None)
        statement = statement.where(condition if args["current"] else ~condition)
    page = listing(
        statement,
        keep=args,
        search=lambda q, text: q.where(StreetRep.patch_name.ilike(f"%{text}%")),
        sorts={"patch": StreetRep.patch_name, "appointed": StreetRep.appointed_on},
        default_sort="patch",
    )
    service.describe(page.items, current_settings()["tenancy_tenures"])
    return render_page("street_reps/reps/list.html", listing=page, settings=current_settings())


@web_bp.route("/reps/new", methods=["GET", "POST"])
@permission("street_reps.write")
def rep_new():
    form = forms.RepForm()
    done = save_form(
        form,
        s.SrRepSchema(),
        lambda values: service.appoint(values, current_settings()),
        payload=forms.rep_body,
        success=lambda rep: f"Street representative appointed for {rep.patch_name}.",
        next_url=lambda rep: url_for(".rep_detail", sr_rep_id=rep.id),
    )
    return done or render_page("street_reps/reps/form.html", form, rep=None)


@web_bp.route("/reps/<int:sr_rep_id>")
@permission("street_reps.read")
def rep_detail(sr_rep_id: int):
    rep = _described(get_or_404(StreetRep, sr_rep_id, "street representative"))
    views = db.session.scalars(
        select(RepView).where(RepView.rep_id == rep.id).order_by(RepView.submitted_on.desc(), RepView.id)
    ).all()
    return render_page(
        "street_reps/reps/detail.html",
        rep=rep,
        households=service.patch_households(rep),
        views=views,
        settings=current_settings(),
        form=None,
        action_form=EmptyForm(),
    )


@web_bp.route("/reps/<int:sr_rep_id>/edit", methods=["GET", "POST"])
@permission("street_reps.write")
def rep_edit(sr_rep_id: int):
    rep = get_or_404(StreetRep, sr_rep_id, "street representative")
    form = forms.RepEditForm(obj=rep)
    done = save_form(
        form,
        s.SrRepUpdateSchema(),
        lambda values: service.change_rep(rep, values),
        partial=True,
        success="Patch details saved.",
        next_url=url_for(".rep_detail", sr_rep_id=rep.id),
    )
    return done or render_page("street_reps/reps/edit.html", form, rep=rep)


@web_bp.route("/reps/<int:sr_rep_id>/stand-down", methods=["GET", "POST"])
@permission("street_reps.write")
def rep_stand_down(sr_rep_id: int):
    rep = get_or_404(StreetRep, sr_rep_id, "street representative")
    if rep.stood_down_on is not None:
        abort(404)
    form = forms.StandDownForm()
    if request.method == "GET":
        form.stood_down_on.process(None, plugin_kit.today())
    done = save_form(
        form,
        s.SrRepUpdateSchema(),
        lambda values: service.change_rep(rep, values),
        success=f"{rep.patch_name}: the representative has stood down and the patch's households are free.",
        next_url=url_for(".rep_detail", sr_rep_id=rep.id),
    )
    return done or render_page("street_reps/reps/stand_down.html", form, rep=_described(rep))


def _street_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(Area.id, Area.name).where(Area.kind.in_(service.STREET_KINDS)).order_by(Area.name)
    ).all()
    return [(str(i), name) for i, name in rows]


@web_bp.route("/reps/<int:sr_rep_id>/households", methods=["GET", "POST"])
@permission("street_reps.write")
def rep_households(sr_rep_id: int):
    """Add households to the patch, one street or block at a time."""
    rep = _described(get_or_404(StreetRep, sr_rep_id, "street representative"))
    streets = _street_choices()
    area_id = request.values.get("area_id", "")
    settings = current_settings()
    if area_id not in {value for value, _ in streets}:
        # First the street with most tenancy holders no representative speaks for.
        uncovered = service.uncovered_streets(settings)
        area_id = str(uncovered[0]["area_id"]) if uncovered else (streets[0][0] if streets else "")
    rows = db.session.execute(
        select(Household, StreetRep.patch_name, tenancy_household(settings["tenancy_tenures"]))
        .outerjoin(PatchHousehold, PatchHousehold.household_id == Household.id)
        .outerjoin(StreetRep, StreetRep.id == PatchHousehold.rep_id)
        .where(Household.area_id == (int(area_id) if area_id else 0), Household.active.is_(True))
        .order_by(Household.reference)
        .limit(SHOWN_HOUSEHOLDS)
    ).all()
    form = forms.PatchHouseholdsForm()
    form.household_ids.choices = [
        (
            h.id,
            f"{h.reference}, {', '.join(h.address_lines or [])}"
            + (" (tenancy holder)" if counts else " (not counted: not a tenancy)")
            + (f" – already in {patch}" if patch else ""),
        )
        for h, patch, counts in rows
    ]
    done = save_form(
        form,
        s.SrHouseholdIdsSchema(),
        lambda values: service.add_households(rep, values["household_ids"], settings),
        payload=lambda f: {"household_ids": list(f.household_ids.data or [])},
        success=f"Households added to {rep.patch_name}.",
        next_url=url_for(".rep_detail", sr_rep_id=rep.id),
    )
    return done or render_page(
        "street_reps/reps/households.html",
        form,
        rep=rep,
        streets=streets,
        area_id=area_id,
        settings=settings,
        shown=len(rows),
        limit=SHOWN_HOUSEHOLDS,
    )


@web_bp.route("/reps/<int:sr_rep_id>/households/<int:household_id>/remove", methods=["POST"])
@permission("street_reps.write")
def rep_household_remove(sr_rep_id: int, household_id: int):
    rep = get_or_404(StreetRep, sr_rep_id, "street representative")
    household = get_or_404(Household, household_id, "household")
    form = EmptyForm()
    done = delete_form(
        form,
        lambda: service.remove_household(rep, household.id),
        success=f"Household {household.reference} taken out of {rep.patch_name}.",
        next_url=url_for(".rep_detail", sr_rep_id=rep.id),
    )
    return done or _detail_with_errors(rep, form)


@web_bp.route("/reps/<int:sr_rep_id>/households/<int:household_id>/move", methods=["GET", "POST"])
@permission("street_reps.write")
def rep_household_move(sr_rep_id: int, household_id: int):
    rep = _described(get_or_404(StreetRep, sr_rep_id, "street representative"))
    household = get_or_404(Household, household_id, "household")
    form = forms.MoveForm(exclude=rep.id)
    done = save_form(
        form,
        s.SrMoveSchema(),
        lambda values: service.move_household(rep, household.id, values["to_rep_id"], current_settings()),
        payload=lambda f: {"to_rep_id": int(f.to_rep_id.data)} if (f.to_rep_id.data or "").isdigit() else {},
        success=lambda to: f"Household {household.reference} moved to {to.patch_name}.",
        next_url=url_for(".rep_detail", sr_rep_id=rep.id),
    )
    return done or render_page("street_reps/reps/move.html", form, rep=rep, household=household)


def _detail_with_errors(rep: StreetRep, form):
    rep = _described(rep)
    views = db.session.scalars(select(RepView).where(RepView.rep_id == rep.id)).all()
    return render_page(
        "street_reps/reps/detail.html",
        form,
        rep=rep,
        households=service.patch_households(rep),
        views=views,
        settings=current_settings(),
        action_form=form,
    )


# -- views put forward ----------------------------------------------------------------------


@web_bp.route("/reps/<int:sr_rep_id>/views/new", methods=["GET", "POST"])
@permission("street_reps.write")
def view_new(sr_rep_id: int):
    rep = _described(get_or_404(StreetRep, sr_rep_id, "street representative"))
    settings = current_settings()
    form = forms.ViewForm(topics=settings["consultation_topics"])
    done = save_form(
        form,
        s.SrViewSchema(),
        lambda values: service.submit_view(rep, values, settings),
        success=f"View recorded. The answer is due in {settings['view_answer_days']} days.",
        next_url=lambda view: url_for(".view_detail", sr_view_id=view.id),
    )
    return done or render_page("street_reps/views/form.html", form, rep=rep)


@web_bp.route("/views")
@permission("street_reps.read")
def view_list():
    args = query_args(s.SrViewArgs())
    statement = select(RepView)
    if "status" in args:
        statement = statement.where(RepView.status == args["status"])
    if args.get("overdue") is not None:
        condition = service.view_overdue(plugin_kit.today())
        statement = statement.where(condition if args["overdue"] else ~condition)
    page = listing(
        statement,
        keep=args,
        search=lambda q, text: q.where(RepView.summary.ilike(f"%{text}%")),
        sorts={"due": RepView.answer_due_on, "submitted": RepView.submitted_on},
        default_sort="due",
    )
    patches = dict(db.session.execute(select(StreetRep.id, StreetRep.patch_name)).all())
    return render_page(
        "street_reps/views/list.html",
        listing=page,
        patches=patches,
        today=plugin_kit.today(),
        statuses=choices(("submitted", "answered", "closed"), "Any status"),
    )


def _view_page(view: RepView, form, answer_form, close_form):
    rep = _described(db.session.get(StreetRep, view.rep_id))
    return render_page(
        "street_reps/views/detail.html",
        form,
        view=view,
        rep=rep,
        answer_form=answer_form,
        close_form=close_form,
        today=plugin_kit.today(),
    )


@web_bp.route("/views/<int:sr_view_id>", methods=["GET", "POST"])
@permission("street_reps.read")
def view_detail(sr_view_id: int):
    """One view; officers who may write record the answer here."""
    if request.method == "POST":
        require("street_reps.write")
    view = get_or_404(RepView, sr_view_id, "representative's view")
    form = forms.AnswerForm()
    if request.method == "GET" and view.answered_on is None:
        form.answered_on.process(None, plugin_kit.today())
    done = save_form(
        form,
        s.SrViewAnswerSchema(),
        lambda values: service.answer_view(view, values),
        payload=lambda f: {
            "answer": (f.answer.data or "").strip(),
            **({"answered_on": f.answered_on.data.isoformat()} if f.answered_on.data else {}),
        },
        success="Answer recorded.",
        next_url=url_for(".view_detail", sr_view_id=view.id),
    )
    return done or _view_page(view, form if request.method == "POST" else None, form, EmptyForm())


@web_bp.route("/views/<int:sr_view_id>/close", methods=["POST"])
@permission("street_reps.write")
def view_close(sr_view_id: int):
    view = get_or_404(RepView, sr_view_id, "representative's view")
    form = EmptyForm()
    done = save_form(
        form,
        s.SrViewAnswerSchema(),
        lambda values: service.answer_view(view, values),
        payload=lambda f: {"status": "closed"},
        success="View closed.",
        next_url=url_for(".view_detail", sr_view_id=view.id),
    )
    return done or _view_page(view, form, forms.AnswerForm(formdata=None), form)
