"""The web skeleton: home, organisation page and the plugin admin page."""

from core.testing import csrf_token_from


def test_anonymous_visitors_are_sent_to_sign_in(client, make_org):
    org = make_org()
    assert client.get("/").headers["Location"].endswith("/login")
    response = client.get(f"/o/{org.slug}/")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


def test_home_lists_only_my_organisations(client, make_org, make_user, login_as):
    mine, _theirs = make_org(name="Mine Homes"), make_org(name="Theirs Homes")
    login_as(make_user(mine, "viewer"))
    page = client.get("/").get_data(as_text=True)
    assert "Mine Homes" in page and "Theirs Homes" not in page


def test_org_home_lists_enabled_plugins(client, make_org, make_user, login_as):
    org = make_org(name="Plug Homes", plugins=["example"])
    login_as(make_user(org, "viewer"))
    page = client.get(f"/o/{org.slug}/").get_data(as_text=True)
    assert "Example notes" in page and "Manage plugins" not in page


def test_group_home_lists_partners(client, make_org, make_user, login_as):
    group = make_org(name="Big Group", kind="group")
    make_org(name="Small Partner", parent=group)
    login_as(make_user(group, "staff"))
    assert "Small Partner" in client.get(f"/o/{group.slug}/").get_data(as_text=True)


def test_admin_page_is_for_org_admins(client, make_org, make_user, login_as):
    org = make_org()
    login_as(make_user(org, "staff"))
    assert client.get(f"/o/{org.slug}/admin/plugins").status_code == 403


def test_admin_enables_and_disables_a_plugin(client, make_org, make_user, login_as, app):
    org = make_org()
    login_as(make_user(org, "org_admin"))
    page = client.get(f"/o/{org.slug}/admin/plugins").get_data(as_text=True)
    token = csrf_token_from(page)
    response = client.post(
        f"/o/{org.slug}/admin/plugins", data={"csrf_token": token, "plugin": "example", "enabled": "1"}
    )
    assert response.status_code == 302
    assert app.extensions["involve"].plugins.enabled_for(org.id) == ["example"]
    assert "Example notes enabled." in client.get(f"/o/{org.slug}/admin/plugins").get_data(as_text=True)
    client.post(
        f"/o/{org.slug}/admin/plugins", data={"csrf_token": token, "plugin": "example", "enabled": "0"}
    )
    assert app.extensions["involve"].plugins.enabled_for(org.id) == []


def test_admin_post_without_csrf_is_refused(client, make_org, make_user, login_as, app):
    org = make_org()
    login_as(make_user(org, "org_admin"))
    response = client.post(f"/o/{org.slug}/admin/plugins", data={"plugin": "example", "enabled": "1"})
    assert response.status_code == 400
    assert app.extensions["involve"].plugins.enabled_for(org.id) == []


def test_unknown_plugin_on_admin_page_is_a_clear_error(client, make_org, make_user, login_as):
    org = make_org()
    login_as(make_user(org, "org_admin"))
    token = csrf_token_from(client.get(f"/o/{org.slug}/admin/plugins").get_data(as_text=True))
    response = client.post(
        f"/o/{org.slug}/admin/plugins", data={"csrf_token": token, "plugin": "nope", "enabled": "1"}
    )
    assert response.status_code == 400
    assert "That plugin is not installed." in response.get_data(as_text=True)


def test_not_found_page_is_html_with_a_way_home(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Go to your organisations" in response.get_data(as_text=True)


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
