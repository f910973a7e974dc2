"""Least-squares pieces shared by the regression tests: lag matrices, SSR, trend terms."""

from __future__ import annotations

import numpy as np


def lagmat(x: np.ndarray, lags: int, start: int | None = None) -> np.ndarray:
    """Rows t = start..n-1 of [x_{t-1}, ..., x_{t-lags}] (x 1-d or 2-d; blocks of columns per lag).

    ``start`` defaults to ``lags``, the first row with every lag.
    """
    start = lags if start is None else start
    n = len(x)
    if lags == 0:
        return np.empty((n - start, 0))
    blocks = [x[start - k : n - k] for k in range(1, lags + 1)]
    return np.column_stack(blocks) if x.ndim == 1 else np.hstack(blocks)


def trend_terms(rows: int, trend: str, start: int) -> np.ndarray:
    """Constant, linear and quadratic trend columns for t = start..start+rows-1 (``"n"``, ``"c"``, ``"ct"``, ``"ctt"``)."""
    t = np.arange(start + 1, start + rows + 1, dtype=float)
    cols = []
    if trend.startswith("c"):
        cols.append(np.ones(rows))
    if trend in ("ct", "ctt"):
        cols.append(t)
    if trend == "ctt":
        cols.append(t**2)
    return np.column_stack(cols) if cols else np.empty((rows, 0))


def ssr(y: np.ndarray, X: np.ndarray) -> float:
    """Residual sum of squares of the least-squares fit of ``y`` on ``X`` (``y'y`` when X has no columns)."""
    if X.shape[1] == 0:
        return float(y @ y)
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ beta
    return float(resid @ resid)


def standardise(x: np.ndarray) -> np.ndarray:
    """Mean 0, sample sd 1."""
    scaled: np.ndarray = (x - x.mean()) / x.std(ddof=1)
    return scaled
