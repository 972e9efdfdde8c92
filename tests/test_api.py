"""The public Python API: small, guarded, and the same functions the CLI uses."""
from __future__ import annotations

import pytest

import eventwire


def test_public_names_are_few_and_deliberate():
    assert sorted(eventwire.__all__) == sorted(
        ["__version__", "extract", "ingest", "open", "Document", "Event", "Quote", "Actor",
         "EventwireError"])


@pytest.mark.slow
def test_extract_returns_typed_document():
    doc = eventwire.extract("Police arrested 12 protesters in Nairobi on Tuesday, officials said.",
                            published="2025-03-06")
    assert isinstance(doc, eventwire.Document)
    event = next(e for e in doc.events if e.type == "COERCE")
    assert event.status == "occurred"
    assert event.magnitude["arrested"].min == 12
    assert event.time is not None and event.time.start == "2025-03-04"
    assert event.location is not None and event.location.country == "KEN"
    assert doc.to_dict()["events"][0]["mentions"][0]["start"] == 0


@pytest.mark.slow
def test_ingest_and_open(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Thousands of workers marched in Lagos on Monday to demand higher wages.",
                   encoding="utf-8")
    db = str(tmp_path / "t.db")
    report = eventwire.ingest(str(src), db=db)
    assert report.stored == 1 and report.ok
    with eventwire.open(db) as store:
        events = store.events()
    assert any(e.event.type == "PROTEST" for e in events)


def test_api_functions_survive_importing_the_modules_behind_them():
    """A subpackage named like a function would replace it on import; ours are named apart."""
    import importlib

    for name in ("eventwire.nlp.pipeline", "eventwire.ingestion", "eventwire.store", "eventwire.cli"):
        importlib.import_module(name)
    assert callable(eventwire.extract) and callable(eventwire.ingest) and callable(eventwire.open)
