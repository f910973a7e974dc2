"""The loop test's robust statistic, controls, effect intervals, minimum detectable effects and conclusions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from attention import feedback_loop
from attention.errors import DataError
from attention.testing import planted_loop

B = 99

pytestmark = pytest.mark.filterwarnings("ignore::attention.errors.NonStationaryWarning")


def _weeks(n):
    return pd.date_range("2001-01-07", periods=n, freq="W-SUN")


def _noise(n, seed):
    rng = np.random.default_rng(seed)
    return tuple(pd.Series(rng.normal(size=n), _weeks(n), name=k) for k in ("searches", "returns", "flows"))


def _shared_volatility(n, seed):
    """Independent AR(1)s whose shocks share one stochastic volatility (log-vol AR 0.98, sd 1)."""
    rng = np.random.default_rng(seed)
    h = np.zeros(n + 200)
    for t in range(1, n + 200):
        h[t] = 0.98 * h[t - 1] + rng.normal() * np.sqrt(1 - 0.98**2)
    shocks = rng.normal(size=(n + 200, 3)) * np.exp(h)[:, None]
    x = np.zeros_like(shocks)
    for t in range(1, n + 200):
        x[t] = np.array([0.3, 0.0, 0.5]) * x[t - 1] + shocks[t]
    return tuple(pd.Series(x[200:, i], _weeks(n), name=k) for i, k in enumerate(("searches", "returns", "flows")))


@pytest.fixture(scope="module")
def loop():
    a, r, f = planted_loop(400, 0.3, np.random.default_rng(0))
    idx = _weeks(400)
    return feedback_loop(pd.Series(a, idx), pd.Series(r, idx), pd.Series(f, idx), n_surrogates=199, seed=0)


def test_result_says_what_it_controlled_for(loop):
    assert loop.controls == ("volatility: lags of |returns|",) and loop.se == "hc3"
    assert "controls in every link: volatility: lags of |returns|" in loop.summary()
    bare = feedback_loop(*_noise(200, 1), n_surrogates=B, seed=0, controls=None)
    assert bare.controls == () and "controls in every link: none" in bare.summary()
    both = feedback_loop(*_noise(200, 1), n_surrogates=B, seed=0, controls=["third", "volatility"])
    assert both.controls == ("the third loop variable's lags", "volatility: lags of |returns|")


def test_a_control_series_is_the_same_regression_as_the_named_control():
    a, r, f = _shared_volatility(300, 2)
    named = feedback_loop(a, r, f, n_surrogates=B, seed=3)
    own = feedback_loop(a, r, f, n_surrogates=B, seed=3, controls=r.abs().rename("abs_r"))
    cols = ["effect_size", "se", "t_stat", "p_surrogate", "ci_low", "ci_high"]
    pd.testing.assert_frame_equal(named.links[cols], own.links[cols])
    assert own.controls == ("lags of control['abs_r']",)


def test_controls_move_the_estimate_only_through_what_they_explain():
    a, r, f = _shared_volatility(300, 4)
    none = feedback_loop(a, r, f, n_surrogates=B, seed=0, controls=None)
    vol = feedback_loop(a, r, f, n_surrogates=B, seed=0)
    assert not np.allclose(none.links["effect_size"], vol.links["effect_size"])
    # a control orthogonal to everything in sample changes nothing but the degrees of freedom
    rng = np.random.default_rng(9)
    z = pd.Series(rng.normal(size=300), a.index)
    noisy = feedback_loop(a, r, f, n_surrogates=B, seed=0, controls=z)
    assert np.allclose(noisy.links["effect_size"], none.links["effect_size"], atol=0.05)


def test_interval_agrees_with_the_test(loop):
    """The interval's end on the claimed side excludes 0 exactly when the link holds, for either claimed sign."""
    results = [loop] + [feedback_loop(*_noise(250, s), n_surrogates=B, seed=s, signs=sg)
                        for s, sg in ((5, (1, 1, 1)), (6, (-1, 1, -1)), (7, (1, -1, 1)))]
    for res in results:
        links = res.links
        claimed_low = np.where(links["expected_sign"] > 0, links["ci_low"], -links["ci_high"])
        assert ((claimed_low > 0) == links["holds"]).all()
        assert (links["ci_low"] <= links["effect_size"]).all() and (links["effect_size"] <= links["ci_high"]).all()
        assert ((links["conclusion"] == "supported") == links["holds"]).all()
    assert (loop.links["conclusion"] == "supported").all() and loop.conclusion == "supported"


