"""Bad input across the analysis API is answered by the library's own error, naming the argument."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import attention
from attention import DataError
from attention.errors import NonStationaryWarning

W = pd.date_range("2015-01-04", periods=200, freq="W-SUN")
RNG = np.random.default_rng(0)
A = pd.Series(RNG.normal(size=200), W, name="a")
B = pd.Series(RNG.normal(size=200), W, name="b")
C = pd.Series(RNG.normal(size=200), W, name="c")
DAYS = pd.date_range("2015-01-01", periods=800)
PRICES = pd.Series(100 * np.exp(np.cumsum(RNG.normal(0, 0.01, 800))), DAYS, name="px")


def _with(s, i, value):
    s = s.copy()
    s.iloc[i] = value
    return s


CASES = {
    "granger, constant cause": (lambda: attention.granger(pd.Series(1.0, W), B), r"^cause: the series is constant"),
    "stationarity, constant": (lambda: attention.stationarity(pd.DataFrame({"x": 1.0}, index=W)),
                               r"^data\['x'\]: the series is constant"),
    "stationarity, huge": (lambda: attention.stationarity(A * 1e160), r"^data: values as large as 2.\de\+160"),
    "granger, huge": (lambda: attention.granger(A * 1e156, B), r"^cause: values as large as"),
    "feedback_loop, huge": (lambda: attention.feedback_loop(A, B * 1e200, C, n_surrogates=19),
                            r"^returns: values as large as"),
    "cross_correlation, huge": (lambda: attention.cross_correlation(A, -B * 1e170), r"^y: values as large as"),
    "preis_strategy, constant prices": (lambda: attention.preis_strategy(A.abs() + 1, pd.Series(100.0, DAYS)),
                                        r"^prices: the price does not change"),
    "var_analysis, collinear": (lambda: attention.var_analysis(pd.DataFrame({"a": A, "b": 2 * A - 1, "c": C})),
                                r"^data: the columns \['a', 'b'\] are collinear"),
    "check_article, n_boot=0": (lambda: attention.check_article(n_boot=0), r"^n_boot: expected an integer >= 100"),
    "check_article, seed": (lambda: attention.check_article(seed="abc"), r"^seed: expected None"),
    "feedback_loop, seed": (lambda: attention.feedback_loop(A, B, C, n_surrogates=19, seed="abc"),
                            r"^seed: expected None, a non-negative integer or a numpy Generator, got 'abc'"),
    "rotation_test, seed": (lambda: attention.rotation_test(A, B, share_transform=None, n_surrogates=19, seed=1.5),
                            r"^seed:"),
    "granger, NaN gap": (lambda: attention.granger(_with(A, 50, np.nan), B),
                         r"^cause: 1 date\(s\) inside the common sample have a missing value"),
    "granger, inf gap": (lambda: attention.granger(A, _with(B, 70, np.inf)),
                         r"^effect: 1 date\(s\) inside the common sample have a missing value"),
    "granger, skipped week": (lambda: attention.granger(A.drop(A.index[80]), B), r"^cause, effect: the common dates skip 1"),
    "granger(r, r)": (lambda: attention.granger(A, A), r"^cause, effect: the cause's lags are a linear combination"),
    "preis_strategy, daily search": (
        lambda: attention.preis_strategy(pd.Series(RNG.random(800) + 1, DAYS), PRICES),
        r"^search: the Preis et al. rule trades weekly, but search is daily.*require_weekly=False",
    ),
    "preis_strategy, require_weekly": (lambda: attention.preis_strategy(A.abs(), PRICES, require_weekly="yes"),
                                       r"^require_weekly: expected True or False"),
    "trailing_zscore, robust='no'": (lambda: attention.trailing_zscore(A, robust="no"),
                                     r"^robust: expected True or False, got 'no'"),
    "composite_index, robust=1": (lambda: attention.composite_index(A, B, robust=1), r"^robust: expected True or False"),
    "abnormal_dollar_volume_proxy, negative prices": (
        lambda: attention.abnormal_dollar_volume_proxy(-PRICES, PRICES * 0 + 1000), r"^close: prices must be positive"),
    "abnormal_dollar_volume_proxy, negative volume": (
        lambda: attention.abnormal_dollar_volume_proxy(PRICES, PRICES * 0 - 1), r"^volume: traded volume cannot be negative"),
    "abnormal_dollar_volume_proxy, weekly='no'": (
        lambda: attention.abnormal_dollar_volume_proxy(PRICES, PRICES * 0 + 1, weekly="no"), r"^weekly: expected True or False"),
    "preis2013, term not a string": (lambda: attention.preis2013(A), r"^term: expected the name of one of the 98 Preis et al. terms, got Series"),
    "holm, NaN p-value": (lambda: attention.holm([0.01, float("nan")]), r"^pvalues: expected p-values between 0 and 1"),
    "benjamini_hochberg, p > 1": (lambda: attention.benjamini_hochberg([0.2, 1.3]), r"^pvalues: expected p-values"),
    "toda_yamamoto, identical series": (lambda: attention.toda_yamamoto(A.cumsum(), A.cumsum(), max_lags=2, d_max=1),
                                        r"^cause, effect: the levels VAR .* is singular"),
    "irf, seed": (lambda: attention.var_analysis(pd.DataFrame({"a": A, "b": B}), max_lags=2).irf(seed="x"), r"^seed:"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_gets_a_data_error_naming_the_argument(case):
    call, message = CASES[case]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonStationaryWarning)
        with pytest.raises(DataError, match=message):
            call()


def test_granger_and_feedback_loop_treat_gaps_the_same_way():
    holed = _with(A, 50, np.nan)
    for call in (lambda: attention.granger(holed, B), lambda: attention.feedback_loop(holed, B, C, n_surrogates=19)):
        with pytest.raises(DataError, match="inside the common sample have a missing value"):
            call()
    edges = _with(A, [0, 1, -1], np.nan)  # leading and trailing gaps are trimmed by both
    assert attention.granger(edges, B, max_lag=1).table["n_obs"].iloc[0] == 196
    assert attention.feedback_loop(edges, B, C, lags=1, n_surrogates=19, seed=0).links["n"].iloc[0] == 196


def test_a_generator_and_an_integer_seed_both_work():
    one = attention.feedback_loop(A, B, C, n_surrogates=19, seed=3)
    two = attention.feedback_loop(A, B, C, n_surrogates=19, seed=np.random.default_rng(3))
    assert one == two


def test_preis_strategy_trades_another_calendar_only_when_asked():
    search = pd.Series(RNG.random(800) + 1, DAYS, name="daily")
    result = attention.preis_strategy(search, PRICES, require_weekly=False)
    assert len(result.weekly) > 500  # every day trades, at the first close a week later: what the user asked for


def test_robust_zscore_with_a_vanishing_mad_returns_no_infinities():
    x = pd.Series(np.r_[1e-211 * (np.arange(59) % 3), 1e150], pd.date_range("2015-01-04", periods=60, freq="W-SUN"))
    z = attention.trailing_zscore(x, window=10, robust=True)
    assert not np.isinf(z.to_numpy()).any()
    assert np.isnan(z.iloc[-1])  # a jump of 1e150 over a MAD of 1e-211 overflows: no score, not inf
    # the tiny values themselves still score on their own scale: (2 - 1) / 1.4826 and (0 - 1) / 1.4826
    assert set(np.round(z.iloc[10:-1].dropna().unique(), 4)) <= {0.0, 0.6745, -0.6745}
