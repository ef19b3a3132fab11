"""`ss users …` and /api/v1/users against the real engine: an administrator manages a team server's
accounts; a disabled account's tokens are refused on every API node at once."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest

from scriptsensei_cli.client import ScriptSensei
from scriptsensei_cli.engine.config import EngineConfig
from scriptsensei_cli.engine.server import EngineServer
from scriptsensei_cli.engine.services.users import ensure_first_user
from tests.conftest import CLI, PASSWORD, said

ADMIN = "admin@example.com"


@contextmanager
def team(data_dir: Path, *, nodes: int = 1, database_url: str | None = None) -> Iterator[list[EngineServer]]:
    """API nodes on one database and one signing key (the same data dir), sign-up closed, with the
    first admin account created as `ss server start` does."""
    config = EngineConfig(
        data_dir=data_dir, database_url=database_url, admin_email=ADMIN, admin_password=PASSWORD
    )
    assert ensure_first_user(config, prompt=lambda: pytest.fail("no prompt expected")) == ADMIN
    with ExitStack() as stack:
        yield [stack.enter_context(EngineServer(config)) for _ in range(nodes)]


def login(server: EngineServer, email: str, password: str) -> tuple[str, str]:
    with ScriptSensei(server.url) as client:
        pair = client.auth.login(email, password)
    return pair.access_token, pair.refresh_token


def status(server: EngineServer, token: str, path: str = "/auth/me") -> int:
    headers = {"Authorization": f"Bearer {token}"}
    return httpx.get(f"{server.url}/api/v1{path}", headers=headers).status_code


def admin_cli(server: EngineServer) -> CLI:
    token, _ = login(server, ADMIN, PASSWORD)
    return CLI({"SCRIPTSENSEI_API_URL": server.url, "SCRIPTSENSEI_TOKEN": token})


def test_disable_on_one_node_refuses_every_token_on_the_other_at_once(
    tmp_path: Path, postgres_url: str
) -> None:
    """Two API nodes on one PostgreSQL: the admin adds an account through node A, its owner works
    through node B; `ss users disable` on A, and B refuses its access, API and refresh tokens and
    its password straight away. `enable` lets it log in again; the old tokens stay dead."""
    with team(tmp_path / "shared", nodes=2, database_url=postgres_url) as (one, two):
        admin = admin_cli(one)
        added = admin("users", "add", "ana@example.com", "--name", "Ana")
        assert added.exit_code == 0, added.stderr
        password = added.stdout.strip()
        access, refresh = login(two, "ana@example.com", password)
        with ScriptSensei(two.url, token=access) as ana:
            api_token = ana.auth.create_token("ci").token
        assert [status(node, token) for node in (one, two) for token in (access, api_token)] == [200] * 4

        disabled = admin("users", "disable", "ana@example.com")
        assert disabled.exit_code == 0, disabled.stderr
        assert [status(node, token) for node in (one, two) for token in (access, api_token)] == [401] * 4
        assert (
            httpx.post(f"{two.url}/api/v1/auth/refresh", json={"refresh_token": refresh}).status_code == 401
        )
        refused = httpx.post(
            f"{two.url}/api/v1/auth/login", json={"email": "ana@example.com", "password": password}
        )
        assert refused.status_code == 401 and "disabled" in refused.json()["message"]
        listed = {row["email"]: row for row in json.loads(admin("users", "list", "--json").stdout)}
        assert listed["ana@example.com"]["disabled_at"] and listed[ADMIN]["is_admin"]

        assert admin("users", "enable", "ana@example.com").exit_code == 0
        again, _ = login(two, "ana@example.com", password)
        assert (status(two, again), status(two, access), status(two, api_token)) == (200, 401, 401)


def test_the_last_admin_cannot_be_disabled_or_demoted(tmp_path: Path) -> None:
    with team(tmp_path) as (server,):
        admin = admin_cli(server)
        for command in ("disable", "demote"):
            result = admin("users", command, ADMIN)
            assert result.exit_code == 1 and "last administrator" in said(result.stderr), result.stderr
        token = admin.env["SCRIPTSENSEI_TOKEN"]
        response = httpx.post(
            f"{server.url}/api/v1/users/{ADMIN}/disable", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 409 and response.json()["error"] == "CONFLICT"
        assert status(server, token) == 200  # nothing was revoked

        # With a second admin, the first may step down; the second is then the last one.
        assert admin("users", "add", "second@example.com", "--admin").exit_code == 0
        assert admin("users", "demote", ADMIN).exit_code == 0
        refused = admin("users", "disable", ADMIN)  # no longer an admin: 403
        assert refused.exit_code == 4 and "administrator" in said(refused.stderr)


def test_an_admin_cannot_disable_its_own_account(tmp_path: Path) -> None:
    with team(tmp_path) as (server,):
        admin = admin_cli(server)
        assert admin("users", "add", "second@example.com", "--admin").exit_code == 0
        result = admin("users", "disable", ADMIN)
        assert result.exit_code == 1 and "your own account" in said(result.stderr)


def test_non_admins_get_403_on_every_route(engine, register) -> None:  # type: ignore[no-untyped-def]
    account = register()
    bearer = {"Authorization": f"Bearer {account.access_token}"}
    base = f"{engine.url}/api/v1/users"
    calls = [
        ("GET", base, None),
        ("POST", base, {"email": "x@example.com"}),
        ("PATCH", f"{base}/{account.user_id}", {"is_admin": True}),
        ("POST", f"{base}/{account.user_id}/disable", None),
        ("POST", f"{base}/{account.user_id}/enable", None),
        ("POST", f"{base}/{account.user_id}/reset-password", None),
    ]
    for method, url, body in calls:
        response = httpx.request(method, url, json=body, headers=bearer)
        assert response.status_code == 403, (method, url, response.text)
        assert response.json()["error"] == "FORBIDDEN"
    assert httpx.get(base).status_code == 401
    cli = CLI({"SCRIPTSENSEI_API_URL": engine.url, "SCRIPTSENSEI_TOKEN": account.access_token})
    result = cli("users", "list")
    assert result.exit_code == 4 and "needs an administrator account" in said(result.stderr)


def test_passwords_are_shown_once_and_never_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The generated password is the whole of `add`'s and `reset-password`'s stdout, and nowhere
    else: not in --debug output, not in the engine's logs, not in `users list`."""
    caplog.set_level(logging.DEBUG)
    with team(tmp_path) as (server,):
        admin = admin_cli(server)
        added = admin("--debug", "users", "add", "bo@example.com")
        assert added.exit_code == 0, added.stderr
        first = added.stdout.strip()
        assert len(first) >= 20 and added.stdout == first + "\n"
        assert first not in added.stderr and "shown once" in said(added.stderr)
        access, _ = login(server, "bo@example.com", first)

        reset = admin("--debug", "users", "reset-password", "bo@example.com", "--json")
        assert reset.exit_code == 0, reset.stderr
        body = json.loads(reset.stdout)
        second = body["password"]
        assert body["user"]["email"] == "bo@example.com" and second != first and second not in reset.stderr
        assert status(server, access) == 401  # the reset ended its logins
        with pytest.raises(Exception, match="wrong email or password"):
            login(server, "bo@example.com", first)
        assert status(server, login(server, "bo@example.com", second)[0]) == 200

        for args in (
            ("users", "list"),
            ("users", "list", "--json"),
            ("--debug", "users", "enable", "bo@example.com"),
        ):
            shown = admin(*args)
            assert shown.exit_code == 0 and first not in shown.stdout + shown.stderr
            assert second not in shown.stdout + shown.stderr
    assert caplog.records and first not in caplog.text and second not in caplog.text


