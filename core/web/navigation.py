"""One navigation for every staff page of an organisation, core and plugin alike.

Core's sections are listed here; each plugin adds its own through the ``tpl_org_navigation`` hook
(``(label, url)`` pairs). A section is shown when one of its pages exists and the user may see it
(its permission); the section of the page being shown is marked current, and its pages become the
sub navigation drawn under the page heading (MOJ sub navigation).

A context processor puts ``organisation``, ``org_navigation``, ``section_navigation`` and the
``can(action)`` helper into every template rendered for a signed-in organisation page, so plugin
pages never lose the navigation and need not pass it themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, g, request, url_for
from flask_login import current_user

from core.permissions import can


@dataclass(frozen=True)
class Page:
    endpoint: str
    label: str
    permission: str = "organisation.read"
    # Endpoints (or endpoint prefixes ending in "*") that belong to this page: its detail,
    # create and edit pages.
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    label: str
    pages: tuple[Page, ...]
    landlord_only: bool = False
    group_only: bool = False


SECTIONS: tuple[Section, ...] = (
    Section("Today", (Page("org_web.org_home", "Today"),)),
    Section(
        "People",
        (
            Page("org_web.participants", "Residents", "people.read", ("org_web.participant*",)),
            Page("org_web.households", "Households", "people.read", ("org_web.household*",)),
            Page("org_web.areas", "Areas", "records.read", ("org_web.area*",)),
            Page(
                "org_web.involvement_requests",
                "Requests to get involved",
                "people.write",
                (
                    "org_web.involvement_request",
                    "org_web.confirm_request",
                    "org_web.merge_request",
                    "org_web.decline_request",
                ),
            ),
            Page("org_web.profile", "Customer profile", "profile.read"),
            Page("org_web.equality", "Equality summary", "monitoring.aggregate"),
        ),
        landlord_only=True,
    ),
    Section(
        "Activities",
        (
            Page("org_web.activities", "Activities", "records.read", ("org_web.activity*",)),
            Page("org_web.opportunities", "Opportunities", "records.read", ("org_web.opportunit*",)),
            Page("org_web.venues", "Venues", "records.read", ("org_web.venue*",)),
        ),
        landlord_only=True,
    ),
    Section(
        "Governance",
        (
            Page("org_web.bodies", "Bodies", "records.read", ("org_web.bod*",)),
            Page("org_web.recommendations", "Recommendations", "records.read", ("org_web.recommendation*",)),
        ),
        landlord_only=True,
    ),
    Section(
        "Consultations",
        (
            Page("org_web.consultations", "Consultations", "records.read", ("org_web.consultation*",)),
            Page("org_web.surveys", "Surveys", "records.read", ("org_web.survey*",)),
        ),
        landlord_only=True,
    ),
    Section(
        "Outcomes",
        (
            Page("org_web.improvements", "Improvements", "records.read", ("org_web.improvement*",)),
            Page("org_web.action_plans", "Action plans", "records.read", ("org_web.action_plan*",)),
            Page("org_web.spend", "Spend", "records.read", ("org_web.spend*",)),
        ),
        landlord_only=True,
    ),
    Section(
        "Reports",
        (
            Page("org_web.assessments", "Impact assessments", "organisation.read", ("org_web.assessment*",)),
            Page("org_web.comparison", "Compare partners", "group.compare", ("org_web.partner*",)),
        ),
    ),
    Section(
        "Settings",
        (
            Page("org_web.staff_list", "Staff", "organisation.read", ("org_web.staff_*",)),
            Page("org_web.org_plugins", "Plugins", "plugins.manage"),
        ),
    ),
)


def _matches(endpoint: str, page: Page) -> bool:
    if endpoint == page.endpoint:
        return True
    for pattern in page.also:
        if pattern.endswith("*") and endpoint.startswith(pattern[:-1]) or endpoint == pattern:
            return True
    return False


def _allowed(page: Page, organisation) -> bool:
    if page.endpoint not in current_app.view_functions:
        return False
    try:
        return can(current_user, page.permission, organisation)
    except (KeyError, ValueError):  # a permission another part of the product has not registered yet
        return False


def _visible_pages(section: Section, organisation) -> list[Page]:
    if section.landlord_only and organisation.is_group:
        return []
    if section.group_only and not organisation.is_group:
        return []
    return [page for page in section.pages if _allowed(page, organisation)]


def org_navigation(organisation) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The organisation's navigation items and the current section's sub navigation."""
    endpoint = request.endpoint or ""
    items: list[dict[str, Any]] = []
    sub: list[dict[str, Any]] = []
    for section in SECTIONS:
        pages = _visible_pages(section, organisation)
        if not pages:
            continue
        current = any(_matches(endpoint, page) for page in pages)
        items.append({"href": url_for(pages[0].endpoint), "text": section.label, "current": current})
        if current and len(pages) > 1:
            sub = [
                {"href": url_for(p.endpoint), "text": p.label, "current": _matches(endpoint, p)}
                for p in pages
            ]
    registry = current_app.extensions["involve"].plugins
    for links in registry.hook_for(organisation.id, "tpl_org_navigation")(
        organisation=organisation, user=current_user
    ):
        for label, href in links or []:
            current = request.path == href or (href.rstrip("/") != "" and request.path.startswith(href))
            items.append({"href": href, "text": label, "current": current})
    # Settings last, after the plugins' sections.
    settings = [i for i in items if i["text"] == "Settings"]
    items = [i for i in items if i["text"] != "Settings"] + settings
    return items, sub


def install(app) -> None:
    @app.context_processor
    def _organisation_pages() -> dict[str, Any]:
        organisation = g.get("organisation")
        if organisation is None or g.get("public_page") or not current_user.is_authenticated:
            return {}
        items, sub = org_navigation(organisation)
        return {
            "organisation": organisation,
            "org_navigation": items,
            "section_navigation": sub,
            "can": lambda action: can(current_user, action, organisation),
        }
