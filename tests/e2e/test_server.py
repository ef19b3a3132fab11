"""`ss server start|status`: a real server process, its first user, and the loopback rule."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import CLI


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(isolated_env) -> Iterator[str]:  # type: ignore[no-untyped-def]
    port = free_port()
    env = {
        **os.environ,
        "SCRIPTSENSEI_ADMIN_EMAIL": "admin@example.com",
        "SCRIPTSENSEI_ADMIN_PASSWORD": "admin-password-1",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scriptsensei_cli",
            "server",
            "start",
            "--port",
            str(port),
            "--data-dir",
            str(isolated_env / "server"),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/api/v1/health").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail(f"the server did not start: {process.communicate()[1]}")
    yield url
    process.terminate()
    _, stderr = process.communicate(timeout=20)
    assert process.returncode in (0, -15), stderr  # uvicorn re-raises SIGTERM after a clean shutdown
    assert "Shutting down" in stderr
    assert "created the first user admin@example.com" in stderr and url in stderr


def test_first_user_logs_in_and_works(server: str) -> None:
    cli = CLI({"SCRIPTSENSEI_API_URL": server})
    login = cli(
        "auth", "login", "--email", "admin@example.com", "--password-stdin", input="admin-password-1\n"
    )
    assert login.exit_code == 0, login.stderr
    status = json.loads(cli("server", "status", "--json").stdout)
    assert status["api_url"] == server and status["status"] == "ok"
    assert cli("script", "generate", "Container gardening", "--json").exit_code == 0
    assert json.loads(cli("auth", "status", "--json").stdout)["user"] == "admin@example.com"


def test_non_loopback_bind_needs_a_flag(cli: CLI) -> None:
    result = cli("server", "start", "--host", "0.0.0.0")
    assert result.exit_code == 2 and "--allow-remote" in result.stderr


def test_status_of_an_unreachable_server(cli: CLI) -> None:
    result = cli(
        "server",
        "status",
        env={"SCRIPTSENSEI_API_URL": "http://127.0.0.1:9", "SCRIPTSENSEI_MAX_RETRIES": "0"},
    )
    assert result.exit_code == 1 and "http://127.0.0.1:9" in result.stderr
