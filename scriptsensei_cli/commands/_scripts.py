"""What the two modules of `ss script` share: a script's columns, how one is shown, text from a file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..contract.vocabulary import SCRIPT_PLATFORMS, names
from ..output import console
from ..output.errors import CLIError
from ..output.exit_codes import ExitCode
from ..output.formatters import Column, short_time

if TYPE_CHECKING:
    from ..contract import Script

PLATFORM_NAMES = names(SCRIPT_PLATFORMS)
SCRIPT_COLUMNS = [
    Column("id", fixed=True),
    Column("title"),
    Column("platform", fixed=True),
    Column("language", "LANG", fixed=True),
    Column("duration", "SECS", fixed=True),
    Column("scores.overall", "SCORE", fixed=True),
    Column("created_at", "CREATED (UTC)", fixed=True, human=short_time),
]
# One script piped as TSV/CSV: the list's columns, then the text itself (on one line).
SCRIPT_DETAIL_COLUMNS = [*SCRIPT_COLUMNS, Column("hashtags"), Column("content")]


def show_script(script: Script) -> None:
    from rich.panel import Panel
    from rich.text import Text

    meta = Text(
        f"{script.id} · {script.platform} · {script.language} · {script.tone} · "
        f"{script.word_count} words · ~{script.estimated_seconds:.0f} s of {script.duration} s · "
        f"{script.provider}",
        style="dim",
    )
    body = Text()
    body.append(script.content)
    body.append("\n\n")
    body.append(" ".join(script.hashtags), style="cyan")
    console.show(Panel(body, title=Text(script.title, style="bold"), subtitle=meta, expand=False))
    summarize(script)


def summarize(script: Script) -> None:
    s = script.scores
    specificity = "" if s.specificity is None else f" · specificity {s.specificity}"
    console.info(
        f"{script.id}  scores: overall {s.overall} · hook {s.hook} · engagement {s.engagement} · "
        f"SEO {s.seo} · readability {s.readability}{specificity}"
    )
    for suggestion in s.suggestions[:3]:
        console.info(f"  → {suggestion}")


def builtin_notice(count: int = 1) -> None:
    """Say once, on stderr, that built-in drafts are templates: they have the form of a script and
    nothing about its topic (their specificity score says so too)."""
    what = "this script is a template draft" if count == 1 else f"{count} scripts are template drafts"
    console.info(
        f"note: {what} by the built-in offline writer: it knows nothing about the topic. "
        "An LLM provider writes real content; see `ss help llm`."
    )


def read_text(path: Path) -> str:
    if str(path) == "-":
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CLIError(f"{path} is not UTF-8 text", exit_code=ExitCode.USAGE) from exc
    except FileNotFoundError as exc:
        raise CLIError(f"no such file: {path}", exit_code=ExitCode.USAGE) from exc
