"""``/bodies``: governance bodies (boards, scrutiny panels, forums…), their seats, members and attendance.

A body shows ``current_members`` and ``vacancies`` (seats less members whose term covers
today), counted in SQL for a whole page at once. Memberships obey the seat rules of
``core.services.governance`` and any plugin's ``validate_membership``; attendance is computed
from the body's meetings (activities with its ``body_id``) and their participations.
"""

from __future__ import annotations

from flask import g
from flask.views import MethodView
from sqlalchemy import not_, select

from core.api.resources import org_blueprint
from core.errors import NotFound
from core.lifecycle import permission
from core.models import Body, BodyMembership
from core.records import get_or_404, paginate, url_model
from core.schemas.governance import (
    AttendanceArgs,
    AttendanceSchema,
    BodyArgs,
    BodyListSchema,
    BodySchema,
    BodyUpdateSchema,
    MembershipArgs,
    MembershipListSchema,
    MembershipSchema,
    MembershipUpdateSchema,
)
from core.services import governance
from core.services.involvement import today

blp = org_blueprint("bodies", "bodies", "Governance bodies: boards, panels, forums; members and meetings")
url_model("body_id", Body, "body")
url_model("membership_id", BodyMembership, "membership")


@blp.route("")
class Bodies(MethodView):
    @blp.arguments(BodyArgs, location="query")
    @blp.response(200, BodyListSchema)
    @permission("records.read")
    def get(self, args):
        """Bodies, by name, with current members and vacancies; filter by kind, decision-making, area."""
        query = select(Body).order_by(Body.name, Body.id)
        for name in ("kind", "decision_making", "area_id"):
            if name in args:
                query = query.where(getattr(Body, name) == args[name])
        page = paginate(query, args)
        governance.with_seat_counts(page["items"])
        return page

    @blp.arguments(BodySchema)
    @blp.response(201, BodySchema)
    @permission("records.write")
    def post(self, body):
        """Create a body."""
        return governance.save_body(Body(), body)


@blp.route("/<int:body_id>")
class BodyDetail(MethodView):
    @blp.response(200, BodySchema)
    @permission("records.read")
    def get(self, body_id):
        """One body."""
        return governance.with_seat_counts([get_or_404(Body, body_id)])[0]

    @blp.arguments(BodyUpdateSchema)
    @blp.response(200, BodySchema)
    @permission("records.write")
    def patch(self, changes, body_id):
        """Change a body (409 when fewer seats than members from today on)."""
        return governance.save_body(get_or_404(Body, body_id), changes)

    @blp.response(204)
    @permission("records.write")
    def delete(self, body_id):
        """Delete a body and its memberships (409 if it has meetings or recommendations)."""
        governance.delete_body(get_or_404(Body, body_id))


@blp.route("/<int:body_id>/memberships")
class Memberships(MethodView):
    @blp.arguments(MembershipArgs, location="query")
    @blp.response(200, MembershipListSchema)
    @permission("records.read")
    def get(self, args, body_id):
        """Memberships of the body, earliest term first; ``current=true`` for today's members."""
        query = (
            select(BodyMembership)
            .where(BodyMembership.body_id == body_id)
            .order_by(BodyMembership.starts_on, BodyMembership.id)
        )
        if "current" in args:
            current = governance.covers(today())
            query = query.where(current if args["current"] else not_(current))
        for name in ("role", "seat_type"):
            if name in args:
                query = query.where(getattr(BodyMembership, name) == args[name])
        return paginate(query, args)

    @blp.arguments(MembershipSchema)
    @blp.response(201, MembershipSchema)
    @permission("records.write")
    def post(self, membership, body_id):
        """Give someone a seat (409 when the seats, the chair or the person are taken for the term,
        or a plugin refuses it)."""
        return governance.add_membership(g.organisation, get_or_404(Body, body_id), membership)


def _membership(body_id: int, membership_id: int) -> BodyMembership:
    membership = get_or_404(BodyMembership, membership_id)
    if membership.body_id != body_id:
        raise NotFound("No such membership.")
    return membership


@blp.route("/<int:body_id>/memberships/<int:membership_id>")
class MembershipDetail(MethodView):
    @blp.response(200, MembershipSchema)
    @permission("records.read")
    def get(self, body_id, membership_id):
        """One membership."""
        return _membership(body_id, membership_id)

    @blp.arguments(MembershipUpdateSchema)
    @blp.response(200, MembershipSchema)
    @permission("records.write")
    def patch(self, changes, body_id, membership_id):
        """Change a membership (end a term with ``ends_on``); the same rules as a new one apply."""
        membership = _membership(body_id, membership_id)
        return governance.change_membership(g.organisation, get_or_404(Body, body_id), membership, changes)

    @blp.response(204)
    @permission("records.write")
    def delete(self, body_id, membership_id):
        """Remove a membership recorded by mistake (to end a term, set ``ends_on``)."""
        governance.remove_membership(_membership(body_id, membership_id))


@blp.route("/<int:body_id>/attendance")
class Attendance(MethodView):
    @blp.arguments(AttendanceArgs, location="query")
    @blp.response(200, AttendanceSchema)
    @permission("records.read")
    def get(self, args, body_id):
        """Per member: the body's meetings held in the range during their term, and how many they
        attended (``from``/``to`` dates or ``period=2025-26``; no range: all). Paginated by member."""
        body = get_or_404(Body, body_id)
        return governance.attendance(
            body, args.get("date_from"), args.get("date_to"), args["page"], args["per_page"]
        )
