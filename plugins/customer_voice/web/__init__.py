"""Officer's pages (``/o/<slug>/plugins/customer_voice/…``): the weekly overview; forums, their
members and challenges (raise, respond, close with outcome); listening feedback (enter, correct,
import CSV); each forum's voice pack; and the six-monthly standards reports from draft to presented.
Every form is loaded through the API's schema and saved by the plugin's services."""

from __future__ import annotations

from flask import Blueprint

web_bp = Blueprint("plugin_customer_voice_web", __name__, template_folder="../templates")

from plugins.customer_voice.web import feedback, forums, overview, standards  # noqa: E402,F401
