"""Narrative assist for the desk: proposed fraud type with its reasons and confidence, identifiers and amounts found."""

from dataclasses import dataclass
from decimal import Decimal

from services.desk.classify import propose_fraud_type
from services.desk.extract import extract
from vocabulary import FraudType, IdentifierKind


@dataclass(frozen=True)
class TypeHint:
    """A proposed fraud type, the words that led to it, and its calibrated confidence (0–1) with 高/中/低."""

    fraud_type: FraudType
    label: str
    cues: list[str]
    confidence: float
    level: str


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
    """Everything proposed from one narrative (nothing is applied until the officer clicks).

    types holds at most one proposal; undetermined is True when there was a story but no type was confident enough.
    """

    types: list[TypeHint]
    identifiers: list[FoundIdentifier]
    amounts: list[FoundAmount]
    undetermined: bool = False


def assist(narrative: str) -> Assist:
    """Propose the type, identifiers and amounts of a story."""
    if not narrative.strip():
        return Assist([], [], [])
    proposal = propose_fraud_type(narrative)
    types = [TypeHint(proposal.fraud_type, FraudType(proposal.fraud_type).label, proposal.reasons,
                      proposal.confidence, proposal.level)] if proposal else []
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
    return Assist(types, identifiers, amounts, undetermined=not types)
