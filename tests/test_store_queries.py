"""The Store's query methods (filters by keyword, counts, boxes, articles, quotes, actors,
to_pandas) on small hand-built stories in a real SQLite file."""
from __future__ import annotations

from pathlib import Path

import pytest
from test_store import PROTEST_TEXT, STRIKE_TEXT, protest_doc, span, strike_doc

from eventwire.errors import InputError
from eventwire.model import Actor, Amount, Article, Document, Event, Place, Quote, TimeSpan
from eventwire.store import EventFilter, EventList, Store, article_id_for, parse_bbox
from eventwire.tabular import COLUMNS

PACIFIC_TEXT = (
    "SUVA, Fiji — Fijian soldiers clashed with armed smugglers on Vanua Levu on Friday, "
    "killing two of them. Police in the Lau Islands arrested four men on Saturday. "
    "Officials said the navy patrolled nearby waters."
)


def pacific_doc() -> Document:
    """Three Fijian events on both sides of the antimeridian; the last one's place is
    taken from the article's context."""
    t = PACIFIC_TEXT
    soldiers = Actor("Fijian soldiers", "Republic of Fiji Military Forces", "FJI", "military")
    clash = Event(
        type="ASSAULT", mode="clash", status="occurred",
        mentions=[span(t, "Fijian soldiers clashed with armed smugglers on Vanua Levu on Friday")],
        source=soldiers, target=Actor("armed smugglers", "smugglers", None, "criminal"),
        location=Place("Vanua Levu", "Vanua Levu", "FJI", -16.6, 179.5, "admin1"),
        time=TimeSpan("on Friday", "2025-03-07", "2025-03-07", "day"),
        magnitude={"killed": Amount("two", 2, 2)}, trigger="clashed", id="e1")
    arrest = Event(
        type="COERCE", mode="arrest", status="occurred",
        mentions=[span(t, "Police in the Lau Islands arrested four men on Saturday")],
        source=Actor("Police", "Fiji Police Force", "FJI", "police"),
        target=Actor("four men", "men", "FJI", "civilians"),
        location=Place("the Lau Islands", "Lau Islands", "FJI", -18.5, -178.8, "region"),
        time=TimeSpan("on Saturday", "2025-03-08", "2025-03-08", "day"),
        magnitude={"arrested": Amount("four men", 4, 4)}, trigger="arrested", id="e2")
    patrol = Event(
        type="MOBILIZE", mode="military", status="occurred",
        mentions=[span(t, "the navy patrolled nearby waters")],
        source=Actor("the navy", "Fiji Navy", "FJI", "military"),
        location=Place(None, "Fiji", "FJI", -18.0, 178.0, "country", inferred=True),
        trigger="patrolled", id="e3")
    article = Article("pacific-1", t, title="Fijian soldiers clash with smugglers",
                      published="2025-03-09", url="https://pacific.example/fiji-clash")
    return Document(article, [clash, arrest, patrol], [])


@pytest.fixture
def store(tmp_path: Path):
    """The strike, protest and Pacific stories, stored in that order."""
    with Store(tmp_path / "queries.db") as s:
        s.add_document(strike_doc())
        s.add_document(protest_doc())
        s.add_document(pacific_doc())
        yield s


def ids(hits) -> set[str]:
    """``<story>/<local id>`` for the three stories of this module."""
    docs = {article_id_for(STRIKE_TEXT): "strike", article_id_for(PROTEST_TEXT): "protest",
            article_id_for(PACIFIC_TEXT): "pacific"}
    return {f"{docs[h.article_id]}/{h.id.rsplit('-', 1)[1]}" for h in hits}


# --- events: keyword filters, counting, paging --------------------------------------------

def test_keyword_filters_equal_an_event_filter(store: Store) -> None:
    by_keywords = store.events(type="ASSAULT", country="FJI", limit=None)
    by_filter = store.events(EventFilter(type="ASSAULT", country="FJI"), limit=None)
    assert ids(by_keywords) == ids(by_filter) == {"pacific/e1"}


def test_filter_and_keywords_together_are_refused(store: Store) -> None:
    with pytest.raises(TypeError):
        store.events(EventFilter(type="ASSAULT"), country="FJI")


