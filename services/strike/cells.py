"""The 打击挽损 tables as plain text cells: what the page shows is what the export writes."""

from datetime import datetime

from services.shared.money import format_yuan, money_text
from services.shared.timeutil import to_shanghai
from services.strike.read import (
    STAGES,
    Change,
    DissuasionRow,
    LedgerRow,
    RecoveryFigures,
    Saved,
    StageMedians,
    StrikeRow,
    UnitChanges,
)
from services.strike.text import (
    CHANGE_FLAT,
    CHANGE_FROM_ZERO,
    CHANGE_TEXT,
    COL_ACCOUNT,
    COL_ATTEMPTED_AT,
    COL_BANK,
    COL_CAUGHT,
    COL_DATE,
    COL_DENS,
    COL_DETAINED,
    COL_DISSUASIONS,
    COL_FRAUD_TYPE,
    COL_FROZEN,
    COL_FROZEN_AT,
    COL_LINKED_CASES,
    COL_LINKED_IDENTIFIERS,
    COL_MEDIAN,
    COL_MINUTES,
    COL_NOTE,
    COL_OFFICER,
    COL_OUTCOME,
    COL_OUTCOME_AT,
    COL_PROTECTED,
    COL_REACHED_AT,
    COL_REQUESTED,
    COL_REQUESTED_AT,
    COL_RETURNED,
    COL_RETURNED_ON,
    COL_SAVED,
    COL_SOURCE,
    COL_STATUS,
    COL_STOPPED,
    COL_STOPPED_AT,
    COL_TO_ATTEMPT,
    COL_TO_OUTCOME,
    COL_TO_REACH,
    COL_TOTAL_MINUTES,
    COL_TWO_CARD,
    COL_UNIT,
    COL_WARNING_AT,
    DOWN,
    MEASURE_CAUGHT,
    MEASURE_INCIDENTS,
    MEASURE_LOSS,
    MEASURE_SOLVED,
    MINUTES,
    NO_RATE,
    RATE_WITH_COUNTS,
    UNIT_COUNT,
    UNIT_PEOPLE,
    UP,
)

MEASURE_NAMES = {"solved": MEASURE_SOLVED, "caught": MEASURE_CAUGHT, "incidents": MEASURE_INCIDENTS,
                 "loss_fen": MEASURE_LOSS}
MEASURE_UNITS = {"solved": UNIT_COUNT, "caught": UNIT_PEOPLE, "incidents": UNIT_COUNT}


def figure(measure: str, value: int) -> str:
    """A count with its unit, or an amount in 万元 (never rounded up across a whole 万)."""
    return money_text(value) if measure == "loss_fen" else f"{value}{MEASURE_UNITS[measure]}"


def change_text(measure: str, change: Change) -> str:
    """'1起→2起（+1起，上升 100.0%）': both counts always, the rate only beside them, none from 0."""
    previous, current = figure(measure, change.previous), figure(measure, change.current)
    if change.delta == 0:
        return CHANGE_FLAT.format(previous=previous, current=current)
    if change.previous == 0:
        return CHANGE_FROM_ZERO.format(previous=previous, current=current)
    return CHANGE_TEXT.format(previous=previous, current=current, sign="+" if change.delta > 0 else "−",
                              delta=figure(measure, abs(change.delta)), direction=UP if change.delta > 0 else DOWN,
                              rate=abs(change.rate_percent))


TWO_UP_HEADER = [COL_UNIT, *(MEASURE_NAMES[m] for m in MEASURE_NAMES)]


def two_up_rows(rows: list[UnitChanges]) -> list[list[str]]:
    """One row per unit: the change text of each of the four measures."""
    return [[r.unit_name, *(change_text(m, r.changes[m]) for m in MEASURE_NAMES)] for r in rows]


def two_up_goodness(rows: list[UnitChanges]) -> list[list[bool | None]]:
    """For colouring: per row and measure, whether it moved the way the plans want (None when flat)."""
    return [[r.changes[m].good for m in MEASURE_NAMES] for r in rows]


def _time(moment: datetime | None) -> str:
    return f"{to_shanghai(moment):%Y-%m-%d %H:%M}" if moment else ""


LEDGER_HEADER = [COL_SOURCE, COL_UNIT, COL_ACCOUNT, COL_BANK, COL_FRAUD_TYPE, COL_REQUESTED_AT, COL_STOPPED_AT,
                 COL_FROZEN_AT, COL_RETURNED_ON, COL_REQUESTED, COL_STOPPED, COL_FROZEN, COL_RETURNED, COL_STATUS,
                 COL_MINUTES, COL_OFFICER]


