"""The analytics and trends importers on any input: they import it or raise the engine's Invalid
(an EngineError, which the API answers as 400), never anything else; and they read as they go."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scriptsensei_cli.engine.analytics import importer as analytics
from scriptsensei_cli.engine.analytics.ingest import MAX_LINE_CHARS
from scriptsensei_cli.engine.errors import EngineError
from scriptsensei_cli.engine.services.users import create_user
from scriptsensei_cli.engine.store.db import Database
from scriptsensei_cli.engine.trends import importer as trends

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
TODAY = date(2024, 7, 1)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, str]]:
    database = Database(f"sqlite:///{tmp_path_factory.mktemp('db') / 'db.sqlite'}")
    database.migrate()
    user = create_user(database, "fuzz@example.com", "correct-horse-battery")
    try:
        yield database, user.id
    finally:
        database.dispose()


def _import_both(db: tuple[Database, str], path: Path) -> None:
    """Both importers on `path`: each may import it or raise EngineError; nothing else escapes."""
    database, user_id = db
    for run in (
        lambda: analytics.import_file(database, user_id, path, path.name, today=TODAY),
        lambda: trends.import_file(database, user_id, path, path.name, TODAY),
    ):
        try:
            run()
        except EngineError as exc:
            assert str(exc)


@FUZZ
@given(data=st.binary(max_size=800))
def test_any_bytes_import_or_raise_invalid(db: tuple[Database, str], tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "upload.csv"
    path.write_bytes(data)
    _import_both(db, path)


CELL = st.one_of(
    st.sampled_from(
        [
            "date",
            "views",
            "platform",
            "topic",
            "2024-06-03",
            "June 3",
            "tiktok",
            "youtube",
            "1,234",
            "1.2K",
            "4.5%",
            "0:03:12",
            "03/04/2024",
            "",
            "-",
            "global",
            "US",
            "#tag",
            "Video title",
            "likes",
        ]
    ),
    st.text(alphabet='ab1,;\t"\n\r%:./-éü\x00{[', max_size=10),
)


@FUZZ
@given(table=st.lists(st.lists(CELL, min_size=1, max_size=6), max_size=8), delimiter=st.sampled_from(",;\t"))
def test_any_table_imports_or_raises_invalid(
    db: tuple[Database, str], tmp_path: Path, table: list[list[str]], delimiter: str
) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(table)
    path = tmp_path / "upload.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    _import_both(db, path)


@FUZZ
@given(text=st.text(alphabet='[]{}",:0123456789abtrue nl\n', max_size=200))
def test_any_json_imports_or_raises_invalid(db: tuple[Database, str], tmp_path: Path, text: str) -> None:
    path = tmp_path / "trends.json"
    path.write_text(text, encoding="utf-8")
    _import_both(db, path)


def test_deeply_nested_json_is_refused_as_invalid(db: tuple[Database, str], tmp_path: Path) -> None:
    database, user_id = db
    for text in ("[" * 100_000, '{"a":' * 100_000):
        path = tmp_path / "trends.json"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(EngineError, match="not valid JSON"):
            trends.import_file(database, user_id, path, "trends.json", TODAY)


def test_a_line_past_the_limit_is_refused_as_it_is_read(db: tuple[Database, str], tmp_path: Path) -> None:
    """A zip member that inflates to one endless line is refused at MAX_LINE_CHARS, not held whole."""
    database, user_id = db
    path = tmp_path / "studio.zip"
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("Chart data.csv", "w") as member,
    ):
        member.write(b"Date,Content,Views\n")
        for _ in range(64):  # 64 MB of one line; a few hundred KB compressed
            member.write(b"1" * (1024 * 1024))
    with pytest.raises(EngineError, match=f"line 2 is longer than {MAX_LINE_CHARS:,} characters"):
        analytics.import_file(database, user_id, path, "studio.zip", today=TODAY)
    csv_path = tmp_path / "trends.csv"
    csv_path.write_bytes(b"date,platform,topic,views\n" + b"x" * (MAX_LINE_CHARS + 10))
    with pytest.raises(EngineError, match="line 2 is longer"):
        trends.import_file(database, user_id, csv_path, "trends.csv", TODAY)
    big = tmp_path / "big.json"
    big.write_text("[" + " " * trends.MAX_JSON_CHARS + "]", encoding="utf-8")
    with pytest.raises(EngineError, match="JSON array of more than 32 MB"):
        trends.import_file(database, user_id, big, "big.json", TODAY)
