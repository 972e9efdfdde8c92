"""A polite and safe HTTP fetcher: one page at a time, on an httpx client.

Every request, redirect hops and robots.txt included, goes through the same
checks, in this order:

1. the scheme is http or https;
2. unless ``allow_private``, the host is resolved and refused when any of its
   addresses is loopback, private, link-local, multicast, reserved or
   unspecified: nothing is sent to such an address, so a page cannot steer the
   fetcher into a local network by redirecting there;
3. unless ``respect_robots`` is off, the origin's robots.txt (fetched once per
   scheme and host, at most 512 KB) must allow the URL for our user agent;
4. a request to a host waits until ``per_host_delay`` seconds have passed
   since the last request to that host ended.

Redirects are followed by hand (at most ``max_redirects``; loops are caught).
Bodies are streamed and abandoned as soon as they pass ``max_bytes``.

Choices worth knowing:

* robots.txt that is missing (any 4xx) allows everything, as RFC 9309 says.
  One that cannot be fetched (5xx, timeout, refused) also allows: the fetcher
  fetches pages that a person asked for, not a crawl, and the page request that
  follows meets the same server error anyway.
* The address check resolves the name itself, and httpx resolves it again to
  connect: a DNS server that answers differently the second time
  ("DNS rebinding") is not caught.
* ``timeout`` bounds each connect and read by httpx and also the whole body
  download, so that a server dripping bytes cannot hold the fetcher forever.
* A Fetcher keeps per-host state and is not thread-safe: use one per thread.
"""
from __future__ import annotations

import hashlib
import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from eventwire.errors import FetchError
from eventwire.model import RawPage

ROBOTS_MAX_BYTES = 512_000
ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
          "application/xml;q=0.9,*/*;q=0.8")
PRIVATE_HINT = "pass --allow-private to fetch from local or private networks"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def default_user_agent() -> str:
    """``eventwire/VERSION (+project URL)``, so that site owners can see who we are."""
    return f"eventwire/{_version()} (+https://github.com/eventwire/eventwire)"


def _version() -> str:
    try:
        from eventwire import __version__
        return str(__version__)
    except ImportError:
        pass
    try:
        from importlib.metadata import PackageNotFoundError, version
        return version("eventwire")
    except PackageNotFoundError:
        return "dev"


@dataclass
class FetchPolicy:
    """How politely and how safely to fetch. The defaults suit fetching news pages."""

    user_agent: str = field(default_factory=default_user_agent)
    timeout: float = 20.0
    max_bytes: int = 10_000_000
    per_host_delay: float = 1.0
    max_redirects: int = 5
    allow_private: bool = False
    respect_robots: bool = True


@dataclass
class FetchedPage(RawPage):
    """A RawPage with the validators to send for a conditional GET next time.

    ``status`` 304 means "not modified since": the body is then empty.
    """

    etag: str | None = None
    last_modified: str | None = None


@dataclass
class _Reply:
    """What one request gave: a redirect location, or a status and (for 2xx) a body."""

    url: str
    status: int
    headers: httpx.Headers
    body: bytes = b""
    location: str | None = None


