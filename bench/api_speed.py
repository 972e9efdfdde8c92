#!/usr/bin/env python3
"""How fast the web server answers on a large store: p50/p95 latency of the main queries.

    python bench/api_speed.py [--events 100000] [--articles 3000] [--db FILE]
                              [--repeat 200] [--warmup 10] [--markdown FILE]

1. **Store.** Builds a SQLite store of ``--events`` generated events spread over
   ``--articles`` articles (16 event types, 7 statuses, 30 countries with
   skewed frequencies, coordinates, dates over two years, quotes), written
   through ``Store.add_document`` like a real ingest, and reports the build
   time. With ``--db`` an existing file is reused as it is (delete it to
   rebuild). No model is loaded: the records are built directly.
2. **Server.** Starts the real ``eventwire serve`` on a free 127.0.0.1 port.
3. **Queries.** Times each query ``--repeat`` times after ``--warmup`` runs,
   one request at a time over one keep-alive httpx connection, from sending
   the request to having read the whole body. Filtered pages of 50 events
   (by type, country, date range, bbox, full-text, combined), a deep offset,
   counts, one event, articles, quotes, actors, and the HTML pages.
4. **Baseline.** The same event queries run in-process with
   ``Store.events(..., count=True)`` (and ``event_counts``), in the same run,
   so the report shows what HTTP, FastAPI and JSON add as a ratio.

The Markdown table gives p50 and p95 in milliseconds. Any events page whose
p95 misses the 100 ms target gets its SQLite query plan (EXPLAIN QUERY PLAN)
printed under the table, to show which index is missing. Timings depend on
the machine: compare only figures from one machine and say which.
"""
from __future__ import annotations

import argparse
import math
import os
import platform
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from eventwire.model import (MODES, Actor, Amount, Article, Attribution, Coder,  # noqa: E402
                             Document, Event, Place, Quote, Span, TimeSpan)
from eventwire.store import EventFilter, Store  # noqa: E402

TARGET_P95_MS = 100.0
START = date(2024, 1, 1)
DAYS = 730

