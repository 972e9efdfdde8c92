"""Magnitudes: how many were killed, hurt, arrested, displaced, deployed or paid.

``parse_amount`` turns one number phrase into bounds, as the guide reads
them (1.2a, 1.6): "at least 17" is min 17 and no max, "more than 220" is min
221, "dozens" is min 24, "$50 million" is 50,000,000 USD. ``find_amounts``
scans a sentence for number phrases, finds the noun each one counts ("at least
eight ships") and the verb around it ("killing at least 17 people", "three
others were hurt"), and decides which magnitude key it fills. Numbers that
count nothing the keys care about, and numbers that are not counts at all
(years, dates, clock times, ages, percentages, "Resolution 1373", "F-35",
"9/11"), are left out: a wrong toll is worse than none.

All the words live in ``data/amounts.yaml``; this module holds the grammar.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Iterable

from ..model import Amount
from .lexicon import read_yaml

Found = tuple[int, int, str, Amount]
Number = int | float

# Nouns of these categories fill their own key whatever the verb says.
NOUN_KEYS = frozenset({"events", "vessels", "aircraft", "killed", "injured", "arrested", "displaced"})
# Verbs that say what happened to people; they outrank what the people are.
HARM_KEYS = ("killed", "injured", "arrested", "displaced")
MAX_NOUN_WORDS = 6

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# A word after a number: "U.S.", "anti-Taliban", "F-35", "people's", "15-year-old".
_TOKEN = re.compile(r"[ \t\u00a0]+((?:[A-Za-z]\.){2,}|[A-Za-z][\w'’-]*[\w]|[A-Za-z]"
                    r"|\d+(?:-[A-Za-z]+)+)")
_NOT_COUNT_AFTER = re.compile(
    r"(?:\s*(?:%|percent\b|per\s*cent\b|pc\b|percentage)|(?:st|nd|rd|th)\b|[/:]\d|-\d"
    r"|-?\s*(?:years?|months?|weeks?|days?)[-\s]old\b"
    r"|\s*(?:a\.m\.|p\.m\.|am\b|pm\b|o'clock\b|GMT\b|UTC\b)"
    r"|-(?:year|month|week|day|hour|minute|mile|km|kilometre|kilometer|metre|meter|foot|feet"
    r"|inch|page|point|member|nation|seat|storey|story|lane|ton|tonne|pound|kg|man|woman))",
    re.IGNORECASE)
_STRONG = re.compile(r"-strong\b", re.IGNORECASE)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“‘(—–-])\s*$")


@dataclass(frozen=True)
class _Words:
    """The lexicon of data/amounts.yaml, with the regular expressions built from it."""

    numbers: dict[str, int]
    multipliers: dict[str, int]
    scales: dict[str, int]
    short_scales: dict[str, int]
    phrases: dict[str, int]
    vague: dict[str, int]
    vague_direct: frozenset[str]
    qualifiers: dict[str, str]
    symbols: dict[str, str]
    currency_words: dict[str, str]
    heads: dict[str, str]
    states: dict[str, str]
    stopwords: frozenset[str]
    verb_words: frozenset[str]
    modifiers: frozenset[str]
    not_counted: frozenset[str]
    labels: frozenset[str]
    article_keys: frozenset[str]
    calendar: frozenset[str]
    months: frozenset[str]
    aircraft_model: re.Pattern[str]
    before: dict[str, re.Pattern[str]]
    after: dict[str, re.Pattern[str]]
    phrase_re: re.Pattern[str]
    money_re: re.Pattern[str]


# --- public API -------------------------------------------------------------------------------

def parse_amount(text: str) -> Amount | None:
    """A number phrase as an Amount: "at least 17 people" is min 17, max None.

    The first number phrase in ``text`` is read; the Amount keeps ``text`` as
    given. Money gets its ISO currency code as ``unit``. None when there is
    no number in the text.
    """
    words = _words()
    money = words.money_re.search(text)
    if money:
        low, high, unit = _money_bounds(money, words)
        return Amount(text.strip(), low, high, unit)
    for m in words.phrase_re.finditer(text):
        bounds = _phrase_bounds(m, words)
        if bounds:
            return Amount(text.strip(), bounds[0], bounds[1], None)
    return None


def find_amounts(text: str) -> list[Found]:
    """Every magnitude in a sentence: (start, end, key, Amount), in text order.

    ``key`` is one of model.MAGNITUDE_KEYS; the Amount's text is
    ``text[start:end]``, the number phrase with the noun it counts ("at least
    17 people", "$50 million").
    """
    words = _words()
    found = [_money_found(m, words) for m in words.money_re.finditer(text)]
    for m in words.phrase_re.finditer(text):
        if any(m.start() < f[1] and f[0] < m.end() for f in found):
            continue    # inside money, or inside the noun of an earlier count
        reading = _count_found(text, m, words)
        if reading:
            found.append(reading)
    return sorted(found, key=lambda f: f[0])


def number_value(text: str) -> Number | None:
    """The value of a number written in digits or words ("15,000", "twenty-five", "a dozen")."""
    value = _number(text, _words())
    return None if value is None else _plain(value)


def number_words() -> frozenset[str]:
    """Every word that can be part of a number written in words (for other stages' grammars)."""
    words = _words()
    return frozenset([*words.numbers, *words.multipliers, *words.scales])


# --- reading numbers ----------------------------------------------------------------------------

def _number(text: str, words: _Words) -> Decimal | None:
    """A number in digits ("1.5 million") or words ("two hundred and fifty")."""
    low = " ".join(text.lower().split())
    if low in words.phrases:
        return Decimal(words.phrases[low])
    head, _, rest = low.partition(" ")
    try:
        value = Decimal(head.replace(",", ""))
    except InvalidOperation:
        return _word_number(re.split(r"[\s-]+", low), words)
    if not rest:
        return value
    scale = words.scales.get(rest) or words.multipliers.get(rest)
    return value * scale if scale else None


def _word_number(tokens: list[str], words: _Words) -> Decimal | None:
    """Add up number words the usual way: groups closed by thousand, million, ..."""
    total, group = 0, 0
    for i, tok in enumerate(tokens):
        if tok in ("a", "an") and i == 0:
            group = 1
        elif tok == "and":
            continue
        elif tok in words.numbers:
            group += words.numbers[tok]
        elif tok in words.multipliers:
            group = (group or 1) * words.multipliers[tok]
        elif tok in words.scales:
            total, group = total + (group or 1) * words.scales[tok], 0
        else:
            return None
    return Decimal(total + group)


def _plain(value: Decimal) -> Number:
    """Whole numbers as int, so that 17 prints as 17."""
    return int(value) if value == value.to_integral_value() else float(value)


def _bounds(value: Decimal, kind: str | None) -> tuple[Number | None, Number | None]:
    """Apply a qualifier: at least, more than, up to, fewer than, about."""
    if kind == "min":
        return _plain(value), None
    if kind == "above":
        return math.floor(value) + 1, None
    if kind == "max":
        return None, _plain(value)
    if kind == "below":
        return None, math.ceil(value) - 1
    return _plain(value), _plain(value)


def _phrase_bounds(m: re.Match[str], words: _Words) -> tuple[Number | None, Number | None] | None:
    """The bounds of one number-phrase match; None if its number cannot be read."""
    if m["vague"]:
        return words.vague[" ".join(m["vague"].lower().split())], None
    if m["art"]:
        return 1, 1
    lo_text, hi_text = m["lo"] or m["lo2"], m["hi"] or m["hi2"]
    if lo_text and hi_text:
        lo, hi = _number(lo_text, words), _number(hi_text, words)
        return (_plain(lo), _plain(hi)) if lo is not None and hi is not None and lo < hi else None
    value = _number(m["num"], words)
    if value is None:
        return None
    return _bounds(value, _qualifier(m, words))


def _qualifier(m: re.Match[str], words: _Words) -> str | None:
    return words.qualifiers[" ".join(m["qual"].lower().split())] if m["qual"] else None


# --- money -----------------------------------------------------------------------------------------

def _money_bounds(m: re.Match[str], words: _Words) -> tuple[Number | None, Number | None, str]:
    """Bounds and currency code of a money match ("$50 million", "1.5 billion euros")."""
    if m["amt3"]:
        unit = words.currency_words.get(" ".join(m["word"].lower().split()), m["word"].upper())
        vague = words.vague.get(" ".join(m["amt3"].lower().split()))
        if vague:
            return vague, None, unit
        value = _number(m["amt3"], words) or Decimal(0)
    else:
        symbol = m["sym"]
        unit = words.symbols[symbol] if symbol else m["code"].upper()
        value = Decimal((m["amt"] or m["amt2"]).replace(",", ""))
        scale = m["scale"] or m["scale2"]
        short = m["short"] or m["short2"]
        if scale:
            value *= words.scales[scale.lower()]
        elif short:
            value *= words.short_scales[short.lower()]
    low, high = _bounds(value, _qualifier(m, words))
    return low, high, unit


def _money_found(m: re.Match[str], words: _Words) -> Found:
    low, high, unit = _money_bounds(m, words)
    return m.start(), m.end(), "money", Amount(m.group(0), low, high, unit)


# --- counts in a sentence -----------------------------------------------------------------------

@dataclass(frozen=True)
class _Noun:
    """What a number counts: where its noun ends and what kind of noun it is (None: no noun)."""

    end: int
    category: str | None
    state: str | None = None


def _count_found(text: str, m: re.Match[str], words: _Words) -> Found | None:
    """One number phrase in context: its key and Amount, or None when it counts nothing of ours."""
    bounds = _phrase_bounds(m, words)
    if bounds is None or _not_a_count(text, m, words):
        return None
    strong = _STRONG.match(text, m.end())
    if strong and not m["art"] and not m["vague"]:
        return m.start(), strong.end(), "personnel", Amount(text[m.start():strong.end()], *bounds)
    noun = _noun(text, m, words)
    if noun is None or not _year_ok(m, text, noun):
        return None
    key = noun.state or _key(noun.category, _verb_key(text, m.start(), noun.end, words))
    if key is None or (m["art"] and key not in words.article_keys):
        return None
    return m.start(), noun.end, key, Amount(text[m.start():noun.end], *bounds)


def _key(category: str | None, verb: str | None) -> str | None:
    """Decide the magnitude key from what is counted and what happened to it.

    Forces that flee are retreating, not displaced: "displaced" does not
    outrank personnel.
    """
    if category in NOUN_KEYS:
        return category
    if verb in HARM_KEYS and not (category == "personnel" and verb == "displaced"):
        return verb
    if category in ("personnel", "participants"):
        return category
    return verb


def _noun(text: str, m: re.Match[str], words: _Words) -> _Noun | None:
    """The noun a number counts, from the words right after it; None if they count something else."""
    vague = " ".join((m["vague"] or "").lower().split())
    allow_of = bool(vague) and vague not in words.vague_direct
    tokens = _noun_tokens(text, m.end(), words, allow_of)
    if not tokens:
        return None if m["art"] else _Noun(m.end(), None)
    first = tokens[0][2].lower()
    if first in words.states:
        end = tokens[1][1] if len(tokens) > 1 and _head_category(tokens[1][2], words) else tokens[0][1]
        return _Noun(end, None, words.states[first])
    head = _head(tokens, words, single=bool(m["art"]) or (m["num"] or "").lower() == "one")
    if head is None:
        return None
    index, category = head
    return _Noun(tokens[index][1], category)


def _noun_tokens(text: str, pos: int, words: _Words, allow_of: bool) -> list[tuple[int, int, str]]:
    """The run of words after a number that may name what it counts ("Palestinian security officer")."""
    tokens: list[tuple[int, int, str]] = []
    while len(tokens) < MAX_NOUN_WORDS:
        t = _TOKEN.match(text, pos)
        if not t:
            break
        word = t.group(1)
        low = _stem(word).lower()
        if not tokens and allow_of and low == "of":
            allow_of, pos = False, t.end()
            continue
        if _ends_noun(low, bool(tokens), words):
            break
        tokens.append((t.start(1), t.end(1), word))
        pos = t.end()
    return tokens


def _ends_noun(low: str, inside: bool, words: _Words) -> bool:
    """Words that cannot be part of the noun after a number: function words, verbs, dates."""
    if low in words.stopwords or low in words.calendar or (inside and low in words.states):
        return True
    if low in words.heads:
        return False
    if low in words.verb_words:
        return True
    return low.endswith(("ed", "ing", "ly")) and low not in words.modifiers


def _head(tokens: list[tuple[int, int, str]], words: _Words,
          single: bool) -> tuple[int, str] | None:
    """The last word of the run, when it names a counted thing, and its category.

    Only the last word: in "a detention system" or "three police cars" the
    known noun is a modifier of something else.
    """
    lows = [_stem(t[2]).lower() for t in tokens]
    i = len(tokens) - 1
    for size in (3, 2, 1):
        phrase = " ".join(lows[max(0, i - size + 1):])
        if size <= len(tokens) and phrase in words.heads:
            return i, _aircraft_or(words.heads[phrase], tokens[:i], words)
    if words.aircraft_model.fullmatch(tokens[i][2]):
        return i, "aircraft"
    last = tokens[-1][2]
    if _demonym(last, single):
        return len(tokens) - 1, "people"
    if last.islower() and last.endswith("s") and last not in words.not_counted:
        return len(tokens) - 1, "generic"
    return None


def _aircraft_or(category: str, before: list[tuple[int, int, str]], words: _Words) -> str:
    """ "two F-35 fighters" are aircraft, though "fighters" alone are people."""
    models = any(words.aircraft_model.fullmatch(t[2]) for t in before)
    if category in ("personnel", "people") and models:
        return "aircraft"
    return category


def _head_category(word: str, words: _Words) -> str | None:
    return words.heads.get(_stem(word).lower())


def _demonym(word: str, single: bool) -> bool:
    """A capitalised plural such as "Palestinians" (or "Israeli" after "an") names people."""
    if len(word) < 4 or not word[0].isupper() or not word[1:].islower():
        return False
    return single or word.endswith("s")


def _stem(word: str) -> str:
    """Drop a possessive ending: "people's" counts people."""
    return word[:-2] if word.endswith(("'s", "’s")) else word


def _year_ok(m: re.Match[str], text: str, noun: _Noun) -> bool:
    """A bare 1800-2099 is a year unless a counted noun follows right away ("2000 protesters")."""
    if m["qual"] or not m["num"] or not re.fullmatch(r"(?:1[89]|20)\d\d", m["num"]):
        return True
    return noun.category not in (None, "generic") and noun.state is None \
        and not re.search(r"\s\S+\s", text[m.end():noun.end])


def _verb_key(text: str, start: int, end: int, words: _Words) -> str | None:
    """The key a verb next to the phrase gives it: "killing 17" before, "were hurt" after."""
    before = text[max(0, start - 80):start].lower()
    for key, pattern in words.before.items():
        if pattern.search(before):
            return key
    after = text[end:end + 80].lower()
    for key, pattern in words.after.items():
        if pattern.match(after):
            return key
    return None


# --- numbers that are not counts ------------------------------------------------------------------

def _not_a_count(text: str, m: re.Match[str], words: _Words) -> bool:
    """Years are handled later; this catches labels, dates, ages, percentages, clock times, codes."""
    after = text[m.end():]
    if _NOT_COUNT_AFTER.match(after) or _starts_with_calendar(after, words):
        return True
    if m["lo2"] and _looks_like_code(m):
        return True
    return not m["qual"] and (_label_before(text, m.start(), words) or _age(text, m))


def _starts_with_calendar(after: str, words: _Words) -> bool:
    """ "2 September" is a date, not two of anything."""
    t = _TOKEN.match(after)
    return bool(t) and t.group(1).rstrip(".").lower() in words.calendar and t.group(1)[0].isupper()


def _looks_like_code(m: re.Match[str]) -> bool:
    """ "555-1234" is a phone number and "3-1" a score, not ranges."""
    lo, hi = m["lo2"], m["hi2"]
    return "-" in m.group(0) and lo.isdigit() and hi.isdigit() and len(lo) >= 3 and len(hi) >= 4


def _label_before(text: str, start: int, words: _Words) -> bool:
    """ "Resolution 1373", "Flight 93", "aged 20", "no one", "September 11"."""
    prev = re.search(r"(\S+)\s*$", text[:start])
    if not prev:
        return False
    word = prev.group(1)
    low = word.lower()
    if low in words.labels or low.rstrip(".") in words.months:
        return True
    if low in words.calendar or not re.fullmatch(r"[A-Z][A-Za-z]+", word):
        return False
    return not _SENTENCE_START.search(text[:prev.start()])


def _age(text: str, m: re.Match[str]) -> bool:
    """ "John Smith, 20, was arrested": a number between commas after a name is an age."""
    return bool(re.search(r"[A-Z][a-z]+,\s*$", text[:m.start()]) and re.match(r"\s*,", text[m.end():]))


# --- the lexicon ------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _words() -> _Words:
    """Read data/amounts.yaml (and the month and weekday names of data/times.yaml) once."""
    data = read_yaml("amounts.yaml")
    times = read_yaml("times.yaml")
    heads = _heads(data)
    verbs = data["verbs"]
    aside = rf"(?:\s*,\s*(?:{_alt(data['asides'])})\b[^,;.]{{0,80}},)?"
    verb_words = {p.split()[0] for key in verbs.values() for p in key["before"] + key["after"]}
    months = {w.lower() for names in times["months"] for w in names}
    calendar = months | {w.lower() for w in times["weekdays"]}
    base: dict[str, Any] = dict(
        numbers=data["numbers"], multipliers=data["multipliers"], scales=data["scales"],
        short_scales=data["short_scales"], phrases=data["phrases"], vague=data["vague"],
        vague_direct=frozenset(data["vague_direct"]),
        qualifiers=data["qualifiers"], symbols=data["currency_symbols"],
        currency_words={k.lower(): v for k, v in data["currency_words"].items()},
        heads=heads, states=data["states"], stopwords=frozenset(data["stopwords"]),
        verb_words=frozenset(verb_words - set(heads)), modifiers=frozenset(data["modifiers"]),
        not_counted=frozenset(data["not_counted"]), labels=frozenset(data["labels"]),
        article_keys=frozenset(data["article_keys"]), calendar=frozenset(calendar),
        months=frozenset(months),
        aircraft_model=re.compile(data["aircraft_model"]),
        before={k: re.compile(rf"\b(?:{_alt(v['before'])})\s+(?:the\s+)?$") for k, v in verbs.items()},
        after={k: re.compile(rf"{aside}\s*,?\s*(?:(?:(?P<passive>{_alt(data['passive_auxiliaries'])})"
                             rf"|{_alt(data['auxiliaries'])})\s+){{0,4}}"
                             rf"(?:{_alt(v['after'])})\b(?(passive)|(?!\s+(?:(?:{_alt(data['object_starts'])})\b|\d)))")
               for k, v in verbs.items()},
    )
    number = _number_pattern(data)
    base["phrase_re"] = _phrase_pattern(data, number)
    base["money_re"] = _money_pattern(data, number)
    return _Words(**base)


def _heads(data: dict[str, Any]) -> dict[str, str]:
    """Every head noun, singular and plural, lower case, to its category (first listed wins)."""
    invariant = set(data["invariant"])
    irregular = data["irregular_plurals"]
    heads: dict[str, str] = {}
    for category, nouns in data["heads"].items():
        for noun in nouns:
            forms = [noun] if noun in invariant else [noun, irregular.get(noun) or _plural(noun)]
            for form in forms:
                heads.setdefault(form.lower(), category)
    return heads


def _plural(noun: str) -> str:
    """English plural of the last word: soldier/soldiers, gunman/gunmen, body/bodies, blast/blasts."""
    if noun.endswith("man"):
        return noun[:-3] + "men"
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "o", "u"):
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def _alt(phrases: Iterable[str]) -> str:
    """A regex alternation of phrases, longest first, any whitespace between words."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in ordered)


def _number_pattern(data: dict[str, Any]) -> str:
    """A number in digits or words, with no groups: "15,000", "1.5 million", "twenty-five"."""
    big = _alt([*data["multipliers"], *data["scales"]])
    word = _alt([*data["numbers"], *data["multipliers"], *data["scales"]])
    after_big = "|".join(rf"(?<={w})" for w in [*data["multipliers"], *data["scales"]])
    words = (rf"(?:(?:an?|one)\s+(?=(?:{big})\b))?(?:{word})"
             rf"(?:(?:(?:{after_big})\s+and\s+|[\s-]+)(?:{word}))*")
    return rf"(?:{_alt(data['phrases'])}|(?:{_DIGITS})(?:\s+(?:{big}))?|{words})(?![\w])"


def _phrase_pattern(data: dict[str, Any], number: str) -> re.Pattern[str]:
    """A qualified number, a range, a vague number, or an article."""
    qual = _alt(data["qualifiers"])
    vague = _alt(data["vague"])
    return re.compile(
        rf"(?<![\w$£€¥₹₩₽₪.,/:#-])(?:(?P<qual>{qual})\s+)?"
        rf"(?:between\s+(?P<lo>{number})\s+and\s+(?P<hi>{number})"
        rf"|(?P<lo2>{number})(?:(?<=\d)\s*-\s*(?=\d)|\s*–\s*|\s+(?:to|or)\s+)(?P<hi2>{number})"
        rf"|(?P<num>{number})|(?P<vague>(?:{vague})(?![\w]))|(?P<art>an?)(?![\w]))"
        rf"(?![\w]|[.,]\d)",
        re.IGNORECASE)


def _money_pattern(data: dict[str, Any], number: str) -> re.Pattern[str]:
    """A sum of money: "$50 million", "US$2 billion", "£3m", "USD 5m", "1.5 billion euros"."""
    qual = _alt(data["qualifiers"])
    symbol = "|".join(re.escape(s) for s in sorted(data["currency_symbols"], key=len, reverse=True))
    codes = "|".join(data["currency_codes"])
    scale = _alt(data["scales"])
    short = _alt(data["short_scales"])
    vague = _alt(data["vague"])
    words = _alt(data["currency_words"])
    return re.compile(
        rf"(?<![\w$£€¥₹₩₽₪.,])(?:(?P<qual>{qual})\s+)?(?:"
        rf"(?P<sym>{symbol})\s?(?P<amt>{_DIGITS})(?:\s*(?P<scale>{scale})\b|(?P<short>{short})\b)?"
        rf"|(?P<code>(?-i:{codes}))\s?(?P<amt2>{_DIGITS})"
        rf"(?:\s*(?P<scale2>{scale})\b|(?P<short2>{short})\b)?"
        rf"|(?P<amt3>{number}|{vague})\s+(?:of\s+)?(?P<word>{words}|(?-i:{codes}))\b(?!\s+of\b))",
        re.IGNORECASE)
