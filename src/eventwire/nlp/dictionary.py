"""The actor dictionary: known people and organisations with aliases, country and kind.

The packaged dictionary (data/actors.yaml) is versioned data; users extend it
with their own YAML files of the same shape. Lookups are by exact alias first
(case-sensitive, since "AP" and "ap" differ), then case-insensitively.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from ..errors import ConfigError
from ..model import ACTOR_KINDS
from .lexicon import read_user_yaml, read_yaml

_ISO3 = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class ActorEntry:
    """One known actor."""

    name: str
    aliases: tuple[str, ...]
    country: str | None
    kind: str
    type: str  # "person" | "organization"


class ActorDictionary:
    """Aliases → actors, with the longest-match search that actor resolution needs."""

    def __init__(self, entries: list[ActorEntry], version: str = "1"):
        self.entries = entries
        self.version = version
        self._exact: dict[str, ActorEntry] = {}
        self._folded: dict[str, ActorEntry] = {}
        for entry in entries:
            for alias in (entry.name, *entry.aliases):
                self._exact.setdefault(alias, entry)
                self._folded.setdefault(_fold(alias), entry)

    @classmethod
    def load(cls, extra: tuple[str, ...] = ()) -> ActorDictionary:
        """The packaged dictionary with the user's files merged over it (later files win)."""
        return _load(tuple(extra))

    def get(self, text: str) -> ActorEntry | None:
        """The actor a whole mention names ("the Pentagon", "Mr Arafat"), if known."""
        text = text.strip()
        return self._exact.get(text) or self._folded.get(_fold(text)) or self._folded.get(
            _fold(_strip_det(text)))

    def aliases(self) -> list[tuple[str, ActorEntry]]:
        """Every (alias, entry) pair, for building the entity ruler."""
        return list(self._exact.items())


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace(".", "")).strip().lower()


def _strip_det(text: str) -> str:
    return re.sub(r"^(the|a|an)\s+", "", text.strip(), flags=re.I)


@lru_cache(maxsize=4)
def _load(extra: tuple[str, ...]) -> ActorDictionary:
    data = read_yaml("actors.yaml") or {}
    entries = [_entry(item, "actors.yaml", i) for i, item in enumerate(data.get("actors") or [])]
    for path in extra:
        user = read_user_yaml(path) or {}
        if not isinstance(user, dict) or not isinstance(user.get("actors"), list):
            raise ConfigError("expected a mapping with a list under 'actors:'", source=path,
                              hint="see the packaged data/actors.yaml for the format")
        lines = _entry_lines(path)
        entries = [_entry(item, path, i, lines[i] if i < len(lines) else None)
                   for i, item in enumerate(user["actors"])] + entries
    return ActorDictionary(entries, str(data.get("version", "1")))


def _entry_lines(path: str) -> list[int]:
    """The line on which each entry under ``actors:`` starts, so errors can point at it."""
    with open(path, encoding="utf-8") as f:
        root = yaml.compose(f)
    for key, value in getattr(root, "value", []):
        if getattr(key, "value", None) == "actors" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _entry(item: Any, path: str, index: int, line: int | None = None) -> ActorEntry:
    """Validate one entry; a bad one names its file and line."""
    where = f"{path}:{line}" if line else f"{path}: actor #{index + 1}"
    if not isinstance(item, dict) or not item.get("name"):
        raise ConfigError("each actor needs a 'name'", source=where,
                          hint="add name: and kind: to the entry")
    kind = item.get("kind") or "other"
    if kind not in ACTOR_KINDS:
        raise ConfigError(f"unknown kind {kind!r}", source=f"{where} ({item['name']})",
                          hint=f"use one of: {', '.join(ACTOR_KINDS)}")
    country = item.get("country")
    if country is not None and not _ISO3.match(str(country)):
        raise ConfigError(f"country {country!r} is not an ISO 3166-1 alpha-3 code",
                          source=f"{where} ({item['name']})", hint="write e.g. USA, VEN, PSE or null")
    aliases = tuple(str(a) for a in item.get("aliases") or [])
    return ActorEntry(str(item["name"]), aliases, country, kind, str(item.get("type") or "organization"))
