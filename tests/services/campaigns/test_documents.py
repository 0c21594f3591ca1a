"""Report snapshots (JSON round trip) and the documents made from them: DOCX read back with python-docx, XLSX with
openpyxl."""

import dataclasses
import io
import json
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from services.campaigns.calendar import ReportPeriod, report_periods
from services.campaigns.documents import (
    DEMO_MARK,
    report_title,
    rollup_docx,
    rollup_xlsx,
    unit_report_docx,
    unit_report_xlsx,
)
from services.campaigns.report_model import (
    Figures,
    Liaison,
    Rollup,
    RollupGroup,
    Tally,
    TargetRow,
    TargetSummary,
    UnitReport,
    sum_figures,
)

PERIOD = report_periods(date(2026, 8, 1), date(2026, 12, 31))[2]  # 第3期, due 9月10日


def _report(unit="武安派出所", methods="采取集中宣传与入户走访相结合的方式。", activities=12, demo=False):
    return UnitReport(
        campaign_name="“织密防护网”反诈专项行动", theme="织密防护网、筑牢防火墙、守护千万家", period=PERIOD,
        unit_name=unit, liaison=Liaison("林晓东", "138****5678"),
        methods=methods, channels="悬挂横幅、发放折页、微信群推送。", process="8月26日在中心广场集中宣传。",
        scope="覆盖辖区12个村（居）委会。",
        figures=Figures(activities, 3450, 820, 5200, 46, (Tally("横幅", 8), Tally("讲座", 1)),
                        (Tally("进校园", 2), Tally("进社区", 6))),
        targets=(TargetRow("宣传折页覆盖率", Decimal("28.5"), Decimal("40"), "%", "进度正常", Decimal("1.2")),
                 TargetRow("公开信知晓率", Decimal("91.0"), Decimal("90"), "%", "达标", None),
                 TargetRow("警情数同比下降", Decimal("112"), Decimal("35.0"), "起", "未达标", light="amber", outcome=True,
                           previous=Decimal("128"), change_pct=Decimal("-12.5"))),
        next_steps="继续推进入户宣传。", report_date=date(2026, 9, 10), demo=demo)


def _rollup():
    return Rollup("“织密防护网”反诈专项行动", "织密防护网、筑牢防火墙、守护千万家", PERIOD, "漳州市公安局",
                  (_report("武安派出所"), _report("岩溪派出所", activities=5)), ("陈巷派出所",),
                  (TargetSummary("警情数同比下降", green=("武安派出所",), red=("岩溪派出所",)),
                   TargetSummary("公开信知晓率", green=("武安派出所", "岩溪派出所"))),
                  "继续推进。", date(2026, 9, 11),
                  groups=(RollupGroup("长泰区公安分局", (0, 1), ("陈巷派出所",)),))


# ---------------------------------------------------------------- snapshots

texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
counts = st.integers(0, 10**9)
decimals = st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**6, max_value=10**6)
tallies = st.lists(st.builds(Tally, texts, counts), max_size=4).map(tuple)
figures = st.builds(Figures, counts, counts, counts, counts, counts, tallies, tallies)
targets = st.lists(st.builds(TargetRow, texts, decimals, decimals, texts, texts, st.none() | decimals, texts,
                             st.booleans(), st.none() | decimals, st.none() | decimals), max_size=3).map(tuple)
names = st.lists(texts, max_size=3).map(tuple)
summaries = st.lists(st.builds(TargetSummary, texts, names, names, names, names), max_size=3).map(tuple)


@st.composite
def periods(draw):
    start = draw(st.dates(date(2020, 1, 1), date(2035, 1, 1)))
    length = draw(st.integers(0, 30))
    due = draw(st.dates(start, date(2036, 1, 1)))
    return ReportPeriod(draw(st.integers(1, 60)), due, start, date.fromordinal(start.toordinal() + length),
                        draw(st.booleans()))


