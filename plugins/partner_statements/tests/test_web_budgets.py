"""The involvement budget pages: a year's budget recorded in pounds beside what was spent; a
refusal reads as the API's; a viewer sees the budgets, no button, and is refused before input."""

from core.testing import csrf_token_from
from plugins.partner_statements.tests.conftest import url
from plugins.partner_statements.tests.test_web_statements import _follow, page_url


def test_a_years_budget_is_recorded_and_replaced(client, partner, make_user, login_as, api_client):
    user = make_user(partner, "staff")
    api = api_client(user).post(url(partner, "budgets"), json={"period": "2025-Q1", "amount_pence": 1})
    api_words = api.get_json()["error"]["fields"]["period"][0]
    login_as(user)
    form_page = client.get(page_url(partner, "budgets/new")).get_data(as_text=True)
    token = csrf_token_from(form_page)
    data = {"csrf_token": token, "period": "2025-26", "amount_pence": "5,000", "notes": "Panel expenses"}
    response = client.post(page_url(partner, "budgets/new"), data={**data, "period": "2025-Q1"})
    assert response.status_code == 422 and api_words.replace("'", "&#39;") in response.get_data(as_text=True)
    response = client.post(page_url(partner, "budgets/new"), data={**data, "amount_pence": "lots"})
    assert response.status_code == 422 and "Enter an amount in pounds and pence" in response.get_data(
        as_text=True
    )
    page = _follow(client, client.post(page_url(partner, "budgets/new"), data=data))
    assert "Involvement budget for 2025-26 recorded." in page and "£5,000.00" in page and "£0.00" in page
    page = _follow(
        client, client.post(page_url(partner, "budgets/new"), data={**data, "amount_pence": "6000"})
    )
    assert "£6,000.00" in page and "£5,000.00" not in page


def test_a_viewer_sees_budgets_without_controls(client, partner, make_user, login_as):
    login_as(make_user(partner, "viewer"))
    page = client.get(page_url(partner, "budgets")).get_data(as_text=True)
    assert "No budget has been recorded yet." in page and "Record a year" not in page
    data = {"csrf_token": csrf_token_from(page), "period": "x" * 999}
    assert client.post(page_url(partner, "budgets/new"), data=data).status_code == 403


def test_a_disabled_plugins_pages_are_404(client, partner, make_user, login_as, api_client):
    admin = make_user(partner, "org_admin")
    off = api_client(admin).put(
        f"/api/v1/orgs/{partner.slug}/plugins/partner_statements", json={"enabled": False, "settings": {}}
    )
    assert off.status_code == 200
    login_as(admin)
    for path in ("", "budgets", "budgets/new", "statements/new", "rasp", "standard/assess"):
        assert client.get(page_url(partner, path)).status_code == 404, path
