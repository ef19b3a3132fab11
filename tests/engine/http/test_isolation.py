"""No user reaches another's scripts: someone else's id is as unknown as a missing one."""

from __future__ import annotations

import pytest

from scriptsensei_cli.client import NotFoundError, ScriptSensei
from scriptsensei_cli.contract import GenerateScriptRequest, ScriptUpdate


def test_user_b_gets_404_for_user_a_script(engine, register) -> None:  # type: ignore[no-untyped-def]
    alice, bob = register(), register()
    with (
        ScriptSensei(engine.url, token=alice.access_token) as a,
        ScriptSensei(engine.url, token=bob.access_token) as b,
    ):
        script = a.scripts.generate(GenerateScriptRequest(topic="Secret product launch"))
        with pytest.raises(NotFoundError):
            b.scripts.get(script.id)
        with pytest.raises(NotFoundError):
            b.scripts.update(script.id, ScriptUpdate(title="pwned"))
        with pytest.raises(NotFoundError):
            b.scripts.delete(script.id)
        assert b.scripts.list().total == 0
        assert a.scripts.get(script.id).title == script.title  # untouched


def test_idempotency_keys_are_scoped_per_user(engine, register) -> None:  # type: ignore[no-untyped-def]
    alice, bob = register(), register()
    request = GenerateScriptRequest(topic="Shared key topic")
    with (
        ScriptSensei(engine.url, token=alice.access_token) as a,
        ScriptSensei(engine.url, token=bob.access_token) as b,
    ):
        first = a.scripts.generate(request, idempotency_key="same-key")
        again = a.scripts.generate(request, idempotency_key="same-key")
        theirs = b.scripts.generate(request, idempotency_key="same-key")
    assert first.id == again.id and theirs.id != first.id
    with ScriptSensei(engine.url, token=alice.access_token) as a:
        assert a.scripts.list().total == 1
