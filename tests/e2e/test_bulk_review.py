"""The review sheet of `ss bulk` (index.html) from a real batch, read back by a real headless Chromium.

Real engine, piper and ffmpeg at draft size; Chromium is the Debian package (`.ci/run` installs it).
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import time
import zlib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tests.browser import chromium, needs_chromium
from tests.conftest import CLI, SAMPLES

HEADER = "title,script,platform,quality,media,output_name\n"
ROWS = [
    '"<script>alert(1)</script> & ""friends""","Hello there. This page is a test.",tiktok,draft,,\n',
    # Long enough that the page is rewritten, with the first row done, while this one still renders.
    '"Wide one","Whales sing for hours in the deep. Their songs travel for miles through the cold water. '
    'Nobody knows quite why they sing. Some think the songs find mates, others that they map the sea.",'
    "youtube,draft,,wide #1 & 50%\n",
    '"Broken media","This row has a picture that is not one.",tiktok,draft,notes.jpg,broken\n',
]


class Page(HTMLParser):
    """What the tests look at in a DOM: cards, links, ids, script elements, and the text of each card."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.cards: list[dict[str, str]] = []  # data-status and text of each article.card
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.scripts = 0
        self.refresh = False
        self._depth = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "article" and "card" in found.get("class", "").split():
            self.cards.append({"status": found.get("data-status", ""), "text": ""})
            self._depth = 1
        elif self._depth:
            self._depth += tag not in ("img", "br", "meta", "link", "input")
        self.links += [found[name] for name in ("href", "src") if name in found]
        if "id" in found:
            self.ids.add(found["id"])
        self.scripts += tag == "script"
        self.refresh |= tag == "meta" and found.get("http-equiv", "").lower() == "refresh"

    def handle_endtag(self, tag: str) -> None:
        if self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.cards[-1]["text"] += data


def _png_without_pixels() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 64, 64, 8, 2, 0, 0, 0)
    notes = b"these are my notes, not a picture"
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", notes) + chunk(b"IEND", b"")


def make_sheet(tmp_path: Path) -> Path:
    # A real picture, so every check before the render passes (they decode it); the test swaps it for
    # a PNG without pixels once the batch is submitted, so that its row fails while rendering.
    (tmp_path / "notes.jpg").write_bytes((SAMPLES / "media" / "deep-sea.jpg").read_bytes())
    path = tmp_path / "videos.csv"
    path.write_text(HEADER + "".join(ROWS), encoding="utf-8")
    return path


@needs_chromium
def test_review_sheet_is_written_as_rows_finish_and_loads_in_chromium(
    isolated_env: Path, tmp_path: Path
) -> None:
    sheet, out = make_sheet(tmp_path), tmp_path / "out"
    # One render at a time: a row finishes while the others wait, so a page written mid-batch shows it.
    command = [
        *(sys.executable, "-m", "scriptsensei_cli", "bulk", str(sheet), "--out", str(out), "--open"),
        *("--concurrency", "1"),
    ]
    # CI set: --open must note that it opens nothing, and leave the exit code alone.
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "CI": "true", "COLUMNS": "300"}
    log = tmp_path / "stderr.txt"
    with log.open("w", encoding="utf-8") as errors:
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors)
    page, seen = out / "index.html", []
    while process.poll() is None:
        if page.exists():
            text = page.read_text(encoding="utf-8")
            assert text.endswith("</html>\n"), "a reader saw a half-written page"
            if not seen or seen[-1] != text:
                seen.append(text)
            if len(seen) == 1:  # submitted: the file changes under the batch
                (tmp_path / "notes.jpg").write_bytes(_png_without_pixels())
        time.sleep(0.05)
    stderr = log.read_text(encoding="utf-8")
    assert process.returncode == 6, stderr  # some rows failed
    assert "--open: not in CI; the review sheet is file://" in stderr
    assert f"review: {page}" in stderr

    # While it ran, the page said so and refreshed itself; at the end it does not.
    running = [Page(text) for text in seen if "Rendering</strong>" in text]
    assert running and all(p.refresh and len(p.cards) == 3 for p in running)
    assert running[0].cards[0]["status"] == "pending"  # written on submission
    assert any(card["status"] == "completed" for p in running for card in p.cards)  # and as rows finish
    final_text = page.read_text(encoding="utf-8")
    assert Page(final_text).refresh is False and "Finished</strong>" in final_text

    dom = Page(chromium("--dump-dom", page.as_uri(), tmp_path=tmp_path).stdout)
    assert [card["status"] for card in dom.cards] == ["completed", "completed", "failed"]
    assert dom.scripts == 0  # the title's <script> is text, not an element
    xss, wide, broken = (" ".join(card["text"].split()) for card in dom.cards)
    assert '<script>alert(1)</script> & "friends"' in xss and "Ready" in xss
    assert "Hello there. This page is a test." in xss  # the captions, read back from the .srt
    assert "TikTok" in xss and "9:16" in xss and "Ready" in wide and "16:9" in wide
    assert "Failed" in broken and "failed at" in broken and "notes.jpg" in broken
    failed_stage = broken.split("failed at", 1)[1].split()[0]
    assert failed_stage and failed_stage != "unknown"

    # Every link and source is a file in the folder (or a card of the page itself).
    assert dom.links
    for link in dom.links:
        parts = urlsplit(link)
        assert not parts.scheme and not parts.netloc, link
        if parts.path:
            assert (out / unquote(parts.path)).is_file(), link
        else:
            assert parts.fragment in dom.ids, link
    assert {"wide-#1-&-50%.mp4", "wide-#1-&-50%.jpg", "#row-4"} <= {unquote(link) for link in dom.links}

    shot = tmp_path / "review.png"
    chromium(f"--screenshot={shot}", "--window-size=1280,1600", page.as_uri(), tmp_path=tmp_path)
    assert shot.stat().st_size > 10_000


def test_a_timed_out_batch_leaves_a_page_that_says_so_and_a_rerun_finishes_it(
    server_cli: CLI, tmp_path: Path
) -> None:
    # The shared engine (not an embedded one): it keeps rendering after the command has stopped waiting.
    sheet, out = make_sheet(tmp_path), tmp_path / "out"
    sheet.write_text(HEADER + ROWS[1], encoding="utf-8")
    stopped = server_cli("bulk", str(sheet), "--out", str(out), "--timeout", "0")
    assert stopped.exit_code == 8, stopped.stderr
    text = (out / "index.html").read_text(encoding="utf-8")
    page = Page(text)
    assert len(page.cards) == 1 and page.cards[0]["status"] in ("pending", "processing")
    assert not page.refresh and "Stopped waiting" in text and "--timeout" in text
    assert (out / "results.csv").exists()

    again = server_cli("bulk", str(sheet), "--out", str(out))  # what the hint says: keep waiting
    assert again.exit_code == 0, again.stderr
    page = Page((out / "index.html").read_text(encoding="utf-8"))
    assert [card["status"] for card in page.cards] == ["completed"] and not page.refresh
    assert {"wide-%231-%26-50%25.mp4", "wide-%231-%26-50%25.jpg"} <= set(page.links)
