"""Published reports on the residents' site: a published impact assessment's page (residents'
summary first, full figures, small numbers suppressed as on the staff page) and its PDF; drafts
never shown; KPIs against the landlord's targets; the ``[public]`` table of tenants_config."""

import re
from datetime import date

import pytest

from core.kpis.service import take_snapshots
from core.models import Organisation
from core.periods import Period
from core.services.orgsync import sync
from core.tenancy import organisation_scope
from tests.test_impact_assessments import a_year_of_records
from tests.test_kpis import Recorder

YEAR = "2025-26"


@pytest.fixture
def org(make_org):
    return make_org("ashby-homes", name="Ashby Homes")


@pytest.fixture
def admin(org, make_user, api_client):
    return api_client(make_user(org, "org_admin"))


def test_a_draft_assessment_is_never_public(client, org, admin):
    narrative = f"/api/v1/orgs/{org.slug}/impact-assessments/{YEAR}/narratives/achieved"
    admin.put(narrative, json={"text": "Draft"})
    assert client.get(f"/p/{org.slug}/reports/{YEAR}").status_code == 404
    assert client.get(f"/p/{org.slug}/reports/{YEAR}.pdf").status_code == 404
    assert YEAR not in client.get(f"/p/{org.slug}/reports").get_data(as_text=True)


def test_a_published_assessment_has_a_public_page_and_pdf(client, org, admin, db_session):
    a_year_of_records(Recorder(db_session, org))
    assert admin.post(f"/api/v1/orgs/{org.slug}/impact-assessments/{YEAR}/publish").status_code == 200
    listed = client.get(f"/p/{org.slug}/reports").get_data(as_text=True)
    assert f"/p/{org.slug}/reports/{YEAR}" in listed
    page = client.get(f"/p/{org.slug}/reports/{YEAR}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.index("Summary for residents") < html.index("The full figures")
    assert "£1,234.56" in html and "Clearer rent letters" in html
    pdf = client.get(f"/p/{org.slug}/reports/{YEAR}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert client.get(f"/p/{org.slug}/reports/{YEAR}.xlsx").status_code == 404
    assert client.get(f"/p/{org.slug}/reports/not-a-year").status_code == 404


def test_small_numbers_are_suppressed_on_the_public_page_as_on_the_staff_page(
    client, org, admin, db_session, login_as, make_user
):
    record = Recorder(db_session, org)
    meeting = record.activity(date(2025, 7, 1))
    for n in range(3):  # three people: fewer than five, never shown as a number
        record.attend(meeting, record.person(f"Hidden{n}"))
    assert admin.post(f"/api/v1/orgs/{org.slug}/impact-assessments/{YEAR}/publish").status_code == 200
    public_html = client.get(f"/p/{org.slug}/reports/{YEAR}").get_data(as_text=True)
    login_as(make_user(org, "staff"))
    staff_html = client.get(f"/o/{org.slug}/impact-assessments/{YEAR}").get_data(as_text=True)
    hidden_cells = re.compile(r"<t[dh][^>]*>fewer than 5</t[dh]>")
    assert len(hidden_cells.findall(staff_html)) >= 1
    assert hidden_cells.findall(public_html) == hidden_cells.findall(staff_html)
    assert "Hidden0" not in public_html


def test_kpis_against_targets_come_from_stored_figures(client, make_org, db_session):
    org = make_org("target-homes", settings={"kpi_targets": {"feedback_on_time": 90}})
    year = Period.financial_year_of(date.today()).previous()
    with organisation_scope(org.id):
        take_snapshots(org, [year])
        db_session.commit()
    html = client.get("/p/target-homes/how-we-are-doing").get_data(as_text=True)
    assert f"Results against targets, {year.label}" in html
    assert "90" in html


def test_without_targets_the_page_says_so(client, org):
    html = client.get(f"/p/{org.slug}/how-we-are-doing").get_data(as_text=True)
    assert "There are no results against targets" in html


# -- [public] in tenants_config ------------------------------------------------------------------


def test_public_settings_are_synced_into_the_organisation(tmp_path, app, db_session):
    (tmp_path / "acme.toml").write_text(
        'slug = "acme"\nname = "Acme Homes"\n[public]\ndisplay_name = "Acme"\nbrand_colour = "#1d70b8"\n'
        'contact_phone = "0100 000 000"\ncontact_address = ["1 High Street", "Acme"]\n'
    )
    report = sync(tmp_path, app.extensions["involve"].plugins)
    assert report.errors == []
    acme = db_session.query(Organisation).filter_by(slug="acme").one()
    assert acme.settings["public"]["brand_colour"] == "#1d70b8"
    assert acme.settings["public"]["contact_address"] == ["1 High Street", "Acme"]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('brand_colour = "blue"', "public.brand_colour"),
        ('logo = "../../etc/passwd.png"', "public.logo"),
        ('contact_email = "not an email"', "public.contact_email"),
        ('colour = "#000000"', "public.colour"),
    ],
)
def test_bad_public_settings_are_named(tmp_path, app, db_session, text, key):
    path = tmp_path / "acme.toml"
    path.write_text(f'slug = "acme"\nname = "Acme Homes"\n[public]\n{text}\n')
    report = sync(tmp_path, app.extensions["involve"].plugins)
    assert any(e.startswith(f"{path}: {key}:") for e in report.errors), report.errors
