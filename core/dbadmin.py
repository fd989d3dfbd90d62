"""SQL that only administration needs: privileges for the application role, RLS checks.

Allow-listed (with core/tenancy.py and migrations/) to use raw SQL.
"""

from __future__ import annotations

import re

_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grant_statements(role: str) -> list[str]:
    if not _ROLE.match(role):
        raise ValueError(f"DATABASE_APP_ROLE {role!r} is not a plain role name")
    return [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        f"REVOKE ALL ON TABLE alembic_version FROM {role}",
        f"GRANT SELECT ON TABLE alembic_version TO {role}",
    ]


def app_role_settings_statements(role: str, database: str) -> list[str]:
    """Settings for the application role's sessions in this database.

    ``jit = off``: the app's queries are short aggregates and lookups, for which compiling with
    LLVM costs 0.1-0.2 s and saves nothing. Scoped to the database (``IN DATABASE``) so other
    databases on the server that share the role keep their own settings.
    """
    if not _ROLE.match(role):
        raise ValueError(f"DATABASE_APP_ROLE {role!r} is not a plain role name")
    quoted = '"' + database.replace('"', '""') + '"'
    return [f"ALTER ROLE {role} IN DATABASE {quoted} SET jit = off"]


RLS_STATUS_SQL = """
SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind = 'r'
"""
