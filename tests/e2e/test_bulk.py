"""`ss bulk` end to end: real engine, real piper and ffmpeg, at draft size."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from scriptsensei_cli.engine.render.ffmpeg import probe
from tests.conftest import CLI

HEADER = "title,script,platform,quality,output_name,product_name\n"
ROWS = [
    '"{{product_name}} launch","Meet {{product_name}}. It works while you sleep.",tiktok,draft,launch,Glow\n',
    '"Fact one","An octopus has three hearts.",youtube_shorts,draft,,\n',
    '"Fact two","Whales sing for hours.",youtube,draft,,\n',
]


def sheet(tmp_path: Path, rows: list[str] = ROWS) -> Path:
    path = tmp_path / "videos.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def test_three_rows_render_download_and_resume(cli: CLI, tmp_path: Path) -> None:
    path, out = sheet(tmp_path), tmp_path / "out"
    first = cli("bulk", str(path), "--out", str(out), "--events", str(tmp_path / "events.ndjson"))
    assert first.exit_code == 0, first.stderr
    mp4s = sorted(out.glob("*.mp4"))
    assert [p.name for p in mp4s] == ["Fact-one.mp4", "Fact-two.mp4", "launch.mp4"]
    for mp4 in mp4s:
        info = probe(mp4)
        assert (info.video_streams, info.audio_streams) == (1, 1) and info.duration and info.duration > 1
        assert mp4.with_suffix(".jpg").exists() and mp4.with_suffix(".srt").exists()
        sidecar = json.loads(mp4.with_suffix(".json").read_text())
        assert sidecar["sha256"] and sidecar["row"] in (2, 3, 4)
    assert probe(out / "Fact-two.mp4").width == 480  # youtube: 16:9 at draft size
    manifest = list(csv.DictReader((out / "results.csv").read_text(encoding="utf-8").splitlines()))
    assert [(m["row"], m["status"]) for m in manifest] == [
        ("2", "completed"),
        ("3", "completed"),
        ("4", "completed"),
    ]
    assert json.loads((out / "results.json").read_text())[0]["title"] == "Glow launch"
    events = [json.loads(line) for line in (tmp_path / "events.ndjson").read_text().splitlines()]
    assert events[0]["event"] == "bulk_submitted" and events[-1]["event"] == "bulk_finished"

    stamps = {p.name: p.stat().st_mtime_ns for p in mp4s}
    again = cli("bulk", str(path), "--out", str(out))
    assert again.exit_code == 0, again.stderr
    assert "3 already downloaded" in again.stderr
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.mp4")} == stamps
    assert len(json.loads(cli("video", "list", "--json").stdout)) == 3

    edited = sheet(
        tmp_path, [ROWS[0], ROWS[1].replace("three hearts", "three hearts and blue blood"), ROWS[2]]
    )
    third = cli("bulk", str(edited), "--out", str(out))
    assert third.exit_code == 0, third.stderr
    assert "2 already downloaded" in third.stderr
    assert len(json.loads(cli("video", "list", "--json").stdout)) == 4  # only the edited row rendered


def test_topic_rows_written_by_the_builtin_writer_get_one_notice(cli: CLI, tmp_path: Path) -> None:
    path = tmp_path / "topics.csv"
    path.write_text(
        "title,script,topic,platform,quality,duration\n"
        '"Brew","","cold brew coffee",tiktok,draft,15\n'
        '"Sleep","","sleep hygiene",tiktok,draft,15\n'
        '"Fact","An octopus has three hearts.","",tiktok,draft,\n',
        encoding="utf-8",
    )
    result = cli("bulk", str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    said = " ".join(result.stderr.split())
    assert said.count("ss help llm") == 1 and "2 scripts are template drafts" in said  # once, not per row
    assert "help llm" not in result.stdout


def test_invalid_sheet_lists_every_problem_and_submits_nothing(cli: CLI, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "Titel,script,platform,media,output_name\n"
        '"A",,tiktok,,same\n'
        '"B","Hello {{missing}} world.",myspace,nope/*.jpg,same\n',
        encoding="utf-8",
    )
    result = cli("bulk", str(path))
    assert result.exit_code == 2
    for needle in ("Titel", "title", "myspace", "missing", "nope/*.jpg", "same", "nothing was rendered"):
        assert needle in result.stderr, needle
    assert json.loads(cli("video", "list", "--json").stdout) == []


def test_dry_run_prints_the_plan(cli: CLI, tmp_path: Path) -> None:
    result = cli("bulk", str(sheet(tmp_path)), "--dry-run", "--out", str(tmp_path / "o"))
    assert result.exit_code == 0, result.stderr
    assert "launch.mp4" in result.stdout and "3 videos" in result.stderr and "MB of disk" in result.stderr
    assert json.loads(cli("video", "list", "--json").stdout) == []


def test_killed_mid_batch_then_rerun_finishes_without_duplicates(isolated_env: Path, tmp_path: Path) -> None:
    rows = [
        f'"Row {i}","Sentence number {i} is here. And another one follows it.",tiktok,draft,,\n'
        for i in range(4)
    ]
    path, out, events = sheet(tmp_path, rows), tmp_path / "out", tmp_path / "events.ndjson"
    command = [
        sys.executable,
        "-m",
        "scriptsensei_cli",
        "bulk",
        str(path),
        "--out",
        str(out),
        "--events",
        str(events),
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        text = events.read_text() if events.exists() else ""
        if '"video_saved"' in text:
            break
        time.sleep(0.1)
    os.kill(process.pid, signal.SIGKILL)  # the CLI and its embedded engine, mid-batch
    process.wait()
    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "scriptsensei_cli", "video", "list", "--json"],
        env=env,
        capture_output=True,
        text=True,
    )
    videos = json.loads(listed.stdout)
    assert len(videos) == 4 and {v["status"] for v in videos} == {"completed"}
    mp4s = sorted(out.glob("*.mp4"))
    assert len(mp4s) == 4 and not list(out.glob(".*part*"))
    for mp4 in mp4s:
        assert probe(mp4).video_streams == 1


def test_help_documents_the_schema(cli: CLI) -> None:
    text = " ".join(cli("bulk", "--help").stdout.split())
    for column in ("title", "script or topic", "aspect_ratio", "output_name", "{{product_name}}"):
        assert column in text, column


def test_two_identical_rows_with_their_own_output_names_make_two_videos(cli: CLI, tmp_path: Path) -> None:
    # Same request, same files: the same content key. The second row's key is made its own (the
    # server keeps one video per key, and refuses a batch that repeats one).
    row = '"Fact one","An octopus has three hearts.",tiktok,draft,{name},\n'
    path, out = sheet(tmp_path, [row.format(name="first"), row.format(name="second")]), tmp_path / "out"
    result = cli("bulk", str(path), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.glob("*.mp4")) == ["first.mp4", "second.mp4"]
    again = cli("bulk", str(path), "--out", str(out))  # the same keys again: nothing new
    assert again.exit_code == 0 and "2 already downloaded" in again.stderr


# -- Inputs that never end: refused while reading, in bounded memory ----------------------------------

PEAK_RSS_MB = 200


# The peak is read in the child itself (VmHWM of its own address space): a forked child's ru_maxrss
# also counts the parent's pages at the fork, and pytest's own process is large by this point.
PEAK_PROBE = """
import atexit, runpy, sys
def peak():
    with open("/proc/self/status") as status:
        kb = next(line.split()[1] for line in status if line.startswith("VmHWM"))
    sys.stderr.write(f"\\npeak-kb {kb}\\n")
