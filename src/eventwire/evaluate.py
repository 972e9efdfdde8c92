"""Score extracted documents against gold documents.

This is eventwire's own copy of the project's benchmark scorer, so that
``eventwire eval`` works in any clone. It must report exactly the figures the
benchmark reports; ``tests/test_evaluate.py`` checks that on many inputs.

How it scores, per document:

* **Events are paired** when a predicted mention overlaps a gold mention.
  Candidate pairs are taken greedily: pairs of the same type before pairs of
  different types, then the larger overlap first, then gold order, then
  prediction order. Each gold and each predicted event is used at most once.
* Any pair counts for *detection*; a pair of the same type counts for the
  *event* figures, and its attributes are checked (status, mode, the actors'
  countries and names, place country, killed, time, attribution kinds).
  A same-type pair is *strict* when its status and every gold actor country
  also match.
* An attribute is only checked where the gold gives it; time only when the
  gold document has a publication date (dates cannot be resolved otherwise).
* **Quotes are paired** the same way, by overlapping ``start``/``end``, same
  quote type first; a pair's speaker is checked when the gold names one.
* Actor names match when they share a content word (see ``actor_words``).

The library raises :class:`~eventwire.errors.InputError`; it never exits.
"""
from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from eventwire.errors import InputError

Span = tuple[int, int]
Pair = tuple[dict, dict]

#: Words that say nothing about *which* actor is meant, so two names sharing
#: only these do not match ("the US government" vs "US officials").
ACTOR_STOPWORDS: frozenset[str] = frozenset({
    "the", "of", "and", "a", "an", "in", "on", "for", "to", "mr", "ms", "president",
    "minister", "prime", "us", "u.s.", "government", "said", "official", "officials",
})
_WORD = re.compile(r"[\w.'-]+")
_ACTOR_ROLES: tuple[str, ...] = ("source", "target")
_TIME_ENDS: tuple[str, ...] = ("start", "end")


# --- reading -----------------------------------------------------------------

def load_jsonl(path: str | os.PathLike[str]) -> dict[str, dict]:
    """Read a JSON Lines file of documents into ``{doc_id: document}``.

    Blank lines are skipped; a later line with the same ``doc_id`` replaces an
    earlier one, as in the benchmark scorer.
    """
    try:
        with open(path, encoding="utf-8") as lines:
            return dict(_parse_line(line, f"{path}:{number}")
                        for number, line in enumerate(lines, 1) if line.strip())
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", source=str(path),
                         hint="check the path and that it is a readable JSON Lines file") from exc


def _parse_line(line: str, where: str) -> tuple[str, dict]:
    """One JSON Lines record as ``(doc_id, document)``, or an InputError saying where."""
    try:
        doc = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc}", source=where,
                         hint="each line must be one JSON object") from exc
    if not isinstance(doc, dict) or "doc_id" not in doc:
        raise InputError("not a document", source=where,
                         hint='each line must be a JSON object with a "doc_id"')
    return str(doc["doc_id"]), doc


# --- small accessors -----------------------------------------------------------

def _dig(obj: Any, *keys: str) -> Any:
    """``obj[k1][k2]…``, or None as soon as a level is missing or not an object."""
    for key in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def actor_words(actor: Any) -> set[str]:
    """The content words of an actor's ``name`` and ``text``, lower-cased.

    Matching on shared words tolerates "Trump" against "President Donald
    Trump" without a gazetteer; short words and titles are dropped so that
    "the president" does not match every president.
    """
    if not isinstance(actor, dict) or not actor:
        return set()
    words = " ".join(str(actor.get(key) or "") for key in ("name", "text")).lower()
    return {w for w in _WORD.findall(words) if len(w) > 2 and w not in ACTOR_STOPWORDS}


def _same_actor(gold_actor: Any, pred_actor: Any) -> bool:
    """True when the two actors share a content word."""
    return bool(actor_words(gold_actor) & actor_words(pred_actor))


# --- pairing -----------------------------------------------------------------

def event_spans(event: dict) -> list[Span]:
    """The ``(start, end)`` of each well-formed mention of an event."""
    return [(m["start"], m["end"]) for m in event.get("mentions") or []
            if isinstance(m, dict) and isinstance(m.get("start"), int)
            and isinstance(m.get("end"), int)]


def quote_spans(quote: dict) -> list[Span]:
    """A quote's own ``(start, end)``, as a one-element list when well-formed."""
    start, end = quote.get("start"), quote.get("end")
    return [(start, end)] if isinstance(start, int) and isinstance(end, int) else []


