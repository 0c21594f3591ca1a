"""案件地图 through the whole app (AppTest): filters from the URL, figures against SQL, selection, scope."""

from datetime import timedelta

from sqlalchemy import text

from db.engine import make_engine
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
