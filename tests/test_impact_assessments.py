"""Impact assessments: sections assembled from the records, narrative, publishing that freezes the
figures, the documents (HTML, PDF, CSV, XLSX), small numbers suppressed, and isolation."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from core.models import Household, Improvement, Opportunity, Spend
from core.reports import content, suppress, table
from core.reports.documents import chart_bars, format_value, to_csv
from tests.test_kpis import Recorder

YEAR = "2025-26"


def url(org, rest=""):
    return f"/api/v1/orgs/{org.slug}/impact-assessments{rest}"


@pytest.fixture
def org(make_org):
    return make_org("ashby-homes", name="Ashby Homes")


@pytest.fixture
def admin(org, make_user, api_client):
    return api_client(make_user(org, "org_admin"))


@pytest.fixture
def record(db_session, org):
    return Recorder(db_session, org)


def a_year_of_records(record):
    """200 households, £1,234.56 spend, 2 improvements, 6 people at a consulted-level meeting."""
    for n in range(200):
        record.add(Household(reference=f"H{n}"))
    record.add(Spend(spent_on=date(2025, 5, 1), category="events", amount_pence=100000))
    record.add(Spend(spent_on=date(2026, 3, 31), category="expenses", amount_pence=23456))
    record.add(Spend(spent_on=date(2026, 4, 1), category="expenses", amount_pence=99999))  # next year
    record.add(Improvement(title="Evening repairs slots", implemented_on=date(2025, 9, 1), source="scrutiny"))
    record.add(
        Improvement(title="Clearer rent letters", implemented_on=date(2026, 1, 5), source="consultation")
    )
    consulted = record.add(Opportunity(name="Repairs panel", level="consulted"))
    meeting = record.activity(date(2025, 7, 1), opportunity=consulted)
    for n in range(6):
        record.attend(meeting, record.person(f"Person {n}"))


def section(document, key):
    return next(s for s in document["sections"] if s["key"] == key)


def table_of(document, section_key, table_key):
    return next(t for t in section(document, section_key)["content"]["tables"] if t["key"] == table_key)


def test_a_draft_is_assembled_from_the_records_with_hand_worked_figures(admin, org, record):
    a_year_of_records(record)
    document = admin.get(url(org, f"/{YEAR}")).get_json()
    assert document["status"] == "not_started" and document["period"] == YEAR
    assert [s["key"] for s in document["sections"]] == ["achieved", "involved", "cost", "outcomes", "kpis"]
    cost = {f["label"]: f["value"] for f in section(document, "cost")["content"]["figures"]}
    assert cost["Total involvement spend"] == 123456
    assert cost["Spend per household"] == 617  # KPIS.md's worked example
    assert cost["Spend per person involved"] == 20576  # 123456 / 6 = 20576
    by_category = table_of(document, "cost", "spend_by_category")
    assert by_category["rows"] == [["Events", 100000], ["Expenses", 23456]]
    achieved = {f["label"]: f["value"] for f in section(document, "achieved")["content"]["figures"]}
    assert achieved["Service improvements"] == 2
    assert table_of(document, "involved", "involved_by_level")["rows"] == [["Consulted", 6]]
    kpis = {row["code"]: row for row in section(document, "kpis")["content"]["kpis"]}
    assert kpis["spend_per_household"]["value"] == 617 and kpis["improvements"]["value"] == 2


def test_counts_of_fewer_than_five_people_are_suppressed(admin, org, record):
    consulted = record.add(Opportunity(name="Panel", level="consulted"))
    meeting = record.activity(date(2025, 7, 1), opportunity=consulted)
    for n in range(3):
        record.attend(meeting, record.person(f"P{n}"))
    document = admin.get(url(org, f"/{YEAR}")).get_json()
    involved = section(document, "involved")["content"]
    assert involved["figures"][0]["value"] is None
    assert table_of(document, "involved", "involved_by_level")["rows"] == [["Consulted", None]]
    assert "fewer than 5 people took part" in involved["summary"]
    page = admin.get(url(org, f"/{YEAR}"), headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "fewer than 5" in page


def test_suppress_keeps_zero_and_five_or_more():
    assert [suppress(n) for n in (None, 0, 1, 4, 5, 120)] == [None, 0, None, None, 5, 120]


def test_narrative_is_kept_per_section(admin, org):
    response = admin.put(url(org, f"/{YEAR}/narratives/achieved"), json={"text": "  A good year.\n\nMore.  "})
    assert response.status_code == 200 and response.get_json()["text"] == "A good year.\n\nMore."
    document = admin.get(url(org, f"/{YEAR}")).get_json()
    assert document["status"] == "draft"
    assert section(document, "achieved")["narrative"] == "A good year.\n\nMore."
    assert admin.get(url(org)).get_json()["items"][0]["status"] == "draft"


def test_narrative_for_an_unknown_section_is_422_naming_it(admin, org):
    response = admin.put(url(org, f"/{YEAR}/narratives/nonsense"), json={"text": "x"})
    assert response.status_code == 422 and "section_key" in response.get_json()["error"]["fields"]
    response = admin.put(url(org, f"/{YEAR}/narratives/achieved"), json={})
    assert response.status_code == 422 and "text" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("period", ["2025-26-Q1", "2025", "2025-27", "x"])
def test_an_assessment_covers_a_financial_year_only(admin, org, period):
    response = admin.get(url(org, f"/{period}"))
    assert response.status_code == 422 and "period" in response.get_json()["error"]["fields"]


def test_rule_publishing_freezes_the_assessment(admin, org, record):
    a_year_of_records(record)
    admin.put(url(org, f"/{YEAR}/narratives/cost"), json={"text": "Spend was modest."})
    published = admin.post(url(org, f"/{YEAR}/publish"))
    assert published.status_code == 200 and published.get_json()["status"] == "published"
    # A record corrected after publishing changes the draft figures, never the published copy.
    record.add(Improvement(title="Late entry", implemented_on=date(2025, 10, 1)))
    record.add(Spend(spent_on=date(2025, 10, 1), category="training", amount_pence=5000))
    document = admin.get(url(org, f"/{YEAR}")).get_json()
    assert document["status"] == "published" and document["published_at"]
    achieved = {f["label"]: f["value"] for f in section(document, "achieved")["content"]["figures"]}
    assert achieved["Service improvements"] == 2
    assert section(document, "cost")["narrative"] == "Spend was modest."
    again = admin.post(url(org, f"/{YEAR}/publish"))
    assert again.status_code == 409
    edit = admin.put(url(org, f"/{YEAR}/narratives/cost"), json={"text": "Changed"})
    assert edit.status_code == 409 and "cannot change" in edit.get_json()["error"]["message"]
    assert section(admin.get(url(org, f"/{YEAR}")).get_json(), "cost")["narrative"] == "Spend was modest."


def test_rule_a_year_is_published_only_after_it_ends(admin, org):
    current = f"{date.today().year}-{(date.today().year + 1) % 100:02d}"
    if date.today().month < 4:
        current = f"{date.today().year - 1}-{date.today().year % 100:02d}"
    response = admin.post(url(org, f"/{current}/publish"))
    assert response.status_code == 409 and "after it ends" in response.get_json()["error"]["message"]


def test_only_org_admins_publish_and_viewers_cannot_write(org, make_user, api_client):
    staff = api_client(make_user(org, "staff"))
    viewer = api_client(make_user(org, "viewer"))
    assert staff.post(url(org, f"/{YEAR}/publish")).status_code == 403
    assert viewer.put(url(org, f"/{YEAR}/narratives/achieved"), json={"text": "x"}).status_code == 403
    assert staff.put(url(org, f"/{YEAR}/narratives/achieved"), json={"text": "x"}).status_code == 200
    assert viewer.get(url(org, f"/{YEAR}")).status_code == 200


def test_documents_pdf_csv_xlsx_and_html(admin, org, record):
    a_year_of_records(record)
    pdf = admin.get(url(org, f"/{YEAR}.pdf"))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert "ashby-homes-impact-assessment-2025-26.pdf" in pdf.headers["Content-Disposition"]
    text = admin.get(url(org, f"/{YEAR}.csv")).get_data(as_text=True)
    assert "Cost and value for money: Involvement spend by category" in text
    one = admin.get(url(org, f"/{YEAR}.csv?table=spend_by_category")).get_data(as_text=True)
    assert list(csv.reader(io.StringIO(one))) == [
        ["Category", "Spend"],
        ["Events", "100000"],
        ["Expenses", "23456"],
    ]
    assert admin.get(url(org, f"/{YEAR}.csv?table=nope")).status_code == 422
    workbook = load_workbook(io.BytesIO(admin.get(url(org, f"/{YEAR}.xlsx")).data))
    assert workbook.sheetnames[0] == "Contents"
    spend_sheet = next(workbook[n] for n in workbook.sheetnames if "spend by category" in n.lower())
    assert [c.value for c in spend_sheet[4]] == ["Events", 1000.0]
    assert admin.get(url(org, f"/{YEAR}.doc")).status_code == 404
    page = admin.get(url(org, f"/{YEAR}"), headers={"Accept": "text/html"})
    html = page.get_data(as_text=True)
    assert page.mimetype == "text/html" and "<h1" in html and "Ashby Homes impact assessment 2025-26" in html
    assert '<svg role="img"' in html and "<caption" in html and "£1,234.56" in html


def test_chart_bars_scale_to_the_largest_and_keep_text():
    data = table(
        "t",
        "T",
        ["Label", "N"],
        [["a", 50], ["b", 100], ["c", None]],
        summary="s",
        chart={"kind": "bar", "label": 0, "value": 1, "unit": "count"},
    )
    assert [(b["width"], b["text"]) for b in chart_bars(data)] == [
        (50.0, "50"),
        (100.0, "100"),
        (0, "fewer than 5"),
    ]
    assert format_value(61728, "pence") == "£617.28" and format_value(77.8, "percent") == "77.8%"


def test_csv_cells_that_look_like_formulas_are_defused():
    document = {
        "sections": [
            {
                "title": "S",
                "content": content("x", tables=[table("t", "T", ["A"], [["=HYPERLINK(1)"]], summary="s")]),
            }
        ]
    }
    assert "'=HYPERLINK(1)" in to_csv(document, "t")


def test_plugin_sections_appear_only_for_organisations_enabling_the_plugin(make_org, make_user, api_client):
    on = make_org(plugins=["example"])
    off = make_org()
    keys_on = [
        s["key"] for s in api_client(make_user(on, "staff")).get(url(on, f"/{YEAR}")).get_json()["sections"]
    ]
    keys_off = [
        s["key"] for s in api_client(make_user(off, "staff")).get(url(off, f"/{YEAR}")).get_json()["sections"]
    ]
    assert "example_notes" in keys_on and "example_notes" not in keys_off
    assert keys_on.index("example_notes") < keys_on.index("kpis")


def test_another_organisations_assessment_is_404(admin, org, make_org, make_user, api_client):
    other = make_org("bourne-housing")
    other_admin = api_client(make_user(other, "org_admin"))
    other_admin.put(url(other, f"/{YEAR}/narratives/achieved"), json={"text": "Bourne secret narrative"})
    other_admin.post(url(other, f"/{YEAR}/publish"))
    for path in (f"/{YEAR}", f"/{YEAR}.pdf", f"/{YEAR}.csv", ""):
        response = admin.get(url(other, path))
        assert response.status_code == 404
        assert "Bourne secret" not in response.get_data(as_text=True)
    mine = admin.get(url(org, f"/{YEAR}")).get_json()
    assert section(mine, "achieved")["narrative"] == ""
    assert admin.get(url(org)).get_json()["items"] == []


def test_web_page_lets_staff_write_and_admins_publish(org, make_user, client, login_as, record):
    from core.testing import csrf_token_from

    a_year_of_records(record)
    login_as(make_user(org, "org_admin"))
    page = client.get(f"/o/{org.slug}/impact-assessments/{YEAR}")
    html = page.get_data(as_text=True)
    assert (
        page.status_code == 200
        and "Narrative for What was achieved" in html
        and "Publish the assessment" in html
    )
    token = csrf_token_from(html)
    saved = client.post(
        f"/o/{org.slug}/impact-assessments/{YEAR}/narratives/achieved",
        data={"csrf_token": token, "text": "Residents shaped the repairs service."},
    )
    assert saved.status_code == 303
    unconfirmed = client.post(f"/o/{org.slug}/impact-assessments/{YEAR}/publish", data={"csrf_token": token})
    assert unconfirmed.status_code == 303
    assert "Tick the box" in client.get(f"/o/{org.slug}/impact-assessments/{YEAR}").get_data(as_text=True)
    client.post(
        f"/o/{org.slug}/impact-assessments/{YEAR}/publish", data={"csrf_token": token, "confirm": "yes"}
    )
    html = client.get(f"/o/{org.slug}/impact-assessments/{YEAR}").get_data(as_text=True)
    assert "Published" in html and "Residents shaped the repairs service." in html
    assert "Save narrative" not in html
    listing = client.get(f"/o/{org.slug}/impact-assessments").get_data(as_text=True)
    assert YEAR in listing and "Published" in listing
    assert client.get(f"/o/{org.slug}/impact-assessments/{YEAR}.xlsx").status_code == 200
