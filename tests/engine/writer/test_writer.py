"""The built-in script writer: determinism, length fitting, structure, templates, streaming, scores."""

from __future__ import annotations

import re
import time
from typing import get_args

import pytest

import scriptsensei_cli.engine.writer as writer_pkg
from scriptsensei_cli.contract.scripts import QualityScores, Template, Tone
from scriptsensei_cli.contract.vocabulary import SCRIPT_PLATFORMS as PLATFORMS
from scriptsensei_cli.engine.writer import (
    BUILTIN_TEMPLATES,
    SUPPORTED_LANGUAGES,
    BuiltinWriter,
    Draft,
    Finished,
    ScriptWriter,
    TextDelta,
    WriterError,
    WriterRequest,
    count_words,
    estimate_narration_seconds,
    get_builtin_template,
    placeholders,
    render_template,
    score_script,
    score_text,
    split_sentences,
)
from scriptsensei_cli.engine.writer.phrasebank import phrase_bank

TONES: tuple[str, ...] = get_args(Tone)
DURATIONS = (15, 20, 30, 45, 60, 90, 120, 180, 300, 450, 600)
TOPICS = {"en": ("AI in healthcare", "morning routines"), "es": ("la inteligencia artificial en la salud",)}
HASHTAG = re.compile(r"#[^\W_]\w*")


@pytest.fixture(scope="module")
def writer() -> BuiltinWriter:
    return BuiltinWriter()


def request(
    topic: str = "AI in healthcare",
    platform: str = "youtube",
    language: str = "en",
    tone: str = "educational",
    duration: int = 60,
    **kwargs: object,
) -> WriterRequest:
    return WriterRequest(topic, platform, language, tone, duration, **kwargs)  # type: ignore[arg-type]


def test_public_names_match_all() -> None:
    exported = {name for name in dir(writer_pkg) if not name.startswith("_")}
    modules = {
        "base",
        "builtin",
        "casing",
        "composer",
        "lexicon",
        "phrasebank",
        "picker",
        "quality",
        "specificity",
        "templates",
        "topic",
    }
    assert set(writer_pkg.__all__) == exported - modules


def test_builtin_writer_satisfies_the_protocol(writer: BuiltinWriter) -> None:
    assert isinstance(writer, ScriptWriter)
    assert writer.name == "builtin"


def test_same_request_gives_the_same_draft(writer: BuiltinWriter) -> None:
    first = writer.write(request(tone="casual", platform="tiktok", duration=45))
    again = BuiltinWriter().write(request(tone="casual", platform="tiktok", duration=45))
    assert first == again
    other = writer.write(request(topic="morning routines", tone="casual", platform="tiktok", duration=45))
    assert other.content != first.content


def test_draft_structure(writer: BuiltinWriter) -> None:
    draft = writer.write(request())
    assert draft.provider == "builtin" and draft.model is None
    assert draft.content == "\n\n".join([draft.hook, *draft.points, draft.call_to_action])
    assert len(draft.points) >= 2
    assert "AI in healthcare" in split_sentences(draft.hook)[0]
    assert "AI in Healthcare" in draft.title
    # Narrated text: no Markdown, no placeholders left, no stray whitespace.
    assert not re.search(r"[*_#`\[\]{}<>]|^\s*[-+] ", draft.content, re.MULTILINE)
    assert "\ue000" not in draft.content
    assert draft.content == draft.content.strip()
    assert "\n\n\n" not in draft.content
    for sentence in split_sentences(draft.content):
        assert sentence[0].isupper() or sentence[0] in '¿¡"', sentence


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_length_fits_duration_across_tones(writer: BuiltinWriter, platform: str, language: str) -> None:
    spec = PLATFORMS[platform]
    for topic in TOPICS[language]:
        for tone in TONES:
            for duration in (d for d in DURATIONS if d <= spec.max_duration):
                draft = writer.write(request(topic, platform, language, tone, duration))
                seconds = estimate_narration_seconds(draft.content, language)
                assert abs(seconds - duration) <= 0.15 * duration, (platform, tone, duration, seconds)


