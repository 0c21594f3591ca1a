"""Import jurisdictions (辖区) from GeoJSON: check every feature, plan, then create or update units all at once."""

import csv
import io
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import shapely
import shapely.errors
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity
from sqlalchemy import select
from sqlalchemy.orm import defer
from sqlmodel import Session

from db.models import Unit
from services import audit
from services.access.actor import AccessDenied, Actor
from services.access.permissions import Permission
from services.access.scope import in_scope, require
from services.access.text import OUT_OF_SCOPE, UNIT_PARENT_MISSING
from services.audit.text import CLI_USERNAME
from services.demo.units import district_bureau_name, geometry_json, station_short_name
from services.geo.gcj02 import geometry_gcj02_to_wgs84
from services.shared.errors import InvalidInput
from services.units.text import (
    CROSSWALK_BAD_CODE,
    CROSSWALK_COLUMNS,
    CROSSWALK_CONFLICT,
    CROSSWALK_HEADER,
    CROSSWALK_NOT_TEXT,
    UNIT_IMPORT_AMBIGUOUS,
    UNIT_IMPORT_AUDIT_DETAIL,
    UNIT_IMPORT_BAD_CODE,
    UNIT_IMPORT_BAD_COORDINATES,
    UNIT_IMPORT_BAD_POPULATION,
    UNIT_IMPORT_CODE_TAKEN,
    UNIT_IMPORT_COLUMNS,
    UNIT_IMPORT_DUPLICATE,
    UNIT_IMPORT_EMPTY_GEOMETRY,
    UNIT_IMPORT_GEOMETRY_REASONS,
    UNIT_IMPORT_HAS_PROBLEMS,
    UNIT_IMPORT_INVALID_GEOMETRY,
    UNIT_IMPORT_MISSING_PROPERTY,
    UNIT_IMPORT_NAME_TOO_LONG,
    UNIT_IMPORT_NO_FEATURES,
    UNIT_IMPORT_NOT_COLLECTION,
    UNIT_IMPORT_NOT_FEATURE,
    UNIT_IMPORT_NOT_JSON,
    UNIT_IMPORT_NOT_POLYGON,
    UNIT_IMPORT_NOT_UTF8,
    UNIT_IMPORT_OUTSIDE_CHINA,
    UNIT_IMPORT_PARENT_CYCLE,
    UNIT_IMPORT_POPULATION_SOURCE,
    UNIT_IMPORT_SUMMARY,
    UNIT_IMPORT_TOO_DEEP,
    UNIT_IMPORT_TOP_LEVEL,
    UNIT_IMPORT_WHOLE_FILE,
)
from services.units.tree import add_unit
from vocabulary import AuditAction, Datum, ImportAction, UnitKind

CLI_USERNAME = CLI_USERNAME
MAX_CODE_DIGITS = 12
MAX_LEVEL = 4
NAME_LIMIT = 64
# Rough lon/lat box around China: anything outside is usually swapped axes or a projected CRS.
CHINA_BOUNDS = (73.0, 3.0, 136.0, 54.0)
POLYGONAL = ("Polygon", "MultiPolygon")
KIND_BY_LEVEL = {1: UnitKind.CITY_BUREAU, 2: UnitKind.DISTRICT_BUREAU, 3: UnitKind.STATION, 4: UnitKind.STATION}
CROSSWALK_HEADERS = (("旧代码", "新代码"), ("old", "new"))


@dataclass(frozen=True, kw_only=True)
class UnitImportOptions:
    """How to read a boundary file: which properties hold what, its datum, where the units go."""

    datum: Datum
    name_property: str = "name"
    code_property: str = "adcode"
    parent_code: str | None = None  # unit code to attach top-level features under; None: they become top units
    crosswalk: Mapping[str, str] = field(default_factory=dict)  # old → new division codes
    kind: UnitKind | None = None  # kind of new units; None: by level (市局, 分局/县局, 派出所)
    parent_code_property: str | None = None  # e.g. "parent_adcode": a city outline + its districts build a tree
    population_property: str | None = None
    police_names: bool = True  # 思明区 → 思明区公安分局; False keeps the file's names
    source_name: str = ""  # file name, for the audit trail


