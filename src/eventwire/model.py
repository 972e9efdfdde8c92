"""Typed records for everything eventwire reads, extracts and stores.

The records are plain dataclasses so that every stage can build them cheaply
and tests can compare them. Dicts exist only at the JSON boundary:
``to_dict()`` gives exactly the shape of ``data/document.schema.json`` (plus a
few documented extra keys, which the schema allows), and ``from_dict()`` reads
it back. This module imports nothing else of the project.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

EVENT_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
STATUSES: tuple[str, ...] = (
    "occurred", "planned", "threatened", "offered", "hypothetical", "denied", "negated",
)
ACTOR_KINDS: tuple[str, ...] = (
    "government", "military", "police", "rebels", "criminal", "party", "civilians", "media",
    "igo", "ngo", "business", "religious", "other",
)
MODES: dict[str, tuple[str, ...]] = {
    "ASSAULT": ("aerial", "drone", "naval", "firearms", "explosives", "suicide", "beating",
                "abduction", "clash", "other"),
    "COERCE": ("arrest", "seize", "ban", "curfew", "deport", "censor", "other"),
    "PROTEST": ("demonstrate", "riot", "strike", "hunger", "boycott", "other"),
    "SANCTION": ("economic", "diplomatic", "legal", "reward", "other"),
    "MOBILIZE": ("military", "police", "militia", "other"),
    "AID": ("humanitarian", "economic", "military", "asylum", "other"),
}
MAGNITUDE_KEYS: tuple[str, ...] = (
    "killed", "injured", "arrested", "displaced", "participants", "events", "vessels",
    "aircraft", "personnel", "money",
)
ATTRIBUTION_KINDS: tuple[str, ...] = (
    "official", "spokesperson", "media", "anonymous", "witness", "document", "organization",
    "unattributed",
)
PRECISIONS: tuple[str, ...] = ("point", "city", "admin1", "country", "region", "sea")


@dataclass
class Span:
    """A piece of the article text: ``text[start:end]`` (Python indices, end exclusive)."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Span:
        return cls(int(d["start"]), int(d["end"]), d.get("text") or "")


@dataclass
class Actor:
    """Who acts or is acted on: the words used, a canonical name, a country, a kind."""

    text: str | None
    name: str | None
    country: str | None = None
    kind: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "name": self.name, "country": self.country, "kind": self.kind}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Actor | None:
        if not d:
            return None
        return cls(d.get("text"), d.get("name"), d.get("country"), d.get("kind"))


@dataclass
class Place:
    """Where an event happened, resolved as far as the gazetteer allows."""

    text: str | None
    name: str | None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: str | None = None
    inferred: bool = False  # taken from the article's context, not from the event's own sentence

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"text": self.text, "name": self.name, "country": self.country,
                             "lat": self.lat, "lon": self.lon, "precision": self.precision}
        if self.inferred:
            d["inferred"] = True
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Place | None:
        if not d:
            return None
        return cls(d.get("text"), d.get("name"), d.get("country"), d.get("lat"), d.get("lon"),
                   d.get("precision"), bool(d.get("inferred", False)))


@dataclass
class TimeSpan:
    """A time expression and the inclusive ISO dates it resolves to (None when unknown)."""

    text: str | None
    start: str | None = None
    end: str | None = None
    granularity: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"text": self.text, "start": self.start, "end": self.end}
        if self.granularity:
            d["granularity"] = self.granularity
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> TimeSpan | None:
        if not d:
            return None
        return cls(d.get("text"), d.get("start"), d.get("end"), d.get("granularity"))


@dataclass
class Amount:
    """A number as written and its bounds: "at least 17" is min 17, max None."""

    text: str | None
    min: float | None
    max: float | None
    unit: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "min": _num(self.min), "max": _num(self.max), "unit": self.unit}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Amount:
        return cls(d.get("text"), d.get("min"), d.get("max"), d.get("unit"))


@dataclass
class Attribution:
    """Who the article credits for an event ("NBC News reported", "four sources")."""

    kind: str
    text: str | None = None
    name: str | None = None
    count: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "name": self.name, "kind": self.kind, "count": self.count}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Attribution:
        return cls(d["kind"], d.get("text"), d.get("name"), d.get("count"))


