#!/usr/bin/env python3
"""Quotes and speakers against the attributions of the PolNeAR test split.

    python bench/polnear.py [--limit N] [--json] [--markdown FILE]

Reads ``../shared/bench/public/polnear/test/`` (beside the repository, never
copied into it): political news articles with attributions in brat standoff
format (source, cue and content spans). Each article is extracted with its
publication date from the file name, and eventwire's quotes are compared with
the gold attributions that are speech:

* **Speech** is an attribution whose cue contains a verb of saying
  (``SPEECH_VERBS`` in any inflection: "said", "has denied", "called on") or
  whose content is a direct quote (it starts or ends with a double quotation
  mark). Beliefs, polls that "show", "according to" without quotation marks
  and the like are not speech. Indirect speech whose content has no verb
  ("called him a liar", "denied any role") is a bare noun phrase, not a quote
  under GUIDE.md 2, and is set apart like non-speech.
* **Matching**: a predicted quote and a gold content overlap when the shared
  characters are at least half of the shorter of the two (a gold content may
  have several fragments; quotation marks are in the gold spans, not in ours).
  Pairs are taken greedily, largest overlap first, one to one.
* **Content precision** leaves out predictions that are not errors under our
  guide or not the gold's concern: an extra piece of a gold content already
  matched (the guide splits a quote interrupted by "he said" into pieces,
  PolNeAR keeps one content) and a quote that matches a non-speech (or
  noun-phrase) attribution. Both counts are reported, with the precision that counts them
  as wrong.
* **Speaker**, on matched pairs whose gold source is a name (the root of the
  source phrase, parsed in the article, is a proper noun or in a named
  entity; pronoun and common-noun
  sources are left out, because which name a pronoun refers to is not in the
  gold): right when the content words of our speaker's text or name and of
  the gold source, titles left out, are one a subset of the other ("Obama" vs
  "President Barack Obama"; not "Bill Clinton" vs "Hillary Clinton").

Two articles were annotated by six annotators each; the first annotation file
in name order is used. Writes docs/accuracy-polnear.md (or ``--markdown
FILE``) and prints it; with ``--limit`` it only prints, unless ``--markdown``
is given. ``--json`` prints the figures, every matched pair, every missed gold speech
and every unmatched quote as JSON instead.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eventwire.nlp.pipeline import Extractor
    from eventwire.model import Actor, Quote

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
TEST_DIR = SHARED / "bench" / "public" / "polnear" / "test"
DEFAULT_REPORT = REPO / "docs" / "accuracy-polnear.md"

Span = tuple[int, int]

#: Verbs of saying (base forms); a cue containing any inflection of one marks speech.
SPEECH_VERBS: frozenset[str] = frozenset("""
    say tell add note ask write tweet post state declare announce claim argue insist explain
    reply respond answer warn urge call accuse charge allege deny admit acknowledge confirm
    suggest promise vow pledge predict assert contend maintain complain joke quip recall
    repeat reiterate report testify emphasize emphasise stress blast slam criticize criticise
    praise concede comment remark observe mention boast brag propose demand threaten speak
    talk shout yell exclaim whisper lament mock decry describe dub label recount disclose
    reveal retort counter question plead pray thank apologize apologise advise caution
    order instruct invite implore beg rule
""".split())
#: Irregular forms of the verbs above.
IRREGULAR: Mapping[str, str] = MappingProxyType({
    "said": "say", "told": "tell", "wrote": "write", "written": "write", "spoke": "speak",
    "spoken": "speak", "quipped": "quip", "pled": "plead",
})
OPENING_QUOTES = "\"“‘«"
CLOSING_QUOTES = "\"”»"
PRONOUNS: frozenset[str] = frozenset(
    "i me my we us our you your he him his she her they them their it its this that these "
    "those who whom which one someone somebody".split())
#: Words that do not tell speakers apart: articles, honorifics, titles and roles.
NAME_STOPWORDS: frozenset[str] = frozenset("""
    the a an of and for to in on at 's mr mrs ms dr sen senator rep representative gov
    governor president presidential vice former secretary director chairman chairwoman chair
    spokesman spokeswoman spokesperson press candidate nominee republican democratic democrat
    gop campaign manager general gen attorney speaker leader minister prime chief executive
    ceo sir lady lord rev jr sr u.s us
