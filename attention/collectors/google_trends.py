"""Google Trends: search interest on one scale, for any number of terms and days.

- :func:`collect_google_trends` fetches (through pytrends' token flow, with
  our own HTTP, pacing and backoff), caches every raw answer in a
  :class:`~attention.store.Store`, and returns tidy observations.
- :func:`parse_google_trends` turns one raw answer into observations: the
  single parser every path shares, tested on real recorded answers.
- :func:`read_google_trends_csv` reads the CSV the Google Trends website
  exports, for users who download by hand (the readers for every kind of
  website export, in every interface language, live in
  :mod:`attention.collectors.google_trends_csv`).
- :func:`collect_related_queries` lists the top and rising queries for terms.

How Google scales numbers and what this module does about it is in
``docs/google_trends.md``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
import pandas as pd

from .._typing import DateLike, GoogleBackend, StrPath, ThemesArg
from .._validate import utc_day
from ..errors import AttentionWarning, DataError, RoundingFloorWarning, UpstreamFormatError
from ..schema import to_wide, validate_observations
from ..themes import DEFAULT_THEMES, Theme
from ._google_http import TrendsConnection, _decode
from ._http import Politeness, answer
from .google_trends_csv import read_google_trends_csv  # noqa: F401 - its home before google_trends_csv
from .stitching import (
    ROUNDING_FLOOR,
    Scaled,
    benchmark_to_coarse,
    chain_windows,
    group_by_popularity,
    rescale_batches,
    scale_levels,
)

if TYPE_CHECKING:
    from tqdm import tqdm

    from ..store import Store

__all__ = [
    "DAILY_MAX_DAYS",
    "WEEKLY_MAX_DAYS",
    "Politeness",
    "collect_google_trends",
    "collect_related_queries",
    "parse_google_trends",
]

SOURCE = "google_trends"
METRIC = "search_interest"
#: Longest window, in days, that Google answers with daily values.
DAILY_MAX_DAYS = 269
#: Longest window, in days, that Google answers with weekly values.
WEEKLY_MAX_DAYS = 1890
_GPROPS = ("", "images", "news", "youtube", "froogle")
_RESOLUTIONS = ("auto", "daily", "weekly")


# ---------------------------------------------------------------- parsing


def _bad(widget: str, what: str) -> UpstreamFormatError:
    return UpstreamFormatError(f"Google Trends {widget}: {what}", source=SOURCE)


def _timeline(
    payload: str | dict[str, Any], terms: Sequence[str] | None = None
) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Values (NaN where Google has no data), partial flags and axis notes of one answer.

    An empty ``timelineData`` is Google's answer for terms without data: it
    gives empty frames, not an error. Any other shape this parser does not
    know raises UpstreamFormatError naming the widget.
    """
    data = _decode(payload, "multiline") if isinstance(payload, str) else payload
    try:
        points = data["default"]["timelineData"]
    except (KeyError, TypeError, IndexError) as exc:
        raise _bad("multiline", "no default.timelineData in the answer") from exc
    if not isinstance(points, list):
        raise _bad("multiline", f"timelineData is a {type(points).__name__}, not a list")
    if not points:
        index = pd.DatetimeIndex([], tz="UTC")
        return (pd.DataFrame(index=index, columns=list(terms or []), dtype=float), pd.Series(False, index=index),
                pd.Series("", index=index, dtype=object))
    if not all(isinstance(p, dict) and "value" in p for p in points):
        multirange = any(isinstance(p, dict) and "columnData" in p for p in points)
        raise _bad("multiline", "timelineData entries carry no 'value'" + (
            " (a multirange answer, comparing several time ranges: ask one range per request)" if multirange
            else ""))
    try:
        width = len(points[0]["value"])
        dates = pd.to_datetime([int(p["time"]) for p in points], unit="s", utc=True)
        values = np.array([p["value"] for p in points], dtype=float)
        has = np.array([p.get("hasData", [True] * width) for p in points], dtype=bool)
        if values.shape != (len(points), width) or has.shape != values.shape:
            raise ValueError("entries differ in length")
    except (KeyError, ValueError, TypeError, OverflowError) as exc:
        raise _bad("multiline", f"malformed timelineData ({type(exc).__name__}: {exc})") from exc
    names = list(terms) if terms is not None else [f"term_{i}" for i in range(width)]
    if len(names) != width:
        raise _bad("multiline", f"{width} series in the answer, {len(names)} terms asked")
    # hasData: false comes with value 0; it means "no data", which is not zero searches.
    values[~has] = np.nan
    frame = pd.DataFrame(values, index=dates, columns=names)
    partial = pd.Series([bool(p.get("isPartial", False)) for p in points], index=dates)
    notes = pd.Series([str(p.get("axisNote", "")) for p in points], index=dates, dtype=object)
    return frame, partial, notes


