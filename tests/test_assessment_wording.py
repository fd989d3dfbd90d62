"""What the impact assessment says in words, on the page, in the PDF and the spreadsheet: a tie never
reads as a winner, dates read "5 December 2026", a KPI with no target says "no target" (never the
"fewer than 5" of a suppressed count)."""

import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from core.models import Improvement, Spend
from core.reports import leader_summary, table
from core.reports.documents import format_cell, format_value, numeric_column, uk_date
from tests.test_impact_assessments import YEAR, section, table_of, url


@pytest.fixture
def org(make_org):
    return make_org("ashby-homes", name="Ashby Homes")


@pytest.fixture
def admin(org, make_user, api_client):
    return api_client(make_user(org, "org_admin"))


@pytest.fixture
def record(db_session, org):
    from tests.test_kpis import Recorder

    return Recorder(db_session, org)


def page_of(admin, org):
    return admin.get(url(org, f"/{YEAR}"), headers={"Accept": "text/html"}).get_data(as_text=True)


# -- a tie never claims a winner ------------------------------------------------------------------


def test_rule_a_tie_names_every_leader_and_claims_no_winner():
    one = "Most improvements came from {label}."
    tie = "{labels} contributed equally ({value} each)."
    assert leader_summary([("consultation", 2), ("scrutiny", 1)], one=one, tie=tie) == (
        "Most improvements came from consultation."
    )
    assert leader_summary([("consultation", 1), ("scrutiny", 1)], one=one, tie=tie) == (
        "Consultation and scrutiny contributed equally (1 each)."
    )
    assert leader_summary([("a", 3), ("b", 3), ("c", 3), ("d", 1)], one=one, tie=tie) == (
        "A, b and c contributed equally (3 each)."
    )
    assert leader_summary([("a", None), ("b", 0)], one=one, tie=tie) is None
    pounds = leader_summary(
        [("events", 5000), ("expenses", 5000)], one=one, tie="{labels}: {value}", unit="pence"
    )
    assert pounds == "Events and expenses: £50.00"


def test_rule_improvements_tied_one_each_read_as_equal_not_most(admin, org, record):
    record.add(Improvement(title="Evening repairs slots", implemented_on=date(2025, 9, 1), source="scrutiny"))
    record.add(
        Improvement(title="Clearer rent letters", implemented_on=date(2026, 1, 5), source="consultation")
    )
    record.add(Spend(spent_on=date(2025, 5, 1), category="events", amount_pence=5000))
    record.add(Spend(spent_on=date(2025, 6, 1), category="training", amount_pence=5000))
    document = admin.get(url(org, f"/{YEAR}")).get_json()
    by_source = table_of(document, "achieved", "improvements_by_source")
    assert by_source["summary"] == "Consultation and scrutiny contributed equally (1 each)."
    spend = table_of(document, "cost", "spend_by_category")
    assert spend["summary"] == "Events and training had equal shares (£50.00 each)."
    assert "Most improvements came from" not in page_of(admin, org)


def test_rule_a_clear_leader_is_still_named(admin, org, record):
    for day in (date(2025, 9, 1), date(2025, 10, 1)):
        record.add(Improvement(title="Fix", implemented_on=day, source="scrutiny"))
    record.add(Improvement(title="Letters", implemented_on=date(2026, 1, 5), source="consultation"))
    document = admin.get(url(org, f"/{YEAR}")).get_json()
    assert table_of(document, "achieved", "improvements_by_source")["summary"] == (
        "Most improvements came from scrutiny."
    )


# -- UK dates ----------------------------------------------------------------------------------------


def test_rule_dates_read_the_uk_way():
    assert uk_date("2026-12-05") == "5 December 2026"
    assert uk_date(date(2025, 4, 1)) == "1 April 2025"
    # Published at 23:30 UTC on 30 June is 1 July in London (summer time).
    assert uk_date("2025-06-30T23:30:00+00:00") == "1 July 2025"
    assert uk_date(datetime(2025, 6, 30, 23, 30)) == "1 July 2025"  # stored UTC, no zone
    assert uk_date(datetime(2025, 12, 31, 23, 30, tzinfo=UTC)) == "31 December 2025"
    assert uk_date("not a date") == "not a date"
    assert format_value("2025-09-01", "date") == "1 September 2025"


