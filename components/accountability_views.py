"""Transitional alias: the accountability panels moved to `components.accountability_panels`.

Only `views/overview.py` still imports from here; once it imports `components.accountability_panels`, delete this file.
"""

from components.accountability_panels import summary_metrics

__all__ = ["summary_metrics"]
