"""Attribution: who the article credits for an event ("NBC News reported", "the Pentagon said").

Sources are read from the sentence of each mention: "according to X",
"X reported/said" governing the event's clause (or closing the sentence),
"citing four sources" and "sources familiar with…". Each is classified as
media, anonymous, official, spokesperson, witness, document or organization
from the actor it resolves to and its head noun. When the event is itself a
statement, its speaker is the source actor and is not repeated here.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..model import Actor, Attribution
from .actors import mention_span, resolve
from .context import ArticleContext, according_to, ents_in

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

HEDGES = {"reportedly", "apparently", "allegedly", "purportedly", "supposedly"}
SPEECH_EVENT_TYPES = {"ACCUSE", "REJECT", "REQUEST", "THREATEN", "SUPPORT"}
NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "several": None, "multiple": None}
ANONYMOUS = re.compile(r"\b(sources?|people|persons|officials?)\b[^.]{0,40}?\b(familiar|"
                       r"briefed|knowledge|anonymity|not authori[sz]ed|declined to be named|"
                       r"close to)\b", re.I)


def attribution_for(ctx: ArticleContext, trigger: Token, etype: str,
                    source: Actor | None) -> list[Attribution]:
    """The attribution list for the event stated by ``trigger``, most direct first."""
    sent = trigger.sent
    found: list[Attribution] = []
    speaker = _reporting_speaker(trigger, ctx)
    if isinstance(speaker, str):
        found.append(Attribution("unattributed", speaker))
    elif speaker is not None:
        found.append(_classify(ctx, speaker))
    for phrase in _according_to(sent):
        found.append(_classify(ctx, phrase))
    for phrase in _quoted_by(sent):  # "an official was quoted by army radio as saying…"
        found.append(_classify(ctx, phrase))
    found.extend(_cited(sent))
    if not found:
        hedge = next((t for t in sent if t.lower_ in HEDGES and t.dep_ == "advmod"), None)
        if hedge is not None:
            found.append(Attribution("unattributed", hedge.text))
    if etype in SPEECH_EVENT_TYPES and source is not None:
        found = [a for a in found if not (a.name and a.name == source.name)]
    return _unique(found)


def _reporting_speaker(trigger: Token, ctx: ArticleContext) -> Token | str | None:
    """The subject of the verb of saying whose complement holds the trigger.

    A passive report with no one named ("are believed to have…", "It is understood") gives its
    words as a string: the article says someone says so, without saying who.
    """
    reporting = ctx.lex.words("reporting_verbs")
    if trigger.dep_ == "dobj" and trigger.head.lemma_.lower() in reporting:
        subj = next((c for c in trigger.head.children if c.dep_ == "nsubj"), None)
        if subj is not None and subj.pos_ != "PRON":
            return subj  # "Trump has announced at least three strikes"
    node = trigger
    for _ in range(8):
        if node.head.i == node.i:
            break
        dep = node.dep_
        node = node.head
        if node.lemma_.lower() in reporting and dep in ("ccomp", "parataxis", "xcomp", "advcl", "conj"):
            if any(c.dep_ == "auxpass" for c in node.children) and not any(
                    c.dep_ == "agent" for c in node.children):
                return _passive_words(node)
            subj = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and subj.lower_ not in ("it", "i", "we", "you"):
                return subj
    root = trigger.sent.root
    if root.lemma_.lower() in reporting and root.i > trigger.i:
        return next((c for c in root.children if c.dep_ == "nsubj"), None)
    return None


def _quoted_by(sent: Span) -> list[Token]:
    """Who spoke and who carried the words, in "X was quoted (cited) by Y as saying…"."""
    out = []
    for tok in sent:
        if tok.lemma_.lower() in ("quote", "cite") and tok.tag_ == "VBN":
            agents = [g for c in tok.children if c.dep_ == "agent"
                      for g in c.children if g.dep_ == "pobj"]
            if agents:
                out += [c for c in tok.children if c.dep_ == "nsubjpass"] + agents
    return out


def _passive_words(verb: Token) -> str:
    aux = [c for c in verb.children if c.dep_ in ("auxpass", "aux") and c.i < verb.i]
    start = min([verb.i] + [c.i for c in aux])
    return verb.doc[start:verb.i + 1].text


def _according_to(sent: Span) -> list[Token]:
    out = []
    for to in according_to(sent):
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None and to.i + 1 < sent.end:
            pobj = _head_of_phrase(to.nbor())
        if pobj is not None:
            out.append(pobj)
    return out


def _head_of_phrase(tok: Token) -> Token:
    while tok.head.i > tok.i and tok.head.pos_ in ("NOUN", "PROPN"):
        tok = tok.head
    return tok


def _cited(sent: Span) -> list[Attribution]:
    """"citing four sources familiar with the plans" → anonymous, count 4."""
    out = []
    for tok in sent:
        if tok.lemma_.lower() in ("source", "official", "people", "person") and tok.pos_ == "NOUN":
            phrase = sent.doc[tok.left_edge.i: tok.right_edge.i + 1]
            if not ANONYMOUS.search(phrase.text) and not any(
                    c.lower_ in ("citing", "cited", "cite") for c in (tok.head,)):
                continue
            if any(e.label_ in ("PERSON", "ORG") for e in ents_in(phrase)):
                continue
            out.append(Attribution("anonymous", phrase.text, None, _count(tok)))
    return out


def _count(tok: Token) -> int | None:
    for child in tok.children:
        if child.dep_ == "nummod":
            if child.like_num and child.text.isdigit():
                return int(child.text)
            return NUMBER_WORDS.get(child.lower_)
    return None


def _classify(ctx: ArticleContext, tok: Token) -> Attribution:
    """What kind of source a phrase names, from its actor kind and head noun."""
    span = mention_span(tok)
    lemma = tok.lemma_.lower()
    nouns = ctx.lex.grammar.get("attribution_nouns", {})
    actor = resolve(ctx, tok)
    if actor is not None and actor.kind == "media":
        return Attribution("media", span.text, actor.name)
    if lemma in nouns.get("media", []):
        outlet = ctx.outlet_before(tok.idx)
        return Attribution("media", span.text, outlet.name if outlet else None)
    if ANONYMOUS.search(span.text) or (lemma in ("source", "insider") and not ents_in(span)):
        return Attribution("anonymous", span.text, None, _count(tok))
    if _unnamed_one(tok, span):
        return Attribution("anonymous", span.text, None, 1)
    words = {t.lemma_.lower() for t in span}
    if words & set(nouns.get("spokesperson", [])) - {"secretary"}:
        return Attribution("spokesperson", span.text, actor.name if actor else None)
    for kind in ("spokesperson", "witness", "document", "organization"):
        if lemma in nouns.get(kind, []):
            return Attribution(kind, span.text, actor.name if actor and kind != "document" else None)
    if actor is not None and actor.kind in ("ngo", "igo"):
        return Attribution("organization", span.text, actor.name)
    name = actor.name if actor else None
    return Attribution("official", span.text, name)


def _unnamed_one(tok: Token, span: Span) -> bool:
    """"a senior Hamas official said": one official, not named — an anonymous source."""
    return (tok.lemma_.lower() in ("official", "source", "diplomat", "officer") and tok.tag_ == "NN"
            and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in tok.children)
            and not any(e.label_ == "PERSON" for e in ents_in(span)))


def _unique(items: list[Attribution]) -> list[Attribution]:
    seen, out = set(), []
    for item in items:
        key = (item.kind, item.name or item.text)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