# (ISO3, country, adjective, capital, lat, lon, weight): a skewed spread, like news coverage.
COUNTRIES = [
    ("USA", "United States", "US", "Washington", 38.9, -77.0, 30),
    ("UKR", "Ukraine", "Ukrainian", "Kyiv", 50.4, 30.5, 25),
    ("RUS", "Russia", "Russian", "Moscow", 55.8, 37.6, 24),
    ("ISR", "Israel", "Israeli", "Jerusalem", 31.8, 35.2, 20),
    ("PSE", "Palestine", "Palestinian", "Gaza", 31.5, 34.5, 18),
    ("VEN", "Venezuela", "Venezuelan", "Caracas", 10.5, -66.9, 12),
    ("SDN", "Sudan", "Sudanese", "Khartoum", 15.6, 32.5, 10),
    ("KEN", "Kenya", "Kenyan", "Nairobi", -1.3, 36.8, 8),
    ("NGA", "Nigeria", "Nigerian", "Abuja", 9.1, 7.5, 8),
    ("CHN", "China", "Chinese", "Beijing", 39.9, 116.4, 14),
    ("IRN", "Iran", "Iranian", "Tehran", 35.7, 51.4, 10),
    ("SYR", "Syria", "Syrian", "Damascus", 33.5, 36.3, 9),
    ("YEM", "Yemen", "Yemeni", "Sanaa", 15.4, 44.2, 7),
    ("COL", "Colombia", "Colombian", "Bogota", 4.7, -74.1, 6),
    ("MEX", "Mexico", "Mexican", "Mexico City", 19.4, -99.1, 6),
    ("BRA", "Brazil", "Brazilian", "Brasilia", -15.8, -47.9, 5),
    ("FRA", "France", "French", "Paris", 48.9, 2.4, 7),
    ("DEU", "Germany", "German", "Berlin", 52.5, 13.4, 6),
    ("GBR", "United Kingdom", "British", "London", 51.5, -0.1, 8),
    ("IND", "India", "Indian", "New Delhi", 28.6, 77.2, 7),
    ("PAK", "Pakistan", "Pakistani", "Islamabad", 33.7, 73.1, 6),
    ("AFG", "Afghanistan", "Afghan", "Kabul", 34.5, 69.2, 5),
    ("ETH", "Ethiopia", "Ethiopian", "Addis Ababa", 9.0, 38.7, 4),
    ("COD", "DR Congo", "Congolese", "Kinshasa", -4.3, 15.3, 5),
    ("HTI", "Haiti", "Haitian", "Port-au-Prince", 18.5, -72.3, 4),
    ("MMR", "Myanmar", "Myanmar", "Naypyidaw", 19.8, 96.1, 4),
    ("TUR", "Turkey", "Turkish", "Ankara", 39.9, 32.9, 5),
    ("FJI", "Fiji", "Fijian", "Suva", -18.1, 178.4, 1),
    ("NZL", "New Zealand", "New Zealand", "Wellington", -41.3, 174.8, 2),
    ("PHL", "Philippines", "Philippine", "Manila", 14.6, 121.0, 4),
]
TYPES = {  # type: (weight, verb phrases)
    "ASSAULT": (20, ["struck", "shelled", "attacked", "fired on", "launched a drone strike on"]),
    "PROTEST": (12, ["marched against", "protested against", "demonstrated outside offices of"]),
    "COERCE": (12, ["arrested supporters of", "detained members of", "seized a vessel of"]),
    "ACCUSE": (10, ["accused", "blamed", "condemned"]),
    "REQUEST": (8, ["called on", "urged", "asked"]),
    "CONSULT": (6, ["met", "held talks with", "telephoned"]),
    "AGREE": (5, ["signed an agreement with", "agreed a ceasefire with"]),
    "SUPPORT": (5, ["praised", "backed"]),
    "SANCTION": (4, ["imposed sanctions on", "expelled diplomats of"]),
    "MOBILIZE": (4, ["deployed troops near", "sent warships towards"]),
    "THREATEN": (4, ["threatened", "warned"]),
    "REJECT": (4, ["rejected a proposal by", "refused to meet"]),
    "AID": (3, ["sent a convoy of food to", "delivered aid to"]),
    "COOPERATE": (3, ["worked with", "shared intelligence with"]),
    "RETREAT": (2, ["withdrew forces from", "pulled out of talks with"]),
    "CONCEDE": (2, ["released prisoners held by", "eased restrictions on"]),
}
STATUSES = [("occurred", 72), ("planned", 8), ("threatened", 5), ("offered", 3),
            ("hypothetical", 4), ("denied", 4), ("negated", 4)]
ROLES = [("government", "the {adj} government", "{name} Government", 5),
         ("military", "{adj} forces", "{name} Armed Forces", 4),
         ("police", "{adj} police", "{name} Police", 3),
         ("rebels", "rebels in {name}", "{name} rebels", 2),
         ("civilians", "protesters in {capital}", "{name} protesters", 2)]


# --- building the store ------------------------------------------------------------------

