"""ETF shares outstanding: issuer parsers on real-format files, the collector, flows from shares."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from attention import (
    AttentionWarning,
    DataError,
    RateLimitError,
    UpstreamFormatError,
    collect_etf_shares,
    etf_flows,
    read_etf_shares,
)
from attention.collectors._http import Politeness
from attention.collectors.etf import parse_ishares_holdings, parse_spdr_navhist
from attention.collectors.etf._calendar import trading_days
from attention.store import Store
from attention.testing import FakeIShares, FakeSPDR, latent_shares

ETF = Path(__file__).parent / "data" / "etf"
SHARES = Path(__file__).parent / "data" / "shares_history_EWJ_EWY_EWZ.csv"
QUIET = Politeness(pace=0, max_retries=0, sleep=lambda s: None)


def _wide(frame, metric):
    return frame[frame["metric"] == metric].pivot(index="date", columns="term", values="value")


# ---------------------------------------------------------------- SPDR workbook


def test_spdr_workbook_values():
    frame = parse_spdr_navhist((ETF / "navhist-us-en-xlk.xlsx").read_bytes(), ticker="XLK")
    day = frame[frame["date"] == pd.Timestamp("2026-05-21", tz="UTC")].set_index("metric")["value"]
    assert day["nav"] == 178.560687
    assert day["shares_outstanding"] == 651_111_794
    # NAV is published to six decimals, so NAV x shares misses the net assets by about $240 in $116 billion.
    assert day["total_net_assets"] == pytest.approx(day["nav"] * day["shares_outstanding"], rel=1e-8)
    assert sorted(frame["date"].dt.strftime("%Y-%m-%d").unique()) == ["2026-05-19", "2026-05-20", "2026-05-21"]
    assert set(frame["term"]) == {"XLK"} and set(frame["source"]) == {"etf_shares"}


def test_spdr_workbook_read_by_read_etf_shares():
    by_path = read_etf_shares(ETF / "navhist-us-en-xlk.xlsx")
    assert by_path.equals(parse_spdr_navhist(ETF / "navhist-us-en-xlk.xlsx"))


def test_spdr_refuses_another_funds_workbook():
    with pytest.raises(UpstreamFormatError, match=r"navhist-us-en-spy\.xlsx: field 'Ticker Symbol:' says 'XLK'"):
        parse_spdr_navhist((ETF / "navhist-us-en-xlk.xlsx").read_bytes(), ticker="SPY")


def test_spdr_refuses_an_html_page():
    with pytest.raises(UpstreamFormatError, match="expected an Excel workbook, got an HTML page"):
        parse_spdr_navhist(b"<html><title>Access Denied</title></html>", ticker="XLK")


def test_spdr_refuses_a_moved_header():
    body = FakeSPDR(header_row=6).workbook("XLK")
    with pytest.raises(UpstreamFormatError, match=r"header Date, NAV, Shares Outstanding, Total Net Assets in row 4, "
                                                  r"but it is in row 6"):
        parse_spdr_navhist(body, ticker="XLK")


def test_spdr_refuses_non_positive_nav_and_gaps():
    history = latent_shares(("XLK",), "2026-01-02", "2026-02-27")
    bad = history["XLK"].copy()
    bad.loc["2026-01-15", "nav"] = 0.0
    with pytest.raises(UpstreamFormatError, match=r"xlk\.xlsx: field 'NAV' is 0 on 2026-01-15; it must be positive"):
        parse_spdr_navhist(FakeSPDR({"XLK": bad}).workbook("XLK"), ticker="XLK")
    gap = history["XLK"].drop(pd.bdate_range("2026-01-20", "2026-02-06"))
    with pytest.raises(UpstreamFormatError, match=r"dates jump from 2026-01-16 to 2026-02-09 \(24 days\): a gap"):
        parse_spdr_navhist(FakeSPDR({"XLK": gap}).workbook("XLK"), ticker="XLK")


# ---------------------------------------------------------------- iShares holdings CSV


@pytest.mark.parametrize("name, ticker, day, shares", [
    ("IWM_holdings_2026-04-10.csv", "IWM", "2026-04-10", 280_200_000),
    ("IWM_holdings_2026-05-05.csv", "IWM", "2026-05-05", 278_750_000),
    ("IVV_holdings_2026-09-01.csv", "IVV", "2026-09-01", 1_145_450_000),
])
def test_ishares_real_files(name, ticker, day, shares):
    frame = parse_ishares_holdings((ETF / name).read_bytes(), ticker=ticker)
    assert frame[["metric", "value"]].to_dict("records") == [{"metric": "shares_outstanding", "value": shares}]
    assert frame["date"].iloc[0] == pd.Timestamp(day, tz="UTC")
    # The same file through the reader for any file.
    assert read_etf_shares(ETF / name, ticker=ticker).equals(frame)


def test_ishares_refuses_the_old_layout_without_a_header_block():
    with pytest.raises(UpstreamFormatError, match=r"IJR_holdings\.csv: no 'Fund Holdings as of' line"):
        parse_ishares_holdings((ETF / "IJR_holdings_legacy_no_header_block.csv").read_bytes(), ticker="IJR")


def test_ishares_refuses_a_file_without_shares_outstanding():
    text = (ETF / "IWM_holdings_2026-05-05.csv").read_text(encoding="utf-8-sig")
    cut = "\n".join(line for line in text.split("\n") if not line.startswith("Shares Outstanding"))
    with pytest.raises(UpstreamFormatError, match=r"IWM_holdings\.csv: no 'Shares Outstanding' line"):
        parse_ishares_holdings(cut, ticker="IWM")


def test_ishares_recognises_the_site_shell():
    with pytest.raises(UpstreamFormatError, match=r"HTML page, not the holdings CSV.*read_etf_shares"):
        parse_ishares_holdings(FakeIShares(html_shell=True).get(
            "https://www.ishares.com/us/products/239710/x/1467271812596.ajax?fileName=IWM_holdings&asOfDate=20260116"
        ).text, ticker="IWM")


def test_ishares_day_without_holdings_is_empty():
    fake = FakeIShares()
    assert parse_ishares_holdings(fake.holdings_csv("IWM", "2026-01-17"), ticker="IWM").empty  # a Saturday


# ---------------------------------------------------------------- any file


def test_read_etf_shares_on_the_real_shares_history():
    frame = read_etf_shares(SHARES)
    assert sorted(frame["term"].unique()) == ["EWJ", "EWY", "EWZ"]
    so = _wide(frame, "shares_outstanding")
    assert so.shape == (210, 3)
    assert so.loc[pd.Timestamp("2025-07-01", tz="UTC"), "EWZ"] == 178_800_000
    # Early rows have no NAV: missing stays missing, never 0.
    assert _wide(frame, "nav").loc[:"2026-02-27"].isna().all().all()


def test_read_etf_shares_names_the_missing_column(tmp_path):
    path = tmp_path / "qqq.csv"
    pd.DataFrame({"Date": ["2026-01-15"], "NAV": [620.0]}).to_csv(path, index=False)
    with pytest.raises(DataError, match=r"qqq\.csv: no shares outstanding column; looked for 'shares outstanding'"):
        read_etf_shares(path)
    with pytest.raises(DataError, match=r"path_or_frame: no date column"):
        read_etf_shares(pd.DataFrame({"Shares": [1.0]}), ticker="QQQ")


def test_read_etf_shares_flags_a_close_price_used_as_nav():
    table = pd.DataFrame({"date": ["2026-01-15", "2026-01-16"], "shares outstanding": [3.0e8, 3.1e8],
                          "Close": [620.0, 622.0]})
    frame = read_etf_shares(table, ticker="qqq")
    assert set(frame["term"]) == {"QQQ"}
    assert set(frame.loc[frame["metric"] == "nav", "flags"]) == {"close_price"}


def test_read_etf_shares_refuses_negative_nav():
    table = pd.DataFrame({"date": ["2026-01-15", "2026-01-16"], "shares": [3.0e8, 3.1e8], "nav": [620.0, -1.0]})
    with pytest.raises(DataError, match=r"field 'NAV' is -1 on 2026-01-16"):
        read_etf_shares(table, ticker="QQQ")


# ---------------------------------------------------------------- flows


def test_flows_from_observations_equal_flows_from_wide_frames(shares_wide):
    so, nav = shares_wide
    from_obs = etf_flows(read_etf_shares(SHARES))
    assert from_obs.index.tz is None
    pd.testing.assert_frame_equal(from_obs, etf_flows(so, nav), check_freq=False, check_names=False,
                                  check_index_type=False)


def test_flow_units_on_a_real_row(shares_wide):
    so, nav = shares_wide
    # EWJ, 2026-03-06: 223,800,000 -> 221,100,000 shares at NAV 84.53: 2.7M shares redeemed.
    dollars = etf_flows(so, nav, unit="dollars").loc["2026-03-06", "EWJ"]
    assert dollars == pytest.approx(-2_700_000 * 84.53)
    percent = etf_flows(so, nav, unit="percent").loc["2026-03-06", "EWJ"]
    assert percent == pytest.approx(100 * etf_flows(so, nav).loc["2026-03-06", "EWJ"])
    with pytest.raises(DataError, match="unit: expected one of"):
        etf_flows(so, nav, unit="euros")


def test_weekly_flows_sum_the_days(shares_wide):
    so, nav = shares_wide
    daily = etf_flows(so, nav, unit="dollars")
    weekly = etf_flows(so, nav, unit="dollars", weekly=True)
    week = daily.loc["2026-03-08":"2026-03-14", "EWJ"]
    assert weekly.loc["2026-03-08", "EWJ"] == pytest.approx(week.sum())
    share = etf_flows(so, nav, weekly=True).loc["2026-03-08", "EWJ"]
    base = (so * nav).loc[:"2026-03-06", "EWJ"].iloc[-1]  # assets at Friday's close before the week
    assert share == pytest.approx(week.sum() / base)
    assert weekly.index.freqstr == "W-SUN"


@pytest.mark.parametrize("ratio, kind", [(2, "2-for-1 split"), (0.25, "1-for-4 reverse split")])
def test_splits_are_flagged_not_flows(ratio, kind):
    history = latent_shares(("XLK",), "2025-11-03", "2025-12-31", splits={"XLK": ("2025-12-05", ratio)})["XLK"]
    with pytest.warns(AttentionWarning, match=rf"XLK: .* on 2025-12-05: a {kind}, not a flow"):
        flows = etf_flows(history["shares_outstanding"].rename("XLK"), history["nav"])
    assert np.isnan(flows.loc["2025-12-05"])
    assert flows.drop(pd.Timestamp("2025-12-05")).iloc[1:].notna().all()
    assert flows.abs().max() < 0.05  # no day looks like a 100% or -75% flow
    assert flows.attrs["splits"] == [{"ticker": "XLK", "date": pd.Timestamp("2025-12-05"), "ratio": pytest.approx(ratio, rel=0.05)}]


def test_ordinary_days_are_not_splits(shares_wide):
    so, nav = shares_wide
    with warnings.catch_warnings():
        warnings.simplefilter("error", AttentionWarning)
        assert etf_flows(so, nav).attrs["splits"] == []


def test_flows_refuse_non_positive_nav_and_gaps(shares_wide):
    so, nav = shares_wide
    bad = nav.copy()
    bad.loc["2026-03-10", "EWY"] = -3.0
    with pytest.raises(DataError, match=r"nav: values must be positive; 'EWY' is -3 on 2026-03-10"):
        etf_flows(so, bad)
    holed = so.drop(so.loc["2026-03-02":"2026-03-13"].index)
    with pytest.raises(DataError, match=r"'EWJ' jumps from 2026-02-27 to 2026-03-16 \(17 days\)"):
        etf_flows(holed, nav)


def test_observations_without_nav_ask_for_it():
    frame = parse_ishares_holdings((ETF / "IWM_holdings_2026-05-05.csv").read_bytes(), ticker="IWM")
    with pytest.raises(DataError, match=r"nav: the observations hold no NAV \(iShares"):
        etf_flows(frame)


# ---------------------------------------------------------------- the collector


def test_spdr_one_request_per_fund_and_none_when_cached():
    fake = FakeSPDR()
    with Store(":memory:") as store:
        frame = collect_etf_shares(["SPY", "XLK"], "2025-06-02", "2026-01-30", store=store, session=fake,
                                   politeness=QUIET)
        assert fake.requests == 2
        assert frame.attrs["etf_shares"]["fetched"] == 2
        so = _wide(frame, "shares_outstanding")
        expected = fake.history["XLK"].loc["2025-06-02":"2026-01-30", "shares_outstanding"]
        assert so["XLK"].to_numpy() == pytest.approx(expected.to_numpy())
        again = collect_etf_shares(["SPY", "XLK"], "2025-06-02", "2026-01-30", store=store, session=fake,
                                   politeness=QUIET)
        assert fake.requests == 2 and again.attrs["etf_shares"]["cached"] == 2
        pd.testing.assert_frame_equal(again, frame)


def test_ishares_one_request_per_trading_day_and_resume_after_429():
    start, end = "2026-01-02", "2026-02-27"
    days = trading_days(start, end)
    with Store(":memory:") as store:
        first = FakeIShares(quota=15)
        with pytest.raises(RateLimitError, match="15 files fetched, 0 read from the store.*in the store"):
            collect_etf_shares("IWM", start, end, store=store, session=first, politeness=QUIET)
        second = FakeIShares()
        frame = collect_etf_shares("IWM", start, end, store=store, session=second, politeness=QUIET)
        asked_first = set(first.calls[:15])
        assert asked_first.isdisjoint(second.calls)  # no date fetched twice
        assert len(asked_first) + second.requests == len(days)  # one request per trading day, none for weekends
        meta = frame.attrs["etf_shares"]
        assert (meta["fetched"], meta["cached"], meta["skipped"]) == (len(days) - 15, 15, 0)
        truth = second.history["IWM"].loc[start:end, "shares_outstanding"]
        assert _wide(frame, "shares_outstanding")["IWM"].to_numpy() == pytest.approx(truth.to_numpy())
        third = FakeIShares()
        collect_etf_shares("IWM", start, end, store=store, session=third, politeness=QUIET)
        assert third.requests == 0


def test_ishares_day_without_holdings_is_skipped_and_not_asked_again():
    history = latent_shares(("IWM",), "2026-01-02", "2026-01-30")
    history["IWM"] = history["IWM"].drop(pd.Timestamp("2026-01-09"))  # a closure the calendar does not know
    with Store(":memory:") as store:
        fake = FakeIShares(history)
        frame = collect_etf_shares("IWM", "2026-01-05", "2026-01-16", store=store, session=fake, politeness=QUIET)
        assert frame.attrs["etf_shares"]["skipped"] == 1
        assert pd.Timestamp("2026-01-09", tz="UTC") not in set(frame["date"])
        collect_etf_shares("IWM", "2026-01-05", "2026-01-16", store=store, session=fake, politeness=QUIET)
        assert fake.requests == 10


def test_html_shell_is_refused_stored_bad_and_asked_again():
    with Store(":memory:") as store:
        shell = FakeIShares(html_shell=True)
        with pytest.raises(UpstreamFormatError, match="read_etf_shares"):
            collect_etf_shares("IWM", "2026-01-05", "2026-01-09", store=store, session=shell, politeness=QUIET)
        assert store.response_keys("etf_shares") == set()
        assert len(store.bad_responses("etf_shares")) == 1
        good = FakeIShares()
        frame = collect_etf_shares("IWM", "2026-01-05", "2026-01-09", store=store, session=good, politeness=QUIET)
        assert good.requests == 5 and len(frame) == 5


def test_captcha_instead_of_a_workbook_is_not_cached():
    with Store(":memory:") as store:
        with pytest.raises(UpstreamFormatError, match="got an HTML page"):
            collect_etf_shares("XLK", "2026-01-05", "2026-01-09", store=store, session=FakeSPDR(html=True),
                               politeness=QUIET)
        assert store.response_keys("etf_shares") == set()


def test_unknown_fund_points_to_read_etf_shares():
    with pytest.raises(DataError, match=r"no issuer collector for \['QQQ'\].*read_etf_shares"):
        collect_etf_shares(["IWM", "qqq"], "2026-01-05", "2026-01-09")


# ---------------------------------------------------------------- command line


@pytest.fixture
def issuers(monkeypatch):
    from attention.collectors.etf import collect
    from attention.testing import FakeIssuers

    fake = FakeIssuers(latent_shares(("IWM", "SPY", "XLK"), "2025-12-01", "2026-01-30"))
    real = collect.HttpClient
    monkeypatch.setattr(collect, "HttpClient", lambda source, **kw: real(source, **{**kw, "session": fake,
                                                                                   "politeness": QUIET}))
    return fake


def test_cli_collect_flows_fetches_then_reads_the_store(issuers, tmp_path, capsys):
    from attention.cli import main

    args = ["collect", "flows", "IWM", "SPY", "XLK", "--start", "2026-01-05", "--end", "2026-01-16",
            "--store", str(tmp_path / "s.sqlite"), "--out", str(tmp_path / "f.csv"), "--no-progress"]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "3 fund(s), 10 trading days" in text
    assert "files fetched: 12, read from the store: 0, skipped (no holdings that day): 0" in text
    assert "IWM (ishares): 2026-01-05 to 2026-01-16, 10 days, no NAV in its files" in text
    assert "XLK (spdr): 2026-01-05 to 2026-01-16, 10 days, with NAV" in text
    assert (tmp_path / "f.csv").read_text().startswith("date,source,term,metric,value,flags")
    assert main(args) == 0
    assert "files fetched: 0, read from the store: 12" in capsys.readouterr().out
    assert issuers.requests == 12


def test_cli_collect_flows_json_and_errors(issuers, capsys):
    from attention.cli import main

    assert main(["collect", "flows", "SPY", "--start", "2026-01-12", "--end", "2026-01-16", "--no-store",
                 "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert {o["metric"] for o in payload["observations"]} == {"shares_outstanding", "nav", "total_net_assets"}
    assert len(payload["observations"]) == 15 and payload["summary"][0].startswith("ETF shares outstanding")
    assert main(["collect", "flows", "QQQ", "--no-store"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("attention: error: tickers: no issuer collector for ['QQQ']") and err.count("\n") == 1


def test_observations_with_closing_prices_as_nav():
    fake = FakeIShares()
    shares = collect_etf_shares("IWM", "2026-01-05", "2026-01-16", session=fake, politeness=QUIET)
    close = pd.DataFrame({"IWM": np.linspace(250.0, 260.0, 10)}, index=trading_days("2026-01-05", "2026-01-16"))
    flows = etf_flows(shares, close, unit="dollars")
    so = fake.history["IWM"]["shares_outstanding"]
    assert flows.loc["2026-01-16", "IWM"] == pytest.approx((so.loc["2026-01-16"] - so.loc["2026-01-15"]) * 260.0)


# ---------------------------------------------------------------- live (deselected by default)


@pytest.mark.network
def test_live_spdr_workbook_parses():
    frame = collect_etf_shares("SPY", "2026-01-05", "2026-01-09")
    assert set(frame["metric"]) == {"shares_outstanding", "nav", "total_net_assets"}
    assert len(frame[frame["metric"] == "nav"]) == 5


@pytest.mark.network
def test_live_ishares_serves_the_csv_or_says_it_does_not():
    try:
        frame = collect_etf_shares("IWM", "2026-01-05", "2026-01-09")
    except UpstreamFormatError as exc:
        assert "HTML page" in str(exc) and "read_etf_shares" in str(exc)
    else:
        assert len(frame) == 5 and frame["value"].gt(1e8).all()


def test_cli_claims_with_sector_funds(monkeypatch, tmp_path, capsys):
    from attention.cli import main
    from attention.collectors.etf import collect
    from attention.testing import FakeSPDR

    funds = ["XLB", "XLC", "XLE", "XLF", "XLI", "XLK", "XLP", "XLRE", "XLU", "XLV", "XLY"]
    fake = FakeSPDR(latent_shares(funds, "2025-11-03", "2026-01-30", seed=3))
    real = collect.HttpClient
    monkeypatch.setattr(collect, "HttpClient", lambda source, **kw: real(source, **{**kw, "session": fake,
                                                                                   "politeness": QUIET}))
    assert main(["claims", "--sectors", "--store", str(tmp_path / "s.sqlite"), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[-1]["verdict"] in ("supported", "not supported")
    assert "NAVs from State Street's SPDR NAV-history files" in rows[-1]["finding"]
    assert fake.requests == 11


def test_read_etf_shares_from_a_workbook_with_named_columns(tmp_path):
    path = tmp_path / "qqq_history.xlsx"
    pd.DataFrame({"As Of": pd.to_datetime(["2026-01-14", "2026-01-15", "2026-01-16"]),
                  "Units": [3.10e8, 3.12e8, 3.11e8], "Net Asset Value": [620.5, 622.0, 619.9]}).to_excel(path, index=False)
    frame = read_etf_shares(path, shares="Units")
    assert set(frame["term"]) == {"QQQ_HISTORY"}
    flows = etf_flows(read_etf_shares(path, ticker="QQQ", shares="units"), unit="dollars")
    assert flows["QQQ"].tolist()[1:] == pytest.approx([2.0e6 * 622.0, -1.0e6 * 619.9])
    with pytest.raises(DataError, match=r"qqq_history\.xlsx: no column 'Shares Out'"):
        read_etf_shares(path, shares="Shares Out")
