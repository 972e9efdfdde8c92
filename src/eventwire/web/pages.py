"""Server-rendered pages: events, one event with its evidence, timeline, map, articles, quotes, actors.

Everything shown comes from articles, which are untrusted: templates are
rendered with autoescape on, highlighted text is built by slicing the article
at span offsets and letting Jinja escape every slice, and only ``http(s)``
URLs ever become links. The pages carry no inline script or style (the
Content-Security-Policy forbids them); data a script needs is embedded as a
``<script type="application/json">`` block via ``tojson`` or read from the
JSON API.

Every event page (list, timeline, map) reads the same filter query parameters
as the API (``type``, ``status``, ``mode``, ``country``, ``where``, ``by``,
``against``, ``actor``, ``since``, ``until``, ``q``, ``bbox``, ``article``,
``precise``), so each view is a URL that can be shared, and links between
views keep the filters.

The timeline's day × type matrix is computed here, server-side, and embedded
as JSON: a bar for a day counts the events whose whole time span is that day
— exactly the events ``/events?since=D&until=D`` lists when the bar is
clicked. (Counting by first day, as ``/api/counts?by=day`` does, would put
"last month" on the 1st, and the click would not find it.)
"""
from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode, urlsplit

import jinja2
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from eventwire import __version__
from eventwire.errors import ConfigError, InputError
from eventwire.model import EVENT_TYPES, MODES, STATUSES, Actor, Event, Place, Span, TimeSpan
from eventwire.store import EventFilter, EventList, Store, StoredEvent, parse_bbox
from eventwire.store.records import day_of
from eventwire.web import shapes
from eventwire.web.deps import get_store

router = APIRouter(include_in_schema=False)

# Query parameter -> EventFilter field. The order is the order links are written in.
EVENT_PARAMS: dict[str, str] = {
    "q": "search", "type": "type", "status": "status", "mode": "mode", "country": "country",
    "where": "where", "by": "source_country", "against": "target_country", "actor": "actor",
    "since": "since", "until": "until", "bbox": "bbox", "article": "article_id",
    "precise": "precise_only",
}
EXPORT_FORMATS = ("csv", "jsonl", "parquet", "geojson", "acled", "plover")
ORDERS = {"date": "newest first", "date_asc": "oldest first", "ingested": "as ingested"}
PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_LIMIT, MAX_LIMIT = 50, 500
SNIPPET = 240          # characters of evidence shown in a table cell
FIELD_WINDOW = 400     # how far from the evidence a field's words may be found
MONTH_AFTER_DAYS = 400  # a timeline spanning more days than this is drawn by month
_TRUE = ("1", "true", "on", "yes")
ALL_MODES = tuple(sorted({m for modes in MODES.values() for m in modes}))


# --- templates ----------------------------------------------------------------

@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja environment: autoescape everywhere, templates from the package."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("eventwire.web", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    env.filters.update(safe_href=safe_href, snippet=snippet, actor_label=actor_label,
                       place_label=place_label)
    env.globals.update(version=__version__, event_when=event_when, EVENT_TYPES=EVENT_TYPES)
    return env


