"""Split district polygons into compact cells and sample random points inside them."""

from __future__ import annotations

import math
from typing import TypeVar

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

Geometries = TypeVar("Geometries", BaseGeometry, NDArray[np.object_])

_METRES_PER_DEGREE_LAT = 111_320.0
_LLOYD_ITERATIONS = 20
_MIN_BATCH = 1_024
_MAX_BATCH = 1_000_000


def random_points_in(
    geom: BaseGeometry, count: int, rng: np.random.Generator
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return `count` uniformly random (lon, lat) points strictly inside `geom`."""
    if count < 0:
        raise ValueError("count must be non-negative")
    if geom.is_empty or geom.area <= 0:
        raise ValueError("geometry must have a positive area")
    shapely.prepare(geom)
    minx, miny, maxx, maxy = geom.bounds
    fill_ratio = geom.area / ((maxx - minx) * (maxy - miny))
    xs: list[NDArray[np.float64]] = []
    ys: list[NDArray[np.float64]] = []
    found = 0
    while found < count:
        # Oversample so that one batch is almost always enough.
        batch = int(np.clip((count - found) / fill_ratio * 1.2, _MIN_BATCH, _MAX_BATCH))
        x = rng.uniform(minx, maxx, batch)
        y = rng.uniform(miny, maxy, batch)
        inside = shapely.contains_xy(geom, x, y)
        xs.append(x[inside])
        ys.append(y[inside])
        found += int(inside.sum())
    if not xs:
        return np.empty(0), np.empty(0)
    return np.concatenate(xs)[:count], np.concatenate(ys)[:count]


def simplify_for_display(geom: BaseGeometry, tolerance_m: float = 50) -> BaseGeometry:
    """Topology-preserving simplification with a tolerance in metres."""
    # Degrees of latitude; in longitude this is slightly conservative (a degree is shorter there).
    return shapely.simplify(geom, tolerance_m / _METRES_PER_DEGREE_LAT, preserve_topology=True)


def tile_polygon(geom: BaseGeometry, n: int, seed: int) -> list[BaseGeometry]:
    """Split lon/lat `geom` into `n` compact cells that tile it exactly; deterministic per seed."""
    if n < 1:
        raise ValueError("n must be at least 1")
    if not geom.is_valid:
        geom = _polygonal(shapely.make_valid(geom))
    if n == 1:
        return [geom]
    scale = math.cos(math.radians(shapely.centroid(geom).y))
    local = _scale_x(geom, scale)
    shapely.prepare(local)
    rng = np.random.default_rng(seed)
    points = np.column_stack(random_points_in(local, n, rng))
    for _ in range(_LLOYD_ITERATIONS):
        points = _relax(local, points)
    # Order cells north to south, then west to east, so numbering reads naturally on a map.
    points = points[np.lexsort((points[:, 0], -points[:, 1]))]
    cells = _scale_x(_voronoi_cells(local, points), 1.0 / scale)
    return [_polygonal(cell) for cell in shapely.intersection(cells, geom)]


def _scale_x(geom: Geometries, factor: float) -> Geometries:
    """Scale x (longitude) coordinates; accepts a geometry or an array of geometries."""
    return shapely.transform(geom, lambda coords: coords * np.array([factor, 1.0]))


def _voronoi_cells(local: BaseGeometry, points: NDArray[np.float64]) -> NDArray[np.object_]:
    """Unclipped Voronoi cells of `points`, in the same order, covering the bounds of `local`."""
    minx, miny, maxx, maxy = local.bounds
    margin = max(maxx - minx, maxy - miny)
    extent = shapely.box(minx - margin, miny - margin, maxx + margin, maxy + margin)
    diagram = shapely.voronoi_polygons(shapely.multipoints(points), extend_to=extent, ordered=True)
    return shapely.get_parts(diagram)


def _relax(local: BaseGeometry, points: NDArray[np.float64]) -> NDArray[np.float64]:
    """One Lloyd step: move each point to its clipped cell's centroid, staying inside `local`."""
    clipped = shapely.intersection(_voronoi_cells(local, points), local)
    centroids = shapely.centroid(clipped)
    outside = ~shapely.contains(local, centroids)
    centroids[outside] = shapely.point_on_surface(clipped[outside])
    moved = shapely.get_coordinates(centroids)
    # Coincident points would merge two cells; keep the old point for any duplicate.
    _, first = np.unique(moved, axis=0, return_index=True)
    keep = np.zeros(len(moved), dtype=bool)
    keep[first] = True
    return np.where(keep[:, None], moved, points)


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Make `geom` valid and drop any non-polygonal parts (stray lines or points)."""
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    polygons = [
        polygon
        for part in shapely.get_parts(geom)
        if part.geom_type in ("Polygon", "MultiPolygon")
        for polygon in shapely.get_parts(part)
    ]
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)
