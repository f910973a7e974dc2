"""Returns, Google-week calendars, ETF flows and the dollar-volume proxy."""

from __future__ import annotations

import sys
import types

import numpy as np
import pandas as pd
import pytest

from attention import (
    AttentionWarning,
    CollectorError,
    DataError,
    GapWarning,
    MissingDependencyError,
    Theme,
    abnormal_dollar_volume_proxy,
    etf_flows,
    load_prices,
    log_returns,
    relative_returns,
    to_google_weeks,
)
from attention.market import align_to_trading_days, load_yfinance, theme_relative_returns


@pytest.fixture(scope="module")
def iwm_spy():
    return load_prices(["IWM", "SPY"])


def _daily(values, start="2026-01-05", name=None):
    return pd.Series(values, index=pd.date_range(start, periods=len(values)), dtype=float, name=name)


# ---------------------------------------------------------------- log returns


def test_log_returns_values_and_gaps():
    prices = _daily([100.0, 110.0, np.nan, 99.0, 100.0], name="p")
    with pytest.warns(GapWarning, match="prices: 1 returns span missing prices.*'p': 1; the first on 2026-01-08"):
        r = log_returns(prices)
    assert r.name == "p"
    assert np.isnan(r.iloc[0]) and np.isnan(r.iloc[2])  # no price, no return; never 0
    assert r.iloc[1] == pytest.approx(np.log(1.1))
    assert r.iloc[3] == pytest.approx(np.log(99 / 110))  # across the gap: since the previous price
    assert r.iloc[4] == pytest.approx(np.log(100 / 99))
    with pytest.warns(GapWarning, match="1 returns follow missing prices and are left missing"):
        lost = log_returns(prices, gaps="nan")
    assert np.isnan(lost.iloc[3]) and lost.iloc[4] == pytest.approx(np.log(100 / 99))
    with pytest.raises(DataError, match="^gaps: expected one of"):
        log_returns(prices, gaps="fill")


def _weekly_change(close: pd.Series) -> pd.Series:
    """Independent of the library: the change of the log of each Google week's last close."""
    last = np.log(close.dropna()).resample("W-SAT").last()
    out = last.diff()
    out.index = out.index - pd.Timedelta(days=6)  # pandas labels the Saturday that ends the week
    return out


def test_weekly_returns_on_a_business_day_index_with_holidays(iwm_spy):
    close = iwm_spy["Close"]["SPY"].loc["2023-12-22":"2024-12-31"]
    business = close.reindex(pd.bdate_range("2023-12-22", "2024-12-31"))  # holidays are NaN
    assert business.isna().sum() == 11
    with pytest.warns(GapWarning, match="11 returns span missing prices"):
        weekly = to_google_weeks(log_returns(business)).loc["2023-12-31":]
    expected = _weekly_change(close).reindex(weekly.index)
    assert len(weekly) == 53
    np.testing.assert_allclose(weekly.to_numpy(), expected.to_numpy(), rtol=0, atol=1e-12)
    # Leaving the returns after holidays missing gets 10 of the 53 weeks wrong, by up to 2.08 points.
    with pytest.warns(GapWarning):
        lossy = to_google_weeks(log_returns(business, gaps="nan")).loc["2023-12-31":]
    wrong = (lossy - expected).abs()
    assert (wrong > 1e-12).sum() == 10 and wrong.max() == pytest.approx(0.0208, abs=0.0001)


def test_weekly_returns_of_two_calendars_lose_no_week():
    close = load_prices(["SPY", "ES=F"])["Close"].loc["2010":]
    with pytest.warns(GapWarning, match="per column 'SPY': 5, 'ES=F': 2"):
        weekly = to_google_weeks(log_returns(close))
    for ticker in close:
        expected = _weekly_change(close[ticker]).iloc[1:]
        np.testing.assert_allclose(weekly[ticker].reindex(expected.index), expected, rtol=0, atol=1e-12)


def test_log_returns_of_a_yfinance_frame_use_closing_prices(iwm_spy):
    frame = iwm_spy.loc["2026-01-02":"2026-01-16"]
    r = log_returns(frame)
    assert list(r.columns) == ["IWM", "SPY"]
    pd.testing.assert_frame_equal(r, np.log(frame["Close"]).diff(), check_names=False)
    # yfinance without auto_adjust adds Adj Close: that one is the total return.
    adj = pd.concat({"Adj Close": frame["Close"] * 0.99 ** np.arange(len(frame))[:, None], **{
        f: frame[f] for f in ("Close", "High", "Low", "Open", "Volume")}}, axis=1)
    assert log_returns(adj)["SPY"].iloc[1] == pytest.approx(np.log(frame["Close"]["SPY"].pct_change().iloc[1] + 1)
                                                            + np.log(0.99))
    # (ticker, field) columns, as with group_by="ticker", and one ticker's flat columns.
    by_ticker = frame.swaplevel(axis=1)
    pd.testing.assert_frame_equal(log_returns(by_ticker), r)
    flat = frame.xs("SPY", axis=1, level=1)
    assert list(log_returns(flat).columns) == ["Close"]
    np.testing.assert_allclose(log_returns(flat)["Close"], r["SPY"])


