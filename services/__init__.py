"""Domain logic of 反诈指挥台: plain Python, no Streamlit."""