@dataclass(frozen=True)
class ImportProblem:
    """Why a feature (or the whole file, index None) cannot be imported."""

    index: int | None  # position in the file's "features" list, from 0
    code: str | None
    name: str | None
    reason: str


@dataclass(frozen=True)
class ParsedFeature:
    """A feature that passed the file checks, geometry already in WGS84 and in the stored format."""

    index: int
    code: str
    source_code: str
    name: str | None
    parent_code: str | None
    boundary_geojson: str
    centroid: tuple[float, float]
    population: int | None


@dataclass(frozen=True)
class PlannedUnit:
    """What importing one feature will do."""

    feature: ParsedFeature
    action: ImportAction
    name: str
    level: int
    unit_id: int | None  # the matched unit, None when created
    parent_unit_id: int | None  # an existing parent unit
    parent_feature_code: str | None  # a parent created from another feature of the file
    parent_name: str


@dataclass(frozen=True)
class UnitImportPlan:
    """Every feature's planned action and every problem found; applicable only without problems."""

    options: UnitImportOptions
    features: tuple[ParsedFeature, ...]
    file_codes: frozenset[str]
    units: tuple[PlannedUnit, ...]
    problems: tuple[ImportProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: ImportAction) -> int:
        return sum(1 for unit in self.units if unit.action is action)

    def rows(self) -> list[dict[str, object]]:
        """The plan as table rows with Chinese column labels."""
        columns = UNIT_IMPORT_COLUMNS
        return [
            {columns["number"]: u.feature.index + 1, columns["code"]: u.feature.code,
             columns["source_code"]: u.feature.source_code, columns["name"]: u.name,
             columns["parent"]: u.parent_name, columns["action"]: ImportAction(u.action).label}
            for u in self.units
        ]

    def problem_rows(self) -> list[dict[str, object]]:
        """The problems as table rows with Chinese column labels."""
        columns = UNIT_IMPORT_COLUMNS
        return [
            {columns["number"]: UNIT_IMPORT_WHOLE_FILE if p.index is None else p.index + 1,
             columns["code"]: p.code or "", columns["name"]: p.name or "", columns["reason"]: p.reason}
            for p in self.problems
        ]


@dataclass(frozen=True)
class UnitImportResult:
    """What an applied import did; unit_ids maps each division code to its unit."""

    created: int
    updated: int
    unchanged: int
    unit_ids: dict[str, int]

    def summary(self) -> str:
        return UNIT_IMPORT_SUMMARY.format(created=self.created, updated=self.updated, unchanged=self.unchanged)


def police_unit_name(division_name: str) -> str:
    """思明区 → 思明区公安分局; 厦门市, 漳浦县 → …公安局; 武安镇 → 武安派出所; other names as they are."""
    if division_name.endswith(("区", "市", "县", "旗")):
        return district_bureau_name(division_name)
    return station_short_name(division_name) or division_name


def _is_code(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) <= MAX_CODE_DIGITS


# --- the crosswalk -------------------------------------------------------------------------------------------


def read_crosswalk(text: str) -> dict[str, str]:
    """Old → new division codes from a two-column CSV with a 旧代码,新代码 (or old,new) header."""
    try:
        rows = [row for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if any(cell.strip() for cell in row)]
    except csv.Error as error:
        raise InvalidInput({"crosswalk": CROSSWALK_NOT_TEXT.format(error=error)}) from error
    if not rows or tuple(cell.strip().lower() for cell in rows[0]) not in CROSSWALK_HEADERS:
        raise InvalidInput({"crosswalk": CROSSWALK_HEADER})
    mapping: dict[str, str] = {}
    for line, row in enumerate(rows[1:], start=2):
        _add_crosswalk_row(mapping, line, [cell.strip() for cell in row])
    return mapping


