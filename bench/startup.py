"""Start-up benchmark: `ss --version`, `ss --help` and an embedded `ss script generate`, end to end.

Each command runs as a fresh process, median of N runs, side by side with `python -c pass` in the
same interpreter and the same run. Goals (issue 2): `ss --help` within 5x the bare interpreter; the
embedded generate (engine start included) under 1.5 s.

    python bench/startup.py [--runs 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import scriptsensei_cli

SS = [sys.executable, "-m", "scriptsensei_cli"]
CASES = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "ss --version": [*SS, "--version"],
    "ss --help": [*SS, "--help"],
    "ss script generate --json (embedded)": [
        *SS,
        "script",
        "generate",
        "AI in healthcare",
        "--platform",
        "youtube",
        "--duration",
        "60",
        "--json",
    ],
}


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        # Measure the package as `pip install` leaves it: byte-compiled. (This workplace sets
        # PYTHONDONTWRITEBYTECODE, which would otherwise recompile every module of an editable
        # checkout on every run.)
        env = {k: v for k, v in os.environ.items() if not k.startswith("SCRIPTSENSEI_")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.update(SCRIPTSENSEI_CONFIG_DIR=f"{home}/config", SCRIPTSENSEI_DATA_DIR=f"{home}/data")
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", os.path.dirname(scriptsensei_cli.__file__)], check=True
        )
        for command in CASES.values():  # warm the file cache and create the database once
            timed(command, env)
        medians = {}
        for name, command in CASES.items():
            samples = [timed(command, env) for _ in range(args.runs)]
            medians[name] = statistics.median(samples)
    base = medians["python -c pass"]
    print(f"{'case':<40} {'median':>9} {'vs python -c pass':>18}")
    for name, median in medians.items():
        print(f"{name:<40} {median * 1000:>7.0f} ms {median / base:>17.1f}x")
    help_ratio = medians["ss --help"] / base
    generate = medians["ss script generate --json (embedded)"]
    print(f"\ngoal: ss --help within 5x python -c pass -> {help_ratio:.1f}x")
    print(
        f"goal: embedded generate under 1500 ms -> {generate * 1000:.0f} ms ({generate / 1.5:.2f}x the goal)"
    )


if __name__ == "__main__":
    main()
