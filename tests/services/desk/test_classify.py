"""Fraud-type proposals from the cue lexicon, with the cue words that led to them."""

import os
import tomllib

import pytest

from services.desk import classify
from services.desk.classify import DEFAULT_CUES_FILE, Suggestion, load_lexicon, suggest_fraud_type
from vocabulary import FraudType

F = FraudType

# (story, expected top type, a cue that must be named as a reason)
NARRATIVES = [
    ("对方自称是北京市公安局的，说我涉嫌洗钱，让我把钱转到安全账户", F.FAKE_AUTHORITY, "安全账户"),
    ("在网上做刷单兼职，先垫付了3634元", F.REBATE, "刷单"),
    ("朋友圈看到招打字员，在家动动手指日结，做任务先垫付，后来说卡单了要再做三单才能提现", F.REBATE, "打字员"),
    ("接到自称京东客服的电话，说我开通了京东金条会影响征信，要注销，让我转了5万到指定账户", F.CREDIT_RECORD, "影响征信"),
    ("对方说我大学时注册了校园贷，现在要注销校园贷，不然影响征信", F.CREDIT_RECORD, "注销校园贷"),
    ("来电人说快递丢了，对方自称快递客服要给三倍赔偿，让我开屏幕共享", F.FAKE_CUSTOMER_SERVICE, "三倍赔偿"),
    ("对方说是淘宝客服，说我买的商品有质量问题要退款，又说要关闭百万保障不然每月扣费", F.FAKE_CUSTOMER_SERVICE,
     "关闭百万保障"),
    ("在抖音看到贷款广告，无抵押低息，申请后说我银行卡号填错了账户被冻结，要交解冻费才能放款", F.LOAN_CARD, "解冻费"),
    ("在闲鱼上买二手手机，对方让我私下转账，付款后就把我拉黑了，也没发货", F.SHOPPING_SERVICE, "二手"),
    ("在网上看到低价卖车的广告，交了定金就联系不上了", F.SHOPPING_SERVICE, "低价卖车"),
    ("QQ上有人冒充我们公司老板，让我这个财务紧急给客户转账30万", F.FAKE_ACQUAINTANCE, "老板"),
    ("有个老同学加我微信，说换号了，有急事找我借钱", F.FAKE_ACQUAINTANCE, "老同学"),
    ("有人冒充我儿子的班主任在家长群里收资料费", F.FAKE_ACQUAINTANCE, "家长群"),
    ("孩子在玩王者荣耀，有人说可以低价卖游戏账号和皮肤，充值了好几次点券", F.GAME_TRADE, "游戏账号"),
    ("对方视频裸聊时录屏，说不给钱就把不雅视频发给通讯录里的亲友", F.NET_BLACKMAIL, "裸聊"),
    ("自称部队的军官说要采购一批物资，让我先垫资联系指定供应商", F.FAKE_MILITARY_PURCHASE, "部队"),
    ("被拉进一个炒股群，导师带单，先小赚了一点，后来投了八十万提不出来", F.INVESTMENT, "炒股"),
    ("对方说我的医保卡涉嫌违规，把电话转到公安局，警官说要资金清查", F.FAKE_AUTHORITY, "资金清查"),
    ("对方说我的电话欠费了，转接到公安，说我涉嫌案件", F.FAKE_AUTHORITY, "电话欠费"),
    ("收到短信说我中奖了，领奖要先交个人所得税", F.OTHER, "中奖"),
    ("有人打电话说我儿子被绑架了，要赎金", F.OTHER, "绑架"),
    ("对方冒充亲友说出车祸住院了，急需手术费", F.FAKE_ACQUAINTANCE, "冒充亲友"),
    ("微信上认识一个网友，聊了几个月网恋，他说要结婚需要彩礼", F.ROMANCE, "网恋"),
]


@pytest.mark.parametrize("text, expected, cue", NARRATIVES)
def test_narratives_get_the_right_type_and_reason(text, expected, cue):
    suggestions = suggest_fraud_type(text)
    assert suggestions[0].fraud_type is expected
    assert cue in suggestions[0].cues


