"""Integrity monitor against downgrading: losses bunched under thresholds, downward revisions, retyped cases.

Bunching test: for a threshold T, the cases of a unit in [T−10%, T) against [T, T+10%) under an exact
binomial test. A loss distribution falls with the amount, so even honest data has somewhat more cases
below T than above; the expected share below is therefore estimated from every other unit's cases in
the same bands (never below one half), and a unit is flagged when its own share is improbably higher.
"""

import math
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import defer
from sqlmodel import Session

from db.models import CaseRevision, FraudCase, Unit
from services.access.actor import Actor
from services.access.permissions import Permission
from services.access.scope import require, scoped_unit
from services.accountability.rules import all_versions, effective_rules
from services.accountability.text import (
    INTEGRITY_BUNCHING_DETAIL,
    INTEGRITY_DOWNWARD_DETAIL,
    INTEGRITY_RETYPED_DETAIL,
)
from services.shared.money import format_wan
from services.shared.timeutil import shanghai_today
from vocabulary import FraudType, IntegrityKind

WINDOW_DAYS = 365
BAND = 10  # percent of the threshold on either side
MIN_CASES = 10
ALPHA = 0.01
LOSS_FIELD, TYPE_FIELD = "loss_fen", "fraud_type"
TELECOM_TYPES = frozenset(t.value for t in FraudType if t is not FraudType.OTHER)


def binomial_upper_tail(k: int, n: int, p: float) -> float:
    """P(X ≥ k) for X ~ Binomial(n, p): the exact test's tail, summed term by term in logs (no overflow at large n)."""
    if k <= 0:
        return 1.0
    if k > n or p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    log_p, log_q, log_n = math.log(p), math.log1p(-p), math.lgamma(n + 1)
    logs = [log_n - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * log_p + (n - i) * log_q for i in range(k, n + 1)]
    top = max(logs)
    return min(1.0, math.exp(top) * sum(math.exp(value - top) for value in logs))


def expected_share_below(below: int, above: int) -> float:
    """The reference share of cases just below a threshold: smoothed, and at least one half."""
    return max(0.5, (below + 1) / (below + above + 2))


@dataclass(frozen=True)
class IntegrityFlag:
    """One thing for a leader to check, with the cases behind it."""

    kind: IntegrityKind
    unit_id: int
    unit_name: str
    detail: str
    case_ids: tuple[int, ...]
    p_value: float | None = None
    threshold_fen: int | None = None


def bands(threshold_fen: int) -> tuple[int, int, int]:
    """(start of the band below, threshold, end of the band above) in fen."""
    width = threshold_fen * BAND // 100
    return threshold_fen - width, threshold_fen, threshold_fen + width


def _count(condition):
    return func.sum(case((condition, 1), else_=0))


def _band_counts(session: Session, thresholds: list[int], start: datetime,
                 end: datetime) -> dict[int, list[tuple[int, int]]]:
    """Per unit with cases in a band: (cases below, cases above) each threshold, in the window start..end."""
    in_window = and_(FraudCase.reported_at >= start, FraudCase.reported_at <= end)
    columns = []
    for threshold in thresholds:
        low, _, high = bands(threshold)
        columns += [_count(and_(in_window, FraudCase.loss_fen >= low, FraudCase.loss_fen < threshold)),
                    _count(and_(in_window, FraudCase.loss_fen >= threshold, FraudCase.loss_fen < high))]
    # Every unit's cases (the reference), with only the bands in WHERE and the window in the counts: SQLite then
    # reads the few banded cases through the loss index instead of a year of cases through the date index.
    statement = (select(FraudCase.unit_id, *columns)
                 .where(or_(*(FraudCase.loss_fen.between(bands(t)[0], bands(t)[2] - 1) for t in thresholds)))
                 .group_by(FraudCase.unit_id))
    return {unit_id: list(zip(counts[::2], counts[1::2])) for unit_id, *counts in session.execute(statement)}


def _cases_below(session: Session, unit_id: int, threshold: int, start: datetime, end: datetime) -> tuple[int, ...]:
    statement = (select(FraudCase.id)
                 .where(FraudCase.unit_id == unit_id, FraudCase.reported_at >= start, FraudCase.reported_at <= end,
                        FraudCase.loss_fen >= bands(threshold)[0], FraudCase.loss_fen < threshold)
                 .order_by(FraudCase.id))
    return tuple(session.execute(statement).scalars())


def bunching_flags(session: Session, units: dict[int, Unit], start: datetime, end: datetime,
                   today: date) -> list[IntegrityFlag]:
    """Units in `units` whose cases crowd just under a threshold, compared with all other units' cases."""
    thresholds = sorted({r.threshold_fen for r in effective_rules(session, today)})
    counts = _band_counts(session, thresholds, start, end) if thresholds else {}
    flags = []
    for position, threshold in enumerate(thresholds):
        low, _, high = bands(threshold)
        below = {unit_id: pairs[position][0] for unit_id, pairs in counts.items() if pairs[position][0]}
        above = {unit_id: pairs[position][1] for unit_id, pairs in counts.items() if pairs[position][1]}
        all_below, all_above = sum(below.values()), sum(above.values())
        for unit_id in sorted(set(below) & set(units)):
            k, n = below[unit_id], below[unit_id] + above.get(unit_id, 0)
            share = expected_share_below(all_below - k, all_above - above.get(unit_id, 0))
            p = binomial_upper_tail(k, n, share)
            if n >= MIN_CASES and p < ALPHA:
                detail = INTEGRITY_BUNCHING_DETAIL.format(
                    threshold=format_wan(threshold, 0), below_from=format_wan(low, 0), above_to=format_wan(high, 0),
                    below=k, above=above.get(unit_id, 0), expected=share, p=p)
                flags.append(IntegrityFlag(IntegrityKind.BUNCHING, unit_id, units[unit_id].name, detail,
                                           _cases_below(session, unit_id, threshold, start, end), p, threshold))
    return flags


