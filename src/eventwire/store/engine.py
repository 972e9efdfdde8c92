"""Opening a database: URLs, SQLite settings, and errors that say what to do.

SQLite gets WAL (readers never wait for the writer), foreign keys, and a busy
timeout (a second writer waits instead of failing). pysqlite's own implicit
transactions are switched off and replaced by explicit ``BEGIN``s, so that a
transaction covers its reads too; write transactions use ``BEGIN IMMEDIATE``,
which takes the write lock up front instead of failing half-way when another
process wrote in between.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from eventwire.errors import StoreError

BUSY_TIMEOUT_MS = 10_000
WRITE_OPTION = "eventwire_write"


def to_url(target: str | Path) -> URL:
    """A SQLAlchemy URL: strings with ``://`` are URLs, anything else a SQLite path."""
    if isinstance(target, str) and "://" in target:
        try:
            return sa.make_url(target)
        except sa.exc.ArgumentError as exc:
            raise StoreError(f"cannot read database URL {target!r}: {exc}",
                             hint="write sqlite:///PATH, postgresql+psycopg://USER@HOST/DB, "
                                  "or a plain file path") from exc
    return URL.create("sqlite", database=str(target))


def create_engine(url: URL) -> Engine:
    """An engine for ``url``, with the SQLite settings above when it is SQLite."""
    try:
        engine = sa.create_engine(url)
    except (ImportError, sa.exc.NoSuchModuleError, sa.exc.ArgumentError) as exc:
        raise StoreError(f"cannot use database {describe(url)}: {exc}",
                         hint="install the database driver the URL names "
                              "(e.g. pip install psycopg for postgresql+psycopg)") from exc
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def describe(url: URL) -> str:
    """The URL as shown in messages: a plain path for SQLite, never a password."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def open_error(url: URL, exc: sa.exc.DBAPIError) -> StoreError:
    """The StoreError for a database that cannot be opened, with a likely fix."""
    reason = str(exc.orig) if exc.orig is not None else str(exc)
    if "not a database" in reason or "malformed" in reason:
        hint = "this file is not an eventwire database: give a new file name or another path"
    elif url.get_backend_name() == "sqlite":
        hint = "check that the directory exists and that you may write to it"
    else:
        hint = "check that the database server is running and that the URL is right"
    return StoreError(f"cannot open database {describe(url)}: {reason}", hint=hint)


def _configure_sqlite(engine: Engine) -> None:
    sa.event.listen(engine, "connect", _on_sqlite_connect)
    sa.event.listen(engine, "begin", _on_sqlite_begin)


def _on_sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
    finally:
        cursor.close()


def _on_sqlite_begin(conn: sa.Connection) -> None:
    write = conn.get_execution_options().get(WRITE_OPTION)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