def _add_crosswalk_row(mapping: dict[str, str], line: int, cells: list[str]) -> None:
    """Add one crosswalk row to the mapping, refusing malformed or contradictory rows."""
    if len(cells) != 2:
        raise InvalidInput({"crosswalk": CROSSWALK_COLUMNS.format(line=line)})
    old, new = cells
    for value in (old, new):
        if not _is_code(value):
            raise InvalidInput({"crosswalk": CROSSWALK_BAD_CODE.format(line=line, value=value)})
    if mapping.get(old, new) != new:
        raise InvalidInput({"crosswalk": CROSSWALK_CONFLICT.format(line=line, old=old, new=mapping[old], other=new)})
    mapping[old] = new


# --- reading the file ----------------------------------------------------------------------------------------


def _load_features(data: bytes | str) -> tuple[list[Any], list[ImportProblem]]:
    def whole_file(reason: str) -> tuple[list[Any], list[ImportProblem]]:
        return [], [ImportProblem(None, None, None, reason)]

    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError:
        return whole_file(UNIT_IMPORT_NOT_UTF8)
    try:
        collection = json.loads(text)
    except json.JSONDecodeError as error:
        return whole_file(UNIT_IMPORT_NOT_JSON.format(error=error))
    if isinstance(collection, dict) and collection.get("type") == "Feature":
        collection = {"type": "FeatureCollection", "features": [collection]}
    if not isinstance(collection, dict) or not isinstance(collection.get("features"), list):
        return whole_file(UNIT_IMPORT_NOT_COLLECTION)
    if not collection["features"]:
        return whole_file(UNIT_IMPORT_NO_FEATURES)
    return collection["features"], []


