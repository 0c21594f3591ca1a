"""打击挽损 through the whole app (AppTest): 两升两降 drawn, a freeze recorded once from the ledger form, scope, export."""

import statistics
import uuid
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select, text

from db.engine import make_engine, read_session
from db.models import Dissuasion
from services.desk import api as desk_api
from services.desk.calls import CallDraft
from services.shared.timeutil import SHANGHAI, now_utc, shanghai_today
from services.strike import api as strike_api
from services.strike.dissuasion import DissuasionDraft
from tests.conftest import actor_for_username
from vocabulary import CallOutcome, CallType, DissuasionOutcome

CARD = "6222021234567890128"


def _scalar(url: str, sql: str, **params):
    with make_engine(url).connect() as connection:
        return connection.execute(text(sql), params).scalar()


def _ledger_row(url: str) -> int:
    engine = make_engine(url)
    desk = actor_for_username(url, "desk")
    station = _scalar(url, "SELECT id FROM unit WHERE code = '350605100'")
    call = desk_api.save(engine, desk, CallDraft(
        idempotency_key=uuid.uuid4().hex, received_at=now_utc() - timedelta(minutes=5), call_type=CallType.REPORT,
        outcome=CallOutcome.TO_CASE, jurisdiction_unit_id=station, lost="3万", accounts=f"工商银行 {CARD}",
        narrative="刷单返利被骗"))
    return strike_api.stop_from_call(engine, desk, call.call_id, uuid.uuid4().hex).request_id


def test_page_draws_two_up_two_down_and_the_ledger(app_as, demo_db_url):
    request_id = _ledger_row(demo_db_url)
    at = app_as("changtai", "views/strike.py", range="today")
    assert at.title[0].value == "打击挽损"
    frames = [d.value for d in at.dataframe]
    two_up = frames[0]
    assert list(two_up.columns) == ["单位", "破案数", "抓获数", "发案数", "损失金额"]
    ledger = next(f for f in frames if "涉案账户" in f.columns)
    row = ledger[ledger["编号"] == request_id].iloc[0]
    assert row["涉案账户"] == "6222 **** **** 0128" and row["状态"] == "已申请止付"
    assert CARD not in ledger.to_string()


def test_freeze_recorded_from_the_form_once(app_as, demo_db_url):
    request_id = _ledger_row(demo_db_url)
    at = app_as("changtai", "views/strike.py", range="today")
    at.selectbox(key="strike_step_request").set_value(request_id)
    at.radio(key="strike_step_kind").set_value("frozen")
    at.text_input(key="strike_step_amount").input("2万")
    at.button(key="FormSubmitter:strike_step_form-保存登记").click().run()
    assert not at.exception
    assert any("已登记" in s.value for s in at.success)
    assert _scalar(demo_db_url, "SELECT frozen_fen FROM recovery_request WHERE id = :id", id=request_id) == 2_000_000
    assert _scalar(demo_db_url, "SELECT COUNT(*) FROM recovery_event WHERE request_id = :id", id=request_id) == 1


def test_a_unit_outside_scope_is_refused_and_export_is_audited(app_as, demo_db_url):
    sibling = _scalar(demo_db_url, "SELECT id FROM unit WHERE code = '350602'")
    at = app_as("changtai", "views/strike.py", unit=str(sibling))
    assert "无权查看该单位的数据" in " ".join(e.value for e in at.error)
    before = _scalar(demo_db_url, "SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND object_type = 'strike'")
    at = app_as("changtai", "views/strike.py", range="today")
    at.button(key="strike_export_two_up").click().run()
    assert any(b.key == "strike_download_two_up" for b in at.get("download_button"))
    after = _scalar(demo_db_url, "SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND object_type = 'strike'")
    assert after == before + 1


def test_desk_stop_payment_after_saving_a_call_with_a_loss_and_an_account(app_as, demo_db_url):
    at = app_as("desk", "views/desk.py")
    at.segmented_control(key="desk_call_type").set_value(CallType.REPORT).run()
    at.text_area(key="desk_narrative").input("兼职刷单被骗，转账到对方账户").run()
    at.text_input(key="desk_lost").input("8000").run()
    at.text_area(key="desk_accounts").input(f"中国银行 {CARD}").run()
    at.segmented_control(key="desk_outcome").set_value(CallOutcome.LEAD_LOGGED).run()
    next(b for b in at.button if b.key == "desk_submit").click().run()
    call_id = _scalar(demo_db_url, "SELECT MAX(id) FROM desk_call")
    stop = next(b for b in at.button if b.key == f"desk_stop_payment_{call_id}")
    assert f"来电 {call_id}" in stop.label
    stop.click().run()
    assert not at.exception
    assert _scalar(demo_db_url, "SELECT COUNT(*) FROM recovery_request WHERE desk_call_id = :id", id=call_id) == 1
    assert not any(b.key == f"desk_stop_payment_{call_id}" for b in at.button)  # pressed once: now it says what was made
    assert any("已申请止付" in i.value for i in [*at.info, *at.success])
    assert strike_api.stop_from_call(make_engine(demo_db_url), actor_for_username(demo_db_url, "desk"), call_id,
                                     f"desk-stop-{call_id}").duplicate


