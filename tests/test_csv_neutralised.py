"""No CSV the product serves carries a live spreadsheet formula (OWASP "CSV injection").

The test walks the URL map: every GET route of an organisation (core and plugins, API, staff pages
and public pages) is called for a landlord and for its group, after one record of every kind has
been seeded with text that starts like a formula. Every response that is CSV must show each cell
neutralised, and must show the seeded text (so the seed reached it). A route whose path names a
CSV file must answer with one. A new CSV route is therefore covered with no change here; if its
formula-looking text comes from a record the samples do not hold, the test fails until it does.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest

from core.plugin_kit import FORMULA_STARTS, csv_text, spreadsheet_safe
from core.tenancy import organisation_scope
from tests import samples

FORMULA = '=HYPERLINK("http://evil.example","x")'
NUMBER = re.compile(r"^-?\d+(\.\d+)?%?$")
# Query strings a route needs before it can answer (the period, the scheme year).
# Unknown query parameters are refused (422), so each route gets the first of these it accepts.
QUERIES = ("period=2025-26&scheme_year=2024-25", "scheme_year=2024-25", "period=2025-26", "")


def dangerous(cell: str) -> bool:
    return cell.startswith(FORMULA_STARTS) and not NUMBER.match(cell)


def test_spreadsheet_safe_neutralises_each_formula_start():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert spreadsheet_safe(f"{start}SUM(A1:A9)") == f"'{start}SUM(A1:A9)"
    assert spreadsheet_safe("Ash Grove") == "Ash Grove"
    assert spreadsheet_safe(-12) == -12 and spreadsheet_safe(None) is None
    rows = list(csv.reader(io.StringIO(csv_text(["name"], [["=1+2"], [None], ["@SUM(1)"]]))))
    assert rows == [["name"], ["'=1+2"], [""], ["'@SUM(1)"]]


def test_only_the_plugin_kit_writes_csv():
    """CSV goes through ``core.plugin_kit`` (one escaping rule); a ``csv.writer`` elsewhere would
    bypass it."""
    root = Path(__file__).resolve().parent.parent
    offenders = [
        str(path.relative_to(root))
        for folder in ("core", "plugins")
        for path in (root / folder).rglob("*.py")
        if "tests" not in path.parts and path.name != "plugin_kit.py" and "csv.writer(" in path.read_text()
    ]
    assert offenders == []


def test_plugins_build_no_csv_or_calendar_response_themselves():
    """A plugin serves CSV through ``plugin_kit.csv_response`` and iCalendar through
    ``plugin_kit.calendar_response``: no ``Response(...)`` of its own, which could carry unescaped
    text or a host-named UID past the kit."""
    import ast

    root = Path(__file__).resolve().parent.parent / "plugins"
    offenders = [
        f"{path.relative_to(root)}:{node.lineno}"
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", None)) == "Response"
    ]
    assert offenders == []


@pytest.fixture
def world(app, make_org, make_user, db_session, monkeypatch):
    for module in samples.sample_modules(app):
        monkeypatch.setattr(module, "SECRET", FORMULA, raising=False)
    plugins = {name: {} for name in app.extensions["involve"].plugins.names() if name != "example"}
    group = make_org("csv-group", name=f"{FORMULA} group", kind="group", plugins=plugins)
    landlord = make_org("csv-homes", name=f"{FORMULA} homes", parent=group, plugins=plugins)
    values = {}
    for organisation in (group, landlord):
        values[organisation.slug] = samples.collect(db_session, organisation)
        with organisation_scope(organisation.id):
            _voucher(db_session)
    db_session.commit()
    user = make_user(memberships={group: "org_admin", landlord: "org_admin"})
    return {"orgs": (group, landlord), "values": values, "user": user}


def _voucher(db_session):
    """The samples convert points to a donation; a voucher conversion names a retailer too."""
    from core.models import Participant
    from plugins.reward_points.models import RewardConversion, RewardMember

    person = Participant(first_name="Voucher", last_name="Holder")
    db_session.add(person)
    db_session.flush()
    member = RewardMember(participant_id=person.id, joined_on=date(2024, 4, 1))
    member.reward_choice, member.retailer = "shopping_voucher", FORMULA
    db_session.add(member)
    db_session.flush()
    db_session.add(
        RewardConversion(
            member_id=member.id,
            scheme_year=2024,
            points=50,
            pence_per_point="10",
            value_pence=500,
            reward_choice="shopping_voucher",
            retailer=FORMULA,
            converted_on=date(2025, 4, 7),
        )
    )
    db_session.flush()


def _paths(app, slug: str, values: dict):
    fixed = {"name": "example", "section_key": "achieved", "fmt": "csv", **values}
    for rule in app.url_map.iter_rules():
        if "<slug>" not in rule.rule or "GET" not in rule.methods:
            continue
        names = re.findall(r"<(?:\w+:)?(\w+)>", rule.rule)
        periods = ["2025-26", "2025-26.csv"] if "period" in names else [None]
        for period in periods:
            path = rule.rule.replace("<slug>", slug)
            filled = True
            for name in names:
                if name == "slug":
                    continue
                value = period if name == "period" else fixed.get(name)
                if value is None:
                    filled = False
                    break
                path = re.sub(rf"<(?:\w+:)?{name}>", str(value), path)
            yield rule, path, filled


def test_every_csv_the_product_serves_neutralises_formulas(app, world, client, login_as, api_client):
    api = api_client(world["user"])
    login_as(world["user"])
    reached: dict[str, bool] = {}
    for organisation in world["orgs"]:
        for rule, path, filled in _paths(app, organisation.slug, world["values"][organisation.slug]):
            names_a_csv = ".csv" in rule.rule or path.endswith(".csv")
            if not filled:
                assert not names_a_csv, f"{rule.rule}: add a sample for its parameters"
                continue
            caller = api if path.startswith("/api/") else client
            for query in QUERIES:
                response = caller.get(f"{path}?{query}" if query else path)
                if response.status_code != 422:
                    break
            if response.mimetype != "text/csv":
                continue
            assert response.status_code == 200, path
            text = response.get_data(as_text=True)
            cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
            assert not [c for c in cells if dangerous(c)], (path, [c for c in cells if dangerous(c)])
            reached[rule.rule] = reached.get(rule.rule, False) or any(
                c.startswith("'" + FORMULA) for c in cells
            )
    assert [rule for rule, seen in reached.items() if not seen] == [], "seed a formula where these show it"
    served = set(reached)
    # A route naming a CSV file must have answered with one for the landlord or the group.
    assert {r.rule for r in app.url_map.iter_rules() if ".csv" in r.rule} <= served
    assert {
        "/o/<slug>/impact-assessments/<period>.<fmt>",
        "/api/v1/orgs/<slug>/impact-assessments/<period>",
    } <= served
    assert len(served) >= 6
