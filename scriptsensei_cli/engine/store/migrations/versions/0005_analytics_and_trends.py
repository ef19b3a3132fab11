"""analytics metrics, trend topics and observations, trend search index

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 09:00:00

Search: on SQLite an FTS5 table over trend_topics kept in step by triggers (skipped on a build
without FTS5; search then falls back to LIKE); on PostgreSQL a GIN index on the same tsvector
expression the search query uses.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Must match engine/trends/search.py, or PostgreSQL will not use the index.
PG_DOCUMENT = (
    "setweight(to_tsvector('simple', coalesce(topic, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(hashtags, '')), 'B') || "
    "setweight(to_tsvector('simple', coalesce(category, '')), 'C')"
)

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE trend_topics_fts USING fts5("
    "topic, hashtags, category, content='trend_topics', content_rowid='rowid', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER trend_topics_fts_ai AFTER INSERT ON trend_topics BEGIN "
    "INSERT INTO trend_topics_fts(rowid, topic, hashtags, category) "
    "VALUES (new.rowid, new.topic, new.hashtags, new.category); END",
    "CREATE TRIGGER trend_topics_fts_ad AFTER DELETE ON trend_topics BEGIN "
    "INSERT INTO trend_topics_fts(trend_topics_fts, rowid, topic, hashtags, category) "
    "VALUES ('delete', old.rowid, old.topic, old.hashtags, old.category); END",
    "CREATE TRIGGER trend_topics_fts_au AFTER UPDATE ON trend_topics BEGIN "
    "INSERT INTO trend_topics_fts(trend_topics_fts, rowid, topic, hashtags, category) "
    "VALUES ('delete', old.rowid, old.topic, old.hashtags, old.category); "
    "INSERT INTO trend_topics_fts(rowid, topic, hashtags, category) "
    "VALUES (new.rowid, new.topic, new.hashtags, new.category); END",
]


def upgrade() -> None:
    op.create_table(
        "analytics_metrics",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.String(length=40), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("content_id", sa.String(length=200), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("video_id", sa.String(length=40), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("views", sa.BigInteger(), nullable=True),
        sa.Column("likes", sa.BigInteger(), nullable=True),
        sa.Column("comments", sa.BigInteger(), nullable=True),
        sa.Column("shares", sa.BigInteger(), nullable=True),
        sa.Column("watch_time_hours", sa.Float(), nullable=True),
        sa.Column("subscribers", sa.BigInteger(), nullable=True),
        sa.Column("impressions", sa.BigInteger(), nullable=True),
        sa.Column("impressions_ctr", sa.Float(), nullable=True),
        sa.Column("profile_views", sa.BigInteger(), nullable=True),
        sa.Column("source", sa.String(length=24), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "user_id", "platform", "content_id", "start_date", "end_date", name="uq_analytics_metric"
        ),
    )
    with op.batch_alter_table("analytics_metrics", schema=None) as batch_op:
        batch_op.create_index(
            "ix_analytics_metrics_range",
            ["user_id", "start_date", "platform", "content_id", "end_date"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_analytics_metrics_video_id"), ["video_id"], unique=False)

    op.create_table(
        "trend_topics",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.String(length=40), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("region", sa.String(length=16), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("topic_key", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("hashtags", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "platform", "region", "topic_key", name="uq_trend_topic"),
    )
    with op.batch_alter_table("trend_topics", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trend_topics_user_id"), ["user_id"], unique=False)

    op.create_table(
        "trend_observations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("topic_id", sa.String(length=40), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("views", sa.BigInteger(), nullable=False),
        sa.Column("posts", sa.BigInteger(), nullable=True),
        sa.Column("engagement", sa.Float(), nullable=True),
        sa.Column("cumulative_views", sa.BigInteger(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["topic_id"], ["trend_topics.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("topic_id", "date", name="uq_trend_observation"),
    )

    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(f"CREATE INDEX ix_trend_topics_search ON trend_topics USING gin (({PG_DOCUMENT}))")
    elif dialect == "sqlite" and _sqlite_has_fts5():
        for statement in SQLITE_FTS:
            op.execute(statement)


def _sqlite_has_fts5() -> bool:
    options = {row[0] for row in op.get_bind().exec_driver_sql("PRAGMA compile_options")}
    return "ENABLE_FTS5" in options


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_trend_topics_search")
    elif dialect == "sqlite":
        for name in ("trend_topics_fts_ai", "trend_topics_fts_ad", "trend_topics_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS trend_topics_fts")
    op.drop_table("trend_observations")
    with op.batch_alter_table("trend_topics", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trend_topics_user_id"))
    op.drop_table("trend_topics")
    with op.batch_alter_table("analytics_metrics", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_analytics_metrics_video_id"))
        batch_op.drop_index("ix_analytics_metrics_range")
    op.drop_table("analytics_metrics")
