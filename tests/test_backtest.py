"""The Preis, Moat & Stanley (2013) trading rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from attention import BacktestResult, DataError, preis2013, preis_delta, preis_strategy
from attention.backtest import PREIS2013_PUBLISHED


@pytest.fixture(scope="module")
def debt():
    return preis2013("debt", 3)


# ---------------------------------------------------------------- the paper's data


def test_preis2013_debt_on_the_embedded_data(debt):
    assert isinstance(debt, BacktestResult)
    assert (debt.term, debt.delta_t) == ("debt", 3)
    assert debt.total_return == pytest.approx(3.1416, abs=5e-4)  # ties go long
    assert debt.buy_and_hold_return == pytest.approx(0.1645, abs=5e-4)
    assert debt.price_rule_return == pytest.approx(0.3304, abs=5e-4)
    assert debt.n_ties == 12
    # The baselines match the paper's text: +16% and +33%.
    assert round(debt.buy_and_hold_return, 2) == PREIS2013_PUBLISHED["buy_and_hold"]
    assert round(debt.price_rule_return, 2) == PREIS2013_PUBLISHED["price_rule"]


def test_buy_and_hold_is_the_djia_over_the_traded_weeks(debt, preis):
    w = debt.weekly
    djia = preis["djia_close"]
    assert w.index[0] == pd.Timestamp("2004-01-25")  # the fourth week: three weeks of look-back
    assert w.index[-1] == pd.Timestamp("2011-02-13")  # the last week with a next price
    assert len(w) == 369
    start, end = djia.loc["2004-01-25"], djia.loc["2011-02-20"]
    assert debt.buy_and_hold_return == pytest.approx(end / start - 1, rel=1e-9)


def test_naive_tie_break_comes_close_to_the_paper(debt, preis):
    """Breaking the 12 exact ties by pandas' floating-point noise gives +325%, near the paper's +326%."""
    w = debt.weekly
    naive = np.where(w["signal"] > 0, -1.0, 1.0) * w["market_log_return"]
    total = float(np.expm1(naive.sum()))
    assert total == pytest.approx(3.246, abs=1e-3)
    assert abs(total - PREIS2013_PUBLISHED["strategy"]) < 0.02
    # The two results differ only on the tie weeks.
    ties = w["signal"].abs() <= 1e-9 * preis["debt"].max()
    assert ties.sum() == debt.n_ties
    differ = np.where(w["signal"] > 0, -1.0, 1.0) != w["position"].to_numpy()
    assert differ.sum() > 0 and (differ <= ties.to_numpy()).all()


def test_weekly_table_is_consistent(debt, preis):
    w = debt.weekly
    assert list(w.columns) == [
        "price", "signal", "position", "market_log_return", "price_rule_position", "log_return"
    ]
    assert set(np.unique(w["position"])) == {-1.0, 1.0}
    assert set(np.unique(w["price_rule_position"])) == {-1.0, 0.0, 1.0}
    assert (w["log_return"] == w["position"] * w["market_log_return"]).all()
    assert (w.loc[w["signal"] > 1e-9, "position"] == -1).all()  # rising searches: sell
    assert (w.loc[w["signal"] < -1e-9, "position"] == 1).all()
    assert debt.total_return == pytest.approx(np.expm1(w["log_return"].sum()), rel=1e-12)
    signal = preis_delta(preis["debt"], 3)
    pd.testing.assert_series_equal(w["signal"], signal.loc[w.index], check_names=False, check_freq=False)
    market = np.log(preis["djia_close"]).diff().shift(-1)
    assert w["market_log_return"].to_numpy() == pytest.approx(market.loc[w.index].to_numpy())
    assert int((w["position"] < 0).sum()) == 173


def test_significance_against_random_and_shifted_strategies(debt):
    w = debt.weekly
    r = w["market_log_return"].to_numpy()
    assert debt.z_random == pytest.approx(w["log_return"].sum() / np.sqrt(r @ r))
    assert debt.z_random == pytest.approx(2.905, abs=1e-3)
    # No circular shift of the positions beats the real timing: p = 1 / 369.
    assert debt.p_shift == pytest.approx(1 / 369)
    assert 0 < debt.p_shift <= 1


def test_result_views(debt, close_figures):
    import matplotlib.figure

    text = debt.summary()
    assert "+314.2%" in text and "+16.5%" in text and "+33.0%" in text
    assert "12 week(s) tie" in text
    assert "369 weekly trades" in text
    pd.testing.assert_frame_equal(debt.to_frame(), debt.weekly)
    assert "<table" in debt._repr_html_()
    assert isinstance(debt.plot(), matplotlib.figure.Figure)


@pytest.mark.parametrize("term", ["Debt", "bitcoin", "djia_close", "djia_date"])
def test_unknown_term_is_a_data_error(term):
    with pytest.raises(DataError, match="^term: .* is not one of the 98 Preis et al. terms"):
        preis2013(term, 3)


@pytest.mark.parametrize("delta_t", [0, -3, 1.5])
def test_bad_delta_t_is_a_data_error(delta_t):
    with pytest.raises(DataError, match="^delta_t: expected an integer >= 1"):
        preis2013("debt", delta_t)


def test_other_delta_t_and_terms_run(preis):
    r = preis2013("stocks", 5)
    assert len(r.weekly) == 373 - 5 - 1
    djia = preis["djia_close"]
    assert r.buy_and_hold_return == pytest.approx(djia.iloc[-1] / djia.iloc[5] - 1)


# ---------------------------------------------------------------- preis_strategy on synthetic data

SEARCH = pd.Series(
    [10, 10, 10, 13, 9, 10, 12, 12, 11, 13, 12, 10, 14, 11, 11, 12],
    index=pd.date_range("2026-01-04", periods=16, freq="W-SUN"),  # Google weeks, labelled by Sunday
    name="query",
    dtype=float,
)
# Hand-computed: delta_t = 3, n_t - mean(n_{t-1..t-3}) > 0 -> short; the tie on 2026-03-15 goes long.
POSITIONS = [-1, 1, 1, -1, -1, 1, -1, 1, 1, -1, 1, 1]
# First close after each search week (Sunday + 8 days is the next Monday; 2026-02-16 is a holiday).
ENTRY_DATES = pd.to_datetime(
    ["2026-02-02", "2026-02-09", "2026-02-17", "2026-02-23", "2026-03-02", "2026-03-09", "2026-03-16",
     "2026-03-23", "2026-03-30", "2026-04-06", "2026-04-13", "2026-04-20", "2026-04-27"]
)


def _price_of(dates):
    """Prices that encode their own date: 100 + days since 2026-01-01."""
    return 100.0 + (pd.DatetimeIndex(dates) - pd.Timestamp("2026-01-01")).days


@pytest.fixture(scope="module")
def prices():
    days = pd.bdate_range("2026-01-05", "2026-05-08").drop(pd.Timestamp("2026-02-16"))
    p = pd.Series(_price_of(days), index=days, name="close")
    # A Saturday close inside the search week of 2026-01-25 must not be traded on.
    p[pd.Timestamp("2026-01-31")] = 1e6
    return p.sort_index()


def test_preis_strategy_reproduces_hand_computed_positions(prices):
    r = preis_strategy(SEARCH, prices, delta_t=3)
    w = r.weekly
    assert r.term == "query"
    assert list(w.index) == list(SEARCH.index[3:15])
    assert w["position"].tolist() == POSITIONS
    assert r.n_ties == 1
    assert w.loc["2026-03-15", "signal"] == pytest.approx(0.0, abs=1e-12)
    assert w.loc["2026-01-25", "signal"] == pytest.approx(3.0)


def test_preis_strategy_trades_at_the_first_close_after_the_search_week(prices):
    w = preis_strategy(SEARCH, prices, delta_t=3).weekly
    assert w["price"].to_numpy() == pytest.approx(_price_of(ENTRY_DATES[:-1]).to_numpy())
    assert (w["price"] < 1e6).all()  # never the Saturday inside the week
    entry = _price_of(ENTRY_DATES).to_numpy()
    market = np.log(entry[1:] / entry[:-1])
    assert w["market_log_return"].to_numpy() == pytest.approx(market)


def test_preis_strategy_total_return(prices):
    r = preis_strategy(SEARCH, prices, delta_t=3)
    entry = _price_of(ENTRY_DATES).to_numpy()
    expected = np.expm1(np.sum(np.array(POSITIONS) * np.log(entry[1:] / entry[:-1])))
    assert r.total_return == pytest.approx(expected, rel=1e-12)
    assert r.total_return == pytest.approx(0.066733, abs=1e-6)
    assert r.buy_and_hold_return == pytest.approx(entry[-1] / entry[0] - 1)


def test_preis_strategy_ignores_prices_inside_the_search_week(prices):
    # Moving every close up to and including each week's Saturday changes nothing about that week's entry.
    base = preis_strategy(SEARCH, prices, delta_t=3).weekly
    noisy = prices.copy()
    inside = noisy.index <= pd.Timestamp("2026-01-31")
    noisy[inside] = noisy[inside] * 7.0
    moved = preis_strategy(SEARCH, noisy, delta_t=3).weekly
    pd.testing.assert_series_equal(moved["position"], base["position"])
    pd.testing.assert_series_equal(moved["price"], base["price"])


def test_preis_strategy_bad_inputs(prices):
    with pytest.raises(DataError, match="^search: needs at least 13 non-missing observations"):
        preis_strategy(SEARCH.iloc[:12], prices, delta_t=3)
    with pytest.raises(DataError, match="^prices: must be positive"):
        preis_strategy(SEARCH, prices - 200, delta_t=3)
    later = prices.copy()
    later.index = later.index + pd.Timedelta(days=3650)
    with pytest.raises(DataError, match="^search, prices: only 0 weeks have both search data"):
        preis_strategy(SEARCH, later, delta_t=3)
    with pytest.raises(DataError, match="^search: expected numeric values"):
        preis_strategy(SEARCH.astype(str), prices)
    with pytest.raises(DataError, match="^prices: expected a DatetimeIndex"):
        preis_strategy(SEARCH, prices.reset_index(drop=True))
    with pytest.raises(DataError, match="^delta_t"):
        preis_strategy(SEARCH, prices, delta_t=0)


def test_a_missing_price_does_not_change_later_signals(prices):
    gap = prices.drop(prices.loc["2026-03-07":"2026-03-16"].index)  # no close within 6 days of 2026-03-08
    w = preis_strategy(SEARCH, gap, delta_t=3).weekly
    assert pd.Timestamp("2026-03-01") not in w.index
    expected = preis_delta(SEARCH, 3).loc[w.index]
    assert w["signal"].to_numpy() == pytest.approx(expected.to_numpy())


def test_preis_strategy_accepts_utc_search_weeks(prices):
    naive = preis_strategy(SEARCH, prices, delta_t=3)
    aware = preis_strategy(SEARCH.tz_localize("UTC"), prices, delta_t=3)
    assert aware.total_return == pytest.approx(naive.total_return)


# ---------------------------------------------------------------- the authors' arithmetic


def _authors_loop(n, price, delta_t):
    """The published procedure, step by step: sum the previous weeks in order, divide, trade, compound."""
    value = 1.0
    for i in range(delta_t, len(n) - 1):
        previous = 0.0
        for k in range(1, delta_t + 1):
            previous += n[i - k]
        change = n[i] - previous / delta_t
        ratio = price[i + 1] / price[i]
        if change > 0:
            value /= ratio  # short for one week
        elif change < 0:
            value *= ratio  # long for one week
    return value - 1


def test_paper_arithmetic_reproduces_the_published_figures():
    r = preis2013("debt", 3, arithmetic="paper")
    assert f"{r.total_return:.0%}" == "326%"
    assert f"{r.buy_and_hold_return:.0%}" == "16%"
    assert f"{r.price_rule_return:.0%}" == "33%"
    assert round(r.total_return, 2) == PREIS2013_PUBLISHED["strategy"]


@pytest.mark.parametrize("delta_t", range(1, 7))
@pytest.mark.parametrize("term", ["debt", "stocks", "inflation"])
def test_paper_arithmetic_equals_the_authors_procedure(preis, term, delta_t):
    expected = _authors_loop(preis[term].to_numpy(), preis["djia_close"].to_numpy(), delta_t)
    assert preis2013(term, delta_t, arithmetic="paper").total_return == pytest.approx(expected, rel=1e-12)


# debt, delta_t = 1..6: the default (exact mean, ties long) and the authors' arithmetic (docs/backtest.md)
DEBT = {1: (0.7977, 0.7922), 2: (1.6333, 1.4632), 3: (3.1416, 3.2606), 4: (2.1263, 2.0239), 5: (3.7400, 3.4614),
        6: (2.5537, 2.5537)}


@pytest.mark.parametrize("delta_t", range(1, 7))
def test_debt_by_delta_t_under_both_arithmetics(delta_t):
    default, paper = DEBT[delta_t]
    assert preis2013("debt", delta_t).total_return == pytest.approx(default, abs=5e-5)
    assert preis2013("debt", delta_t, arithmetic="paper").total_return == pytest.approx(paper, abs=5e-5)


def test_the_result_shows_the_spread_between_tie_rules(debt):
    spread = debt.tie_spread
    assert spread["long"] == pytest.approx(debt.total_return)  # the default's own rule
    assert (spread["long"], spread["none"], spread["short"]) == pytest.approx((3.1416, 2.9777, 2.8202), abs=5e-5)
    paper = preis2013("debt", 3, arithmetic="paper")
    assert paper.n_ties == 1 and paper.tie_spread["none"] == pytest.approx(paper.total_return)
    assert "tie with their trailing mean" in debt.summary() and "+297.8%" in debt.summary()
    assert "sequential sum" in paper.summary()
    with pytest.raises(DataError, match="^arithmetic: expected 'exact' or 'paper'"):
        preis2013("debt", 3, arithmetic="naive")
