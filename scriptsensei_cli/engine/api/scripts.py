"""/api/v1/scripts: generate (whole or streamed), list, get, update, delete, templates."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse

from ...contract import (
    DEFAULT_PAGE_LIMIT,
    MAX_PAGE_LIMIT,
    GenerateScriptRequest,
    Platform,
    Script,
    ScriptList,
    ScriptStreamEvent,
    ScriptUpdate,
    Template,
    TemplateList,
)
from .. import scripts as service
from ..context import Context, CurrentUser
from ..errors import ApiError
from ..idempotency import idempotent
from ..writer import Finished, TextDelta

router = APIRouter(prefix="/scripts", tags=["scripts"])


@router.post("/generate", response_model=Script, status_code=201)
def generate(
    body: GenerateScriptRequest, request: Request, user: CurrentUser, context: Context
) -> JSONResponse:
    def create() -> tuple[int, dict[str, object]]:
        writer_request = service.writer_request(body)
        draft = service.write_draft(context.writer, writer_request)
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
    events = service.stream_draft(context.writer, writer_request)
    # Pull the first event now, so a request the writer refuses gets a proper error status.
    first = next(events, None)

    def lines() -> Iterator[str]:
        pending = [first] if first is not None else []
        try:
            for event in chain(pending, events):
                if isinstance(event, TextDelta):
                    yield _line(ScriptStreamEvent(type="delta", text=event.text))
                elif isinstance(event, Finished):
                    script = service.save_draft(context.db, user.id, writer_request, event.draft)
                    yield _line(ScriptStreamEvent(type="done", script=script))
                    return
            yield _line(
                ScriptStreamEvent(type="error", error="INTERNAL_ERROR", message="the writer stopped early")
            )
        except ApiError as exc:
            yield _line(ScriptStreamEvent(type="error", error=exc.code, message=exc.message))

    return StreamingResponse(lines(), media_type="application/x-ndjson")


def _line(event: ScriptStreamEvent) -> str:
    return event.model_dump_json(exclude_none=True) + "\n"


@router.get("", response_model=ScriptList)
def list_scripts(
    user: CurrentUser,
    context: Context,
    page: Annotated[int, Query(ge=1)] = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_LIMIT)] = DEFAULT_PAGE_LIMIT,
    platform: Platform | None = None,
    language: str | None = None,
) -> ScriptList:
    return service.list_scripts(
        context.db, user.id, page=page, limit=limit, platform=platform, language=language
    )


@router.get("/templates", response_model=TemplateList)
def list_templates(
    user: CurrentUser,
    page: Annotated[int, Query(ge=1)] = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_LIMIT)] = 50,
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
