"""The residents' site: each landlord's public pages at ``/p/<slug>/…``, without signing in.

``public`` is a core blueprint under the same public lifecycle as plugins' public pages
(``core.api.context._enter_public``): the organisation named by the slug must be active (else 404),
nobody is signed in, ids in the URL must belong to that organisation (else 404), and the views show
only what is published (open consultations, published feedback, public events, published reports).
Unlike plugins' public pages it also takes residents' forms (a consultation response, an expression
of interest), each guarded by ``core.public.guard``. Its pages extend ``public/layout.html``, which
any public page (a plugin's too) can extend: the context processor below gives it the landlord's
branding and navigation whenever the request is a public page. Path segments under ``/p/<slug>/``
used here are reserved: no plugin may be called by one of ``RESERVED_NAMES``.
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, g, url_for

public = Blueprint("public", __name__)

RESERVED_NAMES = frozenset(
    {
        "consultations",
        "you-said-we-did",
        "events",
        "events.ics",
        "get-involved",
        "reports",
        "how-we-are-doing",
        "account",
    }
)


def navigation() -> list[dict]:
    """The public site's main navigation: core pages, then every enabled plugin's public pages."""
    organisation = g.organisation
    from flask import request
    from flask_babel import gettext

    from core.public.labels import N_

    items = [
        ("public.home", N_("Home")),
        ("public.consultations", N_("Have your say")),
        ("public.feedback", N_("You said, we did")),
        ("public.events", N_("Events")),
        ("public.get_involved", N_("Get involved")),
        ("public.reports", N_("Reports")),
    ]

    links = [
        {
            "href": url_for(endpoint, slug=organisation.slug),
            "text": gettext(label),
            "current": request.endpoint == endpoint,
        }
        for endpoint, label in items
    ]
    return links


def plugin_pages(organisation) -> list[dict]:
    """(title, url) of each enabled plugin's public pages: every GET route without parameters."""
    from flask_babel import gettext

    state = current_app.extensions["involve"]
    pages = []
    for blueprint_name, plugin_name in state.public_blueprints.items():
        if plugin_name is None or not state.plugins.is_enabled(organisation.id, plugin_name):
            continue
        if blueprint_name in state.resident_blueprints:
            continue  # a signed-in resident's pages, linked from the account page instead
        info = state.plugins.get(plugin_name)
        for rule in current_app.url_map.iter_rules():
            if rule.endpoint.split(".")[0] != blueprint_name or "GET" not in rule.methods:
                continue
            if set(rule.arguments) - {"slug"} or rule.rule.endswith(".ics"):
                continue
            view = current_app.view_functions[rule.endpoint]
            title = (view.__doc__ or "").strip().splitlines()[0].rstrip(".") if view.__doc__ else info.title
            # Translated when the plugin marks its titles (``plugin_kit.N_``; see residents-site.md).
            title = gettext(title)
            pages.append(
                {"plugin": info.title, "title": title, "href": url_for(rule.endpoint, slug=organisation.slug)}
            )
    return sorted(pages, key=lambda page: (page["plugin"], page["title"]))


def install_public(app: Flask) -> None:
    """Register the blueprint under the public lifecycle, Flask-Babel and the layout's context."""
    from core.public import account, consultations, involvement, pages, reports  # noqa: F401  (routes)
    from core.public.reading import install_reading

    app.register_blueprint(public, url_prefix="/p/<slug>")
    app.extensions["involve"].public_blueprints[public.name] = None
    install_reading(app)
    account.install_resident_pages(app)
    from core.public.labels import error_message, label, resident_date

    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["error_message"] = error_message
    app.jinja_env.filters["resident_date"] = resident_date

    @app.context_processor
    def _public_site():
        if not g.get("public_page") or g.get("organisation") is None:
            return {}
        from core.public.reading import reading_context
        from core.services.branding import branding_of

        return {
            "public_organisation": g.organisation,
            "branding": branding_of(g.organisation),
            "public_navigation": navigation(),
            **reading_context(),
        }