reports = st.builds(UnitReport, texts, texts, periods(), texts, st.builds(Liaison, texts, texts), texts, texts, texts,
                    texts, figures, targets, texts, st.none() | st.dates(), st.booleans(), st.none() | figures, names)
rollups = st.builds(Rollup, texts, texts, periods(), texts, st.lists(reports, max_size=3).map(tuple),
                    names, summaries, texts, st.none() | st.dates(), st.booleans(), names,
                    st.lists(st.builds(RollupGroup, texts, st.lists(st.integers(0, 2), max_size=3).map(tuple), names),
                             max_size=2).map(tuple))


@settings(max_examples=60)
@given(reports)
def test_a_unit_report_snapshot_rebuilds_equal_and_byte_identical(report):
    text = report.to_json()
    rebuilt = UnitReport.from_json(text)
    assert rebuilt == report
    assert rebuilt.to_json() == text
    assert UnitReport.from_json(text.encode("utf-8")) == report


@settings(max_examples=30)
@given(rollups)
def test_a_rollup_snapshot_rebuilds_equal_and_byte_identical(rollup):
    text = rollup.to_json()
    rebuilt = Rollup.from_json(text)
    assert rebuilt == rollup
    assert rebuilt.totals == rollup.totals
    assert rebuilt.to_json() == text


def test_snapshot_keeps_decimals_as_written():
    report = _report()
    assert '"value":"28.5"' in report.to_json() and '"value":"91.0"' in report.to_json()
    assert UnitReport.from_json(report.to_json()).targets[1].value.as_tuple() == Decimal("91.0").as_tuple()


def test_snapshot_of_another_version_or_shape_is_refused():
    text = _report().to_json()
    with pytest.raises(ValueError):
        UnitReport.from_json(text.replace('"version":2', '"version":3'))
    with pytest.raises(ValueError):
        UnitReport.from_json(text.replace('"unit_name":', '"unit":'))
    with pytest.raises(ValueError):
        UnitReport.from_json(text.replace('"activities":12', '"activities":"12"'))


def test_rollup_totals_add_up_units_and_merge_channels_by_label():
    rollup = _rollup()
    assert rollup.totals.activities == 17
    assert rollup.totals.people_reached == 6900
    assert rollup.totals.by_channel == (Tally("横幅", 16), Tally("讲座", 2))
    assert sum_figures([]) == Figures()


def test_negative_counts_and_infinite_targets_are_refused():
    with pytest.raises(ValueError):
        Tally("横幅", -1)
    with pytest.raises(ValueError):
        Figures(activities=-1)
    with pytest.raises(ValueError):
        TargetRow("x", Decimal("Infinity"), Decimal(1), "%", "落后")


# ---------------------------------------------------------------- DOCX


def _docx(data: bytes):
    return Document(io.BytesIO(data))


