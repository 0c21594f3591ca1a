"""专项行动 · 进展报送 page: who reported, who is late with the 联络员 to call, a clerk submits the period."""

PAGE = "views/campaign_reports.py"


def _errors(at) -> str:
    return " ".join(e.value for e in at.error)


def test_reports_list_who_is_late_with_the_liaison_and_a_clerk_can_submit(app_as):
    at = app_as("changtai", PAGE)
    assert any(s.value == "进展报送（每月10日、25日）" for s in at.subheader)
    board = next(d.value for d in at.dataframe if "报送情况" in d.value.columns)
    assert set(board["报送情况"]) <= {"按时报送", "逾期报送", "逾期未报", "今日应报", "未到报送日"}
    assert "联络员" in board.columns and any("逾期未报" in w.value for w in at.warning)
    clerk = app_as("clerk_wuan", PAGE)
    for name, value in (("methods", "集中宣传"), ("channels", "横幅、折页"), ("process", "进校园讲座"),
                        ("scope", "辖区学校")):
        clerk.text_area(key=f"camp_report_{name}").input(value)
    clerk.button(key="FormSubmitter:camp_report-提交报送").click().run()
    assert not clerk.exception and any("已提交" in s.value for s in clerk.success)
    assert clerk.button(key=next(b.key for b in clerk.button if b.key and b.key.startswith("camp_report_prepare_")))


def _download(at, label: str):
    return next(b for b in at.get("download_button") if b.proto.label == label)


def test_a_leader_builds_the_rollup_and_sees_the_ranking_with_chinese_columns(app_as):
    at = app_as("leader", PAGE)
    assert any(s.value == "汇总报告" for s in at.subheader) and any(s.value == "月度排名通报" for s in at.subheader)
    ranking = next(d.value for d in at.dataframe if "综合得分（分）" in d.value.columns)
    assert {"名次", "单位", "每万人发案（起/万人）", "发案同比（%）", "损失金额（万元）", "返还金额（万元）",
            "目标达标率（%）", "逾期问责事项（件）", "迟报漏报（期）"} <= set(ranking.columns)
    assert len(ranking) == 11 and list(ranking["名次"]) == sorted(ranking["名次"])
    assert ranking["迟报漏报（期）"].sum() > 0  # the demo has late and missing reports
    build = next(b for b in at.button if b.key and b.key.startswith("camp_rollup_") and "_build_" in b.key)
    build.click().run()
    assert not at.exception
    assert any("汇总报告：已报送" in s.value for s in at.success)
    assert _download(at, "下载汇总报告 Word（DOCX）") and _download(at, "下载汇总报告 Excel（XLSX）")
    at.button(key=next(b.key for b in at.button if b.key and b.key.endswith("_build") and "rank_doc" in b.key)).click()
    at.run()
    assert not at.exception and _download(at, "下载排名通报 Word（DOCX）")


def test_leader_weights_are_checked_and_saved(app_as):
    at = app_as("leader", PAGE)
    key = next(n.key for n in at.number_input if n.key and n.key.endswith("_rate"))
    form = key.removesuffix("_rate")
    for number in at.number_input:
        if number.key and number.key.startswith(form):
            number.set_value(0)
    at.button(key=f"FormSubmitter:{form}-保存权重").click().run()
    assert any("权重不能全部为0" in e.value for e in at.error)
    at.number_input(key=key).set_value(40)
    at.button(key=f"FormSubmitter:{form}-保存权重").click().run()
    assert any("已保存" in s.value for s in at.success)
    assert at.number_input(key=key).value == 40


def test_a_clerk_sees_neither_the_rollup_nor_the_ranking(app_as):
    at = app_as("clerk_wuan", PAGE)
    titles = {s.value for s in at.subheader}
    assert "汇总报告" not in titles and "月度排名通报" not in titles
