"""`ss trends …` and /api/v1/trends end to end against the real engine on loopback; the forecaster
on series with a known shape; the YouTube collector at its HTTP boundary only."""

from __future__ import annotations

import json
import math
import random
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from scriptsensei_cli.client import NotFoundError, ScriptSensei
from scriptsensei_cli.contract.trends import CollectRequest, PredictRequest
from tests.conftest import CLI, SAMPLES, run_json, said

SAMPLE = SAMPLES / "trends.csv"


@pytest.fixture
def trends_cli(server_cli: CLI) -> CLI:
    """A user who imported the shipped sample."""
    result = server_cli("trends", "import", str(SAMPLE))
    assert result.exit_code == 0, result.stderr
    return server_cli


def test_import_is_idempotent(server_cli: CLI) -> None:
    first = run_json(server_cli, "trends", "import", str(SAMPLE))
    assert first["rows"] == first["inserted"] == 790 and first["topics"] == 14
    assert first["platforms"] == ["instagram", "tiktok", "youtube"]
    again = run_json(server_cli, "trends", "import", str(SAMPLE))
    assert (again["inserted"], again["updated"]) == (0, 790)
    listed = run_json(server_cli, "trends", "list", "--time-range", "7d", "--limit", "100")
    assert listed["total"] == 14


def test_list_scores_and_classifies_the_sample(trends_cli: CLI) -> None:
    listed = run_json(trends_cli, "trends", "list", "--time-range", "7d", "--limit", "100")
    assert listed["as_of"] == "2026-11-27" and listed["time_range"] == "7d"
    trends = listed["trends"]
    scores = [trend["score"] for trend in trends]
    assert scores == sorted(scores, reverse=True)
    by_key = {(t["topic"], t["platform"]): t for t in trends}
    assert by_key[("Glow serum", "tiktok")]["hotness"] == "viral"
    assert by_key[("AI in healthcare", "tiktok")]["hotness"] == "rising"
    assert by_key[("Deep sea creatures", "youtube")]["hotness"] == "declining"
    assert by_key[("Sleep science", "tiktok")]["hotness"] == "steady"
    glow = by_key[("Glow serum", "tiktok")]
    assert glow["hashtag"] == "glowserum" and glow["hashtags"] == ["glowserum", "skincare", "glowup"]
    assert glow["related_topics"][:2] == ["Skincare routine", "Winter skincare"]  # shared hashtags
    assert glow["views_change"] > 100 and glow["acceleration"] >= 0
    assert glow["predicted_growth"] is not None and 0 <= glow["confidence"] <= 1
    # A topic first seen 10 days ago has no forecast yet (too little history).
    quantum = by_key[("Quantum computing explained", "youtube")]
    assert quantum["predicted_growth"] is None and quantum["confidence"] is None

    tiktok = run_json(trends_cli, "trends", "list", "-t", "24h", "--platform", "tiktok", "--region", "us")
    assert {t["platform"] for t in tiktok["trends"]} == {"tiktok"} and {
        t["region"] for t in tiktok["trends"]
    } == {"US"}
    beauty = run_json(trends_cli, "trends", "list", "--category", "Beauty")
    assert {t["topic"] for t in beauty["trends"]} == {"Glow serum", "Skincare routine", "Winter skincare"}

    table = trends_cli("trends", "list", "-t", "7d", "-o", "table")
    assert table.exit_code == 0 and "HOTNESS" in table.stdout
    assert "create a video: ss script generate 'Glow serum' --platform tiktok" in said(table.stderr)


def test_by_platform_endpoint(engine, register) -> None:  # type: ignore[no-untyped-def]
    account = register()
    with ScriptSensei(engine.url, token=account.access_token) as api:
        api.trends.import_file(SAMPLE)
        youtube = api.trends.by_platform("youtube_shorts", time_range="7d")  # our platform names work too
    assert youtube.trends and {trend.platform for trend in youtube.trends} == {"youtube"}


