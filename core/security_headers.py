"""Security headers on every response, and a per-request nonce for the few inline scripts.

* ``Content-Security-Policy``: everything from this origin only; scripts and ``<style>`` blocks
  need the request's nonce (templates read it with ``csp_nonce()``); nothing may frame a page
  (``frame-ancestors 'none'``); forms post only to this origin; no plugins (``object-src``).
* ``X-Frame-Options: DENY`` for browsers that predate ``frame-ancestors``.
* ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: strict-origin-when-cross-origin``
  (another site never sees a path with a slug or an id in it), ``Cross-Origin-Opener-Policy``.
* ``Strict-Transport-Security`` when ``ENV`` is ``production`` (served behind TLS there).

A response that already carries a header keeps it, so a view with a narrower need (an iCalendar
feed, a download) can set its own.
"""

from __future__ import annotations

import secrets

from flask import Flask, g

HSTS_SECONDS = 63072000  # two years


def csp_nonce() -> str:
    """This request's nonce (made on first use, the same for every call in the request)."""
    nonce = g.get("_csp_nonce")
    if nonce is None:
        nonce = g._csp_nonce = secrets.token_urlsafe(18)
    return nonce


def content_security_policy(nonce: str) -> str:
    directives = [
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        f"style-src 'self' 'nonce-{nonce}'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    return "; ".join(directives)


def install_security_headers(app: Flask) -> None:
    production = app.config["INVOLVE"]["ENV"] == "production"
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if production:
            headers.setdefault("Strict-Transport-Security", f"max-age={HSTS_SECONDS}; includeSubDomains")
        return response
