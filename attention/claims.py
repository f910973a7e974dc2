"""The January 2026 small-cap story's checkable claims, checked on prices.

The story: the Russell 2000 raced ahead of the S&P 500 in January 2026,
beating it day after day. Two claims can be settled with prices alone:

- :func:`ytd_gap` - how far apart the two were year-to-date on a date;
- :func:`streak_record` - how long the run of days on which small caps beat
  large caps was on a date, and when an equal or longer run was last seen.

:func:`outperformance_streaks` lists every such run for your own questions.
Every check uses only prices up to its ``as_of`` date. Results depend on the
large-cap series: an ETF (SPY) is not the index (^GSPC), and each result
names the series it used.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._results import ResultMixin, new_axes
from ._validate import align, as_series
from .errors import DataError

__all__ = ["ClaimResult", "outperformance_streaks", "streak_record", "ytd_gap"]


@dataclass(frozen=True)
class ClaimResult(ResultMixin):
    """One claim, the number that settles it, and the evidence behind it.

    Attributes
    ----------
    claim : str
        What is being checked, in words.
    value : float
        The number that answers it (unit in ``unit``).
    unit : str
    finding : str
        The answer in one sentence, naming the series used.
    evidence : dict
        The inputs behind ``value`` (dates, returns, streak ends...).
    series : DataFrame
        The price data used, for plots.
    """

    claim: str
    value: float
    unit: str
    finding: str
    evidence: dict
    series: pd.DataFrame

    def summary(self) -> str:
        lines = [self.claim, f"  {self.finding}"]
        lines += [f"  {k}: {_fmt(v)}" for k, v in self.evidence.items()]
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        row = {"claim": self.claim, "value": self.value, "unit": self.unit, **self.evidence}
        return pd.DataFrame([row])

    def plot(self, ax=None):
        """Both series rebased to 1 over the period of the claim."""
        fig, ax = new_axes(ax, figsize=(8, 4))
        rebased = self.series / self.series.iloc[0]
        for col in rebased:
            ax.plot(rebased.index, rebased[col], label=col)
        start, end = self.evidence.get("streak_start"), self.evidence.get("streak_end")
        if start is not None:
            ax.axvspan(start, end, color="#f2d7a6", alpha=0.6, label="streak")
        ax.set(ylabel="rebased to 1", title=self.claim)
        ax.legend()
        fig.autofmt_xdate()
        return fig


def _fmt(v) -> str:
    if isinstance(v, pd.Timestamp):
        return f"{v:%Y-%m-%d}"
    if isinstance(v, float):
        return f"{v:.4f}"
    return str(v)


def _days(n) -> str:
    return f"{int(n)} trading day{'s' if int(n) != 1 else ''}"


def _pair(small, large, as_of=None) -> pd.DataFrame:
    s = as_series(small, "small", min_obs=2)
    g = as_series(large, "large", min_obs=2)
    sn, gn = (str(s.name), str(g.name)) if s.name != g.name else ("small", "large")
    both = align({sn: s, gn: g}, min_obs=2)
    if (both <= 0).any().any():
        raise DataError("small, large: prices must be positive")
    if as_of is not None:
        as_of = _timestamp(as_of)
        if as_of - both.index[-1] > pd.Timedelta(days=7):
            raise DataError(
                f"as_of: {as_of:%Y-%m-%d} is after the prices {sn} and {gn} share end "
                f"({both.index[-1]:%Y-%m-%d}); the answer would be stale"
            )
        if as_of < both.index[1]:
            raise DataError(
                f"as_of: {as_of:%Y-%m-%d} is before the prices {sn} and {gn} share "
                f"({both.index[0]:%Y-%m-%d} to {both.index[-1]:%Y-%m-%d})"
            )
        both = both.loc[:as_of]
    if len(both) < 2:
        raise DataError("small, large: fewer than two common dates with prices (up to as_of)")
    return both


def _timestamp(date) -> pd.Timestamp:
    try:
        return pd.Timestamp(date)
    except (TypeError, ValueError) as exc:
        raise DataError(f"as_of: expected a date, got {date!r} ({exc})") from None


def outperformance_streaks(small, large) -> pd.DataFrame:
    """Every run of consecutive trading days on which ``small`` beat ``large``.

    A day counts when ``small``'s close-to-close return exceeds ``large``'s,
    on the dates both trade.

    Parameters
    ----------
    small, large : Series
        Daily closing prices.

    Returns
    -------
    DataFrame
        Columns ``start``, ``end`` (first and last winning day) and
        ``length`` (trading days), in date order.

    Raises
    ------
    DataError
        If the inputs are not positive prices sharing at least two dates.

    Examples
    --------
    >>> from attention.datasets import load_prices
    >>> close = load_prices(["^RUT", "SPY"])["Close"]
    >>> runs = outperformance_streaks(close["^RUT"], close["SPY"])
    >>> runs.loc[runs["length"].idxmax()].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'start': Timestamp('2026-01-02 00:00:00'), 'end': Timestamp('2026-01-22 00:00:00'), 'length': 14}
    """
    both = _pair(small, large)
    r = np.log(both).diff().iloc[1:]
    win = r.iloc[:, 0] > r.iloc[:, 1]
    run_id = (win != win.shift()).cumsum()[win]
    dates = run_id.index.to_series()
    runs = dates.groupby(run_id.to_numpy()).agg(["first", "last", "size"])
    runs.columns = ["start", "end", "length"]
    return runs.reset_index(drop=True)


def streak_record(small, large, as_of) -> ClaimResult:
    """The outperformance streak running on ``as_of`` and the last one as long.

    Parameters
    ----------
    small, large : Series
        Daily closing prices.
    as_of : date-like
        Only prices up to this date are used. If ``small`` did not beat
        ``large`` on that day, the streak is the one that ended last before it.

    Returns
    -------
    ClaimResult
        ``value`` is the streak's length in trading days; ``evidence`` holds
        its start and end and the last earlier streak at least as long (or
        says none exists since the data begin).
    """
    both = _pair(small, large, as_of)
    sn, gn = both.columns
    runs = outperformance_streaks(both[sn], both[gn])
    if runs.empty:
        raise DataError(f"small, large: {sn} never beat {gn} up to {both.index[-1]:%Y-%m-%d}")
    current = runs.iloc[-1]
    earlier = runs.iloc[:-1]
    rival = earlier[earlier["length"] >= current["length"]]
    last_day = both.index[-1]
    running = current["end"] == last_day
    evidence = {
        "streak_start": current["start"],
        "streak_end": current["end"],
        "still_running": bool(running),
        "data_start": both.index[0],
    }
    if rival.empty:
        since = f"the longest since the data begin ({both.index[0]:%Y-%m-%d})"
    else:
        r = rival.iloc[-1]
        evidence.update(previous_start=r["start"], previous_end=r["end"], previous_length=int(r["length"]))
        since = f"the longest since {r['start']:%Y-%m-%d} to {r['end']:%Y-%m-%d} ({_days(r['length'])})"
    tense = "has beaten" if running else "beat"
    finding = (
        f"As of {last_day:%Y-%m-%d}, {sn} {tense} {gn} {_days(current['length'])} in a row "
        f"({current['start']:%Y-%m-%d} to {current['end']:%Y-%m-%d}): {since}."
    )
    window = both.loc[current["start"] - pd.Timedelta(days=40) : last_day]
    return ClaimResult(
        claim=f"Outperformance streak of {sn} over {gn}",
        value=float(current["length"]),
        unit="trading days",
        finding=finding,
        evidence=evidence,
        series=window,
    )


def ytd_gap(small, large, as_of) -> ClaimResult:
    """Year-to-date return of ``small`` minus that of ``large`` on ``as_of``.

    Year-to-date runs from the last close of the previous year to the last
    close on or before ``as_of``; returns are price returns of the series
    given (an ETF's dividends are in it only if its prices are adjusted).

    Returns
    -------
    ClaimResult
        ``value`` is the gap in percentage points.

    Raises
    ------
    DataError
        If there is no close in the previous year to start from.
    """
    both = _pair(small, large, as_of)
    sn, gn = both.columns
    end = both.index[-1]
    prior = both.loc[: pd.Timestamp(end.year - 1, 12, 31)]
    if prior.empty:
        raise DataError(f"small, large: no close before {end.year} to measure year-to-date from")
    base = prior.index[-1]
    ytd = both.loc[end] / both.loc[base] - 1
    gap = 100 * (ytd[sn] - ytd[gn])
    verb = "ahead of" if gap > 0 else "behind"
    finding = (
        f"As of {end:%Y-%m-%d}, {sn} is up {ytd[sn]:+.2%} year-to-date and {gn} {ytd[gn]:+.2%}: "
        f"{sn} is {abs(gap):.2f} percentage points {verb} {gn}."
    )
    return ClaimResult(
        claim=f"Year-to-date gap, {sn} minus {gn}",
        value=float(gap),
        unit="percentage points",
        finding=finding,
        evidence={"base_date": base, "as_of": end, f"ytd_{sn}": float(ytd[sn]), f"ytd_{gn}": float(ytd[gn])},
        series=both.loc[base:],
    )
