"""`ss help [TOPIC]`: the reference pages that do not belong to one command."""

from __future__ import annotations

from typing import Annotated

import typer

from ..output import console
from ..output.errors import CLIError
from ..output.exit_codes import DESCRIPTIONS, ExitCode


def _exit_codes() -> str:
    lines = ["Exit codes of every ss command:", ""]
    lines += [f"  {int(code):>3}  {text}" for code, text in DESCRIPTIONS.items()]
    return "\n".join(lines)


def _config() -> str:
    from ..settings import SPECS, config_path

    lines = [
        "Settings, highest precedence first:",
        "  1. flags (--api-url, --profile)",
        "  2. environment variables SCRIPTSENSEI_<KEY>",
        f"  3. the active profile in {config_path()}",
        "     ([profiles.NAME] tables; choose one with --profile or SCRIPTSENSEI_PROFILE)",
        "  4. defaults",
        "",
        "Keys:",
    ]
    lines += [f"  {spec.key:<16} {spec.env_var:<32} {spec.help}" for spec in SPECS.values()]
    lines += ["", "See where each value comes from: ss config list --show-source"]
    return "\n".join(lines)


def _auth() -> str:
    return "\n".join(
        [
            "Authentication:",
            "",
            "  Embedded engine (no api_url): nothing to do; each run gets its own loopback credentials.",
            "  A server: `ss auth login` (email and password prompted on a terminal), or for CI",
            "  `ss auth login --with-token < token.txt`, or set SCRIPTSENSEI_TOKEN (it always wins).",
            "",
            "  Tokens are stored in the OS keyring; where there is none (headless Linux), in a file",
            "  readable only by you, with a warning the first time. Tokens are never accepted as flag",
            "  values and never printed unless you ask: `ss auth token`.",
            "  Personal API tokens for CI: `ss auth tokens create NAME`.",
            "",
            "  Accounts on a server (administrators; others get exit 4):",
            "  `ss users add EMAIL [--admin]` prints a generated first password once, on stdout; hand",
            "  it over privately. `ss users reset-password USER` does the same and ends the account's",
            "  logins. `ss users disable USER` revokes its logins and API tokens on every API node at",
            "  once; `enable` lets it log in again. `promote`/`demote` set the admin flag. The last",
            "  administrator cannot be disabled or demoted (exit 1).",
        ]
    )


def _environment() -> str:
    return "\n".join(
        [
            "Environment variables:",
            "",
            "  SCRIPTSENSEI_TOKEN        bearer token for the configured server (wins over stored ones)",
            "  SCRIPTSENSEI_PROFILE      config profile",
            "  SCRIPTSENSEI_CONFIG_DIR   where config.toml and the fallback credentials file live",
            "  SCRIPTSENSEI_<KEY>        any setting (see `ss help config`)",
            "  SCRIPTSENSEI_KEYRING=off  never use the OS keyring",
            "  SCRIPTSENSEI_DATABASE_URL the engine's database (SQLite in the data dir by default)",
            "",
            "  Read by the engine (embedded or `ss server start`):",
            "  SCRIPTSENSEI_MAX_UPLOAD_MB       media upload limit, default 500 (voice samples: 50)",
            "  SCRIPTSENSEI_MEDIA_LIBRARY       your media folders for `ss media stock`, separated by ':'",
            "  SCRIPTSENSEI_PEXELS_API_KEY      Pexels stock search",
            "  SCRIPTSENSEI_PIXABAY_API_KEY     Pixabay stock search",
            "  SCRIPTSENSEI_ONLINE_MEDIA=off    no online stock sources at all (Pexels, Pixabay,",
            "                                   Openverse, Wikimedia Commons): air-gapped or private use",
            "  SCRIPTSENSEI_ALLOW_NONCOMMERCIAL_MEDIA=1  also non-commercial (CC BY-NC) stock media",
            "  SCRIPTSENSEI_PEXELS_URL, _PIXABAY_URL, _OPENVERSE_URL, _WIKIMEDIA_URL",
            "                                   the stock sources' base URLs (a proxy; the real ones",
            "                                   by default)",
            "  SCRIPTSENSEI_IMAGE_API_URL, SCRIPTSENSEI_IMAGE_API_KEY, SCRIPTSENSEI_IMAGE_MODEL",
            "                                   an OpenAI-compatible image service for `ss media ai`",
            "  SCRIPTSENSEI_ELEVENLABS_API_KEY  voice cloning by ElevenLabs (`ss voice clone --method`)",
            "  SCRIPTSENSEI_YOUTUBE_API_KEY     YouTube Data API, for `ss trends collect`",
            "  SCRIPTSENSEI_ALLOW_PRIVATE_URLS=1  let `ss script import URL` fetch private and loopback",
            "                                   addresses (off: a server must not fetch its own network)",
            "  SCRIPTSENSEI_CORS_ORIGINS        browser origins allowed to call the API and Socket.IO,",
            "                                   separated by commas (none by default)",
            "  SCRIPTSENSEI_<NAME>_API_KEY …    LLM providers: see `ss help llm`",
        ]
    )


