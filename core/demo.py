"""The demo: the five seed landlords from tenants_config/ and a demo administrator.

Idempotent: running it again re-syncs the configuration and keeps the same admin account.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from core.auth import hash_password
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
    for organisation in db.session.scalars(select(Organisation)):
        if organisation.id not in have:
            db.session.add(Membership(user_id=user.id, organisation_id=organisation.id, role="org_admin"))
    db.session.commit()
    return email, password
