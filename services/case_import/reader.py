"""Case import files (CSV/XLSX as other police systems export them): template, reading and row-by-row validation."""

import codecs
import csv
import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import PurePath

import numpy as np
import openpyxl
import python_calamine
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from db.models import FraudCase
from services.case_import.cells import (
    AMOUNT_KEYS,
    EPOCH_1900,
    EPOCH_1904,
    TIME_KEYS,
    Invalid,
    cell_parsers,
    cell_text,
    fold,
    max_length,
)
from services.case_import.text import (
    CASE_FILE_COLUMNS,
    CASE_FILE_COORDS_PAIR,
    CASE_FILE_COORDS_SWAPPED,
    CASE_FILE_CSV_BROKEN,
    CASE_FILE_DATUM_INVALID,
    CASE_FILE_DUPLICATE_CASE_NO,
    CASE_FILE_DUPLICATE_COLUMN,
    CASE_FILE_EMPTY,
    CASE_FILE_ENCODING,
    CASE_FILE_HEADER_ALIASES,
    CASE_FILE_HELP_HEADERS,
    CASE_FILE_LAT_RANGE,
    CASE_FILE_LON_RANGE,
    CASE_FILE_MISSING_COLUMNS,
    CASE_FILE_NO_DATA,
    CASE_FILE_NO_SHEET,
    CASE_FILE_NOT_TEXT,
    CASE_FILE_NOTES,
    CASE_FILE_OCCURRED_AFTER_REPORTED,
    CASE_FILE_OPTIONAL,
    CASE_FILE_RECOVERED_OVER_LOSS,
    CASE_FILE_REQUIRED,
    CASE_FILE_REQUIRED_EMPTY,
    CASE_FILE_SHEET_CASES,
    CASE_FILE_SHEET_HELP,
    CASE_FILE_TIME_FUTURE,
    CASE_FILE_TOO_MANY_ROWS,
    CASE_FILE_UNSUPPORTED,
    CASE_FILE_WARN_IGNORED,
    CASE_FILE_WHOLE_FILE,
    CASE_FILE_XLS,
    CASE_FILE_XLSX_EXTENT,
    CASE_FILE_XLSX_INVALID,
    CASE_FILE_XLSX_MEMBERS,
    CASE_FILE_XLSX_RATIO,
    CASE_FILE_XLSX_TOO_BIG,
    CASE_FILE_XLSX_UNREADABLE,
)
from services.geo.gcj02 import gcj02_to_wgs84
from services.shared.errors import InvalidInput
from services.shared.timeutil import now_utc
from vocabulary import (
    ECONOMIC_STATUSES,
    EDUCATION_LEVELS,
    OCCUPATIONS,
    CaseStatus,
    ContactChannel,
    FraudType,
    PaymentChannel,
)

MAX_ROWS = 200_000
PROGRESS_EVERY = 1_000
DATUMS = ("wgs84", "gcj02")
HEADER_SCAN_ROWS = 10  # exports often put a title line or two above the header
CSV_SUFFIXES = {".csv", ".txt", ".tsv", ""}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and encrypted .xlsx
# An .xlsx is a zip of XML parts: a 1.6 MB file can hold a shared-strings part of 680 MB. These limits are checked
# on the zip before any parser sees it. A 200,000-row export (MAX_ROWS) takes well under 200 MB unpacked; its XML
# compresses about 5–15:1; a dozen or so parts is what Excel, WPS and openpyxl write.
XLSX_MAX_TOTAL = 200 * 1024 * 1024  # all parts, uncompressed
XLSX_MAX_MEMBER = 150 * 1024 * 1024  # any one part, uncompressed
XLSX_MAX_RATIO = 100  # uncompressed : compressed, for parts larger than XLSX_RATIO_FROM
XLSX_RATIO_FROM = 1024 * 1024  # small parts (styles, empty sheets) may compress better without harm
XLSX_MAX_MEMBERS = 1_000
XLSX_CHUNK = 1 << 20
# calamine holds a sheet as a dense rows × columns grid (about 32 bytes a cell): one cell at XFD1048576 would ask
# for 17 billion cells. The grid the cell references span is limited before calamine opens the sheet.
XLSX_MAX_CELLS = 12_000_000  # e.g. 200,000 rows × 60 columns, about 0.4 GB
EXACT_FLOAT_LIMIT = 2 ** 53  # integers at or beyond it do not survive as float: such sheets are read with openpyxl
# Cell (and row) references; the literal start keeps the scan of a 40 MB sheet to about a third of a second.
_ROW_NUMBER = re.compile(rb'r="[A-Z]{0,3}([0-9]{1,7})"')
_COLUMN_LETTERS = {n: re.compile(rb'r="([A-Z]{%d})[0-9]' % n) for n in (2, 3)}
_DATE1904 = re.compile(rb"date1904=\"(?:1|true)\"")