def _tidy(values: pd.DataFrame, flags: pd.DataFrame, metric: str = METRIC) -> pd.DataFrame:
    long = values.stack(future_stack=True).rename("value").reset_index()
    long.columns = ["date", "term", "value"]
    long["flags"] = flags.reindex_like(values).fillna("").stack(future_stack=True).to_numpy()
    long["source"] = SOURCE
    long["metric"] = metric
    return long


def parse_google_trends(payload: str | dict[str, Any], terms: Sequence[str] | None = None) -> pd.DataFrame:
    """Tidy observations from one raw interest-over-time answer.

    Parameters
    ----------
    payload : str or dict
        The body of Google's ``widgetdata/multiline`` answer, with or without
        its ``)]}',`` prefix, or the decoded JSON.
    terms : list of str, optional
        The terms in request order (Google's answer does not name them).

    Returns
    -------
    DataFrame
        The observation schema, metric ``search_interest``. ``hasData: false``
        becomes NaN, never 0; the running period is flagged ``partial``;
        Google's axis notes (data-collection changes) are flagged
        ``axis_note``; a 0 that Google reports with data is flagged
        ``below_threshold`` (fewer searches than rounding can show).

    Raises
    ------
    UpstreamFormatError
        If the answer is not Google's interest-over-time format.

    Examples
    --------
    >>> body = ')]}\\',\\n{"default":{"timelineData":[{"time":"1609459200","value":[100,0],"hasData":[true,false]}]}}'
    >>> parse_google_trends(body, ["pizza", "bagel"])[["term", "value"]].to_dict("records")
    [{'term': 'bagel', 'value': nan}, {'term': 'pizza', 'value': 100.0}]
    """
    values, partial, notes = _timeline(payload, terms)
    flags = _point_flags(values, partial, notes)
    return validate_observations(_tidy(values, flags))


def _point_flags(values: pd.DataFrame, partial: pd.Series, notes: pd.Series) -> pd.DataFrame:
    flags = pd.DataFrame("", index=values.index, columns=values.columns)
    flags[values == 0] = "below_threshold"
    row = np.where(partial.to_numpy(), "partial", "")
    row = np.where(notes.to_numpy() != "", np.char.add(row, np.where(row != "", "|axis_note", "axis_note")), row)
    for col in flags.columns:
        both = flags[col].to_numpy(dtype=object)
        flags[col] = [_join(a, b) for a, b in zip(both, row)]
    return flags


def _join(*parts: str) -> str:
    seen: list[str] = []
    for part in parts:
        for flag in str(part).split("|"):
            if flag and flag not in seen:
                seen.append(flag)
    return "|".join(seen)


# ---------------------------------------------------------------- collection


def _terms(terms: ThemesArg) -> dict[str, str]:
    """Label -> Google query."""
    if terms is None:
        terms = DEFAULT_THEMES
    if isinstance(terms, (str, Theme)):
        terms = [terms]
    out: dict[str, str] = {}
    for t in terms:
        label, query = (t.name, t.google_query) if isinstance(t, Theme) else (t, t)
        if not isinstance(query, str) or not query.strip():
            raise DataError(f"terms: expected non-empty strings or Themes, got {t!r}")
        if label in out:
            raise DataError(f"terms: {label!r} is listed twice")
        out[label] = query
    if not out:
        raise DataError("terms: expected at least one term")
    return out




def plan_windows(
    start: pd.Timestamp, end: pd.Timestamp, resolution: str, *, overlap: int = 60
) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """The request windows that cover ``start..end`` at ``resolution``.

    ``"daily"`` needs windows of at most ``DAILY_MAX_DAYS`` days that overlap
    by ``overlap`` days (so they can be chained); ``"weekly"`` the same with
    ``WEEKLY_MAX_DAYS`` and ``overlap`` weeks; ``"auto"`` is one window at
    whatever resolution Google picks for it.
    """
    span = (end - start).days + 1
    limit = {"daily": DAILY_MAX_DAYS, "weekly": WEEKLY_MAX_DAYS}.get(resolution)
    if limit is None or span <= limit:
        return [(start, end)]
    step_overlap = overlap if resolution == "daily" else overlap * 7
    if step_overlap >= limit // 2:
        raise DataError(f"overlap: {overlap} is too long for {resolution} windows of {limit} days")
    step = limit - step_overlap
    n = math.ceil((span - step_overlap) / step)
    # Spread the windows evenly so the last one is as long as the others.
    starts = np.linspace(0, span - limit, n).round().astype(int)
    return [(start + pd.Timedelta(days=int(s)), start + pd.Timedelta(days=int(s) + limit - 1)) for s in starts]


def _key(**request: Any) -> str:
    return hashlib.sha256(json.dumps(request, sort_keys=True, default=str).encode()).hexdigest()


