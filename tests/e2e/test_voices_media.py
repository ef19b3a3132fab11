"""Voices and media end to end: real uploads, real espeak-ng and piper, real ffmpeg, the real engine."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
import wave
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from scriptsensei_cli.client import BadRequestError, NotFoundError, ScriptSensei
from scriptsensei_cli.client.realtime import follow_job
from scriptsensei_cli.contract import GenerateVideoRequest
from scriptsensei_cli.engine.config import EngineConfig
from scriptsensei_cli.engine.render.ffmpeg import ffmpeg_exe, probe
from scriptsensei_cli.engine.render.voicematch import decode_mono, profile
from scriptsensei_cli.engine.server import EngineServer
from tests.conftest import CLI, PASSWORD, SAMPLES

MEDIA_SAMPLES = SAMPLES / "media"
SS = Path(sys.executable).with_name("ss")
# About 15 s of Joe: long enough for voice matching (10 s minimum).
LONG_TEXT = (
    "Welcome back to the channel. Today we look at three simple ways to save money on groceries. "
    "First, plan your meals for the week before you shop. Second, buy store brands, because they are "
    "often made in the same factories. Third, never shop hungry, since everything looks like a good idea."
)


def lavfi(path: Path, source: str, *extra: str) -> Path:
    subprocess.run(
        [ffmpeg_exe(), "-loglevel", "error", "-y", "-f", "lavfi", "-i", source, *extra, str(path)], check=True
    )
    return path


def shift_pitch(source: Path, target: Path, semitones: float) -> Path:
    factor = 2 ** (semitones / 12)
    subprocess.run(
        [ffmpeg_exe(), "-loglevel", "error", "-y", "-i", str(source), "-af",
         f"asetrate={22050 * factor:.0f},aresample=22050,atempo={1 / factor:.6f}", str(target)],
        check=True,
    )  # fmt: skip
    return target


def semitones_between(low_hz: float, high_hz: float) -> float:
    import math

    return 12 * math.log2(high_hz / low_hz)


@pytest.fixture(scope="module")
def small_limits(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineServer]:
    """An engine that refuses uploads over 200 kB, to prove the limit without gigabytes."""
    config = EngineConfig(
        data_dir=tmp_path_factory.mktemp("limits"),
        signup_open=True,
        max_upload_bytes=200_000,
        max_voice_sample_bytes=200_000,
    )
    with EngineServer(config) as server:
        yield server


def token_for(server: EngineServer, email: str) -> str:
    with ScriptSensei(server.url) as client:
        return client.auth.register(email, PASSWORD).access_token


# -- media uploads ------------------------------------------------------------------------------------


def test_upload_list_get_download_and_delete(cli: CLI, tmp_path: Path) -> None:
    clip = lavfi(tmp_path / "Beach_Sunset-clip.mp4", "testsrc2=s=320x240:d=2", "-pix_fmt", "yuv420p")
    result = cli("media", "upload", str(MEDIA_SAMPLES / "deep-sea.jpg"), str(clip), "--json")
    assert result.exit_code == 0, result.stderr
    image, video = json.loads(result.stdout)
    assert (image["type"], image["width"], image["height"]) == ("image", 1280, 720)
    assert (video["type"], video["width"], video["height"]) == ("video", 320, 240)
    assert abs(video["duration"] - 2.0) < 0.1 and video["tags"] == ["beach", "sunset", "clip"]
    assert video["thumbnail_url"] and image["name"] == "deep-sea.jpg"
    assert "\x1b[" not in result.stderr  # no bars when stderr is not a terminal

    listed = json.loads(cli("media", "list", "--type", "video", "--json").stdout)
    assert [item["id"] for item in listed] == [video["id"]]
    fetched = cli("media", "download", image["id"], "--out", str(tmp_path / "dl"))
    saved = Path(fetched.stdout.strip())
    assert saved.read_bytes() == (MEDIA_SAMPLES / "deep-sea.jpg").read_bytes()
    thumb = Path(cli("media", "download", video["id"], "--thumbnail", "--out", str(tmp_path)).stdout.strip())
    assert probe(thumb).width == 320

    assert cli("media", "delete", image["id"], "--yes").exit_code == 0
    gone = cli("media", "get", image["id"])
    assert gone.exit_code == 5 and image["id"] in gone.stderr


def test_upload_shows_a_bar_per_file_on_a_terminal(tmp_path: Path) -> None:
    """`ss media upload` in a real pseudo-terminal: Rich draws a bar per file with bytes and a rate."""
    env = {
        **os.environ,
        "SCRIPTSENSEI_CONFIG_DIR": str(tmp_path / "config"),
        "SCRIPTSENSEI_DATA_DIR": str(tmp_path / "data"),
        "COLUMNS": "120",
        "TERM": "xterm-256color",
    }
    env.pop("SCRIPTSENSEI_API_URL", None)
    clip = lavfi(tmp_path / "clip.mp4", "testsrc2=s=640x360:d=3", "-pix_fmt", "yuv420p")
    pid, fd = pty.fork()
    if pid == 0:  # the child: `ss` with a terminal on stdin, stdout and stderr
        os.execve(
            str(SS), [str(SS), "media", "upload", str(clip), str(MEDIA_SAMPLES / "glow-serum.jpg")], env
        )
    output = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
    _, status = os.waitpid(pid, 0)
    text = output.decode(errors="replace")
    assert os.waitstatus_to_exitcode(status) == 0, text
    assert "clip.mp4" in text and "glow-serum.jpg" in text
    assert "/s" in text and ("kB" in text or "MB" in text)  # transfer column and rate
    assert "━" in text  # the bar itself


def test_a_text_file_named_wav_is_refused_with_415(cli: CLI, tmp_path: Path) -> None:
    fake = tmp_path / "voice.wav"
    fake.write_text("this is not audio at all\n")
    result = cli("media", "upload", str(fake))
    assert result.exit_code == 2
    assert "voice.wav: expected an image or a video, found text (UTF-8), not media" in result.stderr
    clone = cli("voice", "clone", "Fake", str(fake))
    assert clone.exit_code == 2 and "expected audio, found text (UTF-8)" in clone.stderr
    assert not list((Path(os.environ["SCRIPTSENSEI_DATA_DIR"]) / "engine").rglob("*.part*"))


def test_an_oversized_upload_is_refused_while_streaming(small_limits: EngineServer, tmp_path: Path) -> None:
    token = token_for(small_limits, "big@example.com")
    headers = {"Authorization": f"Bearer {token}"}
    boundary = "xyz"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    sent = 0

    def body() -> Iterator[bytes]:  # chunked: no Content-Length, so only streaming can catch it
        nonlocal sent
        yield head
        for _ in range(80):  # 5 MB in 64 kB pieces
            sent += 65536
            yield b"\xff" * 65536
        yield f"\r\n--{boundary}--\r\n".encode()

    response = httpx.post(
        f"{small_limits.url}/api/v1/media/upload",
        content=body(),
        headers={**headers, "Content-Type": f"multipart/form-data; boundary={boundary}"},
        timeout=60,
    )
    assert response.status_code == 413, response.text
    assert response.json()["error"] == "PAYLOAD_TOO_LARGE"
    assert response.json()["message"] == "the upload is larger than the 195 kB limit"
    media_root = small_limits.config.data_dir / "media"
    assert not [p for p in media_root.rglob("*") if p.is_file()]  # the partial file is gone

    declared = tmp_path / "big.jpg"
    declared.write_bytes(b"\xff\xd8\xff" + b"\0" * 400_000)
    env = {"SCRIPTSENSEI_API_URL": small_limits.url, "SCRIPTSENSEI_TOKEN": token}
    result = CLI(env)("media", "upload", str(declared))
    assert result.exit_code == 2 and "larger than the 195 kB limit" in result.stderr


def test_path_traversal_in_a_file_name_is_stored_under_a_generated_name(engine, register) -> None:  # type: ignore[no-untyped-def]
    account = register()
    jpeg = (MEDIA_SAMPLES / "glow-serum.jpg").read_bytes()
    response = httpx.post(
        f"{engine.url}/api/v1/media/upload",
        headers={"Authorization": f"Bearer {account.access_token}"},
        files={"file": ("../../../../escape.jpg", jpeg, "image/jpeg")},
        timeout=60,
    )
    assert response.status_code == 201, response.text
    item = response.json()
    assert item["name"] == "escape.jpg"
    data_dir = engine.config.data_dir
    stored = list((data_dir / "media" / account.user_id).glob(f"{item['id']}.*"))
    assert [p.suffix for p in sorted(stored)] == [".jpg", ".jpg"]  # the file and its thumbnail
    assert not list(data_dir.parent.glob("escape.jpg")) and not (data_dir / "escape.jpg").exists()


def test_media_is_private_to_its_owner(engine, register) -> None:  # type: ignore[no-untyped-def]
    alice, bob = register(), register()
    with (
        ScriptSensei(engine.url, token=alice.access_token) as a,
        ScriptSensei(engine.url, token=bob.access_token) as b,
    ):
        item = a.media.upload(MEDIA_SAMPLES / "glow-serum.jpg")
        assert b.media.list().total == 0
        for call in (lambda: b.media.get(item.id), lambda: b.media.delete(item.id)):
            with pytest.raises(NotFoundError):
                call()
        with pytest.raises(BadRequestError, match="no media"):
            b.videos.generate(GenerateVideoRequest(script="Hello there.", quality="draft", media=[item.id]))
        assert a.media.get(item.id).id == item.id


def test_media_ids_render_and_deletion_waits_for_the_job(engine, register, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    account = register()
    env = {"SCRIPTSENSEI_API_URL": engine.url, "SCRIPTSENSEI_TOKEN": account.access_token}
    server = CLI(env)
    item = json.loads(server("media", "upload", str(MEDIA_SAMPLES / "deep-sea.jpg"), "--json").stdout)[0]
    queued = server(
        "video", "generate", "--text", "One picture, one line.", "--quality", "draft",
        "--media", item["id"], "--no-wait", "--json",
    )  # fmt: skip
    assert queued.exit_code == 0, queued.stderr
    video_id = json.loads(queued.stdout)["video_id"]
    busy = server("media", "delete", item["id"], "--yes")
    message = " ".join(busy.stderr.split())
    assert busy.exit_code == 1 and "still queued or rendering" in message and video_id in message
    with ScriptSensei(engine.url, token=account.access_token) as client:
        list(follow_job(client, video_id, timeout=120))
        assert client.videos.get(video_id).status == "completed"
        scenes = client.videos.scenes(video_id)
    assert scenes[0].media is not None and scenes[0].media.startswith(str(engine.config.data_dir))
    assert server("media", "delete", item["id"], "--yes").exit_code == 0

    sheet = tmp_path / "videos.csv"
    other = json.loads(server("media", "upload", str(MEDIA_SAMPLES / "glow-serum.jpg"), "--json").stdout)[0]
    sheet.write_text(
        f"title,script,media,quality\nFrom the library,A short line to narrate.,{other['id']},draft\n"
    )
    result = server("bulk", str(sheet), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    sidecar = json.loads((tmp_path / "out" / "From-the-library.json").read_text())
    assert [(entry["source"], entry["media_id"]) for entry in sidecar["media"]] == [("media", other["id"])]
    assert "path" not in sidecar["media"][0]  # the server's copy stays on the server


# -- voices ------------------------------------------------------------------------------------------


def test_voice_list_filters_and_preview(cli: CLI, tmp_path: Path) -> None:
    hindi = json.loads(cli("voice", "list", "--language", "hi", "--gender", "female", "--json").stdout)
    assert [(v["id"], v["quality"], v["provider"]) for v in hindi] == [("espeak-hi-f", "basic", "espeak-ng")]
    every = json.loads(cli("voice", "list", "--json").stdout)
    assert len(every) > 200 and every[0]["quality"] == "neural"  # neural first, then 100+ languages
    assert {"ja", "hi", "ne", "es"} <= {v["language"].split("-")[0] for v in every}

    out = tmp_path / "hi.wav"
    result = cli("voice", "preview", "espeak-hi", "--text", "नमस्ते दुनिया", "--out", str(out))
    assert result.exit_code == 0, result.stderr and result.stdout.strip() == str(out)
    with wave.open(str(out)) as audio:
        assert audio.getnframes() / audio.getframerate() > 0.5
    again = tmp_path / "again.wav"
    cli("voice", "preview", "espeak-hi", "--text", "नमस्ते दुनिया", "--out", str(again))
    assert again.read_bytes() == out.read_bytes()  # cached
    missing = cli("voice", "preview", "xx-nobody", "--out", str(tmp_path / "x.wav"))
    assert missing.exit_code == 5 and not (tmp_path / "x.wav").exists()


@pytest.mark.parametrize(
    ("language", "voice", "text", "needle"),
    [
        ("ja", "espeak-ja", "こんにちは。げんきですか。", "こんにちは"),
        ("hi", None, "नमस्ते दोस्तों। आज हम सीखेंगे।", "नमस्ते"),
        ("ja", None, "新しい機能を紹介します。とても簡単です。", "新しい"),  # neural: the [ja] extra
    ],
)
def test_other_languages_narrate_a_tiny_render(
    cli: CLI, tmp_path: Path, language: str, voice: str | None, text: str, needle: str
) -> None:
    chosen = ["--voice", voice] if voice else []
    result = cli(
        "video", "generate", "--text", text, "--language", language, *chosen, "--quality", "draft",
        "--out", str(tmp_path), "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    video = json.loads(result.stdout)
    assert video["voice"] == (voice or {"hi": "espeak-hi", "ja": "ja-jp-alpha"}[language])
    info = probe(next(tmp_path.glob("*.mp4")), measure_volume=True)
    assert info.mean_volume_db is not None and info.mean_volume_db > -40
    assert needle in next(tmp_path.glob("*.srt")).read_text()


def test_voice_match_clone_renders_at_the_measured_pitch(cli: CLI, tmp_path: Path) -> None:
    plain = tmp_path / "joe.wav"
    assert cli("voice", "preview", "en-us-joe", "--text", LONG_TEXT, "--out", str(plain)).exit_code == 0
    sample = shift_pitch(plain, tmp_path / "me.wav", 4.0)

    result = cli("voice", "clone", "Higher me", str(sample), "--description", "test", "--json")
    assert result.exit_code == 0, result.stderr
    voice = json.loads(result.stdout)
    assert voice["method"] == "voice_match" and voice["custom"] is True and voice["base_voice"] == "en-us-joe"
    assert 3.0 <= voice["pitch_semitones"] <= 5.0, voice
    assert voice["id"] in [v["id"] for v in json.loads(cli("voice", "list", "--json").stdout)[:3]]

    pitches = {}
    for voice_id in ("en-us-joe", voice["id"]):
        out = tmp_path / voice_id
        rendered = cli(
            "video", "generate", "--text", "Listen to how high this voice is speaking today.",
            "--voice", voice_id, "--quality", "draft", "--captions", "none", "--out", str(out), "--json",
        )  # fmt: skip
        assert rendered.exit_code == 0, rendered.stderr
        pitches[voice_id] = profile(decode_mono(next(out.glob("*.mp4")))).pitch_hz
    assert semitones_between(pitches["en-us-joe"], pitches[voice["id"]]) > 2.5, pitches

    assert cli("voice", "delete", voice["id"], "--yes").exit_code == 0
    assert cli("voice", "get", voice["id"]).exit_code == 5
    built_in = cli("voice", "delete", "en-us-joe", "--yes")
    assert built_in.exit_code == 2 and "built in" in built_in.stderr


def test_a_short_sample_is_refused_with_the_minimum(cli: CLI, tmp_path: Path) -> None:
    short = tmp_path / "short.wav"
    assert cli("voice", "preview", "en-us-joe", "--text", "Too short.", "--out", str(short)).exit_code == 0
    result = cli("voice", "clone", "Short", str(short))
    assert result.exit_code == 2 and "at least 10 s" in result.stderr


def test_custom_voices_are_private_to_their_owner(engine, register, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    alice, bob = register(), register()
    with (
        ScriptSensei(engine.url, token=alice.access_token) as a,
        ScriptSensei(engine.url, token=bob.access_token) as b,
    ):
        plain = a.voices.preview("en-us-joe", tmp_path / "joe.wav", text=LONG_TEXT)
        voice = a.voices.clone("Alice", shift_pitch(plain, tmp_path / "alice.wav", -2.0))
        assert voice.id not in [v.id for v in b.voices.all()]
        for call in (lambda: b.voices.get(voice.id), lambda: b.voices.delete(voice.id)):
            with pytest.raises(NotFoundError):
                call()
        with pytest.raises(BadRequestError, match="unknown voice"):
            b.videos.generate(GenerateVideoRequest(script="Hello there.", quality="draft", voice=voice.id))
        assert a.voices.get(voice.id).pitch_semitones is not None


# -- stock and generated media ------------------------------------------------------------------------


def test_stock_search_in_the_local_library_and_import(cli: CLI, tmp_path: Path) -> None:
    folder = tmp_path / "library" / "Oceans"
    folder.mkdir(parents=True)
    (folder / "DeepSea_diver.jpg").write_bytes((MEDIA_SAMPLES / "deep-sea.jpg").read_bytes())
    (folder / "serum-bottle.jpg").write_bytes((MEDIA_SAMPLES / "glow-serum.jpg").read_bytes())
    env = {"SCRIPTSENSEI_MEDIA_LIBRARY": str(tmp_path / "library")}
    found = cli("media", "stock", "diver", "--json", env=env)
    assert found.exit_code == 0, found.stderr
    items = json.loads(found.stdout)
    assert [item["title"] for item in items] == ["DeepSea diver"] and items[0]["id"].startswith("local:")
    assert {"oceans", "deep", "sea", "diver"} <= set(items[0]["tags"])
    portrait = json.loads(cli("media", "stock", "", "--orientation", "portrait", "--json", env=env).stdout)
    assert [item["title"] for item in portrait] == ["serum bottle"]

    imported = cli("media", "import", items[0]["id"], "--json", env=env)
    assert imported.exit_code == 0, imported.stderr
    media = json.loads(imported.stdout)[0]
    assert media["source"] == "stock" and media["licence"] == "local" and media["width"] == 1280
    unknown = cli("media", "import", "pexels:999", env=env)
    assert unknown.exit_code == 5 and "search first" in unknown.stderr


def test_generated_media_is_deterministic(engine, register) -> None:  # type: ignore[no-untyped-def]
    from scriptsensei_cli.contract import GenerateMediaRequest

    account = register()
    with ScriptSensei(engine.url, token=account.access_token) as client:
        request = GenerateMediaRequest(prompt="ocean sunset", style="geometric", width=270, height=480)
        first, second = client.media.generate(request), client.media.generate(request)
        other = client.media.generate(request.model_copy(update={"prompt": "forest morning"}))
        assert first.id != second.id and first.sha256 == second.sha256 and other.sha256 != first.sha256
        assert (first.width, first.height, first.source, first.style) == (270, 480, "generated", "geometric")
        with pytest.raises(BadRequestError, match="no image service"):
            client.media.generate(request.model_copy(update={"provider": "openai"}))


def test_a_cloning_provider_without_a_key_is_named(cli: CLI, tmp_path: Path) -> None:
    sample = tmp_path / "me.wav"
    assert cli("voice", "preview", "en-us-joe", "--text", LONG_TEXT, "--out", str(sample)).exit_code == 0
    result = cli("voice", "clone", "Mine", str(sample), "--method", "elevenlabs")
    assert result.exit_code == 2 and "SCRIPTSENSEI_ELEVENLABS_API_KEY" in result.stderr


def test_a_refused_file_among_several_is_named_once(cli: CLI, tmp_path: Path) -> None:
    fake = tmp_path / "fake.jpg"
    fake.write_text("this is not an image at all\n")
    result = cli("media", "upload", str(MEDIA_SAMPLES / "deep-sea.jpg"), str(fake))
    assert result.exit_code == 6, result.stderr
    [line] = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert line == f"error: {fake}: expected an image or a video, found text (UTF-8), not media"
