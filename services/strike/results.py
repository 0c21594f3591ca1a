"""Strike results (打击战果) per unit and day: typed in, or imported from CSV/XLSX all-or-nothing with row-by-row checks."""

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, insert, select
from sqlmodel import Session

from db.models import FraudCase, Identifier, StrikeResult, StrikeResultLink, Unit
from services import audit
from services.access.actor import AccessDenied, Actor
from services.access.masking import mask_identifier
from services.access.permissions import Permission
from services.access.scope import require, scoped_unit, scoped_unit_ids
from services.case_import.cells import EPOCH_1900, Invalid, cell_text, fold, parse_time
from services.case_import.reader import RowError, _blank, _file_rows, _FileError  # the case import's file reading
from services.desk.identifier_store import stored_identifier
from services.desk.identifiers import normalise_bank_account, normalise_phone
from services.shared.errors import InvalidInput
from services.shared.timeutil import now_utc, shanghai_today
from services.strike.text import (
    STRIKE_ALL_ZERO,
    STRIKE_CASE_UNKNOWN,
    STRIKE_COUNT_INVALID,
    STRIKE_COUNT_TOO_LARGE,
    STRIKE_DATE_FUTURE,
    STRIKE_DATE_OLD,
    STRIKE_DETAINED_OVER_CAUGHT,
    STRIKE_FILE_ALIASES,
    STRIKE_FILE_DATE_FORMAT,
    STRIKE_FILE_HEADERS,
    STRIKE_FILE_MISSING_COLUMNS,
    STRIKE_FILE_NO_DATA,
    STRIKE_FILE_REQUIRED,
    STRIKE_FILE_REQUIRED_EMPTY,
    STRIKE_FILE_TOO_MANY,
    STRIKE_FILE_UNIT_UNKNOWN,
    STRIKE_FILE_WHOLE,
    STRIKE_IDENTIFIER_INVALID,
    STRIKE_IMPORT_AUDIT,
    STRIKE_IMPORT_OUT_OF_SCOPE,
    STRIKE_LINKS_TOO_MANY,
    STRIKE_NOTE_TOO_LONG,
)
from vocabulary import AuditAction

COUNT_KEYS = ("caught", "detained", "dens", "two_card_cases")
MAX_COUNT = 100_000  # a day's results above this are a typing error
MAX_NOTE = 500
MAX_ROWS = 20_000
HEADER_SCAN_ROWS = 10
MIN_DAY = date(2000, 1, 1)
_COUNT = re.compile(r"(\d{1,9})(?:\.0+)?\s*(?:人|个|起|名|处)?", re.ASCII)
_LINK_SEPARATORS = re.compile(r"[\n\r,，、;；]+")
MAX_LINKS = 50
LINK_KEYS = ("case_nos", "identifiers")


@dataclass(frozen=True)
class StrikeEntry:
    """One unit's results of one day, as typed (counts as text or numbers)."""

    unit_id: int | None
    result_date: date | None
    caught: object = 0
    detained: object = 0
    dens: object = 0
    two_card_cases: object = 0
    note: str = ""
    case_nos: str = ""  # linked case numbers, one a line or separated by commas
    identifiers: str = ""  # linked phone numbers and bank accounts, likewise


def split_links(value: object) -> list[str]:
    """The items of a links field or cell, in order, each once."""
    items = (item.strip() for item in _LINK_SEPARATORS.split(cell_text(value) if value is not None else ""))
    return list(dict.fromkeys(item for item in items if item))


def parse_case_nos(value: object) -> tuple[str, ...] | Invalid:
    """Case numbers as typed (checked against the database later)."""
    items = split_links(value)
    return Invalid(STRIKE_LINKS_TOO_MANY.format(limit=MAX_LINKS)) if len(items) > MAX_LINKS else tuple(items)


def parse_identifiers(value: object) -> tuple[tuple[str, str], ...] | Invalid:
    """Phones and bank accounts, normalised as the desk does: (kind, value) each; the first bad one refuses."""
    items = split_links(value)
    if len(items) > MAX_LINKS:
        return Invalid(STRIKE_LINKS_TOO_MANY.format(limit=MAX_LINKS))
    found: dict[tuple[str, str], None] = {}
    for item in items:
        if phone := normalise_phone(item):
            found[("phone", phone)] = None
        elif account := normalise_bank_account(item):
            found[("bank_account", account)] = None
        else:
            return Invalid(STRIKE_IDENTIFIER_INVALID.format(value=item[:30]))
    return tuple(found)


def case_ids(session: Session, actor: Actor, case_nos: set[str]) -> dict[str, int]:
    """Case number → id of the cases of the actor's scope among these numbers."""
    if not case_nos:
        return {}
    return dict(session.execute(select(FraudCase.case_no, FraudCase.id).where(
        FraudCase.case_no.in_(case_nos), FraudCase.unit_id.in_(scoped_unit_ids(actor)))).all())


