"""Conversion between WGS-84 and the Chinese GCJ-02 ("Mars") datum."""

from __future__ import annotations

from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

# Krasovsky 1940 ellipsoid, as used by the GCJ-02 obfuscation.
_A = 6378245.0
_EE = 0.00669342162296594323

_LON_MIN, _LON_MAX = 72.004, 137.8347
_LAT_MIN, _LAT_MAX = 0.8293, 55.8271

_INVERSE_TOLERANCE = 1e-9
_INVERSE_MAX_ITERATIONS = 10

Coord = TypeVar("Coord", float, NDArray[np.float64])


def _transform_lat(x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return ret


def _in_china(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.bool_]:
    return (lon >= _LON_MIN) & (lon <= _LON_MAX) & (lat >= _LAT_MIN) & (lat <= _LAT_MAX)


def _offset(
    lon: NDArray[np.float64], lat: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """GCJ-02 minus WGS-84 in degrees at WGS-84 (lon, lat); zero outside China."""
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    radlat = np.radians(lat)
    magic = 1.0 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    inside = _in_china(lon, lat)
    return np.where(inside, dlon, 0.0), np.where(inside, dlat, 0.0)


def _as_arrays(lon: Any, lat: Any) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    x, y = np.broadcast_arrays(np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64))
    return x, y


def _same_kind(
    lon_in: Any, lat_in: Any, lon: NDArray[np.float64], lat: NDArray[np.float64]
) -> tuple[Any, Any]:
    """Return Python floats for scalar inputs, arrays otherwise."""
    if np.ndim(lon_in) == 0 and np.ndim(lat_in) == 0:
        return float(lon), float(lat)
    return lon, lat


def wgs84_to_gcj02(lon: Coord, lat: Coord) -> tuple[Coord, Coord]:
    """Convert WGS-84 lon/lat (floats or numpy arrays) to GCJ-02."""
    x, y = _as_arrays(lon, lat)
    dlon, dlat = _offset(x, y)
    return _same_kind(lon, lat, x + dlon, y + dlat)


def gcj02_to_wgs84(lon: Coord, lat: Coord) -> tuple[Coord, Coord]:
    """Convert GCJ-02 lon/lat (floats or numpy arrays) to WGS-84 by fixed-point iteration."""
    gx, gy = _as_arrays(lon, lat)
    shape = gx.shape
    gx, gy = gx.ravel(), gy.ravel()
    wx, wy = gx.copy(), gy.copy()
    # Each point stops on its own once converged, so results do not depend on the batch.
    active = _in_china(gx, gy)
    for _ in range(_INVERSE_MAX_ITERATIONS):
        if not active.any():
            break
        dlon, dlat = _offset(wx[active], wy[active])
        err_x = wx[active] + dlon - gx[active]
        err_y = wy[active] + dlat - gy[active]
        wx[active] -= err_x
        wy[active] -= err_y
        active[active] = np.maximum(np.abs(err_x), np.abs(err_y)) >= _INVERSE_TOLERANCE
    return _same_kind(lon, lat, wx.reshape(shape), wy.reshape(shape))


def _convert_positions(positions: list[list[float]]) -> list[list[float]]:
    """Convert a list of GeoJSON positions in one vectorised call, keeping any extra ordinates."""
    if not positions:
        return []
    lon = np.array([p[0] for p in positions], dtype=np.float64)
    lat = np.array([p[1] for p in positions], dtype=np.float64)
    wlon, wlat = gcj02_to_wgs84(lon, lat)
    return [[x, y, *p[2:]] for x, y, p in zip(wlon.tolist(), wlat.tolist(), positions)]


def _convert_nested(coords: Any, depth: int) -> Any:
    """Convert coordinates nested `depth` lists above a list of positions."""
    if depth == 0:
        return _convert_positions(coords)
    return [_convert_nested(part, depth - 1) for part in coords]


# Nesting depth of each geometry's "coordinates" above a list of positions.
_POSITION_LIST_DEPTH = {
    "MultiPoint": 0,
    "LineString": 0,
    "MultiLineString": 1,
    "Polygon": 1,
    "MultiPolygon": 2,
}


def _without_bbox(obj: dict[str, Any]) -> dict[str, Any]:
    """Shallow copy of a GeoJSON object minus its "bbox", which would be stale after conversion."""
    return {key: value for key, value in obj.items() if key != "bbox"}


def geometry_gcj02_to_wgs84(geometry: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of a GeoJSON geometry with all coordinates converted from GCJ-02 to WGS-84."""
    kind = geometry["type"]
    result = _without_bbox(geometry)
    if kind == "GeometryCollection":
        result["geometries"] = [geometry_gcj02_to_wgs84(g) for g in geometry["geometries"]]
    elif kind == "Point":
        result["coordinates"] = _convert_positions([geometry["coordinates"]])[0]
    elif kind in _POSITION_LIST_DEPTH:
        result["coordinates"] = _convert_nested(geometry["coordinates"], _POSITION_LIST_DEPTH[kind])
    else:
        raise ValueError(f"unsupported GeoJSON geometry type: {kind!r}")
    return result


def feature_collection_gcj02_to_wgs84(fc: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of a GeoJSON FeatureCollection with every geometry converted to WGS-84."""
    result = _without_bbox(fc)
    result["features"] = [_convert_feature(feature) for feature in fc["features"]]
    return result


def _convert_feature(feature: dict[str, Any]) -> dict[str, Any]:
    result = _without_bbox(feature)
    if feature.get("geometry") is not None:
        result["geometry"] = geometry_gcj02_to_wgs84(feature["geometry"])
    return result