def _text(value: Any) -> str | None:
    """A property value as trimmed text; numbers count (adcode 350200), empty and other types do not."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
    return None


def _code(properties: dict, prop: str, required: bool) -> tuple[str | None, str | None]:
    """(source code, problem) of a code property; a missing optional one is (None, None)."""
    raw = properties.get(prop)
    value = _text(raw)
    if value is None:
        missing = raw is None or raw == ""
        if missing and not required:
            return None, None
        return None, UNIT_IMPORT_MISSING_PROPERTY.format(property=prop) if missing else \
            UNIT_IMPORT_BAD_CODE.format(property=prop, value=raw)
    if not _is_code(value):
        return None, UNIT_IMPORT_BAD_CODE.format(property=prop, value=value)
    return value, None


def _population(properties: dict, prop: str | None) -> tuple[int | None, str | None]:
    if prop is None or properties.get(prop) in (None, ""):
        return None, None
    value = properties[prop]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _text(value)
    if text is None or not text.isascii() or not text.isdigit():
        return None, UNIT_IMPORT_BAD_POPULATION.format(value=value)
    return int(text), None


def _validity_reason(geometry: BaseGeometry) -> str:
    explanation = explain_validity(geometry)
    for prefix, label in UNIT_IMPORT_GEOMETRY_REASONS.items():
        if explanation.startswith(prefix):
            return f"{label}（{explanation}）"
    return explanation


def _geometry_problems(raw: Any) -> tuple[BaseGeometry | None, list[str]]:
    """The raw geometry as shapely, and what is wrong with it (empty list: fit to import)."""
    kind = raw.get("type") if isinstance(raw, dict) else None
    if kind not in POLYGONAL:
        return None, [UNIT_IMPORT_NOT_POLYGON.format(kind=kind or "空")]
    try:
        geometry = shape(raw)
    except (ValueError, TypeError, IndexError, KeyError, AttributeError, shapely.errors.ShapelyError) as error:
        return None, [UNIT_IMPORT_BAD_COORDINATES.format(error=error)]
    if geometry.is_empty:
        return None, [UNIT_IMPORT_EMPTY_GEOMETRY]
    problems = []
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    china = CHINA_BOUNDS
    if not (min_lon >= china[0] and min_lat >= china[1] and max_lon <= china[2] and max_lat <= china[3]):
        bounds = f"{min_lon:.4f}, {min_lat:.4f} – {max_lon:.4f}, {max_lat:.4f}"
        problems.append(UNIT_IMPORT_OUTSIDE_CHINA.format(bounds=bounds))
    if not geometry.is_valid:
        problems.append(UNIT_IMPORT_INVALID_GEOMETRY.format(reason=_validity_reason(geometry)))
    return geometry, problems


def _wgs84(raw: dict, datum: Datum) -> BaseGeometry:
    return shape(geometry_gcj02_to_wgs84(raw)) if datum is Datum.GCJ02 else shape(raw)


def _codes(properties: dict, options: UnitImportOptions) -> tuple[str | None, str | None, str | None, list[str]]:
    """(code as in the file, code after the crosswalk, parent code after the crosswalk, problems)."""
    source, problem = _code(properties, options.code_property, required=True)
    reasons = [problem] if problem else []
    parent = None
    if options.parent_code_property:
        parent_source, parent_problem = _code(properties, options.parent_code_property, required=False)
        parent = options.crosswalk.get(parent_source, parent_source) if parent_source else None
        reasons += [parent_problem] if parent_problem else []
    return source, options.crosswalk.get(source, source) if source else None, parent, reasons


def _name(properties: dict, options: UnitImportOptions) -> tuple[str | None, list[str]]:
    name = _text(properties.get(options.name_property))
    name = police_unit_name(name) if name and options.police_names else name
    too_long = name is not None and len(name) > NAME_LIMIT
    return name, [UNIT_IMPORT_NAME_TOO_LONG.format(name=name, limit=NAME_LIMIT)] if too_long else []


FeatureOutcome = tuple[ParsedFeature | None, str | None, list[ImportProblem]]


def _parse_feature(index: int, raw: Any, options: UnitImportOptions) -> FeatureOutcome:
    """(parsed feature or None, its code after the crosswalk, problems) for one entry of "features"."""
    if not isinstance(raw, dict) or raw.get("type") != "Feature":
        return None, None, [ImportProblem(index, None, None, UNIT_IMPORT_NOT_FEATURE)]
    properties = raw.get("properties") if isinstance(raw.get("properties"), dict) else {}
    source, code, parent, reasons = _codes(properties, options)
    name, name_problems = _name(properties, options)
    population, population_problem = _population(properties, options.population_property)
    _, geometry_problems = _geometry_problems(raw.get("geometry"))
    reasons += name_problems + ([population_problem] if population_problem else []) + geometry_problems
    if reasons:
        return None, code, [ImportProblem(index, code, name, reason) for reason in reasons]
    geometry = _wgs84(raw["geometry"], options.datum)
    point = geometry.representative_point()  # inside the polygon even for concave or multi-part shapes
    feature = ParsedFeature(index=index, code=code, source_code=source, name=name, parent_code=parent,
                            boundary_geojson=geometry_json(geometry), centroid=(point.x, point.y),
                            population=population)
    return feature, code, []


def parse_features(
    data: bytes | str, options: UnitImportOptions
) -> tuple[list[ParsedFeature], frozenset[str], list[ImportProblem]]:
    """Every feature that passed the file checks, every code the file names, and every problem found."""
    raws, problems = _load_features(data)
    parsed: list[ParsedFeature] = []
    first_index: dict[str, int] = {}
    for index, raw in enumerate(raws):
        feature, code, feature_problems = _parse_feature(index, raw, options)
        problems += feature_problems
        if code is not None and code in first_index:
            name = feature.name if feature else None
            problems.append(ImportProblem(index, code, name,
                                          UNIT_IMPORT_DUPLICATE.format(code=code, first=first_index[code] + 1)))
            continue
        if code is not None:
            first_index[code] = index
        if feature is not None:
            parsed.append(feature)
    return parsed, frozenset(first_index), sorted(problems, key=_problem_order)


def _problem_order(problem: ImportProblem) -> tuple[int, int]:
    return (-1, 0) if problem.index is None else (problem.index, 0)


# --- matching against the database ---------------------------------------------------------------------------


@dataclass
class _Context:
    """What resolution needs from the database, loaded once."""

    anchor: Unit | None
    by_division: dict[str, list[Unit]]
    by_code: dict[str, Unit]
    by_id: dict[int, Unit]


def _load_context(session: Session, features: list[ParsedFeature], anchor_code: str | None) -> _Context:
    codes = {f.code for f in features} | {f.parent_code for f in features if f.parent_code}
    units = list(session.execute(select(Unit).where(Unit.division_code.in_(codes))).scalars()) if codes else []
    by_division: dict[str, list[Unit]] = {}
    for unit in units:
        by_division.setdefault(unit.division_code, []).append(unit)
    taken = session.execute(select(Unit).where(Unit.code.in_(codes))).scalars() if codes else []
    by_code = {unit.code: unit for unit in taken}
    anchor = None
    if anchor_code is not None:
        anchor = session.execute(select(Unit).where(Unit.code == anchor_code)).scalar_one_or_none()
    parent_ids = {unit.parent_id for unit in units if unit.parent_id is not None}
    parents = session.execute(
        select(Unit).options(defer(Unit.boundary_geojson)).where(Unit.id.in_(parent_ids))
    ).scalars() if parent_ids else []
    by_id = {unit.id: unit for unit in [*parents, *units, *by_code.values(), *([anchor] if anchor else [])]}
    return _Context(anchor, by_division, by_code, by_id)


def _ambiguous(units: list[Unit], code: str) -> str:
    return UNIT_IMPORT_AMBIGUOUS.format(code=code, units="、".join(u.name for u in units))


class _Resolver:
    """Works out each feature's unit, parent, level and action; collects problems on the way."""

    def __init__(self, features: list[ParsedFeature], file_codes: frozenset[str], options: UnitImportOptions,
                 context: _Context) -> None:
        self.features = {f.code: f for f in features}
        self.file_codes = file_codes
        self.options = options
        self.context = context
        self.problems: list[ImportProblem] = []
        self.levels: dict[str, int | None] = {}

    def problem(self, feature: ParsedFeature, reason: str) -> None:
        self.problems.append(ImportProblem(feature.index, feature.code, feature.name, reason))

    def match(self, code: str) -> Unit | None:
        """The unit already holding a division code (ambiguity is reported by `plan`)."""
        units = self.context.by_division.get(code, [])
        return units[0] if len(units) == 1 else None

    def parent_of(self, feature: ParsedFeature) -> tuple[str, Any]:
        """("file", code), ("unit", Unit) or ("root", None): a feature's parent."""
        code = feature.parent_code
        if code and code != feature.code:
            if code in self.file_codes:
                return "file", code
            if len(self.context.by_division.get(code, [])) > 1:
                self.problem(feature, _ambiguous(self.context.by_division[code], code))
            if (unit := self.match(code)) is not None:
                return "unit", unit
        return ("unit", self.context.anchor) if self.context.anchor else ("root", None)

    def level(self, code: str, trail: tuple[str, ...] = ()) -> int | None:
        """The unit's level after import; None when unknown (a broken parent or a cycle)."""
        if code not in self.levels:
            self.levels[code] = self._level(code, trail)
        return self.levels[code]

    def _level(self, code: str, trail: tuple[str, ...]) -> int | None:
        feature = self.features.get(code)
        if feature is None:
            return None  # a feature of the file that has problems of its own
        if (unit := self.match(code)) is not None:
            return unit.level
        if code in trail:
            cycle = trail[trail.index(code):]
            reason = UNIT_IMPORT_PARENT_CYCLE.format(codes=" → ".join(cycle + (code,)))
            for member in cycle:
                self.problem(self.features[member], reason)
            return None
        kind, parent = self.parent_of(feature)
        if kind == "file":
            parent_level = self.level(parent, trail + (code,))
            return None if parent_level is None else parent_level + 1
        return parent.level + 1 if kind == "unit" else 1

    def parent_name(self, kind: str, parent: Any) -> str:
        if kind == "unit":
            return parent.name
        if kind == "file":
            feature = self.features.get(parent)
            return (feature.name if feature and feature.name else None) or parent
        return UNIT_IMPORT_TOP_LEVEL

    def plan(self, feature: ParsedFeature) -> PlannedUnit | None:
        matches = self.context.by_division.get(feature.code, [])
        if len(matches) > 1:
            self.problem(feature, _ambiguous(matches, feature.code))
            return None
        unit = matches[0] if matches else None
        level = self.level(feature.code)
        if unit is not None:
            # A matched unit keeps its place in the tree; only its name, boundary and population change.
            parent = self.context.by_id[unit.parent_id] if unit.parent_id else None
            action = ImportAction.UPDATE if unit_changes(unit, feature) else ImportAction.UNCHANGED
            return PlannedUnit(feature, action, feature.name or unit.name, unit.level, unit.id, unit.parent_id, None,
                               parent.name if parent else UNIT_IMPORT_TOP_LEVEL)
        return self._plan_new(feature, level)

    def _plan_new(self, feature: ParsedFeature, level: int | None) -> PlannedUnit | None:
        kind, parent = self.parent_of(feature)
        ok = True
        if not feature.name:
            self.problem(feature, UNIT_IMPORT_MISSING_PROPERTY.format(property=self.options.name_property))
            ok = False
        if (holder := self.context.by_code.get(feature.code)) is not None:
            self.problem(feature, UNIT_IMPORT_CODE_TAKEN.format(code=feature.code, unit=holder.name))
            ok = False
        if level is not None and level > MAX_LEVEL:
            self.problem(feature, UNIT_IMPORT_TOO_DEEP.format(parent=self.parent_name(kind, parent)))
            ok = False
        if not ok or level is None:
            return None
        return PlannedUnit(feature, ImportAction.CREATE, feature.name, level, None,
                           parent.id if kind == "unit" else None, parent if kind == "file" else None,
                           self.parent_name(kind, parent))


