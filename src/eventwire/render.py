"""Text renderings of stored events for the command line: table, CSV, JSON Lines, one event.

Flat rows (``flat_row``) are shared by the table and CSV so both show the
same columns; JSON Lines carry the whole event record plus its article.
"""
from __future__ import annotations

import csv
import json
import shutil
import textwrap
from typing import Any, TextIO

from .model import Actor, Event
from .store import StoredEvent

COLUMNS = ("id", "date", "type", "status", "source", "target", "place", "killed", "title")


def _actor(actor: Actor | None) -> str:
    if actor is None:
        return ""
    name = actor.name or actor.text or ""
    return f"{name} ({actor.country})" if actor.country else name


def _date(item: StoredEvent) -> str:
    time = item.event.time
    if time and time.start:
        return time.start if time.end in (None, time.start) else f"{time.start}..{time.end}"
    return item.published or ""


def flat_row(item: StoredEvent) -> dict[str, Any]:
    """One event as a flat row of the main fields."""
    e = item.event
    killed = e.magnitude.get("killed")
    return {
        "id": item.id, "date": _date(item), "type": e.type, "status": e.status,
        "source": _actor(e.source), "target": _actor(e.target),
        "place": _place_short(e),
        "killed": "" if killed is None else _amount(killed.min, killed.max),
        "title": item.article_title or "",
    }


def _place_short(e: Event) -> str:
    """The place's name; "~" marks one taken from the article's context, not the sentence."""
    loc = e.location
    if loc is None:
        return ""
    return ("~" if loc.inferred else "") + (loc.name or loc.text or "")


def _amount(low: float | None, high: float | None) -> str:
    fmt = lambda x: "" if x is None else f"{x:g}"  # noqa: E731
    if low == high:
        return fmt(low)
    return f"{fmt(low)}+" if high is None else f"{fmt(low)}-{fmt(high)}"


def events(rows: list[StoredEvent], fmt: str, out: TextIO) -> None:
    """Write events as a table, CSV or JSON Lines."""
    if fmt == "jsonl":
        for item in rows:
            out.write(json.dumps(event_json(item), ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(flat_row(item) for item in rows)
    else:
        _table([flat_row(item) for item in rows], out)


def event_json(item: StoredEvent) -> dict[str, Any]:
    """The event record with the article it came from."""
    return {**item.event.to_dict(), "article": {"id": item.article_id, "title": item.article_title,
                                                "url": item.article_url, "published": item.published}}


def _table(rows: list[dict[str, Any]], out: TextIO) -> None:
    if not rows:
        out.write("no events match\n")
        return
    width = shutil.get_terminal_size((160, 20)).columns
    caps = {"id": 22, "date": 22, "type": 9, "status": 12, "source": 28, "target": 28,
            "place": 18, "killed": 6, "title": 40}
    widths = {c: min(caps[c], max(len(c), *(len(str(r[c])) for r in rows))) for c in COLUMNS}
    shown = []
    for col in COLUMNS:
        if sum(widths[c] + 2 for c in shown) + widths[col] <= width or not shown:
            shown.append(col)
    line = lambda r: "  ".join(_fit(str(r[c]), widths[c]) for c in shown).rstrip()  # noqa: E731
    out.write(line({c: c.upper() for c in COLUMNS}) + "\n")
    for row in rows:
        out.write(line(row) + "\n")


def _fit(text: str, width: int) -> str:
    text = " ".join(text.split())
    return (text[: width - 1] + "…") if len(text) > width else text.ljust(width)


def show(item: StoredEvent, out: TextIO) -> None:
    """One event for reading: fields, then evidence sentences, then the article."""
    e: Event = item.event
    fields = [
        ("event", item.id), ("type", e.type + (f" ({e.mode})" if e.mode else "")),
        ("status", e.status), ("source", _actor_long(e.source)), ("target", _actor_long(e.target)),
        ("place", _place(e)), ("time", _time(e)),
        ("magnitude", "; ".join(f"{k}: {v.text or _amount(v.min, v.max)}" for k, v in e.magnitude.items())),
        ("attribution", "; ".join(f"{a.kind}: {a.name or a.text or ''}".rstrip(": ") +
                                  (f" (×{a.count})" if a.count else "") for a in e.attribution)),
    ]
    for label, value in fields:
        out.write(f"{label:<12} {value or '—'}\n")
    out.write("\nevidence\n")
    for m in e.mentions:
        text = item.text[m.start:m.end] if item.text else m.text
        out.write(textwrap.indent(textwrap.fill(f"[{m.start}:{m.end}] {text}", 96), "  ") + "\n")
    out.write(f"\narticle      {item.article_title or '(no title)'}\n")
    out.write(f"url          {item.article_url or '—'}\n")
    out.write(f"published    {item.published or '—'}\n")


def _actor_long(actor: Actor | None) -> str:
    if actor is None:
        return ""
    parts = [actor.name or actor.text or ""]
    extra = ", ".join(x for x in (actor.kind, actor.country) if x)
    if extra:
        parts.append(f"[{extra}]")
    if actor.text and actor.text != actor.name:
        parts.append(f"— “{actor.text}”")
    return " ".join(parts)


def _place(e: Event) -> str:
    loc = e.location
    if loc is None:
        return ""
    where = ", ".join(x for x in (loc.name, loc.country) if x)
    point = f" ({loc.lat:.2f}, {loc.lon:.2f})" if loc.lat is not None and loc.lon is not None else ""
    if loc.inferred:
        return f"{where}{point} (from the article's context, not the event's sentence)"
    return f"{where}{point} — “{loc.text}”" if loc.text else where + point


def _time(e: Event) -> str:
    t = e.time
    if t is None:
        return ""
    span = t.start if t.start == t.end else f"{t.start or '?'} .. {t.end or '?'}"
    return f"{span} — “{t.text}”" if t.text else span
