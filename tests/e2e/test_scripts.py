"""`ss script …` end to end against the real engine on loopback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import CLI, said


def generate(cli: CLI, *args: str) -> dict:  # type: ignore[type-arg]
    result = cli(
        "script", "generate", "AI in healthcare", "--platform", "youtube", "--duration", "60", "--json", *args
    )
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_generate_returns_a_structured_script(server_cli: CLI) -> None:
    script = generate(server_cli)
    assert script["id"].startswith("scr_")
    assert script["platform"] == "youtube" and script["duration"] == 60
    assert "healthcare" in script["content"].lower()
    assert (
        script["sections"]["hook"] and script["sections"]["points"] and script["sections"]["call_to_action"]
    )
    assert all(tag.startswith("#") for tag in script["hashtags"])
    assert 45 <= script["estimated_seconds"] <= 75
    assert script["word_count"] == len(script["content"].split())
    for key in ("hook", "engagement", "seo", "readability", "specificity", "overall"):
        assert 0 <= script["scores"][key] <= 100
    assert script["provider"] == "builtin"


NOTICE = "An LLM provider writes real content; see `ss help llm`."


def test_a_builtin_draft_says_once_on_stderr_that_it_is_a_template(server_cli: CLI) -> None:
    result = server_cli("script", "generate", "cold brew coffee", "--json")
    assert result.exit_code == 0, result.stderr
    script = json.loads(result.stdout)  # stdout is the data alone
    assert script["provider"] == "builtin" and "ss help llm" not in result.stdout
    assert said(result.stderr).count(NOTICE) == 1 and "template draft" in said(result.stderr)
    assert script["scores"]["specificity"] <= 25  # and its scores say the same
    assert any("concrete details" in s for s in script["scores"]["suggestions"])

    streamed = server_cli("script", "generate", "cold brew coffee", "--stream", "-o", "table")
    assert streamed.exit_code == 0 and said(streamed.stderr).count(NOTICE) == 1
    assert "ss help llm" not in streamed.stdout

    # A template's text is the template's, not the writer's: no notice.
    args = ["--template", "tpl_how_to", "--var", "step_1=a", "--var", "step_2=b", "--var", "step_3=c"]
    filled = server_cli("script", "generate", "cold brew coffee", *args, "--json")
    assert filled.exit_code == 0 and json.loads(filled.stdout)["template_id"] == "tpl_how_to"
    assert "help llm" not in filled.stderr


def test_scores_saved_before_specificity_existed_are_computed_on_read(engine, server_cli: CLI) -> None:  # type: ignore[no-untyped-def]
    from scriptsensei_cli.engine.store.db import Database
    from scriptsensei_cli.engine.store.models import Script

    script = generate(server_cli)
    db = Database(engine.config.resolved_database_url)
    with db.session() as session:
        row = session.get(Script, script["id"])
        assert row is not None
        row.scores = {k: v for k, v in row.scores.items() if k != "specificity"}  # an old row
    db.dispose()
    fetched = json.loads(server_cli("script", "get", script["id"], "--json").stdout)
    assert fetched["scores"] == script["scores"]


def test_list_get_update_delete_round_trip(server_cli: CLI) -> None:
    script = generate(server_cli)
    listed = server_cli("script", "list", "-o", "json")
    assert [row["id"] for row in json.loads(listed.stdout)] == [script["id"]]

    tsv = server_cli("script", "list")  # piped: TSV with a header row, no decoration
    header, row = tsv.stdout.splitlines()
    assert header.split("\t")[0] == "id" and row.split("\t")[0] == script["id"]

    updated = server_cli(
        "script",
        "update",
        script["id"],
        "--title",
        "Five AI wins",
        "--content-file",
        "-",
        "--json",
        input="Did you know hospitals use AI?\n\nIt reads scans.\n\nFollow for more.",
    )
    assert updated.exit_code == 0, updated.stderr
    body = json.loads(updated.stdout)
    assert body["title"] == "Five AI wins" and body["word_count"] == 12
    assert body["sections"]["call_to_action"] == "Follow for more."
    fetched = json.loads(server_cli("script", "get", script["id"], "--json").stdout)
    assert fetched["content"].startswith("Did you know") and fetched["updated_at"] >= fetched["created_at"]

    assert server_cli("script", "delete", script["id"]).exit_code == 2  # no --yes, no terminal
    assert server_cli("script", "delete", script["id"], "--yes").exit_code == 0
    missing = server_cli("script", "get", script["id"])
    assert missing.exit_code == 5 and script["id"] in missing.stderr


def test_list_filters_and_csv(server_cli: CLI) -> None:
    generate(server_cli)
    server_cli("script", "generate", "Morning routines", "--platform", "tiktok", "--duration", "30", "--json")
    rows = server_cli("script", "list", "--platform", "tiktok", "-o", "csv").stdout.splitlines()
    assert rows[0].startswith("id,title,platform") and len(rows) == 2 and ",tiktok," in rows[1]


def test_stream_prints_text_then_saves(server_cli: CLI) -> None:
    result = server_cli("script", "generate", "Sleep science", "--stream", "-o", "table")
    assert result.exit_code == 0, result.stderr
    assert "sleep" in result.stdout.lower() and "scores: overall" in result.stderr
    saved = json.loads(server_cli("script", "list", "--json").stdout)
    assert len(saved) == 1 and saved[0]["content"].strip() in result.stdout


def test_templates_list_and_apply(server_cli: CLI) -> None:
    templates = json.loads(server_cli("script", "templates", "--json").stdout)
    launch = next(t for t in templates if "product_name" in t["variables"])
    missing = server_cli("script", "generate", "Summer sale", "--template", launch["id"], "--json")
    assert missing.exit_code == 2 and "product_name" in missing.stderr
    args = [f"--var={name}=Glow Serum" for name in launch["variables"]]
    script = generate(server_cli, "--template", launch["id"], *args)
    assert "Glow Serum" in script["content"] and "{{" not in script["content"]


def test_bad_input_exits_2_naming_the_field(server_cli: CLI) -> None:
    short = server_cli("script", "generate", "AI")
    assert short.exit_code == 2 and "topic" in short.stderr
    long = server_cli("script", "generate", "AI in healthcare", "--platform", "tiktok", "--duration", "600")
    assert long.exit_code == 2 and "duration" in long.stderr and "180" in long.stderr
    platform = server_cli("script", "generate", "AI in healthcare", "--platform", "myspace")
    assert platform.exit_code == 2 and "platform" in platform.stderr
    var = server_cli("script", "generate", "AI in healthcare", "--var", "novalue")
    assert var.exit_code == 2 and "--var" in var.stderr
    assert "Traceback" not in short.stderr + long.stderr + platform.stderr


def test_json_output_pipes_into_json_tool(engine, register) -> None:  # type: ignore[no-untyped-def]
    account = register()
    env = {"SCRIPTSENSEI_API_URL": engine.url, "SCRIPTSENSEI_TOKEN": account.access_token}
    import os

    ss = subprocess.run(
        [sys.executable, "-m", "scriptsensei_cli", "script", "generate", "AI in healthcare", "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=True,
    )
    tool = subprocess.run(
        [sys.executable, "-m", "json.tool"], input=ss.stdout, capture_output=True, text=True
    )
    assert tool.returncode == 0 and json.loads(tool.stdout)["topic"] == "AI in healthcare"


def test_unreachable_server_names_the_url(cli: CLI) -> None:
    result = cli(
        "script",
        "list",
        env={
            "SCRIPTSENSEI_API_URL": "http://127.0.0.1:9",
            "SCRIPTSENSEI_TOKEN": "x",
            "SCRIPTSENSEI_MAX_RETRIES": "0",
        },
    )
    assert result.exit_code == 1
    assert "http://127.0.0.1:9" in result.stderr and "hint:" in result.stderr


def test_missing_or_rejected_auth_exits_4(engine, cli: CLI) -> None:  # type: ignore[no-untyped-def]
    none = cli("script", "list", env={"SCRIPTSENSEI_API_URL": engine.url})
    assert none.exit_code == 4 and "ss auth login" in none.stderr
    bad = cli("script", "list", env={"SCRIPTSENSEI_API_URL": engine.url, "SCRIPTSENSEI_TOKEN": "sst_nope"})
    assert bad.exit_code == 4 and "ss auth login" in bad.stderr


def test_blank_content_file_is_a_usage_error_not_a_server_error(server_cli: CLI, tmp_path: Path) -> None:
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\n \t\n", encoding="utf-8")
    script = generate(server_cli)
    result = server_cli("script", "update", script["id"], "--content-file", str(blank))
    assert result.exit_code == 2, result.stderr
    message = said(result.stderr)
    assert "blank" in message and "--content-file" in message and "500" not in message
    fetched = json.loads(server_cli("script", "get", script["id"], "--json").stdout)
    assert fetched["content"] == script["content"]
