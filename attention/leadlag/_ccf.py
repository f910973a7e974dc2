"""Cross-correlations at leads and lags, prewhitened or with Bartlett's bands."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._linalg import lagmat, ssr
from .._method_notes import method_note
from .._results import ResultMixin, fmt_p, new_axes, stationarity_caution
from .._validate import checked_panel, positive_int
from ..correlation._multitest import holm
from ..correlation._stationarity import stationarity, warn_nonstationary
from .._typing import SeriesOrFrame
from ..errors import DataError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

Z975 = 1.959963984540054  # scipy.stats.norm.ppf(0.975)
_AR_MAX = 8  # highest AR order tried when prewhitening


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
        X = np.column_stack([np.ones(T), lagmat(x, p, max_order)])
        bics.append(T * np.log(ssr(y, X) / T) + (p + 1) * np.log(T))
    p = int(np.argmin(bics))
    X = np.column_stack([np.ones(len(x) - p), lagmat(x, p, p)])
    beta, *_ = np.linalg.lstsq(X, x[p:], rcond=None)
    return p, beta


def _ar_filter(z: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """``z_t - sum_j phi_j z_{t-j}`` for t = p..n-1 (constants do not change correlations)."""
    p = len(phi)
    filtered: np.ndarray[Any, Any] = z[p:] - lagmat(z, p, p) @ phi if p else z.copy()
    return filtered


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


def _ccf_core(x: np.ndarray[Any, Any], y: np.ndarray[Any, Any], max_lag: int, prewhiten: bool) -> dict[str, Any]:
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


@dataclass(frozen=True, eq=False, repr=False)
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

    Examples
    --------
    >>> from attention.testing import planted_loop_weekly
    >>> data = planted_loop_weekly(300, 0.4, seed=1)  # returns -> attention -> flows -> returns, planted
    >>> attention, returns, flows = data["attention"], data["returns"], data["flows"]

    >>> cross_correlation(attention, flows, max_lag=4)
    CrossCorrelationResult(x='attention', y='flows', n=300, peak_lag=1, r=0.395, prewhitened=True)
    """

    x: str
    y: str
    table: pd.DataFrame
    n: int
    prewhitened: bool
    ar_order: int | None
    ar_params: tuple[float, ...]
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

    def _key_numbers(self) -> dict[str, Any]:
        return {"x": self.x, "y": self.y, "n": self.n, "peak_lag": self.peak_lag,
                "r": self.table["r"].loc[self.peak_lag], "prewhitened": self.prewhitened}

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> str:
        t = self.table
        half = Z975 * self.se
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
                f"+/-{Z975 / np.sqrt(self.n):.3f},"
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
        lines += stationarity_caution(self.stationarity, "correlate changes, not levels")
        lines += method_note("ccf")
        return "\n".join(lines)

    def plot(self, ax: Axes | None = None) -> Figure:
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


def cross_correlation(
    x: SeriesOrFrame, y: SeriesOrFrame, max_lag: int = 8, prewhiten: bool = True
) -> CrossCorrelationResult:
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
    frame, names = checked_panel({"x": x, "y": y}, min_obs=max(20, 2 * max_lag + 10), why=f"for max_lag={max_lag}")
    st = stationarity(frame)
    st.index = names
    warn_nonstationary(st, "cross-correlate changes (attention.log_change, attention.log_returns), not levels")
    core = _ccf_core(frame["x"].to_numpy(), frame["y"].to_numpy(), max_lag, bool(prewhiten))
    half = Z975 * core["se"]
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
