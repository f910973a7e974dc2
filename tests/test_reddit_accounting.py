"""Every Reddit item read is kept or counted as dropped, with the reason; deleted authors never count."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
import requests

from attention.collectors._google_http import Politeness
from attention.collectors.reddit import fetch_reddit_items
from attention.collectors.reddit_items import ItemLedger, aggregate_items, items_frame
from attention.errors import DroppedItemsWarning
from attention.testing import FakeArcticShift

DAY = pd.Timestamp("2024-07-01", tz="UTC")
T0 = int(DAY.timestamp())


def _ok(body) -> requests.Response:
    response = requests.Response()
    response.status_code = 200
    response._content = json.dumps(body).encode()
    response.encoding = "utf-8"
    return response


class OnePage:
    """Arctic Shift answering one fixed page of posts, then nothing (the shape the API documents)."""

    def __init__(self, items):
        self.items, self.calls = items, 0

    def get(self, url, params=None, timeout=None):
        self.calls += 1
        return _ok({"data": self.items if self.calls == 1 and "posts" in url else []})


def _post(i, **fields):
    return {"id": f"p{i}", "created_utc": T0 + 60 * i, "subreddit": "stocks", "author": f"u{i}", "score": 1,
            "title": "small caps rally", "selftext": "", **fields}


def test_arctic_items_without_time_or_id_or_of_the_wrong_kind_are_counted_and_warned():
    page = [
        _post(1),
        _post(2, created_utc=None),
        {k: v for k, v in _post(3).items() if k != "created_utc"},
        _post(4, id=None),
        {"id": "c5", "created_utc": T0 + 300, "subreddit": "stocks", "author": "x", "score": 1, "body": "a comment"},
        _post(6, created_utc=T0 - 10),  # the second before the range: read, not wanted
    ]
    session = OnePage(page)
    with pytest.warns(DroppedItemsWarning, match=r"Reddit \(arctic_shift\): 4 of 6 items dropped "
                                                 r"\(2 no creation time, 1 no id, 1 not a post\)"):
        items = fetch_reddit_items(None, "stocks", DAY, DAY, kinds="post", session=session,
                                   politeness=Politeness(pace=0.0))
    assert items["id"].tolist() == ["t3_p1"]
    assert items.attrs["reddit"]["accounting"] == {
        "read": 6, "kept": 1,
        "dropped": {"no creation time": 2, "no id": 1, "not a post": 1, "outside the range": 1}}


def test_arctic_paging_accounts_for_every_item_and_warns_about_nothing_lost():
    from tests.test_reddit import CORPUS, END, START, expected_ids

    fake = FakeArcticShift(CORPUS)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DroppedItemsWarning)  # overlaps and edges lose nothing
        items = fetch_reddit_items(None, ("wallstreetbets", "stocks"), START, END, session=fake,
                                   politeness=Politeness(pace=0.0, sleep=fake.sleep))
    books = items.attrs["reddit"]["accounting"]
    assert books["kept"] == len(items) == len(expected_ids())
    assert books["read"] == books["kept"] + sum(books["dropped"].values())
    assert set(books["dropped"]) <= {"duplicate", "outside the range"}
    assert books["dropped"]["duplicate"] > 0  # pages restart at the last second: those items come twice


@pytest.mark.filterwarnings("ignore:The 'future.infer_string' option is deprecated")
@pytest.mark.parametrize("infer_string", [False, True], ids=["pandas-2 object strings", "pandas-3 strings"])
def test_deleted_authors_are_missing_and_never_counted(infer_string):
    records = [
        {"id": f"t1_{i}", "kind": "comment", "created": T0 + i, "subreddit": "stocks", "author": author,
         "score": 1, "text": "small caps are ripping"}
        for i, author in enumerate(["alice", None, "[deleted]", float("nan"), "alice", "bob", ""])
    ]
    with pd.option_context("future.infer_string", infer_string):
        frame = items_frame(records)
        assert frame["author"].isna().tolist() == [False, True, True, True, False, False, True]
        assert frame["author"].dropna().tolist() == ["alice", "alice", "bob"]  # no 'nan' or '[deleted]' name
        daily = aggregate_items(frame, ["small-cap stocks"])
    row = daily.set_index("metric")["value"]
    assert row["mentions"] == 7 and row["unique_authors"] == 2


def test_items_frame_counts_what_it_drops():
    ledger = ItemLedger()
    frame = items_frame([
        {"id": "t3_a", "kind": "post", "created": T0, "subreddit": "x"},
        {"id": "t3_a", "kind": "post", "created": T0 + 1, "subreddit": "x"},
        {"id": "", "kind": "post", "created": T0, "subreddit": "x"},
        {"id": "t3_b", "kind": "post", "created": None, "subreddit": None},
    ], ledger=ledger)
    assert frame["id"].tolist() == ["t3_a"] and frame["created"].iloc[0] == pd.Timestamp(T0 + 1, unit="s", tz="UTC")
    assert ledger.summary(len(frame)) == {"read": 4, "kept": 1,
                                          "dropped": {"duplicate": 1, "no creation time": 1, "no id": 1}}


# ---------------------------------------------------------------- credentials in every source, even malformed

PLANTED = "PLANTED-s3cret-9Zq"


@pytest.fixture
def fresh_praw_config(monkeypatch, tmp_path):
    """praw reads praw.ini once per process; make it read this test's files."""
    import praw.config

    monkeypatch.setattr(praw.config.Config, "CONFIG", None)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    for name in ("praw_client_id", "praw_client_secret", "praw_user_agent", "praw_site"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("ini", "said"),
    [
        (f"[DEFAULT]\nclient_id = abc\nclient_secret {PLANTED}\n", r"praw\.ini lines 3 are not 'key = value'"),
        (f"client_secret={PLANTED}\n[DEFAULT]\n", r"praw\.ini line 1 comes before any \[section\] header"),
    ],
    ids=["line without =", "no section header"],
)
def test_a_malformed_praw_ini_never_shows_its_lines(fresh_praw_config, monkeypatch, ini, said):
    import traceback

    from attention.errors import CollectorError

    (fresh_praw_config / "praw.ini").write_text(ini, encoding="utf-8")
    monkeypatch.setenv("praw_client_secret", PLANTED + "-env")
    with pytest.raises(CollectorError, match=said) as err:
        fetch_reddit_items(None, "stocks", backend="praw", client_secret=PLANTED + "-arg",
                           user_agent="market-attention tests")
    shown = "".join(traceback.format_exception(err.value))
    assert PLANTED not in shown


