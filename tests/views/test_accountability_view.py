"""问责预警 and 问责规则 pages (AppTest on the page scripts): drill-down by link, the workflow, refusals, rules."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from streamlit.testing.v1 import AppTest

from db.engine import make_engine, write_session
from db.migrate import upgrade
from db.models import AccountabilityItem, AppUser, Unit
from services.access.actor import Actor
from services.accountability.text import RULES_READ_ONLY
from services.audit.text import CLI_USERNAME
from services.cases.write import apply_changes, insert_case
from services.shared.timeutil import now_utc
from services.units.tree import add_unit
from vocabulary import CaseSource, Decision, ItemStatus, Role

ROOT = Path(__file__).resolve().parents[2]
ACCOUNTABILITY, RULES = str(ROOT / "views/accountability.py"), str(ROOT / "views/rules.py")
USERS = (("clerk_wa", Role.CLERK, "WA"), ("clerk_yx", Role.CLERK, "YX"), ("leader_d", Role.LEADER, "D"),
         ("admin", Role.ADMIN, "C"), ("wall", Role.WALL, "C"), ("admin_d", Role.ADMIN, "D"))
EXPLANATION = "被害人轻信虚假投资平台，本所宣传未覆盖该小区，已查找问题并整改。"
PREVENTION = "案发前90天本所在该村开展宣传两次，未入户走访，存在宣传盲区。"


@pytest.fixture
def site(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'acc.db'}"
    engine = make_engine(url)
    upgrade(engine)
    now = now_utc()
    with write_session(engine) as session:
        for code, name, kind, parent in (("C", "漳州市公安局", "city_bureau", None),
                                         ("D", "长泰区公安分局", "district_bureau", "C"),
                                         ("WA", "武安派出所", "station", "D"), ("YX", "岩溪派出所", "station", "D")):
            add_unit(session, code=code, name=name, kind=kind, parent_code=parent)
        units = {u.code: u for u in session.execute(select(Unit)).scalars()}
        actors = {}
        for name, role, code in USERS:
            user = AppUser(username=name, display_name=name, password_hash="-", role=role.value,
                           unit_id=units[code].id, created_at=now)
            session.add(user)
            session.flush()
            actors[name] = Actor(user.id, name, name, role, units[code].id, units[code].path, units[code].name,
                                 "127.0.0.1")
        cases = {}
        for key, code, loss_fen, raised in (("overdue", "WA", 20_000_000, now - timedelta(days=30)),
                                           ("big", "WA", 60_000_000, now), ("top", "YX", 150_000_000, now),
                                           ("lowered", "WA", 30_000_000, now)):
            cases[key] = insert_case(session, dict(case_no=f"A-{key}", unit_id=units[code].id,
                                                   reported_at=raised - timedelta(hours=1), fraud_type="investment",
                                                   loss_fen=loss_fen, source="manual"), None, raised)
        apply_changes(session, cases["lowered"], {"loss_fen": 9_000_000}, actor=actors["clerk_wa"],
                      reason="追回部分款项", source=CaseSource.MANUAL, now=now)
        items = {key: session.execute(select(AccountabilityItem.id).where(AccountabilityItem.case_id == case.id))
                 .scalar() for key, case in cases.items()}
    engine.dispose()
    monkeypatch.setenv("FANZHA_DATABASE_URL", url)

    def run(username: str, page: str = ACCOUNTABILITY, **query) -> AppTest:
        at = AppTest.from_file(page, default_timeout=30)
        at.session_state["fanzha_actor"] = actors[username]
        for name, value in query.items():
            at.query_params[name] = str(value)
        at.run()
        assert not at.exception, at.exception
        return at

    return run, url, {code: u.id for code, u in units.items()}, items


def _sql(url: str, statement: str):
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text(statement)).all()
    engine.dispose()
    return rows


def _click(at, label: str) -> None:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception


def _errors(at) -> str:
    return " ".join(e.value for e in at.error)


def test_leader_sees_units_items_and_flags(site):
    run, _, units, items = site
    at = run("leader_d")
    assert at.title[0].value == "问责预警"
    # open, overdue, explanations awaiting approval, downward revisions awaiting review (issue 12: both, named)
    assert [(m.label, m.value) for m in at.metric][:4] == [("未关闭事项", "4"), ("逾期事项", "1"), ("说明待领导审核", "0"),
                                                           ("损失下调待复核", "1")]
    table = at.dataframe[0].value
    assert list(table["单位"]) == ["武安派出所", "岩溪派出所", "合计"]
    assert list(table["逾期"]) == [1, 0, 1] and table["最长逾期"][0] == 23
    assert list(table["关闭用时"]) == ["", "", ""]  # nothing closed yet
    listed = at.dataframe[1].value
    assert listed["编号"][0] == items["overdue"] and listed["逾期天数"][0] == 23
    assert any("数据真实性监测" in h.value for h in at.subheader)
    assert any("损失下调跨过门槛" in m.value for m in at.markdown)


def test_every_filter_and_selection_is_in_the_link(site):
    run, _, units, items = site
    at = run("leader_d", unit=units["WA"], level="l50w", item=items["big"])
    assert list(at.dataframe[0].value["单位"]) == ["武安派出所"]  # a station: no separate total
    assert list(at.dataframe[1].value["编号"]) == [items["big"]]
    assert any("倒查参考" in m.value for m in at.markdown)
    at.selectbox(key="acc_status").set_value(ItemStatus.PENDING).run()
    at.toggle(key="acc_overdue").set_value(True).run()
    params = {k: at.query_params[k] for k in at.query_params}
    assert {k: (v[0] if isinstance(v, list) else v) for k, v in params.items()} == {
        "unit": str(units["WA"]), "level": "l50w", "status": "pending", "overdue": "1", "item": str(items["big"])}


def test_a_station_sees_only_its_own_items(site):
    run, _, units, items = site
    at = run("clerk_wa")
    assert list(at.dataframe[1].value["单位"].unique()) == ["武安派出所"]
    assert not any("数据真实性监测" in h.value for h in at.subheader)
    assert "记录不存在" in _errors(run("clerk_wa", item=items["top"]))
    assert "无权查看该单位" in _errors(run("clerk_wa", unit=units["YX"]))
    assert "无权执行此操作" in _errors(run("wall"))


# Values typed into a form are sent with the submit click: the tests type, then click and run once.
def test_explain_return_resubmit_approve_close(site):
    run, url, _, items = site
    item = items["top"]  # 100万 level at 岩溪: 倒查 and a decision are required
    at = run("clerk_yx", item=item)
    at.text_area(key=f"acc_form_{item}_explain_text").input(EXPLANATION)
    _click(at, "提交")
    assert "须填写宣传防范工作倒查" in _errors(at)
    at.text_area(key=f"acc_form_{item}_explain_prevention").input(PREVENTION)
    _click(at, "提交")
    assert any("提交说明" in s.value for s in at.success), _errors(at)

    at = run("leader_d", item=item)
    _click(at, "退回")
    assert "退回须填写理由" in _errors(at)
    at.text_area(key=f"acc_form_{item}_review_note").input("倒查不具体，请补充走访记录")
    _click(at, "退回")
    assert any("退回" in s.value for s in at.success)

    at = run("clerk_yx", item=item)
    assert any("倒查不具体" in t.value for t in at.text)
    at.text_area(key=f"acc_form_{item}_explain_text").input(EXPLANATION + "已补充走访记录。")
    _click(at, "提交")

    at = run("leader_d", item=item)
    _click(at, "审核通过")
    _click(at, "关闭")
    assert "须选择问责决定" in _errors(at)
    at.radio(key=f"acc_form_{item}_close_decision").set_value(Decision.ADMONISH)
    at.text_area(key=f"acc_form_{item}_close_note").input("局长对岩溪派出所所长进行告诫")
    _click(at, "关闭")
    history = at.dataframe[-1].value
    assert list(history["操作"]) == ["触发", "提交说明", "退回", "提交说明", "审核通过", "关闭"]
    assert list(history["办理人"])[1:] == ["clerk_yx", "leader_d", "clerk_yx", "leader_d", "leader_d"]
    assert _sql(url, f"SELECT status, decision FROM accountability_item WHERE id = {item}") == [("closed", "admonish")]
    audit = _sql(url, f"SELECT username FROM audit_log WHERE object_type = 'accountability_item' "
                      f"AND object_id = '{item}' ORDER BY id")
    assert [a[0] for a in audit] == [CLI_USERNAME, "clerk_yx", "leader_d", "clerk_yx", "leader_d", "leader_d"]


def test_leader_settles_a_downward_revision(site):
    run, url, _, items = site
    item = items["lowered"]
    at = run("leader_d", item=item)
    assert any("下调" in w.value for w in at.warning)
    at.text_area(key=f"acc_form_{item}_flag_reason").input("银行流水核实损失属实")
    _click(at, "保留，继续办理")
    assert _sql(url, f"SELECT needs_review, status FROM accountability_item WHERE id = {item}") == [(0, "pending")]


def test_rules_page_for_administrators(site):
    run, url, _, _ = site
    assert "无权执行此操作" in _errors(run("leader_d", RULES))
    at = run("admin", RULES, level="l10w")
    assert list(at.dataframe[0].value["级别"]) == ["10万元以上", "50万元以上", "100万元以上"]
    prefix = "rules_form_l10w"
    at.text_input(key=f"{prefix}_threshold").input("60万")
    at.text_area(key=f"{prefix}_reason").input("县局党委会决定调整")
    _click(at, "保存新版本")
    assert "逐级递增" in _errors(at)
    at.text_input(key=f"{prefix}_threshold").input("15万")
    _click(at, "保存新版本")
    assert any("已新增" in s.value for s in at.success), _errors(at)
    assert _sql(url, "SELECT threshold_fen, created_by FROM accountability_rule WHERE level = 'l10w' "
                     "ORDER BY effective_from DESC LIMIT 1") == [(15_000_000, "admin")]
    assert len(at.dataframe[1].value) == 4


def test_rules_page_is_read_only_for_a_district_administrator(site):
    run, _, _, _ = site
    at = run("admin_d", RULES)
    assert len(at.dataframe) == 2 and not _errors(at)
    assert [i.value for i in at.info] == [RULES_READ_ONLY]
    assert not at.button and not at.text_input
