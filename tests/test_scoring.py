"""Attention scores: hand-checked values and no look-ahead."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from attention import DataError, asvi, log_change, preis_delta, trailing_zscore
from attention.scoring import MAD_SCALE, abnormal_mentions, attention_share, composite_index

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


def test_robust_trailing_zscore_hand_values():
    z = trailing_zscore(X, window=4, robust=True)
    assert z.iloc[:4].isna().all()
    # Prior 10, 12, 8, 9: median 9.5, |deviations| 0.5, 2.5, 1.5, 0.5 -> MAD 1.0.
    assert z.iloc[4] == pytest.approx((11 - 9.5) / (1.4826 * 1.0))
    # Prior 13, 7, 20, 0: median 10, |deviations| 3, 3, 10, 10 -> MAD 6.5.
    assert z.iloc[10] == pytest.approx((15 - 10) / (1.4826 * 6.5))
    assert MAD_SCALE == 1.4826


def test_robust_trailing_zscore_resists_a_spike():
    s = pd.Series([10.0, 11, 9, 10, 11, 9, 500, 10, 30], index=WEEKS[:9])
    classical = trailing_zscore(s, window=7)
    robust = trailing_zscore(s, window=7, robust=True)
    # The 500 in the baseline inflates the sd so much that a tripling looks ordinary...
    assert classical.iloc[8] < 0.5
    # ...while median 10 and MAD 1 still see it: (30 - 10) / 1.4826.
    assert robust.iloc[8] == pytest.approx(20 / 1.4826)


def test_robust_trailing_zscore_nan_and_zero_mad():
    s = pd.Series([5.0, 5, 5, 9, 6, np.nan, 7, 1, 2], index=WEEKS[:9])
    z = trailing_zscore(s, window=4, robust=True, min_periods=3)
    assert np.isnan(z.iloc[3])  # baseline 5, 5, 5: MAD 0
    # Baseline 5, 5, 5, 9: the sd is positive but the MAD is still 0 (more than half the values tie).
    assert np.isnan(z.iloc[4]) and trailing_zscore(s, window=4).iloc[4] == 0.0  # (6 - 6) / sd
    assert np.isnan(z.iloc[5])  # missing now
    # Baseline 5, 9, 6, NaN: the NaN is skipped -> median 6, |deviations| 1, 3, 0 -> MAD 1.
    assert z.iloc[6] == pytest.approx((7 - 6) / 1.4826)
    # Baseline 9, 6, NaN, 7: median 7, MAD 1.
    assert z.iloc[7] == pytest.approx((1 - 7) / 1.4826)
    assert not np.isinf(z).any()


def test_robust_trailing_zscore_matches_a_rolling_apply_reference(preis):
    def mad(a):
        a = a[~np.isnan(a)]
        return np.median(np.abs(a - np.median(a)))

    frame = preis[["debt", "crisis"]]
    for window, minp in [(52, 52), (5, 2)]:
        prior = frame.shift(1).rolling(window, min_periods=minp)
        spread = 1.4826 * prior.apply(mad, raw=True)
        expected = (frame - prior.median()) / spread.where(spread > 0)
        got = trailing_zscore(frame, window=window, min_periods=minp, robust=True)
        pd.testing.assert_frame_equal(got, expected, check_freq=False)


# ---------------------------------------------------------------- abnormal mentions


def test_abnormal_mentions_hand_values_with_zeros_and_nan():
    m = pd.Series([0.0, 0, 3, 0, 1, 5, np.nan, 2, 0, 4], index=WEEKS[:10], name="iwm")
    a = abnormal_mentions(m, window=4)
    assert a.name == "iwm"
    assert a.iloc[:4].isna().all()
    # Prior 0, 0, 3, 0: median 0 -> ln(1 + 1) - ln(1 + 0).
    assert a.iloc[4] == pytest.approx(np.log(2))
    # Prior 0, 3, 0, 1: median 0.5.
    assert a.iloc[5] == pytest.approx(np.log(6) - np.log(1.5))
    assert np.isnan(a.iloc[6])  # missing count: NaN, not a zero
    assert a.iloc[7:].isna().all()  # a missing count in the baseline: no median
    assert not np.isinf(a).any()
    # Zero mentions against a zero baseline is exactly "normal".
    zeros = pd.Series(0.0, index=WEEKS[:10])
    assert (abnormal_mentions(zeros, window=3).iloc[3:] == 0).all()


def test_abnormal_mentions_default_window_is_eight():
    m = pd.Series(np.arange(12.0), index=WEEKS)
    a = abnormal_mentions(m)
    assert a.iloc[:8].isna().all()
    assert a.iloc[8] == pytest.approx(np.log1p(8) - np.log1p(np.median(np.arange(8.0))))


def test_abnormal_mentions_rejects_negative_counts():
    m = pd.DataFrame({"a": [1.0, 2.0], "b": [0.0, -1.0]}, index=WEEKS[:2])
    with pytest.raises(DataError, match="^counts: mention counts must be non-negative; column 'b'"):
        abnormal_mentions(m)


# ---------------------------------------------------------------- attention share


def test_attention_share_hand_values_and_conventions():
    x = pd.DataFrame(
        {"a": [1.0, 0.0, 3.0, 0.0, 2.0], "b": [3.0, 0.0, np.nan, 5.0, 2.0], "c": [0.0, 0.0, 1.0, 0.0, 4.0]},
        index=WEEKS[:5],
    )
    share = attention_share(x)
    assert list(share.columns) == ["a", "b", "c"]
    assert share.iloc[0].tolist() == [0.25, 0.75, 0.0]  # a zero term has share 0
    assert share.iloc[1].isna().all()  # row sum 0: undefined, not 0
    assert share.iloc[2].isna().all()  # a missing term leaves the denominator unknown
    assert share.iloc[3].tolist() == [0.0, 1.0, 0.0]
    assert share.iloc[4].tolist() == [0.25, 0.25, 0.5]
    sums = share.sum(axis=1, min_count=1).dropna()
    assert sums.to_numpy() == pytest.approx(np.ones(len(sums)))


def test_attention_share_on_real_data(preis):
    share = attention_share(preis[TERMS])
    row = preis[TERMS].loc["2008-10-05"]
    assert share.loc["2008-10-05", "crisis"] == pytest.approx(row["crisis"] / row.sum())
    assert share.sum(axis=1).to_numpy() == pytest.approx(np.ones(len(share)))


def test_attention_share_errors():
    with pytest.raises(DataError, match=r"^data: expected a DataFrame with one column per term .*, got 1"):
        attention_share(X)
    with pytest.raises(DataError, match="^data: expected a DataFrame with one column per term"):
        attention_share(X.to_frame())
    bad = pd.DataFrame({"a": [1.0, -1.0], "b": [1.0, 1.0]}, index=WEEKS[:2])
    with pytest.raises(DataError, match="^data: attention must be non-negative; column 'a'"):
        attention_share(bad)


# ---------------------------------------------------------------- composite index


def test_composite_index_averages_the_sources_trailing_zscores():
    idx = WEEKS[:6]
    google = pd.Series([50.0, 52, 48, 56, 50, 40], index=idx, name="google")
    reddit = pd.Series([3.0, 5, 4, 4, np.nan, 9], index=idx, name="reddit")
    c = composite_index(google, reddit, window=3)
    assert c.name == "composite"
    zg, zr = trailing_zscore(google, window=3), trailing_zscore(reddit, window=3)
    assert c.iloc[3] == pytest.approx((3.0 + 0.0) / 2)
    # Week 5: Reddit is missing, so Google alone: (50 - mean(52, 48, 56)) / sd = -2/4.
    assert np.isnan(zr.iloc[4]) and c.iloc[4] == pytest.approx(zg.iloc[4]) == pytest.approx(-0.5)
    # Week 6: Reddit's baseline 5, 4, NaN is too short at window=3, Google alone again.
    assert c.iloc[5] == pytest.approx(zg.iloc[5])
    assert c.iloc[:3].isna().all()


def test_composite_index_on_different_dates_and_units():
    # Weekly Google (0-100) and Reddit counts a thousand times larger, on partly different weeks.
    google = pd.Series([50.0, 52, 48, 56, 51, 49, 70], index=WEEKS[:7])
    reddit = pd.Series([3000.0, 5000, 4000, 4000, 9000], index=WEEKS[2:7])
    c = composite_index(google, reddit, window=3)
    assert list(c.index) == list(WEEKS[:7])
    expected = pd.concat([trailing_zscore(google, 3), trailing_zscore(reddit, 3)], axis=1).mean(axis=1)
    pd.testing.assert_series_equal(c, expected, check_names=False, check_freq=False)
    # Rescaling a source changes nothing: each is measured against its own past.
    pd.testing.assert_series_equal(composite_index(google, reddit / 1000, window=3), c)
    robust = composite_index(google, reddit, window=3, robust=True)
    both = pd.concat([trailing_zscore(x, 3, robust=True) for x in (google, reddit)], axis=1)
    pd.testing.assert_series_equal(robust, both.mean(axis=1), check_names=False, check_freq=False)


def test_composite_index_of_frames_combines_column_by_column(preis):
    google = preis[["debt", "stocks"]]
    reddit = preis[["stocks", "debt"]] * 1000 + 3  # same themes, other column order
    c = composite_index(google, reddit, window=26)
    assert list(c.columns) == ["debt", "stocks"]
    pd.testing.assert_series_equal(
        c["stocks"], composite_index(google["stocks"], reddit["stocks"], window=26), check_names=False
    )
    # Two affine copies of one series have the same z: the composite is that z.
    pd.testing.assert_frame_equal(c, trailing_zscore(google, window=26), check_freq=False)


def test_composite_index_errors():
    with pytest.raises(DataError, match="^sources: expected at least one"):
        composite_index()
    with pytest.raises(DataError, match="^sources: expected all Series or all DataFrames"):
        composite_index(X, X.to_frame())
    with pytest.raises(DataError, match=r"^sources\[1\]: expected the columns of sources\[0\]"):
        composite_index(pd.DataFrame({"a": X}), pd.DataFrame({"b": X}))
    with pytest.raises(DataError, match=r"^sources\[1\]: expected a DatetimeIndex"):
        composite_index(X, pd.Series([1.0, 2.0]))
    with pytest.raises(DataError, match="^window: expected an integer >= 2"):
        composite_index(X, window=1)


def test_a_frame_is_scored_column_by_column(preis):
    frame = preis[TERMS]
    robust = lambda d: trailing_zscore(d, robust=True)  # noqa: E731
    for fn in (asvi, log_change, preis_delta, trailing_zscore, robust, abnormal_mentions):
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
    "trailing_zscore_robust": lambda d: trailing_zscore(d, window=52, robust=True),
    "trailing_zscore_robust_minp": lambda d: trailing_zscore(d, window=52, min_periods=10, robust=True),
    "abnormal_mentions": lambda d: abnormal_mentions(d, window=8),
    "composite_index": lambda d: composite_index(d, d.iloc[::3] ** 0.5, window=52),
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


# Every scorer as a function of a DataFrame of >= 2 columns, at default-like windows (real
# data) and at short ones (short random series). Sources of the composite sit on different
# dates: every column alone, or the frame and a transformed copy on every other date.
def _scorers(w, short):
    return {
        "asvi": lambda d: asvi(d, window=short),
        "log_change": lambda d: log_change(d, periods=1),
        "log_change_2": lambda d: log_change(d, periods=2),
        "trailing_zscore": lambda d: trailing_zscore(d, window=w),
        "trailing_zscore_minp": lambda d: trailing_zscore(d, window=w, min_periods=2),
        "trailing_zscore_robust": lambda d: trailing_zscore(d, window=w, robust=True),
        "trailing_zscore_robust_minp": lambda d: trailing_zscore(d, window=w, min_periods=2, robust=True),
        "preis_delta": lambda d: preis_delta(d, delta_t=3),
        "abnormal_mentions": lambda d: abnormal_mentions(d, window=short),
        "attention_share": attention_share,
        "composite_index_series": lambda d: composite_index(*(d[c] for c in d.columns), window=w),
        "composite_index_frames": lambda d: composite_index(
            d, np.log1p(d.iloc[::2]), window=w, min_periods=2, robust=True
        ),
    }


REAL = _scorers(52, 8)
RANDOM = _scorers(6, 3)


def _same_prefix(fn, data, ks):
    """fn on the first k rows equals fn on everything, up to the k-th row's date, for each k."""
    full = fn(data)
    for k in ks:
        past = fn(data.iloc[:k])
        expected = full.loc[: data.index[k - 1]]
        if isinstance(past, pd.Series):
            past, expected = past.to_frame(), expected.to_frame()
        pd.testing.assert_frame_equal(
            past, expected, check_exact=True, check_freq=False, obj=f"first {k} rows"
        )
    return full


