"""Partner pages: the action plan answering a year's weaknesses (start, add the group's weakness,
answer it with an action and its outputs, approve), RASP nominations with consent, and the group's
oversight CSV for a signed-in officer. Refusals read as the API's do; viewers get 403 before input."""

import re
from datetime import date, timedelta

from core import plugin_kit
from core.models import ActionPlanItem, Participant
from core.tenancy import organisation_scope
from core.testing import csrf_token_from
from plugins.partner_statements.tests.conftest import url
from plugins.partner_statements.tests.test_web_statements import _follow, _token, page_url

YEAR = "2025-26"


def _item(db_session, org, core_plan_id, title):
    with organisation_scope(org.id):
        item = ActionPlanItem(plan_id=core_plan_id, title=title, due_on=date(2026, 9, 30))
        db_session.add(item)
        db_session.flush()
        item_id = item.id
    db_session.commit()
    return item_id


def test_an_action_plan_answers_every_weakness_before_approval(
    client, partner, make_user, login_as, api_client, db_session
):
    user = make_user(partner, "org_admin")
    login_as(user)
    token = _token(client, page_url(partner, "action-plans/new"))
    page = _follow(
        client,
        client.post(
            page_url(partner, "action-plans/new"), data={"csrf_token": token, "assessed_period": YEAR}
        ),
    )
    assert f"Action plan answering {YEAR} started." in page
    plan_id = int(re.search(r"action-plans/(\d+)/approve", page).group(1))
    page = _follow(
        client,
        client.post(
            page_url(partner, f"action-plans/{plan_id}/weaknesses/new"),
            data={"csrf_token": token, "title": "Few young residents involved"},
        ),
    )
    assert "Weakness “Few young residents involved” added." in page and "No action yet" in page
    api = api_client(user)
    api_words = api.post(url(partner, f"action-plans/{plan_id}/approve")).get_json()["error"]["message"]
    response = client.post(page_url(partner, f"action-plans/{plan_id}/approve"), data={"csrf_token": token})
    assert response.status_code == 422 and api_words in response.get_data(as_text=True)
    plan = api.get(url(partner, f"action-plans/{plan_id}")).get_json()
    weakness_id = plan["weaknesses"][0]["id"]
    item_id = _item(db_session, partner, plan["action_plan_id"], "Youth forum")
    link_url = page_url(partner, f"action-plans/{plan_id}/weaknesses/{weakness_id}/actions/new")
    assert "Youth forum (due 30 September 2026)" in client.get(link_url).get_data(as_text=True)
    api_words = api.post(
        url(partner, f"action-plans/{plan_id}/weaknesses/{weakness_id}/actions"),
        json={"action_item_id": item_id},
    ).get_json()["error"]["fields"]["outputs"][0]
    response = client.post(link_url, data={"csrf_token": token, "action_item_id": str(item_id)})
    assert response.status_code == 422 and api_words in response.get_data(as_text=True)
    page = _follow(
        client,
        client.post(
            link_url, data={"csrf_token": token, "action_item_id": str(item_id), "outputs": "Four meetings"}
        ),
    )
    assert "Action linked to the weakness." in page and "Four meetings" in page
    page = _follow(
        client, client.post(page_url(partner, f"action-plans/{plan_id}/approve"), data={"csrf_token": token})
    )
    assert f"Action plan answering {YEAR} approved." in page
    link_id = int(re.search(r"weakness-actions/(\d+)/unlink", page).group(1))
    response = client.post(
        page_url(partner, f"action-plans/{plan_id}/weakness-actions/{link_id}/unlink"),
        data={"csrf_token": token},
    )
    assert (
        response.status_code == 422
        and "every weakness must keep at least one action" in response.get_data(as_text=True)
    )


def test_a_plan_for_a_year_already_planned_is_refused_in_the_apis_words(
    client, partner, make_user, login_as, api_client
):
    user = make_user(partner, "staff")
    api = api_client(user)
    assert api.post(url(partner, "action-plans"), json={"assessed_period": YEAR}).status_code == 201
    api_words = api.post(url(partner, "action-plans"), json={"assessed_period": YEAR}).get_json()["error"][
        "message"
    ]
    login_as(user)
    token = _token(client, page_url(partner, "action-plans/new"))
    response = client.post(
        page_url(partner, "action-plans/new"), data={"csrf_token": token, "assessed_period": YEAR}
    )
    assert response.status_code == 422 and api_words in response.get_data(as_text=True)