def _yuan(shown: str) -> Decimal:
    """'12.35 万元' or '9,999.99 元' as 元."""
    number = Decimal(shown.split()[0].replace(",", ""))
    return number * 10_000 if shown.endswith("万元") else number


def _open_case(url: str) -> tuple[int, str]:
    with make_engine(url).connect() as connection:
        return tuple(connection.execute(text(
            "SELECT c.id, c.case_no FROM fraud_case c JOIN unit u ON u.id = c.unit_id WHERE u.code = '350605100' "
            "AND c.status != 'solved' AND c.solved_on IS NULL AND c.source = 'demo' "
            "AND c.id NOT IN (SELECT case_id FROM recovery_request WHERE case_id IS NOT NULL) ORDER BY c.id DESC LIMIT 1")).one())


def _submit(at, form: str):
    return next(b for b in at.button if b.key and b.key.startswith(f"FormSubmitter:{form}")).click().run()


def test_case_page_marks_a_case_solved_and_its_history_names_the_fields(app_as, demo_db_url):
    case_id, _ = _open_case(demo_db_url)
    at = app_as("clerk_wuan", "views/cases.py", case=str(case_id))
    _submit(at, f"case_solve_{case_id}")  # no way chosen: refused under the field, nothing saved
    assert "请选择破案方式。" in [e.value for e in at.error]
    assert _scalar(demo_db_url, "SELECT solved_on FROM fraud_case WHERE id = :id", id=case_id) is None
    at.radio(key=f"case_solve_{case_id}_how").set_value("assisted")
    _submit(at, f"case_solve_{case_id}")
    assert not at.exception
    assert any("已登记破案" in s.value and "破案方式" in s.value for s in at.success)
    row = _scalar(demo_db_url, "SELECT solved_how || ' ' || status FROM fraud_case WHERE id = :id", id=case_id)
    assert row == "assisted solved"
    history = next(t.value for t in at.table if "项目" in t.value.columns)
    assert {"破案日期", "破案方式", "案件状态"} <= set(history["项目"])
    assert "异地协破" in set(history["新值"])


def test_case_page_requests_a_stop_payment_once(app_as, demo_db_url):
    case_id, case_no = _open_case(demo_db_url)
    at = app_as("clerk_wuan", "views/cases.py", case=str(case_id))
    at.text_input(key=f"case_stop_{case_id}_account").input("中国银行 1234")
    at.text_input(key=f"case_stop_{case_id}_amount").input("2万")
    _submit(at, f"case_stop_{case_id}")
    assert "账户号码格式不对（应为 8 位以上数字，可带开户行名称）。" in [e.value for e in at.error]
    at.text_input(key=f"case_stop_{case_id}_account").input(f"中国银行 {CARD}")
    _submit(at, f"case_stop_{case_id}")
    assert not at.exception
    assert any("已申请止付：台账第" in s.value for s in at.success)
    rows = _scalar(demo_db_url, "SELECT COUNT(*) || ' ' || MAX(requested_fen) || ' ' || MAX(bank_name) "
                                "FROM recovery_request WHERE case_id = :id", id=case_id)
    assert rows == "1 2000000 中国银行"
    at = app_as("changtai", "views/strike.py", range="today")
    ledger = next(d.value for d in at.dataframe if "涉案账户" in d.value.columns)
    assert f"案件 {case_no}" in set(ledger["来源"])
    assert CARD not in ledger.to_string()


