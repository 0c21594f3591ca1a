"""Strike-results entry and import: row-by-row refusal naming the row, all or nothing, exactly once per upload."""

import io
import uuid
from datetime import date, timedelta

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from db.engine import read_session
from db.models import StrikeResult
from services.case_import.cells import Invalid
from services.shared.errors import InvalidInput
from services.shared.timeutil import shanghai_today
from services.strike import api
from services.strike.results import StrikeEntry, parse_count

GOOD = "单位,日期,抓获人数,刑拘人数,捣毁窝点数,两卡案件数,备注\n武安派出所,2026-11-02,3,2,1,0,收网\nYX,2026/11/03,5人,5,0,2,\n"
BAD = GOOD + "武安派出所,2026-11-04,2,3,0,0,\n"


def _rows(engine) -> int:
    with read_session(engine) as session:
        return session.execute(select(func.count()).select_from(StrikeResult)).scalar()


def test_a_file_with_one_bad_row_is_refused_naming_it_then_the_fixed_file_is_imported_once(world):
    engine, actors, ids = world
    refused = api.import_strike_file(engine, actors["changtai"], BAD.encode(), "战果.csv", "form1")
    assert refused.count == 0 and _rows(engine) == 0
    [problem] = refused.problems.errors
    assert (problem.row, problem.column) == (4, "刑拘人数") and "不能多于抓获" in problem.reason
    done = api.import_strike_file(engine, actors["changtai"], GOOD.encode(), "战果.csv", "form2")
    assert (done.count, done.duplicate) == (2, False)
    assert api.import_strike_file(engine, actors["changtai"], GOOD.encode(), "战果.csv", "form2").duplicate
    assert _rows(engine) == 2
    with read_session(engine) as session:
        got = session.execute(select(StrikeResult.unit_id, StrikeResult.result_date, StrikeResult.caught,
                                     StrikeResult.two_card_cases).order_by(StrikeResult.result_date)).all()
    assert got == [(ids["WA"], date(2026, 11, 2), 3, 0), (ids["YX"], date(2026, 11, 3), 5, 2)]


def test_xlsx_import_and_out_of_scope_units_are_named(world):
    engine, actors, ids = world
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["打击战果报表"])
    sheet.append(["单位", "日期", "抓获", "刑拘"])
    sheet.append(["武安派出所", date(2026, 11, 5), 4, 1])
    sheet.append(["西桥派出所", date(2026, 11, 5), 1, 1])
    buffer = io.BytesIO()
    book.save(buffer)
    result = api.import_strike_file(engine, actors["changtai"], buffer.getvalue(), "战果.xlsx", "x")
    [problem] = result.problems.errors
    assert (problem.row, problem.column) == (4, "单位") and "西桥派出所" in problem.reason
    leader = api.import_strike_file(engine, actors["leader"], buffer.getvalue(), "战果.xlsx", "x")
    assert leader.count == 2


def test_missing_column_and_future_date(world):
    engine, actors, ids = world
    missing = api.check_strike_file(engine, actors["changtai"], "单位,日期\n武安派出所,2026-11-01\n".encode(), "a.csv")
    assert "抓获人数" in missing.errors[0].reason
    tomorrow = shanghai_today() + timedelta(days=1)
    future = api.check_strike_file(engine, actors["changtai"], f"单位,日期,抓获\nWA,{tomorrow},1\n".encode(), "a.csv")
    assert (future.errors[0].row, future.errors[0].column) == (2, "日期")


def test_typed_entry_is_saved_once_and_checked(world):
    engine, actors, ids = world
    key = uuid.uuid4().hex
    entry = StrikeEntry(ids["WA"], date(2026, 11, 2), "3", "2", 0, 1, "收网")
    first = api.add_strike_result(engine, actors["clerk"], entry, key)
    assert api.add_strike_result(engine, actors["clerk"], entry, key) == (first[0], True)
    with pytest.raises(InvalidInput) as refused:
        api.add_strike_result(engine, actors["clerk"], StrikeEntry(ids["WA"], date(2026, 11, 2), "1", "2"),
                              uuid.uuid4().hex)
    assert "detained" in refused.value.errors
    with pytest.raises(InvalidInput) as zero:
        api.add_strike_result(engine, actors["clerk"], StrikeEntry(ids["WA"], date(2026, 11, 2)), uuid.uuid4().hex)
    assert "caught" in zero.value.errors
    assert _rows(engine) == 1


@given(st.integers(min_value=0, max_value=100_000))
def test_counts_parse_back(number):
    assert parse_count(str(number)) == number == parse_count(number) == parse_count(float(number))


@given(st.text(max_size=12))
def test_count_parser_never_raises(text):
    value = parse_count(text)
    assert value is None or isinstance(value, Invalid) or (isinstance(value, int) and value >= 0)
