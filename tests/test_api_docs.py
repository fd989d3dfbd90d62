"""The API explorer at /api/v1/docs is served from this origin: its page, Swagger UI's files and
the starting script all load locally, under the strict Content-Security-Policy (no inline script)."""

import re

import pytest

from core.testing import PROJECT_ROOT

BUILT = PROJECT_ROOT / "core" / "static" / "build" / "swagger-ui" / "swagger-ui-bundle.js"


@pytest.mark.skipif(not BUILT.exists(), reason="front-end assets are not built: run `make assets`")
def test_the_explorer_and_its_assets_load_from_this_origin(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    csp = page.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all('src="/' in attributes for attributes in scripts)  # no inline, no CDN
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert len(assets) == 3
    for path in assets:
        with client.get(path) as response:
            assert response.status_code == 200, path
            assert len(response.get_data()) > 0, path
    spec = re.search(r'data-spec-url="([^"]+)"', html).group(1)
    assert client.get(spec).get_json()["info"]["title"] == "Involve API"
    assert "http://" not in html and "https://" not in html
