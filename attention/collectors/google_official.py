"""Google Trends through the official, consistently scaled API (alpha).

Since July 2025 Google offers a Google Trends API to alpha testers. Unlike
the website's endpoint, it answers ``searchInterest`` on **one scale for every
request** (values from different requests can be compared and concatenated),
with ``scaledSearchInterest`` (0-100 within the answer) beside it, for up to
about five years back. Anchors, batches and window chaining - everything
:mod:`attention.collectors.stitching` does for the web endpoint - are not
needed.

The flow, as Google documents it (``developers.google.com/search/apis/trends``):

1. ``POST https://searchtrends.googleapis.com/v1alpha:fetchTimeSeries`` (or
   ``:fetchGeoBreakdown``) with a ``spec`` (terms, region, time range,
   resolution) answers a long-running operation;
2. ``GET .../v1alpha/operations/<name>`` until ``"done": true``; the answer
   then holds ``response`` (the points) or ``error``.

Requests go through the shared HTTP layer (pacing, retries with backoff,
errors mapped once, fail-fast when the host cannot be reached) and with
Google credentials: application-default credentials, a service-account file
or ready ``google.auth`` credentials (through ``google-auth``'s
``AuthorizedSession``; install with ``pip install "market-attention[google-api]"``),
or an API key. Credentials are never logged, stored or shown: the store keeps
the spec and the answer, never the key or a token.

Google's discovery client (``google-api-python-client``) is not used: it
builds the service from a discovery document fetched at run time, which for
this alpha API is neither public nor testable offline, while the two REST
calls above are documented. Where the documentation is silent, this module
says so: the time-resolution names other than ``MONTH`` (``DAY``, ``WEEK``,
``YEAR`` here), the answer for a worldwide request (so a region is required),
quotas and error bodies.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from ..errors import (
    AuthenticationError,
    CollectorError,
    DataError,
    MissingDependencyError,
    RateLimitError,
    UpstreamFormatError,
)
from ..schema import validate_observations
from .._typing import DateLike, StrPath
from ._http import HttpClient, Politeness, answer

if TYPE_CHECKING:
    from tqdm import tqdm

    from ..store import Store

#: Resolutions of a time series on the official API (``"auto"`` picks the finest the range allows).
OfficialResolution = Literal["auto", "daily", "weekly", "monthly", "yearly"]

__all__ = [
    "COVERAGE_DAYS",
    "OFFICIAL_URL",
    "SCOPE",
    "TIME_RESOLUTIONS",
    "collect_official",
    "collect_official_regions",
    "official_spec",
    "parse_official_regions",
    "parse_official_series",
]

SOURCE = "google_trends"
OFFICIAL_URL = "https://searchtrends.googleapis.com/v1alpha"
#: OAuth scope of the API.
SCOPE = "https://www.googleapis.com/auth/searchtrends"
#: Resolution names sent as ``timeResolution``. Only ``MONTH`` appears in Google's examples; the others
#: follow its pattern and are unconfirmed: change them here if the API answers INVALID_ARGUMENT.
TIME_RESOLUTIONS = {"daily": "DAY", "weekly": "WEEK", "monthly": "MONTH", "yearly": "YEAR"}
#: Breakdown levels of ``fetchGeoBreakdown`` seen in the documentation.
GEO_LEVELS = {"country": "GEO_TYPE_COUNTRY_OR_REGION", "region": "GEO_TYPE_ADMINISTRATIVE_AREA1"}
#: The API's rolling window: about five years, up to two days before today.
COVERAGE_DAYS = 1800
LAG_DAYS = 2
#: How long to poll an operation before giving up, and the longest pause between polls (seconds).
POLL_DEADLINE = 600.0
POLL_MAX_PAUSE = 30.0
OFFICIAL_POLITENESS = Politeness(pace=0.5, jitter=0.25, max_retries=5, backoff=5.0, max_wait=300.0)
# google.rpc codes an operation's ``error`` may carry.
_PERMISSION, _EXHAUSTED, _UNAUTHENTICATED = 7, 8, 16
_GEO_CODE = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")


# ---------------------------------------------------------------- requests


def _geo(code: object) -> dict[str, str]:
    if not isinstance(code, str) or not _GEO_CODE.match(code):
        raise DataError(
            f"geo: expected an ISO 3166-1 country code ('US') or ISO 3166-2 subdivision ('US-CA') for the official "
            f"backend, got {code!r} (worldwide requests are not documented for this API)"
        )
    return {"type": GEO_LEVELS["region" if "-" in code else "country"], "code": code}


def official_spec(terms: str | Iterable[str], start: DateLike, end: DateLike, *, geo: str = "US",
                  resolution: str = "monthly",
                  breakdown: Literal["country", "region"] | None = None) -> dict[str, Any]:
    """The request body Google documents for ``fetchTimeSeries`` (or ``fetchGeoBreakdown`` with ``breakdown``).

    Parameters
    ----------
    terms : str or list of str
        Search terms; several terms form one expression (their searches together).
    start, end : date-like
        First and last day, inclusive (UTC).
    geo : str
        ISO 3166-1 or 3166-2 code.
    resolution : {"daily", "weekly", "monthly", "yearly"}
    breakdown : {"country", "region"}, optional
        Ask for a geographical breakdown at this level instead of a time series.

    Returns
    -------
    dict
        ``{"spec": {...}}``, ready to POST.

    Examples
    --------
    >>> official_spec("world cup", "2024-12-01", "2025-08-31", geo="GB")["spec"]["timeRange"]
    {'startTime': {'seconds': 1733011200}, 'endTime': {'seconds': 1756598400}}
    """
    values = [terms] if isinstance(terms, str) else list(terms)
    if not values or not all(isinstance(t, str) and t.strip() for t in values):
        raise DataError(f"terms: expected non-empty search terms, got {terms!r}")
    topics = [t for t in values if t.strip().startswith(("/m/", "/g/"))]
    if topics:
        raise DataError(f"terms: {topics[0]!r} is a topic id; the official API documents search terms only "
                        "(type BROAD): use backend='web' for topics")
    first, last = _day(start, "start"), _day(end, "end")
    if first > last:
        raise DataError(f"start: expected a date on or before end ({last:%Y-%m-%d}), got {first:%Y-%m-%d}")
    spec: dict[str, Any] = {
        "expression": {"terms": [{"value": t.strip(), "type": "BROAD"} for t in values]},
        "geo": _geo(geo),
        "timeRange": {"startTime": {"seconds": int(first.timestamp())}, "endTime": {"seconds": int(last.timestamp())}},
    }
    if breakdown is None:
        if resolution not in TIME_RESOLUTIONS:
            raise DataError(f"resolution: expected one of {tuple(TIME_RESOLUTIONS)}, got {resolution!r}")
        spec["timeResolution"] = TIME_RESOLUTIONS[resolution]
    else:
        if breakdown not in GEO_LEVELS:
            raise DataError(f"breakdown: expected one of {tuple(GEO_LEVELS)}, got {breakdown!r}")
        spec["breakdownResolution"] = GEO_LEVELS[breakdown]
        spec["zeroOutNoisyResults"] = False
    return {"spec": spec}


def _day(value: object, name: str) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        ts = pd.NaT
    if ts is pd.NaT:
        raise DataError(f"{name}: expected a date, got {value!r}")
    return (ts.tz_convert("UTC") if ts.tz is not None else ts.tz_localize("UTC")).normalize()


# ---------------------------------------------------------------- answers


def _operation(answer: object, what: str) -> dict[str, Any]:
    """An operation as a dict: decoded from JSON text if need be; UpstreamFormatError if it is not one."""
    if isinstance(answer, str):
        text = answer
        try:
            answer = json.loads(text)
        except ValueError as exc:
            raise UpstreamFormatError(f"Google Trends API {what}: expected JSON, got {text[:80]!r}",
                                      source=SOURCE) from exc
    if not isinstance(answer, dict):
        raise UpstreamFormatError(f"Google Trends API {what}: expected an operation, got {type(answer).__name__}",
                                  source=SOURCE)
    return answer


def _done(answer: object, what: str) -> dict[str, Any]:
    """The ``response`` of a finished operation; the operation's own error mapped into the tree."""
    operation = _operation(answer, what)
    error = operation.get("error")
    if error is not None:
        code: Any = error.get("code") if isinstance(error, dict) else None
        message = error.get("message", "") if isinstance(error, dict) else str(error)
        kind = {_PERMISSION: AuthenticationError, _UNAUTHENTICATED: AuthenticationError,
                _EXHAUSTED: RateLimitError}.get(code, CollectorError)
        raise kind(f"Google Trends API {what} failed (code {code}): {message}", source=SOURCE)
    if operation.get("done") is not True or not isinstance(operation.get("response"), dict):
        raise UpstreamFormatError(f"Google Trends API {what}: the operation is not done or has no response",
                                  source=SOURCE)
    response: dict[str, Any] = operation["response"]
    return response


