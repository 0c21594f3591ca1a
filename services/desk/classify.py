"""Propose a fraud type for a caller's story: cue lexicon (fraud_cues.toml) feeding the character n-gram model, with
reasons and a calibrated confidence; when the story does not read as a fraud story, or the calibrated confidence is below
PROPOSE_AT, no type is proposed (the desk says 未能判断类型)."""

import logging
import os
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from services.desk import type_model
from vocabulary import FRAUD_TYPE_SHARES, FraudType

DEFAULT_CUES_FILE = Path(__file__).with_name("fraud_cues.toml")
CUES_FILE_VARIABLE = "FANZHA_CUES_FILE"
# A cue right after one of these was denied by the caller ("不是刷单", "没有贷款").
NEGATION = re.compile(r"(?:不是|没有|并非|不像|从没|从未|没|未)(?:在|做|搞|去|有|办|用)?$")
NEGATION_LOOKBACK = 4
# Calibrated confidence (share of such proposals that were right in cross-validation) needed to propose a type.
PROPOSE_AT = 0.3
HIGH_AT = 0.8
MEDIUM_AT = 0.65
MAX_REASONS = 5

log = logging.getLogger(__name__)

CueTable = dict[str, dict[FraudType, float]]


@dataclass(frozen=True)
class Lexicon:
    """Cue words with their weight per fraud type, and one compiled pattern matching any of them."""

    weights: CueTable  # case-folded cue → fraud type → weight
    spelling: dict[str, str]  # case-folded cue → as written in the lexicon
    pattern: re.Pattern[str] | None


@dataclass(frozen=True)
class Suggestion:
    """A proposed fraud type, its score (sum of the matched cues' weights) and the cues that led to it."""

    fraud_type: FraudType
    score: float
    cues: list[str]

    @property
    def label(self) -> str:
        return FraudType(self.fraud_type).label

    def explanation(self) -> str:
        """E.g. "安全账户、洗钱 → 冒充公检法及政府机关类"."""
        return f"{'、'.join(self.cues)} → {self.label}"


def _read(path: Path) -> CueTable:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    table: CueTable = {}
    for section, cues in data.items():
        try:
            fraud_type = FraudType(section)
        except ValueError:
            raise ValueError(f"提示词库 {path}：未知的诈骗类型“{section}”") from None
        if not isinstance(cues, dict):
            raise ValueError(f"提示词库 {path}：[{section}] 下应为“提示词 = 权重”")
        for cue, weight in cues.items():
            if isinstance(weight, bool) or not isinstance(weight, int | float) or not cue.strip():
                raise ValueError(f"提示词库 {path}：[{section}] 中“{cue}”的权重应为数字")
            table.setdefault(cue.strip(), {})[fraud_type] = float(weight)
    return table


def _merge(base: CueTable, extra: CueTable) -> CueTable:
    merged = {cue: dict(types) for cue, types in base.items()}
    for cue, types in extra.items():
        merged.setdefault(cue, {}).update(types)
    return {cue: kept for cue, types in merged.items() if (kept := {t: w for t, w in types.items() if w != 0})}