def test_the_cli_shows_no_praw_ini_line(fresh_praw_config, capsys):
    from attention.cli import main

    (fresh_praw_config / "praw.ini").write_text(f"[DEFAULT]\nclient_secret {PLANTED}\n", encoding="utf-8")
    code = main(["collect", "reddit", "--backend", "praw", "--subreddit", "stocks", "--start", "2024-07-01",
                 "--end", "2024-07-01"])
    out = capsys.readouterr()
    assert code != 0 and "praw.ini" in out.err + out.out
    assert PLANTED not in out.err + out.out


# ---------------------------------------------------------------- item files with explicit time zones

WSB = "tests/data/reddit/reddit_wsb_hot_2024-07_AnnaDS.csv.gz"


def test_a_real_dataset_with_naive_times_needs_its_time_zone():
    from attention import DataError
    from attention.collectors.reddit_files import read_reddit_items

    with pytest.raises(DataError, match=r"^tz: the times in reddit_wsb_hot_2024-07_AnnaDS\.csv\.gz's 'created'"):
        read_reddit_items(WSB)
    utc = read_reddit_items(WSB, tz="UTC")
    pacific = read_reddit_items(WSB, tz="America/Los_Angeles")
    assert len(utc) == len(pacific) == 530 and set(utc["kind"]) == {"post"}
    assert utc.attrs["reddit"]["accounting"] == {"read": 530, "kept": 530, "dropped": {}}
    assert pacific.attrs["reddit"]["tz"] == "America/Los_Angeles"
    shift = pacific.set_index("id")["created"] - utc.set_index("id")["created"]
    assert set(shift.dt.total_seconds() / 3600) == {7.0}  # PDT in June/July 2024
    day = lambda frame: frame.set_index("id")["created"].dt.floor("D")  # noqa: E731
    assert int((day(utc) != day(pacific)).sum()) == 240  # 240 of 530 posts change day with the zone
    assert utc["author"].isna().all() and utc["id"].str.startswith("t3_").all()