def test_log_returns_of_a_frame_on_real_prices(iwm_spy):
    close = iwm_spy["Close"].loc["2026-01-14":"2026-01-20"]
    r = log_returns(close)
    assert list(r.columns) == ["IWM", "SPY"]
    # 2026-01-16 -> 2026-01-20 spans the Martin Luther King Jr. Day holiday: one return, not two.
    assert r.loc["2026-01-20", "SPY"] == pytest.approx(np.log(677.58002 / 691.65997), rel=1e-9)
    assert r.loc["2026-01-16", "IWM"] == pytest.approx(np.log(265.76001 / 265.51001), rel=1e-9)
    assert r.iloc[0].isna().all()


@pytest.mark.parametrize("bad", [0.0, -5.0])
def test_log_returns_reject_non_positive_prices(bad):
    with pytest.raises(DataError, match="prices: prices must be positive; column 'b'"):
        idx = pd.date_range("2026-01-05", periods=3)
        log_returns(pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, bad, 3.0]}, index=idx))


def test_relative_returns_sign():
    small = _daily(100 * 1.01 ** np.arange(6), name="small cap")
    large = _daily(np.full(6, 50.0), name="large cap")
    rel = relative_returns(small, large)
    assert rel.name == "small cap - large cap"
    assert len(rel) == 5
    assert rel.to_numpy() == pytest.approx(np.full(5, np.log(1.01)))
    assert (relative_returns(large, small) < 0).all()


def test_relative_returns_on_real_prices(iwm_spy):
    close = iwm_spy["Close"]
    rel = relative_returns(close["IWM"], close["SPY"])
    expected = np.log(265.76001 / 265.51001) - np.log(691.65997 / 692.23999)
    assert rel.loc["2026-01-16"] == pytest.approx(expected, rel=1e-9)
    assert rel.loc["2026-01-16"] > 0  # IWM beat SPY that day


# ---------------------------------------------------------------- Google weeks


def test_google_weeks_are_labelled_by_their_sunday():
    r = pd.Series(0.01, index=pd.bdate_range("2026-01-05", "2026-01-16"))
    weekly = to_google_weeks(r)
    assert list(weekly.index) == [pd.Timestamp("2026-01-04"), pd.Timestamp("2026-01-11")]
    assert (weekly.index.day_of_week == 6).all()
    assert weekly.to_numpy() == pytest.approx([0.05, 0.05])


def test_a_monday_to_friday_week_sums_to_its_sunday():
    r = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0], index=pd.bdate_range("2026-01-05", periods=5))
    weekly = to_google_weeks(r)
    assert weekly.to_dict() == {pd.Timestamp("2026-01-04"): 15.0}


def test_saturday_ends_a_week_and_sunday_starts_one():
    days = pd.to_datetime(["2026-01-03", "2026-01-04", "2026-01-10", "2026-01-11"])  # Sat, Sun, Sat, Sun
    s = pd.Series([1.0, 2.0, 4.0, 8.0], index=days)
    weekly = to_google_weeks(s)
    assert weekly.to_dict() == {
        pd.Timestamp("2025-12-28"): 1.0,
        pd.Timestamp("2026-01-04"): 6.0,
        pd.Timestamp("2026-01-11"): 8.0,
    }


def test_intraday_timestamps_stay_in_their_calendar_week():
    stamps = pd.to_datetime(["2026-01-03 23:00", "2026-01-04 01:00", "2026-01-10 23:59"])
    s = pd.Series([1.0, 2.0, 4.0], index=stamps)
    assert to_google_weeks(s).to_dict() == {pd.Timestamp("2025-12-28"): 1.0, pd.Timestamp("2026-01-04"): 6.0}


def test_empty_weeks_are_nan_not_zero():
    days = pd.bdate_range("2026-01-05", "2026-01-09").append(pd.bdate_range("2026-01-19", "2026-01-23"))
    weekly = to_google_weeks(pd.Series(1.0, index=days))
    assert list(weekly.index) == list(pd.date_range("2026-01-04", periods=3, freq="W-SUN"))
    assert weekly.iloc[0] == 5.0 and weekly.iloc[2] == 5.0
    assert np.isnan(weekly.iloc[1])
    for how in ("last", "mean", "first"):
        assert np.isnan(to_google_weeks(pd.Series(1.0, index=days), how=how).iloc[1]), how


