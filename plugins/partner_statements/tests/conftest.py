"""Fixtures: a group running the plugin with two partners, and API clients for their staff."""

import pytest

PLUGIN = "partner_statements"


@pytest.fixture
def group(make_org):
    return make_org("anglia-group", name="Anglia Group", kind="group", plugins={PLUGIN: {}})


@pytest.fixture
def partner(make_org, group):
    return make_org(
        "north-homes",
        name="North Homes",
        parent=group,
        plugins={PLUGIN: {"involvement_contact_role": "Tenant Participation Officer"}},
    )


@pytest.fixture
def other_partner(make_org, group):
    return make_org("south-homes", name="South Homes", parent=group, plugins={PLUGIN: {}})


@pytest.fixture
def partner_api(partner, make_user, api_client):
    return api_client(make_user(partner, "org_admin"))


@pytest.fixture
def group_api(group, make_user, api_client):
    return api_client(make_user(group, "staff"))


def url(org, path=""):
    return f"/api/v1/orgs/{org.slug}/plugins/{PLUGIN}/{path}".rstrip("/")


STATEMENT = {
    "title": "How you can get involved",
    "introduction": "Your views shape our services.",
    "encouraging_involvement": "Meetings, surveys and a residents' panel, with expenses paid.",
    "using_feedback": "Every consultation gets a you said, we did reply within three months.",
    "ways_to_get_involved": ["Surveys", "Board membership"],
}


def publish_statement(api, org, **changes):
    draft = api.post(url(org, "statements"), json={**STATEMENT, **changes})
    assert draft.status_code == 201, draft.get_json()
    statement_id = draft.get_json()["id"]
    assert api.post(url(org, f"statements/{statement_id}/approve")).status_code == 200
    published = api.post(url(org, f"statements/{statement_id}/publish"))
    assert published.status_code == 200, published.get_json()
    return published.get_json()
