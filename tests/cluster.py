"""A scaled-out engine on one machine, as processes: API nodes (`ss server start --no-workers`) and
render workers (`ss worker`), sharing PostgreSQL, Redis and a data directory. The topology of
deploy/compose.yaml without containers; used by tests/e2e/test_scale.py and bench/scale.py.

    with Cluster(tmp, database_url, api_nodes=2, workers=3) as cluster:
        token = cluster.register("a@example.com")
        ScriptSensei(cluster.api_urls[0], token=token)
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

REDIS_URL = os.environ.get("SCRIPTSENSEI_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
PASSWORD = "correct-horse-battery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    def __init__(
        self,
        root: Path,
        database_url: str,
        *,
        api_nodes: int = 2,
        workers: int = 3,
        concurrency: int = 1,
        redis_url: str = REDIS_URL,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.root = root
        self.namespace = f"ss-{uuid.uuid4().hex[:8]}"  # a queue and a channel of our own
        self.redis_url = redis_url
        self.data_dir = root / "shared"
        self.env = {
            **os.environ,
            "SCRIPTSENSEI_DATABASE_URL": database_url,
            "SCRIPTSENSEI_QUEUE_URL": redis_url,
            "SCRIPTSENSEI_EVENTS_URL": redis_url,
            "SCRIPTSENSEI_NAMESPACE": self.namespace,
            "SCRIPTSENSEI_DATA_DIR": str(self.data_dir),
            "SCRIPTSENSEI_CONFIG_DIR": str(root / "config"),
            "SCRIPTSENSEI_SECRET_KEY": uuid.uuid4().hex * 2,  # every API node signs tokens alike
            "SCRIPTSENSEI_SIGNUP": "open",
            "SCRIPTSENSEI_ADMIN_EMAIL": "admin@example.com",
            "SCRIPTSENSEI_ADMIN_PASSWORD": PASSWORD,
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
        self.api_count, self.worker_count, self.concurrency = api_nodes, workers, concurrency
        self.api_urls: list[str] = []
        self.api: list[subprocess.Popen[bytes]] = []
        self.workers: list[subprocess.Popen[bytes]] = []
        self._logs: list[Any] = []

    def _spawn(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = open(self.root / f"{name}.log", "wb")  # noqa: SIM115 (closed in stop)
        self._logs.append(log)
        return subprocess.Popen(
            [sys.executable, "-m", "scriptsensei_cli", *args],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def start(self) -> Cluster:
        self.root.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "scriptsensei_cli", "server", "migrate"],
            env=self.env,
            check=True,
            capture_output=True,
        )
        for index in range(self.api_count):
            port = free_port()
            self.api.append(
                self._spawn(f"api{index}", "server", "start", "--no-workers", "--port", str(port))
            )
            self.api_urls.append(f"http://127.0.0.1:{port}")
            self._wait_healthy(self.api_urls[-1], self.api[-1])
        for _ in range(self.worker_count):
            self.add_worker()
        return self

    def add_worker(self) -> subprocess.Popen[bytes]:
        index = len(self.workers)
        worker = self._spawn(
            f"worker{index}", "worker", "--concurrency", str(self.concurrency), "--drain-timeout", "1"
        )
        self.workers.append(worker)
        return worker

    def _wait_healthy(self, url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{url} exited with {process.returncode}: {self.logs()}")
            try:
                if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{url} did not come up: {self.logs()}")

    def register(self, email: str) -> str:
        from scriptsensei_cli.client import ScriptSensei

        with ScriptSensei(self.api_urls[0]) as client:
            return client.auth.register(email, PASSWORD).access_token

    def jobs(self, video_ids: list[str]) -> list[Any]:
        """The ledger's rows for these videos, read straight from the shared database."""
        from sqlalchemy import create_engine, select

        from scriptsensei_cli.engine.store.models import Job

        engine = create_engine(self.env["SCRIPTSENSEI_DATABASE_URL"])
        try:
            with engine.connect() as connection:
                return list(connection.execute(select(Job).where(Job.video_id.in_(video_ids))).all())
        finally:
            engine.dispose()

    def wait_for(self, predicate: Any, timeout: float, what: str) -> Any:
        """`predicate()`'s first true value; past `timeout`, fail with every process's log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}\n{self.logs()}")

    def wait_rendering(self, video_id: str, timeout: float = 180) -> Any:
        """The video's job once a worker has it in ffmpeg (stage `render`)."""

        def rendering() -> Any:
            rows = self.jobs([video_id])
            return rows[0] if rows and rows[0].status == "processing" and rows[0].stage == "render" else None

        return self.wait_for(rendering, timeout, "the render to reach ffmpeg")

    def worker_pid(self, worker_name: str) -> int:
        """The process behind a job's `worker` (host:pid:token)."""
        return int(worker_name.split(":")[1])

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self.root.glob("*.log"))
        )

    def stop(self) -> None:
        for process in [*self.workers, *self.api]:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in [*self.workers, *self.api]:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in self._logs:
            log.close()
        self.clean_redis()

    def clean_redis(self) -> None:
        import redis

        client = redis.Redis.from_url(self.redis_url)
        try:
            for key in client.scan_iter(f"*{self.namespace}*"):
                client.delete(key)
        finally:
            client.close()

    def __enter__(self) -> Cluster:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()
