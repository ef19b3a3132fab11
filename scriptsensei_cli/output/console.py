"""The two streams. stdout carries data only; everything meant for a person goes to stderr.

Rich is imported on first use, not at start-up. User text is always passed as `Text`, never as
markup, so a title containing `[bold]` prints as those characters.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console, RenderableType


@cache
def stdout() -> Console:
    from rich.console import Console

    return Console(highlight=False, emoji=False)  # no file: follows sys.stdout if it is swapped


@cache
def stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, emoji=False)


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


def interactive() -> bool:
    """Prompts are allowed only when a person is on both ends."""
    return sys.stdin.isatty() and sys.stdout.isatty() and not os.environ.get("CI")


def write_data(text: str) -> None:
    """Raw data to stdout (JSON, CSV, TSV): no wrapping, no styling, no markup."""
    sys.stdout.write(text)
    if not text.endswith("\n"):
        sys.stdout.write("\n")
    sys.stdout.flush()


def show(renderable: RenderableType) -> None:
    stdout().print(renderable)


def _message(prefix: str, style: str, message: str, hint: str | None = None) -> None:
    from rich.text import Text

    line = Text.assemble((prefix, style), message) if prefix else Text(message)
    # In a log (stderr not a terminal), one message is one line, however long: `grep` finds it whole.
    soft_wrap = not stderr_is_terminal()
    stderr().print(line, soft_wrap=soft_wrap)
    if hint:
        stderr().print(Text.assemble(("hint: ", "cyan"), hint), soft_wrap=soft_wrap)


def info(message: str) -> None:
    _message("", "", message)


def success(message: str) -> None:
    _message("✓ ", "green", message)


def warn(message: str, hint: str | None = None) -> None:
    _message("warning: ", "yellow", message, hint)


def error(message: str, hint: str | None = None) -> None:
    _message("error: ", "bold red", message, hint)


def enable_debug_log() -> None:
    """`--debug`: the client's HTTP log (Authorization redacted) and tracebacks, on stderr."""
    import logging

    class StderrHandler(logging.Handler):
        # Resolves sys.stderr at each record, so a redirected stderr still gets the log.
        def emit(self, record: logging.LogRecord) -> None:
            sys.stderr.write(self.format(record) + "\n")

    logger = logging.getLogger("scriptsensei")
    for handler in [h for h in logger.handlers if isinstance(h, StderrHandler) or h.get_name() == "ss-debug"]:
        logger.removeHandler(handler)
    handler = StderrHandler()
    handler.set_name("ss-debug")
    handler.setFormatter(logging.Formatter("debug: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
