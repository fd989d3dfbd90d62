"""API-wide input rules that every endpoint of core and plugins gets from core.api.blueprint, and
the error envelope the OpenAPI document promises.

- An unknown query parameter is a 422 naming it (``page`` and ``per_page`` are known on lists).
- ``PATCH`` without a JSON body is a 422.
- Query-string id filters accept the text of a number.
- Every operation documents the ``{"error": {"code", "message", "fields"}}`` envelope.
"""

import re

import pytest
from marshmallow import fields

from core.tenancy import organisation_scope
from tests import samples
from tests.example_plugin.models import ExampleNote
from tests.test_route_matrix import NOT_RECORD_IDS, scoped_rules

OWN_VALUES = {"name": "example", "period": "2025-26", "section_key": "achieved", "fmt": "pdf"}


@pytest.fixture
def everything(app, make_org, make_user, db_session):
    """An organisation with every plugin enabled, one record of each kind, and its administrator."""
    plugins = {name: {} for name in app.extensions["involve"].plugins.names()}
    org = make_org("contract-rules", plugins=plugins)
    values = samples.collect(db_session, org)
    with organisation_scope(org.id):
        note = ExampleNote(body="A note")
        db_session.add(note)
        db_session.flush()
        values["note_id"] = note.id
    values["partner"] = org.slug  # a partner slug (this organisation is no group: those routes are 404)
    db_session.commit()
    return {"org": org, "admin": make_user(org, "org_admin"), "values": values}


def _api_rules(app, method):
    return [r for r in scoped_rules(app) if r.rule.startswith("/api/") and method in r.methods]


def _path(rule, slug, values):
    path = rule.rule.replace("<slug>", slug)
    for name in re.findall(r"<(?:\w+:)?(\w+)>", path):
        path = re.sub(rf"<(?:\w+:)?{name}>", str(values[name]), path)
    return path


def _is_list(rule) -> bool:
    """A collection: its last segment is not a record id or a named thing."""
    last = rule.rule.rstrip("/").rsplit("/", 1)[-1]
    return not last.startswith("<")


def test_unknown_query_parameter_is_422_naming_it(api_client, everything):
    client = api_client(everything["admin"])
    response = client.get("/api/v1/orgs/contract-rules/areas?kind=estate&overdue=true")
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"overdue": ["Unknown field."]}


def test_key_targets_list_refuses_a_filter_it_does_not_have(api_client, everything):
    """Gloucester's due list answered all its targets to ``overdue=true``; ``due=overdue`` is the filter."""
    client = api_client(everything["admin"])
    base = "/api/v1/orgs/contract-rules/plugins/key_targets/targets"
    refused = client.get(f"{base}?overdue=true")
    assert refused.status_code == 422
    assert list(refused.get_json()["error"]["fields"]) == ["overdue"]
    assert client.get(f"{base}?due=overdue").status_code == 200


def _refused_before_input(app, rule) -> int | None:
    """The status the administrator of a landlord gets before any input is read, if any."""
    from core.lifecycle import declared_permission

    with app.test_request_context():
        action = declared_permission(rule.endpoint, "GET")
    if action is None:
        return None
    permission = app.extensions["involve"].permissions.get(action)
    if permission.group_only:
        return 404
    return 403 if permission.needs_grant is not None else None


def test_unknown_query_parameter_is_422_on_every_list_of_core_and_plugins(app, api_client, everything):
    client = api_client(everything["admin"])
    values = {**OWN_VALUES, **everything["values"]}
    checked = []
    for rule in _api_rules(app, "GET"):
        if not _is_list(rule):
            continue
        path = _path(rule, "contract-rules", values)
        response = client.get(f"{path}?no_such_filter=1")
        refused = _refused_before_input(app, rule)
        if refused:
            # Access comes before input: a list behind a grant no role includes (the equality
            # summary) is 403 to the administrator, and a group's list is 404 on a landlord,
            # whatever the query says.
            assert response.status_code == refused, path
            continue
        assert response.status_code == 422, (path, response.status_code)
        assert "no_such_filter" in response.get_json()["error"]["fields"], path
        checked.append(path)
    assert len(checked) > 60
    assert any("/plugins/street_reps/" in path for path in checked)


