"""What a topic is, grammatically, so that the built-in writer can put it into a sentence.

A topic comes in one of three shapes, and each takes its own phrases:

- a noun phrase ("cold brew coffee", "morning routines", "AI in healthcare"), singular or plural;
- a clause ("how compound interest builds wealth", "why cats purr", "how to start a podcast"),
  which fits after "about" or "wondered" but not where a noun goes ("3 ___ tips"); an instruction
  ("Start a podcast") is read as a how-to ("how to start a podcast");
- a question ("Is coffee bad for you?", "How does compound interest work"), which stands alone.

`mid` is the topic as it reads inside a sentence (see `casing.mid_sentence`); `noun` the noun phrase
that names it in the body of a script, or None where there is none (the script then refers to it).
Heuristics on the words alone, no dictionary: unusual topics may still read stiffly, never as a crash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .casing import cap_word, mid_sentence

Shape = Literal["noun", "clause", "question"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_WH_EN = _words(
    """
    how why what when where which who whether
    """
)
_AUX_EN = _words(
    """
    do does did is are was were can could should would will shall has have had may might must am
    isn't aren't don't doesn't can't won't shouldn't
    """
)
_WH_CONTRACTIONS_EN = _words(
    """
    how's what's why's where's who's when's
    """
)
# Verbs that open an instruction ("Start a podcast", "learn Python"). The first group is rarely a
# noun; the second also is one ("travel tips", "sleep hygiene"), so it only counts before a word
# that cannot follow a noun (an article, a pronoun, a particle).
_VERBS_EN = _words(
    """
    learn make build get lose write choose improve become create find quit speak negotiate prepare
    save grow raise buy sell pay reduce avoid keep start stop manage master boost increase beat
    overcome handle understand read organize organise declutter clean teach raise write launch earn
    invest apply prevent protect use turn take give find set eat drink
    """
)
_NOUN_VERBS_EN = _words(
    """
    run cook travel study design plan train fix sleep walk change work talk dance paint swim hike
    budget fish garden shop rest play
    """
)
_AFTER_VERB_EN = _words(
    """
    a an the your my our their his her its this that these those more less up out down off with to
    better faster yourself money
    """
)
_PREPOSITIONS_EN = _words(
    """
    in on for of with at from to vs versus about during without under over by after before like near
    among between into through across against around within per via
    """
)
_SINGULAR_S = _words(
    """
    news physics economics mathematics maths politics ethics athletics gymnastics aerobics
    statistics logistics genetics electronics robotics series species means gas bus lens chaos yes
    this its his basis analysis crisis thesis diagnosis bonus status virus campus focus census
    corpus octopus cactus canvas atlas iris tennis billiards diabetes measles christmas texas paris
    always less dress glass class grass mass boss business success process access progress stress
    fitness wellness mindfulness happiness
    """
)
_PLURAL_WORDS = _words(
    """
    people children men women teeth feet mice geese data criteria phenomena cattle police
    """
)

_WH_ES = {
    "como": "cómo",
    "cómo": "cómo",
    "que": "qué",
    "qué": "qué",
    "cuando": "cuándo",
    "cuándo": "cuándo",
    "donde": "dónde",
    "dónde": "dónde",
    "cual": "cuál",
    "cuál": "cuál",
    "cuales": "cuáles",
    "cuáles": "cuáles",
    "quien": "quién",
    "quién": "quién",
    "cuanto": "cuánto",
    "cuánto": "cuánto",
    "cuanta": "cuánta",
    "cuánta": "cuánta",
}
_PREPOSITIONS_ES = _words(
    """
    a de del en para por con sin sobre según contra entre hacia y o
    """
)
_SINGULAR_S_ES = _words(
    """
    crisis análisis dosis tesis virus estrés lunes martes miércoles jueves viernes
    """
)


@dataclass(frozen=True)
class TopicForm:
    """A topic ready to be inserted: see the module's docstring."""

    text: str
    shape: Shape
    mid: str
    plural: bool
    noun: str | None

    @property
    def question(self) -> str:
        """A question topic as a sentence of its own, capitalised and with its question marks."""
        return self.mid


def topic_form(topic: str, language: str) -> TopicForm:
    """The shape of a topic in a base language code (`en`, `es`; others are read as English)."""
    text = " ".join(topic.split())
    if not any(ch.isalnum() for ch in text):  # "???": nothing to read, insert it as it is
        return TopicForm(text, "noun", text, False, text)
    if language == "es":
        return _form_es(text)
    return _form_en(text)