""".split())
TARGETS = MappingProxyType({"content_f1": 0.88, "speaker": 0.90})
NAIVE = MappingProxyType({"content_f1": 0.78, "speaker": 0.81})


@dataclass(frozen=True)
class TextBound:
    """A brat text-bound annotation: a label over one or more character fragments."""

    id: str
    label: str
    spans: tuple[Span, ...]
    text: str


@dataclass(frozen=True)
class GoldAttribution:
    """One gold attribution: its content fragments, cue and (optional) source."""

    id: str
    kind: str
    content: tuple[Span, ...]
    content_text: str
    cue: str | None
    source: str | None
    source_spans: tuple[Span, ...] = ()

    @property
    def speech(self) -> bool:
        return is_speech(self.cue, self.content_text)

    @property
    def direct(self) -> bool:
        return is_direct(self.content_text)


# --- brat ----------------------------------------------------------------------

def parse_spans(field_text: str) -> tuple[str, tuple[Span, ...]]:
    """``"Content 752 760;769 800"`` → ``("Content", ((752, 760), (769, 800)))``."""
    label, _, rest = field_text.partition(" ")
    spans = tuple((int(a), int(b)) for a, b in (part.split() for part in rest.split(";")))
    return label, spans


def parse_text_bound(line: str) -> TextBound:
    ident, middle, text = (line.split("\t") + ["", ""])[:3]
    label, spans = parse_spans(middle)
    return TextBound(ident, label, spans, text)


def parse_event(line: str) -> tuple[str, dict[str, list[str]]]:
    """``"E1\\tAttribution:T4 Content:T3"`` → ``("E1", {"Attribution": ["T4"], ...})``."""
    ident, _, args = line.partition("\t")
    roles: dict[str, list[str]] = {}
    for arg in args.split():
        role, _, ref = arg.partition(":")
        roles.setdefault(role, []).append(ref)
    return ident, roles


def parse_ann(text: str) -> list[GoldAttribution]:
    """The attributions of a brat ``.ann`` file (events whose trigger is an Attribution*)."""
    bounds: dict[str, TextBound] = {}
    events: list[tuple[str, dict[str, list[str]]]] = []
    for line in text.splitlines():
        if line.startswith("T"):
            bound = parse_text_bound(line)
            bounds[bound.id] = bound
        elif line.startswith("E"):
            events.append(parse_event(line))
    return [a for a in (attribution(ident, roles, bounds) for ident, roles in events) if a]


def attribution(ident: str, roles: Mapping[str, list[str]],
                bounds: Mapping[str, TextBound]) -> GoldAttribution | None:
    """An attribution from one brat event's roles; None when it has no content."""
    kind = next((r for r in roles if r.startswith("Attribution")), None)
    contents = [bounds[ref] for role, refs in roles.items() if role.startswith("Content")
                for ref in refs if ref in bounds]
    if kind is None or not contents:
        return None
    cue = _first(roles.get("Cue"), bounds)
    source = _first(roles.get("Source"), bounds)
    spans = tuple(sorted(s for c in contents for s in c.spans))
    return GoldAttribution(ident, kind, spans, " ".join(c.text for c in contents),
                           cue.text if cue else None, source.text if source else None,
                           source.spans if source else ())


def _first(refs: list[str] | None, bounds: Mapping[str, TextBound]) -> TextBound | None:
    for ref in refs or ():
        if ref in bounds:
            return bounds[ref]
    return None


# --- what counts as speech -----------------------------------------------------------

def inflections(base: str) -> set[str]:
    """Regular English forms of a verb: say → says, sayed, saying (irregulars are separate)."""
    stem = base[:-1] if base.endswith("e") else base
    forms = {base, base + "s", base + "es", stem + "ed", stem + "ing"}
    if base.endswith("y") and base[-2:-1] not in "aeiou":
        forms |= {base[:-1] + "ies", base[:-1] + "ied"}
    if re.fullmatch(r"[^aeiou]*[aeiou][bdgmnprt]", base):  # one-syllable CVC: stop → stopped
        forms |= {base + base[-1] + "ed", base + base[-1] + "ing"}
    return forms


def speech_forms(verbs: Iterable[str] = SPEECH_VERBS) -> frozenset[str]:
    """Every form of the verbs of saying that a cue may contain."""
    forms = {form for verb in verbs for form in inflections(verb)}
    return frozenset(forms | {irr for irr, base in IRREGULAR.items() if base in verbs})


