"""eventwire's scorer: hand-made cases with known figures, and agreement with the benchmark.

The benchmark scorer (``shared/bench/score.py``, beside the repository, not in
it) is the reference; where it is present, every figure and every report line
of ours must equal its own on the gold sets and on many perturbed predictions.
"""
from __future__ import annotations

import contextlib
import copy
import importlib.util
import io
import json
import random
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from eventwire.errors import InputError
from eventwire.evaluate import (
    actor_words, below_minimum, format_report, load_jsonl, match, prf, score,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(),
    reason=f"{SHARED} is absent: the benchmark scorer and gold sets live beside the "
           "repository, not in a clone of it",
)


# --- hand-made documents --------------------------------------------------------

def event(type_: str, start: int, end: int, **attrs) -> dict:
    """An event with one mention."""
    return {"type": type_, "mentions": [{"start": start, "end": end}], **attrs}


def quote(start: int, end: int, speaker: str | None = None, type_: str = "direct") -> dict:
    """A quote whose speaker, if any, is an actor with that name."""
    return {"start": start, "end": end, "type": type_,
            "speaker": {"name": speaker, "text": speaker} if speaker else None}


def docs(*events: dict, quotes: tuple[dict, ...] = (), published: str | None = None,
         doc_id: str = "d1") -> dict[str, dict]:
    """One document keyed by its id."""
    return {doc_id: {"doc_id": doc_id, "published": published,
                     "events": list(events), "quotes": list(quotes)}}


def test_a_perfect_prediction_scores_one_everywhere():
    gold = docs(event("ASSAULT", 0, 40, status="occurred", mode="naval"),
                quotes=(quote(50, 80, "Ana Rivas"),))
    result = score(gold, copy.deepcopy(gold))
    assert (result["event_f1"], result["strict_event_f1"], result["quote_f1"]) == (1.0, 1.0, 1.0)
    assert result["accuracy"] == {"mode": 1.0, "quote.speaker": 1.0, "status": 1.0}
    assert result["accuracy_n"] == {"status": 1, "mode": 1, "quote.speaker": 1}


def test_a_wrong_type_counts_for_detection_only():
    result = score(docs(event("ASSAULT", 0, 40, status="occurred")),
                   docs(event("COERCE", 10, 30, status="occurred")))
    assert result["detection_f1"] == 1.0
    assert result["event_f1"] == 0.0
    assert result["accuracy"] == {}


def test_same_type_pairs_are_taken_before_larger_overlaps():
    gold = docs(event("ASSAULT", 0, 50))
    pred = docs(event("PROTEST", 0, 50), event("ASSAULT", 40, 60))
    result = score(gold, pred)
    assert (result["event_precision"], result["event_recall"], result["event_f1"]) == (0.5, 1.0, 0.6667)
    assert result["detection_f1"] == 0.6667


def test_the_larger_overlap_wins_among_same_type_pairs():
    gold = docs(event("ASSAULT", 0, 10, status="occurred"), event("ASSAULT", 8, 30, status="planned"))
    pred = docs(event("ASSAULT", 5, 12, status="occurred"))
    assert score(gold, pred)["accuracy"]["status"] == 1.0


def test_match_uses_each_item_once():
    gold = [event("A", 0, 10), event("A", 0, 10)]
    pred = [event("A", 0, 10)]
    spans = lambda item: [(m["start"], m["end"]) for m in item["mentions"]]
    pairs = match(gold, pred, spans, lambda g, p: True)
    assert pairs == [(gold[0], pred[0])]


def test_strict_needs_status_and_every_gold_country():
    source = {"name": "Navy", "country": "USA"}
    gold = docs(event("ASSAULT", 0, 40, status="occurred", source=source))
    wrong_country = docs(event("ASSAULT", 0, 40, status="occurred",
                               source={"name": "Navy", "country": "VEN"}))
    result = score(gold, wrong_country)
    assert (result["event_f1"], result["strict_event_f1"]) == (1.0, 0.0)
    assert result["accuracy"]["source.country"] == 0.0
    assert result["accuracy"]["source.actor"] == 1.0


