"""Returns, Google-week calendars, ETF flows and the dollar-volume proxy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from attention import (
    DataError,
    abnormal_dollar_volume_proxy,
    etf_flows,
    load_prices,
    log_returns,
    relative_returns,
    to_google_weeks,
)


@pytest.fixture(scope="module")
def iwm_spy():
    return load_prices(["IWM", "SPY"])


def _daily(values, start="2026-01-05", name=None):
    return pd.Series(values, index=pd.date_range(start, periods=len(values)), dtype=float, name=name)


# ---------------------------------------------------------------- log returns


def test_log_returns_values_and_gaps():
    r = log_returns(_daily([100.0, 110.0, np.nan, 99.0, 100.0], name="p"))
    assert r.name == "p"
    assert np.isnan(r.iloc[0])
    assert r.iloc[1] == pytest.approx(np.log(1.1))
    assert np.isnan(r.iloc[2]) and np.isnan(r.iloc[3])  # across the gap: NaN, not 0
    assert r.iloc[4] == pytest.approx(np.log(100 / 99))


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
