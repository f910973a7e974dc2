"""attention.collectors.reddit: both backends on real recordings and a faithful fake, offline.

- praw: Reddit's own recorded answers (praw/prawcore test cassettes, 2016/2021)
  are replayed through a real ``praw.Reddit`` by :class:`RedditReplaySession`.
- Arctic Shift: :class:`FakeArcticShift` speaks the documented wire format
  (``/api/{posts,comments}/search``, ``{"data": [...]}``, ``created_utc``
  ints, at most 100 items a page, ``{"data": null, "error": ...}`` errors,
  429 + Retry-After / X-RateLimit-* once a budget is spent) over a synthetic corpus.
- Real r/wallstreetbets posts and comments (2024) go through aggregate_items.
"""

from __future__ import annotations

import ast
import base64
import json
import logging
import random
import traceback
from collections import deque
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import pytest
import requests
from requests.structures import CaseInsensitiveDict

from attention.collectors._http import Politeness
from attention.testing import FakeArcticShift
from attention.errors import TruncatedListingWarning
from attention.collectors._http import reset_wait, wait_hint
from attention.collectors.reddit import (
    SETTLE_SECONDS,
    collect_reddit,
    fetch_reddit_items,
    search_queries,
)
from attention.collectors.reddit_items import aggregate_items, clean_text, items_frame
from attention.errors import AttentionWarning, AuthenticationError, CollectorError, DataError, RateLimitError
from attention.store import Store
from attention.themes import DEFAULT_THEMES, Theme, get_theme

DATA = Path(__file__).parent / "data" / "reddit"
SECRET = "s3cr3t-Do-Not-Leak-7f2a"
CLIENT_ID = "client-id-Q9x2"


# ============================================================ replaying real Reddit answers


def cassette(name: str) -> list[dict]:
    """The interactions of one vcrpy JSON cassette, in recorded order."""
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))["interactions"]


def recorded_response(interaction: dict, method: str, url: str) -> requests.Response:
    """A real ``requests.Response`` carrying a recorded status, headers and body."""
    rec = interaction["response"]
    response = requests.Response()
    response.status_code = rec["status"]["code"]
    response.reason = rec["status"]["message"]
    response.headers = CaseInsensitiveDict(
        {k: ", ".join(v) if isinstance(v, list) else v for k, v in rec["headers"].items()}
    )
    body = rec["body"]
    if "string" in body:
        response._content = body["string"].encode("utf-8")
    else:
        response._content = base64.b64decode(body["base64_string"])
    response.encoding = "utf-8"
    response.url = url
    response.request = requests.Request(method.upper(), url).prepare()
    return response


def _route(method: str, url: str) -> tuple[str, str]:
    return method.upper(), urlsplit(url).path.rstrip("/").lower()


class RedditReplaySession:
    """A ``requests.Session`` stand-in for prawcore's Requestor that answers from recordings.

    Each recorded interaction answers the next request with the same method
    and path (query strings are ignored: praw 8 asks with other parameters
    than the praw 4 that recorded them). ``times=None`` answers every such
    request. A request with nothing recorded gets ``fallback`` (tests pass
    Reddit's recorded empty listing) and is listed in ``unrecorded``; without
    a fallback it fails the test.
    """

    def __init__(self, *names: str, fallback: dict | None = None):
        self.routes: dict[tuple[str, str], deque] = {}
        self.fallback = fallback
        self.headers: dict = {}  # prawcore sets its User-Agent here
        self.sent: list[dict] = []
        self.unrecorded: list[tuple[str, str]] = []
        for name in names:
            for interaction in cassette(name):
                self.add(interaction)

    def add(self, interaction: dict, *, method: str | None = None, path: str | None = None,
            times: int | None = 1):
        request = interaction["request"]
        key = _route(method or request["method"], request["uri"]) if path is None else (method.upper(), path)
        self.routes.setdefault(key, deque()).append([interaction, times])
        return self

    def request(self, method, url, params=None, **kwargs):
        key = _route(method, url)
        self.sent.append({"method": key[0], "path": key[1], "params": dict(params or {}),
                          "auth": kwargs.get("auth")})
        queue = self.routes.get(key)
        if queue:
            entry = queue[0]
            if entry[1] is not None:
                entry[1] -= 1
                if entry[1] == 0:
                    queue.popleft()
            return recorded_response(entry[0], method, url)
        if self.fallback is None:
            raise AssertionError(f"no recording for {key}")
        self.unrecorded.append(key)
        return recorded_response(self.fallback, method, url)

    def close(self):
        pass


