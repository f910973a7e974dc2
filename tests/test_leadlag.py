"""Cross-correlations with honest bands, VAR analysis, and the Toda-Yamamoto test."""

from __future__ import annotations

import textwrap
import warnings

import numpy as np
import pandas as pd
import pytest

from attention import (
    DataError,
    NonStationaryWarning,
    holm,
    load_prices,
    log_change,
    log_returns,
    to_google_weeks,
)
from attention.leadlag._ccf import _ccf_core
from attention.leadlag._toda_yamamoto import _ty_core
from attention.leadlag import (
    CrossCorrelationResult,
    ImpulseResponseResult,
    TodaYamamotoResult,
    VarResult,
    cross_correlation,
    toda_yamamoto,
    var_analysis,
)

TOL = 1e-8


def _weeks(n, start="2010-01-03"):
    return pd.date_range(start, periods=n, freq="W-SUN")


def _ar1(n, phi, rng, burn=100):
    from scipy.signal import lfilter

    return lfilter([1.0], [1.0, -phi], rng.normal(size=n + burn))[burn:]


def _walks(n, rng):
    idx = _weeks(n)
    return (
        pd.Series(np.cumsum(rng.normal(size=n)), idx, name="x"),
        pd.Series(np.cumsum(rng.normal(size=n)), idx, name="y"),
    )


@pytest.fixture(scope="module")
def weekly(preis):
    """Weekly log change of searches for "stocks", weekly SPY and DJIA log returns, Preis's weeks."""
    stocks = log_change(preis["stocks"]).rename("stocks")
    djia = log_returns(preis["djia_close"]).rename("DJIA")
    spy = to_google_weeks(log_returns(load_prices("SPY")[("Close", "SPY")])).rename("SPY")
    return pd.concat({"stocks": stocks, "SPY": spy, "DJIA": djia}, axis=1, join="inner")


@pytest.fixture(scope="module")
def var_result(weekly):
    return var_analysis(weekly)


@pytest.fixture(scope="module")
def statsmodels_var(weekly):
    from statsmodels.tsa.vector_ar.var_model import VAR

    return VAR(weekly.dropna().reset_index(drop=True))


# ---------------------------------------------------------------- cross_correlation


def test_raw_cross_correlations_equal_statsmodels_ccf(weekly):
    from statsmodels.tsa.stattools import ccf

    d = weekly.dropna()
    cc = cross_correlation(d["stocks"], d["DJIA"], max_lag=6, prewhiten=False)
    x, y = d["stocks"].to_numpy(), d["DJIA"].to_numpy()
    # statsmodels' ccf(a, b)[k] = corr(a_{t+k}, b_t): x leading is ccf(y, x), x lagging is ccf(x, y).
    lead = ccf(y, x, adjusted=False, fft=False, nlags=7)
    lag = ccf(x, y, adjusted=False, fft=False, nlags=7)
    np.testing.assert_allclose(cc.table.loc[0:6, "r"], lead, atol=TOL)
    np.testing.assert_allclose(cc.table.loc[0:-6:-1, "r"], lag, atol=TOL)
    assert cc.n == len(d) and not cc.prewhitened and cc.ar_order is None


@pytest.mark.parametrize("which", ["preis", "ar2"])
def test_prewhitening_filter_is_statsmodels_bic_autoreg(weekly, which):
    from statsmodels.tsa.ar_model import ar_select_order
    from statsmodels.tsa.stattools import ccf

    rng = np.random.default_rng(5)
    if which == "preis":
        d = weekly.dropna()
        x, y = d["stocks"], d["DJIA"]
    else:
        e = rng.normal(size=600)
        a = np.zeros(600)
        for t in range(2, 600):
            a[t] = 0.5 * a[t - 1] - 0.3 * a[t - 2] + e[t]
        x = pd.Series(a[100:], _weeks(500))
        y = x.shift(1).fillna(0) + pd.Series(rng.normal(size=500), x.index)
    cc = cross_correlation(x, y, max_lag=4)
    sel = ar_select_order(x.to_numpy(), 8, ic="bic", trend="c")
    assert cc.ar_order == (max(sel.ar_lags) if sel.ar_lags else 0)
    if cc.ar_order:
        fit = sel.model.fit()
        np.testing.assert_allclose(cc.ar_params, fit.params[1:], atol=TOL)
        # Both series through x's filter; x's filtered values are AutoReg's residuals.
        phi = np.asarray(cc.ar_params)
        p = len(phi)
        yv = y.to_numpy()
        yf = yv[p:] - sum(phi[j] * yv[p - 1 - j : len(yv) - 1 - j] for j in range(p))
        expected = ccf(yf, fit.resid, adjusted=False, fft=False, nlags=5)
        np.testing.assert_allclose(cc.table.loc[0:4, "r"], expected, atol=TOL)
    else:
        assert which == "preis"  # BIC finds no AR structure in weekly log changes of "stocks"
    assert cc.n == len(x) - cc.ar_order
    assert cc.bartlett_factor == 1.0
    np.testing.assert_allclose(cc.table["band_high"], 1.959963984540054 / np.sqrt(cc.n))


