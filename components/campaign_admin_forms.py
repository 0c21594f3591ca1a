"""专项行动 · 行动管理 forms: the campaign list, units and 联络员, the kind-dependent target form, consequences."""

import zlib
from datetime import date

import pandas as pd
import streamlit as st

from components.campaign_panels import field_errors
from components.plain import escape_markdown, plain
from services.campaigns import text as t
from services.campaigns.setup import MEASURE_UOM, CampaignSummary, Consequences, TargetDraft
from vocabulary import (
    ActivityChannel,
    CampaignConsequence,
    CountMeasure,
    OutcomeMeasure,
    Outreach,
    TargetKind,
    TargetPeriod,
)

state = st.session_state
Liaisons = dict[int, tuple[str, str]]


def campaign_list(rows: list[CampaignSummary]) -> None:
    """The campaigns the leader's unit owns: name, period, status, units and targets."""
    st.subheader(t.ADM_LIST, anchor=False)
    if not rows:
        st.caption(t.ADM_LIST_NONE)
        return
    c = t.ADM_COLUMNS
    st.dataframe(pd.DataFrame([{
        c["name"]: r.name, c["period"]: f"{r.start_date} 至 {r.end_date}", c["status"]: r.status,
        c["police"]: r.police_units, c["partners"]: r.partner_units, c["targets"]: r.targets} for r in rows]),
        hide_index=True, width="stretch")


def basics(today: date, errors: dict[str, str], key: str) -> tuple[str, str, date, date]:
    """Name, theme and period of a new campaign."""
    left, right = st.columns(2)
    name = left.text_input(t.ADM_NAME, max_chars=100, key=f"{key}_name")
    with left:
        field_errors(errors, "name")
    theme = right.text_input(t.ADM_THEME, max_chars=200, placeholder=t.ADM_THEME_HELP, key=f"{key}_theme")
    with right:
        field_errors(errors, "theme")
    left, right = st.columns(2)
    start = left.date_input(t.ADM_START, value=today, format="YYYY-MM-DD", key=f"{key}_start")
    end = right.date_input(t.ADM_END, value=date(today.year, 12, 31), format="YYYY-MM-DD", key=f"{key}_end")
    field_errors(errors, "period")
    return name, theme, start, end


def unit_pickers(police: dict[int, str], stations: list[int], partners: dict[int, str], errors: dict[str, str],
                 key: str) -> tuple[list[int], list[int]]:
    """Participating police units (with 全选所有派出所) and partner units, all within scope."""
    chosen_key = f"{key}_police"

    def all_stations() -> None:
        state[chosen_key] = [u for u in police if u in set(state.get(chosen_key, [])) | set(stations)]

    with st.container(horizontal=True, vertical_alignment="bottom"):
        chosen = st.multiselect(t.ADM_POLICE, list(police), format_func=police.get, key=chosen_key,
                                placeholder=t.ADM_POLICE)
        st.button(t.ADM_ALL_STATIONS, on_click=all_stations, key=f"{key}_all", disabled=not stations)
    field_errors(errors, "units")
    if partners:
        picked = st.multiselect(t.ADM_PARTNERS, list(partners), format_func=partners.get, key=f"{key}_partners",
                                placeholder=t.ADM_PARTNERS)
    else:
        st.caption(t.ADM_PARTNERS_NONE)
        picked = []
    field_errors(errors, "partners")
    return chosen, picked


def liaison_editor(rows: list[tuple[int, str, bool]], initial: Liaisons, errors: dict[str, str], key: str) -> Liaisons:
    """A 联络员 name and phone per unit (unit id → (name, phone)); typed values survive a change of the units."""
    if not rows:
        return {}
    ids = tuple(unit_id for unit_id, _, _ in rows)
    values_key, base_key = f"{key}_values", f"{key}_base"
    typed = {**initial, **state.get(values_key, {})}
    if state.get(base_key, (None,))[0] != ids:
        state[base_key] = (ids, {unit_id: typed.get(unit_id, ("", "")) for unit_id in ids})
    base = state[base_key][1]
    frame = pd.DataFrame([{t.ADM_COL_UNIT: name, t.ADM_COL_KIND: t.ADM_KIND_PARTNER if partner else t.ADM_KIND_POLICE,
                           t.ADM_COL_LIAISON: base[unit_id][0] or "", t.ADM_COL_PHONE: base[unit_id][1] or ""}
                          for unit_id, name, partner in rows], index=list(ids))
    st.markdown(f"**{t.ADM_LIAISONS}**")
    st.caption(t.ADM_LIAISONS_HELP)
    edited = st.data_editor(
        frame, hide_index=True, width="stretch", num_rows="fixed", key=f"{key}_ed_{zlib.crc32(repr(ids).encode())}",
        disabled=[t.ADM_COL_UNIT, t.ADM_COL_KIND],
        column_config={t.ADM_COL_LIAISON: st.column_config.TextColumn(max_chars=32),
                       t.ADM_COL_PHONE: st.column_config.TextColumn(max_chars=20)})
    field_errors(errors, "liaisons")
    result = {int(unit_id): (str(row[t.ADM_COL_LIAISON] or "").strip(), str(row[t.ADM_COL_PHONE] or "").strip())
              for unit_id, row in edited.iterrows()}
    state[values_key] = {**state.get(values_key, {}), **result}
    return result


