"""Custom fields in the interface (services/custom_fields.py): the inputs of the filing form
(the chosen type's fields the filer may see) and the ticket page's panel (staff edit every
field; requesters read the public ones).

Each place has its own small state, so the shared pages only place a component and, for the
filing form, hand the values to `create_ticket` (`FilingFieldsState._payload`).
"""

from __future__ import annotations

import json
import re
from typing import ClassVar, TypedDict

import reflex as rx

from ticketapp import live
from ticketapp.components.form_fields import LABEL_STYLE
from ticketapp.components.i18n import t
from ticketapp.components.layout import field_error
from ticketapp.components.stamp_watcher import stamp_watcher
from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.models import FieldKind
from ticketapp.services import custom_fields as cf_service
from ticketapp.services import tickets
from ticketapp.services.actor import Actor
from ticketapp.services.errors import NotFound, ServiceError
from ticketapp.services.tickets import FormInvalid
from ticketapp.state import SIGNED_IN, SessionState

_PATH_RE = re.compile(r"^/tickets/(\d{1,9})/?$")
FIELDS_DRAFT_KEY = "ticketapp-new-ticket-fields"
MAX_VALUE = 6_000


class FieldItem(TypedDict):
    key: str
    label: str
    kind: str
    options: list[str]
    required: bool
    public: bool
    ticket_type: str
    display: str


def field_item(f: cf_service.FieldDef, display: str = "") -> FieldItem:
    return FieldItem(
        key=f.key,
        label=f.label,
        kind=f.kind,
        options=list(f.options),
        required=f.required,
        public=f.public,
        ticket_type=f.ticket_type,
        display=display,
    )


class FieldValues(SessionState, mixin=True):
    """The fields shown and the values being edited (a multi select's in `cf_multi`)."""

    cf_items: list[FieldItem] = []
    cf_values: dict[str, str] = {}
    cf_multi: dict[str, list[str]] = {}

    def _fill(self, items: list[FieldItem], values: dict[str, list[str]]) -> None:
        self.cf_items = items
        single, multi = {}, {}
        for item in items:
            chosen = values.get(item["key"], [])
            if item["kind"] == FieldKind.MULTI_SELECT:
                multi[item["key"]] = chosen
            else:
                single[item["key"]] = chosen[0] if chosen else ""
        self.cf_values, self.cf_multi = single, multi

    def _known(self, key: str) -> bool:
        return any(i["key"] == key for i in self.cf_items)

    def _changed(self) -> None:
        """After every edit of a value (the filing form keeps its draft here)."""

    @rx.event
    def set_cf(self, key: str, value: str):
        if self._known(str(key)):
            self.cf_values = {**self.cf_values, str(key): str(value)[:MAX_VALUE]}
            self._changed()

    @rx.event
    def set_cf_check(self, key: str, checked: bool):
        if self._known(str(key)):
            self.cf_values = {**self.cf_values, str(key): "true" if checked is True else ""}
            self._changed()

    @rx.event
    def toggle_cf_option(self, key: str, option: str, checked: bool):
        key = str(key)
        if not self._known(key):
            return
        rest = [o for o in self.cf_multi.get(key, []) if o != option]
        self.cf_multi = {**self.cf_multi, key: [*rest, str(option)] if checked is True else rest}
        self._changed()

    def _payload(self) -> dict[str, object]:
        """The values for services/custom_fields.py (key -> text, or a list of options)."""
        out: dict[str, object] = dict(self.cf_values)
        out.update(self.cf_multi)
        return out


class FilingFieldsState(FieldValues, SessionState):
    """The filing form's custom fields: every type's fields the filer may see (the form shows
    those of the chosen type)."""

    allowed_roles: ClassVar[frozenset[str]] = SIGNED_IN

    # The values typed so far, in the tab's sessionStorage beside the form's own draft
    # (pages/ticket_new): a reload, or a fresh server state for this tab, loses none.
    cf_draft: str = rx.SessionStorage("", name=FIELDS_DRAFT_KEY)
    _draft_user: int = 0

    @rx.event
    async def load_filing_fields(self):
        actor = await self.current_actor()
        if actor is None:
            return
        defs = await run_in_session(cf_service.list_fields, actor, readonly=True)
        items = [field_item(f) for f in defs]
        keep = {k: [v] for k, v in self.cf_values.items() if v}
        keep.update(self.cf_multi)
        if self._draft_user != actor.id:
            keep = self._drafted(actor.id)
        self._draft_user = actor.id
        self._fill(items, keep)

    def _drafted(self, user_id: int) -> dict[str, list[str]]:
        """The values of this tab's draft, if it is this user's."""
        try:
            data = json.loads(self.cf_draft) if self.cf_draft else None
        except ValueError:
            data = None
        if not isinstance(data, dict) or data.get("uid") != user_id:
            return {}
        values = data.get("values")
        if not isinstance(values, dict):
            return {}
        return {
            str(k)[:80]: [str(x)[:MAX_VALUE] for x in v][:100]
            for k, v in values.items()
            if isinstance(v, list)
        }

    def _changed(self) -> None:
        if not self._draft_user:
            return
        values = {k: [v] for k, v in self.cf_values.items() if v}
        values.update({k: v for k, v in self.cf_multi.items() if v})
        self.cf_draft = json.dumps({"uid": self._draft_user, "values": values})

    def clear(self) -> None:
        self._fill(self.cf_items, {})
        self.cf_draft = ""


