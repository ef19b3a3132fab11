"""Content service: analyze text, import documents and web pages as scripts."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import httpx

from ...contract import Script
from ...contract.content import (
    IMPORT_NOTE_HEADER,
    AnalyzeRequest,
    ContentAnalysis,
    ImportOptions,
    ImportUrlRequest,
)
from .._base import HTTPClient, parse_model, unwrap_envelope
from .._multipart import MultipartFile, Progress


class ImportedScript(NamedTuple):
    """The new script, and the server's note on how the document was condensed (None if it was not)."""

    script: Script
    note: str | None


class ContentResource:
    def __init__(self, http: HTTPClient) -> None:
        self._http = http

    def analyze(self, request: AnalyzeRequest) -> ContentAnalysis:
        return self._http.request_model(
            ContentAnalysis, "POST", "/content/analyze", json_body=request.model_dump(mode="json")
        )

    def import_file(
        self, path: Path, options: ImportOptions | None = None, *, on_progress: Progress | None = None
    ) -> ImportedScript:
        """Upload a document (text, Markdown, HTML, PDF, DOCX) and save it as a script."""
        fields = (options or ImportOptions()).model_dump(mode="json", exclude_none=True)
        body = MultipartFile(path, fields={k: str(v) for k, v in fields.items()}, on_progress=on_progress)
        return _imported(self._http.request("POST", "/content/import/file", body=body))

    def import_url(self, request: ImportUrlRequest, *, idempotency_key: str | None = None) -> ImportedScript:
        """Have the server fetch a web page or document and save its main text as a script."""
        response = self._http.request(
            "POST",
            "/content/import/url",
            json_body=request.model_dump(mode="json", exclude_none=True),
            idempotency_key=idempotency_key,
        )
        return _imported(response)


def _imported(response: httpx.Response) -> ImportedScript:
    from .._errors import ResponseFormatError

    try:
        body = response.json()
    except ValueError as exc:
        raise ResponseFormatError("the import answered with something that is not JSON") from exc
    return ImportedScript(
        parse_model(Script, unwrap_envelope(body)), response.headers.get(IMPORT_NOTE_HEADER)
    )
