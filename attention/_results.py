"""The shared face of every result object.

A result is a frozen dataclass: its fields are read-only, ``summary()`` gives
text, ``to_frame()`` a DataFrame, ``plot(ax=None)`` a matplotlib figure, and
notebooks render it through ``_repr_html_``.
"""

from __future__ import annotations

import html
import math

import pandas as pd


class ResultMixin:
    """Text, table and notebook views shared by all results."""

    def summary(self) -> str:  # pragma: no cover - every result overrides it
        raise TypeError(f"{type(self).__name__} must define summary()")

    def to_frame(self) -> pd.DataFrame:  # pragma: no cover - every result overrides it
        raise TypeError(f"{type(self).__name__} must define to_frame()")

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        table = self.to_frame().to_html(float_format=lambda v: f"{v:.4g}", border=0)
        return f"<pre>{html.escape(self.summary())}</pre>\n{table}"


def fmt_p(p: float) -> str:
    """A p-value the way a reader wants it: never 0, few digits."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "n/a"
    if p < 0.001:
        return "<0.001"
    return f"{p:.3f}"


def new_axes(ax, nrows: int = 1, ncols: int = 1, figsize=(8, 4)):
    """Return (figure, axes), creating them when ``ax`` is None.

    matplotlib is imported here, on first plot, to keep ``import attention`` fast.
    """
    if ax is not None:
        return ax.figure if not hasattr(ax, "__len__") else ax[0].figure, ax
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - matplotlib is a dependency
        from .errors import MissingDependencyError

        raise MissingDependencyError("plot() needs matplotlib: pip install matplotlib") from exc
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize)
    return fig, axes
