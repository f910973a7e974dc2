"""The main job: `attention demo` end to end, its JSON, its report and its errors."""

import json
import re
import subprocess
import sys

import pytest

from attention.cli import main
from attention.demo import DEMO_TERMS, DEMO_TICKERS, run_demo


@pytest.fixture(scope="module")
def demo():
    return run_demo(n_surrogates=199, seed=7)


def test_demo_article_checks_as_of_2026_01_16(demo):
    gap, streak = demo.claims["ytd_gap"], demo.claims["streak"]
    assert [c.verdict for c in demo.claims].count("not checkable") == 1
    assert streak.value == 11
    assert streak.evidence["previous_length"] == 13
    assert gap.value == pytest.approx(6.462, abs=0.005)
    assert "^RUT" in gap.finding and "SPY" in gap.finding


def test_demo_loop_screen_is_corrected_and_not_supported(demo):
    table = demo.screen.table
    assert len(table) == len(DEMO_TERMS) * len(DEMO_TICKERS)
    # Benjamini-Hochberg never lowers a p-value and keeps the ordering.
    assert (table["p_bh"] >= table["p_loop"] - 1e-12).all()
    order = table["p_loop"].argsort().to_numpy()
    assert (table["p_bh"].to_numpy()[order][1:] >= table["p_bh"].to_numpy()[order][:-1]).all()
    assert not table["supported"].any()
    assert "do not support" in demo.screen.summary()
    # Search for finance terms does lead trading volume in 2004-2011 (Preis et al. 2010 report the same).
    assert demo.loop.links.loc["attention -> flows", "p_surrogate"] < 0.05
    assert demo.loop.links.loc["attention -> flows", "effect_size"] > 0.1


def test_demo_replication_matches_the_paper(demo):
    bt = demo.backtest
    assert bt.total_return == pytest.approx(3.142, abs=0.002)
    assert bt.buy_and_hold_return == pytest.approx(0.16, abs=0.01)
    assert bt.price_rule_return == pytest.approx(0.33, abs=0.005)
    assert re.search(r"authors. arithmetic .* gives \+326\.1%", " ".join(demo.summary().split()))  # the published +326%


def test_demo_summary_has_three_sections_and_names_proxies(demo):
    text = demo.summary()
    for heading in ("1. The January 2026", "2. Does attention", "3. Replication"):
        assert heading in text
    assert "PROXY" in text and "not shipped" in text


def test_demo_to_dict_is_json(demo):
    payload = json.loads(json.dumps(demo.to_dict()))
    assert payload["claims"][1]["value"] == 11 and payload["claims"][5]["value"] is None
    assert [c["id"] for c in payload["claims"]] == list(demo.claims.ids)
    assert len(payload["feedback_loop"]["screen"]) == 10
    assert payload["preis2013"]["published"]["strategy"] == 3.26


def test_cli_demo_writes_report(tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["demo", "--out", str(out), "--surrogates", "99"]) == 0
    text = capsys.readouterr().out
    assert "Report with figures" in text
    page = (out / "index.html").read_text()
    assert page.count("data:image/png;base64,") == 8  # five claims, screen, loop, backtest
    assert "longest streak since 2008" in page and "Preis" in page


def test_cli_json(capsys):
    assert main(["demo", "--json", "--no-report", "--surrogates", "99", "--as-of", "2026-01-22"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["claims"][1]["value"] == 14  # the streak's full length
    assert payload["report"] is None


def test_cli_errors_are_one_line(capsys):
    assert main(["demo", "--no-report", "--as-of", "1900-01-01"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("attention: error: as_of:") and err.count("\n") == 1
    assert main(["demo", "--no-report", "--surrogates", "5"]) == 2
    assert "n_surrogates" in capsys.readouterr().err


def test_python_m_attention_help():
    run = subprocess.run([sys.executable, "-m", "attention", "demo", "--help"], capture_output=True, text=True)
    assert run.returncode == 0
    assert "examples:" in run.stdout and "attention demo --json" in run.stdout
