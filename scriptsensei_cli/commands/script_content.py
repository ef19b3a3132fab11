"""`ss script analyze` and `ss script import`: score any text; turn a document or a web page into a script."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..output import console
from ..output.errors import require_file
from ..output.formatters import Column, emit, key_values
from ._scripts import PLATFORM_NAMES, SCRIPT_DETAIL_COLUMNS, read_text, show_script
from ._shared import JsonOption, OutputOption, api, output_format

if TYPE_CHECKING:
    from ..contract.content import ContentAnalysis

ANALYSIS_COLUMNS = [
    Column("scores.overall", "OVERALL", fixed=True),
    Column("scores.hook", "HOOK", fixed=True),
    Column("scores.engagement", "ENGAGEMENT", fixed=True),
    Column("scores.seo", "SEO", fixed=True),
    Column("scores.readability", "READABILITY", fixed=True),
    Column("scores.specificity", "SPECIFICITY", fixed=True),
    Column("word_count", "WORDS", fixed=True),
    Column("estimated_seconds", "SECS", fixed=True),
    Column("fits_platform", fixed=True),
    Column("scores.suggestions", "SUGGESTIONS"),
]
_URL = re.compile(r"^https?://", re.IGNORECASE)

Platform = Annotated[str, typer.Option("--platform", "-p", help=f"One of: {PLATFORM_NAMES}.")]


def register(app: typer.Typer) -> None:
    """Add `analyze` and `import` to the `ss script` group."""
    app.command("analyze")(analyze)
    app.command("import")(import_)


def analyze(
    ctx: typer.Context,
    source: Annotated[
        Path,
        typer.Argument(help="A text or Markdown file; '-' reads stdin.", metavar="FILE|-", allow_dash=True),
    ],
    platform: Platform = "tiktok",
    language: Annotated[str, typer.Option("--language", "-l", help="Language code, e.g. en.")] = "en",
    topic: Annotated[str | None, typer.Option(help="What it is about (default: its title).")] = None,
    title: Annotated[str | None, typer.Option(help="Title to score (default: the text's own).")] = None,
    duration: Annotated[
        int | None, typer.Option("--duration", "-d", help="Target seconds (default: the platform's limits).")
    ] = None,
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """Score a script: hook, engagement, SEO, readability, specificity, overall, with what to improve.

    Specificity is substance: concrete details and the topic's own words, less stock lines,
    repetition and off-topic text; filler in a perfect form still scores low. Each score is
    explained in `ss help scores`. The writer rates its own drafts with the same scorer.

    A `Title:` line or a leading `#` heading is the title, `#hashtags` are hashtags, the rest is narration.

    Examples:

      ss script analyze draft.md --platform youtube_shorts --topic "sleep tips"

      ss script get scr_0123abcd --json | jq -r .content | ss script analyze - --json
    """
    from ..contract.content import AnalyzeRequest

    request = AnalyzeRequest.model_validate(
        {
            "content": read_text(source),
            "platform": platform,
            "language": language,
            "topic": topic,
            "title": title,
            "duration": duration,
        }
    )
    with api(ctx) as client:
        analysis = client.content.analyze(request)
    emit(analysis, output_format(ctx, json_flag, output), columns=ANALYSIS_COLUMNS, human=show_analysis)


def show_analysis(analysis: ContentAnalysis) -> None:
    s = analysis.scores
    fit = "" if analysis.fits_platform else f" (over the {analysis.max_seconds} s {analysis.platform} limit)"
    console.show(
        key_values(
            [
                ("overall", s.overall),
                ("hook", s.hook),
                ("engagement", s.engagement),
                ("SEO", s.seo),
                ("readability", s.readability),
                ("specificity", "?" if s.specificity is None else s.specificity),
                ("title", analysis.title or "(none)"),
                ("topic", analysis.topic or "(none)"),
                ("length", f"{analysis.word_count} words, ~{analysis.estimated_seconds:.0f} s{fit}"),
            ]
        )
    )
    for suggestion in s.suggestions:
        console.info(f"  → {suggestion}")


def import_(
    ctx: typer.Context,
    source: Annotated[
        str,
        typer.Argument(
            help="A document (text, Markdown, HTML, PDF, DOCX) or an http(s) URL.", metavar="FILE|URL"
        ),
    ],
    platform: Platform = "tiktok",
    language: Annotated[
        str | None, typer.Option("--language", "-l", help="Language code (default: the document's, else en).")
    ] = None,
    title: Annotated[str | None, typer.Option(help="Title (default: the document's).")] = None,
    max_seconds: Annotated[
        int | None,
        typer.Option("--max-seconds", help="Longest narration to keep (default: the platform's maximum)."),
    ] = None,
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """Turn a document or a web page into a script (blog-to-video).

    A file's kind is read from its content, not its name; a web page gives its article, not its menus.

    Headings become paragraph breaks. A document longer than the platform allows is condensed to the
    opening sentences of its sections and paragraphs, and a note on stderr says so.

    Examples:

      ss script import post.md --platform youtube_shorts

      ss script import https://example.com/blog/sleep --max-seconds 60 --json | jq -r .id

      ss script import report.pdf -p youtube --title "Q3 in five minutes"
    """
    from ..contract.content import ImportOptions, ImportUrlRequest

    options = {"platform": platform, "language": language, "title": title, "max_seconds": max_seconds}
    with api(ctx) as client:
        if _URL.match(source):
            imported = client.content.import_url(ImportUrlRequest.model_validate({**options, "url": source}))
        else:
            path = _document_path(source)
            imported = client.content.import_file(path, ImportOptions.model_validate(options))
    if imported.note:
        console.warn(imported.note)
    emit(
        imported.script,
        output_format(ctx, json_flag, output),
        columns=SCRIPT_DETAIL_COLUMNS,
        human=show_script,
    )


def _document_path(source: str) -> Path:
    hint = "URLs start with http:// or https://" if "://" in source or source.startswith("www.") else None
    return require_file(Path(source).expanduser(), shown=source, hint=hint)
