"""Readable by everyone: the language and text size residents choose, and Flask-Babel.

Every resident-facing string is marked for translation (``_()`` in templates, ``gettext`` in code).
English is the source language; ``SUPPORTED_LOCALES`` lists the catalogues shipped in
``core/translations`` (Welsh covers every marked string of the residents' site; what landlords and
staff write stays as written — ``docs/residents-site.md`` says exactly what). A resident picks a
language or larger text with ordinary links (``?lang=cy``, ``?text=large``) that work without
JavaScript; the choice is kept in the session for the rest of their visit. Staff pages are always
English.
"""

from __future__ import annotations

from flask import Flask, g, request, session, url_for
from flask_babel import Babel

SUPPORTED_LOCALES = {"en": "English", "cy": "Cymraeg"}
HTML_LANG = {"en": "en-GB", "cy": "cy"}
TEXT_SIZES = ("standard", "large")


def current_locale() -> str:
    if not g.get("public_page"):
        return "en"
    chosen = session.get("locale")
    return chosen if chosen in SUPPORTED_LOCALES else "en"


def large_text() -> bool:
    return bool(g.get("public_page")) and session.get("text_size") == "large"


def switch_url(**changes: str) -> str:
    """This page's address with ``changes`` to its query (a language or text-size link)."""
    args = {**(request.view_args or {}), **request.args.to_dict(), **changes}
    return url_for(request.endpoint, **args)


def reading_context() -> dict:
    locale = current_locale()
    return {
        "locale": locale,
        "html_lang": HTML_LANG[locale],
        "other_locales": [(code, name) for code, name in SUPPORTED_LOCALES.items() if code != locale],
        "large_text": large_text(),
        "switch_url": switch_url,
    }


def install_reading(app: Flask) -> None:
    # Dates and times are shown in the UK's time (the records keep UTC), in the resident's language.
    Babel(
        app,
        locale_selector=current_locale,
        default_timezone="Europe/London",
        default_translation_directories="translations",
    )

    @app.before_request
    def _remember_choices():
        if not g.get("public_page"):
            return
        lang = request.args.get("lang")
        if lang in SUPPORTED_LOCALES:
            session["locale"] = lang
        size = request.args.get("text")
        if size in TEXT_SIZES:
            session["text_size"] = size
