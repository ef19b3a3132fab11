"""The review sheet of a batch: `index.html` beside `results.csv`, one card per row of the sheet.

    sheet = ReviewSheet(out_dir, rows, "videos.csv")
    sheet.update(status, paths)                    # while the batch runs: writes when a row's state moved
    sheet.write(status, paths, end="finished")     # the last word: the page stops refreshing

Each card shows the row's thumbnail (at the video's aspect ratio), title, platform, duration and status
(a failure with its stage and message), the narration (from the saved `.srt`, else the sheet's
script), where its visuals came from, and links that play the MP4. Every link is relative and points
into the folder itself, so it can be moved or zipped; the page loads nothing from the network (no CDN,
no script: a Content-Security-Policy says so to the browser too). Everything from a sheet or a server
is HTML-escaped.

While the batch runs the page says so and reloads itself every `REFRESH_SECONDS` (a meta refresh);
the last write, at the end, on Ctrl-C or on `--timeout`, has no refresh.

Visual sources come from the sidecar `.json` the batch saves with each video (`media`: one entry per
visual), or from the row's `media` cell before it is saved. An entry is shown by its `source` and
whichever of `path`, `media_id`, `provider`, `id`, `title`, `author`, `licence` and `url` (http or
https only) it has: a stock visual written as `{"source": "stock", "provider": ..., "id": ...,
"author": ..., "licence": ..., "url": ...}` needs no change here (see `visual_from_sidecar`).

`collect_cards` reads what the batch saved; `render_review` is pure (cards in, HTML out).
No printing, like the rest of `batch/`.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote

from ..common.atomic import atomic_write_text
from ..contract.media import is_media_id
from ..contract.vocabulary import PLATFORMS

if TYPE_CHECKING:
    from ..contract import BulkJob, Video
    from .validate import PlannedRow

REVIEW_NAME = "index.html"
REFRESH_SECONDS = 5
NOT_SUBMITTED = "not submitted"

BatchEnd = Literal["finished", "interrupted", "timed_out"]
BatchState = Literal["running", "finished", "interrupted", "timed_out"]
TextSource = Literal["captions", "script", "topic", "none"]

# What a status is called on the page, and the colour of its badge.
BADGES: dict[str, tuple[str, str]] = {
    "completed": ("Ready", "ok"),
    "failed": ("Failed", "bad"),
    "cancelled": ("Cancelled", "muted"),
    "processing": ("Rendering", "busy"),
    "pending": ("Queued", "muted"),
    NOT_SUBMITTED: ("Not submitted", "muted"),
}
SAVING = ("Rendered, not saved", "busy")  # completed on the server, not downloaded here (yet)


@dataclass(frozen=True)
class Visual:
    """Where one visual of a video came from."""

    source: str  # "your file", "media library", "generated", or the sidecar's own word ("stock")
    name: str  # a file name, a media id, a provider's item
    detail: str | None = None  # the full path, a credit, a licence
    url: str | None = None  # an http(s) page about it (a stock provider's), never a script


@dataclass(frozen=True)
class Card:
    """One row of the sheet as the page shows it."""

    row: int
    title: str
    platform: str
    aspect_ratio: str  # "9:16"
    status: str  # a video's status, or "not submitted"
    stage: str | None = None  # what a rendering video is doing
    duration: float | None = None  # seconds: the video's, else the sheet's estimate
    estimated: bool = False  # `duration` is the estimate of a video not rendered yet
    error_stage: str | None = None
    error_message: str | None = None
    video: str | None = None  # file names in the folder, only of files that exist
    thumbnail: str | None = None
    captions: str | None = None
    sidecar: str | None = None
    text: str = ""
    text_source: TextSource = "none"
    visuals: tuple[Visual, ...] = ()


# -- From what the batch has to cards ---------------------------------------------------------------


@dataclass(frozen=True)
class SavedFiles:
    """What the batch saved for one video: file names by suffix, the sidecar, the captions' words."""

    names: dict[str, str]
    sidecar: dict[str, Any] | None
    captions: str


