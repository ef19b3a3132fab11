"""The offline render pipeline: word timings, caption tracks (ASS, SRT, WebVTT) and the fonts that draw them.

Modules are imported where they are used; this package imports nothing heavy so that loading one step
does not load the others (fontTools, in particular, is only read at render time).
"""

from __future__ import annotations

import threading

_numeric_import = threading.Lock()


def load_numeric() -> None:
    """Import numpy one thread at a time. Two threads that import it for the first time at once can
    leave one with a partly initialised numpy ("cannot import name '__cpu_features__'"), so every
    thread that may be the first to need it (a render, the warm-up, a preview, a forecast, a
    generated picture) comes through here first. Once loaded this costs a lock and a dict lookup."""
    with _numeric_import:
        import numpy  # noqa: F401