def _full_name(unit: Unit, name: str) -> str:
    """Keep a longer full name's prefix (长泰区公安分局武安派出所) when only the short name changes."""
    if unit.full_name.endswith(unit.name):
        return unit.full_name[: len(unit.full_name) - len(unit.name)] + name
    return name


def unit_changes(unit: Unit, feature: ParsedFeature) -> dict[str, object]:
    """The unit's columns that the feature would change, with their new values."""
    wanted: dict[str, object] = {
        "boundary_geojson": feature.boundary_geojson, "boundary_synthetic": False,
        "centroid_lon": feature.centroid[0], "centroid_lat": feature.centroid[1],
    }
    if feature.name:
        wanted |= {"name": feature.name, "full_name": _full_name(unit, feature.name)}
    if feature.population is not None:
        wanted |= {"population": feature.population, "population_source": UNIT_IMPORT_POPULATION_SOURCE}
    return {column: value for column, value in wanted.items() if getattr(unit, column) != value}


def _resolve(session: Session, features: list[ParsedFeature], file_codes: frozenset[str],
             options: UnitImportOptions) -> tuple[list[PlannedUnit], list[ImportProblem]]:
    context = _load_context(session, features, options.parent_code)
    if options.parent_code is not None and context.anchor is None:
        return [], [ImportProblem(None, None, None, UNIT_PARENT_MISSING.format(code=options.parent_code))]
    resolver = _Resolver(features, file_codes, options, context)
    planned = [unit for feature in features if (unit := resolver.plan(feature)) is not None]
    return planned, sorted(set(resolver.problems), key=lambda p: (p.index, p.reason))