def _points(response: dict[str, Any], field: str, what: str) -> list[Any]:
    points = (response.get(field) or {}).get("points") if isinstance(response.get(field, {}), dict) else None
    if not isinstance(points, list):
        raise UpstreamFormatError(f"Google Trends API {what}: no {field}.points in the response", source=SOURCE)
    return points


def _number(point: dict[str, Any], key: str, what: str, i: int) -> float:
    # proto3's JSON mapping leaves out fields holding their default, so an absent number is 0.
    value = point.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value) or value < 0:
        raise UpstreamFormatError(f"Google Trends API {what}: point {i} has {key}={value!r}, expected a number >= 0",
                                  source=SOURCE)
    return float(value)


def parse_official_series(
    operation: str | dict[str, Any], term: str, *, include_partial: bool = False
) -> pd.DataFrame:
    """Tidy observations from a finished ``fetchTimeSeries`` operation.

    Parameters
    ----------
    operation : dict or str
        The operation ``operations.get`` returned once done.
    term : str
        The label to give the series.
    include_partial : bool
        Keep points Google marks ``isPartial`` (flagged ``partial``).

    Returns
    -------
    DataFrame
        The observation schema with two metrics per point: ``search_interest``
        (``searchInterest``: one scale across requests, not capped at 100)
        and ``scaled_search_interest`` (0-100 within the answer). Flags:
        ``partial``, ``extends_past_range`` (the period runs past the
        requested end), ``below_threshold`` (a 0).

    Raises
    ------
    UpstreamFormatError
        If the operation is unfinished or the points are malformed (the
        message names the field and the point).
    CollectorError, AuthenticationError, RateLimitError
        If the operation finished with an error.

    Examples
    --------
    >>> op = {"done": True, "response": {"timeSeries": {"points": [
    ...     {"timeRange": {"startTime": "2025-01-01T00:00:00Z", "endTime": "2025-02-01T00:00:00Z"},
    ...      "searchInterest": 43000, "scaledSearchInterest": 11}]}}}
    >>> parse_official_series(op, "world cup")[["date", "metric", "value"]].to_dict("records")
    ...  # doctest: +NORMALIZE_WHITESPACE
    [{'date': Timestamp('2025-01-01 00:00:00+0000', tz='UTC'), 'metric': 'scaled_search_interest', 'value': 11.0},
     {'date': Timestamp('2025-01-01 00:00:00+0000', tz='UTC'), 'metric': 'search_interest', 'value': 43000.0}]
    """
    what = "fetchTimeSeries"
    rows: list[dict[str, Any]] = []
    for i, point in enumerate(_points(_done(operation, what), "timeSeries", what)):
        if not isinstance(point, dict):
            raise UpstreamFormatError(f"Google Trends API {what}: point {i} is not an object", source=SOURCE)
        try:
            start = pd.Timestamp(point["timeRange"]["startTime"])
        except (KeyError, TypeError, ValueError) as exc:
            raise UpstreamFormatError(f"Google Trends API {what}: point {i} has no readable timeRange.startTime",
                                      source=SOURCE) from exc
        start = start.tz_convert("UTC") if start.tz is not None else start.tz_localize("UTC")
        partial = point.get("isPartial") is True
        if partial and not include_partial:
            continue
        flags = [f for f, on in (("partial", partial),
                                 ("extends_past_range", point.get("extendsPastRequestedTimeRange") is True)) if on]
        for metric, key in (("search_interest", "searchInterest"), ("scaled_search_interest", "scaledSearchInterest")):
            value = _number(point, key, what, i)
            rows.append({"date": start, "term": term, "metric": metric, "value": value,
                         "flags": "|".join((["below_threshold"] if value == 0 else []) + flags)})
    frame = pd.DataFrame(rows, columns=["date", "term", "metric", "value", "flags"])
    frame["source"] = SOURCE
    return validate_observations(frame)