def render(name: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    """A page from a template; the context always has ``nav`` and ``title``."""
    context.setdefault("nav", "")
    context.setdefault("title", "eventwire")
    html = environment().get_template(name).render(**context)
    return HTMLResponse(html, status_code=status)


def error_page(status: int, message: str, hint: str | None = None) -> HTMLResponse:
    """An HTML error page that says what was wrong and what to do."""
    titles = {400: "Bad request", 401: "Not signed in", 403: "Forbidden", 404: "Not found",
              405: "Method not allowed", 422: "Bad request", 500: "Server error",
              503: "Unavailable"}
    return render("error.html", status=status, title=titles.get(status, "Error"),
                  status_code=status, message=message, hint=hint)


# --- values shown in pages ----------------------------------------------------

def safe_href(url: str | None) -> str | None:
    """``url`` when it is an http(s) URL, else None: only those may become links."""
    if not url or any(c in url for c in "\r\n\t"):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def snippet(text: str | None, size: int = SNIPPET) -> str:
    """At most ``size`` characters of ``text``, cut at a space where one is near."""
    text = " ".join((text or "").split())
    if len(text) <= size:
        return text
    cut = text.rfind(" ", size - 40, size)
    return text[:cut if cut > 0 else size] + "…"


def actor_label(actor: Actor | None) -> str:
    """``name (COUNTRY)``, or the words used when there is no name; "" for none."""
    if actor is None:
        return ""
    name = actor.name or actor.text or "?"
    return f"{name} ({actor.country})" if actor.country else name


def place_label(place: Place | None) -> str:
    """``name, COUNTRY``; "" when the event has no place."""
    if place is None:
        return ""
    name = place.name or place.text or ""
    return ", ".join(p for p in (name, place.country) if p)


def event_when(stored: StoredEvent) -> tuple[str, str]:
    """The event's date as shown, and where it comes from (its granularity, or "published")."""
    time = stored.event.time
    start, end = (time.start, time.end) if time else (None, None)
    if start:
        shown = start if not end or end == start else f"{start} – {end}"
        return shown, (time.granularity or "") if time else ""
    published = day_of(stored.published)
    return (published, "published") if published else ("", "no date")


# --- filters and paging ---------------------------------------------------------

@dataclass
class EventQuery:
    """The event filter of a page as its query parameters (raw text, empty ones dropped)."""

    values: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> EventQuery:
        values: dict[str, str] = {}
        for name in EVENT_PARAMS:
            value = (params.get(name) or "").strip()
            if name == "precise":
                value = "true" if value.lower() in _TRUE else ""
            if value:
                values[name] = value
        return cls(values)

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    def to_filter(self) -> EventFilter:
        """The store filter; raises InputError for a bbox that is not four numbers."""
        kwargs: dict[str, Any] = {}
        for name, value in self.values.items():
            if name == "bbox":
                kwargs["bbox"] = parse_bbox(value)
            elif name == "precise":
                kwargs["precise_only"] = True
            else:
                kwargs[EVENT_PARAMS[name]] = value
        return EventFilter(**kwargs)

    def query(self, *drop: str, **extra: str | int | None) -> str:
        """These filters as a query string, without ``drop`` and with ``extra`` set."""
        pairs = {k: v for k, v in self.values.items() if k not in drop and k not in extra}
        pairs.update({k: str(v) for k, v in extra.items() if v not in (None, "")})
        return urlencode(pairs)

    def link(self, path: str, *drop: str, **extra: str | int | None) -> str:
        """``path`` with these filters (see ``query``)."""
        query = self.query(*drop, **extra)
        return f"{path}?{query}" if query else path

    def chips(self) -> list[tuple[str, str, str]]:
        """(parameter, value, link without it) for each filter set: the "remove" links."""
        return [(name, value, self.link("/events", name)) for name, value in self.values.items()]


@dataclass
class Paging:
    """One page of a long list: where it starts, how long it is, how many there are."""

    limit: int
    offset: int
    total: int | None = None
    shown: int = 0
    more: bool = False  # when total is unknown: whether a next page exists

    @property
    def first(self) -> int:
        return self.offset + 1 if self.shown else 0

    @property
    def last(self) -> int:
        return self.offset + self.shown

    @property
    def has_next(self) -> bool:
        return self.more if self.total is None else self.offset + self.limit < self.total

    def link(self, base: Callable[..., str], offset: int) -> str:
        """The link to the page at ``offset``, given a link builder taking ``offset``/``limit``."""
        limit = self.limit if self.limit != DEFAULT_LIMIT else None
        return base(offset=max(0, offset) or None, limit=limit)

    def prev_offset(self) -> int | None:
        return max(0, self.offset - self.limit) if self.offset > 0 else None

    def next_offset(self) -> int | None:
        return self.offset + self.limit if self.has_next else None


def read_paging(params: Mapping[str, str], problems: list[str]) -> Paging:
    """``limit`` (1..500) and ``offset`` (≥ 0); a bad value is reported and replaced."""
    limit = _int_param(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, problems)
    offset = _int_param(params, "offset", 0, 0, None, problems)
    return Paging(limit=limit, offset=offset)


def _int_param(params: Mapping[str, str], name: str, default: int, low: int,
               high: int | None, problems: list[str]) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        problems.append(f"{name} {raw!r} is not a whole number — showing {name}={default}")
        return default
    if value < low or (high is not None and value > high):
        bounds = f"{low}..{high}" if high is not None else f"at least {low}"
        problems.append(f"{name} {value} is out of range ({bounds}) — showing {name}={default}")
        return default
    return value


def _order(params: Mapping[str, str], problems: list[str]) -> str:
    order = params.get("order") or "date"
    if order not in ORDERS:
        problems.append(f"order {order!r} is unknown (use {', '.join(ORDERS)}) — showing newest first")
        return "date"
    return order


def _input_problem(exc: InputError) -> str:
    return f"{exc.message} — {exc.hint}" if exc.hint else exc.message


# --- highlighted text -----------------------------------------------------------

@dataclass
class Region:
    """A stretch of the article to wrap: a mention or quote (``mark``) or a field's words."""

    start: int
    end: int
    kind: str                 # "mention", "quote" (a <mark>) or "field" (a labelled span)
    label: str = ""
    anchor: str | None = None  # the element's id, for in-page links


@dataclass
class Piece:
    """Plain text, or a region with its pieces inside: what the template renders."""

    text: str = ""
    region: Region | None = None
    children: list[Piece] = field(default_factory=list)


def fit_span(text: str, span: Span) -> tuple[int, int]:
    """Where a span lies in ``text``: its offsets when they hold its words, else the nearest
    place its words occur, else its offsets clamped to the text."""
    start, end = _clamp(span.start, len(text)), _clamp(span.end, len(text))
    if span.text and text[start:end] != span.text:
        found = locate(text, span.text, start, max(start, end), window=len(text))
        if found:
            return found
    return (start, end) if start <= end else (end, start)


def locate(text: str, words: str | None, near_start: int, near_end: int,
           window: int = FIELD_WINDOW) -> tuple[int, int] | None:
    """The occurrence of ``words`` nearest to ``[near_start, near_end)``, within ``window``."""
    if not words or not words.strip():
        return None
    hay, needle = text.lower(), words.lower()
    best: tuple[int, int] | None = None
    best_distance = window + 1
    at = hay.find(needle)
    while at != -1:
        end = at + len(needle)
        distance = 0 if at >= near_start and end <= near_end else min(
            abs(at - near_end), abs(near_start - end), abs(at - near_start))
        if distance < best_distance:
            best, best_distance = (at, end), distance
        at = hay.find(needle, at + 1)
    return best


def layout(text: str, outer: list[Region], inner: list[Region]) -> list[Piece]:
    """The text cut into pieces: ``outer`` regions (merged where they overlap) at the top,
    ``inner`` ones inside an outer region or between them; an inner region that crosses
    an outer edge, or overlaps another inner one, is left out."""
    tops = _merged(_clamped(outer, len(text)))
    kept: list[Region] = []
    for region in sorted(_clamped(inner, len(text)), key=lambda r: (r.start, r.start - r.end)):
        home = next((o for o in tops if o.start <= region.start and region.end <= o.end), None)
        if home is None and any(_overlap(region, o) for o in tops):
            continue
        if not any(_overlap(region, k) for k in kept):
            kept.append(region)
    inside = {id(k): o for k in kept for o in tops if o.start <= k.start and k.end <= o.end}
    top_level = sorted(tops + [k for k in kept if id(k) not in inside], key=lambda r: r.start)

    def children(region: Region) -> list[Piece]:
        mine = [k for k in kept if inside.get(id(k)) is region]
        return _pieces(text, region.start, region.end, mine, lambda r: [])

    return _pieces(text, 0, len(text), top_level, children)


def _pieces(text: str, start: int, end: int, regions: list[Region],
            children: Callable[[Region], list[Piece]]) -> list[Piece]:
    out: list[Piece] = []
    at = start
    for region in regions:
        if region.start > at:
            out.append(Piece(text[at:region.start]))
        inner = children(region) if region.kind != "field" else []
        out.append(Piece(text[region.start:region.end], region, inner or
                         [Piece(text[region.start:region.end])]))
        at = region.end
    if at < end:
        out.append(Piece(text[at:end]))
    return out


def _clamp(value: int, size: int) -> int:
    return max(0, min(int(value), size))


def _clamped(regions: Iterable[Region], size: int) -> list[Region]:
    out = []
    for r in regions:
        start, end = sorted((_clamp(r.start, size), _clamp(r.end, size)))
        if start < end:
            out.append(dataclasses.replace(r, start=start, end=end))
    return out


def _merged(regions: list[Region]) -> list[Region]:
    out: list[Region] = []
    for region in sorted(regions, key=lambda r: r.start):
        if out and region.start < out[-1].end:
            out[-1].end = max(out[-1].end, region.end)
        else:
            out.append(region)
    return out


def _overlap(a: Region, b: Region) -> bool:
    return a.start < b.end and b.start < a.end


# --- one event's fields ---------------------------------------------------------

@dataclass
class FieldView:
    """One field of an event as the event page shows it: its value and the words it came from."""

    name: str
    label: str
    value: str
    words: str | None = None
    start: int | None = None
    end: int | None = None
    anchor: str | None = None

    @property
    def found(self) -> bool:
        return self.start is not None


def event_fields(event: Event, text: str, near: tuple[int, int]) -> list[FieldView]:
    """Every field of the event, each located in the text near its evidence where it can be."""
    views = [FieldView("type", "Type", event.type, event.trigger),
             FieldView("mode", "Mode", event.mode or "—"),
             FieldView("status", "Status", event.status)]
    for role, actor in (("source", event.source), ("target", event.target)):
        views.append(FieldView(role, role.title(), _actor_value(actor),
                               actor.text if actor else None))
    views.append(FieldView("location", "Location", _place_value(event.location),
                           event.location.text if event.location else None))
    views.append(FieldView("time", "Time", _time_value(event.time),
                           event.time.text if event.time else None))
    for key, amount in event.magnitude.items():
        bounds = _bounds(amount.min, amount.max)
        views.append(FieldView(f"magnitude-{key}", key.title(),
                               f"{bounds} {amount.unit or ''}".strip(), amount.text))
    for attribution in event.attribution:
        who = attribution.name or ""
        count = f" ({attribution.count})" if attribution.count else ""
        views.append(FieldView("attribution", "According to",
                               f"{attribution.kind}: {who}{count}".rstrip(": "), attribution.text))
    for i, view in enumerate(views):
        found = locate(text, view.words, *near)
        if found:
            view.start, view.end = found
            view.anchor = f"field-{i}"
    return views


def _actor_value(actor: Actor | None) -> str:
    if actor is None:
        return "—"
    extra = ", ".join(x for x in (actor.country, actor.kind) if x)
    name = actor.name or actor.text or "?"
    return f"{name} ({extra})" if extra else name


def _place_value(place: Place | None) -> str:
    if place is None:
        return "—"
    parts = [place_label(place)]
    if place.lat is not None and place.lon is not None:
        parts.append(f"{place.lat:.4g}, {place.lon:.4g}")
    if place.precision:
        parts.append(f"precision: {place.precision}")
    if place.inferred:
        parts.append("taken from the article's context")
    return "; ".join(p for p in parts if p)


def _time_value(time: TimeSpan | None) -> str:
    if time is None:
        return "—"
    span = time.start or "?"
    if time.end and time.end != time.start:
        span += f" – {time.end}"
    return f"{span} ({time.granularity})" if time.granularity else span


def _bounds(low: float | None, high: float | None) -> str:
    def num(x: float) -> str:
        return str(int(x)) if float(x).is_integer() else str(x)
    if low is not None and high is not None:
        return num(low) if low == high else f"{num(low)}–{num(high)}"
    if low is not None:
        return f"at least {num(low)}"
    return f"at most {num(high)}" if high is not None else "?"


# --- timeline -------------------------------------------------------------------

def timeline_data(store: Store, flt: EventFilter, query: EventQuery, unit: str | None) -> dict[str, Any]:
    """The day (or month) × type matrix of the matching events, for the timeline's JSON block.

    A period counts the events whose whole span lies in it; events spanning
    more than one period, and undated ones, are counted apart and listed by
    the note under the chart.
    """
    spans: list[tuple[str, str, str, int]] = []
    undated = 0
    for start, end, kind, n in store.span_counts(flt):  # one grouped query, not every event
        if start and end:
            spans.append((start, end, kind, n))
        else:
            undated += n
    if unit not in ("day", "month"):
        unit = _auto_unit(spans)
    cells: Counter[tuple[str, str]] = Counter()
    wider = 0
    for start, end, kind, n in spans:
        key = start if unit == "day" else start[:7]
        if (end if unit == "day" else end[:7]) == key:
            cells[(key, kind)] += n
        else:
            wider += n
    by_type = Counter()
    for (_, kind), n in cells.items():
        by_type[kind] += n
    periods = sorted({key for key, _ in cells})
    return {
        "unit": unit,
        "types": [kind for kind, _ in by_type.most_common()],
        "periods": [{"key": key, "since": _period(key, unit)[0], "until": _period(key, unit)[1],
                     "counts": {kind: n for (k, kind), n in sorted(cells.items()) if k == key}}
                    for key in periods],
        "base": query.query("since", "until", "type", "unit"),
        "drawn": sum(cells.values()), "wider": wider, "undated": undated,
    }


def _auto_unit(spans: list[tuple[str, str, str, int]]) -> str:
    if not spans:
        return "day"
    first = min(date.fromisoformat(s) for s, _, _, _ in spans)
    last = max(date.fromisoformat(s) for s, _, _, _ in spans)
    return "month" if (last - first).days > MONTH_AFTER_DAYS else "day"


def _period(key: str, unit: str) -> tuple[str, str]:
    """The first and last day of a period key (YYYY-MM-DD or YYYY-MM)."""
    if unit == "day":
        return key, key
    year, month = int(key[:4]), int(key[5:7])
    after = date(year + month // 12, month % 12 + 1, 1)
    return f"{key}-01", date.fromordinal(after.toordinal() - 1).isoformat()


# --- routes ---------------------------------------------------------------------

@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/events", status_code=307)


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request, store: Store = Depends(get_store)) -> HTMLResponse:
    params = request.query_params
    query = EventQuery.from_params(params)
    problems: list[str] = []
    paging = read_paging(params, problems)
    order = _order(params, problems)
    status = 200
    try:
        page = store.events(query.to_filter(), limit=paging.limit, offset=paging.offset,
                            order=order, count=True)
    except InputError as exc:
        problems.append(_input_problem(exc))
        page, status = EventList(), 422
        page.total = 0
    paging.total, paging.shown = page.total, len(page)
    keep = {"order": order if order != "date" else None}
    return render("events.html", status=status, nav="events", title="Events", query=query,
                  events=page, paging=paging, problems=problems, order=order, orders=ORDERS,
                  page_sizes=PAGE_SIZES, default_limit=DEFAULT_LIMIT, statuses=STATUSES, modes=ALL_MODES,
                  countries=_countries(store) if status == 200 else [],
                  page_link=lambda **kw: query.link("/events", **keep, **kw),
                  exports=[(fmt, query.link("/api/export", format=fmt)) for fmt in EXPORT_FORMATS])


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(event_id: str, store: Store = Depends(get_store)) -> HTMLResponse:
    stored = store.get_event(event_id)
    if stored is None:
        return error_page(404, f"there is no event {event_id!r} in this database",
                          "event ids look like 0a2540f0ae717471-e1; find events on the Events page")
    text = stored.text or ""
    event = stored.event
    spans = [fit_span(text, m) for m in event.mentions]
    near = (min((s for s, _ in spans), default=0), max((e for _, e in spans), default=0))
    fields = event_fields(event, text, near)
    marks = [Region(s, e, "mention", anchor=f"evidence-{i}") for i, (s, e) in enumerate(spans)]
    words = [Region(f.start, f.end, "field", f.label.lower(), f.anchor)
             for f in fields if f.start is not None and f.end is not None]
    article = store.get_article(stored.article_id)
    others = [e for e in store.events(article_id=stored.article_id, limit=None, order="ingested")
              if e.id != stored.id]
    return render("event.html", nav="events", title=f"{event.type} — event {stored.id}",
                  stored=stored, event=event, fields=fields, pieces=layout(text, marks, words),
                  article=article, others=others)


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(request: Request, store: Store = Depends(get_store)) -> HTMLResponse:
    query = EventQuery.from_params(request.query_params)
    unit = request.query_params.get("unit")
    try:
        data = timeline_data(store, query.to_filter(), query, unit)
    except InputError as exc:
        return render("timeline.html", status=422, nav="timeline", title="Timeline", query=query,
                      data=None, problems=[_input_problem(exc)])
    return render("timeline.html", nav="timeline", title="Timeline", query=query, data=data,
                  problems=[])


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, store: Store = Depends(get_store)) -> HTMLResponse:
    query = EventQuery.from_params(request.query_params)
    try:
        shapes.shapefile_base()
    except ConfigError as exc:
        return error_page(503, f"the map cannot be drawn: {exc.message}", exc.hint)
    try:
        flt = query.to_filter()
        total = store.count_events(flt)
    except InputError as exc:
        return render("map.html", status=422, nav="map", title="Map", query=query, config=None,
                      problems=[_input_problem(exc)], total=0)
    bbox = list(flt.bbox) if flt.bbox else None
    config = {"query": query.query("bbox"), "bbox": bbox, "total": total, "max": 3000}
    return render("map.html", nav="map", title="Map", query=query, config=config, problems=[],
                  total=total, types=EVENT_TYPES)


