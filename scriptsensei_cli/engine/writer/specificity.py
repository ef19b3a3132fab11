"""Specificity: does a script say something concrete about its topic, or could it be about anything?

The other dimensions measure form (a question in the hook, "you", hashtags), which filler can have in
full. This one measures substance, on any text, in four checks and two penalties:

- concrete details: quantities (a number with a unit, a ratio, a percentage, a price, a year) and
  named things (a capitalised name or an acronym mid-sentence), distinct ones per 100 words;
- particular words: distinct words outside general language (`lexicon.py`) and outside the topic's
  own words, per 100 words: the terms, tools and steps only this subject has;
- no stock lines: sentences that are the writer's own phrase-bank text, or carry a stock phrase
  ("game changer", "at the end of the day"); the call to action at the end is exempt;
- on topic: the topic's words appear in the script (half of them is enough: a concrete script on
  "how compound interest builds wealth" need not say "builds"), beyond its first sentence;
- penalties: a share of the points is lost for repetition (sentences said twice, phrases of five
  words that come back) and for text that hardly mentions the topic at all.

Details and words are counted only in sentences that are not stock lines, so filler with the topic
pasted in earns nothing for it. Everything is deterministic and cheap: no model, no dictionary
beyond the word lists.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ...common.narration import CJK as _CJK
from ...common.narration import count_words
from .casing import word_kind
from .lexicon import bank_phrases, base_forms, is_general, words_of
from .phrasebank import SUPPORTED_LANGUAGES

# (points earned, points possible, suggestion if it fell short); a penalty earns negative points.
Check = tuple[float, float, str]

DETAILS_POINTS = 35.0
WORDS_POINTS = 35.0
STOCK_POINTS = 15.0
TOPIC_POINTS = 15.0
# Distinct details and particular words per 100 words that earn full points (calibrated on the
# corpus in tests/engine/writer/corpus/: concrete scripts reach them, filler stays near zero).
DETAILS_PER_100 = 3.0
WORDS_PER_100 = 10.0
# Particular words per 100 words that any text has for free (names of things the word lists lack).
WORDS_FREE_PER_100 = 1.5
# Stock sentences: a share of half of them (outside the call to action) costs all 15 points.
STOCK_SHARE_LIMIT = 0.5
# A phrase said twice is natural; repetition costs points from this share of repeated text on.
REPETITION_ALLOWED = 0.03
# Text that never mentions its topic keeps this share of its points; the penalty fades out as the
# topic's relevance (below) rises to RELEVANT.
OFF_TOPIC_FLOOR = 0.25
RELEVANT = 0.5

_UNITS = {
    "en": """
        percent percentage degree degrees celsius fahrenheit minute minutes min mins hour hours hr hrs second
        seconds sec secs day days week weeks month months year years decade decades gram grams g kg
        kilogram kilograms kilo kilos pound pounds lb lbs ounce ounces oz ml millilitre millilitres
        milliliter milliliters litre litres liter liters l cup cups tablespoon tablespoons tbsp
        teaspoon teaspoons tsp inch inches cm mm metre metres meter meters m km kilometre kilometres
        kilometer kilometers millimetre millimetres millimeter millimeters centimetre centimetres
        centimeter centimeters mile miles foot feet ft calorie calories kcal mg mcg dollar dollars euro
        euros cent cents bucks times x rep reps set sets step steps mph kph watt watts w volt volts
        mah gb mb tb kb ghz mhz hz mp megapixel megapixels fps psi bar ppm iu serving servings slice
        slices page pages word words point points bpm rpm k stop stops
    """,
    "es": """
        porcentaje grado grados minuto minutos min hora horas h segundo segundos día días
        semana semanas mes meses año años década décadas gramo gramos g kg kilo kilos kilogramo
        kilogramos libra libras onza onzas ml mililitro mililitros litro litros l taza tazas
        centímetro centímetros milímetro milímetros
        cucharada cucharadas cucharadita cucharaditas cm mm metro metros m km kilómetro kilómetros
        milla millas caloría calorías kcal mg euro euros dólar dólares céntimo céntimos peso pesos
        veces vez repeticiones series paso pasos vatios w gb mb tb ghz mp fps página páginas palabra
        palabras punto puntos k
    """,
}
_NUMBER_WORDS = {
    "en": """
        one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty
        fifty sixty seventy eighty ninety hundred thousand half dozen
    """,
    "es": """
        un una uno dos tres cuatro cinco seis siete ocho nueve diez once doce quince veinte treinta
        cuarenta cincuenta sesenta cien mil media medio docena
    """,
}
# Phrases that say nothing in any script; a sentence with one is a stock line.
_STOCK_PHRASES = {
    "en": """
        consistency is key | is the key | the key is | is all about | all the difference
        | a huge difference | a big difference | small steps | small changes | listen to your body
        | believe in yourself | trust the process | enjoy the journey | is a journey | not a sprint
        | you're not alone | like a pro | the possibilities are endless | here to stay
        | changing everything | the future of | one thing is clear | what works for you
        | make it your own | goes a long way | easier than you think | where the magic happens
        | take the time | quality matters | is everything | the secret of | in a whole new way
        | a feeling like no other | you are capable | you're capable | the best you can
        | never go back | can't be rushed | started somewhere | tips you need
        game changer | game-changer | game changing | next level | to the next level | unlock the power
        | unlock your | unleash your | the secret sauce | the secret to | in today's world
        | fast-paced world | let's dive in | dive into | deep dive | without further ado | stay tuned
        | at the end of the day | it's no secret | you won't believe | one simple trick
        | changes everything | change your life | life-changing | mind-blowing | here's the thing
        | trust me | the truth is | level up | smash that like | like and subscribe
        | don't forget to subscribe | hit the bell | let's get started | let's get into it | buckle up
        | the power of | embark on | elevate your | look no further | whether you're a beginner
        | plays a crucial role | crucial role | in the realm of | harness the power
        | it's not just about | more than just | a must-have | must-know | take it to the next
        | you need to know | everything you need | the ultimate guide | tips and tricks
    """,
    "es": """
        cambiar tu vida | te cambiará la vida | cambia tu vida | el secreto de | siguiente nivel
        | otro nivel | sin más preámbulos | vamos al lío | no te lo pierdas | quédate hasta el final
        | la verdad es que | te va a volar la cabeza | un antes y un después | lo que nadie te cuenta
        | todo lo que necesitas saber | la guía definitiva | trucos y consejos | en el mundo de hoy
        | al fin y al cabo | confía en mí | el poder de | la clave está | la clave es | marcan la diferencia
        | marca la diferencia | una gran diferencia | pequeños pasos | la calidad importa
        | cuestión de mentalidad | a largo plazo | lo que funciona para ti | disfrutar del camino
        | no estás solo | cree en ti | te van a cambiar la vida | que lo cambian todo
    """,
}
# Numbers start where no digit or letter does: "は2024年" has one, "A4" and "v2" do not.
_QUANTITY = re.compile(
    r"""
    (?P<currency>[$€£¥]\s?\d+(?:[.,]\d+)*(?:\s?(?:k|m|bn|million|billion|thousand|mil|millones)\b)?)
    | (?P<ratio>(?<![\w.,])\d+(?:[.,]\d+)?(?:\s?[:/]\s?\d+(?:[.,]\d+)?)+(?![\d]))
    | (?P<clock>(?<![\w.,])\d{1,2}(?::\d\d)?\s?(?:a\.m\.|p\.m\.|am\b|pm\b))
    | (?P<symbol>(?<![\w.,])\d+(?:[.,]\d+)?\s?(?:%|°\s?[CFcf]?|º|percent\b|per\scent\b|por\sciento\b))
    | (?P<number>(?<![\w.,])\d+(?:[.,]\d+)*(?:\s?(?:-|–|to|a)\s?\d+(?:[.,]\d+)*)?)(?:\s?(?P<unit>[^\W\d_]+))?
    """,
    re.VERBOSE | re.IGNORECASE,
)
_YEAR = re.compile(r"^(1[5-9]\d\d|20\d\d)$")
_FIRST_PERSON = frozenset(("i", "i'm", "i've", "i'll", "i'd"))
_CAPITAL_WORD = re.compile(r"[^\W\d_][\w'’&.-]*")


@dataclass(frozen=True)
class _Substance:
    words: int
    quantities: set[str]
    names: set[str]
    particular: set[str]
    stock: list[str]
    judged: int  # sentences whose stock-ness counts (the call to action at the end is exempt)


def specificity_checks(sentences: list[str], topic: str, keywords: list[str], language: str) -> list[Check]:
    """The checks of the specificity dimension for a script's sentences about `topic`.

    `keywords` are the topic's meaningful words (lower-cased); with none, the on-topic check and
    penalty are not judged. For languages without a word list, particular words and stock lines are
    not judged: the dimension is then scored on the checks that apply.
    """
    if not sentences:
        return [(0, 100, "Write the script: there is nothing concrete in it yet.")]
    lang = language if language in SUPPORTED_LANGUAGES else ""
    topic_forms = {form for k in keywords for form in base_forms(k, lang or "en")}
    found = _substance(sentences, topic_forms, lang)
    per_100 = 100 / max(1, found.words)
    shown_topic = topic or "this topic"

    details = len(found.quantities) + len(found.names)
    checks: list[Check] = [
        (
            DETAILS_POINTS * min(1.0, details * per_100 / DETAILS_PER_100),
            DETAILS_POINTS,
            "Add concrete details: numbers with units, names, amounts, dates "
            f"(there {_are(details)} in {found.words} words).",
        )
    ]
    if lang:
        particular = len(found.particular)
        checks.append(
            (
                WORDS_POINTS * min(1.0, max(0.0, particular * per_100 - WORDS_FREE_PER_100) / WORDS_PER_100),
                WORDS_POINTS,
                f"Use the vocabulary of {shown_topic}: the terms, tools and steps only it has; most "
                "words here would fit any topic.",
            )
        )
        share = len(found.stock) / found.judged if found.judged else 0.0
        example = f' ("{_shorten(found.stock[0])}")' if found.stock else ""
        checks.append(
            (
                STOCK_POINTS * max(0.0, 1 - share / STOCK_SHARE_LIMIT),
                STOCK_POINTS,
                f"Replace stock lines with what you know: {len(found.stock)} of {found.judged} sentences "
                f"would fit any topic{example}.",
            )
        )

    relevance = _relevance(sentences, topic_forms, keywords, lang)
    if keywords:
        missing = [k for k in keywords if not _mentions(sentences, k, lang)]
        checks.append(
            (
                TOPIC_POINTS * relevance,
                TOPIC_POINTS,
                f"Stay on {shown_topic}: the script never says {', '.join(missing)}."
                if missing
                else f"Come back to {shown_topic} after the first sentence.",
            )
        )

    earned = sum(c[0] for c in checks)
    repeated, what = _repetition(sentences)
    if repeated >= REPETITION_ALLOWED:
        checks.append((-earned * min(1.0, 1.5 * repeated), 0, f"Say each thing once: {what}."))
    if keywords and relevance < RELEVANT:
        kept = OFF_TOPIC_FLOOR + (1 - OFF_TOPIC_FLOOR) * relevance / RELEVANT
        after_repetition = earned + sum(c[0] for c in checks if c[1] == 0)
        checks.append(
            (
                -after_repetition * (1 - kept),
                0,
                f"Talk about {shown_topic} itself: most of the script is about something else.",
            )
        )
    return checks


def _substance(sentences: list[str], topic_forms: set[str], lang: str) -> _Substance:
    quantities: set[str] = set()
    names: set[str] = set()
    particular: set[str] = set()
    stock: list[str] = []
    judged = len(sentences) - 2 if len(sentences) >= 5 else len(sentences)
    words = 0
    for index, sentence in enumerate(sentences):
        tokens = words_of(sentence)
        words += count_words(sentence)  # a CJK character counts as a word
        is_stock = bool(lang) and _is_stock(tokens, lang)
        if is_stock:
            if index < judged:
                stock.append(sentence)
            continue
        quantities |= _quantities(sentence, lang or "en")
        sentence_names, name_words = _names(sentence, topic_forms, lang or "en")
        names |= sentence_names
        if lang:
            for token in tokens:
                if (
                    len(token) >= 3
                    and token not in name_words
                    and not is_general(token, lang)
                    and not topic_forms.intersection(base_forms(token, lang))
                ):
                    particular.add(_stem(token))
    return _Substance(words, quantities, names, particular, stock, max(0, judged))


def _quantities(sentence: str, lang: str) -> set[str]:
    """Distinct quantities: a price, a ratio, a percentage or temperature, a number with a unit, a
    year or a decimal; a number word with a unit ("two weeks"). A bare count ("5 tips") is not one."""
    units, numbers = _units(lang), _number_words(lang)
    found: set[str] = set()
    for match in _QUANTITY.finditer(sentence):
        if match["number"] is None:
            found.add(" ".join(match[0].lower().split()))
            continue
        number, unit = match["number"], (match["unit"] or "").lower()
        if unit in units:
            found.add(f"{number} {unit}")
        elif _YEAR.match(number) or re.search(r"\d[.,]\d", number):
            found.add(number)
    tokens = words_of(sentence)
    for word, unit in itertools.pairwise(tokens):
        if word in numbers and unit in units:
            found.add(f"{word} {unit}")
    return found


def _names(sentence: str, topic_forms: set[str], lang: str) -> tuple[set[str], set[str]]:
    """Named things: runs of capitalised words or acronyms that do not open the sentence (or a
    clause after a colon), are not the topic's own words, and are not a lone common word."""
    names: set[str] = set()
    words_in_names: set[str] = set()
    run: list[str] = []

    def close() -> None:
        if run and (len(run) > 1 or not is_general(run[0].lower(), lang)):
            names.add(" ".join(w.lower() for w in run))
            words_in_names.update(w.lower() for w in run)
        run.clear()

    sentence = _CJK.sub(" ", sentence)  # CJK has no capitals, and no spaces around a Latin name
    last_end = 0
    for match in _CAPITAL_WORD.finditer(sentence):
        if sentence[last_end : match.start()].strip():  # "Settings, Camera" are two names
            close()
        last_end = match.end()
        word = match[0].rstrip(".")
        lower = word.lower().replace("’", "'")
        kind = word_kind(word)
        before = sentence[: match.start()].rstrip()
        opens = not before or before[-1] in ':;¿¡"“«—(-'
        if kind == "upper":
            named = not is_general(lower, lang)
        elif kind == "mixed":
            named = True
        else:
            named = kind == "capital" and not opens and lower not in _FIRST_PERSON
        of_topic = topic_forms.intersection(base_forms(lower, lang)) or any(
            lower in form for form in topic_forms if _CJK.search(form)
        )
        if named and not of_topic:
            run.append(word)
        else:
            close()
    close()
    return names, words_in_names


