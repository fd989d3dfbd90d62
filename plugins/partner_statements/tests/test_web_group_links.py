"""The group's oversight dashboard links through to what the group may read of each partner: the
published statement, the impact assessment (core's audited read), the figures compared (core's
comparison) and the action plan (read-only, audited); its CSV downloads for a signed-in officer.
Another group's partner, an unknown partner and a partner's own staff get 404."""

import re
from datetime import date

from core.models import ActionPlanItem, ImpactAssessment
from core.models.audit import CrossOrgRead
from core.tenancy import organisation_scope
from plugins.partner_statements.tests.conftest import publish_statement, url
from plugins.partner_statements.tests.test_web_statements import page_url

YEAR = "2025-26"


def _partner_year(db_session, partner, api):
    """A published statement, an impact assessment in draft, and a plan with one weakness answered."""
    publish_statement(api, partner)
    plan = api.post(url(partner, "action-plans"), json={"assessed_period": YEAR}).get_json()
    weakness = api.post(
        url(partner, f"action-plans/{plan['id']}/weaknesses"), json={"title": "Few young residents"}
    ).get_json()
    with organisation_scope(partner.id):
        db_session.add(ImpactAssessment(period=YEAR, title="IA", status="draft"))
        item = ActionPlanItem(plan_id=plan["action_plan_id"], title="Youth forum", due_on=date(2026, 9, 30))
        db_session.add(item)
        db_session.flush()
        item_id = item.id
    db_session.commit()
    linked = api.post(
        url(partner, f"action-plans/{plan['id']}/weaknesses/{weakness['id']}/actions"),
        json={"action_item_id": item_id, "outputs": "Four meetings a year"},
    )
    assert linked.status_code == 201, linked.get_json()
    return plan


def test_the_dashboard_links_to_each_partners_statement_assessment_figures_and_plan(
    client, group, partner, make_user, login_as, api_client, db_session
):
    _partner_year(db_session, partner, api_client(make_user(partner, "org_admin")))
    login_as(make_user(group, "staff"))
    board = client.get(page_url(group) + f"?period={YEAR}").get_data(as_text=True)
    links = set(re.findall(r'href="([^"]+)"', board))
    plan_link = (
        f"/o/{group.slug}/plugins/partner_statements/partners/{partner.slug}/action-plan?period={YEAR}"
    )
    wanted = {
        f"/p/{partner.slug}/partner_statements/",  # the published statement (residents' site)
        f"/o/{group.slug}/partners/{partner.slug}/impact-assessments/{YEAR}",
        f"/o/{group.slug}/comparison?period={YEAR}",
        plan_link,
        f"/o/{group.slug}/plugins/partner_statements/oversight.csv?period={YEAR}",
    }
    found = {link for link in links if any(link.endswith(w) for w in wanted)}
    assert {w for w in wanted if not any(link.endswith(w) for link in found)} == set()
    for link in sorted(links):
        if link.startswith(f"/o/{group.slug}/") and "logout" not in link:
            assert client.get(link).status_code == 200, link
    plan_page = client.get(plan_link).get_data(as_text=True)
    assert "North Homes" in plan_page and "Few young residents" in plan_page
    assert "Youth forum" in plan_page and "Four meetings a year" in plan_page and "Answered" in plan_page
    purposes = [r.purpose for r in db_session.query(CrossOrgRead).all()]
    assert f"action plan answering {YEAR} of partner {partner.slug} for group {group.slug}" in purposes
    csv = client.get(f"/o/{group.slug}/plugins/partner_statements/oversight.csv?period={YEAR}")
    assert (
        csv.status_code == 200 and csv.mimetype == "text/csv" and "North Homes" in csv.get_data(as_text=True)
    )


def test_a_partner_without_a_plan_shows_none_and_unknown_partners_are_not_found(
    client, group, partner, other_partner, make_org, make_user, login_as
):
    login_as(make_user(group, "staff"))
    page = client.get(page_url(group, f"partners/{other_partner.slug}/action-plan?period={YEAR}"))
    assert page.status_code == 200
    assert f"South Homes has not started an action plan answering {YEAR}." in page.get_data(as_text=True)
    stranger = make_org("elsewhere-homes", name="Elsewhere Homes", plugins={"partner_statements": {}})
    for slug in ("nobody-here", stranger.slug):
        assert client.get(page_url(group, f"partners/{slug}/action-plan")).status_code == 404, slug


def test_the_partner_plan_page_is_for_the_group_only(client, group, partner, make_user, login_as):
    login_as(make_user(partner, "org_admin"))
    assert client.get(page_url(partner, f"partners/{partner.slug}/action-plan")).status_code == 404
    login_as(make_user(group, "viewer"))
    assert client.get(page_url(group, f"partners/{partner.slug}/action-plan")).status_code == 403
