"""The expert desk: validation at the field, exactly-once saving, call → case, counters, hot leads."""

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from db.engine import make_engine, read_session, write_session
from db.migrate import upgrade
from db.models import DeskCall, FraudCase, Identifier, IdentifierLink
from services.access import auth
from services.access.actor import AccessDenied
from services.desk.calls import CallDraft, submit_call, today_calls, today_counters, validate
from services.desk.identifier_store import hot_leads, search, seen_before
from services.shared.errors import InvalidInput
from services.shared.timeutil import now_utc
from services.units.tree import add_unit
from vocabulary import CallOutcome, CallType, FraudType, Role

CARD = "6222021234567890128"  # Luhn-valid


def _setup_desk(engine):
    with write_session(engine) as session:
        city = add_unit(session, code="C", name="市局", kind="city_bureau", parent_code=None)
        district = add_unit(session, code="D", name="长泰区公安分局", kind="district_bureau", parent_code="C")
        station = add_unit(session, code="S", name="武安派出所", kind="station", parent_code="D")
        for name, role, unit in (("desk1", Role.DESK, city), ("clerk1", Role.CLERK, station)):
            auth.create_user(session, None, username=name, display_name=name, role=role, unit_id=unit.id,
                             password="Strong#Pass9")
        ids = {"city": city.id, "district": district.id, "station": station.id}
    actors = {}
    for name in ("desk1", "clerk1"):
        with write_session(engine) as session:
            actors[name] = auth.authenticate(session, name, "Strong#Pass9", "127.0.0.1").actor
    return engine, actors, ids


@pytest.fixture
def desk(engine):
    return _setup_desk(engine)


@pytest.fixture
def concurrent_desk(engine, tmp_path):
    """On SQLite a real file (threads need their own connections); on PostgreSQL the test database."""
    if engine.dialect.name != "sqlite":
        return _setup_desk(engine)
    file_engine = make_engine(f"sqlite:///{tmp_path / 'desk.db'}")
    upgrade(file_engine)
    return _setup_desk(file_engine)


def draft(**changes) -> CallDraft:
    values = dict(idempotency_key=uuid.uuid4().hex, received_at=now_utc() - timedelta(minutes=1),
                  call_type=CallType.REPORT, outcome=CallOutcome.LEAD_LOGGED)
    return CallDraft(**{**values, **changes})


@pytest.mark.parametrize("changes, field", [
    ({"received_at": now_utc() + timedelta(hours=1)}, "received_at"),
    ({"caller_phone": "12345"}, "caller_phone"),
    ({"lost": "-5"}, "lost"),
    ({"lost": "abc"}, "lost"),
    ({"pending": "2亿"}, "pending"),
    ({"narrative": "骗" * 4001}, "narrative"),
    ({"phones": "138123"}, "phones"),
    ({"accounts": "工商银行 12ab"}, "accounts"),
    ({"caller_age": 130}, "caller_age"),
    ({"outcome": CallOutcome.TO_CASE}, "jurisdiction_unit_id"),
])
def test_bad_input_is_refused_at_its_field(changes, field):
    with pytest.raises(InvalidInput) as refused:
        validate(draft(**changes))
    assert field in refused.value.errors
    assert all(isinstance(m, str) and m for m in refused.value.errors.values())


def test_huge_amount_needs_explicit_confirmation():
    assert validate(draft(pending="2亿", confirm_large=True)).pending_fen == 20_000_000_000


def test_failed_luhn_warns_but_saves():
    clean = validate(draft(accounts="对公 1234567890123456"))
    assert clean.warnings and clean.identifiers == [("bank_account", "1234567890123456", "对公")]


def test_amounts_and_identifiers_are_normalised():
    clean = validate(draft(lost="1.2万", pending="3634", phones="138-1234-5678\n+86 13812345678",
                           accounts=f"中国工商银行 {CARD[:4]} {CARD[4:]}", qq="12345678", wechat="Abc_123x"))
    assert (clean.lost_fen, clean.pending_fen) == (1_200_000, 363_400)
    assert ("phone", "13812345678", None) in clean.identifiers
    assert len([i for i in clean.identifiers if i[0] == "phone"]) == 1
    assert ("bank_account", CARD, "中国工商银行") in clean.identifiers


