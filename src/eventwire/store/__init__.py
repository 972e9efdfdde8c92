"""Persistence: archived sources, articles, their events and quotes.

    from eventwire.store import Store, EventFilter
    with Store("eventwire.db") as store:
        store.add_document(doc)
        for hit in store.events(type="assault", where="VEN", limit=50):
            print(hit.id, hit.event.type, hit.published)
        frame = store.events(country="VEN", limit=None).to_pandas()

SQLite by default (a path, or ``sqlite:///PATH``); any SQLAlchemy URL such as
``postgresql+psycopg://…`` names another database.
"""
from __future__ import annotations

from eventwire.store.filters import EventFilter, parse_bbox
from eventwire.store.records import (ActorCount, ArticleSummary, EventList, IngestFailure,
                                     StoredArticle, StoredEvent, StoredQuote, article_id_for)
from eventwire.store.store import Store

__all__ = [
    "ActorCount",
    "ArticleSummary",
    "EventFilter",
    "EventList",
    "IngestFailure",
    "Store",
    "StoredArticle",
    "StoredEvent",
    "StoredQuote",
    "article_id_for",
    "parse_bbox",
]