def collect_cards(
    out_dir: Path,
    rows: Sequence[PlannedRow],
    status: BulkJob | None,
    paths: Mapping[str, Path],
    *,
    saved: dict[tuple[str, Path], SavedFiles] | None = None,
) -> list[Card]:
    """One card per row, in sheet order; reads the `.srt` and sidecar `.json` saved for each video
    (once, when `saved` is kept between calls: a saved video's files do not change)."""
    videos = {video.row_number: video for video in status.videos} if status else {}
    cache = {} if saved is None else saved
    cards = []
    for row in rows:
        video = videos.get(row.row)
        mp4 = paths.get(video.id) if video else None
        files = None
        if video is not None and mp4 is not None:
            files = cache.get((video.id, mp4))
            if files is None:
                files = cache[video.id, mp4] = _saved_files(out_dir, mp4)
        cards.append(_card(row, video, files))
    return cards


def _card(row: PlannedRow, video: Video | None, saved: SavedFiles | None) -> Card:
    platform = video.platform if video else row.platform
    spec = PLATFORMS.get(platform)
    aspect = video.aspect_ratio if video else row.aspect_ratio or (spec.aspect_ratio if spec else "")
    files = saved.names if saved else {}
    sidecar = saved.sidecar if saved else None
    text, text_source = _narration(row, saved.captions if saved else "")
    error = video.error if video else None
    rendered = video is not None and video.duration is not None
    return Card(
        row=row.row,
        title=row.title or (video.title if video else ""),
        platform=platform,
        aspect_ratio=aspect,
        status=video.status if video else NOT_SUBMITTED,
        stage=video.stage if video and video.status == "processing" else None,
        duration=video.duration if rendered and video else row.estimated_seconds,
        estimated=not rendered and row.estimated_seconds is not None,
        error_stage=error.stage if error else None,
        error_message=error.message if error else None,
        video=files.get("mp4"),
        thumbnail=files.get("jpg"),
        captions=files.get("srt"),
        sidecar=files.get("json"),
        text=text,
        text_source=text_source,
        visuals=_visuals(row, sidecar),
    )


def _saved_files(out_dir: Path, mp4: Path) -> SavedFiles:
    """The files saved beside an MP4 (`<name>.mp4`, `.jpg`, `.srt`, `.json`) that exist, and what
    the sidecar and captions hold. Names are taken as they are (a name may hold dots: no `with_suffix`).
    """
    stem = mp4.name.removesuffix(".mp4")
    names = {}
    for suffix in ("mp4", "jpg", "srt", "json"):
        name = f"{stem}.{suffix}"
        if (out_dir / name).is_file():
            names[suffix] = name
    captions = ""
    if "srt" in names:
        try:
            captions = srt_text((out_dir / names["srt"]).read_text(encoding="utf-8-sig"))
        except (OSError, ValueError):
            captions = ""
    sidecar = _read_json(out_dir / names["json"]) if "json" in names else None
    return SavedFiles(names, sidecar, captions)


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _narration(row: PlannedRow, captions: str) -> tuple[str, TextSource]:
    """What the video says: its captions when saved, else the sheet's script (or topic)."""
    if captions:
        return captions, "captions"
    if row.script:
        return row.script, "script"
    if row.topic:
        return row.topic, "topic"
    return "", "none"


def srt_text(srt: str) -> str:
    """The words of SubRip captions, cue after cue, without numbers and times."""
    words = []
    for block in re.split(r"\r?\n\s*\r?\n", srt.strip()):
        lines = block.splitlines()
        timing = next((i for i, line in enumerate(lines) if "-->" in line), None)
        words += [line.strip() for line in lines[(timing + 1 if timing is not None else 0) :] if line.strip()]
    return " ".join(words)