def test_weekly_sum_of_real_log_returns_telescopes(iwm_spy):
    spy = iwm_spy["Close"]["SPY"]
    weekly = to_google_weeks(log_returns(spy))
    # The week of 2026-01-11 (Jan 12-16): last close of that week over the last close of the week before.
    assert weekly.loc["2026-01-11"] == pytest.approx(np.log(691.65997 / 694.07001), rel=1e-9)
    last = to_google_weeks(spy, how="last")
    assert last.loc["2026-01-11"] == pytest.approx(691.65997)
    assert to_google_weeks(spy, how="first").loc["2026-01-11"] == pytest.approx(695.15997)


def test_google_weeks_of_a_frame_and_of_aware_dates():
    idx = pd.bdate_range("2026-01-05", periods=10, tz="UTC")
    frame = pd.DataFrame({"a": 1.0, "b": 2.0}, index=idx)
    weekly = to_google_weeks(frame)
    assert list(weekly.columns) == ["a", "b"]
    assert weekly.index.tz is None
    assert weekly.loc["2026-01-11"].tolist() == [5.0, 10.0]


@pytest.mark.parametrize("how", ["median", "SUM", None])
def test_google_weeks_bad_how(how):
    with pytest.raises(DataError, match="how: expected one of"):
        to_google_weeks(pd.Series(1.0, index=pd.bdate_range("2026-01-05", periods=5)), how=how)


# ---------------------------------------------------------------- ETF flows (iShares EWJ, EWY, EWZ)


def test_etf_flows_formula_on_a_hand_computed_row(shares_wide):
    so, nav = shares_wide
    flows = etf_flows(so, nav)
    assert list(flows.columns) == ["EWJ", "EWY", "EWZ"]
    # EWJ, 2026-03-06: 223,800,000 -> 221,100,000 shares; NAV 85.61 -> 84.53.
    expected = (221_100_000 - 223_800_000) * 84.53 / (223_800_000 * 85.61)
    assert flows.loc["2026-03-06", "EWJ"] == pytest.approx(expected, rel=1e-12)
    assert flows.loc["2026-03-06", "EWJ"] == pytest.approx(-0.011912, abs=1e-6)
    # EWY, 2026-03-04: the first day with NAV on both days.
    ewy = 550_000 * 131.17 / (119_100_000 * 125.60)
    assert flows.loc["2026-03-04", "EWY"] == pytest.approx(ewy, rel=1e-12)
    # Generic check of the formula on every row.
    by_formula = (so - so.shift(1)) * nav / (so.shift(1) * nav.shift(1))
    pd.testing.assert_frame_equal(flows, by_formula, check_freq=False, check_names=False)


def test_etf_flows_nan_where_nav_is_missing(shares_wide):
    so, nav = shares_wide
    flows = etf_flows(so, nav)
    assert flows.loc[:"2026-03-02"].isna().all().all()  # no NAV published before March 2026
    assert np.isnan(flows.loc["2026-03-04", "EWJ"])  # NAV on the day but not the day before
    assert flows.loc["2026-03-05"].notna().all()
    assert flows.notna().sum().min() > 30
    # Unchanged shares are a real zero flow, not missing.
    assert flows.loc["2026-03-06", "EWZ"] == 0.0


def test_etf_flows_of_series_keep_the_shares_name(shares_wide):
    so, nav = shares_wide
    flow = etf_flows(so["EWY"], nav["EWY"].rename("nav"))
    assert flow.name == "EWY"
    assert flow.loc["2026-03-06"] == pytest.approx(etf_flows(so, nav).loc["2026-03-06", "EWY"])


def test_etf_flows_mismatched_columns(shares_wide):
    so, nav = shares_wide
    with pytest.raises(DataError, match="shares_outstanding, nav: columns differ"):
        etf_flows(so[["EWJ", "EWY"]], nav[["EWJ", "EWZ"]])


def test_etf_flows_no_common_dates_and_non_positive_shares(shares_wide):
    so, nav = shares_wide
    with pytest.raises(DataError, match="shares_outstanding, nav: no common dates"):
        etf_flows(so.loc[:"2025-12-31"], nav.loc["2026-01-01":])
    bad = so.copy()
    bad.iloc[3, 0] = 0
    with pytest.raises(DataError, match="shares_outstanding: values must be positive"):
        etf_flows(bad, nav)


