"""Routing and the OpenAPI document, made to agree with what the API answers.

- A path that exists answers a method it does not declare with 405 and an `Allow` header that lists
  every method of that path. Starlette picks the first route that matches in full, so a literal path
  (`/scripts/templates`, GET) would otherwise fall through to a parametric one (`PATCH /scripts/{id}`)
  and answer 400 or 404; and its 405 would list only the methods of the first route it tried.
- Every operation documents 400 (the error body, `ErrorBody`) for a request that fails validation, and
  the error body as its `default` response for the other errors it may answer (401, 404, 409, ...).
  FastAPI's own 422 is never answered (http/errors.py answers 400), so it leaves the document.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRouter
from starlette.exceptions import HTTPException
from starlette.routing import Match, Route
from starlette.types import Receive, Scope, Send

from ...contract import ErrorBody

ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}
VALIDATION_ONLY_SCHEMAS = ("HTTPValidationError", "ValidationError")


class MethodAwareRouter(APIRouter):
    """An APIRouter whose 405s are right: a literal path's own methods win over a parametric match."""

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            allowed = _methods_elsewhere(self, scope)
            if allowed:
                raise HTTPException(405, headers={"Allow": ", ".join(sorted(allowed))})
        await super().app(scope, receive, send)


def _methods_elsewhere(router: APIRouter, scope: Scope) -> set[str]:
    """The methods the request's path allows, when the request's own method is not one of them.

    Literal paths are asked first: when one matches the path, only literal routes count (a path
    parameter never captures a literal path's name). An empty set: the method is allowed, or the path
    is unknown; the ordinary routing answers either.
    """
    literal: set[str] = set()
    parametric: set[str] = set()
    literal_path = parametric_path = False
    for route in router.routes:
        if not isinstance(route, Route) or route.methods is None:
            continue
        match, _ = route.matches(scope)
        if match is Match.NONE:
            continue
        is_literal = "{" not in route.path
        if match is Match.FULL:
            if is_literal:
                return set()
            parametric_path = True
            continue
        if is_literal:
            literal_path = True
            literal |= route.methods
        else:
            parametric |= route.methods
    if literal_path:
        return literal
    if parametric and not parametric_path:
        return parametric
    return set()


def install_openapi(api: FastAPI) -> None:
    """The document, generated once per set of routers, with the error responses the API really gives."""

    def openapi() -> dict[str, Any]:
        if api.openapi_schema is None:
            document = get_openapi(
                title=api.title,
                version=api.version,
                description=api.description,
                routes=api.routes,
            )
            api.openapi_schema = document_errors(document)
        return api.openapi_schema

    api.openapi = openapi  # type: ignore[method-assign]


def document_errors(document: dict[str, Any]) -> dict[str, Any]:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in VALIDATION_ONLY_SCHEMAS:
        schemas.pop(name, None)
    schemas.update(
        ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}").pop("$defs", {}) or {}
    )
    schemas["ErrorBody"] = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas["ErrorBody"].pop("$defs", None)
    error = {"application/json": {"schema": ERROR_REF}}
    for path in document.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            responses.pop("422", None)
            responses["400"] = {"description": "The request is invalid: `field` names what.", "content": error}
            responses.setdefault(
                "default",
                {
                    "description": "An error (401, 403, 404, 405, 409, 413, 415, 429, 5xx), as `ErrorBody`.",
                    "content": error,
                },
            )
    return document
