#!/usr/bin/env bash
# Regenerate the newest core revision from the models (development only, while that revision
# has not been released): autogenerate against a database at the revision before it, add RLS.
set -euo pipefail
cd "$(dirname "$0")/.."
REV=0004_impact_assessments
BASE=0003_surveys_kpis
MESSAGE="impact assessments"
tmp=$(mktemp -d)
export INVOLVE_DATABASE_URL="sqlite:///$tmp/regen.db"
unset INVOLVE_PLUGIN_MODULES
rm -f "migrations/versions/$REV.py"
.venv/bin/flask --app wsgi db upgrade "$BASE" >/dev/null 2>&1
.venv/bin/flask --app wsgi db revision --autogenerate --rev-id "$REV" --head core@head -m "$MESSAGE" >/dev/null 2>&1
mv migrations/versions/"$REV"_*.py "migrations/versions/$REV.py"
REV="$REV" .venv/bin/python - <<'PY'
import re
import os
path = f"migrations/versions/{os.environ['REV']}.py"
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
.venv/bin/ruff format -q "migrations/versions/$REV.py"
.venv/bin/ruff check -q --fix "migrations/versions/$REV.py" || true
rm -rf "$tmp"
echo "regenerated migrations/versions/$REV.py"
