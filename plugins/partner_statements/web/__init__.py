"""Web pages of partner statements: the officer's pages (``/o/<slug>/plugins/partner_statements/``)
and the residents' pages (``/p/<slug>/partner_statements/``: the current published statement and a
printable leaflet).

On a partner the staff pages draft, approve and publish statement versions, rate each Customer
First commitment with evidence, build the action plan that answers every weakness and nominate
residents to RASP with their consent. On a group the staff page is the oversight dashboard with its
CSV for the Group Policy Forum. Every form goes through the API's schemas and the plugin's services,
so a page refuses what the API refuses, in the same words.
"""

from flask import Blueprint

web_bp = Blueprint("plugin_partner_statements_web", __name__, template_folder="../templates")
public_bp = Blueprint("plugin_partner_statements_public", __name__, template_folder="../templates")

from plugins.partner_statements.web import (  # noqa: E402, F401  (routes on the blueprints)
    budget_pages,
    group_pages,
    overview,
    plan_pages,
    rasp_pages,
    standard_pages,
    statement_pages,
)
