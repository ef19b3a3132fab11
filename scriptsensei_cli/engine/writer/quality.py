"""Measures of a script: word count, narration time and quality scores.

Scores are heuristics a creator can act on, not a verdict: each dimension is a sum of named checks,
and the suggestions name the checks that failed in the weakest dimensions. Hook, engagement, SEO,
readability and duration measure form; specificity (`specificity.py`) measures substance, so that
filler in a perfect shape cannot score well overall. Everything here is deterministic and works on
arbitrary (user-edited) text, not only on what the built-in writer wrote.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable

from scriptsensei_cli.contract.scripts import QualityScores
from scriptsensei_cli.contract.vocabulary import PLATFORMS

from ...common.narration import CJK as _CJK
from ...common.narration import (
    DEFAULT_WORDS_PER_SECOND,
    WORDS_PER_SECOND,
    estimate_narration_seconds,
)
from ...common.narration import WORD as _WORD
from ...common.text import language_code
from ...common.text import split_sentences as split_sentences  # re-exported: the writer's public name
from .base import Draft, WriterRequest
from .specificity import specificity_checks

# Specificity weighs as much as hook and engagement together: filler in a perfect form (100 on
# every other dimension, 0 on specificity) gets 65 overall; see tests/engine/writer/test_scores.py.
WEIGHTS: dict[str, float] = {
    "hook": 0.17,
    "engagement": 0.13,
    "seo": 0.1,
    "readability": 0.12,
    "duration": 0.13,
    "specificity": 0.35,
}


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_PARAGRAPH = re.compile(r"\n\s*\n")

STOPWORDS: dict[str, frozenset[str]] = {
    "en": _wordset(
        """
        a an and are as at be but by for from how i in into is it its my of on or our so that the their
        them this to vs was we what when where which who why will with you your about can do does get
        getting more most than then these those up using use
        """
    ),
    "es": _wordset(
        """
        a al con de del el en es la las lo los mi mis para por que qué se sin sobre su sus tu tus un una
        unos unas y o e u como cómo cuando más muy ni le les nos te ti ya este esta estos estas ese esa
        """
    ),
}

_SECOND_PERSON: dict[str, frozenset[str]] = {
    "en": _wordset("you your you're yours yourself yourselves you've you'll you'd ya"),
    "es": _wordset(
        """
        tú tu tus te ti contigo usted ustedes vosotros os vuestro vuestra estás eres tienes puedes quieres
        sabes haces vas crees necesitas sientes debes entiendes verás sabrás podrás tendrás estabas has
        mira sigue guarda comparte elige apunta prueba dime cuéntame sígueme piensa recuerda haz empieza
        """
    ),
}

_CTA_WORDS: dict[str, tuple[str, ...]] = {
    "en": (
        "follow",
        "subscribe",
        "comment",
        "share",
        "save",
        "like the video",
        "tell me",
        "let me know",
        "link",
        "sign up",
        "download",
        "repost",
        "join",
        "click",
        "tap",
        "notifications",
        "try",
    ),
    "es": (
        "sígueme",
        "sigue",
        "suscríbete",
        "comenta",
        "comentarios",
        "comparte",
        "compártelo",
        "guarda",
        "guárdalo",
        "dale a me gusta",
        "cuéntame",
        "cuéntamelo",
        "dime",
        "enlace",
        "únete",
        "deja",
        "prueba",
    ),
}

_WEAK_OPENERS = (
    "hi",
    "hello",
    "hey guys",
    "hey everyone",
    "welcome",
    "in this video",
    "today i",
    "today we",
    "so,",
    "um",
    "uh",
    "hola",
    "bienvenidos",
    "en este vídeo",
    "en este video",
    "hoy vamos",
)
_CURIOSITY_WORDS = _wordset(
    """
    never nobody stop secret secrets mistake mistakes wrong truth actually surprising surprise why how
    what nadie nunca error errores verdad secreto realmente sorprende
    """
)
_NUMBER_WORDS = _wordset(
    "one two three four five six seven eight nine ten dos tres cuatro cinco seis siete ocho nueve diez"
)


def language_base(language: str) -> str:
    """`en-US`, `en_gb` and `EN` are all `en`."""
    return language_code(language)


def topic_keywords(topic: str, language: str) -> list[str]:
    """Words of the topic that carry meaning (no stopwords), in order, as written."""
    stop = STOPWORDS.get(language_base(language), frozenset())
    seen: set[str] = set()
    keywords: list[str] = []
    for word in _WORD.findall(topic):
        key = word.lower()
        if key in stop or key in seen or (len(key) < 2 and not key.isdigit()):
            continue
        seen.add(key)
        keywords.append(word)
    return keywords


def score_script(draft: Draft, request: WriterRequest) -> QualityScores:
    """Scores of a draft against the request it was written for."""
    return score_text(draft.title, draft.content, draft.hashtags, request)


def score_text(title: str, content: str, hashtags: list[str], request: WriterRequest) -> QualityScores:
    """Scores of any title, narration and hashtags (also user-edited ones) against a request."""
    lang = language_base(request.language)
    sentences = split_sentences(content, lang)
    keywords = [k.lower() for k in topic_keywords(request.topic, lang)]
    checks = [
        _hook_checks(sentences, content, keywords, lang),
        _engagement_checks(sentences, content, lang),
        _seo_checks(title, sentences, content, hashtags, keywords, request),
        _readability_checks(sentences, lang),
        _duration_checks(content, request),
        specificity_checks(sentences, " ".join(request.topic.split()), keywords, lang),
    ]
    # A dimension is its points out of those its checks could earn (100 unless some are not judged).
    scores = {
        name: _clamp(100 * sum(c[0] for c in dim) / max(1.0, sum(c[1] for c in dim)))
        for name, dim in zip(WEIGHTS, checks, strict=True)
    }
    overall = _clamp(sum(WEIGHTS[name] * scores[name] for name in WEIGHTS))

    # Suggestions: the checks that lost the most points, weakest dimension first.
    suggestions: list[str] = []
    for name, dim in sorted(zip(WEIGHTS, checks, strict=True), key=lambda pair: scores[pair[0]]):
        if scores[name] >= 80:
            continue
        # A penalty (nothing possible, points taken) comes first: repetition or an off-topic text is
        # the thing to fix before adding details to it.
        missed = sorted(
            (c for c in dim if c[0] < c[1] and c[2]), key=lambda c: (c[1] == 0, c[1] - c[0]), reverse=True
        )
        suggestions.extend(text for _, _, text in missed[:2] if text not in suggestions)
    return QualityScores(
        hook=scores["hook"],
        engagement=scores["engagement"],
        seo=scores["seo"],
        readability=scores["readability"],
        specificity=scores["specificity"],
        overall=overall,
        suggestions=suggestions[:5],
    )


# A check is (points earned, points possible, suggestion if it fell short or "").
_Check = tuple[float, float, str]


def _hook_checks(sentences: list[str], content: str, keywords: list[str], lang: str) -> list[_Check]:
    if not sentences:
        return [(0, 100, "Write a hook: the script is empty.")]
    first = sentences[0]
    words = _tokens(first)
    length = len(words)

    if "?" in first:
        curiosity: _Check = (30, 30, "")
    elif any(w.isdigit() or w in _NUMBER_WORDS for w in words):
        curiosity = (25, 30, "")
    elif _CURIOSITY_WORDS.intersection(words):
        curiosity = (15, 30, "Open with a question or a number: the hook has neither.")
    else:
        curiosity = (0, 30, "Open with a question or a number: the hook has neither.")

    you_words = _SECOND_PERSON.get(lang, _SECOND_PERSON["en"])
    if you_words.intersection(words):
        viewer: _Check = (20, 20, "")
    elif len(sentences) > 1 and you_words.intersection(_tokens(sentences[1])):
        viewer = (10, 20, 'Speak to the viewer in the very first sentence ("you", "your").')
    else:
        viewer = (0, 20, 'Speak to the viewer in the first sentence ("you", "your").')

    brevity_points = 20 if length <= 12 else 14 if length <= 16 else 7 if length <= 22 else 0
    brevity: _Check = (brevity_points, 20, f"Cut the first sentence to 12 words or fewer (it has {length}).")

    topical = _coverage(keywords, words)
    if topical == 1 or not keywords:
        topic_check: _Check = (20, 20, "")
    else:
        in_paragraph = _coverage(keywords, _tokens(_PARAGRAPH.split(content.strip())[0]))
        earned = 20 * topical if topical else (6 if in_paragraph else 0)
        topic_check = (
            earned,
            20,
            "Name the topic in the first sentence so viewers know what they are watching.",
        )

    lowered = first.lower()
    weak = next((o for o in _WEAK_OPENERS if lowered == o or lowered.startswith((o + " ", o + ","))), None)
    opener: _Check = (
        (0, 10, f'Skip the warm-up ("{first.split()[0]} ..."): start with the most interesting line.')
        if weak
        else (10, 10, "")
    )
    return [curiosity, viewer, brevity, topic_check, opener]


def _engagement_checks(sentences: list[str], content: str, lang: str) -> list[_Check]:
    if not sentences:
        return [(0, 100, "Write the script: there is nothing to engage with yet.")]
    you_words = _SECOND_PERSON.get(lang, _SECOND_PERSON["en"])
    addressed = sum(1 for s in sentences if you_words.intersection(_tokens(s)))
    ratio = addressed / len(sentences)
    viewer: _Check = (
        30 * min(1.0, ratio / 0.35),
        30,
        f'Talk to the viewer more often: {addressed} of {len(sentences)} sentences say "you".',
    )

    questions = sum(1 for s in sentences if "?" in s)
    asks: _Check = (
        20 if questions >= 2 else 14 if questions == 1 else 0,
        20,
        "Ask the viewer a question (for example in the call to action) to invite comments.",
    )

    cta_words = _CTA_WORDS.get(lang, _CTA_WORDS["en"])
    ending = " ".join(sentences[-3:]).lower()
    if _mentions_any(ending, cta_words):
        cta: _Check = (25, 25, "")
    elif _mentions_any(content.lower(), cta_words):
        cta = (10, 25, "Move the call to action to the end, where viewers decide what to do next.")
    else:
        cta = (0, 25, "End with a clear call to action: ask viewers to follow, comment, save or share.")

    lengths = [len(_tokens(s)) for s in sentences]
    spread = (
        statistics.pstdev(lengths) / statistics.mean(lengths) if len(lengths) > 1 and any(lengths) else 0.0
    )
    rhythm: _Check = (
        15 * min(1.0, spread / 0.4),
        15,
        "Vary the rhythm: mix short, punchy lines with longer explanations.",
    )
    openers = [_tokens(s)[:1] for s in sentences]
    distinct = len({tuple(o) for o in openers}) / len(openers)
    variety: _Check = (
        10 * min(1.0, distinct / 0.6),
        10,
        "Start sentences in different ways; many begin with the same word.",
    )
    return [viewer, asks, cta, rhythm, variety]


def _seo_checks(
    title: str,
    sentences: list[str],
    content: str,
    hashtags: list[str],
    keywords: list[str],
    request: WriterRequest,
) -> list[_Check]:
    shown = {k.lower(): k for k in topic_keywords(request.topic, request.language)}
    title_words = {_stem(w) for w in _tokens(title)}
    missing_title = [shown.get(k, k) for k in keywords if _stem(k) not in title_words]
    if not title.strip():
        title_check: _Check = (0, 30, "Add a title that names the topic.")
    else:
        earned = 30 * (1 - len(missing_title) / len(keywords)) if keywords else 30
        if len(title) > 100:
            earned = max(0, earned - 10)
        title_check = (
            earned,
            30,
            f"Put the topic's key words in the title (missing: {', '.join(missing_title)}).",
        )
        if len(title) > 100 and not missing_title:
            title_check = (earned, 30, "Shorten the title to under 100 characters so it is not cut off.")

    first = _tokens(sentences[0]) if sentences else []
    first_words = {_stem(w) for w in first}
    missing_first = [shown.get(k, k) for k in keywords if _stem(k) not in first_words]
    early: _Check = (
        20 * _coverage(keywords, first) if keywords else 20,
        20,
        f"Say {', '.join(missing_first) or 'the topic'} in the first sentence; platforms index the opening.",
    )
    body_words = _tokens(content)
    mentions = sum(1 for w in body_words if _stem(w) in {_stem(k) for k in keywords})
    repeated: _Check = (
        10 if mentions >= 2 * max(1, len(keywords)) or not keywords else 5 if mentions else 0,
        10,
        "Mention the topic again later in the script, not only at the start.",
    )

    spec = PLATFORMS.get(request.platform)
    wanted = spec.hashtag_count if spec else 3
    label = spec.label if spec else request.platform
    count = len(hashtags)
    count_points = 20 if count == wanted else 12 if abs(count - wanted) == 1 else 5 if count else 0
    tag_count: _Check = (count_points, 20, f"Use {wanted} hashtags for {label} (there are {count}).")
    bad = [tag for tag in hashtags if not re.fullmatch(r"#[^\W_][\w]*", tag)]
    tag_format: _Check = (
        10 * (1 - len(bad) / count) if count else 0,
        10,
        f"Write each hashtag as one word starting with '#' (fix: {', '.join(bad[:3])})."
        if bad
        else "Add hashtags.",
    )
    tag_words = " ".join(hashtags).lower()
    topical_tag: _Check = (
        10 if not keywords or any(k in tag_words for k in keywords) else 0,
        10,
        "Add a hashtag made from the topic's key words.",
    )
    return [title_check, early, repeated, tag_count, tag_format, topical_tag]


def _readability_checks(sentences: list[str], lang: str) -> list[_Check]:
    if not sentences:
        return [(0, 100, "")]
    cjk = sum(len(_CJK.findall(s)) for s in sentences)
    if cjk:
        per_sentence = cjk / len(sentences)
        earned = 100 if per_sentence <= 20 else max(0.0, 100 - (per_sentence - 20) * 100 / 60)
        return [(earned, 100, f"Shorten sentences: they average {per_sentence:.0f} characters.")]
    words = [w for s in sentences for w in _WORD.findall(s)]
    if not words:
        return [(0, 100, "")]
    per_sentence = len(words) / len(sentences)
    if lang in ("en", "es"):
        syllables = sum(_syllables(w, lang) for w in words) / len(words)
        if lang == "en":  # Flesch reading ease
            ease = 206.835 - 1.015 * per_sentence - 84.6 * syllables
        else:  # Fernández Huerta, Flesch's formula re-fitted for Spanish
            ease = 206.84 - 60 * syllables - 1.02 * per_sentence
        hint = (
            f"Use shorter sentences: they average {per_sentence:.0f} words; aim for about 12."
            if per_sentence > 14
            else "Use plainer, shorter words; narration is heard once, not re-read."
        )
        return [(_ease_points(ease), 100, hint)]
    earned = 100 if per_sentence <= 12 else max(0.0, 100 - (per_sentence - 12) * 100 / 28)
    return [(earned, 100, f"Use shorter sentences: they average {per_sentence:.0f} words; aim for about 12.")]


def _ease_points(ease: float) -> float:
    """Reading ease to points: conversational narration (80+) is ideal, plain English (60-70) good."""
    if ease >= 80:
        return 100.0
    if ease >= 50:
        return 60 + (ease - 50) * 40 / 30
    return max(0.0, ease * 1.2)


def _duration_checks(content: str, request: WriterRequest) -> list[_Check]:
    target = max(1, request.duration)
    seconds = estimate_narration_seconds(content, request.language)
    deviation = abs(seconds - target) / target
    earned = 100 if deviation <= 0.1 else max(0.0, 100 - (deviation - 0.1) * 200)
    rate = WORDS_PER_SECOND.get(language_base(request.language), DEFAULT_WORDS_PER_SECOND)
    words = round(abs(seconds - target) * rate)
    verb = "Cut" if seconds > target else "Add"
    hint = (
        f"{verb} about {words} words: the narration runs about {seconds:.0f} s against a {target} s target."
    )
    return [(earned, 100, hint)]


def _tokens(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _coverage(keywords: list[str], words: Iterable[str]) -> float:
    if not keywords:
        return 0.0
    present = {_stem(w) for w in words}
    return sum(1 for k in keywords if _stem(k) in present) / len(keywords)


def _mentions_any(text: str, phrases: Iterable[str]) -> bool:
    return any(re.search(rf"(?<!\w){re.escape(p)}", text) for p in phrases)


def _syllables(word: str, lang: str) -> int:
    word = word.lower()
    if any(ch.isdigit() for ch in word):
        return 2
    if lang == "es":
        return _syllables_es(word)
    word = re.sub(r"[^a-z]", "", word)
    if len(word) <= 3:
        return 1
    word = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", word)
    word = re.sub(r"^y", "", word)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", word)))


def _syllables_es(word: str) -> int:
    """Vowel nuclei: diphthongs count once; two strong vowels or an accented í/ú split (hiatus)."""
    strong, weak = set("aeoáéó"), set("iuü")
    count, previous = 0, ""
    for ch in word:
        if ch in strong or ch in weak or ch in "íú":
            if (
                not previous
                or (previous in strong and ch in strong)
                or "í" in (ch, previous)
                or "ú" in (ch, previous)
            ):
                count += 1
            previous = ch
        else:
            previous = ""
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiouáéíóú":
        count += 1
    return max(1, count)


def _clamp(value: float) -> int:
    return int(max(0, min(100, round(value))))
