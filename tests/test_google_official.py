"""The official Google Trends API backend on Google's documented shapes and a fake that speaks them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from attention import (
    AuthenticationError,
    DataError,
    RateLimitError,
    UpstreamFormatError,
    collect_google_trends,
)
from attention.collectors._http import Politeness
from attention.collectors.google_official import (
    OFFICIAL_URL,
    collect_official_regions,
    official_spec,
    parse_official_regions,
    parse_official_series,
)
from attention.store import Store
from attention.testing import FakeTrendsApi, latent_attention

API = Path(__file__).parent / "data" / "google_trends_api"
KEY = "AIzaSECRET-" + "key-123"
FAST = Politeness(pace=0.0, jitter=0.0, sleep=lambda s: None)
TODAY = pd.Timestamp.now(tz="UTC").normalize()
END = (TODAY - pd.Timedelta(days=40)).tz_localize(None)
START = END - pd.Timedelta(days=2 * 365)


def _doc(name):
    return json.loads((API / f"{name}.json").read_text(encoding="utf-8"))


def test_the_request_body_is_exactly_the_documented_one():
    assert official_spec("world cup", "2024-12-01", "2025-08-31", geo="GB", resolution="monthly") == \
        _doc("fetchTimeSeries.request")
    assert official_spec("world cup", "2024-12-01", "2025-08-31", geo="GB", breakdown="region") == \
        _doc("fetchGeoBreakdown.request")


def test_the_documented_answers_parse_with_both_values():
    series = parse_official_series(_doc("fetchTimeSeries.done"), "world cup")
    wide = series.pivot(index="date", columns="metric", values="value")
    assert len(wide) == 9 and wide.index[0] == pd.Timestamp("2024-12-01", tz="UTC")
    assert wide["search_interest"].iloc[:2].tolist() == [65000, 43000]
    assert wide["scaled_search_interest"].iloc[:2].tolist() == [17, 11]
    assert (wide["scaled_search_interest"] <= 100).all() and wide["scaled_search_interest"].max() == 100
    regions = parse_official_regions(_doc("fetchGeoBreakdown.done"), "world cup")
    assert regions["region"].tolist()[:3] == ["GB-ENG", "GB-NIR", "GB-SCT"]
    assert regions["search_interest"].tolist()[:3] == [130000, 120000, 110000]
    assert regions["scaled_search_interest"].tolist()[:3] == [100, 91, 82]
    with pytest.raises(UpstreamFormatError, match="the operation is not done"):
        parse_official_series(_doc("fetchTimeSeries.operation"), "world cup")


@pytest.mark.parametrize(("op", "error", "said"), [
    ({"done": True, "response": {"timeSeries": {"points": [{"searchInterest": 3}]}}}, UpstreamFormatError,
     r"point 0 has no readable timeRange\.startTime"),
    ({"done": True, "response": {"timeSeries": {"points": [
        {"timeRange": {"startTime": "2025-01-01T00:00:00Z"}, "searchInterest": "lots"}]}}},
     UpstreamFormatError, r"point 0 has searchInterest='lots'"),
    ({"done": True, "response": {}}, UpstreamFormatError, r"no timeSeries\.points"),
    ({"done": True, "error": {"code": 7, "message": "caller does not have permission"}}, AuthenticationError,
     r"failed \(code 7\): caller does not have permission"),
    ({"done": True, "error": {"code": 8, "message": "quota"}}, RateLimitError, r"code 8"),
    ("<html>captcha</html>", UpstreamFormatError, "expected JSON"),
])
def test_every_bad_answer_is_named(op, error, said):
    with pytest.raises(error, match=said):
        parse_official_series(op, "x")


def test_proto3_leaves_out_zeros_and_false():
    op = {"done": True, "response": {"timeSeries": {"points": [
        {"timeRange": {"startTime": "2025-01-01T00:00:00Z"}}]}}}
    frame = parse_official_series(op, "rare term")
    assert frame["value"].tolist() == [0.0, 0.0] and (frame["flags"] == "below_threshold").all()


def test_collect_through_the_fake_on_one_scale_and_cached(tmp_path):
    latent = latent_attention(["small cap stocks", "AI stocks", "Magnificent Seven"], "2019-01-01",
                              TODAY.tz_localize(None) + pd.Timedelta(days=30), seed=3)
    api = FakeTrendsApi(latent, polls=2)
    db = tmp_path / "store.sqlite"
    frame = collect_google_trends(None, START, END, backend="official", resolution="weekly", session=api,
                                  politeness=FAST, store=db)
    meta = frame.attrs["google_trends"]
    assert meta["requests"] == 3 * (1 + 3) and meta["fetched"] == 3  # one POST and three polls per theme
    wide = frame[frame["metric"] == "search_interest"].pivot(index="date", columns="term", values="value")
    assert (wide.index.day_of_week == 6).all()  # Sunday weeks
    truth = pd.DataFrame({d: latent.loc[d:d + pd.Timedelta(days=6)].sum() for d in wide.index}).T
    common = wide.index[1:-1]
    ratio = wide.loc[common, "small-cap stocks"] / truth.loc[common, "small cap stocks"]
    assert np.allclose(ratio, 1000, rtol=1e-3)  # one fixed scale: no anchors, no stitching
    # Two separate requests stay comparable: the ratio of the themes is the ratio of the truths.
    both = wide.loc[common, "AI stocks"] / wide.loc[common, "Magnificent Seven"]
    assert np.allclose(both, truth.loc[common, "AI stocks"] / truth.loc[common, "Magnificent Seven"], rtol=1e-2)
    sent = len(api.log)
    again = collect_google_trends(None, START, END, backend="official", resolution="weekly", session=api,
                                  politeness=FAST, store=db)
    assert len(api.log) == sent and again.attrs["google_trends"]["cached"] == 3
    pd.testing.assert_frame_equal(again.reset_index(drop=True), frame.reset_index(drop=True), check_like=True)


def test_a_failed_operation_is_never_stored_and_a_rerun_asks_again(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        bad = FakeTrendsApi(operation_error={"code": 13, "message": "internal"})
        with pytest.raises(Exception, match="code 13"):
            collect_google_trends("small cap stocks", START, END, backend="official", session=bad,
                                  politeness=FAST, store=store)
        good = FakeTrendsApi()
        frame = collect_google_trends("small cap stocks", START, END, backend="official", session=good,
                                      politeness=FAST, store=store)
    assert len(frame) > 0 and good.log[0] == ("POST", "/v1alpha:fetchTimeSeries")


def test_arguments_are_checked_before_anything_is_sent():
    api = FakeTrendsApi()
    with pytest.raises(DataError, match=r"^anchor, draws: only used with backend='web'"):
        collect_google_trends("x", START, END, backend="official", anchor="y", draws=2, session=api)
    with pytest.raises(DataError, match=r"^geo: expected an ISO 3166-1"):
        collect_google_trends("x", START, END, backend="official", geo="", session=api)
    with pytest.raises(DataError, match=r"^start: the official API covers about the last five years"):
        collect_google_trends("x", "2015-01-01", END, backend="official", session=api)
    with pytest.raises(DataError, match=r"^api_key: only used with backend='official'"):
        collect_google_trends("x", START, END, api_key="k")
    with pytest.raises(DataError, match=r"^backend: expected 'web' or 'official'"):
        collect_google_trends("x", START, END, backend="api")
    assert api.log == []


def test_refused_credentials_and_the_api_key_never_shown():
    import traceback

    api = FakeTrendsApi(fail=403)
    with pytest.raises(AuthenticationError, match="refused the request") as err:
        collect_google_trends("x", START, END, backend="official", session=api, api_key=KEY, politeness=FAST)
    assert KEY not in "".join(traceback.format_exception(err.value))


def test_interest_by_region_from_the_fake():
    api = FakeTrendsApi(regions={"US-TX": 2.0, "US-CA": 1.0, "US-VT": 0.1})
    regions = collect_official_regions(["small cap stocks", "AI stocks"], START, END, session=api, politeness=FAST)
    top = regions[regions["term"] == "small cap stocks"].set_index("region")["scaled_search_interest"]
    assert top.to_dict() == {"US-TX": 100.0, "US-CA": 50.0, "US-VT": 5.0}
    assert api.log.count(("POST", "/v1alpha:fetchGeoBreakdown")) == 2
    assert OFFICIAL_URL.endswith("/v1alpha")


def test_the_cli_collects_through_the_official_backend(monkeypatch, capsys, tmp_path):
    from attention import cli
    from attention.collectors import google_official

    api = FakeTrendsApi()
    seen = {}

    def session(credentials, project):
        seen.update(credentials=credentials, project=project)
        return api

    monkeypatch.setattr(google_official, "_authorized_session", session)
    monkeypatch.delenv("GOOGLE_TRENDS_API_KEY", raising=False)
    code = cli.main(["collect", "trends", "small cap stocks", "--backend", "official", "--resolution", "monthly",
                     "--start", f"{START:%Y-%m-%d}", "--end", f"{END:%Y-%m-%d}", "--credentials", "sa.json",
                     "--project", "my-proj", "--no-store", "--no-progress"])
    out = capsys.readouterr().out
    assert code == 0 and "Google Trends (official), geo US: 1 term(s)" in out
    assert seen == {"credentials": "sa.json", "project": "my-proj"}
    assert api.log[0] == ("POST", "/v1alpha:fetchTimeSeries")


def test_missing_google_auth_or_credentials_say_what_to_do(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_google(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and (name == "google" or name.startswith("google.")):
            raise ImportError(name)
        return real_import(name, globals, locals, fromlist, level)

    from attention import MissingDependencyError
    monkeypatch.setattr(builtins, "__import__", no_google)
    with pytest.raises(MissingDependencyError, match=r'pip install "market-attention\[google-api\]"'):
        collect_google_trends("x", START, END, backend="official")
