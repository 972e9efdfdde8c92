"""Tests of eventwire.store on real SQLite files."""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

import eventwire.store
from eventwire.errors import InputError, StoreError
from eventwire.model import (Actor, Amount, Article, Attribution, Coder, Document, Event, Place,
                             Quote, RawPage, Span, TimeSpan)
from eventwire.store import EventFilter, Store, StoredEvent, article_id_for
from eventwire.store import engine as db
from eventwire.store import schema

STRIKE_TEXT = (
    "WASHINGTON — The U.S. military struck a boat off the coast of Venezuela on Monday, "
    "killing three people aboard, President Donald Trump said. The vessel was operated by "
    "Tren de Aragua, he said, calling the crew \"narcoterrorists.\" Nicolás Maduro accused "
    "Washington of an illegal act of aggression. The Pentagon plans to send two more "
    "warships to Puerto Rico next week, according to two officials."
)
PROTEST_TEXT = (
    "NAIROBI, Kenya — Thousands of protesters marched on parliament in Nairobi on Tuesday "
    "against a proposed finance bill. Police arrested about 50 people, the Law Society of "
    "Kenya said."
)


def span(text: str, phrase: str) -> Span:
    """The span of ``phrase`` in ``text``, as the extractor would give it."""
    start = text.index(phrase)
    return Span(start, start + len(phrase), phrase)


def strike_doc() -> Document:
    """A US boat strike story: an assault, an accusation, a planned deployment, a quote."""
    t = STRIKE_TEXT
    us_military = Actor("The U.S. military", "United States Armed Forces", "USA", "military")
    assault = Event(
        type="ASSAULT", mode="naval", status="occurred",
        mentions=[span(t, "The U.S. military struck a boat off the coast of Venezuela on Monday, "
                          "killing three people aboard")],
        source=us_military,
        target=Actor("Tren de Aragua", "Tren de Aragua", "VEN", "criminal"),
        location=Place("off the coast of Venezuela", "Caribbean Sea", None, 15.0, -66.0, "sea"),
        time=TimeSpan("on Monday", "2025-09-15", "2025-09-15", "day"),
        magnitude={"killed": Amount("three people", 3, 3)},
        attribution=[Attribution("official", "President Donald Trump said", "Donald Trump")],
        trigger="struck", id="e1")
    accuse = Event(
        type="ACCUSE", status="occurred",
        mentions=[span(t, "Nicolás Maduro accused Washington of an illegal act of aggression")],
        source=Actor("Nicolás Maduro", "Nicolás Maduro", "VEN", "government"),
        target=Actor("Washington", "United States", "USA", "government"),
        trigger="accused", id="e2")
    deploy = Event(
        type="MOBILIZE", mode="military", status="planned",
        mentions=[span(t, "The Pentagon plans to send two more warships to Puerto Rico next week")],
        source=Actor("The Pentagon", "United States Department of Defense", "USA", "military"),
        location=Place("Puerto Rico", "Puerto Rico", "PRI", 18.2, -66.5, "admin1"),
        time=TimeSpan("next week", "2025-09-22", "2025-09-28", "week"),
        magnitude={"vessels": Amount("two more warships", 2, 2)},
        attribution=[Attribution("anonymous", "two officials", None, 2)],
        trigger="send", id="e3")
    quote = Quote(text="narcoterrorists.", start=t.index("narcoterrorists"),
                  end=t.index("narcoterrorists") + len("narcoterrorists."), type="direct",
                  speaker=Actor("he", "Donald Trump", "USA", "government"), cue="calling")
    article = Article("strike-1", t, title="US strikes boat off Venezuela, killing three",
                      published="2025-09-17", url="https://news.example/us-strike")
    return Document(article, [assault, accuse, deploy], [quote],
                    Coder("0.1.0", "en_core_web_sm", "3.8.0"))


