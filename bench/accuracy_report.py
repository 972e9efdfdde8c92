#!/usr/bin/env python3
"""Write docs/accuracy.md: eventwire's accuracy on the dev gold and the public sets, and why.

    python bench/accuracy_report.py [--output docs/accuracy.md] [--jobs 2] [--skip-public]
                                    [--gold FILE ...] [--limit N]

Extracts the texts of every ``../shared/bench/dev/*.gold.jsonl`` (beside the
repository, never copied into it) with ``eventwire.evaluate.evaluate_gold``,
the function behind ``eventwire eval``, so the headline figures are the ones
``eventwire eval`` and ``../shared/bench/score.py`` report. From the same
predictions it then works out, with the scorer's own pairing
(``eventwire.evaluate.match``: events pair when their mentions overlap, pairs
of the same type first) and the scorer's own checks:

* the headline figures beside the issue's targets and the human agreement;
* precision, recall and F1 per event type, with support;
* a type confusion matrix over the paired events (the scorer pairs events of
  different types too: such a pair counts for detection, not for event F1),
  with unpaired gold events as "missed" and unpaired predictions as "spurious";
* precision and recall per status, and a status confusion on same-type pairs;
* the public-set figures, by running the functions of ``bench/plover.py``,
  ``polnear.py``, ``timebank.py`` and ``geoparsing.py`` (``--skip-public``
  leaves them out);
* the misses that cost most, each with an automatic diagnosis and the advice
  for its category.

Nothing in the report is typed in by hand except the targets, the human
agreement and the advice per category: every figure comes from the run.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEV_GOLD = SHARED / "bench" / "dev"
DEFAULT_OUTPUT = REPO / "docs" / "accuracy.md"
FLOORS_FILE = REPO / "bench" / "accuracy_floors.json"

#: The headline figures: name in the scorer's result → label in the report.
HEADLINE: Mapping[str, str] = MappingProxyType({
    "event_f1": "event F1 (type right)",
    "strict_event_f1": "strict event F1 (type, status and actor countries right)",
    "detection_f1": "detection F1 (any type)",
    "accuracy.status": "status",
    "accuracy.source.actor": "source actor",
    "accuracy.target.actor": "target actor",
    "accuracy.source.country": "source country",
    "accuracy.target.country": "target country",
    "accuracy.location.country": "location country",
    "accuracy.killed.min": "killed (minimum)",
    "accuracy.attribution.kind": "attribution kind",
    "quote_f1": "quote F1",
    "accuracy.quote.speaker": "quote speaker",
})
#: The issue's targets for the dev gold.
TARGETS: Mapping[str, float] = MappingProxyType({
    "event_f1": 0.75, "strict_event_f1": 0.55, "accuracy.status": 0.93,
    "accuracy.source.actor": 0.80, "accuracy.target.actor": 0.75,
    "accuracy.source.country": 0.80, "accuracy.target.country": 0.75,
    "accuracy.killed.min": 0.90, "accuracy.location.country": 0.80,
    "accuracy.attribution.kind": 0.70, "quote_f1": 0.95, "accuracy.quote.speaker": 0.90,
})
#: Agreement of two independent annotations of 13 dev articles (../shared/bench/README.md).
HUMAN: Mapping[str, float] = MappingProxyType({
    "event_f1": 0.89, "strict_event_f1": 0.84, "quote_f1": 0.99, "accuracy.quote.speaker": 0.95,
})

MISSED, SPURIOUS = "(missed)", "(spurious)"
NONE = "—"


# --- diagnosis categories -------------------------------------------------------------

@dataclass(frozen=True)
class Category:
    """A kind of miss, and what usually fixes it (hand-written, never per document)."""

    name: str
    hint: str
    fix: str


CAT_MISSED = Category("missed trigger", "a trigger entry or a noun rule for this word", (
    "No predicted event overlaps the gold one. Either the word is not a trigger for its part "
    "of speech in `src/eventwire/data/triggers.yaml` (add the verb, the noun, the \"verb "
    "particle\" or the \"verb object\" pair), or it is a noun that the grammar in "
    "`nlp/events.py` did not accept as an asserted action (light verb, subject of a clause, "
    "its own actor or target). Check the sentence's parse first: a mis-tagged verb cannot "
    "trigger."))
CAT_TYPE = Category("wrong type", "the trigger entry's type, or an object/particle condition", (
    "An event was found here but with another type: the trigger's entry in "
    "`data/triggers.yaml` states a different type (or several, and the wrong one won), or a "
    "neighbouring trigger of another type took the span. Make the entry depend on its object "
    "or particle (`objects:`/`phrasal:`) rather than the bare lemma, or move the lemma to "
    "the type the guide gives it."))
CAT_STATUS = Category("wrong status",
                      "the status cue above the trigger (grammar.yaml, status.py)", (
    "The governing cue was missed or over-read: plans, threats, offers, denials, negation, "
    "conditionals and requests are read from the words above the trigger "
    "(`status_governors`, `status_nouns`, `status_adjectives`, modals and negations in "
    "`data/grammar.yaml`; the walk up the parse in `nlp/status.py`). Add the missing cue, "
    "or stop the walk at a clause boundary where a cue further up was wrongly applied."))
CAT_SOURCE = Category("source actor missing/wrong",
                      "the subject/agent role rule or the actor dictionary", (
    "Who acted was not found or resolved to someone else: the role comes from the dependency "
    "parse in `nlp/actors.py` (subject, passive \"by\", climbing through \"plans to strike\" "
    "and relative clauses), then the mention is resolved through pronouns, "
    "`data/actors.yaml`, people named earlier and common nouns (`data/actor_nouns.yaml`). "
    "Add the actor or alias to the dictionary, or the missing path (coordination, "
    "apposition, a subject in an earlier clause) to the role rules."))
CAT_TARGET = Category("target actor missing/wrong",
                      "the object/prepositional role rule or the actor dictionary", (
    "Who was acted on was not found or is the wrong one: objects, \"against\", \"on\" and "
    "\"at\" phrases in `nlp/actors.py`. Typical gaps are a target in a prepositional phrase "
    "the rules do not read, or a place read as the target; extend the role rules or the "
    "dictionary in `data/actors.yaml`."))
CAT_COUNTRY = Category("country wrong",
                       "the actor's country in the dictionary, a demonym, or the home fallback", (
    "The actor (or place) is the right one but its country is not: give the actor its "
    "country in `data/actors.yaml`, add the demonym or region to `data/countries.tsv` / "
    "`data/regions.tsv`, or check the article's home-country fallback in `nlp/context.py`, "
    "which gives unnamed national actors (\"police\") the country the article talks about "
    "most. For places, the gazetteer's choice between namesakes (`gazetteer.py`, "
    "`nlp/places.py`)."))
CAT_DETAIL = Category("detail wrong (killed, attribution, mode, time)",
                      "the amount, attribution, mode or time rule for this wording", (
    "Type, status and actors are right but a detail is not: the death toll "
    "(`data/amounts.yaml`, `nlp/amounts.py`), who the article credits "
    "(`according_to`/`attribution_nouns` in `data/grammar.yaml`, `nlp/attribution.py`), the "
    "mode (the value of the trigger's entry in `data/triggers.yaml`) or the time "
    "(`data/times.yaml`, `nlp/times.py`)."))
CAT_SPURIOUS = Category("spurious event",
                        "a narrower trigger entry, a stricter noun rule, or merging", (
    "A prediction that overlaps no gold event: a figurative or generic use of a trigger "
    "word, a noun that the grammar accepted though no action is asserted, an event the guide "
    "leaves out (e.g. inside a quote), or one action split into two events that were not "
    "merged (`MERGE_WINDOW` and `_merge` in `nlp/pipeline.py`). Require an object or "
    "particle for the word in `data/triggers.yaml`, or tighten the noun rules in "
    "`nlp/events.py`."))
CATEGORIES: tuple[Category, ...] = (CAT_MISSED, CAT_TYPE, CAT_STATUS, CAT_SOURCE, CAT_TARGET,
                                    CAT_COUNTRY, CAT_DETAIL, CAT_SPURIOUS)


# --- records ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Pairing:
    """One document's events: the scorer's pairs and what was left unpaired."""

    doc_id: str
    text: str
    dated: bool
    pairs: tuple[tuple[dict, dict], ...]
    missed: tuple[dict, ...]
    spurious: tuple[dict, ...]


@dataclass(frozen=True)
class Miss:
    """One error, what it costs the headline figures and its diagnosis."""

    doc_id: str
    category: Category
    cost: float
    sentence: str
    gold: dict | None
    pred: dict | None
    failed: tuple[str, ...] = ()


@dataclass(frozen=True)
class PublicFigure:
    """One headline figure of a public benchmark."""

    bench: str
    measure: str
    value: float | None
    counts: str
    target: str
    reference: str


@dataclass
class PublicResult:
    """A public benchmark's figures, or why it could not run."""

    bench: str
    report: str
    figures: list[PublicFigure] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0


