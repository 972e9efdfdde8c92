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
``month``, ``quarter`` and ``year`` for one calendar unit; ``range`` for a
stretch with exact bounds ("since Sept. 2", "earlier this month", "over the
weekend", "the 1990s"); ``approximate`` for fuzzy bounds ("several weeks ago",
"in weeks", "in late November", "last fall", "fiscal 1989"); ``reference`` for
words that point at publication without a calendar unit: "now" is the
publication date, "recently" ends there and "soon" starts the day after.
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
_LAST_WORD = re.compile(r"(?<![\w'’])([A-Za-z][\w'’]*)\s+$")
_YEAR_LIST = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?:,|\s+(?:and|or))\s+$")
_CALENDAR_UNITS = ("day", "week", "month", "year")
# Rules whose matches can make a range without "from" ("Monday to Wednesday", "1991-1997").
_KIND = MappingProxyType({"date": "date", "date_dm": "date", "month": "month",
                          "month_year": "month", "weekday": "weekday", "year": "year",
                          "quarter": "quarter", "season": "season"})
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
    """What resolution needs: the publication date, the tense if known, and the coming window.

    ``coming_days`` is set when the expression was read in its sentence: a
    day or month named without a year that begins that few days after
    publication is then the coming one, whatever the tense cues say.
    """

    published: date | None
    future: bool | None
    coming_days: int = 0


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
    future_hedges: frozenset[str]
    not_past: frozenset[str]
    not_past_after: frozenset[str]
    future_preps: frozenset[str]
    coming_days: int
    year_determiners: frozenset[str]
    seasons: dict[str, tuple[int, int]]
    season_verbs: frozenset[str]
    ordinals: dict[str, int]
    decades: dict[str, int]
    quarter_shifts: dict[str, int]
    holidays: dict[str, str]
    references: dict[str, str]


Resolver = Callable[[re.Match[str], _Ctx, _Words], _Dates]


