"""Aggregate pages about who is involved: the customer profile (all customers per equality
characteristic, ``profile.read``) and the equality summary (participants' monitoring answers in
aggregate only, for equality analysts: ``monitoring.aggregate``). The summary comes from the same
service as the API — published counts that move only in steps, small numbers merged or
suppressed — so no page ever shows one person's answer.
"""

from __future__ import annotations

from core.lifecycle import permission
from core.schemas.people import CHARACTERISTICS
from core.services.people import SMALL_NUMBER, customer_profile, equality_summary
from core.web import labels
from core.web.toolkit import render_page, require
from core.web.views import org_web


def share(count: int | None, total: int) -> str:
    """A count as a percentage of the total, to the nearest whole number."""
    if count is None or not total:
        return ""
    return f"{round(100 * count / total)}%"


@org_web.route("/profile")
@permission("profile.read")
def profile():
    require("profile.read")
    return render_page("equality/profile.html", profiles=customer_profile(), labels=labels, share=share)


@org_web.route("/equality")
@permission("monitoring.aggregate")
def equality():
    require("monitoring.aggregate")
    summaries = [equality_summary(name) for name in CHARACTERISTICS]
    return render_page("equality/summary.html", summaries=summaries, labels=labels, threshold=SMALL_NUMBER)
