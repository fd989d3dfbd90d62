"""Equality monitoring answers cannot be inferred from the aggregates (docs/special-category-data.md).

Each attack test performs the attack through the HTTP API as the attacker would, and asserts that
what the attacker sees does not depend on the person's answers: either it is identical whatever
the person answered (the attack runs in two organisations that differ only in that answer), or the
two readings the attacker means to subtract are identical. Then the rules behind them: who may
read, the audit of every read, null-with-a-reason representation figures and one small-number rule.
"""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from core.core_jobs import snapshot_kpis
from core.models import AuditEvent
from core.services.monitoring import MINIMUM_BASE
from core.tenancy import organisation_scope

YEAR, QUARTER = "2025-26", "2025-26-Q1"
IN_Q1 = "2025-05-01T18:00:00+01:00"
FIRST_DAY = date(2025, 7, 1)  # counts are taken in 2025-26: it is the current year


class World:
    """One organisation in which the attacked person gave ``target_answers``."""

    def __init__(self, org, make_user, api_client, target_answers):
        self.org = org
        self.base = f"/api/v1/orgs/{org.slug}"
        self.admin = api_client(make_user(org, "org_admin"))
        self.staff = api_client(make_user(org, "staff"))  # records answers, reads no aggregate
        self.analyst = api_client(make_user(org, "staff", equality_analyst=True))
        self.day = FIRST_DAY
        self.target = self.person(self.admin, "Target")
        self.answer(self.admin, self.target, **target_answers)

    def person(self, client, name):
        response = client.post(
            f"{self.base}/participants", json={"first_name": name, "last_name": "Resident"}
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    def answer(self, client, participant_id, **answers):
        response = client.put(f"{self.base}/participants/{participant_id}/equality", json=answers)
        assert response.status_code == 204, response.get_json()

    def activity(self, client, starts_at=IN_Q1):
        body = {"title": "Meeting", "kind": "meeting", "starts_at": starts_at, "status": "held"}
        response = client.post(f"{self.base}/activities", json=body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    def attend(self, client, activity_id, participant_id):
        response = client.post(
            f"{self.base}/activities/{activity_id}/participations", json={"participant_id": participant_id}
        )
        assert response.status_code == 201, response.get_json()

    def customers(self):
        body = {"as_of": "2025-04-01", "counts": {"25_34": 300, "45_54": 300, "75_plus": 400}}
        assert self.staff.put(f"{self.base}/customer-profile/age_band", json=body).status_code == 200

    def next_day(self):
        """The daily ``kpis.snapshot`` job: counts equality monitoring, then stores the KPIs."""
        self.day += timedelta(days=1)
        with organisation_scope(self.org.id):
            snapshot_kpis(self.org, today=self.day.isoformat())

    def kpi(self, client, period, stored=False):
        query = f"?period={period}" + ("&stored=true" if stored else "")
        response = client.get(f"{self.base}/kpis{query}")
        assert response.status_code == 200, response.get_json()
        row = next(row for row in response.get_json()["kpis"] if row["code"] == "profile_gap")
        row.pop("computed_at", None)  # when the job ran, not what it found
        return row

    def representation_tables(self, client, period=YEAR):
        response = client.get(f"{self.base}/impact-assessments/{period}")
        assert response.status_code == 200, response.get_json()
        tables = {}
        for section in response.get_json()["sections"]:
            for table in section["content"]["tables"]:
                if table["key"] in ("profile_by_age", "profile_gaps"):
                    tables[table["key"]] = {k: table[k] for k in ("rows", "summary")}
        return tables

    def summary(self, client, characteristic):
        response = client.get(f"{self.base}/equality/summary?characteristic={characteristic}")
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def everything_monitored(self, client):
        """Every monitoring figure ``client`` can read about the year and its first quarter."""
        return {
            "quarter": self.kpi(client, QUARTER),
            "year": self.kpi(client, YEAR),
            "stored": self.kpi(client, YEAR, stored=True),
            "report": self.representation_tables(client),
        }


@pytest.fixture
def worlds(make_org, make_user, api_client):
    """Two organisations identical but for the attacked person's answers."""

    def build(**answers_by_world):
        return [
            World(make_org(f"world-{name}"), make_user, api_client, answers)
            for name, answers in answers_by_world.items()
        ]

    return build


def test_decoy_activity_cannot_reveal_a_persons_monitoring_answers(worlds):
    """The reported attack: five decoys with chosen answers alone in an activity of an empty
    quarter, ``profile_gap`` read before and after adding the person, per characteristic."""
    seen = []
    for world in worlds(
        young={"age_band": "25_34", "sex": "female"}, old={"age_band": "75_plus", "sex": "male"}
    ):
        world.customers()
        meeting = world.activity(world.staff)
        for n in range(5):
            decoy = world.person(world.staff, f"Decoy{n}")
            world.answer(world.staff, decoy, age_band="45_54", sex="female")
            world.attend(world.staff, meeting, decoy)
        world.next_day()
        before = {
            "staff": world.everything_monitored(world.staff),
            "analyst": world.kpi(world.analyst, QUARTER),
        }
        world.attend(world.staff, meeting, world.target)
        world.next_day()
        after = {
            "staff": world.everything_monitored(world.staff),
            "analyst": world.kpi(world.analyst, QUARTER),
        }
        seen.append((before, after))
        # Not vacuous: the figure is there, null, and says why.
        assert after["staff"]["year"]["value"] is None and after["staff"]["year"]["reason"]
        assert after["analyst"]["value"] is None and "whole financial years" in after["analyst"]["reason"]
        assert after["staff"]["report"]["profile_by_age"]["rows"] == []
    assert seen[0] == seen[1]  # whatever the person answered, the attacker sees the same


def test_an_objection_cannot_be_seen_by_diffing_the_equality_summary(worlds):
    """The reported second route: read the summary, record the person's objection, read again.
    Even adding four people with no answers, to push the change over the threshold, shows nothing."""
    for world in worlds(christian={"religion": "christian"}, muslim={"religion": "muslim"}):
        for n in range(30):
            resident = world.person(world.admin, f"Resident{n}")
            world.answer(world.admin, resident, religion=("none", "christian", "muslim")[n % 3])
        world.next_day()
        before = world.summary(world.analyst, "religion")
        objection = world.staff.post(f"{world.base}/participants/{world.target}/equality/objection", json={})
        assert objection.status_code == 201
        world.next_day()
        assert world.summary(world.analyst, "religion") == before
        for n in range(4):
            world.person(world.staff, f"Padding{n}")
        world.next_day()
        assert world.summary(world.analyst, "religion") == before
        assert before["counts"]  # the summary is published, only the one person's change is not


def test_padding_the_involved_people_cannot_force_a_one_person_difference(worlds):
    """An analyst who may record involvement adds the person, and four new people with no answers,
    to an activity of the year, and compares the published figures before and after."""
    for world in worlds(young={"age_band": "25_34"}, old={"age_band": "75_plus"}):
        world.customers()
        meeting = world.activity(world.admin)
        for n in range(24):
            resident = world.person(world.admin, f"Resident{n}")
            world.answer(world.admin, resident, age_band=("25_34", "45_54", "75_plus")[n % 3])
            world.attend(world.admin, meeting, resident)
        world.next_day()
        before = (world.kpi(world.analyst, YEAR), world.representation_tables(world.analyst))
        assert before[0]["value"] is not None  # 24 recorded: the figure is published
        world.attend(world.analyst, meeting, world.target)
        for n in range(4):
            world.attend(world.analyst, meeting, world.person(world.analyst, f"Padding{n}"))
        world.next_day()
        assert (world.kpi(world.analyst, YEAR), world.representation_tables(world.analyst)) == before


def test_backdating_into_a_year_no_longer_counted_reveals_nothing(worlds):
    """Even a member of staff planting decoys for an analyst to read: a year that is neither the
    current nor the last one is never counted again, so a population made there never shows."""
    seen = []
    for world in worlds(young={"age_band": "25_34"}, old={"age_band": "75_plus"}):
        world.customers()
        long_ago = world.activity(world.staff, starts_at="2022-05-01T18:00:00+01:00")
        for n in range(MINIMUM_BASE):
            decoy = world.person(world.staff, f"Decoy{n}")
            world.answer(world.staff, decoy, age_band="45_54")
            world.attend(world.staff, long_ago, decoy)
        world.next_day()
        world.attend(world.staff, long_ago, world.target)
        world.next_day()
        read = world.kpi(world.analyst, "2022-23")
        seen.append(read)
        assert read["value"] is None and "Not counted" in read["reason"]
    assert seen[0] == seen[1]


# -- the rules behind them --------------------------------------------------------------------------
def test_monitoring_aggregates_need_the_equality_analyst_grant_not_a_role(worlds):
    (world,) = worlds(only={"age_band": "25_34"})
    world.customers()
    meeting = world.activity(world.admin, starts_at="2025-06-01T18:00:00+01:00")
    for n in range(MINIMUM_BASE):
        resident = world.person(world.admin, f"Resident{n}")
        world.answer(world.admin, resident, age_band="25_34" if n % 2 else "45_54")
        world.attend(world.admin, meeting, resident)
    world.next_day()
    shown = world.kpi(world.analyst, YEAR)
    assert shown["value"] is not None and shown["details"]["by_characteristic"]["age_band"] is not None
    for client in (world.admin, world.staff):
        for row in (world.kpi(client, YEAR), world.kpi(client, YEAR, stored=True)):
            assert (
                row["value"] is None
                and row["reason"] == "Only equality analysts can see equality monitoring figures."
            )
            assert not any(row["details"].get("by_characteristic", {}).values())
        response = client.get(f"{world.base}/equality/summary?characteristic=age_band")
        assert response.status_code == 403
    assert world.representation_tables(world.admin)["profile_by_age"]["rows"] == []
    assert world.representation_tables(world.analyst)["profile_by_age"]["rows"]


def test_every_read_of_monitoring_aggregates_is_audited(worlds, db_session, make_user):
    (world,) = worlds(only={"age_band": "25_34"})
    world.next_day()
    world.summary(world.analyst, "age_band")
    world.kpi(world.analyst, YEAR)
    world.kpi(world.analyst, YEAR, stored=True)
    with organisation_scope(world.org.id):
        reads = db_session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "read", AuditEvent.record_type == "equality_aggregates"
            )
        ).all()
    fields = [event.fields for event in reads]
    assert "register all age_band" in fields
    assert "involved 2025-26 age_band" in fields and "involved 2025-26 stored kpis" in fields
    assert all(event.actor_id is not None for event in reads)
    assert len({event.actor_id for event in reads}) == 1  # the analyst, nobody else


