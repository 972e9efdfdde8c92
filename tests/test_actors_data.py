"""Checks on the packaged actor dictionary (src/eventwire/data/actors.yaml).

The extractor looks aliases up case-sensitively and expects each to name one
actor, so these tests guard the file's shape and its one-alias-one-actor rule.
"""

import datetime as dt
import re
from collections import defaultdict
from importlib import resources
from typing import Any

import pytest
import yaml

KINDS = {
    "government", "military", "police", "rebels", "criminal", "party", "civilians",
    "media", "igo", "ngo", "business", "religious", "other",
}
TYPES = {"person", "organization"}
REQUIRED = {"name", "aliases", "country", "kind", "type"}
ALLOWED = REQUIRED | {"roles"}
COUNTRY = re.compile(r"^[A-Z]{3}$")


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    text = (resources.files("eventwire.data") / "actors.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@pytest.fixture(scope="module")
def actors(data: dict[str, Any]) -> list[dict[str, Any]]:
    return data["actors"]


@pytest.fixture(scope="module")
def by_surface(actors: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every surface form (name or alias) mapped to its entry."""
    return {form: actor for actor in actors for form in [actor["name"], *actor["aliases"]]}


def as_date(value: Any) -> dt.date:
    """YAML reads unquoted ISO dates as date objects; accept quoted ones too."""
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def test_version_and_size(data: dict[str, Any]) -> None:
    assert isinstance(data["version"], int) and data["version"] >= 1
    assert len(data["actors"]) >= 500


def test_entries_have_valid_fields(actors: list[dict[str, Any]]) -> None:
    for actor in actors:
        assert REQUIRED <= actor.keys() <= ALLOWED, actor
        assert isinstance(actor["name"], str) and actor["name"].strip() == actor["name"] != ""
        assert actor["kind"] in KINDS, actor["name"]
        assert actor["type"] in TYPES, actor["name"]
        assert actor["country"] is None or COUNTRY.match(actor["country"]), actor["name"]


def test_aliases_are_clean_strings(actors: list[dict[str, Any]]) -> None:
    for actor in actors:
        aliases = actor["aliases"]
        assert isinstance(aliases, list), actor["name"]
        assert len(aliases) == len(set(aliases)), f"repeated alias in {actor['name']}"
        for alias in aliases:
            assert isinstance(alias, str) and alias.strip() == alias != "", (actor["name"], alias)
            assert alias != actor["name"], f"{actor['name']} lists its own name as an alias"


def test_names_are_unique(actors: list[dict[str, Any]]) -> None:
    names = [actor["name"] for actor in actors]
    assert len(names) == len(set(names))


def test_each_surface_form_names_one_actor(actors: list[dict[str, Any]]) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for actor in actors:
        for form in [actor["name"], *actor["aliases"]]:
            owners[form].add(actor["name"])
    shared = {form: sorted(names) for form, names in owners.items() if len(names) > 1}
    assert shared == {}


def test_roles_have_valid_dates(actors: list[dict[str, Any]]) -> None:
    for actor in actors:
        for role in actor.get("roles") or []:
            assert set(role) == {"title", "start", "end"}, (actor["name"], role)
            assert isinstance(role["title"], str) and role["title"], actor["name"]
            start = as_date(role["start"])
            if role["end"] is not None:
                assert start <= as_date(role["end"]), (actor["name"], role)


def test_roles_only_on_people(actors: list[dict[str, Any]]) -> None:
    assert all(actor["type"] == "person" for actor in actors if actor.get("roles"))


@pytest.mark.parametrize(
    ("surface", "name", "country", "kind", "type_"),
    [
        ("Trump", "Donald Trump", "USA", "government", "person"),
        ("Mr. Trump", "Donald Trump", "USA", "government", "person"),
        ("the Pentagon", "United States Department of Defense", "USA", "military", "organization"),
        ("Department of War", "United States Department of Defense", "USA", "military", "organization"),
        ("Hamas", "Hamas", "PSE", "rebels", "organization"),
        ("NBC News", "NBC News", "USA", "media", "organization"),
        ("the ABC", "Australian Broadcasting Corporation", "AUS", "media", "organization"),
        ("ABC News", "ABC News", "USA", "media", "organization"),
        ("Nicolas Maduro", "Nicolás Maduro", "VEN", "government", "person"),
        ("Bush", "George W. Bush", "USA", "government", "person"),
        ("Mr Howard", "John Howard", "AUS", "government", "person"),
        ("IDF", "Israel Defense Forces", "ISR", "military", "organization"),
        ("al-Qaeda", "Al-Qaeda", None, "rebels", "organization"),
        ("Taliban", "Taliban", "AFG", "rebels", "organization"),
        ("Interpol", "Interpol", None, "igo", "organization"),
        ("Tren de Aragua", "Tren de Aragua", "VEN", "criminal", "organization"),
        ("Hemedti", "Mohamed Hamdan Dagalo", "SDN", "rebels", "person"),
    ],
)
def test_spot_checks(
    by_surface: dict[str, dict[str, Any]], surface: str, name: str,
    country: str | None, kind: str, type_: str,
) -> None:
    actor = by_surface[surface]
    assert (actor["name"], actor["country"], actor["kind"], actor["type"]) == (name, country, kind, type_)


@pytest.mark.parametrize("surface", ["Howard", "Clinton", "Albanese", "The Post", "Labor Party (Israel)"])
def test_ambiguous_forms_are_left_out(by_surface: dict[str, dict[str, Any]], surface: str) -> None:
    assert surface not in by_surface


def test_current_office_holders_have_open_roles(by_surface: dict[str, dict[str, Any]]) -> None:
    roles = by_surface["Donald Trump"]["roles"]
    assert [as_date(r["start"]) for r in roles if r["end"] is None] == [dt.date(2025, 1, 20)]
