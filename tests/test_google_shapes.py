"""Every Google Trends answer shape parses, or raises UpstreamFormatError naming the widget.

Each payload is a real recorded answer (tests/data/google_trends/, provenance in
tests/data/README.md) changed in one way Google has been seen to answer: an
empty timeline (a term nobody searched), entries without ``value`` (a
multirange answer), ``{"widgets": null}``, a related-topics answer where
related queries were expected, another widget's answer. No raw KeyError,
TypeError or AttributeError may escape, and a refused answer never enters
the store as good.
"""

from __future__ import annotations

import copy
import json
import warnings
from pathlib import Path

import pytest

from attention.collectors import (
    Politeness,
    collect_google_trends,
    collect_related_queries,
    parse_google_trends,
)
from attention.errors import AttentionWarning, UpstreamFormatError
from attention.schema import OBSERVATION_COLUMNS
from attention.store import Store
from attention.testing import ReplaySession

DATA = Path(__file__).parent / "data" / "google_trends"
QUIET = Politeness(pace=0, sleep=lambda seconds: None)
OK = dict(terms=["pizza", "bagel"], start="2021-01-01", end="2021-01-05", geo="", politeness=QUIET)


def _interactions(name):
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))["interactions"]


def _split(body):
    prefix, _, text = body.partition("\n")
    return prefix, json.loads(text)


def _join(prefix, data):
    return prefix + "\n" + json.dumps(data)


def _changed(name, index, change):
    """The recording ``name`` with answer ``index`` passed through ``change(decoded) -> decoded``."""
    interactions = _interactions(name)
    prefix, data = _split(interactions[index]["body"])
    interactions[index]["body"] = _join(prefix, change(copy.deepcopy(data)))
    return interactions


def _timeline(data, points):
    data["default"]["timelineData"] = points
    return data


def _ok_points():
    return _split(_interactions("test_interest_over_time_ok")[2]["body"])[1]["default"]["timelineData"]


# ---------------------------------------------------------------- an empty timeline


def test_an_empty_timeline_parses_to_no_rows():
    body = _join(")]}',", _timeline(_split(_interactions("test_interest_over_time_ok")[2]["body"])[1], []))
    frame = parse_google_trends(body, ["pizza", "bagel"])
    assert frame.empty and list(frame.columns) == list(OBSERVATION_COLUMNS)


def test_a_term_without_data_is_missing_with_a_warning_and_the_answer_is_kept(tmp_path):
    path = tmp_path / "trends.sqlite"
    session = ReplaySession(_changed("test_interest_over_time_ok", 2, lambda d: _timeline(d, [])))
    with pytest.warns(AttentionWarning, match=r"no data for \['pizza', 'bagel'\].*missing, not zero"):
        frame = collect_google_trends(session=session, store=path, **OK)
    assert frame.empty and frame.attrs["google_trends"]["fetched"] == 1
    with Store(path) as store:  # "no data" is a valid answer: kept as good, not asked again
        assert len(store.response_keys("google_trends")) == 1 and store.bad_responses() == []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AttentionWarning)
        again = collect_google_trends(session=ReplaySession([]), store=path, **OK)
    assert again.attrs["google_trends"]["cached"] == 1


def test_a_term_without_data_beside_one_with_data(recwarn):
    def only_pizza(data):
        for point in data["default"]["timelineData"]:
            point["value"][1], point["hasData"][1] = 0, False
        return data

    session = ReplaySession(_changed("test_interest_over_time_ok", 2, only_pizza))
    with pytest.warns(AttentionWarning, match=r"no data for \['bagel'\]"):
        frame = collect_google_trends(session=session, **OK)
    values = frame[frame["metric"] == "search_interest"].pivot(index="date", columns="term", values="value")
    assert values["bagel"].isna().all()  # missing, never 0
    assert list(values["pizza"]) == [100.0, 83, 78, 49, 50]  # the recorded values


# ---------------------------------------------------------------- shapes that must be refused


def _multirange(data):
    # pytrends' multirange_interest_over_time reads these: one columnData list per point, no value.
    points = data["default"]["timelineData"]
    data["default"]["timelineData"] = [{"index": i, "columnData": [p, p]} for i, p in enumerate(points)]
    return data


