"""A document's paragraphs as narration that fits a time budget, cut only at sentence boundaries.

Headings are not narrated (the render pipeline drops `#` lines anyway); they end a paragraph, so a
document's sections become the script's paragraphs: hook first, points after, as the writer lays
out a script. A document that runs longer than the budget is condensed, not cut off at the end:

1. Every paragraph keeps a *prefix* of its sentences, so what is kept reads as the author wrote it.
2. Sentences are added in rounds: first sentences first (the opening of a section before the other
   paragraphs, then in reading order), then second sentences, and so on, while they fit.

So a long article becomes the lead of each of its sections and paragraphs (the inverted pyramid most
web writing follows) rather than its first three minutes and nothing of the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...common.narration import count_words, estimate_narration_seconds
from ...common.text import split_sentences
from .documents import Block


@dataclass(frozen=True)
class Narration:
    content: str
    seconds: float
    source_words: int
    source_seconds: float

    @property
    def condensed(self) -> bool:
        return self.seconds < self.source_seconds


@dataclass
class _Paragraph:
    sentences: list[str]
    costs: list[float]
    opens_section: bool
    kept: int = 0


def condense(blocks: list[Block], language: str, max_seconds: float) -> Narration:
    """The blocks' paragraphs joined by blank lines, condensed to `max_seconds` of narration."""
    paragraphs = _paragraphs(blocks, language)
    source = "\n\n".join(" ".join(p.sentences) for p in paragraphs)
    source_seconds = estimate_narration_seconds(source, language)
    if source_seconds <= max_seconds:
        return Narration(source, source_seconds, count_words(source), source_seconds)
    _keep_leads(paragraphs, max_seconds)
    kept = [p.sentences[: p.kept] for p in paragraphs if p.kept]
    content = "\n\n".join(" ".join(sentences) for sentences in kept) or _first_words(
        source, language, max_seconds
    )
    return Narration(
        content, estimate_narration_seconds(content, language), count_words(source), source_seconds
    )


def _paragraphs(blocks: list[Block], language: str) -> list[_Paragraph]:
    paragraphs: list[_Paragraph] = []
    opens_section = True
    for block in blocks:
        if block.heading:
            opens_section = True
            continue
        sentences = split_sentences(block.text, language)
        if sentences:
            costs = [estimate_narration_seconds(s, language) for s in sentences]
            paragraphs.append(_Paragraph(sentences, costs, opens_section))
            opens_section = False
    return paragraphs


def _keep_leads(paragraphs: list[_Paragraph], budget: float) -> None:
    """Set each paragraph's `kept` count: rounds of n-th sentences, section openings first."""
    spent = 0.0
    growing = sorted(paragraphs, key=lambda p: not p.opens_section)  # stable: reading order within
    while growing:
        still_growing = []
        for paragraph in growing:
            cost = paragraph.costs[paragraph.kept]
            if spent + cost > budget:
                continue  # this paragraph stops here; a shorter sentence elsewhere may still fit
            spent += cost
            paragraph.kept += 1
            if paragraph.kept < len(paragraph.sentences):
                still_growing.append(paragraph)
        growing = still_growing


def _first_words(text: str, language: str, budget: float) -> str:
    """Only when not even one sentence fits: the opening words, marked as cut."""
    words = text.split()
    while words and estimate_narration_seconds(" ".join(words), language) > budget:
        words = words[: int(len(words) * 0.9)]
    return " ".join(words) + "…"