def test_profile_gap_is_null_with_a_reason_never_zero_when_too_few_people_are_recorded(worlds):
    (world,) = worlds(only={"age_band": "25_34"})
    world.customers()
    meeting = world.activity(world.admin, starts_at="2025-06-01T18:00:00+01:00")
    bands = ("18_24", "25_34", "35_44", "45_54", "55_64", "65_74", "75_plus")
    for n in range(MINIMUM_BASE - 1):
        resident = world.person(world.admin, f"Resident{n}")
        world.answer(world.admin, resident, age_band=bands[n % len(bands)])
        world.attend(world.admin, meeting, resident)
    world.next_day()
    row = world.kpi(world.analyst, YEAR)
    assert row["value"] is None
    assert row["reason"] == f"Fewer than {MINIMUM_BASE} involved people have this recorded."
    # Enough people, but every age band under 5: all would merge into "other" and read 0.0.
    for n in range(7):
        resident = world.person(world.admin, f"More{n}")
        world.answer(world.admin, resident, age_band=bands[n])
        world.attend(world.admin, meeting, resident)
    world.next_day()
    row = world.kpi(world.analyst, YEAR)
    assert row["value"] is None and row["value"] != 0
    assert row["reason"] == "No category has 5 or more involved people, so there is nothing to compare."
    tables = world.representation_tables(world.analyst)
    assert "No comparison by age band: no category has 5 or more" in tables["profile_by_age"]["summary"]
    age_row = next(r for r in tables["profile_gaps"]["rows"] if r[0] == "Age band")
    assert age_row[1] is None and age_row[2] == row["reason"]


