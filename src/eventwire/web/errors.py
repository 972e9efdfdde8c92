"""One error shape for the API; see ``eventwire.web.app``. (Filled in by the API work.)"""
from __future__ import annotations

from fastapi import FastAPI


def install(app: FastAPI) -> None:
    """Register the exception handlers that give every error the same JSON shape."""
