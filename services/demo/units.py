"""The demo unit tree: 漳州市公安局, its 11 district bureaus (real boundaries) and synthetic-boundary stations."""

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

from services.geo.gcj02 import geometry_gcj02_to_wgs84
from services.geo.tiling import simplify_for_display, tile_polygon
from vocabulary import UnitKind

DATA_DIR = Path(__file__).resolve().parent / "data"
DISTRICTS_FILE = DATA_DIR / "zhangzhou_districts_gcj02.geojson"
TOWNSHIPS_FILE = DATA_DIR / "zhangzhou_townships.csv"
CITY_CODE = "350600"
CITY_BUREAU_NAME = "漳州市公安局"
COMMAND_CENTER_CODE = "350600-ZHZX"
COMMAND_CENTER_NAME = "漳州市公安局指挥中心"
POPULATION_SOURCE = "演示估算值"
STATION_SUFFIXES = ("街道", "镇", "乡")

# Rounded resident-population estimates (persons) used only by the demo; see data/README.md.
DISTRICT_POPULATION_ESTIMATE: dict[str, int] = {
    "350602": 600_000, "350603": 350_000, "350604": 1_000_000, "350605": 220_000,
    "350622": 420_000, "350623": 800_000, "350624": 570_000, "350626": 210_000,
    "350627": 330_000, "350628": 500_000, "350629": 130_000,
}


@dataclass
class DemoUnit:
    """A unit of the demo tree before it is written (parent by code)."""

    code: str
    name: str
    full_name: str
    kind: UnitKind
    level: int
    parent_code: str | None
    division_code: str | None
    geometry: object | None = None
    synthetic: bool = False
    population: int | None = None
    sort_order: int = 0
    children: list["DemoUnit"] = field(default_factory=list)


def district_bureau_name(district_name: str) -> str:
    """长泰区 → 长泰区公安分局; 漳浦县 → 漳浦县公安局."""
    return f"{district_name}公安分局" if district_name.endswith("区") else f"{district_name}公安局"


def station_short_name(township_name: str) -> str | None:
    """武安镇 → 武安派出所; 隆教畲族乡 → 隆教派出所; farms and development zones get none."""
    for suffix in STATION_SUFFIXES:
        if township_name.endswith(suffix):
            stem = township_name[: -len(suffix)].removesuffix("畲族")
            return f"{stem}派出所"
    return None


def load_district_features() -> list[dict]:
    """The district features of the shipped GeoJSON, geometry converted to WGS84."""
    with DISTRICTS_FILE.open(encoding="utf-8") as handle:
        collection = json.load(handle)
    features = []
    for feature in collection["features"]:
        converted = dict(feature, geometry=geometry_gcj02_to_wgs84(feature["geometry"]))
        features.append(converted)
    return features


def load_townships() -> list[dict[str, str]]:
    """Rows of the township CSV."""
    with TOWNSHIPS_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _stations_of(district: DemoUnit, townships: list[dict[str, str]], seed: int) -> list[DemoUnit]:
    rows = [t for t in townships if t["district_code"] == district.code and station_short_name(t["name"])]
    cells = tile_polygon(district.geometry, len(rows), seed=seed)
    total_area = sum(cell.area for cell in cells)
    stations = []
    for order, (row, cell) in enumerate(zip(rows, cells, strict=True)):
        short = station_short_name(row["name"])
        stations.append(
            DemoUnit(
                code=row["code"],
                name=short,
                full_name=f"{district.full_name}{short}",
                kind=UnitKind.STATION,
                level=3,
                parent_code=district.code,
                division_code=row["code"],
                geometry=cell,
                synthetic=True,
                population=round(district.population * cell.area / total_area) if district.population else None,
                sort_order=order,
            )
        )
    return stations


def build_demo_units(seed: int = 0) -> DemoUnit:
    """The whole demo tree, rooted at 漳州市公安局."""
    features = load_district_features()
    townships = load_townships()
    city_feature = next(f for f in features if f["properties"]["level"] == "city")
    city = DemoUnit(
        code=CITY_CODE, name=CITY_BUREAU_NAME, full_name=CITY_BUREAU_NAME, kind=UnitKind.CITY_BUREAU,
        level=1, parent_code=None, division_code=CITY_CODE, geometry=shape(city_feature["geometry"]),
        population=sum(DISTRICT_POPULATION_ESTIMATE.values()),
    )
    city.children.append(
        DemoUnit(
            code=COMMAND_CENTER_CODE, name="指挥中心", full_name=COMMAND_CENTER_NAME,
            kind=UnitKind.COMMAND_CENTER, level=2, parent_code=CITY_CODE, division_code=None, sort_order=99,
        )
    )
    districts = sorted(
        (f for f in features if f["properties"]["level"] == "district"), key=lambda f: f["properties"]["adcode"]
    )
    for order, feature in enumerate(districts):
        props = feature["properties"]
        district = DemoUnit(
            code=props["adcode"], name=district_bureau_name(props["name"]),
            full_name=district_bureau_name(props["name"]), kind=UnitKind.DISTRICT_BUREAU, level=2,
            parent_code=CITY_CODE, division_code=props["adcode"], geometry=shape(feature["geometry"]),
            population=DISTRICT_POPULATION_ESTIMATE.get(props["adcode"]), sort_order=order,
        )
        district.children = _stations_of(district, townships, seed + order)
        if district.code == PARTNER_DISTRICT:
            for station in district.children:
                station.children = _partners_of(station)
        city.children.append(district)
    return city


PARTNER_DISTRICT = "350605"  # 长泰 (the demo clerks' district): its stations have campaign partner units
PARTNER_KINDS = ("村委会", "中心小学", "农商银行网点", "移动营业厅")


def _partners_of(station: DemoUnit) -> list[DemoUnit]:
    """Non-police units taking part in campaigns under a station (村委会、学校、银行网点、营业厅), by its code."""
    stem = station.name.removesuffix("派出所")
    count = 2 + int(station.code[-1]) % 3
    return [DemoUnit(code=f"{station.code}P{i + 1}", name=f"{stem}{kind}", full_name=f"{stem}{kind}",
                     kind=UnitKind.PARTNER, level=4, parent_code=station.code, division_code=None, sort_order=50 + i)
            for i, kind in enumerate(PARTNER_KINDS[:count])]


def walk(unit: DemoUnit) -> list[DemoUnit]:
    """The unit and all its descendants, parents before children."""
    result = [unit]
    for child in unit.children:
        result.extend(walk(child))
    return result


def geometry_json(geometry) -> str | None:
    """GeoJSON text of a geometry simplified for display (about 30 m), or None."""
    if geometry is None:
        return None
    simplified = simplify_for_display(geometry, tolerance_m=30)
    return json.dumps(mapping(shapely.set_precision(simplified, 1e-6)), ensure_ascii=False)
