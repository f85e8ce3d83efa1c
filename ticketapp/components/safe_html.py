"""Inline server-sanitised HTML (e.g. a search hit's highlighted title inside a link).

Only pass HTML that a service produced and escaped/sanitised (kb.SearchHit.title_html,
services.markdown.render(...)): never raw user input."""

from __future__ import annotations

import reflex as rx
from reflex_base.components.component import field
from reflex_base.vars.base import Var


class HtmlSpan(rx.el.Span):
    dangerouslySetInnerHTML: Var[dict[str, str]] = field(doc="The HTML to render.")  # noqa: N815

    @classmethod
    def create(cls, *children, **props):
        if len(children) != 1:
            raise ValueError("html_span takes exactly one child: the HTML string")
        props["dangerouslySetInnerHTML"] = {"__html": children[0]}
        return super().create(**props)


html_span = HtmlSpan.create
