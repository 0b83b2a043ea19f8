"""Charts of why security changed: the largest contributions, with their signs.

The model's change in a state's security is an exact sum of contributions of force
elements (the decomposition is part of every result). The chart shows, for the states
whose security changes most, the elements that contribute most, and lumps the rest
into one bar so that each state's bars still add up to its change: a reader can check
the arithmetic by eye.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from indivisible.report.labels import labels
from indivisible.report.maps import delta_colour
from indivisible.report.svg import figure_svg, svg_style

OTHER = "#9e9e9e"
MAX_LABEL = 46


def _short(text: str, n: int = MAX_LABEL) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def most_affected(states: Sequence[Mapping[str, Any]], actors: Iterable[str] = (),
                  n: int = 4) -> list[Mapping[str, Any]]:
    """The ``n`` states with the largest |change|, always including the worst-off non-actor.

    The worst-off other state is the one every conditioned reading's verdict rests on,
    so it must be explained even when the actors' own gains are larger.
    """
    moved = [s for s in states if s["delta"] != 0.0]
    chosen = sorted(moved, key=lambda s: -abs(s["delta"]))[:n]
    actors = set(actors)
    others = [s for s in moved if s["iso3"] not in actors and s["delta"] < 0]
    if others and n > 0:
        worst = min(others, key=lambda s: s["delta"])
        if worst not in chosen:
            chosen = chosen[: n - 1] + [worst]
    return chosen


def contribution_bars(state: Mapping[str, Any], top: int = 6,
                      other_label: str = "other elements") -> list[tuple[str, float]]:
    """(label, value) bars for one state; they sum to its change in security.

    The largest ``top`` elements by magnitude, then one bar for everything else when
    it is not negligible.
    """
    elements = sorted(state.get("contributions", {}).get("top_elements", []),
                      key=lambda e: -abs(e["value"]))[:top]
    bars = [(str(e.get("label") or e.get("id")), float(e["value"])) for e in elements]
    rest = float(state["delta"]) - sum(v for _, v in bars)
    scale = max([abs(float(state["delta"]))] + [abs(v) for _, v in bars])
    if abs(rest) > 1e-9 * max(scale, 1e-300):
        bars.append((other_label, rest))
    return bars


def contributions_figure(
    states: Sequence[Mapping[str, Any]],
    *,
    actors: Iterable[str] = (),
    n_states: int = 4,
    top: int = 6,
    lang: str = "en",
) -> Figure:
    """Horizontal signed bars, one panel per most-affected state, largest contribution on top."""
    lab = labels(lang)
    chosen = most_affected(states, actors, n_states)
    panels = [(s, contribution_bars(s, top, lab["other_elements"])) for s in chosen]
    heights = [max(len(b), 1) * 0.27 + 0.55 for _, b in panels] or [0.8]
    fig = Figure(figsize=(9.0, sum(heights) + 0.5), layout="constrained")
    if not panels:
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.text(0.5, 0.5, lab["nobody"], ha="center", va="center")
        return fig
    axes = fig.subplots(len(panels), 1, height_ratios=heights, squeeze=False, sharex=True)[:, 0]
    # One scale for every panel, so that bars compare across states; room for the labels.
    every = [v for _, bars in panels for _, v in bars] or [0.0]
    lo, hi = min(min(every), 0.0), max(max(every), 0.0)
    pad = 0.28 * max(hi - lo, 1e-12)
    limits = (lo - (pad if lo < 0 else 0.06 * pad), hi + (pad if hi > 0 else 0.06 * pad))
    for ax, (state, bars) in zip(axes, panels, strict=True):
        names = [_short(b[0]) for b in bars][::-1]
        values = np.array([b[1] for b in bars][::-1])
        other = _short(lab["other_elements"])
        colours = [OTHER if name == other else delta_colour(float(np.sign(v)), 1.0, 0.0)
                   for name, v in zip(names, values, strict=True)]
        y = np.arange(len(values))
        ax.barh(y, values, color=colours, edgecolor="#555555", linewidth=0.4, height=0.7)
        ax.set_yticks(y, names, fontsize=8)
        ax.axvline(0.0, color="#333333", linewidth=0.8)
        ax.set_xlim(*limits)
        ax.tick_params(axis="x", labelbottom=True)
        for yi, v in zip(y, values, strict=True):
            ax.annotate(f"{v:+.3g}", (v, yi), xytext=(3 if v >= 0 else -3, 0),
                        textcoords="offset points", ha="left" if v >= 0 else "right",
                        va="center", fontsize=7, color="#333333")
        ax.set_title(f"{state['iso3']} {state.get('name', '')}:  ΔS = {state['delta']:+.4g}",
                     loc="left", fontsize=9.5, fontweight="bold")
        ax.tick_params(axis="x", labelsize=7)
        ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
        ax.set_axisbelow(True)
    axes[-1].set_xlabel(lab["contribution_axis"], fontsize=8)
    return fig


def contributions_svg(
    states: Sequence[Mapping[str, Any]],
    *,
    actors: Iterable[str] = (),
    n_states: int = 4,
    top: int = 6,
    lang: str = "en",
) -> str:
    """The contributions chart as an inline ``<svg>`` element."""
    with svg_style("indivisible-contributions"):
        fig = contributions_figure(states, actors=actors, n_states=n_states, top=top, lang=lang)
        return figure_svg(fig)