def protest_doc() -> Document:
    """A Kenyan protest story with an arrest and an indirect quote; no URL (a local file)."""
    t = PROTEST_TEXT
    protesters = Actor("Thousands of protesters", "protesters", "KEN", "civilians")
    nairobi = Place("Nairobi", "Nairobi", "KEN", -1.29, 36.82, "city")
    protest = Event(
        type="PROTEST", mode="demonstrate", status="occurred",
        mentions=[span(t, "Thousands of protesters marched on parliament in Nairobi on Tuesday")],
        source=protesters, target=Actor("parliament", "Parliament of Kenya", "KEN", "government"),
        location=nairobi, time=TimeSpan("on Tuesday", "2024-06-25", "2024-06-25", "day"),
        magnitude={"participants": Amount("Thousands", 2000, None)}, trigger="marched", id="e1")
    arrest = Event(
        type="COERCE", mode="arrest", status="occurred",
        mentions=[span(t, "Police arrested about 50 people")],
        source=Actor("Police", "Kenya Police Service", "KEN", "police"), target=protesters,
        location=nairobi, magnitude={"arrested": Amount("about 50 people", 50, 50)},
        attribution=[Attribution("organization", "the Law Society of Kenya said",
                                 "Law Society of Kenya")],
        trigger="arrested", id="e2")
    quote = Quote(text="Police arrested about 50 people", start=t.index("Police arrested"),
                  end=t.index("Police arrested") + len("Police arrested about 50 people"),
                  type="indirect", speaker=Actor("the Law Society of Kenya",
                                                 "Law Society of Kenya", "KEN", "ngo"), cue="said")
    article = Article("protest-1", t, title="Kenyan police arrest protesters in Nairobi",
                      published="2024-06-26T08:30:00Z")
    return Document(article, [protest, arrest], [quote])


def raw_page(body: bytes = b"<html><p>boat strike</p></html>", **kw: object) -> RawPage:
    """A fetched page as the fetcher hands it over."""
    fields: dict[object, object] = {
        "url": "https://news.example/us-strike", "fetched_at": "2025-09-17T12:00:00+00:00",
        "body": body, "sha256": hashlib.sha256(body).hexdigest(), "status": 200,
        "content_type": "text/html; charset=utf-8", "final_url": None}
    fields.update(kw)
    return RawPage(**fields)  # type: ignore[arg-type]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "eventwire.db"


@pytest.fixture
def store(db_path: Path):
    with Store(db_path) as s:
        yield s


@pytest.fixture
def full(store: Store) -> Store:
    """A store holding both stories."""
    store.add_document(strike_doc(), source="feeds/news.xml")
    store.add_document(protest_doc(), source="articles/kenya.txt")
    return store


def names(hits: list[StoredEvent]) -> list[str]:
    """Event ids as ``<story>/<local id>``, readable in assertion failures."""
    docs = {article_id_for(STRIKE_TEXT): "strike", article_id_for(PROTEST_TEXT): "protest"}
    return [f"{docs[h.article_id]}/{h.id.rsplit('-', 1)[1]}" for h in hits]


def local_ids(hits: list[StoredEvent]) -> set[str]:
    return set(names(hits))


def test_public_api_is_exported() -> None:
    assert set(eventwire.store.__all__) == {"ActorCount", "ArticleSummary", "EventFilter",
                                            "EventList", "IngestFailure", "Store",
                                            "StoredArticle", "StoredEvent", "StoredQuote",
                                            "article_id_for", "parse_bbox"}


def test_round_trip_keeps_article_events_and_quotes(store: Store) -> None:
    doc = strike_doc()
    article_id, created = store.add_document(doc, source="feeds/news.xml")

    assert created and article_id == article_id_for(STRIKE_TEXT) and len(article_id) == 16
    art = store.get_article(article_id)
    assert art is not None
    assert (art.doc_id, art.url, art.title, art.published, art.text, art.source) == (
        "strike-1", doc.article.url, doc.article.title, "2025-09-17", STRIKE_TEXT,
        "feeds/news.xml")
    assert art.coder == {"name": "eventwire", "version": "0.1.0", "model": "en_core_web_sm",
                         "model_version": "3.8.0"}
    assert art.content_sha256.startswith(article_id) and art.ingested_at
    stored = store.events(EventFilter(article_id=article_id), order="ingested")
    assert [s.id for s in stored] == [f"{article_id}-e1", f"{article_id}-e2", f"{article_id}-e3"]
    for hit, original in zip(stored, doc.events):
        expected = original.to_dict() | {"id": hit.id}
        assert hit.event.to_dict() == expected
        assert (hit.article_title, hit.article_url, hit.published, hit.text) == (
            doc.article.title, doc.article.url, "2025-09-17", None)
    [quote] = store.quotes(article_id)
    assert quote.quote == doc.quotes[0] and quote.article_id == article_id
    assert store.counts() == {"sources": 0, "articles": 1, "events": 3, "quotes": 1}


