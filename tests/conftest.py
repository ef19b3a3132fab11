"""Shared fixtures: an isolated user environment, and the real engine served on loopback."""

from __future__ import annotations

import itertools
import json
import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from scriptsensei_cli.client import ScriptSensei
from scriptsensei_cli.engine.config import EngineConfig
from scriptsensei_cli.engine.media.stock.limits import COOL_DOWNS
from scriptsensei_cli.engine.server import EngineServer
from scriptsensei_cli.main import app

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
PASSWORD = "correct-horse-battery"
_emails = itertools.count(1)
# The suite never tries the internet: every engine it starts (in this process, in the ones it spawns
# with this environment, and any `EngineConfig` built in code) has the online media sources off. The
# tests of those sources turn them on and point them at stand-ins on loopback.
OFFLINE_MEDIA = {"SCRIPTSENSEI_ONLINE_MEDIA": "off"}
os.environ.update(OFFLINE_MEDIA)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test gets its own config and data dirs, no token in the environment, no OS keyring, no
    online media sources, and no stock source cooling down after an earlier test."""
    for name in list(os.environ):
        if name.startswith("SCRIPTSENSEI_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("SCRIPTSENSEI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("SCRIPTSENSEI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    for name, value in OFFLINE_MEDIA.items():
        monkeypatch.setenv(name, value)
    COOL_DOWNS.clear()  # a stock source another test made cool down is not skipped here
    yield tmp_path
    # `--debug` configures the process-wide logger, which outlives an in-process CLI run.
    logger = logging.getLogger("scriptsensei")
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    logger.setLevel(logging.NOTSET)


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineServer]:
    """The real engine (uvicorn, SQLite, Socket.IO) on a free loopback port, open for sign-up."""
    config = EngineConfig(data_dir=tmp_path_factory.mktemp("engine"), signup_open=True, online_media=False)
    with EngineServer(config) as server:
        yield server


@dataclass
class Account:
    email: str
    access_token: str
    refresh_token: str
    user_id: str


@pytest.fixture
def register(engine: EngineServer):  # type: ignore[no-untyped-def]
    def make() -> Account:
        email = f"user{next(_emails)}-{os.getpid()}@example.com"
        with ScriptSensei(engine.url) as client:
            pair = client.auth.register(email, PASSWORD)
        return Account(email, pair.access_token, pair.refresh_token, pair.user.id)

    return make


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


class CLI:
    """Runs `ss` in-process through Typer's runner, with stdout and stderr kept apart."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.env = env or {}

    def __call__(self, *args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        runner = CliRunner()
        result = runner.invoke(
            app, list(args), input=input, env={**self.env, **(env or {})}, catch_exceptions=False
        )
        return Result(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def cli() -> CLI:
    """`ss` with no server configured: commands use the embedded engine."""
    return CLI()


@pytest.fixture
def server_cli(engine: EngineServer, register) -> CLI:  # type: ignore[no-untyped-def]
    """`ss` pointed at the shared engine as a freshly registered user (token from the environment)."""
    account = register()
    return CLI({"SCRIPTSENSEI_API_URL": engine.url, "SCRIPTSENSEI_TOKEN": account.access_token})


# PostgreSQL on loopback (.ci/run starts it): SCRIPTSENSEI_TEST_POSTGRES_URL, default the local server's
# `postgres` database with trust auth. Each test gets a database of its own, dropped afterwards.
ADMIN_URL = os.environ.get(
    "SCRIPTSENSEI_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    name = f"ss_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def said(text: str) -> str:
    """stderr as one line: messages are wrapped to the terminal's width."""
    return " ".join(text.split())


def run_json(cli: CLI, *args: str) -> dict:  # type: ignore[type-arg]
    result = cli(*args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)
