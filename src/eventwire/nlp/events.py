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
NAME_LABELS = {"ORG", "PERSON", "GPE", "NORP", "FAC", "LAW", "WORK_OF_ART", "PRODUCT", "LANGUAGE"}
# Types whose nouns can be the subject of a clause and still be a happening ("clashes erupted").
HAPPENING_TYPES = {"ASSAULT", "PROTEST", "COERCE", "MOBILIZE", "RETREAT"}
# Verbs that are events only with an object ("released the prisoners", not "released a video").
NEEDS_OBJECT = {"release", "free", "ease", "lift", "relax", "hold", "share", "transfer", "close",
                "suspend"}
# "subject to sanctions", "under house arrest", "in the custody of": a state that is in force.
STATE_PREPS = {("subject", "to"), ("under", None), ("in", "custody")}
ANAPHORIC_DETS = {"the", "this", "that", "these", "those", "its", "their", "his", "her", "such"}


@dataclass
class Trigger:
    """A word (or phrase head) that states an event of ``type``."""

    token: Token
    type: str
    mode: str | None
    pos: str                 # "verb" or "noun"
    anaphoric: bool = False  # "the attacks": may refer back to an event already found
    options: tuple[TypeMode, ...] = ()  # every reading the lexicon allows, first preferred


def find_triggers(sent: Span, lex: Lexicon) -> list[Trigger]:
    """All event triggers in one sentence, in text order, without governed content."""
    found: list[Trigger] = []
    for tok in sent:
        if tok.ent_type_ in NAME_LABELS or tok.dep_ == "amod":
            continue  # "Northern Alliance", "the internationally-backed plan"
        verbal = tok.pos_ == "VERB" and tok.dep_ not in ("pobj", "nsubj", "dobj", "compound")
        trig = _verb_trigger(tok, lex) if verbal else None
        if trig is None and tok.pos_ in ("NOUN", "PROPN"):
            trig = _noun_trigger(tok, lex)
        if trig is None:
            trig = _reported_demand(tok, lex)
        if trig is not None and not _accident(trig, lex):
            found.append(_harm_in_event(trig, lex))
    return _drop_governed(found, lex)


def _make(tok: Token, options: tuple[TypeMode, ...], pos: str, anaphoric: bool = False) -> Trigger:
    etype, mode = options[0]
    return Trigger(tok, etype, mode, pos, anaphoric, options)


def _verb_trigger(tok: Token, lex: Lexicon) -> Trigger | None:
    t = lex.triggers
    lemma = tok.lemma_.lower()
    for child in tok.children:
        if child.dep_ in ("prt", "prep"):
            options = t.phrasal.get((lemma, child.lower_))
            if options:
                return _make(tok, options, "verb")
        if child.dep_ == "dobj":
            for noun in _object_nouns(child):
                options = t.objects.get((lemma, noun))
                if options:
                    return _make(tok, options, "verb")
    options = t.verbs.get(lemma)
    if options and _verb_licensed(tok, options[0][0], lex):
        return _make(tok, options, "verb")
    return None


PART_WORDS = frozenset({"part", "some", "most", "all", "much", "rest", "portion", "share"})


def _object_nouns(obj: Token) -> list[str]:
    """The nouns an object names, head first: "aid deliveries" is also aid, "part of a
    military aid program" is also the program and its aid."""
    heads = [obj]
    if obj.lemma_.lower() in PART_WORDS:
        for prep in obj.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                heads += [g for g in prep.children if g.dep_ == "pobj"]
    nouns = []
    for head in heads:
        nouns.append(head.lemma_.lower())
        nouns += [c.lemma_.lower() for c in head.children if c.dep_ == "compound"]
    return nouns


