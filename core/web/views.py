"""Sign in and out, the list of the user's organisations, an organisation's home and plugin admin."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from markupsafe import Markup
from sqlalchemy import select

from core.auth import authenticate, end_session, start_session
from core.errors import Throttled, ValidationFailed
from core.extensions import db
from core.lifecycle import permission
from core.models import Membership, Organisation
from core.permissions import can
from core.services.plugin_state import plugin_row, set_plugin_state
from core.web.forms import EmptyForm, SignInForm
from core.web.today import today_sections

web = Blueprint("web", __name__)
org_web = Blueprint("org_web", __name__)


def _safe_next(target: str | None) -> str | None:
    """Only same-site relative paths are followed after sign-in."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@web.route("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("web.login"))
    member_of = select(Membership.organisation_id).where(
        Membership.user_id == current_user.id, Membership.in_force()
    )
    organisations = db.session.scalars(
        select(Organisation).where(Organisation.id.in_(member_of)).order_by(Organisation.name)
    ).all()
    return render_template("home.html", organisations=organisations)


@web.route("/login", methods=["GET", "POST"])
def login():
    form = SignInForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    status = 200
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data, request.remote_addr or "")
        except Throttled as exc:
            form.password.errors.append(
                f"Too many failed attempts. Try again in {max(1, exc.retry_after // 60)} minutes."
            )
            return render_template("auth/login.html", form=form), 429
        if user is not None:
            session.clear()  # no fixation: a fresh session for the signed-in user
            start_session(user)
            login_user(user)
            return redirect(_safe_next(form.next.data) or url_for("web.index"))
        form.password.errors.append("The email address or password is not right")
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@web.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        end_session(current_user.session_token)
        logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("web.login"))


def _org_context() -> dict:
    """What organisation pages show beyond the navigation (core.web.navigation adds that)."""
    organisation = g.organisation
    return {
        "organisation": organisation,
        "can_manage_plugins": can(current_user, "plugins.manage", organisation),
        "can_compare": organisation.is_group and can(current_user, "group.compare", organisation),
    }


@org_web.route("/")
@permission("organisation.read")
def org_home():
    organisation = g.organisation
    registry = current_app.extensions["involve"].plugins
    enabled = [registry.get(name) for name in registry.enabled_for(organisation.id)]
    # Plugins are installed code and render their panels from templates (escaped); Markup only
    # stops Jinja escaping that HTML a second time.
    panels = [
        Markup(html)  # noqa: S704
        for html in registry.hook_for(organisation.id, "tpl_org_home")(
            organisation=organisation, user=current_user
        )
        if html
    ]
    return render_template(
        "org/home.html",
        sections=today_sections(organisation, current_user),
        enabled_plugins=enabled,
        panels=panels,
        partners=organisation.partners(),
        parent=organisation.parent(),
        can_review_requests=can(current_user, "people.write", organisation),
        **_org_context(),
    )


@org_web.route("/admin/plugins", methods=["GET", "POST"])
@permission("plugins.manage")
def org_plugins():
    organisation = g.organisation
    registry = current_app.extensions["involve"].plugins
    form = EmptyForm()
    status = 200
    if request.method == "POST":
        name = request.form.get("plugin", "")
        wanted = request.form.get("enabled") == "1"
        if not form.validate_on_submit():
            flash("The form expired. Please try again.", "error")
            status = 400
        elif registry.get(name) is None:
            flash("That plugin is not installed.", "error")
            status = 400
        else:
            row = plugin_row(organisation, name)
            try:
                set_plugin_state(
                    registry,
                    organisation,
                    name,
                    enabled=wanted,
                    settings=dict(row.settings or {}) if row else None,
                )
            except ValidationFailed as exc:
                db.session.rollback()  # nothing half-saved shows in the list below
                problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.fields.items())
                flash(f"{registry.get(name).title} could not be enabled: {problems}", "error")
                status = 422
            else:
                verb = "enabled" if wanted else "disabled"
                flash(f"{registry.get(name).title} {verb}.", "success")
                return redirect(url_for("org_web.org_plugins"))
    plugins = []
    for name in registry.names():
        info = registry.get(name)
        row = plugin_row(organisation, name)
        plugins.append({"info": info, "enabled": bool(row and row.enabled)})
    return render_template("org/plugins.html", plugins=plugins, form=form, **_org_context()), status


@web.route("/healthz")
def healthz():
    db.session.execute(select(1))
    return {"status": "ok"}


__all__ = ["login_required", "org_web", "web"]