def test_bartlett_band_for_two_ar1_series_is_three_times_the_naive_one():
    phi = 0.9
    theory = np.sqrt((1 + phi**2) / (1 - phi**2))
    assert theory == pytest.approx(3.09, abs=0.01)
    rng = np.random.default_rng(11)
    n = 5000  # long, so sample autocorrelations are close to the truth
    x, y = _ar1(n, phi, rng), _ar1(n, phi, rng)
    raw = _ccf_core(x, y, 2, prewhiten=False)
    assert raw["factor"] == pytest.approx(theory, rel=0.12)
    assert raw["se"] == pytest.approx(raw["factor"] / np.sqrt(n))
    # Prewhitening the same data: the AR(1) is recovered and bands are back to 1/sqrt(n).
    pw = _ccf_core(x, y, 2, prewhiten=True)
    assert pw["ar_order"] >= 1 and pw["ar_params"][0] == pytest.approx(phi, abs=0.05)
    assert pw["factor"] == 1.0 and pw["se"] == pytest.approx(1 / np.sqrt(n - pw["ar_order"]))


def test_naive_bands_fail_for_autocorrelated_series_and_honest_bands_hold():
    """Independent AR(1) pairs, phi = 0.9: how often does lag 0 look significant?"""
    rng = np.random.default_rng(2024)
    n, reps = 200, 300
    naive = bartlett = prewhitened = 0
    factors = []
    for _ in range(reps):
        x, y = _ar1(n, 0.9, rng), _ar1(n, 0.9, rng)
        raw = _ccf_core(x, y, 0, prewhiten=False)
        r0 = raw["r"][0]
        naive += abs(r0) > 1.96 / np.sqrt(n)
        bartlett += raw["p"][0] < 0.05
        factors.append(raw["factor"])
        prewhitened += _ccf_core(x, y, 0, prewhiten=True)["p"][0] < 0.05
    naive, bartlett, prewhitened = naive / reps, bartlett / reps, prewhitened / reps
    assert naive > 0.35  # theory: P(|Z| > 1.96/3.09) = 0.53
    assert 0.02 <= prewhitened <= 0.09
    assert bartlett <= 0.10
    assert 2.3 < np.mean(factors) < 3.4  # sample autocorrelations shrink a little at n = 200


@pytest.mark.filterwarnings("ignore::attention.NonStationaryWarning")  # phi = 0.9 at n = 200 often fails ADF
def test_public_function_equals_the_simulated_core():
    rng = np.random.default_rng(1)
    x, y = _ar1(200, 0.9, rng), _ar1(200, 0.9, rng)
    idx = _weeks(200)
    for pw in (True, False):
        cc = cross_correlation(pd.Series(x, idx), pd.Series(y, idx), max_lag=3, prewhiten=pw)
        core = _ccf_core(x, y, 3, pw)
        np.testing.assert_allclose(cc.table["r"], core["r"])
        np.testing.assert_allclose(cc.table["p_value"], core["p"])


@pytest.mark.parametrize("shift", [2, -3])
def test_a_known_lead_is_found_at_its_lag(shift):
    rng = np.random.default_rng(7)
    idx = _weeks(400)
    x = pd.Series(_ar1(400, 0.7, rng), idx, name="searches")
    y = (-0.5 * x.shift(shift) + pd.Series(rng.normal(size=400), idx)).rename("returns")
    cc = cross_correlation(x, y, max_lag=5)
    assert cc.peak_lag == shift
    assert cc.table.loc[shift, "r"] < 0 and cc.table.loc[shift, "significant"]
    assert cc.significant_lags == [shift]
    assert f"{shift:+d}" in cc.summary().split("Largest |r| at lag")[1]