def test_unknown_keyword_filter_names_the_known_ones(store: Store) -> None:
    with pytest.raises(InputError) as info:
        store.events(colour="red")
    assert "colour" in str(info.value) and "precise_only" in (info.value.hint or "")


def test_count_true_fills_total_over_all_pages(store: Store) -> None:
    page = store.events(limit=2, offset=1, count=True)
    assert len(page) == 2 and page.total == 8
    kenya = store.events(country="KEN", limit=1, count=True)
    assert len(kenya) == 1 and kenya.total == 2
    assert store.events(limit=2).total is None  # not counted unless asked


def test_limit_none_returns_every_match(store: Store) -> None:
    every = store.events(limit=None)
    assert isinstance(every, EventList) and len(every) == 8
    assert len(store.events(limit=None, offset=6)) == 2


@pytest.mark.parametrize("flt", [
    {}, {"type": "ASSAULT"}, {"status": "planned"}, {"country": "KEN"}, {"where": "FJI"},
    {"mode": "arrest"}, {"search": "arrested"}, {"since": "2025-01-01"}, {"precise_only": True},
    {"bbox": (170.0, -20.0, -170.0, -10.0)}, {"type": "AGREE"},
])
def test_count_events_equals_the_number_listed(store: Store, flt: dict) -> None:
    assert store.count_events(**flt) == len(store.events(limit=None, **flt))
    assert store.count_events(EventFilter(**flt)) == store.count_events(**flt)


# --- bbox, mode, precise_only ------------------------------------------------------------

@pytest.mark.parametrize(("box", "expected"), [
    ((36.0, -2.0, 37.0, -1.0), {"protest/e1", "protest/e2"}),          # Nairobi
    ((36.82, -1.29, 36.82, -1.29), {"protest/e1", "protest/e2"}),      # edges are inside
    ((-70.0, 10.0, -60.0, 20.0), {"strike/e1", "strike/e3"}),          # the Caribbean
    ((170.0, -20.0, -170.0, -10.0), {"pacific/e1", "pacific/e2", "pacific/e3"}),  # across it
    ((179.0, -20.0, 180.0, -10.0), {"pacific/e1"}),                    # its west side only
    ((-180.0, -20.0, -178.0, -10.0), {"pacific/e2"}),                  # its east side only
    ((-180.0, -90.0, 180.0, 90.0), {"strike/e1", "strike/e3", "protest/e1", "protest/e2",
                                    "pacific/e1", "pacific/e2", "pacific/e3"}),  # located only
    ((0.0, 0.0, 1.0, 1.0), set()),
])
def test_bbox_keeps_events_with_coordinates_inside(store: Store, box, expected: set[str]) -> None:
    assert ids(store.events(bbox=box, limit=None)) == expected


@pytest.mark.parametrize(("text", "word"), [
    ("1,2,3", "four numbers"),
    ("a,b,c,d", "four numbers"),
    ("", "four numbers"),
    ("-200,0,10,10", "outside the world"),
    ("0,-91,10,10", "outside the world"),
    ("0,10,10,0", "south edge above its north edge"),
])
def test_invalid_bbox_text_says_what_is_wrong(text: str, word: str) -> None:
    with pytest.raises(InputError) as info:
        parse_bbox(text)
    assert word in str(info.value)


def test_parse_bbox_reads_floats_and_allows_crossing_the_antimeridian() -> None:
    assert parse_bbox(" 170, -20.5,-170,-10 ") == (170.0, -20.5, -170.0, -10.0)


def test_invalid_bbox_tuple_is_refused_by_the_query(store: Store) -> None:
    with pytest.raises(InputError):
        store.events(bbox=(0.0, 50.0, 10.0, 40.0))
    with pytest.raises(InputError):
        store.count_events(bbox=(0.0, 0.0, 190.0, 10.0))


def test_mode_filter_is_case_insensitive(store: Store) -> None:
    assert ids(store.events(mode="arrest", limit=None)) == {"protest/e2", "pacific/e2"}
    assert ids(store.events(mode="NAVAL")) == {"strike/e1"}
    assert store.events(mode="aerial") == []


