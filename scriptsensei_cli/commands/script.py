"""`ss script generate|list|get|update|delete|templates`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..contract.vocabulary import TONES
from ..output import console
from ..output.errors import CLIError
from ..output.exit_codes import ExitCode
from ..output.formatters import Column, emit
from ._scripts import (
    PLATFORM_NAMES,
    SCRIPT_COLUMNS,
    SCRIPT_DETAIL_COLUMNS,
    builtin_notice,
    read_text,
    show_script,
    summarize,
)
from ._shared import JsonOption, OutputOption, api, confirm_destructive, output_format
from .script_content import register as register_content_commands

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ..contract import Script, ScriptStreamEvent

app = typer.Typer(help="Write, list, edit and delete scripts.", no_args_is_help=True)

TONE_NAMES = ", ".join(TONES)

TEMPLATE_COLUMNS = [
    Column("id"),
    Column("name"),
    Column("category"),
    Column("variables"),
    Column("description"),
]

ScriptId = Annotated[str, typer.Argument(help="Script id (scr_…).", metavar="ID")]


def parse_vars(pairs: list[str]) -> dict[str, str]:
    variables = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise CLIError(f"invalid --var {pair!r}: expected KEY=VALUE", exit_code=ExitCode.USAGE)
        variables[key.strip()] = value
    return variables


@app.command("generate")
def generate(
    ctx: typer.Context,
    topic: Annotated[str, typer.Argument(help="What the script is about (3+ characters).")],
    platform: Annotated[str, typer.Option("--platform", "-p", help=f"One of: {PLATFORM_NAMES}.")] = "tiktok",
    language: Annotated[str, typer.Option("--language", "-l", help="Language code, e.g. en.")] = "en",
    tone: Annotated[str, typer.Option("--tone", help=f"One of: {TONE_NAMES}.")] = "casual",
    duration: Annotated[
        int, typer.Option("--duration", "-d", help="Target length in seconds (15-180 short-form).")
    ] = 60,
    template: Annotated[
        str | None, typer.Option("--template", "-t", help="Template id (ss script templates).")
    ] = None,
    var: Annotated[
        list[str] | None, typer.Option("--var", help="Template variable KEY=VALUE (repeatable).")
    ] = None,
    stream: Annotated[bool, typer.Option("--stream", help="Print the text as it is written.")] = False,
    provider: Annotated[
        str | None,
        typer.Option(help="An LLM provider set up on the server, or 'builtin' (ss script providers)."),
    ] = None,
    fresh: Annotated[bool, typer.Option(help="Ask the LLM again even if this request is cached.")] = False,
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """Write a script: a hook in the first seconds, points, a call to action, hashtags.

    With LLM providers configured on the server (ss script providers), they write it, falling back
    in order; otherwise the built-in offline writer does (English and Spanish): a template draft
    with the form of a script and no facts about the topic, which a note on stderr points out.

    Examples:

      ss script generate "AI in healthcare" --platform youtube --duration 60

      ss script generate "Morning routines" -p tiktok --tone humorous --json | jq .content

      ss script generate "Summer sale" -t tpl_product_launch --var product_name=Glow --var price=19

      ss script generate "Sleep science" --provider anthropic --stream
    """
    from ..contract import GenerateScriptRequest

    request = GenerateScriptRequest.model_validate(
        {
            "topic": topic,
            "platform": platform,
            "language": language,
            "tone": tone,
            "duration": duration,
            "template_id": template,
            "variables": parse_vars(var or []),
            "provider": provider,
            "fresh": fresh,
        }
    )
    fmt = output_format(ctx, json_flag, output)
    with api(ctx) as client:
        if not stream:
            script = client.scripts.generate(request)
        else:
            script = _stream(client.scripts.generate_stream(request), echo=fmt == "table")
            if fmt == "table":
                _fallbacks(script)
                summarize(script)
                _builtin(script)
                return
    _fallbacks(script)
    emit(script, fmt, columns=SCRIPT_DETAIL_COLUMNS, human=show_script)
    _builtin(script)


def _builtin(script: Script) -> None:
    if script.builtin_draft:
        builtin_notice()


def _fallbacks(script: Script) -> None:
    """Say which providers failed before the one that wrote the script: a wrong key should not hide."""
    if script.generation is not None:
        for message in script.generation.fallbacks:
            console.warn(f"fell back: {message}")


def _stream(events: Iterator[ScriptStreamEvent], *, echo: bool) -> Script:
    """Print deltas as they arrive (on a table-format run); return the saved script."""
    for event in events:
        if event.type == "delta" and echo and event.text:
            sys.stdout.write(event.text)
            sys.stdout.flush()
        elif event.type == "restart":
            if echo:
                sys.stdout.write("\n")
                sys.stdout.flush()
            console.warn(f"starting over: {event.message}")
        elif event.type == "done" and event.script is not None:
            if echo:
                sys.stdout.write("\n")
            return event.script
        elif event.type == "error":
            raise CLIError(f"the script stream failed: {event.message or event.error}; nothing was saved")
    raise CLIError("the script stream ended before the script was saved; nothing was saved")


@app.command("list")
def list_(
    ctx: typer.Context,
    platform: Annotated[str | None, typer.Option("--platform", "-p", help="Only this platform.")] = None,
    language: Annotated[str | None, typer.Option("--language", "-l", help="Only this language.")] = None,
    page: Annotated[int, typer.Option(min=1, help="Page number.")] = 1,
    limit: Annotated[int, typer.Option(min=1, max=100, help="Scripts per page.")] = 20,
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """List your scripts, newest first.

    Example: ss script list --platform tiktok -o csv > scripts.csv
    """
    with api(ctx) as client:
        result = client.scripts.list(page=page, limit=limit, platform=platform, language=language)
    fmt = output_format(ctx, json_flag, output)
    emit(result.scripts, fmt, columns=SCRIPT_COLUMNS)
    if fmt == "table" and result.total > page * limit:
        console.info(f"showing {len(result.scripts)} of {result.total}; next: --page {page + 1}")


@app.command("get")
def get(
    ctx: typer.Context, script_id: ScriptId, json_flag: JsonOption = False, output: OutputOption = None
) -> None:
    """Show one script.

    Example: ss script get scr_0123abcd --json
    """
    with api(ctx) as client:
        script = client.scripts.get(script_id)
    emit(script, output_format(ctx, json_flag, output), columns=SCRIPT_DETAIL_COLUMNS, human=show_script)


@app.command("update")
def update(
    ctx: typer.Context,
    script_id: ScriptId,
    title: Annotated[str | None, typer.Option(help="New title.")] = None,
    content_file: Annotated[
        Path | None,
        typer.Option(
            "--content-file",
            "-f",
            help="Replace the text with this file's ('-' reads stdin).",
            allow_dash=True,
        ),
    ] = None,
    hashtags: Annotated[str | None, typer.Option(help="Comma-separated hashtags.")] = None,
    tone: Annotated[str | None, typer.Option(help=f"One of: {TONE_NAMES}.")] = None,
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """Edit a script; word count, timing and scores are recomputed.

    Examples:

      ss script update scr_0123abcd --title "Five AI wins in hospitals"

      ss script get scr_0123abcd --json | jq -r .content > s.txt

      ss script update scr_0123abcd --content-file s.txt
    """
    from ..contract import ScriptUpdate

    changes: dict[str, Any] = {"title": title, "tone": tone}
    if content_file is not None:
        changes["content"] = read_text(content_file)
        if not changes["content"].strip():
            raise CLIError(
                f"--content-file {content_file} is blank: a script needs some text",
                hint="to change only the title, hashtags or tone, leave out --content-file",
                exit_code=ExitCode.USAGE,
            )
    if hashtags is not None:
        changes["hashtags"] = [f"#{tag.strip().lstrip('#')}" for tag in hashtags.split(",") if tag.strip()]
    changes = {key: value for key, value in changes.items() if value is not None}
    if not changes:
        raise CLIError(
            "nothing to change",
            hint="pass --title, --content-file, --hashtags or --tone",
            exit_code=ExitCode.USAGE,
        )
    with api(ctx) as client:
        script = client.scripts.update(script_id, ScriptUpdate.model_validate(changes))
    emit(script, output_format(ctx, json_flag, output), columns=SCRIPT_DETAIL_COLUMNS, human=show_script)


@app.command("delete")
def delete(
    ctx: typer.Context,
    script_id: ScriptId,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a script.

    Example: ss script delete scr_0123abcd --yes
    """
    confirm_destructive(yes, f"Delete script {script_id}?")
    with api(ctx) as client:
        client.scripts.delete(script_id)
    console.success(f"deleted {script_id}")


