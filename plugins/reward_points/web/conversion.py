"""The year's conversion: a preview of what converting would pay (per retailer and charity), the
run itself (the same queued job as the API, refused in the same words before the year has ended),
what a run produced, and the vouchers and donations files for a signed-in officer."""

from __future__ import annotations

import contextlib

from flask import abort, g, request
from flask_wtf import FlaskForm
from wtforms import HiddenField

from core import plugin_kit
from core.jobs import enqueue
from core.web.toolkit import permission, render_page, save_form
from plugins.reward_points import conversion, ledger
from plugins.reward_points.preview import member_names, preview
from plugins.reward_points.schemas import ConversionRunSchema
from plugins.reward_points.settings import SchemeYears
from plugins.reward_points.web import web_bp
from plugins.reward_points.web.scheme import chosen_year, year_links


class RunForm(FlaskForm):
    scheme_year = HiddenField()


def _run(values: dict) -> dict:
    from plugins.reward_points.settings import scheme_year

    year = scheme_year(values["scheme_year"])
    conversion.check_year_ended(ledger.current_settings(), year, plugin_kit.today())
    enqueue("reward_points.convert_year", org_id=g.organisation.id, scheme_year=values["scheme_year"])
    return {"scheme_year": values["scheme_year"]}


@web_bp.route("/conversion", methods=["GET", "POST"])
@permission("reward_points.read")
def conversion_page():
    settings = ledger.current_settings()
    year, first, last = chosen_year(settings)
    form = RunForm()
    if request.method == "POST":
        from core.web.toolkit import require

        require("reward_points.convert")
        posted = (request.form.get("scheme_year") or "").strip()
        with contextlib.suppress(ValueError):
            year = min(max(SchemeYears.parse(posted), first), last)
    label = SchemeYears.label(year)
    done = save_form(
        form,
        ConversionRunSchema(),
        _run,
        success=lambda r: (
            f"The {r['scheme_year']} conversion has been started; the totals below "
            "show what it has converted."
        ),
        next_url=lambda r: plugin_kit_url(r["scheme_year"]),
    )
    if done:
        return done
    years = SchemeYears.of(settings)
    form.scheme_year.data = label
    return render_page(
        "reward_points/conversion.html",
        form,
        years=year_links(year, first, last),
        totals=conversion.year_totals(year),
        preview=preview(year),
        ends_on=years.end(year),
        ended=plugin_kit.today() > years.end(year),
        rate=settings["pence_per_point"],
    )


def plugin_kit_url(label: str) -> str:
    from flask import url_for

    return url_for("plugin_reward_points_web.conversion_page", year=label)


def _year_arg() -> int:
    try:
        # ``year`` on the pages, ``scheme_year`` as the API names it.
        return SchemeYears.parse(request.args.get("year") or request.args.get("scheme_year", ""))
    except ValueError:
        abort(404)


@web_bp.route("/conversion/vouchers.csv")
@permission("reward_points.read")
def vouchers_csv():
    year = _year_arg()
    label = SchemeYears.label(year)
    vouchers = conversion.voucher_rows(year)
    names = member_names([c.member_id for c in vouchers])
    rows = [
        [c.retailer or "", c.member_id, names.get(c.member_id, ""), c.points, f"{c.value_pence / 100:.2f}"]
        for c in vouchers
    ]
    return plugin_kit.csv_response(
        f"vouchers-{label}.csv", ["retailer", "member_id", "member", "points", "value_gbp"], rows
    )


@web_bp.route("/conversion/donations.csv")
@permission("reward_points.read")
def donations_csv():
    year = _year_arg()
    label = SchemeYears.label(year)
    lines = conversion.donation_totals(year)
    rows = [[d["charity"] or "", d["donors"], f"{d['value_pence'] / 100:.2f}"] for d in lines]
    return plugin_kit.csv_response(f"donations-{label}.csv", ["charity", "donors", "value_gbp"], rows)
