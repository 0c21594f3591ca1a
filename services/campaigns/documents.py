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

from services.campaigns.calendar import ReportPeriod
from services.campaigns.report_model import Figures, Rollup, TargetRow, UnitReport
from services.shared.export_cells import safe_cell

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
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def _target_cells(row: TargetRow) -> list[object]:
    return [row.description, row.value, row.goal, row.unit, row.status, row.needed_per_week]


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
              numeric_from: int = 1) -> None:
        """A bordered table within the margins: bold header repeated on each page; numbers centred."""
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt

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
        for r, values in enumerate([list(header)] + [list(row) for row in rows]):
            for c, value in enumerate(values):
                cell = table.cell(r, c)
                cell.width = widths[c]
                paragraph = cell.paragraphs[0]
                paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(2)
                paragraph.paragraph_format.keep_with_next = len(rows) <= KEEP_TOGETHER_ROWS and r < len(rows)
                centred = r == 0 or c >= numeric_from or not isinstance(value, str)
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT
                text = value if isinstance(value, str) else number_text(value)
                self.run(paragraph, text, HEADING_FONT if r == 0 else BODY_FONT, TABLE_PT)
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
    _figures_section(doc, report.figures)
    doc.heading("三、目标完成情况")
    if report.targets:
        doc.table(("序号",) + TARGET_HEADER,
                  [[str(i)] + _target_cells(row) for i, row in enumerate(report.targets, start=1)],
                  (13, 38, 21, 17, 21, 21, 25), numeric_from=2)
    else:
        doc.body("本期无量化目标。")
    doc.heading("四、下步工作打算")
    doc.body(report.next_steps)
    contact = f"联络员：{report.liaison.name}　　联系电话：{report.liaison.phone_masked}"
    doc.signature(contact, report.unit_name, _signed_on(report.report_date, report.period))
    return doc.bytes()


def _rollup_target_rows(rollup: Rollup) -> list[list[object]]:
    rows = [[rollup.issuer] + _target_cells(row) for row in rollup.targets]
    for unit in rollup.units:
        rows += [[unit.unit_name] + _target_cells(row) for row in unit.targets]
    return rows


def _rollup_figure_rows(rollup: Rollup) -> list[list[object]]:
    rows: list[list[object]] = [[unit.unit_name, *_figure_values(unit.figures)] for unit in rollup.units]
    return rows + [[TOTAL_LABEL, *_figure_values(rollup.totals)]]


def rollup_docx(rollup: Rollup) -> bytes:
    """The roll-up of a period as a formal Word document: every unit's work, the figures per unit with totals, the
    targets, who has not reported."""
    doc = _Docx()
    doc.title(report_title(rollup.campaign_name, rollup.period, rollup=True), rollup.demo)
    doc.run(doc.paragraph("center"), period_text(rollup.period), SUBHEADING_FONT)
    doc.blank()
    expected = len(rollup.units) + len(rollup.missing_units)
    summary = (f"按照{rollup.campaign_name}（{rollup.theme}）工作部署，本期应报送单位{expected}个，"
               f"已报送{len(rollup.units)}个")
    summary += f"，未报送：{'、'.join(rollup.missing_units)}。" if rollup.missing_units else "，全部按要求报送。"
    doc.body(summary + "现将工作开展情况汇总报告如下：")
    doc.heading("一、工作开展情况")
    for n, unit in enumerate(rollup.units, start=1):
        doc.run(doc.paragraph(indent=True), f"（{_chinese_ordinal(n)}）{unit.unit_name}", SUBHEADING_FONT)
        for label, text in zip(NARRATIVE_LABELS, (unit.methods, unit.channels, unit.process, unit.scope)):
            doc.labelled(f"{label}：", text)
    doc.heading("二、主要数据")
    doc.table(ROLLUP_FIGURE_HEADER, _rollup_figure_rows(rollup), (40, 22, 24, 22, 26, 22))
    breakdown = _breakdown_rows(rollup.totals)
    if breakdown:
        doc.table(("类别", "渠道或场所（八进）", "活动场次（合计）"), breakdown, (36, 70, 50), numeric_from=2)
    doc.heading("三、目标完成情况")
    target_rows = _rollup_target_rows(rollup)
    if target_rows:
        doc.table(("单位",) + TARGET_HEADER, target_rows, (28, 28, 21, 17, 21, 19, 25), numeric_from=2)
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
        for cell in self.sheet[self.sheet.max_row]:
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
    _xlsx_figures(sheet, report.figures)
    sheet.blank()
    sheet.row(["三、目标完成情况"], bold=True)
    sheet.row(["序号", *TARGET_HEADER], bold=True)
    for i, row in enumerate(report.targets, start=1):
        sheet.row([i, *_target_cells(row)])
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
    summary.row([ROLLUP_FIGURE_HEADER[0], "报送情况", *ROLLUP_FIGURE_HEADER[1:]], bold=True)
    for unit in rollup.units:
        summary.row([unit.unit_name, "已报送", *_figure_values(unit.figures)])
    for name in rollup.missing_units:
        summary.row([name, "未报送"])
    summary.row([TOTAL_LABEL, f"{len(rollup.units)}个单位", *_figure_values(rollup.totals)], bold=True)

    breakdown = _Sheet(book.create_sheet("分类统计"), (12, 28, 14))
    breakdown.row(["类别", "渠道或场所（八进）", "活动场次（合计）"], bold=True)
    for row in _breakdown_rows(rollup.totals):
        breakdown.row(row)

    targets = _Sheet(book.create_sheet("目标完成情况"), (28, 40, 12, 12, 10, 12, 14))
    targets.row(["单位", *TARGET_HEADER], bold=True)
    for row in _rollup_target_rows(rollup):
        targets.row(row)

    work = _Sheet(book.create_sheet("工作开展情况"), (24, 40, 40, 40, 40, 40, 12, 16))
    work.row(["单位", *NARRATIVE_LABELS, "下步工作打算", "联络员", "联系电话"], bold=True)
    for unit in rollup.units:
        work.row([unit.unit_name, unit.methods, unit.channels, unit.process, unit.scope, unit.next_steps,
                  unit.liaison.name, unit.liaison.phone_masked], wrap=True)
    return _saved(book)