@dataclass
class Event:
    """One real-world action, with every field traceable to its mentions."""

    type: str
    status: str
    mentions: list[Span]
    source: Actor | None = None
    target: Actor | None = None
    mode: str | None = None
    location: Place | None = None
    time: TimeSpan | None = None
    magnitude: dict[str, Amount] = field(default_factory=dict)
    attribution: list[Attribution] = field(default_factory=list)
    trigger: str | None = None
    id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "mode": self.mode,
            "status": self.status,
            "source": self.source.to_dict() if self.source else None,
            "target": self.target.to_dict() if self.target else None,
            "location": self.location.to_dict() if self.location else None,
            "time": self.time.to_dict() if self.time else None,
            "magnitude": {k: v.to_dict() for k, v in self.magnitude.items()},
            "attribution": [a.to_dict() for a in self.attribution],
            "mentions": [m.to_dict() for m in self.mentions],
            "trigger": self.trigger,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        return cls(
            type=d["type"], status=d["status"],
            mentions=[Span.from_dict(m) for m in d.get("mentions") or []],
            source=Actor.from_dict(d.get("source")), target=Actor.from_dict(d.get("target")),
            mode=d.get("mode"), location=Place.from_dict(d.get("location")),
            time=TimeSpan.from_dict(d.get("time")),
            magnitude={k: Amount.from_dict(v) for k, v in (d.get("magnitude") or {}).items()},
            attribution=[Attribution.from_dict(a) for a in d.get("attribution") or []],
            trigger=d.get("trigger"), id=d.get("id") or "",
        )


@dataclass
class Quote:
    """Reported speech: the words (offsets exclude quotation marks), who said them, the cue."""

    text: str
    start: int
    end: int
    type: str
    speaker: Actor | None = None
    cue: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "type": self.type,
                "speaker": self.speaker.to_dict() if self.speaker else None, "cue": self.cue}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Quote:
        return cls(d["text"], int(d["start"]), int(d["end"]), d["type"],
                   Actor.from_dict(d.get("speaker")), d.get("cue"))


@dataclass
class Coder:
    """What produced a document, so that figures can be traced to a version."""

    version: str
    model: str
    model_version: str
    name: str = "eventwire"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version, "model": self.model,
                "model_version": self.model_version}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Coder | None:
        if not d:
            return None
        return cls(d.get("version", ""), d.get("model", ""), d.get("model_version", ""),
                   d.get("name", "eventwire"))


@dataclass
class Article:
    """Clean article text and its metadata. The text is fixed: every offset points into it."""

    doc_id: str
    text: str
    title: str | None = None
    published: str | None = None
    url: str | None = None
    site: str | None = None
    byline: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "url": self.url, "title": self.title,
                "published": self.published, "text": self.text}


@dataclass
class Document:
    """One article and what was extracted from it: one JSON Lines record of ``extract``."""

    article: Article
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    coder: Coder | None = None

    @property
    def doc_id(self) -> str:
        return self.article.doc_id

    def to_dict(self) -> dict[str, Any]:
        d = self.article.to_dict()
        d["events"] = [e.to_dict() for e in self.events]
        d["quotes"] = [q.to_dict() for q in self.quotes]
        if self.coder:
            d["coder"] = self.coder.to_dict()
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        article = Article(doc_id=str(d["doc_id"]), text=d["text"], title=d.get("title"),
                          published=d.get("published"), url=d.get("url"))
        return cls(article, [Event.from_dict(e) for e in d.get("events") or []],
                   [Quote.from_dict(q) for q in d.get("quotes") or []],
                   Coder.from_dict(d.get("coder")))


@dataclass
class RawPage:
    """The bytes of one fetched (or read) source, archived as they came."""

    url: str
    fetched_at: str
    body: bytes
    sha256: str
    status: int | None = None
    content_type: str | None = None
    final_url: str | None = None


def _num(x: float | None) -> float | int | None:
    """Write whole numbers as ints so that JSON reads ``17``, not ``17.0``."""
    if x is None:
        return None
    return int(x) if float(x).is_integer() else x
