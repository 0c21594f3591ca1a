"""User-typed and imported text shown as plain text: never parsed as Markdown or HTML."""

import re

import pandas as pd
import streamlit as st


def plain(text: str) -> None:
    """A line (or paragraph) of plain text, wrapped to the container's width."""
    st.text(text, width="stretch")


def field(label: str, value: object) -> None:
    """`label：value` as plain text; the value is shown exactly as stored."""
    plain(f"{label}：{'' if value is None else value}")


# Every ASCII punctuation mark: a backslash before each makes Markdown (links, images, emphasis, :color[...]
# directives, $math$, HTML) show it as the character itself.
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def escape_markdown(text: object) -> str:
    """Text users typed, escaped to read literally where Streamlit parses Markdown (labels, notices, headings)."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", str(text))


def table(frame: pd.DataFrame) -> None:
    """A read-only table of selectable, copyable text; st.table renders Markdown in cells, so every text is escaped."""
    st.table(frame.map(lambda value: escape_markdown(value) if isinstance(value, str) else value)
             .rename(columns=escape_markdown), hide_index=True)
