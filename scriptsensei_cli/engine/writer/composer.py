"""Composing a script from the phrase bank of its language, fitted to the target duration.

A hook in the first seconds, a few ideas with an action each, a call to action, at a natural speaking
pace. Length fitting chooses the number of points, the sentences of each and the optional pieces.
The topic goes in as it reads mid-sentence, into the hooks and titles made for its shape (noun phrase,
clause or question: `topic.py`), with the words that agree with it; the body names it only as a noun.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from scriptsensei_cli.contract.vocabulary import SCRIPT_PLATFORMS as PLATFORMS
from scriptsensei_cli.contract.vocabulary import PlatformSpec

from ...common.narration import DEFAULT_WORDS_PER_SECOND, WORDS_PER_SECOND, count_words
from .base import WriterRequest
from .casing import cap_word, sentence_case, title_case
from .phrasebank import Idea, PhraseBank, phrase_bank
from .picker import Picker
from .quality import language_base, split_sentences
from .topic import TopicForm, topic_form

# Longer topics are named once in full, then referred to ("it"), or every sentence would drag.
LONG_TOPIC_WORDS = 6
# Aim well inside the ±15 % promise, preferring the default phrasing when it is this close.
_CLOSE_ENOUGH = 0.08
# Stands in for the topic while a phrase is formatted and capitalised, so that the topic stays as written.
_TOPIC_MARK = "\ue000"
_TOPIC_AT_START = re.compile(rf"(^|[.!?]\s+)([¿¡«\"']*){_TOPIC_MARK}")
# Spanish contracts "de el" and "a el" (never "de El Salvador", a name).
_CONTRACTION_ES = re.compile(r"\b([Dd]e|[Aa]) el\b")


@dataclass(frozen=True)
class ComposedScript:
    """A composed script: the hook and the call to action are a paragraph each, `points` one per point."""

    title: str
    hook: str
    points: list[str]
    call_to_action: str


def compose(request: WriterRequest) -> ComposedScript:
    """The script for a validated request in one of the phrase banks' languages."""
    return _Composer(request).script()


@dataclass
class _Plan:
    """A script for a given number of points, with the alternatives the length fitting may pick.

    `hook` and `cta` are slots: a list of alternatives each, index 0 the preferred one, "" leaves
    the slot out. `points` holds every candidate sentence of each point, in the order they are added.
    Each non-preferred pick is one change; leaving out a slot that offers other wordings is two.
    """

    title: str
    hook: list[list[str]]
    points: list[list[str]]
    cta: list[list[str]]


@dataclass
class _Fit:
    plan: _Plan
    lengths: list[int]
    hook: tuple[int, ...]
    cta: tuple[int, ...]
    words: int
    error: float


