"""Offline stand-ins for the services the collectors talk to.

:class:`FakeGoogleTrends` is a session-like object (``get``/``post`` as in
``requests.Session``) that answers the way trends.google.com does, byte for
byte in format: the ``)]}'`` prefixes, the explore widgets and tokens, and
``timelineData`` with Google's ``formattedTime`` (thin spaces, en dash). Its
numbers come from a latent "true" daily series, treated the way Google
treats it: each request is aggregated to the resolution Google would use
for the window, perturbed by sampling noise, scaled so its maximum is 100,
and rounded to integers. After a budget of calls it answers HTTP 429.

Pass it as ``session=`` to :func:`attention.collect_google_trends` to test a
pipeline without the network, and compare what comes back with
:attr:`FakeGoogleTrends.latent`, the truth no real user ever sees.

:class:`ReplaySession` replays recorded real responses in order;
:class:`FakeArcticShift` answers like the Arctic Shift Reddit API;
:class:`FakeSPDR`, :class:`FakeIShares` and :class:`FakeIssuers` serve ETF
issuers' files in their real layouts over :func:`latent_shares`.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlparse, urlsplit

import numpy as np
import pandas as pd

from ._typing import DateLike, StrPath
from .errors import DataError

if TYPE_CHECKING:
    import requests

__all__ = [
    "FakeArcticShift",
    "FakeGoogleTrends",
    "FakeIShares",
    "FakeIssuers",
    "FakeResponse",
    "FakeSPDR",
    "FakeTrendsApi",
    "ReplaySession",
    "latent_attention",
    "latent_shares",
    "planted_loop",
    "planted_loop_weekly",
]

#: Longest window (days) for which Google answers with daily values.
DAILY_MAX_DAYS = 269
#: Longest window (days) for which Google answers with weekly values.
WEEKLY_MAX_DAYS = 1890

_THIN, _DASH = "\u2009", "\u2013"
_HTML_429 = (
    "<html><head><title>Error 429 (Too Many Requests)!!1</title></head><body><p><b>429.</b> "
    "<ins>That\u2019s an error.</ins></p><p>We're sorry, but you have sent too many requests to us "
    "recently. Please try again later. <ins>That\u2019s all we know.</ins></p></body></html>"
)


@dataclass
class FakeResponse:
    """The parts of ``requests.Response`` the collectors read.

    Examples
    --------
    >>> FakeResponse(429, "Too Many Requests", {"Retry-After": "60"}).headers["Retry-After"]
    '60'
    """

    status_code: int
    text: str
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    url: str = ""
    content: bytes = b""

    def __post_init__(self) -> None:
        if not self.content:
            self.content = self.text.encode("utf-8")


def latent_attention(
    terms: Iterable[str], start: str | pd.Timestamp = "2019-01-01", end: str | pd.Timestamp = "2026-02-28",
    *, seed: int = 0,
) -> pd.DataFrame:
    """A plausible daily "true" search volume for each term.

    Each term gets its own level (spread over two orders of magnitude), a
    slow random-walk trend, a weekly cycle (quieter weekends) and occasional
    news spikes that decay over days - the features that make stitching hard.

    Examples
    --------
    >>> latent = latent_attention(["small caps", "AI stocks"], "2024-01-01", "2024-12-31", seed=1)
    >>> latent.shape, str(latent.index.tz), bool((latent > 0).all().all())
    ((366, 2), 'UTC', True)
    """
    terms = list(terms)
    days = pd.date_range(start, end, freq="D", tz="UTC")
    rng = np.random.default_rng(seed)
    out = {}
    for i, term in enumerate(terms):
        level = 10 ** rng.uniform(1.0, 3.0)
        trend = np.cumsum(rng.normal(0, 0.015, len(days)))
        weekly = 0.12 * np.where(days.day_of_week >= 5, -1.0, 0.4)
        shocks = np.zeros(len(days))
        for at in rng.choice(len(days), size=max(1, len(days) // 120), replace=False):
            shocks[at:] += rng.uniform(0.3, 1.5) * np.exp(-np.arange(len(days) - at) / rng.uniform(2, 10))
        out[term] = level * np.exp(trend + weekly) * (1 + shocks)
    return pd.DataFrame(out, index=days)


def planted_loop(
    n: int, strength: float, rng: np.random.Generator, *, burn: int = 50
) -> tuple[np.ndarray[Any, np.dtype[np.float64]], np.ndarray[Any, np.dtype[np.float64]],
           np.ndarray[Any, np.dtype[np.float64]]]:
    """A loop with known truth: returns -> attention -> flows -> returns, each link a lag-1 coefficient.

    ``a_t = b r_{t-1} + e``, ``f_t = b a_{t-1} + e``, ``r_t = b f_{t-1} + e`` with standard normal
    noise; the first ``burn`` periods are dropped so the start value does not matter.

    Returns
    -------
    (attention, returns, flows) : arrays of length ``n``

    Examples
    --------
    >>> import numpy as np
    >>> a, r, f = planted_loop(2000, 0.4, np.random.default_rng(0))
    >>> round(float(np.corrcoef(r[:-1], a[1:])[0, 1]), 1)  # returns lead attention
    0.4
    """
    e = rng.normal(size=(n + burn, 3))
    a, r, f = np.zeros(n + burn), np.zeros(n + burn), np.zeros(n + burn)
    for t in range(1, n + burn):
        a[t] = strength * r[t - 1] + e[t, 0]
        f[t] = strength * a[t - 1] + e[t, 1]
        r[t] = strength * f[t - 1] + e[t, 2]
    return a[burn:], r[burn:], f[burn:]


def planted_loop_weekly(
    n: int = 300, strength: float = 0.4, *, seed: int = 1, start: DateLike = "2015-01-04"
) -> pd.DataFrame:
    """:func:`planted_loop` as weekly series: what the loop tests take, with a truth to find.

    Returns
    -------
    DataFrame
        Columns ``attention``, ``returns``, ``flows``, indexed by Google
        weeks (Sundays) from ``start``.

    Examples
    --------
    >>> data = planted_loop_weekly(300, 0.4, seed=1)
    >>> data.shape, f"{data.index[0]:%Y-%m-%d}", data.index.freqstr
    ((300, 3), '2015-01-04', 'W-SUN')
    """
    weeks = pd.date_range(start, periods=n, freq="W-SUN")
    series = planted_loop(n, strength, np.random.default_rng(seed))
    return pd.DataFrame(dict(zip(("attention", "returns", "flows"), series)), index=weeks)


def _resolution(days: int) -> str:
    if days <= DAILY_MAX_DAYS:
        return "DAY"
    if days <= WEEKLY_MAX_DAYS:
        return "WEEK"
    return "MONTH"


def _formatted(start: pd.Timestamp, resolution: str) -> str:
    if resolution == "DAY":
        return f"{start:%b} {start.day}, {start.year}"
    if resolution == "MONTH":
        return f"{start:%b %Y}"
    end = start + pd.Timedelta(days=6)
    if start.year != end.year:
        return f"{start:%b} {start.day}, {start.year}{_THIN}{_DASH}{_THIN}{end:%b} {end.day}, {end.year}"
    if start.month != end.month:
        return f"{start:%b} {start.day}{_THIN}{_DASH}{_THIN}{end:%b} {end.day}, {end.year}"
    return f"{start:%b} {start.day}{_THIN}{_DASH}{_THIN}{end.day}, {end.year}"


class FakeGoogleTrends:
    """A fake trends.google.com over a latent daily series.

    Parameters
    ----------
    latent : DataFrame, optional
        Daily "true" volumes, one column per term, on a UTC DatetimeIndex. A
        term absent from it, or NaN over a whole window, has no data
        (``hasData: false``). Defaults to :func:`latent_attention` of the
        three default themes.
    noise : float
        Standard deviation of the multiplicative sampling noise of each
        request (Google samples searches; repeated requests differ).
    quota : int, optional
        Data requests (explore, multiline, related) answered before every
        further one gets HTTP 429, until :meth:`reset_quota`.
    retry_after : int, optional
        Seconds sent in the Retry-After header of a 429.
    today : date-like, optional
        The fake's "now": the point containing it is partial.
    seed : int

    Examples
    --------
    >>> import attention
    >>> fake = FakeGoogleTrends(latent_attention(["small caps"], seed=1))
    >>> frame = attention.collect_google_trends(["small caps"], start="2024-01-01", end="2024-06-30",
    ...                                         session=fake, politeness=attention.Politeness(pace=0))
    >>> daily = frame[frame["metric"] == "search_interest"]
    >>> len(daily), float(daily["value"].max()), fake.data_calls
    (182, 100.0, 2)
    """

    def __init__(
        self, latent: pd.DataFrame | None = None, *, noise: float = 0.03, quota: int | None = None,
        retry_after: int | None = None, today: str | pd.Timestamp | None = None, seed: int = 0,
    ) -> None:
        if latent is None:
            from .themes import DEFAULT_THEMES

            latent = latent_attention([t.google_query for t in DEFAULT_THEMES], seed=seed)
        if not isinstance(latent, pd.DataFrame) or not isinstance(latent.index, pd.DatetimeIndex):
            raise DataError("latent: expected a DataFrame of daily volumes on a DatetimeIndex")
        self.latent = latent if latent.index.tz is not None else latent.tz_localize("UTC")
        self.noise = noise
        self.quota = quota
        self.retry_after = retry_after
        self.today = pd.Timestamp(today, tz="UTC") if today is not None else None
        self.calls: list[tuple[str, str]] = []  # (method, path) of every call
        self._rng = np.random.default_rng(seed)
        self._answered = 0
        self._tokens: dict[str, dict[str, Any]] = {}

    # ------------------------------------------------------------- session API

    def get(self, url: str, params: Mapping[str, Any] | None = None, **kwargs: Any) -> FakeResponse:
        return self._handle("GET", url, params or {})

    def post(self, url: str, params: Mapping[str, Any] | None = None, **kwargs: Any) -> FakeResponse:
        return self._handle("POST", url, params or {})

    def reset_quota(self) -> None:
        """Forget the calls counted against the quota."""
        self._answered = 0

    @property
    def data_calls(self) -> int:
        """Calls to data endpoints (explore, multiline, related) so far."""
        return sum(1 for _, path in self.calls if "/api/" in path)

    # ------------------------------------------------------------- internals

    def _handle(self, method: str, url: str, params: Mapping[str, Any]) -> FakeResponse:
        parsed = urlparse(url)
        params = {**{k: v[0] for k, v in parse_qs(parsed.query).items()}, **params}
        path = parsed.path
        self.calls.append((method, path))
        if path.endswith("/explore/"):
            # Google answers the cookie request with a 404 page that sets NID.
            return FakeResponse(404, "<html>404</html>", {"Content-Type": "text/html"}, {"NID": "511=fake"}, url)
        if "/api/" in path:
            if self.quota is not None and self._answered >= self.quota:
                headers = {"Content-Type": "text/html; charset=UTF-8"}
                if self.retry_after is not None:
                    headers["Retry-After"] = str(self.retry_after)
                return FakeResponse(429, _HTML_429, headers, {}, url)
            self._answered += 1
        if path.endswith("/api/explore") and method == "POST":
            return self._explore(params, url)
        if path.endswith("/api/widgetdata/multiline"):
            return self._multiline(params, url)
        if path.endswith("/api/widgetdata/relatedsearches"):
            return self._related(params, url)
        return FakeResponse(404, "<html>404</html>", {"Content-Type": "text/html"}, {}, url)

    def _token(self, request: dict[str, Any]) -> str:
        token = f"APP6_FAKE{len(self._tokens):06d}"
        self._tokens[token] = request
        return token

    def _explore(self, params: dict[str, Any], url: str) -> FakeResponse:
        try:
            req = json.loads(params["req"])
            items = req["comparisonItem"]
            times = {item["time"] for item in items}
        except (KeyError, ValueError, TypeError):
            return FakeResponse(400, "<html>400 Bad Request</html>", {"Content-Type": "text/html"}, {}, url)
        if len(items) > 5 or len(times) != 1:
            return FakeResponse(400, "<html>400 Bad Request</html>", {"Content-Type": "text/html"}, {}, url)
        (time,) = times
        start, end = (pd.Timestamp(t, tz="UTC") for t in time.split(" "))
        geo = items[0].get("geo", "")
        geo_obj = {"country": geo} if geo else {}
        resolution = _resolution((end - start).days + 1)
        options = {"property": req.get("property", ""), "backend": "IZG", "category": req.get("category", 0)}
        timeseries = {
            "time": time,
            "resolution": resolution,
            "locale": params.get("hl", "en-US"),
            "comparisonItem": [
                {"geo": geo_obj, "complexKeywordsRestriction": {"keyword": [{"type": "BROAD", "value": i["keyword"]}]}}
                for i in items
            ],
            "requestOptions": options,
            "userConfig": {"userType": "USER_TYPE_SCRAPER"},
        }
        widgets = [{"request": timeseries, "token": self._token(timeseries), "id": "TIMESERIES",
                    "type": "fe_line_chart", "title": "Interest over time"}]
        for n, item in enumerate(items):
            related = {
                "restriction": {
                    "geo": geo_obj,
                    "time": time,
                    "originalTimeRangeForExploreUrl": time,
                    "complexKeywordsRestriction": {"keyword": [{"type": "BROAD", "value": item["keyword"]}]},
                },
                "keywordType": "QUERY",
                "metric": ["TOP", "RISING"],
                "requestOptions": options,
                "language": "en",
            }
            widgets.append({"request": related, "token": self._token(related), "id": f"RELATED_QUERIES_{n}",
                            "type": "fe_related_searches", "keywordName": item["keyword"]})
        body = ")]}'\n" + json.dumps({"widgets": widgets}, separators=(",", ":"))
        return FakeResponse(200, body, {"Content-Type": "application/json; charset=utf-8"}, {}, url)

    def _check_token(self, params: dict[str, Any], url: str) -> tuple[Any, FakeResponse | None]:
        try:
            req = json.loads(params["req"])
        except (KeyError, ValueError, TypeError):
            return None, FakeResponse(400, "<html>400</html>", {"Content-Type": "text/html"}, {}, url)
        if self._tokens.get(str(params.get("token"))) != req:
            # Google refuses a request whose token was issued for another request.
            return None, FakeResponse(401, "<html>401</html>", {"Content-Type": "text/html"}, {}, url)
        return req, None

    def _multiline(self, params: dict[str, Any], url: str) -> FakeResponse:
        req, error = self._check_token(params, url)
        if error:
            return error
        start, end = (pd.Timestamp(t, tz="UTC") for t in req["time"].split(" "))
        terms = [i["complexKeywordsRestriction"]["keyword"][0]["value"] for i in req["comparisonItem"]]
        resolution = req["resolution"]
        days = pd.date_range(start, end, freq="D")
        window = self.latent.reindex(index=days, columns=terms)
        freq = {"DAY": "D", "WEEK": "W-SUN", "MONTH": "MS"}[resolution]
        if resolution == "WEEK":
            groups = window.resample("W-SAT", label="left", closed="right")
        else:
            groups = window.resample(freq)
        agg = groups.sum(min_count=1)
        if resolution == "WEEK":
            # Google lists the Sunday-to-Saturday weeks that lie inside the window
            # (the running week too, marked partial).
            agg.index = agg.index + pd.Timedelta(days=1)
            last_ok = end if self.today is None or self.today > end else end + pd.Timedelta(days=6)
            agg = agg[(agg.index >= start) & (agg.index + pd.Timedelta(days=6) <= last_ok)]
        has_data = window.notna().any()
        sampled = agg * np.exp(self._rng.normal(0, self.noise, agg.shape))
        partial = self.today is not None and agg.index[-1] <= self.today <= end
        if partial:
            # The running period has only part of its searches so far.
            sampled.iloc[-1] *= 0.6
        top = np.nanmax(sampled.to_numpy()) if np.isfinite(sampled.to_numpy()).any() else np.nan
        scaled = (100 * sampled / top).round().fillna(0).astype(int)
        timeline = []
        for k, (when, row) in enumerate(scaled.iterrows()):
            values = [int(row[t]) if has_data[t] else 0 for t in terms]
            point: dict[str, Any] = {
                "time": str(int(when.timestamp())),
                "formattedTime": _formatted(when, resolution),
                "formattedAxisTime": f"{when:%b} {when.day}, {when.year}",
                "value": values,
                "hasData": [bool(has_data[t]) for t in terms],
                "formattedValue": [str(v) for v in values],
            }
            if partial and k == len(scaled) - 1:
                point["isPartial"] = True
            timeline.append(point)
        averages = [int(round(scaled[t].mean())) if has_data[t] else 0 for t in terms]
        body = ")]}',\n" + json.dumps({"default": {"timelineData": timeline, "averages": averages}}, separators=(",", ":"))
        return FakeResponse(200, body, {"Content-Type": "application/json; charset=UTF-8"}, {}, url)

    def _related(self, params: dict[str, Any], url: str) -> FakeResponse:
        req, error = self._check_token(params, url)
        if error:
            return error
        term = req["restriction"]["complexKeywordsRestriction"]["keyword"][0]["value"]
        others = [c for c in self.latent.columns if c != term][:5]
        top = [{"query": f"{term} {o}", "value": 100 - 15 * n, "formattedValue": str(100 - 15 * n), "hasData": True}
               for n, o in enumerate(others)]
        rising = [{"query": f"{term} {o} news", "value": 250 - 40 * n, "formattedValue": f"+{250 - 40 * n}%"}
                  for n, o in enumerate(others)]
        body = ")]}',\n" + json.dumps({"default": {"rankedList": [{"rankedKeyword": top}, {"rankedKeyword": rising}]}})
        return FakeResponse(200, body, {"Content-Type": "application/json; charset=UTF-8"}, {}, url)


class ReplaySession:
    """Replays recorded HTTP interactions in order, checking each request's path.

    Parameters
    ----------
    interactions : list of dict
        Each with ``method``, ``url``, ``status``, ``headers`` (name -> list
        of values, as recorded) and ``body``.

    Examples
    --------
    >>> session = ReplaySession([{"method": "GET", "url": "https://example.org/api/x", "status": 200,
    ...                           "headers": {"Set-Cookie": ["NID=1; path=/"]}, "body": "{}"}])
    >>> response = session.get("https://example.org/api/x?q=1")
    >>> response.status_code, response.cookies, session.calls
    (200, {'NID': '1'}, [('GET', '/api/x')])
    """

    def __init__(self, interactions: Iterable[dict[str, Any]]) -> None:
        self._queue = list(interactions)
        self.calls: list[tuple[str, str]] = []

    @classmethod
    def from_file(cls, path: StrPath) -> ReplaySession:
        with open(path, encoding="utf-8") as fh:
            return cls(json.load(fh)["interactions"])

    def get(self, url: str, params: Mapping[str, Any] | None = None, **kwargs: Any) -> FakeResponse:
        return self._next("GET", url)

    def post(self, url: str, params: Mapping[str, Any] | None = None, **kwargs: Any) -> FakeResponse:
        return self._next("POST", url)

    def _next(self, method: str, url: str) -> FakeResponse:
        path = urlparse(url).path
        self.calls.append((method, path))
        if not self._queue:
            raise AssertionError(f"ReplaySession: unexpected extra request {method} {path}")
        rec = self._queue.pop(0)
        if rec["method"] != method or urlparse(rec["url"]).path != path:
            raise AssertionError(f"ReplaySession: expected {rec['method']} {rec['url'][:80]}, got {method} {path}")
        headers = {k: v[0] if isinstance(v, list) else v for k, v in (rec.get("headers") or {}).items()}
        cookies = {}
        for cookie in (rec.get("headers") or {}).get("Set-Cookie", []):
            name, _, rest = cookie.partition("=")
            cookies[name] = rest.split(";")[0]
        return FakeResponse(rec["status"], rec["body"], headers, cookies, rec["url"])


# ---------------------------------------------------------------- Arctic Shift


def _response(status: int, body: object, headers: Mapping[str, str] | None = None, url: str = "") -> requests.Response:
    import requests
    from requests.structures import CaseInsensitiveDict

    response = requests.Response()
    response.status_code = status
    response.headers = CaseInsensitiveDict(headers or {})
    response._content = (body if isinstance(body, str) else json.dumps(body)).encode("utf-8")
    response.encoding = "utf-8"
    response.url = url
    return response


class FakeArcticShift:
    """Arctic Shift's search endpoints over a corpus you give, as documented.

    ``corpus`` maps ``"post"`` and ``"comment"`` to lists of raw items as
    the API returns them (``id``, ``created_utc``, ``subreddit``, ``author``,
    ``score`` and ``title``/``selftext`` or ``body``). Pass it as ``session=``
    to :func:`attention.collect_reddit`.

    ``after``/``before`` filter ``created_utc`` (``after`` exclusive, or
    inclusive with ``after_inclusive``: the docs do not say), ``sort=asc``,
    ``limit`` 1-100 (else 400), ``fields`` selects keys. After ``budget``
    requests in a ``window`` of the fake clock it answers 429 with
    Retry-After (or only X-RateLimit-Reset); ``rate_headers`` adds
    X-RateLimit-Remaining/Reset to every answer. ``sleep`` advances the clock:
    pass it as ``Politeness(sleep=fake.sleep)``.

    Examples
    --------
    >>> fake = FakeArcticShift({"post": [{"id": "a1", "created_utc": 1704110400, "subreddit": "stocks",
    ...                                   "author": "u1", "score": 3, "title": "IWM", "selftext": ""}],
    ...                         "comment": []})
    >>> answer = fake.get("https://arctic-shift.photon-reddit.com/api/posts/search", params={
    ...     "subreddit": "stocks", "after": 1704067200, "before": 1704153600, "limit": 100, "sort": "asc"})
    >>> [item["id"] for item in answer.json()["data"]]
    ['a1']
    """

    def __init__(
        self, corpus: Mapping[str, list[dict[str, Any]]], *, after_inclusive: bool = False,
        budget: int | None = None, window: float = 60.0, retry_after: bool = True, rate_headers: bool = False,
        refill: bool = True, timeout_above: int | None = None, fail: tuple[int, str] | None = None,
        fail_once: int | None = None,
    ) -> None:
        self.corpus = corpus
        self.after_inclusive = after_inclusive
        self.budget, self.window, self.retry_after = budget, window, retry_after
        self.rate_headers, self.refill = rate_headers, refill
        self.timeout_above, self.fail, self.fail_once = timeout_above, fail, fail_once
        self.clock = 0.0
        self.window_start = 0.0
        self.used = 0
        self.log: list[dict[str, Any]] = []  # every request, as sent
        self.answers: list[int] = []
        self.retry_afters: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.clock += seconds

    def get(self, url: str, params: Mapping[str, Any] | None = None, timeout: float | None = None) -> requests.Response:
        params = dict(params or {})
        self.log.append(params)
        response = self._answer(urlsplit(url).path, params)
        self.answers.append(response.status_code)
        return response

    def _answer(self, path: str, params: dict[str, Any]) -> requests.Response:
        aggregate = path.endswith("/aggregate")
        kind = {"/api/posts/search": "post", "/api/comments/search": "comment"}.get(path.removesuffix("/aggregate"))
        if kind is None:
            return _response(404, {"data": None, "error": "Not found"})
        if self.fail_once is not None:
            status, self.fail_once = self.fail_once, None
            return _response(status, "<html>Bad gateway</html>")
        if self.fail is not None:
            return _response(self.fail[0], {"data": None, "error": self.fail[1]})
        if self.refill and self.clock >= self.window_start + self.window:
            self.window_start, self.used = self.clock, 0
        reset = math.ceil(self.window_start + self.window - self.clock)
        if self.budget is not None and self.used >= self.budget:
            limited = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)}
            if self.retry_after:
                limited["Retry-After"] = str(reset)
                self.retry_afters.append(float(reset))
            return _response(429, {"data": None, "error": "Too many requests"}, limited)
        self.used += 1
        if aggregate:
            return self._aggregate(kind, params)
        try:
            limit = int(params.get("limit", 25))
            after, before = _epoch_ms(params["after"]), _epoch_ms(params["before"])
        except (KeyError, ValueError):
            return _response(400, {"data": None, "error": "Invalid parameters"})
        if not 1 <= limit <= 100 or params.get("sort") not in ("asc", "desc"):
            return _response(400, {"data": None, "error": "Invalid limit or sort"})
        if self.timeout_above is not None and limit > self.timeout_above and before - after > 3600_000:
            # Wide windows with big pages are what time out; one second never does.
            return _response(422, {"data": None, "error": "Timeout. Maybe slow down a bit"})
        sub = str(params.get("subreddit", "")).lower()
        def wanted(ms: int) -> bool:
            return (ms >= after if self.after_inclusive else ms > after) and ms < before

        rows = [r for r in self.corpus[kind]
                if r["subreddit"].lower() == sub and wanted(r["created_utc"] * 1000)]
        rows.sort(key=lambda r: r["created_utc"], reverse=params["sort"] == "desc")
        fields = params.get("fields")
        keep = fields.split(",") if fields else None
        data = [{k: v for k, v in r.items() if keep is None or k in keep} for r in rows[:limit]]
        headers: dict[str, str] = {}
        if self.rate_headers and self.budget is not None:
            headers = {"X-RateLimit-Remaining": str(self.budget - self.used), "X-RateLimit-Reset": str(reset)}
        return _response(200, {"data": data}, headers)


    def _aggregate(self, kind: str, params: dict[str, Any]) -> requests.Response:
        """Counts per UTC day bucket, ``{"data": [{"created_utc": "<ISO day>", "count": n}]}``, days with items only."""
        if params.get("aggregate") != "created_utc" or params.get("frequency") != "day":
            return _response(400, {"data": None, "error": "Only aggregate=created_utc&frequency=day is faked"})
        try:
            after, before = _epoch_ms(params["after"]), _epoch_ms(params["before"])
        except (KeyError, ValueError):
            return _response(400, {"data": None, "error": "Invalid parameters"})
        sub = str(params.get("subreddit", "")).lower()
        days: dict[int, int] = {}
        for r in self.corpus[kind]:
            ms = r["created_utc"] * 1000
            if r["subreddit"].lower() == sub and (ms >= after if self.after_inclusive else ms > after) and ms < before:
                day = r["created_utc"] - r["created_utc"] % 86400
                days[day] = days.get(day, 0) + 1
        data = [{"created_utc": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(d)), "count": n}
                for d, n in sorted(days.items())]
        return _response(200, {"data": data})


def _epoch_ms(value: str | int | float) -> int:
    """A documented Date: epoch seconds or milliseconds (told apart by size, as the server must)."""
    number = int(value)
    return number if number > 10**11 else number * 1000


class FakeTrendsApi:
    """The official Google Trends API (alpha) as Google documents it, over latent daily volumes.

    ``POST .../v1alpha:fetchTimeSeries`` and ``:fetchGeoBreakdown`` answer a
    long-running operation (``name``, ``metadata`` echoing the spec,
    ``pointCount``); ``GET .../v1alpha/operations/<name>`` answers it
    unfinished ``polls`` times, then done with ``response`` - the shapes of
    ``tests/data/google_trends_api``. ``searchInterest`` is the latent volume
    summed over each period (times 1000: one scale for every request, as the
    API promises), ``scaledSearchInterest`` the same rescaled so the answer's
    largest value is 100. Periods reaching past ``today - 2 days`` are
    ``isPartial``; periods running past the requested end carry
    ``extendsPastRequestedTimeRange``. ``regions`` maps region codes to
    multipliers of the term's volume for geo breakdowns. ``fail`` answers
    every POST with that HTTP status; ``operation_error`` finishes every
    operation with ``{"code": ..., "message": ...}`` instead of a response.
    Pass it as ``session=`` with ``backend="official"``.

    Examples
    --------
    >>> api = FakeTrendsApi()
    >>> api.post("https://searchtrends.googleapis.com/v1alpha:fetchTimeSeries", json={"spec": {
    ...     "expression": {"terms": [{"value": "x", "type": "BROAD"}]}, "geo": {"code": "US"},
    ...     "timeRange": {"startTime": {"seconds": 1735689600}, "endTime": {"seconds": 1738281600}},
    ...     "timeResolution": "MONTH"}}).status_code
    200
    """

    _FREQ = {"DAY": "D", "WEEK": "W-SUN", "MONTH": "MS", "YEAR": "YS"}

    def __init__(
        self, latent: pd.DataFrame | None = None, *, polls: int = 1, today: str | pd.Timestamp | None = None,
        regions: Mapping[str, float] | None = None, fail: int | None = None,
        operation_error: Mapping[str, Any] | None = None, seed: int = 0,
    ) -> None:
        self.latent = latent
        self.seed = seed
        self.polls = polls
        self.today = pd.Timestamp(today, tz="UTC") if today is not None else pd.Timestamp.now(tz="UTC").normalize()
        self.regions = regions or {"US-CA": 1.0, "US-TX": 0.8}
        self.fail, self.operation_error = fail, operation_error
        self.operations: dict[str, dict[str, Any]] = {}
        self.log: list[tuple[str, str]] = []  # (method, path) of every request

    def _volume(self, term: str) -> pd.Series:
        if self.latent is not None and term in self.latent:
            series = self.latent[term]
            return series if series.index.tz is not None else series.tz_localize("UTC")
        # Any other term: its own plausible series, the same on every request.
        seed = self.seed + int.from_bytes(term.encode()[:8].ljust(8, b"\0"), "little") % 10_000
        return latent_attention([term], "2019-01-01", self.today.tz_localize(None) + pd.Timedelta(days=400),
                                seed=seed)[term]

    def post(
        self, url: str, json: Mapping[str, Any] | None = None, params: Mapping[str, Any] | None = None,
        timeout: float | None = None, headers: Mapping[str, str] | None = None,
    ) -> requests.Response:
        path = urlsplit(url).path
        self.log.append(("POST", path))
        if self.fail is not None:
            return _response(self.fail, {"error": {"code": self.fail, "message": "refused", "status": "ERROR"}})
        method = path.rsplit(":", 1)[-1]
        spec = (json or {}).get("spec")
        if method not in ("fetchTimeSeries", "fetchGeoBreakdown") or not isinstance(spec, dict):
            return _response(400, {"error": {"code": 400, "message": "Invalid request", "status": "INVALID_ARGUMENT"}})
        name = f"v1alpha.{len(self.operations) + 1:08d}-0000-0000-0000-000000000000"
        start = pd.Timestamp(int(spec["timeRange"]["startTime"]["seconds"]), unit="s", tz="UTC")
        end = pd.Timestamp(int(spec["timeRange"]["endTime"]["seconds"]), unit="s", tz="UTC")
        echo = {**spec, "timeRange": {"startTime": f"{start:%Y-%m-%dT%H:%M:%SZ}",
                                      "endTime": f"{end + pd.Timedelta(seconds=86399):%Y-%m-%dT%H:%M:%SZ}"}}
        response = self._series(spec, start, end) if method == "fetchTimeSeries" else self._geo(spec, start, end)
        kind = "TimeSeries" if method == "fetchTimeSeries" else "GeoBreakdown"
        count = len(next(iter(v for v in response.values() if isinstance(v, dict)))["points"])
        operation = {"name": name, "metadata": {
            "@type": f"type.googleapis.com/google.trends.searchtrends.v1alpha.{kind}Metadata",
            "spec": echo, "pointCount": count}}
        self.operations[name] = {"operation": operation, "response": response, "polled": 0}
        return _response(200, operation)

    def get(self, url: str, params: Mapping[str, Any] | None = None, timeout: float | None = None) -> requests.Response:
        path = urlsplit(url).path
        self.log.append(("GET", path))
        name = path.rsplit("/", 1)[-1]
        entry = self.operations.get(name)
        if entry is None:
            return _response(404, {"error": {"code": 404, "message": "Not found", "status": "NOT_FOUND"}})
        entry["polled"] += 1
        if entry["polled"] <= self.polls:
            return _response(200, entry["operation"])
        done = {**entry["operation"], "done": True}
        if self.operation_error is not None:
            done["error"] = dict(self.operation_error)
        else:
            done["response"] = entry["response"]
        return _response(200, done)

    def _series(self, spec: dict[str, Any], start: pd.Timestamp, end: pd.Timestamp) -> dict[str, Any]:
        total = sum(self._volume(t["value"]) for t in spec["expression"]["terms"])
        freq = self._FREQ[spec.get("timeResolution", "MONTH")]
        starts = pd.date_range(start, end, freq=freq)
        if len(starts) == 0 or starts[0] > start:
            starts = starts.insert(0, start if freq == "D" else (start - pd.tseries.frequencies.to_offset(freq)))
        points: list[dict[str, Any]] = []
        for lo, hi in zip(starts, list(starts[1:]) + [starts[-1] + pd.tseries.frequencies.to_offset(freq)]):
            seen = total[(total.index >= lo) & (total.index < min(hi, self.today - pd.Timedelta(days=2)))]
            points.append({"timeRange": {"startTime": f"{lo:%Y-%m-%dT%H:%M:%SZ}", "endTime": f"{hi:%Y-%m-%dT%H:%M:%SZ}"},
                           "searchInterest": int(round(float(seen.sum()) * 1000)),
                           "isPartial": bool(hi > self.today - pd.Timedelta(days=2)),
                           "extendsPastRequestedTimeRange": bool(hi > end + pd.Timedelta(days=1))})
        peak = max((p["searchInterest"] for p in points), default=0) or 1
        for p in points:
            p["scaledSearchInterest"] = int(round(100 * p["searchInterest"] / peak))
        return {"@type": "type.googleapis.com/google.trends.searchtrends.v1alpha.FetchTimeSeriesResponse",
                "timeSeries": {"points": points}}

    def _geo(self, spec: dict[str, Any], start: pd.Timestamp, end: pd.Timestamp) -> dict[str, Any]:
        total = sum(self._volume(t["value"]) for t in spec["expression"]["terms"])
        base = float(total[(total.index >= start) & (total.index <= end)].sum()) * 1000
        points: list[dict[str, Any]] = [{"subGeo": {"code": code, "type": spec.get("breakdownResolution", "")},
                   "searchInterest": int(round(base * weight))} for code, weight in self.regions.items()]
        peak = max((p["searchInterest"] for p in points), default=0) or 1
        for p in points:
            p["scaledSearchInterest"] = int(round(100 * p["searchInterest"] / peak))
        points.sort(key=lambda p: -p["searchInterest"])
        return {"@type": "type.googleapis.com/google.trends.searchtrends.v1alpha.FetchGeoBreakdownResponse",
                "geoBreakdown": {"points": points}}


# ---------------------------------------------------------------- ETF issuers

_ETF_LEVELS = {  # (shares outstanding, NAV) at the start of the fake history, near the funds' real size
    "SPY": (9.9e8, 590.0), "IVV": (1.1e9, 595.0), "IWM": (2.8e8, 222.0), "IJR": (3.8e8, 112.0),
    "IWB": (1.6e8, 325.0), "XLK": (6.5e8, 140.0),
}
_CREATION_UNIT = 50_000
_ISHARES_NAMES = {"IJR": "iShares Core S&P Small-Cap ETF", "IVV": "iShares Core S&P 500 ETF",
                  "IWB": "iShares Russell 1000 ETF", "IWM": "iShares Russell 2000 ETF"}
_HTML_SHELL = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>iShares by BlackRock</title>'
               '<script type="module" src="/_astro/page.js"></script></head><body><div id="app"></div></body></html>')
_CAPTCHA = ("<html><head><title>Access Denied</title></head><body><h1>Please verify you are a human</h1>"
            "</body></html>")


def latent_shares(
    tickers: Iterable[str] = ("SPY", "IWM", "XLK"), start: DateLike = "2025-01-02", end: DateLike = "2026-02-27",
    *, seed: int = 0, splits: Mapping[str, tuple[DateLike, float]] | None = None,
) -> dict[str, pd.DataFrame]:
    """A plausible daily history of shares outstanding and NAV per ETF, on NYSE trading days.

    Shares change in whole creation units (50,000 shares) by about 0.2% of
    the fund a day; NAV follows a random walk with 1.2% daily volatility.
    ``splits`` maps a ticker to ``(date, ratio)``: from that date shares are
    multiplied and NAV divided by ``ratio`` (2 for a 2-for-1 split, 0.5 for
    a 1-for-2 reverse split), as in an issuer's unadjusted file.

    Returns
    -------
    dict
        ticker -> DataFrame indexed by date, columns ``shares_outstanding``, ``nav``.

    Examples
    --------
    >>> iwm = latent_shares(["IWM"], "2026-01-02", "2026-01-09", seed=1)["IWM"]
    >>> iwm.columns.tolist(), len(iwm)  # six trading days
    (['shares_outstanding', 'nav'], 6)
    >>> bool((iwm["shares_outstanding"].diff().dropna() % 50_000 == 0).all())  # whole creation units
    True
    """
    from .collectors.etf._calendar import trading_days

    days = trading_days(start, end)
    rng = np.random.default_rng(seed)
    out: dict[str, pd.DataFrame] = {}
    for ticker in tickers:
        so0, nav0 = _ETF_LEVELS.get(ticker, (2.0e8, 50.0))
        units = np.round(rng.normal(0.0, 0.002 * so0 / _CREATION_UNIT, len(days)))
        units[0] = 0
        shares = so0 + np.cumsum(units) * _CREATION_UNIT
        nav = nav0 * np.exp(np.cumsum(rng.normal(0.0003, 0.012, len(days))))
        frame = pd.DataFrame({"shares_outstanding": shares, "nav": nav.round(6)}, index=days)
        if splits and ticker in splits:
            when, ratio = pd.Timestamp(splits[ticker][0]), splits[ticker][1]
            frame.loc[when:, "shares_outstanding"] *= ratio
            frame.loc[when:, "nav"] /= ratio
        out[ticker] = frame
    return out


class _FakeIssuer:
    """What both issuer fakes share: a history, a request log, a quota, HTML answers on demand."""

    def __init__(self, history: Mapping[str, pd.DataFrame], *, html: bool, quota: int | None,
                 retry_after: int | None) -> None:
        self.history = history
        self.html = html
        self.quota, self.retry_after = quota, retry_after
        self.calls: list[str] = []  # every URL asked for

    @property
    def requests(self) -> int:
        """Requests answered so far (429s included)."""
        return len(self.calls)

    def _refuse(self, url: str) -> FakeResponse | None:
        """A 429 once the quota is spent, else None."""
        self.calls.append(url)
        if self.quota is not None and len(self.calls) > self.quota:
            headers = {"Content-Type": "text/html"}
            if self.retry_after is not None:
                headers["Retry-After"] = str(self.retry_after)
            return FakeResponse(429, "<html><body>Too Many Requests</body></html>", headers, {}, url)
        return None


class FakeSPDR(_FakeIssuer):
    """State Street's NAV-history workbooks, in their real layout, over a history you give.

    Pass it as ``session=`` to :func:`attention.collect_etf_shares`. Each
    ``GET .../navhist-us-en-<ticker>.xlsx`` answers the fund's whole history
    as a workbook: sheet ``navhist``, ``Fund Name:`` / ``Ticker Symbol:`` /
    a blank row, the header ``Date, NAV, Shares Outstanding, Total Net
    Assets`` in row 4, days newest first with dates as text
    (``21-May-2026``), then a footer row.

    Parameters
    ----------
    history : dict, optional
        ticker -> DataFrame with ``shares_outstanding`` and ``nav`` by date
        (default: :func:`latent_shares` of SPY and XLK).
    html : bool
        Answer every request with a captcha page (HTTP 200, text/html).
    quota : int, optional
        Requests answered before every further one gets HTTP 429.
    retry_after : int, optional
        Seconds sent in the Retry-After header of a 429.
    header_row : int
        Row of the column header (4 in the real file; change it to test a moved header).

    Examples
    --------
    >>> from attention.collectors.etf.spdr import navhist_url
    >>> fake = FakeSPDR(latent_shares(["XLK"], "2026-01-02", "2026-01-09"))
    >>> response = fake.get(navhist_url("XLK"))
    >>> response.status_code, response.content[:2], fake.requests  # an Excel workbook (a zip file)
    (200, b'PK', 1)
    """

    def __init__(self, history: Mapping[str, pd.DataFrame] | None = None, *, html: bool = False,
                 quota: int | None = None, retry_after: int | None = None, header_row: int = 4) -> None:
        super().__init__(history if history is not None else latent_shares(("SPY", "XLK")), html=html,
                         quota=quota, retry_after=retry_after)
        self.header_row = header_row

    def workbook(self, ticker: str) -> bytes:
        """The workbook State Street would serve for ``ticker``."""
        import io

        from openpyxl import Workbook

        data = self.history[ticker.upper()]
        book = Workbook()
        sheet = book.active
        sheet.title = "navhist"
        sheet["A1"], sheet["B1"] = "Fund Name:", f"Fake {ticker.upper()} SPDR ETF"
        sheet["A2"], sheet["B2"] = "Ticker Symbol:", ticker.upper()
        row_at = self.header_row  # row 3 stays empty, as in the real file
        for col, label in zip("ABCD", ("Date", "NAV", "Shares Outstanding", "Total Net Assets")):
            sheet[f"{col}{row_at}"] = label
        for day, row in data.sort_index(ascending=False).iterrows():
            row_at += 1
            values = (f"{day:%d-%b-%Y}", float(row["nav"]), float(row["shares_outstanding"]),
                      round(float(row["nav"] * row["shares_outstanding"]), 2))
            for col, value in zip("ABCD", values):
                sheet[f"{col}{row_at}"] = value
        sheet[f"A{row_at + 2}"] = "The information contained above is for illustrative purposes only (fake)."
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    def get(self, url: str, params: Mapping[str, Any] | None = None, **kwargs: Any) -> FakeResponse:
        import re

        refused = self._refuse(url)
        if refused is not None:
            return refused
        if self.html:
            return FakeResponse(200, _CAPTCHA, {"Content-Type": "text/html"}, {}, url)
        match = re.search(r"navhist-us-en-([a-z0-9]+)\.xlsx$", urlparse(url).path)
        if not match or match.group(1).upper() not in self.history:
            return FakeResponse(404, "<html><body>Page not found</body></html>", {"Content-Type": "text/html"}, {}, url)
        body = self.workbook(match.group(1))
        xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return FakeResponse(200, "", {"Content-Type": xlsx}, {}, url, content=body)


class FakeIShares(_FakeIssuer):
    """iShares' holdings CSV endpoint, in its real layout, over a history you give.

    Pass it as ``session=`` to :func:`attention.collect_etf_shares`.
    ``GET .../<product>/1467271812596.ajax?fileType=csv&fileName=<T>_holdings&dataType=fund&asOfDate=YYYYMMDD``
    answers a CSV whose header block carries ``Fund Holdings as of`` and
    ``Shares Outstanding`` for that day, two holdings rows and the quoted
    disclaimer. A date outside the history (weekend, holiday) gets a file
    whose ``Fund Holdings as of`` holds no date: public clients of the
    endpoint treat an empty value that way; the fake writes ``"-"`` and the
    parser accepts both.

    Parameters
    ----------
    history : dict, optional
        ticker -> DataFrame with ``shares_outstanding`` by date (default:
        :func:`latent_shares` of IWM and IJR).
    html_shell : bool
        Answer with the site's HTML page instead of the CSV (HTTP 200), as
        public reports from 2026 say the endpoint may now do.
    quota, retry_after :
        As :class:`FakeSPDR`.

    Examples
    --------
    >>> from attention.collectors.etf.ishares import holdings_url
    >>> fake = FakeIShares(latent_shares(["IWM"], "2026-01-02", "2026-01-09"))
    >>> fake.get(holdings_url("IWM", "2026-01-05")).text.splitlines()[1]
    'Fund Holdings as of,"Jan 05, 2026"'
    """

    def __init__(self, history: Mapping[str, pd.DataFrame] | None = None, *, html_shell: bool = False,
                 quota: int | None = None, retry_after: int | None = None) -> None:
        super().__init__(history if history is not None else latent_shares(("IWM", "IJR")), html=html_shell,
                         quota=quota, retry_after=retry_after)

    def holdings_csv(self, ticker: str, date: DateLike) -> str:
        """The CSV iShares would serve for ``ticker`` on ``date``."""
        ticker, day = ticker.upper(), pd.Timestamp(date)
        data = self.history[ticker]
        held = day in data.index
        as_of = f"{day:%b %d, %Y}" if held else "-"
        shares = f"{data.loc[day, 'shares_outstanding']:,.2f}" if held else "-"
        lines = [
            "\ufeff" + _ISHARES_NAMES.get(ticker, f"iShares {ticker} ETF"),
            f'Fund Holdings as of,"{as_of}"',
            'Inception Date,"May 22, 2000"',
            f'Shares Outstanding,"{shares}"',
            'Stock,"-"', 'Bond,"-"', 'Cash,"-"', 'Other,"-"',
            "\xa0",
            ("Ticker,Name,Sector,Asset Class,Market Value,Weight (%),Notional Value,Quantity,Price,Location,"
             "Exchange,Currency,FX Rate,Market Currency,Accrual Date"),
        ]
        if held:
            lines += [
                ('"AAA","FAKE HOLDING A","Industrials","Equity","1,000,000.00","0.50","1,000,000.00","10,000.00",'
                 '"100.00","United States","NYSE","USD","1.00","USD","-"'),
                ('"BBB","FAKE HOLDING B","Health Care","Equity","500,000.00","0.25","500,000.00","5,000.00",'
                 '"100.00","United States","NASDAQ","USD","1.00","USD","-"'),
            ]
        lines += ["\xa0", '"The content contained herein is owned or licensed by BlackRock (fake)."']
        return "\n".join(lines)

    def get(self, url: str, params: Mapping[str, Any] | None = None, **kwargs: Any) -> FakeResponse:
        refused = self._refuse(url)
        if refused is not None:
            return refused
        if self.html:
            return FakeResponse(200, _HTML_SHELL, {"Content-Type": "text/html; charset=utf-8"}, {}, url)
        query = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
        query.update(params or {})
        ticker = str(query.get("fileName", "")).removesuffix("_holdings").upper()
        if ticker not in self.history or "asOfDate" not in query:
            return FakeResponse(404, "<html><body>Page not found</body></html>", {"Content-Type": "text/html"}, {}, url)
        body = self.holdings_csv(ticker, pd.Timestamp(query["asOfDate"]))
        return FakeResponse(200, body, {"Content-Type": "text/csv; charset=utf-8"}, {}, url)


class FakeIssuers:
    """Both issuer fakes behind one session, routed by host (ssga.com, ishares.com).

    Pass it as ``etf_session=`` to :func:`attention.run`, which collects
    SPDR and iShares funds through one transport. ``history`` is shared by
    both (default: :func:`latent_shares` of the default themes' flow ETFs).

    Examples
    --------
    >>> from attention.collectors.etf.ishares import holdings_url
    >>> from attention.collectors.etf.spdr import navhist_url
    >>> fake = FakeIssuers(latent_shares(["IWM", "XLK"], "2026-01-02", "2026-01-09"))
    >>> [fake.get(url).status_code for url in (navhist_url("XLK"), holdings_url("IWM", "2026-01-05"))], fake.requests
    ([200, 200], 2)
    """

    def __init__(self, history: Mapping[str, pd.DataFrame] | None = None, **options: Any) -> None:
        if history is None:
            funds = ("IWM", "IJR", "SPY", "IVV", "XLB", "XLC", "XLE", "XLF", "XLI", "XLK", "XLP", "XLRE", "XLU",
                     "XLV", "XLY")
            history = latent_shares(funds, "2022-01-03", "2026-02-27")
        self.spdr = FakeSPDR(history, **{k: v for k, v in options.items() if k in ("quota", "retry_after")})
        self.ishares = FakeIShares(history, **options)

    @property
    def requests(self) -> int:
        return self.spdr.requests + self.ishares.requests

    def get(self, url: str, params: Mapping[str, Any] | None = None, **kwargs: Any) -> FakeResponse:
        fake = self.spdr if "ssga.com" in urlparse(url).netloc else self.ishares
        return fake.get(url, params=params, **kwargs)