def test_minimum_detectable_effect_is_the_surrogate_critical_value_plus_power(loop):
    for name, r in loop.links.iterrows():
        null = np.sort(loop.null[name])
        critical = null[len(null) - int(0.05 * (len(null) + 1))]
        assert r["mde"] == pytest.approx((critical + 0.8416212335729143) * r["se"], rel=1e-9)
    small = feedback_loop(*_noise(100, 8), n_surrogates=B, seed=0)
    large = feedback_loop(*_noise(900, 8), n_surrogates=B, seed=0)
    ratio = small.links["mde"].mean() / large.links["mde"].mean()
    assert 2 < ratio < 4.5  # about sqrt(9) = 3: nine times the data, a third of the detectable effect


@pytest.mark.parametrize(
    ("n", "conclusion", "phrase"),
    [(60, "inconclusive", "but are too few to rule it out"), (800, "ruled out", "and rule it out as claimed")],
)
def test_no_evidence_is_told_apart_from_too_little_data(n, conclusion, phrase):
    res = feedback_loop(*_noise(n, 1), n_surrogates=B, seed=0)
    assert not res.supported and res.conclusion == conclusion
    assert phrase in res.verdict and res.verdict in res.summary()
    links = res.links
    bound = np.where(links["expected_sign"] > 0, links["ci_high"], -links["ci_low"])
    assert np.allclose(links["effect_bound"], bound)
    expected = np.where(links["holds"], "supported", np.where(bound < 0.1, "ruled out", "inconclusive"))
    assert (links["conclusion"] == expected).all()
    # a looser bar for what is worth finding turns inconclusive links into ruled-out ones, never the reverse
    loose = feedback_loop(*_noise(n, 1), n_surrogates=B, seed=0, min_effect=5.0)
    assert (loose.links["conclusion"] == np.where(links["holds"], "supported", "ruled out")).all()
    assert loose.min_effect == 5.0
    assert res.to_frame()["conclusion"].tolist() == links["conclusion"].tolist()


def test_near_perfect_fit_gives_one_answer():
    """A link that holds up to 1e-12 noise is decisive for every p-value in the row, not 1.0 beside 0."""
    rng = np.random.default_rng(3)
    idx = _weeks(400)
    a = pd.Series(rng.normal(size=400), idx)
    r = pd.Series(rng.normal(size=400), idx)
    f = 0.5 * a.shift(1) + 1e-12 * pd.Series(rng.normal(size=400), idx)
    row = feedback_loop(a, r, f, lags=1, n_surrogates=B, seed=0).links.loc["attention -> flows"]
    assert row["p_surrogate"] == 1 / (B + 1) and row["p_granger"] < 1e-12 and row["p_t"] < 1e-12
    assert row["t_stat"] > 1e6 and row["conclusion"] == "supported"
    assert row["effect_size"] == pytest.approx(1.0, abs=0.02)  # f = 0.5 a(t-1): one sd of a moves f by one sd of f


def test_classical_studentisation_is_kept_as_an_option():
    a, r, f = _shared_volatility(300, 5)
    robust = feedback_loop(a, r, f, n_surrogates=B, seed=0, controls=None)
    classic = feedback_loop(a, r, f, n_surrogates=B, seed=0, controls=None, se="classical")
    # same estimates, different standard errors
    assert np.allclose(robust.links["effect_size"], classic.links["effect_size"])
    assert not np.allclose(robust.links["se"], classic.links["se"])
    assert classic.se == "classical" and "classical t" in classic.summary()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"controls": "vix"}, "controls: expected 'volatility', 'third'"),
        ({"controls": ["volatility", "volatility"]}, "controls: .* is given twice"),
        ({"controls": 3}, "controls: expected"),
        ({"se": "hac"}, "se: expected 'hc3', 'hc1' or 'classical'"),
        ({"min_effect": 0}, "min_effect: expected a positive number"),
        ({"min_effect": "0.1"}, "min_effect: expected a positive number"),
        ({"alpha": 0.5}, "alpha: expected a number between 0 and 0.5"),
    ],
)
def test_bad_options_name_the_argument(kwargs, message):
    with pytest.raises(DataError, match=message):
        feedback_loop(*_noise(200, 1), n_surrogates=B, seed=0, **kwargs)


def test_a_control_that_copies_the_effect_is_refused():
    a, r, f = _noise(200, 1)
    with pytest.raises(DataError, match="flows: its own lags and the controls' lags are collinear"):
        feedback_loop(a, r, f, n_surrogates=B, seed=0, controls=f.rename("copy"))
    short = pd.Series(np.random.default_rng(0).normal(size=100), _weeks(100))
    with pytest.raises(DataError, match=r"control\[0\] is dates 14 days apart"):
        feedback_loop(a, r, f, n_surrogates=B, seed=0, controls=short.iloc[::2])
