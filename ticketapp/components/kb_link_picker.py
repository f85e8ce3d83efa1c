"""A searchable popover that hands a markdown link to a knowledge-base article to your handler.

Usage (e.g. in the ticket reply box; agents and managers only):

    from ticketapp.components.kb_link_picker import kb_link_picker

    class TicketDetailState(SessionState):
        reply: str = ""

        @rx.event
        def insert_kb_link(self, link: str):
            # link is "[Title](/kb/slug)"; validate it like any client value
            if isinstance(link, str) and len(link) < 400:
                self.reply = (self.reply.rstrip() + " " + link).strip()

    kb_link_picker(on_pick=TicketDetailState.insert_kb_link)

`on_pick` is any event handler taking one str (or a lambda returning an event spec). The picker
searches as you type (debounced), shows Draft / Internal badges so an agent does not link an
internal article in a public reply by mistake, and closes after a pick.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import ClassVar, TypedDict

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.components.safe_html import html_span
from ticketapp.db import run_in_session
from ticketapp.services import kb, kb_extras
from ticketapp.services.actor import Actor
from ticketapp.state import STAFF, SessionState


class PickRow(TypedDict):
    title_html: str
    markdown: str
    slug: str
    status: str
    audience: str


def markdown_link(title: str, slug: str) -> str:
    safe = title.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return f"[{safe}](/kb/{slug})"


def _pick_rows(session, actor: Actor, query: str) -> list[PickRow]:
    if query.strip():
        hits = kb.search(session, actor, query, limit=8)
        items = [(h.id, h.slug, h.title, h.title_html) for h in hits]
    else:
        items = [(a.id, a.slug, a.title, a.title) for a in kb.most_helpful(session, actor, limit=8)]
    flags = kb_extras.article_flags(session, actor, [i[0] for i in items])
    rows = []
    for article_id, slug, title, title_html in items:
        flag = flags.get(article_id)
        rows.append(
            PickRow(
                title_html=title_html if query.strip() else html.escape(title_html),
                markdown=markdown_link(title, slug),
                slug=slug,
                status=flag.status if flag else "",
                audience=flag.audience if flag else "",
            )
        )
    return rows


class KbLinkPickerState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = STAFF

    picker_open: bool = False
    picker_query: str = ""
    picker_rows: list[PickRow] = []
    picker_loading: bool = False

    async def _refresh(self):
        actor = await self.current_actor()
        self.picker_rows = await run_in_session(_pick_rows, actor, self.picker_query, readonly=True)

    @rx.event
    async def set_picker_open(self, value: bool):
        self.picker_open = bool(value)
        if self.picker_open:
            self.picker_query = ""
            self.picker_loading = True
            yield
            await self._refresh()
            self.picker_loading = False

    @rx.event
    async def search(self, value: str):
        self.picker_query = str(value or "")[:200]
        self.picker_loading = True
        yield
        await self._refresh()
        self.picker_loading = False

    @rx.event
    def close(self):
        self.picker_open = False


def _row_renderer(
    on_pick: rx.EventHandler | Callable[[rx.Var[str]], rx.EventSpec],
) -> Callable[[rx.Var[PickRow]], rx.Component]:
    """How one article is listed: a button that hands its markdown link to `on_pick`."""

    def row(r: rx.Var[PickRow]) -> rx.Component:
        return rx.el.li(
            rx.button(
                rx.hstack(
                    html_span(r["title_html"]),
                    rx.cond(
                        r["status"] == "draft",
                        rx.badge(t("Draft"), color_scheme="orange", high_contrast=True),
                    ),
                    rx.cond(
                        r["audience"] == "internal",
                        rx.badge(t("Internal"), color_scheme="purple", high_contrast=True),
                    ),
                    align="center",
                    spacing="2",
                ),
                variant="ghost",
                color_scheme="gray",
                high_contrast=True,
                width="100%",
                justify="start",
                style={"text-align": "left", "height": "auto", "padding": "6px 8px"},
                on_click=[on_pick(r["markdown"]), KbLinkPickerState.close],
            ),
        )

    return row


def _picker_panel(row: Callable[[rx.Var[PickRow]], rx.Component]) -> rx.Component:
    """The popover: a search box over the matching articles (most helpful first when empty)."""
    return rx.popover.content(
        rx.vstack(
            rx.input(
                rx.input.slot(rx.icon("search", size=14)),
                placeholder=t("Search articles"),
                aria_label=t("Search articles to link"),
                on_change=KbLinkPickerState.search.debounce(250),
                auto_complete="off",
                width="100%",
            ),
            rx.cond(
                KbLinkPickerState.picker_rows.length() > 0,
                rx.el.ul(
                    rx.foreach(KbLinkPickerState.picker_rows, row),
                    aria_label=t("Articles"),
                    style={"list-style": "none", "margin": 0, "padding": 0, "width": "100%"},
                ),
                rx.cond(
                    KbLinkPickerState.picker_loading,
                    rx.spinner(),
                    rx.text(t("No articles match."), size="2", color_scheme="gray"),
                ),
            ),
            spacing="2",
            width="100%",
        ),
        class_name="kb-picker",
        width="380px",
        max_height="420px",
        style={"overflow-y": "auto"},
    )


def kb_link_picker(
    on_pick: rx.EventHandler | Callable[[rx.Var[str]], rx.EventSpec],
    label: str = t("Insert KB link"),
) -> rx.Component:
    """A button that opens the picker; choosing an article calls `on_pick("[Title](/kb/slug)")`."""
    return rx.popover.root(
        rx.popover.trigger(
            rx.button(rx.icon("book-open", size=16), label, variant="soft", type="button")
        ),
        _picker_panel(_row_renderer(on_pick)),
        open=KbLinkPickerState.picker_open,
        on_open_change=KbLinkPickerState.set_picker_open,
    )
