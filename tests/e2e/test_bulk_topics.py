"""Topic rows of `ss bulk`: the engine writes each row's script as the first stage of the row's own
job, so writing overlaps rendering. Real engine and CLI; an LLM only as the stand-in at its HTTP
boundary (tests/llm_standin.py)."""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from scriptsensei_cli.client import ScriptSensei
from scriptsensei_cli.contract import BulkRequest, BulkRow, GenerateVideoRequest
from scriptsensei_cli.contract.videos import ScriptToWrite
from scriptsensei_cli.engine.services.video_scripts import WRITE_AHEAD
from tests.conftest import CLI
from tests.llm_standin import StandIn


@pytest.fixture
def llm() -> Iterator[StandIn]:
    with StandIn() as stand_in:
        yield stand_in


def topic_sheet(tmp_path: Path, topics: list[str]) -> Path:
    path = tmp_path / "topics.csv"
    lines = ["title,topic,platform,quality,duration"]
    lines += [f'"{topic.title()}","{topic}",tiktok,draft,15' for topic in topics]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def events_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def scripts(cli: CLI, env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    listed = cli("script", "list", "--json", env=env)
    assert listed.exit_code == 0, listed.stderr
    return list(json.loads(listed.stdout))


def test_topic_rows_render_with_the_builtin_writer_as_their_first_stage(cli: CLI, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = cli("bulk", str(topic_sheet(tmp_path, ["cold brew coffee", "sleep hygiene"])), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    said = " ".join(result.stderr.split())
    assert said.count("ss help llm") == 1 and "2 scripts are template drafts" in said
    videos = json.loads(cli("video", "list", "--json").stdout)
    written = {script["id"]: script for script in scripts(cli)}
    assert len(videos) == 2 and {v["status"] for v in videos} == {"completed"}
    assert {v["script_id"] for v in videos} == set(written)  # each video renders the script saved for it
    assert {s["topic"] for s in written.values()} == {"cold brew coffee", "sleep hygiene"}
    for video in videos:
        mp4 = out / f"{video['output_name']}.mp4"
        assert mp4.stat().st_size > 0
        captions = (out / f"{video['output_name']}.srt").read_text(encoding="utf-8")
        first_words = " ".join(written[video["script_id"]]["content"].split()[:2])
        assert first_words.split()[0] in captions  # the written script is what was narrated
    # A rerun resumes: nothing is written again, nothing rendered again.
    again = cli("bulk", str(tmp_path / "topics.csv"), "--out", str(out))
    assert again.exit_code == 0, again.stderr
    assert "2 already downloaded" in again.stderr
    assert len(scripts(cli)) == 2 and len(json.loads(cli("video", "list", "--json").stdout)) == 2


def test_a_slow_writer_overlaps_the_renders_of_rows_already_written(
    cli: CLI, llm: StandIn, tmp_path: Path
) -> None:
    llm.answer_seconds = 2.0
    # More rows than scripts are written at once ahead of their jobs (WRITE_AHEAD): the last ones
    # are written after the first rows' scripts, while those render.
    topics = ["cold brew coffee", "sleep hygiene", "octopus hearts", "honey bees", "comets", "maple trees"]
    assert len(topics) > WRITE_AHEAD
    path, events = topic_sheet(tmp_path, topics), tmp_path / "events.ndjson"
    result = cli(
        "bulk",
        str(path),
        "--out",
        str(tmp_path / "out"),
        "--concurrency",
        "2",
        "--events",
        str(events),
        env=llm.env("openai"),
    )
    assert result.exit_code == 0, result.stderr
    seen = events_of(events)
    # One submission of the whole sheet, before any script is written.
    assert seen[0]["event"] == "bulk_submitted" and seen[0]["total_videos"] == len(topics)
    assert len(llm.calls("openai")) == len(topics)  # one script each, none written twice
    env = llm.env("openai")
    written = scripts(cli, env)
    assert len(written) == len(topics) and {s["provider"] for s in written} == {"openai"}
    last_written = max(datetime.fromisoformat(s["created_at"]).timestamp() for s in written)
    states = [e for e in seen if e["event"] == "video_state"]
    assert {e["stage"] for e in states} >= {"script"}  # the progress shows the stage
    rendering = [
        e["ts"] for e in states if e["status"] == "processing" and e["stage"] not in ("queued", "script")
    ]
    assert rendering and min(rendering) < last_written  # a video rendered while a script was written
    assert seen[0]["ts"] < min(datetime.fromisoformat(s["created_at"]).timestamp() for s in written)


def test_a_writer_failure_fails_only_its_row_at_stage_script(cli: CLI, llm: StandIn, tmp_path: Path) -> None:
    llm.plan("openai", ["401"])  # the first script asked for: the provider refuses the key
    out = tmp_path / "out"
    path = topic_sheet(tmp_path, ["cold brew coffee", "sleep hygiene"])
    result = cli("bulk", str(path), "--out", str(out), "--concurrency", "1", env=llm.env("openai"))
    assert result.exit_code == 6, result.stderr
    manifest = list(csv.DictReader((out / "results.csv").read_text(encoding="utf-8").splitlines()))
    assert sorted(m["status"] for m in manifest) == ["completed", "failed"]
    failed = next(m for m in manifest if m["status"] == "failed")
    assert failed["failed_stage"] == "script" and "API key was rejected" in failed["error"]
    assert "script: every LLM provider failed" in " ".join(result.stderr.split())
    assert len(scripts(cli, llm.env("openai"))) == 1  # the failed row saved nothing
    # --retry-failed writes the failed row's script (the provider answers now) and renders it.
    again = cli("bulk", str(path), "--out", str(out), "--retry-failed", env=llm.env("openai"))
    assert again.exit_code == 0, again.stderr
    assert len(scripts(cli, llm.env("openai"))) == 2


def row(number: int, write: dict[str, Any], **video: Any) -> dict[str, Any]:
    request = {"title": f"Row {number}", "quality": "draft", "write": write, **video}
    return {"row": number, "key": f"key-{number:08d}", "output_name": f"row{number}", "request": request}


@pytest.mark.parametrize(
    ("write", "video", "field", "words"),
    [
        ({"topic": "cold brew", "tone": "grumpy"}, {}, "rows.1.request.write.tone", "Input should be"),
        ({"topic": "cold brew", "duration": 900}, {}, "write.duration", "between 15 and"),
        ({"topic": "cold brew", "template_id": "nope"}, {}, "write.template_id", "unknown template"),
        ({"topic": "cold brew", "provider": "anthropic"}, {}, "write.provider", "not configured"),
        ({"topic": "cold brew"}, {"language": "fr"}, "language", "built-in writer writes"),
    ],
)
def test_a_bad_topic_row_is_refused_at_submission_naming_row_and_field(  # type: ignore[no-untyped-def]
    engine, register, write: dict[str, Any], video: dict[str, Any], field: str, words: str
) -> None:
    account = register()
    body = {
        "name": "sheet",
        "key": "batch-key-0001",
        "rows": [row(2, {"topic": "fine topic"}), row(3, write, **video)],
    }
    response = httpx.post(
        f"{engine.url}/api/v1/videos/bulk",
        json=body,
        headers={"Authorization": f"Bearer {account.access_token}"},
    )
    assert response.status_code == 400, response.text
    error = response.json()
    assert error["field"] == field and words in error["message"]
    if field.startswith("rows."):
        return  # the contract's own check: the path names the row
    assert error["message"].startswith("row 3:") and error["details"]["row"] == 3
    with ScriptSensei(engine.url, token=account.access_token) as client:
        assert client.videos.list().videos == []  # nothing was stored


def test_a_job_run_again_renders_the_script_it_saved(engine, register) -> None:  # type: ignore[no-untyped-def]
    account = register()
    request = GenerateVideoRequest(
        title="Brew", quality="draft", write=ScriptToWrite(topic="cold brew", duration=15)
    )
    with ScriptSensei(engine.url, token=account.access_token) as client:
        job = client.bulk.submit(
            BulkRequest(
                name="s",
                key="again-key-01",
                rows=[BulkRow(row=2, key="again-row-1", output_name="b", request=request)],
            )
        )
        video = wait(client, job.videos[0].id)
        assert video.status == "completed" and video.script_id is not None
        assert client.videos.scenes(video.id)  # planned from the written script
        client.videos.render(video.id)  # a second attempt of the job, as after a crash
        again = wait(client, video.id)
        assert again.status == "completed" and again.script_id == video.script_id
        assert client.scripts.list().total == 1


def wait(client: ScriptSensei, video_id: str, seconds: float = 120) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        video = client.videos.get(video_id)
        if video.status in ("completed", "failed", "cancelled"):
            return video
        time.sleep(0.2)
    raise AssertionError(f"video {video_id} did not finish")
