"""One error shape for the API, whatever raised the error.

Every error under ``/api`` answers::

    {"error": {"status": 422, "code": "invalid_parameter",
               "message": "...", "parameter": "bbox", "hint": "..."}}

so a client needs one branch for all failures: a bad query parameter
(ours or FastAPI's own validation), an unknown id or path, a wrong method, a
too-large upload, a missing token, or a bug (500, with no traceback: that goes
to the server log only). ``parameter`` is present only when one parameter or
body field is at fault.

Page routes (outside ``/api``) answer with an HTML page instead: the pages
module's ``error_page(status, message, hint)`` when it has one, else a bare
page (also the fallback should that renderer itself fail).
"""
from __future__ import annotations

import html
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from eventwire.errors import EventwireError, InputError

API_PREFIX = "/api"
log = logging.getLogger("eventwire.web")

# The machine-readable code of each status a client may meet.
CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_parameter",
    500: "internal_error",
    503: "unavailable",
}

PageErrorRenderer = Callable[[int, str, "str | None"], Response]


@dataclass
class ApiError(Exception):
    """An error a route raises on purpose; becomes the one JSON shape.

    ``code`` defaults to the status's code (``CODES``); ``headers`` are sent
    with the answer (``WWW-Authenticate`` for 401, ``Allow`` for 405).
    """

    status: int
    message: str
    parameter: str | None = None
    hint: str | None = None
    code: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message


def bad_parameter(parameter: str, error: InputError | str, hint: str | None = None) -> ApiError:
    """The 422 for one query parameter, from the store's InputError or a message."""
    if isinstance(error, InputError):
        return ApiError(422, f"{parameter}: {error.message}", parameter=parameter,
                        hint=error.hint or hint)
    return ApiError(422, f"{parameter}: {error}", parameter=parameter, hint=hint)


def not_found(what: str, hint: str | None = None) -> ApiError:
    return ApiError(404, f"{what} was not found", hint=hint)


def error_body(status: int, message: str, *, code: str | None = None,
               parameter: str | None = None, hint: str | None = None) -> dict[str, Any]:
    """The JSON body of an error: ``parameter`` and ``hint`` only when there is one."""
    inner: dict[str, Any] = {"status": status, "code": code or CODES.get(status, _slug(status)),
                             "message": message}
    if parameter:
        inner["parameter"] = parameter
    if hint:
        inner["hint"] = hint
    return {"error": inner}


def error_response(status: int, message: str, *, code: str | None = None,
                   parameter: str | None = None, hint: str | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, message, code=code, parameter=parameter, hint=hint),
                        status_code=status, headers=headers)


def is_api(path: str) -> bool:
    """Whether a request path belongs to the API (and so gets JSON errors)."""
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


def field_name(loc: Sequence[str | int]) -> str:
    """A validation error's location as a client writes it.

    ``("query", "limit")`` → ``limit``; ``("body", "articles", 0, "text")``
    → ``articles[0].text``; ``("body",)`` → ``body``.
    """
    parts = list(loc)
    if len(parts) > 1 and parts[0] in ("query", "path", "header", "cookie", "body"):
        parts = parts[1:]
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "body"


def validation_error(errors: Sequence[dict[str, Any]], hints: dict[str, str] | None = None) -> ApiError:
    """The 422 of a pydantic/FastAPI validation failure, naming its first bad field."""
    if not errors:
        return ApiError(422, "the request is not valid")
    first = errors[0]
    name = field_name(first.get("loc") or ())
    message = f"{name}: {first.get('msg', 'is not valid')}"
    given = first.get("input")
    if first.get("type") == "missing":
        message = f"{name} is required"
    elif isinstance(given, (str, int, float)) and not isinstance(given, bool):
        message += f" (got {_short(given)!r})"
    if len(errors) > 1:
        message += f"; {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''} in this request"
    hint = (hints or {}).get(name)
    return ApiError(422, message, parameter=name, hint=hint)