class _Collector:
    """One collection run: what to ask, what is cached, what was fetched."""

    def __init__(self, *, geo: str, category: int, gprop: str, draws: int, store: Store | None,
                 connection: TrendsConnection, progress: tqdm[Any] | None) -> None:
        self.geo, self.category, self.gprop, self.draws = geo, category, gprop, draws
        self.store, self.connection, self.progress = store, connection, progress
        self.fetched = self.cached = 0
        # query -> batch -> its median in each window
        self.raw_levels: dict[str, dict[tuple[str, ...], list[float]]] = {}
        # a request asked twice in one run (probe, then batch) is sent once
        self._answers: dict[str, tuple[pd.DataFrame, pd.Series, pd.Series]] = {}

    def pull(
        self, queries: tuple[str, ...], start: pd.Timestamp, end: pd.Timestamp, draw: int
    ) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
        """One answer: from the store if it has it, else from Google (and then into the store)."""
        timeframe = f"{start:%Y-%m-%d} {end:%Y-%m-%d}"
        request = {"endpoint": "multiline", "terms": list(queries), "time": timeframe, "geo": self.geo,
                   "category": self.category, "gprop": self.gprop, "draw": draw}
        key = _key(**request)
        if key in self._answers:
            return self._answers[key]
        done = f"{self.fetched} answers fetched and {self.cached} read from the store before this one"
        if self.fetched:
            kept = ("they are in the store: rerun later with the same store to resume" if self.store is not None
                    else "no store was given, so pass store= to keep answers across runs")
            done = f"{done}; {kept}"
        self.connection.http.progress = done
        # Parsed before it is kept as good: a captcha page or a truncated answer is never served later.
        found, cached = answer(
            self.store, key, source=SOURCE, name="Google Trends", request=request,
            fetch=functools.partial(self.connection.timeline, list(queries), timeframe, self.geo, self.category,
                                    self.gprop),
            validate=functools.partial(_timeline, terms=list(queries)),
        )
        values: tuple[pd.DataFrame, pd.Series, pd.Series] = found
        self.cached += cached
        self.fetched += not cached
        if self.progress is not None:
            self.progress.update(1)
        self._answers[key] = values
        return values

    def window(
        self, queries: tuple[str, ...], start: pd.Timestamp, end: pd.Timestamp
    ) -> tuple[Scaled, pd.DataFrame, pd.DataFrame]:
        """One window, averaged over draws: Scaled values, flags, draw spread."""
        pulls = [self.pull(queries, start, end, d) for d in range(self.draws)]
        frames = [p[0] for p in pulls]
        for q in queries:
            values = np.concatenate([f[q].to_numpy() for f in frames])
            level = np.nanmedian(values) if np.isfinite(values).any() else np.nan
            self.raw_levels.setdefault(q, {}).setdefault(tuple(queries), []).append(level)
        stacked = np.stack([f.to_numpy() for f in frames])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN cells stay NaN
            mean = pd.DataFrame(np.nanmean(stacked, axis=0), index=frames[0].index, columns=frames[0].columns)
            spread = pd.DataFrame(np.nanstd(stacked, axis=0, ddof=1) if self.draws > 1 else np.full(stacked.shape[1:], np.nan),
                                  index=mean.index, columns=mean.columns)
        flags = _point_flags(frames[0], pulls[0][1], pulls[0][2])
        scaled = Scaled.from_rounded(mean)
        return scaled, flags, spread


