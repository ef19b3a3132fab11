"""Reading and validating bulk sheets: encodings, delimiters, row numbers, every problem in one pass."""

from __future__ import annotations

import ast
import codecs
import contextlib
import csv
import dataclasses
import io
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import get_args

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scriptsensei_cli.batch as bulk
from scriptsensei_cli.batch import (
    KNOWN_COLUMNS,
    Defaults,
    Facts,
    Problem,
    Sheet,
    SheetError,
    read_sheet,
    safe_name,
    validate,
)
from scriptsensei_cli.contract import PLATFORMS
from scriptsensei_cli.contract.media import FileUse
from scriptsensei_cli.contract.scripts import Tone
from scriptsensei_cli.contract.vocabulary import AspectRatio, CaptionStyleName, QualityName

FACTS = Facts(
    platforms={name: spec.max_duration for name, spec in PLATFORMS.items()},
    aspect_ratios=get_args(AspectRatio),
    caption_styles=get_args(CaptionStyleName),
    qualities=get_args(QualityName),
    tones=get_args(Tone),
    voices={"en-us-joe": "en-US", "en-us-joe-calm": "en-US", "es-es-ana": "es-ES"},
    templates=["listicle", "product_launch"],
)
SCRIPT = "Two drops at night and brighter skin by the weekend. Get yours today."
# The examples of one test share its tmp_path (and conftest's autouse environment); each example
# overwrites the one file it reads, so that is harmless.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF"  # what a file's first bytes must be for the content check
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def messages(problems: list[Problem]) -> list[str]:
    return [problem.message for problem in problems]


# -- Encodings ----------------------------------------------------------------------------------------

TABLE = "title,script\nCafé crème,Ünïcödé narration ✓\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TABLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TABLE.encode("utf-8"), "utf-8-sig"),
        (TABLE.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + TABLE.encode("utf-16-be"), "utf-16"),
        (TABLE.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "crlf"],
)
def test_encodings_read_the_same(tmp_path: Path, data: bytes, encoding: str) -> None:
    sheet = read_sheet(write(tmp_path, "videos.csv", data))
    assert sheet.encoding == encoding
    assert sheet.columns == ["title", "script"]  # no BOM left on the first name
    assert sheet.rows == [{"title": "Café crème", "script": "Ünïcödé narration ✓"}]
    assert sheet.row_numbers == [2]


def test_windows_1252_is_refused_with_a_hint(tmp_path: Path) -> None:
    path = write(tmp_path, "videos.csv", "title,script\nOK,fine\nCafé,crème\n".encode("cp1252"))
    with pytest.raises(SheetError) as caught:
        read_sheet(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: not UTF-8")
    assert "byte 0xE9 at offset 24 (line 3)" in message
    assert "Windows-1252" in message and "UTF-8" in message
    assert caught.value.path == path


def test_bytes_that_are_not_text_in_any_encoding_get_the_plain_hint(tmp_path: Path) -> None:
    with pytest.raises(SheetError, match="not UTF-8") as caught:
        read_sheet(write(tmp_path, "videos.csv", b"title,script\nx,\x81\x8d\x07\n"))
    assert "Windows-1252" not in str(caught.value)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel workbook"),
        ("title,script\n".encode("utf-16-le"), "UTF-16 text without a byte-order mark"),
        (b"title,script\n" + b"a,b\n" * 3000 + b"c,\x00\n", "binary file"),  # a NUL past the first 8 KB
        (codecs.BOM_UTF32_LE + "title\n".encode("utf-32-le"), "UTF-32"),
        (b"", "empty"),
        (b"\n \n\r\n", "empty"),
        (b"title,script\n", "no rows"),
        (b"title,script\n,\n\n", "no rows"),
        (b"title,script,Title,script\nx,y,z,w\n", "'script'"),
    ],
    ids=[
        "png",
        "xlsx-renamed",
        "utf-16-no-bom",
        "late-nul",
        "utf-32",
        "empty",
        "blank",
        "header",
        "blank-rows",
        "dup",
    ],
)
def test_unreadable_files(tmp_path: Path, data: bytes, expected: str) -> None:
    with pytest.raises(SheetError, match=expected):
        read_sheet(write(tmp_path, "videos.csv", data))


def test_excel_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(SheetError, match=r"cannot read the workbook"):
        read_sheet(write(tmp_path, "videos.xlsx", b"PK\x03\x04"))
    with pytest.raises(SheetError, match=r"\.xls workbooks are not read.*CSV"):
        read_sheet(write(tmp_path, "videos.xls", b"\xd0\xcf\x11\xe0"))
    with pytest.raises(SheetError, match="cannot read the file"):
        read_sheet(tmp_path / "missing.csv")
    with pytest.raises(SheetError, match="cannot read the file"):
        read_sheet(tmp_path)


