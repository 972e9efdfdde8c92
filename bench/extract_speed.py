#!/usr/bin/env python3
"""Time ``eventwire extract`` with one and two worker processes.

    python bench/extract_speed.py [--input FILE.jsonl] [--repeats 3] [--jobs 1 2]
                                  [--min-articles 200] [--markdown FILE] [--dry-run]

By default the input is the dev gold texts (``../shared/bench/dev/*.gold.jsonl``
beside the repository) stripped to the input fields and repeated under new
doc_ids until there are at least ``--min-articles`` articles, so that model
loading does not dominate the timing. Each run is a fresh subprocess, timed
from start to exit; its memory is the sum of the resident set sizes of the
process and all its children, sampled every ``--interval`` seconds, and the
peak is kept. Figures are medians over ``--repeats`` runs.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

try:
    import psutil
except ImportError:  # pragma: no cover - depends on the environment
    sys.exit("extract_speed needs psutil: pip install 'eventwire[test]'")

REPO = Path(__file__).resolve().parents[1]
DEV_GOLD = REPO.parent / "shared" / "bench" / "dev"
INPUT_FIELDS = ("doc_id", "text", "published", "url", "title")
MIB = 1024 * 1024


@dataclass(frozen=True)
class Run:
    """One timed run of the extractor."""

    seconds: float
    peak_rss: int


@dataclass(frozen=True)
class Summary:
    """The medians of several runs with the same number of jobs."""

    jobs: int
    articles: int
    runs: int
    seconds: float
    peak_rss: int

    @property
    def per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


# --- input -------------------------------------------------------------------

def dev_articles() -> list[dict]:
    """The dev gold documents reduced to the fields an input record has."""
    paths = sorted(DEV_GOLD.glob("*.gold.jsonl"))
    if not paths:
        sys.exit(f"no dev gold sets under {DEV_GOLD}: the shared benchmark folder is not "
                 "beside this repository; pass --input FILE.jsonl to time another input")
    articles = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                doc = json.loads(line)
                articles.append({key: doc.get(key) for key in INPUT_FIELDS})
    return articles


def repeated(articles: list[dict], at_least: int) -> list[dict]:
    """The articles repeated until there are ``at_least``, each copy under a new doc_id."""
    if not articles:
        sys.exit("the input has no articles to time")
    copies = -(-at_least // len(articles))
    if copies == 1:
        return articles
    return [{**a, "doc_id": f"{a.get('doc_id', i)}~{n}"}
            for n in range(copies) for i, a in enumerate(articles)]


def write_jsonl(records: list[dict], path: Path) -> None:
    """Write records as JSON Lines."""
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def count_records(path: Path) -> int:
    """How many non-blank lines (articles) a JSON Lines file has."""
    with path.open(encoding="utf-8") as lines:
        return sum(1 for line in lines if line.strip())


# --- timing ------------------------------------------------------------------

def command(input_path: Path, output_path: Path, jobs: int) -> list[str]:
    """The CLI call being timed."""
    return [sys.executable, "-m", "eventwire", "extract", str(input_path),
            "-o", str(output_path), "--jobs", str(jobs)]


def child_env() -> dict[str, str]:
    """The environment with the repository's ``src`` importable, installed or not."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")]))
    return env


def tree_rss(process: psutil.Process) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    total = 0
    for proc in [process, *process.children(recursive=True)]:
        try:
            total += proc.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


def watch_peak(process: psutil.Process, interval: float, done: threading.Event,
               peak: list[int]) -> None:
    """Keep the largest tree RSS in ``peak[0]`` until ``done`` is set."""
    while not done.is_set():
        try:
            peak[0] = max(peak[0], tree_rss(process))
        except psutil.NoSuchProcess:
            return
        done.wait(interval)


