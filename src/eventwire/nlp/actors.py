"""Actors: find who acts and who is acted on, and resolve each mention to an actor.

Roles come from the dependency parse (subject, object, "by" and "against"
phrases, climbing through "plans to strike" and relative clauses). A
mention resolves, in order, through pronouns, the actor dictionary, people
named earlier, countries and demonyms, and common nouns with the kind they
imply; a national actor with no country of its own takes the article's
home country.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..model import Actor
from .context import ArticleContext, country_of_name, ent_at, ents_in

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

SUBJECT_DEPS = {"nsubj", "csubj"}
PASSIVE_DEPS = {"nsubjpass", "csubjpass"}
CLIMB_DEPS = {"xcomp", "acl", "advcl", "dobj", "pobj", "prep", "conj", "compound", "relcl",
              "pcomp", "attr", "acomp", "oprd", "appos", "nmod", "amod", "ccomp", "npadvmod"}
TARGET_PREPS = {"against", "on", "at", "with", "to", "into", "upon", "toward", "towards",
                "over", "for", "of", "between", "from", "about"}
STATE_KINDS = {"government", "military", "police"}
NATIONAL_KINDS = {"government", "military", "police", "civilians", "party", "religious", "ngo",
                  "business"}
PRONOUNS = {"he", "she", "him", "her", "his", "hers"}
GROUP_PRONOUNS = {"they", "them", "it", "we", "i", "you", "us", "who", "which", "that",
                  "whom", "this", "these", "those", "itself", "themselves", "one", "some",
                  "others", "both", "all", "each", "what", "something", "someone", "anyone"}
# Types whose direct object is what is moved or done, not who it is done to ("moved eight ships").
UNDIRECTED = {"MOBILIZE", "RETREAT", "PROTEST"}
# Types whose direct object is a thing given or shared ("share intelligence", "sent food aid").
THING_OBJECTS = UNDIRECTED | {"COOPERATE", "AID"}
RELATIVE = {"who", "which", "that", "whom"}
ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}


def roles(ctx: ArticleContext, trigger: Token, etype: str | None = None) -> tuple[Actor | None, Actor | None]:
    """(source, target) of the event that ``trigger`` states.

    A mention that resolves to nothing actor-like ("the plans", "information") is dropped:
    an empty role is honest, a wrong one misleads. The target is the first of the
    grammatical candidates (``_target_candidates``) that names an actor, so "threatened
    further action against Russia" looks past "action" to Russia.
    """
    source_tok = _role_source(trigger)
    source = _actor_like(resolve(ctx, source_tok)) if source_tok is not None else None
    taken = {t.i for t in source_tok.subtree} if source_tok is not None else set()
    target = None
    for tok in _target_candidates(trigger, etype):
        if tok.i in taken:
            continue
        target = _actor_like(resolve(ctx, tok))
        if target is not None and not (source and source.name and source.name == target.name):
            break
        target = None
    if target is None and etype not in UNDIRECTED:
        target = _fallback_target(ctx, trigger, source_tok)
    if source and target and source.name and source.name == target.name:
        target = None
    return source, target


def _actor_like(actor: Actor | None) -> Actor | None:
    if actor is None or (actor.kind is None and actor.country is None):
        return None
    return actor


def _role_source(trigger: Token) -> Token | None:
    if trigger.pos_ in ("NOUN", "PROPN"):
        return _noun_source(trigger)
    return _verb_source(trigger)


def _target_candidates(trigger: Token, etype: str | None, depth: int = 0) -> Iterator[Token]:
    """Tokens that may name who the event is done to, most direct first.

    For a verb: the passive subject, the receiver, the object (not for types whose object
    is a thing moved or given), the verb's own prepositions ("against Israel", "to
    Pakistan"), then what the object's phrase names: its owner ("Reagan's statement"),
    its prepositions ("restrictions against German goods", "the removal of the
    president"), a national modifier ("German goods"); then the subject of a clause it
    governs ("demanded that North Korea forsake…") and, through "to", the target of the
    verb it governs ("threatened to cut off electricity to Nakhichevan").
    """
    if trigger.pos_ in ("NOUN", "PROPN"):
        yield from _noun_targets(trigger)
        return
    children = list(trigger.children)
    yield from (_through_relative(c) for c in children if c.dep_ in PASSIVE_DEPS)
    for child in children:  # "gave Tanzania a grant"; "sent aid to Peru" (a "to" parsed as dative)
        if child.dep_ == "dative":
            yield from ((g for g in child.children if g.dep_ == "pobj") if child.pos_ == "ADP"
                        else (child,))
    objects = [c for c in children if c.dep_ == "dobj"
               and not (c.pos_ == "PRON" and c.lower_ in GROUP_PRONOUNS)]
    if etype not in THING_OBJECTS:
        yield from objects
    yield from _prep_objects(trigger, TARGET_PREPS)
    for child in children:
        if child.dep_ == "prt":
            yield from (g for g in child.children if g.dep_ == "pobj")
    for obj in objects:
        yield from _phrase_targets(obj)
    for child in children:
        if child.dep_ in ("ccomp", "xcomp"):
            subj = next((g for g in child.children if g.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and subj.pos_ != "PRON":
                yield subj  # "wants the Governor-General to resign", "says the council must act"
            elif child.dep_ == "xcomp" and child.pos_ == "VERB" and depth < 2:
                yield from _target_candidates(child, None, depth + 1)


def _noun_targets(noun: Token) -> Iterator[Token]:
    """Targets of an event noun: the receiver of the verb it is the object of, the other
    side of "talks between A and B", its prepositions, then the verb's prepositions
    ("issued an ultimatum to Ecuador")."""
    head = noun.head
    if noun.dep_ == "dobj" and head.pos_ == "VERB":
        yield from (c for c in head.children if c.dep_ in ("dative", "nsubjpass"))
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "between":
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            other = next((g for g in pobj.children if g.dep_ == "conj"), None) if pobj is not None else None
            if other is not None:
                yield other
    yield from _prep_objects(noun, TARGET_PREPS - {"of"})
    if noun.dep_ == "dobj" and head.pos_ == "VERB":
        yield from _prep_objects(head, TARGET_PREPS - {"of"})


def _phrase_targets(obj: Token) -> Iterator[Token]:
    """Who an object phrase that is not itself an actor names: owner, prepositions, nation."""
    yield from (c for c in obj.children if c.dep_ == "poss")
    yield from _prep_objects(obj, TARGET_PREPS)
    yield from (c for c in obj.children if c.dep_ in ("amod", "compound")
                and c.ent_type_ in ("NORP", "GPE", "ORG", "PERSON"))


def _prep_objects(head: Token, preps: set[str]) -> Iterator[Token]:
    """The objects of ``head``'s prepositions in ``preps`` that are not places ("in Gaza")."""
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if pobj is not None and not _is_place(pobj):
                yield pobj


def _verb_source(verb: Token) -> Token | None:
    passive = any(c.dep_ in PASSIVE_DEPS for c in verb.children)
    if passive:
        for child in verb.children:
            if child.dep_ == "agent":
                return next((g for g in child.children if g.dep_ == "pobj"), None)
        return None
    subj = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    if subj is not None:
        return _through_pronoun(_through_relative(subj))
    return _climb_for_subject(verb)


def _through_pronoun(subj: Token) -> Token:
    """"Local commanders warned they will shoot", "Pakistan said it had arrested": the pronoun
    subject of a reported clause is usually the reporter."""
    if subj.lower_ not in ("they", "it", "we") or subj.head.dep_ != "ccomp":
        return subj
    outer = next((c for c in subj.head.head.children if c.dep_ == "nsubj"), None)
    if outer is not None and outer.pos_ != "PRON":
        return outer
    return subj


def _noun_source(noun: Token) -> Token | None:
    for child in noun.children:
        if child.dep_ == "poss":
            return child
        if child.dep_ == "prep" and child.lower_ == "between":
            return next((g for g in child.children if g.dep_ == "pobj"), None)  # talks between A and B
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in ("by", "from"):
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if pobj is not None and not _is_place(pobj):
                return pobj  # "attacks by Hamas", "sanctions from the US government"
    for child in noun.children:
        if child.dep_ in ("amod", "compound") and child.ent_type_ in ("NORP", "GPE", "ORG", "PERSON"):
            return child
    head = noun.head
    if noun.dep_ in ("dobj", "attr", "oprd") and head.pos_ in ("VERB", "AUX"):
        return _verb_source(head)
    if noun.dep_ == "pobj" and head.head.pos_ == "VERB":
        return _verb_source(head.head)
    if noun.dep_ in PASSIVE_DEPS:
        return _verb_source(head)
    return None


def _climb_for_subject(token: Token) -> Token | None:
    """The subject of the nearest governing clause ("plans to strike" → who plans)."""
    node = token
    for _ in range(8):
        if node.dep_ not in CLIMB_DEPS or node.head.i == node.i:
            return None
        if node.dep_ == "relcl":
            return node.head
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            subj = next((c for c in node.children if c.dep_ in SUBJECT_DEPS), None)
            if subj is not None:  # "Syria says it is willing to withdraw": Syria
                return _through_pronoun(_through_relative(subj))
            agent = next((c for c in node.children if c.dep_ == "agent"), None)
            if agent is not None:
                return next((g for g in agent.children if g.dep_ == "pobj"), None)
    return None


def _through_relative(tok: Token) -> Token:
    """"who" in a relative clause stands for the noun the clause describes."""
    if tok.lower_ in RELATIVE:
        node = tok.head
        while node.dep_ != "relcl" and node.head.i != node.i:
            node = node.head
        if node.dep_ == "relcl":
            return node.head
    return tok


def _is_place(tok: Token) -> bool:
    return tok.ent_type_ in ("LOC", "FAC") or (
        tok.ent_type_ == "GPE" and tok.head.lower_ in ("in", "at", "near", "inside"))


def _fallback_target(ctx: ArticleContext, trigger: Token, source_tok: Token | None) -> Actor | None:
    """A named actor inside the trigger's phrase when the grammar gives no object."""
    skip = set(source_tok.subtree) if source_tok is not None else set()
    for tok in trigger.subtree:
        if tok in skip or tok.i <= trigger.i or tok.ent_type_ not in ("PERSON", "ORG", "NORP"):
            continue
        if tok.ent_type_ == "NORP" and tok.dep_ in ("amod", "compound"):
            continue  # "the Venezuelan coast" names a place, not who was hit
        if tok.ent_iob_ == "B" or tok.i == tok.sent.start:
            return resolve(ctx, tok)
    return None


def register_names(ctx: ArticleContext) -> None:
    """Resolve every named person and outlet once, in text order, before the stages run.

    Later short mentions ("Leavitt", "the report") then find the full name even when a stage
    looks at them before the sentence that introduced it.
    """
    for ent in ents_in(ctx.doc):
        if ent.label_ in ("PERSON", "ORG"):
            resolve(ctx, ent.root)


# --- resolving a mention -----------------------------------------------------------------

def mention_span(tok: Token) -> Span:
    """The words that name the actor: its noun phrase without relative clauses or appositions."""
    doc = tok.doc
    ent = _entity_at(tok)
    left = tok.left_edge.i
    right = tok.i
    for child in tok.rights:
        if child.dep_ in ("relcl", "appos", "acl", "punct", "cc", "conj", "advcl", "prep"):
            if child.dep_ == "prep" and child.lower_ == "of":
                right = max(right, child.right_edge.i)
            break
        right = max(right, child.right_edge.i)
    if ent is not None:
        left, right = min(left, ent.start), max(right, ent.end - 1)
    while left < right and doc[left].is_punct:
        left += 1
    return doc[left:right + 1]


def _entity_at(tok: Token) -> Span | None:
    return ent_at(tok)


def resolve(ctx: ArticleContext, tok: Token) -> Actor | None:
    """The actor a token's mention names, as far as the article and the dictionaries allow."""
    low = tok.lower_
    if tok.pos_ != "PRON" and tok.tag_ not in ("PRP", "PRP$", "WP", "WDT", "DT"):
        low = ""
    if low in PRONOUNS:
        person = ctx.person_before(tok.idx, prefer_subject=_is_subject(tok))
        return Actor(person.text, person.name, person.country, person.kind) if person else None
    if low == "it" and tok.dep_ == "nsubj" and tok.head.lemma_.lower() in ctx.lex.words("speech_verbs"):
        body = ctx.body_before(tok.idx)  # "…, it said": the organisation last named
        return Actor(body.text, body.name, body.country, body.kind) if body else None
    if low in GROUP_PRONOUNS:
        return None
    earlier = _described_before(ctx, tok) or _document_issuer(ctx, tok)
    if earlier is not None:
        return earlier
    owner = _owner(tok)
    if owner is not None:
        return resolve(ctx, owner)
    named = next((c for c in tok.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"), None)
    if named is not None and tok.ent_type_ != "PERSON":
        return resolve(ctx, named)  # "the foreign minister, Elena Castañeda": the person
    span = mention_span(tok)
    actor = (_from_dictionary(ctx, span) or _from_person(ctx, span) or _from_country(ctx, span, tok)
             or _from_noun(ctx, span, tok))
    if actor is None:
        actor = _from_entity(ctx, span)
    ctx.remember(actor, span.start_char, _is_person(span), _is_subject(tok))
    return actor


# Nouns that, after "the", point back to someone already named ("the official", "the minister").
TITLE_NOUNS = {"official", "minister", "spokesman", "spokeswoman", "spokesperson", "president",
               "leader", "envoy", "commander", "general", "ambassador", "secretary", "governor",
               "mayor", "senator", "diplomat", "negotiator", "mediator", "premier", "chancellor"}


def _described_before(ctx: ArticleContext, tok: Token) -> Actor | None:
    """"the official" as a bare definite description: the actor last described so."""
    if tok.lemma_.lower() not in TITLE_NOUNS or tok.ent_type_:
        return None
    children = list(tok.children)
    if not any(c.dep_ == "det" and c.lower_ == "the" for c in children):
        return None
    if any(c.dep_ in ("amod", "compound", "poss", "prep", "appos", "nmod") for c in children):
        return None  # "the foreign minister", "the minister of defence": a description of its own
    found = ctx.described_before(tok.idx, tok.lower_)
    if found is None:
        return None
    return Actor(mention_span(tok).text, found.name, found.country, found.kind)


# What speaks for an organisation: "a statement said…" is the organisation that issued it.
DOCUMENT_NOUNS = {"statement", "communique", "communiqué", "letter", "release", "declaration"}


def _document_issuer(ctx: ArticleContext, tok: Token) -> Actor | None:
    """The issuer of "a statement": its owner ("the ministry's statement", "a statement
    from Hamas"), else the organisation last named."""
    if tok.lemma_.lower() not in DOCUMENT_NOUNS or tok.pos_ != "NOUN":
        return None
    for child in tok.children:
        if child.dep_ == "poss" or (child.dep_ == "compound" and child.ent_type_ in ("ORG", "GPE", "NORP")):
            return _actor_like(resolve(ctx, child))
        if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                return _actor_like(resolve(ctx, pobj))
    body = ctx.body_before(tok.idx)
    return Actor(mention_span(tok).text, body.name, body.country, body.kind) if body else None


# People who speak for a body: "an official from Fatah" is Fatah's.
REPRESENTATIVES = frozenset({"official", "spokesman", "spokeswoman", "spokesperson",
                             "representative", "delegate", "envoy", "diplomat", "officer"})

RELATIONAL = {"leadership", "member", "members", "leader", "head", "chief", "supporter",
              "loyalist", "part", "wing", "faction", "remnant", "rest", "some", "many", "most",
              "group", "delegation", "team", "contingent", "coalition", "band"}


def _owner(tok: Token) -> Token | None:
    """"members of Hamas", "leadership and members of drug cartels": the group named after "of";
    "an official from Arafat's Fatah movement": the body a representative comes from."""
    if tok.lemma_.lower() in REPRESENTATIVES and not tok.ent_type_:
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "from":
                pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
                if pobj is not None and (pobj.ent_type_ in ("ORG", "NORP", "GPE")
                                         or any(c.ent_type_ in ("ORG", "NORP") for c in pobj.children)):
                    return pobj
    if tok.lemma_.lower() not in RELATIONAL and tok.lower_ not in RELATIONAL:
        return None
    for node in (tok, *(c for c in tok.children if c.dep_ == "conj")):
        for child in node.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj
    return None


def _strip_det(text: str) -> str:
    for det in ("the ", "The ", "a ", "A ", "an ", "An "):
        if text.startswith(det):
            return text[len(det):]
    return text


def _is_person(span: Span) -> bool:
    return any(e.label_ == "PERSON" for e in ents_in(span))


def _from_dictionary(ctx: ArticleContext, span: Span) -> Actor | None:
    entry = ctx.actors.get(span.text)
    if entry is None:
        for ent in ents_in(span):
            entry = ctx.actors.get(ent.ent_id_ or ent.text) if ent.ent_id_ else ctx.actors.get(ent.text)
            if entry is not None:
                break
    if entry is None:
        return None
    kind = _head_kind(ctx, span) if entry.type != "person" and entry.kind == "government" else None
    return Actor(span.text, entry.name, entry.country, kind or entry.kind_on(ctx.article.published))


def _from_person(ctx: ArticleContext, span: Span) -> Actor | None:
    person = next((e for e in ents_in(span) if e.label_ == "PERSON"), None)
    if person is None:
        return None
    name = _strip_title(person.text)
    parts = name.split()
    earlier = ctx.person_before(span.start_char, parts[-1]) if parts else None
    if earlier is not None and len(parts) == 1:
        return Actor(span.text, earlier.name, earlier.country, earlier.kind)
    country = _modifier_country(ctx, span, exclude=person)
    title = _apposed_title(person.root)
    if country is None and title is not None:
        country = _modifier_country(ctx, title)  # "Venezuela's foreign minister, Elena Castañeda"
    if country is None and earlier is not None:
        country = earlier.country
    kind = (_head_kind(ctx, span, title_only=True) or (_head_kind(ctx, title) if title is not None else None)
            or (earlier.kind if earlier else None))
    return Actor(span.text, name, country or ctx.home, kind or "government")


def _apposed_title(name: Token) -> Span | None:
    """The title set beside a name: "the foreign minister, X" or "X, the foreign minister"."""
    doc = name.doc
    if name.dep_ == "appos" and name.head.pos_ == "NOUN":
        head = name.head
        return doc[head.left_edge.i:head.i + 1]
    for child in name.children:
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            return doc[child.left_edge.i:child.i + 1]
    return None


def _strip_title(name: str) -> str:
    for title in ("Mr ", "Mr. ", "Mrs ", "Mrs. ", "Ms ", "Ms. ", "Dr ", "Dr. ", "Sir ", "Dame "):
        if name.startswith(title):
            return name[len(title):]
    return name.removesuffix("'s").removesuffix("’s")


def _from_country(ctx: ArticleContext, span: Span, tok: Token) -> Actor | None:
    """"Venezuela", "the US", "Pakistan's Foreign Ministry", "Israeli troops"."""
    iso = _modifier_country(ctx, span)
    if iso is None:
        return None
    kind = _head_kind(ctx, span)
    country = ctx.gaz.country(iso)
    if kind is None and _people_of_a_nation(ctx, tok):  # "three Palestinians", "young Algerians"
        singular = tok.text[:-1]
        name = f"{singular} civilians" if ctx.gaz.country_by_demonym(singular) else tok.text
        return Actor(span.text, name, iso, "civilians")
    cname = country.name if country else iso
    whole = country_of_name(span.text, ctx.gaz) == iso or tok.ent_type_ in ("GPE",) and kind is None
    if whole or kind is None:
        return Actor(span.text, cname, iso, kind or "government")
    label = ctx.lex.kind_labels.get(kind, kind)
    name = cname if kind == "government" else f"{cname} {label}"
    return Actor(span.text, name, iso if kind not in ("rebels",) else iso, kind)


def _is_subject(tok: Token) -> bool:
    """Whether the mention is the subject of a main clause ("Gissin says…"), or its agent
    ("…was spelt out by spokesman Raanan Gissin"), or stands beside one ("the minister,
    Jane Doe, said"). Subjects of reported clauses ("says Israel will…") do not count."""
    node = tok
    while node.dep_ in ("appos", "compound", "flat") and node.head.i != node.i:
        node = node.head
    if node.dep_ == "pobj" and node.head.dep_ == "agent":
        node = node.head
        return node.head.dep_ in ("ROOT", "conj")
    return node.dep_ in ("nsubj", "nsubjpass") and node.head.dep_ in ("ROOT", "conj") \
        and node.head.pos_ in ("VERB", "AUX")


def _people_of_a_nation(ctx: ArticleContext, tok: Token) -> bool:
    """A plural demonym that counts or describes people ("three Palestinians", "young
    Algerians", "thousands of Kurds"), not "the Israelis", which news uses for the state."""
    if tok.tag_ not in ("NNPS", "NNS") or not tok.text.endswith("s"):
        return False
    if tok.ent_type_ != "NORP" and not (ctx.gaz.country_by_demonym(tok.text)
                                        or ctx.gaz.country_by_demonym(tok.text[:-1])):
        return False
    if any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
        return False
    return True


def _from_entity(ctx: ArticleContext, span: Span) -> Actor:
    """An organisation or name the dictionaries do not know: keep it, kind "other".

    Anything else (a plain noun phrase) gets no kind, so that roles() can drop it.
    """
    ent = next((e for e in ents_in(span) if e.label_ in ("ORG", "PERSON", "NORP")), None)
    name = _strip_det(ent.text if ent is not None else span.text)
    return Actor(span.text, name, None, "other" if ent is not None else None)


def _from_noun(ctx: ArticleContext, span: Span, tok: Token) -> Actor | None:
    kind = _head_kind(ctx, span)
    if kind is None:
        return None
    country = ctx.home if kind in NATIONAL_KINDS else None
    return Actor(span.text, _canonical(ctx, span, kind, country), country, kind)


def _canonical(ctx: ArticleContext, span: Span, kind: str, country: str | None) -> str:
    """A name that counts the same body the same way: "police" in Kenya → "Kenya police",
    "the government" → "Kenya"; other groups keep their words ("protesters")."""
    if country is not None and kind in STATE_KINDS and len(span) <= 3:
        found = ctx.gaz.country(country)
        cname = found.name if found else country
        return cname if kind == "government" else f"{cname} {ctx.lex.kind_labels.get(kind, kind)}"
    return _strip_det(span.text)


def _modifier_country(ctx: ArticleContext, span: Span, exclude: Span | None = None) -> str | None:
    """The country named inside a mention, by place name or demonym."""
    for ent in ents_in(span):
        if exclude is not None and ent.start == exclude.start:
            continue
        if ent.label_ in ("GPE", "NORP", "LOC"):
            iso = country_of_name(ent.text.removesuffix("'s").removesuffix("’s"), ctx.gaz,
                                  ctx.countries)
            if iso:
                return iso
    for tok in span:
        if tok.pos_ in ("ADJ", "PROPN", "NOUN") and tok.text[:1].isupper() and tok.ent_type_ != "PERSON":
            country = ctx.gaz.country_by_name(tok.text) or ctx.gaz.country_by_demonym(tok.text)
            if country:
                return country.iso3
    return None


def _head_kind(ctx: ArticleContext, span: Span, title_only: bool = False) -> str | None:
    """The kind a mention's nouns imply ("troops" → military), the longest phrase first."""
    words = [t.lemma_.lower() for t in span if not t.is_punct]
    nouns = ctx.lex.actor_nouns
    for size in (3, 2):
        for i in range(len(words) - size, -1, -1):
            kind = nouns.get(" ".join(words[i:i + size]))
            if kind:
                return kind
    for tok in reversed(list(span)):
        if tok.pos_ in ("NOUN", "PROPN") or not title_only:
            kind = nouns.get(tok.lemma_.lower()) or nouns.get(tok.lower_)
            if kind:
                return kind
    return None