@app.command("templates")
def templates(ctx: typer.Context, json_flag: JsonOption = False, output: OutputOption = None) -> None:
    """List script templates and the {{variables}} each needs.

    Example: ss script templates -o json
    """
    with api(ctx) as client:
        result = client.scripts.templates()
    emit(result.templates, output_format(ctx, json_flag, output), columns=TEMPLATE_COLUMNS)


PROVIDER_COLUMNS = [
    Column("name", fixed=True),
    Column("kind", fixed=True),
    Column("model"),
    Column("key_set", fixed=True),
    Column("usable", fixed=True),
    Column("reachable", fixed=True),
    Column("problem"),
]


@app.command("providers")
def providers(
    ctx: typer.Context,
    check: Annotated[
        bool, typer.Option("--check", help="Ask each provider for its model list: proves key and URL.")
    ] = False,
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """The LLM providers the server is set up with, in fallback order, and the built-in writer.

    Set them up on the server with SCRIPTSENSEI_<NAME>_API_KEY (and _MODEL, _BASE_URL); the order
    is SCRIPTSENSEI_LLM_PROVIDERS (see `ss help llm`). Keys are never shown.

    Example: ss script providers --check
    """
    with api(ctx) as client:
        result = client.scripts.providers(check=check)
    fmt = output_format(ctx, json_flag, output)
    emit(result.providers, fmt, columns=PROVIDER_COLUMNS)
    if fmt == "table":
        console.info("fallback order: " + " → ".join(result.chain))


@app.command("translate")
def translate(
    ctx: typer.Context,
    script_id: ScriptId,
    to: Annotated[str, typer.Option("--to", help="Language code to translate into, e.g. ja, es, pt-BR.")],
    provider: Annotated[str | None, typer.Option(help="An LLM provider set up on the server.")] = None,
    fresh: Annotated[bool, typer.Option(help="Ask again even if this translation is cached.")] = False,
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """Translate a script into another language, as a new script (needs an LLM provider).

    Example: ss script translate scr_0123abcd --to ja
    """
    with api(ctx) as client:
        script = client.scripts.translate(script_id, to, provider=provider, fresh=fresh)
    _fallbacks(script)
    emit(script, output_format(ctx, json_flag, output), columns=SCRIPT_DETAIL_COLUMNS, human=show_script)


# `analyze` and `import` live in their own module.
register_content_commands(app)