def _unknown_cases(wanted: tuple[str, ...], known: dict[str, int]) -> str | None:
    missing = [no for no in wanted if no not in known]
    return STRIKE_CASE_UNKNOWN.format(value="、".join(missing)[:60]) if missing else None


def write_links(session: Session, result_ids: list[tuple[int, tuple[int, ...], tuple[tuple[str, str], ...]]]) -> int:
    """Link each result to its cases and identifiers (identifiers created when new, with no reports)."""
    now = now_utc()
    rows = []
    for result_id, cases, identifiers in result_ids:
        rows += [{"strike_result_id": result_id, "case_id": case_id, "identifier_id": None} for case_id in cases]
        rows += [{"strike_result_id": result_id, "case_id": None,
                  "identifier_id": stored_identifier(session, kind, value, now)} for kind, value in identifiers]
    if rows:
        session.execute(insert(StrikeResultLink), rows)
    return len(rows)


def parse_count(value: object) -> int | None | Invalid:
    """A count cell or field → int ≥ 0 (None when empty): '3', 3, 3.0, '3人'."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return Invalid(STRIKE_COUNT_INVALID.format(value=value))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        match = _COUNT.fullmatch(cell_text(value))
        if match is None:
            return Invalid(STRIKE_COUNT_INVALID.format(value=cell_text(value)[:20]))
        number = int(match[1])
    if number < 0:
        return Invalid(STRIKE_COUNT_INVALID.format(value=number))
    return number if number <= MAX_COUNT else Invalid(STRIKE_COUNT_TOO_LARGE.format(limit=MAX_COUNT))


def _check_values(values: dict, today: date) -> dict[str, str]:
    """Cross-field checks on parsed values (counts ints, date a date): key → reason."""
    errors: dict[str, str] = {}
    day = values.get("result_date")
    if isinstance(day, date):
        if day > today:
            errors["result_date"] = STRIKE_DATE_FUTURE
        elif day < MIN_DAY:
            errors["result_date"] = STRIKE_DATE_OLD
    counts = [values.get(key) for key in COUNT_KEYS]
    if all(isinstance(c, int) for c in counts):
        if values["detained"] > values["caught"]:
            errors["detained"] = STRIKE_DETAINED_OVER_CAUGHT
        elif not any(counts):
            errors["caught"] = STRIKE_ALL_ZERO
    if len(values.get("note") or "") > MAX_NOTE:
        errors["note"] = STRIKE_NOTE_TOO_LONG.format(limit=MAX_NOTE)
    return errors


def _clean_entry(entry: StrikeEntry, today: date) -> tuple[dict, dict[str, str]]:
    errors: dict[str, str] = {}
    values: dict[str, object] = {"unit_id": entry.unit_id, "result_date": entry.result_date,
                                 "note": entry.note.strip() or None}
    for key, parse in (("case_nos", parse_case_nos), ("identifiers", parse_identifiers)):
        parsed = parse(getattr(entry, key))
        if isinstance(parsed, Invalid):
            errors[key] = parsed.reason
        values[key] = () if isinstance(parsed, Invalid) else parsed
    for key in COUNT_KEYS:
        parsed = parse_count(getattr(entry, key))
        if isinstance(parsed, Invalid):
            errors[key] = parsed.reason
        values[key] = 0 if parsed is None or isinstance(parsed, Invalid) else parsed
    if entry.result_date is None:
        errors["result_date"] = STRIKE_FILE_DATE_FORMAT
    return values, _check_values(values, today) | errors


def existing_entry(session: Session, key: str) -> int | None:
    """The result already saved under a form's key, if any."""
    return session.execute(select(StrikeResult.id).where(StrikeResult.idempotency_key == key)).scalar()


def record_result(session: Session, actor: Actor, entry: StrikeEntry, key: str) -> int:
    """Save one unit's results of one day (unit in scope); audited. Returns the row id."""
    require(actor, Permission.EDIT_CASES)
    scoped_unit(session, actor, entry.unit_id)
    values, errors = _clean_entry(entry, shanghai_today())
    case_nos, identifiers = values.pop("case_nos"), values.pop("identifiers")
    known = case_ids(session, actor, set(case_nos))
    if (unknown := _unknown_cases(case_nos, known)) is not None:
        errors.setdefault("case_nos", unknown)
    if errors:
        raise InvalidInput(errors)
    row = StrikeResult(idempotency_key=key, created_by=actor.user_id, created_at=now_utc(), **values)
    session.add(row)
    session.flush()
    write_links(session, [(row.id, tuple(known[no] for no in case_nos), identifiers)])
    audit.record(session, AuditAction.CREATE, actor, object_type="strike_result", object_id=row.id,
                 detail=f"{values['result_date']} 抓获 {values['caught']}")
    return row.id


