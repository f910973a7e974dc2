"""Google Trends beyond the time line: topics, related topics and interest by region.

- :func:`suggest_topics` asks Google's autocomplete which *topics* a phrase
  stands for. A topic (an entity id such as ``/m/0663v``) counts every way
  people search for the thing, in every language, where a search term counts
  one spelling: "Magnificent Seven" the stock group and the 1960 film are
  different topics but the same search term. Pass a topic id as a term to
  :func:`attention.collect_google_trends` (web backend) to collect the topic.
- :func:`collect_related_topics` lists the top and rising topics searched with
  each term (what :func:`~attention.collectors.google_trends.collect_related_queries`
  does for queries).
- :func:`collect_interest_by_region` gives interest by country, region, metro
  (DMA) or city, on the web backend or the official API.

Every answer is parsed and checked before it is stored; the parsers are
tested on Google's recorded answers (pytrends' cassettes).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import numpy as np
import pandas as pd

from .._typing import DateLike, GoogleBackend, RegionResolution, StrPath, ThemesArg
from .._validate import utc_day
from ..errors import DataError, UpstreamFormatError
from ._google_http import TRENDS_URL, TrendsConnection, _decode
from ._http import Politeness, answer
from .google_trends import _GPROPS, SOURCE, _key, _terms

if TYPE_CHECKING:
    from ..store import Store

__all__ = [
    "REGION_RESOLUTIONS",
    "collect_interest_by_region",
    "collect_related_topics",
    "parse_interest_by_region",
    "parse_related_topics",
    "parse_suggestions",
    "suggest_topics",
]

AUTOCOMPLETE_URL = f"{TRENDS_URL}/api/autocomplete/"
REGION_URL = f"{TRENDS_URL}/api/widgetdata/comparedgeo"
RELATED_URL = f"{TRENDS_URL}/api/widgetdata/relatedsearches"
#: Resolutions of the web backend's region map (Google's names): country, sub-region, metro area, city.
REGION_RESOLUTIONS = {"country": "COUNTRY", "region": "REGION", "metro": "DMA", "city": "CITY"}


class _Connection(TrendsConnection):
    """The web flow with the explore page's other widgets: related topics and the region map."""

    resolution = "COUNTRY"

    def _widget(self, terms: list[str], timeframe: str, geo: str, category: int, gprop: str,
                widget_id: str) -> tuple[Any, dict[str, Any]]:
        if widget_id not in ("RELATED_TOPICS", "GEO_MAP"):
            found: tuple[Any, dict[str, Any]] = super()._widget(terms, timeframe, geo, category, gprop, widget_id)
            return found
        client = self.client
        try:
            client.build_payload(list(terms), cat=category, timeframe=timeframe, geo=geo, gprop=gprop)
        except (KeyError, TypeError) as exc:
            raise UpstreamFormatError(f"Google Trends explore: no widgets in the answer ({type(exc).__name__})",
                                      source=SOURCE) from exc
        if widget_id == "GEO_MAP":
            widget = getattr(client, "interest_by_region_widget", None) or None
            if widget and "request" in widget:
                widget["request"]["resolution"] = self.resolution
                widget["request"]["includeLowSearchVolumeGeos"] = False
        else:
            widget = next(iter(client.related_topics_widget_list), None)
        if not widget or "token" not in widget:
            raise UpstreamFormatError(f"Google Trends explore: no {widget_id} widget in the answer", source=SOURCE)
        return client, widget


# ---------------------------------------------------------------- topics


