"""The one HTTP layer every collector shares: pacing, backoff, error mapping, validate-then-store.

- :class:`Politeness` says how hard a collector may press a source: pause
  between requests (with jitter), retries, backoff, per-request timeout and
  the longest time spent waiting on one request's failures.
- :class:`Backoff` keeps the clock: pacing, waits the server asked for
  (``Retry-After``, ``X-RateLimit-Reset``) and exponential backoff otherwise.
- :func:`map_error` is the table from foreign exceptions (requests, urllib3,
  prawcore, the standard library) to the :class:`~attention.AttentionError`
  tree. Every adapter raises through it, once, with ``raise ... from exc``.
  A host that cannot be reached at all (unknown name, refused connection,
  no route) is not a rate limit: it fails at once with
  :class:`~attention.errors.ConnectionFailedError` instead of minutes of
  backoff.
- :class:`HttpClient` sends paced, retried requests through one injected
  session, and :meth:`HttpClient.get` with ``validate=`` and a store key
  answers from the store when it holds a good answer, else fetches, passes
  the answer through the caller's parser and only then commits it as good.
  An answer the parser refuses (a captcha page, an empty body, truncated
  JSON) is kept marked bad for diagnosis, never served again.

>>> from attention.store import Store
>>> from attention.testing import FakeResponse
>>> class Session:
...     def get(self, url, params=None, timeout=None):
...         return FakeResponse(200, '{"rows": [1, 2]}', {}, {}, url)
>>> client = HttpClient("demo", session=Session(), politeness=Politeness(pace=0))
>>> with Store(":memory:") as store:
...     client.get("https://example.org/api", params={"q": "x"}, validate=lambda body: json.loads(body)["rows"],
...                store=store, key="demo:x")
[1, 2]
"""

from __future__ import annotations

import errno
import json
import random
import socket
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from types import ModuleType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..errors import (
    AttentionError,
    AuthenticationError,
    CollectorError,
    ConnectionFailedError,
    DataError,
    RateLimitError,
    UpstreamFormatError,
)

if TYPE_CHECKING:
    from ..store import Store

__all__ = [
    "USER_AGENT",
    "Backoff",
    "HttpClient",
    "Politeness",
    "SessionRenewed",
    "answer",
    "error_text",
    "map_error",
    "parsed",
    "public_url",
    "unreachable",
    "wait_hint",
]

USER_AGENT = "market-attention (https://pypi.org/project/market-attention/)"


@dataclass(frozen=True)
class Politeness:
    """How hard a collector may press a source, and how long it keeps trying.

    Parameters
    ----------
    pace : float
        Seconds between requests (plus jitter); quotas are per minute and per
        IP, and bursts draw 429s.
    jitter : float
        Up to this fraction of ``pace`` is added at random to each pause.
    max_retries : int
        Retries of one request after a 429, 5xx or network fault.
    backoff : float
        First wait after a failure, in seconds; it doubles with each retry
        (with jitter), unless the server says how long to wait.
    max_wait : float
        Longest single wait.
    timeout : float, optional
        Seconds to wait for the server to answer one request (connecting
        takes at most 10 of them). ``None`` keeps the source's default.
    max_total : float
        Longest time spent waiting on the failures of one request; when the
        next wait would pass it, the request fails instead.
    sleep : callable
        How to wait; tests pass a fake clock.

    Raises
    ------
    DataError
        If a field is negative or of the wrong type.

    Examples
    --------
    >>> Politeness(pace=0, max_retries=2, timeout=5).max_retries
    2
    """

    pace: float = 1.5
    jitter: float = 0.5
    max_retries: int = 5
    backoff: float = 5.0
    max_wait: float = 600.0
    timeout: float | None = None
    max_total: float = 1800.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    def __post_init__(self) -> None:
        for name in ("pace", "jitter", "backoff", "max_wait", "max_total"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
                raise DataError(f"{name}: expected a number of seconds >= 0, got {value!r}")
        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int) or self.max_retries < 0:
            raise DataError(f"max_retries: expected an integer >= 0, got {self.max_retries!r}")
        if self.timeout is not None and (isinstance(self.timeout, bool) or not isinstance(self.timeout, (int, float))
                                         or not self.timeout > 0):
            raise DataError(f"timeout: expected a number of seconds > 0, got {self.timeout!r}")
        if not callable(self.sleep):
            raise DataError(f"sleep: expected a callable, got {type(self.sleep).__name__}")

    def timeouts(self, default: tuple[float, float]) -> tuple[float, float]:
        """``(connect, read)`` seconds for one request."""
        if self.timeout is None:
            return default
        return (min(10.0, float(self.timeout)), float(self.timeout))