# ---------------------------------------------------------------------------------------------- import files

@dataclass(frozen=True)
class StrikeFileResult:
    """Good rows (values by key) and every problem; import only when errors is empty."""

    rows: list[tuple[int, dict]]
    errors: list[RowError]


def _header_map() -> dict[str, str]:
    names = {}
    for key, header in STRIKE_FILE_HEADERS.items():
        for name in (header, *STRIKE_FILE_ALIASES.get(key, ())):
            names[fold(name)] = key
    return names


HEADER_NAMES = _header_map()


def _header_key(cell: object) -> str | None:
    text = fold(cell_text(cell)).strip("*")
    return HEADER_NAMES.get(text) or HEADER_NAMES.get(re.sub(r"[（(].*?[）)]$", "", text))


def _layout(first: list[Sequence[object]]) -> tuple[int, dict[str, int]]:
    best, best_map = 0, {}
    for index, cells in enumerate(first):
        found: dict[str, int] = {}
        for position, cell in enumerate(cells):
            key = _header_key(cell)
            if key is not None and key not in found:
                found[key] = position
        if len(found) > len(best_map):
            best, best_map = index, found
    missing = [STRIKE_FILE_HEADERS[key] for key in STRIKE_FILE_REQUIRED if key not in best_map]
    if missing:
        raise _FileError(STRIKE_FILE_MISSING_COLUMNS.format(columns="、".join(missing)), best + 1,
                         "、".join(missing))
    return best + 1, best_map


def _parse_day(value: object, epoch: datetime) -> date | None | Invalid:
    moment = parse_time(value, epoch)
    if moment is None or isinstance(moment, Invalid):
        return moment if moment is None else Invalid(STRIKE_FILE_DATE_FORMAT)
    return shanghai_today(moment)


def _unit_of(lookup: dict[str, int], value: object) -> int | None | Invalid:
    text = cell_text(value)
    if not text:
        return None
    found = lookup.get(text, lookup.get(fold(text)))
    return found if found is not None else Invalid(STRIKE_FILE_UNIT_UNKNOWN.format(value=text[:20]))


def _check_row(cells: Sequence[object], row: int, layout: dict[str, int], lookup: dict[str, int], epoch: datetime,
               today: date, errors: list[RowError]) -> dict | None:
    values: dict[str, object] = {}
    bad: list[RowError] = []
    for key, position in layout.items():
        raw = cells[position] if position < len(cells) else None
        if key == "unit_id":
            value = _unit_of(lookup, raw)
        elif key == "result_date":
            value = _parse_day(raw, epoch)
        elif key == "note":
            value = cell_text(raw) or None
        elif key == "case_nos":
            value = parse_case_nos(raw)
        elif key == "identifiers":
            value = parse_identifiers(raw)
        else:
            value = parse_count(raw)
        if isinstance(value, Invalid):
            bad.append(RowError(row, STRIKE_FILE_HEADERS[key], value.reason))
        elif value is None and key in STRIKE_FILE_REQUIRED:
            bad.append(RowError(row, STRIKE_FILE_HEADERS[key], STRIKE_FILE_REQUIRED_EMPTY))
        else:
            values[key] = 0 if value is None and key in COUNT_KEYS else value
    for key in COUNT_KEYS:
        values.setdefault(key, 0)
    for key in LINK_KEYS:
        values.setdefault(key, ())
    if not bad:
        bad = [RowError(row, STRIKE_FILE_HEADERS[key], reason) for key, reason in _check_values(values, today).items()]
    errors.extend(bad)
    return None if bad else values


def read_strike_file(data: bytes, filename: str, lookup: dict[str, int], today: date) -> StrikeFileResult:
    """Read and check a strike-results CSV/XLSX: the good rows and every problem by row and column; never raises."""
    errors: list[RowError] = []
    good: list[tuple[int, dict]] = []
    try:
        source = _file_rows(data, filename)
        rows = iter(source.rows)
        first = [cells for _, cells in zip(range(HEADER_SCAN_ROWS), rows, strict=False)]
        header_row, layout = _layout(first)
        count = 0
        body = [*first[header_row:], *rows]
        for offset, cells in enumerate(body, start=1):
            if _blank(cells):
                continue
            count += 1
            if count > MAX_ROWS:
                raise _FileError(STRIKE_FILE_TOO_MANY.format(limit=MAX_ROWS))
            row = header_row + offset
            values = _check_row(cells, row, layout, lookup, getattr(source, "epoch", EPOCH_1900), today, errors)
            if values is not None:
                good.append((row, values))
    except _FileError as exc:
        return StrikeFileResult([], [RowError(exc.error.row, exc.error.column or STRIKE_FILE_WHOLE, exc.error.reason)])
    if count == 0:
        return StrikeFileResult([], [RowError(0, STRIKE_FILE_WHOLE, STRIKE_FILE_NO_DATA)])
    return StrikeFileResult(good, errors)