def test_a_gold_actor_without_country_does_not_spoil_strict():
    gold = docs(event("ASSAULT", 0, 40, status="occurred", target={"name": "fishermen"}))
    pred = docs(event("ASSAULT", 0, 40, status="occurred", target={"name": "crew", "country": "TTO"}))
    result = score(gold, pred)
    assert result["strict_event_f1"] == 1.0
    assert result["accuracy"] == {"status": 1.0, "target.actor": 0.0}


def test_actor_words_drop_titles_and_short_words():
    assert actor_words({"name": "President Donald Trump", "text": "Mr Trump"}) == {"donald", "trump"}
    assert actor_words({"name": "U.S. officials", "text": "the US government"}) == set()
    assert actor_words(None) == set()


def test_time_is_checked_only_when_gold_has_a_date():
    gold_event = event("ASSAULT", 0, 40, time={"start": "2025-09-02", "end": "2025-09-02"})
    pred = docs(event("ASSAULT", 0, 40, time={"start": "2025-09-03", "end": "2025-09-02"}))
    assert "time.start" not in score(docs(gold_event), pred)["accuracy"]
    dated = score(docs(gold_event, published="2025-09-04"), pred)["accuracy"]
    assert (dated["time.start"], dated["time.end"]) == (0.0, 1.0)


def test_place_toll_and_attribution_kinds():
    gold = docs(event("ASSAULT", 0, 40, location={"country": "VEN"},
                      magnitude={"killed": {"min": 17}},
                      attribution=[{"kind": "media"}, {"kind": "anonymous"}]))
    pred = docs(event("ASSAULT", 0, 40, location={"country": "VEN"},
                      magnitude={"killed": {"min": 3}}, attribution=[{"kind": "media"}]))
    result = score(gold, pred)
    assert result["accuracy"] == {"attribution.kind": 0.5, "killed.min": 0.0, "location.country": 1.0}
    assert result["accuracy_n"]["attribution.kind"] == 2


def test_a_missing_document_counts_against_recall():
    gold = {**docs(event("AID", 0, 10)), **docs(event("AID", 0, 10), doc_id="d2")}
    result = score(gold, docs(event("AID", 0, 10)))
    assert (result["documents"], result["documents_missing"]) == (2, 1)
    assert (result["event_precision"], result["event_recall"]) == (1.0, 0.5)


def test_quotes_pair_by_span_and_check_the_speaker():
    gold = docs(quotes=(quote(0, 20, "Leavitt"), quote(30, 60, "Maduro", "indirect")))
    pred = docs(quotes=(quote(5, 15, "Karoline Leavitt", "indirect"), quote(70, 90, "Maduro")))
    result = score(gold, pred)
    assert (result["quote_precision"], result["quote_recall"], result["quote_f1"]) == (0.5, 0.5, 0.5)
    assert result["accuracy"] == {"quote.speaker": 1.0}


def test_prf_rounds_and_handles_nothing():
    assert prf(1, 3, 3) == (0.3333, 0.3333, 0.3333)
    assert prf(0, 0, 0) == (0.0, 0.0, 0.0)
    assert prf(2, 4, 2) == (0.5, 1.0, 0.6667)


def test_format_report_aligns_figures_and_indents_accuracy():
    result = score(docs(event("ASSAULT", 0, 40, status="occurred")),
                   docs(event("ASSAULT", 0, 40, status="planned")))
    lines = format_report(result).splitlines()
    assert lines[0] == "documents              1"
    assert "event_f1               1.0" in lines
    assert lines[-1] == "  accuracy status             0.000  (n=1)"
    assert not any("accuracy_n" in line for line in lines)


def test_below_minimum_names_each_shortfall():
    result = {"event_f1": 0.5, "accuracy": {"status": 0.9}}
    assert below_minimum(result, {"event_f1": 0.6, "accuracy.status": 0.8}) == ["event_f1=0.5 < 0.6"]
    assert below_minimum(result, {"quote_f1": 0.1}) == ["quote_f1=None < 0.1"]


