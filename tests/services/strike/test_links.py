"""Strike results linked to cases and identifiers: typed and imported, unknown or other units' cases refused by row."""

import io
import uuid
from datetime import UTC, date, datetime

import openpyxl
import pytest
from sqlalchemy import func, select

from db.engine import read_session, write_session
from db.models import FraudCase, Identifier, StrikeResult, StrikeResultLink
from services.shared.errors import InvalidInput
from services.shared.timeutil import reporting_span
from services.strike import api
from services.strike.results import StrikeEntry, parse_identifiers, split_links

NOW = datetime(2026, 11, 20, 2, tzinfo=UTC)
CARD = "6222021234567890128"


@pytest.fixture
def cases(world):
    """A case of 武安 (in 长泰's scope) and one of 西桥 (not)."""
    engine, actors, ids = world
    with write_session(engine) as session:
        for case_no, unit in (("A350605001", "WA"), ("A350602009", "XC")):
            session.add(FraudCase(case_no=case_no, unit_id=ids[unit], reported_at=NOW, fraud_type="rebate",
                                  loss_fen=100, created_at=NOW, updated_at=NOW))
        session.flush()
        found = dict(session.execute(select(FraudCase.case_no, FraudCase.id)).all())
    return engine, actors, ids, found


def _links(engine) -> list[tuple[int, str | None, str | None]]:
    with read_session(engine) as session:
        return session.execute(
            select(StrikeResult.caught, FraudCase.case_no, Identifier.value_norm)
            .join(StrikeResultLink, StrikeResultLink.strike_result_id == StrikeResult.id)
            .outerjoin(FraudCase, FraudCase.id == StrikeResultLink.case_id)
            .outerjoin(Identifier, Identifier.id == StrikeResultLink.identifier_id)
            .order_by(StrikeResult.caught, StrikeResultLink.id)).all()


def _count(engine, model) -> int:
    with read_session(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar()


def test_identifiers_are_normalised_as_the_desk_does():
    assert split_links("a、b，a\nc;") == ["a", "b", "c"]
    assert parse_identifiers("138-0000-1111、+86 13800001111，6222 0212 3456 7890 128") == (
        ("phone", "13800001111"), ("bank_account", CARD))
    assert "不是有效的电话号码或银行账号" in parse_identifiers("13800001111、abc").reason


def test_typed_entry_links_cases_and_identifiers_once(cases):
    engine, actors, ids, found = cases
    key = uuid.uuid4().hex
    entry = StrikeEntry(ids["WA"], date(2026, 11, 21), 2, 1, case_nos="A350605001",
                        identifiers=f"138 0000 1111\n{CARD}")
    first = api.add_strike_result(engine, actors["changtai"], entry, key)
    assert api.add_strike_result(engine, actors["changtai"], entry, key) == (first[0], True)
    assert _links(engine) == [(2, "A350605001", None), (2, None, "13800001111"), (2, None, CARD)]
    with read_session(engine) as session:  # created as identifiers of the desk, with no reports
        counts = dict(session.execute(select(Identifier.value_norm, Identifier.report_count)).all())
    assert counts == {"13800001111": 0, CARD: 0}
    shown = api.strike_links(engine, actors["clerk"], [first[0]])  # a clerk may not unmask
    assert shown[first[0]][0] == ["A350605001"] and "13800001111" not in shown[first[0]][1]
    assert api.strike_links(engine, actors["leader"], [first[0]])[first[0]][1] == ["13800001111", CARD]


def test_typed_entry_refuses_unknown_and_other_units_cases_at_the_field(cases):
    engine, actors, ids, found = cases
    for case_no in ("A350602009", "NOPE-1"):
        with pytest.raises(InvalidInput) as refused:
            api.add_strike_result(engine, actors["changtai"],
                                  StrikeEntry(ids["WA"], date(2026, 11, 21), 1, case_nos=case_no), uuid.uuid4().hex)
        assert refused.value.errors == {"case_nos": f"案件编号“{case_no}”不存在或不在本单位辖区内。"}
    with pytest.raises(InvalidInput) as bad:
        api.add_strike_result(engine, actors["changtai"],
                              StrikeEntry(ids["WA"], date(2026, 11, 21), 1, identifiers="12345"), uuid.uuid4().hex)
    assert set(bad.value.errors) == {"identifiers"}
    assert _count(engine, StrikeResult) == 0 and _count(engine, StrikeResultLink) == 0


def test_import_names_the_row_of_an_unknown_case_and_writes_nothing(cases):
    engine, actors, ids, found = cases
    header = "单位,日期,抓获人数,关联案件,关联号码账户\n"
    good = "武安派出所,2026-11-02,3,A350605001,\"13800001111、" + CARD + "\"\nYX,2026-11-03,5,,\n"
    bad = good + "武安派出所,2026-11-04,1,A350602009,\n武安派出所,2026-11-05,1,,abc\n"
    refused = api.import_strike_file(engine, actors["changtai"], (header + bad).encode(), "战果.csv", "f1")
    assert [(e.row, e.column) for e in refused.problems.errors] == [(4, "关联案件"), (5, "关联号码账户")]
    assert "A350602009" in refused.problems.errors[0].reason
    assert _count(engine, StrikeResult) == 0 and _count(engine, StrikeResultLink) == 0
    done = api.import_strike_file(engine, actors["changtai"], (header + good).encode(), "战果.csv", "f2")
    assert (done.count, done.duplicate) == (2, False)
    assert _links(engine) == [(3, "A350605001", None), (3, None, "13800001111"), (3, None, CARD)]
    # The city leader may link the 西桥 case too.
    assert api.import_strike_file(engine, actors["leader"], (header + bad.splitlines(True)[2]).encode(), "b.csv",
                                  "f3").count == 1


def test_xlsx_import_links(cases):
    engine, actors, ids, found = cases
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["单位", "日期", "抓获", "案件编号", "涉案号码"])
    sheet.append(["武安派出所", date(2026, 11, 5), 4, "A350605001", 13800001111])
    buffer = io.BytesIO()
    book.save(buffer)
    assert api.import_strike_file(engine, actors["changtai"], buffer.getvalue(), "战果.xlsx", "x").count == 1
    assert _links(engine) == [(4, "A350605001", None), (4, None, "13800001111")]


