"""RSS, Atom and RDF feeds → the article links they list, with feedparser.

A feed only says where the articles are: each :class:`FeedEntry` is then
fetched and cleaned like any page. Choices:

* links are resolved against ``xml:base`` or the feed's own URL, and only
  http(s) links are kept; entries without one are skipped, and a link listed
  twice is kept once (first entry wins);
* ``published`` is the entry's publication date (or, lacking one, its update
  date) as written in the feed, cut to ``YYYY-MM-DD`` without time-zone shift;
* a feed that parses with minor errors keeps the entries feedparser
  recovered; a body that is not a feed at all raises :class:`InputError`.
"""
from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from eventwire.errors import InputError

FEED_CONTENT_TYPES: tuple[str, ...] = (
    "application/rss+xml", "application/atom+xml", "application/rdf+xml",
)
"""Media types that only feeds use (feedparser 6.0 does not read JSON Feed)."""
_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:rdf)[\s>/]")
_XML_START: tuple[bytes, ...] = (b"<?xml", b"<rss", b"<feed", b"<rdf", b"<!--")


@dataclass
class FeedEntry:
    """One article a feed lists: its absolute URL, title and publication date."""

    url: str
    title: str | None
    published: str | None


def looks_like_feed(content_type: str | None, body: bytes) -> bool:
    """True when a fetched body is a feed rather than a page.

    A feed content type decides; otherwise (generic XML, a wrong or missing
    type) the first bytes must be XML with an ``<rss>``, ``<feed>`` or
    ``<rdf:RDF>`` root.
    """
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type in FEED_CONTENT_TYPES:
        return True
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(_XML_START) and _FEED_ROOT.search(head) is not None


def parse_feed(body: bytes, url: str) -> list[FeedEntry]:
    """The entries of a feed, in feed order; InputError when *body* is not a feed."""
    import feedparser  # imported here: only feed polling needs it

    if isinstance(body, str):  # feedparser would take a str for a URL or path to open
        body = body.encode("utf-8")
    parsed = feedparser.parse(body, response_headers={"content-location": url})
    if not parsed.get("version"):
        reason = parsed.get("bozo_exception") or "no RSS, Atom or RDF root element"
        raise InputError(f"not a feed: {reason}", source=url,
                         hint="give the URL of an RSS or Atom feed, "
                              "or fetch the page as an article")
    return _unique(e for e in (_entry(raw, url) for raw in parsed.entries) if e is not None)


def _entry(raw: Any, feed_url: str) -> FeedEntry | None:
    link = raw.get("link")
    if not isinstance(link, str) or not link.strip():
        return None
    absolute = urljoin(feed_url, link.strip())
    if urlsplit(absolute).scheme not in ("http", "https"):
        return None
    title = " ".join((raw.get("title") or "").split()) or None
    return FeedEntry(url=absolute, title=title, published=_entry_date(raw))


def _entry_date(raw: Any) -> str | None:
    """The entry's date as written; feedparser's UTC-normalised date as a fallback."""
    for key in ("published", "updated"):
        written = _date_as_written(raw.get(key))
        if written:
            return written
    for key in ("published_parsed", "updated_parsed"):
        parsed = raw.get(key)
        if isinstance(parsed, time.struct_time):
            return time.strftime("%Y-%m-%d", parsed)
    return None


def _date_as_written(value: Any) -> str | None:
    """ISO 8601 (Atom) or RFC 822 (RSS) date-time → its calendar date, else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _unique(entries: Iterable[FeedEntry]) -> list[FeedEntry]:
    seen: set[str] = set()
    kept = []
    for entry in entries:
        if entry.url not in seen:
            seen.add(entry.url)
            kept.append(entry)
    return kept