def test_precise_only_drops_places_from_context_but_keeps_unlocated_events(store: Store) -> None:
    precise = ids(store.events(precise_only=True, limit=None))
    assert "pacific/e3" not in precise
    assert "strike/e2" in precise  # no place at all: nothing inferred
    assert len(precise) == 7


# --- event_counts ------------------------------------------------------------------------

def test_counts_by_day_come_in_date_order(store: Store) -> None:
    days = store.event_counts("day")
    assert [d for d, _ in days] == sorted(d for d, _ in days)
    assert dict(days)["2025-03-07"] == 1 and dict(days)["2024-06-25"] == 1


def test_counts_by_month_and_with_a_filter(store: Store) -> None:
    months = dict(store.event_counts("month"))
    assert months == {"2024-06": 2, "2025-03": 3, "2025-09": 3}
    assert store.event_counts("month", country="KEN") == [("2024-06", 2)]


@pytest.mark.parametrize(("by", "expected"), [
    ("type", {"ASSAULT": 2, "COERCE": 2, "MOBILIZE": 2, "ACCUSE": 1, "PROTEST": 1}),
    ("status", {"occurred": 7, "planned": 1}),
    ("mode", {"arrest": 2, "military": 2, "naval": 1, "clash": 1, "demonstrate": 1, None: 1}),
    ("country", {"FJI": 3, "KEN": 2, "PRI": 1, None: 2}),
    ("source_country", {"USA": 2, "VEN": 1, "KEN": 2, "FJI": 3}),
    ("target_country", {"VEN": 1, "USA": 1, "KEN": 2, "FJI": 1, None: 3}),
])
def test_counts_by_each_key(store: Store, by: str, expected: dict) -> None:
    counts = store.event_counts(by)
    assert dict(counts) == expected
    assert [n for _, n in counts] == sorted((n for _, n in counts), reverse=True)
    assert sum(n for _, n in counts) == 8


def test_counting_by_an_unknown_key_names_the_known_ones(store: Store) -> None:
    with pytest.raises(InputError) as info:
        store.event_counts("week")
    assert "week" in str(info.value)
    assert all(key in (info.value.hint or "") for key in ("day", "month", "target_country"))


# --- articles, quotes, actors ------------------------------------------------------------

def test_articles_newest_first_with_their_counts(store: Store) -> None:
    listed = store.articles()
    # newest ingest first; the same second (the clock's resolution) falls back to the id
    by_id_first = sorted(listed, key=lambda a: a.id)
    assert listed == sorted(by_id_first, key=lambda a: a.ingested_at, reverse=True)
    by_id = {a.id: a for a in listed}
    strike = by_id[article_id_for(STRIKE_TEXT)]
    assert (strike.events, strike.quotes) == (3, 1)
    assert strike.title == "US strikes boat off Venezuela, killing three"
    assert strike.url == "https://news.example/us-strike" and strike.published == "2025-09-17"
    pacific, protest = by_id[article_id_for(PACIFIC_TEXT)], by_id[article_id_for(PROTEST_TEXT)]
    assert (pacific.events, pacific.quotes, protest.events, protest.quotes) == (3, 0, 2, 1)
    assert store.count_articles() == 3


@pytest.mark.parametrize(("search", "expected"), [
    ("KENYAN", {"protest-1"}),            # title, any case
    ("pacific.example", {"pacific-1"}),   # URL
    ("strike", {"strike-1"}),             # title and URL
    ("no such words", set()),
    ("%", set()),                         # a literal, not a wildcard
])
def test_article_search_in_title_and_url(store: Store, search: str, expected: set[str]) -> None:
    found = store.articles(search=search)
    docs = {article_id_for(STRIKE_TEXT): "strike-1", article_id_for(PROTEST_TEXT): "protest-1",
            article_id_for(PACIFIC_TEXT): "pacific-1"}
    assert {docs[a.id] for a in found} == expected
    assert store.count_articles(search=search) == len(expected)


