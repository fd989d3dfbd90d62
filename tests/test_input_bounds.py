"""Bounded input: every string a request can carry has a maximum length, a request body has a
maximum size (chunked or not, a CSV over it is refused whole, never cut and partly imported),
JSON nests only so deep, text no database can store is a 422, and a page number past any list is
a 422 — never a 500, never a worker swollen by one request.
"""

import io
import re

import pytest
from marshmallow import Schema, class_registry, fields, validate
from sqlalchemy import String, func, select

from core.bounds import MAX_JSON_DEPTH
from core.extensions import db
from core.models import Household, Participant
from core.schemas.common import LONG_TEXT_MAX, MAX_PAGE
from core.tenancy import organisation_scope
from tests import samples

# -- the schema walk -------------------------------------------------------------------------------

# Loadable fields whose values are bounded elsewhere, with the reason; keep this list short.
BOUNDED_ELSEWHERE = {
    ("PluginUpdateSchema", "settings"): "loaded again by the plugin's settings schema, walked here too",
}


def input_schemas(app) -> set[type[Schema]]:
    """Every schema a request's input is loaded with: each route's arguments (query, JSON, form),
    each plugin's settings schema and the organisation settings of tenants_config/."""
    from core.services.orgsync import OrganisationSettingsSchema

    found: set[type[Schema]] = {OrganisationSettingsSchema}
    for view in app.view_functions.values():
        view_class = getattr(view, "view_class", None)
        handlers = [getattr(view_class, m, None) for m in ("get", "post", "put", "patch", "delete")]
        for handler in [view, *handlers]:
            for argument in (
                (getattr(handler, "_apidoc", None) or {}).get("arguments", {}).get("parameters", [])
            ):
                schema = argument["schema"]
                found.add(schema if isinstance(schema, type) else type(schema))
    for info in app.extensions["involve"].plugins.plugins.values():
        if info.settings_schema is not None:
            found.add(info.settings_schema)
    return found


def registered_schemas() -> set[type[Schema]]:
    """Every schema class of core, the plugins and the tests' example plugin."""
    return {
        cls
        for classes in class_registry._registry.values()
        for cls in classes
        if cls.__module__.startswith(("core.", "plugins.", "tests."))
    }


def _nested_schemas(field: fields.Field) -> list[type[Schema]]:
    inner = [field, getattr(field, "inner", None), getattr(field, "value_field", None)]
    return [type(f.schema) for f in inner if isinstance(f, fields.Nested)]


def loaded_schemas(roots) -> set[type[Schema]]:
    """The roots and every schema nested in a field of theirs that input can reach."""
    seen: set[type[Schema]] = set()
    pending = list(roots)
    while pending:
        cls = pending.pop()
        if cls in seen:
            continue
        seen.add(cls)
        for field in cls().fields.values():
            if not field.dump_only:
                pending.extend(_nested_schemas(field))
    return seen


def _validators(field: fields.Field) -> list:
    return list(getattr(field, "validators", []))


def max_length(field: fields.Field) -> int | None:
    """The longest string ``field`` accepts (a Length maximum or the longest choice), else None."""
    for rule in _validators(field):
        if isinstance(rule, validate.Length) and rule.max is not None:
            return rule.max
        if isinstance(rule, validate.OneOf):
            return max((len(str(choice)) for choice in rule.choices), default=0)
        if isinstance(rule, validate.Equal):
            return len(str(rule.comparable))
    return None


def unbounded_fields(schema: type[Schema]) -> list[str]:
    """``"Schema.field"`` for each loadable string (list item, dict key or value) with no maximum
    length, and each free-form value (Raw, or a Dict of anything) with no validator."""
    problems = []

    def check(name: str, field: fields.Field) -> None:
        if field.dump_only or (schema.__name__, name.split("[")[0]) in BOUNDED_ELSEWHERE:
            return
        if isinstance(field, fields.List):
            return check(f"{name}[]", field.inner)
        if isinstance(field, fields.Tuple):
            for index, item in enumerate(field.tuple_fields):
                check(f"{name}[{index}]", item)
            return
        if isinstance(field, fields.Dict):
            if field.key_field is not None:
                check(f"{name}{{key}}", field.key_field)
            free_form = field.value_field is None or type(field.value_field) is fields.Raw
            if free_form:  # its values must be bounded by a validator of the dict
                if not _validators(field):
                    problems.append(f"{schema.__name__}.{name} (a dict of anything)")
                return
            return check(f"{name}{{value}}", field.value_field)
        if isinstance(field, fields.String) and max_length(field) is None:
            problems.append(f"{schema.__name__}.{name}")
        elif type(field) is fields.Raw and not _validators(field):
            problems.append(f"{schema.__name__}.{name} (any value)")

    for name, field in schema().fields.items():
        check(name, field)
    return problems


