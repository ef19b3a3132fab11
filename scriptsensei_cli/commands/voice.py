"""`ss voice`: list and inspect voices, hear one (a WAV file), make your own from a sample, delete it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..output import console
from ..output.formatters import Column, emit
from ._shared import JsonOption, OutputOption, api, confirm_destructive, output_format

app = typer.Typer(
    help="Voices for narration: list, show, preview, match your own voice from a sample, delete.",
    no_args_is_help=True,
)

VOICE_COLUMNS = [
    Column("id", fixed=True),
    Column("name"),
    Column("language", fixed=True),
    Column("gender", fixed=True),
    Column("style"),
    Column("quality", fixed=True),
    Column("provider", fixed=True),
]
CUSTOM_COLUMNS = [
    *VOICE_COLUMNS,
    Column("method", fixed=True),
    Column("base_voice", fixed=True),
    Column("pitch_semitones", fixed=True),
    Column("rate", fixed=True),
]
VoiceId = Annotated[str, typer.Argument(help="Voice id, e.g. en-us-joe or espeak-hi.", metavar="ID")]


@app.command("list")
def list_(
    ctx: typer.Context,
    language: Annotated[
        str | None, typer.Option("--language", "-l", help="Only voices for this language (en, en-gb, hi…).")
    ] = None,
    gender: Annotated[str | None, typer.Option(help="male or female.")] = None,
    style: Annotated[str | None, typer.Option(help="neutral, energetic, calm, custom…")] = None,
    quality: Annotated[str | None, typer.Option(help="neural (natural) or basic (formant, robotic).")] = None,
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """List voices: your own first, then neural, then formant voices for 100+ languages.

    Use an id with `--voice` in ss video and ss bulk.

    Examples:
      ss voice list --language en
      ss voice list --language hi --gender female
      ss voice list --quality neural
    """
    with api(ctx) as client:
        voices = client.voices.all(language=language, gender=gender, style=style, quality=quality)
    emit(voices, output_format(ctx, json_flag, output), columns=VOICE_COLUMNS)


@app.command("get")
def get(
    ctx: typer.Context, voice_id: VoiceId, json_flag: JsonOption = False, output: OutputOption = None
) -> None:
    """Show one voice (for your own: how it was matched)."""
    with api(ctx) as client:
        voice = client.voices.get(voice_id)
    emit(
        voice,
        output_format(ctx, json_flag, output),
        columns=CUSTOM_COLUMNS if voice.custom else VOICE_COLUMNS,
    )


@app.command("preview")
def preview(
    ctx: typer.Context,
    voice_id: VoiceId,
    text: Annotated[
        str | None, typer.Option("--text", "-t", help="What to say (default: a greeting).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="WAV file to write (default: <id>-preview.wav).")
    ] = None,
) -> None:
    """Synthesize a sample of a voice into a WAV file (nothing is played).

    Examples:
      ss voice preview en-us-joe-calm
      ss voice preview espeak-hi --text "नमस्ते दुनिया" --out hindi.wav
    """
    destination = out or Path(f"{voice_id}-preview.wav")
    with api(ctx) as client:
        path = client.voices.preview(voice_id, destination, text=text)
    console.write_data(str(path))


@app.command("clone")
def clone(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A name for the new voice.")],
    sample: Annotated[
        Path,
        typer.Argument(
            help="10 s to 5 min of one person speaking (WAV, MP3, M4A…; ≤ 50 MB).", metavar="SAMPLE"
        ),
    ],
    description: Annotated[str | None, typer.Option(help="A note for yourself.")] = None,
    language: Annotated[str, typer.Option("--language", "-l", help="The language spoken.")] = "en",
    method: Annotated[
        str,
        typer.Option(help="voice_match (built in), or a cloning provider set up on the server (elevenlabs)."),
    ] = "voice_match",
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """Make a voice of your own by voice matching.

    The server measures the sample's pitch and pace and picks the built-in voice that gets closest,
    at that pitch and pace. It is not a clone of the timbre: that needs a cloning provider. The
    sample is measured and then deleted.

    Example: ss voice clone "My voice" me-reading.wav
    """
    from ..output.errors import require_file
    from ..output.progress import TransferProgress

    require_file(sample)
    with api(ctx) as client, TransferProgress() as bars:
        task = bars.add(f"uploading {sample.name}", sample.stat().st_size)
        voice = client.voices.clone(
            name,
            sample,
            description=description,
            language=language,
            method=method,
            on_progress=lambda sent, _total: bars.update(task, sent),
        )
    fmt = output_format(ctx, json_flag, output)
    if fmt == "table" and voice.method == "voice_match" and voice.measured is not None:
        m = voice.measured
        console.success(
            f"voice {voice.id} matched to {voice.base_voice}: pitch {voice.pitch_semitones:+.1f} semitones "
            f"({m.pitch_hz:.0f} Hz vs {m.base_pitch_hz:.0f} Hz), pace ×{voice.rate:.2f} "
            f"(method: voice_match; a neural clone of the timbre needs a cloning provider)"
        )
    emit(voice, fmt, columns=CUSTOM_COLUMNS)


@app.command("delete")
def delete(
    ctx: typer.Context,
    voice_id: VoiceId,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete one of your own voices (videos already rendered keep their audio)."""
    confirm_destructive(yes, f"Delete voice {voice_id}?")
    with api(ctx) as client:
        client.voices.delete(voice_id)
    console.success(f"deleted {voice_id}")
