"""`ss --help` and `ss --version` stay fast: no heavy module is imported to show them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ["pandas", "socketio", "keyring", "rich.progress", "fastapi", "sqlalchemy", "uvicorn", "httpx"]
PROBE = """
import json, sys
sys.argv = ["ss", *{args!r}]
from scriptsensei_cli.main import run
try:
    run()
except SystemExit:
    pass
sys.stderr.write("\\nLOADED=" + json.dumps([m for m in {heavy!r} if m in sys.modules]))
"""


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["script", "--help"], ["help", "exit-codes"]])
def test_no_heavy_imports(args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=args, heavy=HEAVY)],
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = json.loads(result.stderr.rsplit("LOADED=", 1)[1])
    assert loaded == [], f"`ss {' '.join(args)}` imported {loaded}"
    assert result.stdout.strip()
