"""Reddit posts and comments from files: public datasets and your own exports, with explicit time zones.

Public Reddit datasets come as CSV, JSON lines or parquet, with columns named
after Reddit's API (``id``, ``created_utc``, ``title``, ``selftext``,
``body`` ...) or after whoever scraped them (``created``, ``timestamp``).
:func:`read_reddit_items` maps them onto the items frame of
:mod:`attention.collectors.reddit_items`, so the same
:func:`~attention.collectors.reddit_items.aggregate_items` turns them into
daily theme metrics.

Times are where such files mislead: ``created_utc`` is epoch seconds and
unambiguous, but a scraper that wrote ``datetime.fromtimestamp(created)``
left local clock times with no zone, and a day boundary in the wrong zone
moves items to the wrong day. A file whose only times are such naive stamps
is refused unless ``tz=`` says where they were written; where a file holds
both (epoch seconds and local stamps), the epoch seconds are used and the
zone the stamps were written in is inferred and reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._typing import RedditKind
from ..errors import DataError
from .reddit_items import ItemLedger, clean_text, items_frame

__all__ = ["read_reddit_items"]

# Column names each item field goes by in public datasets, tried in order (case-insensitive).
_ID = ("id", "name", "post_id", "comment_id")
_KIND = ("kind", "type")
_EPOCH = ("created_utc", "created", "timestamp", "created_at", "date", "time", "datetime")
_AUTHOR = ("author", "author_name", "username", "user")
_SCORE = ("score", "ups")
_SUBREDDIT = ("subreddit", "subreddit_name")
_KINDS = {"post": "post", "submission": "post", "t3": "post", "comment": "comment", "t1": "comment"}


def _read(source: object) -> tuple[pd.DataFrame, str]:
    if isinstance(source, pd.DataFrame):
        return source.copy(), "DataFrame"
    if not isinstance(source, (str, Path)):
        raise DataError(f"source: expected a path or a DataFrame, got {type(source).__name__}")
    path = Path(source)
    if not path.exists():
        raise DataError(f"source: no such file {path}")
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    kind = suffixes[-1] if suffixes else ""
    try:
        if kind in (".csv", ".tsv", ".txt"):
            frame = pd.read_csv(path, sep="\t" if kind == ".tsv" else ",", dtype=str, keep_default_na=False,
                                na_values=[""])
        elif kind in (".jsonl", ".ndjson"):
            frame = pd.read_json(path, lines=True, dtype=False)
        elif kind == ".json":
            try:
                frame = pd.read_json(path, dtype=False)
            except ValueError:
                frame = pd.read_json(path, lines=True, dtype=False)
        elif kind == ".parquet":
            frame = pd.read_parquet(path)
        else:
            raise DataError(f"source: {path.name}: expected .csv, .tsv, .json, .jsonl, .ndjson or .parquet "
                            "(optionally .gz)")
    except DataError:
        raise
    except ImportError as exc:
        raise DataError(f"source: reading {path.name} needs {exc.name}: pip install pyarrow") from None
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise DataError(f"source: cannot read {path.name} ({type(exc).__name__}: {exc})") from None
    return frame, path.name


def _column(frame: pd.DataFrame, names: Iterable[str]) -> str | None:
    lower = {str(c).lower(): c for c in frame.columns}
    return next((lower[n] for n in names if n in lower), None)


def _kinds(frame: pd.DataFrame, ids: pd.Series, kind: str | None) -> pd.Series:
    if kind is not None:
        if kind not in ("post", "comment"):
            raise DataError(f"kind: expected 'post' or 'comment', got {kind!r}")
        return pd.Series(kind, index=frame.index, dtype=object)
    column = _column(frame, _KIND)
    if column is not None:
        return frame[column].map(lambda v: _KINDS.get(str(v).strip().lower()) if isinstance(v, str) else None)
    kinds = ids.str.slice(0, 3).map({"t3_": "post", "t1_": "comment"}).astype(object)
    # Rows without a t3_/t1_ id: a post has a title, a comment a body.
    for names, what in ((("title",), "post"), (("body",), "comment")):
        column = _column(frame, names)
        if column is not None:
            kinds = kinds.where(kinds.notna() | frame[column].isna(), what)
    if kinds[ids.notna()].isna().any():
        raise DataError("kind: cannot tell posts from comments (no kind/type column, no t3_/t1_ ids, no title or "
                        "body column); pass kind='post' or kind='comment'")
    return kinds


def _times(frame: pd.DataFrame, tz: str | None, name: str) -> tuple[pd.Series, dict[str, Any]]:
    """UTC creation times, and what was used to get them."""
    epoch: tuple[str, pd.Series] | None = None
    stamps: tuple[str, pd.Series] | None = None
    for column in (c for c in (_column(frame, (n,)) for n in _EPOCH) if c is not None):
        values = frame[column]
        numbers = pd.to_numeric(values, errors="coerce")
        if numbers.notna().sum() >= max(1, values.notna().sum()) and epoch is None:
            # Epoch seconds, or milliseconds (told apart by size, as Reddit's and Pushshift's APIs do).
            seconds = numbers.where(numbers < 1e11, numbers / 1000)
            epoch = (column, pd.to_datetime(seconds, unit="s", utc=True))
        elif stamps is None and numbers.isna().all():
            stamps = (column, values)
    if epoch is None and stamps is None:
        raise DataError(f"source: {name} has no creation time column (expected one of {', '.join(_EPOCH)})")
    info: dict[str, Any] = {}
    if stamps is not None:
        column, values = stamps
        text = values.astype("string").str.strip()
        aware = text.str.contains(r"(?:[+-]\d{2}:?\d{2}|Z|UTC)$", na=False)
        parsed = None
        if aware[values.notna()].all():
            parsed = _parse(text, column, utc=True)
            info = {"time_column": column, "tz": "from the stamps' UTC offsets"}
        elif epoch is not None:
            naive = _parse(text, column)
            offset = (naive - epoch[1].dt.tz_localize(None)).dropna()
            hours = sorted(set((offset / pd.Timedelta(hours=1)).round(2)))
            info = {"time_column": epoch[0], "tz": "UTC (epoch seconds)",
                    "local_column": column, "local_offsets_hours": hours}
        elif tz is None:
            raise DataError(
                f"tz: the times in {name}'s {column!r} column have no time zone; pass tz='UTC' if they are UTC, "
                "or the zone they were written in (a scraper that used datetime.fromtimestamp() wrote its own "
                "local time, e.g. tz='America/Los_Angeles')"
            )
        else:
            try:
                parsed = _parse(text, column).dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
            except (TypeError, ValueError, KeyError) as exc:
                raise DataError(f"tz: cannot use {tz!r} ({exc})") from None
            info = {"time_column": column, "tz": str(tz)}
            parsed = parsed.dt.tz_convert("UTC")
        if parsed is not None:
            return parsed, info
    assert epoch is not None  # every other way returned or raised above
    column, times = epoch
    return times, info or {"time_column": column, "tz": "UTC (epoch seconds)"}


def _parse(text: pd.Series, column: str, *, utc: bool = False) -> pd.Series:
    try:
        return pd.to_datetime(text, utc=utc, format="mixed")
    except (TypeError, ValueError) as exc:
        raise DataError(f"source: {column!r} holds values that are not dates ({exc})") from None


def read_reddit_items(
    source: str | Path | pd.DataFrame, *, tz: str | None = None, kind: RedditKind | None = None,
    subreddit: str | None = None,
) -> pd.DataFrame:
    """Posts or comments from a file (CSV, JSON lines, parquet) or DataFrame, as an items frame.

    Parameters
    ----------
    source : str, Path or DataFrame
        ``.csv``/``.tsv``, ``.json``/``.jsonl``/``.ndjson`` or ``.parquet``
        (``.gz`` allowed for text). Columns are found by the names public
        datasets use: ``id``/``name``; ``created_utc`` (epoch seconds or
        milliseconds) or ``created``/``timestamp``/``date`` (epoch numbers or
        date strings); ``title`` + ``selftext``/``body`` or ``text``;
        ``author``; ``score``; ``subreddit``; ``kind``/``type``.
    tz : str, optional
        The time zone of date strings that carry no offset. Required when
        those are the file's only times; never needed for epoch seconds or
        stamps with an offset.
    kind : {"post", "comment"}, optional
        What the rows are, when the file does not say (no kind column, no
        ``t3_``/``t1_`` ids, no ``title``/``body`` column to tell by).
    subreddit : str, optional
        For files without a subreddit column.

    Returns
    -------
    DataFrame
        The items frame (``id``, ``kind``, ``created`` in UTC, ``subreddit``,
        ``author`` - missing for deleted accounts -, ``score``, ``text``).
        ``frame.attrs["reddit"]`` says which column gave the times, in which
        zone (and, for files with both epoch seconds and local stamps, the
        offsets of the local stamps), and ``accounting``: rows read, kept and
        dropped by reason (no id, no creation time, duplicate).

    Raises
    ------
    DataError
        For a file that cannot be read, a missing time column, naive times
        without ``tz``, or rows whose kind cannot be told.

    Warns
    -----
    DroppedItemsWarning
        When rows without an id or a creation time were dropped.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"id": ["abc"], "title": ["Small caps ripping"], "selftext": [""],
    ...                      "created": ["2024-07-01 22:30:00"], "author": ["[deleted]"], "score": [12]})
    >>> items = read_reddit_items(rows, tz="America/Los_Angeles", subreddit="wallstreetbets")
    >>> items[["id", "kind", "created", "author"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'id': 't3_abc', 'kind': 'post', 'created': Timestamp('2024-07-02 05:30:00+0000', tz='UTC'),
      'author': None}]
    """
    frame, name = _read(source)
    id_column = _column(frame, _ID)
    if id_column is None:
        raise DataError(f"source: {name} has no id column (expected one of {', '.join(_ID)})")
    ids = frame[id_column].astype("string")
    kinds = _kinds(frame, ids, kind)
    created, info = _times(frame, tz, name)
    title, selftext = _column(frame, ("title",)), _column(frame, ("selftext", "selftext_html"))
    body, text = _column(frame, ("body", "content")), _column(frame, ("text",))

    def text_of(i: int) -> str:
        if text is not None:
            return clean_text(frame.at[i, text])
        if kinds.iat[i] == "post":
            return clean_text(*(frame.at[i, c] for c in (title, selftext or body) if c is not None))
        return clean_text(frame.at[i, body]) if body is not None else ""

    sub_column, author, score = _column(frame, _SUBREDDIT), _column(frame, _AUTHOR), _column(frame, _SCORE)
    prefix = kinds.map({"post": "t3_", "comment": "t1_"})
    bare = ids.str.replace(r"^t[13]_", "", regex=True)
    records = [
        {
            "id": None if pd.isna(bare.iat[i]) or pd.isna(prefix.iat[i]) else prefix.iat[i] + str(bare.iat[i]),
            "kind": kinds.iat[i],
            "created": None if pd.isna(created.iat[i]) else created.iat[i].timestamp(),
            "subreddit": frame.iat[i, frame.columns.get_loc(sub_column)] if sub_column is not None else subreddit,
            "author": frame.iat[i, frame.columns.get_loc(author)] if author is not None else None,
            "score": frame.iat[i, frame.columns.get_loc(score)] if score is not None else np.nan,
            "text": text_of(frame.index[i]),
        }
        for i in range(len(frame))
    ]
    unknown_kind = sum(r["id"] is None and not pd.isna(bare.iat[i]) for i, r in enumerate(records))
    ledger = ItemLedger()
    ledger.read += unknown_kind
    ledger.drop("unknown kind", unknown_kind)
    items = items_frame([r for i, r in enumerate(records) if not (r["id"] is None and not pd.isna(bare.iat[i]))],
                        ledger=ledger)
    items = items.sort_values(["created", "id"], kind="stable").reset_index(drop=True) if len(items) else items
    items.attrs["reddit"] = {"source": name, **info, "accounting": ledger.summary(len(items))}
    ledger.warn(f"read_reddit_items({name})")
    return items
