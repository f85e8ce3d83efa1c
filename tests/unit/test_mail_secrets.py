"""Mailbox passwords are encrypted at rest (ticketapp/secret_box.py): what the database holds is
a sealed token, the poller reads the clear text, a wrong key reads as "no password", and the
migration seals the passwords stored before it (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text
from sqlmodel import Session, select

from tests.unit.factories import people
from ticketapp import secret_box
from ticketapp.db import make_engine, migrate
from ticketapp.models import Mailbox
from ticketapp.services.errors import ValidationError
from ticketapp.services.mail import mailboxes

FORM = {
    "name": "Support",
    "host": "imap.example.com",
    "port": "993",
    "security": "ssl",
    "username": "support@example.com",
    "password": "correct horse battery",
    "folder": "INBOX",
    "is_active": True,
}


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("TICKETAPP_ENCRYPTION_KEY", Fernet.generate_key().decode())


def stored(session: Session, mailbox_id: int) -> str:
    query = text("SELECT password FROM mailbox WHERE id = :id")
    return session.connection().execute(query, {"id": mailbox_id}).scalar_one()


def test_the_database_never_holds_the_clear_password(session, monkeypatch):
    manager = people(session).manager
    mid = mailboxes.save_mailbox(session, manager, None, FORM)
    session.commit()
    raw = stored(session, mid)
    assert raw.startswith(secret_box.PREFIX) and "horse" not in raw
    session.expire_all()
    assert session.get(Mailbox, mid).password == "correct horse battery"  # what IMAP logs in with
    assert mailboxes.list_mailboxes(session, manager)[0].has_password
    # Another key (lost, or the data directory replaced): the password reads as not set.
    monkeypatch.setenv("TICKETAPP_ENCRYPTION_KEY", Fernet.generate_key().decode())
    session.expire_all()
    assert session.get(Mailbox, mid).password == ""
    assert not mailboxes.list_mailboxes(session, manager)[0].has_password


def test_a_too_long_password_is_refused_next_to_its_field(session):
    manager = people(session).manager
    with pytest.raises(ValidationError) as err:
        mailboxes.save_mailbox(session, manager, None, {**FORM, "password": "x" * 501})
    assert err.value.field == "password"


def test_seal_and_open():
    sealed = secret_box.seal("pässword")
    assert sealed != secret_box.seal("pässword")  # a fresh IV each time
    assert secret_box.open_(sealed) == "pässword"
    assert secret_box.seal("") == "" and secret_box.open_("") == ""
    assert secret_box.open_("legacy clear text") == "legacy clear text"


def _database(dialect: str, request, tmp_path) -> tuple[str, str | None]:
    if dialect == "sqlite":
        return f"sqlite:///{tmp_path / 'old.db'}", None
    base = request.getfixturevalue("postgres_url")
    schema = f"m_{uuid.uuid4().hex[:10]}"
    with make_engine(base).begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}", schema


@pytest.mark.parametrize("dialect", ["sqlite", "postgres"])
def test_the_migration_seals_the_passwords_stored_before_it(dialect, request, tmp_path):
    url, schema = _database(dialect, request, tmp_path)
    migrate(url, "ticket_search")
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO mailbox (name, host, port, security, username, password, folder,"
                    " is_active, last_error, created_at) VALUES ('Old', 'imap.example.com', 993,"
                    " 'ssl', 'u', 'hunter2', 'INBOX', true, '', CURRENT_TIMESTAMP)"
                )
            )
        migrate(url, "head")
        with engine.connect() as conn:
            raw = conn.execute(text("SELECT password FROM mailbox")).scalar_one()
        assert secret_box.is_sealed(raw) and secret_box.open_(raw) == "hunter2"
        with Session(engine) as session:
            assert session.exec(select(Mailbox)).one().password == "hunter2"
    finally:
        engine.dispose()
        if schema:
            with make_engine(request.getfixturevalue("postgres_url")).begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))


def test_without_a_key_one_is_made_once_in_the_data_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("TICKETAPP_ENCRYPTION_KEY")
    monkeypatch.setattr(secret_box, "_key_file", lambda: tmp_path / "data" / "encryption_key")
    first = secret_box.key()
    assert secret_box.key() == first
    assert (tmp_path / "data" / "encryption_key").stat().st_mode & 0o777 == 0o600
    assert secret_box.open_(secret_box.seal("x")) == "x"