# Hints for FastAPI's own validation failures, by parameter name.
PARAMETER_HINTS: dict[str, str] = {
    "limit": "give a whole number from 1 to 500, and page with offset",
    "offset": "give a whole number, 0 or more (use the `next` link of the previous page)",
    "precise": "write true or false",
    "by": "to filter counts on who acted, use source_country=ISO3 (by names the grouping here)",
}


def install(app: FastAPI, *, page_error: PageErrorRenderer | None = None) -> None:
    """Register the handlers that give every error the same shape.

    Errors of page routes go to ``page_error`` (the pages module's renderer)
    or a minimal HTML page.
    """
    def answer(request: Request, err: ApiError) -> Response:
        if is_api(request.url.path):
            return error_response(err.status, err.message, code=err.code, parameter=err.parameter,
                                  hint=err.hint, headers=err.headers or None)
        response = _page(page_error, err)
        for key, value in err.headers.items():
            response.headers.setdefault(key, value)
        return response

    async def on_api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return answer(request, exc)

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return answer(request, validation_error(exc.errors(), PARAMETER_HINTS))

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        return answer(request, from_http_exception(exc, request))

    async def on_input(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, InputError)
        return answer(request, ApiError(422, exc.message, hint=exc.hint))

    async def on_eventwire(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, EventwireError)
        log.error("%s %s failed: %s", request.method, request.url.path, exc)
        return answer(request, ApiError(503, "the server cannot answer this request now",
                                        hint="try again later; the server log says why"))

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(InputError, on_input)
    app.add_exception_handler(EventwireError, on_eventwire)


def from_http_exception(exc: StarletteHTTPException, request: Request) -> ApiError:
    """An ApiError for Starlette's own errors (unknown path, wrong method) and routes' HTTPExceptions."""
    status = exc.status_code
    headers = dict(exc.headers or {})
    detail = exc.detail if isinstance(exc.detail, str) else None
    if status == 404:
        return ApiError(404, f"no such resource: {request.url.path}",
                        hint="see /docs for the API's paths" if is_api(request.url.path) else None,
                        headers=headers)
    if status == 405:
        allowed = headers.get("Allow") or headers.get("allow")
        return ApiError(405, f"{request.method} is not allowed on {request.url.path}",
                        hint=f"use {allowed}" if allowed else None, headers=headers)
    phrase = _phrase(status)
    message = detail if detail and detail != phrase else phrase
    return ApiError(status, message, headers=headers)


def internal_error_response(request_path: str) -> Response:
    """What a request that crashed gets: the shape under /api, a plain page elsewhere."""
    message = "the server failed to answer this request"
    hint = "this is a bug in eventwire: the server log has the details"
    if is_api(request_path):
        return error_response(500, message, hint=hint)
    return HTMLResponse(_page_html(500, message), status_code=500)


def _page(render: PageErrorRenderer | None, err: ApiError) -> Response:
    """The pages' own error page, or the bare one when there is none or it fails."""
    if render is not None:
        try:
            return render(err.status, err.message, err.hint)
        except Exception:  # noqa: BLE001 - an error page must always come back
            log.exception("the pages' error_page failed; answering with a bare page")
    return HTMLResponse(_page_html(err.status, err.message), status_code=err.status)


def _page_html(status: int, message: str) -> str:
    title = f"{status} {_phrase(status)}"
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)} · eventwire</title></head><body>"
            f"<h1>{html.escape(title)}</h1><p>{html.escape(message)}</p>"
            "<p><a href=\"/events\">Back to the events</a></p></body></html>")


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _slug(status: int) -> str:
    return _phrase(status).lower().replace(" ", "_").replace("-", "_")


def _short(value: str | int | float, limit: int = 80) -> str | int | float:
    """A given value as echoed in a message: long strings cut, so messages stay short."""
    if isinstance(value, str) and len(value) > limit:
        return value[:limit] + "…"
    return value
