"""The impact assessment as a PDF board paper, printed from the same HTML as the page.

The document is rendered with ``reports/assessment_print.html`` (a cover in the landlord's name, then
the sections the page shows, through the same macros) and printed by WeasyPrint with the paged-media
sheet ``core/static/print/assessment.css``: page numbers "Page N of M", a contents list with page
numbers, dark text on light table rows. The PDF is PDF/UA-1, so it is tagged (headings, tables,
lists and their reading order come from the HTML) and every font it uses is embedded.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import render_template

STATIC = Path(__file__).resolve().parent.parent / "static"
STYLESHEET = STATIC / "print" / "assessment.css"
TEMPLATE = "reports/assessment_print.html"
# WeasyPrint reports each layout step at INFO; one PDF would add a dozen lines to the app's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def assessment_html(document: dict[str, Any]) -> str:
    """The HTML the PDF is printed from (kept separate so tests and previews can read it)."""
    return render_template(TEMPLATE, document=document)


def assessment_pdf(document: dict[str, Any]) -> bytes:
    """A tagged PDF/UA-1 document of the assessment, fonts embedded."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()  # per document: it holds the @font-face files this sheet loads
    stylesheet = CSS(filename=str(STYLESHEET), font_config=fonts)
    page = HTML(string=assessment_html(document), base_url=str(STATIC))
    return page.write_pdf(
        stylesheets=[stylesheet],
        font_config=fonts,
        pdf_variant="pdf/ua-1",
        pdf_tags=True,
        custom_metadata=True,
    )
