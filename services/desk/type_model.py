"""A small explainable fraud-type model: logistic regression on character 1–3-grams and the cue lexicon, calibrated.

Trained from labelled texts (tests/data/narratives, training split) by scripts/eval_narratives.py --write; the weights are
a compact JSON file (type_model.json) so nothing is fetched or trained at run time. A story is reduced to its Chinese
characters and letters (digits, punctuation and spaces are dropped: the case records it learns from carry none), cut into
the character 1-, 2- and 3-grams kept at training time (chosen by chi-square), and scored per class (the 12 fraud types and
"not fraud") by a multinomial logistic regression whose inputs are those n-grams (TF-IDF: (1 + log count) times the
n-gram's inverse document frequency in the training texts, the story's vector scaled to unit length) plus the lexicon's
cue score per type, so the lexicon's weight is learned too. A story reads as a fraud story when the probability
of "not fraud" is below the model's `not_fraud_below` (chosen by cross-validation on the training split so that ordinary
texts almost never get a type). The probability of the best fraud type is the raw confidence, mapped through reliability
bins measured by cross-validation on the training split (the share of fraud-story readings in each bin whose type was
right) to the calibrated confidence. The reasons are the n-grams that pushed the story most towards that type rather
than "not fraud" and rather than the other types.
"""

import base64
import json
import math
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

MODEL_FILE = Path(__file__).with_name("type_model.json")
NOT_FRAUD = "not_fraud"
MAX_N = 3
MIN_DF = 2  # an n-gram must occur in at least this many training texts to be a candidate feature
LEXICON_SCALE = 1.0  # lexicon inputs are log(1 + cue score) times this (larger: its weights are penalised less)
_DROP = re.compile(r"[^\u3400-\u9fffA-Za-z]+")
# Words of the telling itself (who is who in a police record or a caller's story): never a reason for one type, however
# a model happens to weigh them.
STORY_WORDS = frozenset({"对方", "被骗", "事主", "受害人", "报警人", "报案人", "民警", "本人"})


def _latin_words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.casefold()))


def normalise(text: str) -> str:
    """Only Chinese characters and letters, lower case: the case records carry no digits or punctuation."""
    return _DROP.sub("", text).casefold()


def grams(text: str) -> set[str]:
    """The distinct character 1- to MAX_N-grams of the normalised text."""
    return set(gram_counts(text))


def gram_counts(text: str) -> Counter:
    """How often each character 1- to MAX_N-gram occurs in the normalised text."""
    t = normalise(text)
    return Counter(t[i:i + n] for n in range(1, MAX_N + 1) for i in range(len(t) - n + 1))


def tfidf(counts: list[int], idf: np.ndarray) -> np.ndarray:
    """(1 + log count) times idf, scaled to unit length (a long story weighs no more than a short one)."""
    values = (1.0 + np.log(np.asarray(counts, dtype=np.float32))) * idf
    return values / max(float(np.linalg.norm(values)), 1e-12)


@dataclass(frozen=True)
class Calibration:
    """Raw-confidence bin lower edges (after the first) and the calibrated confidence of each bin (non-decreasing)."""

    bin_edges: tuple[float, ...] = ()
    bin_accuracy: tuple[float, ...] = (1.0,)

    def __call__(self, raw: float) -> float:
        return self.bin_accuracy[bisect_right(self.bin_edges, raw)]


@dataclass(frozen=True)
class Reading:
    """The model's view of a story: best fraud type, raw and calibrated confidence, n-grams that led to it, and whether
    it reads as a fraud story at all."""

    label: str
    raw: float
    confidence: float
    reasons: list[str]
    fraud_story: bool = True


