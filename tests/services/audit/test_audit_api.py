"""The page-facing audit api: search and export each in a transaction of their own (the export audited)."""

from datetime import UTC, datetime, timedelta

import pytest

from db.engine import write_session
from services import audit
from services.access.actor import AccessDenied
from services.audit import api
from tests.services.accountability.accountability_world import build_world
from vocabulary import AuditAction


def test_search_and_export(engine):
    world = build_world(engine)
    admin = world.actors["admin"]
    with write_session(engine) as session:
        audit.record(session, AuditAction.LOGIN, admin)
    now = datetime.now(UTC)
    criteria = audit.AuditFilter(None, None, now - timedelta(days=1), now + timedelta(days=1))
    page = api.search(engine, admin, criteria)
    assert page.total >= 1 and len(page.rows[0]) == len(audit.EXPORT_HEADERS)
    exported = api.export_csv(engine, admin, criteria)
    assert exported.startswith("\ufeff".encode()) and "admin".encode() in exported
    assert api.search(engine, admin, criteria).total == page.total + 1  # the export itself is audited
    with pytest.raises(AccessDenied):
        api.search(engine, world.actors["clerk_wa"], criteria)
