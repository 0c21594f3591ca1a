"""案件地图 through the whole app (AppTest): filters from the URL, figures against SQL, selection, scope."""

from datetime import timedelta

from sqlalchemy import text

from db.engine import make_engine
from services.shared.money import wan_figure
from services.shared.timeutil import day_start_utc, shanghai_today


def _ids(url: str) -> dict[str, int]:
    with make_engine(url).connect() as connection:
        return dict(connection.execute(text("SELECT code, id FROM unit")).all())


def _expected_cases(url: str, district_code: str, fraud_type: str | None) -> int:
    """Cases of the default window, 本月: the 1st of this Beijing month to today."""
    today = shanghai_today()
    bounds = {"s": day_start_utc(today.replace(day=1)).strftime("%Y-%m-%d %H:%M:%S"),
              "e": day_start_utc(today + timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S"),
              "code": district_code, "type": fraud_type}
    with make_engine(url).connect() as connection:
        return connection.execute(text(
            "SELECT COUNT(*) FROM fraud_case c JOIN unit u ON u.id = c.unit_id "
            "WHERE u.path LIKE (SELECT path FROM unit WHERE code = :code) || '%' "
            "AND c.reported_at >= :s AND c.reported_at < :e AND (:type IS NULL OR c.fraud_type = :type)"
        ), bounds).scalar()


def test_stations_of_changtai_for_rebate_cases_over_30_days(app_as, demo_db_url):
    ids = _ids(demo_db_url)
    at = app_as("changtai", "views/map.py", type="rebate", sel=str(ids["350605100"]))
    assert not at.error, [e.value for e in at.error]
    assert at.metric[0].value == f"{_expected_cases(demo_db_url, '350605', 'rebate'):,}"
    assert at.subheader[0].value == "武安派出所"
    assert at.query_params["type"] in ("rebate", ["rebate"]) and str(ids["350605100"]) in at.query_params["sel"]
    assert len(at.get("deck_gl_json_chart")) == 1


def test_the_leader_switches_to_stations_and_picks_changtai(app_as, demo_db_url):
    ids = _ids(demo_db_url)
    at = app_as("leader", "views/map.py", unit=str(ids["350605"]), depth="1")
    assert at.metric[0].value == f"{_expected_cases(demo_db_url, '350605', None):,}"
    at = app_as("leader", "views/map.py", depth="2")
    assert at.metric[0].value == f"{_expected_cases(demo_db_url, '350600', None):,}"
    options = at.selectbox(key=next(s.key for s in at.selectbox if s.key.startswith("map_sel_"))).options
    assert any("武安派出所" in option for option in options)  # stations of the whole city


def test_another_district_cannot_be_opened_by_editing_the_link(app_as, demo_db_url):
    ids = _ids(demo_db_url)
    at = app_as("changtai", "views/map.py", unit=str(ids["350602"]))
    assert any("无权查看该单位的数据" in e.value for e in at.error)
    assert not at.metric
    at = app_as("changtai", "views/map.py", sel=str(ids["350602"]))  # a selection outside the map is ignored
    assert [h.value for h in at.subheader] == ["各辖区数据"]


def test_a_bad_custom_window_is_refused_in_chinese(app_as):
    at = app_as("changtai", "views/map.py", win="custom", **{"from": "2026-11-20", "to": "2026-10-01"})
    assert at.error and not at.metric


def test_every_measure_draws(app_as):
    for measure in ("cases", "loss", "per_10k"):
        at = app_as("changtai", "views/map.py", measure=measure, depth="1")
        assert not at.error and at.metric


def _districts(url: str) -> list[tuple[str, str]]:
    """The city's 分局/县局 (code, name)."""
    with make_engine(url).connect() as connection:
        return [tuple(row) for row in connection.execute(text(
            "SELECT code, name FROM unit WHERE parent_id = (SELECT id FROM unit WHERE code = '350600') "
            "AND length(code) = 6"))]


def _money(shown: str) -> float:
    return float(shown.replace(",", ""))


def _expected_strike(url: str, code: str) -> dict[str, str]:
    """破案, 抓获 and 止付/冻结/返还 of a unit's subtree over 近30天 (Beijing days), recomputed in SQL over the rows."""
    today = shanghai_today()
    first = today - timedelta(days=29)
    bounds = {"s": day_start_utc(first).strftime("%Y-%m-%d %H:%M:%S"),
              "e": day_start_utc(today + timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S"),
              "first": first.isoformat(), "last": today.isoformat(), "code": code}
    subtree = "unit_id IN (SELECT id FROM unit WHERE path LIKE (SELECT path FROM unit WHERE code = :code) || '%')"
    with make_engine(url).connect() as connection:
        solved = connection.execute(text(
            f"SELECT COUNT(*) FROM fraud_case WHERE {subtree} AND solved_on >= :first AND solved_on <= :last"),
            bounds).scalar()
        caught = connection.execute(text(
            f"SELECT COALESCE(SUM(caught), 0) FROM strike_result WHERE {subtree} "
            "AND result_date >= :first AND result_date <= :last"), bounds).scalar()
        stopped, frozen, returned = connection.execute(text(
            "SELECT COALESCE(SUM(stopped_fen), 0), COALESCE(SUM(frozen_fen), 0), COALESCE(SUM(returned_fen), 0) "
            f"FROM recovery_request WHERE {subtree} AND requested_at >= :s AND requested_at < :e"), bounds).one()
    return {"破案数(起)": f"{solved:,}", "抓获(人)": f"{caught:,}", "止付(万元)": f"{wan_figure(stopped):,}",
            "冻结(万元)": f"{wan_figure(frozen):,}", "返还(万元)": f"{wan_figure(returned):,}"}


def test_the_detail_shows_strike_and_recovery_as_the_strike_page_counts_them(app_as, demo_db_url):
    ids = _ids(demo_db_url)
    # The 分局 whose 近30天 has the most frozen: the small demo need not have a freeze in every 分局 within a month.
    code, name = max(((c, n) for c, n in _districts(demo_db_url)),
                     key=lambda unit: _money(_expected_strike(demo_db_url, unit[0])["冻结(万元)"]))
    at = app_as("leader", "views/map.py", win="30d", sel=str(ids[code]))
    assert not at.error, [e.value for e in at.error]
    assert at.subheader[0].value == name
    shown = {m.label: m.value for m in at.metric}
    expected = _expected_strike(demo_db_url, code)
    assert expected["破案数(起)"] != "0" and expected["冻结(万元)"] != "0.00"  # the demo gives something to compare
    assert {label: shown[label] for label in expected} == expected
    assert any("打击挽损" in c.value for c in at.caption)
    # A station's user cannot open another 分局's detail (nor its own 分局's) by editing the link: the map keeps to
    # the station, whose own figures are shown; another unit named in the link is refused.
    for other in ("350602", "350605"):
        at = app_as("clerk_wuan", "views/map.py", win="30d", sel=str(ids[other]))
        assert at.subheader[0].value == "武安派出所"
        own = _expected_strike(demo_db_url, "350605100")
        assert {label: {m.label: m.value for m in at.metric}[label] for label in own} == own
    at = app_as("clerk_wuan", "views/map.py", unit=str(ids["350602"]))
    assert any("无权查看该单位的数据" in e.value for e in at.error) and not at.metric
