"""`ss analytics …` and /api/v1/analytics end to end against the real engine on loopback.

The import files are built exactly like the platforms' own downloads: YouTube Studio's table
export (with its "Total" row and a period only in the download's name), chart and totals
exports and its .zip; TikTok Studio's overview (dates without a year); Meta Business Suite's
posts export; and our documented generic CSV.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from scriptsensei_cli.client import BadRequestError, NotFoundError, ScriptSensei
from scriptsensei_cli.contract.analytics import EXPORT_COLUMNS, MetricPoint
from tests.conftest import CLI, run_json, said

END = "2026-06-14"
STUDIO = "Content 2026-06-01_2026-06-14 My Channel"
TABLE = (
    "Content,Video title,Video publish time,Duration,Views,Watch time (hours),Subscribers,Impressions,"
    "Impressions click-through rate (%)\n"
    'Total,,,,"3,600",70.5,12,"50,000",5.2\n'
    'vid11aaaaaa,"Cats, explained","Jun 1, 2026",58,2000,40.25,10,30000,6.00\n'
    'vid22bbbbbb,Dogs 101,"May 30, 2026",245,1500,30.25,2,20000,3.80\n'
)


def chart_csv() -> str:
    lines = ["Date,Content,Video title,Video publish time,Duration,Views"]
    for day in range(1, 15):
        lines.append(
            f'2026-06-{day:02d},vid11aaaaaa,"Cats, explained","Jun 1, 2026",58,{100 + (50 if day > 7 else 0)}'
        )
        lines.append(
            f'2026-06-{day:02d},vid22bbbbbb,Dogs 101,"May 30, 2026",245,{100 + (14 if day == 14 else 0)}'
        )
    return "\n".join(lines) + "\n"


def studio_folder(root: Path) -> Path:
    folder = root / STUDIO
    folder.mkdir(parents=True)
    (folder / "Table data.csv").write_text(TABLE, encoding="utf-8-sig")  # Studio writes a BOM
    (folder / "Chart data.csv").write_text(chart_csv(), encoding="utf-8-sig")
    return folder


def generic_csv(path: Path) -> Path:
    """Two weeks on three platforms, at three grains, for the hand computation below."""
    rows = ["date,platform,platform_video_id,title,views,likes,comments,shares,watch_time_hours"]
    for day in range(1, 15):
        current = day > 7
        stamp = f"2026-06-{day:02d}"
        rows.append(
            f"{stamp},youtube,abc,Morning routine,{150 if current else 100},{15 if current else 10},,"
            f"{3 if current else 2},1.0"
        )
        rows.append(f"{stamp},tiktok,,,{1200 if current else 1000},50,10,20,")  # the whole account
    rows.append("2026-06-10,tiktok,t1,Sleep hack,500,,,,")  # a video on a day the account covers
    rows.append("2026-06-12,instagram_reels,ig1,Glow serum,300,,,,")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


# -- imports ----------------------------------------------------------------------------------------


def test_youtube_studio_exports_import_without_double_counting(server_cli: CLI, tmp_path: Path) -> None:
    folder = studio_folder(tmp_path)
    result = server_cli("analytics", "import", str(folder), "-o", "json")
    assert result.exit_code == 0, result.stderr
    chart, table = json.loads(result.stdout)
    assert chart["parts"][0]["format"] == "youtube_chart" and chart["rows"] == 28
    assert table["parts"][0]["format"] == "youtube_table" and table["rows"] == 2  # not the Total row
    assert (table["firstDate"], table["lastDate"]) == ("2026-06-01", "2026-06-14")  # from the folder name
    # The Total row ("3,600") is a checksum: the listed videos add up to 3,500.
    assert "Total row counts 3600 views, the listed videos 3500" in said(result.stderr)

    data = run_json(server_cli, "analytics", "show", "--range", "30d", "--end", END)
    overview = data["overview"]
    # Views come from the daily chart rows; the table's period totals add only what days lack.
    assert overview["totalViews"] == 7 * (100 + 100) + 7 * (150 + 100) + 14 == 3164
    assert overview["averageWatchTime"] == round((40.25 + 30.25) * 3600 / 3500, 1)

    video = run_json(server_cli, "analytics", "video", "vid11aaaaaa")
    assert video["totals"]["views"] == 1750 and video["totals"]["watchTimeHours"] == 40.25
    assert video["totals"]["impressionsCtr"] == 6.0 and video["totals"]["subscribers"] == 10

    table = server_cli("analytics", "video", "vid11aaaaaa", "-o", "table")
    assert "Cats, explained" in table.stdout and "Views by day" in table.stdout and "40.25" in table.stdout
    rows = server_cli("analytics", "video", "vid11aaaaaa", "-o", "csv").stdout.splitlines()
    assert rows[0].startswith("start,end,platform,contentId,views") and len(rows) == 1 + 14 + 1

    again = json.loads(server_cli("analytics", "import", str(folder), "-o", "json").stdout)
    assert [part["inserted"] for part in again] == [0, 0]
    assert [part["updated"] for part in again] == [28, 2]
    assert run_json(server_cli, "analytics", "show", "-r", "30d", "--end", END)["overview"] == overview


def test_youtube_studio_zip_as_downloaded(server_cli: CLI, tmp_path: Path) -> None:
    archive = tmp_path / f"{STUDIO}.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("Table data.csv", TABLE)
        zipped.writestr("Chart data.csv", chart_csv())
        zipped.writestr("Totals.csv", "Date,Views\n2026-06-14,314\n")
    result = run_json(server_cli, "analytics", "import", str(archive))
    assert sorted(part["format"] for part in result["parts"]) == [
        "youtube_chart",
        "youtube_table",
        "youtube_totals",
    ]
    assert result["rows"] == 28 + 2 + 1
    data = run_json(server_cli, "analytics", "show", "--range", "24h", "--end", END)
    assert data["overview"]["totalViews"] == 314  # the channel's own total wins over its videos' sum


def test_watch_time_from_the_average_view_duration(server_cli: CLI, tmp_path: Path) -> None:
    chart = tmp_path / "Chart data.csv"
    chart.write_text(
        "Date,Content,Video title,Views,Average view duration\n"
        "2026-06-01,abc,Cats,120,0:01:30\n2026-06-02,abc,Cats,60,0:00:45\n",
        encoding="utf-8",
    )
    assert server_cli("analytics", "import", str(chart)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(server_cli("analytics", "export", "-r", "all").stdout)))
    assert [row["watch_time_hours"] for row in rows] == ["3.0", "0.75"]  # 120 x 90 s, 60 x 45 s
    assert run_json(server_cli, "analytics", "video", "abc")["totals"]["averageWatchTime"] == 75.0


def test_table_export_without_its_period_asks_for_one(server_cli: CLI, tmp_path: Path) -> None:
    table = tmp_path / "Table data.csv"
    table.write_text(TABLE, encoding="utf-8")
    refused = server_cli("analytics", "import", str(table))
    assert refused.exit_code == 2 and "--period" in said(refused.stderr)
    accepted = server_cli("analytics", "import", str(table), "--period", "2026-06-01..2026-06-14")
    assert accepted.exit_code == 0, accepted.stderr
    assert server_cli("analytics", "import", str(table), "--period", "June").exit_code == 2


def test_tiktok_overview_dates_without_a_year(server_cli: CLI, tmp_path: Path) -> None:
    today = datetime.now(UTC).date()
    days = [today - timedelta(days=offset) for offset in range(10, 0, -1)]
    lines = ["Date,Video Views,Profile Views,Likes,Comments,Shares"]
    lines += [f'{day.strftime("%B")} {day.day},"1,{day.day:03d}",12,1.2K,4,9' for day in days]
    overview = tmp_path / "Overview.csv"
    overview.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = server_cli("analytics", "import", str(overview), "--json")
    assert result.exit_code == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["source"] == "tiktok" and body["rows"] == 10
    assert (body["firstDate"], body["lastDate"]) == (days[0].isoformat(), days[-1].isoformat())
    assert "without a year" in said(result.stderr)

    exported = server_cli("analytics", "export", "--range", "all", "--format", "ndjson").stdout
    rows = [json.loads(line) for line in exported.splitlines()]
    assert [row["date"] for row in rows] == [day.isoformat() for day in days]
    assert rows[0]["views"] == 1000 + days[0].day and rows[0]["likes"] == 1200  # "1,0DD" and "1.2K"
    assert {row["platform"] for row in rows} == {"tiktok"} and rows[0]["content_id"] == ""


def test_instagram_posts_export(server_cli: CLI, tmp_path: Path) -> None:
    export = tmp_path / "Jun-01-2026_Jun-14-2026_posts.csv"
    export.write_text(
        "Post ID,Account ID,Account username,Account name,Description,Duration (sec),Publish time,"
        "Permalink,Post type,Data comment,Date,Views,Reach,Likes,Shares,Follows,Comments,Saves\n"
        "1790001,178,glowco,Glow Co,Glow serum in 30s,30,06/03/2026 14:05,"
        "https://www.instagram.com/reel/C1aBcD/,IG reel,,Lifetime,5400,4100,410,22,3,17,40\n"
        "1790002,178,glowco,Glow Co,Morning skin routine,45,06/10/2026 09:00,"
        "https://www.instagram.com/reel/C2eFgH/,IG reel,,06/11/2026,900,700,70,5,0,4,9\n",
        encoding="utf-8",
    )
    result = run_json(server_cli, "analytics", "import", str(export))
    assert result["parts"][0]["format"] == "instagram_posts" and result["rows"] == 2
    rows = list(csv.DictReader(io.StringIO(server_cli("analytics", "export", "-r", "all").stdout)))
    by_post = {row["content_id"]: row for row in rows}
    # Meta writes month first; "Lifetime" totals run from publishing to the day of the import.
    assert by_post["1790001"]["date"] == "2026-06-03"
    assert by_post["1790001"]["end_date"] == datetime.now(UTC).date().isoformat()
    assert by_post["1790002"]["date"] == by_post["1790002"]["end_date"] == "2026-06-11"
    assert by_post["1790002"]["title"] == "Morning skin routine"


# -- numbers out ------------------------------------------------------------------------------------


def test_overview_matches_a_hand_computation(server_cli: CLI, tmp_path: Path) -> None:
    assert server_cli("analytics", "import", str(generic_csv(tmp_path / "metrics.csv"))).exit_code == 0
    data = run_json(server_cli, "analytics", "show", "--range", "7d", "--end", END)
    assert data["period"] == {"start": "2026-06-08", "end": "2026-06-14", "days": 7}
    assert data["previousPeriod"] == {"start": "2026-06-01", "end": "2026-06-07", "days": 7}

    # By hand. Current week: YouTube 7 x 150, TikTok's account 7 x 1200 (its video t1 on a day the
    # account row covers is not added again), Instagram 300. Previous: 7 x 100 and 7 x 1000.
    views, before = 7 * 150 + 7 * 1200 + 300, 7 * 100 + 7 * 1000
    interactions, engaged = 7 * (15 + 3) + 7 * (50 + 10 + 20), 7 * 150 + 7 * 1200  # Instagram: no likes
    interactions_before, engaged_before = 7 * (10 + 2) + 7 * 80, 7 * 100 + 7 * 1000
    rate, rate_before = interactions / engaged * 100, interactions_before / engaged_before * 100
    o = data["overview"]
    assert o["totalViews"] == views == 9750
    assert o["viewsChange"] == round((views - before) / before * 100, 1) == 26.6
    assert o["totalEngagement"] == round(rate, 2)
    assert o["engagementChange"] == round(rate - rate_before, 2)  # percentage points
    assert o["averageWatchTime"] == 7 * 3600 / (7 * 150) == 24.0
    assert o["watchTimeChange"] == round((24.0 - 36.0) / 36.0 * 100, 1)
    assert o["totalShares"] == 7 * 3 + 7 * 20 and o["sharesChange"] == round((161 - 154) / 154 * 100, 1)
    assert o["changeNotes"] == {}

    shares = {row["platform"]: (row["views"], row["percentage"]) for row in data["platformBreakdown"]}
    assert shares == {"tiktok": (8400, 86.2), "youtube": (1050, 10.8), "instagram": (300, 3.1)}
    assert [video["contentId"] for video in data["topVideos"]] == ["abc", "t1", "ig1"]
    assert data["topVideos"][0]["views"] == 1050 and data["topVideos"][0]["id"] == "youtube:abc"
    days = {point["date"]: point for point in data["viewsOverTime"]}
    assert days["2026-06-12"]["views"] == 150 + 1200 + 300
    assert days["2026-06-12"]["byPlatform"] == {"youtube": 150, "tiktok": 1200, "instagram": 300}


def test_changes_without_a_previous_period_are_null_with_a_reason(server_cli: CLI, tmp_path: Path) -> None:
    server_cli("analytics", "import", str(generic_csv(tmp_path / "metrics.csv")))
    data = run_json(server_cli, "analytics", "show", "--range", "30d", "--end", END)
    o = data["overview"]
    assert o["viewsChange"] is None and o["sharesChange"] is None and o["engagementChange"] is None
    assert o["changeNotes"]["viewsChange"] == "no data for the previous period (2026-04-16..2026-05-15)"
    by_day = {point["date"]: point["views"] for point in data["viewsOverTime"]}
    assert len(by_day) == 30 and by_day["2026-05-20"] is None  # unknown, not zero
    everything = run_json(server_cli, "analytics", "show", "--range", "all")
    assert everything["previousPeriod"] is None
    assert everything["overview"]["changeNotes"]["viewsChange"] == "the range 'all' has no previous period"


def test_show_draws_charts_on_a_terminal(server_cli: CLI, tmp_path: Path) -> None:
    server_cli("analytics", "import", str(generic_csv(tmp_path / "metrics.csv")))
    result = server_cli("analytics", "show", "-r", "7d", "--end", END, "-o", "table")
    assert result.exit_code == 0, result.stderr
    for expected in ("Views", "9,750", "+26.6%", "Views by day", "By platform", "Top videos", "█"):
        assert expected in result.stdout
    tsv = server_cli("analytics", "show", "-r", "7d", "--end", END).stdout.splitlines()
    assert tsv[0].split("\t")[:3] == ["period.start", "period.end", "overview.totalViews"]
    assert tsv[1].split("\t")[2] == "9750"


def test_export_streams_stable_columns_through_a_shell_pipe(
    engine,
    register,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    account = register()
    env = {**os.environ, "SCRIPTSENSEI_API_URL": engine.url, "SCRIPTSENSEI_TOKEN": account.access_token}
    cli = CLI({"SCRIPTSENSEI_API_URL": engine.url, "SCRIPTSENSEI_TOKEN": account.access_token})
    cli("analytics", "import", str(generic_csv(tmp_path / "metrics.csv")))
    ss = f"{sys.executable} -m scriptsensei_cli"
    subprocess.run(
        f"{ss} analytics export --range 30d --end {END} > a.csv",
        shell=True,
        check=True,
        cwd=tmp_path,
        env=env,
    )
    with (tmp_path / "a.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [dict(zip(header, row, strict=True)) for row in reader]
    assert tuple(header) == EXPORT_COLUMNS
    assert len(rows) == 14 * 2 + 2
    for row in rows:
        assert date.fromisoformat(row["date"]) <= date.fromisoformat(row["end_date"])
        assert row["views"].isdigit()  # plain numbers: no grouping, no locale
    youtube = next(row for row in rows if row["platform"] == "youtube")
    assert (
        youtube["watch_time_hours"] == "1.0"
        and youtube["content_id"] == "abc"
        and youtube["source"] == "generic"
    )
    assert [row["date"] for row in rows] == sorted(row["date"] for row in rows)

    as_json = json.loads(cli("analytics", "export", "-r", "30d", "--end", END, "--format", "json").stdout)
    lines = cli("analytics", "export", "-r", "30d", "--end", END, "-f", "ndjson").stdout.splitlines()
    assert len(as_json) == len(lines) == len(rows) and list(as_json[0]) == list(EXPORT_COLUMNS)
    assert json.loads(lines[0]) == as_json[0]

    written = cli("analytics", "export", "-r", "30d", "--end", END, "--out", str(tmp_path / "out.csv"))
    assert written.exit_code == 0 and (tmp_path / "out.csv").read_text(encoding="utf-8").count("\n") == 31


def test_export_of_a_million_rows_streams_in_bounded_memory(tmp_path: Path) -> None:
    """A million daily rows (365 days x 2,740 videos), exported as CSV over HTTP by an engine in
    this process: the process grows by a small fraction of the export's size (holding the rows
    would take well over 500 MB)."""
    import sqlite3

    from scriptsensei_cli.engine.config import EngineConfig
    from scriptsensei_cli.engine.server import EngineServer

    with EngineServer(EngineConfig(data_dir=tmp_path, signup_open=True)) as server:
        with ScriptSensei(server.url) as anonymous:
            pair = anonymous.auth.register("million@example.com", "password-1234")
        with sqlite3.connect(tmp_path / "scriptsensei.db") as connection:
            connection.execute(
                """
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1000099)
                INSERT INTO analytics_metrics
                    (user_id, platform, content_id, start_date, end_date, views, likes, source, updated_at)
                SELECT ?, 'youtube', printf('v%05d', i % 2740), day, day, i % 997, i % 31, 'generic',
                       '2026-01-01 00:00:00'
                FROM (SELECT i, date('2025-01-01', '+' || (i / 2740) || ' days') AS day FROM n)
                """,
                (pair.user.id,),
            )
        baseline = _rss_bytes()
        peak = baseline
        lines = size = 0
        with ScriptSensei(server.url, token=pair.access_token) as api:
            for chunk in api.analytics.export("all", "csv"):
                lines += chunk.count(b"\n")
                size += len(chunk)
                peak = max(peak, _rss_bytes())
    assert lines == 1_000_100 + 1
    assert size > 50_000_000
    assert peak - baseline < 100 * 1024 * 1024, (
        f"grew {(peak - baseline) / 1e6:.0f} MB over a {size / 1e6:.0f} MB export"
    )


def _rss_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


# -- programs pushing numbers ----------------------------------------------------------------------


def test_track_upserts_and_links_by_platform_id(engine, register, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    account = register()
    from scriptsensei_cli.engine.store.models import Video

    with engine._context.db.session() as session:  # a finished video of this user's, as a render leaves it
        session.add(
            Video(
                id="vid_tracktest0000000000001",
                user_id=account.user_id,
                job_id="job_x",
                title="Cats, explained",
                platform="youtube_shorts",
                aspect_ratio="9:16",
                quality="standard",
                language="en",
                voice="en_US-joe-medium",
                spec={},
                output_dir="/tmp",
            )
        )
    with ScriptSensei(engine.url, token=account.access_token) as api:
        day = date(2026, 6, 1)
        first = api.analytics.track(
            [
                MetricPoint(
                    date=day,
                    platform="youtube_shorts",
                    video_id="vid_tracktest0000000000001",
                    url="https://youtube.com/shorts/kX3vR9pLm2Q",
                    views=100,
                    likes=9,
                ),
                MetricPoint(date=day, platform="tiktok", views=50),
            ]
        )
        assert (first.received, first.inserted, first.updated) == (2, 2, 0)
        again = api.analytics.track(
            [MetricPoint(date=day, platform="youtube", platform_video_id="kX3vR9pLm2Q", views=120)]
        )
        assert (again.inserted, again.updated) == (0, 1)
        video = api.analytics.video("vid_tracktest0000000000001")
        assert video.totals.views == 120 and video.totals.likes == 9  # replaced, and kept what was not sent
        assert api.analytics.video("kX3vR9pLm2Q").video_id == "vid_tracktest0000000000001"
        with pytest.raises(BadRequestError) as bad:
            api.analytics.track([MetricPoint(date=day, platform="myspace", views=1)])
        assert bad.value.field == "metrics.0.platform"
        with pytest.raises(BadRequestError, match="not one of your videos"):
            api.analytics.track(
                [MetricPoint(date=day, platform="tiktok", video_id="vid_someone_else", views=1)]
            )
        with pytest.raises(BadRequestError, match="in the future"):
            api.analytics.track(
                [MetricPoint(date=date.today() + timedelta(days=3), platform="tiktok", views=1)]
            )
        # A file naming the video only by its title (one of ours has exactly that title) links too.
        by_title = tmp_path / "by-title.csv"
        by_title.write_text('date,platform,title,views\n2026-06-02,instagram,"cats,  EXPLAINED",70\n')
        assert api.analytics.import_file(by_title).linked_videos == 1
        assert api.analytics.video("vid_tracktest0000000000001").platforms == ["instagram", "youtube"]


# -- bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "foo,bar\n1,2\n",
            [
                "unrecognised columns (foo, bar)",
                "tiktok: TikTok Studio overview export (Overview.csv): date, video views",
                "generic: generic daily metrics CSV: date, platform, views",
            ],
        ),
        ("", ["is empty"]),
        ("date,platform,views\n", ["has a header but no data rows"]),
        (
            "Date,Video Views,Profile Views,Likes,Comments,Shares\n2026-06-01,10,1,1,1,1\n"
            "Date,Content,Video title,Video publish time,Duration,Views\n2026-06-01,abc,T,x,1,5\n",
            ["row 3", "several exports pasted into one file"],
        ),
        (
            "date,platform,views\n2026-06-01,tiktok,1.2K\n2026-06-02,tiktok,1.234\n2026-06-03,tiktok,lots\n",
            [
                "2 problems, nothing was imported",
                "row 3, column 'views': '1.234': ambiguous number",
                "row 4, column 'views': 'lots': not a number",
            ],
        ),
        (
            "date,platform,views\n2999-01-01,tiktok,5\n",
            ["row 2, column 'date'", "2999-01-01 is in the future"],
        ),
        ("date,platform,views\n03/04/2026,tiktok,5\n", ["ambiguous date", "YYYY-MM-DD"]),
        ("date,platform,views\n2026-06-01,myspace,5\n", ["column 'platform'", "unknown platform"]),
    ],
)
def test_bad_files_are_refused_with_row_and_column(
    server_cli: CLI, tmp_path: Path, content: str, expected: list[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    result = server_cli("analytics", "import", str(path))
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in said(result.stderr)
    assert run_json(server_cli, "analytics", "show", "-r", "all")["overview"]["totalViews"] == 0


def test_wrong_source_missing_file_and_bad_range(server_cli: CLI, tmp_path: Path) -> None:
    tiktok = tmp_path / "Overview.csv"
    tiktok.write_text(
        "Date,Video Views,Profile Views,Likes,Comments,Shares\n2026-06-01,10,1,1,1,1\n", encoding="utf-8"
    )
    wrong = server_cli("analytics", "import", str(tiktok), "--source", "youtube")
    assert wrong.exit_code == 2 and "looks like a TikTok Studio overview export" in said(wrong.stderr)
    assert "--source tiktok" in said(wrong.stderr)
    missing = server_cli("analytics", "import", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 2 and "no such file" in said(missing.stderr)
    assert server_cli("analytics", "import", str(tiktok), "--source", "vine").exit_code == 2
    bad_range = server_cli("analytics", "show", "--range", "2d")
    assert bad_range.exit_code == 2 and "24h, 7d, 30d, 90d, 1y, all" in said(bad_range.stderr)
    assert server_cli("analytics", "export", "--range", "5y").exit_code == 2


def test_api_refuses_an_unknown_range_with_the_error_format(engine, register) -> None:  # type: ignore[no-untyped-def]
    account = register()
    headers = {"Authorization": f"Bearer {account.access_token}"}
    for path in ("/api/v1/analytics/overview", "/api/v1/analytics/export"):
        response = httpx.get(engine.url + path, params={"date_range": "2d"}, headers=headers)
        assert response.status_code == 400
        body = response.json()
        assert body["error"] == "VALIDATION_ERROR" and body["field"] == "date_range" and body["request_id"]


# -- isolation --------------------------------------------------------------------------------------


def test_users_see_only_their_own_analytics(engine, register, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    alice, bob = register(), register()
    with (
        ScriptSensei(engine.url, token=alice.access_token) as a,
        ScriptSensei(engine.url, token=bob.access_token) as b,
    ):
        a.analytics.import_file(generic_csv(tmp_path / "metrics.csv"))
        assert a.analytics.overview("7d", end=date(2026, 6, 14)).overview.total_views == 9750
        theirs = b.analytics.overview("all")
        assert (
            theirs.overview.total_views == 0 and theirs.top_videos == [] and theirs.platform_breakdown == []
        )
        with pytest.raises(NotFoundError):
            b.analytics.video("abc")
        assert b"".join(b.analytics.export("all")).decode().splitlines() == [",".join(EXPORT_COLUMNS)]
        b.analytics.import_file(generic_csv(tmp_path / "same.csv"))  # the same keys, another owner
        assert a.analytics.overview("7d", end=date(2026, 6, 14)).overview.total_views == 9750


@pytest.mark.parametrize(
    "args", [["analytics", "--help"], ["trends", "--help"], ["analytics", "export", "--help"]]
)
def test_help_stays_light(args: list[str]) -> None:
    from tests.test_startup import HEAVY, PROBE

    heavy = [*HEAVY, "statsmodels", "scriptsensei_cli.engine"]
    probe = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=args, heavy=heavy)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(probe.stderr.rsplit("LOADED=", 1)[1]) == []
    assert "Examples" in probe.stdout or "Commands" in probe.stdout
