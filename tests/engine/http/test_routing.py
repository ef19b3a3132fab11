"""405s with a whole `Allow`, and an OpenAPI document that says what the API answers (http/routing.py)."""

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


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/scripts", "GET, POST"),  # two routes on one path: both methods
        ("PATCH", "/scripts/templates", "GET"),  # a literal path is not the script `templates`
        ("DELETE", "/scripts/templates", "GET"),
        ("DELETE", "/videos/bulk", "POST"),
        ("DELETE", "/media/upload", "POST"),
        ("POST", "/scripts/scr_nope", "DELETE, GET, PATCH, PUT"),
        ("TRACE", "/health", "GET"),
    ],
)
def test_an_undeclared_method_is_a_405_with_the_paths_methods(
    http: httpx.Client, method: str, path: str, allow: str
) -> None:
    response = http.request(method, path, json={})
    assert response.status_code == 405, response.text
    assert response.headers["allow"] == allow
    assert ErrorBody.model_validate(response.json()).error == "METHOD_NOT_ALLOWED"


def test_declared_methods_still_route(http: httpx.Client) -> None:
    assert http.get("/scripts/templates").status_code == 200
    missing = http.patch("/scripts/scr_nope", json={"title": "x"})
    assert missing.status_code == 404 and ErrorBody.model_validate(missing.json()).error == "NOT_FOUND"


def test_the_document_promises_400_with_the_error_body_and_never_422(engine) -> None:  # type: ignore[no-untyped-def]
    document = httpx.get(engine.url + "/api/v1/openapi.json").json()
    operations = [op for path in document["paths"].values() for op in path.values()]
    assert len(operations) > 40  # the lazily loaded services (media, analytics, trends, content) too
    error = {"$ref": "#/components/schemas/ErrorBody"}
    for operation in operations:
        responses = operation["responses"]
        assert "422" not in responses, operation["operationId"]
        assert responses["400"]["content"]["application/json"]["schema"] == error
        assert responses["default"]["content"]["application/json"]["schema"] == error
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and set(schemas["ErrorBody"]["required"]) >= {
        "error",
        "message",
    }


def test_the_document_is_also_where_tools_look_first(engine) -> None:  # type: ignore[no-untyped-def]
    root = httpx.get(engine.url + "/openapi.json")
    assert root.status_code == 200
    assert root.json() == httpx.get(engine.url + "/api/v1/openapi.json").json()
