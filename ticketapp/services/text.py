"""Language-aware text normalisation for search and triage: English, Russian, Polish, Latvian.

One pipeline for indexing and for querying, so both sides agree: split into words
(letters/digits runs), lowercase, drop stop words and one-letter tokens, stem, fold (Latin
diacritics stripped, ``ł`` -> ``l``, ``ё`` -> ``е``). Cyrillic words take the Russian Snowball
stemmer. Latin words take the stemmer of their text's language (`language_of`): Polish
(Snowball), Latvian (the light stemmer of Lucene, package LatvianStemmer) or English (Snowball);
those two stem before folding, since their endings carry diacritics. A query does not know its
language for sure, so each of its words matches any of its stems in `query_languages` (English,
the query's own guess, the reader's interface language). Stems contain only letters and digits,
so they are safe to quote into FTS5 MATCH and ``to_tsquery`` strings.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import LatvianStemmer
import Stemmer

from ticketapp import i18n

# A word: a run of letters or digits (underscore and punctuation split words).
WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
_CYRILLIC_RE = re.compile(r"[\u0400-\u04FF]")

MAX_TOKEN_LEN = 40


def _fold_latin(word: str) -> str:
    """Latin diacritics stripped (ā -> a, ż -> z, ł -> l)."""
    decomposed = unicodedata.normalize("NFKD", word.replace("ł", "l"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


EN_STOP = frozenset(
    """
    a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me more most my myself nor of on once only or other our ours ourselves over own same she
    should so some such than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom why will
    with would you your yours yourself yourselves s t d ll m re ve
    """.split()  # noqa: SIM905
)

RU_STOP = frozenset(
    """
    и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее её
    мне было вот от меня еще ещё нет о из ему теперь когда даже ну ли если уже или ни быть был
    него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней
    для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того
    потому этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем
    всех никогда можно при наконец два об другой хоть после над больше тот через эти нас про всего
    них какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя
    такой им более всегда конечно всю между это как
    """.split()  # noqa: SIM905
)

PL_STOP = frozenset(
    """
    i w z na nie sie się jest to do ze że jak o po od za ale czy tak juz już tylko przez dla
    mnie mi mam jestem moj mój moja moje ten ta te tego tej ktory który ktora która co gdy lub
    oraz bo bez pod nad przy jednak takze także tez też jego jej ich nas was sa są byl był byla
    była bylo było bedzie będzie moze może mozna można wiec więc nic
    """.split()  # noqa: SIM905
)

LV_STOP = frozenset(
    """
    un ir ar uz no par ka kā lai nav es tu vin viņš vina viņa mes mēs jus jūs man mans mana
    mani manu tas ta tā to tie tās tas bet vai ja jā ne ari arī pie pec pēc kad kur tikai vel
    vēl jau bija būs bus var nevar sis šis si šī so šo
    """.split()  # noqa: SIM905
)

_RU_STOP = {w.replace("ё", "е") for w in RU_STOP}
# Per language of a text: its own stop words, English's and Russian's (words of those two turn
# up in any text here). As written and folded, so either form is recognised.
_STOP_BY_LANG = {
    lang: frozenset(
        {w.replace("ł", "l") for w in words} | words | {_fold_latin(w) for w in words} | _RU_STOP
    )
    for lang, words in (("en", EN_STOP), ("pl", PL_STOP | EN_STOP), ("lv", LV_STOP | EN_STOP))
}
STOP_WORDS = _STOP_BY_LANG["en"]

# Letters only one of our Latin-script languages writes (ó is Polish; č/š/ž are Latvian here).
_PL_LETTERS = frozenset("ąćęłńóśźż")
_LV_LETTERS = frozenset("āčēģīķļņšūž")
LATIN_LANGUAGES = ("en", "pl", "lv")
# Function words that tell a language apart (none of them an English word).
_PL_MARKERS = frozenset(
    "nie się sie jest że czy jak przez oraz także jestem mój moja".split()  # noqa: SIM905
)
_LV_MARKERS = frozenset(
    "un ir ar uz par kā lai nav vai arī pēc jau bija nevar mans".split()  # noqa: SIM905
)

_EN = Stemmer.Stemmer("english")
_RU = Stemmer.Stemmer("russian")
_PL = Stemmer.Stemmer("polish")


def _latin_fold_table() -> dict[int, str]:
    """Each non-ASCII character below U+0250 -> its letters without combining marks."""
    table = {}
    for code in range(0x80, 0x250):
        base = unicodedata.normalize("NFKD", chr(code))
        table[code] = "".join(c for c in base if not unicodedata.combining(c))
    return table


_FOLD_TABLE = _latin_fold_table()


def fold(word: str) -> str:
    """Lowercase; strip diacritics from Latin letters (café -> cafe, ł -> l), ё -> е; keep й."""
    word = word.lower().replace("ё", "е").replace("ł", "l")
    if word.isascii():
        return word
    return word.translate(_FOLD_TABLE)  # (character by character: a long text costs little)


def is_cyrillic(word: str) -> bool:
    return bool(_CYRILLIC_RE.search(word))


def language_of(text: str) -> str:
    """The Latin-script language of `text` ("en", "pl" or "lv"), by the letters only one of them
    writes and then by stop words; English when nothing says otherwise."""
    votes = {"pl": 0, "lv": 0}
    for raw in WORD_RE.findall((text or "")[:5000].lower()):
        letters = set(raw)
        votes["pl"] += 2 * bool(letters & _PL_LETTERS) + (raw in _PL_MARKERS)
        votes["lv"] += 2 * bool(letters & _LV_LETTERS) + (raw in _LV_MARKERS)
    best, other = ("pl", "lv") if votes["pl"] >= votes["lv"] else ("lv", "pl")
    return best if votes[best] >= 2 and votes[best] > votes[other] else "en"


def query_languages(text: str) -> tuple[str, ...]:
    """The languages a query's Latin words are stemmed in: English, the query's own guess and
    the reader's interface language (the event's locale)."""
    langs = ["en", language_of(text), i18n.current()]
    return tuple(dict.fromkeys(lang for lang in langs if lang in LATIN_LANGUAGES))


@lru_cache(maxsize=65536)
def term(word: str, lang: str = "en") -> str:
    """The stem of one word (as written, any case) in `lang`: folded, letters and digits."""
    word = word.lower()
    if is_cyrillic(word):
        return _RU.stemWord(fold(word))
    if lang == "pl":
        return fold(_PL.stemWord(word))
    if lang == "lv":
        return fold(LatvianStemmer.stem(word))
    return _EN.stemWord(fold(word))


def stem(word: str) -> str:
    """Stem one already folded word with the stemmer of its script (English for Latin)."""
    return term(word, "en")


def alternatives(word: str, langs: tuple[str, ...]) -> tuple[str, ...]:
    """The distinct stems of one word in each of `langs` (one only for a Cyrillic word)."""
    return tuple(dict.fromkeys(term(word, lang) for lang in langs))


def words(text: str) -> list[str]:
    """Folded words of `text`, stop words and one-letter words kept (for highlighting)."""
    return [fold(w)[:MAX_TOKEN_LEN] for w in WORD_RE.findall(text or "")]


def raw_words(text: str) -> list[str]:
    """Words of `text` as written (lowercased, cut to MAX_TOKEN_LEN), stop words kept."""
    return [w.lower()[:MAX_TOKEN_LEN] for w in WORD_RE.findall(text or "")]


def is_indexable(word: str, langs: tuple[str, ...] = ("en",)) -> bool:
    """Whether a word goes into the index: not a single letter, not a stop word in any of
    `langs` (a text's language; a query's candidates)."""
    return len(word) >= 2 and not any(word in _STOP_BY_LANG[lang] for lang in langs)


def tokens(text: str, limit: int | None = None, lang: str | None = None) -> list[str]:
    """Stemmed index terms of `text` in `lang` (default: its own `language_of`), in order
    (duplicates kept)."""
    lang = lang or language_of(text)
    out: list[str] = []
    for word in raw_words(text):
        if not is_indexable(word, (lang,)):
            continue
        out.append(term(word, lang))
        if limit is not None and len(out) >= limit:
            break
    return out


def stemmed_text(text: str, lang: str | None = None) -> str:
    """`text` as a space-separated string of stems: what the full-text index stores."""
    return " ".join(tokens(text, lang=lang))


def tag_list(tags: str | list[str] | None) -> list[str]:
    """Comma-separated tags -> cleaned, de-duplicated list (original spelling kept)."""
    if not tags:
        return []
    raw = tags.split(",") if isinstance(tags, str) else list(tags)
    seen: set[str] = set()
    out: list[str] = []
    for tag in raw:
        tag = " ".join(str(tag).split())[:60]
        if tag and tag.lower() not in seen:
            seen.add(tag.lower())
            out.append(tag)
    return out


_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g",
}  # fmt: skip


def slugify(text: str, max_len: int = 80) -> str:
    """ASCII slug: Cyrillic transliterated, other accents stripped, words joined by '-'."""
    lowered = "".join(_TRANSLIT.get(ch, ch) for ch in (text or "").lower())
    ascii_text = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > max_len:
        slug = slug[:max_len].rsplit("-", 1)[0] or slug[:max_len]
    return slug.strip("-")


def edit_distance(a: str, b: str, cap: int = 3) -> int:
    """Optimal-string-alignment distance (Levenshtein + adjacent swaps), stops early past `cap`."""
    if abs(len(a) - len(b)) > cap:
        return cap + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > cap:
            return cap + 1
        prev2, prev = prev, cur
    return prev[len(b)]
