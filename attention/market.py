"""Prices, returns and money flows, on the calendars attention data use.

Google Trends weeks run Sunday to Saturday and are labelled by their Sunday;
:func:`to_google_weeks` puts daily market data on that calendar so a week's
search interest and the same week's trading share a row. Daily attention goes
the other way with :func:`align_to_trading_days`: what happens on a weekend
or holiday counts towards the next trading day.

:func:`load_yfinance` downloads prices in the layout of
:func:`attention.datasets.load_prices` (it needs the optional ``yfinance``
package: ``pip install 'market-attention[yfinance]'``).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any, Literal

import numpy as np
import pandas as pd

from ._typing import DateLike, SeriesOrFrame, SeriesOrFrameT
from ._validate import align, as_datetime_index, as_frame, as_series, flag, naive_utc, positive_int
from .errors import AttentionWarning, CollectorError, DataError, GapWarning, MissingDependencyError
from .themes import Theme, get_theme

__all__ = [
    "abnormal_dollar_volume_proxy",
    "align_to_trading_days",
    "etf_flows",
    "load_yfinance",
    "log_returns",
    "relative_returns",
    "theme_relative_returns",
    "to_google_weeks",
]

#: Price fields in yfinance's order, as in :func:`attention.datasets.load_prices`.
PRICE_FIELDS = ("Close", "High", "Low", "Open", "Volume")


def _like(template: SeriesOrFrame, frame: pd.DataFrame) -> SeriesOrFrame:
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


# yfinance's fields with auto_adjust=False too; a frame with these as columns (or a column level) is a price table.
_YFINANCE_FIELDS = (*PRICE_FIELDS, "Adj Close")
_GAPS = ("span", "nan")


def _closing_prices(prices: SeriesOrFrame) -> SeriesOrFrame:
    """A yfinance-layout frame reduced to its closing prices: ``Adj Close`` if present, else ``Close``.

    Anything else (a Series, a frame of prices by ticker) passes through.
    """
    if not isinstance(prices, pd.DataFrame):
        return prices
    columns = prices.columns
    if isinstance(columns, pd.MultiIndex) and columns.nlevels == 2:
        level = next((i for i in (0, 1) if set(columns.get_level_values(i)) & {"Close", "Adj Close"}), None)
        if level is None:
            return prices
        field = "Adj Close" if "Adj Close" in columns.get_level_values(level) else "Close"
        return prices.xs(field, axis=1, level=level)
    if len(columns) and set(columns) <= set(_YFINANCE_FIELDS) and set(columns) & {"Close", "Adj Close"}:
        return prices[["Adj Close" if "Adj Close" in columns else "Close"]]
    return prices


def _gap_returns(logs: pd.DataFrame) -> dict[Any, pd.DatetimeIndex]:
    """Per column, the dates of returns whose previous price lies more than one row back."""
    out: dict[Any, pd.DatetimeIndex] = {}
    for col in logs:
        seen = np.flatnonzero(logs[col].notna().to_numpy())
        jumps = seen[1:][np.diff(seen) > 1]
        if len(jumps):
            out[col] = logs.index[jumps]
    return out


def log_returns(prices: SeriesOrFrameT, *, gaps: Literal["span", "nan"] = "span") -> SeriesOrFrameT:
    """Log returns ``ln p_t - ln p_{t-1}`` of a price Series or DataFrame.

    Each column's returns are taken on its own observed prices, so rows
    where one column has no price (a holiday on a business-day index, a day
    one of two markets is closed) neither lose a return nor create one.

    Parameters
    ----------
    prices : Series or DataFrame
        Positive prices on a DatetimeIndex, one column per instrument, or a
        whole frame in yfinance's layout (columns ``(field, ticker)`` as from
        :func:`~attention.datasets.load_prices` or :func:`load_yfinance`, or
        flat field columns for one ticker). Such a frame is reduced to its
        closing prices first: ``Adj Close`` when it has that field (total
        returns), else ``Close``; Open, High, Low and Volume are left out.
    gaps : {"span", "nan"}, default "span"
        What a return does when missing prices lie between two prices of a
        column. ``"span"``: it is the return since the column's previous
        price, dated on the later price (nothing is lost; weekly sums of the
        returns telescope to the weekly change). ``"nan"``: it is missing.

    Returns
    -------
    Series or DataFrame
        NaN on rows without a price, and on each column's first price.

    Warns
    -----
    AttentionWarning
        :class:`~attention.errors.GapWarning` saying how many returns (per
        column, and the first date) spanned missing prices, or with
        ``gaps="nan"`` how many were left missing.

    Raises
    ------
    DataError
        If prices are not numeric, not on a DatetimeIndex, not positive, or
        ``gaps`` is unknown.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.Series([100.0, 110.0, 99.0], index=pd.date_range("2026-01-05", periods=3))
    >>> log_returns(p).round(4).tolist()
    [nan, 0.0953, -0.1054]

    A holiday (NaN) on a business-day index: the next return spans it.

    >>> p = pd.Series([100.0, None, 110.0], index=pd.bdate_range("2026-01-15", periods=3))
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     log_returns(p).round(4).tolist()
    [nan, nan, 0.0953]
    """
    if gaps not in _GAPS:
        raise DataError(f"gaps: expected one of {_GAPS}, got {gaps!r}")
    frame = _positive(as_frame(_closing_prices(prices), "prices"), "prices")
    logs = np.log(frame)
    spanned = _gap_returns(logs)
    if gaps == "span":
        out = pd.DataFrame({col: logs[col].dropna().diff() for col in logs}, index=logs.index, columns=logs.columns)
    else:
        out = logs.diff()
    if spanned:
        n = sum(len(d) for d in spanned.values())
        first = min(d[0] for d in spanned.values())
        per_column = ", ".join(f"{col!r}: {len(d)}" for col, d in spanned.items())
        what = ("span missing prices; each is the return since the column's previous price, dated on the later"
                " price (gaps='nan' leaves them missing)" if gaps == "span" else
                "follow missing prices and are left missing (gaps='span' takes each since the previous price)")
        warnings.warn(f"prices: {n} returns {what}; per column {per_column}; the first on {first:%Y-%m-%d}",
                      GapWarning, stacklevel=2)
    return _like(prices, out)


def relative_returns(small: pd.Series, large: pd.Series) -> pd.Series:
    """Log return of ``small`` minus that of ``large``, on their common dates.

    Positive values are days (or weeks) on which ``small`` beat ``large``.

    Raises
    ------
    DataError
        If the two share fewer than two dates.

    Examples
    --------
    >>> from attention.datasets import load_prices
    >>> close = load_prices(["IWM", "SPY"], start="2026-01-02", end="2026-01-16")["Close"]
    >>> relative_returns(close["IWM"], close["SPY"]).round(4).head(3)
    Date
    2026-01-05    0.0091
    2026-01-06    0.0072
    2026-01-07    0.0009
    Name: IWM - SPY, dtype: float64
    """
    s = _positive(as_series(small, "small", min_obs=2).to_frame(), "small").iloc[:, 0]
    g = _positive(as_series(large, "large", min_obs=2).to_frame(), "large").iloc[:, 0]
    both = align({"small": s, "large": g}, min_obs=2)
    rel = np.log(both).diff().dropna()
    out = rel["small"] - rel["large"]
    out.name = f"{s.name} - {g.name}"
    return out


_HOW = ("sum", "last", "mean", "first")


def to_google_weeks(
    data: SeriesOrFrameT, how: Literal["sum", "last", "mean", "first"] = "sum"
) -> SeriesOrFrameT:
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

    Notes
    -----
    The weekly sum of :func:`log_returns` is the week's log change
    (last close of the week against the last close before it) because
    those returns span missing days instead of dropping them; summing
    returns that are NaN after a gap would lose those days' moves.

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


_FLOW_UNITS = ("share", "percent", "dollars")
#: Split ratios looked for: shares multiplied by r while NAV is divided by r (r < 1: reverse split).
SPLIT_RATIOS = (2, 3, 4, 5, 8, 10, 20, 1 / 2, 1 / 3, 1 / 4, 1 / 5, 1 / 8, 1 / 10, 1 / 20)


def _flow_inputs(
    shares_outstanding: SeriesOrFrame, nav: SeriesOrFrame | None
) -> tuple[SeriesOrFrame, SeriesOrFrame]:
    """Wide shares and NAV frames from wide inputs or from the ETF collectors' observations."""
    if isinstance(shares_outstanding, pd.DataFrame) and "metric" in shares_outstanding.columns:
        from .schema import to_wide

        obs = shares_outstanding
        so = to_wide(obs, metric="shares_outstanding", source="etf_shares")
        if nav is None:
            if not (obs["metric"] == "nav").any():
                raise DataError(
                    "nav: the observations hold no NAV (iShares holdings files carry none); pass nav=, "
                    "e.g. closing prices, one column per ETF"
                )
            nav = to_wide(obs, metric="nav", source="etf_shares")
        return so, nav
    if nav is None:
        raise DataError("nav: expected NAV per share by date (a Series or DataFrame), got None")
    return shares_outstanding, nav


