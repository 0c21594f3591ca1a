"""10th/25th reports: the owed period, the frozen snapshot, who is late with the 联络员, DOCX/XLSX from the snapshot."""

import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from campaign_world import NOW, build_world
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from db.engine import read_session, write_session
from db.models import AppSetting, AuditLog, CampaignReport
from services.access.actor import AccessDenied
from services.campaigns import reports
from services.campaigns.calendar import ReportStatus
from services.campaigns.report_model import UnitReport
from services.shared.errors import InvalidInput

WORDS = dict(methods="集中宣传、入户走访", channels="横幅、折页、微信群", process="组织民警进校园讲座", scope="辖区3所学校",
             next_steps="继续入户走访")


@pytest.fixture
def world(engine):
    return build_world(engine)


def _submit(world, who, code, now, **changes):
    with write_session(world.engine) as session:
        return reports.submit_report(session, world.actors[who], world.campaign_id, world.units[code],
                                     **{**WORDS, **changes}, now=now)


def _board(world, who, now):
    with read_session(world.engine) as session:
        return reports.board(session, world.actors[who], world.campaign_id, now)


def test_a_unit_reports_what_it_owes_and_the_snapshot_is_frozen(world):
    world.activity("WA", date(2026, 8, 3), outreach="school", channel="lecture", people=200)
    world.activity("WAX", date(2026, 8, 5), outreach="school", channel="banner", people=30)
    world.activity("WA", date(2026, 8, 10), people=999)  # the day of the report: the next period
    first = datetime(2026, 8, 10, 3, tzinfo=UTC)  # 11:00 Beijing on the 10th: on time
    report_id = _submit(world, "clerk_wa", "WA", first)
    with read_session(world.engine) as session:
        row = session.get(CampaignReport, report_id)
    report = UnitReport.from_json(row.snapshot)
    assert (row.period_number, row.due_date) == (1, date(2026, 8, 10))
    assert report.period.covers_from == date(2026, 8, 1) and report.period.covers_to == date(2026, 8, 9)
    assert (report.figures.activities, report.figures.people_reached) == (2, 230)  # partner included
    assert {t.label: t.count for t in report.figures.by_place} == {"进校园": 2}
    assert report.liaison.phone_masked == "138****5678" and report.methods == WORDS["methods"]
    assert any(r.description == "每月进校园宣传不少于2次" for r in report.targets)
    world.activity("WA", date(2026, 8, 4), people=5000)  # added afterwards: the frozen report does not change
    with read_session(world.engine) as session:
        assert session.get(CampaignReport, report_id).snapshot == row.snapshot
    # The next report is period 2 (10th–24th of August).
    second = _submit(world, "clerk_wa", "WA", datetime(2026, 8, 26, 3, tzinfo=UTC))
    with read_session(world.engine) as session:
        assert session.get(CampaignReport, second).period_number == 2


def test_board_shows_on_time_late_and_missing_with_liaisons(world):
    _submit(world, "clerk_wa", "WA", datetime(2026, 8, 10, 3, tzinfo=UTC))
    now = datetime(2026, 8, 12, 3, tzinfo=UTC)
    board = _board(world, "leader_d", now)
    assert board.period.number == 1
    rows = {r.unit_name: r for r in board.rows}
    assert rows["武安派出所"].status is ReportStatus.ON_TIME
    assert rows["岩溪派出所"].status is ReportStatus.MISSING and rows["岩溪派出所"].liaison_phone == "13987654321"
    assert "武安中心小学" not in rows  # partners do not report
    clerk = _board(world, "clerk_yx", now)
    assert [r.unit_name for r in clerk.rows] == ["岩溪派出所"] and clerk.rows[0].liaison_phone == "139****4321"
    _submit(world, "clerk_yx", "YX", now)
    late = {r.unit_name: r for r in _board(world, "leader_d", now).rows}
    assert late["岩溪派出所"].status is ReportStatus.LATE
    later = {r.unit_name: r for r in _board(world, "leader_d", datetime(2026, 9, 11, 3, tzinfo=UTC)).rows}
    assert later["武安派出所"].missed_in_a_row == 2 and later["岩溪派出所"].missed_in_a_row == 2


def test_partners_and_empty_reports_are_refused(world):
    with pytest.raises(InvalidInput) as refused:
        _submit(world, "clerk_wa", "WAX", NOW)
    assert "协作单位" in refused.value.errors["unit"]
    with pytest.raises(InvalidInput) as refused:
        _submit(world, "clerk_wa", "WA", NOW, methods="")
    assert "至少2个字" in refused.value.errors["methods"]