class _Composer:
    """Writes one script from the request's language bank, fitted to the target duration."""

    def __init__(self, request: WriterRequest) -> None:
        self.request = request
        self.lang = language_base(request.language)
        self.bank = phrase_bank(self.lang)
        self.spec: PlatformSpec = PLATFORMS[request.platform]
        self.tone = request.tone
        self.short = self.spec.short_form
        self.form = topic_form(request.topic, self.lang)
        self.topic = self.form.mid
        self.long_topic = len(self.topic.split()) > LONG_TOPIC_WORDS
        pronoun = self.bank.topic_ref_plural if self.form.plural else self.bank.topic_ref
        # The body names the topic only by a short noun phrase; otherwise it refers to it ("it").
        noun = self.form.noun
        self.unnamed = noun is None or len(noun.split()) > LONG_TOPIC_WORDS
        self.ref = pronoun if noun is None or self.unnamed else noun
        self.agreement = agreement(self.bank, self.form)
        rate = WORDS_PER_SECOND.get(self.lang, DEFAULT_WORDS_PER_SECOND)
        self.target = request.duration * rate
        self.pick = Picker(request)
        self.max_points = 10 if self.short else 4 * len(self.bank.ideas)
        self._words: dict[str, int] = {}

    def script(self) -> ComposedScript:
        fit = self._fit()
        plan = fit.plan
        hook = _paragraph(slot[i] for slot, i in zip(plan.hook, fit.hook, strict=True))
        points = [_paragraph(p[:k]) for p, k in zip(plan.points, fit.lengths, strict=True)]
        cta = _paragraph(slot[i] for slot, i in zip(plan.cta, fit.cta, strict=True))
        return ComposedScript(title=plan.title, hook=hook, points=points, call_to_action=cta)

    # Length fitting: choose how many points, how many sentences each, and the optional pieces.

    def _fit(self) -> _Fit:
        n = self._initial_points()
        best: _Fit | None = None
        tried: set[int] = set()
        while n not in tried:
            tried.add(n)
            fit = self._fit_points(self._plan(n))
            if best is None or abs(fit.error) < abs(best.error):
                best = fit
            if abs(fit.error) <= _CLOSE_ENOUGH:
                break
            per_point = max(
                8.0, (fit.words - self._slot_words(fit.plan.hook) - self._slot_words(fit.plan.cta)) / n
            )
            step = max(1, round(abs(fit.error) * self.target / per_point))
            n = max(1, min(self.max_points, n - step if fit.error > 0 else n + step))
        assert best is not None
        return best

    def _initial_points(self) -> int:
        if self.short:
            return max(1, min(self.max_points, round((self.target - 28) / 24)))
        duration = self.request.duration
        fixed = 30 + (25 if duration >= 45 else 0) + (30 if duration >= 90 else 0)
        # Points get longer (more explanation) as the video does: ~35 words at a minute, ~58 from 5 minutes.
        per_point = 35 + 23 * min(1.0, max(0.0, (duration - 60) / 240))
        return max(1, min(self.max_points, round((self.target - fixed) / per_point)))

    def _fit_points(self, plan: _Plan) -> _Fit:
        w = self._count
        cap = 4 if self.short else max(len(p) for p in plan.points)

        # Grow all points one sentence at a time, level by level, until the target is reached.
        lengths = [1] * len(plan.points)
        total = sum(w(slot[0]) for slot in plan.hook + plan.cta) + sum(w(p[0]) for p in plan.points)
        order = [
            (level, i) for level in range(1, cap) for i, point in enumerate(plan.points) if level < len(point)
        ]
        taken = 0
        while taken < len(order) and total < self.target:
            level, i = order[taken]
            lengths[i] = level + 1
            total += w(plan.points[i][level])
            taken += 1

        # Then settle the optional pieces, together with one sentence less or more.
        variants: list[tuple[int, list[int]]] = [(0, lengths)]
        if taken:
            level, i = order[taken - 1]
            variants.append((1, [level if k == i else length for k, length in enumerate(lengths)]))
        if taken < len(order):
            level, i = order[taken]
            variants.append((1, [level + 1 if k == i else length for k, length in enumerate(lengths)]))
        options = self._slot_options(plan.hook + plan.cta)
        best: tuple[tuple[bool, int, float], _Fit] | None = None
        for changed, variant in variants:
            body = sum(w(s) for p, k in zip(plan.points, variant, strict=True) for s in p[:k])
            for (words, changes), choice in options.items():
                error = (body + words - self.target) / self.target
                # Close enough: the fewest changes to the preferred wording; otherwise simply the closest.
                close = abs(error) <= _CLOSE_ENOUGH
                key = (not close, changed + changes if close else 0, abs(error))
                if best is None or key < best[0]:
                    hook, cta = choice[: len(plan.hook)], choice[len(plan.hook) :]
                    best = (key, _Fit(plan, variant, hook, cta, body + words, error))
        assert best is not None
        return best[1]

    def _slot_options(self, slots: list[list[str]]) -> dict[tuple[int, int], tuple[int, ...]]:
        """Every choice of alternatives, by (words, number of non-preferred picks); first choice wins."""
        # Folded slot by slot, keeping one choice per (words, changes): the product never blows up.
        options: dict[tuple[int, int], tuple[int, ...]] = {(0, 0): ()}
        for slot in slots:
            counts = [self._count(text) for text in slot]
            folded: dict[tuple[int, int], tuple[int, ...]] = {}
            for (words, changes), choice in sorted(options.items(), key=lambda item: item[1]):
                for i, count in enumerate(counts):
                    folded.setdefault((words + count, changes + _change_cost(slot, i)), (*choice, i))
            options = folded
        return options

    def _count(self, text: str) -> int:
        if text not in self._words:
            self._words[text] = count_words(text)
        return self._words[text]

    def _slot_words(self, slots: list[list[str]]) -> int:
        return sum(self._count(slot[0]) for slot in slots)

    # Content: the plan for n points.

    def _plan(self, n: int) -> _Plan:
        bank, tone, pick = self.bank, self.tone, self.pick
        used: set[str] = set()

        # The seeded hook comes first; the others are there for length fitting of very short scripts.
        hook_bank, short_hook = {
            "noun": (bank.hooks, bank.short_hook),
            "clause": (bank.clause_hooks, bank.clause_short_hook),
            "question": (bank.question_hooks, bank.question_short_hook),
        }[self.form.shape]
        hooks = [
            self._fill(h, topic=self.topic, n=n)
            for h in [*pick.shuffled(_for_count(hook_bank[tone], n, 10), "hook"), short_hook]
        ]
        follow_up = self._fill(pick.pick(bank.follow_ups[tone], "follow-up"))
        hook_slots = [hooks, [follow_up, ""]]
        if not self.short and self.request.duration >= 45:
            intros = [i for i in bank.intros if ("{n}" in i) == (n >= 2)]
            intro = pick.pick(intros, "intro")
            hook_slots.append([self._fill(intro, n=n, over_time=self._over_time())])
        for slot in hook_slots:
            for text in slot:
                _use(text, used)

        order = pick.shuffled(range(len(bank.ideas)), "ideas")
        ideas = [bank.ideas[order[i % len(order)]] for i in range(n)]
        points = self._points(ideas, used)

        cta_slots: list[list[str]] = []
        if n >= 3 and self.request.duration >= 90:
            labels = [idea.label for idea in ideas[: min(n, 4)]]
            recap = bank.recaps[0] if n <= 4 else bank.recaps[1]
            cta_slots.append([self._fill(recap, labels=_join(labels, bank.conjunction, bank.oxford_comma))])
            if not self.short:
                cta_slots.append([self._fill(bank.recap_one, label=ideas[0].label), ""])
        questions = [
            self._fill(q)
            for q in pick.shuffled(bank.questions[tone] if n >= 2 else bank.single_questions, "q")
        ]
        cta_slots.append([f"{questions[0]} {bank.comments}", *questions, ""])
        actions = pick.shuffled(bank.actions[self.request.platform], "action")
        cta_slots.append(actions)

        titles = shape_titles(bank, self.form)[tone]
        title = titles[0] if self.long_topic else pick.pick(_for_count(titles, n, 15), "title")
        return _Plan(
            title=render_title(bank, self.form, title, n), hook=hook_slots, points=points, cta=cta_slots
        )

    def _points(self, ideas: list[Idea], used: set[str]) -> list[list[str]]:
        bank, tone = self.bank, self.tone
        frames = self.pick.shuffled(bank.frames + bank.tone_frames[tone], "frames")
        asides = self.pick.shuffled(bank.asides[tone], "asides")
        lead_offset = self.pick.number("lead") % 3
        # Under ~30 s the hook has just named the topic: keep the points short and to the point.
        tight = self.target < 75
        cursor = 0
        points: list[list[str]] = []
        for i, idea in enumerate(ideas):
            cycle = i // len(bank.ideas)
            # Short videos name the topic in the hook and once more at most; long ones every few points.
            use_lead = not (self.unnamed or tight or self.short) and i % 3 == lead_offset
            no_topic = self.unnamed or tight or (self.short and i > 0)
            # The lead keeps its topic mark, so that _fill inserts the topic as written.
            lead = self.pick.pick(bank.leads, f"lead{i}").replace("{topic}", _TOPIC_MARK) if use_lead else ""
            claim = ""
            for step in range(len(frames)):
                frame = frames[(cursor + step) % len(frames)]
                if not _frame_fits(frame, i, len(ideas), len(bank.ordinals), no_topic):
                    continue
                text = self._fill(
                    frame.removeprefix("l|"),
                    topic=self.ref,
                    body=idea.body,
                    lead="" if "{topic}" in frame else lead,
                    ord=bank.ordinals[i] if i < len(bank.ordinals) else "",
                )
                if _fresh(text, used):
                    claim = text
                    cursor = (cursor + step + 1) % len(frames)
                    break
            if not claim:  # every frame already used with this idea: only on very long scripts
                continue
            _use(claim, used)

            if cycle == 0 and self.short:
                rest = [idea.punch, idea.explain[0], idea.action]
            elif cycle == 0:
                rest = [idea.explain[0], idea.explain[1], idea.action]
                if i % 3 == 0:
                    rest.insert(0, idea.punch)
                if i % 4 == 1 and asides:
                    rest.append(asides.pop())
            else:
                first = (2 * (cycle - 1)) % len(bank.angles)
                rest = [bank.angles[(first + k) % len(bank.angles)] for k in range(2)]
            # Name the topic once per point; after that "it" reads better than repeating it.
            named = "{topic}" in frame or bool(lead)
            sentences = [claim]
            pronoun = bank.topic_ref_plural if self.form.plural else bank.topic_ref
            for template in rest:
                topic = pronoun if named else self.ref
                named = named or "{topic}" in template
                text = self._fill(template, topic=topic, label=idea.label)
                if _fresh(text, used):
                    _use(text, used)
                    sentences.append(text)
            points.append(sentences)
        return points

    def _over_time(self) -> str:
        minutes = round(self.request.duration / 60)
        one, many = self.bank.over_time
        return one if minutes <= 1 else many.format(m=minutes)

    def _fill(self, template: str, **values: object) -> str:
        topic = str(values.pop("topic", self.ref))
        values = {**self.agreement, **values}
        return _render(template, topic, tuple(sorted((k, str(v)) for k, v in values.items())), self.lang)


