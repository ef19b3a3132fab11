"""common.tabular: delimiters and records shared by the bulk sheet reader and the analytics importers."""

from __future__ import annotations

import csv
import io

import pytest

from scriptsensei_cli.common.magic import bom_encoding
from scriptsensei_cli.common.tabular import Records, detect_delimiter, header_delimiter


@pytest.mark.parametrize(
    ("head", "encoding"),
    [
        (b"\xef\xbb\xbftitle", "utf-8-sig"),
        (b"\xff\xfet\x00", "utf-16"),
        (b"\xfe\xff\x00t", "utf-16"),
        (b"\xff\xfe\x00\x00t\x00\x00\x00", "utf-32"),  # not UTF-16, though it starts like it
        (b"title", None),
    ],
)
def test_bom_encoding(head: bytes, encoding: str | None) -> None:
    assert bom_encoding(head) == encoding


def test_the_header_decides_and_quoted_delimiters_do_not_count() -> None:
    assert header_delimiter("title;script\na,b;c\n") == ";"
    assert header_delimiter('"views; total",date\n') == ","
    assert header_delimiter("\n\ntitle\tscript\n") == "\t"
    assert header_delimiter("title\n") == ","
    # The Sniffer's answer stands only if the header has that delimiter.
    assert detect_delimiter("title;script\n1,5;x\n2,5;y\n") == ";"


def test_records_know_their_row_and_lines() -> None:
    text = 'title,script\n\n"two\nlines",b\n\nc,d\n'
    records = list(Records(io.StringIO(text, newline="").readlines(), ","))
    assert records == [(1, 1, 1, ["title", "script"]), (3, 3, 4, ["two\nlines", "b"]), (5, 6, 6, ["c", "d"])]


def test_after_an_error_records_say_where_it_stopped() -> None:
    records = Records(["a,b\n", 'c,"d\n', "e\n"], ",", first_line=2)
    limit = csv.field_size_limit(3)  # the quoted cell running on past "d" is too long
    try:
        with pytest.raises(csv.Error):
            list(records)
    finally:
        csv.field_size_limit(limit)
    assert (records.number, records.next_line, records.line) == (1, 3, 4)
