"""One record of every kind the key_targets routes take by id, for the cross-organisation matrix."""

from datetime import date

from core.models import Household
from core.testing import MATRIX_MARKER as SECRET
from plugins.key_targets.models import (
    Conference,
    Deadline,
    Inspection,
    Phase,
    ProgressEntry,
    Scenario,
    Shop,
    Strand,
    Target,
)


def samples(db_session, org):
    strand = Strand(key="secret_strand", name=f"{SECRET} strand", outcome=SECRET)
    phase = Phase(title=f"{SECRET} phase", starts_on=date(2030, 4, 1), ends_on=date(2031, 3, 31))
    home = Household(reference=f"{SECRET}-void")
    scenario = Scenario(
        title=f"{SECRET} scenario", channel="phone", criteria=[{"key": "polite", "label": SECRET}]
    )
    conference = Conference(year=2030, title=f"{SECRET} conference", held_on=date(2030, 11, 1), notes=SECRET)
    db_session.add_all([strand, phase, home, scenario, conference])
    db_session.flush()
    target = Target(phase_id=phase.id, reference="S1", action=f"{SECRET} target", responsibility=[SECRET])
    inspection = Inspection(household_id=home.id, inspected_on=date(2030, 5, 1), notes=SECRET)
    shop = Shop(scenario_id=scenario.id, channel="phone", shopped_on=date(2030, 5, 2), notes=SECRET)
    db_session.add_all([target, inspection, shop])
    db_session.flush()
    deadline = Deadline(target_id=target.id, due_on=date(2030, 12, 1))
    db_session.add_all(
        [deadline, ProgressEntry(target_id=target.id, recorded_on=date(2030, 5, 1), note=SECRET)]
    )
    db_session.flush()
    return {
        "kt_strand_id": strand.id,
        "kt_phase_id": phase.id,
        "kt_target_id": target.id,
        "kt_deadline_id": deadline.id,
        "kt_inspection_id": inspection.id,
        "kt_scenario_id": scenario.id,
        "kt_shop_id": shop.id,
        "kt_conference_id": conference.id,
    }
