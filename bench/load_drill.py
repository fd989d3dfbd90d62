"""Load drill: a small team's worth of clients against a real server, counting every error.

``python bench/load_drill.py --backend sqlite`` (or ``postgresql``) makes a fresh database (a
SQLite file in a temporary directory, or a new PostgreSQL database used through the non-owner
application role, as the test suite does), migrates it, adds one organisation with a few hundred
records and a signed-in member per client, starts gunicorn on 127.0.0.1, and runs ``--clients``
clients for ``--seconds``: API lists, the KPI report, staff pages and writes (an area created,
read back and deleted). It then stops gunicorn, drops the database and prints the number of
requests, errors (any response that is not the expected success, or no response) and latency
percentiles per kind of request. Exit status 1 if there was any error. Traffic goes only to
127.0.0.1. The test suite runs the create/list/delete part for a few seconds on SQLite
(tests/test_sqlite_concurrency.py).
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import json
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SLUG = "drill-homes"
PASSWORD = "drill password for the load test"  # noqa: S105  (a throwaway database)
PERIOD = "2025-26"


# -- the organisation -------------------------------------------------------------------------------


def seed(app, members: int) -> list[dict[str, str]]:
    """One organisation with some records, and ``members`` org admins each with an API token.
    Returns ``[{"email", "token"}]``."""
    from core.auth import create_api_token, hash_password
    from core.extensions import db
    from core.models import (
        Activity,
        Area,
        Household,
        Membership,
        Organisation,
        Participant,
        Participation,
        User,
    )
    from core.tenancy import organisation_scope

    with app.app_context():
        organisation = Organisation(slug=SLUG, name="Drill Homes", settings={"feedback_period_months": 3})
        db.session.add(organisation)
        db.session.flush()
        people = []
        password_hash = hash_password(PASSWORD)
        for n in range(members):
            user = User(email=f"member{n}@drill.example", password_hash=password_hash, active=True)
            db.session.add(user)
            db.session.flush()
            db.session.add(Membership(user_id=user.id, organisation_id=organisation.id, role="org_admin"))
            _token, secret = create_api_token(user, "load drill")
            people.append({"email": user.email, "token": secret})
        with organisation_scope(organisation.id):
            areas = [Area(name=f"Estate {n}", kind="estate") for n in range(20)]
            db.session.add_all(areas)
            db.session.flush()
            homes = [
                Household(reference=f"H{n:05d}", address_lines=[f"{n} Drill Road"], area_id=areas[n % 20].id)
                for n in range(300)
            ]
            residents = [Participant(first_name=f"Resident {n}", last_name="Drill") for n in range(150)]
            start = datetime(2025, 4, 10, 18, tzinfo=UTC)
            meetings = [
                Activity(
                    title=f"Meeting {n}",
                    kind="meeting",
                    status="held",
                    starts_at=start + timedelta(days=7 * n),
                )
                for n in range(40)
            ]
            db.session.add_all([*homes, *residents, *meetings])
            db.session.flush()
            db.session.add_all(
                Participation(
                    activity_id=meeting.id, participant_id=residents[(i * 7 + j) % 150].id, attended=True
                )
                for i, meeting in enumerate(meetings)
                for j in range(5)
            )
        db.session.commit()
    return people


# -- clients ----------------------------------------------------------------------------------------


@dataclass
class Tally:
    """What the clients saw: per kind of request, latencies (seconds) and failures."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    server_errors: int = 0
    examples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(
        self, kind: str, seconds: float, status: int, expected: tuple[int, ...], detail: str = ""
    ) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if status not in expected:
                self.failures[kind] += 1
                if status >= 500 or status == 0:
                    self.server_errors += 1
                if len(self.examples) < 10:
                    self.examples.append(f"{kind}: {status} {detail[:200]}")

    @property
    def requests(self) -> int:
        return sum(len(values) for values in self.latencies.values())

    @property
    def errors(self) -> int:
        return sum(self.failures.values())


class Client:
    """One member: a bearer token for the API and a signed-in session for the staff pages."""

    def __init__(self, base_url: str, token: str, tally: Tally):
        self.base, self.token, self.tally = base_url, token, tally
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def call(self, kind, method, path, body=None, expected=(200,), api=True) -> dict | None:
        headers = {"Authorization": f"Bearer {self.token}"} if api else {}
        data = None
        if isinstance(body, dict):
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        elif isinstance(body, bytes):
            data, headers["Content-Type"] = body, "application/x-www-form-urlencoded"
        # Only ever http://127.0.0.1 (the server this drill started).
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)  # noqa: S310
        started = time.perf_counter()
        status, text = 0, ""
        try:
            with self.opener.open(request, timeout=60) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
        except OSError as error:
            text = repr(error)
        self.tally.record(kind, time.perf_counter() - started, status, expected, f"{method} {path} {text}")
        if status in expected and text and api:
            with contextlib.suppress(ValueError):
                return json.loads(text)
        return {"html": text} if status in expected else None

    def sign_in(self, email: str) -> None:
        page = self.call("page", "GET", "/login", api=False)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page["html"]).group(1)
        form = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": PASSWORD}).encode()
        self.call("sign-in", "POST", "/login", form, expected=(200,), api=False)

    # One "write" is an area created, read back and deleted: the scenario that locked SQLite.
    def write(self) -> None:
        name = f"Drill area {secrets.token_hex(4)}"
        created = self.call(
            "write", "POST", f"/api/v1/orgs/{SLUG}/areas", {"name": name, "kind": "street"}, (201,)
        )
        if created:
            self.call("list", "GET", f"/api/v1/orgs/{SLUG}/areas/{created['id']}")
            self.call("write", "DELETE", f"/api/v1/orgs/{SLUG}/areas/{created['id']}", expected=(204,))

    def crud(self) -> None:
        self.write()
        self.call("list", "GET", f"/api/v1/orgs/{SLUG}/areas?per_page=50")

    def mixed(self) -> None:
        roll = random.random()  # noqa: S311  (a traffic mix, not a secret)
        if roll < 0.35:
            resource = random.choice(["areas", "households", "participants", "activities"])  # noqa: S311
            self.call("list", "GET", f"/api/v1/orgs/{SLUG}/{resource}?per_page=50")
        elif roll < 0.5:
            self.call("kpis", "GET", f"/api/v1/orgs/{SLUG}/kpis?period={PERIOD}")
        elif roll < 0.75:
            page = random.choice(["/", "/impact-assessments"])  # noqa: S311
            self.call("page", "GET", f"/o/{SLUG}{page}", api=False)
        else:
            self.write()


