"""Stationarity, Granger tests, Holm, the feedback-loop test, its rotation and rolling-window variants."""

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
from attention.correlation import rolling_stability, rotation_test
from attention.scoring import attention_share
from attention.testing import planted_loop

B = 199  # surrogates: enough for p = 0.005, fast


def _weeks(n, start="2015-01-04"):
    return pd.date_range(start, periods=n, freq="W-SUN")


def _loop_data(n=400, b=0.4, seed=0):
    """returns -> attention -> flows -> returns, each link a lag-1 coefficient b."""
    a, r, f = planted_loop(n, b, np.random.default_rng(seed))
    idx = _weeks(n)
    return (
        pd.Series(a, idx, name="searches"),
        pd.Series(r, idx, name="returns"),
        pd.Series(f, idx, name="flows"),
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
    flows = pd.Series(rng.normal(size=300), _weeks(300), name="flows")
    with pytest.warns(NonStationaryWarning, match="level"):
        feedback_loop(walk, noise, flows, n_surrogates=19, seed=0)


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
    fig = r.plot()  # the loop as a diagram
    assert isinstance(fig, matplotlib.figure.Figure)
    assert len(fig.axes) == 1
    arrows = [p for p in fig.axes[0].patches if type(p).__name__ == "FancyArrowPatch"]
    assert len(arrows) == 3
    assert len({round(a.get_linewidth(), 6) for a in arrows}) == 3  # width follows |effect size|
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "p = 0.005" in texts and "lag 2" in texts
    null = r.plot(kind="null")  # the surrogate null distributions, as before
    assert len(null.axes) == 3
    with pytest.raises(DataError, match="^kind:"):
        r.plot(kind="bars")


def test_results_are_frozen(loop_result):
    import dataclasses

    with pytest.raises(dataclasses.FrozenInstanceError):
        loop_result.p_loop = 0.0


# ---------------------------------------------------------------- bad inputs

W = _weeks(200, "2020-01-05")
GOOD = pd.Series(np.random.default_rng(1).normal(size=200), W, name="good")
GOOD2 = pd.Series(np.random.default_rng(2).normal(size=200), W, name="good2")
GOOD3 = pd.Series(np.random.default_rng(3).normal(size=200), W, name="good3")
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
    feedback_loop(short, GOOD2, GOOD3, lags=1, n_surrogates=19, seed=0)  # 30 >= 2 * 3 + 20
    with pytest.raises(DataError, match="need at least 62 for lags=8 and 1 control"):
        feedback_loop(short, GOOD2, GOOD3, lags=8, n_surrogates=19, seed=0)
    with pytest.raises(DataError, match="need at least 62 for lags=.bic. with max_lag=8 and 1 control"):
        feedback_loop(short, GOOD2, GOOD3, lags="bic", n_surrogates=19, seed=0)
    feedback_loop(short, GOOD2, GOOD3, lags="bic", max_lag=1, n_surrogates=19, seed=0)


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


# ---------------------------------------------------------------- links table, statsmodels agreement

LINK_COLUMNS = [
    "cause", "effect", "lags", "n", "expected_sign", "sign", "effect_size", "se", "ci_low", "ci_high", "mde",
    "partial_r2", "t_stat", "p_t", "p_granger", "p_surrogate", "p_holm", "holds", "effect_bound", "conclusion",
]


@pytest.fixture(scope="module")
def preis_loop_inputs(preis):
    """Real weekly inputs: searches for "stocks", SPY weekly returns and its flow proxy (2004-2011)."""
    from attention.demo import _market_inputs

    return {"attention": log_change(preis["stocks"]), **_market_inputs(load_prices("SPY"), "SPY")}


def _statsmodels_link(frame, cause, effect, max_lag, lags, controls=(), cov_type="HC3"):
    """The link regression refitted with statsmodels on the common sample: (lag, fit, contrast, x, y, restricted).

    ``controls``: columns of ``frame`` whose lags 1..L enter as controls.
    """
    import statsmodels.api as sm

    x, y = frame[cause].to_numpy(), frame[effect].to_numpy()
    n = len(y)
    rows = np.arange(max_lag, n)
    zs = [frame[c].to_numpy() for c in controls]

    def design(L, with_cause=True):
        cols = [np.ones(len(rows))] + [v[rows - j] for v in (y, *zs) for j in range(1, L + 1)]
        return np.column_stack(cols + ([x[rows - j] for j in range(1, L + 1)] if with_cause else []))

    fits = {L: sm.OLS(y[max_lag:], design(L)).fit() for L in lags}
    lag = min(fits, key=lambda L: fits[L].bic)
    fit = sm.OLS(y[max_lag:], design(lag)).fit(cov_type=cov_type, use_t=True)
    restricted = sm.OLS(y[max_lag:], design(lag, with_cause=False)).fit()
    k = 1 + lag * (1 + len(zs))
    return lag, fit, np.r_[np.zeros(k), np.ones(lag)], x, y, restricted


@pytest.mark.parametrize(
    ("lags", "max_lag", "controls", "se"),
    [(3, 3, ("volatility",), "hc3"), ("bic", 5, ("volatility",), "hc3"), (2, 2, ("third", "volatility"), "hc3"),
     (2, 2, ("volatility",), "hc1"), (3, 3, None, "classical"), ("bic", 5, None, "classical")],
)
def test_loop_statistics_equal_statsmodels_on_real_data(preis_loop_inputs, lags, max_lag, controls, se):
    """Every observed number equals statsmodels' OLS with the same controls and covariance (HC3, HC1 or classical)."""
    from scipy import stats
    from statsmodels.tsa.stattools import grangercausalitytests

    result = feedback_loop(**preis_loop_inputs, lags=lags, max_lag=max_lag, n_surrogates=19, seed=0,
                           controls=controls, se=se)
    assert list(result.links.columns) == LINK_COLUMNS
    assert result.lag_selection == ("fixed" if lags != "bic" else "bic") and result.max_lag == max_lag
    assert result.se == se and len(result.controls) == len(controls or ())
    frame = pd.concat(preis_loop_inputs, axis=1, join="inner").dropna()
    frame["volatility"] = frame["returns"].abs()
    candidates = [lags] if lags != "bic" else range(1, max_lag + 1)
    third = {"attention": "flows", "flows": "returns", "returns": "attention"}
    for (cause, effect), sign in zip([("returns", "attention"), ("attention", "flows"), ("flows", "returns")], [1, 1, 1]):
        row = result.links.loc[f"{cause} -> {effect}"]
        ctrl = [third[effect] for c in (controls or ()) if c == "third"] + [c for c in (controls or ()) if c == "volatility"]
        lag, fit, contrast, x, y, restricted = _statsmodels_link(
            frame, cause, effect, max_lag, candidates, ctrl, {"hc1": "HC1", "hc3": "HC3"}.get(se, "nonrobust")
        )
        tt = fit.t_test(contrast)
        t = tt.tvalue.item()
        assert row["lags"] == lag and row["n"] == fit.nobs == len(frame) - max_lag
        assert row["t_stat"] == pytest.approx(sign * t, rel=1e-8, abs=1e-10)
        assert row["se"] * y.std(ddof=1) / x.std(ddof=1) == pytest.approx(tt.sd.item(), rel=1e-8)
        # one-sided in the claimed direction, from statsmodels' two-sided p
        one_sided = tt.pvalue.item() / 2 if sign * t > 0 else 1 - tt.pvalue.item() / 2
        assert row["p_t"] == pytest.approx(one_sided, rel=1e-8, abs=1e-12)
        assert row["p_t"] == pytest.approx(stats.t.sf(sign * t, fit.df_resid), rel=1e-8, abs=1e-12)
        f, p_f, _ = _classical_f(fit, restricted, lag)
        assert row["p_granger"] == pytest.approx(p_f, rel=1e-8, abs=1e-12)
        if not controls:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                both = np.column_stack([y, x])[max_lag - lag :]  # grangercausalitytests drops the first `lag` rows
                gc = grangercausalitytests(both, maxlag=[lag])[lag][0]["ssr_ftest"]
            assert row["p_granger"] == pytest.approx(gc[1], rel=1e-8, abs=1e-12)
        assert row["effect_size"] == pytest.approx(
            fit.params[-lag:].sum() * x.std(ddof=1) / y.std(ddof=1), rel=1e-8, abs=1e-12
        )
        assert row["sign"] == np.sign(row["effect_size"])
        assert row["partial_r2"] == pytest.approx((restricted.ssr - fit.ssr) / restricted.ssr, rel=1e-8, abs=1e-12)


def _classical_f(fit, restricted, lag):
    """The classical F test that the cause's lags add nothing (whatever covariance ``fit`` uses)."""
    from scipy import stats

    f = (restricted.ssr - fit.ssr) / lag / (fit.ssr / fit.df_resid)
    return f, stats.f.sf(f, lag, fit.df_resid), lag


@pytest.mark.filterwarnings("ignore::attention.errors.NonStationaryWarning")
@pytest.mark.parametrize("surrogate", ["circular", "stationary"])
def test_surrogate_statistics_equal_statsmodels_refits(surrogate):
    """The batched null equals refitting statsmodels on each surrogate, BIC lag choice included."""
    from attention._linalg import standardise as _standardise
    from attention.correlation._surrogates import _politis_white, _stationary_indices

    a, r, f = _loop_data(n=150, b=0.3, seed=4)
    B, K = 19, 3
    result = feedback_loop(a, r, f, lags="bic", max_lag=K, n_surrogates=B, surrogate=surrogate, seed=11)
    frame = pd.DataFrame({"attention": a, "returns": r, "flows": f})
    n = len(frame)
    x = frame["returns"].to_numpy()  # the first link's cause; its surrogates come first from the seed
    rng = np.random.default_rng(11)
    if surrogate == "circular":
        shifts = rng.integers(K, n - K + 1, size=B)  # lags of a surrogate never overlap the data's
        surrogates = [np.roll(x, s) for s in shifts]
    else:
        block = result.block_length["returns -> attention"]
        assert block == pytest.approx(_politis_white(_standardise(x)))
        surrogates = list(x[_stationary_indices(rng, B, n, block)])
    null = result.null["returns -> attention"]
    for i in range(6):  # the control, |returns|, stays with the returns; only the cause is a surrogate
        sframe = frame.assign(returns=surrogates[i], volatility=frame["returns"].abs())
        _, fit, contrast, *_ = _statsmodels_link(sframe, "returns", "attention", K, range(1, K + 1), ["volatility"])
        assert null[i] == pytest.approx(fit.t_test(contrast).tvalue.item(), rel=1e-8, abs=1e-10)


# ---------------------------------------------------------------- stationary bootstrap


@pytest.mark.filterwarnings("ignore::attention.errors.NonStationaryWarning")
def test_stationary_bootstrap_p_values_are_valid_and_reproducible():
    data = _noise(n=200, seed=21)
    a = feedback_loop(*data, n_surrogates=B, surrogate="stationary", seed=5)
    b = feedback_loop(*data, n_surrogates=B, surrogate="stationary", seed=np.random.default_rng(5))
    c = feedback_loop(*data, n_surrogates=B, surrogate="stationary", seed=6)
    pd.testing.assert_frame_equal(a.links, b.links)
    assert not np.array_equal(a.null["attention -> flows"], c.null["attention -> flows"])
    p = a.links["p_surrogate"].to_numpy()
    assert ((p >= 1 / (B + 1)) & (p <= 1)).all()
    assert np.allclose(p * (B + 1), np.round(p * (B + 1)))
    for name, row in a.links.iterrows():
        assert row["p_surrogate"] == (1 + np.sum(a.null[name] >= row["t_stat"])) / (B + 1)
    assert a.surrogate == "stationary" and "stationary-bootstrap surrogates" in a.summary()
    # white noise causes: the rule picks short blocks, close to the i.i.d. bootstrap
    assert all(1 <= v < 4 for v in a.block_length.values())
    fixed = feedback_loop(*data, n_surrogates=B, surrogate="stationary", block_length=7.5, seed=5)
    assert set(fixed.block_length.values()) == {7.5}


def test_stationary_indices_have_geometric_blocks_and_uniform_positions():
    from attention.correlation._surrogates import _stationary_indices

    n, block = 300, 10.0
    idx = _stationary_indices(np.random.default_rng(1), 2000, n, block)
    assert idx.shape == (2000, n) and idx.min() >= 0 and idx.max() < n
    continues = np.diff(idx, axis=1) % n == 1
    assert 1 / (1 - continues.mean()) == pytest.approx(block, rel=0.02)  # mean block length
    counts = np.bincount(idx.ravel(), minlength=n)
    assert counts.std() / counts.mean() < 0.05  # every position equally likely
    again = _stationary_indices(np.random.default_rng(1), 2000, n, block)
    assert np.array_equal(idx, again)


def test_politis_white_block_length_matches_ar1_theory():
    from attention.correlation._surrogates import _politis_white

    # For an AR(1), the optimal mean block is (2 phi / (1 - phi^2))^(2/3) n^(1/3).
    rng = np.random.default_rng(3)
    n, phi = 20000, 0.6
    e = rng.normal(size=n + 200)
    x = np.zeros(n + 200)
    for t in range(1, n + 200):
        x[t] = phi * x[t - 1] + e[t]
    truth = (2 * phi / (1 - phi**2)) ** (2 / 3) * n ** (1 / 3)
    assert _politis_white(x[200:]) == pytest.approx(truth, rel=0.15)
    assert _politis_white(rng.normal(size=500)) < 4  # white noise: (almost) no blocks needed
    assert 20 < _politis_white(np.cumsum(rng.normal(size=400))) <= np.ceil(min(3 * np.sqrt(400), 400 / 3))  # long, capped


@pytest.mark.parametrize("surrogate", ["circular", "stationary"])
def test_known_truth_loop_and_noise(surrogate):
    loop = feedback_loop(*_loop_data(n=300, b=0.35, seed=2), n_surrogates=99, surrogate=surrogate, seed=3)
    assert loop.supported and loop.p_loop <= 0.03
    noise = feedback_loop(*_noise(n=300, seed=9), n_surrogates=99, surrogate=surrogate, seed=3)
    assert not noise.supported


def test_bic_finds_the_planted_lag():
    rng = np.random.default_rng(12)
    n = 500
    e = rng.normal(size=(n, 3))
    a, r, f = e[:, 0].copy(), e[:, 1].copy(), e[:, 2].copy()
    f[3:] += 0.5 * a[:-3]  # attention moves flows three periods later, and only then
    idx = _weeks(n)
    series = (pd.Series(a, idx, name="a"), pd.Series(r, idx, name="r"), pd.Series(f, idx, name="f"))
    chosen = feedback_loop(*series, lags="bic", max_lag=5, n_surrogates=99, seed=0).links
    assert chosen.loc["attention -> flows", "lags"] == 3
    assert chosen.loc["attention -> flows", "p_surrogate"] == pytest.approx(0.01)
    assert chosen.loc[["returns -> attention", "flows -> returns"], "lags"].tolist() == [1, 1]
    assert chosen["n"].eq(n - 5).all()
    missed = feedback_loop(*series, lags=1, n_surrogates=99, seed=0).links  # a fixed lag of 1 cannot see it
    assert missed.loc["attention -> flows", "p_surrogate"] > 0.05


def test_the_sign_must_match_the_claim(loop_result):
    links = loop_result.links
    assert (links["sign"] == 1).all() and (links["expected_sign"] == 1).all()
    assert (links["p_t"] < 1e-4).all()  # the textbook p agrees on a strong loop
    assert "every link holds in the claimed direction" in loop_result.verdict
    assert loop_result.verdict.count(".") <= 4 and loop_result.verdict.endswith(").")  # one sentence


# ---------------------------------------------------------------- placebo terms


def _placebos(n=400, k=6, seed=50):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(rng.normal(size=(n, k)), index=_weeks(n), columns=[f"placebo {i}" for i in range(k)])


def test_placebo_terms_rank_the_real_term(loop_result):
    data = _loop_data()
    placebos = _placebos()
    placebos["copy of real"] = data[0].to_numpy()
    result = feedback_loop(*data, n_surrogates=B, seed=1, placebo_terms=placebos)
    pd.testing.assert_frame_equal(result.links, loop_result.links)  # placebos do not change the real test
    table = result.placebo
    assert list(table.index) == list(placebos.columns) and table.index.name == "placebo"
    assert list(table.columns) == [
        "n", "returns -> attention", "attention -> flows", "flows -> returns",
        "p returns -> attention", "p attention -> flows", "p flows -> returns", "p_loop", "supported",
    ]
    assert table.loc["copy of real", "p_loop"] == result.p_loop  # same series, same floor p
    assert (table.drop("copy of real")["p_loop"] > result.p_loop).all()
    assert result.placebo_rank == 1  # ties count in the real term's favour for the rank ...
    assert result.placebo_share == pytest.approx(1 / 7)  # ... and against it for the share
    assert result.p_placebo == pytest.approx(2 / 8)
    assert "ranks 1 of 8 (1 tie); 14% of placebos have a p_loop at least as small" in result.summary()
    plain = feedback_loop(*data, n_surrogates=B, seed=1)
    assert plain.placebo is None and plain.placebo_rank is None and plain.placebo_share is None


def test_a_weak_real_term_ranks_among_its_placebos():
    a, r, f = _noise(n=300, seed=31)
    result = feedback_loop(a, r, f, n_surrogates=99, seed=2, placebo_terms=_placebos(n=300, k=9, seed=8))
    k = len(result.placebo)
    assert 1 <= result.placebo_rank <= k + 1
    assert result.placebo_share == pytest.approx((result.placebo["p_loop"] <= result.p_loop).mean())
    assert result.placebo["p_loop"].between(0.01, 1).all()


def test_placebo_bad_inputs():
    a, r, f = _loop_data(n=200)
    with pytest.raises(DataError, match="^placebo_terms: expected a DataFrame"):
        feedback_loop(a, r, f, n_surrogates=19, placebo_terms=[1, 2, 3])
    flat = _placebos(n=200, k=2).assign(**{"placebo 1": 4.0})
    with pytest.raises(DataError, match=r"^placebo_terms\['placebo 1'\]: the series is constant"):
        feedback_loop(a, r, f, n_surrogates=19, placebo_terms=flat)


# ---------------------------------------------------------------- rotation


def _rotation_data(n=300, lead=0.0, follow=0.0, seed=0):
    rng = np.random.default_rng(seed)
    e = rng.normal(size=(n, 2))
    share, rel = e[:, 0].copy(), e[:, 1].copy()
    for t in range(1, n):
        share[t] += follow * rel[t - 1]
        rel[t] += lead * share[t - 1]
    idx = _weeks(n)
    return pd.Series(share, idx, name="share small caps"), pd.Series(rel, idx, name="IWM - QQQ")


@pytest.mark.parametrize(
    ("lead", "follow", "direction", "opening"),
    [
        (0.4, 0.0, "attention leads", "Attention leads:"),
        (0.0, 0.4, "attention follows", "Attention follows:"),
        (0.4, 0.4, "both", "Attention and returns feed each other:"),
        (0.0, 0.0, "neither", "Neither direction is supported"),
    ],
)
def test_rotation_finds_the_planted_direction(lead, follow, direction, opening):
    share, rel = _rotation_data(lead=lead, follow=follow, seed=3)
    result = rotation_test(share, rel, share_transform=None, n_surrogates=99, seed=0)
    assert result.direction == direction
    assert result.verdict.startswith(opening)
    links = result.links
    assert list(links.index) == ["share -> relative return", "relative return -> share"]
    assert list(links.columns) == LINK_COLUMNS
    assert links["p_holm"].to_numpy() == pytest.approx(holm(links["p_surrogate"]))
    assert (links["holds"] == ((links["p_holm"] <= 0.05) & (links["sign"] == 1))).all()


def test_rotation_on_real_data_smoke(preis):
    """Attention rotating to "nasdaq" from "dow jones" against QQQ minus SPY, weekly 2004-2011."""
    from attention import relative_returns

    close = load_prices(["QQQ", "SPY"])["Close"]
    rel = to_google_weeks(relative_returns(close["QQQ"], close["SPY"])).loc[:"2011-02-27"]
    share = attention_share(preis[["nasdaq", "dow jones"]])["nasdaq"]
    result = rotation_test(share, rel, lags="bic", max_lag=4, n_surrogates=99, seed=0)
    assert result.names == {"share": "nasdaq (log-odds change)", "relative": "QQQ - SPY"}
    assert 360 <= result.links["n"].iloc[0] <= 372
    assert result.stationarity["stationary"].all()
    assert result.links["p_surrogate"].between(0.01, 1).all()
    assert result.direction in ("attention leads", "attention follows", "both", "neither")
    assert result.verdict in result.summary()


def test_rotation_views_and_bad_inputs(close_figures):
    import matplotlib.figure

    share, rel = _rotation_data(lead=0.4, seed=1)
    result = rotation_test(share, rel, share_transform=None, n_surrogates=19, seed=0)
    fig = result.plot()
    assert isinstance(fig, matplotlib.figure.Figure) and len(fig.axes) == 1
    assert len(result.plot(kind="null").axes) == 2
    pd.testing.assert_frame_equal(result.to_frame(), result.links)
    with pytest.raises(DataError, match="^signs: expected 2 values"):
        rotation_test(share, rel, share_transform=None, signs=(1, 1, 1))
    with pytest.raises(DataError, match="^relative_returns: the series is empty"):
        rotation_test(share, rel.iloc[:0], share_transform=None)
    with pytest.raises(DataError, match="^share: the series is constant"):
        rotation_test(share * 0 + 1, rel, share_transform=None)
    with pytest.raises(DataError, match="^share: expected shares between 0 and 1"):
        rotation_test(share, rel)  # a stationary transform passed as if it were a share
    with pytest.raises(DataError, match="^share_transform:"):
        rotation_test(share, rel, share_transform="diff")


def test_rotation_tests_the_log_odds_change_of_a_share():
    """A share level is turned into its log-odds change, which does not depend on each term's scale."""
    rng = np.random.default_rng(7)
    n = 300
    idx = _weeks(n)
    small = pd.Series(np.exp(np.cumsum(rng.normal(0, 0.1, n)) + 3), idx)
    ai = pd.Series(np.exp(np.cumsum(rng.normal(0, 0.1, n)) + 3), idx)
    rel = pd.Series(rng.normal(size=n), idx, name="IWM - QQQ")
    rel.iloc[2:] += 4 * np.diff(np.log(small / ai))[:-1]  # last week's rotation of attention moves returns
    share = attention_share(pd.DataFrame({"small caps": small, "ai": ai}))["small caps"]
    by_share = rotation_test(share, rel, n_surrogates=99, seed=0)
    manual = np.log(small / ai).diff().rename("small caps")
    by_hand = rotation_test(manual, rel, share_transform=None, n_surrogates=99, seed=0)
    numbers = by_share.links.columns.drop(["cause", "effect"])
    pd.testing.assert_frame_equal(by_share.links[numbers], by_hand.links[numbers], rtol=1e-9)
    rescaled = attention_share(pd.DataFrame({"small caps": 3 * small, "ai": 0.5 * ai}))["small caps"]
    pd.testing.assert_frame_equal(rotation_test(rescaled, rel, n_surrogates=99, seed=0).links, by_share.links, rtol=1e-9)
    assert by_share.names["share"] == "small caps (log-odds change)"
    assert by_share.direction == "attention leads"


# ---------------------------------------------------------------- rolling stability


def test_rolling_stability_describes_windows(close_figures):
    import matplotlib.figure

    data = _loop_data(n=400, b=0.4, seed=0)
    result = rolling_stability(*data, window=104, step=26)
    table = result.to_frame()
    assert list(table.columns) == ["start", "end", "link", "lags", "n", "effect_size", "se", "t_stat", "p_t"]
    n_windows = (400 - 104) // 26 + 1
    assert len(table) == 3 * n_windows
    assert table["n"].eq(102).all() and table["lags"].eq(2).all()
    assert (table["end"] - table["start"]).eq(pd.Timedelta(weeks=103)).all()
    assert (table["effect_size"] > 0).mean() > 0.9  # a stable planted loop is positive almost everywhere
    assert table["se"].gt(0).all()
    text = result.summary()
    assert "Descriptive only, not a test" in text and f"{n_windows} windows of 104 periods" in text
    fig = result.plot()
    assert isinstance(fig, matplotlib.figure.Figure) and len(fig.axes) == 3
    bic = rolling_stability(*data, window=150, step=50, lags="bic", max_lag=3)
    assert bic.table["lags"].between(1, 3).all() and bic.table["n"].eq(147).all()
    with pytest.raises(DataError, match="^window: 500 periods is longer than the 400 common dates"):
        rolling_stability(*data, window=500)
    with pytest.raises(DataError, match="^window: expected an integer >= 30"):
        rolling_stability(*data, window=20)


# ---------------------------------------------------------------- bad inputs, with what to do


def test_constant_series_is_refused_with_advice():
    with pytest.raises(DataError, match=r"^flows: the series is constant \(0\) over the 200 common dates.*zeros"):
        feedback_loop(GOOD, GOOD2, GOOD * 0.0, n_surrogates=19)


def test_missing_values_inside_the_sample_are_refused_with_advice():
    holed = GOOD3.copy()
    holed.iloc[[50, 51, 120]] = np.nan
    with pytest.raises(DataError, match=r"^flows: 3 date\(s\) inside the common sample have a missing value "
                                        r"\(first 2020-12-20\).*interpolate"):
        feedback_loop(GOOD, GOOD2, holed, n_surrogates=19)
    skipped = GOOD3.drop(GOOD3.index[[60, 61]])  # two weeks absent rather than NaN: the same problem
    with pytest.raises(DataError, match=r"^attention, returns, flows: the common dates skip 1 period\(s\) "
                                        r"\(first after 2021-02-21, next date 2021-03-14\).*asfreq"):
        feedback_loop(GOOD, GOOD2, skipped, n_surrogates=19)
    edges = GOOD3.copy()
    edges.iloc[[0, 1, -1]] = np.nan  # leading and trailing gaps (a log change, a trailing score) are fine
    result = feedback_loop(GOOD, GOOD2, edges, n_surrogates=19, seed=0)
    assert result.links["n"].iloc[0] == 197 - 2


def test_duplicate_dates_are_refused_with_advice():
    dup = pd.concat([GOOD3.iloc[:100], GOOD3.iloc[99:]])
    with pytest.raises(DataError, match=r"^flows: the index has duplicate dates \(first: 2021-11-28\); aggregate"):
        feedback_loop(GOOD, GOOD2, dup, n_surrogates=19)


def test_mismatched_frequencies_are_refused_with_advice():
    daily = pd.Series(np.random.default_rng(4).normal(size=1400), pd.date_range("2020-01-01", periods=1400), name="d")
    # calendar days include every Sunday, so a naive join would silently test 1-day changes against weekly ones
    with pytest.raises(DataError, match=r"^attention, returns, flows: the series share dates but not a frequency\. "
                                        r"Mixed frequencies: attention is daily.*returns is weekly.*to_google_weeks"):
        feedback_loop(daily, GOOD2, GOOD3, n_surrogates=19)
    business = pd.Series(np.arange(200.0), index=pd.bdate_range("2020-01-06", periods=200))
    with pytest.raises(DataError, match=r"only 0 dates have every series present.*Mixed frequencies"):
        feedback_loop(GOOD, business, GOOD3, n_surrogates=19)


def test_a_lagged_copy_is_refused():
    with pytest.raises(DataError, match=r"^attention -> flows \('good' -> 'good3'\): the cause's lags are a linear"):
        feedback_loop(GOOD, GOOD2, GOOD.shift(1).rename("good3"), n_surrogates=19)


@pytest.mark.parametrize(
    ("kwargs", "arg"),
    [
        ({"lags": "aic"}, "lags"),
        ({"lags": 2.0}, "lags"),
        ({"lags": "bic", "max_lag": 0}, "max_lag"),
        ({"surrogate": "block"}, "surrogate"),
        ({"block_length": 5}, "block_length"),
        ({"surrogate": "stationary", "block_length": 0.5}, "block_length"),
        ({"signs": (True, 1, 1)}, "signs"),
    ],
)
def test_new_parameters_are_checked(kwargs, arg):
    with pytest.raises(DataError, match=f"^{arg}:"):
        feedback_loop(GOOD, GOOD2, GOOD3, **kwargs)


def test_benjamini_hochberg_matches_statsmodels():
    from statsmodels.stats.multitest import multipletests

    from attention import benjamini_hochberg

    p = np.random.default_rng(3).uniform(0, 0.2, size=25)
    np.testing.assert_allclose(benjamini_hochberg(p), multipletests(p, method="fdr_bh")[1], atol=1e-12)
