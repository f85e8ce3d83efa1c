"""Organisations: the companies requesters belong to.

- Managers create, rename and delete them and set their e-mail domains; a domain belongs to one
  organisation at most.
- A new requester whose address is at one of those domains joins that organisation
  (`join_by_domain`: called by every way an account is made: sign-up, a manager or the API
  creating a user, the CLI, e-mail intake). Existing people keep their organisation; a manager
  moves one on the requester's profile (`set_organisation`).
- Staff see them (filter choices, a requester's profile); requesters never do.
- The ticket list and analytics filter by one (`tickets_of`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from ticketapp.i18n import N_
from ticketapp.models import Organisation, OrganisationDomain, OrganisationMember, Ticket, User
from ticketapp.services.actor import Actor, require_manager, require_staff
from ticketapp.services.errors import NotFound, ValidationError
from ticketapp.services.ids import coerce_id, optional_id

MAX_NAME = 120
MAX_DOMAINS = 20
ORG_NOT_FOUND = N_("That organisation does not exist.")
_DOMAIN_RE = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


@dataclass(frozen=True)
class OrganisationView:
    id: int
    name: str
    domains: list[str]
    members: int
    tickets: int


def domain_of(email: str) -> str:
    """The part after the @, lower case ("" when there is none)."""
    return email.rsplit("@", 1)[1].strip().lower() if "@" in (email or "") else ""


def parse_domains(text: object) -> list[str]:
    """Domains typed by a manager, separated by commas, spaces or lines ("@" and case are
    ignored); each must look like a domain, at most MAX_DOMAINS, repeats dropped."""
    raw = str(text or "").replace(",", " ").split()
    out: list[str] = []
    for item in raw:
        domain = item.strip().lstrip("@").lower().rstrip(".")
        if not _DOMAIN_RE.match(domain):
            raise ValidationError(
                "“{domain}” is not a domain. Enter domains like example.com.",
                "domains",
                domain=item[:60],
            )
        if domain not in out:
            out.append(domain)
    if len(out) > MAX_DOMAINS:
        raise ValidationError("Enter at most {n} domains.", "domains", n=MAX_DOMAINS)
    return out


# --- joining --------------------------------------------------------------------------------


def join_by_domain(session: Session, user: User) -> int | None:
    """Put a new requester in the organisation of their e-mail domain (if any and if they have
    none yet); the organisation's id, or None. Staff accounts never join one by themselves."""
    if user.id is None or user.role != "requester":
        return None
    if session.get(OrganisationMember, user.id) is not None:
        return None
    match = session.get(OrganisationDomain, domain_of(user.email))
    if match is None:
        return None
    session.add(OrganisationMember(user_id=user.id, organisation_id=match.organisation_id))
    session.flush()
    return match.organisation_id


def organisation_of(session: Session, user_id: int) -> tuple[int, str] | None:
    """(id, name) of the user's organisation, or None (no permission check: callers do)."""
    row = session.exec(
        select(Organisation.id, Organisation.name)
        .join(OrganisationMember, col(OrganisationMember.organisation_id) == Organisation.id)
        .where(OrganisationMember.user_id == user_id)
    ).first()
    return (int(row[0]), row[1]) if row else None


def set_organisation(
    session: Session, actor: Actor, user_id: object, organisation_id: object
) -> None:
    """A manager moves a person into an organisation, or out of theirs (None or "")."""
    require_manager(actor)
    user = session.get(User, coerce_id(user_id, N_("That person does not exist.")))
    if user is None:
        raise NotFound("That person does not exist.")
    oid = optional_id(organisation_id, "organisation_id", N_("Choose an organisation."))
    if oid is not None and session.get(Organisation, oid) is None:
        raise ValidationError("Choose an organisation.", "organisation_id")
    session.exec(delete(OrganisationMember).where(col(OrganisationMember.user_id) == user.id))  # type: ignore[call-overload]
    if oid is not None:
        session.add(OrganisationMember(user_id=user.id, organisation_id=oid))  # type: ignore[arg-type]
    session.flush()


# --- the ticket filter ------------------------------------------------------------------------


def members_of(organisation_id: int):
    """A subquery of the user ids in an organisation."""
    return select(OrganisationMember.user_id).where(
        OrganisationMember.organisation_id == organisation_id
    )


def tickets_of(organisation_id: int):
    """The SQL condition on Ticket: filed by a member of the organisation."""
    return col(Ticket.requester_id).in_(members_of(organisation_id))


