"""The Your Voice API (``/api/v1/orgs/<slug>/plugins/reward_points/…``).

Thin views: each loads, checks the permission, validates and hands over to ``members``,
``ledger``, ``conversion`` or ``statements``. Ledger entries and conversions have no PATCH, PUT or
DELETE route (405): they are append-only; corrections are new entries.
"""

from __future__ import annotations

from flask import Response, g, request
from flask.views import MethodView
from sqlalchemy import select

from core import plugin_kit
from core.api.blueprint import ApiBlueprint as Blueprint
from core.errors import ValidationFailed
from core.extensions import db
from core.jobs import enqueue
from core.lifecycle import permission
from core.models import Activity
from core.plugin_kit import csv_response
from core.records import check_reference, get_or_404, paginate, url_model
from plugins.reward_points import conversion, ledger, members, statements
from plugins.reward_points.models import RewardConversion, RewardEntry, RewardMember
from plugins.reward_points.schemas import (
    ConversionArgs,
    ConversionListSchema,
    ConversionRunQueuedSchema,
    ConversionRunSchema,
    ConversionSchema,
    EntryArgs,
    EntryListSchema,
    EntrySchema,
    LeaveSchema,
    ManualEntrySchema,
    MemberArgs,
    MemberChoiceSchema,
    MemberListSchema,
    MemberSchema,
    RejoinSchema,
    SettleQueuedSchema,
    StatementSchema,
    SummaryArgs,
    SummarySchema,
    YearArgs,
    YearTotalsSchema,
)
from plugins.reward_points.settings import SchemeYears, scheme_year

blp = Blueprint(
    "plugin_reward_points", __name__, description="Your Voice rewards: members, points, conversions"
)

url_model("rp_member_id", RewardMember, "Your Voice member")
url_model("rp_entry_id", RewardEntry, "points entry")
url_model("rp_conversion_id", RewardConversion, "conversion")


def _with_balance(member: RewardMember) -> RewardMember:
    member.balance = ledger.balance(member.id)
    member.active = member.left_on is None
    return member


# -- members ---------------------------------------------------------------------------------------


@blp.route("/members")
class Members(MethodView):
    @blp.arguments(MemberArgs, location="query")
    @blp.response(200, MemberListSchema)
    @permission("reward_points.read")
    def get(self, args):
        """Your Voice members with their balances."""
        query = select(RewardMember).order_by(RewardMember.id)
        if "active" in args:
            query = query.where(
                RewardMember.left_on.is_(None) if args["active"] else RewardMember.left_on.is_not(None)
            )
        page = paginate(query, args)
        balances = statements.balances_by_member([m.id for m in page["items"]])
        for member in page["items"]:
            member.balance, member.active = balances[member.id], member.left_on is None
        return page

    @blp.arguments(MemberSchema)
    @blp.response(201, MemberSchema)
    @permission("reward_points.manage")
    def post(self, body):
        """Enrol a participant in Your Voice (only members earn points)."""
        return _with_balance(members.join(body))


@blp.route("/members/<int:rp_member_id>")
class MemberDetail(MethodView):
    @blp.response(200, MemberSchema)
    @permission("reward_points.read")
    def get(self, rp_member_id):
        """One member and their balance."""
        return _with_balance(get_or_404(RewardMember, rp_member_id, "Your Voice member"))

    @blp.arguments(MemberChoiceSchema)
    @blp.response(200, MemberSchema)
    @permission("reward_points.manage")
    def patch(self, body, rp_member_id):
        """Change how the member wants their points paid: a voucher (retailer) or a donation (charity)."""
        member = get_or_404(RewardMember, rp_member_id, "Your Voice member")
        return _with_balance(members.change_choice(member, body))


@blp.route("/members/<int:rp_member_id>/leave")
class MemberLeave(MethodView):
    @blp.arguments(LeaveSchema)
    @blp.response(200, MemberSchema)
    @permission("reward_points.manage")
    def post(self, body, rp_member_id):
        """The member leaves Your Voice; their points stay theirs until converted."""
        member = get_or_404(RewardMember, rp_member_id, "Your Voice member")
        return _with_balance(members.leave(member, body["left_on"]))