# --- gold and predictions --------------------------------------------------------------

def gold_paths(given: Sequence[Path] | None) -> list[Path]:
    """The gold files to score: those given, or every dev gold file."""
    paths = list(given) if given else sorted(DEV_GOLD.glob("*.gold.jsonl"))
    if not paths:
        sys.exit(f"no gold files: {DEV_GOLD} has no *.gold.jsonl. The shared benchmark folder "
                 "must lie beside the repository, or pass --gold FILE ...")
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        sys.exit(f"gold file not found: {', '.join(missing)}")
    return paths


def limited(paths: Sequence[Path], limit: int | None, workdir: Path) -> list[Path]:
    """The gold files cut to their first ``limit`` documents (for quick runs)."""
    if not limit:
        return list(paths)
    out = []
    for path in paths:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        cut = workdir / path.name
        cut.write_text("\n".join(lines[:limit]) + "\n", encoding="utf-8")
        out.append(cut)
    return out


def extract_and_score(paths: Sequence[Path], jobs: int, model: str | None,
                      workdir: Path) -> tuple[dict, dict[str, dict], dict[str, dict]]:
    """``eventwire eval``'s figures, the gold documents and eventwire's predictions."""
    from eventwire.evaluate import evaluate_gold, load_jsonl

    predictions = workdir / "predictions.jsonl"
    result = evaluate_gold([str(p) for p in paths], jobs=jobs, model=model,
                           predictions=str(predictions))
    gold: dict[str, dict] = {}
    for path in paths:
        gold.update(load_jsonl(path))
    return result, gold, load_jsonl(predictions)