def test_events_without_ids_get_their_position(store: Store) -> None:
    doc = protest_doc()
    for event in doc.events:
        event.id = ""
    article_id, _ = store.add_document(doc)
    assert [s.id for s in store.events(order="ingested")] == [f"{article_id}-e1",
                                                             f"{article_id}-e2"]


def test_adding_the_same_document_twice_stores_it_once(store: Store) -> None:
    first = store.add_document(strike_doc())
    before = store.counts()
    again = store.add_document(strike_doc())
    assert again == (first[0], False)
    assert store.counts() == before == {"sources": 0, "articles": 1, "events": 3, "quotes": 1}


def test_same_text_with_other_whitespace_is_the_same_article(store: Store) -> None:
    article_id, _ = store.add_document(protest_doc())
    doc = protest_doc()
    doc.article.text = "  " + PROTEST_TEXT.replace(" ", "\n  ") + "\n"
    doc.article.doc_id = "protest-copy"
    assert store.add_document(doc) == (article_id, False)
    assert store.counts()["articles"] == 1


def test_updated_page_at_the_same_url_keeps_the_first_version(store: Store) -> None:
    article_id, _ = store.add_document(strike_doc())
    updated = strike_doc()
    updated.article.text = STRIKE_TEXT + " Updated at 5 p.m. with the Pentagon's response."
    assert store.add_document(updated) == (article_id, False)
    stored = store.get_article(article_id)
    assert stored is not None and stored.text == STRIKE_TEXT
    assert store.counts()["articles"] == 1


def test_archive_is_idempotent_by_url_and_bytes(store: Store) -> None:
    first = store.archive(raw_page())
    assert store.archive(raw_page(fetched_at="2025-09-18T09:00:00+00:00")) == first
    changed = store.archive(raw_page(b"<html><p>boat strike, updated</p></html>"))
    elsewhere = store.archive(raw_page(url="https://mirror.example/us-strike"))
    assert len({first, changed, elsewhere}) == 3
    assert store.counts()["sources"] == 3
    page = store.get_source(first)
    assert page is not None and page == raw_page()
    assert store.get_source(9999) is None


def test_document_can_point_at_its_archived_page(store: Store) -> None:
    raw_id = store.archive(raw_page(final_url="https://news.example/2025/09/us-strike"))
    article_id, _ = store.add_document(strike_doc(), raw_id=raw_id)
    art = store.get_article(article_id)
    assert art is not None and art.raw_id == raw_id


def test_unknown_raw_id_is_refused(store: Store) -> None:
    with pytest.raises(StoreError) as info:
        store.add_document(strike_doc(), raw_id=42)
    assert "FOREIGN KEY" in str(info.value)
    assert store.counts()["articles"] == 0


def test_has_source_knows_article_and_redirect_urls(store: Store) -> None:
    assert not store.has_source("https://news.example/us-strike")
    raw_id = store.archive(raw_page(url="https://t.example/abc",
                                    final_url="https://news.example/2025/09/us-strike"))
    doc = strike_doc()
    store.add_document(doc, raw_id=raw_id)
    assert store.has_source("https://news.example/us-strike")  # the article's own URL
    assert store.has_source("https://t.example/abc")  # the URL asked for
    assert store.has_source("https://news.example/2025/09/us-strike")  # the redirect target
    assert not store.has_source("https://news.example/other-story")


def test_archived_page_without_article_is_not_a_stored_source(store: Store) -> None:
    store.archive(raw_page())
    assert not store.has_source(raw_page().url)


