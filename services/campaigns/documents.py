"""A unit's progress report and the roll-up as documents: a formal Chinese DOCX (python-docx) and an XLSX (openpyxl).

The DOCX follows the shape of a 公文 report (GB/T 9704 margins; title in 宋体, body in 仿宋, headings in 黑体/楷体, set
on every run for East Asian text): title, period, 一、工作开展情况 (方式、渠道、过程、范围), 二、主要数据, 三、目标完成情况,
四、下步工作打算, contact, unit name and date. The XLSX has title rows then tables; every text cell goes through
safe_cell and numbers are written as numbers.
"""

import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from services.campaigns import text as t
from services.campaigns.calendar import ReportPeriod
from services.campaigns.report_model import Figures, Rollup, RollupGroup, Tally, TargetRow, TargetSummary, UnitReport
from services.shared.export_cells import safe_cell
from services.shared.money import money_text, wan_figure

TITLE_FONT = "宋体"  # 方正小标宋 where installed is customary; 宋体 is everywhere
BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体"
TITLE_PT = 22  # 二号
BODY_PT = 16  # 三号
TABLE_PT = 10.5  # 五号
LINE_PT = 28  # fixed line spacing of the body
KEEP_TOGETHER_ROWS = 15  # a table this short is kept on one page

DEMO_MARK = "演示数据"
EMPTY_TEXT = "（未填写）"
NO_VALUE = "—"
NARRATIVE_LABELS = ("方式", "渠道", "过程", "范围")
FIGURE_LABELS = (("宣传活动", "场次"), ("覆盖群众", "人次"), ("入户走访", "户"), ("发放宣传品", "份"),
                 ("出动警力", "人次"))
TARGET_HEADER = ("目标", "目前完成", "目标值", "计量单位", "状态", "每周需完成")
OUTCOME_HEADER = ("目标", "本期", "去年同期", "同比变化", "目标（同比）", "完成情况")
XLSX_TARGET_HEADER = TARGET_HEADER + ("去年同期", "同比变化（%）")
SUMMARY_HEADER = ("目标", "达标/进度正常", "稍有落后", "落后", "暂无数据")
GROUP_HEADER = ("辖区", "报送单位", "活动场次", "覆盖人次", "入户户数", "宣传品份数", "警力人次")
ROLLUP_FIGURE_HEADER = ("单位", "活动场次", "覆盖人次", "入户户数", "宣传品份数", "警力人次")
TOTAL_LABEL = "合计"


# ---------------------------------------------------------------- wording shared by DOCX and XLSX


def date_text(day: date) -> str:
    """2026年9月10日."""
    return f"{day.year}年{day.month}月{day.day}日"


def period_text(period: ReportPeriod) -> str:
    """第3期（2026年8月25日至2026年9月9日）, or 总结 for the closing report."""
    name = "工作总结" if period.final else f"第{period.number}期"
    return f"{name}（{date_text(period.covers_from)}至{date_text(period.covers_to)}）"


def report_title(campaign_name: str, period: ReportPeriod, rollup: bool = False) -> str:
    """关于XX专项行动第N期工作进展情况的报告 (汇总报告 for a roll-up; 工作总结 for the closing report)."""
    kind = "汇总报告" if rollup else "报告"
    if period.final:
        return f"关于{campaign_name}工作总结的{kind}"
    return f"关于{campaign_name}第{period.number}期工作进展情况的{kind}"


def _signed_on(report_date: date | None, period: ReportPeriod) -> date:
    return report_date or period.due


def number_text(value: Decimal | int | None) -> str:
    """A number as written in a table: plain digits, no exponent; — for none."""
    if value is None:
        return NO_VALUE
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _figure_values(figures: Figures) -> tuple[int, ...]:
    return (figures.activities, figures.people_reached, figures.households, figures.pieces, figures.police_turnout)


