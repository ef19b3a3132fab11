"""Scores measure substance as well as form: calibrated on the corpus in corpus/scripts.toml.

Concrete scripts on ten topics against template filler on the same topics (hand-written filler and
the built-in writer's own drafts), scripts that repeat themselves and scripts about something else.
"""

from __future__ import annotations

import statistics
import tomllib
from pathlib import Path
from typing import Any, get_args

import pytest

from scriptsensei_cli.contract.scripts import QualityScores, Tone
from scriptsensei_cli.engine.writer import (
    BuiltinWriter,
    WriterRequest,
    estimate_narration_seconds,
    score_script,
    score_text,
    split_sentences,
)
from scriptsensei_cli.engine.writer.lexicon import words_of
from scriptsensei_cli.engine.writer.quality import WEIGHTS
from scriptsensei_cli.engine.writer.specificity import _is_stock, _names, _quantities

CORPUS: dict[str, Any] = tomllib.loads((Path(__file__).parent / "corpus" / "scripts.toml").read_text())
TOPICS_CORPUS: list[dict[str, Any]] = CORPUS["topic"]
PLATFORM = "youtube_shorts"
TONES: tuple[str, ...] = get_args(Tone)
# How far a concrete script must score above filler on the same topic, overall.
GAP = 15


def request(entry: dict[str, Any], topic: str | None = None) -> WriterRequest:
    """What `ss script analyze` does: the text's own length is the target."""
    text = entry.get("concrete") or entry["content"]
    seconds = round(estimate_narration_seconds(text.strip(), entry["language"]))
    return WriterRequest(topic or entry["topic"], PLATFORM, entry["language"], "casual", seconds)


def concrete(entry: dict[str, Any], topic: str | None = None) -> QualityScores:
    return score_text(entry["title"], entry["concrete"].strip(), entry["hashtags"], request(entry, topic))


def filler(entry: dict[str, Any]) -> QualityScores:
    return score_text(entry["filler_title"], entry["filler"].strip(), entry["hashtags"], request(entry))


def builtin_drafts(entry: dict[str, Any]) -> list[QualityScores]:
    """The built-in writer's drafts on the topic, at the concrete script's length, in every tone."""
    req = request(entry)
    writer = BuiltinWriter()
    scores = []
    for tone in TONES:
        draft = writer.write(WriterRequest(req.topic, PLATFORM, req.language, tone, req.duration))
        scores.append(score_script(draft, req))
    return scores


def spec(scores: QualityScores) -> int:
    assert scores.specificity is not None
    return scores.specificity


def test_the_corpus_covers_ten_topics_in_two_languages() -> None:
    assert len(TOPICS_CORPUS) >= 10
    assert {entry["language"] for entry in TOPICS_CORPUS} == {"en", "es"}
    assert len(CORPUS["repeated"]) >= 3 and len(CORPUS["off_topic"]) >= 2


@pytest.mark.parametrize("entry", TOPICS_CORPUS, ids=lambda e: e["topic"])
def test_a_concrete_script_scores_clearly_above_filler_on_its_topic(entry: dict[str, Any]) -> None:
    real, fake = concrete(entry), filler(entry)
    assert real.overall >= fake.overall + GAP, (real, fake)
    assert spec(real) >= 70 and spec(fake) <= 30, (real, fake)
    # The form is comparable: the difference is substance, not a missing hook or hashtags.
    assert abs(real.hook - fake.hook) <= 30 and abs(real.engagement - fake.engagement) <= 20


@pytest.mark.parametrize("entry", TOPICS_CORPUS, ids=lambda e: e["topic"])
def test_the_builtin_draft_scores_below_the_concrete_script(entry: dict[str, Any]) -> None:
    real = concrete(entry)
    for draft in builtin_drafts(entry):
        assert draft.overall + GAP <= real.overall, (draft, real)
        assert spec(draft) <= 25
        assert any("concrete details" in s for s in draft.suggestions)


def test_on_average_substance_is_worth_twenty_points() -> None:
    gaps = []
    for entry in TOPICS_CORPUS:
        real = concrete(entry).overall
        gaps.append(real - filler(entry).overall)
        gaps.extend(real - draft.overall for draft in builtin_drafts(entry))
    assert statistics.mean(gaps) >= 20, gaps


