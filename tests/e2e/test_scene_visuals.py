"""Visuals chosen for what each scene says, end to end: `ss` on the embedded engine with a media library
of real files, rendered at draft size, and what `ss video scenes`, the sidecar and the review sheet say."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import CLI, SAMPLES
from tests.llm_standin import StandIn
from tests.media_files import make_image, make_video
from tests.stock_standin import PEXELS_KEY, StockStandIn

SCRIPT = (
    "Start your morning with a proper espresso shot. "
    "Then walk the forest trail for a while among the tall trees. "
    "Nothing about this sentence is in the library at all, honestly."
)


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "b-roll"
    make_image(root / "espresso-shot.jpg", 640, 360, "brown")
    make_video(root / "forest-trail.mp4", 640, 360, seconds=1.0)
    make_image(root / "kitten-sleeping-sofa.jpg", 640, 360, "gray")
    monkeypatch.setenv("SCRIPTSENSEI_MEDIA_LIBRARY", str(root))
    monkeypatch.setenv("SCRIPTSENSEI_ONLINE_MEDIA", "off")
    return root


def test_scenes_show_the_library_files_they_talk_about(cli: CLI, library: Path, tmp_path: Path) -> None:
    made = cli("video", "generate", "--text", SCRIPT, "--quality", "draft", "--out", str(tmp_path), "--json")
    assert made.exit_code == 0, made.stderr
    video = json.loads(made.stdout)
    listed = cli("video", "scenes", video["id"], "--json")
    assert listed.exit_code == 0, listed.stderr
    visuals = [scene["visual"] for scene in json.loads(listed.stdout)]
    assert [(v["source"], v.get("file")) for v in visuals] == [
        ("library", "espresso-shot.jpg"),
        ("library", "forest-trail.mp4"),
        ("generated", None),
    ]
    assert "espresso" in visuals[0]["query"] and visuals[1]["type"] == "video"
    assert "path" not in visuals[0]  # the server's own paths stay on the server
    assert "drew a background" in visuals[2]["reason"]
    table = cli("video", "scenes", video["id"], "--output", "tsv")
    assert "espresso-shot.jpg" in table.stdout and "forest-trail.mp4" in table.stdout

    # Told to draw, the same script shows no library file.
    drawn = cli(
        "video", "generate", "--text", SCRIPT, "--quality", "draft", "--visuals", "generated",
        "--no-wait", "--json",
    )  # fmt: skip
    assert drawn.exit_code == 0, drawn.stderr
    bad = cli("video", "generate", "--text", SCRIPT, "--visuals", "stock-photos")
    assert bad.exit_code == 2 and "visuals" in bad.stderr


def test_without_a_library_scenes_come_from_stock_sources_with_their_credit(cli: CLI, tmp_path: Path) -> None:
    """Openverse and Wikimedia Commons are stand-ins on loopback (tests/stock_standin.py): the HTTP
    boundary only. Commons' clips are not decodable there, so its scenes fall back to the next source."""
    with StockStandIn() as stand_in:
        stand_in.image_bytes = (SAMPLES / "media" / "deep-sea.jpg").read_bytes()
        env = {
            "SCRIPTSENSEI_ONLINE_MEDIA": "on",
            "SCRIPTSENSEI_OPENVERSE_URL": stand_in.openverse_url,
            "SCRIPTSENSEI_WIKIMEDIA_URL": stand_in.wikimedia_url,
        }
        made = cli(
            "video", "generate", "--text", "Divers explore the deep sea with bright lamps and cameras. "
            "At night the coral reef glows in strange colours below them.",
            "--quality", "draft", "--out", str(tmp_path), "--json", env=env,
        )  # fmt: skip
        assert made.exit_code == 0, made.stderr
        searched = {
            call.params.get("q") or call.params.get("gsrsearch") for call in stand_in.calls("openverse")
        }
    visuals = [
        scene["visual"]
        for scene in json.loads(cli("video", "scenes", json.loads(made.stdout)["id"], "--json").stdout)
    ]
    assert {v["source"] for v in visuals} == {"stock"} and {v["provider"] for v in visuals} == {"openverse"}
    assert len({v["id"] for v in visuals}) == len(visuals)  # no picture twice
    for visual in visuals:
        assert visual["author"] and visual["licence"] and visual["page_url"].startswith("https://")
        assert visual["query"].replace(",", "") in searched  # the scene's terms, as Openverse was asked
    # The terms came from each scene's own words.
    assert any("diver" in v["query"] for v in visuals) and any("reef" in v["query"] for v in visuals)


def test_a_failing_source_is_named_and_the_render_goes_on(cli: CLI, tmp_path: Path) -> None:
    """Openverse is a stand-in that rate-limits (tests/stock_standin.py); nothing listens for Commons."""
    with StockStandIn() as stand_in:
        stand_in.plan("openverse", ["429"])
        env = {
            "SCRIPTSENSEI_ONLINE_MEDIA": "on",
            "SCRIPTSENSEI_OPENVERSE_URL": stand_in.openverse_url,
            "SCRIPTSENSEI_WIKIMEDIA_URL": "http://127.0.0.1:9/w/api.php",
        }
        made = cli(
            "video", "generate", "--text", SCRIPT, "--quality", "draft", "--out", str(tmp_path), env=env
        )
    assert made.exit_code == 0, made.stderr
    said = " ".join(made.stderr.split())
    assert "warning: pictures: openverse failed" in said and "wikimedia failed" in said
    video_id = json.loads(cli("video", "list", "--json").stdout)[0]["id"]
    visuals = [scene["visual"] for scene in json.loads(cli("video", "scenes", video_id, "--json").stdout)]
    assert {v["source"] for v in visuals} == {"generated"} and "openverse failed" in visuals[0]["reason"]


