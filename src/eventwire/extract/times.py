"""When: find time expressions in a sentence and resolve them to inclusive ISO dates.

News dates events relative to the day it is published ("on Monday", "last
month", "since Sept. 2", "potentially in weeks"), so every expression resolves
against that date. Without one, absolute dates still resolve and relative
expressions keep their text and granularity but no dates.

The grammar is a dozen regular expressions built from the words in
``data/times.yaml``; each rule comes with the function that turns its match
into dates. dateparser is not used: it reads exactly the relative forms news
relies on ("since Sept. 2", "earlier this month", "in weeks") wrongly.

Granularity says how to read the dates: ``day``, ``week`` (Monday to Sunday),
``month`` and ``year`` for one calendar unit; ``range`` for a stretch with
exact bounds ("since Sept. 2", "earlier this month", "over the weekend");
``approximate`` for fuzzy bounds ("several weeks ago", "in weeks", "in late
November").
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Callable, Iterable

from ..errors import InputError
from ..model import TimeSpan
from . import amounts
from .lexicon import read_yaml

Found = tuple[int, int, TimeSpan]
DAY = timedelta(days=1)
# Prepositions that do not open a bare year: "for 2000 people", "at 2030 GMT".
_NOT_YEAR_PREPS = frozenset({"for", "over", "at", "on", "within"})
_CONNECTOR = re.compile(r"\s*(?:-|–|—|to|until|till|through|and)\s*", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[;:—–()\"“”]")
_POSSESSIVE = re.compile(r"['’]s$")
_GAP = re.compile(r"\s*,?\s*")
_CALENDAR_UNITS = ("day", "week", "month", "year")
_MONTHS_IN = MappingProxyType({"month": 1, "year": 12, "decade": 120})
# How many units "last", "this", "next" ... move from the one holding the publication date.
_SHIFT = MappingProxyType({"last": -1, "this past": -1, "this": 0, "the": 0, "next": 1,
                           "this coming": 1})


@dataclass(frozen=True)
class _Dates:
    """What an expression resolves to; start and end None when they cannot be known."""

    start: date | None
    end: date | None
    granularity: str


@dataclass(frozen=True)
class _Ctx:
    """What resolution needs: the publication date and, if known, the tense."""

    published: date | None
    future: bool | None


@dataclass(frozen=True)
class _Words:
    """The lexicon of data/times.yaml."""

    months: dict[str, int]
    full_months: tuple[str, ...]
    abbr_months: tuple[str, ...]
    weekdays: dict[str, int]
    parts: tuple[str, ...]
    positions: dict[str, str]
    units: dict[str, float]
    vague: dict[str, tuple[float, float]]
    bare_plural: tuple[float, float]
    qualifiers: dict[str, tuple[float, float]]
    preps: dict[str, str]
    hedges: tuple[str, ...]
    future_cues: tuple[str, ...]
    past_cues: frozenset[str]


Resolver = Callable[[re.Match[str], _Ctx, _Words], _Dates]


@dataclass(frozen=True)
class _Rule:
    """One kind of expression: its pattern, how to resolve it, and when a match stands alone.

    ``alone`` says whether a match is a time expression by itself: a bare
    month or year needs a preposition or modifier ("in March", "late 2024"),
    else "May" could be a name. A match that does not stand alone is kept only
    as the second half of a range ("from January to March").
    """

    name: str
    pattern: re.Pattern[str]
    resolve: Resolver
    alone: Callable[[re.Match[str]], bool] = lambda m: True


@dataclass(frozen=True)
class _Hit:
    """One expression found in the text, with the match its rule made."""

    start: int
    end: int
    rule: _Rule
    match: re.Match[str]
    loose: bool = False
    until: _Hit | None = None        # the second half of a range ("from X to Y")

    @property
    def prep(self) -> str | None:
        """The preposition that opens the expression; none for a possessive ("in Thursday's attack")."""
        p = self.match.groupdict().get("prep")
        if not p or self.start > self.match.start("prep"):
            return None
        return " ".join(p.lower().split())


# --- public API -------------------------------------------------------------------------------

def find_times(text: str, published: str | None, future: bool | None = None) -> list[Found]:
    """Every time expression in ``text`` as (start, end, TimeSpan), offsets into ``text``.

    Relative expressions resolve against ``published`` (YYYY-MM-DD, or an ISO
    datetime, or None). ``future`` says whether the clause speaks of the
    future; when None it is guessed per expression from the words before it
    ("will meet on Friday" is future, "met on Friday" past).
    """
    pub = _published(published)
    words = _words()
    out: list[Found] = []
    for hit in _hits(text):
        tense = future if future is not None else _guess_tense(text, hit, words)
        dates = _resolve_hit(hit, _Ctx(pub, tense), words)
        out.append((hit.start, hit.end, _span(text[hit.start:hit.end], dates)))
    return out


def resolve_time(expr: str, published: str | None, future: bool | None = None) -> TimeSpan:
    """One expression as a TimeSpan with inclusive ISO dates (None where unknown).

    When ``expr`` holds more than a time expression ("since the attacks
    earlier this month"), the longest expression inside it is used; with none,
    the dates and granularity are None.
    """
    pub = _published(published)
    words = _words()
    hits = _hits(expr)
    if not hits:
        return TimeSpan(expr, None, None, None)
    best = max(hits, key=lambda h: h.end - h.start)
    return _span(expr, _resolve_hit(best, _Ctx(pub, future), words))


# --- finding expressions -------------------------------------------------------------------------

def _hits(text: str) -> list[_Hit]:
    """The longest non-overlapping expressions, ranges joined, clock times attached."""
    candidates: list[_Hit] = []
    for rule in _rules():
        for m in rule.pattern.finditer(text):
            start = m.start("core") if _POSSESSIVE.search(m.group(0)) else m.start()
            candidates.append(_Hit(start, m.end(), rule, m, loose=not rule.alone(m)))
    chosen: list[_Hit] = []
    for hit in sorted(candidates, key=lambda h: (h.start - h.end, h.start)):
        if all(hit.end <= c.start or c.end <= hit.start for c in chosen):
            chosen.append(hit)
    joined = _join_ranges(text, sorted(chosen, key=lambda h: h.start))
    return [_with_clock(text, h) for h in joined if not h.loose]


def _join_ranges(text: str, hits: list[_Hit]) -> list[_Hit]:
    """ "from Sept. 2 to Sept. 5", "between March and May", "Monday to Wednesday": one range."""
    out: list[_Hit] = []
    for hit in hits:
        prev = out[-1] if out else None
        if prev and prev.until is None and _joins(text, prev, hit):
            out[-1] = replace(prev, end=hit.end, until=hit, loose=False)
        else:
            out.append(hit)
    return out


def _joins(text: str, first: _Hit, second: _Hit) -> bool:
    gap = text[first.end:second.start]
    if second.prep or not _CONNECTOR.fullmatch(gap):
        return False
    if gap.strip().lower() == "and":
        return first.prep == "between"
    return first.prep in (None, "from", "between") and not first.loose


def _with_clock(text: str, hit: _Hit) -> _Hit:
    """Take a clock time next to the expression into its text.

    "at about 1:00am (ACDT) this morning", "on Monday at 3 p.m."
    """
    clock = _clock()
    before = None
    for m in clock.finditer(text, max(0, hit.start - 40), hit.start):
        if _GAP.fullmatch(text[m.end():hit.start]):
            before = m
    tail = clock.match(text, _GAP.match(text, hit.end).end())
    start = before.start() if before else hit.start
    end = tail.end() if tail and tail.group(0).lower().startswith("at") else hit.end
    return replace(hit, start=start, end=end)


def _guess_tense(text: str, hit: _Hit, words: _Words) -> bool | None:
    """Future if a future cue comes shortly before (or, for a sentence opener, after) the expression.

    False if a past cue does, None if neither: each rule then uses its own
    default (past for a bare weekday, future for "in three days").
    """
    before = _CLAUSE_BREAK.split(text[:hit.start])[-1]
    window = " ".join(re.findall(r"[\w'’]+", before.lower())[-8:])
    if not before.strip():
        window = " ".join(re.findall(r"[\w'’]+", _CLAUSE_BREAK.split(text[hit.end:])[0].lower())[:6])
    if _has_cue(window, words.future_cues):
        return True
    if any(w in words.past_cues or w.endswith("ed") for w in window.split()):
        return False
    return None


def _has_cue(window: str, cues: Iterable[str]) -> bool:
    padded = f" {window} "
    return any(f" {cue} " in padded or (cue[0] in "'’" and f"{cue} " in padded) for cue in cues)


# --- resolving ------------------------------------------------------------------------------------

def _resolve_hit(hit: _Hit, ctx: _Ctx, words: _Words) -> _Dates:
    """The dates of a hit: its rule, then its preposition, then the end of its range."""
    meaning = words.preps.get(hit.prep or "", "same")
    if meaning in ("since", "after") and ctx.future:
        ctx = _Ctx(ctx.published, False)  # "since January" looks back whatever the verb's tense
    dates = hit.rule.resolve(hit.match, ctx, words)
    if hit.until is not None:
        end = hit.until.rule.resolve(hit.until.match, ctx, words)
        if dates.start and end.end and end.end < dates.start:
            return dates
        return _Dates(dates.start, end.end, "range")
    return _apply_prep(meaning, dates, ctx.published)


def _apply_prep(meaning: str, dates: _Dates, pub: date | None) -> _Dates:
    """ "since X" runs from X to publication; "after X" from the day after; "before X" up to it."""
    if meaning == "since":
        return _Dates(dates.start, pub if dates.start else None, "range")
    if meaning == "after":
        return _Dates(dates.end + DAY if dates.end else None, pub if dates.end else None, "range")
    if meaning == "before":
        return _Dates(None, dates.start - DAY if dates.start else None, "range")
    return dates


def _span(text: str, dates: _Dates) -> TimeSpan:
    return TimeSpan(text, _iso(dates.start), _iso(dates.end), dates.granularity)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _published(published: str | None) -> date | None:
    """The publication date; an ISO datetime is cut to its date."""
    if not published:
        return None
    try:
        return date.fromisoformat(published.strip()[:10])
    except ValueError as e:
        raise InputError(f"publication date {published!r} is not an ISO date",
                         hint="give published as YYYY-MM-DD, or None when it is unknown") from e


# --- calendar helpers -------------------------------------------------------------------------------

def _month_span(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    return first, _add_months(first, 1) - DAY


def _add_months(d: date, n: int) -> date:
    """The first day of the month ``n`` months after the month of ``d``."""
    index = d.year * 12 + d.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def _week_span(d: date) -> tuple[date, date]:
    monday = d - timedelta(days=d.weekday())
    return monday, monday + timedelta(days=6)


def _unit_span(unit: str, pub: date, shift: int) -> tuple[date, date]:
    """The calendar week, month or year ``shift`` units from the one holding ``pub``."""
    if unit == "week":
        monday, _ = _week_span(pub + timedelta(weeks=shift))
        return monday, monday + timedelta(days=6)
    if unit == "month":
        first = _add_months(pub, shift)
        return _month_span(first.year, first.month)
    return date(pub.year + shift, 1, 1), date(pub.year + shift, 12, 31)


def _part(span: tuple[date, date], position: str) -> tuple[date, date]:
    """The early, middle or late third of a span ("late November" is the 21st to the 30th)."""
    start, end = span
    third = ((end - start).days + 1) // 3
    if position == "early":
        return start, start + timedelta(days=third - 1)
    if position == "mid":
        return start + timedelta(days=third), start + timedelta(days=2 * third - 1)
    return start + timedelta(days=2 * third), end


def _with_position(span: tuple[date, date], m: re.Match[str], words: _Words,
                   granularity: str) -> _Dates:
    """A whole unit, or its early/mid/late part when the match names one."""
    pos = _group(m, "pos") or _group(m, "pos2")
    if pos:
        return _Dates(*_part(span, words.positions[pos]), "approximate")
    return _Dates(*span, granularity)


def _group(m: re.Match[str], name: str) -> str | None:
    value = m.groupdict().get(name)
    return " ".join(value.lower().split()) if value else None


# --- the rules ----------------------------------------------------------------------------------------

def _date(m: re.Match[str], ctx: _Ctx, words: _Words) -> _Dates:
    """ "Sept. 2", "September 2, 2025", "28 December", "Monday, Sept. 22", "Sept. 2-5"."""
    month, day = words.months[m["month"].lower().rstrip(".")], int(m["day"])
    day2 = m.groupdict().get("day2")
    last = int(day2) if day2 else day
    granularity = "range" if day2 else "day"
    year = int(m["year"]) if m["year"] else _year_of(month, day, _group(m, "rel"), ctx)
    if year is None:
        return _Dates(None, None, granularity)
    try:
        return _Dates(date(year, month, day), date(year, month, last), granularity)
    except ValueError:
        return _Dates(None, None, granularity)


def _year_of(month: int, day: int, rel: str | None, ctx: _Ctx) -> int | None:
    """The year of a day named without one ("Dec. 28", "February 24 this year").

    The latest on or before publication, or in a future clause the next on or after.
    """
    pub = ctx.published
    if pub is None:
        return None
    if rel:
        return pub.year + _SHIFT[rel]
    if ctx.future:
        return pub.year if (month, day) >= (pub.month, pub.day) else pub.year + 1
    return pub.year if (month, day) <= (pub.month, pub.day) else pub.year - 1


def _month_year(m: re.Match[str], ctx: _Ctx, words: _Words) -> _Dates:
    """ "December 2025", "late November 2024", "January last year"."""
    month = words.months[m["month"].lower().rstrip(".")]
    rel = _group(m, "rel")
    if m["year"]:
        year = int(m["year"])
    elif ctx.published:
        year = ctx.published.year + _SHIFT[rel or "this"]
    else:
        return _Dates(None, None, "month")
    return _with_position(_month_span(year, month), m, words, "month")


def _month(m: re.Match[str], ctx: _Ctx, words: _Words) -> _Dates:
    """ "in March", "last March", "in late November": the nearest such month."""
    month = words.months[m["month"].lower().rstrip(".")]
    pub = ctx.published
    if pub is None:
        return _Dates(None, None, "approximate" if _group(m, "pos") or _group(m, "pos2") else "month")
    rel = _group(m, "rel")
    year = pub.year
    if rel == "last" or (rel is None and not ctx.future):
        # the latest such month: this one counts, except for "last September" in September
        if month > pub.month or (month == pub.month and rel == "last"):
            year -= 1
    elif rel == "next" or (rel is None and ctx.future):
        if month < pub.month or (month == pub.month and rel == "next"):
            year += 1
    return _with_position(_month_span(year, month), m, words, "month")


def _year(m: re.Match[str], ctx: _Ctx, words: _Words) -> _Dates:
    """ "in 1994", "since 2001", "mid-2024"."""
    year = int(m["year"])
    return _with_position((date(year, 1, 1), date(year, 12, 31)), m, words, "year")


def _decade(m: re.Match[str], ctx: _Ctx, words: _Words) -> _Dates:
    """ "the 1990s"."""
    start = int(m["decade"])
    return _Dates(date(start, 1, 1), date(start + 9, 12, 31), "range")


def _weekday(m: re.Match[str], ctx: _Ctx, words: _Words) -> _Dates:
    """ "on Monday", "last Friday", "Thursday's": the nearest such day, past unless future."""
    pub = ctx.published
    if pub is None:
        return _Dates(None, None, "day")
    wanted = words.weekdays[m["wd"].lower()]
    rel = _group(m, "rel")
    if rel == "this":
        monday, _ = _week_span(pub)
        day = monday + timedelta(days=wanted)
    elif rel in ("next", "coming", "this coming") or (rel is None and ctx.future):
        ahead = (wanted - pub.weekday()) % 7
        day = pub + timedelta(days=ahead or (7 if rel else 0))
    else:
        back = (pub.weekday() - wanted) % 7
        day = pub - timedelta(days=back or (7 if rel else 0))
    return _Dates(day, day, "day")


def _deictic(m: re.Match[str], ctx: _Ctx, words: _Words) -> _Dates:
    """ "today", "tonight", "yesterday", "tomorrow", "this morning", "last night", "overnight"."""
    pub = ctx.published
    if pub is None:
        return _Dates(None, None, "day")
    word = _group(m, "word") or ""
    offset = {"yesterday": -1, "tomorrow": 1, "last": -1, "the day before yesterday": -2,
              "the day after tomorrow": 2}.get(word, 0)
    if word == "overnight" or word.endswith(" night"):
        return _Dates(pub - DAY, pub, "day")
    return _Dates(pub + timedelta(days=offset), pub + timedelta(days=offset), "day")


def _relative_unit(m: re.Match[str], ctx: _Ctx, words: _Words) -> _Dates:
    """ "last week", "this month", "next year", "earlier this month", "at the end of last year"."""
    unit, rel = _group(m, "unit") or "", _group(m, "rel") or "this"
    shift = _SHIFT[rel]
    pos = _group(m, "pos")
    pub = ctx.published
    if pub is None:
        exact = pos in ("earlier", "later") and shift == 0
        fuzzy = pos or _group(m, "pos2")
        return _Dates(None, None, "range" if exact else "approximate" if fuzzy else unit)
    span = _unit_span(unit, pub, shift)
    if pos == "earlier" and shift == 0:
        return _Dates(span[0], pub, "range")
    if pos == "later" and shift == 0:
        return _Dates(min(pub + DAY, span[1]), span[1], "range")
    if pos in ("earlier", "later"):
        return _Dates(*_part(span, "early" if pos == "earlier" else "late"), "approximate")
    return _with_position(span, m, words, unit)


def _weekend(m: re.Match[str], ctx: _Ctx, words: _Words) -> _Dates:
    """ "over the weekend" (the last one before publication, or the coming one in a future
    clause), "this weekend" (this calendar week's), "next weekend" (next week's)."""
    pub = ctx.published
    if pub is None:
        return _Dates(None, None, "range")
    rel = _group(m, "rel") or "the"
    if rel in ("last", "this past") or (rel == "the" and not ctx.future):
        eve = pub - DAY
        saturday = eve - timedelta(days=(eve.weekday() - 5) % 7)
    elif rel in ("this", "next"):
        saturday = _week_span(pub)[0] + timedelta(days=5, weeks=1 if rel == "next" else 0)
    else:
        saturday = pub - DAY if pub.weekday() == 6 else pub + timedelta(days=(5 - pub.weekday()) % 7)
    return _Dates(saturday, saturday + DAY, "range")


def _count(m: re.Match[str], words: _Words) -> tuple[float, float, bool]:
    """How many units an expression counts, as (low, high, exact)."""
    text = _group(m, "count")
    if text is None:
        return (*words.bare_plural, False)
    if text in words.vague:
        return (*words.vague[text], False)
    value = 1 if text in ("a", "an") else amounts.number_value(text)
    n = float(value or 1)
    qual = _group(m, "qual")
    if qual and qual in words.qualifiers:
        low, high = words.qualifiers[qual]
        return n * low, n * high, low == high == 1
    return n, n, True


def _ago(m: re.Match[str], ctx: _Ctx, words: _Words) -> _Dates:
    """ "three days ago" (that day), "two weeks ago" (that week), "several weeks ago" (a window)."""
    unit = _unit(m)
    low, high, exact = _count(m, words)
    granularity = unit if exact and unit in _CALENDAR_UNITS else "approximate"
    pub = ctx.published
    if pub is None:
        return _Dates(None, None, granularity)
    if granularity == "approximate":
        return _Dates(_shift(pub, -high, unit, words), _shift(pub, -low, unit, words), granularity)
    return _calendar_unit(pub, -int(low), unit)


def _within(m: re.Match[str], ctx: _Ctx, words: _Words) -> _Dates:
    """ "in three days", "in two weeks' time", "in weeks", "within days": after publication.

    In a past clause ("killed 40 people in three days", "the worst crisis in
    12 years") it is the stretch before publication instead.
    """
    unit = _unit(m)
    low, high, exact = _count(m, words)
    pub = ctx.published
    if ctx.future is False:
        return _stretch(pub, -high, unit, "range" if exact else "approximate", words)
    if not exact or unit == "decade":
        return _stretch(pub, high, unit, "approximate", words)
    if unit == "hour":
        unit, low = "day", math.ceil(low * words.units["hour"] - 1e-3)
    return _calendar_unit(pub, int(low), unit) if pub else _Dates(None, None, unit)


def _window(m: re.Match[str], ctx: _Ctx, words: _Words) -> _Dates:
    """ "the past week", "over the past two months", "the coming weeks", "the next few days"."""
    unit = _unit(m)
    low, high, exact = _count(m, words)
    if _group(m, "count") is None and not (_group(m, "unit") or "").endswith("s"):
        high, exact = 1, True
    granularity = "range" if exact and unit != "hour" else "approximate"
    ahead = _group(m, "rel") in ("coming", "next")
    return _stretch(ctx.published, high if ahead else -high, unit, granularity, words)


def _recent(m: re.Match[str], ctx: _Ctx, words: _Words) -> _Dates:
    """ "in recent days", "recent weeks": a window that ends at publication."""
    return _stretch(ctx.published, -words.bare_plural[1], _unit(m), "approximate", words)


def _unit(m: re.Match[str]) -> str:
    unit = _group(m, "unit") or "day"
    return unit[:-1] if unit.endswith("s") else unit


def _calendar_unit(pub: date, shift: int, unit: str) -> _Dates:
    """The day, week, month or year ``shift`` units from publication ("three days ago")."""
    if unit == "day":
        day = pub + timedelta(days=shift)
        return _Dates(day, day, "day")
    return _Dates(*_unit_span(unit, pub, shift), unit)


def _stretch(pub: date | None, n: float, unit: str, granularity: str, words: _Words) -> _Dates:
    """From publication back ``n`` units (n < 0) or from the day after it forward (n > 0)."""
    if pub is None:
        return _Dates(None, None, granularity)
    if n < 0:
        return _Dates(_shift(pub, n, unit, words), pub, granularity)
    return _Dates(pub + DAY, _shift(pub, n, unit, words), granularity)


def _shift(d: date, n: float, unit: str, words: _Words) -> date:
    """``d`` moved by ``n`` units: whole months and years by the calendar, the rest by days."""
    if unit in _MONTHS_IN and float(n).is_integer():
        first = _add_months(d, int(n) * _MONTHS_IN[unit])
        return first.replace(day=min(d.day, _month_span(first.year, first.month)[1].day))
    days = math.ceil(abs(n) * words.units[unit] - 1e-3)
    return d + timedelta(days=days if n >= 0 else -days)


# --- when a match stands alone ------------------------------------------------------------------

def _has_marker(m: re.Match[str]) -> bool:
    """A bare month needs a preposition or last/next/early/late: "in May", not "Theresa May"."""
    return any(_group(m, g) for g in ("prep", "rel", "pos", "pos2"))


def _year_marker(m: re.Match[str]) -> bool:
    """A bare year counts after a preposition that can open one ("in 1994", not "for 2000 people")."""
    if _group(m, "pos") or _group(m, "pos2"):
        return True
    return (_group(m, "prep") or "for") not in _NOT_YEAR_PREPS


def _weekend_marker(m: re.Match[str]) -> bool:
    """ "the weekend" needs a preposition ("over the weekend"); "last weekend" does not."""
    return _group(m, "rel") != "the" or bool(_group(m, "prep"))


def _counted(m: re.Match[str]) -> bool:
    """A unit needs a count or a plural: "two weeks ago", "weeks ago", not "week ago"."""
    return bool(_group(m, "count")) or (_group(m, "unit") or "").endswith("s")


def _not_narrative(m: re.Match[str]) -> bool:
    """ "the next day" and "the previous year" count from the story's own time, not publication."""
    return _group(m, "rel") not in ("next", "previous") or _counted(m)


# --- building the patterns -----------------------------------------------------------------------

@lru_cache(maxsize=1)
def _rules() -> tuple[_Rule, ...]:
    """Every rule, compiled once. Order does not matter: the longest match wins."""
    p = _Pieces(_words())
    rel = r"(?P<rel>(?i:this\s+past|this\s+coming|last|this|next|coming|past))\s+"
    pos3 = (r"(?:(?P<pos>(?i:early|mid|late))(?:-|\s+)"
            r"|(?i:the\s+)?(?P<pos2>(?i:beginning|start|middle|end))\s+(?i:of)\s+)")
    wd = rf"(?:(?P<wd>{p.weekday})(?:'s|’s)?,?\s+)?"
    year_or_rel = rf"(?:,?\s+{p.year}|{p.rel_year})?"
    ly = r"(?:'s|’s)?"
    return (
        p.rule("date", rf"{wd}(?P<month>{p.month})\.?\s+{p.day}"
               rf"(?:\s*(?:-|–|(?i:to|and))\s*{p.day2})?{year_or_rel}(?!,\d)", _date),
        p.rule("date_dm", rf"{wd}(?:(?i:the)\s+)?{p.day}\s+(?:(?i:of)\s+)?(?P<month>{p.month})\.?"
               rf"{year_or_rel}", _date),
        p.rule("month_year", rf"{pos3}?(?P<month>{p.month})\.?"
               rf"(?:,?\s+(?:(?i:of)\s+)?{p.year}|{p.rel_year})", _month_year),
        p.rule("month", rf"(?:(?P<rel>(?i:last|this|next))\s+|{pos3})?(?P<month>{p.bare_month}){ly}",
               _month, alone=_has_marker),
        p.rule("year", rf"{pos3}?{p.year}(?!\s*(?:%|(?i:percent|per cent)))", _year,
               alone=_year_marker),
        p.rule("decade", r"(?i:the\s+)?(?P<decade>(?:1[89]|20)\d0)['’]?s", _decade),
        p.rule("weekday", rf"(?:(?P<pos>(?i:early|late|earlier|later))\s+(?:(?i:on)\s+)?)?(?:{rel})?"
               rf"(?P<wd>{p.weekday}){ly}(?:\s+(?P<part>{p.parts}))?", _weekday),
        p.rule("today", rf"(?i:(?:(?P<pos>early|late|earlier|later)\s+)?"
               rf"(?P<word>today|tonight|yesterday|tomorrow){ly}(?:\s+(?P<part>{p.parts}))?)",
               _deictic),
        p.rule("this_morning", rf"(?i:(?:(?:early|late|earlier|later)\s+)?(?P<word>this|last)\s+"
               rf"(?P<part>{p.parts}))", _deictic),
        p.rule("overnight", rf"(?i:(?P<word>overnight|(?:during|throughout)\s+the\s+(?:{p.parts}|day)"
               r"|the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow))", _deictic),
        p.rule("relative_unit", rf"(?i:(?:(?P<pos>earlier|later|early|late|mid)(?:-|\s+))?"
               rf"(?P<rel>this\s+past|this\s+coming|last|this|next)\s+(?P<unit>week|month|year){ly})",
               _relative_unit),
        p.rule("unit_part", r"(?i:the\s+(?P<pos2>beginning|start|middle|end)\s+of\s+"
               r"(?P<rel>last|this|next|the)\s+(?P<unit>week|month|year))", _relative_unit),
        p.rule("window", rf"(?i:the\s+(?P<rel>past|last|previous|coming|next)\s+"
               rf"(?:(?P<count>{p.count})\s+)?(?P<unit>{p.units}))(?!\s+(?i:of)\b)", _window,
               alone=_not_narrative),
        p.rule("weekend", rf"(?i:(?P<rel>this\s+past|this\s+coming|last|this|next|the)\s+weekend{ly})",
               _weekend, alone=_weekend_marker),
        p.rule("ago", rf"(?i:(?:(?P<qual>{p.qualifiers})\s+)?(?:(?P<count>{p.count})\s+)?"
               rf"(?P<unit>{p.units})\s+ago)", _ago, alone=_counted),
        p.rule("within", rf"(?i:(?:in|within)\s+(?:(?P<count>{p.count})\s+)?(?P<unit>{p.units})"
               rf"(?:['’](?:\s+time)?|\s+time)?)(?!\s+(?i:of)\b)", _within, alone=_counted,
               preps=False),
        p.rule("recent", rf"(?i:(?:the\s+)?(?:most\s+)?recent\s+(?P<unit>{p.plural_units}))", _recent),
    )


class _Pieces:
    """Regex pieces built from the lexicon, shared by the rules."""

    def __init__(self, w: _Words) -> None:
        full = _case_forms(w.full_months)
        abbr = _case_forms(w.abbr_months)
        self.month = _alt(full + abbr)
        self.bare_month = rf"{_alt(full)}|(?:{_alt(abbr)})\."
        self.weekday = _alt(_case_forms(d.title() for d in w.weekdays))
        self.parts = _alt(w.parts)
        self.day = r"(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
        self.day2 = r"(?P<day2>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
        self.year = r"(?P<year>(?:1[89]|20)\d\d)(?![\d])(?![.,]\d)"
        self.rel_year = r"\s+(?P<rel>(?i:last|this|next))\s+(?i:year)"
        self.units = "|".join(rf"{u}s?" for u in sorted(w.units, key=len, reverse=True))
        self.plural_units = "|".join(rf"{u}s" for u in w.units)
        number = _alt(amounts.number_words())
        self.count = rf"{_alt(w.vague)}|\d+|(?:{number})(?:[\s-]+(?:{number}))*|an?"
        self.qualifiers = _alt(w.qualifiers)
        self.hedges = _alt(w.hedges)
        self.preps = _alt(w.preps)

    def rule(self, name: str, core: str, resolve: Resolver,
             alone: Callable[[re.Match[str]], bool] = lambda m: True, preps: bool = True) -> _Rule:
        """Wrap a rule's core with an optional hedge and preposition, and word boundaries."""
        prep = rf"(?:(?P<prep>(?i:{self.preps}))\s+)?" if preps else ""
        pattern = rf"(?<![\w-])(?:(?P<hedge>(?i:{self.hedges}))\s+)?{prep}(?P<core>{core})(?![\w])"
        return _Rule(name, re.compile(pattern), resolve, alone)


@lru_cache(maxsize=1)
def _clock() -> re.Pattern[str]:
    """A clock time: "at about 1:00am (ACDT)", "10:30 a.m.", "at noon"."""
    return re.compile(
        r"(?i:at\s+)?(?i:(?:about|around|approximately|roughly|just\s+after|just\s+before)\s+)?"
        r"(?i:\d{1,2}(?:[:.]\d{2})?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|\d{1,2}:\d{2}|noon|midnight)"
        r"(?:\s*\([A-Z]{2,5}\)|\s+(?:[A-Z]{1,4}T|GMT|UTC)\b)?")


def _case_forms(names: Iterable[str]) -> tuple[str, ...]:
    """Title case and upper case: month and weekday names must be capitalised to count."""
    return tuple(f for n in names for f in (n, n.upper()))


def _alt(phrases: Iterable[str]) -> str:
    """A regex alternation, longest first, any whitespace between words."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(p) for p in phrase.split()) for phrase in ordered)


@lru_cache(maxsize=1)
def _words() -> _Words:
    """Read data/times.yaml once."""
    data: dict[str, Any] = read_yaml("times.yaml")
    months: dict[str, int] = {}
    full, abbr = [], []
    for number, names in enumerate(data["months"], start=1):
        full.append(names[0])
        abbr.extend(names[1:])
        months.update({n.lower(): number for n in names})
    return _Words(
        months=months, full_months=tuple(full), abbr_months=tuple(abbr),
        weekdays={d.lower(): i for i, d in enumerate(data["weekdays"])},
        parts=tuple(data["parts_of_day"]), positions=data["positions"],
        units={k: float(v) for k, v in data["units"].items()},
        vague={k: tuple(v) for k, v in data["vague_counts"].items()},
        bare_plural=tuple(data["bare_plural"]),
        qualifiers={k: tuple(v) for k, v in data["count_qualifiers"].items()},
        preps=data["prepositions"], hedges=tuple(data["hedges"]),
        future_cues=tuple(data["future_cues"]), past_cues=frozenset(data["past_cues"]),
    )