@router.get("/map/countries.json")
def countries() -> Response:
    """Country outlines as GeoJSON (Natural Earth low resolution, from the pyogrio package)."""
    try:
        body = shapes.countries_geojson()
    except ConfigError as exc:
        return JSONResponse({"error": {"status": 503, "code": "shapes_missing",
                                       "message": exc.message, "hint": exc.hint}}, status_code=503)
    return Response(body, media_type="application/geo+json",
                    headers={"Cache-Control": "public, max-age=86400"})


@router.get("/articles", response_class=HTMLResponse)
def articles_page(request: Request, store: Store = Depends(get_store)) -> HTMLResponse:
    params = request.query_params
    problems: list[str] = []
    paging = read_paging(params, problems)
    search = (params.get("q") or "").strip() or None
    items = store.articles(search=search, limit=paging.limit, offset=paging.offset)
    paging.total, paging.shown = store.count_articles(search=search), len(items)
    return render("articles.html", nav="articles", title="Articles", items=items, search=search or "",
                  paging=paging, problems=problems,
                  page_link=lambda **kw: _link("/articles", q=search, **kw))


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(article_id: str, store: Store = Depends(get_store)) -> HTMLResponse:
    article = store.get_article(article_id)
    if article is None:
        return error_page(404, f"there is no article {article_id!r} in this database",
                          "article ids are 16 hex digits; find articles on the Articles page")
    quotes = store.quotes(article_id)
    marks = [Region(q.quote.start, q.quote.end, "quote", anchor=f"q{q.id}",
                    label=actor_label(q.quote.speaker)) for q in quotes]
    events = store.events(article_id=article_id, limit=None, order="ingested")
    return render("article.html", nav="articles", title=article.title or f"Article {article.id}",
                  article=article, quotes=quotes, events=events,
                  pieces=layout(article.text, marks, []),
                  archived=f"/api/articles/{article.id}/archived" if article.raw_id else None)