def test_cross_correlation_result_views(weekly, close_figures):
    d = weekly.dropna()
    cc = cross_correlation(d["stocks"], d["DJIA"])
    assert isinstance(cc, CrossCorrelationResult)
    t = cc.to_frame()
    assert list(t.index) == list(range(-8, 9)) and t.index.name == "lag"
    assert {"r", "band_low", "band_high", "significant", "p_value", "p_holm"} <= set(t.columns)
    np.testing.assert_allclose(t["p_holm"], holm(t["p_value"]))
    text = cc.summary()
    assert "'stocks' leads 'DJIA'" in text and f"n = {cc.n}" in text and "1.96/sqrt(n)" in text
    assert "<pre>" in cc._repr_html_()
    fig = cc.plot()
    assert len(fig.axes) == 1
    with pytest.raises(Exception):
        cc.n = 3  # frozen


def test_nonstationary_inputs_warn():
    x, y = _walks(300, np.random.default_rng(0))
    with pytest.warns(NonStationaryWarning, match="changes"):
        cross_correlation(x, y)


# ---------------------------------------------------------------- bad input


def _good(n=120):
    rng = np.random.default_rng(0)
    return tuple(pd.Series(rng.normal(size=n), _weeks(n), name=k) for k in ("a", "b"))


def _with_nan(s):
    s = s.copy()
    s.iloc[50] = np.nan
    return s


def _with_dup(s):
    return pd.concat([s.iloc[:60], s.iloc[59:]])


def _daily(s):
    days = pd.date_range(s.index[0], periods=len(s) * 7)
    return pd.Series(np.random.default_rng(1).normal(size=len(days)), days)


def _missing_week(s):
    return s.drop(s.index[40])


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda a: pd.Series(0.17, a.index), "the series is constant .*pick a more searched term"),
        (lambda a: a.iloc[:15], "need at least .* Lower the lags or use a longer sample"),
        (_with_nan, "1 date.*inside the common sample have a missing value.*interpolate"),
        (_with_dup, "duplicate date.*groupby\\(level=0\\)"),
        (_daily, "share dates but not a frequency.*Mixed frequencies.*to_google_weeks"),
        (_missing_week, "skip 1 period.*Reindex|missing value.*interpolate"),
        (lambda a: a.set_axis(a.index + pd.Timedelta(days=5)), "Sunday never meets one labelled Friday"),
    ],
    ids=["constant", "short", "nan-gap", "duplicates", "frequencies", "missing-week", "anchors"],
)
@pytest.mark.parametrize("func", ["ccf", "var", "ty"])
def test_bad_input_raises_data_error_saying_what_to_do(make, match, func):
    a, b = _good()
    bad = make(b)
    with pytest.raises(DataError, match=match), warnings.catch_warnings():
        warnings.simplefilter("ignore", NonStationaryWarning)
        if func == "ccf":
            cross_correlation(a, bad, max_lag=4)
        elif func == "var":
            var_analysis(pd.concat({"a": a, "b": bad}, axis=1, sort=True), max_lags=4)
        else:
            toda_yamamoto(a, bad, max_lags=4)


def test_leading_and_trailing_nan_are_trimmed_not_errors():
    a, b = _good()
    b = b.copy()
    b.iloc[:3] = np.nan
    b.iloc[-2:] = np.nan
    assert cross_correlation(a, b, max_lag=3).n == 115


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"max_lag": 0}, "max_lag"),
        ({"max_lag": 2.5}, "max_lag"),
        ({"prewhiten": "yes"}, "prewhiten"),
    ],
)
def test_bad_arguments(kwargs, match):
    a, b = _good()
    with pytest.raises(DataError, match=match):
        cross_correlation(a, b, **kwargs)


# ---------------------------------------------------------------- var_analysis


