"""Canned responses: reply texts an agent keeps for themselves (personal) or shares with a team,
with placeholders filled for the ticket they are inserted into; every insertion is counted.

Who may do what (staff only; requesters get nothing):
- use (list, insert): your personal ones, and the shared ones of the teams you are in
  (managers: every team's);
- edit or delete: a personal one only its owner; a shared one the members of its team and
  managers.

Placeholders ({{name}}): `requester.first_name`, `ticket.number`, `agent.name` and
`kb:<slug>` (a Markdown link to that published article). Unknown ones are refused on save.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, or_, select

from ticketapp.config import base_url
from ticketapp.i18n import N_
from ticketapp.models import (
    CannedResponse,
    CannedUse,
    KbArticle,
    KbStatus,
    Team,
    TeamMember,
    Ticket,
    User,
    utcnow,
)
from ticketapp.services.actor import Actor, require_manager, require_staff
from ticketapp.services.errors import NotFound, PermissionDenied, ValidationError
from ticketapp.services.ids import coerce_id, optional_id
from ticketapp.services.visibility import get_ticket_for

MAX_TITLE = 120
MAX_BODY = 10_000
PLACEHOLDERS = ("requester.first_name", "ticket.number", "agent.name")
KB_PREFIX = "kb:"
KNOWN_LIST = ", ".join("{{" + name + "}}" for name in (*PLACEHOLDERS, "kb:article-address"))
CANNED_NOT_FOUND = N_("That canned response does not exist or you cannot use it.")
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


@dataclass(frozen=True)
class CannedView:
    id: int
    title: str
    body: str
    team_id: int | None  # None: personal
    team_name: str
    can_edit: bool


# --- placeholders ------------------------------------------------------------------------------


def placeholders_in(text: str) -> list[str]:
    return [m.group(1) for m in _PLACEHOLDER.finditer(text)]


def kb_link(title: str, slug: str) -> str:
    safe = title.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return f"[{safe}]({base_url()}/kb/{slug})"


def fill(text: str, values: dict[str, str]) -> str:
    """`text` with each {{name}} replaced by values[name]; unknown names are left as written."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def _kb_links(session: Session, slugs: list[str]) -> dict[str, str]:
    if not slugs:
        return {}
    rows = session.exec(
        select(KbArticle.slug, KbArticle.title).where(
            col(KbArticle.slug).in_(slugs), KbArticle.status == KbStatus.PUBLISHED
        )
    ).all()
    return {KB_PREFIX + slug: kb_link(title, slug) for slug, title in rows}


def _values_for(session: Session, actor: Actor, ticket: Ticket, text: str) -> dict[str, str]:
    requester = session.get(User, ticket.requester_id)
    first = (requester.name.split() or [""])[0] if requester else ""
    slugs = [p[len(KB_PREFIX) :] for p in placeholders_in(text) if p.startswith(KB_PREFIX)]
    return {
        "requester.first_name": first,
        "ticket.number": str(ticket.number),
        "agent.name": actor.name,
        **_kb_links(session, slugs),
    }


def check_placeholders(session: Session, text: str, field_name: str = "body") -> None:
    """Refuse a placeholder that cannot be filled (a typo, an unpublished article)."""
    known = _kb_links(
        session,
        [p[len(KB_PREFIX) :] for p in placeholders_in(text) if p.startswith(KB_PREFIX)],
    )
    for name in placeholders_in(text):
        if name.startswith(KB_PREFIX) and name not in known:
            raise ValidationError(
                "No published article has the address “{slug}”.",
                field_name,
                slug=name[len(KB_PREFIX) :],
            )
        if not name.startswith(KB_PREFIX) and name not in PLACEHOLDERS:
            raise ValidationError(
                "Unknown placeholder “{name}”. Use one of: {known}.",
                field_name,
                name=name,
                known=KNOWN_LIST,
            )


# --- who may see and edit ------------------------------------------------------------------


def _team_ids(session: Session, actor: Actor) -> set[int]:
    return set(session.exec(select(TeamMember.team_id).where(TeamMember.user_id == actor.id)))


def _usable(canned: CannedResponse, actor: Actor, teams: set[int]) -> bool:
    if canned.team_id is None:
        return canned.owner_id == actor.id
    return actor.is_manager or canned.team_id in teams


def _editable(canned: CannedResponse, actor: Actor, teams: set[int]) -> bool:
    return _usable(canned, actor, teams)  # the same rule today: one place to change it


def _get_usable(session: Session, actor: Actor, canned_id: object) -> CannedResponse:
    canned = session.get(CannedResponse, coerce_id(canned_id, CANNED_NOT_FOUND))
    if canned is None or not _usable(canned, actor, _team_ids(session, actor)):
        raise NotFound(CANNED_NOT_FOUND)
    return canned


