"""问责预警 with campaign items: the 来源 filter in the URL, 事由 in the list, an item without a case opens with its
campaign and reason and offers the explanation form without the 倒查."""

from sqlalchemy import select

from db.engine import make_engine, read_session
from db.models import AccountabilityItem
from services.accountability import text as t

PAGE = "views/accountability.py"


def _campaign_item(url: str) -> AccountabilityItem:
    engine = make_engine(url)
    with read_session(engine) as session:
        item = session.execute(select(AccountabilityItem).where(AccountabilityItem.trigger_key.like("missed:%"))
                               .order_by(AccountabilityItem.id)).scalars().first()
    engine.dispose()
    return item


def test_the_source_filter_lists_campaign_items_with_their_reason(app_as):
    at = app_as("leader", PAGE, src="campaign")
    frame = at.dataframe[1].value  # the by-unit table first, then the items
    assert set(frame[t.ACC_ITEM_COLUMNS["source"]]) == {"专项行动"}
    assert frame[t.ACC_ITEM_COLUMNS["case_no"]].str.contains("未报送|进度落后").all()
    assert set(frame[t.ACC_ITEM_COLUMNS["level"]]) <= {"打招呼", "谈话", "告诫"}
    units = at.dataframe[0].value
    assert units[t.ACC_UNIT_COLUMNS["open_campaign"]].sum() > 0


def test_a_campaign_item_opens_with_its_campaign_and_reason(app_as, demo_db_url):
    item = _campaign_item(demo_db_url)
    at = app_as("leader", PAGE, item=str(item.id))
    assert any("专项行动" in s.value for s in at.subheader)
    texts = " ".join(x.value for x in at.text)
    assert item.reason in texts and "事由" in texts
    assert not any("倒查参考" in m.value for m in at.markdown)