def test_points_scale_with_duration(writer: BuiltinWriter) -> None:
    words = [count_words(writer.write(request(duration=d)).content) for d in (30, 120, 600)]
    points = [len(writer.write(request(duration=d)).points) for d in (30, 120, 600)]
    assert words == sorted(words) and words[0] * 10 < words[2]
    assert points == sorted(points) and points[0] < points[2]


def test_long_form_explains_more_than_short_form(writer: BuiltinWriter) -> None:
    def average_sentence(platform: str) -> float:
        draft = writer.write(request(platform=platform, duration=120, tone="casual"))
        sentences = [s for p in draft.points for s in split_sentences(p)]
        return sum(count_words(s) for s in sentences) / len(sentences)

    assert average_sentence("tiktok") < average_sentence("youtube")


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("tone", TONES)
def test_long_scripts_never_repeat_a_sentence(writer: BuiltinWriter, tone: str, language: str) -> None:
    for duration in (600, 1800):
        draft = writer.write(request(TOPICS[language][0], "youtube", language, tone, duration))
        sentences = [s.lower() for s in split_sentences(draft.content)]
        repeated = {s for s in sentences if sentences.count(s) > 1}
        assert not repeated
        assert len(draft.points) >= 15


def test_tone_changes_the_phrasing(writer: BuiltinWriter) -> None:
    hooks = {tone: writer.write(request(platform="tiktok", tone=tone)).hook for tone in TONES}
    assert len(set(hooks.values())) == len(TONES)
    calls = {writer.write(request(platform="tiktok", tone=tone)).call_to_action for tone in TONES}
    assert len(calls) > 1


@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_hashtags(writer: BuiltinWriter, platform: str) -> None:
    for language, topics in TOPICS.items():
        for tone in TONES:
            draft = writer.write(request(topics[0], platform, language, tone, 30))
            assert len(draft.hashtags) == PLATFORMS[platform].hashtag_count
            assert all(HASHTAG.fullmatch(tag) for tag in draft.hashtags), draft.hashtags
            assert len({t.lower() for t in draft.hashtags}) == len(draft.hashtags)
            assert "#in" not in draft.hashtags and "#en" not in draft.hashtags  # no stopwords


def test_hashtags_come_from_the_topic_and_the_platform(writer: BuiltinWriter) -> None:
    assert writer.write(request(platform="youtube")).hashtags == ["#AIHealthcare", "#ai", "#healthcare"]
    assert "#shorts" in writer.write(request(platform="youtube_shorts")).hashtags
    tiktok = writer.write(request(platform="tiktok", tone="casual")).hashtags
    assert tiktok[0] == "#AIHealthcare" and "#fyp" in tiktok
    assert "#reels" in writer.write(request(platform="instagram_reels")).hashtags


def test_english_variants_and_spanish_are_supported(writer: BuiltinWriter) -> None:
    assert writer.write(request(language="en-US")).content
    spanish = writer.write(request(TOPICS["es"][0], "tiktok", "es", "casual", 30))
    assert "la inteligencia artificial en la salud" in spanish.content
    assert {"que", "con", "de"} & set(spanish.content.lower().split())


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_phrase_banks_cover_every_tone_and_platform(language: str) -> None:
    bank = phrase_bank(language)
    by_tone = [
        bank.hooks,
        bank.clause_hooks,
        bank.question_hooks,
        bank.follow_ups,
        bank.tone_frames,
        bank.asides,
        bank.questions,
        bank.titles,
        bank.clause_titles,
        bank.question_titles,
        bank.tone_tags,
    ]
    assert all(set(phrases) == set(TONES) for phrases in by_tone)
    assert set(bank.actions) == set(PLATFORMS)
    assert set(bank.platform_tags) <= set(PLATFORMS)


@pytest.mark.parametrize("language", ["ja", "fr", "pt-BR"])
def test_other_languages_need_an_llm_provider(writer: BuiltinWriter, language: str) -> None:
    with pytest.raises(WriterError) as caught:
        writer.write(request(language=language))
    assert caught.value.field == "language"
    assert f"'{language}'" in str(caught.value) and "LLM provider" in str(caught.value)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"topic": "  "}, "topic"),
        ({"platform": "myspace"}, "platform"),
        ({"tone": "angry"}, "tone"),
        ({"duration": 0}, "duration"),
    ],
)
def test_invalid_requests_name_the_field(
    writer: BuiltinWriter, change: dict[str, object], field: str
) -> None:
    with pytest.raises(WriterError) as caught:
        writer.write(request(**change))  # type: ignore[arg-type]
    assert caught.value.field == field


