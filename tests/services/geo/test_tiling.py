"""Tests for district tiling, random point sampling and display simplification."""

from __future__ import annotations

import functools
import itertools
import json
import time
from pathlib import Path

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from services.geo.tiling import random_points_in, simplify_for_display, tile_polygon

DISTRICTS_PATH = (
    Path(__file__).parents[3] / "services" / "demo" / "data" / "zhangzhou_districts_gcj02.geojson"
)

CHANGTAI = "350605"
ZHANGPU = "350623"  # many islands
DONGSHAN = "350626"  # island county


@functools.cache
def district(adcode: str) -> BaseGeometry:
    features = json.loads(DISTRICTS_PATH.read_text(encoding="utf-8"))["features"]
    (feature,) = [f for f in features if f["properties"]["adcode"] == adcode]
    return shape(feature["geometry"])


@functools.cache
def tiling(adcode: str, n: int, seed: int) -> tuple[BaseGeometry, ...]:
    return tuple(tile_polygon(district(adcode), n, seed))


def assert_exact_tiling(geom: BaseGeometry, cells: tuple[BaseGeometry, ...]) -> None:
    union = shapely.union_all(cells)
    assert abs(union.area - geom.area) < 1e-9 * geom.area
    assert shapely.symmetric_difference(union, geom).area < 1e-9 * geom.area
    for a, b in itertools.combinations(cells, 2):
        assert shapely.intersection(a, b).area < 1e-12 * geom.area


def assert_valid_cells(cells: tuple[BaseGeometry, ...]) -> None:
    for cell in cells:
        assert cell.geom_type in ("Polygon", "MultiPolygon")
        assert cell.is_valid
        assert not cell.is_empty and cell.area > 0


CASES = [(CHANGTAI, 9), (ZHANGPU, 21)]


@pytest.mark.parametrize(("adcode", "n"), CASES)
def test_cells_tile_the_district_exactly(adcode: str, n: int) -> None:
    cells = tiling(adcode, n, 7)
    assert len(cells) == n
    assert_valid_cells(cells)
    assert_exact_tiling(district(adcode), cells)


@pytest.mark.parametrize(("adcode", "n"), CASES)
def test_cells_have_comparable_areas(adcode: str, n: int) -> None:
    areas = np.array([cell.area for cell in tiling(adcode, n, 7)])
    assert areas.min() > 0.25 * areas.mean()
    assert areas.max() < 2.5 * areas.mean()


@pytest.mark.parametrize(("adcode", "n"), CASES)
def test_tiling_is_deterministic_for_a_seed(adcode: str, n: int) -> None:
    first = tiling(adcode, n, 7)
    again = tile_polygon(district(adcode), n, 7)
    assert all(a.equals_exact(b, tolerance=0) for a, b in zip(first, again, strict=True))


@pytest.mark.parametrize(("adcode", "n"), CASES)
def test_different_seed_gives_different_tiling(adcode: str, n: int) -> None:
    first = tiling(adcode, n, 7)
    other = tiling(adcode, n, 8)
    assert not all(a.equals(b) for a, b in zip(first, other, strict=True))
    assert_exact_tiling(district(adcode), other)


def test_cells_are_ordered_north_to_south() -> None:
    cells = tiling(ZHANGPU, 21, 7)
    # Sorting is by seed point, so compare loosely via each cell's centroid latitude.
    latitudes = [cell.centroid.y for cell in cells]
    assert latitudes[0] > latitudes[-1]


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 12), seed=st.integers(0, 2**32 - 1))
def test_any_seed_tiles_an_island_county(n: int, seed: int) -> None:
    geom = district(DONGSHAN)
    cells = tuple(tile_polygon(geom, n, seed))
    assert len(cells) == n
    assert_valid_cells(cells)
    assert_exact_tiling(geom, cells)


def test_single_cell_is_the_whole_geometry() -> None:
    geom = district(CHANGTAI)
    (cell,) = tile_polygon(geom, 1, 0)
    assert cell.equals(geom)


def test_non_positive_cell_count_is_rejected() -> None:
    with pytest.raises(ValueError):
        tile_polygon(district(CHANGTAI), 0, 0)


def test_invalid_input_is_repaired() -> None:
    bowtie = shapely.Polygon([(117.0, 24.0), (117.2, 24.2), (117.2, 24.0), (117.0, 24.2)])
    cells = tuple(tile_polygon(bowtie, 4, 1))
    assert len(cells) == 4
    assert_valid_cells(cells)
    assert_exact_tiling(shapely.make_valid(bowtie), cells)


@pytest.mark.parametrize("adcode", [CHANGTAI, ZHANGPU])
def test_random_points_are_inside(adcode: str) -> None:
    geom = district(adcode)
    lon, lat = random_points_in(geom, 5_000, np.random.default_rng(3))
    assert lon.shape == lat.shape == (5_000,)
    assert shapely.contains_xy(geom, lon, lat).all()


def test_random_points_are_deterministic_for_a_generator_seed() -> None:
    geom = district(CHANGTAI)
    first = random_points_in(geom, 100, np.random.default_rng(11))
    again = random_points_in(geom, 100, np.random.default_rng(11))
    np.testing.assert_array_equal(first, again)


def test_random_points_are_uniform() -> None:
    square = shapely.box(117.0, 24.0, 118.0, 25.0)
    triangle = shapely.Polygon([(117.0, 24.0), (118.0, 24.0), (117.0, 25.0)])
    lon, lat = random_points_in(square, 20_000, np.random.default_rng(5))
    share = shapely.contains_xy(triangle, lon, lat).mean()
    assert share == pytest.approx(0.5, abs=0.02)


def test_zero_random_points() -> None:
    lon, lat = random_points_in(district(CHANGTAI), 0, np.random.default_rng(0))
    assert lon.size == lat.size == 0


def test_hundred_thousand_random_points_are_fast() -> None:
    geom = district(ZHANGPU)
    start = time.perf_counter()
    lon, _ = random_points_in(geom, 100_000, np.random.default_rng(0))
    assert lon.size == 100_000
    assert time.perf_counter() - start < 1.0


def test_simplify_for_display_stays_close_and_valid() -> None:
    geom = district(ZHANGPU)
    simplified = simplify_for_display(geom, tolerance_m=50)
    assert simplified.is_valid
    assert shapely.get_num_coordinates(simplified) < shapely.get_num_coordinates(geom)
    assert shapely.hausdorff_distance(simplified, geom) <= 50 / 111_320 * 1.01
    assert simplified.area == pytest.approx(geom.area, rel=0.01)
