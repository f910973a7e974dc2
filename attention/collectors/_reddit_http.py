"""The only places that talk to Reddit data sources: Arctic Shift over HTTP, Reddit through praw.

Both adapters pace requests, retry what is worth retrying (429, 5xx,
network faults) with backoff that honours ``Retry-After``, and map foreign
exceptions into the ``AttentionError`` tree exactly once, here, with
``raise ... from exc``. :class:`~attention.collectors._google_http.Politeness`
is shared with the Google Trends collector.

Credentials (praw's ``client_id``/``client_secret``) are handed to praw and
nowhere else: they never appear in a message, a log record, a repr or the
store. Messages built here are scrubbed of them in case a foreign exception
text ever carried one.
"""

from __future__ import annotations

import configparser

import json
import logging
import random
import time

from ..errors import (
    AuthenticationError,
    CollectorError,
    MissingDependencyError,
    RateLimitError,
    UpstreamFormatError,
)
from ._google_http import Politeness, _is_network_fault, _retry_after

log = logging.getLogger(__name__)

ARCTIC_SHIFT_URL = "https://arctic-shift.photon-reddit.com"
#: Search endpoints of the Arctic Shift API (``api/README.md`` of ArthurHeitmann/arctic_shift).
ENDPOINTS = {"post": "/api/posts/search", "comment": "/api/comments/search"}
USER_AGENT = "market-attention (https://pypi.org/project/market-attention/)"

#: Arctic Shift's docs: "a couple requests per second" is fine; one a second plus jitter stays well below.
ARCTIC_SHIFT_POLITENESS = Politeness(pace=1.0, jitter=0.5, max_retries=5, backoff=5.0, max_wait=600.0)
#: prawcore paces itself from Reddit's X-Ratelimit headers; ours only governs 429 retries.
PRAW_POLITENESS = Politeness(pace=0.0, jitter=0.5, max_retries=4, backoff=10.0, max_wait=600.0)


class QueryTimeout(CollectorError):
    """Arctic Shift gave up on a query ("Timeout. Maybe slow down a bit"); a smaller ``limit`` helps."""


