"""Every response carries the security headers; inline scripts carry the request's CSP nonce."""

import re

import pytest

from core.app import create_app


def _check(response):
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    return csp


@pytest.mark.parametrize(
    "path",
    [
        "/login",
        "/api/v1/openapi.json",
        "/api/v1/orgs/nowhere/areas",
        "/no-such-page",
        "/static/involve-init.js",
    ],
)
def test_security_headers_on_every_kind_of_response(client, path):
    response = client.get(path)
    _check(response)
    response.close()


def test_every_inline_script_carries_this_requests_nonce(client, make_org, make_user, login_as):
    org = make_org()
    login_as(make_user(org))
    for path in ["/login", "/", f"/o/{org.slug}/"]:
        response = client.get(path)
        csp = _check(response)
        nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
        scripts = re.findall(r"<script\b[^>]*>", response.get_data(as_text=True))
        assert scripts, path
        for tag in scripts:
            assert f'nonce="{nonce}"' in tag, (path, tag)
    # A new request gets a new nonce.
    first = client.get("/login").headers["Content-Security-Policy"]
    assert first != client.get("/login").headers["Content-Security-Policy"]


def test_no_inline_style_attributes_in_pages(client, make_org, make_user, login_as):
    """style-src has no 'unsafe-inline', so a style="…" attribute would be ignored by browsers."""
    org = make_org()
    login_as(make_user(org))
    for path in ["/login", "/", f"/o/{org.slug}/"]:
        assert " style=" not in client.get(path).get_data(as_text=True)


def test_hsts_only_in_production(database_config):
    development = create_app(database_config).test_client().get("/login")
    assert "Strict-Transport-Security" not in development.headers
    production = create_app(
        {**database_config, "ENV": "production", "SECRET_KEY": "k3y-for-a-production-test-0123456789abcdef"}
    )
    response = production.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=63072000")