# ---------------------------------------------------------------- server hints


def _header(headers: Mapping[str, Any] | None, name: str) -> Any:
    if not headers:
        return None
    for key in (name, name.lower()):
        if key in headers:
            return headers[key]
    return None


def _retry_after(headers: Mapping[str, Any] | None) -> float | None:
    value = _header(headers, "Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, (parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds())
        except (TypeError, ValueError):
            return None


def reset_wait(value: Any, now: float | None = None) -> float | None:
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


def wait_hint(headers: Mapping[str, Any] | None) -> float | None:
    """How long the server asked us to wait: ``Retry-After``, else ``X-RateLimit-Reset``."""
    wait = _retry_after(headers)
    if wait is None:
        wait = reset_wait(_header(headers, "X-RateLimit-Reset"))
    return wait


def _as_float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


class Backoff:
    """Pacing and waits of one collector run (one RNG, one clock).

    ``waits`` lists the waits failures and servers caused (not routine
    pacing), for the run's metadata.
    """

    def __init__(self, politeness: Politeness, seed: int | None = None) -> None:
        self.politeness = politeness
        self._rng = random.Random(seed)
        self._last: float | None = None
        self._hold = 0.0  # a wait the server announced for the next request
        self.waits: list[float] = []

    def pause(self, seconds: float, *, note: bool = True) -> None:
        if seconds > 0:
            if note:
                self.waits.append(float(seconds))
            self.politeness.sleep(seconds)

    def hold(self, seconds: float) -> None:
        """Wait this long before the next request (the server said its budget is spent)."""
        self._hold = min(self.politeness.max_wait, max(0.0, seconds))

    def note_budget(self, headers: Mapping[str, Any] | None) -> None:
        """An answer saying ``X-RateLimit-Remaining: 0`` holds the next request until the reset."""
        remaining = _as_float(_header(headers, "X-RateLimit-Remaining"))
        if remaining is not None and remaining <= 0:
            self.hold(reset_wait(_header(headers, "X-RateLimit-Reset")) or 0.0)

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
        """The wait before retry number ``attempt + 1``: the server's hint, else exponential backoff."""
        p = self.politeness
        wait = hint if hint is not None else p.backoff * 2**attempt * (1 + self._rng.random())
        return min(p.max_wait, wait)


# ---------------------------------------------------------------- the error table


def public_url(url: str) -> str:
    """``scheme://host/path`` of a URL: no query string, no user or password (they may hold secrets)."""
    parts = urlsplit(str(url))
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}" if parts.scheme else str(url).split("?")[0]


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything it wraps (causes, contexts, urllib3 reasons, prawcore originals)."""
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        stack += [current.__cause__, current.__context__, getattr(current, "reason", None),
                  getattr(current, "original_exception", None)]
        stack += [a for a in getattr(current, "args", ()) if isinstance(a, BaseException)]


def unreachable(exc: BaseException) -> str | None:
    """Why the host cannot be reached at all, or ``None`` if ``exc`` is not that kind of failure.

    An unknown name (no network, no DNS), a refused connection or no route to
    the host will not get better within a run, so they are never retried.

    Examples
    --------
    >>> unreachable(ConnectionRefusedError(111, "Connection refused"))
    'connection refused'
    >>> unreachable(TimeoutError("read timed out")) is None
    True
    """
    for inner in _chain(exc):
        if isinstance(inner, socket.gaierror) or type(inner).__name__ == "NameResolutionError":
            return "the name could not be resolved"
        if isinstance(inner, ConnectionRefusedError):
            return "connection refused"
        if isinstance(inner, OSError) and inner.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return "no route to the host"
    return None


def _is_network_fault(exc: BaseException) -> bool:
    """A fault of the connection (reset, timeout) that may pass: worth a retry."""
    kinds: tuple[type[BaseException], ...] = (ConnectionError, TimeoutError)
    try:
        import requests

        kinds += (requests.ConnectionError, requests.Timeout)
    except ImportError:  # pragma: no cover - requests comes with pytrends and praw
        pass
    try:
        import prawcore.exceptions as pe

        kinds += (pe.RequestException,)
    except ImportError:
        pass
    return isinstance(exc, kinds)


def map_error(exc: BaseException, *, name: str, source: str, url: str = "", context: str = "") -> AttentionError:
    """The ``AttentionError`` a foreign exception stands for (raise it ``from exc``).

    Parameters
    ----------
    exc : BaseException
        What the session, praw or the standard library raised.
    name : str
        The source as users know it, for the message ("Google Trends").
    source : str
        The source's store name, set as the error's ``.source``.
    url : str
        Where the request went; only :func:`public_url` of it is kept.
    context : str
        How far the run got, appended to the message.

    Returns
    -------
    AttentionError
        :class:`~attention.errors.ConnectionFailedError` for an unreachable
        host; for prawcore's answers :class:`~attention.errors.RateLimitError`
        (429), :class:`~attention.errors.AuthenticationError` (401, OAuth
        errors) or :class:`~attention.errors.CollectorError`; a
        :class:`~attention.errors.CollectorError` naming the exception for
        anything else. An ``AttentionError`` is returned unchanged.

    Examples
    --------
    >>> error = map_error(ConnectionRefusedError(111, "refused"), name="Demo", source="demo",
    ...                   url="https://example.org/api?token=secret")
    >>> type(error).__name__, str(error), error.url
    ('ConnectionFailedError', 'cannot reach example.org: no network? (connection refused)', 'https://example.org/api')
    """
    if isinstance(exc, AttentionError):
        return exc
    where = public_url(url) if url else None
    tail = f"; {context}" if context else ""
    why = unreachable(exc)
    if why is not None:
        host = urlsplit(where).hostname if where else None
        return ConnectionFailedError(f"cannot reach {host or name}: no network? ({why}){tail}", source=source,
                                     url=where)
    try:
        import prawcore.exceptions as pe
    except ImportError:  # without praw installed, no prawcore exception can reach here
        pass
    else:
        if isinstance(exc, pe.PrawcoreException):
            return _map_prawcore(exc, pe, name=name, source=source, url=where, tail=tail)
    return CollectorError(f"{name}: {type(exc).__name__}: {exc}{tail}", source=source, url=where)


def _map_prawcore(
    exc: BaseException, pe: ModuleType, *, name: str, source: str, url: str | None, tail: str
) -> CollectorError:
    """prawcore's exceptions by meaning. Their text is kept: the caller scrubs credentials from it."""
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    detail = f" ({type(exc).__name__}: {exc})"
    if isinstance(exc, pe.TooManyRequests) or status == 429:
        return RateLimitError(f"{name} answered HTTP 429 (too many requests){tail}", source=source, url=url)
    if isinstance(exc, (pe.OAuthException, pe.InvalidToken, pe.InsufficientScope)) or status == 401:
        return AuthenticationError(f"{name} refused the credentials{detail}{tail}", source=source, url=url)
    if isinstance(exc, pe.Forbidden):
        target = str(getattr(getattr(response, "request", None), "url", "") or getattr(response, "url", ""))
        if "access_token" in target:
            return AuthenticationError(f"{name} refused the credentials{detail}{tail}", source=source, url=url)
        return CollectorError(f"{name} answered HTTP 403: the subreddit is private, quarantined or banned{tail}",
                              source=source, url=url)
    if isinstance(exc, (pe.NotFound, pe.Redirect)):
        return CollectorError(f"{name} has no such listing; check the subreddit name{detail}{tail}",
                              source=source, url=url)
    if isinstance(exc, pe.RequestException):
        return CollectorError(f"could not reach {name}{detail}{tail}", source=source, url=url)
    return CollectorError(f"{name} request failed{detail}{tail}", source=source, url=url)


