"""Files that start like media but do not decode (issue 15, finding 3): found by `ss bulk --dry-run`,
all at once, refused the same way by the run, by `ss video generate` and by an upload. Real engine,
real ffmpeg: only its decoder can tell such a file from a good one."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest

from scriptsensei_cli.engine.render.ffmpeg import ffmpeg_exe
from scriptsensei_cli.engine.server import EngineServer
from tests.conftest import CLI, SAMPLES, Account, run_json, said

WIDE = {"COLUMNS": "400"}  # one problem, one line of the table
GARBAGE_JPEG = "a damaged or truncated JPEG image: ffmpeg cannot decode it"
CUT_PNG = "a damaged or truncated PNG image: ffmpeg cannot decode it"


@pytest.fixture
def media(tmp_path: Path) -> Path:
    """A good JPEG and a good PNG, a JPEG's headers followed by zeros, a PNG cut short, an MP4 that is
    only an `ftyp` box."""
    folder = tmp_path / "media"
    folder.mkdir()
    (folder / "good.jpg").write_bytes((SAMPLES / "media" / "deep-sea.jpg").read_bytes())
    png = folder / "good.png"
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-y", "-i", str(folder / "good.jpg"), "-vf", "scale=320:-2", str(png)],
        check=True,
    )
    # Every header of a real JPEG (its size is readable), then zeros where the picture should be.
    jpeg = (folder / "good.jpg").read_bytes()
    (folder / "garbage.jpg").write_bytes(jpeg[: jpeg.index(b"\xff\xda")] + bytes(4000))
    (folder / "cut.png").write_bytes(png.read_bytes()[:200])
    (folder / "empty.mp4").write_bytes(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2")
    return folder


def write_sheet(tmp_path: Path, media: list[str]) -> Path:
    path = tmp_path / "videos.csv"
    scripts = ["Tide pools hold whole worlds.", "Cold brew needs patience.", "Whales sing for hours."]
    lines = [f"Video {n},{scripts[n % 3]},draft,media/{item}\n" for n, item in enumerate(media, 1)]
    path.write_text("title,script,quality,media\n" + "".join(lines), encoding="utf-8")
    return path


def problem_lines(stderr: str) -> list[str]:
    return [" ".join(line.replace("│", " ").split()) for line in stderr.splitlines() if "│" in line]


def test_dry_run_lists_every_row_whose_media_does_not_decode(
    cli: CLI, tmp_path: Path, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = write_sheet(tmp_path, ["good.jpg", "garbage.jpg", "cut.png"])
    result = cli("bulk", str(path), "--dry-run", env=WIDE)
    assert result.exit_code == 2, result.stderr
    assert result.stdout == ""
    assert "2 problem(s); nothing was rendered" in result.stderr
    assert problem_lines(result.stderr) == [
        f"3 media {media / 'garbage.jpg'}: {GARBAGE_JPEG} (No JPEG data found in image)",
        f"4 media {media / 'cut.png'}: {CUT_PNG} (chunk too big)",
    ]
    assert not (tmp_path / "scriptsensei-out").exists()


def test_the_run_refuses_the_same_rows_with_the_same_reason_and_renders_nothing(
    cli: CLI, tmp_path: Path, media: Path
) -> None:
    path, out = write_sheet(tmp_path, ["good.jpg", "garbage.jpg", "cut.png"]), tmp_path / "out"
    dry = cli("bulk", str(path), "--dry-run", env=WIDE)
    run = cli("bulk", str(path), "--out", str(out), env=WIDE)
    assert run.exit_code == dry.exit_code == 2, run.stderr
    assert problem_lines(run.stderr) == problem_lines(dry.stderr) and len(problem_lines(run.stderr)) == 2
    assert "Traceback" not in run.stderr
    assert not out.exists()
    assert run_json(cli, "video", "list") == []


def test_a_sheet_of_good_media_still_passes(cli: CLI, tmp_path: Path, media: Path) -> None:
    # A JPEG a few bytes short still decodes (ffmpeg shows what it has): not refused.
    (media / "short.jpg").write_bytes((media / "good.jpg").read_bytes()[:-64])
    path = write_sheet(tmp_path, ["good.jpg", "good.png", "short.jpg"])
    result = cli("bulk", str(path), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "3 videos" in result.stderr


def test_a_clip_that_is_only_a_header_and_music_that_is_not_audio(
    cli: CLI, tmp_path: Path, media: Path
) -> None:
    path = tmp_path / "videos.csv"
    path.write_text(
        "title,script,quality,media,music\n"
        "One,Tide pools hold whole worlds.,draft,media/empty.mp4|media/good.jpg,videos.csv\n",
        encoding="utf-8",
    )
    result = cli("bulk", str(path), "--dry-run", env=WIDE)
    assert result.exit_code == 2, result.stderr
    assert problem_lines(result.stderr) == [
        f"2 media {media / 'empty.mp4'}: a damaged or truncated MP4/MOV video or audio file: "
        "ffmpeg cannot read it",
        f"2 music {path} is not an audio file ffmpeg can read",
    ]


def test_video_generate_refuses_media_that_does_not_decode_before_rendering(cli: CLI, media: Path) -> None:
    result = cli("video", "generate", "--text", "One line.", "--media", str(media / "garbage.jpg"))
    assert result.exit_code == 2, result.stderr
    assert f"media[0]: {media / 'garbage.jpg'}: {GARBAGE_JPEG}" in said(result.stderr)
    assert run_json(cli, "video", "list") == []


def test_upload_of_a_file_that_does_not_decode_is_a_400_naming_it(
    engine: EngineServer, register, media: Path
) -> None:  # type: ignore[no-untyped-def]
    account: Account = register()
    headers = {"Authorization": f"Bearer {account.access_token}"}
    url = f"{engine.url}/api/v1/media/upload"
    for name, reason in (("garbage.jpg", GARBAGE_JPEG), ("cut.png", CUT_PNG)):
        with (media / name).open("rb") as handle:
            response = httpx.post(url, headers=headers, files={"file": (name, handle, "image/jpeg")})
        assert response.status_code == 400, response.text
        body = response.json()
        assert body["error"] == "VALIDATION_ERROR" and body["field"] == "file" and body["request_id"]
        assert body["message"].startswith(f"{name}: {reason}")
    with (media / "good.png").open("rb") as handle:
        good = httpx.post(url, headers=headers, files={"file": ("good.png", handle, "image/png")})
    assert good.status_code == 201, good.text
    listed = httpx.get(f"{engine.url}/api/v1/media/user", headers=headers).json()
    assert [item["name"] for item in listed["media"]] == ["good.png"]


def test_check_endpoint_answers_what_a_video_request_would_be_refused_for(
    engine: EngineServer, register, media: Path
) -> None:  # type: ignore[no-untyped-def]
    account: Account = register()
    headers = {"Authorization": f"Bearer {account.access_token}"}
    with (media / "good.png").open("rb") as handle:
        uploaded = httpx.post(
            f"{engine.url}/api/v1/media/upload", headers=headers, files={"file": ("good.png", handle)}
        ).json()
    files = [
        {"value": uploaded["id"], "use": "media"},
        {"value": "med_nobodys", "use": "media"},
        {"value": str(media / "good.jpg"), "use": "media"},
    ]
    response = httpx.post(f"{engine.url}/api/v1/media/check", headers=headers, json={"files": files})
    assert response.status_code == 200, response.text
    problems = [result["problem"] for result in response.json()["results"]]
    assert problems[0] is None
    assert problems[1] == "no media 'med_nobodys' in your library (see `ss media list`)"
    # A server that does not share the user's disk says so, as creating the video would.
    assert problems[2] is not None and "does not read local paths" in problems[2]
    empty = httpx.post(f"{engine.url}/api/v1/media/check", headers=headers, json={"files": []})
    assert empty.status_code == 400 and empty.json()["error"] == "VALIDATION_ERROR"


def test_dry_run_against_a_remote_server_asks_it(server_cli: CLI, tmp_path: Path, media: Path) -> None:
    """The thin client cannot decode anything itself: the server's answer is what it reports."""
    path = write_sheet(tmp_path, ["good.jpg", "garbage.jpg"])
    result = server_cli("bulk", str(path), "--dry-run", env=WIDE)
    assert result.exit_code == 2, result.stderr
    lines = problem_lines(result.stderr)
    assert [line.split()[:2] for line in lines] == [["2", "media"], ["3", "media"]]
    assert all("upload the file as media first" in line for line in lines)

    uploaded = run_json(server_cli, "media", "upload", str(media / "good.jpg"))
    library = tmp_path / "library.csv"
    library.write_text(f"title,script,media\nOne,Tide pools hold whole worlds.,{uploaded[0]['id']}\n")
    assert server_cli("bulk", str(library), "--dry-run").exit_code == 0