def _visuals(row: PlannedRow, sidecar: dict[str, Any] | None) -> tuple[Visual, ...]:
    entries = sidecar.get("media") if sidecar else None
    if isinstance(entries, list) and entries:
        # One line per distinct visual: six scenes on drawn backgrounds are one "generated" line.
        return tuple(
            dict.fromkeys(visual_from_sidecar(entry) for entry in entries if isinstance(entry, dict))
        )
    if not row.media:
        return (Visual("generated", "background (no media in the row)"),)
    return tuple(
        Visual("media library", item) if isinstance(item, str) else Visual("your file", item.name, str(item))
        for item in row.media
    )


def visual_from_sidecar(entry: Mapping[str, Any]) -> Visual:
    """One entry of a sidecar's `media` list: the slot where any source of visuals (stock too) shows."""

    def text(key: str) -> str | None:
        value = entry.get(key)
        return str(value) if value not in (None, "") else None

    source = text("source") or "unknown"
    path = text("path")
    if source in ("media", "user"):  # the row's own media ("user": sidecars before scene visuals)
        media_id = text("media_id") or (path if path and is_media_id(path) else None)
        if media_id:
            return Visual("media library", media_id)
        if path:
            return Visual("your file", Path(path).name, path)
    if source == "library" and text("media_id"):  # a media id of the row (sidecars before scene visuals)
        return Visual("media library", text("media_id") or "")
    if source == "library":  # picked from the user's library folders for what the scene says
        return Visual("your library", text("file") or text("title") or "", text("query"))
    if source in ("generated", "generated background"):
        return Visual("generated", "background (nothing matched, or no media)")
    if source == "none":
        return Visual("plain", "background (visuals: none)")
    name = " ".join(part for part in (text("provider"), text("id") or text("media_id")) if part)
    name = text("title") or name or (Path(path).name if path else source)
    credit = ", ".join(part for part in (text("author"), text("licence") or text("license")) if part)
    url = text("page_url") or text("url")
    return Visual(source, name, credit or path, url if url and re.match(r"https?://", url, re.I) else None)


# -- Cards to HTML ------------------------------------------------------------------------------------


def render_review(
    cards: Sequence[Card],
    *,
    name: str,
    state: BatchState,
    updated: datetime,
    refresh_seconds: int = REFRESH_SECONDS,
) -> str:
    """The whole page: a header with the batch's state and counts, then one card per row."""
    ready = sum(1 for card in cards if card.status == "completed" and card.video)
    failed = [card for card in cards if card.status == "failed"]
    cancelled = sum(1 for card in cards if card.status == "cancelled")
    rest = len(cards) - ready - len(failed) - cancelled
    head = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # Nothing from the network, and no script, even if something slipped past the escaping.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src 'self' file:; media-src 'self' file:; style-src 'unsafe-inline'\">",
    ]
    if state == "running":
        head.append(f'<meta http-equiv="refresh" content="{int(refresh_seconds)}">')
    head += [
        f"<title>{_e(_state_word(state))}: {_e(name or 'batch')}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
    ]
    when = updated.strftime("%Y-%m-%d %H:%M:%S")
    tally = [f'<span class="count">{len(cards)} {"row" if len(cards) == 1 else "rows"}</span>']
    tally.append(f'<span class="badge ok">{ready} ready</span>')
    if failed:
        tally.append(f'<span class="badge bad">{len(failed)} failed</span>')
    if cancelled:
        tally.append(f'<span class="badge muted">{cancelled} cancelled</span>')
    if rest:
        left = "to go" if state == "running" else "not finished"
        tally.append(f'<span class="badge busy">{rest} {left}</span>')
    header = [
        '<header class="top">',
        f"<h1>{_e(name or 'Batch')} <span>review</span></h1>",
        f'<p class="state state-{state}" role="status">{_state_line(state, refresh_seconds, when)}</p>',
        f'<p class="tally">{" ".join(tally)}</p>',
    ]
    if failed:
        jumps = ", ".join(f'<a href="#row-{card.row}">row {card.row}</a>' for card in failed)
        header.append(f'<p class="jump">Failed: {jumps}</p>')
    header.append("</header>")
    body = ['<main class="grid">', *(_card_html(card) for card in cards), "</main>"]
    if not cards:
        body = ['<main class="empty"><p>The sheet has no rows.</p></main>']
    return "\n".join([*head, *header, *body, "</body>", "</html>", ""])


