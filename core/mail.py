"""Outgoing e-mail for the whole product: ``send(to, subject, text, html=None, log_hint=None)``.

A message is queued on the database session and leaves only after that session's transaction
commits, so a request that fails and rolls back sends nothing. With ``SMTP_HOST`` configured it
goes through ``smtplib`` (STARTTLS or TLS, optional login), tried three times with short waits
before the failure is logged; with the embedded default it is written as an ``.eml`` file to
``instance/outbox/`` and one log line names the recipient, the subject and ``log_hint`` (the link
the message carries), so ``make run`` needs no mail server.

Messages are not stored in the job outbox: sign-in links are secrets kept only as hashes, and the
job outbox keeps its rows (and rq its arguments) in clear for days. A message whose sending failed
is therefore not retried later; its link is asked for again (a new invitation, "forgotten your
password" once more), which the log line says.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import time
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
# Where a message went (and its link, on the embedded default) is what someone running Involve
# locally needs to see, so these lines show even when LOG_LEVEL hides other INFO lines.
log.setLevel(logging.INFO)

ATTEMPTS = 3
RETRY_WAIT_SECONDS = (0.5, 2.0)
PENDING = "mail_pending"


@dataclass(frozen=True)
class Outgoing:
    message: EmailMessage
    log_hint: str | None = None


def build(to: str, subject: str, text: str, html: str | None = None) -> EmailMessage:
    """The message as it will be sent: plain text, with an HTML alternative when given."""
    settings = current_app.config["INVOLVE"]
    message = EmailMessage()
    message["From"] = settings["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings["MAIL_FROM"].rpartition("@")[2].strip("> ") or None)
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


def send(to: str, subject: str, text: str, *, html: str | None = None, log_hint: str | None = None) -> None:
    """Send a message once the current database transaction commits (at once if none is open)."""
    from core.extensions import db

    outgoing = Outgoing(build(to, subject, text, html), log_hint)
    session = db.session()
    if not session.in_transaction():
        deliver(outgoing)
        return
    session.info.setdefault(PENDING, []).append(outgoing)


def deliver(outgoing: Outgoing) -> bool:
    """Hand one message to SMTP, or to the outbox folder; never raises. True when it left."""
    settings = current_app.config["INVOLVE"]
    message = outgoing.message
    hint = f" ({outgoing.log_hint})" if outgoing.log_hint else ""
    if not settings["SMTP_HOST"]:
        try:
            path = _write_to_folder(message)
        except OSError as exc:
            log.error(
                "mail to %s (%s) could not be written: %s%s", message["To"], message["Subject"], exc, hint
            )
            return False
        log.info("mail to %s: %s%s; saved as %s", message["To"], message["Subject"], hint, path)
        return True
    for attempt in range(ATTEMPTS):
        try:
            _smtp_send(message, settings)
        except (OSError, smtplib.SMTPException) as exc:
            if attempt + 1 < ATTEMPTS:
                time.sleep(RETRY_WAIT_SECONDS[attempt])
                continue
            log.error(
                "mail to %s (%s) failed after %d attempts: %s; ask for the link again",
                message["To"],
                message["Subject"],
                ATTEMPTS,
                exc,
            )
            return False
        log.info("mail to %s: %s sent through %s", message["To"], message["Subject"], settings["SMTP_HOST"])
        return True
    return False


def outbox_folder() -> Path:
    return Path(current_app.instance_path) / "outbox"


def _write_to_folder(message: EmailMessage) -> Path:
    folder = outbox_folder()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    path = folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
    path.write_bytes(bytes(message))
    return path


def _smtp_send(message: EmailMessage, settings: dict) -> None:
    host, port, timeout = settings["SMTP_HOST"], settings["SMTP_PORT"], settings["SMTP_TIMEOUT_SECONDS"]
    context = ssl.create_default_context()
    if settings["SMTP_SSL"]:
        connection = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    else:
        connection = smtplib.SMTP(host, port, timeout=timeout)
    with connection as smtp:
        if settings["SMTP_STARTTLS"] and not settings["SMTP_SSL"]:
            smtp.starttls(context=context)
        if settings["SMTP_USERNAME"]:
            smtp.login(settings["SMTP_USERNAME"], settings["SMTP_PASSWORD"])
        smtp.send_message(message)


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    for outgoing in session.info.pop(PENDING, []):
        deliver(outgoing)


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)
