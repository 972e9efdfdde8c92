"""Input files → articles, with an InputError for each bad part and the batch going on."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from eventwire.errors import InputError
from eventwire.model import Article
from eventwire.sources.files import iter_inputs, iter_paths, parse_published
from eventwire.sources.html import stable_doc_id

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
TEXT = ("Hundreds of dock workers walked off the job at the port on Tuesday, union officials said. "
        "The port authority called for talks.")


def jsonl(path: Path, *lines: str | dict) -> Path:
    rows = [json.dumps(line) if isinstance(line, dict) else line for line in lines]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def read(path: Path) -> list[Article | InputError]:
    return list(iter_inputs(path))


# --- JSON Lines ---------------------------------------------------------------------


def test_jsonl_records_become_articles(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "batch.jsonl",
                 {"doc_id": "a1", "text": TEXT, "published": "2024-05-14",
                  "url": "https://harbourtimes.example/a1", "title": "Strike"},
                 {"doc_id": 7, "text": "Second text.  Kept as it is\n"})
    first, second = read(path)
    assert first == Article(doc_id="a1", text=TEXT, title="Strike", published="2024-05-14",
                            url="https://harbourtimes.example/a1")
    assert second.doc_id == "7"
    assert second.text == "Second text.  Kept as it is\n"


def test_bad_lines_are_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "batch.jsonl",
                 {"doc_id": "ok1", "text": TEXT},
                 '{"doc_id": "broken", "text": "no closing brace"',
                 {"doc_id": "no-text"},
                 {"doc_id": "number-text", "text": 42},
                 {"doc_id": "blank-text", "text": "   "},
                 '["an", "array"]',
                 {"doc_id": "ok2", "text": TEXT})
    items = read(path)
    assert [i.doc_id for i in items if isinstance(i, Article)] == ["ok1", "ok2"]
    errors = [i for i in items if isinstance(i, InputError)]
    assert [e.source for e in errors] == [f"{path}:{n}" for n in (2, 3, 4, 5, 6)]
    assert errors[0].message.startswith("invalid JSON")
    assert errors[1].message == 'missing "text"'
    assert "must be a string" in errors[2].message
    assert errors[3].message == 'empty "text"'
    assert "expected a JSON object" in errors[4].message
    assert all(e.hint for e in errors)


def test_blank_lines_are_skipped_and_line_numbers_kept(tmp_path: Path) -> None:
    path = tmp_path / "gaps.jsonl"
    path.write_text(f'\n{json.dumps({"doc_id": "x", "text": TEXT})}\n\n{{oops\n', encoding="utf-8")
    article, error = read(path)
    assert article.doc_id == "x"
    assert error.source == f"{path}:4"


def test_missing_doc_id_is_derived_stably(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "ids.jsonl",
                 {"text": TEXT},
                 {"text": TEXT, "url": "https://harbourtimes.example/a1"},
                 {"doc_id": "", "text": "Another text."})
    first, with_url, empty_id = read(path)
    assert first.doc_id == stable_doc_id(None, TEXT)
    assert with_url.doc_id == stable_doc_id("https://harbourtimes.example/a1", TEXT)
    assert empty_id.doc_id == stable_doc_id(None, "Another text.")
    assert [a.doc_id for a in read(path)] == [first.doc_id, with_url.doc_id, empty_id.doc_id]


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-05-14", "2024-05-14"),
    ("2024-05-14T23:30:00-05:00", "2024-05-14"),
    ("2024-05-14T08:30:00Z", "2024-05-14"),
    ("2024-05-14 08:30", "2024-05-14"),
    (None, None),
    ("", None),
])
def test_published_dates(value: str | None, expected: str | None) -> None:
    assert parse_published(value) == expected


@pytest.mark.parametrize("value", ["last Tuesday", "14/05/2024", "2024-13-01", 20240514])
def test_unreadable_published_date_rejects_the_record(tmp_path: Path, value: object) -> None:
    record = {"doc_id": "d", "text": TEXT, "published": value}
    (error,) = read(jsonl(tmp_path / "dates.jsonl", record))
    assert isinstance(error, InputError)
    assert "not an ISO date" in error.message
    assert "YYYY-MM-DD" in error.hint


def test_non_string_optional_field_is_an_error(tmp_path: Path) -> None:
    (error,) = read(jsonl(tmp_path / "t.jsonl", {"doc_id": "d", "text": TEXT, "title": ["x"]}))
    assert error.message == '"title" must be a string or null, got an array'


def test_json_array_file(tmp_path: Path) -> None:
    path = tmp_path / "batch.json"
    path.write_text(json.dumps([{"doc_id": "a", "text": TEXT}, {"doc_id": "b"}]), encoding="utf-8")
    article, error = read(path)
    assert article.doc_id == "a"
    assert error.source == f"{path}[1]" and error.message == 'missing "text"'


def test_only_blank_lines_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "blank.jsonl"
    path.write_text("\n  \n\n", encoding="utf-8")
    (error,) = read(path)
    assert "no records" in error.message


def test_jsonl_streams_line_by_line(tmp_path: Path) -> None:
    """The first record comes before a broken tail is read: nothing loads the whole file."""
    path = jsonl(tmp_path / "big.jsonl", *({"doc_id": str(n), "text": TEXT} for n in range(2000)))
    items = iter_inputs(path)
    assert next(items).doc_id == "0"
    with path.open("a", encoding="utf-8") as stream:
        stream.write("{broken\n")
    rest = list(items)
    assert len(rest) == 2000 and isinstance(rest[-1], InputError)


def test_latin1_jsonl_line_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "legacy.jsonl"
    record = json.dumps({"doc_id": "l1", "text": "Le président a visité Besançon."},
                        ensure_ascii=False)
    path.write_bytes(record.encode("latin-1") + b"\n")
    (article,) = read(path)
    assert article.text == "Le président a visité Besançon."


# --- plain text -----------------------------------------------------------------------


def test_txt_is_kept_byte_identical(tmp_path: Path) -> None:
    original = "  Title line\r\n\r\nFirst paragraph — with “quotes”.\n\n\tIndented.  \n\n"
    path = tmp_path / "story-42.txt"
    path.write_bytes(original.encode("utf-8"))
    (article,) = read(path)
    assert article.text == original
    assert article.text.encode("utf-8") == path.read_bytes()
    assert article.doc_id == "story-42"
    assert article.title is None


def test_latin1_txt_is_decoded(tmp_path: Path) -> None:
    text = "Der Bürgermeister sagte, die Straße bleibe über Nacht gesperrt. Café geschlossen."
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode("latin-1"))
    (article,) = read(path)
    assert article.text == text


def test_utf8_bom_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    (article,) = read(path)
    assert article.text == TEXT


def test_binary_file_is_an_encoding_error(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(bytes(range(256)) * 4)
    (error,) = read(path)
    assert "encoding" in error.message
    assert error.hint == "re-save the file as UTF-8 text"


@pytest.mark.parametrize(("name", "content"), [("empty.txt", b""), ("empty.jsonl", b""),
                                               ("empty.html", b""), ("spaces.txt", b" \n\t\n")])
def test_empty_file(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    (error,) = read(path)
    assert isinstance(error, InputError)
    assert error.message == "empty file"
    assert error.source == str(path)


# --- HTML -----------------------------------------------------------------------------


def test_html_file_is_cleaned(tmp_path: Path) -> None:
    path = tmp_path / "dock-strike.html"
    shutil.copy(FIXTURES / "article.html", path)
    (article,) = read(path)
    assert article.doc_id == "dock-strike"
    assert article.title == "Dock workers strike at northern port over pay"
    for furniture in ("Share", "Leave A Reply", "Exit mobile version"):
        assert furniture not in article.text


def test_html_without_an_article_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "home.htm"
    shutil.copy(FIXTURES / "index.html", path)
    (error,) = read(path)
    assert error.source == str(path)
    assert "not an article" in error.message


# --- paths that cannot be read -------------------------------------------------------


def test_unknown_extension_lists_the_accepted_ones(tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    path.write_bytes(b"PK\x03\x04")
    (error,) = read(path)
    assert "unsupported file type '.docx'" in error.message
    assert ".jsonl" in error.hint and ".txt" in error.hint and ".html" in error.hint


def test_missing_file(tmp_path: Path) -> None:
    (error,) = read(tmp_path / "nowhere.txt")
    assert error.message == "no such file"


def test_folder_given_as_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    (error,) = read(folder)
    assert "folder" in error.message


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="needs Unix domain sockets")
def test_unopenable_file(tmp_path: Path) -> None:
    """A socket has a name but cannot be opened as a file (for root too, unlike chmod 0)."""
    path = tmp_path / "socket.txt"
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(path))
        (error,) = read(path)
    assert "cannot open file" in error.message
    assert "may read it" in error.hint


def test_iter_paths_expands_a_folder_recursively_and_sorted(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".cache").mkdir()
    for name in ("b/2.txt", "a.jsonl", "b/1.HTML", "c.json", "notes.docx", ".hidden.txt",
                 ".cache/x.txt", "d.htm"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_paths(tmp_path)]
    assert found == ["a.jsonl", "b/1.HTML", "b/2.txt", "c.json", "d.htm"]


def test_iter_paths_gives_a_file_as_itself(tmp_path: Path) -> None:
    path = tmp_path / "one.docx"
    assert list(iter_paths(path)) == [path]
    assert list(iter_paths(str(path))) == [path]


# --- the package's public names ----------------------------------------------------


def test_public_names_resolve() -> None:
    import eventwire.sources as sources

    assert sources.__all__ == sorted(sources.__all__)
    for name in sources.__all__:
        assert getattr(sources, name).__name__ == name
    with pytest.raises(AttributeError):
        sources.no_such_name  # noqa: B018


def test_importing_the_package_stays_cheap() -> None:
    code = ("import sys, eventwire.sources; "
            "print(sorted(m for m in ('trafilatura', 'httpx', 'feedparser') if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          check=True)
    assert done.stdout.strip() == "[]"


PAGE_WITH_DATE = ('<html><head><title>Arrests in Nairobi</title>'
                  '<meta property="article:published_time" content="2025-09-03T08:30:00Z">'
                  '</head><body><article><p>Police arrested 12 protesters in Nairobi on Tuesday, '
                  'witnesses said, after a march against new taxes turned violent near parliament. '
                  'The interior ministry said officers had been attacked with stones and that the '
                  'arrested would be charged on Wednesday.</p></article></body></html>')
PAGE_WITHOUT_DATE = PAGE_WITH_DATE.replace('<meta property="article:published_time" '
                                           'content="2025-09-03T08:30:00Z">', "")


def test_record_without_date_takes_its_pages_metadata_date(tmp_path: Path) -> None:
    text = "Police arrested 12 protesters in Nairobi on Tuesday."
    [article] = read(jsonl(tmp_path / "a.jsonl", {"doc_id": "a", "text": text,
                                                   "html": PAGE_WITH_DATE}))
    assert isinstance(article, Article)
    assert (article.text, article.published) == (text, "2025-09-03")


def test_record_date_wins_over_the_pages_date(tmp_path: Path) -> None:
    [article] = read(jsonl(tmp_path / "a.jsonl", {"doc_id": "a", "text": "Some text here.",
                                                   "published": "2025-09-01",
                                                   "html": PAGE_WITH_DATE}))
    assert isinstance(article, Article) and article.published == "2025-09-01"


def test_record_with_neither_date_nor_dated_page_keeps_no_date(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "a.jsonl", {"doc_id": "a", "text": "Some text here."},
                 {"doc_id": "b", "text": "Some text here.", "html": PAGE_WITHOUT_DATE},
                 {"doc_id": "c", "text": "Some text here.", "html": "<p>not much of a page"})
    assert [a.published for a in read(path)] == [None, None, None]


def test_record_with_only_a_page_is_cleaned_like_an_html_file(tmp_path: Path) -> None:
    [article] = read(jsonl(tmp_path / "a.jsonl", {"doc_id": 7, "url": "https://news.example/x",
                                                   "html": PAGE_WITH_DATE}))
    assert isinstance(article, Article)
    assert article.doc_id == "7" and article.url == "https://news.example/x"
    assert article.text.startswith("Police arrested 12 protesters")
    assert (article.title, article.published) == ("Arrests in Nairobi", "2025-09-03")


def test_record_whose_page_is_not_an_article_is_reported(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "a.jsonl", {"doc_id": "a", "html": "<p>menu</p>"},
                 {"doc_id": "b", "html": 5}, {"doc_id": "c", "text": "Fine text."})
    first, second, third = read(path)
    assert isinstance(first, InputError) and "not an article" in str(first)
    assert isinstance(second, InputError) and '"html" must be a string' in str(second)
    assert first.source.endswith("a.jsonl:1") and second.source.endswith("a.jsonl:2")
    assert isinstance(third, Article)
