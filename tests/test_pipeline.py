"""The live pipeline end to end, offline: fake Google Trends and fake Arctic Shift injected."""

import random
import warnings

import pandas as pd
import pytest

from attention import DataError
from attention.collectors import Politeness
from attention.pipeline import run
from attention.testing import FakeArcticShift, FakeGoogleTrends, FakeIssuers, latent_attention, latent_shares
from attention.themes import DEFAULT_THEMES

START, END = pd.Timestamp("2023-06-01"), pd.Timestamp("2025-12-31")
QUIET = Politeness(pace=0, sleep=lambda s: None)
TEXTS = ["small caps ripping, IWM to the moon", "Mag 7 overvalued", "AI stocks bubble", "lunch",
         "Russell 2000 breakout", "SAID stocks nothing"]


def corpus(n=2000, seed=3):
    rng = random.Random(seed)
    posts = []
    for i in range(n):
        ts = rng.randint(int(START.timestamp()), int(END.timestamp()))
        posts.append({"id": f"p{i}", "created_utc": ts, "subreddit": "wallstreetbets", "author": f"u{rng.randint(1, 300)}",
                      "score": rng.randint(0, 100), "title": rng.choice(TEXTS), "selftext": ""})
    return {"post": posts, "comment": []}


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    queries = [t.google_query for t in DEFAULT_THEMES]
    google = FakeGoogleTrends(latent_attention(queries, "2022-06-01", "2026-03-01", seed=5), seed=5)
    reddit = FakeArcticShift(corpus())
    issuers = FakeIssuers()
    folder = tmp_path_factory.mktemp("run")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rare fake terms sit near Google's rounding floor by design
        out = run(None, START, END, google_session=google, reddit_session=reddit, politeness=QUIET,
                  subreddits=["wallstreetbets"], n_surrogates=99, store=folder / "store.sqlite",
                  report=folder / "report", etf_session=issuers)
    return out, google, reddit, folder, issuers


def test_every_theme_and_source_is_tested(result):
    out, *_ = result
    assert set(out.loops) == {(t.name, s) for t in DEFAULT_THEMES for s in ("google_trends", "reddit")}
    assert len(out.screen) == 6 and (out.screen["p_bh"] >= out.screen["p_loop"] - 1e-12).all()
    assert out.screen["n"].min() > 100  # two and a half years of weeks
    assert {"google_trends", "reddit"} == set(out.observations["source"].astype(str))


def test_claims_checked_and_report_written(result):
    out, _, _, folder, _ = result
    assert [c.verdict for c in out.claims][:2] == ["supported", "supported"]
    page = (folder / "report" / "index.html").read_text()
    assert "Feedback loop: small-cap stocks (reddit)" in page and page.count("data:image/png") >= 10
    # Real flows by default: net creations from the issuers' files, said so everywhere.
    assert set(out.screen["flows"]) == {"creations"}
    assert "PROXY" not in out.summary()
    assert out.flow_measures["Magnificent Seven"].startswith("net creations of XLK+XLC+XLY, % of assets")
    assert "net creations of XLK+XLC+XLY" in page
    assert out.loops[("AI stocks", "reddit")].links.loc["attention -> flows", "effect"] == "XLK net creations, % of assets"


def test_rerun_is_served_by_the_store(result):
    out, google, reddit, folder, issuers = result
    calls = (len(google.calls), len(reddit.log), issuers.requests)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        again = run(None, START, END, google_session=google, reddit_session=reddit, politeness=QUIET,
                    subreddits=["wallstreetbets"], n_surrogates=99, store=folder / "store.sqlite",
                    check_claims=False, etf_session=issuers)
    assert (len(google.calls), len(reddit.log), issuers.requests) == calls  # nothing sent
    pd.testing.assert_frame_equal(again.observations, out.observations)


def test_bad_arguments():
    with pytest.raises(DataError, match="google, reddit: at least one source"):
        run(google=False, reddit=False)
    with pytest.raises(DataError, match="prices: \\['AAPL'\\] are not shipped"):
        from attention import Theme

        run([Theme("apple", ticker="AAPL", benchmark="SPY")])
    with pytest.raises(DataError, match="start: expected a date before end"):
        run(None, "2025-01-01", "2024-01-01")


def _small_caps(**kwargs):
    google = FakeGoogleTrends(latent_attention(["small cap stocks"], "2024-06-01", "2026-03-01", seed=2), seed=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run(["small-cap stocks"], "2024-09-01", "2025-12-31", google_session=google, reddit=False,
                   politeness=QUIET, n_surrogates=19, check_claims=False, **kwargs)


def test_proxy_fallback_is_labelled_with_its_reason():
    out = _small_caps(etf_session=FakeIssuers(html_shell=True))
    measure = out.flow_measures["small-cap stocks"]
    assert measure.startswith("PROXY - abnormal dollar volume of IWM") and "HTML page" in measure
    assert out.screen["flows"].tolist() == ["PROXY"]
    assert "PROXY - abnormal dollar volume" in out.summary() and any("PROXY" in n for n in out.notes)
    assert out.loops[("small-cap stocks", "google_trends")].links.loc["attention -> flows", "effect"].endswith(
        "(PROXY, not flows)")
    asked = _small_caps(flows="proxy")
    assert "flows='proxy' was asked for" in asked.flow_measures["small-cap stocks"]


def test_flows_passed_directly_are_used_without_collecting():
    history = latent_shares(("IWM",), "2024-08-01", "2025-12-31", seed=4)["IWM"]
    table = history.assign(ticker="IWM").rename_axis("date").reset_index()
    from attention import read_etf_shares

    issuers = FakeIssuers()
    out = _small_caps(flows=read_etf_shares(table), etf_session=issuers)
    assert issuers.requests == 0
    assert out.flow_measures["small-cap stocks"].startswith("net creations of IWM, % of assets")
    weekly = out.weekly[("small-cap stocks", "flows")].dropna()
    daily = (history["shares_outstanding"].diff() * history["nav"]).loc["2025-03-02":"2025-03-08"]
    base = (history["shares_outstanding"] * history["nav"]).loc[:"2025-02-28"].iloc[-1]
    assert weekly.loc["2025-03-02"] == pytest.approx(100 * daily.sum() / base)
    with pytest.raises(DataError, match="flows: expected None"):
        _small_caps(flows="volume")