def test_the_results_export_carries_the_links_as_the_page_shows_them(cases):
    engine, actors, ids, found = cases
    entry = StrikeEntry(ids["WA"], date(2026, 11, 21), 2, 1, case_nos="A350605001",
                        identifiers=f"138 0000 1111\n{CARD}")
    api.add_strike_result(engine, actors["changtai"], entry, uuid.uuid4().hex)
    span = reporting_span("custom", date(2026, 11, 30), date(2026, 11, 1), date(2026, 11, 30))
    data = api.export(engine, actors["changtai"], ids["D"], span, "strikes", [("单位", "长泰区公安分局")])
    rows = [list(r) for r in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]
    header = next(r for r in rows if r and r[0] == "日期")
    row = rows[rows.index(header) + 1]
    shown = dict(zip(header, row, strict=True))
    assert shown["关联案件"] == "A350605001"
    assert shown["关联号码/账户"] == f"13800001111、{CARD}"  # a leader may unmask; the page shows the same
    assert shown["抓获（人）"] == 2


def test_a_results_note_shows_identifiers_only_to_roles_that_may_unmask(cases):
    engine, actors, ids, found = cases
    note = "收网：**主犯**联系电话 13812345678"
    entry = StrikeEntry(ids["WA"], date(2026, 11, 21), 2, 1, note=note)
    api.add_strike_result(engine, actors["changtai"], entry, uuid.uuid4().hex)
    span = reporting_span("custom", date(2026, 11, 30), date(2026, 11, 1), date(2026, 11, 30))
    [clerk_row] = api.board(engine, actors["clerk"], ids["WA"], span).strikes
    assert "13812345678" not in clerk_row.note and "138****5678" in clerk_row.note and "**主犯**" in clerk_row.note
    [leader_row] = api.board(engine, actors["changtai"], ids["WA"], span).strikes
    assert leader_row.note == note
