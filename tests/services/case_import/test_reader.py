"""Case import files: template, CSV/XLSX reading, every bad cell reported with its row, column and reason."""

import csv
import io
import time
import zipfile
from datetime import UTC, date, datetime

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from sqlalchemy import select

from db.engine import read_session, write_session
from db.models import FraudCase
from services.case_import import reader as case_file
from services.case_import.cells import cell_text
from services.case_import.reader import COLUMNS, HEADERS, RowError, read_case_file, template_csv, template_xlsx
from services.case_import.text import (
    CASE_FILE_AGE,
    CASE_FILE_AMOUNT_DECIMALS,
    CASE_FILE_AMOUNT_FORMAT,
    CASE_FILE_AMOUNT_NEGATIVE,
    CASE_FILE_AMOUNT_TOO_LARGE,
    CASE_FILE_CHOICE_UNKNOWN,
    CASE_FILE_CONTROL_CHARS,
    CASE_FILE_COORD_FORMAT,
    CASE_FILE_COORDS_PAIR,
    CASE_FILE_COORDS_SWAPPED,
    CASE_FILE_DATE_INVALID,
    CASE_FILE_DUPLICATE_CASE_NO,
    CASE_FILE_DUPLICATE_COLUMN,
    CASE_FILE_EMPTY,
    CASE_FILE_ENCODING,
    CASE_FILE_FRAUD_TYPE_UNKNOWN,
    CASE_FILE_HELP_HEADERS,
    CASE_FILE_LAT_RANGE,
    CASE_FILE_LON_RANGE,
    CASE_FILE_MISSING_COLUMNS,
    CASE_FILE_NO_DATA,
    CASE_FILE_NOT_TEXT,
    CASE_FILE_OCCURRED_AFTER_REPORTED,
    CASE_FILE_OPTIONAL,
    CASE_FILE_RECOVERED_OVER_LOSS,
    CASE_FILE_REQUIRED,
    CASE_FILE_REQUIRED_EMPTY,
    CASE_FILE_SHEET_CASES,
    CASE_FILE_SHEET_HELP,
    CASE_FILE_TIME_FORMAT,
    CASE_FILE_TIME_FUTURE,
    CASE_FILE_TIME_NO_DATE,
    CASE_FILE_TIME_TOO_OLD,
    CASE_FILE_TOO_LONG,
    CASE_FILE_TOO_MANY_ROWS,
    CASE_FILE_UNIT_UNKNOWN,
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
from services.geo.gcj02 import wgs84_to_gcj02
from services.shared.errors import InvalidInput
from services.units.tree import add_unit
from vocabulary import FraudType

NOW = datetime(2026, 11, 28, 4, tzinfo=UTC)  # 12:00 Beijing time
UNITS = {"350605100": 7, "武安派出所": 7, "350605101": 8, "岩溪派出所": 8}
EXAMPLE = {column.header: column.example for column in COLUMNS}
H = HEADERS


def _csv(rows: list[dict], headers: list[str] | None = None, encoding: str = "utf-8-sig") -> bytes:
    headers = headers or [column.header for column in COLUMNS]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(header, "") for header in headers])
    return buffer.getvalue().encode(encoding)


def _row(**changes: str) -> dict:
    """The template's example row with some cells changed (keys are column keys)."""
    row = dict(EXAMPLE)
    row.update({H[key]: value for key, value in changes.items()})
    return row


def _read(data: bytes, name: str = "cases.csv", datum: str = "wgs84", **kwargs):
    return read_case_file(data, name, datum, UNITS, now=NOW, **kwargs)


def _xlsx(rows: list[list], epoch=None) -> bytes:
    book = openpyxl.Workbook()
    if epoch is not None:
        book.epoch = epoch
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


EXPECTED_EXAMPLE = {
    "case_no": "A3506052026112000001", "unit_id": 7, "reported_at": datetime(2026, 11, 20, 2, 30, tzinfo=UTC),
    "occurred_at": datetime(2026, 11, 19, 13, 15, tzinfo=UTC), "fraud_type": "rebate", "loss_fen": 3_500_000,
    "recovered_fen": 0, "frozen_fen": 500_050, "status": "investigating", "contact_channel": "qq",
    "payment_channel": "bank_transfer", "lon": 117.7612, "lat": 24.6213, "address": "长泰区武安镇某小区",
    "victim_name": "张某某", "victim_gender": "female", "victim_age": 28, "victim_occupation": "企业职员",
    "victim_education": "本科", "victim_economic": "一般", "victim_reached_by_propaganda": False,
    "summary": "受害人在QQ群看到兼职刷单广告，按要求垫付后无法提现。",
}


# ---------------------------------------------------------------------------------------------------- template