def reset_wait(value, now: float | None = None) -> float | None:
    """Seconds until an ``X-RateLimit-Reset`` value, whatever its unit.

    Arctic Shift's docs say the header "shows when the rate limit is reset"
    without a unit, so the value is read by size: above 1e12 epoch
    milliseconds, above 1e9 epoch seconds, otherwise seconds from now (as
    Reddit sends it).
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    now = time.time() if now is None else now
    if number > 1e12:
        number = number / 1000.0 - now
    elif number > 1e9:
        number = number - now
    return max(0.0, number)


def _header(headers, name):
    if not headers:
        return None
    for key in (name, name.lower()):
        if key in headers:
            return headers[key]
    return None


def wait_hint(headers) -> float | None:
    """How long the server asked us to wait: ``Retry-After``, else ``X-RateLimit-Reset``."""
    wait = _retry_after(headers)
    if wait is None:
        wait = reset_wait(_header(headers, "X-RateLimit-Reset"))
    return wait


class _Backoff:
    """Pacing and waits shared by both adapters (one RNG, one clock)."""

    def __init__(self, politeness: Politeness | None, default: Politeness, seed=None):
        self.politeness = politeness or default
        self._rng = random.Random(seed)
        self._last = None
        self._hold = 0.0  # a wait the server announced for the next request
        self.waits: list[float] = []  # waits the server caused (not routine pacing), for the run's metadata

    def pause(self, seconds: float, *, note: bool = True) -> None:
        if seconds > 0:
            if note:
                self.waits.append(float(seconds))
            self.politeness.sleep(seconds)

    def hold(self, seconds: float) -> None:
        """Wait this long before the next request (the server said its budget is spent)."""
        self._hold = min(self.politeness.max_wait, max(0.0, seconds))

    def pace(self) -> None:
        p = self.politeness
        wait = 0.0
        if self._last is not None and p.pace > 0:
            wait = p.pace * (1 + p.jitter * self._rng.random()) - (time.monotonic() - self._last)
        held, self._hold = self._hold, 0.0
        if held > wait:
            self.pause(held)
        else:
            self.pause(min(p.max_wait, wait), note=False)
        self._last = time.monotonic()

    def failure_wait(self, attempt: int, hint: float | None) -> float:
        p = self.politeness
        wait = hint if hint is not None else p.backoff * 2**attempt * (1 + self._rng.random())
        return min(p.max_wait, wait)


# ---------------------------------------------------------------- Arctic Shift


class ArcticShiftHttp:
    """Paced, retrying GETs to the Arctic Shift API through one session; counts what it sent.

    Parameters
    ----------
    session : requests.Session-like, optional
        Anything with ``get(url, params=..., timeout=...)`` returning a
        response with ``status_code``, ``headers`` and ``text``.
    politeness : Politeness, optional
        Defaults to :data:`ARCTIC_SHIFT_POLITENESS`.
    """

    def __init__(self, session=None, politeness: Politeness | None = None, *, base_url=ARCTIC_SHIFT_URL,
                 seed=None):
        self._clock = _Backoff(politeness, ARCTIC_SHIFT_POLITENESS, seed)
        self._session = session
        self.base_url = base_url.rstrip("/")
        self.sent = 0  # requests put on the wire, retries included
        self.progress = ""  # how far the run got, for error messages

    @property
    def politeness(self) -> Politeness:
        return self._clock.politeness

    @property
    def waits(self) -> list[float]:
        return self._clock.waits

    @property
    def session(self):
        if self._session is None:
            import requests

            self._session = requests.Session()
            self._session.headers["User-Agent"] = USER_AGENT
        return self._session

    def pause_after_failure(self, attempt: int) -> None:
        self._clock.pause(self._clock.failure_wait(attempt, None))

    def search(self, kind: str, params: dict) -> str:
        """The raw text of one search page (``{"data": [...]}``).

        Raises
        ------
        QueryTimeout
            When the API answers that the query timed out (HTTP 422 or an
            ``error`` saying so); the caller retries with a smaller limit.
        RateLimitError
            When 429s (or 5xx) persist after ``max_retries`` retries.
        CollectorError
            For 4xx answers (never retried: they would not get better) and
            network faults that persist.
        UpstreamFormatError
            If a 200 answer is not JSON with a ``data`` list.
        """
        url = self.base_url + ENDPOINTS[kind]
        p = self.politeness
        status = None
        for attempt in range(p.max_retries + 1):
            self._clock.pace()
            self.sent += 1
            try:
                response = self.session.get(url, params=params, timeout=(10, 90))
            except Exception as exc:  # requests' ConnectionError, Timeout, ...; mapped once, here
                if not _is_network_fault(exc) or attempt == p.max_retries:
                    raise CollectorError(
                        f"Arctic Shift: {type(exc).__name__}: {exc} ({self.progress})"
                    ) from exc
                self._clock.pause(self._clock.failure_wait(attempt, None))
                continue
            status = response.status_code
            headers = getattr(response, "headers", None) or {}
            text = response.text
            error = _error_text(text)
            if status == 422 or (error and _is_timeout(error)):
                raise QueryTimeout(f"Arctic Shift: query timed out ({error or 'HTTP 422'}); {self.progress}")
            if status == 200:
                if error:
                    raise UpstreamFormatError(f"Arctic Shift answered an error: {error!r}; {self.progress}")
                remaining = _header(headers, "X-RateLimit-Remaining")
                if _as_float(remaining) is not None and _as_float(remaining) <= 0:
                    # The budget is spent: wait for its reset before the next request, not for a 429.
                    self._clock.hold(reset_wait(_header(headers, "X-RateLimit-Reset")) or 0.0)
                _check_page(text, self.progress)
                return text
            if status == 429 or status >= 500:
                if attempt == p.max_retries:
                    break
                self._clock.pause(self._clock.failure_wait(attempt, wait_hint(headers)))
                continue
            # 400, 404 and the like will not get better by asking again.
            detail = f": {error}" if error else ""
            raise CollectorError(
                f"Arctic Shift answered HTTP {status} for {ENDPOINTS[kind]}{detail}; {self.progress}"
            )
        error = RateLimitError if status == 429 else CollectorError
        raise error(
            f"Arctic Shift kept answering HTTP {status} after {p.max_retries} retries; {self.progress}."
        )


def _as_float(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _error_text(text: str) -> str | None:
    """The ``error`` of an answer shaped ``{"data": null, "error": "..."}``, if it is one."""
    try:
        body = json.loads(text)
    except (TypeError, ValueError):
        return None
    if isinstance(body, dict) and body.get("error"):
        return str(body["error"])
    return None


def _is_timeout(error: str) -> bool:
    low = error.lower()
    return "timeout" in low or "timed out" in low or "slow down" in low


def _check_page(text: str, progress: str) -> None:
    try:
        body = json.loads(text)
    except ValueError as exc:
        raise UpstreamFormatError(f"Arctic Shift: expected JSON, got {text[:80]!r}; {progress}") from exc
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        raise UpstreamFormatError(f"Arctic Shift: expected {{'data': [...]}}, got {text[:80]!r}; {progress}")


# ---------------------------------------------------------------- Reddit through praw


def _scrub(text: str, secrets) -> str:
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text


def _config_problem(exc) -> str:
    """Where a praw.ini is malformed (file and line numbers), without quoting any of its text."""
    source = getattr(exc, "source", None) or "praw.ini"
    if isinstance(exc, configparser.MissingSectionHeaderError):
        return f"{source} line {exc.lineno} comes before any [section] header"
    if isinstance(exc, configparser.ParsingError):
        lines = ", ".join(str(lineno) for lineno, _ in exc.errors)
        return f"{source} lines {lines} are not 'key = value'"
    lineno = getattr(exc, "lineno", None)
    return f"{source} is malformed ({type(exc).__name__}{f' at line {lineno}' if lineno else ''})"


def make_reddit(*, client_id=None, client_secret=None, user_agent=None, session=None):
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
    settings = {k: v for k, v in {"client_id": client_id, "client_secret": client_secret,
                                  "user_agent": user_agent}.items() if v is not None}
    kwargs = {"requestor_kwargs": {"session": session}} if session is not None else {}
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
        ``max_wait`` and ``sleep`` govern 429 and 5xx retries. prawcore
        itself paces requests from Reddit's ``X-Ratelimit-*`` headers.
    secrets : sequence of str
        Values scrubbed from every message (the credentials, when we know them).
    """

    def __init__(self, politeness: Politeness | None = None, *, secrets=(), seed=None):
        self._clock = _Backoff(politeness, PRAW_POLITENESS, seed)
        self._secrets = tuple(s for s in secrets if isinstance(s, str))
        self.requests_retried = 0

    @property
    def waits(self) -> list[float]:
        return self._clock.waits

    def iterate(self, listing, what: str):
        """Yield the items of a praw ``ListingGenerator``, retrying the page that failed.

        A ``ListingGenerator`` that raised while fetching a page keeps its
        cursor, so calling ``next`` again asks for the same page.

        Raises
        ------
        RateLimitError
            When Reddit keeps answering 429 after ``max_retries`` retries.
        AuthenticationError
            When credentials are refused (401, OAuth errors).
        CollectorError
            For other failures (403 private subreddit, 404, persistent 5xx, network).
        """
        p = self._clock.politeness
        attempt = 0
        iterator = iter(listing)
        while True:
            try:
                item = next(iterator)
            except StopIteration:
                return
            except Exception as exc:
                status, hint = self._classify(exc, what)
                if attempt >= p.max_retries:
                    if status == 429:
                        raise RateLimitError(
                            f"Reddit kept answering HTTP 429 (too many requests) after {p.max_retries} "
                            f"retries ({what}). Reddit allows about 100 requests a minute per OAuth client; "
                            "wait a few minutes and rerun, or use backend='arctic_shift'."
                        ) from exc
                    raise CollectorError(
                        f"Reddit kept answering HTTP {status} after {p.max_retries} retries ({what})"
                    ) from exc
                wait = self._clock.failure_wait(attempt, hint)
                log.info("Reddit answered HTTP %s (%s); retrying in %.1f s", status, what, wait)
                self._clock.pause(wait)
                attempt += 1
                self.requests_retried += 1
                continue
            attempt = 0
            yield item

    def _classify(self, exc: Exception, what: str):
        """Retryable -> (status, wait hint); anything else is raised, mapped."""
        try:
            import prawcore.exceptions as pe
            from praw.exceptions import PRAWException
        except ImportError:  # pragma: no cover - we only get here through praw
            raise exc from None
        response = getattr(exc, "response", None)
        status = getattr(response, "status_code", None)
        headers = getattr(response, "headers", None)
        if isinstance(exc, pe.TooManyRequests) or status == 429:
            # prawcore raises TooManyRequests for API calls, and a bare ResponseException(429) when the
            # token request itself is refused; both carry the response and its Retry-After.
            return 429, wait_hint(headers)
        if isinstance(exc, pe.ServerError) or (status is not None and status >= 500):
            return status, wait_hint(headers)  # prawcore already retried twice; back off and try again
        text = self._message(exc)
        if isinstance(exc, (pe.OAuthException, pe.InvalidToken, pe.InsufficientScope)) or status == 401:
            raise AuthenticationError(f"Reddit refused the credentials ({what}): {text}") from exc
        if isinstance(exc, pe.Forbidden):
            url = str(getattr(getattr(response, "request", None), "url", "") or getattr(response, "url", ""))
            if "access_token" in url:
                raise AuthenticationError(f"Reddit refused the credentials ({what}): {text}") from exc
            raise CollectorError(
                f"Reddit answered HTTP 403 ({what}): the subreddit is private, quarantined or banned"
            ) from exc
        if isinstance(exc, (pe.NotFound, pe.Redirect)):
            raise CollectorError(
                f"Reddit has no such listing ({what}); check the subreddit name: {text}"
            ) from exc
        if isinstance(exc, pe.RequestException):
            raise CollectorError(f"could not reach Reddit ({what}): {text}") from exc
        if isinstance(exc, (pe.PrawcoreException, PRAWException)):
            raise CollectorError(f"Reddit request failed ({what}): {text}") from exc
        raise exc

    def _message(self, exc: Exception) -> str:
        return _scrub(f"{type(exc).__name__}: {exc}", self._secrets)
