"""The pure parts of bench/plover.py and bench/polnear.py: label and code mappings,
span matching, brat parsing and speaker comparison. No model is loaded."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench_support import load_bench

ROOT = Path(__file__).resolve().parents[1]


plover = load_bench("plover")
polnear = load_bench("polnear")

VALID = frozenset({"USA", "ISR", "PSE", "JPN", "ITA", "VNM", "HUN", "ROU"})


# --- plover: labels ----------------------------------------------------------------

@pytest.mark.parametrize(("label", "ours"), [
    ("DEMAND", "REQUEST"), ("DISAPPROVE", "ACCUSE"), ("FIGHT", "ASSAULT"),
    ("ASSAULT", "ASSAULT"), ("agree", "AGREE"), ("INVESTIGATE", None),
])
def test_old_plover_labels_map_to_our_types(label: str, ours: str | None) -> None:
    assert plover.map_label(label) == ours


def test_every_mapped_label_is_one_of_our_types() -> None:
    from eventwire.model import EVENT_TYPES

    assert {t for t in plover.LABEL_MAP.values() if t} <= set(EVENT_TYPES)


def test_an_unknown_label_is_an_error_not_a_silent_miss() -> None:
    with pytest.raises(KeyError):
        plover.map_label("YIELD")


def test_threats_and_offers_are_read_as_plover_types() -> None:
    assert plover.plover_reading("ASSAULT", "threatened") == "THREATEN"
    assert plover.plover_reading("RETREAT", "offered") == "AGREE"
    assert plover.plover_reading("ASSAULT", "planned") == "ASSAULT"


def test_the_mapping_page_agrees_with_the_script() -> None:
    page = (ROOT / "docs" / "plover-mapping.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| ([A-Z]+) \| \d+ \| (.+?) \|", page, flags=re.M)
    documented = {label: (ours if re.fullmatch(r"[A-Z]+", ours) else None) for label, ours in rows}
    assert documented == dict(plover.LABEL_MAP)


# --- plover: actors ---------------------------------------------------------------

@pytest.mark.parametrize(("code", "iso3"), [
    ("USA", "USA"), ("ISRMIL", "ISR"), ("PSE", "PSE"), ("JAP", "JPN"), ("ITL", "ITA"),
    ("VTN", "VNM"), ("PAL", "PSE"), ("IGO", None), ("NGO", None), ("IMG", None), ("ISM", None),
    ("XYZ", None), ("", None), (None, None),
])
def test_actor_codes_give_iso3_countries(code: str | None, iso3: str | None) -> None:
    assert plover.code_to_iso3(code, VALID) == iso3


def test_gold_actor_fields_of_every_shape_give_their_codes() -> None:
    assert plover.actor_codes([{"code": "HUN"}, {"code": "ROU"}]) == ("HUN", "ROU")
    assert plover.actor_codes({"code": "USA"}) == ("USA",)
    assert plover.actor_codes("diplomatic") == ()
    assert plover.actor_codes(None) == ()


def test_joint_actor_of_two_countries_accepts_either_country_or_none() -> None:
    gold = plover.gold_countries(("HUN", "ROU"), VALID)
    assert plover.country_ok("ROU", gold) and plover.country_ok(None, gold)
    assert not plover.country_ok("USA", gold)
    assert not plover.country_ok(None, plover.gold_countries(("USA",), VALID))


def test_gold_record_reads_label_triggers_and_actors() -> None:
    raw = {"id": "X-1", "text": "Israel threatened Hamas.", "event": "DISAPPROVE",
           "eventText": "sharply criticised", "source": [{"code": "ISRGOV"}], "target": ""}
    rec = plover.gold_record(raw)
    assert (rec.type, rec.source, rec.target) == ("ACCUSE", ("ISRGOV",), ())
    assert rec.triggers == frozenset({"sharply", "criticised"})


def test_pick_event_prefers_the_gold_trigger_then_the_first() -> None:
    from eventwire.model import Event

    said = Event("ACCUSE", "occurred", [], trigger="blamed")
    hit = Event("ASSAULT", "occurred", [], trigger="Shelled")
    assert plover.pick_event([said, hit], frozenset({"shelled"})) is hit
    assert plover.pick_event([said, hit], frozenset({"bombed"})) is said
    assert plover.pick_event([], frozenset({"x"})) is None


def test_scores_count_type_countries_and_confusion() -> None:
    gold = [plover.GoldRecord("a", "", "FIGHT", "ASSAULT", frozenset(), ("ISR",), ("PSE",)),
            plover.GoldRecord("b", "", "DEMAND", "REQUEST", frozenset(), ("IGO",), ("USA",)),
            plover.GoldRecord("c", "", "INVESTIGATE", None, frozenset(), ("USA",), ())]
    preds = [plover.Prediction("a", 1, "ASSAULT", "ASSAULT", "occurred", "x", "ASSAULT", "ISR", None),
             plover.Prediction("b", 0, None, None, None, None, None, None, None),
             plover.Prediction("c", 1, "ACCUSE", "ACCUSE", "occurred", "x", "ACCUSE", "USA", None)]
    summary = plover.summarise(list(zip(gold, preds)), VALID)
    assert summary["rates"]["type"] == {"right": 1, "total": 2, "value": 0.5}
    assert summary["rates"]["source_country"]["total"] == 1  # IGO has no country; c left out
    assert summary["rates"]["target_country"] == {"right": 0, "total": 2, "value": 0.0}
    assert summary["confusion"] == {"ASSAULT": {"ASSAULT": 1}, "REQUEST": {plover.NO_EVENT: 1}}
    assert summary["left_out"] == {"INVESTIGATE": 1}


# --- polnear: brat ------------------------------------------------------------------

ANN = "\n".join([
    "T1\tSource 0 5\tSmith",
    "T2\tCue 6 10\tsaid",
    "T3\tContent 11 20;25 30\tthe war is over",
    "T4\tAttribution 6 10\tsaid",
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
    "T5\tCue 40 46\tbelief",
    "T6\tContent 47 60\tthat it works",
    "T7\tAttribution-no-source 40 46\tbelief",
    "E2\tAttribution-no-source:T7 Content:T6 Cue:T5",
    "T8\tDiscard 70 80\tFollow me",
    "E3\tAttribution:T4 Cue:T2",
])


def test_brat_attributions_are_parsed_with_fragments_and_roles() -> None:
    first, second = polnear.parse_ann(ANN)  # E3 has no content and is skipped
    assert (first.kind, first.content, first.cue, first.source, first.source_spans) == (
        "Attribution", ((11, 20), (25, 30)), "said", "Smith", ((0, 5),))
    assert (second.kind, second.source, second.content) == ("Attribution-no-source", None, ((47, 60),))
    assert first.speech and not second.speech


def test_a_second_content_role_joins_the_first() -> None:
    ann = "\n".join(["T1\tContent 0 4\tabcd", "T2\tContent 10 12\tkl", "T3\tCue 5 9\tsays",
                     "E1\tAttribution:T3 Content:T1 Content2:T2 Cue:T3"])
    (att,) = polnear.parse_ann(ann)
    assert att.content == ((0, 4), (10, 12))


@pytest.mark.parametrize(("cue", "content", "speech"), [
    ("said", "that taxes rise", True), ("has denied", "any role", True),
    ("called on", "Congress to act", True), ("is regularly sending fundraising emails with", "x", False),
    ("according to", "the plan failed", False), ("according to", "“the plan failed”", True),
    ("shows", "Clinton ahead", False), (":", "“We will win,”", True), (None, "he is right", False),
    ("Tweeted", "x", True), ("replied", "x", True), ("quipped", "x", True),
])
def test_speech_is_a_verb_of_saying_or_a_direct_quote(cue: str | None, content: str,
                                                       speech: bool) -> None:
    assert polnear.is_speech(cue, content) is speech


def test_dates_come_from_polnear_file_names() -> None:
    assert polnear.published_from_name("nyt_2016-10-14_how-to-mend") == "2016-10-14"
    assert polnear.published_from_name("no-date") is None


# --- polnear: span matching ------------------------------------------------------------

def test_overlap_counts_shared_characters_across_fragments() -> None:
    assert polnear.overlap([(0, 10)], [(5, 8), (9, 20)]) == 4


def test_a_match_needs_half_of_the_shorter_span() -> None:
    assert polnear.matching_overlap([(0, 10)], [(5, 100)]) == 5
    assert polnear.matching_overlap([(0, 10)], [(6, 100)]) == 0
    assert polnear.matching_overlap([(0, 10)], [(10, 20)]) == 0


def test_greedy_matching_is_one_to_one_largest_overlap_first() -> None:
    preds = [[(0, 10)], [(0, 30)], [(50, 60)]]
    golds = [[(0, 30)], [(55, 70)], [(100, 110)]]
    assert polnear.greedy_match(preds, golds) == [(1, 0), (2, 1)]


def test_leftover_quotes_are_pieces_non_speech_or_wrong() -> None:
    assert polnear.leftover([(0, 10)], [[(0, 40)]], []) == "piece"
    assert polnear.leftover([(50, 60)], [[(0, 40)]], [[(48, 70)]]) == "non_speech"
    assert polnear.leftover([(80, 90)], [[(0, 40)]], [[(48, 70)]]) == "wrong"


def test_scoring_an_article_counts_pieces_and_f1() -> None:
    from eventwire.model import Actor, Quote

    gold = polnear.parse_ann(ANN)
    quotes = [Quote("the war", 11, 18, "indirect", Actor("Smith", "John Smith"), "said"),
              Quote("over", 25, 30, "indirect", Actor("he", None), "said"),
              Quote("stray", 100, 110, "direct", None, None)]
    tally = polnear.Tally()
    polnear.score_article("d", quotes, gold, polnear.Judge(lambda g: True, lambda g: True), tally)
    summary = polnear.summarise(tally, len(gold), 0)
    assert (summary["pieces"], summary["non_speech"]) == (1, 0)
    assert summary["content"] == {"precision": 0.5, "recall": 1.0, "f1": pytest.approx(2 / 3)}
    assert summary["speaker"] == {"right": 1, "total": 1, "value": 1.0}
    assert [w["quote"] for w in tally.wrong] == ["stray"] and tally.missed == []


# --- polnear: speakers ---------------------------------------------------------------

@pytest.mark.parametrize(("gold", "ours", "same"), [
    ("President Barack Obama", ("Obama", None), True),
    ("Ms Clinton", ("she", "Hillary Clinton"), True),
    ("Bill Clinton", ("Clinton", "Hillary Clinton"), True),  # "Clinton" alone is within both
    ("Bill Clinton", ("Hillary Clinton", "Hillary Clinton"), False),
    ("FBI Director James Comey", ("Comey", "James Comey"), True),
    ("Washington Post", ("The Washington Post", None), True),
    ("Trump", ("the campaign", None), False),
    ("Trump", (), False),
])
def test_speakers_agree_when_one_name_is_within_the_other(gold: str, ours: tuple, same: bool) -> None:
    assert polnear.same_speaker(gold, ours) is same


@pytest.mark.parametrize(("text", "pronoun"), [
    ("he", True), ("She herself", True), ("they", True), ("his campaign", False),
    ("Trump", False), ("", False),
])
def test_pronoun_sources_are_recognised(text: str, pronoun: bool) -> None:
    assert polnear.is_pronoun(text) is pronoun


def test_speaker_verdicts_leave_out_pronouns_and_separate_common_nouns() -> None:
    from eventwire.model import Actor

    trump = Actor("Trump", "Donald Trump")
    assert polnear.speaker_verdict("he", trump, False) == "pronoun source"
    assert polnear.speaker_verdict(None, trump, True) == "no gold source"
    assert polnear.speaker_verdict("Donald Trump", trump, True) == "right"
    assert polnear.speaker_verdict("Donald Trump", None, True) == "wrong"
    assert polnear.speaker_verdict("the candidate", trump, False) == "nominal wrong"


def test_inflections_cover_regular_and_irregular_forms() -> None:
    forms = polnear.speech_forms({"say", "deny", "quip", "note"})
    assert {"said", "says", "saying", "denied", "denies", "quipped", "noted", "noting"} <= forms
    assert "told" not in forms


def test_the_parse_tells_names_from_common_nouns_and_clauses_from_phrases() -> None:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    words = ["Trump", "said", "it", ".", "His", "campaign", "agreed", "."]
    doc = Doc(Vocab(), words=words, spaces=[True, True, False, True, True, True, False, False],
              pos=["PROPN", "VERB", "PRON", "PUNCT", "PRON", "NOUN", "VERB", "PUNCT"],
              heads=[1, 1, 1, 1, 5, 6, 6, 6],
              deps=["nsubj", "ROOT", "dobj", "punct", "poss", "nsubj", "ROOT", "punct"])
    judge = polnear.judge_from_doc(doc)

    def att(content: polnear.Span, source: polnear.Span | None = None) -> polnear.GoldAttribution:
        return polnear.GoldAttribution("E", "Attribution", (content,), doc.text[slice(*content)],
                                       "said", source and doc.text[slice(*source)],
                                       (source,) if source else ())

    assert judge.named(att((11, 13), (0, 5)))  # "Trump"
    assert not judge.named(att((11, 13), (15, 27)))  # "His campaign"
    assert not judge.named(att((11, 13)))
    assert judge.clause(att((15, 34)))  # "His campaign agreed"
    assert not judge.clause(att((15, 27)))  # "His campaign"


def test_indirect_speech_without_a_verb_is_set_apart_like_non_speech() -> None:
    from eventwire.model import Quote

    gold = polnear.parse_ann(ANN)
    tally = polnear.Tally()
    judge = polnear.Judge(named=lambda g: True, clause=lambda g: False)
    polnear.score_article("d", [Quote("the war", 11, 18, "indirect")], gold, judge, tally)
    summary = polnear.summarise(tally, len(gold), 0)
    assert (summary["phrases"], summary["non_speech"], summary["gold_speech"]) == (1, 1, {})


def test_missing_shared_data_stops_with_a_message_that_says_where(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="plover_gsr"):
        plover.load_gold(tmp_path / "PLOVER_GSR_CAMEO.json")
    with pytest.raises(SystemExit, match="polnear/test"):
        polnear.load_articles(tmp_path)