def _output() -> str:
    return "\n".join(
        [
            "Output:",
            "",
            "  stdout carries data only; messages, hints and progress go to stderr.",
            "  Data commands take --json and -o/--output table|json|ndjson|csv|tsv.",
            "  Default: a table on a terminal, tab-separated values with a header row when piped.",
            "  Set a default with `ss config set output json`.",
        ]
    )


def _formats() -> str:
    from ..contract.analytics import EXPORT_COLUMNS

    return "\n".join(
        [
            'Files ss reads and writes (README, "Analytics" and "Trends", has the details):',
            "",
            "  ss analytics import: YouTube Studio's Table data.csv (with --period START..END unless its",
            "  folder or .zip name carries the dates), Chart data.csv and Totals.csv, or the .zip itself;",
            "  TikTok Studio's Overview.csv; Meta Business Suite's posts export; or the generic CSV:",
            "    date, platform, views (required); platform_video_id | url | video_id | title; likes,",
            "    comments, shares, watch_time_hours, subscribers, impressions, impressions_ctr,",
            "    profile_views, end_date (optional). One row per video (or account) per day.",
            "  Re-importing replaces rows, never adds. Ambiguous numbers (1.234) and dates (03/04/2026)",
            "  are refused with their row and column.",
            "",
            "  ss analytics export (--format csv|json|ndjson), columns in this order:",
            "    " + ", ".join(EXPORT_COLUMNS),
            "  ISO dates; plain numbers; empty content_id = a whole account's row.",
            "",
            "  ss trends import: date, platform, topic, views (required); region, category, hashtag,",
            "  posts, engagement (optional). CSV, a JSON array, or JSON Lines.",
        ]
    )


def _llm() -> str:
    return "\n".join(
        [
            "LLM providers (set on the server; the embedded engine reads your environment):",
            "",
            "  SCRIPTSENSEI_LLM_PROVIDERS=gemini,openai,anthropic   the fallback order",
            "  SCRIPTSENSEI_<NAME>_API_KEY    the key (never logged, never shown)",
            "  SCRIPTSENSEI_<NAME>_MODEL      the model (a default for the known providers)",
            "  SCRIPTSENSEI_<NAME>_BASE_URL   another endpoint (Ollama, vLLM, LM Studio, a proxy)",
            "  SCRIPTSENSEI_<NAME>_KIND       openai, anthropic or gemini, for names the engine",
            "                                 does not know (any OpenAI-compatible server)",
            "  SCRIPTSENSEI_LLM_TIMEOUT       seconds to wait for an answer (default 60)",
            "",
            "  Known names: openai, anthropic, gemini, deepseek, groq, openrouter, ollama, lmstudio.",
            "  Without SCRIPTSENSEI_LLM_PROVIDERS, every known provider with a key is used, in the",
            "  order gemini, openai, anthropic, deepseek, groq, openrouter. With none, the built-in",
            "  offline writer writes (English and Spanish).",
            "",
            "  On a timeout, rate limit or server error a provider is retried once (after its",
            "  Retry-After), then the next one is tried; an answer that is not a script, or not in",
            "  the language asked for, gets one repair request. The same request is answered from",
            "  the engine's cache unless --fresh. `ss script providers --check` tests each one.",
        ]
    )


def _fonts() -> str:
    return "\n".join(
        [
            "Caption fonts:",
            "",
            "  Captions are drawn in a font family the server offers, chosen by name: the `font` of",
            '  a request\'s `captions` ("captions": {"font": "Roboto Medium"}). List the families with',
            "  `ss video fonts` (the API: GET /api/v1/fonts). Names match ignoring case and spacing.",
            "  A file path is refused, as is an unknown family (400, naming captions.font).",
            "  Without a font, the first bundled font that draws every character is used: Roboto",
            "  Bold, Noto Sans CJK for Chinese, Japanese and Korean, Noto Sans for other scripts.",
            "  A font of your own, uploaded as media, is not supported yet.",
        ]
    )