EMPTY_LISTING = cassette("TestListingGenerator.test_no_items")[1]
TOKEN_OK = cassette("TestSubreddit.test_search")[0]
TOO_MANY = cassette("prawcore_TestSession.test_request__too__many_requests__with_retry_headers")[1]
TOKEN_TOO_MANY = cassette("prawcore_TestSession.test_request__too__many_requests__without_retry_headers")[0]


def replay_reddit(session):
    import praw

    return praw.Reddit(client_id=CLIENT_ID, client_secret=SECRET, user_agent="market-attention tests",
                       check_for_updates=False, requestor_kwargs={"session": session})


PRAW_THEME = Theme("praw", reddit_patterns=[r"praw"])


class Sleeps(list):
    """A fake clock for Politeness(sleep=...): records every wait."""

    def __call__(self, seconds):
        self.append(seconds)


def test_praw_search_replays_reddits_answer():
    session = RedditReplaySession("TestSubreddit.test_search", fallback=EMPTY_LISTING)
    items = fetch_reddit_items([PRAW_THEME], "all", "2013-01-01", "2016-07-12", backend="praw",
                               reddit=replay_reddit(session), kinds="post")
    recorded = json.loads(cassette("TestSubreddit.test_search")[1]["response"]["body"]["string"])
    posts = [c["data"] for c in recorded["data"]["children"]]
    assert len(items) == 6 and sorted(items["id"]) == sorted(p["name"] for p in posts)
    assert set(items["kind"]) == {"post"}
    assert set(items["subreddit"]) == {"redditdev", "learnpython", "bugs", "p18s"}  # r/all spans subreddits
    first = next(p for p in posts if p["name"] == "t3_3gpbiu")
    row = items.set_index("id").loc["t3_3gpbiu"]
    assert row["text"] == clean_text(first["title"], first["selftext"]) and row["author"] == "dClauzel"
    assert row["created"] == pd.Timestamp(first["created_utc"], unit="s", tz="UTC")
    search = [r for r in session.sent if r["path"] == "/r/all/search"]
    assert len(search) == 1
    assert search[0]["params"]["sort"] == "new" and search[0]["params"]["t"] == "all"
    assert search[0]["params"]["q"] == "praw"
    assert session.unrecorded == [("GET", "/r/all/new")]  # nothing was recorded for r/all's new listing


def test_praw_new_listing_is_cut_at_start_and_warns_when_truncated():
    session = RedditReplaySession("TestSubredditListings.test_new", fallback=EMPTY_LISTING)
    truncated = r"r/askreddit new ended at 2016-03-01 07:44:02 .* after 100"
    with pytest.warns(TruncatedListingWarning, match=truncated):
        items = fetch_reddit_items(["AI stocks"], "askreddit", "2016-02-01", "2016-03-01", backend="praw",
                                   reddit=replay_reddit(session), kinds=["post"])
    assert len(items) == 100 and items["id"].is_unique and set(items["subreddit"]) == {"AskReddit"}
    assert items["created"].min() == pd.Timestamp("2016-03-01 07:44:02", tz="UTC")
    news = [r for r in session.sent if r["path"] == "/r/askreddit/new"]
    assert [r["params"].get("after") for r in news] == [None, "t3_48f6io"]  # praw followed Reddit's cursor
    assert items.attrs["reddit"]["truncated"][0]["seen"] == 100

    # Listings come newest first: once an item is older than start, nothing more is asked.
    session = RedditReplaySession("TestSubredditListings.test_new", fallback=EMPTY_LISTING)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", TruncatedListingWarning)
        later = fetch_reddit_items(["AI stocks"], "askreddit", "2016-03-02", "2016-03-05", backend="praw",
                                   reddit=replay_reddit(session), kinds="post")
    assert later.empty
    assert len([r for r in session.sent if r["path"] == "/r/askreddit/new"]) == 1