# (key, required) in template order; the key is the FraudCase field the column fills.
TEMPLATE_ORDER: tuple[tuple[str, bool], ...] = (
    ("case_no", True), ("unit_id", True), ("reported_at", True), ("occurred_at", False), ("fraud_type", True),
    ("loss_fen", True), ("recovered_fen", False), ("frozen_fen", False), ("status", False),
    ("contact_channel", False), ("payment_channel", False), ("lon", False), ("lat", False), ("address", False),
    ("victim_name", False), ("victim_gender", False), ("victim_age", False), ("victim_occupation", False),
    ("victim_education", False), ("victim_economic", False), ("victim_reached_by_propaganda", False),
    ("summary", False),
)
DEFAULTS = {"status": CaseStatus.REGISTERED.value, "recovered_fen": 0, "frozen_fen": 0}
MEMO_KEYS = frozenset({
    "unit_id", "fraud_type", "status", "contact_channel", "payment_channel", "victim_gender", "victim_age",
    "victim_occupation", "victim_education", "victim_economic", "victim_reached_by_propaganda",
})
MEMO_LIMIT = 10_000
NUMBER_KEYS = ("lon", "lat", "victim_age")
CHOICES = {
    "fraud_type": FraudType.labels(), "status": CaseStatus.labels(), "contact_channel": ContactChannel.labels(),
    "payment_channel": PaymentChannel.labels(),
}
SUGGESTIONS = {"victim_occupation": OCCUPATIONS, "victim_education": EDUCATION_LEVELS,
               "victim_economic": ECONOMIC_STATUSES}


@dataclass(frozen=True)
class TemplateColumn:
    """One column of the import template."""

    key: str
    header: str
    required: bool
    description: str
    example: str


def _description(key: str, text: str) -> str:
    choices = CHOICES.get(key) or SUGGESTIONS.get(key) or ()
    labels = choices.values() if isinstance(choices, dict) else choices
    return text.format(choices="、".join(labels), limit=max_length(key) if key in FraudCase.__table__.c else "")


COLUMNS: tuple[TemplateColumn, ...] = tuple(
    TemplateColumn(key, CASE_FILE_COLUMNS[key][0], required, _description(key, CASE_FILE_COLUMNS[key][1]),
                   CASE_FILE_COLUMNS[key][2])
    for key, required in TEMPLATE_ORDER
)
HEADERS = {column.key: column.header for column in COLUMNS}
REQUIRED = frozenset(column.key for column in COLUMNS if column.required)


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """One valid row, typed and normalised, its fields named as FraudCase's (enums as their str values)."""

    row: int
    case_no: str
    unit_id: int
    reported_at: datetime
    fraud_type: str
    loss_fen: int
    status: str = CaseStatus.REGISTERED.value
    occurred_at: datetime | None = None
    recovered_fen: int = 0
    frozen_fen: int = 0
    contact_channel: str | None = None
    payment_channel: str | None = None
    lon: float | None = None  # WGS84
    lat: float | None = None
    address: str | None = None
    victim_name: str | None = None
    victim_gender: str | None = None
    victim_age: int | None = None
    victim_occupation: str | None = None
    victim_education: str | None = None
    victim_economic: str | None = None
    victim_reached_by_propaganda: bool | None = None
    summary: str | None = None