@router.get("/quotes", response_class=HTMLResponse)
def quotes_page(request: Request, store: Store = Depends(get_store)) -> HTMLResponse:
    params = request.query_params
    problems: list[str] = []
    paging = read_paging(params, problems)
    speaker = (params.get("speaker") or "").strip() or None
    words = (params.get("q") or "").strip() or None
    items = store.quotes(speaker=speaker, words=words, limit=paging.limit, offset=paging.offset)
    paging.total, paging.shown = store.count_quotes(speaker=speaker, words=words), len(items)
    known = store.article_titles(q.article_id for q in items)
    titles = {i: known.get(i) or f"article {i}" for i in {q.article_id for q in items}}
    return render("quotes.html", nav="quotes", title="Quotes", items=items, titles=titles,
                  speaker=speaker or "", words=words or "", paging=paging, problems=problems,
                  page_link=lambda **kw: _link("/quotes", speaker=speaker, q=words, **kw))


@router.get("/actors", response_class=HTMLResponse)
def actors_page(request: Request, store: Store = Depends(get_store)) -> HTMLResponse:
    params = request.query_params
    problems: list[str] = []
    paging = read_paging(params, problems)
    search = (params.get("q") or "").strip() or None
    items = store.actors(search=search, limit=paging.limit, offset=paging.offset)
    paging.total = store.count_actors(search)
    paging.shown = len(items)
    rows = [(a, "/events?" + urlencode({"actor": a.name})) for a in items]
    return render("actors.html", nav="actors", title="Actors", rows=rows, search=search or "",
                  paging=paging, problems=problems,
                  page_link=lambda **kw: _link("/actors", q=search, **kw))


def _link(path: str, **params: str | int | None) -> str:
    """``path`` with the given query parameters, leaving out empty ones."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{path}?{query}" if query else path


def _countries(store: Store) -> list[str]:
    """The country codes that occur in any role, for the filter form's suggestions."""
    codes: set[str] = set()
    for by in ("country", "source_country", "target_country"):
        codes.update(k for k, _ in store.event_counts(by) if k and re.fullmatch(r"[A-Z]{3}", k))
    return sorted(codes)
