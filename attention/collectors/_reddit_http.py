"""The only places that talk to Reddit data sources: Arctic Shift over HTTP, Reddit through praw.

Both adapters pace requests, retry what is worth retrying (429, 5xx,
network faults) with backoff that honours ``Retry-After``, and map foreign
exceptions into the ``AttentionError`` tree exactly once, here, with
``raise ... from exc``, all through the shared layer of
:mod:`attention.collectors._http`.

Credentials (praw's ``client_id``/``client_secret``) are handed to praw and
nowhere else: they never appear in a message, a log record, a repr or the
store. Messages built here are scrubbed of them in case a foreign exception
text ever carried one.
"""

from __future__ import annotations

import configparser
import json
import logging
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from ..errors import (
    AuthenticationError,
    CollectorError,
    MissingDependencyError,
    QueryTimeout,
    RateLimitError,
    UpstreamFormatError,
)
from ._http import Backoff, HttpClient, Politeness, error_text, map_error, unreachable, wait_hint

if TYPE_CHECKING:
    import praw

log = logging.getLogger(__name__)
_Item = TypeVar("_Item")

SOURCE = "reddit"
ARCTIC_SHIFT_URL = "https://arctic-shift.photon-reddit.com"
#: Search endpoints of the Arctic Shift API (``api/README.md`` of ArthurHeitmann/arctic_shift).
ENDPOINTS = {"post": "/api/posts/search", "comment": "/api/comments/search"}
#: Aggregation endpoints: counts per time bucket for the same filters as the search endpoints.
AGGREGATE_ENDPOINTS = {"post": "/api/posts/search/aggregate", "comment": "/api/comments/search/aggregate"}

#: Arctic Shift's docs: "a couple requests per second" is fine; one a second plus jitter stays well below.
ARCTIC_SHIFT_POLITENESS = Politeness(pace=1.0, jitter=0.5, max_retries=5, backoff=5.0, max_wait=600.0)
#: prawcore paces itself from Reddit's X-Ratelimit headers; ours only governs 429 retries.
PRAW_POLITENESS = Politeness(pace=0.0, jitter=0.5, max_retries=4, backoff=10.0, max_wait=600.0)


# ---------------------------------------------------------------- Arctic Shift


class ArcticShiftHttp:
    """Paced, retrying GETs to the Arctic Shift API through the shared client; counts what it sent.

    Parameters
    ----------
    session : requests.Session-like, optional
        Anything with ``get(url, params=..., timeout=...)`` returning a
        response with ``status_code``, ``headers`` and ``text``.
    politeness : Politeness, optional
        Defaults to :data:`ARCTIC_SHIFT_POLITENESS`.
    """

    def __init__(self, session: Any = None, politeness: Politeness | None = None, *,
                 base_url: str = ARCTIC_SHIFT_URL, seed: int | None = None) -> None:
        self.http = HttpClient(SOURCE, session=session, politeness=politeness or ARCTIC_SHIFT_POLITENESS,
                               name="Arctic Shift", timeout=(10.0, 90.0), check=self._check, seed=seed)
        self.base_url = base_url.rstrip("/")

    @property
    def sent(self) -> int:
        return self.http.sent

    @property
    def waits(self) -> list[float]:
        return self.http.waits

    @property
    def progress(self) -> str:
        return self.http.progress

    @progress.setter
    def progress(self, value: str) -> None:
        self.http.progress = value

    def pause_after_failure(self, attempt: int) -> None:
        self.http.clock.pause(self.http.clock.failure_wait(attempt, None))

    def _check(self, response: Any) -> None:
        """Arctic Shift's own failures, which come with a 200 or a 422."""
        error = error_text(response.text)
        if response.status_code == 422 or (error and _is_timeout(error)):
            raise QueryTimeout(f"Arctic Shift: query timed out ({error or 'HTTP 422'}); {self.progress}",
                               source=SOURCE, url=self.base_url)
        if response.status_code == 200 and error:
            raise UpstreamFormatError(f"Arctic Shift answered an error: {error!r}; {self.progress}",
                                      source=SOURCE, url=self.base_url)

    def search(self, kind: str, params: dict[str, Any]) -> str:
        """The raw text of one search page (``{"data": [...]}``), checked.

        Raises
        ------
        QueryTimeout
            When the API answers that the query timed out (HTTP 422 or an
            ``error`` saying so); the caller retries with a smaller limit.
        ConnectionFailedError
            At once, when the API cannot be reached.
        RateLimitError
            When 429s (or 5xx) persist after ``max_retries`` retries.
        CollectorError
            For 4xx answers (never retried: they would not get better) and
            network faults that persist.
        UpstreamFormatError
            If a 200 answer carries an ``error``. Whether it is a page is
            for :func:`check_page` to say, before the page is stored.
        """
        text: str = self.http.request("get", self.base_url + ENDPOINTS[kind], params=params).text
        return text

    def aggregate(self, kind: str, params: dict[str, Any]) -> str:
        """The raw text of one aggregation answer (``{"data": [{"created_utc": ..., "count": n}, ...]}``).

        Raises
        ------
        QueryTimeout, ConnectionFailedError, RateLimitError, CollectorError, UpstreamFormatError
            As :meth:`search`.
        """
        text: str = self.http.request("get", self.base_url + AGGREGATE_ENDPOINTS[kind], params=params).text
        return text