def parse_suggestions(body: str | dict[str, Any]) -> pd.DataFrame:
    """Topics of an autocomplete answer: ``topic_id`` (Google's entity id), ``title``, ``type``.

    Raises
    ------
    UpstreamFormatError
        If the answer has no ``default.topics`` list.

    Examples
    --------
    >>> parse_suggestions(')]}\\',\\n{"default":{"topics":[{"mid":"/m/0663v","title":"Pizza","type":"Dish"}]}}')
       topic_id  title  type
    0  /m/0663v  Pizza  Dish
    """
    data = _decode(body, "autocomplete") if isinstance(body, str) else body
    topics = (data.get("default") or {}).get("topics") if isinstance(data, dict) else None
    if not isinstance(topics, list):
        raise UpstreamFormatError("Google Trends autocomplete: no default.topics in the answer", source=SOURCE)
    rows = [{"topic_id": t.get("mid"), "title": t.get("title"), "type": t.get("type")}
            for t in topics if isinstance(t, dict) and isinstance(t.get("mid"), str)]
    return pd.DataFrame(rows, columns=["topic_id", "title", "type"])


def suggest_topics(phrase: str, *, language: str = "en-US", session: Any = None,
                   politeness: Politeness | None = None) -> pd.DataFrame:
    """The topics Google's autocomplete offers for a phrase (one request, after the cookie page).

    Parameters
    ----------
    phrase : str
        What a user would type, e.g. ``"Magnificent Seven"``.
    language : str
        Interface language of the titles (``hl``).
    session, politeness
        As :func:`attention.collect_google_trends`.

    Returns
    -------
    DataFrame
        ``topic_id``, ``title``, ``type`` (e.g. ``"Dish"``, ``"2021 film"``),
        in Google's order; pass a ``topic_id`` as a term to collect the topic.

    Raises
    ------
    DataError
        For an empty phrase.
    UpstreamFormatError, RateLimitError, ConnectionFailedError, CollectorError
        As the other Google Trends collectors.

    Examples
    --------
    Offline, replaying Google's answers (the cookie page, then the autocomplete answer):

    >>> from attention.testing import ReplaySession
    >>> session = ReplaySession([
    ...     {"method": "GET", "url": "https://trends.google.com/trends/explore/", "status": 404, "body": "",
    ...      "headers": {"Set-Cookie": ["NID=1"]}},
    ...     {"method": "GET", "url": "https://trends.google.com/trends/api/autocomplete/pizza", "status": 200,
    ...      "body": ')]}\\',\\n{"default":{"topics":[{"mid":"/m/0663v","title":"Pizza","type":"Dish"},'
    ...              '{"mid":"/g/11k19hmrkk","title":"Licorice Pizza","type":"2021 film"}]}}'}])
    >>> suggest_topics("pizza", session=session, politeness=Politeness(pace=0))
            topic_id           title       type
    0       /m/0663v           Pizza       Dish
    1  /g/11k19hmrkk  Licorice Pizza  2021 film
    """
    if not isinstance(phrase, str) or not phrase.strip():
        raise DataError(f"phrase: expected a non-empty string, got {phrase!r}")
    connection = _Connection(session, politeness)
    client = connection.client
    response = connection.http.request("get", AUTOCOMPLETE_URL + quote(phrase.strip()), params={"hl": language},
                                       headers=client.headers, cookies=client.cookies)
    return parse_suggestions(response.text)


# ---------------------------------------------------------------- related topics


