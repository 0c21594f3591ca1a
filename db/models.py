"""SQLModel tables: units, cases, desk calls, identifiers, interceptions, campaigns, accountability, users, audit."""

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy import false as sql_false
from sqlmodel import Field, SQLModel

from db.types import UTCDateTime


def _utc(nullable: bool = False, index: bool = False) -> dict:
    return {"sa_type": UTCDateTime, "nullable": nullable, "index": index}


def _fen(nullable: bool = False) -> dict:
    return {"sa_type": BigInteger, "nullable": nullable}


def _fk(target: str, nullable: bool = True, ondelete: str | None = None) -> Column:
    return Column(Integer, ForeignKey(target, ondelete=ondelete), nullable=nullable)


class Unit(SQLModel, table=True):
    """A police unit (市局, 分局/县局, 派出所, 大队, 指挥中心) and its jurisdiction."""

    __tablename__ = "unit"
    __table_args__ = (
        UniqueConstraint("code", name="uq_unit_code"),
        Index("ix_unit_parent_id", "parent_id"),
        Index("ix_unit_path", "path"),
        Index("ix_unit_division_code", "division_code"),
        CheckConstraint("level BETWEEN 1 AND 4", name="ck_unit_level"),
        CheckConstraint("population IS NULL OR population >= 0", name="ck_unit_population"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32)
    name: str = Field(max_length=64)
    full_name: str = Field(max_length=128)
    kind: str = Field(max_length=24)
    level: int
    parent_id: int | None = Field(default=None, sa_column=_fk("unit.id"))
    # Materialised ancestor path of ids, e.g. "/1/4/27/": scope is a prefix match.
    path: str = Field(default="", max_length=255)
    division_code: str | None = Field(default=None, max_length=12)
    boundary_geojson: str | None = Field(default=None, sa_type=Text)
    boundary_synthetic: bool = False
    centroid_lon: float | None = None
    centroid_lat: float | None = None
    population: int | None = None
    population_source: str | None = Field(default=None, max_length=64)
    sort_order: int = 0


class FraudCase(SQLModel, table=True):
    """A telecom/online fraud case (案件) with its case elements and victim profile."""

    __tablename__ = "fraud_case"
    __table_args__ = (
        UniqueConstraint("case_no", name="uq_fraud_case_case_no"),
        Index("ix_fraud_case_reported_at", "reported_at"),
        Index("ix_fraud_case_unit_reported", "unit_id", "reported_at"),
        Index("ix_fraud_case_type_reported", "fraud_type", "reported_at"),
        Index("ix_fraud_case_loss", "loss_fen"),
        Index("ix_fraud_case_reported_cover", "reported_at", "unit_id", "loss_fen", "fraud_type"),  # 总览 sums
        Index("ix_fraud_case_unit_cover", "unit_id", "reported_at", "loss_fen"),  # 总览 per branch
        Index("ix_fraud_case_solved_on", "solved_on", "unit_id"),  # 破案数 counts by solving date
        # The map's and the wall's 未定位 count: only the cases without a location, by time.
        Index("ix_fraud_case_unlocated", "reported_at", "unit_id", "fraud_type",
              sqlite_where=text("lon IS NULL OR lat IS NULL"), postgresql_where=text("lon IS NULL OR lat IS NULL")),
        CheckConstraint("loss_fen >= 0", name="ck_fraud_case_loss"),
        CheckConstraint("recovered_fen >= 0", name="ck_fraud_case_recovered"),
        CheckConstraint("frozen_fen >= 0", name="ck_fraud_case_frozen"),
        CheckConstraint("victim_age IS NULL OR victim_age BETWEEN 0 AND 120", name="ck_fraud_case_age"),
        CheckConstraint("lon IS NULL OR lon BETWEEN -180 AND 180", name="ck_fraud_case_lon"),
        CheckConstraint("lat IS NULL OR lat BETWEEN -90 AND 90", name="ck_fraud_case_lat"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_no: str = Field(max_length=40)
    unit_id: int = Field(sa_column=_fk("unit.id", nullable=False))
    reported_at: datetime = Field(**_utc())
    occurred_at: datetime | None = Field(default=None, **_utc(nullable=True))
    fraud_type: str = Field(max_length=32)
    status: str = Field(default="registered", max_length=16)
    loss_fen: int = Field(default=0, **_fen())
    recovered_fen: int = Field(default=0, **_fen())
    frozen_fen: int = Field(default=0, **_fen())
    contact_channel: str | None = Field(default=None, max_length=16)
    payment_channel: str | None = Field(default=None, max_length=16)
    lon: float | None = None
    lat: float | None = None
    address: str | None = Field(default=None, max_length=200)
    victim_name: str | None = Field(default=None, max_length=64)
    victim_gender: str | None = Field(default=None, max_length=8)
    victim_age: int | None = None
    victim_occupation: str | None = Field(default=None, max_length=32)
    victim_education: str | None = Field(default=None, max_length=16)
    victim_economic: str | None = Field(default=None, max_length=16)
    victim_reached_by_propaganda: bool | None = None
    summary: str | None = Field(default=None, sa_type=Text)
    source: str = Field(default="manual", max_length=16)
    created_at: datetime = Field(**_utc())
    updated_at: datetime = Field(**_utc())
    solved_on: date | None = None  # Beijing day the case was solved (破案); 破案数 counts by this day
    solved_how: str | None = Field(default=None, max_length=16)  # vocabulary.SolvedHow


class CaseDayTally(SQLModel, table=True):
    """Cases and their loss per Beijing day of report, unit and fraud type, kept with every case write in its
    transaction (db/case_tally.py): the 总览/大屏 sums read these rows, not the cases."""

    __tablename__ = "case_day_tally"
    __table_args__ = (
        Index("ix_case_day_tally_unit_day", "unit_id", "day"),
        {"sqlite_with_rowid": False},  # the primary key holds the rows: a day range is one covering read
    )

    day: date = Field(primary_key=True)
    unit_id: int = Field(primary_key=True)
    fraud_type: str = Field(primary_key=True, max_length=32)
    cases: int
    loss_fen: int = Field(sa_type=BigInteger)
    unlocated: int = Field(sa_column_kwargs={"server_default": "0"})  # of the cases, those without coordinates


class CaseDayUnitTally(SQLModel, table=True):
    """case_day_tally without the fraud type: cases and loss per Beijing day and unit, kept by database triggers with
    every change of case_day_tally (migration 0022), for the sums that do not ask for types (a day's 122 units'
    rows, not their 1,464 unit and type rows)."""

    __tablename__ = "case_day_unit_tally"
    __table_args__ = ({"sqlite_with_rowid": False},)

    day: date = Field(primary_key=True)
    unit_id: int = Field(primary_key=True)
    cases: int
    loss_fen: int = Field(sa_type=BigInteger)
    unlocated: int  # of the cases, those without coordinates (the map counts them apart)


class CaseMonthTypeTally(SQLModel, table=True):
    """case_day_tally rolled up to Beijing months: cases and loss per month, unit and fraud type, kept by database
    triggers with every change of case_day_tally (migration 0022): a month's types read its units' types once, not
    every day of it."""

    __tablename__ = "case_month_type_tally"
    __table_args__ = ({"sqlite_with_rowid": False},)

    month: date = Field(primary_key=True)  # the month's first day
    unit_id: int = Field(primary_key=True)
    fraud_type: str = Field(primary_key=True, max_length=32)
    cases: int
    loss_fen: int = Field(sa_type=BigInteger)


class SolvedDayTally(SQLModel, table=True):
    """破案: cases solved per Beijing day of solving (solved_on) and unit, kept by database triggers with every write
    of a case's solving day or unit (migration 0022)."""

    __tablename__ = "solved_day_tally"
    __table_args__ = ({"sqlite_with_rowid": False},)

    day: date = Field(primary_key=True)
    unit_id: int = Field(primary_key=True)
    solved: int


class DeskCallDayTally(SQLModel, table=True):
    """Desk calls and dissuasions per Beijing day of receipt and owning unit (the call's jurisdiction, else the desk's
    unit), kept with every call write in its transaction (db/call_tally.py): the 总览/大屏 headline reads these rows."""

    __tablename__ = "desk_call_day_tally"
    __table_args__ = ({"sqlite_with_rowid": False},)  # the primary key holds the rows: a day range is one read

    day: date = Field(primary_key=True)
    unit_id: int = Field(primary_key=True)
    calls: int
    dissuaded: int


class DeskCallMonthTally(SQLModel, table=True):
    """desk_call_day_tally by Beijing month: calls and dissuasions per month and unit, kept by database triggers with
    every change of the day tally (migration 0023)."""

    __tablename__ = "desk_call_month_tally"
    __table_args__ = ({"sqlite_with_rowid": False},)

    month: date = Field(primary_key=True)  # the month's first day
    unit_id: int = Field(primary_key=True)
    calls: int
    dissuaded: int


class LedgerMonthTally(SQLModel, table=True):
    """The ledger per Beijing month of request and unit: requests and their 止付/冻结/返还 to date, kept by database
    triggers with every write of recovery_request (migration 0023; 总览/大屏's whole months)."""

    __tablename__ = "ledger_month_tally"
    __table_args__ = ({"sqlite_with_rowid": False},)

    month: date = Field(primary_key=True)
    unit_id: int = Field(primary_key=True)
    requests: int
    stopped_fen: int = Field(sa_type=BigInteger)
    frozen_fen: int = Field(sa_type=BigInteger)
    returned_fen: int = Field(sa_type=BigInteger)


class InterceptionMonthTally(SQLModel, table=True):
    """Counted 阻截 (not 未能阻截) per Beijing month and unit: how many and their amounts, kept by database triggers
    with every write of interception (migration 0023; 总览/大屏's whole months)."""

    __tablename__ = "interception_month_tally"
    __table_args__ = ({"sqlite_with_rowid": False},)

    month: date = Field(primary_key=True)
    unit_id: int = Field(primary_key=True)
    interceptions: int
    amount_fen: int = Field(sa_type=BigInteger)


class CaseRevision(SQLModel, table=True):
    """One changed field of a case: who, when, old → new and why (kept for ever)."""

    __tablename__ = "case_revision"
    __table_args__ = (
        Index("ix_case_revision_case_at", "case_id", "at"),
        Index("ix_case_revision_field_at", "field", "at"),  # the integrity monitor's scan of recent loss/type changes
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(sa_column=_fk("fraud_case.id", nullable=False, ondelete="CASCADE"))
    # Fields changed in one save share a change key, so the history shows them together.
    change_key: str = Field(max_length=32)
    at: datetime = Field(**_utc())
    user_id: int | None = Field(default=None, sa_column=_fk("app_user.id"))
    username: str | None = Field(default=None, max_length=64)
    field: str = Field(max_length=32)
    old_value: str | None = Field(default=None, max_length=255)
    new_value: str | None = Field(default=None, max_length=255)
    reason: str | None = Field(default=None, sa_type=Text)
    source: str = Field(default="manual", max_length=16)


class DeskCall(SQLModel, table=True):
    """A call logged at the 110 anti-fraud expert desk (专家席来电)."""

    __tablename__ = "desk_call"
    __table_args__ = (
        UniqueConstraint("idempotency_key", name="uq_desk_call_idempotency_key"),
        Index("ix_desk_call_received_at", "received_at"),
        Index("ix_desk_call_jurisdiction_received", "jurisdiction_unit_id", "received_at"),
        Index("ix_desk_call_officer_received", "officer_id", "received_at"),
        Index("ix_desk_call_case_id", "case_id"),
        Index("ix_desk_call_received_cover", "received_at", "outcome", "jurisdiction_unit_id", "desk_unit_id"),
        CheckConstraint("lost_fen >= 0", name="ck_desk_call_lost"),
        CheckConstraint("pending_fen >= 0", name="ck_desk_call_pending"),
        CheckConstraint("caller_age IS NULL OR caller_age BETWEEN 0 AND 120", name="ck_desk_call_age"),
    )

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(max_length=64)
    received_at: datetime = Field(**_utc())
    officer_id: int | None = Field(default=None, sa_column=_fk("app_user.id"))
    desk_unit_id: int = Field(sa_column=_fk("unit.id", nullable=False))
    jurisdiction_unit_id: int | None = Field(default=None, sa_column=_fk("unit.id"))
    call_type: str = Field(max_length=16)
    caller_phone: str | None = Field(default=None, max_length=32)
    caller_gender: str | None = Field(default=None, max_length=8)
    caller_age: int | None = None
    caller_occupation: str | None = Field(default=None, max_length=32)
    caller_education: str | None = Field(default=None, max_length=16)
    caller_reached_by_propaganda: bool | None = None
    fraud_type: str | None = Field(default=None, max_length=32)
    narrative: str | None = Field(default=None, sa_type=Text)
    lost_fen: int = Field(default=0, **_fen())
    pending_fen: int = Field(default=0, **_fen())
    outcome: str = Field(max_length=16)
    follow_up: bool = False
    case_id: int | None = Field(default=None, sa_column=_fk("fraud_case.id"))
    created_at: datetime = Field(**_utc())


class Identifier(SQLModel, table=True):
    """A normalised phone number, bank account, URL, app, QQ/WeChat id or ID number."""

    __tablename__ = "identifier"
    __table_args__ = (
        UniqueConstraint("kind", "value_norm", name="uq_identifier_kind_value"),
        Index("ix_identifier_value_norm", "value_norm"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    value_norm: str = Field(max_length=255)
    bank_name: str | None = Field(default=None, max_length=64)
    first_seen_at: datetime = Field(**_utc())
    last_seen_at: datetime | None = Field(default=None, **_utc(nullable=True))
    # Separate calls and cases that named it (a call turned into a case counts once); ≥3 is a hot lead.
    report_count: int = Field(default=0, index=True, sa_column_kwargs={"server_default": "0"})


class IdentifierLink(SQLModel, table=True):
    """An identifier seen in a call or a case."""

    __tablename__ = "identifier_link"
    __table_args__ = (
        CheckConstraint("call_id IS NOT NULL OR case_id IS NOT NULL", name="ck_identifier_link_target"),
        Index("ix_identifier_link_identifier", "identifier_id"),
        Index("ix_identifier_link_call", "call_id"),
        Index("ix_identifier_link_case", "case_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    identifier_id: int = Field(sa_column=_fk("identifier.id", nullable=False, ondelete="CASCADE"))
    call_id: int | None = Field(default=None, sa_column=_fk("desk_call.id", ondelete="CASCADE"))
    case_id: int | None = Field(default=None, sa_column=_fk("fraud_case.id", ondelete="CASCADE"))
    role: str = Field(default="fraudster", max_length=16)
    seen_at: datetime = Field(**_utc())


class Interception(SQLModel, table=True):
    """A transfer stopped at a bank counter (阻截)."""

    __tablename__ = "interception"
    __table_args__ = (
        Index("ix_interception_unit_at", "unit_id", "intercepted_at"),
        Index("ix_interception_at", "intercepted_at"),
        CheckConstraint("amount_fen >= 0", name="ck_interception_amount"),
        UniqueConstraint("idempotency_key", name="uq_interception_idempotency_key"),
        Index("ix_interception_call", "call_id"),  # the desk's 记录阻截: what a call already recorded
        Index("ix_interception_at_sums", "intercepted_at", "unit_id", "outcome", "amount_fen", "branch_name",
              "fraud_type"),  # 打击挽损 挽损 tables
    )

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(sa_column=_fk("unit.id", nullable=False))
    intercepted_at: datetime = Field(**_utc())
    branch_name: str = Field(max_length=100)
    amount_fen: int = Field(**_fen())
    fraud_type: str | None = Field(default=None, max_length=32)
    payee_identifier_id: int | None = Field(default=None, sa_column=_fk("identifier.id"))
    note: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(**_utc())
    bank_name: str | None = Field(default=None, max_length=64)
    officer_name: str | None = Field(default=None, max_length=64)  # the officer or bank teller who stopped it
    outcome: str | None = Field(default=None, max_length=16)  # vocabulary.InterceptionOutcome
    call_id: int | None = Field(default=None, sa_column=_fk("desk_call.id"))
    idempotency_key: str | None = Field(default=None, max_length=64)


class StrikeResult(SQLModel, table=True):
    """A unit's strike results (打击战果) of one day: suspects caught, detained, dens destroyed, 两卡 cases."""

    __tablename__ = "strike_result"
    __table_args__ = (
        UniqueConstraint("idempotency_key", name="uq_strike_result_idempotency_key"),
        Index("ix_strike_result_day_unit", "result_date", "unit_id"),
        Index("ix_strike_result_day_cover", "result_date", "unit_id", "caught"),  # 总览/大屏 抓获 sums
        CheckConstraint("caught >= 0 AND detained >= 0 AND dens >= 0 AND two_card_cases >= 0",
                        name="ck_strike_result_counts"),
    )

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(max_length=80)
    unit_id: int = Field(sa_column=_fk("unit.id", nullable=False))
    result_date: date
    caught: int = 0  # 抓获
    detained: int = 0  # 刑拘
    dens: int = 0  # 捣毁窝点
    two_card_cases: int = 0  # 两卡 (bank cards / phone cards) cases
    note: str | None = Field(default=None, sa_type=Text)
    import_batch: str | None = Field(default=None, max_length=64)
    created_by: int | None = Field(default=None, sa_column=_fk("app_user.id"))
    created_at: datetime = Field(**_utc())


class StrikeResultLink(SQLModel, table=True):
    """A case or an identifier (phone, bank account) that a strike result struck."""

    __tablename__ = "strike_result_link"
    __table_args__ = (
        CheckConstraint("case_id IS NOT NULL OR identifier_id IS NOT NULL", name="ck_strike_result_link_target"),
        Index("ix_strike_result_link_result", "strike_result_id"),
        Index("ix_strike_result_link_case", "case_id"),
        Index("ix_strike_result_link_identifier", "identifier_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    strike_result_id: int = Field(sa_column=_fk("strike_result.id", nullable=False, ondelete="CASCADE"))
    case_id: int | None = Field(default=None, sa_column=_fk("fraud_case.id", ondelete="CASCADE"))
    identifier_id: int | None = Field(default=None, sa_column=_fk("identifier.id", ondelete="CASCADE"))


class IdentifierAction(SQLModel, table=True):
    """Where an identifier was reported from (银行/运营商/平台报送) or what was done to it (封停), with the institution."""

    __tablename__ = "identifier_action"
    __table_args__ = (
        UniqueConstraint("idempotency_key", name="uq_identifier_action_idempotency_key"),
        Index("ix_identifier_action_identifier", "identifier_id", "kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(max_length=80)
    identifier_id: int = Field(sa_column=_fk("identifier.id", nullable=False, ondelete="CASCADE"))
    kind: str = Field(max_length=24)  # vocabulary.IdentifierActionKind
    institution: str = Field(max_length=64)  # the reporting bank/operator/platform, or who suspended it
    on_date: date
    note: str | None = Field(default=None, sa_type=Text)
    unit_id: int | None = Field(default=None, sa_column=_fk("unit.id"))
    created_by: int | None = Field(default=None, sa_column=_fk("app_user.id"))
    created_at: datetime = Field(**_utc())


class RecoveryRequest(SQLModel, table=True):
    """One 止付/冻结/返还 request on a fraudster's account, from a desk call or a case (the ledger)."""

    __tablename__ = "recovery_request"
    __table_args__ = (
        UniqueConstraint("idempotency_key", name="uq_recovery_request_idempotency_key"),
        Index("ix_recovery_request_unit_requested", "unit_id", "requested_at"),
        Index("ix_recovery_request_requested", "requested_at"),
        Index("ix_recovery_request_requested_cover", "requested_at", "unit_id", "stopped_fen", "frozen_fen",
              "returned_fen"),  # 总览/大屏 止付/冻结/返还 sums
        Index("ix_recovery_request_call", "desk_call_id"),
        Index("ix_recovery_request_case", "case_id"),
        Index("ix_recovery_request_requested_stop", "requested_at", "unit_id", "requested_fen", "frozen_fen",
              "returned_fen", "stop_ms", "bank_name", "fraud_type"),  # 打击挽损 measures and tables of edge days
        CheckConstraint("case_id IS NOT NULL OR desk_call_id IS NOT NULL", name="ck_recovery_request_source"),
        CheckConstraint("requested_fen >= 0 AND stopped_fen >= 0 AND frozen_fen >= 0 AND returned_fen >= 0",
                        name="ck_recovery_request_amounts"),
        CheckConstraint("stopped_fen <= requested_fen", name="ck_recovery_request_stopped"),
        CheckConstraint("frozen_fen <= requested_fen", name="ck_recovery_request_frozen"),
        CheckConstraint("returned_fen <= frozen_fen", name="ck_recovery_request_returned"),
    )

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(max_length=64)
    case_id: int | None = Field(default=None, sa_column=_fk("fraud_case.id"))
    desk_call_id: int | None = Field(default=None, sa_column=_fk("desk_call.id"))
    unit_id: int = Field(sa_column=_fk("unit.id", nullable=False))
    identifier_id: int = Field(sa_column=_fk("identifier.id", nullable=False))
    bank_name: str | None = Field(default=None, max_length=64)
    fraud_type: str | None = Field(default=None, max_length=32)
    reported_at: datetime = Field(**_utc())  # when the victim reported: minutes to 止付 count from here
    requested_at: datetime = Field(**_utc())
    stopped_at: datetime | None = Field(default=None, **_utc(nullable=True))
    frozen_at: datetime | None = Field(default=None, **_utc(nullable=True))
    returned_on: date | None = None
    requested_fen: int = Field(default=0, **_fen())
    stopped_fen: int = Field(default=0, **_fen())
    frozen_fen: int = Field(default=0, **_fen())
    returned_fen: int = Field(default=0, **_fen())
    status: str = Field(max_length=16)  # vocabulary.RecoveryStatus
    officer_id: int | None = Field(default=None, sa_column=_fk("app_user.id"))
    updated_by: int | None = Field(default=None, sa_column=_fk("app_user.id"))
    created_at: datetime = Field(**_utc())
    updated_at: datetime = Field(**_utc())
    # Milliseconds from report to 止付 (exact, half away from zero), kept from stopped_at - reported_at on every write
    # (db/strike_tally.py): the median and the golden hour read integers, not times.
    stop_ms: int | None = Field(default=None, sa_type=BigInteger, nullable=True)


class RecoveryEvent(SQLModel, table=True):
    """One recorded step of a ledger request (止付, 冻结, 返还, 资金已转出): who, when, how much; exactly once per form."""

    __tablename__ = "recovery_event"
    __table_args__ = (
        UniqueConstraint("idempotency_key", name="uq_recovery_event_idempotency_key"),
        Index("ix_recovery_event_request", "request_id"),
        CheckConstraint("amount_fen >= 0", name="ck_recovery_event_amount"),
    )

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(max_length=64)
    request_id: int = Field(sa_column=_fk("recovery_request.id", nullable=False, ondelete="CASCADE"))
    step: str = Field(max_length=16)  # vocabulary.RecoveryStatus
    at: datetime = Field(**_utc())
    amount_fen: int = Field(default=0, **_fen())
    user_id: int | None = Field(default=None, sa_column=_fk("app_user.id"))
    username: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(**_utc())


class Dissuasion(SQLModel, table=True):
    """A 劝阻: warning received → contact attempted → victim reached → outcome."""

    __tablename__ = "dissuasion"
    __table_args__ = (
        UniqueConstraint("idempotency_key", name="uq_dissuasion_idempotency_key"),
        Index("ix_dissuasion_unit_warning", "unit_id", "warning_at"),
        Index("ix_dissuasion_warning", "warning_at"),
        Index("ix_dissuasion_unit_stage_seconds", "unit_id", "warning_at", "to_attempt_s", "to_reach_s",
              "to_outcome_s", "total_s"),  # 打击挽损 劝阻 stage medians: each unit's range, its seconds in the index
    )

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(max_length=64)
    unit_id: int = Field(sa_column=_fk("unit.id", nullable=False))
    officer_id: int | None = Field(default=None, sa_column=_fk("app_user.id"))
    call_id: int | None = Field(default=None, sa_column=_fk("desk_call.id"))
    case_id: int | None = Field(default=None, sa_column=_fk("fraud_case.id"))
    warning_at: datetime = Field(**_utc())
    attempted_at: datetime | None = Field(default=None, **_utc(nullable=True))
    reached_at: datetime | None = Field(default=None, **_utc(nullable=True))
    outcome: str = Field(max_length=16)  # vocabulary.DissuasionOutcome
    outcome_at: datetime | None = Field(default=None, **_utc(nullable=True))  # when the outcome was known
    note: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(**_utc())
    # Whole seconds of each stage (services.strike.read.stage_seconds; None where an end is missing), kept from the
    # times on every write (db/strike_tally.py).
    to_attempt_s: int | None = None
    to_reach_s: int | None = None
    to_outcome_s: int | None = None
    total_s: int | None = None


class StrikeMonthCases(SQLModel, table=True):
    """Cases reported (with their loss) and cases solved per Beijing month and unit, for 两升两降's whole months:
    kept by database triggers from case_day_tally (every write of it, bulk or not) and from fraud_case's solved_on
    and unit (migration 0020), so no writer of cases can miss it."""

    __tablename__ = "strike_month_cases"
    __table_args__ = (
        Index("ix_strike_month_cases_month", "month"),  # one month of every unit (总览, the wall; migration 0022)
        {"sqlite_with_rowid": False},  # each unit's months are one range read of the key
    )

    unit_id: int = Field(primary_key=True)
    month: date = Field(primary_key=True)  # the month's first day
    cases: int = 0
    loss_fen: int = Field(default=0, sa_type=BigInteger)
    solved: int = 0


class StrikeMonthValues(SQLModel, table=True):
    """Every kept value of one kind per Beijing month and unit, as text ("v,v,…," in no order), for exact medians of
    whole months without reading the rows: kind "stop_ms" (the ledger's milliseconds to 止付, by request month),
    "to_attempt_s"/"to_reach_s"/"to_outcome_s"/"total_s" (劝阻 stage seconds, by warning month; n only counts values
    recorded) and "dissuasions" (n: the 劝阻 of the month, no values). Kept with every write (db/strike_tally.py)."""

    __tablename__ = "strike_month_values"

    kind: str = Field(primary_key=True, max_length=16)
    month: date = Field(primary_key=True)  # the month's first day
    unit_id: int = Field(primary_key=True)
    n: int = 0
    vals: str = Field(default="", sa_type=Text)


class StrikeMonthTally(SQLModel, table=True):
    """挽损 per Beijing month, unit and grouping (unit / bank or branch / fraud type): the ledger requests made and the
    counted interceptions (not 未能阻截) of the month, kept with every write in its transaction (db/strike_tally.py).
    Unit paths never change, so a record's units above stay what they were when it was counted."""

    __tablename__ = "strike_month_tally"
    # The primary key holds the rows in (grouping, unit, key, month) order: a unit's bank or type sums are one
    # ordered read of its rows, no sort.
    __table_args__ = ({"sqlite_with_rowid": False},)

    # "unit" (key ""): the unit's own requests and interceptions; "bank" (bank or branch) and "type": those of the
    # unit's whole subtree (each record counted on its unit and every unit above it).
    grouping: str = Field(primary_key=True, max_length=8)
    unit_id: int = Field(primary_key=True)
    key: str = Field(primary_key=True, max_length=100)  # "" when not recorded
    month: date = Field(primary_key=True)  # the month's first day
    requests: int = 0
    requested_fen: int = Field(default=0, sa_type=BigInteger)
    frozen_fen: int = Field(default=0, sa_type=BigInteger)
    returned_fen: int = Field(default=0, sa_type=BigInteger)
    stopped: int = 0  # requests with a 止付 time
    golden: int = 0  # of those, stopped within 60 minutes of the report
    interceptions: int = 0
    protected_fen: int = Field(default=0, sa_type=BigInteger)


class Campaign(SQLModel, table=True):
    """A propaganda campaign (宣传活动) with its theme and period."""

    __tablename__ = "campaign"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="ck_campaign_period"),
        CheckConstraint("missed_reports_limit IS NULL OR missed_reports_limit >= 1", name="ck_campaign_missed_limit"),
        CheckConstraint("consequence_days >= 1", name="ck_campaign_consequence_days"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    theme: str | None = Field(default=None, max_length=200)
    start_date: date
    end_date: date
    owner_unit_id: int = Field(sa_column=_fk("unit.id", nullable=False))
    created_at: datetime = Field(**_utc())
    # Falling behind raises an accountability item (vocabulary.CampaignConsequence); NULL switches a trigger off.
    missed_reports_limit: int | None = Field(default=2, sa_column_kwargs={"server_default": "2"})
    missed_reports_action: str | None = Field(default="talk", max_length=16, sa_column_kwargs={"server_default": "talk"})
    behind_pace_action: str | None = Field(default="warn", max_length=16, sa_column_kwargs={"server_default": "warn"})
    consequence_days: int = Field(default=7, sa_column_kwargs={"server_default": "7"})


class CampaignUnit(SQLModel, table=True):
    """A unit taking part in a campaign: a police unit, or a partner (村居委会、学校、银行网点…) that only logs activities."""

    __tablename__ = "campaign_unit"

    campaign_id: int = Field(
        sa_column=Column(Integer, ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True)
    )
    unit_id: int = Field(sa_column=Column(Integer, ForeignKey("unit.id"), primary_key=True))
    partner: bool = Field(default=False, sa_column_kwargs={"server_default": sql_false()})
    liaison_name: str | None = Field(default=None, max_length=32)  # 联络员
    liaison_phone: str | None = Field(default=None, max_length=20)


class CampaignTarget(SQLModel, table=True):
    """A measurable target of a campaign (e.g. 警情数下降35%, 知晓率≥90%) and how it is measured."""

    __tablename__ = "campaign_target"
    __table_args__ = (
        UniqueConstraint("campaign_id", "metric", name="uq_campaign_target_metric"),
        CheckConstraint("min_sample IS NULL OR min_sample > 0", name="ck_campaign_target_min_sample"),
    )

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(sa_column=_fk("campaign.id", nullable=False, ondelete="CASCADE"))
    metric: str = Field(max_length=32)
    description: str = Field(max_length=200)
    target_value: float
    unit_of_measure: str = Field(max_length=16)
    # count / coverage / survey / task / outcome (vocabulary.TargetKind)
    kind: str = Field(default="count", max_length=16, sa_column_kwargs={"server_default": "count"})
    period: str | None = Field(default=None, max_length=16)  # count targets: month / week / campaign
    measure: str | None = Field(default=None, max_length=16)  # count/coverage: CountMeasure; outcome: OutcomeMeasure
    outreach: str | None = Field(default=None, max_length=16)  # the place an activity must have to count (进校园…)
    channel: str | None = Field(default=None, max_length=16)  # the channel an activity must have to count
    applies_to_unit_id: int | None = Field(default=None, sa_column=_fk("unit.id"))  # NULL: every police unit
    due_date: date | None = None  # deadline tasks
    min_sample: int | None = None  # surveys: the sample size the rate needs


class CampaignBase(SQLModel, table=True):
    """A base a unit declares for a coverage target (e.g. households in its area); the latest counts."""

    __tablename__ = "campaign_base"
    __table_args__ = (
        Index("ix_campaign_base_target_unit", "target_id", "unit_id", "declared_at"),
        UniqueConstraint("idempotency_key", name="uq_campaign_base_idempotency_key"),
        CheckConstraint("base_value > 0", name="ck_campaign_base_value"),
    )

    id: int | None = Field(default=None, primary_key=True)
    target_id: int = Field(sa_column=_fk("campaign_target.id", nullable=False, ondelete="CASCADE"))
    unit_id: int = Field(sa_column=_fk("unit.id", nullable=False))
    base_value: int
    declared_at: datetime = Field(**_utc())
    declared_by: str | None = Field(default=None, max_length=64)
    idempotency_key: str | None = Field(default=None, max_length=64)  # one per form: a double click saves once


class CampaignSurvey(SQLModel, table=True):
    """A survey a unit ran for a survey target: how many asked, how many said yes."""

    __tablename__ = "campaign_survey"
    __table_args__ = (
        Index("ix_campaign_survey_target_unit", "target_id", "unit_id"),
        UniqueConstraint("idempotency_key", name="uq_campaign_survey_idempotency_key"),
        CheckConstraint("sample_size > 0 AND yes_count >= 0 AND yes_count <= sample_size",
                        name="ck_campaign_survey_counts"),
    )

    id: int | None = Field(default=None, primary_key=True)
    target_id: int = Field(sa_column=_fk("campaign_target.id", nullable=False, ondelete="CASCADE"))
    unit_id: int = Field(sa_column=_fk("unit.id", nullable=False))
    survey_date: date
    sample_size: int
    yes_count: int
    entered_by: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(**_utc())
    idempotency_key: str | None = Field(default=None, max_length=64)  # one per form: a double click saves once


class CampaignTaskDone(SQLModel, table=True):
    """A unit's completion of a deadline task, with its evidence."""

    __tablename__ = "campaign_task_done"
    __table_args__ = (
        UniqueConstraint("target_id", "unit_id", name="uq_campaign_task_done_target_unit"),
        UniqueConstraint("idempotency_key", name="uq_campaign_task_done_idempotency_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    target_id: int = Field(sa_column=_fk("campaign_target.id", nullable=False, ondelete="CASCADE"))
    unit_id: int = Field(sa_column=_fk("unit.id", nullable=False))
    done_on: date
    evidence_note: str = Field(sa_type=Text)
    entered_by: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(**_utc())
    idempotency_key: str | None = Field(default=None, max_length=64)  # one per form: a double click saves once


class Activity(SQLModel, table=True):
    """A logged propaganda activity of a unit."""

    __tablename__ = "activity"
    __table_args__ = (
        Index("ix_activity_unit_date", "unit_id", "activity_date"),
        Index("ix_activity_campaign", "campaign_id"),
        CheckConstraint("pieces >= 0 AND people_reached >= 0 AND households >= 0", name="ck_activity_counts"),
        CheckConstraint("officers >= 0", name="ck_activity_officers"),
        CheckConstraint("receipts >= 0", name="ck_activity_receipts"),
        UniqueConstraint("idempotency_key", name="uq_activity_idempotency_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int | None = Field(default=None, sa_column=_fk("campaign.id"))
    unit_id: int = Field(sa_column=_fk("unit.id", nullable=False))
    activity_date: date
    outreach: str = Field(max_length=16)
    channel: str = Field(max_length=16)
    pieces: int = 0
    people_reached: int = 0
    households: int = 0
    place: str | None = Field(default=None, max_length=100)  # the place's name (e.g. 武安中心小学)
    description: str | None = Field(default=None, sa_type=Text)
    evidence_note: str | None = Field(default=None, max_length=255)
    created_by: int | None = Field(default=None, sa_column=_fk("app_user.id"))
    created_at: datetime = Field(**_utc())
    audience: str | None = Field(default=None, max_length=16)  # vocabulary.Audience
    officers: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # 警力人次
    receipts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # 公开信回执 returned
    idempotency_key: str | None = Field(default=None, max_length=64)  # one per form: a double click saves once


class CampaignTargetTally(SQLModel, table=True):
    """A count/coverage target's measure summed per activity unit over a day, and over the target's week or month
    (span), kept with every activity in its transaction: the progress view reads these, never the activities."""

    __tablename__ = "campaign_target_tally"

    target_id: int = Field(sa_column=Column(Integer, ForeignKey("campaign_target.id", ondelete="CASCADE"),
                                            primary_key=True))
    span: str = Field(primary_key=True, max_length=8)  # day / week / month
    first_day: date = Field(primary_key=True)  # the day, the Monday or the 1st (Asia/Shanghai dates)
    unit_id: int = Field(sa_column=Column(Integer, ForeignKey("unit.id"), primary_key=True))
    value: int = Field(sa_type=BigInteger)


class CampaignUnitTally(SQLModel, table=True):
    """A campaign's activities and people reached per activity unit and place over a day or a month, and over a week
    for every place together (outreach ''), kept with every activity in its transaction."""

    __tablename__ = "campaign_unit_tally"

    campaign_id: int = Field(sa_column=Column(Integer, ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True))
    span: str = Field(primary_key=True, max_length=8)  # day / week / month
    first_day: date = Field(primary_key=True)
    unit_id: int = Field(sa_column=Column(Integer, ForeignKey("unit.id"), primary_key=True))
    outreach: str = Field(primary_key=True, max_length=16)  # '' on week rows: every place
    activities: int
    people: int = Field(sa_type=BigInteger)


class CampaignReport(SQLModel, table=True):
    """A unit's progress report for one reporting period (10th/25th), frozen as a JSON snapshot when submitted."""

    __tablename__ = "campaign_report"
    __table_args__ = (
        UniqueConstraint("campaign_id", "unit_id", "period_number", name="uq_campaign_report_period"),
        CheckConstraint("period_number >= 1", name="ck_campaign_report_period"),
    )

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(sa_column=_fk("campaign.id", nullable=False, ondelete="CASCADE"))
    unit_id: int = Field(sa_column=_fk("unit.id", nullable=False))
    period_number: int
    due_date: date
    submitted_at: datetime = Field(**_utc())
    submitted_by: str | None = Field(default=None, max_length=64)
    snapshot: str = Field(sa_type=Text)  # report_model.UnitReport.to_json(), never recomputed


PHOTO_MAX_BYTES = 5 * 1024 * 1024


class ActivityPhoto(SQLModel, table=True):
    """A photo kept as evidence of an activity (image types only), with its thumbnail, in the database."""

    __tablename__ = "activity_photo"
    __table_args__ = (
        Index("ix_activity_photo_activity", "activity_id"),
        CheckConstraint(f"size BETWEEN 1 AND {PHOTO_MAX_BYTES}", name="ck_activity_photo_size"),
    )

    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(sa_column=_fk("activity.id", nullable=False, ondelete="CASCADE"))
    filename: str = Field(max_length=255)
    content_type: str = Field(max_length=100)
    size: int
    content: bytes = Field(sa_type=LargeBinary)
    thumbnail: bytes | None = Field(default=None, sa_type=LargeBinary)
    uploaded_by: str | None = Field(default=None, max_length=64)
    at: datetime = Field(**_utc())


class CampaignInspection(SQLModel, table=True):
    """A 督导 visit to a unit in a campaign: who inspected, what was found, fix-by and fixed dates."""

    __tablename__ = "campaign_inspection"
    __table_args__ = (
        Index("ix_campaign_inspection_campaign_unit", "campaign_id", "unit_id", "visited_on"),
        UniqueConstraint("idempotency_key", name="uq_campaign_inspection_idempotency_key"),
        CheckConstraint("fix_by IS NULL OR fix_by >= visited_on", name="ck_campaign_inspection_fix_by"),
        CheckConstraint("fixed_on IS NULL OR fixed_on >= visited_on", name="ck_campaign_inspection_fixed_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(sa_column=_fk("campaign.id", nullable=False, ondelete="CASCADE"))
    unit_id: int = Field(sa_column=_fk("unit.id", nullable=False))
    visited_on: date
    inspector: str = Field(max_length=64)
    findings: str = Field(sa_type=Text)
    fix_by: date | None = None
    fixed_on: date | None = None
    fix_note: str | None = Field(default=None, sa_type=Text)
    created_by: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(**_utc())
    idempotency_key: str | None = Field(default=None, max_length=64)


class InspectionPhoto(SQLModel, table=True):
    """A photo taken on a 督导 visit (image types only), with its thumbnail, in the database."""

    __tablename__ = "inspection_photo"
    __table_args__ = (
        Index("ix_inspection_photo_inspection", "inspection_id"),
        CheckConstraint(f"size BETWEEN 1 AND {PHOTO_MAX_BYTES}", name="ck_inspection_photo_size"),
    )

    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(sa_column=_fk("campaign_inspection.id", nullable=False, ondelete="CASCADE"))
    filename: str = Field(max_length=255)
    content_type: str = Field(max_length=100)
    size: int
    content: bytes = Field(sa_type=LargeBinary)
    thumbnail: bytes | None = Field(default=None, sa_type=LargeBinary)
    uploaded_by: str | None = Field(default=None, max_length=64)
    at: datetime = Field(**_utc())


class WallDevice(SQLModel, table=True):
    """A wall-display screen signed in by a revocable device token: read-only, masked, scoped to a unit."""

    __tablename__ = "wall_device"
    __table_args__ = (UniqueConstraint("token_hash", name="uq_wall_device_token_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64)
    unit_id: int = Field(sa_column=_fk("unit.id", nullable=False))
    token_hash: str = Field(max_length=128)  # sha256 of the device token; the token itself is shown once
    created_by: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(**_utc())
    expires_at: datetime | None = Field(default=None, **_utc(nullable=True))
    revoked_at: datetime | None = Field(default=None, **_utc(nullable=True))
    revoked_by: str | None = Field(default=None, max_length=64)
    last_seen_at: datetime | None = Field(default=None, **_utc(nullable=True))
    last_seen_addr: str | None = Field(default=None, max_length=64)


class AccountabilityRule(SQLModel, table=True):
    """A loss threshold and what it demands, valid from a date (configuration)."""

    __tablename__ = "accountability_rule"
    __table_args__ = (
        UniqueConstraint("level", "effective_from", name="uq_accountability_rule_level_from"),
        CheckConstraint("threshold_fen > 0", name="ck_accountability_rule_threshold"),
        CheckConstraint("deadline_days > 0", name="ck_accountability_rule_deadline"),
    )

    id: int | None = Field(default=None, primary_key=True)
    level: str = Field(max_length=16)
    threshold_fen: int = Field(**_fen())
    required_action: str = Field(max_length=255)
    responsible: str = Field(max_length=100)
    deadline_days: int
    effective_from: date
    created_at: datetime = Field(**_utc())
    # A retired version ends its level from effective_from on (the level no longer raises items).
    retired: bool = Field(default=False, sa_column_kwargs={"server_default": sql_false()})
    created_by: str | None = Field(default=None, max_length=64)
    reason: str | None = Field(default=None, sa_type=Text)


class AccountabilityItem(SQLModel, table=True):
    """One accountability item per case over a threshold, tracked to closure."""

    __tablename__ = "accountability_item"
    __table_args__ = (
        UniqueConstraint("case_id", name="uq_accountability_item_case"),
        UniqueConstraint("campaign_id", "unit_id", "trigger_key", name="uq_accountability_item_campaign_trigger"),
        CheckConstraint("(case_id IS NULL AND campaign_id IS NOT NULL AND trigger_key IS NOT NULL) "
                        "OR (case_id IS NOT NULL AND rule_id IS NOT NULL AND campaign_id IS NULL)",
                        name="ck_accountability_item_source"),
        Index("ix_accountability_item_unit_status", "unit_id", "status"),
        Index("ix_accountability_item_due", "due_date"),
        Index("ix_accountability_item_raised", "raised_at"),  # the wall's latest triggers, monthly counts
        Index("ix_accountability_item_closed", "closed_at"),  # items closed in a month
    )

    id: int | None = Field(default=None, primary_key=True)
    # An item comes from a case over a loss threshold (case_id, rule_id, level = AccountabilityLevel) or from a
    # campaign a unit fell behind in (campaign_id, trigger_key, reason, level = CampaignConsequence); never both.
    case_id: int | None = Field(default=None, sa_column=_fk("fraud_case.id"))
    unit_id: int = Field(sa_column=_fk("unit.id", nullable=False))
    rule_id: int | None = Field(default=None, sa_column=_fk("accountability_rule.id"))
    campaign_id: int | None = Field(default=None, sa_column=_fk("campaign.id"))
    trigger_key: str | None = Field(default=None, max_length=64)  # e.g. "missed:4", "pace:12:2026-11-25"
    reason: str | None = Field(default=None, sa_type=Text)
    level: str = Field(max_length=16)
    required_action: str = Field(max_length=255)
    responsible: str = Field(max_length=100)
    due_date: date
    status: str = Field(default="pending", max_length=16)
    decision: str | None = Field(default=None, max_length=32)
    needs_review: bool = False
    raised_at: datetime = Field(**_utc())
    closed_at: datetime | None = Field(default=None, **_utc(nullable=True))
    explanation: str | None = Field(default=None, sa_type=Text)
    # 倒查: the station's review of its own prevention work (50万 level and above).
    prevention_review: str | None = Field(default=None, sa_type=Text)
    submitted_at: datetime | None = Field(default=None, **_utc(nullable=True))
    review_note: str | None = Field(default=None, sa_type=Text)
    decision_note: str | None = Field(default=None, sa_type=Text)
    escalated_from_level: str | None = Field(default=None, max_length=16)
    needs_review_reason: str | None = Field(default=None, sa_type=Text)


class AccountabilityEvent(SQLModel, table=True):
    """One step in an accountability item's history: raised, escalated, flagged, submitted, reviewed, closed."""

    __tablename__ = "accountability_event"
    __table_args__ = (Index("ix_accountability_event_item_at", "item_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(sa_column=_fk("accountability_item.id", nullable=False, ondelete="CASCADE"))
    at: datetime = Field(**_utc())
    # No foreign key: like the audit log, the history outlives the account.
    user_id: int | None = None
    username: str | None = Field(default=None, max_length=64)
    action: str = Field(max_length=16)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str | None = Field(default=None, max_length=16)
    from_level: str | None = Field(default=None, max_length=16)
    to_level: str | None = Field(default=None, max_length=16)
    note: str | None = Field(default=None, sa_type=Text)


ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


class AccountabilityAttachment(SQLModel, table=True):
    """A file submitted with an explanation (scan, photo, minutes), kept in the database."""

    __tablename__ = "accountability_attachment"
    __table_args__ = (
        Index("ix_accountability_attachment_item", "item_id"),
        CheckConstraint(f"size BETWEEN 0 AND {ATTACHMENT_MAX_BYTES}", name="ck_accountability_attachment_size"),
    )

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(sa_column=_fk("accountability_item.id", nullable=False, ondelete="CASCADE"))
    filename: str = Field(max_length=255)
    content_type: str = Field(max_length=100)
    size: int
    content: bytes = Field(sa_type=LargeBinary)
    uploaded_by: str | None = Field(default=None, max_length=64)
    at: datetime = Field(**_utc())


class AppUser(SQLModel, table=True):
    """A local account with a role on a unit."""

    __tablename__ = "app_user"
    __table_args__ = (
        UniqueConstraint("username", name="uq_app_user_username"),
        CheckConstraint("failed_logins >= 0", name="ck_app_user_failed_logins"),
    )

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64)
    display_name: str = Field(max_length=64)
    password_hash: str | None = Field(default=None, max_length=255)
    role: str = Field(max_length=16)
    unit_id: int = Field(sa_column=_fk("unit.id", nullable=False))
    is_active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = Field(default=None, **_utc(nullable=True))
    created_at: datetime = Field(**_utc())
    last_login_at: datetime | None = Field(default=None, **_utc(nullable=True))


class AuditLog(SQLModel, table=True):
    """Append-only audit record: when, who, role, unit, action, object, success, client address."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_username_at", "username", "at"),
        Index("ix_audit_log_action_at", "action", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(**_utc())
    user_id: int | None = None
    username: str | None = Field(default=None, max_length=64)
    role: str | None = Field(default=None, max_length=16)
    unit_id: int | None = None
    action: str = Field(max_length=32)
    object_type: str | None = Field(default=None, max_length=32)
    object_id: str | None = Field(default=None, max_length=64)
    success: bool = True
    client_addr: str | None = Field(default=None, max_length=64)
    detail: str | None = Field(default=None, sa_type=Text)


class AppSetting(SQLModel, table=True):
    """Key-value facts about this installation (e.g. that demo data was loaded)."""

    __tablename__ = "app_setting"

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(sa_type=Text)
    updated_at: datetime = Field(**_utc())


class LoginSession(SQLModel, table=True):
    """A signed-in browser session; the browser holds a random token whose SHA-256 is stored here."""

    __tablename__ = "login_session"
    __table_args__ = (
        UniqueConstraint("token_hash", name="uq_login_session_token_hash"),
        Index("ix_login_session_handoff", "handoff_hash"),
        Index("ix_login_session_user", "user_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64)
    user_id: int = Field(sa_column=_fk("app_user.id", nullable=False, ondelete="CASCADE"))
    created_at: datetime = Field(**_utc())
    last_seen_at: datetime = Field(**_utc())
    ended_at: datetime | None = Field(default=None, **_utc(nullable=True))
    client_addr: str | None = Field(default=None, max_length=64)
    # A one-time code the signed-in page hands to the server, which answers with the HttpOnly cookie.
    handoff_hash: str | None = Field(default=None, max_length=64)
    handoff_expires_at: datetime | None = Field(default=None, **_utc(nullable=True))


# desk_call_day_tally and case_day_tally follow every ORM write of desk_call and fraud_case (mapper events
# registered on import).
from db import call_tally as _call_tally  # noqa: E402,F401
from db import case_tally as _case_tally  # noqa: E402,F401

# strike_month_tally and the ledger's/劝阻's kept seconds follow every ORM write (mapper events registered on import).
from db import strike_tally as _strike_tally  # noqa: E402,F401
