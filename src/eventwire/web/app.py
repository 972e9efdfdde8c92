"""The FastAPI application: routers, static files, offline API docs, error shape.

One JSON shape for every API error, whatever raised it::

    {"error": {"status": 422, "code": "invalid_parameter",
               "message": "...", "parameter": "bbox", "hint": "..."}}

Page routes (outside ``/api``) answer errors with an HTML page instead.
"""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from eventwire import __version__
from eventwire.store import Store
from eventwire.web import api, errors, pages
from eventwire.web.deps import Settings

SWAGGER_PREFIX = "/static/swagger"


def create_app(db: str, *, token: str | None = None, model: str | None = None) -> FastAPI:
    """The app serving the store at ``db``; with ``token``, ``POST /api/ingest`` is open to it."""
    settings = Settings(db=db, token=token or None, model=model)
    store = Store(db)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(title="eventwire", version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json",
                  description="Events extracted from news, each traceable to its sentence.")
    app.state.store = store
    app.state.settings = settings
    app.include_router(api.router, prefix="/api")
    app.include_router(pages.router)
    app.mount(SWAGGER_PREFIX, StaticFiles(directory=_swagger_dir()), name="swagger")
    app.mount("/static", StaticFiles(packages=[("eventwire.web", "static")]), name="static")
    errors.install(app)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json", title="eventwire API",
            swagger_js_url=f"{SWAGGER_PREFIX}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER_PREFIX}/swagger-ui.css",
            swagger_favicon_url=f"{SWAGGER_PREFIX}/favicon-32x32.png")

    return app


def _swagger_dir() -> str:
    """Swagger UI's files as the swagger-ui-bundle package installs them."""
    import swagger_ui_bundle

    return swagger_ui_bundle.swagger_ui_path
