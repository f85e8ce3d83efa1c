"""POST /api/v1/alerts: monitoring intake. Prometheus Alertmanager's webhook JSON (version 4)
or a small generic shape, authenticated by an integration token (`tki_...`, made at
/admin/integrations), never a personal one. A body that is not JSON or not one of the two
shapes is a 422 naming the first wrong field."""

from __future__ import annotations

import math
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field

from ticketapp import live
from ticketapp.api.deps import call
from ticketapp.api.errors import ApiError
from ticketapp.i18n import N_
from ticketapp.services import alerts

integration_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="IntegrationToken",
    description="An integration token (tki_...) from /admin/integrations.",
)
Status = Literal["firing", "resolved"]
Labels = dict[str, str]


class _Strict422(APIRoute):
    """Every unreadable or ill-shaped body is a 422 here (the rest of the API answers 400 to
    unreadable JSON): monitoring systems log the field, not the status line."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                errors = exc.errors()
                loc = [str(p) for p in (errors[0].get("loc", ()) if errors else ())][1:]
                raise ApiError(
                    422, N_("This value is missing or not valid."), ".".join(loc) or "body"
                ) from None

        return strict


router = APIRouter(tags=["alerts"], route_class=_Strict422)


class AlertmanagerAlert(BaseModel):
    model_config = ConfigDict(extra="ignore")
    status: Status
    labels: Labels = Field(default_factory=dict)
    annotations: Labels = Field(default_factory=dict)
    startsAt: datetime | None = None  # noqa: N815 (Alertmanager's names)
    endsAt: datetime | None = None  # noqa: N815
    generatorURL: str = Field("", max_length=2000)  # noqa: N815
    fingerprint: str = Field("", max_length=200)


class AlertmanagerPayload(BaseModel):
    """Alertmanager's webhook body (`version: "4"`); fields not listed here are ignored."""

    model_config = ConfigDict(extra="ignore")
    version: str = Field("4", max_length=10)
    status: Status
    receiver: str = Field("", max_length=200)
    alerts: list[AlertmanagerAlert] = Field(max_length=alerts.MAX_ALERTS)


class GenericAlert(BaseModel):
    """The generic shape, for anything that is not Alertmanager. The same `fingerprint` names the
    same alert: firing again adds to its open ticket; "resolved" resolves it."""

    model_config = ConfigDict(extra="ignore")
    title: str = Field(min_length=1, max_length=1000)
    status: Status = "firing"
    fingerprint: str = Field(min_length=1, max_length=200)
    severity: str = Field("warning", max_length=40, description="critical, warning or info")
    description: str = Field("", max_length=20_000)
    labels: Labels = Field(default_factory=dict)
    source_url: str = Field("", max_length=2000)


class AlertResult(BaseModel):
    fingerprint: str
    action: str = Field(description="opened, updated, resolved, noted or ignored")
    ticket_number: int | None = None


class AlertsOut(BaseModel):
    results: list[AlertResult]


def _from_alertmanager(a: AlertmanagerAlert) -> alerts.Alert:
    ends = a.endsAt if a.endsAt and a.endsAt.year > 1 else None  # 0001-01-01: still firing
    return alerts.Alert(
        status=a.status,
        name=a.labels.get("alertname", ""),
        fingerprint=a.fingerprint,
        summary=a.annotations.get("summary", ""),
        description=a.annotations.get("description", ""),
        severity=a.labels.get("severity", ""),
        labels=a.labels,
        annotations=a.annotations,
        starts_at=a.startsAt,
        ends_at=ends,
        source_url=a.generatorURL,
    )


def _from_generic(g: GenericAlert) -> alerts.Alert:
    return alerts.Alert(
        status=g.status,
        name=g.title,
        fingerprint=g.fingerprint,
        description=g.description,
        severity=g.severity,
        labels=g.labels,
        source_url=g.source_url,
    )


async def integration(
    request: Request,
    response: Response,
    credentials: HTTPAuthorizationCredentials | None = Depends(integration_bearer),
) -> alerts.ResolvedIntegration:
    """The integration behind the token, rate-limited like personal tokens (its own bucket)."""
    secret = credentials.credentials if credentials else None
    found = await call(request, alerts.resolve, secret) if secret else None
    if found is None:
        raise ApiError(401, headers={"WWW-Authenticate": 'Bearer realm="ticketapp"'})
    buckets = request.app.state.buckets
    wait, left = buckets.take(-found.id)  # negative: never a personal token's bucket
    limits = {"X-RateLimit-Limit": str(buckets.burst), "X-RateLimit-Remaining": str(left)}
    response.headers.update(limits)
    if wait > 0:
        raise ApiError(
            429,
            N_("Too many requests. Try again after the time in the Retry-After header."),
            headers={"Retry-After": str(max(1, math.ceil(wait))), **limits},
        )
    return found


@router.post(
    "/alerts",
    response_model=AlertsOut,
    summary="Alerts from monitoring (Alertmanager webhook or the generic shape)",
)
async def post_alerts(
    request: Request,
    body: AlertmanagerPayload | GenericAlert,
    source: alerts.ResolvedIntegration = Depends(integration),
) -> AlertsOut:
    if isinstance(body, AlertmanagerPayload):
        batch = [_from_alertmanager(a) for a in body.alerts]
    else:
        batch = [_from_generic(body)]
    outcomes = await call(request, alerts.receive, source, batch)
    changed = tuple(o.ticket_id for o in outcomes if o.ticket_id is not None)
    if changed:
        live.publish(live.Change(kind="ticket", ticket_ids=changed, actor_id=source.bot.id))
    return AlertsOut(
        results=[
            AlertResult(fingerprint=o.fingerprint, action=o.action, ticket_number=o.ticket_number)
            for o in outcomes
        ]
    )
