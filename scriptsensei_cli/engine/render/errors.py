"""How a render fails: the stage that broke and why, for the user and for the job ledger."""

from __future__ import annotations


class RenderError(Exception):
    """A render that failed; `stage` is tts, captions, visuals, render, thumbnail or qc."""

    def __init__(self, stage: str, message: str, *, details: str | None = None) -> None:
        super().__init__(f"{stage}: {message}")
        self.stage = stage
        self.message = message
        self.details = details
