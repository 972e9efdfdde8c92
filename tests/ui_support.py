"""A real store for the page and browser tests: the examples, plus one hostile article.

Both test modules use the same database, built once per test session with the
real extractor: the repository's ``examples/`` folder ingested as a user
would, and an article written to break the pages — script tags, a
``javascript:`` link and URL, HTML inside quotation marks, and a 5,000-letter
word — put through the same extraction so that it has real events and quotes.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LONG_WORD = "Z" * 5000
HOSTILE_TITLE = "<script>alert(1)</script> Police <b>arrest</b> marchers"
HOSTILE_URL = "javascript:alert(1)"
HOSTILE_TEXT = (
    "NAIROBI — Police arrested 40 protesters in Nairobi on Tuesday during a march against fuel "
    "prices <script>alert(1)</script>, officials said.\n\n"
    "\"<b>We will strike</b> the ministry again if prices stay high,\" said Amina Wanjiru, a protest "
    "leader, according to <a href=\"javascript:alert(1)\">local media</a>.\n\n"
    f"\"The marches are {LONG_WORD} and must stop,\" the interior minister said.\n\n"
    f"The interior minister threatened to ban further marches in the capital, calling them {LONG_WORD}.\n"
)


@dataclass(frozen=True)
class Site:
    """The test database and what the tests need to know about it."""

    db: str
    hostile_article: str
    hostile_events: tuple[str, ...]
    example_event: str  # an example event with a mention, in a titled article


_SITE: dict[str, Site] = {}


def shared_site(tmp_path_factory: pytest.TempPathFactory, extractor) -> Site:
    """The database, built on first use and shared by every test of the session."""
    if "site" not in _SITE:
        _SITE["site"] = _build(tmp_path_factory.mktemp("pages") / "pages.db", extractor)
    return _SITE["site"]


def _build(path: Path, extractor) -> Site:
    from eventwire.ingestion import ingest
    from eventwire.model import Article
    from eventwire.store import Store

    report = ingest([str(ROOT / "examples")], path, extractor=extractor)
    assert report.ok and report.stored == 8, report.failures
    doc = extractor.extract(Article("hostile", HOSTILE_TEXT, HOSTILE_TITLE, "2025-07-09", HOSTILE_URL))
    with Store(path) as store:
        article_id, created = store.add_document(doc)
        assert created
        hostile = store.events(article_id=article_id, limit=None, order="ingested")
        assert hostile, "the hostile article gave no events: the extractor changed; rewrite it"
        assert store.count_quotes(article_id, words="strike") == 1
        example = next(e for e in store.events(limit=None, order="ingested")
                       if e.article_title and e.event.mentions and e.article_id != article_id
                       and e.event.source and e.event.location)
    return Site(str(path), article_id, tuple(e.id for e in hostile), example.id)


VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})


class TagCollector(HTMLParser):
    """Every start tag of a page (name and attributes), and the text inside chosen elements."""

    def __init__(self, capture_id: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.captured = ""
        self._capture_id = capture_id
        self._depth = 0
        self._script: dict[str, str | None] | None = None
        self.scripts: list[tuple[dict[str, str | None], str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "script":
            self._script = attributes
            self.scripts.append((attributes, ""))
        if tag in VOID:
            return
        if self._depth:
            self._depth += 1
        elif self._capture_id and attributes.get("id") == self._capture_id:
            self._depth = 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None
        if self._depth and tag not in VOID:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.captured += data
        if self._script is not None:
            attributes, text = self.scripts[-1]
            self.scripts[-1] = (attributes, text + data)


def parse(page: str, capture_id: str | None = None) -> TagCollector:
    """The tags of a page, and the text of the element with id ``capture_id``."""
    collector = TagCollector(capture_id)
    collector.feed(page)
    collector.close()
    return collector


def visible_text(fragment: str) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))