def _state_word(state: BatchState) -> str:
    return {
        "running": "Rendering",
        "finished": "Finished",
        "interrupted": "Stopped",
        "timed_out": "Stopped waiting",
    }[state]


def _state_line(state: BatchState, refresh_seconds: int, when: str) -> str:
    at = f'<time datetime="{_e(when)}">{_e(when)}</time>'
    if state == "running":
        return (
            f"<strong>Rendering</strong>: this page refreshes itself every {int(refresh_seconds)} s. "
            f"Updated {at}."
        )
    if state == "finished":
        return f"<strong>Finished</strong> {at}."
    if state == "interrupted":
        return (
            f"<strong>Stopped</strong> {at} (interrupted). "
            "Rerun the same <code>ss bulk</code> command to resume; finished rows are kept."
        )
    return (
        f"<strong>Stopped waiting</strong> {at} (<code>--timeout</code>). "
        "Rerun the same <code>ss bulk</code> command to keep waiting."
    )


def _card_html(card: Card) -> str:
    label, tone = BADGES.get(card.status, (card.status, "muted"))
    if card.status == "completed" and not card.video:
        label, tone = SAVING
    if card.stage:
        label = f"{label}: {card.stage}"
    spec = PLATFORMS.get(card.platform)
    facts = [f"Row {card.row}", spec.label if spec else card.platform]
    if card.aspect_ratio:
        facts.append(card.aspect_ratio)
    if card.duration is not None and not (card.thumbnail and card.video):  # else on the picture
        facts.append(("≈" if card.estimated else "") + _clock(card.duration))
    parts = [
        f'<article class="card" id="row-{card.row}" data-status="{_e(card.status)}">',
        _thumb(card, label),
        '<div class="body">',
        f'<p class="facts"><span class="badge {tone}">{_e(label)}</span> '
        f"{' · '.join(_e(fact) for fact in facts)}</p>",
        f'<h2 title="{_e(card.title)}">{_e(card.title) or "<em>untitled</em>"}</h2>',
    ]
    if card.status == "failed":
        stage = card.error_stage or "unknown stage"
        message = card.error_message or "no reason given"
        parts.append(f'<p class="error"><span class="stage">failed at {_e(stage)}</span> {_e(message)}</p>')
    if card.text:
        heading = {"captions": "Captions", "script": "Script", "topic": "Topic", "none": ""}[card.text_source]
        parts += [
            '<section class="narration">',
            f"<h3>{heading}</h3>",
            f'<p class="text">{_e(card.text)}</p>',
            "</section>",
        ]
    if card.visuals:
        parts += ['<section class="sources">', "<h3>Visuals</h3>", "<ul>"]
        parts += [_visual_html(visual) for visual in card.visuals]
        parts += ["</ul>", "</section>"]
    links = []
    if card.video:
        links.append(f'<a class="play-link" href="{_href(card.video)}" target="_blank">▶ Play</a>')
    if card.captions:
        links.append(f'<a href="{_href(card.captions)}">captions (.srt)</a>')
    if card.sidecar:
        links.append(f'<a href="{_href(card.sidecar)}">details (.json)</a>')
    if links:
        parts.append(f'<p class="links">{" ".join(links)}</p>')
    parts += ["</div>", "</article>"]
    return "\n".join(parts)


def _thumb(card: Card, label: str) -> str:
    ratio = _ratio(card.aspect_ratio)
    frame = f' style="aspect-ratio: {ratio[0]} / {ratio[1]}"' if ratio else ""
    if card.thumbnail and card.video:
        width, height = ratio or (9, 16)
        duration = f'<span class="duration">{_clock(card.duration)}</span>' if card.duration else ""
        return (
            f'<a class="thumb" href="{_href(card.video)}" target="_blank" title="Play {_e(card.title)}">'
            f'<img src="{_href(card.thumbnail)}" alt="" width="{width * 40}" height="{height * 40}" '
            f'loading="lazy"{frame}><span class="play" aria-hidden="true">▶</span>{duration}</a>'
        )
    # The frame of the video to come, as large as fits in the box at its aspect ratio.
    width, height = ratio or (9, 16)
    size = f' style="aspect-ratio: {width} / {height}; width: min(92cqw, 82cqh * {width} / {height})"'
    return f'<div class="thumb"><div class="frame"{size}><span>{_e(label)}</span></div></div>'