def parse_official_regions(operation: str | dict[str, Any], term: str) -> pd.DataFrame:
    """Interest by region from a finished ``fetchGeoBreakdown`` operation.

    Returns
    -------
    DataFrame
        ``region`` (ISO 3166 code), ``level`` (Google's geo type), ``term``,
        ``search_interest`` (one scale across requests) and
        ``scaled_search_interest`` (0-100 within the answer).

    Raises
    ------
    UpstreamFormatError, CollectorError, AuthenticationError, RateLimitError
        As :func:`parse_official_series`.

    Examples
    --------
    >>> op = {"done": True, "response": {"geoBreakdown": {"points": [
    ...     {"subGeo": {"code": "GB-ENG", "type": "GEO_TYPE_ADMINISTRATIVE_AREA1"}, "searchInterest": 130000,
    ...      "scaledSearchInterest": 100}]}}}
    >>> parse_official_regions(op, "world cup")[["region", "search_interest"]].to_dict("records")
    [{'region': 'GB-ENG', 'search_interest': 130000.0}]
    """
    what = "fetchGeoBreakdown"
    rows: list[dict[str, Any]] = []
    for i, point in enumerate(_points(_done(operation, what), "geoBreakdown", what)):
        sub = point.get("subGeo") if isinstance(point, dict) else None
        if not isinstance(sub, dict) or not isinstance(sub.get("code"), str):
            raise UpstreamFormatError(f"Google Trends API {what}: point {i} has no subGeo.code", source=SOURCE)
        rows.append({"region": sub["code"], "level": sub.get("type", ""), "term": term,
                     "search_interest": _number(point, "searchInterest", what, i),
                     "scaled_search_interest": _number(point, "scaledSearchInterest", what, i)})
    return pd.DataFrame(rows, columns=["region", "level", "term", "search_interest", "scaled_search_interest"])


