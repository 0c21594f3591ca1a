"""Streamlit's file uploader in Chinese: its English drop text and button label replaced (CSS, no script)."""

import streamlit as st


def chinese_uploader(key: str, drop: str, browse: str) -> None:
    """Restyle the uploader inside the container `key`: `drop` for "Drag and drop files here / 200MB per file",
    `browse` on its button. The small remove buttons of chosen files (minimal buttons) keep their bare icon."""
    box = f".st-key-{key} [data-testid='stFileUploaderDropzone']"
    st.html(f"""<style>
{box} [data-testid='stFileUploaderDropzoneInstructions'] * {{ font-size: 0 !important; }}
{box} [data-testid='stFileUploaderDropzoneInstructions']::before {{ content: "{drop}"; font-size: .875rem; }}
{box} button [data-testid='stMarkdownContainer'] {{ display: none; }}
{box} button:not([data-testid='stBaseButton-minimal'])::after {{ content: "{browse}"; white-space: nowrap; }}
</style>""")
