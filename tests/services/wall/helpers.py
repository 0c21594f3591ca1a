"""A small unit tree and actors for the wall's service tests."""

from db.engine import write_session
from db.models import Unit
from services.access.actor import Actor
from vocabulary import Role


def seed_units(engine) -> dict[str, Unit]:
    """city → district → station, and a second district."""
    with write_session(engine) as session:
        city = Unit(code="350600", name="市局", full_name="市局", kind="city_bureau", level=1, path="/")
        session.add(city)
        session.flush()
        city.path = f"/{city.id}/"
        made = {"city": city}
        for key, code, name, parent in (("district", "350605", "甲分局", "city"), ("other", "350602", "乙分局", "city"),
                                        ("station", "350605100", "丙派出所", "district")):
            unit = Unit(code=code, name=name, full_name=name, kind="district_bureau" if key != "station" else "police_station",
                        level=made[parent].level + 1, parent_id=made[parent].id, path="/")
            session.add(unit)
            session.flush()
            unit.path = f"{made[parent].path}{unit.id}/"
            made[key] = unit
        session.flush()
        for unit in made.values():
            session.expunge(unit)
    return made


def actor_of(units: dict[str, Unit], key: str, role: Role) -> Actor:
    unit = units[key]
    return Actor(0, f"{role.value}_{key}", "测试", role, unit.id, unit.path, unit.name)