def test_var_agrees_with_statsmodels_on_real_data(weekly, var_result, statsmodels_var):
    v = var_result
    sel = statsmodels_var.select_order(maxlags=8, trend="c")
    assert v.p == sel.selected_orders["bic"] == 1
    assert v.selected == {k: int(sel.selected_orders[k]) for k in ("aic", "bic", "hqic", "fpe")}
    for k in ("aic", "bic", "hqic", "fpe"):
        np.testing.assert_allclose(v.lag_selection[k], sel.ics[k], rtol=TOL, atol=TOL)
    res = statsmodels_var.fit(v.p, trend="c")
    assert v.n_obs == res.nobs
    for name, row in v.causality.iterrows():
        ct = res.test_causality(caused=row.effect, causing=row.cause, kind="f")
        assert row.F == pytest.approx(ct.test_statistic, rel=TOL, abs=TOL), name
        assert row.p_value == pytest.approx(ct.pvalue, rel=TOL, abs=TOL), name
        assert (row.df_num, row.df_denom) == tuple(ct.df)
    assert len(v.causality) == 6
    np.testing.assert_allclose(v.causality["p_holm"], holm(v.causality["p_value"]))
    wt = res.test_whiteness(nlags=v.whiteness["nlags"], adjusted=True)
    assert v.whiteness["statistic"] == pytest.approx(wt.test_statistic, rel=TOL)
    assert v.normality["p_value"] == pytest.approx(res.test_normality().pvalue, abs=TOL)
    assert v.stable == res.is_stable() and v.max_modulus == pytest.approx(1 / np.abs(res.roots).min())
    # What the data say: the week's searches for "stocks" precede lower returns (Preis et al. 2013).
    assert v.causality.loc["stocks -> DJIA", "p_holm"] < 0.05


def test_var_partial_r2_is_the_single_equation_ssr_ratio(weekly, var_result):
    import statsmodels.api as sm

    d = weekly.dropna()
    y = d["DJIA"].iloc[1:].to_numpy()
    own = d[["SPY", "DJIA"]].shift(1).iloc[1:].to_numpy()
    full = sm.OLS(y, sm.add_constant(np.column_stack([d["stocks"].shift(1).iloc[1:], own]))).fit()
    restricted = sm.OLS(y, sm.add_constant(own)).fit()
    expected = (restricted.ssr - full.ssr) / restricted.ssr
    assert var_result.causality.loc["stocks -> DJIA", "partial_r2"] == pytest.approx(expected, rel=1e-10)


def test_var_result_views(var_result, close_figures):
    v = var_result
    assert isinstance(v, VarResult)
    text = v.summary()
    parts = ("VAR(1)", "lag order by BIC: 1", "portmanteau", "Jarque-Bera", "stable", "Holm", "partial R2")
    for part in (*parts, f"n = {v.n_obs}"):
        assert part in text, part
    assert list(v.to_frame().columns[:2]) == ["cause", "effect"]
    assert "<pre>" in v._repr_html_()
    assert len(v.plot().axes) >= 2


def test_irf_point_estimates_and_asymptotic_bands_equal_statsmodels(weekly, var_result):
    from statsmodels.tsa.vector_ar.var_model import VAR

    d = weekly.dropna().reset_index(drop=True)
    ir = var_result.irf(periods=6, bands="asymptotic")
    assert ir.orderings == (("stocks", "SPY", "DJIA"), ("DJIA", "SPY", "stocks"))
    for ordering in ir.orderings:
        sm_irf = VAR(d[list(ordering)]).fit(1).irf(6)
        se = sm_irf.stderr(orth=True)
        cse = sm_irf.cum_effect_stderr(orth=True)
        rows = ir.table[ir.table["ordering"] == " > ".join(ordering)]
        for i, resp in enumerate(ordering):
            for j, imp in enumerate(ordering):
                r = rows[(rows["impulse"] == imp) & (rows["response"] == resp)].sort_values("horizon")
                np.testing.assert_allclose(r["response_value"], sm_irf.orth_irfs[:, i, j], atol=TOL)
                np.testing.assert_allclose(r["cumulative"], sm_irf.orth_cum_effects[:, i, j], atol=TOL)
                np.testing.assert_allclose(r["upper"] - r["response_value"], 1.959963984540054 * se[:, i, j],
                                           atol=TOL)
                np.testing.assert_allclose(r["cumulative"] - r["cum_lower"], 1.959963984540054 * cse[:, i, j],
                                           atol=TOL)
    # The orderings disagree on impact: in the first, DJIA cannot move "stocks" in the same week.
    t = ir.table
    at0 = t[(t["horizon"] == 0) & (t["impulse"] == "DJIA") & (t["response"] == "stocks")]
    assert at0["response_value"].iloc[0] == 0 and at0["response_value"].iloc[1] != 0


