"""The REST API under ``/api``: read-only queries of the store, plus a token-guarded ingest.

Every endpoint answers JSON in the shapes of ``eventwire.web.schemas`` (which
/openapi.json documents), and every failure in the one error shape of
``eventwire.web.errors``. Query parameters are checked here, one by one, so
that a bad value is a 422 that names the parameter (``bbox``, ``since``…)
rather than an empty page or a 500.

Routes that only read are plain ``def`` functions: FastAPI runs them in its
thread pool, so a slow query never blocks the event loop.
"""
from __future__ import annotations

import io
import json
import logging
import queue
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from enum import Enum
from hmac import compare_digest
from typing import Any, Literal
from urllib.parse import quote, urlencode

import anyio
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import ValidationError

from eventwire import __version__, export
from eventwire.errors import ConfigError, EventwireError, InputError
from eventwire.model import MODES, Article
from eventwire.store import EventFilter, Store, StoredEvent, StoredQuote, parse_bbox
from eventwire.store.filters import conditions
from eventwire.web import schemas
from eventwire.web.deps import Settings, get_settings, get_store
from eventwire.web.errors import ApiError, bad_parameter, not_found, validation_error

log = logging.getLogger("eventwire.web")

MAX_LIMIT = 500
MAX_OFFSET = 1_000_000_000
ALL_MODES: tuple[str, ...] = tuple(sorted({m for modes in MODES.values() for m in modes}))
COUNT_KEYS = ("day", "month", "type", "status", "mode", "country", "source_country",
              "target_country")

ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": schemas.ErrorOut, "description": "A parameter is not valid (the error names it)."},
    500: {"model": schemas.ErrorOut, "description": "A bug: the server log has the details."},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": schemas.ErrorOut, "description": "No such id."}}

router = APIRouter(responses=ERRORS)

# The query parameter that carries each EventFilter field, for error messages.
PARAMETER_OF: dict[str, str] = {
    "type": "type", "status": "status", "mode": "mode", "country": "country", "where": "where",
    "source_country": "by", "target_country": "against", "actor": "actor", "since": "since",
    "until": "until", "search": "q", "article_id": "article", "bbox": "bbox",
    "precise_only": "precise",
}

ExportFormat = Enum("ExportFormat", {name: name for name in export.FORMATS}, type=str)  # type: ignore[misc]
Order = Literal["date", "date_asc", "ingested"]
CountKey = Literal["day", "month", "type", "status", "mode", "country", "source_country",
                   "target_country"]


# --- query parameters --------------------------------------------------------------------

@dataclass
class Paging:
    limit: int
    offset: int


def paging(
    limit: int = Query(50, ge=1, le=MAX_LIMIT, description=f"Items per page, 1 to {MAX_LIMIT}."),
    offset: int = Query(0, ge=0, le=MAX_OFFSET, description="How many matching items to skip."),
) -> Paging:
    return Paging(limit, offset)


# The filter parameters come in four small dependencies so that /openapi.json lists
# them in a reading order (what, where, who, the rest) with ``by`` in its place on
# /api/events and ``source_country`` in the same place on /api/counts.

def _what(
    type: str | None = Query(None, max_length=32, description="Event type, e.g. ASSAULT, PROTEST, "
                             "SANCTION (any case)."),
    status: str | None = Query(None, max_length=32, description="occurred, planned, threatened, "
                               "offered, hypothetical, denied or negated."),
    mode: str | None = Query(None, max_length=32, description="How, within the type: e.g. aerial, "
                             "arrest, demonstrate, economic."),
) -> dict[str, Any]:
    return {"type": type, "status": status, "mode": mode}


def _place(
    country: str | None = Query(None, max_length=16, description="ISO 3166-1 alpha-3 code; matches "
                                "who acted, who was acted on OR where it happened."),
    where: str | None = Query(None, max_length=16, description="ISO3 code of where it happened."),
) -> dict[str, Any]:
    return {"country": country, "where": where}