@pytest.mark.parametrize("make, name", [(template_xlsx, "模板.xlsx"), (template_csv, "模板.csv")])
def test_template_example_row_parses_cleanly(make, name):
    result = _read(make(), name)
    assert result.errors == [] and result.warnings == [] and result.rows == 1
    (record,) = result.records
    assert record.row == 2
    assert {key: getattr(record, key) for key in EXPECTED_EXAMPLE} == EXPECTED_EXAMPLE
    assert result.fields == frozenset(column.key for column in COLUMNS)


def test_template_xlsx_layout():
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    assert book.sheetnames == [CASE_FILE_SHEET_CASES, CASE_FILE_SHEET_HELP]
    sheet = book[CASE_FILE_SHEET_CASES]
    assert [cell.value for cell in sheet[1]] == [column.header for column in COLUMNS]
    assert all(cell.font.bold for cell in sheet[1])
    assert isinstance(sheet.cell(2, 3).value, datetime)  # 接报时间 is a real date cell
    help_rows = list(book[CASE_FILE_SHEET_HELP].iter_rows(values_only=True))
    assert help_rows[0] == CASE_FILE_HELP_HEADERS
    listed = {row[0]: row[1] for row in help_rows[1:len(COLUMNS) + 1]}
    assert listed == {c.header: CASE_FILE_REQUIRED if c.required else CASE_FILE_OPTIONAL for c in COLUMNS}
    fraud_help = next(row[2] for row in help_rows if row[0] == H["fraud_type"])
    assert all(label in fraud_help for label in FraudType.labels().values())


def test_template_csv_has_bom_and_the_required_columns():
    data = template_csv()
    assert data.startswith(b"\xef\xbb\xbf")
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert {"案件编号", "所属单位", "接报时间", "诈骗类型", "损失金额（元）"} <= set(header)
    assert [c.header for c in COLUMNS if c.required] == ["案件编号", "所属单位", "接报时间", "诈骗类型", "损失金额（元）"]


# ------------------------------------------------------------------------------------------------ reading files

@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_csv_encodings(encoding):
    result = _read(_csv([_row(address="漳州市长泰区武安镇", victim_name="欧阳娜娜")], encoding=encoding))
    assert result.errors == []
    assert (result.records[0].address, result.records[0].victim_name) == ("漳州市长泰区武安镇", "欧阳娜娜")


def test_utf16_tab_separated_text():
    text = "\t".join(EXAMPLE) + "\r\n" + "\t".join(EXAMPLE.values()) + "\r\n"
    result = _read("\ufeff".encode("utf-16-le") + text.encode("utf-16-le"), "导出.txt")
    assert result.errors == [] and result.records[0].case_no == EXPECTED_EXAMPLE["case_no"]


def test_xlsx_with_real_datetime_cells_and_numbers():
    headers = [c.header for c in COLUMNS]
    row = dict(EXAMPLE) | {
        H["reported_at"]: datetime(2026, 11, 27, 23, 45), H["occurred_at"]: date(2026, 11, 27),
        H["loss_fen"]: 1234.56, H["recovered_fen"]: 100, H["frozen_fen"]: 0.1,
        H["unit_id"]: 350605101, H["victim_age"]: 61.0, H["lon"]: 117.7612, H["lat"]: 24.6213,
        H["victim_reached_by_propaganda"]: True,
    }
    result = _read(_xlsx([headers, [row[h] for h in headers]]), "cases.xlsx")
    assert result.errors == []
    record = result.records[0]
    assert record.reported_at == datetime(2026, 11, 27, 15, 45, tzinfo=UTC)
    assert record.occurred_at == datetime(2026, 11, 26, 16, 0, tzinfo=UTC)
    assert (record.loss_fen, record.recovered_fen, record.frozen_fen) == (123_456, 10_000, 10)
    assert (record.unit_id, record.victim_age, record.victim_reached_by_propaganda) == (8, 61, True)


def test_xlsx_excel_serial_numbers_and_the_1904_date_system():
    serial = 46_353.4375  # 2026-11-27 10:30 on the 1900 system
    headers = [H["case_no"], H["unit_id"], H["reported_at"], H["fraud_type"], H["loss_fen"]]
    expected = datetime(2026, 11, 27, 2, 30, tzinfo=UTC)
    plain = _read(_xlsx([headers, ["A1", "350605100", serial, "其他", 0]]), "a.xlsx")
    assert plain.errors == [] and plain.records[0].reported_at == expected
    mac = _read(_xlsx([headers, ["A1", "350605100", serial - 1462, "其他", 0]], epoch=CALENDAR_MAC_1904), "a.xlsx")
    assert mac.errors == [] and mac.records[0].reported_at == expected
    text = _read(_csv([{**dict(zip(headers, ["A1", "350605100", str(serial), "其他", "0"]))}], headers))
    assert text.errors == [] and text.records[0].reported_at == expected


