"""Every export format written from a real store and read back with its real reader, and the
`eventwire export` command."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from test_store import PROTEST_TEXT, STRIKE_TEXT, protest_doc, span, strike_doc

from eventwire import cli, tabular
from eventwire.errors import InputError
from eventwire.export import (ACLED_COLUMNS, FORMATS, FORMULA_STARTS, ROW_GROUP, export,
                              safe_cell, write)
from eventwire.model import Actor, Amount, Article, Attribution, Document, Event, Place, TimeSpan
from eventwire.store import EventFilter, Store, StoredEvent, article_id_for

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}

INJECT_TEXT = (
    "=cmd|' /C calc'!A0 gunmen opened fire on villagers in Cité Soleil on Sunday, killing "
    "five, witnesses said. @SUM(1+1) militia fighters clashed with police."
)
UNICODE_TEXT = (
    "ÜRÜMQI — Uyghur protesters rioted in Ürümqi in July, chanting “حرية”. Police threatened "
    "to beat the crowd. Beijing offered talks\u2028with São Paulo-based groups 🙂."
)


def injection_doc() -> Document:
    """Actors and evidence that a spreadsheet would run as formulas; a negative longitude."""
    t = INJECT_TEXT
    shooting = Event(
        type="ASSAULT", mode="firearms", status="occurred",
        mentions=[span(t, "=cmd|' /C calc'!A0 gunmen opened fire on villagers in Cité Soleil "
                          "on Sunday, killing five")],
        source=Actor("=cmd|' /C calc'!A0 gunmen", "=cmd|' /C calc'!A0", "HTI", "criminal"),
        target=Actor("villagers", "villagers", "HTI", "civilians"),
        location=Place("Cité Soleil", "Cité Soleil", "HTI", 18.58, -72.33, "city"),
        time=TimeSpan("on Sunday", "2025-11-02", "2025-11-02", "day"),
        magnitude={"killed": Amount("five", 5, 5)},
        attribution=[Attribution("witness", "witnesses said")], trigger="opened fire", id="e1")
    clash = Event(
        type="ASSAULT", mode="clash", status="occurred",
        mentions=[span(t, "@SUM(1+1) militia fighters clashed with police")],
        source=Actor("@SUM(1+1) militia fighters", "@SUM(1+1)", "HTI", "rebels"),
        target=Actor("police", "Haitian National Police", "HTI", "police"),
        trigger="clashed", id="e2")
    article = Article("inject-1", t, title="-2+3 gunmen kill five", published="2025-11-03",
                      url="https://www.haiti.example/soleil")
    return Document(article, [shooting, clash])


def unicode_doc() -> Document:
    """Non-Latin text, an emoji, a line separator; a riot, a threat and an offer."""
    t = UNICODE_TEXT
    urumqi = Place("Ürümqi", "Ürümqi", "CHN", 43.8, 87.6, "city")
    crowd = Actor("Uyghur protesters", "Uyghur protesters", "CHN", "civilians")
    riot = Event(
        type="PROTEST", mode="riot", status="occurred",
        mentions=[span(t, "Uyghur protesters rioted in Ürümqi in July, chanting “حرية”")],
        source=crowd, location=urumqi,
        time=TimeSpan("in July", "2025-07-01", "2025-07-31", "month"),
        magnitude={"participants": Amount("hundreds", 200, None)}, trigger="rioted", id="e1")
    threat = Event(
        type="ASSAULT", mode="beating", status="threatened",
        mentions=[span(t, "Police threatened to beat the crowd")],
        source=Actor("Police", "Xinjiang police", "CHN", "police"), target=crowd,
        location=urumqi, trigger="beat", id="e2")
    offer = Event(
        type="CONSULT", status="offered",
        mentions=[span(t, "Beijing offered talks\u2028with São Paulo-based groups 🙂")],
        source=Actor("Beijing", "Government of China", "CHN", "government"),
        target=Actor("São Paulo-based groups", "São Paulo-based groups", None, "ngo"),
        trigger="talks", id="e3")
    article = Article("unicode-1", t, title="Ürümqi: “حرية” 🙂", published="2025-08-02",
                      url="https://news.example/urumqi")
    return Document(article, [riot, threat, offer])


@pytest.fixture(scope="module")
def hand_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four hand-built stories, ten events, in a real SQLite file."""
    path = tmp_path_factory.mktemp("export") / "hand.db"
    with Store(path) as store:
        for doc in (strike_doc(), protest_doc(), injection_doc(), unicode_doc()):
            store.add_document(doc)
    return path