@dataclass(frozen=True)
class _Rule:
    """One kind of expression: its pattern, how to resolve it, and when a match stands alone.

    ``alone`` says whether a match is a time expression by itself: a bare
    month or year needs a preposition or modifier ("in March", "late 2024"),
    else "May" could be a name. A match that does not stand alone is kept only
    as the second half of a range ("from January to March"). ``cue`` is a
    few lower-case words one of which every match holds ("quarter", "jan"): a
    sentence with none of them skips the rule, which keeps find_times fast as
    rules grow.
    """

    name: str
    pattern: re.Pattern[str]
    resolve: Resolver
    alone: Callable[[re.Match[str]], bool] = lambda m: True
    cue: tuple[str, ...] = ()


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
    ("will meet on Friday" is future, "met on Friday" past), and a day or month
    named without a year that begins within ``coming_days`` (data/times.yaml)
    after publication is the coming one: news gives the year of older dates
    ("payable Jan. 2" in November is next January).
    """
    pub = _published(published)
    words = _words()
    out: list[Found] = []
    for hit in _hits(text):
        tense = future if future is not None else _guess_tense(text, hit, words)
        coming = words.coming_days if future is None else 0
        dates = _resolve_hit(hit, _Ctx(pub, tense, coming), words)
        out.append((hit.start, hit.end, _span(text[hit.start:hit.end], dates)))
    return out


def resolve_time(expr: str, published: str | None, future: bool | None = None) -> TimeSpan:
    """One expression as a TimeSpan with inclusive ISO dates (None where unknown).

    When ``expr`` holds more than a time expression ("since the attacks
    earlier this month"), the longest expression inside it is used; with none,
    the dates and granularity are None. Read without its sentence, a day or
    month named without a year is the latest one on or before publication
    unless ``future`` says otherwise.
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
    low = text.lower()
    for rule in _rules():
        if rule.cue and not any(word in low for word in rule.cue):
            continue
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
    """Whether two expressions make one range; without "from" both must be of one kind.

    "Monday to Wednesday" is a range, "a revision Friday to December's figures" is not.
    """
    gap = text[first.end:second.start]
    if second.prep or not _CONNECTOR.fullmatch(gap):
        return False
    if gap.strip().lower() == "and":
        return first.prep == "between"
    if first.prep is None and _KIND.get(first.rule.name) != _KIND.get(second.rule.name):
        return False
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
    """Future or past by the tense cue nearest the expression in its clause, None without one.

    The cue is looked for in the few words before the expression, nearest
    first ("said it will pay Dec. 14" is future), or for a sentence opener in
    the words after it, first first ("In September, it announced plans to
    buy" is past). A forward hedge makes it future ("as soon as Tuesday"), and
    so does a deadline with no cue ("by Jan. 14", "until March 6"). Without
    any, each rule uses its own default (past for a bare weekday, future for
    "in three days").
    """
    if _group(hit.match, "hedge") in words.future_hedges:
        return True
    before = _CLAUSE_BREAK.split(text[:hit.start])[-1]
    if before.strip():
        cues = _cues(re.findall(r"[\w'’]+", before.lower())[-8:], words)
        tense = cues[-1] if cues else None
    else:
        cues = _cues(re.findall(r"[\w'’]+", _CLAUSE_BREAK.split(text[hit.end:])[0].lower())[:6], words)
        tense = cues[0] if cues else None
    if tense is None and hit.prep in words.future_preps:
        return True
    return tense


def _cues(tokens: list[str], words: _Words) -> list[bool]:
    """The tense cues among ``tokens`` in order: True for a future cue, False for a past one.

    A word in -ed after "be" or "is" is a passive participle, whose
    auxiliary carries the tense ("will be paid"), and after a determiner an
    adjective ("the United States").
    """
    out: list[bool] = []
    for i, token in enumerate(tokens):
        rest = " ".join(tokens[i:]) + " "
        if any(rest.startswith(f"{cue} ") or (cue[0] in "'’" and token.endswith(cue))
               for cue in words.future_cues):
            out.append(True)
        elif token in words.past_cues or _past_participle(token, tokens[i - 1] if i else "", words):
            out.append(False)
    return out


def _past_participle(token: str, previous: str, words: _Words) -> bool:
    return (token.endswith("ed") and len(token) > 4 and not token.endswith("eed")
            and token not in words.not_past and previous not in words.not_past_after)


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
    """ "Sept. 2", "September 2, 2025", "28 December", "Monday, Sept. 22", "Sept. 2-5",
    "last Oct. 23"."""
    month, day = words.months[m["month"].lower().rstrip(".")], int(m["day"])
    day2 = m.groupdict().get("day2")
    last = int(day2) if day2 else day
    granularity = "range" if day2 else "day"
    year = int(m["year"]) if m["year"] else _year_of(month, day, m, ctx)
    if year is None:
        return _Dates(None, None, granularity)
    try:
        return _Dates(date(year, month, day), date(year, month, last), granularity)
    except ValueError:
        return _Dates(None, None, granularity)


def _year_of(month: int, day: int, m: re.Match[str], ctx: _Ctx) -> int | None:
    """The year of a day named without one ("Dec. 28", "February 24 this year", "last Oct. 23")."""
    pub = ctx.published
    if pub is None:
        return None
    rel = _group(m, "rel")
    if rel:
        return pub.year + _SHIFT[rel]
    day = min(day, 28) if month == 2 else day   # a 29 February is placed by the 28th
    return _pick_year(lambda y: (date(y, month, day), date(y, month, day)), ctx, _group(m, "drel"))


def _pick_year(span_of: Callable[[int], tuple[date, date]], ctx: _Ctx, rel: str | None = None) -> int:
    """Which year's instance of a yearly thing (a day, month, season, quarter, holiday) is meant.

    "last X" is the latest that ended before publication and "next X" the
    first that begins after it. A bare one is the latest that has begun by
    publication, or in a future clause the first not yet over; read in its
    sentence, a coming one that begins within ``ctx.coming_days`` wins.
    """
    pub = ctx.published
    assert pub is not None
    if rel == "this":
        return pub.year
    if rel in ("next", "coming", "this coming") or (rel is None and ctx.future):
        first_ok = (lambda y: span_of(y)[0] > pub) if rel else (lambda y: span_of(y)[1] >= pub)
        return next(y for y in range(pub.year - 1, pub.year + 3) if first_ok(y))
    if rel is None and ctx.coming_days:
        ahead = next(y for y in range(pub.year - 1, pub.year + 3) if span_of(y)[0] > pub)
        if (span_of(ahead)[0] - pub).days <= ctx.coming_days:
            return ahead
    last_ok = (lambda y: span_of(y)[1] < pub) if rel else (lambda y: span_of(y)[0] <= pub)
    return next(y for y in range(pub.year + 1, pub.year - 3, -1) if last_ok(y))


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
    if ctx.published is None:
        return _Dates(None, None, "approximate" if _group(m, "pos") or _group(m, "pos2") else "month")
    year = _pick_year(lambda y: _month_span(y, month), ctx, _group(m, "rel"))
    return _with_position(_month_span(year, month), m, words, "month")


def _year(m: re.Match[str], ctx: _Ctx, words: _Words) -> _Dates:
    """ "in 1994", "since 2001", "mid-2024"."""
    year = int(m["year"])
    return _with_position((date(year, 1, 1), date(year, 12, 31)), m, words, "year")


def _decade(m: re.Match[str], ctx: _Ctx, words: _Words) -> _Dates:
    """ "the 1990s", "the early 1980s", "the nineties", "the '90s".

    A decade named without its century is the latest begun by publication,
    or the one about to begin ("the nineties" at the end of 1989).
    """
    if m["decade"]:
        start = int(m["decade"])
    elif ctx.published is None:
        return _Dates(None, None, "range")
    else:
        tens = words.decades[_group(m, "dword")] if m["dword"] else int(m["short"])
        start = ctx.published.year // 100 * 100 + tens
        start -= 100 if start > ctx.published.year + 1 else 0
    return _with_position((date(start, 1, 1), date(start + 9, 12, 31)), m, words, "range")


def _quarter(m: re.Match[str], ctx: _Ctx, words: _Words) -> _Dates:
    """ "the third quarter", "third-quarter", "the 1988 second quarter", "the first half of 1990".

    Without a year, the latest such quarter begun by publication (the
    future one in a future clause).
    """
    size = 6 if _group(m, "qunit") == "half" else 3
    first_month = (_ordinal(_group(m, "ord") or "", words) - 1) * size + 1
    granularity = "approximate" if _fiscal(m) else "quarter" if size == 3 else "range"
    year = _explicit_year(m, ctx)
    if year is None and ctx.published is None:
        return _Dates(None, None, granularity)
    if year is None:
        year = _pick_year(lambda y: _months_span(y, first_month, size), ctx)
    year -= 1 if _group(m, "ago") else 0   # "the year-ago third quarter"
    return _Dates(*_months_span(year, first_month, size), granularity)


def _relative_quarter(m: re.Match[str], ctx: _Ctx, words: _Words) -> _Dates:
    """ "this quarter", "last quarter", "the latest quarter", "the current fiscal quarter"."""
    granularity = "approximate" if _group(m, "fiscal") else "quarter"
    pub = ctx.published
    if pub is None:
        return _Dates(None, None, granularity)
    first = _add_months(date(pub.year, (pub.month - 1) // 3 * 3 + 1, 1),
                        3 * words.quarter_shifts[_group(m, "qshift") or "this"])
    return _Dates(*_months_span(first.year, first.month, 3), granularity)


def _fiscal_year(m: re.Match[str], ctx: _Ctx, words: _Words) -> _Dates:
    """ "fiscal 1989", "the 1990 fiscal year", "the current fiscal year": its calendar year, roughly.

    Fiscal years start in any month, so the calendar year is only an approximation.
    """
    year = _explicit_year(m, ctx)
    frel = _group(m, "frel") or "the"
    if year is None and ctx.published is not None:
        year = ctx.published.year + (0 if frel == "the" else words.quarter_shifts[frel])
    if year is None:
        return _Dates(None, None, "approximate")
    return _Dates(date(year, 1, 1), date(year, 12, 31), "approximate")


def _year_end(m: re.Match[str], ctx: _Ctx, words: _Words) -> _Dates:
    """ "by year-end", "around year end": December of the publication year."""
    if ctx.published is None:
        return _Dates(None, None, "approximate")
    return _Dates(*_month_span(ctx.published.year, 12), "approximate")


def _season(m: re.Match[str], ctx: _Ctx, words: _Words) -> _Dates:
    """ "last fall", "this summer", "the winter of 1994", "early next spring": approximate months."""
    first, last = words.seasons[_group(m, "season") or ""]
    span_of = lambda y: _months_span(y, first, (last - first) % 12 + 1)  # noqa: E731
    year = _explicit_year(m, ctx)
    if year is None and ctx.published is None:
        return _Dates(None, None, "approximate")
    if year is None:
        year = _season_year(span_of, ctx, _group(m, "rel"))
    return _with_position(span_of(year), m, words, "approximate")


def _season_year(span_of: Callable[[int], tuple[date, date]], ctx: _Ctx, rel: str | None) -> int:
    """ "this winter" is the one under way at publication, else the one starting that year."""
    pub = ctx.published
    assert pub is not None
    if rel == "this":
        under_way = [y for y in (pub.year - 1, pub.year) if span_of(y)[0] <= pub <= span_of(y)[1]]
        return under_way[0] if under_way else pub.year
    return _pick_year(span_of, ctx, "last" if rel in ("past", "this past") else rel)


def _holiday(m: re.Match[str], ctx: _Ctx, words: _Words) -> _Dates:
    """ "Thanksgiving Day", "last Christmas", "Easter 1998": the holiday's date that year."""
    rule = words.holidays[_apostrophes(" ".join(m["holiday"].split()))]
    day_of = lambda y: (_holiday_date(rule, y),) * 2  # noqa: E731
    year = _explicit_year(m, ctx)
    if year is None and ctx.published is None:
        return _Dates(None, None, "day")
    if year is None:
        year = _pick_year(day_of, ctx, _group(m, "rel"))
    return _Dates(*day_of(year), "day")


def _holiday_date(rule: str, year: int) -> date:
    """A holiday's date from its rule: "12-25", "11 Thu 4" (fourth Thursday), "easter-2"."""
    if rule.startswith("easter"):
        return _easter(year) + timedelta(days=int(rule[6:]))
    if "-" in rule:
        month, day = rule.split("-")
        return date(year, int(month), int(day))
    month, weekday, nth = rule.split()
    first = date(year, int(month), 1)
    wanted = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun").index(weekday)
    day = first + timedelta(days=(wanted - first.weekday()) % 7 + 7 * (int(nth) - 1))
    return day if day.month == first.month else day - timedelta(weeks=1)


def _easter(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741
    n = (h + l - 7 * ((a + 11 * h + 22 * l) // 451) + 114)
    return date(year, n // 31, n % 31 + 1)


def _reference(m: re.Match[str], ctx: _Ctx, words: _Words) -> _Dates:
    """ "now" is publication; "recently" ends at it; "soon" begins the day after it."""
    pub = ctx.published
    when = words.references[_group(m, "ref") or ""]
    if pub is None:
        return _Dates(None, None, "reference")
    if when == "past":
        return _Dates(None, pub, "reference")
    if when == "future":
        return _Dates(pub + DAY, None, "reference")
    return _Dates(pub, pub, "reference")


def _century(m: re.Match[str], ctx: _Ctx, words: _Words) -> _Dates:
    """ "the 20th century" (1900 to 1999), "this century", "the next century"."""
    number = _group(m, "cent")
    if number:
        first = (_ordinal(number, words) - 1) * 100
    elif ctx.published:
        first = (ctx.published.year // 100 + _SHIFT[_group(m, "rel") or "this"]) * 100
    else:
        return _Dates(None, None, "range")
    return _Dates(date(max(first, 1), 1, 1), date(first + 99, 12, 31), "range")


def _explicit_year(m: re.Match[str], ctx: _Ctx) -> int | None:
    """The year a match names ("1990", "of 1990") or places relative to publication ("next year")."""
    for name in ("year", "year2"):
        if m.groupdict().get(name):
            return int(m[name])
    rel = _group(m, "yrel") or _group(m, "yrel2")
    if rel and ctx.published:
        return ctx.published.year + _SHIFT[rel]
    return None


def _fiscal(m: re.Match[str]) -> bool:
    """Whether a quarter is a fiscal one, which may not follow the calendar."""
    return any(_group(m, g) for g in ("fiscal", "fiscal2", "fiscal3"))


def _ordinal(text: str, words: _Words) -> int:
    """ "third" or "3rd" as 3."""
    digits = re.match(r"\d+", text)
    return int(digits.group(0)) if digits else words.ordinals[text.replace(" ", "-")]


def _months_span(year: int, month: int, count: int) -> tuple[date, date]:
    """``count`` calendar months from ``month`` of ``year`` (a quarter, a half, a season)."""
    first = date(year, month, 1)
    return first, _add_months(first, count) - DAY


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
    """A bare year counts after a preposition that can open one ("in 1994", not "for 2000 people").

    Without a preposition it counts after "of" ("the Act of 1989"), in a list
    of years ("1994, 1995 and 1997"), or ending a phrase after a lower-case
    word ("dating to 1994."). A year that names a thing ("the 2024 campaign",
    "the 1996 Olympic bombing") is not the time of the sentence's events.
    """
    if _group(m, "pos") or _group(m, "pos2"):
        return True
    prep = _group(m, "prep")
    if prep:
        return prep not in _NOT_YEAR_PREPS
    before = m.string[max(0, m.start() - 30):m.start()]
    return _attributive_year(before) or _year_ends_phrase(before, m.string[m.end():m.end() + 1])


def _attributive_year(before: str) -> bool:
    if _YEAR_LIST.search(before):
        return True
    last = _LAST_WORD.search(before)
    if not last:
        return False
    return last.group(1).lower() in _words().year_determiners


def _year_ends_phrase(before: str, after: str) -> bool:
    last = _LAST_WORD.search(before)
    return (after == "" or after in ".,;:!?)") and bool(last and last.group(1).islower())


def _quarter_marker(m: re.Match[str]) -> bool:
    """ "the third quarter" stands alone; "the first half" needs a year ("of the match" is not time)."""
    if _group(m, "qunit") == "quarter":
        return True
    return _fiscal(m) or any(_group(m, g) for g in ("year", "year2", "yrel", "yrel2"))


def _quarter_rel_marker(m: re.Match[str]) -> bool:
    """A bare "the quarter" needs "for" or "during": "in the quarter" may be a part of a city."""
    return _group(m, "qshift") != "the" or _group(m, "prep") in ("for", "during")


def _season_marker(m: re.Match[str]) -> bool:
    """ "last fall", "in the summer", "summer 1998"; not "prices fall", "the Summer Olympics"."""
    if _group(m, "rel") or m["year"] or _group(m, "yrel"):
        return True
    if m["season"][0].isupper() and m.start("season") > 0 and not _group(m, "pos"):
        return False
    season = _group(m, "season") or ""
    return bool(_group(m, "prep")) and (season not in _words().season_verbs or bool(_group(m, "the")))


def _decade_marker(m: re.Match[str]) -> bool:
    """ "the nineties" and "the '90s" need "the": "in his nineties" is an age."""
    return bool(m["decade"] or _group(m, "the") or _group(m, "the2"))


def _reference_marker(m: re.Match[str]) -> bool:
    """ "now", "recently" stand alone; "the past", "the future" need a preposition ("in the past")."""
    return not (_group(m, "ref") or "").startswith("the ") or bool(_group(m, "prep"))


def _holiday_marker(m: re.Match[str]) -> bool:
    """ "on Christmas", "last Thanksgiving", "Thanksgiving Day"; not "Christmas shopping"."""
    named = " ".join(m["holiday"].split())
    return any(_group(m, g) for g in ("rel", "prep", "year", "yrel")) or " " in named


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
        p.rule("date", rf"(?:(?P<drel>(?i:last|next))\s+)?{wd}(?P<month>{p.month})\.?\s+{p.day}"
               rf"(?:\s*(?:-|–|(?i:to|and))\s*{p.day2})?{year_or_rel}(?!,\d)", _date, cue=p.month_cue),
        p.rule("date_dm", rf"{wd}(?:(?i:the)\s+)?{p.day}\s+(?:(?i:of)\s+)?(?P<month>{p.month})\.?"
               rf"{year_or_rel}", _date, cue=p.month_cue),
        p.rule("month_year", rf"{pos3}?(?P<month>{p.month})\.?"
               rf"(?:,?\s+(?:(?i:of)\s+)?{p.year}|{p.rel_year})", _month_year,
               cue=p.month_cue),
        p.rule("month", rf"(?:(?P<rel>(?i:last|this|next))\s+|{pos3})?(?P<month>{p.bare_month}){ly}",
               _month, alone=_has_marker, cue=p.month_cue),
        p.rule("year", rf"{pos3}?{p.year}(?!\s*(?:%|(?i:percent|per cent)))", _year,
               alone=_year_marker, cue="18 19 20"),
        p.rule("weekday", rf"(?:(?P<pos>(?i:early|late|earlier|later))\s+(?:(?i:on)\s+)?)?(?:{rel})?"
               rf"(?P<wd>{p.weekday}){ly}(?:\s+(?P<part>{p.parts}))?", _weekday,
               cue="day"),
        p.rule("today", rf"(?i:(?:(?P<pos>early|late|earlier|later)\s+)?"
               rf"(?P<word>today|tonight|yesterday|tomorrow){ly}(?:\s+(?P<part>{p.parts}))?)",
               _deictic, cue="today tonight yesterday tomorrow"),
        p.rule("this_morning", rf"(?i:(?:(?:early|late|earlier|later)\s+)?(?P<word>this|last)\s+"
               rf"(?P<part>{p.parts}))", _deictic, cue=" ".join(p.words.parts)),
        p.rule("overnight", rf"(?i:(?P<word>overnight|(?:during|throughout)\s+the\s+(?:{p.parts}|day)"
               r"|the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow))", _deictic,
               cue="overnight during throughout day"),
        p.rule("relative_unit", rf"(?i:(?:(?P<pos>earlier|later|early|late|mid)(?:-|\s+))?"
               rf"(?P<rel>this\s+past|this\s+coming|last|this|next)\s+(?P<unit>week|month|year){ly})",
               _relative_unit, cue="week month year"),
        p.rule("unit_part", r"(?i:the\s+(?P<pos2>beginning|start|middle|end)\s+of\s+"
               r"(?P<rel>last|this|next|the)\s+(?P<unit>week|month|year))", _relative_unit,
               cue="week month year"),
        p.rule("window", rf"(?i:the\s+(?P<rel>past|last|previous|coming|next)\s+"
               rf"(?:(?P<count>{p.count})\s+)?(?P<unit>{p.units}))(?!\s+(?i:of)\b)", _window,
               alone=_not_narrative, cue=" ".join(p.words.units)),
        p.rule("weekend", rf"(?i:(?P<rel>this\s+past|this\s+coming|last|this|next|the)\s+weekend{ly})",
               _weekend, alone=_weekend_marker, cue="weekend"),
        p.rule("ago", rf"(?i:(?:(?P<qual>{p.qualifiers})\s+)?(?:(?P<count>{p.count})\s+)?"
               rf"(?P<unit>{p.units})\s+ago)", _ago, alone=_counted, cue="ago"),
        p.rule("within", rf"(?i:(?:in|within)\s+(?:(?P<count>{p.count})\s+)?(?P<unit>{p.units})"
               rf"(?:['’](?:\s+time)?|\s+time)?)(?!\s+(?i:of)\b)", _within, alone=_counted,
               preps=False, cue=" ".join(p.words.units)),
        p.rule("recent", rf"(?i:(?:the\s+)?(?:most\s+)?recent\s+(?P<unit>{p.plural_units}))", _recent,
               cue="recent"),
        *_calendar_rules(p, pos3),
    )


def _calendar_rules(p: _Pieces, pos3: str) -> tuple[_Rule, ...]:
    """Quarters, fiscal years, seasons, decades, centuries and holidays."""
    of_year = (rf"(?:\s+(?i:of)\s+(?:(?i:fiscal)\s+)?{p.year2}"
               rf"|\s+(?:(?i:of)\s+)?(?P<yrel2>(?i:last|this|next))\s+(?i:year))")
    year_before = rf"(?:{p.year}['’]?s?\s+|(?P<yrel>(?i:last|this|next))\s+(?i:year)['’]s\s+)"
    return (
        p.rule("quarter", rf"(?:(?i:the)\s+)?(?:(?P<fiscal>(?i:fiscal))\s+)?{year_before}?"
               rf"(?:(?P<ago>(?i:year[-\s](?:ago|earlier)))\s+)?"
               rf"(?:(?P<fiscal2>(?i:fiscal))\s+)?(?P<ord>(?i:{p.quarter_ords}))[\s-]+"
               rf"(?:(?P<fiscal3>(?i:fiscal))[\s-]+)?(?P<qunit>(?i:quarter|half))"
               rf"{of_year}?(?!\s+(?i:of)\b)", _quarter, alone=_quarter_marker, cue="quarter half"),
        p.rule("quarter_rel", rf"(?P<qshift>(?i:{p.quarter_shifts}))\s+(?:(?P<fiscal>(?i:fiscal))\s+)?"
               r"(?i:quarter)(?!\s+(?i:of)\b)", _relative_quarter, alone=_quarter_rel_marker,
               cue="quarter"),
        p.rule("fiscal_year", rf"(?:(?i:the)\s+)?(?:(?i:fiscal)(?:\s+(?i:year))?\s+{p.year}"
               rf"|{p.year2}\s+(?i:fiscal\s+year))(?:['’]s)?", _fiscal_year, cue="fiscal"),
        p.rule("fiscal_rel", rf"(?P<frel>(?i:{p.year_shifts}|the))\s+(?i:fiscal\s+year)"
               r"(?!\s+(?:\d|(?i:of)\b))", _fiscal_year, cue="fiscal"),
        p.rule("year_end", r"(?:(?i:the)\s+)?(?i:year[-\s]?end)", _year_end, cue="year"),
        p.rule("season", rf"(?:(?P<pos>(?i:early|mid|late))(?:-|\s+))?(?:(?P<rel>(?i:this\s+past|"
               rf"this\s+coming|last|this|next|past|coming))\s+|(?P<the>(?i:the))\s+)?"
               rf"(?P<season>(?i:{p.seasons}))(?:(?:\s+(?i:of))?\s+{p.year}"
               rf"|\s+(?P<yrel>(?i:last|this|next))\s+(?i:year))?", _season, alone=_season_marker,
               cue=" ".join(p.words.seasons)),
        p.rule("decade", rf"(?:(?P<the>(?i:the))\s+)?{pos3}?(?:(?P<the2>(?i:the))\s+)?"
               rf"(?:(?P<decade>(?:1[89]|20)\d0)['’]?s|['’](?P<short>\d0)s"
               rf"|(?P<dword>(?i:{p.decades})))", _decade, alone=_decade_marker,
               cue="0s 0's 0’s " + " ".join(p.words.decades)),
        p.rule("century", rf"(?i:(?:the\s+)?(?:(?P<cent>\d{{1,2}}(?:st|nd|rd|th)|{p.ordinals})"
               r"|(?P<rel>this|last|next))[\s-]+century)", _century, cue="century"),
        p.rule("reference", rf"(?<!\bas\s)(?i:(?P<ref>{p.references}))"
               r"(?!\s+(?i:after|afterwards?|thereafter|as|that|of)\b)", _reference,
               alone=_reference_marker, cue=_cue_words(p.words.references)),
        p.rule("holiday", rf"(?:(?P<rel>(?i:last|this|next))\s+)?(?P<holiday>{p.holidays})"
               rf"(?:,?\s+{p.year}|\s+(?P<yrel>(?i:last|this|next))\s+(?i:year))?", _holiday,
               alone=_holiday_marker, cue=_cue_words(p.words.holidays)),
    )


class _Pieces:
    """Regex pieces built from the lexicon, shared by the rules."""

    def __init__(self, w: _Words) -> None:
        self.words = w
        full = _case_forms(w.full_months)
        abbr = _case_forms(w.abbr_months)
        self.month = _alt(full + abbr)
        self.bare_month = rf"{_alt(full)}|(?:{_alt(abbr)})\."
        self.month_cue = " ".join({m[:3].lower() for m in w.full_months})
        self.weekday = _alt(_case_forms(d.title() for d in w.weekdays))
        self.parts = _alt(w.parts)
        self.day = r"(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
        self.day2 = r"(?P<day2>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
        self.year = r"(?P<year>(?:1[89]|20)\d\d)(?![\d])(?![.,]\d)"
        self.year2 = r"(?P<year2>(?:1[89]|20)\d\d)(?![\d])(?![.,]\d)"
        self.quarter_ords = _alt([*list(w.ordinals)[:4], "1st", "2nd", "3rd", "4th"])
        self.quarter_shifts = _alt(w.quarter_shifts)
        self.year_shifts = _alt(k for k, v in w.quarter_shifts.items() if abs(v) <= 1 and k != "the")
        self.ordinals = _alt(w.ordinals)
        self.seasons = _alt(w.seasons)
        self.decades = _alt(w.decades)
        self.references = _alt(w.references)
        self.holidays = _alt(n for name in w.holidays for n in (name, name.replace("'", "’")))
        self.rel_year = r"\s+(?P<rel>(?i:last|this|next))\s+(?i:year)"
        self.units = "|".join(rf"{u}s?" for u in sorted(w.units, key=len, reverse=True))
        self.plural_units = "|".join(rf"{u}s" for u in w.units)
        number = _alt(amounts.number_words())
        self.count = rf"{_alt(w.vague)}|\d+|(?:{number})(?:[\s-]+(?:{number}))*|an?"
        self.qualifiers = _alt(w.qualifiers)
        self.hedges = _alt(w.hedges)
        self.preps = _alt(w.preps)

    def rule(self, name: str, core: str, resolve: Resolver,
             alone: Callable[[re.Match[str]], bool] = lambda m: True, preps: bool = True,
             cue: str | None = None) -> _Rule:
        """Wrap a rule's core with an optional hedge and preposition, and word boundaries."""
        prep = rf"(?:(?P<prep>(?i:{self.preps}))\s+)?" if preps else ""
        pattern = rf"(?<![\w-])(?:(?P<hedge>(?i:{self.hedges}))\s+)?{prep}(?P<core>{core})(?![\w])"
        return _Rule(name, re.compile(pattern), resolve, alone, tuple(cue.split()) if cue else ())


@lru_cache(maxsize=1)
def _clock() -> re.Pattern[str]:
    """A clock time: "at about 1:00am (ACDT)", "10:30 a.m.", "at noon"."""
    return re.compile(
        r"(?i:at\s+)?(?i:(?:about|around|approximately|roughly|just\s+after|just\s+before)\s+)?"
        r"(?i:\d{1,2}(?:[:.]\d{2})?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|\d{1,2}:\d{2}|noon|midnight)"
        r"(?:\s*\([A-Z]{2,5}\)|\s+(?:[A-Z]{1,4}T|GMT|UTC)\b)?")


def _cue_words(phrases: Iterable[str]) -> str:
    """A word that each phrase holds, for a rule's cue: its first of four letters or more."""
    firsts = []
    for phrase in phrases:
        words = [re.split(r"['’]", w)[0].lower() for w in phrase.split()]
        firsts.append(next((w for w in words if len(w) > 3), words[0]))
    return " ".join(sorted(set(firsts)))


def _apostrophes(name: str) -> str:
    """One spelling for names with an apostrophe: "New Year’s Day" is "New Year's Day"."""
    return name.replace("’", "'")


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
        future_hedges=frozenset(data["future_hedges"]), not_past=frozenset(data["not_past"]),
        not_past_after=frozenset(data["not_past_after"]), future_preps=frozenset(data["future_preps"]),
        coming_days=int(data["coming_days"]), year_determiners=frozenset(data["year_determiners"]),
        seasons={k: tuple(v) for k, v in data["seasons"].items()},
        season_verbs=frozenset(data["season_verbs"]),
        ordinals={w: i for i, w in enumerate(data["ordinals"], start=1)},
        decades=dict(data["decades"]), quarter_shifts=dict(data["quarter_shifts"]),
        holidays={_apostrophes(k): v for k, v in data["holidays"].items()},
        references=dict(data["references"]),
    )