def collect_google_trends(
    terms: ThemesArg = None,
    start: DateLike | None = None,
    end: DateLike | None = None,
    *,
    geo: str = "US",
    category: int = 0,
    gprop: str = "",
    resolution: Literal["auto", "daily", "weekly", "monthly", "yearly"] = "auto",
    anchor: str = "auto",
    draws: int = 1,
    benchmark: bool = False,
    overlap: int = 60,
    include_partial: bool = False,
    store: Store | StrPath | None = None,
    session: Any = None,
    politeness: Politeness | None = None,
    progress: bool = False,
    backend: GoogleBackend = "web",
    credentials: Any = None,
    api_key: str | None = None,
    project: str | None = None,
) -> pd.DataFrame:
    """Search interest for any number of terms on one scale, over any range.

    Parameters
    ----------
    terms : list of str or Theme, optional
        Queries (or themes, whose ``google_query`` is asked and whose ``name``
        labels the result). Defaults to the three default themes.
    start, end : date-like, optional
        Inclusive range; ``end`` defaults to today, ``start`` to a year before.
    geo : str
        Region code ("US", "GB", "" for worldwide).
    category : int
        Google Trends category id (0 = all).
    gprop : {"", "images", "news", "youtube", "froogle"}
        Google property ("" = web search).
    resolution : {"auto", "daily", "weekly"}
        ``"auto"``: one request per batch, at the resolution Google picks for
        the range (daily up to 269 days, weekly up to about 5 years, monthly
        beyond). ``"daily"`` / ``"weekly"``: overlapping windows chained onto
        one scale when the range is longer than Google allows.
    anchor : str
        With more than five terms, how requests of at most five are linked.
        ``"auto"``: probe every term's popularity first (one request of the
        whole range per four terms), group terms of similar popularity and
        chain the groups from popular to rare, each sharing one anchor with
        the group above, so no term and no anchor sits near the rounding
        floor and the input order does not matter. A term: every request
        carries it (no probe).
    draws : int
        Ask each request this many times and average (Google samples; answers
        differ). With ``draws > 1`` a ``search_interest_draw_sd`` metric gives
        the spread.
    benchmark : bool
        With chained windows, also pull the whole range at once (weekly or
        monthly) and rescale the chained series to it, so chaining errors
        cannot accumulate.
    overlap : int
        Overlap of chained windows: days for daily, weeks for weekly.
    include_partial : bool
        Keep the running (incomplete) period, flagged ``partial``.
    store : Store, str or Path, optional
        Cache of raw answers and observations. A rerun with the same store
        resumes an interrupted collection and sends no request already
        answered.
    session : requests.Session-like, optional
        The HTTP session to use (``attention.testing.FakeGoogleTrends`` for
        offline tests).
    politeness : Politeness, optional
        Pacing, retries and backoff.
    progress : bool
        Show a progress bar (tqdm) over the answers needed.
    backend : {"web", "official"}
        ``"web"``: the website's endpoint through pytrends' token flow, put
        on one scale by anchors and chained windows. ``"official"``: Google's
        Trends API (alpha, for those granted access), whose ``searchInterest``
        is on one scale across requests already, for about the last five
        years; see :mod:`attention.collectors.google_official`.
    credentials, api_key, project
        ``backend="official"`` only: Google credentials (default:
        application-default credentials; or a service-account file), an API
        key, the billed project. Never logged, stored or shown.

    Returns
    -------
    DataFrame
        With ``backend="official"``: metrics ``search_interest`` (the API's
        consistently scaled ``searchInterest``) and ``scaled_search_interest``
        (0-100 within each answer), flags ``partial``, ``extends_past_range``,
        ``below_threshold``. With the web backend: tidy observations (source ``google_trends``) with metrics
        ``search_interest`` (0-100, the largest value of the result = 100),
        ``search_interest_low`` and ``search_interest_high`` (rounding bounds
        carried through every window factor, times the 95% interval of the
        batch factor). Flags: ``partial``, ``below_threshold``,
        ``axis_note``, ``stitched``, ``anchored``, ``benchmarked``.
        ``frame.attrs["google_trends"]`` records the probed popularity
        (``probe``), the batches and their anchors, each window's and
        batch's scale factor (``batch_factors`` with standard errors),
        each term's mean ``levels`` with 95% intervals relative to the
        busiest term, how many answers were fetched and read from the store,
        and how many partial points were dropped.

    Raises
    ------
    DataError
        For invalid arguments.
    RateLimitError
        When Google keeps answering 429; the message says how far the run got,
        and everything fetched is already in the store.
    CollectorError
        For other failures talking to Google.

    Warns
    -----
    RoundingFloorWarning
        When a term's values are mostly below 5 even in the request that
        reads it best, where Google's integer rounding is a 10% error or
        more, or when an anchor sits there in one of the batches it links.

    Examples
    --------
    Offline, against a fake Google that scales, rounds and samples the way Google does:

    >>> from attention.collectors import Politeness
    >>> from attention.testing import FakeGoogleTrends, latent_attention
    >>> fake = FakeGoogleTrends(latent_attention(["small caps", "AI stocks"], seed=3), seed=3)
    >>> frame = collect_google_trends(["small caps", "AI stocks"], start="2024-01-01", end="2024-12-31",
    ...                               session=fake, politeness=Politeness(pace=0))
    >>> weekly = frame[frame["metric"] == "search_interest"]
    >>> weekly.groupby("term")["value"].agg(["size", "max"])  # doctest: +NORMALIZE_WHITESPACE
                size    max
    term
    AI stocks     51  100.0
    small caps    51   89.0
    >>> fake.data_calls  # one explore and one interest-over-time request
    2
    """
    labels = _terms(terms)
    if backend not in ("web", "official"):
        raise DataError(f"backend: expected 'web' or 'official', got {backend!r}")
    today = pd.Timestamp.now(tz="UTC").tz_localize(None).normalize()
    last = utc_day(end, "end") if end is not None else today
    first = utc_day(start, "start") if start is not None else last - pd.Timedelta(days=365)
    if first >= last:
        raise DataError(f"start: expected a date before end ({last:%Y-%m-%d}), got {first:%Y-%m-%d}")
    if backend == "official":
        return _official(labels, first, last, geo=geo, category=category, gprop=gprop, resolution=resolution,
                         anchor=anchor, draws=draws, benchmark=benchmark, include_partial=include_partial,
                         store=store, session=session, politeness=politeness, progress=progress,
                         credentials=credentials, api_key=api_key, project=project)
    given = [n for n, v in (("credentials", credentials), ("api_key", api_key), ("project", project)) if v is not None]
    if given:
        raise DataError(f"{', '.join(given)}: only used with backend='official'")
    if gprop not in _GPROPS:
        raise DataError(f"gprop: expected one of {_GPROPS}, got {gprop!r}")
    if resolution not in _RESOLUTIONS:
        raise DataError(f"resolution: expected one of {_RESOLUTIONS}, got {resolution!r}")
    if not isinstance(geo, str):
        raise DataError(f"geo: expected a region code such as 'US' or '' (worldwide), got {geo!r}")
    if isinstance(category, bool) or not isinstance(category, int) or category < 0:
        raise DataError(f"category: expected a non-negative integer, got {category!r}")
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 1:
        raise DataError(f"draws: expected an integer >= 1, got {draws!r}")
    queries = list(labels.values())
    if anchor != "auto" and not isinstance(anchor, str):
        raise DataError(f"anchor: expected a search term or 'auto', got {anchor!r}")

    from ..store import _opened

    windows = plan_windows(first, last, resolution, overlap=overlap)
    per_batch = len(windows) * draws + (draws if benchmark and len(windows) > 1 else 0)
    guess = 1 if len(queries) <= 5 else math.ceil((len(queries) - 1) / 4)
    bar = _progress_bar(guess * per_batch + (_probes_needed(len(queries)) if anchor == "auto" else 0)) if progress else None
    with _opened(store) as opened:
        collector = _Collector(geo=geo, category=category, gprop=gprop, draws=draws, store=opened,
                               connection=TrendsConnection(session, politeness), progress=bar)
        try:
            batches, anchors, probed = _plan_batches(collector, queries, anchor, first, last)
            if bar is not None:
                bar.total = bar.n + len(batches) * per_batch
                bar.refresh()
            scaled, flags, spread, meta = _collect(collector, batches, anchors, windows, first, last, benchmark)
            frame = _assemble(scaled, flags, spread, labels, include_partial, stitched=len(windows) > 1)
            meta["levels"] = _levels(frame, meta, labels, frame.attrs.pop("unit"))
            _warn_rounding_floor(collector.raw_levels, labels, meta["batch_factors"])
            _warn_no_data(frame, labels)
            meta.update(fetched=collector.fetched, cached=collector.cached, geo=geo, category=category, gprop=gprop,
                        dropped_partial=frame.attrs.pop("dropped_partial"), probe=probed,
                        windows=[(f"{a:%Y-%m-%d}", f"{b:%Y-%m-%d}") for a, b in windows])
            if opened is not None:
                run = "google_trends:" + _key(terms=queries, start=first, end=last, geo=geo, category=category,
                                              gprop=gprop, resolution=resolution, anchor=anchor, draws=draws,
                                              benchmark=benchmark)[:16]
                opened.put_observations(frame, run=run)
                meta["run"] = run
        finally:
            if bar is not None:
                bar.close()
    frame.attrs["google_trends"] = meta
    return frame


