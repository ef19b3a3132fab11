"""Real documents made on the spot: PDF written by hand (no PDF library needed), DOCX by python-docx."""

from __future__ import annotations

import io

ARTICLE_TITLE = "Why sleep matters"
ARTICLE_HTML = """<!doctype html>
<html lang="en-US"><head>
<meta charset="utf-8"><title>Why sleep matters | The Sleep Blog</title>
<meta name="keywords" content="sleep, circadian rhythm">
</head><body>
<nav><a href="/">Home</a> <a href="/about">About us</a> <a href="/shop">Shop our mattress sale</a></nav>
<header><p>The Sleep Blog: tips for better nights since 2009.</p></header>
<main><article>
<h1>Why sleep matters</h1>
<p>Did you know most adults need seven to nine hours of sleep? Yet a third of us get less than that,
night after night, and the costs add up quickly for your mood and your health.</p>
<h2>Light sets your clock</h2>
<p>Ten minutes of morning daylight tells your brain when the day starts. It shifts melatonin release
so you feel sleepy at the right time in the evening.</p>
<p>Screens at night do the opposite, because blue light delays that signal by up to an hour.</p>
<h2>Caffeine lingers</h2>
<ul><li>Caffeine has a half-life of about five hours</li>
<li>An afternoon coffee is still half there at bedtime</li></ul>
<pre><code>print("this code is not narrated")</code></pre>
</article></main>
<aside><p>Subscribe to our newsletter for weekly tips and exclusive discounts on pillows!</p></aside>
<footer><p>Copyright 2025 The Sleep Blog. All rights reserved. Privacy policy and terms.</p></footer>
</body></html>
"""


def make_pdf(pages: list[list[str]], *, title: str | None = None) -> bytes:
    """A valid PDF whose pages show `pages` (lines of Helvetica text); a page of [] has no text."""
    objects: list[bytes] = []
    page_ids = [5 + 2 * index for index in range(len(pages))]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{pid} 0 R" for pid in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    objects.append(f"<< /Title ({_escape(title)}) >>".encode() if title else b"<< >>")
    for index, lines in enumerate(pages):
        content = _page_stream(lines)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {page_ids[index] + 1} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _page_stream(lines: list[str]) -> bytes:
    if not lines:
        return b"0.5 g 72 72 468 648 re f"  # a grey rectangle: what a scanned page looks like to a parser
    shown = " T* ".join(f"({_escape(line)}) Tj" for line in lines)
    return f"BT /F1 11 Tf 14 TL 72 720 Td {shown} ET".encode("latin-1")


def _escape(text: str | None) -> str:
    return (text or "").replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_docx(title: str, sections: list[tuple[str, list[str]]], *, bullets: list[str] = ()) -> bytes:  # type: ignore[assignment]
    """A DOCX with a Title paragraph, then per section a Heading 1 and its body paragraphs."""
    import docx

    document = docx.Document()
    document.add_paragraph(title, style="Title")
    for heading, paragraphs in sections:
        document.add_heading(heading, level=1)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
    for bullet in bullets:
        document.add_paragraph(bullet, style="List Bullet")
    document.core_properties.keywords = "sleep, health"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


PDF_PAGES = [
    [
        "Why sleep matters",
        "Did you know most adults need seven to nine hours of sleep? Yet a third of us",
        "get less than that, night after night, and the costs add up quickly for your",
        "mood and your health.",
        "Light sets your clock",
        "Ten minutes of morning daylight tells your brain when the day starts. It shifts",
        "melatonin release so you feel sleepy at the right time in the evening. Screens",
        "at night do the opposite, because blue light delays that signal by up to an hour.",
    ]
]