def _is_stock(tokens: list[str], lang: str) -> bool:
    if not tokens:
        return False
    exact, grams = _bank_stock(lang)
    joined = " ".join(tokens)
    if joined in exact:
        return True
    padded = f" {joined} "
    if any(f" {phrase} " in padded for phrase in _stock_phrases(lang)):
        return True
    if len(tokens) < 4:
        return False
    covered = [False] * len(tokens)
    for i in range(len(tokens) - 3):
        if tuple(tokens[i : i + 4]) in grams:
            for k in range(i, i + 4):
                covered[k] = True
    longest = current = 0
    for flag in covered:
        current = current + 1 if flag else 0
        longest = max(longest, current)
    return longest >= 5 and sum(covered) >= 0.5 * len(tokens)


@functools.cache
def _bank_stock(lang: str) -> tuple[frozenset[str], frozenset[tuple[str, ...]]]:
    """The bank's literal sentences (no placeholder) and every 4-word run of its literal text."""
    exact: set[str] = set()
    grams: set[tuple[str, ...]] = set()
    for phrase in bank_phrases(lang):
        for chunk in re.split(r"\{\w+\}", phrase):
            for piece in re.split(r"[.!?¿¡:;]", chunk):
                tokens = words_of(piece)
                grams.update(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))
        if "{" not in phrase:
            for piece in re.split(r"(?<=[.!?])\s+", phrase):
                tokens = words_of(piece)
                if len(tokens) >= 2:
                    exact.add(" ".join(tokens))
    return frozenset(exact), frozenset(grams)


