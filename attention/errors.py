"""Exceptions and warnings raised by market-attention.

Every error the library raises on purpose derives from :class:`AttentionError`,
so ``except attention.AttentionError`` catches all of them::

    AttentionError
     +-- CollectorError               a data source failed
     |    +-- RateLimitError           the source said "too many requests"
     |    +-- ConnectionFailedError    the host cannot be reached at all (no network, DNS, refused)
     |    +-- QueryTimeout             the source gave up on a query that was too heavy
     |    +-- AuthenticationError      credentials missing or refused
     |    +-- UpstreamFormatError      the source answered in a shape we do not know
     +-- DataError (also ValueError)  input data or arguments are unusable
     +-- MissingDependencyError (also ImportError)
                                      an optional dependency is not installed

    AttentionWarning
     +-- NonStationaryWarning         a tested series looks non-stationary
     +-- RoundingFloorWarning         Google's integer rounding swamps a term
     +-- TruncatedListingWarning      a source could not serve the whole range
     +-- DroppedItemsWarning          items read were dropped (no id, no time, wrong kind ...)
     +-- GapWarning                   a return spans missing prices, or is missing because of them

Errors of the collector family carry ``.source`` (e.g. ``"google_trends"``)
and ``.url`` (scheme, host and path only: query strings may hold tokens), or
``None`` where they do not apply.

Warnings derive from :class:`AttentionWarning`, so they can be filtered as one
family with :func:`warnings.filterwarnings`.
"""

from __future__ import annotations

__all__ = [
    "AttentionError",
    "AttentionWarning",
    "AuthenticationError",
    "CollectorError",
    "ConnectionFailedError",
    "DataError",
    "DroppedItemsWarning",
    "GapWarning",
    "MissingDependencyError",
    "NonStationaryWarning",
    "QueryTimeout",
    "RateLimitError",
    "RoundingFloorWarning",
    "TruncatedListingWarning",
    "UpstreamFormatError",
]


class AttentionError(Exception):
    """Root of every error raised by market-attention.

    Examples
    --------
    >>> import attention
    >>> try:
    ...     attention.get_theme("no such theme")
    ... except attention.AttentionError as exc:
    ...     print(type(exc).__name__)
    DataError
    """


class CollectorError(AttentionError):
    """A data source could not deliver what was asked.

    Parameters
    ----------
    *args : object
        The message: what failed and what to do about it.
    source : str, optional
        The data source, e.g. ``"google_trends"``, ``"reddit"``.
    url : str, optional
        Where the request went, without query string or credentials.

    Examples
    --------
    >>> err = CollectorError("Google Trends answered 503", source="google_trends",
    ...                      url="https://trends.google.com/trends/api/widgetdata/multiline")
    >>> err.source, err.url.endswith("/multiline"), isinstance(err, AttentionError)
    ('google_trends', True, True)
    """

    def __init__(self, *args: object, source: str | None = None, url: str | None = None) -> None:
        super().__init__(*args)
        self.source = source
        self.url = url


class RateLimitError(CollectorError):
    """The source refused further requests for now (HTTP 429 or equivalent).

    Examples
    --------
    >>> try:
    ...     raise RateLimitError("HTTP 429: too many requests", source="reddit")
    ... except CollectorError as exc:
    ...     print(exc.source, "-", exc)
    reddit - HTTP 429: too many requests
    """


class ConnectionFailedError(CollectorError):
    """The host could not be reached at all: no network, an unknown name or a refused connection.

    Not retried: unlike a rate limit, waiting minutes will not fix it.

    Examples
    --------
    >>> issubclass(ConnectionFailedError, CollectorError), issubclass(ConnectionFailedError, OSError)
    (True, False)
    """


class QueryTimeout(CollectorError):
    """The source gave up on a query (Arctic Shift: "Timeout. Maybe slow down a bit"); a smaller page helps.

    Examples
    --------
    >>> issubclass(QueryTimeout, CollectorError), issubclass(QueryTimeout, TimeoutError)
    (True, False)
    """


class AuthenticationError(CollectorError):
    """Credentials were missing, malformed or refused by the source.

    Examples
    --------
    >>> err = AuthenticationError("Reddit refused the client id", source="reddit")
    >>> isinstance(err, CollectorError), err.url is None
    (True, True)
    """


class UpstreamFormatError(CollectorError):
    """The source answered, but not in a format this library understands.

    Examples
    --------
    >>> from attention.collectors import parse_google_trends
    >>> try:
    ...     parse_google_trends({"default": {}})
    ... except UpstreamFormatError as exc:
    ...     print(type(exc).__mro__[1].__name__)
    CollectorError
    """


class DataError(AttentionError, ValueError):
    """Input data or arguments cannot be used as given.

    The message names the argument and says what was expected.

    Examples
    --------
    >>> import attention
    >>> try:
    ...     attention.get_theme("no such theme")
    ... except ValueError as exc:  # a DataError is also a ValueError
    ...     print(isinstance(exc, DataError))
    True
    """


class MissingDependencyError(AttentionError, ImportError):
    """An optional dependency needed for this call is not installed.

    Examples
    --------
    >>> issubclass(MissingDependencyError, ImportError), issubclass(MissingDependencyError, AttentionError)
    (True, True)
    """


class AttentionWarning(UserWarning):
    """Root of every warning issued by market-attention.

    Examples
    --------
    Silence the whole family at once:

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warnings.filterwarnings("ignore", category=AttentionWarning)
    ...     warnings.warn("a term sits at Google's rounding floor", RoundingFloorWarning)
    >>> caught
    []
    """


class NonStationaryWarning(AttentionWarning):
    """A series entering a test looks non-stationary (ADF/KPSS disagree with stationarity).

    Examples
    --------
    >>> issubclass(NonStationaryWarning, AttentionWarning), issubclass(NonStationaryWarning, UserWarning)
    (True, True)
    """


class RoundingFloorWarning(AttentionWarning):
    """A term sits so low on Google's 0-100 scale that integer rounding dominates its values.

    Examples
    --------
    >>> issubclass(RoundingFloorWarning, AttentionWarning)
    True
    """


class TruncatedListingWarning(AttentionWarning):
    """Some items of the range could not be read.

    praw: a listing ended before reaching ``start`` (Reddit serves about
    1000 items per listing), so earlier days are missing. Arctic Shift: more
    items were created within one second than a page holds.

    Examples
    --------
    >>> issubclass(TruncatedListingWarning, AttentionWarning)
    True
    """


class DroppedItemsWarning(AttentionWarning):
    """Items that were read were dropped for a reason that loses information.

    The message names each reason and its count (an item without an id or a
    creation time, a comment where posts were asked, an unreadable line);
    ``frame.attrs["reddit"]["accounting"]`` holds the same counts.

    Examples
    --------
    >>> issubclass(DroppedItemsWarning, AttentionWarning)
    True
    """


class GapWarning(AttentionWarning):
    """Returns span missing prices (or are missing because of them); the message counts them.

    Examples
    --------
    >>> issubclass(GapWarning, AttentionWarning)
    True
    """
