"""core/mail.py: messages leave after the commit (never after a rollback), through SMTP when it is
configured (a real aiosmtpd server here) and to instance/outbox/ otherwise."""

import logging
import socket
from email import message_from_bytes, policy

from sqlalchemy import select

from core import mail


def test_a_message_leaves_after_the_commit_only(app, db_session, sent_mail):
    db_session.execute(select(1))  # a transaction is open, as in a request
    mail.send("kept@example.org", "Kept", "Sent after the commit.", html="<p>Sent after the commit.</p>")
    assert sent_mail.messages == []
    db_session.commit()
    [message] = sent_mail.messages
    assert message["To"] == "kept@example.org" and message["Subject"] == "Kept"
    assert sent_mail.text_of(message).strip() == "Sent after the commit."
    assert message.get_body(preferencelist=("html",)).get_content().strip() == "<p>Sent after the commit.</p>"

    db_session.execute(select(1))
    mail.send("dropped@example.org", "Dropped", "Never sent.")
    db_session.rollback()
    db_session.execute(select(1))
    mail.send("later@example.org", "Later", "Sent with the next commit.")
    db_session.commit()
    assert [m["To"] for m in sent_mail.messages] == ["kept@example.org", "later@example.org"]


def test_without_smtp_the_message_is_written_to_the_outbox_folder_and_logged(
    app, db_session, monkeypatch, tmp_path, caplog
):
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    monkeypatch.setitem(app.config["INVOLVE"], "SMTP_HOST", "")
    with caplog.at_level(logging.INFO, logger="core.mail"):
        mail.deliver(mail.Outgoing(mail.build("a@example.org", "Hello", "Body"), "http://localhost/invite/x"))
    [path] = (tmp_path / "outbox").glob("*.eml")
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["To"] == "a@example.org" and message["Subject"] == "Hello"
    [line] = [r.getMessage() for r in caplog.records if r.name == "core.mail"]
    assert "a@example.org" in line and "Hello" in line and "http://localhost/invite/x" in line


def test_a_failed_send_is_retried_then_logged_never_raised(app, db_session, monkeypatch, caplog):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    monkeypatch.setitem(app.config["INVOLVE"], "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config["INVOLVE"], "SMTP_PORT", closed_port)
    monkeypatch.setitem(app.config["INVOLVE"], "SMTP_STARTTLS", False)
    monkeypatch.setattr(mail, "RETRY_WAIT_SECONDS", (0, 0))
    attempts = []
    real = mail._smtp_send
    monkeypatch.setattr(mail, "_smtp_send", lambda m, s: (attempts.append(1), real(m, s)))
    with caplog.at_level(logging.ERROR, logger="core.mail"):
        assert mail.deliver(mail.Outgoing(mail.build("b@example.org", "Lost", "Body"))) is False
    assert len(attempts) == mail.ATTEMPTS
    assert any("b@example.org" in r.getMessage() and "failed" in r.getMessage() for r in caplog.records)


def test_smtp_settings_are_known_to_the_configuration(app):
    for key in (
        "SMTP_HOST",
        "SMTP_PORT",
        "SMTP_USERNAME",
        "SMTP_PASSWORD",
        "SMTP_STARTTLS",
        "SMTP_SSL",
        "MAIL_FROM",
    ):
        assert key in app.config["INVOLVE"]
