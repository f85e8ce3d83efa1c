"""Browser tests against the production build (`reflex run --env prod`).

The app is built and started ONCE per test session, on a free port, with a fresh SQLite
database seeded with the demo data. Tests drive it through labels and roles.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from tests.servers import free_port as _free_port

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("TICKETAPP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
DEMO_PASSWORD = "demo-password"
SCREENSHOTS = ROOT / "tests" / "e2e" / "screenshots"

expect.set_options(timeout=10_000)


@dataclass
class AppServer:
    base_url: str
    database_url: str
    data_dir: Path
    env: dict[str, str]

    def url(self, path: str) -> str:
        return self.base_url + path

    def cli(self, *args: str) -> str:
        out = subprocess.run(
            [sys.executable, "-m", "ticketapp", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout


def _wait_http(url: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app exited early:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise RuntimeError(f"app did not answer at {url}:\n{log.read_text()[-4000:]}")


class MailSink:
    """A real local SMTP server (aiosmtpd) the e2e app sends its e-mail to."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        from email import message_from_bytes

        self.messages.append(message_from_bytes(envelope.original_content or envelope.content))
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture(scope="session")
def smtp_sink() -> Iterator[tuple[MailSink, int]]:
    from aiosmtpd.controller import Controller

    sink = MailSink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    yield sink, port
    controller.stop()


@pytest.fixture(scope="session")
def app_server(tmp_path_factory, smtp_sink) -> Iterator[AppServer]:
    data_dir = tmp_path_factory.mktemp("appdata")
    port = _free_port()
    database_url = f"sqlite:///{data_dir / 'ticketapp.db'}"
    env = {
        **os.environ,
        # NOTIFY: e-mail goes to the fixture's local SMTP server (deliver with the CLI).
        "TICKETAPP_SMTP_HOST": "127.0.0.1",
        "TICKETAPP_SMTP_PORT": str(smtp_sink[1]),
        "TICKETAPP_SMTP_TLS": "none",
        "TICKETAPP_BASE_URL": f"http://127.0.0.1:{port}",
        "PORT": str(port),
        "TICKETAPP_DATA_DIR": str(data_dir),
        "TICKETAPP_DATABASE_URL": database_url,
        "TICKETAPP_DEMO": "1",
        "REFLEX_USE_NPM": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        # SLA: a movable clock (offset in seconds in this file) and a fast scheduler tick.
        "TICKETAPP_TEST_CLOCK": "1",
        "TICKETAPP_CLOCK_FILE": str(data_dir / "clock_offset"),
        "TICKETAPP_SCHEDULER": "1",
        "TICKETAPP_SCHEDULER_INTERVAL": "2",
        # WEBHOOKS: the tests' receivers listen on 127.0.0.1 (refused by default).
        "TICKETAPP_WEBHOOKS_ALLOW_PRIVATE": "1",
    }
    (data_dir / "clock_offset").write_text("0")
    env.pop("REDIS_URL", None)
    env.pop("REFLEX_REDIS_URL", None)
    server = AppServer(f"http://127.0.0.1:{port}", database_url, data_dir, env)
    server.cli("migrate")
    server.cli("seed-demo")
    log = data_dir / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            # What `make run` runs: `reflex run --env prod`, built when the pages changed.
            [sys.executable, "-m", "ticketapp", "serve", "--loglevel", "warning"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_http(server.url("/ping"), proc, log, timeout=600)
        _wait_http(server.url("/login"), proc, log, timeout=120)
        yield server
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            # A visible browser to watch a test (README, Development); needs a display.
            headless=os.environ.get("TICKETAPP_E2E_HEADED") != "1",
            slow_mo=float(os.environ.get("TICKETAPP_E2E_SLOWMO", "0")),
        )
        yield b
        b.close()


# Every page of every browser test reports Content-Security-Policy violations to the test.
_CSP_LISTENER = """document.addEventListener("securitypolicyviolation", (e) =>
    window.__cspViolation(`${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}`));"""


