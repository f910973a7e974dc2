"""The shared HTTP layer: pacing, backoff, fail-fast, error mapping, validate-then-store.

Sessions are injected fakes that speak requests' wire shapes (and raise
requests' real exception chains); one test makes a real attempt against a
name that can never resolve (``.invalid``, RFC 2606) and one against a
local port nobody listens on.
"""

from __future__ import annotations

import json
import socket
import time
import warnings

import pytest
import requests
import urllib3.exceptions

from attention.collectors import collect_google_trends, fetch_reddit_items
from attention.collectors._http import HttpClient, Politeness, public_url
from attention.errors import (
    CollectorError,
    ConnectionFailedError,
    DataError,
    RateLimitError,
    RoundingFloorWarning,
    UpstreamFormatError,
)
from attention.store import Store
from attention.testing import FakeGoogleTrends, FakeResponse, latent_attention

MULTILINE = ("GET", "/trends/api/widgetdata/multiline")
CAPTCHA = (
    "<html><head><title>https://trends.google.com/trends/api/widgetdata/multiline</title></head><body>"
    "Our systems have detected unusual traffic from your computer network. <div id=\"captcha-form\"></div>"
    "</body></html>"
)


def _no_dns(host="trends.google.com"):
    """What requests raises when the name cannot be resolved (no network): the real exception chain."""
    reason = urllib3.exceptions.NameResolutionError(host, None, socket.gaierror(-3, "Temporary failure in name "
                                                                                  "resolution"))
    return requests.ConnectionError(urllib3.exceptions.MaxRetryError(None, f"https://{host}/", reason))