# ------------------------------------------------------------------------------- XLSX as other systems write it

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def _package(sheet_data: str, shared: list[str] | None = None, *, date1904: bool = False, prefix: str = "",
             dimension: str | None = None) -> bytes:
    """A minimal workbook as Excel writes it: shared strings, one sheet whose <sheetData> is given."""
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns{":" + prefix if prefix else ""}="{MAIN}"'
    shared_xml = "".join(shared or [])
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="/xl/sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<{p}workbook {xmlns} xmlns:r="{RELS}">'
            f'<{p}workbookPr{" date1904=" + chr(34) + "1" + chr(34) if date1904 else ""}/>'
            f'<{p}sheets><{p}sheet name="案件" sheetId="1" r:id="rId1"/></{p}sheets></{p}workbook>'
        ),
        "xl/sharedStrings.xml": f'<{p}sst {xmlns} count="{len(shared or [])}">{shared_xml}</{p}sst>',
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><{p}worksheet {xmlns}>'
            + (f'<{p}dimension ref="{dimension}"/>' if dimension else "")
            + f"<{p}sheetData>{sheet_data}</{p}sheetData></{p}worksheet>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _sheet_text(data: bytes) -> list[list[str]]:
    """The first sheet's rows as the checks see them (cell_text), trailing empty cells dropped."""
    rows = []
    for row in case_file._xlsx_rows(data).rows:
        cells = [cell_text(cell) for cell in row]
        while cells and not cells[-1]:
            cells.pop()
        rows.append(cells)
    return rows


SHARED = [
    "<si><t>案件编号</t></si>",
    '<si><r><rPr><b/></rPr><t>刷单</t></r><r><t xml:space="preserve">返利 类</t></r></si>',
    "<si><t>张三</t><rPh sb=\"0\" eb=\"2\"><t>ZHANG SAN</t></rPh></si>",
    "<si><t>A &amp; B &lt;C&gt;</t></si>",
]
SHEET = (
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>'
    '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>350605100</v></c><c r="C2"><v>1234.56</v></c>'
    '<c r="D2"><v>46353.4375</v></c><c r="E2" t="b"><v>1</v></c></row>'
    '<row r="4"><c r="B4" t="inlineStr"><is><t>内联</t></is></c>'
    '<c r="C4" t="str"><f>CONCAT("a","b")</f><v>ab</v></c><c r="D4"><f>1+1</f><v>2</v></c>'
    '<c r="E4" t="s"><v>3</v></c><c r="F4"><v>13812345678</v></c></row>'
    "<row><c><v>7</v></c><c/><c><v>9</v></c></row>"
)


@pytest.mark.parametrize("prefix", ["", "x"])
def test_a_workbook_as_excel_writes_it(prefix):
    data = _package(SHEET, SHARED, prefix=prefix, dimension="A1")  # a bogus dimension, as some exporters write
    assert case_file._xlsx_rows(data).declared == 5
    assert _sheet_text(data) == [
        ["案件编号", "", "刷单返利 类"], ["张三", "350605100", "1234.56", "46353.4375", "True"], [],
        ["", "内联", "ab", "2", "A & B <C>", "13812345678"], ["7", "", "9"],
    ]


def test_the_1904_date_system_is_reported():
    assert case_file._xlsx_rows(_package(SHEET, SHARED, date1904=True)).epoch == case_file.EPOCH_1904
    assert case_file._xlsx_rows(_package(SHEET, SHARED)).epoch == case_file.EPOCH_1900
    assert case_file._xlsx_rows(_xlsx([[1]], epoch=CALENDAR_MAC_1904)).epoch == case_file.EPOCH_1904


def test_the_first_worksheet_is_read_even_after_a_chartsheet():
    book = openpyxl.Workbook()
    book.active.title = "数据"
    book.active.append(["第一张工作表"])
    book.create_sheet("第二张").append(["不读"])
    book.create_chartsheet("图表", 0)
    buffer = io.BytesIO()
    book.save(buffer)
    assert _sheet_text(buffer.getvalue()) == [["第一张工作表"]]


def test_date_cells_come_as_datetimes_and_plain_numbers_stay_numbers():
    rows = list(case_file._xlsx_rows(_xlsx([[datetime(2026, 11, 27, 10, 30), 46353.4375, 61]])).rows)
    assert rows == [[datetime(2026, 11, 27, 10, 30), 46353.4375, 61]]


TEXT = hst.text(hst.characters(blacklist_categories=("Cs", "Cc")), max_size=12).filter(
    lambda text: not text.startswith("="))
CELL = hst.one_of(hst.none(), TEXT, hst.integers(-(2**53), 2**53), hst.booleans(),
                  hst.floats(allow_nan=False, allow_infinity=False))