def pair_documents(gold: Mapping[str, dict], pred: Mapping[str, dict]) -> list[Pairing]:
    """Pair each document's events exactly as the scorer does."""
    from eventwire.evaluate import event_spans, same_type, match

    out = []
    for doc_id, gdoc in gold.items():
        gev, pev = gdoc.get("events") or [], (pred.get(doc_id) or {}).get("events") or []
        pairs = match(gev, pev, event_spans, same_type)
        paired_g = {id(g) for g, _ in pairs}
        paired_p = {id(p) for _, p in pairs}
        out.append(Pairing(doc_id, gdoc.get("text") or "", gdoc.get("published") is not None,
                           tuple(pairs), tuple(g for g in gev if id(g) not in paired_g),
                           tuple(p for p in pev if id(p) not in paired_p)))
    return out


def same_type_pairs(pairings: Iterable[Pairing]) -> Iterable[tuple[dict, dict]]:
    for p in pairings:
        yield from ((g, e) for g, e in p.pairs if g.get("type") == e.get("type"))


# --- per type and per status ----------------------------------------------------------

def f1(hits: int, predicted: int, expected: int) -> tuple[float, float, float]:
    """Unrounded precision, recall and F1 (0.0 when undefined)."""
    p = hits / predicted if predicted else 0.0
    r = hits / expected if expected else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass(frozen=True)
class ClassScore:
    """Precision, recall and F1 of one label (a type or a status)."""

    label: str
    gold: int
    predicted: int
    hits: int

    @property
    def prf(self) -> tuple[float, float, float]:
        return f1(self.hits, self.predicted, self.gold)


def per_type(pairings: Sequence[Pairing]) -> list[ClassScore]:
    """P/R/F1 per event type: a hit is a same-type pair of that type, as for event F1."""
    gold, pred, hits = Counter(), Counter(), Counter()
    for p in pairings:
        gold.update(g.get("type") for g, _ in p.pairs)
        gold.update(g.get("type") for g in p.missed)
        pred.update(e.get("type") for _, e in p.pairs)
        pred.update(e.get("type") for e in p.spurious)
    hits.update(g.get("type") for g, _ in same_type_pairs(pairings))
    labels = sorted(set(gold) | set(pred), key=lambda t: (-gold[t], str(t)))
    return [ClassScore(str(t), gold[t], pred[t], hits[t]) for t in labels]


def type_confusion(pairings: Sequence[Pairing]) -> dict[str, Counter[str]]:
    """Gold type → predicted types over every pair, plus missed gold and spurious predictions."""
    table: dict[str, Counter[str]] = {}
    for p in pairings:
        for g, e in p.pairs:
            table.setdefault(str(g.get("type")), Counter())[str(e.get("type"))] += 1
        for g in p.missed:
            table.setdefault(str(g.get("type")), Counter())[MISSED] += 1
        for e in p.spurious:
            table.setdefault(SPURIOUS, Counter())[str(e.get("type"))] += 1
    return table


def per_status(pairings: Sequence[Pairing]) -> list[tuple[ClassScore, ClassScore]]:
    """Per status: (on same-type pairs, end to end) scores.

    On pairs, precision and recall are those of the status alone, given that the
    event was found with its type. End to end, a hit needs type and status right,
    out of every gold and every predicted event with that status.
    """
    pairs = list(same_type_pairs(pairings))
    all_gold, all_pred = Counter(), Counter()
    for p in pairings:
        all_gold.update(g.get("status") for g, _ in p.pairs)
        all_gold.update(g.get("status") for g in p.missed)
        all_pred.update(e.get("status") for _, e in p.pairs)
        all_pred.update(e.get("status") for e in p.spurious)
    on_gold = Counter(g.get("status") for g, _ in pairs)
    on_pred = Counter(e.get("status") for _, e in pairs)
    hits = Counter(g.get("status") for g, e in pairs if g.get("status") == e.get("status"))
    labels = sorted(set(all_gold) | set(all_pred), key=lambda s: (-all_gold[s], str(s)))
    return [(ClassScore(str(s), on_gold[s], on_pred[s], hits[s]),
             ClassScore(str(s), all_gold[s], all_pred[s], hits[s])) for s in labels]


def status_confusion(pairings: Sequence[Pairing]) -> dict[str, Counter[str]]:
    """Gold status → predicted statuses, on same-type pairs (where the scorer checks status)."""
    table: dict[str, Counter[str]] = {}
    for g, e in same_type_pairs(pairings):
        table.setdefault(str(g.get("status")), Counter())[str(e.get("status"))] += 1
    return table


# --- misses and what they cost ---------------------------------------------------------