def test_praw_comments_listing():
    session = RedditReplaySession("TestSubredditListings.test_comments", fallback=EMPTY_LISTING)
    with pytest.warns(TruncatedListingWarning, match="r/askreddit comments"):
        items = fetch_reddit_items(None, "askreddit", "2016-07-01", "2016-07-04", backend="praw",
                                   reddit=replay_reddit(session), kinds="comment")
    recorded = json.loads(cassette("TestSubredditListings.test_comments")[1]["response"]["body"]["string"])
    comments = [c["data"] for c in recorded["data"]["children"]]
    assert len(items) == 100 and set(items["kind"]) == {"comment"}
    assert set(items["id"]) == {c["name"] for c in comments} and all(i.startswith("t1_") for i in items["id"])
    deleted = [c["name"] for c in comments if c["author"] == "[deleted]"]
    assert items.set_index("id").loc[deleted, "author"].isna().all()
    assert not [r for r in session.sent if r["path"].endswith("/search")]  # comments are not searched


def test_praw_empty_listing_gives_empty_observations():
    session = RedditReplaySession(fallback=EMPTY_LISTING).add(TOKEN_OK)
    frame = collect_reddit(None, ["stocks"], "2016-03-01", "2016-03-02", backend="praw",
                           reddit=replay_reddit(session), scorer=None)
    assert frame.empty and list(frame.columns) == ["date", "source", "term", "metric", "value", "flags"]
    assert frame.attrs["reddit"]["items"] == 0
    # one new listing, one search per default theme, one comments listing; all of them empty
    assert len(session.unrecorded) == 1 + len(DEFAULT_THEMES) + 1


def test_praw_429_honours_retry_after_then_gives_up():
    sleeps = Sleeps()
    session = RedditReplaySession().add(TOKEN_OK)
    session.add(TOO_MANY, method="GET", path="/r/stocks/new", times=None)  # Reddit's recorded 429, every time
    with pytest.raises(RateLimitError, match=r"HTTP 429 .*after 3 retries \(r/stocks new\)") as err:
        fetch_reddit_items(None, "stocks", "2021-05-20", "2021-05-24", backend="praw", session=session,
                           client_id=CLIENT_ID, client_secret=SECRET, user_agent="market-attention tests",
                           politeness=Politeness(max_retries=3, sleep=sleeps), kinds="post")
    assert sleeps == [4.0, 4.0, 4.0]  # the recorded answer says retry-after: 4
    assert [r["method"] for r in session.sent] == ["POST"] + ["GET"] * 4
    assert SECRET not in "".join(traceback.format_exception(err.value))


def test_praw_429_then_success():
    sleeps = Sleeps()
    session = RedditReplaySession("TestSubreddit.test_search", fallback=EMPTY_LISTING)
    session.routes[("GET", "/r/all/search")].appendleft([TOO_MANY, 1])
    items = fetch_reddit_items([PRAW_THEME], "all", "2013-01-01", "2016-07-12", backend="praw",
                               reddit=replay_reddit(session), kinds="post",
                               politeness=Politeness(max_retries=3, sleep=sleeps))
    assert len(items) == 6 and sleeps == [4.0]
    assert items.attrs["reddit"]["retries"] == 1


def test_praw_429_on_the_token_request_backs_off_exponentially():
    sleeps = Sleeps()
    session = RedditReplaySession().add(TOKEN_TOO_MANY, times=None)  # no Retry-After in this recording
    with pytest.raises(RateLimitError, match="after 2 retries"):
        fetch_reddit_items(None, "stocks", backend="praw", reddit=replay_reddit(session), kinds="comment",
                           politeness=Politeness(max_retries=2, backoff=3.0, sleep=sleeps))
    assert [r["path"] for r in session.sent] == ["/api/v1/access_token"] * 3
    assert len(sleeps) == 2 and 3.0 <= sleeps[0] < 6.0 and 6.0 <= sleeps[1] < 12.0


def test_praw_refused_credentials_are_an_authentication_error():
    refused = json.loads(json.dumps(TOKEN_TOO_MANY))
    refused["response"]["status"] = {"code": 401, "message": "Unauthorized"}
    refused["response"]["body"]["string"] = '{"message": "Unauthorized", "error": 401}'
    session = RedditReplaySession().add(refused, times=None)
    with pytest.raises(AuthenticationError, match="refused the credentials") as err:
        fetch_reddit_items(None, "stocks", backend="praw", session=session, client_id=CLIENT_ID,
                           client_secret=SECRET, user_agent="market-attention tests", kinds="post")
    assert SECRET not in "".join(traceback.format_exception(err.value))
    assert len(session.sent) == 1  # refused credentials are not retried


