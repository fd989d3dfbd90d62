"""Easy-read versions a landlord supplies: a link to its own document and a short description.

A consultation and an impact assessment may each point at one. The residents' site shows it as an
"Easy read version" link (with the description, e.g. "PDF, 8 pages"). Only ``http`` and ``https``
addresses with a host are kept, so a link can never run script or open a local file; both fields
are length-limited. The API and the staff pages go through :func:`check`, so they refuse the same
input in the same words.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from core.errors import ValidationFailed

URL_LIMIT = 500
DESCRIPTION_LIMIT = 100
SCHEMES = ("http", "https")
URL_FIELD = "easy_read_url"
DESCRIPTION_FIELD = "easy_read_description"


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def check_url(value: Any) -> str | None:
    """The address, trimmed (None when empty), or ValidationFailed naming ``easy_read_url``."""
    if value is None or not str(value).strip():
        return None
    url = str(value).strip()
    problem = None
    if len(url) > URL_LIMIT:
        problem = f"The link must be {URL_LIMIT} characters or fewer."
    elif any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        problem = "The link cannot contain spaces or control characters."
    else:
        try:
            parts = urlsplit(url)
            host = parts.hostname
        except ValueError:
            parts, host = None, None
        if parts is None or parts.scheme.lower() not in SCHEMES or not host:
            problem = (
                "Enter a full web address starting with https:// or http://, "
                "for example https://www.example.org/easy-read.pdf"
            )
    if problem:
        raise ValidationFailed({URL_FIELD: [problem]})
    return url


def check(values: dict[str, Any], current_url: str | None = None) -> dict[str, Any]:
    """Validate the easy-read fields present in ``values`` (a create or a change) and return them
    cleaned. A description needs a link (the one given now, or the one already stored); removing
    the link removes the description too."""
    cleaned: dict[str, Any] = {}
    if URL_FIELD in values:
        cleaned[URL_FIELD] = check_url(values[URL_FIELD])
    url = cleaned.get(URL_FIELD, current_url)
    if DESCRIPTION_FIELD in values:
        description = _clean(values[DESCRIPTION_FIELD])
        if description is not None and len(description) > DESCRIPTION_LIMIT:
            raise ValidationFailed(
                {DESCRIPTION_FIELD: [f"The description must be {DESCRIPTION_LIMIT} characters or fewer."]}
            )
        if description is not None and url is None:
            raise ValidationFailed(
                {URL_FIELD: ["Enter the link to the easy read version, or leave the description empty."]}
            )
        cleaned[DESCRIPTION_FIELD] = description
    if URL_FIELD in cleaned and cleaned[URL_FIELD] is None:
        cleaned[DESCRIPTION_FIELD] = None
    return cleaned
