"""Partner pages: a statement version drafted, approved and published from the browser; the
Customer First self-assessment rated with evidence. Refusals read as the API's do, a viewer is
refused before any input is read and sees no controls."""

import re

from core.testing import csrf_token_from
from plugins.partner_statements.tests.conftest import STATEMENT, publish_statement, url

BASE = "/o/{slug}/plugins/partner_statements"


def page_url(org, path=""):
    return BASE.format(slug=org.slug) + "/" + path


def _token(client, path):
    return csrf_token_from(client.get(path).get_data(as_text=True))


def _follow(client, response):
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_partner_drafts_approves_and_publishes_a_new_version(client, partner, make_user, login_as):
    login_as(make_user(partner, "org_admin"))
    form_url = page_url(partner, "statements/new")
    token = _token(client, form_url)
    page = _follow(
        client,
        client.post(
            form_url,
            data={
                "csrf_token": token,
                "title": "How you can get involved",
                "encouraging_involvement": "Meetings and surveys, with expenses paid.",
                "using_feedback": "You said, we did within three months.",
                "ways_to_get_involved": "Surveys\nBoard membership\n",
                "change_summary": "First version",
            },
        ),
    )
    assert "Version 1 started as a draft." in page and "Surveys, Board membership" in page
    statement_id = int(re.search(r"statements/(\d+)/approve", page).group(1))
    page = _follow(
        client,
        client.post(page_url(partner, f"statements/{statement_id}/approve"), data={"csrf_token": token}),
    )
    assert "Version 1 approved." in page
    page = _follow(
        client,
        client.post(page_url(partner, f"statements/{statement_id}/publish"), data={"csrf_token": token}),
    )
    assert "Version 1 published" in page
    public = client.get(f"/p/{partner.slug}/partner_statements/").get_data(as_text=True)
    assert "You said, we did within three months." in public


def test_a_new_version_copies_the_published_text_and_supersedes_it(
    client, partner, make_user, login_as, api_client
):
    user = make_user(partner, "org_admin")
    publish_statement(api_client(user), partner)
    login_as(user)
    form_page = client.get(page_url(partner, "statements/new")).get_data(as_text=True)
    assert STATEMENT["using_feedback"] in form_page and "Surveys\nBoard membership" in form_page
    token = csrf_token_from(form_page)
    data = {k: v for k, v in STATEMENT.items() if k != "ways_to_get_involved"}
    page = _follow(
        client,
        client.post(
            page_url(partner, "statements/new"),
            data={**data, "csrf_token": token, "ways_to_get_involved": "Surveys", "change_summary": "New"},
        ),
    )
    assert "Version 2 started as a draft." in page and STATEMENT["using_feedback"] in page
    statement_id = int(re.search(r"statements/(\d+)/edit", page).group(1))
    edit_url = page_url(partner, f"statements/{statement_id}/edit")
    page = _follow(
        client,
        client.post(
            edit_url,
            data={
                "csrf_token": token,
                "title": "Get involved with North Homes",
                "encouraging_involvement": STATEMENT["encouraging_involvement"],
                "using_feedback": STATEMENT["using_feedback"],
                "ways_to_get_involved": "Resident panel",
            },
        ),
    )
    assert "Draft version 2 saved." in page and "Get involved with North Homes" in page
    for action in ("approve", "publish"):
        client.post(page_url(partner, f"statements/{statement_id}/{action}"), data={"csrf_token": token})
    index = client.get(page_url(partner)).get_data(as_text=True)
    assert "Superseded" in index and "Published" in index


def test_approval_refused_in_the_services_words(client, partner, make_user, login_as, api_client):
    user = make_user(partner, "org_admin")
    api = api_client(user)
    draft = api.post(url(partner, "statements"), json={"title": "Half written"}).get_json()
    api_words = api.post(url(partner, f"statements/{draft['id']}/approve")).get_json()["error"]["message"]
    login_as(user)
    token = _token(client, page_url(partner, f"statements/{draft['id']}"))
    response = client.post(page_url(partner, f"statements/{draft['id']}/approve"), data={"csrf_token": token})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and api_words.replace("'", "&#39;") in page


