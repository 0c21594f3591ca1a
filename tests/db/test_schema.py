"""Migrations build exactly the models' schema, with constraints and the default rules, on every backend."""

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from db.engine import write_session
from db.models import AccountabilityRule, FraudCase, Unit

NOW = datetime(2026, 11, 28, 2, tzinfo=UTC)


def test_migrated_schema_matches_models(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_every_table_exists(engine):
    expected = {
        "unit", "fraud_case", "desk_call", "identifier", "identifier_link", "interception", "campaign",
        "campaign_unit", "campaign_target", "activity", "accountability_rule", "accountability_item",
        "app_user", "audit_log", "app_setting", "case_revision", "accountability_event", "accountability_attachment",
    }
    assert expected <= set(inspect(engine).get_table_names())


def test_default_rules_are_the_three_levels(engine):
    with write_session(engine) as session:
        rules = session.execute(select(AccountabilityRule).order_by(AccountabilityRule.threshold_fen)).scalars().all()
    assert [(r.level, r.threshold_fen) for r in rules] == [
        ("l10w", 10_000_000), ("l50w", 50_000_000), ("l100w", 100_000_000),
    ]


def _unit(code: str = "350605") -> Unit:
    return Unit(code=code, name="长泰区公安分局", full_name="长泰区公安分局", kind="district_bureau", level=2, path="/")


def _case(unit_id: int, **changes) -> FraudCase:
    values = dict(case_no="A1", unit_id=unit_id, reported_at=NOW, fraud_type="rebate", loss_fen=100,
                  created_at=NOW, updated_at=NOW)
    return FraudCase(**{**values, **changes})


def test_case_number_is_unique(engine):
    with write_session(engine) as session:
        unit = _unit()
        session.add(unit)
        session.flush()
        session.add(_case(unit.id))
    with pytest.raises(IntegrityError):
        with write_session(engine) as session:
            session.add(_case(unit.id))


def test_negative_loss_is_refused_by_the_database(engine):
    with write_session(engine) as session:
        unit = _unit()
        session.add(unit)
    with pytest.raises(IntegrityError):
        with write_session(engine) as session:
            session.add(_case(unit.id, loss_fen=-1))


def test_foreign_keys_are_enforced(engine):
    with pytest.raises(IntegrityError):
        with write_session(engine) as session:
            session.add(_case(unit_id=999_999))


def test_failed_transaction_leaves_nothing(engine):
    with pytest.raises(IntegrityError):
        with write_session(engine) as session:
            session.add(_unit("350602"))
            session.flush()
            session.add(_unit("350602"))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM unit")).scalar() == 0


def test_money_columns_hold_more_than_32_bits(engine):
    with write_session(engine) as session:
        unit = _unit()
        session.add(unit)
        session.flush()
        session.add(_case(unit.id, loss_fen=9_999_999_999_99))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT loss_fen FROM fraud_case")).scalar() == 9_999_999_999_99