def test_an_interception_entered_on_the_page_is_saved_once_and_counted(app_as, demo_db_url):
    at = app_as("clerk_wuan", "views/strike.py", range="today")
    protected = next(m.value for m in at.metric if m.label == "阻截保护金额")
    before = _scalar(demo_db_url, "SELECT COUNT(*) FROM interception")
    at.text_input(key="strike_i_bank").input("兴业银行")
    at.text_input(key="strike_i_branch").input("武安支行营业部")
    at.text_input(key="strike_i_officer").input("柜员 陈某")
    at.text_input(key="strike_i_amount").input("3万")
    at.text_input(key="strike_i_payee").input(CARD)
    at.selectbox(key="strike_i_type").set_value("fake_authority")
    _submit(at, "strike_interception_form")
    assert not at.exception
    assert any("已保存阻截记录" in s.value and "6222 **** **** 0128" in s.value for s in at.success)
    assert _scalar(demo_db_url, "SELECT COUNT(*) FROM interception") == before + 1
    assert _scalar(demo_db_url, "SELECT amount_fen FROM interception ORDER BY id DESC LIMIT 1") == 3_000_000
    after = next(m.value for m in at.metric if m.label == "阻截保护金额")
    assert _yuan(after) - _yuan(protected) == 30_000
    at.run()  # a rerun does not save again
    assert _scalar(demo_db_url, "SELECT COUNT(*) FROM interception") == before + 1


def test_every_table_exports_with_a_sheet_name_excel_accepts(app_as, demo_db_url):
    _ledger_row(demo_db_url)
    at = app_as("changtai", "views/strike.py", range="today")
    for table in strike_api.EXPORT_TABLES:
        at.button(key=f"strike_export_{table}").click().run()
        assert not at.exception, table
        assert any(b.key == f"strike_download_{table}" for b in at.get("download_button")), table


def test_dissuasion_minutes_of_every_stage_and_their_medians(app_as, demo_db_url):
    engine, desk = make_engine(demo_db_url), actor_for_username(demo_db_url, "desk")
    station = _scalar(demo_db_url, "SELECT id FROM unit WHERE code = '350605100'")
    day = shanghai_today() - timedelta(days=2)
    start = datetime(day.year, day.month, day.day, 10, 0)  # Beijing wall time
    m = lambda minutes: start + timedelta(minutes=minutes)  # noqa: E731
    for draft in (DissuasionDraft(station, m(0), DissuasionOutcome.STOPPED, m(2), m(10), outcome_at=m(30)),
                  DissuasionDraft(station, m(60), DissuasionOutcome.UNREACHABLE, m(64), None, outcome_at=m(100))):
        strike_api.add_dissuasion(engine, desk, draft, uuid.uuid4().hex)
    at = app_as("changtai", "views/strike.py", range="custom", **{"from": day.isoformat(), "to": day.isoformat()})
    table = next(d.value for d in at.dataframe if "预警→开始联系（分钟）" in d.value.columns)
    stages = ["预警→开始联系（分钟）", "开始联系→联系上（分钟）", "联系上→结果（分钟）", "预警→结果合计（分钟）"]
    ours = [table[(table["单位"] == "武安派出所") & (table["接到预警"] == f"{moment:%Y-%m-%d %H:%M}")
                  & (table["结果"] == outcome.label)].iloc[0] for moment, outcome in
            ((m(0), DissuasionOutcome.STOPPED), (m(60), DissuasionOutcome.UNREACHABLE))]
    assert [list(r[stages]) for r in ours] == [
        ["2.0", "8.0", "20.0", "30.0"], ["4.0", "", "", "40.0"]]  # never reached: no minutes, not 0
    medians = next(d.value for d in at.dataframe if "劝阻数" in d.value.columns)
    wuan = medians[medians["单位"] == "武安派出所"].iloc[0]
    expected = _medians_by_hand(demo_db_url, station, day)  # the demo's own 劝阻 of that day included
    assert int(wuan["劝阻数"]) == expected.pop("count")
    assert list(wuan[[f"{s} 中位数" for s in stages]]) == list(expected.values())
    assert medians.iloc[0]["单位"] == "长泰区公安分局"


def _medians_by_hand(url: str, station: int, day) -> dict[str, object]:
    """The 武安 medians of one Beijing day recounted in plain Python from the rows ('—' when no row has the stage)."""
    start = datetime(day.year, day.month, day.day, tzinfo=SHANGHAI).astimezone(UTC)
    with read_session(make_engine(url)) as session:
        rows = session.execute(select(Dissuasion).where(
            Dissuasion.unit_id == station, Dissuasion.warning_at >= start,
            Dissuasion.warning_at < start + timedelta(days=1))).scalars().all()
    result: dict[str, object] = {"count": len(rows)}
    for name, (a, b) in {"to_attempt": ("warning_at", "attempted_at"), "to_reach": ("attempted_at", "reached_at"),
                         "to_outcome": ("reached_at", "outcome_at"), "total": ("warning_at", "outcome_at")}.items():
        minutes = [(getattr(r, b) - getattr(r, a)).total_seconds() / 60 for r in rows
                   if getattr(r, a) is not None and getattr(r, b) is not None]
        middle = Decimal(str(statistics.median(minutes))).quantize(Decimal("0.1"), ROUND_HALF_UP) if minutes else None
        result[name] = "—" if middle is None else f"{middle}（{len(minutes)}）"
    return result


