"""Read input files as articles: JSON Lines, plain text and saved HTML pages.

A batch must go on past a bad record, so :func:`iter_inputs` never raises for
bad input: it yields an :class:`~eventwire.errors.InputError` in place of each
part it cannot use, with ``source`` set to ``FILE`` or ``FILE:LINE``.

Formats (chosen by the file's extension):

``.jsonl`` / ``.json``
    One JSON object per line: ``{"doc_id", "text", "published"?, "url"?,
    "title"?, "site"?, "byline"?}``. Read line by line, so files of any size
    stream. Blank lines are skipped. A ``.json`` file whose content starts
    with ``[`` is read as one JSON array of such objects instead (whole file).

    * ``text`` must be a non-empty string; it is kept exactly as given.
    * ``doc_id`` may be a string or an integer. When missing or empty it is
      derived from the ``url``, else from the text (:func:`stable_doc_id`), so
      that the same article read twice gets the same id.
    * ``published`` may be ``YYYY-MM-DD`` or a full ISO date-time (cut to its
      date as written). Anything else rejects the record: a wrong date kept
      silently would be worse than a reported error.
    * ``html`` (optional) is the page the record came from. With no
      ``published``, the date in the page's metadata is used; with no
      ``text``, the page is cleaned like an ``.html`` file. With neither a
      date nor a page, ``published`` stays empty (events keep their own
      time expressions; nothing is guessed).

``.txt``
    The whole file is the text, unaltered (line ends included); a leading
    byte-order mark is not text and is dropped. ``doc_id`` is the file stem.

``.html`` / ``.htm``
    Cleaned by :func:`~eventwire.sources.html.html_to_article`; ``doc_id`` is
    the file stem.

Text files that are not UTF-8 are decoded by :func:`decode_bytes` (byte-order
mark, strict UTF-8, charset detection, cp1252).
"""
from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from eventwire.errors import InputError
from eventwire.model import Article
from eventwire.sources.html import decode_bytes, html_to_article, page_date, stable_doc_id

JSONL_SUFFIXES: tuple[str, ...] = (".jsonl", ".json")
TEXT_SUFFIXES: tuple[str, ...] = (".txt",)
HTML_SUFFIXES: tuple[str, ...] = (".html", ".htm")
SUPPORTED_SUFFIXES: tuple[str, ...] = JSONL_SUFFIXES + TEXT_SUFFIXES + HTML_SUFFIXES
OPTIONAL_FIELDS: tuple[str, ...] = ("url", "title", "site", "byline")

_RECORD_EXAMPLE = '{"doc_id": "a1", "text": "…", "published": "2024-05-14"}'


def iter_paths(source: str | Path) -> Iterator[Path]:
    """The input files that *source* names: a folder's supported files, or the file itself.

    A folder is searched recursively; hidden files and folders (names starting
    with ".") are skipped; paths come sorted. Anything that is not a folder is
    yielded as it is, so that :func:`iter_inputs` reports what is wrong with it.
    """
    root = Path(source)
    if not root.is_dir():
        yield root
        return
    found = (p for p in root.rglob("*")
             if p.suffix.lower() in SUPPORTED_SUFFIXES and p.is_file() and not _hidden(p, root))
    yield from sorted(found)


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def iter_inputs(path: str | Path) -> Iterator[Article | InputError]:
    """Read one input file: an Article for each usable record, an InputError for each bad one."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        yield InputError(f"unsupported file type {suffix or '(no extension)'!r}", source=str(path),
                         hint="accepted extensions: " + ", ".join(SUPPORTED_SUFFIXES))
        return
    problem = _unreadable(path)
    if problem is not None:
        yield problem
        return
    try:
        yield from _read(path, suffix)
    except OSError as err:
        yield InputError(f"cannot read file: {err.strerror or err}", source=str(path),
                         hint="check that the file exists and can be read")


def _read(path: Path, suffix: str) -> Iterator[Article | InputError]:
    if suffix in JSONL_SUFFIXES:
        yield from _read_json_lines(path)
    elif suffix in TEXT_SUFFIXES:
        yield _read_text(path)
    else:
        yield _read_html(path)


def _unreadable(path: Path) -> InputError | None:
    """Why *path* cannot be read as an input file, or None when it can."""
    source = str(path)
    if path.is_dir():
        return InputError("is a folder, not a file", source=source,
                          hint="give the folder itself as the input to read every file in it")
    if not path.exists():
        return InputError("no such file", source=source, hint="check the path and its spelling")
    try:
        with path.open("rb"):
            pass
    except OSError as err:
        return InputError(f"cannot open file: {err.strerror or err}", source=source,
                          hint="check that it is a regular file and that you may read it")
    if path.stat().st_size == 0:
        return InputError("empty file", source=source,
                          hint="the file has no content: fill it or leave it out")
    return None


# --- JSON Lines ------------------------------------------------------------


def _read_json_lines(path: Path) -> Iterator[Article | InputError]:
    """Stream a JSON Lines file record by record (or a JSON array, see module doc)."""
    any_record = False
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            if number == 1:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            if not raw.strip():
                continue
            if not any_record and path.suffix.lower() == ".json" and raw.lstrip().startswith(b"["):
                yield from _read_json_array(path, stream)
                return
            any_record = True
            yield _record_from_line(raw, f"{path}:{number}")
    if not any_record:
        yield InputError("no records: the file has only blank lines", source=str(path),
                         hint=f"write one JSON object per line, e.g. {_RECORD_EXAMPLE}")


def _read_json_array(path: Path, stream: BinaryIO) -> Iterator[Article | InputError]:
    """Read a ``.json`` file holding one array of records (whole file, not streamed)."""
    stream.seek(0)
    data = stream.read().removeprefix(codecs.BOM_UTF8)
    records = _parse_json(data, str(path))
    if isinstance(records, InputError):
        yield records
        return
    if not isinstance(records, list):
        yield InputError("expected a JSON array of records", source=str(path),
                         hint=f"write a list of objects such as {_RECORD_EXAMPLE}")
        return
    for index, record in enumerate(records):
        yield _article_from_record(record, f"{path}[{index}]")


def _record_from_line(raw: bytes, source: str) -> Article | InputError:
    record = _parse_json(raw, source)
    return record if isinstance(record, InputError) else _article_from_record(record, source)


def _parse_json(raw: bytes, source: str) -> Any:
    """Decoded JSON, or the InputError that says why it is not."""
    text = decode_bytes(raw)
    if text is None:
        return _encoding_error(source)
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        return InputError(f"invalid JSON: {err.msg} at column {err.colno}", source=source,
                          hint="each line must be one complete JSON object, "
                               f"e.g. {_RECORD_EXAMPLE}")


def _article_from_record(record: Any, source: str) -> Article | InputError:
    """Check one decoded record and build its Article."""
    if not isinstance(record, dict):
        return InputError(f"expected a JSON object, got {_json_type(record)}", source=source,
                          hint=f"write one object per line, e.g. {_RECORD_EXAMPLE}")
    try:
        html = _optional_str(record, "html")
        if html is not None and record.get("text") is None:
            return _article_from_page(record, html)
        text = _record_text(record)
        fields = {key: _optional_str(record, key) for key in OPTIONAL_FIELDS}
        published = parse_published(record.get("published"))
        if published is None and html is not None:
            published = _page_published(html, fields["url"])
        doc_id = _record_doc_id(record.get("doc_id"), fields["url"], text)
    except InputError as err:
        return InputError(err.message, source=source, hint=err.hint)
    return Article(doc_id=doc_id, text=text, published=published, **fields)


def _article_from_page(record: dict[str, Any], html: str) -> Article:
    """A record that carries its page but no text: clean the page; the record's fields win."""
    fields = {key: _optional_str(record, key) for key in OPTIONAL_FIELDS}
    published = parse_published(record.get("published"))
    doc_id = record.get("doc_id")
    article = html_to_article(html, url=fields["url"], published=published,
                              doc_id=str(doc_id) if doc_id not in (None, "") else None)
    for key, value in fields.items():
        if value is not None:
            setattr(article, key, value)
    article.published = _checked_date(article.published)
    return article


