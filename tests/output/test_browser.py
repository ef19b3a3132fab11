"""`--open`: the review sheet goes to a browser where one can appear; elsewhere a reason, never an error."""

from __future__ import annotations

import sys
import webbrowser
from pathlib import Path

import pytest

from scriptsensei_cli.output.browser import open_in_browser

linux_like = pytest.mark.skipif(
    sys.platform in ("darwin", "win32"), reason="displays are an X11/Wayland matter"
)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What `webbrowser.open` was asked to open (nothing is started), and a clean environment."""
    calls: list[str] = []
    for name in ("CI", "DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(name, raising=False)

    def fake_open(url: str, *args: object, **kwargs: object) -> bool:
        calls.append(url)
        return True

    monkeypatch.setattr(webbrowser, "open", fake_open)
    return calls


def test_ci_opens_nothing(opened: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("DISPLAY", ":0")
    assert open_in_browser(tmp_path / "index.html") == "not in CI"
    assert opened == []


@linux_like
def test_no_display_opens_nothing_unless_a_browser_is_chosen(
    opened: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    page = tmp_path / "my review" / "index.html"
    assert open_in_browser(page) == "no display to show a browser on"
    assert opened == []
    monkeypatch.setenv("BROWSER", "my-browser")
    assert open_in_browser(page) is None
    assert opened == [page.resolve().as_uri()] and opened[0].startswith("file:///")


@linux_like
@pytest.mark.parametrize("display", ["DISPLAY", "WAYLAND_DISPLAY"])
def test_a_display_opens_the_file_uri(
    opened: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, display: str
) -> None:
    monkeypatch.setenv(display, ":0")
    assert open_in_browser(tmp_path / "index.html") is None
    assert opened == [(tmp_path / "index.html").as_uri()]


def test_no_browser_or_a_failing_one_is_a_reason(
    opened: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BROWSER", "x")
    monkeypatch.setattr(webbrowser, "open", lambda url: False)
    assert open_in_browser(tmp_path / "index.html") == "no browser found"

    def broken(url: str) -> bool:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "open", broken)
    assert open_in_browser(tmp_path / "index.html") == (
        "the browser did not start (could not locate runnable browser)"
    )
