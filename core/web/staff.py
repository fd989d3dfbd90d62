"""Staff accounts pages: the staff list, inviting a colleague, a member's role and access (on
``org_web``), and the pages opened from e-mailed links — accepting an invitation, asking for and
choosing a new password (on ``web``).

Every page calls ``core.services.staff``; the service's field messages are shown in a GOV.UK error
summary that links to each field. Only organisation administrators (``members.manage``) see the
controls; anyone else gets 403 on the pages that change something.
"""

from __future__ import annotations

from flask import flash, g, make_response, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user
from sqlalchemy import select

from core.auth import start_session
from core.errors import Conflict, NotFound, Throttled, ValidationFailed
from core.extensions import db
from core.lifecycle import permission, require
from core.models import Membership, User
from core.models.account import ROLES
from core.permissions import can
from core.records import url_model
from core.schemas.staff import ROLE_TEXT
from core.services import staff as staffing
from core.tenancy import current_org_id
from core.web.forms import EmptyForm
from core.web.views import _org_context, org_web, web

url_model(
    "staff_id",
    User,
    "member of staff",
    where=lambda: User.id.in_(
        select(Membership.user_id).where(Membership.organisation_id == current_org_id())
    ),
)

ROLE_HINTS = {
    "viewer": "Reads records and reports; changes nothing.",
    "staff": "Records and runs involvement: residents, activities, consultations.",
    "org_admin": "Everything staff do, and manages staff accounts and plugins.",
}
# Where each error's link in the summary goes: the field, or the form's button for the form as a whole.
FIELD_IDS = {"form": "submit"}


def _errors(fields: dict[str, list[str]]) -> list[dict[str, str]]:
    """Error summary items, each linking to its field."""
    return [
        {"text": messages[0], "href": f"#{FIELD_IDS.get(name, name)}"} for name, messages in fields.items()
    ]


def _form_expired() -> dict[str, list[str]]:
    return {"form": ["The form expired. Please try again."]}


def _role_items(selected: str | None) -> list[dict]:
    return [
        {
            "value": role,
            "text": ROLE_TEXT[role],
            "hint": {"text": ROLE_HINTS[role]},
            "checked": role == selected,
        }
        for role in ROLES
    ]


def _private(html: str):
    """Pages opened from a one-time link: the link must not leak in a Referer header or a cache."""
    response = make_response(html)
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


# -- organisation pages -----------------------------------------------------------------------------


@org_web.route("/admin/staff")
@permission("organisation.read")
def staff_list():
    require("organisation.read")
    return render_template(
        "staff/list.html",
        rows=staffing.staff(g.organisation),
        can_manage=can(current_user, "members.manage", g.organisation),
        **_org_context(),
    )


@org_web.route("/admin/staff/invite", methods=["GET", "POST"])
@permission("members.manage")
def staff_invite():
    require("members.manage")
    values, fields, status = {}, {}, 200
    if request.method == "POST":
        values = {key: request.form.get(key, "") for key in ("name", "email", "role")}
        if not values["role"]:
            values.pop("role")
        if not EmptyForm().validate_on_submit():
            fields, status = _form_expired(), 400
        else:
            try:
                row = staffing.invite(
                    g.organisation,
                    values,
                    actor=current_user,
                    link_for=lambda secret: url_for("web.accept_invitation", token=secret, _external=True),
                )
            except ValidationFailed as exc:
                db.session.rollback()
                fields, status = exc.fields, 422
            else:
                db.session.commit()
                flash(f"We have sent an invitation to {row.email}. The link works for 7 days.", "success")
                return redirect(url_for("org_web.staff_list")), 303
    return render_template(
        "staff/invite.html",
        values=values,
        fields=fields,
        errors=_errors(fields),
        role_items=_role_items(values.get("role")),
        **_org_context(),
    ), status


def _member_page(staff_id: int, fields: dict | None = None, status: int = 200, chosen: str | None = None):
    membership, user = staffing.member(g.organisation, staff_id)
    fields = fields or {}
    return render_template(
        "staff/member.html",
        membership=membership,
        member=user,
        role_text=ROLE_TEXT[membership.role],
        is_self=user.id == current_user.id,
        fields=fields,
        errors=_errors(fields),
        role_items=_role_items(chosen or membership.role),
        **_org_context(),
    ), status


@org_web.route("/admin/staff/<int:staff_id>")
@permission("members.manage")
def staff_member(staff_id):
    require("members.manage")
    return _member_page(staff_id)


@org_web.route("/admin/staff/<int:staff_id>/role", methods=["POST"])
@permission("members.manage")
def staff_role(staff_id):
    require("members.manage")
    if not EmptyForm().validate_on_submit():
        return _member_page(staff_id, _form_expired(), 400)
    data = {"role": request.form["role"]} if request.form.get("role") else {}
    try:
        membership = staffing.change_role(g.organisation, staff_id, data, actor=current_user)
    except ValidationFailed as exc:
        db.session.rollback()
        return _member_page(staff_id, exc.fields, 422)
    except Conflict as exc:
        db.session.rollback()
        return _member_page(staff_id, {"role": [exc.message]}, 409)
    db.session.commit()
    flash(
        f"{membership.user.name or membership.user.email} is now {ROLE_TEXT[membership.role].lower()}.",
        "success",
    )
    return redirect(url_for("org_web.staff_member", staff_id=staff_id)), 303


