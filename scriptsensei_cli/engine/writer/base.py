"""What every script writer takes and returns, so the engine never depends on one provider.

The built-in writer and the LLM providers (a later issue) implement `ScriptWriter`; the engine turns a
`Draft` into a saved `contract.scripts.Script` and a stream of `WriterEvent`s into NDJSON deltas.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from scriptsensei_cli.contract.scripts import Template


@dataclass(frozen=True)
class WriterRequest:
    """One script to write. `platform` is a key of `PLATFORMS`, `tone` a `Tone` value."""

    topic: str
    platform: str
    language: str
    tone: str
    duration: int
    template: Template | None = None
    variables: Mapping[str, str] = field(default_factory=dict)
    fresh: bool = False  # LLM providers: ask again even when the same request is cached


@dataclass(frozen=True)
class Draft:
    """A written script. `content` is exactly hook, points and call to action joined by blank lines."""

    title: str
    hook: str
    points: list[str]
    call_to_action: str
    hashtags: list[str]
    content: str
    provider: str
    model: str | None
    visual_hints: list[str] = field(default_factory=list)  # one per section, "" where none
    # LLM providers: tokens_in, tokens_out, cost_usd, cached, fallbacks (providers that failed first)
    generation: dict[str, Any] | None = None


@dataclass(frozen=True)
class TextDelta:
    """A piece of `Draft.content` as it is written; the pieces concatenate to the content."""

    text: str


@dataclass(frozen=True)
class Finished:
    """The last event of a stream: the complete draft."""

    draft: Draft


@dataclass(frozen=True)
class Restart:
    """Discard the text streamed so far (a provider failed mid-answer); `message` says why and who
    writes next. Only LLM writers send it."""

    message: str


WriterEvent = TextDelta | Restart | Finished


class WriterError(Exception):
    """A request the writer cannot serve; `field` names the request field at fault."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@runtime_checkable
class ScriptWriter(Protocol):
    """A source of scripts: the built-in writer or an LLM provider.

    ```python
    writer: ScriptWriter = BuiltinWriter()
    draft = writer.write(WriterRequest("AI in healthcare", "youtube", "en", "educational", 60))
    ```
    """

    name: str

    def write(self, request: WriterRequest) -> Draft: ...

    def stream(self, request: WriterRequest) -> Iterator[WriterEvent]: ...