@pytest.fixture
def store(hand_db: Path) -> Iterator[Store]:
    with Store(hand_db) as s:
        yield s


def ev(text: str, local: str) -> str:
    """The store id of event ``local`` of the story with this text."""
    return f"{article_id_for(text)}-{local}"


def dump(store: Store, fmt: str, flt: EventFilter | None = None, **options: bool) -> bytes:
    out = io.BytesIO()
    export(fmt, store.iter_events(flt), out, **options)
    return out.getvalue()


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def store_ids(store: Store, flt: EventFilter | None = None) -> list[str]:
    return [s.id for s in store.iter_events(flt)]


# --- the module's interface ----------------------------------------------------------------

def test_unknown_format_names_the_choices() -> None:
    with pytest.raises(InputError) as info:
        write("xlsx", [], io.BytesIO())
    assert "xlsx" in str(info.value)
    assert all(name in (info.value.hint or "") for name in FORMATS)


@pytest.mark.parametrize("value", ["=1+1", "+1", "-cmd", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_get_an_apostrophe_but_numbers_do_not(value: str) -> None:
    assert value.startswith(FORMULA_STARTS)
    assert safe_cell(value) == "'" + value
    assert safe_cell("-66.5", numeric=True) == "-66.5"
    assert safe_cell(-66.5) == "-66.5" and safe_cell(3.0) == "3" and safe_cell(None) == ""
    assert safe_cell(True) == "true" and safe_cell("plain text") == "plain text"


# --- csv -------------------------------------------------------------------------------------

def test_csv_reads_back_with_the_csv_module(store: Store) -> None:
    data = dump(store, "csv")
    rows = csv_rows(data)
    assert list(rows[0]) == list(tabular.COLUMNS)
    assert [r["event_id"] for r in rows] == store_ids(store)
    assert len(rows) == store.count_events() == 10
    assert data.count(b"\r\n") >= len(rows) + 1  # RFC 4180 line ends
    by_id = {r["event_id"]: r for r in rows}
    strike = by_id[ev(STRIKE_TEXT, "e1")]
    assert (strike["type"], strike["status"], strike["mode"]) == ("ASSAULT", "occurred", "naval")
    assert (float(strike["lat"]), float(strike["lon"]), strike["killed_min"]) == (15.0, -66.0, "3")
    assert strike["killed_max"] == "3" and strike["injured_min"] == ""
    assert strike["attribution_names"] == "Donald Trump"
    arrest = by_id[ev(PROTEST_TEXT, "e2")]
    assert (arrest["arrested_min"], arrest["location_inferred"], arrest["date_start"]) == (
        "50", "false", "")
    assert by_id[ev(STRIKE_TEXT, "e2")]["lat"] == ""  # no place: empty, not 0


def test_csv_protects_formula_cells_but_not_numbers(store: Store) -> None:
    by_id = {r["event_id"]: r for r in csv_rows(dump(store, "csv"))}
    shooting = by_id[ev(INJECT_TEXT, "e1")]
    assert shooting["source_text"] == "'=cmd|' /C calc'!A0 gunmen"
    assert shooting["source_name"] == "'=cmd|' /C calc'!A0"
    assert shooting["evidence"].startswith("'=cmd")
    assert shooting["article_title"] == "'-2+3 gunmen kill five"
    assert shooting["lon"] == "-72.33" and float(shooting["lon"]) == -72.33
    assert by_id[ev(INJECT_TEXT, "e2")]["source_text"] == "'@SUM(1+1) militia fighters"
    assert by_id[ev(STRIKE_TEXT, "e1")]["source_name"] == "United States Armed Forces"


# --- jsonl -----------------------------------------------------------------------------------

def test_jsonl_has_the_full_event_and_its_article(store: Store) -> None:
    data = dump(store, "jsonl")
    lines = data.decode("utf-8").split("\n")
    assert lines[-1] == "" and len(lines) - 1 == store.count_events()  # U+2028 is no line end
    records = {r["id"]: r for r in map(json.loads, lines[:-1])}
    strike = records[ev(STRIKE_TEXT, "e1")]
    assert set(strike) == {"id", "type", "mode", "status", "source", "target", "location",
                           "time", "magnitude", "attribution", "mentions", "trigger",
                           "article_id", "article_title", "article_url", "published"}
    assert strike["location"]["lat"] == 15.0 and strike["magnitude"]["killed"]["min"] == 3
    assert strike["article_url"] == "https://news.example/us-strike"
    assert strike["published"] == "2025-09-17" and strike["article_id"] == article_id_for(STRIKE_TEXT)
    planned = records[ev(STRIKE_TEXT, "e3")]
    assert planned["magnitude"]["vessels"]["min"] == 2  # keys the flat formats do not carry
    shooting = records[ev(INJECT_TEXT, "e1")]
    assert shooting["source"]["text"] == "=cmd|' /C calc'!A0 gunmen"  # never altered
    assert "Ürümqi".encode() in data and b"\\u00dc" not in data


# --- parquet ---------------------------------------------------------------------------------

def test_parquet_has_typed_columns_and_the_same_values(store: Store) -> None:
    table = pq.read_table(io.BytesIO(dump(store, "parquet")))
    assert table.num_rows == store.count_events()
    assert table.column_names == list(tabular.COLUMNS)
    schema = table.schema
    assert schema.field("lat").type == pa.float64() and schema.field("killed_min").type == pa.float64()
    assert schema.field("evidence_start").type == pa.int64()
    assert schema.field("location_inferred").type == pa.bool_()
    assert schema.field("type").type == pa.string()
    assert schema.metadata[b"eventwire.version"]
    rows = {r["event_id"]: r for r in table.to_pylist()}
    strike = rows[ev(STRIKE_TEXT, "e1")]
    assert (strike["type"], strike["status"], strike["lat"], strike["lon"], strike["killed_min"]) == (
        "ASSAULT", "occurred", 15.0, -66.0, 3.0)
    assert rows[ev(STRIKE_TEXT, "e2")]["lat"] is None
    assert rows[ev(INJECT_TEXT, "e1")]["source_name"] == "=cmd|' /C calc'!A0"  # not altered
    frame = pd.read_parquet(io.BytesIO(dump(store, "parquet")), dtype_backend="numpy_nullable")
    assert str(frame.evidence_start.dtype) == "Int64" and str(frame.location_inferred.dtype) == "boolean"
    assert str(frame.lat.dtype) == "Float64" and frame.lat.isna().sum() == 3


def test_parquet_is_written_in_row_groups(store: Store) -> None:
    one = next(store.iter_events())
    many = (StoredEvent(f"{one.id}-{i}", one.article_id, one.event, one.article_title,
                        one.article_url, one.published) for i in range(2 * ROW_GROUP + 1))
    out = io.BytesIO()
    assert write("parquet", many, out) == 2 * ROW_GROUP + 1
    meta = pq.ParquetFile(io.BytesIO(out.getvalue())).metadata
    assert meta.num_rows == 2 * ROW_GROUP + 1
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [
        ROW_GROUP, ROW_GROUP, 1]


# --- geojson ---------------------------------------------------------------------------------

def test_geojson_is_a_feature_collection_of_located_events(store: Store) -> None:
    out = io.BytesIO()
    report = export("geojson", store.iter_events(), out)
    collection = json.loads(out.getvalue())
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    located = [s for s in store.iter_events() if s.event.location and s.event.location.lat is not None]
    assert len(features) == report.written == len(located) == 7
    assert report.skipped == 3 and report.skipped_reason == "no coordinates"
    for feature in features:
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert list(feature["properties"]) == list(tabular.COLUMNS)
        assert feature["id"] == feature["properties"]["event_id"]
    strike = next(f for f in features if f["id"] == ev(STRIKE_TEXT, "e1"))
    assert strike["geometry"]["coordinates"] == [-66.0, 15.0]  # [lon, lat]
    assert strike["properties"]["killed_min"] == 3 and strike["properties"]["type"] == "ASSAULT"
    assert strike["properties"]["location_inferred"] is False


# --- plover ----------------------------------------------------------------------------------

PLOVER_KEYS = {"id", "date", "event_type", "mode", "context", "modality", "source_actor",
               "source_agent", "source_country", "source_text", "target_actor", "target_agent",
               "target_country", "target_text", "location", "fatalities", "injuries",
               "event_text", "story_date", "publisher", "headline", "url", "article_id",
               "eventwire_type", "eventwire_mode"}


def test_plover_json_parses_and_reads_statuses_the_plover_way(store: Store) -> None:
    records = json.loads(dump(store, "plover"))
    assert isinstance(records, list) and len(records) == store.count_events()
    assert all(set(r) == PLOVER_KEYS for r in records)
    by_id = {r["id"]: r for r in records}
    strike = by_id[ev(STRIKE_TEXT, "e1")]
    assert (strike["event_type"], strike["mode"], strike["modality"]) == ("ASSAULT", "naval", "occurred")
    assert (strike["source_actor"], strike["source_agent"], strike["source_country"]) == (
        "United States Armed Forces", "military", "USA")
    assert strike["target_country"] == "VEN" and strike["fatalities"] == 3
    assert strike["location"]["lat"] == 15.0 and strike["location"]["lon"] == -66.0
    assert (strike["date"], strike["story_date"], strike["publisher"]) == (
        "2025-09-15", "2025-09-17", "news.example")
    threat = by_id[ev(UNICODE_TEXT, "e2")]
    assert (threat["event_type"], threat["mode"], threat["modality"]) == ("THREATEN", None, "threatened")
    assert (threat["eventwire_type"], threat["eventwire_mode"]) == ("ASSAULT", "beating")
    offer = by_id[ev(UNICODE_TEXT, "e3")]
    assert (offer["event_type"], offer["eventwire_type"], offer["modality"]) == (
        "AGREE", "CONSULT", "offered")
    assert offer["target_actor"] == "São Paulo-based groups" and offer["location"] is None
    planned = by_id[ev(STRIKE_TEXT, "e3")]
    assert (planned["event_type"], planned["modality"]) == ("MOBILIZE", "planned")


# --- acled -----------------------------------------------------------------------------------

def test_acled_keeps_only_events_that_occurred(store: Store) -> None:
    out = io.BytesIO()
    report = export("acled", store.iter_events(), out)
    rows = csv_rows(out.getvalue())
    assert list(rows[0]) == list(ACLED_COLUMNS)
    assert len(rows) == report.written == store.count_events(status="occurred") == 7
    assert report.skipped == 3
    occurred = {s.id for s in store.iter_events(EventFilter(status="occurred"))}
    assert {r["event_id_cnty"] for r in rows} == occurred
    assert not any("eventwire status" in r["tags"] for r in rows)


def test_acled_maps_types_actors_places_and_tolls(store: Store) -> None:
    rows = {r["event_id_cnty"]: r for r in csv_rows(dump(store, "acled"))}
    strike = rows[ev(STRIKE_TEXT, "e1")]
    assert (strike["event_type"], strike["sub_event_type"], strike["disorder_type"]) == (
        "Explosions/Remote violence", "Shelling/artillery/missile attack", "Political violence")
    assert (strike["actor1"], strike["inter1"], strike["actor2"], strike["inter2"]) == (
        "United States Armed Forces", "1", "Tren de Aragua", "3")
    assert strike["interaction"] == "13" and strike["fatalities"] == "3"
    assert (strike["event_date"], strike["year"], strike["time_precision"]) == ("2025-09-15", "2025", "1")
    assert (strike["location"], strike["country"], strike["geo_precision"]) == ("Caribbean Sea", "", "3")
    assert (float(strike["latitude"]), float(strike["longitude"])) == (15.0, -66.0)
    assert strike["source"] == "news.example" and strike["notes"].startswith("The U.S. military struck")
    assert strike["timestamp"].isdigit()

    protest = rows[ev(PROTEST_TEXT, "e1")]
    assert (protest["event_type"], protest["sub_event_type"], protest["disorder_type"]) == (
        "Protests", "Peaceful protest", "Demonstrations")
    assert (protest["actor1"], protest["assoc_actor_1"], protest["inter1"]) == ("Protesters (Kenya)", "", "6")
    assert (protest["interaction"], protest["country"], protest["iso"]) == ("16", "Kenya", "404")
    assert protest["tags"] == "crowd size=Thousands" and protest["geo_precision"] == "1"

    arrest = rows[ev(PROTEST_TEXT, "e2")]
    assert (arrest["event_type"], arrest["sub_event_type"]) == ("Strategic developments", "Arrests")
    assert (arrest["actor2"], arrest["assoc_actor_2"], arrest["inter2"]) == (
        "Civilians (Kenya)", "protesters", "7")
    assert arrest["civilian_targeting"] == "" and arrest["fatalities"] == "0"
    # no time of its own: the publication day, with ACLED's lowest time precision
    assert (arrest["event_date"], arrest["time_precision"]) == ("2024-06-26", "3")
    assert arrest["source"] == "Kenyan police arrest protesters in Nairobi"  # no URL: the title

    shooting = rows[ev(INJECT_TEXT, "e1")]
    assert (shooting["event_type"], shooting["sub_event_type"]) == ("Violence against civilians", "Attack")
    assert shooting["civilian_targeting"] == "Civilian targeting" and shooting["fatalities"] == "5"
    assert shooting["actor1"] == "'=cmd|' /C calc'!A0" and shooting["longitude"] == "-72.33"
    assert shooting["source"] == "haiti.example" and shooting["country"] == "Haiti"
    clash = rows[ev(INJECT_TEXT, "e2")]
    assert (clash["event_type"], clash["sub_event_type"], clash["interaction"]) == (
        "Battles", "Armed clash", "12")

    riot = rows[ev(UNICODE_TEXT, "e1")]
    assert (riot["event_type"], riot["sub_event_type"]) == ("Riots", "Violent demonstration")
    assert (riot["actor1"], riot["assoc_actor_1"], riot["inter1"]) == (
        "Rioters (China)", "Uyghur protesters", "5")
    assert (riot["time_precision"], riot["tags"], riot["location"]) == (
        "3", "crowd size=hundreds", "Ürümqi")


def test_acled_with_every_status_tags_ours(store: Store) -> None:
    rows = {r["event_id_cnty"]: r for r in csv_rows(dump(store, "acled", occurred_only=False))}
    assert len(rows) == store.count_events()
    assert rows[ev(UNICODE_TEXT, "e2")]["tags"] == "eventwire status=threatened"
    planned = rows[ev(STRIKE_TEXT, "e3")]
    assert "eventwire status=planned" in planned["tags"]
    assert (planned["sub_event_type"], planned["time_precision"]) == ("Change to group/activity", "2")


# --- every format: filters, unicode, empty ---------------------------------------------------

def read_ids(fmt: str, data: bytes) -> list[str]:
    """The event ids in an export, read with the format's own reader."""
    if fmt == "csv":
        return [r["event_id"] for r in csv_rows(data)]
    if fmt == "acled":
        return [r["event_id_cnty"] for r in csv_rows(data)]
    if fmt == "jsonl":
        return [json.loads(line)["id"] for line in data.decode("utf-8").split("\n") if line]
    if fmt == "parquet":
        return pq.read_table(io.BytesIO(data)).column("event_id").to_pylist()
    if fmt == "geojson":
        return [f["properties"]["event_id"] for f in json.loads(data)["features"]]
    return [r["id"] for r in json.loads(data)]


def expected_ids(store: Store, fmt: str, flt: EventFilter | None) -> list[str]:
    """The ids a format should hold: all matches, less what the format leaves out."""
    hits = list(store.iter_events(flt))
    if fmt == "geojson":
        hits = [s for s in hits if s.event.location and s.event.location.lat is not None]
    if fmt == "acled":
        hits = [s for s in hits if s.event.status == "occurred"]
    return [s.id for s in hits]


FILTERS = [EventFilter(country="KEN"), EventFilter(type="ASSAULT"),
           EventFilter(bbox=(-80.0, 10.0, -60.0, 20.0)), EventFilter(search="Ürümqi"),
           EventFilter(since="2025-09-01", status="occurred")]


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_filters_apply_to_every_format(store: Store, fmt: str) -> None:
    for flt in FILTERS:
        assert read_ids(fmt, dump(store, fmt, flt)) == expected_ids(store, fmt, flt), flt
    assert len(read_ids(fmt, dump(store, fmt, EventFilter(type="ASSAULT")))) >= 2


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_unicode_survives_every_format(store: Store, fmt: str) -> None:
    data = dump(store, fmt, EventFilter(where="CHN"))
    if fmt == "parquet":
        table = pq.read_table(io.BytesIO(data))
        assert "Ürümqi" in table.column("location_name").to_pylist()
        assert "Ürümqi: “حرية” 🙂" in table.column("article_title").to_pylist()
        return
    text = data.decode("utf-8")
    assert "Ürümqi" in text and "“حرية”" in text
    if fmt != "acled":  # ACLED names the site, not the title
        assert "🙂" in text


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_no_matching_events_still_gives_a_valid_file(store: Store, fmt: str) -> None:
    data = dump(store, fmt, EventFilter(type="AGREE"))
    assert read_ids(fmt, data) == []
    if fmt == "parquet":
        assert pq.read_table(io.BytesIO(data)).column_names == list(tabular.COLUMNS)
    if fmt == "csv":
        assert data.decode("utf-8").strip() == ",".join(tabular.COLUMNS)


# --- to_pandas -------------------------------------------------------------------------------

def test_to_pandas_equals_the_csv_export(store: Store) -> None:
    frame = store.events(limit=None, order="ingested").to_pandas()
    assert frame.shape == (10, len(tabular.COLUMNS))
    rows = csv_rows(dump(store, "csv"))
    assert list(frame.event_id) == [r["event_id"] for r in rows]
    assert_frame_equals_rows(frame, rows)


def assert_frame_equals_rows(frame, rows: list[dict[str, str]]) -> None:
    """Every cell of the DataFrame equals the CSV's cell (formula protection undone)."""
    for i, row in enumerate(rows):
        for column in tabular.COLUMNS:
            value, cell = frame[column].iloc[i], row[column]
            if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS):
                cell = cell[1:]
            if cell == "":
                assert pd.isna(value), (column, value)
            elif column in tabular.FLOAT_COLUMNS | tabular.INT_COLUMNS:
                assert float(value) == float(cell), (column, value, cell)
            elif column in tabular.BOOL_COLUMNS:
                assert bool(value) == (cell == "true"), (column, value, cell)
            else:
                assert value == cell, (column, value, cell)


# --- the examples, extracted for real --------------------------------------------------------

@pytest.fixture(scope="module")
def examples_db(tmp_path_factory: pytest.TempPathFactory, extractor) -> Path:
    """The repository's examples/ folder ingested with the real extractor."""
    from eventwire.ingestion import ingest

    path = tmp_path_factory.mktemp("examples") / "examples.db"
    report = ingest([str(ROOT / "examples")], path, extractor=extractor)
    assert report.ok and report.events > 50
    return path


@pytest.mark.slow
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_examples_export_every_event_in_every_format(examples_db: Path, fmt: str) -> None:
    with Store(examples_db) as store:
        for flt in (None, EventFilter(type="ASSAULT"), EventFilter(status="occurred", country="VEN")):
            data = dump(store, fmt, flt)
            assert read_ids(fmt, data) == expected_ids(store, fmt, flt)
        assert len(read_ids(fmt, dump(store, fmt))) > 40


@pytest.mark.slow
def test_examples_to_pandas_equals_their_csv(examples_db: Path) -> None:
    with Store(examples_db) as store:
        frame = store.events(limit=None, order="ingested").to_pandas()
        rows = csv_rows(dump(store, "csv"))
        assert frame.shape == (store.count_events(), len(tabular.COLUMNS))
    assert_frame_equals_rows(frame, rows)
    assert str(frame.lat.dtype) == "float64" and str(frame.evidence_end.dtype) == "Int64"


@pytest.mark.slow
def test_examples_parquet_round_trips_values(examples_db: Path) -> None:
    with Store(examples_db) as store:
        table = pq.read_table(io.BytesIO(dump(store, "parquet")))
        for stored, row in zip(store.iter_events(), table.to_pylist(), strict=True):
            place, killed = stored.event.location, stored.event.magnitude.get("killed")
            assert (row["event_id"], row["type"], row["status"]) == (
                stored.id, stored.event.type, stored.event.status)
            assert row["lat"] == (place.lat if place else None)
            assert row["killed_min"] == (killed.min if killed else None)


# --- the command line ------------------------------------------------------------------------

def invoke(*args: str):
    return CliRunner().invoke(cli.main, ["export", *args])


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_cli_writes_every_format_to_a_file(hand_db: Path, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"events.{FORMATS[fmt][1]}"
    result = invoke("--format", fmt, "-o", str(target), "--db", str(hand_db))
    assert result.exit_code == 0, result.output
    with Store(hand_db) as store:
        expected = expected_ids(store, fmt, None)
    assert read_ids(fmt, target.read_bytes()) == expected
    assert f"wrote {len(expected)} events to {target}" in result.stderr
    assert os.listdir(tmp_path) == [target.name]  # no temporary file left behind


def test_cli_writes_to_standard_output_and_reports_what_it_left_out(hand_db: Path) -> None:
    result = invoke("-f", "geojson", "--db", str(hand_db), "--country", "HTI")
    assert result.exit_code == 0, result.output
    features = json.loads(result.stdout_bytes)["features"]
    assert [f["id"] for f in features] == [ev(INJECT_TEXT, "e1")]
    assert "wrote 1 events to standard output (1 left out: no coordinates)" in result.stderr
    parquet = invoke("-f", "parquet", "--db", str(hand_db))  # not a terminal: allowed
    assert pq.read_table(io.BytesIO(parquet.stdout_bytes)).num_rows == 10


def test_cli_filters_like_the_events_command(hand_db: Path) -> None:
    result = invoke("-f", "csv", "--db", str(hand_db), "--type", "assault", "--by", "HTI",
                    "--bbox", "-75,15,-70,20")
    assert result.exit_code == 0, result.output
    assert read_ids("csv", result.stdout_bytes) == [ev(INJECT_TEXT, "e1")]
    kenya = invoke("-f", "jsonl", "--db", str(hand_db), "--where", "KEN", "--until", "2024-12-31")
    assert read_ids("jsonl", kenya.stdout_bytes) == [ev(PROTEST_TEXT, "e1"), ev(PROTEST_TEXT, "e2")]


def test_cli_acled_keeps_other_statuses_when_asked(hand_db: Path) -> None:
    default = invoke("-f", "acled", "--db", str(hand_db))
    assert len(csv_rows(default.stdout_bytes)) == 7
    assert "3 left out: status not occurred" in default.stderr
    planned = invoke("-f", "acled", "--db", str(hand_db), "--status", "planned")
    rows = csv_rows(planned.stdout_bytes)
    assert [r["event_id_cnty"] for r in rows] == [ev(STRIKE_TEXT, "e3")]
    assert rows[0]["tags"] == "eventwire status=planned"


@pytest.mark.parametrize(("args", "word"), [
    (["--type", "assualt"], "ASSAULT"),
    (["--status", "happened"], "occurred"),
    (["--country", "US"], "three letters"),
    (["--since", "2025-9-1"], "YYYY-MM-DD"),
    (["--bbox", "1,2,3"], "four numbers"),
    (["--bbox", "0,10,10,0"], "south edge"),
])
def test_cli_bad_filter_exits_2_and_writes_nothing(hand_db: Path, tmp_path: Path,
                                                   args: list[str], word: str) -> None:
    target = tmp_path / "out.csv"
    result = invoke("-f", "csv", "-o", str(target), "--db", str(hand_db), *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and word in result.stderr
    assert os.listdir(tmp_path) == []


def test_cli_unknown_format_is_a_usage_error(hand_db: Path) -> None:
    result = invoke("-f", "xlsx", "--db", str(hand_db))
    assert result.exit_code == 2 and "csv" in result.stderr and "plover" in result.stderr


def test_cli_missing_database_says_what_to_do_like_other_commands(tmp_path: Path) -> None:
    missing = str(tmp_path / "none.db")
    result = invoke("-f", "csv", "--db", missing)
    events = CliRunner().invoke(cli.main, ["events", "--db", missing])
    assert result.exit_code == events.exit_code == 1
    assert result.stderr == events.stderr
    assert "no such database" in result.stderr and "eventwire ingest" in result.stderr
    assert not Path(missing).exists()


def test_cli_unwritable_output_is_an_error(hand_db: Path, tmp_path: Path) -> None:
    result = invoke("-f", "csv", "-o", str(tmp_path / "no" / "such" / "dir.csv"), "--db", str(hand_db))
    assert result.exit_code == 1 and "cannot write" in result.stderr


def failing(events: list[StoredEvent], after: int, error: BaseException) -> Iterator[StoredEvent]:
    """The events, then ``error`` after ``after`` of them: an export that fails half-way."""
    for i, stored in enumerate(events):
        if i == after:
            raise error
        yield stored


@pytest.mark.parametrize("error", [RuntimeError("disk gone"), KeyboardInterrupt()])
@pytest.mark.parametrize("fmt", ["csv", "parquet", "geojson"])
def test_failed_export_leaves_no_partial_file(store: Store, tmp_path: Path, fmt: str,
                                              error: BaseException) -> None:
    events = list(store.iter_events())
    fresh, kept = tmp_path / f"fresh.{fmt}", tmp_path / f"kept.{fmt}"
    kept.write_bytes(b"the previous export")
    for target in (fresh, kept):
        with pytest.raises(type(error)):
            cli._export_to_file(fmt, failing(events, 4, error), target, occurred_only=True)
    assert not fresh.exists()
    assert kept.read_bytes() == b"the previous export"
    assert sorted(os.listdir(tmp_path)) == [kept.name]


def test_parquet_streams_through_a_pipe(hand_db: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "eventwire", "export", "-f", "parquet",
                             "--db", str(hand_db), "--type", "ASSAULT"],
                            env=ENV, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    table = pq.read_table(io.BytesIO(result.stdout))
    assert sorted(table.column("event_id").to_pylist()) == sorted(
        [ev(STRIKE_TEXT, "e1"), ev(INJECT_TEXT, "e1"), ev(INJECT_TEXT, "e2"), ev(UNICODE_TEXT, "e2")])
    assert b"wrote 4 events to standard output" in result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_parquet_is_refused_on_a_terminal(hand_db: Path) -> None:
    import pty

    leader, follower = pty.openpty()
    try:
        result = subprocess.run([sys.executable, "-m", "eventwire", "export", "-f", "parquet",
                                 "--db", str(hand_db)], env=ENV, stdout=follower,
                                stderr=subprocess.PIPE, timeout=120)
    finally:
        os.close(follower)
        os.close(leader)
    assert result.returncode == 2
    assert b"Parquet is binary" in result.stderr and b"-o FILE" in result.stderr
