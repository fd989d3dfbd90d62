"""Helpers shared by the plugin's API modules."""

from core.records import url_model
from plugins.street_reps import models
from plugins.street_reps.schemas.settings import current_settings  # noqa: F401  (re-exported)

url_model("sr_rep_id", models.StreetRep, "street representative")
url_model("sr_view_id", models.RepView, "representative's view")
url_model("sr_budget_id", models.ForumBudget, "Forum budget")
url_model("sr_allocation_id", models.ForumAllocation, "Forum allocation")
url_model("sr_member_id", models.PanelMember, "panel member")
url_model("sr_wave_id", models.PanelWave, "panel wave")
url_model("sr_walkabout_id", models.Walkabout, "walkabout")
url_model("sr_issue_id", models.WalkaboutIssue, "walkabout issue")
url_model("sr_plan_id", models.NeighbourhoodPlan, "neighbourhood action plan")
url_model("sr_grant_id", models.Grant, "grant")
url_model("sr_inspector_id", models.Inspector, "customer inspector")
url_model("sr_inspection_id", models.Inspection, "inspection")
url_model("sr_trust_member_id", models.TrustMember, "Trust member")
url_model("sr_vote_id", models.AgmVote, "AGM vote")
