"""Reference kernels the benchmarks time against; the library's own loop uses correlation._surrogates."""

from __future__ import annotations

import numpy as np


def _sum_t_stats(y: np.ndarray, own: np.ndarray, causes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """t statistic and sum of the cause-lag coefficients, for a batch of cause matrices.

    ``y`` (n,), ``own`` (n, k) the regressors every model shares (constant and
    the effect's own lags), ``causes`` (b, n, L). By Frisch-Waugh-Lovell both y
    and the cause lags are first residualised on ``own``, so each surrogate
    costs one small L x L solve. (The loop tests use ``attention.correlation._surrogates._link_stats``, which
    also chooses lags; this one-lag kernel is kept for ``benchmarks/run.py``.)
    """
    q, _ = np.linalg.qr(own)
    yr = y - q @ (q.T @ y)
    xr = causes - q @ (q.T @ causes)
    xr_t = xr.transpose(0, 2, 1)
    xtx = xr_t @ xr
    xty = xr_t @ yr
    inv = np.linalg.inv(xtx)
    beta = (inv @ xty[..., None])[..., 0]
    n, k = own.shape
    lags = causes.shape[2]
    ssr = np.maximum(yr @ yr - np.sum(beta * xty, axis=1), 0.0)  # cancellation can dip below 0
    var_sum = ssr / (n - k - lags) * inv.sum(axis=(1, 2))  # 1' inv 1: variance of the summed betas
    total = beta.sum(axis=1)
    return total / np.sqrt(var_sum), total


def _shifted_lags(x: np.ndarray, lags: int, shifts: np.ndarray) -> np.ndarray:
    """``lagmat(np.roll(x, k), lags)`` for every k in ``shifts``, as one (b, n-lags, lags) array."""
    n = len(x)
    t = np.arange(lags, n)[:, None] - np.arange(1, lags + 1)[None, :]
    return x[(t[None] - shifts[:, None, None]) % n]
