"""The link battery: regressions of each effect on its own lags and a cause's, and their surrogate nulls.

One engine serves the loop, the rotation and the rolling windows: the own-lag
block of each effect is factorised once, every surrogate of the cause costs
one small solve, and circular shifts are computed for all shifts at once by FFT.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._linalg import standardise
from .._validate import positive_int
from ..errors import DataError
from ._multitest import holm


#: Surrogates x periods per batch (8 MB per float64 array; a stationary-bootstrap batch holds about six).
_CHUNK_CELLS = 1_000_000
_SURROGATES = ("circular", "stationary")
_SURROGATE_LABEL = {"circular": "circular-shift", "stationary": "stationary-bootstrap"}


def _min_shift(max_lag: int) -> int:
    """Shortest circular shift used: the shifted cause's lags never overlap the data's own lags 1..max_lag.

    Shorter shifts would keep part of a real effect in the surrogates (and cost
    power). Any longer guard band makes the test anti-conservative for
    persistent causes: the statistic is autocorrelated across shifts, so
    dropping the data's neighbours drops its most similar competitors. With
    independent AR(1) phi = 0.9, n = 250, the 5% test rejected about 6.0% with
    the former band of 2L+1 and 5.5% with this one; all shifts gave 5.0% but
    lost power (docs/feedback_loop.md).
    """
    return max_lag


class _Effect:
    """What every regression of one effect series shares, whatever the cause.

    Rows are the common sample t = max_lag..n-1, so that regressions with
    different lags are compared on the same data. The block every model of
    this effect shares - a constant, then for each lag j = 1..max_lag the
    effect at t - j and each control at t - j - is orthonormalised once; QR
    keeps spans nested (the first ``width[L]`` columns of Q span the constant
    and lags 1..L of the effect and the controls), so one factorisation
    serves every lag L.
    """

    def __init__(self, y: np.ndarray[Any, Any], max_lag: int, name: str, controls: Sequence[np.ndarray[Any, Any]] = ()) -> None:
        n = len(y)
        m = n - max_lag
        per_lag = [y, *controls]
        own = np.column_stack([np.ones(m)] + [v[max_lag - j : n - j] for j in range(1, max_lag + 1) for v in per_lag])
        q, r = np.linalg.qr(own)
        d = np.abs(np.diag(r))
        if d.min() <= 1e-8 * d.max():
            what = "its own lags and the controls' lags are" if controls else "its own lags are"
            raise DataError(
                f"{name}: {what} collinear (a periodic or degenerate series, or a control that copies "
                "the effect); regressions on them are undefined - check the series, the controls or use fewer lags"
            )
        self.n, self.K, self.m, self.q, self.y = n, max_lag, m, q, y[max_lag:]
        self.width = [1 + L * len(per_lag) for L in range(max_lag + 1)]
        self.qy = q.T @ self.y
        self.cols = np.column_stack([q, self.y])  # (m, W + 1): what the cause lags are crossed with
        # resid[L], ssr_r[L]: residual of y on the shared block up to lag L, and its sum of squares.
        self.resid = [self.y - q[:, :w] @ self.qy[:w] for w in self.width]
        self.ssr_r = np.array([r @ r for r in self.resid])
        self.leverage = [np.einsum("mk,mk->m", q[:, :w], q[:, :w]) for w in self.width]  # of the shared block
        self._spectrum: np.ndarray[Any, Any] | None = None

    def cross(self, xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Cross-products of the lags of each row of ``xs`` (b, n): X'X (b, K, K) and X'[Q y] (b, K, W+1).

        Row j - 1 of X is the cause at t - j on the common rows; no (b, K, m)
        lag array is built. X'[Q y] is K matrix products over column slices of
        ``xs``; an entry of X'X with lags i >= j is the sum of x_u x_{u+i-j}
        over all u, less the few products outside the common rows.
        """
        b, n = xs.shape
        K, m = self.K, self.m
        xc = np.empty((b, K, self.cols.shape[1]))
        for j in range(1, K + 1):
            xc[:, j - 1] = xs[:, K - j : K - j + m] @ self.cols
        xx = np.empty((b, K, K))
        for d in range(K):
            full = np.einsum("bu,bu->b", xs[:, : n - d], xs[:, d:])
            head = np.zeros((b, K + 1))  # head[:, k] = sum_{u<k} x_u x_{u+d}
            np.cumsum(xs[:, :K] * xs[:, d : K + d], axis=1, out=head[:, 1:])
            tail = np.zeros((b, K - d + 1))  # tail[:, k] = sum_{u>=n-K+k} x_u x_{u+d}
            tail[:, :-1] = np.cumsum((xs[:, n - K : n - d] * xs[:, n - K + d :])[:, ::-1], axis=1)[:, ::-1]
            for i in range(d + 1, K + 1):  # lags i and i - d: sum over u = K-i..n-1-i
                xx[:, i - 1, i - d - 1] = xx[:, i - d - 1, i - 1] = full - head[:, K - i] - tail[:, K - i]
        return xx, xc

    def cross_circular(self, x: np.ndarray, shifts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`cross` of ``np.roll(x, s)`` for every s in ``shifts``, without building them.

        For a circular shift every cross-product is a circular cross-correlation
        of x, computed once for all shifts by FFT; X'X is x's circular
        autocovariance less the K rows before the common sample.
        """
        n, K, m = self.n, self.K, self.m
        if self._spectrum is None:
            pad = np.zeros((n, self.cols.shape[1]))
            pad[:m] = self.cols
            self._spectrum = np.conj(np.fft.rfft(pad, axis=0))
        # corr[k] = sum_u cols[u] x[(u + k) % n]; lag j of roll(x, s) on the common rows starts at k = K - j - s.
        corr = np.fft.irfft(self._spectrum * np.fft.rfft(x)[:, None], n, axis=0)
        j = np.arange(1, K + 1)
        xc = corr[(K - j[None, :] - shifts[:, None]) % n]
        acov = np.array([x @ np.roll(x, -d) for d in range(K)])
        head = x[(np.arange(K)[None, :, None] - j[None, None, :] - shifts[:, None, None]) % n]  # (b, t < K, lag)
        xx = acov[np.abs(j[:, None] - j[None, :])][None] - np.einsum("bti,btj->bij", head, head)
        return xx, xc


def _solve(a: np.ndarray[Any, Any], rhs: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    try:
        solved: np.ndarray[Any, Any] = np.linalg.solve(a, rhs)
    except np.linalg.LinAlgError:  # an exactly singular surrogate: the pseudo-inverse gives a finite answer
        solved = np.linalg.pinv(a) @ rhs
    return solved


def _link_stats(eff: _Effect, xx: np.ndarray[Any, Any], xc: np.ndarray[Any, Any], lag_set: tuple[int, ...]) -> dict[str, np.ndarray[Any, Any]]:
    """Regressions of the effect on the shared block and the cause's lags, for a batch of causes.

    ``xx``, ``xc``: the cross-products from :meth:`_Effect.cross`. For each lag
    L in ``lag_set`` the model is
    ``y_t = a + sum_{j<=L} (b_j y_{t-j} + d_j' z_{t-j} + c_j x_{t-j}) + e_t``
    (z the controls); with more than one candidate each cause picks its own L
    by BIC. By Frisch-Waugh-Lovell the cause lags only enter through their
    residuals on the shared block, whose cross-products follow from X'X and
    X'Q, so each cause and lag costs one L x L solve.

    Returns (b,) arrays: ``t`` (classical t of sum c_j), ``total`` (sum c_j),
    ``ssr``, ``lag``, ``df`` (residual degrees of freedom), and (b, K) arrays
    ``beta`` (the c_j) and ``w`` (A^-1 1, A = X_L' M X_L), zero beyond the lag.
    """
    b = xx.shape[0]
    K, m, W = eff.K, eff.m, eff.q.shape[1]
    xq, xy = xc[:, :, :W], xc[:, :, W]
    best: dict[str, np.ndarray[Any, Any]] | None = None
    for L in lag_set:
        k = eff.width[L]
        p = xq[:, :L, :k]
        a = xx[:, :L, :L] - p @ p.transpose(0, 2, 1)  # X_L' M_L X_L
        c = xy[:, :L] - p @ eff.qy[:k]  # X_L' M_L y
        sol = _solve(a, np.stack([c, np.ones_like(c)], axis=2))
        beta, w = np.zeros((b, K)), np.zeros((b, K))
        beta[:, :L], w[:, :L] = sol[..., 0], sol[..., 1]  # w = A^-1 1, so 1' A^-1 1 = sum(w)
        ssr = np.maximum(eff.ssr_r[L] - np.einsum("bl,bl->b", beta[:, :L], c), 0.0)  # cancellation can dip below 0
        df = m - k - L
        total = beta.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            t = total / np.sqrt(ssr / df * w.sum(axis=1))
            bic = m * np.log(ssr / m) + (k + L) * np.log(m)
        cur = {"t": t, "total": total, "ssr": ssr, "lag": np.full(b, L), "df": np.full(b, df), "bic": bic,
               "beta": beta, "w": w}
        if best is None:
            best = cur
        else:
            better = cur["bic"] < best["bic"]  # ties keep the shorter lag
            best = {key: np.where(better if v.ndim == 1 else better[:, None], cur[key], v) for key, v in best.items()}
    assert best is not None  # lag_set is never empty
    return best


def _studentised(eff: _Effect, xs: np.ndarray[Any, Any], fit: dict[str, np.ndarray[Any, Any]], se: str) -> dict[str, np.ndarray[Any, Any]]:
    """The t of the summed cause coefficients with ``se`` standard errors, from explicit residuals.

    ``xs`` (b, n): the causes whose fits :func:`_link_stats` returned in
    ``fit``. ``se="hc1"``: White's heteroskedasticity-consistent variance with
    the n / (n - k) correction (MacKinnon & White 1985), statsmodels' HC1:
    ``w' [sum_t e_t^2 x_t x_t'] w * m / df`` with x_t the cause lags
    residualised on the shared block (by Frisch-Waugh-Lovell the same as in
    the full regression) and w = A^-1 1. ``se="hc3"``: the same without the
    correction, each e_t divided by 1 - h_t (h_t the leverage of row t in the
    full regression), statsmodels' HC3. ``se="classical"``: ``ssr / df *
    1' A^-1 1``. Studentising every surrogate the same way makes the
    surrogate test valid when the effect's variance moves with the cause
    (DiCiccio & Romano 2017). Residuals are computed, not obtained by
    subtracting sums of squares, so near-perfect fits keep their precision.

    Returns (b,) arrays ``t``, ``se`` (of the summed coefficients) and ``ssr``.
    """
    b, m, K = xs.shape[0], eff.m, eff.K
    out = {key: np.empty(b) for key in ("t", "se", "ssr")}
    for L in np.unique(fit["lag"]):
        rows = fit["lag"] == L
        sub = xs if rows.all() else xs[rows]
        beta, w, df = fit["beta"][rows, :L], fit["w"][rows, :L], fit["df"][rows]
        # Time down the rows, causes across: each lag's residuals on the shared block are two matrix products.
        xt = np.ascontiguousarray(sub.T)  # (n, b)
        q = eff.q[:, : eff.width[L]]
        X = np.empty((L, m, len(sub)))
        for j in range(1, L + 1):
            lagged = xt[K - j : K - j + m]
            X[j - 1] = lagged - q @ (q.T @ lagged)
        e = eff.resid[L][:, None] - sum(X[j] * beta[:, j] for j in range(L))  # (m, b)
        ssr = np.einsum("mb,mb->b", e, e)
        if se in ("hc1", "hc3"):
            u = e * sum(X[j] * w[:, j] for j in range(L))
            if se == "hc3":  # each residual inflated by 1 / (1 - leverage): a jackknife-like variance
                A = np.einsum("imb,jmb->bij", X, X)
                inv = np.linalg.pinv(A)
                h = eff.leverage[L][:, None] + sum(X[i] * X[j] * inv[:, i, j] for i in range(L) for j in range(L))
                u /= np.clip(1 - h, 1e-12, None)
                var = np.einsum("mb,mb->b", u, u)
            else:
                var = np.einsum("mb,mb->b", u, u) * m / df
        else:
            var = ssr / df * w.sum(axis=1)
        out["se"][rows], out["ssr"][rows] = np.sqrt(var), ssr
    total = fit["total"]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = total / out["se"]
    # An exact fit has no residual variance: its t is infinite in the estimate's direction (0 if there is none).
    out["t"] = np.where(out["se"] > 0, t, np.sign(total) * np.inf)
    out["t"][np.isnan(out["t"])] = 0.0
    return out


def _stationary_indices(rng: np.random.Generator, b: int, n: int, block: float) -> np.ndarray[Any, Any]:
    """(b, n) indices of b stationary-bootstrap series (Politis & Romano 1994), one per row.

    Each period starts a new block with probability 1 / ``block`` (the first
    always does), so block lengths are geometric with mean ``block``; a block
    starts at a uniform random position and wraps around the end. Vectorised
    over all rows at once: the start of each block, less its position, is
    carried forward by a cumulative sum of its changes.
    """
    new = rng.random(b * n) < 1.0 / block
    new[::n] = True
    pos = np.flatnonzero(new)
    col = pos % n
    offset = rng.integers(0, n, size=len(pos)) - col  # index = offset of the current block + position
    step = np.zeros(b * n, dtype=np.int64)
    step[pos] = np.diff(offset, prepend=0)
    return ((np.cumsum(step) + np.tile(np.arange(n), b)) % n).reshape(b, n)


def _politis_white(x: np.ndarray) -> float:
    """Mean block length of the stationary bootstrap by Politis & White (2004).

    With Patton, Politis & White's (2009) correction D_SB = 2 g(0)^2, so
    b = (G / g(0))^(2/3) n^(1/3), where g(0) = sum_k lambda(k/M) R(k) and
    G = sum_k lambda(k/M) |k| R(k) use the flat-top lag window lambda and the
    bandwidth M = 2 m_hat of Politis (2003): m_hat is the first lag after
    which K_N = max(5, ceil(sqrt(log10 n))) autocorrelations in a row are
    inside +-2 sqrt(log10(n) / n). Clipped to [1, ceil(min(3 sqrt(n), n/3))];
    n^(1/3) when the estimate degenerates.
    """
    n = len(x)
    fallback = float(n ** (1 / 3))
    e = x - x.mean()
    k_n = max(5, int(np.ceil(np.sqrt(np.log10(n)))))
    m_max = min(int(np.ceil(np.sqrt(n))) + k_n, n - 1)
    b_max = float(np.ceil(min(3 * np.sqrt(n), n / 3)))
    acov = np.array([e[k:] @ e[: n - k] for k in range(m_max + 1)]) / n
    if not acov[0] > 0:
        return fallback
    small = np.abs(acov[1:] / acov[0]) < 2 * np.sqrt(np.log10(n) / n)  # lags 1..m_max
    m_hat = next((m for m in range(m_max - k_n + 1) if small[m : m + k_n].all()), None)
    big_m = m_max if m_hat is None else min(2 * max(m_hat, 1), m_max)
    k = np.arange(1, big_m + 1)
    lam = np.where(k / big_m <= 0.5, 1.0, 2 * (1 - k / big_m))
    g0 = acov[0] + 2 * np.sum(lam * acov[k])
    big_g = 2 * np.sum(lam * k * acov[k])
    if not (np.isfinite(g0) and g0 > 0):
        return fallback
    return float(np.clip((abs(big_g) / g0) ** (2 / 3) * n ** (1 / 3), 1.0, b_max))


_SE = ("hc3", "hc1", "classical")
#: Power at which the minimum detectable effect is quoted, and its normal quantile.
_MDE_POWER, _Z_POWER = 0.8, 0.8416212335729143


@dataclass(frozen=True)
class _Plan:
    """How each link is tested: candidate lags, controls, surrogates, standard errors, level."""

    lag_set: tuple[int, ...]
    max_lag: int
    n_surrogates: int
    surrogate: str
    block_length: float | None
    alpha: float
    se: str = "hc3"
    min_effect: float = 0.1
    n_controls: int = 0

    @property
    def min_obs(self) -> int:
        # 2*K+1 coefficients and ten residual degrees of freedom, room for many distinct shifts (the
        # threshold of earlier versions), and one more row per control coefficient.
        return max(4 * self.max_lag + 12, 2 * (2 * self.max_lag + 1) + 20) + self.n_controls * self.max_lag

    @property
    def why(self) -> str:
        with_controls = f" and {self.n_controls} control(s)" if self.n_controls else ""
        if len(self.lag_set) == 1:
            return f"for lags={self.max_lag}{with_controls}"
        return f"for lags='bic' with max_lag={self.max_lag}{with_controls}"


def _make_plan(
    lags: int | str, max_lag: int, n_surrogates: int, surrogate: str, block_length: float | None, alpha: float,
    se: str = "hc3", min_effect: float = 0.1, n_controls: int = 0,
) -> _Plan:
    if isinstance(lags, str):
        if lags.lower() != "bic":
            raise DataError(f"lags: expected a positive integer or 'bic', got {lags!r}")
        max_lag = positive_int(max_lag, "max_lag")
        lag_set = tuple(range(1, max_lag + 1))
    else:
        if isinstance(lags, bool) or not isinstance(lags, (int, np.integer)) or lags < 1:
            raise DataError(f"lags: expected a positive integer or 'bic', got {lags!r}")
        max_lag = int(lags)
        lag_set = (max_lag,)
    n_surrogates = positive_int(n_surrogates, "n_surrogates", minimum=19)
    if surrogate not in _SURROGATES:
        raise DataError(f"surrogate: expected 'circular' or 'stationary', got {surrogate!r}")
    if block_length is not None:
        if surrogate != "stationary":
            raise DataError("block_length: only used with surrogate='stationary'")
        if isinstance(block_length, bool) or not isinstance(block_length, (int, float)) or not block_length >= 1:
            raise DataError(f"block_length: expected a number >= 1 (mean block length in periods), got {block_length!r}")
        block_length = float(block_length)
    if isinstance(alpha, bool) or not (isinstance(alpha, (int, float)) and 0 < alpha < 0.5):
        raise DataError(f"alpha: expected a number between 0 and 0.5, got {alpha!r}")
    if se not in _SE:
        raise DataError(f"se: expected 'hc3', 'hc1' or 'classical', got {se!r}")
    if isinstance(min_effect, bool) or not (isinstance(min_effect, (int, float)) and 0 < min_effect < np.inf):
        raise DataError(f"min_effect: expected a positive number (standard deviations), got {min_effect!r}")
    return _Plan(lag_set, max_lag, n_surrogates, surrogate, block_length, float(alpha), se, float(min_effect), n_controls)


def _order_bounds(null: np.ndarray, alpha: float) -> tuple[float, float]:
    """The k-th smallest and k-th largest surrogate statistic, k = floor(alpha (B + 1)).

    A statistic beyond the k-th largest has ``(1 + #{T* >= T}) / (B + 1) <= alpha``
    and one at or below it does not, so intervals built from these agree with
    the test exactly. Infinite when B is too small for the level.
    """
    k = int(np.floor(alpha * (len(null) + 1) + 1e-9))
    if k < 1:
        return -np.inf, np.inf
    ordered = np.sort(null)
    return float(ordered[k - 1]), float(ordered[len(null) - k])


def _surrogate_series(x: np.ndarray[Any, Any], plan: _Plan, rng: np.random.Generator, shifts: np.ndarray[Any, Any] | None, lo: int, hi: int,
                      block: float | None) -> np.ndarray[Any, Any]:
    """Surrogates lo..hi-1 of the cause, one per row."""
    n = len(x)
    if plan.surrogate == "circular":  # np.roll(x, s) is the window of x twice over that starts at -s mod n
        assert shifts is not None  # drawn for circular surrogates
        windows: np.ndarray[Any, Any] = np.lib.stride_tricks.sliding_window_view(np.concatenate([x, x]), n)
        picked: np.ndarray[Any, Any] = windows[-shifts[lo:hi] % n]
        return picked
    assert block is not None  # chosen for stationary surrogates
    drawn: np.ndarray[Any, Any] = x[_stationary_indices(rng, hi - lo, n, block)]
    return drawn


def _run_links(
    frame: pd.DataFrame, pairs: Sequence[tuple[str, str]], signs: Sequence[int], plan: _Plan, rng: np.random.Generator,
    names: dict[str, str], controls: dict[tuple[str, str], tuple[str, ...]] | None = None,
) -> tuple[dict[str, dict[str, Any]], dict[str, np.ndarray[Any, Any]], dict[str, float | None]]:
    """Observed and surrogate statistics of every ``cause -> effect`` pair of columns of ``frame``.

    ``controls`` maps a pair to the columns of ``frame`` whose lags enter that
    link's regression as controls (none when missing).

    Returns ``rows`` (link name -> table row), ``null`` (link name -> the
    surrogate statistics, signed by the claim) and ``blocks`` (link name ->
    mean block length of the stationary bootstrap, or None).
    """
    from scipy import stats

    n, K, B = len(frame), plan.max_lag, plan.n_surrogates
    z = {k: standardise(frame[k].to_numpy(dtype=float)) for k in frame.columns}
    shifts: np.ndarray[Any, Any] | None = None
    if plan.surrogate == "circular":
        min_shift = _min_shift(K)
        shifts = rng.integers(min_shift, n - min_shift + 1, size=B)
    per_chunk = max(1, _CHUNK_CELLS // (n * K))  # the studentising step holds (chunk, n, lags) arrays
    controls = controls or {}
    rows: dict[str, dict[str, Any]] = {}
    null: dict[str, np.ndarray[Any, Any]] = {}
    blocks: dict[str, float | None] = {}
    for (cause, effect), sign in zip(pairs, signs):
        ctrl = controls.get((cause, effect), ())
        eff = _Effect(z[effect], K, names[effect], [z[c] for c in ctrl])
        x = z[cause]
        own_x = np.column_stack([x[K - j : K - j + eff.m] for j in range(1, K + 1)])
        resid = own_x - eff.q @ (eff.q.T @ own_x)
        if np.linalg.svd(resid, compute_uv=False).min() < 1e-6 * np.sqrt(eff.m):
            raise DataError(
                f"{cause} -> {effect} ({names[cause]!r} -> {names[effect]!r}): the cause's lags are a linear "
                "combination of the effect's own lags"
                + (" and the controls'" if ctrl else "")
                + " (is one series a copy, or a lagged copy, of the other?), so the link is not identified. "
                "Check the inputs."
            )
        fit = _link_stats(eff, *eff.cross(x[None]), plan.lag_set)
        obs = {**{k: v[0] for k, v in fit.items()}, **{k: v[0] for k, v in _studentised(eff, x[None], fit, plan.se).items()}}
        block = None
        if plan.surrogate == "stationary":
            block = plan.block_length or _politis_white(x)
        t_null = np.empty(B)
        for lo in range(0, B, per_chunk):
            hi = min(B, lo + per_chunk)
            xs = _surrogate_series(x, plan, rng, shifts, lo, hi, block)
            cross = eff.cross_circular(x, shifts[lo:hi]) if shifts is not None else eff.cross(xs)  # circular
            t_null[lo:hi] = _studentised(eff, xs, _link_stats(eff, *cross, plan.lag_set), plan.se)["t"]
        lag, df, ssr, se = int(obs["lag"]), int(obs["df"]), obs["ssr"], obs["se"]
        t_obs = sign * obs["t"]
        p_surr = (1 + np.sum(sign * t_null >= t_obs)) / (B + 1)
        ssr_r = eff.ssr_r[lag]
        with np.errstate(divide="ignore", invalid="ignore"):
            f_stat = (ssr_r - ssr) / lag / (ssr / df)
        name = f"{cause} -> {effect}"
        null[name] = sign * t_null
        blocks[name] = block
        effect_size = float(obs["total"])  # in sds: the series are standardised
        # Studentised pivot: the surrogate null stands in for the distribution of (estimate - effect) / se.
        lo_t, hi_t = _order_bounds(t_null, plan.alpha)
        ci = (effect_size - hi_t * se, effect_size - lo_t * se) if se > 0 else (effect_size, effect_size)
        critical = _order_bounds(sign * t_null, plan.alpha)[1]
        rows[name] = {
            "cause": names[cause],
            "effect": names[effect],
            "lags": lag,
            "n": eff.m,
            "expected_sign": sign,
            "sign": int(np.sign(effect_size)),
            "effect_size": effect_size,
            "se": float(se),
            "ci_low": float(ci[0]),
            "ci_high": float(ci[1]),
            "mde": float((max(critical, 0.0) + _Z_POWER) * se),
            "partial_r2": float(max(ssr_r - ssr, 0.0) / ssr_r),
            "t_stat": float(t_obs),
            "p_t": float(stats.t.sf(t_obs, df)),
            "p_granger": float(stats.f.sf(f_stat, lag, df)) if not np.isnan(f_stat) else 1.0,
            "p_surrogate": float(p_surr),
        }
    return rows, null, blocks


def _links_table(rows: dict[str, dict[str, Any]], plan: _Plan, *, holds_by: str = "p_surrogate") -> pd.DataFrame:
    """The link rows as a table, with Holm's p-values and what each link's evidence amounts to.

    ``holds``: ``holds_by`` at most alpha, with the claimed sign.
    ``effect_bound``: the interval's end on the claimed side, as a magnitude
    in the claimed direction - effects beyond it are ruled out at level
    1 - alpha. ``conclusion``: "supported" when the link holds; "ruled out"
    when it does not and ``effect_bound`` is below ``min_effect`` (the data
    exclude every effect of a size worth finding); otherwise "inconclusive"
    (too little data to rule out effects of that size).
    """
    links = pd.DataFrame.from_dict(rows, orient="index")
    links["p_holm"] = holm(links["p_surrogate"])
    links["holds"] = (links[holds_by] <= plan.alpha) & (links["sign"] == links["expected_sign"])
    claimed_high = links["expected_sign"] > 0
    links["effect_bound"] = np.where(claimed_high, links["ci_high"], -links["ci_low"])
    links["conclusion"] = np.where(
        links["holds"], "supported", np.where(links["effect_bound"] < plan.min_effect, "ruled out", "inconclusive")
    )
    return links


def _check_signs(signs: Any, k: int, what: str) -> tuple[int, ...]:
    try:
        signs = tuple(signs)
    except TypeError:
        raise DataError(f"signs: expected {k} values each +1 or -1 ({what}), got {signs!r}") from None
    if len(signs) != k or any(isinstance(s, bool) or s not in (1, -1) for s in signs):
        raise DataError(f"signs: expected {k} values each +1 or -1 ({what}), got {signs!r}")
    return tuple(int(s) for s in signs)
