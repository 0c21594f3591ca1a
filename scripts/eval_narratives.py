"""Measure fraud-type proposals on tests/data/narratives (held-out split): before (lexicon) and after (model + lexicon).

    .venv/bin/python scripts/eval_narratives.py            # tables for the committed services/desk/type_model.json
    .venv/bin/python scripts/eval_narratives.py --write    # retrain on the training split, write the weights, tables

Split: a text is held out when int(sha1(text)[:8], 16) % 3 == 0, a police record by its opening as first transcribed
(tests/data/narratives/build.py). Everything that is tuned (vocabulary size, L2 penalty, whether and which per-type
offsets, the "fraud story" gate on P(not fraud), calibration bins) is chosen by 3-fold cross-validation on the training
split, scored by the goal's two parts weighed alike (mean per-type accuracy + the lowest type's); the held-out split is
only measured.
No proposal (the story does not read as fraud, or its calibrated confidence is below classify.PROPOSE_AT) counts as no
type: wrong for a fraud text, right for a non-fraud one.
Held-out measurements, each taken once after the round's tuning: third round mean per-type 0.793, lowest 0.43 (虚假购物),
879 texts; fourth round 0.812, lowest 0.45 (虚假购物 28 of 62), 956 texts (0.807 on the third round's 879).
Fifth round (each record's first 200 characters instead of its opening; measured four times, see SOURCES.md): 0.866,
lowest 虚假购物 0.629 (39 of 62), 955 texts; cross-validated 0.809, lowest 0.57.
Sixth round (489 ordinary text messages from public repositories added as not fraud, held out by repository; the fraud
texts measured a fifth time): 0.855, lowest 虚假购物 0.629, 1,126 texts, 0 of 632 non-fraud typed (messages 0 of 171;
the fifth round's model typed 21 of them); cross-validated 0.813, lowest 0.61. 
Seventh round (77 news reports and court findings, 65 scam conversations added; the fraud texts measured a sixth time):
0.825, lowest 虚假购物 0.58, 1,171 texts, 2 of 632 non-fraud typed; police records 398 of 494 right, news 22 of 25,
conversations 6 of 20; cross-validated 0.781, lowest 0.65. Issue 16's goal (0.85, every type ≥ 0.6) is not met.
Eighth round (conversations whole; 164 more, 139 news reports and court findings, 146 case stories of web pages added;
vocabulary also by association with fraud at large; 年月日时分 dropped): 0.863, lowest 虚假购物 0.64, 1,295 texts, 1 of 632
non-fraud typed; police records 403 of 494, news 109 of 118, conversations 36 of 51 (the lexicon 37); cross-validated
0.805, lowest 0.67. The goal is met on this split (measured twice this round: 0.87, lowest 0.62 on 1,275 texts before the
last 67 conversations were added; the police records have now been measured eight times).
"""