def test_every_string_a_request_can_carry_has_a_maximum_length(app):
    """Walks every registered schema (core, plugins, settings); each one a request's input is
    loaded with must bound every string. Schemas only ever dumped (responses) are exempt."""
    inputs = loaded_schemas(input_schemas(app))
    assert len(inputs) > 150, "the walk lost the routes' argument schemas"
    assert {"CustomerVoiceSettings", "StreetRepsSettings", "RewardPointsSettings"} <= {
        s.__name__ for s in inputs
    }
    walked = registered_schemas() | inputs
    problems = [problem for schema in walked if schema in inputs for problem in unbounded_fields(schema)]
    assert problems == [], "give these a validate.Length(max=…) (or a choice):\n" + "\n".join(
        sorted(problems)
    )


def test_the_schema_walk_flags_a_string_without_a_limit():
    class Careless(Schema):
        title = fields.String(validate=validate.Length(max=10))
        kind = fields.String(validate=validate.OneOf(["a", "b"]))
        notes = fields.String()
        tags = fields.List(fields.String())
        answers = fields.Dict(keys=fields.String(validate=validate.Length(max=5)), values=fields.Raw())
        anything = fields.Raw()
        echo = fields.String(dump_only=True)

    assert sorted(unbounded_fields(Careless)) == [
        "Careless.answers (a dict of anything)",
        "Careless.anything (any value)",
        "Careless.notes",
        "Careless.tags[]",
    ]


def _model_for(schema: type[Schema], models: dict[str, type]) -> type | None:
    base = re.sub(r"^(Cv|Sr|Kt|Ps)(?=[A-Z])", "", schema.__name__)
    base = re.sub(r"(Update|Create)?(Schema|Input)$", "", base)
    return models.get(base)


def test_schema_limits_fit_the_model_columns(app):
    """A string field the API accepts is never longer than the column it is stored in."""
    models = {mapper.class_.__name__: mapper.class_ for mapper in db.Model.registry.mappers}
    checked, too_long = 0, []
    for schema in loaded_schemas(input_schemas(app)):
        model = _model_for(schema, models)
        if model is None:
            continue
        columns = model.__table__.columns
        for name, field in schema().fields.items():
            column = columns.get(field.attribute or name)
            if column is None or not isinstance(column.type, String) or column.type.length is None:
                continue
            if not isinstance(field, fields.String) or max_length(field) is None:
                continue
            checked += 1
            if max_length(field) > column.type.length:
                too_long.append(
                    f"{schema.__name__}.{name}: {max_length(field)} > {model.__name__} {column.type}"
                )
    assert checked > 50
    assert too_long == []


# -- requests --------------------------------------------------------------------------------------


@pytest.fixture
def org(make_org):
    others = {name: {} for name in ("customer_voice", "key_targets", "partner_statements", "street_reps")}
    return make_org("bound-homes", plugins=others)


@pytest.fixture
def api(org, make_user, api_client):
    return api_client(make_user(org, "org_admin"))


BASE = "/api/v1/orgs/bound-homes"


def test_a_description_longer_than_the_limit_is_422_naming_it(api):
    body = {"title": "Estate walk", "kind": "walkabout", "starts_at": "2025-06-01T10:00:00+01:00"}
    too_long = api.post(f"{BASE}/activities", json={**body, "description": "x" * (LONG_TEXT_MAX + 1)})
    assert too_long.status_code == 422
    assert "description" in too_long.get_json()["error"]["fields"]
    assert (
        api.post(f"{BASE}/activities", json={**body, "description": "x" * LONG_TEXT_MAX}).status_code == 201
    )


