"""Reports for people: the assessment as a self-contained HTML page with map and charts."""

from __future__ import annotations

from indivisible.report.charts import contribution_bars, contributions_svg
from indivisible.report.html import render_assessment_html
from indivisible.report.labels import LANGUAGES, labels
from indivisible.report.maps import delta_colour, map_svg

__all__ = [
    "LANGUAGES",
    "contribution_bars",
    "contributions_svg",
    "delta_colour",
    "labels",
    "map_svg",
    "render_assessment_html",
]