def _texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def _table(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_titles_name_the_campaign_and_the_period():
    assert report_title("XX专项行动", PERIOD) == "关于XX专项行动第3期工作进展情况的报告"
    assert report_title("XX专项行动", PERIOD, rollup=True) == "关于XX专项行动第3期工作进展情况的汇总报告"
    final = report_periods(date(2026, 8, 1), date(2026, 12, 31))[-1]
    assert report_title("XX专项行动", final) == "关于XX专项行动工作总结的报告"


def test_unit_report_docx_has_title_sections_tables_and_signature():
    document = _docx(unit_report_docx(_report()))
    texts = _texts(document)
    assert texts[0] == "关于“织密防护网”反诈专项行动第3期工作进展情况的报告"
    assert "第3期（2026年8月25日至2026年9月9日）" in texts
    for heading in ("一、工作开展情况", "二、主要数据", "三、目标完成情况", "四、下步工作打算"):
        assert heading in texts
    assert "（一）方式。采取集中宣传与入户走访相结合的方式。" in texts
    assert any(t.startswith("（四）范围。") for t in texts)
    assert texts[-2:] == ["武安派出所", "2026年9月10日"]
    assert "联络员：林晓东　　联系电话：138****5678" in texts
    figures, breakdown, targets, outcomes = (_table(t) for t in document.tables)
    assert figures[0] == ["项目", "数量", "计量单位"]
    assert figures[1:] == [["宣传活动", "12", "场次"], ["覆盖群众", "3450", "人次"], ["入户走访", "820", "户"],
                           ["发放宣传品", "5200", "份"], ["出动警力", "46", "人次"]]
    assert ["渠道", "横幅", "8"] in breakdown and ["场所", "进社区", "6"] in breakdown
    assert targets[0] == ["序号", "目标", "目前完成", "目标值", "计量单位", "状态", "每周需完成"]
    assert targets[1] == ["1", "宣传折页覆盖率", "28.5", "40", "%", "进度正常", "1.2"]
    assert targets[2] == ["2", "公开信知晓率", "91.0", "90", "%", "达标", "—"] and len(targets) == 3
    # an outcome row: this period, the same days last year, the change with its counts, met or not against the goal
    assert outcomes == [["目标", "本期", "去年同期", "同比变化", "目标（同比）", "完成情况"],
                        ["警情数同比下降", "112起", "128起", "下降12.5%（128起→112起）", "下降≥35.0%", "未达标"]]
    assert not any("含所属" in t for t in texts)


def test_a_bureau_report_says_its_figures_include_its_stations():
    report = dataclasses.replace(_report("长泰区公安分局"), own_figures=Figures(2), includes=("武安派出所", "岩溪派出所"))
    texts = _texts(_docx(unit_report_docx(report)))
    assert "以下数据为本单位及所属单位合计，含所属派出所2个（武安派出所、岩溪派出所）。" in texts
    assert ("数据范围", "本单位及所属单位合计，含所属派出所2个（武安派出所、岩溪派出所）") in _rows(unit_report_xlsx(report))


def test_docx_sets_an_east_asian_font_on_every_run_and_fits_tables_in_the_margins():
    document = _docx(unit_report_docx(_report()))
    runs = [run for p in document.paragraphs for run in p.runs]
    runs += [run for t in document.tables for row in t.rows for cell in row.cells for p in cell.paragraphs
             for run in p.runs]
    assert runs
    assert all(run._element.rPr.rFonts.get(qn("w:eastAsia")) in ("宋体", "仿宋", "黑体", "楷体") for run in runs)
    title_run = document.paragraphs[0].runs[0]
    assert title_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体" and title_run.bold
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    for table in document.tables:
        assert sum(cell.width for cell in table.rows[0].cells) <= text_width


def test_demo_report_is_marked():
    assert f"【{DEMO_MARK}】" in _texts(_docx(unit_report_docx(_report(demo=True))))
    assert f"【{DEMO_MARK}】" not in _texts(_docx(unit_report_docx(_report())))


def test_empty_narrative_reads_not_filled_in():
    texts = _texts(_docx(unit_report_docx(_report(methods="  "))))
    assert "（一）方式。（未填写）" in texts


def test_rollup_docx_summarises_by_district_and_target_and_names_the_units_behind():
    document = _docx(rollup_docx(_rollup()))
    texts = _texts(document)
    assert texts[0] == "关于“织密防护网”反诈专项行动第3期工作进展情况的汇总报告"
    assert any("应报送单位3个，已报送2个，未报送：陈巷派出所。" in t for t in texts)
    assert any(t.startswith("（一）长泰区公安分局：报送单位2个，开展宣传活动17场次，覆盖群众6900人次") and
               t.endswith("未报送：陈巷派出所。") for t in texts)
    assert "（一）武安派出所" not in texts  # each unit's own words are in the XLSX
    assert texts[-2:] == ["漳州市公安局", "2026年9月11日"]
    figures, breakdown, targets = (_table(t) for t in document.tables)
    assert figures == [["辖区", "报送单位", "活动场次", "覆盖人次", "入户户数", "宣传品份数", "警力人次"],
                       ["长泰区公安分局", "2/3", "17", "6900", "1640", "10400", "92"],
                       ["合计", "2/3", "17", "6900", "1640", "10400", "92"]]
    assert ["渠道", "横幅", "16"] in breakdown
    assert targets == [["目标", "达标/进度正常", "稍有落后", "落后", "暂无数据"],
                       ["警情数同比下降", "1", "0", "1", "0"], ["公开信知晓率", "2", "0", "0", "0"]]
    assert "警情数同比下降，落后或未达标的1个：岩溪派出所。" in texts
    assert not any(t.startswith("公开信知晓率，") for t in texts)  # all met: nobody to name


def test_a_bureau_report_counts_once_in_the_rollup():
    bureau = dataclasses.replace(_report("长泰区公安分局", activities=17), own_figures=Figures(3),
                                 includes=("武安派出所", "岩溪派出所"))
    rollup = Rollup("c", "t", PERIOD, "漳州市公安局", (bureau, _report("武安派出所"), _report("岩溪派出所", activities=2)),
                    groups=(RollupGroup("长泰区公安分局", (0, 1, 2)),))
    assert rollup.totals.activities == 3 + 12 + 2
    assert rollup.group_figures(rollup.groups[0]).activities == 17 == bureau.figures.activities
    assert ("长泰区公安分局", "已报送", 3, 0, 0, 0, 0) in _rows(rollup_xlsx(rollup), "汇总")


def test_a_snapshot_frozen_before_outcome_rows_and_districts_still_loads_and_prints():
    text = (Path(__file__).parent / "data" / "report_snapshot_v1.json").read_text("utf-8")
    assert json.loads(text)["version"] == 1
    report = UnitReport.from_json(text)
    assert report.unit_name == "东山县公安局" and report.own == report.figures and report.includes == ()
    loss = next(row for row in report.targets if row.description == "损失金额同比下降")
    assert (loss.value, loss.goal, loss.outcome, loss.light, loss.previous) == (Decimal("76.0"), Decimal("20.0"),
                                                                                 False, "", None)
    assert "东山县公安局" in _texts(_docx(unit_report_docx(report)))
    assert ("东山县公安局", "警情数同比下降", 22, 35, "%", "落后") in _rows(
        rollup_xlsx(Rollup("c", "t", report.period, "漳州市公安局", (report,))), "目标完成情况")
    with pytest.raises(ValueError):  # a field no version had is still refused
        UnitReport.from_json(text.replace('"theme":', '"topic":'))


# ---------------------------------------------------------------- XLSX


def _rows(data: bytes, sheet: str | None = None) -> list[tuple]:
    book = load_workbook(io.BytesIO(data))
    return [tuple(v for v in row if v is not None) for row in (book[sheet] if sheet else book.active)
            .iter_rows(values_only=True)]


def test_unit_report_xlsx_has_title_rows_then_tables_with_numbers():
    rows = _rows(unit_report_xlsx(_report()))
    assert rows[0] == ("关于“织密防护网”反诈专项行动第3期工作进展情况的报告",)
    assert ("报送单位", "武安派出所") in rows
    assert ("联系电话", "138****5678") in rows
    assert ("方式", "采取集中宣传与入户走访相结合的方式。") in rows
    assert ("宣传活动", 12, "场次") in rows and ("覆盖群众", 3450, "人次") in rows
    assert ("渠道", "横幅", 8) in rows
    assert ("序号", "目标", "目前完成", "目标值", "计量单位", "状态", "每周需完成", "去年同期", "同比变化（%）") in rows
    assert (1, "宣传折页覆盖率", 28.5, 40, "%", "进度正常", 1.2) in rows
    assert (2, "公开信知晓率", 91, 90, "%", "达标") in rows
    assert (3, "警情数同比下降", 112, 35, "起", "未达标", 128, -12.5) in rows


def test_xlsx_text_that_would_run_as_a_formula_is_quoted():
    data = unit_report_xlsx(_report(unit="=HYPERLINK(\"http://x\")", methods="+1 场"))
    rows = _rows(data)
    assert ("报送单位", "'=HYPERLINK(\"http://x\")") in rows
    assert ("方式", "'+1 场") in rows
    book = load_workbook(io.BytesIO(data))
    assert all(cell.data_type != "f" for row in book.active.iter_rows() for cell in row)
    rollup = Rollup("c", "t", PERIOD, "-市局", (_report(unit="@单位"),))
    assert ("'@单位", "已报送", 12, 3450, 820, 5200, 46) in _rows(rollup_xlsx(rollup))


def test_rollup_xlsx_sums_units_and_lists_who_has_not_reported():
    data = rollup_xlsx(_rollup())
    assert load_workbook(io.BytesIO(data)).sheetnames == ["汇总", "分类统计", "分辖区", "目标汇总", "目标完成情况",
                                                          "工作开展情况"]
    rows = _rows(data, "汇总")
    assert rows[0] == ("关于“织密防护网”反诈专项行动第3期工作进展情况的汇总报告",)
    assert ("武安派出所", "已报送", 12, 3450, 820, 5200, 46) in rows
    assert ("陈巷派出所", "未报送") in rows
    assert ("合计", "2个单位", 17, 6900, 1640, 10400, 92) in rows
    assert ("渠道", "横幅", 16) in _rows(data, "分类统计")
    details = _rows(data, "目标完成情况")
    assert ("岩溪派出所", "宣传折页覆盖率", 28.5, 40, "%", "进度正常", 1.2) in details
    assert ("岩溪派出所", "警情数同比下降", 112, 35, "起", "未达标", 128, -12.5) in details and len(details) == 1 + 2 * 3
    assert ("警情数同比下降", 1, 0, 1, 0, "岩溪派出所") in _rows(data, "目标汇总")
    assert ("长泰区公安分局", "2/3", 17, 6900, 1640, 10400, 92) in _rows(data, "分辖区")
    work = _rows(data, "工作开展情况")
    assert work[0] == ("单位", "方式", "渠道", "过程", "范围", "下步工作打算", "联络员", "联系电话")
    assert work[1][0] == "武安派出所" and work[1][-1] == "138****5678"


def test_rollup_of_133_units_stays_short_and_quick_and_numbers_districts_in_chinese():
    units = tuple(_report(f"第{i}派出所") for i in range(1, 134))
    summaries = tuple(TargetSummary(f"目标{k}", green=tuple(u.unit_name for u in units[:100]),
                                    red=tuple(u.unit_name for u in units[100:])) for k in range(8))
    groups = tuple(RollupGroup(u.unit_name, (i,)) for i, u in enumerate(units))
    rollup = Rollup("c", "t", PERIOD, "漳州市公安局", units, ("漏报派出所",), summaries, late_units=("第2派出所",),
                    groups=groups)
    started = time.perf_counter()
    document = _docx(rollup_docx(rollup))
    elapsed = time.perf_counter() - started
    texts = _texts(document)
    assert any(t.startswith("（一百三十三）第133派出所：") for t in texts)
    assert any(t.startswith("（一百零五）第105派出所：") for t in texts)
    assert any(t.startswith("（一百一十二）第112派出所：") for t in texts)
    assert any("已报送133个，未报送：漏报派出所。逾期报送：第2派出所。" in t for t in texts)
    assert any(t.startswith("本期133个报送单位共开展宣传活动1596场次") and "横幅1064场" in t for t in texts)
    # no per-unit target table: 8 target summary rows, not 133 × 3 unit rows
    assert [len(t.rows) for t in document.tables] == [1 + 133 + 1, 1 + 4, 1 + 8]
    assert sum(t.startswith("目标") and "落后或未达标的33个：第101派出所、" in t for t in texts) == 8
    assert elapsed < 5  # ~0.5 s here; it took ~9 s with the per-unit target table (generous: shared CI cores)
    summary = _rows(rollup_xlsx(rollup), "汇总")
    assert ("第2派出所", "逾期报送", 12, 3450, 820, 5200, 46) in summary and ("漏报派出所", "未报送") in summary
