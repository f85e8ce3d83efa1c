"""Version history (editors): the earlier versions in a table, and one shown in a dialog."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.pages.kb_article.state import KbArticleState
from ticketapp.pages.kb_article.view_model import VersionRow


def _version_row(v: rx.Var[VersionRow]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(t("Version {no}", no=v["no"])),
        rx.table.cell(v["title"]),
        rx.table.cell(v["editor"]),
        rx.table.cell(v["when"]),
        rx.table.cell(
            rx.button(
                t("View"),
                size="1",
                variant="soft",
                aria_label=t("View version {no}", no=v["no"]),
                on_click=KbArticleState.show_version(v["no"]),
            )
        ),
    )


def _versions_table() -> rx.Component:
    return rx.cond(
        KbArticleState.versions.length() > 0,
        rx.vstack(
            rx.text(
                t("Each row is the text as it was before an edit, with who replaced it and when."),
                size="2",
                color_scheme="gray",
            ),
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(h)
                            for h in (t("Version"), t("Title"), t("Replaced by"), t("When"))
                        ],
                        rx.table.column_header_cell(rx.el.span(t("Actions"), class_name="sr-only")),
                    )
                ),
                rx.table.body(rx.foreach(KbArticleState.versions, _version_row)),
                width="100%",
            ),
            width="100%",
        ),
        rx.text(
            t("No earlier versions: this article has not been edited."),
            size="2",
            color_scheme="gray",
        ),
    )


def _version_dialog() -> rx.Component:
    shown = KbArticleState.shown_version
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("Version {no}: {title}", no=shown["no"], title=shown["title"])),
            rx.dialog.description(
                t("Replaced by {editor} on {when}.", editor=shown["editor"], when=shown["when"]),
                size="2",
            ),
            rx.scroll_area(
                rx.html(shown["html"], class_name="kb-prose"),
                max_height="60vh",
                type="auto",
                margin_y="1em",
            ),
            rx.cond(shown["tags"] != "", rx.text(t("Tags: {tags}", tags=shown["tags"]), size="2")),
            rx.hstack(
                rx.dialog.close(rx.button(t("Close"), variant="soft", color_scheme="gray")),
                justify="end",
            ),
            max_width="760px",
        ),
        open=KbArticleState.version_open != 0,
        on_open_change=KbArticleState.set_version_open,
    )


def history() -> rx.Component:
    return rx.el.section(
        rx.heading(t("Version history"), size="4", as_="h2", id="kb-history-heading"),
        _versions_table(),
        _version_dialog(),
        aria_labelledby="kb-history-heading",
        width="100%",
    )