def test_stream_concatenates_to_the_content(writer: BuiltinWriter) -> None:
    req = request(duration=90)
    events = list(writer.stream(req))
    deltas = [e for e in events[:-1] if isinstance(e, TextDelta)]
    assert len(deltas) == len(events) - 1 > 10
    assert all(d.text for d in deltas)
    assert isinstance(events[-1], Finished)
    assert "".join(d.text for d in deltas) == events[-1].draft.content
    assert events[-1].draft == writer.write(req)


def test_stream_reports_errors_before_any_text(writer: BuiltinWriter) -> None:
    with pytest.raises(WriterError):
        next(iter(writer.stream(request(language="ja"))))


def test_builtin_is_fast(writer: BuiltinWriter) -> None:
    requests = [request(f"topic {i}", "tiktok", "en", TONES[i % 6], 60) for i in range(30)]
    started = time.perf_counter()
    for req in requests:
        writer.write(req)
    # The budget is 5 ms a script; the bound leaves room for slow CI machines.
    assert (time.perf_counter() - started) / len(requests) < 0.025


# --- templates -----------------------------------------------------------------------------------


def test_placeholders_in_order_of_first_appearance() -> None:
    assert placeholders("{{ b }} {{a}} {{b}} {{topic}} {{ c_2 }} {not} {{ bad name }}") == [
        "b",
        "a",
        "topic",
        "c_2",
    ]


def test_builtin_templates_are_complete() -> None:
    assert len(BUILTIN_TEMPLATES) >= 5
    ids = [t.id for t in BUILTIN_TEMPLATES]
    assert len(set(ids)) == len(ids)
    assert {
        "tpl_product_launch",
        "tpl_how_to",
        "tpl_three_things",
        "tpl_myth_vs_fact",
        "tpl_before_after",
    } <= set(ids)
    for template in BUILTIN_TEMPLATES:
        assert template.builtin
        assert template.variables == [p for p in placeholders(template.content) if p != "topic"]
        assert "{{topic}}" in template.content
        assert get_builtin_template(template.id) is template
    launch = get_builtin_template("tpl_product_launch")
    assert launch is not None and {"product_name", "price"} <= set(launch.variables)


def test_render_template_fills_placeholders_with_spaces_inside_braces() -> None:
    template = Template(
        id="tpl_x",
        name="x",
        description="x",
        category="x",
        content="{{ topic }} by {{name}}: {{ name }}!",
        variables=["name"],
    )
    assert render_template(template, "Cooking", {"name": " Ana "}) == "Cooking by Ana: Ana!"
    # A value is inserted as written, never rendered again.
    assert render_template(template, "Cooking", {"name": "{{topic}}"}) == "Cooking by {{topic}}: {{topic}}!"


def test_missing_template_variables_are_listed() -> None:
    launch = get_builtin_template("tpl_product_launch")
    assert launch is not None
    with pytest.raises(WriterError) as caught:
        render_template(launch, "meal planning", {"price": "  "})
    assert caught.value.field == "variables"
    assert str(caught.value) == "template 'tpl_product_launch' needs variables: product_name, price"


def test_writer_uses_the_template(writer: BuiltinWriter) -> None:
    launch = get_builtin_template("tpl_product_launch")
    assert launch is not None
    variables = {"product_name": "PlanPal", "price": "$9 a month"}
    draft = writer.write(
        request("meal planning", "tiktok", "en", "casual", 30, template=launch, variables=variables)
    )
    assert draft.title == "Introducing PlanPal"
    assert draft.hook == "Still doing meal planning the hard way? Meet PlanPal."
    assert draft.call_to_action.startswith("Tap the link to try PlanPal")
    assert len(draft.points) == 3 and "$9 a month" in draft.points[-1]
    assert draft.content == "\n\n".join([draft.hook, *draft.points, draft.call_to_action])
    assert "{{" not in draft.content and "Title:" not in draft.content
    assert len(draft.hashtags) == PLATFORMS["tiktok"].hashtag_count
    with pytest.raises(WriterError) as caught:
        writer.write(request("meal planning", "tiktok", template=launch))
    assert caught.value.field == "variables"


