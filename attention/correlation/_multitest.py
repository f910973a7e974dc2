"""Multiple-testing corrections: Holm for a few claims, Benjamini-Hochberg for screens."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np


def benjamini_hochberg(pvalues: Iterable[float] | np.ndarray[Any, Any]) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Benjamini-Hochberg adjusted p-values: the false discovery rate when screening many tests.

    Use it when many terms (or tickers) are screened and a few discoveries are
    expected; use :func:`holm` for a handful of claims that must each hold.

    Examples
    --------
    >>> benjamini_hochberg([0.01, 0.04, 0.03]).round(3).tolist()
    [0.03, 0.04, 0.04]
    """
    p = np.asarray(pvalues, dtype=float)
    m = len(p)
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1].clip(max=1.0)
    out = np.empty(m)
    out[order] = adjusted
    return out


def holm(pvalues: Iterable[float] | np.ndarray[Any, Any]) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Holm's step-down adjustment of a family of p-values.

    Controls the family-wise error rate under any dependence between tests.

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03]).round(2).tolist()
    [0.03, 0.06, 0.06]
    """
    p = np.asarray(pvalues, dtype=float)
    m = len(p)
    order = np.argsort(p)
    adjusted = np.maximum.accumulate((m - np.arange(m)) * p[order]).clip(max=1.0)
    out = np.empty(m)
    out[order] = adjusted
    return out