def test_rule_the_page_shows_uk_dates_never_iso(admin, org, record):
    record.add(Improvement(title="Evening repairs slots", implemented_on=date(2025, 9, 1), source="scrutiny"))
    admin.post(url(org, f"/{YEAR}/publish"))
    page = page_of(admin, org)
    assert "1 April 2025 to 31 March 2026" in page and "1 September 2025" in page
    assert "2025-09-01" not in page and "2025-04-01" not in page
    published = admin.get(url(org, f"/{YEAR}")).get_json()["published_at"]
    assert f"Published</strong> on {uk_date(published)}" in page
    # The JSON keeps ISO dates for machines.
    improvements = table_of(admin.get(url(org, f"/{YEAR}")).get_json(), "achieved", "improvements")
    assert improvements["rows"][0][1] == "2025-09-01"


# -- "no target" ------------------------------------------------------------------------------------


def kpi_cells(document, title):
    kpis = table_of(document, "kpis", "kpis")
    index = next(i for i, row in enumerate(kpis["rows"]) if row[0] == title)
    return kpis, index


def test_rule_a_kpi_with_no_target_says_no_target_not_fewer_than_5(admin, org):
    document = admin.get(url(org, f"/{YEAR}")).get_json()
    kpis, index = kpi_cells(document, "People involved")
    assert kpis["rows"][index][2] is None  # the JSON keeps the null
    assert format_cell(kpis, index, 2) == "no target"
    page = page_of(admin, org)
    assert "no target" in page
    workbook = load_workbook(io.BytesIO(admin.get(url(org, f"/{YEAR}.xlsx")).data))
    sheet = next(workbook[n] for n in workbook.sheetnames if "kpis against" in n.lower())
    targets = [row[2].value for row in sheet.iter_rows(min_row=4)]
    assert targets and "fewer than 5" not in targets and "no target" in targets


def test_rule_a_percent_kpi_with_no_answers_is_not_available_not_a_small_count(admin, org):
    document = admin.get(url(org, f"/{YEAR}")).get_json()
    kpis, index = kpi_cells(document, "Consultation feedback published on time")
    assert kpis["rows"][index][1] is None
    assert format_cell(kpis, index, 1) == "not available"


def test_rule_a_copy_published_before_tables_named_their_blanks_still_says_no_target():
    frozen = table(
        "kpis",
        "KPIs",
        ["KPI", "This year", "Target", "Previous year", "Target met"],
        [["People involved", 6, None, None, "No target"]],
        summary="s",
        row_units=["count"],
    )
    frozen.pop("missing", None)
    assert [format_cell(frozen, 0, i) for i in range(5)] == [
        "People involved",
        "6",
        "no target",
        "not available",
        "No target",
    ]


def test_text_and_date_columns_are_not_aligned_as_figures():
    listed = table(
        "t",
        "T",
        ["Improvement", "Implemented on", "Source"],
        [["A", "2025-09-01", "Scrutiny"]],
        summary="s",
        units=["text", "date", "text"],
    )
    counted = table("c", "C", ["Source", "Improvements"], [["Scrutiny", 1], ["Other", None]], summary="s")
    worded = table("w", "W", ["Consultation", "You said"], [["Bins", "More collections"]], summary="s")
    assert [numeric_column(listed, i) for i in range(3)] == [False, False, False]
    assert numeric_column(counted, 1) and not numeric_column(worded, 1)


def test_the_draft_page_has_one_status_line_naming_the_day_it_was_worked_out(admin, org):
    page = page_of(admin, org)
    assert page.count("govuk-tag--yellow") == 1 and "as they stood on" in page
    assert section(admin.get(url(org, f"/{YEAR}")).get_json(), "kpis")["content"]["summary"] == (
        "No KPI had a target set for 2025-26."
    )


def test_rule_partners_tied_for_first_share_it_in_the_comparison_summary():
    from core.services.comparison import comparison_tables

    def partner(name, value, rank):
        cell = {"value": value, "rank": rank, "met": None, "suppressed": False, "target": None}
        return {"name": name, "kpis": {"improvements": cell}}

    result = {
        "kpis": [
            {"code": "improvements", "unit": "count", "title": "Improvements", "higher_is_better": True}
        ],
        "partners": [partner("Ash", 4, 1), partner("Birch", 4, 1), partner("Cedar", 2, 3)],
        "medians": {"improvements": 4},
        "small_number_threshold": 5,
    }
    summary = comparison_tables(result)[0]["summary"]
    assert summary.startswith("Ash and Birch share first place;") and "ranks first" not in summary
    result["partners"][1] = partner("Birch", 3, 2)
    assert comparison_tables(result)[0]["summary"].startswith("Ash ranks first;")
