"""The database schema and its migrations.

The schema is portable SQL (SQLite by default, PostgreSQL later): JSON is kept
as ``Text`` and every filterable field of an event is also a plain indexed
column. The one SQLite-only piece, the FTS5 search index, is created only on
SQLite builds that have FTS5; the store falls back to ``LIKE`` without it.

Migrations are an ordered list of functions. ``schema_version`` holds how
many of them a database has had; ``migrate`` applies the missing ones in one
transaction, so an upgrade is all or nothing. Migration 1 builds the tables
as defined below, current columns included; a later migration that adds
columns adds only those a database lacks, so a new database and an upgraded
old one end with the same tables.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from eventwire.errors import StoreError

FTS_TABLE = "event_fts"

Migration = Callable[[Connection], None]

metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version", metadata,
    sa.Column("version", sa.Integer, nullable=False),
)

# Raw bytes of every fetched page, so extraction can be re-run without refetching.
sources = sa.Table(
    "sources", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("final_url", sa.Text),
    sa.Column("fetched_at", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("status", sa.Integer),
    sa.Column("content_type", sa.Text),
    sa.Column("body", sa.LargeBinary, nullable=False),
    sa.UniqueConstraint("url", "sha256", name="uq_sources_url_sha256"),
    sa.Index("ix_sources_final_url", "final_url"),
)

articles = sa.Table(
    "articles", metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("doc_id", sa.Text, nullable=False),
    sa.Column("url", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("published", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("content_sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("raw_id", sa.Integer, sa.ForeignKey("sources.id")),
    sa.Column("source", sa.Text),
    sa.Column("ingested_at", sa.Text, nullable=False),
    sa.Column("coder_json", sa.Text),
    sa.Index("ix_articles_url", "url"),
    sa.Index("ix_articles_raw_id", "raw_id"),
    sa.Index("ix_articles_ingested_at", "ingested_at"),  # version 2: the article list
)

# ``pk`` gives a cheap ingest order (and the FTS rowid); ``id`` is the public id.
# date_start/date_end are the event's effective dates: its own time span when
# it has one, else the article's publication date, so date filters need no join.
events = sa.Table(
    "events", metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("id", sa.String(64), nullable=False, unique=True),
    sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id"), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("mode", sa.String(16)),
    sa.Column("source_name", sa.Text),
    sa.Column("source_text", sa.Text),
    sa.Column("source_country", sa.String(3)),
    sa.Column("target_name", sa.Text),
    sa.Column("target_text", sa.Text),
    sa.Column("target_country", sa.String(3)),
    sa.Column("location_country", sa.String(3)),
    sa.Column("date_start", sa.String(10)),
    sa.Column("date_end", sa.String(10)),
    # version 2: where and how precisely, for the map, the bbox filter and exports
    sa.Column("location_name", sa.Text),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("location_precision", sa.String(16)),
    sa.Column("location_inferred", sa.Boolean),
    sa.Column("time_text", sa.Text),
    sa.Column("time_granularity", sa.String(16)),
    sa.Column("date_reported", sa.String(10)),
    sa.Column("search_text", sa.Text, nullable=False),
    sa.Column("event_json", sa.Text, nullable=False),
    sa.Index("ix_events_article_id", "article_id"),
    sa.Index("ix_events_type", "type"),
    sa.Index("ix_events_status", "status"),
    sa.Index("ix_events_date_start", "date_start"),
    sa.Index("ix_events_date_end", "date_end"),
    # version 2: a filter column followed by the date, so that a filtered page newest first
    # reads only its rows from the index; names with their country, for the actor list; and
    # every day span by type, which the timeline counts without touching the table.
    sa.Index("ix_events_source_country_date", "source_country", "date_start"),
    sa.Index("ix_events_target_country_date", "target_country", "date_start"),
    sa.Index("ix_events_location_country_date", "location_country", "date_start"),
    sa.Index("ix_events_source_name_country", "source_name", "source_country"),
    sa.Index("ix_events_target_name_country", "target_name", "target_country"),
    sa.Index("ix_events_lat_lon_date", "lat", "lon", "date_start"),
    sa.Index("ix_events_type_date", "type", "date_start"),
    sa.Index("ix_events_span_type", "date_start", "date_end", "type"),
)

_V2_EVENT_COLUMNS = ("location_name", "lat", "lon", "location_precision", "location_inferred",
                     "time_text", "time_granularity", "date_reported")
_V2_QUOTE_COLUMNS = ("text", "speaker_country")
# Version-1 indexes that version 2 replaced with wider ones (same leading column).
_V1_INDEXES_REPLACED = ("ix_events_source_country", "ix_events_target_country",
                        "ix_events_location_country", "ix_events_source_name",
                        "ix_events_target_name")

quotes = sa.Table(
    "quotes", metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id"), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("speaker_name", sa.Text),
    sa.Column("text", sa.Text),  # version 2: for search by words
    sa.Column("speaker_country", sa.String(3)),
    sa.Column("quote_json", sa.Text, nullable=False),
    sa.Index("ix_quotes_article_id", "article_id"),
    sa.Index("ix_quotes_speaker_name", "speaker_name"),
)

ingest_failures = sa.Table(
    "ingest_failures", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("at", sa.Text, nullable=False),
)

_V1_TABLES = (sources, articles, events, quotes, ingest_failures)

# External-content FTS5: the index reads its text from events.search_text, and
# triggers keep it in step, so the store only ever writes to ``events``.
_FTS_DDL = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "search_text, content='events', content_rowid='pk')",
    f"CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.pk, new.search_text); END",
    f"CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
    "VALUES ('delete', old.pk, old.search_text); END",
)


def sqlite_has_fts5() -> bool:
    """Whether this Python's SQLite library can build FTS5 tables."""
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE probe USING fts5(x)")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()


