"""The interface in the users' languages: English, Russian, Polish and Latvian.

Messages are English source strings (msgids) in gettext catalogs under `i18n/locale/`
(`make messages` extracts them with Babel and updates the catalogs; `python -m
ticketapp.i18n.compile` builds the `.mo` files and the browser's catalog module).

- Page text is compiled into the frontend at build time, so it is looked up in the browser:
  `components.i18n.t()` renders a call into the catalog module, keyed by the tab's locale var.
- Server text (toasts, validation messages, e-mails) is translated here, in the locale of the
  event being handled: a middleware calls `use()` at the start of every event, from the user's
  setting, else the language switcher's cookie, else the browser's Accept-Language.
- `ServiceError` messages are msgids with `{named}` parameters, translated when read.
- Text stored now and read later by anyone (history reasons, the SLA log, notifications) is
  stored language-neutral with `later()` and shown with `shown()` in the reader's language.
- Numbers, durations, lists and days are formatted for the locale with Babel (`number`,
  `duration`, `listing`; `{max:,}` in a message groups digits the locale's way).

Placeholders are `{name}` (str.format style) in both the browser and here.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import json
import string
from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from babel.dates import format_skeleton
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations
from babel.units import format_unit

LOCALES = {"en": "English", "ru": "Русский", "pl": "Polski", "lv": "Latviešu"}
DEFAULT_LOCALE = "en"
CATALOG_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("locale", default=DEFAULT_LOCALE)


def N_(msgid: str) -> str:  # noqa: N802 (the gettext convention)
    """Marks a msgid for the catalogs where it is defined; it is translated where it is shown."""
    return msgid


def supported(locale: str | None) -> str:
    """`locale` if it is one of ours ("ru", "ru-RU", "ru_RU" -> "ru"), else ""."""
    code = (locale or "").replace("_", "-").split("-")[0].strip().lower()
    return code if code in LOCALES else ""


def negotiate(accept_language: str | None) -> str:
    """The best of our locales for an Accept-Language header; English when none fits."""
    ranked = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if supported(tag) and quality > 0:
            ranked.append((-quality, position, supported(tag)))
    return min(ranked)[2] if ranked else DEFAULT_LOCALE


def use(locale: str | None) -> None:
    """The locale of what this task says from now on (set per event by the middleware)."""
    _current.set(supported(locale) or DEFAULT_LOCALE)


def current() -> str:
    return _current.get()


@contextlib.contextmanager
def using(locale: str | None) -> Iterator[None]:
    """Say something in another locale for a while (an e-mail in its recipient's language)."""
    token = _current.set(supported(locale) or DEFAULT_LOCALE)
    try:
        yield
    finally:
        _current.reset(token)


@functools.cache
def translations(locale: str) -> NullTranslations:
    if locale == DEFAULT_LOCALE:
        return NullTranslations()
    return Translations.load(str(CATALOG_DIR), [locale], DOMAIN)


class _Formatter(string.Formatter):
    """str.format, with the thousands separator of the current locale: `{max:,}` reads
    "5,000" in English and "5 000" in Russian (Babel's number format)."""

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec == "," and isinstance(value, int | float) and not isinstance(value, bool):
            return format_decimal(value, locale=current())
        return super().format_field(value, format_spec)


_formatter = _Formatter()


def fill(text: str, params: dict[str, object]) -> str:
    """`text` with its `{placeholders}` filled in the current locale; a parameter made with
    `later()` (a status label inside a refusal) is translated too."""
    if not params:
        return text
    values = {k: shown(v) if isinstance(v, Later) else v for k, v in params.items()}
    return _formatter.vformat(text, (), values)


def _(msgid: str, **params: object) -> str:
    """`msgid` in the current locale, with its `{placeholders}` filled."""
    return fill(translations(current()).gettext(msgid), params)


def _n(singular: str, plural: str, n: int, **params: object) -> str:
    """The plural form for `n` in the current locale (`{n}` is filled with n)."""
    return fill(translations(current()).ngettext(singular, plural, n), {"n": n, **params})


def number(value: float, decimals: int = 0) -> str:
    """A number as the current locale writes it ("1,234.5" / "1 234,5")."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, pattern, locale=current())


def percent(share: float) -> str:
    """A share (0.123) as a percentage with one decimal ("12.3%" / "12,3 %"). Halves round up,
    as the browser's Intl.NumberFormat does (babel alone rounds them to even): a CSV and the
    page it was downloaded from both say 56.3% for 0.5625."""
    exact = Decimal(share).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    return format_percent(exact, "#,##0.0%", locale=current())


def listing(items: list[str]) -> str:
    """Items joined the locale's way ("a, b, and c" / "a, b и c")."""
    return format_list(items, locale=current()) if items else ""


def duration(minutes: float, hours_only: bool = False) -> str:
    """A duration in at most two units, narrow and in the current locale: "1d 2h", "45m"
    ("1 д. 2 ч", "45 мин"); `hours_only` for business time ("24h" = three 8-hour days)."""
    minutes = int(round(abs(minutes)))
    days, rest = divmod(minutes, 24 * 60) if not hours_only else (0, minutes)
    hours, mins = divmod(rest, 60)
    parts = [(days, "duration-day"), (hours, "duration-hour")]
    shown_parts = [(n, unit) for n, unit in parts if n]
    if mins or not shown_parts:
        shown_parts.append((mins, "duration-minute"))
    locale = current()
    return " ".join(
        format_unit(n, unit, length="narrow", locale=locale) for n, unit in shown_parts[:2]
    )


# --- text stored now and read later, by whoever reads it ------------------------------------
#
# A history reason, a system comment or an in-app notification is written once (often by the
# scheduler, in nobody's language) and read later by people of every language: it is stored as
# its msgid and parameters (JSON after LATER_PREFIX, in the same text column) and translated
# where it is shown (`shown`). A parameter may itself be such a text (a status label), or a
# duration (`later_duration`), formatted for the reader.
# Rows written before this are plain English and are shown as they are.

LATER_PREFIX = "i18n:"


class Later(str):
    """A text made by `later()`: only these nest as messages inside another one's parameters
    (a title or a name that happens to start with LATER_PREFIX stays text as written)."""


def _stored(data: dict[str, object]) -> dict[str, object]:
    given: dict[str, object] = data.pop("p", None) or {}  # type: ignore[assignment]
    params = {k: _stored_param(v) for k, v in given.items()}
    return {**data, "p": params} if params else data


def _stored_param(value: object) -> object:
    if isinstance(value, Later):
        return json.loads(value[len(LATER_PREFIX) :])  # nested, not escaped: compact
    return value if isinstance(value, int | float | str | dict) else str(value)


def _dump(data: dict[str, object]) -> Later:
    return Later(
        LATER_PREFIX + json.dumps(_stored(data), ensure_ascii=False, separators=(",", ":"))
    )


def later(msgid: str, **params: object) -> Later:
    """`msgid` and its parameters, to translate when read (`shown`)."""
    return _dump({"id": msgid, "p": params})


def later_n(singular: str, plural: str, n: int, **params: object) -> Later:
    """A plural text to translate when read."""
    return _dump({"id": singular, "pl": plural, "n": n, "p": params})


def later_duration(minutes: float, hours_only: bool = False) -> dict[str, object]:
    """A `later()` parameter: a duration, written in the reader's locale (`duration`)."""
    return {"min": int(round(minutes)), "h": True} if hours_only else {"min": int(round(minutes))}


def later_percent(share: float) -> dict[str, object]:
    """A `later()` parameter: a share (0.123), written "12.3%" the reader's way."""
    return {"pct": share}


def later_number(value: float, decimals: int = 0) -> dict[str, object]:
    """A `later()` parameter: a number, grouped and with `decimals` the reader's way."""
    return {"num": value, "dp": decimals}


def later_date(day: date) -> dict[str, object]:
    """A `later()` parameter: a day, written "Dec 1" / "1 дек." for the reader."""
    return {"date": day.isoformat()}


def later_value(param: dict[str, object]) -> Later:
    """A stored text that is one formatted value (a KPI's "2h 5m", "12.3%")."""
    return Later(LATER_PREFIX + json.dumps(param, separators=(",", ":")))


def _shown_param(value: object) -> object:
    if not isinstance(value, dict):  # a name, a title, a number: as given
        return value
    if "id" in value:
        return _translate(value)
    if "min" in value:
        return duration(float(value["min"]), bool(value.get("h")))
    if "pct" in value:
        return percent(float(value["pct"]))
    if "num" in value:
        return number(float(value["num"]), int(value.get("dp") or 0))
    if "date" in value:
        return format_skeleton("MMMd", date.fromisoformat(str(value["date"])), locale=current())
    return value


def _translate(data: dict) -> str:
    if "id" not in data:
        return str(_shown_param(data))  # a value alone (later_value)
    params = {k: _shown_param(v) for k, v in (data.get("p") or {}).items()}
    if "pl" in data:
        return _n(data["id"], data["pl"], int(data["n"]), **params)
    return _(data["id"], **params)


def as_written(text: str) -> str:
    """Text a person typed, kept from ever reading as a `later()` text when shown: a leading
    LATER_PREFIX gets an invisible word joiner ("i18n\u2060:")."""
    if text.startswith(LATER_PREFIX):
        return LATER_PREFIX[:-1] + "\u2060" + text[len(LATER_PREFIX) - 1 :]
    return text


def fit(text: str, limit: int) -> str:
    """`text` within `limit` characters; a `later()` text stays whole JSON: its longest
    parameter (a ticket title) is shortened with "…" instead."""
    if len(text) <= limit:
        return text
    try:
        data = json.loads(text[len(LATER_PREFIX) :]) if text.startswith(LATER_PREFIX) else None
    except ValueError:
        data = None
    params = (data or {}).get("p") or {}
    texts = [k for k, v in params.items() if isinstance(v, str) and len(v) > 1]
    if not texts:
        with using(DEFAULT_LOCALE):
            return shown(text)[:limit]
    key = max(texts, key=lambda k: len(params[k]))
    keep = max(0, len(params[key]) - (len(text) - limit) - 1)
    params[key] = params[key][:keep] + "…"
    return fit(_dump(data), limit)  # type: ignore[arg-type]


def shown(text: str | None) -> str:
    """A stored text in the current locale: `later()` texts translated, others as written."""
    if not text or not text.startswith(LATER_PREFIX):
        return text or ""
    try:
        return _translate(json.loads(text[len(LATER_PREFIX) :]))
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return text
