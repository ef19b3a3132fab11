"""Pictures chosen for what each scene says: the user's media library, then stock sources.

For every scene without its own media, the picker takes search terms from the scene's words and asks
the sources in turn (the `visuals` mode says which), keeps the matches this video has not shown yet,
and of those that match about equally well takes the one the user's videos have shown least (so a
batch of fifty videos on one subject spreads over the library), clips before stills. What it chose,
and why, becomes the scene's `visual` record: the terms, the source, and the credit a licence asks for.

    picker = ScenePicker(providers, cache_dir, uses=VisualUses(db, user_id), mode="auto",
                         script=request.script, language=request.language)
    picks = picker(scenes, "portrait")   # one ScenePick (or None: the render draws) per scene

A source that fails (rate limit, bad key, timeout, a broken download) is named in the record and the
log, and the next source is asked: a render never fails because a search did.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..render.ffmpeg import FFmpegError, probe
from ..render.request import SceneInput
from ..render.visuals import ScenePick
from ..store.db import Database
from ..store.models import VisualUse
from .stock import LocalLibrary, StockItem, StockProvider, StockProviderError, fetch_stock
from .terms import scene_terms

logger = logging.getLogger("scriptsensei.media")

# Matches scoring within this of the best count as equally good: usage decides among them, so a batch
# on one subject spreads over every file about it, not only the one whose name holds every word.
# (Remote sources score by rank: their first few results are equals.)
SCORE_MARGIN = 0.3
# Remote sources rank by their own relevance: this many of their first results are candidates.
REMOTE_CANDIDATES = 6
LOCAL_CANDIDATES = 12
QUERY_TERMS = 2  # the scene's best terms that make its query
QUERY_SEPARATOR = ", "
SOURCES_FOR_MODE = {"auto": ("library", "stock"), "library": ("library",), "stock": ("stock",)}

# One engine process renders several videos at once: a pick and its count are made under this lock,
# so two renders starting together do not both take the least-used file.
_PICK_LOCK = threading.Lock()


class VisualUses:
    """How often each file has appeared in one user's videos (the `visual_uses` table)."""

    def __init__(self, db: Database, user_id: str) -> None:
        self.db, self.user_id = db, user_id

    def counts(self, item_ids: Sequence[str]) -> dict[str, int]:
        if not item_ids:
            return {}
        with self.db.session() as session:
            rows = session.execute(
                select(VisualUse.item_id, VisualUse.uses).where(
                    VisualUse.user_id == self.user_id, VisualUse.item_id.in_(list(item_ids))
                )
            )
            return {item_id: uses for item_id, uses in rows}

    def add(self, item_id: str) -> None:
        with self.db.session() as session:
            row = session.get(VisualUse, (self.user_id, item_id))
            if row is None:
                session.add(VisualUse(user_id=self.user_id, item_id=item_id, uses=1))
            else:
                row.uses, row.last_used_at = row.uses + 1, datetime.now(UTC)


@dataclass(frozen=True)
class _Candidate:
    item: StockItem
    score: float  # 0..1 for the library; by rank for remote sources
    provider: StockProvider


