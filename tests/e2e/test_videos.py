"""Videos end to end: real piper, real ffmpeg, the real engine and its job runtime, at draft size."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import httpx
import pytest
import socketio

from scriptsensei_cli.client import NotFoundError, ScriptSensei
from scriptsensei_cli.client.realtime import follow_job
from scriptsensei_cli.contract import GenerateVideoRequest
from scriptsensei_cli.engine.render.ffmpeg import probe
from tests.conftest import CLI

TWO_SENTENCES = "Tiny videos render fast. Captions follow every word."


def srt_times(text: str) -> list[float]:
    stamps = re.findall(r"(\d\d):(\d\d):(\d\d),(\d\d\d)", text)
    return [int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000 for h, m, s, ms in stamps]


def test_generate_waits_and_downloads_a_checked_video(cli: CLI, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = cli(
        "video",
        "generate",
        "--text",
        TWO_SENTENCES,
        "--title",
        "Tiny test",
        "--quality",
        "draft",
        "--out",
        str(out),
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    video = json.loads(result.stdout)
    assert video["status"] == "completed" and video["width"] == 270 and video["height"] == 480
    mp4 = next(out.glob("*.mp4"))
    assert mp4.name == f"Tiny-test-{video['id'][-6:]}.mp4"  # named as `ss bulk` names its files
    info = probe(mp4, measure_volume=True)
    assert (info.video_streams, info.audio_streams) == (1, 1)
    assert (info.width, info.height, info.fps) == (270, 480, 30.0)
    assert info.duration is not None and abs(info.duration - video["duration"]) <= 0.2
    assert info.mean_volume_db is not None and info.mean_volume_db > -40
    srt = next(out.glob("*.srt")).read_text()
    times = srt_times(srt)
    assert times and min(times) >= 0 and max(times) <= video["duration"]
    assert "Captions" in srt and next(out.glob("*.vtt")).read_text().startswith("WEBVTT")
    assert next(out.glob("*.jpg")).stat().st_size > 1000
    assert not list(out.glob(".*part*"))


def test_events_arrive_in_order_with_monotonic_progress(engine, register) -> None:  # type: ignore[no-untyped-def]
    account = register()
    with ScriptSensei(engine.url, token=account.access_token) as client:
        job = client.videos.generate(GenerateVideoRequest(script=TWO_SENTENCES, quality="draft"))
        events = list(follow_job(client, job.video_id, timeout=120))
    names = [name for name, _ in events]
    assert names[-1] == "processing_completed" and names.count("processing_completed") == 1
    seqs = [event.seq for _, event in events]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    progress = [event.progress for name, event in events if name == "progress_update"]  # type: ignore[attr-defined]
    assert progress == sorted(progress)


def ffmpeg_processes_for(marker: str) -> list[int]:
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if "ffmpeg" in cmdline and marker in cmdline:
                found.append(int(pid))
    return found


def test_cancel_stops_ffmpeg_and_leaves_no_output(engine, register) -> None:  # type: ignore[no-untyped-def]
    account = register()
    long_text = " ".join(f"Sentence number {i} keeps the encoder busy for a while." for i in range(12))
    with ScriptSensei(engine.url, token=account.access_token) as client:
        job = client.videos.generate(GenerateVideoRequest(script=long_text, quality="high", captions=None))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            video = client.videos.get(job.video_id)
            if video.stage == "render" and ffmpeg_processes_for(job.job_id):
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"the render never reached ffmpeg: {video}")
        client.videos.cancel(job.video_id)
        deadline = time.monotonic() + 20
        while client.videos.get(job.video_id).status != "cancelled" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert client.videos.get(job.video_id).status == "cancelled"
        assert ffmpeg_processes_for(job.job_id) == []
        # Nothing half-made is left: neither the partial video nor the thumbnail drawn beside it.
        output_dir = engine.config.data_dir / "videos" / account.user_id / job.video_id
        leftovers = sorted(path.name for path in output_dir.glob("*")) if output_dir.exists() else []
        assert leftovers == []
        with pytest.raises(Exception, match="not completed"):
            client.videos.download(job.video_id, Path("/tmp/never.mp4"))


def test_a_restart_requeues_an_orphaned_job(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from scriptsensei_cli.engine.config import EngineConfig
    from scriptsensei_cli.engine.server import EngineServer
    from scriptsensei_cli.engine.store.db import Database
    from scriptsensei_cli.engine.store.models import Job

    config = EngineConfig(data_dir=tmp_path, signup_open=True)
    with EngineServer(config) as server, ScriptSensei(server.url) as anonymous:
        token = anonymous.auth.register("crash@example.com", "password-1234").access_token
        with ScriptSensei(server.url, token=token) as client:
            job = client.videos.generate(GenerateVideoRequest(script=TWO_SENTENCES, quality="draft"))
            client.videos.cancel(job.video_id)  # stop this engine from rendering it
    # Make it look like a worker took the job and died (kill -9): processing, lease expired.
    db = Database(config.resolved_database_url)
    with db.session() as session:
        row = session.get(Job, job.job_id)
        assert row is not None
        row.status, row.worker, row.cancel_requested = "processing", "dead-host:1", False
        row.lease_expires_at = datetime.now(UTC) - timedelta(seconds=1)
    db.dispose()
    # What the killed attempt left in its scratch folder, and a folder of a job long gone.
    for name in (f"{job.job_id}-deadbeef", "job_0123456789abcdef01234567-0badf00d"):
        (tmp_path / "work" / name).mkdir(parents=True)
        (tmp_path / "work" / name / "scene_000.mp4").write_bytes(b"\0" * 250_000)
    with (
        EngineServer(EngineConfig(data_dir=tmp_path)) as server,
        ScriptSensei(server.url, token=token) as client,
    ):
        final = list(follow_job(client, job.video_id, timeout=120))[-1]
        assert final[0] == "processing_completed"
    assert list((tmp_path / "work").iterdir()) == []  # the dead attempts' folders went, and the new one's


def test_the_sweeper_removes_the_scratch_of_a_dead_attempt_only(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from scriptsensei_cli.engine.config import EngineConfig
    from scriptsensei_cli.engine.jobs.runtime import JobRuntime
    from scriptsensei_cli.engine.server import EngineServer
    from scriptsensei_cli.engine.store.db import Database
    from scriptsensei_cli.engine.store.models import Job

    config = EngineConfig(data_dir=tmp_path, signup_open=True)
    with EngineServer(config) as server, ScriptSensei(server.url) as anonymous:
        token = anonymous.auth.register("sweep@example.com", "password-1234").access_token
        with ScriptSensei(server.url, token=token) as client:
            jobs = [client.videos.generate(GenerateVideoRequest(script=TWO_SENTENCES)) for _ in range(2)]
            for job in jobs:
                client.videos.cancel(job.video_id)
    dead, alive = (job.job_id for job in jobs)
    db = Database(config.resolved_database_url)
    with db.session() as session:  # both taken by workers on other hosts; one of them died
        for job_id, lease in ((dead, -1), (alive, 60)):
            row = session.get(Job, job_id)
            assert row is not None
            row.status, row.worker, row.cancel_requested = "processing", f"other-host:1:{job_id}", False
            row.lease_expires_at = datetime.now(UTC) + timedelta(seconds=lease)
    folders = {job_id: tmp_path / "work" / f"{job_id}-0123abcd" for job_id in (dead, alive)}
    for folder in folders.values():
        folder.mkdir(parents=True)
        (folder / "voice.wav").write_bytes(b"\0" * 1000)
    runtime = JobRuntime(db, tmp_path, consume=False)
    try:
        runtime.sweep()
    finally:
        runtime.stop()
        db.dispose()
    assert not folders[dead].exists()
    assert (folders[alive] / "voice.wav").is_file()  # a live attempt's folder is its own


def test_user_b_cannot_see_user_a_video(engine, register) -> None:  # type: ignore[no-untyped-def]
    alice, bob = register(), register()
    with (
        ScriptSensei(engine.url, token=alice.access_token) as a,
        ScriptSensei(engine.url, token=bob.access_token) as b,
    ):
        job = a.videos.generate(GenerateVideoRequest(script=TWO_SENTENCES, quality="draft"))
        for call in (
            lambda: b.videos.get(job.video_id),
            lambda: b.videos.scenes(job.video_id),
            lambda: b.videos.cancel(job.video_id),
        ):
            with pytest.raises(NotFoundError):
                call()
        response = httpx.get(
            f"{engine.url}/api/v1/videos/{job.video_id}/download",
            headers={"Authorization": f"Bearer {bob.access_token}"},
        )
        assert response.status_code == 404
        sio = socketio.Client(reconnection=False)
        sio.connect(engine.url, auth={"token": bob.access_token}, socketio_path="socket.io", wait_timeout=10)
        try:
            answer = sio.call("subscribe_to_job", {"job_id": job.job_id}, timeout=10)
        finally:
            sio.disconnect()
        assert answer["ok"] is False and answer["error"] == "NOT_FOUND"
        list(follow_job(a, job.video_id, timeout=120))


def test_download_supports_range_requests(engine, register) -> None:  # type: ignore[no-untyped-def]
    account = register()
    headers = {"Authorization": f"Bearer {account.access_token}"}
    with ScriptSensei(engine.url, token=account.access_token) as client:
        job = client.videos.generate(
            GenerateVideoRequest(script=TWO_SENTENCES, quality="draft", title="Range test")
        )
        list(follow_job(client, job.video_id, timeout=120))
    url = f"{engine.url}/api/v1/videos/{job.video_id}/download"
    whole = httpx.get(url, headers=headers)
    assert (
        whole.headers["content-type"] == "video/mp4"
        and 'filename="Range-test.mp4"' in whole.headers["content-disposition"]
    )
    part = httpx.get(url, headers={**headers, "Range": "bytes=0-99"})
    assert part.status_code == 206 and part.content == whole.content[:100]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--voice", "en-us-nobody"], "voice"),
        (["--captions", "comic-sans"], "captions"),
        (["--quality", "ultra"], "quality"),
        (["--aspect-ratio", "2:1"], "aspect_ratio"),
        (["--media", "/no/such/picture.jpg"], "/no/such/picture.jpg"),
        (["--language", "xx"], "xx"),
        (["--voice", "espeak-hi"], "voice"),
    ],
)
def test_bad_input_exits_2_naming_the_field(cli: CLI, args: list[str], needle: str) -> None:
    result = cli("video", "generate", "--text", TWO_SENTENCES, "--quality", "draft", *args)
    assert result.exit_code == 2, result.stderr
    assert needle in result.stderr and "Traceback" not in result.stderr


def test_script_over_the_platform_maximum_is_refused(cli: CLI) -> None:
    long_text = "This sentence has exactly eight words in it. " * 70
    result = cli("video", "generate", "--text", long_text, "--platform", "tiktok")
    assert result.exit_code == 2 and "180 s" in result.stderr


def lavfi(path: Path, source: str, *extra: str) -> Path:
    import subprocess

    from scriptsensei_cli.engine.render.ffmpeg import ffmpeg_exe

    subprocess.run(
        [ffmpeg_exe(), "-loglevel", "error", "-y", "-f", "lavfi", "-i", source, *extra, str(path)], check=True
    )
    return path


def test_user_clip_and_music_with_fade_transitions(cli: CLI, tmp_path: Path) -> None:
    clip = lavfi(tmp_path / "clip.mp4", "testsrc2=s=640x360:d=1.5", "-pix_fmt", "yuv420p")
    still = lavfi(tmp_path / "still.png", "mandelbrot=s=800x600", "-frames:v", "1")
    music = lavfi(tmp_path / "music.wav", "sine=frequency=440:duration=3")
    text = "The first scene uses a short looping clip here. The second scene uses a still picture that pans."
    result = cli(
        "video",
        "generate",
        "--text",
        text,
        "--quality",
        "draft",
        "--media",
        str(clip),
        "--media",
        str(still),
        "--music",
        str(music),
        "--transition",
        "fade",
        "--captions",
        "karaoke",
        "--out",
        str(tmp_path / "out"),
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    video = json.loads(result.stdout)
    info = probe(next((tmp_path / "out").glob("*.mp4")), measure_volume=True)
    assert abs((info.duration or 0) - video["duration"]) <= 0.2 and info.mean_volume_db is not None
    scenes = json.loads(cli("video", "scenes", video["id"], "--json").stdout)
    assert [s["media"] for s in scenes] == [str(clip), str(still)]
    assert abs(sum(s["duration"] for s in scenes) - video["duration"]) < 0.01


def test_watch_prints_ndjson_when_piped_and_wait_times_out(engine, register) -> None:  # type: ignore[no-untyped-def]
    account = register()
    server = CLI({"SCRIPTSENSEI_API_URL": engine.url, "SCRIPTSENSEI_TOKEN": account.access_token})
    queued = server("video", "generate", "--text", TWO_SENTENCES, "--quality", "draft", "--no-wait", "--json")
    assert queued.exit_code == 0, queued.stderr
    video_id = json.loads(queued.stdout)["video_id"]
    timed_out = server("video", "wait", video_id, "--timeout", "0.01")
    assert timed_out.exit_code == 8 and f"ss video wait {video_id}" in timed_out.stderr
    watched = server("video", "watch", video_id)
    assert watched.exit_code == 0, watched.stderr
    events = [json.loads(line) for line in watched.stdout.splitlines()]
    assert events[-1]["event"] == "processing_completed" and all(
        e["job_id"] == events[0]["job_id"] for e in events
    )
    listed = json.loads(server("video", "list", "--status", "completed", "--json").stdout)
    assert [v["id"] for v in listed] == [video_id]


def test_edit_a_scene_and_render_again(engine, register, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    account = register()
    server = CLI({"SCRIPTSENSEI_API_URL": engine.url, "SCRIPTSENSEI_TOKEN": account.access_token})
    first = json.loads(
        server(
            "video",
            "generate",
            "--text",
            TWO_SENTENCES,
            "--quality",
            "draft",
            "--json",
            "--out",
            str(tmp_path),
        ).stdout
    )
    edited = server(
        "video",
        "update-scene",
        first["id"],
        "0",
        "--text",
        "A brand new opening line for this video.",
        "--json",
    )
    assert edited.exit_code == 0, edited.stderr
    again = server("video", "render", first["id"], "--out", str(tmp_path / "again"), "--json")
    assert again.exit_code == 0, again.stderr
    second = json.loads(again.stdout)
    assert second["job_id"] != first["job_id"] and second["status"] == "completed"
    srt = next((tmp_path / "again").glob("*.srt")).read_text()
    assert "brand new" in srt
    assert server("video", "delete", first["id"], "--yes").exit_code == 0
    assert server("video", "get", first["id"]).exit_code == 5


def test_voice_list_and_get(cli: CLI) -> None:
    voices = json.loads(cli("voice", "list", "--language", "en", "--quality", "neural", "--json").stdout)
    ids = [voice["id"] for voice in voices]
    assert "en-us-joe" in ids and all(v["quality"] == "neural" and v["language"] == "en-US" for v in voices)
    assert json.loads(cli("voice", "get", "en-us-joe-deep", "--json").stdout)["style"] == "authoritative"
    missing = cli("voice", "get", "xx-nobody")
    assert missing.exit_code == 5 and "xx-nobody" in missing.stderr
    japanese = json.loads(cli("voice", "list", "--language", "ja", "--quality", "basic", "--json").stdout)
    assert {(v["id"], v["gender"], v["quality"]) for v in japanese} == {
        ("espeak-ja", "male", "basic"),
        ("espeak-ja-f", "female", "basic"),
    }
    assert json.loads(cli("voice", "list", "--language", "xx", "--json").stdout) == []


def test_a_runtime_that_renders_loads_the_voice_before_the_first_job(tmp_path: Path) -> None:
    from scriptsensei_cli.engine.jobs.runtime import JobRuntime
    from scriptsensei_cli.engine.render.voices import voice_for
    from scriptsensei_cli.engine.store.db import Database

    db = Database(f"sqlite:///{tmp_path / 'engine.db'}")
    db.migrate()
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
    consuming, api_only = JobRuntime(db, tmp_path / "a"), JobRuntime(db, tmp_path / "b", consume=False)
    try:
        consuming.start()
        api_only.start()
        voice = voice_for("en")
        deadline = time.monotonic() + 60
        while not consuming.narrator().has_model(voice) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert consuming.narrator().has_model(voice), "no job was queued, yet the model should be loaded"
        assert api_only._narrator is None  # an API node that renders nothing loads nothing
    finally:
        consuming.stop()
        api_only.stop()
        db.dispose()


def test_caption_fonts_are_chosen_by_family_never_by_path(engine, register) -> None:  # type: ignore[no-untyped-def]
    """`captions.font` names a family from GET /fonts; a path, or an unknown family, gets a 400 on
    captions.font that lists a few families and says nothing of the server's disk."""
    account = register()
    headers = {"Authorization": f"Bearer {account.access_token}"}
    offered = httpx.get(f"{engine.url}/api/v1/fonts", headers=headers)
    assert offered.status_code == 200
    fonts = offered.json()
    assert fonts["default"] == "Roboto" == fonts["fonts"][0] and "Roboto Medium" in fonts["fonts"]
    assert httpx.get(f"{engine.url}/api/v1/fonts").status_code == 401

    def generate(font: str) -> httpx.Response:
        body = {"script": TWO_SENTENCES, "quality": "draft", "captions": {"font": font}}
        return httpx.post(f"{engine.url}/api/v1/videos/generate", json=body, headers=headers)

    for font in ("/etc/passwd", "/nonexistent/x.ttf", "../../etc/hosts", "~/.fonts/a.otf", "No Such Family"):
        refused = generate(font)
        assert refused.status_code == 400, (font, refused.text)
        body = refused.json()
        assert body["field"] == "captions.font" and "captions.font" in body["message"], body
        assert "Roboto" in body["message"] and "Roboto" in body["details"]["fonts"]
        said = body["message"].replace(repr(font), "") + json.dumps(body["details"])  # all but the echo
        assert not re.search(r"/usr/|/share/|\.fonts|/local/|/nonexistent|/etc", said), said
    assert "file path" in generate("/etc/passwd").json()["message"]
    with ScriptSensei(engine.url, token=account.access_token) as client:
        accepted = generate(" roboto   MEDIUM ")
        assert accepted.status_code == 202, accepted.text
        assert client.videos.fonts().fonts == fonts["fonts"]
        list(follow_job(client, accepted.json()["video_id"], timeout=120))
        assert client.videos.get(accepted.json()["video_id"]).status == "completed"

    cli = CLI({"SCRIPTSENSEI_API_URL": engine.url, "SCRIPTSENSEI_TOKEN": account.access_token})
    listed = cli("video", "fonts", "--json")
    assert listed.exit_code == 0, listed.stderr
    assert [row["family"] for row in json.loads(listed.stdout)] == fonts["fonts"]
    topic = cli("help", "fonts")
    assert topic.exit_code == 0 and "ss video fonts" in topic.stdout
