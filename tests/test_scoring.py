"""Attention scores: hand-checked values and no look-ahead."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from attention import DataError, asvi, log_change, preis_delta, trailing_zscore

WEEKS = pd.date_range("2026-01-04", periods=12, freq="W-SUN")
X = pd.Series([10, 12, 8, 9, 11, 10, 13, 7, 20, 0, 15, 9], index=WEEKS, dtype=float, name="q")

TERMS = ["debt", "stocks", "inflation", "crisis", "unemployment"]


# ---------------------------------------------------------------- ASVI


def test_asvi_hand_example():
    a = asvi(X)  # window 8, as in Da, Engelberg & Gao (2011)
    assert a.name == "q"
    assert a.iloc[:8].isna().all()
    assert a.iloc[8] == pytest.approx(np.log(20) - np.log(np.median([10, 12, 8, 9, 11, 10, 13, 7])))
    assert a.iloc[8] == pytest.approx(np.log(2))
    # The zero this week has no logarithm: NaN, never -inf.
    assert np.isnan(a.iloc[9])
    # A zero among the prior eight weeks is a value in the median: median(8,9,11,10,13,7,20,0) = 9.5.
    assert a.iloc[10] == pytest.approx(np.log(15) - np.log(np.median([8, 9, 11, 10, 13, 7, 20, 0])))
    assert a.iloc[10] == pytest.approx(np.log(15 / 9.5))


def test_asvi_window_three_docstring_case():
    s = pd.Series([10.0, 10, 10, 20], index=WEEKS[:4])
    assert asvi(s, window=3).round(3).tolist()[3] == 0.693


def test_zeros_give_nan_never_infinity():
    s = pd.Series([0.0, 0.0, 0.0, 0.0, 5.0, 0.0, 3.0], index=WEEKS[:7])
    a = asvi(s, window=2)
    assert not np.isinf(a).any()
    assert a.iloc[:6].isna().all()  # medians of zero, or a zero now: no logarithm, so NaN
    assert a.iloc[6] == pytest.approx(np.log(3 / np.median([5.0, 0.0])))
    lc = log_change(s)
    assert not np.isinf(lc).any()
    assert lc.isna().sum() == 7


def test_log_change_hand_values():
    lc = log_change(X)
    assert lc.iloc[1] == pytest.approx(np.log(12 / 10))
    assert lc.iloc[8] == pytest.approx(np.log(20 / 7))
    assert np.isnan(lc.iloc[9]) and np.isnan(lc.iloc[10])  # into and out of the zero
    assert log_change(X, periods=2).iloc[2] == pytest.approx(np.log(8 / 10))


def test_preis_delta_equals_the_paper_formula_on_real_data(preis):
    n = preis["debt"].to_numpy()
    d = preis_delta(preis["debt"], delta_t=3)
    assert d.name == "debt"
    assert d.iloc[:3].isna().all()
    expected = np.array([n[t] - (n[t - 1] + n[t - 2] + n[t - 3]) / 3 for t in range(3, len(n))])
    assert d.iloc[3:].to_numpy() == pytest.approx(expected, abs=1e-12)
    assert d.iloc[3] == pytest.approx(0.213333 - 0.21, abs=1e-9)


def test_preis_delta_small_example():
    d = preis_delta(X, delta_t=3)
    assert d.iloc[3] == pytest.approx(9 - 10)
    assert d.iloc[8] == pytest.approx(20 - (13 + 7 + 10) / 3)
    assert preis_delta(X, delta_t=1).iloc[1:].to_numpy() == pytest.approx(np.diff(X.to_numpy()))


def test_trailing_zscore_excludes_the_current_value():
    z = trailing_zscore(X, window=4)
    prior = np.array([10, 12, 8, 9.0])
    assert z.iloc[:4].isna().all()
    assert z.iloc[4] == pytest.approx((11 - prior.mean()) / prior.std(ddof=1))
    prior = np.array([13, 7, 20, 0.0])
    assert z.iloc[10] == pytest.approx((15 - prior.mean()) / prior.std(ddof=1))


def test_trailing_zscore_zero_spread_is_nan():
    s = pd.Series([5.0, 5, 5, 5, 9, 6], index=WEEKS[:6])
    z = trailing_zscore(s, window=4)
    assert np.isnan(z.iloc[4])  # the baseline has zero spread
    assert z.iloc[5] == pytest.approx((6 - 6) / np.std([5, 5, 5, 9], ddof=1))


def test_trailing_zscore_with_min_periods_scores_early_values():
    s = pd.Series([1.0, 3.0, 8.0, 4.0], index=WEEKS[:4])
    z = trailing_zscore(s, window=10, min_periods=2)
    assert np.isnan(z.iloc[1])
    assert z.iloc[2] == pytest.approx((8 - 2) / np.std([1, 3], ddof=1))
    assert z.iloc[3] == pytest.approx((4 - 4) / np.std([1, 3, 8], ddof=1))


def test_a_frame_is_scored_column_by_column(preis):
    frame = preis[TERMS]
    for fn in (asvi, log_change, preis_delta, trailing_zscore):
        out = fn(frame)
        assert list(out.columns) == TERMS
        pd.testing.assert_series_equal(out["stocks"], fn(preis["stocks"]), check_names=False)


# ---------------------------------------------------------------- no look-ahead


SCORES = {
    "asvi": lambda d: asvi(d, window=8),
    "log_change": lambda d: log_change(d, periods=1),
    "preis_delta": lambda d: preis_delta(d, delta_t=3),
    "trailing_zscore": lambda d: trailing_zscore(d, window=52),
    "trailing_zscore_minp": lambda d: trailing_zscore(d, window=52, min_periods=10),
}


@pytest.mark.parametrize("k", [12, 60, 200, 372])
@pytest.mark.parametrize("score", list(SCORES))
def test_no_look_ahead_on_a_series(preis, score, k):
    fn = SCORES[score]
    full = fn(preis["debt"])
    past = fn(preis["debt"].iloc[:k])
    pd.testing.assert_series_equal(past, full.iloc[:k], check_freq=False)
    if k >= 60:
        assert past.notna().sum() > 0


@pytest.mark.parametrize("k", [60, 250])
@pytest.mark.parametrize("score", list(SCORES))
def test_no_look_ahead_on_a_frame(preis, score, k):
    fn = SCORES[score]
    frame = preis[TERMS]
    pd.testing.assert_frame_equal(fn(frame.iloc[:k]), fn(frame).iloc[:k], check_freq=False)


def test_the_look_ahead_check_catches_a_full_sample_zscore(preis):
    # Sanity check of the property itself: a full-sample z-score fails it.
    def full_sample(d):
        return (d - d.mean()) / d.std()

    with pytest.raises(AssertionError):
        debt = preis["debt"]
        pd.testing.assert_series_equal(full_sample(debt.iloc[:100]), full_sample(debt).iloc[:100])


# ---------------------------------------------------------------- bad inputs

W = pd.date_range("2020-01-05", periods=30, freq="W-SUN")
BAD = {
    "empty": (pd.Series([], dtype=float, index=pd.DatetimeIndex([])), "the series is empty"),
    "strings": (pd.Series(["high"] * 30, index=W), "expected numeric values"),
    "mixed object": (pd.Series(["n/a"] + [1.0] * 29, index=W, dtype=object), "expected numeric values"),
    "all-NaN": (pd.Series(np.nan, index=W), "every value is NaN"),
    "no DatetimeIndex": (pd.Series(np.arange(1.0, 31.0)), "expected a DatetimeIndex"),
    "booleans": (pd.Series(True, index=W), "expected numeric values, got booleans"),
    "duplicate dates": (pd.Series(1.0, index=W[[0, 1, 1, 2]]), "the index has duplicate dates"),
    "a list": ([1.0, 2.0], "expected a pandas Series or DataFrame"),
    "no columns": (pd.DataFrame(index=W), "the DataFrame has no columns"),
}
FUNCS = {
    "asvi": (asvi, "svi"),
    "log_change": (log_change, "data"),
    "preis_delta": (preis_delta, "data"),
    "trailing_zscore": (trailing_zscore, "data"),
}


@pytest.mark.parametrize("case", list(BAD))
@pytest.mark.parametrize("func", list(FUNCS))
def test_bad_inputs_raise_data_error_naming_the_argument(func, case):
    fn, arg = FUNCS[func]
    data, why = BAD[case]
    with pytest.raises(DataError, match=rf"^{arg}: {why}"):
        fn(data)


def test_a_bad_column_is_named():
    frame = pd.DataFrame({"ok": 1.0, "bad": "x"}, index=W)
    with pytest.raises(DataError, match=r"^data\['bad'\]: expected numeric values"):
        log_change(frame)


@pytest.mark.parametrize(
    ("call", "arg"),
    [
        (lambda: asvi(X, window=0), "window"),
        (lambda: asvi(X, window=2.5), "window"),
        (lambda: log_change(X, periods=0), "periods"),
        (lambda: preis_delta(X, delta_t=0), "delta_t"),
        (lambda: preis_delta(X, delta_t=True), "delta_t"),
        (lambda: trailing_zscore(X, window=1), "window"),
        (lambda: trailing_zscore(X, window=4, min_periods=1), "min_periods"),
    ],
)
def test_bad_parameters_are_named(call, arg):
    with pytest.raises(DataError, match=rf"^{arg}: expected an integer"):
        call()


def test_trailing_zscore_min_periods_above_window_is_a_data_error():
    with pytest.raises(DataError, match="min_periods"):
        trailing_zscore(X, window=4, min_periods=10)
