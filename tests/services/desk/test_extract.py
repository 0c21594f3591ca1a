"""Identifiers and amounts pulled from a caller's story, overlaps resolved, for one-click confirmation."""

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.cn import ric

from services.desk.extract import NOTE_LUHN, NOTE_SUSPICIOUS_PHONE, Extraction, Found, extract
from services.desk.identifiers import normalise_id_card
from vocabulary import IdentifierKind

ICBC_CARD = "6222021234567890128"  # Luhn-valid, 中国工商银行 BIN
assert luhn.is_valid(ICBC_CARD)


def _values(result: Extraction, kind: IdentifierKind) -> list[str]:
    return [found.value_norm for found in result.of_kind(kind)]


def _luhn_card(body: str) -> str:
    return body + luhn.calc_check_digit(body)


def test_a_full_story():
    text = ("报警人称：11月3日接到+86 138-1234-5678来电，对方自称北京市公安局警官，说我涉嫌洗钱，"
            "又用座机0596-2345678打来，让我下载了“安全会议”APP，打开网址www.abc-xyz.top/a登记，"
            "加了QQ号：12345678和微信号Lily_8899。被骗了12万元，转到6222 0212 3456 7890 128，"
            "对方还要我准备转八十万。")
    result = extract(text)
    assert _values(result, IdentifierKind.PHONE) == ["13812345678", "05962345678"]
    assert _values(result, IdentifierKind.APP) == ["安全会议"]
    assert _values(result, IdentifierKind.URL) == ["http://www.abc-xyz.top/a"]
    assert _values(result, IdentifierKind.QQ) == ["12345678"]
    assert _values(result, IdentifierKind.WECHAT) == ["lily_8899"]
    [card] = result.bank_accounts
    assert card.value_norm == ICBC_CARD and card.bank == "中国工商银行" and card.note is None
    assert card.raw == "6222 0212 3456 7890 128"
    assert [(a.raw, a.fen) for a in result.lost] == [("12万元", 12_000_000)]
    assert [(a.raw, a.fen) for a in result.pending] == [("八十万", 80_000_000)]
    assert result.other == []
    for found in result.identifiers:
        assert text[found.start:found.end] == found.raw


@pytest.mark.parametrize("written", ["13812345678", "138-1234-5678", "138 1234 5678", "+86 13812345678",
                                     "+86-138-1234-5678", "008613812345678", "86-138 1234 5678", "(+86)13812345678"])
def test_mobile_formats_in_text(written):
    result = extract(f"对方用{written}给我打电话")
    assert result.phones == [Found(IdentifierKind.PHONE, written, "13812345678", 3, 3 + len(written))]


@pytest.mark.parametrize("written", ["0596-2345678", "(0596)2345678", "+86 596 2345678", "0596 2345678"])
def test_landline_formats_in_text(written):
    assert _values(extract(f"座机{written}打来，说是电信局"), IdentifierKind.PHONE) == ["05962345678"]


def test_overseas_number_is_flagged():
    [phone] = extract("来电显示+855 12 345 678，说是公安局").phones
    assert phone.value_norm == "+85512345678"
    assert phone.note == NOTE_SUSPICIOUS_PHONE


def test_same_phone_written_twice_is_one_item():
    result = extract("先是13812345678打来，后来又用138-1234-5678发短信，还是+86 138 1234 5678")
    assert len(result.phones) == 1
    assert result.phones[0].raw == "13812345678"


def test_a_phone_inside_a_longer_digit_run_is_not_a_phone():
    result = extract("收款账号6213812345678901234，户名张三")
    assert result.phones == []
    assert _values(result, IdentifierKind.BANK_ACCOUNT) == ["6213812345678901234"]


