"""Every piece of UI text in pages/ and components/ goes through the catalogs.

A string literal that reads like text (a capitalised word, or words with spaces) must stand in
a translation call: t()/tn() for page text, _()/_n() for what the server says, N_() where a
msgid is defined and translated where it is shown. What is not text (CSS values, routes, ids,
icon names, log lines) is recognised by where it stands.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "ticketapp"
UI_DIRS = ("pages", "components")
TRANSLATING = {"t", "tn", "_", "_n", "N_", "t_var", "t_choice", "t_later", "later", "later_n"}
# Their first argument is a msgid too (services/errors.py; the extractor knows them).
TRANSLATING |= {"ServiceError", "ValidationError", "PermissionDenied", "NotFound", "Conflict"}
# Calls whose string arguments are never shown as text.
NOT_TEXT_CALLS = {
    "icon",
    "color",
    "Var.create",
    "asset",
    "get",
    "getattr",
    "setattr",
    "hasattr",
    "print",
    "debug",
    "info",
    "warning",
    "error",
    "exception",
    "log",
    "startswith",
    "endswith",
    "split",
    "replace",
    "strip",
    "join",
    "format",
    "call_script",
    "redirect",
    "set_value",
    "set_focus",
    "scroll_to",
    "download",
    "match",
    "fullmatch",
    "search",
    "compile",
    "sub",
    "remove_cookie",
    "query_parameters",
    "ImportVar",
    "create",
    "breakpoints",
}
# Keyword arguments that are never shown as text.
NOT_TEXT_KEYWORDS = re.compile(
    r"^(class_name|id|name|type|href|html_for|route|variant|size|color_scheme|color|weight|"
    r"align|justify|direction|spacing|radius|padding.*|margin.*|width|height|min_.*|max_.*|"
    r"style|key|value|default_value|icon|tag|library|auto_complete|trigger_id|input_mode|"
    r"display|position|font_.*|white_space|as_|role|aria_current|aria_live|aria_describedby|"
    r"aria_controls|aria_labelledby|side|loading|accept|pattern|target|rel|method|encoding|"
    r"overflow.*|flex.*|grid.*|gap|wrap|cursor|border.*|background.*|text_align|"
    r"text_decoration|opacity|z_index|transition|transform|top|left|right|bottom|inset|"
    r"data_key|name_key|stroke|fill|layout|orientation|trim|high_contrast|underline|"
    r"content|src|alt_src|mode|tab_index|dir|lang|on_.*|vertical_align|line_height|doc)$"
)
DEVELOPER_ERRORS = {"ValueError", "TypeError", "RuntimeError", "AssertionError", "KeyError"}
TEXT = re.compile(r"[A-Za-z][a-z']*\s+[A-Za-z0-9]|^[A-Z][a-z]+[.!?:…]?$")


def _is_text(value: str) -> bool:
    stripped = value.strip()
    if not stripped or stripped.startswith(("/", "#", "var(", "http", ".", "@")):
        return False
    if all(("-" in word or "_" in word) for word in stripped.split()):
        return False  # "markdown-body kb-prose": class names
    css = re.fullmatch(r"[\d .%a-z()-]*\d[\d .%a-z()-]*", stripped)  # "1fr 2fr", "0 auto"
    return bool(TEXT.search(stripped)) and not css


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


class _Finder(ast.NodeVisitor):
    def __init__(self) -> None:
        self.found: list[tuple[int, str]] = []
        self._skip = 0

    def visit_Expr(self, node: ast.Expr) -> None:  # docstrings and bare strings
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = _call_name(node)
        if name in TRANSLATING or name in NOT_TEXT_CALLS:
            return  # its literals are msgids, or not text at all
        for arg in node.args:
            self.visit(arg)
        for keyword in node.keywords:
            if keyword.arg and NOT_TEXT_KEYWORDS.match(keyword.arg):
                continue
            self.visit(keyword.value)
        self.visit(node.func)

    def visit_Raise(self, node: ast.Raise) -> None:
        if isinstance(node.exc, ast.Call) and _call_name(node.exc) in DEVELOPER_ERRORS:
            return  # a programming error, not a message for a person
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        return  # `status == "Closed"` compares values

    def visit_Subscript(self, node: ast.Subscript) -> None:
        self.visit(node.value)  # `row["Some key"]` indexes

    def visit_Dict(self, node: ast.Dict) -> None:
        for value in node.values:  # keys are data
            self.visit(value)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        # The words around the {placeholders}: "#{n} moved to {x}." reads " moved to .".
        text = " ".join(v.value for v in node.values if isinstance(v, ast.Constant))
        if _is_text(text.strip(" #:.,;()[]“”\"'-")):
            self.found.append((node.lineno, f"f-string {text!r}"))

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and _is_text(node.value):
            self.found.append((node.lineno, repr(node.value)))


def untranslated() -> list[str]:
    problems = []
    for folder in UI_DIRS:
        for path in sorted((PACKAGE / folder).rglob("*.py")):
            finder = _Finder()
            finder.visit(ast.parse(path.read_text(encoding="utf-8")))
            rel = path.relative_to(PACKAGE.parent)
            problems += [f"{rel}:{line}: {text}" for line, text in finder.found]
    return problems


def test_no_ui_text_bypasses_the_catalogs():
    problems = untranslated()
    assert not problems, f"{len(problems)} strings shown without t()/_():\n" + "\n".join(problems)


def test_the_finder_sees_text_and_leaves_the_rest():
    source = '''
def page():
    """A docstring."""
    return rx.vstack(
        rx.heading("Open tickets"),
        rx.button(t("Save"), on_click=State.save, variant="soft", class_name="wide card"),
        rx.icon("circle-alert"),
        rx.text(f"{count} tickets selected"),
        rx.text("Cancel"),
        rx.box(style={"font-family": "Inter, sans-serif"}),
    )
'''
    finder = _Finder()
    finder.visit(ast.parse(source))
    assert [text for _, text in finder.found] == [
        "'Open tickets'",
        "f-string ' tickets selected'",
        "'Cancel'",
    ]


# --- services/: what the server composes -----------------------------------------------------
#
# Error messages, badges, reasons, summaries, e-mails: a literal that reads like text must be a
# msgid (a keyword call, N_(), i18n.later()). Not scanned: demo content (seed/, kb_seed.py) and
# the search text rules (text.py).
SERVICE_SKIP = ("seed", "kb_seed.py", "text.py")
# Literals that read like words but are never shown to a person.
NOT_SHOWN = re.compile(
    r"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b"  # SQL
    r"|= :\w+"  # an SQL condition with a bound parameter
    r"|\bAS score\b|\bORDER BY \w+ (ASC|DESC)\b"  # SQL fragments (ranking)
    r"|redis\.call"  # Lua run by Redis
    r"|^noopener noreferrer"  # a rel attribute
    r"|^worker stopped while sending$"  # an outbox row's last_error, for operators
    r"|^(period|KPI|time zone|Created per day|Resolved per day|Satisfaction per day|"
    r"Workload: open|Workload: resolved in period)$",  # the CSV export's first-column keys
    re.S,
)


class _ServiceFinder(_Finder):
    def visit_Assign(self, node: ast.Assign) -> None:
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return  # exported names
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and NOT_SHOWN.search(node.value):
            return
        super().visit_Constant(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        if NOT_SHOWN.search(text):
            return
        super().visit_JoinedStr(node)


def untranslated_server_text() -> list[str]:
    problems = []
    for path in sorted((PACKAGE / "services").rglob("*.py")):
        rel = path.relative_to(PACKAGE / "services")
        if rel.parts[0] in SERVICE_SKIP:
            continue
        finder = _ServiceFinder()
        finder.visit(ast.parse(path.read_text(encoding="utf-8")))
        problems += [f"services/{rel}:{line}: {text}" for line, text in finder.found]
    return problems


def test_no_server_text_bypasses_the_catalogs():
    problems = untranslated_server_text()
    assert not problems, f"{len(problems)} server texts not in the catalogs:\n" + "\n".join(
        problems
    )


def test_the_server_text_finder_sees_fragments_and_leaves_sql():
    source = """
def reason(team, what):
    raise ValidationError(f"Choose a {what}.", "x")  # the extractor warns (test_catalogs)
    routing_event(session, ticket, f"No agent in team {team}; left unassigned")
    check(value, "Choose a team.")
    check(value, N_("Choose a team."))
    session.execute(text("SELECT id FROM ticket WHERE number = :n"))
    return i18n.later("Triage rule “{name}”", name=team)
"""
    finder = _ServiceFinder()
    finder.visit(ast.parse(source))
    assert [text for _, text in finder.found] == [
        "f-string 'No agent in team  ; left unassigned'",
        "'Choose a team.'",
    ]
