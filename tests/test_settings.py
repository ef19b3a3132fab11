"""Settings precedence (flag > env > profile > default) and `ss config`."""

from __future__ import annotations

import json

from tests.conftest import CLI


def sources(cli: CLI, *args: str, env: dict[str, str] | None = None) -> dict[str, dict[str, str]]:
    result = cli(*args, "config", "list", "--show-source", "--json", env=env)
    assert result.exit_code == 0, result.stderr
    return {row["key"]: row for row in json.loads(result.stdout)}


def test_precedence_and_sources(cli: CLI) -> None:
    assert cli("config", "set", "api_url", "http://profile.example:1").exit_code == 0
    assert cli("--profile", "ci", "config", "set", "read_timeout", "90").exit_code == 0

    rows = sources(cli)
    assert rows["api_url"]["value"] == "http://profile.example:1" and rows["api_url"]["source"].startswith(
        "profile default"
    )
    assert rows["read_timeout"] == {"key": "read_timeout", "value": "30.0", "source": "default"}

    rows = sources(cli, env={"SCRIPTSENSEI_API_URL": "http://env.example:2"})
    assert (
        rows["api_url"]["value"] == "http://env.example:2"
        and rows["api_url"]["source"] == "env SCRIPTSENSEI_API_URL"
    )

    rows = sources(
        cli, "--api-url", "http://flag.example:3", env={"SCRIPTSENSEI_API_URL": "http://env.example:2"}
    )
    assert rows["api_url"] == {"key": "api_url", "value": "http://flag.example:3", "source": "flag"}

    rows = sources(cli, env={"SCRIPTSENSEI_PROFILE": "ci"})
    assert rows["read_timeout"]["value"] == "90.0" and rows["api_url"]["source"] == "default"


def test_get_set_unset_path(cli: CLI, isolated_env) -> None:  # type: ignore[no-untyped-def]
    assert cli("config", "path").stdout.strip() == str(isolated_env / "config" / "config.toml")
    cli("config", "set", "output", "json")
    assert cli("config", "get", "output").stdout.strip() == "json"
    cli("config", "unset", "output")
    assert cli("config", "get", "output").stdout.strip() == ""


def test_bad_keys_and_values_exit_2(cli: CLI) -> None:
    typo = cli("config", "set", "api_ulr", "http://x")
    assert typo.exit_code == 2 and "did you mean api_url" in typo.stderr
    bad = cli("config", "set", "read_timeout", "0")
    assert bad.exit_code == 2 and "read_timeout" in bad.stderr
    env = cli("config", "list", env={"SCRIPTSENSEI_MAX_RETRIES": "lots"})
    assert env.exit_code == 2 and "SCRIPTSENSEI_MAX_RETRIES" in env.stderr
