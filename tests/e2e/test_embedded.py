"""Embedded mode: no api_url, the engine starts on loopback for the command and its data persists."""

from __future__ import annotations

import json

from tests.conftest import CLI


def test_generate_with_no_server_configured_and_data_persists(cli: CLI, isolated_env) -> None:  # type: ignore[no-untyped-def]
    first = cli(
        "script", "generate", "AI in healthcare", "--platform", "youtube", "--duration", "60", "--json"
    )
    assert first.exit_code == 0, first.stderr
    script = json.loads(first.stdout)
    assert (isolated_env / "data" / "scriptsensei.db").exists()
    again = cli("script", "get", script["id"], "--json")  # a second process-equivalent run
    assert again.exit_code == 0 and json.loads(again.stdout)["content"] == script["content"]


def test_auth_status_in_embedded_mode(cli: CLI) -> None:
    info = json.loads(cli("auth", "status", "--json").stdout)
    assert info["mode"] == "embedded" and info["api_url"] is None
    assert cli("auth", "login").exit_code == 2


def test_table_output_shows_the_script_card(cli: CLI) -> None:
    result = cli("script", "generate", "Budget travel [bold]tips[/bold]", "-o", "table")
    assert result.exit_code == 0, result.stderr
    assert "[bold]tips[/bold]" in result.stdout  # user text is never Rich markup


def test_exit_codes_survive_the_fast_exit_of_a_real_process(isolated_env) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys

    env = {**os.environ}
    missing = subprocess.run(
        [sys.executable, "-m", "scriptsensei_cli", "script", "get", "scr_missing"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 5 and "scr_missing" in missing.stderr
    made = subprocess.run(
        [sys.executable, "-m", "scriptsensei_cli", "script", "generate", "Tide pools", "-o", "ndjson"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0 and json.loads(made.stdout)["topic"] == "Tide pools"
