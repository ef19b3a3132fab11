"""Scale-out benchmark: one fixed bulk job through 1, 2, 4… worker processes, beside the embedded engine.

The job: 24 videos of about 10 s at 720x1280 (`720p`), each with its own narration (no TTS cache
hits between rows). Every configuration starts from a cold data directory, so each pays for its
own model loading, as a fresh deployment would. Needs PostgreSQL and Redis on loopback (as the
tests do; SCRIPTSENSEI_TEST_POSTGRES_URL and SCRIPTSENSEI_TEST_REDIS_URL override them).

Printed per configuration: wall time, videos per minute, speed-up over one worker, worker
utilisation (render time ÷ worker time), and the distributed path's overhead per task: the gap
between a worker finishing one job and starting its next (queue, claim, lease, events, storage),
as a share of the mean render time.

    python bench/scale.py                      # 24 videos; 1, 2 and 4 workers; the embedded default
    python bench/scale.py --workers 1,2,4,8,16 --videos 48     # a machine with more cores
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from itertools import pairwise
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from scriptsensei_cli.client import ScriptSensei, Timeouts
from scriptsensei_cli.contract import BulkRequest, BulkRow, GenerateVideoRequest
from tests.cluster import Cluster

ADMIN_URL = os.environ.get(
    "SCRIPTSENSEI_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
SUBJECTS = [
    "morning light", "cold showers", "deep work", "walking meetings", "meal prep", "reading fiction",
    "standing desks", "power naps", "budget apps", "language apps", "house plants", "journaling",
    "stretching", "green tea", "board games", "podcasts", "cycling", "sourdough", "chess puzzles",
    "birdwatching", "night skies", "small gardens", "public libraries", "old maps", "city parks",
    "rainy days", "street food", "paper notebooks", "slow travel", "handwritten letters",
]  # fmt: skip


def script_for(index: int) -> str:
    """About 25 words, so about 10 s of narration; a different subject on every row."""
    subject = SUBJECTS[index % len(SUBJECTS)]
    return (
        f"Here is why {subject} matter more than you think, number {index}. "
        f"Five minutes with {subject} every day can change your mood. "
        f"Try it this week and tell me what happened."
    )


def batch(videos: int) -> BulkRequest:
    rows = [
        BulkRow(
            row=index + 1,
            key=f"bench-{uuid.uuid4().hex[:12]}",
            output_name=f"video-{index + 1}",
            request=GenerateVideoRequest(script=script_for(index), quality="720p", platform="tiktok"),
        )
        for index in range(videos)
    ]
    return BulkRequest(name="scale bench", key=f"bench-{uuid.uuid4().hex}", rows=rows)


def run_bulk(url: str, token: str | None, request: BulkRequest) -> tuple[float, list[str]]:
    """Submit, wait for every video; (seconds from submission to the last completion, video ids)."""
    with ScriptSensei(url, token=token, timeouts=Timeouts(read=120)) as client:
        start = time.perf_counter()
        job = client.bulk.submit(request)
        while True:
            status = client.bulk.status(job.job_id)
            if status.status in ("completed", "failed", "cancelled"):
                break
            time.sleep(0.25)
        wall = time.perf_counter() - start
    if status.completed_videos != len(request.rows):
        raise SystemExit(
            f"the batch ended {status.status}: {status.completed_videos}/{len(request.rows)} done"
        )
    return wall, status.video_ids


def dispatch_gaps(jobs: list[Any]) -> list[float]:
    """Per worker, the idle time between one job's end and the next one's start."""
    by_worker: dict[str, list[Any]] = defaultdict(list)
    for job in jobs:
        by_worker[job.worker].append(job)
    gaps = []
    for runs in by_worker.values():
        runs.sort(key=lambda job: job.started_at)
        gaps += [(b.started_at - a.finished_at).total_seconds() for a, b in pairwise(runs)]
    return gaps


class Database:
    """A database of its own for one configuration, dropped afterwards."""

    def __enter__(self) -> str:
        self.name = f"ss_bench_{uuid.uuid4().hex[:10]}"
        self.admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.name}"'))
        return make_url(ADMIN_URL).set(database=self.name).render_as_string(hide_password=False)

    def __exit__(self, *exc: object) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


def embedded(videos: int) -> float:
    """The default: the embedded engine (SQLite, threads), as `ss bulk` on one machine uses it."""
    from scriptsensei_cli.engine.server import EngineServer

    with tempfile.TemporaryDirectory() as tmp, EngineServer.embedded(Path(tmp)) as server:
        wall, _ = run_bulk(server.url, server.token, batch(videos))
    return wall


def distributed(workers: int, videos: int, cores: int) -> dict[str, float]:
    threads = max(1, cores // workers)
    with tempfile.TemporaryDirectory() as tmp, Database() as database_url:
        extra = {"SCRIPTSENSEI_RENDER_THREADS": str(threads)}
        with Cluster(Path(tmp), database_url, api_nodes=1, workers=workers, extra_env=extra) as cluster:
            token = cluster.register("bench@example.com")
            wall, video_ids = run_bulk(cluster.api_urls[0], token, batch(videos))
            jobs = cluster.jobs(video_ids)
    renders = [(job.finished_at - job.started_at).total_seconds() for job in jobs]
    gaps = dispatch_gaps(jobs)
    return {
        "wall": wall,
        "render_mean": statistics.mean(renders),
        "utilisation": sum(renders) / (workers * wall),
        "gap_mean": statistics.mean(gaps) if gaps else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--videos", type=int, default=24)
    parser.add_argument("--workers", default="1,2,4", help="Worker process counts to try, e.g. 1,2,4,8,16.")
    parser.add_argument("--no-embedded", action="store_true", help="Skip the embedded reference.")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    counts = [int(n) for n in args.workers.split(",")]
    print(f"{args.videos} videos of ~10 s at 720x1280 on {cores} cores")
    header = ("configuration", "wall s", "videos/min", "speed-up", "utilisation", "overhead/task")
    print(f"{header[0]:<30}" + "".join(f"{name:>15}" for name in header[1:]))
    results = {}
    for workers in counts:
        results[workers] = result = distributed(workers, args.videos, cores)
        rate = args.videos / result["wall"] * 60
        speedup = results[counts[0]]["wall"] / result["wall"] * counts[0]
        overhead = result["gap_mean"] / result["render_mean"]
        label = f"{workers} worker process(es)"
        print(
            f"{label:<30}{result['wall']:>15.1f}{rate:>15.1f}{speedup:>14.2f}x"
            f"{result['utilisation']:>15.0%}{overhead:>15.1%}"
        )
    if not args.no_embedded:
        wall = embedded(args.videos)
        reference = results[counts[0]]["wall"] / wall * counts[0]
        rate = args.videos / wall * 60
        print(f"{'embedded default (ss bulk)':<30}{wall:>15.1f}{rate:>15.1f}{reference:>14.2f}x")
    print("speed-up: over one worker process; overhead/task: dispatch gap ÷ mean render time")


if __name__ == "__main__":
    main()
