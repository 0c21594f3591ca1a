"""A small unit tree, actors and case helpers shared by the accountability tests (not collected: no test_ prefix)."""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import Engine, select

from db.engine import read_session, write_session
from db.models import AccountabilityEvent, AccountabilityItem, AppUser, AuditLog, FraudCase, Unit
from services.access.actor import Actor
from services.cases.write import apply_changes, insert_case
from services.shared.money import yuan_to_fen
from services.units.tree import add_unit
from vocabulary import CaseSource, Role

NOW = datetime(2026, 11, 28, 2, tzinfo=UTC)  # 10:00 Beijing time

ACCOUNTS = (
    ("clerk_wa", Role.CLERK, "WA"), ("clerk_yx", Role.CLERK, "YX"), ("leader_wa", Role.LEADER, "WA"),
    ("leader_d", Role.LEADER, "D"), ("clerk_d", Role.CLERK, "D"), ("admin", Role.ADMIN, "C"),
    ("wall", Role.WALL, "C"), ("command", Role.COMMAND, "C"), ("leader_c", Role.LEADER, "C"),
    ("admin_d", Role.ADMIN, "D"),
)


@dataclass
class World:
    """Units C (市局) → D (分局) → WA, YX (派出所), and an actor per account."""

    engine: Engine
    units: dict[str, int]
    actors: dict[str, Actor]
    _serial: int = 0

    def add_case(self, unit: str = "WA", loss_yuan: str = "150000", reported_at: datetime = NOW,
                 now: datetime = NOW, fraud_type: str = "investment", actor: str | None = None, **extra) -> int:
        """Insert a case through case_write (which calls the accountability hook); its id."""
        self._serial += 1
        values = dict(case_no=f"T{self._serial:05d}", unit_id=self.units[unit], reported_at=reported_at,
                      fraud_type=fraud_type, loss_fen=yuan_to_fen(Decimal(loss_yuan)), source="manual", **extra)
        with write_session(self.engine) as session:
            return insert_case(session, values, self.actors.get(actor), now).id

    def revise(self, case_id: int, now: datetime = NOW, actor: str | None = "clerk_wa", reason: str = "核实后更正金额",
               **values) -> None:
        """Change a case's fields through case_write (revisions kept, hook called)."""
        if "loss_yuan" in values:
            values["loss_fen"] = yuan_to_fen(Decimal(values.pop("loss_yuan")))
        with write_session(self.engine) as session:
            case = session.get(FraudCase, case_id)
            apply_changes(session, case, values, actor=self.actors.get(actor), reason=reason,
                          source=CaseSource.MANUAL, now=now)

    def item(self, case_id: int) -> AccountabilityItem | None:
        with read_session(self.engine) as session:
            return session.execute(
                select(AccountabilityItem).where(AccountabilityItem.case_id == case_id)).scalar_one_or_none()

    def item_by_id(self, item_id: int) -> AccountabilityItem:
        with read_session(self.engine) as session:
            return session.get(AccountabilityItem, item_id)

    def events(self, item_id: int) -> list[AccountabilityEvent]:
        with read_session(self.engine) as session:
            return list(session.execute(select(AccountabilityEvent).where(AccountabilityEvent.item_id == item_id)
                                        .order_by(AccountabilityEvent.id)).scalars())

    def actions(self, item_id: int) -> list[str]:
        return [e.action for e in self.events(item_id)]

    def audits(self, item_id: int) -> list[AuditLog]:
        with read_session(self.engine) as session:
            return list(session.execute(select(AuditLog).where(AuditLog.object_type == "accountability_item",
                                                               AuditLog.object_id == str(item_id))
                                        .order_by(AuditLog.id)).scalars())


def build_world(engine: Engine) -> World:
    with write_session(engine) as session:
        add_unit(session, code="C", name="漳州市公安局", kind="city_bureau", parent_code=None)
        add_unit(session, code="D", name="长泰区公安分局", kind="district_bureau", parent_code="C")
        add_unit(session, code="WA", name="武安派出所", kind="station", parent_code="D")
        add_unit(session, code="YX", name="岩溪派出所", kind="station", parent_code="D")
        units = {u.code: u for u in session.execute(select(Unit)).scalars()}
        actors = {}
        for name, role, code in ACCOUNTS:
            # Real rows: case revisions point at the user; the hash is never checked here.
            user = AppUser(username=name, display_name=name, password_hash="-", role=role.value,
                           unit_id=units[code].id, created_at=NOW)
            session.add(user)
            session.flush()
            actors[name] = Actor(user.id, name, name, role, units[code].id, units[code].path, units[code].name,
                                 "127.0.0.1")
    return World(engine, {code: unit.id for code, unit in units.items()}, actors)
