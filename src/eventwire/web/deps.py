"""What every route needs from the app: the store and the server's settings.

Routes take these through FastAPI dependencies rather than globals, so one
process can serve several apps (tests build one app per database).
"""
from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from eventwire.store import Store


@dataclass(frozen=True)
class Settings:
    """How the server was started. ``token`` None means read-only: no ingest."""

    db: str
    token: str | None = None
    model: str | None = None


def get_store(request: Request) -> Store:
    """The app's open store (opened once at start, shared by all requests)."""
    return request.app.state.store


def get_settings(request: Request) -> Settings:
    return request.app.state.settings