def _visual_html(visual: Visual) -> str:
    name = _e(visual.name)
    if visual.url:
        name = f'<a href="{_e(visual.url)}" rel="noreferrer">{name}</a>'
    detail = ""
    if visual.detail:
        detail = f' <span class="detail" title="{_e(visual.detail)}">{_e(visual.detail)}</span>'

    return f'<li><span class="kind">{_e(visual.source)}:</span> {name}{detail}</li>'


def _ratio(aspect: str) -> tuple[int, int] | None:
    match = re.fullmatch(r"\s*(\d{1,3})\s*:\s*(\d{1,3})\s*", aspect or "")
    if not match or not int(match[1]) or not int(match[2]):
        return None
    return int(match[1]), int(match[2])


def _clock(seconds: float | None) -> str:
    total = round(seconds or 0)
    return f"{total // 60}:{total % 60:02d}"


def _e(text: str | None) -> str:
    return escape(text or "", quote=True)


def _href(name: str) -> str:
    """A link to a file in the page's own folder: `#`, `?`, `%` and spaces in its name stay its name."""
    return _e(quote(name, safe=""))


CSS = """
:root { color-scheme: light dark; --bg: #f4f5f7; --card: #fff; --ink: #1d2330; --soft: #5d6677;
  --line: #e2e5ea; --ok: #1f8a4c; --bad: #c62f2f; --busy: #2f6fd6; --muted: #7b8494; --frame: #14161b; }
@media (prefers-color-scheme: dark) { :root { --bg: #111318; --card: #1b1e25; --ink: #e8eaef;
  --soft: #a2a9b6; --line: #2b2f38; --frame: #07080a; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.top { position: sticky; top: 0; z-index: 1; padding: 16px 24px 12px; background: var(--card);
  border-bottom: 1px solid var(--line); }
h1 { margin: 0 0 4px; font-size: 20px; overflow-wrap: anywhere; }
h1 span { color: var(--soft); font-weight: 400; }
.top p { margin: 4px 0; color: var(--soft); }
.state strong { color: var(--ink); }
.state-running strong { color: var(--busy); }
.state-interrupted strong, .state-timed_out strong { color: var(--bad); }
.tally { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.jump a { color: var(--bad); }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 18px;
  padding: 20px 24px 40px; }
.card { display: flex; flex-direction: column; background: var(--card); border: 1px solid var(--line);
  border-radius: 12px; overflow: hidden; box-shadow: 0 1px 2px rgba(0, 0, 0, .06); }
.card[data-status="failed"] { border-color: var(--bad); box-shadow: inset 0 3px 0 var(--bad); }
.card:target { outline: 3px solid var(--busy); }
.thumb { position: relative; display: flex; align-items: center; justify-content: center; height: 300px;
  background: var(--frame); text-decoration: none; }
.thumb img { display: block; max-width: 100%; max-height: 100%; width: auto; height: 100%;
  object-fit: contain; }
.thumb { container-type: size; }
.thumb .frame { display: flex; align-items: center; justify-content: center;
  border: 2px dashed #3a3f4b; border-radius: 8px; color: #a2a9b6; font-size: 13px; text-align: center;
  padding: 6px; }
.card[data-status="failed"] .frame { border-color: #7a2a2a; color: #f0a3a3; }
.play { position: absolute; left: 50%; top: 50%; width: 54px; height: 54px; margin: -27px 0 0 -27px;
  border-radius: 50%; background: rgba(0, 0, 0, .55); color: #fff; font-size: 22px; line-height: 54px;
  text-align: center; opacity: .85; }
.thumb:hover .play, .thumb:focus .play { opacity: 1; background: var(--busy); }
.duration { position: absolute; right: 8px; bottom: 8px; padding: 1px 6px; border-radius: 4px;
  background: rgba(0, 0, 0, .7); color: #fff; font-size: 12px; font-variant-numeric: tabular-nums; }
.body { padding: 12px 14px 14px; display: flex; flex-direction: column; gap: 8px; min-width: 0; }
.facts { margin: 0; color: var(--soft); font-size: 13px; }
h2 { margin: 0; font-size: 16px; line-height: 1.3; overflow-wrap: anywhere; }
h3 { margin: 0 0 2px; font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: var(--soft); }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600;
  color: #fff; background: var(--muted); white-space: nowrap; }
.badge.ok { background: var(--ok); } .badge.bad { background: var(--bad); }
.badge.busy { background: var(--busy); } .count { font-weight: 600; color: var(--ink); }
.error { margin: 0; padding: 8px 10px; border-radius: 8px; background: rgba(198, 47, 47, .1);
  color: var(--ink); overflow-wrap: anywhere; }
.error .stage { display: block; color: var(--bad); font-weight: 600; font-size: 12px; }
.text { margin: 0; max-height: 7.3em; overflow: auto; font-size: 14px; white-space: pre-line;
  overflow-wrap: anywhere; }
.sources ul { margin: 0; padding: 0; list-style: none; font-size: 13px; }
.sources li { overflow-wrap: anywhere; }
.kind { color: var(--soft); font-size: 12px; }
.detail { display: block; color: var(--soft); font-size: 12px; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
.links { margin: auto 0 0; display: flex; flex-wrap: wrap; gap: 12px; font-size: 13px; }
a { color: var(--busy); }
.play-link { font-weight: 600; }
.empty { padding: 40px 24px; color: var(--soft); }
""".strip()


