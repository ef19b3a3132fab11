"""The engine on PostgreSQL: migrations, auth and scripts over a real server on loopback.

The database URL comes from SCRIPTSENSEI_TEST_POSTGRES_URL (default: the local server's `postgres`
database, trust auth); each run creates and drops its own database.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from scriptsensei_cli.client import NotFoundError, ScriptSensei
from scriptsensei_cli.contract import GenerateScriptRequest
from scriptsensei_cli.engine.config import EngineConfig
from scriptsensei_cli.engine.server import EngineServer

ADMIN_URL = os.environ.get(
    "SCRIPTSENSEI_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    name = f"ss_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_engine_runs_on_postgresql(postgres_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = EngineConfig(data_dir=tmp_path, database_url=postgres_url, signup_open=True)
    with EngineServer(config) as server, ScriptSensei(server.url) as anonymous:
        alice = anonymous.auth.register("alice@example.com", "password-1234")
        bob = anonymous.auth.register("bob@example.com", "password-1234")
        with (
            ScriptSensei(server.url, token=alice.access_token) as a,
            ScriptSensei(server.url, token=bob.access_token) as b,
        ):
            script = a.scripts.generate(GenerateScriptRequest(topic="AI in healthcare"), idempotency_key="k1")
            assert (
                a.scripts.generate(GenerateScriptRequest(topic="AI in healthcare"), idempotency_key="k1").id
                == script.id
            )
            assert a.scripts.get(script.id).created_at.tzinfo is not None
            with pytest.raises(NotFoundError):
                b.scripts.get(script.id)
    assert not (tmp_path / "scriptsensei.db").exists()
    # A second start finds the schema at head and migrates nothing.
    with EngineServer(EngineConfig(data_dir=tmp_path, database_url=postgres_url)) as server:
        assert server.url
