"""The 总览 figures: today and this month (Beijing time), and each branch of a unit against last month."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlmodel import Session

from db import queries
from services.access.actor import Actor
from services.access.permissions import Permission
from services.access.scope import require, scoped_unit
from services.overview.text import (
    CHANGE_NEW,
    COL_CALLS_MONTH,
    COL_CASES_CHANGE,
    COL_CASES_MONTH,
    COL_CASES_PREV,
    COL_DISSUADED_MONTH,
    COL_LOSS_CHANGE,
    COL_LOSS_MONTH,
    COL_LOSS_PREV,
    COL_RECOVERED_MONTH,
    OWN_LEVEL,
    TOTAL_ROW,
)
from services.shared.money import wan_decimal
from services.shared.text import BRANCH_LABELS
from services.shared.timeutil import Comparison, Period, month_comparison, shanghai_today, today_period
from services.units.tree import UnitTree


@dataclass(frozen=True)
class Measures:
    """The five headline measures; money in fen."""

    cases: int = 0
    loss_fen: int = 0
    recovered_fen: int = 0
    calls: int = 0
    dissuaded: int = 0

    def __add__(self, other: "Measures") -> "Measures":
        return Measures(*(a + b for a, b in zip(self.astuple(), other.astuple(), strict=True)))

    def astuple(self) -> tuple[int, ...]:
        return (self.cases, self.loss_fen, self.recovered_fen, self.calls, self.dissuaded)


@dataclass(frozen=True)
class Change:
    """Change against a previous period: percent (one decimal) or a word when undefined."""

    percent: Decimal | None
    label: str


def change(current: int, previous: int) -> Change:
    """Month-over-month change; 新增 when the previous period had none, — when both are zero."""
    if previous == 0:
        return Change(None, CHANGE_NEW if current else "—")
    percent = (Decimal(current - previous) * 100 / Decimal(previous)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return Change(percent, f"{percent:+}%")


@dataclass(frozen=True)
class BranchRow:
    """One row of the table: a child unit (or the unit itself) this month vs the same days last month."""

    unit_id: int
    name: str
    month: Measures
    previous: Measures
    cases_change: Change = field(init=False)
    loss_change: Change = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "cases_change", change(self.month.cases, self.previous.cases))
        object.__setattr__(self, "loss_change", change(self.month.loss_fen, self.previous.loss_fen))


@dataclass(frozen=True)
class Overview:
    """Everything the overview page shows, for one unit's scope."""

    root_id: int
    root_name: str
    root_level: int
    as_of: datetime
    today: Measures
    month: Measures
    month_period: Period
    previous_period: Period
    rows: list[BranchRow]
    total: BranchRow
    is_demo: bool

    @property
    def compared(self) -> Comparison:
        """This month to date and the same days of last month."""
        return Comparison(self.month_period, self.previous_period)

    @property
    def branch_label(self) -> str:
        """What the rows are called (分局/县局, 派出所)."""
        return BRANCH_LABELS.get(self.root_level, BRANCH_LABELS[max(BRANCH_LABELS)])


def _measures_by_branch(session: Session, tree: UnitTree, root_id: int, period: Period) -> dict[int, Measures]:
    cases = queries.case_totals_by_unit(session, period.start, period.end)
    calls = queries.call_totals_by_unit(session, period.start, period.end)
    sums: dict[int, Measures] = defaultdict(Measures)
    for unit_id in cases.keys() | calls.keys():
        branch = tree.branch_of(unit_id, root_id)
        if branch is None:
            continue
        c, k = cases.get(unit_id, queries.CaseTotals()), calls.get(unit_id, queries.CallTotals())
        sums[branch] = sums[branch] + Measures(c.cases, c.loss_fen, c.recovered_fen, k.calls, k.dissuaded)
    return sums


def _total(measures: dict[int, Measures]) -> Measures:
    return sum(measures.values(), Measures())


def _row_units(tree: UnitTree, root, branches_with_data: set[int]) -> list[tuple]:
    children = tree.children(root.id)
    if not children:
        return [(root, root.name)]
    own = [(root, f"{root.name}{OWN_LEVEL}")] if root.id in branches_with_data else []
    return own + [(child, child.name) for child in children]


def build_overview(session: Session, moment: datetime, actor: Actor, unit_id: int | None = None) -> Overview:
    """The overview of a unit's subtree (default: the actor's unit) at an instant, within the actor's scope."""
    require(actor, Permission.VIEW_OVERVIEW)
    root = scoped_unit(session, actor, unit_id)
    tree = UnitTree.of(queries.all_units(session))
    compared = month_comparison(shanghai_today(moment))  # the same definition as the map's 本月
    month_period, previous_period = compared.current, compared.previous
    month = _measures_by_branch(session, tree, root.id, month_period)
    previous = _measures_by_branch(session, tree, root.id, previous_period)
    today = _measures_by_branch(session, tree, root.id, today_period(moment))
    rows = [
        BranchRow(unit.id, name, month.get(unit.id, Measures()), previous.get(unit.id, Measures()))
        for unit, name in _row_units(tree, root, month.keys() | previous.keys())
    ]
    total = BranchRow(root.id, TOTAL_ROW, _total(month), _total(previous))
    return Overview(
        root_id=root.id, root_name=root.name, root_level=root.level, as_of=moment, today=_total(today), month=total.month,
        month_period=month_period, previous_period=previous_period, rows=rows, total=total,
        is_demo=queries.setting(session, queries.DEMO_SETTING_KEY) is not None,
    )


def branch_table_cells(rows: list[BranchRow], total: BranchRow, unit_column: str) -> tuple[list[str], list[list]]:
    """Header and rows (branches, then the total) of the branch table as shown and exported.

    Money in 万元 (Decimal, two places); changes as their labels (+20.9%, 新增, —).
    """
    header = [unit_column, COL_CASES_MONTH, COL_CASES_PREV, COL_CASES_CHANGE, COL_LOSS_MONTH, COL_LOSS_PREV,
              COL_LOSS_CHANGE, COL_RECOVERED_MONTH, COL_CALLS_MONTH, COL_DISSUADED_MONTH]
    cells = [
        [row.name, row.month.cases, row.previous.cases, row.cases_change.label, wan_decimal(row.month.loss_fen),
         wan_decimal(row.previous.loss_fen), row.loss_change.label, wan_decimal(row.month.recovered_fen),
         row.month.calls, row.month.dissuaded]
        for row in [*rows, total]
    ]
    return header, cells


def branch_table(overview: Overview) -> tuple[list[str], list[list]]:
    """The overview's branch table exactly as the page shows and exports it."""
    return branch_table_cells(overview.rows, overview.total, overview.branch_label)
