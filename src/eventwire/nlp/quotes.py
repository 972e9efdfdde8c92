"""Quotes: reported speech, direct (in quotation marks) and indirect ("X said that …").

Direct quotes are found from the quotation marks in the text; the speaker is
the subject of the nearest verb of saying outside the marks in the same
sentence, or, for a quote that fills its own paragraph, the speaker of the
quote before it (cue null). Indirect quotes are the complement clause of a
verb of saying. News outlets "reporting" are attribution, not quotes, and
short phrases in marks with no speaker are scare quotes, not quotes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Actor, Quote
from .actors import resolve
from .context import QUOTED as PAIRS
from .context import ArticleContext, according_to

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

SCARE_MAX_WORDS = 3


@dataclass
class _Marked:
    start: int
    end: int


def find_quotes(ctx: ArticleContext) -> list[Quote]:
    """Every direct and indirect quote in the article, in text order."""
    direct = _direct_quotes(ctx)
    spans = [(q.start, q.end) for q in direct]
    indirect = [q for q in _indirect_quotes(ctx) if not _mostly_quoted(q.start, q.end, spans)]
    return sorted(direct + indirect, key=lambda q: q.start)


def _mostly_quoted(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """An indirect quote that is mostly a direct one already: "said that “…”" counts once."""
    covered = sum(max(0, min(end, e + 1) - max(start, s - 1)) for s, e in spans)
    return covered >= 0.5 * (end - start)


# --- direct --------------------------------------------------------------------------------

def _direct_quotes(ctx: ArticleContext) -> list[Quote]:
    doc = ctx.doc
    text = ctx.text
    marked = [_Marked(m.start() + 1, m.end() - 1) for m in PAIRS.finditer(text)]
    spans = [(m.start, m.end) for m in marked]
    quotes: list[Quote] = []
    previous: Quote | None = None
    for m in marked:
        words = text[m.start:m.end]
        if not words.strip():
            continue
        cue = _cue_for(doc, m, spans, ctx)
        speaker = resolve(ctx, _subject(cue)) if cue is not None and _subject(cue) is not None else None
        if cue is None and previous is not None and _own_paragraph(text, m) and _follows(text, previous, m):
            quotes.append(Quote(words, m.start, m.end, "direct", previous.speaker, None))
            previous = quotes[-1]
            continue
        if cue is None and previous is not None and _same_paragraph(text, previous, m):
            quotes.append(Quote(words, m.start, m.end, "direct", previous.speaker, previous.cue))
            previous = quotes[-1]
            continue
        if cue is None and len(words.split()) <= SCARE_MAX_WORDS or _title(words):
            continue  # scare quotes, and titles of shows and books ("Meet the Press")
        if speaker is None and cue is None and not _own_paragraph(text, m):
            speaker = _according_to_speaker(ctx, m)
            if speaker is None and len(words.split()) <= 6:
                continue
        q = Quote(words, m.start, m.end, "direct", speaker, cue.text if cue is not None else None)
        quotes.append(q)
        previous = q
    return quotes


def _title(words: str) -> bool:
    """"Meet the Press", "Fox News Sunday": a short run of capitalised words names a work."""
    tokens = words.strip(" ,.").split()
    small = {"the", "of", "and", "a", "an", "in", "on", "for", "to", "with"}
    return 0 < len(tokens) <= 5 and all(t[:1].isupper() or t in small for t in tokens) and \
        tokens[0][:1].isupper() and not words.rstrip().endswith((".", ",", "!", "?"))


def _cue_for(doc: Doc, m: _Marked, spans: list[tuple[int, int]], ctx: ArticleContext) -> Token | None:
    """The verb of saying for a quoted span: outside all marks, in the sentences around it."""
    speech = ctx.lex.words("speech_verbs") | ctx.lex.words("reporting_verbs")
    first = doc.char_span(m.start, m.end, alignment_mode="expand")
    if first is None:
        return None
    sents = list({s.start: s for s in (first[0].sent, first[-1].sent)}.values())
    start = min(s.start for s in sents)
    end = max(s.end for s in sents)
    best: Token | None = None
    for tok in doc[start:end]:
        if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in speech:
            continue
        if any(s - 1 <= tok.idx < e + 1 for s, e in spans):
            continue
        if _subject(tok) is None:
            continue
        dist = min(abs(tok.idx - m.start), abs(tok.idx - m.end))
        if best is None or dist < min(abs(best.idx - m.start), abs(best.idx - m.end)):
            best = tok
    return best


def _subject(verb: Token) -> Token | None:
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None and verb.dep_ in ("conj", "advcl", "xcomp"):
        return _subject(verb.head) if verb.head.pos_ in ("VERB", "AUX") else None
    if subj is not None and (subj.lower_ in ("there", "this", "that", "which") or subj.dep_ == "nsubjpass"):
        return None
    return subj


def _own_paragraph(text: str, m: _Marked) -> bool:
    before = text.rfind("\n", 0, m.start)
    line_start = before + 1
    after = text.find("\n", m.end)
    line_end = after if after >= 0 else len(text)
    return not text[line_start:m.start - 1].strip() and not text[m.end + 1:line_end].strip()


def _same_paragraph(text: str, previous: Quote, m: _Marked) -> bool:
    """A second quoted piece in the paragraph of a quote with a speaker continues that speech."""
    return previous.speaker is not None and "\n" not in text[previous.end:m.start]


def _follows(text: str, previous: Quote, m: _Marked) -> bool:
    """Whether a paragraph-long quote continues the previous quote (no other speech between)."""
    between = text[previous.end:m.start]
    return between.count("\n\n") <= 1 and len(between) < 400


def _according_to_speaker(ctx: ArticleContext, m: _Marked) -> Actor | None:
    span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return None
    for to in according_to(span[0].sent):
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is not None:
            return resolve(ctx, pobj)
    return None


# --- indirect ------------------------------------------------------------------------------

def _indirect_quotes(ctx: ArticleContext) -> list[Quote]:
    speech = ctx.lex.words("speech_verbs")
    quotes = []
    for tok in ctx.doc:
        if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in speech:
            continue
        clause = _speech_clause(tok)
        subj = _subject(tok)
        if clause is None or subj is None or not _reports_a_statement(clause, tok):
            continue
        speaker = resolve(ctx, subj)
        if speaker is not None and speaker.kind == "media":
            continue
        start, end = _clause_bounds(clause)
        if end - start < 8:
            continue
        quotes.append(Quote(ctx.text[start:end], start, end, "indirect", speaker, tok.text))
    return quotes


def _speech_clause(verb: Token) -> Token | None:
    """The clause a verb of saying reports: its complement, or a "that" clause the parser hung
    on the hearer ("told intermediaries that he would…")."""
    clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    if clause is not None:
        return clause
    for obj in verb.children:
        if obj.dep_ in ("dobj", "dative"):
            for child in obj.children:
                if child.dep_ in ("acl", "relcl", "ccomp") and any(
                        g.dep_ == "mark" and g.lower_ == "that" for g in child.children):
                    return child
    return None


WH_WORDS = {"what", "how", "where", "when", "whether", "who", "whom", "which", "why"}


REFUSALS = frozenset({"refuse", "decline", "fail", "unable", "reluctant"})


def _reports_a_statement(clause: Token, verb: Token) -> bool:
    """Whether a complement reports what was said: a clause with a verb of its own, not
    what someone would not say ("refused to say what tactics…", "did not say how many")
    or a small clause ("declared Arafat irrelevant"). A question asked ("asked whether
    talks would resume") is reported speech."""
    first = next(iter(clause.subtree))
    if first.lower_ in WH_WORDS and first.dep_ not in ("nsubj", "nsubjpass") and _withheld(verb):
        return False
    return clause.pos_ in ("VERB", "AUX") or any(
        t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod",) for t in clause.subtree
        if t.head == clause)


def _withheld(verb: Token) -> bool:
    """"would not say", "refused to say", "declined to say": nothing was said."""
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    head = verb.head
    return verb.dep_ in ("xcomp", "acomp") and (head.lemma_.lower() in REFUSALS
                                                 or any(c.dep_ == "neg" for c in head.children))


def _clause_bounds(clause: Token) -> tuple[int, int]:
    """Character bounds of a complement clause without its "that" and trailing punctuation."""
    toks = list(clause.subtree)
    while toks and (toks[0].dep_ == "mark" or toks[0].is_punct):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].is_space):
        toks = toks[:-1]
    if not toks:
        return clause.idx, clause.idx
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)