def test_etf_flows_lag_one_uses_the_next_reported_count(shares_wide):
    so, nav = shares_wide
    flows = etf_flows(so, nav, lag=1)
    # EWY, 2026-03-05: shares dated 03-06 (126,350,000) are the count after 03-05's creations.
    ewy = (126_350_000 - 121_100_000) * 131.17 / (121_100_000 * 131.17)
    assert flows.loc["2026-03-05", "EWY"] == pytest.approx(ewy, rel=1e-12)
    # lag=0 would put that creation on 03-06 instead.
    lag0 = etf_flows(so, nav)
    assert lag0.loc["2026-03-06", "EWY"] == pytest.approx(
        (126_350_000 - 121_100_000) * 126.66 / (121_100_000 * 131.17), rel=1e-12
    )
    # The next REPORTED day, not the next calendar day: Good Friday 2026-04-03 is not in the
    # file, so Thursday 04-02 takes Monday 04-06's count (EWZ 254,600,000 -> 255,700,000).
    assert pd.Timestamp("2026-04-03") not in so.index
    ewz = (255_700_000 - 254_600_000) * 38.34 / (254_600_000 * 38.38)
    assert flows.loc["2026-04-02", "EWZ"] == pytest.approx(ewz, rel=1e-12)
    assert lag0.loc["2026-04-02", "EWZ"] == 0.0
    # The shift goes backwards: the last date has no later count yet.
    assert flows.iloc[-1].isna().all() and lag0.iloc[-1].notna().all()


def test_etf_flows_lag_shifts_the_share_change_by_one_reporting_day(shares_wide):
    so, nav = shares_wide
    lag0, lag1 = etf_flows(so, nav), etf_flows(so, nav, lag=1)
    # With a constant NAV the flow is the relative change in shares, dS/S: lag=1 moves it one
    # reporting day EARLIER (the change first seen in the count dated t+1 belongs to t).
    flat = so * 0.0 + 1.0
    ds0, ds1 = etf_flows(so, flat), etf_flows(so, flat, lag=1)
    pd.testing.assert_frame_equal(ds1.iloc[1:], ds0.shift(-1).iloc[1:], check_freq=False)
    assert ds1.iloc[0].isna().all()  # no earlier count to difference against
    assert (ds1 != 0).sum().min() > 30
    by_formula = (so.shift(-1) - so) * nav / (so * nav.shift(1))
    pd.testing.assert_frame_equal(lag1, by_formula, check_freq=False, check_names=False)
    pd.testing.assert_frame_equal(etf_flows(so, nav, lag=0), lag0)
    series = etf_flows(so["EWZ"], nav["EWZ"], lag=1)
    assert series.name == "EWZ"
    assert series.loc["2026-04-02"] == pytest.approx(lag1.loc["2026-04-02", "EWZ"])


@pytest.mark.parametrize("lag", [-1, 1.0, True, "1"])
def test_etf_flows_bad_lag(shares_wide, lag):
    so, nav = shares_wide
    with pytest.raises(DataError, match=r"^lag: expected an integer >= 0"):
        etf_flows(so, nav, lag=lag)


# ---------------------------------------------------------------- daily attention on trading days


@pytest.fixture(scope="module")
def spy_days():
    return load_prices(["SPY"]).index


def _calendar_days(start, end, values=None):
    idx = pd.date_range(start, end, freq="D")
    return pd.Series(np.arange(1.0, len(idx) + 1) if values is None else values, index=idx, name="mentions")


def test_weekend_attention_lands_on_monday(spy_days):
    # Fri 2026-01-09 .. Tue 2026-01-13 on SPY's real calendar.
    s = _calendar_days("2026-01-09", "2026-01-13", [1.0, 2.0, 4.0, 8.0, 16.0])
    out = align_to_trading_days(s, spy_days).dropna()
    assert out.name == "mentions" and out.index.name == "Date"
    assert out.to_dict() == {
        pd.Timestamp("2026-01-09"): 1.0,  # Friday: itself
        pd.Timestamp("2026-01-12"): 2.0 + 4.0 + 8.0,  # Monday: Saturday, Sunday and Monday
        pd.Timestamp("2026-01-13"): 16.0,
    }
    mean = align_to_trading_days(s, spy_days, how="mean").dropna()
    assert mean.loc["2026-01-12"] == pytest.approx(14.0 / 3)


def test_friday_holiday_lands_on_monday(spy_days):
    # Independence Day 2025 was a Friday; Good Friday 2025 was April 18. Both are closed in SPY's data.
    holidays = [("2025-07-03", "2025-07-04", "2025-07-07"), ("2025-04-17", "2025-04-18", "2025-04-21")]
    for thu, fri, mon in holidays:
        assert pd.Timestamp(fri) not in spy_days
        assert pd.Timestamp(thu) in spy_days and pd.Timestamp(mon) in spy_days
        s = pd.Series(1.0, index=pd.date_range(thu, mon), name="m") * [1, 10, 100, 1000, 10000]
        out = align_to_trading_days(s, spy_days)
        assert out.loc[thu] == 1.0
        assert out.loc[mon] == 10.0 + 100 + 1000 + 10000  # Friday holiday + weekend + Monday
        assert pd.Timestamp(fri) not in out.index