class TicketFieldsState(FieldValues, SessionState):
    """The custom fields of the ticket in the URL (ticket page)."""

    allowed_roles: ClassVar[frozenset[str]] = SIGNED_IN

    cf_errors: dict[str, str] = {}
    cf_saving: bool = False

    def _number(self) -> str:
        match = _PATH_RE.match(self.router.url.path or "")
        return match.group(1) if match else ""

    async def _ticket(self) -> tuple[Actor, int]:
        actor = await self.current_actor()
        if actor is None:
            raise NotFound(tickets.NOT_FOUND)
        tid = await run_in_session(
            tickets.ticket_id_for_number, actor, self._number(), readonly=True
        )
        return actor, tid

    async def _load(self, actor: Actor, tid: int) -> None:
        found = await run_in_session(cf_service.ticket_values, actor, tid, readonly=True)
        self._fill(
            [field_item(v.field, v.display) for v in found], {v.field.key: v.values for v in found}
        )

    @rx.event
    async def load_ticket_fields(self):
        if self.cf_saving:
            return
        try:
            actor, tid = await self._ticket()
            await self._load(actor, tid)
        except NotFound:
            self._fill([], {})
        self.cf_errors = {}

    @rx.event
    async def save_ticket_fields(self, _form: dict | None = None):
        self.cf_saving = True
        self.cf_errors = {}
        yield
        try:
            actor, tid = await self._ticket()
            changed = await run_in_session(cf_service.set_values, actor, tid, self._payload())
        except FormInvalid as exc:
            self.cf_saving = False
            self.cf_errors = dict(exc.errors)
            yield rx.toast.error(_("Some fields need your attention."))
            return
        except ServiceError as exc:
            self.cf_saving = False
            yield rx.toast.error(exc.message)
            return
        self.cf_saving = False
        await self._load(actor, tid)
        if changed:
            live.publish(live.Change("ticket", (tid,), actor_id=actor.id))
        yield rx.toast.success(_("Fields saved."))


# --------------------------------------------------------------------------- views


def _label(item, for_id: bool = True) -> rx.Component:
    text = rx.fragment(
        item["label"],
        rx.cond(item["required"], rx.el.span(" *", aria_hidden="true", color=rx.color("red", 11))),
    )
    if for_id:
        return rx.el.label(text, html_for=item["key"], style=LABEL_STYLE)
    return rx.el.legend(text, style=LABEL_STYLE)


def _input_props(item, error: rx.Var[str]) -> dict:
    return {
        "id": item["key"],
        "name": item["key"],
        "aria_invalid": rx.cond(error != "", "true", "false"),
        "aria_describedby": item["key"] + "-error",
        "aria_required": rx.cond(item["required"], "true", "false"),
        "width": "100%",
    }


_NATIVE_SELECT = {
    "width": "100%",
    "padding": "0.35em 0.5em",
    "border_radius": "var(--radius-2)",
    "border": "1px solid var(--gray-7)",
    "background": "var(--color-surface)",
    "color": "var(--gray-12)",
    "font_size": "14px",
}


