"""Issue 12 through the whole app (AppTest): one 环比 on both pages, a station's map, links that name their unit."""

import pytest
from sqlalchemy import text

from db.engine import make_engine


def _ids(url: str) -> dict[str, int]:
    with make_engine(url).connect() as connection:
        return dict(connection.execute(text("SELECT code, id FROM unit")).all())


def _param(at, name: str) -> str | None:
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def _frame(at, first_column: str):
    """The table whose first column is first_column."""
    return next(d.value for d in at.dataframe if list(d.value.columns)[:1] == [first_column])


def test_the_overview_and_the_map_show_one_change_per_unit_over_the_same_days(app_as):
    overview = app_as("leader", "views/overview.py")
    shown = _frame(overview, "分局/县局")
    on_overview = {name: (now, before) for name, now, before in
                   zip(shown["分局/县局"], shown["发案数(起)"], shown["环比期发案(起)"], strict=True)}
    caption = next(c.value for c in overview.caption if "统计时段" in c.value)
    the_map = app_as("leader", "views/map.py")  # the map's default window is the overview's month
    table = _frame(the_map, "辖区")
    on_map = {name: (now, before) for name, now, before in
              zip(table["辖区"], table["案件数(起)"], table["对比期案件(起)"], strict=True)}
    assert len(on_map) >= 11
    # The map draws jurisdictions; cases registered at the unit's own level (（本级）) have no polygon of their own.
    branches = {name: pair for name, pair in on_overview.items() if name != "合计" and not name.endswith("（本级）")}
    assert branches and all(on_map[name] == pair for name, pair in branches.items())
    map_caption = next(c.value for c in the_map.caption if c.value.startswith("统计口径"))
    # Both name the same days: this month to date against the same days of last month (环比).
    current = caption.split("统计时段 ")[1].split("；")[0]
    previous = caption.split("环比对比 ")[1].split("。")[0]
    days = [part for part in f"{current} {previous}".split() if part[:2] == "20"]
    # Two days each ("2026-11-01 至 2026-11-30"), or one each on the 1st of a month ("2026-12-01" against "2026-11-01").
    assert len(days) in (2, 4) and all(day in map_caption for day in days)


def test_a_station_clerk_sees_the_own_station_fitted_with_no_depth_choice(app_as):
    at = app_as("clerk_wuan", "views/map.py")
    assert not at.error, [e.value for e in at.error]
    assert not at.get("button_group")  # 显示层级: nothing to choose for a station
    assert [h.value for h in at.subheader] == ["武安派出所", "各辖区数据"]  # its detail opens at once
    assert list(_frame(at, "辖区")["辖区"]) == ["武安派出所"]
    legend = " ".join(m.value for m in at.markdown)
    assert "本辖区：" in legend and "无数据/人口未知" not in legend


def test_the_depth_choice_offers_only_levels_that_differ(app_as):
    district = app_as("changtai", "views/map.py")
    [control] = district.get("button_group")
    assert "按派出所" in str(control.proto) and "按单位" not in str(control.proto)
    city = app_as("leader", "views/map.py")
    [control] = city.get("button_group")
    assert "按分局/县局" in str(city.get("button_group")[0].proto) and "按派出所" in str(control.proto)


@pytest.mark.parametrize("page", ["views/overview.py", "views/map.py", "views/cases.py", "views/accountability.py"])
def test_every_link_names_its_unit_even_the_users_own(app_as, demo_db_url, page):
    ids = _ids(demo_db_url)
    at = app_as("leader", page)
    assert not at.error, [e.value for e in at.error]
    assert _param(at, "unit") == str(ids["350600"])
    at = app_as("clerk_wuan", page)
    assert _param(at, "unit") == str(ids["350605100"])


@pytest.mark.parametrize("page", ["views/overview.py", "views/map.py", "views/cases.py", "views/accountability.py"])
def test_a_link_to_the_city_is_refused_to_a_clerk_not_shown_as_the_station(app_as, demo_db_url, page):
    ids = _ids(demo_db_url)
    at = app_as("clerk_wuan", page, unit=str(ids["350600"]))
    assert any("无权查看该单位的数据" in e.value for e in at.error)
    assert not at.metric and not at.dataframe
