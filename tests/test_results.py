"""Every result object: a one-line repr, equality by value, no hash, JSON for machines."""

from __future__ import annotations

import dataclasses
import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest

import attention
from attention._results import ResultMixin, jsonable, stationarity_caution, values_equal
from attention.claims import Claims
from attention.correlation._screen import LoopScreen, bh_screen
from attention.errors import NonStationaryWarning


def _weeks(n, start="2015-01-04"):
    return pd.date_range(start, periods=n, freq="W-SUN")


def _loop_inputs(n=160, seed=0):
    rng = np.random.default_rng(seed)
    idx = _weeks(n)
    a, r, f = (pd.Series(rng.normal(size=n), idx, name=k) for k in ("attention", "returns", "flows"))
    return a, r, f


def _make(kind):
    """One small, real result of each class (built twice, from the same inputs, to compare)."""
    a, r, f = _loop_inputs()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonStationaryWarning)
        if kind == "granger":
            return attention.granger(a, r, max_lag=2)
        if kind == "loop":
            return attention.feedback_loop(a, r, f, n_surrogates=19, seed=1)
        if kind == "rotation":
            share = pd.Series(np.clip(0.5 + 0.1 * np.cumsum(a.to_numpy()) / 20, 0.05, 0.95), a.index, name="share")
            return attention.rotation_test(share, r, n_surrogates=19, seed=1)
        if kind == "rolling":
            return attention.rolling_stability(a, r, f, window=60, step=20)
        if kind == "ccf":
            return attention.cross_correlation(a, r, max_lag=3)
        if kind == "var":
            return attention.var_analysis(pd.DataFrame({"a": a, "r": r}), max_lags=2)
        if kind == "irf":
            return attention.var_analysis(pd.DataFrame({"a": a, "r": r}), max_lags=2).irf(4, repl=20, seed=0)
        if kind == "ty":
            return attention.toda_yamamoto(a.cumsum(), r.cumsum(), max_lags=2, d_max=1)
        if kind == "backtest":
            return attention.preis2013("debt", 3)
        if kind == "screen":
            table = pd.DataFrame({"p_loop": [0.01, 0.2, 0.04], "returns -> attention": [0.1, 0.2, 0.3],
                                  "attention -> flows": [0.1, 0.0, -0.1], "flows -> returns": [0.2, 0.1, 0.0],
                                  "n": [100, 100, 100]},
                                 index=pd.MultiIndex.from_tuples([("a", "SPY"), ("b", "SPY"), ("c", "IWM")]))
            return LoopScreen(bh_screen(table))
    raise AssertionError(kind)


KINDS = ["granger", "loop", "rotation", "rolling", "ccf", "var", "irf", "ty", "backtest", "screen"]


@pytest.fixture(scope="module")
def claims():
    return attention.check_article(None, "2026-01-16", n_boot=200)


@pytest.mark.parametrize("kind", KINDS)
def test_repr_is_one_short_line_with_the_class_and_key_numbers(kind):
    res = _make(kind)
    text = repr(res)
    assert text.startswith(type(res).__name__ + "(") and text.endswith(")")
    assert "\n" not in text and len(text) < 220
    assert "DataFrame" not in text and "  " not in text  # no table dump


@pytest.mark.parametrize("kind", KINDS)
def test_equal_results_compare_equal_and_different_ones_do_not(kind):
    one, two = _make(kind), _make(kind)
    assert one is not two
    assert one == two and not (one != two)
    first = next(f.name for f in dataclasses.fields(one) if f.compare)
    value = getattr(one, first)
    if isinstance(value, pd.DataFrame) and value.select_dtypes("number").shape[1]:
        col = value.select_dtypes("number").columns[0]
        changed = value.copy()
        changed[col] = changed[col] + 1.0
    elif isinstance(value, str):
        changed = value + " (changed)"
    else:
        changed = None
    if changed is not None:
        assert one != dataclasses.replace(one, **{first: changed})
    assert one != "not a result"


@pytest.mark.parametrize("kind", KINDS)
def test_results_are_not_hashable(kind):
    with pytest.raises(TypeError):
        hash(_make(kind))


