"""Multiple-testing corrections: Holm for a few claims, Benjamini-Hochberg for screens."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ..errors import DataError


def _pvalues(pvalues: Iterable[float] | np.ndarray[Any, Any]) -> np.ndarray[Any, np.dtype[np.float64]]:
    """A 1-d float array of p-values, or a DataError: NaN or 1.3 in a family would corrupt every adjusted value."""
    try:
        p = np.asarray(pvalues, dtype=float)
    except (TypeError, ValueError):
        raise DataError(f"pvalues: expected a sequence of numbers between 0 and 1, got {pvalues!r}") from None
    if p.ndim != 1:
        raise DataError(f"pvalues: expected a one-dimensional sequence, got shape {p.shape}")
    bad = ~((p >= 0) & (p <= 1))
    if bad.any():
        raise DataError(f"pvalues: expected p-values between 0 and 1, got {p[bad][0]!r} at position {int(np.argmax(bad))}")
    return p


def benjamini_hochberg(pvalues: Iterable[float] | np.ndarray[Any, Any]) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Benjamini-Hochberg adjusted p-values: the false discovery rate when screening many tests.

    Use it when many terms (or tickers) are screened and a few discoveries are
    expected; use :func:`holm` for a handful of claims that must each hold.

    Raises
    ------
    DataError
        If a p-value is missing or outside [0, 1].

    Examples
    --------
    >>> benjamini_hochberg([0.01, 0.04, 0.03]).round(3).tolist()
    [0.03, 0.04, 0.04]
    """
    p = _pvalues(pvalues)
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

    Raises
    ------
    DataError
        If a p-value is missing or outside [0, 1].

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03]).round(2).tolist()
    [0.03, 0.06, 0.06]
    """
    p = _pvalues(pvalues)
    m = len(p)
    order = np.argsort(p)
    adjusted = np.maximum.accumulate((m - np.arange(m)) * p[order]).clip(max=1.0)
    out = np.empty(m)
    out[order] = adjusted
    return out
