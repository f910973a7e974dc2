"""Does attention lead, or follow? Lead-lag tests that survive autocorrelation.

- :func:`stationarity` - ADF and KPSS on each series, with a plain verdict.
- :func:`granger` - per-lag Granger F-tests (identical to statsmodels' ssr
  F-test), with partial R-squared as the effect size.
- :func:`feedback_loop` - the returns -> attention -> flows -> returns loop,
  link by link, with circular-shift surrogate p-values, Holm's correction,
  and an intersection-union verdict on the loop as a whole.

statsmodels is imported inside the functions that need it, so that
``import attention`` stays fast.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ._results import ResultMixin, fmt_p, new_axes
from ._validate import align, as_frame, as_series, positive_int
from .errors import DataError, NonStationaryWarning

__all__ = [
    "FeedbackLoopResult",
    "GrangerResult",
    "feedback_loop",
    "granger",
    "holm",
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


# ---------------------------------------------------------------- feedback loop


def _sum_t_stats(y: np.ndarray, own: np.ndarray, causes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """t statistic and sum of the cause-lag coefficients, for a batch of cause matrices.

    ``y`` (n,), ``own`` (n, k) the regressors every model shares (constant and
    the effect's own lags), ``causes`` (b, n, L). By Frisch-Waugh-Lovell both y
    and the cause lags are first residualised on ``own``, so each surrogate
    costs one small L x L solve.
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


_LINKS = (("returns", "attention"), ("attention", "flows"), ("flows", "returns"))


@dataclass(frozen=True)
class FeedbackLoopResult(ResultMixin):
    """The loop returns -> attention -> flows -> returns, tested link by link.

    Attributes
    ----------
    links : DataFrame
        One row per link: ``cause``, ``effect``, ``lags``, ``n``,
        ``expected_sign``, ``effect_size`` (standardised cumulative response:
        sum of the cause-lag coefficients x sd(cause) / sd(effect), i.e. the
        effect's move in sds after a one-sd move in the cause), ``partial_r2``,
        ``t_stat``, ``p_surrogate`` (one-sided, in the claimed direction),
        ``p_holm``, ``p_granger`` (the classical two-sided F-test, for
        reference), ``holds``.
    p_loop : float
        Intersection-union p-value of the whole loop: the largest link p.
        The loop is supported at level ``alpha`` only if every link is.
    alpha : float
    n_surrogates : int
    stationarity : DataFrame
        ADF/KPSS on the three input series.
    null : dict
        The surrogate statistics of each link, for plots and checks.
    """

    links: pd.DataFrame
    p_loop: float
    alpha: float
    n_surrogates: int
    stationarity: pd.DataFrame
    names: dict = field(repr=False)
    null: dict = field(repr=False)

    @property
    def supported(self) -> bool:
        """Whether every link holds with the claimed sign at level ``alpha``."""
        return bool(self.p_loop <= self.alpha)

    @property
    def verdict(self) -> str:
        """The answer in one plain sentence."""
        failing = self.links.index[~self.links["holds"]].tolist()
        if self.supported:
            return (
                f"The data support the loop: every link holds in the claimed direction "
                f"(intersection-union p = {fmt_p(self.p_loop)})."
            )
        return (
            f"The data do not support the loop (intersection-union p = {fmt_p(self.p_loop)}): "
            f"{len(failing)} of 3 links fail - {', '.join(failing)}."
        )

    def to_frame(self) -> pd.DataFrame:
        return self.links.copy()

    def summary(self) -> str:
        n = self.names
        lines = [
            "Feedback loop test: returns -> attention -> flows -> returns",
            f"  returns = {n['returns']!r}, attention = {n['attention']!r}, flows = {n['flows']!r}",
            f"  {int(self.links['n'].iloc[0])} periods, {self.links['lags'].iloc[0]} lag(s), "
            f"{self.n_surrogates} circular-shift surrogates, alpha = {self.alpha}",
            "",
            f"{'link':<22} {'effect':>7} {'R2p':>6} {'t':>6} {'p':>7} {'p_holm':>7} {'F-test p':>8}  holds",
        ]
        for name, r in self.links.iterrows():
            lines.append(
                f"{name:<22} {r.effect_size:>+7.3f} {r.partial_r2:>6.3f} {r.t_stat:>+6.2f} "
                f"{fmt_p(r.p_surrogate):>7} {fmt_p(r.p_holm):>7} {fmt_p(r.p_granger):>8}  "
                f"{'yes' if r.holds else 'no'}"
            )
        lines += [
            "",
            self.verdict,
            "effect = sds the effect moves after a one-sd move of the cause (sum over lags);",
            "p = one-sided surrogate p-value in the claimed direction; R2p = partial R-squared.",
        ]
        bad = self.stationarity.index[~self.stationarity["stationary"]].tolist()
        if bad:
            lines.append(f"Caution: {bad} may not be stationary (ADF/KPSS).")
        return "\n".join(lines)

    def plot(self, ax=None):
        """The surrogate null distribution of each link, with the observed t."""
        fig, axes = new_axes(ax, 1, 3, figsize=(11, 3.2))
        for a, (name, r) in zip(axes, self.links.iterrows()):
            a.hist(self.null[name], bins=40, color="#c7d3e3")
            a.axvline(r.t_stat, color="#c44e52", lw=2, label=f"observed t = {r.t_stat:+.2f}")
            a.set(title=f"{name}\np = {fmt_p(r.p_surrogate)}", xlabel="t of summed lag effect")
            a.legend(fontsize=8)
        fig.tight_layout()
        return fig


def feedback_loop(
    attention,
    returns,
    flows,
    *,
    lags: int = 2,
    signs=(1, 1, 1),
    n_surrogates: int = 999,
    alpha: float = 0.05,
    seed=None,
) -> FeedbackLoopResult:
    """Test the loop returns -> attention -> flows -> returns on data.

    Each link ``cause -> effect`` is a regression of the effect on a constant,
    its own ``lags`` lags and ``lags`` lags of the cause. The statistic is the
    t of the *summed* cause coefficients, signed so that large values agree
    with the claim. Its null distribution comes from circular shifts of the
    cause against the effect: a shift keeps each series' autocorrelation and
    breaks only their alignment, so the p-value,
    ``(1 + #{T* >= T}) / (B + 1)``, survives the autocorrelation that makes
    textbook p-values of trending series far too small.

    The three link p-values are Holm-adjusted (each link is a claim of its
    own). The loop is a conjunction, tested as an intersection-union test:
    ``p_loop = max`` of the link p-values, and it holds only if every link does.

    Parameters
    ----------
    attention, returns, flows : Series
        Stationary series on one calendar (e.g. weekly log change of search
        interest, weekly log returns, flows scaled by assets). Aligned on
        common dates; rows with a NaN are dropped.
    lags : int, default 2
        Lags of cause and effect in each regression.
    signs : tuple of three of {+1, -1}
        Claimed direction of each link, in the order returns->attention,
        attention->flows, flows->returns. The story "rising performance
        drives search, search drives flows, flows push prices" is (1, 1, 1).
    n_surrogates : int, default 999
    alpha : float, default 0.05
    seed : int or numpy Generator, optional
        For reproducible surrogates.

    Returns
    -------
    FeedbackLoopResult

    Raises
    ------
    DataError
        For empty, non-numeric or all-NaN inputs, too few common dates for
        the lags, or invalid ``signs``, ``n_surrogates`` or ``alpha``.

    Warns
    -----
    NonStationaryWarning
        If ADF/KPSS suggest an input is not stationary.
    """
    lags = positive_int(lags, "lags")
    n_surrogates = positive_int(n_surrogates, "n_surrogates", minimum=19)
    if not (isinstance(alpha, (int, float)) and 0 < alpha < 1):
        raise DataError(f"alpha: expected a number between 0 and 1, got {alpha!r}")
    signs = tuple(signs)
    if len(signs) != 3 or any(s not in (1, -1) for s in signs):
        raise DataError(f"signs: expected three values each +1 or -1, got {signs!r}")
    series = {
        "attention": as_series(attention, "attention"),
        "returns": as_series(returns, "returns"),
        "flows": as_series(flows, "flows"),
    }
    names = {k: str(s.name) for k, s in series.items()}
    # Each regression has 2*lags+1 coefficients; ask for ten residual degrees
    # of freedom and room for a circular shift of at least 2*lags+1 periods.
    min_shift = 2 * lags + 1
    frame = align(series, min_obs=max(4 * lags + 12, 2 * min_shift + 20), why=f"for lags={lags}")
    st = stationarity(frame)
    st.index = [names[k] for k in frame.columns]
    _warn_nonstationary(st)

    rng = np.random.default_rng(seed)
    n = len(frame)
    shifts = rng.integers(min_shift, n - min_shift + 1, size=n_surrogates)
    rows, null = {}, {}
    for (cause, effect), sign in zip(_LINKS, signs):
        x, y = frame[cause].to_numpy(), frame[effect].to_numpy()
        own = np.hstack([np.ones((n - lags, 1)), _lags(y, lags)])
        observed = _lags(x, lags)[None]
        t_obs, total = _sum_t_stats(y[lags:], own, observed)
        # Chunks keep memory flat for long daily series.
        t_null = np.concatenate(
            [
                _sum_t_stats(y[lags:], own, _shifted_lags(x, lags, chunk))[0]
                for chunk in np.array_split(shifts, max(1, n * n_surrogates // 500_000))
            ]
        )
        t_obs, t_null = sign * t_obs[0], sign * t_null
        # A perfect fit has no residual variance and no t; it is no evidence of a direction.
        p_link = (1 + np.sum(t_null >= t_obs)) / (n_surrogates + 1) if np.isfinite(t_obs) else 1.0
        _, p_f, _, n_obs, pr2 = _granger_f(y, x, lags)
        name = f"{cause} -> {effect}"
        null[name] = t_null
        rows[name] = {
            "cause": names[cause],
            "effect": names[effect],
            "lags": lags,
            "n": n_obs,
            "expected_sign": sign,
            "effect_size": total[0] * x.std(ddof=1) / y.std(ddof=1),
            "partial_r2": pr2,
            "t_stat": t_obs,
            "p_surrogate": p_link,
            "p_granger": p_f,
        }
    links = pd.DataFrame.from_dict(rows, orient="index")
    links.insert(links.columns.get_loc("p_surrogate") + 1, "p_holm", holm(links["p_surrogate"]))
    links["holds"] = links["p_surrogate"] <= alpha
    return FeedbackLoopResult(
        links=links,
        p_loop=float(links["p_surrogate"].max()),
        alpha=float(alpha),
        n_surrogates=n_surrogates,
        stationarity=st,
        names=names,
        null=null,
    )