def test_with_a_pexels_key_scenes_get_clips_trimmed_to_them(cli: CLI, tmp_path: Path) -> None:
    """Pexels is a stand-in on loopback (tests/stock_standin.py), answering with its documented shapes
    and serving a real MP4 made here; only the HTTP boundary is stood in for."""
    clip = make_video(tmp_path / "clip.mp4", 640, 360, seconds=4.0)
    with StockStandIn() as stand_in:
        stand_in.clip_bytes = clip.read_bytes()
        env = {
            "SCRIPTSENSEI_ONLINE_MEDIA": "on",
            "SCRIPTSENSEI_PEXELS_API_KEY": PEXELS_KEY,
            "SCRIPTSENSEI_PEXELS_URL": f"{stand_in.url}/pexels/",
            "SCRIPTSENSEI_OPENVERSE_URL": stand_in.openverse_url,
            "SCRIPTSENSEI_WIKIMEDIA_URL": stand_in.wikimedia_url,
        }
        made = cli(
            "video",
            "generate",
            "--text",
            SCRIPT,
            "--quality",
            "draft",
            "--out",
            str(tmp_path),
            "--json",
            env=env,
        )
        assert made.exit_code == 0, made.stderr
        searches = [call.params["query"] for call in stand_in.calls("pexels") if "query" in call.params]
    scenes = json.loads(cli("video", "scenes", json.loads(made.stdout)["id"], "--json").stdout)
    visuals = [scene["visual"] for scene in scenes]
    assert {(v["source"], v["provider"], v["type"]) for v in visuals} == {("stock", "pexels", "video")}
    assert len({v["id"] for v in visuals}) == len(visuals)
    assert all(v["author"] == "Ana Pexels" and v["licence"] == "Pexels License" for v in visuals)
    assert any("espresso" in query for query in searches) and any("forest" in query for query in searches)
    # Each clip lasts its scene: the 4 s clip is cut (or slowed) to it, and the video is whole.
    video = json.loads(made.stdout)
    assert abs(sum(scene["duration"] for scene in scenes) - video["duration"]) < 1.0


def test_an_llm_writers_visual_descriptions_choose_the_pictures(cli: CLI, tmp_path: Path) -> None:
    """The LLM is a stand-in at the HTTP boundary (tests/llm_standin.py). Its script's hook says
    nothing of clocks ("You are not tired because of your bedtime…"), its description does."""
    root = tmp_path / "b-roll"
    make_image(root / "alarm-clock-dawn.jpg", 640, 360, "orange")
    make_image(root / "coffee-cup.jpg", 640, 360, "brown")
    make_image(root / "beach-sunset.jpg", 640, 360, "yellow")
    with StandIn() as llm:
        env = {**llm.env("openai"), "SCRIPTSENSEI_MEDIA_LIBRARY": str(root)}
        written = cli("script", "generate", "sleep habits", "--duration", "30", "--json", env=env)
        assert written.exit_code == 0, written.stderr
        script_id = json.loads(written.stdout)["id"]
        made = cli(
            "video", "generate", "--script-id", script_id, "--quality", "draft", "--out", str(tmp_path),
            "--json", env=env,
        )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    scenes = json.loads(cli("video", "scenes", json.loads(made.stdout)["id"], "--json", env=env).stdout)
    hook = scenes[0]
    assert hook["text"].startswith("You are not tired")
    assert hook["visual"]["file"] == "alarm-clock-dawn.jpg" and "alarm clock" in hook["visual"]["query"]
    assert "writer's description" in hook["visual"]["reason"]
    coffee = next(scene for scene in scenes if "caffeine" in scene["text"].lower())
    assert coffee["visual"]["file"] == "coffee-cup.jpg"


def test_a_batch_saves_each_scenes_source_and_shows_it_on_the_review_sheet(
    cli: CLI, library: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "videos.csv"
    sheet.write_text(
        f'title,script,visuals\nCoffee,"{SCRIPT}",auto\nDrawn,"{SCRIPT}",generated\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    ran = cli("bulk", str(sheet), "--quality", "draft", "--out", str(out))
    assert ran.exit_code == 0, ran.stderr
    coffee = json.loads((out / "Coffee.json").read_text())
    assert coffee["visuals"] == "auto"
    assert [entry["source"] for entry in coffee["media"]] == ["library", "library", "generated"]
    assert coffee["media"][0]["file"] == "espresso-shot.jpg" and coffee["media"][0]["scene"] == 0
    drawn = json.loads((out / "Drawn.json").read_text())
    assert {entry["source"] for entry in drawn["media"]} == {"generated"}
    page = (out / "index.html").read_text()
    assert "espresso-shot.jpg" in page and "forest-trail.mp4" in page


def test_dry_run_names_an_unknown_visuals_mode(cli: CLI, tmp_path: Path) -> None:
    sheet = tmp_path / "videos.csv"
    sheet.write_text("title,script,visuals\nA,Some words to narrate here.,stock photos\n", encoding="utf-8")
    checked = cli("bulk", str(sheet), "--dry-run")
    assert checked.exit_code == 2
    for needle in ("visuals", "unknown visuals mode 'stock photos'", "generated"):
        assert needle in " ".join(checked.stderr.split()), needle
