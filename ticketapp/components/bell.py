"""The notification bell in the header: unread count and a list, live.

Each user's bell is an `rx.SharedState` linked to the token "bell-<user id>", so every tab of
that user updates together. It holds only that user's own notifications. After any committed
change (the change feed), the users who just got a notification have their bell reloaded from
the database; the SLA scheduler publishes `Change(kind="notification")` for its own.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import ClassVar, TypedDict

import reflex as rx

from ticketapp import clock, live
from ticketapp.db import run_in_session
from ticketapp.models import User, utcnow
from ticketapp.services import notifications
from ticketapp.services.actor import Actor
from ticketapp.services.errors import ServiceError
from ticketapp.state import SIGNED_IN, SessionState

RECENT = timedelta(minutes=2)
COALESCE_SECONDS = 0.2


class BellItem(TypedDict):
    id: int
    subject: str
    body: str
    href: str
    when: str
    read: bool


def bell_token(user_id: int) -> str:
    return f"bell-{int(user_id)}"


class BellFeed(rx.SharedState):
    """One per user: that user's unread count and latest notifications."""

    unread: int = 0
    items: list[BellItem] = []


def _snapshot(session, actor: Actor) -> tuple[int, list[BellItem]]:
    items = [
        BellItem(
            id=n.id,
            subject=n.subject,
            body=n.body[:300],
            href=f"/tickets/{n.ticket_number}" if n.ticket_number else "",
            when=clock.local_label(n.created_at),
            read=n.read,
        )
        for n in notifications.list_notifications(session, actor)
    ]
    return notifications.unread_count(session, actor), items


async def refresh(actor: Actor) -> None:
    unread, items = await run_in_session(_snapshot, actor, readonly=True)
    async with live.shared_state(bell_token(actor.id), BellFeed) as feed:
        feed.unread = unread
        feed.items = items


# --- the live listener ----------------------------------------------------------------------

_pending: set[int] = set()
_pending_any = False
_flush_task: asyncio.Task | None = None


def _recipients(session, ticket_ids: list[int], any_ticket: bool) -> list[Actor]:
    since = utcnow() - RECENT
    ids = (
        set(notifications.recent_recipients(session, tuple(ticket_ids), since))
        if ticket_ids
        else set()
    )
    if any_ticket:
        ids |= set(notifications.recent_recipients(session, (), since))
    users = [session.get(User, uid) for uid in ids]
    return [Actor.of(u) for u in users if u is not None and u.is_active]


async def _flush() -> None:
    global _flush_task, _pending_any
    await asyncio.sleep(COALESCE_SECONDS)
    ids, any_ticket = sorted(_pending), _pending_any
    _pending.clear()
    _pending_any = False
    _flush_task = None
    for actor in await run_in_session(_recipients, ids, any_ticket, readonly=True):
        await refresh(actor)


@live.subscribe
async def on_change(change: live.Change) -> None:
    global _flush_task, _pending_any
    if change.kind not in ("ticket", "comment", "rating", "board", "notification"):
        return
    _pending.update(int(i) for i in change.ticket_ids)
    if change.kind == "notification":
        _pending_any = True
    if _flush_task is None:
        _flush_task = asyncio.get_running_loop().create_task(_flush())


# --- the state and the component -------------------------------------------------------------


class BellState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = SIGNED_IN

    @rx.event
    async def load(self):
        actor = await self.current_actor()
        if actor is None:
            return
        feed = await self.get_state(BellFeed)
        feed = await feed._link_to(bell_token(actor.id))
        feed.unread, feed.items = await run_in_session(_snapshot, actor, readonly=True)

    async def _show(self, actor: Actor) -> None:
        # Set the linked feed in place: this event fans it out to the user's other tabs.
        # (Going through live.shared_state here would wait on the lock this event holds.)
        feed = await self.get_state(BellFeed)
        feed.unread, feed.items = await run_in_session(_snapshot, actor, readonly=True)

    @rx.event
    async def mark_read(self, notification_id: int):
        actor = await self.current_actor()
        if actor is None:
            return
        try:
            await run_in_session(notifications.mark_read, actor, notification_id)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._show(actor)

    @rx.event
    async def mark_all_read(self):
        actor = await self.current_actor()
        if actor is None:
            return
        await run_in_session(notifications.mark_read, actor, None)
        await self._show(actor)
        return rx.toast.success("All notifications marked as read.")