def _control(state: type[FieldValues], item, error: rx.Var[str]) -> rx.Component:
    key = item["key"]
    value = state.cf_values.get(key, "")
    props = _input_props(item, error)
    on_change = lambda v: state.set_cf(key, v)  # noqa: E731
    text = rx.input(value=value, on_change=on_change, max_length=500, **props)
    return rx.match(
        item["kind"],
        (
            FieldKind.LONG_TEXT.value,
            rx.text_area(value=value, on_change=on_change, rows="3", **props),
        ),
        (
            FieldKind.NUMBER.value,
            rx.input(value=value, on_change=on_change, input_mode="decimal", **props),
        ),
        (FieldKind.DATE.value, rx.input(type="date", value=value, on_change=on_change, **props)),
        (
            FieldKind.SELECT.value,
            rx.el.select(
                rx.el.option(t("(none)"), value=""),
                rx.foreach(item["options"], lambda o: rx.el.option(o, value=o)),
                value=value,
                on_change=on_change,
                style=_NATIVE_SELECT,
                **props,
            ),
        ),
        text,
    )


def _checkbox(state: type[FieldValues], item, error: rx.Var[str]) -> rx.Component:
    key = item["key"]
    return rx.el.label(
        rx.checkbox(
            checked=state.cf_values.get(key, "") == "true",
            on_change=lambda c: state.set_cf_check(key, c),
            id=key,
            aria_invalid=rx.cond(error != "", "true", "false"),
            aria_describedby=key + "-error",
        ),
        rx.text(item["label"], as_="span", size="2", weight="medium"),
        rx.cond(item["required"], rx.el.span(" *", aria_hidden="true")),
        style={"display": "flex", "gap": "0.5em", "align-items": "center"},
    )


def _multi(state: type[FieldValues], item, error: rx.Var[str]) -> rx.Component:
    key = item["key"]
    return rx.el.fieldset(
        _label(item, for_id=False),
        rx.flex(
            rx.foreach(
                item["options"],
                lambda o: rx.el.label(
                    rx.checkbox(
                        checked=state.cf_multi.get(key, []).contains(o),
                        on_change=lambda c: state.toggle_cf_option(key, o, c),
                    ),
                    rx.text(o, as_="span", size="2"),
                    style={"display": "flex", "gap": "0.4em", "align-items": "center"},
                ),
            ),
            wrap="wrap",
            gap="3",
        ),
        aria_describedby=key + "-error",
        style={"border": "none", "padding": "0", "margin": "0"},
    )


def field_editor(state: type[FieldValues], item, errors: rx.Var) -> rx.Component:
    """One field as an input, its label and its error (from `errors`, keyed like the field)."""
    error = errors.get(item["key"], "").to(str)
    return rx.vstack(
        rx.match(
            item["kind"],
            (FieldKind.CHECKBOX.value, _checkbox(state, item, error)),
            (FieldKind.MULTI_SELECT.value, _multi(state, item, error)),
            rx.fragment(_label(item), _control(state, item, error)),
        ),
        field_error(error, item["key"]),
        spacing="1",
        width="100%",
    )


def filing_fields(ticket_type: rx.Var[str], errors: rx.Var) -> rx.Component:
    """The filing form's custom fields of `ticket_type`; `errors`: the form's errors."""
    S = FilingFieldsState
    return rx.vstack(
        rx.foreach(
            S.cf_items,
            lambda item: rx.cond(
                item["ticket_type"] == ticket_type, field_editor(S, item, errors), rx.fragment()
            ),
        ),
        on_mount=S.load_filing_fields,
        spacing="3",
        width="100%",
    )


def _read_only(item) -> rx.Component:
    return rx.vstack(
        rx.text(item["label"], size="1", color_scheme="gray", weight="medium"),
        rx.text(rx.cond(item["display"] != "", item["display"], "—"), size="2"),
        spacing="0",
        width="100%",
    )


def ticket_fields_panel(stamp: rx.Var[int], is_staff: rx.Var[bool]) -> rx.Component:
    """The ticket page's custom fields: a form for staff, read-only values for requesters.
    `stamp`: the page's live feed (reloads the values when the ticket changes)."""
    S = TicketFieldsState
    staff_form = rx.form(
        rx.vstack(
            rx.foreach(S.cf_items, lambda item: field_editor(S, item, S.cf_errors)),
            rx.button(
                t("Save fields"), type="submit", variant="soft", size="2", loading=S.cf_saving
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=S.save_ticket_fields,
        reset_on_submit=False,
        width="100%",
    )
    return rx.box(
        stamp_watcher(stamp, S.load_ticket_fields),
        rx.cond(
            S.cf_items.length() > 0,
            rx.vstack(
                rx.heading(t("Custom fields"), size="3", as_="h2"),
                rx.cond(is_staff, staff_form, rx.foreach(S.cf_items, _read_only)),
                spacing="2",
                width="100%",
            ),
        ),
        width="100%",
    )
