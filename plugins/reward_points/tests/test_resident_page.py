"""A Your Voice member in their resident account: the link on the account page (the
``tpl_resident_account`` hook), their own statement, and choosing a charity or a voucher through the
same rule as the staff API; a resident who is not a member, or nobody signed in, gets nothing."""

import re
from datetime import date

import pytest

from core.models import Participant
from core.tenancy import organisation_scope
from core.testing import csrf_token_from
from plugins.reward_points.models import RewardMember


@pytest.fixture
def member(world, db_session):
    made = world.member(joined_on="2024-01-01")
    with organisation_scope(world.org.id):
        person = db_session.get(Participant, made["participant_id"])
        person.email = "pat@example.org"
        person.contact_consent = True
        person.consent_given_on = date(2024, 1, 1)
        db_session.commit()
    return made


def post_form(client, path, data, page=None):
    token = csrf_token_from(client.get(page or path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def sign_in(app, world, sent_mail, email="pat@example.org"):
    browser = app.test_client()
    slug = world.org.slug
    post_form(browser, f"/p/{slug}/account/sign-in", {"email": email})
    text = sent_mail.to(email)[-1].get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http://localhost(/\S+)", text).group(1)
    assert browser.get(link).status_code == 303
    assert post_form(browser, f"/p/{slug}/account/sign-in/confirm", {}).status_code == 303
    return browser


def test_a_member_chooses_a_charity_from_their_account(app, world, member, sent_mail, db_session):
    browser = sign_in(app, world, sent_mail)
    page = f"/p/{world.org.slug}/account/reward_points/"
    home = browser.get(f"/p/{world.org.slug}/account/").get_data(as_text=True)
    assert f'href="{page}"' in home and "Your Voice points and rewards" in home
    statement = browser.get(page)
    assert statement.status_code == 200
    assert "Boston Foodbank" in statement.get_data(as_text=True)
    refused = post_form(browser, page, {"reward_choice": "charity_donation"})
    assert refused.status_code == 422
    assert "A donation needs a nominated charity" in refused.get_data(as_text=True)
    unknown = post_form(browser, page, {"reward_choice": "charity_donation", "charity": "Elsewhere"})
    assert unknown.status_code == 422
    assert "Not a charity on the organisation&#39;s list" in unknown.get_data(as_text=True)
    saved = post_form(browser, page, {"reward_choice": "charity_donation", "charity": "St Barnabas Hospice"})
    assert saved.status_code == 303
    assert "Your choice has been saved." in browser.get(saved.headers["Location"]).get_data(as_text=True)
    with organisation_scope(world.org.id):
        record = db_session.get(RewardMember, member["id"])
        db_session.refresh(record)
        assert (record.reward_choice, record.charity) == ("charity_donation", "St Barnabas Hospice")


def test_a_resident_who_is_not_a_member_has_no_points_page(app, world, member, sent_mail, db_session):
    with organisation_scope(world.org.id):
        other = Participant(
            first_name="Sam",
            last_name="Resident",
            email="sam@example.org",
            contact_consent=True,
            consent_given_on=date(2024, 1, 1),
        )
        db_session.add(other)
        db_session.commit()
    browser = sign_in(app, world, sent_mail, "sam@example.org")
    assert "Your Voice" not in browser.get(f"/p/{world.org.slug}/account/").get_data(as_text=True)
    assert browser.get(f"/p/{world.org.slug}/account/reward_points/").status_code == 404


def test_nobody_signed_in_is_sent_to_sign_in(client, world, member):
    response = client.get(f"/p/{world.org.slug}/account/reward_points/")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/p/{world.org.slug}/account/sign-in")
    token_page = client.get(f"/p/{world.org.slug}/account/sign-in")
    response = client.post(
        f"/p/{world.org.slug}/account/reward_points/",
        data={
            "csrf_token": csrf_token_from(token_page.get_data(as_text=True)),
            "reward_choice": "shopping_voucher",
        },
    )
    assert response.status_code == 303
