"""The REST API against a real SQLite store built with real extraction of examples/.

Every endpoint is compared with the store's own answer to the same question,
so a filter that is dropped or misnamed on the way through HTTP shows up as a
difference. Error paths check the one error shape and that it names the
parameter at fault. The ingest tests use their own database, so the shared
one stays as examples/ made it.
"""
from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from eventwire.model import Article
from eventwire.store import EventFilter, Store
from eventwire.web import create_app, schemas

with warnings.catch_warnings():  # starlette's note that it would prefer httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

pytestmark = [pytest.mark.slow,
              pytest.mark.filterwarnings("ignore::DeprecationWarning")]

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
TOKEN = "s3cret-token-for-tests"
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
HOSTILE = ('Protesters marched in Nairobi on Monday. <script>alert("pwned")</script> '
           '<img src=x onerror="alert(1)"> & </textarea> "quoted" \u2028 police arrested 12 people.')
ENDPOINTS = {"/api/events", "/api/events/{event_id}", "/api/counts", "/api/export",
             "/api/articles", "/api/articles/{article_id}", "/api/articles/{article_id}/archived",
             "/api/quotes", "/api/actors", "/api/health", "/api/ingest"}


# --- fixtures ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, extractor: Any) -> str:
    """examples/ ingested with the real extractor, plus one article full of markup (not archived)."""
    from eventwire.ingestion import ingest

    path = str(tmp_path_factory.mktemp("api") / "examples.db")
    report = ingest([str(EXAMPLES)], path, extractor=extractor)
    assert report.ok and report.stored >= 8, report.failures
    with Store(path) as store:
        store.add_document(extractor.extract(Article("hostile", HOSTILE, "<b>Bold</b> title",
                                                     "2025-03-04")))
    return path


@pytest.fixture(scope="module")
def store(db: str) -> Iterator[Store]:
    with Store(db) as s:
        yield s


@pytest.fixture(scope="module")
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as c:
        yield c


@pytest.fixture()
def ingest_client(tmp_path: Path, extractor: Any) -> Iterator[TestClient]:
    """A server with a token on an empty database, sharing the session's loaded extractor."""
    app = create_app(str(tmp_path / "ingest.db"), token=TOKEN)
    app.state.extractor = extractor
    with TestClient(app) as c:
        yield c


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


def store_ids(store: Store, flt: EventFilter | None = None, **kw: Any) -> list[str]:
    return [e.id for e in store.events(flt, limit=None, **kw)]