def ledger_rows(rows: list[LedgerRow]) -> list[list[str]]:
    """The ledger as text, accounts already masked by the read model."""
    return [[r.source, r.unit_name, r.account, r.bank, r.fraud_type, _time(r.requested_at), _time(r.stopped_at),
             _time(r.frozen_at), r.returned_on.isoformat() if r.returned_on else "", format_yuan(r.requested_fen),
             format_yuan(r.stopped_fen), format_yuan(r.frozen_fen), format_yuan(r.returned_fen), r.status_label,
             "" if r.minutes_to_stop is None else str(r.minutes_to_stop), r.officer] for r in rows]


def rate_text(rate, part: str, whole: str) -> str:
    """A rate only with what it divides."""
    return NO_RATE if rate is None else RATE_WITH_COUNTS.format(rate=rate, part=part, whole=whole)


def recovery_cells(figures: RecoveryFigures) -> dict[str, str]:
    """The ledger's headline figures as text."""
    return {
        "frozen": money_text(figures.frozen_fen), "returned": money_text(figures.returned_fen),
        "return_rate": rate_text(figures.return_rate, money_text(figures.returned_fen), money_text(figures.frozen_fen)),
        "median": "—" if figures.median_minutes is None else MINUTES.format(minutes=figures.median_minutes),
        "golden_hour": rate_text(figures.golden_hour_rate, f"{figures.within_golden_hour}起", f"{figures.stopped}起"),
        "requests": f"{figures.requests}起",
    }


SAVED_HEADER = [COL_PROTECTED, COL_FROZEN, COL_RETURNED, COL_SAVED]


def saved_rows(rows: list[Saved]) -> list[list[str]]:
    """挽损 per group: protected, frozen, returned (part of frozen), saved = protected + frozen."""
    return [[s.name, format_yuan(s.protected_fen), format_yuan(s.frozen_fen), format_yuan(s.returned_fen),
             format_yuan(s.saved_fen)] for s in rows]


STRIKE_HEADER = [COL_DATE, COL_UNIT, COL_CAUGHT, COL_DETAINED, COL_DENS, COL_TWO_CARD, COL_NOTE, COL_LINKED_CASES,
                 COL_LINKED_IDENTIFIERS]


def strike_rows(rows: list[StrikeRow], links: dict[int, tuple[list[str], list[str]]]) -> list[list[object]]:
    """Strike results as cells (counts stay numbers), with their linked case numbers and identifiers (as given)."""
    return [[r.result_date.isoformat(), r.unit_name, r.caught, r.detained, r.dens, r.two_card_cases, r.note,
             *("、".join(part) for part in links.get(r.id, ([], [])))] for r in rows]


STAGE_COLUMNS = dict(zip(STAGES, (COL_TO_ATTEMPT, COL_TO_REACH, COL_TO_OUTCOME, COL_TOTAL_MINUTES), strict=True))
DISSUASION_HEADER = [COL_UNIT, COL_WARNING_AT, COL_ATTEMPTED_AT, COL_REACHED_AT, COL_OUTCOME, COL_OUTCOME_AT,
                     *STAGE_COLUMNS.values()]


def _minutes_cell(value) -> str:
    """Minutes as text; a stage without both times stays empty (not 0)."""
    return "" if value is None else str(value)


def dissuasion_rows(rows: list[DissuasionRow]) -> list[list[str]]:
    """劝阻 with their stage times and the minutes of each stage and in total."""
    return [[r.unit_name, _time(r.warning_at), _time(r.attempted_at), _time(r.reached_at), r.outcome_label,
             _time(r.outcome_at), *(_minutes_cell(r.minutes[s]) for s in STAGES)] for r in rows]


DISSUASION_MINUTES_HEADER = [COL_UNIT, COL_DISSUASIONS, *(COL_MEDIAN.format(stage=c) for c in STAGE_COLUMNS.values())]


def dissuasion_median_rows(rows: list[StageMedians]) -> list[list[object]]:
    """Median minutes of each stage per unit, with the records each median counts; '—' when none has that stage."""
    return [[m.name, m.dissuasions, *("—" if m.medians[s] is None else f"{m.medians[s]}（{m.counted[s]}）"
                                      for s in STAGES)] for m in rows]
