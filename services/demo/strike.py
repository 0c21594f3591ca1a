"""Demo 打击挽损: solving days of the solved cases, strike results, the 止付/冻结/返还 ledger and 劝阻 (bulk, seeded)."""

from datetime import UTC, date, datetime, timedelta

import numpy as np
from sqlalchemy import Connection, func, select, text

from db import models, strike_tally
from db.bulk import bulk_insert, next_id, reset_id_sequence, timestamp_texts
from services.demo import generator as gen
from services.shared.timeutil import SHANGHAI
from vocabulary import CallOutcome, CaseStatus, DissuasionOutcome, IdentifierKind, RecoveryStatus, SolvedHow, UnitKind

# Deleted before cases and calls when a demo is replaced (they point at both; the month tally is recounted).
TABLES = (models.RecoveryEvent, models.RecoveryRequest, models.Dissuasion, models.StrikeResult, models.StrikeMonthTally)
SEED_OFFSET = 29  # its own generator: the other demo records stay exactly as they were
LEDGER_SHARE = 0.5  # of the cases with a loss and a named bank account
DISSUADED_CALL_SHARE = 0.6  # of the desk's 已劝阻 calls that came from a warning (预警)
UNLINKED_WARNINGS = 0.4  # warnings not ending in a call, per linked one: victims who had paid or were not reached
MINUTE_US = 60_000_000
DAY_US = 86_400_000_000
BANKS = gen.BANK_BRANCH_BANKS
DEMO_NOTE = "演示数据"


def _us(stamps: np.ndarray) -> np.ndarray:
    return stamps.astype("datetime64[us]").astype(np.int64)


def _stamps(values: list[datetime]) -> np.ndarray:
    return np.array([v.astimezone(UTC).replace(tzinfo=None) for v in values], dtype="datetime64[us]")


