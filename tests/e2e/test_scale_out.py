"""Scale-out mode, as README "Running for a larger team" describes it: PostgreSQL, Redis, four
backend workers, nginx in front with the config shipped in ticketapp/deploy/nginx.conf.

Marked `redis`: `make test` runs this module in its own pytest process after the other browser
tests, because it builds and starts a second production server from the same project directory.
Every browser goes through nginx; with several browsers on four workers, the live fan-out must
cross workers (via Redis) for every viewer to see every move (board) and every new number
(analytics).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from tests.e2e.conftest import ROOT, AppServer, _free_port, _wait_http, path_re, sign_in
from tests.e2e.test_analytics import _file_ticket, kpi, open_analytics, resolve_as_agent
from tests.e2e.test_board import column, open_board
from tests.e2e.test_ticket_detail import REQUESTER, demo_ticket, write_reply
from tests.servers import redis_db
from ticketapp import config, live
from ticketapp import state as app_state
from ticketapp.db import make_engine
from ticketapp.models import User
from ticketapp.services import auth, notifications
from ticketapp.services.actor import Actor

NGINX_CONF = ROOT / "ticketapp" / "deploy" / "nginx.conf"
WORKERS = 4


def _fresh_postgres_database(server_url: str) -> str:
    """An empty database next to the unit tests' one (same server, own name)."""
    url = make_url(server_url)
    name = "ticketapp_e2e_scale"
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return url.set(database=name).render_as_string(hide_password=False)


def _start_nginx(work: Path, port: int, app_port: int) -> subprocess.Popen:
    """nginx in the foreground serving the shipped site config on `port`, proxying to the app."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    site = NGINX_CONF.read_text()
    site = site.replace("server 127.0.0.1:3000;", f"server 127.0.0.1:{app_port};")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    (work / "site.conf").write_text(site)
    for d in ("client", "proxy", "fastcgi", "uwsgi", "scgi"):
        (work / d).mkdir(exist_ok=True)
    (work / "nginx.conf").write_text(
        f"""daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {work}/client;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    include {work}/site.conf;
}}
"""
    )
    test = subprocess.run(
        [nginx, "-t", "-p", str(work), "-c", str(work / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert test.returncode == 0, f"the shipped nginx config does not load:\n{test.stderr}"
    proc = subprocess.Popen(
        [nginx, "-p", str(work), "-c", str(work / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return proc


def _flush_redis(server: AppServer) -> None:
    """Every worker's Reflex state is gone."""
    redis.Redis.from_url(server.env["REDIS_URL"]).flushdb()


@pytest.fixture(scope="module")
def scaled_server(tmp_path_factory, postgres_url, redis_server_url) -> Iterator[AppServer]:
    redis_url = redis_db(redis_server_url, 7)
    redis.Redis.from_url(redis_url).flushdb()
    data_dir = tmp_path_factory.mktemp("scaled")
    app_port, proxy_port = _free_port(), _free_port()
    proxy_url = f"http://127.0.0.1:{proxy_port}"
    database_url = _fresh_postgres_database(postgres_url)
    env = {
        **os.environ,
        "PORT": str(app_port),
        "TICKETAPP_DATA_DIR": str(data_dir),
        "TICKETAPP_DATABASE_URL": database_url,
        "TICKETAPP_DEMO": "1",
        "REDIS_URL": redis_url,
        "TICKETAPP_BASE_URL": proxy_url,
        "GRANIAN_WORKERS": str(WORKERS),
        "REFLEX_USE_NPM": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
    }
    env.pop("REFLEX_REDIS_URL", None)
    app = AppServer(f"http://127.0.0.1:{app_port}", database_url, data_dir, env)
    app.cli("migrate")
    app.cli("seed-demo")
    nginx = _start_nginx(data_dir, proxy_port, app_port)
    log = data_dir / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "reflex"), "run", "--env", "prod"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_http(app.url("/ping"), proc, log, timeout=600)
        _wait_http(app.url("/login"), proc, log, timeout=120)
        proxied = AppServer(proxy_url, database_url, data_dir, env)
        try:
            _wait_http(proxied.url("/login"), proc, log, timeout=30)
        except RuntimeError as exc:
            raise RuntimeError(f"nginx: {(data_dir / 'error.log').read_text()}") from exc
        yield proxied
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        redis.Redis.from_url(redis_url).flushdb()