@pytest.mark.parametrize(("flt", "expected"), [
    (EventFilter(), {"strike/e1", "strike/e2", "strike/e3", "protest/e1", "protest/e2"}),
    (EventFilter(type="assault"), {"strike/e1"}),
    (EventFilter(type="COERCE"), {"protest/e2"}),
    (EventFilter(status="planned"), {"strike/e3"}),
    (EventFilter(status="Occurred", type="ACCUSE"), {"strike/e2"}),
    (EventFilter(country="ven"), {"strike/e1", "strike/e2"}),  # target e1, source e2
    (EventFilter(country="PRI"), {"strike/e3"}),  # location only
    (EventFilter(country="USA"), {"strike/e1", "strike/e2", "strike/e3"}),
    (EventFilter(country="FRA"), set()),
    (EventFilter(where="PRI"), {"strike/e3"}),
    (EventFilter(where="VEN"), set()),
    (EventFilter(target_country="VEN"), {"strike/e1"}),
    (EventFilter(source_country="VEN"), {"strike/e2"}),
    (EventFilter(source_country="USA", target_country="VEN"), {"strike/e1"}),
    (EventFilter(actor="maduro"), {"strike/e2"}),  # source name
    (EventFilter(actor="pentagon"), {"strike/e3"}),  # source text only
    (EventFilter(actor="ARAGUA"), {"strike/e1"}),  # target
    (EventFilter(actor="parliament of"), {"protest/e1"}),
    (EventFilter(actor="%"), set()),  # a literal, not a wildcard
    (EventFilter(since="2025-09-16"), {"strike/e2", "strike/e3"}),  # e2 by publication date
    (EventFilter(until="2025-09-16"), {"strike/e1", "protest/e1", "protest/e2"}),
    (EventFilter(until="2025-09-27"), {"strike/e1", "strike/e2", "protest/e1", "protest/e2"}),
    (EventFilter(since="2024-06-26", until="2025-09-15"), {"strike/e1", "protest/e2"}),
    (EventFilter(since="2024-06-25", until="2024-06-25"), {"protest/e1"}),
    (EventFilter(search="warships"), {"strike/e3"}),  # evidence
    (EventFilter(search="Kenyan marched"), {"protest/e1"}),  # title + evidence
    (EventFilter(search="Kenyan"), {"protest/e1", "protest/e2"}),  # title
    (EventFilter(search="Department of Defense"), {"strike/e3"}),  # actor name
    (EventFilter(search="nicolas"), {"strike/e2"}),  # accents folded
    (EventFilter(search="strike"), {"strike/e1", "strike/e2", "strike/e3"}),  # "strikes" in title
    (EventFilter(search="tanks"), set()),
    (EventFilter(search='"AND" NEAR(x*'), set()),  # FTS syntax is not interpreted
    (EventFilter(type="ASSAULT", country="USA", since="2025-09-01", search="boat"), {"strike/e1"}),
])
def test_filters(full: Store, flt: EventFilter, expected: set[str]) -> None:
    assert local_ids(full.events(flt)) == expected


def test_filter_by_article(full: Store) -> None:
    hits = full.events(EventFilter(article_id=article_id_for(PROTEST_TEXT)))
    assert local_ids(hits) == {"protest/e1", "protest/e2"}


@pytest.mark.parametrize(("flt", "word"), [
    (EventFilter(type="assualt"), "ASSAULT"),
    (EventFilter(status="happened"), "occurred"),
    (EventFilter(country="US"), "three letters"),
    (EventFilter(since="2025-9-1"), "YYYY-MM-DD"),
    (EventFilter(until="2025-02-30"), "YYYY-MM-DD"),
])
def test_bad_filter_values_say_what_to_write(full: Store, flt: EventFilter, word: str) -> None:
    with pytest.raises(InputError) as info:
        full.events(flt)
    assert word in (info.value.hint or "")


def test_like_search_finds_the_same_events_without_fts(db_path: Path) -> None:
    with Store(db_path) as s:
        s.add_document(strike_doc())
        s.add_document(protest_doc())
    with sqlite3.connect(db_path) as conn:  # as a database built where SQLite lacks FTS5
        conn.executescript("DROP TRIGGER events_fts_insert; DROP TRIGGER events_fts_delete; "
                           f"DROP TABLE {schema.FTS_TABLE};")
    with Store(db_path) as s:
        assert local_ids(s.events(EventFilter(search="kenyan MARCHED"))) == {"protest/e1"}
        assert local_ids(s.events(EventFilter(search="warships"))) == {"strike/e3"}
        assert local_ids(s.events(EventFilter(search="100%"))) == set()


def test_paging_by_date_covers_every_event_once(full: Store) -> None:
    pages = [full.events(limit=2, offset=offset) for offset in (0, 2, 4, 6)]
    assert [names(page) for page in pages] == [
        ["strike/e3", "strike/e2"], ["strike/e1", "protest/e2"], ["protest/e1"], []]


def test_order_oldest_first_and_unknown_order(full: Store) -> None:
    assert local_ids(full.events(limit=1, order="date_asc")) == {"protest/e1"}
    with pytest.raises(InputError):
        full.events(order="random")