import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.desk import type_model  # noqa: E402
from services.desk.classify import PROPOSE_AT, propose_fraud_type, suggest_fraud_type  # noqa: E402
from services.desk.extract import extract  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "narratives" / "narratives.jsonl"
NONE = type_model.NOT_FRAUD
# Design choices compared by cross-validation on the training split (scratch runs of issue 16's third round: mean
# per-type accuracy of the best fraud type, no gate or offsets, L2 1e-4, 4,000 n-grams unless said; 3 folds, mostly two
# fold assignments; one text moves a thin type by ~0.03, so differences under ~0.01 are noise): TF-IDF with sublinear
# counts 0.766 vs binary length-normalised (the earlier model) 0.759; 1–3-grams 0.766 vs 1–2 0.766, 1–4 0.758;
# 1,000 / 2,000 / 4,000 / 12,000 n-grams 0.764 / 0.764 / 0.766 / 0.743; lexicon inputs scaled 0.5 / 1 / 2 / 3:
# 0.761 / 0.766 / 0.747 / 0.743; without the lexicon inputs 0.721; 600 instead of 300 Adam steps 0.764; multinomial
# naive Bayes on the same n-grams 0.58–0.63; averaging the 1–2- and 1–3-gram models 0.765 (no gain).
# Fourth round (proposals' mean per-type accuracy, gate and calibration applied, 2,000 n-grams, L2 1e-4, two fold
# assignments): 虚假购物 sub-kind cues in fraud_cues.toml (闲鱼/咸鱼 buyers, 采购/订餐, POS机, ETC, 代考/驾照, 租房, 疫苗,
# 演唱会…) 0.760 -> 0.764 (虚假购物 0.61 -> 0.67); 婚恋 cues (恋爱, 男女朋友, 谈朋友, 军医, 清关费, soul, 珍爱网, 约炮…)
# -> 0.782 (婚恋 0.33 -> 0.59); only cues found in at least one training text were kept (a cue no training text has
# cannot be checked by cross-validation). With the added training texts (SOURCES.md, ccl2023_train_fourth.tsv) 0.783;
# 冒充客服/征信 cues (代理商, 包裹丢失, 金条, 学生身份, 利率过高…) 0.785. Tried and not kept: every cue word as its own binary
# input besides the per-type scores 0.779; vocabulary chosen round-robin per class 0.773; class weights
# (n / (k n_c)) ** 0.5 / 1.5 / 2 instead of ** 1: 0.769 / 0.788 / 0.779 (within noise); 4,000 / 8,000 n-grams 0.774 / 0.768.
# n-grams kept and L2 penalty: the pair whose proposals (gate, calibration, PROPOSE_AT applied) have the best mean per-type
# accuracy in cross-validation (the best fraud type alone favoured flatter models that then abstain more).
VOCAB_SIZES = (1000, 2000, 4000)
L2_PENALTIES = (1e-4, 3e-4, 1e-3)
OFFSET_STEPS = (-1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0)
OFFSET_PASSES = 2
OFFSET_CHECKS = 3
OFFSETS_MIN_GAIN = 0.005  # per-type offsets are used only when they gain this much on readings they were not tuned on
# ... and only when that gain is clear of its noise: above this many standard errors of the nine checks (the lowest type
# of a third of the readings moves by a text or two, so one check can swing by ±0.05).
OFFSETS_STANDARD_ERRORS = 2.0
BIN_EDGES = (0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
# A story reads as fraud when P(not fraud) is below one of these: the one with the best cross-validated mean per-type
# accuracy among those whose cross-validated share of non-fraud texts given a type stays within NONFRAUD_TYPED_CV (a
# margin under the goal of 3%).
NOT_FRAUD_BELOW = (0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
NONFRAUD_TYPED_CV = 0.01
FOLDS = 3
CV_REPEATS = 2  # the grid is scored on two fold assignments: one assignment moves a thin type by a text or two


def rows(split: str | None = None) -> list[dict]:
    data = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    return [r for r in data if split is None or r["split"] == split]


def lexicon_guess(text: str) -> str:
    found = suggest_fraud_type(text)
    return found[0].fraud_type.value if found else NONE


def model_guess(model: type_model.TypeModel, text: str) -> str:
    proposal = propose_fraud_type(text, model)
    return proposal.fraud_type.value if proposal else NONE


def _lexicon_scores(text: str) -> dict[str, float]:
    return {s.fraud_type.value: s.score for s in suggest_fraud_type(text)}


def _fit(train: list[dict], l2: float, size: int) -> type_model.TypeModel:
    return type_model.train([r["text"] for r in train], [r["label"] for r in train],
                            [_lexicon_scores(r["text"]) for r in train], size=size, l2=l2)


def folds(train: list[dict], seed: int = 0) -> list[int]:
    """Each training row's fold: by row order (seed 0) or a seeded shuffle; the rows of one group (the messages of one
    repository) share the fold of the group's first row, as the held-out split keeps a repository on one side."""
    order = np.arange(len(train)) if seed == 0 else np.random.default_rng(seed).permutation(len(train))
    first: dict = {}
    return [int(first.setdefault(r.get("group", i), order[i])) % FOLDS for i, r in enumerate(train)]


def _cross_validated(train: list[dict], l2: float, size: int,
                     seed: int = 0) -> tuple[list[str], list[tuple[dict, np.ndarray]]]:
    """Class labels and (row, log-probabilities by the model trained without its fold) for every training row."""
    fold_of = folds(train, seed)
    out = []
    for fold in range(FOLDS):
        model = _fit([r for r, f in zip(train, fold_of) if f % FOLDS != fold], l2, size)
        out += [(r, np.log(model.probabilities(r["text"], _lexicon_scores(r["text"]))[0] + 1e-12))
                for r, f in zip(train, fold_of) if f % FOLDS == fold]
    return model.labels, sorted(out, key=lambda h: train.index(h[0]))


def _readings(labels: list[str], held: list[tuple[dict, np.ndarray]], offsets: np.ndarray,
              not_fraud_below: float | None = None) -> list[tuple[dict, str, float]]:
    """(row, best fraud type, its probability) with the class offsets added to the log-probabilities; with
    not_fraud_below, only the stories that read as fraud (P(not fraud) below it)."""
    fraud = np.array([c != NONE for c in labels])
    other = labels.index(NONE)
    out = []
    for r, logp in held:
        z = logp + offsets
        p = np.exp(z - z.max())
        p /= p.sum()
        best = int(np.argmax(np.where(fraud, p, -1.0)))
        if not_fraud_below is None or p[other] < not_fraud_below:
            out.append((r, labels[best], float(p[best])))
    return out


def _goal_score(readings: list[tuple[dict, str, float]]) -> float:
    """The goal's two parts weighed alike: mean per-type accuracy plus the lowest type's (the mean alone lets a thin or
    catch-all type be given up for a little more on the others)."""
    right, seen = Counter(), Counter()
    for r, label, _ in readings:
        if r["label"] != NONE:
            seen[r["label"]] += 1
            right[r["label"]] += label == r["label"]
    per_type = [right[t] / seen[t] for t in seen]
    return sum(per_type) / len(per_type) + min(per_type)


def tune_offsets(labels: list[str], held: list[tuple[dict, np.ndarray]]) -> np.ndarray:
    """Per-type offsets to the log-probabilities (coordinate ascent) that raise the cross-validated goal score."""
    offsets = np.zeros(len(labels))
    best = _goal_score(_readings(labels, held, offsets))
    for _ in range(OFFSET_PASSES):
        for c, label in enumerate(labels):
            if label == NONE:
                continue
            for step in OFFSET_STEPS:
                trial = offsets.copy()
                trial[c] = step
                score = _goal_score(_readings(labels, held, trial))
                if score > best + 1e-9:
                    best, offsets = score, trial
    return offsets


def offsets_help(labels: list[str], held: list[tuple[dict, np.ndarray]]) -> bool:
    """Whether per-type offsets raise the goal score on readings they were not tuned on (tuned on two thirds
    of the cross-validated readings, scored on the other third; three ways of cutting them in thirds): tuned and scored
    on the same readings they always look better."""
    gains = []
    for seed in range(OFFSET_CHECKS):
        part_of = np.arange(len(held)) if seed == 0 else np.random.default_rng(seed).permutation(len(held))
        for part in range(FOLDS):
            tune_on = [h for h, p in zip(held, part_of) if p % FOLDS != part]
            score_on = [h for h, p in zip(held, part_of) if p % FOLDS == part]
            offsets = tune_offsets(labels, tune_on)
            gains.append(_goal_score(_readings(labels, score_on, offsets))
                         - _goal_score(_readings(labels, score_on, np.zeros(len(labels)))))
    print(f"per-type offsets on readings they were not tuned on: goal score (mean + lowest type) {sum(gains) / len(gains):+.3f} "
          f"({' '.join(f'{g:+.3f}' for g in gains)})")
    mean = sum(gains) / len(gains)
    standard_error = float(np.std(gains, ddof=1)) / len(gains) ** 0.5
    return mean > max(OFFSETS_MIN_GAIN, OFFSETS_STANDARD_ERRORS * standard_error)


def calibrate(readings: list[tuple[dict, str, float]]) -> type_model.Calibration:
    """Reliability: in each raw-confidence bin, the share of readings that were right (non-fraud texts never are)."""
    right, seen = Counter(), Counter()
    for r, label, raw in readings:
        b = sum(raw >= edge for edge in BIN_EDGES)
        seen[b] += 1
        right[b] += label == r["label"]
    accuracy = [right[b] / seen[b] if seen[b] else None for b in range(len(BIN_EDGES) + 1)]
    for b in range(len(accuracy)):  # empty bins take the one below
        accuracy[b] = accuracy[b] if accuracy[b] is not None else (accuracy[b - 1] if b else 0.0)
    for b in range(len(accuracy) - 2, -1, -1):  # non-decreasing: more raw confidence is never less calibrated
        accuracy[b] = min(accuracy[b], accuracy[b + 1])
    return type_model.Calibration(BIN_EDGES, tuple(round(a, 3) for a in accuracy))


def _scores(train: list[dict], readings: list[tuple[dict, str, float]], calibration: type_model.Calibration,
            cut: float) -> tuple[float, float, float]:
    """Mean and lowest per-type accuracy and non-fraud share given a type when the gated readings whose calibrated
    confidence reaches `cut` are proposed (every other text gets no type)."""
    proposed = {id(r): label for r, label, raw in readings if calibration(raw) >= cut}
    right, seen, typed, negatives = Counter(), Counter(), 0, 0
    for r in train:
        guess = proposed.get(id(r), NONE)
        if r["label"] == NONE:
            negatives += 1
            typed += guess != NONE
        else:
            seen[r["label"]] += 1
            right[r["label"]] += guess == r["label"]
    per_type = [right[t] / seen[t] for t in seen]
    return sum(per_type) / len(per_type), min(per_type), typed / negatives


def _threshold_table(train: list[dict], readings: list[tuple[dict, str, float]],
                     calibration: type_model.Calibration) -> None:
    """Cross-validated mean per-type accuracy and non-fraud share given a type, per calibrated cut-off."""
    for cut in sorted(set(calibration.bin_accuracy)):
        mean, low, typed = _scores(train, readings, calibration, cut)
        mark = "  <- classify.PROPOSE_AT" if cut == min((a for a in calibration.bin_accuracy if a >= PROPOSE_AT), default=None) else ""
        print(f"  cut-off {cut:.3f}: cross-validated mean {mean:.3f} (lowest type {low:.2f}), "
              f"non-fraud given a type {typed:.3f}{mark}")


def _gated(train: list[dict], labels: list[str], held: list[tuple[dict, np.ndarray]], offsets: np.ndarray,
           verbose: bool = False) -> tuple[float, float, list[tuple[dict, str, float]], type_model.Calibration]:
    """The gate on P(not fraud) with the best cross-validated goal score (mean + lowest type) of what the desk proposes (gate,
    calibration and classify.PROPOSE_AT applied; no proposal is wrong for a fraud text) among those that give a type to
    at most NONFRAUD_TYPED_CV of the non-fraud texts (the smallest gate if none does): (score, gate, readings,
    calibration)."""
    gates = []
    for below in NOT_FRAUD_BELOW:
        readings = _readings(labels, held, offsets, below)
        calibration = calibrate(readings)
        mean, low, typed = _scores(train, readings, calibration, PROPOSE_AT)
        score = mean + low
        if verbose:
            print(f"  fraud story when P(not fraud) < {below}: cross-validated mean {mean:.3f} (lowest type {low:.2f}), "
                  f"non-fraud given a type {typed:.3f}")
        gates.append((typed <= NONFRAUD_TYPED_CV or below == NOT_FRAUD_BELOW[0], score, below, readings, calibration))
    _, score, below, readings, calibration = max(gates, key=lambda g: (g[0], g[1], -g[2]))
    return score, below, readings, calibration


def fit(train: list[dict]) -> type_model.TypeModel:
    """Vocabulary size and L2 penalty with the best cross-validated goal score (mean + lowest type) of what the desk proposes
    (gate, calibration and abstention included), then per-type offsets (only if they help out of sample), the gate
    and the calibration, all from the same cross-validated readings."""
    scored = []
    for size in VOCAB_SIZES:
        for l2 in L2_PENALTIES:
            runs = [_cross_validated(train, l2, size, seed) for seed in range(CV_REPEATS)]
            means = [_gated(train, labels, held, np.zeros(len(labels)))[0] for labels, held in runs]
            scored.append((sum(means) / len(means), size, l2, *runs[0]))
            print(f"cross-validation, {size} n-grams, L2 {l2:g}: goal score (mean + lowest type) of the proposals "
                  f"{scored[-1][0]:.3f} ({' '.join(f'{m:.3f}' for m in means)})")
    _, size, l2, labels, held = max(scored, key=lambda s: s[0])
    print(f"chosen: {size} n-grams, L2 {l2:g}")
    offsets = tune_offsets(labels, held) if offsets_help(labels, held) else np.zeros(len(labels))
    print(f"per-type offsets {dict(zip(labels, offsets.round(2).tolist()))}")
    _, below, readings, calibration = _gated(train, labels, held, offsets, verbose=True)
    print(f"gate P(not fraud) < {below}; calibrated cut-offs:")
    _threshold_table(train, readings, calibration)
    model = _fit(train, l2, size)
    return type_model.with_calibration(type_model.with_bias(model, model.bias + offsets.astype(np.float32)),
                                       calibration, below)


def measure(test: list[dict], guess) -> dict:
    """Per-type accuracy of the proposal, mean over types, share of non-fraud texts given a type, confusion."""
    guessed = [guess(r["text"]) for r in test]  # once per text: a guess is a model reading
    confusion = Counter((r["label"], g) for r, g in zip(test, guessed))
    types = sorted({r["label"] for r in test} - {NONE})
    per_type = {t: confusion[(t, t)] / sum(n for (a, _), n in confusion.items() if a == t) for t in types}
    negatives = [r for r in test if r["label"] == NONE]
    typed = sum(n for (a, b), n in confusion.items() if a == NONE and b != NONE)
    fraud_by_source = Counter(r["source"] for r in test if r["label"] != NONE)
    right_by_source = Counter(r["source"] for r, g in zip(test, guessed) if r["label"] != NONE and g == r["label"])
    by_source = Counter(r["source"] for r in negatives)
    typed_by_source = Counter(r["source"] for r, g in zip(test, guessed) if r["label"] == NONE and g != NONE)
    return {"per_type": per_type, "mean": sum(per_type.values()) / len(per_type),
            "nonfraud_typed": typed / max(len(negatives), 1), "confusion": confusion, "n": Counter(r["label"] for r in test),
            "nonfraud_typed_by_source": {s: (typed_by_source[s], n) for s, n in sorted(by_source.items())},
            "fraud_right_by_source": {s: (right_by_source[s], n) for s, n in sorted(fraud_by_source.items())}}


def app_extractions(texts: list[str]) -> Counter:
    """How often each APP name is extracted from the texts."""
    return Counter(f.value_norm for text in texts for f in extract(text).apps)


JUDGEMENTS = DATA.with_name("app_judgements.tsv")


def app_precision(texts: list[str]) -> tuple[float, Counter, list[str]]:
    """Share of extractions that are real apps: in known_apps.txt = real, else the hand judgement; unjudged listed."""
    from services.desk.extract import KNOWN_APPS
    judged = dict(line.split("\t") for line in JUDGEMENTS.read_text(encoding="utf-8").splitlines()
                  if line and not line.startswith("#"))
    found = app_extractions(texts)
    real = sum(n for name, n in found.items() if name in KNOWN_APPS or judged.get(name) == "real")
    unjudged = [name for name in found if name not in KNOWN_APPS and name not in judged]
    return real / (sum(found.values()) or 1), found, unjudged


def report(before: dict, after: dict) -> None:
    print(f"{'type':26} {'n':>3} {'before':>7} {'after':>7}")
    for t in after["per_type"]:
        print(f"{t:26} {after['n'][t]:>3} {before['per_type'][t]:>7.2f} {after['per_type'][t]:>7.2f}")
    print(f"{'mean per-type accuracy':26} {'':>3} {before['mean']:>7.2f} {after['mean']:>7.2f}")
    print(f"{'non-fraud given a type':26} {after['n'][NONE]:>3} {before['nonfraud_typed']:>7.3f} "
          f"{after['nonfraud_typed']:>7.3f}")
    for source, (right, n) in after["fraud_right_by_source"].items():
        print(f"{'  fraud texts of ' + source:26} {n:>3} {before['fraud_right_by_source'][source][0] / n:>7.3f} "
              f"{right / n:>7.3f}")
    for source, (typed, n) in after["nonfraud_typed_by_source"].items():
        print(f"{'  of ' + source:26} {n:>3} {before['nonfraud_typed_by_source'][source][0] / n:>7.3f} "
              f"{typed / n:>7.3f}")
    labels = list(after["per_type"]) + [NONE]
    short = {t: t[:6] for t in labels}
    print("\nconfusion (after), rows true, columns proposed (not_fr = no type):")
    print(f"{'':26}" + "".join(f"{short[t]:>7}" for t in labels))
    for a in labels:
        print(f"{a:26}" + "".join(f"{after['confusion'][(a, b)]:>7}" for b in labels))


def main() -> None:
    if "--write" in sys.argv:
        model = fit(rows("train"))
        type_model.save(model)
        type_model.load.cache_clear()
    model = type_model.load()
    test = rows("test")
    print(f"held-out split: {len(test)} texts (sha1 % 3 == 0 of the text, of a police record its opening); fraud story when P(not fraud) < "
          f"{model.not_fraud_below}; calibration {model.calibration}\n")
    report(measure(test, lexicon_guess), measure(test, lambda text: model_guess(model, text)))
    precision, found, unjudged = app_precision([r["text"] for r in rows()])
    print(f"\nAPP names (all {len(rows())} texts): {sum(found.values())} extractions, precision {precision:.3f}"
          f"{'; not judged yet: ' + '、'.join(unjudged) if unjudged else ''}")


if __name__ == "__main__":
    main()