def parsed(validate: Callable[[str], Any] | None, body: str, *, name: str, source: str, url: str = "") -> Any:
    """``validate(body)``, with any failure of the parser reported as an UpstreamFormatError."""
    if validate is None:
        return body
    try:
        return validate(body)
    except AttentionError:
        raise
    except Exception as exc:  # a parser's KeyError on an unexpected shape is the source's format, not ours
        raise UpstreamFormatError(
            f"{name}: the answer could not be read ({type(exc).__name__}: {exc}); it starts {body[:80]!r}",
            source=source, url=public_url(url) if url else None,
        ) from exc


# ---------------------------------------------------------------- the client


class SessionRenewed(Exception):
    """Internal: the session was renewed after a 429; the caller starts its request flow again."""


class HttpClient:
    """Paced, retrying requests through one session; counts what it sent.

    Parameters
    ----------
    source : str
        The source's store name (``"google_trends"``, ``"reddit"``, ...); set
        as ``.source`` on every error and on stored answers.
    session : requests.Session-like, optional
        Anything with ``get``/``post`` returning a response with
        ``status_code``, ``headers`` and ``text``. Default: a
        ``requests.Session`` with this library's User-Agent.
    politeness : Politeness, optional
        Defaults to ``Politeness()``.
    name : str, optional
        The source as users know it, for messages; defaults to ``source``.
    timeout : (float, float)
        Default ``(connect, read)`` seconds when ``politeness.timeout`` is None.
    on_renew : callable, optional
        Called after a 429 (once the wait is over); the request then raises
        :class:`SessionRenewed` so the caller starts its flow afresh
        (Google: new cookie and token). Failures then count across requests
        until :meth:`succeeded`.
    check : callable, optional
        ``check(response)`` runs on every answer before its status is judged;
        it may raise a source-specific error (Arctic Shift's query timeouts).
    seed : int, optional
        Seed of the jitter.

    Attributes
    ----------
    sent : int
        Requests put on the wire, retries included.
    progress : str
        How far the run got; appended to every error message.
    """

    def __init__(self, source: str, *, session: Any = None, politeness: Politeness | None = None,
                 name: str | None = None, timeout: tuple[float, float] = (5.0, 30.0),
                 on_renew: Callable[[], None] | None = None, check: Callable[[Any], None] | None = None,
                 seed: int | None = None) -> None:
        self.source = source
        self.name = name or source
        self.clock = Backoff(politeness or Politeness(), seed)
        self._session = session
        self._timeout = timeout
        self.on_renew = on_renew
        self.check = check
        self.sent = 0
        self.strikes = 0  # failures since the last success
        self._waited = 0.0  # seconds waited on those failures
        self.progress = ""

    @property
    def politeness(self) -> Politeness:
        return self.clock.politeness

    @property
    def waits(self) -> list[float]:
        return self.clock.waits

    @property
    def session(self) -> Any:
        """The session requests go through (``requests.Session`` or any object with its ``get``/``post``)."""
        if self._session is None:
            import requests

            self._session = requests.Session()
            self._session.headers["User-Agent"] = USER_AGENT
        return self._session

    def _tail(self) -> str:
        return f"; {self.progress}" if self.progress else ""

    def _error(self, kind: type[CollectorError], message: str, url: str) -> CollectorError:
        return kind(message + self._tail(), source=self.source, url=public_url(url))

    def request(self, method: str, url: str, *, expect_ok: bool = True, **kwargs: Any) -> Any:
        """Send one request; retry what is worth retrying; return the answer.

        Parameters
        ----------
        method : {"get", "post"}
        url : str
        expect_ok : bool
            When False, any status is returned (a cookie page may be a 404).
        **kwargs
            Passed to the session (``params``, ``headers``, ``cookies``, ...).

        Returns
        -------
        response
            A 200 answer (any answer when ``expect_ok`` is False).

        Raises
        ------
        ConnectionFailedError
            At once, when the host cannot be reached (unknown name, refused).
        RateLimitError
            When 429s persist after ``max_retries`` retries or ``max_total`` seconds.
        AuthenticationError
            On HTTP 401 or 403.
        CollectorError
            For other 4xx (not retried), persistent 5xx and network faults.
        """
        p = self.politeness
        kwargs.setdefault("timeout", p.timeouts(self._timeout))
        send = getattr(self.session, method.lower())
        while True:
            self.clock.pace()
            self.sent += 1
            try:
                response = send(url, **kwargs)
            except Exception as exc:  # mapped once, here; only passing faults are retried
                if not _is_network_fault(exc) or unreachable(exc) or self._give_up(None):
                    raise map_error(exc, name=self.name, source=self.source, url=url,
                                    context=self.progress) from exc
                continue
            if self.check is not None:
                self.check(response)
            status = response.status_code
            headers = getattr(response, "headers", None) or {}
            if status == 200 or not expect_ok:
                if self.on_renew is None:
                    self.succeeded()
                self.clock.note_budget(headers)
                return response
            if status == 429 or status >= 500:
                if self._give_up(wait_hint(headers)):
                    if status == 429:
                        raise self._error(RateLimitError, f"{self.name} kept answering HTTP 429 after "
                                                          f"{self.strikes - 1} retries", url)
                    raise self._error(CollectorError, f"{self.name} kept answering HTTP {status} after "
                                                      f"{self.strikes - 1} retries", url)
                if status == 429 and self.on_renew is not None:
                    self.on_renew()
                    raise SessionRenewed
                continue
            if status in (401, 403):
                raise self._error(AuthenticationError, f"{self.name} refused the request (HTTP {status})", url)
            # 400, 404 and the like will not get better by asking again.
            error = error_text(getattr(response, "text", ""))
            detail = f": {error}" if error else ""
            raise self._error(CollectorError, f"{self.name} answered HTTP {status} for "
                                              f"{urlsplit(url).path}{detail}", url)

    def _give_up(self, hint: float | None) -> bool:
        """Count a failure; True when retries or total waiting are used up, else wait and return False."""
        self.strikes += 1
        p = self.politeness
        if self.strikes > p.max_retries:
            return True
        wait = self.clock.failure_wait(self.strikes - 1, hint)
        if self._waited + wait > p.max_total:
            return True
        self._waited += wait
        self.clock.pause(wait)
        return False

    def succeeded(self) -> None:
        """A whole request flow worked: failures count from zero again."""
        self.strikes = 0
        self._waited = 0.0

    def get(self, url: str, *, params: dict[str, Any] | None = None, validate: Callable[[str], Any] | None = None,
            store: Store | None = None, key: str | None = None, request: dict[str, Any] | None = None,
            **kwargs: Any) -> Any:
        """GET ``url``; validate the answer; with a store, answer from it or commit the answer as good.

        Parameters
        ----------
        url : str
        params : dict, optional
            Query parameters.
        validate : callable, optional
            ``validate(text)`` parses the answer and raises (preferably
            :class:`~attention.errors.UpstreamFormatError`) if it is not what
            was expected; its result is returned. Without it, the text is.
        store : Store, optional
            With ``key``: a good answer stored under ``key`` is used without
            any request; a fetched answer is stored good only if ``validate``
            accepts it, else kept marked bad and the error raised.
        key : str, optional
            The store key of this request (required with ``store``).
        request : dict, optional
            What to record as the request; defaults to the public URL and
            ``params``.
        **kwargs
            Passed to the session.

        Returns
        -------
        object
            ``validate(text)``, or the text.

        Raises
        ------
        DataError
            If ``store`` is given without ``key``.
        UpstreamFormatError
            If ``validate`` refuses the answer.
        ConnectionFailedError, RateLimitError, AuthenticationError, CollectorError
            As :meth:`request`.
        """
        if store is not None and not key:
            raise DataError("key: expected the store key of this request when store= is given")

        def fetch() -> str:
            text: str = self.request("get", url, params=params, **kwargs).text
            return text

        value, _ = answer(store, key or "", fetch=fetch, validate=validate, source=self.source, name=self.name,
                          request=request or {"url": public_url(url), "params": params or {}}, url=url)
        return value


def answer(store: Store | None, key: str, *, fetch: Callable[[], str], validate: Callable[[str], Any] | None,
           source: str, name: str, request: dict[str, Any], url: str = "") -> tuple[Any, bool]:
    """One validated answer: from the store if it holds a good one, else fetched, validated, then stored.

    Returns
    -------
    (object, bool)
        ``validate(text)`` (or the text), and whether it came from the store.
        A fetched answer that ``validate`` refuses is stored marked bad and
        its :class:`~attention.errors.UpstreamFormatError` raised.
    """
    def check(body: str) -> Any:
        return parsed(validate, body, name=name, source=source, url=url)

    hit = store.get_response(key) if store is not None else None
    if hit is not None:
        return check(hit["body"]), True
    body = fetch()
    if store is None:
        return check(body), False
    return store.put_response(key, source=source, request=request, status=200, body=body, validate=check), False


def error_text(text: str) -> str | None:
    """The ``error`` of an answer shaped ``{"error": "...", ...}``, if it is one."""
    try:
        body = json.loads(text)
    except (TypeError, ValueError):
        return None
    if isinstance(body, dict) and body.get("error"):
        return str(body["error"])
    return None