def _revisions(session: Session, fields: tuple[str, ...], unit_ids: set[int], start: datetime, end: datetime):
    """(field, case id, old, new, unit id, reported at) of the revisions of those fields in the window, by case."""
    return session.execute(
        select(CaseRevision.field, CaseRevision.case_id, CaseRevision.old_value, CaseRevision.new_value,
               FraudCase.unit_id, FraudCase.reported_at)
        .join(FraudCase, FraudCase.id == CaseRevision.case_id)
        .where(CaseRevision.field.in_(fields), CaseRevision.at >= start, CaseRevision.at <= end,
               FraudCase.unit_id.in_(unit_ids))
        .order_by(CaseRevision.case_id)
    ).all()


def _as_fen(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _per_unit(kind: IntegrityKind, template: str, hits: dict[int, set[int]], units: dict[int, Unit]) -> list[IntegrityFlag]:
    return [IntegrityFlag(kind, unit_id, units[unit_id].name, template.format(count=len(ids)), tuple(sorted(ids)))
            for unit_id, ids in sorted(hits.items())]


class _ThresholdsOn:
    """The thresholds in force on a Beijing date, looked up once per span of dates between rule changes."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._changes = sorted({v.effective_from for v in all_versions(session)})
        self._cache: dict[int, list[int]] = {}

    def __call__(self, day: date) -> list[int]:
        span = bisect_right(self._changes, day)
        if span not in self._cache:
            self._cache[span] = [r.threshold_fen for r in effective_rules(self._session, day)]
        return self._cache[span]


def _downward_hits(session: Session, revisions) -> dict[int, set[int]]:
    hits: dict[int, set[int]] = defaultdict(set)
    if not revisions:
        return hits
    thresholds_on = _ThresholdsOn(session)
    for _, case_id, old, new, unit_id, reported_at in revisions:
        before, after = _as_fen(old), _as_fen(new)
        if before is not None and after is not None and any(
                after < t <= before for t in thresholds_on(shanghai_today(reported_at))):
            hits[unit_id].add(case_id)
    return hits


def _retyped_hits(revisions) -> dict[int, set[int]]:
    hits: dict[int, set[int]] = defaultdict(set)
    for _, case_id, old, new, unit_id, _ in revisions:
        if old in TELECOM_TYPES and new == FraudType.OTHER.value:
            hits[unit_id].add(case_id)
    return hits


def downward_flags(session: Session, units: dict[int, Unit], start: datetime, end: datetime) -> list[IntegrityFlag]:
    """Per unit, the cases whose loss was revised from at or over a threshold to under it."""
    hits = _downward_hits(session, _revisions(session, (LOSS_FIELD,), set(units), start, end))
    return _per_unit(IntegrityKind.DOWNWARD, INTEGRITY_DOWNWARD_DETAIL, hits, units)


def retyped_flags(session: Session, units: dict[int, Unit], start: datetime, end: datetime) -> list[IntegrityFlag]:
    """Per unit, the cases whose type was changed from a telecom-fraud category to 其他."""
    hits = _retyped_hits(_revisions(session, (TYPE_FIELD,), set(units), start, end))
    return _per_unit(IntegrityKind.RETYPED, INTEGRITY_RETYPED_DETAIL, hits, units)


def integrity_flags(session: Session, actor: Actor, unit_id: int | None, now: datetime,
                    days: int = WINDOW_DAYS) -> list[IntegrityFlag]:
    """All flags for the units of a subtree in scope, over the `days` days up to and including now (leaders only)."""
    require(actor, Permission.SIGN_OFF)
    root = scoped_unit(session, actor, unit_id)
    units = {u.id: u for u in session.execute(
        select(Unit).options(defer(Unit.boundary_geojson)).where(Unit.path.startswith(root.path))).scalars()}
    start = now - timedelta(days=days)
    # Both kinds of revision in one query: SQLite answers it by walking every case of the subtree.
    revisions = _revisions(session, (LOSS_FIELD, TYPE_FIELD), set(units), start, now)
    downward = _downward_hits(session, [r for r in revisions if r.field == LOSS_FIELD])
    retyped = _retyped_hits([r for r in revisions if r.field == TYPE_FIELD])
    return [*bunching_flags(session, units, start, now, shanghai_today(now)),
            *_per_unit(IntegrityKind.DOWNWARD, INTEGRITY_DOWNWARD_DETAIL, downward, units),
            *_per_unit(IntegrityKind.RETYPED, INTEGRITY_RETYPED_DETAIL, retyped, units)]
