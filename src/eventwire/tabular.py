"""One flat row per stored event: the shape of CSV, Parquet and pandas output.

Tables need one value per cell, so nested fields are spread into columns
with fixed names (``source_name``, ``killed_min``, ``lat``) and lists are
joined (``attribution_kinds``). The column list is fixed and ordered, so a
CSV written today has the same header as one written next year on a store
with other events; a new column is only ever appended.

``evidence`` is the first mention's text: the sentence words an analyst
checks first. ``event_url`` is left to the caller (it needs a base URL).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from eventwire.model import Actor

if TYPE_CHECKING:
    import pandas

    from eventwire.store.records import StoredEvent

_ACTOR_FIELDS = ("name", "text", "country", "kind")
# The tolls researchers count; the other magnitude keys stay in the JSON exports.
_AMOUNT_KEYS = ("killed", "injured", "arrested", "displaced", "participants")

COLUMNS: tuple[str, ...] = (
    "event_id", "article_id", "type", "mode", "status",
    *(f"source_{f}" for f in _ACTOR_FIELDS), *(f"target_{f}" for f in _ACTOR_FIELDS),
    "location_name", "location_country", "lat", "lon", "location_precision",
    "location_inferred",
    "date_start", "date_end", "time_text", "time_granularity", "published",
    *(f"{k}_{b}" for k in _AMOUNT_KEYS for b in ("min", "max")),
    "attribution_kinds", "attribution_names", "trigger", "evidence", "evidence_start",
    "evidence_end", "article_title", "article_url",
)

# Column types for typed outputs (Parquet, pandas): everything else is text.
FLOAT_COLUMNS = frozenset({"lat", "lon", *(f"{k}_{b}" for k in _AMOUNT_KEYS
                                            for b in ("min", "max"))})
INT_COLUMNS = frozenset({"evidence_start", "evidence_end"})
BOOL_COLUMNS = frozenset({"location_inferred"})


def flat_event(stored: StoredEvent) -> dict[str, Any]:
    """The flat row of one stored event, with every column of ``COLUMNS``."""
    event = stored.event
    row: dict[str, Any] = {"event_id": stored.id, "article_id": stored.article_id,
                           "type": event.type, "mode": event.mode, "status": event.status}
    row.update(_actor("source", event.source))
    row.update(_actor("target", event.target))
    place = event.location
    row.update({
        "location_name": (place.name or place.text) if place else None,
        "location_country": place.country if place else None,
        "lat": place.lat if place else None, "lon": place.lon if place else None,
        "location_precision": place.precision if place else None,
        "location_inferred": bool(place.inferred) if place else None,
    })
    time = event.time
    row.update({
        "date_start": time.start if time else None,
        "date_end": (time.end or time.start) if time else None,
        "time_text": time.text if time else None,
        "time_granularity": time.granularity if time else None,
        "published": stored.published,
    })
    for key in _AMOUNT_KEYS:
        amount = event.magnitude.get(key)
        row[f"{key}_min"] = amount.min if amount else None
        row[f"{key}_max"] = amount.max if amount else None
    row["attribution_kinds"] = ";".join(a.kind for a in event.attribution) or None
    row["attribution_names"] = ";".join(a.name for a in event.attribution if a.name) or None
    first = event.mentions[0] if event.mentions else None
    row.update({"trigger": event.trigger, "evidence": first.text if first else None,
                "evidence_start": first.start if first else None,
                "evidence_end": first.end if first else None,
                "article_title": stored.article_title, "article_url": stored.article_url})
    return row


def flat_events(events: Iterable[StoredEvent]) -> Iterator[dict[str, Any]]:
    """Flat rows of many events, lazily."""
    return (flat_event(e) for e in events)


def to_pandas(events: Iterable[StoredEvent]) -> pandas.DataFrame:
    """A DataFrame with one row per event and the columns of ``COLUMNS``, typed.

    Dates stay ISO strings (some are partial, e.g. a month); convert with
    ``pandas.to_datetime(df.date_start)`` where every value is a day.
    """
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - pandas is a dependency
        raise ImportError("to_pandas() needs pandas: pip install pandas") from exc
    frame = pd.DataFrame(list(flat_events(events)), columns=list(COLUMNS))
    for column in FLOAT_COLUMNS:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    for column in INT_COLUMNS:
        frame[column] = frame[column].astype("Int64")
    for column in BOOL_COLUMNS:
        frame[column] = frame[column].astype("boolean")
    return frame


def _actor(role: str, actor: Actor | None) -> dict[str, Any]:
    return {f"{role}_{f}": (getattr(actor, f) if actor else None) for f in _ACTOR_FIELDS}

