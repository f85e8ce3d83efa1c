"""The SLA clock on the ticket page (staff): state, due dates and the clock's event log."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

import reflex as rx

from ticketapp import clock, i18n
from ticketapp.components.i18n import t
from ticketapp.services import sla
from ticketapp.services.actor import Actor


class SlaClockInfo(TypedDict):
    policy: str
    state: str
    label: str
    first_due: str
    resolution_due: str


class SlaLogItem(TypedDict):
    when: str
    iso: str
    label: str
    detail: str


EMPTY_CLOCK = SlaClockInfo(policy="", state="", label="", first_due="", resolution_due="")


def _fmt(when: datetime | None) -> str:
    return clock.local_label(when)  # the team's time zone, the reader's language


def clock_data(session, actor: Actor, ticket_id: int) -> tuple[SlaClockInfo, list[SlaLogItem]]:
    view = sla.clock_view(session, actor, ticket_id)
    state = view.state
    info = SlaClockInfo(
        policy=view.policy_name,
        state=state.state if state else "",
        label=state.label if state else "",
        first_due=_fmt(view.first_response_due_at),
        resolution_due=_fmt(view.resolution_due_at),
    )
    log = [
        SlaLogItem(
            when=_fmt(e.at),
            iso=e.at.isoformat(),
            label=i18n._("{event} ({target})", event=e.label, target=e.target.lower())
            if e.target
            else e.label,
            detail=e.detail,
        )
        for e in reversed(view.events)
    ]
    return info, log


def sla_badge(state: rx.Var[str], label: rx.Var[str]) -> rx.Component:
    """Remaining time: amber in the last 25 %, red when breached; the text says so too."""
    return rx.badge(
        label,
        color_scheme=rx.match(
            state, ("breached", "red"), ("warning", "amber"), ("met", "green"), "gray"
        ),
        variant="soft",
        high_contrast=True,
        data_sla_state=state,
    )


def clock_panel(info: rx.Var[SlaClockInfo], log: rx.Var[list[SlaLogItem]]) -> rx.Component:
    def row(label: str, value) -> rx.Component:
        return rx.vstack(
            rx.text(label, size="1", weight="medium", color_scheme="gray"),
            rx.text(rx.cond(value != "", value, "—"), size="2"),
            spacing="0",
            width="100%",
        )

    return rx.vstack(
        rx.heading("SLA", size="3", as_="h2"),
        rx.cond(
            info["policy"] != "",
            rx.vstack(
                rx.text(info["policy"], size="2"),
                rx.cond(info["label"] != "", sla_badge(info["state"], info["label"])),
                row(t("First response due"), info["first_due"]),
                row(t("Resolution due"), info["resolution_due"]),
                spacing="2",
                width="100%",
            ),
            rx.text(t("No SLA policy applies to this ticket."), size="2", color_scheme="gray"),
        ),
        rx.cond(
            log.length() > 0,
            rx.el.details(
                rx.el.summary(t("SLA clock log"), style={"cursor": "pointer", "font-size": "14px"}),
                rx.el.ol(
                    rx.foreach(
                        log,
                        lambda e: rx.el.li(
                            rx.text(e["label"], size="2", weight="medium"),
                            rx.el.time(e["when"], date_time=e["iso"], style={"font-size": "12px"}),
                            rx.cond(e["detail"] != "", rx.text(e["detail"], size="1")),
                            style={"margin-bottom": "0.4em"},
                        ),
                    ),
                    aria_label=t("SLA clock log"),
                    style={"padding-left": "1.2em", "margin-top": "0.4em"},
                ),
            ),
        ),
        spacing="2",
        width="100%",
    )