@dataclass
class ScenePicker:
    """Chooses a library or stock file per scene (see the module docstring); a `render.VisualPicker`."""

    providers: Sequence[StockProvider]
    cache_dir: Path
    uses: VisualUses | None
    mode: str
    script: str
    language: str = "en"

    def __call__(self, scenes: Sequence[SceneInput], orientation: str) -> list[ScenePick | None]:
        sources = SOURCES_FOR_MODE.get(self.mode)
        if sources is None:
            return [None] * len(scenes)  # generated or none: the render draws them
        shown: set[str] = set()
        picks: list[ScenePick | None] = []
        for scene in scenes:
            if scene.media is not None:
                picks.append(None)
                continue
            pick = self._kept(scene) or self._pick(scene, sources, orientation, shown)
            if pick.record.get("id"):
                shown.add(str(pick.record["id"]))
            picks.append(pick)
        return picks

    def _kept(self, scene: SceneInput) -> ScenePick | None:
        """The file the scene showed last time, while its text is unchanged and the file is there."""
        record = scene.visual
        if not record or record.get("source") not in ("library", "stock") or not record.get("path"):
            return None
        path = Path(str(record["path"]))
        return ScenePick(path, dict(record)) if path.is_file() else None

    def _pick(
        self, scene: SceneInput, sources: Sequence[str], orientation: str, shown: set[str]
    ) -> ScenePick:
        # The writer's description of what to show, where it gave one; else the scene's own words.
        terms = scene_query(scene.hint or scene.text, self.script, self.language)
        if not terms:
            return _drawn("no words to search for in the scene; drew a background", None)
        providers = self._ordered(sources)
        if not providers:
            wanted = (
                "a media library (SCRIPTSENSEI_MEDIA_LIBRARY)"
                if sources == ("library",)
                else "a stock source"
            )
            if self.mode == "auto":
                wanted = "no media library and no stock source"
                return _drawn(f"{wanted} is set up; drew a background", terms)
            return _drawn(f"visuals: {self.mode}, but {wanted} is not set up; drew a background", terms)
        failures: list[str] = []
        for provider in providers:
            try:
                found = [
                    c
                    for c in self._search(provider, terms, scene.hint or scene.text, orientation)
                    if c.item.id not in shown
                ]
            except StockProviderError as exc:
                logger.warning("scene visuals: %s failed: %s", provider.name, exc.message)
                failures.append(f"{provider.name} failed ({exc.message})")
                continue
            except Exception as exc:  # a source's bug must not fail the render
                logger.exception("scene visuals: %s crashed", provider.name)
                failures.append(f"{provider.name} failed ({type(exc).__name__})")
                continue
            # Of what this video has not shown, those about as good as the best are equals: the least
            # used of them is taken.
            candidates = [c for c in found if c.score >= found[0].score - SCORE_MARGIN] if found else []
            while candidates:
                chosen = self._least_used(candidates)
                try:
                    path = fetch_stock(self.providers, chosen.item, self.cache_dir / "stock")
                    if not isinstance(provider, LocalLibrary):  # library files were probed when indexed
                        probe(path)
                except (StockProviderError, FFmpegError, OSError, ValueError) as exc:
                    message = getattr(exc, "message", None) or str(exc).splitlines()[0]
                    logger.warning("scene visuals: %s is not usable: %s", chosen.item.id, message)
                    failures.append(f"{chosen.item.id} is not usable ({message})")
                    candidates = [c for c in candidates if c is not chosen]
                    continue
                record = _record(chosen, terms, path, scene.hint)
                if failures:  # named, though another source served
                    record["reason"] += f" (after: {'; '.join(failures)})"
                    record["failed"] = failures
                return ScenePick(path, record)
        searched = ", ".join(provider.name for provider in providers)
        reason = "; ".join([*failures, f"nothing new in {searched} matched {terms!r}"])
        drawn = _drawn(f"{reason}; drew a background", terms)
        if failures:
            drawn.record["failed"] = failures
        return drawn

    def _ordered(self, sources: Sequence[str]) -> list[StockProvider]:
        """The providers the mode asks, library first; a library with no folders is not a source."""
        wanted = []
        for provider in self.providers:
            is_library = isinstance(provider, LocalLibrary)
            if isinstance(provider, LocalLibrary) and not provider.folders:
                continue
            if ("library" if is_library else "stock") in sources:
                wanted.append(provider)
        return sorted(wanted, key=lambda provider: not isinstance(provider, LocalLibrary))

    def _search(self, provider: StockProvider, terms: str, text: str, orientation: str) -> list[_Candidate]:
        if isinstance(provider, LocalLibrary):
            ranked = _local_ranked(provider, terms, text, self.language)
            if not ranked:
                return []
            best = ranked[0][1]
            return [
                _Candidate(item, score, provider) for item, score in ranked if score >= best - SCORE_MARGIN
            ]
        kinds = getattr(provider, "kinds", ("image", "video"))
        found: list[StockItem] = []
        for kind in ("video", "image"):  # clips first, where the source has them
            if kind in kinds and not found:
                found = provider.search(
                    terms.replace(QUERY_SEPARATOR, " "),
                    kind=kind,
                    orientation=orientation,
                    limit=REMOTE_CANDIDATES,
                ).items
        return [_Candidate(item, 1.0 - i * SCORE_MARGIN / 10, provider) for i, item in enumerate(found)]

    def _least_used(self, candidates: Sequence[_Candidate]) -> _Candidate:
        """The least used candidate (clips before stills, then the better match), counted as used."""
        with _PICK_LOCK:
            counts = self.uses.counts([c.item.id for c in candidates]) if self.uses else {}
            chosen = min(
                candidates,
                key=lambda c: (counts.get(c.item.id, 0), c.item.type != "video", -c.score, c.item.id),
            )
            if self.uses is not None:
                self.uses.add(chosen.item.id)
        return chosen


def _local_ranked(
    library: LocalLibrary, terms: str, scene_text: str, language: str
) -> list[tuple[StockItem, float]]:
    """The library's matches for the terms together, for the first alone ("espresso shot" finds
    espresso-shot.jpg though the scene also speaks of mornings) and for the scene's whole sentence (by
    meaning: "the ocean waves roll in" is about every ocean file), each file at its best score."""
    best: dict[str, tuple[StockItem, float]] = {}
    first = terms.split(QUERY_SEPARATOR)[0]
    for query in dict.fromkeys([terms.replace(QUERY_SEPARATOR, " "), first, scene_text]):
        for item, score in library.rank(query, limit=LOCAL_CANDIDATES, language=language):
            if item.id not in best or score > best[item.id][1]:
                best[item.id] = (item, score)
    return sorted(best.values(), key=lambda match: -match[1])


def scene_query(scene_text: str, script: str, language: str) -> str:
    """The search terms for a scene, best first: its nouns and noun phrases that the rest of the script
    does not share (`terms.scene_terms`), "espresso shot, morning"."""
    return QUERY_SEPARATOR.join(scene_terms(scene_text, script, language, limit=QUERY_TERMS))


def _drawn(reason: str, terms: str | None) -> ScenePick:
    return ScenePick(None, {"source": "generated", "reason": reason, "query": terms})


def _record(candidate: _Candidate, terms: str, path: Path, hint: str | None) -> dict[str, Any]:
    """The scene's `visual`: where the file came from, why, and its credit; `path` for the next render."""
    item = candidate.item
    is_library = isinstance(candidate.provider, LocalLibrary)
    source = "library" if is_library else "stock"
    why = f"matched {terms!r}" + (f" ({candidate.score:.2f})" if is_library else f" on {item.provider}")
    if hint:
        why += " (the writer's description of the scene)"
    return {
        "source": source,
        "reason": why,
        "query": terms,
        "provider": item.provider,
        "id": item.id,
        "type": item.type,
        "title": item.title or None,
        "file": path.name,
        "author": item.author,
        "author_url": item.author_url,
        "licence": None if is_library else item.licence,  # the user's own files owe no credit
        "page_url": item.page_url,
        "path": str(path),
    }