def _official(labels: dict[str, str], start: pd.Timestamp, end: pd.Timestamp, *, geo: str, category: int,
              gprop: str, resolution: str, anchor: str, draws: int, benchmark: bool, include_partial: bool,
              store: Store | StrPath | None, session: Any, politeness: Politeness | None, progress: bool,
              credentials: Any, api_key: str | None, project: str | None) -> pd.DataFrame:
    """``backend="official"``: the API's own scale; the web backend's scaling options do not apply."""
    from ..store import _opened
    from .google_official import TIME_RESOLUTIONS, OfficialResolution, collect_official

    web_only = [n for n, v, default in (("category", category, 0), ("gprop", gprop, ""), ("anchor", anchor, "auto"),
                                        ("draws", draws, 1), ("benchmark", benchmark, False)) if v != default]
    if web_only:
        raise DataError(f"{', '.join(web_only)}: only used with backend='web' (the official API needs no anchors, "
                        "draws or benchmarks, and documents no category or property filter)")
    if resolution != "auto" and resolution not in TIME_RESOLUTIONS:
        raise DataError(f"resolution: expected 'auto' or one of {tuple(TIME_RESOLUTIONS)}, got {resolution!r}")
    with _opened(store) as opened:
        frame = collect_official(labels, start, end, geo=geo, resolution=cast(OfficialResolution, resolution),
                                 include_partial=include_partial, store=opened, session=session,
                                 credentials=credentials, api_key=api_key, project=project, politeness=politeness,
                                 progress=progress)
        if opened is not None:
            opened.put_observations(frame, run="google_official:" + hashlib.sha256(
                json.dumps([sorted(labels.items()), f"{start:%Y-%m-%d}", f"{end:%Y-%m-%d}", geo, resolution])
                .encode()).hexdigest()[:16])
    return frame


def _probes_needed(n: int) -> int:
    """Probe requests for ``n`` terms when none reads zero: five, then four new beside a reference."""
    return 0 if n <= 5 else 1 + math.ceil((n - 5) / 4)