@pytest.mark.parametrize("text, expected", [
    ("两个号码13812345678 13987654321", [("phone", "13812345678"), ("phone", "13987654321")]),
    ("电话130-0000-0000 6222 0200 0000 0007", [("phone", "13000000000"), ("bank_account", "6222020000000007")]),
    ("卡号6222 0200 0000 0007 130-0000-0000", [("bank_account", "6222020000000007"), ("phone", "13000000000")]),
    ("卡号6222 0200 0000 0007 6222 0200 0000 0015",
     [("bank_account", "6222020000000007"), ("bank_account", "6222020000000015")]),
    ("+86 138 1234 5678 6222 0200 0000 0007", [("phone", "13812345678"), ("bank_account", "6222020000000007")]),
    ("卡号6217 0098 1110 04", [("bank_account", "62170098111004")]),  # no Iranian 0098… inside the card
    ("座机0596 2345678 手机138 1234 5678", [("phone", "05962345678"), ("phone", "13812345678")]),
])
def test_runs_of_digit_groups_are_cut_into_the_right_identifiers(text, expected):
    assert [(f.kind.value, f.value_norm) for f in extract(text).identifiers] == expected


def test_an_id_number_is_not_a_bank_card():
    result = extract("对方要我报身份证号11010519491231002X和银行卡号" + ICBC_CARD)
    assert _values(result, IdentifierKind.ID_CARD) == ["11010519491231002X"]
    assert _values(result, IdentifierKind.BANK_ACCOUNT) == [ICBC_CARD]


def test_id_numbers_with_lower_case_x_or_spaces():
    body = "35060219900101123"
    valid = body + ric.calc_check_digit(body + "0")
    spaced = f"{valid[:6]} {valid[6:14]} {valid[14:]}"
    assert _values(extract(f"身份证{spaced.lower()}，"), IdentifierKind.ID_CARD) == [valid]


def test_an_18_digit_number_with_a_wrong_check_digit_is_an_account_not_an_id():
    body = "35060219900101123"
    wrong = body + ("0" if ric.calc_check_digit(body + "0") != "0" else "1")
    result = extract(f"号码{wrong}")
    assert result.id_cards == []
    assert _values(result, IdentifierKind.BANK_ACCOUNT) == [wrong]


@given(st.dates(date(1930, 1, 1), date(2020, 12, 31)), st.integers(0, 999), st.sampled_from("0123456789X"),
       st.sampled_from(["身份证", "身份证号", "身份证号码是", "身份证号：", "身份证 "]))
def test_a_number_named_as_an_id_is_never_offered_as_a_bank_account(born, serial, check, cue):
    """Whether its check digit is right (an ID lead) or mistyped (withheld: no lead, masked all the same): never a
    bank-account lead."""
    number = f"110105{born:%Y%m%d}{serial:03d}{check}"
    result = extract(f"对方让我报{cue}{number}，又让我转到卡号{ICBC_CARD}")
    assert _values(result, IdentifierKind.BANK_ACCOUNT) == [ICBC_CARD]
    valid = normalise_id_card(number) is not None
    assert _values(result, IdentifierKind.ID_CARD) == ([number] if valid else [])
    assert [f.value_norm for f in result.withheld] == ([] if valid else [number])  # masked in free text all the same


def test_failed_luhn_is_a_note_not_a_refusal():
    corporate = "3502123456789012345"
    assert not luhn.is_valid(corporate)
    [account] = extract(f"对公账户{corporate}，户名某某贸易有限公司").bank_accounts
    assert account.value_norm == corporate
    assert account.note == NOTE_LUHN
    assert account.bank is None


@pytest.mark.parametrize("bin_, bank", [("622202", "中国工商银行"), ("621700", "中国建设银行"), ("622848", "中国农业银行"),
                                        ("621661", "中国银行"), ("622588", "招商银行"), ("622909", "兴业银行")])
def test_bank_name_from_the_card_prefix(bin_, bank):
    card = _luhn_card(bin_ + "123456789")
    [account] = extract(f"转到卡号{card}").bank_accounts
    assert (account.bank, account.note) == (bank, None)


