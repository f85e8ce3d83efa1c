"""Tags in the interface (staff only; services/tags.py): the ticket page's tag editor with
autocomplete from existing tags, and the autocomplete used by the list's bulk action.

The editor has its own state: it reads the ticket number from the URL and reloads whenever
the ticket page's live feed moves (the hook passes that stamp), so the ticket page itself only
places `ticket_tags_panel(stamp)`.
"""

from __future__ import annotations

import re
from typing import ClassVar

import reflex as rx

from ticketapp import live
from ticketapp.components.i18n import t
from ticketapp.components.layout import field_error
from ticketapp.components.stamp_watcher import stamp_watcher
from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.services import tags as tag_service
from ticketapp.services import tickets
from ticketapp.services.errors import NotFound, ServiceError
from ticketapp.state import STAFF, SessionState

_PATH_RE = re.compile(r"^/tickets/(\d{1,9})/?$")
MAX_INPUT = 60


class TagSuggestState(SessionState):
    """Suggestions for a tag being typed (shared by the ticket page and the bulk action)."""

    allowed_roles: ClassVar[frozenset[str]] = STAFF

    tag_input: str = ""
    suggestions: list[str] = []

    @rx.event
    async def type_tag(self, value: str):
        self.tag_input = str(value)[:MAX_INPUT]
        actor = await self.current_actor()
        if actor is None or not actor.is_staff or not self.tag_input.strip():
            self.suggestions = []
            return
        found = await run_in_session(tag_service.suggest, actor, self.tag_input, 8, readonly=True)
        self.suggestions = [s for s in found if s != self.tag_input.strip().lower()]


class TicketTagsState(TagSuggestState):
    """The tags of the ticket in the URL (ticket page), or of the board card whose panel is open
    (`show_for`); staff."""

    ticket_tags: list[str] = []
    tag_error: str = ""
    tags_busy: bool = False
    _tags_of: str = ""  # the ticket number the box was typed for
    _shown_for: str = ""  # the board's open card (pages without a ticket in the URL)

    def _number(self) -> str:
        match = _PATH_RE.match(self.router.url.path or "")
        return match.group(1) if match else self._shown_for

    @rx.event
    async def show_for(self, number: str):
        """The board: edit the tags of this card's ticket."""
        self._shown_for = str(number)[:12] if str(number).isdigit() else ""
        await self._load()

    async def _ticket(self):
        actor = await self.current_actor()
        if actor is None or not actor.is_staff:
            raise NotFound(tickets.NOT_FOUND)
        tid = await run_in_session(
            tickets.ticket_id_for_number, actor, self._number(), readonly=True
        )
        return actor, tid

    @rx.event
    async def load_tags(self):
        await self._load()

    async def _load(self) -> None:
        if self._tags_of != self._number():  # another ticket: start with an empty box
            self._tags_of = self._number()
            self.tag_input, self.suggestions, self.tag_error = "", [], ""
        try:
            actor, tid = await self._ticket()
            self.ticket_tags = await run_in_session(
                tag_service.ticket_tags, actor, tid, readonly=True
            )
        except NotFound:
            self.ticket_tags = []

    async def _change(self, fn, value: str, done: str):
        self.tag_error = ""
        self.tags_busy = True
        yield
        try:
            actor, tid = await self._ticket()
            await run_in_session(fn, actor, tid, value)
        except ServiceError as exc:
            self.tags_busy = False
            self.tag_error = exc.message
            return
        self.tags_busy = False
        live.publish(live.Change("ticket", (tid,), actor_id=actor.id))
        self.ticket_tags = await run_in_session(tag_service.ticket_tags, actor, tid, readonly=True)
        yield rx.toast.success(done)

    @rx.event
    async def add_tag(self, form: dict | None = None):
        # What the box holds when submitted (its debounced change may not have arrived yet).
        typed = form.get("tag") if isinstance(form, dict) else None
        value = str(typed)[:MAX_INPUT] if typed else self.tag_input
        self.tag_input = ""
        self.suggestions = []
        async for update in self._change(tag_service.add_tags, value, _("Tag added.")):
            yield update

    @rx.event
    async def pick_tag(self, name: str):
        self.tag_input = str(name)[:MAX_INPUT]
        async for update in self.add_tag():
            yield update

    @rx.event
    async def remove_tag(self, name: str):
        value = str(name)[:MAX_INPUT]
        async for update in self._change(tag_service.remove_tag, value, _("Tag removed.")):
            yield update