def test_mlk_monday_holiday_lands_on_tuesday_and_sums_telescope(spy_days):
    s = _calendar_days("2026-01-01", "2026-01-31")
    out = align_to_trading_days(s, spy_days)
    # Sat 17, Sun 18, Mon 19 (Martin Luther King Jr. Day) and Tue 20 all count on Tuesday.
    assert out.loc["2026-01-20"] == 17 + 18 + 19 + 20.0
    # Jan 1 is a holiday; Jan 2 is the first session. Nothing is lost or counted twice.
    assert out.loc["2026-01-02"] == 1.0 + 2.0
    assert np.isnan(out.loc["2025-12-31"])
    # Nothing is lost or counted twice, except Saturday Jan 31: its session (Mon Feb 2) is
    # incomplete without Feb 1 and 2, so it stays NaN.
    assert out.sum() == s.sum() - 31
    assert np.isnan(out.loc["2026-02-02"]) and out.loc["2026-01-30"] == 30.0


def test_attention_outside_the_calendar_is_dropped_and_gaps_are_nan():
    days = pd.DatetimeIndex(["2026-01-06", "2026-01-07", "2026-01-09"], name="session")
    s = pd.Series([1.0, 2.0, 4.0, np.nan, 16.0, 32.0], index=pd.date_range("2026-01-05", periods=6))
    out = align_to_trading_days(s, days)
    # 01-05 precedes the calendar (dropped); 01-08 is NaN and skipped, 01-10 follows it (dropped).
    assert out.index.name == "session"
    assert out.tolist() == [2.0, 4.0, 16.0]
    gap = pd.Series([1.0, np.nan, 5.0], index=pd.to_datetime(["2026-01-06", "2026-01-07", "2026-01-09"]))
    assert np.isnan(align_to_trading_days(gap, days).loc["2026-01-07"])  # nothing observed: NaN, not 0


def test_align_to_trading_days_is_trailing(spy_days):
    rng = np.random.default_rng(7)
    idx = pd.date_range("2025-03-01", "2025-12-31")
    s = pd.DataFrame(rng.poisson(3, (len(idx), 2)).astype(float), index=idx, columns=["a", "b"])
    s[rng.random(s.shape) < 0.1] = np.nan
    full = align_to_trading_days(s, spy_days)
    for k in (10, 100, 250, len(idx) - 1):
        past = align_to_trading_days(s.iloc[:k], spy_days)
        last = s.index[k - 1]
        pd.testing.assert_frame_equal(past.loc[:last], full.loc[:last])
        assert past.loc[last:].iloc[1:].isna().all().all()  # later sessions: not yet complete
        assert past.notna().sum().sum() > 0


def test_align_to_trading_days_inputs(spy_days):
    s = _calendar_days("2026-01-09", "2026-01-13")
    aware = s.tz_localize("UTC")
    pd.testing.assert_series_equal(align_to_trading_days(aware, spy_days), align_to_trading_days(s, spy_days))
    prices = load_prices(["IWM"])
    pd.testing.assert_series_equal(align_to_trading_days(s, prices), align_to_trading_days(s, prices.index))
    with pytest.raises(DataError, match="how: expected one of"):
        align_to_trading_days(s, spy_days, how="last")
    with pytest.raises(DataError, match="^trading_days: the calendar is empty"):
        align_to_trading_days(s, pd.DatetimeIndex([]))
    with pytest.raises(DataError, match="^trading_days: expected"):
        align_to_trading_days(s, 5)
    with pytest.raises(DataError, match="^daily_attention: expected a DatetimeIndex"):
        align_to_trading_days(pd.Series([1.0, 2.0]), spy_days)
    with pytest.raises(DataError, match="^daily_attention, trading_days: no attention date falls in"):
        align_to_trading_days(s, pd.DatetimeIndex(["2020-01-02"]))


# ---------------------------------------------------------------- theme relative returns


def test_theme_relative_returns_on_real_prices():
    prices = load_prices(["IWM", "SPY", "QQQ"])
    rel = theme_relative_returns("small-cap stocks", prices)
    assert rel.name == "IWM - SPY"
    close = prices["Close"]
    pd.testing.assert_series_equal(rel, relative_returns(close["IWM"], close["SPY"]), check_names=False)
    expected = np.log(265.76001 / 265.51001) - np.log(691.65997 / 692.23999)
    assert rel.loc["2026-01-16"] == pytest.approx(expected, rel=1e-9)
    ai = theme_relative_returns("AI stocks", prices)
    assert ai.name == "QQQ - SPY"
    vs_iwm = theme_relative_returns(Theme("tech", ticker="QQQ"), prices, large="IWM")
    assert vs_iwm.name == "QQQ - IWM"
    assert vs_iwm.loc["2026-01-16"] == pytest.approx(ai.loc["2026-01-16"] - rel.loc["2026-01-16"], rel=1e-9)


