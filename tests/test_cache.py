"""The on-disk cache of slow-to-build resources (eventwire.cache), with a real folder."""
from __future__ import annotations

from pathlib import Path

import pytest

from eventwire import cache


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EVENTWIRE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


class Builder:
    """Counts its calls, so a test can tell a cache hit from a build."""

    def __init__(self, value: object) -> None:
        self.value, self.calls = value, 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


def test_second_call_reads_the_file_instead_of_building(folder: Path) -> None:
    build = Builder({"Kabul": [1, 2, 3]})
    assert cache.cached("thing", ["v1"], build) == {"Kabul": [1, 2, 3]}
    assert cache.cached("thing", ["v1"], build) == {"Kabul": [1, 2, 3]}
    assert build.calls == 1 and len(list(folder.glob("thing-*.pickle"))) == 1


def test_a_change_in_any_source_builds_again(folder: Path) -> None:
    build = Builder("x")
    cache.cached("thing", ["v1", b"data"], build)
    cache.cached("thing", ["v1", b"data changed"], build)
    assert build.calls == 2 and len(list(folder.glob("thing-*.pickle"))) == 2
    assert cache.key_of(["ab", "c"]) != cache.key_of(["a", "bc"])


def test_a_damaged_file_is_rebuilt_and_replaced(folder: Path) -> None:
    build = Builder([1, 2])
    cache.cached("thing", ["v1"], build)
    [path] = folder.glob("thing-*.pickle")
    path.write_bytes(b"not a pickle")
    assert cache.cached("thing", ["v1"], build) == [1, 2] and build.calls == 2
    assert cache.cached("thing", ["v1"], build) == [1, 2] and build.calls == 2


def test_off_builds_every_time_and_writes_nothing(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTWIRE_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    build = Builder(1)
    cache.cached("thing", ["v1"], build)
    cache.cached("thing", ["v1"], build)
    assert build.calls == 2 and not list(tmp_path.rglob("*.pickle"))


def test_a_folder_that_cannot_be_written_is_not_an_error(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    monkeypatch.setenv("EVENTWIRE_CACHE_DIR", str(blocker / "cache"))
    assert cache.cached("thing", ["v1"], Builder("value")) == "value"


def test_the_gazetteer_read_back_finds_the_same_places(folder: Path) -> None:
    from eventwire.gazetteer import _build, _load, _sources

    fresh = _build()
    _load.cache_clear()
    try:
        first = cache.cached("gazetteer", _sources(), _build)
        again = cache.cached("gazetteer", _sources(), lambda: pytest.fail("built twice"))
    finally:
        _load.cache_clear()
    for name in ("Kabul", "Caracas", "Gaza Strip", "Caribbean", "Springfield", "Mirebalais"):
        assert again.lookup(name, ()) == fresh.lookup(name, ()) == first.lookup(name, ())
