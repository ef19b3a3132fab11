"""The engine's HTTP conventions: one error format everywhere, request ids, idempotency, tokens."""

from __future__ import annotations

import httpx
import pytest

from scriptsensei_cli.contract import ErrorBody


@pytest.fixture
def http(engine, register):  # type: ignore[no-untyped-def]
    account = register()
    with httpx.Client(
        base_url=engine.url + "/api/v1", headers={"Authorization": f"Bearer {account.access_token}"}
    ) as client:
        yield client


def error_of(response: httpx.Response) -> ErrorBody:
    return ErrorBody.model_validate(response.json())


def test_framework_errors_use_the_error_format(http: httpx.Client) -> None:
    missing = http.get("/nope")
    assert missing.status_code == 404 and error_of(missing).error == "NOT_FOUND"
    wrong_method = http.put("/health")
    assert wrong_method.status_code == 405 and error_of(wrong_method).error == "METHOD_NOT_ALLOWED"
    invalid = http.post("/scripts/generate", json={"topic": "AI in healthcare", "duration": 5})
    body = error_of(invalid)
    assert invalid.status_code == 400 and body.error == "VALIDATION_ERROR" and body.field == "duration"
    assert "detail" not in invalid.json()
    garbage = http.post(
        "/scripts/generate", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert garbage.status_code == 400 and error_of(garbage).error == "VALIDATION_ERROR"


def test_every_response_has_a_request_id(http: httpx.Client) -> None:
    ok = http.get("/health")
    assert len(ok.headers["x-request-id"]) >= 16
    echoed = http.get("/scripts/unknown", headers={"X-Request-ID": "trace-42"})
    assert echoed.headers["x-request-id"] == "trace-42" and error_of(echoed).request_id == "trace-42"


def test_unauthenticated_requests_get_401(engine) -> None:  # type: ignore[no-untyped-def]
    response = httpx.get(engine.url + "/api/v1/scripts")
    assert response.status_code == 401 and error_of(response).error == "UNAUTHENTICATED"
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_idempotency_key_replays_and_rejects_a_different_body(http: httpx.Client) -> None:
    headers = {"Idempotency-Key": "abc-1"}
    first = http.post("/scripts/generate", json={"topic": "Coffee myths"}, headers=headers)
    second = http.post("/scripts/generate", json={"topic": "Coffee myths"}, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"] and second.headers["idempotent-replayed"] == "true"
    other = http.post("/scripts/generate", json={"topic": "Tea myths"}, headers=headers)
    assert other.status_code == 409 and error_of(other).field == "Idempotency-Key"
    assert http.get("/scripts").json()["total"] == 1


def test_personal_api_tokens_create_use_and_revoke(engine, http: httpx.Client) -> None:  # type: ignore[no-untyped-def]
    created = http.post("/auth/tokens", json={"name": "ci", "expires_in_days": 30}).json()
    assert created["token"].startswith("sst_") and created["prefix"] == created["token"][:10]
    me = httpx.get(engine.url + "/api/v1/auth/me", headers={"Authorization": f"Bearer {created['token']}"})
    assert me.status_code == 200
    listed = http.get("/auth/tokens").json()
    assert [t["id"] for t in listed["tokens"]] == [created["id"]] and "token" not in listed["tokens"][0]
    assert http.delete(f"/auth/tokens/{created['id']}").status_code == 204
    refused = httpx.get(
        engine.url + "/api/v1/auth/me", headers={"Authorization": f"Bearer {created['token']}"}
    )
    assert refused.status_code == 401


def test_login_with_wrong_password_is_401(engine, register) -> None:  # type: ignore[no-untyped-def]
    account = register()
    response = httpx.post(
        engine.url + "/api/v1/auth/login", json={"email": account.email, "password": "wrong"}
    )
    assert response.status_code == 401 and error_of(response).message == "wrong email or password"


def test_openapi_document_declares_the_contract(engine) -> None:  # type: ignore[no-untyped-def]
    schema = httpx.get(engine.url + "/api/v1/openapi.json").json()
    assert {"Script", "GenerateScriptRequest", "ScriptList", "TokenPair", "Template"} <= set(
        schema["components"]["schemas"]
    )
    assert "/api/v1/scripts/generate/stream" in schema["paths"]


def test_the_openapi_document_lists_the_services_loaded_on_first_use(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Media, analytics, trends and content load on their first request; the contract lists them
    before any of them was called."""
    from scriptsensei_cli.engine.config import EngineConfig
    from scriptsensei_cli.engine.server import EngineServer

    with EngineServer(EngineConfig(data_dir=tmp_path)) as server:
        paths = httpx.get(f"{server.url}/api/v1/openapi.json", timeout=30).json()["paths"]
    for path in (
        "/media/upload",
        "/analytics/overview",
        "/trends/current",
        "/content/analyze",
        "/scripts/generate",
    ):
        assert f"/api/v1{path}" in paths