def assert_error(response: httpx.Response, status: int, code: str,
                 parameter: str | None = None) -> dict[str, Any]:
    """The one error shape: status, code, message; parameter only when named."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) <= {"status", "code", "message", "parameter", "hint"}
    assert error["status"] == status and error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert error.get("parameter") == parameter
    schemas.ErrorOut.model_validate(body)
    return error


def first_with(store: Store, test: Any) -> Any:
    return next(e for e in store.events(limit=None) if test(e.event))


# --- health, events, paging --------------------------------------------------------------

def test_health_reports_version_and_counts(client: TestClient, store: Store) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["version"]
    assert body["counts"] == store.counts() and body["counts"]["events"] > 50
    schemas.HealthOut.model_validate(body)


def test_events_first_page_matches_the_store(client: TestClient, store: Store) -> None:
    body = client.get("/api/events").json()
    schemas.EventPage.model_validate(body)
    assert body["total"] == store.count_events()
    assert (body["limit"], body["offset"]) == (50, 0)
    assert ids(body["items"]) == [e.id for e in store.events(limit=50)]
    assert body["next"] == "/api/events?offset=50"
    item = body["items"][0]
    stored = store.get_event(item["id"])
    assert stored is not None
    assert {k: item[k] for k in stored.event.to_dict()} == stored.event.to_dict()
    assert item["url"] == f"/events/{item['id']}"
    assert (item["article_id"], item["article_title"], item["article_url"], item["published"]) == \
        (stored.article_id, stored.article_title, stored.article_url, stored.published)


def _filters(store: Store) -> list[tuple[str, dict[str, str], EventFilter]]:
    """One query per filter parameter, with values taken from the stored events."""
    located = first_with(store, lambda e: e.location and e.location.country)
    sourced = first_with(store, lambda e: e.source and e.source.country)
    targeted = first_with(store, lambda e: e.target and e.target.country)
    moded = first_with(store, lambda e: e.mode)
    inferred = first_with(store, lambda e: e.location and e.location.inferred)
    assert inferred is not None
    actor = sourced.event.source.name
    where = located.event.location.country
    return [
        ("type", {"type": "assault"}, EventFilter(type="ASSAULT")),
        ("status", {"status": "occurred"}, EventFilter(status="occurred")),
        ("mode", {"mode": moded.event.mode}, EventFilter(mode=moded.event.mode)),
        ("country", {"country": "usa"}, EventFilter(country="USA")),
        ("where", {"where": where}, EventFilter(where=where)),
        ("by", {"by": sourced.event.source.country},
         EventFilter(source_country=sourced.event.source.country)),
        ("against", {"against": targeted.event.target.country},
         EventFilter(target_country=targeted.event.target.country)),
        ("actor", {"actor": actor.lower()}, EventFilter(actor=actor.lower())),
        ("since", {"since": "2025-10-01"}, EventFilter(since="2025-10-01")),
        ("until", {"until": "2025-10-01"}, EventFilter(until="2025-10-01")),
        ("q", {"q": "strike"}, EventFilter(search="strike")),
        ("article", {"article": located.article_id}, EventFilter(article_id=located.article_id)),
        ("precise", {"precise": "true"}, EventFilter(precise_only=True)),
        ("combined", {"type": "ASSAULT", "country": "USA", "since": "2025-01-01"},
         EventFilter(type="ASSAULT", country="USA", since="2025-01-01")),
    ]


def test_every_filter_parameter_filters_like_the_store(client: TestClient, store: Store) -> None:
    everything = store.count_events()
    for name, params, flt in _filters(store):
        body = client.get("/api/events", params={**params, "limit": 500}).json()
        expected = store_ids(store, flt)
        assert ids(body["items"]) == expected, name
        assert body["total"] == len(expected), name
        assert 0 < body["total"] < everything, f"{name} did not narrow the events"


def test_blank_filter_values_mean_any(client: TestClient, store: Store) -> None:
    body = client.get("/api/events?type=&country=&q=&bbox=&limit=1").json()
    assert body["total"] == store.count_events()


def test_bbox_keeps_events_located_inside(client: TestClient, store: Store) -> None:
    placed = first_with(store, lambda e: e.location and e.location.lat is not None)
    lat, lon = placed.event.location.lat, placed.event.location.lon
    box = (lon - 2, lat - 2, lon + 2, lat + 2)
    body = client.get("/api/events", params={"bbox": ",".join(map(str, box)),
                                             "limit": 500}).json()
    assert placed.id in ids(body["items"])
    assert ids(body["items"]) == store_ids(store, EventFilter(bbox=box))
    for item in body["items"]:
        assert box[1] <= item["location"]["lat"] <= box[3]
        assert box[0] <= item["location"]["lon"] <= box[2]
    assert body["total"] < store.count_events()
    crossing = client.get("/api/events?bbox=170,-90,-170,90&limit=500").json()
    assert ids(crossing["items"]) == store_ids(store, EventFilter(bbox=(170, -90, -170, 90)))


def test_next_links_walk_every_event_once(client: TestClient, store: Store) -> None:
    url: str | None = "/api/events?type=ASSAULT&limit=4&order=date_asc"
    seen: list[str] = []
    pages = 0
    while url:
        body = client.get(url).json()
        seen += ids(body["items"])
        query = parse_qs(urlsplit(url).query)
        assert query["type"] == ["ASSAULT"] and query["order"] == ["date_asc"]
        url = body["next"]
        pages += 1
        assert pages < 50
    assert seen == store_ids(store, EventFilter(type="ASSAULT"), order="date_asc")
    assert pages == -(-len(seen) // 4) > 2
    last = client.get(f"/api/events?type=ASSAULT&limit=4&offset={len(seen) - 1}").json()
    assert len(last["items"]) == 1 and last["next"] is None
    beyond = client.get("/api/events?offset=100000").json()
    assert beyond["items"] == [] and beyond["next"] is None and beyond["total"] > 0


@pytest.mark.parametrize("order", ["date", "date_asc", "ingested"])
def test_order(client: TestClient, store: Store, order: str) -> None:
    body = client.get(f"/api/events?order={order}&limit=500").json()
    assert ids(body["items"]) == store_ids(store, order=order)


def test_orders_differ(client: TestClient) -> None:
    newest = ids(client.get("/api/events?order=date&limit=500").json()["items"])
    oldest = ids(client.get("/api/events?order=date_asc&limit=500").json()["items"])
    assert newest != oldest and sorted(newest) == sorted(oldest)


def test_one_event_has_its_article_and_coder(client: TestClient, store: Store) -> None:
    stored = store.events(limit=1)[0]
    body = client.get(f"/api/events/{stored.id}").json()
    schemas.EventDetail.model_validate(body)
    assert body["id"] == stored.id and body["type"] == stored.event.type
    assert body["article"] == {"id": stored.article_id, "title": stored.article_title,
                               "url": stored.article_url, "published": stored.published}
    assert body["coder"]["name"] == "eventwire" and body["coder"]["model"]


# --- counts ------------------------------------------------------------------------------

@pytest.mark.parametrize("by", ["day", "month", "type", "status", "mode", "country",
                                "source_country", "target_country"])
def test_counts_by_each_key(client: TestClient, store: Store, by: str) -> None:
    body = client.get(f"/api/counts?by={by}").json()
    schemas.CountsOut.model_validate(body)
    assert body["by"] == by
    assert [(i["key"], i["count"]) for i in body["items"]] == store.event_counts(by)
    assert len(body["items"]) > 1


def test_counts_take_the_event_filters(client: TestClient, store: Store) -> None:
    body = client.get("/api/counts?by=type&country=USA&since=2025-01-01").json()
    expected = store.event_counts("type", EventFilter(country="USA", since="2025-01-01"))
    assert [(i["key"], i["count"]) for i in body["items"]] == expected
    assert sum(n for _, n in expected) < store.count_events()
    acted = client.get("/api/counts?by=target_country&source_country=USA").json()
    assert [(i["key"], i["count"]) for i in acted["items"]] == \
        store.event_counts("target_country", EventFilter(source_country="USA"))
    assert client.get("/api/counts").json()["by"] == "day"


# --- export ------------------------------------------------------------------------------

def test_export_csv_streams_the_filtered_events(client: TestClient, store: Store) -> None:
    import csv
    import io

    response = client.get("/api/export?format=csv&type=ASSAULT")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == 'attachment; filename="eventwire-events.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    expected = [e.id for e in store.iter_events(EventFilter(type="ASSAULT"))]
    assert [r["event_id"] for r in rows] == expected and expected
    assert response.headers["content-security-policy"] == CSP


def test_export_jsonl_has_every_event(client: TestClient, store: Store) -> None:
    response = client.get("/api/export?format=jsonl")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/x-ndjson")
    assert response.headers["content-disposition"] == \
        'attachment; filename="eventwire-events.jsonl"'
    # split on newlines only: U+2028 in an article is legal inside a JSON Lines record
    lines = [json.loads(line) for line in response.content.split(b"\n") if line.strip()]
    assert [line["id"] for line in lines] == [e.id for e in store.iter_events()]


@pytest.mark.parametrize("fmt", ["parquet", "geojson", "plover"])
def test_export_every_other_format_downloads(client: TestClient, store: Store, fmt: str) -> None:
    response = client.get(f"/api/export?format={fmt}")
    assert response.status_code == 200, response.text
    if fmt == "parquet":
        import io

        import pyarrow.parquet as pq
        table = pq.read_table(io.BytesIO(response.content))
        assert table.num_rows == store.count_events()
    elif fmt == "geojson":
        data = response.json()
        located = [e for e in store.iter_events() if e.event.location and e.event.location.lat is not None]
        assert data["type"] == "FeatureCollection" and len(data["features"]) == len(located)
    else:
        assert [r["id"] for r in response.json()] == [e.id for e in store.iter_events()]


def test_acled_export_keeps_other_statuses_only_when_asked(client: TestClient, store: Store) -> None:
    import csv
    import io

    def rows(query: str) -> list[dict]:
        response = client.get(f"/api/export?format=acled{query}")
        assert response.status_code == 200, response.text
        return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))

    occurred = store.count_events(status="occurred")
    assert len(rows("")) == occurred
    planned = store.count_events(status="planned")
    assert planned and len(rows("&status=planned")) == planned


def test_export_of_nothing_is_an_empty_file(client: TestClient) -> None:
    response = client.get("/api/export?format=jsonl&since=1900-01-01&until=1900-01-02")
    assert response.status_code == 200 and response.content.strip() == b""


# --- articles, quotes, actors ------------------------------------------------------------

def test_articles_list_and_search(client: TestClient, store: Store) -> None:
    body = client.get("/api/articles?limit=3").json()
    schemas.ArticlePage.model_validate(body)
    assert body["total"] == store.count_articles() > 3
    assert ids(body["items"]) == [a.id for a in store.articles(limit=3)]
    assert body["next"] == "/api/articles?limit=3&offset=3"
    first = store.articles(limit=1)[0]
    assert body["items"][0]["events"] == first.events
    found = client.get("/api/articles?q=caribbean").json()
    assert ids(found["items"]) == [a.id for a in store.articles(search="caribbean")]
    assert 0 < found["total"] < body["total"]


def test_article_detail(client: TestClient, store: Store) -> None:
    summary = max(store.articles(limit=None), key=lambda a: a.events)
    body = client.get(f"/api/articles/{summary.id}").json()
    schemas.ArticleDetail.model_validate(body)
    article = store.get_article(summary.id)
    assert article is not None
    assert body["text"] == article.text and body["coder"] == article.coder
    assert ids(body["events"]) == store_ids(store, EventFilter(article_id=summary.id),
                                             order="ingested")
    assert [q["id"] for q in body["quotes"]] == [q.id for q in store.quotes(summary.id)]
    assert all(q["article_title"] == article.title for q in body["quotes"])
    assert body["archived"] == f"/api/articles/{summary.id}/archived"


def _article_from(store: Store, name: str) -> str:
    """The id of the article ingested from examples/NAME (its source label is the path)."""
    for summary in store.articles(limit=None):
        article = store.get_article(summary.id)
        if article and article.source and article.source.endswith(name):
            return article.id
    raise AssertionError(f"no article from {name}")


def test_archived_html_is_a_sandboxed_download(client: TestClient, store: Store) -> None:
    article_id = _article_from(store, "caribbean-strike.html")
    response = client.get(f"/api/articles/{article_id}/archived")
    assert response.status_code == 200
    assert response.content == (EXAMPLES / "caribbean-strike.html").read_bytes()
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"].startswith("sandbox")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-disposition"].startswith("attachment;")


def test_archived_text_shows_inline_but_sandboxed(client: TestClient, store: Store) -> None:
    article_id = _article_from(store, "aid-convoy.txt")
    response = client.get(f"/api/articles/{article_id}/archived")
    assert response.status_code == 200
    assert response.content == (EXAMPLES / "aid-convoy.txt").read_bytes()
    assert response.headers["content-type"].startswith("text/plain")
    assert "content-disposition" not in response.headers
    assert response.headers["content-security-policy"].startswith("sandbox")


def test_article_without_archive_has_none(client: TestClient, store: Store) -> None:
    hostile = next(a for a in store.articles(limit=None) if a.url is None and a.title)
    body = client.get(f"/api/articles/{hostile.id}").json()
    assert body["archived"] is None
    assert_error(client.get(f"/api/articles/{hostile.id}/archived"), 404, "not_found")


def test_markup_in_articles_comes_back_as_plain_strings(client: TestClient, store: Store) -> None:
    hostile = next(a for a in store.articles(limit=None) if a.title == "<b>Bold</b> title")
    response = client.get(f"/api/articles/{hostile.id}")
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["text"] == HOSTILE and body["title"] == "<b>Bold</b> title"
    assert '<script>alert(\\"pwned\\")</script>' in response.text
    for event in body["events"]:
        for mention in event["mentions"]:
            assert HOSTILE[mention["start"]:mention["end"]] == mention["text"]
    listed = client.get("/api/articles?q=bold").json()["items"]
    assert [a["title"] for a in listed] == ["<b>Bold</b> title"]


def test_quotes_filters(client: TestClient, store: Store) -> None:
    body = client.get("/api/quotes?limit=5").json()
    schemas.QuotePage.model_validate(body)
    assert body["total"] == store.count_quotes() > 5
    assert [q["id"] for q in body["items"]] == [q.id for q in store.quotes(limit=5)]
    assert body["next"] == "/api/quotes?limit=5&offset=5"
    speaker = next(q.quote.speaker.name for q in store.quotes() if q.quote.speaker)
    by_speaker = client.get("/api/quotes", params={"speaker": speaker, "limit": 500}).json()
    assert [q["id"] for q in by_speaker["items"]] == [q.id for q in store.quotes(speaker=speaker)]
    assert 0 < by_speaker["total"] < body["total"]
    words = client.get("/api/quotes?q=police&limit=500").json()
    assert [q["id"] for q in words["items"]] == [q.id for q in store.quotes(words="police")]
    assert all("police" in q["text"].lower() for q in words["items"]) and words["items"]
    article_id = store.quotes()[0].article_id
    one = client.get(f"/api/quotes?article={article_id}&limit=500").json()
    assert {q["article_id"] for q in one["items"]} == {article_id}
    assert one["total"] == store.count_quotes(article_id)
    title = store.get_article(article_id).title
    assert all(q["article_title"] == title for q in one["items"])


def test_actors(client: TestClient, store: Store) -> None:
    body = client.get("/api/actors?limit=3").json()
    schemas.ActorPage.model_validate(body)
    expected = store.actors(limit=3)
    assert [(a["name"], a["country"], a["events"], a["acts"], a["targeted"])
            for a in body["items"]] == [(a.name, a.country, a.events, a.acts, a.targeted)
                                        for a in expected]
    assert body["next"] == "/api/actors?limit=3&offset=3"
    name = expected[0].name
    assert body["items"][0]["url"] == "/events?" + httpx.QueryParams({"actor": name}).__str__()
    found = client.get("/api/actors", params={"q": name[:5].lower(), "limit": 500}).json()
    assert name in [a["name"] for a in found["items"]] and found["next"] is None
    assert len(found["items"]) == len(store.actors(name[:5].lower(), limit=None))


# --- errors ------------------------------------------------------------------------------

BAD_PARAMETERS = [
    ("/api/events?limit=0", "limit"),
    ("/api/events?limit=501", "limit"),
    ("/api/events?limit=ten", "limit"),
    ("/api/events?offset=-1", "offset"),
    ("/api/events?order=newest", "order"),
    ("/api/events?type=assualt", "type"),
    ("/api/events?status=happened", "status"),
    ("/api/events?mode=laser", "mode"),
    ("/api/events?country=US", "country"),
    ("/api/events?where=Venezuela", "where"),
    ("/api/events?by=U1A", "by"),
    ("/api/events?against=12", "against"),
    ("/api/events?since=2025-9-1", "since"),
    ("/api/events?until=2025-02-30", "until"),
    ("/api/events?since=2025-03-01&until=2025-02-01", "until"),
    ("/api/events?bbox=1,2,3", "bbox"),
    ("/api/events?bbox=a,b,c,d", "bbox"),
    ("/api/events?bbox=-200,0,10,10", "bbox"),
    ("/api/events?bbox=0,20,10,10", "bbox"),
    ("/api/events?precise=perhaps", "precise"),
    ("/api/events?q=" + "x" * 501, "q"),
    ("/api/counts?by=USA", "by"),
    ("/api/counts?by=type&source_country=XX", "source_country"),
    ("/api/counts?by=type&bbox=1", "bbox"),
    ("/api/export?format=xlsx", "format"),
    ("/api/export?format=csv&type=nothing", "type"),
    ("/api/articles?limit=9999", "limit"),
    ("/api/quotes?offset=x", "offset"),
    ("/api/actors?limit=-5", "limit"),
]


@pytest.mark.parametrize(("url", "parameter"), BAD_PARAMETERS)
def test_bad_parameter_is_422_naming_it(client: TestClient, url: str, parameter: str) -> None:
    error = assert_error(client.get(url), 422, "invalid_parameter", parameter)
    assert error["message"].startswith(parameter)


def test_422_messages_say_why_and_what_to_do(client: TestClient) -> None:
    bbox = assert_error(client.get("/api/events?bbox=1,2,3"), 422, "invalid_parameter", "bbox")
    assert "four numbers" in bbox["message"] and "west,south,east,north" in bbox["hint"]
    kind = assert_error(client.get("/api/events?type=assualt"), 422, "invalid_parameter", "type")
    assert "ASSAULT" in kind["hint"]
    limit = assert_error(client.get("/api/events?limit=501"), 422, "invalid_parameter", "limit")
    assert "500" in limit["message"]
    by = assert_error(client.get("/api/counts?by=USA"), 422, "invalid_parameter", "by")
    assert "source_country" in by["hint"]


@pytest.mark.parametrize("url", ["/api/events/nope-e1", "/api/articles/0000000000000000",
                                 "/api/articles/0000000000000000/archived", "/api/nothing",
                                 "/api/events/a/b", "/api"])
def test_unknown_ids_and_paths_are_404(client: TestClient, url: str) -> None:
    assert_error(client.get(url), 404, "not_found")


def test_wrong_method_is_405_with_allow(client: TestClient) -> None:
    response = client.delete("/api/events")
    error = assert_error(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "GET" and "GET" in error["hint"]
    assert_error(client.post("/api/health"), 405, "method_not_allowed")
    assert_error(client.get("/api/ingest"), 405, "method_not_allowed")


def test_a_crash_is_500_without_a_traceback(db: str) -> None:
    app = create_app(db)

    def explode() -> None:
        raise RuntimeError("secret internal detail")

    app.add_api_route("/api/explode", explode)
    with TestClient(app) as c:
        response = c.get("/api/explode")
    error = assert_error(response, 500, "internal_error")
    assert "secret" not in response.text and "Traceback" not in response.text
    assert "log" in error["hint"]
    assert response.headers["content-security-policy"] == CSP


def test_page_errors_stay_html(client: TestClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == CSP


# --- security headers, docs, OpenAPI -----------------------------------------------------

@pytest.mark.parametrize("url", ["/api/health", "/api/events?limit=1", "/api/nothing",
                                 "/api/events?limit=0", "/openapi.json", "/docs",
                                 "/static/swagger/swagger-ui.css", "/events"])
def test_security_headers_on_every_answer(client: TestClient, url: str) -> None:
    headers = client.get(url).headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cross-origin-opener-policy"] == "same-origin"
    assert "camera=()" in headers["permissions-policy"]
    if url == "/docs":
        assert "content-security-policy" not in headers
    else:
        assert headers["content-security-policy"] == CSP


def test_docs_load_offline(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    page = response.text
    assert "http://" not in page and "https://" not in page
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets and all(a.startswith("/static/swagger/") for a in assets)
    assert "swagger-ui-bundle.js" in page and "'/docs/openapi-3.0.json'" in page
    for asset in [*assets, "/docs/openapi-3.0.json"]:
        assert client.get(asset).status_code == 200, asset
    assert '"validatorUrl": null' in page


def test_docs_spec_is_openapi_30_for_the_packaged_swagger_ui(client: TestClient) -> None:
    """swagger-ui-bundle ships Swagger UI 4, which shows nothing for an OpenAPI 3.1 document."""
    full = client.get("/openapi.json").json()
    docs = client.get("/docs/openapi-3.0.json").json()
    assert full["openapi"].startswith("3.1") and docs["openapi"] == "3.0.3"
    assert docs["paths"].keys() == full["paths"].keys()
    text = json.dumps(docs)
    assert '"type": "null"' not in text and '"const"' not in text
    source = docs["components"]["schemas"]["EventOut"]["properties"]["source"]
    assert source == {"nullable": True, "allOf": [{"$ref": "#/components/schemas/ActorOut"}]}
    mode = docs["components"]["schemas"]["EventOut"]["properties"]["mode"]
    assert mode["type"] == "string" and mode["nullable"] is True


def test_openapi_documents_every_endpoint_and_parameter(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    api_paths = {p for p in spec["paths"] if p.startswith("/api")}
    assert api_paths == ENDPOINTS
    events = spec["paths"]["/api/events"]["get"]
    params = {p["name"]: p for p in events["parameters"]}
    assert set(params) >= {"type", "status", "mode", "country", "where", "by", "against", "actor",
                           "since", "until", "q", "bbox", "article", "precise", "limit", "offset",
                           "order"}
    assert all(p.get("description") for p in params.values())
    assert events["responses"]["422"]["content"]["application/json"]["schema"]["$ref"] \
        .endswith("/ErrorOut")
    assert "ErrorOut" in spec["components"]["schemas"]
    counts = {p["name"] for p in spec["paths"]["/api/counts"]["get"]["parameters"]}
    assert "source_country" in counts and "by" in counts
    body = spec["paths"]["/api/ingest"]["post"]["requestBody"]["content"]["application/json"]
    assert "articles" in body["schema"]["properties"]
    assert "$ref" not in json.dumps(body)  # written out: no dangling $defs
    formats = {p["name"]: p for p in spec["paths"]["/api/export"]["get"]["parameters"]}["format"]
    assert "csv" in json.dumps(formats["schema"]) or "$ref" in json.dumps(formats["schema"])


# --- ingest ------------------------------------------------------------------------------

def _auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_read_only_server_refuses_ingest_and_stores_nothing(client: TestClient,
                                                            store: Store) -> None:
    before = store.counts()
    body = {"articles": [{"text": "Police arrested 12 protesters in Nairobi on Tuesday."}]}
    for headers in ({}, _auth()):
        error = assert_error(client.post("/api/ingest", json=body, headers=headers), 403,
                             "ingest_disabled")
        assert "--token" in error["hint"]
    assert store.counts() == before


def test_ingest_needs_the_right_token(ingest_client: TestClient) -> None:
    body = {"articles": [{"text": "Police arrested 12 protesters in Nairobi on Tuesday."}]}
    for headers in ({}, {"Authorization": f"Basic {TOKEN}"}, _auth("wrong"), {"Authorization": "Bearer"}):
        response = ingest_client.post("/api/ingest", json=body, headers=headers)
        assert_error(response, 401, "unauthorized", "Authorization")
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert ingest_client.get("/api/health").json()["counts"]["articles"] == 0


def test_ingest_stores_reports_duplicates_and_failures(ingest_client: TestClient) -> None:
    good = {"text": "Police arrested 12 protesters in Nairobi on Tuesday, officials said.",
            "title": "Arrests in Nairobi", "published": "2025-03-06",
            "url": "https://news.example/nairobi"}
    other = {"text": "Thousands of workers marched in Lagos on Monday to demand higher wages."}
    too_long = {"text": "word " * 220_000}
    response = ingest_client.post("/api/ingest", json={"articles": [good, too_long, other]},
                                  headers=_auth())
    assert response.status_code == 200, response.text
    body = response.json()
    schemas.IngestResult.model_validate(body)
    assert (body["stored"], body["duplicates"]) == (2, 0)
    assert [f["index"] for f in body["failed"]] == [1]
    assert "limit" in body["failed"][0]["error"]
    assert len(body["article_ids"]) == 2
    article = ingest_client.get(f"/api/articles/{body['article_ids'][0]}").json()
    assert article["text"] == good["text"] and article["title"] == good["title"]
    assert article["archived"] is None
    assert any(e["type"] == "COERCE" for e in article["events"])
    again = ingest_client.post("/api/ingest", json={"articles": [good]}, headers=_auth()).json()
    assert (again["stored"], again["duplicates"], again["failed"]) == (0, 1, [])
    assert again["article_ids"] == body["article_ids"][:1]
    counts = ingest_client.get("/api/health").json()["counts"]
    assert counts["articles"] == 2


def test_ingested_markup_comes_back_verbatim(ingest_client: TestClient) -> None:
    response = ingest_client.post("/api/ingest", json={"articles": [{"text": HOSTILE}]},
                                  headers=_auth())
    article_id = response.json()["article_ids"][0]
    assert ingest_client.get(f"/api/articles/{article_id}").json()["text"] == HOSTILE


@pytest.mark.parametrize(("body", "parameter"), [
    ({}, "articles"),
    ({"articles": []}, "articles"),
    ({"articles": "text"}, "articles"),
    ({"articles": [{"title": "no text"}]}, "articles[0].text"),
    ({"articles": [{"text": "   "}]}, "articles[0].text"),
    ({"articles": [{"text": "ok", "publised": "2025-01-01"}]}, "articles[0].publised"),
    ({"articles": [{"text": "ok"}, {"text": "ok", "url": "javascript:alert(1)"}]},
     "articles[1].url"),
    ({"articles": [{"text": "ok", "published": "yesterday"}]}, "articles[0].published"),
    ({"articles": [{"text": 42}]}, "articles[0].text"),
])
def test_ingest_body_is_checked(ingest_client: TestClient, body: dict[str, Any],
                                parameter: str) -> None:
    response = ingest_client.post("/api/ingest", json=body, headers=_auth())
    assert_error(response, 422, "invalid_parameter", parameter)


def test_ingest_refuses_bad_json_and_types(ingest_client: TestClient) -> None:
    bad = ingest_client.post("/api/ingest", content=b"{not json", headers={
        **_auth(), "Content-Type": "application/json"})
    assert_error(bad, 422, "invalid_parameter", "body")
    form = ingest_client.post("/api/ingest", content=b"text=hello", headers={
        **_auth(), "Content-Type": "application/x-www-form-urlencoded"})
    assert_error(form, 415, "unsupported_media_type")


def test_ingest_limits_are_413(ingest_client: TestClient) -> None:
    many = {"articles": [{"text": f"Article {i}."} for i in range(schemas.MAX_INGEST_ARTICLES + 1)]}
    assert_error(ingest_client.post("/api/ingest", json=many, headers=_auth()), 413, "too_large",
                 "articles")
    huge = {"articles": [{"text": "x" * (schemas.MAX_INGEST_BYTES + 10)}]}
    assert_error(ingest_client.post("/api/ingest", json=huge, headers=_auth()), 413, "too_large")
    assert ingest_client.get("/api/health").json()["counts"]["articles"] == 0


def test_ingest_without_a_model_is_503(tmp_path: Path) -> None:
    app = create_app(str(tmp_path / "nomodel.db"), token=TOKEN, model="no_such_spacy_model")
    with TestClient(app) as c:
        response = c.post("/api/ingest", json={"articles": [{"text": "Hello there."}]},
                          headers=_auth())
    error = assert_error(response, 503, "unavailable")
    assert "no_such_spacy_model" in error["message"]


# --- the real server ---------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def live(db: str) -> Iterator[str]:
    """The real ``eventwire serve`` on a free 127.0.0.1 port (60 s to start; killed at the end)."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "eventwire", "serve", "--db", db,
                             "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"eventwire serve exited: {proc.stderr.read().decode()}")
            try:
                httpx.get(f"{base}/api/health", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    pytest.fail("eventwire serve did not answer within 60 s")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_eventwire_serve_answers_health(live: str) -> None:
    response = httpx.get(f"{live}/api/health", timeout=10)
    body = response.json()
    assert body["status"] == "ok" and body["counts"]["events"] > 50
    assert response.headers["content-security-policy"] == CSP
    events = httpx.get(f"{live}/api/events?type=ASSAULT&limit=2", timeout=10).json()
    assert len(events["items"]) == 2 and events["next"]


def test_docs_render_in_a_browser_with_no_outside_request(live: str) -> None:
    """Swagger UI really draws every operation, offline: only 127.0.0.1 is asked for anything."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{chromium} is missing and CI is set: install Debian's chromium")
        pytest.skip(f"{chromium} is absent: install Debian's chromium to run browser tests")
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium),
                                     args=["--no-sandbox", "--disable-gpu",
                                           "--disable-background-networking"])
        try:
            page = browser.new_page()
            page.on("request", lambda r: outside.append(r.url)
                    if not r.url.startswith((live, "data:")) else None)
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{live}/docs")
            page.wait_for_selector(".opblock", timeout=30_000)
            drawn = page.locator(".opblock").count()
            text = page.locator(".swagger-ui").inner_text()
        finally:
            browser.close()
    assert drawn == len(ENDPOINTS), text[:500]
    assert "/api/ingest" in text and "Unable to render" not in text
    assert outside == [] and errors == []


# --- the speed benchmark -----------------------------------------------------------------

def test_api_speed_bench_writes_its_table(tmp_path: Path) -> None:
    report = tmp_path / "speed.md"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "api_speed.py"), "--events", "300",
                           "--articles", "30", "--repeat", "3", "--warmup", "1",
                           "--db", str(tmp_path / "bench.db"), "--markdown", str(report)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    table = report.read_text(encoding="utf-8")
    assert "| query |" in table and "p50 ms" in table and "p95 ms" in table
    for name in ("filtered page (type)", "baseline: Store.events", "/api/counts by day",
                 "/api/events/{id}", "/events page"):
        assert name in table, name
    assert "300 events" in table
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) > 15
