"""Screening many loops at once: Benjamini-Hochberg across (term, ticker) pairs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._results import ResultMixin, fmt_p, new_axes
from ._multitest import benjamini_hochberg

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def bh_screen(table: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """``table`` with ``p_bh`` (Benjamini-Hochberg across its ``p_loop`` column) and ``supported`` added."""
    table = table.copy()
    table["p_bh"] = benjamini_hochberg(table["p_loop"].to_numpy())
    table["supported"] = table["p_bh"] <= alpha
    return table


@dataclass(frozen=True, eq=False, repr=False)
class LoopScreen(ResultMixin):
    """Feedback loops of several (term, ticker) pairs, corrected for the screen.

    ``table`` has one row per pair: each link's standardised effect size,
    ``n``, ``p_loop``, ``p_bh`` (Benjamini-Hochberg across the screen) and
    ``supported``.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame(
    ...     {"returns -> attention": [0.31, 0.02], "attention -> flows": [0.25, -0.05], "flows -> returns": [0.2, 0.1],
    ...      "n": [300, 300], "p_loop": [0.004, 0.41]},
    ...     index=pd.MultiIndex.from_tuples([("stocks", "SPY"), ("debt", "SPY")], names=["term", "ticker"]))
    >>> screen = LoopScreen(bh_screen(table))
    >>> screen
    LoopScreen(loops=2, supported=1)
    >>> screen.to_frame()[["p_bh", "supported"]]  # doctest: +NORMALIZE_WHITESPACE
                    p_bh  supported
    term   ticker
    stocks SPY     0.008       True
    debt   SPY     0.410      False
    """

    table: pd.DataFrame

    def _key_numbers(self) -> dict[str, Any]:
        return {"loops": len(self.table), "supported": int(self.table["supported"].sum())}

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> str:
        t = self.table
        rows = [f"{'term':<14}{'ticker':<7}{'R->A':>7}{'A->F':>7}{'F->R':>7}{'p_loop':>8}{'p_BH':>8}  supported"]
        for (term, ticker), r in t.iterrows():
            rows.append(
                f"{term:<14}{ticker:<7}{r['returns -> attention']:>+7.2f}{r['attention -> flows']:>+7.2f}"
                f"{r['flows -> returns']:>+7.2f}{fmt_p(r.p_loop):>8}{fmt_p(r.p_bh):>8}"
                f"  {'yes' if r.supported else 'no'}"
            )
        supported = int(t["supported"].sum())
        rows += [
            "(R->A, A->F, F->R: standardised effect sizes; tests one-sided for the claimed + signs)",
            "",
            f"{supported} of {len(t)} loops supported after Benjamini-Hochberg at 5%."
            + ("" if supported else " The data do not support a returns -> attention -> flows -> returns loop."),
        ]
        return "\n".join(rows)

    def plot(self, ax: Axes | None = None) -> Figure:
        """Effect size of each link for every (term, ticker) pair."""
        fig, ax = new_axes(ax, figsize=(9, 3.8))
        links = ["returns -> attention", "attention -> flows", "flows -> returns"]
        labels = [f"{term} / {ticker}" for term, ticker in self.table.index]
        x = np.arange(len(labels))
        for i, link in enumerate(links):
            ax.bar(x + (i - 1) * 0.27, self.table[link], width=0.27, label=link)
        ax.axhline(0, color="grey", lw=0.8)
        ax.set_xticks(x, labels, rotation=30, ha="right", fontsize=8)
        ax.set(ylabel="standardised effect", title="Loop links by search term and ETF")
        ax.legend(fontsize=8)
        fig.tight_layout()
        return fig
