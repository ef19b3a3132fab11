"""What kind a document is, judged by its bytes and never by its name, and its bytes as text.

PDF by its `%PDF-` header, DOCX by the `word/document.xml` part inside its ZIP container, HTML by the
tag it opens with (the WHATWG sniffing rule), Markdown by its syntax; anything else that decodes as
text is plain text. Other known formats are refused (415) by name, so the user learns that the file
is, say, a PNG or an XLSX rather than "unsupported".
"""

from __future__ import annotations

import io
import re
import zipfile

from ...common.magic import ZIP, bom_encoding, identify
from ...contract.content import DOCUMENT_KINDS
from ..errors import EngineError, Invalid, TooLarge, Unsupported

# A DOCX is a ZIP: refuse containers that would inflate past this (a "zip bomb") before parsing them.
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024

# -- what kind of file ------------------------------------------------------------------------------

# Formats the signature table knows that are not refused by name here: "BM" (BMP) starts ordinary
# text too ("BMW…"), a TIFF's NUL bytes make the text decoder refuse it as binary, and a PDF is read
# when its header is found in the first kilobyte, which the table's offset-0 check does not cover.
_NOT_NAMED = {"image/bmp", "image/tiff", "application/pdf"}
_ZIP_KINDS = (
    ("xl/workbook.xml", "an Excel workbook (XLSX)"),
    ("ppt/presentation.xml", "a PowerPoint deck (PPTX)"),
)
SUPPORTED = "text, Markdown, HTML, PDF or DOCX"


def unsupported(found: str) -> EngineError:
    return Unsupported(
        f"the file is {found}; import reads {SUPPORTED}",
        field="file",
        details={"found": found, "supported": list(DOCUMENT_KINDS)},
    )


def sniff(data: bytes) -> str:
    """`pdf`, `docx` or `text` (to be decoded and told apart); 415 naming any other known kind."""
    if b"%PDF-" in data[:1024]:  # the spec allows junk before the header; readers look this far
        return "pdf"
    found = identify(data)
    if found is not None and found.mime == ZIP:
        return _sniff_zip(data)
    if found is not None and found.mime not in _NOT_NAMED:
        raise unsupported(found.label)
    return "text"


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            mimetype = archive.read("mimetype")[:80] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Invalid(f"the file looks like a ZIP archive but is damaged: {exc}", field="file") from exc
    if "word/document.xml" in names:
        if sum(entry.file_size for entry in entries) > MAX_UNZIPPED_BYTES:
            raise TooLarge("the DOCX would unpack to more than 256 MB", field="file")
        return "docx"
    for part, found in _ZIP_KINDS:
        if part in names:
            raise unsupported(found)
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise unsupported("an OpenDocument file (ODT/ODS/ODP); save it as DOCX or PDF")
    if mimetype == b"application/epub+zip":
        raise unsupported("an EPUB book")
    raise unsupported("a ZIP archive")


_HTML_START = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    r"<(?:!doctype\s+html|html|head|body|title|script|style|iframe|h1|div|font|table|a|b|br|p)[\s>/]",
    re.IGNORECASE | re.DOTALL,
)
_MARKDOWN_SIGNS = re.compile(
    r"^(?:#{1,6}\s+\S|```|~~~|\s{0,3}[-*+]\s+\S|\s{0,3}\d{1,3}[.)]\s+\S|>\s|(?:=+|-+)\s*$)"
    r"|\[[^\]\n]+\]\([^)\s]+\)",
    re.MULTILINE,
)
FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)


def sniff_text(text: str) -> str:
    """`html`, `markdown` or `text`, from the text's structure."""
    if _HTML_START.match(text[:4096]):
        return "html"
    if FRONT_MATTER.match(text) or _MARKDOWN_SIGNS.search(text):
        return "markdown"
    return "text"


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode_text(data: bytes, charset: str | None = None) -> str:
    """Bytes to text: BOM, then the declared charset (HTTP or `<meta>`), then UTF-8, then Windows-1252.

    Text with control characters after decoding is binary data of a kind we do not know: 415.
    """
    bom = bom_encoding(data)
    candidates = [bom] if bom in ("utf-16", "utf-8-sig") else []  # UTF-32 is not read
    declared = charset or _declared_charset(data)
    candidates += [c for c in (declared, "utf-8", "cp1252") if c]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if not _CONTROL.search(text[:65536]):
            return text.replace("\r\n", "\n").replace("\r", "\n")
    raise unsupported("binary data of a kind not recognised")


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None
