"""Feeds → article links: RSS, Atom and RDF, relative links, dates, and what is not a feed."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from httpserver import LocalServer, Reply

from eventwire.errors import InputError
from eventwire.sources.feeds import FeedEntry, looks_like_feed, parse_feed
from eventwire.sources.fetch import Fetcher, FetchPolicy

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
RSS = (FIXTURES / "feed.rss").read_bytes()
ATOM = (FIXTURES / "feed.atom").read_bytes()
PAGE = (FIXTURES / "article.html").read_bytes()
RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://quay.example/">
    <title>Quay</title><link>https://quay.example/</link>
  </channel>
  <item rdf:about="https://quay.example/n/1"><title>Tugboat crews vote</title>
    <link>https://quay.example/n/1</link><dc:date>2024-05-10T12:00:00Z</dc:date></item>
</rdf:RDF>"""


@pytest.fixture
def server() -> Iterator[LocalServer]:
    routes = {
        "/feeds/latest.rss": Reply(body=RSS, content_type="application/rss+xml; charset=utf-8"),
        "/feeds/blog.atom": Reply(body=ATOM, content_type="text/xml"),
        "/feeds/fake.xml": Reply(body=b"<html><body>Not a feed at all</body></html>",
                                 content_type="application/rss+xml"),
        "/news/page": Reply(body=PAGE),
    }
    with LocalServer(routes) as running:
        yield running


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(FetchPolicy(allow_private=True, per_host_delay=0)) as f:
        yield f


def test_rss_entries_with_links_resolved_against_the_feed_url() -> None:
    entries = parse_feed(RSS, "https://harbourtimes.example/feeds/latest.rss")
    assert entries == [
        FeedEntry("https://harbourtimes.example/news/dock-strike",
                  "Dock workers strike at northern port over pay", "2024-05-14"),
        FeedEntry("https://harbourtimes.example/news/ferry",
                  "Ferry timetable changes for the summer", "2024-05-13"),
    ]


def test_atom_uses_xml_base_and_dates_as_written() -> None:
    entries = parse_feed(ATOM, "https://coastwatch.example/feed.atom")
    assert [e.url for e in entries] == ["https://coastwatch.example/blog/posts/grain-ships",
                                        "https://coastwatch.example/blog/posts/pilots-ballot"]
    # published 23:00 at UTC-5 is the 14th where it was written, the 15th in UTC
    assert [e.published for e in entries] == ["2024-05-14", "2024-05-12"]
    assert entries[0].title == "Grain ships diverted south"


def test_rdf_feed() -> None:
    (entry,) = parse_feed(RDF, "https://quay.example/index.rdf")
    assert entry == FeedEntry("https://quay.example/n/1", "Tugboat crews vote", "2024-05-10")


def test_only_web_links_are_kept() -> None:
    body = RSS.replace(b"https://harbourtimes.example/news/ferry",
                       b"mailto:desk@harbourtimes.example")
    urls = [e.url for e in parse_feed(body, "https://harbourtimes.example/rss")]
    assert urls == ["https://harbourtimes.example/news/dock-strike"]


def test_empty_feed_is_an_empty_list() -> None:
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    assert parse_feed(body, "https://quiet.example/rss") == []


@pytest.mark.parametrize("body", [PAGE, b"just some words", b"", b'{"items": []}'])
def test_what_is_not_a_feed_is_an_input_error(body: bytes) -> None:
    with pytest.raises(InputError, match="not a feed") as caught:
        parse_feed(body, "https://harbourtimes.example/feed")
    assert caught.value.source == "https://harbourtimes.example/feed"
    assert "RSS or Atom" in caught.value.hint


@pytest.mark.parametrize(("content_type", "body", "expected"), [
    ("application/rss+xml", b"", True),
    ("application/atom+xml; charset=utf-8", b"", True),
    ("text/xml", RSS, True),
    (None, ATOM, True),
    ("text/html", b"\xef\xbb\xbf\n  " + RDF, True),
    ("text/html", PAGE, False),
    ("application/xml", b'<?xml version="1.0"?><sitemap><url/></sitemap>', False),
    (None, b"<html><body><p>About our feed: <feed> tags</p></body></html>", False),
    (None, b"", False),
])
def test_looks_like_feed(content_type: str | None, body: bytes, expected: bool) -> None:
    assert looks_like_feed(content_type, body) is expected


def test_fetched_feeds_are_recognised_and_read(server: LocalServer, fetcher: Fetcher) -> None:
    rss = fetcher.fetch(server.url("/feeds/latest.rss"))
    atom = fetcher.fetch(server.url("/feeds/blog.atom"))
    page = fetcher.fetch(server.url("/news/page"))
    assert looks_like_feed(rss.content_type, rss.body)
    assert looks_like_feed(atom.content_type, atom.body)
    assert not looks_like_feed(page.content_type, page.body)
    entries = parse_feed(rss.body, rss.final_url)
    assert entries[0].url == server.url("/news/dock-strike")


def test_feed_type_on_a_non_feed_body_is_caught_by_parsing(server: LocalServer,
                                                           fetcher: Fetcher) -> None:
    fake = fetcher.fetch(server.url("/feeds/fake.xml"))
    assert looks_like_feed(fake.content_type, fake.body)  # the header claims a feed
    with pytest.raises(InputError, match="not a feed"):
        parse_feed(fake.body, fake.final_url)
