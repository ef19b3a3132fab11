"""Analytics benchmark: import and export of N daily metric rows (default 1 million), wall time and
peak RSS, side by side with a plain pandas read and write of the same CSV on this machine.

Every step runs as its own process (peak RSS is that process's own high-water mark):

- `ss analytics import FILE`: the embedded engine parses, validates and upserts every row (one
  transaction, SQLite in WAL mode), then reports the counts;
- `ss analytics export --range all > out.csv`: the engine streams the rows back as CSV;
- pandas: `pd.read_csv(FILE)`, then `DataFrame.to_csv(out)`: the floor for "read a CSV" and "write
  a CSV" in Python, with no validation, no database and no index.

    python bench/analytics.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

SS = [sys.executable, "-m", "scriptsensei_cli"]
VIDEOS = 2740  # x 365 days ≈ 1 million rows: a channel's year, video by video
PANDAS_READ = "import pandas, sys; pandas.read_csv(sys.argv[1])"
PANDAS_WRITE = "import pandas, sys; pandas.read_csv(sys.argv[1]).to_csv(sys.argv[2], index=False)"


def write_metrics(path: Path, rows: int) -> None:
    """The generic CSV, as a channel's daily per-video numbers."""
    start = date(2025, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["date", "platform", "platform_video_id", "title", "views", "likes", "comments", "shares",
             "watch_time_hours"]
        )  # fmt: skip
        for index in range(rows):
            day, video = divmod(index, VIDEOS)
            writer.writerow(
                [
                    (start + timedelta(days=day)).isoformat(),
                    "tiktok" if video % 3 == 0 else "youtube",
                    f"v{video:05d}",
                    f"Video {video}",
                    100 + (video * 7 + day) % 5000,
                    (video + day) % 300,
                    video % 17,
                    video % 11,
                    round(((video + day) % 97) / 10, 2),
                ]
            )


def run(command: list[str], env: dict[str, str], stdout: Path | None = None) -> tuple[float, int]:
    """(wall seconds, peak RSS bytes) of one process."""
    start = time.perf_counter()
    with open(stdout or os.devnull, "wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(
            f"{' '.join(command)} failed: {process.stderr.read().decode() if process.stderr else ''}"
        )
    return elapsed, usage.ru_maxrss * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        root = Path(home)
        env = {k: v for k, v in os.environ.items() if not k.startswith("SCRIPTSENSEI_")}
        env.update(SCRIPTSENSEI_CONFIG_DIR=f"{home}/config", SCRIPTSENSEI_DATA_DIR=f"{home}/data")
        metrics = root / "metrics.csv"
        write_metrics(metrics, args.rows)
        size = metrics.stat().st_size
        print(
            f"{args.rows:,} rows, {size / 1e6:.0f} MB of CSV; "
            f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
        )

        results = {
            "ss analytics import": run([*SS, "analytics", "import", str(metrics), "-o", "json"], env),
            "pandas read_csv": run([sys.executable, "-c", PANDAS_READ, str(metrics)], env),
            "ss analytics export (csv)": run(
                [*SS, "analytics", "export", "--range", "all"], env, stdout=root / "export.csv"
            ),
            "pandas read_csv + to_csv": run(
                [sys.executable, "-c", PANDAS_WRITE, str(metrics), str(root / "pandas.csv")], env
            ),
        }
        exported = (root / "export.csv").read_text(encoding="utf-8").count("\n") - 1
        assert exported == args.rows, f"exported {exported} rows of {args.rows}"

    print(f"\n{'step':<28}{'wall s':>9}{'rows/s':>12}{'peak RSS MB':>14}")
    for name, (seconds, rss) in results.items():
        print(f"{name:<28}{seconds:>9.1f}{args.rows / seconds:>12,.0f}{rss / 1e6:>14.0f}")
    (imp, imp_rss), (read, read_rss) = results["ss analytics import"], results["pandas read_csv"]
    (exp, exp_rss), (both, both_rss) = (
        results["ss analytics export (csv)"],
        results["pandas read_csv + to_csv"],
    )
    print(
        f"\nimport / pandas read:          {imp / read:.1f}x the time, {imp_rss / read_rss:.2f}x the memory"
        f"\nexport / pandas read + write:  {exp / both:.1f}x the time, {exp_rss / both_rss:.2f}x the memory"
    )


if __name__ == "__main__":
    main()