def _verb_licensed(tok: Token, etype: str, lex: Lexicon) -> bool:
    """Grammar a trigger verb needs before it states an event of its type."""
    deps = {c.dep_ for c in tok.children}
    lemma = tok.lemma_.lower()
    passive = bool(deps & {"nsubjpass", "auxpass"})
    if lemma in NEEDS_OBJECT and not (deps & {"dobj", "oprd"}) and not passive:
        return False  # "winds will ease", "a video released"
    if lemma == "hold" and not passive and not any(
            c.dep_ in ("dobj", "oprd") and (c.ent_type_ == "PERSON" or c.lemma_.lower() in lex.actor_nouns
                                             or c.pos_ == "PRON") for c in tok.children):
        return False  # "held talks" is a meeting; "held 40 prisoners" is detention
    if etype == "CONSULT" and passive:
        return False  # "was met with scepticism"
    if etype == "REJECT" and any(c.dep_ == "xcomp" and c.lemma_.lower() in lex.words("speech_verbs")
                                 for c in tok.children):
        return False  # "refused to say": declining to comment is not a rejection
    if etype != "REQUEST":
        return True
    if any(c.dep_ == "advmod" and c.lower_ == "when" for c in tok.children) or tok.tag_ == "VBN" \
            and tok.dep_ == "advcl":
        return False  # a journalist's "when asked about…"
    if "xcomp" in deps and not deps & {"dobj", "dative", "ccomp"}:
        return False  # "want to go", "asked to remain anonymous": the speaker's own wish
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
    of_obj = next((g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                   for g in c.children if g.dep_ == "pobj"), None)
    if of_obj is not None and not options:
        options = nouns.get(f"{lemma} of {of_obj.lemma_.lower()}")  # "state of siege"
    options = options or nouns.get(lemma) or nouns.get(tok.lower_)
    if not options:
        return None
    if _asserted_noun(tok, lex, options[0][0]):
        return _make(tok, options, "noun")
    if _anaphoric(tok):
        return _make(tok, options, "noun", anaphoric=True)
    return None


def _asserted_noun(tok: Token, lex: Lexicon, etype: str) -> bool:
    """Whether the grammar around a trigger noun says the action took place (or was planned)."""
    head = tok.head
    if tok.dep_ in ("dobj", "nsubjpass", "attr", "oprd") and head.lemma_.lower() in lex.words("light_verbs"):
        return True
    if tok.dep_ == "pobj" and head.head.lemma_.lower() in lex.words("light_verbs") and head.lower_ in (
            "of", "out", "for"):
        return True
    if tok.dep_ in SUBJECT_DEPS and head.pos_ in ("VERB", "AUX") and not _anaphoric(tok) \
            and etype in HAPPENING_TYPES:
        return True
    if any(c.dep_ == "det" and c.lower_ in ("a", "an", "another") for c in tok.children) and \
            tok.dep_ not in ("attr", "npadvmod") and not _generic(tok) and not (
            tok.dep_ == "pobj" and head.lower_ in ("after", "before", "since", "following", "until")):
        return True  # "after another Hamas attack", "a telephone call with Chirac"
    if tok.dep_ == "ROOT":
        return True
    if tok.dep_ == "pobj" and _state_prep(head, tok):
        return True
    if tok.dep_ == "attr" and any(c.dep_ == "expl" for c in head.children):
        return True  # "there has been a mass airlift of detainees"
    if tok.dep_ == "compound" and head.lemma_.lower() in lex.grammar.get("status_nouns", {}).get("planned", []):
        return True
    has_actor = any(c.dep_ == "poss" or (c.dep_ in ("amod", "compound") and c.ent_type_ in ("NORP", "GPE", "ORG", "DATE"))
                    for c in tok.children)
    has_target = any(c.dep_ == "prep" and c.lower_ in ("on", "against", "by", "between", "with") for c in tok.children)
    return has_actor or has_target


def _state_prep(prep: Token, noun: Token) -> bool:
    """Whether "prep noun" puts someone in a state: "subject to sanctions", "under house arrest"."""
    for word, obj in STATE_PREPS:
        if obj is None and prep.lower_ == word:
            return True
        if obj is not None and prep.lower_ == obj and prep.head.lower_ == word:
            return True
        if obj == "custody" and prep.lower_ == "in" and noun.lemma_.lower() == "custody":
            return True
    return False


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
        act = trig.type not in CONTENT_TYPES | {"THREATEN"}
        if act and (gov.type == "THREATEN" or (gov.type == "REJECT" and gov.token.lemma_ == "deny")):
            dropped.add(gov.token.i)  # the threatened or denied act is the event
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
            gov = by_token.get(node.head.i)
            speech_act = gov is not None and (gov.type in ("THREATEN", "REQUEST") or gov.token.lemma_ == "deny")
            return gov if speech_act else None  # "warned they will shoot", "said X should go"
        node = node.head
        if node.i in by_token:
            return by_token[node.i]
    return None


