"""`python -m ticketapp serve`: the production server (`reflex run --env prod`), without
rebuilding the frontend when nothing the build depends on changed since the last one.

`reflex run --env prod` compiles the pages and runs the Vite build on every start (about 14 s
of a 16 s start). The build depends only on the app's source, its assets, the Reflex
configuration and lock file, and the addresses rxconfig bakes in (PORT, TICKETAPP_BASE_URL):
their fingerprint is stored next to the build, and a start that finds the same fingerprint
serves the existing build. Everything else `reflex run` does is unchanged.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path

BUILD_INPUTS = ("ticketapp", "assets", "rxconfig.py", "reflex.lock", "pyproject.toml")
BAKED_ENV = ("PORT", "TICKETAPP_BASE_URL")
STAMP = Path(".web/ticketapp-build.sha256")  # relative to the project's root
BUILD_OUTPUT = Path(".web/build/client/index.html")


def _input_files(root: Path) -> list[Path]:
    files = []
    for name in BUILD_INPUTS:
        path = root / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files += (p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return sorted(files)


def fingerprint(root: Path, env: Mapping[str, str]) -> str:
    """A hash of everything the frontend build bakes in."""
    digest = hashlib.sha256(f"reflex {version('reflex')}\n".encode())
    for name in BAKED_ENV:
        digest.update(f"{name}={env.get(name, '')}\n".encode())
    for path in _input_files(root):
        digest.update(f"{path.relative_to(root)}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build_is_current(root: Path, current: str) -> bool:
    stamp = root / STAMP
    if not (root / BUILD_OUTPUT).is_file() or not stamp.is_file():
        return False
    return stamp.read_text().strip() == current


def serve(loglevel: str = "warning") -> int:
    """Run `reflex run --env prod` in this process; skip its compile and build steps when the
    last build is current, and stamp a fresh build with its fingerprint."""
    from reflex import reflex as reflex_cli
    from reflex.utils import build

    root = Path.cwd()
    current = fingerprint(root, os.environ)
    if build_is_current(root, current):
        print("Frontend unchanged since the last build: serving it (no rebuild).", flush=True)
        reflex_cli._compile_app = lambda **_kwargs: None
        build.setup_frontend_prod = lambda _root: None
    else:
        print("Building the frontend (pages changed or first start; about a minute).", flush=True)
        (root / STAMP).unlink(missing_ok=True)
        setup_frontend_prod = build.setup_frontend_prod

        def build_and_stamp(root: Path) -> None:
            setup_frontend_prod(root)
            (root / STAMP).write_text(current + "\n")

        build.setup_frontend_prod = build_and_stamp
    args = ["run", "--env", "prod", "--loglevel", loglevel]
    return reflex_cli.cli.main(args=args, prog_name="reflex", standalone_mode=True) or 0
