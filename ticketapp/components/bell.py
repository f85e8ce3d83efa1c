"""The notification bell in the header: unread count and a list, live.

Every tab's bell registers under its user's id in this worker's `_feed`. After any committed
change (the change feed, in every worker), the users with a tab here who just got a
notification have their bells' stamps moved, and each bell reloads that user's own
notifications from the database. The SLA scheduler publishes `Change(kind="notification")` for
its own; marking read publishes `Change(kind="bell")` for the user's other tabs.
"""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar, TypedDict

import reflex as rx

from ticketapp import clock, live
from ticketapp.components.i18n import t
from ticketapp.components.stamp_watcher import stamp_watcher
from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.models import utcnow
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


# --- the state ------------------------------------------------------------------------------


class BellState(SessionState):
    """The signed-in user's own bell, in each tab's own state."""

    allowed_roles: ClassVar[frozenset[str]] = SIGNED_IN

    unread: int = 0
    items: list[BellItem] = []
    feed_stamp: int = 0  # moved by the feed when this user may have new notifications

    @rx.event
    async def load(self):
        """On mount and whenever the feed moves the stamp: (re)load from the database."""
        actor = await self.current_actor()
        if actor is None:
            return
        _feed.register(self.router.session.client_token, actor.id)
        await self._reload(actor)

    async def _reload(self, actor: Actor) -> None:
        self.unread, self.items = await run_in_session(_snapshot, actor, readonly=True)

    def _feed_changed(self) -> bool:
        return live.bump(self, True)

    async def _changed(self, actor: Actor) -> None:
        await self._reload(actor)
        # The user's other tabs, on any worker.
        live.publish(live.Change(kind="bell", actor_id=actor.id))

    @rx.event
    async def mark_read(self, notification_id: int):
        actor = await self.current_actor()
        if actor is None:
            return
        try:
            await run_in_session(notifications.mark_read, actor, notification_id)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._changed(actor)

    @rx.event
    async def mark_all_read(self):
        actor = await self.current_actor()
        if actor is None:
            return
        await run_in_session(notifications.mark_read, actor, None)
        await self._changed(actor)
        return rx.toast.success(_("All notifications marked as read."))


# --- the live feed --------------------------------------------------------------------------


def _recipients(session, changes: list[live.Change], among: set) -> set[int]:
    """Who of `among` may have a new or changed notification after `changes`."""
    users = {c.actor_id for c in changes if c.kind == "bell" and c.actor_id is not None}
    since = utcnow() - RECENT
    ids = live.ticket_ids(changes)
    if ids:
        users |= set(notifications.recent_recipients(session, tuple(ids), since))
    if any(c.kind == "notification" for c in changes):  # the scheduler's, on any ticket
        users |= set(notifications.recent_recipients(session, (), since))
    return users & among


async def _feed_updates(changes: list[live.Change], followed: set) -> live.Updates:
    users = await run_in_session(_recipients, changes, followed, readonly=True)
    return dict.fromkeys(users, BellState._feed_changed)


# This worker's bells, each under its user's id.
_feed = live.Feed(
    BellState,
    ("ticket", "comment", "rating", "board", "notification", "bell"),
    _feed_updates,
    COALESCE_SECONDS,
)


# --- the component --------------------------------------------------------------------------


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
                rx.text(t("Read"), size="1", color_scheme="gray"),
                rx.button(
                    t("Mark read"),
                    size="1",
                    variant="soft",
                    aria_label=t("Mark read: ") + n["subject"],
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


def _bell_button() -> rx.Component:
    """The bell, with the unread count (its label says it too)."""
    unread = BellState.unread
    label = rx.cond(
        unread > 0, "Notifications, " + unread.to_string() + " unread", t("Notifications")
    )
    return rx.popover.trigger(
        rx.button(
            rx.icon("bell", size=18),
            rx.cond(
                unread > 0,
                rx.badge(
                    unread,
                    color_scheme="red",
                    variant="solid",
                    high_contrast=True,  # white on red-9 is under 4.5:1
                    radius="full",
                    aria_hidden="true",
                    data_testid="bell-count",
                ),
            ),
            variant="ghost",
            aria_label=label,
            title=label,
        )
    )


def _panel() -> rx.Component:
    """The popover: the notifications, "Mark all as read", the settings link."""
    unread = BellState.unread
    return rx.popover.content(
        rx.vstack(
            rx.hstack(
                rx.heading(t("Notifications"), size="3", as_="h2"),
                rx.spacer(),
                rx.cond(
                    unread > 0,
                    rx.button(
                        t("Mark all as read"),
                        size="1",
                        variant="ghost",
                        on_click=BellState.mark_all_read,
                    ),
                ),
                width="100%",
                align="center",
            ),
            rx.cond(
                BellState.items.length() > 0,
                rx.scroll_area(
                    rx.vstack(
                        rx.foreach(BellState.items, _item),
                        role="list",
                        aria_label=t("Notifications"),
                        spacing="1",
                        width="100%",
                    ),
                    max_height="24em",
                    type="auto",
                ),
                rx.text(t("Nothing yet. You'll see updates on your tickets here."), size="2"),
            ),
            rx.link(t("Notification settings"), href="/settings/notifications", size="2"),
            spacing="3",
            width="22em",
        ),
        aria_label=t("Notifications"),
    )


def bell() -> rx.Component:
    """The header's bell: a popover over the user's notifications, reloaded when the feed moves."""
    return rx.box(
        rx.popover.root(
            _bell_button(),
            _panel(),
        ),
        stamp_watcher(BellState.feed_stamp, BellState.load),
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
                t(
                    "E-mail is not configured: notifications are in-app only. "
                    "Set TICKETAPP_SMTP_HOST (and port, TLS, credentials) to send e-mail."
                ),
                icon="mail-x",
                color_scheme="amber",
                role="status",
            ),
        ),
        on_mount=EmailNoticeState.load,
        width="100%",
    )
