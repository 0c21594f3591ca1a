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


class Campaign(SQLModel, table=True):
    """A propaganda campaign (宣传活动) with its theme and period."""

    __tablename__ = "campaign"
    __table_args__ = (CheckConstraint("end_date >= start_date", name="ck_campaign_period"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    theme: str | None = Field(default=None, max_length=200)
    start_date: date
    end_date: date
    owner_unit_id: int = Field(sa_column=_fk("unit.id", nullable=False))
    created_at: datetime = Field(**_utc())


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
        CheckConstraint("base_value > 0", name="ck_campaign_base_value"),
    )

    id: int | None = Field(default=None, primary_key=True)
    target_id: int = Field(sa_column=_fk("campaign_target.id", nullable=False, ondelete="CASCADE"))
    unit_id: int = Field(sa_column=_fk("unit.id", nullable=False))
    base_value: int
    declared_at: datetime = Field(**_utc())
    declared_by: str | None = Field(default=None, max_length=64)


class CampaignSurvey(SQLModel, table=True):
    """A survey a unit ran for a survey target: how many asked, how many said yes."""

    __tablename__ = "campaign_survey"
    __table_args__ = (
        Index("ix_campaign_survey_target_unit", "target_id", "unit_id"),
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


class CampaignTaskDone(SQLModel, table=True):
    """A unit's completion of a deadline task, with its evidence."""

    __tablename__ = "campaign_task_done"
    __table_args__ = (UniqueConstraint("target_id", "unit_id", name="uq_campaign_task_done_target_unit"),)

    id: int | None = Field(default=None, primary_key=True)
    target_id: int = Field(sa_column=_fk("campaign_target.id", nullable=False, ondelete="CASCADE"))
    unit_id: int = Field(sa_column=_fk("unit.id", nullable=False))
    done_on: date
    evidence_note: str = Field(sa_type=Text)
    entered_by: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(**_utc())


class Activity(SQLModel, table=True):
    """A logged propaganda activity of a unit."""

    __tablename__ = "activity"
    __table_args__ = (
        Index("ix_activity_unit_date", "unit_id", "activity_date"),
        Index("ix_activity_campaign", "campaign_id"),
        CheckConstraint("pieces >= 0 AND people_reached >= 0 AND households >= 0", name="ck_activity_counts"),
        CheckConstraint("officers >= 0", name="ck_activity_officers"),
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
        Index("ix_accountability_item_unit_status", "unit_id", "status"),
        Index("ix_accountability_item_due", "due_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(sa_column=_fk("fraud_case.id", nullable=False))
    unit_id: int = Field(sa_column=_fk("unit.id", nullable=False))
    rule_id: int = Field(sa_column=_fk("accountability_rule.id", nullable=False))
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