def plan_unit_import(session: Session, data: bytes | str, options: UnitImportOptions) -> UnitImportPlan:
    """Parse and check a GeoJSON file against the database; nothing is written."""
    features, file_codes, problems = parse_features(data, options)
    units, resolve_problems = _resolve(session, features, file_codes, options)
    return UnitImportPlan(options, tuple(features), file_codes, tuple(units),
                          tuple(sorted(problems + resolve_problems, key=_problem_order)))


# --- writing -------------------------------------------------------------------------------------------------


def _check_scope(session: Session, actor: Actor, units: list[PlannedUnit]) -> None:
    """Every touched unit, and the parent of every new one, must be within the actor's scope."""
    for planned in units:
        target_id = planned.unit_id if planned.unit_id is not None else planned.parent_unit_id
        if planned.unit_id is None and planned.parent_feature_code is not None:
            continue  # its parent is another feature of the file, checked in its own turn
        target = session.get(Unit, target_id) if target_id is not None else None
        if target is None or not in_scope(actor, target):
            raise AccessDenied(OUT_OF_SCOPE)


def _write(session: Session, planned: PlannedUnit, units_by_code: dict[str, Unit], options: UnitImportOptions) -> Unit:
    feature = planned.feature
    if planned.unit_id is not None:
        unit = session.get(Unit, planned.unit_id)
        for column, value in unit_changes(unit, feature).items():
            setattr(unit, column, value)
        return unit
    if planned.parent_feature_code is not None:
        parent_code = units_by_code[planned.parent_feature_code].code
    else:
        parent_code = session.get(Unit, planned.parent_unit_id).code if planned.parent_unit_id else None
    kind = options.kind or KIND_BY_LEVEL[planned.level]
    unit = add_unit(session, code=feature.code, name=feature.name, kind=kind, parent_code=parent_code)
    for column, value in unit_changes(unit, feature).items():
        setattr(unit, column, value)
    return unit


