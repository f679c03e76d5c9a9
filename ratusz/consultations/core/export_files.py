"""Writing rows to CSV and XLSX files, safe to open in a spreadsheet (see ratusz.spreadsheets:
text that a spreadsheet would run as a formula is written as plain text).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from ratusz.spreadsheets import FORMULA_STARTS, SafeCSVWriter, safe_cell

__all__ = ["FORMULA_STARTS", "SafeCSVWriter", "safe_cell", "write_csv", "write_xlsx"]

# openpyxl refuses control characters other than tab, newline and carriage return.
_ILLEGAL = {c: None for c in range(32) if c not in (9, 10, 13)}


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
    # Control characters go before the formula check: "\x08=1" would otherwise be escaped
    # while it starts with a backspace and then become "=1", a formula, once stripped.
    if isinstance(value, str):
        value = value.translate(_ILLEGAL)
    cell = safe_cell(value)
    if isinstance(cell, Decimal):
        return float(cell)
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
