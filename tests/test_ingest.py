"""Ingest end to end: files, folders, URLs and feeds from a real HTTP server on 127.0.0.1,
into a real SQLite file. Idempotent re-ingest, bad sources in a batch, and resuming after
the process is killed."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from httpserver import LocalServer, Reply

from eventwire.ingestion import ingest
from eventwire.store import Store

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


def page(title: str, body: str, date: str = "2025-03-04") -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return f"""<!doctype html><html><head><title>{title}</title>
<meta property="article:published_time" content="{date}T10:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>{title}</h1>{paragraphs}</article>
<div class="share">Share.</div><footer>Leave A Reply</footer></body></html>""".encode()


ARTICLES = {
    "/news/protest": page("Police detain protesters in Lima",
        "Police in Lima arrested at least 40 protesters on Monday after thousands of people "
        "marched on Congress to demand new elections, officials said.\n\nThe interior minister "
        "said the officers had acted within the law. Protest leaders accused the government of "
        "repression and called for a general strike next week.\n\nThe demonstrations began last "
        "month after the president dissolved the legislature, according to local media."),
    "/news/strike": page("Air strike hits convoy",
        "An air strike killed at least 12 people in northern Syria on Sunday, a monitoring group "
        "said.\n\nThe group said warplanes struck a convoy of trucks near the town of Idlib. "
        "No one claimed responsibility for the attack.\n\nResidents said rescue workers were "
        "still searching the rubble late on Sunday evening for survivors of the strike."),
    "/news/talks": page("Leaders meet for border talks",
        "The presidents of Ecuador and Colombia met in Quito on Friday to discuss security on "
        "their shared border, the Ecuadorian government said.\n\nThe two leaders agreed to set "
        "up a joint commission on smuggling and to share intelligence on armed groups, "
        "according to a joint statement.\n\nThe talks came a week after Colombia deployed "
        "troops to the frontier."),
}

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Protest</title><link>/news/protest</link><pubDate>Tue, 04 Mar 2025 10:00:00 GMT</pubDate></item>
<item><title>Strike</title><link>/news/strike</link></item>
</channel></rss>"""


def routes() -> dict:
    r = {path: Reply(body=body) for path, body in ARTICLES.items()}
    r["/feed.xml"] = Reply(body=RSS, content_type="application/rss+xml")
    r["/bad-feed.xml"] = Reply(body=b"{ this is not xml", content_type="application/rss+xml")
    r["/not-article"] = Reply(body=b"<html><body><nav><a href='/'>Home</a></nav></body></html>")
    r["/robots.txt"] = Reply(body=b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    return r


OPTS = {"allow_private": True, "delay": 0.0, "timeout": 5.0}


@pytest.fixture()
def server():
    with LocalServer(routes()) as s:
        yield s


def counts(db: Path) -> dict:
    with Store(db) as store:
        return store.counts()


def test_urls_and_feed_are_stored_once(tmp_path, server, extractor):
    db = tmp_path / "t.db"
    report = ingest([server.url("/news/talks"), server.url("/feed.xml")], db, extractor=extractor, **OPTS)
    assert report.failures == []
    assert report.stored == 3
    first = counts(db)
    assert first["articles"] == 3 and first["events"] > 0 and first["sources"] >= 4
    again = ingest([server.url("/news/talks"), server.url("/feed.xml")], db, extractor=extractor, **OPTS)
    assert again.stored == 0 and again.failures == []
    assert counts(db)["articles"] == 3 and counts(db)["events"] == first["events"]


def test_fetched_article_is_clean_and_dated(tmp_path, server, extractor):
    db = tmp_path / "t.db"
    ingest([server.url("/news/strike")], db, extractor=extractor, **OPTS)
    with Store(db) as store:
        events = store.events()
        article = store.get_article(events[0].article_id)
    assert article.published == "2025-03-04"
    assert article.title == "Air strike hits convoy"
    assert "Share" not in article.text and "Leave A Reply" not in article.text
    assert any(e.event.type == "ASSAULT" for e in events)


def test_bad_sources_fail_clearly_and_good_ones_are_stored(tmp_path, server, extractor):
    db = tmp_path / "t.db"
    ingest([server.url("/news/talks")], db, extractor=extractor, **OPTS)
    before = counts(db)
    unreadable = tmp_path / "broken.jsonl"
    unreadable.write_bytes(b'{"doc_id": "x", "text": \n')
    sources = [str(unreadable), server.url("/missing"), server.url("/not-article"),
               server.url("/bad-feed.xml"), server.url("/news/protest"), str(tmp_path / "nope.txt")]
    report = ingest(sources, db, extractor=extractor, **OPTS)
    reasons = " | ".join(r for _, r in report.failures)
    assert len(report.failures) == 5, reasons
    assert "404" in reasons
    assert "not an article" in reasons
    assert "not a feed" in reasons.lower() or "not xml" in reasons.lower()
    assert "broken.jsonl:1" in reasons
    assert "no such file" in reasons
    assert report.stored == 1
    after = counts(db)
    assert after["articles"] == before["articles"] + 1
    with Store(db) as store:
        assert len(store.failures()) == 5


def test_loopback_is_refused_without_allow_private(tmp_path, server, extractor):
    report = ingest([server.url("/news/talks")], tmp_path / "t.db", extractor=extractor,
                    delay=0.0, timeout=5.0)
    assert len(report.failures) == 1
    assert "allow-private" in report.failures[0][1]
    assert server.hits == []


def test_folder_ingest_is_idempotent(tmp_path, extractor):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.html").write_bytes(ARTICLES["/news/strike"])
    (folder / "b.txt").write_text("Hundreds of workers went on strike in Lagos on Monday to "
                                  "demand higher wages, union leaders said.", encoding="utf-8")
    db = tmp_path / "t.db"
    first = ingest([str(folder)], db, extractor=extractor)
    assert first.stored == 2 and first.failures == []
    second = ingest([str(folder)], db, extractor=extractor)
    assert second.stored == 0 and second.skipped == 2
    assert counts(db)["articles"] == 2


def test_killed_ingest_resumes_without_duplicates(tmp_path):
    """Kill an ingest of many articles part-way, run it again: all stored, none twice."""
    src = tmp_path / "many.jsonl"
    lines = []
    for i in range(200):
        text = (f"Police in Town{i} arrested {i + 2} people on Monday after a protest, officials "
                f"said. Article number {i}.")
        lines.append(f'{{"doc_id": "a{i}", "text": "{text}", "published": "2025-03-0{1 + i % 9}"}}')
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "t.db"
    cmd = [sys.executable, "-m", "eventwire", "ingest", str(src), "--db", str(db), "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists() and counts(db)["articles"] >= 3:
            break
        time.sleep(0.1)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    partial = counts(db)["articles"]
    assert 0 < partial < 200
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    final = counts(db)
    assert final["articles"] == 200
    with Store(db) as store:
        ids = [e.id for e in store.iter_events()]
    assert len(ids) == len(set(ids))
