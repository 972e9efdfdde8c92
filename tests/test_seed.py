"""End to end on the seed article (../shared/bench/dev/seed.gold.jsonl, published 2025-09-27).

Reads ../shared (skips, saying so, only where it is absent). Asserts the events and quotes
the foundation issue names, the schema, and the scorer's floors on this article.
"""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from eventwire.evaluate import score

pytestmark = pytest.mark.slow


def _events(doc, etype):
    return [e for e in doc.events if e.type == etype]


def _covers(event, text, phrase):
    """Whether one of the event's mentions contains ``phrase``."""
    return any(phrase in text[m.start:m.end] for m in event.mentions)


def test_planned_drone_strike_inside_venezuela(seed_doc, seed_gold):
    text = seed_gold["text"]
    plans = [e for e in _events(seed_doc, "ASSAULT") if _covers(e, text, "drafting plans to strike")]
    assert len(plans) == 1
    e = plans[0]
    assert e.status == "planned"
    assert e.target is not None and "traffickers" in (e.target.text or "")
    assert e.target.kind == "criminal"
    kinds = {a.kind for a in e.attribution}
    assert "media" in kinds and "anonymous" in kinds
    assert any(a.name == "NBC News" for a in e.attribution)
    assert any(a.kind == "anonymous" and a.count == 4 for a in e.attribution)
    assert e.location is not None and e.location.country == "VEN"


def test_boat_strikes_occurred_with_toll(seed_doc, seed_gold):
    text = seed_gold["text"]
    strikes = [e for e in _events(seed_doc, "ASSAULT") if _covers(e, text, "at least three strikes")]
    assert len(strikes) == 1
    e = strikes[0]
    assert e.status == "occurred"
    assert e.magnitude["killed"].min == 17 and e.magnitude["killed"].max is None
    assert e.time is not None and e.time.start == "2025-09-02" and e.time.end == "2025-09-27"


def test_bounty_is_a_sanction(seed_doc, seed_gold):
    text = seed_gold["text"]
    bounty = [e for e in _events(seed_doc, "SANCTION") if _covers(e, text, "$50 million bounty")]
    assert len(bounty) == 1
    e = bounty[0]
    assert e.magnitude["money"].min == 50_000_000 and e.magnitude["money"].unit == "USD"
    assert e.target is not None and e.target.name == "Nicolás Maduro"
    assert e.time is not None and (e.time.start, e.time.end) == ("2025-08-01", "2025-08-31")


def test_eight_ships_mobilize(seed_doc, seed_gold):
    text = seed_gold["text"]
    moves = [e for e in _events(seed_doc, "MOBILIZE") if _covers(e, text, "eight ships")]
    assert len(moves) == 1
    assert moves[0].magnitude["vessels"].min == 8
    assert moves[0].source is not None and moves[0].source.country == "USA"


def test_maduro_denial_is_reject(seed_doc, seed_gold):
    text = seed_gold["text"]
    denials = [e for e in _events(seed_doc, "REJECT") if _covers(e, text, "denied playing a role")]
    assert len(denials) == 1
    assert denials[0].status == "occurred"
    assert denials[0].source is not None and denials[0].source.name == "Nicolás Maduro"


def test_leavitt_quote_has_her_as_speaker(seed_doc):
    leavitt = [q for q in seed_doc.quotes if q.text.startswith("Frankly, I think there were a lot of lies")]
    assert len(leavitt) == 1
    q = leavitt[0]
    assert q.type == "direct" and q.cue == "told"
    assert q.speaker is not None and q.speaker.name == "Karoline Leavitt"
    follow = [x for x in seed_doc.quotes if x.text.startswith("We view the Maduro regime")]
    assert follow and follow[0].speaker is not None and follow[0].speaker.name == "Karoline Leavitt"


def test_nothing_from_trailing_boilerplate(seed_doc, seed_gold):
    tail = seed_gold["text"].index("Share.")
    assert all(m.start < tail for e in seed_doc.events for m in e.mentions)
    assert all(q.start < tail for q in seed_doc.quotes)


def test_record_validates_against_schema(seed_doc):
    schema = json.loads((Path(__file__).resolve().parents[1] / "src" / "eventwire" / "data" /
                         "document.schema.json").read_text(encoding="utf-8"))
    record = seed_doc.to_dict()
    jsonschema.validate(record, schema)
    assert record["coder"]["model"] and record["coder"]["version"]


def test_mentions_point_into_the_text(seed_doc, seed_gold):
    text = seed_gold["text"]
    for e in seed_doc.events:
        for m in e.mentions:
            assert text[m.start:m.end] == m.text
    for q in seed_doc.quotes:
        assert text[q.start:q.end] == q.text


def test_seed_figures_reach_the_floors(seed_doc, seed_gold):
    result = score({seed_gold["doc_id"]: seed_gold}, {seed_gold["doc_id"]: seed_doc.to_dict()})
    assert result["event_f1"] >= 0.6, result
    assert result["quote_f1"] >= 0.8, result
