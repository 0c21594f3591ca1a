"""Accountability panels drawn in isolation (AppTest.from_function) from plain read models, no database."""

from streamlit.testing.v1 import AppTest

from components.plain import escape_markdown

TYPED = "**bold** ![x](http://203.0.113.7/t.png) :red[x]"


def _item_app():
    from datetime import UTC, date, datetime

    from components.accountability_panels import history_table, item_header
    from services.accountability.read import CaseFacts, EventRow, ItemDetail, ItemFacts
    from services.accountability.rules import RuleVersionRow
    from vocabulary import ItemAction

    typed = "**bold** ![x](http://203.0.113.7/t.png) :red[x]"
    at = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    item = ItemFacts(id=7, level="l100w", status="closed", escalated_from_level=None, required_action=typed,
                     responsible=typed, due_date=date(2026, 3, 8), needs_review=True, needs_review_reason=typed,
                     explanation=typed, prevention_review=typed, review_note=typed, decision="admonish",
                     decision_note=typed)
    rule = RuleVersionRow("l100w", 100_000_000, "说明", "所长", 7, date(2026, 1, 1), False, "admin", at, "初版")
    detail = ItemDetail(item=item, case=CaseFacts(1, typed, 150_000_000, "investment", at), unit_name=typed,
                        rule=rule, days_overdue=0, events=[EventRow(at, "clerk", "submitted", "pending",
                                                                    "submitted", typed)],
                        attachments=[], steps={ItemAction.SUBMITTED}, prevention=None)
    item_header(detail)
    history_table(detail.events)


def test_typed_text_is_shown_literally_never_as_markdown():
    at = AppTest.from_function(_item_app).run()
    assert not at.exception, at.exception
    texts = [t.value for t in at.text]
    for shown in ("情况说明", "倒查", "审核意见"):
        assert any(shown in m.value for m in at.markdown), shown
    assert texts.count(TYPED) == 4  # explanation, 倒查, review note, decision note: exactly as typed
    assert any(t.endswith(f"：{TYPED}") for t in texts)  # unit, requirement and responsible as plain lines
    # Where a label or heading is Markdown, what the user typed in it is escaped: no image, link, colour or bold.
    rendered = [m.value for m in at.markdown] + [h.value for h in at.subheader] + [w.value for w in at.warning]
    assert all("![x](" not in r and ":red[x]" not in r and "**bold**" not in r for r in rendered)
    assert any(escape_markdown(TYPED) in r for r in rendered)
    assert list(at.dataframe[0].value["说明"]) == [TYPED]


def test_escaped_markdown_keeps_the_text_and_chinese_intact():
    assert escape_markdown("武安派出所") == "武安派出所"
    assert escape_markdown("a*b_[c](d)") == r"a\*b\_\[c\]\(d\)"
    assert escape_markdown(":red[x] $x$ <b>") == r"\:red\[x\] \$x\$ \<b\>"


def _rules_app():
    from datetime import UTC, date, datetime

    import streamlit as st

    from components.accountability_panels import rules_frame
    from services.accountability.rules import RuleVersionRow

    row = RuleVersionRow("l10w", 10_000_000, "书面说明", "所长", 7, date(2026, 1, 1), True, "admin",
                         datetime(2025, 12, 30, 1, 0, tzinfo=UTC), "调整")
    st.dataframe(rules_frame([row], with_history=True))


def test_rules_frame_reads_rule_versions():
    at = AppTest.from_function(_rules_app).run()
    assert not at.exception, at.exception
    frame = at.dataframe[0].value
    assert list(frame.iloc[0])[:6] == ["10万元以上", 10.0, "书面说明", "所长", 7, "2026-01-01"]