def _by(
    by: str | None = Query(None, max_length=16, description="ISO3 code of who acted "
                           "(the source's country)."),
) -> dict[str, Any]:
    return {"source_country": by}


def _source_country(
    source_country: str | None = Query(None, max_length=16, description="ISO3 code of who acted "
                                       "(called `by` on the other endpoints; here `by` names "
                                       "the grouping)."),
) -> dict[str, Any]:
    return {"source_country": source_country}


def _rest(
    against: str | None = Query(None, max_length=16, description="ISO3 code of who was acted on "
                                "(the target's country)."),
    actor: str | None = Query(None, max_length=200, description="Words in the source or target "
                              "actor's name or text (case-insensitive)."),
    since: str | None = Query(None, max_length=32, description="Events on or after this day, "
                              "YYYY-MM-DD (the event's dates, else its article's)."),
    until: str | None = Query(None, max_length=32, description="Events on or before this day, "
                              "YYYY-MM-DD."),
    q: str | None = Query(None, max_length=500, description="Full-text search: every word must "
                          "occur in the evidence, the title or the actor names (word prefixes)."),
    bbox: str | None = Query(None, max_length=200, description="west,south,east,north in degrees: "
                             "events located inside (west > east crosses the antimeridian)."),
    article: str | None = Query(None, max_length=64, description="Only events of this article id."),
    precise: bool = Query(False, description="Only events whose place comes from their own "
                          "sentence (not inferred from the article's context)."),
) -> dict[str, Any]:
    return {"target_country": against, "actor": actor, "since": since, "until": until,
            "search": q, "article_id": article, "bbox": bbox, "precise_only": precise}


def event_filter(what: dict[str, Any] = Depends(_what), place: dict[str, Any] = Depends(_place),
                 by: dict[str, Any] = Depends(_by),
                 rest: dict[str, Any] = Depends(_rest)) -> EventFilter:
    """The filter of /api/events and /api/export, every field checked."""
    return checked_filter({**what, **place, **by, **rest})


def counts_filter(what: dict[str, Any] = Depends(_what), place: dict[str, Any] = Depends(_place),
                  source: dict[str, Any] = Depends(_source_country),
                  rest: dict[str, Any] = Depends(_rest)) -> EventFilter:
    """The filter of /api/counts, where ``by`` is the grouping, so who-acted is ``source_country``."""
    return checked_filter({**what, **place, **source, **rest}, {"source_country": "source_country"})


def checked_filter(raw: dict[str, Any], parameter_of: dict[str, str] | None = None) -> EventFilter:
    """An EventFilter whose every field the store accepts; else a 422 naming the parameter.

    The store checks values only when it builds its query; checking each field
    alone here lets the error say which parameter was wrong. Blank values
    (an empty form field) mean "any".
    """
    names = {**PARAMETER_OF, **(parameter_of or {})}
    values = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in raw.items()}
    if values.get("bbox") is not None:
        try:
            values["bbox"] = parse_bbox(values["bbox"])
        except InputError as e:
            raise bad_parameter("bbox", e) from None
    if values.get("mode") is not None:
        values["mode"] = values["mode"].lower()
        if values["mode"] not in ALL_MODES:
            raise bad_parameter("mode", f"unknown mode {values['mode']!r}",
                                hint=f"use one of: {', '.join(ALL_MODES)}")
    for key, value in values.items():
        if value is None or key in ("bbox", "mode", "precise_only"):
            continue
        try:
            conditions(EventFilter(**{key: value}), fts=False)
        except InputError as e:
            raise bad_parameter(names.get(key, key), e) from None
    since, until = values.get("since"), values.get("until")
    if since and until and since > until:
        raise bad_parameter("until", f"{until} is before since={since}",
                            hint="give an until date on or after the since date")
    return EventFilter(**values)


def event_order(order: Order = Query("date", description="date (newest first), date_asc "
                                     "(oldest first) or ingested (the order stored).")) -> str:
    return order


# --- shaping records as JSON -------------------------------------------------------------

