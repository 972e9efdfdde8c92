"""Exports of stored events: CSV, JSON Lines, Parquet, GeoJSON, ACLED-like CSV, PLOVER-like JSON.

(Interface fixed here; the writers are filled in by the exports work.)

    from eventwire.export import write
    with open("events.csv", "wb") as out:
        n = write("csv", store.iter_events(flt), out)

Every writer streams: it takes an iterable of ``StoredEvent`` and a binary
file, and never holds the whole export in memory (Parquet writes row groups).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO

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


def write(fmt: str, events: Iterable[StoredEvent], out: BinaryIO) -> int:
    """Write ``events`` to ``out`` in format ``fmt``; return how many were written."""
    raise NotImplementedError(fmt)