@blp.route("/members/<int:rp_member_id>/rejoin")
class MemberRejoin(MethodView):
    @blp.arguments(RejoinSchema)
    @blp.response(200, MemberSchema)
    @permission("reward_points.manage")
    def post(self, body, rp_member_id):
        """A former member joins again."""
        member = get_or_404(RewardMember, rp_member_id, "Your Voice member")
        return _with_balance(members.rejoin(member, body["joined_on"]))


@blp.route("/members/<int:rp_member_id>/statement")
class MemberStatement(MethodView):
    @blp.response(200, StatementSchema)
    @permission("reward_points.read")
    def get(self, rp_member_id):
        """The member's statement: every entry, the balance and its value at today's rate."""
        return statements.member_statement(get_or_404(RewardMember, rp_member_id, "Your Voice member"))


@blp.route("/members/<int:rp_member_id>/entries")
class MemberEntries(MethodView):
    @blp.arguments(EntryArgs, location="query")
    @blp.response(200, EntryListSchema)
    @permission("reward_points.read")
    def get(self, args, rp_member_id):
        """The member's ledger, oldest first."""
        return paginate(_entries(args).where(RewardEntry.member_id == rp_member_id), args)

    @blp.arguments(ManualEntrySchema)
    @blp.response(201, EntrySchema)
    @blp.alt_response(200, schema=EntrySchema, description="A retry with the same idempotency key")
    @permission("reward_points.manage")
    def post(self, body, rp_member_id):
        """Award points for a contribution, or correct the balance, with a reason.

        Send an ``Idempotency-Key`` header (or ``idempotency_key``): a retry with the same key
        returns the first entry (200) instead of awarding twice.
        """
        key = request.headers.get("Idempotency-Key") or body.pop("idempotency_key", None)
        body.pop("idempotency_key", None)
        if not key or not 8 <= len(key) <= 150:
            raise ValidationFailed(
                {
                    "idempotency_key": [
                        "Send an Idempotency-Key header (8–150 characters) so a retry cannot award twice."
                    ]
                }
            )
        check_reference(Activity, body["activity_id"], "activity_id")
        entry, created = ledger.record_manual_entry(
            ledger.ManualEntry(member_id=rp_member_id, idempotency_key=key, **body), user_id=g.api_user.id
        )
        return entry, (201 if created else 200)


def _entries(args):
    query = select(RewardEntry).order_by(RewardEntry.id)
    if "kind" in args:
        query = query.where(RewardEntry.kind == args["kind"])
    if "scheme_year" in args:
        query = query.where(RewardEntry.scheme_year == scheme_year(args["scheme_year"]))
    return query


@blp.route("/entries")
class Entries(MethodView):
    @blp.arguments(EntryArgs, location="query")
    @blp.response(200, EntryListSchema)
    @permission("reward_points.read")
    def get(self, args):
        """The whole ledger, oldest first."""
        return paginate(_entries(args), args)


@blp.route("/entries/<int:rp_entry_id>")
class EntryDetail(MethodView):
    @blp.response(200, EntrySchema)
    @permission("reward_points.read")
    def get(self, rp_entry_id):
        """One ledger entry (entries are never changed or deleted)."""
        return get_or_404(RewardEntry, rp_entry_id, "points entry")


# -- conversions ------------------------------------------------------------------------------------


