"""The scripts service: write, store, re-score and list scripts, always within one owner's rows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..contract import GenerateScriptRequest, ScriptList, ScriptSections, ScriptUpdate, Template
from ..contract import Script as ScriptOut
from .errors import ApiError, not_found
from .store.db import Database
from .store.models import Script
from .writer import (
    BUILTIN_TEMPLATES,
    Draft,
    Finished,
    ScriptWriter,
    TextDelta,
    WriterError,
    WriterRequest,
    count_words,
    estimate_narration_seconds,
    score_script,
    score_text,
)

TEMPLATES_BY_ID = {template.id: template for template in BUILTIN_TEMPLATES}


def find_template(template_id: str) -> Template:
    template = TEMPLATES_BY_ID.get(template_id)
    if template is None:
        raise not_found("template", template_id)
    return template


def writer_request(request: GenerateScriptRequest) -> WriterRequest:
    template = None
    if request.template_id is not None:
        template = TEMPLATES_BY_ID.get(request.template_id)
        if template is None:
            known = ", ".join(TEMPLATES_BY_ID)
            raise ApiError(
                400, f"unknown template {request.template_id!r}; known: {known}", field="template_id"
            )
    return WriterRequest(
        topic=request.topic,
        platform=request.platform,
        language=request.language,
        tone=request.tone,
        duration=request.duration,
        template=template,
        variables=dict(request.variables),
    )


def write_draft(writer: ScriptWriter, request: WriterRequest) -> Draft:
    try:
        return writer.write(request)
    except WriterError as exc:
        raise ApiError(400, str(exc), field=exc.field) from exc


def stream_draft(writer: ScriptWriter, request: WriterRequest) -> Iterator[TextDelta | Finished]:
    try:
        yield from writer.stream(request)
    except WriterError as exc:
        raise ApiError(400, str(exc), field=exc.field) from exc


def save_draft(db: Database, user_id: str, request: WriterRequest, draft: Draft) -> ScriptOut:
    scores = score_script(draft, request)
    with db.session() as session:
        row = Script(
            user_id=user_id,
            title=draft.title,
            topic=request.topic,
            content=draft.content,
            sections=ScriptSections(
                hook=draft.hook, points=draft.points, call_to_action=draft.call_to_action
            ).model_dump(),
            hashtags=draft.hashtags,
            platform=request.platform,
            language=request.language,
            tone=request.tone,
            duration=request.duration,
            scores=scores.model_dump(),
            provider=draft.provider,
            model=draft.model,
            template_id=request.template.id if request.template else None,
        )
        session.add(row)
        session.flush()
        return script_out(row)


def script_out(row: Script) -> ScriptOut:
    return ScriptOut(
        id=row.id,
        title=row.title,
        topic=row.topic,
        content=row.content,
        sections=ScriptSections.model_validate(row.sections),
        hashtags=row.hashtags,
        platform=row.platform,  # type: ignore[arg-type]
        language=row.language,
        tone=row.tone,  # type: ignore[arg-type]
        duration=row.duration,
        word_count=count_words(row.content),
        estimated_seconds=round(estimate_narration_seconds(row.content, row.language), 1),
        scores=row.scores,  # type: ignore[arg-type]
        provider=row.provider,
        model=row.model,
        template_id=row.template_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def owned_script(session: Session, user_id: str, script_id: str) -> Script:
    """The user's script; someone else's is as invisible as a missing one (404, never 403)."""
    row = session.get(Script, script_id)
    if row is None or row.user_id != user_id:
        raise not_found("script", script_id)
    return row


def list_scripts(
    db: Database, user_id: str, *, page: int, limit: int, platform: str | None, language: str | None
) -> ScriptList:
    filters = [Script.user_id == user_id]
    if platform:
        filters.append(Script.platform == platform)
    if language:
        filters.append(Script.language == language)
    with db.session() as session:
        total = session.scalar(select(func.count()).select_from(Script).where(*filters)) or 0
        rows = session.scalars(
            select(Script)
            .where(*filters)
            .order_by(Script.created_at.desc(), Script.id)
            .offset((page - 1) * limit)
            .limit(limit)
        ).all()
        return ScriptList(scripts=[script_out(row) for row in rows], total=total, page=page, limit=limit)


def update_script(db: Database, user_id: str, script_id: str, update: ScriptUpdate) -> ScriptOut:
    with db.session() as session:
        row = owned_script(session, user_id, script_id)
        changes = update.model_dump(exclude_unset=True, exclude_none=True)
        for name, value in changes.items():
            setattr(row, name, value)
        if "content" in changes:
            row.sections = sections_from_content(row.content).model_dump()
        if changes:
            request = WriterRequest(
                topic=row.topic,
                platform=row.platform,
                language=row.language,
                tone=row.tone,
                duration=row.duration,
            )
            row.scores = score_text(row.title, row.content, row.hashtags, request).model_dump()
            row.updated_at = datetime.now(UTC)
        session.flush()
        return script_out(row)


def sections_from_content(content: str) -> ScriptSections:
    """Re-derive the structure of edited text: first paragraph hook, last call to action, points between."""
    paragraphs = [part.strip() for part in content.split("\n\n") if part.strip()]
    if len(paragraphs) == 1:
        return ScriptSections(hook=paragraphs[0], points=[], call_to_action="")
    return ScriptSections(hook=paragraphs[0], points=paragraphs[1:-1], call_to_action=paragraphs[-1])


def delete_script(db: Database, user_id: str, script_id: str) -> None:
    with db.session() as session:
        session.delete(owned_script(session, user_id, script_id))
