"""Narrative assist for the desk: proposed fraud type with its cue words, identifiers and amounts found."""

from dataclasses import dataclass
from decimal import Decimal

from services.desk.classify import suggest_fraud_type
from services.desk.extract import extract
from vocabulary import FraudType, IdentifierKind

MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class TypeHint:
    """A proposed fraud type and the words that led to it."""

    fraud_type: FraudType
    label: str
    cues: list[str]
    score: float


@dataclass(frozen=True)
class FoundIdentifier:
    """An identifier found in the story; `entry` is what the form's field takes (bank + number for accounts)."""

    kind: str
    kind_label: str
    value: str
    entry: str
    note: str | None


@dataclass(frozen=True)
class FoundAmount:
    """An amount found in the story; role says whether it reads as lost, about to be paid, or other."""

    raw: str
    fen: int
    role: str

    @property
    def as_yuan(self) -> str:
        yuan = Decimal(self.fen) / 100
        return str(yuan.quantize(Decimal(1))) if self.fen % 100 == 0 else f"{yuan:.2f}"


@dataclass(frozen=True)
class Assist:
    """Everything proposed from one narrative (nothing is applied until the officer clicks)."""

    types: list[TypeHint]
    identifiers: list[FoundIdentifier]
    amounts: list[FoundAmount]


def assist(narrative: str) -> Assist:
    """Propose the type, identifiers and amounts of a story."""
    if not narrative.strip():
        return Assist([], [], [])
    types = [
        TypeHint(s.fraud_type, FraudType(s.fraud_type).label, s.cues, s.score)
        for s in suggest_fraud_type(narrative)[:MAX_SUGGESTIONS]
    ]
    found = extract(narrative)
    identifiers = [
        FoundIdentifier(
            f.kind.value, IdentifierKind(IdentifierKind(f.kind)).label, f.value_norm,
            f"{f.bank} {f.value_norm}" if f.kind is IdentifierKind.BANK_ACCOUNT and f.bank else f.value_norm, f.note,
        )
        for f in found.identifiers
        if f.kind is not IdentifierKind.ID_CARD  # victims' ID numbers are not leads
    ]
    amounts = [FoundAmount(a.raw, a.fen, role) for role, matches in
               (("lost", found.lost), ("pending", found.pending), ("other", found.other)) for a in matches]
    return Assist(types, identifiers, amounts)