@org_web.route("/admin/staff/<int:staff_id>/deactivate", methods=["GET", "POST"])
@permission("members.manage")
def staff_deactivate(staff_id):
    require("members.manage")
    membership, user = staffing.member(g.organisation, staff_id)
    fields, status = {}, 200
    if request.method == "POST":
        if not EmptyForm().validate_on_submit():
            fields, status = _form_expired(), 400
        else:
            try:
                staffing.deactivate(g.organisation, staff_id, actor=current_user)
            except Conflict as exc:
                db.session.rollback()
                fields, status = {"form": [exc.message]}, 409
            else:
                db.session.commit()
                flash(f"{user.name or user.email} is deactivated and has been signed out.", "success")
                return redirect(url_for("org_web.staff_member", staff_id=staff_id)), 303
    return render_template(
        "staff/deactivate.html",
        membership=membership,
        member=user,
        errors=_errors(fields),
        **_org_context(),
    ), status


@org_web.route("/admin/staff/<int:staff_id>/reactivate", methods=["POST"])
@permission("members.manage")
def staff_reactivate(staff_id):
    require("members.manage")
    if not EmptyForm().validate_on_submit():
        return _member_page(staff_id, _form_expired(), 400)
    membership = staffing.reactivate(g.organisation, staff_id, actor=current_user)
    db.session.commit()
    flash(f"{membership.user.name or membership.user.email} can sign in here again.", "success")
    return redirect(url_for("org_web.staff_member", staff_id=staff_id)), 303


# -- pages opened from e-mailed links ---------------------------------------------------------------


def _sign_in(user: User) -> None:
    session.clear()  # a fresh session for the signed-in user
    start_session(user)
    login_user(user)


def _link_gone():
    return _private(render_template("staff/link_gone.html")), 404


@web.route("/invite/<token>", methods=["GET", "POST"])
def accept_invitation(token):
    try:
        details = staffing.invitation(token)
    except NotFound:
        return _link_gone()
    fields, status = {}, 200
    if request.method == "POST":
        if not EmptyForm().validate_on_submit():
            fields, status = _form_expired(), 400
        else:
            data = {k: request.form[k] for k in ("password", "confirm") if k in request.form}
            try:
                user, organisation = staffing.accept_invitation(token, data, request.remote_addr or "")
            except ValidationFailed as exc:
                db.session.rollback()
                fields, status = exc.fields, 422
            except Throttled as exc:
                db.session.rollback()
                minutes = max(1, exc.retry_after // 60)
                fields, status = (
                    {"password": [f"Too many failed attempts. Try again in {minutes} minutes."]},
                    429,
                )
            else:
                _sign_in(user)
                db.session.commit()
                flash(f"Welcome to {organisation.name}. You are signed in.", "success")
                return redirect(url_for("org_web.org_home", slug=organisation.slug)), 303
    response = render_template("staff/accept.html", details=details, fields=fields, errors=_errors(fields))
    return _private(response), status


@web.route("/password/forgot", methods=["GET", "POST"])
def forgotten_password():
    fields, status, email = {}, 200, ""
    if request.method == "POST":
        email = request.form.get("email", "")
        if not EmptyForm().validate_on_submit():
            fields, status = _form_expired(), 400
        else:
            try:
                staffing.request_password_reset(
                    {"email": email},
                    request.remote_addr or "",
                    link_for=lambda secret: url_for("web.reset_password", token=secret, _external=True),
                )
            except ValidationFailed as exc:
                db.session.rollback()
                fields, status = exc.fields, 422
            except Throttled as exc:
                db.session.rollback()
                minutes = max(1, exc.retry_after // 60)
                fields, status = {"email": [f"Too many requests. Try again in {minutes} minutes."]}, 429
            else:
                db.session.commit()
                return redirect(url_for("web.password_link_sent")), 303
    return render_template("staff/forgot.html", email=email, fields=fields, errors=_errors(fields)), status


@web.route("/password/sent")
def password_link_sent():
    return render_template("staff/forgot_sent.html")


@web.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    if staffing.find_link(token, "password_reset") is None:
        return _link_gone()
    fields, status = {}, 200
    if request.method == "POST":
        if not EmptyForm().validate_on_submit():
            fields, status = _form_expired(), 400
        else:
            data = {k: request.form[k] for k in ("password", "confirm") if k in request.form}
            try:
                user = staffing.reset_password(token, data)
            except ValidationFailed as exc:
                db.session.rollback()
                fields, status = exc.fields, 422
            else:
                _sign_in(user)
                db.session.commit()
                flash(
                    "Your password has been changed and you are signed in. Other sessions were signed out.",
                    "success",
                )
                return redirect(url_for("web.index")), 303
    return _private(render_template("staff/reset.html", fields=fields, errors=_errors(fields))), status