def _days(stamps_us: np.ndarray) -> np.ndarray:
    """Beijing days of UTC instants (µs), as datetime64[D]."""
    return ((stamps_us + 8 * 3_600_000_000) // DAY_US).astype("datetime64[D]")


def _minutes(rng, median: float, sigma: float, low: float, high: float, n: int) -> np.ndarray:
    return (np.clip(rng.lognormal(np.log(median), sigma, n), low, high) * MINUTE_US).astype(np.int64)


# ---------------------------------------------------------------------------------------------------- 破案

def _solve_sql(dialect: str) -> str:
    """One UPDATE: every demo case already marked solved gets a day after its report day (not after the anchor)."""
    spread = "((CAST(id AS BIGINT) * 7919) % 31) * ((CAST(id AS BIGINT) * 104723) % 4 + 1)"
    how = (f"CASE WHEN (CAST(id AS BIGINT) * 31) % 100 < 72 THEN '{SolvedHow.LOCAL.value}' "
           f"WHEN (CAST(id AS BIGINT) * 31) % 100 < 94 THEN '{SolvedHow.ASSISTED.value}' "
           f"ELSE '{SolvedHow.MINISTRY.value}' END")
    if dialect == "postgresql":
        day = "(reported_at AT TIME ZONE 'Asia/Shanghai')::date"
        age = f"(CAST(:anchor AS date) - {day})"
        offset = f"CASE WHEN {age} <= 0 THEN 0 ELSE 1 + ({spread}) % {age} END"
        solved = f"{day} + CAST({offset} AS integer)"
    else:
        day = "date(reported_at, '+8 hours')"
        age = f"CAST(julianday(:anchor) - julianday({day}) AS INTEGER)"
        offset = f"CASE WHEN {age} <= 0 THEN 0 ELSE 1 + ({spread}) % {age} END"
        solved = f"date(reported_at, '+8 hours', '+' || ({offset}) || ' days')"
    return (f"UPDATE fraud_case SET solved_on = {solved}, solved_how = {how} "
            f"WHERE status = '{CaseStatus.SOLVED.value}' AND solved_on IS NULL")


def _solve_cases(connection: Connection, anchor_day: date) -> None:
    connection.execute(text(_solve_sql(connection.dialect.name)), {"anchor": anchor_day.isoformat()})


# ---------------------------------------------------------------------------------------------------- 打击战果

def _report_days(first: date, last: date) -> list[date]:
    """The 10th and 25th of each month from first to last (the reporting days)."""
    days, month = [], date(first.year, first.month, 1)
    while month <= last:
        days += [d for d in (month.replace(day=10), month.replace(day=25)) if first <= d <= last]
        month = (month + timedelta(days=32)).replace(day=1)
    return days


def _write_results(connection: Connection, seed: int, start: date, anchor: datetime, rng) -> int:
    """Per station and reporting day: caught in proportion to the cases it solved over the half month before."""
    dialect = connection.dialect.name
    half = "CASE WHEN CAST(strftime('%d', solved_on) AS INTEGER) <= 10 THEN 0 ELSE 1 END" if dialect == "sqlite" \
        else "CASE WHEN EXTRACT(DAY FROM solved_on) <= 10 THEN 0 ELSE 1 END"
    month = "strftime('%Y-%m', solved_on)" if dialect == "sqlite" else "to_char(solved_on, 'YYYY-MM')"
    solved = {(unit, m, int(h)): n for unit, m, h, n in connection.execute(text(
        f"SELECT unit_id, {month} AS m, {half} AS h, COUNT(*) FROM fraud_case WHERE solved_on IS NOT NULL "
        "GROUP BY unit_id, m, h")).all()}
    stations = connection.execute(select(models.Unit.id).where(models.Unit.kind == UnitKind.STATION.value)
                                  .order_by(models.Unit.id)).scalars().all()
    days = _report_days(start, anchor.astimezone(SHANGHAI).date())
    keys = [(u, d) for u in stations for d in days]
    base = np.array([solved.get((u, f"{d:%Y-%m}", 0 if d.day == 10 else 1), 0) for u, d in keys], dtype=float)
    caught = rng.poisson(base * 0.55 + 0.3)
    detained = rng.binomial(caught, 0.72)
    dens = rng.poisson(caught / 9)
    two_card = rng.poisson(base * 0.12 + 0.1)
    created = timestamp_texts(np.array([np.datetime64(anchor.astimezone(UTC).replace(tzinfo=None), "us")]), dialect)[0]
    rows = zip([f"demo-{seed}-strike-{i}" for i in range(len(keys))], [u for u, _ in keys],
               [d.isoformat() for _, d in keys], caught.tolist(), detained.tolist(), dens.tolist(), two_card.tolist(),
               [DEMO_NOTE] * len(keys), [f"demo-{seed}"] * len(keys), [created] * len(keys), strict=True)
    columns = ("idempotency_key", "unit_id", "result_date", "caught", "detained", "dens", "two_card_cases", "note",
               "import_batch", "created_at")
    return bulk_insert(connection, models.StrikeResult.__table__, columns, rows)


# ---------------------------------------------------------------------------------------------------- 止付/冻结/返还

def _ledger_sources(connection: Connection) -> list[tuple]:
    """Cases with a loss and a bank account: (case, unit, reported, type, loss, account, bank, desk call, call time)."""
    first = (select(models.IdentifierLink.case_id, func.min(models.IdentifierLink.identifier_id).label("iid"))
             .join(models.Identifier, models.Identifier.id == models.IdentifierLink.identifier_id)
             .where(models.IdentifierLink.case_id.is_not(None),
                    models.Identifier.kind == IdentifierKind.BANK_ACCOUNT.value)
             .group_by(models.IdentifierLink.case_id).subquery())
    c, i, k = models.FraudCase, models.Identifier, models.DeskCall
    return connection.execute(
        select(c.id, c.unit_id, c.reported_at, c.fraud_type, c.loss_fen, i.id, i.bank_name, k.id, k.received_at)
        .join(first, first.c.case_id == c.id).join(i, i.id == first.c.iid).outerjoin(k, k.case_id == c.id)
        .where(c.loss_fen > 0).order_by(c.id)).all()


def _officers(connection: Connection) -> tuple[int | None, int | None]:
    users = dict(connection.execute(select(models.AppUser.username, models.AppUser.id)
                                    .where(models.AppUser.username.in_(("desk", "command")))).all())
    return users.get("desk"), users.get("command")


def _ledger_plan(sources: list[tuple], anchor_us: int, rng) -> dict[str, np.ndarray]:
    """Times and amounts of each request; steps that would fall after the anchor are not taken yet."""
    n = len(sources)
    cols = list(zip(*sources, strict=True)) if n else [[] for _ in range(9)]
    via_desk = np.array([x is not None for x in cols[7]], dtype=bool)
    reported = _us(_stamps([call or case for case, call in zip(cols[2], cols[8], strict=True)]))
    requested = reported + np.where(via_desk, _minutes(rng, 12, 0.8, 2, 240, n), _minutes(rng, 45, 0.9, 5, 720, n))
    stop_after = _minutes(rng, 6, 0.8, 1, 240, n)
    freeze_after = _minutes(rng, 360, 1.0, 30, 7 * 24 * 60, n)
    return_after = rng.integers(20, 120, n) * DAY_US
    loss = np.array(cols[4], dtype=np.int64)
    stopped_fen = np.maximum(np.floor(loss * rng.beta(1.5, 2.5, n) / 100) * 100, np.minimum(loss, 100)).astype(np.int64)
    frozen_fen = np.floor(stopped_fen * rng.uniform(0.8, 1.0, n) / 100).astype(np.int64) * 100
    returned_fen = np.floor(frozen_fen * rng.beta(4, 2, n) / 100).astype(np.int64) * 100
    draw = rng.random((3, n))
    stopped_at = np.where(draw[0] < 0.8, requested + stop_after, -1)
    frozen_at = np.where((stopped_at > 0) & (draw[1] < 0.75) & (frozen_fen > 0), stopped_at + freeze_after, -1)
    returned_at = np.where((frozen_at > 0) & (draw[2] < 0.7) & (returned_fen > 0), frozen_at + return_after, -1)
    stopped_at[stopped_at > anchor_us] = -1
    frozen_at[(frozen_at > anchor_us) | (stopped_at < 0)] = -1
    returned_at[(returned_at > anchor_us) | (frozen_at < 0)] = -1
    failed = (draw[0] >= 0.8) & (requested + stop_after * 3 <= anchor_us)
    return {"reported": reported, "requested": requested, "stopped_at": stopped_at, "frozen_at": frozen_at,
            "returned_at": returned_at, "failed": failed, "failed_at": requested + stop_after * 3, "loss": loss,
            "stopped_fen": np.where(stopped_at > 0, stopped_fen, 0), "frozen_fen": np.where(frozen_at > 0, frozen_fen, 0),
            "returned_fen": np.where(returned_at > 0, returned_fen, 0), "via_desk": via_desk}


def _status(plan: dict[str, np.ndarray]) -> np.ndarray:
    return np.select(
        [plan["returned_at"] > 0, plan["frozen_at"] > 0, plan["stopped_at"] > 0, plan["failed"]],
        [RecoveryStatus.RETURNED.value, RecoveryStatus.FROZEN.value, RecoveryStatus.STOPPED.value,
         RecoveryStatus.FAILED.value], RecoveryStatus.REQUESTED.value)


def _optional_texts(values_us: np.ndarray, dialect: str) -> list[str | None]:
    texts = timestamp_texts(np.maximum(values_us, 0).astype("datetime64[us]"), dialect)
    return [t if v > 0 else None for t, v in zip(texts, values_us.tolist(), strict=True)]


def _write_ledger(connection: Connection, seed: int, anchor_us: int, rng) -> int:
    sources = _ledger_sources(connection)
    keep = rng.random(len(sources)) < LEDGER_SHARE
    sources = [s for s, k in zip(sources, keep.tolist(), strict=True) if k]
    if not sources:
        return 0
    dialect, n = connection.dialect.name, len(sources)
    plan = _ledger_plan(sources, anchor_us, rng)
    plan_rows = [plan[name] for name in ("requested", "stopped_at", "frozen_at", "returned_at")]
    keep_rows = plan_rows[0] <= anchor_us
    desk_officer, command_officer = _officers(connection)
    officer = np.where(plan["via_desk"], desk_officer or 0, command_officer or 0)
    first = next_id(connection, models.RecoveryRequest.__table__)
    ids = np.arange(first, first + n)
    requested_t = timestamp_texts(plan["requested"].astype("datetime64[us]"), dialect)
    returned_on = [str(d) if v > 0 else None
                   for d, v in zip(_days(plan["returned_at"]).tolist(), plan["returned_at"].tolist(), strict=True)]
    status = _status(plan)
    last_step = np.max(np.stack([plan["requested"], *plan_rows[1:], np.where(plan["failed"], plan["failed_at"], 0)]),
                       axis=0)
    cols = list(zip(*sources, strict=True))
    rows = zip(
        ids.tolist(), [f"demo-{seed}-rr-{i}" for i in range(n)], list(cols[0]),
        [c if c is not None else None for c in cols[7]], list(cols[1]), list(cols[5]), list(cols[6]), list(cols[3]),
        timestamp_texts(plan["reported"].astype("datetime64[us]"), dialect), requested_t,
        _optional_texts(plan["stopped_at"], dialect), _optional_texts(plan["frozen_at"], dialect), returned_on,
        plan["loss"].tolist(), plan["stopped_fen"].tolist(), plan["frozen_fen"].tolist(),
        plan["returned_fen"].tolist(), status.tolist(), [o or None for o in officer.tolist()],
        [o or None for o in officer.tolist()], requested_t,
        timestamp_texts(np.minimum(last_step, anchor_us).astype("datetime64[us]"), dialect), strict=True)
    rows = [r for r, k in zip(rows, keep_rows.tolist(), strict=True) if k]
    columns = ("id", "idempotency_key", "case_id", "desk_call_id", "unit_id", "identifier_id", "bank_name",
               "fraud_type", "reported_at", "requested_at", "stopped_at", "frozen_at", "returned_on", "requested_fen",
               "stopped_fen", "frozen_fen", "returned_fen", "status", "officer_id", "updated_by", "created_at",
               "updated_at")
    count = bulk_insert(connection, models.RecoveryRequest.__table__, columns, rows)
    reset_id_sequence(connection, models.RecoveryRequest.__table__)
    _write_events(connection, seed, ids[keep_rows], {k: v[keep_rows] for k, v in plan.items()}, officer[keep_rows])
    return count


def _write_events(connection: Connection, seed: int, ids: np.ndarray, plan: dict[str, np.ndarray],
                  officer: np.ndarray) -> None:
    """Each step a request went through, as the ledger's history keeps it."""
    dialect = connection.dialect.name
    steps = ((RecoveryStatus.STOPPED, plan["stopped_at"], plan["stopped_fen"]),
             (RecoveryStatus.FROZEN, plan["frozen_at"], plan["frozen_fen"]),
             (RecoveryStatus.RETURNED, plan["returned_at"], plan["returned_fen"]),
             (RecoveryStatus.FAILED, np.where(plan["failed"], plan["failed_at"], -1), np.zeros(len(ids), np.int64)))
    request, step, at, amount, user = [], [], [], [], []
    for kind, moments, fen in steps:
        taken = moments > 0
        request.append(ids[taken])
        step += [kind.value] * int(taken.sum())
        at.append(moments[taken])
        amount.append(fen[taken])
        user.append(officer[taken])
    request_ids, moments = np.concatenate(request), np.concatenate(at)
    texts = timestamp_texts(moments.astype("datetime64[us]"), dialect)
    users = np.concatenate(user).tolist()
    names = {o: n for n, o in connection.execute(select(models.AppUser.username, models.AppUser.id)).all()}
    rows = zip([f"demo-{seed}-re-{i}" for i in range(len(step))], request_ids.tolist(), step, texts,
               np.concatenate(amount).tolist(), [u or None for u in users], [names.get(u) for u in users], texts,
               strict=True)
    bulk_insert(connection, models.RecoveryEvent.__table__,
                ("idempotency_key", "request_id", "step", "at", "amount_fen", "user_id", "username", "created_at"), rows)


# ---------------------------------------------------------------------------------------------------- 劝阻

def _outcome_times(rng, attempted: np.ndarray, reached: np.ndarray, anchor_us: int) -> np.ndarray:
    """When the outcome was known: minutes after the victim was reached, or after trying in vain (-1: not yet).

    Its own random stream, so adding it changed none of the demo's other figures.
    """
    n = len(attempted)
    after_reach = reached + _minutes(rng, 12, 0.8, 1, 120, n)
    after_trying = attempted + _minutes(rng, 45, 0.6, 10, 240, n)
    known = np.where(reached > 0, after_reach, np.where(attempted > 0, after_trying, -1))
    return np.where(known > anchor_us, -1, known)


def _write_dissuasions(connection: Connection, seed: int, start: datetime, anchor: datetime, rng) -> int:
    """Warnings that ended in a 已劝阻 call (reached, stopped), and others where the victim had paid or was not reached."""
    calls = connection.execute(
        select(models.DeskCall.id, models.DeskCall.received_at,
               func.coalesce(models.DeskCall.jurisdiction_unit_id, models.DeskCall.desk_unit_id))
        .where(models.DeskCall.outcome == CallOutcome.DISSUADED.value).order_by(models.DeskCall.id)).all()
    calls = [c for c, keep in zip(calls, (rng.random(len(calls)) < DISSUADED_CALL_SHARE).tolist(), strict=True) if keep]
    stations = connection.execute(select(models.Unit.id).where(models.Unit.kind == UnitKind.STATION.value)).scalars().all()
    n_linked = len(calls)
    n_other = round(n_linked * UNLINKED_WARNINGS)
    n = n_linked + n_other
    if n == 0 or not stations:
        return 0
    anchor_us = int(np.datetime64(anchor.astimezone(UTC).replace(tzinfo=None), "us").astype(np.int64))
    received = _us(_stamps([c[1] for c in calls])) if calls else np.zeros(0, np.int64)
    other = _us(gen.sample_times(n_other, start, anchor, rng))
    attempt_after = _minutes(rng, 4, 0.8, 1, 90, n)
    reach_after = _minutes(rng, 3, 0.9, 1, 120, n)
    linked_warning = received - attempt_after[:n_linked] - reach_after[:n_linked]
    warning = np.concatenate([linked_warning, other])
    attempted = warning + attempt_after
    reached = attempted + reach_after
    outcome = np.concatenate([np.full(n_linked, DissuasionOutcome.STOPPED.value, dtype=object),
                              np.where(rng.random(n_other) < 0.4, DissuasionOutcome.PAID.value,
                                       DissuasionOutcome.UNREACHABLE.value)])
    reached = np.where((outcome == DissuasionOutcome.UNREACHABLE.value) | (reached > anchor_us), -1, reached)
    attempted = np.where(attempted > anchor_us, -1, attempted)
    outcome = np.where((reached < 0) & (outcome != DissuasionOutcome.UNREACHABLE.value),
                       DissuasionOutcome.UNREACHABLE.value, outcome)
    units = [c[2] for c in calls] + np.array(stations)[rng.integers(0, len(stations), n_other)].tolist()
    outcome_at = _outcome_times(np.random.default_rng(seed + 15), attempted, reached, anchor_us)
    dialect = connection.dialect.name
    warning_t = timestamp_texts(warning.astype("datetime64[us]"), dialect)
    rows = zip([f"demo-{seed}-ds-{i}" for i in range(n)], units, [c[0] for c in calls] + [None] * n_other, warning_t,
               _optional_texts(attempted, dialect), _optional_texts(reached, dialect), outcome.tolist(),
               _optional_texts(outcome_at, dialect), [DEMO_NOTE] * n, warning_t, strict=True)
    columns = ("idempotency_key", "unit_id", "call_id", "warning_at", "attempted_at", "reached_at", "outcome",
               "outcome_at", "note", "created_at")
    return bulk_insert(connection, models.Dissuasion.__table__, columns, rows)


def _describe_interceptions(connection: Connection) -> None:
    """The demo's counter interceptions get their bank (from the branch name) and an outcome that still counts."""
    bank = "CASE " + " ".join(f"WHEN branch_name LIKE '{b}%' THEN '{b}'" for b in BANKS) + " END"
    connection.execute(text(
        f"UPDATE interception SET bank_name = {bank}, officer_name = '银行柜员', "
        "outcome = CASE WHEN id % 9 = 0 THEN 'partial' ELSE 'stopped' END WHERE outcome IS NULL"))


def write_strike(connection: Connection, spec: gen.DemoSpec) -> dict[str, int]:
    """Everything 打击挽损 shows, from the demo's own cases, calls and accounts; deterministic by seed."""
    rng = np.random.default_rng(spec.seed + SEED_OFFSET)
    start = gen.history_start(spec.anchor)
    anchor_day = spec.anchor.astimezone(SHANGHAI).date()
    anchor_us = int(np.datetime64(spec.anchor.astimezone(UTC).replace(tzinfo=None), "us").astype(np.int64))
    _solve_cases(connection, anchor_day)
    _describe_interceptions(connection)
    results = _write_results(connection, spec.seed, start.astimezone(SHANGHAI).date(), spec.anchor, rng)
    ledger = _write_ledger(connection, spec.seed, anchor_us, rng)
    dissuasions = _write_dissuasions(connection, spec.seed, start, spec.anchor, rng)
    # Bulk-inserted rows passed no mapper events: their kept seconds and the month tally (with the demo's
    # interceptions, described above) counted once here, by the functions every write uses.
    strike_tally.fill_kept(connection)
    strike_tally.rebuild(connection)
    return {"strike_results": results, "ledger": ledger, "dissuasions": dissuasions}
