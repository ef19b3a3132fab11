"""A command that reads a file says which thing the path is not: missing, or not a regular file."""

from __future__ import annotations

from pathlib import Path

import pytest

from scriptsensei_cli.output.errors import CLIError, require_file
from scriptsensei_cli.output.exit_codes import ExitCode
from tests.conftest import CLI


def test_a_regular_file_passes(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    assert require_file(path) == path


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (Path("/nonexistent/notes.txt"), "no such file: /nonexistent/notes.txt"),
        (Path("/dev/zero"), "not a file: /dev/zero"),
    ],
)
def test_missing_and_not_regular_are_told_apart(path: Path, message: str) -> None:
    with pytest.raises(CLIError) as caught:
        require_file(path, what="--script-file")
    assert caught.value.message == f"--script-file: {message}"
    assert caught.value.exit_code == ExitCode.USAGE


@pytest.mark.parametrize("command", [("trends", "import"), ("script", "import"), ("analytics", "import")])
def test_import_commands_refuse_a_device_without_reading_it(cli: CLI, command: tuple[str, str]) -> None:
    result = cli(*command, "/dev/zero")
    assert result.exit_code == ExitCode.USAGE
    assert "not a file: /dev/zero" in " ".join(result.stderr.split())
