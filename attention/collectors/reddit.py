"""Reddit: daily mentions and sentiment of market themes in chosen subreddits.

- :func:`fetch_reddit_items` reads posts and comments from a backend into
  the items frame of :mod:`attention.collectors.reddit_items`.
- :func:`collect_reddit` aggregates them with
  :func:`~attention.collectors.reddit_items.aggregate_items` into tidy
  observations (source ``reddit``).

Two backends:

``"arctic_shift"`` (default, no credentials)
    The public Arctic Shift archive API (https://arctic-shift.photon-reddit.com),
    endpoints ``/api/posts/search`` and ``/api/comments/search``. Its
    full-text filters (``query``/``title``/``selftext`` for posts, ``body``
    for comments) are documented as "not supported with very active ...
    subreddits" and are where its "Query timed out" errors come from, and
    r/wallstreetbets is as active as subreddits get. So this backend fetches
    **every** post and comment of each subreddit in the date range, paged by
    creation time, and the themes' own regular expressions decide what is a
    mention, the same way for every backend. Complete, but long ranges of big
    subreddits take many pages (at 100 items a page); every raw page is
    cached in the store, so an interrupted run resumes where it stopped.

``"praw"`` (Reddit's own API, needs an app's client id and secret)
    Subreddit search (one query per theme, built from its patterns, sorted
    new) plus the ``new`` listing for posts and the ``comments`` listing for
    comments. Reddit's listings hold about 1000 items and have no date
    filter, so for anything but the last days of a busy subreddit the range
    is truncated; :class:`TruncatedListingWarning` says when. Use it for the
    most recent days, or where Arctic Shift is unavailable.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sys
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from .._typing import DateLike, RedditBackend, RedditKind, StrPath, ThemesArg
from .._validate import utc_day
from ..errors import CollectorError, DataError, QueryTimeout, TruncatedListingWarning, UpstreamFormatError
from ..schema import validate_observations
from ..themes import DEFAULT_THEMES, Theme, get_theme
from ._http import Politeness, answer
from ._reddit_http import ENDPOINTS, ArcticShiftHttp, RedditApi, check_buckets, check_page, make_reddit
from .reddit_items import ItemLedger, aggregate_items, clean_text, items_frame

if TYPE_CHECKING:
    import praw
    from tqdm import tqdm

    from ..sentiment import SentimentScorer
    from ..store import Store

#: One item as the items frame takes it (see :data:`~attention.collectors.reddit_items.ITEM_COLUMNS`).
_Record = dict[str, Any]
#: An item kept, or ``None`` and the reason it is dropped.
_Kept = tuple[_Record | None, str | None]

__all__ = [
    "BACKENDS",
    "DEFAULT_SUBREDDITS",
    "collect_reddit",
    "fetch_reddit_counts",
    "fetch_reddit_items",
    "search_queries",
    "search_terms",
]

SOURCE = "reddit"
#: Backends of :func:`fetch_reddit_items`; :func:`collect_reddit` also takes :data:`ARCHIVE`.
BACKENDS = ("arctic_shift", "praw")
#: The backend of :func:`collect_reddit` that reads dump files (:func:`read_reddit_archives`).
ARCHIVE = "archive"
KINDS: tuple[RedditKind, ...] = ("post", "comment")
#: Where market chatter about the themes happens.
DEFAULT_SUBREDDITS = ("wallstreetbets", "stocks", "investing", "StockMarket", "smallstreetbets")
#: Default range when ``start`` is not given: the week before ``end``.
DEFAULT_DAYS = 7
#: Page sizes tried in turn: 100 is Arctic Shift's maximum; its docs say a smaller ``limit`` cures timeouts.
PAGE_LIMITS = (100, 50, 25)
#: Arctic Shift: "After roughly 36 hours, all data is updated"; younger pages are never cached as final.
SETTLE_SECONDS = 36 * 3600
#: Only what the items frame needs (the API's ``fields`` parameter; smaller and faster answers).
FIELDS = {
    "post": "id,created_utc,subreddit,author,score,title,selftext",
    "comment": "id,created_utc,subreddit,author,score,body",
}
#: A Reddit listing that ended after fewer items than one page cannot have hit the ~1000-item cap.
LISTING_PAGE = 100
#: Reddit rejects search queries longer than 512 characters.
MAX_QUERY = 512
_SUBREDDIT = re.compile(r"^[A-Za-z0-9_]{2,21}$")


# ---------------------------------------------------------------- arguments


def _themes(terms: ThemesArg) -> list[Theme]:
    if terms is None:
        terms = DEFAULT_THEMES
    if isinstance(terms, (str, Theme)):
        terms = [terms]
    try:
        themes = [get_theme(t) for t in terms]
    except DataError as exc:
        raise DataError(f"terms: {str(exc).removeprefix('theme: ')}") from None
    except TypeError:
        raise DataError(f"terms: expected Themes or default theme names, got {terms!r}") from None
    names = [t.name for t in themes]
    if not themes:
        raise DataError("terms: expected at least one theme")
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise DataError(f"terms: {dupes} listed twice")
    return themes


def _subreddits(subreddits: str | Iterable[str]) -> tuple[str, ...]:
    if isinstance(subreddits, str):
        subreddits = [subreddits]
    try:
        names = [str(s).strip().removeprefix("r/").removeprefix("/r/") for s in subreddits]
    except TypeError:
        raise DataError(f"subreddits: expected subreddit names, got {subreddits!r}") from None
    if not names:
        raise DataError("subreddits: expected at least one subreddit name")
    bad = [n for n in names if not _SUBREDDIT.match(n)]
    if bad:
        raise DataError(f"subreddits: {bad} are not subreddit names (2-21 letters, digits or _)")
    seen: set[str] = set()
    out: list[str] = []
    for n in names:  # subreddit names are case-insensitive on Reddit
        if n.casefold() not in seen:
            seen.add(n.casefold())
            out.append(n)
    return tuple(out)


def _kinds(kinds: RedditKind | Iterable[RedditKind]) -> tuple[RedditKind, ...]:
    if isinstance(kinds, str):
        kinds = [kinds]
    try:
        kinds = tuple(kinds)
    except TypeError:
        raise DataError(f"kinds: expected a subset of {KINDS}, got {kinds!r}") from None
    if not kinds or any(k not in KINDS for k in kinds):
        raise DataError(f"kinds: expected a non-empty subset of {KINDS}, got {kinds!r}")
    return tuple(k for k in KINDS if k in kinds)




class _Selection:
    """Checked arguments: what to read, from where, over which days."""

    def __init__(
        self, terms: ThemesArg, subreddits: str | Iterable[str], start: DateLike | None, end: DateLike | None,
        backend: str, kinds: RedditKind | Iterable[RedditKind], politeness: Politeness | None,
    ) -> None:
        if backend not in BACKENDS:
            raise DataError(f"backend: expected one of {BACKENDS}, got {backend!r}")
        if politeness is not None and not isinstance(politeness, Politeness):
            raise DataError(f"politeness: expected a Politeness, got {type(politeness).__name__}")
        self.backend = backend
        self.themes = _themes(terms)
        self.subreddits = _subreddits(subreddits)
        self.kinds = _kinds(kinds)
        today = pd.Timestamp.now(tz="UTC").tz_localize(None).normalize()
        self.end = utc_day(end, "end") if end is not None else today
        self.start = utc_day(start, "start") if start is not None else self.end - pd.Timedelta(days=DEFAULT_DAYS)
        if self.start > self.end:
            raise DataError(
                f"start: expected a date on or before end ({self.end:%Y-%m-%d}), got {self.start:%Y-%m-%d}"
            )
        # Whole days, UTC: [start 00:00, end + 1 day 00:00).
        self.start_ts = int(self.start.tz_localize("UTC").timestamp())
        self.end_ts = int((self.end + pd.Timedelta(days=1)).tz_localize("UTC").timestamp())

    def describe(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "subreddits": list(self.subreddits),
            "kinds": list(self.kinds),
            "terms": [t.name for t in self.themes],
            "start": f"{self.start:%Y-%m-%d}",
            "end": f"{self.end:%Y-%m-%d}",
        }


def _key(**request: Any) -> str:
    return hashlib.sha256(json.dumps(request, sort_keys=True, default=str).encode()).hexdigest()


# ---------------------------------------------------------------- public API


def fetch_reddit_items(
    terms: ThemesArg = None,
    subreddits: str | Iterable[str] = DEFAULT_SUBREDDITS,
    start: DateLike | None = None,
    end: DateLike | None = None,
    *,
    backend: RedditBackend = "arctic_shift",
    store: Store | StrPath | None = None,
    session: Any = None,
    politeness: Politeness | None = None,
    client_id: str | None = None,
    client_secret: str | None = None,
    user_agent: str | None = None,
    reddit: praw.Reddit | None = None,
    kinds: RedditKind | Iterable[RedditKind] = KINDS,
    progress: bool = False,
) -> pd.DataFrame:
    """Posts and comments of the chosen subreddits and days, as an items frame.

    Parameters
    ----------
    terms : list of Theme or str, optional
        Themes (or names of default themes). The praw backend searches for
        them; the Arctic Shift backend reads every item, whatever the terms.
        Defaults to the three default themes.
    subreddits : list of str
        Subreddit names, with or without ``r/``.
    start, end : date-like, optional
        Inclusive range of UTC days; ``end`` defaults to today, ``start`` to
        seven days before ``end``.
    backend : {"arctic_shift", "praw"}
        Where to read (see the module docstring).
    store : Store, str or Path, optional
        Arctic Shift: cache of every raw page, keyed by its request, so a
        rerun sends no request already answered and an interrupted run keeps
        what it fetched. Pages whose items may still change (newer than 36
        hours, Arctic Shift's settling time, or the open end of a range
        reaching into that window) are never cached as final. The praw
        backend does not cache: Reddit's listings are live views.
    session : requests.Session-like, optional
        Arctic Shift: the HTTP session (anything with ``get``). praw: handed
        to prawcore's ``Requestor`` (anything with ``request``).
    politeness : Politeness, optional
        Pacing, retries and backoff. Arctic Shift defaults to a request a
        second plus jitter, 5 retries from 5 s; praw to 4 retries from 10 s
        (prawcore paces itself from Reddit's rate-limit headers).
    client_id, client_secret, user_agent : str, optional
        praw only: a Reddit "script" app's credentials. Settings not given
        are left to praw, which reads ``praw_client_id`` etc. from the
        environment or a ``praw.ini`` site. They are never logged, stored or
        shown in any message.
    reddit : praw.Reddit, optional
        praw only: a ready instance to use instead of building one.
    kinds : subset of ("post", "comment")
        What to read.
    progress : bool
        Show a progress bar (tqdm).

    Returns
    -------
    DataFrame
        The items frame (``id``, ``kind``, ``created``, ``subreddit``,
        ``author``, ``score``, ``text``), one row per item created in the
        range, duplicates removed. ``frame.attrs["reddit"]`` records the
        selection and what the run did (pages fetched and read from the
        store, requests sent, waits, truncated listings).

    Raises
    ------
    DataError
        For invalid arguments, before anything is sent.
    RateLimitError
        When the source keeps answering 429; with a store, everything
        fetched so far is kept and a rerun resumes.
    AuthenticationError
        praw: credentials missing or refused.
    MissingDependencyError
        praw: praw is not installed.
    CollectorError
        For other failures of the source.

    Warns
    -----
    TruncatedListingWarning
        praw: a listing ended before reaching ``start``.

    Examples
    --------
    Offline, against a fake that answers like Arctic Shift:

    >>> from attention.testing import FakeArcticShift
    >>> fake = FakeArcticShift({"comment": [], "post": [
    ...     {"id": "a1", "created_utc": 1719800000, "subreddit": "stocks", "author": "u1", "score": 12,
    ...      "title": "Small caps are finally breaking out", "selftext": ""},
    ...     {"id": "a2", "created_utc": 1719803600, "subreddit": "stocks", "author": "u2", "score": 3,
    ...      "title": "Mag 7 is overvalued", "selftext": "rotate into IWM"}]})
    >>> items = fetch_reddit_items(subreddits="stocks", start="2024-07-01", end="2024-07-01", kinds="post",
    ...                            session=fake)
    >>> items[["id", "author", "text"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'id': 't3_a1', 'author': 'u1', 'text': 'Small caps are finally breaking out'},
     {'id': 't3_a2', 'author': 'u2', 'text': 'Mag 7 is overvalued\\nrotate into IWM'}]
    >>> items.attrs["reddit"]["accounting"], items.attrs["reddit"]["requests"]
    ({'read': 2, 'kept': 2, 'dropped': {}}, 1)
    """
    sel = _Selection(terms, subreddits, start, end, backend, kinds, politeness)
    _check_backend_args(sel.backend, client_id, client_secret, user_agent, reddit, session)
    from ..store import _opened  # imported when used: it loads sqlite3

    with _opened(store) as opened:
        return _fetch(sel, store=opened, session=session, politeness=politeness, client_id=client_id,
                      client_secret=client_secret, user_agent=user_agent, reddit=reddit, progress=progress)


def fetch_reddit_counts(
    subreddits: str | Iterable[str] = DEFAULT_SUBREDDITS,
    start: DateLike | None = None,
    end: DateLike | None = None,
    *,
    kinds: RedditKind | Iterable[RedditKind] = KINDS,
    store: Store | StrPath | None = None,
    session: Any = None,
    politeness: Politeness | None = None,
) -> pd.DataFrame:
    """How many posts and comments each subreddit had per UTC day, in one request per subreddit and kind.

    Arctic Shift's aggregation endpoints (``/api/{posts,comments}/search/aggregate``
    with ``aggregate=created_utc&frequency=day``) count every item of a
    subreddit per day without paging through them: the denominator for a
    theme's share of a subreddit's attention, and a check that paging read
    everything (:func:`collect_reddit` with ``totals=True`` does both).

    Parameters
    ----------
    subreddits, start, end, kinds, session, politeness
        As :func:`fetch_reddit_items`.
    store : Store, str or Path, optional
        Answers whose days have all settled (older than 36 hours) are kept
        and not asked again; an answer that is not a list of day buckets is
        never stored as good.

    Returns
    -------
    DataFrame
        Columns ``date`` (UTC day), ``subreddit``, ``kind``, ``items``; a day
        the API reports no bucket for is 0 (the aggregation counts every item,
        so a missing bucket is a day without items). ``frame.attrs["reddit"]``
        records the requests sent and answers read from the store.

    Raises
    ------
    DataError, ConnectionFailedError, RateLimitError, CollectorError, UpstreamFormatError
        As :func:`fetch_reddit_items`; ``QueryTimeout`` when the API times out
        on a range (ask for fewer days).

    Examples
    --------
    >>> from attention.testing import FakeArcticShift
    >>> fake = FakeArcticShift({"post": [{"id": "a", "created_utc": 1719800000, "subreddit": "stocks"},
    ...                                  {"id": "b", "created_utc": 1719803600, "subreddit": "stocks"}],
    ...                         "comment": []})
    >>> counts = fetch_reddit_counts("stocks", "2024-07-01", "2024-07-02", kinds="post", session=fake)
    >>> counts["items"].tolist(), counts.attrs["reddit"]["requests"]
    ([2, 0], 1)
    """
    sel = _Selection(None, subreddits, start, end, "arctic_shift", kinds, politeness)
    http = ArcticShiftHttp(session, politeness)
    cached = 0
    rows: list[dict[str, Any]] = []
    days = pd.date_range(sel.start, sel.end, freq="D")
    settled = sel.end_ts <= time.time() - SETTLE_SECONDS
    from ..store import _opened

    with _opened(store) as opened:
        for subreddit in sel.subreddits:
            for kind in sel.kinds:
                counts = dict.fromkeys(days, 0)
                for lo, hi in _year_chunks(sel.start_ts, sel.end_ts):
                    params = {"subreddit": subreddit, "aggregate": "created_utc", "frequency": "day",
                              "after": lo - 1, "before": hi, "limit": ""}
                    request = {"backend": "arctic_shift", "endpoint": "aggregate", "kind": kind, "params": params}
                    http.progress = f"daily counts of r/{subreddit} {kind}s from {_utc(lo)}"
                    buckets, from_store = answer(
                        opened if settled else None, _key(**request),
                        fetch=functools.partial(http.aggregate, kind, params),
                        validate=lambda text: check_buckets(text, http.progress), source=SOURCE, name="Arctic Shift",
                        request=request)
                    cached += from_store
                    for second, count in buckets:
                        day = pd.Timestamp(second, unit="s").normalize()
                        if day in counts and lo <= second < hi:
                            counts[day] += count
                rows += [{"date": d.tz_localize("UTC"), "subreddit": subreddit, "kind": kind, "items": n}
                         for d, n in counts.items()]
    frame = pd.DataFrame(rows, columns=["date", "subreddit", "kind", "items"]).astype({"items": "int64"})
    frame.attrs["reddit"] = {**sel.describe(), "requests": http.sent, "answers_cached": cached,
                             "settled": bool(settled)}
    return frame


def _year_chunks(start_ts: int, end_ts: int, days: int = 365) -> Iterator[tuple[int, int]]:
    """[lo, hi) pieces of at most a year: busy subreddits time out on longer aggregations."""
    step = days * 86400
    for lo in range(start_ts, end_ts, step):
        yield lo, min(lo + step, end_ts)


def collect_reddit(
    terms: ThemesArg = None,
    subreddits: str | Iterable[str] = DEFAULT_SUBREDDITS,
    start: DateLike | None = None,
    end: DateLike | None = None,
    *,
    backend: RedditBackend | Literal["archive"] = "arctic_shift",
    store: Store | StrPath | None = None,
    session: Any = None,
    politeness: Politeness | None = None,
    client_id: str | None = None,
    client_secret: str | None = None,
    user_agent: str | None = None,
    reddit: praw.Reddit | None = None,
    kinds: RedditKind | Iterable[RedditKind] = KINDS,
    progress: bool = False,
    scorer: SentimentScorer | None = None,
    totals: bool = False,
    archives: StrPath | Iterable[StrPath] | None = None,
    client: Any = None,
    checkpoint: StrPath | None = None,
) -> pd.DataFrame:
    """Daily Reddit attention to themes: mentions, authors, score and sentiment.

    Reads items with :func:`fetch_reddit_items` (same parameters) and
    aggregates them with :func:`~attention.collectors.reddit_items.aggregate_items`;
    with ``backend="archive"``, reads monthly dump files with
    :func:`~attention.collectors.archives.read_reddit_archives` instead.

    Parameters
    ----------
    scorer : SentimentScorer, optional
        Scores the mentioning texts; defaults to the finance-aware
        :class:`attention.sentiment.SentimentScorer`.
    totals : bool
        Arctic Shift only: also ask the aggregation endpoints how many items
        the subreddits had each day (:func:`fetch_reddit_counts`, one request
        per subreddit and kind), add the metric ``mention_share`` (mentions
        / all items of the selected subreddits that day) and check that
        paging read every counted item (``frame.attrs["reddit"]["coverage"]``).
    archives : sequence of str or Path, optional
        ``backend="archive"`` only: the dump files (paths or URLs). ``start``
        and ``end`` default to every day the files hold.
    client : dask.distributed.Client, optional
        ``backend="archive"`` only: scan the files on this Dask cluster.
    checkpoint : str or Path, optional
        ``backend="archive"`` only: folder of per-file results, so that a
        rerun skips finished files.

    Returns
    -------
    DataFrame
        Tidy observations, source ``reddit``, term = theme name, metrics
        ``mentions``, ``unique_authors``, ``score``, ``sentiment``,
        ``bullishness``, ``positive_share``, ``negative_share``. Days
        without a mention are absent. ``frame.attrs["reddit"]`` is as for
        :func:`fetch_reddit_items`, plus ``items`` (how many were read) and,
        with a store, ``run`` (the label the observations are stored under).

    Raises
    ------
    DataError, RateLimitError, AuthenticationError, MissingDependencyError, CollectorError
        As :func:`fetch_reddit_items`.

    Warns
    -----
    TruncatedListingWarning
        praw: a listing ended before reaching ``start``. With ``totals``: a
        day on which paging read fewer items than the aggregation counts.
    DroppedItemsWarning
        When items were dropped for a reason that loses information.

    Examples
    --------
    >>> from attention.testing import FakeArcticShift
    >>> fake = FakeArcticShift({"comment": [], "post": [
    ...     {"id": "a1", "created_utc": 1719800000, "subreddit": "stocks", "author": "u1", "score": 12,
    ...      "title": "Small caps are finally breaking out", "selftext": ""},
    ...     {"id": "a2", "created_utc": 1719803600, "subreddit": "stocks", "author": "u2", "score": 3,
    ...      "title": "Mag 7 is overvalued", "selftext": "rotate into IWM"}]})
    >>> obs = collect_reddit(subreddits="stocks", start="2024-07-01", end="2024-07-01", kinds="post",
    ...                      session=fake)
    >>> obs[obs["metric"] == "mentions"].set_index("term")["value"].to_dict()
    {'Magnificent Seven': 1.0, 'small-cap stocks': 2.0}
    """
    if backend == ARCHIVE:
        _check_backend_args(backend, client_id, client_secret, user_agent, reddit, session)
        if totals:
            raise DataError(f"totals: needs backend='arctic_shift' (backend is {backend!r})")
        return _collect_archives(terms, subreddits, start, end, archives=archives, client=client,
                                 checkpoint=checkpoint, store=store, progress=progress, scorer=scorer)
    given = [n for n, v in (("archives", archives), ("client", client), ("checkpoint", checkpoint)) if v is not None]
    if given:
        raise DataError(f"{', '.join(given)}: only used with backend={ARCHIVE!r} (backend is {backend!r})")
    sel = _Selection(terms, subreddits, start, end, backend, kinds, politeness)
    _check_backend_args(sel.backend, client_id, client_secret, user_agent, reddit, session)
    if totals and sel.backend != "arctic_shift":
        raise DataError(f"totals: needs backend='arctic_shift' (backend is {sel.backend!r})")
    from ..store import _opened

    with _opened(store) as opened:
        items = _fetch(sel, store=opened, session=session, politeness=politeness, client_id=client_id,
                       client_secret=client_secret, user_agent=user_agent, reddit=reddit, progress=progress)
        meta = dict(items.attrs.get("reddit", {}))
        frame = aggregate_items(items, sel.themes, scorer=scorer)
        meta["items"] = len(items)
        if totals:
            counts = fetch_reddit_counts(sel.subreddits, sel.start, sel.end, kinds=sel.kinds, store=opened,
                                         session=session, politeness=politeness)
            frame, meta["coverage"] = _with_totals(frame, items, counts)
        if opened is not None:
            run = "reddit:" + _key(backend=sel.backend, subreddits=[s.lower() for s in sel.subreddits],
                                   kinds=sel.kinds, start=meta["start"], end=meta["end"],
                                   themes=[(t.name, t.regex.pattern) for t in sel.themes])[:16]
            opened.put_observations(frame, run=run)
            meta["run"] = run
    frame.attrs["reddit"] = meta
    return frame


def _collect_archives(
    terms: ThemesArg, subreddits: str | Iterable[str], start: DateLike | None, end: DateLike | None, *,
    archives: StrPath | Iterable[StrPath] | None, client: Any, checkpoint: StrPath | None,
    store: Store | StrPath | None, progress: bool, scorer: SentimentScorer | None,
) -> pd.DataFrame:
    from .archives import read_reddit_archives

    if archives is None:
        raise DataError(f"archives: expected the dump files to read with backend={ARCHIVE!r}")
    themes = _themes(terms)
    subreddits = _subreddits(subreddits)
    frame = read_reddit_archives(archives, subreddits=subreddits, themes=themes, start=start, end=end,
                                 client=client, checkpoint=checkpoint, progress=progress, scorer=scorer)
    from ..store import _opened

    with _opened(store) as opened:
        if opened is not None:
            files = [str(a) for a in ([archives] if isinstance(archives, (str, os.PathLike)) else archives)]
            run = "reddit:" + _key(backend=ARCHIVE, subreddits=[s.lower() for s in subreddits], files=files,
                                   start=start, end=end, themes=[(t.name, t.reddit_patterns) for t in themes])[:16]
            opened.put_observations(frame, run=run)
            frame.attrs["reddit"]["run"] = run
    return frame


def _with_totals(
    frame: pd.DataFrame, items: pd.DataFrame, counts: pd.DataFrame
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Add ``mention_share`` per theme and day; compare the items paged with the items counted per day."""
    counted = counts.groupby("date")["items"].sum()
    paged = items["created"].dt.floor("D").value_counts().reindex(counted.index, fill_value=0)
    short = counted[paged < counted]
    coverage: dict[str, Any] = {"paged": int(paged.sum()), "counted": int(counted.sum()),
                "days_short": {f"{d:%Y-%m-%d}": [int(paged[d]), int(n)] for d, n in short.items()}}
    if len(short):
        worst = ", ".join(f"{d}: {p} of {n}" for d, (p, n) in list(coverage["days_short"].items())[:5])
        warnings.warn(f"Arctic Shift: paging read fewer items than its aggregation counts on {len(short)} day(s) "
                      f"({worst}); mentions on those days are undercounted.", TruncatedListingWarning, stacklevel=3)
    mentions = frame[frame["metric"] == "mentions"].copy()
    # A day the aggregation has not counted yet gives no share (NaN), never an infinite one.
    mentions["value"] = mentions["value"] / mentions["date"].map(counted.where(counted > 0)).to_numpy(float)
    mentions["metric"] = "mention_share"
    out = validate_observations(pd.concat([frame, mentions], ignore_index=True)) if len(mentions) else frame
    return out, coverage


