"""Topics, related topics and interest by region, on Google's recorded answers (pytrends' cassettes)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from attention import DataError, UpstreamFormatError
from attention.collectors._http import Politeness
from attention.collectors.google_topics import (
    collect_interest_by_region,
    collect_related_topics,
    parse_related_topics,
    suggest_topics,
)
from attention.store import Store
from attention.testing import FakeTrendsApi, ReplaySession

DATA = Path(__file__).parent / "data" / "google_trends"
FAST = Politeness(pace=0.0, jitter=0.0, sleep=lambda s: None)


def _recorded(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _session(*interactions):
    return ReplaySession(list(interactions))


def test_suggestions_turn_a_phrase_into_topics():
    topics = suggest_topics("pizza", session=_session(*_recorded("autocomplete_pizza.json")["interactions"]),
                            politeness=FAST)
    assert topics["topic_id"].tolist() == ["/m/0663v", "/g/11k19hmrkk", "/m/0dfxdnc", "/g/11hdxfw7c0",
                                           "/g/11fl7dydwb"]
    assert topics.set_index("topic_id").loc["/g/11k19hmrkk", "type"] == "2021 film"  # the film is another topic
    with pytest.raises(DataError, match="^phrase:"):
        suggest_topics("  ")


def test_related_topics_from_the_recorded_answer(tmp_path):
    session = _session(*_recorded("related_topics_pizza_2021.json")["interactions"])
    with Store(tmp_path / "s.sqlite") as store:
        rows = collect_related_topics(["pizza"], "2021-01-01", "2021-12-31", geo="", session=session,
                                      politeness=FAST, store=store)
        top = rows[rows["kind"] == "top"]
        assert top["title"].tolist()[:3] == ["Pizza", "Pizza Hut", "Domino's Pizza"]
        assert top["value"].tolist()[:3] == [100, 24, 13] and top["topic_id"].iloc[1] == "/m/09cfq"
        again = collect_related_topics(["pizza"], "2021-01-01", "2021-12-31", geo="", session=_session(),
                                       politeness=FAST, store=store)  # from the store: no request at all
    assert again.equals(rows)


def test_a_related_queries_answer_is_not_taken_for_topics():
    queries = _recorded("test_related_queries_result_top.json")["interactions"][2]["body"]
    with pytest.raises(UpstreamFormatError, match="an item without a topic"):
        parse_related_topics("pizza", queries)


def test_interest_by_region_from_the_recorded_answer():
    recorded = _recorded("test_interest_by_region_ok.json")["interactions"]
    frame = collect_interest_by_region(["pizza", "bagel"], "2021-01-01", "2021-12-31", geo="",
                                       resolution="country", session=_session(*recorded), politeness=FAST)
    assert frame.attrs["share"] is True
    canada = frame[frame["region_code"] == "CA"].set_index("term")["value"]
    assert canada.to_dict() == {"pizza": 98.0, "bagel": 2.0}
    puerto_rico = frame[frame["region_code"] == "PR"]
    assert puerto_rico["value"].isna().all()  # hasData false: missing, never 0
    assert frame.groupby("region_code")["value"].sum(min_count=1).dropna().between(99, 101).all()
    with pytest.raises(DataError, match=r"^terms: the region map compares at most five terms"):
        collect_interest_by_region([f"t{i}" for i in range(6)])
    with pytest.raises(DataError, match=r"^resolution: expected one of"):
        collect_interest_by_region("x", resolution="street")


def test_interest_by_region_on_the_official_api_keeps_labels():
    import pandas as pd

    from attention.themes import get_theme

    api = FakeTrendsApi(regions={"US-TX": 3.0, "US-CA": 1.5})
    end = pd.Timestamp.now(tz="UTC").normalize().tz_localize(None) - pd.Timedelta(days=20)
    frame = collect_interest_by_region([get_theme("small-cap stocks")], end - pd.Timedelta(days=60), end,
                                       backend="official", session=api, politeness=FAST)
    assert set(frame["term"]) == {"small-cap stocks"}
    assert np.allclose(frame.set_index("region")["scaled_search_interest"].to_list(), [100, 50])
