"""Identifiers across calls and cases: upsert and link, "seen before", hot leads, search.

What crosses units (README, 跨单位线索): an identifier's value, kind, bank, report counts, first/last seen and the
names of the units that reported it. Linked loss is summed over the actor's scope only; other units' cases are
counted, never summed or shown (and no caller, victim or narrative leaves this module).
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from db.models import DeskCall, FraudCase, Identifier, IdentifierLink, Unit
from db.types import UTCDateTime
from services.access.actor import Actor
from services.access.permissions import Permission
from services.access.scope import require, scoped_unit_ids
from services.desk.identifier_actions import ActionSummary, summaries
from services.desk.identifiers import normalise
from vocabulary import IdentifierKind

HOT_LEAD_REPORTS = 3
_INSERTS = {"postgresql": pg_insert, "sqlite": sqlite_insert}


def _identifier_id(session: Session, kind: str, value: str, bank: str | None, seen_at: datetime) -> int:
    insert = _INSERTS[session.get_bind().dialect.name]
    session.execute(
        insert(Identifier).values(kind=kind, value_norm=value, bank_name=bank, first_seen_at=seen_at,
                                  last_seen_at=seen_at, report_count=0)
        .on_conflict_do_nothing(index_elements=["kind", "value_norm"])
    )
    return session.execute(
        select(Identifier.id).where(Identifier.kind == kind, Identifier.value_norm == value)
    ).scalar_one()


def stored_identifier(session: Session, kind: str, value: str, seen_at: datetime) -> int:
    """The id of a normalised identifier, created (with no reports) when new."""
    return _identifier_id(session, kind, value, None, seen_at)


def link_identifiers(session: Session, identifiers: list[tuple[str, str, str | None]], *, call_id: int | None,
                     case_id: int | None, seen_at: datetime) -> list[int]:
    """Record that a call (and the case it became, as one report) named these identifiers."""
    ids = []
    seen = literal(seen_at, UTCDateTime())  # typed, so SQLite stores UTC text like every other timestamp
    for kind, value, bank in identifiers:
        identifier_id = _identifier_id(session, kind, value, bank, seen_at)
        session.add(IdentifierLink(identifier_id=identifier_id, call_id=call_id, case_id=case_id, seen_at=seen_at))
        session.execute(
            update(Identifier).where(Identifier.id == identifier_id).values(
                report_count=Identifier.report_count + 1,
                first_seen_at=case((Identifier.first_seen_at > seen, seen), else_=Identifier.first_seen_at),
                last_seen_at=case((Identifier.last_seen_at < seen, seen), else_=Identifier.last_seen_at),
            )
        )
        ids.append(identifier_id)
    session.flush()
    return ids


@dataclass(frozen=True)
class SeenBefore:
    """What is known of one identifier from earlier calls and cases."""

    kind: str
    value: str
    calls: int
    cases: int
    first_seen: datetime | None
    last_seen: datetime | None
    units: list[str]
    loss_fen: int  # linked cases of the actor's scope only
    cases_outside: int = 0  # linked cases of other units: counted, their loss not shown
    identifier_id: int | None = None  # None: never stored
    actions: ActionSummary = ActionSummary()  # 银行/运营商/平台报送 and 封停

    @property
    def suspended(self) -> bool:
        return self.actions.suspended_on is not None

    @property
    def known(self) -> bool:
        """Whether anything is on record: calls, cases, 报送 or 封停."""
        return self.reports > 0 or bool(self.actions.sources) or self.suspended

    @property
    def reports(self) -> int:
        return self.calls + self.cases

    @property
    def hot(self) -> bool:
        return self.reports >= HOT_LEAD_REPORTS


def _seen(session: Session, actor: Actor, identifier: Identifier) -> SeenBefore:
    links = select(IdentifierLink).where(IdentifierLink.identifier_id == identifier.id).subquery()
    calls = session.execute(select(func.count()).select_from(links).where(links.c.call_id.is_not(None),
                                                                          links.c.case_id.is_(None))).scalar()
    cases = session.execute(select(func.count(func.distinct(links.c.case_id)))
                            .where(links.c.case_id.is_not(None))).scalar()
    first, last = session.execute(select(func.min(links.c.seen_at), func.max(links.c.seen_at))).one()
    mine = FraudCase.unit_id.in_(scoped_unit_ids(actor))
    loss, outside = session.execute(
        select(func.coalesce(func.sum(case((mine, FraudCase.loss_fen), else_=0)), 0),
               func.coalesce(func.sum(case((mine, 0), else_=1)), 0))
        .where(FraudCase.id.in_(select(links.c.case_id).where(links.c.case_id.is_not(None))))
    ).one()
    case_units = select(FraudCase.unit_id).where(FraudCase.id.in_(select(links.c.case_id)))
    call_units = select(DeskCall.jurisdiction_unit_id).where(DeskCall.id.in_(select(links.c.call_id)))
    units = session.execute(
        select(Unit.name).where(Unit.id.in_(case_units.union(call_units))).order_by(Unit.path).limit(12)
    ).scalars().all()
    actions = summaries(session, [identifier.id]).get(identifier.id, ActionSummary())
    return SeenBefore(identifier.kind, identifier.value_norm, int(calls), int(cases), first, last, list(units), int(loss),
                      int(outside), identifier.id, actions)


def seen_before(session: Session, actor: Actor, kind: str, value_norm: str) -> SeenBefore:
    """Earlier calls and cases naming an identifier, in any jurisdiction (for the desk); loss of the actor's scope."""
    require(actor, Permission.VIEW_CALLS)
    identifier = session.execute(
        select(Identifier).where(Identifier.kind == kind, Identifier.value_norm == value_norm)
    ).scalar_one_or_none()
    if identifier is None:
        return SeenBefore(kind, value_norm, 0, 0, None, None, [], 0)
    return _seen(session, actor, identifier)


def search(session: Session, actor: Actor, raw: str) -> list[SeenBefore]:
    """Everything known of whatever identifier the text is (phone, account, URL, QQ, WeChat…)."""
    require(actor, Permission.VIEW_CALLS)
    candidates = {(kind.value, value) for kind in IdentifierKind if (value := normalise(kind, raw))}
    if not candidates:
        return []
    values = {value for _, value in candidates}
    found = session.execute(select(Identifier).where(Identifier.value_norm.in_(values))).scalars().all()
    return [_seen(session, actor, i) for i in found if (i.kind, i.value_norm) in candidates]


@dataclass(frozen=True)
class HotLead:
    """An identifier named by several separate calls or cases."""

    id: int
    kind: str
    value: str
    bank_name: str | None
    reports: int
    first_seen: datetime
    last_seen: datetime | None
    suspended_on: date | None = None  # 已封停: not worth chasing


def hot_leads(session: Session, actor: Actor, limit: int = 100) -> list[HotLead]:
    """Identifiers reported HOT_LEAD_REPORTS times or more anywhere, most reported first (identifiers cross units)."""
    if not actor.can(Permission.VIEW_WALL):  # the wall shows them masked
        require(actor, Permission.VIEW_CALLS)
    rows = session.execute(
        select(Identifier).where(Identifier.report_count >= HOT_LEAD_REPORTS)
        .order_by(Identifier.report_count.desc(), Identifier.last_seen_at.desc()).limit(limit)
    ).scalars().all()
    closed = summaries(session, [i.id for i in rows])
    return [HotLead(i.id, i.kind, i.value_norm, i.bank_name, i.report_count, i.first_seen_at, i.last_seen_at,
                    closed[i.id].suspended_on if i.id in closed else None)
            for i in rows]
