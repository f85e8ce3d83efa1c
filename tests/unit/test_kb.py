"""Knowledge-base service: ranking, stemming, typos, hostile input, visibility, index consistency,
history and feedback. Every test runs on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from ticketapp import i18n
from ticketapp.db import make_engine, migrate
from ticketapp.models import Category, KbArticleVersion, KbDeflection, KbFeedback, User
from ticketapp.services import kb
from ticketapp.services import text as tx
from ticketapp.services.actor import Actor
from ticketapp.services.errors import Conflict, NotFound, PermissionDenied, ValidationError


@pytest.fixture
def db(session: Session) -> Session:
    # The conftest truncates model tables only; kb_term (migration 0002) is not a model.
    session.execute(text("DELETE FROM kb_term"))
    session.commit()
    return session


def _actor(session: Session, role: str) -> Actor:
    user = User(email=f"{role}@example.com", name=role.title(), password_hash="x", role=role)
    session.add(user)
    session.commit()
    return Actor.of(user)


@pytest.fixture
def agent(db: Session) -> Actor:
    return _actor(db, "agent")


@pytest.fixture
def requester(db: Session) -> Actor:
    return _actor(db, "requester")


@pytest.fixture
def cat(db: Session) -> dict[str, int]:
    cats = [Category(name="Printing"), Category(name="Access & accounts")]
    db.add_all(cats)
    db.commit()
    return {c.name: c.id for c in cats}


def _new(db: Session, agent: Actor, title: str, body: str = "Some body text.", **kw):
    kw.setdefault("status", "published")
    kw.setdefault("tags", "")
    kw.setdefault("audience", "public")
    kw.setdefault("category_id", None)
    article = kb.create_article(db, agent, title=title, body=body, **kw)
    db.commit()
    return article


def _titles(hits) -> list[str]:
    return [h.title for h in hits]


# ------------------------------------------------------------------ text pipeline


def test_stemming_english_and_russian():
    assert tx.tokens("printers") == tx.tokens("printer") == ["printer"]
    assert tx.tokens("принтеры") == tx.tokens("принтер") == ["принтер"]
    assert tx.tokens("Printing the passwords") == ["print", "password"]
    assert tx.tokens("Ёлка ёлки") == tx.tokens("елка елки")
    assert tx.slugify("Как сбросить пароль") == "kak-sbrosit-parol"
    assert tx.slugify("Café déjà vu!") == "cafe-deja-vu"
    assert tx.edit_distance("pasword", "password") == 1
    assert tx.edit_distance("pritner", "printer") == 1


def test_stemming_polish_and_latvian():
    # The language of a text decides its Latin words' stemmer; forms of one word agree.
    assert tx.language_of("Drukarka nie drukuje, sprawdź toner") == "pl"
    assert tx.language_of("Printeris nedrukā, pārbaudiet toneri") == "lv"
    assert tx.language_of("The printer does not print") == "en"
    pl = {w: tx.tokens(w, lang="pl") for w in ("drukarka", "drukarki", "drukarkę", "drukarką")}
    assert len(set(map(tuple, pl.values()))) == 1, pl
    assert tx.tokens("hasło", lang="pl") == tx.tokens("hasła", lang="pl") == ["hasl"]
    lv = {w: tx.tokens(w, lang="lv") for w in ("printeris", "printera", "printerim", "printeri")}
    assert len(set(map(tuple, lv.values()))) == 1, lv
    assert tx.tokens("tīkls tīklā", lang="lv") == ["tikl", "tikl"]  # folded after stemming
    # Stop words are per language: "pod" is a word in English, a preposition in Polish.
    assert tx.tokens("pod restarts", lang="en") == ["pod", "restart"]
    assert tx.tokens("pod biurkiem", lang="pl") == tx.tokens("biurkiem", lang="pl")


# ------------------------------------------------------------------ search


def test_ranking_title_over_tags_over_body(db, agent):
    _new(db, agent, "Body article", body="Remember to restart the gateway after changes.")
    _new(db, agent, "Tags article", body="Nothing relevant here.", tags="gateway")
    _new(db, agent, "Gateway article", body="Nothing relevant here either.")
    for i in range(5):
        _new(db, agent, f"Unrelated {i}", body="Other words entirely.")
    hits = kb.search(db, agent, "gateway ")
    assert _titles(hits) == ["Gateway article", "Tags article", "Body article"]
    assert hits[0].score > hits[1].score > hits[2].score


def test_word_forms_english_and_russian(db, agent, requester):
    _new(db, agent, "Printer offline", body="The printer shows offline in the queue.")
    _new(db, agent, "Принтер не печатает", body="Проверьте принтер и очередь печати.")
    assert _titles(kb.search(db, requester, "printers "))[0] == "Printer offline"
    assert _titles(kb.search(db, requester, "принтеры "))[0] == "Принтер не печатает"
    assert _titles(kb.search(db, requester, "печать"))[0] == "Принтер не печатает"


def test_word_forms_polish_and_latvian(db, agent, requester):
    _new(db, agent, "Drukarka nie drukuje", body="Sprawdź, czy drukarka ma papier i toner.")
    _new(db, agent, "Printeris nedrukā", body="Pārbaudiet, vai printerim ir papīrs un toneris.")
    _new(db, agent, "Printer offline", body="The printer shows offline in the queue.")
    _new(db, agent, "Nie pamiętam hasła", body="Zresetuj hasło na stronie logowania.")
    assert _titles(kb.search(db, requester, "drukarki "))[0] == "Drukarka nie drukuje"
    assert _titles(kb.search(db, requester, "drukarką "))[0] == "Drukarka nie drukuje"
    assert _titles(kb.search(db, requester, "printerim "))[0] == "Printeris nedrukā"
    # The Latvian word is the English one with Latvian endings: both articles match.
    assert set(_titles(kb.search(db, requester, "printers "))) == {
        "Printer offline",
        "Printeris nedrukā",
    }
    # Typed without diacritics, in the reader's language.
    with i18n.using("pl"):
        assert _titles(kb.search(db, requester, "haslo "))[0] == "Nie pamiętam hasła"
    with i18n.using("lv"):
        assert _titles(kb.search(db, requester, "printera "))[0] == "Printeris nedrukā"
        hits = kb.suggest_for_ticket(db, requester, "Mans printeris", "Printerim beidzies papīrs")
        assert _titles(hits)[0] == "Printeris nedrukā"
        assert "<mark>" in hits[0].title_html


def test_migration_restems_articles_in_their_language(tmp_path):
    """Articles indexed before Polish and Latvian stemming are re-stemmed by the migration."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    migrate(url, "user_locale")
    engine = make_engine(url)
    with Session(engine) as db:
        agent = _actor(db, "agent")
        article = _new(db, agent, "Drukarka nie drukuje", body="Sprawdź papier i toner.")
        english = [tx.stemmed_text(f, lang="en") for f in (article.title, "", article.body)]
        db.execute(text("DELETE FROM kb_search"))  # as the previous release indexed it
        db.execute(
            text("INSERT INTO kb_search(rowid, title, tags, body) VALUES (:id, :t, :g, :b)"),
            {"id": article.id, "t": english[0], "g": english[1], "b": english[2]},
        )
        db.commit()
    migrate(url)
    with Session(engine) as db:
        indexed = db.execute(text("SELECT title, body FROM kb_search")).one()
        assert tuple(indexed) == ("drukark drukuj", "sprawdz papier toner")
        agent = Actor.of(db.exec(select(User)).one())
        assert _titles(kb.search(db, agent, "drukarki ")) == ["Drukarka nie drukuje"]
    engine.dispose()


