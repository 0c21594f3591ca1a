"""Wall devices: the token is shown once and only its SHA-256 kept; sign-in, revocation, expiry, scope, audit."""

import hashlib
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from db.engine import read_session, write_session
from db.models import AuditLog, Unit, WallDevice
from services.access.actor import AccessDenied
from services.access.permissions import Permission
from services.shared.errors import InvalidInput
from services.wall import api
from services.wall.devices import expiry_instant
from services.wall.text import DEVICE_ENDED_EXPIRED, DEVICE_ENDED_REVOKED
from tests.services.wall.helpers import actor_of, seed_units
from vocabulary import Role


@pytest.fixture
def units(engine):
    return seed_units(engine)


def test_token_is_shown_once_and_only_its_hash_is_stored(engine, units):
    admin = actor_of(units, "city", Role.ADMIN)
    device_id, token = api.create_device(engine, admin, "  主屏 ", units["district"].id, None)
    assert len(token) >= 40
    with read_session(engine) as session:
        row = session.get(WallDevice, device_id)
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in {row.token_hash, row.name, row.created_by} and row.name == "主屏"
        audit = session.execute(select(AuditLog).where(AuditLog.object_type == "wall_device")).scalars().all()
    assert [a.action for a in audit] == ["create"]


def test_the_link_signs_in_a_masked_read_only_wall_actor_of_the_device_unit(engine, units):
    admin = actor_of(units, "city", Role.ADMIN)
    device_id, token = api.create_device(engine, admin, "分局屏", units["district"].id, None)
    result = api.device_sign_in(engine, token, "10.0.0.9")
    actor = result.actor
    assert actor.role is Role.WALL and actor.unit_id == units["district"].id and actor.wall_device_id == device_id
    assert actor.can(Permission.VIEW_WALL) and not actor.can(Permission.UNMASK)
    assert not actor.can(Permission.EDIT_CASES) and not actor.can(Permission.VIEW_CASES)
    listed = api.device_list(engine, admin)[0]
    assert listed.last_seen_addr == "10.0.0.9" and listed.last_seen_at is not None and listed.active


def test_a_wrong_token_is_refused_and_audited(engine, units):
    result = api.device_sign_in(engine, "not-a-token", "10.0.0.9")
    assert result.actor is None and result.reason == DEVICE_ENDED_REVOKED
    with read_session(engine) as session:
        failed = session.execute(select(AuditLog).where(AuditLog.action == "login_failed")).scalars().all()
    assert len(failed) == 1 and failed[0].client_addr == "10.0.0.9"


def test_a_revoked_device_is_refused_at_once(engine, units):
    admin = actor_of(units, "city", Role.ADMIN)
    device_id, token = api.create_device(engine, admin, "主屏", units["city"].id, None)
    assert api.device_ended_because(engine, device_id) is None
    assert api.revoke_device(engine, admin, device_id) == "主屏"
    api.revoke_device(engine, admin, device_id)  # twice: nothing more happens
    assert api.device_ended_because(engine, device_id) == DEVICE_ENDED_REVOKED
    assert api.device_sign_in(engine, token, None).actor is None
    listed = api.device_list(engine, admin)[0]
    assert not listed.active and listed.status == "已吊销"
    with read_session(engine) as session:
        audit = session.execute(select(AuditLog.action).where(AuditLog.object_type == "wall_device",
                                                              AuditLog.action == "update")).all()
    assert len(audit) == 1


def test_an_expired_device_is_refused(engine, units):
    admin = actor_of(units, "city", Role.ADMIN)
    device_id, token = api.create_device(engine, admin, "主屏", units["city"].id, None)
    with write_session(engine) as session:
        session.get(WallDevice, device_id).expires_at = datetime.now(UTC) - timedelta(seconds=1)
    assert api.device_ended_because(engine, device_id) == DEVICE_ENDED_EXPIRED
    result = api.device_sign_in(engine, token, None)
    assert result.actor is None and result.reason == DEVICE_ENDED_EXPIRED


def test_expiry_is_the_end_of_the_chosen_beijing_day_and_never_in_the_past():
    now = datetime(2026, 11, 28, 2, 30, tzinfo=UTC)
    assert expiry_instant(date(2026, 11, 28), now) == datetime(2026, 11, 28, 16, 0, tzinfo=UTC)
    assert expiry_instant(None, now) is None
    with pytest.raises(InvalidInput) as refused:
        expiry_instant(date(2026, 11, 27), now)
    assert "expires" in refused.value.errors


def test_only_administrators_within_their_scope_manage_devices(engine, units):
    admin = actor_of(units, "district", Role.ADMIN)
    with pytest.raises(AccessDenied):
        api.create_device(engine, admin, "主屏", units["city"].id, None)  # above the administrator's unit
    with pytest.raises(AccessDenied):
        api.create_device(engine, actor_of(units, "city", Role.LEADER), "主屏", units["city"].id, None)
    with pytest.raises(InvalidInput):
        api.create_device(engine, admin, "   ", units["district"].id, None)
    top = actor_of(units, "city", Role.ADMIN)
    device_id, _ = api.create_device(engine, top, "市局屏", units["city"].id, None)
    assert api.device_list(engine, admin) == []  # the district administrator does not see the city's device
    with pytest.raises(AccessDenied):
        api.revoke_device(engine, admin, device_id)


def test_units_fixture_is_a_tree(engine, units):
    with read_session(engine) as session:
        assert session.get(Unit, units["station"].id).parent_id == units["district"].id


def test_the_same_form_token_creates_one_device_and_returns_it_again(engine, units):
    admin = actor_of(units, "city", Role.ADMIN)
    form_token = api.new_device_token()
    first = api.create_device(engine, admin, "主屏", units["district"].id, None, form_token)
    again = api.create_device(engine, admin, "主屏", units["district"].id, None, form_token)  # the double click
    assert first == again and first[1] == form_token
    other = api.create_device(engine, admin, "主屏", units["district"].id, None, api.new_device_token())
    assert other[0] != first[0]  # a new form (new token) is a new device
    with read_session(engine) as session:
        assert len(session.execute(select(WallDevice)).scalars().all()) == 2
        audit = session.execute(select(AuditLog).where(AuditLog.object_type == "wall_device")).scalars().all()
    assert [a.action for a in audit] == ["create", "create"]


def test_a_repeated_form_token_never_reveals_a_device_out_of_scope(engine, units):
    city_admin, district_admin = actor_of(units, "city", Role.ADMIN), actor_of(units, "other", Role.ADMIN)
    form_token = api.new_device_token()
    api.create_device(engine, city_admin, "主屏", units["district"].id, None, form_token)
    with pytest.raises(AccessDenied):
        api.create_device(engine, district_admin, "主屏", units["other"].id, None, form_token)
