"""Every organisation-scoped route, called by a member of A with B's slug or B's ids, answers 404
and shows nothing of B (DESIGN.md isolation rule 4).

Routes are read from the URL map, so a new route is covered automatically; a route whose URL has
a parameter this file does not know how to fill fails the test until a sample of B is added to
``b_values`` below.
"""

import re

import pytest

from core.tenancy import organisation_scope
from core.testing import csrf_token_from
from tests import samples
from tests.example_plugin.models import ExampleNote

# URL parameters that name something global (a plugin), not a record of an organisation.
NOT_RECORD_IDS = {"name", "characteristic", "period", "section_key", "fmt"}
SAFE_BODY = {"enabled": True, "body": "x", "settings": {}}


@pytest.fixture
def world(app, make_org, make_user, db_session):
    # Every installed plugin is enabled on both organisations, with its default settings, so that
    # its routes answer (and must answer 404 for the other organisation's records).
    others = {name: {} for name in app.extensions["involve"].plugins.names() if name != "example"}
    a = make_org("alpha-homes", name="Alpha Homes", plugins={"example": {}, **others})
    b = make_org(
        "bravo-housing",
        name="Bravo Housing Secret",
        plugins={"example": {"greeting": "Bravo secret note"}, **others},
    )
    user = make_user(a, "org_admin")
    with organisation_scope(b.id):
        b_note = ExampleNote(body="Bravo private words")
        db_session.add(b_note)
        db_session.flush()
        b_note_id = b_note.id
    b_records = samples.collect(db_session, b)
    db_session.commit()
    return {"a": a, "b": b, "user": user, "b_note": b_note_id, "b_records": b_records}


def scoped_rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if "<slug>" in rule.rule
        and rule.endpoint.split(".")[0] in app.extensions["involve"].scoped_blueprints
    ]


def fill(rule, slug, values):
    path = rule.rule.replace("<slug>", slug)
    for _converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", path):
        if name not in values:
            pytest.fail(f"{rule.rule}: add a sample of organisation B for <{name}> to the matrix")
        path = re.sub(rf"<(?:\w+:)?{name}>", str(values[name]), path)
    return path


def b_values(world):
    return {
        "note_id": world["b_note"],
        "name": "example",
        "period": "2025-26",
        "section_key": "achieved",
        "fmt": "pdf",
        # A partner slug: B itself (never a partner of A, which is not a group either).
        "partner": "bravo-housing",
        **world["b_records"],
    }


def secrets_of_b(world):
    return [
        "bravo-housing",
        "Bravo Housing Secret",
        "Bravo private words",
        "Bravo secret note",
        samples.SECRET,
    ]


def test_matrix_covers_core_and_plugin_routes(app):
    rules = {r.rule for r in scoped_rules(app)}
    assert "/api/v1/orgs/<slug>" in rules
    assert "/api/v1/orgs/<slug>/plugins/example/notes/<int:note_id>" in rules
    assert "/o/<slug>/admin/plugins" in rules
    assert "/o/<slug>/plugins/example/" in rules


def _calls(app, world):
    for rule in scoped_rules(app):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            # B's slug with B's ids, then A's own slug with B's ids (where there are ids).
            yield rule, method, fill(rule, "bravo-housing", b_values(world))
            params = set(re.findall(r"<(?:\w+:)?(\w+)>", rule.rule)) - {"slug"} - NOT_RECORD_IDS
            if params:
                yield rule, method, fill(rule, "alpha-homes", b_values(world))


def test_api_routes_hide_organisation_b(app, world, api_client):
    client = api_client(world["user"])
    checked = 0
    for _rule, method, path in _calls(app, world):
        if not path.startswith("/api/"):
            continue
        response = getattr(client, method.lower())(path, json=SAFE_BODY)
        assert response.status_code == 404, (method, path, response.get_json())
        body = response.get_data(as_text=True)
        for secret in secrets_of_b(world):
            assert secret not in body, (method, path)
        checked += 1
    assert checked >= 6


def test_web_routes_hide_organisation_b(app, world, client, login_as):
    login_as(world["user"])
    token = csrf_token_from(client.get("/o/alpha-homes/admin/plugins").get_data(as_text=True))
    checked = 0
    for _rule, method, path in _calls(app, world):
        if path.startswith("/api/"):
            continue
        response = getattr(client, method.lower())(path, data={"csrf_token": token, "plugin": "example"})
        assert response.status_code == 404, (method, path)
        body = response.get_data(as_text=True)
        for secret in secrets_of_b(world):
            assert secret not in body, (method, path)
        checked += 1
    assert checked >= 3


def test_the_same_routes_work_for_organisation_a(app, world, api_client):
    """The matrix would pass vacuously if every route 404'd; A's own records must be reachable."""
    client = api_client(world["user"])
    with organisation_scope(world["a"].id):
        from sqlalchemy import select

        from core.extensions import db

        a_note = db.session.scalar(select(ExampleNote.id))
    assert client.get("/api/v1/orgs/alpha-homes").status_code == 200
    assert client.get(f"/api/v1/orgs/alpha-homes/plugins/example/notes/{a_note}").status_code == 200
    assert client.get("/api/v1/orgs/alpha-homes/plugins/example").status_code == 200


def test_public_pages_show_only_their_own_organisation(app, world, client):
    """Public plugin pages (``/p/<slug>/<plugin>/…``) take no sign-in, so B's slug shows B's
    published pages; but A's slug with B's ids must be 404 and show nothing of B."""
    public = app.extensions["involve"].public_blueprints
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.split(".")[0] in public]
    assert any(r.rule == "/p/<slug>/example/notes/<int:note_id>" for r in rules)
    checked = 0
    for rule in rules:
        params = set(re.findall(r"<(?:\w+:)?(\w+)>", rule.rule)) - {"slug"} - NOT_RECORD_IDS
        if not params:
            continue
        response = client.get(fill(rule, "alpha-homes", b_values(world)))
        assert response.status_code == 404, rule.rule
        body = response.get_data(as_text=True)
        for secret in secrets_of_b(world):
            assert secret not in body, rule.rule
        checked += 1
    assert checked >= 1
