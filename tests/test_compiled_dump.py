"""``CompiledDump``: the participants list dumped through a plan made once gives the same bytes as
marshmallow's own dump, field type by field type, and falls back where it cannot plan."""

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from marshmallow import Schema, fields, post_dump

from core.models import Household, Participant
from core.schemas.compiled import CompiledDump
from core.schemas.fields import UtcDateTime
from core.tenancy import organisation_scope


def _fields():
    return {
        "text": fields.String(allow_none=True),
        "email": fields.Email(allow_none=True),
        "number": fields.Integer(allow_none=True),
        "number_text": fields.Integer(as_string=True, allow_none=True),
        "flag": fields.Boolean(allow_none=True),
        "day": fields.Date(allow_none=True),
        "moment": fields.DateTime(allow_none=True),
        "stamp": UtcDateTime(allow_none=True),
        "words": fields.List(fields.String(), allow_none=True),
        "numbers": fields.List(fields.Integer(), allow_none=True),
        "days": fields.List(fields.Date(), allow_none=True),
        "anything": fields.Raw(allow_none=True),
        "mapping": fields.Dict(allow_none=True),
        "ratio": fields.Float(allow_none=True),
        "renamed": fields.String(data_key="shown_as", allow_none=True),
        "source": fields.String(attribute="origin", allow_none=True),
        "formatted": fields.DateTime(format="%d/%m/%Y", allow_none=True),
    }


Plain = Schema.from_dict(_fields(), name="Plain")


Compiled = type("Compiled", (CompiledDump,), _fields())  # the same fields, dumped through a plan

FULL = {
    "text": "Ada",
    "email": "ada@example.org",
    "number": 7,
    "number_text": 8,
    "flag": True,
    "day": date(2025, 4, 1),
    "moment": datetime(2025, 4, 1, 9, 30, tzinfo=UTC),
    "stamp": datetime(2025, 4, 1, 9, 30, 15, 123456),  # naive: UtcDateTime adds the zone
    "words": ["a", "b"],
    "numbers": [1, 2],
    "days": [date(2025, 1, 2)],
    "anything": {"x": [1, None]},
    "mapping": {"k": 1},
    "ratio": 1.5,
    "renamed": "shown",
    "origin": "read from another attribute",
    "formatted": datetime(2025, 4, 1, 9, 30),
}


@pytest.mark.parametrize(
    "values",
    [
        FULL,
        dict.fromkeys(FULL),
        {**FULL, "text": b"bytes \xc3\xa9", "number": True, "flag": 0, "words": (), "numbers": ["3"]},
        {**FULL, "stamp": datetime(2025, 6, 1, 12, 0, tzinfo=UTC), "moment": datetime(2025, 6, 1)},
    ],
)
def test_the_plan_gives_what_marshmallow_gives_field_by_field(values):
    obj = SimpleNamespace(**values)
    plain, compiled = Plain().dump(obj), Compiled().dump(obj)
    assert list(compiled.items()) == list(plain.items())  # same keys, same order, same values
    assert Compiled().dump([obj, obj], many=True) == Plain().dump([obj, obj], many=True)


def test_dicts_missing_attributes_and_unplannable_fields_take_marshmallows_own_path():
    assert Compiled().dump(dict(FULL)) == Plain().dump(dict(FULL))
    partial = SimpleNamespace(text="only this")  # the other attributes are missing: left out
    assert Compiled().dump(partial) == Plain().dump(partial) == {"text": "only this"}

    class WithMethod(CompiledDump):
        name = fields.String()
        shout = fields.Method("loud")

        def loud(self, obj):
            return obj.name.upper()

    assert WithMethod().dump(SimpleNamespace(name="ada")) == {"name": "ada", "shout": "ADA"}


def test_dump_hooks_still_run():
    class Hooked(CompiledDump):
        name = fields.String()

        @post_dump
        def tag(self, data, **kwargs):
            return {**data, "tagged": True}

    assert Hooked().dump(SimpleNamespace(name="x")) == {"name": "x", "tagged": True}


def every_kind_of_participant(db_session, org):
    with organisation_scope(org.id):
        household = Household(reference="H1")
        db_session.add(household)
        db_session.flush()
        people = [
            Participant(first_name="Plain", last_name="Person"),
            Participant(
                reference="P-2",
                first_name="Full",
                last_name="Détails",
                household_id=household.id,
                is_tenancy_holder=True,
                email="full@example.org",
                phone="01234 567890",
                preferred_level="involved",
                channels=["email", "phone"],
                formats=["large_print"],
                language="Welsh",
                access_needs=["step_free"],
                interests=["repairs", "gardens"],
                contact_consent=True,
                consent_given_on=date(2025, 5, 1),
                consent_method="written",
                representative_name="A Friend",
                representative_contact="friend@example.org",
            ),
            Participant(
                first_name="Erased",
                last_name="Person",
                erased_at=datetime(2025, 7, 1, 10, 0, tzinfo=UTC),
            ),
        ]
        db_session.add_all(people)
    db_session.commit()


def test_the_participants_list_is_byte_for_byte_what_marshmallow_gives(
    db_session, make_org, make_user, api_client, monkeypatch
):
    from core.schemas.people import ParticipantSchema

    plan = ParticipantSchema()._plan()
    assert plan and all(convert is not False for _key, convert, _field, _name in plan[1])  # all planned
    org = make_org()
    every_kind_of_participant(db_session, org)
    client = api_client(make_user(org, "org_admin"))
    paths = [
        f"/api/v1/orgs/{org.slug}/participants?per_page=50&include_erased=true",
        f"/api/v1/orgs/{org.slug}/participants?per_page=2&page=2&include_erased=true",
    ]
    with organisation_scope(org.id):
        first = db_session.query(Participant).order_by(Participant.id).first().id
    paths.append(f"/api/v1/orgs/{org.slug}/participants/{first + 1}")
    compiled = [client.get(path) for path in paths]
    assert all(response.status_code == 200 for response in compiled)
    assert compiled[0].get_json()["total"] == 3
    full = next(p for p in compiled[0].get_json()["items"] if p["first_name"] == "Full")
    assert full["channels"] == ["email", "phone"] and full["consent_given_on"] == "2025-05-01"
    monkeypatch.setattr(CompiledDump, "_plan", lambda self: ())  # marshmallow's own dump
    plain = [client.get(path) for path in paths]
    for ours, theirs in zip(compiled, plain, strict=True):
        assert ours.data == theirs.data
