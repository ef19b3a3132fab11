"""Optional collectors from official APIs, enabled by a key: YouTube Data API's most-popular chart.

`SCRIPTSENSEI_YOUTUBE_API_KEY` enables it (`SCRIPTSENSEI_YOUTUBE_API_URL` points it elsewhere,
e.g. at a test double). Each chart video becomes a topic (its title; its tags as hashtags; its
category), observed today. The chart gives lifetime view counts, so the day's views are derived:
the gain since the previous collection, per day; on first sight, the average per day since it was
published. The lifetime count is stored to make the next day's difference.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...contract.trends import CollectRequest, TrendImportResult
from ..config import live_env
from ..errors import Conflict, UpstreamFailed
from ..outbound import USER_AGENT
from ..store.db import Database
from ..store.models import TrendObservation as O
from .store import TopicWriter

YOUTUBE_API_URL = "https://www.googleapis.com/youtube/v3"
KEY_ENV = "SCRIPTSENSEI_YOUTUBE_API_KEY"
URL_ENV = "SCRIPTSENSEI_YOUTUBE_API_URL"
TIMEOUT = httpx.Timeout(20.0, connect=5.0)
MAX_TAGS = 5
UPSTREAM = "UPSTREAM_ERROR"


def youtube_key() -> str:
    key = live_env().get(KEY_ENV, "").strip()
    if not key:
        raise Conflict(
            f"the YouTube collector needs an API key: set {KEY_ENV} where the engine runs",
            code="COLLECTOR_NOT_CONFIGURED",
        )
    return key


def collect(
    db: Database, user_id: str, request: CollectRequest, today: date, client: httpx.Client | None = None
) -> TrendImportResult:
    key = youtube_key()
    base = live_env().get(URL_ENV, YOUTUBE_API_URL).rstrip("/")
    region = request.region.upper()
    # The key travels in a header, not in the URL, so no request log or error message can show it.
    with client or httpx.Client(timeout=TIMEOUT) as http:
        http.headers["X-Goog-Api-Key"] = key
        http.headers["User-Agent"] = USER_AGENT
        categories = _get(http, f"{base}/videoCategories", {"part": "snippet", "regionCode": region})
        names = {item["id"]: item["snippet"]["title"].lower() for item in categories.get("items", [])}
        chart = _get(
            http,
            f"{base}/videos",
            {
                "part": "snippet,statistics",
                "chart": "mostPopular",
                "regionCode": region,
                "maxResults": request.limit,
            },
        )
    with db.session() as session:
        writer = TopicWriter(session, user_id)
        for item in chart.get("items", []):
            snippet, statistics = item.get("snippet", {}), item.get("statistics", {})
            if "viewCount" not in statistics or not snippet.get("title"):
                continue
            lifetime = int(statistics["viewCount"])
            topic = writer.topic(
                "youtube",
                region,
                " ".join(snippet["title"].split())[:200],
                names.get(snippet.get("categoryId", ""), ""),
                [_tag(tag) for tag in snippet.get("tags", [])[:MAX_TAGS] if _tag(tag)],
            )
            session.flush()
            interactions = int(statistics.get("likeCount", 0)) + int(statistics.get("commentCount", 0))
            writer.observe(
                topic,
                today,
                _daily_views(session, topic.id, lifetime, snippet.get("publishedAt"), today),
                "youtube_api",
                engagement=round(interactions / lifetime * 100, 2) if lifetime else None,
                cumulative_views=lifetime,
            )
        return writer.result([])


def _get(http: httpx.Client, url: str, params: dict[str, Any]) -> dict[str, Any]:
    try:
        response = http.get(url, params=params)
    except httpx.HTTPError as exc:
        raise UpstreamFailed(f"YouTube Data API unreachable: {type(exc).__name__}", code=UPSTREAM) from exc
    if response.status_code != 200:
        # Google's own message says what is wrong (quota, a key not valid) and does not hold the key.
        try:
            reason = response.json()["error"]["message"]
        except (ValueError, KeyError, TypeError):
            reason = response.reason_phrase
        raise UpstreamFailed(f"YouTube Data API answered {response.status_code}: {reason}", code=UPSTREAM)
    body: dict[str, Any] = response.json()
    return body


def _tag(tag: str) -> str:
    return re.sub(r"[^\w]", "", tag)[:60]


def _daily_views(session: Session, topic_id: str, lifetime: int, published: str | None, today: date) -> int:
    previous = session.execute(
        select(O.date, O.cumulative_views)
        .where(O.topic_id == topic_id, O.cumulative_views.is_not(None), O.date < today)
        .order_by(O.date.desc())
        .limit(1)
    ).first()
    if previous is not None and previous.cumulative_views is not None:
        gained = max(0, lifetime - previous.cumulative_views)
        return int(gained // max(1, (today - previous.date).days))
    if published:
        published_day = datetime.fromisoformat(published.replace("Z", "+00:00")).date()
        return lifetime // max(1, (today - published_day).days)
    return lifetime