def _trie_regex(words: list[str]) -> str:
    """One regex for many literals, as a character trie, so matching is one pass without trying every word."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{'|'.join(branches)})"
        # Optional tail, greedy: the longest cue at a position wins ("注销校园贷" over "注销").
        return f"(?:{body})?" if "" in node else body

    return build(trie)


def _lexicon(table: CueTable) -> Lexicon:
    weights: CueTable = {}
    spelling: dict[str, str] = {}
    for cue, types in table.items():
        key = cue.casefold()
        weights.setdefault(key, {}).update(types)
        spelling.setdefault(key, cue)
    pattern = re.compile(_trie_regex(list(weights)), re.IGNORECASE) if weights else None
    return Lexicon(weights, spelling, pattern)


@lru_cache(maxsize=8)
def _cached(path: str, _mtime: float, extra: str | None, _extra_mtime: float | None) -> Lexicon:
    table = _read(Path(path))
    if extra:
        try:
            table = _merge(table, _read(Path(extra)))
        except (OSError, ValueError, tomllib.TOMLDecodeError) as error:
            # The desk must keep working with the built-in lexicon; the operator sees this in the log.
            log.warning("忽略用户提示词库 %s：%s", extra, error)
    return _lexicon(table)


def _mtime(path: str) -> float | None:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return None


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """The cue lexicon (built-in, or `path`) merged with the user's FANZHA_CUES_FILE; cached until a file changes."""
    main = str(path or DEFAULT_CUES_FILE)
    extra = os.environ.get(CUES_FILE_VARIABLE) or None
    return _cached(main, _mtime(main) or 0.0, extra, _mtime(extra) if extra else None)


def _negated(text: str, start: int) -> bool:
    return NEGATION.search(text, max(0, start - NEGATION_LOOKBACK), start) is not None


def _by_weight(cue: tuple[float, int, str]) -> tuple[float, int]:
    weight, position, _ = cue
    return -weight, position


def suggest_fraud_type(text: str, lexicon: Lexicon | None = None) -> list[Suggestion]:
    """Fraud types ranked by matched cue weight (ties: the more common type first); empty when no cue matches."""
    lexicon = lexicon or load_lexicon()
    if lexicon.pattern is None:
        return []
    scores: dict[FraudType, float] = {}
    matched: dict[FraudType, list[tuple[float, int, str]]] = {}
    counted: set[str] = set()
    for match in lexicon.pattern.finditer(text):
        cue = match[0].casefold()
        if cue in counted or cue not in lexicon.weights or _negated(text, match.start()):
            continue
        counted.add(cue)
        for fraud_type, weight in lexicon.weights[cue].items():
            scores[fraud_type] = scores.get(fraud_type, 0.0) + weight
            matched.setdefault(fraud_type, []).append((weight, match.start(), lexicon.spelling[cue]))
    suggestions = [
        Suggestion(fraud_type, round(score, 3), [cue for _, _, cue in sorted(matched[fraud_type], key=_by_weight)])
        for fraud_type, score in scores.items() if score > 0
    ]
    return sorted(suggestions, key=lambda s: (-s.score, -FRAUD_TYPE_SHARES.get(s.fraud_type, 0.0)))


@dataclass(frozen=True)
class TypeProposal:
    """The proposed type, the words that led to it (cue words first, then telling character n-grams), confidence 0–1."""

    fraud_type: FraudType
    reasons: list[str]
    confidence: float

    @property
    def label(self) -> str:
        return FraudType(self.fraud_type).label

    @property
    def level(self) -> str:
        """高/中/低 by calibrated confidence."""
        return "高" if self.confidence >= HIGH_AT else "中" if self.confidence >= MEDIUM_AT else "低"


def propose_fraud_type(text: str, model: "type_model.TypeModel | None" = None,
                       lexicon: Lexicon | None = None) -> TypeProposal | None:
    """The one type to propose, or None when the story does not read as fraud, the calibrated confidence is below
    PROPOSE_AT, or there is no model and no cue."""
    found = suggest_fraud_type(text, lexicon)
    model = model or type_model.load()
    if model is None:  # no weights file: the lexicon alone, without a measured confidence
        return TypeProposal(found[0].fraud_type, found[0].cues[:MAX_REASONS], 0.0) if found else None
    reading = model.read(text, {s.fraud_type.value: s.score for s in found})
    if not reading.fraud_story or reading.confidence < PROPOSE_AT:
        return None
    cues = next((s.cues for s in found if s.fraud_type.value == reading.label), [])
    reasons = (cues + [g for g in reading.reasons if not any(g in cue for cue in cues)])[:MAX_REASONS]
    return TypeProposal(FraudType(reading.label), reasons, round(reading.confidence, 2))