def test_a_small_count_is_suppressed_alike_in_the_kpi_table_the_sections_and_the_documents(worlds):
    from core.reports.documents import to_csv

    (world,) = worlds(only={"age_band": "25_34"})
    board = world.admin.post(
        f"{world.base}/bodies", json={"name": "Board", "kind": "board", "decision_making": True}
    ).get_json()
    for n in range(4):
        member = world.person(world.admin, f"Member{n}")
        body = {"seat_type": "resident", "starts_on": "2025-04-01", "participant_id": member}
        assert (
            world.admin.post(f"{world.base}/bodies/{board['id']}/memberships", json=body).status_code == 201
        )
    document = world.admin.get(f"{world.base}/impact-assessments/{YEAR}").get_json()
    sections = {s["key"]: s["content"] for s in document["sections"]}
    by_body = next(t for t in sections["involved"]["tables"] if t["key"] == "involved_by_body")
    assert by_body["rows"] == [["Board", None]]
    kpi_table = sections["kpis"]["tables"][0]
    formal = next(r for r in kpi_table["rows"] if r[0] == "People in decision-making bodies")
    assert formal[1] is None  # was 4 in the KPI table while the body section hid it
    row = next(r for r in sections["kpis"]["kpis"] if r["code"] == "involved_formal")
    assert row["value"] is None and row["suppressed"] is True and row["met"] is None
    assert "People in decision-making bodies,,," in to_csv(document, "kpis")