def _check_backend_args(
    backend: str, client_id: object, client_secret: object, user_agent: object, reddit: object, session: object
) -> None:
    if backend == "praw":
        if reddit is not None:
            if not hasattr(reddit, "subreddit"):
                raise DataError(f"reddit: expected a praw.Reddit, got {type(reddit).__name__}")
            given = [n for n, v in (("client_id", client_id), ("client_secret", client_secret),
                                    ("user_agent", user_agent), ("session", session)) if v is not None]
            if given:
                raise DataError(
                    f"{', '.join(given)}: not used when reddit= is given (the instance has its own)"
                )
        settings = (("client_id", client_id), ("client_secret", client_secret), ("user_agent", user_agent))
        for name, value in settings:
            if value is not None and not isinstance(value, str):
                # The value itself is never shown: it may be a secret.
                raise DataError(f"{name}: expected a string, got {type(value).__name__}")
        return
    given = [n for n, v in (("client_id", client_id), ("client_secret", client_secret),
                            ("user_agent", user_agent), ("reddit", reddit)) if v is not None]
    if given:
        raise DataError(f"{', '.join(given)}: only used with backend='praw' (backend is {backend!r})")


def _fetch(sel: _Selection, *, store: Store | None, session: Any, politeness: Politeness | None,
           client_id: str | None, client_secret: str | None, user_agent: str | None, reddit: praw.Reddit | None,
           progress: bool) -> pd.DataFrame:
    bar = _progress_bar(sel.backend) if progress else None
    meta = sel.describe()
    ledger = ItemLedger()
    try:
        if sel.backend == "arctic_shift":
            records = _arctic_shift(sel, store, ArcticShiftHttp(session, politeness), meta, bar, ledger)
        else:
            records = _praw(sel, session, politeness, client_id, client_secret, user_agent, reddit, meta, bar,
                            ledger)
    finally:
        if bar is not None:
            bar.close()
    items = items_frame(records, ledger=ledger)
    meta["accounting"] = ledger.summary(len(items))
    ledger.warn(f"Reddit ({sel.backend})", stacklevel=4)
    if not items.empty:
        items = items.sort_values(["created", "id"], kind="stable").reset_index(drop=True)
    items.attrs["reddit"] = meta
    if meta.get("truncated"):
        lines = "; ".join(
            f"r/{t['subreddit']} {t['listing']} ended at {t['oldest']} after {t['seen']} items"
            for t in meta["truncated"]
        )
        warnings.warn(
            f"Reddit listings ended before reaching start ({meta['start']}): {lines}. Reddit serves about "
            "1000 items per listing, so earlier days are missing; use backend='arctic_shift' for history.",
            TruncatedListingWarning,
            stacklevel=3,
        )
    return items