def event_item(stored: StoredEvent) -> dict[str, Any]:
    """An event as the API shows it: its record, its article, and its page."""
    item = stored.event.to_dict()
    item["id"] = stored.id
    item.update(article_id=stored.article_id, article_title=stored.article_title,
                article_url=stored.article_url, published=stored.published,
                url=f"/events/{quote(stored.id, safe='')}")
    return item


def quote_item(stored: StoredQuote, title: str | None) -> dict[str, Any]:
    """A quote as the API shows it, with its article's id and title."""
    return {"id": stored.id, "article_id": stored.article_id, "article_title": title,
            **stored.quote.to_dict()}


def next_link(request: Request, page: Paging, shown: int, total: int | None) -> str | None:
    """The relative URL of the next page (same query, next offset); None on the last page.

    With ``total`` None (not counted), a full page means there may be more.
    """
    more = page.offset + shown < total if total is not None else shown >= page.limit
    if not more or shown == 0:
        return None
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "offset"]
    query.append(("offset", str(page.offset + page.limit)))
    return f"{request.url.path}?{urlencode(query)}"


# --- events ------------------------------------------------------------------------------

@router.get("/events", response_model=schemas.EventPage, tags=["events"],
            summary="Events matching the filters, a page at a time")
def list_events(request: Request, flt: EventFilter = Depends(event_filter),
                page: Paging = Depends(paging), order: str = Depends(event_order),
                store: Store = Depends(get_store)) -> Response:
    found = store.events(flt, limit=page.limit, offset=page.offset, order=order, count=True)
    total = found.total or 0
    return JSONResponse({"total": total, "limit": page.limit, "offset": page.offset,
                         "items": [event_item(e) for e in found],
                         "next": next_link(request, page, len(found), total)})


@router.get("/events/{event_id}", response_model=schemas.EventDetail, responses=NOT_FOUND,
            tags=["events"], summary="One event, with its article and coder")
def get_event(event_id: str = Path(description="The event's store id.", max_length=200),
              store: Store = Depends(get_store)) -> Response:
    stored = store.get_event(event_id)
    if stored is None:
        raise not_found(f"event {event_id!r}", hint="list event ids with GET /api/events")
    article = store.get_article(stored.article_id)
    item = event_item(stored)
    item["article"] = {"id": stored.article_id, "title": stored.article_title,
                       "url": stored.article_url, "published": stored.published}
    item["coder"] = article.coder if article else None
    return JSONResponse(item)


@router.get("/counts", response_model=schemas.CountsOut, tags=["events"],
            summary="How many matching events fall in each group (timelines, summaries)")
def counts(by: CountKey = Query("day", description="Group by: day, month (date order), type, "
                                "status, mode, country (where), source_country or "
                                "target_country (largest first)."),
           flt: EventFilter = Depends(counts_filter),
           store: Store = Depends(get_store)) -> Response:
    rows = store.event_counts(by, flt)
    return JSONResponse({"by": by, "items": [{"key": k, "count": n} for k, n in rows]})


@router.get("/export", tags=["events"], response_class=StreamingResponse,
            summary="Every matching event as a file download",
            responses={200: {"description": "The file (CSV, JSON Lines, Parquet, GeoJSON…).",
                             "content": {media: {} for media, _ in export.FORMATS.values()}},
                       501: {"model": schemas.ErrorOut,
                             "description": "This format is not available."}})
async def export_events(format: ExportFormat = Query(ExportFormat("csv"),  # noqa: A002
                                                     description="csv, jsonl, parquet, geojson, "
                                                     "acled (ACLED-like CSV) or plover "
                                                     "(PLOVER-like JSON)."),
                        flt: EventFilter = Depends(event_filter),
                        store: Store = Depends(get_store)) -> Response:
    fmt = format.value
    media, ext = export.FORMATS[fmt]
    stream = ExportStream(fmt, store, flt)
    first = await anyio.to_thread.run_sync(stream.start)
    if isinstance(first, BaseException):
        raise _export_error(fmt, first)
    return StreamingResponse(stream.body(first), media_type=media, headers={
        "Content-Disposition": f'attachment; filename="eventwire-events.{ext}"'})


