"""The map's jurisdiction detail panel: 破案, 抓获 and 止付/冻结/返还 shown as given, money in 万元 never rounded up
to a whole 万 it is below."""

from streamlit.testing.v1 import AppTest


def _detail_app() -> None:
    from datetime import date

    import streamlit as st

    from components.map_detail import jurisdiction_detail_panel

    jurisdiction_detail_panel(st.session_state["detail"], date(2026, 11, 12), date(2026, 11, 18))


def _detail():
    from services.map.read import JurisdictionDetail
    from services.strike.shared_measures import StrikeFigures

    return JurisdictionDetail(
        unit_id=1, name="甲区公安分局", own_level=False, cases=3, loss_fen=1_000_000, recovered_fen=0, weeks=[],
        types=[], largest=[], open_items_total=0, open_by_level=[], open_items=[], interceptions=0,
        intercepted_fen=0, strike=StrikeFigures(solved=12, caught=1_234, requests=4, stopped_fen=12_345_678,
                                                frozen_fen=9_999_999, returned_fen=5_000))


def test_the_strike_figures_show_with_their_labels_and_days():
    at = AppTest.from_function(_detail_app)
    at.session_state["detail"] = _detail()
    at.run()
    assert not at.exception, at.exception
    shown = {m.label: m.value for m in at.metric}
    assert {k: shown[k] for k in ("破案数(起)", "抓获(人)", "止付(万元)", "冻结(万元)", "返还(万元)")} == {
        "破案数(起)": "12", "抓获(人)": "1,234", "止付(万元)": "12.35", "冻结(万元)": "9.99", "返还(万元)": "0.01"}
    captions = " ".join(c.value for c in at.caption)
    assert "2026-11-12 至 2026-11-18" in captions and "打击挽损" in captions