# -- Writing it ---------------------------------------------------------------------------------------


class ReviewSheet:
    """`index.html` in `out_dir`, rewritten atomically as rows move.

    While the batch runs, a page is written only when a row's state changed, and not sooner than
    `min_interval` seconds after the last (or 20 times as long as that write took, for sheets of
    thousands of rows); a change left waiting goes out with the next update (the follower polls at
    least every few seconds). The files saved for a video are read once.
    """

    def __init__(
        self, out_dir: Path, rows: Sequence[PlannedRow], name: str = "", *, min_interval: float = 1.0
    ) -> None:
        self.out_dir = out_dir
        self.rows = list(rows)
        self.name = name
        self.path = out_dir / REVIEW_NAME
        self.min_interval = min_interval
        self._written: object = None  # the state the page on disk shows
        self._next_write = 0.0  # monotonic time
        self._saved: dict[tuple[str, Path], SavedFiles] = {}

    def update(self, status: BulkJob, paths: Mapping[str, Path], *, force: bool = False) -> bool:
        """Write the running page if a row's state changed since the last write; whether it wrote.

        A state is a video's status and whether its files are saved: progress ticks and stages alone
        do not rewrite the page.
        """
        if _signature(status, paths) == self._written:
            return False
        if not force and time.monotonic() < self._next_write:
            return False
        self.write(status, paths, state="running")
        return True

    def write(self, status: BulkJob | None, paths: Mapping[str, Path], *, state: BatchState) -> Path:
        """The page as the batch stands, in `state` ("running", or how it ended), now."""
        started = time.monotonic()
        cards = collect_cards(self.out_dir, self.rows, status, paths, saved=self._saved)
        html = render_review(cards, name=self.name, state=state, updated=datetime.now())
        atomic_write_text(self.path, html)
        self._written = _signature(status, paths) if state == "running" else None
        took = time.monotonic() - started
        self._next_write = started + took + max(self.min_interval, 20 * took)
        return self.path


def _signature(status: BulkJob | None, paths: Mapping[str, Path]) -> object:
    videos = status.videos if status else []
    return tuple(sorted((video.id, video.status, video.id in paths) for video in videos))
