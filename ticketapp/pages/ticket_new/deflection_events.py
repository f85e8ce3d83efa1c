"""Deflection on the filing form: articles suggested as the user types, read in a dialog.

A Reflex state mixin: its handlers are copied onto TicketNewState (state.py), which holds the
vars and the helpers used here (`_reset_form`). "This solved my problem" records the
deflection and leaves without filing.
"""

from __future__ import annotations

import reflex as rx

from ticketapp import live
from ticketapp.components.custom_fields import FilingFieldsState
from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.pages.ticket_new.duplicate_finder import find_duplicates
from ticketapp.pages.ticket_new.parking import discard_parked
from ticketapp.pages.ticket_new.view_model import suggestion_item
from ticketapp.services import kb, markdown, routing
from ticketapp.services.actor import Actor
from ticketapp.services.errors import ServiceError
from ticketapp.state import SessionState


class DeflectionEvents(SessionState, mixin=True):
    """Suggested articles and category (ROUTING), the article dialog, "This solved my problem"."""

    async def _suggest(self, actor: Actor) -> None:
        if len((self.title + " " + self.description).strip()) < 3:
            self.suggestions = []
            self.duplicates = []
            self.suggested_category = self.suggested_category_id = ""
            return
        found = await run_in_session(  # ROUTING: suggested category
            routing.suggest_category, actor, f"{self.title}\n{self.description}", readonly=True
        )
        self.suggested_category = found[1] if found else ""
        self.suggested_category_id = str(found[0]) if found else ""
        hits = await run_in_session(
            kb.suggest_for_ticket, actor, self.title, self.description, 5, readonly=True
        )
        self.suggestions = [suggestion_item(h) for h in hits]
        self.duplicates = await run_in_session(  # ORGS: staff see similar open tickets
            find_duplicates, actor, self.title, self.description, self.requester_id, readonly=True
        )

    @rx.event
    async def open_article(self, article_id: int):
        actor = await self.current_actor()
        if actor is None:
            return
        self.article_open = True
        self.article_loading = True
        self.article_html = ""
        yield
        try:
            aid = int(article_id)
            view = await run_in_session(kb.get_article_by_id, actor, aid, readonly=True)
        except (ServiceError, TypeError, ValueError):
            self.article_open = False
            self.article_loading = False
            yield rx.toast.error("That article is no longer available.")
            return
        self.article_id = view.id
        self.article_slug = view.slug
        self.article_title = view.title
        self.article_html = markdown.render(view.body)
        self.article_loading = False

    @rx.event
    def still_need_help(self):
        self.article_open = False

    @rx.event
    def set_article_open(self, value: bool):
        self.article_open = bool(value)

    @rx.event
    async def solved(self):
        actor = await self.current_actor()
        if actor is None or not self.article_id:
            return
        query = " ".join(f"{self.title} {self.description}".split())[:500]
        try:
            await run_in_session(kb.record_deflection, actor, self.article_id, query)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        live.publish(live.Change(kind="deflection", actor_id=actor.id))
        discard_parked(actor.id, self.files)
        self._reset_form()
        self.draft = ""
        (await self.get_state(FilingFieldsState)).clear()
        return [
            rx.toast.success(_("Glad that helped. No ticket was filed.")),
            rx.redirect("/portal"),
        ]