def test_same_form_saved_twice_is_one_call(desk):
    engine, actors, ids = desk
    clean = validate(draft(phones="13812345678"))
    first = submit_call(engine, actors["desk1"], clean)
    second = submit_call(engine, actors["desk1"], clean)
    assert not first.duplicate and second.duplicate and first.call_id == second.call_id
    with read_session(engine) as session:
        assert session.execute(select(func.count()).select_from(DeskCall)).scalar() == 1
        assert session.execute(select(Identifier.report_count)).scalar() == 1


def test_to_case_creates_a_linked_case_with_the_loss(desk):
    engine, actors, ids = desk
    clean = validate(draft(outcome=CallOutcome.TO_CASE, jurisdiction_unit_id=ids["station"], lost="12万",
                           fraud_type=FraudType.FAKE_AUTHORITY, accounts=CARD, narrative="安全账户"))
    result = submit_call(engine, actors["desk1"], clean)
    with read_session(engine) as session:
        case = session.get(FraudCase, result.case_id)
        call = session.get(DeskCall, result.call_id)
        link = session.execute(select(IdentifierLink)).scalar_one()
    assert (case.loss_fen, case.unit_id, case.fraud_type, case.source) == (12_000_000, ids["station"], "fake_authority", "call")
    assert call.case_id == case.id and result.case_no == case.case_no
    assert (link.call_id, link.case_id) == (call.id, case.id)  # one report, linked both ways


def test_only_desk_officers_log_calls_and_only_within_scope(desk):
    engine, actors, ids = desk
    with pytest.raises(AccessDenied):
        submit_call(engine, actors["clerk1"], validate(draft()))


def test_seen_before_and_hot_lead_after_three_reports(desk):
    engine, actors, ids = desk
    for i in range(3):
        submit_call(engine, actors["desk1"], validate(draft(phones="+86 138 0000 1111", jurisdiction_unit_id=ids["station"],
                                                            outcome=CallOutcome.TO_CASE if i == 2 else CallOutcome.LEAD_LOGGED,
                                                            lost="5000" if i == 2 else "")))
    with read_session(engine) as session:
        seen = seen_before(session, actors["desk1"], "phone", "13800001111")
        leads = hot_leads(session, actors["desk1"])
        found = search(session, actors["desk1"], "138-0000-1111")
    assert (seen.calls, seen.cases, seen.reports, seen.hot, seen.loss_fen) == (2, 1, 3, True, 500_000)
    assert seen.units == ["武安派出所"] and seen.first_seen <= seen.last_seen
    assert [(lead.value, lead.reports) for lead in leads] == [("13800001111", 3)]
    assert [f.value for f in found] == ["13800001111"]


def test_counters_and_today_list_are_masked(desk):
    engine, actors, ids = desk
    for outcome in (CallOutcome.DISSUADED, CallOutcome.DISSUADED, CallOutcome.LEAD_LOGGED):
        submit_call(engine, actors["desk1"], validate(draft(outcome=outcome, caller_phone="13912345678")))
    with read_session(engine) as session:
        total, per_officer = today_counters(session, actors["desk1"])
        rows = today_calls(session, actors["desk1"])
    assert (total.calls, total.dissuaded, total.leads, total.cases) == (3, 2, 1, 0)
    assert per_officer == [("desk1", total)]
    assert {r.caller_phone for r in rows} == {"139****5678"}


WRITERS, PER_WRITER = 20, 50


def test_twenty_officers_fifty_calls_each_exactly_once(concurrent_desk):
    engine, actors, ids = concurrent_desk
    errors: list[BaseException] = []
    drafts = [[validate(draft(phones=f"1380000{w:02d}{i % 5:02d}")) for i in range(PER_WRITER)] for w in range(WRITERS)]

    def officer(w: int) -> None:
        try:
            for clean in drafts[w]:
                submit_call(engine, actors["desk1"], clean)
                if w % 4 == 0:  # some officers double-click every time
                    assert submit_call(engine, actors["desk1"], clean).duplicate
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=officer, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM desk_call")).scalar() == WRITERS * PER_WRITER
        assert connection.execute(text("SELECT COUNT(DISTINCT idempotency_key) FROM desk_call")).scalar() == 1000
        assert connection.execute(text("SELECT SUM(report_count) FROM identifier")).scalar() == 1000