@dataclass(frozen=True)
class TypeModel:
    """Class labels, kept n-grams, their weights per class, the lexicon inputs' weights, bias, and the calibration."""

    labels: list[str]
    vocab: list[str]
    weights: np.ndarray  # (len(vocab), len(labels))
    lexicon_weights: np.ndarray  # (len(fraud_labels), len(labels))
    bias: np.ndarray  # (len(labels),)
    calibration: Calibration = field(default_factory=Calibration)
    not_fraud_below: float = 1.0  # a story is a fraud story when P(not fraud) is below this
    idf: np.ndarray | None = None  # (len(vocab),); None: every n-gram weighs 1

    @cached_property
    def index(self) -> dict[str, int]:
        return {g: i for i, g in enumerate(self.vocab)}

    @cached_property
    def fraud_labels(self) -> list[str]:
        return [c for c in self.labels if c != NOT_FRAUD]

    def lexicon_inputs(self, lexicon: dict[str, float]) -> np.ndarray:
        return lexicon_inputs(lexicon, self.fraud_labels)

    @cached_property
    def _idf(self) -> np.ndarray:
        return self.idf if self.idf is not None else np.ones(len(self.vocab), dtype=np.float32)

    def features(self, text: str) -> tuple[list[int], np.ndarray]:
        """The indices of the story's known n-grams and their TF-IDF values."""
        index = self.index
        counts = gram_counts(text)
        # The key intersection runs in C: a 2,000-character story has ~6,000 n-grams to look up.
        found = sorted(map(index.__getitem__, index.keys() & counts.keys()))
        if not found:
            return found, np.zeros(0, dtype=np.float32)
        vocab = self.vocab
        return found, tfidf([counts[vocab[i]] for i in found], self._idf[found])

    def probabilities(self, text: str, lexicon: dict[str, float]) -> tuple[np.ndarray, list[int], np.ndarray]:
        """Class probabilities of the story, the indices of its known n-grams and their TF-IDF values."""
        found, values = self.features(text)
        logits = self.bias + self.lexicon_inputs(lexicon) @ self.lexicon_weights
        if found:
            logits = logits + values @ self.weights[found]
        exp = np.exp(logits - logits.max())
        return exp / exp.sum(), found, values

    def read(self, text: str, lexicon: dict[str, float]) -> Reading:
        """Best fraud type for the story given the lexicon's cue score per type (type code → score)."""
        probs, found, values = self.probabilities(text, lexicon)
        fraud = [self.labels.index(c) for c in self.fraud_labels]
        best = max(fraud, key=lambda i: probs[i])
        raw = float(probs[best])
        story = float(probs[self.labels.index(NOT_FRAUD)]) < self.not_fraud_below
        reasons = self._reasons(found, values, best, _latin_words(text))
        return Reading(self.labels[best], raw, self.calibration(raw), reasons, story)

    def _reasons(self, found: list[int], values: np.ndarray, best: int, latin_words: set[str],
                 count: int = 5) -> list[str]:
        """The n-grams (two characters or more) pushing most towards the type both rather than "not fraud" and rather
        than the other fraud types on average (the smaller of the two weight differences, times the n-gram's value in
        this story), no overlaps: 转账 or 对方 push every fraud type alike and tell the officer nothing about which."""
        if not found:
            return []
        weights = self.weights[found]
        fraud = [self.labels.index(c) for c in self.fraud_labels if self.labels.index(c) != best]
        lift = np.minimum(weights[:, best] - weights[:, self.labels.index(NOT_FRAUD)],
                          weights[:, best] - weights[:, fraud].mean(axis=1)) * values
        grams = [self.vocab[i] for i in found]
        lifting = {g: float(v) for g, v in zip(grams, lift) if v > 0}
        chosen: list[str] = []
        for j in np.argsort(-lift, kind="stable"):
            if lift[j] <= 0 or len(chosen) == count:
                break
            if len(grams[j]) == 1:
                continue
            # A fragment (付宝, pp) is shown as the longest n-gram of the story that contains it and lifts too (支付宝,
            # app); of two as long, the one lifting more (a set's order would change from run to run).
            gram = max((g for g in lifting if grams[j] in g), key=lambda g: (len(g), lifting[g], g))
            part_of_a_word = gram.isascii() and gram not in latin_words  # pp of APP: no reason an officer can read
            if gram not in STORY_WORDS and not part_of_a_word and not any(gram in c or c in gram for c in chosen):
                chosen.append(gram)
        return chosen


def lexicon_inputs(lexicon: dict[str, float], fraud_labels: list[str]) -> np.ndarray:
    return np.array([LEXICON_SCALE * math.log1p(max(lexicon.get(c, 0.0), 0.0)) for c in fraud_labels],
                    dtype=np.float32)


def select_vocab(texts_grams: list[set[str]], labels: list[str], size: int) -> list[str]:
    """The `size` candidate n-grams most associated with some class (chi-square of presence vs class, max over classes)."""
    classes = sorted(set(labels))
    df = Counter(g for gs in texts_grams for g in gs)
    candidates = [g for g, n in df.items() if n >= MIN_DF]
    column = {g: i for i, g in enumerate(candidates)}
    counts = np.zeros((len(candidates), len(classes)), dtype=np.float64)
    for gs, label in zip(texts_grams, labels):
        c = classes.index(label)
        for g in gs:
            if (i := column.get(g)) is not None:
                counts[i, c] += 1
    n = len(labels)
    per_class = np.array([labels.count(c) for c in classes], dtype=np.float64)
    present = counts.sum(axis=1, keepdims=True)
    expected = present * per_class / n
    # chi-square of a 2x2 table (present/absent x in class/not), computed from the "present, in class" cell
    a, e = counts, expected
    denom = e * (1 - per_class / n) * (1 - present / n)
    chi = np.where(denom > 0, (a - e) ** 2 / np.maximum(denom, 1e-12) * (a > e), 0.0)
    score = chi.max(axis=1)
    order = np.argsort(-score, kind="stable")[:size]
    return [candidates[i] for i in order]


def inverse_document_frequency(texts_grams: list[set[str]], vocab: list[str]) -> np.ndarray:
    """Smoothed idf of each kept n-gram in the training texts: log((1 + texts) / (1 + texts with it)) + 1."""
    df = Counter(g for gs in texts_grams for g in gs)
    n = len(texts_grams)
    return np.array([math.log((1 + n) / (1 + df[g])) + 1.0 for g in vocab], dtype=np.float32)


