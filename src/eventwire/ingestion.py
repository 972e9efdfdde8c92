"""Ingest: sources (files, folders, URLs, feeds) → archived bytes → articles → events → store.

Each article is written in one transaction with its events and quotes, after
its raw bytes are archived, so an ingest stopped at any point (Ctrl-C, kill)
resumes on the next run: what was stored is skipped (by URL, and by text
hash in the store), what was not is done again, and nothing is doubled. A
failing source is recorded with its reason and the rest go on. This module
never prints: progress and failures go to the callbacks the caller gives.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlparse

from .errors import EventwireError, FetchError, InputError
from .nlp.pipeline import Extractor, ExtractSettings
from .model import Article, Document, RawPage
from .store import Store


@dataclass
class IngestReport:
    """What an ingest did: counts, and every failure with its reason."""

    stored: int = 0
    duplicates: int = 0
    skipped: int = 0
    events: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


@dataclass
class IngestOptions:
    """How to fetch and extract; the defaults are polite and safe."""

    allow_private: bool = False
    delay: float = 1.0
    timeout: float = 20.0
    max_bytes: int = 10_000_000
    respect_robots: bool = True
    refresh: bool = False
    jobs: int = 1
    settings: ExtractSettings = field(default_factory=ExtractSettings)


OnEvent = Callable[[str, str], None]   # (kind, message): kind is "stored", "skipped", "failed"


def ingest(sources: list[str], db: str | Path = "eventwire.db", *,
           on_event: OnEvent | None = None, extractor: Extractor | None = None,
           **options: object) -> IngestReport:
    """Ingest every source into the store at ``db`` and report what happened."""
    opts = IngestOptions(**options)  # type: ignore[arg-type]
    report = IngestReport()
    notify = on_event or (lambda kind, msg: None)
    extractor = extractor or Extractor(opts.settings)
    with Store(db) as store:
        pending: dict[str, tuple[int | None, str]] = {}
        articles = _articles(sources, store, opts, report, notify, pending)
        for result in extractor.pipe(articles, jobs=opts.jobs):
            if isinstance(result, EventwireError):
                _fail(store, report, notify, result.source or "?", str(result))
                continue
            _store(store, result, pending.pop(result.doc_id, (None, result.doc_id)), report, notify)
    return report


def _store(store: Store, doc: Document, origin: tuple[int | None, str], report: IngestReport,
           notify: OnEvent) -> None:
    raw_id, label = origin
    try:
        article_id, created = store.add_document(doc, raw_id=raw_id, source=label)
    except EventwireError as e:
        _fail(store, report, notify, label, str(e))
        return
    if created:
        report.stored += 1
        report.events += len(doc.events)
        notify("stored", f"{label}: {len(doc.events)} events, {len(doc.quotes)} quotes "
                         f"(article {article_id})")
    else:
        report.duplicates += 1
        notify("skipped", f"{label}: already stored (article {article_id})")


def _fail(store: Store, report: IngestReport, notify: OnEvent, source: str, reason: str) -> None:
    report.failures.append((source, reason))
    try:
        store.log_failure(source, reason)
    except EventwireError:
        pass  # the failure is still reported to the caller
    notify("failed", reason if reason.startswith(source) else f"{source}: {reason}")


def _articles(sources: list[str], store: Store, opts: IngestOptions, report: IngestReport,
              notify: OnEvent, pending: dict[str, tuple[int | None, str]]) -> Iterator[Article | EventwireError]:
    """Every article the sources hold, archived first; errors come through in their place."""
    from .sources import Fetcher, FetchPolicy

    policy = FetchPolicy(timeout=opts.timeout, max_bytes=opts.max_bytes, per_host_delay=opts.delay,
                         allow_private=opts.allow_private, respect_robots=opts.respect_robots)
    with Fetcher(policy) as fetcher:
        for source in sources:
            if _is_url(source):
                yield from _from_url(source, fetcher, store, opts, report, notify, pending)
            else:
                yield from _from_path(source, store, opts, report, notify, pending)


def _is_url(source: str) -> bool:
    return urlparse(source).scheme in ("http", "https")


def _from_path(source: str, store: Store, opts: IngestOptions, report: IngestReport,
               notify: OnEvent, pending: dict) -> Iterator[Article | EventwireError]:
    from .sources import iter_inputs, iter_paths

    path = Path(source)
    if not path.exists():
        yield InputError("no such file or folder", source=source,
                         hint="check the path, or give a URL starting with http:// or https://")
        return
    for file in iter_paths(path):
        uri = file.resolve().as_uri()
        if file.suffix.lower() in (".html", ".htm", ".txt") and not opts.refresh and store.has_source(uri):
            report.skipped += 1
            notify("skipped", f"{file}: already stored")
            continue
        raw_id = _archive_file(store, file, uri)
        for item in iter_inputs(file):
            if isinstance(item, Article):
                if item.url is None and file.suffix.lower() in (".html", ".htm", ".txt"):
                    item.url = uri
                pending[item.doc_id] = (raw_id, f"{file}#{item.doc_id}" if file.suffix.lower() in (".jsonl", ".json") else str(file))
            yield item


def _archive_file(store: Store, file: Path, uri: str) -> int | None:
    try:
        body = file.read_bytes()
    except OSError:
        return None  # iter_inputs reports the unreadable file with its reason
    return store.archive(RawPage(uri, _now(), body, hashlib.sha256(body).hexdigest(),
                                 content_type=None, final_url=uri))


def _from_url(url: str, fetcher, store: Store, opts: IngestOptions, report: IngestReport,
              notify: OnEvent, pending: dict, published: str | None = None,
              follow_feeds: bool = True) -> Iterator[Article | EventwireError]:
    """A page or a feed: archived first; a feed's entries are fetched in turn (not their feeds)."""
    from .sources import looks_like_feed, parse_feed

    if not opts.refresh and store.has_source(url):
        report.skipped += 1
        notify("skipped", f"{url}: already stored")
        return
    try:
        page = fetcher.fetch(url)
    except FetchError as e:
        yield _with_source(e, url)
        return
    raw_id = store.archive(page)
    if follow_feeds and looks_like_feed(page.content_type, page.body):
        try:
            entries = parse_feed(page.body, page.final_url or url)
        except InputError as e:
            yield _with_source(e, url)
            return
        notify("feed", f"{url}: {len(entries)} entries")
        for entry in entries:
            yield from _from_url(entry.url, fetcher, store, opts, report, notify, pending,
                                 published=entry.published, follow_feeds=False)
        return
    yield from _page_article(page, raw_id, url, pending, published)


def _with_source(error: EventwireError, source: str) -> EventwireError:
    """The error, naming the source it concerns when it does not already."""
    return error if error.source else type(error)(error.message, source=source, hint=error.hint)


def _page_article(page: RawPage, raw_id: int, url: str, pending: dict,
                  published: str | None) -> Iterator[Article | EventwireError]:
    from .sources import content_type_charset, html_to_article

    try:
        article = html_to_article(page.body, url=page.final_url or url, published=published,
                                  encoding=content_type_charset(page.content_type))
    except InputError as e:
        yield _with_source(e, url)
        return
    pending[article.doc_id] = (raw_id, url)
    yield article


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