def test_irf_bootstrap_bands(var_result, close_figures):
    ir = var_result.irf(periods=8, repl=200, seed=3)
    again = var_result.irf(periods=8, repl=200, seed=3)
    assert isinstance(ir, ImpulseResponseResult)
    pd.testing.assert_frame_equal(ir.table, again.table)
    t = ir.table
    assert len(t) == 2 * 9 * 9
    assert (t["lower"] <= t["upper"]).all() and (t["cum_lower"] <= t["cum_upper"]).all()
    inside = (t["lower"] <= t["response_value"] + 1e-12) & (t["response_value"] <= t["upper"] + 1e-12)
    assert inside.mean() > 0.9
    for _, g in t.groupby(["ordering", "impulse", "response"]):
        np.testing.assert_allclose(g.sort_values("horizon")["response_value"].cumsum(),
                                   g.sort_values("horizon")["cumulative"])
    # A stationary VAR's responses die out; so does the band.
    last = t[t["horizon"] == 8]
    assert (last["upper"] - last["lower"]).max() < 0.01
    assert "residual bootstrap, 200 replications" in ir.summary()
    assert len(ir.plot().axes) == 9


def test_irf_custom_orderings_and_bad_arguments(var_result):
    # by name, by position, and a repeat (dropped)
    orderings = [["SPY", "stocks", "DJIA"], [2, 0, 1], ["SPY", "stocks", "DJIA"]]
    ir = var_result.irf(periods=3, orderings=orderings, bands="asymptotic")
    assert ir.orderings == (("SPY", "stocks", "DJIA"), ("DJIA", "stocks", "SPY"))
    with pytest.raises(DataError, match="bands"):
        var_result.irf(bands="mc")
    with pytest.raises(DataError, match="not in"):
        var_result.irf(orderings=[["SPY", "stocks", "nope"]])
    with pytest.raises(DataError, match="not an ordering"):
        var_result.irf(orderings=[["SPY", "stocks"]])
    with pytest.raises(DataError, match="repl"):
        var_result.irf(repl=5)


@pytest.mark.parametrize("trend", ["n", "ct"])
def test_other_trends_agree_with_statsmodels(trend):
    from statsmodels.tsa.vector_ar.var_model import VAR

    rng = np.random.default_rng(0)
    n = 250
    e = rng.normal(size=(n, 2))
    y = np.zeros((n, 2))
    for t in range(2, n):
        y[t, 0] = 0.5 * y[t - 1, 0] - 0.2 * y[t - 2, 0] + 0.3 * y[t - 1, 1] + e[t, 0]
        y[t, 1] = 0.4 * y[t - 1, 1] + 0.2 * y[t - 2, 0] + e[t, 1]
    data = pd.DataFrame(y, _weeks(n), columns=["a", "b"])
    v = var_analysis(data, max_lags=4, trend=trend)
    res = VAR(data.reset_index(drop=True)).fit(v.p, trend=trend)
    assert v.p == VAR(data.reset_index(drop=True)).select_order(4, trend=trend).selected_orders["bic"]
    ct = res.test_causality(caused="a", causing="b", kind="f")
    assert v.causality.loc["b -> a", "F"] == pytest.approx(ct.test_statistic, rel=TOL)
    t = var_analysis(data, max_lags=4, trend=trend).irf(periods=4, repl=50, seed=0).table
    t = t[t["ordering"] == "a > b"]
    got = t.set_index(["horizon", "response", "impulse"])["response_value"]
    for h in range(5):
        for i, resp in enumerate("ab"):
            for j, imp in enumerate("ab"):
                assert got[(h, resp, imp)] == pytest.approx(res.irf(4).orth_irfs[h, i, j], abs=TOL)


def test_an_explosive_var_is_called_unstable():
    rng = np.random.default_rng(0)
    n = 200
    e = rng.normal(size=(n, 2))
    y = np.zeros((n, 2))
    for t in range(1, n):
        y[t] = [1.03 * y[t - 1, 0] + e[t, 0], 0.5 * y[t - 1, 1] + 0.3 * y[t - 1, 0] + e[t, 1]]
    data = pd.DataFrame(y, _weeks(n), columns=["a", "b"])
    with pytest.warns(NonStationaryWarning, match="toda_yamamoto"):
        v = var_analysis(data, max_lags=4)
    assert not v.stable and v.max_modulus > 1
    assert "UNSTABLE" in v.summary()