def _splits(so: pd.DataFrame, nv: pd.DataFrame, tolerance: float) -> pd.DataFrame:
    """The ratio where shares jump by a split ratio while NAV moves by its inverse; NaN on other days."""
    so_ratio, nav_ratio = so / so.shift(1), nv / nv.shift(1)
    found = pd.DataFrame(False, index=so.index, columns=so.columns)
    ratio = pd.DataFrame(np.nan, index=so.index, columns=so.columns)
    for r in SPLIT_RATIOS:
        hit = ((so_ratio / r - 1).abs() <= 0.1) & ((nav_ratio * r - 1).abs() <= tolerance)
        ratio = ratio.mask(hit & ~found, so_ratio)
        found |= hit
    return ratio


def etf_flows(shares_outstanding: SeriesOrFrame, nav: SeriesOrFrame | None = None, *, lag: int = 0,
              unit: Literal["share", "percent", "dollars"] = "share", weekly: bool = False, total: bool = False,
              max_gap_days: int = 7, split_tolerance: float = 0.15) -> SeriesOrFrame:
    """Net creations and redemptions of ETF shares: money in (+) or out (-) of the funds.

    On each reporting day *t*, with ``S_t = SO_{t+lag}`` (see ``lag``)::

        dollars_t = (S_t - S_{t-1}) * NAV_t
        share_t   = dollars_t / (S_{t-1} * NAV_{t-1})     # of the assets the day before

    ``share`` makes funds of different sizes comparable (``percent`` is 100
    times it); ``dollars`` is the money itself.

    Parameters
    ----------
    shares_outstanding : Series, DataFrame or observations
        Shares outstanding by date, one column per ETF; or the tidy
        observations of :func:`~attention.collectors.etf.collect_etf_shares`
        / :func:`~attention.collectors.etf.read_etf_shares`, whose NAV is
        then used unless ``nav`` is given.
    nav : Series or DataFrame, optional
        Net asset value per share, same columns. A closing price is a close
        stand-in for large ETFs (they trade within basis points of NAV).
    lag : int, default 0
        Reporting lag of shares outstanding, in reporting days. Issuers often
        publish for date *t* the shares outstanding after the creations and
        redemptions settled on *t-1* (orders placed on *t-1* settle T+1 and
        are in the count dated *t*). ``lag=1`` corrects for that: the shares
        series is shifted **backwards** by one row, so today's flow uses the
        count dated the **next** reporting day (the next row, e.g. Monday for
        a Friday, Monday for the Thursday before Good Friday), and is matched
        with today's NAV. ``lag=0`` takes the file at face value.
    unit : {"share", "percent", "dollars"}, default "share"
        Flows as a fraction of the prior day's assets, in percent of them, or
        in dollars (the NAV's currency).
    weekly : bool, default False
        Sum the daily dollar flows over Google Trends weeks (Sunday to
        Saturday, labelled by the Sunday); ``share``/``percent`` then divide
        by the assets before the week's first flow.
    total : bool, default False
        Add the funds up: one Series of the money into all of them, as a
        share of their combined assets (the funds that have a flow that day
        or week). How a theme held through several ETFs (IWM and IJR) is
        measured.
    max_gap_days : int, default 7
        Refuse consecutive dates of one ETF further apart than this: the
        change across a gap of missing dates is several days' flows under one
        date.
    split_tolerance : float, default 0.15
        A day is a split (or reverse split) when shares jump by a ratio in
        :data:`SPLIT_RATIOS` (within 10%) while NAV moves by its inverse
        (within this tolerance, room for the market's move that day).

    Returns
    -------
    Series or DataFrame
        NaN where either input is missing on the day or the day before, and
        on split days: a split changes shares and NAV, not money, so it is
        never reported as a flow. ``attrs["splits"]`` lists them (ticker,
        date, ratio) and an :class:`~attention.errors.AttentionWarning` says
        so. With ``lag=k`` the last ``k`` dates are NaN: their shares are not
        published yet. ``attrs["flow_measure"]`` describes the measure.

    Notes
    -----
    ``lag`` relabels dates to when the money moved; it is not a trailing
    statistic in publication time. A flow dated *t* becomes **known** only
    when the count dated *t+lag* is published, so the last ``lag`` values
    change from NaN to numbers when new counts arrive. To test what flows
    *predict* with information that was public at the time, shift them by
    ``lag`` more periods first (``flows.shift(lag)``); to test what drives
    flows (attention -> flows), use them as dated here.

    Which lag is right depends on the issuer and on how the data were
    collected (the "as of" date of a fund page versus the trade date of the
    creations); check it against a known creation before relying on either.

    Raises
    ------
    DataError
        If the inputs are not numeric, have no common dates or columns,
        shares outstanding or NAV are not positive (the message names the ETF
        and the date), an ETF's dates have a gap longer than
        ``max_gap_days``, or ``lag``/``unit`` are invalid.

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.to_datetime(["2026-01-14", "2026-01-15", "2026-01-16"])
    >>> so = pd.Series([100e6, 101e6, 100.5e6], index=days, name="IWM")
    >>> nav = pd.Series([250.0, 252.0, 251.0], index=days)
    >>> etf_flows(so, nav, unit="dollars").tolist()
    [nan, 252000000.0, -125500000.0]
    >>> etf_flows(so, nav, unit="percent").round(3).tolist()
    [nan, 1.008, -0.493]
    """
    lag = positive_int(lag, "lag", minimum=0)
    max_gap_days = positive_int(max_gap_days, "max_gap_days")
    if unit not in _FLOW_UNITS:
        raise DataError(f"unit: expected one of {_FLOW_UNITS}, got {unit!r}")
    template = shares_outstanding
    shares_outstanding, nav = _flow_inputs(shares_outstanding, nav)
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
    for name, frame in (("shares_outstanding", so), ("nav", nv)):
        bad = frame <= 0
        if bad.any().any():
            col = frame.columns[bad.any()][0]
            raise DataError(
                f"{name}: values must be positive; {col!r} is {frame.loc[bad[col], col].iloc[0]:g} "
                f"on {frame.index[bad[col]][0]:%Y-%m-%d}"
            )
    for col in so.columns:
        dates = so[col].dropna().index
        step = dates.to_series().diff().dt.days
        if (step > max_gap_days).any():
            at = int(np.argmax(step.to_numpy() > max_gap_days))
            raise DataError(
                f"shares_outstanding: {col!r} jumps from {dates[at - 1]:%Y-%m-%d} to {dates[at]:%Y-%m-%d} "
                f"({int(step.iloc[at])} days); the change across missing dates is not one day's flow. Fill the "
                f"dates or pass max_gap_days="
            )
    # The count reported `lag` reporting days later belongs to today (shift on
    # the issuer's own dates, before aligning with NAV).
    so = so.shift(-lag)
    so, nv = so.align(nv, join="inner")
    if so.empty:
        raise DataError("shares_outstanding, nav: no common dates")
    ratio = _splits(so, nv, split_tolerance)
    dollars = (so.diff() * nv).mask(ratio.notna())
    prior = so.shift(1) * nv.shift(1)
    splits = [{"ticker": col, "date": day, "ratio": float(ratio.loc[day, col])}
              for col in ratio.columns for day in ratio.index[ratio[col].notna()]]
    for s in splits:
        kind = f"{s['ratio']:.0f}-for-1 split" if s["ratio"] > 1 else f"1-for-{1 / s['ratio']:.0f} reverse split"
        warnings.warn(
            f"{s['ticker']}: shares x{s['ratio']:.2f} and NAV about x{1 / s['ratio']:.2f} on {s['date']:%Y-%m-%d}: "
            f"a {kind}, not a flow; that day's flow is NaN",
            AttentionWarning,
            stacklevel=2,
        )
    # Only the assets of funds with a flow on the day count in its denominator.
    prior = prior.where(dollars.notna())
    if total:
        name = "+".join(str(c) for c in dollars.columns)
        dollars = dollars.sum(axis=1, min_count=1).to_frame(name)
        prior = prior.sum(axis=1, min_count=1).to_frame(name)
    if weekly:
        prior = to_google_weeks(prior, "first")
        dollars = to_google_weeks(dollars, "sum")
    flows = dollars if unit == "dollars" else dollars / prior * (100.0 if unit == "percent" else 1.0)
    out = flows.iloc[:, 0] if total else _like(template, flows)
    out.attrs["splits"] = splits
    per = {"share": "share of prior assets", "percent": "% of prior assets", "dollars": "dollars"}[unit]
    out.attrs["flow_measure"] = (f"net creations (change in shares outstanding x NAV), {per}, "
                                 f"{'weekly' if weekly else 'daily'}, lag {lag}")
    return out


