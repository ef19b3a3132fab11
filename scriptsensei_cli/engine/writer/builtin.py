"""The built-in writer: offline, deterministic, fast scripts from phrase banks.

It is what `ss script generate` uses with no LLM provider configured, so it has to read like a real
short-video script: a hook in the first seconds, a few ideas with an action each, a call to action,
fitted to the target duration at a natural speaking pace. Every choice is seeded by a hash of the
request, so the same request always gives the same script. `composer` writes the script from the
phrase banks in `phrases/`; this module validates requests, fills in templates and adds hashtags.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from scriptsensei_cli.contract.scripts import BUILTIN_PROVIDER
from scriptsensei_cli.contract.vocabulary import SCRIPT_PLATFORMS as PLATFORMS
from scriptsensei_cli.contract.vocabulary import TONES

from .base import Draft, Finished, TextDelta, WriterError, WriterEvent, WriterRequest
from .casing import cap_word
from .composer import compose, render_title, shape_titles
from .phrasebank import SUPPORTED_LANGUAGES, phrase_bank
from .picker import Picker
from .quality import language_base, split_sentences, topic_keywords
from .templates import render_template
from .topic import topic_form

PROVIDER = BUILTIN_PROVIDER

MAX_DURATION = 3600
WORDS_PER_DELTA = 4


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
        return _composed(request)

    def check(self, request: WriterRequest) -> None:
        """`WriterError` for a request `write` would refuse (a language it does not write, a template
        variable missing), without saving anything: a video whose script it will write is checked
        when the video is created. (A template is filled in here: that is instant and pure.)"""
        _validate(request)
        if request.template is not None:
            _from_template(request)

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


def _composed(request: WriterRequest) -> Draft:
    script = compose(request)
    topic = " ".join(request.topic.split())
    hashtag_count = PLATFORMS[request.platform].hashtag_count
    return Draft(
        title=script.title,
        hook=script.hook,
        points=script.points,
        call_to_action=script.call_to_action,
        hashtags=_hashtags(
            topic, language_base(request.language), request.platform, request.tone, hashtag_count
        ),
        content="\n\n".join([script.hook, *script.points, script.call_to_action]),
        provider=PROVIDER,
        model=None,
    )


def _hashtags(topic: str, lang: str, platform: str, tone: str, count: int) -> list[str]:
    """Topic tags (CamelCase phrase, then single words), platform tags, then tone and generic ones."""
    bank = phrase_bank(lang if lang in SUPPORTED_LANGUAGES else "en")
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
    if lang not in SUPPORTED_LANGUAGES:
        return cap_word(topic)
    bank = phrase_bank(lang)
    form = topic_form(topic, lang)
    titles = [t for t in shape_titles(bank, form)[request.tone] if "{n}" not in t]
    return render_title(bank, form, Picker(request).pick(titles, "title"))