# ---------------------------------------------------------------- transport


def _authorized_session(credentials: Any, project: str | None) -> Any:
    """A requests session that adds Google OAuth tokens (google-auth's AuthorizedSession)."""
    try:
        import google.auth
        from google.auth.exceptions import DefaultCredentialsError
        from google.auth.transport.requests import AuthorizedSession
        from google.oauth2 import service_account
    except ImportError as exc:
        raise MissingDependencyError(
            'the official Google Trends backend needs google-auth: pip install "market-attention[google-api]"'
        ) from exc
    try:
        if credentials is None:
            credentials, found = google.auth.default(scopes=[SCOPE])
            project = project or found
        elif isinstance(credentials, (str, bytes)) or hasattr(credentials, "__fspath__"):
            credentials = service_account.Credentials.from_service_account_file(str(credentials), scopes=[SCOPE])
    except DefaultCredentialsError:
        raise AuthenticationError(
            "Google credentials: none found. Run 'gcloud auth application-default login', set "
            "GOOGLE_APPLICATION_CREDENTIALS to a service-account file, or pass credentials= or api_key=",
            source=SOURCE) from None
    except (OSError, ValueError) as exc:
        # Never the file's content: only that it could not be used.
        raise AuthenticationError(f"credentials: cannot use that service-account file ({type(exc).__name__})",
                                  source=SOURCE) from None
    session = AuthorizedSession(credentials)
    if project:
        session.headers["X-Goog-User-Project"] = str(project)
    return session


