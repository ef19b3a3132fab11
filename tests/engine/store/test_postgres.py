"""The engine on PostgreSQL: migrations, auth and scripts over a real server on loopback.

The database comes from the `postgres_url` fixture (tests/conftest.py): a fresh database per test.
"""

from __future__ import annotations

import pytest

from scriptsensei_cli.client import NotFoundError, ScriptSensei
from scriptsensei_cli.contract import GenerateScriptRequest
from scriptsensei_cli.engine.config import EngineConfig
from scriptsensei_cli.engine.server import EngineServer


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
