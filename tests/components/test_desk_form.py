"""The desk's call form (components/desk_form) in AppTest.from_function: the received time is never the widget's own
default."""

import time
from datetime import datetime
from zoneinfo import ZoneInfo

from streamlit.testing.v1 import AppTest

BEIJING_MORNING = datetime(2026, 12, 1, 3, 47, tzinfo=ZoneInfo("Asia/Shanghai"))


def _form_page() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import streamlit as st

    from components import desk_form

    fallback = datetime(2026, 12, 1, 3, 47, tzinfo=ZoneInfo("Asia/Shanghai"))
    if not desk_form.started():
        desk_form.new_call(None, "1", fallback)
    if st.session_state.get("elsewhere"):
        st.write("另一个页面")  # a run that does not draw the form (another view, a sign-in check)
        return
    desk_form.call_form([(1, "漳州市公安局", 1)], fallback, seen_of=lambda identifiers: [],
                        on_submit=lambda draft: None, namespace="1")
    st.session_state["typed_draft"] = desk_form.draft(fallback)


def test_a_run_without_the_form_does_not_leave_the_server_clock_as_the_received_time(monkeypatch):
    # The widget's own default is the server's naive now(): on a UTC server, read as Beijing time, a call taken at
    # 03:47 on 1 December was saved at 19:47 on 30 November (eight hours early, on the previous day).
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        at = AppTest.from_function(_form_page).run()
        assert at.session_state["typed_draft"].received_at == BEIJING_MORNING
        at.session_state["elsewhere"] = True
        at.run()  # Streamlit drops the values of widgets a finished run did not draw
        at.session_state["elsewhere"] = False
        at.run()
        assert not at.exception
        assert at.session_state["typed_draft"].received_at == BEIJING_MORNING
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_browser_that_reports_no_received_time_does_not_get_the_server_clock(monkeypatch):
    # A browser that re-mounts the widget starts from the element's default and may report no value; Streamlit then
    # hands back the widget's default. With the default left to Streamlit that was the server's naive now (UTC),
    # read as Beijing time: in CI a call taken at 04:50 on 1 December was saved at 20:50 on 30 November.
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        at = AppTest.from_function(_form_page).run()
        at.datetime_input(key="desk_received_at").set_value(None).run()
        assert not at.exception
        assert at.session_state["typed_draft"].received_at == BEIJING_MORNING
        at.run()
        assert at.datetime_input(key="desk_received_at").value == BEIJING_MORNING.replace(tzinfo=None)
    finally:
        monkeypatch.undo()
        time.tzset()
