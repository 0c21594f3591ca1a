"""Tables with Chinese headers and units; their cells come from the services, so the page and its export agree."""

import pandas as pd
import streamlit as st

from services.overview.read import BranchRow, branch_table_cells
from services.overview.text import COL_DISTRICT, COL_LOSS_MONTH, COL_LOSS_PREV, COL_RECOVERED_MONTH


def branch_rows_frame(rows: list[BranchRow], total: BranchRow, unit_column: str = COL_DISTRICT) -> pd.DataFrame:
    """The overview table as a DataFrame: one row per branch plus the total."""
    header, cells = branch_table_cells(rows, total, unit_column)
    return pd.DataFrame(cells, columns=header)


def branch_table(rows: list[BranchRow], total: BranchRow, unit_column: str = COL_DISTRICT) -> None:
    """Draw the per-branch table."""
    frame = branch_rows_frame(rows, total, unit_column)
    money = {c: st.column_config.NumberColumn(c, format="%.2f") for c in (COL_LOSS_MONTH, COL_LOSS_PREV, COL_RECOVERED_MONTH)}
    st.dataframe(frame, hide_index=True, width="stretch", column_config=money, key="branch_table")


def cells_table(header: list[str], rows: list[list], key: str, money_columns: tuple[str, ...] = ()) -> None:
    """A read-only table of service-made cells (plain text: st.dataframe never parses Markdown)."""
    money = {c: st.column_config.NumberColumn(c, format="%.2f") for c in money_columns}
    st.dataframe(pd.DataFrame(rows, columns=header), hide_index=True, width="stretch", column_config=money, key=key)