def test_qq_digits_are_qq_not_phone_or_account():
    result = extract("对方QQ是13812345678，另一个扣扣号 987654321，qq号：55667788")
    assert _values(result, IdentifierKind.QQ) == ["13812345678", "987654321", "55667788"]
    assert result.phones == []


def test_wechat_ids_after_their_cue_words():
    text = "加了微信号Lily_8899，又加了vx: abcd1234，wx：Zhang-San_01，他的微信是 hello_world"
    assert _values(extract(text), IdentifierKind.WECHAT) == ["lily_8899", "abcd1234", "zhang-san_01", "hello_world"]


def test_wechat_cue_followed_by_other_words_is_nothing():
    assert extract("用微信转账了3000元，微信支付").wechat == []


@pytest.mark.parametrize("text, expected", [
    ("对方发来网址www.abc-xyz.top/a，让我登录", "http://www.abc-xyz.top/a"),
    ("点开http://x.cn后输入了验证码", "http://x.cn"),
    ("链接是https://Pay.Example.com/login?id=88。", "https://pay.example.com/login?id=88"),
    ("登录abc123.vip/#/home就能提现", "http://abc123.vip#/home"),
])
def test_urls_with_or_without_scheme(text, expected):
    assert _values(extract(text), IdentifierKind.URL) == [expected]


def test_digits_inside_a_url_are_not_phones():
    result = extract("网址http://pay.abc.top/u/13812345678")
    assert result.phones == []
    assert _values(result, IdentifierKind.URL) == ["http://pay.abc.top/u/13812345678"]


def test_email_address_is_not_a_url():
    assert extract("对方邮箱abc@qq.com").urls == []


@pytest.mark.parametrize("text, app", [
    ("让我下载了“安全会议”APP", "安全会议"),
    ("安装了《币安理财Pro》软件", "币安理财Pro"),
    ("下载一个叫“云上会议”的app", "云上会议"),
    ("对方发来“星链投资”APP的二维码", "星链投资"),
    ("APP“众赢金融”显示有收益", "众赢金融"),
    ("下载了安全会议APP", "安全会议"),
    ("已下载过国家反诈APP", "国家反诈"),
    ("下载一个名叫太爱速M后改名巅峰小店的app", "巅峰小店"),
    ("下载了一款APPZoom的APP并在APP内", "Zoom"),
    ("下载了一个APP叫E奇端刷单app平台", "E奇端"),
    ("对方给我发了一条下载悦爱约炮软件的链接", "悦爱"),
    ("请按链接下载“乐播投屏 APP”", "乐播投屏"),
    ("下载了“Teams”语音通话APP", "Teams"),
    ("下载“Xbox”APP", "Xbox"),
])
def test_app_names(text, app):
    assert _values(extract(text), IdentifierKind.APP) == [app]


def test_quoted_words_that_are_not_apps():
    assert extract("他说“你涉嫌洗钱”，还说“不要告诉家人”").apps == []


@given(verb=st.sampled_from(["下载", "安装了", "下载一个名为"]),
       generic=st.lists(st.sampled_from(["安全防护", "理赔", "会议", "官方", "贷款", "屏幕共享", "视频会议", "指定"]),
                        min_size=1, max_size=2).map("".join),
       inside=st.sampled_from(["", "APP", " APP", "软件"]), after=st.sampled_from(["APP", "软件", "这个软件", "的app"]))
def test_generic_words_in_quotes_are_no_app(verb, generic, inside, after):
    """“安全防护”这个软件, “理赔 APP”: quotes make no app name of words that name none."""
    assert extract(f"对方让我{verb}“{generic}{inside}”{after}").apps == []


@pytest.mark.parametrize("masked", ["XX 会议", "腾 X 会议", "微*", "**资本", "云**", "银行*会议", "某X理财", "×× 金融"])
def test_a_name_masked_by_a_report_is_no_app(masked):
    """News reports mask the apps they name: nothing an officer could look up."""
    assert extract(f"民警发现其下载了“{masked}”APP并转账").apps == []


