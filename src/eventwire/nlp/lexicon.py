"""Load the packaged lexicons (data/*.yaml) into lookup tables, once per process.

Knowledge lives in data files so that it can be read, reviewed and extended
without touching code; this module only turns them into dictionaries and sets.
Users add their own files through ``Lexicon.load(extra=[...])``: entries in a
later file are merged over the packaged ones.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError

TypeMode = tuple[str, str | None]


@dataclass(frozen=True)
class Triggers:
    """Trigger words by part of speech; each maps to every (type, mode) it can state."""

    verbs: dict[str, tuple[TypeMode, ...]]
    phrasal: dict[tuple[str, str], tuple[TypeMode, ...]]
    nouns: dict[str, tuple[TypeMode, ...]]
    objects: dict[tuple[str, str], tuple[TypeMode, ...]]


@dataclass(frozen=True)
class Lexicon:
    """Everything the extraction stages look up: triggers, grammar cues, actor nouns."""

    triggers: Triggers
    grammar: dict[str, Any]
    actor_nouns: dict[str, str]             # lemma or phrase -> kind
    kind_labels: dict[str, str]             # kind -> label used in canonical names
    sets: dict[str, frozenset[str]] = field(default_factory=dict)

    def words(self, key: str) -> frozenset[str]:
        """A grammar list as a set (``lex.words("reporting_verbs")``)."""
        return self.sets.get(key, frozenset())

    def status_of(self, group: str, lemma: str) -> str | None:
        """The status a governing word gives its complement, e.g. ("status_governors", "plan")."""
        for status, words in self.grammar.get(group, {}).items():
            if lemma in words:
                return status
        return None

    @classmethod
    def load(cls, extra: tuple[str, ...] = ()) -> Lexicon:
        """The packaged lexicon, with the user's files in ``extra`` merged over it."""
        return _load(tuple(str(p) for p in extra))


def read_yaml(name: str) -> Any:
    """A packaged data file, parsed."""
    try:
        text = resources.files("eventwire.data").joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise ConfigError(f"packaged data file {name} is missing",
                          hint="reinstall eventwire (pip install --force-reinstall eventwire)") from e
    return yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a safe loader, the C one when built


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_user_yaml(path: str) -> Any:
    """A user's lexicon file; a syntax error names the file and line."""
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.safe_load(f)
    except OSError as e:
        raise ConfigError(f"cannot read lexicon file: {e.strerror}", source=path,
                          hint="check the path given in the settings") from e
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else path
        raise ConfigError(f"not valid YAML: {getattr(e, 'problem', e)}", source=where,
                          hint="fix the line shown, or remove the file from the settings") from e


@lru_cache(maxsize=4)
def _load(extra: tuple[str, ...]) -> Lexicon:
    triggers = read_yaml("triggers.yaml")
    grammar = read_yaml("grammar.yaml")
    nouns = read_yaml("actor_nouns.yaml")
    for path in extra:
        data = read_user_yaml(path) or {}
        _merge(triggers, data.get("triggers", {}))
        _merge(grammar, data.get("grammar", {}))
        _merge(nouns, data.get("actor_nouns", {}))
    actor_nouns, labels = _actor_nouns(nouns)
    sets = {k: frozenset(v) for k, v in grammar.items() if isinstance(v, list)}
    return Lexicon(_triggers(triggers), grammar, actor_nouns, labels, sets)


def _merge(base: dict, extra: dict) -> None:
    """Merge ``extra`` into ``base``: dicts recursively, lists by union."""
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        elif isinstance(value, list) and isinstance(base.get(key), list):
            base[key] = base[key] + [v for v in value if v not in base[key]]
        else:
            base[key] = value


def _triggers(data: dict[str, dict]) -> Triggers:
    verbs: dict[str, list[TypeMode]] = {}
    phrasal: dict[tuple[str, str], list[TypeMode]] = {}
    nouns: dict[str, list[TypeMode]] = {}
    objects: dict[tuple[str, str], list[TypeMode]] = {}
    for etype, groups in data.items():
        for word, mode in (groups.get("verbs") or {}).items():
            verbs.setdefault(word, []).append((etype, mode))
        for word, mode in (groups.get("nouns") or {}).items():
            nouns.setdefault(word, []).append((etype, mode))
        for phrase, mode in (groups.get("phrasal") or {}).items():
            head, _, rest = phrase.partition(" ")
            phrasal.setdefault((head, rest), []).append((etype, mode))
        for phrase, mode in (groups.get("objects") or {}).items():
            head, _, obj = phrase.partition(" ")
            objects.setdefault((head, obj), []).append((etype, mode))
    freeze = lambda d: {k: tuple(v) for k, v in d.items()}  # noqa: E731
    return Triggers(freeze(verbs), freeze(phrasal), freeze(nouns), freeze(objects))


def _actor_nouns(data: dict[str, dict]) -> tuple[dict[str, str], dict[str, str]]:
    words: dict[str, str] = {}
    labels: dict[str, str] = {}
    for kind, entry in data.items():
        labels[kind] = entry.get("label", kind)
        for noun in entry.get("nouns") or []:
            words.setdefault(str(noun).lower(), kind)
    return words, labels


def user_file(path: str | Path) -> str:
    """Normalise a user lexicon path for the cache key."""
    return str(Path(path).expanduser().resolve())
