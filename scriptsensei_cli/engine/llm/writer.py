"""`LLMWriter`: a `ScriptWriter` over a chain of LLM providers, with retries, repair, and a cache.

For each provider in order: a transient failure (rate limit, server error, timeout) is retried once
after the provider's own Retry-After (or a short backoff); an answer that is not a script in our
format, or not in the language asked for, gets one repair request; any other failure, or a second
one, moves on to the next provider. When every provider fails, the error lists each one's reason.

Streams: text is passed on as it arrives. If a provider fails after some text was shown, a
`Restart` event tells the client to discard it before the next provider (or the repair) begins,
so nothing half-written is ever saved.

Cache: the same request to the same provider and model (prompt, parameters) is answered from disk
unless `fresh` is set, so a resumed bulk run repeats no paid call.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...common.atomic import atomic_write_text
from ..writer.base import Draft, Finished, Restart, TextDelta, WriterEvent, WriterRequest
from .clients import MAX_TOKENS, TEMPERATURE, Completion, Message, Usage, WireClient, client_for
from .errors import ChainFailed, Failure, LLMError
from .prices import cost_usd
from .script_format import (
    FormatError,
    ParsedScript,
    ScriptParser,
    language_problem,
    repair_prompt,
    system_prompt,
    write_prompt,
)
from .settings import ProviderSettings

MAX_RETRY_WAIT = 20.0  # seconds; a provider asking for longer is skipped instead
REPLAY_CHUNK = 24  # characters per delta when a cached answer is replayed


@dataclass(frozen=True)
class Job:
    """One piece of work for the chain: the prompt, and what the answer must be written in."""

    system: str
    prompt: str
    language: str


class LLMWriter:
    """Writes scripts with the configured providers, in order."""

    name = "llm"

    def __init__(
        self,
        chain: list[ProviderSettings],
        cache_dir: Path,
        *,
        clients: Callable[[ProviderSettings], WireClient] = client_for,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not chain:
            raise ValueError("LLMWriter needs at least one provider")
        self.chain = chain
        self.cache_dir = cache_dir
        self._clients = clients
        self._sleep = sleep

    # -- ScriptWriter ---------------------------------------------------------------------------

    def write(self, request: WriterRequest) -> Draft:
        for event in self._run(_job(request), request.fresh, streaming=False):
            if isinstance(event, Finished):
                return event.draft
        raise AssertionError("the chain ended without a draft")  # pragma: no cover

    def stream(self, request: WriterRequest) -> Iterator[WriterEvent]:
        return self._run(_job(request), request.fresh, streaming=True)

    def translate(self, system: str, prompt: str, language: str, *, fresh: bool = False) -> Draft:
        for event in self._run(Job(system, prompt, language), fresh, streaming=False):
            if isinstance(event, Finished):
                return event.draft
        raise AssertionError("the chain ended without a draft")  # pragma: no cover

    # -- the chain --------------------------------------------------------------------------------

    def _run(self, job: Job, fresh: bool, *, streaming: bool) -> Iterator[WriterEvent]:
        errors: list[LLMError] = []
        shown = False
        for settings in self.chain:
            client = self._clients(settings)
            try:
                for event in self._provider(client, job, fresh, streaming, errors):
                    if isinstance(event, TextDelta):
                        shown = True
                    elif isinstance(event, Restart):
                        shown = False
                    yield event
                    if isinstance(event, Finished):
                        return
            except LLMError as exc:
                errors.append(exc)
                if shown:
                    yield Restart(f"{exc.message}; starting again with the next provider")
                    shown = False
            finally:
                client.close()
        raise ChainFailed(errors)

    def _provider(
        self, client: WireClient, job: Job, fresh: bool, streaming: bool, errors: list[LLMError]
    ) -> Iterator[WriterEvent]:
        """One provider: cached answer, or up to one retry of a transient failure and one repair."""
        messages = [Message("user", job.prompt)]
        retried = repaired = False
        while True:
            key = cache_key(client.settings, job.system, messages)
            cached = None if fresh else self._cached(key)
            parser = ScriptParser()
            text_parts: list[str] = []
            try:
                if cached is not None:
                    completion = cached
                    for start in range(0, len(completion.text), REPLAY_CHUNK):
                        piece = parser.feed(completion.text[start : start + REPLAY_CHUNK])
                        if piece and streaming:
                            yield TextDelta(piece)
                else:
                    completion = yield from self._ask(
                        client, job.system, messages, parser, text_parts, streaming
                    )
                if not completion.text.strip():
                    raise client.error(Failure.MALFORMED, "answered with an empty completion")
                script = parser.finish()
                problem = language_problem(script.content, job.language)
                if problem is not None:
                    raise FormatError(problem)
            except FormatError as exc:
                if repaired:
                    raise client.error(Failure.MALFORMED, f"twice not a usable script ({exc})") from None
                repaired = True
                if text_parts or cached is not None:
                    yield Restart(f"{client.name}: {exc}; asking it to fix the answer")
                answer = "".join(text_parts) or completion.text
                messages = [*messages, Message("assistant", answer), Message("user", repair_prompt(str(exc)))]
                continue
            except LLMError as exc:
                if exc.failure.transient and not retried and (exc.retry_after or 0) <= MAX_RETRY_WAIT:
                    retried = True
                    if text_parts:
                        yield Restart(f"{exc.message}; trying {client.name} again")
                    self._sleep(exc.retry_after if exc.retry_after is not None else 1 + random.random())
                    continue
                raise
            if cached is None:
                self._store(key, completion)
            yield Finished(self._draft(client.settings, script, completion.usage, cached is not None, errors))
            return

    def _ask(
        self,
        client: WireClient,
        system: str,
        messages: list[Message],
        parser: ScriptParser,
        text_parts: list[str],
        streaming: bool,
    ) -> Generator[TextDelta, None, Completion]:
        """Ask once; yields deltas when streaming, returns the completion (generator return value)."""
        if not streaming:
            completion = client.complete(system, messages)
            parser.feed(completion.text)
            text_parts.append(completion.text)
            return completion
        usage = Usage(None, None)
        for piece in client.stream(system, messages):
            if isinstance(piece, Usage):
                usage = piece
                continue
            text_parts.append(piece)
            shown = parser.feed(piece)
            if shown:
                yield TextDelta(shown)
        return Completion("".join(text_parts), usage)

    def _draft(
        self,
        settings: ProviderSettings,
        script: ParsedScript,
        usage: Usage,
        cached: bool,
        errors: list[LLMError],
    ) -> Draft:
        return Draft(
            title=script.title,
            hook=script.hook,
            points=script.points,
            call_to_action=script.call_to_action,
            hashtags=script.hashtags,
            content=script.content,
            provider=settings.name,
            model=settings.model,
            visual_hints=script.visuals,
            generation={
                "tokens_in": usage.tokens_in,
                "tokens_out": usage.tokens_out,
                "cost_usd": None if cached else cost_usd(settings.model, usage.tokens_in, usage.tokens_out),
                "cached": cached,
                "fallbacks": [error.message for error in errors],
            },
        )

    # -- cache ------------------------------------------------------------------------------------

    def _cached(self, key: str) -> Completion | None:
        path = self.cache_dir / key[:2] / f"{key}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return Completion(data["text"], Usage(data.get("tokens_in"), data.get("tokens_out")))

    def _store(self, key: str, completion: Completion) -> None:
        path = self.cache_dir / key[:2] / f"{key}.json"
        record = {
            "text": completion.text,
            "tokens_in": completion.usage.tokens_in,
            "tokens_out": completion.usage.tokens_out,
        }
        atomic_write_text(path, json.dumps(record))


def cache_key(settings: ProviderSettings, system: str, messages: list[Message]) -> str:
    """What makes two calls the same call: provider, model, prompt and parameters (never the key)."""
    canonical: dict[str, Any] = {
        "provider": settings.name,
        "kind": settings.kind,
        "base_url": settings.base_url,
        "model": settings.model,
        "system": system,
        "messages": [[m.role, m.content] for m in messages],
        "temperature": TEMPERATURE,
        "max_tokens": MAX_TOKENS,
    }
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


def _job(request: WriterRequest) -> Job:
    return Job(system_prompt(), write_prompt(request), request.language)
