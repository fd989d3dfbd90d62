"""Demo records for Halton's model, built on core's demo year (``flask --app wsgi demo``).

Idempotent: nothing is added if the organisation already has a street representative. Core's demo
households sit in an estate and a neighbourhood; here each gets its street (an area of kind
``street`` under its estate, named from its address), so coverage and uncovered streets mean
something. Deterministic: seeded by the organisation's slug; dates are relative to today.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from core import plugin_kit
from core.extensions import db
from core.models import Area, Body, Household, Participant
from core.periods import Period
from plugins.street_reps.models import StreetRep
from plugins.street_reps.services import forum, grants, panel, reps, walkabouts
from plugins.street_reps.services.inspectors import add_inspector, record_inspection
from plugins.street_reps.services.membership import register_member

STREET_NAMES = ("Ash Grove", "Beech Road", "Cedar Close")


def load_demo(organisation, settings) -> None:
    if db.session.scalar(select(StreetRep.id).limit(1)) is not None:
        return
    people = db.session.scalars(select(Participant).order_by(Participant.id)).all()
    if not people:
        return
    _Demo(organisation, settings, people).build()


class _Demo:
    def __init__(self, organisation, settings, people):
        self.org, self.settings, self.people = organisation, settings, people
        self.rng = random.Random(organisation.slug)
        self.today = plugin_kit.today()
        self.year = Period.financial_year_of(self.today)

    def add(self, record):
        db.session.add(record)
        db.session.flush()
        return record

    def build(self) -> None:
        estates = self.streets()
        self.representatives()
        self.customer_forum(estates)
        self.walkabouts(estates)
        self.grants()
        self.panel()
        self.inspectors()
        self.members()
        self.board()

    def streets(self) -> list[Area]:
        estates = db.session.scalars(
            select(Area).where(Area.kind.in_(("estate", "neighbourhood"))).order_by(Area.id)
        ).all()
        by_name: dict[tuple[int, str], Area] = {}
        for household in db.session.scalars(select(Household).where(Household.area_id.is_not(None))):
            line = (household.address_lines or [""])[0]
            street = line.split(" ", 1)[1] if " " in line else line
            key = (household.area_id, street)
            if key not in by_name:
                by_name[key] = self.add(Area(name=street, kind="street", parent_id=household.area_id))
            household.area_id = by_name[key].id
        db.session.flush()
        return list(estates)

    def holders(self) -> list[Participant]:
        from plugins.street_reps.services.common import tenancy_holder

        return db.session.scalars(
            select(Participant)
            .where(tenancy_holder(self.settings["tenancy_tenures"]))
            .order_by(Participant.id)
        ).all()

    def representatives(self) -> None:
        streets = db.session.scalars(
            select(Area).where(Area.kind == "street").order_by(Area.name, Area.id)
        ).all()
        holders = self.holders()
        for n, street in enumerate(streets[:4]):
            homes = db.session.scalars(select(Household.id).where(Household.area_id == street.id)).all()
            rep = reps.appoint(
                {
                    "participant_id": holders[(6 + n) % len(holders)].id,
                    "patch_name": street.name,
                    "appointed_on": self.today - timedelta(days=300 - 40 * n),
                    "household_ids": [],
                },
                self.settings,
            )
            reps.add_households(rep, homes, self.settings)
            reps.submit_view(
                rep,
                {
                    "topic": [
                        "community_safety",
                        "environmental_works",
                        "rent_and_service_charges",
                        "housing_management",
                    ][n],
                    "summary": [
                        "Lighting on the cut-through",
                        "Bin store needs a roof",
                        "Service charge letters",
                        "Repairs follow-up",
                    ][n],
                    "view": "Neighbours raised this at the door; most want it looked at before winter.",
                    "submitted_on": self.today - timedelta(days=60 - 10 * n),
                },
                self.settings,
            )

    def customer_forum(self, estates) -> None:
        body = self.add(Body(name="Customer Forum", kind="forum", seats_total=18, area_id=None))
        budget = forum.create_budget(
            {"period": self.year.label, "amount_pence": 1_500_000, "body_id": body.id}
        )
        projects = [
            ("Alley gating behind the shops", 420_000),
            ("Planters and benches on the green", 185_000),
            ("Dog-fouling bins", 64_000),
        ]
        for n, (title, amount) in enumerate(projects):
            day = max(self.year.start, self.today - timedelta(days=20 + 45 * n))
            forum.allocate(
                budget.id,
                {
                    "title": title,
                    "amount_pence": amount,
                    "allocated_on": day,
                    "area_id": estates[n % len(estates)].id if estates else None,
                },
                self.settings,
            )

    def walkabouts(self, estates) -> None:
        if not estates:
            return
        agencies = ["Cheshire Police", "Halton Borough Council street scene", "Fire and rescue"]
        categories = [
            "litter_and_fly_tipping",
            "lighting",
            "graffiti",
            "paths_and_roads",
            "grounds_maintenance",
        ]
        for k in range(8):
            starts = datetime.combine(self.today + timedelta(days=-150 + 30 * k), time(10, 0), tzinfo=UTC)
            held = starts.date() < self.today
            estate = estates[k % len(estates)]
            walkabout = walkabouts.save_walkabout(
                walkabouts.Walkabout(),
                {
                    "area_id": estate.id,
                    "title": f"{estate.name} estate walkabout",
                    "starts_at": starts,
                    "meeting_point": "Outside the community centre",
                    "agencies": agencies[: 1 + k % 3],
                    "published": True,
                    "agreed_with_residents_on": starts.date() - timedelta(days=60),
                    "status": "held" if held else "planned",
                },
            )
            if not held:
                continue
            for i in range(2):
                issue = walkabouts.add_issue(
                    walkabout,
                    {
                        "location": f"{10 + 4 * i + k} {self.rng.choice(STREET_NAMES)}",
                        "category": categories[(k + i) % len(categories)],
                        "description": "Reported by residents on the walk.",
                    },
                )
                due = starts.date() + timedelta(days=21)
                walkabouts.create_action(
                    walkabout, issue, {"title": "Put it right", "owner": "Area Housing Team", "due_on": due}
                )
                if due < self.today and (k + i) % 3:
                    walkabouts.update_action(
                        issue,
                        {
                            "status": "done",
                            "completed_on": due - timedelta(days=2),
                            "progress": "Completed by the contractor.",
                        },
                    )
            walkabouts.save_walkabout(
                walkabout,
                {
                    "outcome_summary": "Two problems found; actions agreed with the agencies.",
                    "outcome_published_on": starts.date() + timedelta(days=7),
                },
            )

    def grants(self) -> None:
        names = ["Castlefields Residents' Association", "Windmill Hill Tenants' Group"]
        for n, name in enumerate(names):
            group = self.add(Body(name=name, kind="residents_association"))
            applied = self.today - timedelta(days=400 - 120 * n)
            grant = grants.apply_for(
                {
                    "body_id": group.id,
                    "grant_type": "start_up",
                    "purpose": "Start-up costs",
                    "requested_pence": 25_000,
                    "applied_on": applied,
                },
                self.settings,
            )
            grants.decide(
                grant,
                {
                    "decision": "award",
                    "assessment": "Constitution and bank account in place.",
                    "awarded_pence": 25_000,
                    "decided_on": applied + timedelta(days=14),
                },
                self.settings,
            )
            grants.pay(grant, applied + timedelta(days=21))
        db.session.flush()

    def panel(self) -> None:
        for n, person in enumerate(self.people[12:24]):
            panel.add_member(
                {
                    "participant_id": person.id,
                    "channel": "post" if n % 2 else "phone",
                    "joined_on": self.today - timedelta(days=330),
                },
                self.settings,
            )
        for k in range(2):
            sent = self.today - timedelta(days=200 - 90 * k)
            wave = panel.send_wave(
                {
                    "title": ["Repairs service", "Neighbourhood services"][k],
                    "topic": "housing_management",
                    "sent_on": sent,
                    "closes_on": sent + timedelta(days=28),
                }
            )
            members = db.session.scalars(select(panel.PanelMember.id).order_by(panel.PanelMember.id)).all()
            for member_id in members[: 7 + k]:
                panel.record_response(wave, member_id, {"responded_on": sent + timedelta(days=10)})

    def inspectors(self) -> None:
        from plugins.street_reps.models import InspectorTraining

        pool = [
            add_inspector({"participant_id": p.id, "joined_on": self.today - timedelta(days=250)})
            for p in self.people[2:5]
        ]
        for inspector in pool:
            self.add(
                InspectorTraining(
                    inspector_id=inspector.id,
                    course="Reality checking services",
                    completed_on=self.today - timedelta(days=240),
                    provider="Regional partnership",
                )
            )
        record_inspection(
            {
                "service": "Empty homes (voids) standard",
                "inspected_on": self.today - timedelta(days=90),
                "inspector_ids": [i.id for i in pool],
                "findings": "Two of five homes had no smoke alarm test record.",
                "suggested_improvements": "Add the alarm test to the lettable standard checklist.",
            },
            self.settings,
        )

    def members(self) -> None:
        for person in self.holders()[:8]:
            register_member(
                {"participant_id": person.id, "joined_on": self.today - timedelta(days=200)}, self.settings
            )

    def board(self) -> None:
        """Seat the Board as Halton's policy has it, then let a Right to Buy break the rule.

        Core's demo Board is generic: its resident seats may be held by people who hold no tenancy
        (a leaseholder, a lodger). Here those members' terms end, tenancy holders fill the four
        reserved seats and the Council's nominees and independent members fill most of the rest.
        Then one tenant Board member buys their home: the tenure change goes through core, the
        recheck finds the resident seat no longer held by a tenancy holder, officers are notified
        and the compliance page and Board PIs say so, as they would in real life.
        """
        from core.models import BodyMembership
        from core.services.people import save_household
        from plugins.street_reps.services.board import reserved_seats
        from plugins.street_reps.services.compliance import board_check

        board = db.session.scalar(select(Body).where(Body.kind == "board").order_by(Body.id))
        if board is None or not board.seats_total:
            return
        check = board_check(board, self.settings, self.today)
        ended = self.today - timedelta(days=120)
        for person in check["people"]:
            if person["seat_type"] == "resident" and not person["tenancy_holder"]:
                membership = db.session.get(BodyMembership, person["membership_id"])
                membership.ends_on = max(ended, membership.starts_on)
        db.session.flush()
        seated = {
            m.participant_id
            for m in db.session.scalars(
                select(BodyMembership).where(
                    BodyMembership.body_id == board.id, BodyMembership.ends_on.is_(None)
                )
            )
        }
        holders = [p for p in self.holders() if p.id not in seated]
        needed = (
            reserved_seats(board, self.settings)
            - board_check(board, self.settings, self.today)["tenancy_holders"]
        )
        starts = ended + timedelta(days=1)
        newcomers = []
        for person in holders[: max(0, needed)]:
            newcomers.append(
                self.add(
                    BodyMembership(
                        body_id=board.id, participant_id=person.id, seat_type="resident", starts_on=starts
                    )
                )
            )
        for name, seat_type in (
            ("Cllr Pat Wainwright (Halton Borough Council)", "councillor"),
            ("Cllr Sam Nolan (Halton Borough Council)", "councillor"),
            ("Dr Anita Rowe", "independent"),
            ("Gareth Lloyd FCA", "independent"),
        ):
            self.add(
                BodyMembership(body_id=board.id, external_name=name, seat_type=seat_type, starts_on=starts)
            )
        # The Right to Buy: the newest tenant member's home becomes leasehold.
        buyer = newcomers[-1] if newcomers else None
        if buyer is not None:
            person = db.session.get(Participant, buyer.participant_id)
            if person.household_id is not None:
                save_household(db.session.get(Household, person.household_id), {"tenure": "leasehold"})
