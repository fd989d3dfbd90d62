"""The public RASP page (``/p/<slug>/partner_statements/rasp``): what the group's Resident and
Service User Panel does, which partners sit on it and how a resident is nominated. It adds a route
to the plugin's existing public blueprint (``web.public_bp``), so it shares its public lifecycle:
an active organisation that enables the plugin, no sign-in, GET only, counts and no names.
"""

from __future__ import annotations

from flask import g, render_template

from core import plugin_kit
from plugins.partner_statements.services.public_rasp import public_rasp
from plugins.partner_statements.web import public_bp

# The view's title as the residents' site lists it, for translation (residents-site.md).
PAGE_TITLES = (plugin_kit.N_("Resident and Service User Panel (RASP)"),)


@public_bp.route("/rasp")
def rasp():
    """Resident and Service User Panel (RASP)."""
    return render_template("partner_statements/public_rasp.html", rasp=public_rasp(g.organisation))
