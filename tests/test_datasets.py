"""The data shipped with the package: layout and real values."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

import attention.datasets
from attention import DataError, load_preis2013, load_prices
from attention.datasets import PRICE_TICKERS

FIELDS = ["Close", "High", "Low", "Open", "Volume"]


@pytest.fixture(scope="module")
def prices():
    return load_prices()


def test_load_prices_has_yfinance_layout(prices):
    assert isinstance(prices.index, pd.DatetimeIndex)
    assert prices.index.name == "Date"
    assert prices.index.is_monotonic_increasing and prices.index.is_unique
    assert isinstance(prices.columns, pd.MultiIndex)
    assert list(prices.columns.names) == ["Price", "Ticker"]
    assert list(prices.columns.get_level_values(0).unique()) == FIELDS
    assert list(prices["Close"].columns) == list(PRICE_TICKERS)
    assert prices.shape[1] == len(FIELDS) * len(PRICE_TICKERS) == 45
    assert all(prices[f].dtypes.eq(np.float64).all() for f in FIELDS)


def test_load_prices_keeps_the_requested_ticker_order():
    p = load_prices(["SPY", "IWM"])
    assert list(p.columns[:4]) == [("Close", "SPY"), ("Close", "IWM"), ("High", "SPY"), ("High", "IWM")]
    assert list(load_prices("QQQ").columns.get_level_values(1).unique()) == ["QQQ"]


@pytest.mark.parametrize(
    ("ticker", "last"),
    [
        ("IWM", "2026-02-23"),
        ("SPY", "2026-02-23"),
        ("QQQ", "2026-02-23"),
        ("^RUT", "2026-02-20"),
        ("ES=F", "2026-02-23"),
        ("^GSPC", "2022-11-18"),
        ("^NDX", "2022-11-18"),
    ],
)
def test_last_date_per_ticker(prices, ticker, last):
    assert prices["Close"][ticker].last_valid_index() == pd.Timestamp(last)
    assert PRICE_TICKERS[ticker] == last


def test_price_tickers_table_matches_the_data(prices):
    for ticker, last in PRICE_TICKERS.items():
        assert prices["Close"][ticker].last_valid_index() == pd.Timestamp(last), ticker


def test_unfinished_last_rut_row_is_dropped(prices):
    # 2026-02-23 is in the frame (other tickers traded) but ^RUT has no row for it.
    assert pd.Timestamp("2026-02-23") in prices.index
    assert np.isnan(prices.loc["2026-02-23", ("Close", "^RUT")])
    assert np.isnan(prices.loc["2026-02-23", ("Volume", "^RUT")])
    assert prices.loc["2026-02-20", ("Volume", "^RUT")] > 0


def test_a_single_ticker_frame_only_has_its_own_dates():
    gspc = load_prices(["^GSPC"])
    assert gspc.index[0] == pd.Timestamp("2000-01-03")
    assert gspc.index[-1] == pd.Timestamp("2022-11-18")
    assert gspc.loc["2022-11-18", ("Close", "^GSPC")] == pytest.approx(3965.34, abs=0.01)


@pytest.mark.parametrize(
    ("date", "ticker", "field", "value"),
    [
        ("2026-01-16", "SPY", "Close", 691.66),
        ("2026-01-16", "^RUT", "Close", 2677.74),
        ("2026-01-16", "IWM", "Close", 265.76),
        ("2026-01-16", "QQQ", "Close", 621.26),
        ("2026-01-16", "ES=F", "Close", 6976.75),
        ("2026-01-16", "^RUT", "High", 2692.23),
        ("2026-01-16", "SPY", "Open", 693.66),
        ("2026-01-16", "SPY", "Volume", 79_289_200),
        ("2025-12-31", "^RUT", "Close", 2481.91),
        ("2025-12-31", "SPY", "Close", 681.92),
        ("2000-01-03", "^NDX", "Close", 3790.55),
    ],
)
def test_pinned_real_values(prices, date, ticker, field, value):
    assert prices.loc[date, (field, ticker)] == pytest.approx(value, rel=1e-5)


def test_ohlc_are_consistent(prices):
    for ticker in ["IWM", "SPY", "^RUT"]:
        day = prices.xs(ticker, axis=1, level="Ticker").loc["2025-01-01":].dropna()
        assert (day["High"] >= day[["Open", "Close", "Low"]].max(axis=1) - 1e-6).all(), ticker
        assert (day["Low"] <= day[["Open", "Close", "High"]].min(axis=1) + 1e-6).all(), ticker


@pytest.mark.parametrize("tickers", ["AAPL", ["SPY", "TSLA"], []])
def test_unknown_tickers_are_a_data_error(tickers):
    with pytest.raises(DataError, match="tickers: unknown"):
        load_prices(tickers)


def test_load_prices_docstring_example_runs():
    [test] = [t for t in doctest.DocTestFinder().find(attention.datasets) if t.name.endswith(".load_prices")]
    runner = doctest.DocTestRunner()
    runner.run(test, out=lambda text: None)
    assert runner.failures == 0


# ---------------------------------------------------------------- Preis et al. (2013)


def test_preis2013_shape_and_calendar(preis):
    assert preis.shape == (373, 100)
    assert preis.index.name == "week_start"
    assert preis.index[0] == pd.Timestamp("2004-01-04")
    assert preis.index[-1] == pd.Timestamp("2011-02-20")
    assert (preis.index.day_of_week == 6).all()  # Google weeks start on Sunday
    assert (np.diff(preis.index.to_numpy()) == np.timedelta64(7, "D")).all()
    terms = [c for c in preis.columns if c not in ("djia_date", "djia_close")]
    assert len(terms) == 98
    assert {"debt", "stocks", "inflation", "crisis"} <= set(terms)
    assert list(preis.columns[-2:]) == ["djia_date", "djia_close"]


def test_preis2013_values(preis):
    assert preis.loc["2004-01-04", "debt"] == 0.21
    assert preis["djia_close"].iloc[0] == 10485.18
    assert preis["djia_close"].iloc[-1] == 12226.34
    assert preis["debt"].iloc[:4].tolist() == pytest.approx([0.21, 0.21, 0.21, 0.213333])
    assert preis["djia_close"].notna().all()


def test_preis2013_djia_date_is_in_the_following_week(preis):
    # The DJIA close is taken on the first trading day after the Google week ends.
    assert preis["djia_date"].iloc[0] == pd.Timestamp("2004-01-12")
    gap = (preis["djia_date"] - preis.index.to_series()).dt.days
    assert gap.between(7, 13).all()


def test_preis2013_returns_a_fresh_frame():
    a = load_preis2013()
    a.loc[a.index[0], "debt"] = -1.0
    assert load_preis2013().loc["2004-01-04", "debt"] == 0.21


def test_load_prices_any_case_and_a_date_range():
    frame = load_prices(["spy", "es=f", "SPY"], start="2026-01-12", end="2026-01-16")
    assert list(frame["Close"].columns) == ["SPY", "ES=F"]
    assert (frame.index[0], frame.index[-1], len(frame)) == (pd.Timestamp("2026-01-12"), pd.Timestamp("2026-01-16"), 5)
    pd.testing.assert_frame_equal(frame, load_prices(["SPY", "ES=F"]).loc["2026-01-12":"2026-01-16"])
    with pytest.raises(DataError, match="^start, end: start 2026-01-16 is after end 2026-01-12"):
        load_prices("SPY", start="2026-01-16", end="2026-01-12")
    with pytest.raises(DataError, match="^end: expected a date"):
        load_prices("SPY", end="soon")
    with pytest.raises(DataError, match="^tickers: unknown \\['AAPL'\\]"):
        load_prices(["spy", "AAPL"])