def resolve_cases(session: Session, actor: Actor, checked: StrikeFileResult) -> StrikeFileResult:
    """Each good row's linked case numbers → ids of the actor's cases; a row naming another is a problem of its own."""
    known = case_ids(session, actor, {no for _, values in checked.rows for no in values["case_nos"]})
    good: list[tuple[int, dict]] = []
    errors = list(checked.errors)
    for row, values in checked.rows:
        if (unknown := _unknown_cases(values["case_nos"], known)) is not None:
            errors.append(RowError(row, STRIKE_FILE_HEADERS["case_nos"], unknown))
        else:
            good.append((row, {**values, "case_nos": tuple(known[no] for no in values["case_nos"])}))
    return StrikeFileResult(good, sorted(errors, key=lambda e: e.row))


def unit_lookup(session: Session, actor: Actor) -> dict[str, int]:
    """Codes and names (as typed and folded) of the units in the actor's scope → ids."""
    lookup: dict[str, int] = {}
    for unit_id, code, name, full in session.execute(
            select(Unit.id, Unit.code, Unit.name, Unit.full_name).where(Unit.path.startswith(actor.unit_path))):
        for text in (code, name, full):
            if text:
                lookup.setdefault(text, unit_id)
                lookup.setdefault(fold(text), unit_id)
    return lookup


def links_of(session: Session, actor: Actor, result_ids: list[int]) -> dict[int, tuple[list[str], list[str]]]:
    """Each result's linked case numbers and identifiers (masked unless the actor may unmask)."""
    require(actor, Permission.VIEW_CASES)
    found: dict[int, tuple[list[str], list[str]]] = {}
    if not result_ids:
        return found
    unmask = actor.can(Permission.UNMASK)
    rows = session.execute(
        select(StrikeResultLink.strike_result_id, FraudCase.case_no, Identifier.kind, Identifier.value_norm)
        .outerjoin(FraudCase, FraudCase.id == StrikeResultLink.case_id)
        .outerjoin(Identifier, Identifier.id == StrikeResultLink.identifier_id)
        .where(StrikeResultLink.strike_result_id.in_(result_ids)).order_by(StrikeResultLink.id)).all()
    for result_id, case_no, kind, value in rows:
        cases, identifiers = found.setdefault(result_id, ([], []))
        if case_no:
            cases.append(case_no)
        if value:
            identifiers.append(value if unmask else mask_identifier(kind, value) or "")
    return found


def batch_of(data: bytes, form_key: str) -> str:
    """The import batch of one upload: the form's key and the file's digest (the same file twice is one batch)."""
    return f"{form_key[:24]}-{hashlib.sha256(data).hexdigest()[:32]}"


def imported_rows(session: Session, batch: str) -> int:
    """How many rows a batch already wrote."""
    return int(session.execute(select(func.count()).where(StrikeResult.import_batch == batch)).scalar() or 0)


def import_rows(session: Session, actor: Actor, rows: list[tuple[int, dict]], batch: str) -> int:
    """Write the checked rows of one file at once (keys batch:row), audited; refused if a unit left the scope."""
    require(actor, Permission.EDIT_CASES)
    allowed = set(session.execute(select(Unit.id).where(Unit.path.startswith(actor.unit_path))).scalars())
    if not {values["unit_id"] for _, values in rows} <= allowed:
        raise AccessDenied(STRIKE_IMPORT_OUT_OF_SCOPE)
    linked = {case_id for _, values in rows for case_id in values.get("case_nos", ())}
    if linked and len(set(session.execute(select(FraudCase.id).where(
            FraudCase.id.in_(linked), FraudCase.unit_id.in_(scoped_unit_ids(actor)))).scalars())) != len(linked):
        raise AccessDenied(STRIKE_IMPORT_OUT_OF_SCOPE)
    now = now_utc()
    session.execute(insert(StrikeResult), [
        {"idempotency_key": f"{batch}:{row}", "import_batch": batch, "created_by": actor.user_id, "created_at": now,
         "note": None, **{k: v for k, v in values.items() if k not in LINK_KEYS}} for row, values in rows
    ])
    ids = dict(session.execute(select(StrikeResult.idempotency_key, StrikeResult.id)
                               .where(StrikeResult.import_batch == batch)).all())
    write_links(session, [(ids[f"{batch}:{row}"], tuple(values.get("case_nos", ())), values.get("identifiers", ()))
                          for row, values in rows if values.get("case_nos") or values.get("identifiers")])
    audit.record(session, AuditAction.IMPORT, actor, object_type="strike_result", object_id=batch,
                 detail=STRIKE_IMPORT_AUDIT.format(count=len(rows)))
    return len(rows)
