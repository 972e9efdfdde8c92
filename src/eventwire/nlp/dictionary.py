"""The actor dictionary: known people and organisations with aliases, country and kind.

The packaged dictionary (data/actors.yaml) is versioned data; users extend it
with their own YAML files of the same shape. Lookups are by exact alias first
(case-sensitive, since "AP" and "ap" differ), then case-insensitively.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import yaml

from ..errors import ConfigError
from ..model import ACTOR_KINDS
from .lexicon import read_user_yaml, read_yaml

_ISO3 = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class Role:
    """An office held from ``start`` to ``end`` (ISO dates; ``end`` None = still held)."""

    title: str
    start: str | None
    end: str | None
    kind: str | None = None  # the kind while in this office, when not the entry's own

    def covers(self, day: str) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class ActorEntry:
    """One known actor."""

    name: str
    aliases: tuple[str, ...]
    country: str | None
    kind: str
    type: str  # "person" | "organization"
    roles: tuple[Role, ...] = ()

    def kind_on(self, day: str | None) -> str:
        """The actor's kind on a day: in office, its role's kind; out of office, ``other``.

        A person with dated offices speaks for a government only while holding
        one: Bush quoted in 2015 is a former president, not the US government.
        With no day (an undated article) or no dated offices, the entry's
        usual kind stands.
        """
        if not day or not self.roles or self.type != "person":
            return self.kind
        for role in self.roles:
            if role.covers(day[:10]):
                return role.kind or self.kind
        return "other" if self.kind in _OFFICE_KINDS else self.kind


# Kinds that come from holding an office; out of office, a person has neither.
_OFFICE_KINDS = frozenset({"government", "military", "police"})


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
    roles = tuple(_role(r, f"{where} ({item['name']})") for r in item.get("roles") or [])
    return ActorEntry(str(item["name"]), aliases, country, kind,
                      str(item.get("type") or "organization"), roles)


def _role(item: Any, where: str) -> Role:
    """One dated office; dates may be YAML dates or strings, checked as YYYY-MM-DD."""
    if not isinstance(item, dict) or not item.get("title"):
        raise ConfigError("each role needs a 'title'", source=where,
                          hint="write roles as {title: ..., start: YYYY-MM-DD, end: YYYY-MM-DD or null}")
    kind = item.get("kind")
    if kind is not None and kind not in ACTOR_KINDS:
        raise ConfigError(f"unknown role kind {kind!r}", source=where,
                          hint=f"use one of: {', '.join(ACTOR_KINDS)}")
    return Role(str(item["title"]), _role_day(item.get("start"), where),
                _role_day(item.get("end"), where), kind)


def _role_day(value: Any, where: str) -> str | None:
    if value is None:
        return None
    text = value.isoformat() if isinstance(value, date) else str(value)
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
        raise ConfigError(f"role date {text!r} is not YYYY-MM-DD", source=where,
                          hint="write dates as YYYY-MM-DD, or null for an office still held")
    return text