def _browser_page(browser: Browser, server: AppServer) -> Page:
    ctx = browser.new_context(base_url=server.base_url, viewport={"width": 1400, "height": 1600})
    return ctx.new_page()


@pytest.mark.redis
def test_moves_fan_out_across_workers_behind_nginx(browser: Browser, scaled_server: AppServer):
    pages = []
    for email in ("agent@example.com", "manager@example.com", "jordan.lee@example.com"):
        page = _browser_page(browser, scaled_server)
        open_board(page, email)
        pages.append(page)
    mover, *viewers = pages
    for number, target in ((1061, "Open"), (1066, "In progress"), (1068, "Waiting on requester")):
        mover.get_by_role("button", name=f"Move #{number}").click()
        mover.get_by_role("menuitem", name=target).click()
        for v in viewers:
            expect(column(v, target).get_by_test_id(f"card-{number}")).to_be_visible(timeout=10_000)
    # The other direction too: a viewer moves, the first browser sees it.
    viewers[1].get_by_role("button", name="Move #1071").click()
    viewers[1].get_by_role("menuitem", name="Open").click()
    expect(column(mover, "Open").get_by_test_id("card-1071")).to_be_visible(timeout=10_000)
    for p in pages:
        p.context.close()


def _board_column_of(page: Page, number: int) -> str:
    for label in ("New", "Open", "In progress", "Waiting on requester"):
        if column(page, label).get_by_test_id(f"card-{number}").count():
            return label
    raise AssertionError(f"#{number} is on no board column")


@pytest.mark.redis
def test_redis_flush_open_pages_keep_working_without_reload(
    browser: Browser, scaled_server: AppServer
):
    """Redis loses every tab's state while pages stay open: the next action recovers the
    session from the browser and is carried out, and a half-typed form keeps its text."""
    agent = _browser_page(browser, scaled_server)
    open_board(agent, "agent@example.com")
    viewer = _browser_page(browser, scaled_server)  # only watches, sends nothing after the flush
    open_board(viewer, "jordan.lee@example.com")
    requester = _browser_page(browser, scaled_server)
    sign_in(requester, "requester@example.com", expect_path="/portal")
    requester.goto("/tickets/new")
    title = "Printer on floor 3 jams after the flush"
    requester.get_by_label("Title").fill(title)
    requester.get_by_label("Description", exact=True).click()  # leaving Title sends it
    expect(requester.get_by_role("button", name="Submit ticket")).to_be_enabled()
    # The draft (what the recovery must bring back) has reached the tab's sessionStorage.
    requester.wait_for_function(
        "t => (sessionStorage.getItem('ticketapp-new-ticket') || '').includes(t)", arg=title
    )

    _flush_redis(scaled_server)

    # The agent's move, the first event after the flush, is done, not refused.
    target = "Open" if _board_column_of(agent, 1064) != "Open" else "In progress"
    agent.get_by_role("button", name="Move #1064").click()
    agent.get_by_role("menuitem", name=target).click()
    expect(column(agent, target).get_by_test_id("card-1064")).to_be_visible(timeout=20_000)
    expect(agent).to_have_url(path_re("/board"))  # the sign-in post lands on /board/
    expect(agent.get_by_text("Please sign in again.")).to_have_count(0)
    # The watching board still gets the move live, and rebuilds itself from the database.
    expect(column(viewer, target).get_by_test_id("card-1064")).to_be_visible(timeout=20_000)
    expect(viewer).to_have_url(path_re("/board"))

    # The requester goes on typing: nothing typed before the flush is lost, and it files.
    requester.get_by_label("Description", exact=True).fill("Paper jams on every second page.")
    requester.get_by_label("Title").click()
    expect(requester.get_by_label("Title")).to_have_value(title)
    requester.get_by_role("button", name="Submit ticket").click()
    expect(requester).to_have_url(re.compile(r"/tickets/\d+$"), timeout=20_000)
    expect(requester.get_by_role("heading", name=re.compile(title))).to_be_visible()
    expect(requester.get_by_text("Paper jams on every second page.")).to_be_visible()
    for page in (agent, viewer, requester):
        page.context.close()