def tag_badge(name: rx.Var[str], on_remove=None) -> rx.Component:
    """A tag; with a remove button when `on_remove` is given."""
    remove = (
        rx.icon_button(
            rx.icon("x", size=12),
            size="1",
            variant="ghost",
            color_scheme="gray",
            type="button",
            aria_label=t("Remove tag {name}", name=name),
            on_click=on_remove,
        )
        if on_remove is not None
        else rx.fragment()
    )
    link = rx.link(
        name,
        href="/tickets?tag=" + name,
        title=t("Tickets tagged {name}", name=name),
        color="inherit",
        underline="hover",
    )
    return rx.badge(
        rx.icon("tag", size=12), link, remove, variant="soft", color_scheme="indigo", size="2"
    )


def suggestion_buttons(state: type[TagSuggestState], on_pick) -> rx.Component:
    """The existing tags matching what is typed, one button each."""
    return rx.box(
        rx.cond(
            state.suggestions.length() > 0,
            rx.hstack(
                rx.text(t("Existing tags:"), size="1", color_scheme="gray"),
                rx.foreach(
                    state.suggestions,
                    lambda s: rx.button(
                        s,
                        size="1",
                        variant="outline",
                        type="button",
                        aria_label=t("Use tag {name}", name=s),
                        on_click=on_pick(s),
                    ),
                ),
                wrap="wrap",
                spacing="1",
                align="center",
            ),
        ),
        aria_live="polite",
        width="100%",
    )


def tag_input(state: type[TagSuggestState], field_id: str, error: rx.Var[str]) -> rx.Component:
    return rx.input(
        id=field_id,
        name="tag",
        value=state.tag_input,
        on_change=state.type_tag,
        placeholder=t("e.g. vpn-outage"),
        auto_complete="off",
        max_length=MAX_INPUT,
        aria_invalid=rx.cond(error != "", "true", "false"),
        aria_describedby=f"{field_id}-error",
        size="2",
    )


def ticket_tags_panel(stamp: rx.Var[int]) -> rx.Component:
    """The ticket page's tag editor (place it for staff only); `stamp`: the page's live feed."""
    S = TicketTagsState
    return rx.vstack(
        stamp_watcher(stamp, S.load_tags),
        rx.heading(t("Tags"), size="3", as_="h2"),
        rx.cond(
            S.ticket_tags.length() > 0,
            rx.flex(
                rx.foreach(S.ticket_tags, lambda n: tag_badge(n, S.remove_tag(n))),
                wrap="wrap",
                gap="2",
                role="group",
                aria_label=t("Tags of this ticket"),
            ),
            rx.text(t("No tags yet."), size="2", color_scheme="gray"),
        ),
        rx.form(
            rx.vstack(
                rx.el.label(
                    t("Add a tag"),
                    html_for="tag-input",
                    style={"font-weight": "500", "font-size": "14px"},
                ),
                rx.hstack(
                    tag_input(S, "tag-input", S.tag_error),
                    rx.button(
                        t("Add"), type="submit", variant="soft", size="2", loading=S.tags_busy
                    ),
                    width="100%",
                ),
                field_error(S.tag_error, "tag-input"),
                suggestion_buttons(S, S.pick_tag),
                spacing="1",
                width="100%",
            ),
            on_submit=S.add_tag,
            reset_on_submit=False,
            width="100%",
        ),
        spacing="2",
        width="100%",
    )
