"""Bulk runs, the application on top of the API client: read a sheet, check every row at once, plan
one video per row, submit, follow, download, write the manifests.

    sheet = read_sheet(Path("videos.csv"))          # SheetError if it is not a readable table
    rows, problems = validate(sheet, Defaults(), facts)
    if problems: ...                                # every problem of the file, sorted by row

Library code: nothing here prints, and nothing needs the embedded engine.
"""

from ..common.naming import safe_name
from .header import KNOWN_COLUMNS
from .problems import Problem
from .reader import Sheet, SheetError, read_sheet
from .validate import Defaults, Facts, PlannedRow, validate

__all__ = [
    "KNOWN_COLUMNS",
    "Defaults",
    "Facts",
    "PlannedRow",
    "Problem",
    "Sheet",
    "SheetError",
    "read_sheet",
    "safe_name",
    "validate",
]