def _export_error(fmt: str, error: BaseException) -> Exception:
    """The answer to an export that failed before its first byte."""
    if isinstance(error, NotImplementedError):
        return ApiError(501, f"export to {fmt} is not available in this version of eventwire",
                        code="not_implemented", parameter="format", hint="try format=jsonl")
    if isinstance(error, InputError):
        return ApiError(422, error.message, hint=error.hint)
    if isinstance(error, EventwireError):
        return error
    log.error("export to %s failed", fmt, exc_info=error)
    return ApiError(500, f"the {fmt} export failed", hint="the server log has the details")


class _Cancelled(Exception):
    """The client went away: the export thread stops writing."""


@dataclass
class _Done:
    written: int


class _QueueFile(io.RawIOBase):
    """A write-only binary file that hands its bytes to a queue in chunks.

    ``export.write`` writes to a file; the HTTP response reads chunks. The
    bounded queue between them keeps memory flat: a slow client slows the
    export instead of letting it pile up. ``tell`` counts bytes, for writers
    (Parquet) that ask where they are.
    """

    CHUNK = 64 * 1024

    def __init__(self, put: Any) -> None:
        super().__init__()
        self._put = put
        self._buffer = bytearray()
        self._position = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        self._buffer += view
        self._position += view.nbytes
        if len(self._buffer) >= self.CHUNK:
            self.send()
        return view.nbytes

    def tell(self) -> int:
        return self._position

    def send(self) -> None:
        """Hand what is buffered to the reader."""
        if self._buffer:
            data = bytes(self._buffer)
            self._buffer.clear()
            self._put(data)

    def close(self) -> None:
        if not self.closed:
            try:
                self.send()
            finally:
                super().close()


class ExportStream:
    """``export.write`` run in its own thread, read back as the chunks of a response.

    ``start`` waits for the first chunk (or the end, or a failure), so an
    export that fails at once gets a proper error status; later failures can
    only cut the download short, and are logged.
    """

    def __init__(self, fmt: str, store: Store, flt: EventFilter) -> None:
        self.fmt, self.store, self.flt = fmt, store, flt
        self.queue: queue.Queue[Any] = queue.Queue(maxsize=8)
        self.stop = threading.Event()

    def start(self) -> Any:
        threading.Thread(target=self._write, name=f"eventwire-export-{self.fmt}",
                         daemon=True).start()
        return self._next()

    async def body(self, first: Any) -> AsyncIterator[bytes]:
        item = first
        try:
            while isinstance(item, bytes):
                yield item
                item = await anyio.to_thread.run_sync(self._next)
            if isinstance(item, BaseException):
                log.error("export to %s failed part-way", self.fmt, exc_info=item)
                raise RuntimeError(f"the {self.fmt} export failed part-way") from item
        finally:
            self.stop.set()

    def _write(self) -> None:
        out = _QueueFile(self._put)
        try:
            # like the CLI: an ACLED export keeps only what occurred unless a status is asked for
            written = export.write(self.fmt, self.store.iter_events(self.flt), out,
                                   occurred_only=self.flt.status is None)
            out.close()
            self._put(_Done(written))
        except _Cancelled:
            pass
        except BaseException as e:  # noqa: BLE001 - handed to the reader, who reports it
            try:
                self._put(e)
            except _Cancelled:
                pass

    def _put(self, item: Any) -> None:
        while True:
            if self.stop.is_set():
                raise _Cancelled
            try:
                self.queue.put(item, timeout=0.25)
                return
            except queue.Full:
                continue

    def _next(self) -> Any:
        while True:
            try:
                return self.queue.get(timeout=0.25)
            except queue.Empty:
                if self.stop.is_set():
                    return _Done(0)


# --- articles, quotes, actors ------------------------------------------------------------

