"""The command palette's server side: the tickets it finds respect who asks, and a registered
provider (how macros plug in) adds its items."""

from sqlmodel import Session

from tests.unit.factories import make_ticket, people
from ticketapp.components import command_palette


def test_the_palette_finds_tickets_the_actor_may_see(session: Session):
    p = people(session)
    mine = make_ticket(session, p.requester, title="Projector flickers in room 4")
    theirs = make_ticket(session, p.other, title="Projector remote lost")
    session.commit()
    agent_ids = {
        i["id"] for i in command_palette.palette_items(session, p.agent, "projector", None)
    }
    assert agent_ids == {f"ticket:{mine.number}", f"ticket:{theirs.number}"}
    found = command_palette.palette_items(session, p.requester, "projector", None)
    assert [i["id"] for i in found] == [f"ticket:{mine.number}"]
    assert found[0]["label"] == f"#{mine.number} Projector flickers in room 4"
    assert found[0]["group"] == "Tickets"


def test_a_registered_provider_adds_its_items(session: Session, monkeypatch):
    p = people(session)
    session.commit()
    monkeypatch.setattr(command_palette, "_PROVIDERS", {})
    seen = []

    def find(session, actor, query, ticket_number):
        seen.append((actor.id, query, ticket_number))
        return [command_palette.PaletteItem(id="macro:1", label="Close", detail="", group="Macros")]

    async def run(actor, key, ticket_number):
        return None

    command_palette.register("macro", find, run)
    items = command_palette.palette_items(session, p.agent, "close", 1042)
    assert items[-1]["id"] == "macro:1"
    assert seen == [(p.agent.id, "close", 1042)]


def test_macros_are_offered_to_staff_on_a_ticket(session: Session):
    from ticketapp.components import macro_runner
    from ticketapp.services import macros

    p = people(session)
    ticket = make_ticket(session, p.requester, title="Printer jams")
    close = [{"action": "set_status", "value": "resolved"}]
    macros.save_macro(session, p.manager, None, "Close as solved", close)
    macros.save_macro(
        session, p.manager, None, "Escalate", [{"action": "set_priority", "value": "high"}]
    )
    session.commit()

    def offered(actor, query, number):
        found = macro_runner._palette_macros(session, actor, query, number)
        return [i["label"] for i in found]

    assert offered(p.agent, "close", ticket.number) == ["Close as solved"]
    assert offered(p.agent, "", ticket.number) == ["Close as solved", "Escalate"]
    assert offered(p.agent, "close", None) == []  # no ticket on screen
    assert offered(p.requester, "close", ticket.number) == []
    assert "macro" in command_palette._PROVIDERS