@dataclass(frozen=True)
class Totals:
    """The counts behind the F1 figures and the number of checks behind each accuracy."""

    gold: int
    pred: int
    detected: int
    typed: int
    strict: int
    asked: Mapping[str, int]

    @classmethod
    def of(cls, result: Mapping[str, Any], pairings: Sequence[Pairing]) -> Totals:
        from eventwire.evaluate import Accuracy, check_event

        typed = strict = 0
        for p in pairings:
            for g, e in p.pairs:
                if g.get("type") == e.get("type"):
                    typed += 1
                    strict += check_event(g, e, p.dated, Accuracy())
        return cls(result["gold_events"], result["pred_events"],
                   sum(len(p.pairs) for p in pairings), typed, strict,
                   dict(result.get("accuracy_n") or {}))

    def gain(self, hits: str, more_hits: int, more_pred: int) -> float:
        """How much the F1 built on ``hits`` rises with that many more hits and predictions."""
        have = getattr(self, hits)
        return (f1(have + more_hits, self.pred + more_pred, self.gold)[2]
                - f1(have, self.pred, self.gold)[2])


HEADLINE_CHECKS = frozenset(n.split(".", 1)[1] for n in HEADLINE if n.startswith("accuracy."))


def failed_checks(gold: dict, pred: dict, dated: bool) -> tuple[bool, list[str]]:
    """The scorer's checks on one same-type pair: (strict, names of the failed checks)."""
    from eventwire.evaluate import Accuracy, check_event

    acc = Accuracy()
    strict = check_event(gold, pred, dated, acc)
    return strict, sorted(n for n in acc.asked if acc.right[n] < acc.asked[n])


def diagnose(failed: Sequence[str], strict: bool = True) -> Category:
    """The category of a same-type pair's first error, in the order the strict figure cares.

    A pair that is not strict though no status or country check failed differs in
    a status the gold leaves open; that is a status error too.
    """
    strict_checks = ("status", "source.country", "target.country")
    if "status" in failed or (not strict and not any(n in failed for n in strict_checks)):
        return CAT_STATUS
    if "source.actor" in failed:
        return CAT_SOURCE
    if "target.actor" in failed:
        return CAT_TARGET
    if any(n in failed for n in ("source.country", "target.country", "location.country")):
        return CAT_COUNTRY
    return CAT_DETAIL


def check_cost(failed: Iterable[str], totals: Totals) -> float:
    """What failed checks cost the headline accuracies (each check is 1/n of its figure)."""
    return sum(1 / totals.asked[n] for n in failed
               if n in HEADLINE_CHECKS and totals.asked.get(n))


def sentence_of(text: str, event: dict | None) -> str:
    """The sentence around the event's first mention, cut to a readable length."""
    mentions = [m for m in (event or {}).get("mentions") or []
                if isinstance(m, dict) and isinstance(m.get("start"), int)]
    if not mentions or not text:
        return ""
    start, end = mentions[0]["start"], mentions[0].get("end", mentions[0]["start"])
    stop, newline = text.rfind(". ", 0, start), text.rfind("\n", 0, start)
    left = max(stop + 2 if stop >= 0 else 0, newline + 1)
    after = max(start, end - 1)  # a mention that ends with its full stop ends its sentence
    stops = [i for i in (text.find(". ", after), text.find("\n", after)) if i >= 0]
    right = min(stops) + 1 if stops else len(text)
    sentence = " ".join(text[left:right].split())
    return sentence if len(sentence) <= 400 else sentence[:399] + "…"


def misses(pairings: Sequence[Pairing], totals: Totals) -> list[Miss]:
    """Every error on the dev gold with its cost in headline points, costliest first.

    The cost is how much the headline figures would rise, summed, if this one
    item were right: a missed event adds a hit and a prediction to event,
    strict and detection F1; a wrong type adds a hit to event and strict F1; a
    spurious event removes a prediction; a same-type pair adds a strict hit if
    it is not strict, and 1/n to each headline accuracy whose check it fails.
    """
    found: list[Miss] = []
    missed_cost = sum(totals.gain(h, 1, 1) for h in ("typed", "strict", "detected"))
    type_cost = totals.gain("typed", 1, 0) + totals.gain("strict", 1, 0)
    spurious_cost = sum(totals.gain(h, 0, -1) for h in ("typed", "strict", "detected"))
    strict_cost = totals.gain("strict", 1, 0)
    for p in pairings:
        found += [Miss(p.doc_id, CAT_MISSED, missed_cost, sentence_of(p.text, g), g, None)
                  for g in p.missed]
        found += [Miss(p.doc_id, CAT_SPURIOUS, spurious_cost, sentence_of(p.text, e), None, e)
                  for e in p.spurious]
        for g, e in p.pairs:
            if g.get("type") != e.get("type"):
                found.append(Miss(p.doc_id, CAT_TYPE, type_cost, sentence_of(p.text, g), g, e))
                continue
            strict, failed = failed_checks(g, e, p.dated)
            if failed or not strict:
                cost = (0.0 if strict else strict_cost) + check_cost(failed, totals)
                found.append(Miss(p.doc_id, diagnose(failed, strict), cost, sentence_of(p.text, g),
                                  g, e, tuple(failed)))
    return sorted(found, key=lambda m: (-m.cost, -len(m.failed), -salience(m), m.doc_id))


def salience(miss: Miss) -> int:
    """How prominent the event is in its article: its number of mentions."""
    return len((miss.gold or miss.pred or {}).get("mentions") or [])


