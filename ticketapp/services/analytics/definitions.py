"""What the dashboard counts: periods, status groups, the time buckets of its charts, and the
definitions written on the page (declarative)."""

from __future__ import annotations

from ticketapp.i18n import N_
from ticketapp.models import Priority, TicketStatus
from ticketapp.services import lifecycle

PERIODS = ("7", "30", "90")
DEFAULT_PERIOD = "30"
MAX_CUSTOM_DAYS = 366
ACTIVE = [s.value for s in lifecycle.ACTIVE_STATUSES]
DONE = [TicketStatus.RESOLVED.value, TicketStatus.CLOSED.value]
ALL_STATUSES = [s.value for s in TicketStatus]  # lets "status, resolved_at" indexes seek
PRIORITY_ORDER = [Priority.URGENT, Priority.HIGH, Priority.NORMAL, Priority.LOW]

HOUR = 3600
DAY = 86400
# (label: a msgid, translated in the browser; upper bound in seconds; None = no bound)
RESOLUTION_BUCKETS: list[tuple[str, int | None]] = [
    (N_("Under 1 hour"), HOUR),
    (N_("1-4 hours"), 4 * HOUR),
    (N_("4-24 hours"), DAY),
    (N_("1-3 days"), 3 * DAY),
    (N_("3-7 days"), 7 * DAY),
    (N_("Over 7 days"), None),
]
AGE_BUCKETS: list[tuple[str, int | None]] = [
    (N_("Under 1 day"), DAY),
    (N_("1-3 days"), 3 * DAY),
    (N_("3-7 days"), 7 * DAY),
    (N_("7-30 days"), 30 * DAY),
    (N_("Over 30 days"), None),
]

DEFINITIONS: list[tuple[str, str]] = [
    (
        N_("Time zone"),
        N_("Days (today, per-day charts, custom dates) are cut at midnight in {tz}."),
    ),
    (
        N_("Tickets counted"),
        N_(
            "Every ticket except those merged into another ticket (a duplicate counts once, as "
            "the ticket it was merged into). Team, category and channel filters apply to tickets."
        ),
    ),
    (N_("Backlog"), N_("Tickets now New, Open, In progress or Waiting on requester.")),
    (
        N_("First response"),
        N_(
            "The first public reply by an agent or manager. Internal notes and the requester's own "
            "messages do not count. Median over tickets created in the period that were answered; "
            "tickets never answered are left out of the median and counted as unanswered."
        ),
    ),
    (
        N_("Resolution"),
        N_(
            "The last move to Resolved, for tickets that are still Resolved or Closed (a reopened "
            "ticket is not resolved until it is resolved again). Resolution time is that moment "
            "minus the time the ticket was filed."
        ),
    ),
    (
        N_("Reopen rate"),
        N_(
            "Of the tickets moved to Resolved during the period, the share that were later moved "
            "back from Resolved or Closed to an active status (a requester's reply or an agent)."
        ),
    ),
    (N_("Overdue"), N_("Backlog tickets whose due date has passed. Rate: overdue / backlog.")),
    (N_("Satisfaction"), N_("Ratings (1 to 5 stars) given during the period, averaged.")),
    (
        N_("KB deflections"),
        N_(
            "Times someone found the answer in the knowledge base while filing and left without "
            "filing a ticket, during the period. The category filter uses the article's category; "
            "the team filter does not apply; with a channel other than Web there are none."
        ),
    ),
]
