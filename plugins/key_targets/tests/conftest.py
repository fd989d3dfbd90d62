"""Fixtures for the key_targets tests: an organisation enabling the plugin with Gloucester-like
settings, a staff member's API client, and helpers for URLs and core records."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

TODAY = date.today()

SETTINGS = {
    "strand_growth_target_percent": 10,
    "plan_monitoring_start": "2005-10-01",
    "core_values": ["integrity", "pride", "quality"],
    "kloe_tags": ["KLOE 5"],
    "strategic_aims": [
        {"key": "customer_driven_services", "label": "Customer-led services"},
        {"key": "value_for_money", "label": "Value for money"},
    ],
    "due_soon_days": 30,
    "relet_standard_checklist": [
        {"key": "clean", "label": "Clean throughout"},
        {"key": "smoke_alarms", "label": "Smoke alarms working"},
        {"key": "repairs", "label": "No repairs outstanding"},
    ],
    "inspection_action_days": 14,
    "strands": [
        {"key": "board", "name": "Board", "outcome": "Tenant directors set policy."},
        {"key": "customer_forum", "name": "Customer Forum", "outcome": "Everything feeds into it."},
    ],
}


def day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


def at(when: date) -> str:
    return datetime.combine(when, time(18), tzinfo=UTC).isoformat()


@pytest.fixture
def org(make_org):
    return make_org("glos-homes", plugins={"key_targets": SETTINGS})


@pytest.fixture
def staff(org, make_user):
    return make_user(org, "staff")


@pytest.fixture
def api(staff, api_client):
    return api_client(staff)


@pytest.fixture
def url(org):
    def build(path: str = "", slug: str | None = None) -> str:
        return f"/api/v1/orgs/{slug or org.slug}/plugins/key_targets/{path}".rstrip("/")

    return build


@pytest.fixture
def core_url(org):
    def build(path: str) -> str:
        return f"/api/v1/orgs/{org.slug}/{path}"

    return build


def created(response):
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.fixture
def phase(api, url):
    return created(
        api.post(url("phases"), json={"title": "Year 1", "starts_on": "2006-04-01", "ends_on": "2007-03-31"})
    )


@pytest.fixture
def make_target(api, url, phase):
    def build(**fields):
        body = {
            "phase_id": phase["id"],
            "reference": "1",
            "action": "Hold a conference",
            "deadlines": ["2006-12-01"],
        }
        body.update(fields)
        return created(api.post(url("targets"), json=body))

    return build