def test_file_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk.reader, "MAX_FILE_BYTES", 1024 * 1024)
    with pytest.raises(SheetError, match="the file is 2 MB; at most 1 MB"):
        read_sheet(write(tmp_path, "videos.csv", "title\n" + "x" * 2 * 1024 * 1024))


def test_max_rows(tmp_path: Path) -> None:
    path = write(tmp_path, "videos.csv", "title\n" + "x\n" * 6)
    assert len(read_sheet(path, max_rows=6).rows) == 6
    with pytest.raises(SheetError, match="more than 5 rows") as caught:
        read_sheet(path, max_rows=5)
    assert caught.value.row == 7


# -- Delimiters, quoting, row numbers -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("semicolon.csv", 'title;script;price\nSale;"Now 3,50 €; really";3,50\n'),
        ("tab.csv", "title\tscript\tprice\nSale\tNow 3,50 €; really\t3,50\n"),
        ("suffix.tsv", "title\tscript\tprice\nSale\tNow 3,50 €; really\t3,50\n"),
        ("comma.csv", 'title,script,price\nSale,"Now 3,50 €; really","3,50"\n'),
        ("one-line.csv", 'title;script;price\nSale;Now 3,50 €, really;"3,50"\n'),
    ],
)
def test_delimiters(tmp_path: Path, name: str, text: str) -> None:
    sheet = read_sheet(write(tmp_path, name, text))
    assert sheet.columns == ["title", "script", "price"]
    assert sheet.rows[0]["price"] == "3,50"
    assert sheet.format == ("tsv" if name.endswith(".tsv") else "csv")


def test_quoted_newlines_and_record_numbers(tmp_path: Path) -> None:
    text = (
        "title,script\n"
        'First,"Line one,\nline two\n\nline four"\n'
        "\n"  # a blank row: skipped, but it keeps its number as in a spreadsheet
        'Second,"He said ""hi"""\n'
        ",\n"
        "Third,plain\n"
    )
    sheet = read_sheet(write(tmp_path, "videos.csv", text))
    assert [row["title"] for row in sheet.rows] == ["First", "Second", "Third"]
    assert sheet.rows[0]["script"] == "Line one,\nline two\n\nline four"
    assert sheet.rows[1]["script"] == 'He said "hi"'
    assert sheet.row_numbers == [2, 4, 6]


def test_ragged_rows_are_kept_for_validation(tmp_path: Path) -> None:
    text = "title,script,,\nA,one,,\nB,two,oops,3,\nC\n"
    sheet = read_sheet(write(tmp_path, "videos.csv", text))
    assert sheet.columns == ["title", "script"]  # trailing unnamed columns, as Excel pads them
    assert sheet.rows[2] == {"title": "C", "script": ""}
    assert sheet.extra_cells == {3: 2}
    _, problems = validate(sheet, Defaults(), FACTS)
    assert [(p.row, p.column) for p in problems] == [(3, None), (4, "script")]
    assert "2 cells beyond the last column" in problems[0].message


def test_an_unclosed_quote_is_reported_not_swallowed(tmp_path: Path) -> None:
    text = 'title,script\nA,fine\nB,"never closed\nC,three\nD,four\n'
    with pytest.raises(SheetError, match=r"row 3 \(line 3\) opens a quoted cell that never closes"):
        read_sheet(write(tmp_path, "videos.csv", text))
    # A quote inside an unquoted cell is just a character.
    sheet = read_sheet(write(tmp_path, "ok.csv", 'title,script\nA,a 5" screen\n'))
    assert sheet.rows[0]["script"] == 'a 5" screen'


# -- JSON Lines ---------------------------------------------------------------------------------------


