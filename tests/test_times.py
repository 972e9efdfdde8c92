"""Tests of eventwire.nlp.times: finding time expressions and resolving them to dates."""
from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from eventwire.errors import InputError
from eventwire.nlp.times import find_times, resolve_time
from eventwire.model import TimeSpan

PUB = "2025-09-27"   # a Saturday
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def texts(sentence: str, published: str | None = PUB) -> list[str]:
    """The expressions found, as written."""
    return [sentence[s:e] for s, e, _ in find_times(sentence, published)]


def only(sentence: str, published: str | None = PUB, **kw: object) -> TimeSpan:
    """The one expression in ``sentence``."""
    found = find_times(sentence, published, **kw)
    assert len(found) == 1, found
    return found[0][2]


def dates(span: TimeSpan) -> tuple[str | None, str | None, str | None]:
    return span.start, span.end, span.granularity


# --- the guide's examples ------------------------------------------------------------------------

@pytest.mark.parametrize("expr, published, expected", [
    ("on Monday", "2025-09-25", ("2025-09-22", "2025-09-22", "day")),
    ("on Monday", PUB, ("2025-09-22", "2025-09-22", "day")),
    ("last month", PUB, ("2025-08-01", "2025-08-31", "month")),
    ("since Sept. 2", PUB, ("2025-09-02", "2025-09-27", "range")),
    ("in weeks", PUB, ("2025-09-28", "2025-11-08", "approximate")),
    ("potentially in weeks", PUB, ("2025-09-28", "2025-11-08", "approximate")),
    ("in the coming weeks", PUB, ("2025-09-28", "2025-11-08", "approximate")),
    ("earlier this month", PUB, ("2025-09-01", "2025-09-27", "range")),
])
def test_guide_examples(expr: str, published: str, expected: tuple) -> None:
    assert dates(resolve_time(expr, published)) == expected