def test_every_builtin_template_renders_through_the_writer(writer: BuiltinWriter) -> None:
    for template in BUILTIN_TEMPLATES:
        variables = {name: f"value of {name}" for name in template.variables}
        draft = writer.write(request("sourdough baking", template=template, variables=variables))
        assert draft.hook and draft.call_to_action and draft.points
        assert "sourdough baking" in draft.content
        assert all(f"value of {name}" in draft.content for name in template.variables)


def test_template_without_title_line_gets_a_topic_title(writer: BuiltinWriter) -> None:
    template = Template(
        id="tpl_user",
        name="mine",
        description="",
        category="custom",
        builtin=False,
        variables=[],
        content="Why {{topic}}? Because it works. Here is how. Follow for more.",
    )
    draft = writer.write(request("sourdough baking", template=template))
    assert "Sourdough Baking" in draft.title
    assert draft.hook == "Why sourdough baking?"
    assert draft.call_to_action == "Follow for more."
    assert draft.points == ["Because it works. Here is how."]


# --- quality -------------------------------------------------------------------------------------


def test_count_words_and_narration_time() -> None:
    assert count_words("Don't stop: AI in health-care, 2025!") == 7
    assert estimate_narration_seconds(" ".join(["word"] * 150), "en") == pytest.approx(60.0)
    assert estimate_narration_seconds(" ".join(["word"] * 150), "en-GB") == pytest.approx(60.0)
    assert estimate_narration_seconds("医" * 45, "zh") == pytest.approx(10.0)
    assert count_words("人工知能 is here") == 6
    assert estimate_narration_seconds("", "en") == 0


def test_generated_scripts_have_the_form_and_not_the_substance(writer: BuiltinWriter) -> None:
    """The built-in writer's drafts are well-formed templates: strong on form, weak on substance, and
    the overall score says so (tests/engine/writer/test_scores.py compares them with real scripts)."""
    for platform in PLATFORMS:
        for tone in TONES:
            req = request(platform=platform, tone=tone, duration=60)
            scores = score_script(writer.write(req), req)
            assert isinstance(scores, QualityScores)
            assert scores.seo >= 80 and scores.engagement >= 70 and scores.readability >= 70
            assert scores.hook >= 60, (platform, tone, scores)
            assert scores.specificity is not None and scores.specificity <= 25, (platform, tone, scores)
            assert 55 <= scores.overall <= 72, (platform, tone, scores)
            assert any("concrete details" in s for s in scores.suggestions), scores.suggestions


def test_a_weak_hook_scores_lower_and_says_why(writer: BuiltinWriter) -> None:
    req = request()
    draft = writer.write(req)
    weak = "In this video I will talk about various aspects of the subject that matter for many reasons."
    bad = Draft(**{**draft.__dict__, "content": draft.content.replace(draft.hook, weak), "hook": weak})
    good_scores, bad_scores = score_script(draft, req), score_script(bad, req)
    assert bad_scores.hook < good_scores.hook - 30
    assert bad_scores.overall < good_scores.overall
    assert "Open with a question or a number: the hook has neither." in bad_scores.suggestions


def test_duration_and_hashtags_count_in_the_scores(writer: BuiltinWriter) -> None:
    req = request(duration=60)
    draft = writer.write(req)
    on_time = score_script(draft, req)
    too_long = score_script(draft, request(duration=600))
    assert too_long.overall < on_time.overall
    assert any("Add about" in s for s in too_long.suggestions)
    no_tags = score_text(draft.title, draft.content, [], req)
    assert no_tags.seo < on_time.seo


@pytest.mark.parametrize(
    "content",
    [
        "",
        "   ",
        "word",
        "no punctuation at all just words",
        "???",
        "人工知能は医療を変えています。",
        "a\n\n\n\nb",
    ],
)
def test_scoring_arbitrary_text_stays_in_range(content: str) -> None:
    for language in ("en", "es", "ja"):
        scores = score_text("", content, ["not a tag"], request(language=language))
        values = (scores.hook, scores.engagement, scores.seo, scores.readability, scores.specificity)
        for value in (*values, scores.overall):
            assert value is not None and 0 <= value <= 100
        assert scores == score_text("", content, ["not a tag"], request(language=language))