def test_jsonl(tmp_path: Path) -> None:
    lines = [
        json.dumps({"title": "A", "script": SCRIPT, "duration": 30.0, "price": 2.5}),
        "",
        json.dumps({"title": "B", "topic": "sleep habits", "media": ["a.jpg", "b.jpg"], "flag": True}),
        json.dumps({"title": "C", "script": None, "topic": "x y z", "n": 7, "meta": {"k": "ü"}}),
    ]
    sheet = read_sheet(write(tmp_path, "videos.ndjson", "\r\n".join(lines) + "\n"))
    assert sheet.format == "jsonl"
    assert sheet.columns == ["title", "script", "duration", "price", "topic", "media", "flag", "n", "meta"]
    assert sheet.row_numbers == [1, 3, 4]
    assert sheet.rows[0]["duration"] == "30" and sheet.rows[0]["price"] == "2.5"
    assert sheet.rows[1]["media"] == "a.jpg|b.jpg" and sheet.rows[1]["flag"] == "true"
    assert sheet.rows[1]["script"] == ""
    assert sheet.rows[2]["script"] == "" and sheet.rows[2]["n"] == "7"
    assert sheet.rows[2]["meta"] == '{"k": "ü"}'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"title": "A"}\n{"title": "B",\n', "line 2 is not valid JSON"),
        ('{"title": "A"}\n\n["title"]\n', "line 3 is a JSON array, not an object"),
        ('{"title": "A", "title ": "B"}\n', "line 1 has these keys more than once: 'title'"),
        ('{"title": "A"}\n' + "[" * 100_000 + "\n", "line 2 is not valid JSON"),
        ("\n{}\n", "no rows"),
    ],
)
def test_bad_jsonl(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(SheetError, match=expected.replace("[", r"\[")):
        read_sheet(write(tmp_path, "videos.jsonl", text))


# -- Validation ---------------------------------------------------------------------------------------


def sheet_of(tmp_path: Path, rows: list[list[str]], name: str = "videos.csv") -> Sheet:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return read_sheet(write(tmp_path, name, buffer.getvalue()))


def test_every_kind_of_problem_in_one_pass(tmp_path: Path) -> None:
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "a.jpg").write_bytes(JPEG)
    long_script = "word " * 500  # 200 s of narration; TikTok allows 180
    header = (
        "title script topic platform aspect_ratio language voice duration template captions quality media"
    )
    rows = [
        [*header.split(), "music", "output_name", "product_name", "Tones"],
        ["Intro", SCRIPT, "", "", "", "", "", "", "", "", "", "media/a.jpg", "", "intro", "", ""],  # 2
        ["", SCRIPT, "", "", "", "", "", "", "", "", "", "", "", "", "", ""],  # 3: no title
        ["No source", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],  # 4
        ["Platform", SCRIPT, "", "tiktk", "", "", "", "", "", "", "", "", "", "", "", ""],  # 5
        ["Aspect", SCRIPT, "", "", "2:1", "", "", "", "", "", "", "", "", "", "", ""],  # 6
        ["Captions", SCRIPT, "", "", "", "", "", "", "", "fancy", "", "", "", "", "", ""],  # 7
        ["Quality", SCRIPT, "", "", "", "", "", "", "", "", "ultra", "", "", "", "", ""],  # 8
        ["Template", "", "sleep habits", "", "", "", "", "", "nope", "", "", "", "", "", "", ""],  # 9
        ["Voice", SCRIPT, "", "", "", "", "nobody", "", "", "", "", "", "", "", "", ""],  # 10
        ["Voice language", SCRIPT, "", "", "", "es", "en-us-joe", "", "", "", "", "", "", "", "", ""],  # 11
        ["Variable", "Buy {{ missing }} now", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],  # 12
        [
            "Empty variable",
            "Buy {{product_name}} now",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        ["Duration", "", "sleep habits", "", "", "", "", "abc", "", "", "", "", "", "", "", ""],  # 14
        ["Duration range", "", "sleep habits", "", "", "", "", "500", "", "", "", "", "", "", "", ""],  # 15
        ["Too long", long_script, "", "", "", "", "", "", "", "", "", "", "", "", "", ""],  # 16
        ["Missing media", SCRIPT, "", "", "", "", "", "", "", "", "", "media/b.jpg", "", "", "", ""],  # 17
        [
            "Music id",
            SCRIPT,
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "med_abc123",
            "mus_abc123",
            "",
            "",
            "",
        ],  # 18
        ["Music", SCRIPT, "", "", "", "", "", "", "", "", "", "", "song.mp3", "", "", ""],  # 19
        ["Duplicate", SCRIPT, "", "", "", "", "", "", "", "", "", "", "", "INTRO.mp4", "", ""],  # 20
        ["Ragged", SCRIPT, "", "", "", "", "", "", "", "", "", "", "", "", "", "", "extra"],  # 21
        ["Language", SCRIPT, "", "", "", "english!", "", "", "", "", "", "", "", "", "", ""],  # 22
        [
            "Fine",
            "",
            "sleep habits",
            "youtube",
            "",
            "",
            "",
            "600",
            "listicle",
            "none",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
    ]
    sheet = sheet_of(tmp_path, rows)
    rows_planned, problems = validate(sheet, Defaults(), FACTS)
    assert [(p.row, p.column) for p in problems] == [
        (None, "Tones"),
        (2, "output_name"),
        (3, "title"),
        (4, "script"),
        (5, "platform"),
        (6, "aspect_ratio"),
        (7, "captions"),
        (8, "quality"),
        (9, "template"),
        (10, "voice"),
        (11, "voice"),
        (12, "script"),
        (13, "product_name"),
        (14, "duration"),
        (15, "duration"),
        (16, "script"),
        (17, "media"),
        (18, "music"),
        (19, "music"),
        (20, "output_name"),
        (21, None),
        (22, "language"),
    ]
    by_row = {p.row: p.message for p in problems}
    assert by_row[None] == "unknown column 'Tones': did you mean 'tone'?"
    assert by_row[2] == "output name 'intro' is also used by row 20"
    assert by_row[20] == "output name 'INTRO' is also used by row 2"
    assert by_row[5].startswith("unknown platform 'tiktk'; did you mean 'tiktok'? platforms: tiktok, ")
    assert "9:16, 16:9, 1:1, 4:5" in by_row[6]
    assert "standard, karaoke, word_highlight, none" in by_row[7]
    assert by_row[11] == "voice 'en-us-joe' speaks en-US, but the language is 'es'"
    assert by_row[12] == "{{missing}} in the script: there is no column 'missing'"
    assert by_row[13] == "{{product_name}} is used in the script, but this row's 'product_name' cell is empty"
    assert by_row[15] == "duration 500 s is not between 15 and 180 s for tiktok"
    assert by_row[16] == "the script needs about 200 s of narration; tiktok allows at most 180 s"
    assert (
        by_row[18] == "'mus_abc123': music takes a file path (the media library holds images and video clips)"
    )
    assert [row.row for row in rows_planned] == [23]
    fine = rows_planned[0]
    assert (fine.script, fine.topic, fine.duration, fine.captions, fine.template) == (
        None,
        "sleep habits",
        600,
        None,
        "listicle",
    )
    assert fine.output_name == "Fine" and fine.estimated_seconds is None


@pytest.mark.parametrize(
    ("column", "suggestion"),
    [("Titel", "title"), ("scipt", "script"), ("lang", "language"), ("AspectRatio", "aspect_ratio")],
)
def test_unknown_columns_close_to_known_ones(tmp_path: Path, column: str, suggestion: str) -> None:
    sheet = sheet_of(tmp_path, [["topic", column], ["sleep habits", "x"]])
    rows, problems = validate(sheet, Defaults(), FACTS)
    assert Problem(None, column, f"unknown column {column!r}: did you mean {suggestion!r}?") in problems
    assert all(column not in row.variables for row in rows)


def test_header_names_are_case_space_and_hyphen_tolerant(tmp_path: Path) -> None:
    sheet = sheet_of(
        tmp_path,
        [
            ["Title", "Script ", "Aspect-Ratio", "aspect ratio", "PLATFORM", "Output Name", "Titles"],
            ["Hello", SCRIPT, "1x1", "", "YouTube Shorts", "hello", "{{x}}"],
        ],
    )
    rows, problems = validate(sheet, Defaults(), FACTS)
    # "Titles" is not flagged: title already exists, so it is taken for a variable.
    assert problems == [
        Problem(
            None,
            "aspect ratio",
            "columns 'Aspect-Ratio' and 'aspect ratio' are both 'aspect_ratio'; keep one",
        )
    ]
    sheet = sheet_of(
        tmp_path,
        [["Title", "Script ", "Aspect-Ratio", "PLATFORM"], ["Hello", SCRIPT, "1x1", "YouTube Shorts"]],
    )
    rows, problems = validate(sheet, Defaults(), FACTS)
    assert problems == []
    assert (rows[0].aspect_ratio, rows[0].platform) == ("1:1", "youtube_shorts")


def test_missing_required_columns(tmp_path: Path) -> None:
    sheet = sheet_of(tmp_path, [["name", "voice"], ["x", "en-us-joe"]])
    rows, problems = validate(sheet, Defaults(), FACTS)
    assert rows == []
    assert [(p.row, p.column) for p in problems] == [(None, "script"), (None, "title")]


def test_variables_are_substituted(tmp_path: Path) -> None:
    sheet = sheet_of(
        tmp_path,
        [
            ["title", "script", "topic", "product_name", "price"],
            [
                "{{product_name}} now {{price}}",
                "Meet {{ product_name }}. Only {{Price}}!",
                "",
                "Glow Serum",
                "$19",
            ],
            ["{{product_name}} review", "", "{{product_name}} for dry skin", "Glow Serum", ""],
            ["About {{topic}}", "All about {{topic}}.", "sleep habits", "", ""],
        ],
    )
    rows, problems = validate(sheet, Defaults(), FACTS)
    assert problems == []
    assert rows[0].title == "Glow Serum now $19"
    assert rows[0].script == "Meet Glow Serum. Only $19!"
    assert rows[0].variables == {"product_name": "Glow Serum", "price": "$19"}
    assert rows[0].output_name == "Glow-Serum-now-$19"
    assert (rows[1].title, rows[1].topic, rows[1].script) == (
        "Glow Serum review",
        "Glow Serum for dry skin",
        None,
    )
    assert (rows[2].title, rows[2].script) == ("About sleep habits", "All about sleep habits.")


def test_unknown_variable_suggests_a_column(tmp_path: Path) -> None:
    sheet = sheet_of(tmp_path, [["title", "script", "product_name"], ["{{product}}", "{{product}} x", "A"]])
    _, problems = validate(sheet, Defaults(), FACTS)
    assert messages(problems) == [
        "{{product}} in the title: there is no column 'product'; did you mean {{product_name}}?"
    ]


def test_media_globs_are_relative_to_the_sheet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "campaign [2024]"  # brackets in the folder must not act as a glob
    (folder / "media").mkdir(parents=True)
    for name, head in (("b.jpg", JPEG), ("a.jpg", JPEG), ("c.png", PNG), ("notes.txt", b"notes")):
        (folder / "media" / name).write_bytes(head)
    (folder / "song.mp3").write_bytes(b"x")
    absolute = folder / "media" / "notes.txt"
    monkeypatch.chdir(tmp_path)
    sheet = sheet_of(
        folder,
        [
            ["title", "script", "media", "music"],
            ["A", SCRIPT, "media/*.jpg | media/c.png|media/a.jpg", "song.mp3"],
            ["B", SCRIPT, f"{absolute}|media/*.gif|media", ""],
        ],
    )
    rows, problems = validate(sheet, Defaults(), FACTS)
    assert [row.row for row in rows] == [2]
    media = folder.resolve() / "media"
    assert rows[0].media == [media / "a.jpg", media / "b.jpg", media / "c.png"]
    assert rows[0].music == folder.resolve() / "song.mp3"
    assert [(p.row, p.column) for p in problems] == [(3, "media"), (3, "media"), (3, "media")]
    assert problems[0].message.endswith(
        "notes.txt': expected an image or a video, found no image or video format"
    )
    assert "'media/*.gif' matches no files" in problems[1].message
    assert "'media' is a folder" in problems[2].message


def test_defaults_fill_empty_cells_and_bad_defaults_are_reported_once(tmp_path: Path) -> None:
    sheet = sheet_of(tmp_path, [["title", "script", "platform"], ["A", SCRIPT, ""], ["B", SCRIPT, "youtube"]])
    rows, problems = validate(sheet, Defaults(platform="YouTube", quality="high", captions="none"), FACTS)
    assert problems == []
    assert [(row.platform, row.quality, row.captions, row.voice) for row in rows] == [
        ("youtube", "high", None, None),
        ("youtube", "high", None, None),
    ]
    rows, problems = validate(sheet, Defaults(platform="tikok", voice="es-es-ana"), FACTS)
    assert [(p.row, p.column) for p in problems] == [(None, "platform"), (None, "voice")]
    assert problems[0].message.startswith("--platform: unknown platform 'tikok'; did you mean 'tiktok'?")
    assert problems[1].message == "--voice: voice 'es-es-ana' speaks es-ES, but the language is 'en'"
    assert rows == []  # row 2 uses the bad default platform; both use the default voice and language
    # The default voice is fine where the sheet's language column says what it speaks.
    sheet = sheet_of(tmp_path, [["title", "script", "language"], ["A", SCRIPT, "es"], ["B", SCRIPT, "es-MX"]])
    rows, problems = validate(sheet, Defaults(voice="es-es-ana"), FACTS)
    assert problems == [] and [row.voice for row in rows] == ["es-es-ana", "es-es-ana"]
    rows, problems = validate(sheet, Defaults(music="missing.mp3", duration=5, language="??"), FACTS)
    assert [(p.row, p.column) for p in problems] == [(None, "duration"), (None, "language"), (None, "music")]
    assert problems[2].message.startswith("--music: 'missing.mp3' does not exist")
    assert rows == []


def test_a_language_no_voice_speaks(tmp_path: Path) -> None:
    sheet = sheet_of(tmp_path, [["title", "script", "language"], ["A", SCRIPT, "ES_es"], ["B", SCRIPT, "de"]])
    rows, problems = validate(sheet, Defaults(), FACTS)
    assert [row.language for row in rows] == ["es-es"]
    assert problems == [Problem(3, "language", "no voice speaks 'de'; the voices speak en-US, es-ES")]


def test_output_names_are_unique_and_safe(tmp_path: Path) -> None:
    sheet = sheet_of(
        tmp_path,
        [
            ["title", "script", "output_name"],
            ["Same title", SCRIPT, ""],
            ["Same title", SCRIPT, ""],
            ["Other", SCRIPT, "same-title-2"],  # explicit names win; derived ones step around them
            ["Same / title", SCRIPT, ""],
            ["x", SCRIPT, "con"],
        ],
    )
    rows, problems = validate(sheet, Defaults(), FACTS)
    assert problems == []
    assert [row.output_name for row in rows] == [
        "Same-title",
        "Same-title-3",
        "same-title-2",
        "Same-title-4",
        "_con",
    ]


def test_duplicate_explicit_names_name_each_other(tmp_path: Path) -> None:
    sheet = sheet_of(
        tmp_path,
        [
            ["title", "script", "output_name"],
            ["A", SCRIPT, "clip"],
            ["B", SCRIPT, "x"],
            ["C", SCRIPT, "Clip"],
            ["D", SCRIPT, "clip.mp4"],
        ],
    )
    _, problems = validate(sheet, Defaults(), FACTS)
    assert problems == [
        Problem(2, "output_name", "output name 'clip' is also used by row 4, 5"),
        Problem(4, "output_name", "output name 'Clip' is also used by row 2, 5"),
        Problem(5, "output_name", "output name 'clip' is also used by row 2, 4"),
    ]


def test_a_thousand_rows_are_fine(tmp_path: Path) -> None:
    sheet = sheet_of(tmp_path, [["title", "script"], *[[f"Video {n}", SCRIPT] for n in range(1500)]])
    rows, problems = validate(sheet, Defaults(), FACTS)
    assert problems == [] and len(rows) == 1500 and rows[-1].row == 1501


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("CON", "_CON"),
        ("con.txt", "_con.txt"),
        ("Lpt9", "_Lpt9"),
        ("COM¹", "_COM¹"),
        ("console", "console"),
        ("a/b:c", "a-b-c"),
        ('what? <now> "quoted" *|\\', "what-now-quoted"),
        ("trailing dots...", "trailing-dots"),
        ("  . hidden ", "hidden"),
        ("-rf", "rf"),
        ("tab\tand\nnewline\x07bell", "tab-and-newline-bell"),
        ("Crème brûlée 🍮 2024", "Crème-brûlée-🍮-2024"),
        ("Cafe\u0301", "Café"),  # NFC: one code point, as macOS and Windows will agree on
        ("evil\u202etxt.exe", "evil-txt.exe"),
        ("", "video"),
        ("...", "video"),
        ("///", "video"),
    ],
)
def test_safe_name(name: str, expected: str) -> None:
    assert safe_name(name) == expected


