"""The wall page (AppTest): the 大屏 role gets the wall and nothing else; command opens it too; the device admin page."""

import uuid

from sqlalchemy import select, text

from db.engine import make_engine, read_session
from db.models import WallDevice
from services.wall.text import DEVICE_CREATE, DEVICE_CREATED, DEVICE_REVOKE, DEVICES_TITLE


def _html(at) -> str:
    return " ".join(str(element.proto) for element in at.get("html"))


def test_wall_role_gets_only_the_wall_without_sidebar_or_account_buttons(app_as):
    at = app_as("wall", "views/cases.py")  # any address: the 大屏 role is sent to the wall
    html = _html(at)
    assert "数据更新于" in html and "反诈指挥中心大屏" in html
    assert len(at.sidebar) == 0
    assert not [b for b in at.button if b.label in {"退出登录", "修改密码"}]
    assert "合计" in html and "最新问责触发" in html
    assert "本月打击挽损" in html and "破案(起)" in html and "抓获(人)" in html and "冻结" in html
    assert "待登记后显示" not in html  # the old note that these were not recorded yet


def test_the_strike_panel_shows_this_months_figures_with_their_changes(app_as, demo_db_url):
    import re
    from datetime import UTC, datetime

    from components.wall_panels import BAD, GOOD, NEUTRAL
    from services.shared.money import wan_figure
    from services.shared.timeutil import reporting_span, shanghai_today

    span = reporting_span("month", shanghai_today(datetime.now(UTC)))
    with make_engine(demo_db_url).connect() as connection:
        solved, solved_year_ago = (connection.execute(
            text("SELECT COUNT(*) FROM fraud_case WHERE solved_on >= :a AND solved_on <= :b"),
            {"a": period.first_day.isoformat(), "b": period.last_day.isoformat()}).scalar()
            for period in (span.current, span.year_ago))
        frozen = connection.execute(text("SELECT COALESCE(SUM(frozen_fen), 0) FROM recovery_request "
                                         "WHERE requested_at >= :s AND requested_at < :e"),
                                    {"s": span.current.start.strftime("%Y-%m-%d %H:%M:%S"),
                                     "e": span.current.end.strftime("%Y-%m-%d %H:%M:%S")}).scalar()
    at = app_as("wall", "views/wall.py")
    panel = next(h for h in (str(e.proto.body) for e in at.get("html")) if 'data-testid="wall-strike"' in h)
    month = re.search(r'<tr data-row="month">(.*?)</tr>', panel).group(1)
    cells = re.findall(r"<td>(.*?)</td>", month)
    assert cells[0] == "本月" and cells[1] == f"{solved:,}" and cells[4] == f"{wan_figure(frozen):,}"
    rows = {row: re.findall(r"<td>(.*?)</td>", re.search(f'<tr data-row="{row}">(.*?)</tr>', panel).group(1))
            for row in ("yoy", "mom")}
    assert all(len(cells) == 6 for cells in rows.values())
    # 两升两降: more cases solved than the same days last year is green, fewer red.
    colour = GOOD if solved > solved_year_ago else BAD if solved < solved_year_ago else NEUTRAL
    assert f"color:{colour}" in rows["yoy"][1]
    assert re.findall(r"<th>(.*?)</th>", panel)[1:] == ["破案(起)", "抓获(人)", "止付", "冻结", "返还"]


def test_command_opens_the_wall_full_screen(app_as):
    at = app_as("command", "views/wall.py")
    assert "数据更新于" in _html(at) and len(at.sidebar) == 0


def test_admin_creates_a_device_and_sees_it_listed(app_as):
    at = app_as("admin", "views/wall_devices.py")
    assert at.title[0].value == DEVICES_TITLE
    at.text_input(key="wall_device_name").input("测试大屏")
    next(b for b in at.button if b.label == DEVICE_CREATE).click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert DEVICE_CREATED.format(name="测试大屏") in " ".join(s.value for s in at.success)
    link = at.code[0].value
    assert "/_fanzha/wall?token=" in link and len(link.split("token=")[1]) >= 40
    at.run()
    assert not at.code, "the link is shown once"
    assert "测试大屏" in at.dataframe[0].value.to_string() and "有效" in at.dataframe[0].value.to_string()
    assert not [b for b in at.button if b.label == DEVICE_REVOKE]  # only once a row is chosen


def test_a_double_click_on_create_makes_one_device_and_shows_its_link(app_as, demo_db_url):
    name = f"双击大屏{uuid.uuid4().hex[:6]}"
    at = app_as("admin", "views/wall_devices.py")
    links = []
    for _ in range(2):  # the second click arrives with the values of the first (the form not yet cleared)
        at.text_input(key="wall_device_name").input(name)
        next(b for b in at.button if b.label == DEVICE_CREATE).click().run()
        assert not at.exception and not at.error, [e.value for e in at.error]
        links.append(at.code[0].value)
    assert links[0] == links[1]  # the same device's link again
    engine = make_engine(demo_db_url)
    with read_session(engine) as session:
        assert len(session.execute(select(WallDevice).where(WallDevice.name == name)).scalars().all()) == 1
    at.text_input(key="wall_device_name").input(name + "乙")  # other values: a new device, a new link
    next(b for b in at.button if b.label == DEVICE_CREATE).click().run()
    assert at.code[0].value not in links
    with read_session(engine) as session:
        assert len(session.execute(select(WallDevice).where(WallDevice.name.startswith(name))).scalars().all()) == 2
    engine.dispose()


def test_card_percentages_keep_their_width():
    from decimal import Decimal

    from components.wall_panels import _percent

    assert _percent(Decimal("12.5")) == "+12.5%" and _percent(Decimal("-100.0")) == "-100.0%"
    assert _percent(Decimal("999.9")) == "+999.9%" and _percent(Decimal("27351.1")) == ">+999%"


def test_a_failed_refresh_keeps_the_last_figures_under_a_stale_banner_and_recovers(app_as, monkeypatch):
    from sqlalchemy.exc import OperationalError

    import cached

    at = app_as("wall", "views/wall.py")
    before = _html(at)
    assert "数据刷新失败" not in before and "合计" in before
    real = cached.wall_board

    def down(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("database down"))

    monkeypatch.setattr(cached, "wall_board", down)
    at.run()
    assert not at.exception
    stale = _html(at)
    assert "数据刷新失败" in stale and "秒 前的数据" in stale and "合计" in stale  # the last figures stay
    monkeypatch.setattr(cached, "wall_board", real)
    at.run()
    assert "数据刷新失败" not in _html(at) and "合计" in _html(at)
