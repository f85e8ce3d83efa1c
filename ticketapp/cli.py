"""Command line: `python -m ticketapp <command>`.

migrate                 apply Alembic migrations
seed-demo               seed demo data when the database is empty
create-user --role R    create a user (bootstraps the first manager)
create-token            a personal access token for the REST API (printed once)
auto-close              close resolved tickets older than the configured days
sweep-files             remove attachment files no row names (left by a killed process)
run-scheduler-once      one scheduler tick (SLA, escalation, auto-close) under the lock
deliver-mail            send due e-mails from the outbox (retries with back-off)
deliver-webhooks        send due webhook deliveries (retries with back-off)
ingest-mail             read one e-mail (RFC 5322) from stdin: a ticket, a reply, or dropped
backup                  online backup of the SQLite database
serve                   the production server; rebuilds the frontend only when it changed
"""

from __future__ import annotations

import argparse
import getpass
import sys

from ticketapp import i18n
from ticketapp.config import settings
from ticketapp.db import migrate, session_scope
from ticketapp.models import Role
from ticketapp.services import auth
from ticketapp.services.errors import ServiceError

DEMO_LOGINS = """Demo accounts (password: demo-password):
  requester@example.com   files and follows tickets    -> /portal
  agent@example.com       works the board              -> /board
  manager@example.com     analytics, SLA, users        -> /analytics"""


def cmd_migrate(_args) -> int:
    migrate()
    print("Database is up to date.")
    return 0


def cmd_seed_demo(_args) -> int:
    from ticketapp.services.seed import seed_demo

    with session_scope() as session:
        created = seed_demo(session)
    print("Demo data seeded." if created else "Database already has data; not seeding.")
    print(DEMO_LOGINS)
    return 0


def cmd_create_user(args) -> int:
    password = args.password or getpass.getpass("Password (at least 8 characters): ")
    try:
        with session_scope() as session:
            user = auth.create_user(session, None, args.email, args.name, password, args.role)
            print(f"Created {user.role} {user.email}.")
    except ServiceError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    return 0


def cmd_create_token(args) -> int:
    from ticketapp.services import api_tokens
    from ticketapp.services.actor import Actor

    try:
        with session_scope() as session:
            user = auth.get_user_by_email(session, args.email)
            if user is None or not user.is_active:
                print(f"error: no active user {args.email}", file=sys.stderr)
                return 1
            view, secret = api_tokens.create_token(
                session, Actor.of(user), args.name, args.scope, args.days
            )
    except ServiceError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    print(secret)
    print(
        f"Token {view.name!r} ({view.scope}) for {user.email}, expires {view.expires_at:%Y-%m-%d}."
        " Shown once: store it now.",
        file=sys.stderr,
    )
    return 0


def cmd_auto_close(_args) -> int:
    from ticketapp.models import utcnow
    from ticketapp.services.tickets import auto_close_resolved

    with session_scope() as session:
        closed = auto_close_resolved(session, utcnow(), settings.auto_close_days)
    print(f"Closed {len(closed)} resolved ticket(s).")
    return 0


def cmd_sweep_files(args) -> int:
    from ticketapp.services.attachments import sweep_orphans

    with session_scope(readonly=True) as session:
        removed = sweep_orphans(session, older_than=args.older_than)
    print(f"Removed {len(removed)} orphaned file(s).")
    return 0


def cmd_run_scheduler_once(_args) -> int:
    from ticketapp import outside_changes
    from ticketapp.db import get_engine
    from ticketapp.services import scheduler

    result = scheduler.run_once(get_engine())
    outside_changes.announce(get_engine(), result.ticket_ids)  # open boards show what it did
    if not result.ran:
        print("Another worker holds the scheduler lock; nothing done.")
        return 0
    r = result.escalation
    print(
        f"Breaches logged: {r.breaches}; escalation rules fired: {r.firings} ({r.actions} actions);"
        f" auto-closed: {len(result.closed)}; e-mails sent: {result.mailed};"
        f" webhooks delivered: {result.webhooks.delivered}."
    )
    return 0


def cmd_deliver_mail(args) -> int:
    import time

    from ticketapp.db import get_engine
    from ticketapp.services.notifications import deliver_outbox, email_enabled

    if not email_enabled():
        print("E-mail is not configured (TICKETAPP_SMTP_HOST): nothing to send.")
        return 0
    while True:
        sent = deliver_outbox(get_engine())
        print(f"Sent {sent} e-mail(s).", flush=True)
        if not args.loop:
            return 0
        time.sleep(args.loop)


