"""Messages on stderr: one line each in a log, and each prefix said once."""

from __future__ import annotations

import pytest

from scriptsensei_cli.client import BadRequestError
from scriptsensei_cli.output import console
from scriptsensei_cli.output.errors import about, explain

LONG = "the sheet is not CSV or JSON Lines text: " + "word " * 40
HINT = ("save it as CSV UTF-8 " * 8).strip()


def test_a_long_message_is_one_line_when_stderr_is_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    console.error(LONG.strip(), hint=HINT)
    lines = capsys.readouterr().err.splitlines()
    assert lines == ["error: " + LONG.strip(), "hint: " + HINT]


def test_a_message_with_line_breaks_keeps_them(capsys: pytest.CaptureFixture[str]) -> None:
    console.warn("first line\nsecond line " + "x" * 100)
    assert capsys.readouterr().err.splitlines() == ["warning: first line", "second line " + "x" * 100]


@pytest.mark.parametrize(
    ("field", "message", "expected"),
    [
        ("media[0]", "row 2: media[0]: no such file", "row 2: media[0]: no such file"),
        ("media[0]", "media[0]: no such file", "media[0]: no such file"),
        ("voice", "no voice named x", "invalid voice: no voice named x"),
        (None, "bad request", "bad request"),
    ],
)
def test_a_field_the_message_names_is_not_named_again(field: str | None, message: str, expected: str) -> None:
    error = BadRequestError(message, status_code=400, code="invalid", field=field)
    assert explain(error)[0] == expected


def test_a_file_the_message_names_is_named_once() -> None:
    assert about("media/fake.jpg", "fake.jpg: expected an image", also="fake.jpg") == (
        "media/fake.jpg: expected an image"
    )
    assert about("a.jpg", "a.jpg: too big") == "a.jpg: too big"
    assert about("a.jpg", "too big") == "a.jpg: too big"
