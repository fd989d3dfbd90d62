"""The impact-assessment PDF is a board paper: printed by WeasyPrint from the page's own HTML, tagged
(PDF/UA-1) with every font embedded, a cover in the landlord's name, "Page N of M", UK dates, "no
target" where a KPI has none. Checked with poppler (pdfinfo, pdffonts, pdftotext); pdftoppm pictures
of every page are written to the test's folder, and to ``$INVOLVE_TEST_ARTEFACTS`` when it is set,
so a person can look at them. Without poppler-utils the tests skip, and fail under CI."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.test_impact_assessments import YEAR, a_year_of_records, url

POPPLER = ("pdfinfo", "pdffonts", "pdftotext", "pdftoppm")


@pytest.fixture
def poppler():
    """poppler-utils reads the PDFs back; missing, it skips the test here and fails it under CI."""
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if missing:
        message = f"poppler-utils is not installed (no {', '.join(missing)})"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI must provide it)", pytrace=False)
        pytest.skip(message)


UK_DATE = re.compile(
    r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|"
    r"November|December) \d{4}\b"
)


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


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=60).stdout  # noqa: S603


def inspect(pdf: bytes, folder: Path, name: str) -> dict:
    """Write the PDF, read it back with poppler, and draw every page as a PNG picture."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.pdf"
    path.write_bytes(pdf)
    info = dict(
        (key.strip(), value.strip())
        for key, _, value in (line.partition(":") for line in run("pdfinfo", str(path)).splitlines())
    )
    fonts = run("pdffonts", str(path)).splitlines()[2:]
    tags = {line.strip().split()[0].rstrip(":") for line in run("pdfinfo", "-struct", str(path)).splitlines()}
    pages = [
        run("pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-")
        for n in range(1, int(info["Pages"]) + 1)
    ]
    run("pdftoppm", "-png", "-r", "60", str(path), str(folder / name))
    wanted = os.environ.get("INVOLVE_TEST_ARTEFACTS")
    if wanted:
        keep = Path(wanted) / "assessment-pdf"
        keep.mkdir(parents=True, exist_ok=True)
        for produced in folder.glob(f"{name}*"):
            shutil.copy2(produced, keep / produced.name)
    return {
        "info": info,
        "tags": tags,
        "fonts": fonts,
        "pages": pages,
        "pictures": sorted(folder.glob(f"{name}-*.png")),
    }


def assert_board_paper(result: dict) -> None:
    info, pages = result["info"], result["pages"]
    assert info["Tagged"] == "yes"
    # The structure tree carries the HTML's meaning: headings, tables with header cells, lists, charts.
    assert {"Document", "H1", "H2", "H3", "Table", "TH", "TD", "L", "LI", "Figure"} <= result["tags"]
    assert int(info["Pages"]) >= 3 and len(result["pictures"]) == int(info["Pages"])
    assert info["Title"] == "Ashby Homes impact assessment 2025-26"
    assert result["fonts"], "the PDF names its fonts"
    for line in result["fonts"]:
        # pdffonts columns: name type encoding emb sub uni object ID; "emb" must be "yes".
        assert re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", line), line
        embedded = line.split()[-5]
        assert embedded == "yes", f"font not embedded: {line}"
    cover = pages[0]
    assert "Ashby Homes" in cover and "2025-26" in cover
    assert "1 April 2025 to 31 March 2026" in cover
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
    whole = "\n".join(pages)
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", whole), "dates read the UK way, never ISO"
    assert UK_DATE.search(whole)
    kpi_rows = [line for line in whole.splitlines() if re.search(r"\b(Yes|No|No target)\s*$", line)]
    assert kpi_rows and all("fewer than 5" not in line for line in kpi_rows)
    assert "no target" in whole


def test_rule_the_published_assessment_pdf_is_a_tagged_board_paper(admin, org, record, tmp_path, poppler):
    a_year_of_records(record)
    assert (
        admin.put(url(org, f"/{YEAR}/narratives/achieved"), json={"text": "A good year."}).status_code == 200
    )
    assert admin.post(url(org, f"/{YEAR}/publish")).status_code == 200
    response = admin.get(url(org, f"/{YEAR}.pdf"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    result = inspect(response.data, tmp_path, "published")
    assert_board_paper(result)
    assert "Published on" in result["pages"][0] and "DRAFT" not in result["pages"][0]
    assert "Evening repairs slots" in "\n".join(result["pages"])
    assert "1 September 2025" in "\n".join(result["pages"])  # the improvement's date, no longer ISO


def test_rule_a_draft_assessment_pdf_says_draft_on_every_page(admin, org, record, tmp_path, poppler):
    a_year_of_records(record)
    result = inspect(admin.get(url(org, f"/{YEAR}.pdf")).data, tmp_path, "draft")
    assert_board_paper(result)
    assert all("DRAFT" in text for text in result["pages"])
    assert "Published on" not in result["pages"][0]


def contrast(foreground: str, background: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_rule_table_text_in_the_pdf_has_at_least_4_5_to_1_contrast():
    """The fpdf2 copy printed black text on dark teal rows (about 2.9:1); every print rule that sets
    a text colour and a background must now reach WCAG AA for text."""
    from core.reports.pdf import STYLESHEET

    sheet = re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(), flags=re.S)
    rules = re.findall(r"([^{}]+)\{([^{}]*)\}", sheet)
    checked = 0
    for selector, body in rules:
        text = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", body)
        fill = re.search(r"background(?:-color)?:\s*(#[0-9a-fA-F]{6})", body)
        if text and fill:
            checked += 1
            assert contrast(text.group(1), fill.group(1)) >= 4.5, selector.strip()
    table_rules = [body for selector, body in rules if "govuk-table__cell" in selector]
    assert checked >= 2 and any("background" in body and "color" in body for body in table_rules)
    assert round(contrast("#0b0c0c", "#106165"), 1) < 4.5  # the old rows would fail this test