def agreement(bank: PhraseBank, form: TopicForm) -> dict[str, str]:
    """The bank's agreement placeholders, in the topic's number: {"is": "are"} for a plural topic."""
    return {key: pair[1] if form.plural else pair[0] for key, pair in bank.agreement.items()}


def shape_titles(bank: PhraseBank, form: TopicForm) -> dict[str, tuple[str, ...]]:
    """The bank's titles, by tone, for the shape of this topic."""
    titles = {"noun": bank.titles, "clause": bank.clause_titles, "question": bank.question_titles}
    return dict(titles[form.shape])


def render_title(bank: PhraseBank, form: TopicForm, template: str, n: int = 0) -> str:
    """A title template with the topic in: in title case where the language has it ("Why Morning
    Routines Matter"), else capitalised like a sentence. An overlong topic is its own title."""
    if len(form.mid) > 60:
        template = "{Topic}"
    values = {**agreement(bank, form), "n": str(n)}
    if bank.title_case:
        text = template.format_map({**values, "Topic": _TOPIC_MARK, "topic": _TOPIC_MARK})
        return title_case(text.replace(_TOPIC_MARK, form.mid))
    text = template.format_map({**values, "Topic": _TOPIC_MARK, "topic": _TOPIC_MARK})
    text = _CONTRACTION_ES.sub(_contract, text.replace(_TOPIC_MARK, form.mid))
    return cap_word(text)


