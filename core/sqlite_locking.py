"""The embedded SQLite default under a small team: writers queue for the lock instead of failing.

SQLite lets one connection write at a time. A transaction begun ``DEFERRED`` reads from a
snapshot and asks for the write lock only at its first write; if another connection committed
in between, SQLite refuses at once ("database is locked", SQLITE_BUSY_SNAPSHOT) and the busy
timeout never gets a chance to help. So:

- a transaction that will write takes the lock when it begins (``BEGIN IMMEDIATE``), waiting up
  to the busy timeout for it: every transaction of a request other than GET/HEAD/OPTIONS, and
  every transaction of a job (:func:`write_transactions`). Reading requests stay ``DEFERRED``:
  in WAL mode readers never wait for anyone. So do commands and scripts: a session left open
  after a read (an attribute refreshed after a commit) must not hold the write lock.
- a request whose transaction still meets a lock (a reading request that writes after all, such
  as recording an API token's last use, or a lock held past the busy timeout) is rolled back and
  run once more, from the start, with ``BEGIN IMMEDIATE``;
- a lock refused a second time is a 503 with ``Retry-After``, never a 500.

WAL and the busy timeout are set on every new connection by ``core.app``.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, g, has_request_context, make_response, render_template, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import Pool

from core.extensions import db

log = logging.getLogger(__name__)

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SQLITE_BUSY, SQLITE_LOCKED = 5, 6
RETRY_AFTER_SECONDS = 1
_WRITE_LOCK = "sqlite_write_lock"  # g: begin IMMEDIATE even in a reading request (the retry)
_LOCKED = "sqlite_locked"  # g: this attempt met a lock
_writer: ContextVar[bool] = ContextVar("sqlite_writer", default=False)
_TURN = "sqlite_writer_turn"  # connection.info: the queue whose turn this connection holds


class _WritersQueue:
    """First come, first served among this process's writers to one database file.

    SQLite's busy handler polls (sleeping up to 100 ms between tries), so under load a writer can
    lose the lock to newcomers again and again until its timeout runs out. Threads of one process
    queue here instead and meet SQLite's lock one at a time; other processes still meet it
    through the busy timeout."""

    def __init__(self) -> None:
        self._turns = threading.Condition()
        self._waiting: deque[object] = deque()
        self._taken = False

    def take(self, timeout: float) -> bool:
        me = object()
        with self._turns:
            self._waiting.append(me)
            mine = self._turns.wait_for(lambda: not self._taken and self._waiting[0] is me, timeout)
            self._waiting.remove(me)
            if mine:
                self._taken = True
            self._turns.notify_all()
            return mine

    def give_back(self) -> None:
        with self._turns:
            self._taken = False
            self._turns.notify_all()


_queues: dict[str, _WritersQueue] = {}
_queues_guard = threading.Lock()


def _queue_for(connection) -> _WritersQueue:
    database = connection.engine.url.database or ""
    with _queues_guard:
        return _queues.setdefault(database, _WritersQueue())


def begin(connection) -> None:
    """The ``begin`` event of a SQLite connection: IMMEDIATE when the transaction may write,
    after this process's earlier writers (a turn not had within the busy timeout is skipped, and
    SQLite's own lock decides)."""
    if not may_write():
        connection.exec_driver_sql("BEGIN")
        return
    queue = _queue_for(connection)
    if queue.take(_busy_timeout(connection)):
        connection.info[_TURN] = queue
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except Exception:
        end_turn(connection)
        raise


def _busy_timeout(connection) -> float:
    row = connection.exec_driver_sql("PRAGMA busy_timeout").first()
    return (row[0] if row else 5000) / 1000


def end_turn(connection) -> None:
    """The transaction ended: the next writer of this process may go."""
    _give_back(connection.info)


def _give_back(info: dict) -> None:
    queue = info.pop(_TURN, None)
    if queue is not None:
        queue.give_back()


event.listen(Engine, "commit", end_turn)
event.listen(Engine, "rollback", end_turn)
# However a connection ends up back in the pool (closed mid-transaction, invalidated), its turn ends.
event.listen(Pool, "checkin", lambda dbapi_connection, record: _give_back(record.info))


def may_write() -> bool:
    if _writer.get():
        return True
    if not has_request_context():
        return False
    return g.get(_WRITE_LOCK, False) or request.method not in READ_METHODS


@contextmanager
def write_transactions() -> Iterator[None]:
    """Transactions begun inside take the write lock first (a job, which exists to write)."""
    token = _writer.set(True)
    try:
        yield
    finally:
        _writer.reset(token)


def is_lock_error(error: BaseException) -> bool:
    """Is this SQLite refusing a lock (busy or locked), as opposed to any other failure?"""
    original = getattr(error, "orig", error)
    if not isinstance(original, sqlite3.OperationalError):
        return False
    code = getattr(original, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)
    return "locked" in str(original) or "busy" in str(original)


def locked_response():
    """Roll back, mark the attempt for a retry, and answer 503 (used if the retry fails too)."""
    from core.error_responses import error_response, is_api_request

    db.session.rollback()
    g.setdefault(_LOCKED, True)
    log.info("database locked on %s %s", request.method, request.path)
    message = "The database is busy. Try again in a moment."
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if is_api_request():
        return error_response(503, message, "database_busy", headers=headers)
    page = render_template("error.html", status=503, title="The service is busy", message=message)
    return make_response(page, 503, headers)


def install_sqlite_locking(app: Flask) -> None:
    """Answer a lock with a 503 (not a 500), and run a request that met one once more."""

    @app.errorhandler(OperationalError)
    def _locked(error: OperationalError):
        if not is_lock_error(error):
            raise error
        return locked_response()

    dispatch = app.full_dispatch_request

    def dispatch_with_one_retry():
        view_args = dict(request.view_args or {})
        response = dispatch()
        if not g.get(_LOCKED):
            return response
        _reset_request_state(view_args)
        g.setdefault(_WRITE_LOCK, True)
        log.info("retrying %s %s with the write lock taken first", request.method, request.path)
        return dispatch()

    app.full_dispatch_request = dispatch_with_one_retry


def _reset_request_state(view_args: dict) -> None:
    """Back to how the request arrived: nothing loaded, no organisation in scope, URL values whole."""
    from core.tenancy import clear_scope

    db.session.rollback()
    db.session.expunge_all()
    clear_scope()
    for name in list(g):
        g.pop(name)
    request.view_args = dict(view_args)
    # The body was kept by the request (JSON, forms); uploaded files are read again from the start.
    uploads = request.__dict__.get("files")
    if uploads is not None:
        for _field, upload in uploads.items(multi=True):
            upload.stream.seek(0)
