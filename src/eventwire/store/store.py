"""The Store: archived sources, articles, their events and quotes, and failures.

Duplicate policy. An article is identified by the SHA-256 of its normalised
text; its id is the first 16 hex digits, so the same text gets the same id in
every run and every database. ``add_document`` stores an article once: when
the same text, or another text from the same URL, is already stored, the
first version is kept and nothing is written (``created`` is False). Updated
pages are therefore not re-coded; delete the database row, or use a fresh
database, to re-code them.

Every write is one transaction: an article is stored with all its events and
quotes or not at all.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from eventwire.errors import InputError, StoreError
from eventwire.model import Document, RawPage
from eventwire.store import engine as db
from eventwire.store import records
from eventwire.store.filters import EventFilter, conditions, order_by
from eventwire.store.records import (ActorCount, ArticleSummary, EventList, IngestFailure,
                                     StoredArticle, StoredEvent, StoredQuote)
from eventwire.store.schema import (articles, events, has_fts, ingest_failures, migrate,
                                    quotes, sources)


class Store:
    """An eventwire database: a SQLite file by default, or any SQLAlchemy URL.

    Opening it creates or upgrades the schema. Use it as a context manager,
    or call ``close()``.
    """

    def __init__(self, url: str | Path = "eventwire.db") -> None:
        self._url = db.to_url(url)
        self._engine = db.create_engine(self._url)
        self._writer = self._engine.execution_options(**{db.WRITE_OPTION: True})
        try:
            with self._writer.begin() as conn:
                migrate(conn)
                self._fts = has_fts(conn)
        except sa.exc.DBAPIError as exc:
            self._engine.dispose()
            raise db.open_error(self._url, exc) from exc
        except StoreError:
            self._engine.dispose()
            raise

    @classmethod
    def open(cls, url: str | Path = "eventwire.db") -> Store:
        """Open (creating or upgrading) the database at ``url``."""
        return cls(url)

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({db.describe(self._url)!r})"

    # --- writing -----------------------------------------------------------

    def archive(self, page: RawPage) -> int:
        """Keep the raw bytes of a fetched page; return its source id.

        The same bytes from the same URL are kept once: archiving them again
        returns the id they already have.
        """
        digest = page.sha256 or hashlib.sha256(page.body).hexdigest()
        same = sa.and_(sources.c.url == page.url, sources.c.sha256 == digest)
        with self._write(page.url) as conn:
            found = conn.execute(sa.select(sources.c.id).where(same)).scalar()
            if found is not None:
                return int(found)
            row = {"url": page.url, "final_url": page.final_url, "fetched_at": page.fetched_at,
                   "sha256": digest, "status": page.status,
                   "content_type": page.content_type, "body": page.body}
            return int(conn.execute(sources.insert().values(row)).inserted_primary_key[0])

    def add_document(self, doc: Document, *, raw_id: int | None = None,
                     source: str | None = None) -> tuple[str, bool]:
        """Store an article with its events and quotes, all or nothing.

        Returns ``(article_id, created)``; ``created`` is False when the
        article (same text, or same URL) was already stored — see the module
        docstring for why the first version wins.
        """
        digest = records.content_hash(doc.article.text)
        article_id = digest[:16]
        with self._write(source or doc.doc_id) as conn:
            existing = self._find_article(conn, digest, doc.article.url)
            if existing is not None:
                return existing, False
            self._insert_document(conn, doc, article_id=article_id, digest=digest,
                                  raw_id=raw_id, source=source)
        return article_id, True

    def log_failure(self, source: str, reason: str) -> None:
        """Record that ``source`` could not be ingested, and why."""
        with self._write(source) as conn:
            conn.execute(ingest_failures.insert().values(source=source, reason=reason,
                                                         at=_now()))

    # --- reading -----------------------------------------------------------

    def has_source(self, url: str) -> bool:
        """Whether an article from this URL (as asked for, or as redirected to) is stored."""
        via_raw = sa.select(sources.c.id).where(
            sa.or_(sources.c.url == url, sources.c.final_url == url))
        query = sa.select(articles.c.id).where(
            sa.or_(articles.c.url == url, articles.c.raw_id.in_(via_raw))).limit(1)
        with self._read() as conn:
            return conn.execute(query).first() is not None

    def events(self, flt: EventFilter | None = None, *, limit: int | None = 100,
               offset: int = 0, order: str = "date", count: bool = False,
               **filters: Any) -> EventList:
        """One page of the events that match ``flt`` (or the same fields as keywords).

        ``store.events(type="ASSAULT", where="VEN", limit=50)`` is the same as
        ``store.events(EventFilter(type="ASSAULT", where="VEN"), limit=50)``.
        ``order``: ``date`` (newest first), ``date_asc`` (oldest first) or
        ``ingested`` (the order they were stored); undated events come last.
        ``limit=None`` returns every match. ``count=True`` also fills
        ``.total`` with the number of matches over all pages.
        """
        flt = _filter(flt, filters)
        # The page's row keys first, from the indexes alone; then only those rows, joined to
        # their articles. A deep page (offset 90,000) then skips keys, not whole rows.
        keys = (sa.select(events.c.pk).where(*conditions(flt, fts=self._fts))
                .order_by(*order_by(order)).limit(limit).offset(offset))
        query = self._event_query(None).where(events.c.pk.in_(keys)).order_by(*order_by(order))
        with self._read() as conn:
            page = EventList(records.stored_event(row) for row in conn.execute(query))
        if count:
            page.total = self.count_events(flt)
        return page

    def count_events(self, flt: EventFilter | None = None, **filters: Any) -> int:
        """How many events match the filter."""
        flt = _filter(flt, filters)
        query = (sa.select(sa.func.count()).select_from(events)
                 .where(*conditions(flt, fts=self._fts)))
        with self._read() as conn:
            return int(conn.execute(query).scalar() or 0)

    def event_counts(self, by: str, flt: EventFilter | None = None,
                     **filters: Any) -> list[tuple[str | None, int]]:
        """How many matching events fall in each group, for timelines and summaries.

        ``by``: ``day``, ``month``, ``type``, ``status``, ``mode``, ``country``
        (where it happened), ``source_country`` or ``target_country``. Days
        and months come in date order, other groups largest first.
        """
        flt = _filter(flt, filters)
        key = _GROUPS.get(by)
        if key is None:
            raise InputError(f"cannot count events by {by!r}", hint=f"use one of: {', '.join(_GROUPS)}")
        column = key().label("key")
        query = (sa.select(column, sa.func.count().label("n")).select_from(events)
                 .where(*conditions(flt, fts=self._fts)).group_by(column))
        if by in ("day", "month"):
            query = query.where(events.c.date_start.is_not(None)).order_by(column)
        else:
            query = query.order_by(sa.desc("n"), column)
        with self._read() as conn:
            return [(k, int(n)) for k, n in conn.execute(query)]

    def span_counts(self, flt: EventFilter | None = None,
                    **filters: Any) -> list[tuple[str | None, str | None, str, int]]:
        """Matching events grouped by their effective first and last day and their type.

        What a timeline needs, read with one grouped query instead of every event:
        ``(date_start, date_end, type, count)``, undated events with None days.
        """
        flt = _filter(flt, filters)
        query = (sa.select(events.c.date_start, events.c.date_end, events.c.type,
                           sa.func.count()).select_from(events)
                 .where(*conditions(flt, fts=self._fts))
                 .group_by(events.c.date_start, events.c.date_end, events.c.type))
        with self._read() as conn:
            return [(start, end, kind, int(n)) for start, end, kind, n in conn.execute(query)]

    def iter_events(self, flt: EventFilter | None = None,
                    batch: int = 500) -> Iterator[StoredEvent]:
        """Every matching event in ingest order, read ``batch`` rows at a time.

        Pages by event row number rather than OFFSET, so long exports stay
        fast and see each event once even while an ingest adds more.
        """
        last = 0
        while True:
            query = (self._event_query(flt).where(events.c.pk > last)
                     .order_by(events.c.pk).limit(batch))
            with self._read() as conn:
                rows = conn.execute(query).all()
            yield from (records.stored_event(row) for row in rows)
            if len(rows) < batch:
                return
            last = rows[-1].pk

    def get_event(self, event_id: str) -> StoredEvent | None:
        """One event by its store id, with its article's text; None when unknown."""
        query = self._event_query(None, articles.c.text).where(events.c.id == event_id)
        with self._read() as conn:
            row = conn.execute(query).first()
        return records.stored_event(row) if row else None

    def get_article(self, article_id: str) -> StoredArticle | None:
        """One article by id; None when unknown."""
        with self._read() as conn:
            row = conn.execute(sa.select(articles).where(articles.c.id == article_id)).first()
        return records.stored_article(row) if row else None

    def article_titles(self, article_ids: Iterable[str]) -> dict[str, str | None]:
        """The title of each known article among ``article_ids``, in one query (no texts read)."""
        wanted = sorted(set(article_ids))
        if not wanted:
            return {}
        query = sa.select(articles.c.id, articles.c.title).where(articles.c.id.in_(wanted))
        with self._read() as conn:
            return {row.id: row.title for row in conn.execute(query)}

    def get_source(self, raw_id: int) -> RawPage | None:
        """The archived page with this source id, bytes included; None when unknown."""
        with self._read() as conn:
            row = conn.execute(sa.select(sources).where(sources.c.id == raw_id)).first()
        if row is None:
            return None
        return RawPage(url=row.url, fetched_at=row.fetched_at, body=row.body, sha256=row.sha256,
                       status=row.status, content_type=row.content_type,
                       final_url=row.final_url)

    def quotes(self, article_id: str | None = None, *, speaker: str | None = None,
               words: str | None = None, limit: int | None = None,
               offset: int = 0) -> list[StoredQuote]:
        """Quotes in the order stored: of one article, or all; by speaker, by words.

        ``speaker`` is a case-insensitive part of the speaker's name; every
        word of ``words`` must occur in the quote (case-insensitive).
        """
        query = (sa.select(quotes).where(*self._quote_conditions(article_id, speaker, words))
                 .order_by(quotes.c.pk).limit(limit).offset(offset))
        with self._read() as conn:
            return [records.stored_quote(row) for row in conn.execute(query)]

    def count_quotes(self, article_id: str | None = None, *, speaker: str | None = None,
                     words: str | None = None) -> int:
        """How many quotes ``quotes()`` would return with no limit."""
        query = (sa.select(sa.func.count()).select_from(quotes)
                 .where(*self._quote_conditions(article_id, speaker, words)))
        with self._read() as conn:
            return int(conn.execute(query).scalar() or 0)

    def articles(self, *, search: str | None = None, limit: int | None = 50,
                 offset: int = 0) -> list[ArticleSummary]:
        """Stored articles, newest ingest first, with their event and quote counts.

        ``search`` is a case-insensitive part of the title or URL.
        """
        n_events = (sa.select(sa.func.count()).where(events.c.article_id == articles.c.id)
                    .scalar_subquery())
        n_quotes = (sa.select(sa.func.count()).where(quotes.c.article_id == articles.c.id)
                    .scalar_subquery())
        query = (sa.select(articles.c.id, articles.c.title, articles.c.url, articles.c.published,
                           articles.c.ingested_at, n_events.label("n_events"),
                           n_quotes.label("n_quotes"))
                 .where(*_article_conditions(search))
                 .order_by(articles.c.ingested_at.desc(), articles.c.id).limit(limit).offset(offset))
        with self._read() as conn:
            return [ArticleSummary(r.id, r.title, r.url, r.published, r.ingested_at,
                                   int(r.n_events), int(r.n_quotes)) for r in conn.execute(query)]

    def count_articles(self, *, search: str | None = None) -> int:
        """How many articles ``articles()`` would return with no limit."""
        query = sa.select(sa.func.count()).select_from(articles).where(*_article_conditions(search))
        with self._read() as conn:
            return int(conn.execute(query).scalar() or 0)

    def counts(self) -> dict[str, int]:
        """How many sources (raw pages), articles, events and quotes are stored."""
        tables = {"sources": sources, "articles": articles, "events": events, "quotes": quotes}
        with self._read() as conn:
            return {name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar()
                              or 0)
                    for name, t in tables.items()}

    def actors(self, search: str | None = None, limit: int | None = 100,
               offset: int = 0) -> list[ActorCount]:
        """Actors named in stored events, with how often each acts and is acted on."""
        # Each role is grouped on its own (from the name-and-country indexes) before the
        # union, so the final grouping sees one row per actor and role, not one per event.
        roles = []
        for name, country, acts in ((events.c.source_name, events.c.source_country, 1),
                                    (events.c.target_name, events.c.target_country, 0)):
            n = sa.func.count()
            roles.append(sa.select(name.label("name"), country.label("country"),
                                   (n if acts else sa.literal(0)).label("acts"),
                                   (sa.literal(0) if acts else n).label("targeted"))
                         .where(name.is_not(None)).group_by(name, country))
        both = sa.union_all(*roles).subquery()
        acts, targeted = sa.func.sum(both.c.acts), sa.func.sum(both.c.targeted)
        query = (sa.select(both.c.name, both.c.country, acts, targeted)
                 .group_by(both.c.name, both.c.country)
                 .order_by((acts + targeted).desc(), both.c.name).limit(limit).offset(offset))
        if search:
            query = query.where(both.c.name.icontains(search, autoescape=True))
        with self._read() as conn:
            return [ActorCount(name, country, int(a), int(t)) for name, country, a, t in conn.execute(query)]

    def count_actors(self, search: str | None = None) -> int:
        """How many distinct (name, country) actors ``actors()`` would list with no limit."""
        names = sa.union(
            sa.select(events.c.source_name.label("name"), events.c.source_country.label("country"))
            .where(events.c.source_name.is_not(None)),
            sa.select(events.c.target_name, events.c.target_country)
            .where(events.c.target_name.is_not(None))).subquery()
        query = sa.select(sa.func.count()).select_from(names)
        if search:
            query = query.where(names.c.name.icontains(search, autoescape=True))
        with self._read() as conn:
            return int(conn.execute(query).scalar() or 0)

    def failures(self, limit: int | None = None) -> list[IngestFailure]:
        """Logged ingest failures, newest first."""
        query = sa.select(ingest_failures).order_by(ingest_failures.c.id.desc()).limit(limit)
        with self._read() as conn:
            return [IngestFailure(id=r.id, source=r.source, reason=r.reason, at=r.at)
                    for r in conn.execute(query)]

    # --- internals ---------------------------------------------------------

    def _event_query(self, flt: EventFilter | None, *extra: Any) -> sa.Select[Any]:
        """Events joined to their article, filtered by ``flt``."""
        columns = (events.c.pk, events.c.id, events.c.article_id, events.c.event_json,
                   articles.c.title, articles.c.url, articles.c.published, *extra)
        return (sa.select(*columns).select_from(events.join(articles))
                .where(*conditions(flt, fts=self._fts)))

    @staticmethod
    def _quote_conditions(article_id: str | None, speaker: str | None,
                          words: str | None) -> list[Any]:
        out: list[Any] = []
        if article_id is not None:
            out.append(quotes.c.article_id == article_id)
        if speaker:
            out.append(quotes.c.speaker_name.icontains(speaker, autoescape=True))
        for word in re.findall(r"\w+", words or ""):
            out.append(quotes.c.text.icontains(word, autoescape=True))
        return out

    @staticmethod
    def _find_article(conn: Connection, digest: str, url: str | None) -> str | None:
        """The id of a stored article with this text hash or URL, preferring the text."""
        same = articles.c.content_sha256 == digest
        if url:
            same = sa.or_(same, articles.c.url == url)
        query = (sa.select(articles.c.id).where(same)
                 .order_by((articles.c.content_sha256 == digest).desc()).limit(1))
        return conn.execute(query).scalar()

    @staticmethod
    def _insert_document(conn: Connection, doc: Document, *, article_id: str, digest: str,
                         raw_id: int | None, source: str | None) -> None:
        article = doc.article
        conn.execute(articles.insert().values(records.article_row(
            article, article_id=article_id, digest=digest, raw_id=raw_id, source=source,
            coder=doc.coder, now=_now())))
        if doc.events:
            conn.execute(events.insert(), [
                records.event_row(e, article=article, article_id=article_id, seq=i)
                for i, e in enumerate(doc.events, start=1)])
        if doc.quotes:
            conn.execute(quotes.insert(), [
                records.quote_row(q, article_id=article_id, seq=i)
                for i, q in enumerate(doc.quotes, start=1)])

    @contextmanager
    def _write(self, source: str | None) -> Iterator[Connection]:
        """A write transaction; database errors roll it back and become StoreError."""
        try:
            with self._writer.begin() as conn:
                yield conn
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"could not write to {db.describe(self._url)}: {_reason(exc)}",
                             source=source,
                             hint="nothing of this write was kept; fix the input "
                                  "(e.g. duplicate event ids) or the database and retry") from exc

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """A read transaction; database errors become StoreError."""
        try:
            with self._engine.connect() as conn:
                yield conn
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"could not read {db.describe(self._url)}: {_reason(exc)}",
                             hint="check that the database is reachable and not damaged") from exc


