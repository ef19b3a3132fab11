"""What a scene shows, as search terms: its nouns and noun phrases, the ones particular to it first.

```python
scene_terms("Every morning I grab a double espresso shot.", script)  # ["espresso shot", "morning"]
```

There is no part-of-speech tagger (none small and multilingual is on PyPI), so nouns are guessed:

1. Words are split at spaces and punctuation; function words (`lemmas.stop_words`) go.
2. English: common verbs (`VERBS`, by lemma), adverbs in -ly, and -ing/-ed forms are dropped, unless a
   determiner stands before them ("the morning", "a walk": nouns) or a noun follows them ("sleeping
   kitten", "roasted beans": kept as the noun's modifiers). German: nouns are the capitalised words.
   Spanish, Portuguese, Italian and French: inflected verbs go (words whose lemma is an infinitive).
   Other languages keep every word that is not a function word.
3. Runs of the remaining words, with nothing but spaces between them, are noun phrases (the last three
   words at most, generic adjectives like "double" trimmed from the front); each noun also stands alone.
4. Each noun's weight is tf-idf with the script's sentences as documents: a word that comes up in every
   scene ("coffee" in a script about coffee) says less about this one than a word only it has. A phrase
   weighs as its heaviest noun, plus a little, so it comes before its own words, which it then stands for.

Nouns are given as lemmas ("cyclists" → "cyclist"), lower-case. A scene with words always gets terms:
without a noun, its longest content words stand in.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from scriptsensei_cli.common.text import language_code, narration_lines, split_sentences

from .lemmas import lemma, stop_words

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
MAX_PHRASE_WORDS = 3
PHRASE_BONUS = 0.05


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# fmt: off
# Determiners and possessives: the word after one is used as a noun ("the walk", "my morning").
DETERMINERS = _word_set("a an the this that these those my your his her its our their every each some any no")
# After one of these, a word is a verb ("I ride", "to work"), unless it names weather ("it rains").
SUBJECTS = _word_set("i you we they he she it to")
WEATHER = _word_set("rain snow hail")
# Lemmas of common English verbs (and verb-like words) that are not things a picture shows. Words that
# are nouns as often as verbs (rain, walk, cook, work) are not here: a scene naming them may mean them.
VERBS = _word_set("""
    accept add agree allow appear apply arrive ask avoid become begin believe belong bring build buy call
    care carry catch cause change check choose close come consider continue cost could count create cut
    decide deliver depend describe deserve destroy die discover do drive eat enjoy enter exist expect
    explain fail fall feel fill find finish fit follow forget form get give go grab grow happen hate have
    hear help hit hold hope imagine improve include increase introduce invest involve join keep kill know
    last laugh lay lead learn leave lie like listen live look lose love make manage matter mean meet mind
    miss move need notice offer open order own pay pick plan play prefer prepare present pretend prevent
    produce promise protect prove provide pull push put reach read realize receive recognize reduce
    remain remember remove repeat replace require rest return reveal rise run say see seem sell send serve
    set share should show sit sleep solve speak spend stand start stay stop suggest support suppose take
    talk teach tell tend thank think throw try turn understand unlock use wait want watch wear win wish
    wonder would write
""")
# Nouns with the look of a verb form or an adverb.
NOUNS_LIKE_FORMS = _word_set("""
    morning evening building ceiling wedding clothing painting meeting string spring king ring wing
    thing sibling pudding dumpling bedding stuffing icing frosting ping swing sling duckling darling
    seed speed need bed shed sled red weed feed breed steed greed creed reed
    family italy july belly jelly lily butterfly holly rally supply assembly ally fly reply bully
    anomaly monopoly melancholy
""")
# Adjectives that add nothing a picture search can use, trimmed from the front of a phrase.
GENERIC_ADJECTIVES = _word_set("""
    double single huge tiny hot cold warm cool quick fast slow beautiful perfect simple easy hard amazing
    awesome nice lovely favorite favourite whole entire full empty main special certain different
    important other same extra
