"""/api/v1/scripts: generate (whole or streamed), list, get, update, delete, templates."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse

from ....contract import (
    DEFAULT_PAGE_LIMIT,
    GenerateScriptRequest,
    Platform,
    Script,
    ScriptList,
    ScriptStreamEvent,
    ScriptUpdate,
    Template,
    TemplateList,
)
from ....contract.scripts import ProviderList, ScriptCreate, TranslateRequest
from ...errors import EngineError
from ...services import scripts as service
from ...writer import Finished, Restart, ScriptWriter, TextDelta
from ..context import Context, CurrentUser, EngineContext
from ..idempotency import idempotent
from ..paging import Limit, Page

router = APIRouter(prefix="/scripts", tags=["scripts"])


@router.post("/generate", response_model=Script, status_code=201)
def generate(
    body: GenerateScriptRequest, request: Request, user: CurrentUser, context: Context
) -> JSONResponse:
    def create() -> tuple[int, dict[str, object]]:
        writer_request = service.writer_request(body)
        writer = _writer(context, body)
        draft = service.write_draft(writer, writer_request)
        script = service.save_draft(context.db, user.id, writer_request, draft)
        return 201, script.model_dump(mode="json")

    return idempotent(request, context.db, user.id, body.model_dump(mode="json"), create)


@router.post(
    "/generate/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/x-ndjson": {}}, "description": "ScriptStreamEvent lines"}},
)
def generate_stream(body: GenerateScriptRequest, user: CurrentUser, context: Context) -> StreamingResponse:
    """NDJSON: `delta` events as the text is written, then one `done` (saved) or `error` (nothing saved)."""
    writer_request = service.writer_request(body)
    events = service.stream_draft(_writer(context, body), writer_request)
    # Pull the first event now, so a request the writer refuses gets a proper error status.
    first = next(events, None)

    def lines() -> Iterator[str]:
        pending = [first] if first is not None else []
        try:
            for event in chain(pending, events):
                if isinstance(event, TextDelta):
                    yield _line(ScriptStreamEvent(type="delta", text=event.text))
                elif isinstance(event, Restart):
                    yield _line(ScriptStreamEvent(type="restart", message=event.message))
                elif isinstance(event, Finished):
                    script = service.save_draft(context.db, user.id, writer_request, event.draft)
                    yield _line(ScriptStreamEvent(type="done", script=script))
                    return
            yield _line(
                ScriptStreamEvent(type="error", error="INTERNAL_ERROR", message="the writer stopped early")
            )
        except EngineError as exc:
            yield _line(ScriptStreamEvent(type="error", error=exc.code, message=exc.message))

    return StreamingResponse(lines(), media_type="application/x-ndjson")


def _line(event: ScriptStreamEvent) -> str:
    return event.model_dump_json(exclude_none=True) + "\n"


def _writer(context: EngineContext, body: GenerateScriptRequest) -> ScriptWriter:
    return service.choose_writer(
        context.writer, context.config.data_dir, body.provider, template=body.template_id is not None
    )


@router.get("/providers", response_model=ProviderList)
def providers(user: CurrentUser, check: bool = False) -> ProviderList:
    """The LLM providers this engine is configured with, in fallback order, and the built-in writer;
    with `check`, each usable one is asked for its model list (a free call) to prove key and URL."""
    from ...llm.status import provider_list

    return provider_list(check=check)


@router.post("", response_model=Script, status_code=201)
def create(body: ScriptCreate, request: Request, user: CurrentUser, context: Context) -> JSONResponse:
    """Save a script written elsewhere (scored, and translatable like any other)."""

    def save() -> tuple[int, dict[str, object]]:
        return 201, service.create_script(context.db, user.id, body).model_dump(mode="json")

    return idempotent(request, context.db, user.id, body.model_dump(mode="json"), save)


@router.post("/{script_id}/translate", response_model=Script, status_code=201)
def translate(
    script_id: str, body: TranslateRequest, request: Request, user: CurrentUser, context: Context
) -> JSONResponse:
    """A new script in `language`, written by the configured LLM providers."""

    def create_translation() -> tuple[int, dict[str, object]]:
        script = service.translate(context.db, context.config.data_dir, user.id, script_id, body)
        return 201, script.model_dump(mode="json")

    fingerprint_body = {"script_id": script_id, **body.model_dump(mode="json")}
    return idempotent(request, context.db, user.id, fingerprint_body, create_translation)


@router.get("", response_model=ScriptList)
def list_scripts(
    user: CurrentUser,
    context: Context,
    page: Page = 1,
    limit: Limit = DEFAULT_PAGE_LIMIT,
    platform: Platform | None = None,
    language: str | None = None,
) -> ScriptList:
    return service.list_scripts(
        context.db, user.id, page=page, limit=limit, platform=platform, language=language
    )


@router.get("/templates", response_model=TemplateList)
def list_templates(
    user: CurrentUser,
    page: Page = 1,
    limit: Limit = 50,
) -> TemplateList:
    templates = list(service.TEMPLATES_BY_ID.values())
    window = templates[(page - 1) * limit : page * limit]
    return TemplateList(templates=window, total=len(templates), page=page, limit=limit)


@router.get("/templates/{template_id}", response_model=Template)
def get_template(template_id: str, user: CurrentUser) -> Template:
    return service.find_template(template_id)


@router.get("/{script_id}", response_model=Script)
def get_script(script_id: str, user: CurrentUser, context: Context) -> Script:
    with context.db.session() as session:
        return service.script_out(service.owned_script(session, user.id, script_id))


@router.patch("/{script_id}", response_model=Script)
def update_script(script_id: str, body: ScriptUpdate, user: CurrentUser, context: Context) -> Script:
    return service.update_script(context.db, user.id, script_id, body)


@router.put("/{script_id}", response_model=Script, include_in_schema=False)
def replace_script(script_id: str, body: ScriptUpdate, user: CurrentUser, context: Context) -> Script:
    return service.update_script(context.db, user.id, script_id, body)


@router.delete("/{script_id}", status_code=204)
def delete_script(script_id: str, user: CurrentUser, context: Context) -> Response:
    service.delete_script(context.db, user.id, script_id)
    return Response(status_code=204)
