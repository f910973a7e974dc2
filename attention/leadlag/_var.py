"""Vector autoregressions: lag order, diagnostics, stability and Granger tests for every pair."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from .._linalg import lagmat, ssr, trend_terms
from .._method_notes import method_note
from .._results import ResultMixin, fmt_p, new_axes, stationarity_caution
from .._validate import checked_panel, positive_int
from ..correlation._multitest import holm
from ..correlation._stationarity import stationarity, warn_nonstationary
from ..errors import DataError
from ._irf import ImpulseResponseResult

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

_TRENDS = ("n", "c", "ct", "ctt")
_ICS = ("aic", "bic", "hqic", "fpe")


def _var_fit(Y: np.ndarray[Any, Any], p: int, trend: str, start: int | None = None) -> dict[str, Any]:
    """OLS VAR(p) on rows t = start..n-1 (default p). Coefficients as in statsmodels' VAR."""
    start = p if start is None else start
    n, K = Y.shape
    Z = np.hstack([trend_terms(n - start, trend, start), lagmat(Y, p, start)])
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


@dataclass(frozen=True, eq=False, repr=False)
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

    Examples
    --------
    >>> from attention.testing import planted_loop_weekly
    >>> data = planted_loop_weekly(300, 0.4, seed=1)  # returns -> attention -> flows -> returns, planted
    >>> attention, returns, flows = data["attention"], data["returns"], data["flows"]

    >>> from attention import var_analysis
    >>> var = var_analysis(data, max_lags=4)

    >>> var
    VarResult(names=('attention', 'returns', 'flows'), p=1, ic='bic', n_obs=299, stable=True)
    """

    names: tuple[str, ...]
    p: int
    ic: str
    trend: str
    n_obs: int
    lag_selection: pd.DataFrame
    selected: dict[str, int]
    whiteness: dict[str, float]
    normality: dict[str, float]
    stable: bool
    max_modulus: float
    causality: pd.DataFrame
    resid_corr: pd.DataFrame
    stationarity: pd.DataFrame = field(repr=False)
    notes: tuple[str, ...] = ()
    data: pd.DataFrame = field(default=None, repr=False, compare=False)
    fitted: object = field(default=None, repr=False, compare=False)

    def _key_numbers(self) -> dict[str, Any]:
        return {"names": self.names, "p": self.p, "ic": self.ic, "n_obs": self.n_obs, "stable": self.stable}

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
        lines += stationarity_caution(self.stationarity, "F-tests in levels mislead - use changes or toda_yamamoto()")
        lines += method_note("var")
        return "\n".join(lines)

    def plot(self, ax: Axes | None = None) -> Figure:
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
        orderings: Iterable[Sequence[str | int]] | None = None,
        bands: Literal["bootstrap", "asymptotic"] = "bootstrap",
        repl: int = 500,
        seed: int | np.random.Generator | None = None,
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
        from ._irf import impulse_responses

        return impulse_responses(self, periods, orderings, bands, repl, seed)


def _check_not_collinear(frame: pd.DataFrame) -> None:
    """Refuse columns that are exact linear combinations of each other: their VAR residual covariance is singular."""
    z = frame.to_numpy()
    z = (z - z.mean(axis=0)) / z.std(axis=0)
    sv = np.linalg.svd(z, compute_uv=False)
    if sv.min() <= 1e-8 * sv.max():
        weights = np.linalg.svd(z)[2][-1]
        involved = [str(c) for c, w in zip(frame.columns, weights) if abs(w) > 1e-6]
        raise DataError(
            f"data: the columns {involved} are collinear (one is a linear combination of the others), so the VAR's"
            " residual covariance is singular and its tests undefined; drop one of them"
        )


def var_analysis(
    data: pd.DataFrame, max_lags: int = 8, ic: Literal["aic", "bic", "hqic", "fpe"] = "bic",
    trend: Literal["n", "c", "ct", "ctt"] = "c",
) -> VarResult:
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
        a constant column, collinear columns, an unknown ``ic`` or ``trend``, or fewer than
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

    Examples
    --------
    >>> from attention.testing import planted_loop_weekly
    >>> data = planted_loop_weekly(300, 0.4, seed=1)  # returns -> attention -> flows -> returns, planted
    >>> attention, returns, flows = data["attention"], data["returns"], data["flows"]

    >>> from attention import var_analysis
    >>> var = var_analysis(data, max_lags=4)

    >>> var.causality["p_holm"].lt(0.05)  # the three planted links, and only those
    attention -> returns    False
    attention -> flows       True
    returns -> attention     True
    returns -> flows        False
    flows -> attention      False
    flows -> returns         True
    Name: p_holm, dtype: bool
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
    frame, _ = checked_panel(series, min_obs=need, why=f"for max_lags={max_lags} with {K} series")
    _check_not_collinear(frame)
    st = stationarity(frame)
    warn_nonstationary(st, "a VAR in levels gives invalid Granger tests; use changes or toda_yamamoto()")

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
            ssr_u = ssr(target[:, ei], Z)
            ssr_r = ssr(target[:, ei], Z[:, keep])
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
