"""The Toda-Yamamoto (1995) Granger test in levels, valid for integrated and cointegrated series."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._linalg import ssr
from .._method_notes import method_note
from .._results import ResultMixin, fmt_p, new_axes
from .._validate import checked_panel, positive_int
from ..correlation._stationarity import stationarity
from ..errors import DataError
from ._ccf import Z975
from ._var import _var_fit, _var_select

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


@dataclass(frozen=True, eq=False, repr=False)
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

    Examples
    --------
    >>> from attention.testing import planted_loop_weekly
    >>> data = planted_loop_weekly(300, 0.4, seed=1)  # returns -> attention -> flows -> returns, planted
    >>> attention, returns, flows = data["attention"], data["returns"], data["flows"]

    >>> toda_yamamoto(attention.cumsum(), flows.cumsum(), d_max=1)  # levels that wander: no differencing needed
    TodaYamamotoResult(cause='attention', effect='flows', p=2, d_max=1, wald=60.1, p_value=8.911e-14, n_obs=297)
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

    def _key_numbers(self) -> dict[str, Any]:
        return {"cause": self.cause, "effect": self.effect, "p": self.p, "d_max": self.d_max,
                "wald": self.wald, "p_value": self.p_value, "n_obs": self.n_obs}

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
            *method_note("ty"),
        ]
        return "\n".join(lines)

    def plot(self, ax: Axes | None = None) -> Figure:
        """The cause's lag coefficients in the effect's equation, +/-1.96 se; tested lags in colour."""
        fig, ax = new_axes(ax, figsize=(6, 3.5))
        c = self.coefficients
        colors = np.where(c["tested"], "#4c72b0", "#bbbbbb")
        ax.bar(c.index, c["coef"], yerr=Z975 * c["se"], color=colors, capsize=3)
        ax.axhline(0, color="black", lw=0.8)
        ax.set(xlabel=f"lag of {self.cause}", ylabel="coefficient",
               title=f"{self.cause} -> {self.effect}: chi2({self.df}) = {self.wald:.2f}, "
               f"p {fmt_p(self.p_value)}")
        ax.set_xticks(list(c.index))
        fig.tight_layout()
        return fig


def _integration_order(s: pd.Series, name: str, max_d: int = 2) -> tuple[int, list[dict[str, Any]]]:
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


def _ty_core(Y: np.ndarray[Any, Any], max_lags: int, d_max: int) -> dict[str, Any]:
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
    ssr_r = ssr(target, Z[:, keep])
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


def toda_yamamoto(
    cause: pd.Series, effect: pd.Series, max_lags: int = 8, d_max: int | None = None
) -> TodaYamamotoResult:
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
    if d_max is not None:
        d_max = positive_int(d_max, "d_max", minimum=0)
    d_cap = d_max if d_max is not None else 2
    need = max(3 * (max_lags + d_cap) + 11, 22)
    frame, names = checked_panel({"cause": cause, "effect": effect}, min_obs=need,
                            why=f"for max_lags={max_lags} plus d_max={d_cap}")

    rows: list[dict[str, Any]] = []
    if d_max is None:
        orders = []
        for col, name in zip(frame.columns, names):
            d, r = _integration_order(frame[col], name)
            orders.append(d)
            rows += r
        d_max = max(orders)
    integration = pd.DataFrame(rows)

    try:
        core = _ty_core(frame.to_numpy(), max_lags, d_max)
    except np.linalg.LinAlgError:
        raise DataError(
            f"cause, effect: the levels VAR with {max_lags} + {d_max} lags is singular (the series, or their lags,"
            " are collinear); check that the two series differ, or lower max_lags / d_max"
        ) from None
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