def test_page_and_per_page_are_known_on_every_list_answering_the_list_envelope(app, api_client, everything):
    client = api_client(everything["admin"])
    values = {**OWN_VALUES, **everything["values"]}
    paged = 0
    for rule in _api_rules(app, "GET"):
        if not _is_list(rule):
            continue
        path = _path(rule, "contract-rules", values)
        response = client.get(path)
        body = response.get_json() if response.is_json else None
        if response.status_code != 200 or not isinstance(body, dict) or "per_page" not in body:
            continue
        again = client.get(f"{path}?page=1&per_page=5")
        assert again.status_code == 200, (path, again.get_json())
        assert again.get_json()["per_page"] == 5
        paged += 1
    assert paged > 40


def test_get_without_query_arguments_refuses_every_key(api_client, everything):
    """A list that takes no filters at all (impact assessments) is not silently unfiltered either."""
    client = api_client(everything["admin"])
    response = client.get("/api/v1/orgs/contract-rules/impact-assessments?period=2025-26")
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"period": ["Unknown field."]}


def test_assessment_csv_table_is_a_documented_query_argument(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/orgs/{slug}/impact-assessments/{period}"]["get"]
    # ``stored`` (the copy the impact_assessments.store job built) is documented beside it.
    assert [p["name"] for p in operation["parameters"] if p["in"] == "query"] == ["table", "stored"]


def test_patch_without_body_is_422(api_client, everything):
    client = api_client(everything["admin"])
    area = everything["values"]["area_id"]
    response = client.patch(f"/api/v1/orgs/contract-rules/areas/{area}")
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"_body": ["Send the changes as a JSON object."]}
    not_json = client.patch(
        f"/api/v1/orgs/contract-rules/areas/{area}", data="name=x", content_type="text/plain"
    )
    assert not_json.status_code == 422
    empty_json = client.patch(
        f"/api/v1/orgs/contract-rules/areas/{area}", data="", content_type="application/json"
    )
    assert empty_json.status_code == 422


def test_every_patch_without_a_body_is_422(app, api_client, everything):
    client = api_client(everything["admin"])
    values = {**OWN_VALUES, **everything["values"]}
    checked = 0
    for rule in _api_rules(app, "PATCH"):
        path = _path(rule, "contract-rules", values)
        response = client.patch(path)
        assert response.status_code == 422, (path, response.status_code, response.get_json())
        assert "_body" in response.get_json()["error"]["fields"], path
        checked += 1
    assert checked > 40


def test_query_id_filters_accept_query_string_numbers(app):
    """A strict (JSON-integer) field in a query-args schema refuses every value a query string can
    carry; id filters use core.schemas.common.query_record_id."""
    strict = []
    for endpoint, view in app.view_functions.items():
        view_class = getattr(view, "view_class", None)
        functions = [getattr(view_class, m.lower()) for m in view_class.methods] if view_class else [view]
        for function in functions:
            for parameter in getattr(function, "_apidoc", {}).get("arguments", {}).get("parameters", []):
                if parameter.get("in") != "query":
                    continue
                schema = parameter["schema"]
                schema = schema() if isinstance(schema, type) else schema
                for name, field in schema.fields.items():
                    if isinstance(field, fields.Number) and getattr(field, "strict", False):
                        strict.append(f"{endpoint}: {name}")
    assert strict == []


