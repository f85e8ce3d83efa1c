"""Stored markdown renders safely: script, event-handler and javascript: payloads stay inert."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from ticketapp.services.markdown import render

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    '![x](x" onerror="alert(1))',
    "[x](JaVaScRiPt:alert(1))",
    # The XSS corpus (issue 22): encodings, markdown link forms, SVG/MathML, Unicode tricks.
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;&#x61;vascript:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x]( javascript:alert(1))",
    "<javascript:alert(1)>",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<details open ontoggle="alert(1)">x</details>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<svg><script>alert(1)</script></svg>",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "[\u202ecod.exe](javascript:alert(1))",
    "[x](\u0000javascript:alert(1))",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    '<style>@import "https://evil.example/x.css";</style>',
    '<form action="https://evil.example"><input name=x></form>',
]
SAFE_SCHEMES = {"", "http", "https", "mailto"}  # "": a relative link
DANGEROUS_TAGS = {"script", "iframe", "svg", "img", "object", "embed", "style", "form", "input"}


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def _elements(html: str) -> list[tuple[str, dict]]:
    parser = _Elements()
    parser.feed(html)
    return parser.elements


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_are_inert(payload):
    for tag, attrs in _elements(render(payload)):
        assert tag not in DANGEROUS_TAGS
        assert not any(name.startswith("on") for name in attrs)
        assert not attrs.get("href", "").lower().startswith("javascript:")
        href = attrs.get("href")
        assert href is None or urlsplit(href).scheme.lower() in SAFE_SCHEMES, href
        assert "src" not in attrs and "style" not in attrs


def test_markdown_still_renders():
    html = render("# Title\n\n**bold** and `code`\n\n- one\n- two\n\n[docs](https://example.com)")
    assert "<h1>Title</h1>" in html
    assert "<strong>bold</strong>" in html and "<code>code</code>" in html
    assert "<li>one</li>" in html
    assert 'href="https://example.com"' in html and 'rel="noopener noreferrer nofollow"' in html