def test_the_form_refuses_what_the_api_refuses(client, partner, make_user, login_as, api_client):
    user = make_user(partner, "staff")
    api = api_client(user).post(url(partner, "statements"), json={"title": "x" * 201})
    api_words = api.get_json()["error"]["fields"]["title"][0]
    login_as(user)
    token = _token(client, page_url(partner, "statements/new"))
    data = {"csrf_token": token, "title": "x" * 201}
    response = client.post(page_url(partner, "statements/new"), data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "<title>Error:" in page and 'href="#title"' in page and api_words in page


def test_only_one_open_version_in_the_services_words(client, partner, make_user, login_as, api_client):
    user = make_user(partner, "staff")
    api = api_client(user)
    assert api.post(url(partner, "statements"), json={}).status_code == 201
    api_words = api.post(url(partner, "statements"), json={}).get_json()["error"]["message"]
    login_as(user)
    token = _token(client, page_url(partner, "statements/new"))
    response = client.post(page_url(partner, "statements/new"), data={"csrf_token": token})
    assert response.status_code == 422 and api_words in response.get_data(as_text=True)


def test_a_staff_member_cannot_approve(client, partner, make_user, login_as, api_client):
    user = make_user(partner, "staff")
    draft = api_client(user).post(url(partner, "statements"), json=STATEMENT).get_json()
    login_as(user)
    page = client.get(page_url(partner, f"statements/{draft['id']}")).get_data(as_text=True)
    assert "Approve version" not in page and "Delete this draft" in page
    token = csrf_token_from(page)
    response = client.post(page_url(partner, f"statements/{draft['id']}/approve"), data={"csrf_token": token})
    assert response.status_code == 403


def test_a_viewer_sees_no_controls_and_is_refused_before_input(
    client, partner, make_user, login_as, api_client
):
    draft = api_client(make_user(partner, "org_admin")).post(url(partner, "statements"), json=STATEMENT)
    statement_id = draft.get_json()["id"]
    login_as(make_user(partner, "viewer"))
    index = client.get(page_url(partner)).get_data(as_text=True)
    token = csrf_token_from(index)
    assert "Start a new version" not in index and "carry on with" not in index and ">Rate<" not in index
    detail = client.get(page_url(partner, f"statements/{statement_id}")).get_data(as_text=True)
    assert "Approve version" not in detail and "Change" not in detail and "Delete this draft" not in detail
    for path in (
        "statements/new",
        f"statements/{statement_id}/edit",
        f"statements/{statement_id}/delete",
        "standard/assess",
    ):
        response = client.post(page_url(partner, path), data={"csrf_token": token, "title": "x" * 999})
        assert response.status_code == 403
    for path in ("approve", "publish", "return-to-draft"):
        response = client.post(
            page_url(partner, f"statements/{statement_id}/{path}"), data={"csrf_token": token}
        )
        assert response.status_code == 403


def test_a_draft_is_deleted_after_confirmation(client, partner, make_user, login_as, api_client):
    user = make_user(partner, "staff")
    draft = api_client(user).post(url(partner, "statements"), json=STATEMENT).get_json()
    login_as(user)
    delete_url = page_url(partner, f"statements/{draft['id']}/delete")
    token = _token(client, delete_url)
    page = _follow(client, client.post(delete_url, data={"csrf_token": token}))
    assert "Draft version 1 deleted." in page
    assert client.get(page_url(partner, f"statements/{draft['id']}")).status_code == 404


def test_rating_a_commitment_with_evidence(client, partner, make_user, login_as, api_client):
    user = make_user(partner, "staff")
    api = api_client(user).post(
        url(partner, "standard/assessments"),
        json={"period": "2025-26", "commitment_key": "training_and_support", "rating": "partly"},
    )
    api_words = api.get_json()["error"]["fields"]["evidence"][0]
    login_as(user)
    form_url = page_url(partner, "standard/assess?period=2025-26&commitment_key=training_and_support")
    form_page = client.get(form_url).get_data(as_text=True)
    assert 'value="2025-26"' in form_page and 'value="training_and_support" selected' in form_page
    token = csrf_token_from(form_page)
    data = {"csrf_token": token, "period": "2025-26", "commitment_key": "training_and_support"}
    response = client.post(form_url, data={**data, "rating": "partly"})
    assert response.status_code == 422 and api_words in response.get_data(as_text=True)
    page = _follow(
        client, client.post(form_url, data={**data, "rating": "partly", "evidence": "Two sessions only."})
    )
    assert "Customer First 11.3 rated partly met for 2025-26." in page and "Two sessions only." in page
    response = client.post(form_url, data={**data, "period": "2025-Q1", "rating": "met"})
    assert response.status_code == 422 and 'href="#period"' in response.get_data(as_text=True)


def test_a_hand_edited_year_never_errors(client, partner, make_user, login_as):
    login_as(make_user(partner, "viewer"))
    for period in ("nonsense", "2025-Q1", "9999-00", "x" * 500):
        assert client.get(page_url(partner) + f"?period={period}").status_code == 200
