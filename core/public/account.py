"""Resident accounts on the residents' site: ``/p/<slug>/account/…`` (issue 16 item 7).

Optional for residents and never needed to respond or get involved. A resident asks for a one-time
link by e-mail (``core.services.resident_accounts``); opening it and pressing "Sign in" puts the
participant and the organisation in the session under ``SESSION_KEY``, apart from Flask-Login's
staff user, so a resident session never opens a staff page (``/o/…``, ``/api/…``). Every account
page checks that the session's organisation is the one in the URL: another landlord's
``/p/<other>/account`` pages send the resident to that landlord's sign-in page. Enabled plugins
add panels to the account page through the ``tpl_resident_account`` hook.
"""

from __future__ import annotations

import json
from functools import wraps

from flask import Response, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from core.errors import ValidationFailed
from core.extensions import db
from core.models import Participant
from core.models.vocab import ACCESS_NEEDS, CONTACT_CHANNELS, FORMATS
from core.public import public
from core.public.labels import in_language
from core.schemas.people import SubjectAccessSchema
from core.services import resident_accounts as accounts
from core.services.subject_access import subject_access_export

SESSION_KEY = "resident_account"
LINK_KEY = "resident_sign_in_link"
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def current_resident() -> Participant | None:
    """The signed-in resident of this landlord, or None (another landlord's session counts as none)."""
    held = session.get(SESSION_KEY)
    if not isinstance(held, dict) or held.get("organisation_id") != g.organisation.id:
        return None
    participant_id = held.get("participant_id")
    participant = db.session.get(Participant, participant_id) if isinstance(participant_id, int) else None
    return participant if accounts.may_sign_in(participant) else None