class Generator:
    """Varied, realistic-looking Documents; the same seed gives the same store."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.country_weights = [c[6] for c in COUNTRIES]
        self.type_names = list(TYPES)
        self.type_weights = [TYPES[t][0] for t in self.type_names]

    def country(self) -> tuple[Any, ...]:
        return self.rng.choices(COUNTRIES, self.country_weights)[0]

    def actor(self, country: tuple[Any, ...]) -> Actor:
        iso, name, adj, capital = country[:4]
        kind, text, canon, _ = self.rng.choices(ROLES, [r[3] for r in ROLES])[0]
        fill = {"adj": adj, "name": name, "capital": capital}
        return Actor(text.format(**fill), canon.format(**fill), iso, kind)

    def place(self, country: tuple[Any, ...]) -> Place:
        iso, _name, _adj, capital, lat, lon, _w = country
        roll = self.rng.random()
        if roll < 0.08:  # named but not placed on the map
            return Place(capital, capital, iso, None, None, "country")
        if roll < 0.25:
            return Place(_name, _name, iso, lat, lon, "country", inferred=self.rng.random() < 0.5)
        jitter = lambda: self.rng.uniform(-2.5, 2.5)  # noqa: E731
        return Place(f"near {capital}", capital, iso, round(lat + jitter(), 4),
                     round(((lon + jitter() + 180) % 360) - 180, 4), "city",
                     inferred=self.rng.random() < 0.12)

    def document(self, n: int, n_events: int) -> Document:
        published = START + timedelta(days=self.rng.randrange(DAYS))
        home = self.country()
        sentences: list[tuple[str, Event]] = []
        for i in range(n_events):
            sentences.append(self.event(i, home, published))
        text_parts: list[str] = []
        offset = 0
        for sentence, event in sentences:
            event.mentions = [Span(offset, offset + len(sentence), sentence)]
            text_parts.append(sentence)
            offset += len(sentence) + 2
        quotes = []
        for _ in range(self.rng.randrange(0, 4)):
            speaker = self.actor(self.country())
            words = self.rng.choice(["We will not accept this", "The situation is getting worse",
                                     "Talks must resume at once", "Our forces acted in self-defence",
                                     "Aid is not reaching the people who need it"])
            line = f'"{words}," said a spokesperson for {speaker.text}.'
            start = offset + 1
            quotes.append(Quote(words, start, start + len(words), "direct", speaker, "said"))
            text_parts.append(line)
            offset += len(line) + 2
        first = sentences[0][1]
        title = f"{first.type.title()} report: {first.location.name if first.location else home[1]}"
        article = Article(f"bench-{n}", "\n\n".join(text_parts), title, published.isoformat(),
                          f"https://news.example/{published:%Y/%m/%d}/story-{n}")
        return Document(article, [e for _, e in sentences], quotes,
                        Coder("bench", "generated", "0"))

    def event(self, i: int, home: tuple[Any, ...], published: date) -> tuple[str, Event]:
        rng = self.rng
        etype = rng.choices(self.type_names, self.type_weights)[0]
        status = rng.choices([s for s, _ in STATUSES], [w for _, w in STATUSES])[0]
        where = home if rng.random() < 0.7 else self.country()
        source = self.actor(where if rng.random() < 0.6 else self.country())
        target = self.actor(self.country()) if rng.random() < 0.85 else None
        verb = rng.choice(TYPES[etype][1])
        mode = rng.choice(MODES[etype]) if etype in MODES and rng.random() < 0.7 else None
        if "drone" in verb:
            mode = "drone"
        place = self.place(where) if rng.random() < 0.9 else None
        when = None
        if rng.random() < 0.85:
            day = published - timedelta(days=rng.randrange(0, 8))
            end = day + timedelta(days=rng.randrange(0, 3)) if rng.random() < 0.2 else day
            when = TimeSpan(f"on {day:%A}", day.isoformat(), end.isoformat(), "day")
        magnitude = {}
        if etype in ("ASSAULT", "COERCE", "PROTEST") and rng.random() < 0.4:
            key = {"ASSAULT": "killed", "COERCE": "arrested", "PROTEST": "participants"}[etype]
            low = rng.randrange(1, 300)
            magnitude[key] = Amount(f"at least {low}", low, None)
        sentence = (f"{source.text[0].upper()}{source.text[1:]} {verb} "
                    f"{target.text if target else 'targets'}"
                    f"{' ' + place.text if place and place.text.startswith('near') else ''}"
                    f"{' ' + when.text if when else ''}, officials said.")
        event = Event(etype, status, [], source, target, mode, place, when, magnitude,
                      [Attribution("official", "officials said")], verb.split()[0], f"e{i + 1}")
        return sentence, event


def build_store(path: Path, n_events: int, n_articles: int, seed: int) -> float:
    """Fill a new store at ``path``; return the seconds it took."""
    gen = Generator(seed)
    per_article = [n_events // n_articles + (1 if i < n_events % n_articles else 0)
                   for i in range(n_articles)]
    begun = time.perf_counter()
    with Store(path) as store:
        for n, count in enumerate(per_article):
            if count:
                store.add_document(gen.document(n, count))
            if n and n % 500 == 0:
                print(f"  {n:,} articles stored ({time.perf_counter() - begun:.0f} s)",
                      file=sys.stderr)
    return time.perf_counter() - begun


# --- measuring ---------------------------------------------------------------------------

@dataclass
class Timing:
    """One query's latencies (ms), with what it answered."""

    name: str
    target: str
    ms: list[float] = field(default_factory=list)
    status: int | None = None
    size: int = 0
    base_ms: list[float] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return percentile(self.ms, 50)

    @property
    def p95(self) -> float:
        return percentile(self.ms, 95)


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile (no interpolation: a value that was measured)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def time_calls(call: Callable[[], Any], repeat: int, warmup: int,
               budget_s: float) -> tuple[list[float], Any]:
    """``repeat`` timings (ms) after ``warmup`` calls; fewer (at least 5) if ``budget_s`` runs out.

    The budget keeps one very slow query from taking the whole run; the
    report says how many runs each figure rests on.
    """
    last = None
    for _ in range(warmup):
        last = call()
    out: list[float] = []
    deadline = time.perf_counter() + budget_s
    for _ in range(repeat):
        begun = time.perf_counter()
        last = call()
        out.append((time.perf_counter() - begun) * 1000)
        if len(out) >= 5 and time.perf_counter() > deadline:
            break
    return out, last