@pytest.mark.parametrize("expr, expected", [
    ("yesterday", ("2025-09-26", "2025-09-26", "day")),
    ("today", ("2025-09-27", "2025-09-27", "day")),
    ("tonight", ("2025-09-27", "2025-09-27", "day")),
    ("tomorrow", ("2025-09-28", "2025-09-28", "day")),
    ("overnight", ("2025-09-26", "2025-09-27", "day")),
    ("last night", ("2025-09-26", "2025-09-26", "day")),
    ("this morning", ("2025-09-27", "2025-09-27", "day")),
    ("late yesterday", ("2025-09-26", "2025-09-26", "day")),
    ("last week", ("2025-09-15", "2025-09-21", "week")),
    ("this week", ("2025-09-22", "2025-09-28", "week")),
    ("next week", ("2025-09-29", "2025-10-05", "week")),
    ("this month", ("2025-09-01", "2025-09-30", "month")),
    ("next month", ("2025-10-01", "2025-10-31", "month")),
    ("last year", ("2024-01-01", "2024-12-31", "year")),
    ("this year", ("2025-01-01", "2025-12-31", "year")),
    ("earlier this year", ("2025-01-01", "2025-09-27", "range")),
    ("later this month", ("2025-09-28", "2025-09-30", "range")),
    ("at the beginning of this month", ("2025-09-01", "2025-09-10", "approximate")),
    ("in 1994", ("1994-01-01", "1994-12-31", "year")),
    ("in 2024", ("2024-01-01", "2024-12-31", "year")),
    ("mid-2024", ("2024-05-02", "2024-08-31", "approximate")),
    ("the 1990s", ("1990-01-01", "1999-12-31", "range")),
    ("on December 28", ("2024-12-28", "2024-12-28", "day")),
    ("Dec. 28", ("2024-12-28", "2024-12-28", "day")),
    ("28 December", ("2024-12-28", "2024-12-28", "day")),
    ("the 28th of December", ("2024-12-28", "2024-12-28", "day")),
    ("on Sept. 27", ("2025-09-27", "2025-09-27", "day")),
    ("September 2, 2025", ("2025-09-02", "2025-09-02", "day")),
    ("on February 24 this year", ("2025-02-24", "2025-02-24", "day")),
    ("Sept. 2-5", ("2025-09-02", "2025-09-05", "range")),
    ("over the weekend", ("2025-09-20", "2025-09-21", "range")),
    ("this weekend", ("2025-09-27", "2025-09-28", "range")),
    ("several weeks ago", ("2025-08-09", "2025-09-06", "approximate")),
    ("a few days ago", ("2025-09-23", "2025-09-25", "approximate")),
    ("two weeks ago", ("2025-09-08", "2025-09-14", "week")),
    ("three days ago", ("2025-09-24", "2025-09-24", "day")),
    ("10 years ago", ("2015-01-01", "2015-12-31", "year")),
    ("more than a decade ago", ("2005-09-27", "2015-09-27", "approximate")),
    ("in three days", ("2025-09-30", "2025-09-30", "day")),
    ("next month", ("2025-10-01", "2025-10-31", "month")),
    ("in late November", ("2024-11-21", "2024-11-30", "approximate")),
    ("in mid-November", ("2024-11-11", "2024-11-20", "approximate")),
    ("in recent days", ("2025-09-21", "2025-09-27", "approximate")),
    ("recent days", ("2025-09-21", "2025-09-27", "approximate")),
    ("over the past month", ("2025-08-27", "2025-09-27", "range")),
    ("the past two weeks", ("2025-09-13", "2025-09-27", "range")),
    ("in the past 12 hours", ("2025-09-26", "2025-09-27", "approximate")),
    ("the next few days", ("2025-09-28", "2025-10-01", "approximate")),
    ("on Friday", ("2025-09-26", "2025-09-26", "day")),
    ("on Saturday", ("2025-09-27", "2025-09-27", "day")),
    ("last Saturday", ("2025-09-20", "2025-09-20", "day")),
    ("next Monday", ("2025-09-29", "2025-09-29", "day")),
    ("in March", ("2025-03-01", "2025-03-31", "month")),
    ("in September", ("2025-09-01", "2025-09-30", "month")),
    ("last September", ("2024-09-01", "2024-09-30", "month")),
    ("next March", ("2026-03-01", "2026-03-31", "month")),
    ("In January last year", ("2024-01-01", "2024-01-31", "month")),
    ("December 2025", ("2025-12-01", "2025-12-31", "month")),
    ("since 2001", ("2001-01-01", "2025-09-27", "range")),
    ("after Sept. 2", ("2025-09-03", "2025-09-27", "range")),
    ("before Sept. 2", (None, "2025-09-01", "range")),
    ("from Sept. 2 to Sept. 5", ("2025-09-02", "2025-09-05", "range")),
    ("between March and May", ("2025-03-01", "2025-05-31", "range")),
    ("At about 1:00am (ACDT) this morning", ("2025-09-27", "2025-09-27", "day")),
])
def test_resolves_against_the_publication_date(expr: str, expected: tuple) -> None:
    span = resolve_time(expr, PUB)
    assert span.text == expr
    assert dates(span) == expected


def test_future_tense_picks_the_coming_day_or_date() -> None:
    assert dates(resolve_time("on Monday", PUB, future=True)) == ("2025-09-29", "2025-09-29", "day")
    assert dates(resolve_time("on December 28", PUB, future=True))[:2] == ("2025-12-28", "2025-12-28")
    assert dates(resolve_time("in March", PUB, future=True))[:2] == ("2026-03-01", "2026-03-31")
    assert dates(resolve_time("over the weekend", PUB, future=True))[:2] == ("2025-09-27", "2025-09-28")


def test_past_tense_reads_in_three_days_as_the_stretch_before() -> None:
    assert dates(resolve_time("in three days", PUB, future=False)) == ("2025-09-24", "2025-09-27", "range")


def test_tense_is_guessed_from_the_clause() -> None:
    assert only("They will meet on Friday.").start == "2025-10-03"
    assert only("They met on Friday.").start == "2025-09-26"
    assert only("On Friday, the leaders will meet in Paris.").start == "2025-10-03"
    assert dates(only("Police say 40 people were killed in three days.")) == \
        ("2025-09-24", "2025-09-27", "range")
    assert only("It was the worst violence in years.").end == "2025-09-27"
    assert only("The plant will reopen in three days.").start == "2025-09-30"


def test_a_quoted_future_does_not_leak_into_the_reporting_clause() -> None:
    span = only("“We’ll see what happens,” Trump told reporters on Monday.")
    assert span.start == "2025-09-22"


def test_an_iso_datetime_is_cut_to_its_date() -> None:
    assert resolve_time("yesterday", "2025-09-27T23:10:00+00:00").start == "2025-09-26"


def test_a_bad_publication_date_says_what_to_give() -> None:
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        find_times("on Monday", "27/09/2025")


# --- without a publication date ---------------------------------------------------------------------

@pytest.mark.parametrize("expr, granularity", [
    ("on Monday", "day"), ("last month", "month"), ("since Sept. 2", "range"),
    ("in weeks", "approximate"), ("earlier this month", "range"), ("several weeks ago", "approximate"),
    ("yesterday", "day"), ("Dec. 28", "day"), ("in March", "month"), ("over the weekend", "range"),
])
def test_relative_expressions_keep_no_dates_without_publication(expr: str, granularity: str) -> None:
    assert dates(resolve_time(expr, None)) == (None, None, granularity)


@pytest.mark.parametrize("expr, expected", [
    ("September 2, 2025", ("2025-09-02", "2025-09-02", "day")),
    ("in 1994", ("1994-01-01", "1994-12-31", "year")),
    ("December 2025", ("2025-12-01", "2025-12-31", "month")),
    ("since 2001", ("2001-01-01", None, "range")),
])
def test_absolute_dates_resolve_without_publication(expr: str, expected: tuple) -> None:
    assert dates(resolve_time(expr, None)) == expected


def test_resolve_time_uses_the_longest_expression_inside_a_phrase() -> None:
    span = resolve_time("Since the attacks earlier this month", PUB)
    assert span.text == "Since the attacks earlier this month"
    assert dates(span) == ("2025-09-01", "2025-09-27", "range")


def test_resolve_time_without_an_expression_gives_nothing() -> None:
    assert resolve_time("already", PUB) == TimeSpan("already", None, None, None)


# --- boundaries ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, expected", [
    ("Trump has announced at least three strikes since Sept. 2, killing 17.", ["since Sept. 2"]),
    ("“We’ll see,” Trump said earlier this month when asked.", ["earlier this month"]),
    ("Last month, the government rolled out a bounty.", ["Last month"]),
    ("Several weeks ago, Maduro inked a letter.", ["Several weeks ago"]),
    ("Leavitt told reporters on Monday.", ["on Monday"]),
    ("They are drafting plans to strike, potentially in weeks, officials said.", ["potentially in weeks"]),
    ("The leaders met in late November.", ["in late November"]),
    ("Kashmiri groups denied a role in Thursday's attack.", ["Thursday's"]),
    ("The militia that conducted last year's coup", ["last year's"]),
    ("Protesters rallied on Monday night and again overnight.", ["on Monday night", "overnight"]),
    ("The fire was lit at about 11:00pm (ACDT) last night.", ["at about 11:00pm (ACDT) last night"]),
    ("Talks ran from Sept. 2 to Sept. 5 in Doha.", ["from Sept. 2 to Sept. 5"]),
])
def test_whole_expressions_are_returned(sentence: str, expected: list[str]) -> None:
    assert texts(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "The minister may resign.",
    "Theresa May spoke to reporters.",
    "Protesters march through the capital.",
    "Protesters March on the palace.",
    "During the 2024 campaign, Trump pledged to act.",
    "Resolution 1373 was adopted after 9/11.",
    "He was 20 years old and had served for three years.",
    "Turnout rose to 2024 voters, or 35 percent.",
    "The next day, the army withdrew.",
    "They sent 2000 troops and 17 ships.",
    "The 15-year-old was held for a week.",
])
def test_not_times(sentence: str) -> None:
    assert texts(sentence) == []


def test_offsets_point_into_the_text() -> None:
    sentence = "Since the attacks earlier this month, the US has moved ships; on Monday it struck again."
    for start, end, span in find_times(sentence, PUB):
        assert sentence[start:end] == span.text


def test_months_in_capitals_count_but_lower_case_ones_do_not() -> None:
    assert texts("It happened in MARCH and in march.") == ["in MARCH"]


# --- properties over many publication dates ------------------------------------------------------------

def _publication_dates(n: int = 200) -> list[date]:
    rng = random.Random(20250927)
    first = date(1990, 1, 1)
    return [first + timedelta(days=rng.randrange(365 * 45)) for _ in range(n)]


@pytest.mark.parametrize("pub", _publication_dates())
def test_a_bare_weekday_is_the_latest_one_on_or_before_publication(pub: date) -> None:
    for index, name in enumerate(WEEKDAYS):
        day = date.fromisoformat(resolve_time(f"on {name}", pub.isoformat()).start)
        assert day.weekday() == index
        assert 0 <= (pub - day).days <= 6


@pytest.mark.parametrize("pub", _publication_dates())
def test_calendar_units_tile_the_calendar(pub: date) -> None:
    last = resolve_time("last month", pub.isoformat())
    this = resolve_time("this month", pub.isoformat())
    assert date.fromisoformat(last.end) + timedelta(days=1) == date.fromisoformat(this.start)
    assert date.fromisoformat(this.start).day == 1 and date.fromisoformat(this.start) <= pub
    week = resolve_time("last week", pub.isoformat())
    start, end = date.fromisoformat(week.start), date.fromisoformat(week.end)
    assert start.weekday() == 0 and (end - start).days == 6 and end < pub <= end + timedelta(days=7)


@pytest.mark.parametrize("pub", _publication_dates(60))
def test_windows_hold_together(pub: date) -> None:
    iso = pub.isoformat()
    for expr in ("since Sept. 2", "earlier this month", "over the weekend", "several weeks ago",
                 "in weeks", "in the past few days", "on December 28", "three days ago"):
        span = resolve_time(expr, iso)
        start, end = date.fromisoformat(span.start), date.fromisoformat(span.end)
        assert start <= end, expr
        if expr != "in weeks":
            assert end <= pub, expr
        else:
            assert start == pub + timedelta(days=1)


def test_since_looks_back_even_in_a_future_sentence():
    """"will free soldiers captured since January": the capture is past, whatever "will" says."""
    [(_, _, span)] = find_times("the rebels will free 40 soldiers captured since January", "2025-06-30")
    assert (span.start, span.end) == ("2025-01-01", "2025-06-30")


# --- news-style calendar expressions (TimeBank-driven rules) ------------------------------------------

WSJ = "1989-11-02"   # a Thursday, in the fourth quarter


def span_of(sentence: str, published: str = WSJ) -> tuple[str, str | None, str | None, str | None]:
    """The one expression in ``sentence`` as (text, start, end, granularity)."""
    [(start, end, span)] = find_times(sentence, published)
    return sentence[start:end], span.start, span.end, span.granularity


@pytest.mark.parametrize("sentence, expected", [
    ("Net income in the third quarter jumped 63%.",
     ("in the third quarter", "1989-07-01", "1989-09-30", "quarter")),
    ("Citadel posted a third-quarter net loss.", ("third-quarter", "1989-07-01", "1989-09-30", "quarter")),
    ("It expects a fourth-quarter charge.", ("fourth-quarter", "1989-10-01", "1989-12-31", "quarter")),
    ("Sales will rise in the first quarter.",
     ("in the first quarter", "1990-01-01", "1990-03-31", "quarter")),
    ("It lost money in the 1988 second quarter.",
     ("in the 1988 second quarter", "1988-04-01", "1988-06-30", "quarter")),
    ("It lost money in the second quarter of 1988.",
     ("in the second quarter of 1988", "1988-04-01", "1988-06-30", "quarter")),
    ("Profit rose in the fourth quarter of last year.",
     ("in the fourth quarter of last year", "1988-10-01", "1988-12-31", "quarter")),
    ("Results for the first half of 1990 will be weak.",
     ("for the first half of 1990", "1990-01-01", "1990-06-30", "range")),
    ("It earned $10 million in the year-ago quarter.",
     ("in the year-ago quarter", "1988-07-01", "1988-09-30", "quarter")),
    ("In the year-earlier third quarter it earned $1 million.",
     ("In the year-earlier third quarter", "1988-07-01", "1988-09-30", "quarter")),
    ("Losses grew in the latest quarter.",
     ("in the latest quarter", "1989-07-01", "1989-09-30", "quarter")),
    ("The loss for the quarter was $5 million.", ("for the quarter", "1989-07-01", "1989-09-30", "quarter")),
    ("Prices rose this quarter.", ("this quarter", "1989-10-01", "1989-12-31", "quarter")),
    ("Orders should recover next quarter.", ("next quarter", "1990-01-01", "1990-03-31", "quarter")),
])
def test_quarters_and_halves(sentence: str, expected: tuple) -> None:
    assert span_of(sentence) == expected


def test_a_fiscal_quarter_is_approximate() -> None:
    assert span_of("It lost money in the fiscal first quarter.")[3] == "approximate"


@pytest.mark.parametrize("sentence", [
    "He scored in the first half of the match.",
    "The first quarter of the century was calm.",
    "Residents of the quarter fled.",
    "Fighting raged in the quarter.",
])
def test_quarters_that_are_not_times(sentence: str) -> None:
    assert texts(sentence, WSJ) == []


@pytest.mark.parametrize("sentence, expected", [
    ("In fiscal 1989, Elco earned $7.8 million.", ("In fiscal 1989", "1989-01-01", "1989-12-31")),
    ("Sales rose in fiscal year 1988.", ("in fiscal year 1988", "1988-01-01", "1988-12-31")),
    ("Sales rose in the 1988 fiscal year.", ("in the 1988 fiscal year", "1988-01-01", "1988-12-31")),
    ("Sales in the current fiscal year will be flat.",
     ("in the current fiscal year", "1989-01-01", "1989-12-31")),
    ("Earnings fell last fiscal year.", ("last fiscal year", "1988-01-01", "1988-12-31")),
    ("It expects to close the deal by year-end.", ("by year-end", "1989-12-01", "1989-12-31")),
])
def test_fiscal_years_and_year_end_are_approximate(sentence: str, expected: tuple) -> None:
    assert span_of(sentence) == (*expected, "approximate")


@pytest.mark.parametrize("sentence, published, expected", [
    ("Slepian was killed last fall.", "1999-04-10", ("last fall", "1998-09-01", "1998-11-30")),
    ("They pledged to protest this summer.", "1998-03-22", ("this summer", "1998-06-01", "1998-08-31")),
    ("Snow fell this winter.", "1998-01-20", ("this winter", "1997-12-01", "1998-02-28")),
    ("Snow will fall this winter.", "1998-10-20", ("this winter", "1998-12-01", "1999-02-28")),
    ("Prices peaked in the winter of 1994.", "1998-02-23",
     ("in the winter of 1994", "1994-12-01", "1995-02-28")),
    ("The trial opens next spring.", "1998-10-20", ("next spring", "1999-03-01", "1999-05-31")),
    ("Talks resume in early summer 1999.", "1998-10-20",
     ("in early summer 1999", "1999-06-01", "1999-06-30")),
    ("The strike began last spring.", "1998-04-20", ("last spring", "1997-03-01", "1997-05-31")),
    ("Crops fail in the spring.", "1998-10-20", ("in the spring", "1998-03-01", "1998-05-31")),
])
def test_seasons_are_approximate_months(sentence: str, published: str, expected: tuple) -> None:
    assert span_of(sentence, published) == (*expected, "approximate")


@pytest.mark.parametrize("sentence, expected", [
    ("Prices fall sharply.", []),
    ("Oil prices fall in March trading.", ["in March"]),
    ("He won gold at the Summer Olympics.", []),
    ("The Arab Spring began in Tunisia.", []),
])
def test_season_words_that_are_not_times(sentence: str, expected: list) -> None:
    assert texts(sentence, WSJ) == expected


@pytest.mark.parametrize("expr, published, expected", [
    ("in the early 1980s", WSJ, ("1980-01-01", "1983-05-01", "approximate")),
    ("the mid-1990s", WSJ, ("1993-05-02", "1996-08-30", "approximate")),
    ("the nineties", "1998-03-03", ("1990-01-01", "1999-12-31", "range")),
    ("the nineties", "1989-12-30", ("1990-01-01", "1999-12-31", "range")),
    ("the '90s", "2025-01-01", ("1990-01-01", "1999-12-31", "range")),
    ("the twenties", "2025-01-01", ("2020-01-01", "2029-12-31", "range")),
    ("the 20th century", WSJ, ("1900-01-01", "1999-12-31", "range")),
    ("the 11th century", WSJ, ("1000-01-01", "1099-12-31", "range")),
    ("the twentieth century", WSJ, ("1900-01-01", "1999-12-31", "range")),
    ("this century", "2025-09-27", ("2000-01-01", "2099-12-31", "range")),
])
def test_decades_and_centuries(expr: str, published: str, expected: tuple) -> None:
    assert dates(resolve_time(expr, published)) == expected


def test_decades_in_words_need_the() -> None:
    assert texts("She died in her late nineties.", WSJ) == []


@pytest.mark.parametrize("sentence, published, expected", [
    ("Elian was found on Thanksgiving Day.", "2000-01-07", ("on Thanksgiving Day", "1999-11-25")),
    ("He was found last Thanksgiving.", "2000-02-10", ("last Thanksgiving", "1999-11-25")),
    ("Bombs hit churches on Easter Sunday.", "2019-04-23", ("on Easter Sunday", "2019-04-21")),
    ("The ceasefire ended on Christmas Eve.", "2024-01-03", ("on Christmas Eve", "2023-12-24")),
    ("Talks resume after New Year's Day.", "2024-12-10", ("after New Year's Day", "2025-01-02")),
    ("Easter 1998 fell early.", "2000-01-01", ("Easter 1998", "1998-04-12")),
])
def test_holidays(sentence: str, published: str, expected: tuple) -> None:
    assert span_of(sentence, published)[:2] == expected


@pytest.mark.parametrize("year, easter", [(1989, "1989-03-26"), (2000, "2000-04-23"),
                                          (2019, "2019-04-21"), (2025, "2025-04-20")])
def test_easter_follows_the_gregorian_computus(year: int, easter: str) -> None:
    assert resolve_time(f"Easter {year}", None).start == easter


def test_a_holiday_name_inside_a_noun_is_not_a_time() -> None:
    assert texts("Christmas shopping slowed.", WSJ) == []


@pytest.mark.parametrize("sentence, expected", [
    ("Kopp is now the second suspect.", ("now", "1989-11-02", "1989-11-02")),
    ("Currently, organs are rationed by region.", ("Currently", "1989-11-02", "1989-11-02")),
    ("The search was recently extended to Mexico.", ("recently", None, "1989-11-02")),
    ("In the past, Russia claimed otherwise.", ("In the past", None, "1989-11-02")),
    ("The budget will soon move into surplus.", ("soon", "1989-11-03", None)),
    ("Such groups may grow in the future.", ("in the future", "1989-11-03", None)),
])
def test_references_to_publication_time(sentence: str, expected: tuple) -> None:
    assert span_of(sentence) == (*expected, "reference")


@pytest.mark.parametrize("sentence", [
    "Return the boy as soon as possible.",
    "He was killed soon after being captured.",
    "It is a relic of the past.",
    "They fear for the future of the town.",
])
def test_references_that_are_not_times(sentence: str) -> None:
    assert texts(sentence, WSJ) == []


@pytest.mark.parametrize("sentence, expected", [
    ("Talks were held in 1994, 1995 and 1997.", ["in 1994", "1995", "1997"]),
    ("The rules follow the Act of 1989.", ["1989"]),
    ("The shootings date back to 1994.", ["1994"]),
])
def test_bare_years_in_lists_after_of_and_ending_a_phrase(sentence: str, expected: list) -> None:
    assert texts(sentence, WSJ) == expected


@pytest.mark.parametrize("sentence", ["The council passed Resolution 1996.",
                                      "The 1996 Olympic bombing killed one person."])
def test_years_that_name_things_are_not_times(sentence: str) -> None:
    assert texts(sentence, WSJ) == []


def test_last_before_a_date_is_the_latest_one() -> None:
    assert span_of("He was shot last Oct. 23 at home.", "1999-04-19")[:2] == ("last Oct. 23", "1998-10-23")


def test_a_range_without_from_joins_only_like_with_like() -> None:
    assert texts("After a revision Friday to December's figures, jobs rose.", WSJ) == ["Friday"]
    assert texts("The office is closed Monday to Wednesday.", WSJ) == ["Monday to Wednesday"]
    assert texts("It ruled from 1991 to 1997.", WSJ) == ["from 1991 to 1997"]


# --- tense and the year of a date named without one -----------------------------------------------------

@pytest.mark.parametrize("sentence, published, start", [
    # the cue nearest the expression counts: "said" is past, "will" after it future
    ("Officials said Monday they will meet on Friday.", PUB, "2025-10-03"),
    ("The company will report results, it said on Friday.", PUB, "2025-09-26"),
    # a passive participle takes its auxiliary's tense; a word in -ed after "the" is no verb
    ("The dividend will be paid Dec. 14.", "1989-10-26", "1989-12-14"),
    ("The father would be traveling to the United States Thursday.", "2000-04-05", "2000-04-06"),
    # a sentence opener takes the first cue after it
    ("In September, it announced plans to buy the company.", "1989-10-30", "1989-09-01"),
    # "due to" is a cause, not a schedule
    ("It cut the dividend due to its third-quarter loss.", WSJ, "1989-07-01"),
    # forward hedges and deadlines
    ("The group could leave as soon as Tuesday, Castro said.", "2000-04-03", "2000-04-04"),
    ("The boy must go home by Jan. 14.", "2000-01-07", "2000-01-14"),
])
def test_tense_cues(sentence: str, published: str, start: str) -> None:
    found = find_times(sentence, published)
    assert found[-1][2].start == start, found


def test_a_date_just_after_publication_is_the_coming_one_in_a_sentence() -> None:
    """News gives the year of older dates: "payable Jan. 2" in November is next January."""
    assert span_of("The dividend is payable Jan. 2.")[1] == "1990-01-02"
    assert span_of("The dividend was declared, payable Dec. 15.")[1] == "1989-12-15"
    assert span_of("Closing is expected in December.")[1:3] == ("1989-12-01", "1989-12-31")
    # beyond the window, or read alone, the latest one before publication
    assert span_of("The plant opened on March 3.")[1] == "1989-03-03"
    assert resolve_time("Jan. 2", WSJ).start == "1989-01-02"


CUE_SAMPLES = (
    "On Monday, Sept. 22, 2025, and 28 December 2024, in March 2023, late November, in 1994,",
    "the 1990s, the early '80s, the nineties, last Tuesday night, early today, this morning,",
    "overnight, during the day, earlier this month, the end of last year, the past two weeks,",
    "over the weekend, several weeks ago, in three days, within days, in recent weeks, the third",
    "quarter, the first half of 1990, the latest quarter, fiscal 1989, the current fiscal year,",
    "by year-end, last fall, the winter of 1994, the 20th century, now, recently, in the future,",
    "on Thanksgiving Day, New Year’s Day, Valentine's Day, OCTOBER 3, SEPT. 2, MONDAY.",
)


def test_every_match_holds_a_cue_word_of_its_rule() -> None:
    """The cue words only let a rule skip sentences it cannot match; they must never hide a match."""
    from eventwire.nlp.times import _rules
    text = " ".join(CUE_SAMPLES)
    matched = set()
    for rule in _rules():
        for m in rule.pattern.finditer(text):
            matched.add(rule.name)
            assert not rule.cue or any(w in m.group(0).lower() for w in rule.cue), (rule.name, m.group(0))
    assert len(matched) >= 20