class OfficialTrends:
    """POST a spec, poll the operation until done, through the shared HTTP layer.

    Parameters
    ----------
    session : requests.Session-like, optional
        Anything with ``post`` and ``get`` (``attention.testing.FakeTrendsApi``
        offline). Default: an ``AuthorizedSession`` for ``credentials``, or a
        plain session when ``api_key`` is given.
    credentials : google.auth credentials, str or Path, optional
        Ready credentials or a service-account JSON file; default:
        application-default credentials.
    api_key : str, optional
        Sent as the ``key`` query parameter; never stored or shown.
    project : str, optional
        Billed project (``X-Goog-User-Project``).
    """

    def __init__(self, session: Any = None, *, credentials: Any = None, api_key: str | None = None,
                 project: str | None = None, politeness: Politeness | None = None,
                 deadline: float = POLL_DEADLINE) -> None:
        if api_key is not None and not isinstance(api_key, str):
            raise DataError(f"api_key: expected a string, got {type(api_key).__name__}")
        if session is None and api_key is None:
            session = _authorized_session(credentials, project)
        self.http = HttpClient(SOURCE, session=session, politeness=politeness or OFFICIAL_POLITENESS,
                               name="Google Trends API", timeout=(10.0, 60.0))
        self._params = {"key": api_key} if api_key else {}
        self.deadline = deadline

    @property
    def sent(self) -> int:
        return self.http.sent

    def run(self, method: str, body: dict[str, Any]) -> str:
        """The text of the finished operation for ``method`` (``fetchTimeSeries`` or ``fetchGeoBreakdown``)."""
        operation = _operation(self.http.request("post", f"{OFFICIAL_URL}:{method}", json=body,
                                                 params=self._params).text, method)
        waited, pause = 0.0, 1.0
        while operation.get("done") is not True:
            name = operation.get("name")
            if not isinstance(name, str) or not name:
                raise UpstreamFormatError(f"Google Trends API {method}: the operation has no name", source=SOURCE)
            if waited >= self.deadline:
                raise CollectorError(f"Google Trends API {method}: operation {name} not done after {waited:.0f} s; "
                                     "rerun later", source=SOURCE)
            self.http.clock.pause(pause, note=False)
            waited += pause
            pause = min(pause * 2, POLL_MAX_PAUSE)
            path = name if name.startswith("operations/") else f"operations/{name}"
            text = self.http.request("get", f"{OFFICIAL_URL}/{path}", params=self._params).text
            operation = _operation(text, method)
        return json.dumps(operation)


def _store_key(method: str, body: dict[str, Any]) -> str:
    return "google_official:" + hashlib.sha256(json.dumps([method, body], sort_keys=True).encode()).hexdigest()


def _covered(start: pd.Timestamp, end: pd.Timestamp) -> None:
    today = pd.Timestamp.now(tz="UTC").normalize()
    first = today - pd.Timedelta(days=COVERAGE_DAYS)
    if start < first:
        raise DataError(f"start: the official API covers about the last five years (from {first:%Y-%m-%d}); "
                        f"got {start:%Y-%m-%d}. Use backend='web' for earlier data")
    if end > today - pd.Timedelta(days=LAG_DAYS):
        raise DataError(f"end: the official API answers up to two days before today "
                        f"({today - pd.Timedelta(days=LAG_DAYS):%Y-%m-%d}); got {end:%Y-%m-%d}")


def _auto_resolution(start: pd.Timestamp, end: pd.Timestamp) -> str:
    days = (end - start).days
    return "daily" if days <= 269 else "weekly" if days <= 1890 else "monthly"


