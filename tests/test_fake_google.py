"""FakeGoogleTrends speaks Google's wire format: prefixes, tokens, time axis, limits.

The fake is what every offline collector test stands on, so its answers are
checked here against the real recorded answers in tests/data/google_trends/
(see tests/data/README.md) wherever a recording covers the same request.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from attention.errors import DataError
from attention.testing import FakeGoogleTrends, latent_attention

DATA = Path(__file__).parent / "data" / "google_trends"
TRENDS = "https://trends.google.com/trends"
THIN, DASH = "\u2009", "\u2013"


def _explore(fake, terms, time, *, geo="", prop="", category=0):
    """POST /api/explore the way pytrends builds it; returns the response."""
    req = {"comparisonItem": [{"keyword": t, "time": time, "geo": geo} for t in terms],
           "category": category, "property": prop}
    return fake.post(f"{TRENDS}/api/explore", params={"hl": "en-US", "tz": 360, "req": json.dumps(req)})


def _widget(fake, terms, time, **kwargs):
    response = _explore(fake, terms, time, **kwargs)
    assert response.status_code == 200, response.text
    return json.loads(response.text.split("\n", 1)[1])["widgets"][0]


def _multiline(fake, widget, *, token=None):
    params = {"req": json.dumps(widget["request"]), "token": token or widget["token"], "tz": 360}
    return fake.get(f"{TRENDS}/api/widgetdata/multiline", params=params)


def _timeline(fake, terms, time, **kwargs):
    response = _multiline(fake, _widget(fake, terms, time, **kwargs))
    assert response.status_code == 200, response.text
    return json.loads(response.text.split("\n", 1)[1])["default"]["timelineData"]


def _recorded_timeline(name):
    body = json.loads((DATA / name).read_text(encoding="utf-8"))["interactions"][2]["body"]
    return json.loads(body.split("\n", 1)[1])["default"]["timelineData"]


@pytest.fixture(scope="module")
def latent():
    return latent_attention(["pizza", "bagel", "taco", "sushi", "ramen", "pho"], "2003-01-01", "2025-12-31", seed=11)


@pytest.fixture
def fake(latent):
    return FakeGoogleTrends(latent, seed=2)


# ---------------------------------------------------------------- prefixes and tokens


def test_explore_and_multiline_carry_googles_anti_xssi_prefixes(fake):
    explore = _explore(fake, ["pizza"], "2021-01-01 2021-01-05")
    assert explore.status_code == 200
    assert explore.text.startswith(")]}'\n{")  # explore: no comma
    assert explore.headers["Content-Type"].startswith("application/json")
    widget = json.loads(explore.text.split("\n", 1)[1])["widgets"][0]
    assert widget["id"] == "TIMESERIES" and widget["token"]
    line = _multiline(fake, widget)
    assert line.status_code == 200
    assert line.text.startswith(")]}',\n{")  # multiline: with a comma
    # Both real recordings start the same way.
    real = json.loads((DATA / "test_interest_over_time_ok.json").read_text(encoding="utf-8"))["interactions"]
    assert real[1]["body"].startswith(")]}'\n{") and real[2]["body"].startswith(")]}',\n{")


def test_explore_lists_one_related_queries_widget_per_term(fake):
    response = _explore(fake, ["pizza", "bagel"], "2021-01-01 2021-12-31")
    widgets = json.loads(response.text.split("\n", 1)[1])["widgets"]
    assert [w["id"] for w in widgets] == ["TIMESERIES", "RELATED_QUERIES_0", "RELATED_QUERIES_1"]
    assert [w["keywordName"] for w in widgets[1:]] == ["pizza", "bagel"]
    assert len({w["token"] for w in widgets}) == 3


def test_a_token_issued_for_another_request_is_refused_with_401(fake):
    pizza = _widget(fake, ["pizza"], "2021-01-01 2021-01-05")
    bagel = _widget(fake, ["bagel"], "2021-01-01 2021-01-05")
    assert _multiline(fake, pizza, token=bagel["token"]).status_code == 401
    assert _multiline(fake, pizza, token="APP6_NEVER_ISSUED").status_code == 401
    assert _multiline(fake, pizza).status_code == 200  # its own token works


def test_more_than_five_terms_is_http_400(fake):
    assert _explore(fake, ["pizza", "bagel", "taco", "sushi", "ramen"], "2021-01-01 2021-01-05").status_code == 200
    six = _explore(fake, ["pizza", "bagel", "taco", "sushi", "ramen", "pho"], "2021-01-01 2021-01-05")
    assert six.status_code == 400
    assert six.headers["Content-Type"].startswith("text/html")


def test_unknown_path_and_cookie_request_answer_404_html(fake):
    cookie = fake.get(f"{TRENDS}/explore/?geo=US")
    assert cookie.status_code == 404 and cookie.cookies == {"NID": "511=fake"}  # as Google does
    assert fake.get(f"{TRENDS}/api/widgetdata/comparedgeo").status_code == 404
    assert fake.calls == [("GET", "/trends/explore/"), ("GET", "/trends/api/widgetdata/comparedgeo")]
    assert fake.data_calls == 1  # the cookie page is not a data call


# ---------------------------------------------------------------- the time axis


def test_daily_axis_matches_the_real_recording(fake):
    points = _timeline(fake, ["pizza", "bagel"], "2021-01-01 2021-01-05")
    real = _recorded_timeline("test_interest_over_time_ok.json")
    for key in ("time", "formattedTime", "formattedAxisTime"):
        assert [p[key] for p in points] == [p[key] for p in real], key
    assert points[0]["formattedTime"] == "Jan 1, 2021"
    assert set(points[0]) == set(real[0])  # same keys, no isPartial without `today`


def test_weekly_axis_matches_the_real_recording_thin_spaces_and_en_dash(fake):
    # The recorded 5-year request: 260 Sunday-to-Saturday weeks, Apr 1 2018 .. Mar 19 2023.
    points = _timeline(fake, ["pizza", "bagel"], "2018-03-26 2023-03-26")
    real = _recorded_timeline("test_interest_over_time_partial.json")
    assert len(points) == len(real) == 260
    for key in ("time", "formattedTime", "formattedAxisTime"):
        assert [p[key] for p in points] == [p[key] for p in real], key
    labels = [p["formattedTime"] for p in points]
    assert labels[0] == f"Apr 1{THIN}{DASH}{THIN}7, 2018"
    assert f"Apr 29{THIN}{DASH}{THIN}May 5, 2018" in labels  # across a month
    assert f"Dec 26, 2021{THIN}{DASH}{THIN}Jan 1, 2022" in labels  # across a year
    assert not any(f" {DASH} " in label or "-" in label for label in labels)  # never plain spaces or hyphens
    starts = pd.to_datetime([int(p["time"]) for p in points], unit="s", utc=True)
    assert (starts.day_of_week == 6).all()  # Sundays


@pytest.mark.parametrize(
    ("time", "resolution", "step_days"),
    [
        ("2024-01-01 2024-01-05", "DAY", 1),
        ("2024-01-01 2024-09-25", "DAY", 1),  # 269 days: still daily
        ("2024-01-01 2024-09-26", "WEEK", 7),  # 270 days
        ("2014-01-01 2019-03-05", "WEEK", 7),  # 1890 days: still weekly
        ("2014-01-01 2019-03-06", "MONTH", None),  # 1891 days
    ],
)
def test_resolution_follows_the_window_length(fake, time, resolution, step_days):
    a, z = (pd.Timestamp(t) for t in time.split(" "))
    assert (z - a).days + 1 in (5, 269, 270, 1890, 1891)
    widget = _widget(fake, ["pizza"], time)
    assert widget["request"]["resolution"] == resolution
    points = json.loads(_multiline(fake, widget).text.split("\n", 1)[1])["default"]["timelineData"]
    starts = pd.to_datetime([int(p["time"]) for p in points], unit="s", utc=True)
    steps = set(starts.to_series().diff().dropna().dt.days)
    if step_days is None:
        assert (starts.day == 1).all() and steps <= {28, 29, 30, 31}
    else:
        assert steps == {step_days}


def test_monthly_formatted_time_uses_googles_abbreviated_month(fake):
    points = _timeline(fake, ["pizza"], "2014-01-01 2019-03-06")
    assert points[0]["formattedTime"] == "Jan 2014"
    assert points[0]["formattedAxisTime"] == "Jan 1, 2014"


# ---------------------------------------------------------------- values


@pytest.mark.parametrize("time", ["2021-01-01 2021-03-31", "2018-03-26 2023-03-26", "2005-01-01 2020-12-31"])
def test_every_answer_peaks_at_exactly_100_in_integers(fake, time):
    points = _timeline(fake, ["pizza", "bagel", "taco"], time)
    values = np.array([p["value"] for p in points])
    assert values.dtype.kind == "i"
    assert values.max() == 100 and values.min() >= 0
    assert all(p["formattedValue"] == [str(v) for v in p["value"]] for p in points)
    assert all(p["hasData"] == [True, True, True] for p in points)


def test_values_follow_the_latent_truth(latent):
    fake = FakeGoogleTrends(latent, noise=0.0)
    points = _timeline(fake, ["pizza", "bagel"], "2021-01-01 2021-03-31")
    got = np.array([p["value"] for p in points], dtype=float)
    truth = latent.loc["2021-01-01":"2021-03-31", ["pizza", "bagel"]].to_numpy()
    expected = np.round(100 * truth / truth.max())
    np.testing.assert_array_equal(got, expected)


def test_repeated_requests_are_sampled_and_differ(fake):
    first = [p["value"] for p in _timeline(fake, ["pizza", "bagel"], "2021-01-01 2021-03-31")]
    again = [p["value"] for p in _timeline(fake, ["pizza", "bagel"], "2021-01-01 2021-03-31")]
    assert first != again
    assert np.abs(np.array(first) - np.array(again)).max() <= 20  # noise of a few percent, not chaos


def test_an_unknown_term_has_no_data_and_value_zero(fake):
    points = _timeline(fake, ["pizza", "no such term xyz"], "2021-01-01 2021-01-31")
    assert all(p["hasData"] == [True, False] for p in points)
    assert all(p["value"][1] == 0 and p["formattedValue"][1] == "0" for p in points)
    assert max(p["value"][0] for p in points) == 100


def test_today_makes_the_running_point_partial(latent):
    plain = _timeline(FakeGoogleTrends(latent), ["pizza"], "2021-01-01 2021-01-31")
    assert not any("isPartial" in p for p in plain)
    daily = _timeline(FakeGoogleTrends(latent, today="2021-01-31"), ["pizza"], "2021-01-01 2021-01-31")
    assert [p.get("isPartial", False) for p in daily] == [False] * 30 + [True]
    # Weekly: the running week (today is a Wednesday) is listed and is the partial one.
    weekly = _timeline(FakeGoogleTrends(latent, today="2023-03-22"), ["pizza"], "2018-03-22 2023-03-22")
    assert weekly[-1]["isPartial"] is True
    assert weekly[-1]["formattedTime"] == f"Mar 19{THIN}{DASH}{THIN}25, 2023"
    assert sum(p.get("isPartial", False) for p in weekly) == 1


# ---------------------------------------------------------------- quota


def test_quota_then_429_with_retry_after_until_reset(latent):
    fake = FakeGoogleTrends(latent, quota=2, retry_after=30)
    widget = _widget(fake, ["pizza"], "2021-01-01 2021-01-05")  # data call 1
    assert _multiline(fake, widget).status_code == 200  # data call 2
    refused = _multiline(fake, widget)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "30"
    assert "429" in refused.text and refused.headers["Content-Type"].startswith("text/html")
    assert _explore(fake, ["pizza"], "2021-01-01 2021-01-05").status_code == 429
    assert fake.get(f"{TRENDS}/explore/?geo=US").status_code == 404  # the cookie page is not rationed
    assert fake.data_calls == 4
    fake.reset_quota()
    assert _multiline(fake, widget).status_code == 200


def test_429_without_retry_after_sends_no_header(latent):
    fake = FakeGoogleTrends(latent, quota=0)
    refused = _explore(fake, ["pizza"], "2021-01-01 2021-01-05")
    assert refused.status_code == 429
    assert "Retry-After" not in refused.headers


def test_related_searches_answer_top_then_rising(fake):
    response = _explore(fake, ["pizza"], "2021-01-01 2021-12-31")
    related = json.loads(response.text.split("\n", 1)[1])["widgets"][1]
    answer = fake.get(f"{TRENDS}/api/widgetdata/relatedsearches",
                      params={"req": json.dumps(related["request"]), "token": related["token"]})
    assert answer.status_code == 200 and answer.text.startswith(")]}',\n")
    top, rising = json.loads(answer.text.split("\n", 1)[1])["default"]["rankedList"]
    assert top["rankedKeyword"][0] == {"query": "pizza bagel", "value": 100, "formattedValue": "100", "hasData": True}
    assert rising["rankedKeyword"][0]["formattedValue"] == "+250%"


def test_latent_must_be_a_dated_frame():
    with pytest.raises(DataError, match="latent"):
        FakeGoogleTrends(pd.DataFrame({"a": [1.0, 2.0]}))
