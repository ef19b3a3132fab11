"""The LLM script format: one parser for streams and whole answers, whatever the chunking."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scriptsensei_cli.engine.llm.prices import cost_usd
from scriptsensei_cli.engine.llm.script_format import (
    FormatError,
    ScriptParser,
    language_problem,
    parse_script,
)

ANSWER = """Sure! Here is your script:
**TITLE:** Five habits that fix your sleep
HOOK:  You are not tired because of your bedtime.
VISUAL: a phone alarm at 6 am
POINT 1: Get ten minutes of daylight
within an hour of waking.
VISUAL: sunrise over a balcony
POINT 2: Note: caffeine lingers   for hours.
CALL TO ACTION: Follow for part two!
HASHTAGS: #sleep #health, habits
"""


def test_the_whole_answer_parses_into_sections() -> None:
    script = parse_script(ANSWER)
    assert script.title == "Five habits that fix your sleep"
    assert script.hook == "You are not tired because of your bedtime."
    assert script.points == [
        "Get ten minutes of daylight within an hour of waking.",
        "Note: caffeine lingers for hours.",
    ]
    assert script.call_to_action == "Follow for part two!"
    assert script.hashtags == ["#sleep", "#health", "#habits"]
    assert script.visuals == ["a phone alarm at 6 am", "sunrise over a balcony", "", ""]
    assert script.content == "\n\n".join([script.hook, *script.points, script.call_to_action])


@given(st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=200))
def test_streamed_deltas_concatenate_to_the_content_for_any_chunking(cuts: list[int]) -> None:
    parser, shown, position = ScriptParser(), [], 0
    for size in cuts:
        shown.append(parser.feed(ANSWER[position : position + size]))
        position += size
    shown.append(parser.feed(ANSWER[position:]))
    script = parser.finish()
    assert "".join(shown) == script.content == parse_script(ANSWER).content


@pytest.mark.parametrize(
    ("answer", "missing"),
    [
        ("Here are some thoughts about sleep.", "TITLE, HOOK, POINT, CTA"),
        ("TITLE: x\nHOOK: y\nCTA: z", "POINT"),
    ],
)
def test_an_answer_out_of_format_is_named(answer: str, missing: str) -> None:
    with pytest.raises(FormatError, match=f"missing {missing}"):
        parse_script(answer)


def test_language_problems_are_caught_and_right_answers_pass() -> None:
    spanish = "No estás cansado por la hora de dormir, es por tus mañanas y por el café que tomas cada tarde."
    assert language_problem(spanish, "es") is None
    assert language_problem(spanish, "en") == "it is written in Spanish, not English"
    assert (
        language_problem("Hello there, this is clearly English text for you.", "ja")
        == "it is not written in Japanese"
    )
    assert language_problem("こんにちは。今日はとても良い天気です。散歩しましょう。", "ja") is None


def test_costs_use_the_longest_known_model_name() -> None:
    assert cost_usd("gpt-4o-mini-2024-07-18", 1_000_000, 0) == pytest.approx(0.15)
    assert cost_usd("gpt-4o", 0, 1_000_000) == pytest.approx(10.0)
    assert cost_usd("llama3.1", 100, 100) is None and cost_usd("gpt-4o", None, 5) is None