@dataclass(frozen=True, slots=True)
class RowError:
    """A problem at a spreadsheet row (header = 1, first data row = 2; 0 = the whole file) and column."""

    row: int
    column: str
    reason: str


@dataclass(frozen=True)
class CaseFileResult:
    """Valid rows as records and every problem found; import only when errors is empty."""

    records: list[CaseRecord]
    errors: list[RowError]
    warnings: list[str]
    rows: int = 0  # non-empty data rows read
    fields: frozenset[str] = frozenset()  # record fields the file has a column for; the others hold defaults


class _FileError(Exception):
    def __init__(self, reason: str, row: int = 0, column: str = CASE_FILE_WHOLE_FILE) -> None:
        super().__init__(reason)
        self.error = RowError(row, column, reason)


# --------------------------------------------------------------------------------------------------------- header

def _header_key(value: object) -> str:
    return fold(cell_text(value)).strip("*")


def _header_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for column in COLUMNS:
        names = (column.header, *CASE_FILE_HEADER_ALIASES.get(column.key, ()))
        for name in names:
            key = _header_key(name)
            keys[key] = column.key
            keys.setdefault(key.removesuffix("(元)"), column.key)
    return keys


HEADER_KEYS = _header_keys()


def _recognised(cells: Sequence[object]) -> int:
    return len({HEADER_KEYS.get(_header_key(cell)) for cell in cells} - {None})


def _header_index(first_rows: list[Sequence[object]]) -> int:
    """The header row among the first rows: the one naming most template columns (a title may sit above it)."""
    best, best_count = 0, 0
    for index, cells in enumerate(first_rows):
        count = _recognised(cells)
        if count > best_count:
            best, best_count = index, count
    return best


@dataclass(frozen=True)
class _Layout:
    positions: tuple[tuple[int, str], ...]  # (cell index, column key)
    ignored: tuple[str, ...]


def _layout(cells: Sequence[object], header_row: int) -> _Layout:
    positions: dict[str, int] = {}
    ignored = []
    for index, cell in enumerate(cells):
        name = cell_text(cell)
        key = HEADER_KEYS.get(_header_key(cell))
        if key is None:
            if name:
                ignored.append(name)
        elif key in positions:
            raise _FileError(CASE_FILE_DUPLICATE_COLUMN.format(column=HEADERS[key]), header_row, HEADERS[key])
        else:
            positions[key] = index
    missing = [column.header for column in COLUMNS if column.required and column.key not in positions]
    if missing:
        raise _FileError(CASE_FILE_MISSING_COLUMNS.format(columns="、".join(missing)), header_row,
                         "、".join(missing))
    return _Layout(tuple((index, key) for key, index in positions.items()), tuple(ignored))


# ----------------------------------------------------------------------------------------------------------- rows

_MISSING = object()


