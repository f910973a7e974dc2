"""Granger causality: per-lag F-tests, identical to statsmodels' ssr F-test."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._linalg import lagmat, ssr
from .._method_notes import method_note
from .._results import ResultMixin, fmt_p, new_axes, stationarity_caution
from .._validate import checked_panel, positive_int
from ..errors import DataError
from ._multitest import holm
from ._stationarity import stationarity, warn_nonstationary

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def _granger_f(
    effect: np.ndarray[Any, Any], cause: np.ndarray[Any, Any], lag: int
) -> tuple[float, float, int, int, float]:
    """The ssr-based F test that ``cause``'s lags add nothing to ``effect``'s own."""
    from scipy import stats

    y = effect[lag:]
    ones = np.ones((len(y), 1))
    restricted = np.hstack([ones, lagmat(effect, lag)])
    unrestricted = np.hstack([restricted, lagmat(cause, lag)])
    scaled = unrestricted / np.abs(unrestricted).max(axis=0)
    sv = np.linalg.svd(scaled - np.r_[0.0, scaled[:, 1:].mean(axis=0)], compute_uv=False)
    if sv.min() <= 1e-8 * sv.max():
        raise DataError(
            "cause, effect: the cause's lags are a linear combination of the effect's own lags (is one series a"
            " copy, or a lagged copy, of the other?), so the Granger test is not identified. Check the inputs."
        )
    ssr_r, ssr_u = ssr(y, restricted), ssr(y, unrestricted)
    df_denom = len(y) - unrestricted.shape[1]
    f = (ssr_r - ssr_u) / lag / (ssr_u / df_denom)
    return f, stats.f.sf(f, lag, df_denom), df_denom, len(y), (ssr_r - ssr_u) / ssr_r


# ---------------------------------------------------------------- granger


@dataclass(frozen=True, eq=False, repr=False)
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

    Examples
    --------
    >>> from attention.testing import planted_loop_weekly
    >>> data = planted_loop_weekly(300, 0.4, seed=1)  # returns -> attention -> flows -> returns, planted
    >>> attention, returns, flows = data["attention"], data["returns"], data["flows"]

    >>> result = granger(attention, flows, max_lag=2)
    >>> result
    GrangerResult(cause='attention', effect='flows', best_lag=1, F=57.55, p_holm=8.581e-13, n=299)
    >>> result.table[["F", "p_value"]].round(3)  # doctest: +NORMALIZE_WHITESPACE
              F  p_value
    lag
    1    57.555      0.0
    2    29.486      0.0
    """

    cause: str
    effect: str
    table: pd.DataFrame
    stationarity: pd.DataFrame

    @property
    def best_lag(self) -> int:
        """The lag with the smallest p-value."""
        return int(self.table["p_value"].idxmin())

    def _key_numbers(self) -> dict[str, Any]:
        best = self.table.loc[self.best_lag]
        return {"cause": self.cause, "effect": self.effect, "best_lag": self.best_lag,
                "F": best["F"], "p_holm": best["p_holm"], "n": int(best["n_obs"])}

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
        lines += stationarity_caution(self.stationarity, "F-tests on levels mislead")
        lines.append("Granger causality is predictive precedence, not proof of cause.")
        lines += method_note("granger")
        return "\n".join(lines)

    def plot(self, ax: Axes | None = None) -> Figure:
        """Bar chart of p-values by lag with the 5% line."""
        fig, ax = new_axes(ax, figsize=(6, 3.5))
        ax.bar(self.table.index, self.table["p_value"], color="#4c72b0", label="p")
        ax.plot(self.table.index, self.table["p_holm"], "o--", color="#dd8452", label="Holm p")
        ax.axhline(0.05, color="grey", lw=1, ls=":")
        ax.set(xlabel="lag", ylabel="p-value", ylim=(0, 1), title=f"{self.cause} -> {self.effect}")
        ax.legend()
        return fig


def granger(cause: pd.Series, effect: pd.Series, max_lag: int = 4) -> GrangerResult:
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
        If either input is empty, non-numeric, all NaN or constant, the two
        share too few dates, a value is missing inside the common sample
        (the lags would bridge the gap; checked as in :func:`feedback_loop`),
        there are too few observations for ``max_lag``, or the cause's lags
        duplicate the effect's own (e.g. ``granger(r, r)``).

    Warns
    -----
    NonStationaryWarning
        If ADF/KPSS suggest either series is not stationary.

    Examples
    --------
    >>> from attention.testing import planted_loop_weekly
    >>> data = planted_loop_weekly(300, 0.4, seed=1)  # returns -> attention -> flows -> returns, planted
    >>> attention, returns, flows = data["attention"], data["returns"], data["flows"]

    >>> granger(attention, flows, max_lag=2).best_lag  # attention leads flows by one week
    1
    >>> round(float(granger(attention, flows, max_lag=2).table.loc[1, "partial_r2"]), 2)  # the effect size
    0.16
    """
    max_lag = positive_int(max_lag, "max_lag")
    need = 3 * max_lag + 2 + 10  # 2*max_lag+1 regressors, plus lags, plus a few residual df
    frame, names = checked_panel({"cause": cause, "effect": effect}, min_obs=need, why=f"for max_lag={max_lag}")
    st = stationarity(frame)
    st.index = list(names)
    warn_nonstationary(st)
    x, y = frame["cause"].to_numpy(), frame["effect"].to_numpy()
    rows = {}
    for lag in range(1, max_lag + 1):
        f, p, df_denom, n_obs, pr2 = _granger_f(y, x, lag)
        rows[lag] = {"F": f, "p_value": p, "df_num": lag, "df_denom": df_denom, "n_obs": n_obs, "partial_r2": pr2}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.insert(2, "p_holm", holm(table["p_value"]))
    table.index.name = "lag"
    return GrangerResult(cause=names[0], effect=names[1], table=table, stationarity=st)
