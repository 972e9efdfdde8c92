#!/usr/bin/env python3
"""Score ``eventwire.nlp.times.find_times`` on the DATE expressions of TimeBank and AQUAINT.

    python bench/timebank.py [--data DIR] [--markdown FILE] [--misses N]

The corpus (TBAQ-cleaned, as distributed for TempEval-3) is read from
``../shared/bench/public/timebank`` beside the repository and never copied
into it. Each document's ``<TEXT>`` is stripped of its tags, keeping character
offsets, cut into sentences, and each sentence goes through ``find_times``
with the document creation time (DCT) as the publication date, as the
pipeline does with an article's sentences. The predictions are compared with
the gold TIMEX3 of type DATE; the rules are in ``MATCHING_RULE`` below, which
the report quotes so that the figures and their definition travel together.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from eventwire.nlp.times import find_times

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "bench" / "public" / "timebank" / "TBAQ-cleaned"
DEFAULT_MARKDOWN = REPO / "docs" / "accuracy-timebank.md"
HEIDELTIME_VALUE = 0.78
DAY = timedelta(days=1)

MATCHING_RULE = """\
- **Gold.** Every TIMEX3 of type DATE inside `<TEXT>`; the DCT (the creation time,
  outside `<TEXT>`) is the publication date and is not scored.
- **Input.** The text with tags removed, cut into sentences at newlines and at
  `.`, `!`, `?` followed by a capital or a quote (not after common abbreviations
  such as `Oct.`, `Mr.`, `U.S.`); `find_times(sentence, dct)` on each sentence.
- **Found (recall).** A gold DATE is found when a predicted span overlaps it by
  at least one character. Every gold DATE counts, scorable value or not.
- **Precision.** A predicted span is correct when it overlaps a gold TIMEX3 of
  any type (DATE, TIME, DURATION, SET): `find_times` also returns windows that
  TimeML calls durations ("the past three months"). Precision against DATE
  alone is given too.
- **Value.** For a found gold DATE whose value is scorable, the predicted span
  that overlaps it most must resolve to exactly the interval of the gold value
  (`start` and `end`, inclusive ISO dates):
  `YYYY-MM-DD` (with or without a time of day, `TMO`, `TNI`…) is that day;
  `YYYY-MM` the month; `YYYY` the year; `YYY` the decade; `YY` the century;
  `YYYY-Www` the ISO week, Monday to Sunday; `YYYY-Www-WE` that week's Saturday
  and Sunday; `YYYY-Qn` the quarter; `YYYY-Hn` the half year; seasons
  (approximate, meteorological): `SP` March–May, `SU` June–August, `FA`
  September–November, `WI` December of that year to the end of February of the
  next (the winter that begins in that year, as `find_times` reads "the winter
  of 1994").
  Values with `X`, `PAST_REF`, `PRESENT_REF`, `FUTURE_REF` and durations are
  not scorable: they count for recall and are left out of value accuracy.
- **Value accuracy** is correct values / found scorable gold DATEs;
  **end-to-end** is correct values / all scorable gold DATEs."""


# --- reading the corpus ----------------------------------------------------------------------

@dataclass(frozen=True)
class Timex:
    """One gold TIMEX3: its offsets in the stripped text, words, type and value."""

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str = ""


@dataclass(frozen=True)
class Doc:
    """One TimeML document: its name, creation date, stripped text and gold TIMEX3."""

    name: str
    dct: str
    text: str
    timexes: tuple[Timex, ...]


def read_doc(path: Path) -> Doc:
    """Parse one .tml file; ElementTree resolves the entities, so offsets are into plain text."""
    root = ET.parse(path).getroot()
    dct = root.find("DCT/TIMEX3")
    body = root.find("TEXT")
    if dct is None or body is None:
        raise ValueError(f"{path}: no DCT or TEXT element")
    parts: list[str] = []
    timexes: list[Timex] = []
    _walk(body, parts, timexes)
    return Doc(path.name, dct.get("value", "")[:10], "".join(parts), tuple(timexes))


def _walk(node: ET.Element, parts: list[str], timexes: list[Timex]) -> None:
    """Append the node's text to ``parts`` and record where each TIMEX3 lies."""
    start = sum(map(len, parts))
    parts.append(node.text or "")
    for child in node:
        _walk(child, parts, timexes)
        parts.append(child.tail or "")
    if node.tag == "TIMEX3":
        text = "".join(parts)[start:]
        timexes.append(Timex(start, start + len(text), text, node.get("type", ""),
                             node.get("value", ""), node.get("mod", "")))


def read_corpus(data: Path) -> list[Doc]:
    """Every .tml file under ``data``, sorted by name."""
    return [read_doc(p) for p in sorted(data.rglob("*.tml"))]


# --- sentences ------------------------------------------------------------------------------

_ABBREVIATIONS = frozenset("""jan feb mar apr jun jul aug sep sept oct nov dec mr mrs ms dr st
    jr sr inc corp co ltd bros gen col lt sgt rep sen gov pres prof vs no""".split())
_BOUNDARY = re.compile(r"[.!?]['\"’”]*\s+(?=[\"'`“‘(]*[A-Z0-9])|\n+")


def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pieces of ``text``; an abbreviation's period does not end one."""
    out: list[tuple[int, str]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        word = re.search(r"([\w.]+)[.!?]?$", text[start:m.start() + 1])
        token = word.group(1).lower().rstrip(".") if word else ""
        if m.group(0)[0] == "." and (token in _ABBREVIATIONS or re.fullmatch(r"(\w\.)*\w", token)):
            continue
        out.append((start, text[start:m.end()]))
        start = m.end()
    out.append((start, text[start:]))
    return [(s, t) for s, t in out if t.strip()]


# --- gold values as intervals --------------------------------------------------------------------

_SEASONS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11)}