""")
# fmt: on
# Spanish, Portuguese, Italian and French verbs: inflected forms whose lemma is an infinitive.
INFINITIVE_ENDINGS = {
    "es": ("ar", "er", "ir"),
    "pt": ("ar", "er", "ir"),
    "it": ("are", "ere", "ire"),
    "fr": ("er", "ir", "re"),
}


@dataclass(frozen=True)
class _Token:
    text: str  # as written
    lower: str
    lemma: str
    joined: bool  # only spaces between it and the word before


def scene_terms(scene_text: str, script_text: str, language: str = "en", limit: int = 3) -> list[str]:
    """Up to `limit` search terms for what `scene_text` shows, best first (see the module's docstring).

    `script_text` is the whole script the scene comes from (it may or may not contain the scene): its
    sentences are the documents a word's rarity is measured against. Empty only for a scene without words.
    """
    code = language_code(language)
    scene = _tokens(scene_text, code)
    if not scene or limit < 1:
        return []
    documents = [
        {token.lemma for token in _tokens(sentence, code)}
        for line in narration_lines(script_text)
        for sentence in split_sentences(line, code)
    ]
    scene_lemmas = {token.lemma for token in scene}
    if scene_lemmas not in documents:
        documents.append(scene_lemmas)
    frequency = Counter(word for document in documents for word in document)

    roles = _roles(scene, code)
    counts = Counter(token.lemma for token, role in zip(scene, roles, strict=True) if role == "noun")

    def weight(word: str) -> float:
        idf = math.log((1 + len(documents)) / (1 + frequency[word])) + 1
        return counts[word] * idf

    candidates: dict[tuple[str, ...], tuple[float, int]] = {}
    for start, phrase in _phrases(scene, roles):
        nouns = [token.lemma for token, role in phrase if role == "noun"]
        words = tuple(token.lemma if role == "noun" else token.lower for token, role in phrase)
        best = max(weight(noun) for noun in nouns)
        for key, score in [(words, best + PHRASE_BONUS * (len(words) - 1))] + [
            ((noun,), weight(noun)) for noun in nouns
        ]:
            if key not in candidates:
                candidates[key] = (score, start)
    ranked = sorted(candidates.items(), key=lambda item: (-item[1][0], item[1][1]))
    terms: list[str] = []
    covered: set[str] = set()
    for words, _ in ranked:
        if set(words) <= covered:
            continue  # a phrase already chosen stands for its words
        terms.append(" ".join(words))
        covered.update(words)
        if len(terms) == limit:
            break
    return terms or _fallback(scene, code, limit)


def _tokens(text: str, code: str) -> list[_Token]:
    tokens: list[_Token] = []
    end = 0
    for match in _WORD.finditer(text):
        between = text[end : match.start()]
        end = match.end()
        word = match.group().replace("’", "'")
        lower = word.casefold()
        # An English -ing word used as a noun is its own lemma ("painting", not "paint").
        base = lower if code == "en" and lower.endswith("ing") else lemma(word, code)
        tokens.append(_Token(word, lower, base, not between or between.isspace()))
    return tokens


def _roles(tokens: list[_Token], code: str) -> list[str]:
    """Each token's part: "noun", "modifier" (only before a noun) or "" (not a search word)."""
    stops = stop_words(code)
    roles: list[str] = []
    for index, token in enumerate(tokens):
        before = tokens[index - 1].lower if index > 0 and token.joined else ""
        if token.lower in stops or (len(token.lower) < 3 and token.lower.isascii()):
            role = ""
        elif code == "en":
            role = _english_role(token, before)
        elif code == "de":
            role = "noun" if token.text[:1].isupper() else ""
        elif code in INFINITIVE_ENDINGS and token.lemma != token.lower:
            role = "" if token.lemma.endswith(INFINITIVE_ENDINGS[code]) else "noun"
        else:
            role = "noun"
        roles.append(role)
    # A modifier is one only when a noun follows it in the same run.
    for index in range(len(tokens) - 1, -1, -1):
        if roles[index] == "modifier":
            following = index + 1 < len(tokens) and tokens[index + 1].joined
            if not (following and roles[index + 1] in ("noun", "modifier")):
                determined = index > 0 and tokens[index].joined and tokens[index - 1].lower in DETERMINERS
                roles[index] = "noun" if code == "en" and determined else ""
    return roles


def _english_role(token: _Token, before: str) -> str:
    word = token.lower
    if word in GENERIC_ADJECTIVES or token.lemma in GENERIC_ADJECTIVES:
        return "modifier"
    if word in NOUNS_LIKE_FORMS:
        return "noun"
    if (word.endswith("ing") and len(word) > 5) or (word.endswith("ed") and len(word) > 4):
        return "modifier"  # "a sleeping kitten"; alone after a determiner, a noun (see `_roles`)
    if before in DETERMINERS:
        return "noun"
    if token.lemma in VERBS or word in VERBS or (before in SUBJECTS and token.lemma not in WEATHER):
        return ""
    if word.endswith("ly") and len(word) > 4:
        return ""
    return "noun"


def _phrases(tokens: list[_Token], roles: list[str]) -> list[tuple[int, list[tuple[_Token, str]]]]:
    """(position, words) of each run of modifiers and nouns that ends in a noun, trimmed as documented."""
    runs: list[tuple[int, list[tuple[_Token, str]]]] = []
    current: list[tuple[_Token, str]] = []
    start = 0
    for index, (token, role) in enumerate([*zip(tokens, roles, strict=True), (None, "")]):
        if role and current and token is not None and token.joined:
            current.append((token, role))
            continue
        while current and current[-1][1] != "noun":
            current.pop()
        if current:
            current = current[-MAX_PHRASE_WORDS:]
            while len(current) > 1 and current[0][0].lower in GENERIC_ADJECTIVES:
                current.pop(0)
            runs.append((start, current))
        current, start = ([(token, role)], index) if role and token is not None else ([], index)
    return runs


def _fallback(tokens: list[_Token], code: str, limit: int) -> list[str]:
    """The scene's longest content words (or longest words, when all are function words)."""
    stops = stop_words(code)
    content = [token.lemma for token in tokens if token.lower not in stops] or [t.lemma for t in tokens]
    unique = list(dict.fromkeys(content))
    return sorted(unique, key=lambda word: (-len(word), unique.index(word)))[:limit]
