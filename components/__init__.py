"""Reusable render helpers: take data, draw it, return widget values; no database access."""
