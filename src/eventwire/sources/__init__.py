"""Where articles come from: files, web pages and feeds.

This stage knows nothing of extraction, the store or the command line. It
reads and fetches, and reports every problem as a typed error
(:class:`~eventwire.errors.InputError`, :class:`~eventwire.errors.FetchError`)
with a hint, never by printing.

* :mod:`.files` — :func:`iter_paths`, :func:`iter_inputs`: JSON Lines, text and HTML files;
* :mod:`.html` — :func:`html_to_article`: a page's article text and metadata (trafilatura);
* :mod:`.fetch` — :class:`Fetcher`, :class:`FetchPolicy`: polite, safe HTTP;
* :mod:`.feeds` — :func:`looks_like_feed`, :func:`parse_feed`: RSS and Atom.

Names are imported on first use, so that importing this package stays cheap
(trafilatura and httpx take about a second to import together).
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eventwire.sources.feeds import FeedEntry, looks_like_feed, parse_feed
    from eventwire.sources.fetch import Fetcher, FetchedPage, FetchPolicy
    from eventwire.sources.files import iter_inputs, iter_paths
    from eventwire.sources.html import (
        clean_text_lines,
        content_type_charset,
        html_to_article,
        load_boilerplate,
    )

_HOMES: dict[str, str] = {
    "iter_inputs": "files", "iter_paths": "files",
    "html_to_article": "html", "clean_text_lines": "html", "load_boilerplate": "html",
    "content_type_charset": "html",
    "Fetcher": "fetch", "FetchPolicy": "fetch", "FetchedPage": "fetch",
    "FeedEntry": "feeds", "looks_like_feed": "feeds", "parse_feed": "feeds",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    """Import the submodule that defines *name* when it is first asked for (PEP 562)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{home}"), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
