"""The only place that talks HTTP to Google Trends.

pytrends (pinned at 4.9.2, its last release) still knows Google's
cookie -> explore token -> widget data flow, so :class:`_TokenClient`
subclasses its ``TrendReq`` to reuse that flow while routing every request
through :class:`GoogleHttp`: one injected session, polite pacing, backoff
that honours Retry-After, and one mapping of foreign exceptions into the
``AttentionError`` tree. pytrends' own retry setup is never used (it passes
``method_whitelist``, which urllib3 2 removed).
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Callable

from ..errors import (
    AuthenticationError,
    CollectorError,
    MissingDependencyError,
    RateLimitError,
    UpstreamFormatError,
)

TRENDS_URL = "https://trends.google.com/trends"
EXPLORE_URL = f"{TRENDS_URL}/api/explore"
MULTILINE_URL = f"{TRENDS_URL}/api/widgetdata/multiline"
RELATED_URL = f"{TRENDS_URL}/api/widgetdata/relatedsearches"


@dataclass(frozen=True)
class Politeness:
    """How hard the collector may press Google.

    Parameters
    ----------
    pace : float
        Seconds between requests (plus jitter); Google's quota is per minute
        and per IP, and bursts draw 429s.
    jitter : float
        Up to this fraction of ``pace`` is added at random to each pause.
    max_retries : int
        Retries of one request after a 429, 5xx or network fault.
    backoff : float
        First wait after a failure, in seconds; it doubles with each retry
        (with jitter), unless the server sends Retry-After.
    max_wait : float
        Longest single wait.
    sleep : callable
        How to wait; tests pass a fake clock.
    """

    pace: float = 1.5
    jitter: float = 0.5
    max_retries: int = 5
    backoff: float = 5.0
    max_wait: float = 600.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)


def _retry_after(headers) -> float | None:
    value = None
    for name in ("Retry-After", "retry-after"):
        if headers and name in headers:
            value = headers[name]
            break
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            from datetime import datetime, timezone

            return max(0.0, (parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds())
        except (TypeError, ValueError):
            return None


class GoogleHttp:
    """Paced, retrying requests through one session; counts what it sent."""

    def __init__(self, session=None, politeness: Politeness | None = None, *, on_renew=None, seed=None):
        self.politeness = politeness or Politeness()
        self._session = session
        self._owns_session = session is None
        self._rng = random.Random(seed)
        self._last = None
        self.on_renew = on_renew
        self.sent = 0  # requests put on the wire, retries included
        self.strikes = 0  # failures since the last success
        self.progress = ""  # what the run has done, for error messages

    @property
    def session(self):
        if self._session is None:
            import requests

            self._session = requests.Session()
            self._session.headers["User-Agent"] = "market-attention (https://pypi.org/project/market-attention/)"
        return self._session

    def _pause(self, seconds: float) -> None:
        if seconds > 0:
            self.politeness.sleep(seconds)

    def _pace(self) -> None:
        p = self.politeness
        if self._last is not None and p.pace > 0:
            wait = p.pace * (1 + p.jitter * self._rng.random()) - (time.monotonic() - self._last)
            self._pause(wait)
        self._last = time.monotonic()

    def request(self, method: str, url: str, *, expect_ok: bool = True, **kwargs):
        """Send one request; retry what is worth retrying; return a 200 response.

        Failures count as strikes until :meth:`succeeded` is called (by the
        caller, once a whole cookie -> token -> data flow has worked). On a
        429 with a renewal hook, the session is renewed and
        :class:`SessionRenewed` tells the caller to start its flow again:
        retrying with the old cookie and token would only draw more 429s.
        """
        p = self.politeness
        while True:
            self._pace()
            self.sent += 1
            try:
                response = getattr(self.session, method.lower())(url, **kwargs)
            except Exception as exc:  # requests' ConnectionError, Timeout, ...; mapped once, here
                if not _is_network_fault(exc) or self._strike():
                    raise CollectorError(f"Google Trends: {type(exc).__name__}: {exc}; {self.progress}") from exc
                self._pause(min(p.max_wait, p.backoff * 2 ** (self.strikes - 1) * (1 + self._rng.random())))
                continue
            status = response.status_code
            if status == 200 or not expect_ok:
                if self.on_renew is None:
                    self.succeeded()
                return response
            if status == 429 or status >= 500:
                if self._strike():
                    if status == 429:
                        raise RateLimitError(
                            f"Google Trends kept answering HTTP 429 after {p.max_retries} retries; {self.progress}"
                        )
                    raise CollectorError(f"Google Trends kept failing with HTTP {status}; {self.progress}")
                wait = _retry_after(getattr(response, "headers", None))
                if wait is None:
                    wait = p.backoff * 2 ** (self.strikes - 1) * (1 + self._rng.random())
                self._pause(min(p.max_wait, wait))
                if status == 429 and self.on_renew is not None:
                    self.on_renew()
                    raise SessionRenewed
                continue
            if status in (401, 403):
                raise AuthenticationError(f"Google Trends refused the request (HTTP {status}); {self.progress}")
            # 400, 404 and the like will not get better by asking again.
            raise CollectorError(f"Google Trends answered HTTP {status} for {url.split('?')[0]}; {self.progress}")

    def _strike(self) -> bool:
        """Count a failure; True when the retries are used up."""
        self.strikes += 1
        return self.strikes > self.politeness.max_retries

    def succeeded(self) -> None:
        self.strikes = 0


class SessionRenewed(Exception):
    """Internal: the session was renewed after a 429; start the request flow again."""


def _is_network_fault(exc: Exception) -> bool:
    try:
        import requests
    except ImportError:  # pragma: no cover - requests comes with pytrends
        return isinstance(exc, (ConnectionError, TimeoutError))
    return isinstance(exc, (requests.ConnectionError, requests.Timeout, ConnectionError, TimeoutError))


def _decode(text: str, what: str):
    """Google prefixes JSON with an anti-XSSI line such as ``)]}'`` or ``)]}',``."""
    body = text.split("\n", 1)[1] if text.startswith(")]}'") else text
    try:
        return json.loads(body)
    except ValueError as exc:
        raise UpstreamFormatError(f"Google Trends {what}: expected JSON, got {text[:80]!r}") from exc


def token_client(http: GoogleHttp, *, hl: str = "en-US", tz: int = 360):
    """A pytrends ``TrendReq`` whose requests all go through ``http``."""
    try:
        from pytrends.request import TrendReq
    except ImportError as exc:
        raise MissingDependencyError(
            "collecting Google Trends needs pytrends: pip install pytrends==4.9.2"
        ) from exc

    class _TokenClient(TrendReq):
        def GetGoogleCookie(self):  # noqa: N802 - pytrends' name
            response = http.request("get", f"{TRENDS_URL}/explore/?geo={self.hl[-2:]}", expect_ok=False,
                                    timeout=self.timeout)
            return {k: v for k, v in response.cookies.items() if k == "NID"}

        def _get_data(self, url, method="get", trim_chars=0, **kwargs):
            response = http.request(method, url, headers=self.headers, cookies=self.cookies,
                                    timeout=self.timeout, **kwargs)
            return _decode(response.text, url.rsplit("/", 1)[-1])

    return _TokenClient(hl=hl, tz=tz, timeout=(5, 30), retries=0, backoff_factor=0)


class TrendsConnection:
    """Cookie and tokens on demand; nothing is sent until data must be fetched."""

    def __init__(self, session=None, politeness=None):
        self.http = GoogleHttp(session, politeness, on_renew=self.renew)
        self._client = None

    def renew(self) -> None:
        self._client = None

    @property
    def client(self):
        if self._client is None:
            self._client = token_client(self.http)
        return self._client

    def _widget(self, terms, timeframe, geo, category, gprop, widget_id):
        client = self.client
        try:
            client.build_payload(list(terms), cat=category, timeframe=timeframe, geo=geo, gprop=gprop)
        except KeyError as exc:
            raise UpstreamFormatError(f"Google Trends explore: no {exc} in the answer") from exc
        if widget_id == "TIMESERIES":
            widget = client.interest_over_time_widget
        else:
            widget = next((w for w in client.related_queries_widget_list), None)
        if not widget or "token" not in widget:
            raise UpstreamFormatError(f"Google Trends explore: no {widget_id} widget in the answer")
        return client, widget

    def _flow(self, terms, timeframe, geo, category, gprop, widget_id, url) -> str:
        """cookie -> explore token -> widget data, started again whenever a 429 renewed the session."""
        while True:
            try:
                client, widget = self._widget(terms, timeframe, geo, category, gprop, widget_id)
                params = {"req": json.dumps(widget["request"]), "token": widget["token"], "tz": client.tz}
                response = self.http.request("get", url, params=params, headers=client.headers,
                                             cookies=client.cookies, timeout=client.timeout)
            except SessionRenewed:
                continue
            self.http.succeeded()
            return response.text

    def timeline(self, terms, timeframe, geo, category, gprop) -> str:
        """Raw text of the interest-over-time answer for up to five terms."""
        return self._flow(list(terms), timeframe, geo, category, gprop, "TIMESERIES", MULTILINE_URL)

    def related(self, term, timeframe, geo, category, gprop) -> str:
        """Raw text of the related-queries answer for one term."""
        return self._flow([term], timeframe, geo, category, gprop, "RELATED_QUERIES", RELATED_URL)
