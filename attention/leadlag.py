"""Which series moves first? Cross-correlations, VARs and Toda-Yamamoto tests.

- :func:`cross_correlation` - corr(x_{t-k}, y_t) for k = -max_lag..max_lag,
  after Box-Jenkins prewhitening or with Bartlett's bands for two
  autocorrelated series, so that the bands mean what they say.
- :func:`var_analysis` - a vector autoregression with its lag order chosen
  by an information criterion, residual checks, stability, Granger tests for
  every ordered pair (Holm-adjusted) and, through :meth:`VarResult.irf`,
  orthogonalised impulse responses under more than one ordering.
- :func:`toda_yamamoto` - the Toda-Yamamoto (1995) Granger test in levels,
  valid whether the series are stationary, integrated or cointegrated.

Every input goes through the same checks: one value per date, one
frequency, no NaN inside the sample (dropping it would join non-adjacent
periods and shift every lag), no constant series, and enough observations
for the lags asked for. Each failure is a :class:`~attention.errors.DataError`
that says what to do.

statsmodels and matplotlib are imported inside the functions that need
them, so that ``import attention`` stays fast.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ._results import ResultMixin, fmt_p, new_axes
from ._validate import as_series, naive_utc, positive_int
from .correlation import holm, stationarity
from .errors import DataError, NonStationaryWarning

__all__ = [
    "CrossCorrelationResult",
    "ImpulseResponseResult",
    "TodaYamamotoResult",
    "VarResult",
    "cross_correlation",
    "toda_yamamoto",
    "var_analysis",
]

_Z975 = 1.959963984540054  # scipy.stats.norm.ppf(0.975)
_AR_MAX = 8  # highest AR order tried when prewhitening
_TRENDS = ("n", "c", "ct", "ctt")
_ICS = ("aic", "bic", "hqic", "fpe")


# ---------------------------------------------------------------- input checks


def _step_name(step: pd.Timedelta) -> str:
    days = step / pd.Timedelta(days=1)
    known = ((0.9, 1.1, "daily"), (6.5, 7.5, "weekly"), (27, 32, "monthly"), (88, 93, "quarterly"))
    for lo, hi, name in known:
        if lo <= days <= hi:
            return name
    return f"every {days:g} days"


def _steps(index: pd.DatetimeIndex) -> np.ndarray:
    """Spacing between consecutive dates, in nanoseconds."""
    return np.diff(index.as_unit("ns").asi8)


def _median_step(index: pd.DatetimeIndex) -> pd.Timedelta | None:
    if len(index) < 2:
        return None
    return pd.Timedelta(int(np.median(_steps(index))), unit="ns")


def _prepare(series: dict, *, min_obs: int, why: str) -> tuple[pd.DataFrame, list[str]]:
    """Check and join named series into one gap-free frame on common dates.

    Leading and trailing rows with a NaN (the first difference, a late start)
    are trimmed; a NaN anywhere else is an error, never silently dropped.
    Returns the frame (columns keyed like ``series``) and display names: the
    series' own names, or the keys when those clash.
    """
    clean = {}
    for name, s in series.items():
        if isinstance(s, (pd.Series, pd.DataFrame)) and s.index.has_duplicates:
            dups = s.index[s.index.duplicated()]
            first = dups[0].date() if isinstance(dups[0], pd.Timestamp) else dups[0]
            raise DataError(
                f"{name}: {len(dups)} duplicate date(s) in the index (first: {first}); a time series needs "
                f"one value per date. Aggregate the repeats first, e.g. {name}.groupby(level=0).mean(), "
                f"or keep one with {name}[~{name}.index.duplicated(keep='last')]."
            )
        clean[name] = naive_utc(as_series(s, name))

    steps = {k: _median_step(s.dropna().index) for k, s in clean.items()}
    known = {k: v for k, v in steps.items() if v is not None and v > pd.Timedelta(0)}
    if len(known) > 1:
        lo, hi = min(known.values()), max(known.values())
        if hi / lo > 1.5:
            desc = ", ".join(f"{k} {_step_name(v)}" for k, v in known.items())
            raise DataError(
                f"{', '.join(known)}: the series are on different calendars ({desc}). Put them on one "
                "frequency first, e.g. attention.to_google_weeks(daily_returns) for Google's weekly data, "
                "or series.resample('W-SUN').last() for levels."
            )

    frame = pd.concat(clean, axis=1, join="inner")
    complete = frame.notna().all(axis=1)
    if complete.any():
        first = complete.to_numpy().argmax()
        last = len(complete) - complete.to_numpy()[::-1].argmax()
        frame = frame.iloc[first:last]
    else:
        frame = frame.iloc[:0]
    if frame.isna().any().any():
        col = frame.columns[frame.isna().any()][0]
        gaps = frame.index[frame[col].isna()]
        raise DataError(
            f"{col}: {len(gaps)} NaN value(s) inside the sample (first: {gaps[0].date()}). Dropping them "
            "would join non-adjacent periods and shift every lag. Fill them deliberately, e.g. "
            f"{col}.interpolate(limit_area='inside'), or restrict the sample to a stretch without gaps "
            f"with .loc[start:end]."
        )
    if len(frame) >= 3:
        step = _median_step(frame.index)
        if step >= pd.Timedelta(days=6):
            holes = frame.index[1:][_steps(frame.index) > 1.5 * step.value]
            if len(holes):
                raise DataError(
                    f"{', '.join(clean)}: {len(holes)} period(s) missing from the common dates (first gap "
                    f"ends {holes[0].date()}); the data are {_step_name(step)} and a missing row shifts "
                    "every lag after it. Reindex to the full calendar and fill the gap deliberately, or "
                    "restrict the sample with .loc[start:end]."
                )
    if len(frame) < min_obs:
        spans = "; ".join(
            f"{k}: {s.first_valid_index():%Y-%m-%d}..{s.last_valid_index():%Y-%m-%d} ({s.notna().sum()} obs)"
            for k, s in clean.items()
        )
        raise DataError(
            f"{', '.join(clean)}: {len(frame)} usable common dates, need at least {min_obs} {why}. "
            f"Lower the lags or use a longer sample; if the spans overlap, check that the indexes share "
            f"dates (a weekly series labelled Sunday never meets one labelled Friday) ({spans})."
        )
    for col in frame.columns:
        values = frame[col].to_numpy()
        if np.ptp(values) == 0:
            raise DataError(
                f"{col}: constant ({values[0]:g}) on all {len(values)} common dates, so it has no variance "
                "to lead or follow with. A flat search series usually means the term sits below Google's "
                "rounding floor: pick a more searched term or a longer window."
            )
    labels = [str(s.name) for s in clean.values()]
    return frame, labels if len(set(labels)) == len(labels) else list(clean)


def _warn_levels(table: pd.DataFrame, advice: str) -> None:
    bad = table.index[~table["stationary"]].tolist()
    if bad:
        warnings.warn(f"{bad} may not be stationary (ADF/KPSS); {advice}", NonStationaryWarning, stacklevel=3)


# ---------------------------------------------------------------- linear algebra


def _lagmat(x: np.ndarray, lags: int, start: int) -> np.ndarray:
    """Rows t = start..n-1 of [x_{t-1}, ..., x_{t-lags}] (x 1-d or 2-d; blocks of columns per lag)."""
    n = len(x)
    if lags == 0:
        return np.empty((n - start, 0))
    blocks = [x[start - k : n - k] for k in range(1, lags + 1)]
    return np.column_stack(blocks) if x.ndim == 1 else np.hstack(blocks)


def _deterministic(rows: int, trend: str, start: int) -> np.ndarray:
    """Constant, linear and quadratic trend columns for t = start..start+rows-1."""
    t = np.arange(start + 1, start + rows + 1, dtype=float)
    cols = []
    if trend.startswith("c"):
        cols.append(np.ones(rows))
    if trend in ("ct", "ctt"):
        cols.append(t)
    if trend == "ctt":
        cols.append(t**2)
    return np.column_stack(cols) if cols else np.empty((rows, 0))


def _ssr(y: np.ndarray, X: np.ndarray) -> float:
    if X.shape[1] == 0:
        return float(y @ y)
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ beta
    return float(resid @ resid)


# ---------------------------------------------------------------- cross-correlation core


def _ar_select(x: np.ndarray, max_order: int) -> tuple[int, np.ndarray]:
    """AR order by BIC with a constant, then the chosen AR refit on all usable rows.

    As in ``statsmodels.tsa.ar_model.ar_select_order(x, max_order, ic="bic")``:
    every order 0..max_order is fit on the common rows t = max_order..n-1 and
    ``BIC = T ln(SSR/T) + (p + 1) ln T`` compared; the winner is then refit on
    t = p..n-1, like ``AutoReg(x, p).fit()``. Returns (p, [const, phi_1..phi_p]).
    """
    y = x[max_order:]
    T = len(y)
    bics = []
    for p in range(max_order + 1):
        X = np.column_stack([np.ones(T), _lagmat(x, p, max_order)])
        bics.append(T * np.log(_ssr(y, X) / T) + (p + 1) * np.log(T))
    p = int(np.argmin(bics))
    X = np.column_stack([np.ones(len(x) - p), _lagmat(x, p, p)])
    beta, *_ = np.linalg.lstsq(X, x[p:], rcond=None)
    return p, beta


def _ar_filter(z: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """``z_t - sum_j phi_j z_{t-j}`` for t = p..n-1 (constants do not change correlations)."""
    p = len(phi)
    return z[p:] - _lagmat(z, p, p) @ phi if p else z.copy()


def _ccf(a: np.ndarray, b: np.ndarray, max_lag: int) -> np.ndarray:
    """r_k = sum_t (a_{t-k} - mean a)(b_t - mean b) / sqrt(sum (a-mean)^2 sum (b-mean)^2), k = -L..L."""
    a = a - a.mean()
    b = b - b.mean()
    n = len(a)
    denom = np.sqrt((a @ a) * (b @ b))
    out = np.empty(2 * max_lag + 1)
    for i, k in enumerate(range(-max_lag, max_lag + 1)):
        out[i] = (a[: n - k] @ b[k:] if k >= 0 else a[-k:] @ b[: n + k]) / denom
    return out


def _acf(x: np.ndarray, nlags: int) -> np.ndarray:
    x = x - x.mean()
    d = x @ x
    return np.array([x[: len(x) - j] @ x[j:] / d for j in range(nlags + 1)])


def _bartlett_factor(x: np.ndarray, y: np.ndarray) -> float:
    """sqrt(sum_j rho_xx(j) rho_yy(j)) over |j| <= n/4: how much wider than 1/sqrt(n) r_k's sd is.

    Bartlett (1935); Box, Jenkins & Reinsel, *Time Series Analysis*, eq. (12.1.5)-(12.1.6).
    Valid under independence of x and y, each stationary.
    """
    m = max(1, len(x) // 4)
    rx, ry = _acf(x, m), _acf(y, m)
    var = 1.0 + 2.0 * float(rx[1:] @ ry[1:])
    return float(np.sqrt(max(var, 1e-3)))


def _ccf_core(x: np.ndarray, y: np.ndarray, max_lag: int, prewhiten: bool) -> dict:
    """Everything cross_correlation computes, on plain arrays (used by the simulation tests too)."""
    from scipy import stats

    if prewhiten:
        p, beta = _ar_select(x, min(_AR_MAX, max(1, len(x) // 10)))
        phi = beta[1:]
        a, b = _ar_filter(x, phi), _ar_filter(y, phi)
        factor = 1.0
    else:
        p, phi = None, np.empty(0)
        a, b = x, y
        factor = _bartlett_factor(x, y)
    r = _ccf(a, b, max_lag)
    n = len(a)
    se = factor / np.sqrt(n)
    pv = 2 * stats.norm.sf(np.abs(r) / se)
    return {"r": r, "se": se, "n": n, "ar_order": p, "ar_params": phi, "factor": factor, "p": pv}


# ---------------------------------------------------------------- cross_correlation


@dataclass(frozen=True)
class CrossCorrelationResult(ResultMixin):
    """Cross-correlations corr(x_{t-k}, y_t) with bands that allow for autocorrelation.

    Attributes
    ----------
    x, y : str
        Names of the series. Positive lags mean ``x`` leads ``y``.
    table : DataFrame
        Indexed by ``lag`` (-max_lag..max_lag): ``r``, ``band_low``,
        ``band_high`` (the 95% band under independence), ``significant``
        (``r`` outside the band: pointwise, 5%), ``p_value`` (two-sided,
        normal approximation with the same standard error) and ``p_holm``
        (Holm across all lags shown).
    n : int
        Pairs behind each correlation (after prewhitening, ``n - ar_order``).
    prewhitened : bool
    ar_order : int or None
        Order of the AR filter fitted to ``x`` (BIC), when prewhitened.
    ar_params : tuple of float
        The AR coefficients phi_1..phi_p of that filter.
    se : float
        Standard error of each r_k under independence.
    bartlett_factor : float
        ``se * sqrt(n)``: 1 after prewhitening; without it, how much wider
        than the naive ``1/sqrt(n)`` the honest band is.
    stationarity : DataFrame
        ADF/KPSS on both input series.
    """

    x: str
    y: str
    table: pd.DataFrame
    n: int
    prewhitened: bool
    ar_order: int | None
    ar_params: tuple
    se: float
    bartlett_factor: float
    stationarity: pd.DataFrame = field(repr=False)

    @property
    def peak_lag(self) -> int:
        """The lag with the largest absolute correlation."""
        return int(self.table["r"].abs().idxmax())

    @property
    def significant_lags(self) -> list[int]:
        """Lags whose Holm-adjusted p-value is below 0.05."""
        return [int(k) for k in self.table.index[self.table["p_holm"] < 0.05]]

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> str:
        t = self.table
        half = _Z975 * self.se
        lines = [
            f"Cross-correlation corr({self.x}_(t-k), {self.y}_t); k > 0 means {self.x!r} leads {self.y!r}",
        ]
        if self.prewhitened:
            phi = ", ".join(f"{v:+.3f}" for v in self.ar_params) or "none"
            lines += [
                f"  prewhitened: AR({self.ar_order}) fitted to {self.x!r} by BIC (phi = {phi}),",
                f"  both series filtered with it; n = {self.n} pairs; band +/-{half:.3f} = 1.96/sqrt(n)",
            ]
        else:
            lines += [
                f"  not prewhitened; n = {self.n} pairs; Bartlett band +/-{half:.3f}",
                f"  (= {self.bartlett_factor:.2f} x the naive 1.96/sqrt(n) = "
                f"+/-{_Z975 / np.sqrt(self.n):.3f},"
                " which ignores autocorrelation)",
            ]
        lines += ["", f"{'lag':>5} {'r':>8} {'band':>15} {'p':>8} {'p_holm':>8}"]
        for lag, r in t.iterrows():
            star = " *" if r.significant else ""
            lines.append(
                f"{lag:>+5d} {r.r:>+8.3f} [{r.band_low:+.3f},{r.band_high:+.3f}] "
                f"{fmt_p(r.p_value):>8} {fmt_p(r.p_holm):>8}{star}"
            )
        peak = self.peak_lag
        pr = t.loc[peak]
        who = (
            f"{self.x!r} leads" if peak > 0 else f"{self.y!r} leads" if peak < 0 else "same period"
        )
        lines += ["", f"Largest |r| at lag {peak:+d} ({who}): r = {pr.r:+.3f}, p {fmt_p(pr.p_value)}, "
                  f"Holm p {fmt_p(pr.p_holm)}."]
        sig = self.significant_lags
        if sig:
            listed = ", ".join(f"{k:+d}" for k in sig)
            lines.append(f"Lags significant after Holm across {len(t)} lags: {listed}.")
        else:
            lines.append(
                f"No lag survives Holm's correction across {len(t)} lags; {int(t['significant'].sum())} "
                f"fall outside the pointwise band (about {0.05 * len(t):.1f} expected by chance)."
            )
        bad = self.stationarity.index[~self.stationarity["stationary"]].tolist()
        if bad:
            lines.append(f"Caution: {bad} may not be stationary (ADF/KPSS); correlate changes, not levels.")
        return "\n".join(lines)

    def plot(self, ax=None):
        """Stem plot of r_k against k with the 95% band under independence."""
        fig, ax = new_axes(ax, figsize=(8, 3.5))
        t = self.table
        lags = t.index.to_numpy()
        ax.fill_between(lags, t["band_low"], t["band_high"], color="#c7d3e3", alpha=0.6, step="mid",
                        label="95% band (independence)")
        ax.vlines(lags, 0, t["r"], color="#4c72b0", lw=1.5)
        colors = np.where(t["significant"], "#c44e52", "#4c72b0")
        ax.scatter(lags, t["r"], c=colors, zorder=3, s=22)
        ax.axhline(0, color="black", lw=0.8)
        ax.axvline(0, color="grey", lw=0.6, ls=":")
        kind = f"prewhitened, AR({self.ar_order})" if self.prewhitened else "Bartlett bands"
        ax.set(xlabel=f"lag k (k > 0: {self.x} leads)", ylabel="r_k",
               title=f"corr({self.x}_(t-k), {self.y}_t) - {kind}, n = {self.n}")
        ax.legend(loc="upper right", fontsize=8)
        fig.tight_layout()
        return fig


def cross_correlation(x, y, max_lag: int = 8, prewhiten: bool = True) -> CrossCorrelationResult:
    r"""Cross-correlations of ``x`` and ``y`` at leads and lags, with honest bands.

    For k = -max_lag..max_lag,

    .. math:: r_k = \frac{\sum_t (x_{t-k} - \bar x)(y_t - \bar y)}
                         {\sqrt{\sum_t (x_t - \bar x)^2 \sum_t (y_t - \bar y)^2}}

    (the usual estimator with divisor n), so a large ``r_k`` at positive k
    says ``x`` moves first.

    Under independence of x and y, Bartlett's formula gives

    .. math:: \operatorname{Var}(r_k) \approx \frac{1}{n} \sum_{j=-\infty}^{\infty}
              \rho_{xx}(j)\, \rho_{yy}(j),

    which is 1/n only if at least one series is white noise. Two AR(1)
    series with phi = 0.9 have ``sd(r_k) = sqrt((1 + phi^2)/(1 - phi^2)/n)``,
    3.1 times the textbook ``1/sqrt(n)``: half of all lags then look
    "significant" when nothing is there.

    With ``prewhiten=True`` (default; Box & Jenkins) an AR(p) is fitted to
    ``x`` (p by BIC, up to 8 lags, at most n/10), both ``x`` and ``y`` are
    passed through that same filter ``phi(B)``, and the residuals are
    correlated. The filtered ``x`` is white, so ``+/-1.96/sqrt(n)`` is a
    valid 95% band, and since one filter is applied to both series the
    lead-lag pattern of a transfer function ``y = v(B) x + noise`` survives.
    With ``prewhiten=False`` the raw series are correlated and the band is
    ``+/-1.96 sqrt(sum_{|j| <= n/4} r_xx(j) r_yy(j) / n)`` (sample
    autocorrelations in Bartlett's formula).

    Parameters
    ----------
    x, y : Series
        Stationary series on one DatetimeIndex frequency (weekly log change
        of search interest, weekly log returns, ...). Aligned on common
        dates; leading and trailing NaN (from differencing) are dropped.
    max_lag : int, default 8
    prewhiten : bool, default True

    Returns
    -------
    CrossCorrelationResult

    Raises
    ------
    DataError
        For duplicate dates, different frequencies, NaN inside the common
        sample, a constant series, or fewer than ``max(20, 2 * max_lag + 10)``
        common dates.

    Warns
    -----
    NonStationaryWarning
        If ADF/KPSS suggest either series is not stationary.

    References
    ----------
    M. S. Bartlett (1935), "Some aspects of the time-correlation problem in
    regard to tests of significance", JRSS 98(3), 536-543.
    G. E. P. Box, G. M. Jenkins, G. C. Reinsel (2008), *Time Series Analysis:
    Forecasting and Control*, 4th ed., ch. 12.1-12.2 (prewhitening).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> idx = pd.date_range("2015-01-04", periods=300, freq="W-SUN")
    >>> x = pd.Series(rng.normal(size=300), idx, name="searches")
    >>> y = (0.6 * x.shift(2) + pd.Series(rng.normal(size=300), idx)).rename("returns")
    >>> cc = cross_correlation(x, y, max_lag=4)
    >>> cc.peak_lag, cc.significant_lags
    (2, [2])
    """
    max_lag = positive_int(max_lag, "max_lag")
    if not isinstance(prewhiten, (bool, np.bool_)):
        raise DataError(f"prewhiten: expected True or False, got {prewhiten!r}")
    frame, names = _prepare({"x": x, "y": y}, min_obs=max(20, 2 * max_lag + 10), why=f"for max_lag={max_lag}")
    st = stationarity(frame)
    st.index = names
    _warn_levels(st, "cross-correlate changes (attention.log_change, attention.log_returns), not levels")
    core = _ccf_core(frame["x"].to_numpy(), frame["y"].to_numpy(), max_lag, bool(prewhiten))
    half = _Z975 * core["se"]
    table = pd.DataFrame(
        {
            "r": core["r"],
            "band_low": -half,
            "band_high": half,
            "significant": np.abs(core["r"]) > half,
            "p_value": core["p"],
            "p_holm": holm(core["p"]),
        },
        index=pd.RangeIndex(-max_lag, max_lag + 1, name="lag"),
    )
    return CrossCorrelationResult(
        x=names[0],
        y=names[1],
        table=table,
        n=int(core["n"]),
        prewhitened=bool(prewhiten),
        ar_order=core["ar_order"],
        ar_params=tuple(float(v) for v in core["ar_params"]),
        se=float(core["se"]),
        bartlett_factor=float(core["factor"]),
        stationarity=st,
    )


# ---------------------------------------------------------------- VAR core (numpy)


def _var_fit(Y: np.ndarray, p: int, trend: str, start: int | None = None) -> dict:
    """OLS VAR(p) on rows t = start..n-1 (default p). Coefficients as in statsmodels' VAR."""
    start = p if start is None else start
    n, K = Y.shape
    Z = np.hstack([_deterministic(n - start, trend, start), _lagmat(Y, p, start)])
    target = Y[start:]
    B, *_ = np.linalg.lstsq(Z, target, rcond=None)
    U = target - Z @ B
    T, k = Z.shape
    kdet = k - K * p
    A = np.stack([B[kdet + K * i : kdet + K * (i + 1)].T for i in range(p)]) if p else np.empty((0, K, K))
    return {"B": B, "Z": Z, "U": U, "A": A, "kdet": kdet, "T": T, "k": k,
            "sigma": U.T @ U / (T - k), "sigma_mle": U.T @ U / T}


def _var_select(Y: np.ndarray, max_lags: int, trend: str) -> pd.DataFrame:
    """AIC, BIC, HQIC and FPE for p = p_min..max_lags on the common rows t = max_lags..n-1.

    Same formulas and samples as ``statsmodels VAR(Y).select_order(max_lags, trend)``
    (Lütkepohl 2005, sec. 4.3): with T rows, K series and m deterministic terms,
    ``IC = ln det(Sigma_mle) + c_T (p K^2 + m K) / T`` with c_T = 2 (AIC),
    ln T (BIC), 2 ln ln T (HQIC).
    """
    K = Y.shape[1]
    rows = {}
    for p in range(0 if trend != "n" else 1, max_lags + 1):
        f = _var_fit(Y, p, trend, start=max_lags)
        T, k = f["T"], f["k"]
        _, ld = np.linalg.slogdet(f["sigma_mle"])
        free = p * K**2 + K * f["kdet"]
        rows[p] = {
            "aic": ld + 2.0 / T * free,
            "bic": ld + np.log(T) / T * free,
            "hqic": ld + 2.0 * np.log(np.log(T)) / T * free,
            "fpe": ((T + k) / (T - k)) ** K * np.exp(ld),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "p"
    return table


def _ma(A: np.ndarray, periods: int) -> np.ndarray:
    """MA coefficients Phi_0..Phi_H (batched over leading axes).

    Phi_0 = I, Phi_h = sum_{i=1}^{min(h,p)} Phi_{h-i} A_i.
    """
    *batch, p, K, _ = A.shape
    phi = np.zeros((*batch, periods + 1, K, K))
    phi[..., 0, :, :] = np.eye(K)
    for h in range(1, periods + 1):
        for i in range(1, min(h, p) + 1):
            phi[..., h, :, :] += phi[..., h - i, :, :] @ A[..., i - 1, :, :]
    return phi


def _impact(sigma: np.ndarray, perm: list[int]) -> np.ndarray:
    """Cholesky impact matrix for the ordering ``perm``, in the original variable order (batched)."""
    L = np.linalg.cholesky(sigma[..., perm, :][..., :, perm])
    out = np.zeros_like(sigma)
    idx = np.asarray(perm)
    out[..., idx[:, None], idx[None, :]] = L
    return out


def _bootstrap_var(Y: np.ndarray, fit: dict, p: int, trend: str, repl: int, rng) -> dict:
    """Residual bootstrap of a VAR(p): simulate ``repl`` samples recursively, refit each.

    The first p observations are kept; residuals are centred and drawn with
    replacement (Runkle 1987; Lütkepohl 2005, appendix D.3).
    """
    n, K = Y.shape
    T, kdet = fit["T"], fit["kdet"]
    U = fit["U"] - fit["U"].mean(axis=0)
    det = _deterministic(T, trend, p) @ fit["B"][:kdet] if kdet else np.zeros((T, K))
    A = fit["A"]
    draws = U[rng.integers(0, T, size=(repl, T))]  # (repl, T, K)
    Ys = np.empty((repl, n, K))
    Ys[:, :p] = Y[:p]
    for t in range(p, n):
        nxt = det[t - p] + draws[:, t - p]
        for i in range(1, p + 1):
            nxt = nxt + Ys[:, t - i] @ A[i - 1].T
        Ys[:, t] = nxt
    Z = np.concatenate(
        [np.broadcast_to(_deterministic(T, trend, p), (repl, T, kdet))]
        + [Ys[:, p - i : n - i] for i in range(1, p + 1)],
        axis=2,
    )
    target = Ys[:, p:]
    ZtZ = Z.transpose(0, 2, 1) @ Z
    B = np.linalg.solve(ZtZ, Z.transpose(0, 2, 1) @ target)
    Ures = target - Z @ B
    k = Z.shape[2]
    sigma = Ures.transpose(0, 2, 1) @ Ures / (T - k)
    A_b = np.stack([B[:, kdet + K * i : kdet + K * (i + 1)].transpose(0, 2, 1) for i in range(p)], axis=1)
    return {"A": A_b, "sigma": sigma}


# ---------------------------------------------------------------- impulse responses


@dataclass(frozen=True)
class ImpulseResponseResult(ResultMixin):
    """Orthogonalised impulse responses of a VAR under one or more Cholesky orderings.

    Attributes
    ----------
    names : tuple of str
        The VAR's variables.
    orderings : tuple of tuple of str
        Each ordering, first variable first: a shock to an earlier variable
        may move later ones in the same period, not the other way round.
    periods : int
        Horizons 0..periods.
    bands : {"bootstrap", "asymptotic"}
    repl : int or None
        Bootstrap replications (None for asymptotic bands).
    table : DataFrame
        One row per ordering, impulse, response and horizon: ``response_value``
        (the response, in the response's units, to a one-standard-deviation
        orthogonal shock), ``lower``, ``upper`` (95% band), ``cumulative``,
        ``cum_lower``, ``cum_upper`` (the same for the sum over horizons 0..h).
    resid_corr : DataFrame
        Correlations of the VAR residuals; the larger they are, the more
        the responses depend on the ordering.
    """

    names: tuple
    orderings: tuple
    periods: int
    bands: str
    repl: int | None
    table: pd.DataFrame
    resid_corr: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def _ordering_label(self, ordering) -> str:
        return " > ".join(ordering)

    def summary(self) -> str:
        t = self.table
        H = self.periods
        kind = f"residual bootstrap, {self.repl} replications" if self.bands == "bootstrap" else "asymptotic"
        lines = [
            "Orthogonalised impulse responses (one-sd Cholesky shocks)",
            f"  {len(self.orderings)} orderings, horizons 0..{H}, 95% bands: {kind}",
            "",
            f"{'ordering':<28} {'impulse -> response':<30} {'impact':>8} {'cumulative to h=' + str(H):>30}",
        ]
        for ordering in self.orderings:
            label = self._ordering_label(ordering)
            for imp in self.names:
                for resp in self.names:
                    if imp == resp:
                        continue
                    rows = t[(t["ordering"] == label) & (t["impulse"] == imp) & (t["response"] == resp)]
                    r0 = rows[rows["horizon"] == 0].iloc[0]
                    rh = rows[rows["horizon"] == H].iloc[0]
                    excl = "" if rh.cum_lower <= 0 <= rh.cum_upper else " *"
                    lines.append(
                        f"{label:<28} {imp + ' -> ' + resp:<30} {r0.response_value:>+8.4f} "
                        f"{rh.cumulative:>+10.4f} [{rh.cum_lower:+.4f},{rh.cum_upper:+.4f}]{excl}"
                    )
        rc = self.resid_corr.to_numpy()
        off = np.abs(rc[np.triu_indices(len(rc), 1)])
        lines += [
            "",
            "* the 95% band of the cumulative response excludes 0.",
            f"Largest residual correlation |{off.max():.3f}|: "
            + (
                "the orderings differ mostly in the impact period; "
                "compare them before reading a response as causal."
                if off.max() >= 0.1
                else "small, so the ordering matters little."
            ),
        ]
        return "\n".join(lines)

    def plot(self, ax=None):
        """Grid of responses (rows) to impulses (columns), one line and band per ordering."""
        K = len(self.names)
        fig, axes = new_axes(ax, K, K, figsize=(3.2 * K, 2.5 * K))
        axes = np.asarray(axes).reshape(K, K)
        colors = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b2", "#937860"]
        t = self.table
        for oi, ordering in enumerate(self.orderings):
            label = self._ordering_label(ordering)
            c = colors[oi % len(colors)]
            for i, resp in enumerate(self.names):
                for j, imp in enumerate(self.names):
                    a = axes[i, j]
                    rows = t[(t["ordering"] == label) & (t["impulse"] == imp) & (t["response"] == resp)]
                    a.plot(rows["horizon"], rows["response_value"], color=c, lw=1.5, label=label)
                    a.fill_between(rows["horizon"], rows["lower"], rows["upper"], color=c, alpha=0.15)
                    a.axhline(0, color="black", lw=0.6)
                    a.set_title(f"{imp} -> {resp}", fontsize=9)
        for a in axes[-1]:
            a.set_xlabel("horizon")
        axes[0, 0].legend(fontsize=7)
        fig.tight_layout()
        return fig


# ---------------------------------------------------------------- var_analysis


@dataclass(frozen=True)
class VarResult(ResultMixin):
    """A VAR fitted with lag selection, diagnostics and pairwise Granger tests.

    Attributes
    ----------
    names : tuple of str
    p : int
        Lag order used (the one selected by ``ic``; 1 if it selected 0).
    ic : str
    trend : str
    n_obs : int
        Observations in the fit (rows minus p).
    lag_selection : DataFrame
        Indexed by ``p``: ``aic``, ``bic``, ``hqic``, ``fpe``, each on the
        common sample of the largest model (as statsmodels' select_order).
    selected : dict
        The order each criterion picks.
    whiteness : dict
        Portmanteau test (adjusted, Lütkepohl 4.4.3) for residual
        autocorrelation up to ``nlags``: ``statistic``, ``p_value``, ``df``, ``nlags``.
    normality : dict
        Multivariate Jarque-Bera test of the residuals: ``statistic``,
        ``p_value``, ``df``.
    stable : bool
        Whether every eigenvalue of the companion matrix (inverse root of
        the AR polynomial) lies inside the unit circle.
    max_modulus : float
        The largest of those moduli.
    causality : DataFrame
        One row per ordered pair ``"cause -> effect"``: ``cause``,
        ``effect``, ``F``, ``df_num``, ``df_denom``, ``p_value``, ``p_holm``
        (Holm across all pairs), ``partial_r2`` (share of the effect
        equation's remaining variance explained by the cause's lags).
    resid_corr : DataFrame
        Correlations of the residuals.
    stationarity : DataFrame
        ADF/KPSS on each input series.
    notes : tuple of str
    data : DataFrame
        The checked data the VAR was fitted to.
    fitted : statsmodels VARResults
        For anything this summary does not show.
    """

    names: tuple
    p: int
    ic: str
    trend: str
    n_obs: int
    lag_selection: pd.DataFrame
    selected: dict
    whiteness: dict
    normality: dict
    stable: bool
    max_modulus: float
    causality: pd.DataFrame
    resid_corr: pd.DataFrame
    stationarity: pd.DataFrame = field(repr=False)
    notes: tuple = ()
    data: pd.DataFrame = field(default=None, repr=False, compare=False)
    fitted: object = field(default=None, repr=False, compare=False)

    def to_frame(self) -> pd.DataFrame:
        return self.causality.copy()

    def summary(self) -> str:
        K = len(self.names)
        lines = [
            f"VAR({self.p}) of {', '.join(repr(n) for n in self.names)}; trend {self.trend!r}; "
            f"n = {self.n_obs} observations",
            f"  lag order by {self.ic.upper()}: {self.selected[self.ic]} "
            f"(AIC {self.selected['aic']}, BIC {self.selected['bic']}, HQIC {self.selected['hqic']}, "
            f"FPE {self.selected['fpe']}; tried 0..{self.lag_selection.index.max()})",
        ]
        lines += [f"  note: {n}" for n in self.notes]
        w, nm = self.whiteness, self.normality
        lines += [
            "",
            "Diagnostics",
            f"  residual autocorrelation (portmanteau, {w['nlags']} lags): chi2({w['df']}) = "
            f"{w['statistic']:.2f}, p {fmt_p(w['p_value'])}"
            + (
                "  -> residuals NOT white; try more lags"
                if w["p_value"] < 0.05
                else "  -> no evidence against white residuals"
            ),
            f"  normality (Jarque-Bera): chi2({nm['df']}) = {nm['statistic']:.2f}, p {fmt_p(nm['p_value'])}"
            + ("  -> non-normal residuals (fat tails are usual for returns; tests rely on large n)"
               if nm["p_value"] < 0.05 else ""),
            (
                f"  stability: stable - every companion eigenvalue is inside the unit circle "
                f"(largest modulus {self.max_modulus:.3f})"
                if self.stable
                else f"  stability: UNSTABLE - an eigenvalue has modulus {self.max_modulus:.3f} >= 1; "
                "the VAR "
                "explodes, impulse responses do not die out, and the Granger F-tests are not valid. "
                "Difference the data or use toda_yamamoto()."
            ),
            "",
            f"Granger causality (F-tests in the {K}-variable VAR; Holm across {len(self.causality)} pairs)",
            f"  {'cause -> effect':<34} {'F':>8} {'df':>10} {'p':>8} {'p_holm':>8} {'partial R2':>11}",
        ]
        for name, r in self.causality.iterrows():
            lines.append(
                f"  {name:<34} {r.F:>8.3f} {f'{int(r.df_num)},{int(r.df_denom)}':>10} {fmt_p(r.p_value):>8} "
                f"{fmt_p(r.p_holm):>8} {r.partial_r2:>11.4f}"
            )
        sig = self.causality.index[self.causality["p_holm"] < 0.05].tolist()
        lines += [
            "",
            (
                f"Significant after Holm: {', '.join(sig)}."
                if sig
                else "No pair is significant after Holm's correction."
            ),
            "Granger causality is predictive precedence, not proof of cause.",
        ]
        if K > 2:
            lines.append("Each test conditions on the lags of the other variables in the VAR.")
        bad = self.stationarity.index[~self.stationarity["stationary"]].tolist()
        if bad:
            lines.append(f"Caution: {bad} may not be stationary (ADF/KPSS); F-tests in levels mislead - "
                         "use changes or toda_yamamoto().")
        return "\n".join(lines)

    def plot(self, ax=None):
        """Left: information criteria by lag order. Right: Holm p-values of every Granger pair."""
        fig, axes = new_axes(ax, 1, 2, figsize=(11, 3.8))
        a, b = axes
        ls = self.lag_selection
        for col in ("aic", "bic", "hqic"):
            v = ls[col]
            a.plot(ls.index, v - v.min(), marker="o", label=col.upper())
        a.axvline(self.p, color="grey", ls=":", lw=1)
        a.set(xlabel="lag order p", ylabel="criterion - its minimum",
              title=f"lag selection (chosen p = {self.p})")
        a.legend(fontsize=8)
        K = len(self.names)
        mat = np.full((K, K), np.nan)
        for _, r in self.causality.iterrows():
            mat[self.names.index(r.effect), self.names.index(r.cause)] = r.p_holm
        im = b.imshow(mat, vmin=0, vmax=1, cmap="RdYlGn")
        for i in range(K):
            for j in range(K):
                if not np.isnan(mat[i, j]):
                    b.text(j, i, fmt_p(mat[i, j]), ha="center", va="center", fontsize=9)
        b.set_xticks(range(K), self.names, rotation=30, ha="right")
        b.set_yticks(range(K), self.names)
        b.set(xlabel="cause", ylabel="effect", title="Granger, Holm-adjusted p")
        fig.colorbar(im, ax=b, fraction=0.046)
        fig.tight_layout()
        return fig

    def irf(
        self,
        periods: int = 10,
        orderings=None,
        bands: str = "bootstrap",
        repl: int = 500,
        seed=None,
    ) -> ImpulseResponseResult:
        r"""Orthogonalised impulse responses under several orderings, with 95% bands.

        With the VAR's moving-average coefficients ``Phi_h`` (``Phi_0 = I``,
        ``Phi_h = sum_{i=1}^{min(h,p)} Phi_{h-i} A_i``) and the Cholesky factor
        ``P`` of the residual covariance taken in a given ordering, the
        response of every variable h periods after a one-sd orthogonal shock
        is ``Theta_h = Phi_h P``; the cumulative response is
        ``sum_{s<=h} Theta_s``. Lütkepohl (2005), sec. 2.3.2.

        The ordering is an assumption: a variable earlier in it may move the
        later ones within the same period, not the reverse. Results are
        reported for every ordering asked for so that conclusions that hinge
        on it show up.

        Parameters
        ----------
        periods : int, default 10
        orderings : list of sequences of names (or column positions), optional
            Defaults to the column order and its reverse.
        bands : {"bootstrap", "asymptotic"}
            ``"bootstrap"``: residual bootstrap (resample centred residuals,
            rebuild the series recursively from the first p observations,
            refit the VAR, percentile intervals; Runkle 1987).
            ``"asymptotic"``: point estimate +/- 1.96 delta-method standard
            errors (Lütkepohl 2005, prop. 3.6; statsmodels ``IRAnalysis.stderr``).
        repl : int, default 500
            Bootstrap replications.
        seed : int or numpy Generator, optional

        Returns
        -------
        ImpulseResponseResult

        Raises
        ------
        DataError
            For an unknown ``bands``, an ordering that is not a permutation
            of the variables, or ``periods``/``repl`` below 1/20.
        """
        periods = positive_int(periods, "periods")
        if bands not in ("bootstrap", "asymptotic"):
            raise DataError(f"bands: expected 'bootstrap' or 'asymptotic', got {bands!r}")
        names = list(self.names)
        K = len(names)
        if orderings is None:
            orderings = [names, names[::-1]]
        perms = []
        for o in orderings:
            try:
                perm = [
                    c if isinstance(c, (int, np.integer)) and not isinstance(c, bool) else names.index(str(c))
                    for c in o
                ]
            except ValueError:
                raise DataError(f"orderings: {list(o)!r} names a variable not in {names}") from None
            if sorted(perm) != list(range(K)):
                raise DataError(f"orderings: {list(o)!r} is not an ordering of all of {names}")
            if perm not in perms:
                perms.append(perm)

        Y = self.data.to_numpy()
        fit = _var_fit(Y, self.p, self.trend)
        phi = _ma(fit["A"], periods)
        point = {tuple(pm): phi @ _impact(fit["sigma"], pm) for pm in perms}

        lower, upper, clow, cupp = {}, {}, {}, {}
        if bands == "bootstrap":
            repl = positive_int(repl, "repl", minimum=20)
            rng = np.random.default_rng(seed)
            boot = _bootstrap_var(Y, fit, self.p, self.trend, repl, rng)
            phi_b = _ma(boot["A"], periods)
            for pm in perms:
                theta = phi_b @ _impact(boot["sigma"], pm)[:, None]
                lo, hi = np.quantile(theta, [0.025, 0.975], axis=0)
                clo, chi = np.quantile(theta.cumsum(axis=1), [0.025, 0.975], axis=0)
                lower[tuple(pm)], upper[tuple(pm)] = lo, hi
                clow[tuple(pm)], cupp[tuple(pm)] = clo, chi
        else:
            from statsmodels.tsa.vector_ar.var_model import VAR

            repl = None
            for pm in perms:
                sub = self.data.iloc[:, pm].reset_index(drop=True)
                ir = VAR(sub).fit(self.p, trend=self.trend).irf(periods)
                se = _unpermute(ir.stderr(orth=True), pm)
                cse = _unpermute(ir.cum_effect_stderr(orth=True), pm)
                th = point[tuple(pm)]
                lower[tuple(pm)], upper[tuple(pm)] = th - _Z975 * se, th + _Z975 * se
                cth = th.cumsum(axis=0)
                clow[tuple(pm)], cupp[tuple(pm)] = cth - _Z975 * cse, cth + _Z975 * cse

        rows = []
        for pm in perms:
            key = tuple(pm)
            label = " > ".join(names[i] for i in pm)
            th, cth = point[key], point[key].cumsum(axis=0)
            for j, imp in enumerate(names):
                for i, resp in enumerate(names):
                    for h in range(periods + 1):
                        rows.append((
                            label, imp, resp, h,
                            th[h, i, j], lower[key][h, i, j], upper[key][h, i, j],
                            cth[h, i, j], clow[key][h, i, j], cupp[key][h, i, j],
                        ))
        table = pd.DataFrame(
            rows,
            columns=["ordering", "impulse", "response", "horizon", "response_value", "lower", "upper",
                     "cumulative", "cum_lower", "cum_upper"],
        )
        return ImpulseResponseResult(
            names=tuple(names),
            orderings=tuple(tuple(names[i] for i in pm) for pm in perms),
            periods=periods,
            bands=bands,
            repl=repl,
            table=table,
            resid_corr=self.resid_corr,
        )


def _unpermute(arr: np.ndarray, perm: list[int]) -> np.ndarray:
    """Map (H, K, K) arrays from a VAR fitted on columns ``perm`` back to the original order."""
    out = np.empty_like(arr)
    idx = np.asarray(perm)
    out[:, idx[:, None], idx[None, :]] = arr
    return out


def var_analysis(data, max_lags: int = 8, ic: str = "bic", trend: str = "c") -> VarResult:
    r"""Fit a VAR, choose its lags, check it, and test Granger causality for every pair.

    The VAR(p) is

    .. math:: y_t = \nu + A_1 y_{t-1} + \dots + A_p y_{t-p} + u_t,
              \quad u_t \sim (0, \Sigma_u),

    estimated by OLS equation by equation (statsmodels ``VAR``). Steps:

    1. **Lag order**: ``ic`` (default BIC) over p = 0..max_lags, every
       model on the same rows (Lütkepohl 2005, sec. 4.3). BIC is
       ``ln det Sigma_mle + ln(T)/T * (p K^2 + K m)``. If it picks 0, p = 1
       is used so that the tests are defined (and the summary says so).
    2. **Residual checks**: the adjusted portmanteau test of no residual
       autocorrelation up to ``max(10, p + 5)`` lags,
       ``Q = T^2 sum_h tr(C_h' C_0^{-1} C_h C_0^{-1}) / (T - h)``, chi-square
       with ``K^2 (h - p)`` df; and a multivariate Jarque-Bera normality test.
    3. **Stability**: the VAR is stable (stationary) iff every eigenvalue of
       the companion matrix lies inside the unit circle.
    4. **Granger causality** for every ordered pair (cause, effect): the
       Wald test that all p lag coefficients of the cause in the effect's
       equation are zero, in F form ``F = W / p`` with ``(p, K (T - Kp - m))``
       df (statsmodels ``test_causality(kind="f")``). p-values are
       Holm-adjusted across the K(K-1) pairs. The effect size is the partial
       R-squared ``(SSR_r - SSR_u) / SSR_r`` of the effect's equation.

    Impulse responses: :meth:`VarResult.irf`.

    Parameters
    ----------
    data : DataFrame
        Two or more stationary series (columns) on one DatetimeIndex
        frequency. Leading and trailing rows with a NaN are dropped.
    max_lags : int, default 8
    ic : {"bic", "aic", "hqic", "fpe"}
    trend : {"c", "n", "ct", "ctt"}
        Deterministic terms: constant, none, constant and linear trend, plus quadratic.

    Returns
    -------
    VarResult

    Raises
    ------
    DataError
        For fewer than two columns, duplicate dates, NaN inside the sample,
        a constant column, an unknown ``ic`` or ``trend``, or fewer than
        ``max_lags (K + 1) + m + 10`` rows.

    Warns
    -----
    NonStationaryWarning
        If ADF/KPSS suggest a column is not stationary.

    References
    ----------
    H. Lütkepohl (2005), *New Introduction to Multiple Time Series Analysis*,
    Springer, ch. 2-4.
    C. W. J. Granger (1969), "Investigating causal relations by econometric
    models and cross-spectral methods", Econometrica 37(3), 424-438.
    S. Holm (1979), "A simple sequentially rejective multiple test procedure",
    Scand. J. Statist. 6(2), 65-70.
    """
    from statsmodels.tsa.vector_ar.var_model import VAR

    max_lags = positive_int(max_lags, "max_lags")
    if ic not in _ICS:
        raise DataError(f"ic: expected one of {_ICS}, got {ic!r}")
    if trend not in _TRENDS:
        raise DataError(f"trend: expected one of {_TRENDS}, got {trend!r}")
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"data: expected a DataFrame with one column per series, got {type(data).__name__}")
    if data.shape[1] < 2:
        raise DataError(f"data: a VAR needs at least two columns, got {data.shape[1]}")
    names = [str(c[-1] if isinstance(c, tuple) else c) for c in data.columns]
    if len(set(names)) != len(names):
        raise DataError(f"data: column names must be distinct, got {names}")
    if data.index.has_duplicates:
        dup = data.index[data.index.duplicated()][0]
        raise DataError(
            f"data: duplicate dates in the index (first: {getattr(dup, 'date', lambda: dup)()}); "
            "a time series needs one row per date. Aggregate first, e.g. data.groupby(level=0).mean()."
        )
    K = len(names)
    m = 0 if trend == "n" else len(trend)
    need = max_lags * (K + 1) + m + 10
    series = {n: data.iloc[:, i] for i, n in enumerate(names)}
    frame, _ = _prepare(series, min_obs=need, why=f"for max_lags={max_lags} with {K} series")
    st = stationarity(frame)
    _warn_levels(st, "a VAR in levels gives invalid Granger tests; use changes or toda_yamamoto()")

    endog = frame.reset_index(drop=True)
    model = VAR(endog)
    sel = model.select_order(maxlags=max_lags, trend=trend)
    p_min = 0 if trend != "n" else 1
    lag_table = pd.DataFrame(
        {k: sel.ics[k] for k in _ICS}, index=pd.RangeIndex(p_min, max_lags + 1, name="p")
    )
    selected = {k: int(sel.selected_orders[k]) for k in _ICS}
    p = selected[ic]
    notes = []
    if p == 0:
        notes.append(f"{ic.upper()} chose 0 lags (no dynamics); p = 1 is used so the tests are defined.")
        p = 1
    res = model.fit(p, trend=trend)

    h = max(10, p + 5)
    wt = res.test_whiteness(nlags=h, adjusted=True)
    nt = res.test_normality()
    whiteness = {
        "statistic": float(wt.test_statistic), "p_value": float(wt.pvalue), "df": int(wt.df), "nlags": h
    }
    normality = {"statistic": float(nt.test_statistic), "p_value": float(nt.pvalue), "df": int(nt.df)}

    fit = _var_fit(frame.to_numpy(), p, trend)
    companion = np.zeros((K * p, K * p))
    companion[:K] = np.hstack(list(fit["A"]))
    companion[K:, :-K] = np.eye(K * (p - 1))
    max_mod = float(np.abs(np.linalg.eigvals(companion)).max())
    stable = bool(res.is_stable()) and max_mod < 1

    Z, target = fit["Z"], frame.to_numpy()[p:]
    rows = {}
    for ci, cause in enumerate(names):
        for ei, effect in enumerate(names):
            if ci == ei:
                continue
            ct = res.test_causality(caused=effect, causing=cause, kind="f")
            keep = np.ones(Z.shape[1], dtype=bool)
            keep[[fit["kdet"] + K * lag + ci for lag in range(p)]] = False
            ssr_u = _ssr(target[:, ei], Z)
            ssr_r = _ssr(target[:, ei], Z[:, keep])
            rows[f"{cause} -> {effect}"] = {
                "cause": cause,
                "effect": effect,
                "F": float(ct.test_statistic),
                "df_num": int(ct.df[0]),
                "df_denom": int(ct.df[1]),
                "p_value": float(ct.pvalue),
                "partial_r2": (ssr_r - ssr_u) / ssr_r,
            }
    causality = pd.DataFrame.from_dict(rows, orient="index")
    causality.insert(causality.columns.get_loc("p_value") + 1, "p_holm", holm(causality["p_value"]))

    sd = np.sqrt(np.diag(fit["sigma"]))
    resid_corr = pd.DataFrame(fit["sigma"] / np.outer(sd, sd), index=names, columns=names)
    return VarResult(
        names=tuple(names),
        p=p,
        ic=ic,
        trend=trend,
        n_obs=int(res.nobs),
        lag_selection=lag_table,
        selected=selected,
        whiteness=whiteness,
        normality=normality,
        stable=stable,
        max_modulus=max_mod,
        causality=causality,
        resid_corr=resid_corr,
        stationarity=st,
        notes=tuple(notes),
        data=frame,
        fitted=res,
    )


# ---------------------------------------------------------------- Toda-Yamamoto


@dataclass(frozen=True)
class TodaYamamotoResult(ResultMixin):
    """Toda-Yamamoto test that ``cause`` Granger-causes ``effect``, in levels.

    Attributes
    ----------
    cause, effect : str
    p : int
        VAR lag order chosen by BIC on the levels (at least 1).
    d_max : int
        Extra lags added, the highest integration order of the two series.
    d_max_given : bool
        Whether ``d_max`` was passed in rather than estimated.
    wald : float
        Wald statistic for the first p lags of the cause in the effect's
        equation; chi-square with ``df = p`` under the null.
    df : int
    p_value : float
    n_obs : int
        Observations in the levels VAR(p + d_max).
    partial_r2 : float
        Share of the effect equation's remaining variance explained by the
        tested lags.
    coefficients : DataFrame
        Indexed by lag 1..p + d_max: the cause's ``coef`` and ``se`` in the
        effect's equation and ``tested`` (True for the first p).
    integration : DataFrame
        One row per series and differencing order tried: ADF/KPSS results
        and the integration order ``d`` concluded (empty when ``d_max`` was given).
    lag_selection : DataFrame
        AIC/BIC/HQIC/FPE of the levels VAR by lag order.
    """

    cause: str
    effect: str
    p: int
    d_max: int
    d_max_given: bool
    wald: float
    df: int
    p_value: float
    n_obs: int
    partial_r2: float
    coefficients: pd.DataFrame
    integration: pd.DataFrame = field(repr=False)
    lag_selection: pd.DataFrame = field(repr=False)

    @property
    def rejects(self) -> bool:
        """Whether the null of no Granger causality is rejected at 5%."""
        return bool(self.p_value < 0.05)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [{
                "cause": self.cause, "effect": self.effect, "p": self.p, "d_max": self.d_max,
                "lags_in_var": self.p + self.d_max, "wald": self.wald, "df": self.df,
                "p_value": self.p_value, "partial_r2": self.partial_r2, "n_obs": self.n_obs,
            }],
            index=[f"{self.cause} -> {self.effect}"],
        )

    def summary(self) -> str:
        tested = self.coefficients[self.coefficients["tested"]]
        how = "given" if self.d_max_given else "highest integration order by ADF/KPSS"
        lines = [
            f"Toda-Yamamoto Granger test: do past {self.cause!r} help predict {self.effect!r} (levels)?",
            f"  levels VAR with p = {self.p} (BIC) + d_max = {self.d_max} ({how}) "
            f"= {self.p + self.d_max} lags, constant; n = {self.n_obs}",
        ]
        if not self.d_max_given and len(self.integration):
            orders = self.integration.groupby("series", sort=False)["d"].first()
            lines.append("  integration orders: " + ", ".join(f"{k} I({v})" for k, v in orders.items()))
        lines += [
            "",
            f"  Wald chi2({self.df}) = {self.wald:.3f}, p {fmt_p(self.p_value)}; "
            f"partial R2 = {self.partial_r2:.4f}; sum of the tested coefficients {tested['coef'].sum():+.4f}",
            "",
            f"{'lag':>5} {'coef':>10} {'se':>9}  ",
        ]
        for lag, r in self.coefficients.iterrows():
            role = "tested" if r.tested else "augmentation (not tested)"
            lines.append(f"{lag:>5} {r.coef:>+10.4f} {r.se:>9.4f}  {role}")
        verdict = (
            f"{self.cause!r} Granger-causes {self.effect!r} at the 5% level."
            if self.rejects
            else f"No evidence that {self.cause!r} Granger-causes {self.effect!r} (p {fmt_p(self.p_value)})."
        )
        lines += [
            "",
            verdict,
            f"The {self.d_max} extra lag(s) are estimated but not tested; that keeps the chi-square",
            "valid whether the series are stationary, integrated or cointegrated.",
            "Predictive precedence, not proof of cause.",
        ]
        return "\n".join(lines)

    def plot(self, ax=None):
        """The cause's lag coefficients in the effect's equation, +/-1.96 se; tested lags in colour."""
        fig, ax = new_axes(ax, figsize=(6, 3.5))
        c = self.coefficients
        colors = np.where(c["tested"], "#4c72b0", "#bbbbbb")
        ax.bar(c.index, c["coef"], yerr=_Z975 * c["se"], color=colors, capsize=3)
        ax.axhline(0, color="black", lw=0.8)
        ax.set(xlabel=f"lag of {self.cause}", ylabel="coefficient",
               title=f"{self.cause} -> {self.effect}: chi2({self.df}) = {self.wald:.2f}, "
               f"p {fmt_p(self.p_value)}")
        ax.set_xticks(list(c.index))
        fig.tight_layout()
        return fig


