"""Pictures picked per scene: the real media library (files made with ffmpeg), the real store (SQLite)
counting uses, and the picker the render job hands to the pipeline."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from scriptsensei_cli.engine.media.scenes import ScenePicker, VisualUses
from scriptsensei_cli.engine.media.stock import LocalLibrary
from scriptsensei_cli.engine.render.request import SceneInput
from scriptsensei_cli.engine.store.db import Database
from scriptsensei_cli.engine.store.models import User
from tests.media_files import make_image, make_video


@pytest.fixture(scope="module")
def library_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Named photos and clips about a few things, and files about something else."""
    root = tmp_path_factory.mktemp("library")
    for name in ("espresso-shot.jpg", "bike-commute-rain.jpg", "kitten-sleeping-sofa.jpg", "tax-forms.jpg"):
        make_image(root / name)
    make_video(root / "forest-trail.mp4")
    make_image(root / "Ocean" / "ocean-waves-rocks.jpg")
    make_image(root / "Ocean" / "ocean-sunset-beach.jpg")
    make_image(root / "Ocean" / "OceanSurfers.jpg")
    make_video(root / "Ocean" / "ocean-waves-aerial.mp4")
    make_video(root / "Ocean" / "ocean-tide-pools.mp4")
    return root


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    database.migrate()
    with database.session() as session:
        session.add_all([User(id="usr_a", email="a@example.com"), User(id="usr_b", email="b@example.com")])
    yield database


def picker(
    library: Path | None, db: Database, tmp_path: Path, mode: str = "auto", user: str = "usr_a"
) -> ScenePicker:
    folders = [library] if library else []
    providers = [LocalLibrary(folders, tmp_path / "index.json")]
    return ScenePicker(providers, tmp_path / "cache", uses=VisualUses(db, user), mode=mode, script="")


def scenes(*texts: str) -> list[SceneInput]:
    return [SceneInput(text) for text in texts]


def test_each_scene_gets_the_library_file_about_what_it_says(
    library_dir: Path, db: Database, tmp_path: Path
) -> None:
    picks = picker(library_dir, db, tmp_path)(
        scenes(
            "Start the day with an espresso shot.",
            "Then walk the forest trail.",
            "Nobody files their taxes with forms for fun.",
        ),
        "portrait",
    )
    assert [pick.path.name if pick and pick.path else None for pick in picks] == [
        "espresso-shot.jpg",
        "forest-trail.mp4",
        "tax-forms.jpg",
    ]
    first = picks[0]
    assert first is not None
    assert first.record["source"] == "library" and "espresso" in first.record["query"]
    assert first.record["file"] == "espresso-shot.jpg" and first.record["reason"].startswith("matched")


def test_a_video_never_shows_one_file_twice(library_dir: Path, db: Database, tmp_path: Path) -> None:
    picks = picker(library_dir, db, tmp_path)(scenes(*["The ocean waves roll in."] * 7), "portrait")
    files = [pick.path for pick in picks if pick and pick.path]
    assert len(files) >= 4 and len(set(files)) == len(files)  # the ocean files, each once
    assert all("Ocean" in str(path) for path in files)
    # Once every ocean file is shown, a scene gets a background, and says why.
    rest = picks[len(files) :]
    assert rest and all(pick and pick.path is None for pick in rest)
    assert all(pick and "nothing new in local matched" in pick.record["reason"] for pick in rest)


def test_a_batch_on_one_subject_spreads_over_the_library(
    library_dir: Path, db: Database, tmp_path: Path
) -> None:
    opened_with = Counter()
    shown = Counter()
    for _ in range(20):  # twenty videos of one scene each, all about the ocean
        (pick,) = picker(library_dir, db, tmp_path)(scenes("Waves on the ocean."), "portrait")
        assert pick is not None and pick.path is not None
        opened_with[pick.path.name] += 1
        shown[pick.record["id"]] += 1
    assert len(opened_with) == 5  # every ocean file in turn, none fifty times
    assert max(opened_with.values()) - min(opened_with.values()) <= 1
    # Uses are counted per user: another user's first video starts afresh, with a clip.
    (other,) = picker(library_dir, db, tmp_path, user="usr_b")(scenes("Waves on the ocean."), "portrait")
    assert other is not None and other.record["type"] == "video"
    assert VisualUses(db, "usr_b").counts(list(shown)) == {other.record["id"]: 1}


def test_scenes_nothing_matches_get_backgrounds_with_the_reason(
    library_dir: Path, db: Database, tmp_path: Path
) -> None:
    (pick,) = picker(library_dir, db, tmp_path)(
        scenes("Quarterly compliance deadlines approach."), "portrait"
    )
    assert pick is not None and pick.path is None and pick.record["source"] == "generated"
    assert "compliance" in pick.record["query"] and "nothing new in local matched" in pick.record["reason"]


def test_modes_that_insist(library_dir: Path, db: Database, tmp_path: Path) -> None:
    espresso = scenes("An espresso shot.")
    assert picker(library_dir, db, tmp_path, mode="generated")(espresso, "portrait") == [None]
    assert picker(library_dir, db, tmp_path, mode="none")(espresso, "portrait") == [None]
    (stock_only,) = picker(library_dir, db, tmp_path, mode="stock")(espresso, "portrait")
    assert stock_only is not None and stock_only.path is None
    assert "visuals: stock, but a stock source is not set up" in stock_only.record["reason"]
    (no_library,) = picker(None, db, tmp_path, mode="library")(espresso, "portrait")
    assert no_library is not None and "SCRIPTSENSEI_MEDIA_LIBRARY" in no_library.record["reason"]


def test_a_scene_with_its_own_media_is_left_to_the_render(
    library_dir: Path, db: Database, tmp_path: Path
) -> None:
    own = SceneInput("An espresso shot.", media=library_dir / "tax-forms.jpg")
    assert picker(library_dir, db, tmp_path)([own], "portrait") == [None]


def test_a_rerender_keeps_what_an_unchanged_scene_showed(
    library_dir: Path, db: Database, tmp_path: Path
) -> None:
    (first,) = picker(library_dir, db, tmp_path)(scenes("Waves on the ocean."), "portrait")
    assert first is not None and first.path is not None
    again = SceneInput("Waves on the ocean.", visual=first.record)
    (kept,) = picker(library_dir, db, tmp_path)([again], "portrait")
    assert kept is not None and kept.path == first.path
    assert VisualUses(db, "usr_a").counts([first.record["id"]]) == {
        first.record["id"]: 1
    }  # not counted twice
    # A file gone from the library is picked afresh.
    gone = SceneInput("Waves on the ocean.", visual={**first.record, "path": str(tmp_path / "deleted.jpg")})
    (fresh,) = picker(library_dir, db, tmp_path)([gone], "portrait")
    assert fresh is not None and fresh.path is not None and fresh.path.exists()