def _is_timeout(error: str) -> bool:
    low = error.lower()
    return "timeout" in low or "timed out" in low or "slow down" in low


def check_page(text: str, progress: str = "") -> list[Any]:
    """The ``data`` list of one Arctic Shift page; UpstreamFormatError if the answer is not one."""
    try:
        body = json.loads(text)
    except (TypeError, ValueError) as exc:
        raise UpstreamFormatError(f"Arctic Shift: expected JSON, got {str(text)[:80]!r}; {progress}",
                                  source=SOURCE) from exc
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        raise UpstreamFormatError(f"Arctic Shift: expected {{'data': [...]}}, got {str(text)[:80]!r}; {progress}",
                                  source=SOURCE)
    data: list[Any] = body["data"]
    return data


def check_buckets(text: str, progress: str = "") -> list[tuple[int, int]]:
    """(UTC epoch second of the bucket start, count) pairs of an aggregation answer, checked.

    The API's README does not show the answer's shape; buckets carry the
    bucket start in ``created_utc`` (an ISO 8601 string, or epoch seconds or
    milliseconds) and a non-negative integer ``count``. Anything else raises
    UpstreamFormatError, so a malformed answer is never stored as good.
    """
    buckets: list[tuple[int, int]] = []
    for bucket in check_page(text, progress):
        stamp = bucket.get("created_utc") if isinstance(bucket, dict) else None
        count: Any = bucket.get("count") if isinstance(bucket, dict) else None  # checked below
        try:
            if isinstance(stamp, (int, float)) and not isinstance(stamp, bool):
                seconds = int(stamp // 1000 if stamp > 1e11 else stamp)
            else:  # pandas reads a naive stamp as UTC, an ISO "...Z" stamp as the UTC instant it is
                seconds = int(pd.Timestamp(stamp).timestamp())
            if isinstance(count, bool) or int(count) != count or count < 0:
                raise ValueError(count)
        except (TypeError, ValueError) as exc:
            raise UpstreamFormatError(
                f"Arctic Shift aggregation: expected buckets with created_utc and a count, got {bucket!r:.80}; "
                f"{progress}", source=SOURCE) from exc
        buckets.append((seconds, int(count)))
    return buckets


# ---------------------------------------------------------------- Reddit through praw


def _scrub(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text


def _config_problem(exc: configparser.Error) -> str:
    """Where a praw.ini is malformed (file and line numbers), without quoting any of its text."""
    source = getattr(exc, "source", None) or "praw.ini"
    if isinstance(exc, configparser.MissingSectionHeaderError):
        return f"{source} line {exc.lineno} comes before any [section] header"
    if isinstance(exc, configparser.ParsingError):
        lines = ", ".join(str(lineno) for lineno, _ in exc.errors)
        return f"{source} lines {lines} are not 'key = value'"
    lineno = getattr(exc, "lineno", None)
    return f"{source} is malformed ({type(exc).__name__}{f' at line {lineno}' if lineno else ''})"


def make_reddit(
    *, client_id: str | None = None, client_secret: str | None = None, user_agent: str | None = None,
    session: Any = None, timeout: float | None = None,
) -> praw.Reddit:
    """A read-only ``praw.Reddit``; settings not given are left to praw (``praw_*`` env vars, praw.ini).

    Raises
    ------
    MissingDependencyError
        If praw is not installed.
    AuthenticationError
        If a required setting (client id, secret, user agent) is missing.
    """
    try:
        import praw
        from praw.exceptions import MissingRequiredAttributeException
    except ImportError as exc:
        raise MissingDependencyError("the praw backend needs praw: pip install praw") from exc
    settings: dict[str, Any] = {k: v for k, v in {"client_id": client_id, "client_secret": client_secret,
                                  "user_agent": user_agent, "timeout": timeout}.items() if v is not None}
    kwargs: dict[str, Any] = {"requestor_kwargs": {"session": session}} if session is not None else {}
    try:
        reddit = praw.Reddit(check_for_updates=False, **settings, **kwargs)
    except MissingRequiredAttributeException as exc:
        # praw's message names the missing setting, never a value.
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise AuthenticationError(
            f"Reddit credentials: {first} Pass client_id=, client_secret= and user_agent=, or set the "
            "praw_client_id / praw_client_secret / praw_user_agent environment variables "
            "(or a praw.ini site)."
        ) from exc
    except configparser.Error as exc:
        # The parser's message quotes the offending line, which may hold a secret: say where, never what.
        raise CollectorError(f"could not set up praw: {_config_problem(exc)}") from None
    except Exception as exc:  # noqa: BLE001 - praw's own setup errors, mapped once
        # Third-party text can quote settings from the environment or praw.ini: name the type only.
        raise CollectorError(
            f"could not set up praw ({type(exc).__name__}; details withheld because they can quote "
            "credentials). Check the praw_* environment variables and praw.ini."
        ) from None
    try:
        reddit.read_only = True
    except Exception:  # pragma: no cover - praw always has a read-only authorizer for app credentials
        pass
    return reddit


class RedditApi:
    """Walks praw listings, retrying 429s (which prawcore raises without retrying) and mapping errors once.

    Parameters
    ----------
    politeness : Politeness, optional
        Defaults to :data:`PRAW_POLITENESS`; ``max_retries``, ``backoff``,
        ``max_wait``, ``max_total`` and ``sleep`` govern 429 and 5xx
        retries. prawcore itself paces requests from Reddit's
        ``X-Ratelimit-*`` headers.
    secrets : sequence of str
        Values scrubbed from every message (the credentials, when we know them).
    """

    def __init__(
        self, politeness: Politeness | None = None, *, secrets: Iterable[object] = (), seed: int | None = None
    ) -> None:
        self._clock = Backoff(politeness or PRAW_POLITENESS, seed)
        self._secrets = tuple(s for s in secrets if isinstance(s, str))
        self.requests_retried = 0

    @property
    def waits(self) -> list[float]:
        return self._clock.waits

    def iterate(self, listing: Iterable[_Item], what: str) -> Iterator[_Item]:
        """Yield the items of a praw ``ListingGenerator``, retrying the page that failed.

        A ``ListingGenerator`` that raised while fetching a page keeps its
        cursor, so calling ``next`` again asks for the same page.

        Raises
        ------
        ConnectionFailedError
            At once, when Reddit cannot be reached (no network, unknown name).
        RateLimitError
            When Reddit keeps answering 429 after ``max_retries`` retries.
        AuthenticationError
            When credentials are refused (401, OAuth errors).
        CollectorError
            For other failures (403 private subreddit, 404, persistent 5xx, network).
        """
        p = self._clock.politeness
        attempt, waited = 0, 0.0
        iterator = iter(listing)
        while True:
            try:
                item = next(iterator)
            except StopIteration:
                return
            except Exception as exc:
                status, hint = _retryable(exc)
                if status is None:
                    raise self._mapped(exc, what) from exc
                wait = self._clock.failure_wait(attempt, hint)
                if attempt >= p.max_retries or waited + wait > p.max_total:
                    if status == 429:
                        raise RateLimitError(
                            f"Reddit kept answering HTTP 429 (too many requests) after {attempt} "
                            f"retries ({what}). Reddit allows about 100 requests a minute per OAuth client; "
                            "wait a few minutes and rerun, or use backend='arctic_shift'.", source=SOURCE,
                        ) from exc
                    raise CollectorError(
                        f"Reddit kept answering HTTP {status} after {attempt} retries ({what})", source=SOURCE
                    ) from exc
                log.info("Reddit answered HTTP %s (%s); retrying in %.1f s", status, what, wait)
                self._clock.pause(wait)
                attempt += 1
                waited += wait
                self.requests_retried += 1
                continue
            attempt, waited = 0, 0.0
            yield item

    def _mapped(self, exc: Exception, what: str) -> BaseException:
        """The mapped error, with every known secret scrubbed from its message."""
        args = getattr(exc, "request_args", None) or ()
        url = next((a for a in args if isinstance(a, str) and a.startswith("http")), "https://oauth.reddit.com")
        error = map_error(exc, name="Reddit", source=SOURCE, url=url, context=what)
        if error is exc:
            return error
        error.args = tuple(_scrub(str(a), self._secrets) for a in error.args)
        return error


def _retryable(exc: Exception) -> tuple[int | None, float | None]:
    """(status, wait hint) of a 429 or 5xx answer worth another try; (None, None) for anything else."""
    if unreachable(exc):
        return None, None
    try:
        import prawcore.exceptions as pe
    except ImportError:  # pragma: no cover - we only get here through praw
        return None, None
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    headers = getattr(response, "headers", None)
    if isinstance(exc, pe.TooManyRequests) or status == 429:
        # prawcore raises TooManyRequests for API calls, and a bare ResponseException(429) when the
        # token request itself is refused; both carry the response and its Retry-After.
        return 429, wait_hint(headers)
    if isinstance(exc, pe.ServerError) or (status is not None and status >= 500):
        return status, wait_hint(headers)  # prawcore already retried twice; back off and try again
    return None, None
