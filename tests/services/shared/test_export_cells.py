"""Export cells cannot smuggle spreadsheet formulas (CSV injection)."""

import csv
import io
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from services.shared.export_cells import FORMULA_TRIGGERS, csv_bytes, safe_cell

ATTACK = "=cmd|' /C calc'!A0"


@given(st.sampled_from(FORMULA_TRIGGERS), st.text())
def test_text_starting_with_a_trigger_is_quoted(trigger, rest):
    assert safe_cell(trigger + rest) == "'" + trigger + rest


@given(st.text().filter(lambda t: not t.startswith(FORMULA_TRIGGERS)))
def test_other_text_is_unchanged(text):
    assert safe_cell(text) == text


@given(st.one_of(st.integers(), st.floats(allow_nan=False), st.decimals(allow_nan=False), st.none(), st.booleans()))
def test_numbers_and_non_text_stay_as_they_are(value):
    assert safe_cell(value) is value


@given(st.lists(st.lists(st.text(), min_size=1, max_size=4), max_size=5))
def test_no_text_cell_of_a_csv_starts_with_a_trigger(rows):
    data = csv_bytes(["a"], rows).decode("utf-8-sig")
    for row in csv.reader(io.StringIO(data, newline="")):
        assert not any(cell.startswith(FORMULA_TRIGGERS) for cell in row)


def test_negative_number_stays_a_number():
    assert csv_bytes(["x"], [[-5, Decimal("-1.5"), ATTACK]]).decode("utf-8-sig").splitlines()[1] == \
        "-5,-1.5,'=cmd|' /C calc'!A0"


def test_xlsx_export_has_the_filters_then_the_table_and_no_formula():
    from services.shared.export_cells import read_back, xlsx_bytes

    data = xlsx_bytes("案件", [("单位", "武安派出所"), ("接报日期", "2026-11-01 至 2026-11-30")],
                      ["案件编号", "损失(万元)"], [["=HYPERLINK(\"http://x\")", 12.5], ["A1", 0]])
    filters, table = read_back(data)
    assert filters == [("单位", "武安派出所"), ("接报日期", "2026-11-01 至 2026-11-30")]
    assert table == [("案件编号", "损失(万元)"), ("'=HYPERLINK(\"http://x\")", 12.5), ("A1", 0)]