def interval(value: str) -> tuple[date, date] | None:
    """The inclusive interval a TimeML DATE value names, or None when it names no fixed one."""
    if "X" in value or not value[:1].isdigit():
        return None
    if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)(?:T.*)?", value):
        day = date(*map(int, m.groups()))
        return day, day
    if m := re.fullmatch(r"(\d{4})-(\d\d)", value):
        return _months(int(m[1]), int(m[2]), 1)
    if m := re.fullmatch(r"(\d{4})-W(\d\d)(-WE)?", value):
        monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return (monday + 5 * DAY, monday + 6 * DAY) if m[3] else (monday, monday + 6 * DAY)
    if m := re.fullmatch(r"(\d{4})-([QH])(\d)", value):
        size = 3 if m[2] == "Q" else 6
        return _months(int(m[1]), (int(m[3]) - 1) * size + 1, size)
    if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value):
        return _season(int(m[1]), m[2])
    return _years(value)


def _years(value: str) -> tuple[date, date] | None:
    """A year (1998), a decade (199) or a century (19)."""
    if not re.fullmatch(r"\d{2,4}", value):
        return None
    span = 10 ** (4 - len(value))
    first = int(value) * span
    return date(first, 1, 1), date(first + span - 1, 12, 31)


def _months(year: int, month: int, count: int) -> tuple[date, date]:
    """``count`` calendar months from ``month`` of ``year``."""
    index = year * 12 + month - 1 + count
    return date(year, month, 1), date(index // 12, index % 12 + 1, 1) - DAY


def _season(year: int, code: str) -> tuple[date, date]:
    if code == "WI":
        return date(year, 12, 1), _months(year + 1, 2, 1)[1]
    first, last = _SEASONS[code]
    return _months(year, first, last - first + 1)


def granularity(value: str) -> str:
    """The kind of gold value, for the per-granularity table."""
    if value.endswith("_REF"):
        return "reference (unscorable)"
    if "X" in value or not value[:1].isdigit():
        return "underspecified (unscorable)"
    for pattern, name in ((r"\d{4}-\d\d-\d\d.*", "day"), (r"\d{4}-\d\d", "month"),
                          (r"\d{4}-W\d\d(-WE)?", "week"), (r"\d{4}-[QH]\d", "quarter/half"),
                          (r"\d{4}-(SP|SU|FA|WI)", "season"), (r"\d{4}", "year"),
                          (r"\d{2,3}", "decade/century")):
        if re.fullmatch(pattern, value):
            return name
    return "underspecified (unscorable)"


# --- scoring ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Prediction:
    """One span ``find_times`` returned, in document offsets."""

    start: int
    end: int
    text: str
    span_start: str | None
    span_end: str | None
    granularity: str | None


@dataclass
class Tally:
    """Counts for one group of gold DATEs."""

    gold: int = 0
    found: int = 0
    scorable: int = 0
    scorable_found: int = 0
    correct: int = 0
    convention: int = 0

    def add(self, found: bool, scorable: bool, correct: bool, convention: bool) -> None:
        self.gold += 1
        self.found += found
        self.scorable += scorable
        self.scorable_found += found and scorable
        self.correct += correct
        self.convention += convention


@dataclass
class Score:
    """Everything the report needs."""

    docs: int = 0
    sentences: int = 0
    seconds: float = 0.0
    total: Tally = field(default_factory=Tally)
    by_kind: dict[str, Tally] = field(default_factory=dict)
    predicted: int = 0
    predicted_on_timex: int = 0
    predicted_on_date: int = 0
    misses: Counter[str] = field(default_factory=Counter)
    wrong: Counter[str] = field(default_factory=Counter)
    conventions: Counter[str] = field(default_factory=Counter)
    spurious: Counter[str] = field(default_factory=Counter)


def predict(doc: Doc, score: Score) -> list[Prediction]:
    """``find_times`` on every sentence of the document, offsets moved into the document."""
    out: list[Prediction] = []
    pieces = sentences(doc.text)
    score.sentences += len(pieces)
    began = time.perf_counter()
    for offset, sentence in pieces:
        for start, end, span in find_times(sentence, doc.dct):
            out.append(Prediction(offset + start, offset + end, span.text, span.start, span.end,
                                  span.granularity))
    score.seconds += time.perf_counter() - began
    return out


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def score_doc(doc: Doc, score: Score) -> None:
    """Add one document's gold DATEs and predictions to ``score``."""
    preds = predict(doc, score)
    dates = [t for t in doc.timexes if t.type == "DATE"]
    for gold in dates:
        _score_gold(gold, preds, score)
    for p in preds:
        on_timex = any(_overlap(p.start, p.end, t.start, t.end) for t in doc.timexes)
        on_date = any(_overlap(p.start, p.end, t.start, t.end) for t in dates)
        score.predicted += 1
        score.predicted_on_timex += on_timex
        score.predicted_on_date += on_date
        if not on_timex:
            score.spurious[p.text.lower()] += 1
    score.docs += 1


def _score_gold(gold: Timex, preds: list[Prediction], score: Score) -> None:
    best = max(preds, key=lambda p: _overlap(p.start, p.end, gold.start, gold.end), default=None)
    found = best is not None and _overlap(best.start, best.end, gold.start, gold.end) > 0
    want = interval(gold.value)
    got = (best.span_start, best.span_end) if found and best else None
    correct = bool(found and want and got == (want[0].isoformat(), want[1].isoformat()))
    why = convention(gold, best, want) if found and best and want and not correct else None
    for tally in (score.total, score.by_kind.setdefault(granularity(gold.value), Tally())):
        tally.add(found, want is not None, correct, why is not None)
    if not found:
        score.misses[gold.text.lower()] += 1
    elif why:
        score.conventions[why] += 1
    elif want and not correct and best:
        score.wrong[f"{gold.text.lower()} → {best.text!r} {got} ≠ {gold.value}"] += 1


def convention(gold: Timex, pred: Prediction, want: tuple[date, date]) -> str | None:
    """The guide convention that explains why a value differs from the gold one, if any.

    The guide narrows "late November" to its last third where TimeML keeps the
    month with mod="END", and it reads "since 1990" or "between 1994 and 1997"
    as one range where TimeML values each year and leaves the rest to a signal.
    """
    if not pred.span_start or not pred.span_end:
        return None
    start, end = date.fromisoformat(pred.span_start), date.fromisoformat(pred.span_end)
    if gold.mod in ("START", "MID", "END") and want[0] <= start <= end <= want[1]:
        return "part of a period: TimeML keeps the whole period with mod START/MID/END"
    wider = pred.start < gold.start or pred.end > gold.end
    ends = (start == want[0], end == want[1], start == want[1] + DAY, end == want[0] - DAY)
    if wider and pred.granularity == "range" and any(ends):
        return "one end of a range: the guide resolves since/from/after/before/between X as one range"
    return None


def run(data: Path) -> Score:
    score = Score()
    for doc in read_corpus(data):
        score_doc(doc, score)
    return score


# --- the report ------------------------------------------------------------------------------

def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "–"


def report(score: Score, misses: int) -> str:
    """The Markdown fragment: figures, per-granularity table, comparison, rule, differences, misses."""
    t = score.total
    return "\n".join([
        "# Time expressions on TimeBank + AQUAINT",
        "",
        "Produced by `python bench/timebank.py` (reads `../shared/bench/public/timebank`,",
        "TBAQ-cleaned as distributed for TempEval-3: TimeBank 1.2 and AQUAINT).",
        "",
        f"{score.docs} documents, {score.sentences} sentences, {t.gold} gold DATE expressions "
        f"({t.scorable} with a scorable value). `find_times` took {score.seconds:.2f} s "
        f"({1000 * score.seconds / max(score.sentences, 1):.2f} ms a sentence).",
        "",
        *_summary_table(score),
        "",
        *_kind_table(score),
        "",
        *_comparison(t),
        "",
        "## Matching rule",
        "",
        MATCHING_RULE,
        "",
        *_differences(score),
        *_listing("Most common missed DATEs (gold text: count)", score.misses, misses),
        *_listing("Most common wrong values (gold → predicted (start, end) ≠ gold value)",
                  score.wrong, misses),
        *_listing("Most common predictions on no TIMEX3", score.spurious, misses),
    ]).rstrip() + "\n"


def _summary_table(score: Score) -> list[str]:
    t = score.total
    right = t.correct + t.convention
    return [
        "| measure | value | counts |",
        "| --- | ---: | ---: |",
        f"| DATE recall (overlap) | {_ratio(t.found, t.gold)} | {t.found} / {t.gold} |",
        f"| precision (overlaps any TIMEX3) | {_ratio(score.predicted_on_timex, score.predicted)} "
        f"| {score.predicted_on_timex} / {score.predicted} |",
        f"| precision (overlaps a DATE) | {_ratio(score.predicted_on_date, score.predicted)} "
        f"| {score.predicted_on_date} / {score.predicted} |",
        f"| value accuracy, strict (found, scorable) | {_ratio(t.correct, t.scorable_found)} "
        f"| {t.correct} / {t.scorable_found} |",
        f"| value accuracy, the guide's conventions accepted | {_ratio(right, t.scorable_found)} "
        f"| {right} / {t.scorable_found} |",
        f"| value accuracy end-to-end, strict (all scorable) | {_ratio(t.correct, t.scorable)} "
        f"| {t.correct} / {t.scorable} |",
        f"| unscorable gold values (in recall only) | | {t.gold - t.scorable} |",
    ]


def _kind_table(score: Score) -> list[str]:
    rows = ["| gold granularity | gold | recall | value accuracy, strict | with conventions |",
            "| --- | ---: | ---: | ---: | ---: |"]
    for kind, t in sorted(score.by_kind.items(), key=lambda kv: -kv[1].gold):
        right = t.correct + t.convention
        strict = f"{_ratio(t.correct, t.scorable_found)} ({t.correct}/{t.scorable_found})"
        loose = f"{_ratio(right, t.scorable_found)} ({right}/{t.scorable_found})"
        rows.append(f"| {kind} | {t.gold} | {_ratio(t.found, t.gold)} ({t.found}/{t.gold}) "
                    f"| {strict if t.scorable else '–'} | {loose if t.scorable else '–'} |")
    return rows


def _comparison(t: Tally) -> list[str]:
    return [
        "## Comparison",
        "",
        f"HeidelTime's value score is usually quoted near {HEIDELTIME_VALUE:.2f} (TempEval-3 task A,",
        "value F1 over all TIMEX3 types on the TE3 platinum test set). That F1 counts a value",
        "only for an expression also found, so our end-to-end figure is its nearest analogue;",
        "our value accuracy on found expressions is conditioned on detection and reads higher.",
        "Neither is directly comparable: here only DATE expressions are scored, on TimeBank and",
        "AQUAINT (the TE3 training data, which was read while writing the rules, so these are",
        "development figures, not held-out ones), and a value is compared as the interval",
        "`find_times` resolves to rather than as a TimeML string.",
        f"Here: value accuracy {_ratio(t.correct, t.scorable_found)} strict and "
        f"{_ratio(t.correct + t.convention, t.scorable_found)} with the guide's conventions on "
        f"found expressions; {_ratio(t.correct, t.scorable)} end to end.",
    ]


def _differences(score: Score) -> list[str]:
    """Where the guide's conventions and the project's tests differ from TimeBank's."""
    counted = [f"- {why}: {n}" for why, n in score.conventions.most_common()]
    return [
        "## Where the guide and TimeBank differ",
        "",
        "Counted in the conventions-accepted figure (the extractor keeps the guide's reading):",
        "",
        *counted,
        "",
        "Scored as wrong or missed here, kept on purpose:",
        "",
        "- a year that names a thing (\"the 1996 Olympic bombing\", \"the 2024 campaign\") is",
        "  not a time in eventwire (a test says so); TimeBank tags it.",
        "- \"a year ago\", \"last year\" resolve to the calendar year; TimeBank often gives the",
        "  period under discussion a year before (\"from $1.9 million a year ago\" is 1988-Q3).",
        "- \"this quarter\", \"this week\" are the calendar unit holding publication; \"the past",
        "  year\" is the window ending at publication, not the previous calendar year.",
        "- narrative expressions (\"a year earlier\", \"the next day\", \"that year\") count from",
        "  the story's own time, which one sentence does not give: not returned.",
        "- \"now\", \"currently\", \"recently\", \"soon\" are returned with granularity",
        "  `reference`; TimeBank tags them PRESENT_REF/PAST_REF/FUTURE_REF (unscorable here).",
        "- in a few documents the gold resolves weekdays a week earlier than the DCT implies",
        "  (e.g. AP900815-0044, APW20000115.0209); those count as wrong.",
        "",
    ]


def _listing(title: str, counts: Counter[str], n: int) -> list[str]:
    if not counts or n <= 0:
        return []
    items = [f"- {text}: {count}" for text, count in counts.most_common(n)]
    return [f"## {title}", "", *items, ""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the TBAQ-cleaned folder")
    parser.add_argument("--markdown", type=Path, default=DEFAULT_MARKDOWN,
                        help="where to write the report (default docs/accuracy-timebank.md)")
    parser.add_argument("--misses", type=int, default=15, help="how many misses to list")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        sys.exit(f"timebank: no corpus at {args.data}. It lives beside the repository in "
                 "../shared/bench/public/timebank/TBAQ-cleaned; give another with --data DIR.")
    text = report(run(args.data), args.misses)
    args.markdown.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
