"""The key-targets plan's public page (``/p/<slug>/key_targets/progress``): residents see the
targets the landlord set with them and how each is going. A ``plugin_key_targets_public``
blueprint, so it runs in the public lifecycle: an active organisation that enables the plugin, no
sign-in, GET only; the query (``services.public_progress``) reads only what is meant to be public.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from core import plugin_kit
from plugins.key_targets.services.public_progress import plan_progress

public_bp = Blueprint("plugin_key_targets_public", __name__, template_folder="templates")

# The view's title as the residents' site lists it, for translation (residents-site.md).
PAGE_TITLES = (plugin_kit.N_("Our key targets and how they are going"),)


@public_bp.route("/progress")
def progress():
    """Our key targets and how they are going."""
    return render_template(
        "key_targets/public_progress.html", phases=plan_progress(), today=plugin_kit.today()
    )