@functools.cache
def _stock_phrases(lang: str) -> tuple[str, ...]:
    return tuple(" ".join(words_of(p)) for p in _STOCK_PHRASES.get(lang, "").split("|") if p.strip())


@functools.cache
def _units(lang: str) -> frozenset[str]:
    return frozenset(_UNITS.get(lang, _UNITS["en"]).split())


@functools.cache
def _number_words(lang: str) -> frozenset[str]:
    return frozenset(_NUMBER_WORDS.get(lang, _NUMBER_WORDS["en"]).split())


def _relevance(sentences: list[str], topic_forms: set[str], keywords: list[str], lang: str) -> float:
    """0..1: how much of the topic the script says (half of its words is all of it), times how far
    beyond the first sentence it keeps coming back to it (once per 80 words is plenty)."""
    if not keywords:
        return 1.0
    said = sum(1 for k in keywords if _mentions(sentences, k, lang)) / len(keywords)
    later = [w for s in sentences[1:] for w in words_of(s)]
    mentions = sum(1 for w in later if topic_forms.intersection(base_forms(w, lang or "en")))
    unspaced = [k for k in keywords if _CJK.search(k)]  # no spaces between words: count the text
    mentions += sum(" ".join(sentences[1:]).lower().count(k) for k in unspaced)
    spread = min(1.0, mentions / max(1.0, len(later) / 80)) if later else 1.0
    return min(1.0, said / 0.5) * min(1.0, 0.5 + spread)


