"""The dashboard's filters: period (7/30/90 days or a custom range), team, category and channel,
parsed
from URL parameters, and the choices for their menus."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlmodel import Session

from ticketapp import clock
from ticketapp.i18n import N_
from ticketapp.models import Category, Team, TicketChannel, utcnow
from ticketapp.services import organisations
from ticketapp.services.actor import Actor, require_manager
from ticketapp.services.analytics.definitions import DEFAULT_PERIOD, MAX_CUSTOM_DAYS, PERIODS
from ticketapp.services.errors import ValidationError
from ticketapp.services.field_filters import normalize as normalize_tag


@dataclass(frozen=True)
class Filters:
    start: date  # first local day, inclusive
    end: date  # last local day, inclusive
    period: str = DEFAULT_PERIOD  # "7" | "30" | "90" | "custom"
    team_id: int | None = None
    category_id: int | None = None
    organisation_id: int | None = None  # ORGS: tickets filed by its members
    channel: str | None = None  # a TicketChannel value: where the tickets came from
    tag: str = ""  # TAGS: only tickets with this tag

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def params(self) -> dict[str, str]:
        """The URL query string form (only non-defaults)."""
        out: dict[str, str] = {}
        if self.period == "custom":
            out.update(period="custom", start=self.start.isoformat(), end=self.end.isoformat())
        elif self.period != DEFAULT_PERIOD:
            out["period"] = self.period
        if self.team_id:
            out["team"] = str(self.team_id)
        if self.category_id:
            out["category"] = str(self.category_id)
        if self.organisation_id:
            out["organisation"] = str(self.organisation_id)
        if self.channel:
            out["channel"] = self.channel
        if self.tag:
            out["tag"] = self.tag
        return out

    def utc_range(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The period as UTC moments: [the first day's local midnight, the one after the end)."""
        start = datetime.combine(self.start, datetime.min.time(), tzinfo=tz)
        end = datetime.combine(self.end + timedelta(days=1), datetime.min.time(), tzinfo=tz)
        return start.astimezone(UTC), end.astimezone(UTC)

    def key(self) -> str:
        """A short token-safe key naming this view (same filters -> same key)."""
        parts = [self.start.isoformat(), self.end.isoformat(), self.period]
        parts += [str(self.team_id or 0), str(self.category_id or 0)]
        parts += [str(self.organisation_id or 0), self.channel or "any"]
        if self.tag:  # (a tag may hold characters a token must not)
            parts.append(hashlib.sha256(self.tag.encode()).hexdigest()[:10])
        return "-".join(p.replace("-", "") for p in parts)


zone = clock.team_zone


def local_today(tz: ZoneInfo, now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(tz).date()


def _opt_id(value: object, name: str, message: str) -> int | None:
    if value in (None, "", "0", "any"):
        return None
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(message, name) from None
    if not 1 <= n <= 2**31 - 1:
        raise ValidationError(message, name)
    return n


def _channel(value: object) -> str | None:
    text = str(value or "").strip()
    if text in ("", "any"):
        return None
    if text not in set(TicketChannel):
        raise ValidationError(N_("Choose a channel."), "channel")
    return text


def _day(value: object, name: str, message: str) -> date:
    try:
        return date.fromisoformat(str(value or "").strip()[:10])
    except ValueError:
        raise ValidationError(message, name) from None


def parse_filters(params: Mapping[str, object], today: date) -> Filters:
    """Filters from URL parameters: period (7/30/90/custom), start/end (custom), team,
    category, channel. Bad values raise ValidationError naming the field."""
    period = str(params.get("period") or DEFAULT_PERIOD).strip()
    team = _opt_id(params.get("team"), "team", N_("Choose a team."))
    category = _opt_id(params.get("category"), "category", N_("Choose a category."))
    org = _opt_id(params.get("organisation"), "organisation", N_("Choose an organisation."))
    channel = _channel(params.get("channel"))
    tag = normalize_tag(params["tag"]) if str(params.get("tag") or "").strip() else ""
    if period in PERIODS:
        days = int(period)
        start = today - timedelta(days=days - 1)
        return Filters(start, today, period, team, category, org, channel, tag)
    if period != "custom":
        raise ValidationError("Choose 7, 30 or 90 days, or a custom range.", "period")
    start = _day(params.get("start"), "start", N_("Enter the start date as YYYY-MM-DD."))
    end = _day(params.get("end"), "end", N_("Enter the end date as YYYY-MM-DD."))
    if end < start:
        raise ValidationError("The end date must be on or after the start date.", "end")
    if end > today:
        raise ValidationError("The end date cannot be in the future.", "end")
    if (end - start).days + 1 > MAX_CUSTOM_DAYS:
        raise ValidationError("Choose at most {n} days.", "start", n=MAX_CUSTOM_DAYS)
    return Filters(start, end, "custom", team, category, org, channel, tag)


def default_filters(today: date) -> Filters:
    return parse_filters({}, today)


def filter_choices(session: Session, actor: Actor) -> dict[str, list[tuple[str, str]]]:
    """Teams, categories and organisations for the filter menus."""
    require_manager(actor)
    teams = session.execute(select(Team.id, Team.name).order_by(Team.name)).all()
    cats = session.execute(select(Category.id, Category.name).order_by(Category.name)).all()
    return {
        "teams": [(str(i), n) for i, n in teams],
        "categories": [(str(i), n) for i, n in cats],
        "organisations": organisations.choices(session, actor),
    }
