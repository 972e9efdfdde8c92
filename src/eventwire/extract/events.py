"""Events: find the words that state an action, and give each its PLOVER type and mode.

A verb triggers when its lemma is in the trigger lexicon (alone, with a
particle — "crack down" — or with a telling object — "send troops"). A noun
triggers only where the grammar says an action is asserted: as the object of
a light verb ("launched an attack"), the subject of a clause ("clashes
erupted"), with an actor or target of its own ("Israeli strikes on Gaza"), or
as a headline-like fragment. Complements of verbs that make an event of
their own ("called for Zinni to return") are left to that event.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .lexicon import Lexicon, TypeMode

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# Events whose content is speech about something else: what they govern is not asserted.
CONTENT_TYPES = {"REQUEST", "ACCUSE", "REJECT", "SUPPORT", "AGREE"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
ANAPHORIC_DETS = {"the", "this", "that", "these", "those", "its", "their", "his", "her", "such"}


@dataclass
class Trigger:
    """A word (or phrase head) that states an event of ``type``."""

    token: Token
    type: str
    mode: str | None
    pos: str                 # "verb" or "noun"
    anaphoric: bool = False  # "the attacks": may refer back to an event already found


def find_triggers(sent: Span, lex: Lexicon) -> list[Trigger]:
    """All event triggers in one sentence, in text order, without governed content."""
    found: list[Trigger] = []
    for tok in sent:
        trig = _verb_trigger(tok, lex) if tok.pos_ == "VERB" else None
        if trig is None and tok.pos_ in ("NOUN", "PROPN"):
            trig = _noun_trigger(tok, lex)
        if trig is not None:
            found.append(trig)
    return _drop_governed(found, lex)


def _first(options: tuple[TypeMode, ...]) -> TypeMode:
    return options[0]


def _verb_trigger(tok: Token, lex: Lexicon) -> Trigger | None:
    t = lex.triggers
    lemma = tok.lemma_.lower()
    for child in tok.children:
        if child.dep_ in ("prt", "prep"):
            options = t.phrasal.get((lemma, child.lower_))
            if options:
                return Trigger(tok, *_first(options), "verb")
        if child.dep_ == "dobj":
            options = t.objects.get((lemma, child.lemma_.lower()))
            if options:
                return Trigger(tok, *_first(options), "verb")
    options = t.verbs.get(lemma)
    if options and _verb_licensed(tok, options[0][0]):
        return Trigger(tok, *_first(options), "verb")
    return None


def _verb_licensed(tok: Token, etype: str) -> bool:
    """A request needs something requested: "asked X to…", "urged talks", "called for…".

    A journalist's "when asked about…" is not an event.
    """
    if etype != "REQUEST":
        return True
    if any(c.dep_ == "advmod" and c.lower_ == "when" for c in tok.children) or tok.tag_ == "VBN" \
            and tok.dep_ == "advcl":
        return False
    return any(c.dep_ in ("xcomp", "ccomp", "dobj", "dative") or (c.dep_ == "prep" and c.lower_ in ("for", "to"))
               for c in tok.children)


def _noun_trigger(tok: Token, lex: Lexicon) -> Trigger | None:
    nouns = lex.triggers.nouns
    lemma = tok.lemma_.lower()
    compound = next((c for c in tok.children if c.dep_ in ("compound", "amod") and c.i == tok.i - 1), None)
    options = None
    if compound is not None:
        options = nouns.get(f"{compound.lemma_.lower()} {lemma}") or nouns.get(
            f"{compound.lower_} {tok.lower_}")
    options = options or nouns.get(lemma) or nouns.get(tok.lower_)
    if not options:
        return None
    etype, mode = _first(options)
    if _asserted_noun(tok, lex):
        return Trigger(tok, etype, mode, "noun")
    if _anaphoric(tok):
        return Trigger(tok, etype, mode, "noun", anaphoric=True)
    return None


def _asserted_noun(tok: Token, lex: Lexicon) -> bool:
    """Whether the grammar around a trigger noun says the action took place (or was planned)."""
    head = tok.head
    if tok.dep_ in ("dobj", "nsubjpass", "attr", "oprd") and head.lemma_.lower() in lex.words("light_verbs"):
        return True
    if tok.dep_ == "pobj" and head.head.lemma_.lower() in lex.words("light_verbs") and head.lower_ in (
            "of", "out", "for"):
        return True
    if tok.dep_ in SUBJECT_DEPS and head.pos_ in ("VERB", "AUX") and not _anaphoric(tok):
        return True
    if tok.dep_ == "ROOT":
        return True
    if tok.dep_ == "compound" and head.lemma_.lower() in lex.grammar.get("status_nouns", {}).get("planned", []):
        return True
    has_actor = any(c.dep_ == "poss" or (c.dep_ in ("amod", "compound") and c.ent_type_ in ("NORP", "GPE", "ORG", "DATE"))
                    for c in tok.children)
    has_target = any(c.dep_ == "prep" and c.lower_ in ("on", "against", "by", "between", "with") for c in tok.children)
    return has_actor or has_target


def _anaphoric(tok: Token) -> bool:
    return any(c.dep_ in ("det", "poss") and c.lower_ in ANAPHORIC_DETS for c in tok.children)


def _drop_governed(found: list[Trigger], lex: Lexicon) -> list[Trigger]:
    """Remove triggers that are only the content of another event or a status cue.

    "called for Zinni to return": the return is what is requested, not an event.
    "threatened to strike": the strike is the event (status threatened), the threat is not.
    """
    by_token = {t.token.i: t for t in found}
    dropped: set[int] = set()
    for trig in found:
        gov = _governing_trigger(trig.token, by_token)
        if gov is None:
            continue
        if gov.type == "THREATEN" or (gov.type == "REJECT" and gov.token.lemma_ == "deny"):
            dropped.add(gov.token.i)
        else:
            dropped.add(trig.token.i)
    return [t for t in found if t.token.i not in dropped]


def _governing_trigger(tok: Token, by_token: dict[int, Trigger]) -> Trigger | None:
    """The nearest trigger above ``tok`` through complement links, if any."""
    node = tok
    for _ in range(6):
        purpose = node.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children)
        if node.dep_ not in ("xcomp", "ccomp", "dobj", "pobj", "prep", "acl", "pcomp", "compound") \
                and not purpose:
            return None
        if node.dep_ == "ccomp" and any(c.dep_ in SUBJECT_DEPS for c in node.children):
            return None
        node = node.head
        if node.i in by_token:
            return by_token[node.i]
    return None
