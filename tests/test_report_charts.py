"""Every chart of the demo report draws the data it claims to, read back from the figure's artists."""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import pytest

from attention import report
from attention.demo import run_demo


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Write the demo report, keeping each (result, figure) pair the report drew."""
    demo = run_demo(n_surrogates=99, seed=3)
    drawn = []
    figure_tag, describe = report._figure_tag, report._describe_figure

    def keep(result):
        drawn.append([result, None])
        return figure_tag(result)

    def seen(fig):
        drawn[-1][1] = fig
        return describe(fig)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(report, "_figure_tag", keep)
        mp.setattr(report, "_describe_figure", seen)
        path = report.write_report(demo.results(), tmp_path_factory.mktemp("report"), notes=demo.notes)
    return demo, drawn, path.read_text(encoding="utf-8")


def _data_lines(ax):
    return {ln.get_label(): ln for ln in ax.get_lines() if ln.get_gid() != "reference"}


def test_every_claim_with_data_and_every_section_is_drawn(rendered):
    demo, drawn, page = rendered
    with_data = [c for c in demo.claims if not c.series.empty]
    assert len(with_data) == 5
    assert [r for r, _ in drawn] == [*with_data, demo.screen, demo.loop, demo.backtest]
    assert page.count("data:image/png;base64,") == len(drawn)


def test_price_claims_draw_change_since_the_first_date(rendered):
    demo, drawn, _ = rendered
    for claim in (demo.claims["ytd_gap"], demo.claims["streak"]):
        fig = dict((id(r), f) for r, f in drawn)[id(claim)]
        lines = _data_lines(fig.axes[0])
        assert set(lines) == set(claim.series.columns)
        for col, prices in claim.series.items():
            expected = (prices / prices.iloc[0] - 1) * 100
            x = pd.DatetimeIndex(lines[col].get_xdata())
            np.testing.assert_array_equal(x, expected.index)
            np.testing.assert_allclose(lines[col].get_ydata(), expected.to_numpy(), rtol=1e-12)
    # The year-to-date chart ends at the gap the claim reports.
    ytd = _data_lines(dict((id(r), f) for r, f in drawn)[id(demo.claims["ytd_gap"])].axes[0])
    assert ytd["^RUT"].get_ydata()[-1] - ytd["SPY"].get_ydata()[-1] == pytest.approx(demo.claims["ytd_gap"].value)


def test_january_effect_bars_are_the_january_returns(rendered):
    demo, drawn, _ = rendered
    claim = demo.claims["january_effect"]
    fig = dict((id(r), f) for r, f in drawn)[id(claim)]
    (bars,) = [c for c in fig.axes[0].containers]
    january = claim.series.iloc[:, 0]
    heights = np.array([b.get_height() for b in bars])
    years = np.array([round(b.get_x() + b.get_width() / 2) for b in bars])
    np.testing.assert_array_equal(years, january.index.year)
    np.testing.assert_allclose(heights, 100 * january.to_numpy(), rtol=1e-12)
    # Signs as in the data: 1995 was a bad January for small caps, 2006 a good one.
    assert heights[years == 1995][0] == pytest.approx(-4.77, abs=0.01)
    assert heights[years == 2006][0] > 6
    # Independent of the library: January-end over December-end closes, small minus large.
    from attention.datasets import load_prices

    month_end = load_prices(["^RUT", "SPY"])["Close"].dropna().resample("ME").last()
    jan95 = month_end.pct_change().loc["1995-01-31"]
    assert 100 * (jan95["^RUT"] - jan95["SPY"]) == pytest.approx(heights[years == 1995][0], abs=1e-9)


def test_january_signal_scatter_is_the_yearly_table(rendered):
    demo, drawn, _ = rendered
    claim = demo.claims["january_signal"]
    fig = dict((id(r), f) for r, f in drawn)[id(claim)]
    (points,) = _data_lines(fig.axes[0]).values()
    assert points.get_linestyle() == "None"
    np.testing.assert_allclose(points.get_xdata(), 100 * claim.series.iloc[:, 0].to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(points.get_ydata(), 100 * claim.series.iloc[:, 1].to_numpy(), rtol=1e-12)
    # The evidence's counts are the points in each quadrant.
    x, y = points.get_xdata(), points.get_ydata()
    assert int(((x > 0) & (y > 0)).sum()) == claim.evidence["jan_up_rest_up"]
    assert int(((x <= 0) & (y <= 0)).sum()) == claim.evidence["jan_down_rest_down"]


def test_leadership_line_is_the_trailing_relative_return(rendered):
    demo, drawn, _ = rendered
    claim = demo.claims["leadership_runs"]
    fig = dict((id(r), f) for r, f in drawn)[id(claim)]
    (line,) = _data_lines(fig.axes[0]).values()
    series = claim.series.iloc[:, 0]
    assert len(series) > 300 and series.notna().all()
    np.testing.assert_array_equal(pd.DatetimeIndex(line.get_xdata()), series.index)
    np.testing.assert_allclose(line.get_ydata(), 100 * series.to_numpy(), rtol=1e-12)
    assert np.isfinite(line.get_ydata()).all()


def test_screen_bars_and_backtest_lines(rendered):
    demo, drawn, _ = rendered
    figs = dict((id(r), f) for r, f in drawn)
    ax = figs[id(demo.screen)].axes[0]
    for container, link in zip(ax.containers, ["returns -> attention", "attention -> flows", "flows -> returns"]):
        assert container.get_label() == link
        np.testing.assert_allclose([b.get_height() for b in container], demo.screen.table[link].to_numpy())
    lines = _data_lines(figs[id(demo.backtest)].axes[0])
    bt = demo.backtest
    assert lines["search 'debt'"].get_ydata()[-1] == pytest.approx(1 + bt.total_return)
    assert lines["buy and hold"].get_ydata()[-1] == pytest.approx(1 + bt.buy_and_hold_return)


def test_report_reads_as_prose_and_tables(rendered):
    demo, _, page = rendered
    for claim in demo.claims:
        assert page.count(f">{_escaped(claim.claim)}<") == 1, claim.id  # each claim's words once
        assert page.count(_escaped(claim.finding)) == 1, claim.id
        assert f"id='claim-{claim.id}'" in page and f"href='#claim-{claim.id}'" in page
    assert "<pre>" not in page.split("<h2>", 2)[1]  # the claims section has no text dump
    assert "streak_start" not in page and "Streak began" in page
    alts = [html.unescape(a) for a in re.findall(r'<img alt="([^"]*)"', page)]
    assert len(alts) == 8 and all(len(a) > 40 for a in alts)
    assert "Bar chart (32 bars)" in alts[2] and "y axis % from -5.526 to 6.508" in alts[2]
    assert alts[0].startswith('Line chart titled "^RUT and SPY"') and "2025-12-31 to 2026-01-16" in alts[0]


def _escaped(text: str) -> str:
    return html.escape(text)
