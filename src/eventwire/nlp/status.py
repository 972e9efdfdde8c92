"""Status: did the event happen, or was it planned, threatened, offered, denied or negated?

The status is read from the words that govern the trigger, nearest first:
"drafting plans to strike" (planned), "threatened to strike" (threatened),
"willing to make concessions" (offered), "denied carrying out the raid"
(denied), "has yet to approve the attack plans" (planned: the plans govern
first), "will visit" (planned), "would", "if", "whether" (hypothetical), "not"
and "failed to" (negated). Reported speech is transparent: "X said Y
attacked" is as occurred as "Y attacked".
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .lexicon import Lexicon

if TYPE_CHECKING:
    from spacy.tokens import Token

CLIMB = {"xcomp", "ccomp", "dobj", "pobj", "prep", "acl", "pcomp", "compound", "advcl",
         "acomp", "conj", "nsubjpass", "attr", "oprd", "relcl", "amod"}


# Verbs through which a plan noun gives its status to what it contains ("the plans include
# strikes", "the proposal calls for talks"), unlike "the move followed an ambush".
CONTENT_VERBS = frozenset({"include", "involve", "be", "envisage", "envision", "call", "foresee",
                           "cover", "contain", "entail", "require", "target", "see", "provide"})

# Marks of a time clause, which states a fact beside its main clause, not under it.
TEMPORAL_MARKS = frozenset({"after", "before", "since", "when", "while", "as", "until", "once"})

# Types whose announced future is a warning: "said perpetrators would be punished".
COERCIVE = frozenset({"ASSAULT", "COERCE", "SANCTION", "THREATEN"})


def status_of(trigger: Token, lex: Lexicon, etype: str | None = None) -> str:
    """The status of the event stated by ``trigger`` (one of model.STATUSES).

    In reported speech "would" is the reported "will" ("he said they would
    leave" reports "we will leave"): planned, unless a condition makes it
    hypothetical. A coercive act the speaker announces for the future is a
    threat ("Israel said it will take matters into its own hands").
    """
    own = _own_cues(trigger, lex)
    if own in ("planned", "hypothetical") and _unless(trigger):
        return "threatened"  # "will withdraw its troops unless…": a conditional warning
    if own == "planned" and _conditional(trigger):
        return "hypothetical"  # "will resign if it does not": a condition, not a plan
    reported = _reported_clause(trigger, lex)
    if reported and own == "hypothetical" and _backshifted_will(trigger) and not _conditional(trigger):
        own = "planned"
    if reported and own == "planned" and etype in COERCIVE:
        return "threatened"
    if own and own != "planned":
        return own
    node = trigger
    for _ in range(6):
        noun_subject = node.i == trigger.i and node.pos_ in ("NOUN", "PROPN") and node.dep_ == "nsubj"
        if (node.dep_ not in CLIMB and not noun_subject) or node.head.i == node.i:
            break
        dep = node.dep_
        if dep == "advcl" and any(c.dep_ == "mark" and c.lower_ in TEMPORAL_MARKS
                                  for c in node.children):
            break  # "promising jobs days after his predecessor resigned": a fact, not the promise
        node = node.head
        if dep == "conj":
            continue  # "opened its borders but was refusing…": a coordinate shares the context, not the status
        if node.lemma_.lower() in lex.words("reporting_verbs") and dep == "ccomp" \
                and lex.status_of("status_governors", node.lemma_.lower()) not in ("threatened", "denied"):
            break
        found = _governor_status(node, dep, lex)
        if found:
            return found
        if dep in ("conj", "relcl", "advcl"):
            break
    return own or "occurred"


def _own_cues(tok: Token, lex: Lexicon) -> str | None:
    """Cues attached to the trigger itself: negation, modal and future auxiliaries, "if"."""
    if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in tok.children):
        return "negated"  # "will not accept": the negation outranks the future
    for child in tok.children:
        low = child.lower_
        if child.dep_ == "mark" and low in lex.words("hypothetical_marks"):
            return "hypothetical"
        if child.dep_ == "aux":
            if low in lex.words("future_aux"):
                return "planned"
            if low in lex.words("hypothetical_aux"):
                return "hypothetical"
    if tok.dep_ == "pobj" and tok.head.lower_ == "without":
        return "negated"
    return None


def _governor_status(node: Token, dep: str, lex: Lexicon) -> str | None:
    """The status a governing word gives what it governs ("plans" → planned)."""
    lemma = node.lemma_.lower()
    if node.pos_ in ("VERB", "AUX"):
        if lemma == "yet" or _has_yet_to(node):
            return "negated"
        subj = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None and subj.pos_ == "NOUN" and lemma in CONTENT_VERBS:
            by_subject = lex.status_of("status_nouns", subj.lemma_.lower())  # "plans include…"
            if by_subject:
                return by_subject
        found = lex.status_of("status_governors", lemma)
        if found == "hypothetical" and dep not in ("xcomp", "ccomp"):
            found = None
        if found:
            return found
        if dep in ("xcomp", "ccomp", "dobj"):
            return _own_cues(node, lex)
        return None
    if node.pos_ in ("NOUN", "PROPN"):
        return lex.status_of("status_nouns", lemma)
    if node.pos_ == "ADJ":
        return lex.status_of("status_adjectives", lemma)
    return None


def _reported_clause(tok: Token, lex: Lexicon) -> bool:
    """Whether the trigger's clause is what a verb of saying reports ("said … would be
    punished", through "and that …" coordinations)."""
    node = tok
    for _ in range(4):
        if node.dep_ == "ccomp":
            return node.head.lemma_.lower() in lex.words("reporting_verbs")
        if node.dep_ not in ("conj",) or node.head.i == node.i:
            return False
        node = node.head
    return False


def _backshifted_will(tok: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in ("would", "'d") for c in tok.children)


def _conditional(tok: Token) -> bool:
    """Whether the clause carries an "if" (or "unless", "whether") condition."""
    return _condition(tok, ("if", "unless", "whether"))


def _unless(tok: Token) -> bool:
    """Whether the clause carries an "unless" condition."""
    return _condition(tok, ("unless",))


def _condition(tok: Token, marks: tuple[str, ...]) -> bool:
    """Whether the clause has an adverbial clause opened by one of ``marks``."""
    return any(c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in marks for g in c.children)
               for c in tok.children)


def _has_yet_to(verb: Token) -> bool:
    """"has yet to approve": the approval has not happened."""
    return any(c.lower_ == "yet" for c in verb.head.children) if verb.dep_ == "xcomp" else False
