"""bench/spacy_ratio.py, bench/memory_flat.py and bench/accuracy_report.py.

The pure parts (report sections, memory figures, event pairing and diagnosis) are checked on
made-up data; each script is also run for real on a tiny input, and its report is checked for
its sections and numeric cells. No timing is asserted: the machine may be busy.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench_support import load_bench

ROOT = Path(__file__).resolve().parents[1]
NUMBER = r"\d+(?:\.\d+)?"


ratio = load_bench("spacy_ratio")
memory = load_bench("memory_flat")
accuracy = load_bench("accuracy_report")
MIB = 1024 * 1024


def run_script(name: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "bench" / f"{name}.py"), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)


def section(text: str, heading: str) -> str:
    """The body of the ``## `` or ``### `` section whose heading starts with ``heading``."""
    match = re.search(rf"^{re.escape(heading)}.*?$(.*?)(?=^##? |\Z)", text, flags=re.M | re.S)
    assert match, f"no section {heading!r} in:\n{text}"
    return match.group(1)


def table_row(text: str, first_cell: str) -> list[str]:
    """The cells of the Markdown table row whose first cell is ``first_cell``."""
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0] == first_cell:
            return cells
    raise AssertionError(f"no table row {first_cell!r} in:\n{text}")


# --- shared report file ---------------------------------------------------------------

def test_a_section_is_added_to_a_new_report_under_the_common_title(tmp_path: Path) -> None:
    path = tmp_path / "speed.md"
    ratio.write_section(path, "## Speed against bare spaCy (10 articles)\n\nfirst\n")
    text = path.read_text(encoding="utf-8")
    assert text.startswith(ratio.REPORT_TITLE)
    assert "## Speed against bare spaCy (10 articles)\n\nfirst" in text


def test_each_script_replaces_only_its_own_section(tmp_path: Path) -> None:
    path = tmp_path / "speed.md"
    ratio.write_section(path, "## Speed against bare spaCy (300 articles)\n\nold speed\n")
    ratio.write_section(path, "## Memory on 10,000 articles\n\nold memory\n")
    ratio.write_section(path, "## Speed against bare spaCy (10 articles)\n\nnew speed\n")
    ratio.write_section(path, "## Memory on 3,000 articles\n\nnew memory\n")
    text = path.read_text(encoding="utf-8")
    assert "old speed" not in text and "old memory" not in text
    assert text.count("## Speed against") == 1 and text.count("## Memory on") == 1
    assert text.index("new speed") < text.index("new memory")  # the order is kept


def test_the_ratio_is_spacy_time_over_eventwire_time() -> None:
    spacy = ratio.Side(ratio.SPACY, 300, 3, 20.0, 0)
    eventwire = ratio.Side(ratio.EVENTWIRE, 300, 3, 40.0, 0)
    assert ratio.ratio(spacy, eventwire) == 0.5
    assert eventwire.per_second == 7.5


# --- memory figures ---------------------------------------------------------------------

def samples(rss_of, total: int = 1000, step: int = 10) -> list:
    """Samples every ``step`` articles with the given RSS curve, then the one after the end."""
    out = [memory.Sample(float(n), n, int(rss_of(n))) for n in range(0, total, step)]
    return out + [memory.Sample(float(total), total, 0)]


def test_constant_memory_is_flat() -> None:
    f = memory.figures(samples(lambda n: 500 * MIB), 1000, 0.10)
    assert f.flat and f.growth == 0.0
    assert f.slope_mib_per_1000 == pytest.approx(0.0)
    assert f.rss_max == 500 * MIB


def test_a_steady_leak_is_not_flat_and_its_slope_is_measured() -> None:
    f = memory.figures(samples(lambda n: 500 * MIB + n * 0.2 * MIB), 1000, 0.10)
    assert f.slope_mib_per_1000 == pytest.approx(200.0)
    assert f.growth > 0.10 and not f.flat
    assert f.rss_end > f.rss_start >= f.rss_early  # on 1,000 articles the early mark is 20 %


def test_a_run_with_too_few_progress_steps_is_not_judged() -> None:
    few = [memory.Sample(float(t), 0, 500 * MIB) for t in range(20)] + [memory.Sample(20.0, 30, 0)]
    f = memory.figures(few, 30, 0.10)
    assert not f.judged and not f.flat