def test_a_dissuasion_without_an_outcome_time_shows_no_total(app_as, demo_db_url):
    at = app_as("clerk_wuan", "views/strike.py", range="today")
    before = _scalar(demo_db_url, "SELECT COUNT(*) FROM dissuasion")
    at.checkbox(key="strike_d_outcome_on").uncheck()
    _submit(at, "strike_dissuasion_form")
    assert not at.exception
    assert any("已保存劝阻记录" in s.value for s in at.success), [e.value for e in at.error]
    assert _scalar(demo_db_url, "SELECT COUNT(*) FROM dissuasion") == before + 1
    assert _scalar(demo_db_url, "SELECT outcome_at FROM dissuasion ORDER BY id DESC LIMIT 1") is None


def _case_of(url: str, code_like: str) -> str:
    return _scalar(url, "SELECT f.case_no FROM fraud_case f JOIN unit u ON u.id = f.unit_id WHERE u.code LIKE :code "
                        "ORDER BY f.id LIMIT 1", code=code_like)


def test_a_strike_result_typed_with_linked_cases_and_identifiers(app_as, demo_db_url):
    mine, other = _case_of(demo_db_url, "350605100"), _case_of(demo_db_url, "350602%")
    phone = "13912345678"
    before = _scalar(demo_db_url, "SELECT COUNT(*) FROM strike_result")
    at = app_as("clerk_wuan", "views/strike.py", range="today")
    at.number_input(key="strike_entry_caught").set_value(2)
    at.text_area(key="strike_entry_links_cases").input(other)
    at.text_area(key="strike_entry_links_identifiers").input("139-1234-5678\nabc")
    _submit(at, "strike_entry_form")
    errors = " ".join(e.value for e in at.error)
    assert f"案件编号“{other}”不存在或不在本单位辖区内" in errors and "“abc”不是有效的电话号码或银行账号" in errors
    assert _scalar(demo_db_url, "SELECT COUNT(*) FROM strike_result") == before
    at.text_area(key="strike_entry_links_cases").input(mine)
    at.text_area(key="strike_entry_links_identifiers").input(f"139-1234-5678\n{CARD}")
    _submit(at, "strike_entry_form")
    assert any("已保存打击战果" in s.value for s in at.success), [e.value for e in at.error]
    assert _scalar(demo_db_url, "SELECT COUNT(*) FROM strike_result") == before + 1
    result = _scalar(demo_db_url, "SELECT MAX(id) FROM strike_result")
    linked = _scalar(demo_db_url, "SELECT COUNT(*) FROM strike_result_link WHERE strike_result_id = :id", id=result)
    assert linked == 3
    assert _scalar(demo_db_url, "SELECT COUNT(*) FROM identifier WHERE value_norm = :v", v=phone) == 1
    frame = next(d.value for d in at.dataframe if "关联案件" in d.value.columns)
    row = frame[frame["关联案件"] == mine].iloc[0]
    assert phone not in row["关联号码/账户"] and "5678" in row["关联号码/账户"]  # a clerk sees them masked
    at.run()  # a rerun saves nothing again
    assert _scalar(demo_db_url, "SELECT COUNT(*) FROM strike_result") == before + 1


def test_an_import_naming_an_unknown_case_is_refused_by_row(app_as, demo_db_url):
    before = _scalar(demo_db_url, "SELECT COUNT(*) FROM strike_result")
    at = app_as("clerk_wuan", "views/strike.py", range="today")
    data = f"单位,日期,抓获人数,关联案件\n武安派出所,{shanghai_today()},1,NO-SUCH-CASE\n".encode()
    outcome = strike_api.import_strike_file(make_engine(demo_db_url), actor_for_username(demo_db_url, "clerk_wuan"),
                                            data, "战果.csv", uuid.uuid4().hex)
    at.session_state["strike_import_result"] = outcome
    at.run()
    assert any("未导入任何一行" in e.value for e in at.error)
    assert any("第 2 行 · 关联案件" in t.value and "NO-SUCH-CASE" in t.value for t in at.text)
    assert _scalar(demo_db_url, "SELECT COUNT(*) FROM strike_result") == before
