"""Writes the demo into a database in one transaction, by bulk inserts, reporting progress."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, delete, func, select, update
from sqlmodel import Session

from db import call_tally, case_tally, models
from db.bulk import bulk_insert, next_id, refresh_statistics, reset_id_sequence, timestamp_texts
from db.engine import writer
from db.queries import DEMO_SETTING_KEY
from services.accountability import triggers
from services.campaigns import tallies
from services.demo import campaign_followup
from services.demo import campaign_reports as demo_reports
from services.demo import generator as gen
from services.demo import identifiers as idgen
from services.demo import strike as demo_strike
from services.demo.units import COMMAND_CENTER_CODE, DemoUnit, build_demo_units, geometry_json, walk
from services.demo.users import create_demo_users
from services.geo.tiling import random_points_in
from services.shared.timeutil import SHANGHAI, now_utc
from vocabulary import CallOutcome, CallType, CaseSource, ContactChannel, FraudType, ItemStatus, UnitKind

Stage = Callable[[str, int], None]
Advance = Callable[[int], None]


class DemoRefused(Exception):
    """The database already holds data that the demo must not mix with or overwrite."""


@dataclass
class ProgressSink:
    """Receives progress: stage(name, total) starts a stage, advance(n) moves it on."""

    stage: Stage = lambda name, total: None
    advance: Advance = lambda n: None


@dataclass(frozen=True)
class DemoSummary:
    """What a demo load wrote."""

    units: int
    cases: int
    calls: int
    identifiers: int
    interceptions: int
    activities: int
    seconds: float


BUSINESS_TABLES = (
    *demo_strike.TABLES,
    models.IdentifierLink, models.Interception, models.AccountabilityAttachment, models.AccountabilityEvent,
    models.AccountabilityItem, models.CaseRevision, models.DeskCall,
    models.Identifier, models.CampaignReport, models.ActivityPhoto, models.Activity, models.CampaignBase, models.CampaignSurvey,
    models.CampaignTaskDone, models.CampaignTarget, models.CampaignUnit, models.Campaign,
    models.FraudCase,
)


def demo_info(connection: Connection) -> dict | None:
    """The recorded demo parameters, or None when no demo was loaded."""
    row = connection.execute(
        select(models.AppSetting.value).where(models.AppSetting.key == DEMO_SETTING_KEY)
    ).scalar()
    return json.loads(row) if row else None


def _check_empty(connection: Connection, replace: bool) -> None:
    has_units = connection.execute(select(func.count()).select_from(models.Unit)).scalar()
    if not has_units:
        return
    if not replace:
        raise DemoRefused("数据库中已有数据；如需重新载入演示数据，请加 --replace（仅限演示数据库）。")
    if demo_info(connection) is None:
        raise DemoRefused("数据库中有非演示数据，拒绝覆盖。请使用新的数据库载入演示数据。")
    for model in BUSINESS_TABLES:
        connection.execute(delete(model))
    connection.execute(delete(models.AppUser))
    connection.execute(delete(models.AppSetting).where(models.AppSetting.key == DEMO_SETTING_KEY))
    # Children before parents: delete units deepest first.
    for level in (4, 3, 2, 1):
        connection.execute(delete(models.Unit).where(models.Unit.level == level))


def _utc64(moment: datetime) -> np.datetime64:
    return np.datetime64(moment.astimezone(UTC).replace(tzinfo=None), "us")


def _write_units(connection: Connection, root: DemoUnit, progress: ProgressSink) -> dict[str, int]:
    units = walk(root)
    progress.stage("单位与辖区", len(units))
    first = next_id(connection, models.Unit.__table__)
    ids = {unit.code: first + i for i, unit in enumerate(units)}
    paths: dict[str, str] = {}
    rows = []
    for unit in units:
        parent_path = paths[unit.parent_code] if unit.parent_code else "/"
        paths[unit.code] = f"{parent_path}{ids[unit.code]}/"
        centroid = unit.geometry.representative_point() if unit.geometry is not None else None
        rows.append((
            ids[unit.code], unit.code, unit.name, unit.full_name, unit.kind.value, unit.level,
            ids.get(unit.parent_code) if unit.parent_code else None, paths[unit.code], unit.division_code,
            geometry_json(unit.geometry), unit.synthetic,
            centroid.x if centroid else None, centroid.y if centroid else None,
            unit.population, "演示估算值" if unit.population else None, unit.sort_order,
        ))
    columns = ("id", "code", "name", "full_name", "kind", "level", "parent_id", "path", "division_code",
               "boundary_geojson", "boundary_synthetic", "centroid_lon", "centroid_lat", "population",
               "population_source", "sort_order")
    bulk_insert(connection, models.Unit.__table__, columns, rows, progress.advance)
    reset_id_sequence(connection, models.Unit.__table__)
    return ids


def _stations(root: DemoUnit, ids: dict[str, int]) -> list[gen.StationInfo]:
    return [
        gen.StationInfo(ids[u.code], u.code, u.name, u.parent_code, u.population or 1, u.geometry)
        for u in walk(root) if u.kind is UnitKind.STATION
    ]


def _coordinates(station_index: np.ndarray, stations: list[gen.StationInfo], rng) -> tuple[list, list]:
    lon = np.full(len(station_index), np.nan)
    lat = np.full(len(station_index), np.nan)
    for i, station in enumerate(stations):
        rows = np.flatnonzero(station_index == i)
        if len(rows):
            lon[rows], lat[rows] = random_points_in(station.geometry, len(rows), rng)
    located = rng.random(len(station_index)) >= gen.UNLOCATED_SHARE
    lon_list = [round(x, 6) if ok else None for x, ok in zip(lon.tolist(), located.tolist(), strict=True)]
    lat_list = [round(y, 6) if ok else None for y, ok in zip(lat.tolist(), located.tolist(), strict=True)]
    return lon_list, lat_list


def _summaries(fraud_types: np.ndarray, channels: np.ndarray) -> list[str]:
    labels = {c.value: c.label for c in ContactChannel}
    return [
        gen.SUMMARY_TEMPLATES[FraudType(t)].format(channel=labels[c])
        for t, c in zip(fraud_types.tolist(), channels.tolist(), strict=True)
    ]


@dataclass
class _Cases:
    ids: np.ndarray
    stamps: np.ndarray
    unit_ids: np.ndarray
    types: np.ndarray
    losses: np.ndarray
    summaries: list[str]


def _write_cases(connection, spec: gen.DemoSpec, stations, rng, progress: ProgressSink) -> _Cases:
    n, dialect = spec.cases, connection.dialect.name
    start = gen.history_start(spec.anchor)
    stamps = gen.sample_times(n, start, spec.anchor, rng)
    station_index = gen.assign_stations(n, stations, rng)
    types = gen.sample_fraud_types(n, rng)
    losses = gen.sample_losses_fen(types, rng)
    recovered, frozen = gen.recovered_fen(losses, rng)
    ages = gen.sample_ages(n, rng)
    profile = gen.victim_profile(ages, rng)
    lon, lat = _coordinates(station_index, stations, rng)
    channels = gen.contact_channels(types, rng)
    occurred = stamps - (rng.uniform(0.2, 72, n) * 3_600_000_000).astype("int64").astype("timedelta64[us]")
    occurred = np.maximum(occurred, _utc64(start))
    unit_ids = np.array([s.unit_id for s in stations])[station_index]
    district_codes = np.array([s.district_code for s in stations], dtype=object)[station_index]
    first = next_id(connection, models.FraudCase.__table__)
    case_ids = np.arange(first, first + n)
    reported_text = timestamp_texts(stamps, dialect)
    summaries = _summaries(types, channels)
    reached = [None if r < 0 else bool(r) for r in profile["reached"].tolist()]
    columns = ("id", "case_no", "unit_id", "reported_at", "occurred_at", "fraud_type", "status", "loss_fen",
               "recovered_fen", "frozen_fen", "contact_channel", "payment_channel", "lon", "lat", "victim_name",
               "victim_gender", "victim_age", "victim_occupation", "victim_education", "victim_economic",
               "victim_reached_by_propaganda", "summary", "source", "created_at", "updated_at")
    rows = zip(
        case_ids.tolist(), gen.case_numbers(district_codes, stamps), unit_ids.tolist(), reported_text,
        timestamp_texts(occurred, dialect), types.tolist(), gen.case_status(stamps, spec.anchor, rng).tolist(),
        losses.tolist(), recovered.tolist(), frozen.tolist(), channels.tolist(),
        gen.payment_channels(n, rng).tolist(), lon, lat, gen.sample_names(n, rng), profile["gender"].tolist(),
        ages.tolist(), profile["occupation"].tolist(), profile["education"].tolist(), profile["economic"].tolist(),
        reached, summaries, [CaseSource.DEMO.value] * n, reported_text, reported_text, strict=True,
    )
    progress.stage("案件", n)
    bulk_insert(connection, models.FraudCase.__table__, columns, rows, progress.advance)
    reset_id_sequence(connection, models.FraudCase.__table__)
    case_tally.rebuild(connection)  # bulk-inserted: the day tally counted once from the cases
    return _Cases(case_ids, stamps, unit_ids, types, losses, summaries)


@dataclass
class _Calls:
    ids: np.ndarray
    stamps: np.ndarray
    outcomes: np.ndarray


def _write_calls(connection, spec, stations, cases: _Cases, desk_unit_id: int, rng, progress) -> _Calls:
    n_total = round(spec.cases * gen.CALLS_PER_CASE)
    via_desk = rng.choice(spec.cases, size=min(round(spec.cases * gen.CASES_REPORTED_VIA_DESK), n_total), replace=False)
    n_other = n_total - len(via_desk)
    start = gen.history_start(spec.anchor)
    lead = (rng.uniform(2, 30, len(via_desk)) * 60_000_000).astype("int64").astype("timedelta64[us]")
    desk_stamps = np.maximum(cases.stamps[via_desk] - lead, _utc64(start))
    other_stamps = gen.sample_times(n_other, start, spec.anchor, rng)
    other_type, other_outcome = gen.call_mix(n_other, rng)
    station_ids = np.array([s.unit_id for s in stations])
    other_units = station_ids[gen.assign_stations(n_other, stations, rng)].astype(object)
    other_units[rng.random(n_other) < 0.08] = None
    other_fraud = gen.sample_fraud_types(n_other, rng)
    pending = np.where(other_outcome == CallOutcome.DISSUADED.value,
                       (np.round(rng.lognormal(np.log(20_000), 1.1, n_other)) * 100).astype(np.int64), 0)
    stamps = np.concatenate([desk_stamps, other_stamps])
    first = next_id(connection, models.DeskCall.__table__)
    call_ids = np.arange(first, first + n_total)
    ages = gen.sample_ages(n_total, rng)
    profile = gen.victim_profile(ages, rng)
    reached = [None if r < 0 else bool(r) for r in profile["reached"].tolist()]
    received = timestamp_texts(stamps, connection.dialect.name)
    labels = {t.value: t.label for t in FraudType}
    narratives = [cases.summaries[i] for i in via_desk.tolist()] + [
        f"来电人反映疑似{labels[t]}情况，民警核实后予以答复并告知“不听、不信、不汇款、不转账”。"
        for t in other_fraud.tolist()
    ]
    outcomes = np.concatenate([np.full(len(via_desk), CallOutcome.TO_CASE.value, dtype=object), other_outcome])
    columns = ("id", "idempotency_key", "received_at", "officer_id", "desk_unit_id", "jurisdiction_unit_id",
               "call_type", "caller_phone", "caller_gender", "caller_age", "caller_occupation", "caller_education",
               "caller_reached_by_propaganda", "fraud_type", "narrative", "lost_fen", "pending_fen", "outcome",
               "follow_up", "case_id", "created_at")
    rows = zip(
        call_ids.tolist(), [f"demo-{spec.seed}-{i}" for i in range(n_total)], received, [None] * n_total,
        [desk_unit_id] * n_total, cases.unit_ids[via_desk].tolist() + other_units.tolist(),
        [CallType.REPORT.value] * len(via_desk) + other_type.tolist(), idgen.phones(n_total, rng),
        profile["gender"].tolist(), ages.tolist(), profile["occupation"].tolist(), profile["education"].tolist(),
        reached, cases.types[via_desk].tolist() + other_fraud.tolist(), narratives,
        cases.losses[via_desk].tolist() + [0] * n_other, [0] * len(via_desk) + pending.tolist(), outcomes.tolist(),
        (rng.random(n_total) < 0.15).tolist(), cases.ids[via_desk].tolist() + [None] * n_other, received,
        strict=True,
    )
    progress.stage("专家席来电", n_total)
    bulk_insert(connection, models.DeskCall.__table__, columns, rows, progress.advance)
    reset_id_sequence(connection, models.DeskCall.__table__)
    call_tally.rebuild(connection)  # bulk-inserted: the day tally counted once from the calls
    return _Calls(call_ids, stamps, outcomes)


def _link_plan(cases: _Cases, calls: _Calls, rng) -> pd.DataFrame:
    """Which identifier-use slot each case and call gets (before pool ids are known)."""
    second = rng.random(len(cases.ids)) < 0.35
    case_rows = np.concatenate([np.arange(len(cases.ids)), np.flatnonzero(second)])
    leads = np.isin(calls.outcomes, [CallOutcome.LEAD_LOGGED.value]) | (
        (calls.outcomes == CallOutcome.DISSUADED.value) & (rng.random(len(calls.ids)) < 0.6)
    )
    call_rows = np.flatnonzero(leads)
    return pd.DataFrame({
        "case_id": np.concatenate([cases.ids[case_rows], np.zeros(len(call_rows), dtype=np.int64)]),
        "call_id": np.concatenate([np.zeros(len(case_rows), dtype=np.int64), calls.ids[call_rows]]),
        "stamp": np.concatenate([cases.stamps[case_rows], calls.stamps[call_rows]]),
    })


def _pool_choice(count: int, pool_size: int, rng) -> np.ndarray:
    """Mostly fresh identifiers, with a hot minority that recur (organised fraud numbers and accounts)."""
    choice = rng.integers(0, pool_size, count)
    hot_size = max(20, pool_size // 20)
    hot = rng.random(count) < 0.1
    choice[hot] = idgen.reuse_indices(int(hot.sum()), hot_size, rng)
    return choice


def _write_identifiers(connection, cases: _Cases, calls: _Calls, rng, progress) -> tuple[int, list[int]]:
    plan = _link_plan(cases, calls, rng)
    pool = idgen.identifier_pool(max(200, round(len(plan) * 0.8)), rng)
    plan["pool"] = _pool_choice(len(plan), len(pool), rng)
    # Ids in (kind, value) order: the unique index then grows at its end, which is much faster.
    used = np.array(sorted(np.unique(plan["pool"].to_numpy()).tolist(), key=lambda i: pool[i][:2]), dtype=np.int64)
    first_id = next_id(connection, models.Identifier.__table__)
    pool_to_id = pd.Series(np.arange(first_id, first_id + len(used)), index=used)
    plan["identifier_id"] = pool_to_id.reindex(plan["pool"]).to_numpy()
    stamps_by_pool = plan.groupby("pool")["stamp"]
    first_seen = stamps_by_pool.min().reindex(used).to_numpy()
    last_seen = stamps_by_pool.max().reindex(used).to_numpy()
    reports = stamps_by_pool.size().reindex(used).to_numpy()
    dialect = connection.dialect.name
    progress.stage("号码、账号等标识", len(used) + len(plan))
    identifier_rows = zip(
        pool_to_id.tolist(), [pool[i][0] for i in used.tolist()], [pool[i][1] for i in used.tolist()],
        [pool[i][2] for i in used.tolist()], timestamp_texts(first_seen, dialect), timestamp_texts(last_seen, dialect),
        reports.tolist(), strict=True,
    )
    columns = ("id", "kind", "value_norm", "bank_name", "first_seen_at", "last_seen_at", "report_count")
    bulk_insert(connection, models.Identifier.__table__, columns, identifier_rows, progress.advance)
    reset_id_sequence(connection, models.Identifier.__table__)
    link_rows = zip(
        plan["identifier_id"].tolist(),
        [c or None for c in plan["call_id"].tolist()], [c or None for c in plan["case_id"].tolist()],
        ["fraudster"] * len(plan), timestamp_texts(plan["stamp"].to_numpy(), dialect), strict=True,
    )
    bulk_insert(connection, models.IdentifierLink.__table__, ("identifier_id", "call_id", "case_id", "role", "seen_at"),
                link_rows, progress.advance)
    reset_id_sequence(connection, models.IdentifierLink.__table__)
    bank_ids = [int(pool_to_id[i]) for i in used.tolist() if pool[i][0] == "bank_account"]
    return len(used), bank_ids


def _write_interceptions(connection, spec, stations, bank_ids: list[int], rng, progress) -> int:
    n = round(spec.cases * gen.INTERCEPTIONS_PER_CASE)
    stamps = gen.sample_times(n, gen.history_start(spec.anchor), spec.anchor, rng)
    station_index = gen.assign_stations(n, stations, rng)
    amounts = (np.round(rng.lognormal(np.log(30_000), 1.1, n)) * 100).astype(np.int64)
    payees = np.array(bank_ids or [None], dtype=object)[rng.integers(0, max(len(bank_ids), 1), n)]
    texts = timestamp_texts(stamps, connection.dialect.name)
    rows = zip(
        [stations[i].unit_id for i in station_index.tolist()], texts,
        gen.branch_names([stations[i].name for i in station_index.tolist()], rng), amounts.tolist(),
        gen.sample_fraud_types(n, rng).tolist(), payees.tolist(), texts, strict=True,
    )
    progress.stage("银行阻截", n)
    columns = ("unit_id", "intercepted_at", "branch_name", "amount_fen", "fraud_type", "payee_identifier_id", "created_at")
    return bulk_insert(connection, models.Interception.__table__, columns, rows, progress.advance)


def _campaign_periods(anchor: datetime) -> list[tuple[str, str, date, date]]:
    year = anchor.astimezone(SHANGHAI).year
    autumn_year = year if anchor.astimezone(SHANGHAI).month >= 8 else year - 1
    return [
        (f"{year}年“防范诈骗 人人参与”春季宣传活动", "防范诈骗 人人参与",
         date(year, 4, 1), date(year, 6, 30)),
        (f"{autumn_year}年“织密防护网、筑牢防火墙、守护千万家”专项宣传活动", "织密防护网、筑牢防火墙、守护千万家",
         date(autumn_year, 8, 1), date(autumn_year, 12, 31)),
    ]


# (metric, description, target value, unit of measure, kind, period, measure, outreach, channel, due (month, day))
CAMPAIGN_TARGETS = (
    ("incident_drop_pct", "警情数同比下降", 35, "%", "outcome", None, "incidents", None, None, None),
    ("loss_drop_pct", "损失金额同比下降", 20, "%", "outcome", None, "loss", None, None, None),
    ("letter_awareness_pct", "公开信知晓率", 90, "%", "survey", None, None, None, None, None),
    ("leaflet_coverage_pct", "宣传折页/海报覆盖率", 40, "%", "coverage", None, "households", None, None, None),
    ("events_per_unit_month", "每单位每月集中宣传活动", 1, "次", "count", "month", "activities", None, None, None),
    ("school_events_month", "每月进校园宣传", 1, "次", "count", "month", "activities", "school", None, None),
    ("wechat_posts_week", "每周公众号/微信群推送反诈信息不少于2次", 2, "次", "count", "week", "activities", None, "push",
     None),
    ("finance_training", "企业财会人员培训全覆盖（签订告知书）", 1, "项", "task", None, None, None, None, (11, 30)),
)
SURVEY_MIN_SAMPLE = 200
PARTNER_ACTIVITIES = 12  # per partner unit in the running campaign
PLACE_SUFFIX = {
    "school": "中心小学", "community": "社区", "factory": "工业园区", "residential": "花园小区", "mall": "商业广场",
    "hospital": "卫生院", "enterprise": "企业园区", "village": "村", "agency": "镇政府", "bank": "农商银行网点",
    "telecom_hall": "移动营业厅",
}
AUDIENCE_BY_OUTREACH = {"school": "student", "factory": "employee", "enterprise": "finance_staff",
                        "village": "elderly", "community": "elderly", "residential": "elderly", "bank": "other"}
TASK_EVIDENCE = "已对辖区企业财会人员集中培训，签订告知书，照片及签到表存档。"


def _short(name: str) -> str:
    return name.removesuffix("派出所").removesuffix("公安分局").removesuffix("公安局")


def _liaison(rng) -> tuple[str, str]:
    name = gen.SURNAMES[int(rng.integers(0, len(gen.SURNAMES)))] + gen.GIVEN[int(rng.integers(0, len(gen.GIVEN)))]
    return name, f"1{int(rng.choice([35, 37, 38, 39, 58, 59, 88]))}{int(rng.integers(0, 10**8)):08d}"


def _target_rows(campaign_id: int, start: date, end: date) -> list[dict]:
    rows = []
    for metric, description, value, uom, kind, period, measure, outreach, channel, due in CAMPAIGN_TARGETS:
        due_date = None
        if due is not None:
            due_date = min(max(date(end.year, *due), start), end) if start.month <= due[0] <= end.month else end
        rows.append({"campaign_id": campaign_id, "metric": metric, "description": description, "target_value": value,
                     "unit_of_measure": uom, "kind": kind, "period": period, "measure": measure, "outreach": outreach,
                     "channel": channel, "due_date": due_date,
                     "min_sample": SURVEY_MIN_SAMPLE if kind == "survey" else None})
    return rows


def _write_progress_entries(connection, campaign_id: int, start: date, end: date, unit_ids: list[int], today: date,
                            rng) -> None:
    """Declared bases, surveys and task completions of a campaign that has begun."""
    targets = dict(connection.execute(select(models.CampaignTarget.metric, models.CampaignTarget.id)
                                      .where(models.CampaignTarget.campaign_id == campaign_id)).all())
    last = min(today, end)
    span = (last - start).days + 1
    declared = datetime.combine(start, datetime.min.time(), SHANGHAI).astimezone(UTC) + timedelta(days=2, hours=2)
    bases, surveys, tasks = [], [], []
    task = targets["finance_training"]
    due = connection.execute(select(models.CampaignTarget.due_date).where(models.CampaignTarget.id == task)).scalar()
    for unit_id in unit_ids:
        bases.append({"target_id": targets["leaflet_coverage_pct"], "unit_id": unit_id,
                      "base_value": int(rng.integers(800, 6000)), "declared_at": declared, "declared_by": "演示数据"})
        for _ in range(int(rng.integers(0, 3))):
            sample = int(rng.integers(60, 160))
            surveys.append({"target_id": targets["letter_awareness_pct"], "unit_id": unit_id,
                            "survey_date": start + timedelta(days=int(rng.integers(0, span))), "sample_size": sample,
                            "yes_count": int(round(sample * rng.uniform(0.78, 0.98))), "entered_by": "演示数据",
                            "created_at": declared})
        if rng.random() < 0.6 and span > 1:
            done_on = min(start + timedelta(days=int(rng.integers(0, span))), due)
            tasks.append({"target_id": task, "unit_id": unit_id, "done_on": done_on, "evidence_note": TASK_EVIDENCE,
                          "entered_by": "演示数据", "created_at": declared})
    for table, rows in ((models.CampaignBase, bases), (models.CampaignSurvey, surveys), (models.CampaignTaskDone, tasks)):
        if rows:
            connection.execute(table.__table__.insert(), rows)


def _write_campaigns(connection, spec, root_id: int, unit_ids: list[int], stations, rng, progress,
                     partners: list[tuple[int, int, str]] = ()) -> int:
    created = timestamp_texts(np.array([_utc64(spec.anchor)]), connection.dialect.name)[0]
    today = spec.anchor.astimezone(SHANGHAI).date()
    extra = np.random.default_rng(spec.seed + 13)  # the campaign details: the other demo records stay as they were
    campaigns = []
    for name, theme, start, end in _campaign_periods(spec.anchor):
        campaign_id = connection.execute(
            models.Campaign.__table__.insert().values(
                name=name, theme=theme, start_date=start, end_date=end, owner_unit_id=root_id,
                created_at=spec.anchor,
            )
        ).inserted_primary_key[0]
        liaisons = [_liaison(extra) for _ in range(len(unit_ids) + len(partners))]
        connection.execute(models.CampaignUnit.__table__.insert(), [
            {"campaign_id": campaign_id, "unit_id": u, "partner": False, "liaison_name": n, "liaison_phone": p}
            for u, (n, p) in zip(unit_ids, liaisons, strict=False)
        ] + [
            {"campaign_id": campaign_id, "unit_id": u, "partner": True, "liaison_name": n, "liaison_phone": p}
            for (u, _, _), (n, p) in zip(partners, liaisons[len(unit_ids):], strict=True)
        ])
        connection.execute(models.CampaignTarget.__table__.insert(), _target_rows(campaign_id, start, end))
        if start <= today:
            _write_progress_entries(connection, campaign_id, start, end, unit_ids, today, extra)
        campaigns.append((campaign_id, start, end))
    n = len(stations) * gen.MONTHS_OF_HISTORY * gen.ACTIVITIES_PER_STATION_MONTH
    dates = gen.activity_dates(gen.history_start(spec.anchor), spec.anchor, n, rng)
    campaign_of = np.full(n, None, dtype=object)
    for campaign_id, start, end in campaigns:
        campaign_of[(dates >= np.datetime64(start)) & (dates <= np.datetime64(end))] = campaign_id
    detail = gen.activity_rows_spec(n, rng)
    station_index = rng.integers(0, len(stations), n)
    unit_of = [stations[i].unit_id for i in station_index.tolist()]
    names = [_short(stations[i].name) for i in station_index.tolist()]
    outreach, channel = detail["outreach"].tolist(), detail["channel"].tolist()
    people, pieces, households = detail["people"].tolist(), detail["pieces"].tolist(), detail["households"].tolist()
    day_texts = np.datetime_as_string(dates, unit="D").tolist()
    campaign_list = campaign_of.tolist()
    # Partner units log their own activities in the running campaign: at their own place, few officers.
    running = next(((c, s, e) for c, s, e in campaigns if s <= today <= e), None)
    if running is not None:
        campaign_id, start, _ = running
        for unit_id, _, name in partners:
            for _ in range(PARTNER_ACTIVITIES):
                day = start + timedelta(days=int(extra.integers(0, (today - start).days + 1)))
                kind = next((o for o, suffix in PLACE_SUFFIX.items() if name.endswith(suffix)), "village")
                campaign_list.append(campaign_id)
                unit_of.append(unit_id)
                names.append(name)
                day_texts.append(day.isoformat())
                outreach.append(kind)
                channel.append(str(extra.choice(["banner", "poster", "leaflet", "push", "lecture"])))
                reached = int(extra.integers(20, 300))
                people.append(reached)
                pieces.append(int(reached * extra.uniform(0.5, 1.5)))
                households.append(int(reached * extra.uniform(0.2, 0.6)))
    total = len(unit_of)
    audience = [AUDIENCE_BY_OUTREACH.get(o) or str(extra.choice(["elderly", "employee", "migrant_worker", "other"]))
                for o in outreach]
    officers = extra.integers(1, 8, total).tolist()
    for i in range(n, total):
        officers[i] = int(extra.integers(0, 2))  # partner staff, at most one officer
    places = [name if i >= n else f"{name}{PLACE_SUFFIX.get(o, '')}" for i, (name, o) in enumerate(zip(names, outreach))]
    rows = zip(campaign_list, unit_of, day_texts, outreach, channel, pieces, people, households, audience, officers,
               places, [created] * total, strict=True)
    progress.stage("宣传活动", total)
    columns = ("campaign_id", "unit_id", "activity_date", "outreach", "channel", "pieces", "people_reached",
               "households", "audience", "officers", "place", "created_at")
    return bulk_insert(connection, models.Activity.__table__, columns, rows, progress.advance)


def _record(connection, spec: gen.DemoSpec, summary: dict) -> None:
    value = json.dumps({"seed": spec.seed, "cases": spec.cases, "anchor": spec.anchor.isoformat(), **summary})
    connection.execute(models.AppSetting.__table__.insert().values(key=DEMO_SETTING_KEY, value=value, updated_at=now_utc()))


SETTLED_AFTER_DAYS = 30  # demo items due more than this long before the anchor were dealt with


def _close_settled_items(session: Session, anchor: datetime) -> None:
    """Older demo items closed, 3–14 days after raising: the leaders' view shows live work, not a year of backlog."""
    cutoff = anchor.astimezone(SHANGHAI).date() - timedelta(days=SETTLED_AFTER_DAYS)
    settled = session.execute(select(models.AccountabilityItem.id, models.AccountabilityItem.raised_at)
                              .where(models.AccountabilityItem.due_date < cutoff)).all()
    session.execute(update(models.AccountabilityItem), [
        {"id": item_id, "status": ItemStatus.CLOSED.value, "closed_at": raised + timedelta(days=3 + item_id % 12)}
        for item_id, raised in settled
    ])


