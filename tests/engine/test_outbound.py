"""Keys out of messages: `redact` masks a service's key, also where a message was cut through it."""

from __future__ import annotations

import pytest

from scriptsensei_cli.engine.outbound import redact

KEY = "sk-proj-4f9a0c2e77b1d3a8"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"invalid key {KEY} given", "invalid key *** given"),
        (f"{KEY} and {KEY}", "*** and ***"),
        (f"the key {KEY[:10]}", "the key ***"),  # shortened through the key: its first characters
        (f"the key {KEY[:6]}", "the key ***"),
        ("ends in sk-pr", "ends in sk-pr"),  # five characters say nothing, and could be any word
        ("nothing secret here", "nothing secret here"),
    ],
)
def test_redact_masks_the_key_whole_or_cut(text: str, expected: str) -> None:
    assert redact(text, KEY) == expected


def test_no_key_no_change() -> None:
    assert redact("anything", None) == redact("anything", "") == "anything"