def test_the_line_counter_reads_only_what_was_appended(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    counter = memory.LineCounter(path)
    assert counter.count() == 0
    path.write_text("{}\n{}\n", encoding="utf-8")
    assert counter.count() == 2
    with path.open("a", encoding="utf-8") as f:
        f.write("{}\n")
    assert counter.count() == 3


def test_generated_articles_are_repeatable_and_of_different_lengths() -> None:
    pytest.importorskip("gensim")
    first, again = memory.make_articles(40, 7), memory.make_articles(40, 7)
    assert first == again
    assert len({a["doc_id"] for a in first}) == 40
    assert len({len(a["text"]) for a in first}) > 20
    assert memory.make_articles(40, 8) != first


# --- accuracy: pairing, tables and diagnosis on made-up documents ----------------------------

def event(type_: str, start: int, end: int, status: str = "occurred", source: str | None = None,
          country: str | None = None) -> dict:
    src = {"name": source, "country": country} if source else None
    return {"type": type_, "status": status, "source": src, "target": None,
            "mentions": [{"start": start, "end": end}]}


TEXT = "Troops attacked the town. Rebels protested. Talks were held. Aid was sent. Nothing."
GOLD = {"d1": {"doc_id": "d1", "text": TEXT, "published": None, "events": [
    event("ASSAULT", 0, 25, source="Army", country="AAA"),   # found, source right
    event("PROTEST", 26, 43),                                # found with another type
    event("CONSULT", 44, 60),                                # found, status wrong
    event("AID", 61, 74),                                    # missed
]}}
PRED = {"d1": {"doc_id": "d1", "events": [
    event("ASSAULT", 0, 25, source="Army", country="AAA"),
    event("ASSAULT", 26, 43),
    event("CONSULT", 44, 60, status="planned"),
    event("REQUEST", 75, 83),                                # spurious
]}}


def test_pairing_reproduces_the_scorers_figures() -> None:
    from eventwire.evaluate import score

    result = score(GOLD, PRED)
    pairings = accuracy.pair_documents(GOLD, PRED)
    totals = accuracy.Totals.of(result, pairings)
    accuracy.check_totals(result, totals)  # exits if they disagree
    assert (totals.detected, totals.typed, totals.strict) == (3, 2, 1)
    assert [g["type"] for g in pairings[0].missed] == ["AID"]
    assert [p["type"] for p in pairings[0].spurious] == ["REQUEST"]


def test_per_type_scores_and_confusion() -> None:
    pairings = accuracy.pair_documents(GOLD, PRED)
    scores = {s.label: s for s in accuracy.per_type(pairings)}
    assault = scores["ASSAULT"]
    assert (assault.gold, assault.predicted, assault.hits) == (1, 2, 1)
    assert scores["ASSAULT"].prf[0] == 0.5 and scores["ASSAULT"].prf[1] == 1.0
    table = accuracy.type_confusion(pairings)
    assert table["PROTEST"]["ASSAULT"] == 1
    assert table["AID"][accuracy.MISSED] == 1
    assert table[accuracy.SPURIOUS]["REQUEST"] == 1
    status = accuracy.status_confusion(pairings)
    assert status["occurred"]["planned"] == 1 and status["occurred"]["occurred"] == 1


def test_every_error_gets_its_category_and_a_positive_cost() -> None:
    from eventwire.evaluate import score

    pairings = accuracy.pair_documents(GOLD, PRED)
    found = accuracy.misses(pairings, accuracy.Totals.of(score(GOLD, PRED), pairings))
    kinds = {m.category.name for m in found}
    assert kinds == {"missed trigger", "wrong type", "wrong status", "spurious event"}
    assert all(m.cost > 0 for m in found)
    assert found == sorted(found, key=lambda m: -m.cost)
    missed = next(m for m in found if m.category is accuracy.CAT_MISSED)
    assert missed.sentence == "Aid was sent."


@pytest.mark.parametrize(("failed", "category"), [
    (["status", "source.actor"], "wrong status"),
    (["source.actor", "target.actor"], "source actor missing/wrong"),
    (["target.actor"], "target actor missing/wrong"),
    (["location.country"], "country wrong"),
    (["killed.min"], "detail wrong (killed, attribution, mode, time)"),
])
def test_a_pair_is_diagnosed_by_its_first_failed_check(failed: list[str], category: str) -> None:
    assert accuracy.diagnose(failed).name == category


def test_every_category_has_advice() -> None:
    for cat in accuracy.CATEGORIES:
        assert len(cat.fix) > 80 and cat.hint


def test_article_text_cannot_format_the_report() -> None:
    assert accuracy.quoted("<script>*x*</script> [a](b)") == \
        "\\<script\\>\\*x\\*\\</script\\> \\[a\\](b)"


# --- the scripts, run for real on tiny inputs ---------------------------------------------

@pytest.mark.slow
def test_spacy_ratio_writes_its_section_and_gates_on_the_ratio(tmp_path: Path) -> None:
    pytest.importorskip("gensim")
    report = tmp_path / "speed.md"
    done = run_script("spacy_ratio", "--limit", "10", "--repeat", "1", "--markdown", str(report),
                      "--min-ratio", "1000")
    assert done.returncode == 1, done.stderr  # no ratio reaches 1000: the gate fails
    assert "below --min-ratio" in done.stderr
    text = report.read_text(encoding="utf-8")
    body = section(text, "## Speed against bare spaCy (10 articles)")
    for side in ("bare spaCy", "bare spaCy, 1 process", "eventwire"):
        cells = table_row(body, side)
        assert cells[1] == "10" and cells[2] == "1"
        assert all(re.fullmatch(NUMBER, c) for c in cells[3:6]), cells
        assert float(cells[3]) > 0 and float(cells[5]) > 0
    assert re.search(rf"Ratio spaCy time / eventwire time: {NUMBER}\*\*", body)
    assert re.search(rf"Load average \(1 min\) {NUMBER} before", body)
    assert re.search(rf"Against the faster spaCy setting the ratio is \*\*{NUMBER}\*\*", body)
    runs = section(text, "### Every run")
    assert runs.count("| 1 | ") == 3


@pytest.mark.slow
def test_memory_flat_adds_its_section_beside_the_speed_one(tmp_path: Path) -> None:
    pytest.importorskip("gensim")
    report = tmp_path / "speed.md"
    ratio.write_section(report, "## Speed against bare spaCy (10 articles)\n\nkept\n")
    done = run_script("memory_flat", "--articles", "30", "--markdown", str(report))
    assert done.returncode == 0, done.stderr
    text = report.read_text(encoding="utf-8")
    assert "kept" in text
    body = section(text, "## Memory on 30 articles")
    for label in ("RSS at the end (last 5%)", "maximum RSS"):
        value = table_row(body, label)[1]
        assert re.fullmatch(rf"{NUMBER} MiB", value) and float(value.split()[0]) > 0
    assert "Verdict:" in body
    curve = section(text, "### RSS along the run")
    assert len([line for line in curve.splitlines() if re.match(r"\| \d+% \|", line)]) == 10


@pytest.mark.slow
def test_accuracy_report_on_two_gold_files(tmp_path: Path, shared_dir: Path) -> None:
    dev = shared_dir / "bench" / "dev"
    out = tmp_path / "accuracy.md"
    done = run_script("accuracy_report", "--gold", str(dev / "seed.gold.jsonl"),
                      str(dev / "lee.gold.jsonl"), "--limit", "2", "--skip-public",
                      "--output", str(out))
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert "python bench/accuracy_report.py --gold" in text
    assert re.search(r"on \d{4}-\d{2}-\d{2}", text)
    headline = section(text, "## Headline figures")
    for label in ("event F1 (type right)", "status", "quote F1"):
        cells = table_row(headline, label)
        assert re.fullmatch(r"\d\.\d{3}", cells[1]), cells
    assert table_row(headline, "event F1 (type right)")[3] == "≥ 0.75"
    assert table_row(headline, "quote F1")[5] == "0.99"
    per_type = section(text, "## Per event type")
    assert re.search(r"^\| [A-Z]+ \| \d+ \| \d+ \| \d+ \| \d\.\d{3} \| \d\.\d{3} \| \d\.\d{3} \|$",
                     per_type, flags=re.M)
    assert "gold \\ predicted" in section(text, "## Type confusion")
    assert re.search(r"^\| occurred \| \d+ \| \d+ \|", section(text, "## Per status"), flags=re.M)
    assert "Not run (`--skip-public`)" in section(text, "## Public sets")
    points = section(text, "## Where the points go")
    assert table_row(points, "missed trigger")[1].isdigit()
    assert re.search(r"### The \d+ costliest misses", text)
