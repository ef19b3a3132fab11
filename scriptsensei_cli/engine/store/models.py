"""Tables. Every user-visible row carries `user_id`: ownership is part of the schema, not an afterthought."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from ...contract.media import MediaSource, MediaType
from ...contract.videos import JobStatus
from ...contract.vocabulary import Platform, Tone


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:24]}"


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite forgets the zone on the way back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        list[str]: JSON,
        list[dict[str, Any]]: JSON,
        datetime: UTCDateTime,
    }


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("usr"))
    email: Mapped[str] = mapped_column(String(320), unique=True, index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    # Set by an administrator (ss users disable): no login, and every token of the account is refused.
    disabled_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuthSession(Base):
    """One login: its access tokens carry its id (`sid`) and work while it is not revoked."""

    __tablename__ = "auth_sessions"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("ses"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    revoked_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RefreshToken(Base):
    __tablename__ = "refresh_tokens"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("rft"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The login this token belongs to; a rotation keeps it. None for tokens issued before 0008.
    session_id: Mapped[str | None] = mapped_column(
        ForeignKey("auth_sessions.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("tok"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime | None] = mapped_column()
    last_used_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Script(Base):
    __tablename__ = "scripts"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("scr"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    topic: Mapped[str] = mapped_column(String(300))
    content: Mapped[str] = mapped_column(Text)
    sections: Mapped[dict[str, Any]] = mapped_column(JSON)
    hashtags: Mapped[list[str]] = mapped_column(JSON)
    platform: Mapped[Platform] = mapped_column(String(32), index=True)
    language: Mapped[str] = mapped_column(String(16), index=True)
    tone: Mapped[Tone] = mapped_column(String(32))
    duration: Mapped[int] = mapped_column(Integer)
    scores: Mapped[dict[str, Any]] = mapped_column(JSON)
    provider: Mapped[str] = mapped_column(String(64))
    model: Mapped[str | None] = mapped_column(String(128))
    # LLM scripts: tokens in and out, cost estimate, cache hit, providers that failed first.
    generation: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    translated_from: Mapped[str | None] = mapped_column(String(40))
    template_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class IdempotencyRecord(Base):
    """The first response to a mutating request, replayed for any repeat with the same key."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotency_user_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Video(Base):
    """A video and where its files are; its render state lives on its current job."""

    __tablename__ = "videos"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("vid"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    job_id: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(300))
    script_id: Mapped[str | None] = mapped_column(String(40))
    platform: Mapped[str] = mapped_column(String(32), index=True)
    aspect_ratio: Mapped[str] = mapped_column(String(8))
    quality: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(16))
    voice: Mapped[str] = mapped_column(String(64))
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)  # everything the renderer needs, as submitted
    scenes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    output_dir: Mapped[str] = mapped_column(String(1024))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    duration: Mapped[float | None] = mapped_column()
    encoder: Mapped[str | None] = mapped_column(String(32))
    sha256: Mapped[str | None] = mapped_column(String(64))
    # Bulk rows: the batch, the row's content key (a rerun finds the same video), its place and name.
    bulk_id: Mapped[str | None] = mapped_column(String(40), index=True)
    row_key: Mapped[str | None] = mapped_column(String(64))
    row_number: Mapped[int | None] = mapped_column(Integer)
    output_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (UniqueConstraint("user_id", "row_key", name="uq_videos_user_row_key"),)


class BulkJob(Base):
    """A batch of videos from one sheet; its state is derived from its videos' jobs."""

    __tablename__ = "bulk_jobs"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_bulk_user_key"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("blk"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Job(Base):
    """The job ledger (DESIGN.md §6): the truth about a render; the queue only carries its id."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("job"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="video")
    video_id: Mapped[str] = mapped_column(String(40), index=True)
    status: Mapped[JobStatus] = mapped_column(String(16), index=True, default="pending")
    progress: Mapped[float] = mapped_column(default=0.0)
    stage: Mapped[str | None] = mapped_column(String(32))
    message: Mapped[str | None] = mapped_column(String(500))
    seq: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str | None] = mapped_column(String(100))
    lease_expires_at: Mapped[datetime | None] = mapped_column(index=True)
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()


class MediaItem(Base):
    """A user's image or video clip: uploaded, generated, or fetched from a stock provider."""

    __tablename__ = "media"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("med"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[MediaType] = mapped_column(String(8), index=True)
    source: Mapped[MediaSource] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(300))  # the uploader's file name, for display only
    path: Mapped[str] = mapped_column(String(1024))  # stored under a generated name
    mime_type: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    duration: Mapped[float | None] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    thumbnail_path: Mapped[str | None] = mapped_column(String(1024))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # author, licence, prompt, style
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class VisualUse(Base):
    """How often a library or stock file has been shown in a user's videos: scene pictures prefer the
    least used of the files that match, so a batch on one subject spreads over what the library holds."""

    __tablename__ = "visual_uses"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(300), primary_key=True)  # "local:…", "pexels:123"…
    uses: Mapped[int] = mapped_column(Integer, default=0)
    last_used_at: Mapped[datetime] = mapped_column(default=utcnow)


