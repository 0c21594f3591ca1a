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
