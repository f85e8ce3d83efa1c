"""The "Run macro" dialog, for one ticket (the ticket page) or a selection (the ticket list):
choose a macro, read what it will change on each ticket, apply. Tickets changed by someone
else after the preview are refused (their preview's version is sent back), the others applied.

    macro_runner_dialog(on_done=SomeState.reload)   # once on the page
    rx.button("Run macro", on_click=MacroRunState.open_for(ticket_ids))
"""

from __future__ import annotations

from typing import ClassVar, TypedDict

import reflex as rx
from sqlmodel import Session

from ticketapp import live
from ticketapp.components import command_palette
from ticketapp.components.dialogs import cancel_button
from ticketapp.components.i18n import t, tn
from ticketapp.components.layout import select_control
from ticketapp.db import run_in_session
from ticketapp.i18n import N_, _, _n
from ticketapp.services import macros, tickets
from ticketapp.services.actor import Actor
from ticketapp.services.errors import ServiceError
from ticketapp.services.ids import MAX_DB_INT
from ticketapp.state import STAFF, SessionState

BOLD = {"font-weight": "500"}


class ChangeRow(TypedDict):
    what: str
    old: str
    new: str


class PreviewRow(TypedDict):
    ticket_id: int
    number: int
    title: str
    changes: list[ChangeRow]
    problem: str


def _preview_row(p: macros.TicketPreview) -> PreviewRow:
    return PreviewRow(
        ticket_id=p.ticket_id,
        number=p.number,
        title=p.title,
        changes=[ChangeRow(what=c.what, old=c.old, new=c.new) for c in p.changes],
        problem=p.problem,
    )


def _ids(values: object) -> list[int]:
    if not isinstance(values, list):
        return []
    out = []
    for v in values[: macros.MAX_BULK]:
        if isinstance(v, int) and not isinstance(v, bool) and 0 < v <= MAX_DB_INT:
            out.append(v)
    return list(dict.fromkeys(out))


class MacroRunState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = STAFF

    run_open: bool = False
    macro_options: list[list[str]] = []
    macro_id: str = ""
    previews: list[PreviewRow] = []
    previewing: bool = False
    applying: bool = False
    _ticket_ids: list[int] = []
    _versions: dict[int, int] = {}

    @rx.var
    def ticket_count(self) -> int:
        return len(self.previews)

    async def _open(self, actor: Actor, ids: list[int]) -> None:
        self._ticket_ids = ids
        self.macro_id, self.previews, self._versions = "", [], {}
        views = await run_in_session(macros.list_macros, actor, readonly=True)
        self.macro_options = [[str(m.id), m.name] for m in views]
        self.run_open = True

    async def _id_of(self, actor: Actor, number: str) -> int:
        return await run_in_session(
            tickets.ticket_id_for_number, actor, str(number)[:12], readonly=True
        )

    @rx.event
    async def open_for(self, ticket_ids: list[int]):
        actor = await self.current_actor()
        ids = _ids(ticket_ids)
        if actor is None or not actor.is_staff or not ids:
            return
        await self._open(actor, ids)

    @rx.event
    async def open_for_number(self, number: str):
        """The ticket page: run a macro on the ticket with this number."""
        actor = await self.current_actor()
        if actor is None or not actor.is_staff:
            return
        try:
            await self._open(actor, [await self._id_of(actor, number)])
        except ServiceError as exc:
            yield rx.toast.error(exc.message)

    @rx.event
    async def preview_on_number(self, number: str, macro_id: str):
        """The command palette: open the dialog with this macro's preview for this ticket."""
        actor = await self.current_actor()
        if actor is None or not actor.is_staff:
            return
        try:
            await self._open(actor, [await self._id_of(actor, number)])
        except ServiceError as exc:
            yield rx.toast.error(exc.message)
            return
        async for update in self._preview(actor, macro_id):
            yield update

    @rx.event
    def set_run_open(self, value: bool):
        self.run_open = bool(value) and self.run_open

    @rx.event
    async def choose(self, macro_id: str):
        actor = await self.current_actor()
        if actor is None:
            return
        async for update in self._preview(actor, macro_id):
            yield update

    async def _preview(self, actor: Actor, macro_id: object):
        self.macro_id = str(macro_id)[:12]
        self.previewing = True
        yield
        try:
            found = await run_in_session(
                macros.preview, actor, self.macro_id, list(self._ticket_ids), readonly=True
            )
        except ServiceError as exc:
            self.previewing = False
            yield rx.toast.error(exc.message)
            return
        self.previews = [_preview_row(p) for p in found]
        self._versions = {p.ticket_id: p.version for p in found}
        self.previewing = False

    @rx.event
    async def apply(self):
        actor = await self.current_actor()
        if actor is None or self.applying or not self._versions:
            return
        self.applying = True
        yield
        try:
            outcomes = await run_in_session(
                macros.apply_many, actor, self.macro_id, dict(self._versions)
            )
        except ServiceError as exc:
            self.applying = False
            yield rx.toast.error(exc.message)
            return
        done = [o for o in outcomes if o.ok]
        refused = [o for o in outcomes if not o.ok]
        if done:
            ids = tuple(int(o.ticket_id) for o in done)
            live.publish(live.Change(kind="ticket", ticket_ids=ids, actor_id=actor.id))
        self.applying = False
        self.run_open = False
        summary = _n("Macro applied to {n} ticket.", "Macro applied to {n} tickets.", len(done))
        if refused:
            numbers = {p["ticket_id"]: p["number"] for p in self.previews}
            detail = "; ".join(
                f"#{numbers.get(int(o.ticket_id), o.ticket_id)}: {o.message}" for o in refused
            )
            yield rx.toast.warning(
                _("{summary} Not applied: {detail}", summary=summary, detail=detail)
            )
        else:
            yield rx.toast.success(summary)