def test_theme_relative_returns_errors():
    prices = load_prices(["IWM", "SPY"])
    with pytest.raises(DataError, match=r"^prices: no Close prices for \['QQQ'\]"):
        theme_relative_returns("AI stocks", prices)
    with pytest.raises(DataError, match=r"^prices: no Close prices for \['DIA'\]"):
        theme_relative_returns("small-cap stocks", prices, large="DIA")
    with pytest.raises(DataError, match="^theme: expected a Theme or one of"):
        theme_relative_returns("crypto", prices)
    with pytest.raises(DataError, match="^theme: 'no ticker' has no ticker"):
        theme_relative_returns(Theme("no ticker"), prices)
    with pytest.raises(DataError, match="^prices: expected yfinance's layout"):
        theme_relative_returns("small-cap stocks", prices["Close"])
    with pytest.raises(DataError, match="^prices: expected a DataFrame"):
        theme_relative_returns("small-cap stocks", prices["Close"]["IWM"])
    with pytest.raises(DataError, match="^large: expected a ticker"):
        theme_relative_returns("small-cap stocks", prices, large=None)


# ---------------------------------------------------------------- yfinance loader (no network)


def _yf_frame(tickers, *, volume_dtype="float64"):
    """A frame in yfinance.download's real layout (>= 0.2.51, auto_adjust=True, group_by="column")."""
    dates = pd.DatetimeIndex(["2026-01-15", "2026-01-16", "2026-01-20"], name="Date")
    cols = pd.MultiIndex.from_product(
        [["Close", "High", "Low", "Open", "Volume"], sorted(tickers)], names=["Price", "Ticker"]
    )
    values = np.arange(len(dates) * len(cols), dtype=float).reshape(len(dates), len(cols)) + 1
    frame = pd.DataFrame(values, index=dates, columns=cols)
    if volume_dtype != "float64":
        frame["Volume"] = frame["Volume"].astype(volume_dtype)
    return frame


@pytest.fixture
def fake_yfinance(monkeypatch):
    calls = []
    module = types.ModuleType("yfinance")

    def download(tickers, start=None, end=None, **kwargs):
        calls.append({"tickers": tickers, "start": start, "end": end, **kwargs})
        names = [tickers] if isinstance(tickers, str) else list(tickers)
        return module.result(names)

    module.download = download
    module.result = lambda names: _yf_frame(names)
    monkeypatch.setitem(sys.modules, "yfinance", module)
    return module, calls


def test_load_yfinance_multi_ticker_layout(fake_yfinance):
    module, calls = fake_yfinance
    out = load_yfinance(["SPY", "iwm"], start="2026-01-01", end="2026-02-01")
    assert calls == [
        {
            "tickers": ["SPY", "IWM"],
            "start": "2026-01-01",
            "end": "2026-02-01",
            "auto_adjust": True,
            "progress": False,
            "group_by": "column",
        }
    ]
    shipped = load_prices(["SPY", "IWM"])
    # Same layout as load_prices: fields in yfinance's order, tickers in the order asked for.
    assert list(out.columns) == list(shipped.columns)
    assert out.columns.names == shipped.columns.names == ["Price", "Ticker"]
    assert out.index.name == shipped.index.name == "Date"
    assert (out.dtypes == "float64").all()
    raw = _yf_frame(["IWM", "SPY"])
    assert out.loc["2026-01-16", ("Close", "IWM")] == raw.loc["2026-01-16", ("Close", "IWM")]
    assert out.loc["2026-01-20", ("Volume", "SPY")] == raw.loc["2026-01-20", ("Volume", "SPY")]
    # And the functions that take load_prices' frames take it.
    assert theme_relative_returns("small-cap stocks", out).name == "IWM - SPY"


def test_load_yfinance_single_ticker(fake_yfinance):
    module, calls = fake_yfinance
    module.result = lambda names: _yf_frame(names, volume_dtype="int64")  # one ticker: integer volume
    out = load_yfinance("spy")
    assert calls[0]["tickers"] == "SPY" and calls[0]["start"] is None and calls[0]["end"] is None
    assert list(out.columns) == list(load_prices("SPY").columns)
    assert out["Volume"]["SPY"].dtype == "float64"
    # Older yfinance: flat columns for one ticker, with Adj Close and a different order.
    flat = _yf_frame(["SPY"]).droplevel("Ticker", axis=1)[["Open", "High", "Low", "Close", "Volume"]]
    flat.insert(4, "Adj Close", 0.0)
    module.result = lambda names: flat
    old = load_yfinance(["SPY"])
    pd.testing.assert_frame_equal(old, out)


