"""The fast .xlsx reader gives the same cached values as openpyxl's read-only mode, row for row."""

import io
import zipfile
from datetime import datetime

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from services.case_import.xlsx import EPOCH_1900, EPOCH_1904, XlsxError, first_sheet

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


def _openpyxl_rows(data: bytes) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    sheet.reset_dimensions()
    rows = [_trimmed(row) for row in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


def _trimmed(row) -> list:
    values = list(row)
    while values and values[-1] is None:
        values.pop()
    return values


def _fast_rows(data: bytes) -> list[list]:
    return [_trimmed(row) for row in first_sheet(data).rows]


SHARED = [
    "<si><t>案件编号</t></si>",
    '<si><r><rPr><b/></rPr><t>刷单</t></r><r><t xml:space="preserve">返利 类</t></r></si>',
    "<si><t>张三</t><rPh sb=\"0\" eb=\"2\"><t>ZHANG SAN</t></rPh></si>",
    "<si><t>A &amp; B &lt;C&gt;</t></si>",
]
SHEET = (
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>'
    '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>350605100</v></c><c r="C2"><v>1234.56</v></c>'
    '<c r="D2" s="1"><v>46353.4375</v></c><c r="E2" t="b"><v>1</v></c><c r="F2" t="e"><v>#N/A</v></c></row>'
    '<row r="4"><c r="B4" t="inlineStr"><is><t>内联</t></is></c>'
    '<c r="C4" t="str"><f>CONCAT("a","b")</f><v>ab</v></c><c r="D4"><f>1+1</f><v>2</v></c>'
    '<c r="E4" t="s"><v>3</v></c><c r="F4"><v>1.5E+20</v></c></row>'
    "<row><c><v>7</v></c><c/><c><v>9</v></c></row>"
)
EXPECTED = [
    ["案件编号", None, "刷单返利 类"],
    ["张三", 350605100, 1234.56, 46353.4375, True, "#N/A"],
    [],
    [None, "内联", "ab", 2, "A & B <C>", 1.5e20],
    [7, None, 9],
]


@pytest.mark.parametrize("prefix", ["", "x"])
def test_a_workbook_as_excel_writes_it(prefix):
    data = _package(SHEET, SHARED, prefix=prefix, dimension="A1:F5")
    sheet = first_sheet(data)
    assert (sheet.dimension_rows, sheet.epoch) == (5, EPOCH_1900)
    assert [_trimmed(row) for row in sheet.rows] == EXPECTED


def test_without_a_declared_dimension_the_row_count_is_estimated():
    assert first_sheet(_package(SHEET, SHARED)).dimension_rows == 4  # four <row> elements
    assert first_sheet(_package(SHEET, SHARED, dimension="A1")).dimension_rows == 4
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c><c r="B{i}" t="s"><v>0</v></c></row>'
                   for i in range(1, 20_001))
    estimate = first_sheet(_package(rows, SHARED)).dimension_rows
    assert 18_000 <= estimate <= 23_000  # rows further down have longer references


def test_openpyxl_reads_the_same_values():
    assert _openpyxl_rows(_package(SHEET, SHARED)) == EXPECTED


def test_the_1904_date_system_is_reported():
    assert first_sheet(_package(SHEET, SHARED, date1904=True)).epoch == EPOCH_1904
    book = openpyxl.Workbook()
    book.epoch = CALENDAR_MAC_1904
    book.active.append([1])
    buffer = io.BytesIO()
    book.save(buffer)
    assert first_sheet(buffer.getvalue()).epoch == EPOCH_1904


def test_the_first_worksheet_is_read_even_after_a_chartsheet():
    book = openpyxl.Workbook()
    book.active.title = "数据"
    book.active.append(["第一张工作表"])
    book.create_sheet("第二张").append(["不读"])
    book.create_chartsheet("图表", 0)
    buffer = io.BytesIO()
    book.save(buffer)
    assert _fast_rows(buffer.getvalue()) == [["第一张工作表"]]


@pytest.mark.parametrize("data", [
    b"plain text",
    b"PK\x03\x04 broken",
])
def test_not_a_workbook(data):
    with pytest.raises(XlsxError):
        first_sheet(data)


def test_a_zip_without_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    with pytest.raises(XlsxError):
        first_sheet(buffer.getvalue())


def test_a_bad_shared_string_index_is_an_error():
    with pytest.raises(XlsxError):
        list(first_sheet(_package('<row r="1"><c r="A1" t="s"><v>9</v></c></row>', SHARED[:1])).rows)


TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12).filter(
    lambda text: not text.startswith("="))
CELL = st.one_of(st.none(), TEXT, st.integers(-(2**53), 2**53), st.booleans(),
                 st.floats(allow_nan=False, allow_infinity=False))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(CELL, max_size=6), min_size=1, max_size=8))
def test_any_grid_written_by_openpyxl_reads_back_the_same(grid):
    book = openpyxl.Workbook()
    for row in grid:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    fast = _fast_rows(data)
    slow = _openpyxl_rows(data)
    while fast and not fast[-1]:
        fast.pop()
    while slow and not slow[-1]:
        slow.pop()
    assert fast == slow


def test_dates_stay_serial_numbers_for_the_caller():
    book = openpyxl.Workbook()
    book.active.append([datetime(2026, 11, 27, 10, 30)])
    buffer = io.BytesIO()
    book.save(buffer)
    assert _fast_rows(buffer.getvalue()) == [[46353.4375]]
