"""eventwire: turn news into evidence-backed event data.

    >>> import eventwire
    >>> doc = eventwire.extract("Police arrested 12 protesters in Nairobi on Tuesday.",
    ...                         published="2025-03-06")
    >>> doc.events[0].type
    'COERCE'

The public API is small: ``extract`` (one text → Document), ``ingest``
(sources → store) and ``open`` (a store to query). Heavy modules (spaCy,
SQLAlchemy, httpx) are imported on first use, so ``import eventwire`` and
``eventwire --help`` stay fast.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "extract", "ingest", "open", "Document", "Event", "Quote", "Actor",
           "EventwireError"]

from .errors import EventwireError
from .model import Actor, Document, Event, Quote

if TYPE_CHECKING:
    from .ingestion import IngestReport
    from .store import Store


def extract(text: str, published: str | None = None, *, doc_id: str = "text",
            title: str | None = None, url: str | None = None, model: str | None = None) -> Document:
    """Extract the events and quotes of one article text (``published`` as YYYY-MM-DD)."""
    from .nlp.pipeline import default_extractor
    from .model import Article

    return default_extractor(model).extract(Article(doc_id, text, title, published, url))


def ingest(*sources: str, db: str = "eventwire.db", **options: Any) -> IngestReport:
    """Fetch or read sources, extract them and store the results (see ``eventwire.ingestion``)."""
    from .ingestion import ingest as _ingest

    return _ingest(list(sources), db=db, **options)


def open(db: str = "eventwire.db") -> Store:  # noqa: A001 - mirrors sqlite3.connect-style naming
    """Open a store to query its articles, events and quotes."""
    from .store import Store

    return Store(db)