def test_safe_name_lengths() -> None:
    assert safe_name("a" * 300) == "a" * 80
    assert safe_name("word " * 60, max_length=20) == "word-word-word-word"
    emoji = safe_name("🎬" * 300, max_length=300)
    assert len(emoji.encode()) <= 200 and set(emoji) == {"🎬"}
    assert safe_name("con", max_length=3) == "_co"


def test_public_names() -> None:
    exported = {name for name, value in vars(bulk).items() if not name.startswith("_")}
    assert set(bulk.__all__) == {name for name in exported if not isinstance(getattr(bulk, name), ModuleType)}
    assert KNOWN_COLUMNS[:3] == ("title", "script", "topic")


def test_library_code_imports_no_cli_framework_and_no_engine() -> None:
    folder = Path(bulk.__file__).parent
    for name in ("__init__.py", "reader.py", "validate.py"):
        tree = ast.parse((folder / name).read_text(encoding="utf-8"))
        imported = [
            alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        ]
        imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        assert not [module for module in imported if module.split(".")[0] in ("typer", "rich", "click")], name
        assert not [module for module in imported if "engine" in module], name
    # httpx (under the client package) may load rich for its own CLI; typer and the engine stay out.
    probe = (
        "import sys, scriptsensei_cli.batch; "
        "print([m for m in ('typer', 'scriptsensei_cli.engine') if m in sys.modules])"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# -- Fuzzing: read_sheet raises only SheetError, validate never raises ---------------------------------


@FUZZ
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".csv", ".tsv", ".jsonl"]))
def test_any_bytes_read_or_raise_sheet_error(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = write(tmp_path, f"fuzz{suffix}", data)
    try:
        sheet = read_sheet(path, max_rows=50)
    except SheetError as exc:
        assert str(exc).startswith(str(path))
        return
    validate(sheet, Defaults(), FACTS)


# Pieces that exercise quoting, placeholders, lists, globs and paths; the NUL must be refused.
CELL = st.lists(
    st.sampled_from([*'ab ,;\t"\n\r{}|*?.:/\\éü中🎬-_', "{{", "}}", "med_", "\x00"]), max_size=12
).map("".join)


@FUZZ
@given(table=st.lists(st.lists(CELL, max_size=6), max_size=8))
def test_any_written_table_reads_or_raises_sheet_error(tmp_path: Path, table: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(table)
    try:
        sheet = read_sheet(write(tmp_path, "fuzz.csv", buffer.getvalue()))
    except SheetError:
        return
    assert all(not number or number >= 2 for number in sheet.row_numbers)
    validate(sheet, Defaults(), FACTS)


VALUE = st.one_of(
    st.sampled_from(
        [
            "",
            "tiktok",
            "9:16",
            "en",
            "es",
            "en-us-joe",
            "60",
            "500",
            "none",
            "listicle",
            "media/*",
            "~/x",
            "/",
            "con",
        ]
    ),
    CELL.filter(lambda text: "\x00" not in text),
)


@FUZZ
@given(
    columns=st.lists(
        st.sampled_from([*KNOWN_COLUMNS, "product_name", "Titel", "Topic"]),
        min_size=1,
        max_size=8,
        unique=True,
    ),
    values=st.lists(st.lists(VALUE, min_size=8, max_size=8), min_size=1, max_size=6),
)
def test_validate_never_raises(tmp_path: Path, columns: list[str], values: list[list[str]]) -> None:
    rows = [dict(zip(columns, row, strict=False)) for row in values]
    sheet = Sheet(tmp_path / "fuzz.csv", "csv", "utf-8", columns, rows, list(range(2, len(rows) + 2)))
    planned, problems = validate(sheet, Defaults(), FACTS)
    assert {row.row for row in planned}.isdisjoint(problem.row for problem in problems)
    assert len({row.output_name.casefold() for row in planned}) == len(planned) or problems
    assert problems == sorted(problems, key=lambda p: (p.row or 0, p.column or ""))


def test_xlsx_workbook_reads_like_csv(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append([None])  # a blank first row: Excel numbering still counts it
    sheet.append(["title", "script", "price", None])
    sheet.append(["{{price}} deal", "Only {{price}} today.", 19, None])
    sheet.append([None, None, None, None])
    sheet.append(["Second", "Two lines\nin one cell.", 4.5, "stray"])
    path = tmp_path / "videos.xlsx"
    book.save(path)
    read = read_sheet(path)
    assert read.format == "xlsx" and read.columns == ["title", "script", "price"]
    assert read.row_numbers == [3, 5]
    assert read.rows[0] == {"title": "{{price}} deal", "script": "Only {{price}} today.", "price": "19"}
    assert read.rows[1]["price"] == "4.5" and read.extra_cells == {5: 1}


# -- Streams: pipes and devices are read as they come, and refused at a limit -------------------------


HOLD_SECONDS = 10


@contextlib.contextmanager
def _pipe(data: bytes, times: int) -> Iterator[Path]:
    """A pipe that gets `data` `times` times and then stays open, as a producer that has not finished
    would, for HOLD_SECONDS: a reader that waits for the end of the input waits that long."""
    read_end, write_end = os.pipe()
    done = threading.Event()

    def feed() -> None:
        with contextlib.suppress(OSError), os.fdopen(write_end, "wb") as stream:
            for _ in range(times):
                stream.write(data)
            stream.flush()
            done.wait(HOLD_SECONDS)

    threading.Thread(target=feed, daemon=True).start()
    try:
        yield Path(f"/dev/fd/{read_end}")
    finally:
        done.set()
        os.close(read_end)


def test_a_pipe_is_refused_at_the_row_limit_without_waiting_for_its_end() -> None:
    started = time.monotonic()
    with (
        _pipe(b"T,Some script.\n", 1000) as path,
        pytest.raises(SheetError, match="more than 50 rows") as caught,
    ):
        read_sheet(path, max_rows=50)
    assert caught.value.row == 52
    assert time.monotonic() - started < HOLD_SECONDS / 2


def test_a_pipe_is_refused_at_the_byte_limit_without_waiting_for_its_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bulk.reader, "MAX_FILE_BYTES", 1024 * 1024)
    started = time.monotonic()
    with (
        _pipe(b"title,script " * 1000, 200) as path,  # 2.6 MB in one line
        pytest.raises(SheetError, match="more than 1 MB; at most 1 MB"),
    ):
        read_sheet(path)
    assert time.monotonic() - started < HOLD_SECONDS / 2


def test_dev_zero_is_refused_from_its_first_bytes() -> None:
    with pytest.raises(SheetError, match="binary file"):
        read_sheet(Path("/dev/zero"))


@pytest.mark.parametrize("size", [1, 2, 3, 7, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 64 * 1024 + 2])
def test_text_split_across_reads_is_read_whole(tmp_path: Path, size: int) -> None:
    """A \\r\\n, a multi-byte character and a bad byte that fall on the edge of a read."""
    pad = "x" * size
    data = f"title,script\r\n{pad},é€🎬\r\n{pad}\r,b\r\n".encode()
    sheet = read_sheet(write(tmp_path, "videos.csv", data))
    assert sheet.rows == [
        {"title": pad, "script": "é€🎬"},
        {"title": pad, "script": ""},
        {"title": "", "script": "b"},
    ]
    assert sheet.row_numbers == [2, 3, 4]
    bad = f"title,script\n{pad}\n".encode() + b"caf\xe9,x\n"
    with pytest.raises(SheetError) as caught:
        read_sheet(write(tmp_path, "bad.csv", bad))
    offset = len(f"title,script\n{pad}\n".encode()) + 3
    assert f"byte 0xE9 at offset {offset} (line 3)" in str(caught.value)


def test_media_that_is_not_an_image_or_video_is_found_in_every_row(tmp_path: Path) -> None:
    """What the engine refuses at run time (common/magic.py's check), --dry-run finds, all at once."""
    (tmp_path / "fake.jpg").write_text("not a picture\n")
    (tmp_path / "empty.mp4").write_bytes(b"")
    (tmp_path / "doc.png").write_bytes(b"%PDF-1.7\n")
    (tmp_path / "ok.jpg").write_bytes(JPEG)
    sheet = sheet_of(
        tmp_path,
        [
            ["title", "script", "media"],
            ["A", SCRIPT, "/etc/passwd"],
            ["B", SCRIPT, "/etc/hostname|ok.jpg"],
            ["C", SCRIPT, "fake.jpg|empty.mp4|doc.png"],
            ["D", SCRIPT, "ok.jpg"],
        ],
    )
    rows, problems = validate(sheet, Defaults(), FACTS)
    assert [row.row for row in rows] == [5]
    unknown = "expected an image or a video, found no image or video format"
    assert [(p.row, p.column, p.message) for p in problems] == [
        (2, "media", f"'/etc/passwd': {unknown}"),
        (3, "media", f"'/etc/hostname': {unknown}"),
        (
            4,
            "media",
            f"'{tmp_path.resolve() / 'fake.jpg'}': {unknown}",
        ),
        (
            4,
            "media",
            f"'{tmp_path.resolve() / 'empty.mp4'}': expected an image or a video, found an empty file",
        ),
        (
            4,
            "media",
            f"'{tmp_path.resolve() / 'doc.png'}': expected an image or a video, found a PDF document",
        ),
    ]


def test_the_servers_file_check_is_asked_once_per_file_and_reported_on_every_row(tmp_path: Path) -> None:
    """What only the server can tell (a file that starts like an image and does not decode): asked
    about each distinct file once, for every row, those with other problems too."""
    for name in ("ok.jpg", "broken.jpg", "intro.wav"):
        (tmp_path / name).write_bytes(JPEG)
    broken, music = str(tmp_path.resolve() / "broken.jpg"), str(tmp_path.resolve() / "intro.wav")
    asked: list[list[tuple[str, str]]] = []

    def check_files(files: list[tuple[str, FileUse]]) -> dict[tuple[str, FileUse], str]:
        asked.append(list(files))
        return {(broken, "media"): f"{broken}: cannot decode", (music, "music"): "no audio stream"}

    sheet = sheet_of(
        tmp_path,
        [
            ["title", "script", "Media", "music"],
            ["A", SCRIPT, "ok.jpg|broken.jpg", ""],
            ["B", SCRIPT, "broken.jpg", "intro.wav"],
            ["C", SCRIPT, "broken.jpg|/etc/passwd", ""],
            ["D", SCRIPT, "ok.jpg|med_abc", ""],
        ],
    )
    rows, problems = validate(sheet, Defaults(), dataclasses.replace(FACTS, check_files=check_files))
    assert [row.row for row in rows] == [5]
    assert [(p.row, p.column, p.message) for p in problems if "cannot decode" in p.message] == [
        (2, "Media", f"{broken}: cannot decode"),
        (3, "Media", f"{broken}: cannot decode"),
        (4, "Media", f"{broken}: cannot decode"),
    ]
    assert (3, "music", "no audio stream") in [(p.row, p.column, p.message) for p in problems]
    assert len(asked) == 1
    assert sorted(asked[0]) == sorted(
        [
            (str(tmp_path.resolve() / "ok.jpg"), "media"),
            (broken, "media"),
            (music, "music"),
            ("med_abc", "media"),
        ]
    )