def _plan_batches(
    collector: _Collector, queries: list[str], anchor: str, start: pd.Timestamp, end: pd.Timestamp
) -> tuple[list[tuple[str, ...]], str | list[str], pd.Series | None]:
    """Batches of at most five, the anchors that link them, and the probed popularity (or None)."""
    if len(queries) <= 5:
        return [tuple(queries)], [], None
    if anchor != "auto":
        # A named anchor: every batch shares it with the first (a star).
        others = [q for q in queries if q != anchor]
        return [(anchor, *others[i : i + 4]) for i in range(0, len(others), 4)], anchor, None
    levels, peaks = _probe(collector, queries, start, end)
    batches, anchors = group_by_popularity(levels, peaks=peaks)
    return batches, anchors, pd.Series(levels, dtype=float).rename("popularity")


def _probe(
    collector: _Collector, queries: list[str], start: pd.Timestamp, end: pd.Timestamp
) -> tuple[dict[str, float], dict[str, float]]:
    """Rough mean popularity and peak of every term on one scale: one request of the whole range per four new terms.

    Terms are asked in sorted order, so the plan never depends on the order the user listed them in.
    Each request after the first carries a reference term of middle popularity among those seen, so
    terms far busier or far rarer than it still read above zero. A term that reads zero beside a busy
    reference is asked again beside the rarest term known; one that reads zero even there is placed
    below it (it will sit on the rounding floor whatever the batches, and is warned about).
    """
    level: dict[str, float] = {}
    peak: dict[str, float] = {}
    below: list[str] = []
    unknown: list[str] = []

    def ask(new: list[str], reference: str | None) -> list[str]:
        batch = ([reference] if reference is not None else []) + new
        answer = collector.pull(tuple(batch), start, end, 0)[0]
        means, tops = answer.mean(), answer.max()
        if reference is None:
            scale = 1.0
        elif means[reference] > 0:
            scale = level[reference] / means[reference]
        else:
            # The reference vanished below rounding: the new terms are over 200 times busier.
            scale = level[reference] / 0.25
        zero = []
        for q in new:
            if not np.isfinite(means[q]):
                unknown.append(q)
            elif means[q] > 0:
                level[q], peak[q] = float(means[q] * scale), float(tops[q] * scale)
            else:
                zero.append(q)
        return zero

    pending = sorted(queries)
    while pending:
        reference = _middle(level)
        take = pending[: 5 if reference is None else 4]
        pending = pending[len(take) :]
        below += ask(take, reference)
    while below:
        if not level:  # nothing has any searches: all equally on the floor
            level.update({q: 1.0 for q in below})
            break
        rarest = min(level, key=lambda q: level[q])
        take, below = below[:4], below[4:]
        still = ask(take, rarest)
        if len(still) == len(take):
            level.update({q: level[rarest] / 400 for q in still})
        else:
            below += still
    level.update({q: np.nan for q in unknown})
    return level, peak