def apply_unit_import(session: Session, actor: Actor | None, plan: UnitImportPlan) -> UnitImportResult:
    """Create or update the planned units in the caller's transaction, all or nothing; actor None: the CLI."""
    if actor is not None:
        require(actor, Permission.MANAGE_UNITS)
    if plan.problems:
        raise InvalidInput({"file": UNIT_IMPORT_HAS_PROBLEMS.format(count=len(plan.problems))})
    # Resolve again inside this transaction: the database may have changed since the plan was shown.
    units, problems = _resolve(session, list(plan.features), plan.file_codes, plan.options)
    if problems:
        raise InvalidInput({"file": UNIT_IMPORT_HAS_PROBLEMS.format(count=len(problems))})
    if actor is not None:
        _check_scope(session, actor, units)
    written: dict[str, Unit] = {}
    for planned in sorted(units, key=lambda u: u.level):  # parents before children
        written[planned.feature.code] = _write(session, planned, written, plan.options)
    session.flush()
    counts = Counter(u.action for u in units)
    result = UnitImportResult(counts[ImportAction.CREATE], counts[ImportAction.UPDATE],
                              counts[ImportAction.UNCHANGED], {code: unit.id for code, unit in written.items()})
    source = f"“{plan.options.source_name}”" if plan.options.source_name else ""
    audit.record(session, AuditAction.IMPORT, actor, object_type="unit", username=None if actor else CLI_USERNAME,
                 detail=UNIT_IMPORT_AUDIT_DETAIL.format(source=source, created=result.created,
                                                          updated=result.updated, unchanged=result.unchanged))
    return result