def by_category(found: Sequence[Miss]) -> list[tuple[Category, int, float]]:
    """(category, how many, total cost), in the fixed order of the categories."""
    count, cost = Counter(), Counter()
    for m in found:
        count[m.category.name] += 1
        cost[m.category.name] += m.cost
    return [(c, count[c.name], cost[c.name]) for c in CATEGORIES]


# --- public sets -----------------------------------------------------------------------

def bench_module(name: str) -> ModuleType:
    """Import ``bench/<name>.py`` as a module, to reuse its functions."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / "bench" / f"{name}.py")
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import bench/{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def _rate(r: Mapping[str, Any]) -> tuple[float | None, str]:
    return r.get("value"), f"{r.get('right')} / {r.get('total')}"


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def public_plover(mod: ModuleType) -> list[PublicFigure]:
    """Event type and actor countries on the PLOVER gold sentences."""
    records = mod.load_gold()
    predictions, _ = mod.run(records)
    summary = mod.summarise(list(zip(records, predictions)), mod.valid_iso3())
    rows = []
    for key, label in (("type", "event type"), ("source_country", "source country"),
                       ("target_country", "target country")):
        value, counts = _rate(summary["rates"][key])
        rows.append(PublicFigure("PLOVER", label, value, counts, at_least(mod.TARGETS.get(key)),
                                 f"naive rules {mod.NAIVE[key]:.2f}" if key in mod.NAIVE else ""))
    return rows


def public_polnear(mod: ModuleType) -> list[PublicFigure]:
    """Quote content and speaker on PolNeAR."""
    articles = mod.load_articles()
    tally, _ = mod.run(articles)
    s = mod.summarise(tally, sum(len(a.attributions) for a in articles),
                      sum(mod.offset_mismatches(a) for a in articles))
    content, speaker = s["content"], s["speaker"]
    return [
        PublicFigure("PolNeAR", "quote content F1", content["f1"],
                     f"P {fmt(content['precision'])}, R {fmt(content['recall'])}",
                     at_least(mod.TARGETS["content_f1"]),
                     f"naive rules {mod.NAIVE['content_f1']:.2f}"),
        PublicFigure("PolNeAR", "speaker (named sources)", speaker["value"],
                     f"{speaker['right']} / {speaker['total']}", at_least(mod.TARGETS["speaker"]),
                     f"naive rules {mod.NAIVE['speaker']:.2f}"),
    ]


def public_timebank(mod: ModuleType) -> list[PublicFigure]:
    """DATE recall and value accuracy on TimeBank + AQUAINT."""
    if not Path(mod.DATA).is_dir():
        sys.exit(f"no TimeBank corpus at {mod.DATA}")
    t = mod.run(mod.DATA).total
    heidel = f"HeidelTime value ≈ {mod.HEIDELTIME_VALUE:.2f} (not the same measure)"
    return [
        PublicFigure("TimeBank", "DATE recall", _ratio(t.found, t.gold), f"{t.found} / {t.gold}",
                     "", ""),
        PublicFigure("TimeBank", "value accuracy (found, strict)",
                     _ratio(t.correct, t.scorable_found), f"{t.correct} / {t.scorable_found}",
                     "", heidel),
        PublicFigure("TimeBank", "value accuracy end to end (strict)",
                     _ratio(t.correct, t.scorable), f"{t.correct} / {t.scorable}", "", ""),
    ]


def public_geoparsing(mod: ModuleType) -> list[PublicFigure]:
    """Place resolution on GeoWebNews and LGL."""
    if not Path(mod.DATA).is_dir():
        sys.exit(f"no geoparsing corpora at {mod.DATA}")
    from eventwire.gazetteer import Gazetteer
    from eventwire.nlp.loader import load_pipeline

    nlp, gaz, countries = load_pipeline(), Gazetteer.load(), mod.GoldCountries()
    rows = []
    for key in ("gwn", "lgl"):
        s = mod.score_corpus(key, nlp, gaz, countries, None, None)
        name = mod.CORPORA[key][0]
        mordecai = getattr(mod, "MORDECAI3_LGL", {}) if key == "lgl" else {}
        rows += [
            PublicFigure(name, "recall (found and resolved)", s.recall, f"{s.resolved} / {s.gold}",
                         "", ""),
            PublicFigure(name, "within 161 km", s.within_rate, f"{s.within} / {s.resolved}",
                         at_least(mod.TARGETS.get("within")),
                         f"Mordecai3 {mordecai['within']:.3f}" if "within" in mordecai else ""),
            PublicFigure(name, "correct country", s.country_rate,
                         f"{s.country_correct} / {s.country_known}",
                         at_least(mod.TARGETS.get("country")),
                         f"Mordecai3 {mordecai['country']:.3f}" if "country" in mordecai else ""),
        ]
    return rows


#: name of the bench script → (its report in docs/, the function that runs it).
PUBLIC: Mapping[str, tuple[str, Callable[[ModuleType], list[PublicFigure]]]] = MappingProxyType({
    "plover": ("accuracy-plover.md", public_plover),
    "polnear": ("accuracy-polnear.md", public_polnear),
    "timebank": ("accuracy-timebank.md", public_timebank),
    "geoparsing": ("accuracy-geoparsing.md", public_geoparsing),
})


def run_public(name: str) -> PublicResult:
    """Run one public benchmark; its failure becomes a line in the report, not a crash."""
    report, run = PUBLIC[name]
    result = PublicResult(name, report)
    started = time.perf_counter()
    print(f"public set {name} …", file=sys.stderr)
    try:
        result.figures = run(bench_module(name))
    except SystemExit as e:  # the bench scripts exit with a message when their data is absent
        result.error = str(e.code)
    except Exception as e:  # noqa: BLE001 - one broken benchmark must not lose the others
        result.error = f"{type(e).__name__}: {e}"
    result.seconds = time.perf_counter() - started
    return result


# --- formatting ------------------------------------------------------------------------

def fmt(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def at_least(value: float | None) -> str:
    return "" if value is None else f"≥ {value:.2f}"


def figure(result: Mapping[str, Any], name: str) -> float | None:
    from eventwire.evaluate import figure as scorer_figure

    return scorer_figure(dict(result), name)


def cell(text: Any) -> str:
    """Text made safe for a Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def quoted(text: str) -> str:
    """Article text made inert in Markdown (no emphasis, links or HTML from the article)."""
    out = text
    for char in "\\`*_[]<>#|":
        out = out.replace(char, "\\" + char)
    return out