def test_openapi_documents_the_error_envelope_for_every_operation(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    error = spec["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    detail = error["properties"]["error"]
    detail = spec["components"]["schemas"][detail["$ref"].rsplit("/", 1)[-1]] if "$ref" in detail else detail
    assert set(detail["properties"]) == {"code", "message", "fields"}
    assert detail["properties"]["code"]["type"] == "string"
    operations = 0
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            assert operation["responses"]["default"] == {"$ref": "#/components/responses/DEFAULT_ERROR"}, (
                method,
                path,
            )
            operations += 1
    default = spec["components"]["responses"]["DEFAULT_ERROR"]
    assert default["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert operations > 300


def test_a_plugin_api_blueprint_must_carry_the_input_rules(app):
    from flask_smorest import Blueprint

    from core.api import mount_plugin_api
    from core.plugins import PluginError

    plain = Blueprint("plugin_example_plain", __name__)
    with pytest.raises(PluginError, match="ApiBlueprint"):
        mount_plugin_api(app, "example", plain)


def test_route_matrix_id_parameters_are_filled(app, everything):
    """Every id parameter of an API route has a sample, so the sweeps above reach every route."""
    missing = set()
    for rule in scoped_rules(app):
        for name in re.findall(r"<(?:\w+:)?(\w+)>", rule.rule):
            if name != "slug" and name not in NOT_RECORD_IDS and name not in everything["values"]:
                missing.add(name)
    assert missing == set()


def _resolve(schema, spec):
    while isinstance(schema, dict) and "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    if isinstance(schema, dict) and "allOf" in schema and len(schema["allOf"]) == 1:
        return {**_resolve(schema["allOf"][0], spec), **{k: v for k, v in schema.items() if k != "allOf"}}
    return schema


def _undocumented_nulls(value, schema, spec, path="$"):
    """JSON paths where ``value`` holds null but the schema does not say ``nullable``."""
    schema = _resolve(schema, spec)
    if not isinstance(schema, dict) or not schema:
        return
    alternatives = [_resolve(a, spec) for a in schema.get("anyOf", schema.get("oneOf", []))]
    if alternatives:  # how apispec writes a nullable nested schema: null, or the schema
        if value is None:
            if not any(a.get("nullable") for a in alternatives):
                yield path
            return
        schema = next((a for a in alternatives if "properties" in a or "items" in a), alternatives[-1])
    if value is None:
        if not schema.get("nullable"):
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            sub = schema.get("properties", {}).get(key, schema.get("additionalProperties"))
            if isinstance(sub, dict):
                yield from _undocumented_nulls(item, sub, spec, f"{path}.{key}")
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            yield from _undocumented_nulls(item, schema["items"], spec, f"{path}[{index}]")


def _spec_path(rule) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)


def test_nullable_fields_are_marked_nullable(app, api_client, everything):
    """Every read of every sample record (most optional fields empty): a null in the answer is a
    field the OpenAPI document marks ``nullable``."""
    client = api_client(everything["admin"])
    spec = client.get("/api/v1/openapi.json").get_json()
    values = {**OWN_VALUES, **everything["values"]}
    undocumented, read = set(), 0
    for rule in _api_rules(app, "GET"):
        response = client.get(_path(rule, "contract-rules", values))
        if response.status_code != 200 or not response.is_json:
            continue
        operation = spec["paths"][_spec_path(rule)]["get"]
        content = operation["responses"].get("200", {}).get("content", {}).get("application/json")
        if content is None:
            continue
        undocumented.update(
            f"{_spec_path(rule)} {where}"
            for where in _undocumented_nulls(response.get_json(), content["schema"], spec)
        )
        read += 1
    assert not undocumented, "\n".join(sorted(undocumented))
    assert read > 100


def test_json_booleans_and_integers_must_be_json_typed(api_client, everything):
    client = api_client(everything["admin"])
    base = "/api/v1/orgs/contract-rules"
    household = client.post(f"{base}/households", json={"reference": "H-typed", "active": 0})
    assert household.status_code == 422
    assert household.get_json()["error"]["fields"] == {"active": ["Not a valid boolean."]}
    body = {"name": "Typed panel", "kind": "panel", "seats_total": 2.5e-42}
    panel = client.post(f"{base}/bodies", json=body)
    assert panel.status_code == 422
    assert panel.get_json()["error"]["fields"] == {"seats_total": ["Not a valid integer."]}
    assert (
        client.post(f"{base}/households", json={"reference": "H-typed", "active": False}).status_code == 201
    )


def test_an_empty_choice_lists_null_among_its_values(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    consent_method = spec["components"]["schemas"]["Participant"]["properties"]["consent_method"]
    assert consent_method["nullable"] is True and None in consent_method["enum"]


def test_a_body_is_documented_as_required_only_when_it_is(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    optional = paths["/api/v1/orgs/{slug}/plugins/customer_voice/standards-reports"]["post"]["requestBody"]
    assert not optional.get("required")
    assert paths["/api/v1/orgs/{slug}/areas"]["post"]["requestBody"]["required"] is True
    assert paths["/api/v1/orgs/{slug}/areas/{area_id}"]["patch"]["requestBody"]["required"] is True