def _progress_bar(backend: str) -> tqdm[Any] | None:
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return None
    unit = "page" if backend == "arctic_shift" else "item"
    return tqdm(desc=f"Reddit ({backend})", unit=unit)


# ---------------------------------------------------------------- Arctic Shift


class _ArcticRun:
    """One Arctic Shift run: which pages came from the store, which from the network."""

    def __init__(self, http: ArcticShiftHttp, store: Store | None, bar: tqdm[Any] | None) -> None:
        self.http, self.store, self.bar = http, store, bar
        self.now = time.time()
        self.fetched = self.cached = self.unsettled = self.smaller_pages = 0
        self.crowded: list[dict[str, Any]] = []  # seconds holding more items than a page

    def page(self, kind: str, base: dict[str, Any], second: int) -> tuple[list[Any], int]:
        """Items of the page starting at ``second``, and the ``limit`` it was asked with.

        The docs do not say whether ``after`` is inclusive or exclusive, so
        it is sent one second early (epoch seconds): the page starts at
        ``second`` either way, at worst with the second before it repeated.
        """
        after = second - 1
        if self.store is not None:
            # A page answered in an earlier run may have needed a smaller limit; any of them will do.
            for limit in PAGE_LIMITS:
                request = _page_request(kind, base, after, limit)
                hit = self.store.get_response(_key(**request))
                if hit is not None:
                    self.cached += 1
                    self._tick()
                    return check_page(hit["body"]), limit
        last = None
        for i, limit in enumerate(PAGE_LIMITS):
            if i:
                # Arctic Shift's docs: a smaller limit cures a timed-out query.
                self.http.pause_after_failure(i - 1)
                self.smaller_pages += 1
            request = _page_request(kind, base, after, limit)
            self.http.progress = (
                f"{self.fetched} pages fetched and {self.cached} read from the store before this one "
                f"(r/{base['subreddit']} {kind}s from {_utc(second)})"
                + ("" if not self.fetched else
                   "; every page fetched so far is in the store: rerun with the same store to resume"
                   if self.store is not None else "; pass store= to keep pages between runs")
            )
            try:
                text = self.http.search(kind, request["params"])
            except QueryTimeout as exc:
                last = exc
                continue
            data = self._keep(request, text, limit)
            self.fetched += 1
            self._tick()
            return data, limit
        raise CollectorError(
            f"Arctic Shift timed out on r/{base['subreddit']} {kind}s from {_utc(second)} even with "
            f"limit={PAGE_LIMITS[-1]}; try again later or a narrower range"
        ) from last

    def _keep(self, request: dict[str, Any], text: str, limit: int) -> list[Any]:
        """The items of a fetched page; a settled page is stored as good, a page that is not one as bad."""
        if self.store is None:
            return check_page(text, self.http.progress)
        key = _key(**request)
        try:
            data = check_page(text, self.http.progress)
        except UpstreamFormatError:
            # Kept for diagnosis, marked bad: never served, asked again next run. Raises the same error.
            self.store.put_response(key, source=SOURCE, request=request, status=200, body=text,
                                    validate=lambda body: check_page(body, self.http.progress))
            raise
        if self._settled(data, limit, request["params"]["before"]):
            self.store.put_response(key, source=SOURCE, request=request, status=200, body=text)
        else:
            self.unsettled += 1
        return data

    def _settled(self, data: list[Any], limit: int, before: int) -> bool:
        """Whether a page can no longer change, so that caching it as final is safe.

        A full page is fixed by its cursor once its newest item has settled;
        a short page is the end of the range, final only when the whole
        range has settled (an open-ended range's last page still grows).
        """
        horizon = self.now - SETTLE_SECONDS
        if len(data) >= limit:
            return max(_created(r) or 0 for r in data) <= horizon
        return before <= horizon

    def _tick(self) -> None:
        if self.bar is not None:
            self.bar.update(1)