@pytest.mark.parametrize("text", [
    "网上认识的男朋友带我投资虚拟币，被骗了12万元",
    "在婚恋网站认识一个对象，聊了两个月，他说有内幕消息让我在一个平台投资，现在提不出来",
    "对方是我在交友软件上认识的，带我炒币，说是稳赚不赔",
])
def test_pig_butchering_is_investment_or_romance_in_the_top_two(text):
    top_two = {s.fraud_type for s in suggest_fraud_type(text)[:2]}
    assert top_two == {F.INVESTMENT, F.ROMANCE}


def test_sha_zhu_pan_slang_points_to_investment_then_romance():
    suggestions = suggest_fraud_type("我怀疑自己遇到了杀猪盘")
    assert [(s.fraud_type, s.cues) for s in suggestions] == [(F.INVESTMENT, ["杀猪盘"]), (F.ROMANCE, ["杀猪盘"])]
    assert suggestions[0].score == pytest.approx(0.6)
    assert suggestions[1].score == pytest.approx(0.4)


def test_explanation_names_the_cue_and_the_type():
    [suggestion] = suggest_fraud_type("让我转到安全账户")
    assert suggestion.explanation() == "安全账户 → 冒充公检法及政府机关类"
    assert suggestion.label == FraudType(F.FAKE_AUTHORITY).label


def test_nothing_matches_gives_an_empty_list():
    assert suggest_fraud_type("") == []
    assert suggest_fraud_type("今天天气不错，我们去公园散步") == []
    assert suggest_fraud_type("来电人询问最近的诈骗手法") == []


def test_a_weak_cue_gives_a_weak_suggestion():
    assert suggest_fraud_type("来电人询问派出所几点下班") == [Suggestion(F.FAKE_AUTHORITY, 0.3, ["派出所"])]


@pytest.mark.parametrize("text, absent", [
    ("不是刷单", F.REBATE),
    ("我没有贷款", F.LOAN_CARD),
    ("她说自己没有网恋", F.ROMANCE),
    ("并非快递理赔", F.FAKE_CUSTOMER_SERVICE),
    ("我从没炒股", F.INVESTMENT),
])
def test_negated_cues_do_not_count(text, absent):
    assert absent not in {s.fraud_type for s in suggest_fraud_type(text)}


def test_a_cue_counts_when_mentioned_again_without_negation():
    suggestions = suggest_fraud_type("一开始说不是刷单，后来还是让我刷单")
    assert suggestions[0].fraud_type is F.REBATE
    assert suggestions[0].cues == ["刷单"]


def test_repeated_cue_counts_once():
    once = suggest_fraud_type("刷单")[0].score
    assert suggest_fraud_type("刷单刷单刷单，还是刷单")[0].score == once


def test_longest_cue_wins_at_a_position():
    [suggestion] = suggest_fraud_type("他让我注销校园贷")
    assert suggestion.cues == ["注销校园贷"]


def test_latin_cues_are_case_insensitive():
    assert suggest_fraud_type("让我买usdt")[0].fraud_type is F.INVESTMENT


def test_cues_are_ranked_by_weight():
    [suggestion] = suggest_fraud_type("做兼职，要先垫付，说是刷单")
    assert suggestion.cues == ["刷单", "垫付", "兼职"]


def test_ties_prefer_the_more_common_type():
    suggestions = suggest_fraud_type("兼职，贷款")  # rebate 0.6 vs loan_card 0.8
    assert suggestions[0].fraud_type is F.LOAN_CARD
    tie = suggest_fraud_type("返利，征信")  # 0.6 each; rebate is the commoner type
    assert [s.fraud_type for s in tie] == [F.REBATE, F.CREDIT_RECORD]


def test_every_fraud_type_has_cues_and_every_section_is_a_type():
    with DEFAULT_CUES_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    assert set(data) == {t.value for t in FraudType}
    for cues in data.values():
        assert cues and all(0 < weight <= 1 for weight in cues.values())


