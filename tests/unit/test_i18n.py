"""The interface languages: negotiation, the server-side lookup, the user's setting."""

from __future__ import annotations

import pytest

from tests.unit.factories import people
from ticketapp import i18n
from ticketapp.models import User
from ticketapp.services import profile
from ticketapp.services.errors import ValidationError


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7", "ru"),
        ("de-DE,de;q=0.9,pl;q=0.5,en;q=0.4", "pl"),
        ("en;q=0.5, lv-LV", "lv"),
        ("fr-FR", "en"),
        ("ru;q=0, pl;q=0.1", "pl"),
        ("", "en"),
        ("ru;q=abc", "en"),
    ],
)
def test_the_browser_languages_pick_one_of_ours(header, expected):
    assert i18n.negotiate(header) == expected


def test_only_our_locales_are_supported():
    assert [i18n.supported(x) for x in ("ru_RU", "PL", "lv-LV", "de", "", None)] == [
        "ru",
        "pl",
        "lv",
        "",
        "",
        "",
    ]


def test_a_locale_is_used_for_a_while_and_then_restored():
    i18n.use("pl")
    with i18n.using("ru"):
        assert i18n.current() == "ru"
    assert i18n.current() == "pl"
    i18n.use("xx")
    assert i18n.current() == "en"


def test_english_fills_placeholders_and_plurals():
    i18n.use("en")
    assert i18n._("Ticket #{number}", number=12) == "Ticket #12"
    assert i18n._n("{n} ticket", "{n} tickets", 1) == "1 ticket"
    assert i18n._n("{n} ticket", "{n} tickets", 5) == "5 tickets"


def test_a_service_error_keeps_its_msgid_and_parameters():
    error = ValidationError("Use at least {n} characters.", "password", n=8)
    assert (error.msgid, error.params, error.field) == (
        "Use at least {n} characters.",
        {"n": 8},
        "password",
    )
    assert str(error) == error.message == "Use at least 8 characters."


def test_a_user_sets_their_own_language(session):
    who = people(session)
    assert profile.set_locale(session, who.requester, "ru-RU") == "ru"
    session.commit()
    assert session.get(User, who.requester.id).locale == "ru"
    assert profile.set_locale(session, who.requester, "") == ""
    session.commit()
    with pytest.raises(ValidationError) as refused:
        profile.set_locale(session, who.requester, "klingon")
    assert refused.value.field == "locale"
    session.rollback()
    assert session.get(User, who.requester.id).locale == ""
    assert session.get(User, who.agent.id).locale == ""  # nobody else's changed


def test_moments_read_in_the_current_language():
    from datetime import UTC, datetime

    from ticketapp import clock

    moment = datetime(2026, 12, 1, 15, 4, tzinfo=UTC)
    labels = {}
    for locale in i18n.LOCALES:
        with i18n.using(locale):
            labels[locale] = clock.local_label(moment)
    assert labels["en"] == "Dec 1, 2026, 15:04 UTC"
    assert labels["ru"] == "1 дек. 2026\u202fг., 15:04 UTC"  # a narrow no-break space
    assert labels["pl"].startswith("1 gru 2026")
    assert "dec" in labels["lv"]


def test_a_grouped_number_is_written_the_readers_way():
    error = ValidationError("Keep it under {max:,} characters.", "body", max=20000)
    assert error.message == "Keep it under 20,000 characters."
    with i18n.using("ru"):
        assert error.message == "Не более 20\xa0000 символов."
    with i18n.using("pl"):
        assert i18n.number(1234.5, 1) == "1\xa0234,5"


def test_a_stored_text_is_translated_when_read():
    stored = i18n.later("#{number} is already closed.", number=12)
    assert stored.startswith(i18n.LATER_PREFIX)
    assert i18n.shown(stored) == "#12 is already closed."
    with i18n.using("ru"):
        assert i18n.shown(stored) == "#12 уже закрыт."
        assert i18n.shown("Written before: plain English.") == "Written before: plain English."
        assert i18n.shown(i18n.LATER_PREFIX + "{broken") == i18n.LATER_PREFIX + "{broken"
        assert i18n.shown(None) == ""


def test_a_refusal_names_statuses_in_the_readers_language():
    from ticketapp.services import lifecycle

    with pytest.raises(ValidationError) as refused:
        lifecycle.check_transition("closed", "open", None)
    with i18n.using("ru"):
        assert "«Закрыт»" in refused.value.message


def test_text_a_person_wrote_never_reads_as_a_stored_message(session):
    from tests.unit.factories import make_ticket
    from ticketapp.services import tickets

    who = people(session)
    typed = 'i18n:{"id":"#{number} is already closed.","p":{"number":1}}'
    ref = make_ticket(session, who.requester, title=typed)
    tickets.add_comment(session, who.requester, ref.id, typed)
    with i18n.using("ru"):
        view = tickets.get_ticket_view(session, who.requester, ref.number)
        stored = i18n.later("#{number} is already closed.", number=typed)  # a title as a param
        assert i18n.shown(stored) == f"#{typed} уже закрыт."
    assert view.conversation[-1].body.replace("\u2060", "") == typed
    assert view.title == typed


def test_a_half_percent_rounds_up_as_in_the_browser():
    """The analytics page formats in the browser (Intl.NumberFormat: halves up); its CSV on the
    server must say the same (babel alone rounds halves to even: 56.2%)."""
    assert i18n.percent(0.5625) == "56.3%"
    assert i18n.percent(0.123) == "12.3%"
    with i18n.using("pl"):
        assert i18n.percent(0.5625).startswith("56,3")
