"""The API's JSON shapes as pydantic models: what /openapi.json (and /docs) shows.

Routes build plain dicts and answer them directly, so a page of 500 events
is not validated field by field on every request; the tests check that real
answers validate against these models, which keeps the docs honest.

Models of the request body (``IngestRequest``) forbid unknown fields, so a
typo such as ``"publised"`` is a 422 rather than silently ignored.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_INGEST_ARTICLES = 100
MAX_INGEST_BYTES = 2 * 1024 * 1024


# --- pieces of an event ------------------------------------------------------------------

class ActorOut(BaseModel):
    text: str | None = Field(None, description="The words the article uses.")
    name: str | None = Field(None, description="Canonical name.")
    country: str | None = Field(None, description="ISO 3166-1 alpha-3 code.")
    kind: str | None = Field(None, description="government, military, police, rebels, …")


class PlaceOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    text: str | None = None
    name: str | None = None
    country: str | None = Field(None, description="ISO 3166-1 alpha-3 code.")
    lat: float | None = None
    lon: float | None = None
    precision: str | None = Field(None, description="point, city, admin1, country, region or sea.")
    inferred: bool | None = Field(None, description="Present (true) when the place comes from "
                                                    "the article's context, not the event's sentence.")


class TimeOut(BaseModel):
    text: str | None = None
    start: str | None = Field(None, description="First day (YYYY-MM-DD), inclusive.")
    end: str | None = Field(None, description="Last day (YYYY-MM-DD), inclusive.")
    granularity: str | None = None


class AmountOut(BaseModel):
    text: str | None = None
    min: float | None = None
    max: float | None = None
    unit: str | None = None


class AttributionOut(BaseModel):
    text: str | None = None
    name: str | None = None
    kind: str
    count: int | None = None


class SpanOut(BaseModel):
    start: int = Field(description="Offset in the article text (Python indices).")
    end: int = Field(description="End offset, exclusive.")
    text: str


class ArticleRef(BaseModel):
    id: str
    title: str | None = None
    url: str | None = None
    published: str | None = None


class EventOut(BaseModel):
    """One event: the extracted record, plus where it came from and its page."""

    id: str = Field(description="Store id: <article id>-<event id in its document>.")
    type: str
    mode: str | None = None
    status: str
    source: ActorOut | None = None
    target: ActorOut | None = None
    location: PlaceOut | None = None
    time: TimeOut | None = None
    magnitude: dict[str, AmountOut] = Field(default_factory=dict)
    attribution: list[AttributionOut] = Field(default_factory=list)
    mentions: list[SpanOut] = Field(default_factory=list, description="The evidence sentences.")
    trigger: str | None = None
    article_id: str
    article_title: str | None = None
    article_url: str | None = None
    published: str | None = None
    url: str = Field(description="The event's page on this server.")


class EventDetail(EventOut):
    article: ArticleRef
    coder: dict[str, Any] | None = Field(None, description="What extracted it (versions).")


class Page(BaseModel):
    total: int = Field(description="Matches over all pages.")
    limit: int
    offset: int
    next: str | None = Field(None, description="Relative URL of the next page; null on the last.")


class EventPage(Page):
    items: list[EventOut]


# --- articles and quotes -----------------------------------------------------------------

class ArticleSummaryOut(BaseModel):
    id: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    ingested_at: str
    events: int
    quotes: int


class ArticlePage(Page):
    items: list[ArticleSummaryOut]


class QuoteOut(BaseModel):
    id: int
    article_id: str
    article_title: str | None = None
    text: str
    type: str = Field(description="direct or indirect.")
    start: int
    end: int
    speaker: ActorOut | None = None
    cue: str | None = None


class QuotePage(Page):
    items: list[QuoteOut]


class ArticleDetail(BaseModel):
    id: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    text: str
    coder: dict[str, Any] | None = None
    archived: str | None = Field(None, description="Where the archived source bytes are, if kept.")
    events: list[EventOut]
    quotes: list[QuoteOut]


# --- actors, counts, health --------------------------------------------------------------

class ActorCountOut(BaseModel):
    name: str
    country: str | None = None
    events: int
    acts: int = Field(description="Events where it acts (source).")
    targeted: int = Field(description="Events where it is acted on (target).")
    url: str = Field(description="The events page filtered on this actor.")


class ActorPage(BaseModel):
    limit: int
    offset: int
    items: list[ActorCountOut]
    next: str | None = None


class CountItem(BaseModel):
    key: str | None = Field(description="The group (a day, month, type, country…); null for none.")
    count: int


class CountsOut(BaseModel):
    by: str
    items: list[CountItem]


class HealthOut(BaseModel):
    status: str
    version: str
    counts: dict[str, int]


# --- ingest ------------------------------------------------------------------------------

class IngestArticle(BaseModel):
    """One article to extract and store."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="The article's clean text (the extractor "
                                                "refuses texts over its length limit).")
    title: str | None = Field(None, max_length=2000)
    url: str | None = Field(None, max_length=2000, description="Its http(s) address, if any.")
    published: str | None = Field(None, description="Publication date, YYYY-MM-DD (or ISO 8601).")

    @field_validator("text")
    @classmethod
    def _has_words(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the text is blank")
        return value

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlparse(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("give an http:// or https:// address")
        return value

    @field_validator("published")
    @classmethod
    def _iso_date(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            if re.match(r"\d{4}-\d{2}-\d{2}", value):
                date.fromisoformat(value[:10])
                return value
        except ValueError:
            pass
        raise ValueError("write the date as YYYY-MM-DD")


class IngestRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    articles: list[IngestArticle] = Field(min_length=1, max_length=MAX_INGEST_ARTICLES)


class IngestFailed(BaseModel):
    index: int = Field(description="Position of the article in the request.")
    error: str


class IngestResult(BaseModel):
    stored: int
    duplicates: int
    article_ids: list[str] = Field(description="Ids of the stored and already-stored articles, "
                                               "in request order.")
    failed: list[IngestFailed]


# --- errors ------------------------------------------------------------------------------

class ErrorDetail(BaseModel):
    status: int
    code: str = Field(description="invalid_parameter, not_found, unauthorized, …")
    message: str
    parameter: str | None = Field(None, description="The parameter or body field at fault.")
    hint: str | None = Field(None, description="What to do about it.")


class ErrorOut(BaseModel):
    error: ErrorDetail
