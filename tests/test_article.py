"""The article on trial: every claim checked on the shipped prices, as of 2026-01-16."""

import itertools
import json

import numpy as np
import pytest

from attention import DataError
from attention.claims import ARTICLE_CLAIMS, Claims, _run_probability, check_article
from attention.cli import main


@pytest.fixture(scope="module")
def checked():
    return check_article(n_boot=500)


@pytest.fixture(scope="module")
def claims(checked):
    return {key: result for key, result in zip(ARTICLE_CLAIMS, checked)}


def test_claims_collection(checked, close_figures):
    import matplotlib.figure

    assert isinstance(checked, Claims) and len(checked) == 6
    assert checked.ids == tuple(ARTICLE_CLAIMS)
    assert [c.id for c in checked] == list(ARTICLE_CLAIMS)
    assert checked["streak"] is checked[1] and checked["streak"].value == 11
    with pytest.raises(KeyError, match="no claim with id 'streek'; ids: \\['ytd_gap'"):
        checked["streek"]
    with pytest.raises(TypeError, match="indexed by id"):
        checked[1.0]
    frame = checked.to_frame()
    assert list(frame.index) == list(ARTICLE_CLAIMS) and frame.loc["ytd_gap", "verdict"] == "supported"
    assert frame.loc["january_effect", "title"] == "January effect"
    text = checked.summary()
    assert text.count("NOT SUPPORTED") == 2 and text.count("\n") >= 12
    assert "href='#claim-streak'" in checked._repr_html_()
    fig = checked.plot()
    assert isinstance(fig, matplotlib.figure.Figure) and len([a for a in fig.axes if a.axison]) == 5
    with pytest.raises(DataError, match="every claim needs its own non-empty id"):
        Claims((checked[0], checked[0]))


def test_every_claim_has_a_verdict(claims):
    assert [c.verdict for c in claims.values()] == [
        "supported", "supported", "not supported", "supported", "not supported", "not checkable"
    ]
    for c in claims.values():
        assert c.claim in ARTICLE_CLAIMS.values()
        assert c.finding


def test_ytd_gap_above_five_points(claims):
    assert claims["ytd_gap"].value == pytest.approx(6.462, abs=0.005)


def test_streak_at_date_final_length_and_chance(claims):
    ev = claims["streak"].evidence
    assert claims["streak"].value == 11 and ev["final_length"] == 14
    assert ev["previous_length"] == 13 and str(ev["previous_end"])[:10] == "2008-06-06"
    # Over ~4400 trading days a run of 11 is more likely than not for fair coins.
    assert ev["span_days"] == 4431
    assert ev["p_coin_flip"] == pytest.approx(0.661, abs=0.002)
    assert 0.45 < ev["p_bootstrap"] < 0.7


def test_january_effect_not_in_the_data(claims):
    ev = claims["january_effect"].evidence
    assert ev["n_years_since_1997"] == 29  # January 2026 is unfinished on 2026-01-16
    assert ev["mean_january_since_1997"] == pytest.approx(-0.0037, abs=0.0005)
    assert ev["bootstrap_95_low"] < 0 < ev["bootstrap_95_high"]
    assert ev["p_value"] > 0.3


def test_january_does_not_signal_the_year(claims):
    ev = claims["january_signal"].evidence
    assert (ev["first_year"], ev["last_year"], ev["years"]) == (1994, 2025, 32)
    assert ev["hit_rate"] == pytest.approx(15 / 32)
    assert ev["fisher_p"] == pytest.approx(0.712, abs=0.005)
    assert "1979" in claims["january_signal"].finding


def test_leadership_runs_are_random_walk_length(claims):
    ev = claims["leadership_runs"].evidence
    assert ev["complete_regimes"] == 12
    assert ev["mean_regime_years"] == pytest.approx(2.28, abs=0.01)
    assert ev["random_walk_90_low"] < ev["mean_regime_years"] < ev["random_walk_90_high"]


def test_sector_claims_are_honestly_not_checkable(claims):
    c = claims["sectors_eps"]
    assert np.isnan(c.value) and "Not checkable" in c.finding and "EPS" in c.finding
    assert c.plot() is not None


@pytest.mark.parametrize("n, length, p", [(4, 2, 0.5), (6, 3, 0.3), (8, 2, 0.7), (5, 5, 0.5)])
def test_run_probability_is_exact(n, length, p):
    brute = 0.0
    for seq in itertools.product([0, 1], repeat=n):
        run = best = 0
        for x in seq:
            run = run + 1 if x else 0
            best = max(best, run)
        if best >= length:
            brute += p ** sum(seq) * (1 - p) ** (n - sum(seq))
    assert _run_probability(n, length, p) == pytest.approx(brute, abs=1e-12)


def test_check_article_bad_prices():
    from attention.datasets import load_prices

    with pytest.raises(DataError, match="prices: expected Close prices of '\\^RUT' and 'QQQ'"):
        check_article(load_prices(["^RUT", "SPY"]), large="QQQ")


def test_cli_claims_table_and_json(capsys):
    assert main(["claims"]) == 0
    out = capsys.readouterr().out
    assert out.count("NOT SUPPORTED") == 2 and out.count("NOT CHECKABLE") == 1
    assert main(["claims", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 6 and rows[5]["value"] is None
    assert [r["id"] for r in rows] == list(ARTICLE_CLAIMS)


def test_every_price_claim_says_which_data_it_used(claims):
    for key in ("ytd_gap", "streak", "january_effect", "january_signal", "leadership_runs"):
        assert claims[key].evidence["data"] == "Close of ^RUT and SPY (shipped prices)"


def test_sector_claim_checked_on_spdr_navs():
    from attention.collectors._http import Politeness
    from attention.collectors.etf import collect_etf_shares
    from attention.testing import FakeSPDR, latent_shares

    funds = ["XLB", "XLC", "XLE", "XLF", "XLI", "XLK", "XLP", "XLRE", "XLU", "XLV", "XLY"]
    history = latent_shares(funds, "2025-11-03", "2026-01-30", seed=1)
    # The article's picture: materials and industrials lead, tech trails, since the last close of 2025.
    for ticker, drift in (("XLB", 0.20), ("XLI", 0.15), ("XLK", -0.20)):
        frame = history[ticker]
        frame.loc["2026-01-02":, "nav"] *= 1 + drift
    sectors = collect_etf_shares(funds, "2025-12-01", "2026-01-16", session=FakeSPDR(history),
                                 politeness=Politeness(pace=0))
    result = check_article(n_boot=200, sectors=sectors)["sectors_eps"]
    assert result.verdict == "supported"
    assert result.evidence["data"] == "NAVs from State Street's SPDR NAV-history files"
    navs = history["XLK"]["nav"]
    assert result.value == pytest.approx(100 * (navs.loc["2026-01-16"] / navs.loc["2025-12-31"] - 1))
    assert "EPS part" in result.finding and "not checked" in result.finding
    flipped = {t: f.copy() for t, f in history.items()}
    flipped["XLK"].loc["2026-01-02":, "nav"] *= 2.0
    again = collect_etf_shares(funds, "2025-12-01", "2026-01-16", session=FakeSPDR(flipped),
                               politeness=Politeness(pace=0))
    assert check_article(n_boot=200, sectors=again)["sectors_eps"].verdict == "not supported"
    with pytest.raises(DataError, match="sectors: need XLK, XLB, XLI"):
        check_article(n_boot=200, sectors=sectors[sectors["term"] != "XLI"])
