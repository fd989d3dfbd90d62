"""The plugin's pages. Officers' pages (``/o/<slug>/plugins/street_reps/…``, signed-in members):
the overview, Board PIs and standing rules (``overview``), representatives, their patches and the
views they put forward (``reps``), estate walkabouts from timetable to published outcome
(``walkabouts``), the Customer Forum's budget and meetings (``forum``), grants (``grants``), the
Customer Panel (``panel``), customer inspectors (``inspectors``), neighbourhood action plans'
local priorities (``plans``), Trust membership and the AGM (``trust``). Public pages
(``/p/<slug>/street_reps/…``, no sign-in): the walkabout timetable, its iCalendar feed and
published outcomes (``public``).

Every officers' page declares its permission with ``@permission`` (the API route's own), and its
forms are loaded through the API's schemas and saved by the plugin's services.
"""

from flask import Blueprint

web_bp = Blueprint("plugin_street_reps_web", __name__, template_folder="../templates")
public_bp = Blueprint("plugin_street_reps_public", __name__, template_folder="../templates")


@web_bp.context_processor
def _page_helpers():
    from core import plugin_kit
    from core.web import labels

    def uk_time(moment) -> str:
        """A stored moment as UK clock time: "Tuesday 3 March 2026, 18:30"."""
        if moment is None:
            return ""
        return plugin_kit.in_london(moment).strftime("%A %-d %B %Y, %H:%M")

    return {"labels": labels, "uk_time": uk_time}


from plugins.street_reps.web import (  # noqa: E402,F401
    forum,
    grants,
    inspectors,
    overview,
    panel,
    plans,
    public,
    reps,
    trust,
    walkabouts,
)
