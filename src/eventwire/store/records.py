"""What the store hands back, and the conversions between records and rows.

Rows are built here, and only here, from the typed records of
``eventwire.model``, so the column layout of ``schema`` has one reader and one
writer. Each stored record also keeps its full JSON, so no field is lost even
when it has no column of its own.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from eventwire.model import Actor, Article, Coder, Event, Place, Quote, TimeSpan

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class ActorCount:
    """An actor as stored events name it, with its event counts by role."""

    name: str
    country: str | None
    acts: int
    targeted: int

    @property
    def events(self) -> int:
        return self.acts + self.targeted


@dataclass
class StoredEvent:
    """One stored event with the article it came from.

    ``id`` is ``<article_id>-<the event's id in its document>``: stable across
    runs and short enough to type. ``event.id`` carries the same store id.
    ``text`` (the article text) is filled only by ``Store.get_event``.
    """

    id: str
    article_id: str
    event: Event
    article_title: str | None
    article_url: str | None
    published: str | None
    text: str | None = None


class EventList(list["StoredEvent"]):
    """A page of stored events: a list, plus ``to_pandas()`` and ``total``.

    ``total`` is how many events match the filter in all (the list holds one
    page of them); None when it was not counted.
    """

    total: int | None = None

    def to_pandas(self) -> Any:
        """These events as a pandas DataFrame, one row each (see ``eventwire.tabular``)."""
        from eventwire.tabular import to_pandas

        return to_pandas(self)


@dataclass
class ArticleSummary:
    """An article as listed: no text, with how many events and quotes it gave."""

    id: str
    title: str | None
    url: str | None
    published: str | None
    ingested_at: str
    events: int
    quotes: int


@dataclass
class StoredArticle:
    """One stored article; ``coder`` says which eventwire version extracted it."""

    id: str
    doc_id: str
    url: str | None
    title: str | None
    published: str | None
    text: str
    content_sha256: str
    raw_id: int | None
    ingested_at: str
    coder: dict[str, Any] | None
    source: str | None = None


@dataclass
class StoredQuote:
    """One stored quote; ``id`` is the store's row number, in ingest order."""

    id: int
    article_id: str
    quote: Quote


@dataclass
class IngestFailure:
    """An input that could not be ingested, why, and when (UTC, ISO 8601)."""

    id: int
    source: str
    reason: str
    at: str


def normalise_text(text: str) -> str:
    """The text as compared for duplicates: NFC, whitespace runs made one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def content_hash(text: str) -> str:
    """The SHA-256 (hex) of the normalised text: the same article gives the same hash."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def article_id_for(text: str) -> str:
    """The id the store gives an article with this text: 16 hex digits of its hash."""
    return content_hash(text)[:16]


def day_of(value: str | None) -> str | None:
    """The YYYY-MM-DD date at the start of an ISO date or datetime, else None."""
    if value and _DAY.match(value):
        return value[:10]
    return None


def event_id_for(article_id: str, event: Event, seq: int) -> str:
    """The store id of an event: its document id, or ``e<seq>`` when it has none."""
    return f"{article_id}-{event.id or f'e{seq}'}"


def article_row(article: Article, *, article_id: str, digest: str, raw_id: int | None,
                source: str | None, coder: Coder | None, now: str) -> dict[str, Any]:
    """The ``articles`` row of one article."""
    return {
        "id": article_id, "doc_id": article.doc_id, "url": article.url,
        "title": article.title, "published": article.published, "text": article.text,
        "content_sha256": digest, "raw_id": raw_id, "source": source, "ingested_at": now,
        "coder_json": json.dumps(coder.to_dict()) if coder else None,
    }


def event_row(event: Event, *, article: Article, article_id: str, seq: int) -> dict[str, Any]:
    """The ``events`` row of one event: filter columns plus the full JSON."""
    start, end = _effective_dates(event.time, day_of(article.published))
    return {
        "id": event_id_for(article_id, event, seq), "article_id": article_id, "seq": seq,
        "type": _upper(event.type), "status": _lower(event.status), "mode": event.mode,
        **_actor_columns("source", event.source), **_actor_columns("target", event.target),
        **_place_columns(event.location), **_time_columns(event.time),
        "date_start": start, "date_end": end, "date_reported": day_of(article.published),
        "search_text": _search_text(event, article.title),
        "event_json": json.dumps(event.to_dict(), ensure_ascii=False),
    }


def quote_row(quote: Quote, *, article_id: str, seq: int) -> dict[str, Any]:
    """The ``quotes`` row of one quote."""
    return {"article_id": article_id, "seq": seq, **_quote_columns(quote),
            "quote_json": json.dumps(quote.to_dict(), ensure_ascii=False)}


