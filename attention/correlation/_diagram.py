"""Drawings of tested links: nodes, arrows whose width is the effect, and surrogate nulls."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._results import fmt_p, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


_HOLDS, _WEAK, _WRONG = "#2a9d8f", "#8d99ae", "#e76f51"


def _draw_links(ax: Axes, nodes: dict[str, Any], links: pd.DataFrame, keys: dict[str, tuple[str, str]], p_col: str,
                title: str) -> None:
    """Nodes on a canvas, one curved arrow per link: width = |effect size|, colour = outcome.

    ``nodes``: key -> ((x, y), heading, series name); ``keys``: link name ->
    (cause key, effect key); ``p_col``: the p-value printed on each arrow.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Circle, FancyArrowPatch

    radius = 0.15
    for (x, y), heading, label in nodes.values():
        ax.add_patch(Circle((x, y), radius, facecolor="#f3f1ec", edgecolor="#444", lw=1.2, zorder=3))
        ax.text(x, y + 0.005, heading, ha="center", va="bottom", fontsize=10, weight="bold", zorder=4)
        short = textwrap.shorten(label, 40, placeholder="...")
        ax.text(x, y - 0.01, textwrap.fill(short, 17), ha="center", va="top", fontsize=6.5, color="#555", zorder=4)
    for name, r in links.iterrows():
        cause, effect = keys[name]
        (x1, y1), (x2, y2) = nodes[cause][0], nodes[effect][0]
        d = np.array([x2 - x1, y2 - y1])
        u = d / np.hypot(*d)
        start, end = np.array([x1, y1]) + (radius + 0.015) * u, np.array([x2, y2]) - (radius + 0.015) * u
        if r["holds"]:
            colour, style = _HOLDS, "-"
        elif r["sign"] == r["expected_sign"]:
            colour, style = _WEAK, "--"
        else:
            colour, style = _WRONG, "--"
        rad = 0.25
        width = 1.0 + 16.0 * min(abs(r["effect_size"]), 0.6)
        ax.add_patch(
            FancyArrowPatch(
                tuple(start), tuple(end), connectionstyle=f"arc3,rad={rad}",
                arrowstyle=f"-|>,head_length={0.6 + width / 12:.2f},head_width={0.35 + width / 18:.2f}",
                mutation_scale=14, lw=width, color=colour, linestyle=style, zorder=2,
            )
        )
        se = end - start
        mid = (start + end) / 2 + 0.5 * rad * np.array([se[1], -se[0]])  # the arc's midpoint
        mid = mid + 0.12 * np.array([u[1], -u[0]])  # and a little outside it
        ax.text(
            mid[0], mid[1], f"{r['effect_size']:+.2f} sd, lag {int(r['lags'])}\n{p_col} = {fmt_p(r[p_col])}",
            ha="center", va="center", fontsize=8, color=colour, zorder=5,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85},
        )
    handles = [
        Line2D([], [], color=_HOLDS, lw=3, label="holds: claimed sign, p <= alpha"),
        Line2D([], [], color=_WEAK, lw=3, ls="--", label="claimed sign, not significant"),
        Line2D([], [], color=_WRONG, lw=3, ls="--", label="opposite sign"),
    ]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3, fontsize=7, frameon=False)
    ax.text(0.5, 0.0, "arrow width = |standardised cumulative effect| (sd of effect per sd of cause)",
            ha="center", va="bottom", fontsize=7, color="#555", transform=ax.transAxes)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=10)


def _null_histograms(
    ax: Axes | None, links: pd.DataFrame, null: dict[str, Any], p_col: str, surrogate: str
) -> Figure:
    fig, axes = new_axes(ax, 1, len(links), figsize=(3.7 * len(links), 3.2))
    for a, (name, r) in zip(np.atleast_1d(axes), links.iterrows()):
        a.hist(null[name], bins=40, color="#c7d3e3")
        a.axvline(r.t_stat, color="#c44e52", lw=2, label=f"observed t = {r.t_stat:+.2f}")
        a.set(title=f"{name}\np = {fmt_p(r[p_col])}", xlabel=f"t of summed lag effect ({surrogate} null)")
        a.legend(fontsize=8)
    fig.tight_layout()
    return fig
