"""HTML page → clean :class:`~eventwire.model.Article`, with trafilatura.

The text made here is fixed for the rest of the pipeline: every character
offset that extraction writes points into it. So it is shaped once, here, for
reading and for sentence splitting:

* paragraphs are separated by one blank line (``"\\n\\n"``); trafilatura gives
  a single ``"\\n"``, which makes paragraph ends invisible to a sentence
  splitter when a paragraph lacks final punctuation;
* a first line that repeats the title is dropped (the title is kept apart);
* lines that are page furniture ("Share", "Leave A Reply", "Exit mobile
  version", "Follow us on …") are dropped. The list is data:
  ``eventwire/data/boilerplate.txt``, and callers may pass their own.

Bytes are decoded by :func:`decode_bytes`, which the file reader shares.
"""
from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from eventwire.errors import InputError
from eventwire.model import Article

MIN_TEXT_CHARS = 200
"""Below this many characters of main text a page is not taken as an article."""

PREFIX_LINE_MAX = 120
"""Prefix entries ("follow us on*") only drop lines shorter than this."""

LIKELY_ENCODINGS: tuple[str, ...] = (
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "koi8_r",
    "shift_jis", "euc_jp", "gb18030", "big5", "euc_kr",
)
"""Legacy encodings of news sites that charset detection may choose among.

Letting charset_normalizer choose freely makes it pick exotic code pages
(cp775 for a plain French sentence in Latin-1); this short list keeps it right
on the encodings that news pages actually use."""

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_END_PUNCT = " \t.:!|·•–—-"


@dataclass(frozen=True)
class Boilerplate:
    """Lines to drop from extracted text: exact lines and line prefixes (lower case)."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]

    def matches(self, line: str) -> bool:
        """True when *line* is page furniture rather than article text."""
        key = _line_key(line)
        if key in self.exact:
            return True
        return len(line) < PREFIX_LINE_MAX and key.startswith(self.prefixes)


def load_boilerplate(path: str | Path | None = None) -> Boilerplate:
    """Read a boilerplate list (the packaged one when *path* is None).

    The format is described at the top of ``eventwire/data/boilerplate.txt``.
    """
    if path is None:
        return _packaged_boilerplate()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read boilerplate list: {err}", source=str(path),
                         hint="give a UTF-8 text file with one line per entry") from err
    return _parse_boilerplate(text)


@lru_cache(maxsize=1)
def _packaged_boilerplate() -> Boilerplate:
    """The packaged list, read once: it never changes while the process runs."""
    ref = resources.files("eventwire") / "data" / "boilerplate.txt"
    return _parse_boilerplate(ref.read_text(encoding="utf-8"))


def _parse_boilerplate(text: str) -> Boilerplate:
    entries = [line.strip() for line in text.splitlines()]
    entries = [e for e in entries if e and not e.startswith("#")]
    prefixes = tuple(_line_key(e[:-1]) for e in entries if e.endswith("*"))
    exact = frozenset(_line_key(e) for e in entries if not e.endswith("*"))
    return Boilerplate(exact=exact, prefixes=prefixes)


def _line_key(line: str) -> str:
    """Normalise a line for matching: lower case, single spaces, no end punctuation."""
    return " ".join(line.split()).strip(_END_PUNCT).casefold()


def clean_text_lines(text: str, *, title: str | None = None,
                     boilerplate: Boilerplate | None = None) -> str:
    """Turn extracted text into the article text: one blank line between paragraphs.

    Empty lines and boilerplate lines are dropped, and so is a first line that
    only repeats *title*. Inner spacing of each kept line is left as it is.
    """
    furniture = boilerplate or load_boilerplate()
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not furniture.matches(line)]
    if lines and title and _line_key(lines[0]) == _line_key(title):
        lines = lines[1:]
    return "\n\n".join(lines)


def decode_bytes(data: bytes, declared: str | None = None) -> str | None:
    """Decode text of unknown encoding; None when no likely encoding fits.

    Order: a byte-order mark, then the *declared* charset (HTTP header or
    ``<meta>``), then strict UTF-8, then charset detection among
    :data:`LIKELY_ENCODINGS`, then cp1252 (the usual legacy encoding of
    Western news sites).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _try_decode(data, encoding)
    for encoding in (declared, "utf-8"):
        text = _try_decode(data, encoding) if encoding else None
        if text is not None:
            return text
    return _detect_decode(data) or _try_decode(data, "cp1252")


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None