class _RowChecker:
    """Validates rows one by one, keeping every error and the values of the good rows."""

    def __init__(self, layout: _Layout, unit_lookup: dict[str, int], now: datetime, epoch: datetime) -> None:
        parsers = cell_parsers(unit_lookup, epoch)
        # Columns with few distinct values remember what each text parsed to (a large file repeats them).
        self.columns = tuple((index, key, parsers[key], {} if key in MEMO_KEYS else None)
                             for index, key in layout.positions)
        self.now = now
        self.errors: list[RowError] = []
        self.good: list[tuple[int, dict]] = []
        self.first_row_of: dict[str, int] = {}

    def check(self, cells: Sequence[object], row: int) -> None:
        before = len(self.errors)
        values: dict[str, object] = {}
        bad: set[str] = set()
        width = len(cells)
        for index, key, parse, memo in self.columns:
            raw = cells[index] if index < width else None
            if memo is not None and (type(raw) is str or type(raw) is int):  # not bool: True == 1
                value = memo.get(raw, _MISSING)
                if value is _MISSING:
                    value = parse(raw)
                    if len(memo) < MEMO_LIMIT:
                        memo[raw] = value
            else:
                value = parse(raw)
            if type(value) is Invalid:
                self._error(row, key, value.reason)
                bad.add(key)
            elif value is None and key in REQUIRED:
                self._error(row, key, CASE_FILE_REQUIRED_EMPTY)
                bad.add(key)
            else:
                values[key] = DEFAULTS.get(key) if value is None else value
        self._check_coordinates(values, bad, row)
        self._check_amounts(values, row)
        self._check_times(values, row)
        self._check_duplicate(values, row)
        if len(self.errors) == before:
            self.good.append((row, values))

    def _error(self, row: int, key: str, reason: str) -> None:
        self.errors.append(RowError(row, HEADERS[key], reason))

    def _check_coordinates(self, values: dict, bad: set[str], row: int) -> None:
        lon, lat = values.get("lon"), values.get("lat")
        if lon is None and lat is None:
            return
        if lon is None or lat is None:
            missing = "lat" if lat is None else "lon"
            if missing not in bad:  # a bad cell is reported already; an empty or absent one is the problem
                self._error(row, missing, CASE_FILE_COORDS_PAIR)
            return
        if abs(lat) > 90 and abs(lat) <= 180 and abs(lon) <= 90:
            self._error(row, "lat", CASE_FILE_COORDS_SWAPPED)
            return
        if abs(lon) > 180:
            self._error(row, "lon", CASE_FILE_LON_RANGE)
        if abs(lat) > 90:
            self._error(row, "lat", CASE_FILE_LAT_RANGE)

    def _check_amounts(self, values: dict, row: int) -> None:
        loss, recovered = values.get("loss_fen"), values.get("recovered_fen")
        if loss is not None and recovered is not None and recovered > loss:
            self._error(row, "recovered_fen", CASE_FILE_RECOVERED_OVER_LOSS)

    def _check_times(self, values: dict, row: int) -> None:
        reported, occurred = values.get("reported_at"), values.get("occurred_at")
        if reported is not None and reported > self.now:
            self._error(row, "reported_at", CASE_FILE_TIME_FUTURE)
        if occurred is None:
            return
        if reported is not None and occurred > reported:
            self._error(row, "occurred_at", CASE_FILE_OCCURRED_AFTER_REPORTED)
        elif occurred > self.now:
            self._error(row, "occurred_at", CASE_FILE_TIME_FUTURE)

    def _check_duplicate(self, values: dict, row: int) -> None:
        case_no = values.get("case_no")
        if case_no is None:
            return
        first = self.first_row_of.setdefault(case_no, row)
        if first != row:
            self._error(row, "case_no", CASE_FILE_DUPLICATE_CASE_NO.format(row=first))

    def records(self, datum: str) -> list[CaseRecord]:
        if datum == "gcj02":
            _to_wgs84([values for _, values in self.good])
        return [CaseRecord(row=row, **values) for row, values in self.good]


def _to_wgs84(rows: list[dict]) -> None:
    """Convert the located rows' GCJ-02 lon/lat to WGS84 in place, in one vectorised call."""
    located = [values for values in rows if values.get("lon") is not None]
    if not located:
        return
    lon, lat = gcj02_to_wgs84(np.array([v["lon"] for v in located]), np.array([v["lat"] for v in located]))
    for values, x, y in zip(located, lon.tolist(), lat.tolist(), strict=True):
        values["lon"], values["lat"] = x, y


# ---------------------------------------------------------------------------------------------------------- files

def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's 'Unicode text'), else GB18030 (a superset of GBK)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _FileError(CASE_FILE_ENCODING) from exc
    if b"\x00" in data:
        raise _FileError(CASE_FILE_NOT_TEXT)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _FileError(CASE_FILE_ENCODING)


def _csv_rows(data: bytes) -> list[list[str]]:
    text = _decode(data)
    first_line = text[:4096].split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise _FileError(CASE_FILE_CSV_BROKEN.format(line=reader.line_num)) from exc
    return rows


@dataclass(frozen=True)
class _Rows:
    """A file's rows (row n of the sheet is the n-th item), how many it says it has, and its date system."""

    rows: Iterator[Sequence[object]]
    declared: int
    epoch: datetime = EPOCH_1900


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


