"""Content service: scripts and their templates."""

from __future__ import annotations

from collections.abc import Iterator

from ...contract import (
    GenerateScriptRequest,
    Script,
    ScriptList,
    ScriptStreamEvent,
    ScriptUpdate,
    Template,
    TemplateList,
)
from ...contract.scripts import ProviderList, ScriptCreate, TranslateRequest
from .._base import HTTPClient, parse_model


class ScriptsResource:
    def __init__(self, http: HTTPClient) -> None:
        self._http = http

    def generate(self, request: GenerateScriptRequest, *, idempotency_key: str | None = None) -> Script:
        return self._http.request_model(
            Script,
            "POST",
            "/scripts/generate",
            json_body=request.model_dump(mode="json"),
            idempotency_key=idempotency_key,
        )

    def generate_stream(self, request: GenerateScriptRequest) -> Iterator[ScriptStreamEvent]:
        """Yield `delta` events as the script is written (`restart`: discard what came so far), then
        one `done` or `error` event."""
        with self._http.stream_lines(
            "POST", "/scripts/generate/stream", json_body=request.model_dump(mode="json")
        ) as lines:
            for line in lines:
                yield parse_model(ScriptStreamEvent, _json(line))

    def list(
        self,
        *,
        page: int = 1,
        limit: int = 20,
        platform: str | None = None,
        language: str | None = None,
    ) -> ScriptList:
        params = {"page": page, "limit": limit, "platform": platform, "language": language}
        return self._http.request_model(ScriptList, "GET", "/scripts", params=params)

    def get(self, script_id: str) -> Script:
        return self._http.request_model(Script, "GET", f"/scripts/{script_id}")

    def update(self, script_id: str, update: ScriptUpdate) -> Script:
        body = update.model_dump(mode="json", exclude_unset=True)
        return self._http.request_model(Script, "PATCH", f"/scripts/{script_id}", json_body=body)

    def delete(self, script_id: str) -> None:
        self._http.request("DELETE", f"/scripts/{script_id}")

    def create(self, script: ScriptCreate, *, idempotency_key: str | None = None) -> Script:
        """Save a script written elsewhere."""
        return self._http.request_model(
            Script,
            "POST",
            "/scripts",
            json_body=script.model_dump(mode="json"),
            idempotency_key=idempotency_key,
        )

    def translate(
        self,
        script_id: str,
        language: str,
        *,
        provider: str | None = None,
        fresh: bool = False,
        idempotency_key: str | None = None,
    ) -> Script:
        """A new script: this one in `language`, written by the server's LLM providers."""
        body = TranslateRequest(language=language, provider=provider, fresh=fresh).model_dump(mode="json")
        return self._http.request_model(
            Script, "POST", f"/scripts/{script_id}/translate", json_body=body, idempotency_key=idempotency_key
        )

    def providers(self, *, check: bool = False) -> ProviderList:
        return self._http.request_model(
            ProviderList, "GET", "/scripts/providers", params={"check": "true" if check else None}
        )

    def templates(self, *, page: int = 1, limit: int = 50) -> TemplateList:
        return self._http.request_model(
            TemplateList, "GET", "/scripts/templates", params={"page": page, "limit": limit}
        )

    def template(self, template_id: str) -> Template:
        return self._http.request_model(Template, "GET", f"/scripts/templates/{template_id}")


def _json(line: str) -> object:
    import json

    from .._errors import ResponseFormatError

    try:
        return json.loads(line)
    except ValueError as exc:
        raise ResponseFormatError(f"the script stream sent a line that is not JSON: {line[:80]!r}") from exc
