"""The shared page frame: top bar, role-aware navigation, the signed-in user, sign out, theme."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.bell import bell
from ticketapp.components.browser_bridge import (
    file_clearer,
    post_form,
    session_handoff,
    storage_recall,
    toast_bridge,
)
from ticketapp.components.command_palette import command_palette
from ticketapp.components.i18n import t, t_choice, tab_locale
from ticketapp.i18n import LOCALES, N_
from ticketapp.models import ROLE_LABELS, Role
from ticketapp.session_cookie import SIGN_IN_PATH, SIGN_OUT_PATH
from ticketapp.state import SessionState, browser_storage_names

# (label, path, roles that see it); pages add themselves here as they exist.
MANAGERS = frozenset({Role.MANAGER})
NAV_ITEMS: list[tuple[str, str, frozenset[str]]] = [
    (N_("My tickets"), "/portal", frozenset({Role.REQUESTER})),
    (N_("Tickets"), "/tickets", frozenset({Role.AGENT, Role.MANAGER})),
    (N_("Board"), "/board", frozenset({Role.AGENT, Role.MANAGER})),
    (N_("New ticket"), "/tickets/new", frozenset(Role)),
    (N_("Analytics"), "/analytics", MANAGERS),
    (N_("Knowledge base"), "/kb", frozenset(Role)),
    (N_("Canned responses"), "/settings/canned", frozenset({Role.AGENT})),  # managers: Admin
]
# The managers' pages, in the top bar's Admin menu (one line at 1280 px, not two).
ADMIN_ITEMS: list[tuple[str, str, frozenset[str]]] = [
    (N_("Users"), "/admin/users", MANAGERS),
    (N_("Organisations"), "/admin/organisations", MANAGERS),
    (N_("SLA"), "/admin/sla", MANAGERS),
    (N_("Escalation rules"), "/admin/escalation", MANAGERS),
    (N_("Routing"), "/admin/routing", MANAGERS),
    (N_("Macros"), "/admin/macros", MANAGERS),
    (N_("Canned responses"), "/settings/canned", MANAGERS),
    (N_("Fields"), "/admin/fields", MANAGERS),
    (N_("Tags"), "/admin/tags", MANAGERS),
    (N_("Channels"), "/admin/channels", MANAGERS),
    (N_("Integrations"), "/admin/integrations", MANAGERS),
    (N_("Webhooks"), "/admin/webhooks", MANAGERS),
    (N_("Audit log"), "/admin/audit", MANAGERS),
]


def _is_current(path: str) -> rx.Var[bool]:
    url_path = rx.State.router.url.path
    return (url_path == path) | (url_path == path + "/")


def _nav_link(label: str, path: str, roles: frozenset[str]) -> rx.Component:
    current = _is_current(path)
    return rx.cond(
        rx.Var.create(sorted(roles)).contains(SessionState.user_role),
        rx.link(
            t(label),
            href=path,
            weight=rx.cond(current, "bold", "regular"),
            underline=rx.cond(current, "always", "hover"),
            aria_current=rx.cond(current, "page", None),
            high_contrast=True,
            white_space="nowrap",
        ),
    )


def _admin_item(label: str, path: str) -> rx.Component:
    current = _is_current(path)
    return rx.menu.item(
        rx.link(
            t(label),
            href=path,
            aria_current=rx.cond(current, "page", None),
            weight=rx.cond(current, "bold", "regular"),
            underline="none",
            high_contrast=True,
        ),
        as_child=True,
    )


def _admin_menu() -> rx.Component:
    """Managers: the settings pages, in a menu (keyboard: Enter or arrows open it)."""
    url_path = rx.State.router.url.path
    inside = url_path.startswith("/admin") | url_path.startswith("/settings/canned")
    return rx.cond(
        SessionState.user_role == Role.MANAGER,
        rx.menu.root(
            rx.menu.trigger(
                rx.button(
                    t("Admin"),
                    rx.icon("chevron-down", size=14),
                    variant="ghost",
                    color_scheme="gray",
                    high_contrast=True,
                    weight=rx.cond(inside, "bold", "regular"),
                    size="2",
                ),
            ),
            rx.menu.content(*[_admin_item(label, path) for label, path, _ in ADMIN_ITEMS]),
            modal=False,  # a navigation menu: the page stays readable (no aria-hidden on it)
        ),
    )


def theme_toggle() -> rx.Component:
    return rx.icon_button(
        rx.color_mode_cond(rx.icon("moon", size=18), rx.icon("sun", size=18)),
        on_click=rx.toggle_color_mode,
        variant="ghost",
        aria_label=t("Toggle dark mode"),
        title=t("Toggle dark mode"),
    )


def top_bar(shortcuts: str = "") -> rx.Component:
    return rx.el.header(
        rx.hstack(
            rx.link(
                rx.hstack(rx.icon("life-buoy", size=22), rx.heading("ticketapp", size="5")),
                href=SessionState.home_path,
                underline="none",
                high_contrast=True,
                aria_label=t("ticketapp home"),
            ),
            rx.el.nav(
                rx.hstack(
                    *[_nav_link(*item) for item in NAV_ITEMS],
                    _admin_menu(),
                    spacing="4",
                    wrap="wrap",
                    align="center",
                ),
                aria_label=t("Main"),
            ),
            rx.spacer(),
            theme_toggle(),
            rx.cond(
                SessionState.user_name != "",
                rx.hstack(
                    # Ctrl/Cmd-K (every page in the bar and the Admin menu), ? and page keys
                    command_palette(shortcuts, NAV_ITEMS + ADMIN_ITEMS),
                    bell(),  # NOTIFY: unread count, live
                    rx.avatar(fallback=SessionState.user_initials, size="2", radius="full"),
                    rx.vstack(
                        rx.link(
                            SessionState.user_name,
                            href="/settings",
                            size="2",
                            weight="medium",
                            white_space="nowrap",
                            high_contrast=True,
                            title=t("Settings"),
                        ),
                        rx.text(
                            t_choice(SessionState.user_role, ROLE_LABELS),
                            size="1",
                            color_scheme="gray",
                        ),
                        spacing="0",
                    ),
                    sign_out_button(),
                    align="center",
                ),
            ),
            align="center",
            spacing="5",
            padding_x="1.5em",
            padding_y="0.75em",
            width="100%",
            wrap="wrap",  # a phone, or long words in Russian: the bar takes two lines
        ),
        style={"border-bottom": "1px solid var(--gray-a5)", "background": "var(--color-panel)"},
    )


def sign_out_button() -> rx.Component:
    """A plain form post: the answer clears the HttpOnly session cookie (session_cookie.py)."""
    return post_form(
        rx.button(t("Sign out"), variant="soft", size="2", type="submit"), action=SIGN_OUT_PATH
    )


def not_allowed() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("shield-x", size=40, color=rx.color("red", 9)),
            rx.heading(t("Not allowed"), size="6"),
            rx.text(t("Your account does not have access to this page.")),
            rx.link(t("Go to your home page"), href=SessionState.home_path),
            align="center",
        ),
        padding_y="4em",
    )


def loading() -> rx.Component:
    return rx.center(rx.spinner(size="3"), aria_label=t("Loading"), padding_y="4em")


def page_frame(
    *children: rx.Component,
    title: str,
    roles: frozenset[str],
    wide: bool = False,
    shortcuts: str = "",
) -> rx.Component:
    """A signed-in page: shows `children` only to `roles`; others see "Not allowed".
    `shortcuts`: the page's keyboard shortcuts ("list", "ticket"; components/shortcuts.py)."""
    allowed = rx.Var.create(sorted(roles)).contains(SessionState.user_role)
    return rx.box(
        rx.el.a(t("Skip to content"), href="#main", class_name="skip-link"),
        top_bar(shortcuts),
        # The recovery of a state Redis lost (ticketapp/state.py) reads the page's storage here.
        storage_recall(
            request=SessionState.recall_request,
            names=browser_storage_names(),
            on_recall=SessionState.resume_session,
        ),
        toast_bridge(shown=SessionState.toast),
        file_clearer(request=SessionState.files_to_clear),
        rx.el.main(
            rx.cond(
                SessionState.session_checked,
                rx.cond(
                    allowed,
                    rx.vstack(rx.heading(title, size="7", as_="h1"), *children, spacing="4"),
                    not_allowed(),
                ),
                loading(),
            ),
            id="main",
            style={
                "max-width": "1600px" if wide else "1200px",
                "margin": "0 auto",
                "padding": "1.5em",
            },
        ),
        min_height="100vh",
    )


