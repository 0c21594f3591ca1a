"""The n-gram type model: what it reads of a story, its weights file round trip, its reasons."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from services.desk import type_model
from services.desk.classify import suggest_fraud_type

STORY = "对方自称是京东金融客服，说我的京东金条利率过高会影响征信，让我下载腾讯会议把贷款转到指定账户"


def test_digits_punctuation_and_spaces_do_not_change_the_reading():
    model = type_model.load()
    plain = model.read("对方自称是京东金融客服说我的京东金条利率过高会影响征信", {})
    noisy = model.read("对方自称是 京东金融客服，说我的京东金条（利率 24%）过高, 会影响征信！138 0013 8000", {})
    assert (plain.label, round(plain.raw, 6)) == (noisy.label, round(noisy.raw, 6))


@given(st.text(max_size=300))
def test_any_text_reads_to_a_fraud_type_with_a_probability(text):
    reading = type_model.load().read(text, {})
    assert reading.label in type_model.load().labels and reading.label != type_model.NOT_FRAUD
    assert 0.0 <= reading.raw <= 1.0 and 0.0 <= reading.confidence <= 1.0


def test_reasons_are_distinct_telling_ngrams_of_the_story():
    reading = type_model.load().read(STORY, {"credit_record": 3.0})
    assert reading.label == "credit_record"
    assert 1 <= len(reading.reasons) <= 5
    normal = type_model.normalise(STORY)
    assert all(len(r) > 1 and r in normal for r in reading.reasons)
    assert not any(a != b and a in b for a in reading.reasons for b in reading.reasons)


def test_weights_round_trip_through_the_file(tmp_path):
    texts = ["冒充客服说快递丢了要理赔", "刷单返利垫付佣金", "今天天气很好去公园", "快递客服理赔退款", "刷单任务返佣金",
             "晚饭吃了饺子很好吃"]
    labels = ["fake_customer_service", "rebate", "not_fraud"] * 2
    model = type_model.with_calibration(
        type_model.train(texts, labels, [{}] * 6, size=200, steps=50),
        type_model.Calibration((0.5,), (0.2, 0.9)))
    path = tmp_path / "model.json"
    type_model.save(model, path)
    again = type_model.load(path)
    for text in texts:
        p1 = model.probabilities(text, {})[0]
        p2 = again.probabilities(text, {})[0]
        assert np.allclose(p1, p2, atol=0.02)
    assert again.calibration == model.calibration and again.vocab == model.vocab
    assert np.array_equal(again.class_df, model.class_df) and np.array_equal(again.class_sizes, model.class_sizes)
    assert model.class_df.sum() > 0 and list(model.class_sizes) == [2, 2, 2]
    assert model.idf is not None and np.allclose(again.idf, model.idf, atol=1e-3)


def test_features_are_tfidf_of_unit_length():
    model = type_model.load()
    found, values = model.features(STORY)
    assert found and len(found) == len(values)
    assert abs(float(np.linalg.norm(values)) - 1.0) < 1e-4
    assert model.idf is not None and len(model.idf) == len(model.vocab)
    # A rare n-gram weighs more than a common one seen as often in the story.
    counts = type_model.gram_counts(STORY)
    by_gram = {model.vocab[i]: v for i, v in zip(found, values)}
    once = [g for g in by_gram if counts[g] == 1]
    rare, common = max(once, key=lambda g: by_gram[g]), min(once, key=lambda g: by_gram[g])
    assert model.idf[model.index[rare]] > model.idf[model.index[common]]


def test_reasons_tell_the_type_apart_from_the_other_types():
    """Words every fraud story has (对方, 被骗) are not given as the reason for one type."""
    story = ("事主在闲鱼APP上出售闲置的婴儿推车，有买家联系称已付款但支付宝被冻结，发来一个二维码让事主扫码联系客服，客服称事主"
             "未开通消费者保障服务，需要缴纳保证金，事主通过手机银行转账后对方又要求继续转账，事主发现被骗")
    reading = type_model.load().read(story, {s.fraud_type.value: s.score for s in suggest_fraud_type(story)})
    assert reading.label == "shopping_service" and reading.reasons
    assert not {"对方", "被骗", "事主"} & set(reading.reasons), reading.reasons


def _toy_model(vocab: list[str], texts_with: list[int]) -> type_model.TypeModel:
    """A model whose n-grams all lean to rebate, with the given counts of (rebate) training texts holding each."""
    labels = ["not_fraud", "rebate", "romance"]
    weights = np.array([[0.0, 1.0, 0.0]] * len(vocab), dtype=np.float32)
    class_df = np.array([[0, n, 0] for n in texts_with])
    return type_model.TypeModel(labels, vocab, weights, np.zeros((2, 3), dtype=np.float32),
                                np.zeros(3, dtype=np.float32), class_df=class_df, class_sizes=np.array([50, 50, 50]))


def test_a_fragment_is_shown_as_the_word_that_always_holds_it():
    """付宝 is in a training text only as 支付宝: shown as 支付宝. 刷单 is in many texts that do not say 刷单任: stays 刷单."""
    model = _toy_model(["付宝", "支付宝", "刷单", "刷单任"], [8, 8, 20, 3])
    reasons = model.read("刷单任务，用支付宝转的", {}).reasons
    assert set(reasons) == {"支付宝", "刷单"}, reasons


def test_reasons_are_words_of_the_type_not_of_the_telling():
    """On held-out fraud texts: every reason has two characters or more, no particle at its edges, no word (or part of
    a word) of the telling, no Latin fragment, none of the words every type shares; and it is in the story."""
    model = type_model.load()
    rows = [json.loads(line) for line in (Path(__file__).resolve().parents[3] / "tests" / "data" / "narratives"
                                          / "narratives.jsonl").read_text(encoding="utf-8").splitlines()]
    shown = 0
    for r in [r for r in rows if r["split"] == "test" and r["label"] != "not_fraud"][::5]:
        reading = model.read(r["text"], {s.fraud_type.value: s.score for s in suggest_fraud_type(r["text"])})
        for reason in reading.reasons:
            shown += 1
            assert len(reason) > 1 and reason[0] not in type_model.EDGE_CHARACTERS, reason
            assert reason[-1] not in type_model.EDGE_CHARACTERS, reason
            assert not any(word in reason for word in type_model.STORY_WORDS), reason
            assert not reason.isascii() or reason in r["text"].casefold(), reason
            assert reason in r["text"].casefold() and reason not in ("转账", "联系", "发现", "银行"), reason
    assert shown > 200


def test_a_word_every_type_shares_is_no_reason_however_it_is_weighed():
    """转账 is in as many romance as rebate texts: not typical of rebate, so no reason, though its weight leans there."""
    model = _toy_model(["刷单", "转账"], [20, 20])
    model.class_df[1, 2] = 20  # 转账: in 20 romance texts too
    assert model.read("刷单后转账", {}).reasons == ["刷单"]


def test_a_reason_trimmed_to_a_word_every_type_shares_is_no_reason():
    """的征信 is typical of rebate in this toy; trimmed, it is 征信, which romance texts have as often: not shown."""
    model = _toy_model(["的征信", "征信"], [5, 20])
    model.class_df[1, 2] = 20
    assert model.read("会影响你的征信", {}).reasons == []


def test_a_reason_is_written_as_such_in_the_story():
    """年月日 are dropped before reading: 至间 is in the text read, not in what the officer wrote."""
    model = _toy_model(["至间", "刷单"], [5, 5])
    assert model.read("2021年3月至2021年6月间刷单", {}).reasons == ["刷单"]


def test_reasons_do_not_overlap_where_the_story_has_them():
    model = _toy_model(["京东", "东客服", "客服"], [5, 3, 5])
    reasons = model.read("京东客服打来电话", {}).reasons
    assert reasons in (["京东", "客服"], ["客服", "京东"]), reasons


def test_a_reason_never_cuts_a_word_of_the_telling():
    assert _toy_model(["方自"], [5]).read("对方自称是客服", {}).reasons == []
    assert _toy_model(["自称"], [5]).read("对方自称是客服", {}).reasons == ["自称"]


def test_reasons_are_the_same_from_run_to_run():
    """Python varies its string hashes per process: the reasons shown must not depend on them (they did for 598 of the
    first 1,500 texts of the set when a fragment's longer n-gram was picked from a set)."""
    code = ("import json; from services.desk import type_model; from services.desk.classify import suggest_fraud_type; "
            "m = type_model.load(); rows = [json.loads(l) for l in open('tests/data/narratives/narratives.jsonl')][:300]; "
            "print([m.read(r['text'], {x.fraud_type.value: x.score for x in suggest_fraud_type(r['text'])}).reasons "
            "for r in rows])")
    root = Path(__file__).resolve().parents[3]
    runs = {subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(runs) == 1 and "支付宝" in runs.pop()


def test_dates_and_times_are_read_as_the_police_records_have_them():
    """The records the model learns from had every 年月日时分 stripped: a story's dates must not tell it the form."""
    assert type_model.normalise("2024年3月5日10时30分许，当时对方称") == type_model.normalise("许，当对方称")


def test_vocabulary_keeps_what_tells_fraud_from_the_rest_though_every_type_shares_it():
    """骗 is in every fraud text and in no other: no type owns it, yet it tells fraud from the rest better than a word
    three in five texts of one type have."""
    types = ["rebate", "investment", "romance", "loan_card"]
    own = {"rebate": "刷单", "investment": "理财", "romance": "交友", "loan_card": "贷款"}
    texts = [{"骗"} | ({own[t]} if i < 3 else set()) for t in types for i in range(5)] + [{"天气"}, {"公园"}] * 3
    labels = [t for t in types for _ in range(5)] + ["not_fraud"] * 6
    assert type_model.select_vocab(texts, labels, size=1) == ["骗"]
    assert set(type_model.select_vocab(texts, labels, size=5)) == {"骗", *own.values()}
