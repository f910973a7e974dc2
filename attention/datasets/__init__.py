"""Real data shipped with the package, so everything runs offline.

Each loader says where its data came from and under which terms; the same
notes, with commits and checks, are in ``attention/datasets/README.md``.

- :func:`load_prices` - daily OHLCV from Yahoo Finance for small- and
  large-cap ETFs, indexes and index futures.
- :func:`load_preis2013` - weekly Google search volume for 98 terms and the
  DJIA, from Preis, Moat & Stanley (2013).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import pandas as pd

from .._typing import DateLike
from .._validate import utc_day
from ..errors import DataError

if TYPE_CHECKING:
    from importlib.abc import Traversable

__all__ = ["PRICE_TICKERS", "load_preis2013", "load_prices"]

#: Tickers in :func:`load_prices`, with the last date each covers.
PRICE_TICKERS = {
    "IWM": "2026-02-23",
    "SPY": "2026-02-23",
    "QQQ": "2026-02-23",
    "^RUT": "2026-02-20",
    "ES=F": "2026-02-23",
    "NQ=F": "2026-02-23",
    "RTY=F": "2026-02-23",
    "^GSPC": "2022-11-18",
    "^NDX": "2022-11-18",
}
_FIELDS = ["Close", "High", "Low", "Open", "Volume"]  # yfinance's order


def _path(name: str) -> Traversable:
    return resources.files(__package__).joinpath("data").joinpath(name)


@lru_cache(maxsize=1)
def _prices_long() -> pd.DataFrame:
    with _path("prices_daily.csv.gz").open("rb") as fh:
        return pd.read_csv(fh, compression="gzip", parse_dates=["Date"])


def load_prices(
    tickers: str | Iterable[str] | None = None, start: DateLike | None = None, end: DateLike | None = None
) -> pd.DataFrame:
    """Daily prices in yfinance's layout.

    The frame has a DatetimeIndex named ``Date`` and columns
    ``MultiIndex(field, ticker)`` with fields Close, High, Low, Open, Volume -
    the shape of ``yfinance.download(tickers, auto_adjust=True)`` - so either
    can be passed wherever prices are expected. Dates where a ticker did not
    trade are NaN for that ticker.

    Parameters
    ----------
    tickers : str or list of str, optional
        Any of :data:`PRICE_TICKERS`, in any case (``"spy"`` is SPY); all by
        default. Columns carry the tickers as spelled in
        :data:`PRICE_TICKERS`, in the order asked for.
    start, end : date-like, optional
        First and last date to keep, both included (as ``frame.loc[start:end]``).

    Returns
    -------
    DataFrame

    Raises
    ------
    DataError
        If a ticker is not shipped, or ``start``/``end`` are not dates or
        ``start`` is after ``end``.

    Notes
    -----
    Source: Yahoo Finance. IWM, SPY, QQQ, ^RUT and the futures ES=F, NQ=F,
    RTY=F to 2026-02-23 (github.com/alitalbi/storage_data_fy); ^GSPC and
    ^NDX to 2022-11-18 (github.com/xjcarter/data). Yahoo's terms apply.

    **Dividend adjustment caveat.** The 2026 files were downloaded once
    around 2025-06-07 with ``auto_adjust=True`` and then extended one row a
    day, so ETF prices before that date are dividend-adjusted and later ones
    are not: an ETF's return after June 2025 is a price return (about 0.3%
    a quarter below total return for SPY). Indexes (^RUT, ^GSPC, ^NDX) are
    price indexes throughout. The unfinished last ^RUT row (2026-02-23,
    volume 0) is dropped. Index volume is Yahoo's exchange volume, not the
    index's: do not use it.

    Examples
    --------
    >>> from attention.datasets import load_prices
    >>> close = load_prices(["IWM", "SPY"])["Close"]
    >>> float(round(close.loc["2026-01-16", "IWM"], 2))
    265.76
    >>> load_prices("es=f", start="2026-01-12", end="2026-01-16")["Close"].columns.tolist()
    ['ES=F']
    """
    if tickers is None:
        wanted = list(PRICE_TICKERS)
    else:
        asked = [tickers] if isinstance(tickers, str) else list(tickers)
        spelled = {t.upper(): t for t in PRICE_TICKERS}
        unknown = [t for t in asked if not isinstance(t, str) or t.strip().upper() not in spelled]
        if unknown or not asked:
            raise DataError(f"tickers: unknown {unknown or asked}; expected any of {list(PRICE_TICKERS)}")
        wanted = list(dict.fromkeys(spelled[t.strip().upper()] for t in asked))
    first = utc_day(start, "start") if start is not None else None
    last = utc_day(end, "end") if end is not None else None
    if first is not None and last is not None and first > last:
        raise DataError(f"start, end: start {first:%Y-%m-%d} is after end {last:%Y-%m-%d}")
    long = _prices_long()
    long = long[long["Ticker"].isin(wanted)]
    wide = long.pivot(index="Date", columns="Ticker", values=_FIELDS)
    wide = wide.reindex(columns=pd.MultiIndex.from_product([_FIELDS, wanted], names=["Price", "Ticker"]))
    return wide.sort_index().loc[first:last]


def load_preis2013() -> pd.DataFrame:
    """Weekly US Google search volume for 98 terms and the DJIA, 2004-2011.

    The data of T. Preis, H. S. Moat and H. E. Stanley, "Quantifying Trading
    Behavior in Financial Markets Using Google Trends", *Scientific Reports*
    3, 1684 (2013), doi:10.1038/srep01684.

    Returns
    -------
    DataFrame
        Indexed by the Google week's start (a Sunday, 2004-01-04 to
        2011-02-20; the week runs Sunday to Saturday). One column per search
        term (``"debt"``, ``"stocks"``, ...) in Google's old scale of search
        volume relative to all searches (each value the mean of three
        downloads in April 2011), then ``djia_date`` - the first trading day
        of the *following* week - and ``djia_close``, the DJIA's close on it.

    Notes
    -----
    The paper's text is CC BY-NC-SA 3.0; the data file carries no separate
    licence. Cite the paper when you use it.

    Examples
    --------
    >>> from attention.datasets import load_preis2013
    >>> data = load_preis2013()
    >>> data.shape
    (373, 100)
    >>> float(data.loc["2004-01-04", "debt"])
    0.21
    """
    return _preis2013().copy()


@lru_cache(maxsize=1)
def _preis2013() -> pd.DataFrame:
    with _path("preis_moat_stanley_2013.dat.gz").open("rb") as fh:
        raw = pd.read_csv(fh, sep=" ", compression="gzip")
    raw.index = pd.DatetimeIndex(pd.to_datetime(raw.pop("Google Start Date")), name="week_start")
    raw = raw.drop(columns="Google End Date")
    raw = raw.rename(columns={"DJIA Date": "djia_date", "DJIA Closing Price": "djia_close"})
    raw["djia_date"] = pd.to_datetime(raw["djia_date"])
    return raw
