"""Raw SQL (``text()``, driver-level execution) bypasses the organisation scope, so it may only
appear in the modules DESIGN.md allow-lists; everything else goes through the ORM."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = {
    "core/tenancy.py",  # hands the scope to PostgreSQL
    "core/dbadmin.py",  # privileges and RLS status for administration
    "core/dbcli.py",  # runs dbadmin's grants after migrating
    "core/app.py",  # SQLite's BEGIN, so SAVEPOINT works
    "core/sqlite_locking.py",  # SQLite's BEGIN / BEGIN IMMEDIATE and the busy timeout: no data
    "core/testing.py",  # creates and drops test databases and roles
}
RAW = re.compile(
    r"\bsa\.text\(|\btext\(\s*[\x27\x22]|exec_driver_sql|\.raw_connection\("
    r"|from sqlalchemy(\.sql)? import .*\btext\b"
)


def test_raw_sql_only_in_allowlisted_modules():
    offenders = []
    for path in [*ROOT.glob("core/**/*.py"), *ROOT.glob("plugins/**/*.py")]:
        relative = str(path.relative_to(ROOT))
        if relative in ALLOWED or "/migrations/" in relative:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if RAW.search(line) and not line.lstrip().startswith("#"):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []
