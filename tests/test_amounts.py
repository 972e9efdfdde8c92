"""Tests of eventwire.nlp.amounts: number phrases, their bounds, and the keys they fill."""
from __future__ import annotations

import random

import pytest

from eventwire.nlp.amounts import find_amounts, number_value, parse_amount
from eventwire.model import MAGNITUDE_KEYS, Amount

UNITS = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def found(sentence: str) -> list[tuple[str, str, float | None, float | None, str | None]]:
    """(key, text, min, max, unit) for each magnitude, in text order."""
    return [(key, a.text, a.min, a.max, a.unit) for _, _, key, a in find_amounts(sentence)]


# --- parse_amount ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, low, high, unit", [
    ("at least 17 people", 17, None, None),
    ("about 500", 500, 500, None),
    ("more than 220", 221, None, None),
    ("three", 3, 3, None),
    ("up to 500", None, 500, None),
    ("as many as 5,000", None, 5000, None),
    ("fewer than 10", None, 9, None),
    ("50 to 60", 50, 60, None),
    ("between 50 and 60", 50, 60, None),
    ("at least 50 to 60 detainees", 50, 60, None),
    ("two or three", 2, 3, None),
    ("several", 3, None, None),
    ("dozens", 24, None, None),
    ("scores", 40, None, None),
    ("hundreds", 200, None, None),
    ("thousands", 2000, None, None),
    ("tens of thousands", 20000, None, None),
    ("nearly 100", 100, 100, None),
    ("around 100", 100, 100, None),
    ("$50 million", 50_000_000, 50_000_000, "USD"),
    ("50 million dollars", 50_000_000, 50_000_000, "USD"),
    ("US$2 billion", 2_000_000_000, 2_000_000_000, "USD"),
    ("£3m", 3_000_000, 3_000_000, "GBP"),
    ("€10 million", 10_000_000, 10_000_000, "EUR"),
    ("1.5 billion euros", 1_500_000_000, 1_500_000_000, "EUR"),
    ("5.775 trillion rupiah", 5_775_000_000_000, 5_775_000_000_000, "IDR"),
    ("more than $1.5 million", 1_500_001, None, "USD"),
    ("millions of dollars", 2_000_000, None, "USD"),
    ("a dozen", 12, 12, None),
    ("half a dozen", 6, 6, None),
    ("two dozen", 24, 24, None),
    ("more than two dozen militants", 25, None, None),
    ("one", 1, 1, None),
    ("a", 1, 1, None),
    ("an", 1, 1, None),
    ("at least one", 1, None, None),
    ("15,000", 15000, 15000, None),
    ("1.5 million", 1_500_000, 1_500_000, None),
    ("two hundred and fifty", 250, 250, None),
    ("twenty-five", 25, 25, None),
    ("Fifteen", 15, 15, None),
])
def test_parse_amount(text: str, low: float | None, high: float | None, unit: str | None) -> None:
    assert parse_amount(text) == Amount(text, low, high, unit)


def test_parse_amount_without_a_number_is_none() -> None:
    assert parse_amount("multiple F-35 fighter jets") is None


def test_whole_numbers_are_ints() -> None:
    amount = parse_amount("$50 million")
    assert isinstance(amount.min, int) and amount.to_dict()["min"] == 50_000_000


# --- find_amounts: the keys -------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, expected", [
    ("Seventeen people were killed.", [("killed", "Seventeen people", 17, 17)]),
    ("17 people killed in the blast", [("killed", "17 people", 17, 17)]),
    ("The strikes ended, killing at least 17 people.", [("killed", "at least 17 people", 17, None)]),
    ("At least 17 dead after the bombing.", [("killed", "At least 17 dead", 17, None)]),
    ("The death toll rose to 40.", [("killed", "40", 40, 40)]),
    ("Troops shot dead a Palestinian security officer.",
     [("killed", "a Palestinian security officer", 1, 1)]),
    ("Israeli forces killed three Palestinians.", [("killed", "three Palestinians", 3, 3)]),
    ("The gunmen opened fire, wounding 12.", [("injured", "12", 12, 12)]),
    ("12 injured in the crash", [("injured", "12", 12, 12)]),
    ("Three others were hurt.", [("injured", "Three others", 3, 3)]),
    ("The attack injured one policeman slightly.", [("injured", "one policeman", 1, 1)]),
    ("15 detention centre officers were treated for smoke inhalation.",
     [("injured", "15 detention centre officers", 15, 15)]),
    ("Police arrested 15 people.", [("arrested", "15 people", 15, 15)]),
    ("There were 15 arrests.", [("arrested", "15 arrests", 15, 15)]),
    ("Police detained 20 suspects.", [("arrested", "20 suspects", 20, 20)]),
    ("Later police arrested three 15-year-old boys.", [("arrested", "three 15-year-old boys", 3, 3)]),
    ("More than 40 people were arrested.", [("arrested", "More than 40 people", 41, None)]),
    ("The floods displaced 5,000.", [("displaced", "5,000", 5000, 5000)]),
    ("5,000 refugees fled across the border.", [("displaced", "5,000 refugees", 5000, 5000)]),
    ("Thousands of protesters marched on parliament.",
     [("participants", "Thousands of protesters", 2000, None)]),
    ("Police dispersed a crowd of 2,000.", [("participants", "2,000", 2000, 2000)]),
    ("Tens of thousands of people rallied in the capital.",
     [("participants", "Tens of thousands of people", 20000, None)]),
    ("Trump has announced at least three strikes against alleged drug boats.",
     [("events", "at least three strikes", 3, None)]),
    ("There were two attacks overnight.", [("events", "two attacks", 2, 2)]),
    ("It followed two earlier demonstrations.", [("events", "two earlier demonstrations", 2, 2)]),
    ("The US has moved at least eight ships to the region.", [("vessels", "at least eight ships", 8, None)]),
    ("The navy sent two warships and three boats.",
     [("vessels", "two warships", 2, 2), ("vessels", "three boats", 3, 3)]),
    ("It dispatched four helicopters and two planes.",
     [("aircraft", "four helicopters", 4, 4), ("aircraft", "two planes", 2, 2)]),
    ("A B-52 bomber circled the caves.", [("aircraft", "A B-52 bomber", 1, 1)]),
    ("Two F-35 fighters and two F-16s took off.",
     [("aircraft", "Two F-35 fighters", 2, 2), ("aircraft", "two F-16s", 2, 2)]),
    ("The US deployed 5,000 troops.", [("personnel", "5,000 troops", 5000, 5000)]),
    ("200 soldiers and 1,000 police officers were sent.",
     [("personnel", "200 soldiers", 200, 200), ("personnel", "1,000 police officers", 1000, 1000)]),
    ("Up to 500 Al Qaeda fighters fled.", [("personnel", "Up to 500 Al Qaeda fighters", None, 500)]),
    ("a 3,000-strong force", [("personnel", "3,000-strong", 3000, 3000)]),
    ("Around 100 British Royal Marine commandos landed.",
     [("personnel", "Around 100 British Royal Marine commandos", 100, 100)]),
    ("Hundreds of anti-Taliban troops moved in.", [("personnel", "Hundreds of anti-Taliban troops", 200, None)]),
    ("They killed more than two dozen militants.", [("killed", "more than two dozen militants", 25, None)]),
    ("Police killed the three gunmen.", [("killed", "three gunmen", 3, 3)]),
])
def test_find_amounts_keys(sentence: str, expected: list[tuple]) -> None:
    assert [f[:4] for f in found(sentence)] == expected


@pytest.mark.parametrize("sentence, amount, code", [
    ("The US rolled out a $50 million bounty.", "$50 million", "USD"),
    ("It pledged 50 million dollars.", "50 million dollars", "USD"),
    ("The fund holds US$2 billion.", "US$2 billion", "USD"),
    ("The council spent £3m on repairs.", "£3m", "GBP"),
    ("Brussels offered €10 million.", "€10 million", "EUR"),
    ("Jakarta fined it 5.775 trillion rupiah.", "5.775 trillion rupiah", "IDR"),
])
def test_money_gets_its_currency(sentence: str, amount: str, code: str) -> None:
    [(key, text, low, high, unit)] = found(sentence)
    assert (key, text, unit) == ("money", amount, code)
    assert low == high == parse_amount(amount).min


@pytest.mark.parametrize("sentence, expected", [
    ("The blast killed 5 people and wounded 12 others.",
     [("killed", "5 people"), ("injured", "12 others")]),
    ("The gunmen opened fire, killing 5 and wounding 12.", [("killed", "5"), ("injured", "12")]),
    ("Four people were killed and eight others injured.",
     [("killed", "Four people"), ("injured", "eight others")]),
    ("At least 20 people were killed and hundreds injured in riots.",
     [("killed", "At least 20 people"), ("injured", "hundreds")]),
    ("At least four people, including two policemen, have been killed.",
     [("killed", "At least four people"), ("killed", "two policemen")]),
])
def test_killed_and_injured_each_get_their_own(sentence: str, expected: list[tuple]) -> None:
    assert [f[:2] for f in found(sentence)] == expected


# --- find_amounts: numbers that are not counts ---------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "In 2001, the council met in Geneva.",
    "The attacks of 2001 changed everything.",
    "Resolution 1373 obliges states to act.",
    "The US dispatched multiple F-35 fighter jets.",
    "It was the worst attack since 9/11.",
    "John Smith, 20, was arrested on Friday.",
    "The suspect, aged 35, was detained.",
    "He is 20 years old and was detained.",
    "Unemployment rose 20% and 15 percent of troops left.",
    "It was the third strike in a week.",
    "Call 555-1234 for details.",
    "The blast happened at 10:30 a.m. on September 11.",
    "Flight 93 crashed in a field.",
    "The vote was 15 to 0 in favour.",
    "Several weeks ago the talks began.",
    "They fought for three years and walked 20 kilometres.",
    "No one was hurt.",
    "One official said the talks failed.",
    "He said a detention system was cruel.",
    "Jesus was a refugee, he said.",
    "Police were trying to arrest a wanted man.",
    "It was a series of raids.",
    "Officials said 17 times that the talks failed.",
])
def test_not_counts(sentence: str) -> None:
    assert find_amounts(sentence) == []


def test_an_age_is_not_the_count() -> None:
    assert found("A 20-year-old man was arrested.") == [("arrested", "A 20-year-old man", 1, 1, None)]


def test_a_year_before_a_counted_noun_is_a_count() -> None:
    assert found("Police said 2000 protesters marched.") == [("participants", "2000 protesters", 2000, 2000, None)]


# --- properties ----------------------------------------------------------------------------------------

def _word(n: int) -> str:
    """1..99 in words, hyphenated the usual way."""
    if n < 10:
        return UNITS[n]
    teens = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
             "eighteen", "nineteen")
    if n < 20:
        return teens[n - 10]
    return TENS[n // 10] + (f"-{UNITS[n % 10]}" if n % 10 else "")


@pytest.mark.parametrize("n", range(1, 100))
def test_number_words_read_back(n: int) -> None:
    assert number_value(_word(n)) == n
    assert parse_amount(f"at least {_word(n)} people") == Amount(f"at least {_word(n)} people", n, None)


def _random_counts(k: int = 150) -> list[int]:
    rng = random.Random(17)
    return [rng.randrange(1, 10_000_000) for _ in range(k)]


@pytest.mark.parametrize("n", _random_counts())
def test_digits_with_commas_read_back(n: int) -> None:
    assert parse_amount(f"{n:,}") == Amount(f"{n:,}", n, n)
    assert parse_amount(f"more than {n:,}").min == n + 1
    assert parse_amount(f"up to {n:,}").max == n


@pytest.mark.parametrize("n", _random_counts(60))
def test_found_texts_are_the_text_at_their_offsets(n: int) -> None:
    sentence = (f"Officials said {n:,} soldiers were deployed and {n % 90 + 2} people were killed "
                f"after a ${n:,} bounty was offered in 2019.")
    results = find_amounts(sentence)
    assert [key for _, _, key, _ in results] == ["personnel", "killed", "money"]
    for start, end, key, amount in results:
        assert sentence[start:end] == amount.text
        assert key in MAGNITUDE_KEYS


@pytest.mark.parametrize("year", range(1800, 2100, 7))
def test_years_alone_are_never_counts(year: int) -> None:
    assert find_amounts(f"In {year}, officials met, and by {year} the war had ended.") == []
