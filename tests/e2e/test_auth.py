"""`ss auth …` against the real engine; credentials stored in the 0600 file (no keyring in tests)."""

from __future__ import annotations

import json
import stat

from scriptsensei_cli.client import ScriptSensei
from tests.conftest import CLI, PASSWORD


def logged_in(engine, register) -> tuple[CLI, object]:  # type: ignore[no-untyped-def]
    account = register()
    cli = CLI({"SCRIPTSENSEI_API_URL": engine.url})
    result = cli("auth", "login", "--email", account.email, "--password-stdin", input=PASSWORD + "\n")
    assert result.exit_code == 0, result.stderr
    return cli, account


def test_login_stores_a_0600_file_with_a_one_time_warning(engine, register, isolated_env) -> None:  # type: ignore[no-untyped-def]
    account = register()
    cli = CLI({"SCRIPTSENSEI_API_URL": engine.url})
    first = cli("auth", "login", "--email", account.email, "--password-stdin", input=PASSWORD + "\n")
    assert first.exit_code == 0 and "readable by you only" in first.stderr
    path = isolated_env / "config" / "credentials.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    second = cli("auth", "login", "--email", account.email, "--password-stdin", input=PASSWORD + "\n")
    assert second.exit_code == 0 and "readable by you only" not in second.stderr
    assert cli("script", "list", "--json").exit_code == 0


def test_status_never_prints_the_token(engine, register, isolated_env) -> None:  # type: ignore[no-untyped-def]
    cli, account = logged_in(engine, register)
    stored = json.loads((isolated_env / "config" / "credentials.json").read_text())[engine.url]
    for args in (("auth", "status"), ("auth", "status", "--json"), ("--debug", "auth", "status")):
        result = cli(*args)
        assert result.exit_code == 0, result.stderr
        assert stored["access_token"] not in result.stdout + result.stderr
        assert stored["refresh_token"] not in result.stdout + result.stderr
    info = json.loads(cli("auth", "status", "--json").stdout)
    assert info["user"] == account.email and info["token_source"].startswith("file ")
    assert info["expires_at"] and info["token"].endswith(stored["access_token"][-4:])
    assert cli("auth", "token").stdout.strip() == stored["access_token"]


def test_debug_log_redacts_authorization(engine, register) -> None:  # type: ignore[no-untyped-def]
    account = register()
    cli = CLI({"SCRIPTSENSEI_API_URL": engine.url, "SCRIPTSENSEI_TOKEN": account.access_token})
    result = cli("--debug", "script", "list")
    assert "[redacted]" in result.stderr and account.access_token not in result.stderr


def test_login_refuses_while_env_token_is_set(engine) -> None:  # type: ignore[no-untyped-def]
    result = CLI({"SCRIPTSENSEI_API_URL": engine.url, "SCRIPTSENSEI_TOKEN": "x"})("auth", "login")
    assert result.exit_code == 2 and "SCRIPTSENSEI_TOKEN" in result.stderr


def test_login_with_token_from_stdin_and_logout(engine, register) -> None:  # type: ignore[no-untyped-def]
    account = register()
    with ScriptSensei(engine.url, token=account.access_token) as client:
        token = client.auth.create_token("ci").token
    cli = CLI({"SCRIPTSENSEI_API_URL": engine.url})
    assert cli("auth", "login", "--with-token", input=token + "\n").exit_code == 0
    assert json.loads(cli("auth", "status", "--json").stdout)["token_kind"] == "api_token"
    assert cli("auth", "logout").exit_code == 0
    assert cli("script", "list").exit_code == 4


def test_wrong_password_and_no_terminal(engine, register) -> None:  # type: ignore[no-untyped-def]
    account = register()
    cli = CLI({"SCRIPTSENSEI_API_URL": engine.url})
    wrong = cli("auth", "login", "--email", account.email, "--password-stdin", input="nope\n")
    assert wrong.exit_code == 4 and "wrong email or password" in wrong.stderr
    no_tty = cli("auth", "login")
    assert no_tty.exit_code == 2 and "--with-token" in no_tty.stderr


def test_tokens_commands(engine, register) -> None:  # type: ignore[no-untyped-def]
    cli, _ = logged_in(engine, register)
    created = cli("auth", "tokens", "create", "ci")
    token = created.stdout.strip()
    assert created.exit_code == 0 and token.startswith("sst_") and token not in created.stderr
    listed = json.loads(cli("auth", "tokens", "list", "--json").stdout)
    assert [t["name"] for t in listed] == ["ci"]
    assert cli("auth", "tokens", "revoke", listed[0]["id"]).exit_code == 0
    assert cli("auth", "tokens", "revoke", listed[0]["id"]).exit_code == 5


def test_logout_ends_the_access_token_at_once_on_every_node(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Two API nodes on one database: `ss auth logout` through one, and the old access token gets a
    401 from both straight away, not after its 15-minute life; its refresh token is spent too."""
    import httpx

    from scriptsensei_cli.engine.config import EngineConfig
    from scriptsensei_cli.engine.server import EngineServer

    def node() -> EngineServer:  # same data dir: one SQLite database and one signing key
        return EngineServer(EngineConfig(data_dir=tmp_path / "shared", signup_open=True))

    with node() as one, node() as two:
        with ScriptSensei(one.url) as client:
            client.auth.register("logout@example.com", PASSWORD)
        cli = CLI({"SCRIPTSENSEI_API_URL": one.url})
        login = cli(
            "auth", "login", "--email", "logout@example.com", "--password-stdin", input=PASSWORD + "\n"
        )
        assert login.exit_code == 0, login.stderr
        stored = json.loads((tmp_path / "config" / "credentials.json").read_text())[one.url]
        bearer = {"Authorization": f"Bearer {stored['access_token']}"}

        def me(server: EngineServer) -> int:
            return httpx.get(f"{server.url}/api/v1/auth/me", headers=bearer).status_code

        assert (me(one), me(two)) == (200, 200)
        assert cli("auth", "logout").exit_code == 0
        assert (me(one), me(two)) == (401, 401)
        refreshed = httpx.post(
            f"{two.url}/api/v1/auth/refresh", json={"refresh_token": stored["refresh_token"]}
        )
        assert refreshed.status_code == 401


def test_logout_ends_its_own_login_and_its_refreshed_tokens_only(engine, register) -> None:  # type: ignore[no-untyped-def]
    import httpx

    account = register()
    with ScriptSensei(engine.url) as client:
        other = client.auth.login(account.email, PASSWORD)  # a second login of the same account
    rotated = httpx.post(f"{engine.url}/api/v1/auth/refresh", json={"refresh_token": account.refresh_token})
    assert rotated.status_code == 200
    fresh = rotated.json()["access_token"]

    def me(token: str) -> int:
        return httpx.get(
            f"{engine.url}/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}
        ).status_code

    assert (me(account.access_token), me(fresh)) == (200, 200)
    logout = httpx.post(
        f"{engine.url}/api/v1/auth/logout", json={}, headers={"Authorization": f"Bearer {fresh}"}
    )
    assert logout.status_code == 204
    assert (me(account.access_token), me(fresh), me(other.access_token)) == (401, 401, 200)
    again = httpx.post(
        f"{engine.url}/api/v1/auth/refresh", json={"refresh_token": rotated.json()["refresh_token"]}
    )
    assert again.status_code == 401