def _create_v1(conn: Connection) -> None:
    """Version 1: every table, and the FTS5 search index where SQLite has it."""
    metadata.create_all(conn, tables=list(_V1_TABLES))
    if conn.dialect.name == "sqlite" and sqlite_has_fts5():
        for ddl in _FTS_DDL:
            conn.exec_driver_sql(ddl)


def _add_v2(conn: Connection) -> None:
    """Version 2: place, time-granularity and quote-text columns, filled from each row's JSON."""
    from eventwire.store.records import backfill_v2

    inspector = sa.inspect(conn)
    for table, names in ((events, _V2_EVENT_COLUMNS), (quotes, _V2_QUOTE_COLUMNS)):
        present = {c["name"] for c in inspector.get_columns(table.name)}
        for name in names:
            if name not in present:
                kind = table.c[name].type.compile(dialect=conn.dialect)
                conn.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {name} {kind}")
    for table in (events, articles):
        present_indexes = {i["name"] for i in inspector.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in present_indexes:
                index.create(conn)
        for name in set(_V1_INDEXES_REPLACED) & present_indexes:
            conn.exec_driver_sql(f"DROP INDEX {name}")
    backfill_v2(conn)


MIGRATIONS: tuple[Migration, ...] = (_create_v1, _add_v2)


def current_version(conn: Connection) -> int | None:
    """The database's schema version, or None when it has no version table."""
    if not sa.inspect(conn).has_table(schema_version.name):
        return None
    return conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() or 0


def migrate(conn: Connection, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Bring the database up to ``len(migrations)``; return the version reached.

    Runs inside the caller's transaction. Refuses a database written by a
    newer eventwire (it could hold data this code would misread) and a
    database that has tables but no version (not ours).
    """
    version = current_version(conn)
    if version is None:
        _check_empty(conn)
        schema_version.create(conn)
        conn.execute(schema_version.insert().values(version=0))
        version = 0
    if version > len(migrations):
        raise StoreError(
            f"the database has schema version {version}, newer than this eventwire "
            f"understands ({len(migrations)})",
            hint="upgrade eventwire, or use another database file")
    for number in range(version + 1, len(migrations) + 1):
        migrations[number - 1](conn)
        conn.execute(schema_version.update().values(version=number))
    return len(migrations)


def _check_empty(conn: Connection) -> None:
    """Refuse to add our tables to a database that already holds someone else's."""
    found = sa.inspect(conn).get_table_names()
    if found:
        raise StoreError(
            f"the database already has tables ({', '.join(sorted(found)[:5])}) "
            "but is not an eventwire store",
            hint="give a new file name, or the path of an existing eventwire database")


def has_fts(conn: Connection) -> bool:
    """Whether this database has the FTS5 search index (else search uses LIKE)."""
    return conn.dialect.name == "sqlite" and sa.inspect(conn).has_table(FTS_TABLE)
