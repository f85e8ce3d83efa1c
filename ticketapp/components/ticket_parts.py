"""Pieces of the ticket page: badges, the field editors, conversation entries, attachments.

Plain components over TypedDict vars; they hold no state and call no services.
"""

from __future__ import annotations

from typing import TypedDict

import reflex as rx
from reflex_base.vars.base import VarData

from ticketapp.components.i18n import t, t_var

STATUS_COLORS = {
    "new": "blue",
    "open": "cyan",
    "in_progress": "violet",
    "waiting": "orange",
    "resolved": "green",
    "closed": "gray",
}
PRIORITY_COLORS = {"low": "gray", "normal": "blue", "high": "orange", "urgent": "red"}


class Option(TypedDict):
    value: str
    label: str


class AttachmentItem(TypedDict):
    id: int
    filename: str
    size_label: str
    url: str
    thumb_url: str
    is_image: bool


class CommentItem(TypedDict):
    id: int
    author_name: str
    author_role: str
    html: str
    internal: bool
    created: str
    attachments: list[AttachmentItem]


class HistoryItem(TypedDict):
    id: int
    actor: str
    when: str
    summary: str
    old: str
    new: str


class TimeItem(TypedDict):
    id: int
    user: str
    minutes: str
    note: str
    when: str


class LinkItem(TypedDict):
    number: int
    title: str
    status_label: str
    kind: str
    href: str


def status_badge(status: rx.Var[str], label: rx.Var[str]) -> rx.Component:
    return rx.badge(
        t_var(label),
        color_scheme=rx.match(status, *STATUS_COLORS.items(), "gray"),
        high_contrast=True,
        size="2",
    )


def priority_badge(priority: rx.Var[str], label: rx.Var[str]) -> rx.Component:
    return rx.badge(
        t_var(label),
        color_scheme=rx.match(priority, *PRIORITY_COLORS.items(), "gray"),
        variant="soft",
        high_contrast=True,
        size="2",
    )


def field_label(text: str, field_id: str) -> rx.Component:
    return rx.el.label(
        text,
        html_for=field_id,
        style={"font-size": "12px", "font-weight": "500", "color": "var(--gray-11)"},
    )


def read_only_field(label: str, value: rx.Var | str, empty: str = "—") -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", weight="medium", color_scheme="gray"),
        rx.text(rx.cond(value != "", value, empty), size="2"),
        spacing="0",
        width="100%",
    )


def field_select(
    label: str,
    field_id: str,
    value: rx.Var[str],
    options: rx.Var[list[Option]],
    on_change,
    disabled: rx.Var[bool] | bool = False,
) -> rx.Component:
    """A labelled select whose items come from `options` (value/label pairs)."""
    return rx.vstack(
        field_label(label, field_id),
        rx.select.root(
            rx.select.trigger(id=field_id, aria_label=label, width="100%"),
            rx.select.content(
                rx.foreach(options, lambda o: rx.select.item(o["label"], value=o["value"]))
            ),
            value=value,
            on_change=on_change,
            disabled=disabled,
            size="2",
        ),
        spacing="1",
        width="100%",
    )


def attachment_chip(att: rx.Var[AttachmentItem]) -> rx.Component:
    """An image shows as a thumbnail that links to the download; other files as a link."""
    return rx.cond(
        att["thumb_url"] != "",
        rx.el.a(
            rx.vstack(
                rx.el.img(
                    src=att["thumb_url"],
                    alt=t("Thumbnail of {name}", name=att["filename"]),
                    loading="lazy",
                    style={
                        "max-width": "160px",
                        "max-height": "120px",
                        "border-radius": "6px",
                        "border": "1px solid var(--gray-a6)",
                    },
                ),
                rx.text(att["filename"], size="1"),
                spacing="1",
            ),
            href=att["url"],
            download=att["filename"],
            reload_document=True,
            title=t("Download {name} ({size})", name=att["filename"], size=att["size_label"]),
            class_name="attachment-link",
            style={"color": "inherit", "text-decoration": "none"},
        ),
        rx.el.a(
            rx.hstack(
                rx.icon("paperclip", size=14),
                rx.text(att["filename"], size="2"),
                rx.text(f"({att['size_label']})", size="1", color_scheme="gray"),
                spacing="1",
                align="center",
            ),
            href=att["url"],
            download=att["filename"],
            reload_document=True,
            class_name="attachment-link",
            style={"color": "var(--accent-11)"},
        ),
    )


def attachment_list(items: rx.Var[list[AttachmentItem]]) -> rx.Component:
    return rx.cond(
        items.length() > 0,
        rx.flex(rx.foreach(items, attachment_chip), wrap="wrap", gap="3", margin_top="0.5em"),
    )


def markdown_html(html: rx.Var[str]) -> rx.Component:
    """Server-rendered, sanitized markdown (services.markdown.render)."""
    return rx.html(html, class_name="markdown-body", style={"overflow-wrap": "anywhere"})


def comment_entry(c: rx.Var[CommentItem]) -> rx.Component:
    """One conversation entry; internal notes stand out (amber, with a badge)."""
    return rx.box(
        rx.hstack(
            rx.avatar(fallback=c["author_name"].to(str)[0:1], size="2", radius="full"),
            rx.text(c["author_name"], weight="bold", size="2"),
            rx.text(c["author_role"], size="1", color_scheme="gray"),
            rx.cond(
                c["internal"],
                rx.badge(
                    rx.icon("lock", size=12),
                    t("Internal note"),
                    color_scheme="amber",
                    variant="solid",
                    high_contrast=True,
                ),
            ),
            rx.spacer(),
            rx.text(c["created"], size="1", color_scheme="gray"),
            align="center",
            spacing="2",
            width="100%",
        ),
        rx.box(markdown_html(c["html"]), padding_top="0.5em"),
        attachment_list(c["attachments"]),
        padding="0.9em 1em",
        border_radius="8px",
        width="100%",
        background=rx.cond(c["internal"], rx.color("amber", 3), rx.color("gray", 2)),
        border=rx.cond(
            c["internal"],
            f"1px dashed {rx.color('amber', 8)}",
            f"1px solid {rx.color('gray', 5)}",
        ),
        aria_label=rx.cond(c["internal"], t("Internal note"), t("Reply")),
        role="article",
        class_name=rx.cond(c["internal"], "comment internal-note", "comment public-reply"),
    )


def history_entry(e: rx.Var[HistoryItem]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(e["when"], white_space="nowrap"),
        rx.table.cell(e["actor"]),
        rx.table.cell(e["summary"]),
        rx.table.cell(e["old"]),
        rx.table.cell(e["new"]),
    )


def labelled_upload(
    *children: rx.Component, input_label: str | rx.Var[str], **props
) -> rx.Component:
    """rx.upload whose hidden file input has an accessible name (axe: "label").

    rx.upload spreads react-dropzone's getInputProps() onto its <input type=file> and offers
    no way to pass props to it; getInputProps accepts overrides, so the label goes in there.
    """
    upload = rx.upload(*children, **props)
    try:
        file_input = upload.children[0].children[0]
        spread = file_input.special_props[0]
    except (AttributeError, IndexError):
        return upload
    expr = str(spread._js_expr)
    if expr.endswith("()"):
        label = rx.Var.create({"aria-label": input_label})  # a translated label is a Var
        var_data = VarData.merge(spread._var_data, label._get_all_var_data())
        file_input.special_props = [
            rx.Var(_js_expr=f"{expr[:-2]}({label!s})", _var_type=None, _var_data=var_data)
        ]
    return upload