def test_load_jsonl_skips_blank_lines_and_keeps_the_last_duplicate(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text('{"doc_id": 7, "n": 1}\n\n{"doc_id": "7", "n": 2}\n{"doc_id": "x"}\n',
                    encoding="utf-8")
    assert load_jsonl(path) == {"7": {"doc_id": "7", "n": 2}, "x": {"doc_id": "x"}}


@pytest.mark.parametrize("line", ["{not json", "[1, 2]", '{"title": "no id"}'])
def test_load_jsonl_says_which_line_is_wrong(tmp_path, line):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"doc_id": "ok"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_jsonl(path)
    assert caught.value.source == f"{path}:2"


def test_load_jsonl_reports_a_missing_file(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        load_jsonl(tmp_path / "absent.jsonl")


# --- agreement with the benchmark scorer ----------------------------------------

TYPES = ("AGREE", "CONSULT", "ACCUSE", "REJECT", "PROTEST", "SANCTION", "MOBILIZE",
         "COERCE", "ASSAULT", "AID")
STATUSES = ("occurred", "planned", "threatened", "denied", "negated", None)
COUNTRIES = ("USA", "VEN", "AFG", "ISR", "PSE", None)
NAMES = ("Donald Trump", "the Pentagon", "Taliban fighters", "US officials", "police", "Maduro")
KINDS = ("official", "media", "anonymous", "witness", None)


@pytest.fixture(scope="module")
def reference() -> ModuleType:
    """The benchmark's own scorer, imported from its file."""
    spec = importlib.util.spec_from_file_location("bench_score", SHARED / "bench" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gold() -> dict[str, dict]:
    """All dev gold documents, plus dated copies so that time checks are exercised."""
    merged: dict[str, dict] = {}
    for path in sorted((SHARED / "bench" / "dev").glob("*.gold.jsonl")):
        merged.update(load_jsonl(path))
    dated = {f"{k}#dated": {**copy.deepcopy(d), "doc_id": f"{k}#dated", "published": "2001-12-14"}
             for k, d in list(merged.items())[:10]}
    return {**merged, **dated}


def _some(rng: random.Random, items: list) -> list:
    """A random non-empty selection (or the empty list when there is nothing)."""
    return rng.sample(items, rng.randint(1, len(items))) if items else []


def _mentioned(rng: random.Random, doc: dict) -> list[dict]:
    return _some(rng, doc.get("events") or [])


def drop_events(rng, doc):
    for ev in _mentioned(rng, doc):
        doc["events"].remove(ev)


def change_types(rng, doc):
    for ev in _mentioned(rng, doc):
        ev["type"] = rng.choice(TYPES)


def change_statuses(rng, doc):
    for ev in _mentioned(rng, doc):
        ev["status"], ev["mode"] = rng.choice(STATUSES), rng.choice(("naval", "arrest", None))


def change_countries(rng, doc):
    for ev in _mentioned(rng, doc):
        for key in ("source", "target", "location"):
            if ev.get(key) and rng.random() < 0.6:
                ev[key]["country"] = rng.choice(COUNTRIES)


def change_actors(rng, doc):
    for ev in _mentioned(rng, doc):
        role = rng.choice(("source", "target"))
        name = rng.choice(NAMES)
        ev[role] = rng.choice((None, {}, {"name": name, "text": name, "country": rng.choice(COUNTRIES)}))


def change_toll_time_attribution(rng, doc):
    for ev in _mentioned(rng, doc):
        ev["magnitude"] = rng.choice(({}, {"killed": {"min": rng.randint(0, 20)}}, None))
        ev["time"] = rng.choice((None, {"start": "2025-09-02", "end": ev.get("time") and ev["time"].get("end")}))
        ev["attribution"] = [{"kind": rng.choice(KINDS)} for _ in range(rng.randint(0, 2))]


def shift_mentions(rng, doc):
    for ev in _mentioned(rng, doc):
        for m in ev.get("mentions") or []:
            delta = rng.randint(-150, 150)
            m["start"], m["end"] = max(0, m["start"] + delta), max(0, m["end"] + delta)
        if rng.random() < 0.1:
            ev["mentions"] = rng.choice(([], None, [{"start": None, "end": 5}], ["text"]))


def add_spurious_events(rng, doc):
    size = len(doc.get("text") or "") or 100
    doc["events"] = doc.get("events") or []
    for _ in range(rng.randint(1, 4)):
        start = rng.randrange(size)
        doc["events"].append(
            event(rng.choice(TYPES), start, start + rng.randint(1, 200), status=rng.choice(STATUSES)))


def shuffle_events(rng, doc):
    rng.shuffle(doc.get("events") or [])


def delete_quotes(rng, doc):
    for q in _some(rng, doc.get("quotes") or []):
        doc["quotes"].remove(q)


def change_speakers(rng, doc):
    for q in _some(rng, doc.get("quotes") or []):
        name = rng.choice(NAMES)
        q["speaker"] = rng.choice((None, {"name": name, "text": None}, {"text": name.split()[-1]}))


def change_quote_spans_and_types(rng, doc):
    for q in _some(rng, doc.get("quotes") or []):
        delta = rng.randint(-100, 100)
        q["start"], q["end"] = max(0, q["start"] + delta), max(0, q["end"] + delta)
        q["type"] = rng.choice(("direct", "indirect"))


def empty_the_document(rng, doc):
    doc["events"], doc["quotes"] = rng.choice(((None, None), ([], [])))


PERTURBATIONS: tuple[Callable[[random.Random, dict], None], ...] = (
    drop_events, change_types, change_statuses, change_countries, change_actors,
    change_toll_time_attribution, shift_mentions, add_spurious_events, shuffle_events,
    delete_quotes, change_speakers, change_quote_spans_and_types, empty_the_document,
)


def perturb(gold: dict[str, dict], rng: random.Random,
            kinds: tuple[Callable[[random.Random, dict], None], ...] = PERTURBATIONS,
            drop_share: float = 0.05) -> dict[str, dict]:
    """A prediction made from the gold by random damage; some documents go missing."""
    pred = {}
    for doc_id, doc in copy.deepcopy(gold).items():
        if rng.random() < drop_share:
            continue
        for damage in rng.sample(kinds, rng.randint(0, min(3, len(kinds)))):
            damage(rng, doc)
        pred[doc_id] = doc
    return pred


def assert_same_figures(reference: ModuleType, gold: dict, pred: dict) -> dict:
    """Our figures equal the benchmark's, keys in the same order too."""
    ours = score(gold, pred)
    theirs = reference.score(gold, pred)
    assert json.dumps(ours) == json.dumps(theirs)
    return ours


@needs_shared
def test_same_figures_on_the_gold_itself(reference, gold):
    result = assert_same_figures(reference, gold, gold)
    assert result["event_f1"] == result["quote_f1"] == 1.0


@needs_shared
@pytest.mark.parametrize("seed", range(40))
def test_same_figures_on_randomly_damaged_predictions(reference, gold, seed):
    assert_same_figures(reference, gold, perturb(gold, random.Random(seed)))


@needs_shared
@pytest.mark.parametrize("damage", PERTURBATIONS, ids=lambda f: f.__name__)
def test_same_figures_for_each_kind_of_damage(reference, gold, damage):
    perfect = score(gold, gold)
    results = [assert_same_figures(reference, gold, perturb(gold, random.Random(seed), (damage,), 0.0))
               for seed in range(5)]
    assert any(r != perfect for r in results), "the damage never changed a figure"


@needs_shared
def test_same_figures_when_documents_are_missing(reference, gold):
    result = assert_same_figures(reference, gold, perturb(gold, random.Random(99), (), 0.5))
    assert result["documents_missing"] > 0


@needs_shared
def test_same_figures_against_an_empty_prediction(reference, gold):
    assert assert_same_figures(reference, gold, {})["documents_missing"] == len(gold)


@needs_shared
def test_same_loading(reference):
    for path in (SHARED / "bench" / "dev").glob("*.gold.jsonl"):
        assert load_jsonl(path) == reference.load(str(path))


@needs_shared
@pytest.mark.parametrize("seed", range(3))
def test_same_report_text(reference, gold, tmp_path, seed):
    pred = perturb(gold, random.Random(seed))
    paths = []
    for name, documents in (("gold", gold), ("pred", pred)):
        paths.append(tmp_path / f"{name}.jsonl")
        paths[-1].write_text("".join(json.dumps(d) + "\n" for d in documents.values()), encoding="utf-8")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert reference.main([str(p) for p in paths]) == 0
    assert format_report(score(load_jsonl(paths[0]), load_jsonl(paths[1]))) + "\n" == printed.getvalue()
