"""A web page in a real browser calls the engine: allowed by SCRIPTSENSEI_CORS_ORIGINS, blocked without.

The page is served from its own origin on loopback and loaded in headless Chromium (system package;
the test skips where there is none). It calls `/api/v1/auth/me` with a bearer token and opens a
Socket.IO polling handshake, once against an engine that names the page's origin and once against
one that names none; the browser, not this test, decides what the page may read.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from scriptsensei_cli.client import ScriptSensei
from scriptsensei_cli.engine.config import EngineConfig
from scriptsensei_cli.engine.server import EngineServer
from tests.browser import CHROMIUM, chromium, needs_chromium
from tests.conftest import PASSWORD

PAGE = """<!doctype html><meta charset="utf-8"><title>cors</title><pre id="result">waiting</pre>
<script>
const results = {};
async function call(name, url, init) {
  try {
    const response = await fetch(url, init);
    const body = await response.text();
    results[name] = response.ok ? "ok " + body.slice(0, 120) : "status " + response.status;
  } catch (error) {
    results[name] = "blocked";
  }
}
(async () => {
  const auth = {headers: {Authorization: "Bearer %(token)s"}};
  await call("allowed_api", "%(allowed)s/api/v1/auth/me", auth);
  await call("allowed_socket", "%(allowed)s/socket.io/?EIO=4&transport=polling", {credentials: "include"});
  await call("other_api", "%(other)s/api/v1/auth/me", auth);
  await call("other_socket", "%(other)s/socket.io/?EIO=4&transport=polling", {credentials: "include"});
  document.getElementById("result").textContent = JSON.stringify(results);
})();
</script>
"""


@pytest.fixture
def page_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", tmp_path
    finally:
        server.shutdown()
        server.server_close()


@needs_chromium
def test_a_page_from_a_named_origin_may_call_the_api_and_socketio(
    page_server: tuple[str, Path], tmp_path: Path
) -> None:
    assert CHROMIUM is not None
    origin, folder = page_server
    named = EngineConfig(data_dir=tmp_path / "named", signup_open=True, cors_origins=(origin,))
    unnamed = EngineConfig(data_dir=tmp_path / "unnamed", signup_open=True)
    with EngineServer(named) as allowed, EngineServer(unnamed) as other:
        with ScriptSensei(allowed.url) as client:
            token = client.auth.register("page@example.com", PASSWORD).access_token
        (folder / "page.html").write_text(PAGE % {"token": token, "allowed": allowed.url, "other": other.url})
        dom = chromium(
            "--virtual-time-budget=15000", "--dump-dom", f"{origin}/page.html", tmp_path=tmp_path
        ).stdout
    found = re.search(r'<pre id="result">(.*?)</pre>', dom, re.S)
    assert found is not None, dom
    results = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert results["allowed_api"].startswith("ok ") and "page@example.com" in results["allowed_api"]
    assert results["allowed_socket"].startswith("ok ")
    assert results["other_api"] == "blocked" and results["other_socket"] == "blocked"