def _chinese_ordinal(n: int) -> str:
    """一 … 十 … 九十九, 一百, 一百零五, 一百一十二 … 九百九十九; beyond that the digits."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        tail = "" if rest == 0 else "零" + digits[rest] if rest < 10 else (
            "一" + _chinese_ordinal(rest) if rest < 20 else _chinese_ordinal(rest))
        return digits[hundreds] + "百" + tail
    return str(n)


def _target_cells(row: TargetRow) -> list[object]:
    return [row.description, row.value, row.goal, row.unit, row.status, row.needed_per_week]


def change_text(row: TargetRow) -> str:
    """同比下降12.5%（128起→112起）: the change with the counts behind it; — when last year had none."""
    if row.change_pct is None or row.previous is None:
        return NO_VALUE
    direction = "下降" if row.change_pct < 0 else "上升" if row.change_pct > 0 else "持平"
    amount = f"{abs(row.change_pct)}%" if row.change_pct else ""
    return f"{direction}{amount}（{number_text(row.previous)}{row.unit}→{number_text(row.value)}{row.unit}）"


def _outcome_cells(row: TargetRow) -> list[object]:
    return [row.description, f"{number_text(row.value)}{row.unit}",
            f"{number_text(row.previous)}{row.unit}" if row.previous is not None else NO_VALUE,
            change_text(row), f"{'上升' if row.good_when_up else '下降'}≥{number_text(row.goal)}%", row.status]


def _xlsx_target_cells(row: TargetRow) -> list[object]:
    if not row.outcome:
        return [*_target_cells(row), None, None]
    return [row.description, row.value, row.goal, row.unit, row.status, None, row.previous, row.change_pct]


def includes_text(report: UnitReport) -> str:
    """含所属派出所5个（甲派出所、乙派出所…）: what a 辖区 report's figures take in; "" for a unit's own."""
    if not report.includes:
        return ""
    kind = "派出所" if all(name.endswith("派出所") for name in report.includes) else "单位"
    return f"含所属{kind}{len(report.includes)}个（{'、'.join(report.includes)}）"


# ---------------------------------------------------------------- DOCX


class _Docx:
    """A formal document being written."""

    def __init__(self) -> None:
        from docx import Document
        from docx.enum.section import WD_ORIENT
        from docx.shared import Mm

        self.document = Document()
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        self.text_width_mm = 210 - 28 - 26
        normal = self.document.styles["Normal"]
        self._set_font(normal.font, normal.element, BODY_FONT, BODY_PT)

    @staticmethod
    def _set_font(font, element, name: str, size: float, bold: bool = False) -> None:
        from docx.oxml.ns import qn
        from docx.shared import Pt

        font.name = name
        font.size = Pt(size)
        font.bold = bold
        fonts = element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), name)

    def run(self, paragraph, text: str, font: str = BODY_FONT, size: float = BODY_PT, bold: bool = False):
        run = paragraph.add_run(text)
        self._set_font(run.font, run._element, font, size, bold)
        return run

    def paragraph(self, align: str = "justify", indent: bool = False, spacing: float | None = LINE_PT):
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
        from docx.shared import Pt

        paragraph = self.document.add_paragraph()
        paragraph.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                               "justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "left": WD_ALIGN_PARAGRAPH.LEFT}[align]
        layout = paragraph.paragraph_format
        layout.space_before = layout.space_after = Pt(0)
        if spacing is not None:
            layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            layout.line_spacing = Pt(spacing)
        if indent:
            layout.first_line_indent = Pt(BODY_PT * 2)
        return paragraph

    def title(self, text: str, demo: bool) -> None:
        if demo:
            self.run(self.paragraph("right"), f"【{DEMO_MARK}】", HEADING_FONT, 12)
        self.run(self.paragraph("center", spacing=TITLE_PT * 1.6), text, TITLE_FONT, TITLE_PT, bold=True)

    def blank(self) -> None:
        self.paragraph()

    def heading(self, text: str) -> None:
        paragraph = self.paragraph(indent=True)
        paragraph.paragraph_format.keep_with_next = True  # never alone at the foot of a page
        self.run(paragraph, text, HEADING_FONT)

    def labelled(self, label: str, text: str) -> None:
        """（一）方式。text: a 楷体 lead-in and the unit's own words in 仿宋."""
        paragraph = self.paragraph(indent=True)
        self.run(paragraph, label, SUBHEADING_FONT)
        self.run(paragraph, text.strip() or EMPTY_TEXT)

    def body(self, text: str) -> None:
        lines = [line.strip() for line in (text or "").splitlines() if line.strip()] or [EMPTY_TEXT]
        for line in lines:
            self.run(self.paragraph(indent=True), line)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[object]], widths_mm: Sequence[float],
              numeric_from: int = 1, size: float = TABLE_PT) -> None:
        """A bordered table within the margins: bold header repeated on each page; numbers centred."""
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt
        from docx.table import _Cell

        scale = self.text_width_mm / sum(widths_mm)
        widths = [Mm(w * scale) for w in widths_mm]
        table = self.document.add_table(rows=1 + len(rows), cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for row in table.rows:  # a row is never split across pages
            cant_split = OxmlElement("w:cantSplit")
            cant_split.set(qn("w:val"), "true")
            row._tr.get_or_add_trPr().append(cant_split)
        for column, width in zip(table.columns, widths):
            column.width = width
        header_row = table.rows[0]
        row_properties = header_row._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        row_properties.append(repeat)
        # cells straight from each row: table.cell and row.cells walk the whole table each time (quadratic)
        for r, (row, values) in enumerate(zip(table.rows, [list(header)] + [list(row) for row in rows], strict=True)):
            cells = [_Cell(tc, table) for tc in row._tr.tc_lst]  # no merged cells here
            for c, value in enumerate(values):
                cell = cells[c]
                cell.width = widths[c]
                paragraph = cell.paragraphs[0]
                paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(2)
                paragraph.paragraph_format.keep_with_next = len(rows) <= KEEP_TOGETHER_ROWS and r < len(rows)
                centred = r == 0 or c >= numeric_from or not isinstance(value, str)
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT
                text = value if isinstance(value, str) else number_text(value)
                self.run(paragraph, text, HEADING_FONT if r == 0 else BODY_FONT, size)
        self.document.add_paragraph().paragraph_format.space_after = Pt(0)

    def signature(self, contact: str | None, signer: str, day: date) -> None:
        from docx.shared import Pt

        # the block stays on one page with the last line of the body before it (no signature alone on a page)
        self.document.paragraphs[-1].paragraph_format.keep_with_next = True
        if contact:
            paragraph = self.paragraph(indent=True)
            paragraph.paragraph_format.keep_with_next = True
            self.run(paragraph, contact)
        self.paragraph().paragraph_format.keep_with_next = True
        for text in (signer, date_text(day)):
            paragraph = self.paragraph("right")
            paragraph.paragraph_format.right_indent = Pt(BODY_PT * 2)
            paragraph.paragraph_format.keep_with_next = text == signer
            self.run(paragraph, text)

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def _breakdown_rows(figures: Figures) -> list[list[object]]:
    return ([["渠道", tally.label, tally.count] for tally in figures.by_channel]
            + [["场所", tally.label, tally.count] for tally in figures.by_place])


def _figures_section(doc: _Docx, figures: Figures) -> None:
    rows = [[name, value, unit] for (name, unit), value in zip(FIGURE_LABELS, _figure_values(figures))]
    doc.table(("项目", "数量", "计量单位"), rows, (60, 50, 46))
    breakdown = _breakdown_rows(figures)
    if breakdown:
        doc.table(("类别", "渠道或场所（八进）", "活动场次"), breakdown, (36, 70, 50), numeric_from=2)


def _unit_targets(doc: _Docx, targets: Sequence[TargetRow]) -> None:
    """Process targets with pacing, then outcome targets against the same period last year."""
    process = [row for row in targets if not row.outcome]
    outcomes = [row for row in targets if row.outcome]
    if process:
        doc.table(("序号",) + TARGET_HEADER,
                  [[str(i)] + _target_cells(row) for i, row in enumerate(process, start=1)],
                  (13, 38, 21, 17, 21, 21, 25), numeric_from=2)
    if outcomes:
        doc.body("发案和损失与去年同期比较（自行动开始至本期末，含辖区）：")
        doc.table(OUTCOME_HEADER, [_outcome_cells(row) for row in outcomes], (30, 20, 20, 40, 20, 22))
    if not targets:
        doc.body("本期无量化目标。")


def unit_report_docx(report: UnitReport) -> bytes:
    """The unit's report as a formal Word document."""
    doc = _Docx()
    doc.title(report_title(report.campaign_name, report.period), report.demo)
    doc.run(doc.paragraph("center"), period_text(report.period), SUBHEADING_FONT)
    doc.blank()
    doc.body(f"按照{report.campaign_name}（{report.theme}）工作部署，现将{report.unit_name}"
             f"{period_text(report.period)}工作开展情况报告如下：")
    doc.heading("一、工作开展情况")
    for n, (label, text) in enumerate(zip(NARRATIVE_LABELS, (report.methods, report.channels, report.process,
                                                             report.scope)), start=1):
        doc.labelled(f"（{_chinese_ordinal(n)}）{label}。", text)
    doc.heading("二、主要数据")
    if report.includes:
        doc.body(f"以下数据为本单位及所属单位合计，{includes_text(report)}。")
    _figures_section(doc, report.figures)
    doc.heading("三、目标完成情况")
    _unit_targets(doc, report.targets)
    doc.heading("四、下步工作打算")
    doc.body(report.next_steps)
    contact = f"联络员：{report.liaison.name}　　联系电话：{report.liaison.phone_masked}"
    doc.signature(contact, report.unit_name, _signed_on(report.report_date, report.period))
    return doc.bytes()


def _tallies_text(tallies: Sequence[Tally], limit: int = 6) -> str:
    ordered = sorted(tallies, key=lambda tally: -tally.count)[:limit]
    return "、".join(f"{tally.label}{tally.count}场" for tally in ordered)


def rollup_overview(rollup: Rollup) -> str:
    """方式、渠道、过程、范围 in one paragraph, summed from the units' frozen reports (each activity counted once)."""
    totals = rollup.totals
    text = (f"本期{len(rollup.units)}个报送单位共开展宣传活动{totals.activities}场次，出动警力{totals.police_turnout}"
            f"人次，覆盖群众{totals.people_reached}人次，入户走访{totals.households}户，发放宣传品{totals.pieces}份。")
    if totals.by_channel:
        text += f"宣传方式和渠道以{_tallies_text(totals.by_channel)}为主；"
    if totals.by_place:
        text += f"宣传范围覆盖{_tallies_text(totals.by_place, 8)}。"
    if not rollup.units:
        return "本期无单位报送。"
    return text


def _group_sentence(n: int, rollup: Rollup, group: RollupGroup) -> str:
    figures = rollup.group_figures(group)
    text = (f"（{_chinese_ordinal(n)}）{group.name}：报送单位{len(group.members)}个，开展宣传活动{figures.activities}场次，"
            f"覆盖群众{figures.people_reached}人次，入户走访{figures.households}户")
    if figures.by_place:
        text += f"，主要{_tallies_text(figures.by_place, 3)}"
    text += "。"
    if group.missing:
        text += f"未报送：{'、'.join(group.missing)}。"
    return text


def _group_rows(rollup: Rollup) -> list[list[object]]:
    rows: list[list[object]] = [[group.name, f"{len(group.members)}/{len(group.members) + len(group.missing)}",
                                 *_figure_values(rollup.group_figures(group))] for group in rollup.groups]
    expected = len(rollup.units) + len(rollup.missing_units)
    return rows + [[TOTAL_LABEL, f"{len(rollup.units)}/{expected}", *_figure_values(rollup.totals)]]


def _summary_cells(summary: TargetSummary) -> list[object]:
    return [summary.description, len(summary.green), len(summary.amber), len(summary.red), len(summary.grey)]


def _behind_sentence(summary: TargetSummary) -> str | None:
    parts = []
    if summary.red:
        parts.append(f"落后或未达标的{len(summary.red)}个：{'、'.join(summary.red)}")
    if summary.amber:
        parts.append(f"稍有落后的{len(summary.amber)}个：{'、'.join(summary.amber)}")
    if not parts:
        return None
    return f"{summary.description}，" + "；".join(parts) + "。"


def rollup_docx(rollup: Rollup) -> bytes:
    """The roll-up of a period as a formal Word document: the work and figures by 辖区 with totals, each target's
    standing across the units with the units behind named, who has not reported. Each unit's own words and its
    standing on every target are in the XLSX."""
    doc = _Docx()
    doc.title(report_title(rollup.campaign_name, rollup.period, rollup=True), rollup.demo)
    doc.run(doc.paragraph("center"), period_text(rollup.period), SUBHEADING_FONT)
    doc.blank()
    expected = len(rollup.units) + len(rollup.missing_units)
    summary = (f"按照{rollup.campaign_name}（{rollup.theme}）工作部署，本期应报送单位{expected}个，"
               f"已报送{len(rollup.units)}个")
    summary += f"，未报送：{'、'.join(rollup.missing_units)}。" if rollup.missing_units else "，全部按要求报送。"
    if rollup.late_units:
        summary += f"逾期报送：{'、'.join(rollup.late_units)}。"
    doc.body(summary + "现将工作开展情况汇总报告如下：")
    doc.heading("一、工作开展情况")
    doc.body(rollup_overview(rollup))
    for n, group in enumerate(rollup.groups, start=1):
        doc.body(_group_sentence(n, rollup, group))
    if rollup.units:
        doc.body("各单位报送的方式、渠道、过程、范围和下步工作打算见同期汇总表（Excel）“工作开展情况”工作表。")
    doc.heading("二、主要数据")
    doc.table(GROUP_HEADER, _group_rows(rollup), (38, 24, 18, 22, 18, 22, 20))
    breakdown = _breakdown_rows(rollup.totals)
    if breakdown:
        doc.table(("类别", "渠道或场所（八进）", "活动场次（合计）"), breakdown, (36, 70, 50), numeric_from=2)
    doc.heading("三、目标完成情况")
    if rollup.targets:
        doc.body("各报送单位在本期报告中的目标完成情况（单位：个）如下，各单位逐项数据见汇总表（Excel）“目标完成情况”工作表：")
        doc.table(SUMMARY_HEADER, [_summary_cells(row) for row in rollup.targets], (52, 34, 22, 22, 24))
        for sentence in filter(None, (_behind_sentence(row) for row in rollup.targets)):
            doc.body(sentence)
    else:
        doc.body("本期无量化目标。")
    doc.heading("四、下步工作打算")
    doc.body(rollup.next_steps)
    doc.signature(None, rollup.issuer, _signed_on(rollup.report_date, rollup.period))
    return doc.bytes()


# ---------------------------------------------------------------- XLSX


class _Sheet:
    """Rows appended to a worksheet: text made formula-safe, numbers kept numbers."""

    def __init__(self, sheet, widths: Sequence[float]) -> None:
        from openpyxl.utils import get_column_letter

        self.sheet = sheet
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width

    def row(self, values: Sequence[object], bold: bool = False, wrap: bool = False) -> None:
        from openpyxl.styles import Alignment, Font

        self.sheet.append([safe_cell(value) for value in values])
        if not (bold or wrap):
            return
        for cell in self.sheet[self.sheet.max_row]:  # max_row scans every cell: only rows that need styling
            if bold:
                cell.font = Font(bold=True)
            if wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")

    def title(self, text: str, columns: int) -> None:
        from openpyxl.styles import Alignment, Font

        self.sheet.append([safe_cell(text)])
        row = self.sheet.max_row
        self.sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
        cell = self.sheet.cell(row=row, column=1)
        cell.font = Font(bold=True, size=14)
        cell.alignment = Alignment(horizontal="center")

    def blank(self) -> None:
        self.sheet.append([])


def _book():
    from openpyxl import Workbook

    return Workbook()


def _saved(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_figures(sheet: _Sheet, figures: Figures) -> None:
    sheet.row(["项目", "数量", "计量单位"], bold=True)
    for (name, unit), value in zip(FIGURE_LABELS, _figure_values(figures)):
        sheet.row([name, value, unit])
    breakdown = _breakdown_rows(figures)
    if breakdown:
        sheet.blank()
        sheet.row(["类别", "渠道或场所（八进）", "活动场次"], bold=True)
        for row in breakdown:
            sheet.row(row)


def unit_report_xlsx(report: UnitReport) -> bytes:
    """The unit's report as one worksheet: title rows, the narrative, 主要数据, 目标完成情况, 下步工作打算."""
    book = _book()
    sheet = _Sheet(book.active, (18, 40, 14, 14, 12, 14, 14))
    book.active.title = "进展报告"
    sheet.title(report_title(report.campaign_name, report.period), 7)
    if report.demo:
        sheet.row([DEMO_MARK])
    for label, value in (("报告期", period_text(report.period)), ("专项行动", report.campaign_name),
                         ("主题", report.theme), ("报送单位", report.unit_name), ("联络员", report.liaison.name),
                         ("联系电话", report.liaison.phone_masked),
                         ("报告日期", date_text(_signed_on(report.report_date, report.period)))):
        sheet.row([label, value])
    sheet.blank()
    sheet.row(["一、工作开展情况"], bold=True)
    for label, text in zip(NARRATIVE_LABELS, (report.methods, report.channels, report.process, report.scope)):
        sheet.row([label, text], wrap=True)
    sheet.blank()
    sheet.row(["二、主要数据"], bold=True)
    if report.includes:
        sheet.row(["数据范围", f"本单位及所属单位合计，{includes_text(report)}"], wrap=True)
    _xlsx_figures(sheet, report.figures)
    sheet.blank()
    sheet.row(["三、目标完成情况"], bold=True)
    sheet.row(["序号", *XLSX_TARGET_HEADER], bold=True)
    for i, row in enumerate(report.targets, start=1):
        sheet.row([i, *_xlsx_target_cells(row)])
    sheet.blank()
    sheet.row(["四、下步工作打算"], bold=True)
    sheet.row(["下步工作打算", report.next_steps], wrap=True)
    return _saved(book)


def rollup_xlsx(rollup: Rollup) -> bytes:
    """The roll-up as a workbook: 汇总 (figures per unit, 未报送 units, 合计), 分类统计, 目标完成情况, 工作开展情况."""
    book = _book()
    summary = _Sheet(book.active, (28, 12, 12, 12, 12, 12, 12))
    book.active.title = "汇总"
    summary.title(report_title(rollup.campaign_name, rollup.period, rollup=True), 7)
    if rollup.demo:
        summary.row([DEMO_MARK])
    for label, value in (("报告期", period_text(rollup.period)), ("专项行动", rollup.campaign_name),
                         ("主题", rollup.theme), ("汇总单位", rollup.issuer),
                         ("报告日期", date_text(_signed_on(rollup.report_date, rollup.period)))):
        summary.row([label, value])
    summary.blank()
    summary.row(["各单位数据为本单位（含协作单位）自身开展的活动；分局报告中含所属派出所的数据不重复计入合计。"])
    summary.row([ROLLUP_FIGURE_HEADER[0], "报送情况", *ROLLUP_FIGURE_HEADER[1:]], bold=True)
    late = set(rollup.late_units)
    for unit in rollup.units:
        summary.row([unit.unit_name, "逾期报送" if unit.unit_name in late else "已报送", *_figure_values(unit.own)])
    for name in rollup.missing_units:
        summary.row([name, "未报送"])
    summary.row([TOTAL_LABEL, f"{len(rollup.units)}个单位", *_figure_values(rollup.totals)], bold=True)

    breakdown = _Sheet(book.create_sheet("分类统计"), (12, 28, 14))
    breakdown.row(["类别", "渠道或场所（八进）", "活动场次（合计）"], bold=True)
    for row in _breakdown_rows(rollup.totals):
        breakdown.row(row)

    districts = _Sheet(book.create_sheet("分辖区"), (28, 12, 12, 12, 12, 12, 12))
    districts.row(list(GROUP_HEADER), bold=True)
    for row in _group_rows(rollup):
        districts.row(row)

    across = _Sheet(book.create_sheet("目标汇总"), (40, 14, 12, 12, 12, 60, 60))
    across.row([*SUMMARY_HEADER, "落后或未达标的单位", "稍有落后的单位"], bold=True)
    for summary_row in rollup.targets:
        across.row([*_summary_cells(summary_row), "、".join(summary_row.red), "、".join(summary_row.amber)], wrap=True)

    targets = _Sheet(book.create_sheet("目标完成情况"), (28, 40, 12, 12, 10, 12, 14, 12, 14))
    targets.row(["单位", *XLSX_TARGET_HEADER], bold=True)
    for unit in rollup.units:
        for row in unit.targets:
            targets.row([unit.unit_name, *_xlsx_target_cells(row)])

    work = _Sheet(book.create_sheet("工作开展情况"), (24, 40, 40, 40, 40, 40, 12, 16))
    work.row(["单位", *NARRATIVE_LABELS, "下步工作打算", "联络员", "联系电话"], bold=True)
    for unit in rollup.units:
        work.row([unit.unit_name, unit.methods, unit.channels, unit.process, unit.scope, unit.next_steps,
                  unit.liaison.name, unit.liaison.phone_masked], wrap=True)
    return _saved(book)


# ---------------------------------------------------------------- the monthly ranking 通报

RANK_TABLE_PT = 9  # 小五: ten columns fit the A4 text width
RANK_HEADER = ("名次", "单位", "每万人发案（起）", "同比（%）", "损失（万元）", "返还（万元）", "目标达标率（%）",
               "逾期问责（件）", "迟报漏报（期）", "综合得分")


def _one_decimal(value: float | None) -> str:
    return NO_VALUE if value is None else f"{value:.1f}"


def _two_decimals(value: float | None) -> str:
    return NO_VALUE if value is None else f"{value:.2f}"


def ranking_title(ranking) -> str:
    """关于11月份全市反诈宣传工作情况的通报."""
    area = t.RANK_AREA_CITY if ranking.issuer_is_city else t.RANK_AREA_DISTRICT
    return t.RANK_DOC_TITLE.format(month=ranking.month.month, area=area)


def ranking_rows(ranking) -> list[list[str]]:
    """The ranking table as written in the 通报 (and shown on the page)."""
    return [[str(row.rank), row.unit_name, _two_decimals(row.rate), _one_decimal(row.change),
             format(wan_figure(row.loss_fen), "f"), format(wan_figure(row.recovered_fen), "f"),
             _one_decimal(row.targets_met), str(row.overdue), str(row.late), f"{row.score:.1f}"]
            for row in ranking.rows]


def _change_words(current: int, previous: int) -> str:
    if not previous:
        return "去年同月无发案"
    change = (current - previous) / previous * 100
    direction = "上升" if change > 0 else "下降" if change < 0 else "持平"
    return f"同比{direction}{abs(change):.1f}%（去年同月{previous}起）" if change else "与去年同月持平"


def _names(rows) -> str:
    return "、".join(f"{row.unit_name}（{row.score:.1f}分）" for row in rows)


def ranking_docx(ranking, signed_on: date) -> bytes:
    """The monthly ranking 通报: title, 总体情况, the ranking table, 先进 and 后进 named, 下步要求, issuer and date."""
    doc = _Docx()
    doc.title(ranking_title(ranking), ranking.demo)
    doc.blank()
    doc.run(doc.paragraph("left"), "各参加单位：")
    month = f"{ranking.month.year}年{ranking.month.month}月"
    weights = "、".join(f"{label.split('（')[0]}{ranking.weights[key]}" for key, label in
                        (("rate", "每万人发案"), ("change", "发案同比"), ("loss", "损失金额"), ("recovered", "返还金额"),
                         ("targets", "目标达标率"), ("overdue", "逾期问责事项"), ("late", "迟报漏报")))
    doc.body(f"为深入推进{ranking.campaign_name}，根据各单位{month}份发案、损失、返还、目标完成、问责事项办理和进展报送"
             f"情况，按照指标权重（{weights}）进行综合排名，现将有关情况通报如下：")
    rows = ranking.rows
    cases = sum(r.cases for r in rows)
    before = sum(r.cases_last_year for r in rows)
    met = [r.targets_met for r in rows if r.targets_met is not None]
    doc.heading("一、总体情况")
    doc.body(f"{month}，参评{len(rows)}个单位共发案{cases}起，{_change_words(cases, before)}；损失"
             f"{money_text(sum(r.loss_fen for r in rows))}，返还{money_text(sum(r.recovered_fen for r in rows))}；"
             f"平均目标达标率{(sum(met) / len(met) if met else 0):.1f}%；截至{date_text(ranking.as_of)}逾期未办结问责事项"
             f"{sum(r.overdue for r in rows)}件；本月迟报、漏报进展报告{sum(r.late for r in rows)}期次。")
    doc.heading("二、排名情况")
    doc.table(RANK_HEADER, ranking_rows(ranking), (10, 34, 16, 14, 15, 15, 16, 14, 14, 14), numeric_from=2,
              size=RANK_TABLE_PT)
    doc.heading("三、先进与后进")
    count = min(3, max(1, len(rows) // 2)) if rows else 0
    if count:
        doc.body(f"综合得分排名前{count}位的{_names(rows[:count])}，工作措施有力、成效明显，予以通报表扬。")
    laggards = [r for r in rows[len(rows) - count:] if r not in rows[:count]] if count else []
    if laggards:
        doc.body(f"综合得分排名后{len(laggards)}位的{_names(laggards)}，要认真查找差距，"
                 "于一周内向专项行动领导小组办公室书面报告整改措施。")
    if not rows:
        doc.body("本范围内没有可排名的参加单位。")
    doc.heading("四、下步要求")
    for paragraph in t.RANK_DEMANDS:
        doc.body(paragraph)
    doc.signature(None, ranking.issuer, signed_on)
    return doc.bytes()
