"""Full-text search over trend topics: topic (weighted most), hashtags, then category.

Each word of the query must match the start of a word (`skin` finds "skincare"). SQLite ranks with
FTS5's bm25; PostgreSQL with ts_rank over the same weighted document its GIN index covers; a
SQLite built without FTS5 falls back to LIKE with the same weights, counted in Python.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    String,
    and_,
    bindparam,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session

from ..errors import Invalid
from ..store.models import TrendTopic as T

MAX_TERMS = 8
# The same expression as the GIN index in migration 0005.
PG_DOCUMENT = (
    "setweight(to_tsvector('simple', coalesce(trend_topics.topic, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(trend_topics.hashtags, '')), 'B') || "
    "setweight(to_tsvector('simple', coalesce(trend_topics.category, '')), 'C')"
)
WEIGHTS = {"topic": 10.0, "hashtags": 5.0, "category": 1.0}
Where = list[ColumnElement[bool]]


def terms(query: str) -> list[str]:
    words = re.findall(r"\w+", query.casefold())[:MAX_TERMS]
    if not words:
        raise Invalid("the search query has no words", field="q")
    return words


def search(session: Session, user_id: str, query: str, platform: str | None, limit: int) -> list[str]:
    """Ids of the user's matching topics, best match first."""
    words = terms(query)
    where = [T.user_id == user_id, *([T.platform == platform] if platform else [])]
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return _postgres(session, words, where, limit)
    if dialect == "sqlite" and _has_fts(session):
        return _fts5(session, words, where, limit)
    return _like(session, words, where, limit)


def _postgres(session: Session, words: list[str], where: Where, limit: int) -> list[str]:
    document: ColumnElement[Any] = literal_column(PG_DOCUMENT)
    query = func.to_tsquery("simple", bindparam("tsquery", " & ".join(f"{word}:*" for word in words), String))
    rank = func.ts_rank(document, query, type_=Float)
    statement = select(T.id).where(*where, document.op("@@")(query)).order_by(rank.desc(), T.id).limit(limit)
    return list(session.scalars(statement))


def _has_fts(session: Session) -> bool:
    found = session.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'trend_topics_fts'")).first()
    return found is not None


def _fts5(session: Session, words: list[str], where: Where, limit: int) -> list[str]:
    # Each word is a quoted prefix query, so nothing in it is read as FTS5 syntax.
    match = " ".join(f'"{word}"*' for word in words)
    weights = ", ".join(str(weight) for weight in WEIGHTS.values())
    ranked = (
        select(
            column("rowid").label("topic_rowid"),
            literal_column(f"bm25(trend_topics_fts, {weights})").label("rank"),
        )
        .select_from(table("trend_topics_fts"))
        .where(literal_column("trend_topics_fts").op("MATCH")(bindparam("match", match)))
        .subquery("fts")
    )
    statement = (
        select(T.id)
        .join(ranked, ranked.c.topic_rowid == literal_column("trend_topics.rowid"))
        .where(*where)
        .order_by(ranked.c.rank, T.id)
        .limit(limit)
    )
    return list(session.scalars(statement))


def _like(session: Session, words: list[str], where: Where, limit: int) -> list[str]:
    fields = {"topic": T.topic, "hashtags": T.hashtags, "category": T.category}

    def contains(word: str) -> str:
        return "%" + word.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + "%"

    matches_all = and_(
        *(or_(*(field.ilike(contains(word), escape="\\") for field in fields.values())) for word in words)
    )
    rows = session.execute(select(T.id, T.topic, T.hashtags, T.category).where(*where, matches_all)).all()

    def rank(row: tuple[str, str, str, str]) -> float:
        texts = dict(zip(WEIGHTS, row[1:], strict=True))
        return sum(
            WEIGHTS[name]
            for word in words
            for name, value in texts.items()
            if re.search(rf"\b{re.escape(word)}", value.casefold())
        )

    return [row[0] for row in sorted(rows, key=lambda row: (-rank(row), row[0]))][:limit]
