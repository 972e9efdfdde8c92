"""What every stage may read about one article: the parse, the lexicons and its actors so far.

The context is built once per article. It holds the article's "home"
countries (the ones it talks about most), which settle the country of
unnamed national actors ("police" in an Australian story), and a memory of
the people and outlets already named, which resolves "Mr Zinni", "he" and
"the report" to the full mention earlier in the text.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..gazetteer import Gazetteer
from ..model import Actor, Article
from .dictionary import ActorDictionary
from .lexicon import Lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

PLACE_LABELS = ("GPE", "LOC", "FAC", "NORP")
# Quoted words. Opening and closing marks may be mixed (“…" or "…”) in real copy; a quote never
# crosses a paragraph break (a quote running on opens again in the next paragraph).
QUOTED = re.compile(r"[“\"«]([^“”\"«»\n]{1,3000}?)[”\"»]")


@dataclass
class Remembered:
    """An actor named earlier in the article, with where it was named."""

    actor: Actor
    start: int
    surname: str | None = None
    subject: bool = False  # named as the subject of its clause: the likeliest "he" later


@dataclass
class ArticleContext:
    """The parsed article and the knowledge the stages share."""

    doc: Doc
    article: Article
    lex: Lexicon
    gaz: Gazetteer
    actors: ActorDictionary
    countries: list[str] = field(default_factory=list)   # most talked-about first
    quoted: list[tuple[int, int]] = field(default_factory=list)  # character spans inside quotation marks
    people: list[Remembered] = field(default_factory=list)
    outlets: list[Remembered] = field(default_factory=list)
    bodies: list[Remembered] = field(default_factory=list)  # governments, groups, firms: "it"

    @property
    def text(self) -> str:
        """The article text (the parsed text itself: spaCy keeps it verbatim). Read this,
        not ``doc.text``, which spaCy rebuilds from every token on each access."""
        return self.article.text

    @property
    def home(self) -> str | None:
        """The country the article is mostly about, if any stands out."""
        return self.countries[0] if self.countries else None

    def remember(self, actor: Actor, start: int, is_person: bool, subject: bool = False) -> None:
        """Keep a resolved actor so that later short mentions can find it."""
        if actor.kind == "media":
            self.outlets.append(Remembered(actor, start))
        if not is_person and actor.name and actor.kind not in (None, "civilians", "criminal"):
            self.bodies.append(Remembered(actor, start))
        elif is_person and actor.name:
            surname = actor.name.split()[-1]
            self.people.append(Remembered(actor, start, surname, subject))

    def person_before(self, start: int, surname: str | None = None,
                      prefer_subject: bool = False) -> Actor | None:
        """The person named before ``start`` that a later mention most likely means.

        With a surname, the latest person of that surname. Otherwise the latest
        person; with ``prefer_subject`` (a pronoun that is itself a subject),
        the latest person named as a main clause's subject first: in "McGrath
        says the catch taken by Hayden was typical. 'It gives you confidence,'
        he said", "he" is McGrath, the subject, not Hayden, named last.
        """
        earlier = [r for r in sorted(self.people, key=lambda r: -r.start)
                   if r.start < start and not self.in_quote(r.start)]
        if surname is not None:
            return next((r.actor for r in earlier
                         if (r.surname or "").lower() == surname.lower()), None)
        chosen = (next((r for r in earlier if r.subject), None) if prefer_subject else None) \
            or next(iter(earlier), None)
        return chosen.actor if chosen else None

    def in_quote(self, offset: int) -> bool:
        return any(s <= offset < e for s, e in self.quoted)

    def body_before(self, start: int) -> Actor | None:
        """The latest organisation or state named before ``start`` outside quotes ("it said")."""
        earlier = [r for r in self.bodies if r.start < start and not self.in_quote(r.start)]
        return max(earlier, key=lambda r: r.start).actor if earlier else None

    def described_before(self, start: int, head: str) -> Actor | None:
        """The latest actor named before ``start`` by words containing ``head`` ("the official"
        after "a senior Hamas official"): definite descriptions point back."""
        pattern = re.compile(rf"\b{re.escape(head)}\b", re.I)
        earlier = [r for r in (*self.people, *self.bodies)
                   if r.start < start and r.actor.text and pattern.search(r.actor.text)]
        return max(earlier, key=lambda r: r.start).actor if earlier else None

    def outlet_before(self, start: int) -> Actor | None:
        """The latest news outlet named before ``start`` ("the report" → NBC News)."""
        earlier = [r for r in self.outlets if r.start < start]
        return max(earlier, key=lambda r: r.start).actor if earlier else None


def ents_in(span: Span | Doc) -> list[Span]:
    """The named entities inside a span, from a list made once per document.

    spaCy's ``Span.ents`` rebuilds the document's entity list on every call
    (a scan of every token), which made actor resolution quadratic in the
    article's length.
    """
    doc = span.doc if hasattr(span, "start") else span  # a Span has a start, a Doc has none
    every = doc.user_data.get(_ENTS_KEY)
    if every is None:
        every = doc.user_data[_ENTS_KEY] = list(doc.ents)
    if span is doc:
        return every
    return [e for e in every if e.start >= span.start and e.end <= span.end]


def ent_at(tok: Token) -> Span | None:
    """The named entity a token is part of, if any."""
    if not tok.ent_type_:
        return None
    return next((e for e in ents_in(tok.doc) if e.start <= tok.i < e.end), None)


_ENTS_KEY = "eventwire.ents"


def release(doc: Doc) -> None:
    """Drop what ``ents_in`` cached on a document.

    The cached spans refer back to their Doc, a reference cycle that only the
    rare full garbage collection would break; over 10,000 articles that held
    every parse in memory. Dropping the cache when the article is done lets the
    Doc go at once.
    """
    doc.user_data.pop(_ENTS_KEY, None)


def build_context(doc: Doc, article: Article, lex: Lexicon, gaz: Gazetteer,
                  actors: ActorDictionary) -> ArticleContext:
    """Parse-level facts about the article that the stages share."""
    ctx = ArticleContext(doc, article, lex, gaz, actors)
    ctx.countries = _article_countries(doc, gaz)
    ctx.quoted = [(m.start() + 1, m.end() - 1) for m in QUOTED.finditer(article.text)]
    return ctx


def _article_countries(doc: Doc, gaz: Gazetteer) -> list[str]:
    """Countries ranked by how often the article names them or their places and people."""
    counts: Counter[str] = Counter()
    first_break = doc.text.find("\n")
    for ent in doc.ents:
        if ent.label_ not in PLACE_LABELS:
            continue
        iso = country_of_name(ent.text, gaz)
        if iso:
            counts[iso] += 2 if first_break < 0 or ent.start_char < first_break else 1
    return [iso for iso, _ in counts.most_common()]


def country_of_name(text: str, gaz: Gazetteer, context: list[str] | None = None) -> str | None:
    """The country a place name or demonym points to ("Kabul" → AFG, "Israeli" → ISR)."""
    text = text.strip()
    country = gaz.country_by_name(text) or gaz.country_by_demonym(text)
    if country:
        return country.iso3
    region = gaz.region(text)
    if region:
        return region.country
    place = gaz.lookup(text, context or ())  # abstains when far-apart namesakes tie
    return place.country if place is not None else None



def according_to(sent: Span) -> list[Token]:
    """The "to" of every "according to" in a sentence; its object names a source."""
    return [tok.nbor() for tok in sent
            if tok.lower_ == "according" and tok.i + 1 < sent.end and tok.nbor().lower_ == "to"]
