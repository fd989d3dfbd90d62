"""The OpenAPI document tells the truth: schemathesis, with every check, against a running app.

The app is served on 127.0.0.1 from its own database (SQLite, or PostgreSQL under
``INVOLVE_TEST_BACKEND=postgresql``, with row-level security as in production), holding one
organisation with every plugin enabled, an administrator's bearer token and one record of every
kind (the route matrix's samples). Schemathesis reads ``/api/v1/openapi.json`` and calls every
operation with valid and invalid input on a small, deterministic example budget.

Run alone with ``pytest -m contract``. The budget is ``INVOLVE_TEST_CONTRACT_EXAMPLES`` examples
per operation (default 1) over the ``examples`` and ``fuzzing`` phases; set
``INVOLVE_TEST_CONTRACT_PHASES=examples,coverage,fuzzing`` for the (much longer) coverage phase,
which sends every boundary value of every field. Checks narrowed: tests/schemathesis.toml.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from werkzeug.serving import WSGIRequestHandler

from core.testing import PROJECT_ROOT, fresh_database, serving

pytestmark = pytest.mark.contract

SLUG = "contract-homes"

# Each exclusion is narrow and says why; everything else runs with --checks all.
EXCLUDED_CHECKS = {
    # Needs a second user's credentials to prove another caller cannot read a record; the
    # cross-organisation route matrix (tests/test_route_matrix.py) proves exactly that, for every
    # route, with a member of another organisation.
    "object_level_authorization",
}
# Operations left out, each for a reason that is not the API's fault.
EXCLUDED_OPERATIONS = {
    # Revoking a token by id: a generated id can be the run's own token, and every later call
    # would be a (correct) 401. Revocation is covered by tests/test_auth.py.
    ("DELETE", "/api/v1/tokens/{token_id}"),
}
# Found by schemathesis but owned by the `inputs` branch (string lengths, request and JSON
# limits, page overflow): listed here rather than fixed twice.
INPUTS_BRANCH_OPERATIONS: list[str] = []


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # thousands of requests: keep the test output readable
        pass


def _seed(app) -> str:
    """One organisation with every plugin on, an administrator's token and a record of each kind."""
    from core.auth import create_api_token, hash_password
    from core.extensions import db
    from core.models import Membership, Organisation, User
    from core.services.plugin_state import set_plugin_state
    from core.tenancy import organisation_scope
    from tests import samples

    registry = app.extensions["involve"].plugins
    with app.app_context():
        org = Organisation(slug=SLUG, name="Contract Homes", settings={"feedback_period_months": 3})
        db.session.add(org)
        db.session.flush()
        admin = User(email="admin@contract.example", name="Admin", password_hash=hash_password("x" * 12))
        db.session.add(admin)
        db.session.flush()
        db.session.add(Membership(user_id=admin.id, organisation_id=org.id, role="org_admin"))
        with organisation_scope(org.id):
            for name in registry.names():
                set_plugin_state(registry, org, name, enabled=True, settings={})
        samples.collect(db.session, org)
        _, secret = create_api_token(admin, "contract")
        db.session.commit()
        return secret


@pytest.fixture(scope="module")
def live_api() -> Iterator[tuple[str, str]]:
    from core.app import create_app

    with fresh_database("involve_contract") as config:
        app = create_app(config)
        token = _seed(app)
        with serving(app, request_handler=QuietHandler) as base:
            yield base, token


def test_every_operation_keeps_to_the_openapi_document(live_api, tmp_path):
    url, token = live_api
    examples = os.environ.get("INVOLVE_TEST_CONTRACT_EXAMPLES", "1")
    phases = os.environ.get("INVOLVE_TEST_CONTRACT_PHASES", "examples,fuzzing")
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(PROJECT_ROOT / "tests" / "schemathesis.toml"),
        "run",
        f"{url}/api/v1/openapi.json",
        "--checks",
        "all",
        "--exclude-checks",
        ",".join(sorted(EXCLUDED_CHECKS)),
        "--header",
        f"Authorization: Bearer {token}",
        "--max-examples",
        examples,
        "--generation-deterministic",
        "--no-shrink",
        "--no-color",
        "--workers",
        "1",
        "--phases",
        phases,
        "--request-timeout",
        "30",
        # The response-time check stays on, with room for a shared CI machine running both
        # backends' suites at once and jobs (a points settlement) run in-process; speed itself is
        # measured by bench/, not by timed tests.
        "--max-response-time",
        "25",
        "--suppress-health-check",
        "all",
        "--report-dir",
        str(tmp_path),
    ]
    for method, path in sorted(EXCLUDED_OPERATIONS):
        command += ["--exclude-name", f"{method} {path}"]
    for operation in INPUTS_BRANCH_OPERATIONS:
        command += ["--exclude-path-regex", operation]
    result = subprocess.run(  # noqa: S603  (our own interpreter and arguments)
        command, capture_output=True, text=True, timeout=900, check=False, cwd=tmp_path
    )
    print(result.stdout, result.stderr)
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-3000:]