def test_bic_choosing_zero_lags_is_reported():
    a, b = _good(300)
    v = var_analysis(pd.DataFrame({"a": a, "b": b}), max_lags=4)
    assert v.selected["bic"] == 0 and v.p == 1
    assert "chose 0 lags" in v.summary()


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"ic": "r2"}, "ic"),
        ({"trend": "t"}, "trend"),
        ({"max_lags": 0}, "max_lags"),
        ({"max_lags": 40}, "need at least"),
    ],
)
def test_var_bad_arguments(kwargs, match):
    a, b = _good()
    with pytest.raises(DataError, match=match):
        var_analysis(pd.DataFrame({"a": a, "b": b}), **kwargs)


def test_var_needs_a_frame_of_two_columns():
    a, _ = _good()
    with pytest.raises(DataError, match="DataFrame"):
        var_analysis(a)
    with pytest.raises(DataError, match="at least two columns"):
        var_analysis(a.to_frame())


# ---------------------------------------------------------------- Toda-Yamamoto


def test_toda_yamamoto_equals_a_statsmodels_wald_test(preis):
    import statsmodels.api as sm
    from statsmodels.tsa.vector_ar.var_model import VAR

    cause = np.log(preis["stocks"]).rename("stocks")
    effect = np.log(preis["djia_close"]).rename("DJIA")
    ty = toda_yamamoto(cause, effect)
    levels = pd.DataFrame({"stocks": cause, "DJIA": effect}).reset_index(drop=True)
    assert ty.d_max == 1 and not ty.d_max_given
    assert ty.p == max(1, VAR(levels).select_order(8).selected_orders["bic"])
    np.testing.assert_allclose(ty.lag_selection["bic"], VAR(levels).select_order(8).ics["bic"], atol=TOL)
    m = ty.p + ty.d_max
    lags = pd.concat({f"{c}.L{k}": levels[c].shift(k) for k in range(1, m + 1) for c in levels}, axis=1)
    X = sm.add_constant(lags.iloc[m:])
    ols = sm.OLS(levels["DJIA"].iloc[m:], X).fit()
    R = np.zeros((ty.p, X.shape[1]))
    for k in range(ty.p):
        R[k, list(X.columns).index(f"stocks.L{k + 1}")] = 1
    w = ols.wald_test(R, use_f=False, scalar=True)
    assert ty.wald == pytest.approx(w.statistic, rel=TOL)
    assert ty.p_value == pytest.approx(w.pvalue, rel=TOL, abs=1e-12)
    assert ty.n_obs == ols.nobs and ty.df == ty.p
    np.testing.assert_allclose(ty.coefficients["coef"], [ols.params[f"stocks.L{k}"] for k in range(1, m + 1)],
                               atol=TOL)
    np.testing.assert_allclose(ty.coefficients["se"], [ols.bse[f"stocks.L{k}"] for k in range(1, m + 1)],
                               atol=TOL)


def test_toda_yamamoto_has_its_nominal_size_on_independent_random_walks():
    rng = np.random.default_rng(12)
    reps, n = 200, 150
    walks = np.cumsum(rng.normal(size=(reps, n, 2)), axis=1)
    p_values = np.array([_ty_core(w, 4, 1)["p_value"] for w in walks])
    assert 0.02 <= np.mean(p_values < 0.05) <= 0.10
    # The public function runs exactly this computation.
    idx = _weeks(n)
    ty = toda_yamamoto(pd.Series(walks[0, :, 0], idx), pd.Series(walks[0, :, 1], idx), max_lags=4, d_max=1)
    assert ty.p_value == p_values[0]


def test_toda_yamamoto_rejects_on_a_cointegrated_causal_pair():
    rng = np.random.default_rng(4)
    n = 250
    x = np.cumsum(rng.normal(size=n))
    y = np.zeros(n)
    for t in range(1, n):
        # y tracks x with a lag: both I(1), cointegrated.
        y[t] = 0.6 * y[t - 1] + 0.4 * x[t - 1] + rng.normal()
    idx = _weeks(n)
    ty = toda_yamamoto(pd.Series(x, idx, name="x"), pd.Series(y, idx, name="y"))
    assert ty.d_max == 1 and ty.rejects and ty.p_value < 1e-3
    back = toda_yamamoto(pd.Series(y, idx, name="y"), pd.Series(x, idx, name="x"), d_max=1)
    assert not back.rejects


