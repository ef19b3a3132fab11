"""`ss script analyze` and `ss script import` end to end: real engine, real parsers, a real web server."""

from __future__ import annotations

import json
import threading
import tomllib
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import httpx
import pytest

from scriptsensei_cli.client import ScriptSensei
from scriptsensei_cli.engine.config import EngineConfig
from scriptsensei_cli.engine.server import EngineServer
from tests.conftest import CLI, PASSWORD, REPO
from tests.sample_documents import ARTICLE_HTML, ARTICLE_TITLE, PDF_PAGES, make_docx, make_pdf

LONG_PARAGRAPH = " ".join(
    f"Point {i} explains one more reason why rest helps you think clearly every day." for i in range(12)
)


def said(result) -> str:  # type: ignore[no-untyped-def]
    """stderr as one line: Rich wraps messages to the terminal's width."""
    return " ".join(result.stderr.split())


def json_out(result) -> dict:  # type: ignore[no-untyped-def, type-arg]
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


# -- analyze --------------------------------------------------------------------------------------


def test_analyze_scores_a_saved_script_exactly_as_the_writer_did(server_cli: CLI, tmp_path: Path) -> None:
    script = json_out(
        server_cli("script", "generate", "AI in healthcare", "-p", "youtube", "-d", "60", "--json")
    )
    draft = tmp_path / "draft.md"
    draft.write_text(f"# {script['title']}\n\n{script['content']}\n\n{' '.join(script['hashtags'])}\n")
    args = ["--platform", "youtube", "--topic", "AI in healthcare", "--duration", "60", "--json"]
    analysis = json_out(server_cli("script", "analyze", str(draft), *args))
    assert analysis["scores"] == script["scores"]  # one scorer: the analysis and the saved script agree
    assert (analysis["title"], analysis["hashtags"]) == (script["title"], script["hashtags"])
    assert analysis["estimated_seconds"] == script["estimated_seconds"]
    assert analysis["max_seconds"] == 1800 and analysis["fits_platform"] is True


def test_analyze_reads_stdin_and_prints_rows_for_programs(cli: CLI) -> None:
    text = (
        "Why do you wake up tired? Your phone is the reason. Put it away an hour before bed. Follow for more."
    )
    result = cli("script", "analyze", "-", "-o", "tsv", input=text)
    assert result.exit_code == 0, result.stderr
    header, row = result.stdout.strip().split("\n")
    assert header.split("\t")[:6] == [
        "scores.overall",
        "scores.hook",
        "scores.engagement",
        "scores.seo",
        "scores.readability",
        "scores.specificity",
    ]
    assert all(value.isdigit() for value in row.split("\t")[:6])


def test_analyze_rates_a_concrete_script_above_the_builtin_draft(server_cli: CLI, tmp_path: Path) -> None:
    """The issue's case: the built-in draft on "cold brew coffee" rated 92, a concrete human script 79."""
    corpus = tomllib.loads((REPO / "tests/engine/writer/corpus/scripts.toml").read_text(encoding="utf-8"))
    human = next(entry for entry in corpus["topic"] if entry["topic"] == "cold brew coffee")
    args = ["--platform", "youtube_shorts", "--topic", "cold brew coffee", "--duration", "50", "--json"]
    draft = json_out(
        server_cli("script", "generate", "cold brew coffee", "-p", "youtube_shorts", "-d", "50", "--json")
    )
    written = tmp_path / "draft.md"
    written.write_text(f"# {draft['title']}\n\n{draft['content']}\n\n{' '.join(draft['hashtags'])}\n")
    concrete = tmp_path / "concrete.md"
    concrete.write_text(f"# {human['title']}\n\n{human['concrete']}\n\n{' '.join(human['hashtags'])}\n")
    builtin = json_out(server_cli("script", "analyze", str(written), *args))["scores"]
    real = json_out(server_cli("script", "analyze", str(concrete), *args))["scores"]
    assert real["overall"] >= builtin["overall"] + 15, (real, builtin)
    assert real["specificity"] >= 70 and builtin["specificity"] <= 25
    table = server_cli("script", "analyze", str(written), *args[:-1], "-o", "table")
    assert "specificity" in table.stdout and "concrete details" in said(table)


def test_help_scores_explains_every_dimension_and_weight(cli: CLI) -> None:
    from scriptsensei_cli.contract.scripts import QualityScores
    from scriptsensei_cli.engine.writer.quality import WEIGHTS

    result = cli("help", "scores")
    assert result.exit_code == 0
    page = result.stdout.replace("SEO", "seo")
    for name in QualityScores.model_fields:
        if name != "suggestions":
            assert f"  {name} " in page, name
    for name, weight in WEIGHTS.items():
        assert f"{name} {round(weight * 100)} %" in page, name
    assert "ss help llm" in page and "scores" in cli("help").stdout