TIMELINE_SHAPES = {
    "multirange": (_multirange, r"multiline: timelineData entries carry no 'value' \(a multirange answer"),
    "timeline is an object": (lambda d: _timeline(d, {"0": _ok_points()[0]}), "multiline: timelineData is a dict"),
    "entries are not objects": (lambda d: _timeline(d, [[1609459200, [100, 2]]]), "multiline: timelineData entries"),
    "entry without time": (lambda d: _timeline(d, [{k: v for k, v in p.items() if k != "time"} for p in _ok_points()]),
                           "multiline: malformed timelineData"),
    "ragged values": (lambda d: _timeline(d, [{**p, "value": p["value"][:1]} if i == 2 else p
                                              for i, p in enumerate(_ok_points())]), "multiline: malformed"),
    "text values": (lambda d: _timeline(d, [{**p, "value": ["", "<1"]} for p in _ok_points()]), "multiline: malformed"),
    "hasData of another length": (lambda d: _timeline(d, [{**p, "hasData": [True]} for p in _ok_points()]),
                                  "multiline: malformed"),
    "one series for two terms": (lambda d: _timeline(d, [{**p, "value": p["value"][:1], "hasData": [True]}
                                                         for p in _ok_points()]), "1 series in the answer, 2 terms"),
    "default is null": (lambda d: {"default": None}, "multiline: no default.timelineData"),
    "a list": (lambda d: [d], "multiline: no default.timelineData"),
}


@pytest.mark.parametrize("shape", list(TIMELINE_SHAPES))
def test_an_unknown_timeline_shape_is_refused_naming_the_widget_and_never_stored_as_good(shape, tmp_path):
    change, message = TIMELINE_SHAPES[shape]
    session = ReplaySession(_changed("test_interest_over_time_ok", 2, change))
    path = tmp_path / "trends.sqlite"
    with pytest.raises(UpstreamFormatError, match=message) as caught:
        collect_google_trends(session=session, store=path, **OK)
    assert caught.value.source == "google_trends"
    with Store(path) as store:
        assert store.response_keys() == set() and len(store.bad_responses("google_trends")) == 1
    # The parser alone says the same.
    body = _changed("test_interest_over_time_ok", 2, change)[2]["body"]
    with pytest.raises(UpstreamFormatError, match=message):
        parse_google_trends(body, ["pizza", "bagel"])


def test_another_widgets_answer_is_refused():
    """The recorded interest-by-region answer (geoMapData) where a timeline was expected."""
    geo = _interactions("test_interest_by_region_ok")[2]["body"]
    assert "geoMapData" in geo
    with pytest.raises(UpstreamFormatError, match="multiline: no default.timelineData"):
        parse_google_trends(geo, ["pizza", "bagel"])


def test_truncated_and_captcha_answers_are_refused():
    body = _interactions("test_interest_over_time_ok")[2]["body"]
    for broken in (body[: len(body) // 2], "", "<html><body>unusual traffic</body></html>"):
        with pytest.raises(UpstreamFormatError, match="Google Trends multiline: expected JSON"):
            parse_google_trends(broken, ["pizza", "bagel"])


@pytest.mark.parametrize("widgets", [None, [], [{"id": "TIMESERIES"}], "nope"])
def test_an_explore_answer_without_a_usable_widget_is_refused(widgets):
    session = ReplaySession(_changed("test_interest_over_time_ok", 1, lambda d: {**d, "widgets": widgets})[:2])
    with pytest.raises(UpstreamFormatError, match="Google Trends explore: .*no TIMESERIES widget") as caught:
        collect_google_trends(**OK, session=session)
    assert caught.value.source == "google_trends"


# ---------------------------------------------------------------- related queries


def _related(change):
    return ReplaySession(_changed("test_related_queries_result_top", 2, change)[:3])


def _as_topics(data):
    for block in data["default"]["rankedList"]:
        for item in block["rankedKeyword"]:
            query = item.pop("query")
            item["topic"] = {"mid": "/m/0663v", "title": query.title(), "type": "Topic"}
    return data


def test_related_queries_parse_the_recording():
    rows = collect_related_queries(["pizza"], "2021-01-01", "2021-12-31", session=_related(lambda d: d),
                                   politeness=QUIET)
    assert rows.iloc[0][["kind", "rank", "query", "value"]].tolist() == ["top", 1, "pizza hut", 100.0]
    assert rows["query"].notna().all()


@pytest.mark.parametrize(("change", "message"), [
    (_as_topics, r"relatedsearches: expected related queries, got a related-topics answer"),
    (lambda d: {"default": {"rankedList": None}}, "relatedsearches: rankedList is not a list"),
    (lambda d: {"default": {"rankedList": [{"rankedKeyword": None}]}}, "relatedsearches: the top block"),
    (lambda d: {"default": {}}, "relatedsearches: no default.rankedList"),
])
def test_an_unknown_related_shape_is_refused_naming_the_widget(change, message, tmp_path):
    with pytest.raises(UpstreamFormatError, match=message):
        collect_related_queries(["pizza"], "2021-01-01", "2021-12-31", session=_related(change), politeness=QUIET,
                                store=tmp_path / "s.sqlite")
    with Store(tmp_path / "s.sqlite") as store:
        assert store.response_keys() == set() and len(store.bad_responses()) == 1

