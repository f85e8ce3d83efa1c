"""Article drafts from resolved tickets and staff badges for search hits (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from tests.unit.factories import make_category, make_ticket, make_user
from ticketapp.models import Role, Ticket, TicketStatus
from ticketapp.services import kb, kb_extras, tickets
from ticketapp.services.errors import NotFound, PermissionDenied, ValidationError


def _resolved_ticket(session: Session):
    requester = make_user(session, Role.REQUESTER)
    agent = make_user(session, Role.AGENT)
    category = make_category(session)
    ref = make_ticket(
        session,
        requester,
        title="Printer prints blank pages",
        description="Every page comes out blank.",
        category_id=category,
    )
    tickets.add_comment(session, agent, ref.id, "Replace the toner cartridge in tray 2.")
    tickets.add_comment(
        session, agent, ref.id, "SECRET internal: vendor contract 42", internal=True
    )
    tickets.add_comment(session, requester, ref.id, "That fixed it, thanks!")
    ticket = session.get(Ticket, ref.id)
    ticket.status = TicketStatus.RESOLVED
    session.add(ticket)
    session.flush()
    return ref, requester, agent, category


def test_draft_from_resolved_ticket_has_description_and_public_replies_only(session: Session):
    ref, _, agent, category = _resolved_ticket(session)
    draft = kb_extras.draft_from_ticket(session, agent, ref.number)
    assert draft.title == "Printer prints blank pages"
    assert draft.category_id == category
    assert "Every page comes out blank." in draft.body
    assert "Replace the toner cartridge" in draft.body
    assert "That fixed it" in draft.body
    assert "SECRET" not in draft.body
    assert draft.body.index("blank.") < draft.body.index("toner")


def test_draft_needs_staff_and_a_resolved_ticket(session: Session):
    ref, requester, agent, _ = _resolved_ticket(session)
    with pytest.raises(PermissionDenied):
        kb_extras.draft_from_ticket(session, requester, ref.number)
    with pytest.raises(NotFound):
        kb_extras.draft_from_ticket(session, agent, 999999)
    with pytest.raises(NotFound):
        kb_extras.draft_from_ticket(session, agent, "'; drop table ticket")
    open_ref = make_ticket(session, requester, title="Still open")
    with pytest.raises(ValidationError):
        kb_extras.draft_from_ticket(session, agent, open_ref.number)


def test_article_flags_for_staff_only(session: Session):
    agent = make_user(session, Role.AGENT)
    requester = make_user(session, Role.REQUESTER)
    art = kb.create_article(
        session, agent, title="Internal runbook", body="Steps.", audience="internal"
    )
    flags = kb_extras.article_flags(session, agent, [art.id, 12345])
    assert flags == {art.id: kb_extras.ArticleFlags(status="draft", audience="internal")}
    assert kb_extras.article_flags(session, requester, [art.id]) == {}
