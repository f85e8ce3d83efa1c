"""Stored markdown renders safely: script, event-handler and javascript: payloads stay inert."""

from html.parser import HTMLParser

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
]
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


def test_markdown_still_renders():
    html = render("# Title\n\n**bold** and `code`\n\n- one\n- two\n\n[docs](https://example.com)")
    assert "<h1>Title</h1>" in html
    assert "<strong>bold</strong>" in html and "<code>code</code>" in html
    assert "<li>one</li>" in html
    assert 'href="https://example.com"' in html and 'rel="noopener noreferrer nofollow"' in html