def test_load_yfinance_aware_dates_and_ticker_grouping(fake_yfinance):
    module, _ = fake_yfinance
    raw = _yf_frame(["IWM", "SPY"])
    grouped = raw.swaplevel(axis=1).sort_index(axis=1)  # (Ticker, Price), as group_by="ticker" gives
    grouped.index = grouped.index.tz_localize("America/New_York")
    module.result = lambda names: grouped
    out = load_yfinance(["IWM", "SPY"])
    assert out.index.tz is None
    assert list(out.index) == list(raw.index)
    module.result = lambda names: raw
    pd.testing.assert_frame_equal(out, load_yfinance(["IWM", "SPY"]))
    assert out.loc["2026-01-16", ("Open", "SPY")] == raw.loc["2026-01-16", ("Open", "SPY")]


def test_load_yfinance_failures(fake_yfinance):
    module, _ = fake_yfinance
    module.result = lambda names: pd.DataFrame()
    with pytest.raises(CollectorError, match="yfinance returned no data"):
        load_yfinance(["SPY"])
    partial = _yf_frame(["IWM", "SPY"])
    partial.loc[:, (slice(None), "IWM")] = np.nan  # a failed ticker: all NaN
    module.result = lambda names: partial
    with pytest.warns(AttentionWarning, match=r"no prices for \['IWM'\]"):
        out = load_yfinance(["IWM", "SPY"])
    assert out["Close"]["IWM"].isna().all() and out["Close"]["SPY"].notna().all()
    for bad in ([], "", [""], [1], None):
        with pytest.raises(DataError, match="^tickers: expected"):
            load_yfinance(bad)


def test_load_yfinance_without_yfinance(monkeypatch):
    monkeypatch.setitem(sys.modules, "yfinance", None)  # import yfinance raises ImportError
    with pytest.raises(MissingDependencyError, match=r"pip install 'market-attention\[yfinance\]'"):
        load_yfinance("SPY")
    with pytest.raises(ImportError):  # MissingDependencyError is an ImportError too
        load_yfinance("SPY")


# ---------------------------------------------------------------- dollar-volume proxy


def test_abnormal_dollar_volume_formula_and_name(iwm_spy):
    close, volume = iwm_spy["Close"]["IWM"], iwm_spy["Volume"]["IWM"]
    adv = abnormal_dollar_volume_proxy(close, volume, window=8)
    assert "proxy" in adv.name and adv.name.startswith("IWM")
    log_dv = np.log(close.dropna() * volume.dropna())
    t = log_dv.index.get_loc(pd.Timestamp("2026-01-16"))
    expected = log_dv.iloc[t] - log_dv.iloc[t - 8 : t].mean()
    assert adv.loc["2026-01-16"] == pytest.approx(expected, rel=1e-10)
    assert adv.loc["2026-01-16"] == pytest.approx(-0.0105017, abs=1e-6)
    assert adv.iloc[:8].isna().all() and adv.iloc[8:].notna().all()


def test_abnormal_dollar_volume_is_trailing(iwm_spy):
    close = iwm_spy["Close"]["IWM"].loc["2025-06-01":].dropna()
    volume = iwm_spy["Volume"]["IWM"].loc["2025-06-01":].dropna()
    full = abnormal_dollar_volume_proxy(close, volume)
    k = 120
    past = abnormal_dollar_volume_proxy(close.iloc[:k], volume.iloc[:k])
    pd.testing.assert_series_equal(past, full.iloc[:k])
    # Appending a wild future day changes nothing that came before it.
    future = pd.DatetimeIndex(["2026-03-02"], name="Date")
    more = abnormal_dollar_volume_proxy(
        pd.concat([close, pd.Series([1.0], index=future, name="IWM")]),
        pd.concat([volume, pd.Series([1e14], index=future, name="IWM")]),
    )
    pd.testing.assert_series_equal(more.iloc[:-1], full)
    assert more.iloc[-1] > 5


def test_abnormal_dollar_volume_weekly_is_on_google_weeks(iwm_spy):
    close = iwm_spy["Close"]["IWM"].loc["2025-01-01":]
    volume = iwm_spy["Volume"]["IWM"].loc["2025-01-01":]
    weekly = abnormal_dollar_volume_proxy(close, volume, window=4, weekly=True)
    assert (weekly.index.day_of_week == 6).all()
    dollars = to_google_weeks(close * volume, "mean")  # mean trading day: short weeks stay comparable
    log_dv = np.log(dollars)
    expected = log_dv.loc["2026-01-11"] - log_dv.loc["2025-12-14":"2026-01-04"].mean()
    assert weekly.loc["2026-01-11"] == pytest.approx(expected, rel=1e-10)


