#!/usr/bin/env bash
# Regenerate migrations/versions/0002_core_records.py from the models (development only, while
# that revision has not been released): autogenerate against a database at 0001, then add RLS.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
export INVOLVE_DATABASE_URL="sqlite:///$tmp/regen.db"
unset INVOLVE_PLUGIN_MODULES
rm -f migrations/versions/0002_core_records.py
.venv/bin/flask --app wsgi db upgrade >/dev/null
.venv/bin/flask --app wsgi db revision --autogenerate --rev-id 0002_core_records --head core@head \
  -m "core records: people, places, governance, involvement, consultations, outcomes" >/dev/null
mv migrations/versions/0002_core_records_*.py migrations/versions/0002_core_records.py
.venv/bin/python - <<'PY'
import re
path = "migrations/versions/0002_core_records.py"
text = open(path).read()
tables = re.findall(r"op.create_table\('([a-z_]+)'", text)
end = "    # ### end Alembic commands ###\n"
text = text.replace("from alembic import op\n", "from alembic import op\n\nfrom core.migration_helpers import disable_rls, enable_rls\n", 1)
first = text.index(end)
text = text[:first] + end + "".join(f"    enable_rls({t!r})\n" for t in tables) + text[first + len(end):]
text = text.replace("def downgrade():\n", "def downgrade():\n" + "".join(f"    disable_rls({t!r})\n" for t in reversed(tables)), 1)
text = re.sub(r"Create Date: .*\n", "", text)
open(path, "w").write(text)
PY
.venv/bin/ruff format -q migrations/versions/0002_core_records.py
.venv/bin/ruff check -q --fix migrations/versions/0002_core_records.py || true
rm -rf "$tmp"
echo "regenerated migrations/versions/0002_core_records.py"