def test_prefix_while_typing(db, agent):
    _new(db, agent, "Password reset", body="Reset a forgotten password.")
    assert _titles(kb.search(db, agent, "passw")) == ["Password reset"]
    assert _titles(kb.search(db, agent, "forgotten passw")) == ["Password reset"]


def test_typo_fallback(db, agent, requester):
    _new(db, agent, "Password reset", body="Reset a forgotten password yourself.")
    _new(db, agent, "Printer offline", body="The printer is offline.")
    assert _titles(kb.search(db, requester, "pasword reset")) == ["Password reset"]
    assert _titles(kb.search(db, requester, "pritner"))[0] == "Printer offline"
    assert _titles(kb.search(db, requester, "pasword"))[0] == "Password reset"
    assert kb.search(db, requester, "zzzzqqq") == []


def test_snippet_highlights_and_escapes(db, agent):
    _new(
        db,
        agent,
        "Printer <b>offline</b>",
        body="Check the <script>alert(1)</script> printer & restart the spooler.",
    )
    hit = kb.search(db, agent, "printers ")[0]
    assert "<script>" not in hit.snippet_html and "&lt;script&gt;" in hit.snippet_html
    assert "<mark>printer</mark>" in hit.snippet_html
    assert "&amp;" in hit.snippet_html
    assert hit.title_html == "<mark>Printer</mark> &lt;b&gt;offline&lt;/b&gt;"


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"printer',
        "printer*",
        "*",
        "NEAR(printer offline",
        "NEAR(printer, offline)",
        "-printer",
        "printer -offline",
        "((printer",
        "printer)) OR AND NOT",
        "title:printer",
        "^printer",
        "'; DROP TABLE kb_article; --",
        "printer & offline | !reset <-> x:*",
        "\\'\\\"",
        "\x00printer",
        "",
        "   ",
        "a",
        "🙂 принтер",
        "² ³ ǅ ß 中文 عربى \u0301e printer\u0301",
        "printer²",
        "ａｂｃ ｐｒｉｎｔｅｒ",
        "x" * 10_000,
        "printer " * 2_000,
        "pasword " * 1_500,
    ],
)
def test_hostile_queries_never_raise_and_stay_fast(db, agent, query):
    _new(db, agent, "Printer offline", body="The printer is offline.")
    start = time.perf_counter()
    hits = kb.search(db, agent, query)
    kb.suggest_for_ticket(db, agent, query, query)
    assert time.perf_counter() - start < 1.0
    assert isinstance(hits, list)
    assert db.exec(select(User)).first() is not None  # nothing dropped