@dataclass
class _Extent:
    """What the checks learn while unpacking: the cell grid the worksheets span and the workbook's date system."""

    rows: int = 0
    columns: int = 0
    date1904: bool = False

    def scan_sheet(self, text: bytes) -> None:
        """Widen the grid by the cell references in a piece of worksheet XML (one-letter columns count as 26)."""
        numbers = _ROW_NUMBER.findall(text)
        if not numbers:
            return
        self.rows = max(self.rows, max(map(int, numbers)))
        width = next((n for n in (3, 2) if _COLUMN_LETTERS[n].search(text)), 1)
        widest = 26 if width == 1 else max(map(_column_number, set(_COLUMN_LETTERS[width].findall(text))))
        self.columns = max(self.columns, widest)


def _refuse_member(info: zipfile.ZipInfo, total: int) -> None:
    if total > XLSX_MAX_TOTAL or info.file_size > XLSX_MAX_MEMBER:
        raise _FileError(CASE_FILE_XLSX_TOO_BIG.format(total=XLSX_MAX_TOTAL >> 20, member=XLSX_MAX_MEMBER >> 20))
    if info.file_size > XLSX_RATIO_FROM and info.file_size > XLSX_MAX_RATIO * max(info.compress_size, 1):
        raise _FileError(CASE_FILE_XLSX_RATIO.format(ratio=XLSX_MAX_RATIO))


def _unpack_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, extent: _Extent) -> None:
    """Unpack one part in chunks (zipfile stops at the declared size and checks the CRC), scanning sheets."""
    sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
    tail = b""
    with archive.open(info) as stream:
        while chunk := stream.read(XLSX_CHUNK):
            if sheet:
                cut = chunk.rfind(b"<")  # scan whole tags only: the rest waits for the next chunk
                extent.scan_sheet(tail + chunk[:cut if cut >= 0 else len(chunk)])
                tail = chunk[cut:] if cut >= 0 else b""
            elif info.filename.endswith("workbook.xml"):
                extent.date1904 = extent.date1904 or bool(_DATE1904.search(chunk))
    if sheet and tail:
        extent.scan_sheet(tail)


def _check_xlsx_package(data: bytes) -> _Extent:
    """Refuse a zip bomb or a non-XLSX before parsing: sizes, ratio and member count, then every part unpacked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as exc:
        raise _FileError(CASE_FILE_XLSX_UNREADABLE) from exc
    if len(members) > XLSX_MAX_MEMBERS:
        raise _FileError(CASE_FILE_XLSX_MEMBERS.format(limit=XLSX_MAX_MEMBERS))
    total = 0
    for info in members:
        total += info.file_size
        _refuse_member(info, total)
    names = {info.filename for info in members}
    if "[Content_Types].xml" not in names or not any(name.endswith("workbook.xml") for name in names):
        raise _FileError(CASE_FILE_XLSX_INVALID)
    extent = _Extent()
    try:
        for info in members:
            _unpack_member(archive, info, extent)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, NotImplementedError, RuntimeError) as exc:
        raise _FileError(CASE_FILE_XLSX_UNREADABLE) from exc  # RuntimeError: an encrypted member
    if extent.rows * max(extent.columns, 1) > XLSX_MAX_CELLS:
        raise _FileError(CASE_FILE_XLSX_EXTENT.format(rows=extent.rows, columns=extent.columns))
    return extent


def _first_worksheet(data: bytes) -> list[list]:
    """The first worksheet's cells from A1 (dates as datetime, numbers as float, empty cells as '') by calamine."""
    try:
        with python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
            name = next((sheet.name for sheet in book.sheets_metadata
                         if sheet.typ == python_calamine.SheetTypeEnum.WorkSheet), None)
            if name is None:
                raise _FileError(CASE_FILE_NO_SHEET)
            return book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except _FileError:
        raise
    except Exception as exc:  # calamine raises its own kinds (zip, XML, password) on a damaged file
        raise _FileError(CASE_FILE_XLSX_UNREADABLE) from exc


