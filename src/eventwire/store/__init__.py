"""Persistence: archived sources, articles, their events and quotes.

    from eventwire.store import Store, EventFilter
    with Store("eventwire.db") as store:
        store.add_document(doc)
        for hit in store.events(EventFilter(type="assault", country="VEN")):
            print(hit.id, hit.event.type, hit.published)

SQLite by default (a path, or ``sqlite:///PATH``); any SQLAlchemy URL such as
``postgresql+psycopg://…`` names another database.
"""
from __future__ import annotations

from eventwire.store.filters import EventFilter
from eventwire.store.records import (ActorCount, IngestFailure, StoredArticle, StoredEvent,
                                     StoredQuote, article_id_for)
from eventwire.store.store import Store

__all__ = [
    "ActorCount",
    "EventFilter",
    "IngestFailure",
    "Store",
    "StoredArticle",
    "StoredEvent",
    "StoredQuote",
    "article_id_for",
]
