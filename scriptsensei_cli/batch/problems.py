"""What a check of a sheet reports: one thing to fix, with its row and column."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing to fix; `row` is the spreadsheet row (None: the file or its header)."""

    row: int | None
    column: str | None
    message: str
