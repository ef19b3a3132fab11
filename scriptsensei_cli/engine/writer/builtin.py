"""The built-in writer: offline, deterministic, fast scripts from phrase banks.

It is what `ss script generate` uses with no LLM provider configured, so it has to read like a real
short-video script: a hook in the first seconds, a few ideas with an action each, a call to action,
fitted to the target duration at a natural speaking pace. Every choice is seeded by a hash of the
request, so the same request always gives the same script.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar, get_args

from scriptsensei_cli.contract.scripts import Tone
from scriptsensei_cli.contract.vocabulary import PLATFORMS, PlatformSpec

from ...common.narration import DEFAULT_WORDS_PER_SECOND, WORDS_PER_SECOND, count_words
from .base import Draft, Finished, TextDelta, WriterError, WriterEvent, WriterRequest
from .quality import language_base, split_sentences, topic_keywords
from .templates import render_template

PROVIDER = "builtin"
SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "es")
TONES: tuple[str, ...] = get_args(Tone)
MAX_DURATION = 3600
# Longer topics are named once in full, then referred to ("it"), or every sentence would drag.
LONG_TOPIC_WORDS = 6
WORDS_PER_DELTA = 4
# Aim well inside the ±15 % promise, preferring the default phrasing when it is this close.
_CLOSE_ENOUGH = 0.08

T = TypeVar("T")


class BuiltinWriter:
    """The offline writer. English and Spanish; other languages need an LLM provider.

    ```python
    draft = BuiltinWriter().write(WriterRequest("AI in healthcare", "youtube", "en", "educational", 60))
    print(draft.content)
    ```
    """

    name: str = PROVIDER

    def write(self, request: WriterRequest) -> Draft:
        _validate(request)
        if request.template is not None:
            return _from_template(request)
        return _Composer(request).draft()

    def stream(self, request: WriterRequest) -> Iterator[WriterEvent]:
        draft = self.write(request)
        for piece in _deltas(draft.content):
            yield TextDelta(piece)
        yield Finished(draft)


def _validate(request: WriterRequest) -> None:
    if not request.topic.strip():
        raise WriterError("topic is empty", field="topic")
    if request.platform not in PLATFORMS:
        raise WriterError(
            f"unknown platform '{request.platform}' (one of {', '.join(PLATFORMS)})", field="platform"
        )
    if request.tone not in TONES:
        raise WriterError(f"unknown tone '{request.tone}' (one of {', '.join(TONES)})", field="tone")
    if not 1 <= request.duration <= MAX_DURATION:
        raise WriterError(f"duration must be between 1 and {MAX_DURATION} seconds", field="duration")
    # A template only needs filling in, which works in any language.
    if request.template is None and language_base(request.language) not in SUPPORTED_LANGUAGES:
        raise WriterError(
            f"The built-in writer writes {', '.join(SUPPORTED_LANGUAGES)}; '{request.language}' needs an "
            "LLM provider (configure an LLM provider to write in other languages).",
            field="language",
        )


def _deltas(content: str) -> Iterator[str]:
    """Pieces of a few words each, whitespace kept, so that they concatenate to `content` exactly."""
    tokens = re.findall(r"\s*\S+", content)
    emitted = 0
    for start in range(0, len(tokens), WORDS_PER_DELTA):
        piece = "".join(tokens[start : start + WORDS_PER_DELTA])
        emitted += len(piece)
        yield piece
    if emitted < len(content):
        yield content[emitted:]


class _Picker:
    """Stable choices from a seed: sha256, never the global `random` state or the clock."""

    def __init__(self, request: WriterRequest) -> None:
        template = request.template
        key = [
            " ".join(request.topic.split()).lower(),
            request.platform,
            request.language.lower(),
            request.tone,
            request.duration,
            [template.id, template.content] if template else None,
            sorted(request.variables.items()),
        ]
        self._seed = json.dumps(key, ensure_ascii=False)

    def number(self, salt: str) -> int:
        digest = hashlib.sha256(f"{self._seed}|{salt}".encode()).digest()
        return int.from_bytes(digest[:8], "big")

    def pick(self, items: Sequence[T], salt: str) -> T:
        return items[self.number(salt) % len(items)]

    def shuffled(self, items: Sequence[T], salt: str) -> list[T]:
        order = sorted(range(len(items)), key=lambda i: self.number(f"{salt}#{i}"))
        return [items[i] for i in order]


# --- composition -----------------------------------------------------------------------------------


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
        self.bank = _BANKS[self.lang]
        self.spec: PlatformSpec = PLATFORMS[request.platform]
        self.tone = request.tone
        self.short = self.spec.short_form
        self.topic = " ".join(request.topic.split())
        self.long_topic = len(self.topic.split()) > LONG_TOPIC_WORDS
        self.ref = self.bank.topic_ref if self.long_topic else self.topic
        rate = WORDS_PER_SECOND.get(self.lang, DEFAULT_WORDS_PER_SECOND)
        self.target = request.duration * rate
        self.pick = _Picker(request)
        self.max_points = 10 if self.short else 4 * len(self.bank.ideas)
        self._words: dict[str, int] = {}

    def draft(self) -> Draft:
        fit = self._fit()
        plan = fit.plan
        hook = _paragraph(slot[i] for slot, i in zip(plan.hook, fit.hook, strict=True))
        points = [_paragraph(p[:k]) for p, k in zip(plan.points, fit.lengths, strict=True)]
        cta = _paragraph(slot[i] for slot, i in zip(plan.cta, fit.cta, strict=True))
        content = "\n\n".join([hook, *points, cta])
        return Draft(
            title=plan.title,
            hook=hook,
            points=points,
            call_to_action=cta,
            hashtags=_hashtags(
                self.topic, self.lang, self.request.platform, self.tone, self.spec.hashtag_count
            ),
            content=content,
            provider=PROVIDER,
            model=None,
        )

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
        hooks = [
            self._fill(h, topic=self.topic, n=n)
            for h in [*pick.shuffled(_for_count(bank.hooks[tone], n, 10), "hook"), bank.short_hook]
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

        title = pick.pick(_for_count(bank.titles[tone], n, 15), "title")
        return _Plan(title=self._title(title, n), hook=hook_slots, points=points, cta=cta_slots)

    def _points(self, ideas: list[_Idea], used: set[str]) -> list[list[str]]:
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
            use_lead = not (self.long_topic or tight or self.short) and i % 3 == lead_offset
            no_topic = self.long_topic or tight or (self.short and i > 0)
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
            for template in rest:
                topic = bank.topic_ref if named else self.ref
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

    def _title(self, template: str, n: int) -> str:
        topic = _title_case(self.topic) if self.bank.title_case else _cap_word(self.topic)
        if self.long_topic:  # a long topic is a title already; only a short suffix still reads well
            template = self.bank.titles[self.tone][0] if len(topic) <= 60 else "{Topic}"
        title = template.format(Topic=topic, topic=self.topic, n=n)
        return _cap_word(title)

    def _fill(self, template: str, **values: object) -> str:
        topic = str(values.pop("topic", self.ref))
        return _render(template, topic, tuple(sorted((k, str(v)) for k, v in values.items())))


@functools.lru_cache(maxsize=8192)
def _render(template: str, topic: str, values: tuple[tuple[str, str], ...]) -> str:
    """Format a phrase and capitalise its sentences; the topic is inserted afterwards, as written."""
    text = _sentence_case(template.format_map({"topic": _TOPIC_MARK, **dict(values)}))
    if _TOPIC_MARK in text:
        text = _TOPIC_AT_START.sub(lambda m: m[1] + m[2] + _cap_word(topic), text).replace(_TOPIC_MARK, topic)
    return text


_TOPIC_MARK = "\ue000"
_SENTENCE_START = re.compile(r"(^|[.!?]\s+)([¿¡«\"']*)(\w+)")
_TOPIC_AT_START = re.compile(rf"(^|[.!?]\s+)([¿¡«\"']*){_TOPIC_MARK}")
_FIRST_WORD = re.compile(r"([¿¡«\"']*)(\w+)")


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


def _cap_word(text: str) -> str:
    """Capitalise the first letter, unless the first word is already mixed case (iPhone, eBay)."""
    match = _FIRST_WORD.match(text)
    if not match or any(ch.isupper() for ch in match[2][1:]):
        return text
    start = match.start(2)
    return text[:start] + text[start].upper() + text[start + 1 :]


def _sentence_case(text: str) -> str:
    return _SENTENCE_START.sub(lambda m: m[1] + m[2] + _cap_word(m[3]), text)


_SMALL_WORDS = frozenset(
    (
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "nor",
        "of",
        "on",
        "or",
        "the",
        "to",
        "vs",
        "via",
        "with",
    )
)


def _title_case(text: str) -> str:
    words = text.split()
    return " ".join(
        word if any(ch.isupper() for ch in word) or (k and word.lower() in _SMALL_WORDS) else _cap_word(word)
        for k, word in enumerate(words)
    )


def _hashtags(topic: str, lang: str, platform: str, tone: str, count: int) -> list[str]:
    """Topic tags (CamelCase phrase, then single words), platform tags, then tone and generic ones."""
    bank = _BANKS.get(lang, _BANKS["en"])
    words = [re.sub(r"\W", "", k) for k in topic_keywords(topic, lang)]
    words = [w for w in words if w]
    combined = "#" + "".join(w if any(ch.isupper() for ch in w) else w[:1].upper() + w[1:] for w in words[:4])
    singles = [f"#{w.lower()}" for w in words if not w.isdigit()]
    platform_tags = list(bank.platform_tags.get(platform, ()))
    candidates = [
        *([combined] if len(words) > 1 and len(combined) <= 31 else []),
        *platform_tags[:1],
        *singles,
        *platform_tags[1:],
        *bank.tone_tags.get(tone, ()),
        *bank.fallback_tags,
    ]
    tags: list[str] = []
    for tag in candidates:
        if len(tag) > 1 and tag.lower() not in {t.lower() for t in tags}:
            tags.append(tag)
    return tags[:count]


# --- templates -------------------------------------------------------------------------------------


def _from_template(request: WriterRequest) -> Draft:
    assert request.template is not None
    template = request.template
    text = render_template(template, request.topic, request.variables)
    lines = text.strip().splitlines()
    title = ""
    if lines and (match := re.match(r"(?i)\s*title\s*:\s*(.+)$", lines[0])):
        title = match[1].strip()
        text = "\n".join(lines[1:])
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    if not paragraphs:
        raise WriterError(f"template '{template.id}' has no text to narrate", field="template")
    if len(paragraphs) == 1:
        sentences = split_sentences(paragraphs[0])
        paragraphs = (
            [sentences[0], " ".join(sentences[1:-1]), sentences[-1]] if len(sentences) > 1 else sentences
        )
        paragraphs = [p for p in paragraphs if p]
    hook = paragraphs[0]
    cta = paragraphs[-1] if len(paragraphs) > 1 else ""
    points = paragraphs[1:-1]

    lang = language_base(request.language)
    if not title:
        title = _template_title(request, lang)
    spec = PLATFORMS[request.platform]
    return Draft(
        title=title,
        hook=hook,
        points=points,
        call_to_action=cta,
        hashtags=_hashtags(request.topic, lang, request.platform, request.tone, spec.hashtag_count),
        content="\n\n".join(p for p in [hook, *points, cta] if p),
        provider=PROVIDER,
        model=None,
    )


def _template_title(request: WriterRequest, lang: str) -> str:
    topic = " ".join(request.topic.split())
    bank = _BANKS.get(lang)
    if bank is None:
        return _cap_word(topic)
    titles = [t for t in bank.titles[request.tone] if "{n}" not in t]
    template = _Picker(request).pick(titles, "title")
    shown = _title_case(topic) if bank.title_case else _cap_word(topic)
    return _cap_word(template.format(Topic=shown, topic=topic))


# --- phrase banks ----------------------------------------------------------------------------------
#
# Phrases keep the topic out of subject position ("about {topic}", "with {topic}"), so that a plural
# or singular topic reads correctly. A frame marked "l|" never opens the first point; "{ord}" frames
# are used for the first ten points only; phrases with "{n}" only when the count reads naturally.


@dataclass(frozen=True)
class _Idea:
    label: str
    body: str
    punch: str
    explain: tuple[str, str]
    action: str


@dataclass(frozen=True)
class _Bank:
    ideas: tuple[_Idea, ...]
    hooks: Mapping[str, tuple[str, ...]]
    short_hook: str
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
    conjunction: str
    oxford_comma: bool
    title_case: bool
    topic_ref: str
    platform_tags: Mapping[str, tuple[str, ...]]
    tone_tags: Mapping[str, tuple[str, ...]]
    fallback_tags: tuple[str, ...]


_EN = _Bank(
    ideas=(
        _Idea(
            "start small",
            "the smallest useful step beats the perfect plan",
            "Small steps actually get done.",
            (
                "Big plans stall because they ask for everything at once.",
                "A small step gives you something real to learn from by the end of the week.",
            ),
            "Pick one part of {topic} you can act on this week, and ignore the rest for now.",
        ),
        _Idea(
            "learn the basics first",
            "the fundamentals do more of the work than any clever trick",
            "Tricks come later.",
            (
                "Most shortcuts only work once the basics are already in place.",
                "People who skip them end up relearning them later, usually at a worse moment.",
            ),
            "Write down the three core ideas behind {topic} and check you could explain each one in a "
            "sentence.",
        ),
        _Idea(
            "measure before you change anything",
            "you can't improve what you never measured",
            "Guessing feels fast. It isn't.",
            (
                "Without a starting point, every change feels like progress, even when it isn't.",
                "A simple number you check every week tells you more than a hundred opinions.",
            ),
            "Choose one number that shows whether your work on {topic} is paying off, and write down "
            "today's value.",
        ),
        _Idea(
            "stay consistent",
            "consistency beats intensity almost every time",
            "Boring wins.",
            (
                "A burst of effort feels great, but it rarely survives a busy week.",
                "Ten focused minutes a day add up to more than one heroic weekend a month.",
            ),
            "Put a short, recurring slot for {topic} in your calendar and protect it like a meeting.",
        ),
        _Idea(
            "copy the principle, not the tactic",
            "what worked for someone else only works if their situation looks like yours",
            "Context changes everything.",
            (
                "Success stories leave out the conditions that made them work.",
                "The principle usually transfers; the exact tactic often doesn't.",
            ),
            "Next time you see a tip about {topic}, ask what had to be true for it to work, and whether "
            "that's "
            "true for you.",
        ),
        _Idea(
            "check your sources",
            "a lot of the advice out there is confidently wrong",
            "Loud isn't the same as right.",
            (
                "Popular claims about {topic} spread because they're simple, not because they're accurate.",
                "The best sources show their reasoning and admit what they don't know.",
            ),
            "Before you act on a claim, look for one source that explains why it's true, not just that it "
            "is.",
        ),
        _Idea(
            "focus on the few things that matter",
            "a handful of decisions drive most of the results",
            "Not everything deserves your attention.",
            (
                "It's easy to spend hours on details that barely move the needle.",
                "Find the two or three choices that matter most, and give them your best energy.",
            ),
            "List everything you do around {topic}, then circle the items that actually change the outcome.",
        ),
        _Idea(
            "give it time",
            "the real results show up later than most people expect",
            "Early progress looks like nothing.",
            (
                "The first weeks are mostly invisible groundwork, which is exactly why people quit.",
                "Results tend to compound, so the payoff arrives slowly and then all at once.",
            ),
            "Decide now how long you'll give {topic} before you judge it, and put that date in your "
            "calendar.",
        ),
        _Idea(
            "treat mistakes as data",
            "every mistake is feedback you didn't have to pay much for",
            "Mistakes are information.",
            (
                "The people who get good at {topic} are rarely the ones who never failed.",
                "They're the ones who noticed what went wrong and adjusted quickly.",
            ),
            "After your next attempt, write one sentence about what you'd do differently, and start there.",
        ),
        _Idea(
            "ask why before how",
            "knowing the why makes the how much easier to remember",
            "Understand it, then do it.",
            (
                "Steps you memorize without understanding fall apart the moment something changes.",
                "Once you see why something works, you can adapt it instead of starting over.",
            ),
            "For each step you take with {topic}, say out loud why it matters before you do it.",
        ),
        _Idea(
            "get feedback early",
            "early feedback saves you from polishing the wrong thing",
            "Show it before it's perfect.",
            (
                "Working alone for too long feels safe, but it hides problems until they're expensive.",
                "A quick reaction from someone you trust can save you weeks.",
            ),
            "Share a rough version of your work on {topic} with one person this week, and ask what confused "
            "them.",
        ),
        _Idea(
            "keep it simple",
            "the simple version usually outperforms the complicated one",
            "Simple scales. Complicated breaks.",
            (
                "Every extra step is one more place where things can go wrong.",
                "If you can't explain your approach in two sentences, it's probably too complicated.",
            ),
            "Take your current approach to {topic} and remove one step that nobody would miss.",
        ),
        _Idea(
            "learn from people ahead of you",
            "someone has already solved the problem you're stuck on",
            "You don't have to figure it all out alone.",
            (
                "A short conversation with someone a few steps ahead can save you months of trial and error.",
                "Communities around {topic} are usually more generous than people expect.",
            ),
            "Find one person who's further along with {topic} and ask them a single, specific question.",
        ),
        _Idea(
            "write it down",
            "what you write down, you can actually improve",
            "Your memory is not a system.",
            (
                "Notes turn vague impressions into patterns you can see.",
                "A few lines after each session show you what's working far better than memory can.",
            ),
            "Keep a simple log for {topic}: the date, what you tried, and what happened.",
        ),
        _Idea(
            "know what success looks like",
            "if you never define success, you'll never feel like you reached it",
            "Vague goals get vague results.",
            (
                "Getting better isn't a goal, because there's no moment when you can say you've done it.",
                "A clear target tells you what to do next and what to ignore.",
            ),
            "Write one sentence that describes what success with {topic} looks like ninety days from now.",
        ),
        _Idea(
            "test on a small scale",
            "a small test tells you more than a long debate",
            "Test it. Don't argue about it.",
            (
                "You can spend weeks discussing what might work, or a few days finding out.",
                "Small tests are cheap to run and cheap to throw away.",
            ),
            "Pick one idea about {topic} you're unsure of, and design a test you could finish in a week.",
        ),
        _Idea(
            "plan for the hard days",
            "motivation runs out, so plan for the days when it does",
            "Motivation is unreliable.",
            (
                "Everyone is consistent when things are easy.",
                "What separates people is a plan for the tired, busy, distracted days.",
            ),
            "Decide on a minimum version, something you can still do on your worst day.",
        ),
        _Idea(
            "question your assumptions",
            "some of what you believe is probably out of date",
            "Things change faster than opinions do.",
            (
                "The world around {topic} keeps moving, and yesterday's best practice can quietly become "
                "today's mistake.",
                "Revisiting what you think you know is how experts stay experts.",
            ),
            "Write down one thing you're sure of about {topic}, then look for the best argument against it.",
        ),
        _Idea(
            "mind the hidden costs",
            "the obvious cost is rarely the biggest one",
            "Time is a cost too.",
            (
                "Money is easy to count, but time, attention and upkeep add up quietly.",
                "The options that look cheap at the start often end up costing the most.",
            ),
            "Before your next decision about {topic}, list the costs that won't show up on a receipt.",
        ),
        _Idea(
            "build trust first",
            "trust takes a long time to build and seconds to lose",
            "Trust is the real currency.",
            (
                "Whether it's customers, colleagues or an audience, people follow what they can rely on.",
                "Being honest about limits earns more trust than overpromising ever will.",
            ),
            "Look at how you talk about {topic}, and remove any claim you couldn't back up tomorrow.",
        ),
        _Idea(
            "think long term",
            "the quick win and the right move are not always the same thing",
            "Play the long game.",
            (
                "Short-term wins feel good, but they can lock you into choices that hurt later.",
                "Ask what a decision looks like a year from now, not just next week.",
            ),
            "For your next choice about {topic}, picture yourself a year from now and ask which option "
            "you'd thank yourself for.",
        ),
        _Idea(
            "use a checklist",
            "a simple checklist catches the mistakes experience doesn't",
            "Even experts use checklists.",
            (
                "Pilots and surgeons use checklists because attention slips, no matter how skilled you are.",
                "A short list of must-do steps makes good work repeatable.",
            ),
            "Turn what you already do with {topic} into a five-item checklist, and use it next time.",
        ),
        _Idea(
            "read less, do more",
            "more information won't help if you never act on it",
            "Less reading, more doing.",
            (
                "It's tempting to keep researching, because learning feels like progress.",
                "At some point the next article matters less than the next attempt.",
            ),
            "Pick one resource on {topic}, finish it, and apply one idea before you open another.",
        ),
        _Idea(
            "teach it to someone",
            "explaining it to someone else shows you what you actually understand",
            "Teaching is the test.",
            (
                "Gaps in your understanding become obvious the moment you try to explain them.",
                "You don't need an audience; a friend or even a voice note works.",
            ),
            "Explain {topic} to a friend in two minutes, and notice where you hesitate.",
        ),
        _Idea(
            "protect your energy",
            "your energy matters as much as your time",
            "Rest is part of the work.",
            (
                "Hours spent while exhausted rarely produce your best thinking.",
                "Doing the hardest part when you're sharpest makes everything else easier.",
            ),
            "Schedule your most demanding work on {topic} for the time of day you feel most focused.",
        ),
        _Idea(
            "make it a habit",
            "habits do the heavy lifting when willpower gives out",
            "Make it automatic.",
            (
                "Decisions drain you; habits don't.",
                "Attaching a new action to something you already do every day is the easiest way to make it "
                "stick.",
            ),
            "Link one small action related to {topic} to something you do every day, like your morning "
            "coffee.",
        ),
        _Idea(
            "study real examples",
            "real examples teach faster than abstract theory",
            "Show, don't just tell.",
            (
                "Theory tells you what should happen; examples show you what actually does.",
                "A few real cases of {topic} reveal the details that summaries leave out.",
            ),
            "Find three real examples of {topic} done well, and write down what they have in common.",
        ),
        _Idea(
            "name the risks",
            "every upside comes with risks worth naming out loud",
            "Name the risks early.",
            (
                "The problems you talk about early are the ones you can plan around.",
                "Ignoring risks doesn't make them smaller; it just turns them into surprises.",
            ),
            "Write down the biggest thing that could go wrong with {topic}, and one step that makes it less "
            "likely.",
        ),
        _Idea(
            "ask better questions",
            "the quality of your questions decides the quality of your answers",
            "Better questions, better answers.",
            (
                "Broad questions get broad answers that are hard to use.",
                "Specific questions force you, and anyone helping you, to get concrete.",
            ),
            "Turn one vague question about {topic} into a specific one you could answer this week.",
        ),
        _Idea(
            "celebrate progress",
            "noticing progress is what keeps you going",
            "Progress deserves attention.",
            (
                "It's easy to focus on how far there is to go and forget how far you've come.",
                "Looking back at where you started makes the next step feel possible.",
            ),
            "Once a month, compare where you are with {topic} today to where you started.",
        ),
    ),
    hooks={
        "casual": (
            "You're probably getting {topic} wrong.",
            "Nobody tells you this about {topic}.",
            "Want {topic} to finally click?",
            "Here are {n} things about {topic} I wish I'd known sooner.",
            "Thinking about {topic}? Watch this first.",
        ),
        "professional": (
            "What should {topic} actually mean for your work?",
            "{n} lessons about {topic} that most teams learn too late.",
            "Are you underestimating {topic}? Most people do.",
            "Are you approaching {topic} the right way?",
        ),
        "educational": (
            "How well do you really understand {topic}?",
            "Here are {n} ideas that make {topic} easier to understand.",
            "By the end of this video, you'll see {topic} more clearly.",
            "What's the one thing everyone should know about {topic}?",
        ),
        "entertaining": (
            "Stop scrolling: you need to hear this about {topic}.",
            "Did you know most people get {topic} completely backwards?",
            "{n} things about {topic} you didn't expect, and the last one is my favorite.",
            "Ready for a wild ride through the world of {topic}?",
            "Okay, you are not ready for the truth about {topic}.",
        ),
        "inspirational": (
            "What if {topic} could change more than you think?",
            "Your journey with {topic} starts with one decision.",
            "You're closer to mastering {topic} than you realize.",
            "{n} truths about {topic} that can change how you show up.",
            "Ever feel stuck with {topic}? You're not alone.",
        ),
        "humorous": (
            "You, trying to figure out {topic}: confused, but determined.",
            "Does anyone actually get {topic}, or are we all pretending?",
            "{n} lessons about {topic} I learned the hard way, so you don't have to.",
            "Be honest: are you just winging {topic}?",
        ),
    },
    short_hook="{topic}? Here's the short version.",
    follow_ups={
        "casual": ("Let's get into it.", "Here's what actually works.", "Stick with me, it's quick."),
        "professional": (
            "Here's a practical way to think about it.",
            "Let's look at what actually drives results.",
            "Here's what the best teams do differently.",
        ),
        "educational": ("Let's break it down.", "Here's the simple version.", "Let's start with the basics."),
        "entertaining": ("Let's go.", "Buckle up.", "Stay till the end."),
        "inspirational": ("Let's begin.", "Here's where to start.", "This one's for you."),
        "humorous": (
            "Don't worry, I made the mistakes for you.",
            "Good news: it gets easier.",
            "Let's do this, with minimal embarrassment.",
        ),
    },
    frames=(
        "Here's what most people miss about {topic}: {body}.",
        "When it comes to {topic}, {body}.",
        "The part of {topic} nobody talks about? {body}.",
        "A lesson about {topic} that took me too long to learn: {body}.",
        "Something most guides on {topic} skip: {body}.",
        "{ord}, {lead}{body}.",
        "l|Next, {lead}{body}.",
        "Here's the thing: {lead}{body}.",
        "Remember this: {lead}{body}.",
        "l|Another one: {lead}{body}.",
        "Simple, but true: {lead}{body}.",
        "l|Also, {lead}{body}.",
    ),
    tone_frames={
        "casual": (
            "Real talk: {lead}{body}.",
            "l|Okay, this one's big: {lead}{body}.",
            "Honestly? {lead}{body}.",
        ),
        "professional": (
            "l|Another key point: {lead}{body}.",
            "Consider this: {lead}{body}.",
            "A practical point: {lead}{body}.",
        ),
        "educational": (
            "Key idea: {lead}{body}.",
            "Here's how it works: {lead}{body}.",
            "l|Building on that: {lead}{body}.",
        ),
        "entertaining": (
            "Plot twist: {lead}{body}.",
            "l|Now here's where it gets good: {lead}{body}.",
            "Ready for this? {lead}{body}.",
        ),
        "inspirational": (
            "Here's the truth: {lead}{body}.",
            "Never forget this: {lead}{body}.",
            "l|And this matters: {lead}{body}.",
        ),
        "humorous": (
            "Spoiler: {lead}{body}.",
            "Fun fact, and by fun I mean painful: {lead}{body}.",
            "Brace yourself: {lead}{body}.",
        ),
    },
    leads=("with {topic}, ", "in the world of {topic}, "),
    ordinals=("First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth"),
    angles=(
        "Here's a simple way to test it: for one week, {label}, and compare the results with the week "
        "before.",
        "Even on a busy day, you can still {label}.",
        "Try it with {topic} this week: {label}, then notice what changes.",
        "Whenever you feel stuck with {topic}, come back to this: {label}.",
        "Ask yourself where you could {label} in your own work with {topic}.",
        "Small reminder: {label}. It sounds simple, and that's exactly why it works.",
    ),
    asides={
        "casual": (
            "Honestly, this one changed a lot for me.",
            "Sounds obvious, but almost nobody does it.",
            "Trust me, it's worth it.",
        ),
        "professional": (
            "In practice, this is where most of the value is.",
            "It's a small change with an outsized effect.",
            "Teams that do this consistently tend to move faster.",
        ),
        "educational": (
            "That's the core idea; the rest is detail.",
            "Keep that in mind, because the next point builds on it.",
            "If you remember one detail, make it this one.",
        ),
        "entertaining": ("Yes, really.", "I know, wild.", "And that's where it gets fun."),
        "inspirational": (
            "You're more capable than you think.",
            "Every expert started exactly where you are.",
            "Progress, not perfection.",
        ),
        "humorous": (
            "Ask me how I know.",
            "Yes, I learned that the hard way.",
            "My past self is taking notes.",
        ),
    },
    intros=(
        "{over_time}, we'll go through {n} ideas about {topic}, from the basics to the parts most people "
        "skip.",
        "I'll walk you through {n} ideas that make a real difference.",
        "The plan: {n} ideas, one at a time, with no fluff.",
        "Let's get straight to what actually matters.",
    ),
    over_time=("Over the next minute", "Over the next {m} minutes"),
    recaps=("Quick recap: {labels}.", "Quick recap of the big ones: {labels}."),
    recap_one="If you only remember one thing, make it this: {label}.",
    questions={
        "casual": (
            "Which one are you trying first?",
            "What would you add to this list?",
            "Did any of these surprise you?",
        ),
        "professional": (
            "Which of these matters most for your work right now?",
            "How is your team approaching {topic}?",
            "What has worked for you?",
        ),
        "educational": (
            "Which idea was new to you?",
            "What should we break down next?",
            "What questions do you still have about {topic}?",
        ),
        "entertaining": (
            "Which one got you?",
            "Be honest, which one were you doing?",
            "Did the first one surprise you too?",
        ),
        "inspirational": (
            "What's your first step going to be?",
            "Who do you know that needs to hear this?",
            "What will you start today?",
        ),
        "humorous": (
            "Which one have you been guilty of?",
            "What's your funniest fail with {topic}?",
            "Be honest, how many of these have you done?",
        ),
    },
    single_questions=("Would you try this?", "What's your take on {topic}?", "Did you know this one?"),
    comments="Tell me in the comments.",
    actions={
        "tiktok": ("Follow for part two.", "Follow for more like this.", "Save this and follow for more."),
        "youtube_shorts": (
            "Subscribe for more quick breakdowns.",
            "Hit subscribe for more like this.",
            "Subscribe so you don't miss the next one.",
        ),
        "instagram_reels": (
            "Save this reel so you can come back to it.",
            "Save this and share it with a friend who needs it.",
            "Follow for more, and save this one for later.",
        ),
        "facebook_reels": (
            "Share this with a friend who'd find it useful.",
            "Follow the page for more.",
            "Share this with someone who needs it today.",
        ),
        "youtube": (
            "If this helped, subscribe and turn on notifications so you don't miss the next one.",
            "Like the video if it was useful, and subscribe for more deep dives like this.",
            "Subscribe for more.",
        ),
        "linkedin": (
            "Follow for more practical insights, and repost if it could help someone in your network.",
            "Follow for more on topics like this, and share it with your team.",
            "Follow for more, and repost if this was useful.",
        ),
    },
    titles={
        "casual": (
            "{Topic}: What Nobody Tells You",
            "{n} {Topic} Tips I Wish I Knew Sooner",
            "Stop Getting {Topic} Wrong",
        ),
        "professional": (
            "{Topic}: A Practical Guide",
            "{n} Lessons on {Topic} for Busy Professionals",
            "What {Topic} Should Mean for Your Work",
        ),
        "educational": (
            "{Topic}, Explained Simply",
            "{n} Key Ideas About {Topic}",
            "Understanding {Topic}: The Simple Version",
        ),
        "entertaining": (
            "The Surprising Truth About {Topic}",
            "{n} Things About {Topic} You Didn't Expect",
            "{Topic}, But Make It Interesting",
        ),
        "inspirational": (
            "Your Fresh Start With {Topic}",
            "{n} Truths About {Topic} That Keep You Going",
            "It's Never Too Late for {Topic}",
        ),
        "humorous": (
            "{Topic}: Expectations vs Reality",
            "{n} Lessons About {Topic} I Learned the Hard Way",
            "Me vs {Topic}: An Honest Story",
        ),
    },
    conjunction="and",
    oxford_comma=True,
    title_case=True,
    topic_ref="it",
    platform_tags={
        "tiktok": ("#fyp", "#foryou"),
        "youtube_shorts": ("#shorts",),
        "instagram_reels": ("#reels", "#instagramreels", "#explore"),
        "facebook_reels": ("#reels", "#facebookreels"),
    },
    tone_tags={
        "casual": ("#tips", "#lifehacks", "#relatable"),
        "professional": ("#business", "#strategy", "#productivity"),
        "educational": ("#learn", "#education", "#didyouknow"),
        "entertaining": ("#didyouknow", "#mindblown", "#viral"),
        "inspirational": ("#motivation", "#inspiration", "#growth"),
        "humorous": ("#funny", "#relatable", "#comedy"),
    },
    fallback_tags=("#tips", "#learn", "#howto", "#explore"),
)

_ES = _Bank(
    ideas=(
        _Idea(
            "empieza en pequeño",
            "el paso pequeño y útil le gana al plan perfecto",
            "Lo pequeño sí se hace.",
            (
                "Los planes grandes se atascan porque lo piden todo a la vez.",
                "Un paso pequeño te da algo real de lo que aprender esta misma semana.",
            ),
            "Elige una parte de {topic} con la que puedas actuar esta semana y olvida el resto por ahora.",
        ),
        _Idea(
            "domina lo básico",
            "los fundamentos hacen más trabajo que cualquier truco",
            "Los trucos vienen después.",
            (
                "Casi todos los atajos solo funcionan cuando lo básico ya está en su sitio.",
                "Quien se los salta acaba aprendiéndolos más tarde, y casi siempre en peor momento.",
            ),
            "Apunta las tres ideas clave de {topic} y comprueba que puedes explicar cada una en una frase.",
        ),
        _Idea(
            "mide antes de cambiar",
            "no puedes mejorar lo que nunca has medido",
            "Adivinar parece rápido. No lo es.",
            (
                "Sin un punto de partida, cualquier cambio parece un avance, aunque no lo sea.",
                "Un número sencillo que revisas cada semana te dice más que cien opiniones.",
            ),
            "Elige un dato que te muestre si tu trabajo con {topic} va por buen camino y apunta hoy su "
            "valor.",
        ),
        _Idea(
            "sé constante",
            "la constancia le gana a la intensidad casi siempre",
            "Lo aburrido funciona.",
            (
                "Un arranque de esfuerzo sienta genial, pero rara vez sobrevive a una semana complicada.",
                "Diez minutos al día suman más que un fin de semana heroico al mes.",
            ),
            "Reserva un hueco fijo para {topic} en tu agenda y protégelo como si fuera una reunión.",
        ),
        _Idea(
            "copia el principio, no la táctica",
            "lo que le funcionó a otra persona solo te sirve si tu situación se parece a la suya",
            "El contexto lo cambia todo.",
            (
                "Las historias de éxito suelen omitir las condiciones que las hicieron posibles.",
                "El principio casi siempre se puede trasladar; la táctica exacta, muchas veces no.",
            ),
            "La próxima vez que veas un consejo sobre {topic}, pregúntate qué tuvo que pasar para que "
            "funcionara y si eso se cumple en tu caso.",
        ),
        _Idea(
            "revisa tus fuentes",
            "mucho de lo que se dice por ahí es falso, aunque suene muy seguro",
            "Que suene fuerte no significa que sea cierto.",
            (
                "Las ideas populares sobre {topic} se difunden por ser simples, no por ser ciertas.",
                "Las mejores fuentes explican su razonamiento y reconocen lo que no saben.",
            ),
            "Antes de actuar, busca una fuente que explique por qué algo es cierto, no solo que lo es.",
        ),
        _Idea(
            "céntrate en lo importante",
            "unas pocas decisiones explican casi todos los resultados",
            "No todo merece tu atención.",
            (
                "Es fácil pasar horas con detalles que apenas cambian nada.",
                "Encuentra las dos o tres decisiones que más pesan y dales tu mejor energía.",
            ),
            "Haz una lista de todo lo que haces con {topic} y marca solo lo que de verdad cambia el "
            "resultado.",
        ),
        _Idea(
            "date tiempo",
            "los resultados de verdad llegan más tarde de lo que esperas",
            "Al principio, el progreso no se ve.",
            (
                "Las primeras semanas son trabajo invisible, y por eso tanta gente abandona.",
                "Los resultados se acumulan: primero llegan despacio y luego de golpe.",
            ),
            "Decide ahora cuánto tiempo le vas a dar a {topic} antes de sacar conclusiones, y apunta esa "
            "fecha.",
        ),
        _Idea(
            "aprende de los errores",
            "cada error es información que te ha salido barata",
            "Los errores también enseñan.",
            (
                "Quienes dominan {topic} casi nunca son los que jamás fallaron.",
                "Son los que vieron qué salió mal y corrigieron rápido.",
            ),
            "Después de tu próximo intento, escribe una frase sobre qué harías distinto y empieza por ahí.",
        ),
        _Idea(
            "pregunta por qué antes que cómo",
            "entender el porqué hace que el cómo sea mucho más fácil de recordar",
            "Primero entiende, luego haz.",
            (
                "Los pasos que memorizas sin entender se vienen abajo en cuanto algo cambia.",
                "Cuando ves por qué algo funciona, puedes adaptarlo en lugar de empezar de cero.",
            ),
            "Antes de cada paso que des con {topic}, di en voz alta por qué importa.",
        ),
        _Idea(
            "pide opinión pronto",
            "una opinión temprana te evita pulir lo que no era",
            "Enséñalo antes de que esté perfecto.",
            (
                "Trabajar a solas demasiado tiempo parece seguro, pero esconde los problemas hasta que "
                "salen caros.",
                "Una reacción rápida de alguien de confianza puede ahorrarte semanas.",
            ),
            "Comparte esta semana un borrador de tu trabajo sobre {topic} con una persona y pregúntale qué "
            "no "
            "entendió.",
        ),
        _Idea(
            "hazlo simple",
            "la versión sencilla suele superar a la complicada",
            "Lo simple escala. Lo complicado se rompe.",
            (
                "Cada paso extra es un sitio más donde algo puede fallar.",
                "Si no puedes explicar tu enfoque en dos frases, probablemente es demasiado complicado.",
            ),
            "Mira cómo trabajas hoy con {topic} y elimina un paso que nadie echaría de menos.",
        ),
        _Idea(
            "aprende de quien va por delante",
            "alguien ya resolvió el problema que hoy te frena",
            "No tienes que resolverlo todo sin ayuda.",
            (
                "Una charla corta con alguien que va unos pasos por delante puede ahorrarte meses de prueba "
                "y error.",
                "Las comunidades en torno a {topic} suelen ser más generosas de lo que crees.",
            ),
            "Busca a una persona que esté más avanzada en {topic} y hazle una sola pregunta concreta.",
        ),
        _Idea(
            "escríbelo",
            "lo que apuntas es lo que de verdad puedes mejorar",
            "Tu memoria no es un sistema.",
            (
                "Las notas convierten impresiones vagas en patrones que puedes ver.",
                "Unas líneas después de cada sesión te muestran qué funciona mucho mejor que tu memoria.",
            ),
            "Lleva un registro sencillo de {topic}: la fecha, lo que probaste y lo que pasó.",
        ),
        _Idea(
            "define el éxito",
            "si no defines el éxito, nunca sentirás que lo has alcanzado",
            "Metas vagas, resultados vagos.",
            (
                "Mejorar no es una meta, porque nunca llega el momento en que puedas decir que lo lograste.",
                "Un objetivo claro te dice qué hacer después y qué ignorar.",
            ),
            "Escribe en una frase cómo sería el éxito con {topic} dentro de noventa días.",
        ),
        _Idea(
            "prueba a pequeña escala",
            "una prueba pequeña te enseña más que un debate largo",
            "Pruébalo. No lo discutas.",
            (
                "Puedes pasar semanas hablando de lo que podría funcionar, o unos días averiguándolo.",
                "Las pruebas pequeñas son baratas de hacer y baratas de descartar.",
            ),
            "Elige una idea sobre {topic} que te genere dudas y diseña una prueba que puedas terminar en una "
            "semana.",
        ),
        _Idea(
            "planea los días difíciles",
            "la motivación se acaba, así que planea para cuando pase",
            "La motivación no es fiable.",
            (
                "Cuando todo es fácil, cualquiera es constante.",
                "La diferencia está en tener un plan para los días de cansancio, prisas y distracciones.",
            ),
            "Define una versión mínima, algo que puedas hacer incluso en tu peor día.",
        ),
        _Idea(
            "cuestiona lo que das por hecho",
            "parte de lo que crees probablemente ya está desactualizado",
            "Las cosas cambian más rápido que nuestras opiniones.",
            (
                "Todo lo que rodea a {topic} sigue evolucionando, y la mejor práctica de ayer puede ser el "
                "error "
                "de hoy.",
                "Revisar lo que crees saber es lo que hace que los expertos sigan siéndolo.",
            ),
            "Escribe algo que tengas claro sobre {topic} y busca el mejor argumento en contra.",
        ),
        _Idea(
            "ojo con los costes ocultos",
            "el coste evidente casi nunca es el mayor",
            "El tiempo también cuesta.",
            (
                "El dinero es fácil de contar, pero el tiempo, la atención y el mantenimiento suman en "
                "silencio.",
                "Las opciones que parecen baratas al principio a menudo acaban siendo las más caras.",
            ),
            "Antes de tu próxima decisión sobre {topic}, apunta los costes que no aparecerán en ningún "
            "recibo.",
        ),
        _Idea(
            "piensa a largo plazo",
            "la victoria rápida y la decisión correcta no siempre coinciden",
            "Juega a largo plazo.",
            (
                "Las victorias rápidas sientan bien, pero pueden atarte a decisiones que duelen después.",
                "Pregúntate cómo se verá una decisión dentro de un año, no solo la semana que viene.",
            ),
            "En tu próxima decisión sobre {topic}, imagínate dentro de un año y pregúntate qué opción "
            "agradecerías.",
        ),
        _Idea(
            "usa una lista de control",
            "una lista sencilla atrapa los errores que la experiencia no ve",
            "Hasta los expertos usan listas.",
            (
                "Pilotos y cirujanos usan listas de control porque la atención falla, por muy bueno que "
                "seas.",
                "Una lista corta de pasos imprescindibles hace que el buen trabajo sea repetible.",
            ),
            "Convierte lo que ya haces con {topic} en una lista de cinco puntos y úsala la próxima vez.",
        ),
        _Idea(
            "lee menos y haz más",
            "más información no sirve de nada si nunca actúas",
            "Menos leer, más hacer.",
            (
                "Es tentador seguir investigando, porque aprender parece progresar.",
                "Llega un momento en que el siguiente artículo importa menos que el siguiente intento.",
            ),
            "Elige un solo recurso sobre {topic}, termínalo y aplica una idea antes de abrir otro.",
        ),
        _Idea(
            "explícaselo a alguien",
            "explicarlo a otra persona te muestra lo que de verdad entiendes",
            "Enseñar es la prueba.",
            (
                "Las lagunas se notan en cuanto intentas explicarlas.",
                "No necesitas público: basta con un amigo o incluso una nota de voz.",
            ),
            "Explícale {topic} a alguien en dos minutos y fíjate en qué momento dudas.",
        ),
        _Idea(
            "conviértelo en hábito",
            "los hábitos hacen el trabajo pesado cuando la fuerza de voluntad falla",
            "Hazlo automático.",
            (
                "Las decisiones cansan; los hábitos no.",
                "Unir una acción nueva a algo que ya haces cada día es la forma más fácil de que se quede.",
            ),
            "Une una pequeña acción relacionada con {topic} a algo que ya haces cada día, como tu café de la "
            "mañana.",
        ),
        _Idea(
            "estudia ejemplos reales",
            "los ejemplos reales enseñan más rápido que la teoría",
            "Mostrar vale más que contar.",
            (
                "La teoría te dice lo que debería pasar; los ejemplos te enseñan lo que pasa de verdad.",
                "Unos cuantos casos reales de {topic} revelan los detalles que los resúmenes omiten.",
            ),
            "Busca tres buenos ejemplos de {topic} y apunta qué tienen en común.",
        ),
        _Idea(
            "nombra los riesgos",
            "toda ventaja trae riesgos que conviene decir en voz alta",
            "Nombra los riesgos pronto.",
            (
                "Los problemas de los que hablas pronto son los que puedes prever.",
                "Ignorar los riesgos no los hace más pequeños; solo los convierte en sorpresas.",
            ),
            "Escribe lo peor que podría salir mal con {topic} y un paso que lo haría menos probable.",
        ),
    ),
    hooks={
        "casual": (
            "Seguramente estás enfocando {topic} al revés.",
            "Nadie te cuenta esto sobre {topic}.",
            "¿Quieres entender {topic} de una vez?",
            "{n} cosas sobre {topic} que ojalá hubiera sabido antes.",
            "¿Estás pensando en {topic}? Mira esto primero.",
        ),
        "professional": (
            "¿Estás aprovechando {topic} en tu trabajo?",
            "{n} lecciones sobre {topic} que muchos equipos aprenden tarde.",
            "¿Estás subestimando {topic}? Casi todo el mundo lo hace.",
            "¿Estás abordando {topic} de la forma correcta?",
        ),
        "educational": (
            "¿Cuánto sabes realmente sobre {topic}?",
            "{n} ideas para entender mejor {topic}.",
            "Al terminar este vídeo, verás {topic} con más claridad.",
            "¿Qué es lo único que todo el mundo debería saber sobre {topic}?",
        ),
        "entertaining": (
            "Para de hacer scroll: esto sobre {topic} te va a sorprender.",
            "¿Sabías que casi todo el mundo entiende {topic} al revés?",
            "{n} cosas sobre {topic} que no te esperabas, y la última es mi favorita.",
            "¿Te vienes a un viaje salvaje por el mundo de {topic}?",
        ),
        "inspirational": (
            "¿Y si hoy fuera el día en que todo cambia con {topic}?",
            "Tu camino con {topic} empieza con una decisión.",
            "Estás más cerca de dominar {topic} de lo que crees.",
            "{n} verdades sobre {topic} que pueden cambiar tu forma de avanzar.",
            "¿Sientes que no avanzas con {topic}? Le pasa a mucha gente.",
        ),
        "humorous": (
            "Tú intentando entender {topic}: mucha confusión, pero muchas ganas.",
            "¿Alguien entiende de verdad {topic}, o todos fingimos?",
            "{n} lecciones sobre {topic} que aprendí por las malas, para que tú no tengas que hacerlo.",
            "Confiesa: ¿estás improvisando con {topic}?",
        ),
    },
    short_hook="¿{topic}? Aquí va la versión corta.",
    follow_ups={
        "casual": ("Vamos al lío.", "Esto es lo que funciona de verdad.", "Quédate, es rápido."),
        "professional": (
            "Aquí tienes una forma práctica de verlo.",
            "Veamos qué impulsa de verdad los resultados.",
            "Esto es lo que los mejores equipos hacen distinto.",
        ),
        "educational": ("Vamos por partes.", "Aquí va la versión sencilla.", "Empecemos por lo básico."),
        "entertaining": ("Vamos allá.", "Agárrate.", "Quédate hasta el final."),
        "inspirational": ("Empecemos.", "Aquí es donde empiezas.", "Esto es para ti."),
        "humorous": (
            "Tranquilidad, los errores ya los cometí yo.",
            "Buena noticia: se vuelve más fácil.",
            "Vamos allá, con la mínima vergüenza posible.",
        ),
    },
    frames=(
        "Esto es lo que casi nadie ve de {topic}: {body}.",
        "Cuando se trata de {topic}, {body}.",
        "¿Lo que nadie te cuenta sobre {topic}? Que {body}.",
        "Una lección sobre {topic} que tardé demasiado en aprender: {body}.",
        "Algo que casi todas las guías sobre {topic} se saltan: {body}.",
        "{ord}, {lead}{body}.",
        "l|Siguiente punto: {lead}{body}.",
        "La clave: {lead}{body}.",
        "Recuerda esto: {lead}{body}.",
        "l|Otra más: {lead}{body}.",
        "Simple, pero cierto: {lead}{body}.",
        "l|Además, {lead}{body}.",
    ),
    tone_frames={
        "casual": (
            "La verdad: {lead}{body}.",
            "l|Ojo con esta: {lead}{body}.",
            "¿Sinceramente? {lead}{body}.",
        ),
        "professional": (
            "l|Otro punto clave: {lead}{body}.",
            "Ten en cuenta esto: {lead}{body}.",
            "Un punto práctico: {lead}{body}.",
        ),
        "educational": (
            "Idea clave: {lead}{body}.",
            "Así funciona: {lead}{body}.",
            "l|Sobre esa base: {lead}{body}.",
        ),
        "entertaining": (
            "Giro inesperado: {lead}{body}.",
            "l|Y aquí viene lo bueno: {lead}{body}.",
            "Atención a esto: {lead}{body}.",
        ),
        "inspirational": (
            "Esta es la verdad: {lead}{body}.",
            "No lo olvides nunca: {lead}{body}.",
            "l|Y esto importa: {lead}{body}.",
        ),
        "humorous": (
            "Spoiler: {lead}{body}.",
            "Dato curioso, y por curioso quiero decir doloroso: {lead}{body}.",
            "Prepárate: {lead}{body}.",
        ),
    },
    leads=("con {topic}, ", "en el mundo de {topic}, "),
    ordinals=(
        "Primero",
        "Segundo",
        "Tercero",
        "Cuarto",
        "Quinto",
        "Sexto",
        "Séptimo",
        "Octavo",
        "Noveno",
        "Décimo",
    ),
    angles=(
        "Una forma sencilla de comprobarlo: durante una semana, {label}, y compara con la semana anterior.",
        "Incluso en un día complicado, puedes aplicarlo: {label}.",
        "Pruébalo esta semana con {topic}: {label}, y fíjate en qué cambia.",
        "Cuando no sepas cómo seguir con {topic}, vuelve a esto: {label}.",
        "Pregúntate dónde podrías aplicarlo en tu día a día con {topic}: {label}.",
        "Un recordatorio rápido: {label}. Es sencillo, y por eso funciona.",
    ),
    asides={
        "casual": (
            "Sinceramente, esto me cambió mucho.",
            "Parece obvio, pero casi nadie lo hace.",
            "Créeme, merece la pena.",
        ),
        "professional": (
            "En la práctica, aquí está la mayor parte del valor.",
            "Es un cambio pequeño con un efecto enorme.",
            "Los equipos que lo hacen con constancia avanzan más rápido.",
        ),
        "educational": (
            "Esa es la idea central; lo demás son detalles.",
            "Tenlo en cuenta, porque el siguiente punto se apoya en esto.",
            "Si recuerdas un solo detalle, que sea este.",
        ),
        "entertaining": ("Sí, de verdad.", "Lo sé, increíble.", "Y aquí empieza lo divertido."),
        "inspirational": (
            "Eres más capaz de lo que crees.",
            "Todo experto empezó justo donde estás tú.",
            "Progreso, no perfección.",
        ),
        "humorous": (
            "Pregúntame cómo lo sé.",
            "Sí, lo aprendí por las malas.",
            "Mi yo del pasado está tomando apuntes.",
        ),
    },
    intros=(
        "{over_time}, vamos a ver {n} ideas sobre {topic}, desde lo básico hasta lo que casi todo el mundo "
        "pasa "
        "por alto.",
        "Te voy a contar {n} ideas que marcan una diferencia real.",
        "El plan: {n} ideas, una a una y sin relleno.",
        "Vamos directo a lo que de verdad importa.",
    ),
    over_time=("En el próximo minuto", "En los próximos {m} minutos"),
    recaps=("Resumen rápido: {labels}.", "Resumen rápido de lo más importante: {labels}."),
    recap_one="Si solo recuerdas una cosa, que sea esta: {label}.",
    questions={
        "casual": (
            "¿Cuál vas a probar primero?",
            "¿Qué añadirías a esta lista?",
            "¿Alguna de estas te sorprendió?",
        ),
        "professional": (
            "¿Cuál de estas pesa más en tu trabajo ahora mismo?",
            "¿Cómo lo está enfocando tu equipo?",
            "¿Qué te ha funcionado a ti?",
        ),
        "educational": (
            "¿Qué idea fue nueva para ti?",
            "¿Qué quieres que expliquemos después?",
            "¿Qué dudas te quedan sobre {topic}?",
        ),
        "entertaining": (
            "¿Cuál te pilló?",
            "Confiesa: ¿cuál estabas haciendo?",
            "¿A ti también te sorprendió la primera?",
        ),
        "inspirational": (
            "¿Cuál va a ser tu primer paso?",
            "¿A quién conoces que necesite escuchar esto?",
            "¿Qué vas a empezar hoy?",
        ),
        "humorous": (
            "¿De cuál eres culpable?",
            "¿Cuál es tu mayor desastre con {topic}?",
            "Confiesa: ¿cuántas de estas has hecho?",
        ),
    },
    single_questions=("¿Lo vas a probar?", "¿Qué opinas sobre {topic}?", "¿Lo sabías?"),
    comments="Cuéntamelo en los comentarios.",
    actions={
        "tiktok": (
            "Sígueme para la segunda parte.",
            "Sígueme para más contenido así.",
            "Guárdalo y sígueme para más.",
        ),
        "youtube_shorts": (
            "Suscríbete para más explicaciones rápidas.",
            "Suscríbete para ver más como este.",
            "Suscríbete para no perderte el próximo.",
        ),
        "instagram_reels": (
            "Guarda este reel para volver a él.",
            "Guárdalo y compártelo con alguien que lo necesite.",
            "Sígueme para más y guarda este para después.",
        ),
        "facebook_reels": (
            "Compártelo con alguien a quien le sea útil.",
            "Sigue la página para más.",
            "Compártelo con alguien que lo necesite hoy.",
        ),
        "youtube": (
            "Si te ha servido, suscríbete y activa las notificaciones para no perderte el próximo.",
            "Dale a me gusta si te fue útil y suscríbete para más vídeos como este.",
            "Suscríbete para más.",
        ),
        "linkedin": (
            "Sígueme para más ideas prácticas y compártelo si puede ayudar a alguien de tu red.",
            "Sígueme para más sobre temas como este y compártelo con tu equipo.",
            "Sígueme para más y compártelo si te fue útil.",
        ),
    },
    titles={
        "casual": (
            "{Topic}: lo que nadie te cuenta",
            "{n} consejos sobre {topic} que ojalá hubiera sabido antes",
            "Deja de enfocar {topic} al revés",
        ),
        "professional": (
            "{Topic}: una guía práctica para tu trabajo",
            "{n} lecciones sobre {topic} para profesionales",
            "Guía práctica sobre {topic}",
        ),
        "educational": (
            "{Topic}, en versión sencilla",
            "{n} ideas clave sobre {topic}",
            "Entiende {topic} en pocos minutos",
        ),
        "entertaining": (
            "La verdad sorprendente sobre {topic}",
            "{n} cosas sobre {topic} que no te esperabas",
            "{Topic}, pero en divertido",
        ),
        "inspirational": (
            "Tu nuevo comienzo con {topic}",
            "{n} verdades sobre {topic} para seguir adelante",
            "Nunca es tarde para {topic}",
        ),
        "humorous": (
            "{Topic}: expectativas vs realidad",
            "{n} lecciones sobre {topic} que aprendí por las malas",
            "Yo contra {topic}: una historia sincera",
        ),
    },
    conjunction="y",
    oxford_comma=False,
    title_case=False,
    topic_ref="esto",
    platform_tags={
        "tiktok": ("#parati", "#fyp"),
        "youtube_shorts": ("#shorts",),
        "instagram_reels": ("#reels", "#instagramreels", "#explorar"),
        "facebook_reels": ("#reels", "#facebookreels"),
    },
    tone_tags={
        "casual": ("#consejos", "#tips", "#hacks"),
        "professional": ("#negocios", "#estrategia", "#productividad"),
        "educational": ("#aprende", "#educación", "#sabíasque"),
        "entertaining": ("#curiosidades", "#sabíasque", "#viral"),
        "inspirational": ("#motivación", "#inspiración", "#crecimientopersonal"),
        "humorous": ("#humor", "#risas", "#comedia"),
    },
    fallback_tags=("#consejos", "#aprende", "#tips", "#explorar"),
)

_BANKS: dict[str, _Bank] = {"en": _EN, "es": _ES}
