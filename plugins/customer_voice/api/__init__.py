"""The Customer Voice API (``/api/v1/orgs/<slug>/plugins/customer_voice/…``): one blueprint whose
routes are defined by resource in the modules imported below."""

from plugins.customer_voice.api import forums, projects, sessions, standards  # noqa: F401  (routes)
from plugins.customer_voice.api.blueprint import blp

__all__ = ["blp"]
