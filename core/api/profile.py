"""Who is involved compared with who the customers are: ``/equality/summary`` (participants'
equality monitoring in aggregate only, small numbers merged or suppressed) and
``/customer-profile`` (counts per category of all customers, uploaded from the housing
management system), the two sides of the ``profile_gap`` KPI.
"""

from __future__ import annotations

from flask.views import MethodView

from core.api.resources import org_blueprint
from core.errors import NotFound
from core.lifecycle import permission
from core.schemas.people import (
    CHARACTERISTICS,
    CustomerProfileInput,
    CustomerProfileListSchema,
    CustomerProfileSchema,
    EqualitySummaryArgs,
    EqualitySummarySchema,
)
from core.services.people import customer_profile, equality_summary, replace_customer_profile

equality_blp = org_blueprint(
    "equality", "equality", "Equality monitoring in aggregate: no one's answers, small numbers suppressed"
)
profile_blp = org_blueprint(
    "customer_profile", "customer-profile", "Customer profile: all customers per equality characteristic"
)


@equality_blp.route("/summary")
class EqualitySummary(MethodView):
    @equality_blp.arguments(EqualitySummaryArgs, location="query")
    @equality_blp.response(200, EqualitySummarySchema)
    @permission("monitoring.aggregate")
    def get(self, args):
        """Participants per category of one equality characteristic, for equality analysts only.

        The counts are those published by the daily count (``as_of``), which replaces them only
        when at least 5 answers changed, so one person's change never shows; every read is
        audited. Erased people and objectors are left out. Categories of fewer than 5 people are
        merged into ``other``; any count of 1–4 is ``null`` (suppressed), and where only one
        count would be hidden the next smallest is hidden too."""
        return equality_summary(args["characteristic"])


def _characteristic(name: str) -> str:
    if name not in CHARACTERISTICS:
        raise NotFound(f"No characteristic {name!r}; one of {', '.join(CHARACTERISTICS)}.")
    return name


@profile_blp.route("")
class CustomerProfile(MethodView):
    @profile_blp.response(200, CustomerProfileListSchema)
    @permission("profile.read")
    def get(self):
        """The customer profile of every characteristic."""
        return {"items": customer_profile()}


@profile_blp.route("/<characteristic>")
class CustomerProfileOfCharacteristic(MethodView):
    @profile_blp.response(200, CustomerProfileSchema)
    @permission("profile.read")
    def get(self, characteristic):
        """The customer profile of one characteristic."""
        return customer_profile(_characteristic(characteristic))

    @profile_blp.arguments(CustomerProfileInput)
    @profile_blp.response(200, CustomerProfileSchema)
    @permission("monitoring.write")
    def put(self, body, characteristic):
        """Replace one characteristic's counts.

        Categories are those of the characteristic, ``prefer_not_to_say`` or
        ``not_recorded``; counts are whole numbers, 0 or more."""
        return replace_customer_profile(_characteristic(characteristic), body["as_of"], body["counts"])
