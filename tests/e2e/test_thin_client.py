"""The thin client (`pip install .`, what CI pipelines install) against a real engine on loopback.

Each command runs in a fresh interpreter where the engine and its dependencies cannot be imported,
as on a machine without the `engine` extra: a command that reached for engine code would fail here
with ModuleNotFoundError, as `ss bulk` once did for its default concurrency.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scriptsensei_cli.engine.server import EngineServer

ENGINE_ONLY = (
    "fastapi",
    "starlette",
    "uvicorn",
    "sqlalchemy",
    "alembic",
    "huey",
    "piper",
    "scriptsensei_cli.engine",
)
THIN_CLIENT = f"""
import importlib.abc, sys

class EngineNotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if any(name == blocked or name.startswith(blocked + ".") for blocked in {ENGINE_ONLY!r}):
            raise ModuleNotFoundError(f"No module named {{name!r}} (a thin-client install)", name=name)
        return None

sys.meta_path.insert(0, EngineNotInstalled())
sys.argv[0] = "ss"
from scriptsensei_cli.main import run
run()
"""


@pytest.fixture
def thin(engine: EngineServer, register, tmp_path: Path):  # type: ignore[no-untyped-def]
    account = register()
    env = {**os.environ, "SCRIPTSENSEI_API_URL": engine.url, "SCRIPTSENSEI_TOKEN": account.access_token}

    def ss(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", THIN_CLIENT, *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )

    return ss


def test_the_blocker_works(thin) -> None:  # type: ignore[no-untyped-def]
    # Without a server, the CLI would start the embedded engine: here it must say it is not installed.
    result = thin("server", "start", "--help")
    assert result.returncode == 0
    probe = subprocess.run(
        [sys.executable, "-c", THIN_CLIENT.replace("run()", "import fastapi")],
        capture_output=True,
        text=True,
    )
    assert "a thin-client install" in probe.stderr


def test_bulk_video_script_and_analytics_need_no_engine_code(thin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sheet = tmp_path / "rows.csv"
    sheet.write_text(
        "title,script\n"
        "Tide pools,Tide pools hold whole worlds. Look under the rocks at low tide.\n"
        "Cold brew,Coarse grounds and cold water. Sixteen hours in the fridge does the rest.\n"
    )
    plan = thin("bulk", str(sheet), "--dry-run", "--quality", "draft")
    assert plan.returncode == 0, plan.stderr
    assert "2 videos" in plan.stderr and "at once" in plan.stderr

    bulk = thin("bulk", str(sheet), "--quality", "draft", "--out", "out")
    assert bulk.returncode == 0, bulk.stderr
    assert sorted(p.suffix for p in (tmp_path / "out").glob("*.mp4")) == [".mp4", ".mp4"]
    assert (tmp_path / "out" / "index.html").read_text(encoding="utf-8").count('<article class="card"') == 2

    video = thin("video", "generate", "--text", "One line is enough.", "--quality", "draft", "--json")
    assert video.returncode == 0, video.stderr
    assert json.loads(video.stdout)["status"] == "completed"

    script = thin("script", "generate", "Tide pools", "--json")
    assert script.returncode == 0, script.stderr
    assert json.loads(script.stdout)["content"]

    export = thin("analytics", "export", "--range", "7d", "--format", "csv")
    assert export.returncode == 0, export.stderr
    assert export.stdout.startswith("date,")
