"""Stationarity, Granger tests, Holm, and the feedback-loop test."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from attention import (
    DataError,
    FeedbackLoopResult,
    GrangerResult,
    NonStationaryWarning,
    feedback_loop,
    granger,
    holm,
    load_prices,
    log_change,
    log_returns,
    stationarity,
    to_google_weeks,
    to_wide,
)

B = 199  # surrogates: enough for p = 0.005, fast


def _weeks(n, start="2015-01-04"):
    return pd.date_range(start, periods=n, freq="W-SUN")


def _loop_data(n=400, b=0.4, seed=0):
    """returns -> attention -> flows -> returns, each link a lag-1 coefficient b."""
    rng = np.random.default_rng(seed)
    burn = 50
    e = rng.normal(size=(n + burn, 3))
    a, r, f = np.zeros(n + burn), np.zeros(n + burn), np.zeros(n + burn)
    for t in range(1, n + burn):
        a[t] = b * r[t - 1] + e[t, 0]
        f[t] = b * a[t - 1] + e[t, 1]
        r[t] = b * f[t - 1] + e[t, 2]
    idx = _weeks(n)
    return (
        pd.Series(a[burn:], idx, name="searches"),
        pd.Series(r[burn:], idx, name="returns"),
        pd.Series(f[burn:], idx, name="flows"),
    )


def _noise(n=400, seed=100):
    rng = np.random.default_rng(seed)
    return tuple(pd.Series(rng.normal(size=n), _weeks(n), name=k) for k in ("searches", "returns", "flows"))


@pytest.fixture(scope="module")
def preis_pair(preis):
    """Weekly log change of searches for "stocks" and weekly log DJIA returns, same file."""
    return log_change(preis["stocks"]), log_returns(preis["djia_close"])


@pytest.fixture(scope="module")
def loop_result():
    return feedback_loop(*_loop_data(), n_surrogates=B, seed=1)


@pytest.fixture(scope="module")
def noise_result():
    return feedback_loop(*_noise(), n_surrogates=B, seed=1)


# ---------------------------------------------------------------- stationarity


def test_stationarity_white_noise_yes_random_walk_no():
    rng = np.random.default_rng(0)
    wn = rng.normal(size=300)
    walk = np.cumsum(rng.normal(size=300))
    frame = pd.DataFrame({"white noise": wn, "random walk": walk}, index=_weeks(300))
    table = stationarity(frame)
    assert list(table.index) == ["white noise", "random walk"]
    assert list(table.columns) == ["n", "adf_stat", "adf_p", "kpss_stat", "kpss_p", "stationary"]
    assert table.loc["white noise", "stationary"] and table.loc["white noise", "adf_p"] < 0.01
    assert not table.loc["random walk", "stationary"]
    assert table.loc["random walk", "adf_p"] > 0.05 and table.loc["random walk", "kpss_p"] <= 0.05
    assert (table["n"] == 300).all()


def test_stationarity_needs_twenty_observations():
    with pytest.raises(DataError, match=r"data\['x'\]: stationarity tests need at least 20"):
        stationarity(pd.Series(np.arange(19.0), index=_weeks(19), name="x"))


def test_random_walk_input_triggers_non_stationary_warning():
    rng = np.random.default_rng(0)
    walk = pd.Series(np.cumsum(rng.normal(size=300)), _weeks(300), name="level")
    noise = pd.Series(rng.normal(size=300), _weeks(300), name="noise")
    with pytest.warns(NonStationaryWarning, match=r"\['level'\] may not be stationary"):
        result = granger(walk, noise, max_lag=2)
    assert "Caution: ['level'] may not be stationary" in result.summary()
    with pytest.warns(NonStationaryWarning, match="level"):
        feedback_loop(walk, noise, noise.shift(1), n_surrogates=19, seed=0)


def test_stationary_inputs_do_not_warn(preis_pair):
    with warnings.catch_warnings():
        warnings.simplefilter("error", NonStationaryWarning)
        granger(*preis_pair, max_lag=2)


# ---------------------------------------------------------------- granger


def test_granger_equals_statsmodels_ssr_ftest_on_real_data(preis_pair):
    from statsmodels.tsa.stattools import grangercausalitytests

    searches, returns = preis_pair
    result = granger(searches, returns, max_lag=4)
    both = pd.concat({"effect": returns, "cause": searches}, axis=1).dropna()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = grangercausalitytests(both[["effect", "cause"]].to_numpy(), maxlag=4)
    assert list(result.table.index) == [1, 2, 3, 4]
    for lag in range(1, 5):
        f, p, df_denom, df_num = reference[lag][0]["ssr_ftest"]
        row = result.table.loc[lag]
        assert row["F"] == pytest.approx(f, rel=1e-9)
        assert row["p_value"] == pytest.approx(p, rel=1e-7)
        assert row["df_denom"] == df_denom and row["df_num"] == df_num == lag
    # Pinned from the embedded data: searches for "stocks" lead DJIA returns at lag 1.
    assert result.table.loc[1, "F"] == pytest.approx(12.585, abs=1e-3)
    assert result.table.loc[1, "p_value"] == pytest.approx(4.39e-4, rel=1e-2)


def test_granger_result_fields(preis_pair):
    result = granger(*preis_pair, max_lag=4)
    assert isinstance(result, GrangerResult)
    assert (result.cause, result.effect) == ("stocks", "djia_close")
    t = result.table
    assert list(t.columns) == ["F", "p_value", "p_holm", "df_num", "df_denom", "n_obs", "partial_r2"]
    assert t["p_holm"].to_numpy() == pytest.approx(holm(t["p_value"]))
    assert (t["p_holm"] >= t["p_value"]).all()
    assert (t["n_obs"] == 372 - t.index).all()  # 372 weeks with both, minus the lags
    assert (t["df_denom"] == t["n_obs"] - (2 * t.index + 1)).all()
    assert t["partial_r2"].between(0, 1).all()
    assert result.best_lag == 1
    assert list(result.stationarity.index) == ["stocks", "djia_close"]
    assert result.stationarity["stationary"].all()


def test_granger_reverse_direction_is_not_significant(preis_pair):
    searches, returns = preis_pair
    reverse = granger(returns, searches, max_lag=4)
    assert (reverse.table["p_holm"] > 0.05).all()
    assert "No lag shows that 'djia_close' helps predict 'stocks'" in reverse.summary()


def test_granger_views(preis_pair, close_figures):
    import matplotlib.figure

    result = granger(*preis_pair, max_lag=3)
    text = result.summary()
    assert "At lag 1, 'stocks' adds predictive power" in text
    assert "not proof of cause" in text
    assert str(result) == text
    frame = result.to_frame()
    pd.testing.assert_frame_equal(frame, result.table)
    frame.loc[1, "F"] = -1.0
    assert result.table.loc[1, "F"] > 0  # to_frame() is a copy
    page = result._repr_html_()
    assert "<table" in page and "&#x27;stocks&#x27;" in page
    fig = result.plot()
    assert isinstance(fig, matplotlib.figure.Figure)
    assert len(fig.axes) == 1


def test_unnamed_series_are_called_cause_and_effect():
    rng = np.random.default_rng(3)
    x = pd.Series(rng.normal(size=80), _weeks(80))
    y = pd.Series(rng.normal(size=80), _weeks(80))
    result = granger(x, y, max_lag=1)
    assert (result.cause, result.effect) == ("cause", "effect")


# ---------------------------------------------------------------- holm


def test_holm_matches_statsmodels():
    from statsmodels.stats.multitest import multipletests

    rng = np.random.default_rng(5)
    for p in (
        [0.01, 0.04, 0.03],
        [0.5, 0.5, 0.01, 0.2],
        [0.001, 0.9, 0.3, 0.3, 0.049, 0.02, 0.6],
        list(rng.uniform(0, 0.2, size=25)),
        [0.7],
    ):
        expected = multipletests(p, method="holm")[1]
        assert holm(p) == pytest.approx(expected, abs=1e-12)
    assert holm([0.01, 0.04, 0.03]).round(2).tolist() == [0.03, 0.06, 0.06]


# ---------------------------------------------------------------- feedback loop


def test_a_true_loop_is_supported(loop_result):
    r = loop_result
    assert isinstance(r, FeedbackLoopResult)
    assert list(r.links.index) == ["returns -> attention", "attention -> flows", "flows -> returns"]
    assert r.links["holds"].all()
    assert r.supported
    # Every observed t beats every surrogate: the smallest p the test can give.
    assert (r.links["p_surrogate"] == 1 / (B + 1)).all()
    assert r.p_loop == pytest.approx(0.005)
    assert (r.links["t_stat"] > 4).all()
    assert r.links["effect_size"].between(0.2, 0.7).all()
    assert (r.links["p_granger"] < 1e-6).all()
    assert (r.links["n"] == 398).all() and (r.links["lags"] == 2).all()
    assert r.links.loc["attention -> flows", ["cause", "effect"]].tolist() == ["searches", "flows"]
    assert "The data support the loop" in r.summary()


def test_independent_noise_is_not_a_loop(noise_result):
    r = noise_result
    assert not r.supported
    assert r.p_loop > 0.05
    assert (~r.links["holds"]).sum() >= 1
    assert "The data do not support the loop" in r.verdict


@pytest.mark.parametrize("which", ["loop_result", "noise_result"])
def test_surrogate_p_values_are_never_zero(request, which):
    r = request.getfixturevalue(which)
    p = r.links["p_surrogate"].to_numpy()
    assert (p >= 1 / (B + 1)).all() and (p <= 1).all()
    assert np.allclose(p * (B + 1), np.round(p * (B + 1)))  # (1 + count) / (B + 1)
    assert r.p_loop == p.max()
    assert r.links["p_holm"].to_numpy() == pytest.approx(holm(p))
    assert (r.links["holds"] == (p <= r.alpha)).all()
    assert all(len(r.null[name]) == B for name in r.links.index)
    # The p-value is the share of surrogates at least as extreme, plus one.
    for name, row in r.links.iterrows():
        assert row["p_surrogate"] == (1 + np.sum(r.null[name] >= row["t_stat"])) / (B + 1)


def test_signs_flip_the_direction_tested(loop_result):
    flipped = feedback_loop(*_loop_data(), n_surrogates=B, seed=1, signs=(1, -1, 1))
    a, b = loop_result.links, flipped.links
    link = "attention -> flows"
    assert b.loc[link, "expected_sign"] == -1
    assert b.loc[link, "t_stat"] == pytest.approx(-a.loc[link, "t_stat"])
    assert b.loc[link, "p_surrogate"] == 1.0
    assert not b.loc[link, "holds"]
    others = ["returns -> attention", "flows -> returns"]
    cols = ["t_stat", "p_surrogate"]
    pd.testing.assert_frame_equal(a.loc[others, cols], b.loc[others, cols])
    assert not flipped.supported and flipped.p_loop == 1.0
    assert "1 of 3 links fail - attention -> flows" in flipped.verdict


def test_one_sided_p_values_of_both_signs_add_up(noise_result):
    # With the same surrogates and no ties, #{T* >= T} + #{T* <= T} = B.
    flipped = feedback_loop(*_noise(), n_surrogates=B, seed=1, signs=(-1, -1, -1))
    total = noise_result.links["p_surrogate"] + flipped.links["p_surrogate"]
    assert total.to_numpy() == pytest.approx(np.full(3, (B + 2) / (B + 1)))


def test_same_seed_same_result_and_generator_seed():
    data = _noise(n=120, seed=8)
    a = feedback_loop(*data, n_surrogates=99, seed=42)
    b = feedback_loop(*data, n_surrogates=99, seed=np.random.default_rng(42))
    pd.testing.assert_frame_equal(a.links, b.links)


def test_feedback_views(loop_result, close_figures):
    import matplotlib.figure

    r = loop_result
    text = r.summary()
    assert r.verdict in text
    assert "returns = 'returns', attention = 'searches', flows = 'flows'" in text
    assert f"{B} circular-shift surrogates" in text
    frame = r.to_frame()
    pd.testing.assert_frame_equal(frame, r.links)
    frame.loc[:, "p_surrogate"] = 0.0
    assert (r.links["p_surrogate"] > 0).all()
    page = r._repr_html_()
    assert "<table" in page and "support the loop" in page
    fig = r.plot()
    assert isinstance(fig, matplotlib.figure.Figure)
    assert len(fig.axes) == 3


def test_results_are_frozen(loop_result):
    import dataclasses

    with pytest.raises(dataclasses.FrozenInstanceError):
        loop_result.p_loop = 0.0


# ---------------------------------------------------------------- bad inputs

W = _weeks(200, "2020-01-05")
GOOD = pd.Series(np.random.default_rng(1).normal(size=200), W, name="good")
GOOD2 = pd.Series(np.random.default_rng(2).normal(size=200), W, name="good2")
BAD = {
    "empty": (pd.Series([], dtype=float, index=pd.DatetimeIndex([])), "{arg}: the series is empty"),
    "strings": (pd.Series(["up"] * 200, index=W), "{arg}: expected numeric values"),
    "all-NaN": (pd.Series(np.nan, index=W), "{arg}: every value is NaN"),
    "no DatetimeIndex": (pd.Series(np.arange(200.0)), "{arg}: expected a DatetimeIndex"),
    "daily vs weekly": (
        pd.Series(np.arange(200.0), index=pd.bdate_range("2020-01-06", periods=200)),
        "{all}: only 0 dates have every series present",
    ),
    "too few for the lags": (GOOD.iloc[:15], "{all}: only 15 dates have every series present"),
}


def _granger_calls():
    return {
        "cause": lambda x: granger(x, GOOD),
        "effect": lambda x: granger(GOOD, x),
    }


def _loop_calls():
    return {
        "attention": lambda x: feedback_loop(x, GOOD, GOOD2, n_surrogates=19, seed=0),
        "returns": lambda x: feedback_loop(GOOD, x, GOOD2, n_surrogates=19, seed=0),
        "flows": lambda x: feedback_loop(GOOD, GOOD2, x, n_surrogates=19, seed=0),
    }


@pytest.mark.parametrize("case", list(BAD))
@pytest.mark.parametrize("arg", list(_granger_calls()))
def test_granger_bad_inputs_name_the_argument(arg, case):
    data, why = BAD[case]
    with pytest.raises(DataError, match="^" + why.format(arg=arg, all="cause, effect")):
        _granger_calls()[arg](data)


@pytest.mark.parametrize("case", list(BAD))
@pytest.mark.parametrize("arg", list(_loop_calls()))
def test_feedback_loop_bad_inputs_name_the_argument(arg, case):
    data, why = BAD[case]
    with pytest.raises(DataError, match="^" + why.format(arg=arg, all="attention, returns, flows")):
        _loop_calls()[arg](data)


def test_too_few_observations_depend_on_the_lags():
    short = GOOD.iloc[:30]
    granger(short, GOOD2, max_lag=2)  # 30 >= 3 * 2 + 12 rows
    with pytest.raises(DataError, match="need at least 36 for max_lag=8"):
        granger(short, GOOD2, max_lag=8)
    feedback_loop(short, GOOD2, GOOD, lags=1, n_surrogates=19, seed=0)  # 30 >= 2 * 3 + 20
    with pytest.raises(DataError, match="need at least 54 for lags=8"):
        feedback_loop(short, GOOD2, GOOD, lags=8, n_surrogates=19, seed=0)


@pytest.mark.parametrize(
    ("kwargs", "arg"),
    [
        ({"lags": 0}, "lags"),
        ({"signs": (1, 1)}, "signs"),
        ({"signs": (1, 0, 1)}, "signs"),
        ({"n_surrogates": 10}, "n_surrogates"),
        ({"alpha": 0.0}, "alpha"),
        ({"alpha": 1.5}, "alpha"),
        ({"alpha": "0.05"}, "alpha"),
    ],
)
def test_feedback_loop_bad_parameters(kwargs, arg):
    with pytest.raises(DataError, match=f"^{arg}:"):
        feedback_loop(GOOD, GOOD2, GOOD.shift(1), **kwargs)


@pytest.mark.parametrize("max_lag", [0, -1, 2.0, True])
def test_granger_bad_max_lag(max_lag):
    with pytest.raises(DataError, match="^max_lag: expected an integer >= 1"):
        granger(GOOD, GOOD2, max_lag=max_lag)


def test_granger_accepts_to_wide_searches_and_to_google_weeks_returns(preis):
    obs = pd.DataFrame(
        {"date": preis.index, "source": "google_trends", "term": "stocks", "metric": "search_interest",
         "value": preis["stocks"].to_numpy()}
    )
    searches = log_change(to_wide(obs)["stocks"])  # tz-aware UTC, as every collector's output
    spy = load_prices("SPY")["Close"]["SPY"].loc["2003-12-01":"2011-03-31"]
    weekly = to_google_weeks(log_returns(spy))  # naive Sundays
    naive = granger(searches.tz_convert(None), weekly, max_lag=2)
    assert naive.table.loc[1, "n_obs"] > 300  # the same Sundays, once both are naive
    result = granger(searches, weekly, max_lag=2)
    pd.testing.assert_frame_equal(result.table, naive.table)


def test_a_perfect_positive_link_does_not_hold_when_claimed_negative():
    searches = GOOD.rename("searches")
    flows = (2.0 * searches.shift(1)).rename("flows")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            result = feedback_loop(searches, GOOD2, flows, lags=2, signs=(1, -1, 1), n_surrogates=99, seed=0)
        except DataError:
            return  # refusing a degenerate, perfectly fitted link is also acceptable
    link = result.links.loc["attention -> flows"]
    assert not np.isnan(link["t_stat"])
    assert not link["holds"]