def collect_official(
    queries: Mapping[str, str], start: DateLike, end: DateLike, *, geo: str = "US",
    resolution: OfficialResolution = "auto", include_partial: bool = False, store: Store | None = None,
    session: Any = None, credentials: Any = None, api_key: str | None = None, project: str | None = None,
    politeness: Politeness | None = None, progress: bool = False,
) -> pd.DataFrame:
    """Search interest on the API's consistent scale: one request per term (or term group).

    Called by :func:`attention.collect_google_trends` with ``backend="official"``;
    ``queries`` maps each label to its query (a theme's query may join
    several terms with ``+``, sent as one expression). Finished operations
    are kept in ``store`` once validated; a rerun sends nothing it has.

    Returns
    -------
    DataFrame
        See :func:`parse_official_series`; ``frame.attrs["google_trends"]``
        records the backend, resolution, requests sent (posts and polls),
        answers fetched and answers read from the store.

    Raises
    ------
    DataError, AuthenticationError, RateLimitError, CollectorError, UpstreamFormatError
        For bad arguments (a range the API does not cover), refused credentials, an exhausted quota, other
        failures of the API, and answers that are not the documented operation.

    Examples
    --------
    >>> from attention.testing import FakeTrendsApi
    >>> end = pd.Timestamp.now(tz="UTC").normalize() - pd.Timedelta(days=10)
    >>> frame = collect_official({"small caps": "small cap stocks + russell 2000"}, end - pd.Timedelta(days=400),
    ...                          end, session=FakeTrendsApi(), politeness=Politeness(pace=0, sleep=lambda s: None))
    >>> frame.attrs["google_trends"]["resolution"], sorted(frame["metric"].unique())
    ('weekly', ['scaled_search_interest', 'search_interest'])
    >>> float(frame.loc[frame["metric"] == "scaled_search_interest", "value"].max())
    100.0
    """
    first, last = _day(start, "start"), _day(end, "end")
    _covered(first, last)
    chosen = _auto_resolution(first, last) if resolution == "auto" else resolution
    client = OfficialTrends(session, credentials=credentials, api_key=api_key, project=project,
                            politeness=politeness)
    bar = _bar(len(queries)) if progress else None
    frames: list[pd.DataFrame] = []
    cached = 0
    try:
        for label, query in queries.items():
            body = official_spec([t.strip() for t in query.split("+")], first, last, geo=geo, resolution=chosen)
            client.http.progress = f"{len(frames)} of {len(queries)} terms collected before {label!r}"
            frame, from_store = answer(
                store, _store_key("fetchTimeSeries", body),
                fetch=functools.partial(client.run, "fetchTimeSeries", body),
                validate=functools.partial(parse_official_series, term=label, include_partial=include_partial),
                source=SOURCE, name="Google Trends API", request={"url": f"{OFFICIAL_URL}:fetchTimeSeries", **body})
            frames.append(frame)
            cached += from_store
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    out = validate_observations(pd.concat(frames, ignore_index=True))
    out.attrs["google_trends"] = {"backend": "official", "resolution": chosen, "geo": geo,
                                  "requests": client.sent, "fetched": len(frames) - cached, "cached": cached}
    return out


def collect_official_regions(
    terms: str | Iterable[str], start: DateLike, end: DateLike, *, geo: str = "US",
    level: Literal["country", "region"] = "region", store: Store | StrPath | None = None, session: Any = None,
    credentials: Any = None, api_key: str | None = None, project: str | None = None,
    politeness: Politeness | None = None,
) -> pd.DataFrame:
    """Interest by region from the official API (``fetchGeoBreakdown``), one request per term.

    Parameters
    ----------
    terms : str or list of str
    start, end : date-like
    geo : str
        The region to break down (ISO 3166-1 or 3166-2).
    level : {"region", "country"}
        The breakdown level (Google documents ``GEO_TYPE_ADMINISTRATIVE_AREA1``
        and ``GEO_TYPE_COUNTRY_OR_REGION``).
    store, session, credentials, api_key, project, politeness
        As :func:`collect_official`.

    Returns
    -------
    DataFrame
        See :func:`parse_official_regions`.

    Raises
    ------
    DataError, AuthenticationError, RateLimitError, CollectorError, UpstreamFormatError
        As the time-series collector.

    Examples
    --------
    >>> from attention.testing import FakeTrendsApi
    >>> api = FakeTrendsApi(regions={"US-TX": 2.0, "US-VT": 0.5})
    >>> end = pd.Timestamp.now(tz="UTC").normalize() - pd.Timedelta(days=10)
    >>> collect_official_regions("small cap stocks", end - pd.Timedelta(days=90), end, session=api,
    ...                          politeness=Politeness(pace=0, sleep=lambda s: None))[["region", "scaled_search_interest"]]
      region  scaled_search_interest
    0  US-TX                   100.0
    1  US-VT                    25.0
    """
    from ..store import _opened

    values = [terms] if isinstance(terms, str) else list(terms)
    first, last = _day(start, "start"), _day(end, "end")
    _covered(first, last)
    bodies = [official_spec(term, first, last, geo=geo, breakdown=level) for term in values]
    client = OfficialTrends(session, credentials=credentials, api_key=api_key, project=project,
                            politeness=politeness)
    with _opened(store) as opened:
        frames = [
            answer(opened, _store_key("fetchGeoBreakdown", body),
                   fetch=functools.partial(client.run, "fetchGeoBreakdown", body),
                   validate=functools.partial(parse_official_regions, term=term), source=SOURCE,
                   name="Google Trends API", request={"url": f"{OFFICIAL_URL}:fetchGeoBreakdown", **body})[0]
            for term, body in zip(values, bodies)
        ]
    return pd.concat(frames, ignore_index=True)


def _bar(total: int) -> tqdm[Any]:
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="Google Trends API", unit="term")
