"""Geometry helpers: GCJ-02 datum conversion and polygon tiling."""
