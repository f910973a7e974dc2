"""The only place that talks HTTP to Google Trends.

pytrends (pinned at 4.9.2, its last release) still knows Google's
cookie -> explore token -> widget data flow, so :class:`_TokenClient`
subclasses its ``TrendReq`` to reuse that flow while routing every request
through the shared :class:`~attention.collectors._http.HttpClient`: one
injected session, polite pacing, backoff that honours Retry-After, fail-fast
when Google cannot be reached, and one mapping of foreign exceptions into the
``AttentionError`` tree. pytrends' own retry setup is never used (it passes
``method_whitelist``, which urllib3 2 removed).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from ..errors import MissingDependencyError, UpstreamFormatError
from ._http import HttpClient, Politeness, SessionRenewed

TRENDS_URL = "https://trends.google.com/trends"
EXPLORE_URL = f"{TRENDS_URL}/api/explore"
MULTILINE_URL = f"{TRENDS_URL}/api/widgetdata/multiline"
RELATED_URL = f"{TRENDS_URL}/api/widgetdata/relatedsearches"
SOURCE = "google_trends"


def google_http(session: Any = None, politeness: Politeness | None = None, *,
                on_renew: Callable[[], None] | None = None, seed: int | None = None) -> HttpClient:
    """The shared client, set up for Google: 5 s to connect, 30 s to answer, a fresh session after a 429."""
    return HttpClient(SOURCE, session=session, politeness=politeness, name="Google Trends", timeout=(5.0, 30.0),
                      on_renew=on_renew, seed=seed)


def _decode(text: str, what: str) -> Any:
    """Google prefixes JSON with an anti-XSSI line such as ``)]}'`` or ``)]}',``."""
    body = text.split("\n", 1)[1] if text.startswith(")]}'") else text
    try:
        return json.loads(body)
    except ValueError as exc:
        raise UpstreamFormatError(f"Google Trends {what}: expected JSON, got {text[:80]!r}",
                                  source=SOURCE) from exc


def token_client(http: HttpClient, *, hl: str = "en-US", tz: int = 360) -> Any:
    """A pytrends ``TrendReq`` whose requests all go through ``http``."""
    try:
        from pytrends.request import TrendReq
    except ImportError as exc:
        raise MissingDependencyError(
            "collecting Google Trends needs pytrends: pip install pytrends==4.9.2"
        ) from exc

    class _TokenClient(TrendReq):
        def GetGoogleCookie(self) -> dict[str, str]:  # noqa: N802 - pytrends' name
            response = http.request("get", f"{TRENDS_URL}/explore/?geo={self.hl[-2:]}", expect_ok=False)
            return {k: v for k, v in response.cookies.items() if k == "NID"}

        def _get_data(self, url: str, method: str = "get", trim_chars: int = 0, **kwargs: Any) -> Any:
            response = http.request(method, url, headers=self.headers, cookies=self.cookies, **kwargs)
            return _decode(response.text, url.rsplit("/", 1)[-1])

    return _TokenClient(hl=hl, tz=tz, timeout=(5, 30), retries=0, backoff_factor=0)


class TrendsConnection:
    """Cookie and tokens on demand; nothing is sent until data must be fetched."""

    def __init__(self, session: Any = None, politeness: Politeness | None = None) -> None:
        self.http = google_http(session, politeness, on_renew=self.renew)
        self._client: Any = None

    def renew(self) -> None:
        self._client = None

    @property
    def client(self) -> Any:
        """The pytrends client holding the cookie and tokens (made on first use)."""
        if self._client is None:
            self._client = token_client(self.http)
        return self._client

    def _widget(self, terms: list[str], timeframe: str, geo: str, category: int, gprop: str,
                widget_id: str) -> tuple[Any, dict[str, Any]]:
        client = self.client
        try:
            client.build_payload(list(terms), cat=category, timeframe=timeframe, geo=geo, gprop=gprop)
        except (KeyError, TypeError, AttributeError, IndexError) as exc:
            # pytrends walks the explore answer's widgets without checking them ({"widgets": null}, ...).
            raise UpstreamFormatError(
                f"Google Trends explore: unexpected answer ({type(exc).__name__}: {exc}); no {widget_id} widget",
                source=SOURCE,
            ) from exc
        if widget_id == "TIMESERIES":
            widget = client.interest_over_time_widget
        else:
            widget = next((w for w in client.related_queries_widget_list), None)
        if not isinstance(widget, dict) or "token" not in widget or "request" not in widget:
            raise UpstreamFormatError(f"Google Trends explore: no {widget_id} widget in the answer", source=SOURCE)
        return client, widget

    def _flow(self, terms: list[str], timeframe: str, geo: str, category: int, gprop: str, widget_id: str,
              url: str) -> str:
        """cookie -> explore token -> widget data, started again whenever a 429 renewed the session."""
        while True:
            try:
                client, widget = self._widget(terms, timeframe, geo, category, gprop, widget_id)
                params = {"req": json.dumps(widget["request"]), "token": widget["token"], "tz": client.tz}
                response = self.http.request("get", url, params=params, headers=client.headers,
                                             cookies=client.cookies)
            except SessionRenewed:
                continue
            self.http.succeeded()
            text: str = response.text
            return text

    def timeline(self, terms: Iterable[str], timeframe: str, geo: str, category: int, gprop: str) -> str:
        """Raw text of the interest-over-time answer for up to five terms."""
        return self._flow(list(terms), timeframe, geo, category, gprop, "TIMESERIES", MULTILINE_URL)

    def related(self, term: str, timeframe: str, geo: str, category: int, gprop: str) -> str:
        """Raw text of the related-queries answer for one term."""
        return self._flow([term], timeframe, geo, category, gprop, "RELATED_QUERIES", RELATED_URL)
