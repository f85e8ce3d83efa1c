"""KbArticleState: the article, the reader's vote, versions (editors) and the delete flow."""

from __future__ import annotations

from typing import ClassVar

import reflex as rx

from ticketapp import live
from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.pages.kb.view_model import ArticleRow
from ticketapp.pages.kb_article.view_model import (
    EMPTY_ARTICLE,
    ArticleData,
    VersionRow,
    load_article,
    slug_from_path,
)
from ticketapp.services import kb
from ticketapp.services.errors import NotFound, ServiceError
from ticketapp.state import SIGNED_IN, SessionState


class KbArticleState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = SIGNED_IN

    article: ArticleData = EMPTY_ARTICLE
    found: bool = False
    loading: bool = True
    my_vote: str = ""  # "yes" | "no" | ""
    can_edit: bool = False
    related: list[ArticleRow] = []
    versions: list[VersionRow] = []
    version_open: int = 0  # version_no shown in the dialog, 0: none
    confirm_delete: bool = False
    deleting: bool = False
    voting: bool = False

    _article_id: int = 0

    @rx.var
    def heading(self) -> str:
        if self.loading:
            return ""
        return self.article["title"] if self.found else _("Article not found")

    @rx.var
    def shown_version(self) -> VersionRow:
        for v in self.versions:
            if v["no"] == self.version_open:
                return v
        return VersionRow(no=0, title="", html="", tags="", editor="", when="")

    @rx.event
    async def on_load(self):
        self.loading = True
        self.found = False
        self.version_open = 0
        self.confirm_delete = False
        yield
        actor = await self.current_actor()
        if actor is None:
            return
        slug = slug_from_path(self.router.url.path)
        try:
            data = await run_in_session(load_article, actor, slug, readonly=True)
        except NotFound:
            self._article_id = 0
            self.article = EMPTY_ARTICLE
            self.related, self.versions, self.my_vote, self.can_edit = [], [], "", False
            self.loading = False
            return
        self._article_id = data["id"]
        self.article = data["article"]
        self.my_vote = data["vote"]
        self.can_edit = data["can_edit"]
        self.versions = data["versions"]
        self.related = data["related"]
        self.found = True
        self.loading = False

    @rx.event
    async def vote(self, helpful: bool):
        if not isinstance(helpful, bool) or not self._article_id:
            return
        actor = await self.current_actor()
        self.voting = True
        yield
        try:
            result = await run_in_session(kb.record_feedback, actor, self._article_id, helpful)
        except ServiceError as exc:
            self.voting = False
            yield rx.toast.error(exc.message)
            return
        self.my_vote = "" if result.my_vote is None else ("yes" if result.my_vote else "no")
        self.article["helpful_yes"] = result.helpful_yes
        self.article["helpful_no"] = result.helpful_no
        self.voting = False
        yield rx.toast.success(
            _("Thanks for your feedback!")
            if helpful
            else _("Thanks for telling us. We will improve this article.")
        )

    @rx.event
    def show_version(self, version_no: int):
        self.version_open = version_no if isinstance(version_no, int) else 0

    @rx.event
    def set_version_open(self, open_: bool):
        if not open_:
            self.version_open = 0

    @rx.event
    def set_confirm_delete(self, value: bool):
        self.confirm_delete = bool(value)

    @rx.event
    async def delete(self):
        actor = await self.current_actor()
        if not self._article_id:
            return
        self.deleting = True
        yield
        title = self.article["title"]
        try:
            await run_in_session(kb.delete_article, actor, self._article_id)
        except ServiceError as exc:
            self.deleting = False
            self.confirm_delete = False
            yield rx.toast.error(exc.message)
            return
        live.publish(live.Change(kind="kb", actor_id=actor.id))
        self._article_id = 0
        self.found = False
        self.deleting = False
        self.confirm_delete = False
        yield rx.toast.success(_("Deleted \u201c{name}\u201d.", name=title))
        yield rx.redirect("/kb")
