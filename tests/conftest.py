"""Shared fixtures. Tests that load the real spaCy model share one Extractor per session.

``shared_dir`` is ../shared beside the repository: the scorer and gold sets live there for
developers and CI, not in a user's clone. Tests that need it skip, saying so, only where it is
absent.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """Keep eventwire's on-disk cache (eventwire.cache) out of the user's home during tests;
    subprocesses started by the tests inherit the setting."""
    if "EVENTWIRE_CACHE_DIR" not in os.environ:
        os.environ["EVENTWIRE_CACHE_DIR"] = tempfile.mkdtemp(prefix="eventwire-test-cache-")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(Path(__file__).resolve().parent))  # test helper modules (httpserver.py)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "bench" / "score.py").is_file():
        pytest.skip(f"{SHARED} is absent: the scorer and gold sets live beside the repository, "
                    "not in a clone of it")
    return SHARED


@pytest.fixture(scope="session")
def extractor():
    from eventwire.nlp.pipeline import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def seed_gold(shared_dir: Path) -> dict:
    return json.loads((shared_dir / "bench" / "dev" / "seed.gold.jsonl").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_doc(extractor, seed_gold):
    from eventwire.model import Article

    g = seed_gold
    return extractor.extract(Article(g["doc_id"], g["text"], g.get("title"), g.get("published"), g.get("url")))