@settings(max_examples=40, deadline=None)
@given(hst.lists(hst.lists(CELL, max_size=6), min_size=1, max_size=8))
def test_any_grid_written_by_openpyxl_reads_as_openpyxl_reads_it(grid):
    data = _xlsx(grid)
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    slow = [[cell_text(cell) for cell in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    fast = _sheet_text(data)
    for rows in (fast, slow):
        for row in rows:
            while row and not row[-1]:
                row.pop()
        while rows and not rows[-1]:
            rows.pop()
    assert fast == slow


def test_xlsx_numbers_too_long_for_a_float_keep_their_digits():
    """Case numbers and amounts that another system wrote as exact numbers: a float would round them."""
    header = "".join(f'<c r="{c}1" t="s"><v>{i}</v></c>' for i, c in enumerate("ABCDE"))
    shared = [f"<si><t>{H[key]}</t></si>" for key in ("case_no", "unit_id", "reported_at", "fraud_type", "loss_fen")]
    shared += ["<si><t>2026-11-20 10:30</t></si>", "<si><t>其他</t></si>"]
    row = ('<row r="2"><c r="A2"><v>35060520261120000012</v></c><c r="B2"><v>350605101</v></c>'
           '<c r="C2" t="s"><v>5</v></c><c r="D2" t="s"><v>6</v></c><c r="E2"><v>1234.56</v></c></row>')
    result = _read(_package(f'<row r="1">{header}</row>{row}', shared), "a.xlsx")
    assert result.errors == []
    assert [(r.case_no, r.unit_id, r.loss_fen) for r in result.records] == [("35060520261120000012", 8, 123_456)]


# ------------------------------------------------------------------------------------ refused before parsing

def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _members(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()}


def test_a_zip_bomb_xlsx_is_refused_fast_with_a_clear_message():
    """A shared-strings part of 300 MB of one repeated string packs into well under 1 MB."""
    members = _members(_package(SHEET, SHARED))
    members["xl/sharedStrings.xml"] = b"<sst><si><t>" + b"A" * (300 * 1024 * 1024) + b"</t></si></sst>"
    data = _zip(members)
    assert len(data) < 1024 * 1024
    started = time.perf_counter()
    result = _read(data, "bomb.xlsx")
    assert time.perf_counter() - started < 1
    message = CASE_FILE_XLSX_TOO_BIG.format(total=200, member=150)
    assert "解压后过大" in message
    assert result.records == [] and result.errors == [RowError(0, CASE_FILE_WHOLE_FILE, message)]


def test_a_highly_compressed_part_is_refused_even_within_the_size_limits():
    members = _members(_package(SHEET, SHARED))
    members["xl/sharedStrings.xml"] = b"<sst><si><t>" + b"A" * (20 * 1024 * 1024) + b"</t></si></sst>"
    result = _read(_zip(members), "a.xlsx")
    assert result.errors == [RowError(0, CASE_FILE_WHOLE_FILE, CASE_FILE_XLSX_RATIO.format(ratio=100))]


def test_too_many_parts_are_refused(monkeypatch):
    monkeypatch.setattr(case_file, "XLSX_MAX_MEMBERS", 20)
    members = _members(_package(SHEET, SHARED)) | {f"xl/media/image{i}.png": b"x" for i in range(20)}
    result = _read(_zip(members), "a.xlsx")
    assert result.errors == [RowError(0, CASE_FILE_WHOLE_FILE, CASE_FILE_XLSX_MEMBERS.format(limit=20))]


def test_a_cell_far_away_is_refused_before_the_grid_is_built():
    far = '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'
    result = _read(_package(far, SHARED), "a.xlsx")
    expected = CASE_FILE_XLSX_EXTENT.format(rows=1_048_576, columns=16_384)
    assert result.errors == [RowError(0, CASE_FILE_WHOLE_FILE, expected)]


def test_a_zip_that_is_no_workbook_is_refused():
    result = _read(_zip({"word/document.xml": b"<document/>", "[Content_Types].xml": b"<Types/>"}), "a.xlsx")
    assert result.errors == [RowError(0, CASE_FILE_WHOLE_FILE, CASE_FILE_XLSX_INVALID)]


def test_a_part_whose_declared_size_is_false_is_refused():
    """The size limits read the zip's directory; a part that unpacks to more than it declares is caught too."""
    data = bytearray(_package(SHEET, SHARED))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/sharedStrings.xml")
    entry = data.index(b"PK\x01\x02")  # the central directory entries: 46 fixed bytes, then the name
    while data[entry + 46:entry + 46 + len(info.filename)] != info.filename.encode():
        entry = data.index(b"PK\x01\x02", entry + 4)
    data[entry + 24:entry + 28] = (info.file_size // 2).to_bytes(4, "little")  # its uncompressed size, halved
    result = _read(bytes(data), "a.xlsx")
    assert result.errors == [RowError(0, CASE_FILE_WHOLE_FILE, CASE_FILE_XLSX_UNREADABLE)]


def test_title_rows_above_the_header_keep_sheet_row_numbers():
    headers = [c.header for c in COLUMNS]
    data = _xlsx([["XX市公安局电信网络诈骗案件统计表"], [], headers, [EXAMPLE[h] for h in headers],
                  ["A2"] + [None] * (len(headers) - 1)])
    result = _read(data, "a.xlsx")
    assert result.records[0].row == 4
    assert RowError(5, H["unit_id"], CASE_FILE_REQUIRED_EMPTY) in result.errors


def test_header_matching_is_tolerant_and_extra_columns_are_ignored():
    headers = ["  案件编号 ", "*所属单位", "接报时间", "诈骗类型", "损失金额(元)", "挽回金额 （元）", "冻结金额", "备注",
               "录入人"]
    row = dict(zip(headers, ["a-1", "武安派出所", "2026-11-01", "刷单返利", "12.3万元", "1,234.56", "7", "x", "y"]))
    result = _read(_csv([row], headers))
    assert result.errors == []
    assert result.warnings == [CASE_FILE_WARN_IGNORED.format(columns="备注、录入人")]
    record = result.records[0]
    assert (record.case_no, record.unit_id, record.loss_fen, record.recovered_fen, record.frozen_fen) == (
        "A-1", 7, 12_300_000, 123_456, 700)
    assert result.fields == {"case_no", "unit_id", "reported_at", "fraud_type", "loss_fen", "recovered_fen",
                             "frozen_fen"}
    assert (record.status, record.lon, record.summary, record.victim_age) == ("registered", None, None, None)


def test_missing_required_columns_are_one_error_on_the_header_row():
    headers = [H["case_no"], H["fraud_type"], H["summary"]]
    result = _read(_csv([dict(zip(headers, ["A1", "其他", "x"]))], headers))
    assert result.records == []
    assert result.errors == [RowError(1, "所属单位、接报时间、损失金额（元）",
                                      CASE_FILE_MISSING_COLUMNS.format(columns="所属单位、接报时间、损失金额（元）"))]


def test_a_column_given_twice_is_refused():
    headers = [c.header for c in COLUMNS] + ["案号"]
    result = _read(_csv([_row()], headers))
    assert result.errors == [RowError(1, H["case_no"], CASE_FILE_DUPLICATE_COLUMN.format(column=H["case_no"]))]


@pytest.mark.parametrize("data, name, reason", [
    (b"%PDF-1.4 whatever", "report.pdf", CASE_FILE_UNSUPPORTED),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "old.xls", CASE_FILE_XLS),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "locked.xlsx", CASE_FILE_XLS),
    (b"PK\x03\x04 this is not really a zip", "broken.xlsx", CASE_FILE_XLSX_UNREADABLE),
    (b"not a zip at all", "broken.xlsx", CASE_FILE_XLSX_UNREADABLE),
    (b"<html><table></table></html>", "export.xls", CASE_FILE_XLS),
    (b"", "empty.csv", CASE_FILE_EMPTY),
    (b"\xef\xbb\xbf\r\n\r\n", "blank.csv", CASE_FILE_EMPTY),
    (b"a,b\x00,c", "binary.csv", CASE_FILE_NOT_TEXT),
    (b"\x81\x30\xff\xfe\xfd\x81", "weird.csv", CASE_FILE_ENCODING),
])
def test_unreadable_files_give_one_clear_error(data, name, reason):
    result = _read(data, name)
    assert result.records == [] and result.errors == [RowError(0, CASE_FILE_WHOLE_FILE, reason)]


def test_a_damaged_sheet_inside_a_good_zip_is_reported_not_raised():
    data = _xlsx([[c.header for c in COLUMNS], [EXAMPLE[c.header] for c in COLUMNS]])
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w") as damaged:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]
            damaged.writestr(item, content)
    result = _read(target.getvalue(), "a.xlsx")
    assert result.errors == [RowError(0, CASE_FILE_WHOLE_FILE, CASE_FILE_XLSX_UNREADABLE)]


def test_header_only_file_has_no_data():
    result = _read(_csv([]))
    assert result.errors == [RowError(0, CASE_FILE_WHOLE_FILE, CASE_FILE_NO_DATA)]


def test_unterminated_quote_is_a_file_error():
    data = _csv([_row()]) + '"A9,"350605100'.encode() + b"x" * 200_000
    result = _read(data)
    assert len(result.errors) == 1 and result.errors[0].row == 0
    assert result.errors[0].reason.startswith("CSV 文件第")


def test_too_many_rows_is_refused(monkeypatch):
    monkeypatch.setattr(case_file, "MAX_ROWS", 3)
    rows = [_row(case_no=f"A{i}") for i in range(4)]
    assert _read(_csv(rows[:3])).errors == []
    result = _read(_csv(rows))
    assert result.records == []
    assert result.errors == [RowError(0, CASE_FILE_WHOLE_FILE, CASE_FILE_TOO_MANY_ROWS.format(limit=3))]


def test_empty_rows_are_skipped_and_row_numbers_stay_those_of_the_sheet():
    rows = [_row(case_no="A1"), {}, {}, _row(case_no="A2", loss_fen="abc")]
    result = _read(_csv(rows))
    assert result.rows == 2 and [r.row for r in result.records] == [2]
    assert [(e.row, e.column) for e in result.errors] == [(5, H["loss_fen"])]


def test_progress_is_not_repeated_when_the_rows_are_a_round_number():
    calls = []
    _read(_csv([_row(case_no=f"A{i}") for i in range(2_000)]), progress=lambda *call: calls.append(call))
    assert calls == [(1_000, 2_000), (2_000, 2_000)]


def test_progress_every_thousand_rows_then_done():
    rows = [_row(case_no=f"A{i}") for i in range(2_500)]
    calls = []
    result = _read(_csv(rows), progress=lambda done, total: calls.append((done, total)))
    assert len(result.records) == 2_500 and result.errors == []
    assert calls == [(1_000, 2_500), (2_000, 2_500), (2_500, 2_500)]


def test_progress_of_an_xlsx_that_declares_no_size_has_an_estimated_total():
    book = openpyxl.Workbook(write_only=True)  # write-only mode writes no <dimension>
    sheet = book.create_sheet()
    sheet.append([c.header for c in COLUMNS])
    for i in range(3_000):
        sheet.append([f"A{i}" if c.key == "case_no" else EXAMPLE[c.header] for c in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    calls = []
    result = _read(buffer.getvalue(), "a.xlsx", progress=lambda done, total: calls.append((done, total)))
    assert len(result.records) == 3_000 and result.errors == []
    assert [done for done, _ in calls[:3]] == [1_000, 2_000, 3_000] and calls[-1] == (3_000, 3_000)
    assert all(2_500 <= total <= 3_500 for _, total in calls)


def test_an_unknown_datum_is_refused():
    with pytest.raises(InvalidInput):
        read_case_file(template_csv(), "a.csv", "bd09", UNITS, now=NOW)


# ----------------------------------------------------------------------------------------------------- bad cells

TOO_LONG = CASE_FILE_TOO_LONG.format


@pytest.mark.parametrize("key, value, reason", [
    ("case_no", "", CASE_FILE_REQUIRED_EMPTY),
    ("case_no", "A" * 41, TOO_LONG(limit=40)),
    ("unit_id", "", CASE_FILE_REQUIRED_EMPTY),
    ("unit_id", "城关派出所", CASE_FILE_UNIT_UNKNOWN.format(value="城关派出所")),
    ("reported_at", "", CASE_FILE_REQUIRED_EMPTY),
    ("reported_at", "昨天下午", CASE_FILE_TIME_FORMAT.format(value="昨天下午")),
    ("reported_at", "2026-02-30 10:00", CASE_FILE_DATE_INVALID.format(value="2026-02-30 10:00")),
    ("reported_at", "2026-11-28 12:01", CASE_FILE_TIME_FUTURE),
    ("reported_at", "1999-12-31", CASE_FILE_TIME_TOO_OLD.format(year=2000)),
    ("reported_at", "0.4375", CASE_FILE_TIME_NO_DATE),
    ("occurred_at", "2026-11-20 10:31", CASE_FILE_OCCURRED_AFTER_REPORTED),
    ("fraud_type", "", CASE_FILE_REQUIRED_EMPTY),
    ("fraud_type", "杀猪盘", CASE_FILE_FRAUD_TYPE_UNKNOWN.format(value="杀猪盘")),
    ("loss_fen", "", CASE_FILE_REQUIRED_EMPTY),
    ("loss_fen", "-100", CASE_FILE_AMOUNT_NEGATIVE),
    ("loss_fen", "1234.567", CASE_FILE_AMOUNT_DECIMALS),
    ("loss_fen", "约五千", CASE_FILE_AMOUNT_FORMAT.format(value="约五千")),
    ("loss_fen", "3万多", CASE_FILE_AMOUNT_FORMAT.format(value="3万多")),
    ("loss_fen", "10亿零1分", CASE_FILE_AMOUNT_FORMAT.format(value="10亿零1分")),
    ("loss_fen", "1000000000.01", CASE_FILE_AMOUNT_TOO_LARGE),
    ("recovered_fen", "35000.01", CASE_FILE_RECOVERED_OVER_LOSS),
    ("frozen_fen", "abc", CASE_FILE_AMOUNT_FORMAT.format(value="abc")),
    ("status", "已结案", CASE_FILE_CHOICE_UNKNOWN.format(value="已结案", choices="已立案、侦查中、已破案、已终止")),
    ("contact_channel", "飞书", CASE_FILE_CHOICE_UNKNOWN.format(value="飞书",
                                                                choices="电话、短信、微信、QQ、APP、网站、其他")),
    ("payment_channel", "比特币", CASE_FILE_CHOICE_UNKNOWN.format(
        value="比特币", choices="银行卡转账、支付宝、微信、ATM、现金、其他")),
    ("lat", "", CASE_FILE_COORDS_PAIR),
    ("lon", "东经117度", CASE_FILE_COORD_FORMAT.format(value="东经117度")),
    ("lon", "190.5", CASE_FILE_LON_RANGE),
    ("lat", "95", CASE_FILE_LAT_RANGE),
    ("address", "地" * 201, TOO_LONG(limit=200)),
    ("victim_name", "张\x07三", CASE_FILE_CONTROL_CHARS),
    ("victim_gender", "未知", CASE_FILE_CHOICE_UNKNOWN.format(value="未知", choices="男、女")),
    ("victim_age", "121", CASE_FILE_AGE),
    ("victim_age", "三十", CASE_FILE_AGE),
    ("victim_occupation", "职" * 33, TOO_LONG(limit=32)),
    ("victim_education", "专" * 17, TOO_LONG(limit=16)),
    ("victim_reached_by_propaganda", "也许", CASE_FILE_CHOICE_UNKNOWN.format(value="也许", choices="是、否")),
])
def test_each_bad_cell_is_reported_with_row_column_and_reason(key, value, reason):
    good = _row(case_no="A-GOOD")
    result = _read(_csv([good, _row(**{key: value})]))
    assert result.errors == [RowError(3, H[key], reason)]
    assert [record.case_no for record in result.records] == ["A-GOOD"]


def test_every_bad_cell_of_a_row_is_reported():
    bad = _row(unit_id="不存在的所", reported_at="2026-13-01", fraud_type="不知道", loss_fen="-5",
               victim_age="200", lon="117.7", lat="")
    result = _read(_csv([bad]))
    assert {(e.row, e.column) for e in result.errors} == {
        (2, H["unit_id"]), (2, H["reported_at"]), (2, H["fraud_type"]), (2, H["loss_fen"]),
        (2, H["victim_age"]), (2, H["lat"]),
    }
    assert result.records == []


def test_duplicate_case_numbers_are_an_error_on_the_later_rows():
    rows = [_row(case_no="a-1"), _row(case_no="A-2"), _row(case_no=" A-1 "), _row(case_no="A-1", loss_fen="x")]
    result = _read(_csv(rows))
    duplicate = CASE_FILE_DUPLICATE_CASE_NO.format(row=2)
    assert RowError(4, H["case_no"], duplicate) in result.errors
    assert RowError(5, H["case_no"], duplicate) in result.errors
    assert [r.case_no for r in result.records] == ["A-1", "A-2"]


@pytest.mark.parametrize("key, text, value", [
    ("fraud_type", "刷单返利", FraudType.REBATE),
    ("fraud_type", "刷单返利类", FraudType.REBATE),
    ("fraud_type", " 刷单、返利 ", FraudType.REBATE),
    ("fraud_type", "冒充军警购物类", FraudType.FAKE_MILITARY_PURCHASE),
    ("fraud_type", "网黑", FraudType.NET_BLACKMAIL),
    ("fraud_type", "贷款代办信用卡", FraudType.LOAN_CARD),
    ("fraud_type", "冒充公检法及政府机关", FraudType.FAKE_AUTHORITY),
    ("fraud_type", "rebate", FraudType.REBATE),
    ("fraud_type", "其它", FraudType.OTHER),
    ("unit_id", " 武安派出所 ", 7),
    ("unit_id", "３５０６０５１０１", 8),
    ("victim_gender", "男性", "male"),
    ("victim_age", "35岁", 35),
    ("victim_education", "高中", "高中/中专"),
    ("victim_education", "中专", "高中/中专"),
    ("victim_education", "自学", "自学"),
    ("victim_economic", "负债累累", "负债累累"),
    ("victim_reached_by_propaganda", "不详", None),
    ("victim_reached_by_propaganda", "是", True),
    ("contact_channel", "qq", "qq"),
    ("status", "已破案", "solved"),
    ("reported_at", "2026年11月20日 9时05分", datetime(2026, 11, 20, 1, 5, tzinfo=UTC)),
    ("reported_at", "2026/11/20 10:30:00", datetime(2026, 11, 20, 2, 30, tzinfo=UTC)),
    ("reported_at", "2026-11-20T02:30:00Z", datetime(2026, 11, 20, 2, 30, tzinfo=UTC)),
    ("reported_at", "20261120103000", datetime(2026, 11, 20, 2, 30, tzinfo=UTC)),
    ("loss_fen", "¥1,234,567.8", 123_456_780),
    ("loss_fen", "12.3万", 12_300_000),
    ("loss_fen", "八十万", 80_000_000),
    ("address", "长泰区\n武安镇", "长泰区 武安镇"),
    ("summary", "第一行\r\n第二行", "第一行\n第二行"),
])
def test_accepted_spellings(key, text, value):
    result = _read(_csv([_row(**{key: text})]))
    assert result.errors == []
    assert getattr(result.records[0], key) == value


def test_many_rows_with_repeating_values_each_get_their_own():
    units = {"武安派出所": 7, "350605101": 8}
    types = {label: member.value for member, label in FraudType.labels().items()}
    channels = {"微信": ("wechat", "wechat_pay"), "其他": ("other", "other"), "QQ": ("qq", None)}
    rows, expected = [], []
    for i in range(60):
        unit, label = list(units)[i % 2], list(types)[i % 13]
        channel = list(channels)[i % 3]
        payment = channel if channels[channel][1] else ""
        rows.append(_row(case_no=f"C{i}", unit_id=unit, fraud_type=label, contact_channel=channel,
                         payment_channel=payment, victim_age=str(i % 7 + 20), victim_gender="男女"[i % 2]))
        expected.append((f"C{i}", units[unit], types[label], channels[channel][0], channels[channel][1],
                         i % 7 + 20, ("male", "female")[i % 2]))
    result = _read(_csv(rows))
    assert result.errors == []
    assert [(r.case_no, r.unit_id, r.fraud_type, r.contact_channel, r.payment_channel, r.victim_age, r.victim_gender)
            for r in result.records] == expected


# ------------------------------------------------------------------------------------------------- coordinates

def test_gcj02_coordinates_are_converted_to_wgs84():
    # Near 长泰区 a GCJ-02 coordinate lies about +0.0049° lon and −0.0028° lat from WGS84.
    result = _read(_csv([_row(lon="117.76", lat="24.62")]), datum="gcj02")
    record = result.records[0]
    assert 117.76 - record.lon == pytest.approx(0.0049, abs=0.0003)
    assert 24.62 - record.lat == pytest.approx(-0.0028, abs=0.0003)
    back = wgs84_to_gcj02(record.lon, record.lat)
    assert back == pytest.approx((117.76, 24.62), abs=1e-7)


def test_swapped_coordinates_are_pointed_out():
    result = _read(_csv([_row(lon="24.6213", lat="117.7612")]))
    assert result.errors == [RowError(2, H["lat"], CASE_FILE_COORDS_SWAPPED)]


def test_wgs84_coordinates_are_kept_as_given():
    record = _read(_csv([_row(lon="117.76", lat="24.62")]), datum="WGS-84").records[0]
    assert (record.lon, record.lat) == (117.76, 24.62)


def test_rows_without_coordinates_stay_unlocated_under_gcj02():
    result = _read(_csv([_row(case_no="A1", lon="", lat=""), _row(case_no="A2")]), datum="gcj02")
    assert result.errors == []
    assert (result.records[0].lon, result.records[0].lat) == (None, None)
    assert result.records[1].lon == pytest.approx(117.7612 - 0.0049, abs=0.0003)


# ------------------------------------------------------------------------------------------------ ready to write

def test_records_insert_as_fraud_cases_on_each_backend(engine):
    with write_session(engine) as session:
        wuan = add_unit(session, code="350605100", name="武安派出所", kind="city_bureau", parent_code=None)
        lookup = {"350605100": wuan.id}
    longest = _row(case_no="B" * 40, address="址" * 200, victim_name="名" * 64, victim_occupation="职" * 32,
                   victim_education="学" * 16, victim_economic="济" * 16, summary="案" * 5_000)
    result = read_case_file(_csv([_row(), longest]), "a.csv", "gcj02", lookup, now=NOW)
    assert result.errors == []
    # Solving (破案) is recorded on the 打击挽损 page, not imported with the case.
    writable = [name for name in FraudCase.model_fields
                if name not in {"id", "created_at", "updated_at", "source", "solved_on", "solved_how"}]
    with write_session(engine) as session:
        for record in result.records:
            values = {name: getattr(record, name) for name in writable}
            session.add(FraudCase(**values, source="import", created_at=NOW, updated_at=NOW))
    with read_session(engine) as session:
        stored = {case.case_no: case for case in session.execute(select(FraudCase)).scalars()}
    for record in result.records:
        case = stored[record.case_no]
        assert {name: getattr(case, name) for name in writable} == {name: getattr(record, name) for name in writable}
