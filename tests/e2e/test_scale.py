"""Scale-out with real services: PostgreSQL and Redis on loopback (.ci/run starts them), API nodes
and render workers as separate processes sharing a data directory (tests/cluster.py)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import socketio

from scriptsensei_cli.client import ScriptSensei, ScriptSenseiError
from scriptsensei_cli.contract import BulkRequest, BulkRow, GenerateVideoRequest
from scriptsensei_cli.engine.config import EngineConfig
from tests.cluster import Cluster

SHORT = "Tiny videos render fast. Captions follow every word."
LONG = " ".join(f"Sentence number {i} keeps the encoder busy for a little while longer." for i in range(10))


def test_settings_come_from_the_environment(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SCRIPTSENSEI_DATABASE_URL", "postgresql+psycopg://ss@db/ss")
    monkeypatch.setenv("SCRIPTSENSEI_QUEUE_URL", "redis://queue:6379/0")
    monkeypatch.setenv("SCRIPTSENSEI_EVENTS_URL", "redis://events:6379/1")
    monkeypatch.setenv("SCRIPTSENSEI_NAMESPACE", "studio-a")
    config = EngineConfig.from_env(tmp_path)
    assert (config.resolved_database_url, config.queue_url, config.events_url, config.namespace) == (
        "postgresql+psycopg://ss@db/ss",
        "redis://queue:6379/0",
        "redis://events:6379/1",
        "studio-a",
    )


def test_worker_sizes_come_from_the_environment_unless_an_option_says(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from scriptsensei_cli.engine.jobs.runtime import JobRuntime
    from scriptsensei_cli.engine.store.db import Database

    monkeypatch.setenv("SCRIPTSENSEI_WORKERS", "3")
    monkeypatch.setenv("SCRIPTSENSEI_RENDER_THREADS", "2")
    config = EngineConfig.from_env(tmp_path, workers=None)  # `ss worker` without --concurrency
    assert (config.workers, config.render_threads) == (3, 2)
    assert EngineConfig.from_env(tmp_path, workers=5).workers == 5
    db = Database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    try:
        runtime = JobRuntime(db, tmp_path, workers=config.workers, render_threads=config.render_threads)
        assert (runtime.workers, runtime.encoder_threads) == (3, 2)
    finally:
        db.dispose()


def test_three_workers_render_a_batch_and_the_other_node_relays_the_events(
    postgres_url: str, tmp_path: Path
) -> None:
    with Cluster(tmp_path, postgres_url, api_nodes=2, workers=3) as cluster:
        token = cluster.register("alice@example.com")
        node_a, node_b = cluster.api_urls
        rows = [
            BulkRow(
                row=index,
                key=f"scale-row-{index:04d}",
                output_name=f"video-{index}",
                request=GenerateVideoRequest(script=f"Video number {index}. {SHORT}", quality="draft"),
            )
            for index in range(1, 7)
        ]
        # Node B listens before node A queues anything: every event must come through Redis.
        events: dict[str, list[str]] = defaultdict(list)
        listener = socketio.Client(reconnection=False)

        @listener.on("*")  # type: ignore[misc]
        def any_event(event: str, data: dict[str, Any]) -> None:
            events[data.get("job_id", "")].append(event)

        listener.connect(node_b, auth={"token": token}, socketio_path="socket.io", wait_timeout=10)
        try:
            with ScriptSensei(node_a, token=token) as api_a:
                batch = api_a.bulk.submit(BulkRequest(name="scale", key="scale-test", rows=rows))
            for video in batch.videos:
                answer = listener.call("subscribe_to_job", {"job_id": video.job_id}, timeout=10)
                assert answer["ok"], answer
            with ScriptSensei(node_b, token=token) as api_b:
                cluster.wait_for(
                    lambda: api_b.bulk.status(batch.job_id).status in ("completed", "failed"),
                    240,
                    "the batch",
                )
                final = api_b.bulk.status(batch.job_id)
            cluster.wait_for(
                lambda: all("processing_completed" in events[v.job_id] for v in final.videos),
                20,
                "completion events through node B",
            )
        finally:
            listener.disconnect()
        assert final.status == "completed" and final.completed_videos == 6, cluster.logs()
        jobs = cluster.jobs(final.video_ids)
        assert len({job.worker for job in jobs}) >= 2  # the work was shared
        assert all(job.status == "completed" for job in jobs)
        for video in final.videos:
            assert "progress_update" in events[video.job_id]
            (output,) = cluster.data_dir.glob(f"videos/*/{video.id}")
            assert sorted(p.name for p in output.iterdir() if p.suffix == ".mp4") == ["video.mp4"]


def test_kill_9_of_a_worker_mid_render_reruns_the_job_elsewhere(postgres_url: str, tmp_path: Path) -> None:
    with Cluster(tmp_path, postgres_url, api_nodes=1, workers=2) as cluster:
        token = cluster.register("bob@example.com")
        with ScriptSensei(cluster.api_urls[0], token=token) as api:
            job = api.videos.generate(GenerateVideoRequest(script=LONG, quality="standard", captions=None))

            running = cluster.wait_rendering(job.video_id)
            victim = cluster.worker_pid(running.worker)
            os.kill(victim, signal.SIGKILL)
            cluster.wait_for(lambda: api.videos.get(job.video_id).status == "completed", 240, "the re-run")
        (final,) = cluster.jobs([job.video_id])
        assert final.status == "completed" and final.attempts == 2 and final.worker != running.worker
        (output,) = cluster.data_dir.glob(f"videos/*/{job.video_id}")
        assert sorted(p.name for p in output.iterdir() if "mp4" in p.name) == ["video.mp4"]  # no leftovers
        assert not [p for p in Path("/proc").glob("[0-9]*") if _ffmpeg_of(p, job.job_id)]


def test_sigterm_drains_a_worker_and_hands_back_its_job(postgres_url: str, tmp_path: Path) -> None:
    with Cluster(tmp_path, postgres_url, api_nodes=1, workers=1) as cluster:
        token = cluster.register("carol@example.com")
        with ScriptSensei(cluster.api_urls[0], token=token) as api:
            job = api.videos.generate(GenerateVideoRequest(script=LONG, quality="standard", captions=None))

            cluster.wait_rendering(job.video_id)
            first = cluster.workers[0]
            first.send_signal(signal.SIGTERM)  # drain timeout 1 s: far shorter than the render
            assert first.wait(60) == 0, cluster.logs()
            assert "handed back" in (tmp_path / "worker0.log").read_text()
            cluster.add_worker()
            cluster.wait_for(lambda: api.videos.get(job.video_id).status == "completed", 240, "the hand-back")
        (final,) = cluster.jobs([job.video_id])
        assert final.attempts == 2


def _ffmpeg_of(proc: Path, marker: str) -> bool:
    try:
        cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False
    return "ffmpeg" in cmdline and marker in cmdline


def test_a_queue_that_lost_its_tasks_loses_no_job(postgres_url: str, tmp_path: Path) -> None:
    """Redis restarted without persistence: the ledger still says the job waits, so it is queued
    again and rendered."""
    with Cluster(tmp_path, postgres_url, api_nodes=1, workers=0) as cluster:
        token = cluster.register("dave@example.com")
        with ScriptSensei(cluster.api_urls[0], token=token) as api:
            job = api.videos.generate(GenerateVideoRequest(script=SHORT, quality="draft"))
            cluster.clean_redis()  # the queue forgets the task
            cluster.add_worker()
            cluster.wait_for(lambda: api.videos.get(job.video_id).status == "completed", 180, "the lost job")


PG_CTLCLUSTER = shutil.which("pg_ctlcluster")


@pytest.mark.skipif(
    PG_CTLCLUSTER is None or os.geteuid() != 0 or not Path("/etc/postgresql").is_dir(),
    reason="restarting the local PostgreSQL needs pg_ctlcluster and root (the CI machine has both)",
)
def test_a_postgresql_restart_mid_render_loses_no_job(postgres_url: str, tmp_path: Path) -> None:
    with Cluster(tmp_path, postgres_url, api_nodes=1, workers=1) as cluster:
        token = cluster.register("erin@example.com")
        with ScriptSensei(cluster.api_urls[0], token=token) as api:
            job = api.videos.generate(GenerateVideoRequest(script=LONG, quality="standard", captions=None))
            cluster.wait_rendering(job.video_id)
            version = sorted(os.listdir("/etc/postgresql"))[0]
            subprocess.run(
                [PG_CTLCLUSTER, "--skip-systemctl-redirect", version, "main", "restart"],
                check=True,
                timeout=120,
            )

            def completed() -> bool:
                try:
                    return api.videos.get(job.video_id).status == "completed"
                except ScriptSenseiError:  # the API node's first requests after the restart
                    return False

            cluster.wait_for(completed, 300, "the job after a PostgreSQL restart")
        (final,) = cluster.jobs([job.video_id])
        assert final.status == "completed"
