"""Customer Voice's public pages (``/p/<slug>/customer_voice/…``): the Community Engagement Forums
(where and when they meet, how to join) and the Information & Knowledge events open to every
customer. A ``plugin_customer_voice_public`` blueprint, so it runs in the public lifecycle: an
active organisation that enables the plugin, no sign-in, GET only; the queries
(``services.public_pages``) read only public activities and count members without naming them.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from core import plugin_kit
from plugins.customer_voice.services.public_pages import information_events, public_forums

public_bp = Blueprint("plugin_customer_voice_public", __name__, template_folder="templates")

# The views' titles as the residents' site lists them, for translation (residents-site.md).
PAGE_TITLES = (plugin_kit.N_("Community Engagement Forums"), plugin_kit.N_("Information & Knowledge events"))


@public_bp.route("/forums")
def forums():
    """Community Engagement Forums."""
    return render_template("customer_voice/public_forums.html", forums=public_forums(plugin_kit.now()))


@public_bp.route("/information-events")
def information():
    """Information & Knowledge events."""
    return render_template(
        "customer_voice/public_information_events.html", events=information_events(plugin_kit.now())
    )