def _visuals() -> str:
    return "\n".join(
        [
            "Scene pictures (ss video generate --visuals, a sheet's visuals column, the API's visuals):",
            "",
            "  A scene without media of its own shows a picture chosen for what it says.",
            "  auto        your media library, then the stock sources, then a drawn background",
            "  library     only your media library (SCRIPTSENSEI_MEDIA_LIBRARY: folders, ':'-separated)",
            "  stock       only stock sources: Pexels and Pixabay with a key, Openverse and Wikimedia",
            "              Commons without one (openly licensed; SCRIPTSENSEI_ONLINE_MEDIA=off stops all",
            "              online sources; non-commercial licences only with",
            "              SCRIPTSENSEI_ALLOW_NONCOMMERCIAL_MEDIA=1)",
            "  generated   a background drawn from the scene's words",
            "  none        a plain background",
            "",
            "  Search terms are the scene's nouns and noun phrases that the rest of the script does not",
            "  share (or the LLM writer's description of the scene); the library is searched by word",
            "  (plural, case and order do not matter) and by meaning (an English sentence model that",
            "  ships with the engine: 'a cyclist in the rain' finds bike-commute-rain.jpg). Clips come",
            "  before stills; a clip is cut, slowed a little or looped to its scene, and every picture",
            "  is cropped around its subject. No file appears twice in a video, and of the files that",
            "  match about equally well the least used in your videos is taken. A source that fails is",
            "  named in a warning and the next one is asked; the render never fails because of it.",
            "",
            "  ss video scenes ID shows each scene's file, the terms that found it, why, and the author,",
            "  licence and page to credit; ss bulk saves the same in each video's .json sidecar.",
        ]
    )


def _scores() -> str:
    return "\n".join(
        [
            "Script scores (ss script analyze, and every saved script): 0-100 each, with suggestions",
            "for the weakest. Heuristics you can act on, not a verdict; the same scorer rates the",
            "built-in writer's drafts, LLM drafts and your own text.",
            "",
            "  hook          the first sentence: a question or a number, speaks to the viewer",
            '                ("you"), 12 words or fewer, names the topic, no warm-up ("Hi guys")',
            '  engagement    "you" throughout, questions, a call to action at the end, varied',
            "                sentence lengths and openings",
            "  seo           the topic's words in the title and the first sentence, mentioned again",
            "                later; the platform's number of hashtags, well formed, one from the topic",
            "  readability   reading ease (Flesch in English, Fernández Huerta in Spanish; sentence",
            "                length elsewhere): narration is heard once, not re-read",
            "  specificity   substance rather than form:",
            "                + concrete details: numbers with units (16 hours, 1:8, 7 percent, $19),",
            "                  years, named things (FDA, Dutch oven), per 100 words",
            "                + the topic's own vocabulary: words outside general language and outside",
            "                  the topic's name, per 100 words (counted only in sentences that are not",
            "                  stock lines, so a topic pasted into filler earns nothing)",
            "                + few stock lines: the built-in writer's own phrase-bank sentences and",
            '                  phrases such as "game changer" (the closing call to action is exempt)',
            "                + on topic: at least half of the topic's words, beyond the first sentence",
            "                - repetition (sentences said twice, five-word runs that come back) and",
            "                  off-topic text cost a share of the points",
            "  overall       weighted: specificity 35 %, hook 17 %, engagement 13 %, duration 13 %,",
            "                readability 12 %, SEO 10 % (duration: the narration's length against",
            "                the target, full marks within 10 %)",
            "",
            "  Form alone tops out around 70 overall: the built-in offline writer's drafts are templates",
            "  that know nothing about the topic, and they score that way. An LLM provider writes real",
            "  content (see `ss help llm`); or write the facts in yourself and re-score with",
            "  `ss script update ID --content-file FILE`.",
        ]
    )


TOPICS = {
    "exit-codes": _exit_codes,
    "config": _config,
    "auth": _auth,
    "environment": _environment,
    "output": _output,
    "formats": _formats,
    "llm": _llm,
    "fonts": _fonts,
    "scores": _scores,
    "visuals": _visuals,
}


def show(
    topic: Annotated[
        str | None,
        typer.Argument(
            help="exit-codes, config, auth, environment, output, formats, llm, fonts, scores or visuals."
        ),
    ] = None,
) -> None:
    """Reference topics: exit codes, settings, authentication, environment, output, file formats, LLMs,
    caption fonts, script scores, scene pictures."""
    if topic is None:
        console.write_data("Help topics: " + ", ".join(TOPICS) + "\nRead one with: ss help TOPIC")
        return
    page = TOPICS.get(topic)
    if page is None:
        raise CLIError(f"no help topic {topic!r}; topics: {', '.join(TOPICS)}", exit_code=ExitCode.USAGE)
    console.write_data(page())