SPEECH_FORMS = speech_forms()


def is_direct(content: str) -> bool:
    """Whether a gold content is a direct quote: it opens or closes with a quotation mark."""
    text = content.strip()
    return bool(text) and (text[0] in OPENING_QUOTES or text[-1] in CLOSING_QUOTES)


def is_speech(cue: str | None, content: str, forms: frozenset[str] = SPEECH_FORMS) -> bool:
    """Whether an attribution is speech: a cue with a verb of saying, or a direct quote."""
    words = re.findall(r"[a-z]+", (cue or "").lower().replace("’", "'"))
    return any(w in forms for w in words) or is_direct(content)


# --- span matching -------------------------------------------------------------------

def length(spans: Sequence[Span]) -> int:
    return sum(e - s for s, e in spans)


def overlap(a: Sequence[Span], b: Sequence[Span]) -> int:
    """Characters shared by two sets of fragments."""
    return sum(max(0, min(ae, be) - max(as_, bs)) for as_, ae in a for bs, be in b)


def matching_overlap(pred: Sequence[Span], gold: Sequence[Span], share: float = 0.5) -> int:
    """The overlap when it is at least ``share`` of the shorter span, else 0."""
    shared = overlap(pred, gold)
    shorter = min(length(pred), length(gold))
    return shared if shared and shared >= share * shorter else 0


