"""Language-aware text normalisation for the knowledge-base index (English and Russian).

One pipeline for indexing and for querying, so both sides always agree:
split into words (letters/digits runs), lowercase, fold Latin diacritics and ``ё`` -> ``е``,
drop stop words and one-letter tokens, then Snowball-stem each word with the stemmer of its
script (Cyrillic -> russian, anything else -> english). Stems contain only letters and digits,
so they are safe to quote into FTS5 MATCH and ``to_tsquery`` strings.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

# A word: a run of letters or digits (underscore and punctuation split words).
WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
_CYRILLIC_RE = re.compile(r"[\u0400-\u04FF]")

MAX_TOKEN_LEN = 40

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

STOP_WORDS = EN_STOP | {w.replace("ё", "е") for w in RU_STOP}

_EN = Stemmer.Stemmer("english")
_RU = Stemmer.Stemmer("russian")


def fold(word: str) -> str:
    """Lowercase; strip diacritics from Latin letters (café -> cafe), ё -> е; keep й."""
    word = word.lower().replace("ё", "е")
    if word.isascii():
        return word
    out = []
    for ch in word:
        if ord(ch) < 0x250 and not ch.isascii():
            base = unicodedata.normalize("NFKD", ch)
            out.append("".join(c for c in base if not unicodedata.combining(c)))
        else:
            out.append(ch)
    return "".join(out)


def is_cyrillic(word: str) -> bool:
    return bool(_CYRILLIC_RE.search(word))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Stem one already folded word with the stemmer of its script."""
    if is_cyrillic(word):
        return _RU.stemWord(word)
    return _EN.stemWord(word)


def words(text: str) -> list[str]:
    """Folded words of `text`, stop words and one-letter words kept (for highlighting)."""
    return [fold(w)[:MAX_TOKEN_LEN] for w in WORD_RE.findall(text or "")]


def is_indexable(word: str) -> bool:
    """Whether a folded word goes into the index (not a stop word, not a single letter)."""
    return len(word) >= 2 and word not in STOP_WORDS


def tokens(text: str, limit: int | None = None) -> list[str]:
    """Stemmed index/query terms of `text`, in order (duplicates kept)."""
    out: list[str] = []
    for match in WORD_RE.finditer(text or ""):
        word = fold(match.group())[:MAX_TOKEN_LEN]
        if not is_indexable(word):
            continue
        out.append(stem(word))
        if limit is not None and len(out) >= limit:
            break
    return out


def stemmed_text(text: str) -> str:
    """`text` as a space-separated string of stems: what the full-text index stores."""
    return " ".join(tokens(text))


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
