"""Persistence of 反诈指挥台: SQLModel models, engine, migrations and queries (no Streamlit)."""
