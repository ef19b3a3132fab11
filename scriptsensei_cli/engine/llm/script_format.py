"""The script format we ask LLMs for, the prompts that ask for it, and the parser that checks it.

The answer is tagged lines, not JSON, because it is streamed to the user as it is written: the
narration (hook, points, call to action) can be printed the moment its words arrive, which a JSON
document only allows once it is complete. The same structure as the built-in writer's:

    TITLE: Five habits that fix your sleep
    HOOK: You are not tired because of your bedtime.
    VISUAL: a phone alarm at 6 am, close up
    POINT: Get ten minutes of daylight within an hour of waking.
    VISUAL: …
    CTA: Follow for part two.
    HASHTAGS: #sleep #health #habits

One parser serves the stream and the whole answer (`ScriptParser`): the text deltas it emits always
concatenate to the finished script's content, however the provider cut its chunks.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ...common.narration import (
    CJK_CHARS_PER_SECOND,
    DEFAULT_WORDS_PER_SECOND,
    WORDS_PER_SECOND,
    base_language,
)
from ...contract.vocabulary import PLATFORMS
from ..writer.base import WriterRequest

NARRATION = ("HOOK", "POINT", "CTA")
TAGS = {
    "TITLE": "TITLE",
    "HOOK": "HOOK",
    "POINT": "POINT",
    "CTA": "CTA",
    "CALLTOACTION": "CTA",
    "HASHTAGS": "HASHTAGS",
    "HASHTAG": "HASHTAGS",
    "VISUAL": "VISUAL",
    "VISUALS": "VISUAL",
}
TAG_PROBE = 24  # a line whose first 24 characters hold no "TAG:" continues the previous field
LANGUAGE_NAMES = {
    "en": "English", "es": "Spanish", "fr": "French", "de": "German", "pt": "Portuguese", "it": "Italian",
    "ja": "Japanese", "zh": "Chinese", "ko": "Korean", "hi": "Hindi", "ne": "Nepali", "ar": "Arabic",
    "ru": "Russian", "tr": "Turkish", "id": "Indonesian", "vi": "Vietnamese", "th": "Thai", "nl": "Dutch",
    "pl": "Polish", "uk": "Ukrainian", "bn": "Bengali", "ur": "Urdu", "fa": "Persian", "mr": "Marathi",
}  # fmt: skip


class FormatError(ValueError):
    """The answer is not a script in our format (or not in the language asked for)."""


@dataclass
class ParsedScript:
    title: str = ""
    hook: str = ""
    points: list[str] = field(default_factory=list)
    call_to_action: str = ""
    hashtags: list[str] = field(default_factory=list)
    visuals: list[str] = field(default_factory=list)  # one per narration section, "" where none
    content: str = ""


class ScriptParser:
    """Feed the answer in any chunks; `feed` returns narration text to show, `finish` the script."""

    def __init__(self) -> None:
        self._script = ParsedScript()
        self._fields: list[tuple[str, list[str]]] = []  # (tag, parts) in order of appearance
        self._head = ""  # the current line until its tag is known
        self._resolved = False
        self._tag: str | None = None  # the field the current line belongs to
        self._spaces = ""  # spaces held back: shown only if more text follows on the line
        self._started_line = False  # the current line has shown text already

    def feed(self, chunk: str) -> str:
        out: list[str] = []
        for ch in chunk:
            if ch == "\n":
                self._end_line(out)
            elif not self._resolved:
                self._head += ch
                self._try_resolve(out, final=False)
            else:
                self._char(ch, out)
        return "".join(out)

    def finish(self) -> ParsedScript:
        """The parsed script; FormatError names what is missing."""
        self._end_line([])
        return self._assemble()

    def _try_resolve(self, out: list[str], *, final: bool) -> None:
        head = self._head
        match = re.match(r"^\W*([A-Za-z][A-Za-z _-]{1,20}?)\s*\d*\W*:\s?", head)
        if match:
            tag = TAGS.get(re.sub(r"[^A-Z]", "", match.group(1).upper()))
            if tag is not None:
                self._open(tag, out)
                rest = head[match.end() :].lstrip(" *_")
                self._resolved = True
                for ch in rest:
                    self._char(ch, out)
                return
        if final or len(head) > TAG_PROBE:
            self._resolved = True
            if self._fields and head.strip():
                self._continue(out)
                for ch in head.lstrip():
                    self._char(ch, out)

    def _open(self, tag: str, out: list[str]) -> None:
        self._fields.append((tag, []))
        self._tag = tag
        self._started_line = False
        if tag in NARRATION and self._script.content:
            out.append("\n\n")
            self._script.content += "\n\n"

    def _continue(self, out: list[str]) -> None:
        """An untagged line carries on the previous field (a model that wraps its lines)."""
        tag, parts = self._fields[-1]
        self._tag = tag
        self._started_line = False
        if parts and tag in NARRATION:
            self._spaces = " "

    def _char(self, ch: str, out: list[str]) -> None:
        if self._tag is None or ch in "*_`":  # markdown emphasis is not narration
            return
        if ch.isspace():
            if self._started_line or self._spaces:
                self._spaces += " "
            return
        text = self._spaces.replace("  ", " ")[:1] + ch if self._spaces else ch
        self._spaces = ""
        self._started_line = True
        self._fields[-1][1].append(text)
        if self._tag in NARRATION:
            out.append(text)
            self._script.content += text

    def _end_line(self, out: list[str]) -> None:
        if not self._resolved and self._head.strip():
            self._try_resolve(out, final=True)
        self._head, self._resolved, self._spaces = "", False, ""
        self._started_line = False

    def _assemble(self) -> ParsedScript:
        script = self._script
        visuals: list[str] = []
        for tag, parts in self._fields:
            value = "".join(parts).strip()
            if tag == "TITLE" and not script.title:
                script.title = value
            elif tag == "HOOK" and not script.hook:
                script.hook = value
                visuals.append("")
            elif tag == "POINT" and value:
                script.points.append(value)
                visuals.append("")
            elif tag == "CTA" and not script.call_to_action:
                script.call_to_action = value
                visuals.append("")
            elif tag == "HASHTAGS":
                script.hashtags += [f"#{t.lstrip('#')}" for t in re.split(r"[\s,]+", value) if t.strip("#")]
            elif tag == "VISUAL" and visuals:
                visuals[-1] = value
        script.visuals = visuals
        missing = [
            name
            for name, present in (
                ("TITLE", script.title),
                ("HOOK", script.hook),
                ("POINT", script.points),
                ("CTA", script.call_to_action),
            )
            if not present
        ]
        if missing:
            raise FormatError(f"the answer is not in the script format (missing {', '.join(missing)})")
        return script


def parse_script(text: str) -> ParsedScript:
    parser = ScriptParser()
    parser.feed(text)
    return parser.finish()


# -- prompts ------------------------------------------------------------------------------------------

FORMAT_RULES = """Answer with these lines and nothing else (no markdown, no preamble):
TITLE: a title of at most 10 words
HOOK: the first one or two sentences, said in the first three seconds
VISUAL: what the viewer sees during the hook
POINT: one idea in one to three sentences (write 2 to 6 POINT lines, each followed by its VISUAL line)
VISUAL: what the viewer sees during that point
CTA: the call to action
HASHTAGS: 3 to 6 hashtags separated by spaces"""


def language_name(language: str) -> str:
    return LANGUAGE_NAMES.get(base_language(language), language)


def target_words(duration: int, language: str) -> int:
    if base_language(language) in ("ja", "zh", "ko"):
        return round(duration * CJK_CHARS_PER_SECOND)
    return round(duration * WORDS_PER_SECOND.get(base_language(language), DEFAULT_WORDS_PER_SECOND))


def system_prompt() -> str:
    return (
        "You write scripts for short videos that are read aloud by a narrator. Write spoken language: "
        "short sentences, no stage directions, no emoji, no markdown. " + FORMAT_RULES
    )


def write_prompt(request: WriterRequest) -> str:
    spec = PLATFORMS[request.platform]
    cjk = base_language(request.language) in ("ja", "zh", "ko")
    length = f"{target_words(request.duration, request.language)} {'characters' if cjk else 'words'}"
    return (
        f"Write a {request.tone} script about: {request.topic}\n"
        f"Platform: {spec.label}. Language: {language_name(request.language)} (write every line in it).\n"
        f"Length: the HOOK, POINT and CTA lines together about {length}, "
        f"which is {request.duration} seconds of narration."
    )


def translate_prompt(title: str, content: str, hashtags: list[str], language: str) -> str:
    return (
        f"Translate this short-video script into {language_name(language)}. "
        "Keep its meaning, tone and length; adapt idioms and hashtags so they read naturally. "
        "Put the first paragraph on the HOOK line, each middle paragraph on a POINT line "
        "and the last paragraph on the CTA line.\n\n"
        f"Title: {title}\n\n{content}\n\nHashtags: {' '.join(hashtags)}"
    )


def repair_prompt(problem: str) -> str:
    return f"That answer cannot be used: {problem}. Answer again, exactly in the required line format."


# -- language check -----------------------------------------------------------------------------------

_SCRIPTS = {
    "ja": ("HIRAGANA", "KATAKANA", "CJK"),
    "zh": ("CJK",),
    "ko": ("HANGUL",),
    "hi": ("DEVANAGARI",),
    "ne": ("DEVANAGARI",),
    "mr": ("DEVANAGARI",),
    "ar": ("ARABIC",),
    "fa": ("ARABIC",),
    "ur": ("ARABIC",),
    "ru": ("CYRILLIC",),
    "uk": ("CYRILLIC",),
    "bg": ("CYRILLIC",),
    "el": ("GREEK",),
    "he": ("HEBREW",),
    "th": ("THAI",),
    "bn": ("BENGALI",),
}
_STOPWORDS = {
    "en": {"the", "and", "you", "is", "to", "of", "your", "this", "that", "it", "for", "with"},
    "es": {"el", "la", "y", "que", "de", "tu", "es", "en", "los", "las", "con", "para", "una"},
    "fr": {"le", "la", "et", "les", "des", "est", "vous", "pour", "une", "dans", "que", "votre"},
    "de": {"der", "die", "und", "das", "ist", "du", "nicht", "mit", "ein", "eine", "zu", "dein"},
    "pt": {"o", "a", "e", "que", "de", "do", "da", "você", "para", "com", "uma", "não"},
    "it": {"il", "la", "e", "che", "di", "per", "una", "non", "sono", "con", "del", "tuo"},
}


def language_problem(text: str, language: str) -> str | None:
    """Why `text` is clearly not written in `language`; None when it plausibly is."""
    lang = base_language(language)
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 20:
        return None
    scripts = _SCRIPTS.get(lang)
    if scripts is not None:
        share = sum(1 for ch in letters if unicodedata.name(ch, "").startswith(scripts)) / len(letters)
        return None if share >= 0.4 else f"it is not written in {language_name(lang)}"
    words = re.findall(r"[^\W\d_]+", text.lower())
    hits = {code: sum(1 for w in words if w in stops) for code, stops in _STOPWORDS.items()}
    if lang in hits:
        best = max(hits, key=lambda code: hits[code])
        if best != lang and hits[best] >= 5 and hits[best] > 2 * hits[lang]:
            return f"it is written in {language_name(best)}, not {language_name(lang)}"
    return None