def test_search_ranks_topic_matches_first(trends_cli: CLI) -> None:
    found = run_json(trends_cli, "trends", "search", "skin")["trends"]
    topics = [trend["topic"] for trend in found]
    # "skin" starts words of two topics; Glow serum matches only through its #skincare hashtag.
    assert topics[:2] == ["Skincare routine", "Winter skincare"]
    assert set(topics[2:]) == {"Glow serum"}
    both = run_json(trends_cli, "trends", "search", "glow serum", "--platform", "instagram")["trends"]
    assert [(t["topic"], t["platform"]) for t in both] == [("Glow serum", "instagram")]
    assert run_json(trends_cli, "trends", "search", "wellness")["trends"][0]["topic"] in {
        "Sleep science",
        "Morning routine",
    }
    assert run_json(trends_cli, "trends", "search", "zebra")["trends"] == []
    nothing = trends_cli("trends", "search", "#!?")
    assert nothing.exit_code == 2 and "no words" in said(nothing.stderr)


def test_predict_reports_interval_and_backtest(trends_cli: CLI) -> None:
    prediction = run_json(trends_cli, "trends", "predict", "ai in healthcare", "--horizon", "7d")
    assert prediction["status"] == "ok" and prediction["topic"] == "AI in healthcare"
    assert prediction["history_points"] == 60 and prediction["needed_points"] == 21
    days = [point["date"] for point in prediction["forecast"]]
    assert days == [(date(2026, 11, 27) + timedelta(days=step)).isoformat() for step in range(1, 8)]
    for point in prediction["forecast"]:
        assert 0 <= point["lower"] <= point["views"] <= point["upper"]
    backtest = prediction["backtest"]
    assert backtest["holdout"] == 7 and backtest["relative_mae"] < 1  # a steady rise: beats naive
    assert prediction["confidence"] == round(max(0.0, 1 - backtest["mape"] / 100), 2)

    table = trends_cli("trends", "predict", "AI in healthcare", "-o", "table")
    assert table.exit_code == 0
    assert "beats the naive forecast" in said(table.stdout) and "UPPER 80%" in table.stdout
    csv_rows = trends_cli("trends", "predict", "AI in healthcare", "--horizon", "3d", "-o", "csv").stdout
    assert csv_rows.splitlines()[0] == "date,views,lower,upper" and len(csv_rows.splitlines()) == 4


def test_predict_refuses_short_histories_and_unknown_topics(trends_cli: CLI) -> None:
    short = trends_cli("trends", "predict", "Quantum computing explained")
    assert short.exit_code == 1
    assert "insufficient history (10 points, need 21)" in said(short.stderr)
    as_json = trends_cli("trends", "predict", "Quantum computing explained", "--json")
    assert json.loads(as_json.stdout)["status"] == "insufficient_history" and as_json.exit_code == 1
    unknown = trends_cli("trends", "predict", "glow serun")
    assert unknown.exit_code == 5 and "did you mean: Glow serum" in said(unknown.stderr)
    assert trends_cli("trends", "predict", "Glow serum", "--horizon", "120d").exit_code == 2


def test_forecast_beats_naive_on_a_series_with_a_known_trend() -> None:
    from scriptsensei_cli.engine.trends import forecast

    rng = random.Random(3)
    start = date(2026, 1, 1)
    growing = [
        (start + timedelta(days=i), 1000 * math.exp(0.04 * i) * rng.uniform(0.93, 1.07)) for i in range(50)
    ]
    result = forecast.forecast(growing, 7)
    assert isinstance(result, forecast.Forecast)
    assert result.backtest.relative_mae < 0.8 and result.backtest.mape < result.backtest.naive_mape
    last = growing[-1][1]
    assert result.points[-1].views > last  # the trend goes on
    assert result.growth is not None and result.growth > 15
    # Gaps up to three days are interpolated; a longer one starts the history afresh.
    gappy = [point for i, point in enumerate(growing) if i not in (20, 21)]
    assert isinstance(forecast.forecast(gappy, 7), forecast.Forecast)
    broken = [point for i, point in enumerate(growing) if not 20 <= i < 25]
    after_gap = forecast.forecast(broken, 7)
    assert isinstance(after_gap, forecast.Forecast) and after_gap.history == 25  # only the days after it
    assert forecast.forecast(broken, 14) == 25  # too few for 14 days ahead: 28 needed


