"""eSpeak NG's state is process-wide: threads that need it at once (an API request listing voices,
a render narrating) must share one initialised library, or it garbles its data and prints warnings
on the user's terminal. Run in a fresh process, where nothing has created it yet."""

from __future__ import annotations

import subprocess
import sys

RACE = """
import threading
from scriptsensei_cli.engine.render import espeak as module

barrier = threading.Barrier(4)
seen = []

def use():
    barrier.wait()
    seen.append(id(module.espeak()))
    module.espeak().languages()

threads = [threading.Thread(target=use) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(len(set(seen)), len(module.espeak().languages()))
"""


def test_threads_that_start_at_once_share_one_library() -> None:
    result = subprocess.run([sys.executable, "-c", RACE], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    instances, languages = result.stdout.split()
    assert instances == "1" and int(languages) > 100
    assert "Warning" not in result.stderr and "Error" not in result.stderr, result.stderr
