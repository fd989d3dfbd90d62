"""One record of every street_reps kind in ``org``, for the cross-organisation route matrix."""

from datetime import UTC, date, datetime

from core.models import ActionPlan, ActionPlanItem, Activity, Area, Body, Household, Participant
from core.testing import MATRIX_MARKER as SECRET
from plugins.street_reps.models import (
    AgmVote,
    ForumAllocation,
    ForumBudget,
    Grant,
    Inspection,
    Inspector,
    NeighbourhoodPlan,
    PanelMember,
    PanelWave,
    PatchHousehold,
    RepView,
    StreetRep,
    TrustMember,
    Walkabout,
    WalkaboutIssue,
)


def samples(db_session, org):
    def add(record):
        db_session.add(record)
        db_session.flush()
        return record

    area = add(Area(name=f"{SECRET} estate", kind="estate"))
    home = add(Household(reference=f"{SECRET}-SR1", area_id=area.id, tenure="general_needs"))
    person = add(
        Participant(first_name=SECRET, last_name="Rep", household_id=home.id, is_tenancy_holder=True)
    )
    group = add(Body(name=f"{SECRET} residents", kind="residents_association"))
    rep = add(
        StreetRep(participant_id=person.id, patch_name=f"{SECRET} patch", appointed_on=date(2025, 4, 1))
    )
    add(PatchHousehold(rep_id=rep.id, household_id=home.id, added_on=date(2025, 4, 1)))
    view = add(
        RepView(
            rep_id=rep.id,
            topic="community_safety",
            summary=SECRET,
            view=SECRET,
            submitted_on=date(2025, 5, 1),
        )
    )
    budget = add(ForumBudget(period="2025-26", amount_pence=10000, notes=SECRET))
    allocation = add(
        ForumAllocation(budget_id=budget.id, title=SECRET, amount_pence=100, allocated_on=date(2025, 6, 1))
    )
    member = add(PanelMember(participant_id=person.id, channel="post", joined_on=date(2025, 4, 1)))
    wave = add(
        PanelWave(
            title=SECRET, topic="housing_management", sent_on=date(2025, 6, 1), closes_on=date(2025, 6, 30)
        )
    )
    walkabout = add(
        Walkabout(
            area_id=area.id,
            title=SECRET,
            starts_at=datetime(2025, 6, 1, 10, tzinfo=UTC),
            meeting_point=SECRET,
            status="held",
            published=True,
            agreed_with_residents_on=date(2025, 5, 1),
            outcome_summary=SECRET,
            outcome_published_on=date(2025, 6, 10),
        )
    )
    plan = add(ActionPlan(title=f"{SECRET} NAP", period="2025-26"))
    nap = add(
        NeighbourhoodPlan(area_id=area.id, period="2025-26", plan_id=plan.id, local_priorities=[SECRET])
    )
    item = add(ActionPlanItem(plan_id=plan.id, title=SECRET, due_on=date(2025, 7, 1)))
    issue = add(
        WalkaboutIssue(
            walkabout_id=walkabout.id,
            location=SECRET,
            category="graffiti",
            description=SECRET,
            action_item_id=item.id,
        )
    )
    grant = add(
        Grant(
            body_id=group.id,
            grant_type="annual",
            purpose=SECRET,
            requested_pence=100,
            applied_on=date(2025, 5, 1),
        )
    )
    inspector = add(Inspector(participant_id=person.id, joined_on=date(2025, 4, 1)))
    inspection = add(
        Inspection(
            service=SECRET, inspected_on=date(2025, 7, 1), inspector_ids=[inspector.id], findings=SECRET
        )
    )
    trust_member = add(TrustMember(participant_id=person.id, joined_on=date(2025, 4, 1)))
    agm = add(Activity(title=f"{SECRET} AGM", kind="meeting", starts_at=datetime(2025, 9, 1, 18, tzinfo=UTC)))
    vote = add(AgmVote(activity_id=agm.id, candidate=SECRET, votes_for=0, votes_against=0, appointed=False))
    return {
        "sr_rep_id": rep.id,
        "sr_view_id": view.id,
        "sr_budget_id": budget.id,
        "sr_allocation_id": allocation.id,
        "sr_member_id": member.id,
        "sr_wave_id": wave.id,
        "sr_walkabout_id": walkabout.id,
        "sr_issue_id": issue.id,
        "sr_plan_id": nap.id,
        "sr_grant_id": grant.id,
        "sr_inspector_id": inspector.id,
        "sr_inspection_id": inspection.id,
        "sr_trust_member_id": trust_member.id,
        "sr_vote_id": vote.id,
    }
