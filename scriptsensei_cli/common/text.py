"""Sentences, spoken lines and caption words of narration text.

The writer (quality scores count sentences) and the render pipeline (scenes are cut at sentence
boundaries, caption lines break after them) share this one splitter so they agree on where a sentence
ends. It is rule-based and deterministic: no model, no download, fast enough to run on every keystroke.

- Latin scripts end a sentence at ``.``, ``!``, ``?`` or an ellipsis, followed by optional closing quotes
  or brackets and a space. A full stop after an abbreviation (``Dr.``, ``e.g.``, ``U.S.``, ``Jan.``) or
  inside a number (``3.5``, ``$3.50``, ``v2.0.1``) does not end one, nor does an ellipsis followed by a
  lowercase word.
- Chinese and Japanese end one at ``。！？．`` with or without a following space.
- Devanagari (Hindi, Nepali, Marathi ...) ends one at ``।`` and ``॥``.
- A line break always ends a sentence: scripts are written one thought per line or paragraph.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Letters of scripts written without spaces between words (Han, kana), plus their punctuation. Hangul is
# not here: Korean puts spaces between words.
_SPACELESS_LETTERS = (
    "\u3005\u3006\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
    "\U00020000-\U0002fa1f"
)
_SPACELESS = re.compile(f"[{_SPACELESS_LETTERS}]")
_SPACELESS_OR_PUNCT = re.compile(f"[{_SPACELESS_LETTERS}\u3000-\u303f\uff01-\uff65]")

_OPENERS = "\"'“‘«‹([{¿¡"
_CLOSERS = "\"'”’»›)]}"
_CJK_CLOSERS = "」』）】》〉〕］｝\"'”’)"

_BOUNDARY = re.compile(
    rf"""
    (?P<cjk>(?:[。！？]|(?<![0-9０-９])．(?![0-9０-９]))[。！？．!?]*)(?P<quoted>[{re.escape(_CJK_CLOSERS)}]*)\s*
    | (?P<danda>[।॥]+)[{re.escape(_CLOSERS)}]*\s*
    | (?P<latin>[.!?…‼]+)(?P<closed>[{re.escape(_CLOSERS)}]*)(?:\s+|(?=[{_SPACELESS_LETTERS}]))
    """,
    re.VERBOSE,
)
_HIRAGANA = re.compile("[\u3041-\u309f]")
_LINE_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029\x0b\x0c\x85]")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Abbreviations whose full stop never ends a sentence: a name, a number or more of the sentence follows.
_NEVER_FINAL: dict[str, frozenset[str]] = {
    "en": _words(
        """
        mr mrs ms mx dr prof st sr jr rev gen col capt lt sgt hon mt ft vs v e.g i.e cf al approx est
        dept fig jan feb mar apr jun jul aug sep sept oct nov dec
        """
    ),
    "es": _words("sr sra srta dr dra lic ing ud uds vd vds dña prof av avda pág págs aprox ej p.ej vs"),
    "fr": _words("mme mlle mm dr pr st ste av bd vs ex p.ex cf env"),
    "de": _words("hr fr dr prof bzw z.b u.a d.h ca vgl evtl ggf inkl str"),
    "pt": _words("sr sra srta dr dra prof av pág ex vs"),
    "it": _words("sig sigg dott dott.ssa prof ing avv pag vs"),
}
_NEVER_FINAL_ANY_LANGUAGE = _words("dr prof vs e.g i.e")
# Abbreviations that may also end a sentence: they do when the next word starts with a capital.
_MAYBE_FINAL: dict[str, frozenset[str]] = {
    "en": _words("etc inc ltd co corp a.m p.m ph.d"),
    "es": _words("etc"),
    "fr": _words("etc"),
    "de": _words("usw etc"),
    "pt": _words("etc"),
    "it": _words("ecc etc"),
}
# "No. 5", "Nr. 5": an abbreviation only when a number follows ("No. I won't." is a sentence).
_NUMBER_SIGNS = _words("no nos nr núm nº n")
# After an initial or an initialism ("J. K. Rowling", "the U.S. Army") a capital is usually a name, so
# only a word that typically opens a sentence counts as a new one ("... in the U.S. The ...").
_SENTENCE_OPENERS = _words(
    """
    The This That These Those There Here It Its He She We They I You Your Our My His Her Their But And So
    Then Now Yes No What Why How When Where Who Which If In On At A An As After Before Today Tomorrow
    El La Los Las Lo Pero Y Hoy Le Les Mais Et Il Elle Der Die Das Es Aber Und O Os Mas Hoje Ma E Oggi
    """
)
_INITIALISM = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")


def language_code(language: str) -> str:
    """`en-US`, `en_gb` and `EN` are all `en`."""
    return re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0]


def split_sentences(text: str, language: str = "en") -> list[str]:
    """Sentences of `text` in reading order, whitespace normalized, empty ones dropped.

    >>> split_sentences("Dr. Smith paid $3.50, e.g. for v2.0.1... really! Next。第二句！")
    ['Dr. Smith paid $3.50, e.g. for v2.0.1... really!', 'Next。', '第二句！']
    """
    lang = language_code(language)
    sentences: list[str] = []
    for raw in _LINE_BREAK.split(text):
        line = " ".join(raw.split())
        if line:
            sentences.extend(_split_line(line, lang))
    return sentences


def ends_sentence(word: str, next_word: str | None = None, language: str = "en") -> bool:
    """Whether a sentence ends right after `word` when `next_word` (if known) comes next.

    Caption lines use this to break after sentence-final punctuation without breaking after "Dr.".
    """
    following = next_word if next_word and next_word.strip() else "The"
    word = " ".join(word.split())
    if not word:
        return False
    following = " ".join(following.split())
    pieces = split_sentences(f"{word} {following}", language)
    return len(pieces) > 1 and pieces[-1] == following


def narration_lines(script: str) -> list[str]:
    """The lines of a script that are spoken, with Markdown removed.

    Dropped: Markdown headings, a leading ``Title: ...`` line, lines of only hashtags, horizontal rules and
    blank lines. Stripped: list bullets and numbers, block quotes, emphasis, inline code, link targets and
    hashtags trailing a line (they are metadata for the platform, not narration).
    """
    lines: list[str] = []
    for raw in _LINE_BREAK.split(script):
        if not raw.strip() or _HEADING.match(raw) or _HASHTAG_LINE.match(raw) or _RULE.match(raw):
            continue
        if not lines and _TITLE.match(raw):
            continue
        line = _QUOTE.sub("", raw)
        line = _BULLET.sub("", line)
        for pattern, replacement in _INLINE_MARKDOWN:
            line = pattern.sub(replacement, line)
        line = _TRAILING_HASHTAGS.sub("", line) or line
        line = " ".join(line.split())
        if line:
            lines.append(line)
    return lines


def words(sentence: str) -> list[str]:
    """The caption words of a sentence, in order; `join_words` puts them back together.

    Space-separated scripts split on whitespace, and a token of only punctuation (a dash) stays with the
    word before it. Chinese and Japanese have no spaces, so runs of their characters are cut into chunks of
    two to four characters (kana after kanji stays with it, punctuation with the chunk before it), which
    gives the TTS timings and word-by-word captions something to hold on to.
    """
    result: list[str] = []
    for token in sentence.split():
        if _SPACELESS.search(token):
            pieces = _chunks(token)
            if result and pieces and not _has_letters(pieces[0]):
                result[-1] += pieces.pop(0)
            result.extend(pieces)
        elif result and not _has_letters(token):
            result[-1] += " " + token
        else:
            result.append(token)
    return result


def join_words(parts: Iterable[str]) -> str:
    """Caption words back into text: a space between words, none where either side is Chinese/Japanese."""
    text = ""
    for part in parts:
        if not part:
            continue
        if text and not (_SPACELESS_OR_PUNCT.match(text[-1]) or _SPACELESS_OR_PUNCT.match(part[0])):
            text += " "
        text += part
    return text


def _split_line(line: str, lang: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(line):
        if match["latin"] is not None and not _latin_boundary(line, match, lang):
            continue
        if match["quoted"] and _HIRAGANA.match(line, match.end()):
            continue  # 「行こう！」と言った: a quoted exclamation inside a Japanese sentence
        piece = line[start : match.end()].strip()
        if piece:
            pieces.append(piece)
        start = match.end()
    tail = line[start:].strip()
    if tail:
        pieces.append(tail)
    return pieces


def _latin_boundary(line: str, match: re.Match[str], lang: str) -> bool:
    terminator = match["latin"]
    word = line[line.rfind(" ", 0, match.start()) + 1 : match.start()].lstrip(_OPENERS)
    following = line[match.end() :].split(" ", 1)[0]
    core = following.lstrip(_OPENERS)
    capital = core[:1].isupper() or (bool(core) and not core[0].isalpha() and not core[0].isdigit())
    if core[:1] and _SPACELESS.match(core[0]):
        capital = True

    if any(mark in terminator for mark in "!?‼"):
        # '"Stop!" he said.' goes on; 'Stop! he said' typed in lowercase is still two sentences.
        return not (match["closed"] and core[:1].islower())
    if "…" in terminator or ".." in terminator:
        # "Wait... what?" is one sentence; "I waited... Nothing." is two. "I... I know" stays one.
        return capital and core.rstrip(".,!?'’") != "I"

    key = word.lower()
    if not key:
        return True
    if key in _NEVER_FINAL.get(lang, _NEVER_FINAL["en"]) or key in _NEVER_FINAL_ANY_LANGUAGE:
        return False
    if key in _NUMBER_SIGNS and core[:1].isdigit():
        return False
    if key in _MAYBE_FINAL.get(lang, _MAYBE_FINAL["en"]):
        return capital
    if _INITIALISM.fullmatch(word) or (len(word) == 1 and word.isupper()):
        if word.isupper() or len(word) == 1:
            return core.rstrip(".,!?;:'’") in _SENTENCE_OPENERS
        return capital
    return True


_HEADING = re.compile(r"^\s{0,3}#{1,6}(?:\s|$)")
_HASHTAG_LINE = re.compile(r"^\s*#[^\s#]+(?:\s+#[^\s#]+)*\s*$")
_RULE = re.compile(r"^\s*([-*_=])(?:\s*\1){2,}\s*$")
_TITLE = re.compile(r"(?i)^\s*\**title\**\s*:")
_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_BULLET = re.compile(r"^\s*(?:[-*+•‣◦–]|\d{1,3}[.)])\s+")
_TRAILING_HASHTAGS = re.compile(r"(?:\s+#[^\W_][\w]*)+\s*$")
_INLINE_MARKDOWN: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"!?\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
)

# Chinese words are mostly two characters, Japanese phrases (kanji + kana) three or four: chunks of about
# three characters, never more than four, keep caption timing close to what is being said.
_CHUNK = 3
_MAX_CHUNK = 4
# Japanese particles: one after kanji ends the phrase (天気が | いいです), other kana belong to the word.
_PARTICLES = frozenset("はがをにでとへもの")


def _has_letters(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _kind(ch: str) -> str:
    code = ord(ch)
    if 0x3040 <= code <= 0x309F:
        return "hiragana"
    if 0x30A0 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF66 <= code <= 0xFF9F:
        return "katakana"
    if _SPACELESS.match(ch):
        return "han"
    category = unicodedata.category(ch)
    if category in ("Ps", "Pi"):
        return "open"
    if category[0] in "PSZ":
        return "punct"
    return "other"


def _runs(token: str) -> list[tuple[str, str]]:
    runs: list[tuple[str, str]] = []
    for ch in token:
        kind = _kind(ch)
        if runs and runs[-1][0] == kind:
            runs[-1] = (kind, runs[-1][1] + ch)
        else:
            runs.append((kind, ch))
    return runs


def _pieces(run: str) -> list[str]:
    count = -(-len(run) // _CHUNK)
    size, extra = divmod(len(run), count) if count else (0, 0)
    pieces, start = [], 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        pieces.append(run[start:end])
        start = end
    return pieces


def _chunks(token: str) -> list[str]:
    chunks: list[str] = []
    kinds: list[str] = []  # kind of each chunk's last run; "closed" once punctuation ends it
    opening = ""
    for kind, run in _runs(token):
        if kind == "open":
            opening += run
            continue
        if kind == "punct":
            if chunks:
                chunks[-1] += run
                kinds[-1] = "closed"
            else:
                opening += run
            continue
        if chunks and kinds[-1] != "closed":
            previous = kinds[-1]
            # Okurigana and particles stay with their kanji; a counter stays with its number (2024年).
            if kind == "hiragana" and previous in ("han", "katakana"):
                particle = run[0] in _PARTICLES and not run.startswith(("です", "でし"))
                take = 1 if particle else max(0, _MAX_CHUNK - len(chunks[-1]))
                chunks[-1] += run[:take]
                run = run[take:]
            elif kind == "han" and previous == "other" and chunks[-1][-1:].isdigit():
                chunks[-1] += run[0]
                kinds[-1] = "han"
                run = run[1:]
            if not run:
                continue
        pieces = [run] if kind == "other" else _pieces(run)
        for piece in pieces:
            chunks.append(opening + piece)
            kinds.append(kind)
            opening = ""
    if opening:
        if chunks:
            chunks[-1] += opening
        else:
            chunks.append(opening)
    return chunks
