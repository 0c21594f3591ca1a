"""The 总览 tables as cells (header, rows): the page draws them and the export writes the same cells."""

from decimal import Decimal

from services.overview.board import MONEY, Branches, Delta, Figure, Headline, HeadlineBlock, Trend, TypeRow
from services.overview.text import (
    COL_CASES,
    COL_CASES_LAST_YEAR,
    COL_CASES_MOM,
    COL_CASES_PREVIOUS,
    COL_CASES_YEAR_AGO,
    COL_CASES_YOY,
    COL_COUNT,
    COL_DAY_LAST_YEAR,
    COL_ITEM,
    COL_LEVEL,
    COL_LOSS,
    COL_LOSS_LAST_YEAR,
    COL_LOSS_MOM,
    COL_LOSS_PREVIOUS,
    COL_LOSS_YEAR_AGO,
    COL_LOSS_YOY,
    COL_MOM,
    COL_PREVIOUS,
    COL_UNIT,
    COL_VALUE,
    COL_YEAR_AGO,
    COL_YOY,
    NOT_APPLICABLE,
    PERIOD_DAYS,
    SECTION_BRANCHES,
    SECTION_HEADLINE,
    SECTION_OPEN_ITEMS,
    SECTION_TREND,
    SECTION_TYPES,
    TREND_DAY,
    TYPE_COLUMN,
)
from services.shared.money import wan_figure
from services.shared.timeutil import Period

Cells = tuple[list[str], list[list]]


def days_text(period: Period | None) -> str:
    """'2026-11-01 至 2026-11-28' (one day: the day alone)."""
    if period is None:
        return NOT_APPLICABLE
    if period.first_day == period.last_day:
        return f"{period.first_day}"
    return PERIOD_DAYS.format(start=period.first_day, end=period.last_day)


def change_cell(delta: Delta | None) -> str:
    """A change as a table shows it: '+1（+100.0%）', '新增', '持平', or — without a comparison."""
    return NOT_APPLICABLE if delta is None else delta.short


def _before(figure: Figure, delta: Delta | None) -> object:
    if delta is None:
        return NOT_APPLICABLE
    return wan_figure(delta.before) if figure.measure in MONEY else delta.before


def _value(figure: Figure) -> int | Decimal:
    return wan_figure(figure.value) if figure.measure in MONEY else figure.value


def headline_cells(block: HeadlineBlock) -> Cells:
    """Each headline measure with its value, last year's, 同比, the 环比 period's and 环比."""
    header = [COL_ITEM, COL_VALUE, COL_UNIT, COL_YEAR_AGO, COL_YOY, COL_PREVIOUS, COL_MOM]
    rows = [[f.label, _value(f), f.unit, _before(f, f.year_ago), change_cell(f.year_ago), _before(f, f.previous),
             change_cell(f.previous)] for f in block.figures]
    return header, rows


def open_item_cells(headline: Headline) -> Cells:
    """Open accountability items by level (now)."""
    return [COL_LEVEL, COL_COUNT], [[level.label, n] for level, n in headline.open_items.items()]


def branch_cells(table: Branches) -> Cells:
    """Every branch and the total: cases and loss, last year's, 同比, and (but for 本年) the 环比 period's and 环比."""
    with_previous = table.span.previous is not None
    header = [table.branch_label, COL_CASES, COL_CASES_YEAR_AGO, COL_CASES_YOY]
    header += [COL_CASES_PREVIOUS, COL_CASES_MOM] if with_previous else []
    header += [COL_LOSS, COL_LOSS_YEAR_AGO, COL_LOSS_YOY]
    header += [COL_LOSS_PREVIOUS, COL_LOSS_MOM] if with_previous else []
    rows = []
    for line in (*table.rows, table.total):
        row: list = [line.name]
        for figure in (line.cases, line.loss):
            row += [_value(figure), _before(figure, figure.year_ago), change_cell(figure.year_ago)]
            if with_previous:
                row += [_before(figure, figure.previous), change_cell(figure.previous)]
        rows.append(row)
    return header, rows


def type_cells(rows: list[TypeRow]) -> Cells:
    """Cases and loss by fraud type."""
    return [TYPE_COLUMN, COL_CASES, COL_LOSS], [[r.label, r.cases, wan_figure(r.loss_fen)] for r in rows]


def trend_cells(trend: Trend) -> Cells:
    """Each day with the same day last year."""
    header = [TREND_DAY, COL_CASES, COL_LOSS, COL_DAY_LAST_YEAR, COL_CASES_LAST_YEAR, COL_LOSS_LAST_YEAR]
    rows = [[f"{d.day}", d.cases, wan_figure(d.loss_fen), f"{d.last_year_day}", d.last_year_cases,
             wan_figure(d.last_year_loss_fen)] for d in trend.days]
    return header, rows


def view_cells(headline: Headline, table: Branches, types: list[TypeRow], trend: Trend) -> Cells:
    """Everything the page shows, section after section (a title row, its header, its rows, a blank row)."""
    header, rows = headline_cells(headline.blocks[0])
    rows = [header, *rows]
    for title, (section_header, section_rows) in ((SECTION_OPEN_ITEMS, open_item_cells(headline)),
                                                   (SECTION_BRANCHES, branch_cells(table)),
                                                   (SECTION_TYPES, type_cells(types)),
                                                   (SECTION_TREND, trend_cells(trend))):
        rows += [[], [title], section_header, *section_rows]
    return [SECTION_HEADLINE], rows
