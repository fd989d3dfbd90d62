"""Fixtures: an organisation with two management areas, estates, homes and residents, and the plugin on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from core.models import Area, Household, Participant
from core.tenancy import organisation_scope

GENTOO = {
    "management_area_count": 3,
    "listening_channels": ["survey", "complaint", "compliment", "satisfaction_data", "social_media"],
    "information_event_interval_months": 2,
    "scrutiny_group_name": "Ustoo",
    "rate_your_estate_criteria": ["cleanliness", "grounds"],
    "last_approach_review": "2018-09",
}
BASE = "/api/v1/orgs/{slug}/plugins/customer_voice"


@dataclass
class World:
    org: object
    admin: object
    api: object
    base: str
    north: int
    south: int
    estate: int
    resident_north: int
    resident_south: int
    no_home: int


def enable(org, settings):
    from flask import current_app

    from core.services.plugin_state import set_plugin_state

    with organisation_scope(org.id):
        set_plugin_state(
            current_app.extensions["involve"].plugins, org, "customer_voice", enabled=True, settings=settings
        )


@pytest.fixture
def world(make_org, make_user, api_client, db_session):
    return build_world(make_org, make_user, api_client, db_session, "cv-gentoo")


def build_world(make_org, make_user, api_client, db_session, slug, settings=None):
    org = make_org(slug)
    with organisation_scope(org.id):
        north = Area(name="North", kind="management_area")
        south = Area(name="South", kind="management_area")
        db_session.add_all([north, south])
        db_session.flush()
        estate = Area(name="Pennywell", kind="estate", parent_id=north.id)
        db_session.add(estate)
        db_session.flush()
        home_n = Household(reference="N1", area_id=estate.id)
        home_s = Household(reference="S1", area_id=south.id)
        db_session.add_all([home_n, home_s])
        db_session.flush()
        people = [
            Participant(first_name="Nora", last_name="North", household_id=home_n.id),
            Participant(first_name="Sam", last_name="South", household_id=home_s.id),
            Participant(first_name="Hal", last_name="Homeless"),
        ]
        db_session.add_all(people)
        db_session.flush()
        ids = [p.id for p in people]
        north_id, south_id, estate_id = north.id, south.id, estate.id
    enable(org, GENTOO if settings is None else settings)
    db_session.commit()
    admin = make_user(org, "org_admin")
    return World(
        org=org,
        admin=admin,
        api=api_client(admin),
        base=BASE.format(slug=slug),
        north=north_id,
        south=south_id,
        estate=estate_id,
        resident_north=ids[0],
        resident_south=ids[1],
        no_home=ids[2],
    )


def forum_for(world, area_id):
    forums = world.api.get(f"{world.base}/forums").get_json()["items"]
    return next(f for f in forums if f["area_id"] == area_id)


TODAY = date.today()