def abnormal_dollar_volume_proxy(
    close: pd.Series, volume: pd.Series, *, window: int = 8, weekly: bool = False
) -> pd.Series:
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
        If the inputs are not numeric, not aligned, or shorter than ``window + 1``,
        a price is not positive or a volume is negative.

    Examples
    --------
    >>> from attention.datasets import load_prices
    >>> spy = load_prices("SPY", start="2025-06-01", end="2026-01-16")
    >>> proxy = abnormal_dollar_volume_proxy(spy[("Close", "SPY")], spy[("Volume", "SPY")], weekly=True)
    >>> proxy.round(3).tail(3)
    Date
    2025-12-28   -0.136
    2026-01-04   -0.056
    2026-01-11    0.045
    Freq: W-SUN, Name: SPY abnormal dollar volume (proxy), dtype: float64
    """
    window = positive_int(window, "window")
    weekly = flag(weekly, "weekly")
    c = as_series(close, "close")
    v = as_series(volume, "volume")
    if (c <= 0).any():
        raise DataError(f"close: prices must be positive (first bad value {c[c <= 0].iloc[0]:g} on {c[c <= 0].index[0]:%Y-%m-%d})")
    if (v < 0).any():
        raise DataError(f"volume: traded volume cannot be negative (first bad value {v[v < 0].iloc[0]:g} on {v[v < 0].index[0]:%Y-%m-%d})")
    both = align({"close": c, "volume": v}, min_obs=window + 1)
    dollars = both["close"] * both["volume"]
    if weekly:
        # The mean trading day, not the sum: holiday and unfinished weeks stay comparable.
        dollars = to_google_weeks(dollars, "mean")
    log_dv = np.log(dollars.where(dollars > 0))
    out = log_dv - log_dv.shift(1).rolling(window, min_periods=window).mean()
    out.name = f"{c.name} abnormal dollar volume (proxy)"
    return out


# ---------------------------------------------------------------- daily attention on trading days

_ALIGN_HOW = ("sum", "mean")


def _trading_calendar(trading_days: Any) -> pd.DatetimeIndex:
    if isinstance(trading_days, (pd.Series, pd.DataFrame)):
        trading_days = trading_days.index
    if isinstance(trading_days, str) or not hasattr(trading_days, "__iter__"):
        raise DataError(
            "trading_days: expected a DatetimeIndex (or a frame indexed by one), "
            f"got {type(trading_days).__name__}"
        )
    if isinstance(trading_days, pd.PeriodIndex):
        trading_days = as_datetime_index(trading_days, "trading_days")
    try:
        days = pd.DatetimeIndex(trading_days)
    except (TypeError, ValueError) as exc:
        raise DataError(f"trading_days: expected dates ({exc})") from None
    if days.hasnans:
        raise DataError("trading_days: contains missing dates (NaT)")
    if len(days) == 0:
        raise DataError("trading_days: the calendar is empty")
    if days.tz is not None:
        days = days.tz_localize(None)  # the exchange's local calendar dates
    return days.normalize().unique().sort_values()


def align_to_trading_days(
    daily_attention: SeriesOrFrameT, trading_days: pd.DatetimeIndex | SeriesOrFrame | Iterable[DateLike],
    how: Literal["sum", "mean"] = "sum",
) -> SeriesOrFrameT:
    """Put daily attention on a market's trading days.

    Attention on a non-trading day (weekend, holiday) counts towards the
    **next** trading day: the first trading day on or after its date. A
    trading day's value therefore combines its own date with every
    non-trading day since the previous trading day - Monday gets Saturday,
    Sunday and Monday; after a Friday holiday, Monday gets Friday to Monday.
    That is the first session in which investors could act on that
    attention, and it uses nothing dated after the trading day itself: the
    result is trailing. A session whose span is not complete (any session
    after the last attention date) is NaN, so appending later days fills in
    later sessions and never changes a value already reported.

    Parameters
    ----------
    daily_attention : Series or DataFrame
        Attention by calendar day (e.g. Reddit mentions per UTC day, daily
        Google Trends). Times of day are ignored; UTC-aware dates are
        compared as naive UTC dates.
    trading_days : DatetimeIndex, or Series or DataFrame indexed by one
        The market's calendar, e.g. ``load_prices("SPY").index``.
    how : {"sum", "mean"}, default "sum"
        ``"sum"`` for counts (mentions, posts); ``"mean"`` for levels on a
        scale (Google's 0-100 index), the mean of the days available.

    Returns
    -------
    Series or DataFrame
        Indexed by ``trading_days`` (normalised to dates, sorted, unique).
        NaN where no attention observation falls in a trading day's span
        (``sum`` of nothing is missing, not 0); missing days inside a span
        are skipped, not counted as 0. Sessions after the last attention
        date are NaN (their span is incomplete). Attention dated before the
        first trading day is dropped (the calendar cannot say which session
        it belongs to), and so is attention after the last trading day (its
        session is not in the calendar yet).

    Raises
    ------
    DataError
        If ``daily_attention`` is not numeric on a DatetimeIndex,
        ``trading_days`` are not dates, or ``how`` is unknown.

    Examples
    --------
    >>> import pandas as pd
    >>> mentions = pd.Series([1.0, 2, 4, 8], index=pd.to_datetime(
    ...     ["2026-01-09", "2026-01-10", "2026-01-11", "2026-01-12"]))  # Fri, Sat, Sun, Mon
    >>> align_to_trading_days(mentions, pd.bdate_range("2026-01-09", "2026-01-13")).tolist()
    [1.0, 14.0, nan]
    """
    if how not in _ALIGN_HOW:
        raise DataError(f"how: expected one of {_ALIGN_HOW}, got {how!r}")
    frame = naive_utc(as_frame(daily_attention, "daily_attention"))
    days = _trading_calendar(trading_days)
    dates = frame.index.normalize()
    position = days.searchsorted(dates, side="left")  # first trading day >= date
    keep = (dates >= days[0]) & (position < len(days))
    if not keep.any():
        raise DataError(
            f"daily_attention, trading_days: no attention date falls in the calendar "
            f"(attention {dates.min():%Y-%m-%d}..{dates.max():%Y-%m-%d}, "
            f"trading days {days[0]:%Y-%m-%d}..{days[-1]:%Y-%m-%d})"
        )
    grouped = frame[keep].groupby(days[position[keep]])
    if how == "sum":
        per_day = grouped.sum(min_count=1)
    else:
        per_day = grouped.mean()
    out = per_day.reindex(days)
    # A session after the last attention date would hold a partial span (say,
    # Saturday's count standing for Monday's): leave it missing until complete.
    out[days > dates.max()] = np.nan
    return _like(daily_attention, out)


# ---------------------------------------------------------------- theme returns and yfinance prices


def _close_prices(prices: object) -> pd.DataFrame:
    if not isinstance(prices, pd.DataFrame):
        raise DataError(f"prices: expected a DataFrame in yfinance's layout, got {type(prices).__name__}")
    if not isinstance(prices.columns, pd.MultiIndex) or "Close" not in prices.columns.get_level_values(0):
        raise DataError(
            "prices: expected yfinance's layout, columns MultiIndex (field, ticker) with a 'Close' field "
            "(as from load_prices or load_yfinance)"
        )
    return prices["Close"]


def theme_relative_returns(theme: Theme | str, prices: pd.DataFrame, large: str = "SPY") -> pd.Series:
    """Daily log return of a theme's ticker minus that of ``large``.

    ``r_t = ln(P^theme_t / P^theme_{t-1}) - ln(P^large_t / P^large_{t-1})``
    on the Close field, via :func:`relative_returns` (common dates only).

    Parameters
    ----------
    theme : Theme or str
        A :class:`~attention.themes.Theme` or the name of a default theme
        (see :func:`~attention.themes.get_theme`); its ``ticker`` is priced.
    prices : DataFrame
        Prices in yfinance's layout: columns ``MultiIndex(field, ticker)``
        with a Close field, as from :func:`~attention.datasets.load_prices`
        or :func:`load_yfinance`.
    large : str, default "SPY"
        The ticker to beat.

    Returns
    -------
    Series
        Named ``"<ticker> - <large>"``; positive on days the theme beat
        ``large``.

    Raises
    ------
    DataError
        If the theme is unknown or has no ticker, ``prices`` is not in
        yfinance's layout, or either ticker has no Close prices in it.

    Examples
    --------
    >>> from attention.datasets import load_prices
    >>> rel = theme_relative_returns("small-cap stocks", load_prices(["IWM", "SPY"]))
    >>> rel.name
    'IWM - SPY'
    >>> float(round(rel.loc["2026-01-16"], 5))
    0.00178
    """
    th = get_theme(theme)
    if not th.ticker:
        raise DataError(f"theme: {th.name!r} has no ticker to price")
    if not isinstance(large, str) or not large:
        raise DataError(f"large: expected a ticker, got {large!r}")
    close = _close_prices(prices)
    wanted = dict.fromkeys([th.ticker, large])
    missing = [t for t in wanted if t not in close.columns or close[t].isna().all()]
    if missing:
        raise DataError(
            f"prices: no Close prices for {missing} (theme {th.name!r} ticker {th.ticker!r}, "
            f"large={large!r}); tickers present: {list(close.columns)}"
        )
    out = relative_returns(close[th.ticker], close[large])
    out.name = f"{th.ticker} - {large}"
    return out


def _tickers_arg(tickers: Any) -> list[str]:
    wanted = [tickers] if isinstance(tickers, str) else tickers
    try:
        wanted = list(wanted)
    except TypeError:
        raise DataError(f"tickers: expected a ticker or a list of tickers, got {tickers!r}") from None
    if not wanted or any(not isinstance(t, str) or not t.strip() for t in wanted):
        raise DataError(f"tickers: expected a ticker or a list of non-empty tickers, got {tickers!r}")
    # yfinance upper-cases and de-duplicates the tickers it returns.
    return list(dict.fromkeys(t.strip().upper() for t in wanted))


def _yfinance_to_layout(raw: pd.DataFrame, wanted: list[str]) -> pd.DataFrame:
    """yfinance.download's frame -> load_prices' layout (fields x wanted tickers)."""
    if not isinstance(raw, pd.DataFrame) or raw.empty:
        raise CollectorError(f"yfinance returned no data for {wanted}")
    frame = raw.copy()
    if isinstance(frame.columns, pd.MultiIndex):
        if frame.columns.nlevels != 2:
            raise CollectorError(f"yfinance returned columns with {frame.columns.nlevels} levels, expected 2")
        fields0 = set(frame.columns.get_level_values(0))
        if not fields0 & set(PRICE_FIELDS) and set(frame.columns.get_level_values(1)) & set(PRICE_FIELDS):
            frame = frame.swaplevel(axis=1)  # (ticker, field), as with group_by="ticker"
    else:
        # Old yfinance, one ticker: flat columns Open, High, Low, Close, (Adj Close,) Volume.
        if len(wanted) != 1:
            raise CollectorError(
                f"yfinance returned flat columns {list(frame.columns)} for {len(wanted)} tickers"
            )
        frame.columns = pd.MultiIndex.from_product([list(frame.columns), wanted])
    if not set(frame.columns.get_level_values(0)) & set(PRICE_FIELDS):
        raise CollectorError(
            f"yfinance returned none of the fields {list(PRICE_FIELDS)}: {list(frame.columns)}"
        )
    if not isinstance(frame.index, pd.DatetimeIndex):
        frame.index = pd.DatetimeIndex(frame.index)
    if frame.index.tz is not None:
        frame.index = frame.index.tz_localize(None)  # the exchange's local dates
    frame.columns = pd.MultiIndex.from_tuples(
        [(f, str(t).upper()) for f, t in frame.columns], names=["Price", "Ticker"]
    )
    frame = frame.loc[:, ~frame.columns.duplicated()]
    layout = pd.MultiIndex.from_product([list(PRICE_FIELDS), wanted], names=["Price", "Ticker"])
    out = frame.reindex(columns=layout)
    out = out.apply(pd.to_numeric, errors="coerce").astype("float64")
    out = out.dropna(how="all").sort_index()
    out.index.name = "Date"
    if out.empty:
        raise CollectorError(f"yfinance returned no prices for {wanted}")
    empty = [t for t in wanted if out["Close"][t].isna().all()]
    if empty:
        warnings.warn(
            f"yfinance returned no prices for {empty}; their columns are NaN", AttentionWarning, stacklevel=3
        )
    return out


def load_yfinance(
    tickers: str | Iterable[str], start: DateLike | None = None, end: DateLike | None = None
) -> pd.DataFrame:
    """Daily prices from Yahoo Finance, in the layout of :func:`~attention.datasets.load_prices`.

    Calls ``yfinance.download(tickers, start=start, end=end,
    auto_adjust=True, progress=False, group_by="column")`` and returns a
    frame indexed by ``Date`` (naive dates) with columns
    ``MultiIndex(field, ticker)``, fields Close, High, Low, Open, Volume in
    that order and tickers in the order asked for, as float64. The same
    code therefore runs on shipped and freshly downloaded prices.

    Parameters
    ----------
    tickers : str or list of str
        Yahoo tickers (``"IWM"``, ``"^RUT"``, ``"ES=F"``); upper-cased and
        de-duplicated, as yfinance does.
    start, end : str or date, optional
        Passed to yfinance; ``end`` is exclusive there.

    Returns
    -------
    DataFrame
        Rows where every value is missing are dropped; dates on which one
        ticker did not trade are NaN for that ticker. Prices are adjusted for
        splits and dividends (``auto_adjust=True``), so returns are total
        returns.

    Raises
    ------
    MissingDependencyError
        If yfinance is not installed.
    DataError
        If ``tickers`` is empty or not strings.
    CollectorError
        If yfinance returns nothing usable. A ticker that alone returns
        nothing stays in the frame as NaN, with an
        :class:`~attention.errors.AttentionWarning`.

    Notes
    -----
    Yahoo Finance's terms of use apply to the data. yfinance is an
    unofficial client and its output layout has changed between versions;
    both the current multi-level columns and the older flat single-ticker
    columns are handled.

    Examples
    --------
    Downloading needs the network and ``pip install yfinance``; the frame has the layout of
    :func:`~attention.datasets.load_prices`:

    >>> prices = load_yfinance(["IWM", "SPY"], start="2026-01-02")  # doctest: +SKIP
    >>> prices["Close"].columns.tolist()  # doctest: +SKIP
    ['IWM', 'SPY']

    Arguments are checked before anything is sent:

    >>> load_yfinance([])
    Traceback (most recent call last):
    attention.errors.DataError: tickers: expected a ticker or a list of non-empty tickers, got []
    """
    wanted = _tickers_arg(tickers)
    try:
        import yfinance
    except ImportError as exc:
        raise MissingDependencyError(
            "load_yfinance needs yfinance: pip install 'market-attention[yfinance]'"
        ) from exc
    raw = yfinance.download(
        wanted if len(wanted) > 1 else wanted[0],
        start=start,
        end=end,
        auto_adjust=True,
        progress=False,
        group_by="column",
    )
    return _yfinance_to_layout(raw, wanted)