@pytest.mark.redis
def test_analytics_pushes_reach_managers_on_every_worker(
    browser: Browser, scaled_server: AppServer
):
    """Analytics tabs are registered, not linked: every worker hears every change and pushes the
    dashboard into its own tabs' states, also after Redis lost them all (a flush)."""
    number = _file_ticket(scaled_server.database_url, "Scale-out analytics")
    second = _file_ticket(scaled_server.database_url, "Scale-out analytics after the flush")
    managers = []
    for _ in range(3):
        page = _browser_page(browser, scaled_server)
        open_analytics(page)
        page.evaluate("window.__noReload = 'still here'")
        managers.append((page, int(kpi(page, "resolved_today"))))
    agent = _browser_page(browser, scaled_server)
    resolve_as_agent(agent, number)
    for page, resolved in managers:
        expect(page.get_by_test_id("kpi-value-resolved_today")).to_have_text(
            str(resolved + 1), timeout=10_000
        )
        assert page.evaluate("window.__noReload") == "still here"

    _flush_redis(scaled_server)
    resolve_as_agent(agent, second, signed_in=True)  # still signed in after the flush
    for page, resolved in managers:
        expect(page.get_by_test_id("kpi-value-resolved_today")).to_have_text(
            str(resolved + 2), timeout=10_000
        )
        assert page.evaluate("window.__noReload") == "still here"
    for page, _ in [*managers, (agent, 0)]:
        page.context.close()


def _bell(page: Page, unread: int):
    name = f"Notifications, {unread} unread" if unread else "Notifications"
    return page.get_by_role("button", name=name, exact=True)


def _unread_in_database(app_server: AppServer, email: str) -> int:
    engine = make_engine(app_server.database_url)
    try:
        with Session(engine) as s:
            user = s.exec(select(User).where(User.email == email)).one()
            return notifications.unread_count(s, Actor.of(user))
    finally:
        engine.dispose()


@pytest.mark.redis
def test_replies_reach_the_requesters_bell_and_ticket_page_on_any_worker(
    browser: Browser, scaled_server: AppServer
):
    """Notifications and ticket pages are live across workers too: an agent's public reply
    shows up in the requester's bell and open ticket page, whichever workers they are on."""
    number, title = demo_ticket(scaled_server, REQUESTER)
    ticket_path = f"/tickets/{number}"
    unread = _unread_in_database(scaled_server, REQUESTER)
    requester_tabs = []
    for _ in range(3):  # several sockets: spread over the four workers
        page = _browser_page(browser, scaled_server)
        sign_in(page, REQUESTER, expect_path="/portal")
        page.goto(ticket_path)
        expect(page.get_by_role("heading", level=2).filter(has_text=f"#{number}")).to_be_visible()
        # The bell loads after the page: wait for its count, so the +1 below is the live push.
        expect(_bell(page, unread)).to_be_visible()
        requester_tabs.append(page)
    agent = _browser_page(browser, scaled_server)
    sign_in(agent, "agent@example.com", expect_path=ticket_path, next_path=ticket_path)
    expect(agent.get_by_role("heading", level=2).filter(has_text=f"#{number}")).to_be_visible()
    body = f"Fixed the cabling for {title[:20]}, please try again."
    write_reply(agent, body)
    expect(agent.get_by_text("Reply sent.")).to_be_visible()
    assert _unread_in_database(scaled_server, REQUESTER) == unread + 1
    for page in requester_tabs:
        expect(page.get_by_text(body)).to_be_visible(timeout=10_000)
        expect(_bell(page, unread + 1)).to_be_visible(timeout=10_000)
    for page in [agent, *requester_tabs]:
        page.context.close()