def test_articles_page_with_limit_and_offset(store: Store) -> None:
    every = [a.id for a in store.articles()]
    assert [a.id for a in store.articles(limit=1, offset=1)] == every[1:2]
    assert store.articles(limit=5, offset=3) == []


def test_quotes_by_speaker_and_words(store: Store) -> None:
    text = "“We will not retreat,” Donald Trump said. “Talks are over.”"
    first, second = span(text, "We will not retreat,"), span(text, "Talks are over.")
    store.add_document(Document(Article("speech-1", text), [], [
        Quote(first.text, first.start, first.end, "direct",
              Actor("Donald Trump", "Donald Trump", "USA", "government"), "said"),
        Quote(second.text, second.start, second.end, "direct", None, None)]))
    assert [q.quote.text for q in store.quotes(speaker="trump")] == [
        "narcoterrorists.", "We will not retreat,"]
    assert store.count_quotes(speaker="trump") == 2
    assert [q.quote.text for q in store.quotes(words="RETREAT will")] == ["We will not retreat,"]
    assert store.count_quotes(words="retreat talks") == 0  # every word must occur
    assert store.count_quotes(speaker="Law Society", words="arrested") == 1
    assert store.count_quotes() == 4
    assert [q.quote.text for q in store.quotes(limit=1, offset=3)] == ["Talks are over."]
    article = article_id_for(PROTEST_TEXT)
    assert [q.article_id for q in store.quotes(article)] == [article]
    assert store.count_quotes(article, speaker="trump") == 0


def test_actors_page_with_offset(store: Store) -> None:
    every = store.actors(limit=None)
    assert [a.name for a in store.actors(limit=2, offset=1)] == [a.name for a in every[1:3]]
    assert store.actors(limit=5, offset=len(every)) == []
    fiji = {a.name: a for a in store.actors(search="fiji")}
    assert fiji["Republic of Fiji Military Forces"].acts == 1
    assert fiji["Fiji Police Force"].events == 1


# --- to_pandas -----------------------------------------------------------------------------

def test_to_pandas_has_one_typed_row_per_event(store: Store) -> None:
    frame = store.events(limit=None, order="ingested").to_pandas()
    assert frame.shape == (8, len(COLUMNS))
    assert list(frame.columns) == list(COLUMNS)
    assert str(frame.lat.dtype) == "float64" and str(frame.killed_min.dtype) == "float64"
    assert str(frame.evidence_start.dtype) == "Int64"
    assert str(frame.location_inferred.dtype) == "boolean"
    first = frame.iloc[0]
    assert (first.type, first.status, first.lon, first.killed_min) == ("ASSAULT", "occurred",
                                                                        -66.0, 3.0)
    assert frame.location_inferred.sum() == 1
    assert frame.killed_min.isna().sum() == 6


def test_to_pandas_of_no_events_keeps_the_columns(store: Store) -> None:
    frame = store.events(type="AGREE").to_pandas()
    assert frame.shape == (0, len(COLUMNS))



def test_span_counts_group_events_by_days_and_type(store: Store) -> None:
    rows = store.span_counts()
    assert sum(n for *_, n in rows) == store.count_events()
    every = store.events(limit=None)
    for start, end, kind, n in rows:
        same = [e for e in every if e.event.type == kind
                and store.count_events(type=kind, since=start, until=end) >= n]
        assert same, (start, end, kind, n)
    assert {k for *_, k, _ in rows} == {e.event.type for e in every}
    only = store.span_counts(type="ASSAULT")
    assert {k for _, _, k, _ in only} == {"ASSAULT"}


def test_count_actors_matches_the_full_listing(store: Store) -> None:
    assert store.count_actors() == len(store.actors(limit=None)) > 0
    name = store.actors(limit=1)[0].name
    part = name.split()[0].lower()
    assert store.count_actors(part) == len(store.actors(part, limit=None)) >= 1
    assert store.count_actors("no actor has this name") == 0


def test_article_titles_in_one_lookup(store: Store) -> None:
    listed = store.articles(limit=None)
    ids = [a.id for a in listed]
    assert store.article_titles(ids + ["0000000000000000"]) == {a.id: a.title for a in listed}
    assert store.article_titles([]) == {}