def _inexact(rows: list[list]) -> bool:
    """Whether a number is too large for a float to keep its digits (a long case or account number as a number)."""
    return any(type(cell) is float and not -EXACT_FLOAT_LIMIT < cell < EXACT_FLOAT_LIMIT for row in rows for cell in row)


def _xlsx_rows(data: bytes) -> _Rows:
    extent = _check_xlsx_package(data)
    rows = _first_worksheet(data)
    if _inexact(rows):
        return _openpyxl_rows(data)  # openpyxl keeps the digits of integers, as the file writes them
    return _Rows(iter(rows), len(rows), EPOCH_1904 if extent.date1904 else EPOCH_1900)


def _openpyxl_rows(data: bytes) -> _Rows:
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, key errors) on a damaged file
        raise _FileError(CASE_FILE_XLSX_UNREADABLE) from exc
    if not book.worksheets:
        book.close()
        raise _FileError(CASE_FILE_NO_SHEET)
    sheet = book.worksheets[0]
    declared = sheet.max_row or 0
    # The stored dimension can be wrong (some exporters write A1); read every row the sheet really has.
    sheet.reset_dimensions()
    return _Rows(_guarded_rows(sheet.iter_rows(values_only=True), book.close), declared, book.epoch)


def _guarded_rows(rows: Iterator[Sequence[object]], close: Callable[[], None] | None = None
                  ) -> Iterator[Sequence[object]]:
    try:
        yield from rows
    except Exception as exc:  # a damaged sheet fails only when its XML is reached
        raise _FileError(CASE_FILE_XLSX_UNREADABLE) from exc
    finally:
        if close is not None:
            close()


