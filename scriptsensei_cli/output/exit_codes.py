"""Exit codes, documented in `ss help exit-codes`."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    AUTH = 4
    NOT_FOUND = 5
    PARTIAL_FAILURE = 6
    TIMED_OUT = 8
    INTERRUPTED = 130


DESCRIPTIONS = {
    ExitCode.OK: "success",
    ExitCode.ERROR: "error: the server failed or could not be reached, or something else went wrong",
    ExitCode.USAGE: "usage error or invalid input (a flag, a field, a file); nothing was done",
    ExitCode.AUTH: "authentication needed or rejected: run `ss auth login` or set SCRIPTSENSEI_TOKEN",
    ExitCode.NOT_FOUND: "not found: no such id (or it belongs to someone else)",
    ExitCode.PARTIAL_FAILURE: "a batch finished but some of its items failed",
    ExitCode.TIMED_OUT: "still running when --timeout expired; the work goes on on the server",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C)",
}