def cmd_ingest_mail(args) -> int:
    """For a mail server's pipe transport: exit 0 when the message is stored, quarantined or
    deliberately dropped; 75 (EX_TEMPFAIL: the server retries) when the database failed."""
    from sqlalchemy.exc import SQLAlchemyError

    from ticketapp import outside_changes
    from ticketapp.db import get_engine
    from ticketapp.services.mail import intake

    raw = sys.stdin.buffer.read()
    try:
        outcome = intake.ingest_and_commit(get_engine(), raw, args.mailbox or "")
    except SQLAlchemyError as exc:
        print(f"temporary failure, retry later: {type(exc).__name__}", file=sys.stderr)
        return 75
    if outcome.ticket_id is not None:  # open boards and lists show it (stored: never retry)
        try:
            outside_changes.announce(get_engine(), (outcome.ticket_id,))
        except SQLAlchemyError as exc:
            print(f"stored; live views not told: {type(exc).__name__}", file=sys.stderr)
    number = f" #{outcome.ticket_number}" if outcome.ticket_number else ""
    reason = f": {i18n.shown(outcome.reason)}" if outcome.reason else ""
    print(f"{outcome.kind}{number}{reason}", file=sys.stderr)
    return 0


def cmd_deliver_webhooks(args) -> int:
    import time

    from ticketapp.db import get_engine
    from ticketapp.services.webhooks import deliver_due

    while True:
        run = deliver_due(get_engine())
        line = f"Delivered {run.delivered} webhook(s); {run.failed} failed attempt(s)."
        if run.disabled:
            line += f" Endpoints turned off: {', '.join(map(str, run.disabled))}."
        print(line, flush=True)
        if not args.loop:
            return 0
        time.sleep(args.loop)


def cmd_backup(args) -> int:
    from pathlib import Path

    from ticketapp.backup import backup_sqlite

    try:
        path = backup_sqlite(settings.database_url, Path(args.to) if args.to else None)
    except (ValueError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Backed up to {path}")
    return 0


def cmd_serve(args) -> int:
    from ticketapp.serve import serve

    return serve(args.loglevel)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ticketapp")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(fn=cmd_migrate)
    sub.add_parser("seed-demo", help="seed demo data into an empty database").set_defaults(
        fn=cmd_seed_demo
    )
    create = sub.add_parser("create-user", help="create a user")
    create.add_argument("--role", choices=[r.value for r in Role], required=True)
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--password", help="omit to be prompted")
    create.set_defaults(fn=cmd_create_user)
    token = sub.add_parser("create-token", help="create an API token and print it (once)")
    token.add_argument("--email", required=True)
    token.add_argument("--name", required=True)
    token.add_argument("--scope", choices=["read", "write"], default="read")
    token.add_argument("--days", type=int, default=90, help="days until it expires (default 90)")
    token.set_defaults(fn=cmd_create_token)
    sub.add_parser("auto-close", help="close old resolved tickets").set_defaults(fn=cmd_auto_close)
    sweep = sub.add_parser("sweep-files", help="remove attachment files that no row names")
    sweep.add_argument(
        "--older-than",
        type=float,
        default=3600,
        help="seconds; younger files may belong to a filing still in flight (default 3600)",
    )
    sweep.set_defaults(fn=cmd_sweep_files)
    sub.add_parser("run-scheduler-once", help="run the SLA/escalation checks once").set_defaults(
        fn=cmd_run_scheduler_once
    )
    mail = sub.add_parser("deliver-mail", help="send due e-mails from the outbox")
    mail.add_argument("--loop", type=float, default=0, help="repeat every N seconds")
    mail.set_defaults(fn=cmd_deliver_mail)
    ingest = sub.add_parser("ingest-mail", help="store one e-mail read from stdin")
    ingest.add_argument("--mailbox", default="", help="the mailbox it arrived in (a label)")
    ingest.set_defaults(fn=cmd_ingest_mail)
    hooks = sub.add_parser("deliver-webhooks", help="send due webhook deliveries")
    hooks.add_argument("--loop", type=float, default=0, help="repeat every N seconds")
    hooks.set_defaults(fn=cmd_deliver_webhooks)
    backup = sub.add_parser("backup", help="online backup of the SQLite database")
    backup.add_argument("--to", help="destination file (default: data/backups/<time>.db)")
    backup.set_defaults(fn=cmd_backup)
    serve = sub.add_parser("serve", help="serve the production build (built when changed)")
    serve.add_argument("--loglevel", default="warning")
    serve.set_defaults(fn=cmd_serve)
    args = parser.parse_args(argv)
    return args.fn(args)
