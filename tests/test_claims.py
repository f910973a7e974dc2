"""The January 2026 small-cap claims, checked on the embedded prices."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from attention import ClaimResult, DataError, outperformance_streaks, streak_record, ytd_gap

AS_OF = "2026-01-16"


# ---------------------------------------------------------------- streaks on a hand-made example


@pytest.fixture(scope="module")
def tiny():
    days = pd.bdate_range("2026-01-05", periods=8)
    # Daily returns of the small series: +2%, +2%, -1%, +1%, +1%, +1%, 0; the large one stays flat.
    growth = [1, 1.02, 1.02, 0.99, 1.01, 1.01, 1.01, 1.0]
    small = pd.Series(100 * np.cumprod(growth), index=days, name="small")
    large = pd.Series(50.0, index=days, name="large")
    return small, large


def test_outperformance_streaks_exact_runs(tiny):
    small, large = tiny
    runs = outperformance_streaks(small, large)
    d = small.index
    assert list(runs.columns) == ["start", "end", "length"]
    assert runs.to_dict("records") == [
        {"start": d[1], "end": d[2], "length": 2},
        {"start": d[4], "end": d[6], "length": 3},  # the last day ties (0 vs 0): not a win
    ]


def test_no_win_means_no_runs(tiny):
    small, large = tiny
    assert outperformance_streaks(large, large * 2).empty


def test_streak_record_on_the_hand_made_example(tiny):
    small, large = tiny
    d = small.index
    running = streak_record(small, large, d[5])
    assert running.value == 2.0
    assert running.evidence["still_running"] is True
    assert (running.evidence["streak_start"], running.evidence["streak_end"]) == (d[4], d[5])
    assert running.evidence["previous_length"] == 2  # ties count as "at least as long"
    assert running.evidence["previous_end"] == d[2]
    ended = streak_record(small, large, d[3])  # small lost on d[3]
    assert ended.value == 2.0 and ended.evidence["still_running"] is False
    assert "beat large 2 trading days in a row" in ended.finding
    longest = streak_record(small, large, d[7])
    assert longest.value == 3.0
    assert "previous_length" not in longest.evidence
    assert "the longest since the data begin (2026-01-05)" in longest.finding


# ---------------------------------------------------------------- the embedded prices


def test_longest_rut_over_spy_run_is_january_2026(close):
    runs = outperformance_streaks(close["^RUT"], close["SPY"])
    best = runs.loc[runs["length"].idxmax()]
    assert best["start"] == pd.Timestamp("2026-01-02")
    assert best["end"] == pd.Timestamp("2026-01-22")
    assert best["length"] == 14
    earlier = runs[runs["end"] < pd.Timestamp("2026-01-01")]
    assert earlier["length"].max() == 13  # no earlier run of 14 days or more
    assert (runs["start"].diff().dropna() > pd.Timedelta(0)).all()  # in date order
    assert runs["start"].min() >= pd.Timestamp("1993-02-01")  # SPY starts 1993-01-29


def test_streak_record_as_of_2026_01_16(close):
    r = streak_record(close["^RUT"], close["SPY"], AS_OF)
    assert isinstance(r, ClaimResult)
    assert r.value == 11.0 and r.unit == "trading days"
    ev = r.evidence
    assert ev["still_running"] is True
    assert (ev["streak_start"], ev["streak_end"]) == (pd.Timestamp("2026-01-02"), pd.Timestamp("2026-01-16"))
    assert ev["previous_length"] == 13
    assert ev["previous_start"] == pd.Timestamp("2008-05-20")
    assert ev["previous_end"] == pd.Timestamp("2008-06-06")
    assert ev["data_start"] == pd.Timestamp("1993-01-29")
    assert r.finding == (
        "As of 2026-01-16, ^RUT has beaten SPY 11 trading days in a row (2026-01-02 to 2026-01-16): "
        "the longest since 2008-05-20 to 2008-06-06 (13 trading days)."
    )
    assert r.series.index[-1] == pd.Timestamp(AS_OF)


def test_streak_record_uses_no_data_after_as_of(close):
    full = streak_record(close["^RUT"], close["SPY"], AS_OF)
    cut = close.loc[:AS_OF]
    truncated = streak_record(cut["^RUT"], cut["SPY"], AS_OF)
    assert truncated.value == full.value
    assert truncated.evidence == full.evidence
    assert truncated.finding == full.finding
    # Later prices that would extend or break the streak change nothing as of 2026-01-16.
    later = pd.bdate_range("2026-03-02", periods=30)
    for rut_step in (1.05, 0.95):
        rut = pd.concat([close["^RUT"].dropna(), pd.Series(3000 * rut_step ** np.arange(1, 31), index=later)])
        spy = pd.concat([close["SPY"].dropna(), pd.Series(700.0, index=later)])
        extended = streak_record(rut.rename("^RUT"), spy.rename("SPY"), AS_OF)
        assert (extended.value, extended.evidence) == (full.value, full.evidence)


def test_streak_record_after_the_run_ended(close):
    r = streak_record(close["^RUT"], close["SPY"], "2026-01-23")
    assert r.value == 14.0
    assert r.evidence["still_running"] is False
    assert "previous_length" not in r.evidence
    assert "^RUT beat SPY 14 trading days in a row" in r.finding
    assert "the longest since the data begin (1993-01-29)" in r.finding


def test_ytd_gap_as_of_2026_01_16(close):
    r = ytd_gap(close["^RUT"], close["SPY"], AS_OF)
    assert r.unit == "percentage points"
    assert r.value == pytest.approx(6.462, abs=1e-3)
    ev = r.evidence
    assert ev["base_date"] == pd.Timestamp("2025-12-31")
    assert ev["as_of"] == pd.Timestamp(AS_OF)
    assert ev["ytd_^RUT"] == pytest.approx(0.0789, abs=1e-4)
    assert ev["ytd_SPY"] == pytest.approx(0.0143, abs=1e-4)
    assert ev["ytd_^RUT"] == pytest.approx(2677.74 / 2481.9099 - 1, rel=1e-6)
    assert r.value == pytest.approx(100 * (ev["ytd_^RUT"] - ev["ytd_SPY"]), rel=1e-12)
    assert r.finding == (
        "As of 2026-01-16, ^RUT is up +7.89% year-to-date and SPY +1.43%: "
        "^RUT is 6.46 percentage points ahead of SPY."
    )
    assert r.series.index[0] == pd.Timestamp("2025-12-31")


def test_ytd_gap_depends_on_the_large_cap_series_and_names_it(close):
    spy = ytd_gap(close["^RUT"], close["SPY"], AS_OF)
    futures = ytd_gap(close["^RUT"], close["ES=F"], AS_OF)
    assert futures.value == pytest.approx(6.668, abs=1e-3)
    assert futures.value - spy.value == pytest.approx(0.206, abs=1e-3)
    assert "ES=F" in futures.finding and "SPY" not in futures.finding
    assert "ES=F" in futures.claim
    assert futures.evidence["ytd_ES=F"] == pytest.approx(0.01222, abs=1e-5)


def test_yfinance_column_names_are_reduced_to_the_ticker():
    from attention import load_prices

    p = load_prices(["^RUT", "SPY"])
    r = ytd_gap(p[("Close", "^RUT")], p[("Close", "SPY")], AS_OF)
    assert r.value == pytest.approx(6.462, abs=1e-3)
    assert "^RUT is 6.46 percentage points ahead of SPY" in r.finding


def test_ytd_gap_on_a_weekend_uses_the_last_close_before(close):
    r = ytd_gap(close["^RUT"], close["SPY"], "2026-01-18")  # a Sunday
    assert r.evidence["as_of"] == pd.Timestamp("2026-01-16")
    assert r.value == pytest.approx(ytd_gap(close["^RUT"], close["SPY"], AS_OF).value)


def test_ytd_gap_refuses_stale_data(close):
    # ^GSPC ends in 2022: answering "as of 2026-01-16" with 2022 prices would be silently wrong.
    with pytest.raises(DataError, match=r"as_of: 2026-01-16 is after the prices \^RUT and \^GSPC share end \(2022-11-18\)"):
        ytd_gap(close["^RUT"], close["^GSPC"], AS_OF)


def test_ytd_gap_uses_no_data_after_as_of(close):
    cut = close.loc[:AS_OF]
    assert ytd_gap(cut["^RUT"], cut["SPY"], AS_OF).value == ytd_gap(close["^RUT"], close["SPY"], AS_OF).value


def test_claim_views(close, close_figures):
    import matplotlib.figure

    r = streak_record(close["^RUT"], close["SPY"], AS_OF)
    text = r.summary()
    assert text.splitlines()[0] == "Outperformance streak of ^RUT over SPY"
    assert re.search(r"Last run as long began +2008-05-20", text)
    frame = r.to_frame()
    assert frame.loc[0, "value"] == 11.0 and frame.loc[0, "previous_length"] == 13
    assert "<table" in r._repr_html_()
    fig = r.plot()
    assert isinstance(fig, matplotlib.figure.Figure)
    assert isinstance(ytd_gap(close["^RUT"], close["SPY"], AS_OF).plot(), matplotlib.figure.Figure)


def test_claims_bad_inputs(close, tiny):
    small, large = tiny
    with pytest.raises(DataError, match="^as_of: expected a date"):
        ytd_gap(close["^RUT"], close["SPY"], "the day after MLK day")
    with pytest.raises(DataError, match="^small, large: no close before 2026"):
        ytd_gap(small, large, "2026-01-14")
    with pytest.raises(DataError, match="^as_of: 2026-01-05 is before"):
        streak_record(small, large, "2026-01-05")
    with pytest.raises(DataError, match="^small, large: only 1 dates have every series present, need at least 2"):
        outperformance_streaks(small.iloc[:3], large.iloc[2:])
    with pytest.raises(DataError, match="^small, large: prices must be positive"):
        outperformance_streaks(small - 200, large)
    with pytest.raises(DataError, match="^small, large: small never beat large"):
        streak_record(large.rename("small"), (large * 2).rename("large"), "2026-01-14")
    with pytest.raises(DataError, match="^small: expected numeric values"):
        outperformance_streaks(small.astype(str), large)
    with pytest.raises(DataError, match="^large: expected a DatetimeIndex"):
        outperformance_streaks(small, large.reset_index(drop=True))


@pytest.mark.parametrize("check", [streak_record, ytd_gap], ids=["streak_record", "ytd_gap"])
@pytest.mark.parametrize("overlap", [1, 0])
def test_as_of_with_too_few_common_dates_is_a_data_error(tiny, check, overlap):
    small, large = tiny
    large = large.iloc[3 - overlap :]  # shares `overlap` dates with small.iloc[:3]
    with pytest.raises(DataError, match="small, large"):
        check(small.iloc[:3], large, "2026-01-14")


def test_as_of_defaults_to_the_last_common_date(close):
    pair = close[["^RUT", "SPY"]].loc[:"2026-01-16"]
    assert streak_record(pair["^RUT"], pair["SPY"]).value == 11
    default = ytd_gap(pair["^RUT"], pair["SPY"])
    assert default.value == ytd_gap(close["^RUT"], close["SPY"], "2026-01-16").value
    assert default.evidence["as_of"] == pd.Timestamp("2026-01-16")


def test_period_and_iso_string_indexes_are_dates(close):
    pair = close[["^RUT", "SPY"]].dropna().loc["2025-12-01":"2026-01-16"]
    expected = ytd_gap(pair["^RUT"], pair["SPY"]).value
    as_periods = pair.to_period("D")
    assert ytd_gap(as_periods["^RUT"], as_periods["SPY"]).value == expected
    as_text = pair.set_axis(pair.index.strftime("%Y-%m-%d"))
    assert ytd_gap(as_text["^RUT"], as_text["SPY"]).value == expected
    with pytest.raises(DataError, match="^small: the index holds strings that are not ISO 8601 dates"):
        ytd_gap(pair["^RUT"].set_axis(pair.index.strftime("%m/%d/%Y")), pair["SPY"])


def test_claim_chart_kinds_are_checked(close):
    r = ytd_gap(close["^RUT"], close["SPY"], AS_OF)
    assert r.chart == "levels" and r.id == "ytd_gap"
    with pytest.raises(DataError, match="^chart: expected one of \\('levels', 'bars', 'line', 'scatter'\\), got 'pie'"):
        ClaimResult(r.claim, r.value, r.unit, r.finding, r.evidence, r.series, chart="pie")
