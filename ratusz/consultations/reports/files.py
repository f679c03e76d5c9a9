"""Writing rows to CSV and XLSX files, safe to open in a spreadsheet.

A cell that starts with = + - @ (or a tab or carriage return) would be run as a formula by
Excel or LibreOffice ("CSV injection"); such text is prefixed with an apostrophe, which
spreadsheets show as plain text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# openpyxl refuses control characters other than tab, newline and carriage return.
_ILLEGAL = {c: None for c in range(32) if c not in (9, 10, 13)}


def safe_cell(value: Any) -> Any:
    """The value to write: numbers stay numbers, text that could run as a formula is escaped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class SafeCSVWriter:
    """`csv.writer` for files people open in a spreadsheet: every cell goes through
    `safe_cell`. Views that stream or write CSV rows themselves use this, never csv.writer."""

    def __init__(self, stream: Any) -> None:
        self._writer = csv.writer(stream)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])


Progress = Callable[[int], None]


def write_csv(
    *, headers: Sequence[str], rows: Iterable[Sequence[Any]], progress: Progress | None = None
) -> tuple[bytes, int]:
    """CSV in UTF-8 with a byte-order mark (so that Excel reads Polish letters); returns the
    bytes and how many rows were written."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in headers])
    written = 0
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
        written += 1
        if progress is not None:
            progress(written)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), written


def _xlsx_cell(value: Any) -> Any:
    cell = safe_cell(value)
    if isinstance(cell, Decimal):
        return float(cell)
    if isinstance(cell, str):
        return cell.translate(_ILLEGAL)
    return cell


def write_xlsx(
    *,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    title: str,
    notes: Sequence[str] = (),
    notes_title: str = "Notes",
    progress: Progress | None = None,
) -> tuple[bytes, int]:
    """An XLSX workbook (one sheet of data, and a sheet of notes when there are any)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Data")
    sheet.append([_xlsx_cell(h) for h in headers])
    written = 0
    for row in rows:
        sheet.append([_xlsx_cell(v) for v in row])
        written += 1
        if progress is not None:
            progress(written)
    if notes:
        about = workbook.create_sheet(title=notes_title[:31])
        for note in notes:
            about.append([_xlsx_cell(note)])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue(), written
