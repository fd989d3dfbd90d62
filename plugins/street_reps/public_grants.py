"""The public grants page (``/p/<slug>/street_reps/grants``): how a residents' group applies for a
start-up, annual or development grant, and what was awarded to which group. It adds a route to the
plugin's existing public blueprint (``web.public_bp``), so it shares its public lifecycle: an active
organisation that enables the plugin, no sign-in, published records only.
"""

from __future__ import annotations

from flask import g, render_template

from core import plugin_kit
from plugins.street_reps.schemas.settings import current_settings
from plugins.street_reps.services.public_grants import awarded_grants
from plugins.street_reps.web import public_bp

# The view's title as the residents' site lists it, for translation (residents-site.md).
PAGE_TITLES = (plugin_kit.N_("Grants for residents' groups"),)


@public_bp.route("/grants")
def grants():
    """Grants for residents' groups."""
    settings = current_settings()
    return render_template(
        "street_reps/public_grants.html",
        grant_types=settings["grant_types"],
        start_up_once=settings["start_up_grant_once_per_group"],
        monitoring_months=settings["grant_monitoring_return_months"],
        awarded=awarded_grants(),
        organisation=g.organisation,
    )
