"""The text of an e-mail as a ticket stores it: HTML turned into the Markdown subset replies
use (scripts, styles, images and tracking pixels dropped), and a reply without its quoted
history and signature."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

_KEEP = {"p", "br", "div", "strong", "b", "em", "i", "a", "ul", "ol", "li", "blockquote", "pre"}
_KEEP |= {"code", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th", "hr", "span"}
_BLOCK = {"p", "div", "ul", "ol", "table", "tr", "blockquote", "pre", "hr"}
_INLINE = {"strong": "**", "b": "**", "em": "*", "i": "*", "code": "`"}


class _Markdown(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.href: str | None = None
        self.quote = 0

    def _emit(self, text: str) -> None:
        self.out.append(text)

    def _newline(self, n: int = 1) -> None:
        self.out.append("\n" * n + "> " * self.quote)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _INLINE:
            self._emit(_INLINE[tag])
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.href = href if re.match(r"^(https?:|mailto:)", href) else None
            self._emit("[" if self.href else "")
        elif tag == "br":
            self._newline()
        elif tag == "li":
            self._newline()
            self._emit("- ")
        elif tag[0] == "h" and tag[1:].isdigit():
            self._newline(2)
            self._emit("#" * int(tag[1:]) + " ")
        elif tag == "blockquote":
            self.quote += 1
            self._newline(2)
        elif tag in ("td", "th"):
            self._emit(" | ")
        elif tag in _BLOCK:
            self._newline(2)

    def handle_endtag(self, tag: str) -> None:
        if tag in _INLINE:
            self._emit(_INLINE[tag])
        elif tag == "a":
            self._emit(f"]({self.href})" if self.href else "")
            self.href = None
        elif tag == "blockquote":
            self.quote = max(0, self.quote - 1)
            self._newline(2)
        elif tag in _BLOCK or (tag[0] == "h" and tag[1:].isdigit()):
            self._newline(2)

    def handle_data(self, data: str) -> None:
        self._emit(re.sub(r"\s+", " ", data))


def html_to_markdown(html: str) -> str:
    """Markdown for an HTML mail body: only an allow-list of tags survives (nh3 drops scripts,
    styles, event handlers, images and their tracking pixels), then the rest becomes Markdown."""
    if not html.strip():
        return ""
    clean = nh3.clean(
        html,
        tags=_KEEP,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        clean_content_tags={"script", "style", "head", "title"},
        link_rel=None,
    )
    parser = _Markdown()
    parser.feed(clean)
    parser.close()
    text = "".join(parser.out)
    lines = [line.rstrip() for line in text.splitlines()]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# A line that starts the quoted history: "On ... wrote:", Outlook's header block, and the
# same in Russian, Polish, Latvian and German.
_HISTORY = re.compile(
    r"^\s*(on\b.{0,200}\bwrote:\s*$|-{2,}\s*(original message|forwarded message|"
    r"исходное сообщение|пересылаемое сообщение|oryginalna wiadomość)\s*-{2,}|"
    r"_{10,}\s*$|from:\s.+|от:\s.+|od:\s.+|no:\s.+@.+|von:\s.+|"
    r".{0,200}\b(пишет|написал|написала|napisał|napisała|napisał\(a\)|rakstīja|schrieb):\s*$|"
    r"w dniu .{0,200}$)",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(
    r"^(-- ?|sent from my .{1,40}|отправлено с .{1,40}|wysłane z .{1,40}|"
    r"best regards,?|kind regards,?|regards,?|с уважением,?|pozdrawiam,?|z poważaniem,?|"
    r"ar cieņu,?)\s*$",
    re.IGNORECASE,
)


def strip_reply(text: str) -> str:
    """The new part of a reply: stops at the quoted history or the signature, drops '>' lines."""
    kept: list[str] = []
    for line in text.splitlines():
        if _HISTORY.match(line) or _SIGNATURE.match(line.strip()):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line.rstrip())
    result = "\n".join(kept).strip()
    return result or text.strip()