def _page_request(kind: str, base: dict[str, Any], after: int, limit: int) -> dict[str, Any]:
    """What identifies a page in the store: the endpoint and exactly the parameters sent."""
    params = {**base, "after": after, "limit": limit}
    return {"backend": "arctic_shift", "endpoint": ENDPOINTS[kind], "params": params}


def _utc(ts: float) -> str:
    return f"{pd.Timestamp(int(ts), unit='s'):%Y-%m-%d %H:%M:%S} UTC"


def _created(raw: dict[str, Any]) -> int | None:
    value: Any = raw.get("created_utc")
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


#: The field only an item of each kind has: how an item of the wrong kind in a listing is told apart.
_KIND_FIELD = {"post": "title", "comment": "body"}


def _record(data: object, kind: str, subreddit: str, rid: object, created: int | None) -> _Kept:
    """An items-frame record, or the reason the item is dropped."""
    if not isinstance(data, dict):
        return None, "not an item"
    if _KIND_FIELD[kind] not in data:
        return None, f"not a {kind}"
    if created is None:
        return None, "no creation time"
    if rid is None or str(rid).strip() in ("", "t1_", "t3_"):
        return None, "no id"
    prefix = "t3_" if kind == "post" else "t1_"
    rid = str(rid)
    text = clean_text(data.get("title"), data.get("selftext")) if kind == "post" else clean_text(data.get("body"))
    sub = data.get("subreddit")
    return {
        "id": rid if rid.startswith(prefix) else prefix + rid,
        "kind": kind,
        "created": created,
        "subreddit": str(sub) if sub is not None else subreddit,
        "author": data.get("author"),
        "score": data.get("score"),
        "text": text,
    }, None


