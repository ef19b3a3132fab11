"""Topics in sentences: shape, case, agreement and articles, for awkward topics in both languages."""

from __future__ import annotations

import itertools
import re
from typing import get_args

import pytest

from scriptsensei_cli.contract.scripts import Tone
from scriptsensei_cli.engine.writer import BuiltinWriter, Draft, WriterRequest, split_sentences
from scriptsensei_cli.engine.writer.casing import mid_sentence
from scriptsensei_cli.engine.writer.topic import gerund, topic_form

TONES: tuple[str, ...] = get_args(Tone)
PLATFORMS = ("tiktok", "youtube")
DURATIONS = (15, 30, 45, 60, 90, 120, 180)


def drafts(topic: str, language: str = "en") -> list[Draft]:
    """Drafts for every tone on a short and a long platform, at several lengths: every hook and title
    template gets its turn."""
    writer = BuiltinWriter()
    return [
        writer.write(WriterRequest(topic, platform, language, tone, duration))
        for tone in TONES
        for platform in PLATFORMS
        for duration in DURATIONS
    ]


@pytest.mark.parametrize(
    ("topic", "mid"),
    [
        ("How compound interest builds wealth", "how compound interest builds wealth"),
        ("Cold brew coffee", "cold brew coffee"),
        ("Cold Brew Coffee", "cold brew coffee"),  # title case says nothing: common words go lower
        ("iPhone photography", "iPhone photography"),
        ("AI in healthcare", "AI in healthcare"),
        ("AI In Healthcare", "AI in healthcare"),
        ("New York pizza", "New York pizza"),
        ("Pizza In New York", "pizza in New York"),
        ("Star Wars trivia", "Star Wars trivia"),
        ("Harry Potter Theories", "Harry Potter theories"),
        ("Black Friday Deals", "Black Friday deals"),
        ("LLMs for beginners", "LLMs for beginners"),
        ("Why I quit sugar", "why I quit sugar"),
        ("Sleep", "sleep"),
        ("Bitcoin", "Bitcoin"),
        ("Learning Spanish", "learning Spanish"),
    ],
)
def test_mid_sentence_case_keeps_names_and_acronyms_only(topic: str, mid: str) -> None:
    assert mid_sentence(topic, "en") == mid


@pytest.mark.parametrize(
    ("topic", "mid"),
    [
        ("La inteligencia artificial en la salud", "la inteligencia artificial en la salud"),
        ("El Salvador", "El Salvador"),
        ("Café frío", "café frío"),
        ("Viajar a Nueva York", "viajar a Nueva York"),
    ],
)
def test_mid_sentence_case_in_spanish(topic: str, mid: str) -> None:
    assert mid_sentence(topic, "es") == mid


@pytest.mark.parametrize(
    ("topic", "shape", "mid", "plural", "noun"),
    [
        ("cold brew coffee", "noun", "cold brew coffee", False, "cold brew coffee"),
        ("Morning routines", "noun", "morning routines", True, "morning routines"),
        ("cats and dogs", "noun", "cats and dogs", True, "cats and dogs"),
        ("tips for better sleep", "noun", "tips for better sleep", True, "tips for better sleep"),
        ("physics for kids", "noun", "physics for kids", False, "physics for kids"),
        ("AI in healthcare", "noun", "AI in healthcare", False, "AI in healthcare"),
        ("How compound interest builds wealth", "clause", "how compound interest builds wealth", False, None),
        ("why cats purr", "clause", "why cats purr", False, None),
        ("How to start a podcast", "clause", "how to start a podcast", False, "starting a podcast"),
        ("Start a podcast", "clause", "how to start a podcast", False, "starting a podcast"),
        ("Learn Python", "clause", "how to learn Python", False, "learning Python"),
        ("Is coffee bad for you?", "question", "Is coffee bad for you?", False, None),
        ("how does compound interest work", "question", "How does compound interest work?", False, None),
        ("should you rent or buy", "question", "Should you rent or buy?", False, None),
    ],
)
def test_the_shape_of_english_topics(
    topic: str, shape: str, mid: str, plural: bool, noun: str | None
) -> None:
    form = topic_form(topic, "en")
    assert (form.shape, form.mid, form.plural, form.noun) == (shape, mid, plural, noun)


