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
    """Root of every error raised by market-attention."""


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
    """

    def __init__(self, *args: object, source: str | None = None, url: str | None = None) -> None:
        super().__init__(*args)
        self.source = source
        self.url = url


class RateLimitError(CollectorError):
    """The source refused further requests for now (HTTP 429 or equivalent)."""


class ConnectionFailedError(CollectorError):
    """The host could not be reached at all: no network, an unknown name or a refused connection.

    Not retried: unlike a rate limit, waiting minutes will not fix it.
    """


class QueryTimeout(CollectorError):
    """The source gave up on a query (Arctic Shift: "Timeout. Maybe slow down a bit"); a smaller page helps."""


class AuthenticationError(CollectorError):
    """Credentials were missing, malformed or refused by the source."""


class UpstreamFormatError(CollectorError):
    """The source answered, but not in a format this library understands."""


class DataError(AttentionError, ValueError):
    """Input data or arguments cannot be used as given.

    The message names the argument and says what was expected.
    """


class MissingDependencyError(AttentionError, ImportError):
    """An optional dependency needed for this call is not installed."""


class AttentionWarning(UserWarning):
    """Root of every warning issued by market-attention."""


class NonStationaryWarning(AttentionWarning):
    """A series entering a test looks non-stationary (ADF/KPSS disagree with stationarity)."""



class RoundingFloorWarning(AttentionWarning):
    """A term sits so low on Google's 0-100 scale that integer rounding dominates its values."""


class TruncatedListingWarning(AttentionWarning):
    """Some items of the range could not be read.

    praw: a listing ended before reaching ``start`` (Reddit serves about
    1000 items per listing), so earlier days are missing. Arctic Shift: more
    items were created within one second than a page holds.
    """


class DroppedItemsWarning(AttentionWarning):
    """Items that were read were dropped for a reason that loses information.

    The message names each reason and its count (an item without an id or a
    creation time, a comment where posts were asked, an unreadable line);
    ``frame.attrs["reddit"]["accounting"]`` holds the same counts.
    """


class GapWarning(AttentionWarning):
    """Returns span missing prices (or are missing because of them); the message counts them."""
