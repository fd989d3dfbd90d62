"""Server-rendered pages for staff and residents under ``/`` and ``/o/<slug>/``."""
