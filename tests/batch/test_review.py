"""The review sheet's HTML: one card per row, everything escaped, failures explained, links relative."""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from scriptsensei_cli.batch import PlannedRow, review
from scriptsensei_cli.batch.review import (
    REVIEW_NAME,
    Card,
    ReviewSheet,
    collect_cards,
    render_review,
    srt_text,
    visual_from_sidecar,
)
from scriptsensei_cli.contract import BulkJob, Video
from scriptsensei_cli.contract.videos import JobError

NOW = datetime(2025, 5, 4, 12, 30, 0)
EVIL = '<script>alert(1)</script> & "quoted" <img src=x onerror=alert(2)>'


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of the page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_data(self, data: str) -> None:
        self.text += data

    def named(self, tag: str, cls: str | None = None) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag and (cls is None or cls in a.get("class", "").split())]

    def links(self) -> list[str]:
        return [a[key] for _, a in self.tags for key in ("href", "src") if key in a]


def video(row: int, status: str = "completed", **fields: Any) -> Video:
    values: dict[str, Any] = {
        "id": f"vid_{row}",
        "job_id": f"job_{row}",
        "title": f"Video {row}",
        "status": status,
        "progress": 100 if status == "completed" else 0,
        "platform": "tiktok",
        "aspect_ratio": "9:16",
        "quality": "draft",
        "language": "en",
        "voice": "en-us-joe",
        "row_number": row,
        "created_at": datetime(2025, 1, 1, tzinfo=UTC),
        "updated_at": datetime(2025, 1, 1, tzinfo=UTC),
    }
    return Video.model_validate({**values, **fields})


def job(*videos: Video) -> BulkJob:
    return BulkJob(
        job_id="blk_1",
        name="videos.csv",
        status="processing",
        total_videos=len(videos),
        completed_videos=sum(v.status == "completed" for v in videos),
        failed_videos=sum(v.status == "failed" for v in videos),
        video_ids=[v.id for v in videos],
        videos=list(videos),
    )