def greedy_match(preds: Sequence[Sequence[Span]], golds: Sequence[Sequence[Span]],
                 share: float = 0.5) -> list[tuple[int, int]]:
    """One-to-one (pred index, gold index) pairs, the largest overlaps first."""
    candidates = sorted(
        ((matching_overlap(p, g, share), gi, pi) for pi, p in enumerate(preds)
         for gi, g in enumerate(golds)), key=lambda c: (-c[0], c[1], c[2]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for size, gi, pi in candidates:
        if size and pi not in used_p and gi not in used_g:
            used_p.add(pi)
            used_g.add(gi)
            pairs.append((pi, gi))
    return sorted(pairs)


# --- speakers ------------------------------------------------------------------------

def name_words(text: str | None) -> frozenset[str]:
    """Lower-case content words of a name, without titles, roles and possessive 's."""
    words = re.findall(r"[\w.-]+", (text or "").lower().replace("’", "'").replace("'s", ""))
    return frozenset(w.strip(".") for w in words if w.strip(".") and w.strip(".") not in NAME_STOPWORDS)


def is_pronoun(text: str) -> bool:
    """Whether a source phrase is only pronouns ("he", "they", "she herself")."""
    words = re.findall(r"[a-z]+", text.lower())
    return bool(words) and all(w in PRONOUNS or w.endswith("self") or w.endswith("selves")
                               for w in words)


def same_speaker(gold_source: str, ours: Sequence[str | None]) -> bool:
    """Whether any of our speaker strings names the gold source (one word set within the other)."""
    gold = name_words(gold_source)
    for text in ours:
        mine = name_words(text)
        if gold and mine and (mine <= gold or gold <= mine):
            return True
    return False


def speaker_strings(speaker: Actor | None) -> tuple[str | None, ...]:
    return (speaker.text, speaker.name) if speaker else ()


# --- one article -------------------------------------------------------------------

@dataclass
class Tally:
    """Counts over articles; ``pairs`` keeps every matched pair for the report and JSON."""

    articles: int = 0
    gold: Counter[str] = field(default_factory=Counter)
    predicted: Counter[str] = field(default_factory=Counter)
    matched_gold: Counter[str] = field(default_factory=Counter)
    matched_pred: Counter[str] = field(default_factory=Counter)
    pieces: int = 0
    non_speech: int = 0
    phrases: int = 0
    missed_cues: Counter[str] = field(default_factory=Counter)
    wrong_cues: Counter[str] = field(default_factory=Counter)
    speaker: Counter[str] = field(default_factory=Counter)
    pairs: list[dict[str, Any]] = field(default_factory=list)
    missed: list[dict[str, Any]] = field(default_factory=list)
    wrong: list[dict[str, Any]] = field(default_factory=list)


def gold_kind(att: GoldAttribution) -> str:
    return "direct" if att.direct else "indirect"


def leftover(pred: Sequence[Span], speech_matched: Sequence[Sequence[Span]],
             non_speech: Sequence[Sequence[Span]]) -> str:
    """What an unmatched prediction is: a ``piece`` of a matched gold, ``non_speech``, or ``wrong``."""
    if any(matching_overlap(pred, g) for g in speech_matched):
        return "piece"
    if any(matching_overlap(pred, g) for g in non_speech):
        return "non_speech"
    return "wrong"


@dataclass(frozen=True)
class Judge:
    """What the parse of one article says about its gold spans (see ``judge_from_doc``)."""

    named: Callable[[GoldAttribution], bool]
    clause: Callable[[GoldAttribution], bool]


def scored_speech(gold: Sequence[GoldAttribution], judge: Judge, tally: Tally) -> list[GoldAttribution]:
    """The gold speech our guide calls quotes: direct ones, and indirect ones with a clause.

    An indirect content without a verb ("called him a liar", "denied any role")
    is a bare noun phrase, which GUIDE.md 2 does not count as a quote; such
    attributions are counted apart and treated like non-speech.
    """
    speech = [g for g in gold if g.speech]
    kept = [g for g in speech if g.direct or judge.clause(g)]
    tally.phrases += len(speech) - len(kept)
    return kept


def score_article(doc_id: str, quotes: Sequence[Quote], gold: Sequence[GoldAttribution],
                  judge: Judge, tally: Tally) -> None:
    """Add one article's matches, misses, leftovers and speaker checks to the tally."""
    speech = scored_speech(gold, judge, tally)
    preds = [((q.start, q.end),) for q in quotes]
    pairs = greedy_match(preds, [g.content for g in speech])
    tally.articles += 1
    tally.gold.update(gold_kind(g) for g in speech)
    tally.predicted.update(q.type for q in quotes)
    for pi, gi in pairs:
        tally.matched_gold[gold_kind(speech[gi])] += 1
        tally.matched_pred[quotes[pi].type] += 1
        tally.pairs.append(pair_record(doc_id, quotes[pi], speech[gi], judge.named(speech[gi]), tally))
    matched_g = {gi for _, gi in pairs}
    count_missed(doc_id, [g for gi, g in enumerate(speech) if gi not in matched_g], tally)
    unmatched = [q for pi, q in enumerate(quotes) if pi not in {p for p, _ in pairs}]
    others = [g.content for g in gold if g not in speech]
    count_leftovers(doc_id, unmatched, [speech[gi].content for gi in matched_g], others, tally)


def count_missed(doc_id: str, missed: Sequence[GoldAttribution], tally: Tally) -> None:
    for g in missed:
        tally.missed_cues[(g.cue or "").lower()] += 1
        tally.missed.append({"doc": doc_id, "gold_id": g.id, "content": g.content_text[:200],
                             "cue": g.cue, "source": g.source, "kind": gold_kind(g)})


def count_leftovers(doc_id: str, quotes: Sequence[Quote], matched: Sequence[Sequence[Span]],
                    others: Sequence[Sequence[Span]], tally: Tally) -> None:
    """Sort unmatched quotes into pieces of matched golds, matches of other attributions, wrong."""
    for quote in quotes:
        what = leftover(((quote.start, quote.end),), matched, others)
        tally.pieces += what == "piece"
        tally.non_speech += what == "non_speech"
        if what == "wrong":
            tally.wrong_cues[(quote.cue or "(no cue)").lower()] += 1
            tally.wrong.append({"doc": doc_id, "quote": quote.text[:200], "type": quote.type,
                                "cue": quote.cue, "start": quote.start, "end": quote.end})


def pair_record(doc_id: str, quote: Quote, gold: GoldAttribution, named: bool,
                tally: Tally) -> dict[str, Any]:
    """One matched pair, with its speaker verdict counted in the tally."""
    verdict = speaker_verdict(gold.source, quote.speaker, named)
    tally.speaker[verdict] += 1
    return {"doc": doc_id, "gold_id": gold.id, "gold_content": gold.content_text[:200],
            "gold_cue": gold.cue, "gold_source": gold.source, "quote": quote.text[:200],
            "type": quote.type, "cue": quote.cue,
            "speaker": speaker_strings(quote.speaker), "speaker_verdict": verdict}


def speaker_verdict(source: str | None, speaker: Actor | None, named: bool) -> str:
    """``right``/``wrong`` for a named gold source, else why the pair is not scored."""
    if not source:
        return "no gold source"
    if is_pronoun(source):
        return "pronoun source"
    right = same_speaker(source, speaker_strings(speaker))
    if not named:
        return "nominal right" if right else "nominal wrong"
    return "right" if right else "wrong"


# --- data ----------------------------------------------------------------------------

@dataclass(frozen=True)
class GoldArticle:
    doc_id: str
    text: str
    published: str | None
    attributions: tuple[GoldAttribution, ...]


def published_from_name(name: str) -> str | None:
    """The date in a PolNeAR file name (``nyt_2016-10-14_how-to…``), or None."""
    m = re.search(r"_(\d{4}-\d{2}-\d{2})_", name)
    return m.group(1) if m else None


def annotation_file(doc_id: str, folder: Path) -> Path | None:
    """The article's annotation; with several annotators, the first file in name order."""
    files = sorted(folder.glob(f"{doc_id}_*.ann"))
    return files[0] if files else None


def load_articles(test_dir: Path = TEST_DIR) -> list[GoldArticle]:
    """Every test article that has an annotation file, in name order."""
    texts = test_dir / "text"
    if not texts.is_dir():
        sys.exit(f"no PolNeAR test split at {test_dir}: the shared benchmark folder must lie "
                 "beside the repository (../shared/bench/public/polnear/test/)")
    articles = []
    for path in sorted(texts.glob("*.txt")):
        ann = annotation_file(path.stem, test_dir / "attributions")
        if ann is not None:
            gold = tuple(parse_ann(ann.read_text(encoding="utf-8")))
            articles.append(GoldArticle(path.stem, path.read_text(encoding="utf-8"),
                                        published_from_name(path.stem), gold))
    return articles


def offset_mismatches(article: GoldArticle) -> int:
    """Gold contents whose offsets do not give their text (a check on reading the files)."""
    bad = 0
    for att in article.attributions:
        pieces = " ".join(article.text[s:e] for s, e in att.content)
        bad += sorted(pieces.split()) != sorted(att.content_text.split())
    return bad


# --- figures -------------------------------------------------------------------------

def prf(right_pred: int, n_pred: int, right_gold: int, n_gold: int) -> dict[str, float | None]:
    """Precision, recall and F1 (None where a denominator is zero)."""
    p = right_pred / n_pred if n_pred else None
    r = right_gold / n_gold if n_gold else None
    f = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
    return {"precision": p, "recall": r, "f1": f}


def summarise(tally: Tally, gold_total: int, mismatches: int) -> dict[str, Any]:
    """Every figure of the report, as plain data."""
    matched = sum(tally.matched_gold.values())
    n_gold, n_pred = sum(tally.gold.values()), sum(tally.predicted.values())
    scored_pred = n_pred - tally.pieces - tally.non_speech
    named = tally.speaker["right"] + tally.speaker["wrong"]
    nominal = tally.speaker["nominal right"] + tally.speaker["nominal wrong"]
    return {
        "articles": tally.articles, "gold_attributions": gold_total, "offset_mismatches": mismatches,
        "gold_speech": dict(tally.gold), "predicted": dict(tally.predicted),
        "matched_gold": dict(tally.matched_gold), "matched_pred": dict(tally.matched_pred),
        "pieces": tally.pieces, "non_speech": tally.non_speech, "phrases": tally.phrases,
        "content": prf(matched, scored_pred, matched, n_gold),
        "content_strict": prf(matched, n_pred, matched, n_gold),
        "recall_by_kind": {k: matched_share(tally.matched_gold[k], v) for k, v in tally.gold.items()},
        "precision_by_type": {k: matched_share(tally.matched_pred[k], v)
                              for k, v in tally.predicted.items()},
        "speaker": {"right": tally.speaker["right"], "total": named,
                    "value": tally.speaker["right"] / named if named else None},
        "speaker_nominal": {"right": tally.speaker["nominal right"], "total": nominal,
                            "value": tally.speaker["nominal right"] / nominal if nominal else None},
        "speaker_verdicts": dict(tally.speaker),
        "missed_cues": dict(tally.missed_cues.most_common(15)),
        "wrong_cues": dict(tally.wrong_cues.most_common(15)),
    }


def matched_share(right: int, total: int) -> dict[str, Any]:
    return {"right": right, "total": total, "value": right / total if total else None}


# --- report --------------------------------------------------------------------------

def fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def headline(s: Mapping[str, Any]) -> list[str]:
    c, strict, sp = s["content"], s["content_strict"], s["speaker"]
    return [
        "| measure | value | target | naive rules |", "| --- | ---: | ---: | ---: |",
        f"| content precision | {fmt(c['precision'])} | | |",
        f"| content recall | {fmt(c['recall'])} | | |",
        f"| **content F1** | **{fmt(c['f1'])}** | ≥ {fmt(TARGETS['content_f1'])} | "
        f"{fmt(NAIVE['content_f1'])} |",
        f"| content F1, pieces and non-speech matches counted wrong | {fmt(strict['f1'])} "
        f"(P {fmt(strict['precision'])}) | | |",
        f"| **speaker** (named gold sources, {sp['right']} / {sp['total']}) | **{fmt(sp['value'])}** "
        f"| ≥ {fmt(TARGETS['speaker'])} | {fmt(NAIVE['speaker'])} |",
    ]


def breakdown(s: Mapping[str, Any]) -> list[str]:
    rows = ["| | matched / all | share |", "| --- | ---: | ---: |"]
    for kind, r in sorted(s["recall_by_kind"].items()):
        rows.append(f"| recall, gold {kind} | {r['right']} / {r['total']} | {fmt(r['value'])} |")
    for kind, r in sorted(s["precision_by_type"].items()):
        rows.append(f"| matched share of our {kind} quotes (pieces count as unmatched) | "
                    f"{r['right']} / {r['total']} | "
                    f"{fmt(r['value'])} |")
    return rows


def counter_line(counts: Mapping[str, int]) -> str:
    return ", ".join(f"\"{k}\" {v}" for k, v in counts.items()) or "none"


def markdown(s: Mapping[str, Any], meta: Mapping[str, str]) -> str:
    """The report: data, rules, headline figures and where the errors are."""
    nominal, verdicts = s["speaker_nominal"], s["speaker_verdicts"]
    n_speech = sum(s["gold_speech"].values())
    parts = [
        "# Quotes and speakers on PolNeAR (test split)",
        "",
        f"Written by `bench/polnear.py` on {meta['date']} (eventwire {meta['version']}, model "
        f"{meta['model']}). {s['articles']} articles of `../shared/bench/public/polnear/test/` "
        f"with {s['gold_attributions']} gold attributions, of which {n_speech} are scored as "
        f"speech ({s['gold_speech'].get('direct', 0)} direct, "
        f"{s['gold_speech'].get('indirect', 0)} indirect). eventwire found {sum(s['predicted'].values())} quotes "
        f"({s['predicted'].get('direct', 0)} direct, {s['predicted'].get('indirect', 0)} indirect).",
        "",
        "## How it is scored",
        "",
        "- **Gold speech**: attributions whose cue contains a verb of saying (`SPEECH_VERBS` in "
        "the script, any inflection: \"said\", \"has denied\", \"called on\") or whose content "
        "opens or closes with a double quotation mark (a direct quote). Beliefs, polls that "
        "\"show\", and \"according to\" without quotation marks are not speech. Indirect speech "
        "whose content has no verb (\"called him a liar\", \"denied any role\") is a bare noun "
        f"phrase, not a quote under GUIDE.md 2: {s['phrases']} such attributions are set apart "
        "like non-speech. Sourceless attributions count for content, not for speakers.",
        "- **Matching**: a quote and a gold content match when their shared characters are at "
        "least half of the shorter span (gold contents include the quotation marks and may "
        "have several fragments; ours exclude the marks). Greedy one to one, largest overlap "
        "first.",
        f"- **Precision** leaves out {s['pieces']} extra pieces of gold contents that are already "
        "matched (the guide splits a quote interrupted by \"he said\"; PolNeAR keeps one content) "
        f"and {s['non_speech']} quotes that match a non-speech or noun-phrase attribution; the "
        "strict line "
        "counts both as wrong.",
        "- **Speaker**: on matched pairs whose gold source is a name (its root, parsed in the "
        "article, is a proper noun or in a named entity). Right when the content words "
        "(titles and roles such as \"President\", "
        "\"Sen.\", \"spokesman\" left out) of our speaker's text or name and of the gold source "
        "are one a subset of the other. Pronoun sources are left out, since the gold does not "
        "say whom they refer to.",
        "- Two articles have six annotators each; the first annotation file in name order is "
        f"used. Gold contents whose offsets did not give their text: {s['offset_mismatches']}.",
        "",
        "## Figures",
        "",
        *headline(s),
        "",
        "Targets are from the issue; \"naive rules\" is a day of naive rules on the same data. "
        "For comparison, BBC Citron reports quote source F1 0.82 on PARC 3.0 (a different "
        "corpus and measure: span F1 of sources, not speaker agreement on matched quotes).",
        "",
        "## Breakdown",
        "",
        *breakdown(s),
        "",
        f"Speaker on common-noun gold sources (\"the newspaper\", \"his campaign\"), same rule: "
        f"{nominal['right']} / {nominal['total']} = {fmt(nominal['value'])}. Matched pairs with a "
        f"pronoun source: {verdicts.get('pronoun source', 0)}; with no gold source: "
        f"{verdicts.get('no gold source', 0)}.",
        "",
        f"Most frequent cues of missed gold speech: {counter_line(s['missed_cues'])}.",
        "",
        f"Most frequent cues of our unmatched quotes: {counter_line(s['wrong_cues'])}.",
        "",
    ]
    return "\n".join(parts)


# --- command line --------------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, help="score only the first N articles (name order)")
    ap.add_argument("--json", action="store_true",
                    help="print the figures and every matched pair as JSON instead of Markdown")
    ap.add_argument("--markdown", type=Path,
                    help=f"write the report here (default {DEFAULT_REPORT.relative_to(REPO)}, "
                         "not written with --limit)")
    return ap.parse_args(argv)


NAME_ENTITIES: frozenset[str] = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC"})


def judge_from_doc(doc: Any) -> Judge:
    """Judge gold spans on the parsed article (a spaCy Doc).

    A source is a name when the syntactic root of its first fragment is a
    proper noun or inside a named entity ("Trump", "the Justice Department";
    not "his campaign", "the newspaper"); parsing the phrase alone would not
    do, since the small model tags a lone "Trump" as a verb. A content is a
    clause when one of its tokens is a verb or auxiliary.
    """
    def named(gold: GoldAttribution) -> bool:
        if not gold.source_spans:
            return False
        span = doc.char_span(*gold.source_spans[0], alignment_mode="expand")
        return span is not None and (span.root.pos_ == "PROPN"
                                     or span.root.ent_type_ in NAME_ENTITIES)

    def clause(gold: GoldAttribution) -> bool:
        spans = (doc.char_span(s, e, alignment_mode="expand") for s, e in gold.content)
        return any(t.pos_ in ("VERB", "AUX") for span in spans if span is not None for t in span)
    return Judge(named, clause)


def run(articles: Sequence[GoldArticle]) -> tuple[Tally, dict[str, str]]:
    """Extract and score every article; the tally and what produced it."""
    from eventwire.nlp.pipeline import Extractor
    from eventwire.model import Article

    extractor = Extractor()
    tally = Tally()
    for n, art in enumerate(articles, 1):
        doc = extractor.extract(Article(art.doc_id, art.text, None, art.published))
        judge = judge_from_doc(extractor.nlp(art.text))
        score_article(art.doc_id, doc.quotes, art.attributions, judge, tally)
        if n % 10 == 0:
            print(f"  {n}/{len(articles)} articles", file=sys.stderr)
    coder = extractor.coder()
    return tally, {"date": dt.date.today().isoformat(), "version": coder.version,
                   "model": f"{coder.model} {coder.model_version}"}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    articles = load_articles()
    articles = articles[: args.limit] if args.limit else articles
    tally, meta = run(articles)
    summary = summarise(tally, sum(len(a.attributions) for a in articles),
                        sum(offset_mismatches(a) for a in articles))
    if args.json:
        print(json.dumps({"meta": meta, **summary, "pairs": tally.pairs, "missed": tally.missed,
                          "wrong": tally.wrong}, indent=1))
    report = markdown(summary, meta)
    if not args.json:
        print(report, end="")
    path = args.markdown or (None if args.limit else DEFAULT_REPORT)
    if path:
        path.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