def _form_en(text: str) -> TopicForm:
    bare = text.rstrip(".!").strip()
    words = bare.rstrip("?").split()
    lower = [w.lower() for w in words]
    first, second = ([*lower, "", ""])[:2]
    if (
        bare.endswith("?")
        or first in _AUX_EN
        or first in _WH_CONTRACTIONS_EN
        or (first in _WH_EN and second in _AUX_EN)
    ):
        question = cap_word(" ".join(words).rstrip(" ?")) + "?"
        return TopicForm(text, "question", question, False, None)
    mid = mid_sentence(" ".join(words), "en")
    mid_words = mid.split()
    if first in _WH_EN:
        noun = None
        if second == "to" and len(mid_words) > 2:  # how to start a podcast → starting a podcast
            noun = " ".join([gerund(mid_words[2]), *mid_words[3:]])
        return TopicForm(text, "clause", mid, False, noun)
    if len(mid_words) > 1 and (first in _VERBS_EN or (first in _NOUN_VERBS_EN and second in _AFTER_VERB_EN)):
        # An instruction is a how-to: "Start a podcast" → "how to start a podcast", "starting a podcast".
        verb, rest = mid_words[0].lower(), mid_words[1:]
        return TopicForm(
            text, "clause", " ".join(["how to", verb, *rest]), False, " ".join([gerund(verb), *rest])
        )
    return TopicForm(text, "noun", mid, _plural_en(lower), mid)


def gerund(verb: str) -> str:
    """English -ing form: make → making, run → running, see → seeing, lie → lying, visit → visiting."""
    word = verb.lower()
    if word in ("be", "see", "flee", "free", "agree", "dye", "hoe", "tiptoe"):
        return word + "ing"
    if word.endswith("ie"):
        return word[:-2] + "ying"
    if word.endswith("e") and not word.endswith(("ee", "ye", "oe")) and len(word) > 2:
        return word[:-1] + "ing"
    plain = word.replace("qu", "q")
    if re.fullmatch(r"[^aeiou]*[aeiou][^aeiouwxy]", plain):
        return word + word[-1] + "ing"
    return word + "ing"


def _plural_en(words: list[str]) -> bool:
    """Whether a noun phrase is plural: its head (the last word before a preposition) or an "and"."""
    head_words: list[str] = []
    for word in words:
        if word in _PREPOSITIONS_EN:
            break
        head_words.append(word)
    if not head_words:
        return False
    if "and" in head_words[1:-1] or "&" in head_words:
        return True
    return _plural_word(head_words[-1])


def _plural_word(word: str) -> bool:
    letters = re.sub(r"[^\w]", "", word)
    if letters in _PLURAL_WORDS:
        return True
    if letters in _SINGULAR_S or letters.endswith(("ss", "us", "is", "ics", "ness", "ous")):
        return False
    return letters.endswith("s") and len(letters) > 3 and not letters.endswith("'s")


def _form_es(text: str) -> TopicForm:
    bare = text.rstrip(".!").strip()
    inner = bare.strip("¿?¡! ")
    words = inner.split()
    lower = [w.lower() for w in words]
    first, second = ([*lower, "", ""])[:2]
    wh = _WH_ES.get(first)
    if first == "por" and second in ("que", "qué"):
        wh = "por qué"
    if bare.startswith("¿") or bare.endswith("?"):
        question = "¿" + cap_word(inner) + "?"
        return TopicForm(text, "question", question, False, None)
    mid = mid_sentence(inner, "es")
    if wh is not None:
        rest = mid.split()[2 if wh == "por qué" else 1 :]
        clause = " ".join([wh, *rest])
        infinitive = bool(rest) and re.search(r"(ar|er|ir|arse|erse|irse)$", rest[0].lower()) is not None
        return TopicForm(text, "clause", clause, False, " ".join(rest) if infinitive else None)
    return TopicForm(text, "noun", mid, _plural_es(lower), mid)


def _plural_es(words: list[str]) -> bool:
    if not words:
        return False
    if words[0] in ("los", "las", "unos", "unas"):
        return True
    if words[0] in ("el", "la", "un", "una", "lo"):
        return False
    head = words[0]
    for word in words:
        if word in _PREPOSITIONS_ES:
            break
        head = word
    return head.endswith("s") and head not in _SINGULAR_S_ES and len(head) > 3
