"""Does attention lead, or follow? Lead-lag tests that survive autocorrelation.

- :func:`stationarity` - ADF and KPSS on each series, with a plain verdict.
- :func:`granger` - per-lag Granger F-tests (identical to statsmodels' ssr
  F-test), with partial R-squared as the effect size.
- :func:`feedback_loop` - the returns -> attention -> flows -> returns loop,
  link by link: lag fixed or chosen by BIC per link, surrogate p-values
  (circular shifts or the stationary bootstrap), asymptotic t and F p-values
  beside them, Holm's correction, an intersection-union verdict on the loop
  as a whole, and optionally placebo search terms run through the same test.
- :func:`rotation_test` - the same battery on a two-way rotation: the share
  of attention going to one theme against the relative return of its
  benchmark, in both directions, Holm across the two.
- :func:`rolling_stability` - link statistics over rolling windows,
  descriptive only.

statsmodels is imported inside the functions that need it, so that
``import attention`` stays fast.
"""

from __future__ import annotations

import textwrap
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ._results import ResultMixin, fmt_p, new_axes
from ._validate import align, as_frame, as_series, naive_utc, positive_int
from .errors import DataError, NonStationaryWarning

__all__ = [
    "FeedbackLoopResult",
    "GrangerResult",
    "RollingStabilityResult",
    "RotationResult",
    "benjamini_hochberg",
    "feedback_loop",
    "granger",
    "holm",
    "rolling_stability",
    "rotation_test",
    "stationarity",
]

# ---------------------------------------------------------------- stationarity