def _overlap(a: Span, b: Span) -> int:
    """How many characters two spans share (0 when they are apart)."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _largest_overlap(a: list[Span], b: list[Span]) -> int:
    """The largest overlap between any span of ``a`` and any span of ``b``."""
    return max((_overlap(x, y) for x in a for y in b), default=0)


def match(gold: list[dict], pred: list[dict], spans: Callable[[dict], list[Span]],
          same_kind: Callable[[dict, dict], bool]) -> list[Pair]:
    """Pair gold and predicted items greedily by overlapping spans.

    Same-kind pairs win over larger overlaps, so a prediction of the right
    type is not stolen by a wrongly typed neighbour that happens to overlap
    more; ties keep document order, which makes the result deterministic.
    """
    gold_spans, pred_spans = [spans(g) for g in gold], [spans(p) for p in pred]
    ranked = sorted(
        (not same_kind(g, p), -size, i, j)
        for i, g in enumerate(gold) for j, p in enumerate(pred)
        if (size := _largest_overlap(gold_spans[i], pred_spans[j])) > 0
    )
    taken_gold: set[int] = set()
    taken_pred: set[int] = set()
    pairs: list[Pair] = []
    for _, _, i, j in ranked:
        if i not in taken_gold and j not in taken_pred:
            taken_gold.add(i)
            taken_pred.add(j)
            pairs.append((gold[i], pred[j]))
    return pairs


def same_type(gold: dict, pred: dict) -> bool:
    return gold.get("type") == pred.get("type")


# --- tallies -----------------------------------------------------------------

@dataclass
class Accuracy:
    """Per-attribute counts of checks made and checks passed."""

    asked: Counter[str] = field(default_factory=Counter)
    right: Counter[str] = field(default_factory=Counter)

    def check(self, name: str, gold_value: Any, correct: Any) -> None:
        """Count one check of ``name``, unless the gold leaves the attribute open."""
        if gold_value is None:
            return
        self.asked[name] += 1
        self.right[name] += bool(correct)

    def rates(self) -> dict[str, float]:
        """Share of checks passed per attribute, by attribute name."""
        return {name: round(self.right[name] / self.asked[name], 4) for name in sorted(self.asked)}


@dataclass
class _Counts:
    """Corpus-wide counts from which precision, recall and F1 are computed."""

    gold_events: int = 0
    pred_events: int = 0
    detected: int = 0
    typed: int = 0
    strict: int = 0
    gold_quotes: int = 0
    pred_quotes: int = 0
    quotes: int = 0


# --- checking one pair ---------------------------------------------------------

def _check_actor(gold: dict, pred: dict, role: str, acc: Accuracy) -> bool:
    """Check one actor role; return False only when a gold country is missed."""
    gold_country = _dig(gold, role, "country")
    country_ok = _dig(pred, role, "country") == gold_country
    acc.check(f"{role}.country", gold_country, country_ok)
    if gold.get(role):
        acc.check(f"{role}.actor", True, _same_actor(gold[role], pred.get(role)))
    return country_ok or gold_country is None


def _check_same_path(gold: dict, pred: dict, name: str, path: tuple[str, ...],
                     acc: Accuracy) -> None:
    """Check that ``pred`` has the gold value at ``path``."""
    gold_value = _dig(gold, *path)
    acc.check(name, gold_value, _dig(pred, *path) == gold_value)


def _check_attribution(gold: dict, pred: dict, acc: Accuracy) -> None:
    """Check that each kind of source the gold credits is credited in the prediction."""
    pred_kinds = {a.get("kind") for a in pred.get("attribution") or []}
    for kind in {a.get("kind") for a in gold.get("attribution") or []}:
        acc.check("attribution.kind", kind, kind in pred_kinds)


def check_event(gold: dict, pred: dict, dated: bool, acc: Accuracy) -> bool:
    """Check the attributes of a same-type pair; return whether it is strictly right."""
    acc.check("status", gold.get("status"), pred.get("status") == gold.get("status"))
    acc.check("mode", gold.get("mode"), pred.get("mode") == gold.get("mode"))
    strict = pred.get("status") == gold.get("status")
    for role in _ACTOR_ROLES:
        strict = _check_actor(gold, pred, role, acc) and strict
    _check_same_path(gold, pred, "location.country", ("location", "country"), acc)
    _check_same_path(gold, pred, "killed.min", ("magnitude", "killed", "min"), acc)
    if dated:
        for end in _TIME_ENDS:
            _check_same_path(gold, pred, f"time.{end}", ("time", end), acc)
    _check_attribution(gold, pred, acc)
    return strict


# --- one document --------------------------------------------------------------

def _score_events(gold_doc: dict, pred_doc: dict, counts: _Counts, acc: Accuracy) -> None:
    """Pair one document's events and add them to the tallies."""
    gold, pred = gold_doc.get("events") or [], pred_doc.get("events") or []
    counts.gold_events += len(gold)
    counts.pred_events += len(pred)
    pairs = match(gold, pred, event_spans, same_type)
    counts.detected += len(pairs)
    dated = gold_doc.get("published") is not None
    for g, p in pairs:
        if same_type(g, p):
            counts.typed += 1
            counts.strict += check_event(g, p, dated, acc)


def _score_quotes(gold_doc: dict, pred_doc: dict, counts: _Counts, acc: Accuracy) -> None:
    """Pair one document's quotes and add them to the tallies."""
    gold, pred = gold_doc.get("quotes") or [], pred_doc.get("quotes") or []
    counts.gold_quotes += len(gold)
    counts.pred_quotes += len(pred)
    pairs = match(gold, pred, quote_spans, same_type)
    counts.quotes += len(pairs)
    for g, p in pairs:
        if g.get("speaker"):
            acc.check("quote.speaker", True, _same_actor(g["speaker"], p.get("speaker")))