def _arctic_record(raw: object, kind: str, subreddit: str) -> _Kept:
    if not isinstance(raw, dict):
        return None, "not an item"
    return _record(raw, kind, subreddit, raw.get("id"), _created(raw))


def _arctic_listing(
    run: _ArcticRun, kind: str, subreddit: str, start_ts: int, end_ts: int, ledger: ItemLedger
) -> Iterator[_Record]:
    """Every item of one subreddit and kind created in [start_ts, end_ts), page by page, oldest first.

    Each page starts at the second of the newest item of the page before:
    items sharing that second are fetched again (and dropped as duplicates)
    rather than skipped, whether ``after`` is inclusive or not. A full page
    within a single second is re-read as that second alone at the largest
    page size before moving on; only more than 100 items in one second could
    then be missed, and that is warned. ``before`` is sent as the end of the
    range and the range is trimmed here, so its meaning does not matter.
    """
    base = {"subreddit": subreddit, "before": end_ts, "sort": "asc", "fields": FIELDS[kind]}
    second = start_ts
    while True:
        data, limit = run.page(kind, base, second)
        created: list[int] = []
        for raw in data:
            record, reason = _arctic_record(raw, kind, subreddit)
            if record is not None:
                created.append(record["created"])
            yield from _in_range(record, reason, start_ts, end_ts, ledger)
        if len(data) < limit or not created:
            return
        newest = max(created)
        if newest >= end_ts:  # the API ignored `before`: nothing later is wanted
            return
        if newest > second:
            second = newest
            continue
        # A whole page inside one second: read that second alone, with the largest page, then move on.
        crowd, crowd_limit = data, limit
        if limit < PAGE_LIMITS[0]:
            narrow = {**base, "before": second + 1}
            crowd, crowd_limit = run.page(kind, narrow, second)
            for raw in crowd:
                yield from _in_range(*_arctic_record(raw, kind, subreddit), start_ts, end_ts, ledger)
        if len(crowd) >= crowd_limit:
            run.crowded.append({"subreddit": subreddit, "kind": kind, "second": _utc(second),
                                "read": len(crowd)})
        second += 1