def parse_related_topics(label: str, body: str | dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of a related-topics answer (``relatedsearches`` with entities).

    Raises
    ------
    UpstreamFormatError
        If the answer has no ranked lists, or its items are queries rather
        than topics.

    Examples
    --------
    >>> answer = {"default": {"rankedList": [
    ...     {"rankedKeyword": [{"topic": {"mid": "/m/09cfq", "title": "Pizza Hut", "type": "Restaurant company"},
    ...                         "value": 24, "formattedValue": "24"}]},
    ...     {"rankedKeyword": []}]}}
    >>> parse_related_topics("pizza", answer)  # doctest: +NORMALIZE_WHITESPACE
    [{'term': 'pizza', 'kind': 'top', 'rank': 1, 'topic_id': '/m/09cfq', 'title': 'Pizza Hut',
      'type': 'Restaurant company', 'value': 24.0, 'formatted_value': '24'}]
    """
    data = _decode(body, "relatedsearches") if isinstance(body, str) else body
    try:
        ranked = data["default"]["rankedList"]
    except (KeyError, TypeError) as exc:
        raise UpstreamFormatError("Google Trends related topics: no default.rankedList", source=SOURCE) from exc
    rows: list[dict[str, Any]] = []
    for kind, block in zip(("top", "rising"), ranked):
        for rank, item in enumerate((block or {}).get("rankedKeyword", []), start=1):
            topic = item.get("topic") if isinstance(item, dict) else None
            if not isinstance(topic, dict) or "mid" not in topic:
                raise UpstreamFormatError(
                    "Google Trends related topics: an item without a topic (a related-queries answer?)", source=SOURCE)
            value = item.get("value")
            rows.append({"term": label, "kind": kind, "rank": rank, "topic_id": topic["mid"],
                         "title": topic.get("title"), "type": topic.get("type"),
                         "value": float(value) if isinstance(value, (int, float)) else np.nan,
                         "formatted_value": item.get("formattedValue", "")})
    return rows


def collect_related_topics(
    terms: ThemesArg = None, start: DateLike | None = None, end: DateLike | None = None, *, geo: str = "US",
    category: int = 0, gprop: str = "", store: Store | StrPath | None = None, session: Any = None,
    politeness: Politeness | None = None,
) -> pd.DataFrame:
    """Top and rising topics searched together with each term.

    Parameters
    ----------
    terms, start, end, geo, category, gprop, store, session, politeness
        As :func:`attention.collect_google_trends`.

    Returns
    -------
    DataFrame
        ``term``, ``kind`` (``top``/``rising``), ``rank``, ``topic_id``,
        ``title``, ``type``, ``value`` (top: 0-100; rising: percent growth,
        "Breakout" above 5000) and ``formatted_value`` as Google shows it.

    Raises
    ------
    DataError, UpstreamFormatError, RateLimitError, ConnectionFailedError, CollectorError
        As :func:`attention.collect_google_trends`.

    Examples
    --------
    Offline, replaying Google's answers (cookie page, explore widgets, related searches):

    >>> import json
    >>> from attention.testing import ReplaySession
    >>> topics = {"default": {"rankedList": [
    ...     {"rankedKeyword": [{"topic": {"mid": "/m/09cfq", "title": "Pizza Hut", "type": "Restaurant company"},
    ...                         "value": 24, "formattedValue": "24"}]},
    ...     {"rankedKeyword": [{"topic": {"mid": "/g/11k19hmrkk", "title": "Licorice Pizza", "type": "2021 film"},
    ...                         "value": 5000, "formattedValue": "Breakout"}]}]}}
    >>> widgets = {"widgets": [{"id": "RELATED_TOPICS", "token": "T1", "request": {"keywordType": "ENTITY"}}]}
    >>> trends = "https://trends.google.com/trends"
    >>> session = ReplaySession([
    ...     {"method": "GET", "url": f"{trends}/explore/", "status": 404, "body": "",
    ...      "headers": {"Set-Cookie": ["NID=1"]}},
    ...     {"method": "POST", "url": f"{trends}/api/explore", "status": 200,
    ...      "body": ")]}'\\n" + json.dumps(widgets)},
    ...     {"method": "GET", "url": f"{trends}/api/widgetdata/relatedsearches", "status": 200,
    ...      "body": ")]}',\\n" + json.dumps(topics)}])
    >>> rows = collect_related_topics(["pizza"], "2021-01-01", "2021-12-31", session=session,
    ...                               politeness=Politeness(pace=0))
    >>> rows[["kind", "title", "value", "formatted_value"]]
         kind           title   value formatted_value
    0     top       Pizza Hut    24.0              24
    1  rising  Licorice Pizza  5000.0        Breakout
    """
    labels, timeframe = _terms(terms), _timeframe(start, end)
    if gprop not in _GPROPS:
        raise DataError(f"gprop: expected one of {_GPROPS}, got {gprop!r}")
    connection = _Connection(session, politeness)
    rows: list[dict[str, Any]] = []
    from ..store import _opened

    with _opened(store) as opened:
        for label, query in labels.items():
            request = {"endpoint": "related_topics", "term": query, "time": timeframe, "geo": geo,
                       "category": category, "gprop": gprop}
            found, _ = answer(opened, _key(**request), source=SOURCE, name="Google Trends", request=request,
                              fetch=functools.partial(connection._flow, [query], timeframe, geo, category, gprop,
                                                      "RELATED_TOPICS", RELATED_URL),
                              validate=functools.partial(parse_related_topics, label))
            rows += found
    return pd.DataFrame(rows, columns=["term", "kind", "rank", "topic_id", "title", "type", "value",
                                       "formatted_value"])


# ---------------------------------------------------------------- interest by region


def parse_interest_by_region(body: str | dict[str, Any], terms: Iterable[str]) -> pd.DataFrame:
    """Rows of a region-map answer (``comparedgeo``): one per region and term.

    With one term, ``value`` is 0-100 relative to the top region; with
    several, each term's percentage share of the terms' searches in that
    region (``frame.attrs["share"]``). A region without data is NaN, never 0;
    a 0 with data is flagged ``below_threshold``.

    Raises
    ------
    UpstreamFormatError
        If the answer has no ``default.geoMapData`` or a row does not hold
        one value per term.

    Examples
    --------
    >>> answer = {"default": {"geoMapData": [
    ...     {"geoCode": "US-TX", "geoName": "Texas", "value": [100], "hasData": [True]},
    ...     {"geoCode": "US-VT", "geoName": "Vermont", "value": [0], "hasData": [False]}]}}
    >>> parse_interest_by_region(answer, ["small caps"])[["region_code", "region", "value"]]
      region_code   region  value
    0       US-TX    Texas  100.0
    1       US-VT  Vermont    NaN
    """
    data = _decode(body, "comparedgeo") if isinstance(body, str) else body
    names = list(terms)
    try:
        regions = data["default"]["geoMapData"]
    except (KeyError, TypeError) as exc:
        raise UpstreamFormatError("Google Trends comparedgeo: no default.geoMapData", source=SOURCE) from exc
    rows: list[dict[str, Any]] = []
    for i, region in enumerate(regions):
        values = region.get("value") if isinstance(region, dict) else None
        if not isinstance(values, list) or len(values) != len(names):
            raise UpstreamFormatError(f"Google Trends comparedgeo: region {i} holds {values!r}, expected "
                                      f"{len(names)} value(s)", source=SOURCE)
        has = region.get("hasData", [True] * len(names))
        code = region.get("geoCode") or json.dumps(region.get("coordinates", ""))
        for term, value, present in zip(names, values, has):
            ok = bool(present) and isinstance(value, (int, float))
            rows.append({"region_code": code, "region": region.get("geoName"), "term": term,
                         "value": float(value) if ok else np.nan,
                         "flags": "below_threshold" if ok and value == 0 else ""})
    out = pd.DataFrame(rows, columns=["region_code", "region", "term", "value", "flags"])
    out.attrs["share"] = len(names) > 1
    return out


def collect_interest_by_region(
    terms: ThemesArg = None, start: DateLike | None = None, end: DateLike | None = None, *, geo: str = "US",
    resolution: RegionResolution = "region", backend: GoogleBackend = "web", category: int = 0, gprop: str = "",
    store: Store | StrPath | None = None, session: Any = None, politeness: Politeness | None = None,
    credentials: Any = None, api_key: str | None = None, project: str | None = None,
) -> pd.DataFrame:
    """Interest by region for up to five terms (web) or any number (official).

    Parameters
    ----------
    terms, start, end, geo, category, gprop, store, session, politeness
        As :func:`attention.collect_google_trends`.
    resolution : {"country", "region", "metro", "city"}
        Web backend: the map's level (metro and city for the US only, as on
        the website). Official backend: ``"country"`` or ``"region"``.
    backend : {"web", "official"}
        See :func:`attention.collect_google_trends`.
    credentials, api_key, project
        Official backend only.

    Returns
    -------
    DataFrame
        Web: see :func:`parse_interest_by_region`. Official: see
        :func:`~attention.collectors.google_official.parse_official_regions`.

    Raises
    ------
    DataError, UpstreamFormatError, RateLimitError, ConnectionFailedError, CollectorError
        As :func:`attention.collect_google_trends`.

    Examples
    --------
    On the official API, here a fake that answers as Google documents it:

    >>> from attention.testing import FakeTrendsApi
    >>> api = FakeTrendsApi(regions={"US-TX": 2.0, "US-CA": 1.0}, today="2025-01-01")
    >>> frame = collect_interest_by_region(["small caps"], "2024-01-01", "2024-03-31", backend="official",
    ...                                    session=api, politeness=Politeness(pace=0, sleep=lambda s: None))
    >>> frame.set_index("region")["scaled_search_interest"].to_dict()
    {'US-TX': 100.0, 'US-CA': 50.0}
    """
    labels = _terms(terms)
    if backend == "official":
        from .google_official import collect_official_regions

        first, last = _range(start, end)
        if resolution not in ("country", "region"):
            raise DataError(f"resolution: expected 'country' or 'region' with backend='official', got {resolution!r}")
        frame = collect_official_regions(list(labels.values()), first, last, geo=geo, level=resolution, store=store,
                                         session=session, credentials=credentials, api_key=api_key,
                                         project=project, politeness=politeness)
        return frame.assign(term=frame["term"].map({q: lab for lab, q in labels.items()}))
    if backend != "web":
        raise DataError(f"backend: expected 'web' or 'official', got {backend!r}")
    if resolution not in REGION_RESOLUTIONS:
        raise DataError(f"resolution: expected one of {tuple(REGION_RESOLUTIONS)}, got {resolution!r}")
    if len(labels) > 5:
        raise DataError(f"terms: the region map compares at most five terms, got {len(labels)}")
    if gprop not in _GPROPS:
        raise DataError(f"gprop: expected one of {_GPROPS}, got {gprop!r}")
    timeframe = _timeframe(start, end)
    connection = _Connection(session, politeness)
    connection.resolution = REGION_RESOLUTIONS[resolution]
    queries = list(labels.values())
    request = {"endpoint": "region", "terms": queries, "time": timeframe, "geo": geo, "category": category,
               "gprop": gprop, "resolution": connection.resolution}
    from ..store import _opened

    with _opened(store) as opened:
        frame, _ = answer(opened, _key(**request), source=SOURCE, name="Google Trends", request=request,
                          fetch=lambda: connection._flow(queries, timeframe, geo, category, gprop, "GEO_MAP",
                                                         REGION_URL),
                          validate=lambda body: parse_interest_by_region(body, list(labels)))
    return frame


def _range(start: DateLike | None, end: DateLike | None) -> tuple[pd.Timestamp, pd.Timestamp]:
    today = pd.Timestamp.now(tz="UTC").tz_localize(None).normalize()
    last = utc_day(end, "end") if end is not None else today
    first = utc_day(start, "start") if start is not None else last - pd.Timedelta(days=365)
    if first > last:
        raise DataError(f"start: expected a date on or before end ({last:%Y-%m-%d}), got {first:%Y-%m-%d}")
    return first, last


def _timeframe(start: DateLike | None, end: DateLike | None) -> str:
    first, last = _range(start, end)
    return f"{first:%Y-%m-%d} {last:%Y-%m-%d}"