def _item(n: rx.Var[BellItem]) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.vstack(
                rx.cond(
                    n["href"] != "",
                    rx.link(n["subject"], href=n["href"], weight="medium", size="2"),
                    rx.text(n["subject"], weight="medium", size="2"),
                ),
                rx.text(n["when"], size="1", color_scheme="gray"),
                spacing="1",
                align="start",
            ),
            rx.spacer(),
            rx.cond(
                n["read"],
                rx.text("Read", size="1", color_scheme="gray"),
                rx.button(
                    "Mark read",
                    size="1",
                    variant="soft",
                    aria_label="Mark read: " + n["subject"],
                    on_click=BellState.mark_read(n["id"]),
                ),
            ),
            align="start",
            width="100%",
        ),
        role="listitem",
        padding="0.5em",
        border_radius="6px",
        background=rx.cond(n["read"], "transparent", rx.color("accent", 3)),
        width="100%",
    )


def bell() -> rx.Component:
    unread = BellFeed.unread
    label = rx.cond(unread > 0, "Notifications, " + unread.to_string() + " unread", "Notifications")
    return rx.box(
        rx.popover.root(
            rx.popover.trigger(
                rx.button(
                    rx.icon("bell", size=18),
                    rx.cond(
                        unread > 0,
                        rx.badge(
                            unread,
                            color_scheme="red",
                            variant="solid",
                            radius="full",
                            aria_hidden="true",
                            data_testid="bell-count",
                        ),
                    ),
                    variant="ghost",
                    aria_label=label,
                    title=label,
                )
            ),
            rx.popover.content(
                rx.vstack(
                    rx.hstack(
                        rx.heading("Notifications", size="3", as_="h2"),
                        rx.spacer(),
                        rx.cond(
                            unread > 0,
                            rx.button(
                                "Mark all as read",
                                size="1",
                                variant="ghost",
                                on_click=BellState.mark_all_read,
                            ),
                        ),
                        width="100%",
                        align="center",
                    ),
                    rx.cond(
                        BellFeed.items.length() > 0,
                        rx.scroll_area(
                            rx.vstack(
                                rx.foreach(BellFeed.items, _item),
                                role="list",
                                aria_label="Notifications",
                                spacing="1",
                                width="100%",
                            ),
                            max_height="24em",
                            type="auto",
                        ),
                        rx.text("Nothing yet. You'll see updates on your tickets here.", size="2"),
                    ),
                    rx.link("Notification settings", href="/settings/notifications", size="2"),
                    spacing="3",
                    width="22em",
                ),
                aria_label="Notifications",
            ),
        ),
        on_mount=BellState.load,
    )


class EmailNoticeState(SessionState):
    """Whether e-mail is configured (for the notice on /admin pages and settings)."""

    allowed_roles: ClassVar[frozenset[str]] = SIGNED_IN
    email_off: bool = False

    @rx.event
    async def load(self):
        self.email_off = not notifications.email_enabled()


def email_notice() -> rx.Component:
    return rx.box(
        rx.cond(
            EmailNoticeState.email_off,
            rx.callout(
                "E-mail is not configured: notifications are in-app only. "
                "Set TICKETAPP_SMTP_HOST (and port, TLS, credentials) to send e-mail.",
                icon="mail-x",
                color_scheme="amber",
                role="status",
            ),
        ),
        on_mount=EmailNoticeState.load,
        width="100%",
    )