class CustomVoice(Base):
    """A user's own voice: a base voice rendered at a measured pitch and pace, or a provider's clone."""

    __tablename__ = "custom_voices"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("vc"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(String(500))
    method: Mapped[str] = mapped_column(String(16))  # voice_match | provider name
    base_voice: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(16))
    gender: Mapped[str] = mapped_column(String(16))
    pitch_semitones: Mapped[float] = mapped_column(default=0.0)
    rate: Mapped[float] = mapped_column(default=1.0)
    measured: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the sample's pitch and pace
    provider_voice_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AnalyticsMetric(Base):
    """A platform's numbers for one video (or, with an empty `content_id`, the whole account) over one
    day, or over a period for exports that only carry period totals (YouTube Studio's table)."""

    __tablename__ = "analytics_metrics"
    __table_args__ = (
        # Re-imports upsert on this key, so the same day is never counted twice.
        UniqueConstraint(
            "user_id", "platform", "content_id", "start_date", "end_date", name="uq_analytics_metric"
        ),
        # Range scans, and the export's order, straight from the index.
        Index("ix_analytics_metrics_range", "user_id", "start_date", "platform", "content_id", "end_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    content_id: Mapped[str] = mapped_column(String(200), default="")
    start_date: Mapped[date] = mapped_column()
    end_date: Mapped[date] = mapped_column()
    video_id: Mapped[str | None] = mapped_column(String(40), index=True)  # ours, when linked
    title: Mapped[str | None] = mapped_column(String(300))
    views: Mapped[int | None] = mapped_column(BigInteger)
    likes: Mapped[int | None] = mapped_column(BigInteger)
    comments: Mapped[int | None] = mapped_column(BigInteger)
    shares: Mapped[int | None] = mapped_column(BigInteger)
    watch_time_hours: Mapped[float | None] = mapped_column()
    subscribers: Mapped[int | None] = mapped_column(BigInteger)
    impressions: Mapped[int | None] = mapped_column(BigInteger)
    impressions_ctr: Mapped[float | None] = mapped_column()
    profile_views: Mapped[int | None] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(24))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class TrendTopic(Base):
    """A topic trending on one platform in one region; its daily numbers are `TrendObservation`s."""

    __tablename__ = "trend_topics"
    __table_args__ = (UniqueConstraint("user_id", "platform", "region", "topic_key", name="uq_trend_topic"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("trd"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    region: Mapped[str] = mapped_column(String(16))
    topic: Mapped[str] = mapped_column(String(200))
    topic_key: Mapped[str] = mapped_column(String(200))  # casefolded, spaces collapsed
    category: Mapped[str] = mapped_column(String(64), default="")
    hashtags: Mapped[str] = mapped_column(String(500), default="")  # space-separated, primary first
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class TrendObservation(Base):
    __tablename__ = "trend_observations"
    __table_args__ = (UniqueConstraint("topic_id", "date", name="uq_trend_observation"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    topic_id: Mapped[str] = mapped_column(ForeignKey("trend_topics.id", ondelete="CASCADE"))
    date: Mapped[date] = mapped_column()
    views: Mapped[int] = mapped_column(BigInteger)
    posts: Mapped[int | None] = mapped_column(BigInteger)
    engagement: Mapped[float | None] = mapped_column()  # percent
    # Collectors that see lifetime counts (YouTube's chart) keep them to derive the next day's views.
    cumulative_views: Mapped[int | None] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(16))
