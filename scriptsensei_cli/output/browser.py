"""Showing a file in the user's browser, for `--open`: best effort, never an error.

    reason = open_in_browser(Path("out/index.html"))   # None: handed to a browser; else why not

Nothing is opened, and the reason is returned, where a browser cannot appear or would get in the way:

- in CI (`CI` set, as every CI service sets it): nobody is there to look;
- on Linux and the BSDs with no display (neither `DISPLAY` nor `WAYLAND_DISPLAY`): the only browsers
  left are console ones (lynx, w3m), which would take over the terminal until they are closed, or wait
  for one that is not there. A `BROWSER` the user set is theirs to choose, so it is still used.

Otherwise Python's `webbrowser` is asked (it starts graphical browsers in the background); when it finds
none, or fails, that is the reason. The caller prints it with the file's path; its exit code is its own.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def open_in_browser(path: Path) -> str | None:
    if os.environ.get("CI"):
        return "not in CI"
    has_display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    if _needs_display() and not has_display and not os.environ.get("BROWSER"):
        return "no display to show a browser on"
    try:
        import webbrowser

        opened = webbrowser.open(path.resolve().as_uri())
    except Exception as exc:  # webbrowser.Error, OSError from a launcher: never the caller's failure
        return f"the browser did not start ({exc})"
    return None if opened else "no browser found"


def _needs_display() -> bool:
    """Whether graphical browsers need an X11 or Wayland display here (not on macOS or Windows)."""
    return os.name == "posix" and sys.platform != "darwin"