def actor_text(actor: Any) -> str:
    if not isinstance(actor, dict) or not actor:
        return NONE
    name = actor.get("name") or actor.get("text") or "?"
    return f"{name} ({actor.get('country') or '–'})"


def event_text(event: dict | None) -> str:
    if not event:
        return NONE
    location = event.get("location")
    place = location.get("country") if isinstance(location, dict) else None
    return (f"{event.get('type')} / {event.get('status')} / "
            f"source {actor_text(event.get('source'))} / target {actor_text(event.get('target'))}"
            + (f" / in {place}" if place else ""))


def floors() -> dict[str, float]:
    """The accuracy gate's floors for the whole dev set, if the file is there."""
    try:
        return json.loads(FLOORS_FILE.read_text(encoding="utf-8")).get("all_dev", {})
    except (OSError, ValueError):
        return {}


def headline_table(result: Mapping[str, Any]) -> list[str]:
    gate = floors()
    rows = ["| figure | eventwire | checks (n) | target | met | human agreement | gate floor |",
            "| --- | ---: | ---: | ---: | :---: | ---: | ---: |"]
    for name, label in HEADLINE.items():
        value = figure(result, name)
        n = result.get("accuracy_n", {}).get(name.split(".", 1)[1]) if name.startswith(
            "accuracy.") else None
        target = TARGETS.get(name)
        met = "" if target is None or value is None else ("yes" if value >= target else "**no**")
        rows.append(f"| {label} | {fmt(value)} | {n if n is not None else ''} | "
                    f"{at_least(target)} | {met} | "
                    f"{fmt(HUMAN.get(name), 2) if name in HUMAN else ''} | "
                    f"{fmt(gate.get(name), 2) if name in gate else ''} |")
    return rows


def other_figures(result: Mapping[str, Any]) -> str:
    shown = {n.split(".", 1)[1] for n in HEADLINE if n.startswith("accuracy.")}
    rest = [f"{name} {rate:.3f} (n={result['accuracy_n'][name]})"
            for name, rate in result.get("accuracy", {}).items() if name not in shown]
    return ", ".join(rest) or "none"