def stationarity(data, alpha: float = 0.05) -> pd.DataFrame:
    """ADF and KPSS tests on each column, and whether both call it stationary.

    ADF's null is a unit root, KPSS's null is stationarity, so a series is
    called stationary only when ADF rejects and KPSS does not.

    Parameters
    ----------
    data : Series or DataFrame
    alpha : float
        Level of both tests.

    Returns
    -------
    DataFrame
        One row per series: ``n``, ``adf_stat``, ``adf_p``, ``kpss_stat``,
        ``kpss_p`` (KPSS p-values are interpolated from a table that stops
        at 0.01 and 0.10, so they are clipped there), ``stationary``.

    Raises
    ------
    DataError
        If a series has fewer than 20 observations.
    """
    from statsmodels.tools.sm_exceptions import InterpolationWarning
    from statsmodels.tsa.stattools import adfuller, kpss

    frame = as_frame(data, "data")
    rows = {}
    for name in frame.columns:
        x = frame[name].dropna().to_numpy()
        if len(x) < 20:
            raise DataError(f"data[{name!r}]: stationarity tests need at least 20 observations, got {len(x)}")
        adf = adfuller(x, autolag="AIC", result_object=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InterpolationWarning)
            kp = kpss(x, regression="c", nlags="auto", result_object=True)
        rows[name] = {
            "n": len(x),
            "adf_stat": adf.statistic,
            "adf_p": adf.pvalue,
            "kpss_stat": kp.statistic,
            "kpss_p": kp.pvalue,
            "stationary": bool(adf.pvalue < alpha and kp.pvalue > alpha),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def _warn_nonstationary(table: pd.DataFrame) -> None:
    bad = table.index[~table["stationary"]].tolist()
    if bad:
        warnings.warn(
            f"{bad} may not be stationary (ADF/KPSS); test changes, not levels "
            "(attention.scoring.log_change, asvi; attention.market.log_returns)",
            NonStationaryWarning,
            stacklevel=3,
        )


# ---------------------------------------------------------------- regression core


def benjamini_hochberg(pvalues) -> np.ndarray:
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


def holm(pvalues) -> np.ndarray:
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


def _lags(x: np.ndarray, lags: int) -> np.ndarray:
    """Columns x_{t-1}, ..., x_{t-lags} for t = lags..n-1."""
    n = len(x)
    return np.column_stack([x[lags - k : n - k] for k in range(1, lags + 1)])


def _ssr(y: np.ndarray, X: np.ndarray) -> float:
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ beta
    return float(resid @ resid)


def _granger_f(effect: np.ndarray, cause: np.ndarray, lag: int):
    """The ssr-based F test that ``cause``'s lags add nothing to ``effect``'s own."""
    from scipy import stats

    y = effect[lag:]
    ones = np.ones((len(y), 1))
    restricted = np.hstack([ones, _lags(effect, lag)])
    unrestricted = np.hstack([restricted, _lags(cause, lag)])
    ssr_r, ssr_u = _ssr(y, restricted), _ssr(y, unrestricted)
    df_denom = len(y) - unrestricted.shape[1]
    f = (ssr_r - ssr_u) / lag / (ssr_u / df_denom)
    return f, stats.f.sf(f, lag, df_denom), df_denom, len(y), (ssr_r - ssr_u) / ssr_r


# ---------------------------------------------------------------- granger


@dataclass(frozen=True)
class GrangerResult(ResultMixin):
    """Per-lag Granger causality F-tests of ``cause`` -> ``effect``.

    Attributes
    ----------
    cause, effect : str
        Names of the series.
    table : DataFrame
        Indexed by lag: ``F``, ``p_value``, ``p_holm`` (Holm across the lags
        tried, for when the best lag is picked after looking), ``df_num``,
        ``df_denom``, ``n_obs``, ``partial_r2`` (the share of the effect's
        remaining variance explained by the cause's lags).
    stationarity : DataFrame
        ADF/KPSS results for both series.
    """

    cause: str
    effect: str
    table: pd.DataFrame
    stationarity: pd.DataFrame

    @property
    def best_lag(self) -> int:
        """The lag with the smallest p-value."""
        return int(self.table["p_value"].idxmin())

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> str:
        t = self.table
        lines = [f"Granger causality: does {self.cause!r} help predict {self.effect!r}?", ""]
        lines.append(f"{'lag':>4} {'F':>9} {'p':>8} {'p_holm':>8} {'partial R2':>11} {'n':>6}")
        for lag, r in t.iterrows():
            lines.append(
                f"{lag:>4} {r.F:>9.3f} {fmt_p(r.p_value):>8} {fmt_p(r.p_holm):>8} "
                f"{r.partial_r2:>11.4f} {int(r.n_obs):>6}"
            )
        best = t.loc[self.best_lag]
        verdict = (
            f"At lag {self.best_lag}, {self.cause!r} adds predictive power (Holm p {fmt_p(best.p_holm)})."
            if best.p_holm < 0.05
            else f"No lag shows that {self.cause!r} helps predict {self.effect!r} "
            f"(smallest Holm-adjusted p {fmt_p(best.p_holm)})."
        )
        lines += ["", verdict]
        bad = self.stationarity.index[~self.stationarity["stationary"]].tolist()
        if bad:
            lines.append(f"Caution: {bad} may not be stationary (ADF/KPSS); F-tests on levels mislead.")
        lines.append("Granger causality is predictive precedence, not proof of cause.")
        return "\n".join(lines)

    def plot(self, ax=None):
        """Bar chart of p-values by lag with the 5% line."""
        fig, ax = new_axes(ax, figsize=(6, 3.5))
        ax.bar(self.table.index, self.table["p_value"], color="#4c72b0", label="p")
        ax.plot(self.table.index, self.table["p_holm"], "o--", color="#dd8452", label="Holm p")
        ax.axhline(0.05, color="grey", lw=1, ls=":")
        ax.set(xlabel="lag", ylabel="p-value", ylim=(0, 1), title=f"{self.cause} -> {self.effect}")
        ax.legend()
        return fig


def granger(cause, effect, max_lag: int = 4) -> GrangerResult:
    """Granger-causality F-tests of ``cause`` -> ``effect`` for lags 1..max_lag.

    For each lag ``p`` the effect is regressed on a constant and its own
    ``p`` lags, with and without ``p`` lags of the cause, on the ``n - p``
    rows that have all lags; the F statistic and p-value equal statsmodels'
    ``grangercausalitytests`` ``ssr_ftest``.

    Parameters
    ----------
    cause, effect : Series
        Stationary series on a DatetimeIndex (returns, log changes, ASVI).
        They are aligned on common dates; rows with a NaN are dropped.
    max_lag : int

    Returns
    -------
    GrangerResult

    Raises
    ------
    DataError
        If either input is empty, non-numeric or all NaN, the two share
        too few dates, or there are too few observations for ``max_lag``.

    Warns
    -----
    NonStationaryWarning
        If ADF/KPSS suggest either series is not stationary.
    """
    max_lag = positive_int(max_lag, "max_lag")
    c = as_series(cause, "cause")
    e = as_series(effect, "effect")
    names = (str(c.name), str(e.name)) if c.name != e.name else ("cause", "effect")
    need = 3 * max_lag + 2 + 10  # 2*max_lag+1 regressors, plus lags, plus a few residual df
    frame = align({"cause": c, "effect": e}, min_obs=need, why=f"for max_lag={max_lag}")
    st = stationarity(frame)
    st.index = list(names)
    _warn_nonstationary(st)
    x, y = frame["cause"].to_numpy(), frame["effect"].to_numpy()
    rows = {}
    for lag in range(1, max_lag + 1):
        f, p, df_denom, n_obs, pr2 = _granger_f(y, x, lag)
        rows[lag] = {"F": f, "p_value": p, "df_num": lag, "df_denom": df_denom, "n_obs": n_obs, "partial_r2": pr2}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.insert(2, "p_holm", holm(table["p_value"]))
    table.index.name = "lag"
    return GrangerResult(cause=names[0], effect=names[1], table=table, stationarity=st)



# ---------------------------------------------------------------- single-lag reference kernels


def _sum_t_stats(y: np.ndarray, own: np.ndarray, causes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """t statistic and sum of the cause-lag coefficients, for a batch of cause matrices.

    ``y`` (n,), ``own`` (n, k) the regressors every model shares (constant and
    the effect's own lags), ``causes`` (b, n, L). By Frisch-Waugh-Lovell both y
    and the cause lags are first residualised on ``own``, so each surrogate
    costs one small L x L solve. (The loop tests use :func:`_link_stats`, which
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
    """``_lags(np.roll(x, k), lags)`` for every k in ``shifts``, as one (b, n-lags, lags) array."""
    n = len(x)
    t = np.arange(lags, n)[:, None] - np.arange(1, lags + 1)[None, :]
    return x[(t[None] - shifts[:, None, None]) % n]


# ---------------------------------------------------------------- the link battery: engine

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


def _standardise(x: np.ndarray) -> np.ndarray:
    return (x - x.mean()) / x.std(ddof=1)


class _Effect:
    """What every regression of one effect series shares, whatever the cause.

    Rows are the common sample t = max_lag..n-1, so that regressions with
    different lags are compared on the same data. The own-lag block
    [1, y_{t-1}, ..., y_{t-max_lag}] is orthonormalised once; QR keeps spans
    nested (the first 1 + L columns of Q span the constant and the first L own
    lags), so one factorisation serves every lag L.
    """

    def __init__(self, y: np.ndarray, max_lag: int, name: str):
        n = len(y)
        m = n - max_lag
        own = np.column_stack([np.ones(m)] + [y[max_lag - j : n - j] for j in range(1, max_lag + 1)])
        q, r = np.linalg.qr(own)
        d = np.abs(np.diag(r))
        if d.min() <= 1e-8 * d.max():
            raise DataError(
                f"{name}: its own lags are collinear (a periodic or degenerate series); "
                "regressions on them are undefined - check the series or use fewer lags"
            )
        self.n, self.K, self.m, self.q, self.y = n, max_lag, m, q, y[max_lag:]
        self.qy = q.T @ self.y
        self.cols = np.column_stack([q, self.y])  # (m, K + 2): what the cause lags are crossed with
        # ssr_r[L]: residual sum of squares of y on the constant and its first L own lags.
        resid, ssr_r = self.y.copy(), []
        for i in range(max_lag + 1):
            resid -= q[:, i] * self.qy[i]
            ssr_r.append(resid @ resid)
        self.ssr_r = np.array(ssr_r)
        self._spectrum = None

    def cross(self, xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Cross-products of the lags of each row of ``xs`` (b, n): X'X (b, K, K) and X'[Q y] (b, K, K+2).

        Row j - 1 of X is the cause at t - j on the common rows; no (b, K, m)
        lag array is built. X'[Q y] is K matrix products over column slices of
        ``xs``; an entry of X'X with lags i >= j is the sum of x_u x_{u+i-j}
        over all u, less the few products outside the common rows.
        """
        b, n = xs.shape
        K, m = self.K, self.m
        xc = np.empty((b, K, K + 2))
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
            pad = np.zeros((n, K + 2))
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


def _solve(a: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.solve(a, rhs)
    except np.linalg.LinAlgError:  # an exactly singular surrogate: the pseudo-inverse gives a finite answer
        return np.linalg.pinv(a) @ rhs


def _link_stats(eff: _Effect, xx: np.ndarray, xc: np.ndarray, lag_set) -> dict:
    """Regressions of the effect on its own lags and the cause's, for a batch of causes.

    ``xx``, ``xc``: the cross-products from :meth:`_Effect.cross`. For each lag
    L in ``lag_set`` the model is
    ``y_t = a + sum_{j<=L} b_j y_{t-j} + sum_{j<=L} c_j x_{t-j} + e_t``; with
    more than one candidate each cause picks its own L by BIC. By
    Frisch-Waugh-Lovell the cause lags only enter through their residuals on
    the own-lag block, whose cross-products follow from X'X and X'Q, so each
    cause and lag costs one L x L solve.

    Returns (b,) arrays: ``t`` (of sum c_j), ``total`` (sum c_j), ``ssr``,
    ``lag``, ``df`` (residual degrees of freedom).
    """
    b = xx.shape[0]
    K, m = eff.K, eff.m
    xq, xy = xc[:, :, : K + 1], xc[:, :, K + 1]
    best = None
    for L in lag_set:
        p = xq[:, :L, : L + 1]
        a = xx[:, :L, :L] - p @ p.transpose(0, 2, 1)  # X_L' M_L X_L
        c = xy[:, :L] - p @ eff.qy[: L + 1]  # X_L' M_L y
        sol = _solve(a, np.stack([c, np.ones_like(c)], axis=2))
        beta, w = sol[..., 0], sol[..., 1]  # w = A^-1 1, so 1' A^-1 1 = sum(w)
        ssr = np.maximum(eff.ssr_r[L] - np.einsum("bl,bl->b", beta, c), 0.0)  # cancellation can dip below 0
        df = m - 2 * L - 1
        total = beta.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            t = total / np.sqrt(ssr / df * w.sum(axis=1))
            bic = m * np.log(ssr / m) + (2 * L + 1) * np.log(m)
        cur = {"t": t, "total": total, "ssr": ssr, "lag": np.full(b, L), "df": np.full(b, df), "bic": bic}
        if best is None:
            best = cur
        else:
            better = cur["bic"] < best["bic"]  # ties keep the shorter lag
            best = {k: np.where(better, cur[k], v) for k, v in best.items()}
    return best


def _stationary_indices(rng, b: int, n: int, block: float) -> np.ndarray:
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


@dataclass(frozen=True)
class _Plan:
    """How each link is tested: candidate lags, surrogates, level."""

    lag_set: tuple
    max_lag: int
    n_surrogates: int
    surrogate: str
    block_length: float | None
    alpha: float

    @property
    def min_obs(self) -> int:
        # 2*K+1 coefficients and ten residual degrees of freedom; the second term leaves room
        # for many distinct shifts (the same threshold as earlier versions).
        return max(4 * self.max_lag + 12, 2 * (2 * self.max_lag + 1) + 20)

    @property
    def why(self) -> str:
        if len(self.lag_set) == 1:
            return f"for lags={self.max_lag}"
        return f"for lags='bic' with max_lag={self.max_lag}"


def _make_plan(lags, max_lag, n_surrogates, surrogate, block_length, alpha) -> _Plan:
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
    if isinstance(alpha, bool) or not (isinstance(alpha, (int, float)) and 0 < alpha < 1):
        raise DataError(f"alpha: expected a number between 0 and 1, got {alpha!r}")
    return _Plan(lag_set, max_lag, n_surrogates, surrogate, block_length, float(alpha))


def _run_links(frame: pd.DataFrame, pairs, signs, plan: _Plan, rng, names: dict) -> tuple[dict, dict, dict]:
    """Observed and surrogate statistics of every ``cause -> effect`` pair of columns of ``frame``.

    Returns ``rows`` (link name -> table row), ``null`` (link name -> the
    surrogate statistics, signed by the claim) and ``blocks`` (link name ->
    mean block length of the stationary bootstrap, or None).
    """
    from scipy import stats

    n, K, B = len(frame), plan.max_lag, plan.n_surrogates
    z = {k: _standardise(frame[k].to_numpy(dtype=float)) for k in frame.columns}
    if plan.surrogate == "circular":
        min_shift = _min_shift(K)
        shifts = rng.integers(min_shift, n - min_shift + 1, size=B)
    per_chunk = max(1, _CHUNK_CELLS // n)
    rows, null, blocks = {}, {}, {}
    for (cause, effect), sign in zip(pairs, signs):
        eff = _Effect(z[effect], K, names[effect])
        x = z[cause]
        own_x = np.column_stack([x[K - j : K - j + eff.m] for j in range(1, K + 1)])
        resid = own_x - eff.q @ (eff.q.T @ own_x)
        if np.linalg.svd(resid, compute_uv=False).min() < 1e-6 * np.sqrt(eff.m):
            raise DataError(
                f"{cause} -> {effect} ({names[cause]!r} -> {names[effect]!r}): the cause's lags are a linear "
                "combination of the effect's own lags (is one series a copy, or a lagged copy, of the other?), "
                "so the link is not identified. Check the inputs."
            )
        obs = {k: v[0] for k, v in _link_stats(eff, *eff.cross(x[None]), plan.lag_set).items()}
        block = None
        if plan.surrogate == "stationary":
            block = plan.block_length or _politis_white(x)
        t_null = np.empty(B)
        for lo in range(0, B, per_chunk):
            hi = min(B, lo + per_chunk)
            if plan.surrogate == "circular":
                cross = eff.cross_circular(x, shifts[lo:hi])
            else:
                cross = eff.cross(x[_stationary_indices(rng, hi - lo, n, block)])
            t_null[lo:hi] = _link_stats(eff, *cross, plan.lag_set)["t"]
        t_obs, t_null = sign * obs["t"], sign * t_null
        lag, df, ssr = int(obs["lag"]), int(obs["df"]), obs["ssr"]
        ssr_r = eff.ssr_r[lag]
        finite = bool(np.isfinite(t_obs))
        # A perfect fit has no residual variance and no t; it is no evidence of a direction.
        p_surr = (1 + np.sum(t_null >= t_obs)) / (B + 1) if finite else 1.0
        with np.errstate(divide="ignore", invalid="ignore"):
            f_stat = (ssr_r - ssr) / lag / (ssr / df)
        name = f"{cause} -> {effect}"
        null[name] = t_null
        blocks[name] = block
        effect_size = float(obs["total"])  # in sds: the series are standardised
        rows[name] = {
            "cause": names[cause],
            "effect": names[effect],
            "lags": lag,
            "n": eff.m,
            "expected_sign": sign,
            "sign": int(np.sign(effect_size)),
            "effect_size": effect_size,
            "partial_r2": float((ssr_r - ssr) / ssr_r),
            "t_stat": float(t_obs),
            "p_t": float(stats.t.sf(t_obs, df)) if finite else 1.0,
            "p_granger": float(stats.f.sf(f_stat, lag, df)) if np.isfinite(f_stat) else 0.0,
            "p_surrogate": float(p_surr),
        }
    return rows, null, blocks


def _links_table(rows: dict, alpha: float) -> pd.DataFrame:
    links = pd.DataFrame.from_dict(rows, orient="index")
    links["p_holm"] = holm(links["p_surrogate"])
    links["holds"] = (links["p_surrogate"] <= alpha) & (links["sign"] == links["expected_sign"])
    return links


# ---------------------------------------------------------------- input checks


def _series(x, name: str) -> pd.Series:
    try:
        return as_series(x, name)
    except DataError as exc:
        if "duplicate dates" in str(exc):
            raise DataError(
                f"{exc}; aggregate them first, e.g. x.groupby(level=0).last() for levels "
                "or .sum() for returns and volumes"
            ) from None
        raise


def _spacing_days(s: pd.Series) -> float | None:
    idx = s.dropna().index
    if len(idx) < 3:
        return None
    return float(np.median((idx[1:] - idx[:-1]).total_seconds())) / 86_400


def _calendar(days: float) -> str:
    for lo, hi, label in ((0, 1.5, "daily"), (6, 8, "weekly"), (27, 32, "monthly"), (88, 93, "quarterly")):
        if lo < days <= hi:
            return f"{label} (dates {days:g} day(s) apart)"
    return f"dates {days:g} days apart"


def _checked_frame(series: dict, plan: _Plan) -> pd.DataFrame:
    """Align named series on common dates and refuse what would give a silently wrong test.

    Leading and trailing rows with a missing value are dropped (log changes
    and trailing scores start with NaN); a missing value or a skipped week
    inside the sample, mixed frequencies and constant series raise a
    DataError saying what to do. (Daily data skip holidays, so skipped days
    are not checked.)
    """
    series = {k: naive_utc(s) for k, s in series.items()}
    keys = ", ".join(series)
    spacing = {k: d for k, d in ((k, _spacing_days(s)) for k, s in series.items()) if d is not None}
    mixed = len(spacing) > 1 and max(spacing.values()) > 1.5 * min(spacing.values())
    hint = (
        "Mixed frequencies: "
        + "; ".join(f"{k} is {_calendar(d)}" for k, d in spacing.items())
        + ". Put them on one calendar first, e.g. attention.to_google_weeks(daily, 'sum') for"
        " Google's Sunday weeks (use 'last' for prices)."
    )
    try:
        align(series, min_obs=plan.min_obs, why=plan.why)
    except DataError as exc:
        if mixed:
            raise DataError(f"{exc} {hint}") from None
        raise
    if mixed:
        raise DataError(f"{keys}: the series share dates but not a frequency. {hint}")
    full = pd.concat(series, axis=1, join="inner")
    ok = full.notna().all(axis=1).to_numpy()
    first, last = int(ok.argmax()), len(ok) - 1 - int(ok[::-1].argmax())
    frame, holes = full.iloc[first : last + 1], ~ok[first : last + 1]
    if holes.any():
        gaps = frame[holes]
        which = ", ".join(k for k in frame.columns if gaps[k].isna().any())
        raise DataError(
            f"{which}: {int(holes.sum())} date(s) inside the common sample have a missing value "
            f"(first {gaps.index[0]:%Y-%m-%d}); the lags would silently bridge the gap. Fill short gaps "
            "(e.g. x.interpolate(limit=2)) or test a stretch without gaps (x.loc[start:end])."
        )
    step = np.diff(frame.index.values).astype("timedelta64[s]").astype(float) / 86_400
    if len(step) and np.median(step) >= 6 and step.max() > 1.5 * np.median(step):  # weekly or coarser
        at = int(np.argmax(step > 1.5 * np.median(step)))
        raise DataError(
            f"{keys}: the common dates skip {int((step > 1.5 * np.median(step)).sum())} period(s) "
            f"(first after {frame.index[at]:%Y-%m-%d}, next date {frame.index[at + 1]:%Y-%m-%d}); the lags "
            "would silently bridge the gap. Reindex to the full calendar and fill short gaps "
            "(e.g. x.asfreq('W-SUN').interpolate(limit=2)) or test a stretch without gaps."
        )
    for k in frame.columns:
        col = frame[k].to_numpy()
        if np.ptp(col) <= 1e-12 * max(1.0, np.abs(col).max()):
            raise DataError(
                f"{k}: the series is constant ({col[0]:g}) over the {len(col)} common dates, so there is "
                "no variation to test. Check the input: a search term too rare for Google comes back as "
                "zeros, and the log change of a flat series is 0."
            )
    return frame


def _check_signs(signs, k: int, what: str) -> tuple:
    try:
        signs = tuple(signs)
    except TypeError:
        raise DataError(f"signs: expected {k} values each +1 or -1 ({what}), got {signs!r}") from None
    if len(signs) != k or any(isinstance(s, bool) or s not in (1, -1) for s in signs):
        raise DataError(f"signs: expected {k} values each +1 or -1 ({what}), got {signs!r}")
    return tuple(int(s) for s in signs)


# ---------------------------------------------------------------- the loop diagram


_HOLDS, _WEAK, _WRONG = "#2a9d8f", "#8d99ae", "#e76f51"


def _draw_links(ax, nodes: dict, links: pd.DataFrame, keys: dict, p_col: str, title: str) -> None:
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


def _null_histograms(ax, links: pd.DataFrame, null: dict, p_col: str, surrogate: str):
    fig, axes = new_axes(ax, 1, len(links), figsize=(3.7 * len(links), 3.2))
    for a, (name, r) in zip(np.atleast_1d(axes), links.iterrows()):
        a.hist(null[name], bins=40, color="#c7d3e3")
        a.axvline(r.t_stat, color="#c44e52", lw=2, label=f"observed t = {r.t_stat:+.2f}")
        a.set(title=f"{name}\np = {fmt_p(r[p_col])}", xlabel=f"t of summed lag effect ({surrogate} null)")
        a.legend(fontsize=8)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------- feedback loop


_LINKS = (("returns", "attention"), ("attention", "flows"), ("flows", "returns"))
_LOOP_NODES = {"returns": (0.5, 0.9), "attention": (0.02, 0.08), "flows": (0.98, 0.08)}


@dataclass(frozen=True)
class FeedbackLoopResult(ResultMixin):
    """The loop returns -> attention -> flows -> returns, tested link by link.

    Attributes
    ----------
    links : DataFrame
        One row per link, indexed ``"returns -> attention"``,
        ``"attention -> flows"``, ``"flows -> returns"``:

        - ``cause``, ``effect``: series names; ``lags``: the lag used (fixed,
          or chosen by BIC); ``n``: observations in the regression;
        - ``expected_sign``: the claim; ``sign``: the sign of the estimate;
        - ``effect_size``: standardised cumulative response, the sum of the
          cause-lag coefficients x sd(cause) / sd(effect): how many sds the
          effect moves after a one-sd move of the cause;
        - ``partial_r2``: share of the effect's remaining variance the cause's
          lags explain;
        - ``t_stat``: t of the summed coefficients, signed so that positive
          agrees with the claim;
        - ``p_t``: its asymptotic one-sided p-value (Student t);
        - ``p_granger``: the classical two-sided Granger F-test p-value;
        - ``p_surrogate``: one-sided surrogate p-value in the claimed
          direction, ``(1 + #{T* >= T}) / (B + 1)`` - the test's p-value;
        - ``p_holm``: ``p_surrogate`` Holm-adjusted across the three links;
        - ``holds``: ``p_surrogate <= alpha`` and the sign is the claimed one.
    p_loop : float
        Intersection-union p-value of the whole loop: the largest link p.
    alpha : float
    n_surrogates : int
    stationarity : DataFrame
        ADF/KPSS on the three input series.
    names : dict
        ``{"returns": ..., "attention": ..., "flows": ...}`` series names.
    null : dict
        Link name -> the surrogate statistics (signed like ``t_stat``).
    surrogate : str
        ``"circular"`` or ``"stationary"``.
    lag_selection : str
        ``"fixed"`` or ``"bic"``; ``max_lag`` is the fixed lag or the BIC cap.
    max_lag : int
    block_length : dict
        Link name -> mean block length of the stationary bootstrap (None for
        circular shifts).
    placebo : DataFrame or None
        One row per placebo search term run through the same test: the
        three links' effect sizes and surrogate p-values, ``p_loop`` and
        ``supported``.
    """

    links: pd.DataFrame
    p_loop: float
    alpha: float
    n_surrogates: int
    stationarity: pd.DataFrame
    names: dict = field(repr=False)
    null: dict = field(repr=False)
    surrogate: str = "circular"
    lag_selection: str = "fixed"
    max_lag: int = 2
    block_length: dict = field(default_factory=dict, repr=False)
    placebo: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def supported(self) -> bool:
        """Whether every link holds, with the claimed sign, at level ``alpha``."""
        return bool(self.links["holds"].all())

    @property
    def placebo_rank(self) -> int | None:
        """Rank of the real term's ``p_loop`` among itself and the placebos (1 = smallest; ties favour it)."""
        if self.placebo is None:
            return None
        return 1 + int((self.placebo["p_loop"] < self.p_loop).sum())

    @property
    def placebo_share(self) -> float | None:
        """Share of placebo terms whose ``p_loop`` is at least as small as the real term's."""
        if self.placebo is None:
            return None
        return float((self.placebo["p_loop"] <= self.p_loop).mean())

    @property
    def p_placebo(self) -> float | None:
        """``(1 + #{placebo p_loop <= p_loop}) / (K + 1)``: a p-value if the real term is exchangeable with the placebos."""
        if self.placebo is None:
            return None
        return (1 + int((self.placebo["p_loop"] <= self.p_loop).sum())) / (len(self.placebo) + 1)

    @property
    def verdict(self) -> str:
        """The answer in one sentence a reader can quote."""
        how = f"{_SURROGATE_LABEL[self.surrogate]} surrogates, n = {int(self.links['n'].iloc[0])}"
        if self.supported:
            return (
                "The data support the loop returns -> attention -> flows -> returns: every link holds in the "
                f"claimed direction (intersection-union p = {fmt_p(self.p_loop)}; {how})."
            )
        failing = [
            name + (" (opposite sign)" if r["sign"] != r["expected_sign"] else "")
            for name, r in self.links.iterrows()
            if not r["holds"]
        ]
        return (
            f"The data do not support the loop (intersection-union p = {fmt_p(self.p_loop)}; {how}): "
            f"{len(failing)} of 3 links fail - {', '.join(failing)}."
        )

    def to_frame(self) -> pd.DataFrame:
        return self.links.copy()

    def summary(self) -> str:
        n = self.names
        lag_text = (
            f"{self.max_lag} lag(s)"
            if self.lag_selection == "fixed"
            else f"lags by BIC from 1..{self.max_lag} (re-chosen in every surrogate)"
        )
        lines = [
            "Feedback loop test: returns -> attention -> flows -> returns",
            f"  returns = {n['returns']!r}, attention = {n['attention']!r}, flows = {n['flows']!r}",
            (
                f"  {int(self.links['n'].iloc[0])} periods, {lag_text}, "
                f"{self.n_surrogates} {_SURROGATE_LABEL[self.surrogate]} surrogates, alpha = {self.alpha}"
            ),
        ]
        if self.surrogate == "stationary":
            blocks = ", ".join(f"{b:.1f}" for b in self.block_length.values())
            lines.append(f"  mean block lengths (Politis-White unless given): {blocks}")
        lines += [
            "",
            (
                f"{'link':<22} {'lag':>3} {'effect':>7} {'R2p':>6} {'t':>6} {'p(t)':>7} {'p(F)':>7} "
                f"{'p':>7} {'p_holm':>7}  holds"
            ),
        ]
        for name, r in self.links.iterrows():
            lines.append(
                f"{name:<22} {int(r.lags):>3} {r.effect_size:>+7.3f} {r.partial_r2:>6.3f} {r.t_stat:>+6.2f} "
                f"{fmt_p(r.p_t):>7} {fmt_p(r.p_granger):>7} {fmt_p(r.p_surrogate):>7} {fmt_p(r.p_holm):>7}  "
                f"{'yes' if r.holds else 'no'}"
            )
        lines += [
            "",
            self.verdict,
            "effect = sds the effect moves after a one-sd move of the cause (sum over lags); R2p = partial R2;",
            "p = one-sided surrogate p-value in the claimed direction (the test); p(t), p(F) = textbook",
            "asymptotic p-values (one-sided t of the summed lags, two-sided Granger F), for reference.",
        ]
        if self.placebo is not None:
            k = len(self.placebo)
            ties = int((self.placebo["p_loop"] == self.p_loop).sum())
            lines.append(
                f"Placebos: against {k} placebo search term(s) the real p_loop ranks {self.placebo_rank} of {k + 1}"
                + (f" ({ties} tie)" if ties else "")
                + f"; {self.placebo_share:.0%} of placebos have a p_loop at least as small"
                f" (placebo p = {fmt_p(self.p_placebo)})."
            )
        bad = self.stationarity.index[~self.stationarity["stationary"]].tolist()
        if bad:
            lines.append(f"Caution: {bad} may not be stationary (ADF/KPSS).")
        return "\n".join(lines)

    def plot(self, ax=None, kind: str = "loop"):
        """``kind="loop"``: the loop as a diagram; ``kind="null"``: each link's surrogate null and observed t.

        In the diagram arrow width shows |effect size|, colour whether the
        link holds (green), has the claimed sign but is not significant
        (grey) or has the opposite sign (red); labels give the effect, the
        lag and the surrogate p-value.
        """
        if kind == "null":
            return _null_histograms(ax, self.links, self.null, "p_surrogate", self.surrogate)
        if kind != "loop":
            raise DataError(f"kind: expected 'loop' or 'null', got {kind!r}")
        fig, ax = new_axes(ax, figsize=(6.4, 5.8))
        nodes = {k: (xy, k, self.names[k]) for k, xy in _LOOP_NODES.items()}
        keys = {f"{c} -> {e}": (c, e) for c, e in _LINKS}
        head = "Loop supported" if self.supported else "Loop not supported"
        _draw_links(ax, nodes, self.links.rename(columns={"p_surrogate": "p"}), keys, "p", f"{head} (intersection-union p = {fmt_p(self.p_loop)})")
        ax.set(xlim=(-0.3, 1.3), ylim=(-0.25, 1.12))
        return fig


def _loop_series(attention, returns, flows) -> dict:
    return {
        "attention": _series(attention, "attention"),
        "returns": _series(returns, "returns"),
        "flows": _series(flows, "flows"),
    }


def _stationarity_of(frame: pd.DataFrame, names: dict) -> pd.DataFrame:
    st = stationarity(frame)
    st.index = [names[k] for k in frame.columns]
    return st


def feedback_loop(
    attention,
    returns,
    flows,
    *,
    lags: int | str = 2,
    max_lag: int = 8,
    signs=(1, 1, 1),
    n_surrogates: int = 999,
    surrogate: str = "circular",
    block_length: float | None = None,
    alpha: float = 0.05,
    placebo_terms=None,
    seed=None,
) -> FeedbackLoopResult:
    """Test the loop returns -> attention -> flows -> returns on data.

    Each link ``cause -> effect`` is a regression of the effect on a constant,
    its own L lags and L lags of the cause. The statistic is the t of the
    *summed* cause coefficients (the cumulative response), signed so that
    large values agree with the claim. Its null distribution comes from
    surrogates of the cause that keep its autocorrelation and destroy only
    its alignment with the effect, so the p-value
    ``(1 + #{T* >= T}) / (B + 1)`` survives the autocorrelation that makes
    textbook p-values unreliable. The asymptotic one-sided t p-value and the
    two-sided Granger F p-value are reported beside it.

    The three link p-values are Holm-adjusted (each link is a claim of its
    own). The loop is a conjunction, tested as an intersection-union test:
    ``p_loop = max`` of the link p-values, and it holds only if every link
    holds with its claimed sign.

    Parameters
    ----------
    attention, returns, flows : Series
        Stationary series on one calendar (e.g. weekly log change of search
        interest, weekly log returns, flows scaled by assets). Aligned on
        common dates; leading and trailing missing values are dropped.
    lags : int or "bic", default 2
        An integer fixes L for every link. ``"bic"`` chooses L per link from
        1..``max_lag`` by BIC of the unrestricted regression on the common
        sample t = max_lag..n-1, and chooses it again in every surrogate, so
        the p-value accounts for the choice. The default stays 2: a
        prespecified lag needs no selection (and callers keep their analysis).
    max_lag : int, default 8
        Largest lag BIC considers (only with ``lags="bic"``).
    signs : tuple of three of {+1, -1}
        Claimed direction of each link, in the order returns->attention,
        attention->flows, flows->returns. The story "rising performance
        drives search, search drives flows, flows push prices" is (1, 1, 1).
    n_surrogates : int, default 999
    surrogate : {"circular", "stationary"}
        ``"circular"``: circular shifts of the cause by max_lag to
        n - max_lag periods, so a surrogate's lags never overlap the data's
        (one set of shifts for all links).
        ``"stationary"``: the stationary bootstrap of the cause (Politis &
        Romano 1994), blocks of geometric length with a mean chosen by the
        Politis & White (2004) rule for each cause.
    block_length : float, optional
        Mean block length for ``surrogate="stationary"`` instead of the rule.
    alpha : float, default 0.05
    placebo_terms : DataFrame, optional
        Control attention series (searches unrelated to the story, same
        transform as ``attention``), one per column. Each runs through the
        same test with the same returns and flows; ``result.placebo`` holds
        their results and the summary says where the real term ranks. They
        do not change the real term's p-values.
    seed : int or numpy Generator, optional
        For reproducible surrogates.

    Returns
    -------
    FeedbackLoopResult

    Raises
    ------
    DataError
        For empty, non-numeric, all-NaN or constant inputs, duplicate dates,
        missing values inside the sample, mixed frequencies, too few common
        dates for the lags, or invalid parameters. The message says what to do.

    Warns
    -----
    NonStationaryWarning
        If ADF/KPSS suggest an input (or a placebo) is not stationary.
    """
    plan = _make_plan(lags, max_lag, n_surrogates, surrogate, block_length, alpha)
    signs = _check_signs(signs, 3, "returns->attention, attention->flows, flows->returns")
    series = _loop_series(attention, returns, flows)
    placebos = _placebo_inputs(placebo_terms)
    names = {k: str(s.name) for k, s in series.items()}
    frame = _checked_frame(series, plan)
    st = _stationarity_of(frame, names)
    _warn_nonstationary(st)

    rng = np.random.default_rng(seed)
    rows, null, blocks = _run_links(frame, _LINKS, signs, plan, rng, names)
    links = _links_table(rows, plan.alpha)
    p_loop = float(links["p_surrogate"].max())
    placebo = None
    if placebos is not None:
        placebo = _placebo_table(placebos, series, signs, plan, rng)
    return FeedbackLoopResult(
        links=links,
        p_loop=p_loop,
        alpha=plan.alpha,
        n_surrogates=plan.n_surrogates,
        stationarity=st,
        names=names,
        null=null,
        surrogate=plan.surrogate,
        lag_selection="fixed" if len(plan.lag_set) == 1 else "bic",
        max_lag=plan.max_lag,
        block_length=blocks,
        placebo=placebo,
    )


def _placebo_inputs(placebo_terms) -> dict | None:
    if placebo_terms is None:
        return None
    if isinstance(placebo_terms, pd.Series):
        placebo_terms = placebo_terms.to_frame()
    if not isinstance(placebo_terms, pd.DataFrame) or placebo_terms.shape[1] == 0:
        raise DataError(
            "placebo_terms: expected a DataFrame with one column per control search term "
            f"(transformed like attention), got {type(placebo_terms).__name__}"
        )
    if placebo_terms.columns.has_duplicates:
        raise DataError("placebo_terms: column names must be unique")
    return {str(c): _series(placebo_terms[c], f"placebo_terms[{str(c)!r}]") for c in placebo_terms.columns}


def _placebo_table(placebos: dict, series: dict, signs, plan: _Plan, rng) -> pd.DataFrame:
    rows, non_stationary = {}, []
    for term, s in placebos.items():
        arg = f"placebo_terms[{term!r}]"
        checked = _checked_frame({arg: s, "returns": series["returns"], "flows": series["flows"]}, plan)
        frame = checked.rename(columns={arg: "attention"})
        names = {"attention": arg, "returns": "returns", "flows": "flows"}
        if not stationarity(frame[["attention"]])["stationary"].iloc[0]:
            non_stationary.append(term)
        links = _links_table(_run_links(frame, _LINKS, signs, plan, rng, names)[0], plan.alpha)
        rows[term] = {
            "n": int(links["n"].iloc[0]),
            **links["effect_size"].to_dict(),
            **{f"p {k}": v for k, v in links["p_surrogate"].items()},
            "p_loop": float(links["p_surrogate"].max()),
            "supported": bool(links["holds"].all()),
        }
    if non_stationary:
        warnings.warn(
            f"placebo terms {non_stationary} may not be stationary (ADF/KPSS); transform them like attention",
            NonStationaryWarning,
            stacklevel=3,
        )
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "placebo"
    return table


# ---------------------------------------------------------------- rotation


_ROTATION = (("share", "relative"), ("relative", "share"))
_ROTATION_NAMES = {"share -> relative": "share -> relative return", "relative -> share": "relative return -> share"}


@dataclass(frozen=True)
class RotationResult(ResultMixin):
    """Does the share of attention lead the relative return of the theme, or follow it?

    Attributes
    ----------
    links : DataFrame
        Two rows, ``"share -> relative return"`` and
        ``"relative return -> share"``, with the columns of
        :attr:`FeedbackLoopResult.links`; ``p_holm`` is Holm across the two
        directions and ``holds`` uses it.
    alpha, n_surrogates, surrogate, lag_selection, max_lag, block_length
        As in :class:`FeedbackLoopResult`.
    stationarity : DataFrame
    names : dict
        ``{"share": ..., "relative": ...}`` series names.
    null : dict
        Link name -> surrogate statistics.
    """

    links: pd.DataFrame
    alpha: float
    n_surrogates: int
    stationarity: pd.DataFrame
    names: dict = field(repr=False)
    null: dict = field(repr=False)
    surrogate: str = "circular"
    lag_selection: str = "fixed"
    max_lag: int = 2
    block_length: dict = field(default_factory=dict, repr=False)

    @property
    def direction(self) -> str:
        """``"attention leads"``, ``"attention follows"``, ``"both"`` or ``"neither"``."""
        leads = bool(self.links["holds"].iloc[0])
        follows = bool(self.links["holds"].iloc[1])
        return {(True, True): "both", (True, False): "attention leads", (False, True): "attention follows"}.get(
            (leads, follows), "neither"
        )

    @property
    def verdict(self) -> str:
        """The answer in one sentence a reader can quote."""
        share, rel = self.names["share"], self.names["relative"]
        p1, p2 = (fmt_p(p) for p in self.links["p_holm"])
        tail = f"(Holm p = {p1} and {p2}; {_SURROGATE_LABEL[self.surrogate]} surrogates, n = {int(self.links['n'].iloc[0])})"
        return {
            "both": f"Attention and returns feed each other: {share!r} leads {rel!r} and {rel!r} leads {share!r} {tail}.",
            "attention leads": f"Attention leads: {share!r} predicts {rel!r} in the claimed direction, not the reverse {tail}.",
            "attention follows": f"Attention follows: {rel!r} predicts {share!r} in the claimed direction, not the reverse {tail}.",
            "neither": f"Neither direction is supported between {share!r} and {rel!r} {tail}.",
        }[self.direction]

    def to_frame(self) -> pd.DataFrame:
        return self.links.copy()

    def summary(self) -> str:
        lag_text = (
            f"{self.max_lag} lag(s)"
            if self.lag_selection == "fixed"
            else f"lags by BIC from 1..{self.max_lag} (re-chosen in every surrogate)"
        )
        lines = [
            "Rotation test: does the share of attention lead the relative return, or follow it?",
            f"  share = {self.names['share']!r}, relative return = {self.names['relative']!r}",
            (
                f"  {int(self.links['n'].iloc[0])} periods, {lag_text}, "
                f"{self.n_surrogates} {_SURROGATE_LABEL[self.surrogate]} surrogates, alpha = {self.alpha}"
            ),
            "",
            f"{'direction':<26} {'lag':>3} {'effect':>7} {'t':>6} {'p(t)':>7} {'p(F)':>7} {'p':>7} {'p_holm':>7}  holds",
        ]
        for name, r in self.links.iterrows():
            lines.append(
                f"{name:<26} {int(r.lags):>3} {r.effect_size:>+7.3f} {r.t_stat:>+6.2f} {fmt_p(r.p_t):>7} "
                f"{fmt_p(r.p_granger):>7} {fmt_p(r.p_surrogate):>7} {fmt_p(r.p_holm):>7}  {'yes' if r.holds else 'no'}"
            )
        lines += ["", self.verdict, "holds = Holm-adjusted surrogate p <= alpha with the claimed sign."]
        bad = self.stationarity.index[~self.stationarity["stationary"]].tolist()
        if bad:
            lines.append(f"Caution: {bad} may not be stationary (ADF/KPSS).")
        return "\n".join(lines)

    def plot(self, ax=None, kind: str = "loop"):
        """``kind="loop"``: two nodes and the two directions; ``kind="null"``: surrogate nulls."""
        if kind == "null":
            return _null_histograms(ax, self.links, self.null, "p_holm", self.surrogate)
        if kind != "loop":
            raise DataError(f"kind: expected 'loop' or 'null', got {kind!r}")
        fig, ax = new_axes(ax, figsize=(6.4, 4.2))
        nodes = {
            "share": ((0.0, 0.5), "share", self.names["share"]),
            "relative": ((1.0, 0.5), "relative\nreturn", self.names["relative"]),
        }
        keys = {"share -> relative return": ("share", "relative"), "relative return -> share": ("relative", "share")}
        title = {"neither": "neither direction supported", "both": "both directions supported"}.get(
            self.direction, self.direction
        )
        _draw_links(ax, nodes, self.links.rename(columns={"p_holm": "p_Holm"}), keys, "p_Holm", f"Rotation: {title}")
        ax.set(xlim=(-0.3, 1.3), ylim=(0.05, 0.95))
        return fig


def rotation_test(
    share,
    relative_returns,
    *,
    share_transform: str | None = "logit_change",
    lags: int | str = 2,
    max_lag: int = 8,
    signs=(1, 1),
    n_surrogates: int = 999,
    surrogate: str = "circular",
    block_length: float | None = None,
    alpha: float = 0.05,
    seed=None,
) -> RotationResult:
    """The rotation claim: attention shifting to a theme and the theme's relative return.

    The article's rotation is attention moving to small caps (away from AI
    stocks and the Magnificent Seven) while small caps beat large-cap tech
    (e.g. IWM minus QQQ). The share's log-odds change and the relative
    return run through the battery of
    :func:`feedback_loop`: ``share -> relative return`` (attention leads)
    and ``relative return -> share`` (attention follows), each one-sided in
    its claimed direction, Holm-adjusted across the two.

    Parameters
    ----------
    share : Series
        The share of attention going to the theme, between 0 and 1, e.g.
        ``attention.attention_share(searches)["small-cap stocks"]`` with the
        three themes' searches from ONE Google Trends request (so they share
        a scale).
    relative_returns : Series
        The relative return of the theme's benchmarks on the same calendar,
        e.g. ``to_google_weeks(relative_returns(close["IWM"], close["QQQ"]))``.
    share_transform : {"logit_change", None}, default "logit_change"
        Shares are levels, bounded and persistent; the test uses the change
        in their log-odds, ``ln(s_t / (1 - s_t)) - ln(s_{t-1} / (1 - s_{t-1}))``,
        which with two terms equals the difference of their log changes and
        so does not depend on how each term was scaled. A share of exactly 0
        or 1 (Google's rounding) is missing information. ``None`` uses
        ``share`` as given, for a series already made stationary.
    lags, max_lag, n_surrogates, surrogate, block_length, alpha, seed
        As in :func:`feedback_loop`.
    signs : tuple of two of {+1, -1}
        Claimed direction of share -> relative return and relative return ->
        share; (1, 1): more attention goes with later outperformance, and
        outperformance draws attention.

    Returns
    -------
    RotationResult

    Raises
    ------
    DataError
        As :func:`feedback_loop`.
    """
    plan = _make_plan(lags, max_lag, n_surrogates, surrogate, block_length, alpha)
    signs = _check_signs(signs, 2, "share->relative return, relative return->share")
    if share_transform not in ("logit_change", None):
        raise DataError(f"share_transform: expected 'logit_change' or None, got {share_transform!r}")
    series = {"share": _series(share, "share"), "relative": _series(relative_returns, "relative_returns")}
    names = {k: str(s.name) for k, s in series.items()}
    if share_transform == "logit_change":
        level = series["share"]
        if ((level < 0) | (level > 1)).any():
            raise DataError(
                "share: expected shares between 0 and 1 (e.g. from attention.attention_share); "
                "pass share_transform=None if share is already a stationary transform"
            )
        inside = level.where((level > 0) & (level < 1))
        series["share"] = np.log(inside / (1 - inside)).diff()
        names["share"] = f"{names['share']} (log-odds change)"
    checked = _checked_frame({"share": series["share"], "relative_returns": series["relative"]}, plan)
    frame = checked.rename(columns={"relative_returns": "relative"})
    st = _stationarity_of(frame, names)
    _warn_nonstationary(st)
    rows, null, blocks = _run_links(frame, _ROTATION, signs, plan, np.random.default_rng(seed), names)
    rename = _ROTATION_NAMES
    rows = {rename[k]: v for k, v in rows.items()}
    links = _links_table(rows, plan.alpha)
    links["holds"] = (links["p_holm"] <= plan.alpha) & (links["sign"] == links["expected_sign"])
    return RotationResult(
        links=links,
        alpha=plan.alpha,
        n_surrogates=plan.n_surrogates,
        stationarity=st,
        names=names,
        null={rename[k]: v for k, v in null.items()},
        surrogate=plan.surrogate,
        lag_selection="fixed" if len(plan.lag_set) == 1 else "bic",
        max_lag=plan.max_lag,
        block_length={rename[k]: v for k, v in blocks.items()},
    )


# ---------------------------------------------------------------- rolling stability


@dataclass(frozen=True)
class RollingStabilityResult(ResultMixin):
    """Link statistics of the loop over rolling windows - descriptive, NOT a test.

    Attributes
    ----------
    table : DataFrame
        One row per (window, link): ``start``, ``end``, ``link``, ``lags``,
        ``n``, ``effect_size``, ``se`` (its standard error), ``t_stat``
        (signed by the claim), ``p_t`` (asymptotic one-sided, descriptive).
    window, step : int
        Window length and step, in periods.
    names : dict
    signs : tuple
    """

    table: pd.DataFrame
    window: int
    step: int
    names: dict = field(repr=False)
    signs: tuple = (1, 1, 1)

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> str:
        t = self.table
        k = t["end"].nunique()
        lines = [
            f"Rolling link statistics: {k} windows of {self.window} periods, every {self.step} periods",
            f"  ({t['start'].min():%Y-%m-%d} to {t['end'].max():%Y-%m-%d})",
            "",
            f"{'link':<22} {'sign as claimed':>15} {'median effect':>14} {'range':>17} {'|t| > 2':>8}",
        ]
        for (name, g), sign in zip(t.groupby("link", sort=False), self.signs):
            share = np.mean(np.sign(g["effect_size"]) == sign)
            lines.append(
                f"{name:<22} {share:>15.0%} {g['effect_size'].median():>+14.3f} "
                f"{g['effect_size'].min():>+8.3f}..{g['effect_size'].max():<+8.3f} {np.mean(g['t_stat'].abs() > 2):>8.0%}"
            )
        lines += [
            "",
            (
                "Descriptive only, not a test: the windows overlap (each date is in up to "
                f"{-(-self.window // self.step)} of them), the per-window p-values are asymptotic and uncorrected,"
            ),
            "and a pattern noticed across windows is chosen after looking. Use feedback_loop on the full sample",
            "for inference; use this to see whether a full-sample result rests on one episode.",
        ]
        return "\n".join(lines)

    def plot(self, ax=None):
        """Effect size of each link by window end, with a +-1.96 se band."""
        links = list(dict.fromkeys(self.table["link"]))
        fig, axes = new_axes(ax, len(links), 1, figsize=(8, 2.2 * len(links)))
        for a, link in zip(np.atleast_1d(axes), links):
            g = self.table[self.table["link"] == link]
            a.fill_between(g["end"], g["effect_size"] - 1.96 * g["se"], g["effect_size"] + 1.96 * g["se"],
                           color="#c7d3e3", label="+-1.96 se")
            a.plot(g["end"], g["effect_size"], color="#4c72b0", marker="o", ms=3, label="effect size")
            a.axhline(0, color="grey", lw=0.8)
            a.set(ylabel="sd", title=link)
            a.legend(fontsize=7, loc="upper left")
        np.atleast_1d(axes)[0].figure.suptitle(
            f"Rolling {self.window}-period windows - descriptive, not a test", fontsize=10
        )
        fig.tight_layout()
        return fig


def rolling_stability(
    attention,
    returns,
    flows,
    *,
    window: int = 104,
    step: int = 13,
    lags: int | str = 2,
    max_lag: int = 8,
    signs=(1, 1, 1),
) -> RollingStabilityResult:
    """The loop's link statistics over rolling windows, to see whether they are stable.

    Each window of ``window`` consecutive periods (every ``step`` periods)
    gets the regressions of :func:`feedback_loop` - lag, standardised effect
    size and its standard error, t of the summed lags - but no surrogates and
    no verdict. The result is descriptive, explicitly not for inference.

    Parameters
    ----------
    attention, returns, flows : Series
        As in :func:`feedback_loop`.
    window : int, default 104
        Periods per window (two years of weeks).
    step : int, default 13
        Periods between window starts (a quarter of weeks).
    lags, max_lag, signs
        As in :func:`feedback_loop` (with ``"bic"`` each window chooses).

    Returns
    -------
    RollingStabilityResult

    Raises
    ------
    DataError
        As :func:`feedback_loop`, or if ``window`` is longer than the data or
        too short for the lags.
    """
    from scipy import stats

    plan = _make_plan(lags, max_lag, 19, "circular", None, 0.05)
    window = positive_int(window, "window", minimum=plan.min_obs)
    step = positive_int(step, "step")
    signs = _check_signs(signs, 3, "returns->attention, attention->flows, flows->returns")
    series = _loop_series(attention, returns, flows)
    names = {k: str(s.name) for k, s in series.items()}
    frame = _checked_frame(series, plan)
    if window > len(frame):
        raise DataError(f"window: {window} periods is longer than the {len(frame)} common dates; use a shorter window")
    K = plan.max_lag
    rows = []
    for lo in range(0, len(frame) - window + 1, step):
        part = frame.iloc[lo : lo + window]
        z = {k: part[k].to_numpy() for k in part.columns}
        if any(np.ptp(v) == 0 for v in z.values()):
            continue  # a flat stretch has nothing to describe
        z = {k: _standardise(v) for k, v in z.items()}
        for (cause, effect), sign in zip(_LINKS, signs):
            try:
                eff = _Effect(z[effect], K, names[effect])
            except DataError:
                continue
            s = {k: v[0] for k, v in _link_stats(eff, *eff.cross(z[cause][None]), plan.lag_set).items()}
            t = sign * s["t"]
            rows.append({
                "start": part.index[0],
                "end": part.index[-1],
                "link": f"{cause} -> {effect}",
                "lags": int(s["lag"]),
                "n": eff.m,
                "effect_size": float(s["total"]),
                "se": float(abs(s["total"] / s["t"])) if s["t"] else np.nan,
                "t_stat": float(t),
                "p_t": float(stats.t.sf(t, s["df"])),
            })
    return RollingStabilityResult(table=pd.DataFrame(rows), window=window, step=step, names=names, signs=signs)
