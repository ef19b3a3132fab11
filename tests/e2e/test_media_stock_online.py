"""`ss media stock` with the online sources on: the embedded engine asks Openverse and Wikimedia
Commons, here stand-ins on loopback (tests/stock_standin.py) or a port where nothing listens. Only the
HTTP boundary is stood in for."""

from __future__ import annotations

import json
import time
from pathlib import Path

from tests.conftest import CLI, SAMPLES
from tests.stock_standin import StockStandIn

NOWHERE = "http://127.0.0.1:9"  # the discard port: nothing listens there


def library(tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "library" / "Oceans"
    folder.mkdir(parents=True)
    (folder / "rain_diver.jpg").write_bytes((SAMPLES / "media" / "deep-sea.jpg").read_bytes())
    return {"SCRIPTSENSEI_MEDIA_LIBRARY": str(tmp_path / "library"), "SCRIPTSENSEI_ONLINE_MEDIA": "on"}


def test_unreachable_sources_leave_the_local_results_and_a_warning_naming_each(
    cli: CLI, tmp_path: Path
) -> None:
    env = {
        **library(tmp_path),
        "SCRIPTSENSEI_OPENVERSE_URL": f"{NOWHERE}/v1/",
        "SCRIPTSENSEI_WIKIMEDIA_URL": f"{NOWHERE}/w/api.php",
    }
    started = time.monotonic()
    found = cli("media", "stock", "rain", "--json", env=env)
    elapsed = time.monotonic() - started

    assert found.exit_code == 0, found.stderr
    assert [item["provider"] for item in json.loads(found.stdout)] == ["local"]
    assert "Openverse is unreachable or failing" in found.stderr
    assert "Wikimedia Commons is unreachable or failing" in found.stderr
    assert elapsed < 20, "a search never waits long on a source that does not answer"


def test_online_results_follow_the_local_ones_with_their_licences(cli: CLI, tmp_path: Path) -> None:
    with StockStandIn() as stand_in:
        env = {
            **library(tmp_path),
            "SCRIPTSENSEI_OPENVERSE_URL": stand_in.openverse_url,
            "SCRIPTSENSEI_WIKIMEDIA_URL": stand_in.wikimedia_url,
        }
        first = cli("media", "stock", "rain", "--type", "image", "--limit", "20", "--json", env=env)
        again = cli("media", "stock", "rain", "--type", "image", "--limit", "20", "--json", env=env)

        assert first.exit_code == 0, first.stderr
        items = json.loads(first.stdout)
        assert [item["provider"] for item in items] == ["local"] + ["openverse"] * 3 + ["wikimedia"] * 2
        assert {item["licence"] for item in items[1:]} == {
            "CC BY 2.0",
            "CC0",
            "Public Domain",
            "CC BY-SA 4.0",
        }
        assert json.loads(again.stdout) == items
        assert len(stand_in.calls("openverse")) == 1, "the second search came from the cache"
        assert len(stand_in.calls("wikimedia")) == 1

        stand_in.image_bytes = (SAMPLES / "media" / "deep-sea.jpg").read_bytes()
        imported = cli("media", "import", items[1]["id"], "--json", env=env)
        assert imported.exit_code == 0, imported.stderr
        media = json.loads(imported.stdout)[0]
        assert (media["source"], media["licence"]) == ("stock", "CC BY 2.0")
        assert stand_in.calls("files")[0].headers["User-Agent"].startswith("ScriptSensei-CLI/")