@pytest.mark.parametrize("kind", KINDS)
def test_to_json_is_strict_json_with_every_compared_field(kind):
    res = _make(kind)
    text = res.to_json()
    assert "NaN" not in text and "Infinity" not in text
    data = json.loads(text)
    assert data["type"] == type(res).__name__
    fields = {f.name for f in dataclasses.fields(res) if f.compare}
    assert fields <= set(data)
    assert res.to_dict()["type"] == data["type"]


def test_claims_protocol(claims):
    for claim in claims:
        assert "\n" not in repr(claim) and repr(claim).startswith(f"ClaimResult(id={claim.id!r}, claim=")
        assert json.loads(claim.to_json())["id"] == claim.id
    table = Claims(tuple(claims))
    assert table == Claims(tuple(claims))
    assert repr(table).startswith("Claims(ids=('ytd_gap', 'streak', ")
    data = json.loads(table.to_json())
    assert [c["id"] for c in data["claims"]] == list(table.ids)


def test_the_loop_json_keeps_its_numbers():
    res = _make("loop")
    data = json.loads(res.to_json())
    links = {row["index"]: row for row in data["links"]}
    assert set(links) == set(res.links.index)
    assert links["returns -> attention"]["p_surrogate"] == pytest.approx(res.links.loc["returns -> attention", "p_surrogate"])
    assert data["p_loop"] == pytest.approx(res.p_loop)
    assert len(data["null"]["returns -> attention"]) == 19


def test_json_turns_missing_values_into_null_and_dates_into_iso_strings():
    frame = pd.DataFrame({"x": [1.0, np.nan, np.inf]}, index=pd.DatetimeIndex(["2024-01-07", "2024-01-14", "2024-01-21"], name="date"))
    rows = jsonable(frame)
    assert rows == [{"date": "2024-01-07T00:00:00", "x": 1.0}, {"date": "2024-01-14T00:00:00", "x": None},
                    {"date": "2024-01-21T00:00:00", "x": None}]
    assert jsonable({("a", 1): np.float64("nan"), "t": pd.Timestamp("2024-01-07", tz="UTC")}) == {
        "a / 1": None, "t": "2024-01-07T00:00:00+00:00"}
    assert jsonable(np.array([1, 2])) == [1, 2] and jsonable(np.bool_(True)) is True


def test_values_equal_uses_tolerance_and_treats_nan_as_equal():
    a = pd.DataFrame({"x": [1.0, np.nan]})
    assert values_equal(a, a + 1e-12) and not values_equal(a, a + 1e-3)
    assert values_equal(np.array([1.0, np.nan]), np.array([1.0 + 1e-14, np.nan]))
    assert values_equal(math.nan, math.nan) and not values_equal(1.0, 1.1)
    assert not values_equal(a, a["x"])
    assert values_equal({"k": (1, 2.0)}, {"k": (1, 2.0 + 1e-15)})


def test_one_stationarity_caution_for_every_summary():
    table = pd.DataFrame({"stationary": [True, False]}, index=["a", "b"])
    assert stationarity_caution(table, "test changes") == ["Caution: ['b'] may not be stationary (ADF/KPSS); test changes."]
    assert stationarity_caution(table.assign(stationary=True)) == []


def test_every_public_result_class_uses_the_protocol():
    import attention.demo
    import attention.pipeline  # noqa: F401 - defines PipelineResult

    results = ResultMixin.__subclasses__()
    names = {c.__name__ for c in results}
    assert {"FeedbackLoopResult", "VarResult", "Claims", "LoopScreen", "DemoResult", "PipelineResult"} <= names
    assert len(results) >= 14
    for cls in results:
        params = cls.__dataclass_params__
        assert params.frozen and not params.eq and not params.repr, cls
        assert cls.__hash__ is None and cls.__eq__ is ResultMixin.__eq__, cls


@pytest.mark.parametrize(
    ("kind", "neighbours"),
    [("granger", ["feedback_loop", "surrogates"]), ("loop", ["Granger", "surrogates"]),
     ("rotation", ["feedback_loop", "Granger"]), ("ccf", ["granger", "feedback_loop"]),
     ("var", ["granger", "toda_yamamoto"]), ("ty", ["granger", "var_analysis"])],
)
def test_summaries_say_which_test_ran_and_how_it_differs_from_its_neighbours(kind, neighbours):
    text = " ".join(_make(kind).summary().split())
    assert "Test: " in text
    for name in neighbours:
        assert name in text, name
