"""Script writing for the engine: the provider-neutral interface, the built-in offline writer,
templates and quality scores."""

from ...common.narration import count_words, estimate_narration_seconds
from .base import (
    Draft,
    Finished,
    Restart,
    ScriptWriter,
    TextDelta,
    WriterError,
    WriterEvent,
    WriterRequest,
)
from .builtin import BuiltinWriter
from .phrasebank import SUPPORTED_LANGUAGES
from .quality import score_script, score_text, split_sentences
from .templates import BUILTIN_TEMPLATES, get_builtin_template, placeholders, render_template

__all__ = [
    "BUILTIN_TEMPLATES",
    "SUPPORTED_LANGUAGES",
    "BuiltinWriter",
    "Draft",
    "Finished",
    "Restart",
    "ScriptWriter",
    "TextDelta",
    "WriterError",
    "WriterEvent",
    "WriterRequest",
    "count_words",
    "estimate_narration_seconds",
    "get_builtin_template",
    "placeholders",
    "render_template",
    "score_script",
    "score_text",
    "split_sentences",
]
