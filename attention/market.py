"""Prices, returns and money flows, on the calendars attention data use.

Google Trends weeks run Sunday to Saturday and are labelled by their Sunday;
:func:`to_google_weeks` puts daily market data on that calendar so a week's
search interest and the same week's trading share a row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._validate import align, as_frame, as_series, naive_utc, positive_int
from .errors import DataError

__all__ = [
    "abnormal_dollar_volume_proxy",
    "etf_flows",
    "log_returns",
    "relative_returns",
    "to_google_weeks",
]


def _like(template, frame: pd.DataFrame):
    """Return ``frame`` as a Series when the input was one."""
    if isinstance(template, pd.Series):
        out = frame.iloc[:, 0]
        out.name = template.name
        return out
    return frame


def _positive(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    if (frame <= 0).any().any():
        col = frame.columns[(frame <= 0).any()][0]
        raise DataError(f"{name}: prices must be positive; column {col!r} has values <= 0")
    return frame


def log_returns(prices):
    """Log returns ``ln p_t - ln p_{t-1}`` of a price Series or DataFrame.

    Missing prices stay missing: the return across a gap is NaN, not zero.

    Raises
    ------
    DataError
        If prices are not numeric, not on a DatetimeIndex, or not positive.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.Series([100.0, 110.0, 99.0], index=pd.date_range("2026-01-05", periods=3))
    >>> log_returns(p).round(4).tolist()
    [nan, 0.0953, -0.1054]
    """
    frame = _positive(as_frame(prices, "prices"), "prices")
    return _like(prices, np.log(frame).diff())


def relative_returns(small, large):
    """Log return of ``small`` minus that of ``large``, on their common dates.

    Positive values are days (or weeks) on which ``small`` beat ``large``.

    Raises
    ------
    DataError
        If the two share fewer than two dates.
    """
    s = _positive(as_series(small, "small", min_obs=2).to_frame(), "small").iloc[:, 0]
    g = _positive(as_series(large, "large", min_obs=2).to_frame(), "large").iloc[:, 0]
    both = align({"small": s, "large": g}, min_obs=2)
    rel = np.log(both).diff().dropna()
    out = rel["small"] - rel["large"]
    out.name = f"{s.name} - {g.name}"
    return out


_HOW = ("sum", "last", "mean", "first")


def to_google_weeks(data, how: str = "sum"):
    """Resample daily data to Google Trends weeks (Sunday to Saturday).

    Parameters
    ----------
    data : Series or DataFrame
        Daily observations on a DatetimeIndex.
    how : {"sum", "last", "mean", "first"}
        ``"sum"`` for log returns and volumes, ``"last"`` for prices.

    Returns
    -------
    Series or DataFrame
        Indexed by the Sunday that starts each week. A week without any
        observation is NaN, never 0.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.Series(0.01, index=pd.bdate_range("2026-01-05", "2026-01-16"))
    >>> to_google_weeks(r).round(2)
    2026-01-04    0.05
    2026-01-11    0.05
    Freq: W-SUN, dtype: float64
    """
    if how not in _HOW:
        raise DataError(f"how: expected one of {_HOW}, got {how!r}")
    frame = as_frame(data, "data")
    if frame.index.tz is not None:
        frame = frame.tz_convert(None)
    grouped = frame.resample("W-SAT", label="left", closed="right")
    if how == "sum":
        weekly = grouped.sum(min_count=1)
    else:
        weekly = getattr(grouped, how)()
    # label="left" puts the label on the Saturday before the week; the week starts a day later.
    weekly.index = (weekly.index + pd.Timedelta(days=1)).normalize()
    weekly.index.freq = "W-SUN"
    return _like(data, weekly)


def etf_flows(shares_outstanding, nav):
    """Net creations and redemptions of ETF shares as a share of prior assets.

    ``flow_t = (SO_t - SO_{t-1}) * NAV_t / (SO_{t-1} * NAV_{t-1})``: the
    dollar value of new shares, scaled by assets under management the day
    before, so flows of funds of different sizes compare.

    Parameters
    ----------
    shares_outstanding, nav : Series or DataFrame
        Shares outstanding and net asset value per share, by date (one column
        per ETF when DataFrames, with matching column names).

    Returns
    -------
    Series or DataFrame
        NaN where either input is missing on the day or the day before.

    Notes
    -----
    Issuers publish shares outstanding with a lag of about one trading day
    (creations settle T+1), so a flow dated *t* often reflects orders placed
    on *t-1*. Align before testing what flows lead.

    Raises
    ------
    DataError
        If the inputs are not numeric, have no common dates or columns, or
        shares outstanding are not positive.
    """
    so = naive_utc(as_frame(shares_outstanding, "shares_outstanding"))
    nv = naive_utc(as_frame(nav, "nav"))
    if isinstance(shares_outstanding, pd.Series) and isinstance(nav, pd.Series):
        nv.columns = so.columns
    if set(so.columns) == set(nv.columns):
        nv = nv[list(so.columns)]
    if list(so.columns) != list(nv.columns):
        raise DataError(
            f"shares_outstanding, nav: columns differ ({list(so.columns)} vs {list(nv.columns)})"
        )
    if (so <= 0).any().any():
        raise DataError("shares_outstanding: values must be positive")
    so, nv = so.align(nv, join="inner")
    if so.empty:
        raise DataError("shares_outstanding, nav: no common dates")
    flows = so.diff() * nv / (so.shift(1) * nv.shift(1))
    return _like(shares_outstanding, flows)


def abnormal_dollar_volume_proxy(close, volume, *, window: int = 8, weekly: bool = False):
    """A flow PROXY: log dollar volume relative to its trailing mean.

    ``ln(close_t * volume_t) - mean(ln(close * volume) over t-window..t-1)``.
    High values mean unusually heavy trading. This measures how much money
    changes hands, not which way it moves, so it is a proxy for flows and
    never a substitute for creations and redemptions (:func:`etf_flows`) when
    shares outstanding are available.

    Parameters
    ----------
    close, volume : Series
        Prices and share volumes on the same dates.
    window : int
        Number of prior periods in the trailing mean; the current period is
        never part of its own baseline.
    weekly : bool
        Average daily dollar volume over Google weeks first (for weekly analysis).

    Raises
    ------
    DataError
        If the inputs are not numeric, not aligned, or shorter than ``window + 1``.
    """
    window = positive_int(window, "window")
    c = as_series(close, "close")
    v = as_series(volume, "volume")
    both = align({"close": c, "volume": v}, min_obs=window + 1)
    dollars = both["close"] * both["volume"]
    if weekly:
        # The mean trading day, not the sum: holiday and unfinished weeks stay comparable.
        dollars = to_google_weeks(dollars, "mean")
    log_dv = np.log(dollars.where(dollars > 0))
    out = log_dv - log_dv.shift(1).rolling(window, min_periods=window).mean()
    out.name = f"{c.name} abnormal dollar volume (proxy)"
    return out
