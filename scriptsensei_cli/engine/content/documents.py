"""Documents to text: a document's title, headings and paragraphs, by the parser of its kind.

Parsers are maintained libraries, imported only when a document of their kind arrives: pypdf (pure
Python), python-docx, readability-lxml (Mozilla Readability's main-content heuristic on lxml: the
article body without navigation, sidebars and footers) and markdown-it-py (CommonMark). Which kind a
document is comes from its bytes (`kinds`), never from its name.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..errors import EngineError, Invalid
from .kinds import FRONT_MATTER, decode_text, sniff, sniff_text

# Where a document's text is hard-wrapped (PDF lines, plain text at 72 columns), a line this much
# shorter than the longest one, ending a sentence, ends its paragraph.
SHORT_LINE_RATIO = 0.75
HEADING_MAX_WORDS = 12


@dataclass(frozen=True)
class Block:
    """A heading or a paragraph of plain text (consecutive list items are one paragraph)."""

    text: str
    heading: bool = False


@dataclass(frozen=True)
class Document:
    kind: str
    title: str | None
    blocks: list[Block]
    language: str | None = None
    tags: list[str] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        return [block.text for block in self.blocks if not block.heading]


def read_document(data: bytes, *, charset: str | None = None) -> Document:
    """Parse `data` by its kind; 415 for a kind we do not read, 400 when it holds no text."""
    kind = sniff(data)
    if kind == "pdf":
        document = _parse_pdf(data)
    elif kind == "docx":
        document = _parse_docx(data)
    else:
        text = decode_text(data, charset)
        kind = sniff_text(text)
        parse = {"html": _parse_html, "markdown": _parse_markdown, "text": _parse_text}[kind]
        document = parse(text)
    if not document.paragraphs:
        raise Invalid(_NO_TEXT[kind], field="file", details={"kind": kind})
    return document


_NO_TEXT = {
    "pdf": "no text found in the PDF: scanned pages are images of text; run OCR on it first",
    "docx": "no text found in the DOCX: it has no paragraphs (tables and images are not read)",
    "html": "no article text found in the HTML page",
    "markdown": "no text found in the Markdown (code blocks and raw HTML are not narrated)",
    "text": "the document has no text",
}

# -- blocks -----------------------------------------------------------------------------------------

_CITATION = re.compile(r"\[(?:\d+(?:[,–-]\d+)*|citation needed|note \d+)\]", re.IGNORECASE)
_URL = re.compile(r"\(?\bhttps?://\S+\)?")
_TERMINAL = ".!?…。！？।"


def clean_text(text: str) -> str:
    """Readable narration: no citation markers or bare URLs, whitespace collapsed."""
    text = _CITATION.sub("", text)
    text = _URL.sub("", text)
    return " ".join(text.split()).replace(" ,", ",").replace(" .", ".")


class _Blocks:
    """Collects headings and paragraphs; consecutive list items become one paragraph of sentences."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._items: list[str] = []

    def heading(self, text: str) -> None:
        self._flush()
        text = clean_text(text)
        if text:
            self.blocks.append(Block(text, heading=True))

    def paragraph(self, text: str) -> None:
        self._flush()
        text = clean_text(text)
        if text:
            self.blocks.append(Block(text))

    def item(self, text: str) -> None:
        text = clean_text(text)
        if text:
            self._items.append(text if text[-1] in _TERMINAL else text + ".")

    def done(self) -> list[Block]:
        self._flush()
        return self.blocks

    def _flush(self) -> None:
        if self._items:
            self.blocks.append(Block(" ".join(self._items)))
            self._items = []


def first_heading(blocks: Iterable[Block]) -> str | None:
    return next((block.text for block in blocks if block.heading), None)


# -- PDF --------------------------------------------------------------------------------------------


def _parse_pdf(data: bytes) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise Invalid("the PDF is password-protected; remove the password first", field="file")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = reader.metadata.title if reader.metadata else None
    except EngineError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, NotImplementedError) as exc:
        raise Invalid(f"could not read the PDF: {exc}", field="file") from exc
    blocks = _Blocks()
    for page in pages:
        _wrapped_lines(page, blocks)
    found = blocks.done()
    # A heading atop the first page is the title as printed; metadata titles are often stale
    # ("Microsoft Word - draft3.docx"), so they come second.
    leading = found[0].text if found and found[0].heading else None
    return Document("pdf", leading or _clean_title(title), found)


# -- plain text (and PDF pages, which are hard-wrapped lines) ---------------------------------------


def _parse_text(text: str) -> Document:
    blocks = _Blocks()
    for chunk in re.split(r"\n\s*\n", text):
        _wrapped_lines(chunk, blocks)
    found = blocks.done()
    return Document("text", first_heading(found), found)


_BULLET = re.compile(r"^\s*(?:[-*+•‣◦–]|\d{1,3}[.)])\s+")


