"""The fetcher against a real HTTP server on 127.0.0.1, and its refusals before connecting."""
from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import httpx
import pytest
from httpserver import LocalServer, Reply, redirect, send

from eventwire.errors import FetchError
from eventwire.sources.fetch import FetchedPage, Fetcher, FetchPolicy, default_user_agent
from eventwire.sources.html import html_to_article

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
ARTICLE = (FIXTURES / "article.html").read_bytes()
HUGE_BYTES = 50_000_000
CHUNK = b"x" * 65_536


class Stream:
    """A route that streams HUGE_BYTES lazily and records how far it got."""

    def __init__(self) -> None:
        self.written = 0
        self.done = threading.Event()

    def __call__(self, handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        try:
            while self.written < HUGE_BYTES:
                handler.wfile.write(CHUNK)
                self.written += len(CHUNK)
        except OSError:
            pass
        finally:
            self.done.set()


def slow(handler: BaseHTTPRequestHandler) -> None:
    """Answer only when the server stops: far later than any test's timeout."""
    handler.server.stopping.wait(10)
    try:
        send(handler, Reply(body=b"too late"))
    except OSError:
        pass


def declared_huge(handler: BaseHTTPRequestHandler) -> None:
    """Announce HUGE_BYTES, then send nothing: only the Content-Length check can end this fast."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", str(HUGE_BYTES))
    handler.end_headers()
    handler.server.stopping.wait(10)


def conditional(handler: BaseHTTPRequestHandler) -> None:
    if handler.headers.get("If-None-Match") == '"v1"':
        send(handler, Reply(status=304, headers={"ETag": '"v1"'}))
    else:
        send(handler, Reply(body=ARTICLE, headers={"ETag": '"v1"'}))


@pytest.fixture
def huge() -> Stream:
    return Stream()


@pytest.fixture
def server(huge: Stream) -> Iterator[LocalServer]:
    routes = {
        "/robots.txt": Reply(body=b"User-agent: *\nDisallow: /private/\n",
                             content_type="text/plain"),
        "/article": Reply(body=ARTICLE),
        "/private/page": Reply(body=ARTICLE),
        "/broken": Reply(status=500, body=b"oops", content_type="text/plain"),
        "/limited": Reply(status=429, body=b"slow down", content_type="text/plain"),
        "/loop-a": redirect("/loop-b"),
        "/loop-b": redirect("/loop-a"),
        "/r1": redirect("/r2", 301),
        "/r2": redirect("r3", 307),
        "/r3": redirect("/article"),
        "/to-private": redirect("/private/page"),
        "/declared-huge": declared_huge,
        "/huge": huge,
        "/slow": slow,
        "/etag": conditional,
        "/feed.xml": Reply(body=(FIXTURES / "feed.rss").read_bytes(),
                           content_type="application/rss+xml"),
    }
    with LocalServer(routes) as running:
        yield running


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(FetchPolicy(allow_private=True, per_host_delay=0, timeout=5)) as f:
        yield f


def no_traffic_client(sent: list[httpx.Request]) -> httpx.Client:
    """A client whose transport records anything that would have gone out."""
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)
    return httpx.Client(transport=httpx.MockTransport(handler))


# --- pages, redirects, errors ---------------------------------------------------


def test_fetch_returns_the_page_with_its_hash(server: LocalServer, fetcher: Fetcher) -> None:
    page = fetcher.fetch(server.url("/article"))
    assert isinstance(page, FetchedPage)
    assert page.body == ARTICLE
    assert page.sha256 == hashlib.sha256(ARTICLE).hexdigest()
    assert page.status == 200
    assert page.content_type == "text/html; charset=utf-8"
    assert page.final_url == page.url == server.url("/article")
    assert page.fetched_at.endswith("Z") and page.fetched_at[:4].isdigit()


def test_fetched_page_cleans_into_an_article(server: LocalServer, fetcher: Fetcher) -> None:
    page = fetcher.fetch(server.url("/article"))
    article = html_to_article(page.body, url=page.final_url)
    assert article.title == "Dock workers strike at northern port over pay"
    assert article.text.startswith("Hundreds of dock workers")


def test_user_agent_names_eventwire(server: LocalServer, fetcher: Fetcher) -> None:
    fetcher.fetch(server.url("/article"))
    agents = {h.get("User-Agent") for h in server.request_headers}
    assert agents == {default_user_agent()}
    assert default_user_agent().startswith("eventwire/")


def test_redirect_chain_is_followed_to_the_final_url(server: LocalServer, fetcher: Fetcher) -> None:
    page = fetcher.fetch(server.url("/r1"))
    assert page.final_url == server.url("/article")
    assert page.url == server.url("/r1")
    assert page.body == ARTICLE
    assert [h for h in server.hits if h != "/robots.txt"] == ["/r1", "/r2", "/r3", "/article"]


def test_too_many_redirects(server: LocalServer) -> None:
    policy = FetchPolicy(allow_private=True, per_host_delay=0, max_redirects=2)
    with Fetcher(policy) as fetcher, pytest.raises(FetchError, match="too many redirects"):
        fetcher.fetch(server.url("/r1"))
    assert "/article" not in server.hits


def test_redirect_loop(server: LocalServer, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match="redirect loop") as caught:
        fetcher.fetch(server.url("/loop-a"))
    assert caught.value.source == server.url("/loop-a")


def test_not_found_says_check_the_url(server: LocalServer, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match="HTTP 404") as caught:
        fetcher.fetch(server.url("/nowhere"))
    assert caught.value.hint == "check the URL"


def test_server_error_says_try_later(server: LocalServer, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match="HTTP 500") as caught:
        fetcher.fetch(server.url("/broken"))
    assert "try later" in caught.value.hint


def test_rate_limited_says_wait(server: LocalServer, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match="HTTP 429") as caught:
        fetcher.fetch(server.url("/limited"))
    assert "wait" in caught.value.hint


def test_timeout(server: LocalServer) -> None:
    policy = FetchPolicy(allow_private=True, per_host_delay=0, timeout=0.3, respect_robots=False)
    with Fetcher(policy) as fetcher, pytest.raises(FetchError, match="timed out"):
        fetcher.fetch(server.url("/slow"))


def test_connection_refused_is_a_fetch_error(fetcher: Fetcher) -> None:
    with LocalServer({}) as stopped:
        url = stopped.url("/article")
    with pytest.raises(FetchError, match="cannot connect"):
        fetcher.fetch(url)


@pytest.mark.parametrize("url", ["ftp://example.com/file", "file:///etc/passwd", "mailto:a@b.c"])
def test_only_http_and_https(url: str) -> None:
    sent: list[httpx.Request] = []
    with Fetcher(client=no_traffic_client(sent)) as fetcher:
        with pytest.raises(FetchError, match="unsupported URL scheme"):
            fetcher.fetch(url)
    assert sent == []


# --- size cap -------------------------------------------------------------------


def test_huge_body_is_abandoned_early(server: LocalServer, huge: Stream) -> None:
    policy = FetchPolicy(allow_private=True, per_host_delay=0, max_bytes=1_000_000)
    with Fetcher(policy) as fetcher, pytest.raises(FetchError, match="larger than 1000000 bytes"):
        fetcher.fetch(server.url("/huge"))
    assert huge.done.wait(30), "the server kept writing after the fetcher gave up"
    assert huge.written < HUGE_BYTES


def test_declared_length_over_the_cap_is_refused(server: LocalServer) -> None:
    policy = FetchPolicy(allow_private=True, per_host_delay=0, max_bytes=1_000, timeout=30)
    with Fetcher(policy) as fetcher, pytest.raises(FetchError, match="larger than 1000 bytes"):
        fetcher.fetch(server.url("/declared-huge"))


# --- robots.txt -----------------------------------------------------------------


def test_robots_disallow_is_respected(server: LocalServer, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match="disallowed by robots.txt"):
        fetcher.fetch(server.url("/private/page"))
    assert "/private/page" not in server.hits


def test_robots_is_checked_at_each_redirect_hop(server: LocalServer, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match="disallowed by robots.txt"):
        fetcher.fetch(server.url("/to-private"))
    assert "/private/page" not in server.hits


def test_robots_is_fetched_once_per_host(server: LocalServer, fetcher: Fetcher) -> None:
    for _ in range(3):
        fetcher.fetch(server.url("/article"))
    assert server.hits.count("/robots.txt") == 1
    assert server.hits.count("/article") == 3


def test_robots_can_be_ignored(server: LocalServer) -> None:
    policy = FetchPolicy(allow_private=True, per_host_delay=0, respect_robots=False)
    with Fetcher(policy) as fetcher:
        assert fetcher.fetch(server.url("/private/page")).body == ARTICLE
    assert "/robots.txt" not in server.hits


def test_missing_robots_allows_everything(fetcher: Fetcher) -> None:
    with LocalServer({"/private/page": Reply(body=ARTICLE)}) as bare:
        assert fetcher.fetch(bare.url("/private/page")).body == ARTICLE
        assert bare.hits == ["/robots.txt", "/private/page"]


def test_failing_robots_allows_everything(fetcher: Fetcher) -> None:
    routes = {"/robots.txt": Reply(status=503), "/page": Reply(body=ARTICLE)}
    with LocalServer(routes) as flaky:
        assert fetcher.fetch(flaky.url("/page")).status == 200


# --- politeness -----------------------------------------------------------------


class FakeTime:
    """A clock that only moves when slept on, recording every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_per_host_delay_spaces_requests_to_one_host(server: LocalServer) -> None:
    fake = FakeTime()
    policy = FetchPolicy(allow_private=True, per_host_delay=2.5)
    with Fetcher(policy, clock=fake.clock, sleep=fake.sleep) as fetcher:
        fetcher.fetch(server.url("/article"))  # robots.txt, then the page: one wait
        fetcher.fetch(server.url("/article"))  # one more wait
        assert fake.sleeps == [2.5, 2.5]
        fetcher.fetch(server.url("/article", host="localhost"))  # another host name: robots first
        assert fake.sleeps == [2.5, 2.5, 2.5]


def test_no_wait_once_the_delay_has_passed(server: LocalServer) -> None:
    fake = FakeTime()
    policy = FetchPolicy(allow_private=True, per_host_delay=2.0, respect_robots=False)
    with Fetcher(policy, clock=fake.clock, sleep=fake.sleep) as fetcher:
        fetcher.fetch(server.url("/article"))
        fake.now += 1.5
        fetcher.fetch(server.url("/article"))
        fake.now += 5.0
        fetcher.fetch(server.url("/article"))
    assert fake.sleeps == [pytest.approx(0.5)]


def test_conditional_get_gives_304_when_unchanged(server: LocalServer, fetcher: Fetcher) -> None:
    first = fetcher.fetch(server.url("/etag"))
    assert first.etag == '"v1"' and first.body == ARTICLE
    again = fetcher.fetch(server.url("/etag"), etag=first.etag)
    assert again.status == 304
    assert again.body == b""


# --- refusing private addresses, before any traffic -----------------------------


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/",
    "http://localhost:8080/page",
    "http://10.0.0.1/admin",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://0.0.0.0/",
    "https://224.0.0.1/",
])
def test_private_addresses_are_refused_before_connecting(url: str) -> None:
    sent: list[httpx.Request] = []
    with Fetcher(FetchPolicy(per_host_delay=0), client=no_traffic_client(sent)) as fetcher:
        with pytest.raises(FetchError, match="private/loopback address") as caught:
            fetcher.fetch(url)
    assert sent == []
    assert "--allow-private" in caught.value.hint


def test_real_local_server_is_refused_without_allow_private(server: LocalServer) -> None:
    with Fetcher(FetchPolicy(per_host_delay=0)) as fetcher:
        with pytest.raises(FetchError, match="refused"):
            fetcher.fetch(server.url("/article"))
    assert server.hits == []


def test_redirect_to_a_private_address_is_refused() -> None:
    """A public page may not steer the fetcher into the local network."""
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(302, headers={"Location": "http://10.0.0.1/admin"})

    client = httpx.Client(transport=httpx.MockTransport(handler))
    policy = FetchPolicy(per_host_delay=0, respect_robots=False)
    with Fetcher(policy, client=client) as fetcher, pytest.raises(FetchError, match="10.0.0.1"):
        fetcher.fetch("http://93.184.216.34/news")
    assert [str(r.url) for r in sent] == ["http://93.184.216.34/news"]
