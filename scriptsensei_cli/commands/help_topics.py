"""`ss help [TOPIC]`: the reference pages that do not belong to one command."""

from __future__ import annotations

from typing import Annotated

import typer

from ..output import console
from ..output.errors import CLIError
from ..output.exit_codes import DESCRIPTIONS, ExitCode


def _exit_codes() -> str:
    lines = ["Exit codes of every ss command:", ""]
    lines += [f"  {int(code):>3}  {text}" for code, text in DESCRIPTIONS.items()]
    return "\n".join(lines)


def _config() -> str:
    from ..settings import SPECS, config_path

    lines = [
        "Settings, highest precedence first:",
        "  1. flags (--api-url, --profile)",
        "  2. environment variables SCRIPTSENSEI_<KEY>",
        f"  3. the active profile in {config_path()}",
        "     ([profiles.NAME] tables; choose one with --profile or SCRIPTSENSEI_PROFILE)",
        "  4. defaults",
        "",
        "Keys:",
    ]
    lines += [f"  {spec.key:<16} {spec.env_var:<32} {spec.help}" for spec in SPECS.values()]
    lines += ["", "See where each value comes from: ss config list --show-source"]
    return "\n".join(lines)


def _auth() -> str:
    return "\n".join(
        [
            "Authentication:",
            "",
            "  Embedded engine (no api_url): nothing to do; each run gets its own loopback credentials.",
            "  A server: `ss auth login` (email and password prompted on a terminal), or for CI",
            "  `ss auth login --with-token < token.txt`, or set SCRIPTSENSEI_TOKEN (it always wins).",
            "",
            "  Tokens are stored in the OS keyring; where there is none (headless Linux), in a file",
            "  readable only by you, with a warning the first time. Tokens are never accepted as flag",
            "  values and never printed unless you ask: `ss auth token`.",
            "  Personal API tokens for CI: `ss auth tokens create NAME`.",
        ]
    )


def _environment() -> str:
    return "\n".join(
        [
            "Environment variables:",
            "",
            "  SCRIPTSENSEI_TOKEN        bearer token for the configured server (wins over stored ones)",
            "  SCRIPTSENSEI_PROFILE      config profile",
            "  SCRIPTSENSEI_CONFIG_DIR   where config.toml and the fallback credentials file live",
            "  SCRIPTSENSEI_<KEY>        any setting (see `ss help config`)",
            "  SCRIPTSENSEI_KEYRING=off  never use the OS keyring",
            "  SCRIPTSENSEI_DATABASE_URL the engine's database (SQLite in the data dir by default)",
            "",
            "  Read by the engine (embedded or `ss server start`):",
            "  SCRIPTSENSEI_MAX_UPLOAD_MB       media upload limit, default 500 (voice samples: 50)",
            "  SCRIPTSENSEI_MEDIA_LIBRARY       your media folders for `ss media stock`, separated by ':'",
            "  SCRIPTSENSEI_PEXELS_API_KEY      Pexels stock search",
            "  SCRIPTSENSEI_PIXABAY_API_KEY     Pixabay stock search",
            "  SCRIPTSENSEI_IMAGE_API_URL, SCRIPTSENSEI_IMAGE_API_KEY, SCRIPTSENSEI_IMAGE_MODEL",
            "                                   an OpenAI-compatible image service for `ss media ai`",
            "  SCRIPTSENSEI_ELEVENLABS_API_KEY  voice cloning by ElevenLabs (`ss voice clone --method`)",
        ]
    )


def _output() -> str:
    return "\n".join(
        [
            "Output:",
            "",
            "  stdout carries data only; messages, hints and progress go to stderr.",
            "  Data commands take --json and -o/--output table|json|ndjson|csv|tsv.",
            "  Default: a table on a terminal, tab-separated values with a header row when piped.",
            "  Set a default with `ss config set output json`.",
        ]
    )


TOPICS = {
    "exit-codes": _exit_codes,
    "config": _config,
    "auth": _auth,
    "environment": _environment,
    "output": _output,
}


def show(
    topic: Annotated[
        str | None, typer.Argument(help="exit-codes, config, auth, environment or output.")
    ] = None,
) -> None:
    """Reference topics: exit codes, configuration, authentication, environment, output."""
    if topic is None:
        console.write_data("Help topics: " + ", ".join(TOPICS) + "\nRead one with: ss help TOPIC")
        return
    page = TOPICS.get(topic)
    if page is None:
        raise CLIError(f"no help topic {topic!r}; topics: {', '.join(TOPICS)}", exit_code=ExitCode.USAGE)
    console.write_data(page())