@pytest.mark.parametrize(
    ("topic", "shape", "mid", "plural", "noun"),
    [
        ("El café frío", "noun", "el café frío", False, "el café frío"),
        ("Los hábitos de sueño", "noun", "los hábitos de sueño", True, "los hábitos de sueño"),
        ("recetas veganas", "noun", "recetas veganas", True, "recetas veganas"),
        ("la crisis climática", "noun", "la crisis climática", False, "la crisis climática"),
        ("Cómo ahorrar dinero", "clause", "cómo ahorrar dinero", False, "ahorrar dinero"),
        ("como funciona el interés compuesto", "clause", "cómo funciona el interés compuesto", False, None),
        ("Por que ronronean los gatos", "clause", "por qué ronronean los gatos", False, None),
        ("¿El café es malo?", "question", "¿El café es malo?", False, None),
        ("el café es malo?", "question", "¿El café es malo?", False, None),
    ],
)
def test_the_shape_of_spanish_topics(
    topic: str, shape: str, mid: str, plural: bool, noun: str | None
) -> None:
    form = topic_form(topic, "es")
    assert (form.shape, form.mid, form.plural, form.noun) == (shape, mid, plural, noun)


@pytest.mark.parametrize(
    ("verb", "ing"),
    [
        ("make", "making"),
        ("run", "running"),
        ("see", "seeing"),
        ("lie", "lying"),
        ("visit", "visiting"),
        ("quit", "quitting"),
        ("fix", "fixing"),
        ("learn", "learning"),
    ],
)
def test_gerund(verb: str, ing: str) -> None:
    assert gerund(verb) == ing


def _sentences(draft: Draft) -> list[str]:
    return split_sentences(draft.content)


def test_a_clause_topic_is_never_forced_into_a_noun_slot() -> None:
    topic = "How compound interest builds wealth"
    all_drafts = drafts(topic)
    for draft in all_drafts:
        # The titles: "4 How Compound Interest Builds Wealth Tips", "What How … Should Mean".
        assert not re.search(r"\d+ How\b|What How\b|How Compound Interest Builds Wealth Tips", draft.title)
        assert "How Compound Interest Builds Wealth" in draft.title, draft.title
        assert "getting how compound interest" not in draft.content.lower()
        # Mid-sentence, the clause is lower case; at a sentence start it is capitalised.
        for sentence in _sentences(draft):
            at = sentence.find("ow compound interest builds wealth")
            if at > 1:
                assert sentence[at - 1] == "h", sentence
    hooks = {split_sentences(d.hook)[0] for d in all_drafts}
    assert any("how compound interest builds wealth" in h for h in hooks)
    # The body never pastes the clause into a noun's place: it says "it" instead.
    body = " ".join(p for d in all_drafts for p in d.points)
    assert "how compound interest builds wealth" not in body


def test_a_question_topic_is_asked_as_a_question() -> None:
    for draft in drafts("Is coffee bad for you?"):
        assert draft.title.startswith("Is Coffee Bad for You? "), draft.title
        assert draft.hook.startswith("Is coffee bad for you? "), draft.hook
        assert draft.content.count("Is coffee bad for you?") == 1  # asked once, then "it"
        assert "about is coffee" not in draft.content.lower()


def test_an_instruction_becomes_a_how_to_and_a_gerund() -> None:
    all_drafts = drafts("Start a podcast")
    for draft in all_drafts:
        assert "How to Start a Podcast" in draft.title, draft.title
        assert "start a podcast wrong" not in draft.content.lower()
    assert any("starting a podcast" in d.content for d in all_drafts)


