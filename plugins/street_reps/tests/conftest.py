"""Fixtures for the street_reps tests: a Halton-like organisation with areas, households, people."""

from datetime import date

import pytest

from core.tenancy import organisation_scope

HALTON = {"max_tenancy_holders_per_rep": 30}


def url(org, path: str) -> str:
    return f"/api/v1/orgs/{org.slug}/plugins/street_reps/{path}"


@pytest.fixture
def org(make_org):
    return make_org("halton-test", name="Halton Test Trust", plugins={"street_reps": dict(HALTON)})


@pytest.fixture
def api(org, make_user, api_client):
    return api_client(make_user(org, "staff"))


@pytest.fixture
def estate(org, db_session):
    """An estate with two streets: 40 general-needs households on Ash Grove, 5 on Birch Road of which
    2 are leasehold; 6 participants (the first four tenancy holders, one leaseholder, one not)."""
    from core.models import Area, Household, Participant

    with organisation_scope(org.id):
        area = Area(name="Castlefields", kind="estate")
        db_session.add(area)
        db_session.flush()
        ash = Area(name="Ash Grove", kind="street", parent_id=area.id)
        birch = Area(name="Birch Road", kind="street", parent_id=area.id)
        db_session.add_all([ash, birch])
        db_session.flush()
        homes = []
        for n in range(40):
            homes.append(
                Household(
                    reference=f"ASH{n:03d}",
                    address_lines=[f"{n + 1} Ash Grove"],
                    area_id=ash.id,
                    tenure="general_needs",
                )
            )
        for n in range(5):
            homes.append(
                Household(
                    reference=f"BIR{n:03d}",
                    address_lines=[f"{n + 1} Birch Road"],
                    area_id=birch.id,
                    tenure="leasehold" if n < 2 else "general_needs",
                )
            )
        db_session.add_all(homes)
        db_session.flush()
        people = [
            Participant(
                first_name=f"Tenant{n}", last_name="Holder", household_id=homes[n].id, is_tenancy_holder=True
            )
            for n in range(4)
        ]
        people.append(
            Participant(
                first_name="Lease", last_name="Holder", household_id=homes[40].id, is_tenancy_holder=True
            )
        )
        people.append(
            Participant(
                first_name="Lodger", last_name="Person", household_id=homes[5].id, is_tenancy_holder=False
            )
        )
        db_session.add_all(people)
        db_session.flush()
        result = {
            "estate": area.id,
            "ash": ash.id,
            "birch": birch.id,
            "ash_homes": [h.id for h in homes[:40]],
            "birch_homes": [h.id for h in homes[40:]],
            "tenants": [p.id for p in people[:4]],
            "leaseholder": people[4].id,
            "lodger": people[5].id,
        }
    db_session.commit()
    return result


def appoint(api, org, participant_id, household_ids=(), **fields):
    return api.post(
        url(org, "reps"),
        json={
            "participant_id": participant_id,
            "patch_name": fields.pop("patch_name", "Ash Grove"),
            "appointed_on": fields.pop("appointed_on", date.today().isoformat()),
            "household_ids": list(household_ids),
            **fields,
        },
    )
