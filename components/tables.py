"""Tables with Chinese headers and units."""

import pandas as pd
import streamlit as st

from services.overview.read import BranchRow
from services.overview.text import (
    COL_CALLS_MONTH,
    COL_CASES_CHANGE,
    COL_CASES_MONTH,
    COL_CASES_PREV,
    COL_DISSUADED_MONTH,
    COL_DISTRICT,
    COL_LOSS_CHANGE,
    COL_LOSS_MONTH,
    COL_LOSS_PREV,
    COL_RECOVERED_MONTH,
)
from services.shared.money import wan_decimal


def branch_rows_frame(rows: list[BranchRow], total: BranchRow) -> pd.DataFrame:
    """The overview table as a DataFrame: one row per branch plus the total."""
    records = [
        {
            COL_DISTRICT: row.name,
            COL_CASES_MONTH: row.month.cases,
            COL_CASES_PREV: row.previous.cases,
            COL_CASES_CHANGE: row.cases_change.label,
            COL_LOSS_MONTH: wan_decimal(row.month.loss_fen),
            COL_LOSS_PREV: wan_decimal(row.previous.loss_fen),
            COL_LOSS_CHANGE: row.loss_change.label,
            COL_RECOVERED_MONTH: wan_decimal(row.month.recovered_fen),
            COL_CALLS_MONTH: row.month.calls,
            COL_DISSUADED_MONTH: row.month.dissuaded,
        }
        for row in [*rows, total]
    ]
    return pd.DataFrame.from_records(records)


def branch_table(rows: list[BranchRow], total: BranchRow, unit_column: str = COL_DISTRICT) -> None:
    """Draw the per-branch table."""
    frame = branch_rows_frame(rows, total).rename(columns={COL_DISTRICT: unit_column})
    money = {c: st.column_config.NumberColumn(c, format="%.2f") for c in (COL_LOSS_MONTH, COL_LOSS_PREV, COL_RECOVERED_MONTH)}
    st.dataframe(frame, hide_index=True, width="stretch", column_config=money, key="branch_table")
