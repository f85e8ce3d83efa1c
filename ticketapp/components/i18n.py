"""Page text in the user's language: `t("Sign in")`, `tn("{n} ticket", "{n} tickets", n)`.

Reflex compiles component text into the frontend at build time, so a translated string cannot
be a Python str: `t()` returns a Var that calls the browser-side lookup (i18n.js) with the tab's
locale var, and re-renders when that var changes. One build serves every language; the
catalogs travel in the bundle (i18n_catalogs.js, generated from the gettext catalogs).
Parameters are Vars or plain values: `t("Ticket #{number}", number=State.number)`.
Server-side text (toasts, validation messages) uses `ticketapp.i18n._` instead.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_base.utils.imports import ImportVar
from reflex_base.vars.base import VarData
from reflex_base.vars.function import FunctionStringVar

from ticketapp.state import SessionState

_RUNTIME = rx.asset("i18n.js", shared=True)
rx.asset("i18n_catalogs.js", shared=True)  # imported by i18n.js, from the same folder


def _runtime(name: str) -> FunctionStringVar:
    imports = {_RUNTIME.importable_path: [ImportVar(tag=name)]}
    return FunctionStringVar.create(name, _var_data=VarData(imports=imports))


def _params(params: dict[str, Any]) -> list[Any]:
    return [rx.Var.create(params)] if params else []


def t(msgid: str, **params: Any) -> rx.Var[str]:
    """`msgid` in the tab's language, `{placeholders}` filled from `params`."""
    return _runtime("i18nT").call(msgid, SessionState.locale, *_params(params)).to(str)


def tn(singular: str, plural: str, n: Any, **params: Any) -> rx.Var[str]:
    """The plural form for `n` in the tab's language (`{n}` is filled with n)."""
    call = _runtime("i18nTn").call(singular, plural, n, SessionState.locale, *_params(params))
    return call.to(str)


def tab_locale() -> rx.Var[str]:
    """The language the tab shows: its locale var, else the browser's best match."""
    return _runtime("i18nLocale").call(SessionState.locale).to(str)


def t_var(msgid: rx.Var[str]) -> rx.Var[str]:
    """A msgid held in a Var (a status label from the server, marked with `N_` where it is
    defined), in the tab's language."""
    return _runtime("i18nT").call(msgid, SessionState.locale).to(str)


def t_choice(value: rx.Var[str], labels: dict[str, str]) -> rx.Var[str]:
    """The label of `value` from a value -> msgid table (ROLE_LABELS, STATUS_LABELS, ...)."""
    table = rx.Var.create({str(key): msgid for key, msgid in labels.items()})
    return t_var(table[value].to(str))


def t_rows(rows: rx.Var[list], key: str = "label") -> rx.Var[list]:
    """A list Var of dicts whose `key` holds a msgid (chart categories), translated in the
    browser: data computed once for every viewer, whatever their language."""
    return _runtime("i18nRows").call(rows, key, SessionState.locale).to(rows._var_type)


def t_later(text: rx.Var[str]) -> rx.Var[str]:
    """Text the server made for readers of every language (`ticketapp.i18n.later()`: a KPI's
    detail "51 answered, 3 not yet", a duration, a rate), translated and formatted in the
    browser; a plain msgid is looked up as `t_var` does."""
    return _runtime("i18nShown").call(text, SessionState.locale).to(str)
