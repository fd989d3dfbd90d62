"""Core test configuration; the fixtures and the PostgreSQL-only skip ship in core/testing.py
(a pytest plugin, so plugin test runs get them too)."""