def test_abnormal_dollar_volume_bad_inputs(iwm_spy):
    close, volume = iwm_spy["Close"]["IWM"], iwm_spy["Volume"]["IWM"]
    with pytest.raises(DataError, match="window: expected an integer >= 1"):
        abnormal_dollar_volume_proxy(close, volume, window=0)
    with pytest.raises(DataError, match="close, volume: only 5 dates have every series present, need at least 9"):
        abnormal_dollar_volume_proxy(close.iloc[-5:], volume.iloc[-5:])


# ---------------------------------------------------------------- bad inputs name the argument

W = pd.date_range("2020-01-05", periods=60, freq="W-SUN")
BAD = {
    "empty": (pd.Series([], dtype=float, index=pd.DatetimeIndex([])), "the series is empty"),
    "strings": (pd.Series(["a"] * 60, index=W), "expected numeric values"),
    "all-NaN": (pd.Series(np.nan, index=W), "every value is NaN"),
    "no DatetimeIndex": (pd.Series(np.arange(1.0, 61.0)), "expected a DatetimeIndex"),
    "a list": ([1.0, 2.0, 3.0], "expected a pandas"),
}
GOOD = pd.Series(np.linspace(10.0, 20.0, 60), index=W)


def _calls():
    return {
        "log_returns": (lambda x: log_returns(x), "prices"),
        "relative_returns small": (lambda x: relative_returns(x, GOOD), "small"),
        "relative_returns large": (lambda x: relative_returns(GOOD, x), "large"),
        "to_google_weeks": (lambda x: to_google_weeks(x), "data"),
        "etf_flows shares": (lambda x: etf_flows(x, GOOD), "shares_outstanding"),
        "etf_flows nav": (lambda x: etf_flows(GOOD, x), "nav"),
        "dollar volume close": (lambda x: abnormal_dollar_volume_proxy(x, GOOD), "close"),
        "dollar volume volume": (lambda x: abnormal_dollar_volume_proxy(GOOD, x), "volume"),
    }


@pytest.mark.parametrize("case", list(BAD))
@pytest.mark.parametrize("call", list(_calls()))
def test_bad_inputs_raise_data_error_naming_the_argument(call, case):
    fn, arg = _calls()[call]
    data, why = BAD[case]
    with pytest.raises(DataError, match=rf"^{arg}: {why}"):
        fn(data)


def test_misaligned_inputs_name_both_arguments():
    daily = pd.Series(np.linspace(10.0, 20.0, 60), index=pd.bdate_range("2020-01-06", periods=60))
    with pytest.raises(DataError, match="small, large: only 0 dates have every series present"):
        relative_returns(daily, GOOD)
    with pytest.raises(DataError, match="shares_outstanding, nav: no common dates"):
        etf_flows(daily, GOOD)
    with pytest.raises(DataError, match="close, volume: only 0 dates have every series present"):
        abnormal_dollar_volume_proxy(daily, GOOD)


def test_weekly_periods_and_iso_dates_are_read_as_dates():
    weeks = pd.Series([1.0, 2.0, 4.0], index=pd.period_range("2026-01-04", periods=3, freq="W-SAT"))
    out = to_google_weeks(weeks)
    assert list(out.index.strftime("%Y-%m-%d")) == ["2026-01-04", "2026-01-11", "2026-01-18"]  # Sundays
    text = pd.Series([100.0, 110.0], index=["2026-01-05", "2026-01-06"])
    assert log_returns(text).index[1] == pd.Timestamp("2026-01-06")
    with pytest.raises(DataError, match="^prices: expected a DatetimeIndex \\(or a PeriodIndex, or ISO date strings\\)"):
        log_returns(pd.Series([1.0, 2.0], index=[1, 2]))


def test_a_period_calendar_is_its_days():
    mentions = _daily([1.0, 2.0, 4.0, 8.0], start="2026-01-09")  # Fri, Sat, Sun, Mon
    days = pd.period_range("2026-01-09", "2026-01-13", freq="D")[[0, 3, 4]]  # Fri, Mon, Tue
    out = align_to_trading_days(mentions, days)
    assert list(out.index.strftime("%Y-%m-%d")) == ["2026-01-09", "2026-01-12", "2026-01-13"]
    np.testing.assert_array_equal(out.to_numpy(), [1.0, 14.0, np.nan])
