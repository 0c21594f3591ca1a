"""大屏设备: administrators create wall devices (a one-time sign-in link), see when each was last on, revoke them."""

from datetime import datetime

import pandas as pd
import streamlit as st

import cached
import login_gate
from components.notice import show_notice
from components.plain import plain
from components.steps import run_step
from services.shared.timeutil import to_shanghai
from services.wall import api as wall_api
from services.wall.text import (
    COL_DEVICE_ADDR,
    COL_DEVICE_BY,
    COL_DEVICE_CREATED,
    COL_DEVICE_EXPIRES,
    COL_DEVICE_NAME,
    COL_DEVICE_SEEN,
    COL_DEVICE_STATUS,
    COL_DEVICE_UNIT,
    DEVICE_CREATE,
    DEVICE_CREATED,
    DEVICE_EXPIRES,
    DEVICE_LINK_NOTE,
    DEVICE_LIST_EMPTY,
    DEVICE_NAME,
    DEVICE_NAME_HELP,
    DEVICE_REFUSED_NOTICE,
    DEVICE_REVOKE,
    DEVICE_REVOKED_DONE,
    DEVICE_SELECT_HINT,
    DEVICE_UNIT,
    DEVICES_TITLE,
    NEVER,
)

ERRORS, NOTICE, LINK = "wall_devices_errors", "wall_devices_notice", "wall_devices_link"
# (values, token) of the last submission: the device token is the form's idempotency key, so the same values submitted
# again (a double click, a rerun interrupting the first) return the device already made; other values draw a new one.
FORM_TOKEN = "wall_device_form_token"
SIGN_IN_PATH = "_fanzha/wall"
state = st.session_state
actor = login_gate.actor()
st.title(DEVICES_TITLE, anchor=False)
show_notice(NOTICE)


def _stamp(moment: datetime | None) -> str:
    return to_shanghai(moment).strftime("%Y-%m-%d %H:%M") if moment else NEVER


def _sign_in_link(token: str) -> str:
    """The link the TV opens: this server's address, the sign-in path and the token."""
    base = (st.context.url or "").split("?")[0].rsplit("/", 1)[0]
    return f"{base}/{SIGN_IN_PATH}?token={token}"


if (created := state.pop(LINK, None)) is not None:  # shown once: gone at the next rerun
    name, token = created
    st.success(DEVICE_CREATED.format(name=name))
    st.code(_sign_in_link(token), language=None)
    st.caption(DEVICE_LINK_NOTE)

with login_gate.refusals():
    devices = wall_api.device_list(cached.engine(), actor)
if devices:
    frame = pd.DataFrame([{
        COL_DEVICE_NAME: d.name, COL_DEVICE_UNIT: d.unit_name, COL_DEVICE_STATUS: d.status,
        COL_DEVICE_SEEN: _stamp(d.last_seen_at), COL_DEVICE_ADDR: d.last_seen_addr or NEVER,
        COL_DEVICE_EXPIRES: _stamp(d.expires_at), COL_DEVICE_CREATED: _stamp(d.created_at),
        COL_DEVICE_BY: d.created_by or NEVER,
    } for d in devices])
    event = st.dataframe(frame, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                         key="wall_devices_table")
    chosen = devices[event.selection.rows[0]] if event.selection.rows else None
    if chosen is not None and chosen.active:
        if st.button(DEVICE_REVOKE, key="wall_device_revoke", type="primary", icon=":material/block:"):
            run_step(lambda: wall_api.revoke_device(cached.engine(), actor, chosen.id), notice_key=NOTICE,
                     errors_key=ERRORS, invalid_text=lambda n: DEVICE_REFUSED_NOTICE.format(count=n),
                     done=lambda name: ("success", DEVICE_REVOKED_DONE.format(name=name)))
    else:
        st.caption(DEVICE_SELECT_HINT)
else:
    st.caption(DEVICE_LIST_EMPTY)

st.subheader(DEVICE_CREATE, anchor=False)
choices = cached.unit_choices(actor)
names = {unit_id: "\u3000" * (level - choices[0][2]) + name for unit_id, name, level in choices}
errors = state.get(ERRORS, {})
with st.form("wall_device_new", clear_on_submit=True):
    left, middle, right = st.columns(3)
    name = left.text_input(DEVICE_NAME, max_chars=64, placeholder=DEVICE_NAME_HELP, key="wall_device_name")
    unit_id = middle.selectbox(DEVICE_UNIT, list(names), format_func=names.get, key="wall_device_unit")
    expires_on = right.date_input(DEVICE_EXPIRES, value=None, format="YYYY-MM-DD", key="wall_device_expires")
    for field in ("name", "expires", "form"):
        if field in errors:
            plain(errors[field])
    if st.form_submit_button(DEVICE_CREATE, type="primary"):
        values = (name.strip(), unit_id, expires_on)
        last = state.get(FORM_TOKEN)
        form_token = last[1] if last and last[0] == values else wall_api.new_device_token()
        state[FORM_TOKEN] = (values, form_token)

        def _create() -> tuple[str, str]:
            _, token = wall_api.create_device(cached.engine(), actor, name, unit_id, expires_on, form_token)
            return name.strip(), token
        result: list = []
        if run_step(lambda: result.append(_create()), notice_key=NOTICE, errors_key=ERRORS, rerun=False,
                    invalid_text=lambda n: DEVICE_REFUSED_NOTICE.format(count=n), done=lambda _: ("success", "")):
            state.pop(NOTICE, None)
            state[LINK] = result[0]
        st.rerun()