def _in_range(
    record: _Record | None, reason: str | None, start_ts: int, end_ts: int, ledger: ItemLedger
) -> Iterator[_Record]:
    """Yield a record created in [start_ts, end_ts); count anything else as read and dropped."""
    if record is not None and start_ts <= record["created"] < end_ts:
        yield record
        return
    ledger.read += 1
    ledger.drop(reason or "outside the range")


def _arctic_shift(sel: _Selection, store: Store | None, http: ArcticShiftHttp, meta: dict[str, Any],
                  bar: tqdm[Any] | None, ledger: ItemLedger) -> list[_Record]:
    run = _ArcticRun(http, store, bar)
    records: list[_Record] = []
    try:
        for subreddit in sel.subreddits:
            for kind in sel.kinds:
                records.extend(_arctic_listing(run, kind, subreddit, sel.start_ts, sel.end_ts, ledger))
    finally:
        meta.update(pages_fetched=run.fetched, pages_cached=run.cached, pages_unsettled=run.unsettled,
                    smaller_pages=run.smaller_pages, crowded_seconds=run.crowded, requests=http.sent,
                    waits=list(http.waits))
    if run.crowded:
        where = "; ".join(
            f"r/{c['subreddit']} {c['kind']}s at {c['second']} ({c['read']} read)" for c in run.crowded
        )
        warnings.warn(
            f"Arctic Shift holds more items in one second than a page ({where}): only the first page of each "
            "such second could be read, the rest is missing.",
            TruncatedListingWarning,
            stacklevel=4,
        )
    return records