def test_hostile_non_string_input(db, agent):
    assert kb.search(db, agent, None) == []  # type: ignore[arg-type]
    assert kb.search(db, agent, 123, limit="x") == []  # type: ignore[arg-type]
    assert kb.suggest_for_ticket(db, agent, None, None) == []  # type: ignore[arg-type]


def test_category_filter(db, agent, cat):
    _new(db, agent, "Printer offline", category_id=cat["Printing"])
    _new(db, agent, "Printer access rights", category_id=cat["Access & accounts"])
    hits = kb.search(db, agent, "printer", category_id=cat["Printing"])
    assert _titles(hits) == ["Printer offline"]
    assert hits[0].category == "Printing"


# ------------------------------------------------------------------ visibility


def test_requesters_see_only_published_public(db, agent, requester):
    public = _new(db, agent, "Printer public guide")
    internal = _new(db, agent, "Printer internal runbook", audience="internal")
    draft = _new(db, agent, "Printer draft notes", status="draft")
    assert _titles(kb.search(db, requester, "printer")) == ["Printer public guide"]
    assert set(_titles(kb.search(db, agent, "printer"))) == {
        "Printer public guide",
        "Printer internal runbook",
        "Printer draft notes",
    }
    assert _titles(kb.suggest_for_ticket(db, requester, "printer", "")) == ["Printer public guide"]
    assert [a.title for a in kb.list_articles(db, requester)] == ["Printer public guide"]
    assert [a.title for a in kb.most_helpful(db, requester)] == ["Printer public guide"]
    assert kb.get_article(db, requester, public.slug).title == "Printer public guide"
    for hidden in (internal, draft):
        with pytest.raises(NotFound):
            kb.get_article(db, requester, hidden.slug)
        with pytest.raises(NotFound):
            kb.record_feedback(db, requester, hidden.id, True)
        with pytest.raises(NotFound):
            kb.related_articles(db, requester, hidden.id)
        assert kb.get_article(db, agent, hidden.slug).can_edit
    assert [a.title for a in kb.related_articles(db, requester, public.id)] == []
    assert {c.name: c.article_count for c in kb.list_categories(db, requester)} == {}