def _generic(tok: Token) -> bool:
    """"a threat to peace", "such an attack would…": an indefinite noun that asserts nothing."""
    head = tok.head
    return head.lemma_.lower() in ("be", "become", "remain", "seem") or any(
        c.lower_ in ("such", "any", "no") for c in tok.children)


def _reported_demand(tok: Token, lex: Lexicon) -> Trigger | None:
    """"Downer says the council should put Zimbabwe on its agenda": a REQUEST by the speaker."""
    if tok.pos_ != "VERB" or tok.lemma_.lower() not in lex.words("speech_verbs"):
        return None
    clause = next((c for c in tok.children if c.dep_ == "ccomp"), None)
    if clause is None or not any(c.dep_ in SUBJECT_DEPS for c in clause.children):
        return None
    subj = next(c for c in clause.children if c.dep_ in SUBJECT_DEPS)
    if subj.lower_ in ("i", "we", "it", "this", "that", "there") or not _actor_word(subj, lex):
        return None  # "we will have to…" is a plan; "the measures should win support" no demand
    words = {c.lower_ for c in clause.children if c.dep_ == "aux"}
    phrase = " ".join(t.lower_ for t in clause.doc[clause.left_edge.i:clause.i + 1])
    if words & lex.words("deontic") or any(p in phrase for p in lex.words("deontic_phrases")):
        return Trigger(tok, "REQUEST", None, "verb", options=(("REQUEST", None),))
    return None


def _actor_word(tok: Token, lex: Lexicon) -> bool:
    """Whether a word can name someone who is asked to act."""
    return (tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or tok.pos_ == "PRON"
            or tok.lemma_.lower() in lex.actor_nouns)


def _accident(trig: Trigger, lex: Lexicon) -> bool:
    """Harm with no actor behind it: "injured in a crash", "fires are burning"."""
    if trig.type not in ("ASSAULT", "THREATEN", "RETREAT", "COERCE"):
        return False
    tok = trig.token
    if tok.dep_ in ("acl", "relcl") and _is_non_agent(tok.head, lex):
        return True  # "the hundred fires still burning"
    clauses = [tok] + [c for c in tok.children if c.dep_ == "advcl"]  # "injured after a roof collapsed"
    for clause in clauses:
        for child in clause.children:
            cause = None
            if child.dep_ in ("nsubj", "nsubjpass") and (trig.type != "COERCE" or clause is not tok):
                cause = child
            elif child.dep_ in ("prep", "agent") and child.lower_ in ("in", "by", "from", "during"):
                cause = next((g for g in child.children if g.dep_ == "pobj"), None)
            if cause is not None and _is_non_agent(cause, lex):
                return True
    return False


def _is_non_agent(tok: Token, lex: Lexicon) -> bool:
    if tok.lower_ in ("which", "that") and tok.head.dep_ == "relcl":
        tok = tok.head.head
    if tok.lower_ == "it" and tok.pos_ == "PRON":
        return False
    if tok.lemma_.lower() not in lex.words("non_agents"):
        return False
    return not any(t.lemma_.lower() in lex.words("weapon_words") for t in tok.subtree if t.i != tok.i)


def _harm_in_event(trig: Trigger, lex: Lexicon) -> Trigger:
    """"20 people were killed in riots": the toll of a riot, so the event is the riot."""
    if trig.token.lemma_.lower() not in lex.words("harm_verbs"):
        return trig
    for child in trig.token.children:
        if child.dep_ == "prep" and child.lower_ in ("in", "during"):
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            options = lex.triggers.nouns.get(pobj.lemma_.lower()) if pobj is not None else None
            if options and options[0][0] != "ASSAULT":
                return _make(pobj, options, "noun")
    return trig