def _mentions(sentences: Iterable[str], keyword: str, lang: str) -> bool:
    if _CJK.search(keyword):
        return any(keyword in s.lower() for s in sentences)
    forms = set(base_forms(keyword, lang or "en"))
    return any(forms.intersection(base_forms(w, lang or "en")) for s in sentences for w in words_of(s))


def _repetition(sentences: list[str]) -> tuple[float, str]:
    """The share of what is said twice: sentences repeated verbatim, or runs of five words that come
    back (whichever is larger), with a description of the worst case."""
    keys = [" ".join(words_of(s)) for s in sentences]
    keys = [k for k in keys if len(k.split()) >= 3]
    sentence_share = (len(keys) - len(set(keys))) / len(keys) if keys else 0.0
    tokens = [w for s in sentences for w in words_of(s)]
    grams = [tuple(tokens[i : i + 5]) for i in range(len(tokens) - 4)]
    counts = Counter(grams)
    gram_share = (len(grams) - len(counts)) / len(grams) if grams else 0.0
    if sentence_share >= gram_share and sentence_share > 0:
        repeated = sum(c - 1 for c in Counter(keys).values() if c > 1)
        return sentence_share, f"{repeated} of {len(keys)} sentences repeat an earlier one"
    if gram_share > 0:
        gram, count = counts.most_common(1)[0]
        return gram_share, f'"{" ".join(gram)}" comes back {count} times'
    return 0.0, ""


def _stem(word: str) -> str:
    """One key per word and its plural ("radiologists", "radiologist"), for counting distinct words."""
    if word.endswith(("ses", "xes", "zes", "ches", "shes")) and len(word) > 5:
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def _are(count: int) -> str:
    return "is one" if count == 1 else f"are {count}" if count else "are none"


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