def _optional(label: str, options: list, column, key: str):
    return column.selectbox(label, [None, *options], key=key,
                            format_func=lambda o: t.ADM_TARGET_ANY if o is None else o.label)


def _kind_fields(kind: TargetKind, start: date, end: date, key: str) -> dict:
    """The fields this kind of target needs, and nothing else."""
    a, b, c = st.columns(3)
    k = f"{key}_{kind.value}"
    if kind is TargetKind.COUNT:
        values = {"target_value": a.number_input(t.ADM_TARGET_VALUE, min_value=1, max_value=1_000_000, value=1,
                                                 step=1, key=f"{k}_value"),
                  "period": b.selectbox(t.ADM_TARGET_PERIOD, list(TargetPeriod), format_func=lambda p: p.label,
                                        key=f"{k}_period").value,
                  "measure": c.selectbox(t.ADM_TARGET_MEASURE, list(CountMeasure), format_func=lambda m: m.label,
                                         key=f"{k}_measure").value}
        outreach = _optional(t.ADM_TARGET_OUTREACH, list(Outreach), a, f"{k}_outreach")
        channel = _optional(t.ADM_TARGET_CHANNEL, list(ActivityChannel), b, f"{k}_channel")
        return {**values, "outreach": outreach.value if outreach else None,
                "channel": channel.value if channel else None}
    if kind in (TargetKind.COVERAGE, TargetKind.SURVEY):
        default = 100 if kind is TargetKind.COVERAGE else 90
        values = {"target_value": a.number_input(t.ADM_TARGET_PCT, min_value=1, max_value=100, value=default, step=1,
                                                 key=f"{k}_value")}
        if kind is TargetKind.COVERAGE:
            values["measure"] = b.selectbox(t.ADM_TARGET_MEASURE, list(CountMeasure), index=2,
                                            format_func=lambda m: m.label, key=f"{k}_measure").value
        else:
            values["min_sample"] = int(b.number_input(t.ADM_TARGET_SAMPLE, min_value=1, max_value=1_000_000,
                                                      value=100, step=1, key=f"{k}_sample"))
        return values
    if kind is TargetKind.TASK:
        due = a.date_input(t.ADM_TARGET_DUE, value=end if end >= start else start, min_value=min(start, end),
                           max_value=max(start, end), format="YYYY-MM-DD", key=f"{k}_due")
        return {"target_value": 1, "due_date": due}
    return {"measure": a.selectbox(t.ADM_TARGET_MEASURE, list(OutcomeMeasure), format_func=lambda m: m.label,
                                   key=f"{k}_measure").value,
            "target_value": b.number_input(t.ADM_TARGET_DROP, min_value=1, max_value=1000, value=20, step=1,
                                           help=t.ADM_TARGET_DROP_HELP, key=f"{k}_value")}


def target_form(police: dict[int, str], start: date, end: date, errors: dict[str, str], key: str,
                label: str = t.ADM_TARGET_ADD) -> TargetDraft | None:
    """One target at a time: its kind first, then only the fields that kind needs; the draft when added."""
    kind = st.selectbox(t.ADM_TARGET_KIND, list(TargetKind), format_func=lambda k: k.label, key=f"{key}_kind")
    st.caption(t.ADM_TARGET_KIND_HELP[kind.value])
    with st.form(f"{key}_form", border=True):
        left, right = st.columns([2, 1])
        description = left.text_input(t.ADM_TARGET_DESCRIPTION, max_chars=200, placeholder=t.ADM_TARGET_DESCRIPTION_HELP,
                                      key=f"{key}_description")
        applies = right.selectbox(t.ADM_TARGET_APPLIES, [None, *police], key=f"{key}_applies",
                                  format_func=lambda u: t.ADM_TARGET_ALL_UNITS if u is None else police.get(u, ""))
        values = _kind_fields(kind, start, end, key)
        field_errors(errors, "target")
        if st.form_submit_button(label):
            return TargetDraft(description=description.strip(), kind=kind.value, applies_to_unit_id=applies,
                               **values)
    return None


