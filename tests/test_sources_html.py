"""HTML pages → articles: main text, metadata, boilerplate, decoding."""
from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.errors import InputError
from eventwire.sources.html import (
    Boilerplate,
    clean_text_lines,
    content_type_charset,
    decode_bytes,
    html_charset,
    html_to_article,
    load_boilerplate,
    stable_doc_id,
)

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
ARTICLE = (FIXTURES / "article.html").read_bytes()
FURNITURE = ("Share", "Leave A Reply", "Exit mobile version", "Follow us on", "Click to share",
             "Skip to content", "Your email address")


@pytest.fixture(scope="module")
def article():
    return html_to_article(ARTICLE, url="https://harbourtimes.example/news/dock-strike")


def test_metadata_is_extracted(article) -> None:
    assert article.title == "Dock workers strike at northern port over pay"
    assert article.published == "2024-05-14"
    assert article.byline == "Dana Reyes"
    assert article.site == "The Harbour Times"
    assert article.url == "https://harbourtimes.example/news/dock-strike"


def test_text_is_the_article_body(article) -> None:
    assert article.text.startswith("Hundreds of dock workers walked off the job")
    assert article.text.endswith("no arrests had been made.")
    assert '"We will not go back until the offer is fair," said Mara Lind' in article.text


@pytest.mark.parametrize("furniture", FURNITURE)
def test_boilerplate_is_never_in_the_text(article, furniture: str) -> None:
    assert furniture.lower() not in article.text.lower()


def test_the_list_is_what_removes_the_furniture() -> None:
    """Guards the fixture: trafilatura alone keeps these lines."""
    bare = html_to_article(ARTICLE, boilerplate=Boilerplate(exact=frozenset(), prefixes=()))
    for furniture in ("Share.", "Leave A Reply", "Exit mobile version", "Follow us on"):
        assert furniture in bare.text


def test_paragraphs_are_separated_by_a_blank_line(article) -> None:
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == 4
    assert all(p.strip() == p and "\n" not in p for p in paragraphs)


def test_title_is_not_repeated_in_the_text(article) -> None:
    assert article.title not in article.text


def test_doc_id_is_stable_and_from_the_url(article) -> None:
    again = html_to_article(ARTICLE, url=article.url)
    assert again.doc_id == article.doc_id == stable_doc_id(article.url, article.text)
    assert len(article.doc_id) == 16
    assert html_to_article(ARTICLE, url=article.url + "?x=1").doc_id != article.doc_id


def test_given_doc_id_and_date_win() -> None:
    article = html_to_article(ARTICLE, doc_id="harbour-1", published="2024-05-15")
    assert article.doc_id == "harbour-1"
    assert article.published == "2024-05-15"


def test_str_input_gives_the_same_text(article) -> None:
    assert html_to_article(ARTICLE.decode("utf-8")).text == article.text


def test_index_page_is_not_an_article() -> None:
    with pytest.raises(InputError, match="not an article") as caught:
        html_to_article((FIXTURES / "index.html").read_bytes(), url="https://harbourtimes.example/")
    assert caught.value.source == "https://harbourtimes.example/"
    assert caught.value.hint


@pytest.mark.parametrize("body", [b"", b"   ", b"\x00\x01\x02binary", b"plain words, not a page"])
def test_empty_or_non_html_is_not_an_article(body: bytes) -> None:
    with pytest.raises(InputError, match="not an article"):
        html_to_article(body)


def test_declared_legacy_charset_is_respected() -> None:
    page = ARTICLE.decode("utf-8").replace('charset="utf-8"', 'charset="windows-1252"')
    page = page.replace("Mara Lind", "Mara Lindström").replace("Keelby on", "Kéelby on")
    article = html_to_article(page.encode("cp1252"))
    assert "Mara Lindström" in article.text
    assert "Kéelby" in article.text


def test_header_encoding_wins_over_guessing() -> None:
    page = ARTICLE.decode("utf-8").replace('<meta charset="utf-8">', "")
    page = page.replace("Mara Lind", "Мара Линд")
    article = html_to_article(page.encode("cp1251"), encoding="cp1251")
    assert "Мара Линд" in article.text


# --- clean_text_lines and the boilerplate list ----------------------------------


def test_clean_text_lines_drops_furniture_and_spaces_paragraphs() -> None:
    raw = "Headline here\n First paragraph.\n\nShare.\nSHARE\nSecond paragraph.\nLeave a Reply\n"
    assert clean_text_lines(raw, title="Headline here") == "First paragraph.\n\nSecond paragraph."


def test_prefix_entries_only_drop_short_lines() -> None:
    long_line = "Follow us on the long road south, the marchers said, " * 3
    text = f"Follow us on Instagram\n{long_line.strip()}"
    assert clean_text_lines(text) == long_line.strip()


def test_inner_text_is_kept_as_extracted() -> None:
    line = "A  spaced\u00a0line — with dashes."
    assert clean_text_lines(line) == line


def test_a_custom_boilerplate_list_extends_nothing_else(tmp_path: Path) -> None:
    custom = tmp_path / "furniture.txt"
    custom.write_text("# ours\nRead the full story*\nPhoto gallery\n", encoding="utf-8")
    rules = load_boilerplate(custom)
    text = "Photo gallery\nShare\nRead the full story on our app\nBody."
    assert clean_text_lines(text, boilerplate=rules) == "Share\n\nBody."


def test_packaged_list_covers_the_usual_furniture() -> None:
    rules = load_boilerplate()
    for line in ("Share", "Share.", "Leave A Reply", "Leave a Comment", "Exit mobile version",
                 "Click to share", "Follow us on Telegram"):
        assert rules.matches(line), line
    assert not rules.matches("Shares in the company fell.")


def test_unreadable_boilerplate_list_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read boilerplate list"):
        load_boilerplate(tmp_path / "missing.txt")


# --- decoding ----------------------------------------------------------------------


@pytest.mark.parametrize(("data", "expected"), [
    ("Café déjà vu".encode(), "Café déjà vu"),
    (b"\xef\xbb\xbfwith a BOM", "with a BOM"),
    ("Bürgermeister sagte, dass die Straße über Nacht gesperrt würde.".encode("latin-1"),
     "Bürgermeister sagte, dass die Straße über Nacht gesperrt würde."),
    ("UTF-16 text".encode("utf-16"), "UTF-16 text"),
    ("São Paulo".encode("latin-1"), "São Paulo"),
    ("A população de São João não é pequena.".encode("latin-1"),
     "A população de São João não é pequena."),
    ("Президент заявил, что войска отведены.".encode("cp1251"),
     "Президент заявил, что войска отведены."),
])
def test_decode_bytes(data: bytes, expected: str) -> None:
    assert decode_bytes(data) == expected


def test_html_charset_reads_both_meta_forms() -> None:
    assert html_charset(b'<meta charset="ISO-8859-1">') == "iso-8859-1"
    http_equiv = b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    assert html_charset(http_equiv) == "windows-1251"
    assert html_charset(b"<html><p>no charset</p></html>") is None


@pytest.mark.parametrize(("header", "expected"), [
    ("text/html; charset=UTF-8", "utf-8"),
    ('text/html; Charset="windows-1251"', "windows-1251"),
    ("text/html", None),
    (None, None),
])
def test_content_type_charset(header: str | None, expected: str | None) -> None:
    assert content_type_charset(header) == expected
