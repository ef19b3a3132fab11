"""Blog-to-video: a parsed document becomes a saved script, scored like any other.

The script is stored through the scripts service (`save_draft`), so an imported script is an
ordinary script of its owner's: listed, edited, rendered and re-scored like one the writer drafted.
It records `provider="import"` and, as its `model`, the kind of document it came from.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from urllib.parse import unquote

from ...common.text import language_code
from ...contract import Script
from ...contract.content import ImportOptions
from ...contract.vocabulary import PLATFORMS, PlatformSpec
from ..content.condense import Narration, condense
from ..content.documents import Document
from ..store.db import Database
from ..writer import WriterRequest
from ..writer.quality import topic_keywords
from .scripts import draft_from_text, save_draft

IMPORT_PROVIDER = "import"
# Imports are explanations more often than not; `ss script update --tone` changes it.
IMPORT_TONE = "educational"
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True)
class ImportResult:
    script: Script
    note: str | None


def import_document(
    db: Database, user_id: str, document: Document, options: ImportOptions, source_name: str
) -> ImportResult:
    """Save `document` as the user's script; `note` says how it was condensed, if it was."""
    spec = PLATFORMS[options.platform]
    language = options.language or _declared_language(document.language) or "en"
    budget = options.max_seconds or spec.max_duration
    narration = condense(document.blocks, language, budget)
    title = options.title or document.title or _title_from_name(source_name)
    request = WriterRequest(
        topic=title,
        platform=options.platform,
        language=language,
        tone=IMPORT_TONE,
        duration=_target_seconds(narration, spec, budget),
    )
    hashtags = _hashtags(document.tags, title, language, spec.hashtag_count)
    draft = draft_from_text(title, narration.content, hashtags, provider=IMPORT_PROVIDER, model=document.kind)
    script = save_draft(db, user_id, request, draft)
    return ImportResult(script, _note(narration, spec, budget) if narration.condensed else None)


def _target_seconds(narration: Narration, spec: PlatformSpec, budget: int) -> int:
    """The budget a condensed document was fitted to; else its own length, within the platform's."""
    if narration.condensed:
        return budget
    return min(max(math.ceil(narration.seconds), spec.min_duration), budget)


def _declared_language(declared: str | None) -> str | None:
    """`en-US`, `en_GB`, `EN` → `en`; anything that is not a language code → None."""
    code = language_code(declared) if declared else ""
    return code if _LANGUAGE.match(code) else None


def _title_from_name(name: str) -> str:
    """`why-sleep_matters.pdf` or `https://x.org/blog/why-sleep-matters/` → `why sleep matters`."""
    stem = unquote(name.rstrip("/").rsplit("/", 1)[-1]).rsplit(".", 1)[0]
    words = re.sub(r"[-_+]+", " ", stem).split()
    return " ".join(words)[:300] or "Imported document"


def _hashtags(tags: list[str], title: str, language: str, count: int) -> list[str]:
    """The document's own tags, then the title's key words, as many as the platform likes."""
    hashtags: list[str] = []
    for phrase in [*tags, *topic_keywords(title, language)]:
        parts = re.findall(r"[^\W_]+", phrase)
        joined = "".join(p[:1].upper() + p[1:] for p in parts) if len(parts) > 1 else "".join(parts).lower()
        tag = "#" + joined
        if joined and tag.lower() not in {h.lower() for h in hashtags}:
            hashtags.append(tag)
    return hashtags[:count]


def _note(narration: Narration, spec: PlatformSpec, budget: int) -> str:
    limit = "the longest " + spec.label + " takes" if budget == spec.max_duration else "max_seconds"
    return (
        f"condensed {narration.source_words} words (about {narration.source_seconds:.0f} s of narration) "
        f"to about {narration.seconds:.0f} s, within {budget} s ({limit}): the opening sentences of its "
        "sections, then of its paragraphs, were kept; a longer-form platform or max_seconds keeps more"
    )