def design(texts_counts: list[Counter], vocab: list[str], idf: np.ndarray) -> np.ndarray:
    """TF-IDF of the kept n-grams, each row scaled to unit length (as TypeModel.features does for one story)."""
    index = {g: i for i, g in enumerate(vocab)}
    x = np.zeros((len(texts_counts), len(vocab)), dtype=np.float32)
    for row, counts in enumerate(texts_counts):
        found = sorted(i for g in counts if (i := index.get(g)) is not None)
        if found:
            x[row, found] = tfidf([counts[vocab[i]] for i in found], idf[found])
    return x


def train(texts: list[str], labels: list[str], lexicons: list[dict[str, float]], *, size: int = 4000,
          l2: float = 1e-4, steps: int = 300, rate: float = 0.05) -> TypeModel:
    """Multinomial logistic regression with class-balanced weights and an L2 penalty, fitted by Adam (full batch)."""
    classes = sorted(set(labels))
    fraud = [c for c in classes if c != NOT_FRAUD]
    texts_counts = [gram_counts(t) for t in texts]
    texts_grams = [set(c) for c in texts_counts]
    vocab = select_vocab(texts_grams, labels, size)
    idf = inverse_document_frequency(texts_grams, vocab)
    x = np.hstack([design(texts_counts, vocab, idf),
                   np.array([lexicon_inputs(lex, fraud) for lex in lexicons], dtype=np.float32).reshape(len(texts),
                                                                                                       len(fraud))])
    y = np.array([classes.index(label) for label in labels])
    onehot = np.eye(len(classes), dtype=np.float32)[y]
    per_class = onehot.sum(axis=0)
    sample = (len(y) / (len(classes) * per_class))[y].astype(np.float32)[:, None] / len(y)
    w = np.zeros((x.shape[1], len(classes)), dtype=np.float32)
    b = np.zeros(len(classes), dtype=np.float32)
    params, moments = [w, b], [[np.zeros_like(w), np.zeros_like(w)], [np.zeros_like(b), np.zeros_like(b)]]
    for step in range(1, steps + 1):
        logits = x @ w + b
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        delta = (p - onehot) * sample
        grads = [x.T @ delta + 2 * l2 * w, delta.sum(axis=0)]
        for param, grad, (m, v) in zip(params, grads, moments):
            m *= 0.9
            m += 0.1 * grad
            v *= 0.999
            v += 0.001 * grad * grad
            param -= rate * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
    k = len(vocab)
    return TypeModel(classes, vocab, w[:k], w[k:], b, idf=idf)


def with_calibration(model: TypeModel, calibration: Calibration, not_fraud_below: float = 1.0) -> TypeModel:
    return replace(model, calibration=calibration, not_fraud_below=not_fraud_below)


def with_bias(model: TypeModel, bias: np.ndarray) -> TypeModel:
    return replace(model, bias=bias)


def _pack(matrix: np.ndarray) -> dict:
    """int8 per column with a per-column scale: a quarter of float32, more than precise enough for a linear model."""
    scale = np.maximum(np.abs(matrix).max(axis=0), 1e-9) / 127
    q = np.clip(np.round(matrix / scale), -127, 127).astype(np.int8)
    return {"shape": list(matrix.shape), "scale": [float(s) for s in scale],
            "int8": base64.b64encode(q.tobytes()).decode("ascii")}


def _unpack(data: dict) -> np.ndarray:
    q = np.frombuffer(base64.b64decode(data["int8"]), dtype=np.int8).reshape(data["shape"])
    return (q.astype(np.float32) * np.array(data["scale"], dtype=np.float32)).astype(np.float32)


def save(model: TypeModel, path: Path = MODEL_FILE) -> None:
    cal = model.calibration
    data = {"labels": model.labels, "vocab": model.vocab, "weights": _pack(model.weights),
            "lexicon_weights": [[round(float(v), 4) for v in row] for row in model.lexicon_weights],
            "bias": [round(float(v), 4) for v in model.bias],
            "calibration": {"bin_edges": list(cal.bin_edges), "bin_accuracy": list(cal.bin_accuracy)},
            "not_fraud_below": model.not_fraud_below}
    if model.idf is not None:
        data["idf"] = [round(float(v), 3) for v in model.idf]
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


@lru_cache(maxsize=2)
def load(path: Path = MODEL_FILE) -> TypeModel | None:
    """The committed model, or None when there is none (the desk then falls back to the lexicon)."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    cal = data["calibration"]
    return TypeModel(data["labels"], data["vocab"], _unpack(data["weights"]),
                     np.array(data["lexicon_weights"], dtype=np.float32), np.array(data["bias"], dtype=np.float32),
                     Calibration(tuple(cal["bin_edges"]), tuple(cal["bin_accuracy"])), data.get("not_fraud_below", 1.0),
                     np.array(data["idf"], dtype=np.float32) if "idf" in data else None)