def test_analyze_refuses_text_with_nothing_to_narrate(cli: CLI, tmp_path: Path) -> None:
    empty = tmp_path / "headings.md"
    empty.write_text("# Title only\n\n## And a heading\n\n#hashtag #another\n")
    result = cli("script", "analyze", str(empty))
    assert result.exit_code == 2
    assert "nothing to narrate" in said(result) and "Traceback" not in result.stderr


# -- import a file --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [
        ("article.html", lambda: ARTICLE_HTML.encode(), "html"),
        ("article.pdf", lambda: make_pdf(PDF_PAGES), "pdf"),
        ("article.docx", lambda: make_docx(ARTICLE_TITLE, [("Light", [LONG_PARAGRAPH])]), "docx"),
        ("notes.txt", lambda: b"# Why sleep matters\n\nMost adults need more sleep.\n", "markdown"),
    ],
)
def test_import_a_document_creates_the_users_script(
    server_cli: CLI,
    tmp_path: Path,
    name: str,
    make,
    kind: str,  # type: ignore[no-untyped-def]
) -> None:
    path = tmp_path / name
    path.write_bytes(make())
    script = json_out(server_cli("script", "import", str(path), "--platform", "youtube_shorts", "--json"))
    assert script["title"] == ARTICLE_TITLE and script["topic"] == ARTICLE_TITLE
    assert (script["provider"], script["model"], script["platform"]) == ("import", kind, "youtube_shorts")
    assert "#" not in script["content"] and "<" not in script["content"]
    assert script["sections"]["hook"] == script["content"].split("\n\n")[0]
    assert 0 < script["scores"]["overall"] <= 100 and script["scores"]["suggestions"]
    assert script["hashtags"] and len(script["hashtags"]) <= 3
    listed = json_out(server_cli("script", "get", script["id"], "--json"))
    assert listed["content"] == script["content"]


def test_an_imported_script_belongs_to_the_importer(engine: EngineServer, register, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    owner, other = register(), register()
    path = tmp_path / "post.html"
    path.write_text(ARTICLE_HTML)
    mine = CLI({"SCRIPTSENSEI_API_URL": engine.url, "SCRIPTSENSEI_TOKEN": owner.access_token})
    theirs = CLI({"SCRIPTSENSEI_API_URL": engine.url, "SCRIPTSENSEI_TOKEN": other.access_token})
    script = json_out(mine("script", "import", str(path), "--json"))
    assert theirs("script", "get", script["id"]).exit_code == 5
    assert json_out(theirs("script", "list", "-o", "json")) == []  # type: ignore[comparison-overlap]


def test_a_long_document_is_condensed_to_the_platform_with_a_note(server_cli: CLI, tmp_path: Path) -> None:
    sections = "".join(
        f"\n\n## Part {n}\n\nPart {n} opens here. {LONG_PARAGRAPH}\n\n{LONG_PARAGRAPH}" for n in range(8)
    )
    path = tmp_path / "long.md"
    path.write_text(f"# Rest and your brain{sections}\n")
    result = server_cli("script", "import", str(path), "--max-seconds", "60", "--json")
    script = json_out(result)
    assert script["estimated_seconds"] <= 60 and script["duration"] == 60
    # Every section keeps its opening, not only the first minute of the document.
    openings = [p.split(".")[0] for p in script["content"].split("\n\n") if p.startswith("Part")]
    assert openings == [f"Part {n} opens here" for n in range(8)]
    assert "condensed 2720 words (about 1088 s of narration) to about" in said(result)
    assert "within 60 s (max_seconds)" in said(result)


def test_unsupported_empty_and_missing_files_are_usage_errors(server_cli: CLI, tmp_path: Path) -> None:
    png = tmp_path / "looks-like-text.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 200)
    result = server_cli("script", "import", str(png))
    assert result.exit_code == 2
    assert "the file is a PNG image; import reads text, Markdown, HTML, PDF or DOCX" in said(result)

    scanned = tmp_path / "scan.pdf"
    scanned.write_bytes(make_pdf([[]]))
    result = server_cli("script", "import", str(scanned))
    assert result.exit_code == 2 and "no text found in the PDF" in said(result)

    result = server_cli("script", "import", str(tmp_path / "missing.md"))
    assert result.exit_code == 2 and "no such file" in result.stderr

    result = server_cli("script", "import", str(scanned), "--max-seconds", "900")
    assert result.exit_code == 2 and "between 15 and 180 seconds for TikTok" in said(result)
    assert "Traceback" not in result.stderr


def test_multipart_fields_are_validated_and_imports_are_idempotent(engine: EngineServer, register) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {register().access_token}"}
    url = f"{engine.url}/api/v1/content/import/file"
    files = {"file": ("post.md", b"# Title\n\nSome words to narrate here.\n", "text/markdown")}
    bad = httpx.post(url, headers=headers, files=files, data={"max_seconds": "abc"})
    assert bad.status_code == 400 and bad.json()["field"] == "max_seconds"
    keyed = {**headers, "Idempotency-Key": "import-1"}
    first = httpx.post(url, headers=keyed, files=files)
    again = httpx.post(url, headers=keyed, files=files)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]


