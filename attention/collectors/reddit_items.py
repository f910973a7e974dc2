"""Reddit items -> daily attention per theme: the step every Reddit backend shares.

Every backend (praw, the Arctic Shift API, archive files) turns what it reads
into an *items* frame, one row per post or comment:

==========  =====================  ==========================================
column      dtype                  meaning
==========  =====================  ==========================================
id          str                    Reddit's id (``t3_...`` posts, ``t1_...`` comments)
kind        str                    ``post`` or ``comment``
created     datetime64[ns, UTC]    creation time
subreddit   str                    without ``r/``
author      str                    missing (NaN) when deleted
score       float                  upvotes minus downvotes
text        str                    title and body of a post, body of a comment;
                                   ``[removed]``/``[deleted]`` bodies are empty
==========  =====================  ==========================================

:func:`aggregate_items` then counts, per day and theme, the items that
mention the theme (once per item, however often it repeats the term) and
scores their sentiment with the theme's own aliases masked.

No item is lost without a count: every backend keeps an :class:`ItemLedger`
of what it read and why it dropped what it did not keep (no id, no creation
time, the wrong kind of item, outside the range, a duplicate), reported in
``frame.attrs["reddit"]["accounting"]``; drops that lose information are
warned with :class:`~attention.errors.DroppedItemsWarning`.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import DataError, DroppedItemsWarning
from ..schema import validate_observations
from ..themes import DEFAULT_THEMES, Theme, get_theme

if TYPE_CHECKING:
    from ..sentiment import SentimentScorer

__all__ = ["ITEM_COLUMNS", "METRICS", "ItemLedger", "aggregate_items", "clean_text", "items_frame"]

#: Columns of the items frame every Reddit backend produces.
ITEM_COLUMNS = ("id", "kind", "created", "subreddit", "author", "score", "text")
#: Daily metrics per theme, in the order they are reported.
METRICS = (
    "mentions",
    "unique_authors",
    "score",
    "sentiment",
    "bullishness",
    "positive_share",
    "negative_share",
)
_GONE = {"[removed]", "[deleted]", "[removed by reddit]", ""}
#: VADER's customary cut-offs for calling a text positive or negative.
POSITIVE, NEGATIVE = 0.05, -0.05


def clean_text(*parts: object) -> str:
    """Join title/body parts, dropping the placeholders Reddit leaves for removed content.

    Examples
    --------
    >>> clean_text("IWM calls?", "[removed]")
    'IWM calls?'
    >>> clean_text("Small caps", "  finally moving ", None)
    'Small caps\\nfinally moving'
    """
    return "\n".join(p.strip() for p in parts if isinstance(p, str) and p.strip() not in _GONE)


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _author(name: object) -> str | None:
    # Deleted accounts are missing, never a name: on pandas 3 a missing value arrives as NaN, not None.
    return None if _missing(name) or name in ("[deleted]", "[removed]", "") else str(name)


class ItemLedger:
    """What a backend did with every item it read: kept, or dropped with a reason.

    ``read == kept + sum(dropped.values())`` once :func:`items_frame` has
    built the frame. Reasons in :attr:`HARMLESS` lose nothing (the same item
    read twice where pages overlap, or an item just outside the asked range);
    any other reason is warned.

    Examples
    --------
    >>> ledger = ItemLedger()
    >>> frame = items_frame([{"id": "t3_a", "kind": "post", "created": 1719800000, "subreddit": "x"},
    ...                      {"id": "t3_a", "kind": "post", "created": 1719800000, "subreddit": "x"},
    ...                      {"id": None, "kind": "post", "created": 1719800000, "subreddit": "x"}], ledger=ledger)
    >>> ledger.summary(len(frame))
    {'read': 3, 'kept': 1, 'dropped': {'duplicate': 1, 'no id': 1}}
    """

    #: Reasons that lose no information.
    HARMLESS = frozenset({"duplicate", "outside the range"})

    def __init__(self) -> None:
        self.read = 0
        self.dropped: Counter[str] = Counter()

    def drop(self, reason: str, count: int = 1) -> None:
        if count:
            self.dropped[reason] += count

    def summary(self, kept: int) -> dict[str, Any]:
        return {"read": self.read, "kept": kept, "dropped": dict(sorted(self.dropped.items()))}

    def warn(self, where: str, *, stacklevel: int = 3) -> None:
        """Warn about drops that lose information, naming each reason and its count."""
        lost = {r: n for r, n in sorted(self.dropped.items()) if r not in self.HARMLESS}
        if lost:
            said = ", ".join(f"{n} {reason}" for reason, n in lost.items())
            warnings.warn(f"{where}: {sum(lost.values())} of {self.read} items dropped ({said})",
                          DroppedItemsWarning, stacklevel=stacklevel)


def items_frame(records: Iterable[Mapping[str, Any]], *, ledger: ItemLedger | None = None) -> pd.DataFrame:
    """Build and check an items frame from dicts with the item columns.

    ``created`` may be epoch seconds or anything ``pd.to_datetime`` reads;
    duplicate ids (the same item from two pages or files) are kept once.
    Rows without an id or a creation time are dropped, and so are
    duplicates; with ``ledger``, each is counted there (records the caller
    already dropped must already be in it: ``ledger.read`` is then the
    number of records plus those).

    Parameters
    ----------
    records : iterable of dict
        One dict per item with the keys of :data:`ITEM_COLUMNS` (absent keys are missing values).
    ledger : ItemLedger, optional
        Counts every record read, and every one dropped with its reason.

    Returns
    -------
    DataFrame
        Columns :data:`ITEM_COLUMNS`; ``created`` in UTC, ``score`` float, deleted authors missing.

    Raises
    ------
    DataError
        If a column is missing or ``created`` holds values that are not dates.

    Examples
    --------
    >>> frame = items_frame([{"id": "t1_x", "kind": "comment", "created": "2024-07-01T02:13:20Z",
    ...                       "subreddit": "r/stocks", "author": "[deleted]", "score": "7", "text": "IWM!"}])
    >>> frame[["created", "subreddit", "author", "score"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'created': Timestamp('2024-07-01 02:13:20+0000', tz='UTC'), 'subreddit': 'stocks', 'author': None,
      'score': 7.0}]
    """
    records = list(records)
    ledger = ledger if ledger is not None else ItemLedger()
    ledger.read += len(records)
    frame = pd.DataFrame.from_records(records, columns=list(ITEM_COLUMNS)).astype(object)
    if frame.empty:
        return frame.astype({"created": "datetime64[ns, UTC]", "score": float})
    missing = [c for c in ("id", "kind", "created") if frame[c].map(_missing).all()]
    if missing:
        raise DataError(f"records: missing {missing}; expected {list(ITEM_COLUMNS)}")
    no_id = frame["id"].map(lambda v: _missing(v) or str(v).strip() == "")
    no_time = frame["created"].map(_missing) & ~no_id
    ledger.drop("no id", int(no_id.sum()))
    ledger.drop("no creation time", int(no_time.sum()))
    frame = frame[~no_id & ~no_time].reset_index(drop=True)
    # Sources mix epoch seconds (APIs, dumps) and date strings; read each the way it is written.
    created = frame["created"]
    seconds = pd.to_numeric(created, errors="coerce")
    stamps = pd.Series(pd.to_datetime(seconds, unit="s", utc=True), index=frame.index).astype("datetime64[ns, UTC]")
    written = seconds.isna()
    if written.any():
        try:
            stamps[written] = pd.to_datetime(created[written], utc=True)
        except (TypeError, ValueError) as exc:
            raise DataError(f"records: 'created' holds values that are not dates ({exc})") from None
    frame["created"] = stamps
    frame["id"] = frame["id"].astype(str)
    frame["author"] = frame["author"].map(_author).astype(object)
    frame["score"] = pd.to_numeric(frame["score"], errors="coerce").astype(float)
    frame["text"] = frame["text"].map(lambda t: "" if _missing(t) else str(t)).astype(object)
    frame["subreddit"] = frame["subreddit"].map(lambda v: None if _missing(v) else str(v).removeprefix("r/"))
    kept = frame.drop_duplicates("id", keep="last").reset_index(drop=True)
    ledger.drop("duplicate", len(frame) - len(kept))
    return kept


def aggregate_items(
    items: pd.DataFrame, themes: Iterable[Theme | str] | None = None, *, scorer: SentimentScorer | None = None
) -> pd.DataFrame:
    """Daily metrics per theme from an items frame, as tidy observations.

    Parameters
    ----------
    items : DataFrame
        See the module docstring (:func:`items_frame` builds one).
    themes : list of Theme or str, optional
        Defaults to the three default themes.
    scorer : attention.sentiment.SentimentScorer, optional
        Defaults to the finance-aware scorer.

    Returns
    -------
    DataFrame
        Source ``reddit``; metrics ``mentions`` (items mentioning the theme),
        ``unique_authors``, ``score`` (sum), ``sentiment`` (mean compound),
        ``bullishness`` (ln((1 + #positive) / (1 + #negative)), Antweiler &
        Frank 2004), ``positive_share`` and ``negative_share`` (compound
        above 0.05 / below -0.05). Days without a mention are absent, not 0:
        whether a backend saw the day at all is for the caller to say.

    Raises
    ------
    DataError
        If ``items`` is not an items frame or a theme name is unknown.

    Examples
    --------
    >>> items = items_frame([
    ...     {"id": "a", "kind": "post", "created": 1719800000, "author": "u1", "score": 5,
    ...      "text": "Small caps are finally breaking out"},
    ...     {"id": "b", "kind": "post", "created": 1719810000, "author": "u2", "score": 1,
    ...      "text": "IWM is dead money"}])
    >>> daily = aggregate_items(items, ["small-cap stocks"])
    >>> daily.set_index("metric")["value"][["mentions", "unique_authors", "score"]].to_dict()
    {'mentions': 2.0, 'unique_authors': 2.0, 'score': 6.0}
    """
    resolved = [get_theme(t) if not isinstance(t, Theme) else t for t in (themes or DEFAULT_THEMES)]
    if not isinstance(items, pd.DataFrame) or any(c not in items for c in ITEM_COLUMNS):
        raise DataError(f"items: expected a DataFrame with columns {list(ITEM_COLUMNS)}")
    return _daily_metrics(_score_items(items, resolved, scorer=scorer), resolved)


def _score_items(
    items: pd.DataFrame, themes: Sequence[Theme], *, scorer: SentimentScorer | None = None
) -> pd.DataFrame:
    """The numbers :func:`_daily_metrics` needs from an items frame, one row per item mentioning a theme.

    Split from :func:`aggregate_items` so that the slow part (matching and
    sentiment) can run where the items are read and only this small table
    travels: columns ``id``, ``created``, ``author``, ``score`` and, per
    theme in order, ``theme<i>`` holding the item's compound sentiment with
    that theme's aliases masked, NaN where the item does not mention it.
    """
    table = items[["id", "created", "author", "score"]].copy()
    mentioned = pd.Series(False, index=items.index)
    for i, theme in enumerate(themes):
        hit = items["text"].map(theme.mentions).astype(bool)
        compound = pd.Series(np.nan, index=items.index)
        if hit.any():
            if scorer is None:
                from ..sentiment import SentimentScorer

                scorer = SentimentScorer()
            scores = scorer.score(items.loc[hit, "text"].tolist(), themes=[theme])
            compound[hit] = scores["compound"].to_numpy(dtype=float)
        table[f"theme{i}"] = compound
        mentioned |= hit
    return table[mentioned.to_numpy()].reset_index(drop=True)


def _daily_metrics(table: pd.DataFrame, themes: Sequence[Theme]) -> pd.DataFrame:
    """Tidy daily observations from :func:`_score_items` tables (concatenated, duplicates removed)."""
    rows = []
    for i, theme in enumerate(themes):
        hit = table[table[f"theme{i}"].notna()]
        if hit.empty:
            continue
        frame = pd.DataFrame(
            {
                "day": hit["created"].dt.floor("D").to_numpy(),
                "author": hit["author"].to_numpy(),
                "score": hit["score"].to_numpy(),
                "compound": hit[f"theme{i}"].to_numpy(),
            }
        )
        frame["pos"] = frame["compound"] >= POSITIVE
        frame["neg"] = frame["compound"] <= NEGATIVE
        daily = frame.groupby("day").agg(
            mentions=("compound", "size"),
            unique_authors=("author", "nunique"),
            score=("score", "sum"),
            sentiment=("compound", "mean"),
            n_pos=("pos", "sum"),
            n_neg=("neg", "sum"),
        )
        daily["bullishness"] = np.log((1 + daily["n_pos"]) / (1 + daily["n_neg"]))
        daily["positive_share"] = daily["n_pos"] / daily["mentions"]
        daily["negative_share"] = daily["n_neg"] / daily["mentions"]
        long = daily[list(METRICS)].stack().rename("value").reset_index()
        long.columns = ["date", "metric", "value"]
        long["term"] = theme.name
        rows.append(long)
    if not rows:
        empty = pd.DataFrame(columns=["date", "source", "term", "metric", "value", "flags"])
        return validate_observations(empty.astype({"value": float}))
    out = pd.concat(rows, ignore_index=True)
    out["source"] = "reddit"
    out["flags"] = ""
    return validate_observations(out)
