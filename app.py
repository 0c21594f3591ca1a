"""反诈指挥台 entry point: page config and the navigation router."""

import streamlit as st

from services import labels as L

st.set_page_config(page_title=L.APP_TITLE, page_icon="🛡️", layout="wide")

navigation = st.navigation(
    [st.Page("pages/overview.py", title=L.OVERVIEW_TITLE, icon=":material/dashboard:", url_path="overview", default=True)]
)
navigation.run()