def language_switcher() -> rx.Component:
    """Before sign-in: the interface language (each language named in itself)."""
    return select_control(
        list(LOCALES.items()),
        tab_locale(),
        SessionState.choose_locale,
        aria_label=t("Language"),
        size="1",
    )


def public_frame(*children: rx.Component) -> rx.Component:
    """Sign-in and sign-up: a centred card, no navigation."""
    return rx.box(
        rx.el.main(
            rx.vstack(
                rx.hstack(
                    rx.icon("life-buoy", size=28),
                    rx.heading("ticketapp", size="7", as_="p"),
                    theme_toggle(),
                    language_switcher(),
                    align="center",
                ),
                rx.card(rx.vstack(*children, spacing="4"), size="3", width="100%"),
                # Signed in: the session cookie is set by the backend's answer to this post.
                session_handoff(
                    action=SIGN_IN_PATH,
                    code=SessionState.handoff_code,
                    next=SessionState.handoff_next,
                ),
                toast_bridge(shown=SessionState.toast),
                align="center",
                spacing="5",
                width="min(28em, 92vw)",
                margin="0 auto",
                padding_top="10vh",
            ),
            id="main",
        ),
        min_height="100vh",
    )


def field_error(message: rx.Var[str], field_id: str) -> rx.Component:
    return rx.cond(
        message != "",
        rx.text(message, id=f"{field_id}-error", color=rx.color("red", 11), size="2", role="alert"),
    )


