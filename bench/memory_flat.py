#!/usr/bin/env python3
"""Does memory stay flat while ``eventwire extract`` works through a long input?

    python bench/memory_flat.py [--articles 10000] [--jobs 2] [--seed 2001]
                                [--interval 0.5] [--threshold 0.10] [--markdown FILE]

Builds ``--articles`` varied articles by recombining the sentences of gensim's
``lee_background.cor`` (a fixed seed, so every run gets the same input; one
to three runs of consecutive sentences from different source articles, from
one sentence to about eighty, with paragraph breaks, and a publication date
on half of them), writes them as one JSON Lines file and runs the real
command line, ``python -m eventwire extract INPUT -o OUT --jobs 2``. Every
``--interval`` seconds it samples the summed resident set size (RSS) of the
command and its worker processes and how many articles the output file holds
so far, which is how far the command has got.

Reported: the RSS after the first 1,000 articles (or a fifth of a shorter
input), at 20 % and at the end, the maximum, and the slope over the second
half (least squares of RSS against articles done, in MiB per 1,000
articles). Memory is called **flat** when the growth from 20 % of the input
to the end is below ``--threshold`` (10 % by default; the report says how
large a per-article leak that threshold would catch on this input). The
first fifth is left out because the model, the lexicons and the caches of
names fill up there: that is start-up, not growth.

Exit status 0 whatever the figures; 1 only when the command fails or does not
write every article.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extract_speed import child_env, tree_rss, write_jsonl  # noqa: E402
from spacy_ratio import (MIB, REPO, eventwire_argv, lee_texts, load_1min, machine,  # noqa: E402
                         machine_line, write_section)

import psutil  # noqa: E402  (extract_speed has already said how to install it)

DEFAULT_ARTICLES = 10_000
EARLY_MARK = 1_000
START_SHARE = 0.2
#: The output grows in blocks (the extractor hands out 64 articles per worker at a time),
#: so a short input may show only one or two levels of progress: too few to judge a trend.
MIN_STEPS = 3
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'A-Z0-9])")


@dataclass(frozen=True)
class Sample:
    """One look at the running command: when, how far, how much memory."""

    seconds: float
    done: int
    rss: int


@dataclass(frozen=True)
class Figures:
    """What the report says about one run."""

    articles: int
    seconds: float
    early_mark: int
    rss_early: int
    rss_start: int
    rss_end: int
    rss_max: int
    slope_mib_per_1000: float | None
    growth: float
    threshold: float
    samples: int
    steps: int

    @property
    def judged(self) -> bool:
        """Whether the output grew in enough steps to say anything about a trend."""
        return self.steps >= MIN_STEPS

    @property
    def flat(self) -> bool:
        return self.judged and self.growth < self.threshold

    @property
    def detectable_leak_kib(self) -> float:
        """The smallest steady leak per article that would cross the threshold on this input."""
        span = self.articles * (1 - START_SHARE)
        return self.threshold * self.rss_start / span / 1024 if span else 0.0


# --- input -------------------------------------------------------------------------------

def sentences_by_article(texts: Sequence[str]) -> list[list[str]]:
    """Each source article cut into sentences (a plain punctuation rule is enough here)."""
    return [[s for s in _SENTENCE_END.split(text) if s.strip()] for text in texts]


def one_article(rng: random.Random, pool: list[list[str]], number: int) -> dict:
    """An article built from one to three runs of consecutive sentences of random sources."""
    wanted = max(1, min(80, round(rng.lognormvariate(2.0, 0.8))))
    chosen: list[str] = []
    for _ in range(rng.randint(1, 3)):
        source = rng.choice(pool)
        start = rng.randrange(len(source))
        chosen.extend(source[start:start + max(1, wanted - len(chosen))])
        if len(chosen) >= wanted:
            break
    paragraphs, i = [], 0
    while i < len(chosen):
        size = rng.randint(1, 3)
        paragraphs.append(" ".join(chosen[i:i + size]))
        i += size
    record = {"doc_id": f"mix-{number:05d}", "text": "\n\n".join(paragraphs),
              "title": " ".join(chosen[0].split()[:8])}
    if rng.random() < 0.5:
        day = dt.date(2001, 1, 1) + dt.timedelta(days=rng.randrange(730))
        record["published"] = day.isoformat()
    return record


def make_articles(count: int, seed: int) -> list[dict]:
    """``count`` articles recombined from the Lee corpus, the same for the same seed."""
    pool = [s for s in sentences_by_article(lee_texts()) if s]
    rng = random.Random(seed)
    return [one_article(rng, pool, n) for n in range(1, count + 1)]


# --- watching the command ----------------------------------------------------------------

class LineCounter:
    """Counts the lines of a file that another process is appending to, reading only what is new."""

    def __init__(self, path: Path) -> None:
        self.path, self.offset, self.lines = path, 0, 0

    def count(self) -> int:
        if self.path.is_file():
            with self.path.open("rb") as f:
                f.seek(self.offset)
                chunk = f.read()
            self.offset += len(chunk)
            self.lines += chunk.count(b"\n")
        return self.lines


def watch(argv: list[str], output: Path, interval: float) -> tuple[list[Sample], int, str]:
    """Run the command, sampling progress and memory; the samples, exit status and stderr tail."""
    counter = LineCounter(output)
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as errors:
        started = time.perf_counter()
        child = subprocess.Popen(argv, cwd=REPO, env=child_env(), stdout=subprocess.DEVNULL,
                                 stderr=errors, text=True)
        process, samples = psutil.Process(child.pid), []
        while child.poll() is None:
            try:
                rss = tree_rss(process)
            except psutil.NoSuchProcess:
                break
            samples.append(Sample(time.perf_counter() - started, counter.count(), rss))
            if len(samples) % 120 == 0:
                print(f"  {samples[-1].seconds:.0f} s: {samples[-1].done} articles, "
                      f"{rss / MIB:.0f} MiB", file=sys.stderr)
            time.sleep(interval)
        child.wait()
        samples.append(Sample(time.perf_counter() - started, counter.count(), 0))
        errors.seek(0)
        return samples, child.returncode, errors.read()[-2000:]


# --- figures -----------------------------------------------------------------------------

def working(samples: Sequence[Sample], total: int) -> list[Sample]:
    """The samples taken while the command was extracting (the last one is after it ended)."""
    return [s for s in samples if s.rss > 0 and s.done < total] or [s for s in samples if s.rss]


def rss_near(samples: Sequence[Sample], done: int, width: int) -> int:
    """The median RSS of the samples taken between ``done`` and ``done + width`` articles.

    A median over a window, not one sample, because RSS swings with the length
    of the articles being parsed at that moment.
    """
    window = [s.rss for s in samples if done <= s.done <= done + width]
    if window:
        return int(statistics.median(window))
    later = [s for s in samples if s.done >= done]
    return (later[0] if later else samples[-1]).rss


def slope(samples: Sequence[Sample]) -> float | None:
    """Least-squares slope of RSS (MiB) against articles done, per 1,000 articles."""
    xs, ys = [s.done for s in samples], [s.rss / MIB for s in samples]
    if len(set(xs)) < 2:
        return None
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    return 1000 * sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx


def figures(samples: Sequence[Sample], total: int, threshold: float) -> Figures:
    """The report's figures from the samples of one run."""
    busy = working(samples, total)
    if not busy:
        sys.exit("no memory sample was taken: the command ended at once; run it by hand")
    width = max(1, total // 40)
    mark = max(1, min(EARLY_MARK, total // 5))
    start = rss_near(busy, int(total * START_SHARE), width)
    end_window = [s.rss for s in busy if s.done >= total * 0.95] or [busy[-1].rss]
    end = int(statistics.median(end_window))
    second_half = [s for s in busy if s.done >= total / 2]
    return Figures(total, samples[-1].seconds, mark, rss_near(busy, mark, width), start, end,
                   max(s.rss for s in busy), slope(second_half),
                   (end - start) / start if start else 0.0, threshold, len(busy),
                   len({s.done for s in busy}))


def progress_table(samples: Sequence[Sample], f: Figures) -> list[str]:
    """RSS at each tenth of the input, to show the shape of the curve.

    The last row is the end figure (the last 5 %): once every article is
    written the workers are shutting down, and their memory says nothing.
    """
    total = f.articles
    busy = working(samples, total)
    rows = ["| progress | articles done | RSS MiB | elapsed s |", "| ---: | ---: | ---: | ---: |"]
    for tenth in range(1, 11):
        done = min(total, total * tenth // 10)
        near = [s for s in busy if s.done >= done] or [busy[-1]]
        rss = f.rss_end if tenth == 10 else rss_near(busy, done, max(1, total // 40))
        rows.append(f"| {10 * tenth}% | {done:,} | {rss / MIB:.0f} | {near[0].seconds:.0f} |")
    return rows


# --- report ------------------------------------------------------------------------------

def markdown(f: Figures, samples: Sequence[Sample], jobs: int, seed: int, interval: float,
             loads: tuple[float, float], command: str, model: str) -> str:
    """The report section."""
    m = machine(model)
    verdict = ("**flat**" if f.flat else "**NOT flat**") if f.judged else (
        f"not judged: the output grew in only {f.steps} step(s) while sampled, fewer than "
        f"{MIN_STEPS}; use more articles")
    slope_text = "n/a (too few samples)" if f.slope_mib_per_1000 is None else \
        f"{round(f.slope_mib_per_1000, 1) or 0.0:+.1f} MiB per 1,000 articles"  # no "-0.0"
    return "\n".join([
        f"## Memory on {f.articles:,} articles",
        "",
        f"Measured with `{command}` on {m.date}: {machine_line(m)}. Load average (1 min) "
        f"{loads[0]:.2f} at the start and {loads[1]:.2f} at the end; other jobs may have "
        "shared the machine, which slows the run but does not change its memory.",
        "",
        f"Input: {f.articles:,} articles recombined from the sentences of gensim's "
        f"`lee_background.cor` (seed {seed}: one to three runs of consecutive sentences from "
        "random source articles, 1 to 80 sentences each, paragraph breaks, half with a "
        f"publication date), run through `eventwire extract INPUT -o FILE --jobs {jobs}`. "
        f"Every {interval:g} s the summed RSS of the command and its workers was sampled "
        f"(psutil; {f.samples} samples while it worked) with the number of articles in the "
        f"output file so far. The whole run took {f.seconds:.0f} s "
        f"({f.articles / f.seconds if f.seconds else 0:.1f} articles/s).",
        "",
        "| measure | value |",
        "| --- | ---: |",
        f"| RSS after {f.early_mark:,} articles | {f.rss_early / MIB:.0f} MiB |",
        f"| RSS at {START_SHARE:.0%} ({int(f.articles * START_SHARE):,} articles) | "
        f"{f.rss_start / MIB:.0f} MiB |",
        f"| RSS at the end (last 5%) | {f.rss_end / MIB:.0f} MiB |",
        f"| maximum RSS | {f.rss_max / MIB:.0f} MiB |",
        f"| slope over the second half | {slope_text} |",
        f"| growth from {START_SHARE:.0%} to the end | {round(f.growth, 3) or 0.0:+.1%} |",
        "",
        f"Verdict: {verdict} (growth below {f.threshold:.0%} counts as flat). Why "
        f"{f.threshold:.0%}: RSS swings by a few per cent with the length of the articles in "
        "flight and with the allocator keeping freed memory, so a smaller threshold would "
        f"flag noise; on this input {f.threshold:.0%} still catches a steady leak of "
        f"{f.detectable_leak_kib:.1f} KiB or more per article. The first {START_SHARE:.0%} is "
        "left out because caches (names, gazetteer look-ups, spaCy's vocabulary) fill up "
        "there. The recombined input reuses one corpus's vocabulary, so it does not test "
        "the slow growth of spaCy's string store under an endless stream of new names.",
        "",
        "### RSS along the run",
        "",
        *progress_table(samples, f),
        "",
    ])


# --- command line ------------------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=DEFAULT_ARTICLES,
                    help=f"how many articles to generate (default {DEFAULT_ARTICLES:,})")
    ap.add_argument("--jobs", type=int, default=2, help="eventwire --jobs (default 2)")
    ap.add_argument("--seed", type=int, default=2001,
                    help="random seed of the input (default 2001)")
    ap.add_argument("--interval", type=float, default=0.5,
                    help="seconds between samples (default 0.5)")
    ap.add_argument("--threshold", type=float, default=0.10,
                    help="largest growth from 20%% to the end still called flat (default 0.10)")
    ap.add_argument("--model", help="spaCy model (default: eventwire's default model)")
    ap.add_argument("--markdown", type=Path,
                    help="write the section into this Markdown file (other sections are kept)")
    args = ap.parse_args(argv)
    if args.articles < 5 or args.jobs < 1:
        ap.error("--articles must be at least 5 and --jobs at least 1")
    if args.interval <= 0 or args.threshold <= 0:
        ap.error("--interval and --threshold must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(REPO / "src"))
    from eventwire.nlp.loader import DEFAULT_MODEL

    model = args.model or DEFAULT_MODEL
    command = " ".join(["python bench/memory_flat.py", *(sys.argv[1:] if argv is None else argv)])
    before = load_1min()
    with tempfile.TemporaryDirectory(prefix="eventwire-memory-") as tmp:
        input_path, output = Path(tmp) / "mixed.jsonl", Path(tmp) / "out.jsonl"
        write_jsonl(make_articles(args.articles, args.seed), input_path)
        print(f"{args.articles} articles in {input_path}; sampling every {args.interval} s",
              file=sys.stderr)
        samples, status, errors = watch(eventwire_argv(input_path, output, args.jobs, model),
                                        output, args.interval)
    done = samples[-1].done
    if status or done != args.articles:
        print(f"eventwire extract ended with status {status} after {done} of {args.articles} "
              f"articles:\n{errors}", file=sys.stderr)
        return 1
    section = markdown(figures(samples, args.articles, args.threshold), samples, args.jobs,
                       args.seed, args.interval, (before, load_1min()), command, model)
    print(section, end="")
    if args.markdown:
        write_section(args.markdown, section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