@pytest.fixture(scope="module")
def lenient(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineServer]:
    """An engine that may fetch private addresses (the test web server is on loopback), 200 kB limit."""
    config = EngineConfig(
        data_dir=tmp_path_factory.mktemp("lenient"),
        signup_open=True,
        allow_private_urls=True,
        max_document_bytes=200_000,
    )
    with EngineServer(config) as server:
        yield server


@pytest.fixture
def lenient_cli(lenient: EngineServer) -> CLI:
    with ScriptSensei(lenient.url) as client:
        token = client.auth.register(f"importer-{uuid.uuid4().hex}@example.com", PASSWORD).access_token
    return CLI({"SCRIPTSENSEI_API_URL": lenient.url, "SCRIPTSENSEI_TOKEN": token})


def test_too_large_a_document_is_refused_while_streaming(lenient_cli: CLI, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("All work and no play. " * 20_000)
    result = lenient_cli("script", "import", str(big))
    assert result.exit_code == 2
    assert "the document is larger than the 195 kB limit" in said(result)


# -- import a URL ---------------------------------------------------------------------------------


class _Site(BaseHTTPRequestHandler):
    pages: ClassVar[dict[str, tuple[int, str, bytes]]] = {
        "/blog/why-sleep-matters": (200, "text/html; charset=utf-8", ARTICLE_HTML.encode()),
        "/report.pdf": (200, "application/pdf", make_pdf(PDF_PAGES)),
        "/cat.png": (200, "image/png", b"\x89PNG\r\n\x1a\n"),
        "/huge": (200, "text/html", b"<p>" + b"word " * 60_000),
    }

    def do_GET(self) -> None:
        if self.path == "/old":
            self.send_response(301)
            self.send_header("Location", "/blog/why-sleep-matters")
            self.end_headers()
            return
        status, content_type, body = self.pages.get(self.path, (404, "text/html", b"<p>Not here</p>"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_import_a_web_page_follows_redirects_and_keeps_the_article(lenient_cli: CLI, site: str) -> None:
    script = json_out(lenient_cli("script", "import", f"{site}/old", "--json"))
    assert (script["title"], script["model"], script["language"]) == (ARTICLE_TITLE, "html", "en")
    assert script["content"].startswith("Did you know most adults need seven to nine hours of sleep?")
    assert "newsletter" not in script["content"] and "Copyright" not in script["content"]
    assert script["hashtags"][:2] == ["#sleep", "#CircadianRhythm"]

    pdf = json_out(lenient_cli("script", "import", f"{site}/report.pdf", "--title", "Sleep report", "--json"))
    assert (pdf["title"], pdf["model"]) == ("Sleep report", "pdf")


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/cat.png", "/cat.png is image/png; import reads web pages (HTML) and PDF, DOCX, Markdown or text"),
        ("/missing", "/missing: the page answered 404 Not Found"),
        ("/huge", "/huge is larger than the 0.191 MB import limit"),
    ],
)
def test_web_pages_that_cannot_be_imported_say_why(
    lenient_cli: CLI, site: str, path: str, message: str
) -> None:
    result = lenient_cli("script", "import", f"{site}{path}")
    assert result.exit_code == 2, result.stderr
    assert message in said(result) and "Traceback" not in result.stderr


def test_the_default_engine_refuses_loopback_and_private_urls(server_cli: CLI, site: str) -> None:
    result = server_cli("script", "import", f"{site}/blog/why-sleep-matters")
    assert result.exit_code == 2
    assert "127.0.0.1 resolves to 127.0.0.1, a loopback address" in said(result)
    assert "SCRIPTSENSEI_ALLOW_PRIVATE_URLS=1" in said(result)


def test_an_unreachable_url_is_a_clear_error(lenient_cli: CLI) -> None:
    result = lenient_cli("script", "import", "http://127.0.0.1:9/nothing-listens-here")
    assert result.exit_code == 2
    assert "could not fetch http://127.0.0.1:9/nothing-listens-here: could not connect" in said(result)
