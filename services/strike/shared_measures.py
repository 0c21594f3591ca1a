"""打击挽损 figures of one unit for other pages (map, campaigns): the definitions of services.strike.read, shared."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session

from db.models import RecoveryRequest, Unit
from services.access.actor import Actor
from services.access.permissions import Permission
from services.access.scope import require, scoped_unit
from services.shared.timeutil import Period
from services.strike import read


@dataclass(frozen=True)
class StrikeFigures:
    """破案, 抓获 and the 止付/冻结/返还 amounts of one unit (its subtree, or only itself) over one period."""

    solved: int
    caught: int
    requests: int
    stopped_fen: int
    frozen_fen: int
    returned_fen: int


def _buckets(session: Session, top: Unit, own_only: bool) -> dict[int, int]:
    """Every counted unit → top: the whole subtree, or the unit alone (its 本级)."""
    if own_only:
        return {top.id: top.id}
    ids = session.execute(select(Unit.id).where(Unit.path.startswith(top.path))).scalars().all()
    return dict.fromkeys(ids, top.id)


def _ledger_sums(session: Session, top: Unit, period: Period, own_only: bool) -> tuple[int, int, int, int]:
    rows = read._ledger_rows(session, top, period)  # the 打击挽损 page's rows: requests made in the period
    if own_only:
        rows = rows.where(RecoveryRequest.unit_id == top.id)
    q = rows.subquery()
    n, stopped, frozen, returned = session.execute(select(
        func.count(), func.coalesce(func.sum(q.c.stopped_fen), 0), func.coalesce(func.sum(q.c.frozen_fen), 0),
        func.coalesce(func.sum(q.c.returned_fen), 0))).one()
    return int(n), int(stopped), int(frozen), int(returned)


def strike_figures(session: Session, actor: Actor, unit_id: int | None, period: Period,
                   own_only: bool = False) -> StrikeFigures:
    """破案 (cases solved in the period by solved_on, whatever their report date), 抓获 (strike results of the
    period's days) and 止付/冻结/返还 (ledger requests made in the period), as the 打击挽损 page counts them.

    Covers the unit's whole subtree, or with own_only only what is attached to the unit itself.
    """
    require(actor, Permission.VIEW_CASES)
    top = scoped_unit(session, actor, unit_id)
    figures = read._figures(session, top, period, _buckets(session, top, own_only))
    requests, stopped, frozen, returned = _ledger_sums(session, top, period, own_only)
    return StrikeFigures(figures["solved"].get(top.id, 0), figures["caught"].get(top.id, 0), requests, stopped,
                         frozen, returned)


def own_figures_by_unit(session: Session, top: Unit, period: Period) -> dict[int, StrikeFigures]:
    """Each unit of top's subtree → its own 破案/抓获/止付冻结返还 (nothing of the units below it) over a period,
    as 打击挽损 counts them; the caller has checked the actor may see top's subtree. Units with nothing are left out.
    """
    ids = session.execute(select(Unit.id).where(Unit.path.startswith(top.path))).scalars().all()
    figures = read._figures(session, top, period, {uid: uid for uid in ids})
    q = read._ledger_rows(session, top, period).subquery()
    ledger = {uid: (int(n), int(s), int(f), int(r)) for uid, n, s, f, r in session.execute(
        select(q.c.unit_id, func.count(), func.coalesce(func.sum(q.c.stopped_fen), 0),
               func.coalesce(func.sum(q.c.frozen_fen), 0), func.coalesce(func.sum(q.c.returned_fen), 0))
        .group_by(q.c.unit_id)).all()}
    units = set(figures["solved"]) | set(figures["caught"]) | set(ledger)
    return {uid: StrikeFigures(figures["solved"].get(uid, 0), figures["caught"].get(uid, 0),
                               *ledger.get(uid, (0, 0, 0, 0))) for uid in units}
