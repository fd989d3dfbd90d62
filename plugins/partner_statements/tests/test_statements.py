"""The Statement of Resident and Service User Involvement: versions, approval, publication, the public
page and leaflet, and the group's view of which partners have a current statement."""

from plugins.partner_statements.tests.conftest import STATEMENT, publish_statement, url


def test_draft_approve_publish_then_a_new_version_supersedes(partner, partner_api):
    first = publish_statement(partner_api, partner)
    assert first["version"] == 1 and first["status"] == "published" and first["published_at"]
    second = partner_api.post(
        url(partner, "statements"), json={"copy_current": True, "change_summary": "Adds panel"}
    )
    assert second.status_code == 201
    body = second.get_json()
    assert body["version"] == 2 and body["status"] == "draft"
    assert body["using_feedback"] == STATEMENT["using_feedback"]  # copied from the published text
    assert partner_api.get(url(partner, "statements/current")).get_json()["version"] == 1
    partner_api.patch(url(partner, f"statements/{body['id']}"), json={"introduction": "New words"})
    partner_api.post(url(partner, f"statements/{body['id']}/approve"))
    partner_api.post(url(partner, f"statements/{body['id']}/publish"))
    versions = {
        v["version"]: v["status"] for v in partner_api.get(url(partner, "statements")).get_json()["items"]
    }
    assert versions == {1: "superseded", 2: "published"}


def test_rule_published_statement_versions_are_immutable(partner, partner_api):
    published = publish_statement(partner_api, partner)
    edit = partner_api.patch(url(partner, f"statements/{published['id']}"), json={"title": "Changed"})
    assert edit.status_code == 409
    assert "only a draft can be changed" in edit.get_json()["error"]["message"]
    assert partner_api.delete(url(partner, f"statements/{published['id']}")).status_code == 409
    assert partner_api.get(url(partner, "statements/current")).get_json()["title"] == STATEMENT["title"]


def test_rule_statement_says_how_involvement_is_encouraged_and_feedback_used_before_approval(
    partner, partner_api
):
    draft = partner_api.post(
        url(partner, "statements"), json={"title": "Draft", "encouraging_involvement": "x"}
    )
    refused = partner_api.post(url(partner, f"statements/{draft.get_json()['id']}/approve"))
    assert refused.status_code == 409
    assert "how feedback from involvement is used" in refused.get_json()["error"]["message"]


def test_rule_only_one_statement_version_open_at_a_time(partner, partner_api):
    assert partner_api.post(url(partner, "statements"), json=STATEMENT).status_code == 201
    second = partner_api.post(url(partner, "statements"), json=STATEMENT)
    assert second.status_code == 409


def test_rule_only_an_approved_statement_is_published(partner, partner_api):
    draft = partner_api.post(url(partner, "statements"), json=STATEMENT).get_json()
    assert partner_api.post(url(partner, f"statements/{draft['id']}/publish")).status_code == 409


def test_staff_draft_but_only_admins_approve(partner, make_user, api_client):
    staff = api_client(make_user(partner, "staff"))
    draft = staff.post(url(partner, "statements"), json=STATEMENT)
    assert draft.status_code == 201
    assert staff.post(url(partner, f"statements/{draft.get_json()['id']}/approve")).status_code == 403
    viewer = api_client(make_user(partner, "viewer"))
    assert viewer.post(url(partner, "statements"), json=STATEMENT).status_code == 403


def test_statement_fields_are_validated(partner, partner_api):
    bad = partner_api.post(url(partner, "statements"), json={"title": "", "ways_to_get_involved": "x"})
    assert bad.status_code == 422
    assert {"title", "ways_to_get_involved"} <= set(bad.get_json()["error"]["fields"])


def test_public_page_and_leaflet_show_only_the_current_published_statement(client, partner, partner_api):
    assert client.get(f"/p/{partner.slug}/partner_statements/").status_code == 404
    publish_statement(partner_api, partner)
    partner_api.post(
        url(partner, "statements"), json={**STATEMENT, "introduction": "UNPUBLISHED DRAFT WORDS"}
    )
    page = client.get(f"/p/{partner.slug}/partner_statements/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert STATEMENT["using_feedback"] in html
    assert "UNPUBLISHED DRAFT WORDS" not in html
    assert "Tenant Participation Officer" in html  # the involvement contact (seed 10.3)
    leaflet = client.get(f"/p/{partner.slug}/partner_statements/leaflet")
    assert leaflet.status_code == 200
    assert "@media print" in leaflet.get_data(as_text=True)
    assert "Tenant Participation Officer" in leaflet.get_data(as_text=True)


def test_contact_endpoint_gives_the_job_title(partner, partner_api):
    contact = partner_api.get(url(partner, "contact")).get_json()
    assert contact == {
        "organisation": "North Homes",
        "job_title": "Tenant Participation Officer",
        "phone": None,
        "email": None,
    }


def test_group_sees_which_partners_have_a_current_statement(
    group, partner, other_partner, partner_api, group_api
):
    publish_statement(partner_api, partner)
    status = group_api.get(url(group, "group/statements"))
    assert status.status_code == 200
    body = status.get_json()
    assert body["with_current_statement"] == 1 and body["total"] == 2
    rows = {r["slug"]: r for r in body["partners"]}
    assert rows["north-homes"]["current_version"] == 1
    assert rows["south-homes"]["current_version"] is None
    # Statuses only: the statement text never reaches the group.
    assert STATEMENT["using_feedback"] not in status.get_data(as_text=True)


def test_group_routes_are_not_found_for_partner_staff_and_on_a_partner(group, partner, partner_api):
    assert partner_api.get(url(group, "group/statements")).status_code == 404
    assert partner_api.get(url(partner, "group/statements")).status_code == 404
    assert partner_api.get(url(partner, "group/oversight?period=2025-26")).status_code == 404


def test_group_views_need_group_compare(group, make_user, api_client):
    viewer = api_client(make_user(group, "viewer"))
    assert viewer.get(url(group, "group/statements")).status_code == 403
