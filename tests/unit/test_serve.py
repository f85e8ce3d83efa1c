"""`python -m ticketapp serve` rebuilds the frontend exactly when a build input changed."""

from __future__ import annotations

from pathlib import Path

from ticketapp import serve


def _project(root: Path) -> Path:
    for name, text in {
        "ticketapp/pages/board.py": "board = 1\n",
        "ticketapp/components/kanban_board.jsx": "export const Board = 1;\n",
        "assets/styles.css": "body {}\n",
        "rxconfig.py": "config = 1\n",
        "data/ticketapp.db": "rows\n",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_the_fingerprint_follows_what_the_build_bakes_in(tmp_path):
    root = _project(tmp_path)
    env = {"PORT": "3000", "TICKETAPP_BASE_URL": ""}
    first = serve.fingerprint(root, env)

    (root / "data/ticketapp.db").write_text("more rows\n")  # data is not built
    (root / "ticketapp/pages/__pycache__").mkdir()
    (root / "ticketapp/pages/__pycache__/board.cpython-311.pyc").write_bytes(b"\0")
    assert serve.fingerprint(root, {**env, "REDIS_URL": "redis://x"}) == first

    changed = []
    for path in ("ticketapp/pages/board.py", "ticketapp/components/kanban_board.jsx"):
        (root / path).write_text((root / path).read_text() + "# edited\n")
        changed.append(serve.fingerprint(root, env))
    changed.append(serve.fingerprint(root, {**env, "PORT": "3100"}))
    changed.append(serve.fingerprint(root, {**env, "TICKETAPP_BASE_URL": "https://help.x"}))
    assert len({first, *changed}) == 5


def test_a_build_is_current_only_with_its_output_and_the_same_stamp(tmp_path):
    root = _project(tmp_path)
    assert not serve.build_is_current(root, "abc")
    (root / serve.BUILD_OUTPUT).parent.mkdir(parents=True)
    (root / serve.BUILD_OUTPUT).write_text("<html>")
    assert not serve.build_is_current(root, "abc")  # built, but no stamp: unknown inputs
    (root / serve.STAMP).write_text("abc\n")
    assert serve.build_is_current(root, "abc")
    assert not serve.build_is_current(root, "def")