@router.get("/articles", response_model=schemas.ArticlePage, tags=["articles"],
            summary="Stored articles, newest ingest first")
def list_articles(request: Request,
                  q: str | None = Query(None, max_length=500, description="Part of the title "
                                        "or URL (case-insensitive)."),
                  page: Paging = Depends(paging), store: Store = Depends(get_store)) -> Response:
    search = (q or "").strip() or None
    rows = store.articles(search=search, limit=page.limit, offset=page.offset)
    total = store.count_articles(search=search)
    items = [{"id": a.id, "title": a.title, "url": a.url, "published": a.published,
              "ingested_at": a.ingested_at, "events": a.events, "quotes": a.quotes} for a in rows]
    return JSONResponse({"total": total, "limit": page.limit, "offset": page.offset,
                         "items": items, "next": next_link(request, page, len(items), total)})


@router.get("/articles/{article_id}", response_model=schemas.ArticleDetail, responses=NOT_FOUND,
            tags=["articles"], summary="One article: text, events and quotes")
def get_article(article_id: str = Path(max_length=64, description="The article id."),
                store: Store = Depends(get_store)) -> Response:
    article = store.get_article(article_id)
    if article is None:
        raise not_found(f"article {article_id!r}", hint="list article ids with GET /api/articles")
    events = store.events(article_id=article_id, limit=None, order="ingested")
    quotes = store.quotes(article_id)
    return JSONResponse({
        "id": article.id, "title": article.title, "url": article.url,
        "published": article.published, "text": article.text, "coder": article.coder,
        "archived": f"/api/articles/{article.id}/archived" if article.raw_id is not None else None,
        "events": [event_item(e) for e in events],
        "quotes": [quote_item(q, article.title) for q in quotes]})


@router.get("/articles/{article_id}/archived", tags=["articles"], responses={
    **NOT_FOUND, 200: {"description": "The archived bytes, as fetched or read.",
                       "content": {"application/octet-stream": {}}}},
    summary="The archived source of an article, exactly as fetched")
def get_archived(article_id: str = Path(max_length=64, description="The article id."),
                 store: Store = Depends(get_store)) -> Response:
    article = store.get_article(article_id)
    if article is None:
        raise not_found(f"article {article_id!r}", hint="list article ids with GET /api/articles")
    page = store.get_source(article.raw_id) if article.raw_id is not None else None
    if page is None:
        raise not_found(f"the archived source of article {article_id!r}",
                        hint="articles sent through POST /api/ingest have no archived page")
    return archived_response(article_id, page.body, page.content_type, page.final_url or page.url)


def archived_response(article_id: str, body: bytes, content_type: str | None,
                      url: str) -> Response:
    """Untrusted bytes served so they cannot run on our origin.

    ``sandbox`` puts the page in a unique origin with scripts off, ``nosniff``
    stops the browser guessing a more dangerous type, and anything but plain
    text is a download rather than a page.
    """
    import mimetypes

    media = _safe_media_type(content_type) or mimetypes.guess_type(url)[0] or \
        "application/octet-stream"
    base = media.split(";")[0].strip().lower()
    headers = {"Content-Security-Policy": "sandbox; default-src 'none'",
               "X-Content-Type-Options": "nosniff"}
    if base != "text/plain":
        ext = mimetypes.guess_extension(base) or ".bin"
        headers["Content-Disposition"] = f'attachment; filename="eventwire-source-{article_id}{ext}"'
    return Response(body, media_type=media, headers=headers)


def _safe_media_type(value: str | None) -> str | None:
    """A stored Content-Type header kept only when it is a plain ``type/subtype[; charset=x]``."""
    import re

    if value and re.fullmatch(r"[\w.+-]+/[\w.+-]+(\s*;\s*charset=\"?[\w.:-]+\"?)?", value.strip()):
        return value.strip()
    return None


@router.get("/quotes", response_model=schemas.QuotePage, tags=["articles"],
            summary="Quotes in the order stored, by speaker, words or article")
