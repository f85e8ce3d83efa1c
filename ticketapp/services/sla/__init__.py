"""SLA policies, business calendars and the per-ticket SLA clock.

The clock is an explicit log (SlaClockEvent): `start` on creation, `pause` while the ticket is
Waiting on requester, `resolved` when it is resolved or closed (the clock stops), `resume` when it
runs again, `first_response_met` on the first public agent reply, `breached` (written once per
target by the escalation run), `recomputed` when the priority (or category/team) changes: the
targets are then recomputed from the ticket's start with the pauses kept.

Due dates are stored on the ticket (`first_response_due_at`, `due_at` = resolution due) so lists
and the board compute remaining time without per-ticket queries (`sla_states`). While the clock
is stopped (`sla_paused_at` set) the remaining time stays what it was at the pause; on resume the
due dates are recomputed from the log.

Time: `ticketapp.clock.now()` (tests move it). Business hours: working days and hours in a
calendar's time zone (zoneinfo, so DST is right), minus holidays (local dates).

Modules: common (statuses that pause or stop the clock, labels), calendars (business-hours
arithmetic), clock (the log, policies matched, due dates, the hooks tickets/ calls), states
(badges in bulk, the ticket page panel), admin (policies and calendars, for managers), rates
(met/breached counts). Callers use the names re-exported here.
"""

from ticketapp.services.sla.admin import (
    CalendarRow,
    PolicyRow,
    calendar_errors,
    delete_calendar,
    delete_policy,
    list_calendars,
    list_policies,
    policy_errors,
    save_calendar,
    save_policy,
    validate_policy,
)
from ticketapp.services.sla.calendars import (
    EPOCH_DAY,
    Calendar,
    add_working,
    add_working_slow,
    working_seconds,
    working_seconds_slow,
)
from ticketapp.services.sla.clock import (
    CATEGORY_OR_TEAM_CHANGED,
    POLICY_CHANGED,
    PRIORITY_CHANGED,
    Targets,
    backfill,
    calendar_for,
    calendars_by_id,
    due_after,
    match_policy,
    on_created,
    on_first_response,
    on_status_change,
    policy_calendar,
    recompute,
)
from ticketapp.services.sla.common import (
    CLOCK_LABELS,
    MAX_SCAN_DAYS,
    MAX_TARGET_MINUTES,
    PAUSED_STATUSES,
    STOPPED_STATUSES,
    TARGET_LABELS,
    WARNING_SHARE,
    format_minutes,
    utc,
)
from ticketapp.services.sla.rates import (
    SlaRates,
    TargetRate,
    rate_counts,
    sla_rates,
)
from ticketapp.services.sla.states import (
    ClockEventView,
    ClockView,
    SlaState,
    clock_view,
    sla_states,
    sla_states_for_ids,
    target_progress,
)

_utc = utc  # the old private name; tests call sla._utc

__all__ = [
    "calendar_for",
    "calendars_by_id",
    "CLOCK_LABELS",
    "Calendar",
    "CalendarRow",
    "ClockEventView",
    "ClockView",
    "EPOCH_DAY",
    "MAX_SCAN_DAYS",
    "MAX_TARGET_MINUTES",
    "PAUSED_STATUSES",
    "PolicyRow",
    "STOPPED_STATUSES",
    "SlaRates",
    "SlaState",
    "TARGET_LABELS",
    "TargetRate",
    "Targets",
    "WARNING_SHARE",
    "add_working",
    "add_working_slow",
    "backfill",
    "calendar_errors",
    "clock_view",
    "delete_calendar",
    "delete_policy",
    "due_after",
    "format_minutes",
    "list_calendars",
    "list_policies",
    "match_policy",
    "on_created",
    "on_first_response",
    "on_status_change",
    "policy_calendar",
    "policy_errors",
    "rate_counts",
    "recompute",
    "CATEGORY_OR_TEAM_CHANGED",
    "POLICY_CHANGED",
    "PRIORITY_CHANGED",
    "save_calendar",
    "save_policy",
    "sla_rates",
    "sla_states",
    "sla_states_for_ids",
    "target_progress",
    "validate_policy",
    "working_seconds",
    "working_seconds_slow",
]
