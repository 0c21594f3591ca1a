"""Tests for the WGS-84 <-> GCJ-02 conversion."""

from __future__ import annotations

import copy
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.geo.gcj02 import (
    feature_collection_gcj02_to_wgs84,
    gcj02_to_wgs84,
    geometry_gcj02_to_wgs84,
    wgs84_to_gcj02,
)

# The offset is at most ~0.011 degrees, so keeping 0.05 degrees away from the (discontinuous)
# China bounding box edge guarantees both ends of a round trip use the same branch.
MARGIN = 0.05
china_lon = st.floats(72.004 + MARGIN, 137.8347 - MARGIN)
china_lat = st.floats(0.8293 + MARGIN, 55.8271 - MARGIN)

ROUND_TRIP_TOLERANCE = 1e-8


def test_changtai_offset_matches_known_shift() -> None:
    lon, lat = 117.76, 24.62
    gcj_lon, gcj_lat = wgs84_to_gcj02(lon, lat)
    assert gcj_lon - lon == pytest.approx(0.00492, abs=2e-4)
    assert gcj_lat - lat == pytest.approx(-0.00285, abs=2e-4)


@given(china_lon, china_lat)
def test_gcj_to_wgs_round_trip(lon: float, lat: float) -> None:
    back_lon, back_lat = wgs84_to_gcj02(*gcj02_to_wgs84(lon, lat))
    assert abs(back_lon - lon) < ROUND_TRIP_TOLERANCE
    assert abs(back_lat - lat) < ROUND_TRIP_TOLERANCE


@given(china_lon, china_lat)
def test_wgs_to_gcj_round_trip(lon: float, lat: float) -> None:
    back_lon, back_lat = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert abs(back_lon - lon) < ROUND_TRIP_TOLERANCE
    assert abs(back_lat - lat) < ROUND_TRIP_TOLERANCE


@pytest.mark.parametrize(
    ("lon", "lat"),
    [(-0.1276, 51.5072), (139.6917, 35.6895), (151.2093, -33.8688), (100.0, 0.5), (100.0, 60.0)],
)
def test_points_outside_china_are_unchanged(lon: float, lat: float) -> None:
    assert wgs84_to_gcj02(lon, lat) == (lon, lat)
    assert gcj02_to_wgs84(lon, lat) == (lon, lat)


@given(st.lists(st.tuples(st.floats(60.0, 150.0), st.floats(-10.0, 65.0)), min_size=1, max_size=20))
def test_arrays_and_scalars_agree(points: list[tuple[float, float]]) -> None:
    lon = np.array([p[0] for p in points])
    lat = np.array([p[1] for p in points])
    for convert in (wgs84_to_gcj02, gcj02_to_wgs84):
        array_lon, array_lat = convert(lon, lat)
        scalar = np.array([convert(x, y) for x, y in points])
        np.testing.assert_allclose(array_lon, scalar[:, 0], rtol=0, atol=0)
        np.testing.assert_allclose(array_lat, scalar[:, 1], rtol=0, atol=0)


def test_return_kind_matches_input_kind() -> None:
    scalar = gcj02_to_wgs84(117.76, 24.62)
    assert all(type(v) is float for v in scalar)
    arrays = gcj02_to_wgs84(np.array([117.76]), np.array([24.62]))
    assert all(isinstance(v, np.ndarray) and v.shape == (1,) for v in arrays)


def _expected(position: list[float]) -> list[float]:
    return [*gcj02_to_wgs84(position[0], position[1]), *position[2:]]


RING = [[117.7, 24.6], [117.8, 24.6], [117.8, 24.7], [117.7, 24.6]]
HOLE = [[117.72, 24.62], [117.75, 24.62], [117.75, 24.65], [117.72, 24.62]]


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Point", "coordinates": [117.76, 24.62]},
        {"type": "Point", "coordinates": [117.76, 24.62, 12.5]},
        {"type": "MultiPoint", "coordinates": RING[:3]},
        {"type": "LineString", "coordinates": RING},
        {"type": "MultiLineString", "coordinates": [RING, HOLE]},
        {"type": "Polygon", "coordinates": [RING, HOLE]},
        {"type": "MultiPolygon", "coordinates": [[RING, HOLE], [RING]]},
    ],
    ids=lambda g: f"{g['type']}{len(g['coordinates'])}",
)
def test_geometry_converted_coordinate_by_coordinate(geometry: dict) -> None:
    original = copy.deepcopy(geometry)
    converted = geometry_gcj02_to_wgs84(geometry)
    assert geometry == original, "input must not be mutated"
    assert converted["type"] == geometry["type"]
    expected = _map_positions(geometry["coordinates"], _expected)
    assert _flatten(converted["coordinates"]) == _flatten(expected)


def _map_positions(coords: list, fn: Callable[[list[float]], list[float]]) -> list:
    if isinstance(coords[0], (int, float)):
        return fn(coords)
    return [_map_positions(c, fn) for c in coords]


def _flatten(coords: list) -> list[float]:
    if isinstance(coords[0], (int, float)):
        return list(coords)
    return [x for c in coords for x in _flatten(c)]


def test_unsupported_geometry_type_raises() -> None:
    with pytest.raises(ValueError):
        geometry_gcj02_to_wgs84({"type": "Circle", "coordinates": [0, 0]})


def test_feature_collection_keeps_properties_and_converts_geometries() -> None:
    fc = {
        "type": "FeatureCollection",
        "bbox": [117.7, 24.6, 117.8, 24.7],
        "features": [
            {
                "type": "Feature",
                "properties": {"adcode": "350605"},
                "geometry": {"type": "Polygon", "coordinates": [RING]},
            },
            {"type": "Feature", "properties": {"name": "no geometry"}, "geometry": None},
        ],
    }
    converted = feature_collection_gcj02_to_wgs84(fc)
    assert "bbox" not in converted
    polygon, empty = converted["features"]
    assert polygon["properties"] == {"adcode": "350605"}
    assert polygon["geometry"] == geometry_gcj02_to_wgs84(fc["features"][0]["geometry"])
    assert empty["properties"] == {"name": "no geometry"}
    assert empty["geometry"] is None
    assert fc["features"][0]["geometry"]["coordinates"] == [RING]