@pytest.mark.parametrize("entry", CORPUS["repeated"], ids=lambda e: e["topic"])
def test_scripts_that_repeat_themselves_score_low(entry: dict[str, Any]) -> None:
    scores = score_text("", entry["content"].strip(), [], request(entry))
    assert spec(scores) <= 25, scores
    assert any("Say each thing once" in s for s in scores.suggestions), scores.suggestions


@pytest.mark.parametrize("entry", TOPICS_CORPUS, ids=lambda e: e["topic"])
def test_saying_a_concrete_script_twice_loses_its_specificity(entry: dict[str, Any]) -> None:
    text = entry["concrete"].strip()
    twice = score_text(entry["title"], f"{text}\n\n{text}", entry["hashtags"], request(entry))
    assert spec(twice) <= spec(concrete(entry)) - 45, (twice, concrete(entry))


@pytest.mark.parametrize("entry", CORPUS["off_topic"], ids=lambda e: e["topic"])
def test_scripts_about_something_else_score_low(entry: dict[str, Any]) -> None:
    scores = score_text("", entry["content"].strip(), [], request(entry))
    assert spec(scores) <= 30, scores
    assert any("itself" in s for s in scores.suggestions), scores.suggestions


@pytest.mark.parametrize("index", range(len(TOPICS_CORPUS)), ids=lambda i: TOPICS_CORPUS[i]["topic"])
def test_a_concrete_script_under_another_topic_is_off_topic(index: int) -> None:
    entry = TOPICS_CORPUS[index]
    other = next(
        e
        for e in TOPICS_CORPUS[index + 1 :] + TOPICS_CORPUS[:index]
        if e["language"] == entry["language"]
        and set(words_of(e["topic"])).isdisjoint(words_of(entry["topic"]))
    )
    moved = concrete(entry, topic=other["topic"])
    assert spec(moved) <= 30 and spec(moved) <= spec(concrete(entry)) - 40, (moved, other["topic"])


def test_specificity_weighs_enough_to_matter() -> None:
    assert WEIGHTS["specificity"] >= 0.3
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)
    # Filler in a perfect form, with no substance, cannot reach 70.
    assert round(100 * (1 - WEIGHTS["specificity"])) < 70


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Steep it for 16 hours at a 1:8 ratio.", {"16 hours", "1:8"}),
        ("It costs $19, about 7 percent more, since 2019.", {"$19", "7 percent", "2019"}),
        ("Stop caffeine by 2 p.m. and keep it at 18 °C.", {"2 p.m.", "18 °c"}),
        ("Give it two weeks and 250 grams of flour.", {"two weeks", "250 grams"}),
        ("Use the 50/30/20 rule.", {"50/30/20"}),
        ("Here are 5 tips and 3 things I learned.", set()),  # a count is not a quantity
    ],
)
def test_quantities(sentence: str, expected: set[str]) -> None:
    assert _quantities(sentence, "en") == expected


def test_named_things_are_capitalised_mid_sentence_but_not_the_topic() -> None:
    names, _ = _names("In 2024 the FDA cleared it, and the Mayo Clinic uses it with AI.", {"ai"}, "en")
    assert names == {"fda", "mayo clinic"}
    opening, _ = _names("Remember: This works. Honestly it does.", set(), "en")
    assert opening == set()  # words that open a sentence or a clause are not names


def test_the_writers_own_sentences_are_stock_lines() -> None:
    draft = BuiltinWriter().write(WriterRequest("cold brew coffee", "tiktok", "en", "casual", 60))
    sentences = split_sentences(draft.content)
    stock = [s for s in sentences if _is_stock(words_of(s), "en")]
    assert len(stock) >= 0.8 * len(sentences)
    human = "Mix one part coffee to eight parts cold water, and steep it in the fridge for 16 hours."
    assert not _is_stock(words_of(human), "en")
    assert _is_stock(words_of("At the end of the day, consistency is key."), "en")


def test_languages_without_word_lists_are_judged_on_details_and_topic() -> None:
    req = WriterRequest("医療AI", "tiktok", "ja", "casual", 30)
    plain = score_text("医療AI", "医療AIは進んでいます。医療AIはすごいです。", [], req)
    concrete_ja = score_text(
        "医療AI", "医療AIは2024年にFDAが800件承認しました。医療AIの精度は20%向上。", [], req
    )
    assert spec(concrete_ja) > spec(plain)