def watch_csp(ctx: BrowserContext) -> list[str]:
    """The CSP violations any page of `ctx` reports (fill as the test runs)."""
    seen: list[str] = []
    ctx.expose_binding("__cspViolation", lambda source, text: seen.append(text))
    ctx.add_init_script(_CSP_LISTENER)
    return seen


def close_checking_csp(ctx: BrowserContext, violations: list[str]) -> None:
    ctx.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def context(browser: Browser, app_server: AppServer) -> Iterator[BrowserContext]:
    ctx = browser.new_context(base_url=app_server.base_url, viewport={"width": 1280, "height": 800})
    violations = watch_csp(ctx)
    yield ctx
    close_checking_csp(ctx, violations)


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def new_page(browser: Browser, app_server: AppServer):
    """Another, independent browser (its own cookies): for two-user scenarios."""
    contexts: list[tuple[BrowserContext, list[str]]] = []

    def make() -> Page:
        ctx = browser.new_context(
            base_url=app_server.base_url, viewport={"width": 1280, "height": 800}
        )
        contexts.append((ctx, watch_csp(ctx)))
        return ctx.new_page()

    yield make
    for ctx, violations in contexts:
        close_checking_csp(ctx, violations)


@pytest.fixture(scope="module")
def db(app_server: AppServer) -> Iterator[Engine]:
    """The app server's database, for a test's own reads (and setup the UI does not offer)."""
    engine = create_engine(app_server.database_url)
    yield engine
    engine.dispose()


def q(db: Engine, sql: str, **params) -> list:
    with db.connect() as conn:
        return conn.execute(text(sql), params).all()


def path_re(path: str) -> re.Pattern[str]:
    """The production build serves pages with and without a trailing slash."""
    return re.compile(re.escape(path) + r"/?(\?.*)?$")


def sign_in(
    page: Page,
    email: str,
    password: str = DEMO_PASSWORD,
    expect_path: str | None = None,
    next_path: str = "",
):
    page.goto(f"/login?next={next_path}" if next_path else "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if expect_path:
        expect(page).to_have_url(path_re(expect_path), timeout=15_000)


def open_admin_page(page: Page, name: str) -> None:
    """A manager's settings page, from the top bar's Admin menu."""
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Admin").click()
    page.get_by_role("menuitem", name=name, exact=True).click()


def wait_for_shortcuts(page: Page) -> None:
    """The keyboard layer loads after the page (a client-only component): its palette button
    shows once j/k, r/n and Ctrl-K listen. A person sees the button; a test must wait for it."""
    expect(page.get_by_role("button", name=re.compile("^Command palette"))).to_be_visible(
        timeout=15_000
    )


def assert_accessible(page: Page, name: str) -> None:
    """axe-core: no serious or critical violations; also saves a screenshot to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # The pointer stays where the last click was: a hover colour under it is not the page's.
    page.mouse.move(0, 0)
    # Let entrance transitions (toasts, dialogs) finish: axe reads colours mid-fade otherwise.
    page.evaluate(
        """() => Promise.race([
            Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null))),
            new Promise((resolve) => setTimeout(resolve, 2000)),
        ])"""
    )
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    # A toast already on its way out (sonner marks it data-removed) fades while axe reads it.
    results = Axe().run(page, context={"exclude": [['[data-removed="true"]']]})
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"axe violations on {name}:\n" + "\n".join(bad)


class DroppableSocket:
    """Sits on a page's websocket (`page.route_web_socket(re.compile("/_event"), x.attach)`):
    forwards both ways, and can drop the connection and refuse reconnects while offline."""

    def __init__(self) -> None:
        self.offline = False
        self.open: list = []

    def attach(self, ws) -> None:
        if self.offline:
            ws.close()
            return
        server = ws.connect_to_server()
        self.open.append((ws, server))
        ws.on_message(server.send)
        server.on_message(ws.send)

    def drop(self) -> None:
        self.offline = True
        for ws, server in self.open:
            server.close()
            ws.close()
        self.open.clear()
