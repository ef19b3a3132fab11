"""Words to their dictionary form, and the words that say nothing about a picture, per language.

Lemmas come from `simplemma` (MIT; tables for 54 languages, no model): "cyclists" → "cyclist", "mice"
→ "mouse", "Fahrräder" → "fahrrad". It makes mistakes of its own ("playing" → "playe"), which do no
harm where both sides of a comparison go through it. Without simplemma (a thin install) a word is its
own lemma. Lemmas are casefolded, so case never matters.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable

from scriptsensei_cli.common.text import language_code

logger = logging.getLogger("scriptsensei.media")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words: articles, pronouns, prepositions, conjunctions, auxiliaries and the commonest
# adverbs. Per language; a language without a list relies on the weighting against the rest of the
# script alone.
# fmt: off
STOP_WORDS: dict[str, frozenset[str]] = {
    "en": _words("""
        a about above across after again against ahead all almost along alongside also although always
        am amid among an and another any anyone anything anyway are around as at away back be because
        been before behind being below beneath beside besides between beyond
        both but by can cannot could did do does doing done down during each either else enough even
        ever every everyone everything few for from further get gets getting got had has have having he
        her here hers herself him himself his how however i if in inside instead into is it its itself
        just least less let lets like lot lots many may maybe me might mine more most much must my
        myself near need needs neither never next no nobody none nor not nothing now of off often on
        once one only onto or other others otherwise our ours ourselves out outside over own past per
        perhaps plus quite rather really same shall she should since so some somebody someone something
        sometimes somewhere soon still such than that the their theirs them themselves then there
        these they thing things this those though through throughout thus till to today together too toward
        towards under underneath until up upon us very via was we well were what whatever when whenever where
        whether which while who whoever whole whom whose why will with within without would yet you
        your yours yourself yourselves it's that's there's here's what's let's don't doesn't didn't
        can't won't isn't aren't wasn't weren't i'm you're we're they're i've you've we've they've i'll
        you'll we'll they'll i'd you'd we'd they'd he's she's okay ok yes oh hey wow right actually
        basically simply literally already almost first second third last new old big small little
        good great best better bad worse worst high low long short real true sure able way kind lot
        day time times year years minute minutes second seconds step steps tip tips reason reasons
        video videos part
    """),
    "es": _words("""
        a al algo algún alguna algunas alguno algunos ante antes aquí así aun aunque bajo bien cada
        casi como cómo con contra cual cuál cuando cuándo de del desde donde dónde durante e el él
        ella ellas ellos en entre era eran es esa esas ese eso esos esta está están estas este esto
        estos fue fueron ha hace hacer han hasta hay la las le les lo los más me mi mis mucho muy
        nada ni no nos nosotros o otra otras otro otros para pero poco por porque qué que quien
        quién se sea ser si sí siempre sin sobre solo sólo son su sus también tan tanto te tiene
        tienen todo todos tu tú tus un una unas uno unos usted ustedes va vamos y ya yo
    """),
    "fr": _words("""
        à au aux avec avoir c ça ce cela celle celui ces cet cette chaque comme comment d dans de des
        donc dont du elle elles en encore est et été être eu fait faire il ils j je l la le les leur
        leurs lui m ma mais me même mes moi mon n ne ni nos notre nous on ont ou où par pas peu plus
        pour pourquoi qu quand que quel quelle quels qui s sa sans se ses si son sont sous sur t ta
        te tes toi ton tous tout toute toutes très tu un une vos votre vous y
    """),
    "de": _words("""
        ab aber alle allem allen aller alles als also am an auch auf aus bei bin bis bist da damit
        dann das dass dein deine dem den der des dich die dir doch dort du durch ein eine einem einen
        einer eines er es etwas euch euer für gegen hat hatte hier ich ihr ihre im in ist ja jede
        jeder jedes kann kein keine man mein meine mich mir mit muss nach nicht noch nun nur ob oder
        ohne schon sehr sein seine sich sie sind so soll über um und uns unser unter vom von vor war
        waren was weil wenn wer wie wieder wir wird wo zu zum zur
    """),
    "it": _words("""
        a ad al alla alle allo anche che chi ci come con cosa da dal dalla dei del della delle di
        dove e è ed era gli ha hanno i il in io la le lei lo loro lui ma mi mio molto ne nei nel
        nella no noi non o per perché più poi quale quando quello questa questo se si sono su sua
        suo sul sulla ti tra tu tutti tutto un una uno voi
    """),
    "pt": _words("""
        a ao aos as à às com como da das de do dos e é ela elas ele eles em entre era essa esse
        esta este eu foi há isso isto já la lhe mais mas me meu minha muito na não nas nem no nos
        nós o os ou para pela pelo por porque quando que quem se sem ser seu sua são também te tem
        tu tua um uma você vocês
    """),
}
# fmt: on


def stop_words(language: str) -> frozenset[str]:
    """The function words of `language` ("en-US" reads as "en"); empty for a language without a list."""
    return STOP_WORDS.get(language_code(language), frozenset())


def lemma(word: str, language: str = "en") -> str:
    """`word`'s dictionary form in `language` (then English, which file names are often written in),
    casefolded; the word itself, casefolded, where simplemma knows no better."""
    return _lemma(word.casefold(), _lemma_languages(language_code(language)))


def lemmas(words: Iterable[str], language: str = "en") -> list[str]:
    """`lemma` of each word, in order, repeats dropped."""
    languages = _lemma_languages(language_code(language))
    seen: dict[str, None] = {}
    for word in words:
        seen.setdefault(_lemma(word.casefold(), languages), None)
    return list(seen)


@functools.lru_cache(maxsize=200_000)
def _lemma(word: str, languages: tuple[str, ...]) -> str:
    if not languages or not word:
        return word
    import simplemma

    try:
        found = simplemma.lemmatize(word, lang=languages)
    except ValueError:  # a table that cannot be read: keep the word
        return word
    return found.casefold() or word


@functools.cache
def _lemma_languages(code: str) -> tuple[str, ...]:
    """The simplemma tables to try for `code`: its own, then English; none without simplemma."""
    try:
        from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES
    except ImportError:
        logger.info("simplemma is not installed: words are matched as written, without their lemmas")
        return ()
    own = (code,) if code in SUPPORTED_LANGUAGES else ()
    return own if code == "en" else (*own, "en")