atexit.register(peak)
sys.argv = ["ss", *sys.argv[1:]]
runpy.run_module("scriptsensei_cli", run_name="__main__")
"""


def _bulk_process(sheet_arg: str, **popen: object) -> tuple[int, str, float, float]:
    """`ss bulk SHEET --dry-run` as a subprocess: exit code, stderr, seconds and peak RSS in MB."""
    command = [sys.executable, "-c", PEAK_PROBE, "bulk", sheet_arg, "--dry-run"]
    started = time.monotonic()
    try:
        result = subprocess.run(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=20, **popen
        )  # type: ignore[call-overload]
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"ss bulk still running after {exc.timeout} s") from exc
    stderr = result.stderr.decode()
    peak_kb = int(stderr.rsplit("peak-kb ", 1)[1].split()[0])
    return result.returncode, stderr, time.monotonic() - started, peak_kb / 1024


def test_dev_zero_is_refused_at_once() -> None:
    code, stderr, seconds, peak = _bulk_process("/dev/zero")
    assert code == 2, stderr
    assert "error: /dev/zero: binary file" in stderr
    assert "Traceback" not in stderr
    assert seconds < 10 and peak < PEAK_RSS_MB


def test_an_endless_pipe_is_refused_at_the_row_limit() -> None:
    producer = subprocess.Popen(["yes", "T,Some script."], stdout=subprocess.PIPE)
    assert producer.stdout is not None
    try:
        code, stderr, seconds, peak = _bulk_process("/dev/stdin", stdin=producer.stdout)
    finally:
        producer.stdout.close()
        producer.kill()
        producer.wait()
    assert code == 2, stderr
    assert "error: /dev/stdin: more than 5,000 rows; split the file" in stderr
    assert seconds < 10 and peak < PEAK_RSS_MB


def test_an_endless_line_is_refused_at_the_byte_limit() -> None:
    producer = subprocess.Popen(["bash", "-c", "yes 'T,Some script.' | tr -d '\\n'"], stdout=subprocess.PIPE)
    assert producer.stdout is not None
    try:
        code, stderr, seconds, peak = _bulk_process("/dev/stdin", stdin=producer.stdout)
    finally:
        producer.stdout.close()
        producer.kill()
        producer.wait()
    assert code == 2, stderr
    assert "error: /dev/stdin: more than 64 MB; at most 64 MB" in stderr
    assert seconds < 15 and peak < PEAK_RSS_MB


def test_dry_run_finds_every_file_the_run_would_refuse(cli: CLI, tmp_path: Path) -> None:
    rows = [
        '"One","A short script.",tiktok,draft,,,/etc/passwd\n',
        '"Two","Another one.",tiktok,draft,,,/etc/hostname\n',
    ]
    path = tmp_path / "videos.csv"
    path.write_text("title,script,platform,quality,output_name,product_name,media\n" + "".join(rows))
    result = cli("bulk", str(path), "--dry-run")
    assert result.exit_code == 2, result.stderr
    assert "'/etc/passwd': expected an image or a video" in result.stderr
    assert "'/etc/hostname': expected an image or a video" in result.stderr