def test_toda_yamamoto_estimates_d_max_from_adf_and_kpss():
    rng = np.random.default_rng(9)
    n = 300
    idx = _weeks(n)
    noise = pd.Series(rng.normal(size=n), idx, name="noise")
    walk = pd.Series(np.cumsum(rng.normal(size=n)), idx, name="walk")
    i2 = pd.Series(np.cumsum(np.cumsum(rng.normal(size=n))), idx, name="i2")
    assert toda_yamamoto(noise, noise.shift(1).bfill().rename("lagged") + rng.normal(size=n)).d_max == 0
    ty = toda_yamamoto(walk, noise)
    assert ty.d_max == 1
    assert ty.integration.groupby("series")["d"].first().to_dict() == {"walk": 1, "noise": 0}
    assert toda_yamamoto(i2, walk).d_max == 2


def test_toda_yamamoto_views(preis, close_figures):
    ty = toda_yamamoto(np.log(preis["stocks"]).rename("stocks"), np.log(preis["djia_close"]).rename("DJIA"))
    assert isinstance(ty, TodaYamamotoResult)
    text = ty.summary()
    parts = ("Wald chi2(1)", "d_max = 1", "stocks I(1), DJIA I(1)", "partial R2", "augmentation (not tested)")
    for part in (*parts, f"n = {ty.n_obs}"):
        assert part in text, part
    f = ty.to_frame()
    assert f.loc["stocks -> DJIA", "lags_in_var"] == ty.p + ty.d_max
    assert "<pre>" in ty._repr_html_()
    assert len(ty.plot().axes) == 1


def test_toda_yamamoto_bad_d_max():
    a, b = _good()
    with pytest.raises(DataError, match="d_max"):
        toda_yamamoto(a, b, d_max=-1)


# ---------------------------------------------------------------- the documented example


def test_docs_example_runs_and_prints_the_quoted_numbers(tmp_path, monkeypatch, capsys, close_figures):
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parent.parent / "docs" / "leadlag.md").read_text(encoding="utf-8")
    blocks = [textwrap.dedent(b) for b in re.findall(r"```python\n(.*?)```", doc, re.S)]
    assert len(blocks) == 2
    monkeypatch.chdir(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonStationaryWarning)  # the sub-samples are short
        namespace: dict = {}
        for block in blocks:
            exec(compile(block, "docs/leadlag.md", "exec"), namespace)
    out = capsys.readouterr().out
    for quoted in (
        "Largest |r| at lag +1 ('stocks' leads): r = -0.191, p <0.001, Holm p 0.004.",
        "Lags significant after Holm across 17 lags: +1, +5.",
        "raw: Bartlett factor 1.02, r at lag +1 = -0.191",
        "lag order by BIC: 1 (AIC 6, BIC 1, HQIC 5, FPE 6; tried 0..8)",
        "chi2(81) = 260.72, p <0.001",
        "stocks -> DJIA                       10.903     1,1101   <0.001    0.004      0.0289",
        "DJIA -> SPY                          25.408     1,1101   <0.001   <0.001      0.0647",
        "AIC: VAR(6), whiteness p = 0.0039, stocks -> DJIA Holm p = 0.0001",
        "DJIA > SPY > stocks          stocks -> DJIA                  +0.0000    -0.0041 [-0.0068,-0.0016] *",
        "stocks > SPY > DJIA          stocks -> SPY                   -0.0010    -0.0050 [-0.0109,-0.0001] *",
        "Wald chi2(1) = 15.457, p <0.001; partial R2 = 0.0405",
        "reverse: DJIA -> stocks chi2(1) = 0.39, p = 0.530",
        "None 2007-12-31 208 [-0.154, -0.001]",
        "2008-01-01 2009-06-30 78 [-0.286, -0.314]",
        "2009-07-01 None 86 [0.023, -0.11]",
    ):
        assert quoted in out, quoted
        if not quoted.startswith(("None", "2008", "2009")):
            assert quoted.split("  ")[0].strip() in doc, quoted
    assert (tmp_path / "cross_correlation.png").stat().st_size > 10_000