def _random_case(seed):
    """Short attention-like data with zeros, NaN rows and cells, on a regular or irregular calendar."""
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(6, 70)), int(rng.integers(2, 5))
    if rng.random() < 0.5:
        values = rng.poisson(rng.uniform(0.2, 6.0), (n, m)).astype(float)  # counts, many zeros
    else:
        values = np.round(rng.uniform(0, 100, (n, m)) * (rng.random((n, m)) > 0.2))  # 0-100 with zeros
    values[rng.random((n, m)) < rng.uniform(0.0, 0.3)] = np.nan
    values[rng.random(n) < 0.1] = np.nan  # whole rows missing
    values[0] = rng.integers(0, 5, m)  # every prefix has data in every column (else: all-NaN DataError)
    if rng.random() < 0.3:
        values[:, 0] = 0.0  # a term nobody looks for
    freq = str(rng.choice(["W-SUN", "D", "B"]))
    dates = pd.date_range("2024-01-07", periods=3 * n, freq=freq)
    if rng.random() < 0.5:
        dates = dates[:n]
    else:
        dates = dates[np.sort(rng.choice(3 * n, n, replace=False))]  # gaps in the calendar
    return pd.DataFrame(values, index=dates, columns=[f"t{j}" for j in range(m)])


def test_the_scorer_list_covers_every_public_score():
    import attention.scoring as scoring

    for name in scoring.__all__:
        assert any(key.startswith(name) for key in REAL), name
        assert any(key.startswith(name) for key in SCORES) or name == "attention_share", name


