"""Staff accounts through the pages: invitations by e-mail (a real SMTP server in-process), roles,
deactivation ending sessions, forgotten passwords; who may do what; another organisation's user."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.models import AccountToken, Membership, User, UserSession
from core.models.base import utcnow
from core.testing import TEST_PASSWORD, csrf_token_from

NEW_PASSWORD = "a kettle of blue herons"


def link_in(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"http://localhost(/\S+)", text)
    assert match, text
    return match.group(1)


def post_form(client, path, data, page=None):
    page = page or path
    token = csrf_token_from(client.get(page).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def signed_in(app, user):
    """A client of its own (another browser) signed in as ``user``."""
    browser = app.test_client()
    response = post_form(browser, "/login", {"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return browser


@pytest.fixture
def org(make_org):
    return make_org("alpha-homes", name="Alpha Homes")


@pytest.fixture
def admin(org, make_user):
    return make_user(org, "org_admin", email="admin@alpha.example")


def test_an_admin_invites_a_colleague_who_sets_a_password_from_the_email(
    app, org, admin, login_as, client, sent_mail, db_session
):
    login_as(admin)
    response = post_form(
        client,
        "/o/alpha-homes/admin/staff/invite",
        {"name": "Pat Officer", "email": " Pat@Example.org ", "role": "staff"},
    )
    assert response.status_code == 303
    assert "We have sent an invitation to pat@example.org" in client.get(
        "/o/alpha-homes/admin/staff"
    ).get_data(as_text=True)
    [message] = sent_mail.to("pat@example.org")
    assert message["Subject"] == "You are invited to join Alpha Homes on Involve"
    link = link_in(message)
    stored = db_session.scalars(select(AccountToken.token_hash)).all()
    assert link.rsplit("/", 1)[1] not in stored  # only the hash is kept

    colleague = app.test_client()
    page = colleague.get(link)
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"
    mismatch = post_form(colleague, link, {"password": NEW_PASSWORD, "confirm": "something else entirely"})
    assert mismatch.status_code == 422
    assert 'href="#confirm"' in mismatch.get_data(as_text=True)
    assert post_form(colleague, link, {"password": "short", "confirm": "short"}).status_code == 422
    done = post_form(colleague, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 303 and done.headers["Location"].endswith("/o/alpha-homes/")
    assert colleague.get("/o/alpha-homes/").status_code == 200
    user = db_session.scalar(select(User).where(User.email == "pat@example.org"))
    assert user.role_in(org.id) == "staff"
    # Used once: the link no longer works.
    assert colleague.get(link).status_code == 404
    listing = client.get("/o/alpha-homes/admin/staff").get_data(as_text=True)
    assert "Pat Officer" in listing and "Invited" not in listing


def test_the_invitation_form_names_every_field_in_its_error_summary(org, admin, login_as, client, sent_mail):
    login_as(admin)
    response = post_form(
        client, "/o/alpha-homes/admin/staff/invite", {"name": " ", "email": "not-an-address"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for field in ("name", "email", "role"):
        assert f'href="#{field}"' in html
    assert "Enter their full name" in html and "Choose a role" in html
    long_name = post_form(
        client, "/o/alpha-homes/admin/staff/invite", {"name": "x" * 201, "email": "a@b.org", "role": "staff"}
    )
    assert long_name.status_code == 422
    assert sent_mail.messages == []


def test_inviting_a_member_twice_is_refused_on_the_email_field(org, admin, login_as, client, sent_mail):
    login_as(admin)
    response = post_form(
        client, "/o/alpha-homes/admin/staff/invite", {"name": "Me", "email": admin.email, "role": "staff"}
    )
    assert response.status_code == 422
    assert "already a member of staff here" in response.get_data(as_text=True)


def test_inviting_someone_from_another_organisation_reveals_nothing_about_it(
    app, org, admin, make_org, make_user, login_as, client, sent_mail, db_session
):
    other = make_org("bravo-housing", name="Bravo Housing Secret")
    elsewhere = make_user(other, "org_admin", email="sam@example.org")
    elsewhere.name = "Samuel Bravo-Secret"
    db_session.commit()
    login_as(admin)
    response = post_form(
        client,
        "/o/alpha-homes/admin/staff/invite",
        {"name": "Sam", "email": "sam@example.org", "role": "viewer"},
    )
    assert response.status_code == 303
    listing = client.get("/o/alpha-homes/admin/staff").get_data(as_text=True)
    assert "We have sent an invitation to sam@example.org" in listing
    assert "Bravo" not in listing and "Sam" in listing
    link = link_in(sent_mail.to("sam@example.org")[0])

    invited = app.test_client()
    page = invited.get(link).get_data(as_text=True)
    assert "already have an Involve account" in page and "Bravo" not in page
    wrong = post_form(invited, link, {"password": "not my password at all"})
    assert wrong.status_code == 422
    assert post_form(invited, link, {"password": TEST_PASSWORD}).status_code == 303
    db_session.expire_all()
    assert elsewhere.role_in(org.id) == "viewer" and elsewhere.role_in(other.id) == "org_admin"


def test_viewers_and_staff_see_no_controls_and_get_403_on_every_change(
    org, admin, make_user, login_as, client, sent_mail
):
    for role in ("viewer", "staff"):
        person = make_user(org, role)
        login_as(person)
        listing = client.get("/o/alpha-homes/admin/staff").get_data(as_text=True)
        assert "Invite a colleague" not in listing and f"/admin/staff/{admin.id}" not in listing
        token = csrf_token_from(listing)
        for path, data in [
            (
                "/o/alpha-homes/admin/staff/invite",
                {"name": "X", "email": "x@example.org", "role": "org_admin"},
            ),
            (f"/o/alpha-homes/admin/staff/{admin.id}/role", {"role": "viewer"}),
            (f"/o/alpha-homes/admin/staff/{admin.id}/deactivate", {}),
            (f"/o/alpha-homes/admin/staff/{admin.id}/reactivate", {}),
        ]:
            assert client.post(path, data={"csrf_token": token, **data}).status_code == 403, path
        assert client.get(f"/o/alpha-homes/admin/staff/{admin.id}").status_code == 403
        client.post("/logout", data={"csrf_token": token})
    assert sent_mail.messages == []


def test_another_organisations_user_is_not_found(org, admin, make_org, make_user, login_as, client):
    other = make_org("bravo-housing")
    outsider = make_user(other, "staff")
    login_as(admin)
    assert client.get(f"/o/alpha-homes/admin/staff/{outsider.id}").status_code == 404
    token = csrf_token_from(client.get("/o/alpha-homes/admin/staff").get_data(as_text=True))
    response = client.post(f"/o/alpha-homes/admin/staff/{outsider.id}/role", data={"csrf_token": token})
    assert response.status_code == 404


def test_an_admin_changes_a_role_but_not_their_own(org, admin, make_user, login_as, client, db_session):
    officer = make_user(org, "staff")
    login_as(admin)
    page = f"/o/alpha-homes/admin/staff/{officer.id}"
    assert post_form(client, f"{page}/role", {"role": "boss"}, page).status_code == 422
    assert post_form(client, f"{page}/role", {"role": "org_admin"}, page).status_code == 303
    db_session.expire_all()
    assert officer.role_in(org.id) == "org_admin"
    own = f"/o/alpha-homes/admin/staff/{admin.id}"
    refused = post_form(client, f"{own}/role", {"role": "viewer"}, "/o/alpha-homes/admin/staff")
    assert refused.status_code == 409
    assert "cannot change your own role" in refused.get_data(as_text=True)


def test_deactivating_ends_the_members_sessions_at_once_and_reactivating_restores_access(
    app, org, admin, make_user, login_as, client, db_session
):
    officer = make_user(org, "staff")
    theirs = signed_in(app, officer)
    assert theirs.get("/o/alpha-homes/").status_code == 200

    login_as(admin)
    member_page = f"/o/alpha-homes/admin/staff/{officer.id}"
    assert "Deactivate account" in client.get(member_page).get_data(as_text=True)
    response = post_form(client, f"{member_page}/deactivate", {})
    assert response.status_code == 303
    assert theirs.get("/o/alpha-homes/").status_code == 302  # signed out: back to the sign-in page
    open_sessions = db_session.scalars(
        select(UserSession).where(UserSession.user_id == officer.id, UserSession.revoked_at.is_(None))
    ).all()
    assert open_sessions == []
    assert "Deactivated" in client.get("/o/alpha-homes/admin/staff").get_data(as_text=True)

    assert post_form(client, f"{member_page}/reactivate", {}, member_page).status_code == 303
    db_session.expire_all()
    assert officer.role_in(org.id) == "staff"
    assert post_form(client, f"/o/alpha-homes/admin/staff/{admin.id}/deactivate", {}).status_code == 409


def test_a_forgotten_password_is_reset_from_the_email_and_other_sessions_end(
    app, org, admin, make_user, client, sent_mail, db_session
):
    officer = make_user(org, "staff", email="kim@example.org")
    elsewhere = signed_in(app, officer)
    assert elsewhere.get("/o/alpha-homes/").status_code == 200

    assert "Forgotten your password?" in client.get("/login").get_data(as_text=True)
    unknown = post_form(client, "/password/forgot", {"email": "nobody@example.org"})
    known = post_form(client, "/password/forgot", {"email": "KIM@example.org"})
    assert unknown.status_code == known.status_code == 303
    assert unknown.headers["Location"] == known.headers["Location"]
    assert [m["To"] for m in sent_mail.messages] == ["kim@example.org"]
    link = link_in(sent_mail.messages[0])
    assert client.get(link).status_code == 200
    assert (
        post_form(client, link, {"password": NEW_PASSWORD, "confirm": "different words here"}).status_code
        == 422
    )
    done = post_form(client, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 303
    assert client.get("/o/alpha-homes/").status_code == 200
    assert elsewhere.get("/o/alpha-homes/").status_code == 302
    assert client.get(link).status_code == 404


def test_a_reset_link_lasts_one_hour_and_the_form_is_throttled(org, admin, client, sent_mail, db_session):
    assert post_form(client, "/password/forgot", {"email": admin.email}).status_code == 303
    link = link_in(sent_mail.messages[-1])
    token = db_session.scalar(select(AccountToken).where(AccountToken.user_id == admin.id))
    token.expires_at = utcnow() - timedelta(seconds=1)
    db_session.commit()
    assert client.get(link).status_code == 404
    statuses = [post_form(client, "/password/forgot", {"email": admin.email}).status_code for _ in range(6)]
    assert statuses[-1] == 429
    assert post_form(client, "/password/forgot", {"email": "bad"}).status_code == 422


def test_a_deactivated_member_loses_the_organisation_but_keeps_other_memberships(
    org, admin, make_org, make_user, login_as, client, api_client, db_session
):
    other = make_org("bravo-housing")
    both = make_user(memberships={org: "staff", other: "staff"})
    api = api_client(both)
    assert api.get("/api/v1/orgs/alpha-homes").status_code == 200
    login_as(admin)
    assert post_form(client, f"/o/alpha-homes/admin/staff/{both.id}/deactivate", {}).status_code == 303
    db_session.expire_all()
    membership = db_session.scalar(
        select(Membership).where(Membership.user_id == both.id, Membership.organisation_id == org.id)
    )
    assert membership.deactivated_at is not None
    assert both.role_in(org.id) is None and both.role_in(other.id) == "staff"
    # Their API token no longer reaches the organisation, nor lists it; the other one still works.
    assert api.get("/api/v1/orgs/alpha-homes").status_code == 404
    assert [o["slug"] for o in api.get("/api/v1/orgs").get_json()["items"]] == ["bravo-housing"]
    assert api.get("/api/v1/orgs/bravo-housing").status_code == 200