def test_epoch_seconds_win_and_the_local_zone_is_inferred(tmp_path):
    from attention.collectors.reddit_files import read_reddit_items

    path = tmp_path / "items.jsonl"
    rows = [
        {"id": "t1_a", "created_utc": T0, "timestamp": "2024-06-30 17:00:00", "body": "IWM calls", "author": "x",
         "subreddit": "stocks", "score": 3},
        {"id": "t3_b", "created_utc": T0 + 3600, "timestamp": "2024-06-30 18:00:00", "title": "small caps",
         "selftext": "", "author": None, "subreddit": "stocks", "score": 1},
        {"id": None, "created_utc": T0, "timestamp": "2024-06-30 17:00:00", "body": "x", "subreddit": "stocks"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    with pytest.warns(DroppedItemsWarning, match=r"1 of 3 items dropped \(1 no id\)"):
        items = read_reddit_items(path)
    assert items["id"].tolist() == ["t1_a", "t3_b"] and items["kind"].tolist() == ["comment", "post"]
    assert items["created"].iloc[0] == DAY
    meta = items.attrs["reddit"]
    assert meta["time_column"] == "created_utc" and meta["local_offsets_hours"] == [-7.0]
    assert meta["accounting"] == {"read": 3, "kept": 2, "dropped": {"no id": 1}}


def test_item_files_of_every_format_read_the_same(tmp_path):
    from attention.collectors.reddit_files import read_reddit_items

    frame = pd.DataFrame({"name": ["t3_x", "t3_y"], "created": ["2024-07-01T10:00:00+02:00", "2024-07-01T23:30:00Z"],
                          "title": ["Mag 7 earnings", "AI stocks"], "selftext": ["", "[removed]"],
                          "author": ["a", "[deleted]"], "ups": [5, None], "subreddit": ["stocks", "stocks"]})
    frame.to_csv(tmp_path / "a.csv", index=False)
    frame.to_json(tmp_path / "a.json", orient="records")
    frame.to_parquet(tmp_path / "a.parquet")
    reads = [read_reddit_items(tmp_path / f) for f in ("a.csv", "a.json", "a.parquet")]
    for items in reads:
        assert items["created"].tolist() == [pd.Timestamp("2024-07-01 08:00", tz="UTC"),
                                             pd.Timestamp("2024-07-01 23:30", tz="UTC")]
        assert items["author"].isna().tolist() == [False, True] and items["text"].tolist() == ["Mag 7 earnings",
                                                                                               "AI stocks"]
        assert items["score"].iloc[0] == 5 and np.isnan(items["score"].iloc[1])
    from attention import DataError
    with pytest.raises(DataError, match=r"^source: no such file"):
        read_reddit_items(tmp_path / "missing.csv")
    (tmp_path / "a.xlsx").write_bytes(b"PK")
    with pytest.raises(DataError, match=r"expected \.csv"):
        read_reddit_items(tmp_path / "a.xlsx")
    (tmp_path / "b.csv").write_text("id,body\nq,hello\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"has no creation time column"):
        read_reddit_items(tmp_path / "b.csv")
    (tmp_path / "c.csv").write_text("id,created_utc,text\nq,1719792000,hello\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"^kind: cannot tell posts from comments"):
        read_reddit_items(tmp_path / "c.csv")
    assert read_reddit_items(tmp_path / "c.csv", kind="comment")["id"].tolist() == ["t1_q"]


# ---------------------------------------------------------------- Arctic Shift's aggregation endpoints


def test_daily_counts_agree_with_paging_and_give_the_share_of_attention(tmp_path):
    from tests.test_reddit import CORPUS, END, START

    from attention.collectors.reddit import collect_reddit, fetch_reddit_counts
    from attention.store import Store

    fake = FakeArcticShift(CORPUS)
    polite = Politeness(pace=0.0, sleep=fake.sleep)
    counts = fetch_reddit_counts(("wallstreetbets", "stocks"), START, END, session=fake, politeness=polite)
    assert len(fake.log) == 4 and counts.attrs["reddit"]["requests"] == 4  # one per subreddit and kind
    want = pd.Series([pd.Timestamp(r["created_utc"], unit="s", tz="UTC").floor("D") for k in ("post", "comment")
                      for r in CORPUS[k] if START.timestamp() <= r["created_utc"] < (END + pd.Timedelta(days=1))
                      .timestamp()]).value_counts().sort_index()
    assert counts.groupby("date")["items"].sum().to_dict() == want.to_dict()

    db = tmp_path / "store.sqlite"
    fake = FakeArcticShift(CORPUS)
    polite = Politeness(pace=0.0, sleep=fake.sleep)
    frame = collect_reddit(None, ("wallstreetbets", "stocks"), START, END, session=fake, politeness=polite,
                           totals=True, store=db)
    coverage = frame.attrs["reddit"]["coverage"]
    assert coverage["days_short"] == {} and coverage["paged"] == coverage["counted"] == int(want.sum())
    wide = frame.pivot_table(index=["date", "term"], columns="metric", values="value")
    assert np.allclose(wide["mention_share"], wide["mentions"] / wide.index.get_level_values("date").map(want))
    sent = len(fake.log)
    with Store(db) as store:
        again = fetch_reddit_counts(("wallstreetbets", "stocks"), START, END, session=fake, politeness=polite,
                                    store=store)
    assert len(fake.log) == sent and again.attrs["reddit"]["answers_cached"] == 4  # settled answers are kept


def test_paging_that_misses_items_is_caught_by_the_counts():
    from tests.test_reddit import CORPUS, END, START

    from attention.collectors.reddit import collect_reddit
    from attention.errors import TruncatedListingWarning

    class Hiding(FakeArcticShift):
        """Search drops r/stocks comments of the first day from its pages; the aggregation still counts them.

        A page that comes back short ends the paging early, so later days are short too.
        """

        def _answer(self, path, params):
            response = super()._answer(path, params)
            if path == "/api/comments/search" and params.get("subreddit") == "stocks":
                body = json.loads(response._content)
                body["data"] = [r for r in body["data"] if r["created_utc"] >= START.timestamp() + 86400]
                response._content = json.dumps(body).encode()
            return response

    fake = Hiding(CORPUS)
    with pytest.warns(TruncatedListingWarning, match=r"paging read fewer items than its aggregation counts on "
                                                     r"3 day\(s\) \(2024-03-04: 350 of 498, "):
        frame = collect_reddit(None, ("wallstreetbets", "stocks"), START, END, session=fake, totals=True,
                               politeness=Politeness(pace=0.0, sleep=fake.sleep))
    assert list(frame.attrs["reddit"]["coverage"]["days_short"]) == ["2024-03-04", "2024-03-05", "2024-03-06"]


def test_a_malformed_aggregation_answer_is_never_stored(tmp_path):
    from tests.test_reddit import END, START

    from attention.collectors.reddit import fetch_reddit_counts
    from attention.errors import UpstreamFormatError
    from attention.store import Store

    class Bad:
        def __init__(self, body):
            self.body, self.calls = body, 0

        def get(self, url, params=None, timeout=None):
            self.calls += 1
            return _ok(self.body)

    with Store(tmp_path / "s.sqlite") as store:
        bad = Bad({"data": [{"created_utc": "2024-03-04T00:00:00.000Z", "count": "many"}]})
        with pytest.raises(UpstreamFormatError, match="expected buckets with created_utc and a count"):
            fetch_reddit_counts("stocks", START, END, kinds="post", session=bad, store=store,
                                politeness=Politeness(pace=0.0))
        good = Bad({"data": [{"created_utc": "2024-03-04T00:00:00.000Z", "count": 7}]})
        counts = fetch_reddit_counts("stocks", START, END, kinds="post", session=good, store=store,
                                     politeness=Politeness(pace=0.0))
    assert good.calls == 1 and counts["items"].tolist() == [7, 0, 0]
    from attention import DataError
    with pytest.raises(DataError, match=r"^totals: needs backend='arctic_shift'"):
        from attention.collectors.reddit import collect_reddit
        collect_reddit(None, "stocks", START, END, backend="praw", totals=True)