@pytest.mark.parametrize("text, lost, pending, other", [
    ("被骗了12万元", ["12万元"], [], []),
    ("已经转了3634元，还要转5万", ["3634元"], ["5万"], []),
    ("准备转八十万，说一点二万元是手续费", [], ["八十万"], ["一点二万元"]),
    ("被骗了，一共12万元", ["12万元"], [], []),
    ("被骗了3万、5万和2万", ["3万", "5万", "2万"], [], []),
    ("对方承诺日赚500元", [], [], ["500元"]),
    ("汇了两万三。对方又说需要交5万保证金", ["两万三"], ["5万"], []),
    ("损失人民币5000元", ["人民币5000元"], [], []),
])
def test_amount_roles(text, lost, pending, other):
    result = extract(text)
    assert [a.raw for a in result.lost] == lost
    assert [a.raw for a in result.pending] == pending
    assert [a.raw for a in result.other] == other
    assert [a.raw for _, a in result.amounts()] == sorted(lost + pending + other, key=text.index)


def test_nothing_in_an_ordinary_sentence():
    result = extract("来电人咨询最近是不是有冒充客服的诈骗，她没有转账。")
    assert result.identifiers == [] and result.amounts() == []


def test_full_width_digits_are_read_and_the_raw_text_kept():
    [phone] = extract("电话１３８１２３４５６７８").phones
    assert phone.value_norm == "13812345678"
    assert phone.raw == "１３８１２３４５６７８"


_cjk = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), max_size=30)
_card_bodies = st.builds(lambda bin_, rest: bin_ + rest,
                         st.sampled_from(["622202", "621700", "622848", "621661", "622588", "622909", "623456"]),
                         st.integers(min_value=9, max_value=12).flatmap(lambda n: st.text("0123456789", min_size=n,
                                                                                          max_size=n)))


@given(_cjk, _card_bodies, _cjk, st.sampled_from(["", " ", "-"]))
def test_any_luhn_valid_card_in_chinese_text_is_found(before, body, after, separator):
    card = _luhn_card(body)
    assume(normalise_id_card(card) is None)
    written = separator.join(card[i:i + 4] for i in range(0, len(card), 4)) if separator else card
    result = extract(f"{before}{written}{after}")
    accounts = result.bank_accounts
    assert [a.value_norm for a in accounts] == [card]
    assert accounts[0].note is None
    assert result.phones == [] and result.id_cards == []


@given(_cjk, st.sampled_from(["130", "138", "159", "186", "199"]), st.text("0123456789", min_size=8, max_size=8),
       _cjk)
def test_any_mobile_in_chinese_text_is_found(before, prefix, rest, after):
    number = prefix + rest
    written = f"{number[:3]}-{number[3:7]}-{number[7:]}"
    assert _values(extract(f"{before}{written}{after}"), IdentifierKind.PHONE) == [number]


@given(st.text(max_size=200))
def test_extract_never_fails_and_spans_match(text):
    result = extract(text)
    for found in result.identifiers:
        assert text[found.start:found.end] == found.raw
    for _, amount in result.amounts():
        assert text[amount.start:amount.end] == amount.raw
    keys = [(f.kind, f.value_norm) for f in result.identifiers]
    assert len(keys) == len(set(keys))


_MOBILE_STYLES = (lambda n: n, lambda n: f"{n[:3]}-{n[3:7]}-{n[7:]}", lambda n: f"{n[:3]} {n[3:7]} {n[7:]}",
                  lambda n: f"+86 {n}", lambda n: f"(+86){n}")