def list_quotes(request: Request,
                speaker: str | None = Query(None, max_length=200, description="Part of the "
                                            "speaker's name (case-insensitive)."),
                q: str | None = Query(None, max_length=500, description="Words that must all "
                                      "occur in the quote (case-insensitive)."),
                article: str | None = Query(None, max_length=64, description="Only quotes of "
                                            "this article id."),
                page: Paging = Depends(paging), store: Store = Depends(get_store)) -> Response:
    speaker, words, article_id = ((v or "").strip() or None for v in (speaker, q, article))
    rows = store.quotes(article_id, speaker=speaker, words=words, limit=page.limit,
                        offset=page.offset)
    total = store.count_quotes(article_id, speaker=speaker, words=words)
    titles = store.article_titles(r.article_id for r in rows)
    return JSONResponse({"total": total, "limit": page.limit, "offset": page.offset,
                         "items": [quote_item(r, titles.get(r.article_id)) for r in rows],
                         "next": next_link(request, page, len(rows), total)})


@router.get("/actors", response_model=schemas.ActorPage, tags=["articles"],
            summary="Actors named in events, most active first")
def list_actors(request: Request,
                q: str | None = Query(None, max_length=200, description="Part of the actor's "
                                      "name (case-insensitive)."),
                page: Paging = Depends(paging), store: Store = Depends(get_store)) -> Response:
    rows = store.actors((q or "").strip() or None, limit=page.limit + 1, offset=page.offset)
    shown = rows[:page.limit]
    items = [{"name": r.name, "country": r.country, "events": r.events, "acts": r.acts,
              "targeted": r.targeted, "url": "/events?" + urlencode({"actor": r.name})}
             for r in shown]
    more = len(rows) > page.limit
    return JSONResponse({"limit": page.limit, "offset": page.offset, "items": items,
                         "next": next_link(request, page, len(shown), None) if more else None})


# --- health ------------------------------------------------------------------------------

@router.get("/health", response_model=schemas.HealthOut, tags=["server"],
            summary="Whether the server and its database answer")
def health(store: Store = Depends(get_store)) -> Response:
    return JSONResponse({"status": "ok", "version": __version__, "counts": store.counts()})


# --- ingest ------------------------------------------------------------------------------