def load_demo(engine: Engine, spec: gen.DemoSpec, progress: ProgressSink | None = None, replace: bool = False) -> DemoSummary:
    """Build and write the whole demo in one write transaction (nothing is left half-loaded)."""
    progress = progress or ProgressSink()
    started = now_utc()
    rng = np.random.default_rng(spec.seed)
    root = build_demo_units(seed=spec.seed)
    with writer(engine).begin() as connection:
        _check_empty(connection, replace)
        ids = _write_units(connection, root, progress)
        stations = _stations(root, ids)
        cases = _write_cases(connection, spec, stations, rng, progress)
        calls = _write_calls(connection, spec, stations, cases, ids[COMMAND_CENTER_CODE], rng, progress)
        identifier_count, bank_ids = _write_identifiers(connection, cases, calls, rng, progress)
        interceptions = _write_interceptions(connection, spec, stations, bank_ids, rng, progress)
        participants = [ids[u.code] for u in walk(root) if u.kind in (UnitKind.DISTRICT_BUREAU, UnitKind.STATION)]
        partners = [(ids[u.code], ids[u.parent_code], u.name) for u in walk(root) if u.kind is UnitKind.PARTNER]
        activities = _write_campaigns(connection, spec, ids[root.code], participants, stations, rng, progress, partners)
        activities += demo_reports.write_weekly_posts(
            connection, spec.seed, spec.anchor.astimezone(SHANGHAI).date(),
            [(s.unit_id, _short(s.name)) for s in stations],
            timestamp_texts(np.array([_utc64(spec.anchor)]), connection.dialect.name)[0])
        tallies.rebuild(connection)  # the activities were bulk-inserted: count them once for the progress view
        summary = DemoSummary(len(ids), spec.cases, len(calls.ids), identifier_count, interceptions, activities,
                              (now_utc() - started).total_seconds())
        with Session(bind=connection) as session:
            users = create_demo_users(session)
            progress.stage("进展报送", 1)
            demo_reports.write_demo_reports(session, spec.seed, spec.anchor, ids[root.code])
            progress.advance(1)
            # Cases over a threshold have their accountability items, dated from their report, as in real use.
            progress.stage("问责事项", 1)
            triggers.backfill(session, now_utc(), at_report_time=True)
            _close_settled_items(session, spec.anchor)
            campaign_followup.write_followup(session, spec.anchor)  # 督导 visits; campaign items raised
            progress.advance(1)
            session.flush()
        demo_strike.write_strike(connection, spec)  # 打击挽损: solving days, results, ledger, 劝阻
        _record(connection, spec, {"units": summary.units, "calls": summary.calls, "users": users})
        refresh_statistics(connection)
    return DemoSummary(**{**summary.__dict__, "seconds": (now_utc() - started).total_seconds()})
