"""Files people open in a spreadsheet never carry a formula made of someone's text: every CSV
and XLSX is written through ratusz.spreadsheets and ratusz.consultations.core.export_files (the
code is read to keep it so), and what that writes is checked on generated text."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from ratusz.consultations.core.export_files import write_csv, write_xlsx
from ratusz.spreadsheets import SafeCSVWriter

ROOT = Path(__file__).resolve().parents[2]
# The only modules that make spreadsheet writers: every other module goes through them.
WRITERS = {"ratusz/spreadsheets.py", "ratusz/consultations/core/export_files.py"}
_WRITERS = re.compile(r"\bcsv\.(writer|DictWriter)\(|\bWorkbook\(")

formula_like = st.tuples(
    st.sampled_from(["=", "+", "-", "@", "\t", "\r", " =", "\ufeff="]),
    st.text(max_size=20),
).map("".join)
cells = st.lists(st.one_of(formula_like, st.text(max_size=20), st.integers()), max_size=6)


def _starts_a_formula(value: object) -> bool:
    if not isinstance(value, str) or not value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return False
    try:
        float(value)
    except ValueError:
        return True
    return False


def test_only_the_files_module_writes_spreadsheets():
    found = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "ratusz").rglob("*.py"))
        if _WRITERS.search(path.read_text()) and str(path.relative_to(ROOT)) not in WRITERS
    ]
    assert found == []


@settings(max_examples=80, deadline=None)
@given(rows=st.lists(cells, min_size=1, max_size=4))
@example(rows=[["\x08=0"], ["\x1f+1"]])  # control characters openpyxl drops, then a formula
def test_csv_and_xlsx_cells_never_start_a_formula(rows):
    content, _ = write_csv(headers=["a"], rows=rows)
    for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))):
        assert not any(_starts_a_formula(cell) for cell in row), row

    stream = io.StringIO()
    writer = SafeCSVWriter(stream)
    for row in rows:
        writer.writerow(row)
    for row in csv.reader(io.StringIO(stream.getvalue())):
        assert not any(_starts_a_formula(cell) for cell in row), row

    content, _ = write_xlsx(headers=["a"], rows=rows, title="t")
    for sheet in load_workbook(io.BytesIO(content)).worksheets:
        for line in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in line)
            assert not any(_starts_a_formula(cell.value) for cell in line)