def list_canned(session: Session, actor: Actor) -> list[CannedView]:
    """The canned responses `actor` may use, personal ones first, then by team and title."""
    require_staff(actor)
    teams = _team_ids(session, actor)
    stmt = select(CannedResponse, Team.name).join(
        Team, col(Team.id) == CannedResponse.team_id, isouter=True
    )
    if not actor.is_manager:
        stmt = stmt.where(
            or_(
                CannedResponse.owner_id == actor.id,
                col(CannedResponse.team_id).in_(teams or {0}),
            )
        )
    else:
        stmt = stmt.where(
            or_(CannedResponse.owner_id == actor.id, col(CannedResponse.team_id).is_not(None))
        )
    rows = session.exec(stmt).all()
    views = [
        CannedView(c.id or 0, c.title, c.body, c.team_id, name or "", _editable(c, actor, teams))
        for c, name in rows
    ]
    return sorted(views, key=lambda v: (v.team_id is not None, v.team_name, v.title.lower()))


def team_choices(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """The teams `actor` may share a canned response with (managers: all)."""
    require_staff(actor)
    stmt = select(Team.id, Team.name).order_by(Team.name)
    if not actor.is_manager:
        stmt = stmt.join(TeamMember, col(TeamMember.team_id) == Team.id).where(
            TeamMember.user_id == actor.id
        )
    return [(tid, name) for tid, name in session.exec(stmt) if tid is not None]


# --- changes -----------------------------------------------------------------------------------


def _clean_title(value: object) -> str:
    title = str(value or "").strip()
    if not title:
        raise ValidationError("Give it a title.", "title")
    if len(title) > MAX_TITLE:
        raise ValidationError("Keep it under {max:,} characters.", "title", max=MAX_TITLE)
    return title


def _clean_body(session: Session, value: object) -> str:
    body = str(value or "").strip()
    if not body:
        raise ValidationError("Write the response text.", "body")
    if len(body) > MAX_BODY:
        raise ValidationError("Keep it under {max:,} characters.", "body", max=MAX_BODY)
    check_placeholders(session, body)
    return body


def _clean_team(session: Session, actor: Actor, value: object) -> int | None:
    team_id = optional_id(value, "team_id", N_("Choose a team."))
    if team_id is None:
        return None
    if team_id not in {tid for tid, _name in team_choices(session, actor)}:
        raise ValidationError("You can share only with a team you are in.", "team_id")
    return team_id


def save_canned(
    session: Session,
    actor: Actor,
    canned_id: object,
    title: object,
    body: object,
    team_id: object = None,
) -> int:
    """Create (canned_id None) or update a canned response; `team_id` None keeps it personal."""
    require_staff(actor)
    clean_title, clean_body = _clean_title(title), _clean_body(session, body)
    team = _clean_team(session, actor, team_id)
    if canned_id in (None, "", 0):
        canned = CannedResponse(title=clean_title, body=clean_body, created_by_id=actor.id)
    else:
        canned = _get_usable(session, actor, canned_id)
        if not _editable(canned, actor, _team_ids(session, actor)):
            raise PermissionDenied()
    canned.title, canned.body, canned.updated_at = clean_title, clean_body, utcnow()
    canned.team_id = team
    canned.owner_id = None if team is not None else actor.id
    session.add(canned)
    session.flush()
    assert canned.id is not None
    return canned.id


def delete_canned(session: Session, actor: Actor, canned_id: object) -> None:
    require_staff(actor)
    canned = _get_usable(session, actor, canned_id)
    if not _editable(canned, actor, _team_ids(session, actor)):
        raise PermissionDenied()
    session.delete(canned)
    session.flush()


# --- use ---------------------------------------------------------------------------------------


def fill_for_ticket(session: Session, actor: Actor, canned: CannedResponse, ticket: Ticket) -> str:
    """The response's text for `ticket`, placeholders filled; counted as one use."""
    session.add(CannedUse(canned_id=canned.id, user_id=actor.id, ticket_id=ticket.id))
    return fill(canned.body, _values_for(session, actor, ticket, canned.body))


def use_canned(session: Session, actor: Actor, canned_id: object, ticket_id: object) -> str:
    """Insert a canned response into a reply on `ticket_id`: its filled text (and a use)."""
    require_staff(actor)
    canned = _get_usable(session, actor, canned_id)
    ticket = get_ticket_for(session, actor, ticket_id)
    return fill_for_ticket(session, actor, canned, ticket)


def usage(
    session: Session,
    actor: Actor,
    since: datetime,
    until: datetime | None = None,
    limit: int = 10,
) -> list[tuple[str, int]]:
    """(title, uses) of the most used canned responses in [since, until) (analytics:
    managers)."""
    require_manager(actor)
    uses = func.count(col(CannedUse.id))
    window = [CannedUse.used_at >= since]
    if until is not None:
        window.append(CannedUse.used_at < until)
    rows = session.exec(
        select(CannedResponse.title, uses)
        .join(CannedResponse, col(CannedResponse.id) == CannedUse.canned_id)
        .where(*window)
        .group_by(col(CannedResponse.id), CannedResponse.title)
        .order_by(uses.desc(), CannedResponse.title)
        .limit(limit)
    ).all()
    return [(title, int(n)) for title, n in rows]