def test_iter_events_streams_in_ingest_order(full: Store) -> None:
    streamed = list(full.iter_events(batch=2))
    assert [h.id for h in streamed] == [h.id for h in full.events(limit=10, order="ingested")]
    assert len(streamed) == 5
    kenya = list(full.iter_events(EventFilter(country="KEN"), batch=1))
    assert local_ids(kenya) == {"protest/e1", "protest/e2"}


def test_get_event_includes_article_text(full: Store) -> None:
    event_id = f"{article_id_for(STRIKE_TEXT)}-e2"
    hit = full.get_event(event_id)
    assert hit is not None and hit.text == STRIKE_TEXT
    mention = hit.event.mentions[0]
    assert hit.text[mention.start:mention.end] == mention.text
    assert hit.event.id == event_id and hit.event.type == "ACCUSE"


def test_get_unknown_event_or_article_is_none(full: Store) -> None:
    assert full.get_event("0000000000000000-e1") is None
    assert full.get_article("0000000000000000") is None


def test_quotes_of_all_articles_in_order(full: Store) -> None:
    quotes = full.quotes()
    assert [q.quote.speaker.name for q in quotes if q.quote.speaker] == [
        "Donald Trump", "Law Society of Kenya"]
    assert quotes[0].id < quotes[1].id
    assert full.quotes("0000000000000000") == []


def test_failed_add_leaves_nothing_partial(full: Store) -> None:
    before = full.counts()
    doc = Document(Article("war-1", "Troops shelled the city. Rebels fired back."),
                   quotes=[Quote("fired back", 32, 42, "direct")])
    text = doc.article.text
    shelled = Event("ASSAULT", "occurred", [span(text, "Troops shelled the city")], id="e1")
    fired = Event("ASSAULT", "occurred", [span(text, "Rebels fired back")], id="e1")
    doc.events = [shelled, fired]  # two events with one id: the second insert fails
    with pytest.raises(StoreError) as info:
        full.add_document(doc)
    assert info.value.source == "war-1" and "nothing" in (info.value.hint or "")
    assert full.counts() == before
    assert full.get_article(article_id_for(doc.article.text)) is None
    assert full.events(EventFilter(search="shelled")) == []
    assert local_ids(full.events()) == {"strike/e1", "strike/e2", "strike/e3",
                                        "protest/e1", "protest/e2"}
    doc.events[1].id = "e2"  # fixed, the same document now goes in whole
    assert full.add_document(doc)[1] is True
    assert full.counts()["events"] == before["events"] + 2


def test_broken_event_record_is_rolled_back(store: Store) -> None:
    doc = protest_doc()
    doc.events[1].type = None  # type: ignore[assignment]
    with pytest.raises(StoreError):
        store.add_document(doc)
    assert store.counts() == {"sources": 0, "articles": 0, "events": 0, "quotes": 0}


def test_failures_are_logged_newest_first(store: Store) -> None:
    store.log_failure("https://paywalled.example/a", "HTTP 403 Forbidden")
    store.log_failure("articles/empty.txt", "no article text")
    failures = store.failures()
    assert [(f.source, f.reason) for f in failures] == [
        ("articles/empty.txt", "no article text"),
        ("https://paywalled.example/a", "HTTP 403 Forbidden")]
    assert failures[0].at.startswith("20") and len(store.failures(limit=1)) == 1


def test_reopening_keeps_data_and_version(db_path: Path) -> None:
    with Store(db_path) as s:
        article_id, _ = s.add_document(strike_doc())
    with Store.open(str(db_path)) as s:
        assert s.counts()["events"] == 3
        assert s.get_article(article_id) is not None
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [
            (len(schema.MIGRATIONS),)]


def test_sqlite_url_and_pragmas(db_path: Path) -> None:
    with Store(f"sqlite:///{db_path}") as s:
        s.add_document(protest_doc())
        with s._engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == db.BUSY_TIMEOUT_MS


def test_two_stores_on_one_file_see_each_other(db_path: Path) -> None:
    with Store(db_path) as writer, Store(db_path) as reader:
        writer.add_document(strike_doc())
        assert reader.counts()["articles"] == 1
        assert reader.add_document(strike_doc())[1] is False


def add_source_note(conn: sa.Connection) -> None:
    """A later migration, as a future version might add: a new column."""
    conn.exec_driver_sql("ALTER TABLE articles ADD COLUMN note TEXT")