def _inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """A JSON schema with its ``$defs`` references written out, to embed in the OpenAPI doc."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk(defs[ref.rsplit("/", 1)[1]])
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


_INGEST_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": _inline_refs(schemas.IngestRequest.model_json_schema())}}}}


@router.post("/ingest", response_model=schemas.IngestResult, tags=["server"],
             summary="Extract and store articles (needs the server's token)",
             openapi_extra=_INGEST_BODY, responses={
                 401: {"model": schemas.ErrorOut, "description": "Missing or wrong token."},
                 403: {"model": schemas.ErrorOut, "description": "The server is read-only."},
                 413: {"model": schemas.ErrorOut, "description":
                       f"Over {schemas.MAX_INGEST_ARTICLES} articles or "
                       f"{schemas.MAX_INGEST_BYTES // (1024 * 1024)} MB."},
                 503: {"model": schemas.ErrorOut, "description": "Extraction cannot run."}})
async def ingest(request: Request, settings: Settings = Depends(get_settings),
                 store: Store = Depends(get_store)) -> Response:
    """Authenticate first, then read a bounded body, then extract in the thread pool.

    The body is read by hand (not as a FastAPI body parameter) so that an
    unauthenticated or oversized request is refused before it is parsed.
    """
    check_token(request, settings)
    raw = await read_body(request, schemas.MAX_INGEST_BYTES)
    body = parse_ingest(raw)
    result = await run_in_threadpool(ingest_articles, request.app, store, body.articles)
    return JSONResponse(result)


def check_token(request: Request, settings: Settings) -> None:
    """403 on a read-only server; 401 (with a challenge) unless the bearer token matches."""
    if not settings.token:
        raise ApiError(403, "this server is read-only: ingest is disabled", code="ingest_disabled",
                       hint="start it with --token (or EVENTWIRE_TOKEN) to accept ingests")
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise ApiError(401, "a token is required to ingest", parameter="Authorization",
                       hint="send the header Authorization: Bearer <token>",
                       headers={"WWW-Authenticate": 'Bearer realm="eventwire"'})
    if not compare_digest(given.strip().encode("utf-8"), settings.token.encode("utf-8")):
        raise ApiError(401, "the token is wrong", parameter="Authorization",
                       hint="send the token the server was started with",
                       headers={"WWW-Authenticate": 'Bearer realm="eventwire", error="invalid_token"'})


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it is known to pass ``limit`` bytes."""
    too_large = ApiError(413, f"the request body is over {limit // (1024 * 1024)} MB",
                         hint=f"send at most {schemas.MAX_INGEST_ARTICLES} articles and "
                              f"{limit // (1024 * 1024)} MB per request; split the batch")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large
    media = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if media != "application/json":
        raise ApiError(415, f"the body must be JSON, not {media}",
                       hint="send Content-Type: application/json")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def parse_ingest(raw: bytes) -> schemas.IngestRequest:
    """The ingest body, checked: 422 naming the field, 413 for too many articles."""
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ApiError(422, f"the body is not valid JSON: {e}", parameter="body",
                       hint='send {"articles": [{"text": "..."}]}') from None
    if isinstance(data, dict) and isinstance(data.get("articles"), list) \
            and len(data["articles"]) > schemas.MAX_INGEST_ARTICLES:
        raise ApiError(413, f"{len(data['articles'])} articles is over the limit of "
                            f"{schemas.MAX_INGEST_ARTICLES} per request", parameter="articles",
                       hint="split the batch into several requests")
    try:
        return schemas.IngestRequest.model_validate(data)
    except ValidationError as e:
        raise validation_error(e.errors(include_url=False)) from None


def ingest_articles(app: Any, store: Store,
                    articles: list[schemas.IngestArticle]) -> dict[str, Any]:
    """Extract and store each article; one that fails is reported and the others go on."""
    from eventwire.store import article_id_for

    extractor = app_extractor(app)
    result: dict[str, Any] = {"stored": 0, "duplicates": 0, "article_ids": [], "failed": []}
    for index, item in enumerate(articles):
        doc_id = f"api-{article_id_for(item.text)}"
        article = Article(doc_id, item.text, item.title, item.published, item.url)
        try:
            with app.state.extract_lock:  # one spaCy pipeline, used by one thread at a time
                doc = extractor.extract(article)
            article_id, created = store.add_document(doc, source="POST /api/ingest")
        except ConfigError as e:
            raise ApiError(503, f"extraction cannot run: {e.message}", hint=e.hint) from e
        except EventwireError as e:
            result["failed"].append({"index": index, "error": str(e)})
            _log_failure(store, doc_id, str(e))
            continue
        except Exception as e:  # noqa: BLE001 - one bad article must not lose the others
            log.exception("ingest of article %d failed", index)
            result["failed"].append({"index": index, "error": f"extraction failed ({type(e).__name__})"})
            _log_failure(store, doc_id, f"extraction failed: {type(e).__name__}: {e}")
            continue
        result["stored" if created else "duplicates"] += 1
        result["article_ids"].append(article_id)
    return result


def app_extractor(app: Any) -> Any:
    """The app's one Extractor, built on first use (the model loads on first extract)."""
    with app.state.extract_lock:
        extractor = getattr(app.state, "extractor", None)
        if extractor is None:
            from eventwire.nlp.pipeline import Extractor, ExtractSettings

            model = app.state.settings.model
            extractor = Extractor(ExtractSettings(model=model) if model else ExtractSettings())
            app.state.extractor = extractor
        return extractor


def _log_failure(store: Store, source: str, reason: str) -> None:
    try:
        store.log_failure(source, reason)
    except EventwireError:
        log.warning("could not log the failure of %s", source)
