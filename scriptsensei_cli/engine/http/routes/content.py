"""/api/v1/content: analyze text; import a document or a web page as a script (blog-to-video)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from ....contract import Script
from ....contract.content import (
    IMPORT_NOTE_HEADER,
    AnalyzeRequest,
    ContentAnalysis,
    ImportOptions,
    ImportUrlRequest,
)
from ...content.analyze import analyze as analyze_content
from ...content.documents import read_document
from ...content.fetch import FetchPolicy, fetch
from ...services.imports import ImportResult, import_document
from ...store.uploads import Upload
from ..context import Context, CurrentUser, EngineContext
from ..idempotency import idempotent
from ..uploads import receive_upload

router = APIRouter(prefix="/content", tags=["content"])

_IMPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    201: {
        "description": "The saved script.",
        "headers": {IMPORT_NOTE_HEADER: {"description": "How the document was condensed, if it was."}},
    },
    413: {"description": "The document is larger than the import limit."},
    415: {"description": "Not text, Markdown, HTML, PDF or DOCX (the body names what it is)."},
}


@router.post("/analyze", response_model=ContentAnalysis)
def analyze(body: AnalyzeRequest, user: CurrentUser) -> ContentAnalysis:
    """Hook, engagement, SEO, readability and overall scores, with suggestions (the writer's scorer)."""
    return analyze_content(body)


@router.post("/import/file", status_code=201, response_model=Script, responses=_IMPORT_RESPONSES)
async def import_file(request: Request, user: CurrentUser, context: Context) -> JSONResponse:
    """Multipart: one `file` (judged by its content) and optional fields `platform`, `language`,
    `title`, `max_seconds`."""
    upload = await receive_upload(
        request,
        context.config.data_dir / "tmp",
        max_bytes=context.config.max_document_bytes,
        what="the document",
    )
    try:
        return await run_in_threadpool(_import_upload, request, context, user.id, upload)
    finally:
        upload.discard()


def _import_upload(request: Request, context: EngineContext, user_id: str, upload: Upload) -> JSONResponse:
    assert upload.path is not None
    options = _form_options(upload.fields)
    data = upload.path.read_bytes()

    def create() -> ImportResult:
        document = read_document(data)
        return import_document(context.db, user_id, document, options, upload.filename or "document")

    fingerprint = {"sha256": upload.sha256, **options.model_dump(mode="json")}
    return _idempotent_import(request, context, user_id, fingerprint, create)


@router.post("/import/url", status_code=201, response_model=Script, responses=_IMPORT_RESPONSES)
def import_url(body: ImportUrlRequest, request: Request, user: CurrentUser, context: Context) -> JSONResponse:
    """Fetch a web page (or a PDF, DOCX, Markdown or text file) and import its main text."""
    config = context.config
    policy = FetchPolicy(max_bytes=config.max_document_bytes, allow_private=config.allow_private_urls)

    def create() -> ImportResult:
        fetched = fetch(body.url, policy)
        document = read_document(fetched.body, charset=fetched.charset)
        return import_document(context.db, user.id, document, body, fetched.url)

    return _idempotent_import(request, context, user.id, body.model_dump(mode="json"), create)


def _idempotent_import(
    request: Request,
    context: EngineContext,
    user_id: str,
    fingerprint: dict[str, Any],
    create: Callable[[], ImportResult],
) -> JSONResponse:
    """Run `create` once per Idempotency-Key; the note header comes with the first answer only."""
    notes: list[str] = []

    def created() -> tuple[int, dict[str, Any]]:
        result = create()
        if result.note:
            notes.append(result.note)
        return 201, result.script.model_dump(mode="json")

    response = idempotent(request, context.db, user_id, fingerprint, created)
    if notes:
        response.headers[IMPORT_NOTE_HEADER] = notes[0]
    return response


def _form_options(fields: dict[str, str]) -> ImportOptions:
    """Multipart text fields as `ImportOptions`; a bad one is a 400 naming the field, like JSON bodies."""
    known = {name: value for name, value in fields.items() if name in ImportOptions.model_fields and value}
    try:
        return ImportOptions.model_validate(known)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from exc