def test_downloads_rebuild_the_frozen_report_and_are_audited(world):
    report_id = _submit(world, "clerk_wa", "WA", datetime(2026, 8, 10, 3, tzinfo=UTC))
    with write_session(world.engine) as session:
        name, docx = reports.report_file(session, world.actors["leader_d"], report_id, "docx")
        _, xlsx = reports.report_file(session, world.actors["leader_d"], report_id, "xlsx")
        with pytest.raises(AccessDenied):
            reports.report_file(session, world.actors["clerk_yx"], report_id, "docx")
    assert name == "武安派出所_第1期.docx"
    assert zipfile.ZipFile(io.BytesIO(docx)).namelist() and zipfile.ZipFile(io.BytesIO(xlsx)).namelist()
    with read_session(world.engine) as session:
        exports = session.execute(select(AuditLog).where(AuditLog.object_type == "campaign_report",
                                                         AuditLog.action == "export")).scalars().all()
    assert len(exports) == 2


# ---------------------------------------------------------------- the roll-up


def _rollup(world, who, number, now):
    with write_session(world.engine) as session:
        return reports.rollup_files(session, world.actors[who], world.campaign_id, number, now)


def test_rollup_uses_frozen_snapshots_and_names_late_and_missing_units(world):
    world.activity("WA", date(2026, 8, 3), channel="lecture", people=200)
    _submit(world, "clerk_wa", "WA", datetime(2026, 8, 10, 3, tzinfo=UTC))
    world.activity("WA", date(2026, 8, 4), people=5000)  # after submission: the roll-up keeps the frozen figures
    now = datetime(2026, 8, 12, 3, tzinfo=UTC)
    with read_session(world.engine) as session:
        rollup = reports.build_rollup(session, world.actors["leader_d"], world.campaign_id, 1, now)
    assert [u.unit_name for u in rollup.units] == ["武安派出所"] and rollup.missing_units == ("岩溪派出所",)
    assert rollup.totals.people_reached == 200 and rollup.late_units == () and not rollup.demo
    _submit(world, "clerk_yx", "YX", now)  # two days late
    files = _rollup(world, "leader_d", 1, now)
    assert (files.reported, files.missing, files.late) == (2, 0, 1)
    document = Document(io.BytesIO(files.docx))
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert texts[0] == "关于织密防护网专项宣传第1期工作进展情况的汇总报告"
    assert any("已报送2个，全部按要求报送。逾期报送：岩溪派出所。" in t for t in texts)
    assert any("本期2个报送单位共开展宣传活动1场次" in t and "覆盖群众200人次" in t for t in texts)
    rows = [tuple(v for v in r if v is not None) for r in load_workbook(io.BytesIO(files.xlsx))["汇总"].iter_rows(
        values_only=True)]
    assert ("武安派出所", "已报送", 1, 200, 10, 20, 0) in rows and ("岩溪派出所", "逾期报送", 0, 0, 0, 0, 0) in rows
    assert files.docx_name == "长泰区公安分局_第1期_汇总报告.docx"
    with read_session(world.engine) as session:
        audited = session.execute(select(AuditLog.detail).where(AuditLog.object_type == "campaign_rollup")).scalars()
        assert sorted(audited) == ["生成专项行动汇总报告（第1期，已报送2个、未报送0个单位，docx）",
                                   "生成专项行动汇总报告（第1期，已报送2个、未报送0个单位，xlsx）"]


def test_rollup_is_for_leaders_and_command_above_the_units_and_for_due_periods(world):
    now = datetime(2026, 8, 12, 3, tzinfo=UTC)
    with pytest.raises(AccessDenied):
        _rollup(world, "clerk_wa", 1, now)
    assert _rollup(world, "leader_c", 1, now).missing == 2  # the city leader is above the owning unit
    assert _rollup(world, "command", 1, now).reported == 0
    with pytest.raises(InvalidInput) as refused:
        _rollup(world, "leader_d", 2, now)  # due on 25 August: not yet
    assert "period" in refused.value.errors
    with read_session(world.engine) as session:
        options = reports.rollup_options(session, world.actors["leader_d"], world.campaign_id, now)
        clerk = reports.rollup_options(session, world.actors["clerk_wa"], world.campaign_id, now)
    assert options.allowed and [p.number for p in options.periods] == [1] and not clerk.allowed


