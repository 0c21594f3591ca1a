"""Read queries shared by services: units and per-unit aggregates over a time period."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import defer
from sqlmodel import Session

from db.models import AppSetting, DeskCall, FraudCase, Unit
from vocabulary import CallOutcome

DEMO_SETTING_KEY = "demo"


@dataclass(frozen=True)
class CaseTotals:
    """Cases, loss and recovered (fen) of one unit in a period."""

    cases: int = 0
    loss_fen: int = 0
    recovered_fen: int = 0


@dataclass(frozen=True)
class CallTotals:
    """Desk calls and successful dissuasions of one jurisdiction in a period."""

    calls: int = 0
    dissuaded: int = 0


def all_units(session: Session) -> list[Unit]:
    """Every unit, parents before children (boundaries not loaded: only the map needs them)."""
    statement = select(Unit).options(defer(Unit.boundary_geojson)).order_by(Unit.level, Unit.sort_order, Unit.id)
    return list(session.execute(statement).scalars())


def case_totals_by_unit(session: Session, start: datetime, end: datetime) -> dict[int, CaseTotals]:
    """Per unit: count, total loss and recovered of cases reported in [start, end)."""
    statement = (
        select(
            FraudCase.unit_id,
            func.count(),
            func.coalesce(func.sum(FraudCase.loss_fen), 0),
            func.coalesce(func.sum(FraudCase.recovered_fen), 0),
        )
        .where(FraudCase.reported_at >= start, FraudCase.reported_at < end)
        .group_by(FraudCase.unit_id)
    )
    return {unit_id: CaseTotals(int(n), int(loss), int(rec)) for unit_id, n, loss, rec in session.execute(statement)}


def call_totals_by_unit(session: Session, start: datetime, end: datetime) -> dict[int, CallTotals]:
    """Per unit: desk calls received in [start, end) and dissuasions.

    A call belongs to its jurisdiction, or to the desk's own unit when no jurisdiction was given.
    """
    owner = func.coalesce(DeskCall.jurisdiction_unit_id, DeskCall.desk_unit_id)
    dissuaded = func.sum(case((DeskCall.outcome == CallOutcome.DISSUADED.value, 1), else_=0))
    statement = (
        select(owner, func.count(), func.coalesce(dissuaded, 0))
        .where(DeskCall.received_at >= start, DeskCall.received_at < end)
        .group_by(owner)
    )
    return {unit_id: CallTotals(int(n), int(d)) for unit_id, n, d in session.execute(statement)}


def setting(session: Session, key: str) -> str | None:
    """An installation setting's value."""
    return session.execute(select(AppSetting.value).where(AppSetting.key == key)).scalar()
