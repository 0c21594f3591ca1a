"""10th/25th reports: the owed period, the frozen snapshot, who is late with the 联络员, DOCX/XLSX from the snapshot."""

import io
import zipfile
from datetime import UTC, date, datetime

import pytest
from campaign_world import NOW, build_world
from sqlalchemy import select

from db.engine import read_session, write_session
from db.models import AuditLog, CampaignReport
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