@pytest.mark.redis
def test_several_tabs_of_one_user_load_their_pages_together(
    browser: Browser, scaled_server: AppServer
):
    """Tabs of one user, navigated at the same moment, each to the same ticket page and back to
    the portal: every page comes up. Tabs share no Reflex state (each gets its own pushes), so
    no tab's event waits on another tab's lock; linked shared states (a per-user bell, a
    per-ticket feed) made two tabs deadlock until the Redis lock expired (60 s). The bound
    below is that deadlock's detector, far above a page load, not a speed target."""
    number, _title = demo_ticket(scaled_server, REQUESTER)
    ticket_path = f"/tickets/{number}"
    context = browser.new_context(base_url=scaled_server.base_url)
    first = context.new_page()
    sign_in(first, REQUESTER, expect_path="/portal")
    tabs = [first, *(context.new_page() for _ in range(3))]  # one cookie, four tabs
    heading = f"#{number}"
    for round_ in range(4):
        path = ticket_path if round_ % 2 == 0 else "/portal"
        for tab in tabs:
            tab.goto(path, wait_until="commit")
        for tab in tabs:
            if path == ticket_path:
                shown = tab.get_by_role("heading", level=2).filter(has_text=heading)
            else:
                shown = tab.get_by_role("table", name="Your tickets")
            expect(shown).to_be_visible(timeout=20_000)
            expect(tab.get_by_role("button", name=re.compile(r"^Notifications"))).to_be_visible()
    context.close()


@contextlib.contextmanager
def _announcing_to(server: AppServer) -> Iterator[None]:
    """Commits made in this process reach the server's workers as a deployed command's do
    (the same REDIS_URL): the session memo's hook announces them (`app_state` registers it).
    Without it, a worker that remembers the session trusts it for up to 30 s."""
    assert app_state.SessionState  # (imported for the hook it registers)
    old = config.settings
    config.settings = dataclasses.replace(old, redis_url=server.env["REDIS_URL"])
    live._sync_redis_client = None
    try:
        yield
    finally:
        config.settings = old
        live._sync_redis_client = None


@pytest.mark.redis
def test_redis_flush_keeps_sessions_and_roles(browser: Browser, scaled_server: AppServer):
    agent = _browser_page(browser, scaled_server)
    sign_in(agent, "priya.raman@example.com", expect_path="/board")
    expect(column(agent, "New")).to_be_visible(timeout=20_000)

    _flush_redis(scaled_server)

    # The browser re-hydrates from its session cookie: still signed in, board back.
    agent.reload()
    expect(agent).to_have_url(re.compile(r"/board"))
    expect(column(agent, "New")).to_be_visible(timeout=20_000)

    # A role change made after the flush still applies on the next action.
    engine = make_engine(scaled_server.database_url)
    try:
        with Session(engine) as s, _announcing_to(scaled_server):
            manager = s.exec(select(User).where(User.email == "manager@example.com")).one()
            target = s.exec(select(User).where(User.email == "priya.raman@example.com")).one()
            auth.change_role(s, Actor.of(manager), target.id, "requester")
            s.commit()
        agent.goto("/board")
        expect(agent.get_by_role("heading", name="Not allowed")).to_be_visible()
    finally:
        with Session(engine) as s, _announcing_to(scaled_server):
            manager = s.exec(select(User).where(User.email == "manager@example.com")).one()
            target = s.exec(select(User).where(User.email == "priya.raman@example.com")).one()
            auth.change_role(s, Actor.of(manager), target.id, "agent")
            s.commit()
        engine.dispose()
    agent.context.close()