def _page_published(html: str, url: str | None) -> str | None:
    """The page metadata's date as YYYY-MM-DD; None when it has none we can read."""
    return _checked_date(page_date(html, url))


def _checked_date(value: str | None) -> str | None:
    """A date found in a page (not given by the user): unreadable means none, not an error."""
    try:
        return parse_published(value)
    except InputError:
        return None


def _record_text(record: dict[str, Any]) -> str:
    text = record.get("text")
    if text is None:
        raise InputError('missing "text"',
                         hint=f"every record needs the article text: {_RECORD_EXAMPLE}")
    if not isinstance(text, str):
        raise InputError(f'"text" must be a string, got {_json_type(text)}',
                         hint="put the article text in one JSON string")
    if not text.strip():
        raise InputError('empty "text"', hint="leave out records that have no article text")
    return text


def _optional_str(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None or isinstance(value, str):
        return value or None
    raise InputError(f'"{key}" must be a string or null, got {_json_type(value)}',
                     hint=f'write "{key}" as a JSON string, or leave it out')


def _record_doc_id(value: Any, url: str | None, text: str) -> str:
    if value is None or value == "":
        return stable_doc_id(url, text)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InputError(f'"doc_id" must be a string or an integer, got {_json_type(value)}',
                         hint='write "doc_id" as a JSON string, or leave it out to derive one')
    return str(value)


def parse_published(value: Any) -> str | None:
    """A publication date as ``YYYY-MM-DD``; None when absent. Raises InputError when unreadable.

    Accepts ``YYYY-MM-DD`` and full ISO 8601 date-times, which are cut to
    their date as written (no time-zone shift).
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = value.strip()
        try:
            if len(value) == 10:
                return date.fromisoformat(value).isoformat()
            return datetime.fromisoformat(value).date().isoformat()
        except ValueError:
            pass
    raise InputError(f'"published" is not an ISO date: {value!r}',
                     hint="write it as YYYY-MM-DD (or a full ISO date-time), or null when unknown")


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "true/false",
             int: "a number", float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)


# --- plain text and HTML ---------------------------------------------------


def _read_text(path: Path) -> Article | InputError:
    text = decode_bytes(path.read_bytes())
    if text is None or "\x00" in text:
        return _encoding_error(str(path))
    if not text.strip():
        return InputError("empty file", source=str(path),
                          hint="the file has only white space: fill it or leave it out")
    return Article(doc_id=path.stem, text=text)


def _read_html(path: Path) -> Article | InputError:
    try:
        return html_to_article(path.read_bytes(), doc_id=path.stem)
    except InputError as err:
        return InputError(err.message, source=str(path), hint=err.hint)


def _encoding_error(source: str) -> InputError:
    return InputError("cannot decode the text: wrong or unknown encoding (or a binary file)",
                      source=source, hint="re-save the file as UTF-8 text")
