"""The FastAPI application: routers, static files, offline API docs, error shape, security headers.

One JSON shape for every API error, whatever raised it::

    {"error": {"status": 422, "code": "invalid_parameter",
               "message": "...", "parameter": "bbox", "hint": "..."}}

Page routes (outside ``/api``) answer errors with an HTML page instead.

Every answer carries security headers (``SECURITY_HEADERS``), set by one
middleware so no route can forget them: article text is untrusted, and the
Content-Security-Policy is what keeps a script smuggled into an article from
running even if some template let it through. ``/docs`` alone goes without the
CSP, because Swagger UI's page starts with an inline script. A route may set
its own CSP (the archived-source route sets ``sandbox``); the middleware never
overwrites a header a route set.

``/docs`` reads the spec from ``/docs/openapi-3.0.json``, the same document
rewritten as OpenAPI 3.0, because the Swagger UI that swagger-ui-bundle ships
cannot display 3.1; ``/openapi.json`` stays 3.1.
"""
from __future__ import annotations

import copy
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from eventwire import __version__
from eventwire.store import Store
from eventwire.web import api, errors, pages
from eventwire.web.deps import Settings

SWAGGER_PREFIX = "/static/swagger"
DOCS_PATH = "/docs"
DOCS_SPEC_PATH = "/docs/openapi-3.0.json"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}

log = logging.getLogger("eventwire.web")


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
                  description="Events extracted from news, each traceable to its sentence. "
                              "Read-only, except POST /api/ingest on a server started with a "
                              "token. Every error has one shape: "
                              '{"error": {"status", "code", "message", "parameter"?, "hint"?}}.')
    app.state.store = store
    app.state.settings = settings
    app.state.extractor = None  # built on the first ingest (tests put a loaded one here)
    app.state.extract_lock = threading.Lock()
    app.include_router(api.router, prefix="/api")
    app.include_router(pages.router)
    app.mount(SWAGGER_PREFIX, StaticFiles(directory=_swagger_dir()), name="swagger")
    app.mount("/static", StaticFiles(packages=[("eventwire.web", "static")]), name="static")
    errors.install(app, page_error=getattr(pages, "error_page", None))
    app.add_middleware(CrashGuard)
    app.add_middleware(SecurityHeaders)

    @app.get(DOCS_PATH, include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=DOCS_SPEC_PATH, title="eventwire API",
            swagger_js_url=f"{SWAGGER_PREFIX}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER_PREFIX}/swagger-ui.css",
            swagger_favicon_url=f"{SWAGGER_PREFIX}/favicon-32x32.png",
            # no badge that sends our spec to validator.swagger.io: the docs stay offline
            swagger_ui_parameters={"validatorUrl": None})

    docs_spec: dict[str, Any] = {}

    @app.get(DOCS_SPEC_PATH, include_in_schema=False)
    def docs_openapi() -> JSONResponse:
        """The spec written as OpenAPI 3.0, which the packaged Swagger UI (4.x) can read."""
        if not docs_spec:
            docs_spec.update(openapi_30(app.openapi()))
        return JSONResponse(docs_spec)

    return app


def openapi_30(spec: dict[str, Any]) -> dict[str, Any]:
    """An OpenAPI 3.1 document (what FastAPI writes) rewritten for 3.0 readers.

    The Swagger UI that swagger-ui-bundle ships (4.15) refuses 3.1 documents
    outright, so /docs would show nothing. The differences our spec uses are
    few: ``null`` as a type (3.0 says ``nullable: true``), ``const``,
    ``examples`` lists in schemas, and numeric ``exclusiveMinimum``/``Maximum``.
    /openapi.json itself stays 3.1 for tools that read it.
    """
    out = _to_30(copy.deepcopy(spec))
    out["openapi"] = "3.0.3"
    out.pop("jsonSchemaDialect", None)
    out.pop("webhooks", None)
    return out


def _to_30(node: Any) -> Any:
    if isinstance(node, list):
        return [_to_30(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _to_30(value) for key, value in node.items()}
    for key in ("anyOf", "oneOf"):
        options = node.get(key)
        if isinstance(options, list) and {"type": "null"} in options:
            rest = [o for o in options if o != {"type": "null"}]
            node.pop(key)
            node["nullable"] = True
            if len(rest) == 1 and "$ref" in rest[0]:
                node["allOf"] = rest  # 3.0 ignores keys beside a $ref
            elif len(rest) == 1:
                node = {**rest[0], **node}
            elif rest:
                node[key] = rest
    kind = node.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        if len(kinds) < len(kind):
            node["nullable"] = True
        node["type"] = kinds[0] if len(kinds) == 1 else kinds
    if "const" in node:
        node["enum"] = [node.pop("const")]
    if isinstance(node.get("examples"), list) and "type" in node:
        examples = node.pop("examples")
        if examples:
            node["example"] = examples[0]
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        value = node.get(bound)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            node[limit] = value
            node[bound] = True
    return node


class SecurityHeaders:
    """Adds ``SECURITY_HEADERS`` to every HTTP answer (not the CSP on /docs), keeping any a route set.

    A plain ASGI middleware rather than Starlette's BaseHTTPMiddleware, so
    streamed downloads pass through untouched and unbuffered.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = _headers_for(scope.get("path", ""))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in wanted if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _headers_for(path: str) -> list[tuple[bytes, bytes]]:
    skip = {"content-security-policy"} if path == DOCS_PATH else set()
    return [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()
            if k.lower() not in skip]


class CrashGuard:
    """Turns an unexpected exception into a 500 in the error shape, logged with its traceback.

    Sits inside SecurityHeaders, so even a crash's answer carries the headers,
    and the client never sees a traceback. If the answer had already started
    (a download cut short), there is nothing left to send: it is only logged.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception:  # noqa: BLE001 - the last line of defence
            path = scope.get("path", "")
            log.exception("%s %s failed", scope.get("method", "?"), path)
            if started:
                return
            response: Any = errors.internal_error_response(path)
            await response(scope, receive, send)


def _swagger_dir() -> str:
    """Swagger UI's files as the swagger-ui-bundle package installs them."""
    import swagger_ui_bundle

    return swagger_ui_bundle.swagger_ui_path