class Session:
    """Answers from a queue (a FakeResponse, or an exception to raise); logs every call."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = []

    def get(self, url, params=None, **kwargs):
        self.calls.append({"url": url, "params": params, **kwargs})
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer


def _ok(body='{"rows": [1, 2, 3]}', headers=None):
    return FakeResponse(200, body, headers or {}, {}, "")


def _rows(text):
    return json.loads(text)["rows"]


@pytest.fixture
def slept():
    return []


def _client(session, slept, **politeness):
    return HttpClient("demo", session=session, name="Demo", politeness=Politeness(pace=0, sleep=slept.append,
                                                                                  **politeness))


# ---------------------------------------------------------------- fail fast


def test_an_unresolvable_host_fails_at_once_with_a_clear_message(slept):
    session = Session(_no_dns("api.example.org"))
    with pytest.raises(ConnectionFailedError, match=r"^cannot reach api\.example\.org: no network\?") as caught:
        _client(session, slept).get("https://api.example.org/v1/data?token=SECRET")
    error = caught.value
    assert isinstance(error, CollectorError) and not isinstance(error, RateLimitError)
    assert isinstance(error.__cause__, requests.ConnectionError)
    assert (error.source, error.url) == ("demo", "https://api.example.org/v1/data")
    assert "SECRET" not in str(error)
    assert len(session.calls) == 1 and slept == []  # no retry, no backoff


def test_google_trends_offline_fails_in_one_request_and_claims_nothing_stored(slept):
    session = Session(*[_no_dns() for _ in range(10)])
    store = Store(":memory:")
    with pytest.raises(ConnectionFailedError) as caught:
        collect_google_trends(["alpha", "gamma"], "2024-01-01", "2024-01-31", session=session, store=store,
                              politeness=Politeness(pace=0, sleep=slept.append))
    message = str(caught.value)
    assert message.startswith("cannot reach trends.google.com: no network?")
    assert "0 answers fetched" in message and "in the store" not in message and "rerun" not in message
    assert caught.value.source == "google_trends"
    assert len(session.calls) == 1 and slept == []
    assert store.response_keys() == set()


def test_arctic_shift_offline_fails_at_once(slept):
    session = Session(*[_no_dns("arctic-shift.photon-reddit.com") for _ in range(10)])
    with pytest.raises(ConnectionFailedError, match="cannot reach arctic-shift.photon-reddit.com: no network"):
        fetch_reddit_items(None, "stocks", "2024-03-04", "2024-03-05", session=session,
                           politeness=Politeness(pace=0, sleep=slept.append))
    assert len(session.calls) == 1 and slept == []


def test_praw_offline_fails_at_once(slept):
    class Offline:
        headers: dict = {}

        def __init__(self):
            self.calls = 0

        def request(self, *args, **kwargs):
            self.calls += 1
            raise _no_dns("www.reddit.com")

        def close(self):
            pass

    session = Offline()
    with pytest.raises(ConnectionFailedError, match="cannot reach www.reddit.com: no network") as caught:
        fetch_reddit_items(None, "stocks", backend="praw", session=session, client_id="abcd1234",
                           client_secret="s3cr3t-value", user_agent="market-attention tests", kinds="post",
                           politeness=Politeness(pace=0, sleep=slept.append))
    assert "s3cr3t-value" not in str(caught.value)
    assert slept == []
    assert session.calls <= 3  # prawcore's own quick retries of a connection error, nothing of ours


def test_a_real_unresolvable_name_fails_within_seconds():
    client = HttpClient("demo", politeness=Politeness(pace=0, timeout=2, sleep=lambda s: None))
    began = time.monotonic()
    with pytest.raises(ConnectionFailedError, match=r"cannot reach nonexistent\.invalid: no network\?"):
        client.get("http://nonexistent.invalid/data")
    assert client.sent == 1
    assert time.monotonic() - began < 30  # a generous bound: the point is "not minutes of backoff"


def test_a_real_refused_connection_fails_at_once():
    with socket.socket() as probe:  # a port that was free a moment ago: nobody listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = HttpClient("demo", politeness=Politeness(pace=0, timeout=2, sleep=lambda s: None))
    with pytest.raises(ConnectionFailedError, match=r"cannot reach 127\.0\.0\.1: no network\? \(connection refused"):
        client.get(f"http://127.0.0.1:{port}/")
    assert client.sent == 1


def test_a_passing_network_fault_is_still_retried(slept):
    session = Session(requests.ConnectionError("connection reset by peer"), _ok())
    assert _client(session, slept).get("https://example.org/x", validate=_rows) == [1, 2, 3]
    assert len(session.calls) == 2 and len(slept) == 1 and 5 <= slept[0] <= 10


def test_timeout_reaches_the_session(slept):
    session = Session(_ok(), _ok())
    _client(session, slept, timeout=3).get("https://example.org/x")
    HttpClient("demo", session=session, timeout=(7.0, 70.0), politeness=Politeness(pace=0)).get("https://example.org/x")
    assert [c["timeout"] for c in session.calls] == [(3.0, 3.0), (7.0, 70.0)]


# ---------------------------------------------------------------- backoff


def test_retry_after_is_honoured(slept):
    session = Session(FakeResponse(429, "slow down", {"Retry-After": "7"}, {}, ""),
                      FakeResponse(503, "", {"Retry-After": "2"}, {}, ""), _ok())
    assert _client(session, slept).get("https://example.org/x", validate=_rows) == [1, 2, 3]
    assert slept == [7.0, 2.0]


def test_rate_limit_reset_header_is_honoured_without_retry_after(slept):
    session = Session(FakeResponse(429, "", {"X-RateLimit-Reset": "12"}, {}, ""), _ok())
    _client(session, slept).get("https://example.org/x")
    assert slept == [12.0]


def test_retries_are_bounded_in_number_and_in_total_time(slept):
    refused = [FakeResponse(429, "", {"Retry-After": "100"}, {}, "") for _ in range(10)]
    with pytest.raises(RateLimitError, match="after 2 retries") as caught:
        _client(Session(*refused), slept, max_retries=2).get("https://example.org/x?key=1")
    assert slept == [100.0, 100.0] and caught.value.url == "https://example.org/x"
    slept.clear()
    with pytest.raises(RateLimitError, match="after 2 retries"):
        _client(Session(*refused), slept, max_retries=8, max_total=250).get("https://example.org/x")
    assert slept == [100.0, 100.0]  # a third wait would pass max_total


# ---------------------------------------------------------------- validate, then store


def test_a_bad_answer_is_kept_marked_bad_and_asked_again(slept):
    store = Store(":memory:")
    for bad in (CAPTCHA, "", '{"rows": [1, 2'):
        client = _client(Session(_ok(bad)), slept)
        with pytest.raises(UpstreamFormatError, match="could not be read") as caught:
            client.get("https://example.org/x", validate=_rows, store=store, key="demo:x")
        assert caught.value.source == "demo"
        assert not store.has_response("demo:x") and store.get_response("demo:x") is None
    assert [b["body"] for b in store.bad_responses("demo")] == ['{"rows": [1, 2']  # the latest, for diagnosis
    assert "JSONDecodeError" in store.bad_responses()[0]["problem"]

    healthy = Session(_ok())
    assert _client(healthy, slept).get("https://example.org/x", validate=_rows, store=store, key="demo:x") == [1, 2, 3]
    assert len(healthy.calls) == 1 and store.bad_responses() == []
    again = Session()
    assert _client(again, slept).get("https://example.org/x", validate=_rows, store=store, key="demo:x") == [1, 2, 3]
    assert again.calls == []  # no request twice
    assert store.get_response("demo:x")["request"] == {"url": "https://example.org/x", "params": {}}


def test_google_captcha_then_a_healthy_run_on_the_same_store(tmp_path, slept):
    latent = latent_attention(["alpha", "gamma"], "2024-01-01", "2024-03-31", seed=7)
    path = tmp_path / "trends.sqlite"
    args = dict(terms=["alpha", "gamma"], start="2024-01-01", end="2024-01-31", store=path,
                politeness=Politeness(pace=0, sleep=slept.append))

    class Captcha(FakeGoogleTrends):
        def get(self, url, params=None, **kwargs):
            if url.endswith("/widgetdata/multiline"):
                self.calls.append(MULTILINE)
                return FakeResponse(200, CAPTCHA, {"Content-Type": "text/html"}, {}, url)
            return super().get(url, params=params, **kwargs)

    with pytest.raises(UpstreamFormatError, match="Google Trends multiline: expected JSON"):
        collect_google_trends(session=Captcha(latent), **args)
    with Store(path) as store:
        assert store.response_keys() == set() and len(store.bad_responses("google_trends")) == 1

    healthy = FakeGoogleTrends(latent)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RoundingFloorWarning)
        frame = collect_google_trends(session=healthy, **args)
        rerun = FakeGoogleTrends(latent)
        again = collect_google_trends(session=rerun, **args)
    assert healthy.calls.count(MULTILINE) == 1
    assert frame.attrs["google_trends"]["fetched"] == 1 and set(frame["term"]) == {"alpha", "gamma"}
    assert rerun.calls == [] and again.attrs["google_trends"]["cached"] == 1
    with Store(path) as store:
        assert len(store.response_keys("google_trends")) == 1 and store.bad_responses() == []


def test_public_url_drops_credentials_and_query():
    assert public_url("https://user:pw@example.org:8443/a/b?token=x#f") == "https://example.org:8443/a/b"


@pytest.mark.parametrize(("field", "value"), [("pace", -1), ("max_retries", 1.5), ("max_retries", -1),
                                              ("timeout", 0), ("max_total", "long"), ("sleep", 3)])
def test_politeness_refuses_bad_settings_by_name(field, value):
    with pytest.raises(DataError, match=rf"^{field}: expected"):
        Politeness(**{field: value})


def test_a_store_needs_a_key(slept):
    with pytest.raises(DataError, match="^key: expected"):
        _client(Session(_ok()), slept).get("https://example.org/x", store=Store(":memory:"))