def _file_rows(data: bytes, filename: str) -> _Rows:
    """The rows of a CSV or the first sheet of an XLSX; a file that is neither is refused."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in CSV_SUFFIXES | XLSX_SUFFIXES | {".xls"}:
        raise _FileError(CASE_FILE_UNSUPPORTED)
    if not data.strip():
        raise _FileError(CASE_FILE_EMPTY)
    if data.startswith(ZIP_MAGIC):
        return _xlsx_rows(data)
    if data.startswith(OLE_MAGIC):  # a real .xls, or an .xlsx saved with a password
        raise _FileError(CASE_FILE_UNSUPPORTED if suffix in CSV_SUFFIXES else CASE_FILE_XLS)
    if suffix in XLSX_SUFFIXES or (suffix == ".xls" and data.lstrip().startswith(b"<")):
        raise _FileError(CASE_FILE_XLSX_UNREADABLE if suffix in XLSX_SUFFIXES else CASE_FILE_XLS)
    # CSV, or tab-separated text that some systems export under an .xls name.
    rows = _csv_rows(data)
    return _Rows(iter(rows), len(rows))


def _blank(cells: Sequence[object]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _datum(datum: str) -> str:
    key = str(datum).strip().lower().replace("-", "").replace("_", "")
    if key not in DATUMS:
        raise InvalidInput({"datum": CASE_FILE_DATUM_INVALID})
    return key


def _split_header(rows: Iterator[Sequence[object]]) -> tuple[int, _Layout, Iterator[Sequence[object]]]:
    first = []
    for cells in rows:
        first.append(cells)
        if len(first) == HEADER_SCAN_ROWS:
            break
    if all(_blank(cells) for cells in first):
        raise _FileError(CASE_FILE_EMPTY)
    index = _header_index(first)
    layout = _layout(first[index], index + 1)
    return index + 1, layout, _chain(first[index + 1:], rows)


def _chain(head: list[Sequence[object]], rest: Iterator[Sequence[object]]) -> Iterator[Sequence[object]]:
    yield from head
    yield from rest


def _check_rows(rows: Iterable[Sequence[object]], header_row: int, checker: _RowChecker, total: int,
                progress: Callable[[int, int], None] | None) -> int:
    """Validate every non-empty row; returns how many there were."""
    count = done = 0
    reported = (0, 0)
    for done, cells in enumerate(rows, start=1):
        if progress is not None and done % PROGRESS_EVERY == 0:
            reported = (done, max(total, done))
            progress(*reported)
        if _blank(cells):
            continue
        count += 1
        if count > MAX_ROWS:
            raise _FileError(CASE_FILE_TOO_MANY_ROWS.format(limit=MAX_ROWS))
        checker.check(cells, header_row + done)
    if progress is not None and done and reported != (done, done):
        progress(done, done)
    return count


def _failed(error: RowError) -> CaseFileResult:
    return CaseFileResult([], [error], [])


def read_case_file(data: bytes, filename: str, datum: str, unit_lookup: dict[str, int],
                   progress: Callable[[int, int], None] | None = None, *,
                   now: datetime | None = None) -> CaseFileResult:
    """Read and validate a CSV/XLSX case file: records of the good rows and every problem of the bad ones.

    `unit_lookup` maps unit codes and names (already limited to the importer's scope) to unit ids; `datum`
    ("wgs84" or "gcj02") is what the user declared for the file's coordinates; records hold WGS84.
    `progress(done, total)` is called about every thousand rows. Never raises for a bad file.
    """
    datum = _datum(datum)
    source = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it does not read
        try:
            source = _file_rows(data, filename)
            header_row, layout, data_rows = _split_header(source.rows)
            checker = _RowChecker(layout, unit_lookup, now or now_utc(), source.epoch)
            total = min(max(source.declared - header_row, 0), MAX_ROWS)
            count = _check_rows(data_rows, header_row, checker, total, progress)
        except _FileError as exc:
            return _failed(exc.error)
        finally:
            if source is not None and hasattr(source.rows, "close"):  # the workbook of a refused XLSX
                source.rows.close()
    if count == 0:
        return _failed(RowError(0, CASE_FILE_WHOLE_FILE, CASE_FILE_NO_DATA))
    warned = [CASE_FILE_WARN_IGNORED.format(columns="、".join(layout.ignored))] if layout.ignored else []
    fields = frozenset(key for _, key in layout.positions)
    return CaseFileResult(checker.records(datum), checker.errors, warned, count, fields)


# ------------------------------------------------------------------------------------------------------- template

def _example_value(key: str, text: str) -> object:
    """The example as Excel would hold it: real date cells, numbers for amounts and coordinates."""
    if key in TIME_KEYS:
        return datetime.strptime(text, "%Y-%m-%d %H:%M")
    if key in AMOUNT_KEYS or key in NUMBER_KEYS:
        number = Decimal(text)
        return int(number) if number == number.to_integral_value() else float(number)
    return text


def template_xlsx() -> bytes:
    """The import template as .xlsx: bold header, one example row, and a 填写说明 sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = CASE_FILE_SHEET_CASES
    sheet.append([column.header for column in COLUMNS])
    sheet.append([_example_value(column.key, column.example) for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.cell(1, index).font = Font(bold=True, color="C00000" if column.required else None)
        sheet.column_dimensions[letter].width = max(10, len(column.header) * 2 + 4)
        if column.key in TIME_KEYS:
            sheet.cell(2, index).number_format = "yyyy-mm-dd hh:mm"
        elif column.key in ("case_no", "unit_id"):
            # Text cells, so long numeric codes are not turned into 3.5E+08 by Excel.
            sheet.column_dimensions[letter].number_format = "@"
            sheet.cell(2, index).number_format = "@"
    sheet.freeze_panes = "A2"
    _help_sheet(book.create_sheet(CASE_FILE_SHEET_HELP))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _help_sheet(sheet) -> None:
    sheet.append(list(CASE_FILE_HELP_HEADERS))
    for column in COLUMNS:
        required = CASE_FILE_REQUIRED if column.required else CASE_FILE_OPTIONAL
        sheet.append([column.header, required, column.description, column.example])
    sheet.append([])
    for note in CASE_FILE_NOTES:
        sheet.append([note.format(limit=MAX_ROWS)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (22, 10, 80, 40), strict=True):
        sheet.column_dimensions[letter].width = width


def template_csv() -> bytes:
    """The import template as CSV: header and one example row, UTF-8 with BOM so Excel reads the Chinese."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([column.header for column in COLUMNS])
    writer.writerow([column.example for column in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")
