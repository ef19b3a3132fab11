"""Delimited text as records: what the bulk sheet reader (batch/reader.py) and the analytics and
trends importers (engine/analytics/ingest.py) share.

Both take UTF-8 or what a byte-order mark names, a comma, semicolon or tab as the delimiter (Excel
writes semicolons where the decimal separator is a comma), and records that may span lines (a quoted
cell with line breaks in it); blank records are skipped but counted. What each one refuses, and how
it says so, stays with it: the sheet reader holds a whole file and explains every problem; the
importers stream files of a million rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

CSV_DELIMITERS = ",;\t"
# csv.Sniffer's regular expressions take quadratic time on some inputs: keep its sample small.
SNIFF_SAMPLE_CHARS = 4096
SNIFF_SAMPLE_LINES = 10


# -- the delimiter ------------------------------------------------------------------------------------


def header_delimiter_counts(text: str) -> dict[str, int]:
    """How often each candidate delimiter occurs in the first record of `text`, outside quotes."""
    counts = dict.fromkeys(CSV_DELIMITERS, 0)
    quoted = False
    started = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif not quoted:
            if char in "\r\n":
                if started:
                    break
                continue
            if char in counts:
                counts[char] += 1
        started = True
    return counts


def header_delimiter(text: str) -> str:
    """The candidate the first record uses most (the first of equals); `,` if it has none."""
    return _most_used(header_delimiter_counts(text))


def detect_delimiter(text: str) -> str:
    """What csv.Sniffer finds in the first lines if the header has it, else `header_delimiter`."""
    sample = "".join(io.StringIO(text[:SNIFF_SAMPLE_CHARS], newline="").readlines()[:SNIFF_SAMPLE_LINES])
    counts = header_delimiter_counts(text)
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS).delimiter
    except Exception:  # the Sniffer is a heuristic; any failure of it just means: use the fallback
        sniffed = ""
    return sniffed if counts.get(sniffed, 0) > 0 else _most_used(counts)


def _most_used(counts: dict[str, int]) -> str:
    best = max(CSV_DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] > 0 else ","


# -- records ------------------------------------------------------------------------------------------


# (number, first line, last line, cells): the number counts from 1 with blank records included (the row
# number a spreadsheet shows); the lines are those of the text it spans, more than one if a quoted cell
# has line breaks. A plain tuple: an import reads a million of them.
Record = tuple[int, int, int, list[str]]


class Records:
    """The records of delimited text that have a non-blank cell, with where each one is.

    `lines` is text read with newline="" (so line breaks inside quoted cells are kept as written);
    `first_line` is the number of its first line in the file. When reading fails (csv.Error, or a
    decoding error from a stream), `number` is how many records were read, `next_line` the line the
    failing one starts on and `line` the last line read.
    """

    def __init__(self, lines: Iterable[str], delimiter: str, *, first_line: int = 1) -> None:
        self._reader = csv.reader(lines, delimiter=delimiter)
        self._before = first_line - 1
        self.number = 0
        self.next_line = first_line

    @property
    def line(self) -> int:
        return self._before + self._reader.line_num

    def __iter__(self) -> Iterator[Record]:
        reader, before = self._reader, self._before
        for cells in reader:
            self.number += 1
            first, self.next_line = self.next_line, before + reader.line_num + 1
            for cell in cells:  # any(cell.strip() for cell in cells), without a generator per record
                if cell.strip():
                    yield self.number, first, self.next_line - 1, cells
                    break
