"""The catalogs are complete and what ships is built from them.

- every msgid in ticketapp/ (what `make messages` extracts) is translated in Russian, Polish and
  Latvian: no empty or fuzzy entry, every plural form given;
- no message is an f-string (the extractor skips those: they would stay English);
- a translation keeps its msgid's {placeholders};
- the .mo files and the browser's catalogs are compiled from the current .po files;
- plural forms follow each language's rules.
"""

from __future__ import annotations

import gettext
import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo

from ticketapp import i18n
from ticketapp.i18n import build

LANGUAGES = [code for code in i18n.LOCALES if code != i18n.DEFAULT_LOCALE]
PLACEHOLDER = re.compile(r"\{(\w+)(?::[^{}]*)?\}")  # {name} and {max:,}


@pytest.fixture(scope="module")
def msgids() -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in build.extract() if m.id}


def _key(value):
    return tuple(value) if isinstance(value, list | tuple) else value


def _forms(message) -> list[str]:
    return list(message.string) if isinstance(message.id, tuple | list) else [message.string]


def test_no_message_is_an_f_string(capsys):
    """Babel skips an f-string passed to a keyword (`ValidationError(f"...{x}")`) with a warning
    on stderr: such a message never reaches the catalogs. Pass {named} parameters instead."""
    build.extract()
    skipped = [line for line in capsys.readouterr().err.splitlines() if "f-string" in line]
    assert not skipped, "messages written as f-strings:\n" + "\n".join(skipped)


def test_the_f_string_check_sees_one(tmp_path, capsys):
    (tmp_path / "bad.py").write_text('raise ValidationError(f"At most {n} rules.", "name")\n')
    list(extract_from_dir(str(tmp_path), keywords=build.KEYWORDS))
    assert "Skipping f-string" in capsys.readouterr().err


@pytest.mark.parametrize("locale", LANGUAGES)
def test_every_message_is_translated(locale, msgids):
    catalog = build.read(build.po_path(locale), locale)
    done = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and not m.fuzzy and all(_forms(m)) and len(_forms(m)) >= 1
    }
    missing = sorted(msgids - done)
    assert not missing, f"{len(missing)} messages untranslated in {locale}:\n" + "\n".join(missing)


@pytest.mark.parametrize("locale", LANGUAGES)
def test_translations_keep_their_placeholders(locale):
    catalog = build.read(build.po_path(locale), locale)
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[1]
        expected = set(PLACEHOLDER.findall(source))
        for form in _forms(message):
            if form and set(PLACEHOLDER.findall(form)) != expected:
                wrong.append(f"{source!r} -> {form!r}")
        if isinstance(message.id, tuple | list):
            assert len(message.string) == catalog.num_plurals, source
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("locale", LANGUAGES)
def test_the_server_catalog_is_compiled_from_the_po_file(locale):
    catalog = build.read(build.po_path(locale), locale)
    with build.po_path(locale).with_suffix(".mo").open("rb") as fh:
        compiled = read_mo(fh)

    def entries(messages) -> dict:
        return {_key(m.id): _key(m.string) for m in messages if m.id}

    expected = entries(m for m in catalog if not m.fuzzy and all(_forms(m)))
    actual = entries(compiled)
    assert actual == expected, "run `make messages`"


def test_the_browser_catalogs_are_compiled_from_the_po_files():
    catalogs = {i18n.DEFAULT_LOCALE: ("(n != 1)", {})}
    for locale in LANGUAGES:
        catalog = build.read(build.po_path(locale), locale)
        catalogs[locale] = (catalog.plural_expr, build.browser_messages(catalog))
    assert build.BROWSER_CATALOGS.read_text(encoding="utf-8") == build.browser_module(catalogs), (
        "run `make messages`"
    )


@pytest.mark.parametrize(
    ("locale", "counts"),
    [
        ("ru", {1: 0, 2: 1, 4: 1, 5: 2, 11: 2, 21: 0, 22: 1, 25: 2}),
        ("pl", {1: 0, 2: 1, 4: 1, 5: 2, 12: 2, 21: 2, 22: 1}),
        ("lv", {0: 0, 1: 1, 2: 2, 10: 0, 11: 0, 21: 1, 22: 2}),
    ],
)
def test_plural_rules(locale, counts):
    catalog = build.read(build.po_path(locale), locale)
    assert catalog.num_plurals == 3
    rule = gettext.c2py(catalog.plural_expr)  # what the server's gettext runs
    assert {n: rule(n) for n in counts} == counts
