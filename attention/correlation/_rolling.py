"""The loop's link statistics over rolling windows: descriptive, not a test."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._linalg import standardise
from .._results import ResultMixin, new_axes
from .._validate import checked_panel, positive_int
from ..errors import DataError
from ._loop import _LINKS, _loop_series
from ._surrogates import _check_signs, _Effect, _link_stats, _make_plan

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


@dataclass(frozen=True, eq=False, repr=False)
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

    Examples
    --------
    >>> from attention.testing import planted_loop_weekly
    >>> data = planted_loop_weekly(300, 0.4, seed=1)  # returns -> attention -> flows -> returns, planted
    >>> attention, returns, flows = data["attention"], data["returns"], data["flows"]

    >>> rolling_stability(attention, returns, flows, window=104, step=52)
    RollingStabilityResult(window=104, step=52, windows=4)
    """

    table: pd.DataFrame
    window: int
    step: int
    names: dict[str, str] = field(repr=False)
    signs: tuple[int, ...] = (1, 1, 1)

    def _key_numbers(self) -> dict[str, Any]:
        windows = int(self.table["end"].nunique()) if len(self.table) else 0
        return {"window": self.window, "step": self.step, "windows": windows}

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

    def plot(self, ax: Axes | None = None) -> Figure:
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
    attention: pd.Series,
    returns: pd.Series,
    flows: pd.Series,
    *,
    window: int = 104,
    step: int = 13,
    lags: int | str = 2,
    max_lag: int = 8,
    signs: Sequence[int] = (1, 1, 1),
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

    Examples
    --------
    >>> from attention.testing import planted_loop_weekly
    >>> data = planted_loop_weekly(300, 0.4, seed=1)  # returns -> attention -> flows -> returns, planted
    >>> attention, returns, flows = data["attention"], data["returns"], data["flows"]

    >>> windows = rolling_stability(attention, returns, flows, window=104, step=52).to_frame()
    >>> windows.groupby("link")["t_stat"].min().round(1)  # every link holds in every two-year window
    link
    attention -> flows      2.2
    flows -> returns        2.6
    returns -> attention    2.2
    Name: t_stat, dtype: float64
    """
    from scipy import stats

    plan = _make_plan(lags, max_lag, 19, "circular", None, 0.05)
    window = positive_int(window, "window", minimum=plan.min_obs)
    step = positive_int(step, "step")
    signs = _check_signs(signs, 3, "returns->attention, attention->flows, flows->returns")
    series = _loop_series(attention, returns, flows)
    names = {k: str(s.name) for k, s in series.items()}
    frame = checked_panel(series, min_obs=plan.min_obs, why=plan.why)[0]
    if window > len(frame):
        raise DataError(f"window: {window} periods is longer than the {len(frame)} common dates; use a shorter window")
    K = plan.max_lag
    rows = []
    for lo in range(0, len(frame) - window + 1, step):
        part = frame.iloc[lo : lo + window]
        z = {k: part[k].to_numpy() for k in part.columns}
        if any(np.ptp(v) == 0 for v in z.values()):
            continue  # a flat stretch has nothing to describe
        z = {k: standardise(v) for k, v in z.items()}
        for (cause, effect), sign in zip(_LINKS, signs):
            try:
                eff = _Effect(z[effect], K, names[effect])
            except DataError:
                continue
            s = {k: v[0] for k, v in _link_stats(eff, *eff.cross(z[cause][None]), plan.lag_set).items()}
            if not np.isfinite(s["t"]):
                continue  # the cause's lags duplicate the effect's own in this window: nothing to describe
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
    if not rows:
        raise DataError(
            f"attention, returns, flows: no {window}-period window has series that vary independently"
            " (flat stretches, or one series copying another); check the inputs"
        )
    return RollingStabilityResult(table=pd.DataFrame(rows), window=window, step=step, names=names, signs=signs)
