"""The group's reviews of partners' impact assessments from the page: refused until the partner has
published the year's assessment, in the API's words; a review asking for changes says what; a viewer
is refused every group page (403) before any input is read."""

from core.models import ImpactAssessment
from core.models.base import utcnow
from core.tenancy import organisation_scope
from core.testing import csrf_token_from
from plugins.partner_statements.tests.conftest import url
from plugins.partner_statements.tests.test_web_statements import _follow, page_url

YEAR = "2025-26"


def test_the_group_reviews_a_published_impact_assessment(
    client, group, partner, make_user, login_as, api_client, db_session
):
    user = make_user(group, "staff")
    body = {"partner_id": partner.id, "period": YEAR, "outcome": "accepted"}
    api_words = api_client(user).post(url(group, "group/reviews"), json=body).get_json()["error"]["message"]
    login_as(user)
    form_page = client.get(page_url(group, "reviews/new")).get_data(as_text=True)
    assert "North Homes" in form_page
    data = {"csrf_token": csrf_token_from(form_page), "partner_id": str(partner.id), "period": YEAR}
    response = client.post(page_url(group, "reviews/new"), data={**data, "outcome": "accepted"})
    assert response.status_code == 422 and api_words in response.get_data(as_text=True)
    with organisation_scope(partner.id):
        db_session.add(ImpactAssessment(period=YEAR, title="IA", status="published", published_at=utcnow()))
    db_session.commit()
    response = client.post(page_url(group, "reviews/new"), data={**data, "outcome": "changes_requested"})
    assert response.status_code == 422
    assert "Say what the partner should change." in response.get_data(as_text=True)
    page = _follow(
        client,
        client.post(
            page_url(group, "reviews/new"),
            data={**data, "outcome": "changes_requested", "comments": "Show who was involved."},
        ),
    )
    assert f"Review of the {YEAR} impact assessment recorded." in page
    assert "Changes requested" in page and "Show who was involved." in page and "North Homes" in page


def test_a_viewer_is_refused_the_group_pages_before_input(client, group, make_user, login_as):
    login_as(make_user(group, "viewer"))
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    for path in ("reviews", "compliance", "panel", "oversight.csv"):
        assert client.get(page_url(group, path)).status_code == 403, path
    data = {"csrf_token": token, "period": "x" * 999}
    assert client.post(page_url(group, "reviews/new"), data=data).status_code == 403


def test_reviews_do_not_exist_for_a_partner(client, partner, make_user, login_as):
    login_as(make_user(partner, "org_admin"))
    assert client.get(page_url(partner, "reviews")).status_code in (403, 404)