def resident_page(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        participant = current_resident()
        if participant is None:
            return redirect(url_for("public.account_sign_in"), 303)
        g.resident = participant
        return view(*args, **kwargs)

    return wrapped


def install_resident_pages(app) -> None:
    """Plugins' resident pages (``plugin_<name>_resident``) take a signed-in resident of this
    landlord, like core's: runs after the public lifecycle has found the organisation."""

    @app.before_request
    def _require_resident():
        if request.blueprint not in current_app.extensions["involve"].resident_blueprints:
            return None
        participant = current_resident()
        if participant is None:
            return redirect(url_for("public.account_sign_in", slug=g.organisation.slug), 303)
        g.resident = participant
        return None


def _page(template: str, status: int = 200, **context):
    return render_template(template, **context), status, NO_STORE


@public.route("/account/sign-in", methods=["GET", "POST"])
def account_sign_in():
    if request.method == "GET":
        return _page("public/account/sign_in.html", email="", errors={})
    email = request.form.get("email", "")
    try:
        accounts.request_link(
            g.organisation,
            {"email": email},
            request.remote_addr or "unknown",
            lambda secret: url_for("public.account_link", token=secret, _external=True),
        )
    except ValidationFailed as exc:
        return _page("public/account/sign_in.html", 422, email=email[:254], errors=in_language(exc.fields))
    return redirect(url_for("public.account_link_sent"), 303)


@public.route("/account/sign-in/sent")
def account_link_sent():
    return _page("public/account/sent.html")


def _link_gone():
    # The language and text-size links go to the sign-in page, never back to the dead link.
    def to_sign_in(**changes: str) -> str:
        return url_for("public.account_sign_in", **changes)

    return _page("public/account/link_gone.html", 404, switch_url=to_sign_in)


@public.route("/account/sign-in/<token>")
def account_link(token: str):
    """Opening the e-mailed link keeps its secret in the session and moves it out of the address
    bar (and out of any Referer); nothing is used up until the resident presses "Sign in"."""
    if accounts.find_link(token) is None:
        return _link_gone()
    session[LINK_KEY] = token
    return redirect(url_for("public.account_confirm"), 303)


@public.route("/account/sign-in/confirm", methods=["GET", "POST"])
def account_confirm():
    """GET only shows a button (mail scanners open links); POST uses the link up."""
    token = session.get(LINK_KEY)
    if not isinstance(token, str) or accounts.find_link(token) is None:
        return _link_gone()
    if request.method == "GET":
        return _page("public/account/confirm.html")
    participant = accounts.use_link(token)
    session.pop(LINK_KEY, None)
    if participant is None:
        return _link_gone()
    session[SESSION_KEY] = {"organisation_id": g.organisation.id, "participant_id": participant.id}
    return redirect(url_for("public.account"), 303)


@public.route("/account/")
@resident_page
def account():
    registry = current_app.extensions["involve"].plugins
    links = [
        link
        for result in registry.hook_for(g.organisation.id, "tpl_resident_account")(
            organisation=g.organisation, participant=g.resident
        )
        for link in (result or [])
    ]
    return _page("public/account/home.html", person=g.resident, links=links)


def _choices() -> dict:
    return {"channels": CONTACT_CHANNELS, "formats": FORMATS, "access_needs": ACCESS_NEEDS}


@public.route("/account/details", methods=["GET", "POST"])
@resident_page
def account_details():
    person = g.resident
    if request.method == "GET":
        form = {name: getattr(person, name) or "" for name in accounts.DETAIL_FIELDS}
        return _page("public/account/details.html", form=form, errors={}, **_choices())
    form = {
        "email": request.form.get("email", "").strip() or None,
        "phone": request.form.get("phone", "").strip() or None,
        "language": request.form.get("language", "").strip() or None,
        "channels": request.form.getlist("channels"),
        "formats": request.form.getlist("formats"),
    }
    try:
        accounts.change_details(person, form)
    except ValidationFailed as exc:
        shown = {k: (v or "") for k, v in form.items()}
        return _page(
            "public/account/details.html", 422, form=shown, errors=in_language(exc.fields), **_choices()
        )
    return redirect(url_for("public.account", changed="details"), 303)


@public.route("/account/access-needs", methods=["GET", "POST"])
@resident_page
def account_access_needs():
    person = g.resident
    if request.method == "GET":
        return _page("public/account/access_needs.html", chosen=person.access_needs, errors={}, **_choices())
    chosen = request.form.getlist("access_needs")
    try:
        accounts.change_access_needs(person, {"access_needs": chosen})
    except ValidationFailed as exc:
        errors = in_language(exc.fields)
        return _page("public/account/access_needs.html", 422, chosen=chosen, errors=errors, **_choices())
    return redirect(url_for("public.account", changed="access"), 303)


@public.route("/account/activities")
@resident_page
def account_activities():
    return _page("public/account/activities.html", **accounts.involvement(g.resident))


@public.route("/account/responses")
@resident_page
def account_responses():
    return _page("public/account/responses.html", responses=accounts.involvement(g.resident)["responses"])


@public.route("/account/download", methods=["GET", "POST"])
@resident_page
def account_download():
    if request.method == "GET":
        return _page("public/account/download.html")
    export = SubjectAccessSchema().dump(subject_access_export(g.organisation, g.resident))
    return Response(
        json.dumps(export, indent=2, ensure_ascii=False),
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="my-data.json"', **NO_STORE},
    )


@public.route("/account/withdraw-consent", methods=["GET", "POST"])
@resident_page
def account_withdraw():
    if request.method == "GET":
        return _page("public/account/withdraw.html", errors={})
    if request.form.get("confirm") != "yes":
        errors = {"confirm": [_("Select yes if you no longer want us to contact you.")]}
        return _page("public/account/withdraw.html", 422, errors=errors)
    accounts.withdraw_consent(g.resident)
    session.pop(SESSION_KEY, None)
    return redirect(url_for("public.account_withdrawn"), 303)


@public.route("/account/withdrawn")
def account_withdrawn():
    return _page("public/account/withdrawn.html")


@public.route("/account/sign-out", methods=["POST"])
def account_sign_out():
    session.pop(SESSION_KEY, None)
    return redirect(url_for("public.home", signed_out=1), 303)