def _resident(db_session, partner):
    with organisation_scope(partner.id):
        person = Participant(first_name="Amira", last_name="Okafor")
        db_session.add(person)
        db_session.flush()
        person_id = person.id
    db_session.commit()
    return person_id


def test_a_resident_is_nominated_to_rasp_with_consent_and_withdrawn(
    client, group, partner, make_user, login_as, api_client, db_session
):
    person_id = _resident(db_session, partner)
    user = make_user(partner, "staff")
    given_on = plugin_kit.today() - timedelta(days=1)
    body = {
        "participant_id": person_id,
        "consent_given": False,
        "consent_given_on": given_on.isoformat(),
        "consent_method": "written",
    }
    api_words = (
        api_client(user).post(url(partner, "rasp/nominations"), json=body).get_json()["error"]["message"]
    )
    login_as(user)
    form_url = page_url(partner, "rasp/new")
    form_page = client.get(form_url).get_data(as_text=True)
    assert "Amira Okafor" in form_page
    data = {
        "csrf_token": csrf_token_from(form_page),
        "participant_id": str(person_id),
        "consent_given_on-day": str(given_on.day),
        "consent_given_on-month": str(given_on.month),
        "consent_given_on-year": str(given_on.year),
        "consent_method": "written",
    }
    response = client.post(form_url, data=data)
    assert response.status_code == 422 and api_words.replace("'", "&#39;") in response.get_data(as_text=True)
    page = _follow(
        client, client.post(form_url, data={**data, "consent_given": "y", "display_name": "Amira O."})
    )
    assert "Amira O. nominated to RASP." in page and "Written" in page
    group_api = api_client(make_user(group, "staff"))
    panel = group_api.get(url(group, "group/rasp")).get_json()["items"]
    assert [m["display_name"] for m in panel] == ["Amira O."]
    nomination_id = int(re.search(r"rasp/(\d+)/withdraw", page).group(1))
    page = _follow(
        client,
        client.post(
            page_url(partner, f"rasp/{nomination_id}/withdraw"), data={"csrf_token": data["csrf_token"]}
        ),
    )
    assert "nomination withdrawn" in page and "Withdrawn" in page
    assert group_api.get(url(group, "group/rasp")).get_json()["items"] == []


def test_a_viewer_sees_no_plan_or_rasp_controls_and_is_refused_before_input(
    client, partner, make_user, login_as, api_client
):
    plan = api_client(make_user(partner, "staff")).post(
        url(partner, "action-plans"), json={"assessed_period": YEAR}
    )
    plan_id = plan.get_json()["id"]
    login_as(make_user(partner, "viewer"))
    page = client.get(page_url(partner, f"action-plans/{plan_id}")).get_data(as_text=True)
    token = csrf_token_from(page)
    assert "Approve the plan" not in page and "Add a weakness" not in page and "Take weaknesses" not in page
    assert "Start an action plan" not in client.get(page_url(partner)).get_data(as_text=True)
    for path in (
        "action-plans/new",
        f"action-plans/{plan_id}/approve",
        f"action-plans/{plan_id}/refresh",
        f"action-plans/{plan_id}/weaknesses/new",
        "rasp/new",
    ):
        response = client.post(
            page_url(partner, path), data={"csrf_token": token, "assessed_period": "x" * 999}
        )
        assert response.status_code == 403, path
    assert client.get(page_url(partner, "rasp")).status_code == 403


def test_the_group_downloads_the_oversight_csv_signed_in(client, group, partner, make_user, login_as):
    login_as(make_user(group, "staff"))
    page = client.get(page_url(group) + f"?period={YEAR}").get_data(as_text=True)
    assert f"/o/{group.slug}/plugins/partner_statements/oversight.csv?period={YEAR}" in page
    response = client.get(page_url(group, f"oversight.csv?period={YEAR}"))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0].startswith("rank,partner,involvement contact") and "North Homes" in lines[1]
    assert client.get(page_url(group, "oversight.csv?period=rubbish")).status_code == 200


