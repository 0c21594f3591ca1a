"""A small explainable fraud-type model: logistic regression on character 1–3-grams and the cue lexicon, calibrated.

Trained from labelled texts (tests/data/narratives, training split) by scripts/eval_narratives.py --write; the weights
are a compact JSON file (type_model.json) so nothing is fetched or trained at run time. A story is reduced to its
Chinese characters and letters (digits, punctuation, spaces and 年月日时分 are dropped: the case records it learns from carry
none), cut into the character 1-, 2- and 3-grams kept at training time (chosen by chi-square against each class and
against fraud at large), and scored per class (the 12 fraud types and "not fraud") by a multinomial logistic regression
whose inputs are those n-grams (TF-IDF: (1 + log count) times the n-gram's inverse document frequency in the training
texts, the story's vector scaled to unit length) plus the lexicon's cue score per type, so the lexicon's weight is
learned too. A story reads as a fraud story when the probability of "not fraud" is below the model's `not_fraud_below`
(chosen by cross-validation on the training split so that ordinary texts almost never get a type). The probability of
the best fraud type is the raw confidence, mapped through reliability bins measured by cross-validation on the training
split (the share of fraud-story readings in each bin whose type was right) to the calibrated confidence. The reasons are
the n-grams typical of that type in the training texts that pushed the story most towards it rather than "not fraud" and
rather than the other types.
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
# Besides digits and punctuation, the characters of dates and times: the police records the model learns from had every
# 年, 月, 日, 时 and 分 stripped (当时 reads 当), so left in, they would tell it a text is not a police record, not its type.
_DROP = re.compile(r"[^\u3400-\u9fffA-Za-z]+|[年月日时分]")
# A reason is an n-gram typical of the proposed type: in this many of the type's training texts at least, and in a
# share of them at least TYPICAL_RATIO times its share of all fraud texts (出售 for 虚假购物; not 转账 or 联系).
TYPICAL_MIN_TEXTS = 2
TYPICAL_RATIO = 2.0
# Characters that begin or end no reason: particles, pronouns and prepositions a character n-gram catches at its edges.
EDGE_CHARACTERS = "的了一在是被对后向让给把其于将与和及并又也就都而从"
# A fragment is shown as a longer n-gram holding it when the longer one is in this share of the texts the fragment is in.
WHOLE_SHARE = 0.8
# Words of the telling itself (who is who in a police record or a caller's story): never a reason for one type, however
# a model happens to weigh them.
STORY_WORDS = frozenset({"对方", "被骗", "事主", "受害人", "报警人", "报案人", "民警", "本人", "被告人", "被害人", "嫌疑人"})


def _latin_words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.casefold()))


def normalise(text: str) -> str:
    """Only Chinese characters and letters, lower case, without 年月日时分: the case records carry none of these."""
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
    # (len(vocab), len(labels)): in how many training texts of each class an n-gram occurs, and the classes' sizes;
    # None: every lifting n-gram may be a reason (a weights file written before the reasons needed them)
    class_df: np.ndarray | None = None
    class_sizes: np.ndarray | None = None

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
        reasons = self._reasons(found, values, best, text.casefold())
        return Reading(self.labels[best], raw, self.calibration(raw), reasons, story)

    def _reasons(self, found: list[int], values: np.ndarray, best: int, story: str, count: int = 5) -> list[str]:
        """The n-grams (two characters or more) typical of the type that pushed most towards it both rather than "not
        fraud" and rather than the other fraud types on average (the smaller of the two weight differences, times the
        n-gram's value in this story): 转账 or 对方 push every fraud type alike and tell the officer nothing about which.
        Each is written as such in the (case-folded) story and overlaps no other where the story has them."""
        if not found:
            return []
        weights = self.weights[found]
        fraud = [self.labels.index(c) for c in self.fraud_labels if self.labels.index(c) != best]
        lift = np.minimum(weights[:, best] - weights[:, self.labels.index(NOT_FRAUD)],
                          weights[:, best] - weights[:, fraud].mean(axis=1)) * values
        grams = [self.vocab[i] for i in found]
        lifting = {g: float(v) for g, v, i in zip(grams, lift, found) if v > 0 and self._typical(i, best)}
        latin_words = _latin_words(story)
        chosen: list[str] = []
        told = _where(STORY_WORDS, story)  # 对方, 被骗…: no reason holds or cuts one (后对方, 方自 of 对方自称)
        shown = bytearray(len(story))  # where the story has the reasons chosen so far
        for j in np.argsort(-lift, kind="stable"):
            if lift[j] <= 0 or len(chosen) == count:
                break
            if len(grams[j]) == 1 or grams[j] not in lifting:
                continue
            gram = _trim(self._whole(grams[j], lifting))
            if gram not in lifting or len(gram) == 1:  # trimmed to a word every type shares (电话对 → 电话), or to nothing
                continue
            part_of_a_word = gram.isascii() and gram not in latin_words  # pp of APP: no reason an officer can read
            spans = _occurrences(gram, story)  # none: only the text without punctuation or dates has it (至间)
            if spans and not part_of_a_word and not any(_marked(told, s) or _marked(shown, s) for s in spans):
                chosen.append(gram)
                _mark(shown, spans)
        return chosen

    def _typical(self, i: int, label: int) -> bool:
        return bool(self._typical_of[i, label])

    @cached_property
    def _typical_of(self) -> np.ndarray:
        """(len(vocab), len(labels)): whether each n-gram is typical of each class: in at least TYPICAL_MIN_TEXTS of its
        training texts, and in a share of them at least TYPICAL_RATIO times its share of all fraud texts."""
        if self.class_df is None or self.class_sizes is None:
            return np.ones((len(self.vocab), len(self.labels)), dtype=bool)
        fraud = [self.labels.index(c) for c in self.fraud_labels]
        share_of_fraud = self.class_df[:, fraud].sum(axis=1) / self.class_sizes[fraud].sum()
        return (self.class_df >= TYPICAL_MIN_TEXTS) & (
            self.class_df / np.maximum(self.class_sizes, 1) >= TYPICAL_RATIO * share_of_fraud[:, None])

    def _whole(self, gram: str, lifting: dict[str, float]) -> str:
        """A fragment (付宝) as the longest lifting n-gram of the story that holds it wherever the training texts have
        it (支付宝); 刷单 stays 刷单 though the story says 刷单被骗. Of two as long, the one lifting more (then the string:
        a set's order would change from run to run)."""
        if self.class_df is None:
            return max((g for g in lifting if gram in g), key=lambda g: (len(g), lifting[g], g))
        texts_with = self.class_df.sum(axis=1)
        index = self.index
        always = [g for g in lifting if gram in g and texts_with[index[g]] >= WHOLE_SHARE * texts_with[index[gram]]]
        return max(always, key=lambda g: (len(g), lifting[g], g))


def _occurrences(gram: str, story: str) -> list[tuple[int, int]]:
    """Where the story has the n-gram, as (start, end)."""
    spans, at = [], story.find(gram)
    while at != -1:
        spans.append((at, at + len(gram)))
        at = story.find(gram, at + 1)
    return spans


def _where(words: frozenset[str], story: str) -> bytearray:
    """The story's characters that belong to one of the words, marked 1."""
    marks = bytearray(len(story))
    for word in words:
        _mark(marks, _occurrences(word, story))
    return marks


def _mark(marks: bytearray, spans: list[tuple[int, int]]) -> None:
    for start, end in spans:
        marks[start:end] = b"\x01" * (end - start)


def _marked(marks: bytearray, span: tuple[int, int]) -> bool:
    return marks.find(1, *span) != -1


def _trim(gram: str) -> str:
    """The n-gram without the particles and pronouns a character n-gram catches at its edges (的征信 → 征信, 冒充其 → 冒充)."""
    return gram.lstrip(EDGE_CHARACTERS).rstrip(EDGE_CHARACTERS)


def lexicon_inputs(lexicon: dict[str, float], fraud_labels: list[str]) -> np.ndarray:
    return np.array([LEXICON_SCALE * math.log1p(max(lexicon.get(c, 0.0), 0.0)) for c in fraud_labels],
                    dtype=np.float32)


def select_vocab(texts_grams: list[set[str]], labels: list[str], size: int) -> list[str]:
    """The `size` candidate n-grams most associated with some class or with fraud at large (chi-square of presence vs
    class, max over the classes and "any fraud type"): 骗 or 转账 tell fraud from the rest, however evenly the types
    share them."""
    classes = sorted(set(labels))
    df = Counter(g for gs in texts_grams for g in gs)
    candidates = [g for g, n in df.items() if n >= MIN_DF]
    y = np.array([classes.index(label) for label in labels])
    by_class = class_document_counts(texts_grams, y, candidates, len(classes)).astype(np.float64)
    fraud = [i for i, c in enumerate(classes) if c != NOT_FRAUD]
    counts = np.hstack([by_class, by_class[:, fraud].sum(axis=1, keepdims=True)])  # last column: any fraud type
    n = len(labels)
    per_class = np.bincount(y, minlength=len(classes)).astype(np.float64)
    per_class = np.append(per_class, per_class[fraud].sum())
    present = by_class.sum(axis=1, keepdims=True)
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


def class_document_counts(texts_grams: list[set[str]], y: np.ndarray, vocab: list[str], classes: int) -> np.ndarray:
    """In how many training texts of each class each kept n-gram occurs."""
    index = {g: i for i, g in enumerate(vocab)}
    counts = np.zeros((len(vocab), classes), dtype=np.int64)
    for gs, c in zip(texts_grams, y):
        for g in gs:
            if (i := index.get(g)) is not None:
                counts[i, c] += 1
    return counts


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
    return TypeModel(classes, vocab, w[:k], w[k:], b, idf=idf, class_df=class_document_counts(texts_grams, y, vocab,
                                                                                              len(classes)),
                     class_sizes=per_class.astype(np.int64))


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
    if model.class_df is not None and model.class_sizes is not None:
        if model.class_df.max(initial=0) > np.iinfo(np.uint16).max:
            raise ValueError("class_df counts exceed 65,535: store them wider")
        data["class_df"] = {"shape": list(model.class_df.shape),
                            "uint16": base64.b64encode(model.class_df.astype(np.uint16).tobytes()).decode("ascii")}
        data["class_sizes"] = [int(n) for n in model.class_sizes]
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
                     np.array(data["idf"], dtype=np.float32) if "idf" in data else None,
                     _class_df(data.get("class_df")),
                     np.array(data["class_sizes"], dtype=np.int64) if "class_sizes" in data else None)


def _class_df(data: dict | None) -> np.ndarray | None:
    if data is None:
        return None
    return np.frombuffer(base64.b64decode(data["uint16"]), dtype=np.uint16).reshape(data["shape"]).astype(np.int64)
