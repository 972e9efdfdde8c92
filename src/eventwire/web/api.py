"""The REST API under ``/api``. (Filled in by the API work.)"""
from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
