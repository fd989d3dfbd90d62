"""The plugin's JSON API, mounted by core at ``/api/v1/orgs/<slug>/plugins/street_reps/…``.

One flask-smorest blueprint; each module adds the routes of one part of Halton's model. Views
stay thin: load in scope (ids in URLs resolve through ``url_model``, so another organisation's id
is 404 before any body is read), check the permission, validate, call the service.
"""

from core.api.blueprint import ApiBlueprint as Blueprint

blp = Blueprint(
    "plugin_street_reps",
    __name__,
    description="Halton: street reps, Board seats, Forum budget, panel, walkabouts, grants",
)

from plugins.street_reps.api import forum, grants, people, reps, walkabouts  # noqa: E402,F401
