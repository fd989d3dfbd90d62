"""The demo: the five seed landlords from tenants_config/, a demo administrator, and a made-up
year of involvement records for every landlord (``core.demo_data``).

Idempotent: running it again re-syncs the configuration, keeps the same admin account and adds
no second set of records.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from core import plugin_kit
from core.auth import hash_password
from core.demo_data import load_demo_records
from core.extensions import db
from core.models import Membership, Organisation, User
from core.services.orgsync import sync


class DemoError(RuntimeError):
    pass


def load_demo(password: str | None = None) -> tuple[str, str]:
    settings = current_app.config["INVOLVE"]
    report = sync(Path(settings["TENANTS_CONFIG_DIR"]), current_app.extensions["involve"].plugins)
    if report.errors:
        raise DemoError("; ".join(report.errors))
    email = settings["DEMO_ADMIN_EMAIL"]
    password = password or secrets.token_urlsafe(12)
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name="Demo administrator")
        db.session.add(user)
    user.password_hash = hash_password(password)
    user.active = True
    db.session.flush()
    have = set(db.session.scalars(select(Membership.organisation_id).where(Membership.user_id == user.id)))
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.slug)).all()
    for organisation in organisations:
        if organisation.id not in have:
            db.session.add(Membership(user_id=user.id, organisation_id=organisation.id, role="org_admin"))
    for organisation in organisations:
        if not organisation.is_group:
            load_demo_records(organisation)
    for organisation in organisations:
        load_plugin_demo_data(organisation)
    for organisation in organisations:
        if organisation.is_group:
            demo_assessments(organisation.partners(), user.id)
    db.session.commit()
    return email, password


def load_plugin_demo_data(organisation) -> None:
    """Let each plugin the organisation enables add its own demo records (``load_demo_data``)."""
    from core.models import OrganisationPlugin
    from core.tenancy import organisation_scope

    plugins = current_app.extensions["involve"].plugins
    with organisation_scope(organisation.id):
        rows = db.session.scalars(
            select(OrganisationPlugin).where(OrganisationPlugin.enabled.is_(True))
        ).all()
        for row in sorted(rows, key=lambda r: r.plugin_name):
            info = plugins.get(row.plugin_name)
            if info is None:
                continue
            settings = info.load_settings(row.settings)
            plugins.call_plugin(
                row.plugin_name, "load_demo_data", organisation=organisation, settings=settings
            )
            db.session.flush()


def demo_assessments(partners, user_id: int) -> None:
    """Last year's impact assessment: most partners have published it, some are drafting it and
    one has not started, so the group comparison shows every status."""

    from core.periods import Period
    from core.services import impact_assessments
    from core.tenancy import organisation_scope

    last_year = Period.financial_year_of(plugin_kit.today()).previous()
    for index, partner in enumerate(sorted(partners, key=lambda p: p.slug)):
        with organisation_scope(partner.id):
            if impact_assessments.find(last_year) is not None or index % 5 == 4:
                continue
            impact_assessments.set_narrative(
                partner,
                last_year,
                "achieved",
                f"Residents of {partner.name} shaped the changes listed here through panels, "
                "consultations and scrutiny.",
                user_id,
            )
            if index % 5 != 3:
                impact_assessments.publish(partner, last_year, user_id)