def timed_run(argv: list[str], interval: float) -> Run:
    """Run the command once; its wall time and peak memory. Exits if it fails."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, cwd=REPO, env=child_env(),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    done, peak = threading.Event(), [0]
    watcher = threading.Thread(target=watch_peak,
                               args=(psutil.Process(child.pid), interval, done, peak))
    watcher.start()
    _, stderr = child.communicate()
    seconds = time.perf_counter() - started
    done.set()
    watcher.join()
    if child.returncode:
        sys.exit(f"{' '.join(argv)} failed with exit status {child.returncode}:\n{stderr[-2000:]}")
    return Run(seconds, peak[0])


def measure(input_path: Path, workdir: Path, jobs: int, repeats: int, interval: float) -> Summary:
    """Time ``repeats`` runs with ``jobs`` workers and summarise them by medians."""
    argv = command(input_path, workdir / f"out-jobs{jobs}.jsonl", jobs)
    runs = []
    for n in range(1, repeats + 1):
        runs.append(timed_run(argv, interval))
        print(f"  jobs={jobs} run {n}/{repeats}: {runs[-1].seconds:.1f} s, "
              f"peak {runs[-1].peak_rss / MIB:.0f} MiB", file=sys.stderr)
    return Summary(jobs, count_records(input_path), repeats,
                   statistics.median(r.seconds for r in runs),
                   int(statistics.median(r.peak_rss for r in runs)))


# --- report ------------------------------------------------------------------

def ratio(value: float, base: float) -> str:
    """``value / base`` as "1.23×", or "n/a" when the base is zero."""
    return f"{value / base:.2f}×" if base else "n/a"


def markdown(summaries: list[Summary]) -> str:
    """A Markdown table of the summaries, with each one's ratio to the first."""
    base = summaries[0]
    rows = ["| jobs | articles | runs | median s | articles/s | peak RSS MiB | speed vs "
            f"jobs={base.jobs} | memory vs jobs={base.jobs} |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for s in summaries:
        rows.append(f"| {s.jobs} | {s.articles} | {s.runs} | {s.seconds:.2f} | "
                    f"{s.per_second:.2f} | {s.peak_rss / MIB:.0f} | "
                    f"{ratio(s.per_second, base.per_second)} | {ratio(s.peak_rss, base.peak_rss)} |")
    return "\n".join(rows) + "\n"


# --- command line ------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", type=Path, help="time this JSON Lines input (default: the dev texts)")
    ap.add_argument("--min-articles", type=int, default=200,
                    help="repeat the input until it has this many articles (default 200)")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2],
                    help="worker counts to time; ratios are to the first (default: 1 2)")
    ap.add_argument("--repeats", type=int, default=3, help="runs per worker count (default 3)")
    ap.add_argument("--interval", type=float, default=0.05,
                    help="seconds between memory samples (default 0.05)")
    ap.add_argument("--markdown", type=Path, help="also write the table to this file")
    ap.add_argument("--dry-run", action="store_true",
                    help="build the input and show the commands without running them")
    args = ap.parse_args(argv)
    if args.repeats < 1 or args.min_articles < 1 or min(args.jobs) < 1:
        ap.error("--repeats, --min-articles and --jobs must be at least 1")
    return args


def build_input(source: Path | None, at_least: int, workdir: Path) -> Path:
    """Write the articles to time into ``workdir`` and return the file."""
    if source is not None and not source.is_file():
        sys.exit(f"--input {source}: no such file")
    articles = dev_articles() if source is None else [
        json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    path = workdir / "input.jsonl"
    write_jsonl(repeated(articles, at_least), path)
    return path


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="eventwire-speed-") as tmp:
        workdir = Path(tmp)
        input_path = build_input(args.input, args.min_articles, workdir)
        print(f"{count_records(input_path)} articles in {input_path}", file=sys.stderr)
        if args.dry_run:
            for jobs in args.jobs:
                print(" ".join(command(input_path, workdir / f"out-jobs{jobs}.jsonl", jobs)))
            return 0
        summaries = [measure(input_path, workdir, jobs, args.repeats, args.interval)
                     for jobs in args.jobs]
    table = markdown(summaries)
    print(table, end="")
    if args.markdown:
        args.markdown.write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
