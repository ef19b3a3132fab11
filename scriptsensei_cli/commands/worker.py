"""`ss worker`: render jobs from the shared queue (scale-out; see docs/scale-out.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..output import console
from ..output.errors import CLIError
from ..output.exit_codes import ExitCode
from ._shared import state


def worker(
    ctx: typer.Context,
    concurrency: Annotated[
        int | None, typer.Option("--concurrency", "-c", min=1, help="Renders at once (default: by cores).")
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", help="The shared data directory (outputs, media).", file_okay=False),
    ] = None,
    drain_timeout: Annotated[
        float, typer.Option(min=0, help="On SIGTERM, seconds to let renders finish before handing them back.")
    ] = 120.0,
) -> None:
    """Run a render worker: take jobs from the queue until SIGTERM, then drain.

    Reads the same settings as the API nodes: SCRIPTSENSEI_DATABASE_URL, SCRIPTSENSEI_QUEUE_URL,
    SCRIPTSENSEI_EVENTS_URL, SCRIPTSENSEI_DATA_DIR (a path every node shares) or
    SCRIPTSENSEI_STORAGE_URL (an S3-compatible bucket for outputs and media).

    Example: SCRIPTSENSEI_QUEUE_URL=redis://10.0.0.5:6379/0 ss worker --concurrency 2
    """
    import logging

    from ..connection import ENGINE_MISSING_HINT, engine_available

    if not engine_available():
        raise CLIError("the engine is not installed", hint=ENGINE_MISSING_HINT)
    from ..engine.config import EngineConfig
    from ..engine.worker import WorkerError, run_worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    config = EngineConfig.from_env(data_dir or state(ctx).settings.data_dir, workers=concurrency)
    try:
        report = run_worker(config, drain_seconds=drain_timeout)
    except WorkerError as exc:
        raise CLIError(str(exc), exit_code=ExitCode.USAGE) from exc
    console.info(
        f"worker {report.name} stopped"
        + (f"; handed back {len(report.handed_back)} job(s)" if report.handed_back else "")
    )
