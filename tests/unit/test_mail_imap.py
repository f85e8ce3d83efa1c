"""IMAP polling against a real Dovecot (Debian's dovecot-imapd, `make dovecot`) that the test
starts on a free port in a temp dir: unseen messages become tickets once, are flagged \\Seen
and never deleted, a broken one goes to the quarantine without blocking the rest, and a wrong
password is recorded on the mailbox."""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from ticketapp.models import Mailbox, MailQuarantine, Ticket
from ticketapp.services import attachments
from ticketapp.services.mail import imap

from .factories import make_team

DATA = Path(__file__).parent.parent / "data" / "mail"
DOVECOT = "/usr/sbin/dovecot"
USER, PASSWORD = "support", "imap-test-pass"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _config(tmp: Path, port: int) -> str:
    root = os.getuid() == 0
    me = pwd.getpwuid(os.getuid()).pw_name
    owner = pwd.getpwnam("nobody") if root else pwd.getpwuid(os.getuid())  # not uid 0
    (tmp / "mail").mkdir()
    os.chown(tmp / "mail", owner.pw_uid, owner.pw_gid)
    (tmp / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    return f"""
base_dir = {tmp}/run
state_dir = {tmp}/state
log_path = {tmp}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {"dovenull" if root else me}
default_internal_user = {"dovecot" if root else me}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {tmp}/users
}}
userdb {{
  driver = static
  args = uid={owner.pw_uid} gid={owner.pw_gid} home={tmp}/mail/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


@pytest.fixture(scope="module")
def dovecot() -> Iterator[int]:
    # Not under pytest's 0700 tmp tree: Dovecot's auth and login processes run as other users.
    tmp = Path(tempfile.mkdtemp(prefix="ticketapp-dovecot-"))
    tmp.chmod(0o755)
    port = _free_port()
    conf = tmp / "dovecot.conf"
    conf.write_text(_config(tmp, port))
    # It daemonizes: no pipes to inherit, or the child would hold them open.
    with open(tmp / "start.log", "w") as log:
        started = subprocess.run(
            [DOVECOT, "-c", str(conf)], stdin=subprocess.DEVNULL, stdout=log, stderr=log
        )
    assert started.returncode == 0, (tmp / "start.log").read_text()
    try:
        for _ in range(100):
            try:
                imaplib.IMAP4("127.0.0.1", port).logout()
                break
            except OSError:
                time.sleep(0.05)
        yield port
    finally:
        subprocess.run([DOVECOT, "-c", str(conf), "stop"], check=False)
        shutil.rmtree(tmp, ignore_errors=True)


def _client(port: int) -> imaplib.IMAP4:
    conn = imaplib.IMAP4("127.0.0.1", port)
    conn.login(USER, PASSWORD)
    return conn


def _empty_inbox(port: int) -> None:
    conn = _client(port)
    _, data = conn.select("INBOX")
    if int(data[0] or 0):
        conn.store("1:*", "+FLAGS", "(\\Deleted)")
        conn.expunge()
    conn.logout()


def _deliver(port: int, *names: str) -> None:
    conn = _client(port)
    for name in names:
        conn.append("INBOX", None, None, (DATA / name).read_bytes())
    conn.logout()


def _flags(port: int) -> list[bytes]:
    conn = _client(port)
    conn.select("INBOX", readonly=True)
    _, data = conn.fetch("1:*", "(FLAGS)")
    conn.logout()
    return [d for d in data if d]


@pytest.fixture(autouse=True)
def _env(tmp_path, monkeypatch):
    monkeypatch.setattr(attachments, "attachments_dir", lambda: tmp_path / "files")
    monkeypatch.delenv("TICKETAPP_SMTP_HOST", raising=False)


def _mailbox(session, port: int, password: str = PASSWORD, team_id: int | None = None) -> None:
    session.add(
        Mailbox(
            name="support",
            host="127.0.0.1",
            port=port,
            security="none",
            username=USER,
            password=password,
            team_id=team_id,
        )
    )
    session.commit()


def test_poll_takes_unseen_mail_once_and_flags_it(engine, session, dovecot):
    _empty_inbox(dovecot)
    team = make_team(session, "Service desk")
    _mailbox(session, dovecot, team_id=team)
    _deliver(dovecot, "plain.eml", "malformed.eml", "polish.eml")
    result = imap.poll_all(engine)
    assert result.fetched == 3 and result.errors == []
    session.expire_all()
    rows = session.exec(select(Ticket).order_by(Ticket.number)).all()
    assert [t.title for t in rows] == [
        "Printer on 3rd floor prints blank pages",
        "Nie działa drukarka w pokoju żołtym",
    ]
    assert {t.team_id for t in rows} == {team}  # the mailbox's team
    assert sorted(result.ticket_ids) == sorted(t.id for t in rows)
    assert session.exec(select(MailQuarantine.mailbox)).all() == ["support"]
    flags = _flags(dovecot)
    assert len(flags) == 3 and all(b"\\Seen" in f for f in flags)  # kept, flagged
    session.commit()
    _deliver(dovecot, "forwarded.eml")
    again = imap.poll_all(engine)
    assert again.fetched == 1  # only the new one
    session.expire_all()
    assert len(session.exec(select(Ticket)).all()) == 3
    box = session.exec(select(Mailbox)).one()
    assert box.last_polled_at is not None and box.last_error == ""


def test_wrong_password_is_recorded_on_the_mailbox(engine, session, dovecot):
    _mailbox(session, dovecot, password="wrong")
    result = imap.poll_all(engine)
    assert result.fetched == 0 and len(result.errors) == 1
    session.expire_all()
    assert "AUTHENTICATIONFAILED" in session.exec(select(Mailbox)).one().last_error.upper()