@pytest.mark.parametrize("score", list(REAL))
def test_every_score_is_trailing_on_real_data(preis, score):
    full = _same_prefix(REAL[score], preis[TERMS], [1, 2, 9, 53, 60, 200, 372])
    assert full.notna().sum().sum() > 300


@pytest.mark.parametrize("score", list(RANDOM))
def test_every_score_is_trailing_on_random_data_with_zeros_and_nans(score):
    fn = RANDOM[score]
    scored = 0
    for seed in range(16):
        data = _random_case(seed)
        k = int(np.random.default_rng(1000 + seed).integers(2, len(data)))
        ks = [1, k, len(data) - 1] if seed % 4 == 0 else [k, len(data) - 1]
        out = _same_prefix(fn, data, ks)
        assert not np.isinf(out.to_numpy()).any()
        scored += int(out.notna().to_numpy().sum())
    assert scored > 100  # the cases exercise the score, not just its NaN padding


def test_the_prefix_check_catches_one_row_of_look_ahead():
    # Sanity check of the harness: a centred window peeks one row ahead and fails it.
    def centred(d):
        return d.rolling(3, center=True, min_periods=1).mean()

    with pytest.raises(AssertionError):
        _same_prefix(centred, _random_case(0), [10])


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
    "trailing_zscore robust": (lambda d: trailing_zscore(d, robust=True), "data"),
    "abnormal_mentions": (abnormal_mentions, "counts"),
    "attention_share": (attention_share, "data"),
    "composite_index first": (lambda d: composite_index(d), "sources[0]"),
    "composite_index second": (
        lambda d: composite_index(X if isinstance(d, pd.Series) else X.to_frame(), d),
        "sources[1]",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
@pytest.mark.parametrize("func", list(FUNCS))
def test_bad_inputs_raise_data_error_naming_the_argument(func, case):
    fn, arg = FUNCS[func]
    data, why = BAD[case]
    with pytest.raises(DataError, match=rf"^{re.escape(arg)}: {why}"):
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
        (lambda: trailing_zscore(X, window=1, robust=True), "window"),
        (lambda: abnormal_mentions(X, window=0), "window"),
        (lambda: abnormal_mentions(X, window=1.5), "window"),
        (lambda: composite_index(X, X, window=2, min_periods=1), "min_periods"),
    ],
)
def test_bad_parameters_are_named(call, arg):
    with pytest.raises(DataError, match=rf"^{arg}: expected an integer"):
        call()


def test_trailing_zscore_min_periods_above_window_is_a_data_error():
    with pytest.raises(DataError, match="min_periods"):
        trailing_zscore(X, window=4, min_periods=10)
