"""LLM providers end to end: the real engine and CLI, with only the providers' HTTP APIs stood in
for (tests/llm_standin.py), since OpenAI, Anthropic and Gemini cannot be reached from here."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator

import pytest

from scriptsensei_cli.client import ScriptSensei
from scriptsensei_cli.contract import GenerateScriptRequest
from tests.conftest import CLI
from tests.llm_standin import KEYS, StandIn

TOPIC = "sleep habits"


@pytest.fixture
def llm(monkeypatch: pytest.MonkeyPatch) -> Iterator[StandIn]:
    with StandIn() as stand_in:
        yield stand_in


def generate(cli: CLI, env: dict[str, str], *args: str) -> tuple[int, dict[str, object] | None, str]:
    result = cli("script", "generate", TOPIC, "--duration", "30", *args, "--json", env=env)
    body = json.loads(result.stdout) if result.exit_code == 0 else None
    return result.exit_code, body, result.stderr


def test_the_chain_falls_back_in_order_and_records_who_wrote_it(cli: CLI, llm: StandIn) -> None:
    llm.plan("gemini", ["500", "500"])  # a retry, then on to the next provider
    llm.plan("openai", ["401"])
    code, script, stderr = generate(cli, llm.env("gemini", "openai", "anthropic"))
    assert code == 0, stderr
    assert script is not None
    assert (script["provider"], script["model"]) == ("anthropic", "claude-3-5-haiku-latest")
    generation = script["generation"]
    assert (generation["tokens_in"], generation["tokens_out"], generation["cached"]) == (120, 90, False)
    assert generation["cost_usd"] == pytest.approx((120 * 0.8 + 90 * 4.0) / 1e6)
    assert [f.split(":")[0] for f in generation["fallbacks"]] == ["gemini", "openai"]
    assert "server error" in generation["fallbacks"][0]
    assert "SCRIPTSENSEI_OPENAI_API_KEY" in generation["fallbacks"][1]
    assert "fell back: openai: the API key was rejected" in " ".join(stderr.split())
    assert script["sections"]["visual_hints"][0] == "an alarm clock at dawn"
    assert script["content"].startswith("You are not tired") and script["hashtags"][0] == "#sleep"
    assert [len(llm.calls(p)) for p in ("gemini", "openai", "anthropic")] == [2, 1, 1]
    for seen in llm.seen:  # each provider got its own key, in its own header
        header = {"gemini": "x-goog-api-key", "openai": "authorization", "anthropic": "x-api-key"}[
            seen.provider
        ]
        assert KEYS[seen.provider] in {k.lower(): v for k, v in seen.headers.items()}[header]
        assert KEYS[seen.provider] not in seen.path


def test_rate_limits_are_retried_after_retry_after(cli: CLI, llm: StandIn) -> None:
    llm.plan("openai", ["429"])
    code, script, stderr = generate(cli, llm.env("openai"))
    assert code == 0, stderr
    assert script is not None and script["provider"] == "openai" and len(llm.calls("openai")) == 2


def test_when_every_provider_fails_each_reason_is_named(cli: CLI, llm: StandIn) -> None:
    llm.plan("openai", ["402"])
    llm.plan("gemini", ["html"])
    llm.plan("anthropic", ["malformed", "malformed"])
    env = llm.env("openai", "gemini", "anthropic")
    result = cli("script", "generate", TOPIC, "--duration", "30", env=env)
    message = " ".join(result.stderr.split())
    assert result.exit_code == 1, message
    assert "every LLM provider failed" in message
    assert "openai: the account is out of credit" in message
    assert "gemini: answered with a web page, not the API: check SCRIPTSENSEI_GEMINI_BASE_URL" in message
    assert "anthropic: answered with something that is not JSON" in message
    assert "Traceback" not in result.stderr
    llm.plan("openai", ["401"])
    debug = cli("--debug", "script", "generate", TOPIC, "--duration", "30", "--fresh", env=env)
    assert debug.exit_code == 0 and "fell back: openai" in debug.stderr
    for key in KEYS.values():
        assert key not in result.stderr and key not in debug.stderr and key not in debug.stdout


def test_streaming_reaches_the_cli_chunk_by_chunk(engine, register, llm: StandIn, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for name, value in llm.env("openai").items():
        monkeypatch.setenv(name, value)
    llm.chunk_delay = 0.03
    account = register()
    with ScriptSensei(engine.url, token=account.access_token) as client:
        arrivals = []
        for event in client.scripts.generate_stream(GenerateScriptRequest(topic=TOPIC, duration=30)):
            arrivals.append((time.monotonic(), event))
    deltas = [(at, event.text) for at, event in arrivals if event.type == "delta"]
    done = arrivals[-1][1]
    assert done.type == "done" and done.script is not None
    assert len(deltas) > 20 and deltas[-1][0] - deltas[0][0] > 0.5  # spread out as the provider wrote
    assert "".join(text or "" for _, text in deltas) == done.script.content


def test_a_stream_cut_short_restarts_with_the_next_provider(cli: CLI, llm: StandIn) -> None:
    llm.plan("anthropic", ["cut"])
    env = llm.env("anthropic", "gemini")
    result = cli("script", "generate", TOPIC, "--duration", "30", "--stream", "--json", env=env)
    assert result.exit_code == 0, result.stderr
    script = json.loads(result.stdout)
    assert script["provider"] == "gemini"
    assert "starting over: anthropic: the stream ended before the answer did" in " ".join(
        result.stderr.split()
    )
    assert script["generation"]["fallbacks"][0].startswith("anthropic: the stream ended")


@pytest.mark.parametrize("provider", ["openai", "anthropic", "gemini"])
def test_each_wire_format_streams_and_answers_whole(cli: CLI, llm: StandIn, provider: str) -> None:
    env = llm.env(provider)
    for extra in ([], ["--stream"]):
        code, script, stderr = generate(cli, env, "--fresh", *extra)
        assert code == 0, stderr
        assert script is not None and script["provider"] == provider
        assert script["generation"]["tokens_out"] == 90
    streamed = [seen for seen in llm.calls(provider) if seen.body.get("stream") or "stream" in seen.path]
    assert len(streamed) == 1


def test_the_cache_answers_a_repeat_and_fresh_asks_again(cli: CLI, llm: StandIn) -> None:
    env = llm.env("openai")
    first = generate(cli, env)[1]
    second = generate(cli, env)[1]
    assert first is not None and second is not None
    assert len(llm.calls("openai")) == 1 and second["generation"]["cached"] is True
    assert second["content"] == first["content"] and second["generation"]["cost_usd"] is None
    generate(cli, env, "--fresh")
    assert len(llm.calls("openai")) == 2


def test_an_answer_in_the_wrong_language_gets_one_repair(cli: CLI, llm: StandIn) -> None:
    llm.plan("openai", ["wrong_language", "es"])
    code, script, stderr = generate(cli, llm.env("openai"), "--language", "es")
    assert code == 0, stderr
    assert script is not None and script["content"].startswith("No estás cansado")
    repair = llm.calls("openai")[1].body["messages"]
    assert repair[-1]["role"] == "user" and "not Spanish" in repair[-1]["content"]
    assert repair[-2]["role"] == "assistant" and "TITLE: Three habits" in repair[-2]["content"]


def test_unusable_answers_fall_back(cli: CLI, llm: StandIn) -> None:
    llm.plan("openai", ["bad_format", "bad_format"])
    llm.plan("anthropic", ["empty", "empty"])
    code, script, stderr = generate(cli, llm.env("openai", "anthropic", "gemini"))
    assert code == 0, stderr
    assert script is not None and script["provider"] == "gemini"
    reasons = " ".join(script["generation"]["fallbacks"])
    assert "missing TITLE, HOOK, POINT, CTA" in reasons and "empty completion" in reasons


def test_a_slow_provider_times_out_and_the_next_answers(cli: CLI, llm: StandIn) -> None:
    llm.slow_seconds = 2.0
    llm.plan("openai", ["slow", "slow"])
    env = {**llm.env("openai", "anthropic"), "SCRIPTSENSEI_LLM_TIMEOUT": "0.5"}
    code, script, stderr = generate(cli, env)
    assert code == 0, stderr
    assert script is not None and script["provider"] == "anthropic"
    assert "no answer from" in script["generation"]["fallbacks"][0]


def test_provider_choice_and_the_builtin_default(cli: CLI, llm: StandIn) -> None:
    code, script, stderr = generate(cli, {})
    assert code == 0 and script is not None and script["provider"] == "builtin"
    assert " ".join(stderr.split()).count("ss help llm") == 1  # a template draft says so
    missing = cli("script", "generate", TOPIC, "--provider", "anthropic")
    assert missing.exit_code == 2
    assert "set SCRIPTSENSEI_ANTHROPIC_API_KEY" in " ".join(missing.stderr.split())
    env = llm.env("openai", "anthropic")
    code, written, stderr = generate(cli, env, "--provider", "anthropic")
    assert code == 0 and written is not None and written["provider"] == "anthropic"
    assert "help llm" not in stderr and "template" not in stderr
    # The LLM's script is scored by the same scorer, specificity included, and says more.
    assert script["scores"]["specificity"] < written["scores"]["specificity"]  # type: ignore[index]
    code, script, stderr = generate(cli, env, "--provider", "builtin")
    assert code == 0 and script is not None and script["provider"] == "builtin"
    assert " ".join(stderr.split()).count("ss help llm") == 1


def test_translate_through_the_providers(cli: CLI, llm: StandIn) -> None:
    original = json.loads(cli("script", "generate", TOPIC, "--duration", "30", "--json").stdout)
    refused = cli("script", "translate", original["id"], "--to", "es")
    assert refused.exit_code == 2 and "translation needs an LLM provider" in " ".join(refused.stderr.split())
    llm.plan("openai", ["es"])
    result = cli("script", "translate", original["id"], "--to", "es", "--json", env=llm.env("openai"))
    assert result.exit_code == 0, result.stderr
    translated = json.loads(result.stdout)
    assert translated["language"] == "es" and translated["translated_from"] == original["id"]
    assert translated["id"] != original["id"] and translated["content"].startswith("No estás")
    prompt = llm.calls("openai")[0].body["messages"][-1]["content"]
    assert "into Spanish" in prompt and original["content"][:40] in prompt


def test_providers_lists_and_checks_without_showing_keys(cli: CLI, llm: StandIn) -> None:
    env = {**llm.env("openai", "anthropic"), "SCRIPTSENSEI_GEMINI_MODEL": "gemini-2.0-flash"}
    llm.plan("anthropic", ["401"])
    result = cli("script", "providers", "--check", "--json", env=env)
    assert result.exit_code == 0, result.stderr
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert rows["openai"]["reachable"] is True and rows["openai"]["key_set"] is True
    assert (
        rows["anthropic"]["reachable"] is False
        and "SCRIPTSENSEI_ANTHROPIC_API_KEY" in rows["anthropic"]["problem"]
    )
    assert (
        rows["gemini"]["usable"] is False and "set SCRIPTSENSEI_GEMINI_API_KEY" in rows["gemini"]["problem"]
    )
    assert rows["builtin"]["usable"] is True
    for key in KEYS.values():
        assert key not in result.stdout


def test_bulk_rows_translate_their_script_first(cli: CLI, llm: StandIn, tmp_path) -> None:  # type: ignore[no-untyped-def]
    sheet = tmp_path / "videos.csv"
    sheet.write_text(
        "title,script,language,script_language,quality\n"
        "Dormir,You are not tired because of your bedtime. Get daylight every morning.,es,en,draft\n",
        encoding="utf-8",
    )
    refused = cli("bulk", str(sheet), "--out", str(tmp_path / "none"))
    assert refused.exit_code == 2
    assert "needs an LLM provider on the server" in " ".join(re.sub("[│┃]", " ", refused.stderr).split())

    llm.plan("openai", ["es"])
    result = cli("bulk", str(sheet), "--out", str(tmp_path / "out"), env=llm.env("openai"))
    assert result.exit_code == 0, result.stderr
    sidecar = json.loads((tmp_path / "out" / "Dormir.json").read_text(encoding="utf-8"))
    assert sidecar["language"] == "es" and sidecar["voice"].startswith("espeak-es")
    prompt = llm.calls("openai")[0].body["messages"][-1]["content"]
    assert "into Spanish" in prompt and "You are not tired because of your bedtime." in prompt
    assert "No estás cansado" in (tmp_path / "out" / "Dormir.srt").read_text(encoding="utf-8")


def test_the_llm_help_topic_documents_the_settings(cli: CLI) -> None:
    result = cli("help", "llm")
    assert result.exit_code == 0 and "SCRIPTSENSEI_LLM_PROVIDERS" in result.stdout
    assert "llm" in cli("help").stdout