# ---------------------------------------------------------------- praw


def _expand(pattern: str, cap: int = 64) -> list[str] | None:
    """The literal strings a simple regular expression matches, or None if it is not simple.

    Handles literals, character sets of literals, alternation, groups and
    bounded repeats (``?``, ``{0,2}``), which is what theme patterns use.
    """
    if sys.version_info >= (3, 11):
        import re._parser as sre  # it re-exports the opcode constants
    else:  # pragma: no cover - Python 3.10
        import sre_parse as sre
    try:
        parsed: Any = sre.parse(pattern)
    except Exception:  # noqa: BLE001 - anything unparseable is "not simple"
        return None
    return _expand_seq(list(parsed), sre, cap)


def _expand_seq(items: list[Any], c: ModuleType, cap: int) -> list[str] | None:
    """The strings a parsed pattern ``items`` matches (``c``: the parser's opcodes), or None."""
    outs = [""]
    options: list[str] | None
    for op, av in items:
        if op is c.LITERAL:
            options = [chr(av)]
        elif op is c.AT:
            options = [""]
        elif op is c.IN:
            if any(o is not c.LITERAL for o, _ in av):
                return None
            options = [chr(v) for _, v in av]
        elif op is c.SUBPATTERN:
            options = _expand_seq(list(av[-1]), c, cap)
        elif op is c.BRANCH:
            options = []
            for branch in av[1]:
                sub = _expand_seq(list(branch), c, cap)
                if sub is None:
                    return None
                options += sub
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            low, high, body = av
            if high > 3:
                return None
            one = _expand_seq(list(body), c, cap)
            if one is None:
                return None
            options = []
            for n in range(low, high + 1):
                reps = [""]
                for _ in range(n):
                    reps = [a + b for a in reps for b in one]
                options += reps
        else:
            return None
        if options is None:
            return None
        outs = [a + b for a in outs for b in options]
        if len(outs) > cap:
            return None
    return outs


