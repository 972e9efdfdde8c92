"""Places: where the action happened, resolved with the packaged gazetteer.

Candidates are place names that are the object of a locative preposition
("in Kabul", "inside Venezuela", "off the coast of …") inside the trigger's
own phrase, then anywhere in its sentence; names used as actors are skipped.
Ambiguous names are settled by the countries the article talks about.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from dataclasses import replace

from ..model import Place
from .context import ArticleContext, ents_in

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

LOCATIVE = {"in", "at", "near", "inside", "outside", "across", "off", "around", "along", "into",
            "throughout", "within", "onto"}
PLACE_LABELS = ("GPE", "LOC", "FAC")


def location_for(ctx: ArticleContext, trigger: Token, actor_tokens: set[int]) -> Place | None:
    """The place of the event stated by ``trigger``, or None when the sentence names none."""
    sent = trigger.sent
    own = set(t.i for t in trigger.subtree)
    clause = _clause_head(trigger)
    candidates = [e for e in _candidates(sent, actor_tokens)
                  if e.start in own or _clause_head(e.root.head).i == clause.i]
    ranked = sorted(candidates, key=lambda e: (e.start not in own, abs(e.start - trigger.i)))
    for ent in ranked:
        place = ctx.gaz.lookup(_clean(ent.text), ctx.countries)
        if place is not None:
            place.text = ent.text
            return place
    return None


def last_place(ctx: ArticleContext, sent: Span) -> Place | None:
    """The last place the sentence names (any place name), to stand for where later events happen."""
    for ent in reversed([e for e in ents_in(sent) if e.label_ in PLACE_LABELS]):
        place = ctx.gaz.lookup(_clean(ent.text), ctx.countries)
        if place is not None:
            place.text = ent.text
            return place
    return None


def context_place(ctx: ArticleContext, recent: Place | None) -> Place | None:
    """Where an event with no place of its own happens: the place the article was last at, else
    its home country. Marked ``inferred`` so that readers can tell it from a stated place."""
    place = recent
    if place is None and ctx.home is not None:
        country = ctx.gaz.country(ctx.home)
        if country is not None:
            place = Place(None, country.name, country.iso3, country.lat, country.lon, "country")
    if place is None:
        return None
    return replace(place, inferred=True)


def _clause_head(tok: Token) -> Token:
    """The verb of the clause a token sits in (itself if it is one)."""
    node = tok
    for _ in range(12):
        if node.pos_ in ("VERB", "AUX") or node.head.i == node.i:
            return node
        node = node.head
    return node


def _candidates(sent: Span, actor_tokens: set[int]) -> list[Span]:
    out = []
    for ent in ents_in(sent):
        if ent.label_ not in PLACE_LABELS or any(t.i in actor_tokens for t in ent):
            continue
        if _locative(ent.root):
            out.append(ent)
    return out


def _locative(tok: Token) -> bool:
    """Whether a place name is the object of a locative preposition (possibly via "of")."""
    node = tok
    for _ in range(3):
        if node.dep_ == "pobj" and node.head.lower_ in LOCATIVE:
            return True
        if node.dep_ in ("pobj", "compound", "appos", "conj") :
            node = node.head
            if node.dep_ == "prep" and node.lower_ == "of":
                node = node.head
            continue
        return False
    return False


def _clean(text: str) -> str:
    for prefix in ("the ", "The "):
        if text.startswith(prefix):
            text = text[len(prefix):]
    return text.removesuffix("'s").removesuffix("’s")
