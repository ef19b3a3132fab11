"""The scripts service: write, store, re-score and list scripts, always within one owner's rows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...contract import (
    GenerateScriptRequest,
    QualityScores,
    ScriptList,
    ScriptSections,
    ScriptUpdate,
    Template,
)
from ...contract import Script as ScriptOut
from ...contract.scripts import BUILTIN_PROVIDER, Generation, ScriptCreate, TranslateRequest
from ..errors import EngineError, Invalid, UpstreamFailed, not_found
from ..llm.errors import ChainFailed
from ..store.db import Database, page_of
from ..store.models import Script
from ..writer import (
    BUILTIN_TEMPLATES,
    Draft,
    ScriptWriter,
    WriterError,
    WriterEvent,
    WriterRequest,
    count_words,
    estimate_narration_seconds,
    score_script,
    score_text,
)

TEMPLATES_BY_ID = {template.id: template for template in BUILTIN_TEMPLATES}
BUILTIN = BUILTIN_PROVIDER


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
            raise Invalid(f"unknown template {request.template_id!r}; known: {known}", field="template_id")
    return WriterRequest(
        topic=request.topic,
        platform=request.platform,
        language=request.language,
        tone=request.tone,
        duration=request.duration,
        template=template,
        variables=dict(request.variables),
        fresh=request.fresh,
    )


def choose_writer(
    builtin: ScriptWriter, data_dir: Path, provider: str | None, *, template: bool
) -> ScriptWriter:
    """The writer for a request: the one named, else the configured LLM chain, else the built-in.

    Templates are filled in by the built-in writer whatever the provider: they need no model.
    """
    from ..llm.settings import configured_providers, provider_settings
    from ..llm.writer import LLMWriter

    cache = data_dir / "cache" / "llm"
    if provider == BUILTIN or template:
        return builtin
    if provider is None:
        chain = [settings for settings in configured_providers() if settings.usable]
        return LLMWriter(chain, cache) if chain else builtin
    settings = provider_settings(provider.strip().lower())
    if not settings.usable:
        raise Invalid(
            f"provider {provider!r} is not configured on this server: {settings.problem} "
            "(see `ss script providers`)",
            field="provider",
        )
    return LLMWriter([settings], cache)


def write_draft(writer: ScriptWriter, request: WriterRequest) -> Draft:
    try:
        return writer.write(request)
    except WriterError as exc:
        raise Invalid(str(exc), field=exc.field) from exc
    except ChainFailed as exc:
        raise chain_error(exc) from exc


def stream_draft(writer: ScriptWriter, request: WriterRequest) -> Iterator[WriterEvent]:
    try:
        yield from writer.stream(request)
    except WriterError as exc:
        raise Invalid(str(exc), field=exc.field) from exc
    except ChainFailed as exc:
        raise chain_error(exc) from exc


def chain_error(exc: ChainFailed) -> EngineError:
    """502 listing each provider's classified failure; the client does not retry it (the engine did)."""
    return UpstreamFailed(
        exc.message,
        details={
            "providers": [
                {"provider": e.provider, "failure": str(e.failure), "message": e.message} for e in exc.errors
            ]
        },
    )


def save_draft(
    db: Database, user_id: str, request: WriterRequest, draft: Draft, *, translated_from: str | None = None
) -> ScriptOut:
    with db.session() as session:
        row = script_row(user_id, request, draft, translated_from=translated_from)
        session.add(row)
        session.flush()
        return script_out(row)


def script_row(
    user_id: str,
    request: WriterRequest,
    draft: Draft,
    *,
    translated_from: str | None = None,
    script_id: str | None = None,
) -> Script:
    """The row a draft is saved as, scored (not added to a session: the caller does, in its own unit
    of work, as a video's script stage does with the video it belongs to)."""
    scores = score_script(draft, request)
    row = Script(
        user_id=user_id,
        title=draft.title,
        topic=request.topic,
        content=draft.content,
        sections=ScriptSections(
            hook=draft.hook,
            points=draft.points,
            call_to_action=draft.call_to_action,
            visual_hints=draft.visual_hints,
        ).model_dump(),
        hashtags=draft.hashtags,
        platform=request.platform,
        language=request.language,
        tone=request.tone,
        duration=request.duration,
        scores=scores.model_dump(),
        provider=draft.provider,
        model=draft.model,
        generation=draft.generation,
        translated_from=translated_from,
        template_id=request.template.id if request.template else None,
    )
    if script_id is not None:
        row.id = script_id
    return row