def _detect_decode(data: bytes) -> str | None:
    """Decode with charset detection; among equally good guesses prefer cp1252.

    On short texts detection ties often ("São Paulo" fits Big5 as well as
    Latin-1): the Western code page is then the most likely one for news.
    """
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # a dependency of trafilatura, but keep working without it
        return None
    matches = list(from_bytes(data[:200_000], cp_isolation=list(LIKELY_ENCODINGS)))
    if not matches:
        return None
    least_chaos = min(m.percent_chaos for m in matches)
    tied = [m for m in matches if m.percent_chaos <= least_chaos]
    western = [m for m in tied if "cp1252" in m.could_be_from_charset]
    chosen = "cp1252" if western else tied[0].encoding
    return _try_decode(data, chosen)


def content_type_charset(content_type: str | None) -> str | None:
    """The charset of an HTTP Content-Type header ("text/html; charset=UTF-8" → "utf-8")."""
    for param in (content_type or "").split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip(' "\''):
            return value.strip(' "\'').lower()
    return None


def html_charset(body: bytes) -> str | None:
    """The charset a page declares in its first ``<meta>`` tags, if any."""
    match = _META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def stable_doc_id(url: str | None, text: str) -> str:
    """An id that is the same every time the same article is read.

    Taken from the URL when there is one (the same page fetched twice), else
    from the text (the same text read from two files), so that re-ingesting
    an article finds the record already stored.
    """
    key = url if url else text
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def html_to_article(body: bytes | str, *, url: str | None = None, doc_id: str | None = None,
                    published: str | None = None, encoding: str | None = None,
                    boilerplate: Boilerplate | None = None,
                    min_chars: int = MIN_TEXT_CHARS) -> Article:
    """Extract the article of an HTML page: text, title, date, byline, site.

    *encoding* is the charset from the HTTP header, if known; otherwise the
    page's ``<meta>`` charset, then detection, decide. A *published* date
    given by the caller wins over the date found in the page. Raises
    :class:`InputError` when the page has less than *min_chars* of main text.
    """
    html = body if isinstance(body, str) else _decode_html(body, encoding)
    source = url or doc_id
    extracted = _extract(html, url)
    title = _clean_meta(extracted.get("title"))
    text = clean_text_lines(extracted.get("text") or "", title=title, boilerplate=boilerplate)
    if len(text) < min_chars:
        raise InputError("not an article: no main text found", source=source,
                         hint=f"the page has under {min_chars} characters of article text; "
                              "give the URL of one article, not a home or index page")
    page_url = url or _clean_meta(extracted.get("url"))
    return Article(doc_id=doc_id or stable_doc_id(page_url, text), text=text, title=title,
                   published=published or _clean_meta(extracted.get("date")),
                   url=page_url, site=_clean_meta(extracted.get("sitename")),
                   byline=_clean_meta(extracted.get("author")))


def page_date(html: str, url: str | None = None) -> str | None:
    """The publication date a page's metadata gives (meta tags, JSON-LD, URL), or None.

    Used for inputs that carry their page but no date of their own: a date
    read from the page beats no date, and a guessed date (today's) would be
    worse than none, so nothing is guessed.
    """
    import trafilatura

    try:
        found = trafilatura.extract_metadata(html, default_url=url).date
    except Exception:  # noqa: BLE001 - a page we cannot parse simply has no date
        return None
    return _clean_meta(found)


def _decode_html(body: bytes, encoding: str | None) -> str:
    text = decode_bytes(body, encoding or html_charset(body))
    return text if text is not None else body.decode("utf-8", errors="replace")


def _extract(html: str, url: str | None) -> dict[str, Any]:
    """Run trafilatura; an empty dict when it finds nothing it calls text."""
    import trafilatura  # heavy: imported only when a page is actually cleaned

    document = trafilatura.bare_extraction(html, url=url, with_metadata=True,
                                           include_comments=False)
    return document.as_dict() if document is not None else {}


def _clean_meta(value: Any) -> str | None:
    """Metadata as a trimmed string, None when absent or blank."""
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None
