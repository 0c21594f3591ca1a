"""The demo's accounts: one per role, on different units, all with the documented demo password."""

from functools import cache

from sqlalchemy import select
from sqlmodel import Session

from db.models import Unit
from services.access.auth import create_user, hash_password
from services.demo.units import CITY_CODE
from vocabulary import Role

DEMO_PASSWORD = "Fanzha@Demo1"

# (user name, display name, role, unit code): scripted checks rely on these names.
DEMO_ACCOUNTS: tuple[tuple[str, str, Role, str], ...] = (
    ("admin", "系统管理员", Role.ADMIN, CITY_CODE),
    ("leader", "市局领导", Role.LEADER, CITY_CODE),
    ("changtai", "长泰分局领导", Role.LEADER, "350605"),
    ("command", "指挥中心值班员", Role.COMMAND, CITY_CODE),
    ("desk", "专家席民警", Role.DESK, CITY_CODE),
    ("clerk_wuan", "武安所填报员", Role.CLERK, "350605100"),
    ("clerk_yanxi", "岩溪所填报员", Role.CLERK, "350605101"),
    ("wall", "指挥中心大屏", Role.WALL, CITY_CODE),
)


@cache
def _demo_password_hash() -> str:
    return hash_password(DEMO_PASSWORD)


def create_demo_users(session: Session) -> int:
    """Create the demo accounts (inside the demo's transaction)."""
    codes = {code for *_, code in DEMO_ACCOUNTS}
    unit_ids = dict(session.execute(select(Unit.code, Unit.id).where(Unit.code.in_(codes))).all())
    for username, display_name, role, code in DEMO_ACCOUNTS:
        create_user(session, None, username=username, display_name=display_name, role=role,
                    unit_id=unit_ids[code], password=DEMO_PASSWORD, password_hash=_demo_password_hash())
    return len(DEMO_ACCOUNTS)
