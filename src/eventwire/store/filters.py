"""Event filters, and the SQL conditions they become.

Every field of ``EventFilter`` is checked before it reaches SQL, so that a
typo ("assualt", "US", "2025-9-1") is an ``InputError`` that says what to
write instead, not an empty result.

Search: on SQLite with FTS5 (the usual case) the words are matched against a
full-text index as word prefixes ("strike" finds "strikes", not "airstrike");
without FTS5 (and on PostgreSQL for now) each word is a case-insensitive
substring match. Either way every word must occur.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from eventwire.errors import InputError
from eventwire.model import EVENT_TYPES, STATUSES
from eventwire.store.schema import FTS_TABLE, events

ORDERS = MappingProxyType({
    "date": (events.c.date_start.desc().nulls_last(), events.c.pk.desc()),
    "date_asc": (events.c.date_start.asc().nulls_last(), events.c.pk.asc()),
    "ingested": (events.c.pk.asc(),),
})

_ACTOR_COLUMNS = (events.c.source_name, events.c.target_name,
                  events.c.source_text, events.c.target_text)
_COUNTRY_COLUMNS = (events.c.source_country, events.c.target_country,
                    events.c.location_country)


@dataclass
class EventFilter:
    """Which events to return; every field set must match (None means any).

    ``country`` matches the source's, the target's or the location's country;
    ``where``, ``source_country`` and ``target_country`` match one role only (where it
    happened, who acted, who was acted on);
    ``actor`` is a case-insensitive part of the source or target name or text;
    ``since``/``until`` (YYYY-MM-DD, inclusive) compare the event's own dates,
    or the article's publication date when the event has none;
    ``bbox`` is ``(west, south, east, north)`` in degrees and keeps events
    whose location has coordinates inside it (``west > east`` crosses the
    antimeridian); ``speaker``-style text fields are case-insensitive parts.
    """

    type: str | None = None
    status: str | None = None
    country: str | None = None
    where: str | None = None
    source_country: str | None = None
    target_country: str | None = None
    actor: str | None = None
    since: str | None = None
    until: str | None = None
    search: str | None = None
    article_id: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    mode: str | None = None
    precise_only: bool = False

    @classmethod
    def fields(cls) -> tuple[str, ...]:
        """The names a caller may filter on (used by ``Store.events(**filters)``)."""
        return tuple(f.name for f in dataclasses.fields(cls))


def conditions(flt: EventFilter | None, *, fts: bool) -> list[ColumnElement[bool]]:
    """The WHERE conditions of a filter; ``fts`` says whether the FTS5 index exists."""
    if flt is None:
        return []
    out: list[ColumnElement[bool]] = []
    if flt.type:
        out.append(events.c.type == _choice(flt.type.upper(), EVENT_TYPES, "event type"))
    if flt.status:
        out.append(events.c.status == _choice(flt.status.lower(), STATUSES, "status"))
    if flt.country:
        code = _country(flt.country)
        out.append(sa.or_(*(col == code for col in _COUNTRY_COLUMNS)))
    for value, column in ((flt.where, events.c.location_country),
                          (flt.source_country, events.c.source_country),
                          (flt.target_country, events.c.target_country)):
        if value:
            out.append(column == _country(value))
    if flt.actor:
        out.append(sa.or_(*(col.icontains(flt.actor, autoescape=True) for col in _ACTOR_COLUMNS)))
    # Each date bound is stated on both columns: the second condition follows from the
    # first (an event's start is never after its end), and it lets SQLite read only the
    # date range from the date_start index instead of every row.
    if flt.since:
        since = _day(flt.since, "since")
        out += [events.c.date_start >= since, events.c.date_end >= since]
    if flt.until:
        until = _day(flt.until, "until")
        out += [events.c.date_end <= until, events.c.date_start <= until]
    if flt.search:
        out.extend(_search(flt.search, fts=fts))
    if flt.article_id:
        out.append(events.c.article_id == flt.article_id)
    if flt.bbox is not None:
        out.extend(_bbox(flt.bbox))
    if flt.mode:
        out.append(events.c.mode == flt.mode.lower())
    if flt.precise_only:
        out.append(sa.or_(events.c.location_inferred.is_(None),
                          events.c.location_inferred == sa.false()))
    return out


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """``"west,south,east,north"`` (degrees) as four floats, checked."""
    parts = value.split(",")
    try:
        if len(parts) != 4:
            raise ValueError
        box = tuple(float(p) for p in parts)
    except ValueError:
        raise InputError(f"bbox {value!r} is not four numbers",
                         hint="write west,south,east,north in degrees, e.g. -80,0,-55,15") from None
    return _check_bbox(box)  # type: ignore[arg-type]


def _check_bbox(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    west, south, east, north = box
    if not all(-180 <= x <= 180 for x in (west, east)) or not all(-90 <= y <= 90 for y in (south, north)):
        raise InputError(f"bbox {box} is outside the world",
                         hint="longitudes lie in -180..180 and latitudes in -90..90")
    if south > north:
        raise InputError(f"bbox {box} has its south edge above its north edge",
                         hint="write west,south,east,north")
    return west, south, east, north


def _bbox(box: tuple[float, float, float, float]) -> list[ColumnElement[bool]]:
    """Conditions that the event's coordinates lie in the box (antimeridian-aware)."""
    west, south, east, north = _check_bbox(tuple(float(x) for x in box))  # type: ignore[arg-type]
    out = [events.c.lat.is_not(None), events.c.lat >= south, events.c.lat <= north]
    if west <= east:
        out += [events.c.lon >= west, events.c.lon <= east]
    else:
        out.append(sa.or_(events.c.lon >= west, events.c.lon <= east))
    return out


def order_by(order: str) -> tuple[ColumnElement[Any], ...]:
    """The ORDER BY of an ``order`` name: newest first, oldest first, or ingest order."""
    if order not in ORDERS:
        raise InputError(f"unknown order {order!r}", hint=f"use one of: {', '.join(ORDERS)}")
    return ORDERS[order]


def _search(text: str, *, fts: bool) -> list[ColumnElement[bool]]:
    """Conditions that every word of ``text`` occurs in the event's search text."""
    words = re.findall(r"\w+", text)
    if not words:
        return []
    if fts:
        query = " ".join(f'"{word}"*' for word in words)
        index = sa.table(FTS_TABLE, sa.column("rowid"))
        matching = sa.select(index.c.rowid).where(sa.literal_column(FTS_TABLE).op("MATCH")(query))
        return [events.c.pk.in_(matching)]
    return [events.c.search_text.icontains(word, autoescape=True) for word in words]


def _choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise InputError(f"unknown {what} {value!r}", hint=f"use one of: {', '.join(allowed)}")
    return value


def _country(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z]{3}", value):
        raise InputError(f"country {value!r} is not an ISO 3166-1 alpha-3 code",
                         hint="use three letters, e.g. USA, VEN, PSE")
    return value.upper()


def _day(value: str, what: str) -> str:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    raise InputError(f"{what} {value!r} is not a date", hint="write it as YYYY-MM-DD")
