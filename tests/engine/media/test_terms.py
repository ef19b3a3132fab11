"""Scene search terms: real script sentences in, the nouns a picture search needs out."""

from __future__ import annotations

import pytest

from scriptsensei_cli.engine.media.lemmas import lemma, lemmas, stop_words
from scriptsensei_cli.engine.media.terms import scene_terms

SCRIPT = """Every morning I grab a double espresso shot before the commute.
Then I ride my bike to work, even when it rains. A cyclist in the rain needs good gear.
At lunch I walk along the forest trail behind the office.
When I get home, my kitten is sleeping on the sofa.
Coffee, bikes and cats: that's my whole day. Follow for more!"""


def test_lemmas_make_plural_and_case_not_matter() -> None:
    assert lemmas(["Espresso", "shots", "CYCLISTS", "mice", "puppies", "shots"]) == [
        "espresso",
        "shot",
        "cyclist",
        "mouse",
        "puppy",
    ]
    assert lemma("Fahrräder", "de") == "fahrrad"
    assert lemma("bicicletas", "es-MX") == "bicicleta"
    assert lemma("cyclists", "es") == "cyclist", "file names are often English: English is tried next"
    assert lemma("猫", "xx") == "猫", "a language without tables keeps the word"
    assert "the" in stop_words("en-GB") and "la" in stop_words("es") and stop_words("ja") == frozenset()


@pytest.mark.parametrize(
    ("scene", "terms"),
    [
        (
            "Every morning I grab a double espresso shot before the commute.",
            ["espresso shot", "morning", "commute"],
        ),
        ("A cyclist in the rain needs good gear.", ["cyclist", "gear", "rain"]),
        ("At lunch I walk along the forest trail behind the office.", ["forest trail", "lunch", "office"]),
        ("When I get home, my kitten is sleeping on the sofa.", ["home", "kitten", "sofa"]),
    ],
)
def test_scene_terms_are_its_nouns_and_noun_phrases(scene: str, terms: list[str]) -> None:
    assert scene_terms(scene, SCRIPT) == terms


def test_words_particular_to_the_scene_come_first() -> None:
    # "rain" is in two sentences of the script, "cyclist" and "gear" in this one only.
    terms = scene_terms("A cyclist in the rain needs good gear.", SCRIPT)
    assert terms.index("cyclist") < terms.index("rain")
    # Alone, the words are equally rare and keep their order.
    assert scene_terms("A cyclist in the rain.", "") == ["cyclist", "rain"]


def test_verbs_adverbs_and_function_words_are_not_terms() -> None:
    assert scene_terms("Then I ride my bike to work, even when it rains.", SCRIPT) == ["bike", "rain"]
    assert scene_terms("Walking quickly through the woods", "") == ["wood"]
    students = "Students learning at school with their teachers"
    assert scene_terms(students, "") == ["student", "school", "teacher"]


def test_a_modifier_stays_with_its_noun() -> None:
    assert scene_terms("A sleeping kitten on the sofa.", "") == ["sleeping kitten", "sofa"]
    assert scene_terms("She laced up her running shoes.", "") == ["running shoe"]
    assert scene_terms("We loved the painting and the reading.", "") == ["painting", "reading"]


def test_limit_and_never_empty_for_words() -> None:
    taxes = "Quarterly tax filing deadlines are coming up fast."
    assert scene_terms(taxes, SCRIPT) == ["tax filing deadline"]
    assert len(scene_terms("Cats, dogs, birds, fish and horses.", "", limit=2)) == 2
    assert scene_terms("Follow for more!", SCRIPT) == ["follow"], "no noun: its content words stand in"
    assert scene_terms("It is what it is.", SCRIPT) != []
    assert scene_terms("", SCRIPT) == [] and scene_terms("!!! 42", SCRIPT) == []


def test_other_languages_use_their_own_function_words_and_lemmas() -> None:
    spanish = "Un ciclista bajo la lluvia camina por las calles."
    assert scene_terms(spanish, spanish + " El café de la mañana.", "es") == ["ciclista", "lluvia", "calle"]
    german = "Ein Radfahrer fährt im Regen durch die Stadt."
    assert scene_terms(german, german, "de") == ["radfahrer", "regen", "stadt"]