def test_praw_missing_credentials(monkeypatch, tmp_path):
    for name in ("praw_client_id", "praw_client_secret", "praw_user_agent", "praw_site"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no praw.ini here
    with pytest.raises(AuthenticationError, match="client_id"):
        fetch_reddit_items(None, "stocks", backend="praw", user_agent="market-attention tests")


def test_praw_credentials_never_leak(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    db = tmp_path / "store.sqlite"
    session = RedditReplaySession("TestSubreddit.test_search", fallback=EMPTY_LISTING)
    frame = collect_reddit([PRAW_THEME], "all", "2013-01-01", "2016-07-12", backend="praw", session=session,
                           client_id=CLIENT_ID, client_secret=SECRET, user_agent="market-attention tests",
                           store=db, kinds="post")
    assert frame.loc[frame["metric"] == "mentions", "value"].sum() == 6
    # The credentials went where they belong (HTTP basic auth of the token request) and nowhere else.
    token = [r for r in session.sent if r["path"] == "/api/v1/access_token"]
    assert len(token) == 1 and token[0]["auth"] == (CLIENT_ID, SECRET)
    assert all(r["auth"] is None for r in session.sent if r is not token[0])
    shown = [repr(frame), str(frame), frame.to_csv(), repr(frame.attrs), caplog.text]
    with Store(db) as store:
        shown += [repr(store), store.summary(), store.observations().to_csv()]
        shown += [json.dumps(store.get_response(k), default=str) for k in store.response_keys()]
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    for text in shown:
        assert SECRET not in text and CLIENT_ID not in text
    assert SECRET.encode() not in raw and CLIENT_ID.encode() not in raw


# ============================================================ Arctic Shift: a faithful fake


TEXTS = [
    "IWM calls printing today",
    "small caps finally waking up",
    "SAID stocks would moon, they did not",  # "SAID" is not "AI"
    "AI stocks are a bubble and I am short",
    "mag 7 carrying the index again",
    "just a normal comment about lunch",
    "[removed]",
    "Russell 2000 breakout, loading up",
    "the magnificent seven are overvalued garbage",
    "buying more artificial intelligence stocks",
]
START, END = pd.Timestamp("2024-03-04", tz="UTC"), pd.Timestamp("2024-03-06", tz="UTC")
T0, T1 = int(START.timestamp()), int((END + pd.Timedelta(days=1)).timestamp())  # the range is [T0, T1)


def make_corpus(seed=11, subs=("wallstreetbets", "stocks"), n=(("post", 90), ("comment", 330)), t0=T0, t1=T1,
                spill=6 * 3600):
    """Items spread over the range and ``spill`` seconds either side, with bursts sharing one second."""
    rng = random.Random(seed)
    corpus = {"post": [], "comment": []}
    counter = 10**6
    for sub in subs:
        for kind, count in n:
            stamps = [rng.randint(t0 - spill, t1 + spill) for _ in range(count)]
            for _ in range(4):  # bursts: up to 60 items in one second
                second = rng.randint(t0, t1 - 1)
                stamps += [second] * rng.randint(20, 60)
            stamps += [t0 - 1, t0, t1 - 1, t1]  # the edges of the range
            stamps = [ts for ts in stamps if ts <= t1 + spill]
            for ts in stamps:
                counter += 1
                text = rng.choice(TEXTS)
                row = {"id": np.base_repr(counter, 36).lower(), "created_utc": ts, "subreddit": sub,
                       "author": rng.choice(["alice", "bob", "carol", "[deleted]"]),
                       "score": rng.randint(-5, 500),
                       "retrieved_on": ts + 60, "over_18": False}
                if kind == "post":
                    row.update(title=text, selftext=rng.choice(["", "[deleted]", "see title"]))
                else:
                    row.update(body=text, link_id="t3_abc", parent_id="t3_abc")
                corpus[kind].append(row)
    return corpus


CORPUS = make_corpus()


def expected_ids(corpus=CORPUS, kinds=("post", "comment"), t0=T0, t1=T1):
    prefix = {"post": "t3_", "comment": "t1_"}
    return {prefix[k] + r["id"] for k in kinds for r in corpus[k] if t0 <= r["created_utc"] < t1}


FAST = dict(pace=0.0, max_retries=3, backoff=2.0)


def arctic(fake, store=None, **kwargs):
    kwargs.setdefault("politeness", Politeness(**FAST, sleep=fake.sleep))
    return fetch_reddit_items(None, ("wallstreetbets", "stocks"), START, END, session=fake, store=store,
                              **kwargs)


@pytest.mark.parametrize("after_inclusive", [False, True])
def test_arctic_shift_pages_completely_whatever_after_means(after_inclusive):
    fake = FakeArcticShift(CORPUS, after_inclusive=after_inclusive)
    items = arctic(fake)
    want = expected_ids()
    assert len(items) == len(want) and set(items["id"]) == want  # every item once, none outside the range
    assert items["created"].min() == START
    assert items["created"].max() == pd.Timestamp(T1 - 1, unit="s", tz="UTC")
    assert items["id"].is_unique and items["created"].is_monotonic_increasing
    assert all(p["limit"] == 100 and p["sort"] == "asc" and p["before"] == T1 for p in fake.log)
    assert fake.log[0]["after"] == T0 - 1  # one second early: the page starts at T0 however `after` is read
    assert fake.log[0]["fields"] == "id,created_utc,subreddit,author,score,title,selftext"
    meta = items.attrs["reddit"]
    assert meta["pages_fetched"] == len(fake.log) == meta["requests"] and meta["crowded_seconds"] == []
    removed = items[items["text"] == ""]
    assert len(removed) > 0 and items.loc[items["author"].isna()].shape[0] > 0  # [removed] / [deleted]
    posts = items[items["kind"] == "post"]
    assert not posts["text"].str.contains(r"\[deleted\]").any()


def test_arctic_shift_kinds_and_subreddit_selection():
    fake = FakeArcticShift(CORPUS)
    items = fetch_reddit_items(None, "r/stocks", START, END, session=fake, kinds="comment", progress=True,
                               politeness=Politeness(**FAST, sleep=fake.sleep))
    assert set(items["id"]) == {"t1_" + r["id"] for r in CORPUS["comment"]
                                if r["subreddit"] == "stocks" and T0 <= r["created_utc"] < T1}
    assert {p["subreddit"] for p in fake.log} == {"stocks"}


def test_arctic_shift_resumes_from_the_store_after_a_rate_limit(tmp_path):
    reference = FakeArcticShift(CORPUS)
    full = arctic(reference)
    pages = len(reference.log)

    db = tmp_path / "store.sqlite"
    budget = 9
    first = FakeArcticShift(CORPUS, budget=budget, refill=False)
    with pytest.raises(RateLimitError, match="rerun with the same store to resume"):
        arctic(first, store=db)
    assert len(first.log) == budget + FAST["max_retries"] + 1
    with Store(db) as store:
        assert len(store.response_keys(source="reddit")) == budget  # every answered page was kept

    second = FakeArcticShift(CORPUS)
    resumed = arctic(second, store=db)
    assert len(second.log) == pages - budget  # only the missing pages
    assert second.log[0] not in first.log[:budget]
    assert resumed.attrs["reddit"]["pages_cached"] == budget
    pd.testing.assert_frame_equal(resumed, full)

    third = FakeArcticShift(CORPUS)
    again = arctic(third, store=db)
    assert third.log == [] and again.attrs["reddit"]["pages_cached"] == pages
    pd.testing.assert_frame_equal(again, full)


def test_arctic_shift_honours_retry_after():
    fake = FakeArcticShift(CORPUS, budget=5, window=60)
    items = arctic(fake)
    assert set(items["id"]) == expected_ids()
    assert fake.retry_afters and items.attrs["reddit"]["waits"] == fake.retry_afters
    assert fake.answers.count(429) == len(fake.retry_afters)


def test_arctic_shift_without_retry_after_waits_for_the_rate_limit_reset():
    fake = FakeArcticShift(CORPUS, budget=5, window=45, retry_after=False)
    items = arctic(fake)
    assert set(items["id"]) == expected_ids()
    waits = items.attrs["reddit"]["waits"]
    assert waits and all(w == 45 for w in waits)  # X-RateLimit-Reset, read as seconds from now


def test_arctic_shift_waits_for_reset_when_the_budget_is_spent():
    fake = FakeArcticShift(CORPUS, budget=5, window=30, rate_headers=True)
    items = arctic(fake)
    assert set(items["id"]) == expected_ids()
    assert 429 not in fake.answers  # X-RateLimit-Remaining: 0 made it wait before drawing a 429
    assert items.attrs["reddit"]["waits"] and all(w == 30 for w in items.attrs["reddit"]["waits"])


@pytest.mark.parametrize("status", [400, 404])
def test_arctic_shift_client_errors_are_not_retried(status):
    fake = FakeArcticShift(CORPUS, fail=(status, "Invalid value for subreddit"))
    with pytest.raises(CollectorError, match=f"HTTP {status} .*Invalid value for subreddit") as err:
        arctic(fake)
    assert not isinstance(err.value, RateLimitError)
    assert len(fake.log) == 1 and fake.clock == 0


def test_arctic_shift_server_error_is_retried():
    fake = FakeArcticShift(CORPUS, fail_once=502)
    items = arctic(fake)
    assert set(items["id"]) == expected_ids()
    assert fake.answers[0] == 502 and len(items.attrs["reddit"]["waits"]) == 1


def test_arctic_shift_timeouts_fall_back_to_smaller_pages(tmp_path):
    db = tmp_path / "store.sqlite"
    fake = FakeArcticShift(CORPUS, timeout_above=50)
    items = arctic(fake, store=db)
    assert set(items["id"]) == expected_ids()
    limits = [p["limit"] for p in fake.log]
    assert limits[:2] == [100, 50] and set(limits) == {100, 50}
    assert fake.answers.count(422) == items.attrs["reddit"]["smaller_pages"] > 0
    # Bursts of up to 60 items in one second fill a 50-item page: that second is re-read alone, 100 at a time.
    narrow = [p for p in fake.log if p["before"] - p["after"] == 2]
    assert narrow and all(p["limit"] == 100 for p in narrow)
    assert items.attrs["reddit"]["crowded_seconds"] == []
    again = FakeArcticShift(CORPUS, timeout_above=50)
    arctic(again, store=db)
    assert again.log == []  # pages answered at limit=50 are found in the store too


def test_arctic_shift_more_items_in_one_second_than_a_page():
    corpus = make_corpus(seed=5, subs=("stocks",), n=(("comment", 150),))
    second = T0 + 5000
    corpus["comment"] += [{"id": f"crowd{i}", "created_utc": second, "subreddit": "stocks", "author": "bot",
                           "score": 1, "body": "IWM"} for i in range(130)]
    fake = FakeArcticShift(corpus)
    crowded = r"one second than a page \(r/stocks comments at .* \(100 read\)"
    with pytest.warns(TruncatedListingWarning, match=crowded):
        items = fetch_reddit_items(None, "stocks", START, END, session=fake, kinds="comment",
                                   politeness=Politeness(**FAST, sleep=fake.sleep))
    want = expected_ids(corpus, kinds=("comment",))
    # The API pages by time only: 30 of the 130 items of that one second cannot be reached.
    assert set(items["id"]) <= want and len(want - set(items["id"])) == 30
    assert len(items.attrs["reddit"]["crowded_seconds"]) == 1


def test_arctic_shift_open_range_is_not_cached_as_final(tmp_path):
    now = int(pd.Timestamp.now(tz="UTC").timestamp())
    today = pd.Timestamp.now(tz="UTC").normalize()
    start = today - pd.Timedelta(days=4)
    corpus = make_corpus(seed=3, subs=("stocks",), n=(("comment", 400),), t0=int(start.timestamp()),
                         t1=now - 600, spill=0)
    db = tmp_path / "store.sqlite"
    fake = FakeArcticShift(corpus)
    politeness = Politeness(**FAST, sleep=fake.sleep)
    first = fetch_reddit_items(None, "stocks", start, today, session=fake, store=db, kinds="comment",
                               politeness=politeness)
    unsettled = first.attrs["reddit"]["pages_unsettled"]
    assert unsettled >= 2  # pages with items younger than 36 hours, and the open end
    assert first.attrs["reddit"]["pages_fetched"] - unsettled >= 2  # settled pages were cached
    corpus["comment"].append({"id": "zzzzzz", "created_utc": now - 5, "subreddit": "stocks", "author": "late",
                              "score": 1, "body": "IWM ripping"})
    second = FakeArcticShift(corpus)
    again = fetch_reddit_items(None, "stocks", start, today, session=second, store=db, kinds="comment",
                               politeness=Politeness(**FAST, sleep=second.sleep))
    assert len(second.log) == unsettled
    assert second.log == fake.log[-unsettled:]  # the newest pages again; the settled ones came from the store
    assert second.log[0]["after"] > now - SETTLE_SECONDS - 86400
    assert "t1_zzzzzz" in set(again["id"]) and len(again) == len(first) + 1


def test_collect_reddit_counts_mentions_per_day(tmp_path):
    fake = FakeArcticShift(CORPUS)
    db = tmp_path / "store.sqlite"
    frame = collect_reddit(None, ("wallstreetbets", "stocks"), START, END, session=fake, store=db,
                           politeness=Politeness(**FAST, sleep=fake.sleep))
    rows = [(pd.Timestamp(r["created_utc"], unit="s", tz="UTC").floor("D"),
             clean_text(r.get("title"), r.get("selftext")) if k == "post" else clean_text(r["body"]))
            for k in ("post", "comment") for r in CORPUS[k] if T0 <= r["created_utc"] < T1]
    for theme in DEFAULT_THEMES:
        days = pd.Series([day for day, text in rows if theme.mentions(text)]).value_counts().sort_index()
        mentions = frame[(frame["term"] == theme.name) & (frame["metric"] == "mentions")]
        got = mentions.set_index("date")["value"]
        assert got.to_dict() == days.astype(float).to_dict()
    assert set(frame["source"]) == {"reddit"}
    meta = frame.attrs["reddit"]
    assert meta["items"] == len(expected_ids()) and meta["run"].startswith("reddit:")
    with Store(db) as store:
        stored = store.observations(run=meta["run"])
    assert len(stored) == len(frame)
    assert frame["value"].notna().all()


# ============================================================ bad arguments, before any request


class NoNetwork:
    def get(self, *args, **kwargs):
        raise AssertionError("no request may be sent")

    request = get


@pytest.mark.parametrize(
    "kwargs, argument",
    [
        ({"backend": "pushshift"}, "backend"),
        ({"start": "2024-03-05", "end": "2024-03-01"}, "start"),
        ({"start": "not a date"}, "start"),
        ({"subreddits": []}, "subreddits"),
        ({"subreddits": ["wall street bets"]}, "subreddits"),
        ({"kinds": "comments"}, "kinds"),
        ({"kinds": []}, "kinds"),
        ({"kinds": ["post", "video"]}, "kinds"),
        ({"terms": ["no such theme"]}, "terms"),
        ({"terms": ["AI stocks", "ai stocks"]}, "terms"),
        ({"politeness": {"pace": 1}}, "politeness"),
        ({"client_secret": SECRET}, "client_secret"),
        ({"backend": "praw", "client_secret": 12345}, "client_secret"),
        ({"backend": "praw", "reddit": object()}, "reddit"),
        ({"backend": "praw", "reddit": SimpleNamespace(subreddit=None), "client_secret": SECRET},
         "client_secret, session"),
    ],
)
@pytest.mark.parametrize("function", [fetch_reddit_items, collect_reddit])
def test_bad_arguments_name_the_argument(function, kwargs, argument, tmp_path):
    args = {"subreddits": "stocks", "session": NoNetwork(), **kwargs}
    with pytest.raises(DataError, match=rf"^{argument}:") as err:
        function(**args)
    assert SECRET not in str(err.value) and "12345" not in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_search_queries_from_theme_patterns():
    assert search_queries(get_theme("Magnificent Seven")) == [
        'mag7 OR mag7s OR mags OR magseven OR magsevens OR "mag 7" OR "mag 7s" OR "mag seven" OR "mag sevens"'
        ' OR "magnificent seven"'  # the misspellings' pattern has too many spellings: the Google query stands in
    ]
    assert "nvda" in search_queries(get_theme("Magnificent Seven", basket=True))[0]
    small = search_queries(get_theme("small-cap stocks"))[0]
    # "small cap stocks" is not asked: searching "small cap" finds it.
    assert "iwm" in small and '"russell 2000"' in small and "small cap stocks" not in small
    odd = Theme("odd", google_query="odd lots", reddit_patterns=[r"odd\w+"])  # not a plain alternation
    assert search_queries(odd) == ['"odd lots"']


def test_rate_limit_header_units():
    assert reset_wait("30", now=1e9) == 30
    assert reset_wait(str(1_700_000_030), now=1_700_000_000) == 30
    assert reset_wait(str(1_700_000_030_000), now=1_700_000_000) == 30
    assert reset_wait("soon") is None
    assert wait_hint({"Retry-After": "4", "X-RateLimit-Reset": "99"}) == 4
    assert issubclass(TruncatedListingWarning, AttentionWarning)


# ============================================================ real r/wallstreetbets posts and comments


@pytest.fixture(scope="module")
def wsb_items():
    """530 hot r/wallstreetbets posts (2024-06-22..07-02) and the 10401 comment texts scraped with them.

    Comments carry no id, author or time in the file: ids are synthesised from
    the post id and position, and each comment is dated with its post.
    """
    raw = pd.read_csv(DATA / "reddit_wsb_hot_2024-07_AnnaDS.csv.gz", keep_default_na=False)
    records = []
    for post in raw.itertuples():
        records.append({"id": f"t3_{post.id}", "kind": "post", "created": post.created,
                        "subreddit": post.subreddit, "author": None, "score": post.score,
                        "text": clean_text(post.title, post.body)})
        for i, body in enumerate(ast.literal_eval(post.comments) if post.comments else []):
            records.append({"id": f"t1_{post.id}_{i}", "kind": "comment", "created": post.created,
                            "subreddit": post.subreddit, "author": None, "score": None,
                            "text": clean_text(body)})
    return items_frame(records)


def test_real_wsb_items(wsb_items):
    assert len(wsb_items) == 10931
    assert wsb_items["kind"].value_counts().to_dict() == {"comment": 10401, "post": 530}
    assert wsb_items["id"].is_unique and (wsb_items["text"] == "").sum() == 94


def test_real_wsb_mentions(wsb_items):
    counts = {t.name: int(wsb_items["text"].map(t.mentions).sum()) for t in DEFAULT_THEMES}
    assert counts == {"small-cap stocks": 14, "AI stocks": 16, "Magnificent Seven": 9}
    ai = get_theme("AI stocks")
    said = wsb_items[wsb_items["text"].str.contains("SAID")]
    assert len(said) == 4 and not said["text"].map(ai.mentions).any()  # SAID is no AI
    standalone_ai = wsb_items["text"].str.contains(r"\bAI\b")
    assert standalone_ai.sum() == 266  # "AI" alone is everywhere; only AI stocks, plays, trade, bubble... count

    frame = aggregate_items(wsb_items)
    mentions = frame[frame["metric"] == "mentions"].groupby("term")["value"].sum()
    assert mentions.to_dict() == {"AI stocks": 16.0, "Magnificent Seven": 9.0, "small-cap stocks": 14.0}
    mag = frame[(frame["term"] == "Magnificent Seven") & (frame["metric"] == "mentions")]
    assert mag.set_index(mag["date"].dt.strftime("%m-%d"))["value"].to_dict() == {
        "06-29": 2.0, "06-30": 1.0, "07-01": 4.0, "07-02": 2.0}
    july_1 = frame["date"] == pd.Timestamp("2024-07-01", tz="UTC")
    small = frame[(frame["term"] == "small-cap stocks") & july_1]
    # 7 mentions that day; only the post (score 430) has a score, the scraped comments have none.
    assert small.set_index("metric")["value"][["mentions", "score"]].tolist() == [7.0, 430.0]
    assert frame["value"].notna().all()
    assert frame.loc[frame["metric"] == "sentiment", "value"].between(-1, 1).all()
    assert set(frame["metric"]) == {"mentions", "unique_authors", "score", "sentiment", "bullishness",
                                    "positive_share", "negative_share"}


@pytest.mark.network
def test_arctic_shift_live():
    """One real day of r/smallstreetbets posts: the wire format and paging hold against the live API."""
    day = pd.Timestamp.now(tz="UTC").normalize() - pd.Timedelta(days=10)
    items = fetch_reddit_items(None, "smallstreetbets", day, day, kinds="post")
    assert len(items) > 0 and items["id"].is_unique and items["id"].str.startswith("t3_").all()
    assert items["created"].dt.floor("D").eq(day).all()
    assert items.attrs["reddit"]["pages_fetched"] >= 1


def test_items_frame_reads_epoch_seconds_and_date_strings_together():
    from attention.collectors.reddit_items import items_frame

    frame = items_frame([
        {"id": "a", "kind": "post", "created": 1719800000, "subreddit": "x", "author": "u", "score": 1, "text": "t"},
        {"id": "b", "kind": "post", "created": "2024-07-02 10:00:00", "subreddit": "x", "author": "u", "score": 1,
         "text": "t"},
    ])
    assert frame["created"].dt.strftime("%Y-%m-%d %H:%M").tolist() == ["2024-07-01 02:13", "2024-07-02 10:00"]
