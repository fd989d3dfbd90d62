"""Get involved: a resident's expression of interest, then an optional equality monitoring page.

The request goes to ``core.services.involvement_requests`` as a pending request (nobody is added
to the register until staff confirm it). After sending it, the resident's session remembers the
request for the optional equality page, and only that: the page never shows earlier answers, and
nothing else can reach the request from the public site.
"""

from __future__ import annotations

from flask import abort, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from core import plugin_kit
from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.models import InvolvementRequest
from core.models.vocab import ACCESS_NEEDS, CONTACT_CHANNELS, EQUALITY_CATEGORIES, FORMATS, LEVELS
from core.public import guard, public
from core.services import involvement_requests as requests_service

SESSION_KEY = "involvement_request"
LIST_FIELDS = ("channels", "formats", "access_needs")


def _choices() -> dict:
    return {
        "levels": LEVELS,
        "channels": CONTACT_CHANNELS,
        "formats": FORMATS,
        "access_needs": ACCESS_NEEDS,
    }


def _values(form) -> dict:
    values = {name: form.get(name, "") for name in requests_service.LIMITS}
    values["preferred_level"] = form.get("preferred_level") or None
    for name in LIST_FIELDS:
        values[name] = form.getlist(name)
    values["interests"] = [part for part in (form.get("interests") or "").split(",") if part.strip()]
    values["contact_consent"] = form.get("contact_consent") == "yes"
    return values


@public.route("/get-involved", methods=["GET", "POST"])
def get_involved():
    if request.method == "GET":
        return render_template("public/get_involved.html", form=guard.form_fields(), errors={}, **_choices())
    form = request.form
    token = form.get("submission_token", "")
    shown = {key: form.get(key, "") for key in form}
    for name in LIST_FIELDS:
        shown[name] = form.getlist(name)
    try:
        guard.check_person(form)
        if not guard.valid_token(token):
            raise guard.NotAPerson("token")
        values = _values(form)
        requests_service.check_request(values)
    except guard.NotAPerson:
        shown.update(
            guard.form_fields()
            if not guard.valid_token(token)
            else {"form_started": guard.form_fields()["form_started"]}
        )
        errors = {"first_name": [_("We could not accept the form. Check your details and send them again.")]}
        return render_template("public/get_involved.html", form=shown, errors=errors, **_choices()), 400
    except ValidationFailed as exc:
        return render_template("public/get_involved.html", form=shown, errors=exc.fields, **_choices()), 422
    if requests_service.find_by_token(token) is None:
        guard.count_submission(f"get-involved:{g.organisation.id}")
    created, _new = requests_service.submit(values, token, plugin_kit.today())
    session[SESSION_KEY] = created.id
    return redirect(url_for("public.get_involved_sent"), 303)


def _own_request() -> InvolvementRequest:
    request_id = session.get(SESSION_KEY)
    found = db.session.get(InvolvementRequest, request_id) if isinstance(request_id, int) else None
    if found is None or found.status != "pending":
        abort(404)
    return found


@public.route("/get-involved/sent")
def get_involved_sent():
    _own_request()
    return render_template("public/get_involved_sent.html")


@public.route("/get-involved/equality", methods=["GET", "POST"])
def equality():
    found = _own_request()
    if request.method == "GET":
        return render_template("public/equality.html", categories=EQUALITY_CATEGORIES, errors={}, chosen={})
    chosen = {name: request.form.get(name) or None for name in EQUALITY_CATEGORIES}
    try:
        requests_service.record_answers(found, chosen)
    except ValidationFailed as exc:
        return render_template(
            "public/equality.html", categories=EQUALITY_CATEGORIES, errors=exc.fields, chosen=chosen
        ), 422
    except Conflict:
        abort(404)
    session.pop(SESSION_KEY, None)
    return render_template("public/equality_done.html")