# Group keys of ``event_counts``: functions so the columns are built per query.
_GROUPS: dict[str, Callable[[], Any]] = {
    "day": lambda: events.c.date_start,
    "month": lambda: sa.func.substr(events.c.date_start, 1, 7),
    "type": lambda: events.c.type,
    "status": lambda: events.c.status,
    "mode": lambda: events.c.mode,
    "country": lambda: events.c.location_country,
    "source_country": lambda: events.c.source_country,
    "target_country": lambda: events.c.target_country,
}


def _filter(flt: EventFilter | None, filters: dict[str, Any]) -> EventFilter | None:
    """``flt``, or an EventFilter built from keyword filters (not both)."""
    if not filters:
        return flt
    if flt is not None:
        raise TypeError("give an EventFilter or keyword filters, not both")
    unknown = sorted(set(filters) - set(EventFilter.fields()))
    if unknown:
        raise InputError(f"unknown event filter {', '.join(unknown)}",
                         hint=f"use any of: {', '.join(EventFilter.fields())}")
    return EventFilter(**filters)


def _article_conditions(search: str | None) -> list[Any]:
    if not search:
        return []
    return [sa.or_(articles.c.title.icontains(search, autoescape=True),
                   articles.c.url.icontains(search, autoescape=True))]


def _reason(exc: sa.exc.SQLAlchemyError) -> str:
    """The driver's own message, without SQLAlchemy's statement dump."""
    orig = getattr(exc, "orig", None)
    return str(orig) if orig is not None else str(exc).split("\n")[0]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