@functools.lru_cache(maxsize=8192)
def _render(template: str, topic: str, values: tuple[tuple[str, str], ...], lang: str) -> str:
    """Format a phrase and capitalise its sentences; the topic is inserted afterwards, as written."""
    text = sentence_case(template.format_map({"topic": _TOPIC_MARK, **dict(values)}))
    if _TOPIC_MARK in text:
        text = _TOPIC_AT_START.sub(lambda m: m[1] + m[2] + cap_word(topic), text).replace(_TOPIC_MARK, topic)
    if lang == "es":
        text = _CONTRACTION_ES.sub(_contract, text)
    return text


def _contract(match: re.Match[str]) -> str:
    preposition = match[1]
    merged = "del" if preposition.lower() == "de" else "al"
    return merged.capitalize() if preposition[0].isupper() else merged


@functools.lru_cache(maxsize=8192)
def _sentence_keys(text: str) -> tuple[str, ...]:
    return tuple(sentence.lower() for sentence in split_sentences(text))


def _change_cost(slot: list[str], index: int) -> int:
    return 0 if index == 0 else 2 if slot[index] == "" and len(slot) > 2 else 1


def _fresh(text: str, used: set[str]) -> bool:
    """True if no sentence of `text` is in the script yet: nothing is ever said twice verbatim."""
    return not any(key in used for key in _sentence_keys(text))


def _use(text: str, used: set[str]) -> None:
    used.update(_sentence_keys(text))


def _frame_fits(frame: str, i: int, n: int, ordinals: int, no_topic: bool) -> bool:
    if "{ord}" in frame and (n < 2 or i >= ordinals):
        return False
    if frame.startswith("l|") and i == 0:
        return False
    return not (no_topic and "{topic}" in frame)


def _for_count(templates: Sequence[str], n: int, limit: int) -> list[str]:
    """Phrases that fit n points: those that say a number need 2..limit of them."""
    fitting = [t for t in templates if "{n}" not in t or 2 <= n <= limit]
    return fitting or [t for t in templates if "{n}" not in t]


def _paragraph(sentences: Iterator[str] | Sequence[str]) -> str:
    return " ".join(s for s in sentences if s)


def _join(items: Sequence[str], conjunction: str, oxford_comma: bool) -> str:
    if len(items) <= 1:
        return "".join(items)
    comma = "," if oxford_comma and len(items) > 2 else ""
    return f"{', '.join(items[:-1])}{comma} {conjunction} {items[-1]}"
