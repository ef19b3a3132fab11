"""The built-in writer's phrase banks: one TOML file per language in `phrases/`, read once and checked.

Hooks, titles and the short hook come in one list per shape of topic (`topic.py`): a noun phrase, a
clause, a question. Words that agree with the topic (`{is}`: "is" or "are") come from `agreement`.
A frame marked "l|" never opens the first point; "{ord}" frames are used for the first ten points
only; phrases with "{n}" only when the count reads naturally.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from importlib import resources

from pydantic import ConfigDict
from pydantic.dataclasses import dataclass

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "es")

_PACKAGE = __name__.rpartition(".")[0]
_EXACT = ConfigDict(extra="forbid")


@dataclass(frozen=True, config=_EXACT)
class Idea:
    """One point a script can make: a short `label` for recaps, the `body` of the claim, a `punch` line,
    two sentences that `explain` it and an `action` for the viewer."""

    label: str
    body: str
    punch: str
    explain: tuple[str, str]
    action: str


@dataclass(frozen=True, config=_EXACT)
class PhraseBank:
    """Everything the built-in writer says in one language. Mappings are keyed by tone, except
    `actions` and `platform_tags`, which are keyed by platform.

    Hook: one of `hooks` (`clause_hooks`, `question_hooks` for those shapes of topic), or
    `short_hook` (`clause_short_hook`, `question_short_hook`) when length allows nothing more, then
    one of `follow_ups`; longer videos add one of `intros` ({over_time} is the first of `over_time`
    for about a minute, the second, with {m} minutes, otherwise).
    Points: an idea opened by one of `frames` or `tone_frames` ({ord} from `ordinals`, {lead} from
    `leads`), then its sentences, one of `asides` now and then, and `angles` once the ideas repeat.
    Call to action: on long videos a recap (the first of `recaps` up to four points, the second
    beyond) and `recap_one`; one of `questions` (`single_questions` for one point), with or without
    `comments`; one of `actions`.
    Titles: one of `titles` (`clause_titles`, `question_titles`); a long topic takes the first.
    Words: `conjunction` and `oxford_comma` join lists, `title_case` says whether titles capitalise
    every word, `topic_ref` ("it", `topic_ref_plural` "them") stands in for a topic already named,
    too long to repeat or not a noun phrase; `agreement` maps a placeholder to its singular and
    plural word.
    """

    ideas: tuple[Idea, ...]
    hooks: Mapping[str, tuple[str, ...]]
    clause_hooks: Mapping[str, tuple[str, ...]]
    question_hooks: Mapping[str, tuple[str, ...]]
    short_hook: str
    clause_short_hook: str
    question_short_hook: str
    follow_ups: Mapping[str, tuple[str, ...]]
    frames: tuple[str, ...]
    tone_frames: Mapping[str, tuple[str, ...]]
    leads: tuple[str, ...]
    ordinals: tuple[str, ...]
    angles: tuple[str, ...]
    asides: Mapping[str, tuple[str, ...]]
    intros: tuple[str, ...]
    over_time: tuple[str, str]
    recaps: tuple[str, str]
    recap_one: str
    questions: Mapping[str, tuple[str, ...]]
    single_questions: tuple[str, ...]
    comments: str
    actions: Mapping[str, tuple[str, ...]]
    titles: Mapping[str, tuple[str, ...]]
    clause_titles: Mapping[str, tuple[str, ...]]
    question_titles: Mapping[str, tuple[str, ...]]
    conjunction: str
    oxford_comma: bool
    title_case: bool
    topic_ref: str
    topic_ref_plural: str
    agreement: Mapping[str, tuple[str, str]]
    platform_tags: Mapping[str, tuple[str, ...]]
    tone_tags: Mapping[str, tuple[str, ...]]
    fallback_tags: tuple[str, ...]


@functools.cache
def phrase_bank(language: str) -> PhraseBank:
    """The bank of a base language code in `SUPPORTED_LANGUAGES`; KeyError for any other."""
    if language not in SUPPORTED_LANGUAGES:
        raise KeyError(language)
    text = (resources.files(_PACKAGE) / "phrases" / f"{language}.toml").read_text(encoding="utf-8")
    return PhraseBank(**tomllib.loads(text))