def test_only_staff_write(db, agent, requester):
    article = _new(db, agent, "Printer offline")
    with pytest.raises(PermissionDenied):
        kb.create_article(
            db, requester, title="x", body="y", category_id=None, tags="", status="published",
            audience="public",
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        kb.update_article(db, requester, article.id, None, title="Hacked")
    with pytest.raises(PermissionDenied):
        kb.delete_article(db, requester, article.id)
    with pytest.raises(PermissionDenied):
        kb.list_versions(db, requester, article.id)


def test_validation(db, agent):
    with pytest.raises(ValidationError):
        _new(db, agent, "   ")
    with pytest.raises(ValidationError):
        _new(db, agent, "Title", status="secret")
    with pytest.raises(ValidationError):
        _new(db, agent, "Title", category_id=9999)
    article = _new(db, agent, "Title")
    with pytest.raises(ValidationError):
        kb.update_article(db, agent, article.id, None, author_id=1)
    db.rollback()


# ------------------------------------------------------------------ index consistency


def test_edit_is_searchable_at_once_and_history_kept(db, agent, requester):
    article = _new(db, agent, "Printer offline", body="Restart the spooler.", tags="printer")
    loaded = kb.get_article(db, agent, article.slug)
    kb.update_article(
        db,
        agent,
        article.id,
        loaded.updated_at,
        title="Scanner offline",
        body="Recalibrate the scanner glass.",
        tags="scanner",
    )
    # Same transaction, before commit: the index already follows.
    assert _titles(kb.search(db, agent, "recalibrate")) == ["Scanner offline"]
    assert kb.search(db, agent, "spooler") == []
    db.commit()
    assert _titles(kb.search(db, requester, "scanners")) == ["Scanner offline"]
    assert kb.search(db, requester, "printer") == []
    assert kb.get_article(db, requester, article.slug).title == "Scanner offline"  # slug kept

    history = kb.list_versions(db, agent, article.id)
    assert [(v.version_no, v.title, v.editor_name) for v in history] == [
        (1, "Printer offline", "Agent")
    ]
    # A stale copy is refused.
    with pytest.raises(Conflict):
        kb.update_article(db, agent, article.id, loaded.updated_at, title="Lost update")
    db.rollback()
    # The typo vocabulary follows too: the old word is gone, the new one is known.
    terms = set(db.execute(text("SELECT term FROM kb_term")).scalars())
    assert "recalibr" in terms and "spooler" not in terms


def test_unpublish_hides_from_requesters(db, agent, requester):
    article = _new(db, agent, "Printer offline")
    kb.update_article(db, agent, article.id, None, status="draft")
    db.commit()
    assert kb.search(db, requester, "printer") == []
    assert _titles(kb.search(db, agent, "printer")) == ["Printer offline"]


def test_deleted_article_never_shows(db, agent, requester):
    keep = _new(db, agent, "Printer driver install")
    gone = _new(db, agent, "Printer offline", body="spooler")
    kb.record_feedback(db, requester, gone.id, True)
    kb.record_deflection(db, requester, gone.id, "printer offline")
    kb.update_article(db, agent, gone.id, None, body="spooler restart")
    db.commit()
    kb.delete_article(db, agent, gone.id)
    assert _titles(kb.search(db, agent, "printer")) == ["Printer driver install"]
    db.commit()
    assert _titles(kb.search(db, requester, "printer offline")) == ["Printer driver install"]
    assert kb.search(db, requester, "spooler") == []
    assert kb.search(db, requester, "spooer") == []  # not even through the typo fallback
    with pytest.raises(NotFound):
        kb.get_article(db, agent, gone.slug)
    assert db.exec(select(KbFeedback)).all() == []
    assert db.exec(select(KbDeflection)).all() == []
    assert db.exec(select(KbArticleVersion)).all() == []
    assert kb.get_article(db, requester, keep.slug)


def test_unique_slugs(db, agent):
    a = _new(db, agent, "Как сбросить пароль")
    b = _new(db, agent, "Как сбросить пароль")
    c = _new(db, agent, "!!!")
    assert (a.slug, b.slug) == ("kak-sbrosit-parol", "kak-sbrosit-parol-2")
    assert c.slug == "article"


# ------------------------------------------------------------------ feedback, deflection, related


def test_feedback_counted_once_per_user(db, agent, requester):
    article = _new(db, agent, "Printer offline")
    r1 = kb.record_feedback(db, requester, article.id, True)
    r2 = kb.record_feedback(db, requester, article.id, True)
    assert (r1.helpful_yes, r1.helpful_no) == (r2.helpful_yes, r2.helpful_no) == (1, 0)
    r3 = kb.record_feedback(db, requester, article.id, False)
    assert (r3.helpful_yes, r3.helpful_no, r3.my_vote) == (0, 1, False)
    r4 = kb.record_feedback(db, agent, article.id, True)
    assert (r4.helpful_yes, r4.helpful_no) == (1, 1)
    db.commit()
    view = kb.get_article(db, requester, article.slug)
    assert (view.helpful_yes, view.helpful_no, view.my_vote) == (1, 1, False)
    assert len(db.exec(select(KbFeedback)).all()) == 2
    with pytest.raises(ValidationError):
        kb.record_feedback(db, requester, article.id, "yes")  # type: ignore[arg-type]


def test_most_helpful_order(db, agent, requester):
    a = _new(db, agent, "Alpha")
    b = _new(db, agent, "Beta")
    kb.record_feedback(db, requester, b.id, True)
    kb.record_feedback(db, agent, a.id, False)
    db.commit()
    assert [x.title for x in kb.most_helpful(db, requester, limit=2)] == ["Beta", "Alpha"]


def test_deflection_and_suggestions(db, agent, requester):
    article = _new(db, agent, "Printer offline", body="Restart the print spooler.")
    _new(db, agent, "VPN troubleshooting", body="Reconnect the client.")
    hits = kb.suggest_for_ticket(
        db, requester, "My printer won't print", "It says offline since this morning"
    )
    assert _titles(hits)[0] == "Printer offline"
    row_id = kb.record_deflection(db, requester, article.id, "My printer won't print")
    db.commit()
    row = db.get(KbDeflection, row_id)
    assert (row.article_id, row.user_id) == (article.id, requester.id)


def test_related_articles(db, agent, requester, cat):
    a = _new(db, agent, "Printer offline", tags="printer", category_id=cat["Printing"])
    _new(db, agent, "Printer driver install", tags="printer, driver")
    _new(db, agent, "Paper jam", category_id=cat["Printing"])
    _new(db, agent, "VPN troubleshooting")
    related = [x.title for x in kb.related_articles(db, requester, a.id, limit=5)]
    assert related[0] == "Printer driver install"
    assert "Paper jam" in related and "VPN troubleshooting" not in related
    assert "Printer offline" not in related


def test_update_conflict_tolerates_timezone_repr(db, agent):
    article = _new(db, agent, "Printer offline")
    stamp = kb.get_article(db, agent, article.slug).updated_at
    kb.update_article(db, agent, article.id, stamp.astimezone(), body="New body")
    db.commit()
    with pytest.raises(Conflict):
        kb.update_article(db, agent, article.id, stamp - timedelta(seconds=1), body="x")