# --- the corpus ----------------------------------------------------------------

def prf(hits: int, predicted: int, expected: int) -> tuple[float, float, float]:
    """Precision, recall and F1, each rounded to four decimals (0.0 when undefined)."""
    precision = hits / predicted if predicted else 0.0
    recall = hits / expected if expected else 0.0
    total = precision + recall
    f1 = 2 * precision * recall / total if total else 0.0
    return round(precision, 4), round(recall, 4), round(f1, 4)


def score(gold: dict[str, dict], pred: dict[str, dict]) -> dict:
    """Score predicted documents against gold documents, both keyed by ``doc_id``.

    A gold document with no prediction counts as one with no events and no
    quotes; predicted documents that have no gold are ignored.
    """
    counts, acc = _Counts(), Accuracy()
    for doc_id, gold_doc in gold.items():
        pred_doc = pred.get(doc_id) or {}
        _score_events(gold_doc, pred_doc, counts, acc)
        _score_quotes(gold_doc, pred_doc, counts, acc)
    return _result(len(gold), sum(d not in pred for d in gold), counts, acc)


def _result(documents: int, missing: int, counts: _Counts, acc: Accuracy) -> dict:
    """The figures, in the order and under the names the benchmark uses."""
    event_p, event_r, event_f = prf(counts.typed, counts.pred_events, counts.gold_events)
    quote_p, quote_r, quote_f = prf(counts.quotes, counts.pred_quotes, counts.gold_quotes)
    return {
        "documents": documents, "documents_missing": missing,
        "gold_events": counts.gold_events, "pred_events": counts.pred_events,
        "event_precision": event_p, "event_recall": event_r, "event_f1": event_f,
        "detection_f1": prf(counts.detected, counts.pred_events, counts.gold_events)[2],
        "strict_event_f1": prf(counts.strict, counts.pred_events, counts.gold_events)[2],
        "gold_quotes": counts.gold_quotes, "pred_quotes": counts.pred_quotes,
        "quote_precision": quote_p, "quote_recall": quote_r, "quote_f1": quote_f,
        "accuracy": acc.rates(), "accuracy_n": dict(acc.asked),
    }


# --- reporting -----------------------------------------------------------------

def format_report(result: dict) -> str:
    """The figures as aligned text lines, one figure a line, accuracies indented."""
    lines: list[str] = []
    for name, value in result.items():
        if name == "accuracy":
            lines += [f"  accuracy {attr:<18} {rate:.3f}  (n={result['accuracy_n'][attr]})"
                      for attr, rate in value.items()]
        elif name != "accuracy_n":
            lines.append(f"{name:<22} {value}")
    return "\n".join(lines)


def figure(result: dict, name: str) -> float | int | None:
    """One figure by name: ``event_f1``, or ``accuracy.status`` for an attribute."""
    if name.startswith("accuracy."):
        return result["accuracy"].get(name.split(".", 1)[1])
    return result.get(name)


def below_minimum(result: dict, minimums: Mapping[str, float]) -> list[str]:
    """``"name=have < want"`` for each figure below its minimum (or absent): a CI gate."""
    short = []
    for name, want in minimums.items():
        have = figure(result, name)
        if have is None or have < want:
            short.append(f"{name}={have} < {want}")
    return short


def parse_minimums(specs: list[str]) -> dict[str, float]:
    """``["event_f1=0.6", "accuracy.status=0.9"]`` → a mapping; a bad spec is an InputError."""
    out: dict[str, float] = {}
    for spec in specs:
        name, sep, value = spec.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise InputError(f"bad minimum {spec!r}", hint="write NAME=VALUE, e.g. event_f1=0.6") from None
        if not sep:
            raise InputError(f"bad minimum {spec!r}", hint="write NAME=VALUE, e.g. event_f1=0.6")
    return out


def evaluate_gold(paths: list[str], *, jobs: int = 1, model: str | None = None,
                  predictions: str | None = None) -> dict:
    """Extract the texts of gold files with eventwire and score the result against them."""
    from .nlp.pipeline import Extractor, ExtractSettings
    from .model import Article, Document

    gold: dict[str, dict] = {}
    for path in paths:
        gold.update(load_jsonl(path))
    articles = [Article(doc_id, d["text"], d.get("title"), d.get("published"), d.get("url"))
                for doc_id, d in gold.items()]
    extractor = Extractor(ExtractSettings(model=model) if model else ExtractSettings())
    pred: dict[str, dict] = {}
    for result in extractor.pipe(articles, jobs=jobs):
        if isinstance(result, Document):
            pred[result.doc_id] = result.to_dict()
    if predictions:
        with open(predictions, "w", encoding="utf-8") as f:
            for doc in pred.values():
                f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    return score(gold, pred)
