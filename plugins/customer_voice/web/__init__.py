"""Officer's pages (``/o/<slug>/plugins/customer_voice/…``): the weekly overview; forums, their
members and challenges (raise, respond, close with outcome); listening feedback (enter, correct,
import CSV, delete); each forum's voice pack and ending a seat; Information & Knowledge events
and their yearly schedule; CHAIN projects; Ustoo's scrutiny reviews with their evidence requests
and recommendations to Board; volunteering sessions and Rate Your Estate visits; and the
six-monthly standards reports from draft to presented. Every form is loaded through the API's
schema and saved by the plugin's services. The section's pages are drawn as the sub navigation
under the organisation's one navigation."""

from __future__ import annotations

from flask import Blueprint, g, request, url_for
from flask_login import current_user

web_bp = Blueprint("plugin_customer_voice_web", __name__, template_folder="../templates")

SECTIONS = (
    ("Forums and challenges", "overview", ()),
    ("Listening feedback", "feedback", ("feedback",)),
    ("Information & Knowledge", "information_events", ("information",)),
    ("CHAIN projects", "projects_list", ("project",)),
    ("Ustoo reviews", "reviews", ("review",)),
    ("Volunteering", "volunteering", ("volunteering",)),
    ("Standards reports", "standards_reports", ("standards",)),
)


@web_bp.context_processor
def _section_pages() -> dict:
    """The plugin's pages as the sub navigation, the current one marked by its view's name."""
    if g.get("organisation") is None or not current_user.is_authenticated:
        return {}
    view = (request.endpoint or "").rsplit(".", 1)[-1]
    current = next(
        (e for _, e, prefixes in SECTIONS if any(view.startswith(p) for p in prefixes)), "overview"
    )
    return {
        "section_navigation": [
            {"text": text, "href": url_for(f"{web_bp.name}.{endpoint}"), "current": endpoint == current}
            for text, endpoint, _ in SECTIONS
        ]
    }


from plugins.customer_voice.web import (  # noqa: E402,F401
    feedback,
    forums,
    information,
    overview,
    projects,
    reviews,
    standards,
    volunteering,
)
