"""The 来电登记 form's widgets keep their place on every rerun, so nothing an officer is typing is redrawn empty.

Streamlit's browser places an element by its position among its siblings. The form is no st.form (the assist reads
the story as it is committed), so every box left reruns the page; if a panel, an error or a notice came or went
above a box in that rerun, the box would be drawn anew and lose what was typed into it while the rerun arrived.
"""

from datetime import timedelta

from login_gate import HANDOFF_KEY
from services.shared.timeutil import now_utc
from tests.views.places import moved, widget_places

STORY = "对方自称淘宝客服，说我买的衣服有质量问题，让我下载瞩目APP共享屏幕，我转了5000元到6222021234567890128"


def _button(at, key: str):
    return next(b for b in at.button if b.key == key)


def _steady(at, step) -> None:
    before = widget_places(at)
    step()
    assert not at.exception, at.exception
    assert moved(before, widget_places(at)) == {}


def test_nothing_moves_while_a_call_is_taken(app_as):
    at = app_as("desk", "views/desk.py")
    story = at.text_area(key="desk_narrative")
    _steady(at, lambda: story.input(STORY).run())  # the assist panel appears under the story
    assert any(b.key == "assist_type" for b in at.button)
    _steady(at, lambda: _button(at, "assist_id_0").click().run())  # an identifier taken: seen-before lines appear
    assert at.text_area(key="desk_accounts").value or at.text_area(key="desk_apps").value
    _steady(at, lambda: at.text_input(key="desk_caller_phone").input("12").run())
    _steady(at, lambda: _button(at, "desk_submit").click().run())  # refused: a notice and an error at the field
    assert any("号码" in e.value for e in at.error)
    _steady(at, lambda: at.text_input(key="desk_lost").input("6000").run())  # the notice is gone on this run
    _steady(at, lambda: at.text_area(key="desk_narrative").input("").run())  # the assist panel leaves


def test_nothing_moves_when_a_huge_amount_asks_for_confirmation(app_as):
    at = app_as("desk", "views/desk.py")
    at.text_input(key="desk_lost").input("200000000").run()
    _steady(at, lambda: _button(at, "desk_submit").click().run())
    assert any(c.key == "desk_confirm_large" for c in at.checkbox)
    _steady(at, lambda: at.text_input(key="desk_pending").input("100").run())


def test_nothing_moves_on_the_first_rerun_after_signing_in(app_as):
    at = app_as("desk", "views/desk.py")
    # Signed in a moment ago, and the browser has not yet said the session cookie is set: the page is shown once
    # the patience is over, with the handoff's component still on it; the next run has no component.
    at.session_state[HANDOFF_KEY] = ("code", now_utc() - timedelta(minutes=1))
    at.run()
    assert HANDOFF_KEY not in at.session_state
    _steady(at, lambda: at.text_input(key="desk_caller_phone").input("13912345678").run())