def labelled_input(
    label: str | rx.Var[str],
    field_id: str,
    error: rx.Var[str],
    hint: str | rx.Var[str] = "",
    **input_props,
) -> rx.Component:
    """A text input with a visible label, an optional hint and its error right below."""
    has_hint = not (isinstance(hint, str) and not hint)
    described = f"{field_id}-hint {field_id}-error" if has_hint else f"{field_id}-error"
    return rx.vstack(
        rx.el.label(label, html_for=field_id, style={"font-weight": "500", "font-size": "14px"}),
        rx.input(
            id=field_id,
            aria_invalid=rx.cond(error != "", "true", "false"),
            aria_describedby=described,
            width="100%",
            **input_props,
        ),
        rx.text(hint, id=f"{field_id}-hint", size="1", color_scheme="gray") if has_hint else None,
        field_error(error, field_id),
        spacing="1",
        width="100%",
    )


def select_control(
    options: list[str] | list[tuple[str, str]] | rx.Var,
    value: rx.Var | str,
    on_change,
    *,
    aria_label: str | rx.Var | None = None,
    trigger_id: str | None = None,
    **root_props,
) -> rx.Component:
    """A Radix select whose trigger carries the accessible name (the high-level rx.select
    puts id and aria-label on the wrong element). `options`: values, or (value, label) pairs,
    or a state Var holding a list of [value, label] pairs (options loaded at run time)."""
    if isinstance(options, rx.Var):
        items = [rx.foreach(options, lambda o: rx.select.item(o[1], value=o[0]))]
    else:
        pairs = [(o, o) if isinstance(o, str) else o for o in options]
        # Static labels are msgids (e.g. models.PRIORITY_LABELS): shown in the tab's language.
        items = [
            rx.select.item(t(label) if isinstance(label, str) else label, value=val)
            for val, label in pairs
        ]
    return rx.select.root(
        rx.select.trigger(aria_label=aria_label, id=trigger_id),
        rx.select.content(*items),
        value=value,
        on_change=on_change,
        **root_props,
    )
