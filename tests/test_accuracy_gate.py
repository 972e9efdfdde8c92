"""The accuracy gate: the dev-set figures must not fall below the floors in
bench/accuracy_floors.json. Reads ../shared/bench/dev (skips, saying so, only where absent)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventwire.evaluate import below_minimum, load_jsonl, score
from eventwire.model import Article

pytestmark = pytest.mark.slow
FLOORS = json.loads((Path(__file__).resolve().parents[1] / "bench" / "accuracy_floors.json")
                    .read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dev_scores(extractor, shared_dir):
    gold = {}
    for path in sorted((shared_dir / "bench" / "dev").glob("*.gold.jsonl")):
        gold.update(load_jsonl(path))
    pred = {}
    for doc_id, g in gold.items():
        article = Article(doc_id, g["text"], g.get("title"), g.get("published"), g.get("url"))
        pred[doc_id] = extractor.extract(article).to_dict()
    seed = {k: v for k, v in gold.items() if k.startswith("seed")}
    return score(gold, pred), score(seed, {k: pred[k] for k in seed})


def test_dev_set_stays_above_floors(dev_scores):
    result, _ = dev_scores
    assert below_minimum(result, FLOORS["all_dev"]) == []


def test_seed_article_stays_above_floors(dev_scores):
    _, seed = dev_scores
    assert below_minimum(seed, FLOORS["seed"]) == []


def test_floors_are_real_figures():
    """A floor names a figure the scorer reports, so a typo cannot make the gate pass."""
    known = {"event_f1", "strict_event_f1", "quote_f1", "detection_f1"}
    for floors in (FLOORS["all_dev"], FLOORS["seed"]):
        for name, value in floors.items():
            assert name in known or name.startswith("accuracy."), name
            assert 0 < value <= 1
