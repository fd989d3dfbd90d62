"""WSGI entry point: ``flask --app wsgi …`` and ``gunicorn wsgi:app``."""

from core.app import create_app

app = create_app()
