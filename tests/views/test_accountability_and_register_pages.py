"""Issue 12 on the 问责预警 and 案件登记 pages (AppTest): both review counts named, the list paged with its total,
the clerk's own to-do on top, one upload limit, amounts never rounded up to a threshold."""

from datetime import timedelta

from sqlalchemy import select

from db.engine import make_engine, write_session
from db.models import AccountabilityItem, AccountabilityRule, FraudCase, Unit
from services.cases.write import insert_case
from services.shared.timeutil import now_utc, shanghai_today
from tests.views.test_accountability_view import ROOT, site  # noqa: F401 (the fixture)

CASES = str(ROOT / "views/cases.py")


def _add_items(url: str, unit_code: str, count: int) -> None:
    """`count` open items of a unit, straight into the tables (the page reads them like any other)."""
    engine = make_engine(url)
    now = now_utc()
    with write_session(engine) as session:
        unit_id = session.execute(select(Unit.id).where(Unit.code == unit_code)).scalar()
        rule_id = session.execute(select(AccountabilityRule.id)).scalars().first()
        cases = [FraudCase(case_no=f"P-{n:04d}", unit_id=unit_id, reported_at=now, fraud_type="rebate",
                           loss_fen=12_000_000, created_at=now, updated_at=now) for n in range(count)]
        session.add_all(cases)
        session.flush()
        session.add_all([AccountabilityItem(case_id=c.id, unit_id=unit_id, rule_id=rule_id, level="l10w",
                                            required_action="-", responsible="-",
                                            due_date=shanghai_today() + timedelta(days=5), status="pending",
                                            raised_at=now) for c in cases])
    engine.dispose()


def _add_case(url: str, unit_code: str, loss_fen: int, case_no: str) -> int:
    engine = make_engine(url)
    with write_session(engine) as session:
        unit_id = session.execute(select(Unit.id).where(Unit.code == unit_code)).scalar()
        case_id = insert_case(session, dict(case_no=case_no, unit_id=unit_id, reported_at=now_utc() - timedelta(hours=2),
                                            fraud_type="rebate", loss_fen=loss_fen, source="manual"),
                              None, now_utc()).id
    engine.dispose()
    return case_id


def test_the_item_list_is_paged_with_its_total(site):  # noqa: F811
    run, url, units, _ = site
    _add_items(url, "WA", 60)
    at = run("leader_d")
    assert any(h.value.endswith("问责事项共 64 项") for h in at.subheader)
    assert len(at.dataframe[1].value) == 50
    assert any("第 1 / 2 页" in c.value for c in at.caption)
    page = next(n for n in at.number_input if n.label == "页码")
    page.set_value(2).run()
    assert len(at.dataframe[1].value) == 14 and at.query_params["ipage"] in ("2", ["2"])


def test_a_clerk_sees_their_units_todo_first(site):  # noqa: F811
    run, _, _, items = site
    at = run("clerk_wa")
    assert at.subheader[0].value == "本单位待办"
    assert any("武安派出所：未关闭问责事项 3 项，其中需本单位提交说明 3 项，已逾期 1 项。" in m.value for m in at.markdown)
    assert any("有 1 项已超过期限" in e.value for e in at.error)
    todo = at.dataframe[0].value
    assert todo["编号"][0] == items["overdue"] and todo["逾期天数"][0] == 23
    leader = run("leader_d")
    assert not any(h.value == "本单位待办" for h in leader.subheader)  # a leader's page starts with the figures


def test_the_uploader_states_one_limit_and_enforces_it(site):  # noqa: F811
    run, _, _, items = site
    at = run("clerk_wa", item=items["overdue"])
    (uploader,) = at.get("file_uploader")
    assert uploader.proto.max_upload_size_mb == 10
    assert "每个不超过 10 MB" in uploader.proto.label and "最多 10 个" in uploader.proto.label


def test_amounts_below_a_threshold_are_never_shown_at_it(site):  # noqa: F811
    run, url, _, _ = site
    item_case = _add_case(url, "WA", 99_999_999, "T-999999")  # 999,999.99 元: a 50万 item, not a 100万 one
    _add_case(url, "WA", 9_999_999, "T-99999")  # 99,999.99 元: no item
    engine = make_engine(url)
    with engine.connect() as connection:
        item_id = connection.execute(select(AccountabilityItem.id).where(AccountabilityItem.case_id == item_case)).scalar()
    engine.dispose()
    at = run("leader_d", item=item_id)
    assert any("损失金额：999,999.99 元" in m.value for m in at.markdown)
    assert not any("100.00" in m.value for m in at.markdown)
    listed = at.dataframe[1].value
    assert float(listed.loc[listed["编号"] == item_id, "损失万元"].iloc[0]) == 99.99
    history = at.dataframe[-1].value
    assert history["说明"][0] == "损失 999,999.99 元，达到“50万元以上”。"

    cases = run("leader_d", page=CASES)
    table = cases.dataframe[0].value
    shown = dict(zip(table["案件编号"], table["损失(万元)"], strict=True))
    assert float(shown["T-99999"]) == 9.99 and float(shown["T-999999"]) == 99.99
    detail = run("leader_d", page=CASES, case=item_case)
    assert any("损失：999,999.99 元" in t.value for t in detail.text)
