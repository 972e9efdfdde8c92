"""The web server: a read-only REST API under ``/api`` and server-rendered pages.

    from eventwire.web import create_app
    app = create_app("eventwire.db")          # an ASGI app; `eventwire serve` runs it

Everything the browser loads is served from the installed packages (our own
``static/`` folder, Swagger UI's assets from ``swagger-ui-bundle``, country
shapes read from a packaged Natural Earth file), so it works with no
internet connection.
"""
from __future__ import annotations

from eventwire.web.app import create_app

__all__ = ["create_app"]