def script_out(row: Script) -> ScriptOut:
    return ScriptOut(
        id=row.id,
        title=row.title,
        topic=row.topic,
        content=row.content,
        sections=ScriptSections.model_validate(row.sections),
        hashtags=row.hashtags,
        platform=row.platform,
        language=row.language,
        tone=row.tone,
        duration=row.duration,
        word_count=count_words(row.content),
        estimated_seconds=round(estimate_narration_seconds(row.content, row.language), 1),
        scores=_scores(row),
        provider=row.provider,
        model=row.model,
        generation=Generation.model_validate(row.generation) if row.generation else None,
        translated_from=row.translated_from,
        template_id=row.template_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _scores(row: Script) -> QualityScores:
    """The stored scores; a script saved before a dimension existed is scored again as it is read
    (scores are derived from its text, so nothing is lost and nothing needs migrating)."""
    scores = QualityScores.model_validate(row.scores)
    if scores.specificity is None:
        scores = score_text(row.title, row.content, row.hashtags, _row_request(row))
    return scores


def _row_request(row: Script) -> WriterRequest:
    return WriterRequest(
        topic=row.topic, platform=row.platform, language=row.language, tone=row.tone, duration=row.duration
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
    query = select(Script).where(*filters).order_by(Script.created_at.desc(), Script.id)
    with db.session() as session:
        rows, total = page_of(session, query, page=page, limit=limit)
        return ScriptList(
            scripts=[script_out(row) for row in rows.scalars()], total=total, page=page, limit=limit
        )


def update_script(db: Database, user_id: str, script_id: str, update: ScriptUpdate) -> ScriptOut:
    with db.session() as session:
        row = owned_script(session, user_id, script_id)
        changes = update.model_dump(exclude_unset=True, exclude_none=True)
        for name, value in changes.items():
            setattr(row, name, value)
        if "content" in changes:
            row.sections = sections_from_content(row.content).model_dump()
        if changes:
            row.scores = score_text(row.title, row.content, row.hashtags, _row_request(row)).model_dump()
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


def create_script(db: Database, user_id: str, body: ScriptCreate) -> ScriptOut:
    """Save a script the user wrote: structure derived from its paragraphs, scored like any other."""
    title = body.title or _first_words(body.content)
    request = WriterRequest(
        topic=body.topic or title,
        platform=body.platform,
        language=body.language,
        tone=body.tone,
        duration=max(1, round(estimate_narration_seconds(body.content, body.language))),
    )
    draft = draft_from_text(title, body.content.strip(), body.hashtags, provider="user", model=None)
    return save_draft(db, user_id, request, draft)


def draft_from_text(
    title: str, content: str, hashtags: list[str], *, provider: str, model: str | None
) -> Draft:
    """A draft of text written elsewhere (by the user, or imported): its paragraphs give the structure."""
    sections = sections_from_content(content)
    return Draft(
        title=title,
        hook=sections.hook,
        points=sections.points,
        call_to_action=sections.call_to_action,
        hashtags=hashtags,
        content=content,
        provider=provider,
        model=model,
    )


def _first_words(content: str, count: int = 8) -> str:
    words = content.split()
    return " ".join(words[:count]) + ("…" if len(words) > count else "")


def translate(
    db: Database, data_dir: Path, user_id: str, script_id: str, body: TranslateRequest
) -> ScriptOut:
    """A new script: `script_id` translated into `body.language` by the LLM providers."""
    from ..llm.script_format import system_prompt, translate_prompt
    from ..llm.writer import LLMWriter

    with db.session() as session:
        row = owned_script(session, user_id, script_id)
        source = script_out(row)
    if source.language.lower() == body.language.lower():
        raise Invalid(f"script {script_id} is already in {body.language!r}", field="language")
    writer = choose_writer(_NO_BUILTIN, data_dir, body.provider, template=False)
    if not isinstance(writer, LLMWriter):
        raise Invalid(
            "translation needs an LLM provider, and none is configured on this server: set e.g. "
            "SCRIPTSENSEI_OPENAI_API_KEY, SCRIPTSENSEI_ANTHROPIC_API_KEY or SCRIPTSENSEI_GEMINI_API_KEY "
            "(see `ss script providers`)",
            field="provider",
        )
    prompt = translate_prompt(source.title, source.content, source.hashtags, body.language)
    try:
        draft = writer.translate(system_prompt(), prompt, body.language, fresh=body.fresh)
    except ChainFailed as exc:
        raise chain_error(exc) from exc
    request = WriterRequest(
        topic=source.topic,
        platform=source.platform,
        language=body.language,
        tone=source.tone,
        duration=source.duration,
    )
    return save_draft(db, user_id, request, draft, translated_from=source.id)


class _NoBuiltin:
    """Stands in for the built-in writer where it cannot help (it does not translate)."""

    name = BUILTIN

    def write(self, request: WriterRequest) -> Draft:  # pragma: no cover - never called
        raise WriterError("the built-in writer does not translate")

    def stream(self, request: WriterRequest) -> Iterator[WriterEvent]:  # pragma: no cover
        raise WriterError("the built-in writer does not translate")


_NO_BUILTIN = _NoBuiltin()