def class_table(scores: Sequence[ClassScore], label: str) -> list[str]:
    rows = [f"| {label} | gold (support) | predicted | right | precision | recall | F1 |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for s in scores:
        p, r, f = s.prf
        rows.append(f"| {s.label} | {s.gold} | {s.predicted} | {s.hits} | {fmt(p)} | {fmt(r)} | "
                    f"{fmt(f)} |")
    return rows


def status_table(scores: Sequence[tuple[ClassScore, ClassScore]]) -> list[str]:
    rows = ["| status | gold events | predicted events | on pairs: precision | on pairs: recall "
            "| end to end: precision | end to end: recall | end to end: F1 |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for on_pairs, whole in scores:
        p, r, _ = on_pairs.prf
        wp, wr, wf = whole.prf
        rows.append(f"| {whole.label} | {whole.gold} | {whole.predicted} | {fmt(p)} | {fmt(r)} | "
                    f"{fmt(wp)} | {fmt(wr)} | {fmt(wf)} |")
    return rows


def confusion_table(table: Mapping[str, Counter[str]], corner: str) -> list[str]:
    """A gold × predicted matrix; the diagonal in bold, empty cells blank."""
    rows_order = sorted((k for k in table if k != SPURIOUS),
                        key=lambda k: (-sum(table[k].values()), k))
    if SPURIOUS in table:
        rows_order.append(SPURIOUS)
    columns = sorted({c for row in table.values() for c in row if c != MISSED})
    if any(MISSED in row for row in table.values()):
        columns.append(MISSED)
    out = [f"| {corner} | " + " | ".join(columns) + " | total |",
           "| --- |" + " ---: |" * (len(columns) + 1)]
    for gold in rows_order:
        row = table[gold]
        cells = [(f"**{row[c]}**" if c == gold else str(row[c])) if row.get(c) else ""
                 for c in columns]
        out.append(f"| {gold} | " + " | ".join(cells) + f" | {sum(row.values())} |")
    return out


def category_table(found: Sequence[Miss]) -> list[str]:
    rows = ["| diagnosis | items | cost (headline points) | what would fix it |",
            "| --- | ---: | ---: | --- |"]
    for cat, count, cost in by_category(found):
        rows.append(f"| {cat.name} | {count} | {100 * cost:.1f} | {cell(cat.fix)} |")
    return rows


def category_examples(found: Sequence[Miss], shown: int) -> list[Miss]:
    """The costliest miss of each category that the first ``shown`` misses leave out."""
    listed = {m.category.name for m in found[:shown]}
    examples = []
    for cat in CATEGORIES:
        first = next((m for m in found if m.category is cat), None)
        if first is not None and cat.name not in listed:
            examples.append(first)
    return examples


def worst_list(found: Sequence[Miss]) -> list[str]:
    out: list[str] = []
    for rank, m in enumerate(found, 1):
        checks = f" Failed checks: {', '.join(m.failed)}." if m.failed else ""
        out += [
            f"{rank}. **{m.doc_id}**, {m.category.name} (costs {100 * m.cost:.2f} points).{checks}",
            f"   > {quoted(m.sentence) or '(no mention span)'}",
            "",
            f"   gold: {quoted(event_text(m.gold))}  ",
            f"   predicted: {quoted(event_text(m.pred))}  ",
            f"   *What would fix it:* {m.category.hint} (see \"{m.category.name}\" above).",
            "",
        ]
    return out


def examples_section(examples: Sequence[Miss]) -> list[str]:
    if not examples:
        return []
    return ["### The costliest miss of each category not listed above", "",
            "Cheaper one by one, but frequent: see the counts in the table above.", "",
            *worst_list(examples)]


def public_table(results: Sequence[PublicResult]) -> list[str]:
    rows = ["| set | measure | value | counts | target | reference |",
            "| --- | --- | ---: | ---: | ---: | --- |"]
    notes = []
    for r in results:
        for f in r.figures:
            rows.append(f"| {f.bench} | {f.measure} | {fmt(f.value)} | {f.counts} | {f.target} | "
                        f"{f.reference} |")
        if r.error:
            notes.append(f"- `bench/{r.bench}.py` did not run: {cell(r.error)}")
    runs = ", ".join(f"`bench/{r.bench}.py` → [{r.report}]({r.report}) ({r.seconds:.0f} s)"
                     for r in results)
    return [*rows, "", *notes, *([""] if notes else []),
            f"Each set's method and full breakdown: {runs}. Those pages are written by the "
            "scripts themselves and may be older than this one; the figures above are from "
            "this run."]


def markdown(meta: Mapping[str, Any], result: Mapping[str, Any], pairings: Sequence[Pairing],
             found: Sequence[Miss], public: Sequence[PublicResult] | None, worst: int) -> str:
    """The whole report."""
    parts = [
        "# Accuracy",
        "",
        f"Generated by `{meta['command']}` on {meta['date']} (eventwire {meta['version']}, "
        f"model {meta['model']}; {meta['seconds']:.0f} s). Run the same command to regenerate "
        "it; every figure below comes from that run.",
        "",
        f"Dev gold: {meta['gold']} ({result['documents']} documents, {result['gold_events']} "
        f"gold events, {result['gold_quotes']} gold quotes; eventwire predicted "
        f"{result['pred_events']} events and {result['pred_quotes']} quotes). The figures are "
        "those of `eventwire eval` and `../shared/bench/score.py`.",
        "",
        "## Headline figures (dev gold)",
        "",
        *headline_table(result),
        "",
        f"Event precision {fmt(result['event_precision'])}, recall "
        f"{fmt(result['event_recall'])}; quote precision {fmt(result['quote_precision'])}, recall "
        f"{fmt(result['quote_recall'])}. Other checks: {other_figures(result)}. Targets are the "
        "issue's; human agreement is that of two independent annotations of 13 dev articles "
        "(`../shared/bench/README.md`); gate floors are `bench/accuracy_floors.json`.",
        "",
        "## How events are paired",
        "",
        "As in the scorer (`eventwire.evaluate.match`): within a document, a predicted event "
        "and a gold event pair when one of their mentions overlaps; candidate pairs are taken "
        "greedily, same type first, then the larger overlap, each event at most once. So "
        "events of different types do pair: such a pair counts for detection, not for event "
        "F1, and it is where the type confusion below comes from. Status, actors and the "
        "other attributes are checked on same-type pairs only.",
        "",
        "## Per event type",
        "",
        "A hit is a same-type pair; support is the number of gold events of the type.",
        "",
        *class_table(per_type(pairings), "type"),
        "",
        "## Type confusion (paired events)",
        "",
        f"Rows: gold type; columns: predicted type of its pair. `{MISSED}`: gold events with "
        f"no overlapping prediction; row `{SPURIOUS}`: predictions with no overlapping gold "
        "event.",
        "",
        *confusion_table(type_confusion(pairings), "gold \\ predicted"),
        "",
        "## Per status",
        "",
        "*On pairs*: the status alone, on same-type pairs (what `status` accuracy measures). "
        "*End to end*: a hit needs the event found with its type and status, out of all gold "
        "and all predicted events with that status.",
        "",
        *status_table(per_status(pairings)),
        "",
        "Status confusion on same-type pairs (rows gold, columns predicted):",
        "",
        *confusion_table(status_confusion(pairings), "gold \\ predicted"),
        "",
        "## Public sets",
        "",
        *(public_table(public) if public is not None else
          ["Not run (`--skip-public`)."]),
        "",
        "## Where the points go",
        "",
        "Every error on the dev gold is diagnosed automatically: a gold event with no "
        "overlapping prediction is a *missed trigger*; a pair of different types a *wrong "
        "type*; a prediction with no gold a *spurious event*; on a same-type pair the first "
        "failed check in the order status, source actor, target actor, a country (source, "
        "target or place), any other detail. Its **cost** is how much the headline figures "
        "would rise, summed, if that one item were right (in points, i.e. hundredths): a "
        "missed event adds a hit and a prediction to event, strict and detection F1; a wrong "
        "type a hit to event and strict F1; a spurious event takes a prediction away; a "
        "same-type pair a strict hit if it is not strict, plus 1/n of each headline accuracy "
        "whose check it fails.",
        "",
        *category_table(found),
        "",
        f"### The {min(worst, len(found))} costliest misses",
        "",
        *worst_list(found[:worst]),
        *examples_section(category_examples(found, worst)),
    ]
    return "\n".join(parts).rstrip() + "\n"


# --- command line ----------------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                    help="where to write the report (default docs/accuracy.md)")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes for extraction")
    ap.add_argument("--skip-public", action="store_true",
                    help="leave out the public sets (PLOVER, PolNeAR, TimeBank, geoparsing)")
    ap.add_argument("--gold", type=Path, nargs="+",
                    help="gold files to score (default ../shared/bench/dev/*.gold.jsonl)")
    ap.add_argument("--limit", type=int, help="score only the first N documents of each gold file")
    ap.add_argument("--worst", type=int, default=20, help="how many costliest misses to list")
    ap.add_argument("--model", help="spaCy model (default: eventwire's)")
    args = ap.parse_args(argv)
    if args.jobs < 1 or args.worst < 0 or (args.limit is not None and args.limit < 1):
        ap.error("--jobs and --limit must be at least 1, --worst at least 0")
    return args


def display_path(path: Path) -> str:
    """A gold path as the README writes it: ``../shared/...`` or relative to the repository."""
    resolved = path.resolve()
    for base, prefix in ((SHARED.resolve(), "../shared/"), (REPO.resolve(), "")):
        if resolved.is_relative_to(base):
            return prefix + resolved.relative_to(base).as_posix()
    return str(path)


def check_totals(result: Mapping[str, Any], totals: Totals) -> None:
    """Stop if this script's pairing does not reproduce the scorer's F1 figures.

    The diagnoses and costs are only meaningful if they count what the scorer
    counts; a change in the scorer that this script missed must not go unnoticed.
    """
    mine = {"event_f1": totals.typed, "strict_event_f1": totals.strict,
            "detection_f1": totals.detected}
    for name, hits in mine.items():
        value = round(f1(hits, totals.pred, totals.gold)[2], 4)
        if abs(value - result[name]) > 1e-4:
            sys.exit(f"the report's pairing gives {name} {value}, the scorer {result[name]}: "
                     "eventwire.evaluate has changed; update bench/accuracy_report.py to match")


def coder_of(pred: Mapping[str, dict]) -> tuple[str, str]:
    """(eventwire version, model) as the predictions record them."""
    for doc in pred.values():
        coder = doc.get("coder") or {}
        if coder:
            return str(coder.get("version")), f"{coder.get('model')} {coder.get('model_version')}"
    return "unknown", "unknown"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(REPO / "src"))
    from eventwire.errors import EventwireError

    started = time.perf_counter()
    paths = gold_paths(args.gold)
    with tempfile.TemporaryDirectory(prefix="eventwire-accuracy-") as tmp:
        used = limited(paths, args.limit, Path(tmp))
        print(f"extracting the texts of {', '.join(p.name for p in used)}", file=sys.stderr)
        try:
            result, gold, pred = extract_and_score(used, args.jobs, args.model, Path(tmp))
        except EventwireError as e:  # a bad gold file or model: its message says which and why
            sys.exit(f"accuracy_report: {e}")
    pairings = pair_documents(gold, pred)
    totals = Totals.of(result, pairings)
    check_totals(result, totals)
    found = misses(pairings, totals)
    public = None if args.skip_public else [run_public(name) for name in PUBLIC]
    version, model = coder_of(pred)
    command = " ".join(["python bench/accuracy_report.py",
                        *(sys.argv[1:] if argv is None else argv)])
    meta = {"command": command, "date": dt.date.today().isoformat(), "version": version,
            "model": model, "seconds": time.perf_counter() - started,
            "gold": ", ".join(f"`{display_path(p)}`" for p in paths)
                    + (f" (first {args.limit} documents of each)" if args.limit else "")}
    report = markdown(meta, result, pairings, found, public, args.worst)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