def backfill_v2(conn: Connection) -> None:
    """Fill the version-2 columns of rows stored before them, from each row's JSON.

    Runs inside the migration's transaction, a batch of rows at a time, so an
    interrupted upgrade leaves the database at version 1 and is simply rerun.
    """
    from eventwire.store.schema import articles, events, quotes

    published = sa.select(articles.c.published).where(
        articles.c.id == events.c.article_id).scalar_subquery()
    rows = conn.execute(sa.select(events.c.pk, events.c.event_json, published.label("published")))
    for batch in _chunks(rows, 1000):
        updates = []
        for row in batch:
            event = Event.from_dict(json.loads(row.event_json))
            updates.append({"_pk": row.pk, **_place_columns(event.location),
                            **_time_columns(event.time), "date_reported": day_of(row.published)})
        conn.execute(events.update().where(events.c.pk == sa.bindparam("_pk")), updates)
    for batch in _chunks(conn.execute(sa.select(quotes.c.pk, quotes.c.quote_json)), 1000):
        updates = [{"_pk": row.pk, **_quote_columns(Quote.from_dict(json.loads(row.quote_json)))}
                   for row in batch]
        conn.execute(quotes.update().where(quotes.c.pk == sa.bindparam("_pk")), updates)


def stored_event(row: Row[Any]) -> StoredEvent:
    """A StoredEvent from an events ⋈ articles row (``text`` only when selected)."""
    event = Event.from_dict(json.loads(row.event_json))
    event.id = row.id
    return StoredEvent(id=row.id, article_id=row.article_id, event=event,
                       article_title=row.title, article_url=row.url,
                       published=row.published, text=getattr(row, "text", None))


def stored_article(row: Row[Any]) -> StoredArticle:
    """A StoredArticle from an ``articles`` row."""
    return StoredArticle(
        id=row.id, doc_id=row.doc_id, url=row.url, title=row.title, published=row.published,
        text=row.text, content_sha256=row.content_sha256, raw_id=row.raw_id,
        ingested_at=row.ingested_at,
        coder=json.loads(row.coder_json) if row.coder_json else None, source=row.source)


def stored_quote(row: Row[Any]) -> StoredQuote:
    """A StoredQuote from a ``quotes`` row."""
    return StoredQuote(id=row.pk, article_id=row.article_id,
                       quote=Quote.from_dict(json.loads(row.quote_json)))


def _effective_dates(time: TimeSpan | None, published: str | None) -> tuple[str | None, str | None]:
    """The dates an event is filtered by: its own span, else the publication day."""
    start = day_of(time.start) if time else None
    end = (day_of(time.end) or day_of(time.start)) if time else None
    return start or published, end or published


def _place_columns(place: Place | None) -> dict[str, Any]:
    """The location columns: country, name, coordinates, precision, inferred or not."""
    if place is None:
        return {"location_country": None, "location_name": None, "lat": None, "lon": None,
                "location_precision": None, "location_inferred": None}
    return {"location_country": _upper(place.country), "location_name": place.name or place.text,
            "lat": place.lat, "lon": place.lon, "location_precision": place.precision,
            "location_inferred": bool(place.inferred)}


def _time_columns(time: TimeSpan | None) -> dict[str, Any]:
    """The event's own time expression and its granularity (None when it has none)."""
    return {"time_text": time.text if time else None,
            "time_granularity": time.granularity if time else None}


def _quote_columns(quote: Quote) -> dict[str, Any]:
    """The searchable columns of a quote: its words and its speaker's name and country."""
    speaker = quote.speaker
    return {"text": quote.text, "speaker_name": speaker.name if speaker else None,
            "speaker_country": _upper(speaker.country) if speaker else None}


def _chunks(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _actor_columns(role: str, actor: Actor | None) -> dict[str, str | None]:
    """The name, text and country columns of the source or target actor."""
    return {f"{role}_name": actor.name if actor else None,
            f"{role}_text": actor.text if actor else None,
            f"{role}_country": _upper(actor.country if actor else None)}


def _search_text(event: Event, title: str | None) -> str:
    """What ``search`` looks in: the evidence, the article title and the actor names."""
    parts = [title, *(m.text for m in event.mentions)]
    for actor in (event.source, event.target):
        if actor:
            parts += [actor.name, actor.text]
    return "\n".join(p for p in parts if p)


def _upper(value: str | None) -> str | None:
    return value.upper() if isinstance(value, str) else value


def _lower(value: str | None) -> str | None:
    return value.lower() if isinstance(value, str) else value