def test_a_report_in_a_demo_installation_is_marked(world):
    with write_session(world.engine) as session:
        session.add(AppSetting(key="demo", value="{}", updated_at=NOW))
    report_id = _submit(world, "clerk_wa", "WA", datetime(2026, 8, 10, 3, tzinfo=UTC))
    with read_session(world.engine) as session:
        assert UnitReport.from_json(session.get(CampaignReport, report_id).snapshot).demo
        rollup = reports.build_rollup(session, world.actors["leader_d"], world.campaign_id, 1,
                                      datetime(2026, 8, 11, 3, tzinfo=UTC))
    assert rollup.demo
    assert "【演示数据】" in [p.text for p in Document(io.BytesIO(_rollup(world, "leader_d", 1, NOW).docx)).paragraphs]


# ---------------------------------------------------------------- outcome rows and 辖区 reports


def test_outcome_rows_compare_this_period_with_last_year_as_the_progress_cell_does(world):
    for day in (3, 4, 5, 6):  # last year: 4 cases, 10万元 each
        world.case("WA", datetime(2025, 8, day, 2, tzinfo=UTC), loss_fen=10_000_000)
    for day in (3, 4, 5):  # this year: 3 cases (−25%), loss 3 × 9.999999万元 (−25%: never reads 30万)
        world.case("WA", datetime(2026, 8, day, 2, tzinfo=UTC), loss_fen=9_999_999)
    _submit(world, "clerk_wa", "WA", datetime(2026, 8, 10, 3, tzinfo=UTC))
    with read_session(world.engine) as session:
        report = UnitReport.from_json(session.execute(select(CampaignReport.snapshot)).scalar())
        standing = reports.progress(session, world.actors["clerk_wa"], world.campaign_id, date(2026, 8, 9))
    rows = {r.description: r for r in report.targets}
    incidents, loss = rows["发案数同比下降"], rows["损失金额同比下降"]
    assert (incidents.value, incidents.previous, incidents.unit, incidents.goal) == (3, 4, "起", 35)
    assert incidents.change_pct == Decimal("-25.0") and incidents.status == "未达标" and incidents.outcome
    assert (loss.value, loss.previous, loss.unit) == (Decimal("29.99"), Decimal("40.00"), "万元")
    assert loss.status == "达标" and loss.goal == 20  # down 25% against a goal of 20%
    cell = standing.cells[(world.units["WA"], world.targets["loss"])]
    assert float(loss.change_pct) == round(cell.change_pct, 1) and loss.light == cell.light.value
    assert reports.light_of(loss) == "green" and reports.light_of(incidents) == "amber"


def _join(world, code, liaison="赵所长"):
    from db.models import CampaignUnit
    with write_session(world.engine) as session:
        session.add(CampaignUnit(campaign_id=world.campaign_id, unit_id=world.units[code], partner=False,
                                 liaison_name=liaison, liaison_phone="13700001111"))


def test_a_bureau_reports_for_its_district_and_the_rollup_counts_each_activity_once(world):
    _join(world, "D")
    world.activity("D", date(2026, 8, 2), people=40)
    world.activity("WA", date(2026, 8, 3), people=200)
    world.activity("WAX", date(2026, 8, 4), people=30)  # the partner school under 武安
    world.activity("YX", date(2026, 8, 5), people=100)
    on_time = datetime(2026, 8, 10, 3, tzinfo=UTC)
    for who, code in (("leader_d", "D"), ("clerk_wa", "WA"), ("clerk_yx", "YX")):
        _submit(world, who, code, on_time)
    with read_session(world.engine) as session:
        snapshots = {r.unit_id: UnitReport.from_json(r.snapshot) for r in session.execute(select(CampaignReport))
                     .scalars()}
        rollup = reports.build_rollup(session, world.actors["leader_c"], world.campaign_id, 1, on_time)
    bureau, station = snapshots[world.units["D"]], snapshots[world.units["WA"]]
    assert bureau.includes == ("武安派出所", "岩溪派出所")
    assert (bureau.figures.activities, bureau.figures.people_reached) == (4, 370)  # its 辖区
    assert (bureau.own.activities, bureau.own.people_reached) == (1, 40)
    assert station.includes == () and station.own_figures is None and station.figures.people_reached == 230
    assert rollup.totals.people_reached == 370 and rollup.totals.activities == 4  # nobody counted twice
    [district] = rollup.groups
    assert district.name == "长泰区公安分局" and len(district.members) == 3
    assert rollup.group_figures(district) == bureau.figures  # the roll-up's 辖区 row is the bureau's report
    texts = [p.text for p in Document(io.BytesIO(_rollup(world, "leader_c", 1, on_time).docx)).paragraphs]
    assert any(t.startswith("（一）长泰区公安分局：报送单位3个，开展宣传活动4场次，覆盖群众370人次") for t in texts)