def test_the_group_sees_each_partners_ratings_and_the_panel_names_only(
    client, group, partner, make_user, login_as, api_client, db_session
):
    api = api_client(make_user(partner, "staff"))
    body = {"period": YEAR, "commitment_key": "training_and_support", "rating": "not_met"}
    body["evidence"] = "Private"
    assert api.post(url(partner, "standard/assessments"), json=body).status_code == 201
    person_id = _resident(db_session, partner)
    nomination = {
        "participant_id": person_id,
        "consent_given": True,
        "consent_given_on": plugin_kit.today().isoformat(),
        "consent_method": "verbal",
        "display_name": "Amira O.",
    }
    assert api.post(url(partner, "rasp/nominations"), json=nomination).status_code == 201
    login_as(make_user(group, "staff"))
    board = client.get(page_url(group) + f"?period={YEAR}").get_data(as_text=True)
    assert f"compliance?period={YEAR}#partner-{partner.slug}" in board and "/panel" in board
    matrix = client.get(page_url(group, f"compliance?period={YEAR}")).get_data(as_text=True)
    assert "North Homes" in matrix and "Not met" in matrix and "Private" not in matrix
    panel = client.get(page_url(group, "panel")).get_data(as_text=True)
    assert "Amira O." in panel and "North Homes" in panel and "Okafor" not in panel


def test_the_group_pages_do_not_exist_for_a_partner(client, partner, make_user, login_as):
    login_as(make_user(partner, "org_admin"))
    for path in ("compliance", "panel", "oversight.csv"):
        assert client.get(page_url(partner, path)).status_code in (403, 404), path


def test_a_weakness_is_answered_with_an_action_added_to_the_core_plan_in_the_browser(
    client, partner, make_user, login_as, api_client
):
    user = make_user(partner, "staff")
    api = api_client(user)
    plan = api.post(url(partner, "action-plans"), json={"assessed_period": YEAR}).get_json()
    weakness = api.post(
        url(partner, f"action-plans/{plan['id']}/weaknesses"), json={"title": "Few young residents"}
    ).get_json()
    login_as(user)
    link_url = page_url(partner, f"action-plans/{plan['id']}/weaknesses/{weakness['id']}/actions/new")
    form_page = client.get(link_url).get_data(as_text=True)
    assert "The plan has no actions yet." in form_page
    add_url = f"/o/{partner.slug}/action-plans/{plan['action_plan_id']}/items/new?next={link_url}"
    assert f'href="{add_url}"' in form_page
    assert f'href="/o/{partner.slug}/action-plans/{plan["action_plan_id"]}"' in form_page
    token = csrf_token_from(form_page)
    added = client.post(
        add_url,
        data={
            "csrf_token": token,
            "title": "Youth forum",
            "status": "not_started",
            "due_on-day": "30",
            "due_on-month": "9",
            "due_on-year": "2026",
        },
    )
    assert added.status_code == 303, added.get_data(as_text=True)
    assert added.headers["Location"].endswith(link_url)  # back to the weakness, not the core plan
    form_page = client.get(link_url).get_data(as_text=True)
    assert "Youth forum (due 30 September 2026)" in form_page and "no actions yet" not in form_page
    item_id = re.search(r'<option value="(\d+)"[^>]*>Youth forum', form_page).group(1)
    page = _follow(
        client,
        client.post(
            link_url, data={"csrf_token": token, "action_item_id": item_id, "outputs": "Four meetings"}
        ),
    )
    assert "Action linked to the weakness." in page and "Youth forum" in page and "Answered" in page


def test_a_viewer_sees_no_link_to_add_an_action(client, partner, make_user, login_as, api_client):
    api = api_client(make_user(partner, "staff"))
    plan = api.post(url(partner, "action-plans"), json={"assessed_period": YEAR}).get_json()
    weakness = api.post(
        url(partner, f"action-plans/{plan['id']}/weaknesses"), json={"title": "Few young residents"}
    ).get_json()
    login_as(make_user(partner, "viewer"))
    link_url = page_url(partner, f"action-plans/{plan['id']}/weaknesses/{weakness['id']}/actions/new")
    assert client.get(link_url).status_code == 403
    plan_page = client.get(page_url(partner, f"action-plans/{plan['id']}")).get_data(as_text=True)
    assert "items/new" not in plan_page and "Answer with an action" not in plan_page