@pytest.mark.parametrize(
    ("topic", "shown", "singular", "plural"),
    [
        ("Morning routines", "Morning routines", "is", "are"),
        ("cold brew coffee", "Cold brew coffee", "is", "are"),
        ("iPhone photography", "iPhone photography", "is", "are"),
    ],
)
def test_verbs_agree_with_the_topic(topic: str, shown: str, singular: str, plural: str) -> None:
    expected, wrong = (plural, singular) if topic_form(topic, "en").plural else (singular, plural)
    contents = [d.content for d in drafts(topic)]

    def opens(verb: str) -> re.Pattern[str]:  # the topic as the subject of a sentence
        return re.compile(rf"(^|[.!?] ){re.escape(shown)} {verb} ")

    assert any(opens(expected).search(c) for c in contents)  # the agreeing hooks were used
    assert not any(opens(wrong).search(c) for c in contents)
    titles = {d.title for d in drafts(topic)}
    matters = "Matter" if expected == "are" else "Matters"
    assert any(t.endswith(f" {matters}") for t in titles if t.startswith("Why "))
    if expected == "are":  # a plural topic is "them" once named, never "it"
        assert any(" judge them" in c for c in contents)
        assert not any(" judge it" in c for c in contents)


def test_titles_keep_articles_and_small_words_lower_case_inside() -> None:
    for draft in drafts("The French Revolution"):
        words = draft.title.split()
        inside = [
            w
            for before, w in itertools.pairwise(words)
            if w.lower() in ("the", "a", "an", "of", "for", "to") and not before.endswith((":", "?"))
        ]
        assert all(w.islower() for w in inside), draft.title
        assert "the French" in draft.content or draft.content.startswith("The French")


@pytest.mark.parametrize(
    "topic",
    [
        "AI in healthcare",
        "iPhone photography",
        "New York pizza",
        "cold brew coffee",
        "Cold Brew Coffee",
        "LLMs for beginners",
        "why cats purr",
        "Should you rent or buy?",
        "electric cars",
        "how to learn Spanish fast",
    ],
)
def test_awkward_english_topics_read_as_sentences(topic: str) -> None:
    form = topic_form(topic, "en")
    for draft in drafts(topic):
        for sentence in _sentences(draft):
            opening = sentence[0]
            assert opening.isupper() or opening.isdigit() or sentence.startswith("iPhone"), sentence
            assert "{" not in sentence and "\ue000" not in sentence
        # The topic as typed only where it reads that way: names and acronyms keep their case.
        if form.mid != form.text and form.shape != "question":
            middles = [s[1:] for s in _sentences(draft)]
            assert not any(form.text in s for s in middles), (topic, draft.content)
        assert "  " not in draft.title
        assert draft.title[0].isupper() or draft.title[0].isdigit() or draft.title.startswith("iPhone")


@pytest.mark.parametrize(
    "topic",
    [
        "El café frío",
        "Los hábitos de sueño",
        "La inteligencia artificial en la salud",
        "Cómo ahorrar dinero",
        "por qué ronronean los gatos",
        "¿El café es malo?",
        "recetas veganas",
    ],
)
def test_awkward_spanish_topics_read_as_sentences(topic: str) -> None:
    all_drafts = drafts(topic, "es")
    for draft in all_drafts:
        text = f"{draft.title}. {draft.content}"
        assert not re.search(r"\b(de|a) el\b", text), text  # "del", "al"
        assert "{" not in text and "\ue000" not in text
        for sentence in _sentences(draft):
            assert sentence[0].isupper() or sentence[0] in "¿¡\"'" or sentence[0].isdigit(), sentence
    if topic == "El café frío":
        assert any("del café frío" in d.content for d in all_drafts)
    if topic == "Los hábitos de sueño":
        contents = [d.content for d in all_drafts]
        assert any("Los hábitos de sueño no son lo que crees." in c for c in contents)
        assert not any("hábitos de sueño no es " in c for c in contents)
    if topic == "Cómo ahorrar dinero":
        assert all("cómo ahorrar dinero" in d.title.lower() for d in all_drafts)
        assert any("¿Alguna vez te has preguntado cómo ahorrar dinero?" in d.content for d in all_drafts)
    if topic == "¿El café es malo?":
        assert all(d.title.startswith("¿El café es malo? ") for d in all_drafts)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("topic", ["???", "¿?", "C++", "AT&T", "123", "How", "Why?", "how to", "x" * 200])
def test_odd_topics_still_give_a_script(topic: str, language: str) -> None:
    for draft in drafts(topic, language)[::7]:
        assert draft.hook and draft.points and draft.title
        assert "\ue000" not in draft.content and "{" not in draft.content
        assert not draft.hook.startswith(("? ", "¿? "))  # an empty question