def run_clients(
    base_url: str, members: list[dict[str, str]], seconds: float, scenario: str = "mixed"
) -> Tally:
    """Each member runs ``scenario`` (``crud`` or ``mixed``) in its own thread until time is up."""
    tally = Tally()
    clients = [Client(base_url, member["token"], tally) for member in members]
    if scenario == "mixed":
        for client, member in zip(clients, members, strict=True):
            client.sign_in(member["email"])
    deadline = time.monotonic() + seconds

    def loop(client: Client) -> None:
        step: Callable[[], None] = getattr(client, scenario)
        while time.monotonic() < deadline:
            step()

    threads = [threading.Thread(target=loop, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def report(tally: Tally, seconds: float) -> str:
    lines = [
        f"requests {tally.requests}  errors {tally.errors}  server errors {tally.server_errors}  "
        f"({tally.requests / seconds:.1f} requests/s)"
    ]
    lines.append(f"{'kind':<10}{'count':>8}{'errors':>8}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    everything = [v for values in tally.latencies.values() for v in values]
    for kind, values in [*sorted(tally.latencies.items()), ("all", everything)]:
        if not values:
            continue
        single = [values[0]] * 99
        cuts = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else single
        lines.append(
            f"{kind:<10}{len(values):>8}{tally.failures.get(kind, 0) if kind != 'all' else tally.errors:>8}"
            f"{cuts[49] * 1000:>9.0f}{cuts[89] * 1000:>9.0f}{cuts[98] * 1000:>9.0f}{max(values) * 1000:>9.0f}"
        )
    lines.extend(f"  e.g. {example}" for example in tally.examples)
    return "\n".join(lines)


# -- the server -------------------------------------------------------------------------------------


@contextlib.contextmanager
def database(backend: str) -> Iterator[dict]:
    """A migrated, empty database and the app settings that reach it."""
    from core.testing import _pg_config, base_config, migrate, postgres_database

    if backend == "postgresql":
        with postgres_database("involve_drill") as urls:
            config = _pg_config(urls, ENV="development", TESTING=False, SECRET_KEY=secrets.token_urlsafe(32))
            migrate(config)
            yield config
        return
    with tempfile.TemporaryDirectory(prefix="involve-drill-") as directory:
        config = base_config(
            f"sqlite:///{directory}/drill.db",
            ENV="development",
            TESTING=False,
            SECRET_KEY=secrets.token_urlsafe(32),
        )
        migrate(config)
        yield config


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(config: dict, workers: int, threads: int, app: str = "wsgi:app") -> Iterator[str]:
    """gunicorn serving ``app`` (the product by default) with ``config`` on a free local port;
    stopped on exit."""
    port = free_port()
    env = {**os.environ, "INVOLVE_SECRET_KEY": config["SECRET_KEY"], "INVOLVE_LOG_LEVEL": "WARNING"}
    for key in ("DATABASE_URL", "DATABASE_MIGRATION_URL", "DATABASE_APP_ROLE"):
        if config.get(key):
            env[f"INVOLVE_{key}"] = config[key]
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--log-level",
        "warning",
        app,
    ]
    log = tempfile.TemporaryFile()  # noqa: SIM115  (read back after the server stops)
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            with contextlib.suppress(OSError), urllib.request.urlopen(base + "/healthz", timeout=2):  # noqa: S310
                break
            if server.poll() is not None:
                raise RuntimeError("gunicorn stopped while starting")
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.seek(0)
        output = log.read().decode(errors="replace")
        log.close()
        if "Traceback" in output:
            print("gunicorn log (last 3000 characters):\n" + output[-3000:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    from core.app import create_app

    with database(args.backend) as config:
        members = seed(create_app(config), args.clients)
        with gunicorn(config, args.workers, args.threads) as base:
            tally = run_clients(base, members, args.seconds)
    print(
        f"load drill: {args.backend}, gunicorn {args.workers} workers × {args.threads} threads, "
        f"{args.clients} clients for {args.seconds:.0f} s"
    )
    print(report(tally, args.seconds))
    return 1 if tally.errors else 0


if __name__ == "__main__":
    sys.exit(main())