def _integration_order(s: pd.Series, name: str, max_d: int = 2) -> tuple[int, list[dict]]:
    """Smallest d <= max_d with the d-th difference called stationary by ADF and KPSS (else max_d)."""
    rows = []
    for d in range(max_d + 1):
        z = s.diff(d).dropna() if d else s
        st = stationarity(z).iloc[0]
        rows.append({"series": name, "differences": d, **st.to_dict()})
        if st["stationary"]:
            break
    d = rows[-1]["differences"] if rows[-1]["stationary"] else max_d
    for r in rows:
        r["d"] = d
    return d, rows


def _ty_core(Y: np.ndarray, max_lags: int, d_max: int) -> dict:
    """The Toda-Yamamoto computation on a (n, 2) array [cause, effect] (used by the simulation tests too)."""
    from scipy import stats

    lag_table = _var_select(Y, max_lags, "c")
    p = max(1, int(lag_table["bic"].idxmin()))
    m = p + d_max
    fit = _var_fit(Y, m, "c")
    Z, target = fit["Z"], Y[m:, 1]
    beta = fit["B"][:, 1]
    resid = fit["U"][:, 1]
    T, k = Z.shape
    ssr_u = float(resid @ resid)
    V = ssr_u / (T - k) * np.linalg.inv(Z.T @ Z)
    cause_cols = [fit["kdet"] + 2 * lag for lag in range(m)]  # the cause is column 0 of each lag block
    tested = cause_cols[:p]
    b = beta[tested]
    wald = float(b @ np.linalg.solve(V[np.ix_(tested, tested)], b))
    keep = np.ones(k, dtype=bool)
    keep[tested] = False
    ssr_r = _ssr(target, Z[:, keep])
    return {
        "p": p,
        "wald": wald,
        "p_value": float(stats.chi2.sf(wald, p)),
        "n_obs": T,
        "partial_r2": (ssr_r - ssr_u) / ssr_r,
        "coef": beta[cause_cols],
        "se": np.sqrt(np.diag(V)[cause_cols]),
        "lag_selection": lag_table,
    }


