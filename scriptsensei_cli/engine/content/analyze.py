"""Scoring any text with the writer's own scorer, so an analysis and a saved script always agree.

The text may be a bare narration (what `ss script get` prints) or a Markdown draft: a `Title:` line
or a leading `#` heading is its title, `#hashtags` are its hashtags, and only what a narrator would
say (the render pipeline's `narration_lines`) is scored as the narration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...common.text import narration_lines, split_sentences
from ...contract.content import AnalyzeRequest, ContentAnalysis
from ...contract.vocabulary import PLATFORMS
from ..errors import Invalid
from ..writer import WriterRequest, count_words, estimate_narration_seconds, score_text
from .documents import front_matter

_TITLE_LINE = re.compile(r"^\s*(?:\**title\**\s*:|#\s)\s*(?P<title>.+?)\s*$", re.IGNORECASE)
_HASHTAG = re.compile(r"(?<!\S)#[^\W\d_][\w]*")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class ScriptText:
    """A draft taken apart: its title, its hashtags and its narration (paragraphs kept)."""

    title: str | None
    hashtags: list[str]
    narration: str


def split_script_text(text: str) -> ScriptText:
    front, body = front_matter(text)
    first = next((line for line in body.splitlines() if line.strip()), "")
    title_match = _TITLE_LINE.match(first)
    title = front.get("title") or (title_match["title"] if title_match else None)
    hashtags = list(dict.fromkeys(_HASHTAG.findall(body)))
    paragraphs = ("\n".join(narration_lines(part)) for part in _PARAGRAPH_BREAK.split(body))
    narration = "\n\n".join(part for part in paragraphs if part)
    return ScriptText(title, hashtags, narration)


def analyze(request: AnalyzeRequest) -> ContentAnalysis:
    """Scores of `request.content`; without a target duration, the platform's limits are the target."""
    parts = split_script_text(request.content)
    if not parts.narration:
        raise Invalid("content: nothing to narrate (only headings, hashtags or blank lines)", field="content")
    spec = PLATFORMS[request.platform]
    title = request.title if request.title is not None else parts.title or ""
    hashtags = request.hashtags if request.hashtags is not None else parts.hashtags
    topic = request.topic or title
    seconds = estimate_narration_seconds(parts.narration, request.language)
    target = request.duration or min(max(round(seconds), spec.min_duration), spec.max_duration)
    writer_request = WriterRequest(
        topic=topic, platform=request.platform, language=request.language, tone="casual", duration=target
    )
    return ContentAnalysis(
        scores=score_text(title, parts.narration, hashtags, writer_request),
        title=title,
        topic=topic,
        hashtags=hashtags,
        platform=request.platform,
        language=request.language,
        word_count=count_words(parts.narration),
        sentence_count=len(split_sentences(parts.narration, request.language)),
        estimated_seconds=round(seconds, 1),
        target_seconds=target,
        max_seconds=spec.max_duration,
        fits_platform=seconds <= spec.max_duration,
    )