def search_terms(theme: Theme) -> list[str]:
    """Plain phrases to search Reddit for a theme, derived from its patterns.

    A phrase that extends a shorter one word for word (``small cap stocks``
    after ``small cap``) is dropped: searching the shorter finds it too.
    Symbols such as ``$`` are dropped, as Reddit's search ignores them. A
    pattern that is not a simple alternation of literals falls back to the
    theme's ``google_query``.

    Examples
    --------
    >>> from attention import get_theme
    >>> search_terms(get_theme("AI stocks"))
    ['ai bubble', 'ai names', 'ai plays', 'ai stocks', 'ai trade']
    """
    phrases: list[str] = []
    for pattern in theme.patterns:
        expanded = _expand(pattern)
        for phrase in expanded if expanded is not None else [theme.google_query]:
            # Reddit's search reads "small-cap" and "small_cap" as "small cap".
            phrase = " ".join(re.sub(r"^\W+|\W+$", "", phrase).replace("_", " ").replace("-", " ").split())
            if phrase:
                phrases.append(phrase)
    unique = list(dict.fromkeys(p.casefold() for p in phrases))
    unique.sort(key=lambda p: (len(p.split()), p))
    kept: list[str] = []
    for phrase in unique:
        words = phrase.split()
        if not any(words[: len(k.split())] == k.split() for k in kept):
            kept.append(phrase)
    return kept


def search_queries(theme: Theme) -> list[str]:
    """Reddit search queries for a theme: its phrases, quoted and OR-ed, at most 512 characters each.

    Examples
    --------
    >>> from attention import get_theme
    >>> search_queries(get_theme("AI stocks"))
    ['"ai bubble" OR "ai names" OR "ai plays" OR "ai stocks" OR "ai trade"']
    """
    queries: list[str] = []
    current = ""
    for phrase in search_terms(theme):
        part = f'"{phrase}"' if " " in phrase or "-" in phrase else phrase
        candidate = f"{current} OR {part}" if current else part
        if len(candidate) > MAX_QUERY and current:
            queries.append(current)
            candidate = part
        current = candidate
    if current:
        queries.append(current)
    return queries


def _time_filter(start_ts: int, now: float) -> str:
    """The narrowest of Reddit's search windows that still covers ``start``."""
    age = now - start_ts
    for name, seconds in (("hour", 3600), ("day", 86400), ("week", 7 * 86400), ("month", 28 * 86400),
                          ("year", 360 * 86400)):
        if age <= seconds:
            return name
    return "all"


def _praw_record(item: object, kind: str, subreddit: str) -> _Kept:
    data = vars(item)  # never getattr: a missing attribute makes praw fetch the item again
    rid = data.get("name") or (("t3_" if kind == "post" else "t1_") + str(data.get("id", "")))
    record, reason = _record(data, kind, subreddit, rid, _created(data))
    if record is not None:
        record["author"] = None if data.get("author") is None else str(data.get("author"))
    return record, reason


def _praw_walk(
    api: RedditApi, make_listing: Callable[[], Iterable[Any]], what: dict[str, str], kind: str, sel: _Selection,
    meta: dict[str, Any], bar: tqdm[Any] | None, ledger: ItemLedger,
) -> Iterator[_Record]:
    """Items of one listing (newest first) created in the range; notes a listing that stopped short."""
    seen, reached = 0, False
    oldest: int | None = None
    label = f"r/{what['subreddit']} {what['listing']}"
    for item in api.iterate(make_listing(), label):
        seen += 1
        if bar is not None:
            bar.update(1)
        record, reason = _praw_record(item, kind, what["subreddit"])
        if record is not None:
            oldest = record["created"] if oldest is None else min(oldest, record["created"])
        yield from _in_range(record, reason, sel.start_ts, sel.end_ts, ledger)
        if record is not None and record["created"] < sel.start_ts:
            reached = True  # listings are sorted newest first: the rest is older still
            break
    if not reached and seen >= LISTING_PAGE:
        meta.setdefault("truncated", []).append(
            {**what, "seen": seen, "oldest": _utc(oldest) if oldest is not None else "no dated item"})


def _praw(sel: _Selection, session: Any, politeness: Politeness | None, client_id: str | None,
          client_secret: str | None, user_agent: str | None, reddit: praw.Reddit | None, meta: dict[str, Any],
          bar: tqdm[Any] | None, ledger: ItemLedger) -> list[_Record]:
    if reddit is None:
        reddit = make_reddit(client_id=client_id, client_secret=client_secret, user_agent=user_agent,
                             session=session, timeout=politeness.timeout if politeness is not None else None)
    # Credentials may have come from the environment or praw.ini: scrub what praw actually holds.
    config = getattr(reddit, "config", None)
    held = (getattr(config, "client_id", None), getattr(config, "client_secret", None))
    api = RedditApi(politeness, secrets=(client_id, client_secret, *held))
    time_filter = _time_filter(sel.start_ts, time.time())
    records: list[_Record] = []
    try:
        for name in sel.subreddits:
            subreddit = reddit.subreddit(name)
            if "post" in sel.kinds:
                records += _praw_walk(api, lambda: subreddit.new(limit=None),
                                      {"subreddit": name, "listing": "new"}, "post", sel, meta, bar, ledger)
                for theme in sel.themes:
                    for query in search_queries(theme):
                        listing = {"subreddit": name, "listing": f"search {query!r}"}
                        records += _praw_walk(
                            api,
                            functools.partial(subreddit.search, query, sort="new", syntax="lucene",
                                              time_filter=time_filter, limit=None),
                            listing, "post", sel, meta, bar, ledger,
                        )
            if "comment" in sel.kinds:
                records += _praw_walk(api, lambda: subreddit.comments(limit=None),
                                      {"subreddit": name, "listing": "comments"}, "comment", sel, meta, bar, ledger)
    finally:
        meta.update(retries=api.requests_retried, waits=list(api.waits), time_filter=time_filter)
    return records
