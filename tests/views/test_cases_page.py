"""案件登记 through the whole app (AppTest): a case by link, edits kept as revisions, reasons, registering by hand."""

from sqlalchemy import text

from db.engine import make_engine


def _one(url: str, sql: str, **params):
    with make_engine(url).connect() as connection:
        return connection.execute(text(sql), params).first()


def _wuan_case(url: str, min_loss: int = 200_000, max_loss: int = 5_000_000):
    """A 武安派出所 case of the demo well below 10万, so edits raise no accountability item by accident."""
    return _one(url, "SELECT c.id, c.loss_fen, c.case_no FROM fraud_case c JOIN unit u ON u.id = c.unit_id "
                     "WHERE u.code = '350605100' AND c.loss_fen BETWEEN :low AND :high "
                     "AND c.recovered_fen = 0 ORDER BY c.id LIMIT 1", low=min_loss, high=max_loss)


def _submit(at, key: str):
    return next(b for b in at.button if b.key and b.key.startswith(f"FormSubmitter:{key}")).click().run()


def test_a_case_in_the_link_opens_with_its_history(app_as, demo_db_url):
    case_id, _, case_no = _wuan_case(demo_db_url)
    at = app_as("clerk_wuan", "views/cases.py", case=str(case_id))
    assert any(case_no in t.value for t in at.text)
    assert any(s.value == "修改记录" for s in at.subheader)


def test_lowering_a_loss_without_a_reason_is_refused_at_the_field(app_as, demo_db_url):
    case_id, loss, _ = _wuan_case(demo_db_url)
    at = app_as("clerk_wuan", "views/cases.py", case=str(case_id))
    key = f"case_edit_{case_id}"
    at.text_input(key=f"{key}_loss").input(str((loss - 100) / 100))
    at = _submit(at, key)
    assert any("须填写理由" in e.value for e in at.error)
    assert _one(demo_db_url, "SELECT loss_fen FROM fraud_case WHERE id = :id", id=case_id)[0] == loss


def test_an_edit_with_a_reason_is_saved_and_listed(app_as, demo_db_url):
    case_id, loss, _ = _wuan_case(demo_db_url, 5_000_001, 9_000_000)
    at = app_as("clerk_wuan", "views/cases.py", case=str(case_id))
    key = f"case_edit_{case_id}"
    at.text_input(key=f"{key}_loss").input(f"{(loss - 100) / 100:.2f}")
    at.text_area(key=f"{key}_reason").input("受害人核对后更正损失")
    at = _submit(at, key)
    assert not at.error, [e.value for e in at.error]
    assert any("已保存：损失金额" in s.value for s in at.success)
    assert _one(demo_db_url, "SELECT loss_fen FROM fraud_case WHERE id = :id", id=case_id)[0] == loss - 100
    revision = _one(demo_db_url, "SELECT username, reason FROM case_revision WHERE case_id = :id", id=case_id)
    assert tuple(revision) == ("clerk_wuan", "受害人核对后更正损失")
    history = at.table[-1].value
    assert "受害人核对后更正损失" in history.to_string()


def test_the_desk_reads_cases_but_has_no_edit_form(app_as, demo_db_url):
    case_id, _, _ = _wuan_case(demo_db_url)
    at = app_as("desk", "views/cases.py", case=str(case_id))
    assert not [b for b in at.button if b.key and b.key.startswith("FormSubmitter:case_edit")]


def test_a_case_outside_the_scope_is_refused_by_link(app_as, demo_db_url):
    case_id, _, _ = _wuan_case(demo_db_url)
    at = app_as("clerk_yanxi", "views/cases.py", case=str(case_id))
    assert any("不在您的管辖范围内" in e.value for e in at.error)
    assert not [b for b in at.button if b.key and b.key.startswith("FormSubmitter:case_edit")]


def test_registering_a_case_by_hand(app_as, demo_db_url):
    at = app_as("clerk_wuan", "views/cases.py")
    at.text_input(key="case_new_no").input("ZT-TEST-0001")
    unit_id = _one(demo_db_url, "SELECT id FROM unit WHERE code = '350605100'")[0]
    at.selectbox(key="case_new_unit").select(unit_id)
    at.text_input(key="case_new_loss").input("2.5万")
    at = _submit(at, "case_new")
    assert any("已登记案件 ZT-TEST-0001" in s.value for s in at.success), [e.value for e in at.error]
    row = _one(demo_db_url, "SELECT loss_fen, source FROM fraud_case WHERE case_no = 'ZT-TEST-0001'")
    assert tuple(row) == (2_500_000, "manual")