@blp.route("/conversions")
class Conversions(MethodView):
    @blp.arguments(ConversionArgs, location="query")
    @blp.response(200, ConversionListSchema)
    @permission("reward_points.read")
    def get(self, args):
        """Conversions of points to money, by year and member."""
        query = select(RewardConversion).order_by(RewardConversion.scheme_year, RewardConversion.member_id)
        if "scheme_year" in args:
            query = query.where(RewardConversion.scheme_year == scheme_year(args["scheme_year"]))
        if "reward_choice" in args:
            query = query.where(RewardConversion.reward_choice == args["reward_choice"])
        return paginate(query, args)

    @blp.arguments(ConversionRunSchema)
    @blp.response(202, ConversionRunQueuedSchema)
    @permission("reward_points.convert")
    def post(self, body):
        """Convert every member's points for an ended scheme year (queued; safe to run again)."""
        year = scheme_year(body["scheme_year"])
        conversion.check_year_ended(ledger.current_settings(), year, plugin_kit.today())
        enqueue("reward_points.convert_year", org_id=g.organisation.id, scheme_year=body["scheme_year"])
        return {"scheme_year": body["scheme_year"], "status": "queued"}


@blp.route("/conversions/<int:rp_conversion_id>")
class ConversionDetail(MethodView):
    @blp.response(200, ConversionSchema)
    @permission("reward_points.read")
    def get(self, rp_conversion_id):
        """One member's conversion for one year."""
        return get_or_404(RewardConversion, rp_conversion_id, "conversion")


@blp.route("/conversions/totals")
class ConversionTotals(MethodView):
    @blp.arguments(YearArgs, location="query")
    @blp.response(200, YearTotalsSchema)
    @permission("reward_points.read")
    def get(self, args):
        """A year's conversion: the voucher issue list per retailer and donation totals per charity."""
        return conversion.year_totals(scheme_year(args["scheme_year"]))


@blp.route("/conversions/vouchers.csv")
class VoucherCsv(MethodView):
    @blp.arguments(YearArgs, location="query")
    @blp.response(200, description="CSV: one voucher per member, by retailer")
    @permission("reward_points.read")
    def get(self, args):
        """The voucher issue list as CSV (retailer, member, participant, value)."""
        year = scheme_year(args["scheme_year"])
        rows = [
            [
                c.retailer or "",
                c.member_id,
                _participant_of(c.member_id),
                c.points,
                f"{c.value_pence / 100:.2f}",
            ]
            for c in conversion.voucher_rows(year)
        ]
        return _csv(
            f"vouchers-{args['scheme_year']}.csv",
            ["retailer", "member_id", "participant_id", "points", "value_gbp"],
            rows,
        )


@blp.route("/conversions/donations.csv")
class DonationCsv(MethodView):
    @blp.arguments(YearArgs, location="query")
    @blp.response(200, description="CSV: donation totals per charity")
    @permission("reward_points.read")
    def get(self, args):
        """The charity donation totals as CSV."""
        lines = conversion.donation_totals(scheme_year(args["scheme_year"]))
        rows = [[d["charity"] or "", d["donors"], f"{d['value_pence'] / 100:.2f}"] for d in lines]
        return _csv(f"donations-{args['scheme_year']}.csv", ["charity", "donors", "value_gbp"], rows)


def _participant_of(member_id: int) -> int:
    return db.session.scalar(select(RewardMember.participant_id).where(RewardMember.id == member_id))


def _csv(filename: str, header: list[str], rows: list[list]) -> Response:
    return csv_response(filename, header, rows)


# -- staff summary and catch-up --------------------------------------------------------------------


@blp.route("/summary")
class Summary(MethodView):
    @blp.arguments(SummaryArgs, location="query")
    @blp.response(200, SummarySchema)
    @permission("reward_points.read")
    def get(self, args):
        """The scheme year at a glance: members, points by type of involvement, conversion totals."""
        settings = ledger.current_settings()
        year = (
            scheme_year(args["scheme_year"])
            if "scheme_year" in args
            else SchemeYears.of(settings).year_of(plugin_kit.today())
        )
        return statements.staff_summary(year)


@blp.route("/settle")
class Settle(MethodView):
    @blp.response(202, SettleQueuedSchema)
    @permission("reward_points.manage")
    def post(self):
        """Award anything the participation hooks could not (e.g. an activity marked held later)."""
        return conversion.request_catch_up(g.organisation.id)
