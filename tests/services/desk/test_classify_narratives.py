"""The type proposal and APP extraction measured on the held-out split of tests/data/narratives (scripts/eval_narratives.py).

Uses the committed weights (services/desk/type_model.json, trained on the training split only). Asserted, just under
what is reached on the held-out split of 956 texts (495 fraud, 11–112 per type; 461 not fraud): mean per-type accuracy
≥ 0.81 (reached 0.812), every type ≥ 0.45 (lowest: 虚假购物 0.452, 28 of 62), at most 1% of non-fraud texts given a type
(reached 1 of 461), APP precision ≥ 0.98 (reached 0.990), and the model ≥ 0.08 above the lexicon alone (0.720).
GAP: the issue's goal is a mean ≥ 0.85 with every type ≥ 0.6. Not reached: 虚假购物 (0.45) and 婚恋 (0.58, 7 of 12; the
public source has no more 婚恋 records, and its 虚假购物 records are all taken) are the catch-all and the thinnest types,
and many of their records read like another type (see /work/notes/narratives4-results.md). The floors are what the model
chosen by cross-validation reaches, not the goal; they were raised (0.78 → 0.81, 0.42 → 0.45), never lowered.
"""

import importlib.util
from pathlib import Path

from services.desk import type_model
from services.desk.classify import PROPOSE_AT, propose_fraud_type

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "eval_narratives.py"


def _evaluation():
    spec = importlib.util.spec_from_file_location("eval_narratives", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_held_out_split_meets_the_goals_reached():
    e = _evaluation()
    model = type_model.load()
    after = e.measure(e.rows("test"), lambda text: e.model_guess(model, text))
    assert min(after["per_type"].values()) >= 0.45, after["per_type"]
    assert after["nonfraud_typed"] <= 0.01, after["nonfraud_typed"]
    assert after["mean"] >= 0.81, after["mean"]
    assert after["mean"] >= e.measure(e.rows("test"), e.lexicon_guess)["mean"] + 0.08  # the model beats the lexicon


def test_app_names_are_real_apps():
    e = _evaluation()
    precision, found, unjudged = e.app_precision([r["text"] for r in e.rows()])
    assert not unjudged, unjudged  # every extraction outside the known list has a recorded judgement
    assert precision >= 0.98, precision
    assert not {"我们", "我们的官方", "安全防护", "一个", "一款", "贷款", "虚假贷款", "指定", "官方", "屏幕共享",
                "刷单"} & set(found)


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


def test_gate_and_calibration_round_trip_through_the_weights_file(tmp_path):
    model = type_model.load()
    gated = type_model.with_calibration(model, model.calibration, 0.25)
    path = tmp_path / "model.json"
    type_model.save(gated, path)
    again = type_model.load(path)
    assert again.not_fraud_below == 0.25 and again.calibration == model.calibration