@dataclass
class Query:
    name: str
    path: str
    baseline: Callable[[Store], Any] | None = None
    events_filter: EventFilter | None = None  # for EXPLAIN QUERY PLAN
    offset: int = 0
    order: str = "date"


def queries(store: Store, total: int) -> list[Query]:
    """The queries to time, with values taken from the store so every one finds events."""
    some = store.events(limit=200, order="ingested")
    event_ids = [e.id for e in some]
    deep = max(0, int(total * 0.9))
    box = (30.0, 44.0, 40.0, 56.0)  # around Ukraine and western Russia
    page = dict(limit=50, count=True)

    def ev(flt: EventFilter, **kw: Any) -> Callable[[Store], Any]:
        return lambda s: s.events(flt, **{**page, **kw})

    flts = {
        "type": EventFilter(type="ASSAULT"),
        "country": EventFilter(country="VEN"),
        "date range": EventFilter(since="2025-03-01", until="2025-03-31"),
        "bbox": EventFilter(bbox=box),
        "q": EventFilter(search="drone"),
        "combined": EventFilter(type="PROTEST", country="KEN", since="2024-06-01",
                                until="2025-06-30"),
    }
    ids = iter(event_ids * 1000)
    return [
        Query("unfiltered page", "/api/events?limit=50", ev(EventFilter()), EventFilter()),
        Query("filtered page (type)", "/api/events?type=ASSAULT&limit=50", ev(flts["type"]),
              flts["type"]),
        Query("filtered page (country)", "/api/events?country=VEN&limit=50",
              ev(flts["country"]), flts["country"]),
        Query("filtered page (date range)", "/api/events?since=2025-03-01&until=2025-03-31&limit=50",
              ev(flts["date range"]), flts["date range"]),
        Query("filtered page (bbox)", "/api/events?bbox=30,44,40,56&limit=50", ev(flts["bbox"]),
              flts["bbox"]),
        Query("filtered page (q)", "/api/events?q=drone&limit=50", ev(flts["q"]), flts["q"]),
        Query("filtered page (combined)", "/api/events?type=PROTEST&country=KEN&since=2024-06-01"
              "&until=2025-06-30&limit=50", ev(flts["combined"]), flts["combined"]),
        Query("filtered page (type, oldest first)", "/api/events?type=ASSAULT&order=date_asc&limit=50",
              ev(flts["type"], order="date_asc"), flts["type"], order="date_asc"),
        Query(f"deep offset ({deep:,})", f"/api/events?offset={deep}&limit=50",
              ev(EventFilter(), offset=deep), EventFilter(), offset=deep),
        Query("/api/counts by day", "/api/counts?by=day",
              lambda s: s.event_counts("day")),
        Query("/api/counts by type", "/api/counts?by=type", lambda s: s.event_counts("type")),
        Query("/api/counts by country", "/api/counts?by=country",
              lambda s: s.event_counts("country")),
        Query("/api/counts by day, filtered", "/api/counts?by=day&type=ASSAULT&country=UKR",
              lambda s: s.event_counts("day", EventFilter(type="ASSAULT", country="UKR"))),
        Query("/api/events/{id}", "@event", lambda s: s.get_event(next(ids))),
        Query("/api/articles", "/api/articles?limit=50"),
        Query("/api/quotes", "/api/quotes?limit=50"),
        Query("/api/actors", "/api/actors?limit=50"),
        Query("/api/health", "/api/health"),
        Query("/events page", "/events"),
        Query("/map page", "/map"),
        Query("/timeline page", "/timeline"),
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    """``eventwire serve`` on 127.0.0.1, waited for (60 s at most)."""
    proc = subprocess.Popen([sys.executable, "-m", "eventwire", "serve", "--db", str(db),
                             "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"eventwire serve exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).raise_for_status()
            return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    stop_server(proc)
    raise SystemExit("eventwire serve did not answer within 60 s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def measure(db: Path, repeat: int, warmup: int,
            budget_s: float) -> tuple[list[Timing], list[Query]]:
    with Store(db) as store:
        total = store.count_events()
        todo = queries(store, total)
        event_ids = [e.id for e in store.events(limit=200, order="ingested")]
        timings = []
        for q in todo:
            t = Timing(q.name, q.path if q.path != "@event" else "/api/events/{id}")
            if q.baseline is not None:
                t.base_ms, _ = time_calls(lambda q=q: q.baseline(store), repeat, warmup, budget_s)
            timings.append(t)
    port = free_port()
    proc = start_server(db, port)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            for q, t in zip(todo, timings):
                if q.path == "@event":
                    ids = iter(event_ids * (repeat + warmup + 1))
                    call = lambda: client.get(f"/api/events/{next(ids)}")  # noqa: E731
                else:
                    call = lambda path=q.path: client.get(path)  # noqa: E731
                t.ms, last = time_calls(call, repeat, warmup, budget_s)
                t.status, t.size = last.status_code, len(last.content)
                print(f"  {q.name}: p50 {t.p50:.1f} ms, p95 {t.p95:.1f} ms ({len(t.ms)} runs)",
                      file=sys.stderr)
    finally:
        stop_server(proc)
    return timings, todo


def explain(db: Path, q: Query) -> list[str]:
    """The SQLite plans of an events query's page and its count, as the store builds them."""
    import sqlalchemy as sa
    from sqlalchemy.dialects import sqlite as sqlite_dialect

    from eventwire.store.filters import conditions, order_by
    from eventwire.store.schema import events

    with Store(db) as store:
        page = (store._event_query(q.events_filter)  # noqa: SLF001 - the store's own SQL
                .order_by(*order_by(q.order)).limit(50).offset(q.offset))
        count = (sa.select(sa.func.count()).select_from(events)
                 .where(*conditions(q.events_filter, fts=store._fts)))  # noqa: SLF001
    out = []
    with sqlite3.connect(db) as conn:
        for label, stmt in (("page", page), ("count", count)):
            sql = str(stmt.compile(dialect=sqlite_dialect.dialect(),
                                   compile_kwargs={"literal_binds": True}))
            plan = conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
            out.append(f"{label}: " + "; ".join(row[-1] for row in plan))
    return out


# --- report ------------------------------------------------------------------------------

def fmt(ms: float) -> str:
    return "—" if math.isnan(ms) else f"{ms:.1f}"


def table(timings: list[Timing]) -> str:
    lines = ["| query | request | runs | HTTP p50 ms | HTTP p95 ms | in-process p50 ms | "
             "in-process p95 ms | HTTP / in-process (p50) | status | bytes |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for t in timings:
        base50, base95 = percentile(t.base_ms, 50), percentile(t.base_ms, 95)
        ratio = f"{t.p50 / base50:.1f}×" if t.base_ms and base50 > 0 else "—"
        lines.append(f"| {t.name} | `{t.target}` | {len(t.ms)} | {fmt(t.p50)} | {fmt(t.p95)} | {fmt(base50)} | "
                     f"{fmt(base95)} | {ratio} | {t.status} | {t.size:,} |")
    typed = next((t for t in timings if t.name == "filtered page (type)"), None)
    if typed is not None:
        lines.append(f"| baseline: Store.events (type filter, page of 50, count=True) | "
                     f"in-process | {len(typed.base_ms)} | — | — | "
                     f"{fmt(percentile(typed.base_ms, 50))} | "
                     f"{fmt(percentile(typed.base_ms, 95))} | 1.0× | — | — |")
    return "\n".join(lines)


def load_average() -> str:
    """The 1-minute load average: other work on the machine inflates every figure."""
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "?"


def report(db: Path, counts: dict[str, int], build_s: float | None, timings: list[Timing],
           todo: list[Query], repeat: int, warmup: int, budget_s: float,
           load_before: str) -> str:
    size = db.stat().st_size / 1e6
    built = (f"built in {build_s:.1f} s" if build_s is not None else "reused as it was")
    head = (f"Store: {counts['events']:,} events, {counts['articles']:,} articles, "
            f"{counts['quotes']:,} quotes, SQLite file {size:.0f} MB ({built}). "
            f"Each query timed up to {repeat} times after {warmup} warm-up runs (fewer, but at "
            f"least 5, when one query passes {budget_s:g} s: see runs), one request at a time, "
            f"through "
            f"`eventwire serve` on 127.0.0.1 (httpx, keep-alive). Python "
            f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"{os.cpu_count()} CPUs, {platform.machine()}; 1-minute load average {load_before} "
            f"before timing, {load_average()} after (the bench itself adds about 1.5).")
    lines = [head, "", table(timings), ""]
    slow = [(t, q) for t, q in zip(timings, todo)
            if q.events_filter is not None and t.p95 > TARGET_P95_MS]
    if slow:
        lines.append(f"Events pages over the {TARGET_P95_MS:.0f} ms p95 target, with their "
                     "SQLite query plans:")
        lines.append("")
        for t, q in slow:
            lines.append(f"- {t.name} (p95 {t.p95:.1f} ms):")
            lines += [f"  - {line}" for line in explain(db, q)]
    else:
        lines.append(f"Every events page met the {TARGET_P95_MS:.0f} ms p95 target.")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000, help="events to generate")
    parser.add_argument("--articles", type=int, default=3000, help="articles they come from")
    parser.add_argument("--db", type=Path, help="store to reuse, or to build if absent")
    parser.add_argument("--repeat", type=int, default=200, help="timed runs per query")
    parser.add_argument("--warmup", type=int, default=10, help="untimed runs first")
    parser.add_argument("--budget", type=float, default=60.0,
                        help="seconds at most per query and side (at least 5 runs each)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--markdown", type=Path, help="also write the report here")
    parser.add_argument("--explain", action="store_true",
                        help="print every events query's plan, not only the slow ones'")
    args = parser.parse_args(argv)
    if args.events < 1 or args.articles < 1 or args.repeat < 1 or args.warmup < 0:
        parser.error("--events, --articles and --repeat must be at least 1, --warmup 0 or more")

    with tempfile.TemporaryDirectory(prefix="eventwire-bench-") as tmp:
        db = args.db or Path(tmp) / "bench.db"
        build_s = None
        if not db.exists():
            print(f"building {args.events:,} events in {args.articles:,} articles at {db}",
                  file=sys.stderr)
            build_s = build_store(db, args.events, min(args.articles, args.events), args.seed)
            print(f"built in {build_s:.1f} s", file=sys.stderr)
        with Store(db) as store:
            counts = store.counts()
        print(f"timing {counts['events']:,} events", file=sys.stderr)
        load_before = load_average()
        timings, todo = measure(db, args.repeat, args.warmup, args.budget)
        text = report(db, counts, build_s, timings, todo, args.repeat, args.warmup, args.budget,
                      load_before)
        if args.explain:
            text += "\nQuery plans:\n\n" + "\n".join(
                f"- {q.name}: " + " | ".join(explain(db, q)) for q in todo if q.events_filter)
            text += "\n"
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
        print(f"wrote {args.markdown}", file=sys.stderr)
    return 0


def _exit_on_term(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)  # so the server is stopped on the way out


if __name__ == "__main__":
    import signal

    signal.signal(signal.SIGTERM, _exit_on_term)
    sys.exit(main())