def goal_of(draft: TargetDraft) -> str:
    """A drafted target's requirement in words (as the saved list shows it)."""
    kind = TargetKind(draft.kind)
    value = f"{draft.target_value:g}"
    if kind is TargetKind.COUNT:
        extra = "".join(f"，{x}" for x in (Outreach.label_of(draft.outreach or "", ""),
                                           ActivityChannel.label_of(draft.channel or "", "")) if x)
        return t.ADM_GOAL_COUNT.format(period=TargetPeriod(draft.period).label, value=value,
                                       uom=MEASURE_UOM[CountMeasure(draft.measure)]) + extra
    if kind is TargetKind.COVERAGE:
        return t.ADM_GOAL_COVERAGE.format(value=value, measure=CountMeasure(draft.measure).label)
    if kind is TargetKind.SURVEY:
        return t.ADM_GOAL_SURVEY.format(value=value, sample=draft.min_sample)
    if kind is TargetKind.TASK:
        return t.ADM_GOAL_TASK.format(due=draft.due_date)
    measure = OutcomeMeasure(draft.measure)
    return (t.ADM_GOAL_OUTCOME_UP if measure.good_when_up else t.ADM_GOAL_OUTCOME).format(measure=measure.label,
                                                                                        value=value)


def drafted_targets(targets: list[TargetDraft], police: dict[int, str], errors: dict[str, str], key: str) -> int | None:
    """The targets added so far, each removable; the index of the one whose 删除 was pressed."""
    removed = None
    if not targets:
        st.caption(t.ADM_TARGETS_NONE)
    for index, draft in enumerate(targets):
        with st.container(horizontal=True, vertical_alignment="center", key=f"{key}_row_{index}"):
            plain(f"{index + 1}. {draft.description}")
            st.caption(escape_markdown(f"{TargetKind(draft.kind).label} · {goal_of(draft)} · "
                                       f"{police.get(draft.applies_to_unit_id, t.ADM_TARGET_ALL_UNITS)}"))
            if st.button(t.ADM_TARGET_REMOVE, key=f"{key}_remove_{index}", type="tertiary",
                         icon=":material/delete:"):
                removed = index
    field_errors(errors, "targets")
    return removed


def saved_targets(rows: list[tuple[str, str, str, str]]) -> None:
    """A campaign's targets: name, kind, requirement, the unit it applies to."""
    st.dataframe(pd.DataFrame(rows, columns=[t.ADM_COL_TARGET, t.ADM_COL_TARGET_KIND, t.ADM_COL_GOAL,
                                             t.ADM_COL_APPLIES]), hide_index=True, width="stretch")


def _action(label: str, current: str | None, column, key: str) -> str | None:
    options = [None, *CampaignConsequence]
    index = options.index(CampaignConsequence(current)) if current else 0
    chosen = column.selectbox(label, options, index=index, key=key,
                              format_func=lambda a: t.ADM_ACTION_OFF if a is None else a.label)
    return chosen.value if chosen else None


def consequence_fields(current: Consequences, errors: dict[str, str], key: str) -> Consequences:
    """After how many missed reports which step, which step for falling behind, days to respond (不处理 = off)."""
    a, b, c, d = st.columns(4)
    missed = _action(t.ADM_MISSED_ACTION, current.missed_reports_action if current.missed_reports_limit else None,
                     a, f"{key}_missed_action")
    limit = int(b.number_input(t.ADM_MISSED_LIMIT, min_value=1, max_value=20, step=1,
                               value=current.missed_reports_limit or 2, key=f"{key}_limit"))
    behind = _action(t.ADM_BEHIND_ACTION, current.behind_pace_action, c, f"{key}_behind_action")
    days = int(d.number_input(t.ADM_DAYS, min_value=1, max_value=90, step=1, value=current.consequence_days,
                              key=f"{key}_days"))
    for column, names in ((a, ("missed_reports_action",)), (b, ("missed_reports_limit",)),
                          (c, ("behind_pace_action",)), (d, ("consequence_days",))):
        with column:
            field_errors(errors, *names)
    return Consequences(limit if missed else None, missed, behind, days)