def test_times_entered_in_beijing_are_stored_as_utc_everywhere(desk):
    from services.desk.identifier_store import hot_leads as leads_of
    from services.shared.timeutil import SHANGHAI

    engine, actors, ids = desk
    received = datetime.now(SHANGHAI).replace(microsecond=0) - timedelta(minutes=5)
    for _ in range(3):
        submit_call(engine, actors["desk1"], validate(draft(received_at=received, phones="13700001234")))
    with read_session(engine) as session:
        lead = leads_of(session, actors["desk1"])[0]
        seen = seen_before(session, actors["desk1"], "phone", "13700001234")
    assert lead.last_seen == lead.first_seen == received.astimezone(UTC)
    assert seen.last_seen == received.astimezone(UTC)


def test_leads_cross_sibling_districts_but_their_loss_stays_in_scope(engine):
    """An identifier reported in two sibling districts: value, counts, dates and unit names cross; loss does not."""
    with write_session(engine) as session:
        city = add_unit(session, code="C", name="市局", kind="city_bureau", parent_code=None)
        units = {"city": city}
        for district, station in (("D1", "S1"), ("D2", "S2")):
            units[district] = add_unit(session, code=district, name=f"{district}分局", kind="district_bureau",
                                       parent_code="C")
            units[station] = add_unit(session, code=station, name=f"{station}派出所", kind="station",
                                      parent_code=district)
        for name, role, unit in (("desk1", Role.DESK, "city"), ("leader1", Role.LEADER, "D1"),
                                 ("leader2", Role.LEADER, "D2")):
            auth.create_user(session, None, username=name, display_name=name, role=role, unit_id=units[unit].id,
                             password="Strong#Pass9")
        ids = {code: unit.id for code, unit in units.items()}
    actors = {}
    for name in ("desk1", "leader1", "leader2"):
        with write_session(engine) as session:
            actors[name] = auth.authenticate(session, name, "Strong#Pass9", "127.0.0.1").actor
    for station, outcome, lost in (("S1", CallOutcome.TO_CASE, "5000"), ("S2", CallOutcome.TO_CASE, "80000"),
                                   ("S2", CallOutcome.LEAD_LOGGED, "")):
        submit_call(engine, actors["desk1"], validate(draft(phones="13800002222", jurisdiction_unit_id=ids[station],
                                                            outcome=outcome, lost=lost, narrative="受害人叙述")))
    with read_session(engine) as session:
        seen = {name: seen_before(session, actor, "phone", "13800002222") for name, actor in actors.items()}
        found = search(session, actors["leader1"], "138 0000 2222")
        leads = {name: hot_leads(session, actor) for name, actor in actors.items()}
    for item in seen.values():
        assert (item.value, item.calls, item.cases, item.hot) == ("13800002222", 1, 2, True)
        assert item.units == ["S1派出所", "S2派出所"] and item.first_seen <= item.last_seen
    assert (seen["leader1"].loss_fen, seen["leader1"].cases_outside) == (500_000, 1)
    assert (seen["leader2"].loss_fen, seen["leader2"].cases_outside) == (8_000_000, 1)
    assert (seen["desk1"].loss_fen, seen["desk1"].cases_outside) == (8_500_000, 0)
    assert found == [seen["leader1"]]
    assert all([(lead.value, lead.reports) for lead in found_leads] == [("13800002222", 3)]
               for found_leads in leads.values())
    assert not any("受害人叙述" in repr(value) for value in (*seen.values(), *found, *leads["leader1"]))


def test_a_caller_number_alone_is_refused_at_its_fields():
    with pytest.raises(InvalidInput) as refused:
        validate(draft(caller_phone="13912345678", call_type=None, outcome=None))
    assert set(refused.value.errors) == {"call_type", "narrative", "outcome"}


def test_a_story_without_a_chosen_outcome_is_logged_as_a_lead():
    clean = validate(draft(outcome=None, narrative="对方冒充客服，要我下载会议软件"))
    assert clean.draft.outcome is CallOutcome.LEAD_LOGGED
    assert validate(draft(outcome=CallOutcome.DISSUADED)).draft.outcome is CallOutcome.DISSUADED