def choices(session: Session, actor: Actor) -> list[tuple[str, str]]:
    """(id, name) of every organisation, by name: the filter menus (staff only)."""
    require_staff(actor)
    rows = session.exec(select(Organisation.id, Organisation.name).order_by(Organisation.name))
    return [(str(i), n) for i, n in rows.all()]


# --- managing them --------------------------------------------------------------------------


def list_organisations(session: Session, actor: Actor) -> list[OrganisationView]:
    """Every organisation by name, with its domains, members and tickets (staff)."""
    require_staff(actor)
    orgs = session.exec(select(Organisation).order_by(col(Organisation.name))).all()
    domains: dict[int, list[str]] = {}
    for d in session.exec(select(OrganisationDomain).order_by(col(OrganisationDomain.domain))):
        domains.setdefault(d.organisation_id, []).append(d.domain)
    members = dict(
        session.exec(
            select(OrganisationMember.organisation_id, func.count()).group_by(
                col(OrganisationMember.organisation_id)
            )
        ).all()
    )
    tickets = dict(
        session.exec(
            select(OrganisationMember.organisation_id, func.count())
            .join(Ticket, col(Ticket.requester_id) == OrganisationMember.user_id)
            .group_by(col(OrganisationMember.organisation_id))
        ).all()
    )
    return [
        OrganisationView(
            id=o.id,  # type: ignore[arg-type]
            name=o.name,
            domains=domains.get(o.id, []),  # type: ignore[arg-type]
            members=int(members.get(o.id, 0)),
            tickets=int(tickets.get(o.id, 0)),
        )
        for o in orgs
    ]


def _clean_name(session: Session, name: object, own_id: int | None) -> str:
    text = " ".join(str(name or "").split())
    if not text:
        raise ValidationError("Enter a name.", "name")
    if len(text) > MAX_NAME:
        raise ValidationError("Keep the name under {n} characters.", "name", n=MAX_NAME)
    same = session.exec(
        select(Organisation.id).where(func.lower(Organisation.name) == text.lower())
    ).first()
    if same is not None and same != own_id:
        raise ValidationError("An organisation with this name already exists.", "name")
    return text


def _check_domains_free(session: Session, domains: list[str], own_id: int | None) -> None:
    if not domains:
        return
    taken = session.exec(
        select(OrganisationDomain.domain, Organisation.name)
        .join(Organisation, col(Organisation.id) == OrganisationDomain.organisation_id)
        .where(col(OrganisationDomain.domain).in_(domains))
        .where(OrganisationDomain.organisation_id != (own_id or 0))
    ).first()
    if taken is not None:
        raise ValidationError(
            "{domain} already belongs to {name}.", "domains", domain=taken[0], name=taken[1]
        )


def _get(session: Session, organisation_id: object) -> Organisation:
    org = session.get(Organisation, coerce_id(organisation_id, ORG_NOT_FOUND))
    if org is None:
        raise NotFound(ORG_NOT_FOUND)
    return org


def save_organisation(
    session: Session, actor: Actor, organisation_id: object, name: object, domains: object
) -> int:
    """Create (organisation_id None or 0) or update one: its name and its domains (the typed
    text, see parse_domains). Returns its id. Bad input raises ValidationError on the field."""
    require_manager(actor)
    org = _get(session, organisation_id) if organisation_id not in (None, 0, "", "0") else None
    own_id = org.id if org else None
    clean_name = _clean_name(session, name, own_id)
    clean_domains = parse_domains(domains)
    _check_domains_free(session, clean_domains, own_id)
    if org is None:
        org = Organisation(name=clean_name)
    org.name = clean_name
    session.add(org)
    session.flush()
    assert org.id is not None
    session.exec(  # type: ignore[call-overload]
        delete(OrganisationDomain).where(col(OrganisationDomain.organisation_id) == org.id)
    )
    for domain in clean_domains:
        session.add(OrganisationDomain(domain=domain, organisation_id=org.id))
    session.flush()
    return org.id


def delete_organisation(session: Session, actor: Actor, organisation_id: object) -> str:
    """Delete one (its members stay, without an organisation; their tickets stay). Its name."""
    require_manager(actor)
    org = _get(session, organisation_id)
    name = org.name
    session.exec(
        delete(OrganisationMember).where(col(OrganisationMember.organisation_id) == org.id)
    )  # type: ignore[call-overload]
    session.exec(
        delete(OrganisationDomain).where(col(OrganisationDomain.organisation_id) == org.id)
    )  # type: ignore[call-overload]
    session.delete(org)
    session.flush()
    return name
