"""Cells of files people open in a spreadsheet (CSV, XLSX).

A cell that starts with = + - @ (or a tab or carriage return) would be run as a formula by
Excel or LibreOffice ("CSV injection"); such text is prefixed with an apostrophe, which
spreadsheets show as plain text. Every CSV and XLSX of every plane is written through this
module (tests/security/test_exports.py reads the code to keep it so); it imports nothing of
Ratusz, so the lowest layers (accounts' personal data) may use it too.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
    `safe_cell`. Code that writes CSV rows itself uses this, never csv.writer."""

    def __init__(self, stream: Any) -> None:
        self._writer = csv.writer(stream)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])