def _wrapped_lines(text: str, blocks: _Blocks) -> None:
    """Unwrap hard-wrapped lines into paragraphs: a short line that ends a sentence ends a paragraph;
    a short line on its own, with no closing punctuation and a capital after it, is a heading."""
    lines = [" ".join(line.split()) for line in text.split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return
    width = max(len(line) for line in lines)
    current: list[str] = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if not current and _looks_like_heading(line, following, width):
            blocks.heading(line)
        elif _BULLET.match(line):
            _flush_paragraph(current, blocks)
            blocks.item(_BULLET.sub("", line))
        else:
            current.append(line)
            if line[-1] in _TERMINAL and (len(line) < SHORT_LINE_RATIO * width or not following):
                _flush_paragraph(current, blocks)
    _flush_paragraph(current, blocks)


def _looks_like_heading(line: str, following: str, width: int) -> bool:
    words = line.split()
    return (
        len(words) <= HEADING_MAX_WORDS
        and line[-1] not in _TERMINAL + ",;:"
        and line[:1].isupper()
        and (not following or following[:1].isupper() or following[:1].isdigit())
        and (len(line) < SHORT_LINE_RATIO * width or not following)
    )


def _flush_paragraph(lines: list[str], blocks: _Blocks) -> None:
    if lines:
        text = lines[0]
        for line in lines[1:]:
            # "exam-" + "ple" is one word broken across lines; "well-" + "Known" keeps its hyphen.
            if text.endswith("-") and text[-2:-1].isalpha() and line[:1].islower():
                text = text[:-1] + line
            else:
                text += " " + line
        blocks.paragraph(text)
        lines.clear()


# -- DOCX -------------------------------------------------------------------------------------------


def _parse_docx(data: bytes) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        word = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise Invalid(f"could not read the DOCX: {exc}", field="file") from exc
    blocks = _Blocks()
    title: str | None = None
    for paragraph in word.paragraphs:
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        text = paragraph.text
        if style == "Title":
            title = title or clean_text(text) or None
        elif style.startswith("Heading"):
            blocks.heading(text)
        elif style.startswith("List"):
            blocks.item(text)
        else:
            blocks.paragraph(text)
    found = blocks.done()
    properties = word.core_properties
    return Document(
        "docx",
        title or _clean_title(properties.title) or first_heading(found),
        found,
        language=properties.language or None,
        tags=_split_tags(properties.keywords or ""),
    )


# -- HTML -------------------------------------------------------------------------------------------

_TEXT_TAGS = frozenset({"p", "li", "blockquote", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6"})
_SKIP_TAGS = frozenset({"pre", "code", "script", "style", "figcaption", "table", "form", "button"})


def _parse_html(text: str) -> Document:
    """The main content (readability-lxml), its headings and paragraphs; title and tags from <head>."""
    from lxml import html as lxml_html
    from lxml.etree import ParserError
    from readability import Document as Readable

    try:
        page = lxml_html.document_fromstring(text)
        readable = Readable(text)
        article = lxml_html.fragment_fromstring(readable.summary(html_partial=True), create_parent="div")
        short_title = readable.short_title()
    except (ParserError, ValueError) as exc:
        raise Invalid(f"could not read the HTML: {exc}", field="file") from exc
    blocks = _Blocks()
    for element in article.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag not in _TEXT_TAGS or _inside(element, _SKIP_TAGS) or _has_text_children(element):
            continue
        content = _element_text(element)
        if tag[:1] == "h" and tag[1:].isdigit():
            blocks.heading(content)
        elif tag == "li":
            blocks.item(content)
        else:
            blocks.paragraph(content)
    found = _drop_title_heading(blocks.done(), short_title)
    title = _meta(page, "og:title") or _clean_title(short_title) or first_heading(found)
    tags = _split_tags(_meta(page, "keywords") or "") or [
        str(value) for value in page.xpath("//meta[@property='article:tag']/@content")
    ]
    return Document("html", title, found, language=page.get("lang") or None, tags=tags)


def _inside(element: Any, tags: frozenset[str]) -> bool:
    return any(ancestor.tag in tags for ancestor in element.iterancestors())


def _has_text_children(element: Any) -> bool:
    return any(child.tag in _TEXT_TAGS for child in element.iterdescendants() if isinstance(child.tag, str))


def _element_text(element: Any) -> str:
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _SKIP_TAGS:
            parts.append(_element_text(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _meta(page: Any, name: str) -> str | None:
    values = page.xpath(f"//meta[@property='{name}' or @name='{name}']/@content")
    return _clean_title(str(values[0])) if values else None


def _drop_title_heading(blocks: list[Block], title: str | None) -> list[Block]:
    """The article's own <h1> repeats the title; the title is kept apart, not narrated twice."""
    if blocks and blocks[0].heading and title and blocks[0].text.casefold() == title.strip().casefold():
        return blocks[1:]
    return blocks


# -- Markdown ---------------------------------------------------------------------------------------


def _parse_markdown(text: str) -> Document:
    from markdown_it import MarkdownIt

    front, body = front_matter(text)
    tokens = MarkdownIt("commonmark").parse(body)
    blocks = _Blocks()
    list_depth = 0
    for index, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif token.type == "inline":
            opener = tokens[index - 1].type if index else ""
            content = _inline_text(token)
            if opener == "heading_open":
                blocks.heading(content)
            elif list_depth:
                blocks.item(content)
            else:
                blocks.paragraph(content)
    found = blocks.done()
    title = front.get("title")
    if title is None and found and found[0].heading:
        title, found = found[0].text, found[1:]  # a leading heading is the document's title
    return Document(
        "markdown",
        title or first_heading(found),
        found,
        language=front.get("lang") or front.get("language"),
        tags=_split_tags(front.get("tags", "")),
    )


def _inline_text(token: Any) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)  # the alt text stands in for the picture
    return "".join(parts)


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """YAML front matter's simple `key: value` lines (title, tags, lang) and the text after it."""
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    values = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip():
            values[key.strip().lower()] = value.strip().strip("\"'")
    return values, text[match.end() :]


# -- shared helpers ---------------------------------------------------------------------------------


def _clean_title(title: str | None) -> str | None:
    cleaned = " ".join((title or "").split())[:300]
    return cleaned or None


def _split_tags(value: str) -> list[str]:
    """`a, b`, `[a, "b"]`: the tags of a keywords field or a front matter list."""
    tags = (tag.strip().strip("\"'") for tag in value.strip().strip("[]").split(","))
    return [tag for tag in tags if tag]
