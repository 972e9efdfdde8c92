"""Dated offices in the actor dictionary decide a person's kind on the article's date."""
from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.errors import ConfigError
from eventwire.model import Article
from eventwire.nlp.dictionary import ActorDictionary, ActorEntry, Role

PRESIDENT = Role("President", "2001-01-20", "2009-01-20")


def person(*roles: Role, kind: str = "government") -> ActorEntry:
    return ActorEntry("A. Person", (), "USA", kind, "person", roles)


@pytest.mark.parametrize(("day", "kind"), [
    ("2005-06-01", "government"),   # in office
    ("2001-01-20", "government"),   # first day
    ("2009-01-20", "government"),   # last day (inclusive)
    ("2015-03-01", "other"),        # former president
    ("1990-03-01", "other"),        # not yet in office
    ("2005-06-01T10:00:00", "government"),
    (None, "government"),           # undated article: the usual kind
])
def test_kind_follows_the_office_held_that_day(day: str | None, kind: str) -> None:
    assert person(PRESIDENT).kind_on(day) == kind


def test_role_kind_and_open_ended_role() -> None:
    general = Role("Chief of Staff", "1990-01-01", "1995-01-01", kind="military")
    minister = Role("Minister of Defence", "2020-05-01", None)
    entry = person(general, minister)
    assert entry.kind_on("1992-01-01") == "military"
    assert entry.kind_on("2026-11-25") == "government"
    assert entry.kind_on("2000-01-01") == "other"


def test_organisations_and_people_without_roles_keep_their_kind() -> None:
    assert person(kind="rebels").kind_on("2020-01-01") == "rebels"
    org = ActorEntry("Ministry", (), "USA", "government", "organization", (PRESIDENT,))
    assert org.kind_on("2020-01-01") == "government"
    assert person(PRESIDENT, kind="party").kind_on("2020-01-01") == "party"


def test_packaged_roles_are_read() -> None:
    bush = ActorDictionary.load().get("George W. Bush")
    assert bush is not None and any(r.title.startswith("President") for r in bush.roles)
    assert bush.kind_on("2003-03-20") == "government" and bush.kind_on("2016-01-01") == "other"


def test_bad_role_in_a_user_file_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "actors.yaml"
    path.write_text("actors:\n"
                    "  - name: Good Person\n    kind: government\n    type: person\n"
                    "  - name: Bad Dates\n    kind: government\n    type: person\n"
                    "    roles:\n      - {title: Mayor, start: last spring}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        ActorDictionary.load((str(path),))
    assert f"{path}:5" in str(info.value) and "last spring" in str(info.value)
    assert "YYYY-MM-DD" in (info.value.hint or "")


@pytest.mark.slow
def test_extracted_actor_kind_depends_on_the_article_date(extractor) -> None:
    text = ("George W. Bush condemned the bombing of the embassy in Nairobi on Friday, "
            "calling it a cowardly attack.")

    def bush_kinds(published: str | None) -> set[str]:
        doc = extractor.extract(Article("bush", text, None, published))
        return {a.kind for e in doc.events for a in (e.source, e.target)
                if a is not None and a.name == "George W. Bush"}

    assert bush_kinds("2003-08-08") == {"government"}
    assert bush_kinds("2016-08-08") == {"other"}
