"""An impact assessment's documents as downloads: the ``.pdf``, ``.csv`` and ``.xlsx`` suffixes of
its period, and the response carrying one.

The JSON API and the web pages both serve them (``/impact-assessments/2025-26.pdf`` and the page's
download links), so the suffix rules and file names are written once here.
"""

from __future__ import annotations

from flask import Response

from core.errors import NotFound, ValidationFailed
from core.reports import documents

FORMATS = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def split_format(period_text: str) -> tuple[str, str | None]:
    """``2025-26.pdf`` → (``2025-26``, ``pdf``); an unknown suffix is 404."""
    label, dot, suffix = period_text.partition(".")
    if not dot:
        return label, None
    if suffix not in FORMATS:
        raise NotFound(f"No {suffix!r} document; use .pdf, .csv or .xlsx.")
    return label, suffix


def download(document: dict, suffix: str, table_key: str | None = None, pdf: bytes | None = None) -> Response:
    """The document as a file; ``pdf``, when given, is the PDF already printed of ``document``."""
    filename = f"{document['organisation']['slug']}-impact-assessment-{document['period']}"
    if suffix == "pdf":
        body = pdf if pdf is not None else documents.to_pdf(document)
    elif suffix == "xlsx":
        body = documents.to_xlsx(document)
    else:
        if table_key is not None and table_key not in documents.table_keys(document):
            raise ValidationFailed({"table": [f"No table {table_key!r} in this assessment."]})
        body = documents.to_csv(document, table_key)
        if table_key:
            filename += f"-{table_key}"
    response = Response(body, mimetype=FORMATS[suffix].split(";")[0])
    if suffix == "csv":
        response.headers["Content-Type"] = FORMATS["csv"]
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.{suffix}"'
    return response
