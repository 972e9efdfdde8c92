"""The pages in a real browser: Debian's chromium driven by Playwright, against a real server.

A uvicorn server on a free 127.0.0.1 port serves the app on the shared test
database (tests/ui_support.py). The browser enforces the Content-Security-Policy
that the docs promise — added by a thin wrapper here where the app does not
send it itself — so a page that relied on inline script or style would fail.

Every page must load with no console error, no failed request and no request
to any host but 127.0.0.1; it must fit a phone's width; the hostile article
must never run script. A failing test leaves a screenshot in
tests/ui-failures/<test name>.png.

Where /usr/bin/chromium is absent these tests skip, except in CI (the CI
variable set), where they fail: CI must run them.
"""
from __future__ import annotations

import functools
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from ui_support import HOSTILE_TEXT, Site, shared_site

from eventwire.store import Store
from eventwire.web import create_app

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
FAILURES = Path(__file__).resolve().parent / "ui-failures"
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
VIEWPORTS = {
    "wide": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 2},
}
SERVER_START_S = 30


# --- the browser and the server -------------------------------------------------------------

@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing and CI is set: the browser tests must run in CI — "
                        "install Debian's chromium (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory, extractor) -> Site:
    return shared_site(tmp_path_factory, extractor)


@pytest.fixture(scope="module")
def base_url(site: Site) -> Iterator[str]:
    """A real uvicorn server in a background thread; stopped when the module is done."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(with_csp(create_app(site.db)), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + SERVER_START_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            pytest.fail(f"the test server did not start within {SERVER_START_S} s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=SERVER_START_S)
    sock.close()


def with_csp(app: Any) -> Callable[..., Any]:
    """The app, with the documented Content-Security-Policy on every page that lacks one."""
    async def wrapped(scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/docs"):
            await app(scope, receive, send)
            return

        async def send_with_csp(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(k.lower() == b"content-security-policy" for k, _ in headers):
                    headers.append((b"content-security-policy", CSP.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await app(scope, receive, send_with_csp)
    return wrapped


# --- one watched page ----------------------------------------------------------------------------

@dataclass
class Watched:
    """A browser page and everything that went wrong on it."""

    page: Any
    base: str
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def goto(self, path: str) -> None:
        response = self.page.goto(self.base + path, wait_until="load")
        assert response is not None and response.ok, (path, response and response.status)
        self.page.wait_for_load_state("networkidle")

    def assert_clean(self, where: str = "") -> None:
        assert not self.console_errors, (where, self.console_errors)
        assert not self.failed, (where, self.failed)
        assert not self.foreign, (where, "requests left 127.0.0.1", self.foreign)
        assert not self.dialogs, (where, "a script opened a dialog", self.dialogs)

    def rows(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "tr[data-event-id]", "rows => rows.map(r => r.getAttribute('data-event-id'))")

    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.page.url).query)


def watch(browser: Any, base: str, kind: str) -> Watched:
    context = browser.new_context(**VIEWPORTS[kind])
    page = context.new_page()
    page.set_default_timeout(15_000)
    watched = Watched(page, base)

    def on_console(message: Any) -> None:
        if message.type == "error":
            watched.console_errors.append(message.text)

    def on_request(request: Any) -> None:
        host = urlsplit(request.url).hostname
        if request.url.startswith(("http:", "https:", "ws:", "wss:")) and host != "127.0.0.1":
            watched.foreign.append(request.url)

    def on_response(response: Any) -> None:
        if response.status >= 400:
            watched.failed.append(f"{response.status} {response.url}")

    def on_dialog(dialog: Any) -> None:
        watched.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("console", on_console)
    page.on("pageerror", lambda error: watched.console_errors.append(f"page error: {error}"))
    page.on("request", on_request)
    page.on("requestfailed", lambda r: watched.failed.append(f"failed {r.url}: {r.failure}"))
    page.on("response", on_response)
    page.on("dialog", on_dialog)
    return watched


@pytest.fixture
def wide(browser, base_url) -> Iterator[Watched]:
    watched = watch(browser, base_url, "wide")
    yield watched
    watched.page.context.close()


@pytest.fixture
def phone(browser, base_url) -> Iterator[Watched]:
    watched = watch(browser, base_url, "phone")
    yield watched
    watched.page.context.close()


def screenshot_on_failure(test: Callable[..., None]) -> Callable[..., None]:
    """Run the test; when it fails, save each of its pages to tests/ui-failures/<name>.png first."""
    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            test(*args, **kwargs)
        except BaseException:
            pages = [(name, v) for name, v in kwargs.items() if isinstance(v, Watched)]
            FAILURES.mkdir(exist_ok=True)
            for name, watched in pages:
                suffix = f"-{name}" if len(pages) > 1 else ""
                try:
                    watched.page.screenshot(path=str(FAILURES / f"{test.__name__}{suffix}.png"),
                                            full_page=True)
                except Exception:  # noqa: BLE001 - a broken page must not hide the failure
                    pass
            raise
    return run


# --- the tests ---------------------------------------------------------------------------------

def all_pages(site: Site, store: Store) -> list[str]:
    example = store.get_event(site.example_event)
    return ["/events", f"/events/{example.id}", f"/events/{site.hostile_events[0]}",
            f"/events/{site.hostile_events[-1]}", "/timeline", "/map", "/articles",
            f"/articles/{example.article_id}", f"/articles/{site.hostile_article}", "/quotes",
            "/quotes?q=script", "/actors", f"/events?article={site.hostile_article}"]


@pytest.fixture(scope="module")
def store(site: Site) -> Iterator[Store]:
    with Store(site.db) as s:
        yield s


def wait_for_map(watched: Watched) -> None:
    watched.page.wait_for_selector("#map[data-events][data-countries]", state="attached")


def fits_and_shows_navigation(watched: Watched, where: str) -> None:
    page = watched.page
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, (where, f"the page is {overflow}px wider than the window")
    nav = page.locator("header.site nav a")
    assert nav.count() >= 7
    width = page.evaluate("window.innerWidth")
    for i in range(nav.count()):
        link = nav.nth(i)
        assert link.is_visible(), (where, link.inner_text())
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (where, box)


@screenshot_on_failure
def test_every_page_loads_cleanly_and_fits_wide(wide: Watched, site: Site, store: Store):
    for path in all_pages(site, store):
        wide.goto(path)
        if path.startswith("/map"):
            wait_for_map(wide)
        wide.assert_clean(path)
        fits_and_shows_navigation(wide, path)


@screenshot_on_failure
def test_every_page_loads_cleanly_and_fits_a_phone(phone: Watched, site: Site, store: Store):
    for path in all_pages(site, store):
        phone.goto(path)
        if path.startswith("/map"):
            wait_for_map(phone)
        phone.assert_clean(path)
        fits_and_shows_navigation(phone, path)


@screenshot_on_failure
def test_type_filter_changes_the_rows_and_the_url(wide: Watched, store: Store):
    wide.goto("/events?limit=200")
    before = wide.rows()
    wide.page.select_option("#f-type", "ASSAULT")
    with wide.page.expect_navigation():
        wide.page.click("form.filters button[type=submit]")
    assert wide.query()["type"] == ["ASSAULT"]
    after = wide.rows()
    assert after and len(after) < len(before)
    assert after == [e.id for e in store.events(type="ASSAULT", limit=200)]
    types = wide.page.eval_on_selector_all("tr[data-event-id] td.type a",
                                            "cells => cells.map(c => c.textContent.trim())")
    assert all(t.startswith("ASSAULT") for t in types)
    assert wide.page.locator("#f-type").input_value() == "ASSAULT"
    wide.assert_clean()


@screenshot_on_failure
def test_full_text_search(wide: Watched, store: Store):
    wide.goto("/events")
    wide.page.fill("#f-q", "convoy")
    with wide.page.expect_navigation():
        wide.page.press("#f-q", "Enter")
    assert wide.query() == {"q": ["convoy"]}  # empty fields are left out of the URL
    expected = [e.id for e in store.events(search="convoy")]
    assert expected and wide.rows() == expected
    wide.assert_clean()


@screenshot_on_failure
def test_event_page_marks_the_evidence(wide: Watched, store: Store):
    wide.goto("/events?type=ACCUSE")
    first = wide.rows()[0]
    with wide.page.expect_navigation():
        wide.page.click(f'tr[data-event-id="{first}"] td.type a')
    assert urlsplit(wide.page.url).path == f"/events/{first}"
    mention = store.get_event(first).event.mentions[0]
    assert wide.page.text_content("mark#evidence-0") == mention.text
    assert wide.page.locator("mark#evidence-0").is_visible()
    assert wide.page.locator("table.fields tbody tr").count() >= 7
    wide.assert_clean()


@screenshot_on_failure
def test_map_draws_countries_and_events_and_opens_a_marker(wide: Watched):
    wide.goto("/map")
    wait_for_map(wide)
    page = wide.page
    assert page.locator("path.country").count() > 100
    assert page.locator("g.pin").count() > 0
    assert page.locator("#map-legend li").count() > 0
    assert "events with coordinates drawn" in page.text_content("#map-status")
    # the buttons and the wheel zoom, a drag pans: each moves the outlines
    land = "g.land"
    changed = "([sel, t]) => document.querySelector(sel).getAttribute('transform') !== t"
    for act in ("button", "reset", "wheel", "drag"):
        before = page.get_attribute(land, "transform")
        box = page.locator("#map svg").bounding_box()
        middle = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        if act == "button":
            page.click("#zoom-in")
        elif act == "reset":
            page.click("#zoom-reset")
        elif act == "wheel":
            page.mouse.move(*middle)
            page.mouse.wheel(0, -300)
        else:
            page.mouse.move(*middle)
            page.mouse.down()
            page.mouse.move(middle[0] + 60, middle[1] + 20, steps=5)
            page.mouse.up()
        page.wait_for_function(changed, arg=[land, before])
    page.click("#zoom-reset")
    open_some_event(page)
    assert page.locator("#map-info").is_visible()
    title = page.text_content("#info-title")
    assert re.match(r"[A-Z]+( \(\w+\))? · \w+", title), title
    assert page.text_content("#map-info blockquote.evidence")
    href = page.get_attribute("#map-info a.open", "href")
    assert href and href.startswith("/events/")
    # "filter to this view" lists the events in the box
    with page.expect_navigation():
        page.click("#filter-view")
    assert re.fullmatch(r"-?[\d.]+,-?[\d.]+,-?[\d.]+,-?[\d.]+", wide.query()["bbox"][0])
    assert wide.rows()
    wide.assert_clean()


def open_some_event(page: Any) -> None:
    """Click a marker; where only clusters are shown, click them until a marker or a list appears."""
    for _ in range(12):
        if page.locator('g.pin[data-kind="event"]').count():
            page.locator('g.pin[data-kind="event"]').first.click()
            return
        if page.locator("#info-body button[data-index]").count():
            page.locator("#info-body button[data-index]").first.click()
            return
        page.locator('g.pin[data-kind="cluster"]').first.click()
        page.wait_for_timeout(50)  # let the redraw (one animation frame) happen
    raise AssertionError("no event marker could be reached by clicking clusters")


@screenshot_on_failure
def test_timeline_bar_opens_its_events(wide: Watched, store: Store):
    wide.goto("/timeline?country=KEN")
    page = wide.page
    assert page.locator("rect.bar").count() > 0
    link = page.locator("a.bar-link").first
    period, kind = link.get_attribute("data-period"), link.get_attribute("data-type")
    with page.expect_navigation():
        link.click()
    query = wide.query()
    assert urlsplit(page.url).path == "/events"
    assert query["since"] == [period] and query["until"] == [period] and query["type"] == [kind]
    assert query["country"] == ["KEN"]
    expected = store.count_events(country="KEN", type=kind, since=period, until=period)
    assert expected > 0 and len(wide.rows()) == expected
    wide.assert_clean()


@screenshot_on_failure
def test_hostile_article_runs_no_script(wide: Watched, phone: Watched, site: Site):
    for watched in (wide, phone):
        for path in (f"/articles/{site.hostile_article}", f"/events/{site.hostile_events[0]}",
                     f"/events?article={site.hostile_article}", "/quotes?q=script",
                     f"/timeline?article={site.hostile_article}"):
            watched.goto(path)
            watched.assert_clean(path)
            fits_and_shows_navigation(watched, path)
            if path.startswith("/articles/"):
                text = watched.page.evaluate("document.body.textContent")
                assert "<script>alert(1)</script>" in text  # shown as words, never run
        watched.goto(f"/map?article={site.hostile_article}")
        wait_for_map(watched)
        open_some_event(watched.page)
        evidence = watched.page.text_content("#map-info blockquote.evidence")
        assert evidence and evidence in HOSTILE_TEXT
        watched.assert_clean("map")
        fits_and_shows_navigation(watched, "map")
    assert wide.page.evaluate("document.querySelectorAll('script:not([src]):not([type])').length") == 0