S = MacroRunState


def _change(c: rx.Var[ChangeRow]) -> rx.Component:
    return rx.el.li(
        rx.text(
            rx.text(c["what"], weight="bold", as_="span"),
            ": ",
            rx.cond(
                c["old"] != "",
                rx.fragment(rx.el.s(c["old"]), " → "),
            ),
            c["new"],
            size="2",
        )
    )


def _ticket_preview(p: rx.Var[PreviewRow]) -> rx.Component:
    return rx.el.li(
        rx.vstack(
            rx.text("#", p["number"].to_string(), " ", p["title"], weight="medium", size="2"),
            rx.cond(
                p["changes"].length() > 0,
                rx.el.ul(
                    rx.foreach(p["changes"], _change),
                    style={"margin": 0, "padding-left": "1.2em"},
                ),
                rx.text(t("Nothing to change."), size="2", color_scheme="gray"),
            ),
            rx.cond(
                p["problem"] != "",
                rx.text(p["problem"], size="2", color=rx.color("red", 11)),
            ),
            spacing="1",
            align="start",
        ),
        style={"padding": "0.5em 0", "border-bottom": f"1px solid {rx.color('gray', 5)}"},
    )


def _preview_list() -> rx.Component:
    return rx.cond(
        S.previewing,
        rx.center(rx.spinner(), aria_label=t("Loading preview"), padding="1em"),
        rx.cond(
            S.macro_id == "",
            rx.text(t("Choose a macro to see what it will change."), size="2", color_scheme="gray"),
            rx.el.ul(
                rx.foreach(S.previews, _ticket_preview),
                aria_label=t("What will change"),
                style={
                    "list-style": "none",
                    "margin": 0,
                    "padding": 0,
                    "max-height": "50vh",
                    "overflow-y": "auto",
                    "width": "100%",
                },
            ),
        ),
    )


def macro_runner_dialog(on_done=None) -> rx.Component:
    """The dialog; `on_done` (an event) runs after applying, e.g. to reload a list."""
    after = on_done if isinstance(on_done, list) else [on_done] if on_done is not None else []
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("Run a macro")),
            rx.dialog.description(
                t("Choose a macro and check what it will change before applying it."), size="2"
            ),
            rx.vstack(
                rx.cond(
                    S.macro_options.length() > 0,
                    rx.vstack(
                        rx.el.label(t("Macro"), html_for="macro-choice", style=BOLD),
                        select_control(
                            S.macro_options,
                            S.macro_id,
                            S.choose,
                            aria_label=t("Macro"),
                            trigger_id="macro-choice",
                        ),
                        spacing="1",
                    ),
                    rx.text(
                        t(
                            "No macros yet. A manager adds them under Canned responses, "
                            "then Macros."
                        ),
                        size="2",
                        color_scheme="gray",
                    ),
                ),
                rx.box(_preview_list(), role="region", aria_label=t("Preview"), width="100%"),
                rx.hstack(
                    rx.dialog.close(cancel_button(type="button")),
                    rx.button(
                        tn("Apply to {n} ticket", "Apply to {n} tickets", S.ticket_count),
                        type="button",
                        loading=S.applying,
                        disabled=(S.macro_id == "") | (S.ticket_count == 0) | S.previewing,
                        on_click=[S.apply, *after],
                    ),
                    justify="end",
                    spacing="3",
                    width="100%",
                ),
                spacing="3",
                margin_top="0.5em",
            ),
            max_width="640px",
        ),
        open=S.run_open,
        on_open_change=S.set_run_open,
    )


def run_macro_control(ticket_ids: rx.Var[list[int]], on_done=None) -> rx.Component:
    """The ticket list's bulk action: "Run macro" on the selected tickets, with its dialog."""
    return rx.fragment(
        rx.button(
            rx.icon("wand-sparkles", size=14),
            t("Run macro"),
            size="1",
            type="button",
            on_click=S.open_for(ticket_ids),
            disabled=ticket_ids.length() == 0,
            aria_label=t("Run a macro on the selected tickets"),
        ),
        macro_runner_dialog(on_done),
    )


# --- the command palette: "run a macro" on the ticket on screen ------------------------------

MAX_PALETTE_MACROS = 5


def _palette_macros(session: Session, actor: Actor, query: str, ticket_number: int | None) -> list:
    if ticket_number is None or not actor.is_staff:
        return []
    words = query.casefold().split()
    found = [
        m for m in macros.list_macros(session, actor) if all(w in m.name.casefold() for w in words)
    ]
    return [
        command_palette.PaletteItem(
            id=f"macro:{m.id}",
            label=m.name,
            detail=_("Run on this ticket"),
            group=N_("Macros"),
        )
        for m in found[:MAX_PALETTE_MACROS]
    ]


async def _palette_run(actor: Actor, key: str, ticket_number: int | None):
    if ticket_number is None or not actor.is_staff or not key.isdigit():
        return None
    return MacroRunState.preview_on_number(str(ticket_number), key)


command_palette.register("macro", _palette_macros, _palette_run)
