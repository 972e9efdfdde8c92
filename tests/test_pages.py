"""The server-rendered pages, through the real app on a real SQLite store built by real extraction.

The browser tests (test_ui.py) check what scripts draw; these check the HTML
the server sends: content, filters, paging, errors, escaping, and that no
page needs inline script or style (the Content-Security-Policy forbids them).
"""
from __future__ import annotations

import json
import re
import struct
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from ui_support import LONG_WORD, Site, parse, shared_site, visible_text

from eventwire.store import Store
from eventwire.web import create_app, shapes

slow = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory, extractor) -> Site:
    return shared_site(tmp_path_factory, extractor)


@pytest.fixture(scope="module")
def client(site: Site):
    with TestClient(create_app(site.db)) as c:
        yield c


@pytest.fixture(scope="module")
def store(site: Site):
    with Store(site.db) as s:
        yield s


def rows(page: str) -> list[str]:
    """The event ids of an events table, in order."""
    return re.findall(r'<tr data-event-id="([^"]+)"', page)


def get(client: TestClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    return response.text


# --- every page ---------------------------------------------------------------------

@slow
def test_root_redirects_to_events(client):
    response = client.get("/", follow_redirects=False)
    assert response.status_code in (302, 303, 307)
    assert response.headers["location"] == "/events"


@slow
def test_every_page_renders_with_its_content(client, site: Site, store: Store):
    event = store.get_event(site.example_event)
    pages = {
        "/events": ["<h1>Events</h1>", f"of {store.count_events()} events</p>", 'name="type"'],
        "/timeline": ["<h1>Timeline</h1>", 'id="timeline-data"', "/static/timeline.js"],
        "/map": ["<h1>Map</h1>", 'id="map-config"', "/static/map.js", "Filter to this view"],
        "/articles": ["<h1>Articles</h1>", "Gangs storm police station"],
        f"/articles/{event.article_id}": [event.article_title, "<h2 id=\"quotes-h\">Quotes</h2>"],
        f"/events/{event.id}": ["Fields and the words they came from", 'id="evidence-0"'],
        "/quotes": ["<h1>Quotes</h1>", f"of {store.count_quotes()} quotes</p>", "<blockquote>"],
        "/actors": ["<h1>Actors</h1>", "/events?actor=Ecuador"],
    }
    for url, expected in pages.items():
        page = get(client, url)
        for text in expected:
            assert text in page, (url, text)
        assert 'aria-label="Main"' in page and "/static/eventwire.css" in page


@slow
def test_events_table_lists_every_event_with_its_fields(client, store: Store):
    page = get(client, "/events?limit=500")
    total = store.count_events()
    assert len(rows(page)) == total
    assert f"1–{total} of {total} events" in page
    event = store.events(limit=1)[0]
    row = page.split(f'<tr data-event-id="{event.id}">')[1].split("</tr>")[0]
    assert event.event.type in row and event.event.status in row
    assert f'href="/events/{event.id}"' in row
    assert f'href="/articles/{event.article_id}"' in row


# --- filters --------------------------------------------------------------------------

@slow
@pytest.mark.parametrize("query, field", [
    ("type=ASSAULT", {"type": "ASSAULT"}),
    ("status=threatened", {"status": "threatened"}),
    ("where=VEN", {"where": "VEN"}),
    ("by=USA", {"source_country": "USA"}),
    ("against=COL", {"target_country": "COL"}),
    ("country=KEN", {"country": "KEN"}),
    ("actor=police", {"actor": "police"}),
    ("q=strike", {"search": "strike"}),
    ("since=2025-09-01&until=2025-09-30", {"since": "2025-09-01", "until": "2025-09-30"}),
    ("bbox=-80,0,-55,15", {"bbox": (-80.0, 0.0, -55.0, 15.0)}),
    ("mode=arrest", {"mode": "arrest"}),
    ("precise=true", {"precise_only": True}),
    ("article=418fd358cac8d969", {"article_id": "418fd358cac8d969"}),
])
def test_filters_change_the_table_as_the_store_filters(client, store: Store, query, field):
    page = get(client, f"/events?{query}&limit=500&order=ingested")
    expected = [e.id for e in store.events(limit=None, order="ingested", **field)]
    assert expected, f"the test data has no event for {query}"
    assert rows(page) == expected
    assert len(expected) < store.count_events()
    # the form keeps what was asked
    for name, value in parse_qs(query).items():
        if name not in ("bbox", "precise", "article"):
            assert f'value="{value[0]}"' in page


@slow
def test_filter_links_keep_the_filters(client):
    page = get(client, "/events?type=ASSAULT&where=VEN")
    for path in ("/timeline", "/map"):
        assert f'href="{path}?type=ASSAULT&amp;where=VEN"' in page
    assert 'href="/api/export?type=ASSAULT&amp;where=VEN&amp;format=csv"' in page
    assert 'href="/api/export?type=ASSAULT&amp;where=VEN&amp;format=parquet"' in page
    # each filter in use can be removed alone
    assert 'href="/events?where=VEN"' in page and 'href="/events?type=ASSAULT"' in page


@slow
def test_bad_filters_say_what_is_wrong(client):
    page = get(client, "/events?since=2025-13-01", status=422)
    assert "since" in page and "YYYY-MM-DD" in page and not rows(page)
    page = get(client, "/events?type=assualt", status=422)
    assert "unknown event type" in page and "ASSAULT" in page
    page = get(client, "/events?bbox=1,2", status=422)
    assert "bbox" in page and "west,south,east,north" in page
    page = get(client, "/events?limit=abc&offset=-3")
    assert "limit &#39;abc&#39; is not a whole number" in page and "offset -3 is out of range" in page
    assert len(rows(page)) == 50
    get(client, "/timeline?until=yesterday", status=422)
    get(client, "/map?country=US", status=422)


@slow
def test_paging_walks_the_whole_list(client, store: Store):
    total = store.count_events()
    seen: list[str] = []
    url = "/events?limit=20&type="
    while url:
        page = get(client, url)
        seen += rows(page)
        found = re.search(r'<a rel="next" href="([^"]+)"', page)
        url = found.group(1).replace("&amp;", "&") if found else None
        if url:
            assert "limit=20" in url
    assert len(seen) == total == len(set(seen))
    assert seen == [e.id for e in store.events(limit=None)]
    last = get(client, "/events?limit=20&offset=80")
    assert f"81–{total} of {total} events" in last and 'rel="prev" href="/events?offset=60&amp;limit=20"' in last


# --- one event, one article --------------------------------------------------------------

@slow
def test_event_page_marks_the_evidence_and_places_each_field(client, site: Site, store: Store):
    stored = store.get_event(site.example_event)
    page = get(client, f"/events/{stored.id}")
    mention = stored.event.mentions[0]
    assert parse(page, "evidence-0").captured == mention.text
    # every field has a row; the source's words are found in the text and labelled there
    for label in ("Type", "Mode", "Status", "Source", "Target", "Location", "Time"):
        assert f"<th scope=\"row\">{label}</th>" in page
    source = stored.event.source
    anchor = re.search(r'<tr class="field-source">.*?href="#(field-\d+)"', page, re.S)
    assert anchor, "the source's words were not located in the article"
    assert parse(page, anchor.group(1)).captured.lower() == source.text.lower()
    assert f'data-field="source"' in page
    # the source article, its coder, and the other events of the article
    assert f'href="/articles/{stored.article_id}"' in page and "eventwire 0.1.0" in page
    others = [e.id for e in store.events(article_id=stored.article_id, limit=None) if e.id != stored.id]
    assert set(rows(page)) == set(others)


@slow
def test_event_page_survives_offsets_that_do_not_fit(client, store: Store, tmp_path):
    """Bad offsets (a database edited by hand, or another coder) are clamped, not a crash."""
    from eventwire.model import Article, Document, Event, Span

    text = "Troops shelled the town on Monday."
    doc = Document(Article("bad-offsets", text), events=[
        Event("ASSAULT", "occurred", [Span(-5, 9999, "nothing like this")], trigger="shelled"),
        Event("ASSAULT", "occurred", [Span(40, 2, "the town")])])
    db = tmp_path / "bad.db"
    with Store(db) as s:
        article_id, _ = s.add_document(doc)
    with TestClient(create_app(str(db))) as c:
        first = get(c, f"/events/{article_id}-e1")
        assert parse(first, "evidence-0").captured == text
        second = get(c, f"/events/{article_id}-e2")
        assert parse(second, "evidence-0").captured == "the town"


@slow
def test_unknown_event_and_article_give_a_404_page(client):
    page = get(client, "/events/0000000000000000-e1", status=404)
    assert "Not found" in page and "no event" in page and 'href="/events"' in page
    page = get(client, "/articles/nope", status=404)
    assert "no article" in page
    page = get(client, "/no/such/page", status=404)  # the app's own 404, through our error page
    assert "<h1>Not found</h1>" in page and 'aria-label="Main"' in page


@slow
def test_article_page_shows_text_events_and_highlighted_quotes(client, store: Store):
    summary = next(a for a in store.articles(limit=None) if a.url and a.url.startswith("https://"))
    article = store.get_article(summary.id)
    page = get(client, f"/articles/{article.id}")
    quotes = store.quotes(article.id)
    assert len(re.findall(r'<mark class="quote"', page)) >= 1
    first = quotes[0]
    assert parse(page, f"q{first.id}").captured == article.text[first.quote.start:first.quote.end]
    assert set(rows(page)) == {e.id for e in store.events(article_id=article.id, limit=None)}
    assert f'href="{article.url}"' in page
    assert f'href="/api/articles/{article.id}/archived"' in page  # stored with its raw bytes


@slow
def test_article_urls_that_are_not_web_addresses_are_not_links(client, store: Store):
    local = next(a for a in store.articles(limit=None) if a.url and a.url.startswith("file:"))
    page = get(client, f"/articles/{local.id}")
    assert local.url in page and f'href="{local.url}"' not in page


@slow
def test_articles_search_and_paging(client, store: Store):
    page = get(client, "/articles?q=haiti")
    assert "Gangs storm police station" in page and "Ecuador sends troops" not in page
    page = get(client, "/articles?limit=3")
    assert f"1–3 of {store.count_articles()} articles" in page and 'rel="next"' in page


@slow
def test_quotes_filter_by_speaker_and_words(client, store: Store):
    page = get(client, "/quotes?speaker=osman")
    expected = store.quotes(speaker="osman")
    assert expected and len(re.findall(r"<blockquote>", page)) == len(expected)
    page = get(client, "/quotes?q=ammunition")
    assert "ran out of ammunition" in page and len(re.findall(r"<blockquote>", page)) == 1
    page = get(client, "/quotes?limit=5&offset=5")
    assert f"6–10 of {store.count_quotes()} quotes" in page


@slow
def test_actors_link_to_their_events(client, store: Store):
    page = get(client, "/actors?q=kenya")
    names = [a.name for a in store.actors(search="kenya")]
    assert names and all(f"/events?actor={n.replace(' ', '+')}" in page for n in names)
    assert "Ecuador" not in page
    events = get(client, "/events?actor=Kenya+police&limit=500")
    assert rows(events) and len(rows(events)) == store.count_events(actor="Kenya police")


# --- timeline -----------------------------------------------------------------------------

def timeline_json(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="timeline-data">(.*?)</script>', page, re.S)
    assert block, "no timeline data block"
    return json.loads(block.group(1))


@slow
@pytest.mark.parametrize("unit", ["day", "month"])
def test_each_timeline_bar_counts_what_its_click_lists(client, store: Store, unit):
    data = timeline_json(get(client, f"/timeline?unit={unit}&country=VEN"))
    assert data["unit"] == unit and data["periods"]
    assert data["drawn"] + data["wider"] + data["undated"] == store.count_events(country="VEN")
    for period in data["periods"]:
        for kind, n in period["counts"].items():
            listed = store.count_events(country="VEN", type=kind, since=period["since"],
                                        until=period["until"])
            assert listed == n, (period, kind)
    assert data["base"] == "country=VEN"


@slow
def test_timeline_chooses_month_bars_for_long_spans(client):
    data = timeline_json(get(client, "/timeline"))
    assert data["unit"] == "day"  # the examples span less than 400 days
    assert sorted(data["types"]) == sorted(set(data["types"]))


# --- map ------------------------------------------------------------------------------------

def test_countries_geojson_is_the_world():
    data = json.loads(shapes.countries_geojson())
    assert data["type"] == "FeatureCollection"
    features = {f["properties"]["iso_a3"]: f for f in data["features"]}
    assert len(data["features"]) == 177
    assert {"VEN", "USA", "FRA", "NOR", "KEN", "ZAF"} <= set(features)
    for feature in data["features"]:
        geometry = feature["geometry"]
        assert geometry["type"] in ("Polygon", "MultiPolygon")
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        for rings in polygons:
            for ring in rings:
                assert len(ring) >= 4 and ring[0] == ring[-1]
                assert all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in ring)
    ven = _bounds(features["VEN"])
    assert -74 < ven[0] < ven[2] < -59 and 0 < ven[1] < ven[3] < 13
    usa = _bounds(features["USA"])  # includes Alaska and Hawaii? Alaska at least
    assert usa[0] < -165 and usa[2] > -68 and usa[3] > 70
    # Lesotho is a hole in South Africa: an outer ring and an inner one
    zaf = features["ZAF"]["geometry"]
    assert zaf["type"] == "Polygon" and len(zaf["coordinates"]) == 2


def _bounds(feature: dict) -> tuple[float, float, float, float]:
    geometry = feature["geometry"]
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    points = [p for rings in polygons for ring in rings for p in ring]
    return (min(p[0] for p in points), min(p[1] for p in points),
            max(p[0] for p in points), max(p[1] for p in points))


def test_countries_route_serves_geojson(tmp_path):
    with TestClient(create_app(str(tmp_path / "empty.db"))) as c:
        response = c.get("/map/countries.json")
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/geo+json"
        assert len(response.json()["features"]) == 177


def test_shape_reader_groups_holes_and_winds_rings_for_geojson(tmp_path):
    """A square with a square hole, written as a shapefile, reads back as one polygon, two rings."""
    outer = [(0, 0), (0, 10), (10, 10), (10, 0), (0, 0)]      # clockwise: an outer ring
    hole = [(2, 2), (4, 2), (4, 4), (2, 4), (2, 2)]           # counter-clockwise: a hole
    base = tmp_path / "square"
    _write_polygon_shapefile(base, [outer, hole], name="Squareland")
    (shape,) = shapes.read_shapes(base)
    assert shape.properties == {"name": "Squareland", "iso_a3": "SQL", "continent": None}
    (polygon,) = shape.polygons
    assert polygon[0] == [(float(x), float(y)) for x, y in reversed(outer)]
    assert polygon[1] == [(float(x), float(y)) for x, y in reversed(hole)]
    assert shapes._signed_area(polygon[0]) > 0 > shapes._signed_area(polygon[1])


def _write_polygon_shapefile(base: Path, rings: list[list[tuple[int, int]]], name: str) -> None:
    points = [p for ring in rings for p in ring]
    starts, at = [], 0
    for ring in rings:
        starts.append(at)
        at += len(ring)
    body = struct.pack("<i4d2i", 5, 0, 0, 10, 10, len(rings), len(points))
    body += struct.pack(f"<{len(rings)}i", *starts)
    body += b"".join(struct.pack("<2d", x, y) for x, y in points)
    record = struct.pack(">2i", 1, len(body) // 2) + body
    header = struct.pack(">7i", 9994, 0, 0, 0, 0, 0, (100 + len(record)) // 2)
    header += struct.pack("<2i4d4d", 1000, 5, 0, 0, 10, 10, 0, 0, 0, 0)
    base.with_suffix(".shp").write_bytes(header + record)
    fields = [(b"name", b"C", 20), (b"iso_a3", b"C", 3)]
    head_len = 32 + 32 * len(fields) + 1
    rec_len = 1 + sum(size for _, _, size in fields)
    dbf = struct.pack("<B3BIHH20x", 3, 124, 1, 1, 1, head_len, rec_len)
    for fname, kind, size in fields:
        dbf += fname.ljust(11, b"\0") + kind + b"\0" * 4 + bytes([size, 0]) + b"\0" * 14
    dbf += b"\r" + b" " + name.encode().ljust(20) + b"SQL" + b"\x1a"
    base.with_suffix(".dbf").write_bytes(dbf)


def test_missing_shapes_give_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(shapes, "FIXTURE", Path("no", "such", "file"))
    with pytest.raises(shapes.ConfigError, match="country shapes for the map were not found"):
        shapes.countries_geojson()
    with TestClient(create_app(str(tmp_path / "empty.db"))) as c:
        page = get(c, "/map", status=503)
        assert "the map cannot be drawn" in page and "pyogrio" in page
        response = c.get("/map/countries.json")
        assert response.status_code == 503 and "pyogrio" in response.json()["error"]["hint"]


# --- safety -------------------------------------------------------------------------------------

def hostile_pages(site: Site) -> list[str]:
    return ["/events", "/events?limit=500", f"/events?article={site.hostile_article}",
            *(f"/events/{e}" for e in site.hostile_events), f"/articles/{site.hostile_article}",
            "/articles", "/quotes", "/quotes?q=strike", "/quotes?q=script", "/actors", "/timeline", "/map",
            f"/timeline?article={site.hostile_article}"]


@slow
def test_article_content_is_escaped_everywhere(client, site: Site):
    for url in hostile_pages(site):
        page = get(client, url)
        lower = page.lower()
        assert "<script>alert" not in lower, url
        assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", lower), url
        assert "<b>we will strike" not in lower and "<b>arrest</b>" not in lower, url
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    for url in (f"/events?article={site.hostile_article}", f"/events/{site.hostile_events[0]}",
                f"/articles/{site.hostile_article}", "/quotes?q=script"):
        assert escaped in get(client, url), url
    quotes = get(client, "/quotes?q=strike")
    assert "“&lt;b&gt;We will strike&lt;/b&gt; the ministry again" in quotes
    article = get(client, f"/articles/{site.hostile_article}")
    assert "javascript:alert(1)</span>" in article  # the URL is shown, as text only
    assert LONG_WORD in article and "&lt;a href=&#34;" in article
    # every slice of the highlighted text is escaped, and the text reads back whole
    text = visible_text(article.split('<div class="article-text">')[1].split("</div>")[0])
    from ui_support import HOSTILE_TEXT
    assert text == HOSTILE_TEXT


@slow
def test_filters_cannot_break_out_of_the_page(client):
    evil = "</script><script>alert(1)</script>"
    for url in (f"/timeline?actor={evil}", f"/map?actor={evil}", f"/events?actor={evil}&q={evil}"):
        page = get(client, url)
        assert "<script>alert" not in page.lower(), url
    timeline = get(client, f"/timeline?actor={evil}")
    assert "No dated events match" in timeline


@slow
def test_pages_need_no_inline_script_or_style(client, site: Site, store: Store):
    """The CSP allows only our own script files and stylesheet: no inline code, no style attributes."""
    event = store.get_event(site.example_event)
    urls = [*hostile_pages(site), f"/events/{event.id}", f"/articles/{event.article_id}",
            "/events/nope", "/events?since=bad"]
    for url in urls:
        page = client.get(url).text
        collected = parse(page)
        assert "<style" not in page.lower(), url
        for tag, attrs in collected.tags:
            assert "style" not in attrs, (url, tag, attrs)
            assert not [a for a in attrs if a.startswith("on")], (url, tag, attrs)
            if tag == "a" and attrs.get("href"):
                scheme = urlsplit(attrs["href"]).scheme
                assert scheme in ("", "http", "https"), (url, attrs["href"])
            if tag in ("link", "img") and attrs.get("href" if tag == "link" else "src"):
                assert (attrs.get("href") or attrs.get("src")).startswith("/static/"), (url, attrs)
        for attrs, body in collected.scripts:
            if attrs.get("src"):
                assert attrs["src"].startswith("/static/") and not body.strip(), (url, attrs)
            else:
                assert attrs.get("type") == "application/json", (url, attrs)
                json.loads(body)