def test_migration_upgrades_an_older_database_and_keeps_data(db_path: Path) -> None:
    with Store(db_path) as s:
        article_id, _ = s.add_document(strike_doc())
    engine = db.create_engine(db.to_url(db_path))
    with engine.begin() as conn:
        assert schema.migrate(conn, (*schema.MIGRATIONS, add_source_note)) == 3
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT max(version) FROM schema_version").scalar() == 3
        assert conn.exec_driver_sql("SELECT id, note FROM articles").all() == [(article_id, None)]
        assert conn.exec_driver_sql("SELECT count(*) FROM events").scalar() == 3
    engine.dispose()


V2_INDEXES = ("ix_events_source_country_date", "ix_events_target_country_date",
              "ix_events_location_country_date", "ix_events_source_name_country",
              "ix_events_target_name_country", "ix_events_lat_lon_date",
              "ix_events_type_date", "ix_events_span_type", "ix_articles_ingested_at")


def _downgrade_to_v1(path: Path) -> None:
    """Make a store look as version 1 wrote it: no version-2 columns or indexes, version 1."""
    with sqlite3.connect(path) as conn:
        for index in V2_INDEXES:
            conn.execute(f"DROP INDEX {index}")
        for name in schema._V1_INDEXES_REPLACED:
            column = name.removeprefix("ix_events_")
            conn.execute(f"CREATE INDEX {name} ON events ({column})")
        for table, columns in (("events", schema._V2_EVENT_COLUMNS),
                               ("quotes", schema._V2_QUOTE_COLUMNS)):
            for column in columns:
                conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        conn.execute("UPDATE schema_version SET version = 1")


def test_version_1_store_is_upgraded_and_its_rows_filled_from_json(db_path: Path) -> None:
    with Store(db_path) as s:
        s.add_document(strike_doc())
        s.add_document(protest_doc())
        expected = [(e.id, e.event.location) for e in s.events(order="ingested", limit=None)]
        n_quotes = s.count_quotes()
    _downgrade_to_v1(db_path)
    with sqlite3.connect(db_path) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(events)")}
        assert "lat" not in columns
    with Store(db_path) as s:
        hits = s.events(order="ingested", limit=None)
        assert [(e.id, e.event.location) for e in hits] == expected
        with s._engine.connect() as conn:
            indexes = {r[1] for r in conn.exec_driver_sql("PRAGMA index_list(events)")}
        assert set(V2_INDEXES[:-1]) <= indexes
        assert not indexes & set(schema._V1_INDEXES_REPLACED)
        with s._engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT location_name, lat, lon, date_reported FROM events ORDER BY pk").all()
        for (_, place), (name, lat, lon, reported) in zip(expected, rows):
            assert (name, lat, lon) == ((place.name or place.text, place.lat, place.lon)
                                        if place else (None, None, None))
            assert reported is not None
        assert s.count_quotes() == n_quotes
        assert s.count_quotes(words="the") == len(s.quotes(words="the"))


def test_database_newer_than_the_code_is_refused(db_path: Path) -> None:
    Store(db_path).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(StoreError) as info:
        Store(db_path)
    assert "newer" in str(info.value) and "upgrade eventwire" in (info.value.hint or "")


def test_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StoreError) as info:
        Store(path)
    assert "not a database" in str(info.value) and info.value.hint
    assert path.read_text().startswith("these are my notes")


def test_someone_elses_database_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE birds (name TEXT)")
    with pytest.raises(StoreError) as info:
        Store(path)
    assert "birds" in str(info.value) and "not an eventwire store" in str(info.value)
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"birds"}


def test_missing_directory_is_refused_with_a_hint(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as info:
        Store(tmp_path / "no" / "such" / "dir" / "eventwire.db")
    assert "directory exists" in (info.value.hint or "")


def test_unknown_driver_url_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as info:
        Store("nosuchdb+nodriver://user:secret@localhost/events")
    assert "secret" not in str(info.value) and info.value.hint


def test_actors_are_counted_by_role(full: Store) -> None:
    rows = {r.name: r for r in full.actors()}
    assert (rows["protesters"].acts, rows["protesters"].targeted) == (1, 1)
    assert (rows["Tren de Aragua"].country, rows["Tren de Aragua"].targeted) == ("VEN", 1)
    assert full.actors(limit=1)[0].name == "protesters"  # most events first
    assert [r.name for r in full.actors(search="united states")] == [
        "United States", "United States Armed Forces", "United States Department of Defense"]
    assert full.actors(search="no such actor") == []
