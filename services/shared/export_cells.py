"""Spreadsheet-safe export cells: text that Excel or WPS would run as a formula is prefixed with a quote (OWASP)."""

import csv
import io
from collections.abc import Iterable, Sequence

# A cell starting with one of these is read as a formula (or, for tab and CR, as a shifted one).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """The value to write: text starting with a formula trigger gets a leading ', anything else is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_row(row: Iterable[object]) -> list[object]:
    """Every cell of a row made safe."""
    return [safe_cell(value) for value in row]


def csv_bytes(header: Sequence[object], rows: Iterable[Iterable[object]]) -> bytes:
    """A UTF-8 CSV with BOM (so Excel reads the Chinese), every cell made safe."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(safe_row(header))
    writer.writerows(safe_row(row) for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(sheet_title: str, filters: Sequence[tuple[str, str]], header: Sequence[object],
               rows: Iterable[Iterable[object]]) -> bytes:
    """An XLSX of exactly what a page shows: the filters in the first rows, then the table; every cell made safe.

    Text is written as text (openpyxl would read a leading '=' as a formula; safe_cell keeps it from starting so).
    """
    from openpyxl import Workbook  # only exports need it
    from openpyxl.styles import Font

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = sheet_title[:31]
    for name, value in filters:
        sheet.append(safe_row([name, value]))
    sheet.append([])
    sheet.append(safe_row(header))
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(safe_row(row))
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_back(data: bytes) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """(filter rows, table rows with its header first) of an export: what tests and users open the file to see."""
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True))
    blank = next(i for i, row in enumerate(rows) if all(v is None for v in row))
    return rows[:blank], rows[blank + 1:]