def test_bad_observation_files(server_cli: CLI, tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    missing.write_text("date,topic,views\n2026-11-01,Cats,5\n", encoding="utf-8")
    result = server_cli("trends", "import", str(missing))
    assert result.exit_code == 2 and "missing columns platform" in said(result.stderr)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "date,platform,region,topic,views,engagement\n"
        "2026-11-01,tiktok,US,Cats,1.2K,4.5%\n"
        "2026-11-02,tiktok,USA,Cats,10,1\n"
        "2999-01-01,tiktok,US,Cats,10,1\n"
        "2026-11-03,tiktok,US,Cats,10,140\n",
        encoding="utf-8",
    )
    result = server_cli("trends", "import", str(bad))
    assert result.exit_code == 2
    message = said(result.stderr)
    assert "3 problems, nothing was imported" in message
    assert "row 3, column 'region': 'USA': expected a two-letter country code" in message
    assert "row 4, column 'date'" in message and "in the future" in message
    assert "row 5, column 'engagement'" in message
    assert run_json(server_cli, "trends", "list")["total"] == 0
    assert server_cli("trends", "import", str(tmp_path / "nope.csv")).exit_code == 2
    assert server_cli("trends", "list", "--time-range", "2d").exit_code == 2


def test_json_observations(server_cli: CLI, tmp_path: Path) -> None:
    observations = [
        {
            "date": f"2026-11-{day:02d}",
            "platform": "TikTok",
            "topic": "Cat yoga",
            "hashtag": ["#catyoga", "#yoga"],
            "views": 1000 * day,
            "posts": 10,
            "engagement": 6.5,
        }
        for day in range(1, 11)
    ]
    path = tmp_path / "observations.json"
    path.write_text(json.dumps(observations), encoding="utf-8")
    result = run_json(server_cli, "trends", "import", str(path))
    assert result["rows"] == 10 and result["platforms"] == ["tiktok"]
    lines = tmp_path / "observations.jsonl"
    lines.write_text("\n".join(json.dumps(item) for item in observations), encoding="utf-8")
    assert run_json(server_cli, "trends", "import", str(lines))["updated"] == 10
    trend = run_json(server_cli, "trends", "list", "-t", "7d")["trends"][0]
    assert (
        trend["topic"] == "Cat yoga"
        and trend["region"] == "global"
        and trend["hashtags"] == ["catyoga", "yoga"]
    )
    assert trend["engagement"] == 6.5 and trend["posts"] == 70


def test_users_see_only_their_own_trends(engine, register) -> None:  # type: ignore[no-untyped-def]
    alice, bob = register(), register()
    with (
        ScriptSensei(engine.url, token=alice.access_token) as a,
        ScriptSensei(engine.url, token=bob.access_token) as b,
    ):
        a.trends.import_file(SAMPLE)
        assert a.trends.current(time_range="7d").total == 14
        assert b.trends.current(time_range="7d").total == 0
        assert b.trends.search("skin").trends == []
        with pytest.raises(NotFoundError):
            b.trends.predict(PredictRequest(topic="Glow serum"))