class Fetcher:
    """Fetch pages under a :class:`FetchPolicy`; use as a context manager or call close().

    *client* may be given (for a proxy or a custom transport); it is then not
    closed by :meth:`close`. *clock* and *sleep* exist so that tests can check
    the per-host delay without waiting.
    """

    def __init__(self, policy: FetchPolicy | None = None, *, client: httpx.Client | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.policy = policy or FetchPolicy()
        self._owns_client = client is None
        self._client = client or httpx.Client(timeout=self.policy.timeout)
        self._clock = clock
        self._sleep = sleep
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, RobotFileParser | None] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP client if this Fetcher made it."""
        if self._owns_client:
            self._client.close()

    def fetch(self, url: str, *, etag: str | None = None,
              last_modified: str | None = None) -> FetchedPage:
        """Fetch *url*; raise :class:`FetchError` when that fails or is refused.

        With *etag* or *last_modified* (from an earlier FetchedPage) the request
        is conditional, and an unchanged page comes back with status 304.
        """
        conditional = _conditional_headers(etag, last_modified)
        reply = self._follow(url, conditional, check_robots=self.policy.respect_robots,
                             max_bytes=self.policy.max_bytes)
        if not (200 <= reply.status < 300 or (reply.status == 304 and conditional)):
            raise _status_error(reply.status, url, reply.url)
        return FetchedPage(
            url=url, fetched_at=_utc_now(), body=reply.body,
            sha256=hashlib.sha256(reply.body).hexdigest(), status=reply.status,
            content_type=reply.headers.get("content-type"), final_url=reply.url,
            etag=reply.headers.get("etag"), last_modified=reply.headers.get("last-modified"))

    # --- redirects and per-hop checks --------------------------------------

    def _follow(self, url: str, headers: dict[str, str], *, check_robots: bool,
                max_bytes: int) -> _Reply:
        """Request *url*, following redirects by hand with every check at every hop."""
        seen: set[str] = set()
        current = url
        for _ in range(self.policy.max_redirects + 1):
            self._check_target(current)
            if check_robots:
                self._check_robots(current)
            seen.add(current)
            reply = self._request(current, headers, max_bytes)
            if reply.location is None:
                return reply
            current = urljoin(current, reply.location)
            if current in seen:
                raise FetchError("redirect loop", source=url,
                                 hint=f"the site redirects back to {current}; check the URL")
        raise FetchError(f"too many redirects (more than {self.policy.max_redirects})",
                         source=url, hint="check the URL; the site may be misconfigured")

    def _check_target(self, url: str) -> None:
        """Refuse a URL whose scheme or host address the policy does not allow."""
        scheme, host, port = _split(url)
        if scheme not in ("http", "https"):
            raise FetchError(f"unsupported URL scheme {scheme!r}", source=url,
                             hint="give an http:// or https:// URL")
        if self.policy.allow_private:
            return
        for address in _resolve(host, port, url):
            if not _is_public(address):
                raise FetchError(f"refused: {host} resolves to a private/loopback address "
                                 f"({address})", source=url, hint=PRIVATE_HINT)

    # --- robots.txt --------------------------------------------------------

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        rules = self._robots[origin]
        if rules is not None and not rules.can_fetch(self.policy.user_agent, url):
            raise FetchError("disallowed by robots.txt", source=url,
                             hint=f"the site's {origin}/robots.txt asks robots not to fetch "
                                  "this page; respect it, or use the page saved as a file")

    def _load_robots(self, origin: str) -> RobotFileParser | None:
        """The origin's robots rules; None (everything allowed) when there are none to read."""
        try:
            reply = self._follow(f"{origin}/robots.txt", {}, check_robots=False,
                                 max_bytes=ROBOTS_MAX_BYTES)
        except FetchError:
            return None
        if not 200 <= reply.status < 300:
            return None
        rules = RobotFileParser(f"{origin}/robots.txt")
        rules.parse(reply.body.decode("utf-8", errors="replace").splitlines())
        return rules

    # --- one request -------------------------------------------------------

    def _request(self, url: str, headers: dict[str, str], max_bytes: int) -> _Reply:
        """One GET, after waiting for the host's turn; the body is read only for 2xx."""
        host = urlsplit(url).hostname or ""
        self._wait_turn(host)
        try:
            return self._send(url, headers, max_bytes)
        except httpx.TimeoutException as err:
            raise FetchError(f"timed out after {self.policy.timeout:g} s", source=url,
                             hint="the server is slow or down; try later or raise the timeout"
                             ) from err
        except httpx.ConnectError as err:
            raise FetchError(f"cannot connect: {err or type(err).__name__}", source=url,
                             hint="check the URL and the network connection") from err
        except (httpx.RequestError, httpx.InvalidURL) as err:
            raise FetchError(f"request failed: {err or type(err).__name__}", source=url,
                             hint="check the URL; the server may have sent a broken reply"
                             ) from err
        finally:
            self._last_request[host] = self._clock()

    def _send(self, url: str, headers: dict[str, str], max_bytes: int) -> _Reply:
        request_headers = {"User-Agent": self.policy.user_agent, "Accept": ACCEPT, **headers}
        with self._client.stream("GET", url, headers=request_headers,
                                 follow_redirects=False) as response:
            if response.has_redirect_location:
                return _Reply(url, response.status_code, response.headers,
                              location=response.headers["location"])
            if not 200 <= response.status_code < 300:
                return _Reply(url, response.status_code, response.headers)
            body = self._read_capped(response, url, max_bytes)
            return _Reply(url, response.status_code, response.headers, body)

    def _read_capped(self, response: httpx.Response, url: str, max_bytes: int) -> bytes:
        """The body, given up on as soon as it passes *max_bytes* or the timeout."""
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise _too_large(url, max_bytes)
        deadline = self._clock() + self.policy.timeout
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise _too_large(url, max_bytes)
            if self._clock() > deadline:
                raise FetchError(f"download took longer than {self.policy.timeout:g} s",
                                 source=url, hint="the server is too slow; try later")
            chunks.append(chunk)
        return b"".join(chunks)

    def _wait_turn(self, host: str) -> None:
        last = self._last_request.get(host)
        if last is None:
            return
        wait = last + self.policy.per_host_delay - self._clock()
        if wait > 0:
            self._sleep(wait)


# --- helpers -------------------------------------------------------------------


def _split(url: str) -> tuple[str, str, int]:
    """Scheme, host and port of *url*; FetchError when it is not a usable URL."""
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as err:
        raise FetchError(f"invalid URL: {err}", source=url, hint="check the URL") from err
    if scheme in ("http", "https") and not parts.hostname:
        raise FetchError("invalid URL: no host name", source=url, hint="check the URL")
    return scheme, parts.hostname or "", port


def _resolve(host: str, port: int, url: str) -> set[IPAddress]:
    """Every address *host* stands for (a literal address stands for itself)."""
    try:
        return {ipaddress.ip_address(host)}
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise FetchError(f"cannot resolve host {host}", source=url,
                         hint="check the host name in the URL and the network connection") from err
    return {ipaddress.ip_address(info[4][0]) for info in infos}


def _is_public(address: IPAddress) -> bool:
    """True for an address on the public internet; IPv4-mapped IPv6 counts as its IPv4."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    special = (address.is_loopback or address.is_private or address.is_link_local
               or address.is_multicast or address.is_reserved or address.is_unspecified)
    return address.is_global and not special


def _conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _status_error(status: int, url: str, final_url: str) -> FetchError:
    message = f"HTTP {status} {httpx.codes.get_reason_phrase(status)}".rstrip()
    if final_url != url:
        message += f" (at {final_url})"
    if status == 429:
        hint = "the site limits requests; wait and try later, or raise the per-host delay"
    elif status in (401, 403):
        hint = "the site refuses this request; the page may need a login"
    elif 400 <= status < 500:
        hint = "check the URL"
    elif status >= 500:
        hint = "the server failed; try later"
    else:
        hint = "the server gave no page; check the URL"
    return FetchError(message, source=url, hint=hint)


def _too_large(url: str, max_bytes: int) -> FetchError:
    return FetchError(f"larger than {max_bytes} bytes", source=url,
                      hint="not a news page, or raise the size limit (max_bytes)")


def _utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
