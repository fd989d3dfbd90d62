"""``python scripts/services.py check``: exit 0 when the test PostgreSQL and Redis answer."""

import os
import sys


def check() -> list[str]:
    problems = []
    pg_url = os.environ.get("INVOLVE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    redis_url = os.environ.get("INVOLVE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        import psycopg

        with psycopg.connect(pg_url, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except Exception as exc:  # any failure means "not reachable"
        problems.append(f"PostgreSQL at {pg_url}: {exc}")
    try:
        from redis import Redis

        Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except Exception as exc:  # any failure means "not reachable"
        problems.append(f"Redis at {redis_url}: {exc}")
    return problems


if __name__ == "__main__":
    if sys.argv[1:] != ["check"]:
        sys.exit("usage: services.py check")
    found = check()
    for problem in found:
        print(f"not reachable: {problem}", file=sys.stderr)
    sys.exit(1 if found else 0)