def test_youtube_collector_at_the_http_boundary(engine, register, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Google's API is not called: httpx's MockTransport stands in for it, answering as the YouTube
    Data API v3 does (videos?chart=mostPopular, videoCategories)."""
    from scriptsensei_cli.engine.trends import collectors

    account = register()
    seen: list[httpx.Request] = []
    counts = iter([150_000, 210_000])

    def google(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/videoCategories"):
            return httpx.Response(200, json={"items": [{"id": "26", "snippet": {"title": "Howto & Style"}}]})
        assert request.url.params["chart"] == "mostPopular" and request.url.params["regionCode"] == "GB"
        item = {
            "id": "abc123",
            "snippet": {
                "title": "Winter  skincare routine",
                "categoryId": "26",
                "publishedAt": "2026-11-25T10:00:00Z",
                "tags": ["skin care", "winter"],
            },
            "statistics": {"viewCount": str(next(counts)), "likeCount": "9000", "commentCount": "1000"},
        }
        return httpx.Response(200, json={"items": [item]})

    monkeypatch.setenv(collectors.KEY_ENV, "test-key")
    db = engine._context.db
    request = CollectRequest(region="gb", limit=5)
    first = collectors.collect(
        db, account.user_id, request, date(2026, 11, 28), httpx.Client(transport=httpx.MockTransport(google))
    )
    second = collectors.collect(
        db, account.user_id, request, date(2026, 11, 29), httpx.Client(transport=httpx.MockTransport(google))
    )
    assert first.inserted == second.inserted == 1 and seen[1].headers["x-goog-api-key"] == "test-key"
    assert seen[0].headers["user-agent"].startswith("ScriptSensei-CLI/")
    assert all("key" not in request.url.params for request in seen)  # never in a URL, so never in a log
    with ScriptSensei(engine.url, token=account.access_token) as api:
        trend = api.trends.current(time_range="24h").trends[0]
    assert (trend.topic, trend.platform, trend.region, trend.category) == (
        "Winter skincare routine",
        "youtube",
        "GB",
        "howto & style",
    )
    assert trend.hashtags == ["skincare", "winter"]
    # Day one: 150,000 views over the 3 days since publishing; day two: the 60,000 gained since.
    assert trend.views == 60_000 and trend.views_change == round((60_000 / 50_000 - 1) * 100, 1)


def test_collector_needs_a_key(server_cli: CLI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SCRIPTSENSEI_YOUTUBE_API_KEY", raising=False)
    result = server_cli("trends", "collect")
    assert result.exit_code == 1 and "SCRIPTSENSEI_YOUTUBE_API_KEY" in said(result.stderr)


def test_trends_and_analytics_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    """The same imports, upserts, search and overview on PostgreSQL: its own full-text search
    (GIN-indexed tsvector) instead of SQLite's FTS5, and integer sums that come back as numeric."""
    from scriptsensei_cli.engine.config import EngineConfig
    from scriptsensei_cli.engine.server import EngineServer

    metrics = SAMPLES / "analytics" / "tiktok-overview.csv"
    config = EngineConfig(data_dir=tmp_path, database_url=postgres_url, signup_open=True)
    with EngineServer(config) as server, ScriptSensei(server.url) as anonymous:
        pair = anonymous.auth.register("pg@example.com", "password-1234")
        with ScriptSensei(server.url, token=pair.access_token) as api:
            assert api.trends.import_file(SAMPLE).inserted == 790
            assert api.trends.import_file(SAMPLE).updated == 790
            found = [(t.topic, t.platform) for t in api.trends.search("skin").trends]
            assert [topic for topic, _ in found[:2]] == ["Skincare routine", "Winter skincare"]
            listed = api.trends.current(time_range="7d", limit=3).trends
            assert listed[0].topic == "Glow serum" and listed[0].hotness == "viral"
            assert api.trends.predict(PredictRequest(topic="AI in healthcare")).status == "ok"
            first = api.analytics.import_file(metrics)
            again = api.analytics.import_file(metrics)
            assert (first.inserted, again.inserted, again.updated) == (28, 0, 28)
            overview = api.analytics.overview("7d").overview
            assert overview.total_views > 0 and overview.views_change is not None
            assert len(b"".join(api.analytics.export("all")).splitlines()) == 29