def _middle(level: dict[str, float]) -> str | None:
    """The term of median popularity, or None when nothing is known yet."""
    if not level:
        return None
    ordered = sorted(level, key=lambda q: (level[q], q))
    return ordered[len(ordered) // 2]


def _collect(
    collector: _Collector, batches: list[tuple[str, ...]], anchors: str | list[str],
    windows: list[tuple[pd.Timestamp, pd.Timestamp]], start: pd.Timestamp, end: pd.Timestamp, benchmark: bool,
) -> tuple[Scaled, pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    chained: list[Scaled] = []
    window_rows: list[pd.DataFrame] = []
    all_flags: list[pd.DataFrame] = []
    spreads: list[pd.DataFrame] = []
    for b, batch in enumerate(batches):
        parts = [collector.window(batch, a, z) for a, z in windows]
        labels = [f"{a:%Y-%m-%d}..{z:%Y-%m-%d}" for a, z in windows]
        series, factors = chain_windows([p[0] for p in parts], labels=labels)
        flags = (parts[0][1] if len(parts) == 1
                 else pd.concat([p[1] for p in parts]).groupby(level=0).agg(lambda c: _join(*c)))
        spread = pd.concat([p[2] * f for p, f in zip(parts, factors["factor"])]).groupby(level=0).mean()
        if benchmark and len(windows) > 1:
            coarse = collector.window(batch, start, end)[0].value
            series, _ = benchmark_to_coarse(series, coarse)
            flags = flags.apply(lambda c: c.map(lambda f: _join(f, "benchmarked")))
        factors.insert(0, "batch", b)
        window_rows.append(factors.reset_index())
        chained.append(series)
        all_flags.append(flags)
        spreads.append(spread)
    if len(chained) > 1:
        joined, batch_factors = rescale_batches(chained, anchors)
        home = {t: b for b, terms in batch_factors["terms"].items() for t in terms}
        spread = pd.concat([spreads[b][terms] * batch_factors.at[b, "factor"]
                            for b, terms in batch_factors["terms"].items() if terms], axis=1)
        flags = pd.concat([all_flags[b][terms] for b, terms in batch_factors["terms"].items() if terms], axis=1)
        anchored = [t for t, b in home.items() if b > 0]
        flags[anchored] = flags[anchored].apply(lambda c: c.map(lambda f: _join(f, "anchored")))
    else:
        joined, batch_factors, spread, flags = chained[0], None, spreads[0], all_flags[0]
    meta = {
        "anchor": (anchors or None) if len(batches) > 1 else None,
        "batches": [list(b) for b in batches],
        "window_factors": pd.concat(window_rows, ignore_index=True),
        "batch_factors": batch_factors,
    }
    return joined, flags, spread, meta


def _levels(
    frame: pd.DataFrame, meta: dict[str, Any], labels: dict[str, str], unit: float
) -> pd.DataFrame | None:
    """Each term's mean level with its 95% interval (None with one batch: nothing was chained)."""
    table = meta["batch_factors"]
    if table is None or not frame["value"][frame["metric"] == METRIC].notna().any():
        return None
    by_query = {q: label for label, q in labels.items()}
    home = {by_query[t]: b for b, terms in table["terms"].items() for t in terms if t in by_query}
    noise = table["noise_sd"].dropna()
    noise_sd = float(np.sqrt(np.average(noise**2, weights=table.loc[noise.index, "overlap_points"]))) if len(noise) else np.nan
    factors = pd.Series({t: table.at[b, "factor"] for t, b in home.items()})
    factor_se = pd.Series({t: table.at[b, "factor_se"] for t, b in home.items()})
    values = to_wide(frame, metric=METRIC)
    values.columns = values.columns.astype(str)
    return scale_levels(values, factors, factor_se, noise_sd, unit=unit)


def _assemble(scaled: Scaled, flags: pd.DataFrame, spread: pd.DataFrame, labels: dict[str, str],
              include_partial: bool, *, stitched: bool) -> pd.DataFrame:
    flags = flags.reindex(index=scaled.value.index, columns=scaled.value.columns).fillna("").astype(object)
    # The largest value that is kept is 100; a dropped partial point must not set the scale.
    kept = scaled.value.where(~flags.apply(lambda c: c.str.contains("partial"))) if not include_partial else scaled.value
    top = np.nanmax(kept.to_numpy()) if np.isfinite(kept.to_numpy()).any() else np.nan
    norm = 100.0 / top if top and np.isfinite(top) and top > 0 else 1.0
    if stitched:
        flags = flags.apply(lambda c: c.map(lambda f: _join(f, "stitched")))
    by_query = {q: label for label, q in labels.items()}
    parts = [("search_interest", scaled.value), ("search_interest_low", scaled.low),
             ("search_interest_high", scaled.high)]
    if spread.notna().any().any():
        parts.append(("search_interest_draw_sd", spread.reindex_like(scaled.value)))
    frames = [_tidy(values * norm, flags, metric) for metric, values in parts]
    out = pd.concat(frames, ignore_index=True)
    out["term"] = out["term"].map(by_query)
    out = out[out["term"].notna()]
    partial = out["flags"].astype(str).str.contains("partial")
    dropped = int((partial & (out["metric"] == METRIC)).sum())
    if not include_partial:
        out = out[~partial]
    out = validate_observations(out)
    out.attrs["dropped_partial"] = 0 if include_partial else dropped
    out.attrs["unit"] = norm
    return out


def _warn_rounding_floor(
    levels: dict[str, dict[tuple[str, ...], list[float]]], labels: dict[str, str],
    batch_factors: pd.DataFrame | None,
) -> None:
    """Warn about terms that sit near the floor even in the batch that reads them best, and about anchors there."""
    by_query = {q: label for label, q in labels.items()}
    medians = {}
    for q, batches in levels.items():
        best = [np.nanmedian(v) for v in batches.values() if np.isfinite(v).any()]
        if q in by_query and best:
            medians[q] = max(best)
    low = {by_query[q]: float(m) for q, m in medians.items() if m < ROUNDING_FLOOR}
    if low:
        detail = ", ".join(f"{t!r} (median {v:g})" for t, v in low.items())
        verb = "sits" if len(low) == 1 else "sit"
        warnings.warn(
            f"{detail} {verb} near Google's rounding floor: each value is +/-0.5 on a 0-100 scale, so these are"
            " uncertain by 10% or more. Compare them with less popular terms, or see the _low/_high bounds.",
            RoundingFloorWarning,
            stacklevel=3,
        )
    if batch_factors is None:
        return
    weak = batch_factors[batch_factors["anchor_median"] < ROUNDING_FLOOR]
    if len(weak):
        detail = ", ".join(f"{row.anchor!r} (median {row.anchor_median:g}, batch {b})" for b, row in weak.iterrows())
        warnings.warn(
            f"anchor {detail} sits near Google's rounding floor in one of the two batches it links, so the scale of"
            " the terms below it is uncertain by 10% or more; the factor_low/factor_high bounds of"
            ' frame.attrs["google_trends"]["batch_factors"] hold it. Terms of such different popularity cannot be'
            " linked more closely.",
            RoundingFloorWarning,
            stacklevel=3,
        )


def _warn_no_data(frame: pd.DataFrame, labels: dict[str, str]) -> None:
    """Google answers an empty timeline (or hasData: false throughout) for terms nobody searched."""
    values = frame[frame["metric"] == METRIC]
    seen = set(values.loc[values["value"].notna(), "term"])
    missing = [label for label in labels if label not in seen]
    if missing:
        warnings.warn(
            f"Google Trends has no data for {missing} in this range and region: Google answered, but reported no"
            " searches it could show, so these terms have no values (missing, not zero).",
            AttentionWarning,
            stacklevel=3,
        )


def _progress_bar(total: int) -> tqdm[Any] | None:
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return None
    return tqdm(total=total, desc="Google Trends", unit="answer")


# ---------------------------------------------------------------- related queries


def collect_related_queries(
    terms: ThemesArg = None, start: DateLike | None = None, end: DateLike | None = None, *, geo: str = "US",
    category: int = 0, gprop: str = "", store: Store | StrPath | None = None, session: Any = None,
    politeness: Politeness | None = None,
) -> pd.DataFrame:
    """Top and rising queries related to each term: what people actually search.

    Returns
    -------
    DataFrame
        Columns ``term``, ``kind`` (``top`` or ``rising``), ``rank``,
        ``query``, ``value`` (top: 0-100 relative popularity; rising: percent
        growth, where Google's "Breakout" is above 5000) and
        ``formatted_value`` as Google shows it.

    Raises
    ------
    DataError, CollectorError
        As :func:`collect_google_trends`.

    Examples
    --------
    >>> from attention.collectors import Politeness
    >>> from attention.testing import FakeGoogleTrends, latent_attention
    >>> fake = FakeGoogleTrends(latent_attention(["small caps", "AI stocks"], seed=3))
    >>> related = collect_related_queries(["small caps"], start="2024-01-01", end="2024-12-31", session=fake,
    ...                                   politeness=Politeness(pace=0))
    >>> related[["kind", "query", "value", "formatted_value"]]
         kind                      query  value formatted_value
    0     top       small caps AI stocks  100.0             100
    1  rising  small caps AI stocks news  250.0           +250%
    """
    labels = _terms(terms)
    today = pd.Timestamp.now(tz="UTC").tz_localize(None).normalize()
    last = utc_day(end, "end") if end is not None else today
    first = utc_day(start, "start") if start is not None else last - pd.Timedelta(days=365)
    if gprop not in _GPROPS:
        raise DataError(f"gprop: expected one of {_GPROPS}, got {gprop!r}")
    from ..store import _opened

    connection = TrendsConnection(session, politeness)
    timeframe = f"{first:%Y-%m-%d} {last:%Y-%m-%d}"
    rows: list[dict[str, Any]] = []
    with _opened(store) as opened:
        for label, query in labels.items():
            request = {"endpoint": "related", "term": query, "time": timeframe, "geo": geo, "category": category,
                       "gprop": gprop}
            found, _ = answer(opened, _key(**request), source=SOURCE, name="Google Trends", request=request,
                              fetch=functools.partial(connection.related, query, timeframe, geo, category, gprop),
                              validate=functools.partial(_related_rows, label))
            rows += found
    return pd.DataFrame(rows, columns=["term", "kind", "rank", "query", "value", "formatted_value"])


def _related_rows(label: str, body: str | dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of one related-queries answer; UpstreamFormatError naming the widget for any other shape."""
    data = _decode(body, "relatedsearches") if isinstance(body, str) else body
    try:
        ranked = data["default"]["rankedList"]
    except (KeyError, TypeError, IndexError) as exc:
        raise _bad("relatedsearches", "no default.rankedList in the answer") from exc
    if not isinstance(ranked, list) or not all(isinstance(b, dict) for b in ranked):
        raise _bad("relatedsearches", "rankedList is not a list of ranked blocks")
    rows = []
    for kind, block in zip(("top", "rising"), ranked):
        items = block.get("rankedKeyword", [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise _bad("relatedsearches", f"the {kind} block's rankedKeyword is not a list of items")
        for rank, item in enumerate(items, start=1):
            if not isinstance(item.get("query"), str):
                # Related topics share the endpoint; their items name a topic entity, not a query.
                what = "a related-topics answer (items name a 'topic')" if "topic" in item else f"item {rank}"
                raise _bad("relatedsearches", f"expected related queries, got {what} without a 'query'")
            value = item.get("value")
            try:
                value = np.nan if value is None else float(value)
            except (TypeError, ValueError) as exc:
                raise _bad("relatedsearches", f"{kind} item {rank} has value {value!r}") from exc
            rows.append({"term": label, "kind": kind, "rank": rank, "query": item["query"], "value": value,
                         "formatted_value": str(item.get("formattedValue", ""))})
    return rows