def toda_yamamoto(cause, effect, max_lags: int = 8, d_max: int | None = None) -> TodaYamamotoResult:
    r"""Toda-Yamamoto (1995) Granger-causality test in levels.

    A Granger F-test in a VAR of integrated series has a non-standard
    distribution. Toda and Yamamoto's remedy: fit the VAR in *levels* with
    ``p + d_max`` lags, where p is the lag order the data call for and
    ``d_max`` the highest order of integration, and test only the first p
    lags of the cause:

    .. math:: y_t = \nu + \sum_{i=1}^{p+d_{max}} (a_i y_{t-i} + b_i x_{t-i}) + e_t,
              \qquad H_0: b_1 = \dots = b_p = 0,

    .. math:: W = \hat b' (R \hat V R')^{-1} \hat b \sim \chi^2_p,
              \quad \hat V = s^2 (Z'Z)^{-1}.

    The extra, untested lags absorb the unit roots, so W is asymptotically
    chi-square whether the series are I(0), I(1), I(2) or cointegrated; no
    pre-test for cointegration is needed (Dolado & Lütkepohl 1996 for
    d_max = 1). The price is a little power.

    Steps: ``d_max`` is the largest integration order of the two series -
    the number of differences after which ADF rejects a unit root and KPSS
    does not reject stationarity (:func:`attention.correlation.stationarity`;
    capped at 2; an inconclusive series counts as integrated, which errs on
    the safe side). ``p`` is chosen by BIC for a levels VAR with a constant
    over 0..max_lags (at least 1).

    Parameters
    ----------
    cause, effect : Series
        Levels (e.g. log prices, log search interest) on one DatetimeIndex
        frequency. Leading and trailing NaN are dropped.
    max_lags : int, default 8
    d_max : int, optional
        Override the estimated integration order (0, 1 or 2 are usual).

    Returns
    -------
    TodaYamamotoResult

    Raises
    ------
    DataError
        For duplicate dates, different frequencies, NaN inside the sample,
        a constant series, a negative ``d_max``, or fewer than
        ``3 (max_lags + d_max) + 11`` common dates (and at least 22).

    References
    ----------
    H. Y. Toda and T. Yamamoto (1995), "Statistical inference in vector
    autoregressions with possibly integrated processes", Journal of
    Econometrics 66(1-2), 225-250.
    J. J. Dolado and H. Lütkepohl (1996), "Making Wald tests work for
    cointegrated VAR systems", Econometric Reviews 15(4), 369-386.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(3)
    >>> idx = pd.date_range("2010-01-03", periods=300, freq="W-SUN")
    >>> x = pd.Series(np.cumsum(rng.normal(size=300)), idx, name="x")
    >>> y = pd.Series(np.cumsum(rng.normal(size=300)), idx, name="y")
    >>> ty = toda_yamamoto(x, y, d_max=1)
    >>> ty.p, ty.d_max, ty.rejects
    (1, 1, False)
    """
    max_lags = positive_int(max_lags, "max_lags")
    d_given = d_max is not None
    if d_given:
        d_max = positive_int(d_max, "d_max", minimum=0)
    d_cap = d_max if d_given else 2
    need = max(3 * (max_lags + d_cap) + 11, 22)
    frame, names = _prepare({"cause": cause, "effect": effect}, min_obs=need,
                            why=f"for max_lags={max_lags} plus d_max={d_cap}")

    rows = []
    if not d_given:
        orders = []
        for col, name in zip(frame.columns, names):
            d, r = _integration_order(frame[col], name)
            orders.append(d)
            rows += r
        d_max = max(orders)
    integration = pd.DataFrame(rows)

    core = _ty_core(frame.to_numpy(), max_lags, d_max)
    p, m = core["p"], core["p"] + d_max
    coefficients = pd.DataFrame(
        {"coef": core["coef"], "se": core["se"], "tested": [i < p for i in range(m)]},
        index=pd.RangeIndex(1, m + 1, name="lag"),
    )
    return TodaYamamotoResult(
        cause=names[0],
        effect=names[1],
        p=p,
        d_max=int(d_max),
        d_max_given=d_given,
        wald=core["wald"],
        df=p,
        p_value=core["p_value"],
        n_obs=core["n_obs"],
        partial_r2=core["partial_r2"],
        coefficients=coefficients,
        integration=integration,
        lag_selection=core["lag_selection"],
    )