def test_bad_input_gets_clear_errors(tmp_path: Path) -> None:
    with team(tmp_path) as (server,):
        admin = admin_cli(server)
        duplicate = admin("users", "add", ADMIN)
        assert duplicate.exit_code == 1 and "already exists" in said(duplicate.stderr)
        invalid = admin("users", "add", "not-an-email")
        assert invalid.exit_code == 2 and "email" in said(invalid.stderr)
        missing = admin("users", "disable", "nobody@example.com")
        assert missing.exit_code == 5 and "nobody@example.com" in said(missing.stderr)


def test_the_embedded_local_user_is_an_admin(cli: CLI) -> None:
    listed = cli("users", "list", "--json")
    assert listed.exit_code == 0, listed.stderr
    assert [(row["email"], row["is_admin"]) for row in json.loads(listed.stdout)] == [
        ("local@localhost", True)
    ]
    refused = cli("users", "disable", "local@localhost")
    assert refused.exit_code == 1 and "last administrator" in said(refused.stderr)


def test_the_commands_are_documented(cli: CLI) -> None:
    listed = cli("users", "--help")
    assert listed.exit_code == 0
    for command in ("list", "add", "disable", "enable", "reset-password", "promote", "demote"):
        assert command in listed.stdout
    assert "printed once on stdout" in said(cli("users", "add", "--help").stdout)
    assert "ss users add EMAIL" in cli("help", "auth").stdout
    assert "users" in cli("--help").stdout
