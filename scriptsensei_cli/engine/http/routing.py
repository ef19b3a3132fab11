"""Routing and the OpenAPI document, made to agree with what the API answers.

- A path that exists answers a method it does not declare with 405 and an `Allow` header listing every
  method of that path. Starlette takes the first route that matches in full, so a literal path
  (`GET /scripts/templates`) would otherwise fall through to a parametric one (`PATCH /scripts/{id}`)
  and answer 400 or 404; and its 405 listed only the methods of the first route it tried.
- Every operation documents 400 with the error body (`ErrorBody`) for a request that fails validation,
  and the error body as its `default` response for the other errors it may give (401, 404, 409, ...).
  FastAPI's own 422 is never answered (http/errors.py answers 400), so it leaves the document.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRouter, iter_route_contexts
from starlette.exceptions import HTTPException
from starlette.routing import compile_path
from starlette.types import Receive, Scope, Send

from ...contract import ErrorBody

ERROR_CONTENT = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
VALIDATION_ONLY_SCHEMAS = ("HTTPValidationError", "ValidationError")


def install_method_routing(api: FastAPI) -> None:
    """Answer 405, with the path's whole `Allow`, before a parametric route can claim a literal path."""
    router = api.router
    routed = router.middleware_stack
    table = MethodTable(router)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            allowed = table.methods_of(scope["path"])
            if allowed and scope["method"] not in allowed:
                raise HTTPException(405, headers={"Allow": ", ".join(sorted(allowed))})
        await routed(scope, receive, send)

    router.middleware_stack = app


class MethodTable:
    """Each route's path pattern and methods, rebuilt when routers are added (services load lazily)."""

    def __init__(self, router: APIRouter) -> None:
        self.router = router
        self._built_for = -1
        self._routes: list[tuple[bool, re.Pattern[str], set[str]]] = []

    def methods_of(self, path: str) -> set[str]:
        """Every method `path` allows; empty when no route has that path.

        When a literal path (`/scripts/templates`) is the path, its routes alone count: a path
        parameter never captures a literal path's name (it is not the script `templates`).
        """
        literal: set[str] = set()
        parametric: set[str] = set()
        for is_literal, pattern, methods in self._table():
            if pattern.match(path):
                (literal if is_literal else parametric).update(methods)
        return literal or parametric

    def _table(self) -> list[tuple[bool, re.Pattern[str], set[str]]]:
        if self._built_for != len(self.router.routes):
            routes = []
            for route in iter_route_contexts(self.router.routes):
                if route.path is None or route.methods is None:
                    continue
                pattern, _, _ = compile_path(route.path)
                routes.append(("{" not in route.path, pattern, set(route.methods)))
            self._routes, self._built_for = routes, len(self.router.routes)
        return self._routes


def install_openapi(api: FastAPI) -> None:
    """The document, made once per set of routers, with the error responses the API really gives."""

    def openapi() -> dict[str, Any]:
        if api.openapi_schema is None:
            document = get_openapi(
                title=api.title, version=api.version, description=api.description, routes=api.routes
            )
            api.openapi_schema = document_errors(document)
        return api.openapi_schema

    api.openapi = openapi  # type: ignore[method-assign]


def document_errors(document: dict[str, Any]) -> dict[str, Any]:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in VALIDATION_ONLY_SCHEMAS:
        schemas.pop(name, None)
    schemas["ErrorBody"] = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    for path in document.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            responses.pop("422", None)
            responses["400"] = {
                "description": "The request is invalid; `field` names what.",
                "content": ERROR_CONTENT,
            }
            responses.setdefault(
                "default",
                {
                    "description": "Any other error (401, 403, 404, 405, 409, 413, 415, 429, 5xx).",
                    "content": ERROR_CONTENT,
                },
            )
    return document
