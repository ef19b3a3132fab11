"""The database handle: one SQLAlchemy engine per process, migrated to head before first use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Result, Select, create_engine, event, func, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# The newest revision under migrations/versions (a test keeps the two equal). Knowing it here lets
# a start-up against an up-to-date database skip importing Alembic altogether.
HEAD_REVISION = "0010"


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends cleanly, rolled back otherwise."""
        with self.sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def migrate(self) -> str | None:
        """Bring the schema to head; return the revision it was at (None for a new database)."""
        current = self.current_revision()
        if current != HEAD_REVISION:
            run_alembic_upgrade(self.engine)
        return current

    def current_revision(self) -> str | None:
        with self.engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
            return str(row[0]) if row else None

    def dispose(self) -> None:
        self.engine.dispose()


def page_of(
    session: Session, query: Select[*tuple[Any, ...]], *, page: int, limit: int
) -> tuple[Result[*tuple[Any, ...]], int]:
    """One page of `query` (ordered by the caller), and how many rows the whole query matches."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    return session.execute(query.offset((page - 1) * limit).limit(limit)), total


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def alembic_config(engine: Engine | None = None) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def run_alembic_upgrade(engine: Engine) -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), "head")
