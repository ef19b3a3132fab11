"""Documents are judged by their bytes and read into headings and paragraphs; long ones condensed."""

from __future__ import annotations

import io
import zipfile

import pytest

from scriptsensei_cli.common.narration import estimate_narration_seconds
from scriptsensei_cli.engine.content.condense import condense
from scriptsensei_cli.engine.content.documents import Block, read_document
from scriptsensei_cli.engine.errors import EngineError
from tests.sample_documents import ARTICLE_HTML, PDF_PAGES, make_docx, make_pdf


def refused(data: bytes) -> EngineError:
    with pytest.raises(EngineError) as caught:
        read_document(data)
    return caught.value


def test_html_keeps_the_article_and_drops_navigation_footer_and_code() -> None:
    document = read_document(ARTICLE_HTML.encode())
    assert (document.kind, document.title, document.language) == ("html", "Why sleep matters", "en-US")
    assert document.tags == ["sleep", "circadian rhythm"]
    text = " ".join(document.paragraphs)
    assert text.startswith("Did you know most adults need seven to nine hours of sleep?")
    assert "Caffeine has a half-life of about five hours. An afternoon coffee" in text  # list items
    for boilerplate in ("About us", "newsletter", "Copyright", "print(", "Sleep Blog:"):
        assert boilerplate not in text
    headings = [block.text for block in document.blocks if block.heading]
    assert headings == ["Light sets your clock", "Caffeine lingers"]  # the <h1> is the title, not narrated


def test_markdown_front_matter_headings_lists_links_and_code() -> None:
    text = (
        "---\ntitle: Sleep, explained\ntags: [sleep, health]\n---\n"
        "# Sleep, explained\n\n"
        "Most adults need **seven to nine** hours. See [the study](https://x.org/s) [1].\n\n"
        "## Light\n\n- Go outside early\n- Dim the lights\n\n```\ncode()\n```\n"
    )
    document = read_document(text.encode())
    assert (document.kind, document.title, document.tags) == (
        "markdown",
        "Sleep, explained",
        ["sleep", "health"],
    )
    assert document.paragraphs == [
        "Most adults need seven to nine hours. See the study.",
        "Go outside early. Dim the lights.",
    ]


def test_plain_text_unwraps_lines_and_finds_headings() -> None:
    text = (
        "Sleep basics\n\nMost adults need seven to nine hours of sleep, yet many of us get far less than\n"
        "that every night.\n\nLight sets your clock\n\nMorning light helps.\n"
    )
    document = read_document(text.encode("utf-16"))  # a BOM says how to decode
    assert (document.kind, document.title) == ("text", "Sleep basics")
    assert document.paragraphs == [
        "Most adults need seven to nine hours of sleep, yet many of us get far less than that every night.",
        "Morning light helps.",
    ]


def test_pdf_text_lines_become_paragraphs_under_headings() -> None:
    document = read_document(make_pdf(PDF_PAGES, title="Microsoft Word - draft3.docx"))
    assert (document.kind, document.title) == ("pdf", "Why sleep matters")
    assert [block.heading for block in document.blocks] == [True, False, True, False]
    assert document.paragraphs[0].endswith("the costs add up quickly for your mood and your health.")


def test_a_pdf_without_text_is_a_clear_400() -> None:
    error = refused(make_pdf([[], []]))
    assert error.code == "VALIDATION_ERROR"
    assert "no text found in the PDF" in error.message and "OCR" in error.message


def test_docx_title_headings_paragraphs_and_bullets() -> None:
    data = make_docx(
        "Sleep, explained",
        [("Light", ["Ten minutes of daylight helps.", "Screens hurt."]), ("Caffeine", ["It lingers."])],
        bullets=["Stop coffee at noon", "Keep the room cool"],
    )
    document = read_document(data)
    assert (document.kind, document.title, document.tags) == ("docx", "Sleep, explained", ["sleep", "health"])
    assert [b.text for b in document.blocks if b.heading] == ["Light", "Caffeine"]
    assert document.paragraphs[-1] == "Stop coffee at noon. Keep the room cool."


@pytest.mark.parametrize(
    ("data", "found"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "a PNG image"),
        (b"\xff\xd8\xff\xe0" + b"\0" * 64, "a JPEG image"),
        (b"\0\0\0\x18ftypmp42" + b"\0" * 64, "an MP4/MOV video or audio file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "a legacy Office file (.doc, .xls or .ppt)"),
        (b"\x00\x01\x02\x03binary\x00\x00" * 20, "binary data of a kind not recognised"),
    ],
)
def test_other_kinds_are_415_naming_what_was_found(data: bytes, found: str) -> None:
    error = refused(data)
    assert error.code == "UNSUPPORTED_MEDIA_TYPE"
    assert error.message == f"the file is {found}; import reads text, Markdown, HTML, PDF or DOCX"


def test_zip_containers_are_told_apart_by_their_parts() -> None:
    def archive(*names: str) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            for name in names:
                z.writestr(name, "<x/>")
        return buffer.getvalue()

    assert "an Excel workbook (XLSX)" in refused(archive("[Content_Types].xml", "xl/workbook.xml")).message
    assert "a ZIP archive" in refused(archive("notes.txt")).message
    assert refused(b"PK\x03\x04 broken").code == "VALIDATION_ERROR"


def test_a_name_does_not_decide_the_kind() -> None:
    # The same PDF bytes are a PDF whatever they are called; HTML sent as "notes.txt" is HTML.
    assert read_document(ARTICLE_HTML.encode()).kind == "html"
    assert read_document(make_pdf(PDF_PAGES)).kind == "pdf"


# -- condensing -----------------------------------------------------------------------------------


def paragraph(label: str, sentences: int) -> Block:
    return Block(" ".join(f"{label} sentence number {i} has exactly eight words." for i in range(sentences)))


def test_a_short_document_is_kept_whole_with_headings_as_paragraph_breaks() -> None:
    blocks = [Block("Intro", heading=True), Block("One. Two."), Block("Part", heading=True), Block("Three.")]
    narration = condense(blocks, "en", 60)
    assert narration.content == "One. Two.\n\nThree."
    assert not narration.condensed


def test_a_long_document_keeps_the_lead_of_every_section_within_the_budget() -> None:
    blocks = [
        paragraph("Alpha", 10),
        Block("Middle", heading=True),
        paragraph("Beta", 10),
        paragraph("Gamma", 10),
    ]
    narration = condense(blocks, "en", 30)
    assert narration.condensed and narration.seconds <= 30
    assert estimate_narration_seconds(narration.content, "en") == narration.seconds
    kept = narration.content.split("\n\n")
    # Every paragraph keeps a prefix of its sentences, so each of them is represented.
    assert [p.split()[0] for p in kept] == ["Alpha", "Beta", "Gamma"]
    assert all(p.startswith(f"{p.split()[0]} sentence number 0 ") for p in kept)
    assert narration.source_words == 240
