"""User-typed and imported text shown as plain text: never parsed as Markdown or HTML."""

import streamlit as st


def plain(text: str) -> None:
    """A line (or paragraph) of plain text, wrapped to the container's width."""
    st.text(text, width="stretch")


def field(label: str, value: object) -> None:
    """`label：value` as plain text; the value is shown exactly as stored."""
    plain(f"{label}：{'' if value is None else value}")
