"""The one place where exceptions become a message, a hint and an exit code."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from . import console
from .exit_codes import ExitCode

logger = logging.getLogger("scriptsensei")


class CLIError(Exception):
    """An error meant for the user: a sentence, an optional hint, an exit code."""

    def __init__(self, message: str, *, hint: str | None = None, exit_code: int = ExitCode.ERROR) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.exit_code = exit_code


def require_file(
    path: Path, *, shown: str | None = None, what: str | None = None, hint: str | None = None
) -> Path:
    """`path` if it is a regular file; else a usage error (exit 2) that says which of the two it is
    not: missing, or something else (a folder, a device such as /dev/zero, a pipe)."""
    name = shown if shown is not None else str(path)
    prefix = f"{what}: " if what else ""
    if path.is_file():
        return path
    if path.exists():
        raise CLIError(f"{prefix}not a file: {name}", hint=hint, exit_code=ExitCode.USAGE)
    raise CLIError(f"{prefix}no such file: {name}", hint=hint, exit_code=ExitCode.USAGE)


def field_label(field: str | None, flags: dict[str, str] | None = None) -> str | None:
    if not field:
        return None
    if flags and field in flags:
        return flags[field]
    return field


def explain(exc: BaseException) -> tuple[str, str | None, int]:
    """(message, hint, exit code) for any exception that reaches the boundary."""
    from pydantic import ValidationError

    from ..client import (
        APIStatusError,
        AuthenticationError,
        BadRequestError,
        LoginRequiredError,
        NotFoundError,
        PermissionDeniedError,
        RateLimitError,
        RequestTimeout,
        ResponseFormatError,
        ScriptSenseiError,
        TransportError,
    )
    from ..settings import SettingsError

    if isinstance(exc, CLIError):
        return exc.message, exc.hint, exc.exit_code
    if isinstance(exc, ValidationError):
        return _validation_message(exc), None, ExitCode.USAGE
    if isinstance(exc, SettingsError):
        return str(exc), "see `ss config list --show-source`", ExitCode.USAGE
    if isinstance(exc, LoginRequiredError):
        return (
            exc.message,
            f"run `ss auth login` (server {exc.api_url}) or set SCRIPTSENSEI_TOKEN",
            ExitCode.AUTH,
        )
    if isinstance(exc, AuthenticationError):
        return (
            f"authentication failed: {exc.message}",
            "run `ss auth login` or set SCRIPTSENSEI_TOKEN",
            ExitCode.AUTH,
        )
    if isinstance(exc, PermissionDeniedError):
        return f"not allowed: {exc.message}", None, ExitCode.AUTH
    if isinstance(exc, NotFoundError):
        return exc.message, None, ExitCode.NOT_FOUND
    if isinstance(exc, BadRequestError):
        if not exc.field or names(exc.message, exc.field):
            return exc.message, None, ExitCode.USAGE
        return f"invalid {exc.field}: {exc.message}", None, ExitCode.USAGE
    if isinstance(exc, RateLimitError):
        wait = f" Try again in {exc.retry_after:.0f} s." if exc.retry_after else ""
        return f"the server is rate limiting requests.{wait}", None, ExitCode.ERROR
    if isinstance(exc, APIStatusError) and exc.status_code in (413, 415):
        return exc.message, None, ExitCode.USAGE  # the file itself is the problem: too big, wrong kind
    if isinstance(exc, APIStatusError) and exc.status_code == 409:
        return exc.message, None, ExitCode.ERROR
    if isinstance(exc, APIStatusError):
        rid = f" (request id {exc.request_id})" if exc.request_id else ""
        return f"the server answered {exc.status_code}: {exc.message}{rid}", None, ExitCode.ERROR
    if isinstance(exc, RequestTimeout):
        return exc.message, "raise read_timeout with `ss config set read_timeout 120`", ExitCode.ERROR
    if isinstance(exc, TransportError):
        return exc.message, _unreachable_hint(exc.url), ExitCode.ERROR
    if isinstance(exc, ResponseFormatError):
        return exc.message, "is api_url pointing at a ScriptSensei server?", ExitCode.ERROR
    if isinstance(exc, ScriptSenseiError):
        return exc.message, None, ExitCode.ERROR
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted", None, ExitCode.INTERRUPTED
    if isinstance(exc, BrokenPipeError):
        return "", None, ExitCode.ERROR
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.strerror or exc}: {exc.filename}", None, ExitCode.ERROR
    logger.debug("unexpected error", exc_info=exc)
    return f"unexpected error: {type(exc).__name__}: {exc}", "rerun with --debug for details", ExitCode.ERROR


def names(message: str, subject: str) -> bool:
    """Whether `message` already says what it is about: it starts `subject` (a field, a file), or has
    `subject: ` after a place the server put first (`row 2: media[0]: …`)."""
    return message.startswith(subject) or f": {subject}: " in message


def about(subject: str, message: str, *, also: str | None = None) -> str:
    """`subject: message`, once: a message that names `subject` (or `also`, e.g. the file's name where
    `subject` is its path) at its start gets `subject` in that name's place, not a second prefix."""
    for name in (subject, also):
        if name and message.startswith(f"{name}: "):
            return f"{subject}: {message.removeprefix(f'{name}: ')}"
    return f"{subject}: {message}"


def report(exc: BaseException) -> int:
    message, hint, code = explain(exc)
    if message:
        console.error(message, hint)
    return int(code)


def _unreachable_hint(url: str) -> str:
    return (
        f"is the server at {url} running? Start one with `ss server start`, or unset api_url "
        "(`ss config set api_url ''`) to use the embedded engine"
    )


def _validation_message(exc: Any) -> str:
    problems = []
    for error in exc.errors():
        field = ".".join(str(part) for part in error.get("loc", ()))
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        problems.append(f"invalid {field}: {message}" if field else message)
    return "; ".join(problems) or "invalid input"