def save(out: Path, name: str, *, srt: str | None = None, sidecar: str | None = None) -> Path:
    """The files the batch saves for a finished video; the MP4's path."""
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    (out / f"{name}.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    if srt is not None:
        (out / f"{name}.srt").write_text(srt, encoding="utf-8")
    if sidecar is not None:
        (out / f"{name}.json").write_text(sidecar, encoding="utf-8")
    return out / f"{name}.mp4"


def page(cards: list[Card], state: str = "finished") -> str:
    return render_review(cards, name="videos.csv", state=state, updated=NOW)  # type: ignore[arg-type]


SRT = (
    "1\n00:00:00,000 --> 00:00:01,200\nHello <b>there</b>,\n\n"
    "2\n00:00:01,200 --> 00:00:02,000\nfriend & co.\n"
)


def test_user_text_is_escaped_everywhere(tmp_path: Path) -> None:
    mp4 = save(
        tmp_path,
        "evil",
        srt="1\n00:00:00,000 --> 00:00:01,000\n" + EVIL + "\n",
        sidecar='{"media": [{"source": "stock", "provider": "' + EVIL.replace('"', "'") + '"}]}',
    )
    rows = [
        PlannedRow(row=2, title=EVIL, script="s", platform="tiktok"),
        PlannedRow(row=3, title=EVIL, script=EVIL, platform="tiktok", media=[tmp_path / "<b>.jpg"]),
    ]
    status = job(video(2), video(3, "failed", error=JobError(stage=EVIL, message=EVIL)))
    html = render_review(
        collect_cards(tmp_path, rows, status, {"vid_2": mp4}), name=EVIL, state="finished", updated=NOW
    )
    parsed = Tags(html)
    assert [tag for tag, _ in parsed.tags if tag in ("script", "img") and "onerror" in _] == []
    assert not parsed.named("script") and not parsed.named("b")
    assert all("onerror" not in attrs for _, attrs in parsed.tags)
    # Shown as text: the title (twice, and in the header), the captions, the failure, the visuals.
    assert parsed.text.count("<script>alert(1)</script>") >= 6
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;" in html
    assert "<b>.jpg" in parsed.text


def test_one_card_per_row_in_sheet_order_with_its_facts(tmp_path: Path) -> None:
    rows = [
        PlannedRow(row=2, title="Done", script="Hi.", platform="tiktok"),
        PlannedRow(row=3, title="Wide", script="Hello.", platform="youtube"),
        PlannedRow(row=4, title="Queued", topic="sleep tips", platform="linkedin", aspect_ratio="1:1"),
        PlannedRow(row=5, title="Never sent", script="x", platform="instagram_reels", estimated_seconds=31),
    ]
    mp4 = save(tmp_path, "Done", srt=SRT)
    status = job(
        video(2, duration=12.4),
        video(3, "processing", stage="tts", platform="youtube", aspect_ratio="16:9"),
        video(4, "pending", platform="linkedin", aspect_ratio="1:1"),
    )
    parsed = Tags(page(collect_cards(tmp_path, rows, status, {"vid_2": mp4}), "running"))
    cards = parsed.named("article", "card")
    assert [(c["id"], c["data-status"]) for c in cards] == [
        ("row-2", "completed"),
        ("row-3", "processing"),
        ("row-4", "pending"),
        ("row-5", "not submitted"),
    ]
    text = " ".join(parsed.text.split())
    for needle in (
        "Ready Row 2 · TikTok · 9:16",
        "0:12",
        "Rendering: tts Row 3 · YouTube · 16:9",
        "Queued Row 4 · LinkedIn · 1:1",
        "Not submitted Row 5 · Instagram Reels · 9:16 · ≈0:31",
        "Captions Hello <b>there</b>, friend & co.",  # from the .srt, not the sheet's "Hi."
        "Script Hello.",
        "Topic sleep tips",
        "1 ready",
        "3 to go",
    ):
        assert needle in text, needle
    thumbs = [a for a in parsed.named("img")]
    assert len(thumbs) == 1 and "aspect-ratio: 9 / 16" in thumbs[0]["style"]
    frames = [a["style"] for a in parsed.named("div", "frame")]
    assert [s.split(";")[0] for s in frames] == [
        "aspect-ratio: 16 / 9",
        "aspect-ratio: 1 / 1",
        "aspect-ratio: 9 / 16",
    ]


def test_failures_show_their_stage_and_message_and_are_listed_at_the_top(tmp_path: Path) -> None:
    rows = [
        PlannedRow(row=2, title="Fine", script="a", platform="tiktok"),
        PlannedRow(row=7, title="Bad picture", script="b", platform="tiktok", media=[tmp_path / "notes.jpg"]),
        PlannedRow(row=9, title="No reason", script="c", platform="tiktok"),
    ]
    error = JobError(stage="visuals", message="notes.jpg is not an image (it starts with text)")
    status = job(video(2, "pending"), video(7, "failed", error=error), video(9, "failed"))
    parsed = Tags(page(collect_cards(tmp_path, rows, status, {})))
    text = " ".join(parsed.text.split())
    assert "Failed Row 7" in text
    assert "failed at visuals notes.jpg is not an image (it starts with text)" in text
    assert "failed at unknown stage no reason given" in text
    assert "Failed: row 7, row 9" in text and "2 failed" in text
    assert [a["href"] for a in parsed.named("a") if a["href"].startswith("#")] == ["#row-7", "#row-9"]
    assert "your file: notes.jpg" in text  # the row's media, for a row with no sidecar
    assert [c["data-status"] for c in parsed.named("article", "card")] == ["pending", "failed", "failed"]


@pytest.mark.parametrize("name", ["plain", "wide #1 & 50%", "Ünïcode ? name", "dots.in.name"])
def test_links_are_relative_and_name_files_that_exist(tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    mp4 = save(out, name, srt=SRT, sidecar='{"media": [{"source": "generated background"}]}')
    rows = [
        PlannedRow(row=2, title="T", script="s", platform="tiktok"),
        PlannedRow(row=3, title="U", script="s", platform="tiktok"),
    ]
    status = job(video(2), video(3, "completed"))  # row 3: rendered, not downloaded (yet)
    html = page(collect_cards(out, rows, status, {"vid_2": mp4}))
    parsed = Tags(html)
    links = parsed.links()
    assert len(links) == 5  # thumbnail link, thumbnail, play, captions, details
    for link in links:
        parts = urlsplit(link)
        assert not parts.scheme and not parts.netloc and "/" not in parts.path, link
        assert (out / unquote(parts.path)).is_file(), link
    saved = {f"{name}.{suffix}" for suffix in ("mp4", "jpg", "srt", "json")}
    assert {unquote(link) for link in links} == saved
    # The folder moves (or is unzipped elsewhere): the page still finds its files.
    moved = tmp_path / "unzipped" / "elsewhere"
    moved.parent.mkdir()
    out.rename(moved)
    assert str(out) not in html and all((moved / unquote(link)).is_file() for link in links)
    assert "Rendered, not saved" in parsed.text


def test_a_row_without_a_saved_srt_links_none_and_shows_its_script(tmp_path: Path) -> None:
    mp4 = save(tmp_path, "nocaps")
    rows = [PlannedRow(row=2, title="T", script="The whole script.", platform="tiktok")]
    html = page(collect_cards(tmp_path, rows, job(video(2)), {"vid_2": mp4}))
    assert not [link for link in Tags(html).links() if link.endswith((".srt", ".json"))]
    assert "Script" in html and "The whole script." in html


def test_only_a_running_batch_refreshes(tmp_path: Path) -> None:
    cards = collect_cards(tmp_path, [PlannedRow(row=2, title="T", script="s", platform="tiktok")], None, {})
    for state, words in [
        ("running", "refreshes itself every 5 s"),
        ("finished", "Finished"),
        ("interrupted", "Rerun the same"),
        ("timed_out", "--timeout"),
    ]:
        parsed = Tags(page(cards, state))
        refresh = [a for a in parsed.named("meta") if a.get("http-equiv") == "refresh"]
        assert (refresh == [{"http-equiv": "refresh", "content": "5"}]) == (state == "running"), state
        assert words in parsed.text, state
        assert "2025-05-04 12:30:00" in parsed.text
    assert "not submitted" in page(cards, "finished")


def test_nothing_is_loaded_from_anywhere_else() -> None:
    html = page([Card(row=2, title="T", platform="tiktok", aspect_ratio="9:16", status="pending")])
    parsed = Tags(html)
    assert not parsed.named("script") and not parsed.named("link")
    assert "http://" not in html and "https://" not in html and "//" not in html.replace("file:", "")
    policy = [a["content"] for a in parsed.named("meta") if a.get("http-equiv") == "Content-Security-Policy"]
    assert policy and "default-src 'none'" in policy[0] and "script-src" not in policy[0]


def test_srt_text() -> None:
    assert srt_text(SRT) == "Hello <b>there</b>, friend & co."
    assert srt_text("\ufeff1\r\n00:00:00,000 --> 00:00:01,000\r\nOne\r\ntwo\r\n\r\n") == "One two"
    assert srt_text("") == ""


def test_visual_sources_from_the_sidecar_including_stock() -> None:
    stock = visual_from_sidecar(
        {
            "source": "stock",
            "provider": "pexels",
            "id": 12345,
            "author": "Jane Doe",
            "licence": "Pexels licence",
            "url": "https://www.pexels.com/photo/12345/",
        }
    )
    assert (stock.source, stock.name, stock.detail, stock.url) == (
        "stock",
        "pexels 12345",
        "Jane Doe, Pexels licence",
        "https://www.pexels.com/photo/12345/",
    )
    assert visual_from_sidecar({"source": "stock", "url": "javascript:alert(1)"}).url is None
    assert visual_from_sidecar({"path": "/a/b.jpg", "source": "user"}).name == "b.jpg"
    assert visual_from_sidecar({"media_id": "med_1", "source": "library"}).name == "med_1"
    html = page(
        [Card(row=2, title="T", platform="tiktok", aspect_ratio="9:16", status="completed", visuals=(stock,))]
    )
    anchors = Tags(html).named("a")
    assert [a["href"] for a in anchors] == ["https://www.pexels.com/photo/12345/"]


class Clock:
    """The review module's monotonic clock, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(review, "time", fake)
    return fake


def test_the_sheet_is_rewritten_when_a_row_moves_not_on_every_tick(tmp_path: Path, clock: Clock) -> None:
    rows = [PlannedRow(row=2, title="A", script="s", platform="tiktok")]
    sheet = ReviewSheet(tmp_path, rows, "videos.csv", min_interval=0)
    assert sheet.update(job(video(2, "pending")), {}) is True
    assert sheet.update(job(video(2, "pending")), {}) is False
    assert sheet.update(job(video(2, "processing", progress=10, stage="tts")), {}) is True
    assert sheet.update(job(video(2, "processing", progress=60, stage="render")), {}) is False
    assert sheet.update(job(video(2)), {}) is True  # rendered
    mp4 = save(tmp_path, "A", srt=SRT)
    assert sheet.update(job(video(2)), {"vid_2": mp4}) is True  # and saved
    assert "refresh" in (tmp_path / REVIEW_NAME).read_text(encoding="utf-8")
    (tmp_path / "A.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nchanged\n", encoding="utf-8")
    sheet.write(job(video(2)), {"vid_2": mp4}, state="finished")
    final = (tmp_path / REVIEW_NAME).read_text(encoding="utf-8")
    assert 'http-equiv="refresh"' not in final and "<title>Finished: videos.csv</title>" in final
    assert "friend &amp; co." in final  # a saved video's files are read once
    assert sorted(p.name for p in tmp_path.iterdir()) == ["A.jpg", "A.mp4", "A.srt", REVIEW_NAME]  # no temps
    assert sheet.update(job(video(2)), {"vid_2": mp4}) is True  # after the end, a rerun starts again


def test_rewrites_are_spaced_and_a_waiting_change_goes_out_later(tmp_path: Path, clock: Clock) -> None:
    rows = [PlannedRow(row=2, title="A", script="s", platform="tiktok")]
    sheet = ReviewSheet(tmp_path, rows, "videos.csv", min_interval=2)
    assert sheet.update(job(video(2, "pending")), {}, force=True) is True
    clock.now += 1
    assert sheet.update(job(video(2, "processing")), {}) is False  # too soon: it waits
    assert 'data-status="pending"' in (tmp_path / REVIEW_NAME).read_text(encoding="utf-8")
    clock.now += 1.5
    assert sheet.update(job(video(2, "processing")), {}) is True
    assert 'data-status="processing"' in (tmp_path / REVIEW_NAME).read_text(encoding="utf-8")
    assert sheet.update(job(video(2, "failed")), {}, force=True) is True  # force: at once
