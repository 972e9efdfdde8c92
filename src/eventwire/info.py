"""What ``eventwire info`` reports: versions, the spaCy model and the store's counts."""
from __future__ import annotations

import platform
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__
from .errors import EventwireError


def collect(db: str, model: str | None = None) -> dict[str, Any]:
    """Versions of eventwire and its main parts, the model it extracts with, and the db counts."""
    from .nlp.loader import DEFAULT_MODEL

    name = model or DEFAULT_MODEL
    data: dict[str, Any] = {
        "eventwire": __version__,
        "python": platform.python_version(),
        "spacy": _version("spacy"),
        "spacy_model": name,
        "spacy_model_version": _model_version(name),
        "trafilatura": _version("trafilatura"),
        "sqlalchemy": _version("SQLAlchemy"),
        "database": db,
    }
    data.update(_counts(db))
    return data


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _model_version(name: str) -> str | None:
    """The model's version from its package metadata or its meta.json, without loading it."""
    meta = Path(name) / "meta.json"
    if meta.is_file():
        import json

        return str(json.loads(meta.read_text(encoding="utf-8")).get("version"))
    return _version(name)


def _counts(db: str) -> dict[str, Any]:
    if "://" not in db and not Path(db).exists():
        return {"articles": 0, "events": 0, "quotes": 0, "sources": 0, "note": "database not created yet"}
    from .store import Store

    try:
        with Store(db) as store:
            return store.counts()
    except EventwireError as e:
        return {"error": str(e)}
