"""Sign-in, sessions, CSRF, throttling and API tokens."""

from sqlalchemy import select

from core.auth import hash_password
from core.models import ApiToken, LoginThrottle, UserSession
from core.testing import TEST_PASSWORD, csrf_token_from


def _login(client, email, password):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"csrf_token": token, "email": email, "password": password})


def test_passwords_are_argon2id():
    assert hash_password("a long enough password").startswith("$argon2id$")


def test_sign_in_and_out(make_org, make_user, client):
    org = make_org(name="Sign In Homes")
    user = make_user(org, "staff")
    response = _login(client, user.email.upper(), TEST_PASSWORD)  # e-mail is case-insensitive
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Sign In Homes" in client.get("/").get_data(as_text=True)
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/").headers["Location"].endswith("/login")


def test_session_cookie_flags(make_org, make_user, client, app):
    user = make_user(make_org())
    response = _login(client, user.email, TEST_PASSWORD)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("involve_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert app.config["SESSION_COOKIE_SECURE"] is False  # testing over http; production sets it
    from core.app import create_app

    secure = create_app(
        {
            "ENV": "production",
            "SECRET_KEY": "Zx8-vQ2_mLp4Rt7yWn1KdH6sBf3GjC9eXu5",
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        }
    )
    assert secure.config["SESSION_COOKIE_SECURE"] is True


def test_logout_revokes_the_session_even_for_a_copied_cookie(make_org, make_user, client, app, db_session):
    user = make_user(make_org())
    _login(client, user.email, TEST_PASSWORD)
    stolen = client.get_cookie("involve_session").value
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    client.post("/logout", data={"csrf_token": token})
    assert db_session.scalar(select(UserSession.revoked_at).where(UserSession.user_id == user.id))
    other = app.test_client()
    other.set_cookie("involve_session", stolen)
    assert other.get("/").status_code == 302  # back to the login page


def test_wrong_password_and_unknown_user_look_the_same(make_org, make_user, client):
    user = make_user(make_org())
    wrong = _login(client, user.email, "not the password")
    unknown = _login(client, "nobody@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert "The email address or password is not right" in wrong.get_data(as_text=True)
    assert "The email address or password is not right" in unknown.get_data(as_text=True)


def test_inactive_user_cannot_sign_in(make_org, make_user, client):
    user = make_user(make_org(), active=False)
    assert _login(client, user.email, TEST_PASSWORD).status_code == 401


def test_login_form_needs_csrf(make_org, make_user, client):
    user = make_user(make_org())
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 400


def test_logout_needs_csrf_and_post(make_org, make_user, client):
    user = make_user(make_org())
    _login(client, user.email, TEST_PASSWORD)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200  # still signed in


def test_failed_logins_are_throttled_even_with_the_right_password(make_org, make_user, client, db_session):
    user = make_user(make_org())
    for _ in range(5):
        assert _login(client, user.email, "wrong").status_code == 401
    blocked = _login(client, user.email, TEST_PASSWORD)
    assert blocked.status_code == 429
    assert "Too many failed attempts" in blocked.get_data(as_text=True)
    assert db_session.get(LoginThrottle, f"account:{user.email}") is not None


def test_successful_login_clears_failures(make_org, make_user, client, db_session):
    user = make_user(make_org())
    for _ in range(3):
        _login(client, user.email, "wrong")
    assert _login(client, user.email, TEST_PASSWORD).status_code == 302
    assert db_session.get(LoginThrottle, f"account:{user.email}") is None


def test_open_redirect_after_login_is_refused(make_org, make_user, client):
    user = make_user(make_org())
    page = client.get("/login?next=https://evil.example/")
    token = csrf_token_from(page.get_data(as_text=True))
    response = client.post(
        "/login",
        data={"csrf_token": token, "email": user.email, "password": TEST_PASSWORD, "next": "//evil.example/"},
    )
    assert response.headers["Location"] == "/"


def test_next_is_followed_for_local_paths(make_org, make_user, client):
    org = make_org()
    user = make_user(org)
    assert client.get(f"/o/{org.slug}/").status_code == 302
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login",
        data={"csrf_token": token, "email": user.email, "password": TEST_PASSWORD, "next": f"/o/{org.slug}/"},
    )
    assert response.headers["Location"] == f"/o/{org.slug}/"


# -- API tokens -------------------------------------------------------------------------


def test_token_from_email_and_password(make_org, make_user, client, db_session):
    user = make_user(make_org())
    response = client.post(
        "/api/v1/tokens", json={"email": user.email, "password": TEST_PASSWORD, "name": "laptop"}
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["token"].startswith("inv_") and body["name"] == "laptop"
    stored = db_session.get(ApiToken, body["id"])
    assert stored.token_hash != body["token"] and body["token"] not in stored.token_hash
    assert client.get("/api/v1/orgs", headers={"Authorization": f"Bearer {body['token']}"}).status_code == 200


def test_token_request_with_bad_credentials_is_401(make_org, make_user, client):
    user = make_user(make_org())
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": "nope"})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_credentials"


def test_token_request_validation(client):
    response = client.post("/api/v1/tokens", json={"email": "a@b.c"})
    assert response.status_code == 422
    assert "password" in response.get_json()["error"]["fields"]


def test_token_requests_are_throttled(make_org, make_user, client):
    user = make_user(make_org())
    for _ in range(5):
        client.post("/api/v1/tokens", json={"email": user.email, "password": "nope"})
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0


def test_tokens_list_records_last_use_and_revoke(make_org, make_user, api_client, db_session):
    user = make_user(make_org())
    client = api_client(user)
    listing = client.get("/api/v1/tokens").get_json()
    assert listing["total"] == 1 and "token" not in listing["items"][0]
    token_id = listing["items"][0]["id"]
    assert listing["items"][0]["last_used_at"] is not None
    assert "+00:00" in listing["items"][0]["created_at"]
    assert client.delete(f"/api/v1/tokens/{token_id}").status_code == 204
    assert client.get("/api/v1/orgs").status_code == 401


def test_cannot_revoke_someone_elses_token(make_org, make_user, api_client):
    org = make_org()
    alice, bob = make_user(org), make_user(org)
    bob_client = api_client(bob)
    alice_token = api_client(alice).get("/api/v1/tokens").get_json()["items"][0]["id"]
    assert bob_client.delete(f"/api/v1/tokens/{alice_token}").status_code == 404


def test_deactivated_users_token_stops_working(make_org, make_user, api_client, db_session):
    user = make_user(make_org())
    client = api_client(user)
    user.active = False
    db_session.commit()
    assert client.get("/api/v1/orgs").status_code == 401