_CARD_STYLES = (lambda c: c, lambda c: " ".join(c[i:i + 4] for i in range(0, len(c), 4)))
_items = st.one_of(
    st.tuples(st.sampled_from(["130", "138", "159", "186", "199"]), st.text("0123456789", min_size=8, max_size=8),
              st.sampled_from(_MOBILE_STYLES)).map(lambda t: ("phone", t[0] + t[1], t[2](t[0] + t[1]))),
    st.tuples(_card_bodies.map(_luhn_card), st.sampled_from(_CARD_STYLES)).map(
        lambda t: ("bank_account", t[0], t[1](t[0]))),
    st.from_regex(r"[1-9][0-9]{4,10}", fullmatch=True).map(lambda q: ("qq", q, f"QQ号{q}")),
)


@given(st.lists(_items, min_size=1, max_size=4, unique_by=lambda item: item[1]),
       st.sampled_from(["，", "和", " ", "、", "，卡号", "\n"]))
def test_several_identifiers_in_one_story_are_all_found(items, separator):
    assume(all(kind != "bank_account" or normalise_id_card(value) is None for kind, value, _ in items))
    text = "来电人称" + separator.join(written for _, _, written in items) + "。"
    found = sorted((f.kind.value, f.value_norm) for f in extract(text).identifiers)
    assert found == sorted((kind, value) for kind, value, _ in items)


GENERIC_APP_PHRASES = ["会议", "我们", "官方", "贷款", "刷单", "一个", "一款", "安全防护", "屏幕共享", "指定", "视频会议",
                       "官方贷款", "他们指定的会议", "我们的刷单"]


@pytest.mark.parametrize("text", ["让我下载会议软件，说要开个会", "下载了一个屏幕共享APP", "让我安装安全防护软件",
                                  "叫我下载他们指定的会议软件", "注册了官方贷款APP", "叫我下载另一聊天软件APP",
                                  "让我下载工作APP", "通过链接下载阶梯宝及聊天软件联系客服",
                                  # words of the story, not names (case records, issue 16)
                                  "信以为真下载之后按照APP内客服指示", "让报警人下载了上述app后", "其注册并登陆APP内",
                                  "未下载涉诈APP未登陆涉诈网址", "安装了会汇和安全防护两个app", "下载网址APP远程操作",
                                  "下载对方提供的APP链接", "下载好之后进去APP里面", "下载一个叫的APP软件已删除",
                                  "注册了报案人的个人信息软件", "下载用于炒股的APP", "下载X世界虚假博彩软件",
                                  "就可以破解手机直接下载外国的软件", "是一个叫浏览器APP"])
def test_generic_words_before_app_are_not_app_names(text):
    assert extract(text).apps == []


@given(verb=st.sampled_from(["下载", "安装", "注册", "下载了", "让我下载"]),
       filler=st.sampled_from(["", "一个", "一款", "了一个"]),
       generic=st.lists(st.sampled_from(GENERIC_APP_PHRASES), min_size=1, max_size=3).map("".join),
       app_word=st.sampled_from(["APP", "app", "软件", "客户端"]))
def test_no_run_of_generic_words_is_an_app(verb, filler, generic, app_word):
    assert extract(f"对方{verb}{filler}{generic}{app_word}").apps == []


@given(name=st.sampled_from(["安全会议", "星链投资", "众赢金融", "腾讯会议", "向日葵"]),
       verb=st.sampled_from(["下载", "安装了", "让我下载一个"]), app_word=st.sampled_from(["APP", "软件"]))
def test_proper_and_known_names_before_app_are_kept(name, verb, app_word):
    assert _values(extract(f"{verb}{name}{app_word}"), IdentifierKind.APP) == [name]


@pytest.mark.parametrize("text, app", [("用腾讯会议共享屏幕给他看", "腾讯会议"), ("装了ToDesk让对方操作", "ToDesk"),
                                       ("下载了腾讯会议软件", "腾讯会议")])
def test_known_apps_are_named_without_quotes(text, app):
    assert _values(extract(text), IdentifierKind.APP) == [app]