def test_slang_from_the_domain_brief_is_in_the_lexicon():
    lexicon = load_lexicon()
    expected = {
        "杀猪盘": {F.INVESTMENT, F.ROMANCE}, "刷单": {F.REBATE}, "打字员": {F.REBATE}, "安全账户": {F.FAKE_AUTHORITY},
        "注销校园贷": {F.CREDIT_RECORD}, "影响征信": {F.CREDIT_RECORD}, "快递理赔": {F.FAKE_CUSTOMER_SERVICE},
        "退款": {F.FAKE_CUSTOMER_SERVICE}, "解冻费": {F.LOAN_CARD}, "虚拟币": {F.INVESTMENT}, "网恋": {F.ROMANCE},
        "皮肤": {F.GAME_TRADE}, "老同学": {F.FAKE_ACQUAINTANCE}, "部队": {F.FAKE_MILITARY_PURCHASE},
        "代购": {F.SHOPPING_SERVICE}, "中奖": {F.OTHER},
    }
    for cue, types in expected.items():
        assert set(lexicon.weights[cue]) == types, cue


def test_user_cue_file_is_merged(tmp_path, monkeypatch):
    extra = tmp_path / "cues.toml"
    extra.write_text('[rebate]\n"跑分" = 0.9\n"兼职" = 0\n\n[investment]\n"刷单" = 0.2\n', encoding="utf-8")
    monkeypatch.setenv(classify.CUES_FILE_VARIABLE, str(extra))
    lexicon = load_lexicon()
    assert lexicon.weights["跑分"] == {F.REBATE: 0.9}
    assert "兼职" not in lexicon.weights  # weight 0 switches a built-in cue off
    assert lexicon.weights["刷单"] == {F.REBATE: 1.0, F.INVESTMENT: 0.2}
    assert suggest_fraud_type("帮人跑分赚钱")[0].fraud_type is F.REBATE
    assert suggest_fraud_type("找了个兼职") == []


def test_user_cue_file_changes_are_picked_up(tmp_path, monkeypatch):
    extra = tmp_path / "cues.toml"
    extra.write_text('[other]\n"甲乙丙" = 0.5\n', encoding="utf-8")
    monkeypatch.setenv(classify.CUES_FILE_VARIABLE, str(extra))
    assert suggest_fraud_type("甲乙丙")[0].score == 0.5
    extra.write_text('[other]\n"甲乙丙" = 0.7\n', encoding="utf-8")
    stat = extra.stat()
    os.utime(extra, (stat.st_atime, stat.st_mtime + 5))
    assert suggest_fraud_type("甲乙丙")[0].score == 0.7


def test_a_broken_user_file_is_ignored_with_a_warning(tmp_path, monkeypatch, caplog):
    extra = tmp_path / "cues.toml"
    extra.write_text('[no_such_type]\n"词" = 1\n', encoding="utf-8")
    monkeypatch.setenv(classify.CUES_FILE_VARIABLE, str(extra))
    assert suggest_fraud_type("安全账户")[0].fraud_type is F.FAKE_AUTHORITY
    assert "no_such_type" in caplog.text
    monkeypatch.setenv(classify.CUES_FILE_VARIABLE, str(tmp_path / "missing.toml"))
    assert suggest_fraud_type("安全账户")[0].fraud_type is F.FAKE_AUTHORITY


def test_an_explicit_lexicon_path(tmp_path, monkeypatch):
    monkeypatch.delenv(classify.CUES_FILE_VARIABLE, raising=False)
    path = tmp_path / "own.toml"
    path.write_text('[game_trade]\n"开黑" = 1\n', encoding="utf-8")
    lexicon = load_lexicon(path)
    assert suggest_fraud_type("一起开黑", lexicon) == [Suggestion(F.GAME_TRADE, 1.0, ["开黑"])]
    assert suggest_fraud_type("安全账户", lexicon) == []


def test_an_invalid_lexicon_file_is_refused_in_chinese(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[rebate]\n"刷单" = "很高"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="权重应为数字"):
        load_lexicon(path)
