"""The type proposal and APP extraction measured on the held-out split of tests/data/narratives (scripts/eval_narratives.py).

Uses the committed weights (services/desk/type_model.json, trained on the training split only). The held-out split has
1,295 texts: 663 fraud texts in three forms (494 police records, 118 news reports and court findings, 51 scam
conversations) and 632 not fraud (171 of them ordinary text messages from repositories never trained on).

Issue 16's goal is asserted: mean per-type accuracy of the proposal ≥ 0.85 with no type under 0.6, ≥ 97% of non-fraud
texts given no type (also of the ordinary messages alone), ≥ 95% of extracted app names real apps. Reached in the eighth
round: mean 0.863, lowest 虚假购物 0.64 (51 of 80), 0.2% of non-fraud texts typed, APP precision 0.979. See SOURCES.md and
bench/RESULTS.md for the figures of each round.
"""

import importlib.util
from pathlib import Path

from services.desk import type_model
from services.desk.classify import PROPOSE_AT, propose_fraud_type

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "eval_narratives.py"
BUILD = Path(__file__).resolve().parents[3] / "tests" / "data" / "narratives" / "build.py"


def _evaluation():
    spec = importlib.util.spec_from_file_location("eval_narratives", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _build():
    spec = importlib.util.spec_from_file_location("narratives_build", BUILD)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_held_out_split_reaches_the_goal():
    e = _evaluation()
    model = type_model.load()
    after = e.measure(e.rows("test"), lambda text: e.model_guess(model, text))
    assert min(after["per_type"].values()) >= 0.6, after["per_type"]
    assert after["mean"] >= 0.85, after["mean"]
    assert after["nonfraud_typed"] <= 0.03, after["nonfraud_typed"]
    assert after["nonfraud_typed"] <= 0.01, after["nonfraud_typed"]  # what the gate is tuned for (reached: 0.2%)
    typed, messages = after["nonfraud_typed_by_source"]["public_sms"]
    assert messages >= 150 and typed <= 0.03 * messages, (typed, messages)  # ordinary text messages, unseen sources
    assert after["mean"] >= e.measure(e.rows("test"), e.lexicon_guess)["mean"] + 0.05  # the model beats the lexicon
    assert set(after["fraud_right_by_source"]) == {"ccl2023", "public_cases", "public_conversations"}
    assert all(n >= 30 for _, n in after["fraud_right_by_source"].values())  # every form is measured, not a handful


def test_app_names_are_real_apps():
    e = _evaluation()
    precision, found, unjudged = e.app_precision([r["text"] for r in e.rows()])
    assert not unjudged, unjudged  # every extraction outside the known list has a recorded judgement
    assert precision >= 0.95, precision
    assert not {"我们", "我们的官方", "安全防护", "一个", "一款", "贷款", "虚假贷款", "指定", "官方", "屏幕共享",
                "刷单", "按照", "上述", "登陆", "涉诈", "两个", "网址", "APP"} & set(found)


def test_proposal_has_reasons_and_calibrated_confidence():
    story = "对方自称是京东金融客服，说我的京东金条利率过高会影响征信，让我下载腾讯会议把贷款转到指定账户"
    proposal = propose_fraud_type(story)
    assert proposal is not None and proposal.fraud_type.value == "credit_record"
    assert proposal.reasons and proposal.confidence >= PROPOSE_AT and proposal.level in ("高", "中", "低")
    assert propose_fraud_type("今天天气很好，我们去公园散步，晚上吃了饺子。") is None  # 未能判断类型


def test_no_type_when_the_story_does_not_read_as_fraud():
    model = type_model.load()
    story = "对方自称是京东金融客服，说我的京东金条利率过高会影响征信，让我下载腾讯会议把贷款转到指定账户"
    assert 0 < model.not_fraud_below < 1  # the gate is chosen by cross-validation, not left open
    assert propose_fraud_type(story, type_model.with_calibration(model, model.calibration, 1.0)) is not None
    assert propose_fraud_type(story, type_model.with_calibration(model, model.calibration, 0.0)) is None


def test_weights_file_is_compact_and_from_the_training_split():
    assert type_model.MODEL_FILE.stat().st_size < 300_000
    e = _evaluation()
    model = type_model.load()
    assert set(model.labels) == {r["label"] for r in e.rows("train")}


def test_dataset_has_every_type_and_enough_texts():
    e = _evaluation()
    data = e.rows()
    assert len(data) >= 1500
    assert {r["label"] for r in data} >= {"rebate", "fake_customer_service", "investment", "loan_card",
                                          "credit_record", "shopping_service", "fake_authority", "fake_acquaintance",
                                          "game_trade", "romance", "net_blackmail", "fake_military_purchase",
                                          "not_fraud"}


def test_set_is_what_build_makes_from_the_excerpt_files():
    """narratives.jsonl is reproducible from the committed excerpt files; a record never changes side when its text is
    lengthened (held out by its opening), and no record is on both sides."""
    build = _build()
    e = _evaluation()
    made: dict[str, tuple[str, str]] = {}
    for r in build.ccl_rows():
        made.setdefault(r["text"], (r["label"], r["split"]))  # build keeps the first of two equal texts
    stored = {r["text"]: (r["label"], r["split"]) for r in e.rows() if r["source"] == "ccl2023"}
    assert stored == made
    longer = build.longer_excerpts()
    used = sum(text[:build.EXCERPT_CHARS] in stored for _, text in longer.values())
    assert used >= 1400 and all(len(text) <= build.EXCERPT_CHARS for text in stored)


def test_longer_excerpt_is_used_only_when_it_begins_like_the_opening():
    build = _build()
    opening = "许男汉族身份证报称因前期在网上超值教育报名学习后面因为其他原因没有学习在学校有几千元还没有退费"
    assert build.begins_like(opening, opening + "许发现自己被拉进两个QQ群")
    assert build.begins_like(opening.replace("身份证", ""), opening)  # the opening skipped a word
    assert not build.begins_like(opening, "至在发生诈骗案受害人男汉族身份证件种类及号码户籍地" + opening)


def test_gate_and_calibration_round_trip_through_the_weights_file(tmp_path):
    model = type_model.load()
    gated = type_model.with_calibration(model, model.calibration, 0.25)
    path = tmp_path / "model.json"
    type_model.save(gated, path)
    again = type_model.load(path)
    assert again.not_fraud_below == 0.25 and again.calibration == model.calibration


def test_messages_are_what_build_makes_and_each_repository_is_on_one_side():
    """The ordinary text messages are public_sms.tsv as built; a repository's messages are all trained on or all held
    out, so the held-out ones measure messages from sources the model never saw."""
    build, e = _build(), _evaluation()
    stored = [r for r in e.rows() if r["source"] == build.SMS_SOURCE]
    assert stored == build.sms_rows()
    sides: dict[str, set[str]] = {}
    for r in stored:
        sides.setdefault(r["group"], set()).add(r["split"])
    assert all(len(s) == 1 for s in sides.values()) and {"train", "test"} <= set().union(*sides.values())
    assert len(sides) >= 50 and {r["label"] for r in stored} == {"not_fraud"}


def test_cross_validation_keeps_a_repository_in_one_fold():
    e = _evaluation()
    rows = [{"text": "a"}, {"text": "b", "group": "x/y"}, {"text": "c"}, {"text": "d", "group": "x/y"},
            {"text": "e", "group": "x/y"}, {"text": "f", "group": "p/q"}]
    for seed in (0, 1, 2):
        fold = e.folds(rows, seed)
        assert fold[1] == fold[3] == fold[4] and all(0 <= f < e.FOLDS for f in fold)
    assert e.folds(rows)[:3] == [0, 1, 2]  # ungrouped rows by row order


def test_cases_and_conversations_are_what_build_makes_and_a_game_file_is_on_one_side():
    """The news reports and the scam conversations are their TSVs as built, one row a conversation (a game scenario's
    segments were joined); a conversation file is all trained on or all held out."""
    build, e = _build(), _evaluation()
    stored = e.rows()
    assert [r for r in stored if r["source"] == build.CASES_SOURCE] == build.case_rows()
    conversations = [r for r in stored if r["source"] == build.CONVERSATIONS_SOURCE]
    assert conversations == build.conversation_rows() and len(conversations) >= 100
    assert len({r["text"] for r in conversations}) == len(conversations)
    sides: dict[str, set[str]] = {}
    for r in conversations:
        sides.setdefault(r["group"], set()).add(r["split"])
    assert all(len(s) == 1 for s in sides.values())
    labels = set(type_model.load().labels) - {type_model.NOT_FRAUD}
    assert {r["label"] for r in stored if r["source"] in (build.CASES_SOURCE, build.CONVERSATIONS_SOURCE)} <= labels
