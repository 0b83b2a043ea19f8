"""Matplotlib figures as SVG fragments that can sit inline, several to a page.

Inline SVG keeps a report one file that opens without a network, keeps text sharp and
searchable, and lets tests read fill colours back. Three things need care when two
figures share a page: element ids must not collide (each figure gets its own hash
salt, which also makes the output the same on every run), the XML prolog must go, and
the metadata block (which names external vocabularies) is dropped.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib
from matplotlib.figure import Figure

_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
_PATH_DATA = re.compile(r'(?<=\sd=")[^"]*')
_DECIMAL = re.compile(r"-?\d+\.\d+")


def _short_number(m: re.Match[str]) -> str:
    text = f"{float(m.group()):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _compact_path(m: re.Match[str]) -> str:
    """Path data at 1/100 pt (invisible) on one line: the map's borders shrink by ~40%."""
    return " ".join(_DECIMAL.sub(_short_number, m.group()).split())

FONT = ["DejaVu Sans", "Segoe UI", "Helvetica", "Arial", "sans-serif"]


@contextmanager
def svg_style(salt: str) -> Iterator[None]:
    """Settings shared by every report figure; ``salt`` makes its ids unique and stable."""
    with matplotlib.rc_context(
        {
            "svg.fonttype": "none",
            "svg.hashsalt": salt,
            "font.family": "sans-serif",
            "font.sans-serif": FONT,
            "font.size": 9,
            "axes.titlesize": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.unicode_minus": False,  # the same hyphen-minus as the tables
        }
    ):
        yield


def figure_svg(fig: Figure) -> str:
    """The ``<svg>`` element of ``fig``, without prolog or metadata, sized to its container."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None, "Format": None,
                                              "Type": None})
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    text = _METADATA.sub("", text)
    text = _PATH_DATA.sub(_compact_path, text)
    # A fixed pt size would overflow narrow screens; the viewBox keeps the aspect ratio.
    text = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1 width="100%"', text,
                  count=1)
    return text