def test_a_body_over_the_request_limit_is_413(app, api, monkeypatch):
    monkeypatch.setitem(app.config["INVOLVE"], "MAX_REQUEST_BYTES", 64 * 1024)
    response = api.post(f"{BASE}/areas", json={"name": "x" * 70_000, "kind": "estate"})
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 5, 100_000])
def test_json_nested_too_deeply_is_400(api, depth):
    nested = "[" * depth + "]" * depth
    response = api.post(
        f"{BASE}/areas", data=f'{{"name": {nested}, "kind": "estate"}}', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"


def test_a_lone_surrogate_is_422_naming_the_field(api):
    raw = '{"name": "Ash \\ud800 Grove", "kind": "estate"}'
    response = api.post(f"{BASE}/areas", data=raw, content_type="application/json")
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["name"]
    nested = '{"reference": "H-1", "address_lines": ["1 Ash", "\\udfff"]}'
    response = api.post(f"{BASE}/households", data=nested, content_type="application/json")
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["address_lines.1"]


def test_a_nul_character_in_a_body_is_422_naming_the_field(api):
    response = api.post(
        f"{BASE}/areas", data='{"name": "Ash\\u0000", "kind": "estate"}', content_type="application/json"
    )
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["name"]


def test_a_huge_page_number_is_422(api):
    response = api.get(f"{BASE}/areas?page=230584463340970377216")
    assert response.status_code == 422
    assert "page" in response.get_json()["error"]["fields"]
    assert api.get(f"{BASE}/areas?page={MAX_PAGE}").status_code == 200


def test_an_integer_too_large_for_the_database_is_422_not_500(api):
    # parent_id has no range of its own: SQLite's driver overflows, PostgreSQL's refuses it.
    response = api.get(f"{BASE}/areas?parent_id={2**70}")
    assert response.status_code == 422, response.get_json()


def csv_import_rules(app):
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/") and rule.rule.endswith("/import") and "POST" in rule.methods
    )


def households_csv(size: int) -> bytes:
    rows = ["reference,address_line_1,postcode"]
    n = 0
    while sum(len(r) + 1 for r in rows) < size:
        n += 1
        rows.append(f"H-{n:06d},{n} Long Lane {'x' * 40},WA8 7AB")
    return ("\n".join(rows) + "\n").encode()


def post_chunked(api, path: str, body: bytes):
    """As a WSGI server passes a chunked body: no Content-Length, a stream the server ends."""
    return api.post(
        path,
        input_stream=io.BytesIO(body),
        content_type="text/csv",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )


def test_csv_import_endpoints_are_all_covered(app):
    assert len(csv_import_rules(app)) >= 5


def test_a_chunked_csv_over_the_upload_limit_is_413_on_every_import(app, api, org, db_session, monkeypatch):
    monkeypatch.setitem(app.config["INVOLVE"], "MAX_UPLOAD_BYTES", 64 * 1024)
    values = samples.collect(db_session, org)
    db_session.commit()
    body = households_csv(100 * 1024)
    for rule in csv_import_rules(app):
        path = re.sub(
            r"<(?:\w+:)?(\w+)>",
            lambda m: str(values[m.group(1)]) if m.group(1) != "slug" else "bound-homes",
            rule,
        )
        response = post_chunked(api, path, body)
        assert response.status_code == 413, (rule, response.get_json())
        assert response.get_json()["error"]["code"] == "payload_too_large"


def test_a_chunked_households_csv_over_the_limit_imports_nothing(app, api, org, monkeypatch):
    monkeypatch.setitem(app.config["INVOLVE"], "MAX_UPLOAD_BYTES", 64 * 1024)
    assert post_chunked(api, f"{BASE}/households/import", households_csv(100 * 1024)).status_code == 413
    people = b"first_name,last_name\n" + b"Ann,Lee\n" * 20_000
    assert post_chunked(api, f"{BASE}/participants/import", people).status_code == 413
    with organisation_scope(org.id):
        assert db.session.scalar(select(func.count()).select_from(Household)) == 0
        assert db.session.scalar(select(func.count()).select_from(Participant)) == 0


def test_a_chunked_csv_under_the_limit_is_imported_whole(app, api, org, monkeypatch):
    monkeypatch.setitem(app.config["INVOLVE"], "MAX_UPLOAD_BYTES", 64 * 1024)
    body = households_csv(60 * 1024)
    rows = body.count(b"\n") - 1
    response = post_chunked(api, f"{BASE}/households/import", body)
    assert response.status_code == 200, response.get_json()
    with organisation_scope(org.id):
        assert db.session.scalar(select(func.count()).select_from(Household)) == rows


def test_a_csv_declaring_a_length_over_the_limit_is_413(app, api, monkeypatch):
    monkeypatch.setitem(app.config["INVOLVE"], "MAX_UPLOAD_BYTES", 64 * 1024)
    response = api.post(f"{BASE}/households/import", data=households_csv(100 * 1024), content_type="text/csv")
    assert response.status_code == 413
    multipart = {"file": (io.BytesIO(households_csv(100 * 1024)), "homes.csv")}
    response = api.post(f"{BASE}/households/import", data=multipart, content_type="multipart/form-data")
    assert response.status_code == 413
